//! Status categories, thresholds, warnings and the result of one evaluation.

use serde::{Deserialize, Serialize};

use super::record::CalcRecord;

/// Progress category of one indicator (design §3).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 提前实现: the target is already met before the target year.
    AchievedEarly,
    /// 已实现: the target is met in the target year (final evaluation).
    Achieved,
    /// 基本实现: final evaluation, the target is missed narrowly (see `Thresholds::final_basic`).
    BasicallyAchieved,
    /// 快于预期: P ≥ 1.05.
    Ahead,
    /// 基本符合预期: 0.95 ≤ P < 1.05, or within the 左右 tolerance, or a bound that holds.
    OnTrack,
    /// 滞后: 0.60 ≤ P < 0.95.
    Lagging,
    /// 严重滞后: P < 0.60, moving away, or a bound breached.
    SeverelyLagging,
    /// 未实现: final evaluation, the target is missed.
    NotAchieved,
    /// 数据不足: not enough usable data.
    InsufficientData,
    /// 定性评估: judged on evidence.
    Qualitative,
}

impl Category {
    /// Every category in the order official reports list them.
    pub const ALL: [Category; 10] = [
        Category::AchievedEarly,
        Category::Achieved,
        Category::BasicallyAchieved,
        Category::Ahead,
        Category::OnTrack,
        Category::Lagging,
        Category::SeverelyLagging,
        Category::NotAchieved,
        Category::InsufficientData,
        Category::Qualitative,
    ];

    /// zh-CN label.
    pub fn label(self) -> &'static str {
        match self {
            Category::AchievedEarly => "提前实现",
            Category::Achieved => "已实现",
            Category::BasicallyAchieved => "基本实现",
            Category::Ahead => "快于预期",
            Category::OnTrack => "基本符合预期",
            Category::Lagging => "滞后",
            Category::SeverelyLagging => "严重滞后",
            Category::NotAchieved => "未实现",
            Category::InsufficientData => "数据不足",
            Category::Qualitative => "定性评估",
        }
    }

    /// Rank for comparing progress (higher is better); None for 数据不足 and 定性评估.
    /// A final category ranks with the progress category it corresponds to.
    pub fn rank(self) -> Option<u8> {
        match self {
            Category::AchievedEarly | Category::Achieved => Some(4),
            Category::Ahead => Some(3),
            Category::OnTrack | Category::BasicallyAchieved => Some(2),
            Category::Lagging => Some(1),
            Category::SeverelyLagging | Category::NotAchieved => Some(0),
            Category::InsufficientData | Category::Qualitative => None,
        }
    }

    /// True for the categories of a final evaluation (已实现, 基本实现, 未实现).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Category::Achieved | Category::BasicallyAchieved | Category::NotAchieved
        )
    }
}

/// Configurable thresholds of the status engine.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Thresholds {
    /// P at or above this is 快于预期 (1.05).
    pub ahead: f64,
    /// P at or above this is 基本符合预期 (0.95); binding indicators below it are warned.
    pub on_track: f64,
    /// P at or above this is 滞后, below it 严重滞后 (0.60).
    pub lagging: f64,
    /// 左右 tolerance of a growth target in percentage points (0.5).
    pub growth_tolerance_pp: f64,
    /// 左右 tolerance of a level target, relative to the value (0.02).
    pub level_tolerance: f64,
    /// A binding bound with a relative margin below this is warned (0.05).
    pub bound_watch_margin: f64,
    /// Final evaluation: an expected (预期性) target missed with completion (or, for growth
    /// targets, P) at or above this share is 基本实现, below it 未实现 (0.90).
    pub final_basic: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            ahead: 1.05,
            on_track: 0.95,
            lagging: 0.60,
            growth_tolerance_pp: 0.5,
            level_tolerance: 0.02,
            bound_watch_margin: 0.05,
            final_basic: 0.90,
        }
    }
}

impl Thresholds {
    /// Category of a pace ratio P. A ratio within 1e-9 of a threshold counts as reaching
    /// it, so rounding noise (0.2/0.3333… = 0.59999…) does not decide a category.
    pub fn classify(&self, p: f64) -> Category {
        let p = p + 1e-9;
        if p >= self.ahead {
            Category::Ahead
        } else if p >= self.on_track {
            Category::OnTrack
        } else if p >= self.lagging {
            Category::Lagging
        } else {
            Category::SeverelyLagging
        }
    }

