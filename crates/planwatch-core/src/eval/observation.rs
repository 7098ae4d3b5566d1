//! Observations: published values per year, with kind, source and vintage, and
//! the selection rules that decide which of them an evaluation may use.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What an observed number measures.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum ObservationKind {
    /// The value for the year (804.28亿元; for a flow, the year's amount).
    Level,
    /// Year-on-year growth in percent at comparable prices.
    GrowthRate,
    /// Year-on-year reduction in percent (能耗下降3.2% is 3.2).
    Reduction,
    /// A percentage of a whole (比重 83%); a level for evaluation.
    Share,
}

impl ObservationKind {
    /// True for the kinds that are levels of the indicator itself.
    pub fn is_level(self) -> bool {
        matches!(self, ObservationKind::Level | ObservationKind::Share)
    }

    /// zh-CN label.
    pub fn label(self) -> &'static str {
        match self {
            ObservationKind::Level => "总量/水平",
            ObservationKind::GrowthRate => "增长率",
            ObservationKind::Reduction => "降低率",
            ObservationKind::Share => "比重",
        }
    }
}

/// Where a figure was published.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// 统计公报.
    StatisticalBulletin,
    /// 政府工作报告.
    WorkReport,
    /// 统计年鉴.
    Yearbook,
    /// Entered by hand.
    Manual,
    /// Anything else or unknown.
    #[default]
    Other,
}

impl SourceKind {
    /// Guess the source kind from a note or title (统计公报, 政府工作报告, 年鉴).
    pub fn from_text(text: &str) -> SourceKind {
        if text.contains("统计公报") {
            SourceKind::StatisticalBulletin
        } else if text.contains("政府工作报告") {
            SourceKind::WorkReport
        } else if text.contains("年鉴") {
            SourceKind::Yearbook
        } else {
            SourceKind::Other
        }
    }
}

/// One published figure.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Observation {
    /// Indicator name as the source writes it.
    pub indicator: String,
    /// Year the value refers to (the last year of a span).
    pub year: i32,
    /// First year of a span when the value is a period average (2021-2025); None for one year.
    pub from_year: Option<i32>,
    /// The value.
    pub value: f64,
    /// What it measures.
    pub kind: ObservationKind,
    /// Unit as written.
    pub unit: Option<String>,
    /// Where it was published.
    pub source: SourceKind,
    /// Release date as an ISO date (`2024-03-28`); empty when unknown. Later vintages revise earlier ones.
    pub vintage: String,
    /// URL, document and line, or other reference.
    pub reference: Option<String>,
}

impl Observation {
    /// A single-year observation with unknown source and vintage.
    pub fn new(indicator: &str, year: i32, value: f64, kind: ObservationKind) -> Self {
        Observation {
            indicator: indicator.to_string(),
            year,
            from_year: None,
            value,
            kind,
            unit: None,
            source: SourceKind::Other,
            vintage: String::new(),
            reference: None,
        }
    }

    /// Set the vintage (builder style).
    pub fn with_vintage(mut self, vintage: &str) -> Self {
        self.vintage = vintage.to_string();
        self
    }
}

/// The years an evaluation may look at, and the vintage cut-off.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    /// Base year b.
    pub base_year: i32,
    /// Last year to use: min(evaluation year, target year).
    pub last_year: i32,
    /// Release-date cut-off: vintages after it are ignored; None takes every vintage.
    pub as_of: Option<String>,
}

/// One value per year, chosen from the observations that pass the window.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    /// Year → (value, vintage used).
    pub points: BTreeMap<i32, (f64, String)>,
    /// zh-CN remarks about what was left out.
    pub notes: Vec<String>,
}

impl Series {
    /// Value in a year.
    pub fn get(&self, year: i32) -> Option<f64> {
        self.points.get(&year).map(|(v, _)| *v)
    }

    /// Points strictly after the base year, in year order.
    pub fn after(&self, base_year: i32) -> Vec<(i32, f64)> {
        self.points
            .range(base_year + 1..)
            .map(|(y, (v, _))| (*y, *v))
            .collect()
    }

    /// The latest point strictly after the base year.
    pub fn latest_after(&self, base_year: i32) -> Option<(i32, f64)> {
        self.after(base_year).last().copied()
    }
}

