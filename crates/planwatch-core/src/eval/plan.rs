//! A whole plan evaluated in one call: every target against its observations, the
//! roll-ups official reports quote and the annual-target checks. The CLI's `evaluate`
//! and `status`, the web dashboard and the reports all start here.

use serde::Serialize;

use crate::catalogue::{Catalogue, NameMeasure, normalize};
use crate::plan::Plan;

use super::observation::{Window, select};
use super::record::num;
use super::rollup::RollUp;
use super::{
    AnnualCheck, AnnualTarget, EvalContext, Evaluation, Observation, ObservationKind, Target,
    TargetType, check_annual_target, evaluate, roll_up, roll_up_by, targets_from_plan,
};

/// A plan's evaluation for one year.
#[derive(Debug, Clone, Serialize)]
pub struct PlanEvaluation {
    /// Region of the plan.
    pub region: Option<String>,
    /// Evaluation year.
    pub year: i32,
    /// Targets in plan order: the indicator table's rows first, then prose targets.
    pub targets: Vec<Target>,
    /// One evaluation per target, same order.
    pub evaluations: Vec<Evaluation>,
    /// How many of `targets` come from the indicator table (主要指标).
    pub main_count: usize,
    /// Counts for the main indicators (all targets when the plan has no table).
    pub overall: RollUp,
    /// Counts per plan category of the main indicators.
    pub groups: Vec<RollUp>,
    /// Annual targets checked against the five-year targets.
    pub annual: Vec<AnnualCheck>,
    /// Remarks about the data (zh-CN).
    pub notes: Vec<String>,
}

impl PlanEvaluation {
    /// Targets with their evaluations that the roll-ups count (主要指标).
    pub fn main(&self) -> impl Iterator<Item = (&Target, &Evaluation)> {
        self.targets
            .iter()
            .zip(&self.evaluations)
            .take(self.counted())
    }

    /// Prose targets beyond the indicator table, with their evaluations.
    pub fn prose(&self) -> impl Iterator<Item = (&Target, &Evaluation)> {
        self.targets
            .iter()
            .zip(&self.evaluations)
            .skip(self.counted())
    }

    fn counted(&self) -> usize {
        if self.main_count == 0 {
            self.targets.len()
        } else {
            self.main_count
        }
    }
}

/// Evaluate every target of a plan. Pure: the caller loads the plan and the data.
///
/// `year` defaults to the latest year in the observations, then the plan's end year.
/// `as_of` (YYYY-MM-DD) hides figures released later, so an old evaluation can be redone.
pub fn evaluate_plan(
    plan: &Plan,
    obs: &[Observation],
    annual: &[AnnualTarget],
    year: Option<i32>,
    as_of: Option<String>,
) -> PlanEvaluation {
    let year = year
        .or_else(|| obs.iter().map(|o| o.year).max())
        .or(plan.period.map(|p| p.end))
        .unwrap_or(2025);
    let ctx = EvalContext {
        as_of: as_of.clone(),
        ..EvalContext::new(year)
    };
    let targets = targets_from_plan(plan);
    let evaluations: Vec<Evaluation> = targets.iter().map(|t| evaluate_one(t, obs, &ctx)).collect();
    let main_count = plan.indicators.len().min(targets.len());
    let counted = if main_count == 0 {
        evaluations.len()
    } else {
        main_count
    };
    let main: Vec<&Evaluation> = evaluations.iter().take(counted).collect();
    let overall = roll_up("主要指标", &main);
    let groups = roll_up_by(&evaluations[..counted], |e| e.group.clone());
    let annual = annual_checks(&targets, annual, obs, year, as_of.as_deref());
    let mut notes = Vec::new();
    if targets.is_empty() {
        notes.push("规划中没有识别到指标或量化目标".to_string());
    }
    PlanEvaluation {
        region: plan.region.clone(),
        year,
        targets,
        evaluations,
        main_count,
        overall,
        groups,
        annual,
        notes,
    }
}

/// Evaluate one target; a relation to economic growth (与经济增长同步) is measured as a
/// growth target at the rate GDP actually grew, when GDP growth rates are known.
fn evaluate_one(t: &Target, obs: &[Observation], ctx: &EvalContext) -> Evaluation {
    let own = observations_for(t, obs);
    let TargetType::Relational { relation } = &t.target_type else {
        return evaluate(t, &own, ctx);
    };
    let Some((rate, years)) = economic_growth(t, relation, obs, ctx) else {
        return evaluate(t, &own, ctx);
    };
    let as_growth = Target {
        target_type: TargetType::GrowthRate { rate, approx: true },
        ..t.clone()
    };
    let mut e = evaluate(&as_growth, &own, ctx);
    e.target_type = t.target_type.label().to_string();
    e.record.note(format!(
        "关联目标“{relation}”:以同期({years}年)地区生产总值实际年均增长{}%为基准,按“左右”容差判断是否同步",
        num(rate)
    ));
    if let Some(own) = e.figures.latest {
        e.explanation = format!(
            "{}{years}年平均增长{:.1}%,同期地区生产总值年均增长{rate:.1}%,目标“{relation}”,属于{}。",
            t.indicator,
            own.value,
            e.category.label()
        );
    }
    e
}

