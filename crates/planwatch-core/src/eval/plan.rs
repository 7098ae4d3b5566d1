//! A whole plan evaluated in one call: every target against its observations, the
//! roll-ups official reports quote and the annual-target checks. The CLI's `evaluate`
//! and `status`, the web dashboard and the reports all start here.

use serde::Serialize;

use crate::catalogue::{Catalogue, NameMeasure, normalize};
use crate::plan::{Period, Plan};

use super::observation::{Window, select};
use super::period::plan_period;
use super::record::{CalcRecord, num};
use super::relation::{self, Relation};
use super::rollup::RollUp;
use super::status::{DataPoint, Figures, Outcome, warning_for};
use super::{
    AnnualCheck, AnnualTarget, Category, EvalContext, Evaluation, Observation, ObservationKind,
    Target, TargetType, check_annual_target, evaluate, finish, roll_up, roll_up_by,
    targets_from_plan, yearly,
};

/// A plan's evaluation for one year.
#[derive(Debug, Clone, Serialize)]
pub struct PlanEvaluation {
    /// Region of the plan.
    pub region: Option<String>,
    /// The plan period as the document states it (2026–2030 for a 十五五 plan).
    pub period: Option<Period>,
    /// Evaluation year (0 when the document states no period and there is no data).
    pub year: i32,
    /// True when the evaluation year is at or after the plan's target year: a final
    /// evaluation (总结评估), whose categories are 已实现 / 基本实现 / 未实现 for every
    /// indicator with target-year data.
    pub final_evaluation: bool,
    /// Targets in plan order: the indicator table's rows first, then prose targets.
    pub targets: Vec<Target>,
    /// One evaluation per target, same order.
    pub evaluations: Vec<Evaluation>,
    /// How many of `targets` come from the indicator table (主要指标).
    pub main_count: usize,
    /// Counts for the main indicators (all targets when the plan has no table);
    /// sub-indicators count through their parent.
    pub overall: RollUp,
    /// Counts per plan category of the main indicators.
    pub groups: Vec<RollUp>,
    /// Annual targets checked against the five-year targets, one per indicator and year.
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
/// `year` defaults to the latest year in the observations, then the plan's target year;
/// the period comes from the document (no default year).
/// `as_of` (YYYY-MM-DD) hides figures released later, so an old evaluation can be redone.
pub fn evaluate_plan(
    plan: &Plan,
    obs: &[Observation],
    annual: &[AnnualTarget],
    year: Option<i32>,
    as_of: Option<String>,
) -> PlanEvaluation {
    let period = plan_period(plan);
    let mut notes = Vec::new();
    let year = year
        .or_else(|| obs.iter().map(|o| o.year).max())
        .or(period.map(|p| p.end))
        .unwrap_or_else(|| {
            notes.push("文件未写明规划期，也没有观测数据，无法确定评估年份".to_string());
            0
        });
    let ctx = EvalContext {
        as_of: as_of.clone(),
        ..EvalContext::new(year)
    };
    let targets = targets_from_plan(plan);
    let mut evaluations: Vec<Evaluation> = targets
        .iter()
        .map(|t| evaluate_one(t, obs, annual, &ctx))
        .collect();
    roll_into_parents(&targets, &mut evaluations, &ctx);
    let main_count = plan.indicators.len().min(targets.len());
    let counted = if main_count == 0 {
        evaluations.len()
    } else {
        main_count
    };
    // Sub-indicators count through their parent.
    let top: Vec<Evaluation> = targets
        .iter()
        .zip(&evaluations)
        .take(counted)
        .filter(|(t, _)| t.parent.is_none())
        .map(|(_, e)| e.clone())
        .collect();
    let overall = roll_up("主要指标", &top.iter().collect::<Vec<_>>());
    let groups = roll_up_by(&top, |e| e.group.clone());
    let annual = annual_checks(&targets, annual, obs, year, as_of.as_deref());
    if targets.is_empty() {
        notes.push("规划中没有识别到指标或量化目标".to_string());
    }
    PlanEvaluation {
        region: plan.region.clone(),
        period,
        year,
        final_evaluation: period.is_some_and(|p| year >= p.end),
        targets,
        evaluations,
        main_count,
        overall,
        groups,
        annual,
        notes,
    }
}

/// Evaluate one target. A relation (高于GDP增长, 与经济增长同步) is judged against the
/// region's actual growth of the indicator it names; a target set year by year against
/// the annual targets of its indicator.
fn evaluate_one(
    t: &Target,
    obs: &[Observation],
    annual: &[AnnualTarget],
    ctx: &EvalContext,
) -> Evaluation {
    let own = observations_for(t, obs);
    let window = || Window {
        base_year: t.base_year,
        last_year: ctx.year.min(t.target_year),
        as_of: ctx.as_of.clone(),
    };
    let ready = t.has_period() && ctx.year > t.base_year && t.target_year > t.base_year;
    match &t.target_type {
        TargetType::Relational { relation } if ready => {
            match relation::parse(relation).and_then(|r| relational(t, &r, &own, obs, ctx)) {
                Some(out) => finish(t, out, ctx),
                None => evaluate(t, &own, ctx),
            }
        }
        TargetType::PerYear { .. } if ready => {
            let key = key_of(&t.indicator);
            let mine: Vec<&AnnualTarget> = annual
                .iter()
                .filter(|a| key_of(&a.indicator) == key)
                .collect();
            let out = yearly::evaluate(t, &mine, &own, &window(), &ctx.thresholds);
            finish(t, out, ctx)
        }
        _ => evaluate(t, &own, ctx),
    }
}

/// Average growth of the indicator and of the reference over the years both have after
/// the base year: (∏(1 + r_i))^(1/n) − 1. None when the reference has no growth rates
/// (the relation then stays qualitative).
fn relational(
    t: &Target,
    rel: &Relation,
    own: &[Observation],
    obs: &[Observation],
    ctx: &EvalContext,
) -> Option<Outcome> {
    let window = Window {
        base_year: t.base_year,
        last_year: ctx.year.min(t.target_year),
        as_of: ctx.as_of.clone(),
    };
    let reference: Vec<Observation> = obs
        .iter()
        .filter(|o| key_of(&o.indicator) == rel.reference)
        .cloned()
        .collect();
    let refs = select(&reference, &[ObservationKind::GrowthRate], &window).after(t.base_year);
    if refs.is_empty() {
        return None;
    }
    let mut rec = CalcRecord::new("关联目标（与参照指标同期年均增速比较）");
    let mine = select(own, &[ObservationKind::GrowthRate], &window).after(t.base_year);
    let common: Vec<(i32, f64, f64)> = mine
        .iter()
        .filter_map(|(y, v)| {
            refs.iter()
                .find(|(ry, _)| ry == y)
                .map(|(_, r)| (*y, *v, *r))
        })
        .collect();
    let (Some(first), Some(last)) = (common.first(), common.last()) else {
        return Some(Outcome::insufficient(
            rec,
            &t.indicator,
            &format!("没有与{}增长率同年份的本指标增长率数据", rel.reference),
        ));
    };
    let n = common.len() as f64;
    for (y, v, r) in &common {
        rec.input(
            &format!("{y}年增速 本指标/{}", rel.reference),
            format!("{}% / {}%", num(*v), num(*r)),
        );
    }
    let index = |f: fn(&(i32, f64, f64)) -> f64| -> f64 {
        common.iter().map(|c| 1.0 + f(c) / 100.0).product::<f64>()
    };
    let own_index = index(|c| c.1);
    let ref_index = index(|c| c.2);
    let own_avg = rec.step(
        "本指标年均增速（%）",
        format!("∏(1+r_i)^(1/{n}) − 1 = {}^(1/{n}) − 1", num(own_index)),
        (own_index.max(0.0).powf(1.0 / n) - 1.0) * 100.0,
    );
    let ref_avg = rec.step(
        "参照指标年均增速（%）",
        format!("∏(1+r_i)^(1/{n}) − 1 = {}^(1/{n}) − 1", num(ref_index)),
        (ref_index.max(0.0).powf(1.0 / n) - 1.0) * 100.0,
    );
    let years = if first.0 == last.0 {
        last.0.to_string()
    } else {
        format!("{}—{}", first.0, last.0)
    };
    let relation_text = match &t.target_type {
        TargetType::Relational { relation } => relation.clone(),
        _ => String::new(),
    };
    rec.note(format!(
        "关联目标“{relation_text}”：以同期（{years}年）{}实际年均增速{}%为基准",
        rel.reference,
        num(ref_avg)
    ));
    let final_year = last.0 >= t.target_year;
    let category = relation::judge(
        rel.op,
        own_avg,
        ref_avg,
        final_year,
        t.binding,
        &ctx.thresholds,
        &mut rec,
    );
    let figures = Figures {
        latest: Some(DataPoint {
            year: last.0,
            value: own_avg,
        }),
        pace_ratio: (ref_avg > 0.0).then(|| own_avg / ref_avg),
        required: Some(ref_avg),
        ..Figures::default()
    };
    let explanation = format!(
        "{}{years}年平均增长{own_avg:.1}%，同期{}年均增长{ref_avg:.1}%，目标“{relation_text}”，属于{}。",
        t.indicator,
        rel.reference,
        category.label()
    );
    Some(Outcome {
        category,
        figures,
        record: rec,
        explanation,
    })
}

/// A parent row without numbers of its own (主要污染物排放总量减少, with 化学需氧量 and
/// 氨氮 below it) takes the worst category of its sub-indicators: a composite target is
/// met only when every part is. A parent with its own numbers keeps its own result.
fn roll_into_parents(targets: &[Target], evaluations: &mut [Evaluation], ctx: &EvalContext) {
    // Children by their parent's normalized name, found in one pass (linear in the plan).
    let mut by_parent: std::collections::HashMap<String, Vec<usize>> = Default::default();
    for (j, t) in targets.iter().enumerate() {
        if let Some(p) = &t.parent {
            by_parent.entry(normalize(p)).or_default().push(j);
        }
    }
    if by_parent.is_empty() {
        return;
    }
    for i in 0..targets.len() {
        let Some(children) = by_parent.get(&normalize(&targets[i].indicator)) else {
            continue;
        };
        let children: Vec<usize> = children.iter().copied().filter(|&j| j != i).collect();
        if children.is_empty() || evaluations[i].category.rank().is_some() {
            continue;
        }
        let worst = children
            .iter()
            .filter_map(|&j| evaluations[j].category.rank().map(|r| (r, j)))
            .min_by_key(|(r, j)| (*r, *j))
            .map(|(_, j)| j);
        let mut rec = CalcRecord::new("分指标汇总（取最差一项）");
        let parts: Vec<String> = children
            .iter()
            .map(|&j| {
                let c = evaluations[j].category.label();
                rec.input(&targets[j].indicator, c);
                format!("{}{c}", targets[j].indicator)
            })
            .collect();
        let category = worst.map_or(Category::InsufficientData, |j| evaluations[j].category);
        rec.note("复合目标须各分指标均达到要求，按最差一项计");
        let explanation = format!(
            "{}由{}项分指标构成（{}），按最差一项计，属于{}。",
            targets[i].indicator,
            children.len(),
            parts.join("，"),
            category.label()
        );
        let figures = worst
            .map(|j| evaluations[j].figures.clone())
            .unwrap_or_default();
        let e = &mut evaluations[i];
        e.warning = warning_for(targets[i].binding, category, &figures, &ctx.thresholds);
        e.category = category;
        e.figures = figures;
        e.record = rec;
        e.explanation = explanation;
    }
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

/// One check per indicator and year: the same annual target often arrives twice (the
/// work report's clause and a data file's row). A comparable one is preferred; a second
/// source with a different value is noted in the record.
fn annual_checks(
    targets: &[Target],
    annual: &[AnnualTarget],
    obs: &[Observation],
    year: i32,
    as_of: Option<&str>,
) -> Vec<AnnualCheck> {
    let mut out: Vec<(usize, AnnualCheck)> = Vec::new();
    // Keys once per target, not once per annual target and target.
    let keys: Vec<Option<String>> = targets
        .iter()
        .map(|t| t.parent.is_none().then(|| key_of(&t.indicator)))
        .collect();
    for a in annual.iter().filter(|a| a.year <= year + 1) {
        let key = key_of(&a.indicator);
        let Some(i) = keys.iter().position(|k| k.as_deref() == Some(key.as_str())) else {
            continue;
        };
        // A target set year by year is evaluated from these very annual targets.
        if matches!(targets[i].target_type, TargetType::PerYear { .. }) {
            continue;
        }
        let t = &targets[i];
        let check = check_annual_target(t, a, &observations_for(t, obs), as_of);
        match out.iter_mut().find(|(j, c)| *j == i && c.year == a.year) {
            Some((_, kept)) => {
                let better = kept.needed.is_none() && check.needed.is_some();
                let other = if better {
                    kept.annual_value
                } else {
                    check.annual_value
                };
                let mut chosen = if better { check } else { kept.clone() };
                if (other - chosen.annual_value).abs() > 1e-9 {
                    chosen.record.note(format!(
                        "另一来源的{}年度目标为{}，与所用数值不同",
                        chosen.year,
                        num(other)
                    ));
                }
                *kept = chosen;
            }
            None => out.push((i, check)),
        }
    }
    out.sort_by_key(|(i, c)| (c.year, *i));
    out.into_iter().map(|(_, c)| c).collect()
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
            unit: Some("%".into()),
            text: None,
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
            "3项主要指标中，基本符合预期1项，严重滞后1项，数据不足1项；需预警1项。"
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
        // No period, no data: no year is made up.
        assert_eq!(empty.year, 0);
        assert_eq!(
            empty.notes,
            [
                "文件未写明规划期，也没有观测数据，无法确定评估年份",
                "规划中没有识别到指标或量化目标"
            ]
        );
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
            "居民人均可支配收入增长2021—2023年平均增长7.0%，同期地区生产总值年均增长5.7%，目标“与经济增长同步”，属于快于预期。"
        );
        assert!(e.record.notes.iter().any(|n| n.contains("2021—2023")));

        // Without GDP growth rates the relation stays qualitative.
        let r = evaluate_plan(&plan, &obs[3..], &[], Some(2023), None);
        assert_eq!(r.evaluations[0].category, Category::Qualitative);
    }
}
