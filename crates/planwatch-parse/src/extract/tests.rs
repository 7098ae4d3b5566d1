//! Extraction on real-register text, one trap per case.

use super::*;
use planwatch_core::codes::Code;

fn rows(text: &str, opts: &Options) -> Vec<(String, f64, String, &'static str)> {
    extract_text(text, "t.txt", opts)
        .unwrap()
        .rows
        .into_iter()
        .map(|p| {
            (
                p.indicator,
                p.value,
                p.unit.unwrap_or_default(),
                p.kind.code(),
            )
        })
        .collect()
}

fn check(text: &str, expect: &[(&str, f64, &str, &str)]) {
    let got = rows(text, &Options::default());
    let want: Vec<(String, f64, String, &str)> = expect
        .iter()
        .map(|(i, v, u, k)| (i.to_string(), *v, u.to_string(), *k))
        .collect();
    let got_cmp: Vec<(String, f64, String, &str)> = got.into_iter().collect();
    assert_eq!(got_cmp, want, "{text}");
}

const BULLETIN_HEAD: &str = "青溪县2024年国民经济和社会发展统计公报\n青溪县统计局\n2025年3月20日\n";

#[test]
fn bulletin_headline_figures() {
    check(
        &format!(
            "{BULLETIN_HEAD}经初步核算,全年全县地区生产总值(GDP)377.9亿元,按不变价格计算,比上年增长6.1%。"
        ),
        &[
            ("地区生产总值", 377.9, "亿元", "level"),
            ("地区生产总值", 6.1, "%", "growth_rate"),
        ],
    );
}

const REPORT_HEAD: &str = "政府工作报告\n——2025年1月8日在青溪县第十八届人民代表大会第四次会议上\n青溪县人民政府县长\n各位代表:\n一、2024年工作回顾\n";

fn report(body: &str) -> String {
    format!("{REPORT_HEAD}{body}\n二、2025年工作总体要求和主要预期目标\n地区生产总值增长6%左右。")
}

#[test]
fn bulletin_sub_items_are_their_own_indicators_or_nothing() {
    // 一产/二产 are catalogue indicators of their own, never the total; 城镇人口 and
    // 民间投资 are parts the catalogue does not know.
    check(
        &format!(
            "{BULLETIN_HEAD}全年全县地区生产总值377.9亿元,比上年增长6.1%。其中,第一产业增加值45.3亿元,增长3.6%;第二产业增加值139.6亿元,增长7.0%。"
        ),
        &[
            ("地区生产总值", 377.9, "亿元", "level"),
            ("地区生产总值", 6.1, "%", "growth_rate"),
            ("第一产业增加值", 45.3, "亿元", "level"),
            ("第一产业增加值", 3.6, "%", "growth_rate"),
            ("第二产业增加值", 139.6, "亿元", "level"),
            ("第二产业增加值", 7.0, "%", "growth_rate"),
        ],
    );
    check(
        &format!(
            "{BULLETIN_HEAD}全年全县固定资产投资比上年增长6.5%。其中,工业投资增长12.1%,民间投资增长3.2%,基础设施投资下降4.6%。"
        ),
        &[("固定资产投资", 6.5, "%", "growth_rate")],
    );
    check(
        &format!(
            "{BULLETIN_HEAD}年末全县常住人口40.5万人,比上年末减少0.2万人,其中城镇人口22.4万人。常住人口城镇化率为55.2%,比上年末提高1.3个百分点。"
        ),
        &[
            ("常住人口", 40.5, "万人", "level"),
            ("常住人口城镇化率", 55.2, "%", "share"),
        ],
    );
}

#[test]
fn other_regions_are_not_the_region() {
    check(
        &format!(
            "{BULLETIN_HEAD}全县地区生产总值增速比全市平均水平高0.4个百分点。同期,云岭市全年地区生产总值2856.4亿元,增长5.7%。"
        ),
        &[],
    );
    check(
        &format!(
            "{BULLETIN_HEAD}同期,云岭市全体居民人均可支配收入36820元,全县为全市平均水平的91.0%。"
        ),
        &[],
    );
    // The national report: 全国 is the region's own word.
    let national = "政府工作报告\n——2023年3月5日在第十四届全国人民代表大会第一次会议上\n国务院总理\n一、过去一年和五年工作回顾\n过去一年,全国地表水优良水体比例为87.9%,全省第一的广东省地区生产总值增长3%。";
    check(
        national,
        &[("地表水达到或优于III类水体比重", 87.9, "%", "share")],
    );
}

