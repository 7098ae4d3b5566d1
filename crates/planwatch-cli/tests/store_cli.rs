//! The database subcommands end to end: ingest, import actuals, export ledger
//! (read back with calamine, converted by LibreOffice where installed), backup and restore.

use std::path::Path;
use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx};
use planwatch_core::plan::{
    Attribute, DocType, HeadingKind, Indicator, ItemSource, OutlineNode, Period, Plan, ValueCell,
};
use planwatch_store::{Store, TaskStatus};

fn planwatch(args: &[&str], db: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planwatch"))
        .args(args)
        .args(["--db", db])
        .env_remove("PLANWATCH_DB")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn db_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("pw.db").display())
}

const PLAN_TEXT: &str =
    "岳阳楼区国民经济和社会发展第十四个五年规划纲要\n第一章 发展基础\n一、经济实力\n";

#[test]
fn ingest_is_idempotent_and_reports_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(docs.join("sub")).unwrap();
    std::fs::write(docs.join("a.txt"), PLAN_TEXT).unwrap();
    std::fs::write(docs.join("sub/b.txt"), format!("{PLAN_TEXT}二、社会事业\n")).unwrap();
    std::fs::write(docs.join("notes.csv"), "not a plan").unwrap();

    let first = planwatch(
        &["ingest", docs.to_str().unwrap(), "--region", "430602"],
        &db,
    );
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains("新入库 2，未变化 0，失败 0"),
        "{}",
        stdout(&first)
    );
    let again = planwatch(&["ingest", docs.to_str().unwrap()], &db);
    assert!(
        stdout(&again).contains("新入库 0，未变化 2，失败 0"),
        "{}",
        stdout(&again)
    );

    let missing = planwatch(&["ingest", "/nonexistent/plan.txt"], &db);
    assert!(!missing.status.success());
    assert!(
        stderr(&missing).contains("/nonexistent/plan.txt"),
        "{}",
        stderr(&missing)
    );

    let docs = block_on(async {
        Store::open(&db)
            .await
            .unwrap()
            .list_documents()
            .await
            .unwrap()
    });
    assert_eq!(docs.len(), 2);
    assert!(docs.iter().all(|d| d.region_id.is_some()));
}

#[test]
fn import_actuals_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let good = dir.path().join("good.csv");
    let text = "地区,年份,指标,数值,单位,类型,来源,备注\n岳阳楼区,2022,地区生产总值,735.2,亿元,水平,http://a,公报\n岳阳楼区,2023,地区生产总值,768.1,亿元,水平,http://b,\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    std::fs::write(&good, &gbk).unwrap();
    let out = planwatch(&["import", "actuals", good.to_str().unwrap()], &db);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("已导入 2 条观测值"),
        "{}",
        stdout(&out)
    );
    let again = planwatch(&["import", "actuals", good.to_str().unwrap()], &db);
    assert!(stdout(&again).contains("已导入过"), "{}", stdout(&again));

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "region,year,indicator,value\n岳阳楼区,2021,GDP,700\n岳阳楼区,2022,GDP,七百\n",
    )
    .unwrap();
    let out = planwatch(&["import", "actuals", bad.to_str().unwrap()], &db);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("bad.csv") && err.contains("第 3 行,列 value(数值)"),
        "{err}"
    );

    let obs = block_on(async {
        Store::open(&db)
            .await
            .unwrap()
            .observations_for("岳阳楼区")
            .await
            .unwrap()
    });
    assert_eq!(obs.len(), 2, "only the good file is stored");
    assert_eq!((obs[0].year, obs[0].value), (2022, 735.2));
    assert_eq!(obs[0].note.as_deref(), Some("公报"));

    // Several files: each is all or nothing on its own; the bad one is named, the good one lands.
    let other = dir.path().join("other.csv");
    std::fs::write(
        &other,
        "region,year,indicator,value
乙区,2023,GDP,1
",
    )
    .unwrap();
    let out = planwatch(
        &[
            "import",
            "actuals",
            bad.to_str().unwrap(),
            other.to_str().unwrap(),
        ],
        &db,
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("bad.csv") && stderr(&out).contains("1 个文件未导入（共 2 个）"),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("other.csv: 已导入 1 条观测值"),
        "{}",
        stdout(&out)
    );
}

/// Write a one-sheet workbook of strings and numbers (numbers parse as f64).
fn write_xlsx(path: &Path, rows: &[&[&str]]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            match v.parse::<f64>() {
                Ok(n) => ws.write_number(r as u32, c as u16, n).unwrap(),
                Err(_) => ws.write_string(r as u32, c as u16, *v).unwrap(),
            };
        }
    }
    book.save(path).unwrap();
}

