//! Consistency checks within one document and across documents of the same region:
//! implied versus stated growth, table versus prose, plan versus work report, targets
//! that point the wrong way, baselines versus published figures, and a new plan's
//! baselines versus the last plan's actuals and targets (`succession`). Every finding
//! names both source lines.

use serde::{Deserialize, Serialize};

use crate::catalogue::{Catalogue, NameMeasure, normalize};
use crate::eval::build::direction_of;
use crate::eval::observation::Observation;
use crate::eval::record::num;
use crate::eval::target::Direction;
use crate::plan::{DocType, Indicator, Plan, ProseTarget, Severity, TargetKind};
use crate::quantity::Comparator;

/// Where a compared value was written.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SourceRef {
    /// Document path, or the URL of a published figure.
    pub document: String,
    /// 1-based line in the document (0 for an external figure).
    pub line: usize,
    /// What was read there.
    pub text: String,
}

/// Which check found a conflict.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Growth implied by baseline and target differs from the stated annual growth.
    ImpliedGrowth,
    /// The table and the prose of one document give different targets.
    TableVsProse,
    /// A plan and a work report of the same region give different values.
    PlanVsReport,
    /// A target lies on the wrong side of its baseline.
    WrongDirection,
    /// A plan baseline differs from the published figure for that year.
    BaselineVsObservation,
    /// A plan baseline differs from the figure a document reports for that year.
    BaselineVsReport,
    /// A new plan's baseline differs from the last plan's actual for its final year.
    SuccessionVsActual,
    /// A new plan's baseline shows the last plan's target for that year was missed.
    SuccessionVsTarget,
    /// A plan's indicator falls short of, or differs from, the plan of the level above
    /// (规划衔接).
    UpperPlan,
}

/// One conflict, with both sides.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Finding {
    /// Which check.
    pub kind: FindingKind,
    /// How serious.
    pub severity: Severity,
    /// Canonical indicator name.
    pub indicator: String,
    /// zh-CN explanation with both values.
    pub message: String,
    /// First side.
    pub first: SourceRef,
    /// Second side.
    pub second: SourceRef,
}

/// Tolerances of the checks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckSettings {
    /// Growth rates closer than this (percentage points) agree (0.5).
    pub growth_tolerance_pp: f64,
    /// Values closer than this, relative, agree (0.005).
    pub value_tolerance: f64,
}

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            growth_tolerance_pp: 0.5,
            value_tolerance: 0.005,
        }
    }
}

/// A value one document states for an indicator.
#[derive(Debug, Clone)]
struct Stated {
    key: String,
    year: Option<i32>,
    value: f64,
    growth: bool,
    unit: Option<String>,
    from_table: bool,
    at: SourceRef,
}

/// Run every document-level check over the given documents.
pub fn check_plans(plans: &[Plan], settings: &CheckSettings) -> Vec<Finding> {
    let stated: Vec<Vec<Stated>> = plans.iter().map(stated_values).collect();
    let mut out = Vec::new();
    for (plan, values) in plans.iter().zip(&stated) {
        out.extend(wrong_direction(plan));
        out.extend(implied_growth(plan, values, settings));
        out.extend(table_vs_prose(values, settings));
    }
    for (i, plan) in plans.iter().enumerate() {
        for (j, other) in plans.iter().enumerate() {
            if same_region(plan, other) {
                out.extend(baselines_vs_figures(plan, other, i == j, settings));
            }
        }
    }
    for i in 0..plans.len() {
        for j in i + 1..plans.len() {
            if same_region(&plans[i], &plans[j]) && plan_and_report(&plans[i], &plans[j]) {
                out.extend(across(
                    &plans[i], &stated[i], &plans[j], &stated[j], settings,
                ));
            }
        }
    }
    out
}

fn stated_values(plan: &Plan) -> Vec<Stated> {
    let cat = Catalogue::builtin();
    let end = plan.period.map(|p| p.end);
    let mut out = Vec::new();
    for ind in &plan.indicators {
        let key = cat.key(&ind.name);
        let at = indicator_ref(plan, ind);
        if let Some(t) = ind.target.as_ref().filter(|t| !t.cumulative)
            && let Some(value) = t.value
        {
            let year = t.year.or(end);
            out.push(Stated {
                key: key.clone(),
                year,
                value,
                growth: false,
                unit: ind.unit.clone(),
                from_table: true,
                at: at.clone(),
            });
        }
        if let Some(g) = ind.growth.as_ref().filter(|g| !g.cumulative)
            && let Some(value) = g.value
        {
            out.push(Stated {
                key,
                year: None,
                value,
                growth: true,
                unit: Some("%".into()),
                from_table: true,
                at,
            });
        }
    }
    out.extend(
        plan.targets
            .iter()
            .filter_map(|pt| prose_value(plan, pt, end)),
    );
    out
}

