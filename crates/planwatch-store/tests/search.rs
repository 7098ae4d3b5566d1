//! Contract suite of full-text search, on SQLite always and on PostgreSQL when
//! `PLANWATCH_TEST_PG_URL` is set (each test in its own schema): relevance on plan-like
//! text written for these tests, filters, the reader's documents, hostile queries, and
//! the index kept in step with the texts (re-ingest, deletion, migration, restore).

use planwatch_core::plan::{DocType, Period, Plan};
use planwatch_store::{Backend, SearchFilter, SearchResults, Store, StoreError};
use sqlx::Connection;

struct Db {
    store: Store,
    url: String,
    _dir: Option<tempfile::TempDir>,
}

async fn backends(test: &str) -> Vec<Db> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let mut out = vec![Db {
        store: Store::open(&url).await.unwrap(),
        url,
        _dir: Some(dir),
    }];
    if let Some(base) = std::env::var("PLANWATCH_TEST_PG_URL")
        .ok()
        .filter(|s| !s.is_empty())
    {
        sqlx::any::install_default_drivers();
        let schema = format!("pwt_search_{test}");
        execute(
            &base,
            &[
                format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
                format!("CREATE SCHEMA {schema}"),
            ],
        )
        .await;
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options[search_path]={schema}");
        out.push(Db {
            store: Store::open(&url).await.unwrap(),
            url,
            _dir: None,
        });
    }
    out
}

/// Run statements on a connection of its own (foreign keys on, as the store has them).
async fn execute(url: &str, statements: &[String]) {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    if url.starts_with("sqlite:") {
        sqlx::raw_sql("PRAGMA foreign_keys = ON")
            .execute(&mut conn)
            .await
            .unwrap();
    }
    for sql in statements {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.clone()))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    conn.close().await.ok();
}

/// A county plan's text, written for these tests in the register of the real ones.
const PLAN: &str = "\
青溪县国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要

第五章　全面推进乡村振兴
坚持农业农村优先发展，全面推进乡村振兴，加快农业农村现代化，建设宜居宜业和美乡村，推动城乡融合发展取得新进展，让农民群众的获得感成色更足。
第六章　加快数字基础设施建设
加快5G网络规模化部署，到2025年建成5G基站1200个，实现城区和重点乡镇全覆盖。
单位地区生产总值能耗降低 | % | 〔14〕 | 约束性
能源利用效率稳步提高，完成上级下达的单位地区生产总值能耗降低目标，严格控制高耗能项目盲目发展。
森林覆盖率达到45%以上。
";

/// A work report of another county.
const REPORT: &str = "\
白河县2023年政府工作报告
过去一年，我们深入实施乡村振兴战略。
新建5G基站300个。
";

async fn ingest(s: &Store, text: &str, region: &str, doc_type: DocType, period: (i32, i32)) -> i64 {
    let name = format!("{region}.txt");
    let mut plan: Plan = planwatch_parse::parse_bytes(text.as_bytes(), &name).unwrap();
    plan.doc_type = doc_type;
    plan.period = Some(Period {
        start: period.0,
        end: period.1,
    });
    s.ingest_document(&plan, text, Some(region), "测试")
        .await
        .unwrap()
        .document_id
}

async fn both(s: &Store) -> (i64, i64) {
    let plan = ingest(s, PLAN, "439901", DocType::PlanOutline, (2021, 2025)).await;
    let report = ingest(s, REPORT, "439902", DocType::WorkReport, (2023, 2023)).await;
    (plan, report)
}

async fn find(s: &Store, q: &str, filter: &SearchFilter) -> SearchResults {
    s.search(q, filter, 50).await.unwrap()
}

/// (document, line) of each hit, best first.
fn places(r: &SearchResults) -> Vec<(i64, i64)> {
    r.hits.iter().map(|h| (h.document_id, h.line)).collect()
}

fn marked(r: &SearchResults, i: usize) -> Vec<String> {
    r.hits[i]
        .fragments
        .iter()
        .filter(|f| f.hit)
        .map(|f| f.text.clone())
        .collect()
}

