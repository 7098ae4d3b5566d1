//! The target model: what a plan asks of one indicator, and which way is better.

use serde::{Deserialize, Serialize};

/// Which way an indicator should move.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher is better (收入, 覆盖率, 增加值).
    Higher,
    /// Lower is better (能耗, 失业率, 死亡率).
    Lower,
}

impl Direction {
    /// +1 for higher-is-better, −1 for lower-is-better.
    pub fn sign(self) -> f64 {
        match self {
            Direction::Higher => 1.0,
            Direction::Lower => -1.0,
        }
    }

    /// zh-CN label.
    pub fn label(self) -> &'static str {
        match self {
            Direction::Higher => "越高越好",
            Direction::Lower => "越低越好",
        }
    }
}

/// How the planned path from baseline to target is drawn for a level target.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// Straight line: shares, ratios, rates, years, per-capita counts.
    Linear,
    /// Constant growth: money, output, population.
    Geometric,
}

/// What a bound (ceiling, floor, range) constrains.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// The yearly level or share.
    Level,
    /// The yearly growth rate in percent (居民消费价格涨幅控制在3%以内).
    GrowthRate,
}

/// The kind of target and its numbers. Percentages are written as in the plan (8 means 8%).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TargetType {
    /// 达到X: a level in the target year.
    Level {
        /// Target value X.
        value: f64,
        /// Shape of the planned path.
        scale: Scale,
        /// Written with 左右 (about).
        approx: bool,
    },
    /// 年均增长g%: average annual real growth.
    GrowthRate {
        /// g in percent.
        rate: f64,
        /// Written with 左右 (about).
        approx: bool,
    },
    /// [降低X%]: a reduction accumulated over the period, in percent.
    CumulativeReduction {
        /// X in percent.
        percent: f64,
    },
    /// [新增N], 累计: a sum of yearly flows over the period.
    CumulativeFlow {
        /// N.
        total: f64,
    },
    /// 〔1〕 on a level (人均预期寿命提高1岁): the level is to change by `delta` over the
    /// period, so the target is x_b + delta, with x_b from the plan or the base-year figure.
    LevelChange {
        /// The change over the period, in the indicator's unit (negative for a cut).
        delta: f64,
    },
    /// 保持在合理区间、各年度视情提出: no five-year number; each year is judged against the
    /// annual target set for it (政府工作报告).
    PerYear {
        /// The target as written.
        text: String,
    },
    /// 控制在X以内: must stay at or below X every year.
    Ceiling {
        /// X.
        limit: f64,
        /// True for a strict bound (低于, <).
        strict: bool,
        /// What is bounded.
        measure: Measure,
    },
    /// X以上: must stay at or above X every year.
    Floor {
        /// X.
        limit: f64,
        /// True for a strict bound (超过, >).
        strict: bool,
        /// What is bounded.
        measure: Measure,
    },
    /// A range 3~5.
    Range {
        /// Lower end.
        low: f64,
        /// Upper end.
        high: f64,
        /// What is bounded.
        measure: Measure,
    },
    /// 与经济增长同步: a relation to another indicator.
    Relational {
        /// The relation as written.
        relation: String,
    },
    /// 完成省下达任务: judged on evidence, not numbers.
    Qualitative {
        /// The target as written.
        text: String,
    },
}

impl TargetType {
    /// zh-CN name of the target type.
    pub fn label(&self) -> &'static str {
        match self {
            TargetType::Level { .. } => "总量/水平目标",
            TargetType::GrowthRate { .. } => "年均增速目标",
            TargetType::CumulativeReduction { .. } => "累计降低目标",
            TargetType::CumulativeFlow { .. } => "累计新增目标",
            TargetType::LevelChange { .. } => "累计变动目标",
            TargetType::PerYear { .. } => "年度目标型",
            TargetType::Ceiling { .. } => "上限目标",
            TargetType::Floor { .. } => "下限目标",
            TargetType::Range { .. } => "区间目标",
            TargetType::Relational { .. } => "关联目标",
            TargetType::Qualitative { .. } => "定性目标",
        }
    }
}

/// One indicator's target for the plan period, ready for evaluation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Target {
    /// Indicator name as the plan writes it.
    pub indicator: String,
    /// Unit as written.
    pub unit: Option<String>,
    /// Kind of target and its numbers.
    pub target_type: TargetType,
    /// Which way is better (from the catalogue or the wording; overridable).
    pub direction: Direction,
    /// 约束性 (binding): warned one band earlier.
    pub binding: bool,
    /// Base year b (2020 for a 十四五 plan, 2025 for a 十五五 plan), from the document;
    /// 0 when the document states no period (see [`Target::has_period`]).
    pub base_year: i32,
    /// Target year T (2025, 2030), from the document; 0 when unknown.
    pub target_year: i32,
    /// Baseline x_b as the plan states it.
    pub baseline: Option<f64>,
    /// The target as written (`1130`, `≤5以内`, `[13.5]`).
    pub text: String,
    /// Source line in the plan.
    pub line: Option<usize>,
    /// Plan category (经济发展), used for roll-ups.
    pub group: Option<String>,
    /// For a sub-indicator (化学需氧量 under 主要污染物排放总量减少), the parent's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

