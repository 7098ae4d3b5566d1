//! `planwatch-bench`: measurements of planwatch, as a binary of its own so the
//! product's `planwatch` carries no load client or synthetic data. Each subcommand
//! prints its figures; nothing is asserted about speed.

mod bench;
mod bench_eval;
mod bench_ingest;
mod bench_projects;
mod bench_search;
mod bench_serve;

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

/// Benchmarks of planwatch.
#[derive(Parser)]
#[command(name = "planwatch-bench", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse throughput on files.
    Parse(bench::BenchArgs),
    /// Time the evaluation engine on synthetic plans.
    Eval(bench_eval::BenchEvalArgs),
    /// Ingest throughput and database size per document.
    Ingest(bench_ingest::BenchIngestArgs),
    /// Requests/s and p50/p99 latency of a running `planwatch serve` on loopback.
    Serve(bench_serve::BenchServeArgs),
    /// Search latency, index size and ingest slowdown on synthetic documents (SQLite).
    Search(bench_search::BenchSearchArgs),
    /// Fill a stored plan with synthetic key projects and a year of approved reports.
    Projects(bench_projects::BenchProjectsArgs),
}

/// A runtime for the async benches; two workers match the machines we target.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("无法启动异步运行时")
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Parse(args) => bench::run(args),
        Command::Eval(args) => bench_eval::run(args),
        Command::Ingest(args) => bench_ingest::run(args),
        Command::Serve(args) => bench_serve::run(args),
        Command::Projects(args) => bench_projects::run(args),
        Command::Search(args) => bench_search::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("错误: {err:#}");
            ExitCode::FAILURE
        }
    }
}
