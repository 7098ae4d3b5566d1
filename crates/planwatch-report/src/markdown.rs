//! The report as Markdown (GitHub tables), for review in a repository or an issue.
//! Charts are left out: Markdown has no standard way to inline SVG.

use crate::report::{Report, TaskGroup};

/// Escape text for a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn table(out: &mut String, headers: &[&str], rows: impl IntoIterator<Item = Vec<String>>) {
    out.push_str(&format!("| {} |\n", headers.join(" | ")));
    out.push_str(&format!(
        "|{}\n",
        headers.iter().map(|_| "---|").collect::<String>()
    ));
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| cell(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out.push('\n');
}

fn task_table(out: &mut String, first: &str, groups: &[TaskGroup]) {
    table(
        out,
        &[
            first,
            "任务数",
            "已完成",
            "推进中",
            "未开始",
            "滞后",
            "完成率",
        ],
        groups.iter().map(|g| {
            vec![
                g.name.clone(),
                g.total.to_string(),
                g.done.to_string(),
                g.in_progress.to_string(),
                g.not_started.to_string(),
                g.delayed.to_string(),
                g.done_share(),
            ]
        }),
    );
}

/// Neutralise raw HTML in the finished Markdown. CommonMark reads `<` followed by a
/// letter, `/`, `!` or `?` as the start of a tag, so document text such as `<script>` or
/// `<img onerror=…>` would reach whoever renders the report. Such a `<` becomes `&lt;`
/// (which renders as `<`); `P<1.05` and `≤` stay as written.
fn no_raw_html(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut chars = md.chars().peekable();
    while let Some(c) = chars.next() {
        let tag_start = chars
            .peek()
            .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?'));
        if c == '<' && tag_start {
            out.push_str("&lt;");
        } else {
            out.push(c);
        }
    }
    out
}

/// Render the report as Markdown; text from documents and data cannot carry raw HTML.
pub fn render(r: &Report) -> String {
    no_raw_html(&render_raw(r))
}