impl Target {
    /// A target over the period `base_year` → `target_year` with no provenance; set the
    /// other fields directly. There is no default period: every plan states its own.
    pub fn new(
        indicator: &str,
        target_type: TargetType,
        direction: Direction,
        base_year: i32,
        target_year: i32,
    ) -> Self {
        Target {
            indicator: indicator.to_string(),
            unit: None,
            target_type,
            direction,
            binding: false,
            base_year,
            target_year,
            baseline: None,
            text: String::new(),
            line: None,
            group: None,
            parent: None,
        }
    }

    /// Set the baseline (builder style, for tests and synthetic data).
    pub fn with_baseline(mut self, baseline: f64) -> Self {
        self.baseline = Some(baseline);
        self
    }

    /// Mark the target binding (约束性).
    pub fn binding(mut self) -> Self {
        self.binding = true;
        self
    }

    /// True when the document gave a base year and a target year for this target.
    pub fn has_period(&self) -> bool {
        self.base_year > 0 && self.target_year > 0
    }
}

/// Words that mark an indicator whose lower values are better.
const LOWER_IS_BETTER: &[&str] = &[
    "能耗",
    "能源消耗",
    "失业率",
    "死亡率",
    "发病率",
    "排放",
    "浓度",
    "用水量",
    "用地",
    "事故",
    "贫困发生率",
    "负债率",
    "债务率",
    "不良贷款率",
    "犯罪率",
    "空置率",
    "差距",
    "耗",
];

/// Words that turn a lower-is-better quantity into a higher-is-better reduction (能耗降低).
const REDUCTION_WORDS: &[&str] = &["降低", "下降", "降幅", "减少", "削减", "减排"];

/// Infer which way is better from an indicator name and its target text.
///
/// A reduction (能耗降低) is higher-is-better even though energy use is lower-is-better;
/// a bound written 以内/以下/≤/控制在 means lower is better when the name says nothing.
pub fn infer_direction(name: &str, target_text: &str) -> Direction {
    if REDUCTION_WORDS.iter().any(|w| name.contains(w)) {
        return Direction::Higher;
    }
    if LOWER_IS_BETTER.iter().any(|w| name.contains(w)) {
        return Direction::Lower;
    }
    let ceiling_words = ["以内", "以下", "≤", "控制在", "不超过", "不高于"];
    if ceiling_words.iter().any(|w| target_text.contains(w)) {
        return Direction::Lower;
    }
    Direction::Higher
}

/// Choose the path shape for a level target from its unit and name:
/// percentages and rates are linear, money, output and population geometric.
pub fn infer_scale(name: &str, unit: Option<&str>) -> Scale {
    let unit = unit.unwrap_or("");
    if unit.contains(['%', '％'])
        || unit.contains('‰')
        || name.contains("率")
        || name.contains("比重")
    {
        return Scale::Linear;
    }
    let per_capita_count = name.starts_with("每") || name.contains("年限") || name.contains("寿命");
    if per_capita_count {
        return Scale::Linear;
    }
    let money_or_people = unit.contains('元') || unit.contains("万人") || unit.contains("人口");
    let totals = [
        "总值",
        "总额",
        "收入",
        "产值",
        "增加值",
        "投资",
        "人口",
        "总量",
        "规模",
    ];
    if money_or_people || totals.iter().any(|w| name.contains(w)) {
        Scale::Geometric
    } else {
        Scale::Linear
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_from_wording() {
        use Direction::*;
        let cases = [
            ("地区生产总值", "1130", Higher),
            ("城镇调查失业率", "≤5以内", Lower),
            ("亿元GDP生产安全事故死亡率", "0.001", Lower),
            ("单位GDP能源消耗降幅", "≥15", Higher),
            ("单位GDP能耗", "0.5", Lower),
            ("居民人均可支配收入", "60000", Higher),
            ("城镇建成区绿化覆盖率", "45", Higher),
            ("居民消费价格涨幅", "3%以内", Lower),
            ("化学需氧量排放量减少", "[10]", Higher),
            ("细颗粒物浓度", "35", Lower),
        ];
        for (name, text, want) in cases {
            assert_eq!(infer_direction(name, text), want, "{name} {text}");
        }
    }

    #[test]
    fn scale_from_unit_and_name() {
        use Scale::*;
        let cases = [
            ("地区生产总值", Some("亿元"), Geometric),
            ("第三产业增加值占GDP比重", Some("%"), Linear),
            ("居民人均可支配收入", Some("元"), Geometric),
            ("常住人口", Some("万人"), Geometric),
            ("劳动年龄人口平均受教育年限", Some("年"), Linear),
            ("每千人口拥有执业(助理)医师数", Some("人"), Linear),
            ("人均预期寿命", Some("岁"), Linear),
            ("常住人口城镇化率", None, Linear),
            ("社会消费品零售总额", None, Geometric),
            ("高新技术企业", Some("家"), Linear),
        ];
        for (name, unit, want) in cases {
            assert_eq!(infer_scale(name, unit), want, "{name}");
        }
    }
}
