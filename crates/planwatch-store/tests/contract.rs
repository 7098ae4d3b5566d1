//! Contract suite of the store: every store function, on SQLite always and on
//! PostgreSQL when `PLANWATCH_TEST_PG_URL` is set (each test in its own schema).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use planwatch_core::plan::{
    Attribute, BoxItem, BoxSection, DocType, HeadingKind, Indicator, Investment, ItemSource,
    OutlineNode, Period, Plan, Project, ProseTarget, Source, TargetKind, ValueCell,
};
use planwatch_core::quantity::Comparator;
use planwatch_store::{
    Code, CorrectionAction, ImportBatch, ImportOutcome, ImportScope, ItemKind, NewObservation,
    NewRegion, Store, StoreError, TaskStatus,
};
use serde_json::{Value, json};
use sqlx::Connection;

// ---------------------------------------------------------------------------
// Harness

/// One backend under test; keeps the SQLite temp dir alive.
struct Db {
    store: Store,
    url: String,
    name: &'static str,
    _dir: Option<tempfile::TempDir>,
}

/// A fresh PostgreSQL schema named after the test, dropped first if a previous run left it.
async fn pg_url(test: &str) -> Option<String> {
    let base = std::env::var("PLANWATCH_TEST_PG_URL")
        .ok()
        .filter(|s| !s.is_empty())?;
    sqlx::any::install_default_drivers();
    let schema = format!("pwt_{test}");
    let mut conn = sqlx::AnyConnection::connect(&base)
        .await
        .expect("connect to PLANWATCH_TEST_PG_URL");
    let drop = format!("DROP SCHEMA IF EXISTS {schema} CASCADE");
    let create = format!("CREATE SCHEMA {schema}");
    sqlx::raw_sql(sqlx::AssertSqlSafe(drop))
        .execute(&mut conn)
        .await
        .expect("drop schema");
    sqlx::raw_sql(sqlx::AssertSqlSafe(create))
        .execute(&mut conn)
        .await
        .expect("create schema");
    conn.close().await.ok();
    let sep = if base.contains('?') { '&' } else { '?' };
    Some(format!("{base}{sep}options[search_path]={schema}"))
}

async fn sqlite_db() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    Db {
        store: Store::open(&url).await.unwrap(),
        url,
        name: "sqlite",
        _dir: Some(dir),
    }
}

/// Every backend available, each with an empty database.
async fn backends(test: &str) -> Vec<Db> {
    let mut out = vec![sqlite_db().await];
    if let Some(url) = pg_url(test).await {
        out.push(Db {
            store: Store::open(&url).await.unwrap(),
            url,
            name: "postgres",
            _dir: None,
        });
    }
    out
}

/// A second, empty database on the same backend as `db` (for restore).
async fn fresh_like(db: &Db, test: &str) -> Db {
    match db.name {
        "sqlite" => sqlite_db().await,
        _ => {
            let url = pg_url(test).await.unwrap();
            Db {
                store: Store::open(&url).await.unwrap(),
                url,
                name: "postgres",
                _dir: None,
            }
        }
    }
}

fn sha(n: u64) -> String {
    format!("{n:064x}")
}

/// The plan as if read from a file with this hash.
fn hashed(mut plan: Plan, sha256: &str) -> Plan {
    plan.source.sha256 = sha256.to_string();
    plan
}

fn heading(line: usize, level: u8, kind: HeadingKind, number: &str, title: &str) -> OutlineNode {
    OutlineNode {
        page: None,
        line,
        level,
        kind,
        number: number.into(),
        title: title.into(),
    }
}

fn cell(year: i32, text: &str, value: Option<f64>, comparator: Option<Comparator>) -> ValueCell {
    ValueCell {
        year: Some(year),
        text: text.into(),
        value,
        comparator,
        cumulative: text.starts_with('['),
    }
}

fn indicator(line: usize, name: &str, unit: &str, base: f64, target: f64) -> Indicator {
    Indicator {
        page: None,
        parent: None,
        seq: None,
        line,
        source: ItemSource::Table,
        category: Some("经济发展".into()),
        name: name.into(),
        unit: Some(unit.into()),
        attribute: Some(Attribute::Expected),
        baseline: Some(cell(2020, &base.to_string(), Some(base), None)),
        target: Some(cell(
            2025,
            &target.to_string(),
            Some(target),
            Some(Comparator::Eq),
        )),
        growth: None,
    }
}

/// A small county plan outline, hand-built: two chapters, four tasks (one with
/// departments), three indicators, a prose target and a project.
fn sample_plan() -> Plan {
    use HeadingKind::*;
    Plan {
        source: Source {
            pages: None,
            page_starts: Vec::new(),
            path: "seeds/岳阳楼区十四五规划.txt".into(),
            sha256: sha(1),
            encoding: "UTF-8".into(),
            format: "txt".into(),
            lines: 120,
        },
        title: Some("岳阳楼区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要".into()),
        region: Some("岳阳楼区".into()),
        doc_type: DocType::PlanOutline,
        period: Some(Period {
            start: 2021,
            end: 2025,
        }),
        outline: vec![
            heading(10, 1, Chapter, "第一章", "统筹城乡发展"),
            heading(11, 2, Chinese, "一、", "夯实发展基础"),
            heading(30, 1, Chapter, "第二章", "建设现代产业体系"),
            heading(31, 2, Chinese, "一、", "做强先进制造业"),
            heading(32, 3, Lead, "", "推进园区提质扩容。"),
            heading(
                35,
                3,
                Dash,
                "",
                "建设新材料产业园(牵头单位:区工信局;配合单位:区商务局、区财政局)",
            ),
            heading(40, 2, Chinese, "二、", "发展现代服务业"),
            heading(50, 2, Other, "", "专栏1 重大项目"),
        ],
        tables: vec![],
        indicators: vec![
            indicator(20, "地区生产总值", "亿元", 735.0, 1130.0),
            indicator(21, "一般公共预算收入", "亿元", 25.2, 32.0),
            Indicator {
                attribute: Some(Attribute::Binding),
                ..indicator(22, "单位GDP能耗降低", "%", 0.0, 14.0)
            },
        ],
        targets: vec![ProseTarget {
            page: None,
            line: 33,
            text: "到2025年,规模工业增加值年均增长8%左右".into(),
            indicator: "规模工业增加值".into(),
            value: 8.0,
            unit: Some("%".into()),
            year: Some(2025),
            comparator: Some(Comparator::Approx),
            kind: TargetKind::GrowthRate,
        }],
        boxes: vec![BoxSection {
            page: None,
            line: 50,
            title: "专栏1 重大项目".into(),
            items: vec![BoxItem {
                line: 51,
                text: "岳阳新材料产业园项目,总投资12.5亿元".into(),
            }],
        }],
        projects: vec![Project {
            page: None,
            line: 51,
            name: "岳阳新材料产业园项目".into(),
            investment: Some(Investment {
                text: "总投资12.5亿元".into(),
                value: 12.5,
                unit: "亿元".into(),
            }),
        }],
        diagnostics: vec![],
        figures: vec![],
    }
}

fn obs(
    row: usize,
    region: &str,
    year: i64,
    indicator: &str,
    value: f64,
    kind: &str,
) -> NewObservation {
    NewObservation {
        row,
        region: region.into(),
        year,
        indicator: indicator.into(),
        value,
        unit: Some("亿元".into()),
        kind: planwatch_store::DataKind::parse(kind).unwrap(),
        source_url: Some("https://example.org/gongbao".into()),
        ..NewObservation::default()
    }
}

fn batch(n: u64) -> ImportBatch {
    ImportBatch {
        file_name: format!("actuals{n}.csv"),
        sha256: sha(1000 + n),
    }
}

// ---------------------------------------------------------------------------
// Schema and documents

#[tokio::test]
async fn reopening_keeps_data_and_does_not_migrate_twice() {
    for db in backends("reopen").await {
        let out = db
            .store
            .ingest_document(&hashed(sample_plan(), &sha(1)), "", None, "张三")
            .await
            .unwrap();
        db.store.close().await;
        let again = Store::open(&db.url).await.unwrap();
        let docs = again.list_documents().await.unwrap();
        assert_eq!(docs.len(), 1, "{}", db.name);
        assert_eq!(docs[0].id, out.document_id, "{}", db.name);
        assert!(again.size_bytes().await.unwrap() > 0, "{}", db.name);
    }
}

/// A database made before a descriptor gained a column gets the column when it is
/// opened, and its old rows read back (the new column empty or false).
#[tokio::test]
async fn columns_declared_later_are_added_on_open() {
    for db in backends("later_columns").await {
        let id = db
            .store
            .ingest_document(&hashed(sample_plan(), &sha(1)), "", None, "张三")
            .await
            .unwrap()
            .document_id;
        db.store.close().await;
        // As an older schema would have it: without the columns added after 0001.
        let mut conn = sqlx::AnyConnection::connect(&db.url).await.unwrap();
        for col in ["baseline_comparator", "growth_cumulative", "parent"] {
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "ALTER TABLE indicators DROP COLUMN {col}"
            )))
            .execute(&mut conn)
            .await
            .unwrap();
        }
        conn.close().await.unwrap();
        let again = Store::open(&db.url).await.unwrap();
        let inds = again.indicators_of(id).await.unwrap();
        assert_eq!(inds.len(), 3, "{}", db.name);
        assert_eq!(
            (
                inds[0].baseline_comparator,
                inds[0].growth_cumulative,
                inds[0].parent.clone()
            ),
            (None, false, None),
            "{}",
            db.name
        );
        // And new documents fill them.
        let mut plan = hashed(sample_plan(), &sha(2));
        plan.source.path = "另一份.txt".into();
        plan.region = Some("君山区".into());
        plan.indicators[0].parent = Some("经济发展".into());
        let id2 = again
            .ingest_document(&plan, "", None, "张三")
            .await
            .unwrap()
            .document_id;
        let inds = again.indicators_of(id2).await.unwrap();
        assert_eq!(inds[0].parent.as_deref(), Some("经济发展"), "{}", db.name);
    }
}

