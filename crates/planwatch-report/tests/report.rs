//! The demo report: the fictional 青溪县 plan, its 2023 work report and actuals
//! ingested into a temporary SQLite store, rendered as Markdown, HTML and DOCX.
//! A few tasks are assigned to departments with progress, as a planning office would,
//! so the department table has content.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use planwatch_report::report::{Clock, Report, ReportKind, build};
use planwatch_store::{ImportBatch, Store, TaskStatus};
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

const DATE: Clock = Clock::Fixed(jiff::civil::date(2024, 3, 15));

/// The demo store: plan #1, work report #2, 57 observations, three tasks assigned.
async fn demo_store(dir: &Path) -> Store {
    let url = format!("sqlite://{}", dir.join("demo.db").display());
    let store = Store::open(&url).await.unwrap();
    for path in [
        "samples/qingxi-plan.txt",
        "samples/qingxi-work-report-2023.txt",
    ] {
        let bytes = std::fs::read(workspace().join(path)).unwrap();
        let (plan, text) = planwatch_parse::parse_bytes_with_text(&bytes, path).unwrap();
        store
            .ingest_document(&plan, &text, None, "test")
            .await
            .unwrap();
    }
    let bytes = std::fs::read(workspace().join("samples/qingxi-actuals.csv")).unwrap();
    let rows = planwatch_parse::actuals::read_actuals(&bytes, "qingxi-actuals.csv").unwrap();
    let batch = ImportBatch {
        file_name: "qingxi-actuals.csv".into(),
        sha256: sha(&bytes),
    };
    store
        .import_observations(&batch, &rows, "test")
        .await
        .unwrap();

    let tasks = store.tasks_of(1, None).await.unwrap();
    let find = |text: &str| tasks.iter().find(|t| t.text == text).unwrap().clone();
    let sci = store
        .create_department(None, "县科学技术局", "test")
        .await
        .unwrap();
    let ind = store
        .create_department(None, "县工业和信息化局", "test")
        .await
        .unwrap();
    for (text, lead, support, status, progress) in [
        (
            "加大研发投入力度",
            sci.id,
            vec![ind.id],
            TaskStatus::Delayed,
            "2023年研发经费投入强度1.68%，低于年度目标1.8%",
        ),
        (
            "实施创新主体倍增行动",
            sci.id,
            vec![],
            TaskStatus::InProgress,
            "新增高新技术企业22家",
        ),
        (
            "正极材料",
            ind.id,
            vec![],
            TaskStatus::Done,
            "扩能项目一期投产",
        ),
    ] {
        let t = find(text);
        let t = store
            .assign_task(t.id, t.version, Some(lead), &support, "test")
            .await
            .unwrap();
        store
            .update_task_progress(t.id, t.version, progress, status, "test")
            .await
            .unwrap();
    }
    store
}

fn demo(kind: ReportKind) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = demo_store(dir.path()).await;
        let r = build(&store, 1, kind, 2023, &DATE).await.unwrap();
        store.close().await;
        r
    })
}

#[test]
fn annual_report_markdown() {
    let r = demo(ReportKind::Annual);
    assert_eq!(
        r.summary_sentence,
        "26项主要指标中，提前实现2项，快于预期2项，基本符合预期6项，滞后3项，严重滞后1项，数据不足11项，定性评估1项；需预警2项。"
    );
    let md = planwatch_report::markdown::render(&r);
    assert!(md.starts_with("# 青溪县“十四五”规划纲要2023年度监测报告\n"));
    insta::assert_snapshot!("annual_md", md);
}

/// Every sentence the report writes uses full-width punctuation (GB/T 15834); only text
/// quoted from the plan, the work report or the data file keeps its ASCII marks.
#[test]
fn generated_chinese_uses_full_width_punctuation() {
    let sources: Vec<String> = [
        "samples/qingxi-plan.txt",
        "samples/qingxi-work-report-2023.txt",
        "samples/qingxi-actuals.csv",
    ]
    .iter()
    .map(|p| std::fs::read_to_string(workspace().join(p)).unwrap())
    .collect();
    let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
    for kind in [ReportKind::Annual, ReportKind::Midterm, ReportKind::Final] {
        let r = demo(kind);
        for (format, text) in [
            ("md", planwatch_report::markdown::render(&r)),
            ("html", planwatch_report::html::render(&r)),
        ] {
            let bad = planwatch_core::wording::punct::ascii_marks_outside_quotes(&text, &sources);
            assert!(bad.is_empty(), "{kind:?} {format}: {bad:?}");
        }
    }
}