/// Pick, for each year in `[base_year, last_year]`, the latest vintage not after the cut-off
/// among observations of the given kinds. Period averages fill years that have no yearly value.
pub fn select(observations: &[Observation], kinds: &[ObservationKind], window: &Window) -> Series {
    let mut series = Series::default();
    let mut late_years = Vec::new();
    let mut revised = 0usize;
    for obs in observations.iter().filter(|o| kinds.contains(&o.kind)) {
        if let Some(cut) = &window.as_of
            && !obs.vintage.is_empty()
            && obs.vintage.as_str() > cut.as_str()
        {
            revised += 1;
            continue;
        }
        if obs.year > window.last_year {
            late_years.push(obs.year);
            continue;
        }
        if obs.from_year.is_some() {
            continue;
        }
        insert_latest(&mut series.points, obs.year, obs.value, &obs.vintage);
    }
    fill_from_spans(&mut series, observations, kinds, window);
    if revised > 0 {
        let cut = window.as_of.clone().unwrap_or_default();
        series
            .notes
            .push(format!("{revised}条数据发布于{cut}之后，未用于本次评估"));
    }
    late_years.sort_unstable();
    late_years.dedup();
    if !late_years.is_empty() {
        let years: Vec<String> = late_years.iter().map(|y| y.to_string()).collect();
        series.notes.push(format!(
            "{}年的数据晚于评估截止年{}，未计入",
            years.join("、"),
            window.last_year
        ));
    }
    series
}

fn insert_latest(points: &mut BTreeMap<i32, (f64, String)>, year: i32, value: f64, vintage: &str) {
    let replace = points.get(&year).is_none_or(|(_, v)| vintage >= v.as_str());
    if replace {
        points.insert(year, (value, vintage.to_string()));
    }
}

/// A period average (2021-2025 年均) stands for each year of its span that has no yearly value.
fn fill_from_spans(
    series: &mut Series,
    observations: &[Observation],
    kinds: &[ObservationKind],
    window: &Window,
) {
    let spans = observations
        .iter()
        .filter(|o| kinds.contains(&o.kind) && o.from_year.is_some());
    for obs in spans {
        let from = obs.from_year.unwrap_or(obs.year);
        if obs.year > window.last_year
            || window
                .as_of
                .as_ref()
                .is_some_and(|c| obs.vintage.as_str() > c.as_str())
        {
            continue;
        }
        let mut used = false;
        for year in from.max(window.base_year)..=obs.year {
            if let std::collections::btree_map::Entry::Vacant(slot) = series.points.entry(year) {
                slot.insert((obs.value, obs.vintage.clone()));
                used = true;
            }
        }
        if used {
            series.notes.push(format!(
                "{from}–{}年的年均值{}用于缺少逐年数据的年份",
                obs.year, obs.value
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ObservationKind::*;

    fn window(last: i32, as_of: Option<&str>) -> Window {
        Window {
            base_year: 2020,
            last_year: last,
            as_of: as_of.map(str::to_string),
        }
    }

    #[test]
    fn later_vintage_replaces_earlier_only_up_to_the_cut_off() {
        let obs = [
            Observation::new("GDP", 2023, 800.0, Level).with_vintage("2024-03-01"),
            Observation::new("GDP", 2023, 804.28, Level).with_vintage("2024-05-10"),
            Observation::new("GDP", 2023, 790.0, Level).with_vintage("2025-01-01"),
        ];
        let s = select(&obs, &[Level], &window(2023, Some("2024-12-31")));
        assert_eq!(s.get(2023), Some(804.28));
        assert_eq!(s.notes.len(), 1, "{:?}", s.notes);
        let early = select(&obs, &[Level], &window(2023, Some("2024-04-01")));
        assert_eq!(
            early.get(2023),
            Some(800.0),
            "an old evaluation keeps its old figure"
        );
        let all = select(&obs, &[Level], &window(2023, None));
        assert_eq!(all.get(2023), Some(790.0));
    }

    #[test]
    fn years_after_the_window_and_other_kinds_are_left_out() {
        let obs = [
            Observation::new("GDP", 2022, 777.54, Level),
            Observation::new("GDP", 2022, 5.7, GrowthRate),
            Observation::new("GDP", 2026, 1200.0, Level),
        ];
        let s = select(&obs, &[Level], &window(2025, None));
        assert_eq!(s.after(2020), vec![(2022, 777.54)]);
        assert!(s.notes[0].contains("2026年"), "{:?}", s.notes);
    }

    #[test]
    fn period_average_fills_missing_years() {
        let mut avg = Observation::new("GDP增长", 2025, 6.0, GrowthRate);
        avg.from_year = Some(2021);
        let obs = [Observation::new("GDP增长", 2022, 5.7, GrowthRate), avg];
        let s = select(&obs, &[GrowthRate], &window(2025, None));
        let years: Vec<i32> = s.points.keys().copied().collect();
        assert_eq!(years, vec![2021, 2022, 2023, 2024, 2025]);
        assert_eq!(s.get(2022), Some(5.7));
        assert_eq!(s.get(2024), Some(6.0));
    }
}
