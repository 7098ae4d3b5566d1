//! `planwatch search`: full-text search over the stored documents' text, one line per
//! hit with its document and line number.

use std::fmt::Write;

use anyhow::Result;
use clap::{Args, ValueEnum};
use planwatch_core::plan::DocType;
use planwatch_store::search::query;
use planwatch_store::{SearchFilter, SearchResults};

use super::db::{DbArgs, open, runtime};

/// Output format of `planwatch search`.
#[derive(Clone, Copy, ValueEnum)]
pub enum SearchFormat {
    /// One block per hit, hits in 【】.
    Text,
    /// The results as documented in docs/search.md.
    Json,
}

/// Arguments of `planwatch search`.
#[derive(Args)]
pub struct SearchArgs {
    /// Words to find (separated by spaces: all of them on one line).
    query: String,
    /// Only documents of the region with this code.
    #[arg(long)]
    region: Option<String>,
    /// Only documents of this type: plan (五年规划纲要), work_report, annual_plan, …
    #[arg(long = "type", value_parser = doc_type_arg)]
    doc_type: Option<DocType>,
    /// Only documents whose period includes this year.
    #[arg(long, value_parser = super::db::year_arg)]
    year: Option<i32>,
    /// Only the lines an indicator of this name was read from (its name as written or
    /// the catalogue's name).
    #[arg(long)]
    indicator: Option<String>,
    /// Also the old versions of documents uploaded again (only the current ones by default).
    #[arg(long)]
    all_versions: bool,
    /// Lines shown at most (1 to 200).
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SearchFormat::Text)]
    format: SearchFormat,
    #[command(flatten)]
    db: DbArgs,
}

fn doc_type_arg(s: &str) -> Result<DocType, String> {
    query::doc_type(s)
}

/// Run `planwatch search`.
pub fn run(args: SearchArgs) -> Result<()> {
    runtime()?.block_on(async {
        let store = open(&args.db).await?;
        let filter = SearchFilter {
            region: args.region.clone(),
            doc_type: args.doc_type,
            year: args.year,
            documents: None,
            indicator: args.indicator.clone(),
            all_versions: args.all_versions,
        };
        let results = store.search(&args.query, &filter, args.limit).await?;
        match args.format {
            SearchFormat::Text => print!("{}", render_text(&results)),
            SearchFormat::Json => println!("{}", serde_json::to_string_pretty(&results)?),
        }
        Ok(())
    })
}

/// The results for a person: a count, then each hit's document, line and text.
fn render_text(r: &SearchResults) -> String {
    let words = r.terms.join("”“");
    let mut out = String::new();
    if r.total == 0 {
        let _ = writeln!(out, "没有找到含“{words}”的原文行。");
        return out;
    }
    let _ = writeln!(
        out,
        "含“{words}”的原文{}，显示前 {} 行：",
        r.count(),
        r.hits.len()
    );
    for (i, h) in r.hits.iter().enumerate() {
        let text: String = h
            .fragments
            .iter()
            .map(|f| {
                if f.hit {
                    format!("【{}】", f.text)
                } else {
                    f.text.clone()
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "{}. {}（文档 {}{}）第 {} 行\n   {}",
            i + 1,
            h.source(),
            h.document_id,
            if h.superseded { "，旧版本" } else { "" },
            h.line,
            text
        );
    }
    out
}
