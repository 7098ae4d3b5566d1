//! `planwatch ingest`: parse plan documents and store them, idempotent by file hash.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::db::{DbArgs, actor, open, runtime};

/// Arguments of `planwatch ingest`.
#[derive(Args)]
pub struct IngestArgs {
    /// Plan files or directories (TXT, HTML, DOCX, PDF; DOC, WPS, RTF through LibreOffice).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Administrative division code of the region the documents belong to.
    #[arg(long)]
    region: Option<String>,
    #[command(flatten)]
    db: DbArgs,
}

/// Files to ingest: the files given, and the plan files inside the directories given.
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            collect_dir(input, &mut files)?;
        } else if input.is_file() {
            files.push(input.clone());
        } else {
            bail!("{}: 文件或目录不存在", input.display());
        }
    }
    Ok(files)
}

fn collect_dir(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("{}: 无法读取目录", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_dir(&path, out)?;
        } else {
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            if matches!(
                ext.as_str(),
                "txt" | "html" | "htm" | "docx" | "pdf" | "doc" | "wps" | "rtf"
            ) {
                out.push(path);
            }
        }
    }
    Ok(())
}

/// Run `planwatch ingest`.
pub fn run(args: IngestArgs) -> Result<()> {
    let files = expand_inputs(&args.inputs)?;
    runtime()?.block_on(ingest(args, files))
}

async fn ingest(args: IngestArgs, files: Vec<PathBuf>) -> Result<()> {
    let store = open(&args.db).await?;
    let actor = actor();
    let bar = ProgressBar::new(files.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let (mut added, mut unchanged, mut failed) = (0, 0, 0);
    let mut notes = Vec::new();
    for path in &files {
        let name = path.display().to_string();
        bar.set_message(name.clone());
        let result: Result<()> = async {
            let bytes = std::fs::read(path).with_context(|| format!("{name}: 无法读取文件"))?;
            // Known files are skipped before the (slower) parse.
            let sha = planwatch_parse::sha256_hex(&bytes);
            if let Some(doc) = store.document_by_sha256(&sha).await? {
                unchanged += 1;
                notes.push(format!("{name}: 未变化（文档 #{}）", doc.id));
                return Ok(());
            }
            let (plan, text) = planwatch_parse::parse_bytes_with_text(&bytes, &name)
                .with_context(|| format!("{name}: 无法解析"))?;
            // The decoded text lets the web pages show each item's source line.
            let out = store
                .ingest_document(&plan, &text, args.region.as_deref(), &actor)
                .await
                .with_context(|| format!("{name}: 无法入库"))?;
            added += 1;
            let mut line = format!(
                "{name}: 已入库为文档 #{}（指标 {} 项，目标 {} 条，诊断 {} 条）",
                out.document_id,
                plan.indicators.len(),
                plan.targets.len(),
                plan.diagnostics.len()
            );
            if let Some(prev) = out.supersedes {
                let kept = out.corrections.iter().filter(|c| c.applied).count();
                line.push_str(&format!("；取代文档 #{prev}，保留更正 {kept} 条"));
            }
            notes.push(line);
            for c in out.not_applied() {
                notes.push(format!(
                    "  更正 #{} 不再适用({} {}):{}",
                    c.correction_id,
                    c.item_kind.label(),
                    c.item_key,
                    c.message
                ));
            }
            Ok(())
        }
        .await;
        if let Err(e) = result {
            failed += 1;
            notes.push(format!("错误：{e:#}"));
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    for n in &notes {
        println!("{n}");
    }
    println!(
        "共 {} 个文件：新入库 {added}，未变化 {unchanged}，失败 {failed}",
        files.len()
    );
    if failed > 0 {
        bail!("{failed} 个文件入库失败");
    }
    Ok(())
}