#[tokio::test]
async fn lines_holding_the_words_come_first_and_are_marked() {
    for db in backends("relevance").await {
        let s = &db.store;
        let (plan, report) = both(s).await;
        let all = SearchFilter::default();

        // A heading naming the words before the paragraph mentioning them.
        let r = find(s, "乡村振兴", &all).await;
        assert_eq!(r.total, 3);
        assert_eq!(places(&r), [(plan, 3), (report, 2), (plan, 4)]);
        assert_eq!(marked(&r, 0), ["乡村振兴"]);

        // Two characters: fewer than a trigram, found all the same, any case. bm25
        // (SQLite) puts the line naming 5G twice first; PostgreSQL the shorter line.
        let r = find(s, "5g", &all).await;
        let (twice, expected) = match s.backend() {
            Backend::Sqlite => (0, [(plan, 6), (report, 3)]),
            Backend::Postgres => (1, [(report, 3), (plan, 6)]),
        };
        assert_eq!(places(&r), expected);
        assert_eq!(marked(&r, twice), ["5G", "5G"]);

        let r = find(s, "单位地区生产总值能耗", &all).await;
        assert_eq!(places(&r), [(plan, 7), (plan, 8)]);
        let first: String = r.hits[0]
            .fragments
            .iter()
            .map(|f| f.text.as_str())
            .collect();
        assert_eq!(first, "单位地区生产总值能耗降低 | % | 〔14〕 | 约束性");

        // Every word on the line.
        let r = find(s, "5G 基站1200", &all).await;
        assert_eq!(places(&r), [(plan, 6)]);

        let r = find(s, "碳达峰行动方案", &all).await;
        assert_eq!((r.total, r.hits.len()), (0, 0));
        let r = find(s, "碳", &all).await;
        assert_eq!(r.total, 0);
    }
}

#[tokio::test]
async fn region_type_year_and_readable_documents_filter() {
    for db in backends("filters").await {
        let s = &db.store;
        let (plan, report) = both(s).await;
        let only = |f: SearchFilter| f;
        let region = only(SearchFilter {
            region: Some("439902".into()),
            ..SearchFilter::default()
        });
        let r = find(s, "乡村振兴", &region).await;
        assert_eq!(places(&r), [(report, 2)]);
        assert_eq!(r.hits[0].region_code.as_deref(), Some("439902"));
        assert_eq!(r.hits[0].doc_type, DocType::WorkReport);

        let typed = SearchFilter {
            doc_type: Some(DocType::PlanOutline),
            ..SearchFilter::default()
        };
        assert_eq!(places(&find(s, "5G", &typed).await), [(plan, 6)]);

        let year = |y| SearchFilter {
            year: Some(y),
            ..SearchFilter::default()
        };
        assert_eq!(find(s, "5G", &year(2023)).await.total, 2);
        assert_eq!(places(&find(s, "5G", &year(2024)).await), [(plan, 6)]);
        assert_eq!(find(s, "5G", &year(2030)).await.total, 0);
        assert!(matches!(
            s.search("5G", &year(3000), 50).await,
            Err(StoreError::Invalid(m)) if m.contains("年份")
        ));

        // A reader of region A's plan only finds nothing of region B.
        let readable = SearchFilter {
            documents: Some(vec![plan]),
            ..SearchFilter::default()
        };
        let r = find(s, "乡村振兴", &readable).await;
        assert!(r.hits.iter().all(|h| h.document_id == plan));
        assert_eq!(r.total, 2);
        let none = SearchFilter {
            documents: Some(Vec::new()),
            ..SearchFilter::default()
        };
        assert_eq!(find(s, "乡村振兴", &none).await.total, 0);
    }
}

#[tokio::test]
async fn hostile_queries_are_text_or_a_chinese_error() {
    for db in backends("hostile").await {
        let s = &db.store;
        both(s).await;
        let all = SearchFilter::default();
        for q in [
            "\" OR 1=1 --",
            "*",
            "NEAR(",
            "_",
            "'",
            "\\",
            "'); DROP TABLE documents; --",
        ] {
            let r = find(s, q, &all).await;
            assert_eq!(r.total, 0, "{q}");
        }
        // A percent sign matches a percent sign, not everything.
        let r = find(s, "%", &all).await;
        assert_eq!(r.total, 2, "the indicator row and the forest line");
        assert_eq!(find(s, "45%", &all).await.total, 1);
        for (q, says) in [
            ("", "请输入"),
            ("　 ", "请输入"),
            (&"长".repeat(101), "过长"),
            ("乡村\u{0}振兴", "控制字符"),
        ] {
            match s.search(q, &all, 50).await {
                Err(StoreError::Invalid(m)) => assert!(m.contains(says), "{q}: {m}"),
                other => panic!("{q}: {other:?}"),
            }
        }
        assert_eq!(find(s, "乡村振兴", &all).await.total, 3, "nothing changed");
    }
}