#[test]
fn import_actuals_from_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let good = dir.path().join("实际值.xlsx");
    write_xlsx(
        &good,
        &[
            &[
                "地区", "年份", "指标", "数值", "单位", "类型", "来源", "备注",
            ],
            &[
                "渌口区",
                "2022",
                "固定资产投资增长",
                "11.7",
                "%",
                "增速",
                "http://a",
                "全市第一",
            ],
            &[
                "渌口区",
                "2021-2025",
                "地区生产总值增长",
                "7",
                "%",
                "growth_rate",
                "",
                "",
            ],
        ],
    );
    let out = planwatch(&["import", "actuals", good.to_str().unwrap()], &db);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("已导入 2 条观测值"),
        "{}",
        stdout(&out)
    );

    let bad = dir.path().join("bad.xlsx");
    write_xlsx(
        &bad,
        &[
            &["region", "year", "indicator", "value", "kind"],
            &["渌口区", "2022", "GDP", "300", "level"],
            &["渌口区", "2023", "GDP", "310", "level"],
            &["渌口区", "二〇二四", "GDP", "320", "level"],
        ],
    );
    let out = planwatch(&["import", "actuals", bad.to_str().unwrap()], &db);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("第 4 行,列 year(年份)"),
        "{}",
        stderr(&out)
    );

    let obs = block_on(async {
        Store::open(&db)
            .await
            .unwrap()
            .observations_for("渌口区")
            .await
            .unwrap()
    });
    assert_eq!(obs.len(), 2, "nothing from the bad workbook");
    let period = obs.iter().find(|o| o.year_from.is_some()).unwrap();
    assert_eq!(
        (period.year_from, period.year, period.value),
        (Some(2021), 2025, 7.0)
    );
    assert_eq!(period.source_url, None);
}

fn cell(year: i32, text: &str, value: f64) -> ValueCell {
    ValueCell {
        year: Some(year),
        text: text.into(),
        value: Some(value),
        comparator: None,
        cumulative: false,
    }
}

/// A stored plan with two indicators, three tasks with departments and progress, and actuals.
fn seed_ledger(db: &str) -> i64 {
    block_on(async {
        let s = Store::open(db).await.unwrap();
        let node = |line, level, kind, number: &str, title: &str| OutlineNode {
            page: None,
            line,
            level,
            kind,
            number: number.into(),
            title: title.into(),
        };
        let plan = Plan {
            region: Some("岳阳楼区".into()),
            doc_type: DocType::PlanOutline,
            period: Some(Period {
                start: 2021,
                end: 2025,
            }),
            outline: vec![
                node(1, 1, HeadingKind::Chapter, "第一章", "产业发展"),
                node(
                    2,
                    2,
                    HeadingKind::Lead,
                    "",
                    "建设新材料产业园(牵头单位:区工信局;配合单位:区商务局)",
                ),
                node(
                    3,
                    2,
                    HeadingKind::Lead,
                    "",
                    "发展现代物流(责任单位:区商务局)",
                ),
                node(4, 2, HeadingKind::Lead, "", "完善城市功能"),
            ],
            indicators: vec![
                Indicator {
                    page: None,
                    parent: None,
                    seq: None,
                    line: 20,
                    source: ItemSource::Table,
                    category: Some("经济发展".into()),
                    name: "地区生产总值".into(),
                    unit: Some("亿元".into()),
                    attribute: Some(Attribute::Expected),
                    baseline: Some(cell(2020, "735", 735.0)),
                    target: Some(cell(2025, "1130", 1130.0)),
                    growth: None,
                },
                Indicator {
                    page: None,
                    parent: None,
                    seq: None,
                    line: 21,
                    source: ItemSource::Table,
                    category: Some("绿色生态".into()),
                    name: "单位GDP能耗降低".into(),
                    unit: Some("%".into()),
                    attribute: Some(Attribute::Binding),
                    baseline: None,
                    target: Some(cell(2025, "[13.5]", 13.5)),
                    growth: None,
                },
            ],
            ..Plan::default()
        };
        let id = s
            .ingest_document(
                &Plan {
                    source: planwatch_core::plan::Source {
                        sha256: format!("{:064x}", 7),
                        ..Default::default()
                    },
                    ..plan
                },
                "",
                None,
                "测试",
            )
            .await
            .unwrap()
            .document_id;
        let t = s.tasks_of(id, None).await.unwrap().remove(0);
        s.update_task_progress(t.id, 1, "一期已开工", TaskStatus::InProgress, "区工信局")
            .await
            .unwrap();
        let rows = planwatch_parse::actuals::read_csv(
            "region,year,indicator,value,unit,kind\n岳阳楼区,2022,地区生产总值,800,亿元,level\n岳阳楼区,2023,地区生产总值,850.5,亿元,level\n".as_bytes(),
        )
        .unwrap();
        let batch = planwatch_store::ImportBatch {
            file_name: "a.csv".into(),
            sha256: format!("{:064x}", 8),
        };
        s.import_observations(&batch, &rows, "测试").await.unwrap();
        id
    })
}

