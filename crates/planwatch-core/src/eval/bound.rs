//! Bounds: ceilings (控制在X以内), floors (X以上) and ranges (3~5), checked every year.

use super::observation::{Observation, ObservationKind, Window, select};
use super::record::{CalcRecord, num};
use super::status::{Category, DataPoint, Figures, Outcome, Thresholds};
use super::target::{Measure, Target};

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

    fn label(self) -> &'static str {
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
    fn holds(&self, x: f64) -> bool {
        let gap = self.side.sign() * (x - self.limit);
        if self.strict { gap > 0.0 } else { gap >= 0.0 }
    }
}

/// Evaluate a ceiling or floor: the latest year must hold, and every year before it.
pub(super) fn evaluate(
    target: &Target,
    bound: &Bound,
    obs: &[Observation],
    w: &Window,
    th: &Thresholds,
) -> Outcome {
    let mut rec = CalcRecord::new(&format!("{}目标(逐年检查是否守住)", bound.side.label()));
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
    rec.threshold("约束性指标预警余量(相对)", th.bound_watch_margin);
    let breached: Vec<i32> = points
        .iter()
        .filter(|(_, v)| !bound.holds(*v))
        .map(|(y, _)| *y)
        .collect();
    let category = if !bound.holds(x_t) {
        Category::SeverelyLagging
    } else if !breached.is_empty() {
        rec.note("最新年份守住,但此前年份曾突破,“逐年守住”的要求未满足");
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

/// Relative margin s·(x_t − X)/|X|, positive when the bound holds; absolute when X is zero.
fn margin(bound: &Bound, x_t: f64, rec: &mut CalcRecord) -> f64 {
    let s = bound.side.sign();
    if bound.limit == 0.0 {
        rec.note("限值为零,余量按绝对值计算");
        return rec.step("余量", format!("{}·({} − 0)", num(s), num(x_t)), s * x_t);
    }
    let f = format!(
        "s·(x_t − X)/|X| = {}·({} − {})/{}",
        num(s),
        num(x_t),
        num(bound.limit),
        num(bound.limit.abs())
    );
    rec.step("余量", f, s * (x_t - bound.limit) / bound.limit.abs())
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
        "{}{t}年为{}{unit},目标{words}{}{unit}{tail}",
        target.indicator,
        num(x_t),
        num(bound.limit)
    );
    let state = if !bound.holds(x_t) {
        format!("已突破{}", bound.side.label())
    } else if !breached.is_empty() {
        let years: Vec<String> = breached.iter().map(|y| y.to_string()).collect();
        format!("目前守住但{}年曾突破", years.join("、"))
    } else {
        "逐年守住".to_string()
    };
    format!("{head},{state},属于{}。", category.label())
}
