//! From loaded inputs to the report model, and from the model to blocks
//! ([`document`]). Pure: no IO, no clock.

mod document;

pub use document::blocks;

use std::collections::BTreeMap;

use planwatch_core::consistency::{Finding, SourceRef};
use planwatch_core::eval::plan::observations_for;
use planwatch_core::eval::rollup::{chapter_for_line, roll_up};
use planwatch_core::eval::status::PaceUnit;
use planwatch_core::eval::{Category, Evaluation, Target, TargetType};
use planwatch_core::plan::{DocType, HeadingKind, Indicator, Severity};
use planwatch_store::{TaskRow, TaskStatus};

use super::words::{
    ReportKind, elapsed, fig, five_year_plan, percent, tidy_numbers, zh_date, zh_number,
};
use super::{
    FindingLine, Headings, IndicatorLine, IndicatorNote, ProjectLine, Projects, Report,
    ReportInputs, SourceDocument, SourceRelease, Sources, TaskGroup, TaskProgress, unit_of,
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
        "{}(初稿,据截至{year}年的数据生成)",
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
        indicator_notes.push("注:[ ]内为五年累计数。".to_string());
    }
    indicator_notes.push(format!(
        "“完成进度”为{}年实际值在基期值至目标值之间走过的比例;“余下年份所需”为实现{}年目标此后每年需要的增速或增量。",
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

/// The plan period: as the plan states it, else from its main indicators (first year
/// after the earliest baseline, latest target year); `None` when neither says.
pub(crate) fn period_of(inp: &ReportInputs) -> Option<(i32, i32)> {
    if let Some(p) = inp.plan.period {
        return Some((p.start, p.end));
    }
    let main: Vec<&Target> = inp.evaluation.main().map(|(t, _)| t).collect();
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
        sources: "附件:数据来源与评估方法".to_string(),
    }
}

fn attribute(t: &Target) -> &'static str {
    if t.binding { "约束性" } else { "预期性" }
}

fn status(e: &Evaluation) -> String {
    if e.warning.is_some() {
        format!("{}(预警)", e.category.label())
    } else {
        e.category.label().to_string()
    }
}

/// The cell as written, unless empty or a dash.
fn written(cell: Option<&planwatch_core::plan::ValueCell>) -> Option<String> {
    cell.map(|c| c.text.trim().to_string())
        .filter(|s| !s.is_empty() && s != "—" && s != "-")
}

fn target_text(t: &Target, ind: Option<&Indicator>) -> String {
    match &t.target_type {
        TargetType::GrowthRate { rate, approx } => {
            format!(
                "年均增长{}%{}",
                fig(*rate),
                if *approx { "左右" } else { "" }
            )
        }
        TargetType::CumulativeReduction { percent } => format!("累计降低{}%", fig(*percent)),
        TargetType::CumulativeFlow { total } => format!("累计{}", fig(*total)),
        _ => written(ind.and_then(|i| i.target.as_ref())).unwrap_or_else(|| {
            if t.text.is_empty() {
                "—".into()
            } else {
                t.text.clone()
            }
        }),
    }
}

fn baseline_text(t: &Target, ind: Option<&Indicator>) -> String {
    written(ind.and_then(|i| i.baseline.as_ref()))
        .or(t.baseline.map(fig))
        .unwrap_or_else(|| "—".into())
}

fn latest_text(t: &Target, e: &Evaluation) -> String {
    let Some(p) = e.figures.latest else {
        return "—".into();
    };
    match &t.target_type {
        TargetType::GrowthRate { .. } => {
            format!("年均{:.1}%({}—{}年)", p.value, t.base_year + 1, p.year)
        }
        TargetType::CumulativeReduction { .. } => {
            format!("累计降低{:.1}%(至{}年)", p.value, p.year)
        }
        TargetType::CumulativeFlow { .. } => format!("累计{}(至{}年)", fig(p.value), p.year),
        _ => format!("{}({}年)", fig(p.value), p.year),
    }
}

/// How much a unit's yearly change is called: percentage points for percentages.
fn per_year_unit(unit: &str) -> String {
    if unit == "%" {
        "个百分点".into()
    } else {
        unit.to_string()
    }
}

