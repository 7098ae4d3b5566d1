//! What the database subcommands share: the `--db` option, the async runtime,
//! and the actor recorded in the audit log.

use anyhow::{Context, Result};
use clap::Args;
use planwatch_store::{DEFAULT_DB_URL, Store};

/// The `--db` option (default `sqlite://planwatch.db`, or env `PLANWATCH_DB`).
#[derive(Args, Clone)]
pub struct DbArgs {
    /// Database URL: sqlite://FILE or postgres://USER@HOST/DB.
    #[arg(long, env = "PLANWATCH_DB", default_value = DEFAULT_DB_URL)]
    pub db: String,
}

/// A runtime for the store's async calls; two workers match the machines we target.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("无法启动异步运行时")
}

/// Open the database, creating an SQLite file on first use.
pub async fn open(args: &DbArgs) -> Result<Store> {
    Store::open(&args.db).await.map_err(anyhow::Error::from)
}

/// Who the audit log names for changes made from the command line:
/// `PLANWATCH_ACTOR`, else the login name, else 命令行.
pub fn actor() -> String {
    ["PLANWATCH_ACTOR", "USER", "USERNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
        .map(|v| format!("cli:{v}"))
        .unwrap_or_else(|| "命令行".to_string())
}

/// `--year` of the commands that evaluate: a year within 1949—2100 (the rule of the web
/// forms and imports), so a typo cannot title a report "3000年度监测报告".
pub fn year_arg(s: &str) -> Result<i32, String> {
    let n: i64 = s
        .trim()
        .parse()
        .map_err(|_| format!("年份应为四位数：{s}"))?;
    planwatch_core::validate::year("年份", n)
}

/// `--as-of`: a calendar date (the one date rule of `planwatch_core::validate::date`).
pub fn date_arg(s: &str) -> Result<jiff::civil::Date, String> {
    planwatch_core::validate::date("日期", s)?
        .parse()
        .map_err(|_| format!("日期“{s}”无效"))
}
