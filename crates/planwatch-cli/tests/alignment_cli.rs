//! 规划衔接 through `planwatch check --upper`: floors, ceilings, levels, target years
//! and definitions, each rule worked by hand on small plan tables, once where it must
//! fire and once where it must not.

use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

/// The city's plan: the level above.
const CITY: &str = "云岭市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要
第一章 发展目标
表1 云岭市“十四五”经济社会发展主要指标
指标 | 2020年 | 2025年 | 年均增长(%) | 属性
地区生产总值(亿元) | 2000 | 2800 | 7 | 预期性
常住人口城镇化率(%) | 58.2 | 63 | — | 预期性
研发经费投入强度(%) | 1.85 | 2.5 | — | 预期性
城镇调查失业率(%) | 5.1 | ≤5.5 | — | 预期性
单位地区生产总值能源消耗降低(%) | — | 〔14〕 | — | 约束性
空气质量优良天数比例(%) | 90.3 | ≥92 | — | 约束性
城镇生活污水集中处理率(%) | 93 | ≥96 | — | 约束性
基本养老保险参保率(%) | 92 | ≥96 | — | 预期性
粮食综合生产能力(万吨) | 182 | ≥182 | — | 约束性
特色产业集群营业收入占比(%) | 30 | 40 | — | 预期性
注:〔 〕内为五年累计数;地区生产总值绝对数按2020年价格计算。
第二章 加快发展
";

/// A county that falls short of the city on every rule (lines as in `CITY`, 5–14).
const SHORT: &str = "青溪县国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要
第一章 发展目标
表1 青溪县“十四五”经济社会发展主要指标
指标 | 2020年 | 2025年 | 年均增长(%) | 属性
地区生产总值(亿元) | 286.4 | 402 | 7 | 预期性
城镇化率(户籍人口)(%) | 40 | 48 | — | 预期性
研发经费投入强度(%) | 1.6 | 2.0 | — | 预期性
城镇调查失业率(%) | 4.6 | 6以内 | — | 预期性
单位地区生产总值能源消耗降低(%) | — | — | 3 | 约束性
空气质量优良天数比例(%) | 91.5 | 90 | — | 约束性
城镇生活污水集中处理率(%) | 88 | ≥95 | — | 约束性
基本养老保险参保率(%) | 90 | ≥95 | — | 预期性
粮食综合生产能力(万吨) | 24.6 | ≥24.6 | — | 约束性
特色产业集群营业收入占比(%) | 20 | 25 | — | 预期性
注:地区生产总值按2015年不变价计算。
第二章 加快发展
";

/// A county that meets the city on every rule, with the same definitions written
/// differently (绝对数按2020年不变价, 常住人口城镇化率), a lower level reached by a
/// longer climb (研发 1.2 → 2.2 against 1.85 → 2.5) and a smaller total (粮食).
const MEETS: &str = "青溪县国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要
第一章 发展目标
表1 青溪县“十四五”经济社会发展主要指标
指标 | 2020年 | 2025年 | 年均增长(%) | 属性
地区生产总值(亿元) | 286.4 | 402 | 7 | 预期性
常住人口城镇化率(%) | 48.6 | 55 | — | 预期性
研发经费投入强度(%) | 1.2 | 2.2 | — | 预期性
城镇调查失业率(%) | 4.6 | 5以内 | — | 预期性
单位地区生产总值能源消耗降低(%) | — | 〔14.5〕 | — | 约束性
空气质量优良天数比例(%) | 91.5 | ≥93 | — | 约束性
城镇生活污水集中处理率(%) | 88 | ≥96 | — | 约束性
基本养老保险参保率(%) | 90 | ≥97 | — | 预期性
粮食综合生产能力(万吨) | 24.6 | ≥24.6 | — | 约束性
特色产业集群营业收入占比(%) | 20 | 25 | — | 预期性
注:〔 〕内为五年累计数;地区生产总值绝对数按2020年不变价计算。
第二章 加快发展
";

/// Runs `planwatch check LOWER --upper CITY --format json`; the 规划衔接 findings.
fn align(lower: &str) -> Vec<Value> {
    align_to(CITY, lower)
}

/// Runs `planwatch check LOWER --upper UPPER --format json`; the 规划衔接 findings.
fn align_to(upper: &str, lower: &str) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let (city_file, county_file) = (dir.path().join("city.txt"), dir.path().join("county.txt"));
    std::fs::write(&city_file, upper).unwrap();
    std::fs::write(&county_file, lower).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_planwatch"))
        .arg("check")
        .arg(&county_file)
        .arg("--upper")
        .arg(&city_file)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    all.into_iter()
        .filter(|f| f["kind"] == "upper_plan")
        .collect()
}

