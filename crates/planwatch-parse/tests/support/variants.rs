//! The same plan text in other formats, built from the text and its parsed plan:
//! an HTML page with real `<table>`s and site furniture, a DOCX whose heading markers
//! come from Word numbering and whose tables are real `w:tbl`, and GBK bytes.

use planwatch_core::plan::{HeadingKind, Plan};

use super::docx::{self, esc, lvl, numbered, p, styled, tbl, tc};

/// A table rebuilt from the parsed plan.
struct TableSpec {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Column 0 is a category column whose equal runs merge vertically.
    merge_first: bool,
}

enum Block {
    /// A text line and its 1-based number.
    Line(usize, String),
    Table(TableSpec),
}

/// Split the text into lines and rebuilt tables. A table replaces its source lines
/// `line_start..=line_end`; lines before its first row without `|` (captions) and
/// lines after its last row starting with 注 (notes) stay as text.
fn blocks(text: &str, plan: &Plan) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut tables: Vec<_> = plan
        .tables
        .iter()
        .filter(|t| !t.rows.is_empty() && t.line_start >= 1 && t.line_end <= lines.len())
        .collect();
    tables.sort_by_key(|t| t.line_start);
    let mut out = Vec::new();
    let mut next = 1;
    for table in tables {
        if table.line_start < next {
            continue;
        }
        out.extend((next..table.line_start).map(|n| Block::Line(n, lines[n - 1].to_string())));
        let first = table.rows[0]
            .line
            .clamp(table.line_start, table.line_end + 1);
        let last = table.rows.last().map_or(first, |r| r.line);
        let captions: Vec<usize> = (table.line_start..first)
            .filter(|&n| !lines[n - 1].contains('|'))
            .collect();
        if let Some(title) = &table.title
            && !captions
                .iter()
                .any(|&n| lines[n - 1].contains(title.as_str()))
        {
            out.push(Block::Line(table.line_start, title.clone()));
        }
        out.extend(
            captions
                .into_iter()
                .map(|n| Block::Line(n, lines[n - 1].to_string())),
        );
        out.push(Block::Table(spec(table)));
        let notes =
            (last + 1..=table.line_end).filter(|&n| lines[n - 1].trim_start().starts_with('注'));
        out.extend(notes.map(|n| Block::Line(n, lines[n - 1].to_string())));
        next = table.line_end + 1;
    }
    out.extend((next..=lines.len()).map(|n| Block::Line(n, lines[n - 1].to_string())));
    out
}

fn spec(table: &planwatch_core::plan::Table) -> TableSpec {
    let needs_column = table.rows.iter().any(|r| {
        r.category
            .as_ref()
            .is_some_and(|c| r.cells.first() != Some(c))
    });
    let mut header = table.header.clone();
    let mut rows: Vec<Vec<String>> = table.rows.iter().map(|r| r.cells.clone()).collect();
    if needs_column {
        header.insert(0, "类别".into());
        for (row, source) in rows.iter_mut().zip(&table.rows) {
            row.insert(0, source.category.clone().unwrap_or_default());
        }
    }
    let width = rows
        .iter()
        .map(Vec::len)
        .chain([header.len()])
        .max()
        .unwrap_or(0);
    for row in rows.iter_mut().chain([&mut header]) {
        row.resize(width, String::new());
    }
    let merge_first = needs_column || table.rows.iter().any(|r| r.category.is_some());
    TableSpec {
        header,
        rows,
        merge_first,
    }
}

/// Lengths of the runs of equal non-empty values in column 0 (0 = inside a run).
fn first_column_runs(rows: &[Vec<String>]) -> Vec<usize> {
    let mut runs = vec![1; rows.len()];
    let mut i = 0;
    while i < rows.len() {
        let mut j = i + 1;
        while j < rows.len() && !rows[i][0].is_empty() && rows[j][0] == rows[i][0] {
            runs[j] = 0;
            j += 1;
        }
        runs[i] = j - i;
        i = j;
    }
    runs
}

