//! Golden tests of the table semantics real plans use: cumulative brackets in a 年均/累计
//! column, yearly ceilings, growth floors, relations, targets set year by year, bounds
//! without a baseline and sub-indicators. Indicators are built the way the parser hands
//! them over (column roles on the growth cell), numbers worked out by hand.

use super::*;
use crate::plan::{Attribute, ColumnRole, GrowthCell, Indicator, ItemSource, Period, Plan};
use crate::quantity::parse_value;

/// A row of a `类别 | 指标 | 2020年 | 2025年 | 年均/累计 | 属性` table.
fn row(name: &str, unit: &str, base: &str, target: &str, annual: &str) -> Indicator {
    let cell = |text: &str, year| {
        (!text.is_empty()).then(|| crate::plan::ValueCell::parse(text, Some(year)))
    };
    let p = parse_value(annual);
    Indicator {
        line: 5,
        source: ItemSource::Table,
        category: Some("民生福祉".into()),
        name: name.into(),
        unit: (!unit.is_empty()).then(|| unit.to_string()),
        attribute: Some(Attribute::Expected),
        baseline: cell(base, 2020),
        target: cell(target, 2025),
        growth: (!annual.is_empty()).then(|| GrowthCell {
            text: annual.into(),
            value: p.value,
            cumulative: p.cumulative,
            comparator: p.comparator,
            column: Some(ColumnRole::AnnualOrCumulative),
        }),
        seq: None,
        parent: None,
        page: None,
    }
}

fn years() -> period::Years {
    period::Years {
        base: Some(2020),
        target: Some(2025),
    }
}

fn typed(ind: &Indicator) -> TargetType {
    target_from_indicator(ind, years()).target_type
}

#[test]
fn annual_or_cumulative_column_cells() {
    // 〔13.5〕 on a reduction: a compound five-year cut.
    assert_eq!(
        typed(&row("单位GDP能源消耗降低", "%", "—", "—", "〔13.5〕")),
        TargetType::CumulativeReduction { percent: 13.5 }
    );
    // 〔1〕 on 人均预期寿命: the level is to rise by one year.
    assert_eq!(
        typed(&row("人均预期寿命", "岁", "77.3*", "—", "〔1〕")),
        TargetType::LevelChange { delta: 1.0 }
    );
    // <5.5 on a level: a ceiling on each year's level, not a growth rate.
    assert_eq!(
        typed(&row("城镇调查失业率", "%", "5.2", "—", "<5.5")),
        TargetType::Ceiling {
            limit: 5.5,
            strict: true,
            measure: Measure::Level
        }
    );
    // >7 on a growth: an average growth of at least 7%.
    assert_eq!(
        typed(&row(
            "全社会研发经费投入增长",
            "%",
            "—",
            "—",
            ">7、力争投入强度高于“十三五”时期实际"
        )),
        TargetType::GrowthRate {
            rate: 7.0,
            approx: false
        }
    );
    // A relation and a target set year by year.
    assert_eq!(
        typed(&row("全员劳动生产率增长", "%", "2.5", "—", "高于GDP增长")),
        TargetType::Relational {
            relation: "高于GDP增长".into()
        }
    );
    assert_eq!(
        typed(&row(
            "国内生产总值增长",
            "%",
            "2.3",
            "—",
            "保持在合理区间、各年度视情提出"
        )),
        TargetType::PerYear {
            text: "保持在合理区间、各年度视情提出".into()
        }
    );
    // A comparator the parser did not set is read from the text.
    let mut unset = row("城镇调查失业率", "%", "5.2", "—", "<5.5");
    unset.growth.as_mut().unwrap().comparator = None;
    assert!(matches!(typed(&unset), TargetType::Ceiling { .. }));
    // 〔 〕 in a 累计 column is cumulative even without brackets in the cell.
    let mut plain = row("城镇新增就业人数", "万人", "", "—", "5500");
    let g = plain.growth.as_mut().unwrap();
    g.column = Some(ColumnRole::Cumulative);
    g.cumulative = false;
    assert_eq!(typed(&plain), TargetType::CumulativeFlow { total: 5500.0 });
}

#[test]
fn brackets_in_other_columns() {
    // In the target column: a flow.
    assert_eq!(
        typed(&row("城镇新增就业人数", "万人", "0.32", "[1.5]", "")),
        TargetType::CumulativeFlow { total: 1.5 }
    );
    // In the baseline column: the last plan's result, not a baseline level.
    let t = target_from_indicator(
        &row("单位地区生产总值能源消耗降低", "%", "[16.2]", "—", "[13.5]"),
        years(),
    );
    assert_eq!(t.baseline, None);
    assert_eq!(
        t.target_type,
        TargetType::CumulativeReduction { percent: 13.5 }
    );
    assert_eq!(t.text, "[13.5]");
}

fn level_obs(name: &str, points: &[(i32, f64)]) -> Vec<Observation> {
    points
        .iter()
        .map(|(y, v)| Observation::new(name, *y, *v, ObservationKind::Level))
        .collect()
}

