//! Text lines to a structured plan.
//!
//! Order matters: tables and the table of contents claim their lines first, boxes
//! next, so that table cells and box items are never read as headings or targets.

mod boxes;
mod doc;
mod figures;
mod indicator;
mod meta;
mod numerals;
mod outline;
mod pages;
mod prose;
mod table;
mod verbatim;
mod words;

use std::collections::HashSet;

use planwatch_core::plan::{Diagnostic, Plan, Severity, Source};

use crate::decode::{DecodedTable, LineStyle};

pub use doc::normalize;
pub use meta::Meta;
pub use pages::assign_pages;

/// Title, region, document type and period read from the opening lines of a decoded
/// text, without parsing the rest (the actuals extraction needs only these).
pub fn detect_meta(text: &str) -> Meta {
    meta::detect(&doc::lines(text))
}

/// Parse decoded text. Never fails: problems become diagnostics.
pub fn parse_text(text: &str, source: Source) -> Plan {
    parse_with_grids(text, &[], &[], source)
}

/// Parse decoded text whose tables the decoder also handed over as grids.
pub fn parse_with_grids(
    text: &str,
    grids: &[DecodedTable],
    styles: &[LineStyle],
    source: Source,
) -> Plan {
    let lines = doc::lines(text);
    let mut diagnostics = Vec::new();
    let meta = meta::detect(&lines);

    let toc: HashSet<usize> = outline::find_toc(&lines).into_iter().collect();
    let tables = table::find_tables(&lines, grids, meta.period, &mut diagnostics);
    let in_table: HashSet<usize> = tables.consumed.iter().copied().collect();
    let boxes = boxes::find_boxes(&lines, &|no| in_table.contains(&no));
    let mut claimed: HashSet<usize> = toc
        .iter()
        .chain(&tables.consumed)
        .chain(&boxes.consumed)
        .copied()
        .collect();

    let (outline, continued) = outline::find_outline(&lines, &|no| claimed.contains(&no), styles);
    claimed.extend(continued);
    let plan_end = meta.period.map(|p| p.end);
    let indicators = indicator::from_tables(&tables.tables, plan_end);
    // Box items are forward-looking text too: only tables and the TOC are kept out.
    let not_prose: HashSet<usize> = toc.iter().chain(&tables.consumed).copied().collect();
    let targets = prose::find_targets(&lines, &outline, &|no| not_prose.contains(&no), &meta);
    let projects = boxes::find_projects(&boxes.boxes);
    // Years up to the plan's base year (or last year, for a work report) are the past.
    let present = meta.period.map_or(i32::MAX, |p| p.start - 1);
    let figures = figures::find_figures(&lines, &|no| not_prose.contains(&no), present);
    missing_table_captions(&lines, &claimed, &tables.tables, &mut diagnostics);

    let mut boxes = boxes.boxes;
    boxes.sort_by_key(|b| b.line);
    diagnostics.sort_by_key(|d| d.line);
    let mut plan = Plan {
        source,
        title: meta.title,
        region: meta.region,
        doc_type: meta.doc_type,
        period: meta.period,
        outline,
        tables: tables.tables,
        indicators,
        targets,
        boxes,
        projects,
        diagnostics,
        figures,
    };
    verbatim::restore(&mut plan, &lines);
    plan
}

/// A caption such as `专栏 1 …主要指标完成情况对比表` or `表1 主要指标` with no table under it.
fn missing_table_captions(
    lines: &[doc::Line<'_>],
    claimed: &HashSet<usize>,
    tables: &[planwatch_core::plan::Table],
    diags: &mut Vec<Diagnostic>,
) {
    for l in lines {
        if !(l.text.starts_with('专') || l.text.starts_with('表')) {
            continue;
        }
        let c = l.compact();
        let is_caption = (c.starts_with("专栏") || c.starts_with('表'))
            && (c.ends_with("表") || c.ends_with("指标") || c.ends_with("情况"))
            && doc::char_len(&c) <= 50;
        let has_table = tables
            .iter()
            .any(|t| t.line_start <= l.no && l.no <= t.line_end);
        if is_caption && !has_table && (!claimed.contains(&l.no) || c.starts_with("专栏")) {
            diags.push(Diagnostic {
                page: None,
                line: l.no,
                severity: Severity::Warning,
                code: "table.missing".into(),
                message: format!("“{}”是表格标题,但其后没有表格内容", l.text),
            });
        }
    }
}
