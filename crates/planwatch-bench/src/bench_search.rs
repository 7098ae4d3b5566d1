//! `planwatch-bench search`: full-text search on the `ingest` bench's synthetic
//! documents, each with a synthetic text: latency (p50/p99) of a set of queries, the
//! index's size (SQLite `dbstat`), and ingest time with the index against the same
//! ingest into a database whose search rows and index were taken out. SQLite only.

use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use planwatch_parse::sha256_hex;
use planwatch_store::{SearchFilter, Store};
use sqlx::Connection;

use crate::bench_ingest::synthetic_plan;
use crate::bench_serve::percentile;
use crate::runtime;

/// Arguments of `planwatch-bench search`.
#[derive(Args)]
pub struct BenchSearchArgs {
    /// Number of documents.
    #[arg(long, short, default_value_t = 3000)]
    n: usize,
    /// Lines of text per document.
    #[arg(long, default_value_t = 120)]
    lines: usize,
    /// Times each query is run.
    #[arg(long, default_value_t = 20)]
    repeat: usize,
    /// A PostgreSQL database (URL, an empty schema) to time the queries on instead of
    /// the two SQLite files: ingest and query latency only.
    #[arg(long)]
    db: Option<String>,
}

/// Queries: indexed words of every selectivity, short words (two characters, and one
/// character on every line: the worst case), two words, one document's own words, and
/// no hit.
const QUERIES: &[&str] = &[
    "乡村振兴",
    "单位地区生产总值能耗",
    "高质量发展",
    "数字政府建设",
    "乡村振兴 基准区17",
    "基准区1234",
    "碳达峰行动方案",
    "5G",
    "能耗",
    "区",
];

/// Phrases the synthetic lines are made of, in the register of county plans: one per
/// line, so each is on one line in 40 (the seeds have 乡村振兴 on about one in 40).
const PHRASES: &[&str] = &[
    "全面推进乡村振兴",
    "加快5G网络规模化部署",
    "单位地区生产总值能耗降低",
    "推动经济高质量发展",
    "深化数字政府建设",
    "发展特色优势产业",
    "完善公共服务体系",
    "加强生态环境保护",
    "持续优化营商环境",
    "提升城市综合承载能力",
    "促进城乡融合发展",
    "健全社会保障制度",
    "推进新型工业化",
    "扩大有效投资",
    "稳定和扩大就业",
    "办好人民满意的教育",
    "推进健康县城建设",
    "繁荣发展文化事业",
    "加强基层社会治理",
    "防范化解重大风险",
    "完善综合交通网络",
    "加快水利设施建设",
    "推进老旧小区改造",
    "培育壮大市场主体",
    "深化重点领域改革",
    "提高对外开放水平",
    "建设平安法治县城",
    "加强粮食安全保障",
    "推动商贸流通升级",
    "发展全域旅游",
    "提升科技创新能力",
    "强化人才支撑",
    "推进园区提质增效",
    "加强耕地保护",
    "完善养老服务体系",
    "促进消费提质扩容",
    "加强安全生产监管",
    "提高财政保障能力",
    "推进政务服务便利化",
    "巩固拓展脱贫攻坚成果",
];

/// The text of document `i`: a title, then lines of one phrase each with the same
/// filler and the line's own number, so words are common, rare and unique.
pub fn synthetic_text(i: usize, lines: usize) -> String {
    let mut out = format!("基准区{i}国民经济和社会发展第十四个五年规划纲要\n");
    for l in 1..lines {
        let p = PHRASES[(i * 7 + l * 13) % PHRASES.len()];
        out.push_str(&format!(
            "（{l}）{p}，坚持系统观念，统筹发展和安全，基准区{i}第{l}项工作年内完成。\n"
        ));
    }
    out
}

/// Run `planwatch-bench search`.
pub fn run(args: BenchSearchArgs) -> Result<()> {
    runtime()?.block_on(async {
        if let Some(url) = &args.db {
            let store = Store::open(url).await?;
            let secs = ingest(&store, &args).await?;
            println!(
                "ingest of {} documents × {} lines: {secs:.1} s; trigram index: {}",
                args.n,
                args.lines,
                store.search_indexed().await?
            );
            latencies(&store, &args).await?;
            store.close().await;
            return Ok(());
        }
        let dir =
            std::env::temp_dir().join(format!("planwatch-bench-search-{}", std::process::id()));
        std::fs::create_dir_all(&dir).context("无法创建临时目录")?;
        let with = format!("sqlite://{}", dir.join("with.db").display());
        let without = format!("sqlite://{}", dir.join("without.db").display());
        let result = measure(&args, &with, &without).await;
        let _ = std::fs::remove_dir_all(&dir);
        result
    })
}

