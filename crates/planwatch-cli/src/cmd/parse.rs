//! `planwatch parse`: one file to stdout, or many files to an output directory.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use planwatch_core::plan::Plan;
use rayon::prelude::*;

/// Output format of `planwatch parse`.
#[derive(Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    /// The stable JSON contract.
    Json,
    /// A readable outline for a person.
    Text,
}

/// Arguments of `planwatch parse`.
#[derive(Args)]
pub struct ParseArgs {
    /// Plan files or directories (TXT, HTML, DOCX, PDF; DOC, WPS, RTF through LibreOffice).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// Write one JSON file per input into this directory (required for several inputs).
    #[arg(long, short)]
    out: Option<PathBuf>,
}

/// Run `planwatch parse`.
pub fn run(args: ParseArgs) -> Result<()> {
    let files = expand_inputs(&args.inputs)?;
    match (&args.out, files.as_slice()) {
        (None, [one]) => {
            let plan = parse_file(one)?;
            print!("{}", render(&plan, args.format)?);
            Ok(())
        }
        (None, _) => bail!("多个输入文件需要用 --out 指定输出目录"),
        (Some(dir), _) => parse_many(&files, dir),
    }
}

fn parse_file(path: &Path) -> Result<Plan> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: 无法读取文件", path.display()))?;
    planwatch_parse::parse_bytes(&bytes, &path.display().to_string())
        .with_context(|| format!("{}: 无法解析", path.display()))
}

fn render(plan: &Plan, format: OutputFormat) -> Result<String> {
    Ok(match format {
        OutputFormat::Json => serde_json::to_string_pretty(plan)? + "\n",
        OutputFormat::Text => planwatch_parse::render_text(plan),
    })
}

/// Parse many files on all cores, one JSON per file, with a progress bar.
fn parse_many(files: &[PathBuf], dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}: 无法创建目录", dir.display()))?;
    let bar = ProgressBar::new(files.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let failures: Vec<String> = files
        .par_iter()
        .filter_map(|path| {
            let result = parse_file(path).and_then(|plan| {
                let name = path.file_stem().unwrap_or_default().to_string_lossy();
                let out = dir.join(format!("{name}.json"));
                std::fs::write(&out, serde_json::to_string_pretty(&plan)?)
                    .with_context(|| format!("{}: 无法写入", out.display()))
            });
            bar.inc(1);
            result.err().map(|e| format!("{e:#}"))
        })
        .collect();
    bar.finish_and_clear();
    eprintln!(
        "已解析 {} 个文件，失败 {} 个",
        files.len() - failures.len(),
        failures.len()
    );
    for f in &failures {
        eprintln!("  {f}");
    }
    if failures.is_empty() {
        Ok(())
    } else {
        bail!("{} 个文件解析失败", failures.len())
    }
}

/// Files named directly, plus the regular files directly inside named directories.
fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(input)
                .with_context(|| format!("{}: 无法读取目录", input.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            entries.sort();
            files.extend(entries);
        } else if input.exists() {
            files.push(input.clone());
        } else {
            bail!("{}: 文件不存在", input.display());
        }
    }
    if files.is_empty() {
        bail!("没有找到可解析的文件");
    }
    Ok(files)
}
