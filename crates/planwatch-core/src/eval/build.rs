//! Targets from parsed plans: table indicators and prose targets become [`Target`]s
//! of the right type, with direction and path shape from the catalogue.

use crate::catalogue::Catalogue;
use crate::plan::{
    Attribute, DocType, Indicator, Period, Plan, ProseTarget, TargetKind, ValueCell,
};
use crate::quantity::{Comparator, parse_value};

use super::target::{Direction, Measure, Scale, Target, TargetType, infer_direction, infer_scale};

/// Words that make a percentage a reduction (能耗降低, 排放减少).
const REDUCTION_WORDS: &[&str] = &["降低", "下降", "降幅", "减少", "削减", "减排"];
/// Words that make a value a growth rate (地区生产总值增长, 10.4%(年均)).
const GROWTH_WORDS: &[&str] = &["增长", "增速", "增幅", "涨幅", "年均"];
/// Words of a relation to another indicator.
const RELATION_WORDS: &[&str] = &["同步", "高于全市", "高于全省", "快于", "与经济增长"];
/// Verbs that ask to reach a value (a level target) rather than to stay beyond it (a bound).
const REACH_WORDS: &[&str] = &[
    "达到",
    "提高到",
    "提升到",
    "增加到",
    "增长到",
    "突破",
    "降至",
    "降到",
    "下降到",
    "减少到",
];

/// Build the target of a table indicator, with the period taken from its cells (default 2020→2025).
pub fn target_from_indicator(ind: &Indicator) -> Target {
    target_from_indicator_in(ind, None)
}

/// Build the target of a table indicator; `period` fills years the cells do not state.
pub fn target_from_indicator_in(ind: &Indicator, period: Option<Period>) -> Target {
    let cell = ind.target.clone().unwrap_or_default();
    let target_year = cell.year.or(period.map(|p| p.end)).unwrap_or(2025);
    let base_year = ind
        .baseline
        .as_ref()
        .and_then(|b| b.year)
        .or(period.map(|p| p.start - 1))
        .unwrap_or(target_year - 5);
    let baseline = ind.baseline.as_ref().and_then(|b| b.value);
    let unit = ind.unit.as_deref();
    let direction = direction_of(&ind.name, &cell.text);
    let target_type = indicator_type(ind, &cell, baseline, scale_of(&ind.name, unit));
    Target {
        indicator: ind.name.clone(),
        unit: ind.unit.clone(),
        direction: bound_direction(&target_type).unwrap_or(direction),
        target_type,
        binding: ind.attribute == Some(Attribute::Binding),
        base_year,
        target_year,
        baseline,
        text: display_text(ind, &cell),
        line: Some(ind.line),
        group: ind.category.as_deref().map(clean_group),
    }
}

fn display_text(ind: &Indicator, cell: &ValueCell) -> String {
    match (&ind.growth, cell.value) {
        (Some(g), None) if !g.text.is_empty() => format!("年均增长{}", g.text),
        _ => cell.text.clone(),
    }
}

/// Direction from the catalogue, else from the wording.
pub fn direction_of(name: &str, target_text: &str) -> Direction {
    match Catalogue::builtin().find(name) {
        Some(m) => m.entry.direction,
        None => infer_direction(name, target_text),
    }
}

/// Path shape: a percentage is always linear; else the catalogue; else the wording.
fn scale_of(name: &str, unit: Option<&str>) -> Scale {
    if unit.is_some_and(|u| u.contains(['%', '％'])) {
        return Scale::Linear;
    }
    match Catalogue::builtin().find(name) {
        Some(m) => m.entry.scale,
        None => infer_scale(name, unit),
    }
}

/// A ceiling is about lower values and a floor about higher ones, whatever the name says.
fn bound_direction(t: &TargetType) -> Option<Direction> {
    match t {
        TargetType::Ceiling { .. } => Some(Direction::Lower),
        TargetType::Floor { .. } => Some(Direction::Higher),
        _ => None,
    }
}

