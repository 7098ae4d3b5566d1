//! A readable text rendering of a parsed plan, for a person at a terminal.

use std::fmt::Write;

use planwatch_core::plan::{Attribute, Plan, ValueCell};

/// Render the outline, indicators, targets and diagnostics as indented text (zh-CN labels).
pub fn render_text(plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "文件: {} ({}, {}, {} 行)",
        plan.source.path, plan.source.format, plan.source.encoding, plan.source.lines
    );
    let _ = writeln!(out, "标题: {}", plan.title.as_deref().unwrap_or("(未识别)"));
    let _ = writeln!(
        out,
        "地区: {}",
        plan.region.as_deref().unwrap_or("(未识别)")
    );
    if let Some(p) = plan.period {
        let _ = writeln!(out, "期间: {}—{}", p.start, p.end);
    }
    let _ = writeln!(out, "\n== 目录结构 ({} 项) ==", plan.outline.len());
    for h in &plan.outline {
        let indent = "  ".repeat(usize::from(h.level.saturating_sub(1)));
        let _ = writeln!(out, "{:>5}  {indent}{}{}", h.line, h.number, h.title);
    }
    let _ = writeln!(out, "\n== 指标 ({} 项) ==", plan.indicators.len());
    for i in &plan.indicators {
        let attr = match i.attribute {
            Some(Attribute::Binding) => "约束性",
            Some(Attribute::Expected) => "预期性",
            None => "",
        };
        let _ = writeln!(
            out,
            "{:>5}  {}{} 基期 {} → 目标 {}{} {attr}",
            i.line,
            i.name,
            i.unit
                .as_deref()
                .map_or(String::new(), |u| format!("({u})")),
            cell(&i.baseline),
            cell(&i.target),
            i.growth
                .as_ref()
                .map_or(String::new(), |g| format!(" 年均 {}", g.text)),
        );
    }
    let _ = writeln!(out, "\n== 文中目标 ({} 项) ==", plan.targets.len());
    for t in &plan.targets {
        let _ = writeln!(
            out,
            "{:>5}  {}: {} {}  «{}»",
            t.line,
            t.indicator,
            t.value,
            t.unit.as_deref().unwrap_or(""),
            t.text
        );
    }
    let _ = writeln!(out, "\n== 专栏 ({} 个) ==", plan.boxes.len());
    for b in &plan.boxes {
        let _ = writeln!(out, "{:>5}  {} ({} 项)", b.line, b.title, b.items.len());
    }
    let _ = writeln!(out, "\n== 诊断 ({} 条) ==", plan.diagnostics.len());
    for d in &plan.diagnostics {
        let _ = writeln!(out, "{:>5}  [{}] {}", d.line, d.code, d.message);
    }
    out
}

fn cell(v: &Option<ValueCell>) -> String {
    v.as_ref()
        .map_or_else(|| "—".to_string(), |v| v.text.clone())
}
