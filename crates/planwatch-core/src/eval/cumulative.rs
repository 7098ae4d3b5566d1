//! Five-year cumulative targets: reductions ([降低X%]) and flows ([新增N], 累计).

use super::observation::{Observation, ObservationKind, Series, Window, select};
use super::record::{CalcRecord, num, pct};
use super::status::{Category, DataPoint, Figures, Outcome, Pace, PaceUnit, Thresholds};
use super::target::Target;
use crate::wording::fig;

/// Yearly reductions as fractions, and where they came from.
struct Reductions {
    years: Vec<i32>,
    /// ∏(1 − r_i): what is left of the baseline.
    remaining: f64,
    /// Share of the period the data covers, τ.
    tau: f64,
}

/// Evaluate [降低X%] (X in percent).
pub(super) fn reduction(
    target: &Target,
    x_pct: f64,
    obs: &[Observation],
    w: &Window,
    th: &Thresholds,
) -> Outcome {
    let mut rec = CalcRecord::new("累计降低目标（逐年降低率连乘）");
    let name = target.indicator.as_str();
    let span = target.target_year - target.base_year;
    if x_pct <= 0.0 || x_pct >= 100.0 {
        return Outcome::insufficient(
            rec,
            name,
            &format!("目标降幅{}%不在0到100%之间，无法按累计降低评估", num(x_pct)),
        );
    }
    let Some(red) = reductions(target, obs, w, span, &mut rec) else {
        return Outcome::insufficient(
            rec,
            name,
            &format!("{}年之后没有降低率、增长率或强度数据", target.base_year),
        );
    };
    let x = x_pct / 100.0;
    rec.input("目标累计降幅 X", format!("{}%", num(x_pct)));
    let achieved = rec.step_share(
        "已实现累计降幅 A",
        format!("1 − ∏(1 − r_i) = 1 − {}", num(red.remaining)),
        1.0 - red.remaining,
    );
    let completion = rec.step_share(
        "完成度",
        format!("A/X = {}/{}", num(achieved), num(x)),
        achieved / x,
    );
    let required = rec.step_share(
        "序时进度要求 R",
        format!("1 − (1 − X)^τ = 1 − {}^{}", num(1.0 - x), num(red.tau)),
        1.0 - (1.0 - x).powf(red.tau),
    );
    let p = rec.step_share(
        "进度比 P",
        format!("A/R = {}/{}", num(achieved), num(required)),
        achieved / required,
    );
    let projected = projected_reduction(&red, &mut rec);
    let pace = reduction_pace(x, &red, span, &mut rec);
    th.record_pace(&mut rec);
    let latest_year = *red.years.last().unwrap_or(&target.base_year);
    let done = latest_year >= target.target_year;
    let category = if achieved >= x {
        met(done)
    } else if done {
        th.record_final(&mut rec, target.binding);
        th.final_missed(completion, target.binding)
    } else {
        th.classify(p)
    };
    let figures = Figures {
        latest: Some(DataPoint {
            year: latest_year,
            value: achieved * 100.0,
        }),
        completion: Some(completion),
        required: Some(required * 100.0),
        pace_ratio: Some(p),
        margin: None,
        projected,
        pace_needed: pace,
    };
    let explanation =
        explain_reduction(target, x_pct, latest_year, achieved, &figures, category, th);
    Outcome {
        category,
        figures,
        record: rec,
        explanation,
    }
}

fn met(done: bool) -> Category {
    if done {
        Category::Achieved
    } else {
        Category::AchievedEarly
    }
}

