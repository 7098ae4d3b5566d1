//! Tables: where they are, and their rows under columns that mean something.
//!
//! Every source ends in the same model (a header, a role per column, rows of
//! cells aligned to the header):
//! - grids the decoder knows exactly (HTML `<table>`, DOCX `w:tbl`, ruled PDF
//!   tables), with merged cells marked ([`from_grid`]);
//! - text rows with `|`, tabs or runs of spaces between cells, whose merged cells a
//!   copy may have left out ([`from_rows`]);
//! - text streamed one cell per line, with or without `|` ([`from_stream`]).
//!
//! Column roles come from the header by meaning (`header.rs`); each text row is put
//! under the columns by cell kinds (`cell.rs`, `align.rs`); a stream is cut into
//! rows by the same scores (`stream.rs`); `rows.rs` carries merged cells down and
//! links sub-rows to their parent.

mod align;
mod cell;
mod find;
mod header;
mod rows;
mod stream;

use planwatch_core::plan::{ColumnRole, Diagnostic, Period, Severity, Table};

use crate::decode::{DecodedTable, Span};

use super::doc::{Line, char_len, compact};
use align::align;
use header::{continues_header, merge_header, roles};
use rows::{RowBuilder, Slot, slots_of_alignment};
use stream::{Token, segment};

pub use cell::{CellKind, classify};
#[cfg(test)]
pub use header::roles as column_roles;
pub use header::{first_year, is_header_cell};

/// Tables found in the document, and the line numbers they occupy.
pub struct FoundTables {
    /// The rebuilt tables.
    pub tables: Vec<Table>,
    /// Line numbers that belong to a table (caption, cells, notes).
    pub consumed: Vec<usize>,
}

/// Find every table: the decoder's grids first, then tables written as text.
pub fn find_tables(
    lines: &[Line],
    grids: &[DecodedTable],
    period: Option<Period>,
    diags: &mut Vec<Diagnostic>,
) -> FoundTables {
    let mut found = FoundTables {
        tables: Vec::new(),
        consumed: Vec::new(),
    };
    let last = lines.last().map_or(0, |l| l.no);
    let mut claimed = vec![false; last + 2];
    let mut add = |table: Table, found: &mut FoundTables, claimed: &mut Vec<bool>| {
        let lines = table.line_start..=table.line_end.min(last);
        for (no, slot) in claimed
            .iter_mut()
            .enumerate()
            .take(lines.end() + 1)
            .skip(*lines.start())
        {
            *slot = true;
            found.consumed.push(no);
        }
        check_category_counts(&table, diags);
        found.tables.push(table);
    };
    for grid in grids {
        if let Some(table) = from_grid(lines, grid, period) {
            add(table, &mut found, &mut claimed);
        }
    }
    let mut i = 0;
    while i < lines.len() {
        if claimed[lines[i].no] {
            i += 1;
            continue;
        }
        match find::text_table_at(lines, i, &claimed) {
            Some(block) => {
                let next = block.end + 1;
                if let Some(table) = block.build(lines, period) {
                    add(table, &mut found, &mut claimed);
                }
                i = next;
            }
            None => i += 1,
        }
    }
    found.tables.sort_by_key(|t| t.line_start);
    found
}