#[test]
fn comparisons_are_kinds_and_points_are_not_levels() {
    check(
        &format!(
            "{BULLETIN_HEAD}全年县城空气质量优良天数比例为94.1%,比上年提高0.3个百分点。全年居民消费价格比上年上涨0.4%,其中12月份同比上涨0.6%。"
        ),
        &[
            ("空气质量优良天数比率", 94.1, "%", "share"),
            ("居民消费价格涨幅", 0.4, "%", "level"),
        ],
    );
    // A percentage of another base (规模以上工业增加值) is not the share of GDP.
    check(
        &format!(
            "{BULLETIN_HEAD}规模以上工业中,高新技术产业增加值增长11.2%,占规模以上工业增加值的比重为41.6%。全县高新技术产业增加值86.2亿元,占地区生产总值比重为22.8%。"
        ),
        &[("高新技术产业增加值占地区生产总值比重", 22.8, "%", "share")],
    );
}

#[test]
fn reductions_and_decreases_carry_their_sign() {
    check(
        &format!("{BULLETIN_HEAD}全年单位地区生产总值能耗比上年下降2.4%。"),
        &[("单位地区生产总值能源消耗降低", 2.4, "%", "reduction")],
    );
    // A fall of a level indicator is a negative growth rate.
    let d = "岳阳楼区人民政府代区长 白再兴\n各位代表:\n一、“十三五”及2020年工作回顾\n2020年是“十三五”收官之年。全区GDP预计增长6.5%,社会消费品零售总额预计与去年持平,公共财政预算收入同比下降10.7%。\n二、“十四五”发展目标和主要任务\n地区生产总值年均增长7%。";
    check(
        d,
        &[
            ("地区生产总值", 6.5, "%", "growth_rate"),
            ("社会消费品零售总额", 0.0, "%", "growth_rate"),
            ("一般公共预算收入", -10.7, "%", "growth_rate"),
        ],
    );
}

#[test]
fn targets_are_not_actuals() {
    // The review is read; the targets after it are not, nor a 力争 or a later year.
    let d = report(
        "全年地区生产总值预计达到377.9亿元,增长6.1%。力争明年社会消费品零售总额突破165亿元。确保到2025年全县地区生产总值突破430亿元。全年城镇新增就业2900人,完成年度目标任务的103.6%。",
    );
    check(
        &d,
        &[
            ("地区生产总值", 377.9, "亿元", "level"),
            ("地区生产总值", 6.1, "%", "growth_rate"),
            ("新增城镇就业", 0.29, "万人", "level"),
        ],
    );
}

#[test]
fn several_years_give_levels_but_no_changes() {
    let d = report(
        "四年来,地区生产总值由2020年的286.4亿元增加到377.9亿元,年均增长7.1%;居民人均可支配收入累计增长29.5%;单位地区生产总值能耗累计下降9.4%;城镇新增就业累计1.23万人。",
    );
    check(&d, &[("地区生产总值", 377.9, "亿元", "level")]);
    // A level with a yearly average in the same clause: the level is the year's.
    let d = report("五年来,产业结构不断优化。第三产业增加值553.87亿元、年均增长8.6%。");
    check(&d, &[("第三产业增加值", 553.87, "亿元", "level")]);
}

#[test]
fn units_convert_to_the_catalogue_unit() {
    let national = "政府工作报告\n——2023年3月5日在第十四届全国人民代表大会第一次会议上\n国务院总理\n一、过去一年和五年工作回顾\n过去一年,全年国内生产总值增长3%,城镇新增就业1206万人,年末城镇调查失业率降到5.5%,居民消费价格上涨2%。粮食产量1.37万亿斤,增产74亿斤。";
    check(
        national,
        &[
            ("地区生产总值", 3.0, "%", "growth_rate"),
            ("新增城镇就业", 1206.0, "万人", "level"),
            ("城镇调查失业率", 5.5, "%", "share"),
            ("居民消费价格涨幅", 2.0, "%", "level"),
            ("粮食综合生产能力", 68500.0, "万吨", "level"),
        ],
    );
    let d = report(
        "过去一年,居民人均可支配收入提高到5.4万元、增长4.3%。城镇新增就业9000人。全年实际使用外资2360万美元。",
    );
    check(
        &d,
        &[
            ("居民人均可支配收入", 54000.0, "元", "level"),
            ("居民人均可支配收入", 4.3, "%", "growth_rate"),
            ("新增城镇就业", 0.9, "万人", "level"),
            ("实际利用外资", 0.236, "亿美元", "level"),
        ],
    );
}

