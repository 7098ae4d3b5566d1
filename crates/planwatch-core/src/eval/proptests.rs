//! Invariants: a path exactly on plan is 基本符合预期; improving any actual never worsens the category.

use proptest::prelude::*;

use super::*;

/// A generated target with the observation kind it is measured by and which way is better.
#[derive(Debug, Clone)]
struct Case {
    target: Target,
    kind: ObservationKind,
    /// +1 when a larger observation is an improvement, −1 when a smaller one is.
    better: f64,
}

fn case(choice: u8, x_b: f64, ratio: f64, rate: f64, lower: bool) -> Case {
    let level = |scale| {
        let (x, dir) = if lower {
            (x_b / ratio, Direction::Lower)
        } else {
            (x_b * ratio, Direction::Higher)
        };
        let t = Target::new(
            "x",
            TargetType::Level {
                value: x,
                scale,
                approx: false,
            },
            dir,
            2020,
            2025,
        )
        .with_baseline(x_b);
        Case {
            target: t,
            kind: ObservationKind::Level,
            better: dir.sign(),
        }
    };
    match choice % 7 {
        0 => level(Scale::Linear),
        1 => level(Scale::Geometric),
        2 => Case {
            target: Target::new(
                "x",
                TargetType::GrowthRate {
                    rate,
                    approx: lower,
                },
                Direction::Higher,
                2020,
                2025,
            ),
            kind: ObservationKind::GrowthRate,
            better: 1.0,
        },
        3 => Case {
            target: Target::new(
                "x",
                TargetType::CumulativeReduction {
                    percent: rate * 2.0,
                },
                Direction::Higher,
                2020,
                2025,
            ),
            kind: ObservationKind::Reduction,
            better: 1.0,
        },
        4 => Case {
            target: Target::new(
                "x",
                TargetType::CumulativeFlow { total: x_b },
                Direction::Higher,
                2020,
                2025,
            ),
            kind: ObservationKind::Level,
            better: 1.0,
        },
        5 => Case {
            target: Target::new(
                "x",
                TargetType::Ceiling {
                    limit: x_b,
                    strict: lower,
                    measure: Measure::Level,
                },
                Direction::Lower,
                2020,
                2025,
            ),
            kind: ObservationKind::Level,
            better: -1.0,
        },
        _ => Case {
            target: Target::new(
                "x",
                TargetType::Floor {
                    limit: x_b,
                    strict: lower,
                    measure: Measure::Level,
                },
                Direction::Higher,
                2020,
                2025,
            ),
            kind: ObservationKind::Level,
            better: 1.0,
        },
    }
}

/// The value each year 2021..=t would have exactly on the planned path.
fn on_path(c: &Case, year: i32) -> f64 {
    let t = &c.target;
    let span = f64::from(t.target_year - t.base_year);
    let tau = f64::from(year - t.base_year) / span;
    let x_b = t.baseline.unwrap_or(0.0);
    match &t.target_type {
        TargetType::Level {
            value,
            scale: Scale::Linear,
            ..
        } => x_b + tau * (value - x_b),
        TargetType::Level { value, .. } => x_b * (value / x_b).powf(tau),
        TargetType::GrowthRate { rate, .. } => *rate,
        TargetType::CumulativeReduction { percent } => {
            (1.0 - (1.0 - percent / 100.0).powf(1.0 / span)) * 100.0
        }
        TargetType::CumulativeFlow { total } => total / span,
        _ => 0.0,
    }
}