    /// Final category of a missed target from the share of it reached (completion, or P
    /// for a growth target). A binding target is met or not: never 基本实现.
    pub fn final_missed(&self, share: f64, binding: bool) -> Category {
        if !binding && share >= self.final_basic {
            Category::BasicallyAchieved
        } else {
            Category::NotAchieved
        }
    }

    /// Write the final-evaluation thresholds into a record.
    pub fn record_final(&self, record: &mut CalcRecord, binding: bool) {
        if binding {
            record.note("约束性指标总结评估只分已实现、未实现，不设基本实现");
        } else {
            record.threshold_share("基本实现：完成度（或进度比）≥", self.final_basic);
        }
    }

    /// P for a sentence: two decimals, more when two would round it across a threshold
    /// (0.5994 is `0.599`, not `0.60`, beside 严重滞后).
    pub fn shown_ratio(&self, p: f64) -> String {
        for d in 2..=4 {
            let s = format!("{p:.d$}");
            if s.parse::<f64>()
                .is_ok_and(|r| self.classify(r) == self.classify(p))
            {
                return s;
            }
        }
        format!("{p:.4}")
    }

    /// Write the pace-ratio thresholds into a record.
    pub fn record_pace(&self, record: &mut CalcRecord) {
        record.threshold_share("快于预期：进度比 ≥", self.ahead);
        record.threshold_share("基本符合预期：进度比 ≥", self.on_track);
        record.threshold_share("滞后：进度比 ≥", self.lagging);
        record.threshold_share("严重滞后：进度比 <", self.lagging);
    }
}

/// Settings of one evaluation run.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalContext {
    /// Evaluation year: data up to this year is used (capped at the target year).
    pub year: i32,
    /// Release-date cut-off (ISO date): later vintages are ignored, so old evaluations stay reproducible.
    pub as_of: Option<String>,
    /// Category thresholds.
    pub thresholds: Thresholds,
}

impl EvalContext {
    /// Evaluate with data up to `year`, every vintage, default thresholds.
    pub fn new(year: i32) -> Self {
        EvalContext {
            year,
            as_of: None,
            thresholds: Thresholds::default(),
        }
    }
}

/// One data point used by an evaluation.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct DataPoint {
    /// Year.
    pub year: i32,
    /// Value (a level, or an average growth rate in percent for growth targets).
    pub value: f64,
}

/// Unit of the pace needed in the remaining years.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PaceUnit {
    /// Percent per year (growth or reduction).
    PercentPerYear,
    /// Indicator units per year (linear paths and flows).
    AmountPerYear,
}

/// What must happen in each remaining year to hit the target.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Pace {
    /// The value (percent when `unit` is `PercentPerYear`).
    pub value: f64,
    /// Unit.
    pub unit: PaceUnit,
    /// Remaining years it applies to.
    pub years: i32,
}

impl Pace {
    /// The pace in words for a target measured in `unit` (`年均增长18.5%`,
    /// `每年提高0.26个百分点`); see [`crate::wording::pace_phrase`].
    pub fn phrase(&self, unit: &str, kind: crate::wording::PaceKind) -> String {
        crate::wording::pace_phrase(self, unit, kind)
    }
}

/// The numbers of an evaluation (design §3 columns). Fractions unless stated.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Figures {
    /// Latest usable data point.
    pub latest: Option<DataPoint>,
    /// Completion: share of the way from baseline to target (0.175 = 17.5%).
    pub completion: Option<f64>,
    /// Value required by now on the planned path, in the measure of the target.
    pub required: Option<f64>,
    /// Pace ratio P = achieved / required.
    pub pace_ratio: Option<f64>,
    /// Relative margin to a bound, positive when the bound holds.
    pub margin: Option<f64>,
    /// Projected end value at the current pace, in the measure of the target.
    pub projected: Option<f64>,
    /// Pace needed in the remaining years.
    pub pace_needed: Option<Pace>,
}

/// An early warning (预警).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Warning {
    /// zh-CN message.
    pub message: String,
}

