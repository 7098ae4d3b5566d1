//! From an evaluated target to a chart: baseline → actual path → target, with the
//! planned path the status engine measures against (design §3), and the category
//! counts of a roll-up.

use planwatch_core::eval::observation::{Window, select};
use planwatch_core::eval::rollup::RollUp;
use planwatch_core::eval::{Category, Observation, ObservationKind, Scale, Target, TargetType};
use planwatch_core::validate::year_ok;

use super::svg::{BarChart, Line, LineChart, Style};

/// Colour of a category, shared by charts and pages so a status looks the same everywhere.
pub fn category_colour(c: Category) -> &'static str {
    match c {
        Category::AchievedEarly | Category::Achieved => "#1b5e20",
        Category::BasicallyAchieved => "#1f5fbf",
        Category::NotAchieved => "#c62828",
        Category::Ahead => "#43a047",
        Category::OnTrack => "#1f5fbf",
        Category::Lagging => "#ef6c00",
        Category::SeverelyLagging => "#c62828",
        Category::InsufficientData => "#9e9e9e",
        Category::Qualitative => "#6d4c41",
    }
}

/// Category counts of a roll-up as bars, in the official order.
pub fn category_chart(r: &RollUp) -> BarChart {
    BarChart {
        title: format!("{}分类统计（{}项）", r.label, r.total),
        bars: r
            .counts
            .iter()
            .map(|(c, n)| (c.label().to_string(), *n, category_colour(*c).to_string()))
            .collect(),
    }
}

/// The chart of one target with the observations of its indicator.
pub fn indicator_chart(t: &Target, obs: &[Observation]) -> LineChart {
    let unit = t.unit.clone().unwrap_or_default();
    let (b, end) = (t.base_year, t.target_year);
    let years = || b..=end;
    let mut lines = Vec::new();
    // A planned path has one point per year: with years outside the sane range (a value
    // stored before validation) it would have billions, and a document that names no
    // period has no path. Such a target gets an empty chart.
    if !(t.has_period() && year_ok(i64::from(b)) && year_ok(i64::from(end))) {
        return LineChart {
            title: title(t),
            unit,
            lines,
        };
    }
    match &t.target_type {
        TargetType::Level { value, scale, .. } => {
            if let Some(x_b) = t.baseline {
                let planned = years()
                    .map(|y| (y, planned_level(x_b, *value, *scale, tau(b, end, y))))
                    .collect();
                lines.push(line("规划路径", planned, Style::Planned));
            } else {
                lines.push(line("目标", vec![(end, *value)], Style::Planned));
            }
            lines.push(line("实际值", levels(t, obs), Style::Actual));
        }
        TargetType::Ceiling { limit, .. } | TargetType::Floor { limit, .. } => {
            let label = if matches!(t.target_type, TargetType::Ceiling { .. }) {
                "上限"
            } else {
                "下限"
            };
            lines.push(line(label, vec![(b, *limit), (end, *limit)], Style::Bound));
            lines.push(line("实际值", levels(t, obs), Style::Actual));
        }
        TargetType::Range { low, high, .. } => {
            lines.push(line("下限", vec![(b, *low), (end, *low)], Style::Bound));
            lines.push(line("上限", vec![(b, *high), (end, *high)], Style::Bound));
            lines.push(line("实际值", levels(t, obs), Style::Actual));
        }
        TargetType::GrowthRate { rate, .. } => {
            lines.push(line(
                "目标增速",
                vec![(b + 1, *rate), (end, *rate)],
                Style::Planned,
            ));
            lines.push(line(
                "实际增速",
                of_kind(t, obs, ObservationKind::GrowthRate),
                Style::Actual,
            ));
            return LineChart {
                title: title(t),
                unit: "%".into(),
                lines,
            };
        }
        TargetType::CumulativeReduction { percent } => {
            let planned = years()
                .map(|y| {
                    (
                        y,
                        100.0 * (1.0 - (1.0 - percent / 100.0).powf(tau(b, end, y))),
                    )
                })
                .collect();
            lines.push(line("规划累计降低", planned, Style::Planned));
            lines.push(line(
                "实际累计降低",
                compounded_reduction(t, obs),
                Style::Actual,
            ));
            return LineChart {
                title: title(t),
                unit: "%".into(),
                lines,
            };
        }
        TargetType::CumulativeFlow { total } => {
            let planned = years().map(|y| (y, total * tau(b, end, y))).collect();
            lines.push(line("规划累计", planned, Style::Planned));
            lines.push(line("实际累计", running_sum(t, obs), Style::Actual));
        }
        TargetType::LevelChange { delta } => {
            if let Some(x_b) = t.baseline {
                let planned = vec![(b, x_b), (end, x_b + delta)];
                lines.push(line("规划路径", planned, Style::Planned));
            }
            lines.push(line("实际值", levels(t, obs), Style::Actual));
        }
        TargetType::PerYear { .. } => {
            lines.push(line(
                "实际增速",
                of_kind(t, obs, ObservationKind::GrowthRate),
                Style::Actual,
            ));
            return LineChart {
                title: title(t),
                unit: "%".into(),
                lines,
            };
        }
        TargetType::Relational { .. } | TargetType::Qualitative { .. } => {}
    }
    LineChart {
        title: title(t),
        unit,
        lines,
    }
}

