//! The key-project dispatch table (调度表) of a stored plan: grouped by field with
//! subtotal and total rows, numbers worked out by hand, and the XLSX opened by
//! LibreOffice (converted to CSV and read back).

use std::process::Command;

use jiff::civil::date;
use planwatch_core::projects::ProjectField;
use planwatch_report::dispatch::{RowKind, build_dispatch, dispatch_xlsx};
use planwatch_report::ledger::Cell;
use planwatch_store::{NewProjectReport, NewProjectYear, ProjectDetails, Store};

const PLAN: &str =
    "青溪县国民经济和社会发展第十四个五年规划纲要（2021—2025年）\n第一章 发展基础\n一、经济实力\n";

/// Three projects in 2024, June: A (产业) 6 × 900 = 5400 of 12000 = 45% (正常);
/// B (产业) 6 × 600 = 3600 of 12000 = 30% (严重滞后); C (生态) planned 3000 from
/// April, not started (未开工).
async fn seeded() -> (tempfile::TempDir, Store, i64) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let s = Store::open(&url).await.unwrap();
    let plan = planwatch_parse::parse_str(PLAN, "青溪.txt");
    let doc = s
        .ingest_document(&plan, PLAN, None, "测试")
        .await
        .unwrap()
        .document_id;
    let dep = s.create_department(None, "县工信局", "测试").await.unwrap();
    let add = |name: &str, field: ProjectField, total: f64| ProjectDetails {
        name: name.into(),
        field: Some(field),
        department_id: Some(dep.id),
        period_start: Some(2023),
        period_end: Some(2025),
        total_investment: Some(total),
        ..ProjectDetails::default()
    };
    let mut ids = Vec::new();
    for (name, field, total, planned, start) in [
        (
            "智能装备产业园",
            ProjectField::Industry,
            50000.0,
            12000.0,
            date(2024, 1, 1),
        ),
        (
            "冷链物流中心",
            ProjectField::Industry,
            30000.0,
            12000.0,
            date(2024, 1, 1),
        ),
        (
            "青溪河水环境治理",
            ProjectField::Ecology,
            9000.0,
            3000.0,
            date(2024, 4, 1),
        ),
    ] {
        let p = s
            .add_project(doc, &add(name, field, total), "测试")
            .await
            .unwrap();
        let year = NewProjectYear {
            planned_investment: Some(planned),
            planned_start: Some(start),
            ..NewProjectYear::default()
        };
        s.set_project_year(p.id, 2024, &year, None, "测试")
            .await
            .unwrap();
        ids.push(p.id);
    }
    for (id, amount) in [(ids[0], 900.0), (ids[1], 600.0)] {
        for month in 1..=6 {
            let r = NewProjectReport {
                project_id: id,
                department_id: Some(dep.id),
                year: 2024,
                month,
                investment: amount,
                cumulative: None,
                progress: "施工中".into(),
                started_on: (month == 1).then(|| date(2024, 1, 5)),
                finished_on: None,
                problems: None,
                help_needed: None,
            };
            let sub = s
                .submit_project_report(&r, &[], "测试")
                .await
                .unwrap()
                .submission;
            s.approve_submission(sub.id, sub.version, None, "规划科")
                .await
                .unwrap();
        }
    }
    (dir, s, doc)
}

fn text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Number(n) => n.to_string(),
        Cell::Empty => String::new(),
    }
}

#[tokio::test]
async fn the_dispatch_table_groups_by_field_with_subtotals() {
    let (_dir, s, doc) = seeded().await;
    let d = build_dispatch(&s, doc, 2024, 6).await.unwrap();
    assert!(
        d.title.ends_with("重点项目调度表（2024年6月）"),
        "{}",
        d.title
    );
    let kinds: Vec<&RowKind> = d.rows.iter().map(|(k, _)| k).collect();
    use RowKind::*;
    assert_eq!(
        kinds,
        [
            &Group, &Project, &Project, &Subtotal, &Group, &Project, &Subtotal, &Total
        ]
    );
    let row = |i: usize| d.rows[i].1.iter().map(text).collect::<Vec<_>>();
    assert_eq!(row(0)[1], "一、产业（2个）");
    assert_eq!(row(1)[1], "智能装备产业园");
    assert_eq!(row(1)[11], "正常");
    assert_eq!(row(2)[11], "严重滞后");
    // 产业 subtotal: planned 24000, this period 900 + 600 = 1500, year 5400 + 3600 = 9000,
    // 9000 / 24000 = 37.5%; one project behind.
    assert_eq!(
        row(3)[1..].join("|"),
        "小计（2个）|||||24000|1500|9000|37.5%||滞后1个|"
    );
    assert_eq!(row(4)[1], "二、生态（1个）");
    assert_eq!(row(5)[11], "未开工");
    // 合计: planned 27000, year 9000 → 33.3%.
    assert_eq!(
        row(7)[1..].join("|"),
        "合计（3个）|||||27000|1500|9000|33.3%||滞后1个|"
    );
}

#[tokio::test]
async fn libreoffice_opens_the_dispatch_table() {
    let Some(office) = ["libreoffice", "soffice"].into_iter().find(|b| {
        Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        println!("skipped: libreoffice not found");
        return;
    };
    let (dir, s, doc) = seeded().await;
    let d = build_dispatch(&s, doc, 2024, 6).await.unwrap();
    let xlsx = dir.path().join("调度表.xlsx");
    std::fs::write(&xlsx, dispatch_xlsx(&d).unwrap()).unwrap();
    let profile = format!("-env:UserInstallation=file://{}/lo", dir.path().display());
    let out = Command::new(office)
        .args([
            &profile,
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&xlsx)
        .output()
        .unwrap();
    let csv = std::fs::read_to_string(dir.path().join("调度表.csv"))
        .unwrap_or_else(|_| panic!("no CSV: {}", String::from_utf8_lossy(&out.stderr)));
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].contains("重点项目调度表（2024年6月）"), "{csv}");
    assert!(lines[1].starts_with("序号,项目名称,责任单位"), "{csv}");
    assert!(lines[2].contains("一、产业（2个）"), "{csv}");
    assert!(
        lines[3].starts_with("1,智能装备产业园,县工信局,,2023—2025年,50000,12000,900,5400,45.0%"),
        "{csv}"
    );
    assert!(
        lines[5].contains("小计（2个）,,,,,24000,1500,9000,37.5%"),
        "{csv}"
    );
    assert!(
        lines[9].contains("合计（3个）,,,,,27000,1500,9000,33.3%"),
        "{csv}"
    );
}

#[tokio::test]
async fn the_annual_report_has_a_project_progress_section() {
    use planwatch_report::report::{Clock, ReportKind, build};
    let (_dir, s, doc) = seeded().await;
    let clock = Clock::Fixed(date(2025, 1, 20));
    let r = build(&s, doc, ReportKind::Annual, 2024, &clock)
        .await
        .unwrap();
    let text = planwatch_report::markdown::render(&r);
    assert!(text.contains("重点项目推进情况"), "{text}");
    // December: A 5400 of 12000, B 3600 of 12000, C nothing of 3000 → 9000 of 27000 =
    // 33.3%; A and B are 严重滞后 by year end (45% and 30% against 100%), C 未开工.
    assert!(
        text.contains(
            "纳入调度的重点项目3个，年度计划投资27000万元，全年完成9000万元，完成率33.3%；其中严重滞后2个、未开工1个。"
        ),
        "{text}"
    );
    assert!(text.contains("表5 重点项目推进情况（按领域）"), "{text}");
    assert!(text.contains("青溪河水环境治理（未开工）"), "{text}");
}