/// The result of evaluating one target.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Evaluation {
    /// Indicator name.
    pub indicator: String,
    /// zh-CN name of the target type.
    pub target_type: String,
    /// 约束性.
    pub binding: bool,
    /// Plan category, for roll-ups.
    pub group: Option<String>,
    /// Progress category.
    pub category: Category,
    /// Early warning, if any.
    pub warning: Option<Warning>,
    /// The numbers.
    pub figures: Figures,
    /// How they were computed.
    pub record: CalcRecord,
    /// One zh-CN sentence explaining the result.
    pub explanation: String,
}

/// What a target-type calculator returns before warnings are added.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub category: Category,
    pub figures: Figures,
    pub record: CalcRecord,
    pub explanation: String,
}

impl Outcome {
    /// 数据不足 with a reason that is also the explanation.
    pub fn insufficient(mut record: CalcRecord, indicator: &str, reason: &str) -> Outcome {
        record.note(reason);
        Outcome {
            category: Category::InsufficientData,
            figures: Figures::default(),
            record,
            explanation: format!("{indicator}：{reason}，暂无法评估进度。"),
        }
    }
}

/// The early warning for a result: binding indicators are warned one band earlier
/// (at 滞后, or near their bound) than expected indicators (at 严重滞后).
pub fn warning_for(
    binding: bool,
    category: Category,
    figures: &Figures,
    th: &Thresholds,
) -> Option<Warning> {
    let near_bound = figures
        .margin
        .is_some_and(|m| (0.0..th.bound_watch_margin).contains(&m));
    let message = match category {
        Category::SeverelyLagging if binding => "约束性指标严重滞后，需重点预警",
        Category::SeverelyLagging => "严重滞后，需预警",
        Category::Lagging if binding => "约束性指标进度比低于基本符合预期下限，提前预警",
        Category::NotAchieved if binding => "约束性指标未实现规划目标",
        Category::OnTrack if binding && near_bound => "约束性指标接近控制值，提前预警",
        _ => return None,
    };
    Some(Warning {
        message: message.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_by_pace_ratio_at_the_edges() {
        let th = Thresholds::default();
        let cases = [
            (1.2, Category::Ahead),
            (1.05, Category::Ahead),
            (1.0499, Category::OnTrack),
            (0.95, Category::OnTrack),
            (0.9499, Category::Lagging),
            (0.60, Category::Lagging),
            (0.5999, Category::SeverelyLagging),
            // 0.2 over a third of a year's path: 0.5999999999999… in floating point.
            (
                (79.1 - 78.9) / ((78.9 + 1.0 / 3.0) - 78.9),
                Category::Lagging,
            ),
            (0.6 - 1e-12, Category::Lagging),
            (-0.3, Category::SeverelyLagging),
        ];
        for (p, want) in cases {
            assert_eq!(th.classify(p), want, "P = {p}");
        }
    }

    #[test]
    fn ratios_are_shown_on_the_right_side_of_a_threshold() {
        let th = Thresholds::default();
        assert_eq!(th.shown_ratio(0.5994), "0.599");
        assert_eq!(th.shown_ratio(0.9499), "0.9499");
        assert_eq!(th.shown_ratio(0.97), "0.97");
        assert_eq!(th.shown_ratio(1.2072), "1.21");
    }

    #[test]
    fn binding_indicators_are_warned_one_band_earlier() {
        let th = Thresholds::default();
        let f = Figures::default();
        assert!(warning_for(true, Category::Lagging, &f, &th).is_some());
        assert!(warning_for(false, Category::Lagging, &f, &th).is_none());
        assert!(warning_for(false, Category::SeverelyLagging, &f, &th).is_some());
        assert!(warning_for(true, Category::OnTrack, &f, &th).is_none());
        let near = Figures {
            margin: Some(0.02),
            ..Figures::default()
        };
        assert!(warning_for(true, Category::OnTrack, &near, &th).is_some());
        assert!(warning_for(false, Category::OnTrack, &near, &th).is_none());
    }

    #[test]
    fn labels_are_the_official_words() {
        let labels: Vec<&str> = Category::ALL.iter().map(|c| c.label()).collect();
        assert_eq!(
            labels,
            [
                "提前实现",
                "已实现",
                "基本实现",
                "快于预期",
                "基本符合预期",
                "滞后",
                "严重滞后",
                "未实现",
                "数据不足",
                "定性评估"
            ]
        );
    }
}