fn title(t: &Target) -> String {
    match &t.unit {
        Some(u) if !u.is_empty() => format!("{}（{u}）", t.indicator),
        _ => t.indicator.clone(),
    }
}

fn line(label: &str, points: Vec<(i32, f64)>, style: Style) -> Line {
    Line {
        label: label.into(),
        points,
        style,
    }
}

/// Elapsed share τ = (y − b)/(T − b), 0 when the period is empty.
fn tau(b: i32, end: i32, y: i32) -> f64 {
    if end > b {
        f64::from(y - b) / f64::from(end - b)
    } else {
        0.0
    }
}

/// Required-by-now on the planned path: linear x_b + τ(X − x_b), geometric x_b(X/x_b)^τ.
fn planned_level(x_b: f64, x: f64, scale: Scale, tau: f64) -> f64 {
    match scale {
        Scale::Geometric if x_b > 0.0 && x > 0.0 => x_b * (x / x_b).powf(tau),
        _ => x_b + tau * (x - x_b),
    }
}

/// Each year's value after the base year, chosen by the engine's own rule (latest
/// vintage per year), so the chart shows what the evaluation used.
fn of_kind(t: &Target, obs: &[Observation], kind: ObservationKind) -> Vec<(i32, f64)> {
    of_kinds(t, obs, &[kind])
}

fn of_kinds(t: &Target, obs: &[Observation], kinds: &[ObservationKind]) -> Vec<(i32, f64)> {
    let window = Window {
        base_year: t.base_year,
        last_year: t.target_year,
        as_of: None,
    };
    select(obs, kinds, &window).after(t.base_year)
}

/// Levels (or shares) after the base year, starting from the baseline.
fn levels(t: &Target, obs: &[Observation]) -> Vec<(i32, f64)> {
    let mut out: Vec<(i32, f64)> = t.baseline.map(|x| (t.base_year, x)).into_iter().collect();
    out.extend(of_kinds(
        t,
        obs,
        &[ObservationKind::Level, ObservationKind::Share],
    ));
    out
}

/// 1 − ∏(1 − r_i) in percent, from yearly reductions, starting at 0 in the base year.
fn compounded_reduction(t: &Target, obs: &[Observation]) -> Vec<(i32, f64)> {
    let mut out = vec![(t.base_year, 0.0)];
    let mut kept = 1.0;
    for (y, r) in of_kind(t, obs, ObservationKind::Reduction) {
        kept *= 1.0 - r / 100.0;
        out.push((y, 100.0 * (1.0 - kept)));
    }
    out
}

