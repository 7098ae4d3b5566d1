//! The evaluation engine (design §3): targets, observations, status, records and roll-ups.
//!
//! Start at [`evaluate`]: one [`Target`], the [`Observation`]s of its indicator and an
//! [`EvalContext`] give an [`Evaluation`] with its category, figures, calculation record
//! and a one-sentence explanation. Nothing here does IO.
//!
//! An evaluation whose latest data point is the target year is a final evaluation
//! (总结评估): its categories are 已实现 / 基本实现 / 未实现 (see `docs/evaluation.md`).

pub mod annual;
mod bound;
pub mod build;
mod cumulative;
mod growth;
pub mod input;
mod level;
pub mod observation;
pub mod period;
pub mod plan;
pub mod record;
pub mod relation;
pub mod rollup;
pub mod status;
pub mod target;
mod yearly;

pub use annual::{AnnualCheck, AnnualTarget, check_annual_target};
pub use build::{target_from_indicator, target_from_prose, targets_from_plan};
pub use observation::{Observation, ObservationKind, SourceKind};
pub use plan::{PlanEvaluation, evaluate_plan};
pub use record::CalcRecord;
pub use rollup::{RollUp, roll_up, roll_up_by};
pub use status::{Category, EvalContext, Evaluation, Figures, Thresholds, Warning};
pub use target::{Direction, Measure, Scale, Target, TargetType};

use crate::validate;
use bound::{Bound, Side};
use observation::{Window, select};
use status::{Outcome, warning_for};

/// Evaluate one target against the observations of its indicator.
///
/// Never panics and never fails: missing or unusable data gives 数据不足 with the reason.
pub fn evaluate(target: &Target, observations: &[Observation], ctx: &EvalContext) -> Evaluation {
    finish(target, outcome(target, observations, ctx), ctx)
}

/// An outcome with its warning and the run's settings recorded.
pub(crate) fn finish(target: &Target, outcome: Outcome, ctx: &EvalContext) -> Evaluation {
    let warning = warning_for(
        target.binding,
        outcome.category,
        &outcome.figures,
        &ctx.thresholds,
    );
    let mut record = outcome.record;
    if let Some(as_of) = &ctx.as_of {
        record.input("数据发布截止日期", as_of.clone());
    }
    record.input("评估年份", ctx.year.to_string());
    Evaluation {
        indicator: target.indicator.clone(),
        target_type: target.target_type.label().to_string(),
        binding: target.binding,
        group: target.group.clone(),
        category: outcome.category,
        warning,
        figures: outcome.figures,
        record,
        explanation: outcome.explanation,
    }
}

fn outcome(target: &Target, obs: &[Observation], ctx: &EvalContext) -> Outcome {
    let name = target.indicator.as_str();
    let rec = CalcRecord::new(target.target_type.label());
    // Spans are walked year by year: years outside the sane range (a stored value from
    // before validation, or a typo) are a data problem to report, not a span to walk.
    // A year of 0 is one the document did not state.
    let insane = |y: i32| y != 0 && !validate::year_ok(y.into());
    if insane(target.base_year) || insane(target.target_year) {
        return Outcome::insufficient(
            rec,
            name,
            &format!(
                "基期或目标年份（{}—{}）不在{}—{}年之间，请更正",
                target.base_year,
                target.target_year,
                validate::FIRST_YEAR,
                validate::LAST_YEAR
            ),
        );
    }
    if !target.has_period() {
        return Outcome::insufficient(rec, name, "文件未写明该指标的基期和目标年份");
    }
    if target.target_year <= target.base_year {
        return Outcome::insufficient(rec, name, "目标年份不晚于基期年份");
    }
    if ctx.year <= target.base_year {
        return Outcome::insufficient(
            rec,
            name,
            &format!("评估年份{}不晚于基期{}", ctx.year, target.base_year),
        );
    }
    let w = Window {
        base_year: target.base_year,
        last_year: ctx.year.min(target.target_year),
        as_of: ctx.as_of.clone(),
    };
    let th = &ctx.thresholds;
    match &target.target_type {
        TargetType::Level {
            value,
            scale,
            approx,
        } => level::evaluate(target, *value, *scale, *approx, obs, &w, th),
        TargetType::GrowthRate { rate, approx } => {
            growth::evaluate(target, *rate, *approx, obs, &w, th)
        }
        TargetType::CumulativeReduction { percent } => {
            cumulative::reduction(target, *percent, obs, &w, th)
        }
        TargetType::CumulativeFlow { total } => cumulative::flow(target, *total, obs, &w, th),
        TargetType::LevelChange { delta } => level_change(target, *delta, obs, &w, th),
        TargetType::Ceiling {
            limit,
            strict,
            measure,
        } => {
            let b = Bound {
                side: Side::Ceiling,
                limit: *limit,
                strict: *strict,
                measure: *measure,
            };
            bound_or_reach(target, &b, obs, &w, th)
        }
        TargetType::Floor {
            limit,
            strict,
            measure,
        } => {
            let b = Bound {
                side: Side::Floor,
                limit: *limit,
                strict: *strict,
                measure: *measure,
            };
            bound_or_reach(target, &b, obs, &w, th)
        }
        TargetType::Range { low, high, measure } => {
            range(target, *low, *high, *measure, obs, &w, th)
        }
        TargetType::Relational { relation } => qualitative(
            target,
            rec,
            &format!("关联目标“{relation}”需对照相关指标判断"),
        ),
        TargetType::PerYear { text } => qualitative(
            target,
            rec,
            &format!("“{text}”需对照各年度目标判断，尚未取得年度目标"),
        ),
        TargetType::Qualitative { text } => qualitative(
            target,
            rec,
            &format!("定性目标“{text}”需依据工作进展材料判断"),
        ),
    }
}

