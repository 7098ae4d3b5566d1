//! `planwatch-bench parse`: parse throughput; for PDFs also pages/s next to
//! poppler's `pdftotext` on the same files.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;

/// Arguments of `planwatch-bench parse`.
#[derive(Args)]
pub struct BenchArgs {
    /// Files to parse.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Repetitions per file.
    #[arg(long, default_value_t = 20)]
    iterations: usize,
}

/// Parse every file `iterations` times on one core and report MB/s.
pub fn run(args: BenchArgs) -> Result<()> {
    let mut inputs = Vec::new();
    for path in &args.files {
        let bytes = std::fs::read(path).with_context(|| format!("无法读取 {}", path.display()))?;
        inputs.push((path.display().to_string(), bytes));
    }
    let total_bytes: usize = inputs.iter().map(|(_, b)| b.len()).sum();
    let start = Instant::now();
    let mut items = 0usize;
    for _ in 0..args.iterations {
        for (path, bytes) in &inputs {
            let plan = planwatch_parse::parse_bytes(bytes, path)
                .with_context(|| format!("{path}: 无法解析"))?;
            items += plan.outline.len() + plan.indicators.len() + plan.targets.len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let mb = (total_bytes * args.iterations) as f64 / 1e6;
    println!(
        "parsed {} files × {} iterations: {:.1} MB in {:.3} s = {:.1} MB/s ({} items)",
        inputs.len(),
        args.iterations,
        mb,
        secs,
        mb / secs,
        items / args.iterations.max(1)
    );
    for (path, bytes) in &inputs {
        if bytes.starts_with(b"%PDF-") {
            bench_pdf(Path::new(path), bytes, args.iterations)?;
        }
    }
    Ok(())
}

/// One PDF: our parse against `pdftotext` (text only, no structure), one core each.
fn bench_pdf(path: &Path, bytes: &[u8], iterations: usize) -> Result<()> {
    let name = path.display().to_string();
    let pages = planwatch_parse::decode::decode(bytes, &name)
        .with_context(|| format!("{name}: 无法解析"))?
        .page_starts
        .len();
    let start = Instant::now();
    for _ in 0..iterations {
        planwatch_parse::parse_bytes(bytes, &name).with_context(|| format!("{name}: 无法解析"))?;
    }
    let ours = start.elapsed().as_secs_f64() / iterations as f64;
    let mb = bytes.len() as f64 / 1e6;
    print!(
        "{name}: {pages} pages, {:.1} MB: planwatch {:.1} ms = {:.0} pages/s, {:.1} MB/s",
        mb,
        ours * 1e3,
        pages as f64 / ours,
        mb / ours
    );
    let start = Instant::now();
    for _ in 0..iterations {
        let status = Command::new("pdftotext")
            .args(["-q"])
            .arg(path)
            .arg("-")
            .stdout(Stdio::null())
            .status();
        if !status.is_ok_and(|s| s.success()) {
            println!(" (pdftotext not available)");
            return Ok(());
        }
    }
    let theirs = start.elapsed().as_secs_f64() / iterations as f64;
    println!(
        "; pdftotext {:.1} ms = {:.0} pages/s, {:.1} MB/s; ratio planwatch/pdftotext time {:.2}",
        theirs * 1e3,
        pages as f64 / theirs,
        mb / theirs,
        ours / theirs
    );
    Ok(())
}