/// 人均预期寿命 77.3 (2019, the starred column) 〔1〕: X = 77.3 + 1 = 78.3.
/// 2021: 78.2. τ = (2021 − 2019)/(2025 − 2019) = 1/3; req = 77.3 + 1/3 = 77.633;
/// P = (78.2 − 77.3)/(77.633 − 77.3) = 0.9/0.3333 = 2.7 → 快于预期.
#[test]
fn level_change_from_the_baseline() {
    let t = Target {
        baseline: Some(77.3),
        ..Target::new(
            "人均预期寿命",
            TargetType::LevelChange { delta: 1.0 },
            Direction::Higher,
            2019,
            2025,
        )
    };
    let e = evaluate(
        &t,
        &level_obs("人均预期寿命", &[(2021, 78.2)]),
        &EvalContext::new(2022),
    );
    assert_eq!(e.category, Category::Ahead);
    assert!((e.figures.required.unwrap() - 77.6333).abs() < 1e-4);
    assert!((e.figures.pace_ratio.unwrap() - 2.7).abs() < 1e-9);
    assert!(
        e.record
            .notes
            .iter()
            .any(|n| n.contains("目标值 = 基期值77.3 + 1 = 78.3")),
        "{:?}",
        e.record.notes
    );
    // No baseline in the plan: the base-year figure stands in; none at all: 数据不足.
    let bare = Target {
        baseline: None,
        ..t.clone()
    };
    let e = evaluate(
        &bare,
        &level_obs("人均预期寿命", &[(2019, 77.3), (2021, 78.2)]),
        &EvalContext::new(2022),
    );
    assert_eq!(e.category, Category::Ahead);
    let e = evaluate(
        &bare,
        &level_obs("人均预期寿命", &[(2021, 78.2)]),
        &EvalContext::new(2022),
    );
    assert_eq!(e.category, Category::InsufficientData);
}

fn floor(name: &str, limit: f64) -> Target {
    Target::new(
        name,
        TargetType::Floor {
            limit,
            strict: true,
            measure: Measure::Level,
        },
        Direction::Higher,
        2020,
        2025,
    )
}

/// `>46` (亿吨标准煤) in the 2025 column, no baseline: 2020 produced 40.8, so it is a level
/// to reach; 2022's 46.6 exceeds 46 → 提前实现 (2021's 43.3 below it is no breach).
/// `>6.5` (亿吨 of grain): 2020 already 6.69, so it is a floor to hold: 6.83, 6.87 → 基本符合预期.
#[test]
fn a_bound_without_baseline_is_held_or_reached_as_the_base_year_says() {
    let energy = level_obs(
        "能源综合生产能力",
        &[(2020, 40.8), (2021, 43.3), (2022, 46.6)],
    );
    let e = evaluate(
        &floor("能源综合生产能力", 46.0),
        &energy,
        &EvalContext::new(2022),
    );
    assert_eq!(e.category, Category::AchievedEarly, "{}", e.explanation);
    assert!(e.record.notes.iter().any(|n| n.contains("未守住下限46")));
    let grain = level_obs(
        "粮食综合生产能力",
        &[(2020, 6.69), (2021, 6.83), (2022, 6.87)],
    );
    let e = evaluate(
        &floor("粮食综合生产能力", 6.5),
        &grain,
        &EvalContext::new(2022),
    );
    assert_eq!(e.category, Category::OnTrack, "{}", e.explanation);
    // Without a base-year figure, a bound is a bound.
    let e = evaluate(
        &floor("能源综合生产能力", 46.0),
        &energy[1..],
        &EvalContext::new(2022),
    );
    assert_eq!(e.category, Category::Lagging, "{}", e.explanation);
}

fn growth_obs(name: &str, points: &[(i32, f64)]) -> Vec<Observation> {
    points
        .iter()
        .map(|(y, v)| Observation::new(name, *y, *v, ObservationKind::GrowthRate))
        .collect()
}

fn plan_of(indicators: Vec<Indicator>) -> Plan {
    Plan {
        period: Some(Period {
            start: 2021,
            end: 2025,
        }),
        indicators,
        ..Plan::default()
    }
}