#[tokio::test]
async fn the_index_follows_the_texts() {
    for db in backends("in_step").await {
        let s = &db.store;
        let (plan, report) = both(s).await;
        let all = SearchFilter::default();

        s.set_document_text(plan, "第一章　新型城镇化", "测试")
            .await
            .unwrap();
        assert_eq!(find(s, "乡村振兴", &all).await.total, 1);
        assert_eq!(places(&find(s, "新型城镇化", &all).await), [(plan, 1)]);

        execute(
            &db.url,
            &[format!("DELETE FROM documents WHERE id = {report}")],
        )
        .await;
        assert_eq!(find(s, "乡村振兴", &all).await.total, 0);
        assert_eq!(find(s, "5G", &all).await.total, 0);
        if s.backend() == Backend::Sqlite {
            assert_eq!(s.integrity_check().await.unwrap(), "ok");
        }
    }
}

#[tokio::test]
async fn older_databases_and_restores_are_indexed() {
    for db in backends("migrate").await {
        let s = &db.store;
        let (plan, _) = both(s).await;
        // A database from before search: no search tables, migrations 6 and 7 not recorded.
        let drop_index = match s.backend() {
            Backend::Sqlite => vec![
                "DROP TABLE search_vocab".to_string(),
                "DROP TABLE search_fts".to_string(),
            ],
            Backend::Postgres => Vec::new(),
        };
        let mut statements = drop_index;
        statements.push("DROP TABLE search_lines".into());
        statements.push("DELETE FROM schema_migrations WHERE version IN (6, 7)".into());
        s.close().await;
        execute(&db.url, &statements).await;
        let s = Store::open(&db.url).await.unwrap();
        let all = SearchFilter::default();
        assert_eq!(find(&s, "乡村振兴", &all).await.total, 3);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.jsonl");
        s.backup(&path).await.unwrap();
        let url = format!("sqlite://{}", dir.path().join("r.db").display());
        let restored = Store::open(&url).await.unwrap();
        restored.restore(&path).await.unwrap();
        let r = find(&restored, "单位地区生产总值能耗", &all).await;
        assert_eq!(places(&r), [(plan, 7), (plan, 8)]);
        // Short terms at the end of a line, after a migration and after a restore.
        for store in [&s, &restored] {
            assert_eq!(find(store, "%以上", &all).await.total, 1);
            assert_eq!(find(store, "纲要", &all).await.total, 1);
            assert_eq!(find(store, "要", &all).await.total, 1);
        }
    }
}

#[tokio::test]
async fn postgres_searches_through_the_trigram_index() {
    for db in backends("trigram").await {
        // The CI's PostgreSQL comes with contrib; SQLite always has FTS5.
        assert!(db.store.search_indexed().await.unwrap());
    }
}

/// The real published seeds in `../shared` (present in CI, absent in a user's clone):
/// each query finds exactly the decoded lines holding it, each hit marked.
#[tokio::test]
async fn seeds_are_found_line_by_line() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    if !dir.is_dir() {
        println!("skipped: ../shared not found");
        return;
    }
    for db in backends("seeds").await {
        let s = &db.store;
        let mut texts = Vec::new();
        for (i, entry) in std::fs::read_dir(&dir).unwrap().enumerate() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let (plan, text) =
                planwatch_parse::parse_bytes_with_text(&bytes, &path.display().to_string())
                    .unwrap();
            let region = format!("4399{i:02}");
            let id = s
                .ingest_document(&plan, &text, Some(&region), "测试")
                .await
                .unwrap()
                .document_id;
            texts.push((id, text));
        }
        for q in ["5G", "单位地区生产总值能耗", "乡村振兴", "高质量发展"] {
            let expected: usize = texts
                .iter()
                .map(|(_, t)| {
                    t.lines()
                        .filter(|l| l.to_ascii_lowercase().contains(&q.to_ascii_lowercase()))
                        .count()
                })
                .sum();
            let r = s.search(q, &SearchFilter::default(), 200).await.unwrap();
            assert_eq!(r.total as usize, expected, "{q}");
            for h in &r.hits {
                let (_, text) = texts.iter().find(|(id, _)| *id == h.document_id).unwrap();
                let line = text.lines().nth(h.line as usize - 1).unwrap();
                assert!(
                    line.to_ascii_lowercase().contains(&q.to_ascii_lowercase()),
                    "{q}: {line}"
                );
                assert!(
                    h.fragments
                        .iter()
                        .any(|f| f.hit && f.text.eq_ignore_ascii_case(q))
                );
            }
        }
    }
}

