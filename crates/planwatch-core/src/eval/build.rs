//! Targets from parsed plans: table indicators and prose targets become [`Target`]s
//! of the right type, with direction and path shape from the catalogue and the years
//! the document gives (see [`super::period`]; there is no default year).
//!
//! Table semantics, by where a value stands:
//! - the target column: a level (`410`), a bound (`≥93`, `≤0.03`), a growth rate
//!   (`10.4%(年均)`), or a five-year cumulative value (`〔1.5〕`);
//! - an annual, cumulative or 年均/累计 column: `〔13.5〕`/`[13.5]` is cumulative, `<5.5`
//!   on a level indicator is a yearly ceiling, `>7` on a growth indicator an average
//!   growth of at least 7%, `7.5左右` an average growth;
//! - a cumulative value on a state (人均预期寿命〔1〕) is a change of its level, on a
//!   reduction (能耗降低〔13.5〕) a compound cut, on a flow (新增就业〔1.5〕) a sum;
//! - text: a relation (高于GDP增长, 与GDP增长基本同步), a target set year by year
//!   (保持在合理区间、各年度视情提出), or a qualitative target (完成市下达任务);
//! - a bracketed baseline (`〔16.2〕`) is the last plan's cumulative result, not a level.

use crate::catalogue::Catalogue;
use crate::plan::{
    Attribute, ColumnRole, DocType, GrowthCell, Indicator, Plan, ProseTarget, TargetKind, ValueCell,
};
use crate::quantity::{Comparator, parse_value};

use super::period::{Years, indicator_years, plan_years, reconciled, table_of};
use super::target::{Direction, Measure, Scale, Target, TargetType, infer_direction, infer_scale};

/// Words that make a percentage a reduction (能耗降低, 排放减少).
const REDUCTION_WORDS: &[&str] = &["降低", "下降", "降幅", "减少", "削减", "减排"];
/// Words that make a value a growth rate (地区生产总值增长, 10.4%(年均)).
const GROWTH_WORDS: &[&str] = &["增长", "增速", "增幅", "涨幅", "年均"];
/// Words of a relation to another indicator (read in full by [`super::relation::parse`]).
const RELATION_WORDS: &[&str] = &["同步", "高于", "快于", "不低于", "不慢于"];
/// Words of a target that is set year by year (各年度视情提出).
const PER_YEAR_WORDS: &[&str] = &["各年度", "年度视情", "逐年确定", "每年视情"];
/// Words of a cumulative amount that is a sum of yearly flows (新增就业〔1.5〕).
const FLOW_WORDS: &[&str] = &[
    "新增",
    "累计",
    "新建",
    "新改建",
    "完成",
    "造林",
    "引进",
    "培训",
    "转移",
    "改造",
];
/// Verbs besides [`FLOW_WORDS`] that open the name of something to build or do over
/// the period (建设乡镇污水处理设施14座, 打造示范街6条): with those, the target is the
/// amount done, a sum of yearly amounts, not a level with a baseline.
const WORK_VERBS: &[&str] = &[
    "新造",
    "新开工",
    "建设",
    "建成",
    "提质改造",
    "实施",
    "培育",
    "创建",
    "打造",
    "修复",
];
/// Words and units of a state whose cumulative value is a change of level (寿命〔1〕).
const STATE_WORDS: &[&str] = &[
    "寿命",
    "年限",
    "率",
    "比重",
    "比例",
    "覆盖",
    "保有量",
    "蓄积量",
    "面积",
];
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

/// Build the target of a table indicator over `years` (see [`indicator_years`]); a
/// target without both years gets 0 for them and evaluates as 数据不足.
pub fn target_from_indicator(ind: &Indicator, years: Years) -> Target {
    let (base_year, target_year) = years.both().unwrap_or((0, 0));
    let cell = ind.target.clone().unwrap_or_default();
    // A bracketed baseline (〔16.2〕) is the last plan's cumulative result, not a level.
    let baseline = ind
        .baseline
        .as_ref()
        .filter(|b| !b.cumulative)
        .and_then(|b| b.value);
    let unit = ind.unit.as_deref();
    let text = display_text(ind, &cell);
    let target_type = indicator_type(ind, &cell, baseline, scale_of(&ind.name, unit));
    Target {
        indicator: own_name(ind),
        unit: ind.unit.clone(),
        direction: bound_direction(&target_type).unwrap_or_else(|| direction_of(&ind.name, &text)),
        target_type,
        binding: ind.attribute == Some(Attribute::Binding),
        base_year,
        target_year,
        baseline,
        text,
        line: Some(ind.line),
        group: ind.category.as_deref().map(clean_group),
        parent: ind.parent.clone(),
    }
}