/// Text people type reaches the report verbatim: in Markdown, a `<` that would open a
/// tag is escaped, so `<script>` and `<img onerror>` stay text.
#[test]
fn markdown_carries_no_raw_html_from_documents() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let md = rt.block_on(async {
        let store = demo_store(dir.path()).await;
        // A department name and a progress report, as typed into the web app.
        let dep = store
            .create_department(None, "<script>alert(1)</script>县科技局", "test")
            .await
            .unwrap();
        let t = store
            .tasks_of(1, None)
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.text == "加大研发投入力度")
            .unwrap();
        let t = store
            .assign_task(t.id, t.version, Some(dep.id), &[], "test")
            .await
            .unwrap();
        store
            .update_task_progress(
                t.id,
                t.version,
                "<img src=x onerror=alert(1)>滞后",
                TaskStatus::Delayed,
                "test",
            )
            .await
            .unwrap();
        let r = build(&store, 1, ReportKind::Annual, 2023, &DATE)
            .await
            .unwrap();
        store.close().await;
        planwatch_report::markdown::render(&r)
    });
    assert!(
        md.contains("&lt;script>alert(1)&lt;/script>县科技局"),
        "{md}"
    );
    assert!(md.contains("&lt;img src=x onerror=alert(1)>滞后"), "{md}");
    assert!(!md.contains("<script") && !md.contains("<img"), "{md}");
    assert!(md.contains("P<1.05"), "comparisons stay as written");
}

#[test]
fn annual_report_html() {
    let html = planwatch_report::html::render(&demo(ReportKind::Annual));
    assert!(html.starts_with("<!DOCTYPE html>"));
    // The roll-up chart and one chart per lagging indicator with data (4) or other binding indicator with data (1).
    assert_eq!(html.matches("<svg").count(), 6);
    assert!(!html.contains("http-equiv") && !html.contains("<script"));
    insta::assert_snapshot!("annual_html", html);
}

#[test]
fn kinds_change_title_and_framing() {
    let mid = demo(ReportKind::Midterm);
    assert_eq!(mid.subtitle, "实施情况中期评估报告");
    assert_eq!(mid.headings.outlook, "八、后半期推进规划实施的建议");
    assert!(
        mid.overview[0].contains("时间已经过半"),
        "{}",
        mid.overview[0]
    );
    // Severely lagging at mid-term: the death-rate target may need adjusting.
    assert!(
        mid.outlook
            .iter()
            .any(|o| o.contains("研究是否需要调整目标")),
        "{:?}",
        mid.outlook
    );
    let fin = demo(ReportKind::Final);
    assert_eq!(fin.subtitle, "实施情况总结评估报告");
    assert!(
        fin.overview[0].contains("2025年数据尚未全部发布"),
        "{}",
        fin.overview[0]
    );
    insta::assert_snapshot!("midterm_md", planwatch_report::markdown::render(&mid));
}

