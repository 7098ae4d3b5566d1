//! Tables rebuilt from flattened text.
//!
//! Web pages and word processors flatten tables in two ways, both handled here:
//! - row per line: `2 | 人均GDP | 万元 | 5.7 | — |` (HTML and DOCX render this way too);
//! - cell per line: `地区生产总值(亿元) |` then `735 |` …, with runs of empty cells
//!   collapsed into `|||`.
//!
//! Merged cells that appear only once are carried down; two-row headers are joined
//! as `上 > 下`; category rows (`一、经济更加发展(8项)`) become the `category` of the
//! rows under them.

use planwatch_core::plan::{Diagnostic, Severity, Table, TableRow};

use super::doc::{Line, char_len, compact};

/// Tables found in the document, and the line numbers they occupy.
pub struct FoundTables {
    /// The rebuilt tables.
    pub tables: Vec<Table>,
    /// Line numbers that belong to a table (caption, cells, notes).
    pub consumed: Vec<usize>,
}

/// Find every flattened table.
pub fn find_tables(lines: &[Line], diags: &mut Vec<Diagnostic>) -> FoundTables {
    let mut found = FoundTables {
        tables: Vec::new(),
        consumed: Vec::new(),
    };
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].text.contains('|') {
            i += 1;
            continue;
        }
        let end = block_end(lines, i);
        if let Some(table) = build_table(lines, i, end, diags) {
            let first = table.line_start.min(lines[i].no);
            found.consumed.extend(first..=table.line_end);
            found.tables.push(table);
        }
        i = end + 1;
    }
    found
}

/// Index of the last line of the `|` block starting at `start` (blank lines inside are allowed).
fn block_end(lines: &[Line], start: usize) -> usize {
    let mut end = start;
    let mut j = start + 1;
    while j < lines.len() {
        if lines[j].text.contains('|') {
            end = j;
        } else if !lines[j].is_blank() {
            break;
        }
        j += 1;
    }
    end
}

/// Split a flattened line into cells; the piece after a trailing `|` is not a cell.
pub fn split_cells(text: &str) -> Vec<String> {
    let mut cells: Vec<String> = text.split('|').map(|c| c.trim().to_string()).collect();
    if cells.last().is_some_and(|c| c.is_empty()) {
        cells.pop();
    }
    cells
}

fn non_empty(cells: &[String]) -> usize {
    cells.iter().filter(|c| !c.is_empty()).count()
}