fn pace_text(t: &Target, e: &Evaluation) -> String {
    if matches!(e.category, Category::AchievedEarly | Category::Achieved) {
        return "已达到目标".into();
    }
    let unit = unit_of(t);
    match &t.target_type {
        TargetType::Ceiling { limit, .. } if e.figures.latest.is_some() => {
            return format!("保持在{}{}以内", fig(*limit), unit);
        }
        TargetType::Floor { limit, .. } if e.figures.latest.is_some() => {
            return format!("保持在{}{}以上", fig(*limit), unit);
        }
        _ => {}
    }
    let Some(p) = e.figures.pace_needed else {
        return "—".into();
    };
    let reduction = matches!(t.target_type, TargetType::CumulativeReduction { .. });
    let flow = matches!(t.target_type, TargetType::CumulativeFlow { .. });
    match p.unit {
        PaceUnit::PercentPerYear if reduction => format!("年均降低{:.1}%", p.value),
        PaceUnit::PercentPerYear => format!("年均增长{:.1}%", p.value),
        PaceUnit::AmountPerYear if flow => format!("每年新增{}{}", fig(p.value), unit),
        PaceUnit::AmountPerYear if p.value >= 0.0 => {
            format!("每年提高{}{}", fig(p.value), per_year_unit(&unit))
        }
        PaceUnit::AmountPerYear => format!("每年降低{}{}", fig(-p.value), per_year_unit(&unit)),
    }
}

fn indicator_lines(main: &[(&Target, &Evaluation)], inds: &[Indicator]) -> Vec<IndicatorLine> {
    main.iter()
        .enumerate()
        .map(|(i, (t, e))| {
            let ind = inds.get(i).filter(|ind| ind.name == t.indicator);
            IndicatorLine {
                no: i + 1,
                group: t.group.clone(),
                name: t.indicator.clone(),
                unit: unit_of(t),
                attribute: attribute(t).into(),
                baseline: baseline_text(t, ind),
                target: target_text(t, ind),
                latest: latest_text(t, e),
                completion: e
                    .figures
                    .completion
                    .map(percent)
                    .unwrap_or_else(|| "—".into()),
                status: status(e),
                category: e.category,
                warned: e.warning.is_some(),
                pace_needed: pace_text(t, e),
                line: t.line.unwrap_or(0),
            }
        })
        .collect()
}

fn is_lagging(e: &Evaluation) -> bool {
    matches!(e.category, Category::Lagging | Category::SeverelyLagging) || e.warning.is_some()
}

/// The sentence on where the end value is heading at the current pace, for lagging levels.
fn projection(t: &Target, e: &Evaluation, target: &str) -> Option<String> {
    let proj = e.figures.projected?;
    if !proj.is_finite() || !is_lagging(e) {
        return None;
    }
    let unit = unit_of(t);
    let end = t.target_year;
    match &t.target_type {
        TargetType::Level { .. } => Some(format!(
            "按{}年以来的变化速度推算,{end}年约为{}{unit},目标为{target}{unit}。",
            t.base_year,
            fig(proj)
        )),
        TargetType::CumulativeReduction { percent } => Some(format!(
            "按目前降幅推算,五年累计约降低{:.1}%,目标为{}%。",
            proj,
            fig(*percent)
        )),
        TargetType::CumulativeFlow { total } => Some(format!(
            "按目前进度推算,五年累计约{}{unit},目标为{}{unit}。",
            fig(proj),
            fig(*total)
        )),
        _ => None,
    }
}

