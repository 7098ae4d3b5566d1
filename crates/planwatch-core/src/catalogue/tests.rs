use super::*;

/// The canonical name a wording matches, or None.
fn canon(name: &str) -> Option<String> {
    Catalogue::builtin()
        .find(name)
        .map(|m| m.entry.name.clone())
}

fn check(name: &str, want: Option<&str>) {
    assert_eq!(canon(name).as_deref(), want, "{name}");
}

#[test]
fn embedded_catalogue_reads_cleanly() {
    let cat = Catalogue::from_tsv(include_str!("indicators.tsv")).expect("indicators.tsv is valid");
    assert!(cat.entries().len() >= 80, "{} entries", cat.entries().len());
    assert_eq!(Catalogue::builtin().entries().len(), cat.entries().len());
}

#[test]
fn gdp_wordings() {
    for name in [
        "地区生产总值",
        "地区生产总值(亿元)",
        "GDP",
        "全区GDP",
        "国内生产总值",
        "生产总值",
        "1.地区生产总值(亿元)",
    ] {
        check(name, Some("地区生产总值"));
    }
}

#[test]
fn income_variants_stay_apart() {
    check("居民人均可支配收入(元)*", Some("居民人均可支配收入"));
    check("城乡居民人均可支配收入", Some("居民人均可支配收入"));
    check("全体居民人均可支配收入", Some("居民人均可支配收入"));
    check("城镇居民人均可支配收入", Some("城镇居民人均可支配收入"));
    check("城镇人均可支配收入", Some("城镇居民人均可支配收入"));
    check("城镇常住居民人均可支配收入", Some("城镇居民人均可支配收入"));
    check("农村居民人均可支配收入", Some("农村居民人均可支配收入"));
    check(
        "农村常住居民人均可支配收入(元)",
        Some("农村居民人均可支配收入"),
    );
}

#[test]
fn budget_revenue_wordings() {
    for name in [
        "一般公共预算收入",
        "公共财政预算收入",
        "地方一般公共预算收入",
        "一般公共预算地方收入",
        "地方收入",
        "一般公共预算收入(亿元)",
    ] {
        check(name, Some("一般公共预算收入"));
    }
    check("财政总收入", Some("财政总收入"));
}

#[test]
fn share_and_ratio_are_one_word() {
    check("研发经费投入占GDP比例(%)*", Some("研发经费投入强度"));
    check("研发经费投入占GDP比重", Some("研发经费投入强度"));
    check(
        "第三产业增加值占GDP比重(%)",
        Some("第三产业增加值占地区生产总值比重"),
    );
    check(
        "第三产业增加值占GDP比例",
        Some("第三产业增加值占地区生产总值比重"),
    );
    check("税收占财政收入比重(%)", Some("税收占一般公共预算收入比重"));
    check("税收占比", Some("税收占一般公共预算收入比重"));
    check("空气质量优良天数比例(%)*", Some("空气质量优良天数比率"));
    check(
        "地表水达到或优于III类水体比例(%)*",
        Some("地表水达到或优于III类水体比重"),
    );
    check(
        "地表水达到或好于Ⅲ类水体比例",
        Some("地表水达到或优于III类水体比重"),
    );
}

#[test]
fn seed_table_names_all_match() {
    let names = [
        ("全员劳动生产率(%)*", "全员劳动生产率"),
        (
            "最终消费对GDP贡献率(%)*",
            "最终消费对地区生产总值增长贡献率",
        ),
        ("每万人有效发明专利拥有量(件)*", "每万人口发明专利拥有量"),
        ("法治建设满意度(%)", "法治建设满意度"),
        ("城镇调查失业率(%)*", "城镇调查失业率"),
        (
            "劳动年龄人口平均受教育年限(年)*",
            "劳动年龄人口平均受教育年限",
        ),
        (
            "每千人口拥有执业(助理)医师数(人)*",
            "每千人口拥有执业医师数",
        ),
        (
            "每千人口拥有三岁以下婴幼儿托位数(个)*",
            "每千人口拥有3岁以下婴幼儿托位数",
        ),
        ("基本养老保险参保率(%)*", "基本养老保险参保率"),
        ("人均预期寿命(岁)*", "人均预期寿命"),
        ("新增常住人口(万)", "新增常住人口"),
        ("常住人口城镇化率(%)", "常住人口城镇化率"),
        ("单位GDP能源消耗降幅(%)*", "单位地区生产总值能源消耗降低"),
        ("城镇建成区绿化覆盖率(%)*", "城镇建成区绿化覆盖率"),
        (
            "亿元GDP生产安全事故死亡率(人)*",
            "亿元地区生产总值生产安全事故死亡率",
        ),
    ];
    for (name, want) in names {
        check(name, Some(want));
    }
}