fn build_table(
    lines: &[Line],
    start: usize,
    end: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<Table> {
    let block: Vec<(usize, Vec<String>)> = lines[start..=end]
        .iter()
        .filter(|l| !l.is_blank())
        .map(|l| (l.no, split_cells(&l.text)))
        .collect();
    let total_cells: usize = block.iter().map(|(_, c)| non_empty(c)).sum();
    if block.len() < 2 || total_cells < 4 {
        return None;
    }
    let wide_rows = block.iter().filter(|(_, c)| non_empty(c) >= 2).count();
    let mut table = if wide_rows * 2 >= block.len() {
        rows_per_line(&block)?
    } else {
        cells_per_line(&block)?
    };
    table.line_end = block.last().map_or(table.line_end, |(no, _)| *no);
    if table.title.is_none()
        && let Some((no, title)) = caption_before(lines, start)
    {
        table.title = Some(title);
        table.line_start = no;
    }
    attach_notes(lines, end, &mut table);
    check_category_counts(&table, diags);
    Some(table)
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
fn attach_notes(lines: &[Line], end: usize, table: &mut Table) {
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

// ---------------------------------------------------------------- headers

/// Words that make a cell a column header rather than a value or a name.
const HEADER_WORDS: &[&str] = &[
    "指标", "名称", "单位", "类别", "序号", "属性", "备注", "目标", "增长", "增速", "累计", "预计",
    "完成", "规划", "基期", "现状", "领域", "类型", "实际", "年均", "数值", "编号", "项目",
];

/// True for a header cell: a known header word or a bare year (`2020年`).
pub fn is_header_cell(cell: &str) -> bool {
    let c = compact(cell);
    if c.is_empty() || char_len(&c) > 24 {
        return false;
    }
    if HEADER_WORDS.iter().any(|w| c.contains(w)) {
        return true;
    }
    is_year_label(&c)
}

/// `2020年`, `2025`, `2020年底`.
fn is_year_label(c: &str) -> bool {
    let digits: String = c.chars().take_while(char::is_ascii_digit).collect();
    digits.len() == 4 && digits.starts_with("20") && char_len(c) <= 8 && !c.contains('.')
}

/// Join a two-row header: the second row's cells sit under the last top cells,
/// each top cell spanning the same number of sub-columns.
fn merge_header(top: &[String], sub: &[String]) -> Vec<String> {
    let top: Vec<&String> = top.iter().filter(|c| !c.is_empty()).collect();
    let sub: Vec<&String> = sub.iter().filter(|c| !c.is_empty()).collect();
    let groups = if sub.len().is_multiple_of(2) && sub.len() / 2 <= top.len() {
        sub.len() / 2
    } else {
        1
    };
    let span = sub.len() / groups.max(1);
    let single = top.len().saturating_sub(groups);
    let mut header: Vec<String> = top[..single].iter().map(|c| c.to_string()).collect();
    for (g, parent) in top[single..].iter().enumerate() {
        for s in sub.iter().skip(g * span).take(span) {
            header.push(format!("{parent} > {s}"));
        }
    }
    header
}

// ---------------------------------------------------------------- row per line

fn rows_per_line(block: &[(usize, Vec<String>)]) -> Option<Table> {
    let mut table = Table {
        line_start: block[0].0,
        ..Table::default()
    };
    let mut rows = block;
    let caption_row = non_empty(&rows[0].1) == 1 && !rows[0].1[0].is_empty();
    if caption_row && rows.get(1).is_some_and(|r| non_empty(&r.1) >= 2) {
        table.title = Some(rows[0].1[0].clone());
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
    table.header = header;
    let layout = Layout::of(&table.header);
    let mut category: Option<String> = None;
    let mut carried: Vec<String> = Vec::new();
    for (no, cells) in body {
        let cells = trim_trailing(cells);
        if cells.is_empty() {
            continue;
        }
        if non_empty(&cells) == 1 && !cells[0].is_empty() && table.header.len() > 2 {
            category = Some(cells[0].clone());
            continue;
        }
        let cells = layout.align(cells, &mut carried);
        let row_category = layout
            .category_col
            .and_then(|c| cells.get(c).cloned())
            .or(category.clone());
        table.rows.push(TableRow {
            line: *no,
            cells,
            category: row_category,
        });
    }
    Some(table)
}

fn trim_trailing(cells: &[String]) -> Vec<String> {
    let keep = cells
        .iter()
        .rposition(|c| !c.is_empty())
        .map_or(0, |p| p + 1);
    cells[..keep].to_vec()
}

/// Where the special columns are, for aligning short rows.
struct Layout {
    width: usize,
    category_col: Option<usize>,
    seq_col: Option<usize>,
    attr_col: Option<usize>,
}

impl Layout {
    fn of(header: &[String]) -> Layout {
        let find = |pred: &dyn Fn(&str) -> bool| header.iter().position(|h| pred(&compact(h)));
        Layout {
            width: header.len(),
            category_col: find(&|h| is_category_header(h)),
            seq_col: find(&|h| h == "序号" || h == "编号"),
            attr_col: find(&|h| h.contains("属性")),
        }
    }

    /// Put a short row's cells under the right columns: merged leading cells are
    /// carried down from the row above, and 预期性/约束性 goes to the attribute column.
    fn align(&self, mut cells: Vec<String>, carried: &mut Vec<String>) -> Vec<String> {
        if let Some(seq) = self.seq_col {
            let starts_with_seq = cells
                .first()
                .is_some_and(|c| c.chars().all(|ch| ch.is_ascii_digit()));
            if seq > 0 && starts_with_seq && cells.len() < self.width {
                let lead: Vec<String> = (0..seq)
                    .map(|k| carried.get(k).cloned().unwrap_or_default())
                    .collect();
                cells.splice(0..0, lead);
            }
        }
        if let Some(attr) = self.attr_col
            && cells.len() < self.width
            && let Some(p) = cells.iter().position(|c| is_attribute(c))
            && p < attr
        {
            let cell = cells.remove(p);
            cells.resize(attr, String::new());
            cells.push(cell);
        }
        let lead_cols = self
            .seq_col
            .unwrap_or(0)
            .max(self.category_col.map_or(0, |c| c + 1));
        for k in 0..lead_cols.min(cells.len()) {
            if cells[k].is_empty() {
                cells[k] = carried.get(k).cloned().unwrap_or_default();
            }
        }
        *carried = cells.clone();
        cells
    }
}

/// A header naming the category column (类别, 领域, …); `h` is compacted.
pub fn is_category_header(h: &str) -> bool {
    matches!(h, "类别" | "领域" | "类型" | "分类")
}

/// 预期性 or 约束性.
pub fn is_attribute(cell: &str) -> bool {
    let c = compact(cell);
    c == "预期性" || c == "约束性"
}

// ---------------------------------------------------------------- cell per line

fn cells_per_line(block: &[(usize, Vec<String>)]) -> Option<Table> {
    let stream: Vec<(usize, &String)> = block
        .iter()
        .flat_map(|(no, cells)| cells.iter().map(move |c| (*no, c)))
        .collect();
    let width = stream.iter().take_while(|(_, c)| is_header_cell(c)).count();
    if width < 2 {
        return None;
    }
    let mut table = Table {
        line_start: stream[0].0,
        header: stream[..width].iter().map(|(_, c)| c.to_string()).collect(),
        ..Table::default()
    };
    let header_lines = stream[width - 1].0;
    let mut category: Option<String> = None;
    let mut row: Vec<(usize, String)> = Vec::new();
    let mut finish = |row: &mut Vec<(usize, String)>, table: &mut Table| {
        let Some(&(line, _)) = row.first() else {
            return;
        };
        let mut cells: Vec<String> = row.drain(..).map(|(_, c)| c).collect();
        if non_empty(&cells) == 1 && !cells[0].is_empty() {
            category = Some(cells.swap_remove(0));
        } else if non_empty(&cells) > 0 {
            cells.resize(width.max(cells.len()), String::new());
            table.rows.push(TableRow {
                line,
                cells,
                category: category.clone(),
            });
        }
    };
    for (no, cells) in block.iter().filter(|(no, _)| *no > header_lines) {
        // A line of bare pipes (`|||`) stands for the empty cells that end a row.
        if non_empty(cells) == 0 {
            finish(&mut row, &mut table);
            continue;
        }
        for c in cells {
            row.push((*no, c.clone()));
            if row.len() == width {
                finish(&mut row, &mut table);
            }
        }
    }
    finish(&mut row, &mut table);
    Some(table)
}

// ---------------------------------------------------------------- checks

/// A category row that claims `(8项)` must have eight rows under it.
fn check_category_counts(table: &Table, diags: &mut Vec<Diagnostic>) {
    let mut seen: Vec<(&str, usize, usize)> = Vec::new();
    for row in &table.rows {
        let Some(cat) = row.category.as_deref() else {
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
                page: None,
                line: line.saturating_sub(1).max(1),
                severity: Severity::Warning,
                code: "table.category_count".into(),
                message: format!("类别“{cat}”标明 {claimed} 项,实际列出 {n} 项"),
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
        let found = find_tables(&lines(text), &mut diags);
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
}