fn short() -> &'static [Value] {
    static FOUND: OnceLock<Vec<Value>> = OnceLock::new();
    FOUND.get_or_init(|| align(SHORT))
}

fn meets() -> &'static [Value] {
    static FOUND: OnceLock<Vec<Value>> = OnceLock::new();
    FOUND.get_or_init(|| align(MEETS))
}

/// The one finding whose message contains every part; its severity, message and lines.
fn one<'a>(found: &'a [Value], parts: &[&str]) -> (&'a str, &'a str, (i64, i64)) {
    let hits: Vec<&Value> = found
        .iter()
        .filter(|f| {
            parts
                .iter()
                .all(|p| f["message"].as_str().unwrap().contains(p))
        })
        .collect();
    assert_eq!(hits.len(), 1, "{parts:?} in {found:#?}");
    let f = hits[0];
    assert!(
        f["first"]["document"]
            .as_str()
            .unwrap()
            .ends_with("county.txt")
    );
    assert!(
        f["second"]["document"]
            .as_str()
            .unwrap()
            .ends_with("city.txt")
    );
    let lines = (
        f["first"]["line"].as_i64().unwrap(),
        f["second"]["line"].as_i64().unwrap(),
    );
    (
        f["severity"].as_str().unwrap(),
        f["message"].as_str().unwrap(),
        lines,
    )
}

fn none_about(found: &[Value], indicator_word: &str) {
    let hits: Vec<&Value> = found
        .iter()
        .filter(|f| f["message"].as_str().unwrap().contains(indicator_word))
        .collect();
    assert!(hits.is_empty(), "{indicator_word}: {hits:#?}");
}

/// ≥95 under the city's binding ≥96 (污水) is an error, under its expected ≥96 (养老) a
/// warning; ≥96 and ≥97 are not; a total (粮食, 万吨) is never held to the city's.
#[test]
fn a_floor_below_the_upper_floor_is_flagged() {
    let (severity, message, lines) = one(short(), &["城镇污水处理率"]);
    assert_eq!((severity, lines), ("error", (11, 11)));
    assert!(
        message.contains("本级规划不低于95%，上级规划不低于96%，下限低于上级规划")
            && message.contains("本级规划不得放宽")
            && message.ends_with("（本级规划第11行，上级规划第11行）"),
        "{message}"
    );
    let (severity, message, _) = one(short(), &["基本养老保险参保率"]);
    assert_eq!(severity, "warning");
    assert!(message.contains("不低于95%，上级规划不低于96%") && message.contains("需说明理由"));
    none_about(short(), "粮食");
    none_about(meets(), "污水");
    none_about(meets(), "养老");
}

/// A ceiling of 6% over the city's 5.5% is weaker; 5% is stricter.
#[test]
fn a_ceiling_above_the_upper_ceiling_is_flagged() {
    let (severity, message, lines) = one(short(), &["城镇调查失业率"]);
    assert_eq!((severity, lines), ("warning", (8, 8)));
    assert!(
        message.contains("本级规划不高于6%，上级规划不高于5.5%，上限高于上级规划"),
        "{message}"
    );
    none_about(meets(), "失业率");
}

/// A level compared with a floor: 达到90 under the city's binding ≥92 is an error.
#[test]
fn a_level_under_the_upper_floor_is_flagged() {
    let (severity, message, lines) = one(short(), &["空气质量"]);
    assert_eq!((severity, lines), ("error", (10, 10)));
    assert!(
        message.contains("本级规划达到90%，上级规划不低于92%，低于上级规划的要求"),
        "{message}"
    );
    none_about(meets(), "空气质量");
}

/// 研发 2.0 under 2.5 and a climb of 0.4 points under the city's 0.65 (2.5 − 1.85):
/// a warning. 2.2 under 2.5 with a climb of 1.0 point is aligned; 特色产业集群 (not in
/// the catalogue, so its direction is unknown) is never compared.
#[test]
fn a_lower_level_with_less_improvement_is_flagged() {
    let (severity, message, lines) = one(short(), &["研发经费投入强度"]);
    assert_eq!((severity, lines), ("warning", (7, 7)));
    assert!(
        message.contains("本级规划达到2%，上级规划达到2.5%，低于上级规划的目标水平")
            && message.contains("本级规划较基期提高0.4个百分点，上级规划较基期提高0.65个百分点"),
        "{message}"
    );
    none_about(meets(), "研发");
    none_about(short(), "特色产业");
    // 城镇化率 55 under 63: a climb of 6.4 points against 4.8.
    none_about(meets(), "城镇化");
}

