//! The bundled samples end to end: the 十四五 plan's final evaluation on 2025 data, the
//! 十五五 plan evaluated over its own period, and the succession check finding the
//! differences planted in the samples (samples/README.md, sections 7–9).

use std::process::Command;

use serde_json::Value;

fn sample(name: &str) -> String {
    format!("{}/../../samples/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn planwatch(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_planwatch"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn evaluate(plan: &str, extra: &[&str]) -> Value {
    let (plan, a, b) = (
        sample(plan),
        sample("qingxi-actuals.csv"),
        sample("qingxi-actuals-2024-2025.csv"),
    );
    let mut args = vec![
        "evaluate",
        plan.as_str(),
        "--actuals",
        a.as_str(),
        "--actuals",
        b.as_str(),
        "--format",
        "json",
    ];
    args.extend(extra);
    serde_json::from_str(&planwatch(&args)).unwrap()
}

fn category_of<'a>(r: &'a Value, name: &str) -> &'a str {
    let targets = r["targets"].as_array().unwrap();
    let i = targets
        .iter()
        .position(|t| t["indicator"] == name)
        .unwrap_or_else(|| panic!("no target {name}"));
    r["evaluations"][i]["category"].as_str().unwrap()
}

#[test]
fn the_fourteenth_plan_gets_a_final_evaluation_on_2025_data() {
    let r = evaluate("qingxi-plan.txt", &["--year", "2025"]);
    assert_eq!(r["period"], serde_json::json!({"start": 2021, "end": 2025}));
    assert_eq!(r["final_evaluation"], true);
    for (name, want) in [
        // (398.6 − 286.4)/(410 − 286.4) = 0.908 ≥ 0.90
        ("地区生产总值", "basically_achieved"),
        // CAGR 8.38 against 10.4: P = 0.806 < 0.90
        ("全社会固定资产投资增速", "not_achieved"),
        // binding, 11.44% of 13.5%: never 基本实现
        ("单位地区生产总值能源消耗降低", "not_achieved"),
        ("常住人口城镇化率", "achieved"),
        // held every year 2022–2025
        ("城镇调查失业率", "achieved"),
        ("单位地区生产总值二氧化碳排放降低", "qualitative"),
    ] {
        assert_eq!(category_of(&r, name), want, "{name}");
    }
    let overall = &r["overall"];
    assert_eq!(overall["total"], 26);
    let counts: Vec<(String, u64)> = overall["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c[0].as_str().unwrap().to_string(), c[1].as_u64().unwrap()))
        .collect();
    assert_eq!(
        counts,
        [
            ("achieved".to_string(), 15),
            ("basically_achieved".to_string(), 4),
            ("not_achieved".to_string(), 6),
            ("qualitative".to_string(), 1)
        ]
    );
    // One annual-target line per indicator and year; like compared with like.
    let annual = r["annual"].as_array().unwrap();
    let mut keys: Vec<(String, i64)> = annual
        .iter()
        .map(|a| {
            (
                a["indicator"].as_str().unwrap().to_string(),
                a["year"].as_i64().unwrap(),
            )
        })
        .collect();
    let n = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), n, "{keys:?}");
    let messages: Vec<&str> = annual
        .iter()
        .map(|a| a["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("2025年常住人口城镇化率年度目标提高1个百分点")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("2025年城镇新增就业人数年度目标0.28万人以上")),
        "{messages:?}"
    );
}

#[test]
fn the_fifteenth_plan_evaluates_over_2026_to_2030() {
    let r = evaluate("qingxi-plan-15.txt", &[]);
    assert_eq!(r["period"], serde_json::json!({"start": 2026, "end": 2030}));
    let main = r["main_count"].as_u64().unwrap() as usize;
    assert!(main >= 25, "{main}");
    for t in &r["targets"].as_array().unwrap()[..main] {
        assert_eq!(t["target_year"], 2030, "{t}");
        // 人均预期寿命 is starred: 带*的为2024年数据.
        let want = if t["indicator"] == "人均预期寿命" {
            2024
        } else {
            2025
        };
        assert_eq!(t["base_year"], want, "{t}");
    }
    // The data ends in 2025, the base year: nothing of the new plan can be judged yet.
    assert_eq!(r["year"], 2025);
    assert_eq!(r["final_evaluation"], false);
    let text = planwatch(&[
        "evaluate",
        &sample("qingxi-plan-15.txt"),
        "--actuals",
        &sample("qingxi-actuals-2024-2025.csv"),
    ]);
    assert!(!text.contains("2020"), "{text}");
    assert!(
        text.starts_with("青溪县规划指标评估（规划期2026—2030年，数据截至2025年）"),
        "{text}"
    );
}

#[test]
fn succession_finds_the_planted_differences_with_both_sources() {
    let text = planwatch(&[
        "check",
        &sample("qingxi-plan.txt"),
        &sample("qingxi-plan-15.txt"),
        "--actuals",
        &sample("qingxi-actuals.csv"),
        "--actuals",
        &sample("qingxi-actuals-2024-2025.csv"),
    ]);
    for (message, line, second) in [
        (
            "地区生产总值：十五五规划基期值402.5亿元与十四五实际398.6亿元不一致（2025年）",
            56,
            "sample://qingxi/tjgb-2025",
        ),
        (
            "研发经费投入强度：十五五规划基期值2.05%与十四五实际1.98%不一致（2025年）",
            62,
            "sample://qingxi/tjgb-2025",
        ),
        (
            "十五五规划基期值3.3人与十四五实际3.2人不一致（2025年）",
            69,
            "sample://qingxi/tjgb-2025",
        ),
        (
            "单位地区生产总值能源消耗降低：十五五规划基期值12.6%与十四五实际11.44%不一致（2025年）",
            72,
            "qingxi-plan.txt:179",
        ),
    ] {
        let at = text
            .find(message)
            .unwrap_or_else(|| panic!("missing: {message}\n{text}"));
        let block: String = text[at..].lines().take(5).collect::<Vec<_>>().join("\n");
        assert!(
            block.contains(&format!("qingxi-plan-15.txt:{line}")),
            "{block}"
        );
        assert!(block.contains(second), "{block}");
    }
    // Baselines that agree with the actuals (常住人口城镇化率 56.9) raise nothing.
    assert!(
        !text.contains("常住人口城镇化率：十五五规划基期值"),
        "{text}"
    );
}