/// A table from a grid the decoder read exactly.
fn from_grid(lines: &[Line], grid: &DecodedTable, period: Option<Period>) -> Option<Table> {
    let rows = &grid.rows;
    if rows.len() < 2 {
        return None;
    }
    let width = rows.iter().map(|r| r.cells.len()).max()?;
    let origin = |r: usize, c: usize| origin_text(grid, r, c);
    let mut first = 0;
    let mut title = None;
    // A first row with one cell across the table is its caption.
    let texts0: Vec<&str> = (0..width)
        .map(|c| origin(0, c))
        .filter(|t| !t.is_empty())
        .collect();
    if width > 2
        && texts0.len() == width
        && texts0.iter().all(|t| *t == texts0[0])
        && !is_header_cell(texts0[0])
    {
        title = Some(texts0[0].to_string());
        first = 1;
    }
    let header_rows = (first..rows.len().min(first + 3))
        .take_while(|&r| {
            let cells: Vec<&str> = rows[r]
                .cells
                .iter()
                .filter(|c| c.span == Span::Origin && !c.text.trim().is_empty())
                .map(|c| c.text.as_str())
                .collect();
            !cells.is_empty() && cells.iter().all(|c| is_header_cell(c))
        })
        .count();
    if header_rows == 0 {
        return None;
    }
    let header: Vec<String> = (0..width)
        .map(|c| {
            let mut parts: Vec<&str> = Vec::new();
            for r in first..first + header_rows {
                let t = origin(r, c).trim();
                if !t.is_empty() && parts.last() != Some(&t) {
                    parts.push(t);
                }
            }
            parts.join(" > ")
        })
        .collect();
    let roles = roles(&header, period);
    let mut builder = RowBuilder::new(&roles);
    let mut table = Table {
        line_start: rows[0].line,
        line_end: rows.last()?.line,
        title,
        header,
        ..Table::default()
    };
    for row in &rows[first + header_rows..] {
        let texts: Vec<&str> = row
            .cells
            .iter()
            .filter(|c| c.span == Span::Origin && !c.text.trim().is_empty())
            .map(|c| c.text.as_str())
            .collect();
        if texts.len() == 1 && width > 2 && is_group_label(texts[0]) {
            builder.category_row(texts[0]);
            continue;
        }
        let complete = !row.cells.iter().any(|c| c.span == Span::Missing);
        let slots = if complete {
            row.cells
                .iter()
                .zip(&roles)
                .map(|(c, role)| match c.span {
                    Span::Origin if !c.text.trim().is_empty() => {
                        Slot::Cell(vec![c.text.trim().to_string()])
                    }
                    Span::Below => Slot::Carry,
                    // A blank category cell goes on with the category above: a merged
                    // cell cut by a page break (PDF, a Word table over two pages).
                    Span::Origin if *role == ColumnRole::Category => Slot::Carry,
                    _ => Slot::Empty,
                })
                .collect()
        } else {
            // A short row (cells left out, not merged): put its cells by their kinds.
            let cells: Vec<String> = row
                .cells
                .iter()
                .take_while(|c| c.span != Span::Missing)
                .map(|c| c.text.trim().to_string())
                .collect();
            let cells = trim_trailing(&cells);
            let a = align(&cells, &roles, builder.next_seq());
            slots_of_alignment(&cells, &a, &roles)
        };
        table.rows.push(builder.row(row.line, slots));
    }
    table.roles = roles;
    if table.title.is_none()
        && let Some(start) = lines.iter().position(|l| l.no == table.line_start)
        && let Some((no, caption)) = caption_before(lines, start)
    {
        table.title = Some(caption);
        table.line_start = no;
    }
    attach_notes(lines, &mut table);
    Some(table)
}

/// The text at grid position (r, c), following spans back to their origin.
fn origin_text(grid: &DecodedTable, r: usize, c: usize) -> &str {
    let (mut r, mut c) = (r, c);
    loop {
        let Some(cell) = grid.rows.get(r).and_then(|row| row.cells.get(c)) else {
            return "";
        };
        match cell.span {
            Span::Origin => return &cell.text,
            Span::Missing => return "",
            Span::Below if r > 0 => r -= 1,
            Span::Right if c > 0 => c -= 1,
            _ => return "",
        }
    }
}

