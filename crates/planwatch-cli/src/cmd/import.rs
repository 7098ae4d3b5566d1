//! `planwatch import actuals`: observations from a CSV or XLSX file, all or nothing;
//! `planwatch import projects`: a project bank ([`super::import_projects`]).

use std::path::PathBuf;

use anyhow::{Context, Result, anyhow};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use planwatch_store::{ImportBatch, ImportOutcome, ImportScope};

use super::db::{DbArgs, actor, open, runtime};

/// Arguments of `planwatch import`.
#[derive(Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    what: ImportWhat,
}

/// What to import.
#[derive(Subcommand)]
pub enum ImportWhat {
    /// Actual values (地区, 年份, 指标, 数值, 单位, 类型, 来源, 备注) from CSV (UTF-8 or GBK) or XLSX.
    /// Each file is imported all or nothing; the files are independent. A row's region is
    /// its code, or a name exactly one registered region has; `--region` settles names
    /// several regions share (鼓楼区) and refuses rows of any other region.
    Actuals {
        /// The files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Administrative division code every row must belong to.
        #[arg(long, value_name = "CODE")]
        region: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// A project bank (项目库) from XLSX or CSV into a stored plan, all or nothing: its
    /// projects matched by name with the plan's, the rest added, year plans set.
    /// `--preview` shows the column mapping and what each row would do.
    Projects {
        /// The workbook.
        file: PathBuf,
        /// Row id of the plan document.
        #[arg(long, value_name = "ID")]
        document: i64,
        /// Year of the 年度计划投资 and planned-date columns.
        #[arg(long, value_parser = super::db::year_arg)]
        year: Option<i32>,
        /// Change the column mapping: `C=总投资` (a field by label or code), `C=` to ignore.
        #[arg(long, value_name = "LETTER=FIELD")]
        map: Vec<String>,
        /// Import this row as a new project even if its name matches one (repeatable).
        #[arg(long, value_name = "ROW")]
        separate: Vec<usize>,
        /// Show what would happen; store nothing.
        #[arg(long)]
        preview: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// Run `planwatch import`.
pub fn run(args: ImportArgs) -> Result<()> {
    match args.what {
        ImportWhat::Actuals { files, region, db } => runtime()?.block_on(async {
            let scope = ImportScope {
                region_code: region,
                allowed_regions: None,
            };
            let mut failed = 0;
            for file in &files {
                if let Err(e) = actuals(file, &scope, &db).await {
                    eprintln!("{e:#}");
                    failed += 1;
                }
            }
            if failed > 0 {
                anyhow::bail!("{failed} 个文件未导入（共 {} 个）", files.len());
            }
            Ok(())
        }),
        ImportWhat::Projects {
            file,
            document,
            year,
            map,
            separate,
            preview,
            db,
        } => runtime()?.block_on(async {
            let args = super::import_projects::ProjectImport {
                file: &file,
                document,
                year: year.map(i64::from),
                map: &map,
                separate: &separate,
                preview,
            };
            super::import_projects::run(args, &db).await
        }),
    }
}

async fn actuals(file: &PathBuf, scope: &ImportScope, db: &DbArgs) -> Result<()> {
    let name = file.display().to_string();
    let bytes = std::fs::read(file).with_context(|| format!("{name}: 无法读取文件"))?;
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| name.clone());
    let rows = planwatch_parse::actuals::read_actuals(&bytes, &file_name)
        .map_err(|e| anyhow!("{name}: {e}；整个文件未导入"))?;
    let store = open(db).await?;
    let batch = ImportBatch {
        file_name,
        sha256: planwatch_parse::sha256_hex(&bytes),
    };
    let bar = ProgressBar::new(rows.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} 行")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress_bar = bar.clone();
    let out = store
        .import_observations_scoped(&batch, &rows, scope, &actor(), &mut move |n| {
            progress_bar.set_position(n as u64)
        })
        .await
        .map_err(|e| anyhow!("{name}: {e}；整个文件未导入"))?;
    bar.finish_and_clear();
    match out {
        ImportOutcome::Imported { import_id, rows } => {
            println!("{name}: 已导入 {rows} 条观测值（导入批次 #{import_id}）")
        }
        ImportOutcome::AlreadyImported { import_id } => {
            println!("{name}: 该文件已导入过（导入批次 #{import_id}），未重复导入")
        }
    }
    Ok(())
}
