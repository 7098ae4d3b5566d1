//! `planwatch-bench parse`: parse throughput.

use std::path::PathBuf;
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
    Ok(())
}
