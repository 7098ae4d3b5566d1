//! Hand-written documents shaped like each failure the parser showed on real documents
//! it had not seen (a county plan as plain text, a national work report copied from a
//! web page, a county's place facts). The layout matrix (`table_layouts.rs`) checks
//! tables in many layouts; these check a whole document end to end, written by hand.
//! The county and its figures are fictional.

use planwatch_core::plan::{Attribute, HeadingKind, Plan};

fn parse(text: &str) -> Plan {
    planwatch_parse::parse_bytes(text.as_bytes(), "shape.txt").expect("parses")
}

/// A county plan: two headings on one line opening the review, review achievements
/// next to place facts, and the main-indicator table in a 专栏 laid out one cell per
/// line, with "2025年" / "目标值" split over two lines, a wrapped name, a category
/// written only on the first row of its group, and an indicator with sub-rows.
const COUNTY_PLAN: &str = "\
松岭县国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要

第一篇 新形势、新目标与新理念第一章 过去五年的发展基础

“十三五”时期，全县地区生产总值年均增长7.2%，城镇新增就业人员累计2.71万人，超额完成规划目标。县域面积1856平方公里，辖11个乡镇，第七次全国人口普查常住人口38.2万人。

第二章 “十四五”时期经济社会发展主要目标

到2025年，全县一般公共预算收入达到16亿元，常住人口城镇化率提高到56%。

专栏1 松岭县“十四五”经济社会发展主要指标
类别
序号
指标名称
2020年
2025年
目标值
属性
经济发展
1
地区生产总值（亿元）
286
400
预期性
2
产业投资
占固定资产投资比重（%）
55.3
60
预期性
绿色生态
3
森林覆盖率（%）
61.8
62.5
约束性
4
主要污染物排放总量降幅（%）
化学需氧量
—
〔9〕
约束性
氨氮
—
〔8.5〕

第二篇 坚持创新驱动发展

第三章 提升企业创新能力

到2025年，规模以上工业企业研发机构覆盖率达到50%。
";

#[test]
fn county_plan_in_plain_text() {
    let plan = parse(COUNTY_PLAN);

    // Both headings of the merged line are found, in order.
    let titles: Vec<&str> = plan.outline.iter().map(|h| h.title.as_str()).collect();
    let pian = titles
        .iter()
        .position(|t| t.contains("新形势"))
        .expect("第一篇");
    let zhang = titles
        .iter()
        .position(|t| t.contains("发展基础"))
        .expect("第一章");
    assert!(pian < zhang, "{titles:?}");

    // The review chapter yields no targets, and place facts are not targets either.
    for t in &plan.targets {
        for past in ["2.71", "7.2", "1856", "38.2", "11"] {
            assert_ne!(
                t.value.to_string(),
                past,
                "review or place fact read as a target: {t:?}"
            );
        }
    }
    // The forward chapter's targets are found, only B of 提高到B.
    let values: Vec<f64> = plan.targets.iter().map(|t| t.value).collect();
    assert!(values.contains(&16.0), "{values:?}");
    assert!(values.contains(&56.0), "{values:?}");
    assert!(values.contains(&50.0), "{values:?}");

    // The table: five rows, each with its category, the wrapped name joined, the
    // sub-rows under their parent, the split header read as the target column.
    let by_name = |n: &str| {
        plan.indicators
            .iter()
            .find(|i| i.name.contains(n))
            .unwrap_or_else(|| panic!("{n} missing from {:?}", names(&plan)))
    };
    assert_eq!(plan.indicators.len(), 5, "{:?}", names(&plan));
    let gdp = by_name("地区生产总值");
    assert_eq!(gdp.category.as_deref(), Some("经济发展"));
    assert_eq!(gdp.target.as_ref().and_then(|v| v.value), Some(400.0));
    assert_eq!(gdp.baseline.as_ref().and_then(|v| v.value), Some(286.0));
    let invest = by_name("产业投资占固定资产投资比重");
    assert_eq!(invest.category.as_deref(), Some("经济发展"));
    assert_eq!(invest.target.as_ref().and_then(|v| v.value), Some(60.0));
    let forest = by_name("森林覆盖率");
    assert_eq!(forest.category.as_deref(), Some("绿色生态"));
    assert_eq!(forest.attribute, Some(Attribute::Binding));
    let cod = by_name("化学需氧量");
    assert!(
        cod.parent
            .as_deref()
            .is_some_and(|p| p.contains("主要污染物")),
        "{cod:?}"
    );
    let nh3 = by_name("氨氮");
    assert!(
        nh3.parent
            .as_deref()
            .is_some_and(|p| p.contains("主要污染物")),
        "{nh3:?}"
    );
    assert_eq!(
        nh3.attribute,
        Some(Attribute::Binding),
        "sub-row shares 属性"
    );
    let nh3_target = nh3.target.as_ref().expect("target");
    assert_eq!(nh3_target.value, Some(8.5));
    assert!(nh3_target.cumulative, "〔8.5〕 is a five-year cumulative");

    // Table cells are not also prose targets.
    assert!(
        !plan
            .targets
            .iter()
            .any(|t| t.value == 400.0 || t.value == 62.5),
        "table cells read as prose targets: {:?}",
        plan.targets
    );
}

