use super::*;
use crate::eval::observation::{Observation, ObservationKind, SourceKind};
use crate::eval::status::{Category, EvalContext};
use crate::eval::target::{Direction, Measure, Scale, TargetType};
use crate::plan::{GrowthCell, ItemSource, Period};

fn cell(text: &str, year: i32) -> ValueCell {
    ValueCell::parse(text, Some(year))
}

fn ind(
    name: &str,
    unit: Option<&str>,
    base: &str,
    target: &str,
    growth: Option<&str>,
) -> Indicator {
    Indicator {
        page: None,
        parent: None,
        seq: None,
        line: 64,
        source: ItemSource::Table,
        category: Some("一、经济更加发展(8项)".into()),
        name: name.into(),
        unit: unit.map(str::to_string),
        attribute: Some(Attribute::Expected),
        baseline: (!base.is_empty()).then(|| cell(base, 2020)),
        target: Some(cell(target, 2025)),
        growth: growth.map(|g| {
            let p = parse_value(g);
            GrowthCell {
                column: None,
                comparator: None,
                text: g.into(),
                value: p.value,
                cumulative: p.cumulative,
            }
        }),
    }
}

/// The 十四五 years every row of these tests has.
fn years() -> Years {
    Years {
        base: Some(2020),
        target: Some(2025),
    }
}

fn built(name: &str, unit: Option<&str>, base: &str, target: &str, growth: Option<&str>) -> Target {
    target_from_indicator(&ind(name, unit, base, target, growth), years())
}

#[test]
fn seed_rows_get_the_right_target_type() {
    let gdp = built("地区生产总值", Some("亿元"), "735", "1130", None);
    assert_eq!(
        gdp.target_type,
        TargetType::Level {
            value: 1130.0,
            scale: Scale::Geometric,
            approx: false
        }
    );
    assert_eq!(
        (gdp.base_year, gdp.target_year, gdp.baseline),
        (2020, 2025, Some(735.0))
    );
    assert_eq!(gdp.group.as_deref(), Some("经济更加发展"));

    let share = built("第三产业增加值占GDP比重", Some("%"), "80", "85", None);
    assert_eq!(
        share.target_type,
        TargetType::Level {
            value: 85.0,
            scale: Scale::Linear,
            approx: false
        }
    );

    let unemployment = built("城镇调查失业率", Some("%"), "≤5以内", "≤5以内", None);
    assert_eq!(
        unemployment.target_type,
        TargetType::Ceiling {
            limit: 5.0,
            strict: false,
            measure: Measure::Level
        }
    );
    assert_eq!(unemployment.direction, Direction::Lower);

    let energy = built("单位GDP能源消耗降幅", Some("%"), "12", "≥15", None);
    assert_eq!(
        energy.target_type,
        TargetType::CumulativeReduction { percent: 15.0 }
    );
    assert_eq!(energy.direction, Direction::Higher);

    let air = built("空气质量优良天数比例", Some("%"), "96", "≥93", None);
    assert_eq!(
        air.target_type,
        TargetType::Floor {
            limit: 93.0,
            strict: false,
            measure: Measure::Level
        }
    );

    let accidents = built(
        "亿元GDP生产安全事故死亡率",
        Some("人"),
        "0.002",
        "0.001",
        None,
    );
    assert_eq!(accidents.direction, Direction::Lower);
}

#[test]
fn brackets_growth_columns_and_words() {
    let check = |name: &str, base: &str, target: &str, growth: Option<&str>, want: TargetType| {
        assert_eq!(
            built(name, None, base, target, growth).target_type,
            want,
            "{name} {target}"
        );
    };
    check(
        "单位地区生产总值能耗降低",
        "",
        "[13.5]",
        None,
        TargetType::CumulativeReduction { percent: 13.5 },
    );
    check(
        "新增城镇就业",
        "",
        "[5]",
        None,
        TargetType::CumulativeFlow { total: 5.0 },
    );
    check(
        "地区生产总值增长",
        "",
        "—",
        Some("8"),
        TargetType::GrowthRate {
            rate: 8.0,
            approx: false,
        },
    );
    check(
        "地区生产总值",
        "735",
        "—",
        Some("8左右"),
        TargetType::GrowthRate {
            rate: 8.0,
            approx: true,
        },
    );
    check(
        "单位GDP能耗",
        "",
        "—",
        Some("[13.5]"),
        TargetType::CumulativeReduction { percent: 13.5 },
    );
    check(
        "居民人均可支配收入增长",
        "",
        "10.4%(年均)",
        None,
        TargetType::GrowthRate {
            rate: 10.4,
            approx: false,
        },
    );
    check(
        "居民消费价格涨幅",
        "",
        "3左右",
        None,
        TargetType::GrowthRate {
            rate: 3.0,
            approx: true,
        },
    );
    check(
        "耕地保有量",
        "",
        "完成省下达任务",
        None,
        TargetType::Qualitative {
            text: "完成省下达任务".into(),
        },
    );
    check(
        "居民收入",
        "",
        "与经济增长同步",
        None,
        TargetType::Relational {
            relation: "与经济增长同步".into(),
        },
    );
    check(
        "某指标",
        "",
        "—",
        None,
        TargetType::Qualitative {
            text: "未给出目标值".into(),
        },
    );
    check(
        "上市企业",
        "1",
        "3~5家",
        None,
        TargetType::Range {
            low: 3.0,
            high: 5.0,
            measure: Measure::Level,
        },
    );
    check(
        "粮食产量",
        "",
        "50左右",
        None,
        TargetType::Level {
            value: 50.0,
            scale: Scale::Linear,
            approx: true,
        },
    );
}