/// Yearly reductions from, in order of preference: reduction rates, growth rates (negated),
/// or intensity levels against the baseline. One kind only, never mixed.
fn reductions(
    target: &Target,
    obs: &[Observation],
    w: &Window,
    span: i32,
    rec: &mut CalcRecord,
) -> Option<Reductions> {
    let b = target.base_year;
    for (kind, sign) in [
        (ObservationKind::Reduction, 1.0),
        (ObservationKind::GrowthRate, -1.0),
    ] {
        let s = select(obs, &[kind], w);
        let points = s.after(b);
        if points.is_empty() {
            continue;
        }
        rec.notes.extend(s.notes.iter().cloned());
        if kind == ObservationKind::GrowthRate {
            rec.note("按增长率取负作为逐年降低率");
        }
        let mut remaining = 1.0;
        let mut terms = Vec::new();
        for (year, v) in &points {
            let r = sign * v / 100.0;
            remaining *= 1.0 - r;
            terms.push(format!("(1 − {})", num(r)));
            rec.input(&format!("{year}年降低率 r"), format!("{}%", num(sign * v)));
        }
        let remaining = rec.step_share("剩余比例 ∏(1 − r_i)", terms.join("×"), remaining);
        let years: Vec<i32> = points.iter().map(|(y, _)| *y).collect();
        let tau = rec.step_share(
            "序时进度 τ",
            format!("已有数据年数/规划年数 = {}/{span}", years.len()),
            years.len() as f64 / f64::from(span),
        );
        return Some(Reductions {
            years,
            remaining,
            tau,
        });
    }
    from_intensity_levels(target, obs, w, span, rec)
}

fn from_intensity_levels(
    target: &Target,
    obs: &[Observation],
    w: &Window,
    span: i32,
    rec: &mut CalcRecord,
) -> Option<Reductions> {
    let levels: Series = select(obs, &[ObservationKind::Level], w);
    let (t, x_t) = levels.latest_after(target.base_year)?;
    let x_b = target
        .baseline
        .filter(|v| *v > 0.0)
        .or_else(|| levels.get(target.base_year))?;
    if x_b <= 0.0 {
        return None;
    }
    rec.note("按强度水平值计算：∏(1 − r_i) = x_t/x_b");
    rec.input("基期强度 x_b", num(x_b));
    rec.input("最新强度 x_t", format!("{}（{t}年）", num(x_t)));
    let remaining = rec.step_share(
        "剩余比例 ∏(1 − r_i)",
        format!("x_t/x_b = {}/{}", num(x_t), num(x_b)),
        x_t / x_b,
    );
    let tau = rec.step_share(
        "序时进度 τ",
        format!("({t} − {})/{span}", target.base_year),
        f64::from(t - target.base_year) / f64::from(span),
    );
    Some(Reductions {
        years: (target.base_year + 1..=t).collect(),
        remaining,
        tau,
    })
}

fn projected_reduction(red: &Reductions, rec: &mut CalcRecord) -> Option<f64> {
    if red.remaining <= 0.0 || red.tau <= 0.0 {
        return None;
    }
    let f = format!(
        "1 − (∏(1 − r_i))^(1/τ) = 1 − {}^(1/{})",
        num(red.remaining),
        num(red.tau)
    );
    let v = rec.step_share(
        "按当前速度预计期末累计降幅",
        f,
        1.0 - red.remaining.powf(1.0 / red.tau),
    );
    Some(v * 100.0)
}

fn reduction_pace(x: f64, red: &Reductions, span: i32, rec: &mut CalcRecord) -> Option<Pace> {
    let years = span - (red.tau * f64::from(span)).round() as i32;
    if years <= 0 || red.remaining <= 0.0 {
        return None;
    }
    let f = format!(
        "1 − ((1 − X)/∏(1 − r_i))^(1/{years}) = 1 − ({}/{})^(1/{years})",
        num(1.0 - x),
        num(red.remaining)
    );
    let v = rec.step_share(
        "余下年份所需年均降低率",
        f,
        1.0 - ((1.0 - x) / red.remaining).powf(1.0 / f64::from(years)),
    );
    Some(Pace {
        value: v * 100.0,
        unit: PaceUnit::PercentPerYear,
        years,
    })
}

fn explain_reduction(
    target: &Target,
    x_pct: f64,
    year: i32,
    achieved: f64,
    f: &Figures,
    category: Category,
    th: &Thresholds,
) -> String {
    let head = format!(
        "{}至{year}年累计降低{}，目标五年累计降低{}%",
        target.indicator,
        pct(achieved),
        fig(x_pct)
    );
    if matches!(category, Category::AchievedEarly | Category::Achieved) {
        return format!("{head}，已完成，属于{}。", category.label());
    }
    if category.is_final() {
        let done = f.completion.map(pct).unwrap_or_default();
        return format!("{head}，完成目标的{done}，属于{}。", category.label());
    }
    let p = f
        .pace_ratio
        .map(|p| format!("，进度比{}", th.shown_ratio(p)))
        .unwrap_or_default();
    let rest = f
        .pace_needed
        .map(|pace| {
            format!(
                "；余下{}年需{}",
                pace.years,
                pace.phrase("%", crate::wording::PaceKind::Reduction)
            )
        })
        .unwrap_or_default();
    format!("{head}{p}，属于{}{rest}。", category.label())
}

