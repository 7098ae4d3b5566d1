//! The final evaluation report (总结评估报告) of the 青溪县 十四五 plan on 2025 data, and a
//! report on its 十五五 plan, from a store holding both plans and five years of data.

use std::path::{Path, PathBuf};

use planwatch_report::report::{Clock, Report, ReportKind, build};
use planwatch_store::{ImportBatch, Store};
use sha2::{Digest, Sha256};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Plan #1 (十四五), plan #2 (十五五), observations 2021–2025.
async fn store(dir: &Path) -> Store {
    let url = format!("sqlite://{}", dir.join("final.db").display());
    let store = Store::open(&url).await.unwrap();
    for path in ["samples/qingxi-plan.txt", "samples/qingxi-plan-15.txt"] {
        let bytes = std::fs::read(workspace().join(path)).unwrap();
        let (plan, text) = planwatch_parse::parse_bytes_with_text(&bytes, path).unwrap();
        store
            .ingest_document(&plan, &text, None, "test")
            .await
            .unwrap();
    }
    for file in ["qingxi-actuals.csv", "qingxi-actuals-2024-2025.csv"] {
        let bytes = std::fs::read(workspace().join("samples").join(file)).unwrap();
        let rows = planwatch_parse::actuals::read_actuals(&bytes, file).unwrap();
        let batch = ImportBatch {
            file_name: file.into(),
            sha256: sha(&bytes),
        };
        store
            .import_observations(&batch, &rows, "test")
            .await
            .unwrap();
    }
    store
}

fn report(plan: i64, kind: ReportKind, year: i32) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = store(dir.path()).await;
        let r = build(
            &store,
            plan,
            kind,
            year,
            &Clock::Fixed(jiff::civil::date(2026, 12, 10)),
        )
        .await
        .unwrap();
        store.close().await;
        r
    })
}

#[test]
fn final_report_of_the_fourteenth_plan_on_2025_data() {
    let r = report(1, ReportKind::Final, 2025);
    assert_eq!(r.title, "青溪县“十四五”规划纲要");
    assert_eq!(r.period, (2021, 2025));
    assert_eq!(
        r.summary_sentence,
        "26项主要指标中，已实现15项，基本实现4项，未实现6项，定性评估1项；需预警1项。"
    );
    assert!(
        r.overview[0].starts_with("青溪县“十四五”规划期（2021—2025年）已经结束"),
        "{}",
        r.overview[0]
    );
    // 未实现 indicators are explained one by one.
    let energy = r
        .lagging
        .iter()
        .find(|n| n.heading.starts_with("单位地区生产总值能源消耗降低"))
        .unwrap();
    assert_eq!(
        energy.heading,
        "单位地区生产总值能源消耗降低（约束性，未实现（预警））"
    );
    assert!(
        energy.text.contains("完成目标的84.7%，属于未实现"),
        "{}",
        energy.text
    );
    // Succession findings that cite this plan's lines show on its report.
    let energy_finding = r
        .findings
        .iter()
        .find(|f| f.message
            == "单位地区生产总值能源消耗降低：十五五规划基期值12.6%与十四五实际11.44%不一致（2025年）")
        .unwrap();
    assert!(
        energy_finding.second.contains("qingxi-plan.txt 第179行"),
        "{}",
        energy_finding.second
    );
    // Department figures without a release date say so.
    let undated: Vec<&str> = r
        .sources
        .releases
        .iter()
        .filter(|s| s.date == "未注明")
        .map(|s| s.name.as_str())
        .collect();
    assert!(
        undated.iter().any(|n| n.contains("县卫生健康局报送")),
        "{undated:?}"
    );
    assert!(
        r.sources
            .releases
            .iter()
            .any(|s| s.date == "2026-03-19" && s.name.contains("2025年国民经济和社会发展统计公报")),
    );
    let md = planwatch_report::markdown::render(&r);
    assert!(
        md.starts_with("# 青溪县“十四五”规划纲要实施情况总结评估报告\n"),
        "{md}"
    );
}

#[test]
fn a_report_on_the_fifteenth_plan_uses_its_own_period() {
    let r = report(2, ReportKind::Annual, 2026);
    assert_eq!(r.title, "青溪县“十五五”规划纲要");
    assert_eq!(r.period, (2026, 2030));
    assert!(
        r.overview[0].starts_with("2026年是青溪县“十五五”规划纲要实施的第一年"),
        "{}",
        r.overview[0]
    );
    assert!(
        r.method[0].contains("以2025年为基期、2030年为目标年"),
        "{}",
        r.method[0]
    );
    // The new plan's baselines against the 2025 actuals, both sources named.
    let gdp = r
        .findings
        .iter()
        .find(|f| {
            f.message
                == "地区生产总值：十五五规划基期值402.5亿元与十四五实际398.6亿元不一致（2025年）"
        })
        .unwrap();
    assert!(
        gdp.first.contains("qingxi-plan-15.txt 第56行"),
        "{}",
        gdp.first
    );
    assert!(
        gdp.second.starts_with("sample://qingxi/tjgb-2025"),
        "{}",
        gdp.second
    );
    let md = planwatch_report::markdown::render(&r);
    assert!(!md.contains("2020年为基期"), "{md}");
}