fn note(inp: &ReportInputs, t: &Target, e: &Evaluation) -> IndicatorNote {
    let ind = inp
        .plan
        .indicators
        .iter()
        .find(|i| i.name == t.indicator && Some(i.line) == t.line);
    let mut text = plain_pace(&tidy_numbers(&e.explanation), &pace_text(t, e));
    if let Some(p) = projection(t, e, &target_text(t, ind)) {
        text.push_str(&p);
    }
    if is_lagging(e) {
        text.push_str(&context(inp, t, e));
    }
    if let Some(w) = &e.warning {
        text.push_str(&format!("{}。", w.message));
    } else if t.binding && e.category == Category::InsufficientData {
        text.push_str("约束性指标须逐年监测,请责任单位补报数据。");
    }
    if let Some(src) = latest_source(inp, t, e) {
        text.push_str(&format!("(数据来源:{src})"));
    }
    let obs = observations_for(t, &inp.observations);
    let chart = match t.target_type {
        TargetType::Relational { .. } | TargetType::Qualitative { .. } => None,
        _ if obs.is_empty() => None,
        _ => Some(indicator_chart(t, &obs)),
    };
    let mut tags = vec![attribute(t).to_string(), status(e)];
    tags.dedup();
    IndicatorNote {
        heading: format!("{}({})", t.indicator, tags.join(",")),
        text,
        chart,
    }
}

/// The engine writes a linear pace as `每年变动-0.002`; say which way instead
/// (`每年降低0.002人`), using the table's wording.
fn plain_pace(text: &str, pace: &str) -> String {
    let Some(start) = text.find("每年变动") else {
        return text.to_string();
    };
    let rest = &text[start + "每年变动".len()..];
    let len = rest
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == '-'))
        .map_or(rest.len(), |(i, _)| i);
    if !pace.starts_with("每年") {
        return text.to_string();
    }
    format!("{}{pace}{}", &text[..start], &rest[len..])
}

/// Stored rows behind the observations an evaluation may use.
fn stored_for<'a>(inp: &'a ReportInputs, t: &Target) -> Vec<&'a planwatch_store::Observation> {
    let used = observations_for(t, &inp.observations);
    inp.stored_observations
        .iter()
        .filter(|s| s.kind != "annual_target")
        .filter(|s| {
            used.iter().any(|o| {
                o.indicator == s.indicator && i64::from(o.year) == s.year && o.value == s.value
            })
        })
        .collect()
}

/// What a reader needs next to a lagging level: the published yearly growth rates of the
/// same years (often at comparable prices, while the level target is in current prices),
/// and whether the baseline was an estimate.
fn context(inp: &ReportInputs, t: &Target, e: &Evaluation) -> String {
    let mut out = String::new();
    let Some(latest) = e.figures.latest else {
        return out;
    };
    if matches!(t.target_type, TargetType::Level { .. }) {
        let mut rates: BTreeMap<i32, (String, f64)> = BTreeMap::new();
        for o in observations_for(t, &inp.observations).iter().filter(|o| {
            o.kind == planwatch_core::eval::ObservationKind::GrowthRate
                && o.from_year.is_none()
                && o.year > t.base_year
                && o.year <= latest.year
        }) {
            let slot = rates.entry(o.year).or_insert((o.vintage.clone(), o.value));
            if o.vintage >= slot.0 {
                *slot = (o.vintage.clone(), o.value);
            }
        }
        if !rates.is_empty() {
            let list: Vec<String> = rates
                .iter()
                .map(|(y, (_, v))| format!("{y}年{}%", fig(*v)))
                .collect();
            out.push_str(&format!("同期公布的年度增速为{}。", list.join("、")));
        }
    }
    let estimated = stored_for(inp, t).into_iter().find(|s| {
        s.year == i64::from(t.base_year) && s.note.as_deref().is_some_and(|n| n.contains("预计"))
    });
    if let Some(s) = estimated {
        out.push_str(&format!(
            "基期{}年数据{}{}为预计数,如经统计部门核实调整,进度判断应相应更新。",
            t.base_year,
            fig(s.value),
            s.unit.clone().unwrap_or_default()
        ));
    }
    out
}

/// The release the latest figure of an evaluation was read from.
fn latest_source(inp: &ReportInputs, t: &Target, e: &Evaluation) -> Option<String> {
    let year = e.figures.latest?.year;
    stored_for(inp, t)
        .into_iter()
        .find(|s| s.year == i64::from(year))
        .map(release_name)
}

