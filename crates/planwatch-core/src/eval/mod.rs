//! The evaluation engine (design §3): targets, observations, status, records and roll-ups.
//!
//! Start at [`evaluate`]: one [`Target`], the [`Observation`]s of its indicator and an
//! [`EvalContext`] give an [`Evaluation`] with its category, figures, calculation record
//! and a one-sentence explanation. Nothing here does IO.

pub mod annual;
mod bound;
pub mod build;
mod cumulative;
mod growth;
pub mod input;
mod level;
pub mod observation;
pub mod plan;
pub mod record;
pub mod rollup;
pub mod status;
pub mod target;

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
    let outcome = outcome(target, observations, ctx);
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
    if !(validate::year_ok(target.base_year.into()) && validate::year_ok(target.target_year.into()))
    {
        return Outcome::insufficient(
            rec,
            name,
            &format!(
                "基期或目标年份({}—{})不在{}—{}年之间,请更正",
                target.base_year,
                target.target_year,
                validate::FIRST_YEAR,
                validate::LAST_YEAR
            ),
        );
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
            bound::evaluate(target, &b, obs, &w, th)
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
            bound::evaluate(target, &b, obs, &w, th)
        }
        TargetType::Range { low, high, measure } => {
            range(target, *low, *high, *measure, obs, &w, th)
        }
        TargetType::Relational { relation } => qualitative(
            target,
            rec,
            &format!("关联目标“{relation}”需对照相关指标判断"),
        ),
        TargetType::Qualitative { text } => qualitative(
            target,
            rec,
            &format!("定性目标“{text}”需依据工作进展材料判断"),
        ),
    }
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
        "区间目标{}~{},按{}端{}评估",
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
        explanation: format!("{}:{reason},属于定性评估。", target.indicator),
    }
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
