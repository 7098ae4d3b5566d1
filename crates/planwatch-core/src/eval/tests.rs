//! Golden tests: every target type and category, numbers worked out by hand next to the formula.

use super::*;
use Category::*;
use ObservationKind::{GrowthRate as G, Level as L, Reduction as R};

fn obs(kind: ObservationKind, points: &[(i32, f64)]) -> Vec<Observation> {
    points
        .iter()
        .map(|(y, v)| Observation::new("x", *y, *v, kind))
        .collect()
}

fn at(target: &Target, observations: &[Observation], year: i32) -> Evaluation {
    evaluate(target, observations, &EvalContext::new(year))
}

fn close(got: Option<f64>, want: f64, tol: f64, what: &str) {
    let got = got.unwrap_or_else(|| panic!("{what}: missing"));
    assert!((got - want).abs() <= tol, "{what}: got {got}, want {want}");
}

fn level(x_b: f64, x: f64, scale: Scale) -> Target {
    Target::new(
        "指标",
        TargetType::Level {
            value: x,
            scale,
            approx: false,
        },
        Direction::Higher,
        2020,
        2025,
    )
    .with_baseline(x_b)
}

fn growth(g: f64, approx: bool) -> Target {
    Target::new(
        "地区生产总值",
        TargetType::GrowthRate { rate: g, approx },
        Direction::Higher,
        2020,
        2025,
    )
}

fn bound(limit: f64, ceiling: bool, strict: bool) -> Target {
    let (t, d) = if ceiling {
        (
            TargetType::Ceiling {
                limit,
                strict,
                measure: Measure::Level,
            },
            Direction::Lower,
        )
    } else {
        (
            TargetType::Floor {
                limit,
                strict,
                measure: Measure::Level,
            },
            Direction::Higher,
        )
    };
    Target::new("指标", t, d, 2020, 2025)
}

// ---- level targets ----

#[test]
fn level_geometric_gdp_735_to_1130_with_2023_actual() {
    // τ = (2023 − 2020)/(2025 − 2020) = 0.6
    // req = 735·(1130/735)^0.6 = 951.3975
    // completion = (804.28 − 735)/(1130 − 735) = 69.28/395 = 0.17539
    // P = 69.28/(951.3975 − 735) = 0.32015 < 0.60 → 严重滞后
    // pace = (1130/804.28)^(1/2) − 1 = 0.18532 → 18.5%/yr
    let t = Target {
        unit: Some("亿元".into()),
        ..level(735.0, 1130.0, Scale::Geometric)
    };
    let e = at(&t, &obs(L, &[(2022, 777.54), (2023, 804.28)]), 2023);
    assert_eq!(e.category, SeverelyLagging);
    close(e.figures.required, 951.3975, 1e-3, "req");
    close(e.figures.completion, 0.17539, 1e-5, "completion");
    close(e.figures.pace_ratio, 0.32015, 1e-5, "P");
    close(e.figures.pace_needed.map(|p| p.value), 18.532, 1e-3, "pace");
    assert!(
        e.warning.is_some(),
        "严重滞后 is warned even for expected indicators"
    );
    assert!(
        e.explanation.contains("804.28亿元") && e.explanation.contains("严重滞后"),
        "{}",
        e.explanation
    );
    assert!(
        e.record
            .steps
            .iter()
            .any(|s| s.formula.contains("735·(1130/735)^0.6")),
        "{:?}",
        e.record.steps
    );
}