/// GDP's average real growth in the years after the base year up to the evaluation
/// year, from annual growth rates: (∏(1 + r_i))^(1/n) − 1, in percent, with the years.
fn economic_growth(
    t: &Target,
    relation: &str,
    obs: &[Observation],
    ctx: &EvalContext,
) -> Option<(f64, String)> {
    if !(relation.contains("经济增长") || relation.contains("GDP")) {
        return None;
    }
    let window = Window {
        base_year: t.base_year,
        last_year: ctx.year.min(t.target_year),
        as_of: ctx.as_of.clone(),
    };
    let gdp: Vec<Observation> = obs
        .iter()
        .filter(|o| key_of(&o.indicator) == "地区生产总值")
        .cloned()
        .collect();
    let points = select(&gdp, &[ObservationKind::GrowthRate], &window).after(t.base_year);
    if points.is_empty() {
        return None;
    }
    let product: f64 = points.iter().map(|(_, r)| 1.0 + r / 100.0).product();
    if product <= 0.0 {
        return None;
    }
    let cagr = 100.0 * (product.powf(1.0 / points.len() as f64) - 1.0);
    let years = match (points.first(), points.last()) {
        (Some(a), Some(b)) if a.0 != b.0 => format!("{}—{}", a.0, b.0),
        (Some(a), _) => a.0.to_string(),
        _ => String::new(),
    };
    Some((cagr, years))
}

/// The key an observation or target name is grouped under: the catalogue's canonical
/// name, else the normalized name without a growth suffix.
fn key_of(name: &str) -> String {
    match Catalogue::builtin().find(name) {
        Some(m) => m.entry.name.clone(),
        None => {
            let n = normalize(name);
            ["增长率", "增长", "增速"]
                .iter()
                .find_map(|s| n.strip_suffix(s))
                .map_or(n.clone(), str::to_string)
        }
    }
}

/// Observations of a target's indicator. A growth wording (地区生产总值增长) only supplies growth rates.
pub fn observations_for(target: &Target, obs: &[Observation]) -> Vec<Observation> {
    let key = key_of(&target.indicator);
    let cat = Catalogue::builtin();
    obs.iter()
        .filter(|o| key_of(&o.indicator) == key)
        .filter(|o| {
            let growth_name = cat
                .find(&o.indicator)
                .is_some_and(|m| m.measure == NameMeasure::Growth);
            !growth_name || !o.kind.is_level()
        })
        .cloned()
        .collect()
}