/// A row of text cells (one line per row) to a table.
fn from_rows(
    lines: &[Line],
    block: &[(usize, Vec<String>)],
    period: Option<Period>,
) -> Option<Table> {
    let mut rows = block;
    let mut title = None;
    let caption_row = non_empty(&rows.first()?.1) == 1 && !rows[0].1[0].is_empty();
    if caption_row && rows.get(1).is_some_and(|r| non_empty(&r.1) >= 2) {
        title = Some(rows[0].1[0].clone());
        rows = &rows[1..];
    }
    let (first, rest) = rows.split_first()?;
    let mut header: Vec<String> = trim_trailing(&first.1);
    let mut body = rest;
    if let Some((second, after)) = rest.split_first() {
        let cells: Vec<&String> = second.1.iter().filter(|c| !c.is_empty()).collect();
        if !cells.is_empty()
            && cells.len() < header.len() + 4
            && cells.iter().all(|c| is_header_cell(c))
        {
            header = merge_header(&header, &second.1);
            body = after;
        }
    }
    let roles = roles(&header, period);
    let mut builder = RowBuilder::new(&roles);
    let mut table = Table {
        line_start: block[0].0,
        line_end: block.last()?.0,
        title,
        header,
        ..Table::default()
    };
    for (no, cells) in body {
        let cells = trim_to_width(cells, roles.len());
        if non_empty(&cells) == 0 {
            continue;
        }
        if non_empty(&cells) == 1
            && !cells[0].is_empty()
            && roles.len() > 2
            && is_group_label(&cells[0])
        {
            builder.category_row(&cells[0]);
            continue;
        }
        let a = align(&cells, &roles, builder.next_seq());
        let slots = slots_of_alignment(&cells, &a, &roles);
        table.rows.push(builder.row(*no, slots));
        table.line_end = *no;
    }
    table.roles = roles;
    finish_text_table(lines, &mut table);
    Some(table)
}

/// A table streamed one cell per line, `header` tokens first.
fn from_stream(lines: &[Line], tokens: &[Token], period: Option<Period>) -> Option<Table> {
    let header_len = tokens
        .iter()
        .take_while(|t| is_header_cell(&t.text))
        .count();
    if header_len < 2 {
        return None;
    }
    let (head, body) = tokens.split_at(header_len);
    let (header, roles) = best_header(head, body, period)?;
    let (segments, _) = segment(body, &roles);
    let mut builder = RowBuilder::new(&roles);
    let mut table = Table {
        line_start: tokens[0].line,
        line_end: head.last()?.line,
        header,
        ..Table::default()
    };
    for seg in segments {
        match seg {
            stream::Segment::Category(i) => builder.category_row(&body[i].text),
            stream::Segment::Row {
                start,
                end,
                alignment,
            } => {
                let cells: Vec<String> = body[start..end].iter().map(|t| t.text.clone()).collect();
                let slots = slots_of_alignment(&cells, &alignment, &roles);
                table.rows.push(builder.row(body[start].line, slots));
                // Group labels after the last row are the next heading, not the table's.
                table.line_end = body[end - 1].line;
            }
        }
    }
    table.roles = roles;
    finish_text_table(lines, &mut table);
    Some(table)
}

/// The header of a stream: pieces split over two lines (`2025年` / `目标值`) are joined
/// or not, whichever reading lets the body fit its columns better.
fn best_header(
    head: &[Token],
    body: &[Token],
    period: Option<Period>,
) -> Option<(Vec<String>, Vec<ColumnRole>)> {
    let joins: Vec<usize> = (1..head.len())
        .filter(|&k| continues_header(&head[k - 1].text, &head[k].text))
        .take(4)
        .collect();
    let sample = &body[..body.len().min(300)];
    let mut best: Option<(f32, Vec<String>, Vec<ColumnRole>)> = None;
    for mask in 0..(1u32 << joins.len()) {
        let mut header: Vec<String> = Vec::new();
        for (k, t) in head.iter().enumerate() {
            let join = joins
                .iter()
                .position(|&j| j == k)
                .is_some_and(|bit| mask & (1 << bit) != 0);
            match header.last_mut() {
                Some(last) if join => last.push_str(t.text.trim()),
                _ => header.push(t.text.trim().to_string()),
            }
        }
        let roles = roles(&header, period);
        let (_, fit) = segment(sample, &roles);
        // Two 指标 columns (指标 / 名称 read apart) are a worse reading than one.
        let repeats = (1..roles.len())
            .filter(|&k| roles[..k].contains(&roles[k]))
            .count();
        let score = fit - 0.3 * repeats as f32;
        if best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, header, roles));
        }
    }
    best.map(|(_, h, r)| (h, r))
}