/// The target as the plan writes it: the target cell, else the annual or cumulative cell.
fn display_text(ind: &Indicator, cell: &ValueCell) -> String {
    if cell.value.is_some() || !is_blank(&cell.text) {
        return cell.text.clone();
    }
    match &ind.growth {
        Some(g) if is_blank(&g.text) => "—".to_string(),
        Some(g) if g.value.is_some() && !is_cumulative(g) && comparator_of(g).is_none() => {
            if g.text.contains("年均") {
                g.text.clone()
            } else {
                format!("年均增长{}", g.text)
            }
        }
        Some(g) => g.text.clone(),
        None => "—".to_string(),
    }
}

fn is_blank(text: &str) -> bool {
    text.trim().is_empty() || is_dash(text.trim())
}

/// Direction from the catalogue, else from the wording.
pub fn direction_of(name: &str, target_text: &str) -> Direction {
    match Catalogue::builtin().find(name) {
        Some(m) => m.entry.direction,
        None => infer_direction(name, target_text),
    }
}

/// Path shape: a percentage is always linear; else the catalogue; else the wording.
pub(crate) fn scale_of(name: &str, unit: Option<&str>) -> Scale {
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
    if let Some(value) = cell.value {
        return from_target_cell(ind, cell, value, baseline, scale);
    }
    if let Some((value, g)) = ind.growth.as_ref().and_then(|g| g.value.map(|v| (v, g))) {
        return from_growth_cell(ind, g, value);
    }
    without_number(ind, cell)
}