fn indicator_type(
    ind: &Indicator,
    cell: &ValueCell,
    baseline: Option<f64>,
    scale: Scale,
) -> TargetType {
    let name = ind.name.as_str();
    let Some(value) = cell.value else {
        return without_number(ind, cell);
    };
    let percent = ind.unit.as_deref().is_some_and(|u| u.contains(['%', '％']))
        || cell.text.contains(['%', '％']);
    if cell.cumulative || (has_any(name, REDUCTION_WORDS) && percent) {
        return cumulative(name, value);
    }
    let measure = measure_of(name);
    if measure == Measure::GrowthRate || cell.text.contains("年均") {
        return TargetType::GrowthRate {
            rate: value,
            approx: cell.comparator == Some(Comparator::Approx),
        };
    }
    by_comparator(
        cell.comparator,
        value,
        upper(&cell.text),
        baseline,
        scale,
        measure,
        false,
    )
}

/// A target cell without a number: the growth column, a relation, or a qualitative target.
fn without_number(ind: &Indicator, cell: &ValueCell) -> TargetType {
    if let Some(g) = ind.growth.as_ref().and_then(|g| g.value.map(|v| (v, g))) {
        let (rate, growth) = g;
        if growth.cumulative {
            return cumulative(&ind.name, rate);
        }
        return TargetType::GrowthRate {
            rate,
            approx: growth.text.contains("左右"),
        };
    }
    let text = cell.text.trim();
    if has_any(text, RELATION_WORDS) {
        return TargetType::Relational {
            relation: text.to_string(),
        };
    }
    let text = if text.is_empty() || is_dash(text) {
        "未给出目标值"
    } else {
        text
    };
    TargetType::Qualitative {
        text: text.to_string(),
    }
}

fn is_dash(text: &str) -> bool {
    text.chars()
        .all(|c| matches!(c, '—' | '-' | '–' | '/' | '、' | ' '))
}

/// A cumulative value is a reduction when the name says so or the indicator is
/// lower-is-better (单位GDP能耗 with a growth column `[13.5]`), else a sum of flows.
fn cumulative(name: &str, value: f64) -> TargetType {
    if has_any(name, REDUCTION_WORDS) || direction_of(name, "") == Direction::Lower {
        TargetType::CumulativeReduction { percent: value }
    } else {
        TargetType::CumulativeFlow { total: value }
    }
}

fn measure_of(name: &str) -> Measure {
    if has_any(name, GROWTH_WORDS) {
        Measure::GrowthRate
    } else {
        Measure::Level
    }
}

fn upper(text: &str) -> Option<f64> {
    parse_value(text).upper
}

/// The target type a comparator implies. A bound the baseline already respects is a
/// bound (≤5以内 from 5); a bound still to be reached is a level target toward it.
#[allow(clippy::too_many_arguments)]
fn by_comparator(
    cmp: Option<Comparator>,
    value: f64,
    upper: Option<f64>,
    baseline: Option<f64>,
    scale: Scale,
    measure: Measure,
    reach: bool,
) -> TargetType {
    let level = |approx| TargetType::Level {
        value,
        scale,
        approx,
    };
    match cmp {
        Some(Comparator::Range) => TargetType::Range {
            low: value,
            high: upper.unwrap_or(value),
            measure,
        },
        Some(Comparator::Approx) if measure == Measure::GrowthRate => TargetType::GrowthRate {
            rate: value,
            approx: true,
        },
        Some(Comparator::Approx) => level(true),
        Some(c @ (Comparator::Le | Comparator::Lt)) => {
            let holds = baseline.is_none_or(|b| b <= value);
            if holds && !reach {
                TargetType::Ceiling {
                    limit: value,
                    strict: c == Comparator::Lt,
                    measure,
                }
            } else {
                level(false)
            }
        }
        Some(c @ (Comparator::Ge | Comparator::Gt)) => {
            let holds = baseline.is_none_or(|b| b >= value);
            if holds && !reach {
                TargetType::Floor {
                    limit: value,
                    strict: c == Comparator::Gt,
                    measure,
                }
            } else {
                level(false)
            }
        }
        Some(Comparator::Eq) | None => level(false),
    }
}

