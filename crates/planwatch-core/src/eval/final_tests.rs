//! Golden tests of the final evaluation (总结评估): 已实现 / 基本实现 / 未实现 for every
//! target type, with the arithmetic worked out by hand next to each case.

use super::*;
use Category::*;
use ObservationKind::{GrowthRate as G, Level as L, Reduction as R};

fn obs(kind: ObservationKind, points: &[(i32, f64)]) -> Vec<Observation> {
    points
        .iter()
        .map(|(y, v)| Observation::new("x", *y, *v, kind))
        .collect()
}

fn five(v: f64) -> Vec<(i32, f64)> {
    (2021..=2025).map(|y| (y, v)).collect()
}

fn at_2025(target: &Target, observations: &[Observation]) -> Evaluation {
    evaluate(target, observations, &EvalContext::new(2025))
}

/// 年均增长7.5%左右 over 2021–2025. The 左右 tolerance is 0.5 points:
/// 7.1% a year ≥ 7.5 − 0.5 → 已实现; 6.9%: P = 6.9/7.5 = 0.92 ≥ 0.90 → 基本实现;
/// 6.7%: P = 6.7/7.5 = 0.893 < 0.90 → 未实现. Without 左右, 7.1% is P = 0.947 → 基本实现.
#[test]
fn growth_target_final() {
    let about = Target::new(
        "地区生产总值",
        TargetType::GrowthRate {
            rate: 7.5,
            approx: true,
        },
        Direction::Higher,
        2020,
        2025,
    );
    let cat = |t: &Target, v: f64| at_2025(t, &obs(G, &five(v))).category;
    assert_eq!(cat(&about, 7.1), Achieved);
    assert_eq!(cat(&about, 6.9), BasicallyAchieved);
    assert_eq!(cat(&about, 6.7), NotAchieved);
    let exact = Target {
        target_type: TargetType::GrowthRate {
            rate: 7.5,
            approx: false,
        },
        ..about.clone()
    };
    assert_eq!(cat(&exact, 7.1), BasicallyAchieved);
    assert_eq!(cat(&exact, 7.5), Achieved);
    let e = at_2025(&exact, &obs(G, &five(6.9)));
    assert!(
        e.record
            .thresholds
            .iter()
            .any(|t| t.name.starts_with("基本实现") && t.value == "90.0%"),
        "{:?}",
        e.record.thresholds
    );
}

/// 〔13.5〕 cumulative reduction. Five cuts of 2.8%: A = 1 − 0.972^5 = 1 − 0.867624 = 13.24%;
/// completion 13.24/13.5 = 0.9806. Expected: 基本实现; binding: 未实现 with a warning.
/// Five cuts of 3.0%: A = 1 − 0.97^5 = 1 − 0.858734 = 14.13% ≥ 13.5 → 已实现.
#[test]
fn cumulative_reduction_final() {
    let t = Target::new(
        "单位地区生产总值能源消耗降低",
        TargetType::CumulativeReduction { percent: 13.5 },
        Direction::Higher,
        2020,
        2025,
    );
    let e = at_2025(&t, &obs(R, &five(2.8)));
    assert_eq!(e.category, BasicallyAchieved, "{}", e.explanation);
    let c = e.figures.completion.unwrap();
    assert!((c - 0.98057).abs() < 1e-4, "completion {c}");
    assert_eq!(
        e.explanation,
        "单位地区生产总值能源消耗降低至2025年累计降低13.2%，目标五年累计降低13.5%，完成目标的98.1%，属于基本实现。"
    );
    let b = at_2025(&t.clone().binding(), &obs(R, &five(2.8)));
    assert_eq!(b.category, NotAchieved);
    assert!(b.warning.is_some());
    assert_eq!(at_2025(&t, &obs(R, &five(3.0))).category, Achieved);
}

/// [1.5]万人 of new jobs: 0.28 a year sums to 1.40, completion 0.933 → 基本实现;
/// 0.26 a year sums to 1.30, 0.867 → 未实现; 0.31 a year sums to 1.55 → 已实现.
#[test]
fn cumulative_flow_final() {
    let t = Target::new(
        "城镇新增就业人数",
        TargetType::CumulativeFlow { total: 1.5 },
        Direction::Higher,
        2020,
        2025,
    );
    assert_eq!(
        at_2025(&t, &obs(L, &five(0.28))).category,
        BasicallyAchieved
    );
    assert_eq!(at_2025(&t, &obs(L, &five(0.26))).category, NotAchieved);
    assert_eq!(at_2025(&t, &obs(L, &five(0.31))).category, Achieved);
}

/// Keep-type level (地表水 100 → 100): 100 in 2025 已实现; 98.5 is 1.5% short (≤ 2%) →
/// 基本实现; 97.5 is 2.5% short → 未实现.
#[test]
fn keep_target_final() {
    let t = Target::new(
        "地表水达到或好于Ⅲ类水体比例",
        TargetType::Level {
            value: 100.0,
            scale: Scale::Linear,
            approx: false,
        },
        Direction::Higher,
        2020,
        2025,
    )
    .with_baseline(100.0);
    let cat = |v: f64| at_2025(&t, &obs(L, &[(2024, 100.0), (2025, v)])).category;
    assert_eq!(cat(100.0), Achieved);
    assert_eq!(cat(98.5), BasicallyAchieved);
    assert_eq!(cat(97.5), NotAchieved);
}

/// Data that stops before the target year is not a final evaluation, even in 2026:
/// the progress category stands and says how far the data reaches.
#[test]
fn no_target_year_data_keeps_the_progress_category() {
    let t = Target::new(
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
    .with_baseline(48.6);
    // 2024: τ = 0.8, req = 48.6 + 0.8·6.4 = 53.72; 54.1 gives P = 5.5/5.12 = 1.074 → 快于预期.
    let e = evaluate(
        &t,
        &obs(L, &[(2023, 53.1), (2024, 54.1)]),
        &EvalContext::new(2026),
    );
    assert_eq!(e.category, Ahead);
    assert!(!e.category.is_final());
}

/// A 十五五 target (2025 → 2030) evaluates over its own years: in 2027 τ = 2/5 = 0.4.
/// 56.8 → 62 on a line: req = 56.8 + 0.4·5.2 = 58.88; 58.6 gives P = 1.8/2.08 = 0.865 → 滞后.
#[test]
fn a_fifteenth_plan_target_uses_its_own_period() {
    let t = Target::new(
        "常住人口城镇化率",
        TargetType::Level {
            value: 62.0,
            scale: Scale::Linear,
            approx: false,
        },
        Direction::Higher,
        2025,
        2030,
    )
    .with_baseline(56.8);
    let e = evaluate(
        &t,
        &obs(L, &[(2026, 57.7), (2027, 58.6)]),
        &EvalContext::new(2027),
    );
    let tau = e.record.step_value("序时进度 τ").unwrap();
    assert!((tau - 0.4).abs() < 1e-12);
    assert!((e.figures.required.unwrap() - 58.88).abs() < 1e-9);
    assert_eq!(e.category, Lagging);
    // Data of the old plan's years never counts: 2024 and 2025 are at or before the base.
    let e = evaluate(
        &t,
        &obs(L, &[(2024, 55.9), (2025, 56.8)]),
        &EvalContext::new(2025),
    );
    assert_eq!(e.category, InsufficientData);
    assert!(
        e.explanation.contains("不晚于基期2025"),
        "{}",
        e.explanation
    );
}