fn notes(
    inp: &ReportInputs,
    main: &[(&Target, &Evaluation)],
) -> (Vec<IndicatorNote>, Vec<IndicatorNote>) {
    let lagging = main
        .iter()
        .filter(|(_, e)| is_lagging(e))
        .map(|(t, e)| note(inp, t, e))
        .collect();
    let binding = main
        .iter()
        .filter(|(t, e)| t.binding && !is_lagging(e))
        .map(|(t, e)| note(inp, t, e))
        .collect();
    (lagging, binding)
}

fn names(list: &[&(&Target, &Evaluation)], max: usize) -> String {
    let mut s: Vec<String> = list
        .iter()
        .take(max)
        .map(|(t, _)| t.indicator.clone())
        .collect();
    if list.len() > max {
        s.push("等".into());
        let tail = s.pop().unwrap_or_default();
        return format!("{}{tail}", s.join("、"));
    }
    s.join("、")
}

#[allow(clippy::too_many_arguments)]
fn overview(
    inp: &ReportInputs,
    kind: ReportKind,
    region: &str,
    period: (i32, i32),
    main: &[(&Target, &Evaluation)],
    tasks: &TaskProgress,
    findings: &[FindingLine],
) -> Vec<String> {
    let ev = &inp.evaluation;
    let year = ev.year;
    let plan = five_year_plan(period.0).unwrap_or_default();
    let tau = elapsed(period.0 - 1, period.1, year);
    let nth = year - period.0 + 1;
    let mut out = Vec::new();
    out.push(match kind {
        ReportKind::Annual => format!(
            "{year}年是{region}{plan}规划纲要实施的第{}年。按照规划纲要关于年度监测的要求,依据统计部门发布的{year}年及以前年度数据,对规划纲要确定的主要指标、重点任务和重大项目的实施情况进行了监测。截至{year}年底,规划期已过{},以下按序时进度对各项指标作出判断。",
            zh_number(nth.max(0) as u32),
            share(tau)
        ),
        ReportKind::Midterm => format!(
            "{region}{plan}规划纲要实施以来,截至{year}年底规划期已过{}{}。按照规划纲要关于中期评估的要求,对{}—{year}年主要指标、重点任务和重大项目的进展进行了评估,判断规划目标能否如期实现,并提出后半期推进实施的建议。",
            share(tau),
            if tau >= 0.5 { ",时间已经过半" } else { "" },
            period.0
        ),
        ReportKind::Final => {
            let data = if year < period.1 {
                format!(
                    "{}年数据尚未全部发布,本报告以{year}年数据作出评估,数据发布后应予更新。",
                    period.1
                )
            } else {
                String::new()
            };
            format!(
                "{region}{plan}规划期({}—{}年)已经结束。按照规划纲要关于总结评估的要求,对照规划纲要确定的目标任务,对规划实施情况进行了总结评估。{data}",
                period.0, period.1
            )
        }
    });

    let mut counts = ev.overall.sentence();
    let binding: Vec<&Evaluation> = main
        .iter()
        .filter(|(t, _)| t.binding)
        .map(|(_, e)| *e)
        .collect();
    if !binding.is_empty() {
        let b = roll_up("约束性指标", &binding);
        if b.count(Category::InsufficientData) == b.total {
            counts.push_str(&format!(
                "{}项约束性指标均暂无{}年以后的监测数据,无法判断是否需要预警。",
                b.total,
                period.0 - 1
            ));
        } else {
            counts.push_str(&b.sentence());
        }
    }
    out.push(counts);

    let with_data: Vec<&(&Target, &Evaluation)> = main
        .iter()
        .filter(|(_, e)| e.category.rank().is_some())
        .collect();
    let good = with_data
        .iter()
        .filter(|(_, e)| e.category.rank().is_some_and(|r| r >= 2))
        .count();
    let lag: Vec<&(&Target, &Evaluation)> = main.iter().filter(|(_, e)| is_lagging(e)).collect();
    let missing: Vec<&(&Target, &Evaluation)> = main
        .iter()
        .filter(|(_, e)| e.category == Category::InsufficientData)
        .collect();
    let mut judge = String::new();
    if !with_data.is_empty() {
        let verdict = match kind {
            ReportKind::Annual => "进度符合或快于序时要求",
            ReportKind::Midterm => "进度符合或快于序时要求,有望如期实现",
            ReportKind::Final => "达到或基本达到目标要求",
        };
        judge.push_str(&format!(
            "在有{year}年监测数据的{}项指标中,{good}项{verdict},占{}",
            with_data.len(),
            share(good as f64 / with_data.len() as f64)
        ));
        if lag.is_empty() {
            judge.push_str(",没有进度滞后的指标。");
        } else if lag.len() == 1 {
            judge.push_str(&format!(";{}进度滞后,需要重点关注。", lag[0].0.indicator));
        } else {
            judge.push_str(&format!(
                ";{}等{}项指标进度滞后,需要重点关注。",
                names(&lag, 3).trim_end_matches('等'),
                lag.len()
            ));
        }
    }
    if !missing.is_empty() {
        judge.push_str(&format!(
            "另有{}项指标暂无{}年以后的监测数据,本报告未对其作出判断。",
            missing.len(),
            period.0 - 1
        ));
    }
    if !judge.is_empty() {
        out.push(judge);
    }
    let mut rest = tasks.summary.clone();
    if !findings.is_empty() {
        rest.push_str(&format!(
            "规划文本与政府工作报告、统计数据之间发现{}处不一致,列于第七部分。",
            findings.len()
        ));
    }
    out.push(rest);
    out
}

