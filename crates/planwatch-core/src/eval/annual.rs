//! Annual targets from work reports (地区生产总值增长8%左右) checked against the
//! five-year target: is the year's target high enough to keep the plan reachable?

use serde::{Deserialize, Serialize};

use crate::quantity::Comparator;

use super::observation::{Observation, ObservationKind, Window, select};
use super::record::{CalcRecord, num};
use super::target::{Measure, Scale, Target, TargetType};

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
    /// Unit as written (`%`, `人`, `万人`); compared with the five-year target's unit.
    #[serde(default)]
    pub unit: Option<String>,
    /// The clause or note as written (`常住人口城镇化率提高1个百分点`), which tells an
    /// increment from a level.
    #[serde(default)]
    pub text: Option<String>,
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
///
/// Only like is compared with like: a growth target with a growth rate, a level with a
/// level in the same unit (3000人 is read as 0.3万人; 人 against 亿元 is not compared), an
/// increment (提高1个百分点) with the increment the planned path needs, a yearly bound
/// with the five-year bound. Anything else is said not to be comparable.
pub fn check_annual_target(
    target: &Target,
    annual: &AnnualTarget,
    obs: &[Observation],
    as_of: Option<&str>,
) -> AnnualCheck {
    let mut rec = CalcRecord::new("年度目标与五年目标衔接检查");
    let written_unit = annual.unit.clone().unwrap_or_default();
    rec.input(
        "年度目标",
        format!("{}年{}{written_unit}", annual.year, num(annual.value)),
    );
    let w = Window {
        base_year: target.base_year,
        last_year: annual.year - 1,
        as_of: as_of.map(str::to_string),
    };
    if annual.year <= target.base_year || annual.year > target.target_year {
        return finish(
            target,
            annual,
            annual.value,
            Err("年度目标不在规划期内".into()),
            rec,
        );
    }
    let value = match converted(target, annual, &mut rec) {
        Ok(v) => v,
        Err(reason) => return finish(target, annual, annual.value, Err(reason), rec),
    };
    let increment = is_increment(annual);
    let needed = match (&target.target_type, annual.growth) {
        (TargetType::GrowthRate { rate, .. }, true) => {
            growth_needed(target, *rate, annual, obs, &w, &mut rec).map(Need::pace)
        }
        (
            TargetType::Level {
                value: x, scale, ..
            },
            true,
        ) => level_growth_needed(target, *x, *scale, annual, obs, &w, &mut rec).map(Need::pace),
        (
            TargetType::Level {
                value: x, scale, ..
            },
            false,
        ) if increment => increment_needed(target, *x, *scale, annual.year, obs, &w, &mut rec),
        (
            TargetType::Level {
                value: x, scale, ..
            },
            false,
        ) => path_value(target, *x, *scale, annual.year, &mut rec).map(|v| Need {
            value: v,
            after: None,
            sign: target.direction.sign(),
            limit: false,
        }),
        (TargetType::CumulativeFlow { total }, false) if !increment => {
            flow_needed(target, *total, annual, obs, &w, &mut rec).map(Need::pace)
        }
        (
            TargetType::Ceiling { limit, measure, .. } | TargetType::Floor { limit, measure, .. },
            growth,
        ) if (*measure == Measure::GrowthRate) == growth && !increment => {
            let sign = if matches!(target.target_type, TargetType::Ceiling { .. }) {
                -1.0
            } else {
                1.0
            };
            rec.input("五年目标控制值", num(*limit));
            Some(Need {
                value: *limit,
                after: None,
                sign,
                limit: true,
            })
        }
        _ => None,
    };
    let needed = needed.ok_or_else(|| {
        let no_base =
            matches!(target.target_type, TargetType::Level { .. }) && target.baseline.is_none();
        if no_base {
            "五年目标没有基期值，无法推算当年的规划路径".to_string()
        } else {
            "年度目标与该类五年目标不可直接比较".to_string()
        }
    });
    finish(target, annual, value, needed, rec)
}

/// What the year needs: a value to reach (or stay beyond), which way is better, and
/// the pace needed afterwards if the annual target is met exactly.
struct Need {
    value: f64,
    after: Option<f64>,
    /// +1 when a higher annual target is better, −1 when a lower one is.
    sign: f64,
    /// True when `value` is the five-year bound itself (控制值), not a pace.
    limit: bool,
}

