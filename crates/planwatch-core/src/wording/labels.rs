//! The one table of codes a person may see, with the zh-CN word for each.
//!
//! Codes are what the database, the JSON API and the command line store and accept
//! (`planner`, `in_progress`, `growth_rate`, `lead_department_id`); people read the
//! labels. Every page, report and CLI message that shows a code looks it up here, so a
//! code never reaches a person and the same code always reads the same.

/// Which list a code belongs to (the same code may mean different things in two lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    /// Account roles and grant roles.
    Role,
    /// Document types.
    DocType,
    /// Kinds of observation rows.
    ObservationKind,
    /// Task progress.
    TaskStatus,
    /// State of a department's report.
    SubmissionState,
    /// Key-project status in the project bank.
    ProjectStatus,
    /// 约束性 / 预期性.
    Attribute,
    /// What an audit row records.
    AuditAction,
    /// What an audit row is about.
    Entity,
    /// Columns of stored rows, as named in the audit trail.
    Field,
    /// Comparators of a target (达到, 以上, 以内 …).
    Comparator,
    /// Kinds of prose targets.
    TargetKind,
    /// Fields of key projects (产业, 基础设施 …).
    ProjectField,
    /// How often project progress is reported.
    Cadence,
    /// Classes of a key project's progress.
    ProjectClass,
    /// Warnings on a key project.
    ProjectWarning,
    /// Where a key project came from.
    ProjectOrigin,
    /// What an API token may do.
    TokenScope,
}

use Domain::*;