#[test]
fn composed_names_and_stocks() {
    // 占…比重 completes the name before it; 总数 is the stock after 新增.
    check(
        &format!(
            "{BULLETIN_HEAD}地方一般公共预算收入15.3亿元,增长4.8%,其中税收收入11.2亿元,占地方一般公共预算收入的比重为73.2%。"
        ),
        &[
            ("一般公共预算收入", 15.3, "亿元", "level"),
            ("一般公共预算收入", 4.8, "%", "growth_rate"),
            ("税收占一般公共预算收入比重", 73.2, "%", "share"),
        ],
    );
    let d = report(
        "过去一年,新增高新技术企业19家、总数达到117家。规模以上工业企业达7.6万家、增加值增长3%。",
    );
    check(
        &d,
        &[
            ("高新技术企业数", 117.0, "家", "level"),
            ("规模以上工业增加值", 3.0, "%", "growth_rate"),
        ],
    );
}

#[test]
fn approximate_figures_are_not_taken() {
    let d = report(
        "过去一年,接待游客超过650万人次,高中阶段教育毛入学率提高到90%以上,PM2.5年平均浓度保持在20微克/立方米左右,人均预期寿命提高到80岁以上。",
    );
    check(&d, &[]);
}

#[test]
fn the_year_comes_from_the_document_or_the_caller() {
    let doc = extract_text(
        &report("全年地区生产总值377.9亿元。"),
        "r.txt",
        &Options::default(),
    )
    .unwrap();
    assert_eq!((doc.year, doc.region.as_str()), (2024, "青溪县"));
    let doc = extract_text(
        &format!("{BULLETIN_HEAD}全年地区生产总值377.9亿元。"),
        "b.txt",
        &Options {
            region: Some("439901".into()),
            year: None,
        },
    )
    .unwrap();
    assert_eq!((doc.year, doc.region.as_str()), (2024, "439901"));
    assert_eq!(doc.rows[0].region, "439901");
    assert_eq!(doc.date.as_deref(), Some("2025-03-20"));
    let undated = extract_text(
        "各位代表:\n全年地区生产总值377.9亿元。",
        "x.txt",
        &Options::default(),
    );
    assert_eq!(undated.unwrap_err(), ExtractError::NoYear);
}

#[test]
fn the_sentence_and_its_highlight_are_kept() {
    let doc = extract_text(
        &format!("{BULLETIN_HEAD}全年粮食总产量24.9万吨,增长0.4%。全年生猪出栏52.6万头。"),
        "b.txt",
        &Options::default(),
    )
    .unwrap();
    let p = &doc.rows[0];
    assert_eq!(p.line, 4);
    assert_eq!(p.sentence, "全年粮食总产量24.9万吨,增长0.4%。");
    let (before, marked, after) = p.highlighted();
    // From the words that name it (with the harmless 全年) to the unit.
    assert_eq!(before, "");
    assert_eq!(marked, "全年粮食总产量24.9万吨");
    assert_eq!(after, ",增长0.4%。");
    let csv = to_csv(&[doc]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("region,year,indicator,value,unit,kind,source_url,note,vintage,source")
    );
    assert_eq!(
        lines.next(),
        Some(
            "青溪县,2024,粮食综合生产能力,24.9,万吨,level,b.txt:4,统计公报《青溪县2024年国民经济和社会发展统计公报》第4行;原文“24.9万吨”,2025-03-20,\"b.txt:4 全年粮食总产量24.9万吨,增长0.4%。\""
        )
    );
}

#[test]
fn observations_are_what_the_csv_reads_back_as() {
    let doc = extract_text(
        &format!("{BULLETIN_HEAD}全年全县地区生产总值377.9亿元,比上年增长6.1%。全年单位地区生产总值能耗比上年下降2.4%。"),
        "b.txt",
        &Options::default(),
    )
    .unwrap();
    let direct = to_observations(&doc);
    let read = crate::actuals::read_csv(to_csv(std::slice::from_ref(&doc)).as_bytes()).unwrap();
    assert_eq!(direct, read);
    assert_eq!(direct.len(), 3);
    assert_eq!(direct[2].kind, DataKind::Reduction);
    assert_eq!(direct[2].value, 2.4);
    assert_eq!(
        direct[0].vintage.map(|d| d.to_string()).as_deref(),
        Some("2025-03-20")
    );
}