/// 全员劳动生产率增长 高于GDP增长. Productivity grew 8.7% and 4.2%:
/// (1.087·1.042)^(1/2) − 1 = 6.43%. GDP grew 8.4% and 3.0%: (1.084·1.03)^(1/2) − 1 = 5.67%.
/// 6.43 > 5.67 → the relation holds → 基本符合预期 (a relation is kept or not; it is not a
/// pace to beat). At 5.0% a year the gap is 0.67 points ≤ 1.5 → 滞后.
#[test]
fn a_relation_is_judged_against_the_reference_growth() {
    let plan = plan_of(vec![row(
        "全员劳动生产率增长",
        "%",
        "2.5",
        "—",
        "高于GDP增长",
    )]);
    let gdp = growth_obs("国内生产总值增长", &[(2021, 8.4), (2022, 3.0)]);
    let mut obs = gdp.clone();
    obs.extend(growth_obs(
        "全员劳动生产率增长",
        &[(2021, 8.7), (2022, 4.2)],
    ));
    let r = evaluate_plan(&plan, &obs, &[], Some(2022), None);
    let e = &r.evaluations[0];
    assert_eq!(e.category, Category::OnTrack, "{}", e.explanation);
    assert_eq!(
        e.explanation,
        "全员劳动生产率增长2021—2022年平均增长6.4%，同期地区生产总值年均增长5.7%，目标“高于GDP增长”，属于基本符合预期。"
    );
    let mut slow = gdp;
    slow.extend(growth_obs(
        "全员劳动生产率增长",
        &[(2021, 5.0), (2022, 5.0)],
    ));
    let r = evaluate_plan(&plan, &slow, &[], Some(2022), None);
    assert_eq!(r.evaluations[0].category, Category::Lagging);
}

/// 主要污染物排放总量减少 with two sub-indicators, each 〔8〕 over 2021–2025, at 2022:
/// R = 1 − 0.92^0.4 = 3.280%. 化学需氧量 cut 2.0% twice: A = 1 − 0.98² = 3.96%,
/// P = 3.96/3.280 = 1.207 → 快于预期. 氨氮 cut 1.0% twice: A = 1.99%, P = 0.607 → 滞后.
/// The parent takes the worst: 滞后; the roll-up counts the parent once.
#[test]
fn sub_indicators_are_evaluated_and_rolled_into_the_parent() {
    let mut parent = row("主要污染物排放总量减少", "%", "", "", "");
    parent.attribute = Some(Attribute::Binding);
    let child = |name: &str| Indicator {
        parent: Some("主要污染物排放总量减少".into()),
        attribute: Some(Attribute::Binding),
        ..row(name, "%", "", "", "〔8〕")
    };
    // The parser names a sub-row with its parent's name in front; data uses the own name.
    let plan = plan_of(vec![
        parent,
        child("主要污染物排放总量减少：化学需氧量"),
        child("氨氮"),
    ]);
    let reduction = |name: &str, v: f64| {
        [2021, 2022]
            .into_iter()
            .map(|y| Observation::new(name, y, v, ObservationKind::Reduction))
            .collect::<Vec<_>>()
    };
    let mut obs = reduction("化学需氧量", 2.0);
    obs.extend(reduction("氨氮", 1.0));
    let r = evaluate_plan(&plan, &obs, &[], Some(2022), None);
    assert_eq!(r.targets[1].indicator, "化学需氧量");
    let cats: Vec<Category> = r.evaluations.iter().map(|e| e.category).collect();
    assert_eq!(
        cats,
        [Category::Lagging, Category::Ahead, Category::Lagging],
        "{:?}",
        r.evaluations
            .iter()
            .map(|e| &e.explanation)
            .collect::<Vec<_>>()
    );
    let p = r.evaluations[1].figures.pace_ratio.unwrap();
    assert!((p - 1.2072).abs() < 1e-3, "P = {p}");
    assert_eq!(
        r.evaluations[0].explanation,
        "主要污染物排放总量减少由2项分指标构成（化学需氧量快于预期，氨氮滞后），按最差一项计，属于滞后。"
    );
    assert!(r.evaluations[0].warning.is_some(), "binding and lagging");
    assert_eq!(r.overall.total, 1);
    assert_eq!(r.overall.sentence(), "1项主要指标中，滞后1项；需预警1项。");
}

/// The per-year GDP target through the whole plan: annual targets from the data rows.
#[test]
fn a_per_year_target_uses_the_annual_targets_of_its_indicator() {
    let plan = plan_of(vec![row(
        "国内生产总值增长",
        "%",
        "2.3",
        "—",
        "保持在合理区间、各年度视情提出",
    )]);
    let obs = growth_obs("国内生产总值增长", &[(2021, 8.4), (2022, 3.0)]);
    let annual = |year, value, comparator| AnnualTarget {
        indicator: "国内生产总值增长".into(),
        year,
        value,
        growth: true,
        comparator: Some(comparator),
        reference: None,
        unit: Some("%".into()),
        text: None,
    };
    use crate::quantity::Comparator::{Approx, Ge};
    let targets = [annual(2021, 6.0, Ge), annual(2022, 5.5, Approx)];
    let r = evaluate_plan(&plan, &obs, &targets, Some(2022), None);
    assert_eq!(r.evaluations[0].category, Category::OnTrack);
    assert_eq!(r.evaluations[0].target_type, "年度目标型");
    // The same annual targets are not listed again as annual-target checks.
    assert!(r.annual.is_empty());
    // Without annual targets: 定性评估.
    let r = evaluate_plan(&plan, &obs, &[], Some(2022), None);
    assert_eq!(r.evaluations[0].category, Category::Qualitative);
}