/// A number in the target column.
fn from_target_cell(
    ind: &Indicator,
    cell: &ValueCell,
    value: f64,
    baseline: Option<f64>,
    scale: Scale,
) -> TargetType {
    let name = ind.name.as_str();
    let percent = ind.unit.as_deref().is_some_and(|u| u.contains(['%', '％']))
        || cell.text.contains(['%', '％']);
    if cell.cumulative {
        return cumulative(&family_name(ind), ind.unit.as_deref(), value);
    }
    if has_any(name, REDUCTION_WORDS) && percent {
        return TargetType::CumulativeReduction { percent: value };
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

/// A number in an annual (年均), cumulative (累计) or 年均/累计 column.
fn from_growth_cell(ind: &Indicator, g: &GrowthCell, value: f64) -> TargetType {
    if is_cumulative(g) {
        return cumulative(&family_name(ind), ind.unit.as_deref(), value);
    }
    let growth_name = measure_of(&ind.name) == Measure::GrowthRate;
    let measure = if growth_name {
        Measure::GrowthRate
    } else {
        Measure::Level
    };
    match comparator_of(g) {
        // <5.5 on 城镇调查失业率 is a ceiling on each year's level; on 居民消费价格涨幅
        // a ceiling on each year's rate.
        Some(c @ (Comparator::Le | Comparator::Lt)) => TargetType::Ceiling {
            limit: value,
            strict: c == Comparator::Lt,
            measure,
        },
        Some(c @ (Comparator::Ge | Comparator::Gt)) if !growth_name => TargetType::Floor {
            limit: value,
            strict: c == Comparator::Gt,
            measure,
        },
        Some(Comparator::Range) => TargetType::Range {
            low: value,
            high: upper(&g.text).unwrap_or(value),
            measure: Measure::GrowthRate,
        },
        // >7 on 研发经费投入增长: an average growth of at least 7%.
        c => TargetType::GrowthRate {
            rate: value,
            approx: c == Some(Comparator::Approx) || g.text.contains("左右"),
        },
    }
}

/// A sub-indicator's own name: `主要污染物排放总量减少:化学需氧量` under its parent is
/// 化学需氧量, the name its data is published under.
fn own_name(ind: &Indicator) -> String {
    let Some(parent) = ind.parent.as_deref() else {
        return ind.name.clone();
    };
    ind.name
        .strip_prefix(parent)
        .map(|rest| rest.trim_start_matches([':', '\u{FF1A}', '—', '-', ' ']))
        .map(|rest| rest.strip_prefix("其中").unwrap_or(rest))
        .map(|rest| rest.trim_start_matches([':', '\u{FF1A}']))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(&ind.name)
        .to_string()
}

/// A sub-indicator's name read with its parent's (化学需氧量 under 主要污染物排放总量减少 is a
/// reduction).
fn family_name(ind: &Indicator) -> String {
    match &ind.parent {
        Some(p) => format!("{p}{}", ind.name),
        None => ind.name.clone(),
    }
}

/// Cumulative when bracketed or in a 累计 column.
fn is_cumulative(g: &GrowthCell) -> bool {
    g.cumulative || g.column == Some(ColumnRole::Cumulative) || parse_value(&g.text).cumulative
}

/// The comparator of an annual cell, as the parser gave it or as its text says.
fn comparator_of(g: &GrowthCell) -> Option<Comparator> {
    g.comparator.or_else(|| parse_value(&g.text).comparator)
}

/// A cell without a number, in the target column or the annual column: a relation,
/// a target set year by year, or a qualitative target.
fn without_number(ind: &Indicator, cell: &ValueCell) -> TargetType {
    let texts = [
        Some(cell.text.trim()),
        ind.growth.as_ref().map(|g| g.text.trim()),
    ];
    let written: Vec<&str> = texts
        .into_iter()
        .flatten()
        .filter(|t| !is_blank(t))
        .collect();
    if let Some(t) = written.iter().find(|t| has_any(t, RELATION_WORDS)) {
        return TargetType::Relational {
            relation: t.to_string(),
        };
    }
    if let Some(t) = written.iter().find(|t| has_any(t, PER_YEAR_WORDS)) {
        return TargetType::PerYear {
            text: t.to_string(),
        };
    }
    TargetType::Qualitative {
        text: written.first().unwrap_or(&"未给出目标值").to_string(),
    }
}

fn is_dash(text: &str) -> bool {
    text.chars()
        .all(|c| matches!(c, '—' | '-' | '–' | '/' | '、' | ' '))
}

/// What a five-year cumulative value means: a compound cut for a reduction or a
/// lower-is-better indicator (单位GDP能耗〔13.5〕); a sum for a flow (新增就业〔1.5〕);
/// a change of level for a state, named so or in a state unit (人均预期寿命〔1〕, 岁);
/// else a sum (粮食产量〔250〕 is five years' output, whatever the baseline).
fn cumulative(name: &str, unit: Option<&str>, value: f64) -> TargetType {
    if has_any(name, REDUCTION_WORDS) || direction_of(name, "") == Direction::Lower {
        return TargetType::CumulativeReduction { percent: value };
    }
    if has_any(name, FLOW_WORDS) {
        return TargetType::CumulativeFlow { total: value };
    }
    let state_unit = unit.is_some_and(|u| matches!(u.trim(), "岁" | "年" | "‰"));
    if state_unit || has_any(name, STATE_WORDS) {
        return TargetType::LevelChange { delta: value };
    }
    TargetType::CumulativeFlow { total: value }
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

/// Build the target of a quantified statement in running text over the plan's years.
pub fn target_from_prose(pt: &ProseTarget, years: Years) -> Target {
    let years = Years {
        target: pt.year.or(years.target),
        base: years.base,
    };
    let (base_year, target_year) = match (years.base, years.target) {
        (Some(b), Some(t)) if t > b => (b, t),
        // A prose target for a year the plan's span does not reach: five years before it.
        (_, Some(t)) => (t - 5, t),
        _ => (0, 0),
    };
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
        parent: None,
    }
}

fn prose_type(pt: &ProseTarget, scale: Scale) -> TargetType {
    let reach = has_any(&pt.text, REACH_WORDS);
    if is_work_to_do(pt, reach) {
        return TargetType::CumulativeFlow { total: pt.value };
    }
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
        TargetKind::Cumulative => cumulative(
            &format!("{}{}", pt.indicator, pt.text),
            pt.unit.as_deref(),
            pt.value,
        ),
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

/// 新建水厂2座, 改造老旧小区120个: an amount of work over the period, named by its verb,
/// not a level reached (县城建成区面积达到30平方公里) nor a rate.
fn is_work_to_do(pt: &ProseTarget, reach: bool) -> bool {
    let name = pt.indicator.trim();
    matches!(
        pt.kind,
        TargetKind::Count | TargetKind::Level | TargetKind::Other
    ) && !reach
        && pt.unit.as_deref().is_none_or(|u| !u.contains('%'))
        && FLOW_WORDS
            .iter()
            .chain(WORK_VERBS)
            .any(|v| name.starts_with(v))
}

/// All targets of a plan: table indicators first, then prose targets for indicators
/// the table does not have. Work reports contribute only targets for the plan's last year.
/// Years come from the document (see [`super::period`]).
pub fn targets_from_plan(plan: &Plan) -> Vec<Target> {
    let cat = Catalogue::builtin();
    let years = plan_years(plan);
    let mut out: Vec<Target> = plan
        .indicators
        .iter()
        .map(|i| {
            let i = reconciled(i, years);
            target_from_indicator(&i, indicator_years(&i, table_of(plan, i.line), years))
        })
        .collect();
    let mut seen: Vec<String> = out.iter().map(|t| cat.key(&t.indicator)).collect();
    let end = years.target;
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
        out.push(target_from_prose(pt, years));
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
