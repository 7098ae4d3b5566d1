//! Level targets (达到X): completion, required-by-now on a linear or geometric path,
//! pace ratio, projection and the pace needed for the rest.

use super::observation::{Observation, ObservationKind, Series, Window, select};
use super::record::{CalcRecord, num, pct};
use super::status::{Category, DataPoint, Figures, Outcome, Pace, PaceUnit, Thresholds};
use super::target::{Scale, Target};
use crate::wording::fig;

/// The numbers a level evaluation starts from.
struct LevelInputs {
    b: i32,
    t: i32,
    end: i32,
    x_b: f64,
    x_t: f64,
    x: f64,
}

/// Evaluate a level target X.
pub(super) fn evaluate(
    target: &Target,
    x: f64,
    scale: Scale,
    approx: bool,
    obs: &[Observation],
    w: &Window,
    th: &Thresholds,
) -> Outcome {
    let method = match scale {
        Scale::Linear => "总量/水平目标（按线性序时路径）",
        Scale::Geometric => "总量/水平目标（按复合增长路径）",
    };
    let mut rec = CalcRecord::new(method);
    let levels = select(obs, &[ObservationKind::Level, ObservationKind::Share], w);
    rec.notes.extend(levels.notes.iter().cloned());
    let name = target.indicator.as_str();
    let Some(x_b) = baseline(target, &levels, &mut rec) else {
        return Outcome::insufficient(rec, name, &format!("缺少{}年基期值", target.base_year));
    };
    let Some((t, x_t)) = levels.latest_after(target.base_year) else {
        return Outcome::insufficient(rec, name, &missing_levels_reason(target, obs, w));
    };
    let inputs = LevelInputs {
        b: target.base_year,
        t,
        end: target.target_year,
        x_b,
        x_t,
        x,
    };
    record_inputs(&mut rec, target, &inputs);
    if x == x_b {
        return maintain(target, &inputs, th, rec);
    }
    progress(target, &inputs, scale, approx, th, rec)
}

/// The plan's baseline, else the observed base-year value.
pub(super) fn baseline(target: &Target, levels: &Series, rec: &mut CalcRecord) -> Option<f64> {
    if let Some(x_b) = target.baseline {
        rec.input("基期值 x_b（规划）", num(x_b));
        return Some(x_b);
    }
    let x_b = levels.get(target.base_year)?;
    rec.input("基期值 x_b（观测）", num(x_b));
    Some(x_b)
}

/// Why there is no level after the base year; says so when only growth rates exist.
pub(super) fn missing_levels_reason(target: &Target, obs: &[Observation], w: &Window) -> String {
    let growth = select(obs, &[ObservationKind::GrowthRate], w);
    if !growth.after(target.base_year).is_empty() {
        return "只有增长率数据，没有总量数据；增长率与总量口径不同（可比价与现价），不混用推算"
            .to_string();
    }
    format!(
        "{}年之后没有可用的总量数据（仅有基期或无数据）",
        target.base_year
    )
}

fn record_inputs(rec: &mut CalcRecord, target: &Target, i: &LevelInputs) {
    let unit = target.unit.clone().unwrap_or_default();
    rec.input("目标值 X", format!("{}{unit}", num(i.x)));
    rec.input("最新值 x_t", format!("{}{unit}（{}年）", num(i.x_t), i.t));
    rec.input(
        "基期 b / 最新年 t / 目标年 T",
        format!("{} / {} / {}", i.b, i.t, i.end),
    );
}

