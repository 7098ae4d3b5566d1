//! Targets set year by year (保持在合理区间、各年度视情提出): each year's actual growth
//! is set against the annual target of that year (政府工作报告), and the years with
//! both are compounded, so one weak year is weighed against the others.

use crate::quantity::Comparator;

use super::annual::AnnualTarget;
use super::observation::{Observation, ObservationKind, Window, select};
use super::record::{CalcRecord, num};
use super::status::{Category, DataPoint, Figures, Outcome, Thresholds};
use super::target::Target;

/// One year with both an annual target and an actual.
struct YearPair {
    year: i32,
    target: f64,
    comparator: Option<Comparator>,
    actual: f64,
}

/// Evaluate a per-year target against the annual targets of its indicator.
///
/// P = CAGR(actual)/CAGR(annual targets) over the years that have both, classified like
/// a growth target; when every annual target says 左右, a gap within the growth
/// tolerance is 基本符合预期. Final (the target year has both): the average reached the
/// targets' average (less the tolerance for 左右) 已实现, else 基本实现 at P ≥ 0.90, else 未实现.
pub(super) fn evaluate(
    target: &Target,
    annual: &[&AnnualTarget],
    obs: &[Observation],
    w: &Window,
    th: &Thresholds,
) -> Outcome {
    let mut rec = CalcRecord::new("年度目标型（逐年对照年度目标，按几何平均比较）");
    let name = target.indicator.as_str();
    let growth: Vec<&&AnnualTarget> = annual.iter().filter(|a| a.growth).collect();
    if growth.is_empty() {
        return Outcome {
            category: Category::Qualitative,
            figures: Figures::default(),
            explanation: format!(
                "{name}：目标为“{}”，尚未取得各年度增速目标，属于定性评估。",
                target.text
            ),
            record: rec,
        };
    }
    let actuals = select(obs, &[ObservationKind::GrowthRate], w);
    rec.notes.extend(actuals.notes.iter().cloned());
    let pairs: Vec<YearPair> = actuals
        .after(target.base_year)
        .into_iter()
        .filter_map(|(year, actual)| {
            let a = growth.iter().find(|a| a.year == year)?;
            Some(YearPair {
                year,
                target: a.value,
                comparator: a.comparator,
                actual,
            })
        })
        .collect();
    if pairs.is_empty() {
        return Outcome::insufficient(rec, name, "没有同时具备年度目标和实际增速的年份");
    }
    for p in &pairs {
        rec.input(
            &format!("{}年", p.year),
            format!(
                "目标{}%{}，实际{}%",
                num(p.target),
                comparator_word(p.comparator),
                num(p.actual)
            ),
        );
    }
    let n = pairs.len() as f64;
    let actual_index: f64 = pairs.iter().map(|p| 1.0 + p.actual / 100.0).product();
    let target_index: f64 = pairs.iter().map(|p| 1.0 + p.target / 100.0).product();
    let own = rec.step(
        "实际年均增速（%）",
        format!("∏(1+r_i)^(1/{n}) − 1 = {}^(1/{n}) − 1", num(actual_index)),
        (actual_index.max(0.0).powf(1.0 / n) - 1.0) * 100.0,
    );
    let planned = rec.step(
        "年度目标年均增速（%）",
        format!("∏(1+g_i)^(1/{n}) − 1 = {}^(1/{n}) − 1", num(target_index)),
        (target_index.max(0.0).powf(1.0 / n) - 1.0) * 100.0,
    );
    let p = (planned > 0.0).then(|| {
        rec.step_share(
            "进度比 P",
            format!("{}/{}", num(own), num(planned)),
            own / planned,
        )
    });
    let approx = pairs
        .iter()
        .all(|p| p.comparator == Some(Comparator::Approx));
    let tol = th.growth_tolerance_pp;
    let last = pairs.last().map_or(target.base_year, |p| p.year);
    let category = if last >= target.target_year {
        th.record_final(&mut rec, target.binding);
        let slack = if approx { tol } else { 0.0 };
        if own >= planned - slack {
            Category::Achieved
        } else {
            th.final_missed(p.unwrap_or(0.0), target.binding)
        }
    } else {
        th.record_pace(&mut rec);
        let by_p = p.map_or(Category::InsufficientData, |p| th.classify(p));
        if approx && (own - planned).abs() <= tol && by_p.rank() < Category::OnTrack.rank() {
            rec.threshold("“左右”容差（百分点）", tol);
            rec.note("实际年均增速在年度目标“左右”容差内，按基本符合预期");
            Category::OnTrack
        } else {
            by_p
        }
    };
    let missed: Vec<String> = pairs
        .iter()
        .filter(|p| !met(p, tol))
        .map(|p| p.year.to_string())
        .collect();
    let figures = Figures {
        latest: Some(DataPoint {
            year: last,
            value: own,
        }),
        pace_ratio: p,
        required: Some(planned),
        ..Figures::default()
    };
    let first = pairs.first().map_or(last, |p| p.year);
    let years = if first == last {
        format!("{last}年")
    } else {
        format!("{first}—{last}年")
    };
    let targets: Vec<String> = pairs
        .iter()
        .map(|p| format!("{}%{}", num(p.target), comparator_word(p.comparator)))
        .collect();
    let actual: Vec<String> = pairs
        .iter()
        .map(|p| format!("{}%", num(p.actual)))
        .collect();
    let tail = if missed.is_empty() {
        "各年均达到年度目标".to_string()
    } else {
        format!("{}年未达到年度目标", missed.join("、"))
    };
    let ratio = p
        .map(|p| format!("，进度比{}", th.shown_ratio(p)))
        .unwrap_or_default();
    let explanation = format!(
        "{name}{years}年度目标分别为{}，实际增长{}，平均增长{own:.1}%，年度目标平均{planned:.1}%{ratio}，属于{}；{tail}。",
        targets.join("、"),
        actual.join("、"),
        category.label()
    );
    Outcome {
        category,
        figures,
        record: rec,
        explanation,
    }
}