impl Need {
    fn pace((value, after): (f64, Option<f64>)) -> Need {
        Need {
            value,
            after,
            sign: 1.0,
            limit: false,
        }
    }
}

/// 提高1个百分点, 增加2万人: a change over the year, not the year's level.
fn is_increment(annual: &AnnualTarget) -> bool {
    // 增加值 is an indicator name (第三产业增加值), not an increase.
    let text = annual
        .text
        .as_deref()
        .unwrap_or_default()
        .replace("增加值", "");
    let unit = annual.unit.as_deref().unwrap_or_default();
    unit.contains("百分点")
        || text.contains("百分点")
        || ["提高", "增加", "提升", "上升"].iter().any(|w| {
            text.contains(w)
                && !text.contains(&format!("{w}到"))
                && !text.contains(&format!("{w}至"))
        })
}

/// The annual value in the five-year target's unit (3000人 → 0.3万人), or why the two
/// cannot be compared.
fn converted(target: &Target, annual: &AnnualTarget, rec: &mut CalcRecord) -> Result<f64, String> {
    if annual.growth {
        return Ok(annual.value);
    }
    let (Some(a), Some(t)) = (annual.unit.as_deref(), target.unit.as_deref()) else {
        return Ok(annual.value);
    };
    let (a_mag, a_base) = split_unit(a);
    let (t_mag, t_base) = split_unit(t);
    let same_percent = a_base.contains("百分点") && t_base == "%";
    if a_base != t_base && !same_percent {
        return Err(format!("年度目标单位“{a}”与五年目标单位“{t}”不同"));
    }
    let v = annual.value * a_mag / t_mag;
    if (a_mag - t_mag).abs() > f64::EPSILON {
        rec.step(
            &format!("换算为{t}"),
            format!("{}{a} = {}{t}", num(annual.value), num(v)),
            v,
        );
    }
    Ok(v)
}

/// `万人` → (10⁴, `人`); `亿元` → (10⁸, `元`); `%` → (1, `%`).
fn split_unit(unit: &str) -> (f64, String) {
    let u: String = unit
        .trim()
        .chars()
        .map(crate::quantity::fold_width)
        .collect();
    for (prefix, mag) in [
        ("万亿", 1e12),
        ("亿", 1e8),
        ("千万", 1e7),
        ("百万", 1e6),
        ("万", 1e4),
        ("千", 1e3),
    ] {
        if let Some(base) = u.strip_prefix(prefix).filter(|b| !b.is_empty()) {
            return (mag, base.to_string());
        }
    }
    (1.0, u)
}

/// The increment a share or level needs in `year` to stay on the planned path: the path
/// value of the year less the last observed value (or, without one, the path value of
/// the year before).
fn increment_needed(
    target: &Target,
    x: f64,
    scale: Scale,
    year: i32,
    obs: &[Observation],
    w: &Window,
    rec: &mut CalcRecord,
) -> Option<Need> {
    let on_path = path_value(target, x, scale, year, rec)?;
    let levels = select(obs, &[ObservationKind::Level, ObservationKind::Share], w);
    let (from_year, from) = match levels.get(year - 1) {
        Some(v) => (year - 1, v),
        None if year - 1 == target.base_year => (year - 1, target.baseline?),
        None => {
            rec.note("上年没有实际值，按规划路径上年值计算所需增量");
            let mut scratch = CalcRecord::default();
            (
                year - 1,
                path_value(target, x, scale, year - 1, &mut scratch)?,
            )
        }
    };
    let need = rec.step(
        "本年所需增量",
        format!(
            "路径{year}年值 − {from_year}年值 = {} − {}",
            num(on_path),
            num(from)
        ),
        on_path - from,
    );
    Some(Need {
        value: need,
        after: None,
        sign: target.direction.sign(),
        limit: false,
    })
}