#[test]
fn growth_wordings_match_the_indicator_as_growth() {
    let cat = Catalogue::builtin();
    for (name, want) in [
        ("地区生产总值增长", "地区生产总值"),
        ("GDP年均增速", "地区生产总值"),
        ("固定资产投资增长", "固定资产投资"),
        ("社会消费品零售总额增长", "社会消费品零售总额"),
        ("一般公共预算地方收入增长", "一般公共预算收入"),
        ("公共财政预算收入增长", "一般公共预算收入"),
        ("城镇居民人均可支配收入增长", "城镇居民人均可支配收入"),
        ("规模工业增加值增长", "规模以上工业增加值"),
        ("第三产业增加值增长", "第三产业增加值"),
    ] {
        let m = cat
            .find(name)
            .unwrap_or_else(|| panic!("{name} should match"));
        assert_eq!(m.entry.name, want, "{name}");
        assert_eq!(m.measure, NameMeasure::Growth, "{name}");
    }
    let level = cat.find("地区生产总值").map(|m| m.measure);
    assert_eq!(level, Some(NameMeasure::Level));
}

#[test]
fn reductions_and_levels_are_different_indicators() {
    check("单位GDP能耗降低", Some("单位地区生产总值能源消耗降低"));
    check(
        "单位地区生产总值能耗降低",
        Some("单位地区生产总值能源消耗降低"),
    );
    check("单位GDP能耗", Some("单位地区生产总值能源消耗"));
    check(
        "单位GDP二氧化碳排放降低",
        Some("单位地区生产总值二氧化碳排放降低"),
    );
}

#[test]
fn containment_fallback_respects_qualifiers() {
    check("全区地区生产总值总量", Some("地区生产总值"));
    check("人均地区生产总值", Some("人均地区生产总值"));
    check("人均GDP(元)", Some("人均地区生产总值"));
    check("人均生产总值水平", Some("人均地区生产总值"));
    // 人均 is a qualifier the GDP alias lacks, so this must not fall back to GDP.
    check("人均生产总值", Some("人均地区生产总值"));
    check("全区人均住房面积", None);
    check("城镇居民人均住房面积", None);
    check("高新技术企业数量(家)", Some("高新技术企业数"));
    check("PM2.5", None);
    check("5G基站", None);
    check("", None);
}

#[test]
fn directions_come_from_the_catalogue() {
    let cat = Catalogue::builtin();
    let dir = |n: &str| cat.find(n).map(|m| m.entry.direction);
    assert_eq!(dir("城镇调查失业率"), Some(Direction::Lower));
    assert_eq!(dir("单位GDP能耗"), Some(Direction::Lower));
    assert_eq!(dir("单位GDP能耗降低"), Some(Direction::Higher));
    assert_eq!(dir("森林覆盖率"), Some(Direction::Higher));
    assert_eq!(dir("亿元GDP生产安全事故死亡率"), Some(Direction::Lower));
}

#[test]
fn key_groups_wordings_across_documents() {
    let cat = Catalogue::builtin();
    assert_eq!(
        cat.key("公共财政预算收入"),
        cat.key("一般公共预算收入(亿元)")
    );
    assert_ne!(
        cat.key("城镇居民人均可支配收入"),
        cat.key("居民人均可支配收入")
    );
    assert_eq!(cat.key("某某特色指标(个)"), "某某特色指标");
}