#[test]
fn level_linear_share_on_track_ahead_lagging_and_away() {
    // 80 → 85, linear. 2023: τ = 0.6, req = 80 + 0.6·5 = 83.
    let t = level(80.0, 85.0, Scale::Linear);
    let cases = [
        // P = (83 − 80)/(83 − 80) = 1.0
        (2023, 83.0, OnTrack, 1.0),
        // 2022: τ = 0.4, req = 82; P = (83 − 80)/(82 − 80) = 1.5
        (2022, 83.0, Ahead, 1.5),
        // P = (82.5 − 80)/3 = 0.8333
        (2023, 82.5, Lagging, 0.8333),
        // P = (81 − 80)/3 = 0.3333
        (2023, 81.0, SeverelyLagging, 0.3333),
        // 2022: P = (77.4 − 80)/(82 − 80) = −1.3: moving away
        (2022, 77.4, SeverelyLagging, -1.3),
    ];
    for (year, x_t, want, p) in cases {
        let e = at(&t, &obs(L, &[(year, x_t)]), year);
        assert_eq!(e.category, want, "{year} {x_t}: {}", e.explanation);
        close(e.figures.pace_ratio, p, 1e-4, "P");
    }
}

#[test]
fn binding_lagging_is_warned_expected_is_not() {
    // P = (82.5 − 80)/(83 − 80) = 0.8333 → 滞后
    let data = obs(L, &[(2023, 82.5)]);
    let expected = at(&level(80.0, 85.0, Scale::Linear), &data, 2023);
    let binding = at(&level(80.0, 85.0, Scale::Linear).binding(), &data, 2023);
    assert_eq!(expected.category, Lagging);
    assert!(expected.warning.is_none());
    assert!(
        binding
            .warning
            .is_some_and(|w| w.message.contains("约束性"))
    );
}

#[test]
fn level_target_already_met_and_met_in_target_year() {
    let t = level(80.0, 85.0, Scale::Linear);
    assert_eq!(
        at(&t, &obs(L, &[(2023, 86.0)]), 2023).category,
        AchievedEarly
    );
    assert_eq!(at(&t, &obs(L, &[(2025, 85.0)]), 2025).category, Achieved);
    // In the target year it is a final evaluation: 84 is (84 − 80)/(85 − 80) = 80% of the
    // way, below 90% → 未实现, with no pace left.
    let e = at(&t, &obs(L, &[(2025, 84.0)]), 2025);
    assert_eq!(e.category, NotAchieved);
    assert!(e.figures.pace_needed.is_none());
    assert!(
        e.explanation.contains("未达到2025年目标85"),
        "{}",
        e.explanation
    );
    // 84.6: (84.6 − 80)/5 = 92% ≥ 90% → 基本实现; a binding target is met or not → 未实现.
    assert_eq!(
        at(&t, &obs(L, &[(2025, 84.6)]), 2025).category,
        BasicallyAchieved
    );
    let binding = at(&t.clone().binding(), &obs(L, &[(2025, 84.6)]), 2025);
    assert_eq!(binding.category, NotAchieved);
    assert_eq!(
        binding.warning.map(|w| w.message),
        Some("约束性指标未实现规划目标".to_string())
    );
    // Exactly 90%: 84.5 → 基本实现 (the threshold is inclusive).
    assert_eq!(
        at(&t, &obs(L, &[(2025, 84.5)]), 2025).category,
        BasicallyAchieved
    );
}

#[test]
fn lower_is_better_level() {
    // 0.002 → 0.001; τ = 0.6; req = 0.002 − 0.6·0.001 = 0.0014
    // P = (0.0015 − 0.002)/(0.0014 − 0.002) = 0.8333 → 滞后
    let t = Target::new(
        "事故死亡率",
        TargetType::Level {
            value: 0.001,
            scale: Scale::Linear,
            approx: false,
        },
        Direction::Lower,
        2020,
        2025,
    )
    .with_baseline(0.002);
    let e = at(&t, &obs(L, &[(2023, 0.0015)]), 2023);
    assert_eq!(e.category, Lagging);
    close(e.figures.pace_ratio, 0.8333, 1e-4, "P");
    assert_eq!(
        at(&t, &obs(L, &[(2023, 0.0009)]), 2023).category,
        AchievedEarly
    );
}

