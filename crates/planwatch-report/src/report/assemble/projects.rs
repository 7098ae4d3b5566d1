//! The key-project table and its summary.

use super::*;
use planwatch_core::projects::{ProjectClass, Totals};

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
    Projects {
        summary,
        rows,
        progress: progress(inp),
    }
}

/// 重点项目推进情况 from the ledger at the end of the year: `None` when no project has
/// a year plan or an approved report (the office does not track projects here).
fn progress(inp: &ReportInputs) -> Option<ProjectProgress> {
    let ledger = &inp.project_ledger;
    let tracked = ledger
        .iter()
        .any(|r| r.year_plan.is_some() || r.assessment.started.is_some());
    if !tracked {
        return None;
    }
    let mut all = Totals::default();
    for r in ledger {
        all.add(&r.assessment);
    }
    let rate = |t: &Totals| {
        t.rate()
            .map_or("—".to_string(), |r| format!("{:.1}%", r * 100.0))
    };
    let classes: Vec<String> = ProjectClass::all()
        .iter()
        .filter(|c| all.of(**c) > 0)
        .map(|c| format!("{}{}个", c.label(), all.of(*c)))
        .collect();
    let summary = format!(
        "纳入调度的重点项目{}个，年度计划投资{}万元，全年完成{}万元，完成率{}；其中{}。",
        all.count,
        fig(all.planned),
        fig(all.completed),
        rate(&all),
        classes.join("、")
    );
    let groups = Totals::group(ledger.iter().map(|r| {
        let field = r.project.field.map_or("未分类", |f| f.label());
        (field, &r.assessment)
    }));
    let by_field = groups
        .iter()
        .map(|(name, t)| {
            let behind = t.of(ProjectClass::Lagging) + t.of(ProjectClass::SeverelyLagging);
            [
                name.to_string(),
                t.count.to_string(),
                fig(t.planned),
                fig(t.completed),
                rate(t),
                behind.to_string(),
            ]
        })
        .collect();
    let attention = ledger
        .iter()
        .filter(|r| {
            matches!(
                r.assessment.class,
                ProjectClass::Lagging | ProjectClass::SeverelyLagging | ProjectClass::NotStarted
            )
        })
        .map(|r| {
            format!(
                "{}（{}）：{}",
                r.project.name,
                r.assessment.class.label(),
                r.assessment.reason
            )
        })
        .collect();
    Some(ProjectProgress {
        summary,
        by_field,
        attention,
    })
}
