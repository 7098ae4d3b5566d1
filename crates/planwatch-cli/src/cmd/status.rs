//! `planwatch status`: the evaluation of a stored plan from stored data (corrections
//! applied, imported observations and ingested annual targets).

use anyhow::Result;
use clap::Args;

use super::db::{DbArgs, open, runtime};
use super::evaluate::{EvalFormat, render_text};

/// Arguments of `planwatch status`.
#[derive(Args)]
pub struct StatusArgs {
    /// Document id of the plan (see `planwatch ingest`).
    #[arg(long)]
    plan: i64,
    /// Evaluate with data up to this year (default: the latest year in the data).
    #[arg(long, value_parser = super::db::year_arg)]
    year: Option<i32>,
    /// Ignore figures released after this date (YYYY-MM-DD, a real calendar day).
    #[arg(long, value_parser = super::db::date_arg)]
    as_of: Option<jiff::civil::Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
    format: EvalFormat,
    #[command(flatten)]
    db: DbArgs,
}

/// Run `planwatch status`.
pub fn run(args: StatusArgs) -> Result<()> {
    runtime()?.block_on(async {
        let store = open(&args.db).await?;
        let status = store.plan_status(args.plan, args.year, args.as_of).await?;
        match args.format {
            EvalFormat::Text => print!("{}", render_text(&status)),
            EvalFormat::Json => println!("{}", serde_json::to_string_pretty(&status)?),
        }
        Ok(())
    })
}
