//! `planwatch report`: the annual monitoring report, the mid-term or the final
//! evaluation of a stored plan, as DOCX, standalone HTML or Markdown.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use planwatch_report::report::{Clock, ReportKind, build};

use super::db::{DbArgs, open, runtime};

/// Which report.
#[derive(Clone, Copy, ValueEnum)]
pub enum KindArg {
    /// 年度监测报告.
    Annual,
    /// 中期评估报告.
    Midterm,
    /// 总结评估报告.
    Final,
}

/// Output format.
#[derive(Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// Word document (opens in Word and LibreOffice).
    Docx,
    /// One standalone HTML file with inline SVG charts and print styles.
    Html,
    /// Markdown.
    Md,
}

/// Arguments of `planwatch report`.
#[derive(Args)]
pub struct ReportArgs {
    /// Document id of the plan (see `planwatch ingest`).
    #[arg(long)]
    plan: i64,
    /// Kind of report.
    #[arg(long, value_enum, default_value_t = KindArg::Annual)]
    kind: KindArg,
    /// Evaluation year: data up to this year is used.
    #[arg(long, value_parser = super::db::year_arg)]
    year: i32,
    /// Output format (default: from the file extension of --out, else docx).
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// The file to write.
    #[arg(long)]
    out: PathBuf,
    /// Date printed on the report (YYYY-MM-DD; default today), for reproducible output.
    #[arg(long)]
    date: Option<String>,
    #[command(flatten)]
    db: DbArgs,
}

fn parse_date(s: &str) -> Result<Clock> {
    // Strict ISO 8601 (YYYY-MM-DD) and a real calendar day: 2024-02-30 is refused.
    s.trim()
        .parse::<jiff::civil::Date>()
        .ok()
        .filter(|_| s.trim().len() == 10)
        .map(Clock::Fixed)
        .ok_or_else(|| anyhow::anyhow!("--date {s}: 应为 YYYY-MM-DD 格式的有效日期"))
}

fn format_of(args: &ReportArgs) -> FormatArg {
    if let Some(f) = args.format {
        return f;
    }
    match args.out.extension().and_then(|e| e.to_str()) {
        Some("html" | "htm") => FormatArg::Html,
        Some("md" | "markdown") => FormatArg::Md,
        _ => FormatArg::Docx,
    }
}

/// Run `planwatch report`.
pub fn run(args: ReportArgs) -> Result<()> {
    let clock = match &args.date {
        Some(d) => parse_date(d)?,
        None => Clock::System,
    };
    let kind = match args.kind {
        KindArg::Annual => ReportKind::Annual,
        KindArg::Midterm => ReportKind::Midterm,
        KindArg::Final => ReportKind::Final,
    };
    let format = format_of(&args);
    runtime()?.block_on(async {
        let store = open(&args.db).await?;
        let report = build(&store, args.plan, kind, args.year, &clock).await?;
        let bytes = match format {
            FormatArg::Md => planwatch_report::markdown::render(&report).into_bytes(),
            FormatArg::Html => planwatch_report::html::render(&report).into_bytes(),
            FormatArg::Docx => planwatch_report::docx::render(&report)?,
        };
        std::fs::write(&args.out, bytes)
            .with_context(|| format!("{}: 无法写入报告", args.out.display()))?;
        println!(
            "已生成{}{}：{}",
            report.title,
            report.subtitle,
            args.out.display()
        );
        println!("{}", report.summary_sentence);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2024-03-15").unwrap(),
            Clock::Fixed(jiff::civil::date(2024, 3, 15))
        );
        for bad in ["2024-13-01", "2024/03/15", "x", "2024-03", "2024-02-30"] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }
}
