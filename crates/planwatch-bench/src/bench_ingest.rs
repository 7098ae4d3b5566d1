//! `planwatch-bench ingest`: ingest throughput (documents per second) and database
//! size per document, on synthetic plans or on given files replicated N times.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use planwatch_core::plan::{
    Attribute, DocType, HeadingKind, Indicator, Investment, ItemSource, OutlineNode, Period, Plan,
    Project, ProseTarget, Source, TargetKind, ValueCell,
};
use planwatch_core::quantity::Comparator;

use crate::runtime;
use planwatch_parse::sha256_hex;

/// Arguments of `planwatch-bench ingest`.
#[derive(Args)]
pub struct BenchIngestArgs {
    /// Plan files to replicate; without files, a synthetic county plan is used.
    files: Vec<PathBuf>,
    /// Number of documents to ingest.
    #[arg(long, short, default_value_t = 300)]
    n: usize,
    /// Database URL; default a fresh SQLite file in the temp directory, removed afterwards.
    #[arg(long)]
    db: Option<String>,
}

/// A synthetic county plan of realistic size: 10 chapters of 8 tasks each (two with
/// departments), 30 indicators, 10 prose targets and 10 projects.
pub fn synthetic_plan(i: usize) -> Plan {
    let mut outline = Vec::new();
    let mut line = 1;
    for ch in 1..=10 {
        outline.push(node(
            line,
            1,
            HeadingKind::Chapter,
            &format!("第{ch}章"),
            &format!("第{ch}项重点任务"),
        ));
        line += 1;
        for item in 1..=8 {
            let title = if item % 4 == 0 {
                format!(
                    "推进第{ch}-{item}项工程建设(牵头单位:区发改局;配合单位:区财政局、区住建局)"
                )
            } else {
                format!("实施第{ch}-{item}项行动,提升发展质量")
            };
            outline.push(node(line, 2, HeadingKind::Lead, "", &title));
            line += 3;
        }
    }
    let indicators = (0..30)
        .map(|k| {
            let base = 100.0 + k as f64 * 7.5;
            Indicator {
                page: None,
                parent: None,
                seq: None,
                line: 400 + k,
                source: ItemSource::Table,
                category: Some(["经济发展", "创新驱动", "民生福祉", "绿色生态"][k % 4].into()),
                name: format!("主要指标{k}"),
                unit: Some("亿元".into()),
                attribute: Some(if k % 5 == 0 {
                    Attribute::Binding
                } else {
                    Attribute::Expected
                }),
                baseline: Some(value(2020, base)),
                target: Some(value(2025, base * 1.4)),
                growth: None,
            }
        })
        .collect();
    let targets = (0..10)
        .map(|k| ProseTarget {
            page: None,
            line: 500 + k,
            text: format!("到2025年,第{k}项产业规模达到{}亿元", 50 + k),
            indicator: format!("第{k}项产业规模"),
            value: (50 + k) as f64,
            unit: Some("亿元".into()),
            year: Some(2025),
            comparator: Some(Comparator::Eq),
            kind: TargetKind::Level,
        })
        .collect();
    let projects = (0..10)
        .map(|k| Project {
            page: None,
            line: 600 + k,
            name: format!("第{k}号重点项目"),
            investment: Some(Investment {
                text: format!("总投资{k}.5亿元"),
                value: k as f64 + 0.5,
                unit: "亿元".into(),
            }),
        })
        .collect();
    Plan {
        source: Source {
            pages: None,
            page_starts: Vec::new(),
            path: format!("bench/{i}.txt"),
            sha256: String::new(),
            encoding: "UTF-8".into(),
            format: "txt".into(),
            lines: 700,
        },
        title: Some(format!("基准区{i}国民经济和社会发展第十四个五年规划纲要")),
        region: Some(format!("基准区{i}")),
        doc_type: DocType::PlanOutline,
        period: Some(Period {
            start: 2021,
            end: 2025,
        }),
        outline,
        tables: Vec::new(),
        indicators,
        targets,
        boxes: Vec::new(),
        projects,
        diagnostics: Vec::new(),
        figures: Vec::new(),
    }
}

fn node(line: usize, level: u8, kind: HeadingKind, number: &str, title: &str) -> OutlineNode {
    OutlineNode {
        page: None,
        line,
        level,
        kind,
        number: number.into(),
        title: title.into(),
    }
}

fn value(year: i32, v: f64) -> ValueCell {
    ValueCell {
        year: Some(year),
        text: format!("{v}"),
        value: Some(v),
        comparator: None,
        cumulative: false,
    }
}

/// Run `planwatch-bench ingest`.
pub fn run(args: BenchIngestArgs) -> Result<()> {
    let mut sources = Vec::new();
    for path in &args.files {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).with_context(|| format!("{name}: 无法读取文件"))?;
        let plan = planwatch_parse::parse_bytes(&bytes, &name)
            .with_context(|| format!("{name}: 无法解析"))?;
        sources.push((bytes, plan));
    }
    let temp = std::env::temp_dir().join(format!("planwatch-bench-{}.db", std::process::id()));
    let url = args
        .db
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", temp.display()));
    let result = runtime()?.block_on(async {
        let store = planwatch_store::Store::open(&url).await?;
        let size_before = store.size_bytes().await?;
        let start = Instant::now();
        for i in 0..args.n {
            // Each replica gets its own hash and region, so each is a new document of its own lineage.
            let (mut plan, sha) = if sources.is_empty() {
                (synthetic_plan(i), sha256_hex(format!("synthetic-{i}").as_bytes()))
            } else {
                let (bytes, plan) = &sources[i % sources.len()];
                let mut plan = plan.clone();
                plan.region = Some(format!("{}#{i}", plan.region.as_deref().unwrap_or("地区")));
                let mut salted = bytes.clone();
                salted.extend_from_slice(format!("\n#{i}").as_bytes());
                (plan, sha256_hex(&salted))
            };
            plan.source.sha256 = sha;
            store.ingest_document(&plan, "", None, "bench").await?;
        }
        let secs = start.elapsed().as_secs_f64();
        let size = store.size_bytes().await?.saturating_sub(size_before);
        let items = match sources.first() {
            Some((_, p)) => p.outline.len() + p.indicators.len() + p.targets.len() + p.projects.len(),
            None => {
                let p = synthetic_plan(0);
                p.outline.len() + p.indicators.len() + p.targets.len() + p.projects.len()
            }
        };
        println!(
            "{} documents ({} items each) into {}: {:.2} s = {:.1} documents/s; database +{:.1} MB = {:.1} KB/document",
            args.n,
            items,
            store.backend().as_str(),
            secs,
            args.n as f64 / secs,
            size as f64 / 1e6,
            size as f64 / 1024.0 / args.n.max(1) as f64
        );
        store.close().await;
        anyhow::Ok(())
    });
    if args.db.is_none() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", temp.display()));
        }
    }
    result
}