#[test]
fn baseline_equal_to_target_is_a_keep_target() {
    let t = level(100.0, 100.0, Scale::Linear);
    let kept = at(&t, &obs(L, &[(2023, 100.0)]), 2023);
    assert_eq!(kept.category, OnTrack);
    assert!(kept.explanation.contains("保持"), "{}", kept.explanation);
    assert_eq!(at(&t, &obs(L, &[(2023, 98.0)]), 2023).category, Lagging);
}

#[test]
fn zero_baseline_falls_back_to_linear_path() {
    // Geometric path needs x_b > 0; linear: req = 0 + 0.6·50 = 30, P = 30/30 = 1.
    let e = at(
        &level(0.0, 50.0, Scale::Geometric),
        &obs(L, &[(2023, 30.0)]),
        2023,
    );
    assert_eq!(e.category, OnTrack);
    close(e.figures.required, 30.0, 1e-9, "req");
    assert!(
        e.record.notes.iter().any(|n| n.contains("线性")),
        "{:?}",
        e.record.notes
    );
}

#[test]
fn negative_baseline_and_sign_change() {
    // −10 → 20 (a loss turning into a profit). 2022: τ = 0.4, req = −10 + 0.4·30 = 2;
    // P = (2 − (−10))/(2 − (−10)) = 1 → 基本符合预期.
    let t = level(-10.0, 20.0, Scale::Geometric);
    let e = at(&t, &obs(L, &[(2022, 2.0)]), 2022);
    assert_eq!(e.category, OnTrack);
    // Still negative in 2022: P = (−5 + 10)/12 = 0.4167 → 严重滞后.
    let e = at(&t, &obs(L, &[(2022, -5.0)]), 2022);
    assert_eq!(e.category, SeverelyLagging);
    close(e.figures.pace_ratio, 0.41667, 1e-4, "P");
}

#[test]
fn one_data_point_is_insufficient() {
    let mut t = level(80.0, 85.0, Scale::Linear);
    t.baseline = None;
    let e = at(&t, &obs(L, &[(2020, 80.0)]), 2023);
    assert_eq!(e.category, InsufficientData);
    assert!(e.explanation.contains("2020年之后"), "{}", e.explanation);
    let none = at(&t, &[], 2023);
    assert_eq!(none.category, InsufficientData);
    assert!(none.explanation.contains("基期"), "{}", none.explanation);
}

#[test]
fn observed_baseline_is_used_when_the_plan_has_none() {
    // x_b = 80 from the 2020 observation; same as the plan baseline case: P = 1.
    let mut t = level(0.0, 85.0, Scale::Linear);
    t.baseline = None;
    let e = at(&t, &obs(L, &[(2020, 80.0), (2023, 83.0)]), 2023);
    assert_eq!(e.category, OnTrack);
    assert!(e.record.inputs.iter().any(|i| i.name.contains("观测")));
}

#[test]
fn level_target_with_only_growth_rates_says_so() {
    let e = at(
        &level(735.0, 1130.0, Scale::Geometric),
        &obs(G, &[(2022, 5.7), (2023, 6.1)]),
        2023,
    );
    assert_eq!(e.category, InsufficientData);
    assert!(
        e.explanation.contains("只有增长率数据"),
        "{}",
        e.explanation
    );
}

#[test]
fn data_past_the_target_year_is_left_out() {
    // Evaluated in 2027: only data up to 2025 counts; 2025 = 86 ≥ 85 → 已实现.
    let t = level(80.0, 85.0, Scale::Linear);
    let e = at(&t, &obs(L, &[(2025, 86.0), (2026, 70.0)]), 2027);
    assert_eq!(e.category, Achieved);
    assert!(
        e.record.notes.iter().any(|n| n.contains("2026年")),
        "{:?}",
        e.record.notes
    );
}

