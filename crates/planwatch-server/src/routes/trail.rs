//! The audit trail of an item as people read it: when, who, what changed.

use std::collections::HashMap;

use planwatch_core::wording::{Domain, LocalTime, label, labels::lookup};
use planwatch_store::{AuditEntry, EvidenceFile, StoreResult, Submission};
use planwatch_store::{Code, ItemKind};
use serde_json::Value;

use crate::state::AppState;

/// What a page needs to show stored rows to people: local time, people by their
/// names, departments by their names.
pub struct Readers {
    tz: LocalTime,
    people: HashMap<String, String>,
    departments: HashMap<i64, String>,
}

impl Readers {
    /// Users and departments of the store, and the configured time zone.
    pub async fn load(state: &AppState) -> StoreResult<Readers> {
        let people = state
            .store
            .list_users()
            .await?
            .into_iter()
            .map(|u| (u.username.to_lowercase(), u.display_name))
            .collect();
        let departments = state
            .store
            .list_departments(None)
            .await?
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect();
        Ok(Readers {
            tz: state.config.time_zone.clone(),
            people,
            departments,
        })
    }

    /// A stored UTC time as local `YYYY-MM-DD HH:MM`.
    pub fn time(&self, stored: &str) -> String {
        self.tz.local(stored)
    }

    /// Who did it: a person's display name for `web:planner` or `api:planner`; the
    /// command line and the demo by what they are.
    pub fn actor(&self, actor: &str) -> String {
        let (how, who) = actor.split_once(':').unwrap_or(("", actor));
        // `api:planner@统计局推送`: the person, through the named token.
        if let ("api", Some((user, token))) = (how, who.split_once('@')) {
            let person = self.actor(&format!("api:{user}"));
            return format!("{person}（API 令牌“{token}”）");
        }
        if let Some(name) = self.people.get(&who.to_lowercase()) {
            return name.clone();
        }
        match (how, who) {
            ("cli", w) => format!("命令行（{w}）"),
            (_, "demo") => "演示数据".into(),
            (_, "test") => "测试".into(),
            _ => who.to_string(),
        }
    }

    /// A department's name, `部门 #id` if it is gone.
    pub fn department(&self, id: i64) -> String {
        self.departments
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("部门 #{id}"))
    }

    /// One changed field as people read it: its label and its values in words.
    fn value(&self, field: &str, v: &Value) -> String {
        let domain = match field {
            "status" => Some(Domain::TaskStatus),
            "task_status" => Some(Domain::TaskStatus),
            "state" => Some(Domain::SubmissionState),
            "role" => Some(Domain::Role),
            "kind" => Some(Domain::ObservationKind),
            "attribute" => Some(Domain::Attribute),
            "comparator" | "target_comparator" => Some(Domain::Comparator),
            _ => None,
        };
        match (v, domain) {
            (Value::String(code), Some(d)) => label(d, code),
            (Value::Number(n), None) if field.ends_with("department_id") => n
                .as_i64()
                .map_or_else(|| n.to_string(), |id| self.department(id)),
            (Value::Bool(b), _) => if *b { "是" } else { "否" }.into(),
            (Value::Array(items), _) => items.iter().map(short).collect::<Vec<_>>().join("、"),
            (Value::String(t), _) if t.len() >= 20 && t.as_bytes().get(10) == Some(&b'T') => {
                self.time(t)
            }
            _ => short(v),
        }
    }
}

/// The label of a stored column (`lead_department_id` → 牵头单位).
fn field_label(field: &str) -> String {
    lookup(Domain::Field, field).map_or_else(|| label(Domain::Field, field), str::to_string)
}

/// One audit row for a page.
pub struct TrailRow {
    /// When (local text of the UTC time).
    pub at: String,
    /// Who.
    pub actor: String,
    /// What, in words.
    pub action: String,
    /// Changed fields: `name: before → after`.
    pub changes: Vec<String>,
}

fn action_label(a: &str) -> String {
    label(Domain::AuditAction, a)
}

fn short(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::String(s) => s.chars().take(60).collect(),
        other => {
            let s = other.to_string();
            s.chars().take(60).collect()
        }
    }
}

/// Fields that differ between before and after (bookkeeping columns left out).
pub fn changes(r: &Readers, before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
    const SKIP: &[&str] = &[
        "version",
        "updated_at",
        "updated_by",
        "original",
        "corrected",
    ];
    let empty = serde_json::Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut out = Vec::new();
    for (k, av) in a {
        if SKIP.contains(&k.as_str()) {
            continue;
        }
        let bv = b.get(k).unwrap_or(&Value::Null);
        if bv != av && !(before.is_none() && av.is_null()) {
            let name = field_label(k);
            if before.is_some() {
                out.push(format!("{name}：{} → {}", r.value(k, bv), r.value(k, av)));
            } else {
                out.push(format!("{name}：{}", r.value(k, av)));
            }
        }
    }
    out.truncate(12);
    out
}