fn sheet(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Vec<Vec<String>> {
    let range = book.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => f.to_string(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn export_ledger_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let id = seed_ledger(&db);
    let out_path = dir.path().join("台账.xlsx");
    let out = planwatch(
        &[
            "export",
            "ledger",
            "--plan",
            &id.to_string(),
            "--out",
            out_path.to_str().unwrap(),
            "--by-department",
        ],
        &db,
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let mut book: Xlsx<_> = calamine::open_workbook(&out_path).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["指标监测表", "任务分解表", "区商务局", "区工信局"]
    );

    let ind = sheet(&mut book, "指标监测表");
    assert_eq!(ind[0][..4], ["序号", "类别", "指标名称", "单位"]);
    assert_eq!(ind.len(), 3);
    // 序号, 类别, 名称, 单位, 属性, 基期年份, 基期值, 目标年份, 目标值, 年均增长, 最新实际值, 实际值年份
    assert_eq!(
        ind[1][..12],
        [
            "1",
            "经济发展",
            "地区生产总值",
            "亿元",
            "预期性",
            "2020",
            "735",
            "2025",
            "1130",
            "",
            "850.5",
            "2023"
        ]
    );
    assert_eq!(ind[2][4], "约束性");
    assert_eq!(ind[2][8], "[13.5]", "the cumulative marker is kept");

    let tasks = sheet(&mut book, "任务分解表");
    assert_eq!(
        tasks[0][..6],
        [
            "序号",
            "任务内容",
            "牵头单位",
            "配合单位",
            "完成时限",
            "进展"
        ]
    );
    assert_eq!(tasks.len(), 4);
    assert_eq!(
        tasks[1][..7],
        [
            "1",
            "建设新材料产业园",
            "区工信局",
            "区商务局",
            "2025年",
            "一期已开工",
            "推进中"
        ]
    );
    assert_eq!(
        tasks[2][1..4],
        ["发展现代物流".to_string(), "区商务局".into(), String::new()]
    );
    let commerce = sheet(&mut book, "区商务局");
    assert_eq!(commerce.len(), 3, "leads one task and supports another");

    // The workbook opens in LibreOffice: convert a sheet to CSV headless.
    let Some(office) = ["libreoffice", "soffice"].into_iter().find(|b| {
        Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        println!("skipped: LibreOffice not installed");
        return;
    };
    let profile = dir.path().join("lo-profile");
    let conv = Command::new(office)
        .args(["--headless", "--norestore"])
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        // Filter options: comma separator, double quotes, UTF-8 (76).
        .args([
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&out_path)
        .output()
        .unwrap();
    assert!(conv.status.success(), "{}", stderr(&conv));
    let csv = std::fs::read(dir.path().join("台账.csv")).unwrap();
    let csv = String::from_utf8_lossy(&csv);
    assert!(
        csv.contains("地区生产总值") && csv.contains("1130"),
        "{csv}"
    );
}

#[test]
fn backup_then_restore_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    seed_ledger(&db);
    let backup = dir.path().join("snap.jsonl");
    let out = planwatch(&["backup", "--out", backup.to_str().unwrap()], &db);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("已备份到"));

    let other = format!("sqlite://{}", dir.path().join("restored.db").display());
    let out = planwatch(&["restore", backup.to_str().unwrap()], &other);
    assert!(out.status.success(), "{}", stderr(&out));
    let again = planwatch(&["restore", backup.to_str().unwrap()], &other);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("不是空库"), "{}", stderr(&again));

    let (a, b) = block_on(async {
        let a = Store::open(&db).await.unwrap();
        let b = Store::open(&other).await.unwrap();
        (
            (
                a.tasks_of(1, None).await.unwrap(),
                a.audit_count().await.unwrap(),
            ),
            (
                b.tasks_of(1, None).await.unwrap(),
                b.audit_count().await.unwrap(),
            ),
        )
    });
    assert_eq!(a, b);
    assert_eq!(b.0[0].progress.as_deref(), Some("一期已开工"));
}

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples");

/// The bundled sample plan and actuals, evaluated from the database. The expected
/// counts are worked out by hand in samples/README.md §6; the correction then swaps the
/// table's income target (36600) for the prose one (38000): req = 25860·(38000/25860)^0.6
/// = 32578, P = (31700 − 25860)/(32578 − 25860) = 0.87, so 基本符合预期 becomes 滞后.
#[test]
fn status_from_stored_data_follows_corrections() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let plan = format!("{SAMPLES}/qingxi-plan.txt");
    let actuals = format!("{SAMPLES}/qingxi-actuals.csv");
    assert!(planwatch(&["ingest", &plan], &db).status.success());
    assert!(
        planwatch(&["import", "actuals", &actuals], &db)
            .status
            .success()
    );

    let before = planwatch(&["status", "--plan", "1", "--year", "2023"], &db);
    assert!(before.status.success(), "{}", stderr(&before));
    let text = stdout(&before);
    assert!(
        text.contains(
            "26项主要指标中，提前实现2项，快于预期2项，基本符合预期6项，滞后3项，严重滞后1项，数据不足11项，定性评估1项；需预警2项。"
        ),
        "{text}"
    );
    assert!(
        text.contains("单位地区生产总值能源消耗降低至2023年累计降低7.1%"),
        "{text}"
    );

    block_on(async {
        let store = Store::open(&db).await.unwrap();
        // Names as written are linked to the catalogue's canonical names at ingest and import.
        let indicators = store.indicators_of(1).await.unwrap();
        let revenue = indicators
            .iter()
            .find(|i| i.name == "地方一般公共预算收入")
            .unwrap();
        assert_eq!(revenue.canonical_name.as_deref(), Some("一般公共预算收入"));
        // The decoded text is kept so pages can show each item's source line.
        let text = store.document_text(1).await.unwrap().unwrap();
        assert_eq!(text.lines().nth(87), Some("地区生产总值(亿元) |"));
        let obs = store.observations_for("青溪县").await.unwrap();
        let energy = obs
            .iter()
            .find(|o| o.indicator == "单位GDP能耗降低")
            .unwrap();
        assert_eq!(
            energy.canonical_name.as_deref(),
            Some("单位地区生产总值能源消耗降低")
        );
        let income = store
            .indicators_of(1)
            .await
            .unwrap()
            .into_iter()
            .find(|i| i.name == "居民人均可支配收入")
            .unwrap();
        let mut fields = serde_json::Map::new();
        fields.insert("target_value".into(), serde_json::json!(38000.0));
        fields.insert("target_text".into(), serde_json::json!("38000"));
        store
            .correct_item(
                planwatch_store::ItemKind::Indicator,
                income.id,
                income.version,
                planwatch_store::CorrectionAction::Edit { fields },
                Some("以正文目标为准"),
                "test",
            )
            .await
            .unwrap();
    });
    let after = planwatch(
        &[
            "status", "--plan", "1", "--year", "2023", "--format", "json",
        ],
        &db,
    );
    let json: serde_json::Value = serde_json::from_slice(&after.stdout).unwrap();
    let income = json["evaluations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["indicator"] == "居民人均可支配收入")
        .unwrap();
    assert_eq!(income["category"], "lagging", "{income}");
    let p = income["figures"]["pace_ratio"].as_f64().unwrap();
    assert!((p - 0.87).abs() < 0.005, "P = {p}");

    let missing = planwatch(&["status", "--plan", "99"], &db);
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("99"), "{}", stderr(&missing));
}