/// A share as a whole percentage when it is one (60%), else with one decimal.
fn share(fraction: f64) -> String {
    let p = fraction * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{}%", p.round())
    } else {
        percent(fraction)
    }
}

fn annual_lines(inp: &ReportInputs) -> Vec<String> {
    let mut checks: Vec<_> = inp.evaluation.annual.iter().collect();
    checks.sort_by(|a, b| (a.year, &a.indicator).cmp(&(b.year, &b.indicator)));
    checks.dedup_by(|a, b| a.year == b.year && a.indicator == b.indicator);
    checks.iter().map(|a| tidy_numbers(&a.message)).collect()
}

const NO_CHAPTER: &str = "未识别章节";

/// The task's chapter: as stored, else the 章 (or 篇) heading above it. Plans whose
/// headings were stripped have neither; their lead sentences are not chapters.
fn chapter_of(inp: &ReportInputs, t: &TaskRow) -> String {
    let outline = &inp.plan.outline;
    let structural = outline
        .iter()
        .any(|n| matches!(n.kind, HeadingKind::Chapter | HeadingKind::Part));
    t.chapter
        .clone()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| {
            structural
                .then(|| chapter_for_line(outline, usize::try_from(t.line).unwrap_or(0)))
                .flatten()
        })
        .unwrap_or_else(|| NO_CHAPTER.into())
}

fn count(name: String, tasks: &[&TaskRow]) -> TaskGroup {
    let n = |s: TaskStatus| tasks.iter().filter(|t| t.status == s).count();
    TaskGroup {
        name,
        total: tasks.len(),
        done: n(TaskStatus::Done),
        in_progress: n(TaskStatus::InProgress),
        not_started: n(TaskStatus::NotStarted),
        delayed: n(TaskStatus::Delayed),
    }
}

const NO_LEAD: &str = "未明确牵头单位";

