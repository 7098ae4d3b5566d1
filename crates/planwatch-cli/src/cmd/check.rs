//! `planwatch check`: consistency checks across the given documents, each finding with both lines.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use planwatch_core::consistency::{
    CheckSettings, Finding, SourceRef, check_alignment, check_baselines, check_plans,
    check_successions,
};
use planwatch_core::plan::{DocType, Plan, Severity};

use crate::actuals;

/// Output format of `planwatch check`.
#[derive(Clone, Copy, ValueEnum)]
pub enum CheckFormat {
    /// Findings for a person.
    Text,
    /// Findings as JSON.
    Json,
}

/// Arguments of `planwatch check`.
#[derive(Args)]
pub struct CheckArgs {
    /// Plan documents and work reports (TXT, HTML, DOCX, PDF; DOC, WPS, RTF through LibreOffice).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Also compare plan baselines with these published figures (repeatable).
    #[arg(long)]
    actuals: Vec<PathBuf>,
    /// The plan of the level above (the city's for a county's plan): every plan outline
    /// among FILES is checked against it (规划衔接).
    #[arg(long, value_name = "FILE")]
    upper: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    format: CheckFormat,
}

/// A parsed document with its decoded lines, so findings can quote the source.
struct Document {
    plan: Plan,
    lines: Vec<String>,
}

/// Run `planwatch check`.
pub fn run(args: CheckArgs) -> Result<()> {
    let mut docs = args.files.iter().map(load).collect::<Result<Vec<_>>>()?;
    let plans: Vec<Plan> = docs.iter().map(|d| d.plan.clone()).collect();
    let settings = CheckSettings::default();
    let mut findings = check_plans(&plans, &settings);
    let rows = actuals::load_all(&args.actuals)?;
    if !rows.is_empty() {
        for plan in &plans {
            let (obs, _, _) = actuals::for_region(&rows, plan.region.as_deref());
            findings.extend(check_baselines(plan, &obs, &settings));
        }
    }
    // A new plan against the plan it follows: with the data when there is some.
    let (obs, _, _) = actuals::for_region(&rows, plans.first().and_then(|p| p.region.as_deref()));
    findings.extend(check_successions(&plans, &obs, &settings));
    if let Some(path) = &args.upper {
        let upper = load(path)?;
        for plan in plans.iter().filter(|p| p.doc_type == DocType::PlanOutline) {
            findings.extend(check_alignment(&upper.plan, plan, &settings));
        }
        // Its lines are quoted like the others'.
        docs.push(upper);
    }
    match args.format {
        CheckFormat::Text => print!("{}", render_text(&findings, &docs)),
        CheckFormat::Json => println!("{}", serde_json::to_string_pretty(&findings)?),
    }
    Ok(())
}

fn load(path: &PathBuf) -> Result<Document> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("{name}: 无法读取文件"))?;
    let (plan, text) = planwatch_parse::parse_bytes_with_text(&bytes, &name)
        .with_context(|| format!("{name}: 无法解析"))?;
    let lines = text.lines().map(str::to_string).collect();
    Ok(Document { plan, lines })
}

fn render_text(findings: &[Finding], docs: &[Document]) -> String {
    if findings.is_empty() {
        return "未发现不一致。\n".to_string();
    }
    let mut s = format!("发现{}处需核对的不一致：\n", findings.len());
    for (i, f) in findings.iter().enumerate() {
        let level = match f.severity {
            Severity::Info => "提示",
            Severity::Warning => "警告",
            Severity::Error => "错误",
        };
        s.push_str(&format!("\n{}. [{level}] {}\n", i + 1, f.message));
        s.push_str(&side("①", &f.first, docs));
        s.push_str(&side("②", &f.second, docs));
    }
    s
}

/// One side of a finding: where, what was read, and the source line itself.
fn side(mark: &str, at: &SourceRef, docs: &[Document]) -> String {
    let original = docs
        .iter()
        .find(|d| d.plan.source.path == at.document)
        .and_then(|d| at.line.checked_sub(1).and_then(|i| d.lines.get(i)))
        .map(|l| format!("\n     原文：{}", shorten(l.trim(), 80)))
        .unwrap_or_default();
    let place = if at.line > 0 {
        format!("{}:{}", at.document, at.line)
    } else {
        at.document.clone()
    };
    format!("  {mark} {place}  {}{original}\n", at.text)
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max).collect();
    format!("{head}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use planwatch_core::consistency::FindingKind;

    fn doc(path: &str, lines: &[&str]) -> Document {
        let mut plan = Plan::default();
        plan.source.path = path.into();
        Document {
            plan,
            lines: lines.iter().map(|l| l.to_string()).collect(),
        }
    }

    #[test]
    fn findings_quote_both_source_lines() {
        let docs = [
            doc("000.txt", &["一", "到2025年,地区生产总值达到1130亿元"]),
            doc("001.txt", &["到2025年迈上1000亿台阶"]),
        ];
        let f = Finding {
            kind: FindingKind::PlanVsReport,
            severity: Severity::Warning,
            indicator: "地区生产总值".into(),
            message: "地区生产总值2025年目标：规划纲要为1130亿元，政府工作报告为1000亿".into(),
            first: SourceRef {
                document: "000.txt".into(),
                line: 2,
                text: "地区生产总值 1130".into(),
            },
            second: SourceRef {
                document: "001.txt".into(),
                line: 1,
                text: "GDP 1000".into(),
            },
        };
        let text = render_text(&[f], &docs);
        assert!(
            text.contains("000.txt:2") && text.contains("原文：到2025年,地区生产总值达到1130亿元"),
            "{text}"
        );
        assert!(
            text.contains("001.txt:1") && text.contains("原文：到2025年迈上1000亿台阶"),
            "{text}"
        );
        assert_eq!(render_text(&[], &docs), "未发现不一致。\n");
    }

    #[test]
    fn long_lines_are_shortened() {
        assert_eq!(shorten("一二三四五", 3), "一二三…");
        assert_eq!(shorten("一二", 3), "一二");
    }
}
