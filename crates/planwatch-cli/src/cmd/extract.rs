//! `planwatch extract actuals`: proposed observations from statistical bulletins and
//! work reports, written in the import format so `planwatch import actuals` takes them.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow};
use clap::{Args, Subcommand, ValueEnum};
use planwatch_parse::extract::{Extraction, Options, doc_type_label, extract_bytes, to_csv};

/// Arguments of `planwatch extract`.
#[derive(Args)]
pub struct ExtractArgs {
    #[command(subcommand)]
    what: ExtractWhat,
}

/// What to extract.
#[derive(Subcommand)]
pub enum ExtractWhat {
    /// Actual values of catalogue indicators from 统计公报 and the review part of
    /// 政府工作报告 (TXT, HTML, DOCX): one row per figure, with file:line and the sentence
    /// in the `source` column. Review the rows, then `planwatch import actuals` the file.
    Actuals {
        /// The documents.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Region code (or name) written in every row, instead of the document's region.
        #[arg(long, value_name = "CODE")]
        region: Option<String>,
        /// The year the figures are for, instead of the year read from the document.
        #[arg(long, value_name = "Y")]
        year: Option<i64>,
        /// Output format.
        #[arg(long, value_enum, default_value = "csv")]
        format: OutFormat,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// Output formats of `extract actuals`.
#[derive(Clone, Copy, ValueEnum)]
pub enum OutFormat {
    /// The import CSV plus a `source` column.
    Csv,
    /// The documents and their proposals as JSON.
    Json,
}

/// Run `planwatch extract`.
pub fn run(args: ExtractArgs) -> Result<()> {
    let ExtractWhat::Actuals {
        files,
        region,
        year,
        format,
        out,
    } = args.what;
    let year = year
        .map(|y| planwatch_core::validate::year("--year", y))
        .transpose()
        .map_err(|e| anyhow!(e))?;
    if let Some(r) = &region {
        planwatch_core::validate::text("--region", r, 64, false).map_err(|e| anyhow!(e))?;
    }
    let opts = Options { region, year };
    let mut docs = Vec::new();
    for file in &files {
        let name = file.display().to_string();
        let bytes = std::fs::read(file).with_context(|| format!("{name}: 无法读取文件"))?;
        let doc = extract_bytes(&bytes, &name, &opts).map_err(|e| anyhow!("{name}: {e}"))?;
        eprintln!("{}", summary(&doc));
        docs.push(doc);
    }
    let text = match format {
        OutFormat::Csv => to_csv(&docs),
        OutFormat::Json => serde_json::to_string_pretty(&docs)? + "\n",
    };
    match out {
        Some(path) => {
            std::fs::write(&path, text).with_context(|| format!("{}: 无法写入", path.display()))?
        }
        None => std::io::stdout().write_all(text.as_bytes())?,
    }
    Ok(())
}

/// One line per document for the terminal: what it is and how many figures it gave.
fn summary(doc: &Extraction) -> String {
    format!(
        "{}：{}，{}，{}年，第 {}—{} 行，提取 {} 条",
        doc.file,
        doc_type_label(doc.doc_type),
        doc.region,
        doc.year,
        doc.lines.0,
        doc.lines.1,
        doc.rows.len()
    )
}