fn task_progress(inp: &ReportInputs) -> TaskProgress {
    let live: Vec<&TaskRow> = inp
        .tasks
        .iter()
        .filter(|t| !t.rejected && t.merged_into.is_none())
        .collect();
    let mut by_dep: BTreeMap<String, Vec<&TaskRow>> = BTreeMap::new();
    for t in &live {
        let dep = t
            .lead_department
            .clone()
            .unwrap_or_else(|| NO_LEAD.to_string());
        by_dep.entry(dep).or_default().push(t);
    }
    let unassigned = by_dep.remove(NO_LEAD);
    let mut by_department: Vec<TaskGroup> =
        by_dep.into_iter().map(|(d, ts)| count(d, &ts)).collect();
    by_department.sort_by(|a, b| b.total.cmp(&a.total).then(a.name.cmp(&b.name)));
    let unassigned_n = unassigned.as_ref().map_or(0, Vec::len);
    if let Some(ts) = unassigned {
        by_department.push(count(NO_LEAD.into(), &ts));
    }
    let mut chapters: Vec<(String, Vec<&TaskRow>)> = Vec::new();
    for t in &live {
        let c = chapter_of(inp, t);
        match chapters.iter_mut().find(|(k, _)| *k == c) {
            Some((_, v)) => v.push(t),
            None => chapters.push((c, vec![t])),
        }
    }
    // One group that says "no chapter" is not a breakdown.
    let by_chapter = if chapters.len() == 1 && chapters[0].0 == NO_CHAPTER {
        Vec::new()
    } else {
        chapters.into_iter().map(|(c, ts)| count(c, &ts)).collect()
    };
    let all = count(String::new(), &live);
    let summary = if live.is_empty() {
        "规划纲要中尚未识别出可分解的重点任务。".to_string()
    } else {
        let parts: Vec<String> = [
            ("已完成", all.done),
            ("推进中", all.in_progress),
            ("未开始", all.not_started),
            ("滞后", all.delayed),
        ]
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(l, n)| format!("{l}{n}项"))
        .collect();
        let assigned = match (all.total - unassigned_n, unassigned_n) {
            (_, 0) => "均已明确牵头单位".to_string(),
            (0, u) => format!("{u}项均尚未明确牵头单位"),
            (a, u) => format!("已明确牵头单位{a}项,尚未明确{u}项"),
        };
        format!(
            "规划纲要分解重点任务{}项,其中{};{assigned}。",
            all.total,
            parts.join("、")
        )
    };
    let delayed = live
        .iter()
        .filter(|t| t.status == TaskStatus::Delayed)
        .map(|t| {
            let lead = t.lead_department.as_deref().unwrap_or(NO_LEAD);
            let progress = t
                .progress
                .as_deref()
                .map(|p| format!(";进展:{p}"))
                .unwrap_or_default();
            format!("{}(规划第{}行,{lead}{progress})", t.text, t.line)
        })
        .collect();
    TaskProgress {
        summary,
        by_department,
        by_chapter,
        delayed,
    }
}

fn project_status(code: &str) -> String {
    match code {
        "planned" => "计划实施".into(),
        "started" | "in_progress" => "在建".into(),
        "done" | "completed" => "已建成".into(),
        "suspended" => "暂缓".into(),
        "cancelled" => "取消".into(),
        other => other.to_string(),
    }
}

fn projects(inp: &ReportInputs) -> Projects {
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
        "规划纲要中未识别出重大项目(专栏)。".to_string()
    } else {
        let states: Vec<String> = by_status.iter().map(|(s, n)| format!("{s}{n}项")).collect();
        format!(
            "规划纲要专栏列出重大项目{}项,其中标明投资额的{priced}项,合计总投资{}亿元;按项目库状态,{}。",
            rows.len(),
            fig(total),
            states.join("、")
        )
    };
    Projects { summary, rows }
}

fn place(r: &SourceRef) -> String {
    if r.line > 0 {
        format!("{} 第{}行:{}", r.document, r.line, r.text)
    } else {
        format!("{}:{}", r.document, r.text)
    }
}

fn finding_line(f: &Finding) -> FindingLine {
    FindingLine {
        severity: match f.severity {
            Severity::Info => "提示",
            Severity::Warning => "警告",
            Severity::Error => "错误",
        }
        .into(),
        message: f.message.clone(),
        first: place(&f.first),
        second: place(&f.second),
    }
}