fn series(c: &Case, values: &[f64]) -> Vec<Observation> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| Observation::new("x", 2021 + i as i32, *v, c.kind))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn exactly_on_the_planned_path_is_on_track(choice in 0u8..5, x_b in 1.0f64..1000.0, ratio in 1.05f64..3.0, rate in 1.0f64..15.0, lower: bool, last in 2021i32..2025) {
        let c = case(choice, x_b, ratio, rate, lower);
        let values: Vec<f64> = (2021..=last).map(|y| on_path(&c, y)).collect();
        let e = evaluate(&c.target, &series(&c, &values), &EvalContext::new(last));
        prop_assert_eq!(e.category, Category::OnTrack, "{}", e.explanation);
    }

    #[test]
    fn improving_an_actual_never_worsens_the_category(
        choice in 0u8..7, x_b in 1.0f64..1000.0, ratio in 1.05f64..3.0, rate in 1.0f64..15.0, lower: bool,
        raw in prop::collection::vec(-0.5f64..2.0, 1..5), pick in 0usize..5, step in 0.0f64..1.0,
    ) {
        let c = case(choice, x_b, ratio, rate, lower);
        // Observations spread around the path: raw factor 1 is on the path, 0 is the baseline side.
        let values: Vec<f64> = raw.iter().enumerate().map(|(i, f)| {
            let p = on_path(&c, 2021 + i as i32);
            match c.kind {
                ObservationKind::Level if c.target.baseline.is_some() => {
                    let x_b = c.target.baseline.unwrap_or(0.0);
                    x_b + f * (p - x_b) * 1.5
                }
                ObservationKind::Level => x_b * f,
                _ => p * f * 2.0 - rate,
            }
        }).collect();
        let last = 2020 + values.len() as i32;
        let i = pick % values.len();
        let mut better = values.clone();
        better[i] += c.better * step * (1.0 + values[i].abs());
        let ctx = EvalContext::new(last);
        let before = evaluate(&c.target, &series(&c, &values), &ctx);
        let after = evaluate(&c.target, &series(&c, &better), &ctx);
        if let (Some(a), Some(b)) = (before.category.rank(), after.category.rank()) {
            prop_assert!(b >= a, "{:?} → {:?}\n{}\n{}", before.category, after.category, before.explanation, after.explanation);
        }
    }

    #[test]
    fn evaluation_never_panics_on_odd_numbers(
        choice in 0u8..7, x_b in -1e6f64..1e6, ratio in -3.0f64..3.0, rate in -200.0f64..200.0, lower: bool,
        values in prop::collection::vec(-1e6f64..1e6, 0..8), year in 2015i32..2030,
    ) {
        let c = case(choice, x_b, ratio, rate, lower);
        let e = evaluate(&c.target, &series(&c, &values), &EvalContext::new(year));
        prop_assert!(!e.explanation.is_empty());
    }

    /// Whatever text a relation, a title or a header holds, reading it never panics.
    #[test]
    fn reading_relations_titles_and_headers_never_panics(text in "\\PC{0,40}") {
        let _ = crate::eval::relation::parse(&text);
        let _ = crate::eval::period::plan_number(&text);
        let _ = crate::eval::period::year_in(&text);
    }

    /// Annual targets of any size, unit and wording against any target type: a sentence,
    /// never a panic, and a 偏低 verdict only with a number to compare.
    #[test]
    fn annual_checks_never_panic(
        choice in 0u8..7, x_b in -1e6f64..1e6, ratio in -3.0f64..3.0, rate in -200.0f64..200.0,
        lower: bool, value in -1e9f64..1e9, year in 2015i32..2032, growth: bool,
        unit in prop::sample::select(vec!["%", "人", "万人", "亿元", "个百分点", ""]),
        text in prop::sample::select(vec!["", "提高1个百分点", "增加值", "新增3000人"]),
    ) {
        let c = case(choice, x_b, ratio, rate, lower);
        let a = crate::eval::AnnualTarget {
            indicator: c.target.indicator.clone(),
            year,
            value,
            growth,
            comparator: None,
            reference: None,
            unit: Some(unit.to_string()),
            text: Some(text.to_string()),
        };
        let check = crate::eval::check_annual_target(&c.target, &a, &[], None);
        prop_assert!(!check.message.is_empty());
        prop_assert!(!check.too_low || check.needed.is_some());
    }
}
