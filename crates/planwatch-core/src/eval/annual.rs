//! Annual targets from work reports (地区生产总值增长8%左右) checked against the
//! five-year target: is the year's target high enough to keep the plan reachable?

use serde::{Deserialize, Serialize};

use crate::quantity::Comparator;

use super::observation::{Observation, ObservationKind, Window, select};
use super::record::{CalcRecord, num};
use super::target::{Scale, Target, TargetType};

/// A target set for one year, usually in a government work report.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AnnualTarget {
    /// Indicator name as written (地区生产总值增长).
    pub indicator: String,
    /// The year it is set for.
    pub year: i32,
    /// The value (percent when `growth`).
    pub value: f64,
    /// True for a growth rate, false for a level.
    pub growth: bool,
    /// 左右, 以上, … as written.
    pub comparator: Option<Comparator>,
    /// Where it was set (document and line, or URL).
    pub reference: Option<String>,
}

/// The verdict on one annual target.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AnnualCheck {
    /// Indicator name of the five-year target.
    pub indicator: String,
    /// Year of the annual target.
    pub year: i32,
    /// The annual target value.
    pub annual_value: f64,
    /// What that year needs to keep the five-year target reachable (percent for growth).
    pub needed: Option<f64>,
    /// Pace needed in the years after, if the annual target is met exactly (percent per year).
    pub after_if_met: Option<f64>,
    /// True when the annual target is below what is needed.
    pub too_low: bool,
    /// How it was computed.
    pub record: CalcRecord,
    /// One zh-CN sentence.
    pub message: String,
}

/// Check an annual target against the five-year target with data published up to `as_of`.
pub fn check_annual_target(
    target: &Target,
    annual: &AnnualTarget,
    obs: &[Observation],
    as_of: Option<&str>,
) -> AnnualCheck {
    let mut rec = CalcRecord::new("年度目标与五年目标衔接检查");
    rec.input(
        "年度目标",
        format!("{}年{}", annual.year, num(annual.value)),
    );
    let w = Window {
        base_year: target.base_year,
        last_year: annual.year - 1,
        as_of: as_of.map(str::to_string),
    };
    let needed = if annual.year <= target.base_year || annual.year > target.target_year {
        rec.note("年度目标不在规划期内");
        None
    } else {
        match (&target.target_type, annual.growth) {
            (TargetType::GrowthRate { rate, .. }, true) => {
                growth_needed(target, *rate, annual, obs, &w, &mut rec)
            }
            (TargetType::Level { value, scale, .. }, true) => {
                level_growth_needed(target, *value, *scale, annual, obs, &w, &mut rec)
            }
            (TargetType::Level { value, scale, .. }, false) => {
                path_value(target, *value, *scale, annual.year, &mut rec).map(|v| (v, None))
            }
            (TargetType::CumulativeFlow { total }, false) => {
                flow_needed(target, *total, annual, obs, &w, &mut rec)
            }
            _ => {
                rec.note("年度目标与该类五年目标不可直接比较");
                None
            }
        }
    };
    finish(target, annual, needed, rec)
}

type Needed = Option<(f64, Option<f64>)>;

fn growth_needed(
    target: &Target,
    g_pct: f64,
    annual: &AnnualTarget,
    obs: &[Observation],
    w: &Window,
    rec: &mut CalcRecord,
) -> Needed {
    let rates = select(obs, &[ObservationKind::GrowthRate], w).after(target.base_year);
    let product: f64 = rates.iter().map(|(_, r)| 1.0 + r / 100.0).product();
    let span = target.target_year - target.base_year;
    let rest = span - rates.len() as i32;
    let index = (1.0 + g_pct / 100.0).powi(span);
    rec.step(
        "此前累计指数 ∏(1+r_i)",
        format!("{}年份", rates.len()),
        product,
    );
    let f = format!(
        "((1+g)^(T−b)/∏(1+r_i))^(1/{rest}) − 1 = ({}/{})^(1/{rest}) − 1",
        num(index),
        num(product)
    );
    let needed = rec.step(
        "本年起所需年均增速(%)",
        f,
        ((index / product).powf(1.0 / f64::from(rest)) - 1.0) * 100.0,
    );
    let after = (rest > 1).then(|| {
        let met = product * (1.0 + annual.value / 100.0);
        let f = format!("({}/{})^(1/{}) − 1", num(index), num(met), rest - 1);
        rec.step(
            "完成年度目标后余下年份所需增速(%)",
            f,
            ((index / met).powf(1.0 / f64::from(rest - 1)) - 1.0) * 100.0,
        )
    });
    Some((needed, after))
}