fn prose_value(plan: &Plan, pt: &ProseTarget, end: Option<i32>) -> Option<Stated> {
    let growth = match pt.kind {
        TargetKind::GrowthRate => true,
        TargetKind::Level | TargetKind::Share | TargetKind::Count => false,
        TargetKind::Cumulative | TargetKind::Other => return None,
    };
    let at = SourceRef {
        document: plan.source.path.clone(),
        line: pt.line,
        text: pt.text.clone(),
    };
    // A report's growth target without 年均 is for its own year: the evaluation checks it
    // against the five-year path (annual check); it is not a second five-year figure.
    let annual_document = matches!(plan.doc_type, DocType::WorkReport | DocType::AnnualPlan);
    if growth && annual_document && !pt.text.contains("年均") {
        return None;
    }
    let year = if growth { None } else { pt.year.or(end) };
    // A level statement whose name speaks of growth (地区生产总值增长 … 亿元) is not comparable.
    let key = match Catalogue::builtin().find(&pt.indicator) {
        Some(m) if growth || m.measure == NameMeasure::Level => m.entry.name.clone(),
        Some(_) => return None,
        None => normalize(&pt.indicator),
    };
    Some(Stated {
        key,
        year,
        value: pt.value,
        growth,
        unit: pt.unit.clone(),
        from_table: false,
        at,
    })
}

fn indicator_ref(plan: &Plan, ind: &Indicator) -> SourceRef {
    let unit = ind
        .unit
        .as_deref()
        .map(|u| format!("({u})"))
        .unwrap_or_default();
    let base = ind.baseline.as_ref().map_or("", |b| b.text.as_str());
    let target = ind.target.as_ref().map_or("", |t| t.text.as_str());
    let mut text = format!("{}{unit} | {base} | {target}", ind.name);
    if let Some(g) = &ind.growth {
        text.push_str(&format!(" | 年均增长 {}", g.text));
    }
    SourceRef {
        document: plan.source.path.clone(),
        line: ind.line,
        text,
    }
}

/// 735 → 1130 over five years implies 9.0% a year; a stated 8% does not reach it.
fn implied_growth(plan: &Plan, values: &[Stated], s: &CheckSettings) -> Vec<Finding> {
    let mut out = Vec::new();
    for ind in &plan.indicators {
        let Some((implied, years)) = implied_rate(ind, plan) else {
            continue;
        };
        let key = Catalogue::builtin().key(&ind.name);
        for stated in values.iter().filter(|v| v.growth && v.key == key) {
            if (stated.value - implied).abs() <= s.growth_tolerance_pp {
                continue;
            }
            let message = format!(
                "{}由基期{}到目标{}（{}年）隐含年均增长{:.1}%，与所写年均增长{}%不一致",
                ind.name,
                ind.baseline
                    .as_ref()
                    .map_or(String::new(), |b| b.text.clone()),
                ind.target
                    .as_ref()
                    .map_or(String::new(), |t| t.text.clone()),
                years,
                implied,
                num(stated.value)
            );
            out.push(finding(
                FindingKind::ImpliedGrowth,
                Severity::Warning,
                &key,
                message,
                indicator_ref(plan, ind),
                stated.at.clone(),
            ));
        }
    }
    out
}

/// The compound annual growth from baseline to target, in percent, and the years between.
fn implied_rate(ind: &Indicator, plan: &Plan) -> Option<(f64, i32)> {
    let b = ind.baseline.as_ref()?;
    let t = ind.target.as_ref().filter(|t| {
        !t.cumulative
            && matches!(
                t.comparator,
                None | Some(Comparator::Eq | Comparator::Approx)
            )
    })?;
    if ind.unit.as_deref().is_some_and(|u| u.contains(['%', '％'])) {
        return None;
    }
    let (x_b, x) = (b.value?, t.value?);
    let end = t.year.or(plan.period.map(|p| p.end))?;
    let start = b.year.or(plan.period.map(|p| p.start - 1))?;
    let years = end - start;
    (x_b > 0.0 && x > 0.0 && years > 0).then(|| {
        (
            ((x / x_b).powf(1.0 / f64::from(years)) - 1.0) * 100.0,
            years,
        )
    })
}

