use super::*;
use crate::eval::observation::ObservationKind;
use crate::plan::{GrowthCell, ItemSource, Period, ReportedFigure, Source, ValueCell};
use crate::quantity::parse_value;

fn cell(text: &str, year: i32) -> ValueCell {
    ValueCell::parse(text, Some(year))
}

fn ind(
    line: usize,
    name: &str,
    unit: &str,
    base: &str,
    target: &str,
    growth: Option<&str>,
) -> Indicator {
    Indicator {
        page: None,
        parent: None,
        seq: None,
        line,
        source: ItemSource::Table,
        category: None,
        name: name.into(),
        unit: Some(unit.into()),
        attribute: None,
        baseline: Some(cell(base, 2020)),
        target: Some(cell(target, 2025)),
        growth: growth.map(|g| GrowthCell {
            column: None,
            comparator: None,
            text: g.into(),
            value: parse_value(g).value,
            cumulative: false,
        }),
    }
}

fn prose(
    line: usize,
    indicator: &str,
    value: f64,
    unit: &str,
    kind: TargetKind,
    year: Option<i32>,
) -> ProseTarget {
    ProseTarget {
        page: None,
        line,
        text: format!("{indicator}…{value}{unit}"),
        indicator: indicator.into(),
        value,
        unit: Some(unit.into()),
        year,
        comparator: None,
        kind,
    }
}

fn plan(path: &str, doc_type: DocType) -> Plan {
    Plan {
        source: Source {
            path: path.into(),
            ..Source::default()
        },
        region: Some("岳阳楼区".into()),
        doc_type,
        period: Some(Period {
            start: 2021,
            end: 2025,
        }),
        ..Plan::default()
    }
}

fn kinds(findings: &[Finding]) -> Vec<FindingKind> {
    findings.iter().map(|f| f.kind).collect()
}

#[test]
fn implied_growth_versus_stated_growth() {
    // (1130/735)^(1/5) − 1 = 1.537415^0.2 − 1 = 0.08983 → 9.0%; stated 8% differs by 1.0 pp.
    let mut p = plan("000.txt", DocType::PlanOutline);
    p.indicators
        .push(ind(64, "地区生产总值", "亿元", "735", "1130", Some("8")));
    let f = check_plans(&[p.clone()], &CheckSettings::default());
    assert_eq!(kinds(&f), [FindingKind::ImpliedGrowth]);
    assert!(
        f[0].message.contains("9.0%") && f[0].message.contains("8%"),
        "{}",
        f[0].message
    );
    assert_eq!((f[0].first.line, f[0].second.line), (64, 64));
    // A stated 9% agrees within 0.5 pp; a prose 8% elsewhere in the document does not,
    // and it also contradicts the table's growth column.
    p.indicators[0].growth = Some(GrowthCell {
        column: None,
        comparator: None,
        text: "9".into(),
        value: Some(9.0),
        cumulative: false,
    });
    p.targets.push(prose(
        49,
        "地区生产总值",
        8.0,
        "%",
        TargetKind::GrowthRate,
        None,
    ));
    let f = check_plans(&[p], &CheckSettings::default());
    assert_eq!(
        kinds(&f),
        [FindingKind::ImpliedGrowth, FindingKind::TableVsProse]
    );
    assert_eq!(f[0].second.line, 49);
}

#[test]
fn table_versus_prose_of_one_document() {
    let mut p = plan("000.txt", DocType::PlanOutline);
    p.indicators
        .push(ind(70, "社会消费品零售总额", "亿元", "50", "80", None));
    p.targets.push(prose(
        120,
        "社会消费品零售总额",
        75.0,
        "亿元",
        TargetKind::Level,
        Some(2025),
    ));
    p.targets.push(prose(
        121,
        "社会消费品零售总额",
        80.0,
        "亿元",
        TargetKind::Level,
        Some(2025),
    ));
    let f = check_plans(&[p], &CheckSettings::default());
    assert_eq!(kinds(&f), [FindingKind::TableVsProse]);
    assert_eq!((f[0].first.line, f[0].second.line), (70, 120));
    assert!(
        f[0].message.contains("80亿元") && f[0].message.contains("75亿元"),
        "{}",
        f[0].message
    );
}