/// Caption, notes and a trailing group label that is really the next heading.
fn finish_text_table(lines: &[Line], table: &mut Table) {
    if table.title.is_none()
        && let Some(start) = lines.iter().position(|l| l.no == table.line_start)
        && let Some((no, caption)) = caption_before(lines, start)
    {
        table.title = Some(caption);
        table.line_start = no;
    }
    attach_notes(lines, table);
}

/// A single cell that labels a group of rows.
fn is_group_label(text: &str) -> bool {
    matches!(classify(text), CellKind::Category | CellKind::Text)
}

fn non_empty(cells: &[String]) -> usize {
    cells.iter().filter(|c| !c.trim().is_empty()).count()
}

/// Drop empty cells at the end of a row while it is wider than the header: a copy's
/// stray trailing pipes are not cells, an empty last column is.
fn trim_to_width(cells: &[String], width: usize) -> Vec<String> {
    let keep = cells
        .iter()
        .rposition(|c| !c.trim().is_empty())
        .map_or(0, |p| p + 1);
    cells[..cells.len().min(width).max(keep)].to_vec()
}

fn trim_trailing(cells: &[String]) -> Vec<String> {
    let keep = cells
        .iter()
        .rposition(|c| !c.trim().is_empty())
        .map_or(0, |p| p + 1);
    cells[..keep].to_vec()
}

/// A caption in the two lines above a table (`表一:`, `“十四五”时期…主要目标`).
fn caption_before(lines: &[Line], start: usize) -> Option<(usize, String)> {
    let mut best: Option<(usize, String)> = None;
    for k in (start.saturating_sub(2)..start).rev() {
        let l = &lines[k];
        if l.is_blank() || char_len(&l.text) > 50 || l.text.ends_with('。') {
            break;
        }
        let stripped = l.text.trim_end_matches([':', ':']).trim();
        let is_label = is_table_label(stripped) && char_len(stripped) <= 4;
        match &best {
            Some(_) if is_label => return best.map(|(_, t)| (l.no, t)),
            _ if is_label => best = Some((l.no, stripped.to_string())),
            _ => best = Some((l.no, l.text.clone())),
        }
    }
    best
}

/// `表1`, `表一`, `附表2`.
fn is_table_label(s: &str) -> bool {
    let s = s.trim_start_matches('附');
    s.starts_with('表')
        && s.chars()
            .nth(1)
            .is_some_and(|c| c.is_ascii_digit() || super::numerals::is_cn_digit(c))
}

/// Lines right after the table that start with 注 are its notes.
fn attach_notes(lines: &[Line], table: &mut Table) {
    let Some(end) = lines.iter().position(|l| l.no == table.line_end) else {
        return;
    };
    for l in lines.iter().skip(end + 1).take(3) {
        if l.is_blank() {
            continue;
        }
        let c = l.compact();
        if c.starts_with("注") || c.starts_with("备注") || c.starts_with("说明:") {
            table.notes.push(l.text.clone());
            table.line_end = l.no;
        } else {
            break;
        }
    }
}