/// A money level target checked with a real growth target: the pace from the latest level.
/// Nominal levels and real growth differ by inflation, so the record says so.
fn level_growth_needed(
    target: &Target,
    x: f64,
    scale: Scale,
    annual: &AnnualTarget,
    obs: &[Observation],
    w: &Window,
    rec: &mut CalcRecord,
) -> Needed {
    if scale != Scale::Geometric || x <= 0.0 {
        rec.note("水平目标不是复合增长型,不与年度增速比较");
        return None;
    }
    let levels = select(obs, &[ObservationKind::Level], w);
    let (s, x_s) = levels
        .latest_after(target.base_year)
        .or(target.baseline.map(|b| (target.base_year, b)))?;
    if x_s <= 0.0 {
        return None;
    }
    rec.note("五年目标为现价总量,年度目标为可比价增速,二者相差价格因素,比较仅作参考");
    let years = target.target_year - s;
    let f = format!(
        "(X/x_s)^(1/(T−s)) − 1 = ({}/{})^(1/{years}) − 1",
        num(x),
        num(x_s)
    );
    let needed = rec.step(
        "本年起所需年均增速(%)",
        f,
        ((x / x_s).powf(1.0 / f64::from(years)) - 1.0) * 100.0,
    );
    let after = (years > 1).then(|| {
        let met = x_s * (1.0 + annual.value / 100.0);
        let f = format!("({}/{})^(1/{}) − 1", num(x), num(met), years - 1);
        rec.step(
            "完成年度目标后余下年份所需增速(%)",
            f,
            ((x / met).powf(1.0 / f64::from(years - 1)) - 1.0) * 100.0,
        )
    });
    Some((needed, after))
}

fn path_value(
    target: &Target,
    x: f64,
    scale: Scale,
    year: i32,
    rec: &mut CalcRecord,
) -> Option<f64> {
    let x_b = target.baseline?;
    let tau = f64::from(year - target.base_year) / f64::from(target.target_year - target.base_year);
    if scale == Scale::Geometric && x_b > 0.0 && x > 0.0 {
        let f = format!(
            "x_b·(X/x_b)^τ = {}·({}/{})^{}",
            num(x_b),
            num(x),
            num(x_b),
            num(tau)
        );
        return Some(rec.step("规划路径当年值", f, x_b * (x / x_b).powf(tau)));
    }
    let f = format!(
        "x_b + τ(X − x_b) = {} + {}·({} − {})",
        num(x_b),
        num(tau),
        num(x),
        num(x_b)
    );
    Some(rec.step("规划路径当年值", f, x_b + tau * (x - x_b)))
}

fn flow_needed(
    target: &Target,
    total: f64,
    annual: &AnnualTarget,
    obs: &[Observation],
    w: &Window,
    rec: &mut CalcRecord,
) -> Needed {
    let done: f64 = select(obs, &[ObservationKind::Level], w)
        .after(target.base_year)
        .iter()
        .map(|(_, v)| v)
        .sum();
    let years = target.target_year - annual.year + 1;
    let f = format!(
        "(N − Σa_i)/(T − y + 1) = ({} − {})/{years}",
        num(total),
        num(done)
    );
    let needed = rec.step("本年起所需年均新增", f, (total - done) / f64::from(years));
    Some((needed, None))
}