#[test]
fn national_bulletin_sentences() {
    // From the national 2023 statistical bulletin (国家统计局, 2024-02-29).
    let head = "中华人民共和国2023年国民经济和社会发展统计公报\n国家统计局\n2024年2月29日\n";
    check(
        &format!(
            "{head}全年全国居民人均可支配收入39218元,比上年增长6.3%,扣除价格因素,实际增长6.1%。全国居民人均可支配收入中位数33036元,增长5.3%。"
        ),
        &[
            ("居民人均可支配收入", 39218.0, "元", "level"),
            ("居民人均可支配收入", 6.1, "%", "growth_rate"),
        ],
    );
    check(
        &format!(
            "{head}全年研究与试验发展(R&D)经费支出33278亿元,比上年增长8.1%,与国内生产总值之比为2.64%。"
        ),
        &[
            ("全社会研发经费投入", 33278.0, "亿元", "level"),
            ("全社会研发经费投入", 8.1, "%", "growth_rate"),
            ("研发经费投入强度", 2.64, "%", "share"),
        ],
    );
    check(
        &format!(
            "{head}全年城镇新增就业1244万人,比上年多增38万人。全年全国城镇调查失业率平均值为5.2%。年末全国城镇调查失业率为5.1%。"
        ),
        &[
            ("新增城镇就业", 1244.0, "万人", "level"),
            ("城镇调查失业率", 5.2, "%", "share"),
        ],
    );
    check(
        &format!("{head}全年粮食产量69541万吨,比上年增加888万吨,增产1.3%。"),
        &[("粮食综合生产能力", 69541.0, "万吨", "level")],
    );
    check(
        &format!("{head}万元国内生产总值能耗比上年上升0.5%。"),
        &[("单位地区生产总值能源消耗降低", -0.5, "%", "reduction")],
    );
}

#[test]
fn a_part_keeps_its_own_change() {
    // 税收收入's growth is not the total's.
    check(
        &format!("{BULLETIN_HEAD}地方一般公共预算收入15.3亿元,其中税收收入11.2亿元,增长5.0%。"),
        &[("一般公共预算收入", 15.3, "亿元", "level")],
    );
    // A rank between the level and the growth keeps the name.
    check(
        &format!("{BULLETIN_HEAD}全年地区生产总值377.9亿元,总量居全市第3位,增长6.1%。"),
        &[
            ("地区生产总值", 377.9, "亿元", "level"),
            ("地区生产总值", 6.1, "%", "growth_rate"),
        ],
    );
}

#[test]
fn a_loose_alias_is_not_the_indicator() {
    let national = "政府工作报告\n——2023年3月5日在第十四届全国人民代表大会第一次会议上\n国务院总理\n一、过去一年和五年工作回顾\n过去五年,新增劳动力平均受教育年限从13.5年提高到14年。";
    check(national, &[]);
}

#[test]
fn provincial_work_report_sentences() {
    // The register of a provincial work report's review (figures invented).
    let d = "政府工作报告\n——2024年1月21日在湖南省第十四届人民代表大会第二次会议上\n湖南省省长\n各位代表:\n一、2023年工作回顾\n过去一年,全省地区生产总值突破5万亿元、增长4.6%,城乡居民人均可支配收入分别增长4.1%、6.9%。一般公共预算收入完成3360.5亿元,增长6.5%。粮食总产量达到617.4亿斤。全社会研发经费投入增长12.5%、投入强度达2.57%。全国地区生产总值增长5.2%。\n二、2024年主要目标\n地区生产总值增长5.5%左右。";
    check(
        d,
        &[
            ("地区生产总值", 4.6, "%", "growth_rate"),
            ("一般公共预算收入", 3360.5, "亿元", "level"),
            ("一般公共预算收入", 6.5, "%", "growth_rate"),
            ("粮食综合生产能力", 3087.0, "万吨", "level"),
            ("全社会研发经费投入", 12.5, "%", "growth_rate"),
            ("研发经费投入强度", 2.57, "%", "share"),
        ],
    );
}

#[test]
fn a_bare_measure_takes_the_head_of_the_name_before() {
    let d = report("过去一年,粮食播种面积稳定在86.5万亩,总产达到24.9万吨。");
    check(&d, &[("粮食综合生产能力", 24.9, "万吨", "level")]);
}