/// An HTML page: furniture around a content container with one `<p>` per line and
/// a real `<table>` (rowspan on the category column) per table.
pub fn to_html(text: &str, plan: &Plan) -> String {
    let mut body = String::new();
    for block in blocks(text, plan) {
        match block {
            Block::Line(_, line) if line.trim().is_empty() => {}
            Block::Line(_, line) => body.push_str(&format!("<p>{}</p>\n", esc(&line))),
            Block::Table(t) => body.push_str(&html_table(&t)),
        }
    }
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>规划纲要</title>\
         <script>var nav = '<p>菜单</p>';</script></head><body>\n\
         <header><div class=\"logo\">县人民政府门户网站</div></header>\n\
         <div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/zwgk\">政务公开</a> <a href=\"/hd\">互动交流</a></div>\n\
         <div class=\"crumb\">首页 &gt; 政府信息公开 &gt; 规划计划</div>\n\
         <div class=\"info\">发布时间:2021-06-01 来源:县发展和改革局 【字号:大 中 小】</div>\n\
         <div id=\"zoom\" class=\"TRS_Editor\">\n{body}</div>\n\
         <div class=\"tools\">【打印本页】【关闭窗口】</div>\n\
         <footer>主办:县人民政府办公室 版权所有</footer>\n</body></html>\n"
    )
}