/// Baseline equals target: the plan asks to keep the level. It holds or it does not.
fn maintain(target: &Target, i: &LevelInputs, th: &Thresholds, mut rec: CalcRecord) -> Outcome {
    rec.method = "保持型目标（基期值等于目标值）".to_string();
    let d = target.direction.sign();
    let gap = rec.step(
        "差距 d·(x_t − X)",
        format!("{}·({} − {})", d, num(i.x_t), num(i.x)),
        d * (i.x_t - i.x),
    );
    let holds = gap >= 0.0;
    let category = if i.t >= i.end {
        // Final: kept 已实现; slipped within the 左右 tolerance 基本实现; else 未实现.
        th.record_final(&mut rec, target.binding);
        rec.threshold_share("基本实现：相对差距 ≤", th.level_tolerance);
        let slip = if i.x == 0.0 { -gap } else { -gap / i.x.abs() };
        if holds {
            Category::Achieved
        } else if !target.binding && slip <= th.level_tolerance {
            Category::BasicallyAchieved
        } else {
            Category::NotAchieved
        }
    } else if holds {
        Category::OnTrack
    } else {
        Category::Lagging
    };
    let verdict = if holds {
        "保持在目标水平"
    } else {
        "未保持在目标水平"
    };
    let explanation = format!(
        "{}目标为保持{}（与基期相同），{}年为{}，{}，属于{}。",
        target.indicator,
        fig(i.x),
        i.t,
        fig(i.x_t),
        verdict,
        category.label()
    );
    let figures = Figures {
        latest: Some(DataPoint {
            year: i.t,
            value: i.x_t,
        }),
        ..Figures::default()
    };
    Outcome {
        category,
        figures,
        record: rec,
        explanation,
    }
}

fn progress(
    target: &Target,
    i: &LevelInputs,
    scale: Scale,
    approx: bool,
    th: &Thresholds,
    mut rec: CalcRecord,
) -> Outcome {
    let tau = rec.step_share(
        "序时进度 τ",
        format!("({} − {})/({} − {})", i.t, i.b, i.end, i.b),
        f64::from(i.t - i.b) / f64::from(i.end - i.b),
    );
    let geometric = scale == Scale::Geometric && i.x_b > 0.0 && i.x > 0.0;
    if scale == Scale::Geometric && !geometric {
        rec.note("基期值或目标值不为正，复合增长路径不适用，改按线性路径计算");
    }
    let completion = rec.step_share(
        "完成度",
        format!(
            "({} − {})/({} − {})",
            num(i.x_t),
            num(i.x_b),
            num(i.x),
            num(i.x_b)
        ),
        (i.x_t - i.x_b) / (i.x - i.x_b),
    );
    let req = required_by_now(i, tau, geometric, &mut rec);
    let p = rec.step_share(
        "进度比 P",
        format!(
            "({} − {})/({} − {})",
            num(i.x_t),
            num(i.x_b),
            num(req),
            num(i.x_b)
        ),
        (i.x_t - i.x_b) / (req - i.x_b),
    );
    let projected = projection(i, tau, geometric, &mut rec);
    let pace = pace_needed(i, geometric, &mut rec);
    th.record_pace(&mut rec);
    let category = level_category(target, i, (p, completion, req), approx, th, &mut rec);
    let figures = Figures {
        latest: Some(DataPoint {
            year: i.t,
            value: i.x_t,
        }),
        completion: Some(completion),
        required: Some(req),
        pace_ratio: Some(p),
        margin: None,
        projected,
        pace_needed: pace,
    };
    let explanation = explain(target, i, &figures, category, th);
    Outcome {
        category,
        figures,
        record: rec,
        explanation,
    }
}

fn required_by_now(i: &LevelInputs, tau: f64, geometric: bool, rec: &mut CalcRecord) -> f64 {
    if geometric {
        let f = format!(
            "x_b·(X/x_b)^τ = {}·({}/{})^{}",
            num(i.x_b),
            num(i.x),
            num(i.x_b),
            num(tau)
        );
        rec.step("序时进度要求 req", f, i.x_b * (i.x / i.x_b).powf(tau))
    } else {
        let f = format!(
            "x_b + τ(X − x_b) = {} + {}·({} − {})",
            num(i.x_b),
            num(tau),
            num(i.x),
            num(i.x_b)
        );
        rec.step("序时进度要求 req", f, i.x_b + tau * (i.x - i.x_b))
    }
}

fn projection(i: &LevelInputs, tau: f64, geometric: bool, rec: &mut CalcRecord) -> Option<f64> {
    if geometric && i.x_t > 0.0 {
        let f = format!(
            "x_b·(x_t/x_b)^(1/τ) = {}·({}/{})^(1/{})",
            num(i.x_b),
            num(i.x_t),
            num(i.x_b),
            num(tau)
        );
        Some(rec.step(
            "按当前速度预计期末值",
            f,
            i.x_b * (i.x_t / i.x_b).powf(1.0 / tau),
        ))
    } else {
        let f = format!(
            "x_b + (x_t − x_b)/τ = {} + ({} − {})/{}",
            num(i.x_b),
            num(i.x_t),
            num(i.x_b),
            num(tau)
        );
        Some(rec.step("按当前速度预计期末值", f, i.x_b + (i.x_t - i.x_b) / tau))
    }
}