#[test]
fn docx_is_a_well_formed_word_package() {
    let bytes = planwatch_report::docx::render(&demo(ReportKind::Annual)).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let mut doc = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut doc)
        .unwrap();
    // Every part parses as XML.
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    for name in names
        .iter()
        .filter(|n| n.ends_with(".xml") || n.ends_with(".rels"))
    {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        let mut reader = quick_xml::Reader::from_str(&text);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{name}: {e}"),
            }
        }
    }
    // Tables 1–4 plus three appendix tables.
    assert_eq!(doc.matches("<w:tbl>").count(), 7);
    assert_eq!(doc.matches("<w:pStyle w:val=\"Heading1\"/>").count(), 9);
    // Six charts, each a PNG part with a relationship.
    let pngs = names.iter().filter(|n| n.ends_with(".png")).count();
    assert_eq!(pngs, 6);
    assert!(doc.contains("26项主要指标中，提前实现2项"));
    // Deterministic: the same report gives the same bytes.
    let again = planwatch_report::docx::render(&demo(ReportKind::Annual)).unwrap();
    assert_eq!(bytes, again);
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Convert the DOCX with LibreOffice and read the PDF back with pdftotext.
#[test]
fn docx_converts_to_pdf_with_libreoffice() {
    let Some(office) = ["libreoffice", "soffice"].into_iter().find(|b| {
        Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        println!("skipped: libreoffice not found");
        return;
    };
    if Command::new("pdftotext").arg("-v").output().is_err() {
        println!("skipped: pdftotext not found");
        return;
    }
    let r = demo(ReportKind::Annual);
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("report.docx");
    std::fs::write(&docx, planwatch_report::docx::render(&r).unwrap()).unwrap();
    // A private profile, so parallel runs do not share LibreOffice's lock.
    let profile = format!("-env:UserInstallation=file://{}/lo", dir.path().display());
    let out = Command::new(office)
        .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&docx)
        .output()
        .unwrap();
    let pdf = dir.path().join("report.pdf");
    assert!(
        pdf.exists(),
        "no PDF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = squeeze(&String::from_utf8_lossy(&text.stdout));
    assert!(text.contains(&squeeze(&r.summary_sentence)), "{text}");
    for want in [
        "表1主要指标监测情况",
        "余下年份所需",
        "地区生产总值",
        "基本符合预期",
        "单位地区生产总值能源消耗降低",
        "滞后（预警）",
        "附件：数据来源与评估方法",
    ] {
        assert!(text.contains(want), "missing {want}");
    }
    if let Ok(keep) = std::env::var("PLANWATCH_KEEP_PDF") {
        std::fs::copy(&pdf, keep).unwrap();
    }
}

/// The real 岳阳楼区 plan with its published 2022–2023 figures (needs `../shared`).
#[test]
fn yueyanglou_2023_reads_correctly() {
    let shared = workspace().join("../shared");
    let actuals = shared.join("data/actuals/yueyanglou.csv");
    let Some(plan_path) = std::fs::read_dir(shared.join("seeds")).ok().and_then(|d| {
        d.filter_map(Result::ok).map(|e| e.path()).find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("000_"))
        })
    }) else {
        println!("skipped: ../shared not found");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let r = rt.block_on(async {
        let url = format!("sqlite://{}", dir.path().join("yy.db").display());
        let store = Store::open(&url).await.unwrap();
        let bytes = std::fs::read(&plan_path).unwrap();
        let (plan, text) = planwatch_parse::parse_bytes_with_text(&bytes, "000.txt").unwrap();
        store
            .ingest_document(&plan, &text, None, "test")
            .await
            .unwrap();
        let bytes = std::fs::read(&actuals).unwrap();
        let rows = planwatch_parse::actuals::read_actuals(&bytes, "yueyanglou.csv").unwrap();
        let batch = ImportBatch {
            file_name: "yueyanglou.csv".into(),
            sha256: sha(&bytes),
        };
        store
            .import_observations(&batch, &rows, "test")
            .await
            .unwrap();
        build(&store, 1, ReportKind::Annual, 2023, &DATE)
            .await
            .unwrap()
    });
    assert_eq!(r.title, "岳阳楼区“十四五”规划纲要");
    // GDP 735 → 1130: 2023 needs 735·(1130/735)^0.6 = 951.4, has 804.28, P = 69.28/216.4 = 0.32.
    assert_eq!(
        r.summary_sentence,
        "25项主要指标中，基本符合预期1项，严重滞后1项，数据不足23项；需预警1项。"
    );
    let gdp = &r.lagging[0];
    assert!(gdp.heading.starts_with("地区生产总值"), "{}", gdp.heading);
    for want in [
        "序时进度要求951.4亿元",
        "2022年5.7%、2023年6.1%",
        "735亿元为预计数",
    ] {
        assert!(gdp.text.contains(want), "{want}: {}", gdp.text);
    }
    // The plan's headings were stripped: no chapter breakdown rather than one row per lead sentence.
    assert!(r.tasks.by_chapter.is_empty());
    // The 2020 tax share: plan 87, published 92.
    assert!(
        r.findings
            .iter()
            .any(|f| f.message.contains("规划为87，公布数据为92"))
    );
}