/// Evaluate [新增N]: yearly amounts summed over the period.
pub(super) fn flow(
    target: &Target,
    total: f64,
    obs: &[Observation],
    w: &Window,
    th: &Thresholds,
) -> Outcome {
    let mut rec = CalcRecord::new("累计新增目标（逐年新增量求和）");
    let name = target.indicator.as_str();
    if total <= 0.0 {
        return Outcome::insufficient(
            rec,
            name,
            &format!("累计目标{}不为正，无法计算完成度", num(total)),
        );
    }
    let series = select(obs, &[ObservationKind::Level], w);
    rec.notes.extend(series.notes.iter().cloned());
    let points = series.after(target.base_year);
    let Some(&(last, _)) = points.last() else {
        return Outcome::insufficient(
            rec,
            name,
            &format!("{}年之后没有逐年新增量数据", target.base_year),
        );
    };
    let span = target.target_year - target.base_year;
    let n = points.len() as i32;
    if n < last - target.base_year {
        rec.note(format!(
            "{}—{last}年中只有{n}年数据，序时进度按有数据的年数计算，累计值可能偏低",
            target.base_year + 1
        ));
    }
    rec.input("目标累计量 N", num(total));
    let terms: Vec<String> = points
        .iter()
        .map(|(y, v)| format!("{}({y})", num(*v)))
        .collect();
    let sum = rec.step(
        "累计完成 Σa_i",
        terms.join(" + "),
        points.iter().map(|(_, v)| v).sum(),
    );
    let completion = rec.step_share(
        "完成度",
        format!("Σa_i/N = {}/{}", num(sum), num(total)),
        sum / total,
    );
    let tau = rec.step_share(
        "序时进度 τ",
        format!("{n}/{span}"),
        f64::from(n) / f64::from(span),
    );
    let required = rec.step(
        "序时进度要求 τN",
        format!("{}·{}", num(tau), num(total)),
        tau * total,
    );
    let p = rec.step_share(
        "进度比 P",
        format!("Σa_i/(τN) = {}/{}", num(sum), num(required)),
        sum / required,
    );
    let projected = rec.step(
        "按当前速度预计期末累计",
        format!("Σa_i/τ = {}/{}", num(sum), num(tau)),
        sum / tau,
    );
    let years = span - n;
    let pace = (years > 0).then(|| {
        let v = rec.step(
            "余下年份所需年均新增",
            format!(
                "(N − Σa_i)/{years} = ({} − {})/{years}",
                num(total),
                num(sum)
            ),
            (total - sum) / f64::from(years),
        );
        Pace {
            value: v,
            unit: PaceUnit::AmountPerYear,
            years,
        }
    });
    th.record_pace(&mut rec);
    let done = last >= target.target_year;
    let category = if sum >= total {
        met(done)
    } else if done {
        th.record_final(&mut rec, target.binding);
        th.final_missed(completion, target.binding)
    } else {
        th.classify(p)
    };
    let figures = Figures {
        latest: Some(DataPoint {
            year: last,
            value: sum,
        }),
        completion: Some(completion),
        required: Some(required),
        pace_ratio: Some(p),
        margin: None,
        projected: Some(projected),
        pace_needed: pace,
    };
    let explanation = explain_flow(target, total, last, sum, &figures, category);
    Outcome {
        category,
        figures,
        record: rec,
        explanation,
    }
}

fn explain_flow(
    target: &Target,
    total: f64,
    year: i32,
    sum: f64,
    f: &Figures,
    category: Category,
) -> String {
    let unit = target.unit.clone().unwrap_or_default();
    let head = format!(
        "{}至{year}年累计{}{unit}，目标五年累计{}{unit}",
        target.indicator,
        fig(sum),
        fig(total)
    );
    let done = f.completion.map(pct).unwrap_or_default();
    let rest = match f.pace_needed {
        Some(p) if sum < total => format!(
            "；余下{}年需{}",
            p.years,
            p.phrase(&unit, crate::wording::PaceKind::Flow)
        ),
        _ => String::new(),
    };
    format!("{head}，完成{done}，属于{}{rest}。", category.label())
}