fn pace_needed(i: &LevelInputs, geometric: bool, rec: &mut CalcRecord) -> Option<Pace> {
    let years = i.end - i.t;
    if years <= 0 {
        return None;
    }
    if geometric && i.x_t > 0.0 {
        let f = format!(
            "(X/x_t)^(1/(T − t)) − 1 = ({}/{})^(1/{}) − 1",
            num(i.x),
            num(i.x_t),
            years
        );
        let g = rec.step_share(
            "余下年份所需年均增速",
            f,
            (i.x / i.x_t).powf(1.0 / f64::from(years)) - 1.0,
        );
        return Some(Pace {
            value: g * 100.0,
            unit: PaceUnit::PercentPerYear,
            years,
        });
    }
    let f = format!(
        "(X − x_t)/(T − t) = ({} − {})/{}",
        num(i.x),
        num(i.x_t),
        years
    );
    let a = rec.step("余下年份所需年均变动", f, (i.x - i.x_t) / f64::from(years));
    Some(Pace {
        value: a,
        unit: PaceUnit::AmountPerYear,
        years,
    })
}

/// Met → 提前实现/已实现; otherwise by P, with 左右 lifting a near miss to 基本符合预期;
/// in the target year, missed → 基本实现 or 未实现 by completion.
fn level_category(
    target: &Target,
    i: &LevelInputs,
    (p, completion, req): (f64, f64, f64),
    approx: bool,
    th: &Thresholds,
    rec: &mut CalcRecord,
) -> Category {
    let d = (i.x - i.x_b).signum();
    let slack = if approx {
        th.level_tolerance * i.x.abs()
    } else {
        0.0
    };
    if approx {
        rec.threshold_share("“左右”容差（相对目标值）", th.level_tolerance);
    }
    if d * (i.x_t - i.x) >= -slack {
        return if i.t < i.end {
            Category::AchievedEarly
        } else {
            Category::Achieved
        };
    }
    if i.t >= i.end {
        th.record_final(rec, target.binding);
        return th.final_missed(completion, target.binding);
    }
    let by_p = th.classify(p);
    let within = approx && (i.x_t - req).abs() <= th.level_tolerance * req.abs();
    if within && by_p.rank() < Category::OnTrack.rank() {
        rec.note("在“左右”容差内，按基本符合预期");
        return Category::OnTrack;
    }
    by_p
}

fn explain(
    target: &Target,
    i: &LevelInputs,
    f: &Figures,
    category: Category,
    th: &Thresholds,
) -> String {
    let unit = target.unit.clone().unwrap_or_default();
    let head = format!("{}{}年为{}{unit}", target.indicator, i.t, fig(i.x_t));
    if matches!(category, Category::AchievedEarly | Category::Achieved) {
        return format!(
            "{head}，已达到{}年目标{}{unit}，属于{}。",
            i.end,
            fig(i.x),
            category.label()
        );
    }
    let completion = f.completion.map(pct).unwrap_or_default();
    if category.is_final() {
        return format!(
            "{head}，未达到{}年目标{}{unit}，完成目标进度的{completion}，属于{}。",
            i.end,
            fig(i.x),
            category.label()
        );
    }
    let req = f.required.map(fig).unwrap_or_default();
    let p = f.pace_ratio.map(|p| th.shown_ratio(p)).unwrap_or_default();
    let rest = match f.pace_needed {
        Some(pace) => format!(
            "；余下{}年需{}才能达到{}{unit}",
            pace.years,
            pace.phrase(&unit, crate::wording::PaceKind::Level),
            fig(i.x)
        ),
        None => format!("；目标年未达到{}{unit}", fig(i.x)),
    };
    format!(
        "{head}，完成目标进度的{completion}，序时进度要求{req}{unit}，进度比{p}，属于{}{rest}。",
        category.label()
    )
}