#[test]
fn plan_versus_work_report() {
    let mut p = plan("000.txt", DocType::PlanOutline);
    p.indicators
        .push(ind(64, "地区生产总值(亿元)", "亿元", "735", "1130", None));
    // The prose repeats the table's 1130: one conflict with the report, not two.
    p.targets.push(prose(
        49,
        "地区生产总值",
        1130.0,
        "亿元",
        TargetKind::Level,
        Some(2025),
    ));
    p.targets.push(prose(
        50,
        "固定资产投资",
        10.4,
        "%",
        TargetKind::GrowthRate,
        None,
    ));
    let mut r = plan("001.txt", DocType::WorkReport);
    // A work report's growth target for its own year is an annual target (the evaluation's
    // annual check), not a conflict with the plan's five-year average.
    r.targets.push(prose(
        19,
        "固定资产投资",
        9.0,
        "%",
        TargetKind::GrowthRate,
        Some(2023),
    ));
    r.targets.push(prose(
        27,
        "全区GDP",
        1000.0,
        "亿",
        TargetKind::Level,
        Some(2025),
    ));
    r.targets.push(prose(
        27,
        "公共财政预算收入",
        40.0,
        "亿元",
        TargetKind::Level,
        Some(2025),
    ));
    let f = check_plans(&[p.clone(), r.clone()], &CheckSettings::default());
    assert_eq!(kinds(&f), [FindingKind::PlanVsReport], "{f:#?}");
    assert_eq!(
        (f[0].first.document.as_str(), f[0].second.document.as_str()),
        ("000.txt", "001.txt")
    );
    assert_eq!(f[0].first.line, 64, "the table row is cited first");
    assert!(
        f[0].message.contains("规划纲要为1130") && f[0].message.contains("政府工作报告为1000"),
        "{}",
        f[0].message
    );
    // Another region's report is not compared.
    r.region = Some("雁峰区".into());
    assert!(check_plans(&[p, r], &CheckSettings::default()).is_empty());
}

#[test]
fn targets_on_the_wrong_side_of_the_baseline() {
    let mut p = plan("000.txt", DocType::PlanOutline);
    p.indicators
        .push(ind(80, "税收占财政收入比重", "%", "87", "85", None));
    p.indicators
        .push(ind(141, "空气质量优良天数比例", "%", "96", "≥93", None));
    p.indicators
        .push(ind(104, "城镇调查失业率", "%", "4.5", "5.5", None));
    p.indicators
        .push(ind(72, "第三产业增加值占GDP比重", "%", "80", "85", None));
    let f = check_plans(&[p], &CheckSettings::default());
    let got: Vec<(usize, Severity)> = f.iter().map(|f| (f.first.line, f.severity)).collect();
    assert_eq!(
        got,
        [
            (80, Severity::Warning),
            (141, Severity::Info),
            (104, Severity::Warning)
        ]
    );
    assert!(f[2].message.contains("越低越好"), "{}", f[2].message);
}

#[test]
fn baselines_versus_published_figures() {
    // 2020 税收占比: plan 87, work report 92.
    let mut p = plan("000.txt", DocType::PlanOutline);
    p.indicators
        .push(ind(80, "税收占财政收入比重", "%", "87", "90%", None));
    p.indicators
        .push(ind(64, "地区生产总值", "亿元", "735", "1130", None));
    let mut tax = Observation::new("税收占财政收入比重", 2020, 92.0, ObservationKind::Share);
    tax.reference = Some("https://example.gov.cn/report".into());
    let obs = [
        tax,
        Observation::new("地区生产总值", 2020, 735.0, ObservationKind::Level),
        Observation::new("地区生产总值增长", 2020, 6.5, ObservationKind::GrowthRate),
    ];
    let f = check_baselines(&p, &obs, &CheckSettings::default());
    assert_eq!(kinds(&f), [FindingKind::BaselineVsObservation]);
    assert!(
        f[0].message.contains("87") && f[0].message.contains("92"),
        "{}",
        f[0].message
    );
    assert_eq!(f[0].second.document, "https://example.gov.cn/report");
}

#[test]
fn baselines_versus_figures_a_report_gives() {
    let mut p = plan("000.txt", DocType::PlanOutline);
    p.indicators
        .push(ind(80, "税收占财政收入比重", "%", "87", "90%", None));
    p.indicators
        .push(ind(64, "地区生产总值(亿元)", "亿元", "735", "1130", None));
    let figure = |line, indicator: &str, value, unit: &str, year| ReportedFigure {
        page: None,
        line,
        text: format!("{indicator}达{value}{unit}"),
        indicator: indicator.into(),
        value,
        unit: unit.into(),
        year,
    };
    let mut r = plan("001.txt", DocType::WorkReport);
    r.figures = vec![
        figure(6, "税收占一般公共预算收入比重", 92.0, "%", 2020),
        // Agrees with the baseline (within 0.5%), or is for another year: no finding.
        figure(6, "地区生产总值", 735.0, "亿元", 2020),
        figure(6, "地区生产总值", 528.0, "亿元", 2015),
    ];
    let f = check_plans(&[p.clone(), r.clone()], &CheckSettings::default());
    assert_eq!(kinds(&f), [FindingKind::BaselineVsReport], "{f:#?}");
    assert_eq!(
        f[0].message,
        "税收占一般公共预算收入比重2020年基期值：规划纲要为87%，政府工作报告为92%"
    );
    assert_eq!((f[0].first.line, f[0].second.line), (80, 6));
    // The plan's own review is compared too, and named as such.
    p.figures = vec![figure(11, "地区生产总值", 700.0, "亿元", 2020)];
    let f = check_plans(&[p], &CheckSettings::default());
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(
        f[0].message.contains("规划正文回顾为700亿元"),
        "{}",
        f[0].message
    );
}
