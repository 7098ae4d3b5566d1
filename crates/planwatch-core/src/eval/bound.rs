//! Bounds: ceilings (控制在X以内), floors (X以上) and ranges (3~5), checked every year.

use super::observation::{Observation, ObservationKind, Window, select};
use super::record::{CalcRecord, num};
use super::status::{Category, DataPoint, Figures, Outcome, Thresholds};
use super::target::{Measure, Target};
use crate::wording::fig;

/// Which side of the limit is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    /// Values must stay at or below the limit.
    Ceiling,
    /// Values must stay at or above the limit.
    Floor,
}

impl Side {
    fn sign(self) -> f64 {
        match self {
            Side::Ceiling => -1.0,
            Side::Floor => 1.0,
        }
    }

    pub(super) fn label(self) -> &'static str {
        match self {
            Side::Ceiling => "上限",
            Side::Floor => "下限",
        }
    }
}

/// A bound to check.
pub(super) struct Bound {
    pub side: Side,
    pub limit: f64,
    pub strict: bool,
    pub measure: Measure,
}

impl Bound {
    /// True when a value respects the bound.
    pub(super) fn holds(&self, x: f64) -> bool {
        let gap = self.side.sign() * (x - self.limit);
        if self.strict { gap > 0.0 } else { gap >= 0.0 }
    }
}

/// Evaluate a ceiling or floor: the latest year must hold, and every year before it.
///
/// Monitoring: held every year 基本符合预期; held now but breached before 滞后; breached
/// now by no more than the 左右 tolerance (2% of the limit) 滞后, by more 严重滞后.
/// Final (the latest year is the target year): held every year 已实现; held in the target
/// year but breached before 基本实现 (未实现 for a binding target, which must hold every
/// year); breached in the target year 未实现.
pub(super) fn evaluate(
    target: &Target,
    bound: &Bound,
    obs: &[Observation],
    w: &Window,
    th: &Thresholds,
) -> Outcome {
    let mut rec = CalcRecord::new(&format!("{}目标（逐年检查是否守住）", bound.side.label()));
    let kinds: &[ObservationKind] = match bound.measure {
        Measure::Level => &[ObservationKind::Level, ObservationKind::Share],
        Measure::GrowthRate => &[ObservationKind::GrowthRate],
    };
    let series = select(obs, kinds, w);
    rec.notes.extend(series.notes.iter().cloned());
    let points = series.after(target.base_year);
    let Some(&(t, x_t)) = points.last() else {
        let what = if bound.measure == Measure::GrowthRate {
            "增长率"
        } else {
            "水平值"
        };
        return Outcome::insufficient(
            rec,
            &target.indicator,
            &format!("{}年之后没有可用的{what}数据", target.base_year),
        );
    };
    rec.input(&format!("{} X", bound.side.label()), num(bound.limit));
    for (year, v) in &points {
        rec.input(&format!("{year}年值"), num(*v));
    }
    let margin = margin(bound, x_t, &mut rec);
    rec.threshold_share("约束性指标预警余量（相对限值）", th.bound_watch_margin);
    let breached: Vec<i32> = points
        .iter()
        .filter(|(_, v)| !bound.holds(*v))
        .map(|(y, _)| *y)
        .collect();
    if !breached.is_empty() && bound.holds(x_t) {
        rec.note("最新年份守住，但此前年份曾突破，“逐年守住”的要求未满足");
    }
    let category = if t >= target.target_year {
        final_category(target, bound, x_t, &breached, th, &mut rec)
    } else if !bound.holds(x_t) {
        rec.threshold_share("突破幅度在此以内为滞后（相对限值）", th.level_tolerance);
        if excess(bound, x_t) <= th.level_tolerance {
            Category::Lagging
        } else {
            Category::SeverelyLagging
        }
    } else if !breached.is_empty() {
        Category::Lagging
    } else {
        Category::OnTrack
    };
    let figures = Figures {
        latest: Some(DataPoint {
            year: t,
            value: x_t,
        }),
        margin: Some(margin),
        ..Figures::default()
    };
    let explanation = explain(target, bound, t, x_t, &breached, category);
    Outcome {
        category,
        figures,
        record: rec,
        explanation,
    }
}

/// How far beyond the limit a value is, relative to the limit (absolute for a zero limit).
fn excess(bound: &Bound, x: f64) -> f64 {
    let over = -bound.side.sign() * (x - bound.limit);
    if bound.limit == 0.0 {
        over
    } else {
        over / bound.limit.abs()
    }
}

fn final_category(
    target: &Target,
    bound: &Bound,
    x_t: f64,
    breached: &[i32],
    th: &Thresholds,
    rec: &mut CalcRecord,
) -> Category {
    th.record_final(rec, target.binding);
    if !bound.holds(x_t) {
        Category::NotAchieved
    } else if breached.is_empty() {
        Category::Achieved
    } else if target.binding {
        Category::NotAchieved
    } else {
        Category::BasicallyAchieved
    }
}

/// Relative margin s·(x_t − X)/|X|, positive when the bound holds; absolute when X is zero.
fn margin(bound: &Bound, x_t: f64, rec: &mut CalcRecord) -> f64 {
    let s = bound.side.sign();
    if bound.limit == 0.0 {
        rec.note("限值为零，余量按绝对值计算");
        return rec.step("余量", format!("{}·({} − 0)", num(s), num(x_t)), s * x_t);
    }
    let f = format!(
        "s·(x_t − X)/|X| = {}·({} − {})/{}",
        num(s),
        num(x_t),
        num(bound.limit),
        num(bound.limit.abs())
    );
    rec.step_share(
        "余量（相对限值）",
        f,
        s * (x_t - bound.limit) / bound.limit.abs(),
    )
}

fn explain(
    target: &Target,
    bound: &Bound,
    t: i32,
    x_t: f64,
    breached: &[i32],
    category: Category,
) -> String {
    let unit = target.unit.clone().unwrap_or_default();
    let words = match bound.side {
        Side::Ceiling => "控制在",
        Side::Floor => "不低于",
    };
    let tail = if bound.side == Side::Ceiling {
        "以内"
    } else {
        ""
    };
    let head = format!(
        "{}{t}年为{}{unit}，目标{words}{}{unit}{tail}",
        target.indicator,
        fig(x_t),
        fig(bound.limit)
    );
    let state = if !bound.holds(x_t) {
        format!("已突破{}", bound.side.label())
    } else if category.is_final() && breached.is_empty() {
        "规划期内逐年守住".to_string()
    } else if !breached.is_empty() {
        let years: Vec<String> = breached.iter().map(|y| y.to_string()).collect();
        format!("目前守住但{}年曾突破", years.join("、"))
    } else {
        "逐年守住".to_string()
    };
    format!("{head}，{state}，属于{}。", category.label())
}