#[test]
fn approx_level_within_tolerance_is_on_track() {
    // 1130左右; 2023 = 940: P = (940 − 735)/(951.3975 − 735) = 0.9473 → 滞后 by P,
    // but |940 − 951.3975|/951.3975 = 1.2% ≤ 2% → 基本符合预期.
    let mut t = level(735.0, 1130.0, Scale::Geometric);
    t.target_type = TargetType::Level {
        value: 1130.0,
        scale: Scale::Geometric,
        approx: true,
    };
    let e = at(&t, &obs(L, &[(2023, 940.0)]), 2023);
    close(e.figures.pace_ratio, 0.9473, 1e-4, "P");
    assert_eq!(e.category, OnTrack);
    let exact = at(
        &level(735.0, 1130.0, Scale::Geometric),
        &obs(L, &[(2023, 940.0)]),
        2023,
    );
    assert_eq!(exact.category, Lagging);
}

#[test]
fn later_vintage_does_not_rewrite_an_old_evaluation() {
    let t = level(80.0, 85.0, Scale::Linear);
    let data = [
        Observation::new("x", 2023, 83.0, L).with_vintage("2024-03-20"),
        Observation::new("x", 2023, 81.0, L).with_vintage("2025-03-20"),
    ];
    let old = evaluate(
        &t,
        &data,
        &EvalContext {
            as_of: Some("2024-12-31".into()),
            ..EvalContext::new(2023)
        },
    );
    let new = evaluate(&t, &data, &EvalContext::new(2023));
    assert_eq!(old.category, OnTrack, "P = (83 − 80)/3 = 1");
    assert_eq!(new.category, SeverelyLagging, "P = (81 − 80)/3 = 0.33");
    assert!(old.record.inputs.iter().any(|i| i.value == "2024-12-31"));
}

// ---- growth-rate targets ----

#[test]
fn growth_on_track() {
    // ∏ = 1.06·1.07·1.08 = 1.224936; CAGR = 1.224936^(1/3) − 1 = 0.069969
    // P = 0.069969/0.07 = 0.99955 → 基本符合预期
    // pace = (1.07^5/1.224936)^(1/2) − 1 = (1.402552/1.224936)^0.5 − 1 = 0.070047
    let e = at(
        &growth(7.0, false),
        &obs(G, &[(2021, 6.0), (2022, 7.0), (2023, 8.0)]),
        2023,
    );
    assert_eq!(e.category, OnTrack);
    close(e.figures.pace_ratio, 0.99955, 1e-5, "P");
    close(e.figures.pace_needed.map(|p| p.value), 7.0047, 1e-3, "pace");
    close(e.figures.projected, 6.9969, 1e-3, "CAGR");
}

#[test]
fn growth_with_a_missing_year_lags_and_says_so() {
    // Yueyanglou 2022 5.7%, 2023 6.1% against 8%: ∏ = 1.057·1.061 = 1.121477,
    // CAGR = 1.121477^(1/2) − 1 = 0.058998, P = 0.7375 → 滞后;
    // pace over 2021, 2024, 2025: (1.08^5/1.121477)^(1/3) − 1 = 0.094232
    let e = at(
        &growth(8.0, false),
        &obs(G, &[(2022, 5.7), (2023, 6.1)]),
        2023,
    );
    assert_eq!(e.category, Lagging);
    close(e.figures.pace_ratio, 0.73748, 1e-4, "P");
    close(e.figures.pace_needed.map(|p| p.value), 9.4232, 1e-3, "pace");
    assert!(
        e.record.notes.iter().any(|n| n.contains("缺少2021年")),
        "{:?}",
        e.record.notes
    );
}

#[test]
fn growth_approx_tolerance() {
    // 7.4%左右, 2021 = 7.0: P = 7.0/7.4 = 0.9459 → 滞后 by P, but 0.4 pp ≤ 0.5 pp → 基本符合预期.
    let data = obs(G, &[(2021, 7.0)]);
    assert_eq!(at(&growth(7.4, true), &data, 2021).category, OnTrack);
    assert_eq!(at(&growth(7.4, false), &data, 2021).category, Lagging);
}