#[tokio::test]
async fn ingest_is_idempotent_by_hash() {
    for db in backends("idempotent").await {
        let s = &db.store;
        let first = s
            .ingest_document(&hashed(sample_plan(), &sha(1)), "", None, "张三")
            .await
            .unwrap();
        let audit_after_first = s.audit_count().await.unwrap();
        let second = s
            .ingest_document(&hashed(sample_plan(), &sha(1)), "", None, "李四")
            .await
            .unwrap();
        assert!(
            !first.already_present && second.already_present,
            "{}",
            db.name
        );
        assert_eq!(first.document_id, second.document_id, "{}", db.name);
        assert_eq!(s.list_documents().await.unwrap().len(), 1, "{}", db.name);
        assert_eq!(
            s.audit_count().await.unwrap(),
            audit_after_first,
            "{}: nothing changed",
            db.name
        );
        assert!(
            s.ingest_document(&hashed(sample_plan(), "not-a-hash"), "", None, "张三")
                .await
                .is_err()
        );
        assert!(matches!(
            s.ingest_document(&hashed(sample_plan(), &sha(9)), "", None, " ")
                .await,
            Err(StoreError::Invalid(_))
        ));
        assert_eq!(
            s.list_documents().await.unwrap().len(),
            1,
            "{}: blank actor stores nothing",
            db.name
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_ingests_of_one_file_store_it_once() {
    for db in backends("race").await {
        let mut handles = Vec::new();
        for n in 0..6 {
            let s = db.store.clone();
            handles.push(tokio::spawn(async move {
                s.ingest_document(
                    &hashed(sample_plan(), &sha(1)),
                    "",
                    None,
                    &format!("用户{n}"),
                )
                .await
            }));
        }
        let mut fresh = 0;
        let mut ids = std::collections::HashSet::new();
        for h in handles {
            let out = h.await.unwrap().unwrap();
            fresh += usize::from(!out.already_present);
            ids.insert(out.document_id);
        }
        assert_eq!((fresh, ids.len()), (1, 1), "{}", db.name);
        assert_eq!(db.store.list_documents().await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn ingest_stores_every_item() {
    for db in backends("items").await {
        let s = &db.store;
        let out = s
            .ingest_document(&hashed(sample_plan(), &sha(1)), "", Some("430602"), "张三")
            .await
            .unwrap();
        let id = out.document_id;
        let doc = s.get_document(id).await.unwrap();
        assert_eq!(
            doc.plan,
            sample_plan(),
            "{}: parse output round-trips",
            db.name
        );
        assert_eq!(doc.summary.doc_type.code(), "plan_outline");
        assert_eq!(
            (doc.summary.period_start, doc.summary.period_end),
            (Some(2021), Some(2025))
        );
        assert_eq!(doc.summary.lineage, "430602|plan_outline|2021");
        assert_eq!(doc.summary.region_name.as_deref(), Some("岳阳楼区"));
        let region = s.region_by_code("430602").await.unwrap().unwrap();
        assert_eq!(
            (region.name.as_str(), Some(region.id)),
            ("岳阳楼区", doc.summary.region_id)
        );

        let outline = s.outline_of(id).await.unwrap();
        assert_eq!(outline.len(), 8, "{}", db.name);
        assert_eq!(
            (outline[0].kind.code(), outline[0].number.as_str()),
            ("章", "第一章")
        );
        assert_eq!(outline[0].item_key, "heading:第一章统筹城乡发展");

        let inds = s.indicators_of(id).await.unwrap();
        assert_eq!(inds.len(), 3, "{}", db.name);
        assert_eq!(inds[0].name, "地区生产总值");
        assert_eq!(
            (inds[0].baseline_value, inds[0].target_value),
            (Some(735.0), Some(1130.0))
        );
        assert_eq!(
            (inds[0].baseline_year, inds[0].target_year),
            (Some(2020), Some(2025))
        );
        assert_eq!(inds[0].target_comparator.map(Code::code), Some("eq"));
        assert_eq!(inds[2].attribute.map(Code::code), Some("binding"));
        assert_eq!(inds[0].original["name"], json!("地区生产总值"));
        assert!(!inds[0].corrected && !inds[0].rejected);

        let targets = s.targets_of(id).await.unwrap();
        assert_eq!(targets.len(), 1);
        assert_eq!(
            (targets[0].value, targets[0].kind.code()),
            (8.0, "growth_rate")
        );
        assert_eq!(targets[0].comparator.map(Code::code), Some("approx"));

        let projects = s.projects_of(id).await.unwrap();
        assert_eq!(projects.len(), 1);
        assert_eq!(projects[0].investment_value, Some(12.5));
        assert_eq!(
            (projects[0].period_start, projects[0].period_end),
            (Some(2021), Some(2025))
        );

        // Tasks: leaves below chapters: 夯实发展基础, the lead, the dash item, 发展现代服务业.
        let tasks = s.tasks_of(id, None).await.unwrap();
        let texts: Vec<&str> = tasks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "夯实发展基础",
                "推进园区提质扩容。",
                "建设新材料产业园",
                "发展现代服务业"
            ],
            "{}",
            db.name
        );
        let park = &tasks[2];
        assert_eq!(park.lead_department.as_deref(), Some("区工信局"));
        assert_eq!(park.support_departments, ["区商务局", "区财政局"]);
        assert_eq!(park.deadline.as_deref(), Some("2025年"));
        assert_eq!(park.status, TaskStatus::NotStarted);
        assert_eq!(park.chapter.as_deref(), Some("第二章 建设现代产业体系"));

        let deps = s.list_departments(Some(region.id)).await.unwrap();
        assert_eq!(
            deps.len(),
            3,
            "{}: departments named in tasks are registered",
            db.name
        );
        let commerce = deps.iter().find(|d| d.name == "区商务局").unwrap();
        let of_commerce = s.tasks_of(id, Some(commerce.id)).await.unwrap();
        assert_eq!(of_commerce.len(), 1);
        assert_eq!(of_commerce[0].id, park.id);
        assert_eq!(
            s.document_by_sha256(&sha(1)).await.unwrap().map(|d| d.id),
            Some(id)
        );
        assert!(matches!(
            s.get_document(id + 100).await,
            Err(StoreError::NotFound { .. })
        ));
    }
}

/// What the parser knew comes back from the store as it was: sub-indicator parent and
/// 序号, pages, cumulative flags of every cell, the growth column's comparator and role.
#[tokio::test]
async fn the_reviewed_plan_is_the_parse_output_with_corrections() {
    for db in backends("reviewed_plan").await {
        let s = &db.store;
        let mut plan = sample_plan();
        plan.outline[0].page = Some(3);
        plan.indicators[2] = Indicator {
            page: Some(4),
            seq: Some("12".into()),
            parent: Some("主要污染物排放总量降幅".into()),
            baseline: Some(ValueCell::parse("[15.2]", Some(2020))),
            target: Some(ValueCell::parse("[13.5]", Some(2025))),
            growth: Some(planwatch_core::plan::GrowthCell {
                text: "<5.5".into(),
                value: Some(5.5),
                cumulative: false,
                comparator: Some(Comparator::Lt),
                column: Some(planwatch_core::plan::ColumnRole::AnnualOrCumulative),
            }),
            ..plan.indicators[2].clone()
        };
        let id = s
            .ingest_document(&plan, "", None, "张三")
            .await
            .unwrap()
            .document_id;
        let reviewed = s.reviewed_plan(id).await.unwrap();
        assert_eq!(reviewed.indicators, plan.indicators, "{}", db.name);
        assert_eq!(reviewed.outline, plan.outline, "{}", db.name);
        let row = s.indicators_of(id).await.unwrap().remove(2);
        assert_eq!(
            (row.seq.as_deref(), row.parent.as_deref(), row.page),
            (Some("12"), Some("主要污染物排放总量降幅"), Some(4))
        );
        assert!(row.baseline_cumulative && row.target_cumulative && !row.growth_cumulative);
        assert_eq!(row.growth_comparator, Some(Comparator::Lt));
        // A corrected target value reaches the evaluation; the flags stay as parsed.
        s.correct_item(
            ItemKind::Indicator,
            row.id,
            row.version,
            CorrectionAction::Edit {
                fields: json!({"target_value": 14.0, "target_text": "[14]"})
                    .as_object()
                    .unwrap()
                    .clone(),
            },
            None,
            "李四",
        )
        .await
        .unwrap();
        let target = s.reviewed_plan(id).await.unwrap().indicators[2]
            .target
            .clone()
            .unwrap();
        assert_eq!((target.text.as_str(), target.value), ("[14]", Some(14.0)));
        assert!(target.cumulative, "{}", db.name);
    }
}

#[tokio::test]
async fn work_report_targets_become_annual_targets() {
    for db in backends("annual").await {
        let s = &db.store;
        let mut plan = sample_plan();
        plan.doc_type = DocType::WorkReport;
        plan.period = None;
        plan.targets[0].year = Some(2024);
        let r = s
            .create_region(
                &NewRegion {
                    code: "430602".into(),
                    name: "岳阳楼区".into(),
                    ..Default::default()
                },
                "管理员",
            )
            .await
            .unwrap();
        let out = s
            .ingest_document(&hashed(plan, &sha(2)), "", None, "张三")
            .await
            .unwrap();
        let doc = s.get_document(out.document_id).await.unwrap();
        assert_eq!(
            doc.summary.region_id,
            Some(r.id),
            "{}: region found by name",
            db.name
        );
        let annual = s.annual_targets_of(Some(r.id)).await.unwrap();
        assert_eq!(annual.len(), 1, "{}", db.name);
        assert_eq!((annual[0].year, annual[0].value), (2024, 8.0));
        assert_eq!(annual[0].indicator, "规模工业增加值");
    }
}

#[tokio::test]
async fn regions_have_validity_and_successors() {
    for db in backends("regions").await {
        let s = &db.store;
        let new = |code: &str, name: &str, parent: Option<&str>| NewRegion {
            code: code.into(),
            name: name.into(),
            level: Some("county".into()),
            parent_code: parent.map(str::to_string),
            ..Default::default()
        };
        s.create_region(
            &NewRegion {
                level: Some("city".into()),
                ..new("430200", "株洲市", None)
            },
            "管理员",
        )
        .await
        .unwrap();
        let old = s
            .create_region(&new("430221", "株洲县", Some("430200")), "管理员")
            .await
            .unwrap();
        let lukou = s
            .create_region(
                &NewRegion {
                    valid_from: Some("2018-06-19".into()),
                    ..new("430212", "渌口区", Some("430200"))
                },
                "管理员",
            )
            .await
            .unwrap();
        let retired = s
            .retire_region(old.id, old.version, "2018-06-18", Some(lukou.id), "管理员")
            .await
            .unwrap();
        assert_eq!(retired.successor_id, Some(lukou.id), "{}", db.name);
        assert_eq!(retired.valid_to.as_deref(), Some("2018-06-18"));
        assert_eq!(retired.version, 2);
        let stale = s
            .retire_region(old.id, 1, "2019-01-01", None, "管理员")
            .await;
        assert!(
            matches!(
                stale,
                Err(StoreError::Conflict {
                    expected: 1,
                    actual: 2,
                    ..
                })
            ),
            "{stale:?}"
        );
        assert!(
            s.create_region(&new("430299", "某县", Some("999999")), "管理员")
                .await
                .is_err()
        );
        assert!(
            s.create_region(&new("430212", "重复", None), "管理员")
                .await
                .is_err(),
            "code is unique"
        );
        let all = s.list_regions().await.unwrap();
        assert_eq!(all.len(), 3, "{}", db.name);
        assert_eq!(all[1].parent_id, Some(all[0].id));
        let trail = s.audit_for("region", old.id).await.unwrap();
        assert_eq!(
            trail.iter().map(|a| a.action.as_str()).collect::<Vec<_>>(),
            ["insert", "retire"]
        );
        assert_eq!(trail[1].before.as_ref().unwrap()["valid_to"], Value::Null);
        assert_eq!(
            trail[1].after.as_ref().unwrap()["valid_to"],
            json!("2018-06-18")
        );
    }
}

#[tokio::test]
async fn users_and_grants() {
    for db in backends("users").await {
        let s = &db.store;
        let dep = s
            .create_department(None, "区发改局", "管理员")
            .await
            .unwrap();
        let again = s
            .create_department(None, "区发改局", "管理员")
            .await
            .unwrap();
        assert_eq!(
            dep.id, again.id,
            "{}: department names are unique per region",
            db.name
        );
        let u = s
            .create_user(
                "wang",
                "王科长",
                Some("$argon2id$v=19$x"),
                "planner",
                "管理员",
            )
            .await
            .unwrap();
        assert!(u.active);
        assert_eq!(s.user_by_username("wang").await.unwrap().unwrap().id, u.id);
        assert!(
            s.create_user("wang", "重复", None, "viewer", "管理员")
                .await
                .is_err()
        );
        let g = s
            .add_grant(u.id, Some(dep.id), None, "editor", "管理员")
            .await
            .unwrap();
        assert_eq!(s.grants_of(u.id).await.unwrap(), vec![g]);
        s.set_password_hash(u.id, 1, "$argon2id$v=19$y", None, "wang")
            .await
            .unwrap();
        assert!(matches!(
            s.set_password_hash(u.id, 1, "$argon2id$v=19$z", None, "wang")
                .await,
            Err(StoreError::Conflict { .. })
        ));
        let trail = s.audit_for("user", u.id).await.unwrap();
        assert_eq!(trail.len(), 2);
        let text = serde_json::to_string(&trail).unwrap();
        assert!(
            !text.contains("argon2id"),
            "{}: hashes stay out of the audit log",
            db.name
        );
    }
}

// ---------------------------------------------------------------------------
// Tasks and optimistic locking

#[tokio::test]
async fn task_updates_carry_versions() {
    for db in backends("task_versions").await {
        let s = &db.store;
        let id = s
            .ingest_document(&hashed(sample_plan(), &sha(1)), "", None, "张三")
            .await
            .unwrap()
            .document_id;
        let task = s.tasks_of(id, None).await.unwrap().remove(1);
        assert_eq!(task.version, 1);
        let updated = s
            .update_task_progress(
                task.id,
                1,
                "已完成园区规划修编",
                TaskStatus::InProgress,
                "李四",
            )
            .await
            .unwrap();
        assert_eq!(
            (updated.version, updated.status),
            (2, TaskStatus::InProgress),
            "{}",
            db.name
        );
        assert_eq!(updated.updated_by.as_deref(), Some("李四"));
        let stale = s
            .update_task_progress(task.id, 1, "覆盖", TaskStatus::Done, "王五")
            .await;
        assert!(
            matches!(
                stale,
                Err(StoreError::Conflict {
                    entity: "task",
                    expected: 1,
                    actual: 2,
                    ..
                })
            ),
            "{}: {stale:?}",
            db.name
        );
        assert_eq!(
            s.task(task.id).await.unwrap().progress.as_deref(),
            Some("已完成园区规划修编")
        );
        assert!(matches!(
            s.update_task_progress(999_999, 1, "x", TaskStatus::Done, "王五")
                .await,
            Err(StoreError::NotFound { .. })
        ));

        let a = s
            .create_department(None, "区发改局", "管理员")
            .await
            .unwrap();
        let b = s
            .create_department(None, "区统计局", "管理员")
            .await
            .unwrap();
        let assigned = s
            .assign_task(task.id, 2, Some(a.id), &[b.id, a.id], "张三")
            .await
            .unwrap();
        assert_eq!(assigned.lead_department.as_deref(), Some("区发改局"));
        assert_eq!(
            assigned.support_departments,
            ["区统计局"],
            "{}: lead is not also support",
            db.name
        );
        assert_eq!(assigned.version, 3);
        assert_eq!(s.tasks_of(id, Some(b.id)).await.unwrap().len(), 1);

        let trail = s.audit_for("task", task.id).await.unwrap();
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            ["progress", "assign"],
            "{}: failed updates leave no audit row",
            db.name
        );
        assert_eq!(trail[0].actor, "李四");
        assert_eq!(trail[0].before.as_ref().unwrap()["progress"], Value::Null);
        assert_eq!(
            trail[0].after.as_ref().unwrap()["progress"],
            json!("已完成园区规划修编")
        );
        assert_eq!(
            trail[0].after.as_ref().unwrap()["status"],
            json!("in_progress")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_lose_nothing() {
    for db in backends("concurrent").await {
        let s = db.store.clone();
        let id = s
            .ingest_document(&hashed(sample_plan(), &sha(1)), "", None, "张三")
            .await
            .unwrap()
            .document_id;
        let tasks = s.tasks_of(id, None).await.unwrap();
        let audit_before = s.audit_count().await.unwrap();

        // Every task updated 6 times by its own writer, all writers at once.
        const ROUNDS: i64 = 6;
        let mut handles = Vec::new();
        for t in &tasks {
            for writer in 0..2 {
                let s = s.clone();
                let task_id = t.id;
                handles.push(tokio::spawn(async move {
                    let mut done = 0;
                    while done < ROUNDS / 2 {
                        let current = s.task(task_id).await.unwrap();
                        let note = format!("writer{writer} round{done}");
                        match s
                            .update_task_progress(
                                task_id,
                                current.version,
                                &note,
                                TaskStatus::InProgress,
                                "并发",
                            )
                            .await
                        {
                            Ok(_) => done += 1,
                            Err(StoreError::Conflict { .. }) => {} // re-read and retry
                            Err(e) => panic!("{e}"),
                        }
                    }
                }));
            }
        }
        for h in handles {
            h.await.unwrap();
        }
        for t in &tasks {
            let now = s.task(t.id).await.unwrap();
            assert_eq!(
                now.version,
                1 + ROUNDS,
                "{}: every update counted once",
                db.name
            );
            assert_eq!(
                s.audit_for("task", t.id).await.unwrap().len() as i64,
                ROUNDS
            );
        }
        assert_eq!(
            s.audit_count().await.unwrap() - audit_before,
            ROUNDS * tasks.len() as i64
        );

        // Ten writers who all read version 7 of the same task: exactly one wins.
        let target = tasks[0].id;
        let mut handles = Vec::new();
        for w in 0..10 {
            let s = s.clone();
            handles.push(tokio::spawn(async move {
                s.update_task_progress(
                    target,
                    1 + ROUNDS,
                    &format!("抢写{w}"),
                    TaskStatus::Done,
                    "并发",
                )
                .await
            }));
        }
        let mut ok = 0;
        let mut conflicts = 0;
        for h in handles {
            match h.await.unwrap() {
                Ok(_) => ok += 1,
                Err(StoreError::Conflict { .. }) => conflicts += 1,
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!((ok, conflicts), (1, 9), "{}", db.name);
        assert_eq!(s.task(target).await.unwrap().version, 2 + ROUNDS);
    }
}

#[tokio::test]
async fn indicators_and_projects_are_assigned_with_versions() {
    for db in backends("assign_items").await {
        let s = &db.store;
        let id = s
            .ingest_document(&hashed(sample_plan(), &sha(1)), "", None, "张三")
            .await
            .unwrap()
            .document_id;
        let dep = s
            .create_department(None, "区统计局", "管理员")
            .await
            .unwrap();
        let ind = s.indicators_of(id).await.unwrap().remove(0);
        let a = s
            .assign_indicator(ind.id, 1, Some(dep.id), "张三")
            .await
            .unwrap();
        assert_eq!(
            (a.department_id, a.version),
            (Some(dep.id), 2),
            "{}",
            db.name
        );
        let stale = s.assign_indicator(ind.id, 1, None, "李四").await;
        assert!(
            matches!(
                stale,
                Err(StoreError::Conflict {
                    expected: 1,
                    actual: 2,
                    ..
                })
            ),
            "{stale:?}"
        );
        let p = s.projects_of(id).await.unwrap().remove(0);
        let started = s
            .update_project_status(p.id, 1, "started", "张三")
            .await
            .unwrap();
        assert_eq!((started.status.as_str(), started.version), ("started", 2));
        assert!(matches!(
            s.update_project_status(p.id, 1, "done", "张三").await,
            Err(StoreError::Conflict { .. })
        ));
        assert!(matches!(
            s.update_project_status(9999, 1, "done", "张三").await,
            Err(StoreError::NotFound { .. })
        ));
        let trail = s.audit_for("project", p.id).await.unwrap();
        assert_eq!(trail.len(), 1);
        assert_eq!(
            trail[0].before.as_ref().unwrap()["status"],
            json!("planned")
        );
        assert_eq!(
            s.audit_for("indicator", ind.id).await.unwrap()[0]
                .after
                .as_ref()
                .unwrap()["department_id"],
            json!(dep.id)
        );
    }
}

// ---------------------------------------------------------------------------
// Observations

#[tokio::test]
async fn imports_are_all_or_nothing_and_idempotent() {
    for db in backends("imports").await {
        let s = &db.store;
        let r = s
            .create_region(
                &NewRegion {
                    code: "430602".into(),
                    name: "岳阳楼区".into(),
                    ..Default::default()
                },
                "管理员",
            )
            .await
            .unwrap();
        let rows = vec![
            obs(2, "岳阳楼区", 2020, "地区生产总值", 735.0, "level"),
            obs(3, "430602", 2021, "地区生产总值", 800.5, "level"),
            NewObservation {
                year_from: Some(2021),
                ..obs(4, "岳阳楼区", 2025, "GDP增速", 6.5, "growth_rate")
            },
            obs(5, "君山区", 2022, "地区生产总值", 300.0, "level"),
        ];
        let out = s
            .import_observations(&batch(1), &rows, "统计员")
            .await
            .unwrap();
        assert!(
            matches!(out, ImportOutcome::Imported { rows: 4, .. }),
            "{}",
            db.name
        );
        let again = s
            .import_observations(&batch(1), &rows, "统计员")
            .await
            .unwrap();
        assert!(
            matches!(again, ImportOutcome::AlreadyImported { .. }),
            "{}",
            db.name
        );
        assert_eq!(s.observation_count().await.unwrap(), 4);

        let mine = s.observations_for("430602").await.unwrap();
        assert_eq!(
            mine.len(),
            3,
            "{}: by code, including the row given by name",
            db.name
        );
        assert!(mine.iter().all(|o| o.region_id == Some(r.id)));
        assert_eq!(s.observations_for("岳阳楼区").await.unwrap().len(), 3);
        let growth = mine
            .iter()
            .find(|o| o.kind.code() == "growth_rate")
            .unwrap();
        assert_eq!(
            (growth.year_from, growth.year, growth.value),
            (Some(2021), 2025, 6.5)
        );
        assert_eq!(growth.source, "导入：actuals1.csv");
        assert_eq!(
            growth.vintage, "",
            "a row without a release date keeps it empty, not the import date"
        );
        let other = s.observations_for("君山区").await.unwrap();
        assert_eq!((other.len(), other[0].region_id), (1, None));

        // One bad row rejects the file: the message names the row, nothing is stored.
        let mut bad = rows.clone();
        bad[2].year = 20222;
        let err = s
            .import_observations(&batch(2), &bad, "统计员")
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("第 4 行") && err.contains("year"), "{err}");
        // A failure after rows were inserted (the audit row refuses a blank actor) rolls back.
        let failed = s.import_observations(&batch(3), &rows, "").await;
        assert!(failed.is_err(), "{}", db.name);
        assert_eq!(
            s.observation_count().await.unwrap(),
            4,
            "{}: nothing from failed imports",
            db.name
        );
        // The failed file can be imported later: its import row was rolled back too.
        let later = s
            .import_observations(&batch(3), &rows, "统计员")
            .await
            .unwrap();
        assert!(matches!(later, ImportOutcome::Imported { rows: 4, .. }));
        assert_eq!(s.observation_count().await.unwrap(), 8);
    }
}

#[tokio::test]
async fn import_reports_progress() {
    for db in backends("progress").await {
        let rows: Vec<NewObservation> = (0..1200)
            .map(|i| {
                // One figure per row: a file repeating a figure is refused.
                obs(
                    i + 2,
                    "岳阳楼区",
                    2000 + (i % 25) as i64,
                    &format!("指标{}", i / 25),
                    i as f64,
                    "level",
                )
            })
            .collect();
        let mut seen = Vec::new();
        let out = db
            .store
            .import_observations_with_progress(&batch(1), &rows, "统计员", &mut |n| seen.push(n))
            .await
            .unwrap();
        assert_eq!(
            out,
            ImportOutcome::Imported {
                import_id: 1,
                rows: 1200
            },
            "{}",
            db.name
        );
        assert_eq!(seen, [500, 1000, 1200], "{}", db.name);
    }
}

// ---------------------------------------------------------------------------
// Corrections

fn edit(fields: Value) -> CorrectionAction {
    let Value::Object(fields) = fields else {
        unreachable!("object")
    };
    CorrectionAction::Edit { fields }
}

#[tokio::test]
async fn corrections_apply_now_and_survive_reingest() {
    for db in backends("corrections").await {
        let s = &db.store;
        let id = s
            .ingest_document(&hashed(sample_plan(), &sha(1)), "", None, "张三")
            .await
            .unwrap()
            .document_id;
        let inds = s.indicators_of(id).await.unwrap();

        // Rename an indicator and link it to the catalogue.
        let out = s
            .correct_item(
                ItemKind::Indicator,
                inds[1].id,
                1,
                edit(
                    json!({"name": "一般公共预算收入(地方)", "canonical_name": "一般公共预算收入"}),
                ),
                Some("与统计口径一致"),
                "审核员",
            )
            .await
            .unwrap();
        assert_eq!(
            out.item["name"],
            json!("一般公共预算收入(地方)"),
            "{}",
            db.name
        );
        assert_eq!(out.correction.expect["name"], json!("一般公共预算收入"));
        // Change a target value.
        s.correct_item(
            ItemKind::Indicator,
            inds[0].id,
            1,
            edit(json!({"target_value": 1150})),
            None,
            "审核员",
        )
        .await
        .unwrap();
        // A stale version is refused.
        let stale = s
            .correct_item(
                ItemKind::Indicator,
                inds[0].id,
                1,
                edit(json!({"unit": "万元"})),
                None,
                "审核员",
            )
            .await;
        assert!(
            matches!(stale, Err(StoreError::Conflict { .. })),
            "{}: {stale:?}",
            db.name
        );
        // Bad fields are refused and store nothing.
        assert!(
            s.correct_item(
                ItemKind::Indicator,
                inds[0].id,
                2,
                edit(json!({"version": 9})),
                None,
                "审核员"
            )
            .await
            .is_err()
        );
        // Mark a heading wrong.
        let outline = s.outline_of(id).await.unwrap();
        s.correct_item(
            ItemKind::Heading,
            outline[7].id,
            1,
            CorrectionAction::Reject,
            Some("专栏不是标题"),
            "审核员",
        )
        .await
        .unwrap();
        // Split a task and merge two.
        let tasks = s.tasks_of(id, None).await.unwrap();
        s.correct_item(
            ItemKind::Task,
            tasks[2].id,
            1,
            CorrectionAction::Split {
                parts: vec!["建设新材料产业园一期".into(), "建设新材料产业园二期".into()],
            },
            None,
            "审核员",
        )
        .await
        .unwrap();
        s.correct_item(
            ItemKind::Task,
            tasks[0].id,
            1,
            CorrectionAction::Merge {
                others: vec![tasks[3].item_key.clone()],
                text: Some("夯实发展基础,发展现代服务业".into()),
            },
            None,
            "审核员",
        )
        .await
        .unwrap();
        assert!(
            s.correct_item(
                ItemKind::Task,
                tasks[1].id,
                1,
                CorrectionAction::Split {
                    parts: vec!["一".into()]
                },
                None,
                "审核员"
            )
            .await
            .is_err(),
            "a split needs two parts"
        );

        let inds = s.indicators_of(id).await.unwrap();
        assert_eq!(inds[0].target_value, Some(1150.0), "{}", db.name);
        assert_eq!(
            inds[0].original["target"]["value"],
            json!(1130.0),
            "{}: original kept",
            db.name
        );
        assert!(inds[0].corrected && inds[0].version == 2);
        assert_eq!(inds[1].canonical_name.as_deref(), Some("一般公共预算收入"));
        assert!(s.outline_of(id).await.unwrap()[7].rejected);
        let tasks = s.tasks_of(id, None).await.unwrap();
        let live: Vec<&str> = tasks
            .iter()
            .filter(|t| !t.rejected)
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(
            live,
            [
                "夯实发展基础,发展现代服务业",
                "推进园区提质扩容。",
                "建设新材料产业园一期",
                "建设新材料产业园二期"
            ],
            "{}",
            db.name
        );
        let parts: Vec<_> = tasks.iter().filter(|t| t.origin == "correction").collect();
        assert_eq!(
            parts[0].lead_department.as_deref(),
            Some("区工信局"),
            "parts keep departments"
        );
        assert_eq!(parts[0].support_departments.len(), 2);
        assert_eq!(
            tasks
                .iter()
                .find(|t| t.text == "发展现代服务业")
                .unwrap()
                .merged_into,
            Some(tasks[0].id)
        );

        // Progress on a task carries over to the re-ingested document.
        let lead = tasks
            .iter()
            .find(|t| t.text == "推进园区提质扩容。")
            .unwrap();
        s.update_task_progress(
            lead.id,
            lead.version,
            "完成30%",
            TaskStatus::InProgress,
            "区工信局",
        )
        .await
        .unwrap();

        // The revised document: GDP target now 1200 in the text, 一般公共预算收入 unchanged,
        // the 专栏 heading still there, tasks unchanged, a new line inserted at the top.
        let mut revised = sample_plan();
        for n in &mut revised.outline {
            n.line += 3;
        }
        revised.indicators[0].target = Some(cell(2025, "1200", Some(1200.0), Some(Comparator::Eq)));
        let out = s
            .ingest_document(&hashed(revised, &sha(2)), "", None, "张三")
            .await
            .unwrap();
        assert_eq!(out.supersedes, Some(id), "{}", db.name);
        let applied: Vec<_> = out
            .corrections
            .iter()
            .filter(|c| c.applied)
            .map(|c| c.item_kind)
            .collect();
        assert_eq!(
            applied,
            [
                ItemKind::Indicator,
                ItemKind::Heading,
                ItemKind::Task,
                ItemKind::Task
            ],
            "{}: {:?}",
            db.name,
            out.corrections
        );
        let missed: Vec<_> = out.not_applied().collect();
        assert_eq!(missed.len(), 1, "{}", db.name);
        assert_eq!(missed[0].item_key, "indicator:地区生产总值");
        assert!(
            missed[0].message.contains("原文已变化"),
            "{}",
            missed[0].message
        );

        let new_id = out.document_id;
        let inds = s.indicators_of(new_id).await.unwrap();
        assert_eq!(
            inds[0].target_value,
            Some(1200.0),
            "{}: the new text wins over a stale fix",
            db.name
        );
        assert_eq!(inds[1].name, "一般公共预算收入(地方)");
        assert!(s.outline_of(new_id).await.unwrap()[7].rejected);
        let tasks = s.tasks_of(new_id, None).await.unwrap();
        let live: Vec<&str> = tasks
            .iter()
            .filter(|t| !t.rejected)
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(live.len(), 4, "{}: {live:?}", db.name);
        let lead = tasks
            .iter()
            .find(|t| t.text == "推进园区提质扩容。")
            .unwrap();
        assert_eq!(
            lead.progress.as_deref(),
            Some("完成30%"),
            "{}: progress carried over",
            db.name
        );

        let listed = s.corrections_for(new_id).await.unwrap();
        assert_eq!(listed.len(), 5);
        assert_eq!(
            listed
                .iter()
                .filter(|(_, r)| r.as_ref().is_some_and(|r| !r.applied))
                .count(),
            1
        );
        // The old document still shows its own corrected state.
        assert_eq!(
            s.indicators_of(id).await.unwrap()[0].target_value,
            Some(1150.0)
        );
    }
}

// ---------------------------------------------------------------------------
// Audit

#[tokio::test]
async fn every_change_has_an_audit_row() {
    for db in backends("audit").await {
        let s = &db.store;
        let mut expected = 0;
        let check = |n: i64, what: &str| {
            let what = what.to_string();
            async move {
                assert_eq!(
                    s.audit_count().await.unwrap(),
                    n,
                    "{}: after {what}",
                    db.name
                );
            }
        };
        // Ingest: one row for the document, one per department it registers (3), one for the region.
        let id = s
            .ingest_document(&hashed(sample_plan(), &sha(1)), "", Some("430602"), "张三")
            .await
            .unwrap()
            .document_id;
        expected += 1 + 3 + 1;
        check(expected, "ingest").await;
        let t = s.tasks_of(id, None).await.unwrap().remove(0);
        s.update_task_progress(t.id, 1, "进展", TaskStatus::Done, "李四")
            .await
            .unwrap();
        expected += 1;
        check(expected, "progress").await;
        s.assign_task(t.id, 2, None, &[], "李四").await.unwrap();
        expected += 1;
        check(expected, "assign").await;
        s.import_observations(
            &batch(1),
            &[obs(2, "岳阳楼区", 2021, "GDP", 1.0, "level")],
            "王五",
        )
        .await
        .unwrap();
        expected += 1;
        check(expected, "import").await;
        let ind = s.indicators_of(id).await.unwrap().remove(0);
        s.correct_item(
            ItemKind::Indicator,
            ind.id,
            1,
            edit(json!({"unit": "万元"})),
            None,
            "审核员",
        )
        .await
        .unwrap();
        expected += 2; // the correction and the item it changed
        check(expected, "correction").await;
        s.create_department(None, "区财政局", "管理员")
            .await
            .unwrap();
        expected += 1;
        check(expected, "department").await;
        let u = s
            .create_user("li", "李", None, "viewer", "管理员")
            .await
            .unwrap();
        let region = s.region_by_code("430602").await.unwrap().unwrap();
        s.add_grant(u.id, None, Some(region.id), "viewer", "管理员")
            .await
            .unwrap();
        expected += 2;
        check(expected, "user and grant").await;
        // Refused changes write nothing.
        let _ = s
            .update_task_progress(t.id, 1, "旧版本", TaskStatus::Done, "李四")
            .await;
        check(expected, "conflict").await;

        let trail = s.audit_for("indicator", ind.id).await.unwrap();
        assert_eq!(trail.len(), 1);
        assert_eq!(trail[0].action, "apply_correction");
        assert_eq!(trail[0].before.as_ref().unwrap()["unit"], json!("亿元"));
        assert_eq!(trail[0].after.as_ref().unwrap()["unit"], json!("万元"));
        let recent = s.recent_audit(3).await.unwrap();
        assert_eq!(recent[0].entity, "grant", "{}", db.name);
        assert!(recent[0].at.ends_with('Z') && recent[0].at.len() == 24);
    }
}

// ---------------------------------------------------------------------------
// Backup and restore

async fn populate(s: &Store) {
    let r = s
        .create_region(
            &NewRegion {
                code: "430221".into(),
                name: "株洲县".into(),
                ..Default::default()
            },
            "管理员",
        )
        .await
        .unwrap();
    let lukou = s
        .create_region(
            &NewRegion {
                code: "430212".into(),
                name: "渌口区".into(),
                ..Default::default()
            },
            "管理员",
        )
        .await
        .unwrap();
    s.retire_region(r.id, 1, "2018-06-18", Some(lukou.id), "管理员")
        .await
        .unwrap();
    let id = s
        .ingest_document(&hashed(sample_plan(), &sha(1)), "", Some("430602"), "张三")
        .await
        .unwrap()
        .document_id;
    let tasks = s.tasks_of(id, None).await.unwrap();
    s.update_task_progress(tasks[1].id, 1, "推进中", TaskStatus::InProgress, "李四")
        .await
        .unwrap();
    s.correct_item(
        ItemKind::Task,
        tasks[0].id,
        1,
        CorrectionAction::Merge {
            others: vec![tasks[3].item_key.clone()],
            text: None,
        },
        None,
        "审核员",
    )
    .await
    .unwrap();
    s.import_observations(
        &batch(1),
        &[obs(2, "430602", 2021, "GDP", 800.25, "level")],
        "王五",
    )
    .await
    .unwrap();
    s.create_user("wang", "王", Some("$argon2id$hash"), "planner", "管理员")
        .await
        .unwrap();
}

/// A backup without its header line (which carries the time it was made).
fn dump_body(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn restore_of_backup_round_trips() {
    for db in backends("backup").await {
        populate(&db.store).await;
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("one.jsonl");
        let summary = db.store.backup(&first).await.unwrap();
        assert!(summary.total_rows() > 30, "{}: {summary:?}", db.name);

        let target = fresh_like(&db, "backup_target").await;
        let restored = target.store.restore(&first).await.unwrap();
        assert_eq!(restored.total_rows(), summary.total_rows(), "{}", db.name);
        let second = dir.path().join("two.jsonl");
        target.store.backup(&second).await.unwrap();
        assert_eq!(
            dump_body(&first),
            dump_body(&second),
            "{}: restore(backup) is identity",
            db.name
        );

        // The restored database keeps working: ids continue after the restored ones.
        let more = target
            .store
            .create_department(None, "新部门", "管理员")
            .await
            .unwrap();
        let max_before = target
            .store
            .list_departments(None)
            .await
            .unwrap()
            .iter()
            .map(|d| d.id)
            .max();
        assert_eq!(Some(more.id), max_before);
        assert!(more.id > 3, "{}: id {} after restore", db.name, more.id);
        // Restore refuses a database that has data.
        assert!(matches!(
            target.store.restore(&first).await,
            Err(StoreError::NotEmpty(_))
        ));
        // A damaged file names its line and leaves the empty database empty.
        let broken = dir.path().join("broken.jsonl");
        let mut text = std::fs::read_to_string(&first).unwrap();
        text.push_str("{\"table\": \"nope\", \"row\": {}}\n");
        std::fs::write(&broken, text).unwrap();
        let empty = fresh_like(&db, "backup_broken").await;
        let err = empty.store.restore(&broken).await.unwrap_err().to_string();
        assert!(err.contains("未知的表 nope"), "{err}");
        assert!(
            empty.store.list_documents().await.unwrap().is_empty(),
            "{}",
            db.name
        );
        assert_eq!(empty.store.audit_count().await.unwrap(), 0);
    }
}

#[tokio::test]
async fn backup_moves_between_backends() {
    let Some(pg) = pg_url("cross").await else {
        println!("skipped: PLANWATCH_TEST_PG_URL not set");
        return;
    };
    let lite = sqlite_db().await;
    populate(&lite.store).await;
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jsonl");
    lite.store.backup(&a).await.unwrap();
    let pg = Store::open(&pg).await.unwrap();
    pg.restore(&a).await.unwrap();
    let b = dir.path().join("b.jsonl");
    pg.backup(&b).await.unwrap();
    assert_eq!(dump_body(&a), dump_body(&b));
}

// ---------------------------------------------------------------------------
// Crash in the middle of an import

const CRASH_ENV: &str = "PLANWATCH_CRASH_CHILD_URL";

/// In a normal run: a large import reports progress and stores every row. Run as a
/// child by `killed_import_leaves_nothing`, it stops inside the import's transaction
/// at the first progress report and waits to be killed.
#[tokio::test]
async fn large_import_child() {
    let child_url = std::env::var(CRASH_ENV).ok();
    let db = match &child_url {
        Some(url) => Db {
            store: Store::open(url).await.unwrap(),
            url: url.clone(),
            name: "child",
            _dir: None,
        },
        None => sqlite_db().await,
    };
    let rows: Vec<NewObservation> = (0..20_000)
        .map(|i| {
            // One figure per row: a file repeating a figure is refused.
            obs(
                i + 2,
                "岳阳楼区",
                2000 + (i % 25) as i64,
                &format!("指标{}", i / 25),
                i as f64,
                "level",
            )
        })
        .collect();
    let child = child_url.is_some();
    let mut calls = 0;
    let mut progress = |n: usize| {
        calls += 1;
        if child {
            println!("PROGRESS {n}");
            loop {
                std::thread::sleep(std::time::Duration::from_secs(1));
            }
        }
    };
    let out = db
        .store
        .import_observations_with_progress(&batch(77), &rows, "统计员", &mut progress)
        .await
        .unwrap();
    assert_eq!(
        out,
        ImportOutcome::Imported {
            import_id: 1,
            rows: 20_000
        },
        "{}",
        db.url
    );
    assert_eq!(calls, 40);
    assert_eq!(db.store.observation_count().await.unwrap(), 20_000);
}

#[tokio::test]
async fn killed_import_leaves_nothing() {
    for db in backends("crash").await {
        // A small import that commits before the crash.
        let small = [
            obs(2, "岳阳楼区", 2021, "GDP", 1.0, "level"),
            obs(3, "岳阳楼区", 2022, "GDP", 2.0, "level"),
        ];
        db.store
            .import_observations(&batch(1), &small, "统计员")
            .await
            .unwrap();
        let audit = db.store.audit_count().await.unwrap();

        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "large_import_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CRASH_ENV, &db.url)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut seen = false;
        for line in BufReader::new(stdout).lines() {
            if line.unwrap().contains("PROGRESS ") {
                seen = true;
                break;
            }
        }
        assert!(
            seen,
            "{}: the child reached the middle of the import",
            db.name
        );
        child.kill().unwrap();
        child.wait().unwrap();

        // Reopen as a new process would: consistent, the small import there, the big one absent.
        db.store.close().await;
        let s = Store::open(&db.url).await.unwrap();
        assert_eq!(s.integrity_check().await.unwrap(), "ok", "{}", db.name);
        assert_eq!(s.observation_count().await.unwrap(), 2, "{}", db.name);
        assert_eq!(s.audit_count().await.unwrap(), audit, "{}", db.name);
        let rows: Vec<NewObservation> = (0..600)
            .map(|i| obs(i + 2, "岳阳楼区", 2021, &format!("GDP{i}"), 1.0, "level"))
            .collect();
        let again = s
            .import_observations(&batch(77), &rows, "统计员")
            .await
            .unwrap();
        assert!(
            matches!(again, ImportOutcome::Imported { rows: 600, .. }),
            "{}: {again:?}",
            db.name
        );
    }
}

// ---------------------------------------------------------------------------
// Attack round (issue 11): identities, implausible input, revocation

/// A plan of region `region` (by name), distinguishable by `n`.
fn plan_of(region: &str, n: u64) -> Plan {
    let mut p = sample_plan();
    p.region = Some(region.into());
    p.title = Some(format!("{region}“十四五”规划纲要"));
    p.source.path = format!("seeds/{region}-{n}.txt");
    p.source.sha256 = sha(500 + n);
    p
}

/// A store result without its value, for checks that only look at the error.
fn unit<T>(r: Result<T, StoreError>) -> Result<(), StoreError> {
    r.map(|_| ())
}

fn gdp(row: usize, region: &str, year: i64, value: f64) -> NewObservation {
    obs(row, region, year, "地区生产总值", value, "level")
}

/// Defect 1: two regions named 鼓楼区 (南京 320106, 福州 350102) never share data.
#[tokio::test]
async fn same_named_regions_never_mix() {
    for db in backends("same_name").await {
        let s = &db.store;
        let region = |code: &str, name: &str| NewRegion {
            code: code.into(),
            name: name.into(),
            ..NewRegion::default()
        };
        let nanjing = s
            .create_region(&region("320106", "鼓楼区"), "管理员")
            .await
            .unwrap();
        let fuzhou = s
            .create_region(&region("350102", "鼓楼区"), "管理员")
            .await
            .unwrap();
        let doc_nj = s
            .ingest_document(
                &hashed(plan_of("鼓楼区", 1), &sha(501)),
                "",
                Some("320106"),
                "测试",
            )
            .await
            .unwrap()
            .document_id;
        let doc_fz = s
            .ingest_document(
                &hashed(plan_of("鼓楼区", 2), &sha(502)),
                "",
                Some("350102"),
                "测试",
            )
            .await
            .unwrap()
            .document_id;
        // A plan naming only 鼓楼区 is refused with both codes.
        let audit = s.audit_count().await.unwrap();
        let err = s
            .ingest_document(&hashed(plan_of("鼓楼区", 3), &sha(503)), "", None, "测试")
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("320106") && err.contains("350102") && err.contains("--region"),
            "{}: {err}",
            db.name
        );
        // Rows naming 鼓楼区 are refused, naming the row and the candidates' codes.
        let by_name = [gdp(2, "鼓楼区", 2023, 1.23)];
        let err = s
            .import_observations(&batch(1), &by_name, "planner-other")
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("第 2 行") && err.contains("320106、350102"),
            "{}: {err}",
            db.name
        );
        assert_eq!(s.observation_count().await.unwrap(), 0, "{}", db.name);
        assert_eq!(s.audit_count().await.unwrap(), audit, "{}", db.name);
        // With the region chosen, the same rows go to 福州's 鼓楼区 only.
        let fz_only = ImportScope {
            region_code: Some("350102".into()),
            allowed_regions: Some(vec![fuzhou.id]),
        };
        s.import_observations_scoped(&batch(1), &by_name, &fz_only, "planner-other", &mut |_| {})
            .await
            .unwrap();
        // Rows by code go where the code says.
        s.import_observations(&batch(2), &[gdp(2, "320106", 2023, 980.0)], "管理员")
            .await
            .unwrap();
        let values = |obs: Vec<planwatch_core::eval::Observation>| -> Vec<f64> {
            obs.iter().map(|o| o.value).collect()
        };
        let (nj, _) = s.evaluation_data(doc_nj).await.unwrap();
        let (fz, _) = s.evaluation_data(doc_fz).await.unwrap();
        assert_eq!(values(nj), [980.0], "{}: 南京 sees only its own", db.name);
        assert_eq!(values(fz), [1.23], "{}: 福州 sees only its own", db.name);
        let stored = s.region_observations(Some(fuzhou.id), None).await.unwrap();
        assert!(stored.iter().all(|o| o.region_id == Some(fuzhou.id)));
        assert!(matches!(
            s.observations_for("鼓楼区").await,
            Err(StoreError::Invalid(m)) if m.contains("320106")
        ));
        assert_eq!(s.observations_for("320106").await.unwrap().len(), 1);
        // A planner of 福州 may not import into 南京, by code or through the chosen region.
        let audit = s.audit_count().await.unwrap();
        let err = s
            .import_observations_scoped(
                &batch(3),
                &[gdp(2, "320106", 2022, 900.0)],
                &ImportScope {
                    region_code: None,
                    allowed_regions: Some(vec![fuzhou.id]),
                },
                "planner-other",
                &mut |_| {},
            )
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("无权导入") && err.contains("320106"), "{err}");
        let err = s
            .import_observations_scoped(
                &batch(4),
                &[gdp(2, "320106", 2022, 900.0)],
                &fz_only,
                "planner-other",
                &mut |_| {},
            )
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("不是指定的地区 350102"), "{err}");
        assert_eq!(s.audit_count().await.unwrap(), audit, "{}", db.name);
        // A name no region has is kept by name and claimed by no region's plan.
        s.import_observations(&batch(5), &[gdp(2, "君山区", 2023, 300.0)], "管理员")
            .await
            .unwrap();
        let junshan = s.region_observations(None, Some("君山区")).await.unwrap();
        assert_eq!((junshan.len(), junshan[0].region_id), (1, None));
        let (nj, _) = s.evaluation_data(doc_nj).await.unwrap();
        assert_eq!(nj.len(), 1, "{}", db.name);
        let _ = nanjing;
    }
}

/// Defects 2, 10 and 11 at the store's door: implausible years and values, impossible
/// vintages, hidden characters and repeated rows reject the file, naming row and column.
#[tokio::test]
async fn imports_refuse_implausible_rows() {
    for db in backends("implausible").await {
        let s = &db.store;
        let audit = s.audit_count().await.unwrap();
        let refused = |rows: Vec<NewObservation>, parts: &'static [&'static str]| {
            let s = s.clone();
            async move {
                let err = s
                    .import_observations(&batch(9), &rows, "统计员")
                    .await
                    .unwrap_err()
                    .to_string();
                for p in parts {
                    assert!(err.contains(p), "{err} should name {p}");
                }
            }
        };
        let good = gdp(2, "岳阳楼区", 2022, 800.5);
        refused(
            vec![good.clone(), gdp(3, "岳阳楼区", 2023, 1e308)],
            &["第 3 行", "value", "超出合理范围"],
        )
        .await;
        refused(
            vec![NewObservation {
                unit: Some("%".into()),
                ..gdp(2, "岳阳楼区", 2023, 25_000.0)
            }],
            &["第 2 行", "value"],
        )
        .await;
        refused(
            vec![gdp(2, "岳阳楼区", 2_147_483_647, 1.0)],
            &["第 2 行", "year", "1949—2100"],
        )
        .await;
        // An impossible release date never becomes a `NewObservation`: the file reader
        // refuses it, naming row and column.
        let err = planwatch_parse::actuals::read_actuals(
            "地区,年份,指标,数值,发布日期\n岳阳楼区,2023,地区生产总值,800,2025-13-45\n".as_bytes(),
            "a.csv",
        )
        .unwrap_err()
        .to_string();
        for part in ["第 2 行", "vintage", "2025-13-45"] {
            assert!(err.contains(part), "{err}");
        }
        refused(
            vec![NewObservation {
                indicator: "地区\u{202E}生产总值".into(),
                ..good.clone()
            }],
            &["第 2 行", "indicator", "U+202E"],
        )
        .await;
        refused(
            vec![
                good.clone(),
                NewObservation {
                    row: 3,
                    ..good.clone()
                },
                NewObservation {
                    row: 4,
                    ..good.clone()
                },
            ],
            &["第 3 行与第 2 行", "完全重复"],
        )
        .await;
        refused(
            vec![
                good.clone(),
                NewObservation {
                    row: 5,
                    value: 801.0,
                    ..good.clone()
                },
            ],
            &["第 5 行与第 2 行", "数值不同"],
        )
        .await;
        assert_eq!(s.observation_count().await.unwrap(), 0, "{}", db.name);
        assert_eq!(s.audit_count().await.unwrap(), audit, "{}", db.name);
        // Dates are stored in one form, so later vintages sort after earlier ones.
        s.import_observations(
            &batch(10),
            &[
                NewObservation {
                    vintage: planwatch_parse::actuals::parse_date("2024年3月5日"),
                    ..good.clone()
                },
                NewObservation {
                    row: 3,
                    vintage: planwatch_parse::actuals::parse_date("2024/11/20"),
                    value: 801.0,
                    ..good.clone()
                },
            ],
            "统计员",
        )
        .await
        .unwrap();
        let stored = s.observations_for("岳阳楼区").await.unwrap();
        let vintages: Vec<&str> = stored.iter().map(|o| o.vintage.as_str()).collect();
        assert_eq!(vintages, ["2024-03-05", "2024-11-20"], "{}", db.name);
    }
}

/// Defects 15 and 16 in the store: case-insensitive user names, duplicate codes and
/// names, and references to missing rows are refused with a message naming the field
/// (never a database error), and change nothing.
#[tokio::test]
async fn directory_refuses_duplicates_and_missing_ids() {
    for db in backends("directory_refusals").await {
        let s = &db.store;
        let u = s
            .create_user("Planner", "规划科", None, "planner", "管理员")
            .await
            .unwrap();
        assert_eq!(u.username, "planner", "{}: stored lower-cased", db.name);
        assert_eq!(
            s.user_by_username("PLANNER").await.unwrap().map(|x| x.id),
            Some(u.id)
        );
        let region = s
            .create_region(
                &NewRegion {
                    code: "439901".into(),
                    name: "青溪县".into(),
                    ..NewRegion::default()
                },
                "管理员",
            )
            .await
            .unwrap();
        let dep = s
            .create_department(Some(region.id), "县工信局", "管理员")
            .await
            .unwrap();
        let audit = s.audit_count().await.unwrap();
        let invalid = |r: Result<(), StoreError>, part: &str| match r {
            Err(StoreError::Invalid(m)) => assert!(m.contains(part), "{}: {m}", db.name),
            other => panic!("{}: expected Invalid naming {part}, got {other:?}", db.name),
        };
        invalid(
            unit(
                s.create_user("pLaNnEr", "x", None, "viewer", "管理员")
                    .await,
            ),
            "已被使用",
        );
        invalid(
            unit(s.create_user("a b", "x", None, "viewer", "管理员").await),
            "用户名",
        );
        invalid(
            unit(s.create_user("ok-name", "x", None, "root", "管理员").await),
            "角色",
        );
        invalid(
            unit(
                s.create_region(
                    &NewRegion {
                        code: "439901".into(),
                        name: "重复".into(),
                        ..NewRegion::default()
                    },
                    "管理员",
                )
                .await,
            ),
            "区划代码“439901”已存在",
        );
        invalid(
            unit(
                s.create_region(
                    &NewRegion {
                        code: "43 99".into(),
                        name: "空格".into(),
                        ..NewRegion::default()
                    },
                    "管理员",
                )
                .await,
            ),
            "区划代码",
        );
        invalid(
            unit(s.create_department(Some(9999), "某局", "管理员").await),
            "地区 #9999 不存在",
        );
        invalid(
            unit(
                s.create_department(Some(region.id), "局\u{202E}", "管理员")
                    .await,
            ),
            "部门名称",
        );
        invalid(
            unit(
                s.add_grant(9999, None, Some(region.id), "viewer", "管理员")
                    .await,
            ),
            "用户 #9999 不存在",
        );
        invalid(
            unit(
                s.add_grant(u.id, Some(9999), None, "editor", "管理员")
                    .await,
            ),
            "部门 #9999 不存在",
        );
        invalid(
            unit(
                s.add_grant(u.id, None, Some(9999), "planner", "管理员")
                    .await,
            ),
            "地区 #9999 不存在",
        );
        invalid(
            unit(
                s.add_grant(u.id, Some(dep.id), None, "planner", "管理员")
                    .await,
            ),
            "授权范围",
        );
        assert_eq!(s.audit_count().await.unwrap(), audit, "{}", db.name);
        s.add_grant(u.id, None, Some(region.id), "planner", "管理员")
            .await
            .unwrap();
        invalid(
            unit(
                s.add_grant(u.id, None, Some(region.id), "planner", "管理员")
                    .await,
            ),
            "已存在",
        );
    }
}

/// Defect 7: grants can be removed, accounts deactivated, passwords changed, and a
/// user's sessions and tokens revoked; each audited, and a deactivated user's session
/// and token stop working at once.
#[tokio::test]
async fn access_can_be_taken_away() {
    for db in backends("revocation").await {
        let s = &db.store;
        let region = s
            .create_region(
                &NewRegion {
                    code: "439901".into(),
                    name: "青溪县".into(),
                    ..NewRegion::default()
                },
                "管理员",
            )
            .await
            .unwrap();
        let u = s
            .create_user("zhao", "赵", Some("$argon2id$v=19$a"), "viewer", "管理员")
            .await
            .unwrap();
        let csrf = "c".repeat(43);
        s.create_session(u.id, &sha(1), &csrf, 3600, "web:zhao")
            .await
            .unwrap();
        s.create_session(u.id, &sha(2), &csrf, 3600, "web:zhao")
            .await
            .unwrap();
        s.create_api_token(u.id, &sha(3), "脚本", "web:zhao")
            .await
            .unwrap();
        let g = s
            .add_grant(u.id, None, Some(region.id), "viewer", "管理员")
            .await
            .unwrap();

        // Removing a grant.
        assert_eq!(s.remove_grant(g.id, "管理员").await.unwrap(), g);
        assert!(s.grants_of(u.id).await.unwrap().is_empty(), "{}", db.name);
        assert!(matches!(
            s.remove_grant(g.id, "管理员").await,
            Err(StoreError::NotFound { .. })
        ));
        let trail = s.audit_for("grant", g.id).await.unwrap();
        assert_eq!(
            trail.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            ["insert", "delete"]
        );

        // A password change ends the other sessions, keeps the one that made it.
        let ended = s
            .set_password_hash(
                u.id,
                u.version,
                "$argon2id$v=19$b",
                Some(&sha(1)),
                "web:zhao",
            )
            .await
            .unwrap();
        assert_eq!(ended, 1, "{}", db.name);
        assert!(s.session_user(&sha(1)).await.unwrap().is_some());
        assert!(s.session_user(&sha(2)).await.unwrap().is_none());

        // Deactivation: session and token dead at once; a stale version is refused.
        let u = s.user(u.id).await.unwrap();
        assert!(matches!(
            s.set_user_active(u.id, u.version - 1, false, "管理员")
                .await,
            Err(StoreError::Conflict { .. })
        ));
        let off = s
            .set_user_active(u.id, u.version, false, "管理员")
            .await
            .unwrap();
        assert!(!off.active);
        assert!(
            s.session_user(&sha(1)).await.unwrap().is_none(),
            "{}",
            db.name
        );
        assert!(
            s.api_token_user(&sha(3)).await.unwrap().is_none(),
            "{}",
            db.name
        );
        assert!(s.api_tokens_of(u.id).await.unwrap()[0].revoked_at.is_some());
        // Reactivated, the old session and token stay dead.
        let on = s
            .set_user_active(u.id, off.version, true, "管理员")
            .await
            .unwrap();
        assert!(on.active);
        assert!(s.session_user(&sha(1)).await.unwrap().is_none());
        assert!(s.api_token_user(&sha(3)).await.unwrap().is_none());

        // Revoking access ends new sessions and tokens, the account stays active.
        s.create_session(u.id, &sha(4), &csrf, 3600, "web:zhao")
            .await
            .unwrap();
        s.create_api_token(u.id, &sha(5), "脚本2", "web:zhao")
            .await
            .unwrap();
        assert_eq!(s.revoke_user_access(u.id, "管理员").await.unwrap(), (1, 1));
        assert!(s.session_user(&sha(4)).await.unwrap().is_none());
        assert!(s.api_token_user(&sha(5)).await.unwrap().is_none());
        assert!(s.user(u.id).await.unwrap().active);

        let actions: Vec<String> = s
            .audit_for("user", u.id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(
            actions,
            [
                "insert",
                "set_password",
                "deactivate",
                "activate",
                "revoke_access"
            ],
            "{}",
            db.name
        );
        let text = serde_json::to_string(&s.recent_audit(100).await.unwrap()).unwrap();
        assert!(!text.contains(&sha(3)) && !text.contains("argon2id"));
    }
}

/// Defect 2 at the store: a progress report with an implausible year or value is refused.
#[tokio::test]
async fn submissions_refuse_implausible_years_and_values() {
    for db in backends("submission_years").await {
        let s = &db.store;
        let id = s
            .ingest_document(&hashed(sample_plan(), &sha(1)), "", Some("430602"), "测试")
            .await
            .unwrap()
            .document_id;
        let gdp = s.indicators_of(id).await.unwrap().remove(0);
        let report = |year: i64, value: f64| planwatch_store::NewSubmission {
            item_kind: ItemKind::Indicator,
            item_id: gdp.id,
            department_id: None,
            progress: "2023年统计公报".into(),
            task_status: None,
            year: Some(year),
            value: Some(value),
        };
        let audit = s.audit_count().await.unwrap();
        for (year, value, part) in [
            (3000, 900.0, "报送年份"),
            (2_147_483_647, 900.0, "报送年份"),
            (2023, 1e308, "报送数值"),
        ] {
            match s
                .submit_progress(&report(year, value), &[], "web:dept")
                .await
            {
                Err(StoreError::Invalid(m)) => assert!(m.contains(part), "{m}"),
                other => panic!("{}: {other:?}", db.name),
            }
        }
        assert_eq!(s.audit_count().await.unwrap(), audit, "{}", db.name);
        s.submit_progress(&report(2023, 900.0), &[], "web:dept")
            .await
            .unwrap();
    }
}

// ---------------------------------------------------------------------------
// Key projects (docs/projects.md)

mod projects {
    use super::*;
    use jiff::civil::{Date, date};
    use planwatch_core::projects::{Cadence, ProjectClass, ProjectField, ProjectWarning};
    use planwatch_store::{
        LedgerFilter, NewProjectReport, NewProjectYear, ProjectDetails, ledger_totals,
    };

    fn report(
        project_id: i64,
        department_id: Option<i64>,
        month: i64,
        investment: f64,
        started_on: Option<Date>,
    ) -> NewProjectReport {
        NewProjectReport {
            project_id,
            department_id,
            year: 2023,
            month,
            investment,
            cumulative: None,
            progress: format!("{month}月主体工程施工"),
            started_on,
            finished_on: None,
            problems: None,
            help_needed: None,
        }
    }

    /// Submit and approve; the report's id.
    async fn approved(s: &Store, r: &NewProjectReport) -> i64 {
        let sub = s.submit_project_report(r, &[], "web:dept").await.unwrap();
        let id = sub.submission.id;
        s.approve_submission(id, sub.submission.version, None, "web:planner")
            .await
            .unwrap();
        id
    }

    fn refused<T: std::fmt::Debug>(r: Result<T, StoreError>, part: &str) {
        match r {
            Err(StoreError::Invalid(m)) => assert!(m.contains(part), "{m} should say {part}"),
            other => panic!("expected a refusal naming {part}: {other:?}"),
        }
    }

    #[tokio::test]
    async fn projects_are_planned_reported_approved_and_classed() {
        for db in backends("project_tracking").await {
            let s = &db.store;
            let doc = s
                .ingest_document(&hashed(sample_plan(), &sha(1)), "", None, "张三")
                .await
                .unwrap()
                .document_id;
            let industry = s
                .create_department(None, "区工信局", "管理员")
                .await
                .unwrap();
            let transport = s
                .create_department(None, "区交通局", "管理员")
                .await
                .unwrap();

            // The extracted project gets its office columns; an added one comes beside it.
            let a = s.projects_of(doc).await.unwrap().remove(0);
            let details = ProjectDetails {
                name: a.name.clone(),
                field: Some(ProjectField::Industry),
                department_id: Some(industry.id),
                location: Some("岳阳经开区".into()),
                ..ProjectDetails::default()
            };
            let a = s.update_project(a.id, 1, &details, "张三").await.unwrap();
            assert_eq!(a.department.as_deref(), Some("区工信局"), "{}", db.name);
            let b = s
                .add_project(
                    doc,
                    &ProjectDetails {
                        name: "青溪大道改造工程".into(),
                        field: Some(ProjectField::Infrastructure),
                        department_id: Some(transport.id),
                        period_start: Some(2023),
                        period_end: Some(2024),
                        total_investment: Some(8000.0),
                        ..ProjectDetails::default()
                    },
                    "张三",
                )
                .await
                .unwrap();
            refused(
                s.add_project(
                    doc,
                    &ProjectDetails {
                        name: "倒置工程".into(),
                        period_start: Some(2025),
                        period_end: Some(2023),
                        ..ProjectDetails::default()
                    },
                    "张三",
                )
                .await,
                "建设起始年2025晚于建设结束年2023",
            );

            // Year plans: A 12000 from January; B 6000, April to October.
            let year = |inv: f64, start: Date, finish: Option<Date>| NewProjectYear {
                planned_investment: Some(inv),
                planned_start: Some(start),
                planned_finish: finish,
                milestones: Some("完成主体结构".into()),
            };
            s.set_project_year(
                a.id,
                2023,
                &year(12000.0, date(2023, 1, 1), None),
                None,
                "张三",
            )
            .await
            .unwrap();
            let plan_b = year(6000.0, date(2023, 4, 1), Some(date(2023, 10, 31)));
            let yb = s
                .set_project_year(b.id, 2023, &plan_b, None, "张三")
                .await
                .unwrap();
            assert!(matches!(
                s.set_project_year(b.id, 2023, &plan_b, None, "李四").await,
                Err(StoreError::Conflict { .. })
            ));
            assert_eq!(s.audit_for("project_year", yb.id).await.unwrap().len(), 1);

            // A quarterly plan refuses a May report; monthly again accepts it.
            let t = s
                .set_project_cadence(doc, Cadence::Quarter, 0, "张三")
                .await
                .unwrap();
            refused(
                s.submit_project_report(&report(b.id, Some(transport.id), 5, 0.0, None), &[], "d")
                    .await,
                "按季度",
            );
            s.set_project_cadence(doc, Cadence::Month, t.version, "张三")
                .await
                .unwrap();

            // A department reports only its own projects, and a refusal writes nothing.
            let audit = s.audit_count().await.unwrap();
            refused(
                s.submit_project_report(
                    &report(a.id, Some(transport.id), 1, 800.0, None),
                    &[],
                    "d",
                )
                .await,
                "责任单位是区工信局",
            );
            assert_eq!(s.audit_count().await.unwrap(), audit, "{}", db.name);

            // A: 6 × 800 = 4800 of 12000 = 40% at June against 50%: 10 points, 滞后.
            for m in 1..=6 {
                let start = (m == 1).then(|| date(2023, 1, 10));
                approved(s, &report(a.id, Some(industry.id), m, 800.0, start)).await;
            }
            assert_eq!(s.project(a.id).await.unwrap().status, "started");
            refused(
                s.submit_project_report(&report(a.id, Some(industry.id), 6, 1.0, None), &[], "d")
                    .await,
                "已审核通过",
            );
            // B: May reported with nothing done; June submitted but returned.
            approved(s, &report(b.id, Some(transport.id), 5, 0.0, None)).await;
            let june = s
                .submit_project_report(&report(b.id, Some(transport.id), 6, 0.0, None), &[], "d")
                .await
                .unwrap();
            // Submitted but not approved: the ledger does not read it.
            let pending = s.project_ledger(doc, 2023, 6).await.unwrap();
            assert!(
                pending[1]
                    .assessment
                    .warnings
                    .contains(&ProjectWarning::NoReport)
            );
            s.return_submission(
                june.submission.id,
                june.submission.version,
                "请补充形象进度",
                "web:planner",
            )
            .await
            .unwrap();

            let ledger = s.project_ledger(doc, 2023, 6).await.unwrap();
            assert_eq!(ledger.len(), 2, "{}", db.name);
            let (la, lb) = (&ledger[0].assessment, &ledger[1].assessment);
            assert_eq!(la.class, ProjectClass::Lagging, "{}", la.reason);
            assert_eq!(la.year_to_date, 4800.0);
            assert_eq!(la.completion, Some(0.4));
            assert_eq!(la.warnings, [ProjectWarning::BehindPace]);
            assert_eq!(la.started, Some(date(2023, 1, 10)));
            assert_eq!(lb.class, ProjectClass::NotStarted, "{}", lb.reason);
            assert_eq!(
                lb.warnings,
                [ProjectWarning::StartOverdue, ProjectWarning::NoReport]
            );
            // Totals: planned 12000 + 6000, completed 4800 → 26.7%.
            let all = ledger_totals(&ledger);
            assert_eq!(
                (all.count, all.planned, all.completed),
                (2, 18000.0, 4800.0)
            );
            assert_eq!(all.of(ProjectClass::Lagging), 1);
            assert_eq!(all.of(ProjectClass::NotStarted), 1);
            let only = LedgerFilter {
                department_id: Some(transport.id),
                ..LedgerFilter::default()
            };
            let kept: Vec<_> = ledger.iter().filter(|r| only.keeps(r)).collect();
            assert_eq!(kept.len(), 1);
            assert_eq!(kept[0].project.id, b.id);
            // A returned period may be reported again.
            s.submit_project_report(&report(b.id, Some(transport.id), 6, 0.0, None), &[], "d")
                .await
                .unwrap();
            // History: every report of A, newest first, each audited.
            let history = s.project_reports(a.id).await.unwrap();
            assert_eq!(history.len(), 6);
            assert_eq!(history[0].month, 6);
            let trail = s
                .audit_for("submission", history[0].submission.id)
                .await
                .unwrap();
            assert!(trail.len() >= 2, "{trail:?}");
        }
    }

    #[tokio::test]
    async fn duplicate_projects_are_merged_after_review() {
        for db in backends("project_merge").await {
            let s = &db.store;
            let doc = s
                .ingest_document(&hashed(sample_plan(), &sha(1)), "", None, "张三")
                .await
                .unwrap()
                .document_id;
            let extracted = s.projects_of(doc).await.unwrap().remove(0);
            let add = |name: &str| ProjectDetails {
                name: name.into(),
                location: Some("岳阳".into()),
                ..ProjectDetails::default()
            };
            let copy = s
                .add_project(doc, &add("1.岳阳新材料产业园"), "张三")
                .await
                .unwrap();
            let other = s
                .add_project(doc, &add("岳阳新材料产业园二期"), "张三")
                .await
                .unwrap();
            let pairs = s.duplicate_projects(doc).await.unwrap();
            // Three pairs are proposed; the extracted row is the one kept.
            assert_eq!(pairs.len(), 3, "{}", db.name);
            assert!(pairs.iter().all(|p| p.other.id != extracted.id));
            s.keep_projects_distinct(extracted.id, other.id, "张三")
                .await
                .unwrap();
            s.keep_projects_distinct(copy.id, other.id, "张三")
                .await
                .unwrap();
            let pairs = s.duplicate_projects(doc).await.unwrap();
            assert_eq!(pairs.len(), 1);
            assert_eq!(
                (pairs[0].keep.id, pairs[0].other.id),
                (extracted.id, copy.id)
            );
            let kept = s
                .merge_projects(
                    extracted.id,
                    extracted.version,
                    copy.id,
                    copy.version,
                    "张三",
                )
                .await
                .unwrap();
            assert_eq!(kept.location.as_deref(), Some("岳阳"));
            assert_eq!(
                s.project(copy.id).await.unwrap().merged_into,
                Some(extracted.id)
            );
            assert!(s.duplicate_projects(doc).await.unwrap().is_empty());
            let ledger = s.project_ledger(doc, 2023, 6).await.unwrap();
            assert_eq!(ledger.len(), 2, "{}", db.name);
            refused(
                s.set_project_year(copy.id, 2023, &NewProjectYear::default(), None, "张三")
                    .await,
                "已并入",
            );
            assert_eq!(s.audit_for("project", copy.id).await.unwrap().len(), 2);
        }
    }
}

mod project_bank {
    use super::*;
    use planwatch_parse::projects::{projects_from_sheet, read_sheet};
    use planwatch_store::ProjectBatch;

    const BANK: &str = "岳阳楼区2023年重点项目库,,,,,,\n\
        序号,项目名称,建设起止年限,总投资(亿元),2023年计划投资(万元),计划开工时间,责任单位\n\
        一、产业项目,,,,,,\n\
        1,岳阳新材料产业园,2021-2025,13,20000,2021年3月,区工信局\n\
        二、基础设施项目,,,,,,\n\
        2,洞庭南路提质改造工程,2023-2024,0.8,6000,2023-04-01,区交通局\n";

    fn rows(text: &str) -> Vec<planwatch_core::projects::ImportedProject> {
        let sheet = read_sheet(text.as_bytes(), "项目库.csv").unwrap();
        projects_from_sheet(&sheet, &sheet.proposed()).unwrap()
    }

    #[tokio::test]
    async fn a_project_bank_imports_all_or_nothing() {
        for db in backends("project_bank").await {
            let s = &db.store;
            let doc = s
                .ingest_document(&hashed(sample_plan(), &sha(1)), "", None, "张三")
                .await
                .unwrap()
                .document_id;
            let bank = rows(BANK);
            // The preview: row 4 updates the extracted project (12.5 亿元 → 13 亿元),
            // row 6 is new; 区工信局 exists (the plan's task leads), 区交通局 would be
            // created. Nothing is stored yet.
            let audit = s.audit_count().await.unwrap();
            let units = s.list_departments(None).await.unwrap().len();
            let preview = s.check_project_import(doc, &bank).await.unwrap();
            let target = preview.rows[0].target.as_ref().unwrap();
            assert_eq!(target.name, "岳阳新材料产业园项目", "{}", db.name);
            assert_eq!(target.changes, ["总投资12.5亿元→130000万元"]);
            assert!(preview.rows[1].target.is_none());
            assert_eq!(preview.new_departments, ["区交通局"]);
            assert_eq!(s.audit_count().await.unwrap(), audit);

            // Two rows claiming one project: refused, nothing changes.
            let mut twice = bank.clone();
            twice[1].name = "岳阳新材料产业园项目".into();
            let batch = ProjectBatch {
                file_name: "项目库.csv".into(),
                sha256: sha(77),
                year: Some(2023),
            };
            match s.import_projects(doc, &batch, &twice, &[], "张三").await {
                Err(StoreError::Invalid(m)) => {
                    assert!(m.contains("第6行：与第4行对应同一个已有项目"), "{m}")
                }
                other => panic!("{}: {other:?}", db.name),
            }
            assert_eq!(s.audit_count().await.unwrap(), audit, "{}", db.name);
            assert_eq!(s.projects_of(doc).await.unwrap().len(), 1);
            assert_eq!(s.list_departments(None).await.unwrap().len(), units);

            // The whole bank: one created, one merged, two year plans, one unit.
            let done = s
                .import_projects(doc, &batch, &bank, &[], "张三")
                .await
                .unwrap();
            assert_eq!(
                (done.created, done.merged, done.year_plans, done.departments),
                (1, 1, 2, 1),
                "{}",
                db.name
            );
            let projects = s.projects_of(doc).await.unwrap();
            assert_eq!(projects.len(), 2);
            let (extracted, added) = (&projects[0], &projects[1]);
            assert_eq!(extracted.investment_value, Some(130000.0));
            assert!(extracted.corrected);
            assert_eq!(extracted.department.as_deref(), Some("区工信局"));
            assert_eq!(added.name, "洞庭南路提质改造工程");
            assert_eq!(added.source_note.as_deref(), Some("项目库.csv第6行"));
            assert_eq!(
                added.field,
                Some(planwatch_core::projects::ProjectField::Infrastructure)
            );
            let year = s.project_years(added.id).await.unwrap();
            assert_eq!(year[0].planned_investment, Some(6000.0));
            let ledger = s.project_ledger(doc, 2023, 3).await.unwrap();
            assert_eq!(ledger.len(), 2);
            // The reviewed plan is the text's: the imported project is on the ledger only.
            let reviewed = s.reviewed_plan(doc).await.unwrap();
            assert_eq!(reviewed.projects.len(), 1, "{}", db.name);
            assert_eq!(ledger_totals_planned(&ledger), 26000.0);
        }
    }

    fn ledger_totals_planned(rows: &[planwatch_store::LedgerRow]) -> f64 {
        planwatch_store::ledger_totals(rows).planned
    }
}
