//! `planwatch evaluate`: a plan plus observed figures in, status table and warnings out.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use planwatch_core::eval::record::num;
use planwatch_core::eval::{Category, Evaluation, PlanEvaluation, Target, evaluate_plan};

use crate::actuals;

/// Output format of `planwatch evaluate`.
#[derive(Clone, Copy, ValueEnum)]
pub enum EvalFormat {
    /// A status table for a person.
    Text,
    /// Every evaluation with its calculation record.
    Json,
}

/// Arguments of `planwatch evaluate`.
#[derive(Args)]
pub struct EvaluateArgs {
    /// The plan document (TXT, HTML, DOCX, PDF; DOC, WPS, RTF through LibreOffice).
    plan: PathBuf,
    /// Observations CSV or XLSX (region, year, indicator, value, unit, kind, source_url,
    /// note, optional vintage); repeat the option to read several files.
    #[arg(long, required = true)]
    actuals: Vec<PathBuf>,
    /// Evaluate with data up to this year (default: the latest year in the data).
    #[arg(long, value_parser = super::db::year_arg)]
    year: Option<i32>,
    /// Ignore figures released after this date (YYYY-MM-DD, a real calendar day).
    #[arg(long, value_parser = super::db::date_arg)]
    as_of: Option<jiff::civil::Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
    format: EvalFormat,
}

/// Run `planwatch evaluate`.
pub fn run(args: EvaluateArgs) -> Result<()> {
    let path = args.plan.display().to_string();
    let bytes = std::fs::read(&args.plan).with_context(|| format!("{path}: 无法读取文件"))?;
    let plan =
        planwatch_parse::parse_bytes(&bytes, &path).with_context(|| format!("{path}: 无法解析"))?;
    let rows = actuals::load_all(&args.actuals)?;
    let (obs, annual, note) = actuals::for_region(&rows, plan.region.as_deref());
    let mut report = evaluate_plan(
        &plan,
        &obs,
        &annual,
        args.year,
        args.as_of.map(|d| d.to_string()),
    );
    report.notes.extend(note);
    match args.format {
        EvalFormat::Text => print!("{}", render_text(&report)),
        EvalFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    Ok(())
}

/// The status table, explanations, warnings and roll-ups in zh-CN.
pub fn render_text(r: &PlanEvaluation) -> String {
    let what = if r.final_evaluation {
        "规划指标总结评估"
    } else {
        "规划指标评估"
    };
    let period = r
        .period
        .map(|p| format!("规划期{}—{}年，", p.start, p.end))
        .unwrap_or_default();
    let mut s = format!(
        "{}{what}（{period}数据截至{}年）\n\n",
        r.region.clone().unwrap_or_default(),
        r.year
    );
    s.push_str("指标 | 目标类型 | 属性 | 基期 | 目标 | 最新 | 完成度 | 进度比 | 状态\n");
    for (t, e) in r.main() {
        s.push_str(&table_row(t, e));
    }
    // Prose targets are listed only when there is data for them; most have none.
    let (with_data, without): (Vec<_>, Vec<_>) = r
        .prose()
        .partition(|(_, e)| e.category != Category::InsufficientData);
    if !with_data.is_empty() {
        s.push_str("\n文中其他量化目标：\n");
        for (t, e) in &with_data {
            s.push_str(&table_row(t, e));
        }
    }
    s.push_str("\n说明：\n");
    for (i, (_, e)) in r.main().chain(with_data.iter().copied()).enumerate() {
        s.push_str(&format!("{}. {}\n", i + 1, e.explanation));
    }
    if !without.is_empty() {
        s.push_str(&format!(
            "（另有{}项文中量化目标暂无监测数据，未列出。）\n",
            without.len()
        ));
    }
    let warned: Vec<&Evaluation> = r
        .evaluations
        .iter()
        .filter(|e| e.warning.is_some())
        .collect();
    if !warned.is_empty() {
        s.push_str("\n预警：\n");
        for e in warned {
            let msg = e
                .warning
                .as_ref()
                .map(|w| w.message.as_str())
                .unwrap_or_default();
            s.push_str(&format!("- {}:{msg}\n", e.indicator));
        }
    }
    if !r.annual.is_empty() {
        s.push_str("\n年度目标衔接：\n");
        for a in &r.annual {
            s.push_str(&format!(
                "- {}{}\n",
                if a.too_low { "[偏低] " } else { "" },
                a.message
            ));
        }
    }
    s.push_str(&format!("\n{}\n", r.overall.sentence()));
    for g in &r.groups {
        s.push_str(&format!("  {}\n", g.sentence()));
    }
    for n in &r.notes {
        s.push_str(&format!("注：{n}\n"));
    }
    s
}

fn table_row(t: &Target, e: &Evaluation) -> String {
    let f = &e.figures;
    let latest = f
        .latest
        .map(|p| format!("{}({})", num(p.value), p.year))
        .unwrap_or_else(|| "—".into());
    let completion = f
        .completion
        .map(|c| format!("{:.1}%", c * 100.0))
        .unwrap_or_else(|| "—".into());
    let pace = f
        .pace_ratio
        .map(|p| format!("{p:.2}"))
        .unwrap_or_else(|| "—".into());
    let base = t.baseline.map(num).unwrap_or_else(|| "—".into());
    let attr = if t.binding { "约束性" } else { "预期性" };
    let status = if e.warning.is_some() {
        format!("{}（预警）", e.category.label())
    } else {
        e.category.label().to_string()
    };
    format!(
        "{} | {} | {attr} | {base} | {} | {latest} | {completion} | {pace} | {status}\n",
        t.indicator, e.target_type, t.text
    )
}