#[test]
fn growth_met_early_negative_and_zero_targets() {
    // 1.2^3 = 1.728 ≥ 1.05^5 = 1.27628 → 提前实现
    assert_eq!(
        at(
            &growth(5.0, false),
            &obs(G, &[(2021, 20.0), (2022, 20.0), (2023, 20.0)]),
            2023
        )
        .category,
        AchievedEarly
    );
    // −3% against 6%: P = −0.03/0.06 = −0.5 → 严重滞后
    let e = at(&growth(6.0, false), &obs(G, &[(2021, -3.0)]), 2021);
    assert_eq!(e.category, SeverelyLagging);
    close(e.figures.pace_ratio, -0.5, 1e-9, "P");
    // Target 0%: P is meaningless; 0.2 pp below → within 0.5 pp → 基本符合预期
    let z = at(&growth(0.0, false), &obs(G, &[(2021, -0.2)]), 2021);
    assert_eq!(z.category, OnTrack);
    assert_eq!(z.figures.pace_ratio, None);
    // A fall of more than 100% cannot crash: CAGR = −100%.
    assert_eq!(
        at(&growth(6.0, false), &obs(G, &[(2021, -150.0)]), 2021).category,
        SeverelyLagging
    );
}

#[test]
fn growth_target_with_only_levels_says_so() {
    let e = at(
        &growth(8.0, false),
        &obs(L, &[(2022, 777.54), (2023, 804.28)]),
        2023,
    );
    assert_eq!(e.category, InsufficientData);
    assert!(e.explanation.contains("只有总量数据"), "{}", e.explanation);
}

// ---- cumulative reductions ----

fn reduction(x: f64) -> Target {
    Target::new(
        "单位GDP能耗降低",
        TargetType::CumulativeReduction { percent: x },
        Direction::Higher,
        2020,
        2025,
    )
}

#[test]
fn reduction_on_track() {
    // [13.5], 3% a year 2021–2023: ∏ = 0.97^3 = 0.912673, A = 0.087327
    // completion = 0.087327/0.135 = 0.64687; R = 1 − 0.865^0.6 = 0.083337
    // P = 0.087327/0.083337 = 1.04788 → 基本符合预期
    // pace = 1 − (0.865/0.912673)^(1/2) = 0.026468
    let e = at(
        &reduction(13.5),
        &obs(R, &[(2021, 3.0), (2022, 3.0), (2023, 3.0)]),
        2023,
    );
    assert_eq!(e.category, OnTrack);
    close(e.figures.completion, 0.64687, 1e-5, "completion");
    close(e.figures.pace_ratio, 1.04788, 1e-5, "P");
    close(e.figures.pace_needed.map(|p| p.value), 2.6468, 1e-3, "pace");
    assert!(e.explanation.contains("年均降低2.6%"), "{}", e.explanation);
}

#[test]
fn reduction_from_growth_rates_and_from_intensity_levels() {
    // Growth −3% a year is a 3% reduction: same P = 1.04788.
    let e = at(
        &reduction(13.5),
        &obs(G, &[(2021, -3.0), (2022, -3.0), (2023, -3.0)]),
        2023,
    );
    close(e.figures.pace_ratio, 1.04788, 1e-5, "P");
    assert!(e.record.notes.iter().any(|n| n.contains("取负")));
    // Intensity 0.5 → 0.45: A = 1 − 0.45/0.5 = 0.1; P = 0.1/0.083337 = 1.19995 → 快于预期
    let t = reduction(13.5).with_baseline(0.5);
    let e = at(&t, &obs(L, &[(2023, 0.45)]), 2023);
    assert_eq!(e.category, Ahead);
    close(e.figures.pace_ratio, 1.19995, 1e-4, "P");
}