/// Audit rows of one entity, newest first.
pub async fn trail(state: &AppState, entity: &str, id: i64) -> StoreResult<Vec<TrailRow>> {
    let r = Readers::load(state).await?;
    let mut rows: Vec<TrailRow> = state
        .store
        .audit_for(entity, id)
        .await?
        .into_iter()
        .map(|e: AuditEntry| TrailRow {
            at: r.time(&e.at),
            actor: r.actor(&e.actor),
            action: action_label(&e.action),
            changes: changes(&r, e.before.as_ref(), e.after.as_ref()),
        })
        .collect();
    rows.reverse();
    Ok(rows)
}

/// A submission with its evidence, for the pages that list them.
pub struct SubmissionView {
    /// The row.
    pub s: Submission,
    /// Status label.
    pub state: &'static str,
    /// Proposed task status label.
    pub task_status: String,
    /// Evidence files.
    pub evidence: Vec<EvidenceFile>,
    /// Still waiting for a decision.
    pub open: bool,
    /// When it was submitted, local time.
    pub at: String,
    /// Who submitted it, by name.
    pub by: String,
    /// For the review queue: what it is about (`任务：加大研发投入力度`) and its page;
    /// empty on the item's own page.
    pub item: String,
    /// The item's page.
    pub link: String,
    /// The reporting department.
    pub department: String,
}

/// The internal record of one task or indicator: its submissions with evidence and its
/// audit rows, for readers with a grant on the plan; nothing for a reader who sees it
/// only because it is public.
pub async fn internal_record(
    state: &AppState,
    kind: planwatch_store::ItemKind,
    id: i64,
    internal: bool,
) -> StoreResult<(Vec<SubmissionView>, Vec<TrailRow>)> {
    if !internal {
        return Ok((Vec::new(), Vec::new()));
    }
    let list = state.store.submissions_for_item(kind, id).await?;
    Ok((
        submission_views(state, false, list).await?,
        trail(state, kind.code(), id).await?,
    ))
}

/// Wrap submissions with their evidence.
pub async fn submission_views(
    state: &AppState,
    with_item: bool,
    list: Vec<Submission>,
) -> StoreResult<Vec<SubmissionView>> {
    let r = Readers::load(state).await?;
    let mut out = Vec::new();
    for s in list {
        let evidence = state.store.evidence_of(s.id).await?;
        let (item, link) = match s.item_kind {
            _ if !with_item => (String::new(), String::new()),
            ItemKind::Task => (
                format!("任务：{}", state.store.task(s.item_id).await?.text),
                format!("/plans/{}/tasks/{}", s.document_id, s.item_id),
            ),
            ItemKind::Indicator => (
                format!("指标：{}", state.store.indicator(s.item_id).await?.name),
                format!("/plans/{}/indicators/{}", s.document_id, s.item_id),
            ),
            other => (other.label().to_string(), String::new()),
        };
        out.push(SubmissionView {
            item,
            link,
            department: s
                .department_id
                .map(|d| r.department(d))
                .unwrap_or_else(|| "—".into()),
            at: r.time(&s.submitted_at),
            by: r.actor(&s.submitted_by),
            state: s.state.label(),
            task_status: s
                .task_status
                .map(|t| t.label().to_string())
                .unwrap_or_default(),
            open: s.state == planwatch_store::SubmissionState::Submitted,
            evidence,
            s,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn readers() -> Readers {
        Readers {
            tz: LocalTime::default(),
            people: [("editor-a".to_string(), "张工".to_string())].into(),
            departments: [(3, "县工信局".to_string())].into(),
        }
    }

    #[test]
    fn changes_list_what_moved_in_words() {
        let r = readers();
        let b = json!({"name": "a", "value": 1, "version": 1});
        let a = json!({"name": "a", "value": 2, "version": 2});
        assert_eq!(changes(&r, Some(&b), Some(&a)), ["数值：1 → 2"]);
        assert_eq!(
            changes(&r, None, Some(&json!({"text": "y", "z": null}))),
            ["内容：y"]
        );
        assert!(changes(&r, Some(&b), Some(&b)).is_empty());
        let b = json!({"status": "not_started", "lead_department_id": null});
        let a = json!({"status": "in_progress", "lead_department_id": 3});
        assert_eq!(
            changes(&r, Some(&b), Some(&a)),
            ["牵头单位：— → 县工信局", "状态：未开始 → 推进中"]
        );
    }

    #[test]
    fn people_and_times_read_as_words() {
        let r = readers();
        assert_eq!(r.actor("web:editor-a"), "张工");
        assert_eq!(r.actor("web:Editor-A"), "张工");
        assert_eq!(
            r.actor("api:editor-a@统计局推送"),
            "张工（API 令牌“统计局推送”）"
        );
        assert_eq!(r.actor("cli:运维"), "命令行（运维）");
        assert_eq!(r.actor("demo"), "演示数据");
        assert_eq!(r.time("2026-12-06T03:30:05.896Z"), "2026-12-06 11:30");
        assert_eq!(r.department(9), "部门 #9");
    }
}