fn names(plan: &Plan) -> Vec<&str> {
    plan.indicators.iter().map(|i| i.name.as_str()).collect()
}

/// A national work report copied from a web page: page furniture, a title split over
/// two lines, a zero-width-space line cutting a word, 万亿 units, and "一是" leads.
const WORK_REPORT: &str = "\
首页 > 政务公开
下载
打印
【字号：加大 还原 减小】
政府工作报
告
——2026年3月5日在第十四届全国人民代表大会第四次会议上
国务院总理

各位代表：

现在，我代表国务院，向大会报告政府工作，请予审议。

一、2025年工作回顾

过去一年，国内生产总值增长5%，粮食产量1.4万亿斤，全员劳动生
\u{200B}
产率增长4.8%。

二、2026年经济社会发展总体要求和政策取向

今年发展主要预期目标是：国内生产总值增长4.5%到5%；城镇新增就业1200万人以上；粮食产量1.4万亿斤左右。

三、2026年政府工作任务

一是着力扩大国内需求。
拟发行超长期特别国债1.3万亿元，继续支持“两重”建设和“两新”工作，更大力度提振消费、扩大有效投资。
二是加快建设现代化产业体系。
推动科技创新和产业创新深度融合，培育壮大新兴产业和未来产业，加快传统产业转型升级。
来源：新华社
分享
";

#[test]
fn work_report_copied_from_a_web_page() {
    let plan = parse(WORK_REPORT);
    assert_eq!(plan.region.as_deref(), Some("中华人民共和国"), "region");
    assert_eq!(
        plan.title.as_deref(),
        Some("政府工作报告"),
        "title over two lines"
    );

    // Furniture lines never become headings.
    for h in &plan.outline {
        for junk in ["下载", "打印", "字号", "来源", "分享", "首页"] {
            assert!(!h.title.contains(junk), "furniture became a heading: {h:?}");
        }
    }
    // "一是…" lines are run-in leads under the third part.
    let leads: Vec<&str> = plan
        .outline
        .iter()
        .filter(|h| h.kind == HeadingKind::Lead)
        .map(|h| h.title.as_str())
        .collect();
    assert_eq!(
        leads,
        ["一是着力扩大国内需求", "二是加快建设现代化产业体系"],
        "{:?}",
        plan.outline
    );

    // The review speaks of the past: no targets from it, and the cut word is whole.
    assert!(
        !plan
            .targets
            .iter()
            .any(|t| t.indicator.contains("劳动生产率") || t.value == 4.8)
    );
    // 万亿 units kept with their unit, in the forward part only.
    let grain = plan
        .targets
        .iter()
        .find(|t| t.indicator.contains("粮食"))
        .unwrap_or_else(|| panic!("粮食产量 target missing: {:?}", plan.targets));
    assert_eq!(grain.value, 1.4);
    assert_eq!(grain.unit.as_deref(), Some("万亿斤"));
    assert_eq!(grain.year, Some(2026));
    let bonds = plan
        .targets
        .iter()
        .find(|t| t.unit.as_deref() == Some("万亿元"));
    assert_eq!(bonds.map(|t| t.value), Some(1.3), "{:?}", plan.targets);
    let jobs = plan.targets.iter().find(|t| t.indicator.contains("就业"));
    assert_eq!(jobs.map(|t| t.value), Some(1200.0), "{:?}", plan.targets);
}