#[test]
fn bad_catalogue_lines_name_the_line() {
    let err = Catalogue::from_tsv("# c\nGDP\t亿元\t?\tG\t\n").unwrap_err();
    assert_eq!(err.line, 2);
    assert!(err.message.contains("方向"), "{}", err.message);
    let dup = Catalogue::from_tsv("甲\t\t+\tL\t乙\n丙\t\t+\tL\t乙\n").unwrap_err();
    assert_eq!(dup.line, 2);
    let short = Catalogue::from_tsv("甲\t\t+\n").unwrap_err();
    assert!(short.message.contains("4列"), "{}", short.message);
}

/// Wordings of statistical bulletins and work reports that the actuals extraction
/// meets, each as it is written there (issue 15); each one must name its indicator
/// exactly, because the extraction matches names exactly and never by containment.
#[test]
fn bulletin_and_work_report_wordings() {
    let cases = [
        // 2023 national work report: 货物进出口总额增长7.7%.
        ("货物进出口总额", "进出口总额"),
        ("货物贸易进出口总额", "进出口总额"),
        // Guangdong 2026 work report: 全社会研发投入5350亿元、增长4.9%,研发投入强度达3.6%.
        ("全社会研发投入", "全社会研发经费投入"),
        ("研发投入", "全社会研发经费投入"),
        ("全社会研究与试验发展经费投入", "全社会研发经费投入"),
        ("研发投入强度", "研发经费投入强度"),
        ("全社会研发投入强度", "研发经费投入强度"),
        // National bulletin: 研究与试验发展经费支出…,与国内生产总值之比为2.64%.
        (
            "研究与试验发展经费支出占国内生产总值比重",
            "研发经费投入强度",
        ),
        // 2023 national work report: 全国地表水优良水体比例由67.9%上升到87.9%;
        // Guangdong: 国考断面水质优良率提高到94.6%.
        ("地表水优良水体比例", "地表水达到或优于III类水体比重"),
        ("地表水国考断面水质优良率", "地表水达到或优于III类水体比重"),
        ("国考断面水质优良率", "地表水达到或优于III类水体比重"),
        // County bulletins: 县城空气质量优良天数比例93.8%.
        ("县城空气质量优良天数比例", "空气质量优良天数比率"),
        ("中心城区空气质量优良天数比例", "空气质量优良天数比率"),
        ("县城空气质量优良率", "空气质量优良天数比率"),
        ("城镇生活污水集中处理率", "城镇污水处理率"),
        ("城市生活污水集中处理率", "城镇污水处理率"),
        // 粮食总产达到24.8万吨.
        ("粮食总产", "粮食综合生产能力"),
        // 民生支出占一般公共预算支出的79.6% (the 的 is dropped by normalization).
        (
            "民生支出占一般公共预算支出",
            "民生支出占一般公共预算支出比重",
        ),
        // Wordings that were already there and that documents use as they stand.
        ("实际使用外资", "实际利用外资"),
        ("城镇新增就业", "新增城镇就业"),
        ("单位地区生产总值能耗下降", "单位地区生产总值能源消耗降低"),
        ("地方一般公共预算收入", "一般公共预算收入"),
        ("粮食产量", "粮食综合生产能力"),
        ("居民消费价格涨幅", "居民消费价格涨幅"),
    ];
    let cat = Catalogue::builtin();
    for (written, canonical) in cases {
        assert_eq!(
            cat.exact(written).map(|e| e.name.as_str()),
            Some(canonical),
            "{written}"
        );
    }
    // Near wordings that are other indicators stay apart.
    assert_eq!(cat.exact("城市建成区绿地率"), None);
    assert_eq!(cat.exact("服务贸易总额"), None);
    assert_eq!(
        cat.exact("城镇居民人均可支配收入").map(|e| e.name.as_str()),
        Some("城镇居民人均可支配收入")
    );
}