#[test]
fn reduction_met_rising_and_invalid() {
    assert_eq!(
        at(&reduction(13.5), &obs(R, &[(2021, 15.0)]), 2021).category,
        AchievedEarly
    );
    // Energy use per unit rose 2%: A = −0.02 → P < 0 → 严重滞后
    assert_eq!(
        at(&reduction(13.5), &obs(R, &[(2021, -2.0)]), 2021).category,
        SeverelyLagging
    );
    assert_eq!(
        at(&reduction(0.0), &obs(R, &[(2021, 2.0)]), 2021).category,
        InsufficientData
    );
    assert_eq!(at(&reduction(13.5), &[], 2021).category, InsufficientData);
}

// ---- cumulative flows ----

fn flow(n: f64) -> Target {
    Target {
        unit: Some("万人".into()),
        ..Target::new(
            "新增城镇就业",
            TargetType::CumulativeFlow { total: n },
            Direction::Higher,
            2020,
            2025,
        )
    }
}

#[test]
fn flow_on_track_met_and_gappy() {
    // [5]: Σ = 1.1 + 0.9 + 1.0 = 3.0; completion 0.6; τ = 0.6; τN = 3; P = 1; pace (5 − 3)/2 = 1.0
    let e = at(
        &flow(5.0),
        &obs(L, &[(2021, 1.1), (2022, 0.9), (2023, 1.0)]),
        2023,
    );
    assert_eq!(e.category, OnTrack);
    close(e.figures.completion, 0.6, 1e-9, "completion");
    close(e.figures.pace_needed.map(|p| p.value), 1.0, 1e-9, "pace");
    // Σ = 2.5 + 2.6 = 5.1 ≥ 5 → 提前实现
    assert_eq!(
        at(&flow(5.0), &obs(L, &[(2021, 2.5), (2022, 2.6)]), 2022).category,
        AchievedEarly
    );
    // 2022 missing: n = 2, τ = 0.4, τN = 2, Σ = 2 → P = 1, with a note.
    let e = at(&flow(5.0), &obs(L, &[(2021, 1.0), (2023, 1.0)]), 2023);
    close(e.figures.pace_ratio, 1.0, 1e-9, "P");
    assert!(!e.record.notes.is_empty());
    // Σ = 0.5 against τN = 1: P = 0.5 → 严重滞后
    assert_eq!(
        at(&flow(5.0), &obs(L, &[(2021, 0.5)]), 2021).category,
        SeverelyLagging
    );
}

// ---- bounds ----

#[test]
fn ceiling_holds_breached_and_breached_before() {
    let t = bound(5.0, true, false);
    // margin = −1·(4.6 − 5)/5 = 0.08
    let e = at(&t, &obs(L, &[(2021, 4.5), (2022, 4.6)]), 2022);
    assert_eq!(e.category, OnTrack);
    close(e.figures.margin, 0.08, 1e-9, "margin");
    assert_eq!(
        at(&t, &obs(L, &[(2021, 4.5), (2022, 5.3)]), 2022).category,
        SeverelyLagging
    );
    let before = at(&t, &obs(L, &[(2021, 5.2), (2022, 4.8)]), 2022);
    assert_eq!(before.category, Lagging);
    assert!(
        before.explanation.contains("2021年曾突破"),
        "{}",
        before.explanation
    );
    // ≤ holds at equality; < does not, but a breach by 0 is within the 2% tolerance: 滞后.
    assert_eq!(at(&t, &obs(L, &[(2021, 5.0)]), 2021).category, OnTrack);
    assert_eq!(
        at(&bound(5.0, true, true), &obs(L, &[(2021, 5.0)]), 2021).category,
        Lagging
    );
    // Breached by (5.09 − 5)/5 = 1.8% ≤ 2%: 滞后; by (5.11 − 5)/5 = 2.2%: 严重滞后.
    assert_eq!(at(&t, &obs(L, &[(2021, 5.09)]), 2021).category, Lagging);
    assert_eq!(
        at(&t, &obs(L, &[(2021, 5.11)]), 2021).category,
        SeverelyLagging
    );
}