#[test]
fn a_bound_still_to_be_reached_is_a_level_target() {
    // 普惠性幼儿园覆盖率 70 → ≥80: the floor is not yet held, so progress is measured toward 80.
    let t = built("普惠性幼儿园覆盖率", Some("%"), "70", "≥80", None);
    assert_eq!(
        t.target_type,
        TargetType::Level {
            value: 80.0,
            scale: Scale::Linear,
            approx: false
        }
    );
    // 能耗总量 120 → 控制在100以内 is a level target downward.
    let t = built("能源消费总量", Some("万吨标准煤"), "120", "≤100", None);
    assert_eq!(
        t.target_type,
        TargetType::Level {
            value: 100.0,
            scale: Scale::Geometric,
            approx: false
        }
    );
    assert_eq!(t.direction, Direction::Lower);
}

#[test]
fn binding_attribute_and_missing_years() {
    let mut i = ind("森林覆盖率", Some("%"), "40", "42", None);
    i.attribute = Some(Attribute::Binding);
    i.baseline.as_mut().unwrap().year = None;
    i.target.as_mut().unwrap().year = None;
    let plan = Plan {
        period: Some(Period {
            start: 2016,
            end: 2020,
        }),
        indicators: vec![i],
        ..Plan::default()
    };
    let t = &targets_from_plan(&plan)[0];
    assert!(t.binding);
    assert_eq!((t.base_year, t.target_year), (2015, 2020));
    // No years anywhere: none made up, and the evaluation says so.
    let mut bare = plan.clone();
    bare.period = None;
    let t = &targets_from_plan(&bare)[0];
    assert!(!t.has_period());
    let e = crate::eval::evaluate(t, &[], &crate::eval::EvalContext::new(2023));
    assert_eq!(e.category, crate::eval::Category::InsufficientData);
    assert!(e.explanation.contains("未写明"), "{}", e.explanation);
}

fn prose(
    indicator: &str,
    text: &str,
    value: f64,
    cmp: Option<Comparator>,
    kind: TargetKind,
) -> ProseTarget {
    ProseTarget {
        page: None,
        line: 49,
        text: text.into(),
        indicator: indicator.into(),
        value,
        unit: None,
        year: Some(2025),
        comparator: cmp,
        kind,
    }
}

#[test]
fn prose_targets() {
    use Comparator::*;
    let cases = [
        (
            prose(
                "GDP",
                "GDP年均增长8%左右",
                8.0,
                Some(Approx),
                TargetKind::GrowthRate,
            ),
            TargetType::GrowthRate {
                rate: 8.0,
                approx: true,
            },
        ),
        (
            prose(
                "普惠性幼儿园覆盖率",
                "普惠性幼儿园覆盖率达到80%以上",
                80.0,
                Some(Ge),
                TargetKind::Share,
            ),
            TargetType::Level {
                value: 80.0,
                scale: Scale::Linear,
                approx: false,
            },
        ),
        (
            prose(
                "耕地保有量",
                "耕地保有量不低于12万亩",
                12.0,
                Some(Ge),
                TargetKind::Level,
            ),
            TargetType::Floor {
                limit: 12.0,
                strict: false,
                measure: Measure::Level,
            },
        ),
        (
            prose(
                "城镇登记失业率",
                "城镇登记失业率控制在4.5%以内",
                4.5,
                Some(Le),
                TargetKind::Share,
            ),
            TargetType::Ceiling {
                limit: 4.5,
                strict: false,
                measure: Measure::Level,
            },
        ),
        (
            prose(
                "居民消费价格",
                "居民消费价格涨幅控制在3%以内",
                3.0,
                Some(Le),
                TargetKind::GrowthRate,
            ),
            TargetType::Ceiling {
                limit: 3.0,
                strict: false,
                measure: Measure::GrowthRate,
            },
        ),
        (
            prose(
                "新增城镇就业",
                "累计新增城镇就业5万人",
                5.0,
                None,
                TargetKind::Cumulative,
            ),
            TargetType::CumulativeFlow { total: 5.0 },
        ),
        (
            prose(
                "单位GDP能耗",
                "单位GDP能耗五年累计下降13.5%",
                13.5,
                None,
                TargetKind::Cumulative,
            ),
            TargetType::CumulativeReduction { percent: 13.5 },
        ),
        (
            prose(
                "地区生产总值",
                "到2025年,地区生产总值达到1130亿元",
                1130.0,
                None,
                TargetKind::Level,
            ),
            TargetType::Level {
                value: 1130.0,
                scale: Scale::Geometric,
                approx: false,
            },
        ),
    ];
    for (pt, want) in cases {
        let t = target_from_prose(&pt, Years::default());
        assert_eq!(t.target_type, want, "{}", pt.text);
        assert_eq!(t.line, Some(49));
    }
}