/// Σa_i of yearly flows, starting at 0 in the base year.
fn running_sum(t: &Target, obs: &[Observation]) -> Vec<(i32, f64)> {
    let mut out = vec![(t.base_year, 0.0)];
    let mut sum = 0.0;
    for (y, a) in of_kind(t, obs, ObservationKind::Level) {
        sum += a;
        out.push((y, sum));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use planwatch_core::eval::Direction;

    fn obs(year: i32, value: f64, kind: ObservationKind) -> Observation {
        Observation::new("x", year, value, kind)
    }

    #[test]
    fn geometric_level_path() {
        let mut t = Target::new(
            "地区生产总值",
            TargetType::Level {
                value: 1130.0,
                scale: Scale::Geometric,
                approx: false,
            },
            Direction::Higher,
            2020,
            2025,
        );
        t.baseline = Some(735.0);
        t.unit = Some("亿元".into());
        let c = indicator_chart(&t, &[obs(2022, 777.54, ObservationKind::Level)]);
        assert_eq!(c.title, "地区生产总值（亿元）");
        let planned = &c.lines[0].points;
        assert_eq!(planned.len(), 6);
        // 2023: τ = 0.6, 735·(1130/735)^0.6 = 735·1.2945 = 951.5.
        assert!((planned[3].1 - 951.5).abs() < 0.5, "{planned:?}");
        assert_eq!(c.lines[1].points, [(2020, 735.0), (2022, 777.54)]);
    }

    #[test]
    fn a_target_year_of_2147483647_draws_an_empty_chart_at_once() {
        // It once meant 2^31 planned points (a 34 GB allocation on every dashboard view).
        let mut t = Target::new(
            "地区生产总值",
            TargetType::Level {
                value: 1130.0,
                scale: Scale::Geometric,
                approx: false,
            },
            Direction::Higher,
            2020,
            i32::MAX,
        );
        t.baseline = Some(735.0);
        let c = indicator_chart(&t, &[obs(2022, 777.54, ObservationKind::Level)]);
        assert!(c.lines.is_empty());
        assert!(c.to_svg().contains("暂无数据"));
    }

    #[test]
    fn cumulative_reduction_compounds() {
        let t = Target::new(
            "单位地区生产总值能源消耗降低",
            TargetType::CumulativeReduction { percent: 13.5 },
            Direction::Higher,
            2020,
            2025,
        );
        let o = [
            obs(2021, 3.1, ObservationKind::Reduction),
            obs(2022, 2.0, ObservationKind::Reduction),
            obs(2023, 2.2, ObservationKind::Reduction),
        ];
        let c = indicator_chart(&t, &o);
        // Planned 2023: 1 − 0.865^0.6 = 8.33%; achieved 1 − 0.969·0.980·0.978 = 7.13%.
        assert!((c.lines[0].points[3].1 - 8.33).abs() < 0.01);
        let last = c.lines[1].points.last().unwrap();
        assert_eq!(last.0, 2023);
        assert!((last.1 - 7.13).abs() < 0.01, "{last:?}");
    }

    #[test]
    fn flows_sum_and_bounds_are_flat() {
        let flow = Target::new(
            "城镇新增就业人数",
            TargetType::CumulativeFlow { total: 1.5 },
            Direction::Higher,
            2020,
            2025,
        );
        let o = [
            obs(2021, 0.33, ObservationKind::Level),
            obs(2022, 0.31, ObservationKind::Level),
        ];
        let c = indicator_chart(&flow, &o);
        // τ(2023) = 0.6 → 0.9; Σ = 0.64 by 2022.
        assert!((c.lines[0].points[3].1 - 0.9).abs() < 1e-9);
        assert!((c.lines[1].points[2].1 - 0.64).abs() < 1e-9);
        let ceiling = Target::new(
            "城镇调查失业率",
            TargetType::Ceiling {
                limit: 5.5,
                strict: false,
                measure: planwatch_core::eval::Measure::Level,
            },
            Direction::Lower,
            2020,
            2025,
        );
        let c = indicator_chart(&ceiling, &[]);
        assert_eq!(c.lines[0].points, [(2020, 5.5), (2025, 5.5)]);
        assert_eq!(c.lines[0].style, Style::Bound);
    }

    #[test]
    fn latest_vintage_wins() {
        let t = Target::new(
            "地区生产总值",
            TargetType::Level {
                value: 1130.0,
                scale: Scale::Linear,
                approx: false,
            },
            Direction::Higher,
            2020,
            2025,
        );
        let o = [
            obs(2022, 777.54, ObservationKind::Level).with_vintage("2023-03-01"),
            obs(2022, 780.0, ObservationKind::Level).with_vintage("2024-03-01"),
        ];
        assert_eq!(indicator_chart(&t, &o).lines[1].points, [(2022, 780.0)]);
    }
}