/// Final evaluation of a bound (the latest year is the target year): held every year
/// 已实现; held in 2025 but breached in 2022 基本实现 (未实现 when binding); breached in
/// 2025 未实现 however small the breach.
#[test]
fn final_bound_categories() {
    let t = bound(5.5, true, false);
    let years = |v22: f64, v25: f64| {
        obs(
            L,
            &[
                (2021, 5.1),
                (2022, v22),
                (2023, 5.2),
                (2024, 5.1),
                (2025, v25),
            ],
        )
    };
    assert_eq!(at(&t, &years(5.3, 5.0), 2025).category, Achieved);
    assert_eq!(at(&t, &years(5.6, 5.0), 2025).category, BasicallyAchieved);
    let binding = at(&t.clone().binding(), &years(5.6, 5.0), 2025);
    assert_eq!(binding.category, NotAchieved);
    assert!(binding.warning.is_some());
    assert_eq!(at(&t, &years(5.3, 5.51), 2025).category, NotAchieved);
}

#[test]
fn binding_bound_near_its_limit_is_warned() {
    // margin = (4.9 − 5)·(−1)/5 = 0.02 < 0.05
    let e = at(
        &bound(5.0, true, false).binding(),
        &obs(L, &[(2021, 4.9)]),
        2021,
    );
    assert_eq!(e.category, OnTrack);
    assert!(e.warning.is_some());
    // Floor ≥93: 95 gives margin (95 − 93)/93 = 0.0215 → warned when binding; 90 breaches.
    let f = at(
        &bound(93.0, false, false).binding(),
        &obs(L, &[(2021, 95.0)]),
        2021,
    );
    close(f.figures.margin, 0.021505, 1e-6, "margin");
    assert!(f.warning.is_some());
    assert_eq!(
        at(&bound(93.0, false, false), &obs(L, &[(2021, 90.0)]), 2021).category,
        SeverelyLagging
    );
}

#[test]
fn zero_limit_and_growth_bound() {
    // 零发生: limit 0, value 0 holds with margin 0 (absolute).
    let e = at(&bound(0.0, true, false), &obs(L, &[(2021, 0.0)]), 2021);
    assert_eq!(e.category, OnTrack);
    close(e.figures.margin, 0.0, 1e-12, "margin");
    // CPI 涨幅 3%以内 bounds the growth rate, not a level.
    let cpi = Target::new(
        "居民消费价格涨幅",
        TargetType::Ceiling {
            limit: 3.0,
            strict: false,
            measure: Measure::GrowthRate,
        },
        Direction::Lower,
        2020,
        2025,
    );
    assert_eq!(at(&cpi, &obs(G, &[(2021, 2.5)]), 2021).category, OnTrack);
    assert_eq!(
        at(&cpi, &obs(L, &[(2021, 102.5)]), 2021).category,
        InsufficientData
    );
}

#[test]
fn range_with_and_without_baseline() {
    // 3~5家 from 1: level toward 3; 2023: req = 1 + 0.6·2 = 2.2; 2.2 → P = 1
    let t = Target::new(
        "上市企业",
        TargetType::Range {
            low: 3.0,
            high: 5.0,
            measure: Measure::Level,
        },
        Direction::Higher,
        2020,
        2025,
    )
    .with_baseline(1.0);
    assert_eq!(at(&t, &obs(L, &[(2023, 2.2)]), 2023).category, OnTrack);
    assert_eq!(
        at(&t, &obs(L, &[(2023, 4.0)]), 2023).category,
        AchievedEarly
    );
    // No baseline: a floor at 3.
    let mut nb = t.clone();
    nb.baseline = None;
    assert_eq!(at(&nb, &obs(L, &[(2023, 4.0)]), 2023).category, OnTrack);
    assert_eq!(
        at(&nb, &obs(L, &[(2023, 2.0)]), 2023).category,
        SeverelyLagging
    );
}

// ---- qualitative, relational and degenerate periods ----