/// The first administrator of a fresh database: argon2id hash stored (never the
/// password), too-short passwords and duplicate names refused with nothing written.
#[test]
fn admin_create_makes_the_first_administrator() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let create = |name: &str, password: &str| {
        Command::new(env!("CARGO_BIN_EXE_planwatch"))
            .args(["admin", "create", name, "--db", &db])
            .env("PLANWATCH_PASSWORD", password)
            .env_remove("PLANWATCH_DB")
            .output()
            .unwrap()
    };
    let short = create("root", "short");
    assert!(!short.status.success());
    assert!(
        stderr(&short).contains("至少需要10个字符"),
        "{}",
        stderr(&short)
    );

    let ok = create("root", "a long enough password");
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(
        stdout(&ok).contains("已创建管理员“root”"),
        "{}",
        stdout(&ok)
    );
    let again = create("root", "another long password");
    assert!(!again.status.success());

    let user = block_on(async {
        Store::open(&db)
            .await
            .unwrap()
            .user_by_username("root")
            .await
            .unwrap()
            .unwrap()
    });
    assert_eq!(user.role, "admin");
    let hash = user.password_hash.unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(planwatch_server::auth::verify_password(
        "a long enough password",
        &hash
    ));
    assert!(!planwatch_server::auth::verify_password(
        "another long password",
        &hash
    ));
}