/// A 十五五 county against a 十四五 city: one finding says the years differ, and its
/// 〔13〕 is not held to the city's 〔14〕.
#[test]
fn plans_ending_in_different_years_are_not_compared() {
    let later = MEETS
        .replace(
            "第十四个五年规划和二〇三五年远景目标纲要",
            "第十五个五年规划纲要",
        )
        .replace("“十四五”", "“十五五”")
        .replace("2020年 | 2025年", "2025年 | 2030年")
        .replace("〔14.5〕", "〔13〕");
    let found = align(&later);
    assert_eq!(found.len(), 1, "{found:#?}");
    let (severity, message, lines) = one(&found, &["目标年为2030年，上级规划为2025年"]);
    assert_eq!((severity, lines), ("warning", (5, 5)));
    assert!(message.contains("数值目标未作比较"));
}

/// GDP at 2015 prices against 2020 prices; the same base written two ways is no finding.
#[test]
fn a_different_price_base_is_flagged() {
    let (severity, message, lines) = one(short(), &["价格基期"]);
    assert_eq!((severity, lines), ("warning", (5, 5)));
    assert!(
        message.starts_with("地区生产总值：本级规划按2015年价格计算，上级规划按2020年价格计算"),
        "{message}"
    );
    none_about(meets(), "价格");
}

/// 城镇化率（户籍人口） matches the city's 常住人口城镇化率 by name but counts other people.
#[test]
fn registered_against_resident_population_is_flagged() {
    let (severity, message, lines) = one(short(), &["户籍人口"]);
    assert_eq!((severity, lines), ("warning", (6, 6)));
    assert!(
        message.contains("本级规划按户籍人口统计，上级规划按常住人口统计"),
        "{message}"
    );
    none_about(meets(), "人口统计");
}

/// 年均降低3% against the city's 〔14〕 five-year cut: not comparable, so no quota
/// finding either; 〔14.5〕 against 〔14〕 is like with like.
#[test]
fn an_annual_target_against_a_cumulative_one_is_flagged() {
    let (severity, message, lines) = one(short(), &["目标形式不同"]);
    assert_eq!((severity, lines), ("warning", (9, 9)));
    assert!(
        message.contains("本级规划目标为年均数，上级规划为五年累计数"),
        "{message}"
    );
    none_about(short(), "下达的14%");
    none_about(meets(), "目标形式");
}

/// The county that meets the city has no finding at all, and the short one has exactly
/// the findings of the tests above.
#[test]
fn only_genuine_shortfalls_are_found() {
    assert!(meets().is_empty(), "{:#?}", meets());
    assert_eq!(short().len(), 8, "{:#?}", short());
}

/// 万人 against 人 is a unit finding and nothing is compared (〔15000〕 is not under
/// 〔8〕); `％` is `%`; a growth in % against the level in 元 is no unit conflict.
#[test]
fn a_different_unit_is_flagged_and_not_compared() {
    let table = |rows: &str| {
        format!(
            "云岭市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要
第一章 发展目标
表1 “十四五”经济社会发展主要指标
指标 | 单位 | 2020年 | 2025年 | 属性
{rows}
注:〔 〕内为五年累计数。
第二章 加快发展
"
        )
    };
    let city = table(
        "城镇新增就业人数 | 万人 | 1.6 | 〔8〕 | 预期性
基本养老保险参保率 | % | 92 | ≥96 | 预期性
居民人均可支配收入 | 元 | 31200 | 43800 | 预期性",
    );
    let county = table(
        "城镇新增就业人数 | 人 | 3200 | 〔15000〕 | 预期性
基本养老保险参保率 | ％ | 90 | ≥97 | 预期性
居民人均可支配收入增长 | % | 6.8 | 7 | 预期性",
    );
    let found = align_to(&city, &county);
    assert_eq!(found.len(), 1, "{found:#?}");
    let (severity, message, lines) = one(&found, &["单位"]);
    assert_eq!((severity, lines), ("warning", (5, 5)));
    assert!(
        message.contains("本级规划单位为“人”，上级规划为“万人”，口径需核对，数值未作比较"),
        "{message}"
    );
}