#[test]
fn qualitative_and_relational_are_judged_on_evidence() {
    let q = Target::new(
        "耕地保护",
        TargetType::Qualitative {
            text: "完成省下达任务".into(),
        },
        Direction::Higher,
        2020,
        2025,
    );
    let e = at(&q, &[], 2023);
    assert_eq!(e.category, Qualitative);
    assert!(e.explanation.contains("完成省下达任务"));
    let r = Target::new(
        "居民收入",
        TargetType::Relational {
            relation: "与经济增长同步".into(),
        },
        Direction::Higher,
        2020,
        2025,
    );
    assert_eq!(at(&r, &obs(G, &[(2021, 8.0)]), 2021).category, Qualitative);
}

#[test]
fn degenerate_periods_are_results() {
    let mut t = level(80.0, 85.0, Scale::Linear);
    t.target_year = 2020;
    assert_eq!(
        at(&t, &obs(L, &[(2021, 83.0)]), 2021).category,
        InsufficientData
    );
    let early = at(
        &level(80.0, 85.0, Scale::Linear),
        &obs(L, &[(2020, 80.0)]),
        2020,
    );
    assert_eq!(early.category, InsufficientData);
    assert!(
        early.explanation.contains("不晚于基期"),
        "{}",
        early.explanation
    );
}

#[test]
fn years_outside_the_sane_range_are_a_data_problem_not_a_span_to_walk() {
    // A target year of 2147483647 (a typo stored before forms checked years) once made
    // the dashboard allocate one chart point per year; now every target type answers
    // at once with 数据不足 and says why.
    let huge = |mut t: Target| {
        t.target_year = i32::MAX;
        t
    };
    for t in [
        huge(level(735.0, 1130.0, Scale::Geometric)),
        huge(growth(8.0, true)),
        huge(reduction(13.5)),
        huge(flow(5.0)),
        Target {
            base_year: i32::MIN,
            ..level(80.0, 85.0, Scale::Linear)
        },
    ] {
        let data = obs(L, &[(2021, 1.0), (2023, 2.0)]);
        let e = at(&t, &data, 2023);
        assert_eq!(e.category, InsufficientData, "{}", e.explanation);
        assert!(e.explanation.contains("1949—2100"), "{}", e.explanation);
    }
    // Observations with impossible years never reach the engine's year walks.
    let row = |year: i32| input::DataRow {
        indicator: "地区生产总值",
        year,
        value: 1.0,
        kind: "level",
        ..Default::default()
    };
    assert!(input::interpret(&row(2023)).is_some());
    assert!(input::interpret(&row(i32::MAX)).is_none());
    assert!(input::interpret(&row(3000)).is_none());
    assert!(
        input::interpret(&input::DataRow {
            year_from: Some(i32::MIN),
            ..row(2023)
        })
        .is_none()
    );
    assert!(
        input::interpret(&input::DataRow {
            value: f64::NAN,
            ..row(2023)
        })
        .is_none()
    );
}

#[test]
fn every_result_explains_itself_and_records_inputs() {
    let cases: Vec<(Target, Vec<Observation>)> = vec![
        (
            level(735.0, 1130.0, Scale::Geometric),
            obs(L, &[(2023, 804.28)]),
        ),
        (growth(8.0, true), obs(G, &[(2022, 5.7)])),
        (reduction(13.5), obs(R, &[(2021, 3.0)])),
        (flow(5.0), obs(L, &[(2021, 1.0)])),
        (bound(5.0, true, false), obs(L, &[(2021, 4.0)])),
    ];
    for (t, data) in cases {
        let e = at(&t, &data, 2023);
        assert!(e.explanation.ends_with('。'), "{}", e.explanation);
        assert!(
            e.explanation.contains(e.category.label()),
            "{}",
            e.explanation
        );
        assert!(
            !e.record.inputs.is_empty() && !e.record.steps.is_empty(),
            "{:?}",
            e.record
        );
        assert!(e.record.inputs.iter().any(|i| i.name == "评估年份"));
    }
}