#[test]
fn work_named_by_its_verb_is_an_amount_done_over_the_period() {
    let count = |name: &str, text: &str, value: f64| {
        target_from_prose(
            &prose(name, text, value, None, TargetKind::Count),
            Years::default(),
        )
        .target_type
    };
    assert_eq!(
        count("新建水厂", "新建水厂2座", 2.0),
        TargetType::CumulativeFlow { total: 2.0 }
    );
    assert_eq!(
        count("改造老旧小区", "改造老旧小区120个", 120.0),
        TargetType::CumulativeFlow { total: 120.0 }
    );
    // A level reached, a thing's size and a rate are not work to do.
    assert!(!matches!(
        count("建成区面积", "县城建成区面积达到30平方公里", 30.0),
        TargetType::CumulativeFlow { .. }
    ));
    assert!(!matches!(
        count("全长", "全长18.6公里", 18.6),
        TargetType::CumulativeFlow { .. }
    ));
    // Evaluated as a sum of yearly amounts: 2 waterworks, 1 finished in 2022 and none in
    // 2023, judged in 2023: Σ = 1, completion 1/2 = 0.5, τ = 3/5 = 0.6, τN = 1.2,
    // P = 1/1.2 = 0.833 → 滞后 (0.6 ≤ P < 0.95).
    let t = Target {
        base_year: 2020,
        target_year: 2025,
        ..target_from_prose(
            &prose("新建水厂", "新建水厂2座", 2.0, None, TargetKind::Count),
            Years::default(),
        )
    };
    let obs = [(2021, 0.0), (2022, 1.0), (2023, 0.0)].map(|(year, value)| Observation {
        indicator: "新建水厂".into(),
        year,
        from_year: None,
        value,
        kind: ObservationKind::Level,
        unit: None,
        source: SourceKind::Other,
        vintage: String::new(),
        reference: None,
    });
    let e = crate::eval::evaluate(&t, &obs, &EvalContext::new(2023));
    assert_eq!(e.category, Category::Lagging, "{}", e.explanation);
    assert!((e.figures.completion.unwrap() - 0.5).abs() < 1e-9);
    assert!((e.figures.pace_ratio.unwrap() - 1.0 / 1.2).abs() < 1e-9);
}

#[test]
fn plan_targets_skip_prose_that_repeats_the_table() {
    let mut plan = Plan {
        doc_type: DocType::PlanOutline,
        period: Some(Period {
            start: 2021,
            end: 2025,
        }),
        ..Plan::default()
    };
    plan.indicators
        .push(ind("地区生产总值", Some("亿元"), "735", "1130", None));
    plan.targets.push(prose(
        "地区生产总值",
        "地区生产总值达到1130亿元",
        1130.0,
        None,
        TargetKind::Level,
    ));
    plan.targets.push(prose(
        "普惠性幼儿园覆盖率",
        "普惠性幼儿园覆盖率达到80%以上",
        80.0,
        Some(Comparator::Ge),
        TargetKind::Share,
    ));
    let targets = targets_from_plan(&plan);
    let names: Vec<&str> = targets.iter().map(|t| t.indicator.as_str()).collect();
    assert_eq!(names, ["地区生产总值", "普惠性幼儿园覆盖率"]);
    // A work report's 2021 targets are annual targets, not five-year ones.
    let mut report = plan.clone();
    report.doc_type = DocType::WorkReport;
    report.indicators.clear();
    report.targets[1].year = Some(2021);
    let names: Vec<String> = targets_from_plan(&report)
        .into_iter()
        .map(|t| t.indicator)
        .collect();
    assert_eq!(names, ["地区生产总值"]);
}

#[test]
fn group_names_lose_numbering_and_counts() {
    for (raw, want) in [
        ("一、经济更加发展(8项)", "经济更加发展"),
        ("绿色生态", "绿色生态"),
        ("三、民生更加殷实(7项)", "民生更加殷实"),
        ("十、其他", "其他"),
    ] {
        assert_eq!(clean_group(raw), want);
    }
}