/// `planwatch report` end to end on the sample data: the same data and date give the
/// same Markdown, the DOCX is a zip package, and a missing plan is a clear error.
#[test]
fn report_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let plan = format!("{SAMPLES}/qingxi-plan.txt");
    let actuals = format!("{SAMPLES}/qingxi-actuals.csv");
    assert!(planwatch(&["ingest", &plan], &db).status.success());
    assert!(
        planwatch(&["import", "actuals", &actuals], &db)
            .status
            .success()
    );
    let report = |out: &Path, extra: &[&str]| {
        let mut args = vec![
            "report",
            "--plan",
            "1",
            "--kind",
            "annual",
            "--year",
            "2023",
            "--date",
            "2024-03-15",
            "--out",
        ];
        args.push(out.to_str().unwrap());
        args.extend_from_slice(extra);
        planwatch(&args, &db)
    };
    let md = dir.path().join("r.md");
    let out = report(&md, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(
        text.starts_with("# 青溪县“十四五”规划纲要2023年度监测报告"),
        "{text}"
    );
    assert!(text.contains("2024年3月15日"), "the fixed date is printed");
    assert!(text.contains(
        "26项主要指标中，提前实现2项，快于预期2项，基本符合预期6项，滞后3项，严重滞后1项，数据不足11项，定性评估1项；需预警2项。"
    ));
    let again = dir.path().join("again.md");
    assert!(report(&again, &[]).status.success());
    assert_eq!(
        std::fs::read(&md).unwrap(),
        std::fs::read(&again).unwrap(),
        "deterministic"
    );

    let docx = dir.path().join("r.docx");
    assert!(report(&docx, &[]).status.success());
    assert!(std::fs::read(&docx).unwrap().starts_with(b"PK\x03\x04"));

    let missing = planwatch(
        &[
            "report",
            "--plan",
            "42",
            "--year",
            "2023",
            "--out",
            dir.path().join("x.md").to_str().unwrap(),
        ],
        &db,
    );
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("42"), "{}", stderr(&missing));
    assert!(
        !dir.path().join("x.md").exists(),
        "nothing written on error"
    );
}

/// Defect 17: a backup holds password and token hashes: readable by its owner only,
/// even when it overwrites a file that was world-readable.
#[cfg(unix)]
#[test]
fn backup_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    seed_ledger(&db);
    let fresh = dir.path().join("fresh.jsonl");
    let old = dir.path().join("old.jsonl");
    std::fs::write(&old, "stale").unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    for path in [&fresh, &old] {
        let out = planwatch(&["backup", "--out", path.to_str().unwrap()], &db);
        assert!(out.status.success(), "{}", stderr(&out));
        let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}: {mode:o}", path.display());
    }
}

fn admin(args: &[&str], db: &str, password: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_planwatch"));
    c.arg("admin")
        .args(args)
        .args(["--db", db])
        .env_remove("PLANWATCH_DB")
        .env("PLANWATCH_ACTOR", "运维");
    match password {
        Some(p) => c.env("PLANWATCH_PASSWORD", p),
        None => c.env_remove("PLANWATCH_PASSWORD"),
    };
    c.output().unwrap()
}