async fn measure(args: &BenchSearchArgs, with: &str, without: &str) -> Result<()> {
    let store = Store::open(without).await?;
    store.close().await;
    take_out_index(without).await?;
    let plain = Store::open(without).await?;
    let secs_without = ingest(&plain, args).await?;
    let size_without = plain.size_bytes().await?;
    plain.close().await;

    let store = Store::open(with).await?;
    let secs_with = ingest(&store, args).await?;
    let size_with = store.size_bytes().await?;
    println!(
        "ingest of {} documents × {} lines: {secs_with:.1} s with the index, {secs_without:.1} s without (+{:.0}%); \
         database {:.1} MB with, {:.1} MB without",
        args.n,
        args.lines,
        (secs_with / secs_without - 1.0) * 100.0,
        size_with as f64 / 1e6,
        size_without as f64 / 1e6
    );
    sizes(with).await?;

    latencies(&store, args).await?;
    store.close().await;
    Ok(())
}

/// p50 and p99 of each query and of all of them.
async fn latencies(store: &Store, args: &BenchSearchArgs) -> Result<()> {
    let mut all = Vec::new();
    for q in QUERIES {
        let mut times = Vec::new();
        let mut total = String::new();
        for _ in 0..args.repeat {
            let start = Instant::now();
            let r = store.search(q, &SearchFilter::default(), 50).await?;
            times.push(start.elapsed().as_micros() as u64);
            total = format!("{}{}", if r.more { ">" } else { "" }, r.total);
        }
        times.sort_unstable();
        println!(
            "{q:<16} {total:>8} lines  p50 {:>8.2} ms  p99 {:>8.2} ms",
            percentile(&times, 0.5),
            percentile(&times, 0.99)
        );
        all.extend(times);
    }
    all.sort_unstable();
    println!(
        "all queries ({} runs): p50 {:.2} ms, p99 {:.2} ms",
        all.len(),
        percentile(&all, 0.5),
        percentile(&all, 0.99)
    );
    Ok(())
}

async fn ingest(store: &Store, args: &BenchSearchArgs) -> Result<f64> {
    let start = Instant::now();
    for i in 0..args.n {
        let mut plan = synthetic_plan(i);
        plan.source.sha256 = sha256_hex(format!("search-{i}").as_bytes());
        let text = synthetic_text(i, args.lines);
        store.ingest_document(&plan, &text, None, "bench").await?;
    }
    Ok(start.elapsed().as_secs_f64())
}

/// The baseline: the search rows and their index replaced by a view that takes
/// inserts and deletes and keeps nothing, so the same ingest runs without them.
async fn take_out_index(url: &str) -> Result<()> {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await?;
    sqlx::raw_sql(
        "DROP TABLE search_vocab; DROP TABLE search_fts; DROP TABLE search_lines; \
         CREATE VIEW search_lines AS SELECT 0 AS id, 0 AS document_id, 0 AS line, '' AS text WHERE 0; \
         CREATE TRIGGER search_lines_nothing INSTEAD OF INSERT ON search_lines BEGIN SELECT 1; END; \
         CREATE TRIGGER search_lines_none INSTEAD OF DELETE ON search_lines BEGIN SELECT 1; END;",
    )
    .execute(&mut conn)
    .await?;
    conn.close().await?;
    Ok(())
}

/// Bytes of the search rows and of the FTS5 index, and of the texts they come from.
async fn sizes(url: &str) -> Result<()> {
    let mut conn = sqlx::AnyConnection::connect(url).await?;
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT CASE WHEN name LIKE 'search_fts%' THEN 'FTS5 trigram index' \
         WHEN name LIKE 'search_lines%' THEN 'search_lines rows' ELSE 'document_texts' END AS part, \
         SUM(pgsize) FROM dbstat WHERE name LIKE 'search_%' OR name LIKE '%document_texts%' \
         GROUP BY part ORDER BY part",
    )
    .fetch_all(&mut conn)
    .await?;
    for (part, bytes) in rows {
        println!("  {part}: {:.1} MB", bytes as f64 / 1e6);
    }
    conn.close().await?;
    Ok(())
}