fn render_raw(r: &Report) -> String {
    let h = &r.headings;
    let mut s = format!("# {}{}\n\n{}\n\n", r.title, r.subtitle, r.dateline);

    s.push_str(&format!("## {}\n\n", h.overview));
    for p in &r.overview {
        s.push_str(&format!("{p}\n\n"));
    }
    if !r.groups.is_empty() {
        s.push_str("分领域看:\n\n");
        for g in &r.groups {
            s.push_str(&format!("- {}\n", g.sentence()));
        }
        s.push('\n');
    }

    s.push_str(&format!("## {}\n\n", h.indicators));
    s.push_str(&format!(
        "表1 主要指标{}情况(数据截至{}年)\n\n",
        r.kind.verb(),
        r.year
    ));
    let base = format!("{}年", r.period.0 - 1);
    let target = format!("{}年目标", r.period.1);
    let mut rows = Vec::new();
    let mut group: Option<&str> = None;
    for i in &r.indicators {
        if i.group.as_deref() != group {
            group = i.group.as_deref();
            if let Some(g) = group {
                rows.push(vec![
                    String::new(),
                    format!("**{g}**"),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
            }
        }
        rows.push(vec![
            i.no.to_string(),
            i.name.clone(),
            i.unit.clone(),
            i.attribute.clone(),
            i.baseline.clone(),
            i.target.clone(),
            i.latest.clone(),
            i.completion.clone(),
            i.status.clone(),
            i.pace_needed.clone(),
        ]);
    }
    table(
        &mut s,
        &[
            "序号",
            "指标",
            "单位",
            "属性",
            &base,
            &target,
            "最新实际",
            "完成进度",
            "评估结论",
            "余下年份所需",
        ],
        rows,
    );
    for n in &r.indicator_notes {
        s.push_str(&format!("{n}\n\n"));
    }

    s.push_str(&format!("## {}\n\n", h.attention));
    s.push_str("### (一)进度滞后或预警的指标\n\n");
    if r.lagging.is_empty() {
        s.push_str("没有进度滞后或需要预警的指标。\n\n");
    }
    for n in &r.lagging {
        s.push_str(&format!("**{}**\n\n{}\n\n", n.heading, n.text));
    }
    s.push_str("### (二)其他约束性指标\n\n");
    if r.binding.is_empty() {
        s.push_str("没有其他约束性指标。\n\n");
    }
    for n in &r.binding {
        s.push_str(&format!("**{}**\n\n{}\n\n", n.heading, n.text));
    }

    s.push_str(&format!("## {}\n\n", h.annual));
    if r.annual.is_empty() {
        s.push_str("没有可与五年目标衔接比较的年度目标。\n\n");
    }
    for a in &r.annual {
        s.push_str(&format!("- {a}\n"));
    }
    if !r.annual.is_empty() {
        s.push('\n');
    }

    s.push_str(&format!("## {}\n\n{}\n\n", h.tasks, r.tasks.summary));
    if !r.tasks.by_department.is_empty() {
        s.push_str("表2 重点任务推进情况(按牵头单位)\n\n");
        task_table(&mut s, "牵头单位", &r.tasks.by_department);
        if r.tasks.by_chapter.is_empty() {
            s.push_str("规划文本未识别出章节结构,暂不按章节统计。\n\n");
        } else {
            s.push_str("表3 重点任务推进情况(按规划章节)\n\n");
            task_table(&mut s, "章节", &r.tasks.by_chapter);
        }
    }
    if !r.tasks.delayed.is_empty() {
        s.push_str("进展滞后的任务:\n\n");
        for d in &r.tasks.delayed {
            s.push_str(&format!("- {d}\n"));
        }
        s.push('\n');
    }

    s.push_str(&format!("## {}\n\n{}\n\n", h.projects, r.projects.summary));
    if !r.projects.rows.is_empty() {
        s.push_str("表4 重大项目\n\n");
        table(
            &mut s,
            &["序号", "项目名称", "总投资", "建设期", "状态", "规划原文"],
            r.projects.rows.iter().map(|p| {
                vec![
                    p.no.to_string(),
                    p.name.clone(),
                    p.investment.clone(),
                    p.period.clone(),
                    p.status.clone(),
                    format!("第{}行", p.line),
                ]
            }),
        );
    }

    s.push_str(&format!("## {}\n\n", h.consistency));
    if r.findings.is_empty() {
        s.push_str("未发现规划文本与政府工作报告、统计数据之间的不一致。\n\n");
    } else {
        s.push_str(&format!(
            "共发现{}处需要核对的不一致:\n\n",
            r.findings.len()
        ));
        for (i, f) in r.findings.iter().enumerate() {
            s.push_str(&format!(
                "{}. 【{}】{}\n   - ① {}\n   - ② {}\n",
                i + 1,
                f.severity,
                f.message,
                f.first,
                f.second
            ));
        }
        s.push('\n');
    }

    s.push_str(&format!("## {}\n\n", h.outlook));
    for (i, o) in r.outlook.iter().enumerate() {
        s.push_str(&format!("{}. {o}\n", i + 1));
    }
    s.push('\n');

    s.push_str(&format!("## {}\n\n### 一、文件\n\n", h.sources));
    table(
        &mut s,
        &["文件", "路径", "用途", "SHA-256(前12位)"],
        r.sources.documents.iter().map(|d| {
            vec![
                d.title.clone(),
                d.path.clone(),
                d.role.clone(),
                d.sha256.clone(),
            ]
        }),
    );
    s.push_str("### 二、指标在规划纲要中的位置\n\n");
    table(
        &mut s,
        &["指标", "原文位置"],
        r.sources
            .indicator_lines
            .iter()
            .map(|(n, l)| vec![n.clone(), l.clone()]),
    );
    s.push_str("### 三、统计数据来源\n\n");
    if r.sources.releases.is_empty() {
        s.push_str("尚未导入统计数据。\n\n");
    } else {
        table(
            &mut s,
            &["发布来源", "链接", "发布日期", "采用的数据"],
            r.sources.releases.iter().map(|rel| {
                vec![
                    rel.name.clone(),
                    rel.url.clone(),
                    rel.date.clone(),
                    rel.figures.join(";"),
                ]
            }),
        );
    }
    s.push_str("### 四、评估方法\n\n");
    for m in &r.method {
        s.push_str(&format!("- {m}\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_neutralised() {
        let check = |md: &str, expect: &str| assert_eq!(no_raw_html(md), expect, "{md}");
        check(
            "<script>alert(1)</script>",
            "&lt;script>alert(1)&lt;/script>",
        );
        check(
            "| <img src=x onerror=alert(1)> |",
            "| &lt;img src=x onerror=alert(1)> |",
        );
        check("<!-- x -->", "&lt;!-- x -->");
        check("0.95≤P<1.05", "0.95≤P<1.05");
        check("a < b", "a < b");
        check("末尾<", "末尾<");
    }
}