/// Defect 7 from the command line: deactivate, reactivate, set a password, end sessions
/// and tokens, list and remove grants; each audited under the command line's actor, and
/// a deactivated user's session and token stop at once.
#[test]
fn admin_commands_take_access_away() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let hash = |n: u8| format!("{n:02x}").repeat(32);
    let (user_id, grant_id) = block_on(async {
        let s = Store::open(&db).await.unwrap();
        let r = s
            .create_region(
                &planwatch_store::NewRegion {
                    code: "439901".into(),
                    name: "青溪县".into(),
                    ..Default::default()
                },
                "test",
            )
            .await
            .unwrap();
        let u = s
            .create_user("Zhao", "赵", Some("$argon2id$v=19$x"), "viewer", "test")
            .await
            .unwrap();
        let g = s
            .add_grant(u.id, None, Some(r.id), "viewer", "test")
            .await
            .unwrap();
        s.create_session(u.id, &hash(1), &"c".repeat(40), 3600, "web:zhao")
            .await
            .unwrap();
        s.create_api_token(u.id, &hash(2), "脚本", "web:zhao")
            .await
            .unwrap();
        (u.id, g.id)
    });
    let alive = || {
        block_on(async {
            let s = Store::open(&db).await.unwrap();
            (
                s.session_user(&hash(1)).await.unwrap().is_some(),
                s.api_token_user(&hash(2)).await.unwrap().is_some(),
            )
        })
    };
    assert_eq!(alive(), (true, true));

    let out = admin(&["grants", "ZHAO"], &db, None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("#{grant_id} 查看者 地区 青溪县（439901）")),
        "{}",
        stdout(&out)
    );
    let out = admin(&["deactivate", "zhao"], &db, None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(alive(), (false, false), "session and token stop at once");
    let out = admin(&["activate", "zhao"], &db, None);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = admin(&["password", "zhao"], &db, Some("1234567890"));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("常见"), "{}", stderr(&out));
    let out = admin(&["password", "zhao"], &db, Some("zhao-zhao-zhao"));
    assert!(stderr(&out).contains("用户名"), "{}", stderr(&out));
    let out = admin(
        &["password", "zhao"],
        &db,
        Some("青溪县-赵科长-新密码-2026"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = admin(&["revoke", "zhao"], &db, None);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = admin(&["ungrant", &grant_id.to_string()], &db, None);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = admin(&["ungrant", &grant_id.to_string()], &db, None);
    assert!(!out.status.success(), "a grant goes once");
    let out = admin(&["deactivate", "nobody"], &db, None);
    assert!(
        stderr(&out).contains("用户“nobody”不存在"),
        "{}",
        stderr(&out)
    );

    let (actions, grants, user) = block_on(async {
        let s = Store::open(&db).await.unwrap();
        let audit = s.recent_audit(50).await.unwrap();
        let actions: Vec<String> = audit
            .iter()
            .filter(|e| e.actor == "cli:运维")
            .map(|e| format!("{}:{}", e.entity, e.action))
            .rev()
            .collect();
        (
            actions,
            s.grants_of(user_id).await.unwrap(),
            s.user(user_id).await.unwrap(),
        )
    });
    assert_eq!(
        actions,
        [
            "user:deactivate",
            "user:activate",
            "user:set_password",
            "user:revoke_access",
            "grant:delete"
        ]
    );
    assert!(grants.is_empty() && user.active);
    assert!(planwatch_server::auth::verify_password(
        "青溪县-赵科长-新密码-2026",
        user.password_hash.as_deref().unwrap()
    ));
}

/// `admin token` prints a token that opens the API as that user, stores only its hash,
/// is audited, and is refused for a deactivated user or an empty name.
#[test]
fn admin_token_opens_the_api_for_a_script() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    block_on(async {
        let s = Store::open(&db).await.unwrap();
        s.create_user(
            "bureau",
            "统计局接口",
            Some("$argon2id$v=19$x"),
            "viewer",
            "test",
        )
        .await
        .unwrap();
    });
    let out = admin(&["token", "bureau", "--name", "统计局推送"], &db, None);
    assert!(out.status.success(), "{}", stderr(&out));
    let token = stdout(&out).trim().to_string();
    assert_eq!(token.len(), 64, "{token}");
    assert!(stderr(&out).contains("统计局推送"), "{}", stderr(&out));
    let (user, audited) = block_on(async {
        let s = Store::open(&db).await.unwrap();
        let hash = planwatch_server::auth::sha256_hex(token.as_bytes());
        let user = s
            .api_token_user(&hash)
            .await
            .unwrap()
            .map(|(_, u)| u.username);
        (user, s.audit_count().await.unwrap())
    });
    assert_eq!(user.as_deref(), Some("bureau"));
    assert!(audited >= 2, "creating the token is audited");
    let out = admin(
        &[
            "token",
            "bureau",
            "--name",
            "推送",
            "--scope",
            "import",
            "--expires",
            "2999-12-31",
        ],
        &db,
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("读取、导入数据"), "{}", stderr(&out));
    let pushed = stdout(&out).trim().to_string();
    let stored = block_on(async {
        let s = Store::open(&db).await.unwrap();
        let hash = planwatch_server::auth::sha256_hex(pushed.as_bytes());
        s.api_token_user(&hash).await.unwrap().unwrap().0
    });
    assert_eq!(
        stored.scopes,
        [
            planwatch_store::TokenScope::Read,
            planwatch_store::TokenScope::Import
        ]
    );
    // The end of 31 December in Beijing is 15:59:59.999 UTC.
    assert_eq!(
        stored.expires_at.as_deref(),
        Some("2999-12-31T15:59:59.999Z")
    );
    for (args, message) in [
        (["--scope", "write"], "权限“write”无法识别"),
        (["--expires", "2020-01-01"], "有效期必须晚于现在"),
        (["--expires", "31/12/2027"], "不是日期"),
    ] {
        let mut all = vec!["token", "bureau", "--name", "x"];
        all.extend(args);
        let out = admin(&all, &db, None);
        assert!(!out.status.success());
        assert!(stderr(&out).contains(message), "{}", stderr(&out));
    }
    let out = admin(&["token", "bureau", "--name", "  "], &db, None);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("令牌名称不能为空"),
        "{}",
        stderr(&out)
    );
    let out = admin(&["deactivate", "bureau"], &db, None);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = admin(&["token", "bureau", "--name", "再试"], &db, None);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("已停用"), "{}", stderr(&out));
    let out = admin(&["token", "nobody", "--name", "x"], &db, None);
    assert!(
        stderr(&out).contains("用户“nobody”不存在"),
        "{}",
        stderr(&out)
    );
}

