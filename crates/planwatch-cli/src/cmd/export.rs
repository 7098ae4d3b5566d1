//! `planwatch export ledger`: the monitoring ledger of a stored plan as an XLSX workbook:
//! 指标监测表 (indicators with baseline, target and latest actual) and 任务分解表
//! (tasks with departments, deadline and progress), optionally one sheet per department.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};
use planwatch_report::ledger::{build_ledger, workbook_bytes};

use super::db::{DbArgs, open, runtime};

/// Arguments of `planwatch export`.
#[derive(Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    what: ExportWhat,
}

/// What to export.
#[derive(Subcommand)]
pub enum ExportWhat {
    /// The indicator and task ledger of a plan as XLSX.
    Ledger {
        /// Document id of the plan (see `planwatch ingest`).
        #[arg(long)]
        plan: i64,
        /// The workbook to write.
        #[arg(long)]
        out: PathBuf,
        /// Add one task sheet per department.
        #[arg(long)]
        by_department: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// Run `planwatch export`.
pub fn run(args: ExportArgs) -> Result<()> {
    match args.what {
        ExportWhat::Ledger {
            plan,
            out,
            by_department,
            db,
        } => runtime()?.block_on(async {
            let store = open(&db).await?;
            let ledger = build_ledger(&store, plan, by_department).await?;
            let bytes = workbook_bytes(&ledger)?;
            std::fs::write(&out, bytes)
                .map_err(|e| anyhow::anyhow!("{}: 无法写入工作簿（{e}）", out.display()))?;
            println!("已导出 {}：{}", out.display(), ledger.describe());
            Ok(())
        }),
    }
}