/// Whether one year met its annual target (左右 within the tolerance).
fn met(p: &YearPair, tol: f64) -> bool {
    match p.comparator {
        Some(Comparator::Approx) => p.actual >= p.target - tol,
        Some(Comparator::Le | Comparator::Lt) => p.actual <= p.target,
        _ => p.actual >= p.target,
    }
}

fn comparator_word(c: Option<Comparator>) -> &'static str {
    match c {
        Some(Comparator::Approx) => "左右",
        Some(Comparator::Ge | Comparator::Gt) => "以上",
        Some(Comparator::Le | Comparator::Lt) => "以内",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::target::{Direction, TargetType};

    fn annual(year: i32, value: f64, comparator: Option<Comparator>) -> AnnualTarget {
        AnnualTarget {
            indicator: "国内生产总值增长".into(),
            year,
            value,
            growth: true,
            comparator,
            reference: None,
            unit: Some("%".into()),
            text: None,
        }
    }

    fn gdp() -> Target {
        Target::new(
            "国内生产总值增长",
            TargetType::PerYear {
                text: "保持在合理区间、各年度视情提出".into(),
            },
            Direction::Higher,
            2020,
            2025,
        )
    }

    fn run(actuals: &[(i32, f64)], targets: &[AnnualTarget], last: i32) -> Outcome {
        let obs: Vec<Observation> = actuals
            .iter()
            .map(|(y, v)| Observation::new("国内生产总值增长", *y, *v, ObservationKind::GrowthRate))
            .collect();
        let refs: Vec<&AnnualTarget> = targets.iter().collect();
        let w = Window {
            base_year: 2020,
            last_year: last,
            as_of: None,
        };
        evaluate(&gdp(), &refs, &obs, &w, &Thresholds::default())
    }

    /// The national 2021–2022 case: targets 6%以上 and 5.5%左右, actual 8.4% and 3.0%.
    /// Actual: (1.084·1.03)^(1/2) − 1 = 1.11652^0.5 − 1 = 5.665%. Targets: (1.06·1.055)^(1/2)
    /// − 1 = 1.1183^0.5 − 1 = 5.750%. P = 5.665/5.750 = 0.985 → 基本符合预期; 2022 missed.
    #[test]
    fn one_weak_year_weighed_against_a_strong_one() {
        let targets = [
            annual(2021, 6.0, Some(Comparator::Ge)),
            annual(2022, 5.5, Some(Comparator::Approx)),
        ];
        let out = run(&[(2021, 8.4), (2022, 3.0)], &targets, 2022);
        assert_eq!(out.category, Category::OnTrack, "{}", out.explanation);
        let p = out.figures.pace_ratio.unwrap();
        assert!((p - 0.9852).abs() < 0.001, "P = {p}");
        assert!(
            out.explanation.contains("2022年未达到年度目标"),
            "{}",
            out.explanation
        );
        assert!(
            out.explanation.contains("6%以上、5.5%左右"),
            "{}",
            out.explanation
        );
    }

    /// Targets 6, 6 (no 左右), actual 5.0, 5.0: P = 5.0/6.0 = 0.833 → 滞后.
    /// Final with five years of 5.0 against 6.0: P = 0.833 < 0.90 → 未实现; with 5.5 each
    /// year P = 0.917 → 基本实现; with 6.1 each year → 已实现.
    #[test]
    fn monitoring_and_final_categories() {
        let targets: Vec<AnnualTarget> = (2021..=2025).map(|y| annual(y, 6.0, None)).collect();
        let out = run(&[(2021, 5.0), (2022, 5.0)], &targets, 2022);
        assert_eq!(out.category, Category::Lagging);
        let all = |v: f64| (2021..=2025).map(|y| (y, v)).collect::<Vec<_>>();
        assert_eq!(
            run(&all(5.0), &targets, 2025).category,
            Category::NotAchieved
        );
        assert_eq!(
            run(&all(5.5), &targets, 2025).category,
            Category::BasicallyAchieved
        );
        assert_eq!(run(&all(6.1), &targets, 2025).category, Category::Achieved);
    }

    #[test]
    fn without_annual_targets_it_stays_qualitative() {
        let out = run(&[(2021, 8.4)], &[], 2021);
        assert_eq!(out.category, Category::Qualitative);
        let level = AnnualTarget {
            growth: false,
            ..annual(2021, 5.5, None)
        };
        assert_eq!(
            run(&[(2021, 8.4)], &[level], 2021).category,
            Category::Qualitative
        );
        // Targets but no actual in those years.
        let out = run(&[(2023, 5.2)], &[annual(2021, 6.0, None)], 2023);
        assert_eq!(out.category, Category::InsufficientData);
    }
}