/// Defect 1 from the command line: a name two regions share is refused with their
/// codes; `--region CODE` settles it and refuses rows of any other region.
#[test]
fn import_actuals_resolves_regions_by_code() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let (nanjing, fuzhou) = block_on(async {
        let s = Store::open(&db).await.unwrap();
        let mut ids = Vec::new();
        for code in ["320106", "350102"] {
            let r = s
                .create_region(
                    &planwatch_store::NewRegion {
                        code: code.into(),
                        name: "鼓楼区".into(),
                        ..Default::default()
                    },
                    "test",
                )
                .await
                .unwrap();
            ids.push(r.id);
        }
        (ids[0], ids[1])
    });
    let file = dir.path().join("gulou.csv");
    std::fs::write(
        &file,
        "region,year,indicator,value,unit,kind\n鼓楼区,2023,地区生产总值,1.23,亿元,level\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let out = planwatch(&["import", "actuals", path], &db);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("320106、350102") && stderr(&out).contains("第 2 行"),
        "{}",
        stderr(&out)
    );
    let out = planwatch(&["import", "actuals", path, "--region", "350102"], &db);
    assert!(out.status.success(), "{}", stderr(&out));
    let other = dir.path().join("other.csv");
    std::fs::write(
        &other,
        "region,year,indicator,value,unit,kind\n320106,2023,地区生产总值,980,亿元,level\n",
    )
    .unwrap();
    let out = planwatch(
        &[
            "import",
            "actuals",
            other.to_str().unwrap(),
            "--region",
            "350102",
        ],
        &db,
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("不是指定的地区 350102"),
        "{}",
        stderr(&out)
    );
    let (nj, fz) = block_on(async {
        let s = Store::open(&db).await.unwrap();
        (
            s.region_observations(Some(nanjing), None).await.unwrap(),
            s.region_observations(Some(fuzhou), None).await.unwrap(),
        )
    });
    assert!(nj.is_empty());
    assert_eq!(fz.iter().map(|o| o.value).collect::<Vec<_>>(), [1.23]);
}