fn table_vs_prose(values: &[Stated], s: &CheckSettings) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in values.iter().filter(|v| v.from_table) {
        for p in values
            .iter()
            .filter(|v| !v.from_table && v.key == t.key && v.growth == t.growth)
        {
            if let Some(message) = conflict(t, p, s, "指标表", "正文") {
                out.push(finding(
                    FindingKind::TableVsProse,
                    Severity::Warning,
                    &t.key,
                    message,
                    t.at.clone(),
                    p.at.clone(),
                ));
            }
        }
    }
    out
}

fn across(a: &Plan, va: &[Stated], b: &Plan, vb: &[Stated], s: &CheckSettings) -> Vec<Finding> {
    let (label_a, label_b) = (doc_label(a), doc_label(b));
    let mut out: Vec<Finding> = Vec::new();
    for x in va {
        for y in vb.iter().filter(|y| y.key == x.key && y.growth == x.growth) {
            if let Some(message) = conflict(x, y, s, label_a, label_b) {
                // The table and the prose often state the same value: report the pair once.
                if out.iter().any(|f| f.message == message && f.second == y.at) {
                    continue;
                }
                out.push(finding(
                    FindingKind::PlanVsReport,
                    Severity::Warning,
                    &x.key,
                    message,
                    x.at.clone(),
                    y.at.clone(),
                ));
            }
        }
    }
    out
}

/// A message when two stated values of one indicator and year disagree.
fn conflict(
    a: &Stated,
    b: &Stated,
    s: &CheckSettings,
    label_a: &str,
    label_b: &str,
) -> Option<String> {
    if a.year != b.year || !units_compatible(a.unit.as_deref(), b.unit.as_deref()) {
        return None;
    }
    let differs = if a.growth {
        (a.value - b.value).abs() > s.growth_tolerance_pp
    } else {
        (a.value - b.value).abs() > s.value_tolerance * a.value.abs().max(b.value.abs())
    };
    if !differs {
        return None;
    }
    let what = match (a.growth, a.year) {
        (true, _) => "年均增长".to_string(),
        (false, Some(y)) => format!("{y}年目标"),
        (false, None) => "目标".to_string(),
    };
    let unit = |v: &Stated| {
        if v.growth {
            "%".to_string()
        } else {
            v.unit.clone().unwrap_or_default()
        }
    };
    Some(format!(
        "{}{what}：{label_a}为{}{}，{label_b}为{}{}",
        a.key,
        num(a.value),
        unit(a),
        num(b.value),
        unit(b)
    ))
}

/// 亿元 and 亿 are the same unit; 万元 and 亿元 are not, so such pairs are not compared.
fn units_compatible(a: Option<&str>, b: Option<&str>) -> bool {
    let norm = |u: &str| {
        let folded: String = u.trim().chars().map(crate::quantity::fold_width).collect();
        folded.trim_end_matches('元').replace('%', "")
    };
    match (a, b) {
        (Some(a), Some(b)) => norm(a) == norm(b),
        _ => true,
    }
}

/// A higher-is-better target below its baseline (or the reverse). A bound (≥93 from 96)
/// is a deliberate floor, reported as information only.
fn wrong_direction(plan: &Plan) -> Vec<Finding> {
    let mut out = Vec::new();
    for ind in &plan.indicators {
        let (Some(b), Some(t)) = (ind.baseline.as_ref(), ind.target.as_ref()) else {
            continue;
        };
        let (Some(x_b), Some(x)) = (b.value, t.value) else {
            continue;
        };
        if t.cumulative || b.cumulative {
            continue;
        }
        let dir = direction_of(&ind.name, &t.text);
        if dir.sign() * (x - x_b) >= 0.0 {
            continue;
        }
        let bound = matches!(
            t.comparator,
            Some(Comparator::Ge | Comparator::Gt | Comparator::Le | Comparator::Lt)
        );
        let severity = if bound {
            Severity::Info
        } else {
            Severity::Warning
        };
        let side = if dir == Direction::Higher {
            "低于"
        } else {
            "高于"
        };
        let message = format!(
            "{}为{}指标，目标{}{side}基期{}{}",
            ind.name,
            dir.label(),
            t.text,
            b.text,
            if bound {
                "（底线型约束，请确认）"
            } else {
                ""
            }
        );
        let base_ref = SourceRef {
            text: format!("{} 基期 {}", ind.name, b.text),
            ..indicator_ref(plan, ind)
        };
        let target_ref = SourceRef {
            text: format!("{} 目标 {}", ind.name, t.text),
            ..indicator_ref(plan, ind)
        };
        out.push(finding(
            FindingKind::WrongDirection,
            severity,
            &Catalogue::builtin().key(&ind.name),
            message,
            base_ref,
            target_ref,
        ));
    }
    out
}