fn html_table(t: &TableSpec) -> String {
    let mut out = String::from("<table border=\"1\">\n<thead><tr>");
    for cell in &t.header {
        out.push_str(&format!("<th>{}</th>", esc(cell)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let runs = first_column_runs(&t.rows);
    for (row, &run) in t.rows.iter().zip(&runs) {
        out.push_str("<tr>");
        for (c, cell) in row.iter().enumerate() {
            match (c, t.merge_first, run) {
                (0, true, 0) => {}
                (0, true, n) if n > 1 => {
                    out.push_str(&format!("<td rowspan=\"{n}\">{}</td>", esc(cell)))
                }
                _ => out.push_str(&format!("<td>{}</td>", esc(cell))),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
    out
}

/// Heading kinds whose markers become Word numbering, with their list level.
fn numbering_level(kind: HeadingKind) -> Option<usize> {
    match kind {
        HeadingKind::Chapter => Some(0),
        HeadingKind::Section => Some(1),
        HeadingKind::Chinese => Some(2),
        HeadingKind::ParenChinese => Some(3),
        _ => None,
    }
}

/// Value of a Chinese numeral (一 … 九十九, 一百零一).
pub fn chinese_value(numeral: &str) -> Option<i64> {
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|d| d as i64)
    };
    let (mut total, mut current) = (0i64, 0i64);
    for c in numeral.chars() {
        match c {
            '十' => {
                total += current.max(1) * 10;
                current = 0;
            }
            '百' => {
                total += current.max(1) * 100;
                current = 0;
            }
            '零' => {}
            '两' => current = 2,
            c => current = digit(c)?,
        }
    }
    let value = total + current;
    (value > 0).then_some(value)
}

/// The Word level template of a marker: `第十一章` → (`第%1章`, 11).
fn template(number: &str, ilvl: usize) -> Option<(String, i64)> {
    let numeral_char = |c: char| "〇零一二三四五六七八九十百两".contains(c);
    let start = number.find(numeral_char)?;
    let end = start
        + number[start..]
            .find(|c: char| !numeral_char(c))
            .unwrap_or(number.len() - start);
    let value = chinese_value(&number[start..end])?;
    Some((
        format!("{}%{}{}", &number[..start], ilvl + 1, &number[end..]),
        value,
    ))
}

/// Word numbering as the generator assigns it: list 1 counts like Word; a heading
/// whose marker list 1 would not produce gets its own list instance with a level
/// override (start value and template).
#[derive(Default)]
struct ListState {
    templates: [Option<String>; 4],
    counters: [Option<i64>; 4],
    overrides: Vec<String>,
}

impl ListState {
    /// The numId for a heading at `ilvl` with template and value.
    fn assign(&mut self, ilvl: usize, template: &str, value: i64) -> i64 {
        let main = self.templates[ilvl]
            .get_or_insert_with(|| template.to_string())
            .clone();
        let expected = self.counters[ilvl].map_or(1, |v| v + 1);
        if main == template && expected == value {
            self.counters[ilvl] = Some(value);
            for deeper in &mut self.counters[ilvl + 1..] {
                *deeper = None;
            }
            return 1;
        }
        let id = 2 + self.overrides.len() as i64;
        self.overrides.push(format!(
            r#"<w:num w:numId="{id}"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{value}"/>{}</w:lvlOverride></w:num>"#,
            lvl(ilvl, "chineseCounting", template, "nothing").replace(
                r#"<w:start w:val="1"/>"#,
                &format!(r#"<w:start w:val="{value}"/>"#)
            )
        ));
        id
    }

    fn numbering_xml(&self) -> String {
        let defaults = ["第%1章", "第%2节", "%3、", "（%4）"];
        let levels: String = (0..4)
            .map(|l| {
                let text = self.templates[l].as_deref().unwrap_or(defaults[l]);
                let level = lvl(l, "chineseCounting", text, "nothing");
                // 第X节 is linked to its heading style (found through the level's pStyle).
                if l == 1 {
                    level.replace("<w:start", r#"<w:pStyle w:val="Heading2"/><w:start"#)
                } else {
                    level
                }
            })
            .collect();
        format!(
            r#"<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>{}"#,
            self.overrides.concat()
        )
    }
}

/// Styles: 第X章 headings are numbered through Heading1's numPr (numId and ilvl),
/// 第X节 through Heading2 (numId only; the level comes from the level's pStyle).
const STYLES: &str = r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="1"/></w:pPr></w:style>"#;

/// A DOCX: heading markers (第X章, 第X节, 一、, (一)) removed from the text and drawn
/// by numbering.xml instead; tables as `w:tbl` with vMerge on the category column.
pub fn to_docx(text: &str, plan: &Plan) -> Vec<u8> {
    let headings: std::collections::HashMap<usize, (usize, &str)> = plan
        .outline
        .iter()
        .filter_map(|h| Some((h.line, (numbering_level(h.kind)?, h.number.as_str()))))
        .collect();
    let mut lists = ListState::default();
    let mut body = String::new();
    for block in blocks(text, plan) {
        match block {
            Block::Line(_, line) if line.trim().is_empty() => {}
            Block::Line(n, line) => body.push_str(&docx_line(n, &line, &headings, &mut lists)),
            Block::Table(t) => body.push_str(&docx_table(&t)),
        }
    }
    docx::build(&body, Some(STYLES), Some(&lists.numbering_xml()))
}

fn docx_line(
    n: usize,
    line: &str,
    headings: &std::collections::HashMap<usize, (usize, &str)>,
    lists: &mut ListState,
) -> String {
    let Some(&(ilvl, number)) = headings.get(&n) else {
        return p(line);
    };
    let trimmed = line.trim_start();
    let (Some(rest), Some((template, value))) =
        (trimmed.strip_prefix(number), template(number, ilvl))
    else {
        return p(line);
    };
    match (lists.assign(ilvl, &template, value), ilvl) {
        (1, 0) => styled("Heading1", rest),
        (1, 1) => styled("Heading2", rest),
        (num, _) => numbered(num, ilvl, rest),
    }
}

fn docx_table(t: &TableSpec) -> String {
    let mut rows = vec![t.header.iter().map(|h| tc(h, 1, None)).collect::<Vec<_>>()];
    let runs = first_column_runs(&t.rows);
    for (row, &run) in t.rows.iter().zip(&runs) {
        let cells = row
            .iter()
            .enumerate()
            .map(|(c, cell)| match (c, t.merge_first, run) {
                (0, true, 0) => tc("", 1, Some("")),
                (0, true, n) if n > 1 => tc(cell, 1, Some("restart")),
                _ => tc(cell, 1, None),
            })
            .collect();
        rows.push(cells);
    }
    tbl(t.header.len(), &rows)
}

/// The text in GBK, or GB18030 where it has characters GBK lacks.
pub fn to_gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    if unmappable {
        encoding_rs::GB18030.encode(text).0.into_owned()
    } else {
        bytes.into_owned()
    }
}