/// (domain, code, label). Kept in one place so the same code always reads the same.
const LABELS: &[(Domain, &str, &str)] = &[
    (Role, "admin", "系统管理员"),
    (Role, "planner", "规划科"),
    (Role, "editor", "部门填报员"),
    (Role, "viewer", "查看者"),
    (DocType, "plan_outline", "五年规划纲要"),
    (DocType, "work_report", "政府工作报告"),
    (DocType, "annual_plan", "年度计划"),
    (DocType, "statistical_bulletin", "统计公报"),
    (DocType, "unknown", "其他文件"),
    (ObservationKind, "level", "水平"),
    (ObservationKind, "growth_rate", "增速"),
    (ObservationKind, "share", "占比"),
    (ObservationKind, "reduction", "降幅"),
    (ObservationKind, "annual_target", "年度目标"),
    (TaskStatus, "not_started", "未开始"),
    (TaskStatus, "in_progress", "推进中"),
    (TaskStatus, "done", "已完成"),
    (TaskStatus, "delayed", "滞后"),
    (SubmissionState, "submitted", "待审核"),
    (SubmissionState, "approved", "已通过"),
    (SubmissionState, "returned", "已退回"),
    (ProjectStatus, "planned", "计划实施"),
    (ProjectStatus, "started", "在建"),
    (ProjectStatus, "in_progress", "在建"),
    (ProjectStatus, "done", "已建成"),
    (ProjectStatus, "completed", "已建成"),
    (ProjectStatus, "suspended", "暂缓"),
    (ProjectStatus, "cancelled", "取消"),
    (Attribute, "binding", "约束性"),
    (Attribute, "expected", "预期性"),
    (AuditAction, "insert", "创建"),
    (AuditAction, "update", "修改"),
    (AuditAction, "delete", "删除"),
    (AuditAction, "correct", "更正"),
    (AuditAction, "apply_correction", "应用更正"),
    (AuditAction, "withdraw", "撤回更正"),
    (AuditAction, "reject", "标记为误识别"),
    (AuditAction, "split_part", "拆分"),
    (AuditAction, "merge_into", "合并"),
    (AuditAction, "assign", "分配责任单位"),
    (AuditAction, "progress", "更新进展"),
    (AuditAction, "status", "更新状态"),
    (AuditAction, "text", "修改内容"),
    (AuditAction, "submit", "提交报送"),
    (AuditAction, "approve", "审核通过"),
    (AuditAction, "return", "退回"),
    (AuditAction, "publish", "公开设置"),
    (AuditAction, "public", "公开设置"),
    (AuditAction, "ingest", "入库"),
    (AuditAction, "retire", "被新版本替代"),
    (AuditAction, "import", "导入"),
    (AuditAction, "import_observations", "导入实际值"),
    (AuditAction, "login", "登录"),
    (AuditAction, "logout", "退出登录"),
    (AuditAction, "purge", "清理过期登录"),
    (AuditAction, "active", "启用或停用账户"),
    (AuditAction, "set_password", "设置密码"),
    (AuditAction, "revoke", "吊销"),
    (AuditAction, "revoke_access", "强制退出"),
    (AuditAction, "sessions_ended", "结束登录"),
    (AuditAction, "tokens_revoked", "吊销令牌"),
    (Entity, "document", "文档"),
    (Entity, "heading", "标题"),
    (Entity, "indicator", "指标"),
    (Entity, "target", "正文量化目标"),
    (Entity, "task", "任务"),
    (Entity, "project", "重点项目"),
    (Entity, "observation", "实际值"),
    (Entity, "import", "导入批次"),
    (Entity, "submission", "部门报送"),
    (Entity, "evidence", "证明材料"),
    (Entity, "correction", "更正"),
    (Entity, "user", "用户"),
    (Entity, "grant", "授权"),
    (Entity, "region", "地区"),
    (Entity, "department", "部门"),
    (Entity, "session", "登录会话"),
    (Entity, "api_token", "API 令牌"),
    (Field, "name", "名称"),
    (Field, "title", "标题"),
    (Field, "number", "编号"),
    (Field, "level", "层级"),
    (Field, "text", "内容"),
    (Field, "chapter", "所属章节"),
    (Field, "line", "原文行"),
    (Field, "category", "类别"),
    (Field, "unit", "单位"),
    (Field, "attribute", "属性"),
    (Field, "baseline_year", "基期年份"),
    (Field, "baseline_text", "基期值原文"),
    (Field, "baseline_value", "基期值"),
    (Field, "target_year", "目标年份"),
    (Field, "target_text", "目标值原文"),
    (Field, "target_value", "目标值"),
    (Field, "target_comparator", "比较方式"),
    (Field, "target_cumulative", "累计值"),
    (Field, "growth_text", "年均增长原文"),
    (Field, "growth_value", "年均增长"),
    (Field, "indicator", "指标"),
    (Field, "value", "数值"),
    (Field, "year", "年份"),
    (Field, "year_from", "起始年份"),
    (Field, "comparator", "比较方式"),
    (Field, "kind", "类型"),
    (Field, "lead_department_id", "牵头单位"),
    (Field, "lead_department", "牵头单位"),
    (Field, "support_departments", "配合单位"),
    (Field, "department_id", "责任单位"),
    (Field, "start_year", "开始年份"),
    (Field, "end_year", "结束年份"),
    (Field, "deadline", "完成时限"),
    (Field, "progress", "进展"),
    (Field, "status", "状态"),
    (Field, "state", "审核状态"),
    (Field, "review_note", "审核意见"),
    (Field, "task_status", "拟定状态"),
    (Field, "rejected", "误识别"),
    (Field, "merged_into", "合并到"),
    (Field, "origin", "来源"),
    (Field, "investment_text", "总投资原文"),
    (Field, "investment_value", "总投资"),
    (Field, "investment_unit", "投资单位"),
    (Field, "period_start", "开始年份"),
    (Field, "period_end", "结束年份"),
    (Field, "username", "用户名"),
    (Field, "display_name", "姓名"),
    (Field, "role", "角色"),
    (Field, "active", "账户状态"),
    (Field, "region_id", "地区"),
    (Field, "code", "区划代码"),
    (Field, "public", "公开"),
    (Field, "file_name", "文件名"),
    (Field, "rows", "行数"),
    (Field, "reason", "理由"),
    (Field, "source", "来源"),
    (Field, "source_url", "来源地址"),
    (Field, "note", "备注"),
    (Field, "vintage", "发布日期"),
    (Field, "path", "文件"),
    (Field, "sha256", "文件指纹"),
    (Comparator, "eq", "达到"),
    (Comparator, "ge", "不低于"),
    (Comparator, "gt", "高于"),
    (Comparator, "le", "不高于"),
    (Comparator, "lt", "低于"),
    (Comparator, "approx", "左右"),
    (Comparator, "range", "区间"),
    (TargetKind, "level", "总量/水平"),
    (TargetKind, "growth_rate", "增长率"),
    (TargetKind, "share", "比重"),
    (TargetKind, "cumulative", "累计"),
    (TargetKind, "count", "数量"),
    (ProjectField, "industry", "产业"),
    (ProjectField, "infrastructure", "基础设施"),
    (ProjectField, "livelihood", "民生"),
    (ProjectField, "ecology", "生态"),
    (ProjectField, "innovation", "科技创新"),
    (ProjectField, "rural", "乡村振兴"),
    (ProjectField, "other", "其他"),
    (Cadence, "month", "按月"),
    (Cadence, "quarter", "按季度"),
    (ProjectClass, "normal", "正常"),
    (ProjectClass, "lagging", "滞后"),
    (ProjectClass, "severe", "严重滞后"),
    (ProjectClass, "not_started", "未开工"),
    (ProjectClass, "completed", "已竣工"),
    (ProjectWarning, "behind_pace", "投资落后序时进度"),
    (ProjectWarning, "start_overdue", "逾期未开工"),
    (ProjectWarning, "finish_overdue", "逾期未竣工"),
    (ProjectWarning, "no_report", "本期未报送"),
    (ProjectWarning, "no_annual_plan", "未下达年度计划投资"),
    (ProjectOrigin, "extracted", "规划文本"),
    (ProjectOrigin, "imported", "项目库导入"),
    (ProjectOrigin, "added", "手工添加"),
    (TokenScope, "read", "读取"),
    (TokenScope, "report", "报送进展"),
    (TokenScope, "import", "导入数据"),
    (TargetKind, "other", "其他"),
];