/// What the year needs and, if met exactly, what the years after need (percent).
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
        "本年起所需年均增速（%）",
        f,
        ((index / product).powf(1.0 / f64::from(rest)) - 1.0) * 100.0,
    );
    let after = (rest > 1).then(|| {
        let met = product * (1.0 + annual.value / 100.0);
        let f = format!("({}/{})^(1/{}) − 1", num(index), num(met), rest - 1);
        rec.step(
            "完成年度目标后余下年份所需增速（%）",
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
        rec.note("水平目标不是复合增长型，不与年度增速比较");
        return None;
    }
    let levels = select(obs, &[ObservationKind::Level], w);
    let (s, x_s) = levels
        .latest_after(target.base_year)
        .or(target.baseline.map(|b| (target.base_year, b)))?;
    if x_s <= 0.0 {
        return None;
    }
    rec.note("五年目标为现价总量，年度目标为可比价增速，二者相差价格因素，比较仅作参考");
    let years = target.target_year - s;
    let f = format!(
        "(X/x_s)^(1/(T−s)) − 1 = ({}/{})^(1/{years}) − 1",
        num(x),
        num(x_s)
    );
    let needed = rec.step(
        "本年起所需年均增速（%）",
        f,
        ((x / x_s).powf(1.0 / f64::from(years)) - 1.0) * 100.0,
    );
    let after = (years > 1).then(|| {
        let met = x_s * (1.0 + annual.value / 100.0);
        let f = format!("({}/{})^(1/{}) − 1", num(x), num(met), years - 1);
        rec.step(
            "完成年度目标后余下年份所需增速（%）",
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
    value: f64,
    needed: Result<Need, String>,
    mut record: CalcRecord,
) -> AnnualCheck {
    let name = &target.indicator;
    let unit = if annual.growth {
        "%".to_string()
    } else if is_increment(annual) {
        match target.unit.as_deref() {
            Some("%") | None => "个百分点".to_string(),
            Some(u) => u.to_string(),
        }
    } else {
        target.unit.clone().unwrap_or_default()
    };
    let year = annual.year;
    let written = |v: &str| {
        let word = match annual.comparator {
            Some(Comparator::Approx) => "左右",
            Some(Comparator::Ge | Comparator::Gt) => "以上",
            Some(Comparator::Le | Comparator::Lt) => "以内",
            _ => "",
        };
        let increment = if is_increment(annual) && !annual.growth {
            "提高"
        } else {
            ""
        };
        format!("{increment}{v}{unit}{word}")
    };
    let (needed, after_if_met, too_low, message) = match needed {
        Err(reason) => {
            record.note(reason.clone());
            let message = format!(
                "{year}年{name}年度目标{}{}：{reason}，不作衔接比较。",
                num(annual.value),
                annual.unit.clone().unwrap_or_default()
            );
            (None, None, false, message)
        }
        Ok(need) => {
            let gap = need.sign * (value - need.value);
            let tiny = 5e-5 * need.value.abs().max(1.0);
            let too_low = gap < -tiny;
            let (v, n) = shown_pair(value, need.value);
            let message = match (need.limit, too_low) {
                (true, true) => format!(
                    "{year}年{name}年度目标{}宽于五年目标控制值{n}{unit}，偏松。",
                    written(&v)
                ),
                (true, false) => format!(
                    "{year}年{name}年度目标{}不宽于五年目标控制值{n}{unit}，与五年目标衔接。",
                    written(&v)
                ),
                (false, true) => {
                    let tail = need
                        .after
                        .map(|a| format!("；即使完成年度目标，此后仍需年均{a:.1}%"))
                        .unwrap_or_default();
                    let side = if need.sign < 0.0 { "高于" } else { "低于" };
                    format!(
                        "{year}年{name}年度目标{}{side}实现五年目标所需的{n}{unit}，偏低{tail}。",
                        written(&v)
                    )
                }
                // The year before is already beyond this year's point of the path.
                (false, false) if is_increment(annual) && need.sign * need.value <= 0.0 => {
                    format!(
                        "{year}年{name}年度目标{}；上年实际值已达到规划路径当年要求，与五年目标衔接。",
                        written(&v)
                    )
                }
                (false, false) => {
                    let side = if need.sign < 0.0 {
                        "不高于"
                    } else {
                        "不低于"
                    };
                    format!(
                        "{year}年{name}年度目标{}{side}实现五年目标所需的{n}{unit}，与五年目标衔接。",
                        written(&v)
                    )
                }
            };
            record.step("本年所需（比较值）", num(need.value), need.value);
            (Some(need.value), need.after, too_low, message)
        }
    };
    AnnualCheck {
        indicator: name.clone(),
        year,
        annual_value: value,
        needed,
        after_if_met,
        too_low,
        record,
        message,
    }
}

/// Two numbers shown with the fewest decimals (1 to 4; 2 at least below 1) at which
/// their order is still the true one: 0.3 against 0.2867 is `0.3` and `0.29`, 1.8
/// against 1.8049 `1.8` and `1.805`.
pub fn shown_pair(a: f64, b: f64) -> (String, String) {
    let order = (a - b).abs() > 5e-5 * b.abs().max(1.0);
    let from = if b.abs() < 1.0 { 2 } else { 1 };
    for d in from..=4 {
        let (x, y) = (fixed(a, d), fixed(b, d));
        let same = x == y;
        if same != order {
            return (trim(&x), trim(&y));
        }
    }
    (trim(&fixed(a, 4)), trim(&fixed(b, 4)))
}

fn fixed(x: f64, d: usize) -> String {
    format!("{x:.d$}")
}

fn trim(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
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
            unit: Some("%".into()),
            text: None,
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
            2020,
            2025,
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
            2020,
            2025,
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
            2020,
            2025,
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
            2020,
            2025,
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
        let q = Target::new(
            "耕地保有量",
            TargetType::Qualitative {
                text: "完成市下达任务".into(),
            },
            Direction::Higher,
            2020,
            2025,
        );
        let c = check_annual_target(&q, &annual(5.0, false), &[], None);
        assert_eq!(c.needed, None);
        assert!(!c.too_low);
        assert!(c.message.contains("不作衔接比较"), "{}", c.message);
        let g = Target::new(
            "GDP",
            TargetType::GrowthRate {
                rate: 7.0,
                approx: false,
            },
            Direction::Higher,
            2020,
            2025,
        );
        let mut late = annual(7.0, true);
        late.year = 2026;
        let c = check_annual_target(&g, &late, &[], None);
        assert_eq!(c.needed, None);
        assert!(c.message.contains("不在规划期内"), "{}", c.message);
    }

    /// A yearly ceiling against the five-year ceiling: 5.5以内 under 5.5以内 is in line,
    /// 6以内 is looser (偏松).
    #[test]
    fn bounds_compare_with_bounds() {
        let t = Target {
            unit: Some("%".into()),
            ..Target::new(
                "城镇调查失业率",
                TargetType::Ceiling {
                    limit: 5.5,
                    strict: false,
                    measure: Measure::Level,
                },
                Direction::Lower,
                2020,
                2025,
            )
        };
        let mut a = annual(5.5, false);
        a.comparator = Some(Comparator::Le);
        let c = check_annual_target(&t, &a, &[], None);
        assert_eq!((c.needed, c.too_low), (Some(5.5), false));
        assert_eq!(
            c.message,
            "2021年城镇调查失业率年度目标5.5%以内不宽于五年目标控制值5.5%，与五年目标衔接。"
        );
        a.value = 6.0;
        let c = check_annual_target(&t, &a, &[], None);
        assert!(c.too_low && c.message.contains("偏松"), "{}", c.message);
    }

    fn employment() -> Target {
        Target {
            unit: Some("万人".into()),
            ..Target::new(
                "城镇新增就业人数",
                TargetType::CumulativeFlow { total: 1.5 },
                Direction::Higher,
                2020,
                2025,
            )
        }
    }

    /// 新增城镇就业3000人以上 against [1.5]万人: 3000人 = 0.3万人. 2021–2022 added 0.33 and
    /// 0.31, so 2023 needs (1.5 − 0.64)/3 = 0.28667. 0.3 shown against 0.2867 would round
    /// to 0.3 = 0.3; the message shows 0.3 and 0.29 instead.
    #[test]
    fn units_are_converted_and_numbers_shown_so_the_order_is_true() {
        let obs = [
            Observation::new("城镇新增就业人数", 2021, 0.33, ObservationKind::Level),
            Observation::new("城镇新增就业人数", 2022, 0.31, ObservationKind::Level),
        ];
        let a = AnnualTarget {
            indicator: "新增城镇就业".into(),
            year: 2023,
            value: 3000.0,
            growth: false,
            comparator: Some(Comparator::Ge),
            reference: None,
            unit: Some("人".into()),
            text: Some("新增城镇就业3000人以上".into()),
        };
        let c = check_annual_target(&employment(), &a, &obs, None);
        assert!(!c.too_low);
        assert!((c.annual_value - 0.3).abs() < 1e-12);
        assert!((c.needed.unwrap() - 0.286667).abs() < 1e-5);
        assert_eq!(
            c.message,
            "2023年城镇新增就业人数年度目标0.3万人以上不低于实现五年目标所需的0.29万人，与五年目标衔接。"
        );
        // 人 against 亿元: not the same quantity, not compared.
        let money = Target {
            unit: Some("亿元".into()),
            ..employment()
        };
        let c = check_annual_target(&money, &a, &obs, None);
        assert_eq!(c.needed, None);
        // A level target without a baseline has no path to compare with.
        let pathless = Target::new(
            "新造油茶林",
            TargetType::Level {
                value: 10.0,
                scale: Scale::Linear,
                approx: false,
            },
            Direction::Higher,
            2020,
            2025,
        );
        let oil = AnnualTarget {
            indicator: "新造油茶林".into(),
            unit: None,
            ..a.clone()
        };
        let pc = check_annual_target(&pathless, &oil, &[], None);
        assert!(pc.message.contains("没有基期值"), "{}", pc.message);
        assert!(
            c.message.contains("单位“人”与五年目标单位“亿元”不同"),
            "{}",
            c.message
        );
    }

    /// 常住人口城镇化率提高1个百分点 is an increment: 48.6 → 55 on a line needs
    /// 48.6 + 0.6·6.4 = 52.44 in 2023; from 51.9 in 2022 that is 0.54 points, so 1 point is
    /// enough. It is never compared with the level 52.44.
    #[test]
    fn an_increment_is_compared_with_the_increment_needed() {
        let t = Target {
            unit: Some("%".into()),
            ..Target::new(
                "常住人口城镇化率",
                TargetType::Level {
                    value: 55.0,
                    scale: Scale::Linear,
                    approx: false,
                },
                Direction::Higher,
                2020,
                2025,
            )
            .with_baseline(48.6)
        };
        let obs = [Observation::new(
            "常住人口城镇化率",
            2022,
            51.9,
            ObservationKind::Share,
        )];
        let a = AnnualTarget {
            indicator: "常住人口城镇化率".into(),
            year: 2023,
            value: 1.0,
            growth: false,
            comparator: None,
            reference: None,
            unit: Some("个百分点".into()),
            text: Some("常住人口城镇化率提高1个百分点".into()),
        };
        let c = check_annual_target(&t, &a, &obs, None);
        assert!((c.needed.unwrap() - 0.54).abs() < 1e-9, "{:?}", c.needed);
        assert!(!c.too_low);
        assert_eq!(
            c.message,
            "2023年常住人口城镇化率年度目标提高1个百分点不低于实现五年目标所需的0.54个百分点，与五年目标衔接。"
        );
        // 2022 already at 52.6 > 52.44: the path asks for no increase in 2023 (−0.16).
        let ahead = [Observation::new(
            "常住人口城镇化率",
            2022,
            52.6,
            ObservationKind::Share,
        )];
        let c = check_annual_target(&t, &a, &ahead, None);
        assert!((c.needed.unwrap() + 0.16).abs() < 1e-9);
        assert!(!c.too_low);
        assert!(
            c.message.contains("上年实际值已达到规划路径当年要求"),
            "{}",
            c.message
        );
    }

    #[test]
    fn shown_pairs_keep_the_true_order() {
        let check = |a: f64, b: f64, want: (&str, &str)| {
            let (x, y) = shown_pair(a, b);
            assert_eq!((x.as_str(), y.as_str()), want, "{a} {b}");
        };
        check(0.3, 0.286667, ("0.3", "0.29"));
        check(1.8, 1.8049, ("1.8", "1.805"));
        check(7.0, 7.1, ("7", "7.1"));
        check(9.0, 8.983, ("9", "8.98"));
        check(5.5, 5.5, ("5.5", "5.5"));
        check(8.0, 8.12, ("8", "8.1"));
    }
}
