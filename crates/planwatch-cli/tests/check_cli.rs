//! `planwatch check` across a plan and a work report of the same region.

use std::process::Command;

#[test]
fn plan_and_work_report_disagree_on_gdp() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.txt");
    let report = dir.path().join("report.txt");
    std::fs::write(
        &plan,
        "岳阳楼区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要\n\
经济更加发展。到2025年,地区生产总值达到1130亿元,第三产业增加值占GDP比重达到85%。\n",
    )
    .unwrap();
    // The report's clause has no subject of its own: GDP comes from the clause before.
    std::fs::write(
        &report,
        "岳阳楼区人民政府区长\n各位代表:\n现在,我代表区人民政府,向大会报告政府工作。\n\
三、2021年工作安排\n“十四五”时期奋斗目标是:确保全区GDP年均增速高于全市平均水平,到2025年迈上1000亿台阶。\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_planwatch"))
        .args(["check", plan.to_str().unwrap(), report.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("地区生产总值2025年目标：规划纲要为1130亿元，政府工作报告为1000亿"),
        "{text}"
    );
    assert!(text.contains("plan.txt:2"), "{text}");
    assert!(text.contains("report.txt:5"), "{text}");
}

/// A city's plan, the level above the county's.
const CITY: &str = "云岭市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要
第一章 发展目标
表1 云岭市“十四五”经济社会发展主要指标
指标 | 2020年 | 2025年 | 年均增长(%) | 属性
地区生产总值(亿元) | 2000 | 2800 | 7 | 预期性
单位地区生产总值能源消耗降低(%) | — | 〔14〕 | — | 约束性
森林覆盖率(%) | 60 | 62 | — | 约束性
注:〔 〕内为五年累计数。
第二章 加快发展
";

/// Runs `planwatch check COUNTY --upper CITY --format json` on the two texts.
fn align(county: &str) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().unwrap();
    let (city_file, county_file) = (dir.path().join("city.txt"), dir.path().join("county.txt"));
    std::fs::write(&city_file, CITY).unwrap();
    std::fs::write(&county_file, county).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_planwatch"))
        .args([
            "check",
            county_file.to_str().unwrap(),
            "--upper",
            city_file.to_str().unwrap(),
        ])
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    all.into_iter()
        .filter(|f| f["kind"] == "upper_plan")
        .collect()
}

/// 规划衔接, worked by hand: the county's 〔13.5〕 is under the city's 〔14〕 (an error
/// naming line 6 of both plans); 6% a year is under the city's 7% (a warning);
/// 森林覆盖率, 约束性 for the city, is 预期性 in the county (a warning).
#[test]
fn a_county_plan_is_checked_against_its_city() {
    let found = align(
        "青溪县国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要
第一章 发展目标
表1 青溪县“十四五”经济社会发展主要指标
指标 | 2020年 | 2025年 | 年均增长(%) | 属性
地区生产总值(亿元) | 286.4 | 383 | 6 | 预期性
单位地区生产总值能源消耗降低(%) | — | 〔13.5〕 | — | 约束性
森林覆盖率(%) | 63.2 | 63.5 | — | 预期性
注:〔 〕内为五年累计数。
第二章 加快发展
",
    );
    let messages: Vec<&str> = found
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(found.len(), 3, "{messages:#?}");
    let quota = found
        .iter()
        .find(|f| f["severity"] == "error")
        .expect("the quota");
    assert!(
        quota["message"]
            .as_str()
            .unwrap()
            .contains("累计降低13.5%，低于上级规划下达的14%"),
        "{quota}"
    );
    assert!(
        quota["first"]["document"]
            .as_str()
            .unwrap()
            .ends_with("county.txt")
    );
    assert!(
        quota["second"]["document"]
            .as_str()
            .unwrap()
            .ends_with("city.txt")
    );
    assert_eq!(
        (
            quota["first"]["line"].as_i64(),
            quota["second"]["line"].as_i64()
        ),
        (Some(6), Some(6))
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("年均增长6%，低于上级规划的7%"))
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("森林覆盖率") && m.contains("列为预期性"))
    );
}

/// A county that meets every quota and keeps the city's attributes has no findings.
#[test]
fn a_county_plan_that_meets_its_city_has_no_alignment_findings() {
    let found = align(
        "青溪县国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要
第一章 发展目标
表1 青溪县“十四五”经济社会发展主要指标
指标 | 2020年 | 2025年 | 年均增长(%) | 属性
地区生产总值(亿元) | 286.4 | 402 | 7 | 预期性
单位地区生产总值能源消耗降低(%) | — | 〔14.5〕 | — | 约束性
森林覆盖率(%) | 63.2 | 64 | — | 约束性
注:〔 〕内为五年累计数。
第二章 加快发展
",
    );
    assert!(found.is_empty(), "{found:#?}");
}
