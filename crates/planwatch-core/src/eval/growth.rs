//! Growth-rate targets (年均增长g%): evaluated from annual real growth rates only.

use super::observation::{Observation, ObservationKind, Window, select};
use super::record::{CalcRecord, num};
use super::status::{Category, DataPoint, Figures, Outcome, Pace, PaceUnit, Thresholds};
use super::target::Target;
use crate::wording::fig;

/// Growth rates observed after the base year, as fractions, with their years.
pub(super) struct Rates {
    pub years: Vec<i32>,
    pub product: f64,
}

impl Rates {
    fn count(&self) -> i32 {
        self.years.len() as i32
    }
}

/// Evaluate 年均增长 g% (g in percent).
pub(super) fn evaluate(
    target: &Target,
    g_pct: f64,
    approx: bool,
    obs: &[Observation],
    w: &Window,
    th: &Thresholds,
) -> Outcome {
    let mut rec = CalcRecord::new("年均增速目标（按可比价逐年增速连乘）");
    let name = target.indicator.as_str();
    let series = select(obs, &[ObservationKind::GrowthRate], w);
    rec.notes.extend(series.notes.iter().cloned());
    let points = series.after(target.base_year);
    if points.is_empty() {
        return Outcome::insufficient(rec, name, &missing_rates_reason(target, obs, w));
    }
    let rates = product_of(&points, &mut rec);
    note_missing_years(target, &rates, &mut rec);
    let g = g_pct / 100.0;
    let span = target.target_year - target.base_year;
    rec.input("目标年均增速 g", format!("{}%", num(g_pct)));
    rec.input(
        "基期 b / 目标年 T",
        format!("{} / {}", target.base_year, target.target_year),
    );
    let n = rates.count();
    if rates.product <= 0.0 {
        rec.note("累计指数不为正（某年下降100%以上），年均增速按−100%计");
    }
    let cagr = rec.step_share(
        "已实现年均增速 r̄",
        format!("∏(1+r_i)^(1/n) − 1 = {}^(1/{}) − 1", num(rates.product), n),
        rates.product.max(0.0).powf(1.0 / f64::from(n)) - 1.0,
    );
    let needed_index = rec.step(
        "期末所需累计指数",
        format!("(1+g)^(T−b) = {}^{}", num(1.0 + g), span),
        (1.0 + g).powi(span),
    );
    let pace = pace_needed(needed_index, &rates, span, &mut rec);
    let p = (g > 0.0).then(|| {
        rec.step_share(
            "进度比 P",
            format!("r̄/g = {}/{}", num(cagr), num(g)),
            cagr / g,
        )
    });
    th.record_pace(&mut rec);
    let category = growth_category(
        target,
        &rates,
        needed_index,
        cagr,
        g,
        p,
        approx,
        th,
        &mut rec,
    );
    let latest_year = *rates.years.last().unwrap_or(&target.base_year);
    let figures = Figures {
        latest: Some(DataPoint {
            year: latest_year,
            value: cagr * 100.0,
        }),
        completion: None,
        required: None,
        pace_ratio: p,
        margin: None,
        projected: Some(cagr * 100.0),
        pace_needed: pace,
    };
    let explanation = explain(target, g_pct, &rates, cagr, &figures, category, th);
    Outcome {
        category,
        figures,
        record: rec,
        explanation,
    }
}

/// Why no growth rate is usable; says so when only levels exist.
fn missing_rates_reason(target: &Target, obs: &[Observation], w: &Window) -> String {
    let levels = select(obs, &[ObservationKind::Level, ObservationKind::Share], w);
    if !levels.after(target.base_year).is_empty() {
        return "只有总量数据（现价），没有可比价增长率；不以总量推算增速，以免混用口径"
            .to_string();
    }
    format!("{}年之后没有可用的增长率数据", target.base_year)
}

pub(super) fn product_of(points: &[(i32, f64)], rec: &mut CalcRecord) -> Rates {
    let mut product = 1.0;
    let mut terms = Vec::new();
    for (year, r) in points {
        product *= 1.0 + r / 100.0;
        // The sign is written out: `num` gives text, which `{:+}` would leave unsigned.
        let sign = if *r < 0.0 { "−" } else { "+" };
        terms.push(format!("(1{sign}{}%)", num(r.abs())));
        rec.input(&format!("{year}年增速 r"), format!("{}%", num(*r)));
    }
    let product = rec.step("累计指数 ∏(1+r_i)", terms.join("×"), product);
    Rates {
        years: points.iter().map(|(y, _)| *y).collect(),
        product,
    }
}

fn note_missing_years(target: &Target, rates: &Rates, rec: &mut CalcRecord) {
    let last = *rates.years.last().unwrap_or(&target.base_year);
    let missing: Vec<String> = (target.base_year + 1..=last)
        .filter(|y| !rates.years.contains(y))
        .map(|y| y.to_string())
        .collect();
    if !missing.is_empty() {
        rec.note(format!(
            "缺少{}年增速，按已有{}年计算，缺数年份计入余下年份",
            missing.join("、"),
            rates.years.len()
        ));
    }
}