fn outlook(
    kind: ReportKind,
    year: i32,
    period: (i32, i32),
    main: &[(&Target, &Evaluation)],
    tasks: &TaskProgress,
    findings: &[FindingLine],
) -> Vec<String> {
    let mut out = Vec::new();
    let lag: Vec<&(&Target, &Evaluation)> = main.iter().filter(|(_, e)| is_lagging(e)).collect();
    if !lag.is_empty() {
        let needs: Vec<String> = lag
            .iter()
            .filter(|(t, e)| {
                let p = pace_text(t, e);
                p != "—" && !p.starts_with("保持")
            })
            .map(|(t, e)| format!("{}{}", t.indicator, pace_text(t, e)))
            .collect();
        let mut s = format!(
            "对进度滞后的{}项指标逐项分析原因,明确责任单位和追赶措施。",
            lag.len()
        );
        if !needs.is_empty() && year < period.1 {
            s.push_str(&format!(
                "要在{}年实现规划目标,余下{}年需{}。",
                period.1,
                period.1 - year,
                needs.join(";")
            ));
        }
        out.push(s);
    }
    let warned: Vec<&(&Target, &Evaluation)> = main
        .iter()
        .filter(|(t, e)| t.binding && e.warning.is_some())
        .collect();
    if !warned.is_empty() {
        out.push(format!(
            "约束性指标{}已触发预警,应纳入重点督办,按季度跟踪。",
            names(&warned, 5)
        ));
    }
    if kind == ReportKind::Midterm {
        let severe: Vec<&(&Target, &Evaluation)> = main
            .iter()
            .filter(|(_, e)| e.category == Category::SeverelyLagging)
            .collect();
        if !severe.is_empty() {
            out.push(format!(
                "对按目前进度难以如期实现的{},在采取追赶措施的同时研究是否需要调整目标,如需调整,按程序报批。",
                names(&severe, 5)
            ));
        }
    }
    let missing: Vec<&(&Target, &Evaluation)> = main
        .iter()
        .filter(|(_, e)| e.category == Category::InsufficientData)
        .collect();
    if !missing.is_empty() {
        out.push(format!(
            "补齐监测数据:{}项指标({})暂无{}年以后的数据,请统计部门和责任单位按年度报送,确保{}可评估。",
            missing.len(),
            names(&missing, 5),
            period.0 - 1,
            match kind {
                ReportKind::Annual => "下一年度监测",
                ReportKind::Midterm => "总结评估",
                ReportKind::Final => "下一个五年规划的基期",
            }
        ));
    }
    if !findings.is_empty() {
        out.push(format!(
            "核实第七部分列出的{}处不一致,确认口径后更正数据或在规划实施中予以说明。",
            findings.len()
        ));
    }
    let unassigned = tasks
        .by_department
        .iter()
        .find(|g| g.name == NO_LEAD)
        .map_or(0, |g| g.total);
    if unassigned > 0 {
        out.push(format!(
            "将尚未明确牵头单位的{unassigned}项重点任务分解落实到责任单位,按年度报送进展。"
        ));
    }
    if kind == ReportKind::Final {
        out.push("总结未实现目标的原因,作为编制下一个五年规划的参考。".into());
    }
    if out.is_empty() {
        out.push("继续按年度监测规划实施情况。".into());
    }
    out
}

/// The release an observation came from: the first clause of its note, else its source.
fn release_name(o: &planwatch_store::Observation) -> String {
    o.note
        .as_deref()
        .and_then(|n| n.split([';', ';']).next())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| o.source.clone())
}

fn figure_phrase(o: &planwatch_store::Observation) -> String {
    let unit = o.unit.clone().unwrap_or_default();
    let years = match o.year_from {
        Some(f) if f != o.year => format!("{f}—{}年", o.year),
        _ => format!("{}年", o.year),
    };
    match o.kind.as_str() {
        "growth_rate" => format!("{}{years}{}{unit}", o.indicator, fig(o.value)),
        "annual_target" => format!("{}{years}年度目标{}{unit}", o.indicator, fig(o.value)),
        _ => format!("{}{years}{}{unit}", o.indicator, fig(o.value)),
    }
}

