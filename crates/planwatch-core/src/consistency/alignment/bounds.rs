//! Floors, ceilings and levels against the upper plan's.
//!
//! Each target that commits to a value says which way is better: a floor (≥96%, 不低于,
//! 以上) commits to at least its value, a ceiling (≤5.5%, 以内, 不高于) to at most its
//! value, a level (达到63%) to its value in the direction the catalogue gives for the
//! indicator — an indicator the catalogue does not know is not compared, since its
//! direction would be a guess. A lower plan's commitment is weaker when it lies on the
//! worse side of the upper plan's (a floor of 95% under a floor of 96%, a ceiling of 6%
//! over one of 5.5%); levels and bounds of the same direction are compared with each other.
//!
//! Only intensive measures are compared (shares, rates, intensities, per-capita figures,
//! years): a county's total (亿元, 万吨) is a part of its city's, not a commitment to it.
//! A level below the upper plan's is a finding only when the lower plan also plans less
//! improvement from its own baseline (fewer points for a share, a smaller ratio for money):
//! a county that starts lower and climbs further is aligned.

use crate::catalogue::{Catalogue, NameMeasure};
use crate::eval::target::{Direction, Measure, Scale, Target, TargetType};
use crate::quantity::{Comparator, parse_value};
use crate::wording::{fig, per_year_unit};

use super::{CheckSettings, Finding, Pair, unit_key, with_unit};

/// What a target commits to.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Commitment {
    value: f64,
    better: Direction,
    measure: Measure,
    form: Form,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Form {
    Floor,
    Ceiling,
    Level(Scale),
}

impl Commitment {
    /// The commitment as the plan writes it: a `≥`/`≤` target cell is a floor or a
    /// ceiling even where the engine reads it as a level to reach (≥96 from 93).
    fn of(t: &Target) -> Option<Commitment> {
        let written = parse_value(&t.text);
        let (value, better, measure, form) = match (&t.target_type, written.comparator) {
            (TargetType::GrowthRate { .. }, _) => return None,
            (tt, Some(Comparator::Ge | Comparator::Gt)) => (
                written.value?,
                Direction::Higher,
                measure_of(tt),
                Form::Floor,
            ),
            (tt, Some(Comparator::Le | Comparator::Lt)) => (
                written.value?,
                Direction::Lower,
                measure_of(tt),
                Form::Ceiling,
            ),
            (TargetType::Level { value, scale, .. }, _) => {
                let m = Catalogue::builtin().find(&t.indicator)?;
                if m.measure != NameMeasure::Level {
                    return None;
                }
                (
                    *value,
                    m.entry.direction,
                    Measure::Level,
                    Form::Level(*scale),
                )
            }
            _ => return None,
        };
        if measure == Measure::Level && !is_intensive(&t.indicator, unit_key(t).as_deref()) {
            return None;
        }
        Some(Commitment {
            value,
            better,
            measure,
            form,
        })
    }

    /// The commitment as a sentence writes it: `不低于96%`, `不高于5.5%`, `达到63%`.
    fn words(&self, t: &Target) -> String {
        let v = with_unit(self.value, t);
        match self.form {
            Form::Floor => format!("不低于{v}"),
            Form::Ceiling => format!("不高于{v}"),
            Form::Level(_) => format!("达到{v}"),
        }
    }
}

/// What a written bound constrains: a yearly growth rate where the engine reads the
/// target as one (涨幅≤3), else the level.
fn measure_of(t: &TargetType) -> Measure {
    match t {
        TargetType::Floor { measure, .. }
        | TargetType::Ceiling { measure, .. }
        | TargetType::Range { measure, .. } => *measure,
        _ => Measure::Level,
    }
}

/// A share, rate, intensity, per-capita figure or a number of years: a figure that a
/// region and the region above it can both be held to. Totals are not.
fn is_intensive(name: &str, unit: Option<&str>) -> bool {
    const RELATIVE_UNITS: &[&str] = &["%", "‰", "/", "年", "岁"];
    const RELATIVE_NAMES: &[&str] = &[
        "率", "比重", "比例", "强度", "人均", "每千", "每万", "每百", "单位", "平均", "指数",
    ];
    unit.is_some_and(|u| RELATIVE_UNITS.iter().any(|r| u.contains(r)))
        || RELATIVE_NAMES.iter().any(|w| name.contains(w))
}