fn pace_needed(needed_index: f64, rates: &Rates, span: i32, rec: &mut CalcRecord) -> Option<Pace> {
    let years = span - rates.count();
    if years <= 0 || rates.product <= 0.0 {
        return None;
    }
    let f = format!(
        "((1+g)^(T−b)/∏(1+r_i))^(1/{years}) − 1 = ({}/{})^(1/{years}) − 1",
        num(needed_index),
        num(rates.product)
    );
    let v = rec.step_share(
        "余下年份所需年均增速",
        f,
        (needed_index / rates.product).powf(1.0 / f64::from(years)) - 1.0,
    );
    Some(Pace {
        value: v * 100.0,
        unit: PaceUnit::PercentPerYear,
        years,
    })
}

#[allow(clippy::too_many_arguments)]
fn growth_category(
    target: &Target,
    rates: &Rates,
    needed_index: f64,
    cagr: f64,
    g: f64,
    p: Option<f64>,
    approx: bool,
    th: &Thresholds,
    rec: &mut CalcRecord,
) -> Category {
    let tol = th.growth_tolerance_pp / 100.0;
    if approx {
        rec.threshold("“左右”容差（百分点）", th.growth_tolerance_pp);
    }
    let last = rates.years.last().copied().unwrap_or(target.base_year);
    if last >= target.target_year {
        return final_category(target, cagr, g, p, approx, th, rec);
    }
    if rates.product >= needed_index {
        return Category::AchievedEarly;
    }
    let by_pace = match p {
        Some(p) => th.classify(p),
        None => by_difference(cagr - g, tol, rec),
    };
    if approx && (cagr - g).abs() <= tol && by_pace.rank() < Category::OnTrack.rank() {
        rec.note("已实现增速在“左右”容差内，按基本符合预期");
        return Category::OnTrack;
    }
    by_pace
}

/// Final: the period's average growth reached g (or came within the 左右 tolerance) is
/// 已实现; else by P = CAGR/g (基本实现 at P ≥ 0.90), or for g ≤ 0 by a shortfall of at
/// most one tolerance.
fn final_category(
    target: &Target,
    cagr: f64,
    g: f64,
    p: Option<f64>,
    approx: bool,
    th: &Thresholds,
    rec: &mut CalcRecord,
) -> Category {
    let tol = th.growth_tolerance_pp / 100.0;
    th.record_final(rec, target.binding);
    let slack = if approx { tol } else { 0.0 };
    if cagr >= g - slack - 1e-12 {
        return Category::Achieved;
    }
    match p {
        Some(p) => th.final_missed(p, target.binding),
        None if !target.binding && g - cagr <= tol => Category::BasicallyAchieved,
        None => Category::NotAchieved,
    }
}

/// For a target growth of zero or below, P is meaningless: compare the difference in points.
fn by_difference(diff: f64, tol: f64, rec: &mut CalcRecord) -> Category {
    rec.note("目标增速不为正，进度比无意义，按已实现增速与目标之差（百分点）判断");
    rec.step("增速差 r̄ − g（百分点）", num(diff * 100.0), diff * 100.0);
    if diff >= tol {
        Category::Ahead
    } else if diff >= -tol {
        Category::OnTrack
    } else if diff >= -4.0 * tol {
        Category::Lagging
    } else {
        Category::SeverelyLagging
    }
}

fn explain(
    target: &Target,
    g_pct: f64,
    rates: &Rates,
    cagr: f64,
    f: &Figures,
    category: Category,
    th: &Thresholds,
) -> String {
    let first = rates.years.first().copied().unwrap_or(target.base_year);
    let last = rates.years.last().copied().unwrap_or(target.base_year);
    let span = if first == last {
        format!("{last}年增长")
    } else {
        format!("{first}—{last}年平均增长")
    };
    let head = format!(
        "{}{span}{:.1}%，目标年均增长{}%",
        target.indicator,
        cagr * 100.0,
        fig(g_pct)
    );
    let rest = match f.pace_needed {
        Some(p) if !category.is_final() && category != Category::AchievedEarly => {
            format!(
                "；余下{}年需{}",
                p.years,
                p.phrase("%", crate::wording::PaceKind::Level)
            )
        }
        _ => String::new(),
    };
    let p = f
        .pace_ratio
        .map(|p| format!("，进度比{}", th.shown_ratio(p)))
        .unwrap_or_default();
    format!("{head}{p}，属于{}{rest}。", category.label())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 8.6%, 7.2% and a fall of 1.5%: the record shows each factor as 1 plus or minus the
    /// rate, and the index 1.086 × 1.072 × 0.985 = 1.14674.
    #[test]
    fn the_index_formula_shows_one_plus_each_rate() {
        let mut rec = CalcRecord::new("测试");
        let rates = product_of(&[(2021, 8.6), (2022, 7.2), (2023, -1.5)], &mut rec);
        let step = rec.steps.last().unwrap();
        assert_eq!(step.formula, "(1+8.6%)×(1+7.2%)×(1−1.5%)");
        assert!((rates.product - 1.086 * 1.072 * 0.985).abs() < 1e-12);
    }
}