#[tokio::test]
async fn short_terms_are_found_anywhere_on_a_line() {
    for db in backends("short").await {
        let s = &db.store;
        let text = "节能降耗专项规划\n5G\n降低能耗\n耗\n能耗双控和5g\n";
        let id = ingest(s, text, "439903", DocType::Unknown, (2021, 2025)).await;
        let all = SearchFilter::default();
        // A whole line of two characters, one character, terms at the end and the start.
        assert_eq!(places(&find(s, "5G", &all).await), [(id, 2), (id, 5)]);
        let r = find(s, "能耗", &all).await;
        assert_eq!(places(&r), [(id, 3), (id, 5)]);
        assert_eq!(marked(&r, 0), ["能耗"]);
        assert_eq!(find(s, "耗", &all).await.total, 4);
        assert_eq!(places(&find(s, "耗 5g", &all).await), [(id, 5)]);
        assert_eq!(find(s, "规划", &all).await.total, 1);
        assert_eq!(find(s, "碳", &all).await.total, 0);
    }
}

#[tokio::test]
async fn counts_stop_at_the_cap_and_pages_do_not_overlap() {
    use planwatch_store::search::MAX_COUNTED;
    for db in backends("cap").await {
        let s = &db.store;
        let lines: Vec<String> = (1..=MAX_COUNTED + 5)
            .map(|i| format!("第{i}村推进乡村振兴"))
            .collect();
        let text = lines.join("\n");
        let id = ingest(s, &text, "439904", DocType::Unknown, (2021, 2025)).await;
        let all = SearchFilter::default();
        let first = find(s, "乡村振兴", &all).await;
        assert_eq!((first.total, first.more), (MAX_COUNTED as i64, true));
        let second = s.search_from("乡村振兴", &all, 50, 50).await.unwrap();
        assert_eq!(second.hits.len(), 50);
        let mut seen: Vec<(i64, i64)> = places(&first);
        seen.extend(places(&second));
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 100, "two pages, no line twice");
        assert!(seen.iter().all(|(d, _)| *d == id));
        let past = s.search_from("乡村振兴", &all, 2000, 50).await.unwrap();
        assert!(past.hits.is_empty() && past.more);
        // Under the cap the count is exact.
        let few = find(s, "第1村推进", &all).await;
        assert_eq!((few.total, few.more), (1, false));
    }
}

/// A plan with an indicator table: the names also stand in the text around it.
const TABLE: &str = "\
青溪县国民经济和社会发展第十四个五年规划纲要
表1 主要指标
指标 | 单位 | 2020年 | 2025年 | 属性
地区生产总值 | 亿元 | 300 | 400 | 预期性
单位地区生产总值能耗降低 | % | — | 〔14〕 | 约束性
能源利用效率稳步提高，完成单位地区生产总值能耗降低目标。
";