/// A bound with no baseline in the plan (粮食综合生产能力 >6.5, 能源综合生产能力 >46 in
/// the 2025 column) is read like one with a baseline: held already in the base year, it
/// is a bound to keep every year; not yet held, a level to reach by the target year.
fn bound_or_reach(
    target: &Target,
    b: &Bound,
    obs: &[Observation],
    w: &Window,
    th: &Thresholds,
) -> Outcome {
    let base = (target.baseline.is_none() && b.measure == Measure::Level)
        .then(|| select(obs, &[ObservationKind::Level, ObservationKind::Share], w))
        .and_then(|levels| levels.get(target.base_year));
    match base {
        Some(x_b) if !b.holds(x_b) => {
            let scale = build::scale_of(&target.indicator, target.unit.as_deref());
            let mut out = level::evaluate(target, b.limit, scale, false, obs, w, th);
            out.record.note(format!(
                "{}年观测值{}未守住{}{}，按到{}年达到该值的水平目标评估",
                target.base_year,
                record::num(x_b),
                b.side.label(),
                record::num(b.limit),
                target.target_year
            ));
            out
        }
        _ => bound::evaluate(target, b, obs, w, th),
    }
}

/// 〔1〕 on a level: the target is x_b + delta, with x_b from the plan or the base-year figure.
fn level_change(
    target: &Target,
    delta: f64,
    obs: &[Observation],
    w: &Window,
    th: &Thresholds,
) -> Outcome {
    let levels = select(obs, &[ObservationKind::Level, ObservationKind::Share], w);
    let Some(x_b) = target.baseline.or_else(|| levels.get(target.base_year)) else {
        let rec = CalcRecord::new(target.target_type.label());
        return Outcome::insufficient(
            rec,
            &target.indicator,
            &format!("缺少{}年基期值，无法换算五年累计变动目标", target.base_year),
        );
    };
    let x = x_b + delta;
    let scale = build::scale_of(&target.indicator, target.unit.as_deref());
    let as_level = Target {
        baseline: Some(x_b),
        ..target.clone()
    };
    let mut out = level::evaluate(&as_level, x, scale, false, obs, w, th);
    out.record.note(format!(
        "五年累计变动目标{}：目标值 = 基期值{} + {} = {}",
        target.text,
        record::num(x_b),
        record::num(delta),
        record::num(x)
    ));
    out
}

/// A range is a level target toward its near end when a baseline is known
/// (3~5家 from 1 counts progress toward 3); without one it is a bound on that end.
fn range(
    target: &Target,
    low: f64,
    high: f64,
    measure: Measure,
    obs: &[Observation],
    w: &Window,
    th: &Thresholds,
) -> Outcome {
    let near = match target.direction {
        Direction::Higher => low,
        Direction::Lower => high,
    };
    let levels = select(obs, &[ObservationKind::Level, ObservationKind::Share], w);
    let has_baseline = target.baseline.is_some() || levels.get(target.base_year).is_some();
    let mut out = if measure == Measure::Level && has_baseline {
        level::evaluate(target, near, Scale::Linear, false, obs, w, th)
    } else {
        let side = if target.direction == Direction::Higher {
            Side::Floor
        } else {
            Side::Ceiling
        };
        bound::evaluate(
            target,
            &Bound {
                side,
                limit: near,
                strict: false,
                measure,
            },
            obs,
            w,
            th,
        )
    };
    out.record.note(format!(
        "区间目标{}~{}，按{}端{}评估",
        record::num(low),
        record::num(high),
        if near == low { "下" } else { "上" },
        record::num(near)
    ));
    out
}

fn qualitative(target: &Target, mut rec: CalcRecord, reason: &str) -> Outcome {
    rec.note(reason);
    Outcome {
        category: Category::Qualitative,
        figures: Figures::default(),
        record: rec,
        explanation: format!("{}：{reason}，属于定性评估。", target.indicator),
    }
}

#[cfg(test)]
mod final_tests;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod table_tests;
#[cfg(test)]
mod tests;