/// Build the target of a quantified statement in running text.
pub fn target_from_prose(pt: &ProseTarget, period: Option<Period>) -> Target {
    let target_year = pt.year.or(period.map(|p| p.end)).unwrap_or(2025);
    let base_year = period.map(|p| p.start - 1).unwrap_or(target_year - 5);
    let direction = direction_of(&pt.indicator, &pt.text);
    let scale = scale_of(&pt.indicator, pt.unit.as_deref());
    let target_type = prose_type(pt, scale);
    Target {
        indicator: pt.indicator.clone(),
        unit: pt.unit.clone(),
        direction: bound_direction(&target_type).unwrap_or(direction),
        target_type,
        binding: false,
        base_year,
        target_year,
        baseline: None,
        text: pt.text.clone(),
        line: Some(pt.line),
        group: None,
    }
}

fn prose_type(pt: &ProseTarget, scale: Scale) -> TargetType {
    let reach = has_any(&pt.text, REACH_WORDS);
    match pt.kind {
        TargetKind::GrowthRate => match pt.comparator {
            Some(Comparator::Le | Comparator::Lt) => TargetType::Ceiling {
                limit: pt.value,
                strict: false,
                measure: Measure::GrowthRate,
            },
            c => TargetType::GrowthRate {
                rate: pt.value,
                approx: c == Some(Comparator::Approx),
            },
        },
        TargetKind::Cumulative => cumulative(&format!("{}{}", pt.indicator, pt.text), pt.value),
        _ => {
            let upper = upper(&pt.text);
            by_comparator(
                pt.comparator,
                pt.value,
                upper,
                None,
                scale,
                measure_of(&pt.indicator),
                reach,
            )
        }
    }
}

/// All targets of a plan: table indicators first, then prose targets for indicators
/// the table does not have. Work reports contribute only targets for the plan's last year.
pub fn targets_from_plan(plan: &Plan) -> Vec<Target> {
    let cat = Catalogue::builtin();
    let mut out: Vec<Target> = plan
        .indicators
        .iter()
        .map(|i| target_from_indicator_in(i, plan.period))
        .collect();
    let mut seen: Vec<String> = out.iter().map(|t| cat.key(&t.indicator)).collect();
    let end = plan.period.map(|p| p.end);
    for pt in &plan.targets {
        let five_year = match plan.doc_type {
            DocType::WorkReport | DocType::AnnualPlan => pt.year.is_some() && pt.year == end,
            _ => pt.year.is_none() || pt.year == end || end.is_none(),
        };
        let key = cat.key(&pt.indicator);
        if !five_year || key.is_empty() || seen.contains(&key) {
            continue;
        }
        seen.push(key);
        out.push(target_from_prose(pt, plan.period));
    }
    out
}

/// `一、经济更加发展(8项)` → `经济更加发展`.
pub fn clean_group(category: &str) -> String {
    let s = category.trim();
    let s = match s.find('、') {
        Some(i)
            if s[..i]
                .chars()
                .all(|c| "一二三四五六七八九十0123456789".contains(c)) =>
        {
            &s[i + '、'.len_utf8()..]
        }
        _ => s,
    };
    let s = strip_count_suffix(s);
    s.trim().to_string()
}

fn strip_count_suffix(s: &str) -> &str {
    let t = s.trim_end();
    if !(t.ends_with("项)") || t.ends_with("项)")) {
        return t;
    }
    match t.rfind(['(', '(']) {
        Some(i) => &t[..i],
        None => t,
    }
}

fn has_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

#[cfg(test)]
mod tests;