#[tokio::test]
async fn the_indicator_filter_keeps_the_indicators_source_lines() {
    for db in backends("indicator").await {
        let s = &db.store;
        let plan = ingest(s, TABLE, "439905", DocType::PlanOutline, (2021, 2025)).await;
        let rows = s.indicators_of(plan).await.unwrap();
        let at = |line: i64| rows.iter().find(|i| i.line == line).expect("an indicator");
        let (gdp, energy) = (at(4), at(5));
        let by = |n: &str| SearchFilter {
            indicator: Some(n.into()),
            ..SearchFilter::default()
        };
        // The indicator's own line, not the other lines naming it.
        let all = SearchFilter::default();
        assert_eq!(find(s, "地区生产总值", &all).await.total, 3);
        assert_eq!(
            places(&find(s, "地区生产总值", &by(&gdp.name)).await),
            [(plan, 4)]
        );
        assert_eq!(find(s, "能耗", &all).await.total, 2);
        assert_eq!(
            places(&find(s, "能耗", &by(&energy.name)).await),
            [(plan, 5)]
        );
        let listed = energy.canonical_name.clone().unwrap_or(energy.name.clone());
        assert_eq!(places(&find(s, "能耗", &by(&listed)).await), [(plan, 5)]);
        assert_eq!(find(s, "能耗", &by(&gdp.name)).await.total, 0);
        assert_eq!(find(s, "能耗", &by("森林覆盖率")).await.total, 0);

        let names = s.indicator_names(None).await.unwrap();
        assert!(names.contains(&listed), "{names:?}");
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(s.indicator_names(Some(&[])).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn old_versions_are_searched_only_when_asked_and_say_so() {
    for db in backends("versions").await {
        let s = &db.store;
        let (old, report) = both(s).await;
        // The plan uploaded again (same region, type and period): a newer version.
        let revised = PLAN.replace("建成5G基站1200个", "建成5G基站1500个");
        let new = ingest(s, &revised, "439901", DocType::PlanOutline, (2021, 2025)).await;
        let docs = s.list_documents().await.unwrap();
        let doc = docs.iter().find(|d| d.id == new).unwrap();
        assert_eq!(doc.supersedes_id, Some(old));

        let current = SearchFilter::default();
        let r = find(s, "5G", &current).await;
        assert_eq!(r.total, 2);
        let mut found = places(&r);
        found.sort_unstable();
        assert_eq!(found, [(report, 3), (new, 6)]);
        assert!(r.hits.iter().all(|h| !h.superseded));
        assert_eq!(find(s, "基站1200", &current).await.total, 0);

        let all = SearchFilter {
            all_versions: true,
            ..SearchFilter::default()
        };
        let r = find(s, "5G", &all).await;
        assert_eq!(r.total, 3);
        for h in &r.hits {
            assert_eq!(h.superseded, h.document_id == old, "{h:?}");
        }
        assert_eq!(places(&find(s, "基站1200", &all).await), [(old, 6)]);
    }
}

/// A character on most lines is found by reading the newest lines (SQLite), a rarer one
/// through the index: both give only lines that hold it, counted up to the cap, and a
/// common character with an indexed word keeps only the lines with both.
#[tokio::test]
async fn a_common_character_is_found_like_a_rare_one() {
    for db in backends("common_char").await {
        let s = &db.store;
        let (plan, _) = both(s).await;
        // 1,200 numbered lines about the county's districts (区), a few about its forests.
        let mut text = String::from("云岭市各区建设情况汇编\n");
        for i in 1..=1200 {
            text.push_str(&format!("第{i}片区完成道路改造{i}米。\n"));
        }
        for i in 1..=3 {
            text.push_str(&format!("林区{i}森林覆盖率稳定。\n"));
        }
        let notes = ingest(s, &text, "439903", DocType::WorkReport, (2023, 2023)).await;
        let all = SearchFilter::default();
        let common = s.search("区", &all, 200).await.unwrap();
        assert_eq!((common.total, common.more), (1000, true));
        assert_eq!(common.hits.len(), 200);
        assert!(common.hits.iter().all(|h| marked_text(h).contains('区')));
        let rare = find(s, "林", &all).await;
        assert!(rare.total >= 3 && !rare.more, "{}", rare.total);
        assert!(rare.hits.iter().all(|h| marked_text(h).contains('林')));
        let both_words = find(s, "区 森林覆盖率", &all).await;
        assert_eq!(
            places(&both_words),
            [(notes, 1202), (notes, 1203), (notes, 1204)],
            "only the lines with both"
        );
        assert!(!places(&both_words).iter().any(|(d, _)| *d == plan));
    }
}

fn marked_text(h: &planwatch_store::SearchHit) -> String {
    h.fragments.iter().map(|f| f.text.as_str()).collect()
}