impl Pair<'_> {
    /// A floor, ceiling or level weaker than the upper plan's.
    pub(super) fn bound(&self, settings: &CheckSettings) -> Option<Finding> {
        let (up_t, low_t) = (self.upper.1, self.lower.1);
        let (up, low) = (Commitment::of(up_t)?, Commitment::of(low_t)?);
        if up.better != low.better || up.measure != low.measure {
            return None;
        }
        let margin = settings.value_tolerance * up.value.abs().max(f64::MIN_POSITIVE);
        if (low.value - up.value) * up.better.sign() >= -margin {
            return None;
        }
        let (what, mut why) = match (low.form, up.form) {
            (Form::Level(scale), Form::Level(_)) => {
                let gains = Gains::of(scale, low_t, up_t, up.better);
                if gains.lower_climbs_further(settings) {
                    return None;
                }
                ("低于上级规划的目标水平", gains.words(low_t))
            }
            (Form::Floor, Form::Floor) => ("下限低于上级规划", String::new()),
            (Form::Ceiling, Form::Ceiling) => ("上限高于上级规划", String::new()),
            _ if up.better == Direction::Higher => ("低于上级规划的要求", String::new()),
            _ => ("高于上级规划的要求", String::new()),
        };
        if up_t.binding {
            why.push_str("，上级规划列为约束性指标，本级规划不得放宽");
        } else {
            why.push_str("，需说明理由");
        }
        Some(self.finding(
            self.shortfall_severity(),
            format!(
                "{}：本级规划{}，上级规划{}，{what}{why}",
                self.key,
                low.words(low_t),
                up.words(up_t)
            ),
        ))
    }
}

/// How far each plan means to move from its own baseline, for two level targets: the
/// change in the unit for a linear indicator (points for a share), the ratio of target
/// to baseline for money and output. NaN where a baseline is missing.
struct Gains {
    scale: Scale,
    better: Direction,
    lower: f64,
    upper: f64,
}

impl Gains {
    fn of(scale: Scale, low: &Target, up: &Target, better: Direction) -> Gains {
        let gain = |t: &Target| -> f64 {
            match (target_value(t), t.baseline, scale) {
                (Some(x), Some(b), Scale::Linear) => x - b,
                (Some(x), Some(b), Scale::Geometric) if b > 0.0 && x > 0.0 => x / b,
                _ => f64::NAN,
            }
        };
        Gains {
            scale,
            better,
            lower: gain(low),
            upper: gain(up),
        }
    }

    fn known(&self) -> bool {
        self.lower.is_finite() && self.upper.is_finite()
    }

    /// The lower plan plans at least as much improvement as the upper plan.
    fn lower_climbs_further(&self, settings: &CheckSettings) -> bool {
        let margin = settings.value_tolerance * self.upper.abs();
        self.known() && (self.lower - self.upper) * self.better.sign() >= -margin
    }

    /// `，较基期提高6.4个百分点，也少于上级规划的提高8个百分点`.
    fn words(&self, t: &Target) -> String {
        if !self.known() {
            return String::new();
        }
        match self.scale {
            Scale::Linear => {
                let unit = per_year_unit(&unit_key(t).unwrap_or_default());
                let change = |d: f64| {
                    let verb = if d >= 0.0 { "提高" } else { "降低" };
                    format!("{verb}{}{unit}", fig(d.abs()))
                };
                format!(
                    "，本级规划较基期{}，上级规划较基期{}，改善幅度也不及上级规划",
                    change(self.lower),
                    change(self.upper)
                )
            }
            Scale::Geometric => format!(
                "，本级规划目标为基期的{}倍，上级规划为{}倍，改善幅度也不及上级规划",
                fig(self.lower),
                fig(self.upper)
            ),
        }
    }
}

fn target_value(t: &Target) -> Option<f64> {
    match t.target_type {
        TargetType::Level { value, .. } => Some(value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::is_intensive;

    #[test]
    fn shares_rates_and_intensities_are_compared_totals_are_not() {
        let check = |name: &str, unit: Option<&str>, expect: bool| {
            assert_eq!(is_intensive(name, unit), expect, "{name} {unit:?}");
        };
        check("城镇生活污水集中处理率", Some("%"), true);
        check("万元GDP能耗", Some("吨标准煤/万元"), true);
        check("劳动年龄人口平均受教育年限", Some("年"), true);
        check("居民人均可支配收入", Some("元"), true);
        check("每千人口拥有执业(助理)医师数", Some("人"), true);
        check("粮食综合生产能力", Some("万吨"), false);
        check("地区生产总值", Some("亿元"), false);
        check("城镇新增就业人数", Some("万人"), false);
    }
}
