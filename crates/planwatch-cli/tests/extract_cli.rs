//! `planwatch extract actuals` end to end: the samples' bulletin and work reports
//! become an actuals CSV that `import actuals` takes back unchanged, and `status`
//! evaluates the sample plan on the extracted figures alone.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples");
const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");

fn planwatch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planwatch"))
        .args(args)
        .env_remove("PLANWATCH_DB")
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn db_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("pw.db").display())
}

fn category<'a>(status: &'a Value, name: &str) -> &'a str {
    status["evaluations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["indicator"] == name)
        .unwrap_or_else(|| panic!("no evaluation of {name}"))["category"]
        .as_str()
        .unwrap()
}

#[test]
fn extract_import_status_round_trip_on_the_samples() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let csv = dir.path().join("actuals.csv");
    let docs = [
        format!("{SAMPLES}/qingxi-bulletin-2024.txt"),
        format!("{SAMPLES}/qingxi-work-report-2025.txt"),
        format!("{SAMPLES}/qingxi-work-report-2023.txt"),
    ];
    let mut args = vec!["extract", "actuals"];
    args.extend(docs.iter().map(String::as_str));
    args.extend(["--out", csv.to_str().unwrap()]);
    let out = planwatch(&args);
    ok(&out);
    let summary = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        summary.contains("统计公报，青溪县，2024年") && summary.contains("提取 56 条"),
        "{summary}"
    );

    // Exactly the import columns plus `source`; every row names its file and line.
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("region,year,indicator,value,unit,kind,source_url,note,vintage,source")
    );
    let rows = planwatch_parse::actuals::read_csv(text.as_bytes()).unwrap();
    assert_eq!(rows.len(), 56 + 30 + 21);
    assert!(rows.iter().all(|r| r.region == "青溪县"));
    let gdp = rows
        .iter()
        .find(|r| r.indicator == "地区生产总值" && r.year == 2024)
        .unwrap();
    assert_eq!(gdp.value, 377.9);
    assert_eq!(
        gdp.vintage.map(|d| d.to_string()).as_deref(),
        Some("2025-03-20")
    );
    let source = gdp.source.as_deref().unwrap();
    assert!(
        source.ends_with("qingxi-bulletin-2024.txt:6 经初步核算,全年全县地区生产总值(GDP)377.9亿元,按不变价格计算,比上年增长6.1%。"),
        "{source}"
    );

    ok(&planwatch(&[
        "ingest",
        &format!("{SAMPLES}/qingxi-plan.txt"),
        "--db",
        &db,
    ]));
    let imported = ok(&planwatch(&[
        "import",
        "actuals",
        csv.to_str().unwrap(),
        "--db",
        &db,
    ]));
    assert!(imported.contains("107"), "{imported}");

    let status: Value = serde_json::from_str(&ok(&planwatch(&[
        "status", "--plan", "1", "--year", "2024", "--format", "json", "--db", &db,
    ])))
    .unwrap();
    // 2024: τ = (2024 − 2020)/5 = 0.8.
    // 常住人口城镇化率 48.6 → 55: 55.2 (bulletin) already meets the 2025 target.
    assert_eq!(category(&status, "常住人口城镇化率"), "achieved_early");
    // 每千人口拥有执业(助理)医师数 2.4 → 3.0: 3.12 is already above the target.
    assert_eq!(
        category(&status, "每千人口拥有执业(助理)医师数"),
        "achieved_early"
    );
    // 研发经费投入强度 1.32 → 2.2: req = 1.32 + 0.8·0.88 = 2.024; 1.83 gives
    // P = 0.51/0.704 = 0.72 → 滞后.
    assert_eq!(category(&status, "研发经费投入强度"), "lagging");
}

/// The shared seeds' work reports go through the same round trip, each into its own
/// database with its own region.
#[test]
fn extract_then_import_on_the_shared_seeds() {
    let seeds = Path::new(SHARED).join("seeds");
    if !seeds.is_dir() {
        println!("skipped: ../shared/seeds not found");
        return;
    }
    for (file, rows) in [
        ("001_435c7080c0d33384.txt", 12),
        ("005_national_2023_workreport.txt", 13),
        ("006_guangdong_2026_workreport.txt", 24),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = db_url(dir.path());
        let csv = dir.path().join("a.csv");
        ok(&planwatch(&[
            "extract",
            "actuals",
            seeds.join(file).to_str().unwrap(),
            "--format",
            "csv",
            "--out",
            csv.to_str().unwrap(),
        ]));
        let parsed = planwatch_parse::actuals::read_csv(&std::fs::read(&csv).unwrap()).unwrap();
        assert_eq!(parsed.len(), rows, "{file}");
        let imported = ok(&planwatch(&[
            "import",
            "actuals",
            csv.to_str().unwrap(),
            "--db",
            &db,
        ]));
        assert!(imported.contains(&rows.to_string()), "{file}: {imported}");
    }
}

#[test]
fn json_output_and_options() {
    let out = ok(&planwatch(&[
        "extract",
        "actuals",
        &format!("{SAMPLES}/qingxi-bulletin-2024.txt"),
        "--region",
        "439901",
        "--year",
        "2024",
        "--format",
        "json",
    ]));
    let json: Value = serde_json::from_str(&out).unwrap();
    let doc = &json[0];
    assert_eq!(doc["doc_type"], "statistical_bulletin");
    assert_eq!(doc["region"], "439901");
    let first = &doc["rows"][0];
    assert_eq!(first["indicator"], "地区生产总值");
    assert_eq!(first["kind"], "level");
    assert_eq!(first["line"], 6);

    // A plan is not a source of actual values, and says so.
    let plan = planwatch(&["extract", "actuals", &format!("{SAMPLES}/qingxi-plan.txt")]);
    assert!(!plan.status.success());
    let err = String::from_utf8_lossy(&plan.stderr);
    assert!(err.contains("不是统计公报或政府工作报告"), "{err}");
}