fn finish(
    target: &Target,
    annual: &AnnualTarget,
    needed: Needed,
    record: CalcRecord,
) -> AnnualCheck {
    let name = &target.indicator;
    let unit = if annual.growth { "%" } else { "" };
    let (needed, after) = needed.unzip();
    let after = after.flatten();
    let d = if annual.growth {
        1.0
    } else {
        target.direction.sign()
    };
    let too_low = needed.is_some_and(|n| d * (annual.value - n) < -1e-9);
    let message = match needed {
        None => format!(
            "{}年{name}年度目标{}{unit}无法与五年目标直接衔接比较。",
            annual.year,
            num(annual.value)
        ),
        Some(n) if too_low => {
            let tail = after
                .map(|a| format!(";即使完成年度目标,此后仍需年均{a:.1}%"))
                .unwrap_or_default();
            format!(
                "{}年{name}年度目标{}{unit}低于实现五年目标所需的{n:.1}{unit},偏低{tail}。",
                annual.year,
                num(annual.value)
            )
        }
        Some(n) => format!(
            "{}年{name}年度目标{}{unit}不低于实现五年目标所需的{n:.1}{unit},与五年目标衔接。",
            annual.year,
            num(annual.value)
        ),
    };
    AnnualCheck {
        indicator: name.clone(),
        year: annual.year,
        annual_value: annual.value,
        needed,
        after_if_met: after,
        too_low,
        record,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::target::Direction;

    fn annual(value: f64, growth: bool) -> AnnualTarget {
        AnnualTarget {
            indicator: "地区生产总值增长".into(),
            year: 2021,
            value,
            growth,
            comparator: Some(Comparator::Approx),
            reference: None,
        }
    }

    #[test]
    fn gdp_eight_percent_is_too_low_for_735_to_1130() {
        // Needed from 2020: (1130/735)^(1/5) − 1 = 1.537415^0.2 − 1 = 0.08983 → 9.0%.
        // After meeting 8% in 2021: (1130/(735·1.08))^(1/4) − 1 = (1130/793.8)^0.25 − 1 = 0.09229 → 9.2%.
        let t = Target::new(
            "地区生产总值",
            TargetType::Level {
                value: 1130.0,
                scale: Scale::Geometric,
                approx: false,
            },
            Direction::Higher,
        )
        .with_baseline(735.0);
        let c = check_annual_target(&t, &annual(8.0, true), &[], None);
        assert!(c.too_low, "{}", c.message);
        assert!((c.needed.unwrap() - 8.983).abs() < 0.01, "{:?}", c.needed);
        assert!(
            (c.after_if_met.unwrap() - 9.229).abs() < 0.01,
            "{:?}",
            c.after_if_met
        );
        assert!(c.message.contains("偏低"), "{}", c.message);
        let ok = check_annual_target(&t, &annual(9.5, true), &[], None);
        assert!(!ok.too_low, "{}", ok.message);
    }

    #[test]
    fn growth_target_uses_years_already_achieved() {
        // g = 7%: index 1.07^5 = 1.402552. 2021 grew 5%, so from 2022:
        // (1.402552/1.05)^(1/4) − 1 = 1.335764^0.25 − 1 = 0.07506 → 7.5%; a 2022 target of 7% is too low.
        let t = Target::new(
            "地区生产总值",
            TargetType::GrowthRate {
                rate: 7.0,
                approx: true,
            },
            Direction::Higher,
        );
        let obs = [Observation::new(
            "地区生产总值增长",
            2021,
            5.0,
            ObservationKind::GrowthRate,
        )];
        let mut a = annual(7.0, true);
        a.year = 2022;
        let c = check_annual_target(&t, &a, &obs, None);
        assert!((c.needed.unwrap() - 7.506).abs() < 0.01, "{:?}", c.needed);
        assert!(c.too_low);
    }

    #[test]
    fn flow_and_level_annual_targets() {
        // [5] 万人 over 2021–2025; 2021 added 0.9: from 2022 (5 − 0.9)/4 = 1.025 per year; 1.0 is too low.
        let t = Target::new(
            "新增城镇就业",
            TargetType::CumulativeFlow { total: 5.0 },
            Direction::Higher,
        );
        let obs = [Observation::new(
            "新增城镇就业",
            2021,
            0.9,
            ObservationKind::Level,
        )];
        let mut a = annual(1.0, false);
        a.year = 2022;
        let c = check_annual_target(&t, &a, &obs, None);
        assert_eq!(c.needed, Some(1.025));
        assert!(c.too_low);
        // Share 80 → 85 on a straight line: 2022 needs 80 + 0.4·5 = 82; 82.5 is enough.
        let s = Target::new(
            "比重",
            TargetType::Level {
                value: 85.0,
                scale: Scale::Linear,
                approx: false,
            },
            Direction::Higher,
        )
        .with_baseline(80.0);
        let mut a = annual(82.5, false);
        a.year = 2022;
        let c = check_annual_target(&s, &a, &[], None);
        assert_eq!(c.needed, Some(82.0));
        assert!(!c.too_low);
    }

    #[test]
    fn out_of_period_and_unrelated_types_are_said_not_compared() {
        let t = Target::new(
            "失业率",
            TargetType::Ceiling {
                limit: 5.0,
                strict: false,
                measure: super::super::target::Measure::Level,
            },
            Direction::Lower,
        );
        let c = check_annual_target(&t, &annual(5.0, false), &[], None);
        assert_eq!(c.needed, None);
        assert!(!c.too_low);
        assert!(c.message.contains("无法"), "{}", c.message);
        let g = Target::new(
            "GDP",
            TargetType::GrowthRate {
                rate: 7.0,
                approx: false,
            },
            Direction::Higher,
        );
        let mut late = annual(7.0, true);
        late.year = 2026;
        assert_eq!(check_annual_target(&g, &late, &[], None).needed, None);
    }
}