/// Defect 2 at the command line: `--year` and `--as-of` follow the forms' rules.
#[test]
fn years_and_dates_on_the_command_line_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let plan = root.join("samples/qingxi-plan.txt");
    let actuals = root.join("samples/qingxi-actuals.csv");
    let (plan, actuals) = (plan.to_str().unwrap(), actuals.to_str().unwrap());
    let evaluate = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_planwatch"))
            .args(["evaluate", plan, "--actuals", actuals])
            .args(extra)
            .output()
            .unwrap()
    };
    for (out, part) in [
        (evaluate(&["--year", "3000"]), "1949—2100"),
        (evaluate(&["--year", "2147483647"]), "1949—2100"),
        (evaluate(&["--as-of", "2025-13-45"]), "2025-13-45"),
        (
            planwatch(&["status", "--plan", "1", "--year", "3000"], &db),
            "1949—2100",
        ),
        (
            planwatch(
                &[
                    "report", "--plan", "1", "--kind", "annual", "--year", "3000", "--out", "r.md",
                ],
                &db,
            ),
            "1949—2100",
        ),
    ] {
        assert!(!out.status.success());
        assert!(stderr(&out).contains(part), "{}", stderr(&out));
    }
    let out = evaluate(&["--year", "2023", "--as-of", "2024/12/31"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn import_projects_previews_then_imports_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let plan = dir.path().join("plan.txt");
    std::fs::write(&plan, PLAN_TEXT).unwrap();
    assert!(
        planwatch(&["ingest", plan.to_str().unwrap()], &db)
            .status
            .success()
    );
    let doc = block_on(async {
        Store::open(&db)
            .await
            .unwrap()
            .list_documents()
            .await
            .unwrap()[0]
            .id
    })
    .to_string();
    let header: &[&str] = &[
        "序号",
        "项目名称",
        "建设起止年限",
        "总投资(亿元)",
        "2024年计划投资",
        "责任单位",
    ];
    let bad = dir.path().join("bad.xlsx");
    write_xlsx(
        &bad,
        &[
            header,
            &[
                "1",
                "青溪大道改造工程",
                "2024-2025",
                "0.8",
                "3000",
                "区交通局",
            ],
            &[
                "2",
                "县第二污水处理厂",
                "2025-2024",
                "1.5",
                "5000",
                "区住建局",
            ],
        ],
    );
    let out = planwatch(
        &[
            "import",
            "projects",
            bad.to_str().unwrap(),
            "--document",
            &doc,
            "--year",
            "2024",
        ],
        &db,
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out)
            .contains("工作表“Sheet1”第3行，C列（建设起止年限）：开工年份2025晚于竣工年份2024"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("整个文件未导入"), "{}", stderr(&out));

    let good = dir.path().join("good.xlsx");
    write_xlsx(
        &good,
        &[
            header,
            &[
                "1",
                "青溪大道改造工程",
                "2024-2025",
                "0.8",
                "3000",
                "区交通局",
            ],
            &[
                "2",
                "县第二污水处理厂",
                "2024-2025",
                "1.5",
                "5000",
                "区住建局",
            ],
        ],
    );
    let args = |extra: &[&'static str]| -> Vec<String> {
        let mut v: Vec<String> = [
            "import",
            "projects",
            good.to_str().unwrap(),
            "--document",
            &doc,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let run = |a: Vec<String>| planwatch(&a.iter().map(String::as_str).collect::<Vec<_>>(), &db);
    // The preview shows the mapping (the year column is mapped by hand) and stores nothing.
    let preview = run(args(&["--year", "2024", "--map", "A=", "--preview"]));
    assert!(preview.status.success(), "{}", stderr(&preview));
    let text = stdout(&preview);
    assert!(text.contains("D列 总投资(亿元) → 总投资"), "{text}");
    assert!(text.contains("E列 2024年计划投资 → 年度计划投资"), "{text}");
    assert!(text.contains("第2行 青溪大道改造工程 → 新增项目"), "{text}");
    assert!(
        text.contains("将新建责任单位：区交通局、区住建局"),
        "{text}"
    );
    let count = || {
        block_on(async {
            let s = Store::open(&db).await.unwrap();
            s.projects_of(doc.parse().unwrap()).await.unwrap()
        })
    };
    assert!(count().is_empty());
    let out = run(args(&["--year", "2024"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("新增项目2个，更新已有项目0个，年度计划2条，新建责任单位2个"),
        "{}",
        stdout(&out)
    );
    let projects = count();
    assert_eq!(projects.len(), 2);
    assert_eq!(projects[1].investment_value, Some(15000.0));
    assert_eq!(projects[1].department.as_deref(), Some("区住建局"));
}

#[test]
fn search_finds_source_lines() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let plan = dir.path().join("plan.txt");
    std::fs::write(
        &plan,
        "青溪县国民经济和社会发展第十四个五年规划纲要\n\n第五章　全面推进乡村振兴\n\
         坚持农业农村优先发展，全面推进乡村振兴，建设宜居宜业和美乡村。\n加快5G网络建设。\n\
         表1 主要指标\n指标 | 单位 | 2020年 | 2025年 | 属性\n森林覆盖率 | % | 60 | 64 | 约束性\n\
         森林覆盖率稳步提高。\n",
    )
    .unwrap();
    let out = planwatch(
        &["ingest", plan.to_str().unwrap(), "--region", "439901"],
        &db,
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let out = planwatch(&["search", "乡村振兴"], &db);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("含“乡村振兴”的原文共 2 行，显示前 2 行："),
        "{text}"
    );
    assert!(
        text.contains("第 3 行\n   第五章　全面推进【乡村振兴】"),
        "{text}"
    );

    let out = planwatch(&["search", "5g", "--format", "json", "--type", "plan"], &db);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["total"], 1);
    assert_eq!(json["hits"][0]["line"], 5);
    assert_eq!(json["hits"][0]["region_code"], "439901");
    assert_eq!(
        json["hits"][0]["fragments"][1],
        serde_json::json!({"text": "5G", "hit": true})
    );

    // Only the line the indicator was read from.
    let out = planwatch(&["search", "森林覆盖率", "--format", "json"], &db);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["total"], 2);
    let out = planwatch(
        &[
            "search",
            "森林覆盖率",
            "--indicator",
            "森林覆盖率",
            "--format",
            "json",
        ],
        &db,
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (json["total"].clone(), json["hits"][0]["line"].clone()),
        (1.into(), 8.into())
    );

    // The plan uploaded again: its old version is searched only when asked, and says so.
    let text = std::fs::read_to_string(&plan).unwrap();
    let again = dir.path().join("plan-2.txt");
    std::fs::write(
        &again,
        text.replace("加快5G网络建设", "加快5G网络建设和应用"),
    )
    .unwrap();
    let out = planwatch(
        &["ingest", again.to_str().unwrap(), "--region", "439901"],
        &db,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = planwatch(&["search", "5G"], &db);
    let text = stdout(&out);
    assert!(text.starts_with("含“5G”的原文共 1 行"), "{text}");
    assert!(!text.contains("旧版本"), "{text}");
    let out = planwatch(&["search", "5G", "--all-versions"], &db);
    let text = stdout(&out);
    assert!(text.starts_with("含“5G”的原文共 2 行"), "{text}");
    assert!(text.contains("（文档 1，旧版本）第 5 行"), "{text}");

    let out = planwatch(&["search", "乡村振兴", "--type", "work_report"], &db);
    assert_eq!(stdout(&out), "没有找到含“乡村振兴”的原文行。\n");
    let out = planwatch(&["search", "乡村振兴", "--region", "110000"], &db);
    assert!(stdout(&out).starts_with("没有找到"));

    let out = planwatch(&["search", " "], &db);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("请输入要搜索的词语"),
        "{}",
        stderr(&out)
    );
    let out = planwatch(&["search", "乡村", "--type", "memo"], &db);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("文件类型“memo”无法识别"),
        "{}",
        stderr(&out)
    );
}
