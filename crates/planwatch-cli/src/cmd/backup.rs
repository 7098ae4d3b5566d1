//! `planwatch backup` and `planwatch restore`: a consistent JSON-lines snapshot of the database.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::db::{DbArgs, open, runtime};

/// Arguments of `planwatch backup`.
#[derive(Args)]
pub struct BackupArgs {
    /// The backup file to write.
    #[arg(long, short)]
    out: PathBuf,
    #[command(flatten)]
    db: DbArgs,
}

/// Arguments of `planwatch restore`.
#[derive(Args)]
pub struct RestoreArgs {
    /// A file written by `planwatch backup`.
    file: PathBuf,
    #[command(flatten)]
    db: DbArgs,
}

/// Run `planwatch backup`.
pub fn backup(args: BackupArgs) -> Result<()> {
    runtime()?.block_on(async {
        let store = open(&args.db).await?;
        let summary = store
            .backup(&args.out)
            .await
            .with_context(|| format!("{}: 备份失败", args.out.display()))?;
        println!(
            "已备份到 {}：{} 张表，共 {} 行",
            args.out.display(),
            summary.tables.len(),
            summary.total_rows()
        );
        Ok(())
    })
}

/// Run `planwatch restore` (into an empty database).
pub fn restore(args: RestoreArgs) -> Result<()> {
    runtime()?.block_on(async {
        let store = open(&args.db).await?;
        let summary = store
            .restore(&args.file)
            .await
            .with_context(|| format!("{}: 恢复失败", args.file.display()))?;
        println!(
            "已从 {} 恢复 {} 行",
            args.file.display(),
            summary.total_rows()
        );
        Ok(())
    })
}
