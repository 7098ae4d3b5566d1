//! The key-project table and its summary.

use super::*;

pub(super) fn project_status(code: &str) -> String {
    match code {
        "planned" => "计划实施".into(),
        "started" | "in_progress" => "在建".into(),
        "done" | "completed" => "已建成".into(),
        "suspended" => "暂缓".into(),
        "cancelled" => "取消".into(),
        other => other.to_string(),
    }
}

pub(super) fn projects(inp: &ReportInputs) -> Projects {
    let live: Vec<_> = inp.projects.iter().filter(|p| !p.rejected).collect();
    let rows: Vec<ProjectLine> = live
        .iter()
        .enumerate()
        .map(|(i, p)| ProjectLine {
            no: i + 1,
            name: p.name.clone(),
            investment: p
                .investment_value
                .map(|v| {
                    format!(
                        "{}{}",
                        fig(v),
                        p.investment_unit.clone().unwrap_or_default()
                    )
                })
                .or(p.investment_text.clone())
                .unwrap_or_else(|| "—".into()),
            period: match (p.period_start, p.period_end) {
                (Some(a), Some(b)) if a != b => format!("{a}—{b}年"),
                (Some(a), _) | (None, Some(a)) => format!("{a}年"),
                (None, None) => "—".into(),
            },
            status: project_status(&p.status),
            line: usize::try_from(p.line).unwrap_or(0),
        })
        .collect();
    // Total in 亿元: 万元 rows are converted, other units left out.
    let (mut total, mut priced) = (0.0, 0);
    for p in &live {
        let factor = match p.investment_unit.as_deref() {
            Some("亿元") => 1.0,
            Some("万元") => 1e-4,
            _ => continue,
        };
        if let Some(v) = p.investment_value {
            total += v * factor;
            priced += 1;
        }
    }
    let mut by_status: Vec<(String, usize)> = Vec::new();
    for r in &rows {
        match by_status.iter_mut().find(|(s, _)| *s == r.status) {
            Some((_, n)) => *n += 1,
            None => by_status.push((r.status.clone(), 1)),
        }
    }
    let summary = if rows.is_empty() {
        "规划纲要中未识别出重大项目（专栏）。".to_string()
    } else {
        let states: Vec<String> = by_status.iter().map(|(s, n)| format!("{s}{n}项")).collect();
        format!(
            "规划纲要专栏列出重大项目{}项，其中标明投资额的{priced}项，合计总投资{}亿元；按项目库状态，{}。",
            rows.len(),
            fig(total),
            states.join("、")
        )
    };
    Projects { summary, rows }
}
