//! From loaded inputs to the report model, and from the model to blocks
//! ([`document`]). Pure: no IO, no clock.

mod document;
mod indicators;
mod overview;
mod projects;
mod sources;
mod tasks;

pub use document::blocks;
use indicators::*;
use overview::*;
use projects::*;
use sources::*;
use tasks::*;

use std::collections::BTreeMap;

use planwatch_core::consistency::{Finding, SourceRef};
use planwatch_core::eval::plan::observations_for;
use planwatch_core::eval::rollup::{chapter_for_line, roll_up};
use planwatch_core::eval::{Category, Evaluation, Target, TargetType};
use planwatch_core::plan::{DocType, HeadingKind, Indicator, Severity};
use planwatch_store::{TaskRow, TaskStatus};

use super::words::{
    ReportKind, elapsed, fig, five_year_plan, percent, tidy_numbers, zh_date, zh_number,
};
use super::{
    FindingLine, Headings, IndicatorLine, IndicatorNote, ProjectLine, ProjectProgress, Projects,
    Report, ReportInputs, SourceDocument, SourceRelease, Sources, TaskGroup, TaskProgress, unit_of,
};
use crate::charts::{category_chart, indicator_chart};

/// Assemble the report from loaded inputs; `today` is (year, month, day) of the dateline.
pub fn assemble(inp: &ReportInputs, kind: ReportKind, today: (i32, u32, u32)) -> Report {
    let ev = &inp.evaluation;
    let region = ev
        .region
        .clone()
        .or(inp.document.region_name.clone())
        .unwrap_or_default();
    let year = ev.year;
    // `build` refuses a plan without a period; inputs made by hand fall back on the
    // evaluation year rather than on a fixed plan period.
    let period = period_of(inp).unwrap_or((year, year));
    let plan_name = match five_year_plan(period.0) {
        Some(n) => format!("{region}{n}规划纲要"),
        None => format!("{region}规划纲要"),
    };
    let subtitle = match kind {
        ReportKind::Annual => format!("{year}年度监测报告"),
        ReportKind::Midterm => "实施情况中期评估报告".to_string(),
        ReportKind::Final => "实施情况总结评估报告".to_string(),
    };
    let dateline = format!(
        "{}（初稿，据截至{year}年的数据生成）",
        zh_date(today.0, today.1, today.2)
    );

    let main: Vec<(&Target, &Evaluation)> = ev.main().collect();
    let indicators = indicator_lines(&main, &inp.plan.indicators);
    let (lagging, binding) = notes(inp, &main);
    let tasks = task_progress(inp);
    let projects = projects(inp);
    let findings: Vec<FindingLine> = inp.findings.iter().map(finding_line).collect();
    let overview = overview(inp, kind, &region, period, &main, &tasks, &findings);
    let outlook = outlook(kind, year, period, &main, &tasks, &findings);
    let mut indicator_notes = Vec::new();
    if inp.plan.indicators.iter().any(|i| {
        i.baseline
            .iter()
            .chain(i.target.iter())
            .any(|c| c.cumulative)
    }) {
        indicator_notes.push("注：[ ]内为五年累计数。".to_string());
    }
    indicator_notes.push(format!(
        "“完成进度”为{}年实际值在基期值至目标值之间走过的比例；“余下年份所需”为实现{}年目标此后每年需要的增速或增量。",
        year, period.1
    ));

    Report {
        kind,
        title: plan_name,
        subtitle,
        dateline,
        region: region.clone(),
        year,
        period,
        headings: headings(kind),
        overview,
        summary_sentence: ev.overall.sentence(),
        rollup: ev.overall.clone(),
        groups: ev.groups.clone(),
        rollup_chart: category_chart(&ev.overall),
        indicators,
        indicator_notes,
        lagging,
        binding,
        annual: annual_lines(inp),
        tasks,
        projects,
        findings,
        outlook,
        sources: sources(inp, &main),
        method: method(period),
    }
}

/// The plan period: as the evaluation read it from the document (or the plan states
/// it), else from its main indicators that have years (first year after the earliest
/// baseline, latest target year); `None` when nothing says.
pub(crate) fn period_of(inp: &ReportInputs) -> Option<(i32, i32)> {
    if let Some(p) = inp.evaluation.period.or(inp.plan.period) {
        return Some((p.start, p.end));
    }
    let main: Vec<&Target> = inp
        .evaluation
        .main()
        .map(|(t, _)| t)
        .filter(|t| t.has_period())
        .collect();
    let start = main.iter().map(|t| t.base_year).min()?;
    let end = main.iter().map(|t| t.target_year).max()?;
    (end > start).then_some((start + 1, end))
}

fn headings(kind: ReportKind) -> Headings {
    let (overview, outlook) = match kind {
        ReportKind::Annual => ("总体情况", "下一步工作建议"),
        ReportKind::Midterm => ("总体评价", "后半期推进规划实施的建议"),
        ReportKind::Final => ("总体评价", "经验与建议"),
    };
    let n = |i: u32, s: &str| format!("{}、{s}", zh_number(i));
    Headings {
        overview: n(1, overview),
        indicators: n(2, "主要指标完成情况"),
        attention: n(3, "需要关注的指标"),
        annual: n(4, "年度目标衔接情况"),
        tasks: n(5, "重点任务推进情况"),
        projects: n(6, "重大项目实施情况"),
        consistency: n(7, "规划衔接与数据一致性"),
        outlook: n(8, outlook),
        sources: "附件：数据来源与评估方法".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_and_units() {
        assert_eq!(share(0.6), "60%");
        assert_eq!(share(0.714285), "71.4%");
        assert_eq!(project_status("started"), "在建");
        assert_eq!(project_status("自定义"), "自定义");
    }
}