/// A category that claims `(8项)` must have eight rows under it.
fn check_category_counts(table: &Table, diags: &mut Vec<Diagnostic>) {
    let mut seen: Vec<(&str, usize, usize)> = Vec::new();
    let mut last_parent: Option<&str> = None;
    for row in &table.rows {
        // Sub-rows after the first one of their parent are not counted as indicators.
        let parent = row.parent.as_deref();
        let repeat = parent.is_some() && parent == last_parent;
        last_parent = parent;
        let Some(cat) = row.category.as_deref().filter(|_| !repeat) else {
            continue;
        };
        match seen.last_mut() {
            Some((c, _, n)) if *c == cat => *n += 1,
            _ => seen.push((cat, row.line, 1)),
        }
    }
    for (cat, line, n) in seen {
        if let Some(claimed) = claimed_count(cat)
            && claimed != n
        {
            diags.push(Diagnostic {
                line: line.saturating_sub(1).max(1),
                severity: Severity::Warning,
                code: "table.category_count".into(),
                message: format!("类别“{cat}”标明 {claimed} 项，实际列出 {n} 项"),
                page: None,
            });
        }
    }
}

/// The count in `一、经济更加发展(8项)`.
fn claimed_count(category: &str) -> Option<usize> {
    let c = compact(category);
    let end = c.find("项)")?;
    let open = c[..end].rfind('(')?;
    c[open + 1..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::doc::lines;

    fn tables_of(text: &str) -> (Vec<Table>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let found = find_tables(&lines(text), &[], None, &mut diags);
        (found.tables, diags)
    }

    #[test]
    fn cell_per_line_with_category_rows() {
        let text = "“十四五”时期经济社会发展的主要目标\n表一:\n指标名称 |\n2020年预计 |\n2025年目标 |\n指标属性 |\n\
一、经济更加发展(2项) |\n|||\n地区生产总值(亿元) |\n735 |\n1130 |\n预期性 |\n城镇调查失业率(%)* |\n≤5以内 |\n≤5以内 |\n约束性 |\n正文继续。";
        let (tables, diags) = tables_of(text);
        assert_eq!(tables.len(), 1);
        let t = &tables[0];
        assert_eq!(
            t.header,
            ["指标名称", "2020年预计", "2025年目标", "指标属性"]
        );
        assert_eq!(
            t.roles,
            [
                ColumnRole::Name,
                ColumnRole::Baseline,
                ColumnRole::Target,
                ColumnRole::Attribute
            ]
        );
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].line, 9);
        assert_eq!(
            t.rows[0].cells,
            ["地区生产总值(亿元)", "735", "1130", "预期性"]
        );
        assert_eq!(t.rows[1].category.as_deref(), Some("一、经济更加发展(2项)"));
        assert_eq!(
            t.title.as_deref(),
            Some("“十四五”时期经济社会发展的主要目标")
        );
        assert_eq!((t.line_start, t.line_end), (1, 16));
        assert!(diags.is_empty());
    }

    #[test]
    fn row_per_line_with_merged_category_and_two_row_header() {
        let text = "专栏1-1:“十三五”规划主要目标完成情况 | |||||||\n\
类别 | 序号 | 指标 | 单位 | “十三五”规划目标 | 2020年 | ||\n\
2020年 | 年均增长/% [累计] | 2020年 | 增速/% [累计] | ||||\n\
经济 发展 | 1 | 地区生产总值 | 亿元 | — | 6% | 150.3 | 5.5 |\n\
2 | 人均GDP | 万元 | 5.7 | — | 4.9 | — | |\n\
注:[ ]为五年累计数。";
        let (tables, _) = tables_of(text);
        let t = &tables[0];
        assert_eq!(
            t.title.as_deref(),
            Some("专栏1-1:“十三五”规划主要目标完成情况")
        );
        assert_eq!(t.header[4], "“十三五”规划目标 > 2020年");
        assert_eq!(t.header[7], "2020年 > 增速/% [累计]");
        assert_eq!(
            t.rows[1].cells,
            ["经济 发展", "2", "人均GDP", "万元", "5.7", "—", "4.9", "—"]
        );
        assert_eq!(t.rows[1].category.as_deref(), Some("经济 发展"));
        assert_eq!(t.notes, ["注:[ ]为五年累计数。"]);
        assert_eq!(t.line_end, 6);
    }

    #[test]
    fn spanned_value_keeps_attribute_in_its_column() {
        let text = "类别 | 序号 | 指标名称 | 单位 | 2020年 | 2025年 | 年均增速% [累计] | 属性 |\n\
绿色 生态 | 20 | 单位GDP能源消耗降幅 | % | 4.92 | 完成省市下达任务 | 约束性 | |\n\
21 | 单位GDP二氧化碳排放降幅 | % | — | 完成省市下达任务 | 约束性 | ||";
        let (tables, _) = tables_of(text);
        let rows = &tables[0].rows;
        assert_eq!(rows[0].cells[7], "约束性");
        assert_eq!(rows[1].cells[0], "绿色 生态");
        assert_eq!(rows[1].cells[5], "完成省市下达任务");
        assert_eq!(rows[1].cells[7], "约束性");
    }

    #[test]
    fn wrong_category_count_is_a_diagnostic() {
        let text =
            "指标 | 2020年 | 2025年 |\n一、经济(3项) | | |\nGDP | 1 | 2 |\n财政收入 | 3 | 4 |";
        let (_, diags) = tables_of(text);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "table.category_count");
    }

    #[test]
    fn a_lone_pipe_line_is_not_a_table() {
        let (tables, _) =
            tables_of("专栏3-1:创新能力提升行动 |\n1.南洲新区创新创业产业园建设行动。");
        assert!(tables.is_empty());
    }

    #[test]
    fn county_box_one_cell_per_line_without_pipes() {
        // The layout of the unseen county plan: no pipes, the header's 2025年目标值 split
        // over two lines, the category written once, a name wrapped, and sub-rows.
        let text = "专栏1 “十四五”经济社会发展主要指标\n类别\n序号\n指标名称\n2020年\n2025年\n目标值\n属性\n\
经济发展\n1\n地区生产总值增速(%)\n4.1\n6左右\n预期性\n2\n产业投资\n占固定资产投资比重(%)\n58.1\n60\n预期性\n\
绿色生态\n3\n主要污染物排放总量降幅(%)\n化学需氧量\n—\n完成市下达任务\n约束性\n氨氮\n—\n完成市下达任务\n\
4\n森林覆盖率(%)\n62.4\n63\n约束性\n\
第二章 坚持创新驱动发展\n全面塑造发展新优势。";
        let (tables, _) = tables_of(text);
        assert_eq!(tables.len(), 1);
        let t = &tables[0];
        assert_eq!(
            t.header,
            ["类别", "序号", "指标名称", "2020年", "2025年目标值", "属性"]
        );
        let got: Vec<(String, Option<String>, String, String)> = t
            .rows
            .iter()
            .map(|r| {
                (
                    r.cells[2].clone(),
                    r.parent.clone(),
                    r.cells[4].clone(),
                    r.cells[5].clone(),
                )
            })
            .collect();
        let own = |s: &str| s.to_string();
        assert_eq!(
            got,
            [
                (
                    own("地区生产总值增速(%)"),
                    None,
                    own("6左右"),
                    own("预期性")
                ),
                (
                    own("产业投资占固定资产投资比重(%)"),
                    None,
                    own("60"),
                    own("预期性")
                ),
                (
                    own("主要污染物排放总量降幅(%) > 化学需氧量"),
                    Some(own("主要污染物排放总量降幅(%)")),
                    own("完成市下达任务"),
                    own("约束性")
                ),
                (
                    own("主要污染物排放总量降幅(%) > 氨氮"),
                    Some(own("主要污染物排放总量降幅(%)")),
                    own("完成市下达任务"),
                    own("约束性")
                ),
                (own("森林覆盖率(%)"), None, own("63"), own("约束性")),
            ]
        );
        assert_eq!(t.rows[1].category.as_deref(), Some("经济发展"));
        assert_eq!(t.rows[4].category.as_deref(), Some("绿色生态"));
        // The next chapter heading is not claimed by the table.
        assert!(t.line_end < 36, "{}", t.line_end);
    }
}