fn sources(inp: &ReportInputs, main: &[(&Target, &Evaluation)]) -> Sources {
    let doc = &inp.document;
    let mut documents = vec![SourceDocument {
        title: doc.title.clone().unwrap_or_else(|| doc.path.clone()),
        path: doc.path.clone(),
        role: "规划纲要:指标、任务、重大项目".into(),
        sha256: doc.sha256.chars().take(12).collect(),
    }];
    for d in &inp.related {
        documents.push(SourceDocument {
            title: d.title.clone().unwrap_or_else(|| d.path.clone()),
            path: d.path.clone(),
            role: match d.doc_type {
                DocType::WorkReport => "政府工作报告:年度目标,一致性核对".into(),
                DocType::AnnualPlan => "年度计划:年度目标,一致性核对".into(),
                _ => "同一地区文件:一致性核对".into(),
            },
            sha256: d.sha256.chars().take(12).collect(),
        });
    }
    let indicator_lines = main
        .iter()
        .map(|(t, _)| {
            (
                t.indicator.clone(),
                t.line.map_or("—".into(), |l| format!("第{l}行")),
            )
        })
        .collect();
    let mut releases: Vec<SourceRelease> = Vec::new();
    let mut stored: Vec<&planwatch_store::Observation> = inp.stored_observations.iter().collect();
    stored.sort_by(|a, b| {
        (a.source_url.as_deref(), a.year, &a.indicator).cmp(&(
            b.source_url.as_deref(),
            b.year,
            &b.indicator,
        ))
    });
    for o in stored {
        let name = release_name(o);
        let url = o.source_url.clone().unwrap_or_else(|| "—".into());
        // The store fills in the import date when a row names no release date; that is not a release date.
        let date = if o.vintage.is_empty() || o.created_at.starts_with(&o.vintage) {
            "未注明".to_string()
        } else {
            o.vintage.clone()
        };
        let phrase = figure_phrase(o);
        match releases
            .iter_mut()
            .find(|r| r.name == name && r.url == url && r.date == date)
        {
            Some(r) => r.figures.push(phrase),
            None => releases.push(SourceRelease {
                name,
                url,
                date,
                figures: vec![phrase],
            }),
        }
    }
    Sources {
        documents,
        indicator_lines,
        releases,
    }
}

fn method(period: (i32, i32)) -> Vec<String> {
    let b = period.0 - 1;
    let t = period.1;
    vec![
        format!(
            "序时进度:以{b}年为基期、{t}年为目标年,评估年份t的规划期已过比例τ=(t−{b})/({t}−{b})。"
        ),
        "总量和水平目标:完成进度=(实际值−基期值)/(目标值−基期值);序时进度要求按线性路径(比重、比率)或按不变增速路径(金额、产量、人口)计算;进度比P=(实际值−基期值)/(序时进度要求−基期值)。".into(),
        "年均增速目标:以各年可比价增速计算的实际年均增速与目标增速之比为进度比;累计降低目标按各年降幅连乘计算累计降幅;累计新增目标按各年新增量之和计算;上限、下限目标要求每年守住。".into(),
        "评价标准:已达到目标为提前实现;P≥1.05为快于预期;0.95≤P<1.05为基本符合预期;0.60≤P<0.95为滞后;P<0.60、反向变化或突破控制值为严重滞后;没有基期以后数据的为数据不足;定性目标依据工作材料判断。约束性指标进度比低于0.95即预警。".into(),
        "每项结论均可由上述数据和公式手工复核;数据以表中所列发布来源为准,同一数据多次发布的以最新发布为准。".into(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_pace_says_which_way() {
        let check =
            |text: &str, pace: &str, want: &str| assert_eq!(plain_pace(text, pace), want, "{text}");
        check(
            "余下2年需每年变动-0.002才能达到0.03人。",
            "每年降低0.002人",
            "余下2年需每年降低0.002人才能达到0.03人。",
        );
        check(
            "余下2年需每年变动0.26才能达到2.2%。",
            "每年提高0.26个百分点",
            "余下2年需每年提高0.26个百分点才能达到2.2%。",
        );
        // Nothing to replace, or no linear pace to put in its place.
        check(
            "余下2年需年均增长7.3%。",
            "年均增长7.3%",
            "余下2年需年均增长7.3%。",
        );
        check("需每年变动1。", "—", "需每年变动1。");
    }

    #[test]
    fn shares_and_units() {
        assert_eq!(share(0.6), "60%");
        assert_eq!(share(0.714285), "71.4%");
        assert_eq!(per_year_unit("%"), "个百分点");
        assert_eq!(per_year_unit("亿元"), "亿元");
        assert_eq!(project_status("started"), "在建");
        assert_eq!(project_status("自定义"), "自定义");
    }
}
