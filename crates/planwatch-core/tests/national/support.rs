//! Shared by the national-table tests of planwatch-core (a stand-in reader) and of
//! planwatch-cli (the real parser): the published statistics, the report's classes and
//! the comparison. Included with `#[path]`; not a test of its own.

use planwatch_core::eval::{
    AnnualTarget, Category, Observation, ObservationKind, PlanEvaluation, evaluate_plan,
};
use planwatch_core::plan::Plan;
use planwatch_core::quantity::Comparator;

const STATISTICS: &str = include_str!("statistics.csv");
const EXPECTED: &str = include_str!("expected.csv");

/// The evaluation date: the day before the report went to the NPC Standing Committee.
pub const AS_OF: &str = "2023-12-25";

/// The four classes of the national scheme, in order (a band is one step).
pub const CLASSES: [&str; 4] = ["提前实现", "快于预期", "基本符合预期", "滞后"];

/// Our category in the national scheme, which has no 严重滞后.
pub fn national_class(c: Category) -> &'static str {
    match c {
        Category::AchievedEarly | Category::Achieved => "提前实现",
        Category::Ahead => "快于预期",
        Category::OnTrack | Category::BasicallyAchieved => "基本符合预期",
        Category::Lagging | Category::SeverelyLagging | Category::NotAchieved => "滞后",
        Category::InsufficientData => "数据不足",
        Category::Qualitative => "定性评估",
    }
}

pub fn band(class: &str) -> Option<usize> {
    CLASSES.iter().position(|c| *c == class)
}

/// Lines of a fixture that are data, not comments.
pub fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

/// The published figures and the GDP annual targets.
pub fn statistics() -> (Vec<Observation>, Vec<AnnualTarget>) {
    let mut obs = Vec::new();
    let mut annual = Vec::new();
    for line in data_lines(STATISTICS).skip(1) {
        let c: Vec<&str> = line.splitn(8, ',').collect();
        let (name, year, value, unit, kind, comparator, vintage, source) = (
            c[0],
            c[1].parse::<i32>().unwrap(),
            c[2].parse::<f64>().unwrap(),
            c[3],
            c[4],
            c[5],
            c[6],
            c[7],
        );
        if kind == "annual_target" {
            annual.push(AnnualTarget {
                indicator: name.into(),
                year,
                value,
                growth: true,
                comparator: match comparator {
                    "ge" => Some(Comparator::Ge),
                    "approx" => Some(Comparator::Approx),
                    _ => None,
                },
                reference: Some(source.into()),
                unit: Some(unit.into()),
                text: None,
            });
            continue;
        }
        let kind = match kind {
            "growth_rate" => ObservationKind::GrowthRate,
            "reduction" => ObservationKind::Reduction,
            "share" => ObservationKind::Share,
            _ => ObservationKind::Level,
        };
        obs.push(Observation {
            unit: Some(unit.into()),
            reference: Some(source.into()),
            ..Observation::new(name, year, value, kind).with_vintage(vintage)
        });
    }
    (obs, annual)
}

pub fn expected() -> Vec<(String, String)> {
    data_lines(EXPECTED)
        .skip(1)
        .map(|l| {
            let (name, class) = l.split_once(',').unwrap();
            (name.to_string(), class.to_string())
        })
        .collect()
}

/// One indicator's class from us and from the report.
#[derive(Debug, PartialEq)]
pub struct Compared {
    pub indicator: String,
    pub ours: String,
    pub theirs: String,
}

/// Evaluate a plan holding the national table at 2022 with figures released by
/// 2023-12-25, and set each class beside the report's (matched by row order).
pub fn evaluate_against_report(plan: &Plan) -> (PlanEvaluation, Vec<Compared>) {
    let (obs, annual) = statistics();
    let r = evaluate_plan(plan, &obs, &annual, Some(2022), Some(AS_OF.into()));
    let compared = expected()
        .into_iter()
        .zip(r.main())
        .map(|((name, theirs), (t, e))| {
            assert!(
                t.indicator.contains(name.trim_end_matches("增长")) || name.contains(&t.indicator),
                "row order: {} vs {name}",
                t.indicator
            );
            Compared {
                indicator: name,
                ours: national_class(e.category).to_string(),
                theirs,
            }
        })
        .collect();
    (r, compared)
}

pub fn disagreements(compared: &[Compared]) -> Vec<(&str, &str, &str)> {
    compared
        .iter()
        .filter(|c| c.ours != c.theirs)
        .map(|c| (c.indicator.as_str(), c.ours.as_str(), c.theirs.as_str()))
        .collect()
}