fn annual_checks(
    targets: &[Target],
    annual: &[AnnualTarget],
    obs: &[Observation],
    year: i32,
    as_of: Option<&str>,
) -> Vec<AnnualCheck> {
    let mut out = Vec::new();
    for a in annual.iter().filter(|a| a.year <= year + 1) {
        let key = key_of(&a.indicator);
        if let Some(t) = targets.iter().find(|t| key_of(&t.indicator) == key) {
            out.push(check_annual_target(t, a, &observations_for(t, obs), as_of));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Category, ObservationKind};
    use crate::plan::{Attribute, DocType, Indicator, ItemSource, Period, ValueCell};

    fn cell(text: &str, year: i32) -> ValueCell {
        ValueCell::parse(text, Some(year))
    }

    fn ind(name: &str, unit: &str, base: &str, target: &str, binding: bool) -> Indicator {
        Indicator {
            page: None,
            parent: None,
            seq: None,
            line: 64,
            source: ItemSource::Table,
            category: Some("一、经济更加发展(8项)".into()),
            name: name.into(),
            unit: Some(unit.into()),
            attribute: Some(if binding {
                Attribute::Binding
            } else {
                Attribute::Expected
            }),
            baseline: Some(cell(base, 2020)),
            target: Some(cell(target, 2025)),
            growth: None,
        }
    }

    /// The 岳阳楼区 table rows and real 2022–2023 figures.
    fn yueyanglou() -> (Plan, Vec<Observation>, Vec<AnnualTarget>) {
        let plan = Plan {
            region: Some("岳阳楼区".into()),
            doc_type: DocType::PlanOutline,
            period: Some(Period {
                start: 2021,
                end: 2025,
            }),
            indicators: vec![
                ind("地区生产总值", "亿元", "735", "1130", false),
                ind("第三产业增加值占GDP比重", "%", "80", "85", false),
                ind("城镇调查失业率", "%", "≤5以内", "≤5以内", true),
            ],
            ..Plan::default()
        };
        let o = |name: &str, year, value, kind| Observation::new(name, year, value, kind);
        let obs = vec![
            o("地区生产总值", 2022, 777.54, ObservationKind::Level),
            o("地区生产总值", 2023, 804.28, ObservationKind::Level),
            o("地区生产总值增长", 2023, 6.1, ObservationKind::GrowthRate),
            o(
                "第三产业增加值占GDP比重",
                2022,
                77.4,
                ObservationKind::Share,
            ),
            o(
                "第三产业增加值占GDP比重",
                2023,
                83.0,
                ObservationKind::Share,
            ),
        ];
        let annual = vec![AnnualTarget {
            indicator: "地区生产总值增长".into(),
            year: 2021,
            value: 8.0,
            growth: true,
            comparator: None,
            reference: None,
        }];
        (plan, obs, annual)
    }

    #[test]
    fn yueyanglou_2023() {
        let (plan, obs, annual) = yueyanglou();
        let r = evaluate_plan(&plan, &obs, &annual, Some(2023), None);
        let cats: Vec<Category> = r.evaluations.iter().map(|e| e.category).collect();
        // GDP: P = 0.32 → 严重滞后; share: P = (83 − 80)/(83 − 80) = 1 → 基本符合预期; no unemployment data.
        assert_eq!(
            cats,
            [
                Category::SeverelyLagging,
                Category::OnTrack,
                Category::InsufficientData
            ]
        );
        assert_eq!(
            r.overall.sentence(),
            "3项主要指标中,基本符合预期1项,严重滞后1项,数据不足1项;需预警1项。"
        );
        assert_eq!(r.annual.len(), 1);
        assert!(
            r.annual[0].too_low,
            "8% < 9.0% needed: {}",
            r.annual[0].message
        );
    }

    #[test]
    fn growth_wording_never_feeds_a_level_target() {
        let (plan, _, _) = yueyanglou();
        let obs = vec![Observation::new(
            "地区生产总值增长",
            2023,
            6.1,
            ObservationKind::GrowthRate,
        )];
        let r = evaluate_plan(&plan, &obs, &[], Some(2023), None);
        assert_eq!(r.evaluations[0].category, Category::InsufficientData);
        assert!(
            r.evaluations[0].explanation.contains("只有增长率数据"),
            "{}",
            r.evaluations[0].explanation
        );
    }

    #[test]
    fn default_year_is_the_latest_in_the_data_and_json_serializes() {
        let (plan, obs, _) = yueyanglou();
        let r = evaluate_plan(&plan, &obs, &[], None, None);
        assert_eq!(r.year, 2023);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["evaluations"][1]["category"], "on_track");
        assert!(
            json["evaluations"][0]["record"]["steps"]
                .as_array()
                .is_some_and(|s| !s.is_empty())
        );
        let empty = evaluate_plan(&Plan::default(), &[], &[], None, None);
        assert_eq!(empty.year, 2025);
        assert_eq!(empty.notes, ["规划中没有识别到指标或量化目标"]);
    }

    /// 居民收入增长与经济增长同步. GDP grew 8.0% (2021), 3.0% (2022), 6.1% (2023):
    /// (1.08·1.03·1.061)^(1/3) − 1 = (1.180268)^(1/3) − 1 = 5.68%. Income grew 8.5%, 6.2%, 6.4%:
    /// (1.085·1.062·1.064)^(1/3) − 1 = (1.226023)^(1/3) − 1 = 7.03%. P = 7.03/5.68 = 1.24, and
    /// 7.03 is above 5.68 by more than the 左右 tolerance, so 快于预期.
    #[test]
    fn relation_to_economic_growth_is_measured_against_gdp() {
        let mut income = ind("居民人均可支配收入增长", "%", "—", "与经济增长同步", false);
        income.target = Some(ValueCell {
            year: Some(2025),
            text: "与经济增长同步".into(),
            value: None,
            comparator: None,
            cumulative: false,
        });
        let plan = Plan {
            indicators: vec![income],
            ..Plan::default()
        };
        let g = |name: &str, year, v| Observation::new(name, year, v, ObservationKind::GrowthRate);
        let obs = vec![
            g("地区生产总值增长", 2021, 8.0),
            g("地区生产总值增长", 2022, 3.0),
            g("地区生产总值增长", 2023, 6.1),
            g("居民人均可支配收入增长", 2021, 8.5),
            g("居民人均可支配收入增长", 2022, 6.2),
            g("居民人均可支配收入增长", 2023, 6.4),
        ];
        let r = evaluate_plan(&plan, &obs, &[], Some(2023), None);
        let e = &r.evaluations[0];
        assert_eq!(e.target_type, "关联目标");
        assert_eq!(e.category, Category::Ahead, "{}", e.explanation);
        let p = e.figures.pace_ratio.unwrap();
        assert!((p - 7.03 / 5.68).abs() < 0.01, "P = {p}");
        assert_eq!(
            e.explanation,
            "居民人均可支配收入增长2021—2023年平均增长7.0%,同期地区生产总值年均增长5.7%,目标“与经济增长同步”,属于快于预期。"
        );
        assert!(e.record.notes.iter().any(|n| n.contains("2021—2023")));

        // Without GDP growth rates the relation stays qualitative.
        let r = evaluate_plan(&plan, &obs[3..], &[], Some(2023), None);
        assert_eq!(r.evaluations[0].category, Category::Qualitative);
    }
}