/// Plan baselines against published figures for the base year (2020 税收占比 87 vs 92).
pub fn check_baselines(
    plan: &Plan,
    observations: &[Observation],
    settings: &CheckSettings,
) -> Vec<Finding> {
    let cat = Catalogue::builtin();
    let mut out = Vec::new();
    for ind in &plan.indicators {
        let Some(b) = ind.baseline.as_ref() else {
            continue;
        };
        let (Some(x_b), Some(year)) = (b.value, b.year.or(plan.period.map(|p| p.start - 1))) else {
            continue;
        };
        let key = cat.key(&ind.name);
        for o in observations
            .iter()
            .filter(|o| o.year == year && o.from_year.is_none() && o.kind.is_level())
        {
            let same = cat
                .find(&o.indicator)
                .is_some_and(|m| m.measure == NameMeasure::Level && m.entry.name == key)
                || cat.key(&o.indicator) == key;
            if !same
                || (o.value - x_b).abs() <= settings.value_tolerance * o.value.abs().max(x_b.abs())
            {
                continue;
            }
            let message = format!(
                "{}{year}年基期值：规划为{}，公布数据为{}",
                key,
                b.text,
                num(o.value)
            );
            let second = SourceRef {
                document: o.reference.clone().unwrap_or_else(|| "观测数据".into()),
                line: 0,
                text: format!(
                    "{} {year} {}{}",
                    o.indicator,
                    num(o.value),
                    o.unit.clone().unwrap_or_default()
                ),
            };
            out.push(finding(
                FindingKind::BaselineVsObservation,
                Severity::Warning,
                &key,
                message,
                indicator_ref(plan, ind),
                second,
            ));
        }
    }
    out
}

/// A plan's baselines against the figures a document reports for the base year
/// (plan: 2020 税收占比 87; the 2021 work report's review: 税收占比达92%).
fn baselines_vs_figures(plan: &Plan, other: &Plan, same: bool, s: &CheckSettings) -> Vec<Finding> {
    let cat = Catalogue::builtin();
    let mut out = Vec::new();
    for ind in &plan.indicators {
        let Some(base) = ind.baseline.as_ref().filter(|b| !b.cumulative) else {
            continue;
        };
        let (Some(year), Some(value)) = (base.year, base.value) else {
            continue;
        };
        let key = cat.key(&ind.name);
        for f in other
            .figures
            .iter()
            .filter(|f| f.indicator == key && f.year == year)
        {
            let close =
                (f.value - value).abs() <= s.value_tolerance * f.value.abs().max(value.abs());
            if close || !units_compatible(ind.unit.as_deref(), Some(&f.unit)) {
                continue;
            }
            let where_else = if same {
                "规划正文回顾"
            } else {
                doc_label(other)
            };
            let unit = ind.unit.clone().unwrap_or_default();
            let message = format!(
                "{key}{year}年基期值：{}为{}{unit}，{where_else}为{}{}",
                doc_label(plan),
                num(value),
                num(f.value),
                f.unit
            );
            let second = SourceRef {
                document: other.source.path.clone(),
                line: f.line,
                text: f.text.clone(),
            };
            out.push(finding(
                FindingKind::BaselineVsReport,
                Severity::Warning,
                &key,
                message,
                indicator_ref(plan, ind),
                second,
            ));
        }
    }
    out
}

fn finding(
    kind: FindingKind,
    severity: Severity,
    key: &str,
    message: String,
    first: SourceRef,
    second: SourceRef,
) -> Finding {
    Finding {
        kind,
        severity,
        indicator: key.to_string(),
        message,
        first,
        second,
    }
}

fn same_region(a: &Plan, b: &Plan) -> bool {
    match (&a.region, &b.region) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

/// Only a plan compared with a work report or an annual plan (or documents of unknown type).
fn plan_and_report(a: &Plan, b: &Plan) -> bool {
    let report = |d: DocType| {
        matches!(
            d,
            DocType::WorkReport | DocType::AnnualPlan | DocType::Unknown
        )
    };
    let outline = |d: DocType| matches!(d, DocType::PlanOutline | DocType::Unknown);
    (outline(a.doc_type) && report(b.doc_type)) || (report(a.doc_type) && outline(b.doc_type))
}

fn doc_label(plan: &Plan) -> &'static str {
    match plan.doc_type {
        DocType::PlanOutline => "规划纲要",
        DocType::WorkReport => "政府工作报告",
        DocType::AnnualPlan => "年度计划",
        DocType::StatisticalBulletin => "统计公报",
        DocType::Unknown => "文件",
    }
}

mod alignment;
mod succession;
pub use alignment::check_alignment;
pub use succession::{check_succession, check_successions, follows};

#[cfg(test)]
mod tests;