/// The label of a code, if the table knows it.
pub fn lookup(domain: Domain, code: &str) -> Option<&'static str> {
    LABELS
        .iter()
        .find(|(d, c, _)| *d == domain && *c == code)
        .map(|(_, _, l)| *l)
}

/// The label of a code the table must know (the enums of [`crate::codes`] and the
/// store, held to the table by tests); `—` if it does not.
pub fn known(domain: Domain, code: &str) -> &'static str {
    lookup(domain, code).unwrap_or("—")
}

/// The label of a code for a page: the table's word; a value that is already words
/// (a status typed in Chinese) as it is; anything else `其他`, never the code itself.
pub fn label(domain: Domain, code: &str) -> String {
    if let Some(l) = lookup(domain, code) {
        return l.to_string();
    }
    if code.trim().is_empty() {
        return "—".into();
    }
    if code.chars().any(|c| c.is_ascii_alphabetic()) {
        "其他".into()
    } else {
        code.to_string()
    }
}

/// Every code of a domain with its label, in table order (for select boxes).
pub fn options(domain: Domain) -> Vec<(&'static str, &'static str)> {
    LABELS
        .iter()
        .filter(|(d, _, _)| *d == domain)
        .map(|(_, c, l)| (*c, *l))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_as_words() {
        assert_eq!(label(Role, "planner"), "规划科");
        assert_eq!(label(ObservationKind, "growth_rate"), "增速");
        assert_eq!(label(Field, "lead_department_id"), "牵头单位");
        assert_eq!(label(TaskStatus, "in_progress"), "推进中");
        assert_eq!(label(ProjectStatus, "in_progress"), "在建");
        // Already words: kept. An unknown code: never shown as such.
        assert_eq!(label(ProjectStatus, "自定义"), "自定义");
        assert_eq!(label(ProjectStatus, "on_hold"), "其他");
        assert_eq!(label(Role, ""), "—");
        assert_eq!(options(Role).len(), 4);
    }

    #[test]
    fn every_code_of_the_contract_has_its_label() {
        use crate::actuals::DataKind;
        use crate::codes::Code;
        use crate::plan::{Attribute, DocType, TargetKind};
        use crate::quantity::Comparator;
        fn all<T: Code>(domain: Domain) {
            for v in T::ALL {
                assert!(
                    lookup(domain, v.code()).is_some(),
                    "{domain:?} {}",
                    v.code()
                );
            }
        }
        all::<Attribute>(Attribute);
        all::<DocType>(DocType);
        all::<DataKind>(ObservationKind);
        all::<TargetKind>(TargetKind);
        all::<Comparator>(Comparator);
        all::<crate::projects::ProjectField>(ProjectField);
        all::<crate::projects::Cadence>(Cadence);
        all::<crate::projects::ProjectClass>(ProjectClass);
        all::<crate::projects::ProjectWarning>(ProjectWarning);
        all::<crate::projects::ProjectOrigin>(ProjectOrigin);
        assert_eq!(crate::plan::DocType::PlanOutline.label(), "五年规划纲要");
        assert_eq!(DataKind::GrowthRate.label(), "增速");
    }

    #[test]
    fn no_code_is_listed_twice_in_a_domain() {
        for (i, (d, c, _)) in LABELS.iter().enumerate() {
            assert!(
                !LABELS[i + 1..].iter().any(|(d2, c2, _)| d2 == d && c2 == c),
                "{d:?} {c}"
            );
            assert!(
                c.chars()
                    .all(|x| x.is_ascii_lowercase() || x.is_ascii_digit() || x == '_'),
                "{c}"
            );
        }
    }
}
