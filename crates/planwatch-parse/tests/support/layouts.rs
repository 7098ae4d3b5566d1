//! One indicator table, many layouts: the test oracle of the table parser.
//!
//! A [`Spec`] is a table as a person reads it (columns with their roles, rows with
//! category, 序号, name, parent, values and attribute). [`LAYOUTS`] renders it the
//! ways real documents do — `|` rows with merged cells kept, blanked or left out,
//! tabs, aligned spaces, one cell per line with and without `|`, split header words
//! and wrapped names, HTML with rowspan/colspan, DOCX with vMerge/gridSpan, permuted
//! and extra columns, category rows, a 专栏 box or a 表1 caption, notes — and
//! [`expected`] says what every layout must parse to.

use serde::Deserialize;

use super::docx::{self, esc, tbl, tc};

/// A table as a person reads it.
#[derive(Debug, Clone, Deserialize)]
pub struct Spec {
    /// Caption.
    pub title: String,
    /// Column headers, without the category column (categories are per row).
    pub columns: Vec<String>,
    /// Role of each column: seq, name, unit, baseline, target, annual, cumulative,
    /// annual_or_cumulative, attribute, note.
    pub roles: Vec<String>,
    /// Rows in order.
    pub rows: Vec<SpecRow>,
}

/// One row of a [`Spec`].
#[derive(Debug, Clone, Deserialize)]
pub struct SpecRow {
    /// Group label.
    #[serde(default)]
    pub category: Option<String>,
    /// 序号.
    #[serde(default)]
    pub seq: Option<String>,
    /// Name as written in the name column (may carry its unit: 地区生产总值(亿元)).
    pub name: String,
    /// The parent's name for a sub-row.
    #[serde(default)]
    pub parent: Option<String>,
    /// Unit when a unit column gives it.
    #[serde(default)]
    pub unit: Option<String>,
    /// Value cells by column header.
    #[serde(default)]
    pub cells: std::collections::BTreeMap<String, String>,
    /// 预期性 / 约束性.
    #[serde(default)]
    pub attribute: Option<String>,
}

/// What an indicator must parse to, compared across layouts.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    pub name: String,
    pub unit: Option<String>,
    pub category: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub growth: Option<f64>,
    pub attribute: Option<String>,
    pub parent: Option<String>,
}

/// A rendered document.
pub struct Doc {
    /// File name whose extension tells the decoder the format.
    pub path: &'static str,
    pub bytes: Vec<u8>,
}

/// A layout: its name and how it renders a spec.
pub type Layout = (&'static str, fn(&Spec) -> Doc);

/// Every layout the parser must read alike.
pub const LAYOUTS: &[Layout] = &[
    ("pipe rows, merged cells repeated", pipe_repeated),
    ("pipe rows, merged cells blank", pipe_blank),
    ("pipe rows, merged cells left out (web copy)", pipe_absent),
    ("tab-separated rows", tabs),
    ("columns aligned with spaces", spaces),
    ("one cell per line with |, category rows", cells_with_pipes),
    (
        "one cell per line, split header words, wrapped names",
        cells_bare,
    ),
    ("HTML with rowspan and colspan", html),
    ("DOCX with vMerge and gridSpan", docx_table),
    ("columns permuted", permuted),
    ("extra unit and note columns", extra_columns),
    ("category rows across the table", category_rows),
    ("category lines without | between rows", category_lines),
    ("序号 written into the name", seq_in_name),
    ("in a 专栏 box with notes", in_box),
];

impl Spec {
    fn col(&self, role: &str) -> Option<usize> {
        self.roles.iter().position(|r| r == role)
    }

    /// The cell of `row` under column `c` (name, 序号 and attribute come from their fields).
    fn cell(&self, row: &SpecRow, c: usize) -> String {
        match self.roles[c].as_str() {
            "name" => row.name.clone(),
            "seq" => row.seq.clone().unwrap_or_default(),
            "attribute" => row.attribute.clone().unwrap_or_default(),
            "unit" => row.unit.clone().unwrap_or_default(),
            _ => row.cells.get(&self.columns[c]).cloned().unwrap_or_default(),
        }
    }

    fn has_parents(&self) -> bool {
        self.rows.iter().any(|r| r.parent.is_some())
    }
}

/// Whether row `i` is a sub-row after the first of its parent.
fn later_sub_row(spec: &Spec, i: usize) -> bool {
    i > 0 && spec.rows[i].parent.is_some() && spec.rows[i].parent == spec.rows[i - 1].parent
}

/// Whether row `i` opens a new category.
fn opens_category(spec: &Spec, i: usize) -> bool {
    i == 0 || spec.rows[i].category != spec.rows[i - 1].category
}

/// The cells of row `i` as text rows write them: the category first (per `merged`),
/// then the columns; a first sub-row writes its parent before its own name, later
/// sub-rows leave out 序号, parent and attribute (merged in the source).
fn text_row(spec: &Spec, i: usize, merged: Merged, with_category: bool) -> Vec<String> {
    let row = &spec.rows[i];
    let mut cells = Vec::new();
    if with_category {
        let cat = row.category.clone().unwrap_or_default();
        match merged {
            Merged::Repeated => cells.push(cat),
            Merged::Blank => cells.push(if opens_category(spec, i) {
                cat
            } else {
                String::new()
            }),
            Merged::Absent if opens_category(spec, i) => cells.push(cat),
            Merged::Absent => {}
        }
    }
    let later = later_sub_row(spec, i);
    for c in 0..spec.columns.len() {
        let role = spec.roles[c].as_str();
        if later && matches!(role, "seq" | "attribute") {
            if merged == Merged::Blank {
                cells.push(String::new());
            }
            continue;
        }
        if role == "name"
            && !later
            && let Some(parent) = &row.parent
        {
            cells.push(parent.clone());
        }
        cells.push(spec.cell(row, c));
    }
    cells
}

#[derive(Clone, Copy, PartialEq)]
enum Merged {
    Repeated,
    Blank,
    Absent,
}

fn header_with_category(spec: &Spec) -> Vec<String> {
    let mut h = vec!["类别".to_string()];
    h.extend(spec.columns.iter().cloned());
    h
}

/// Prose around a table, so it is found in context.
fn wrap(spec: &Spec, table: &str) -> String {
    format!(
        "第二章 主要目标\n到2025年,经济社会发展取得新成效。\n{}\n{table}\n第三章 坚持创新驱动发展\n全面塑造发展新优势,加快建设创新型县城。\n",
        spec.title
    )
}

fn txt(text: String) -> Doc {
    Doc {
        path: "plan.txt",
        bytes: text.into_bytes(),
    }
}

fn pipe_line(cells: &[String]) -> String {
    let mut line = cells.join(" | ");
    line.push_str(" |");
    line
}

fn pipe(spec: &Spec, merged: Merged, junk: &str) -> Doc {
    let mut lines = vec![pipe_line(&header_with_category(spec))];
    for i in 0..spec.rows.len() {
        lines.push(format!(
            "{}{junk}",
            pipe_line(&text_row(spec, i, merged, true))
        ));
    }
    txt(wrap(spec, &lines.join("\n")))
}

fn pipe_repeated(spec: &Spec) -> Doc {
    pipe(spec, Merged::Repeated, "")
}

fn pipe_blank(spec: &Spec) -> Doc {
    pipe(spec, Merged::Blank, "")
}

/// As copied from a web page: merged cells missing and stray empty cells at the end.
fn pipe_absent(spec: &Spec) -> Doc {
    pipe(spec, Merged::Absent, " ||")
}

fn tabs(spec: &Spec) -> Doc {
    let mut lines = vec![header_with_category(spec).join("\t")];
    for i in 0..spec.rows.len() {
        lines.push(text_row(spec, i, Merged::Absent, true).join("\t"));
    }
    txt(wrap(spec, &lines.join("\n")))
}

fn spaces(spec: &Spec) -> Doc {
    let pad = |cells: Vec<String>| {
        cells
            .iter()
            .map(|c| format!("{c:<14}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let mut lines = vec![pad(header_with_category(spec))];
    for i in 0..spec.rows.len() {
        let cells: Vec<String> = text_row(spec, i, Merged::Absent, true)
            .into_iter()
            .map(|c| if c.is_empty() { "—".to_string() } else { c })
            .collect();
        lines.push(pad(cells));
    }
    txt(wrap(spec, &lines.join("\n")))
}

/// One cell per line ending in ` |`; categories as their own line followed by `|||`.
fn cells_with_pipes(spec: &Spec) -> Doc {
    let mut lines: Vec<String> = spec.columns.iter().map(|c| format!("{c} |")).collect();
    for i in 0..spec.rows.len() {
        if opens_category(spec, i)
            && let Some(cat) = &spec.rows[i].category
        {
            lines.push(format!("{cat} |"));
            lines.push("|||".into());
        }
        for c in text_row(spec, i, Merged::Absent, false) {
            lines.push(if c.is_empty() {
                "|".into()
            } else {
                format!("{c} |")
            });
        }
    }
    txt(wrap(spec, &lines.join("\n")))
}

/// Split a header the way narrow PDF or web columns do (`2025年` / `目标值`).
fn split_header_word(h: &str) -> Vec<String> {
    for suffix in ["目标值", "目标", "名称"] {
        if let Some(head) = h.strip_suffix(suffix)
            && !head.is_empty()
            && head != "规划"
        {
            return vec![head.to_string(), suffix.to_string()];
        }
    }
    vec![h.to_string()]
}

/// Wrap a long name where a narrow column would: before its unit, or before 占.
fn wrap_name(name: &str) -> Vec<String> {
    if name.chars().count() < 9 {
        return vec![name.to_string()];
    }
    let at = name
        .rfind('(')
        .filter(|&p| p > 0)
        .or_else(|| name.find('占').filter(|&p| p > 0));
    match at {
        Some(p) => vec![name[..p].to_string(), name[p..].to_string()],
        None => vec![name.to_string()],
    }
}

/// One cell per line, no `|`: the category cell only in the first row of its group,
/// header words split over two lines, long names wrapped, empty cells left out.
fn cells_bare(spec: &Spec) -> Doc {
    let mut lines: Vec<String> = vec!["类别".into()];
    for h in &spec.columns {
        lines.extend(split_header_word(h));
    }
    let name_col = spec.col("name").unwrap();
    for i in 0..spec.rows.len() {
        let row = text_row(spec, i, Merged::Absent, true);
        let skip_cat = usize::from(opens_category(spec, i));
        for (k, c) in row.iter().enumerate() {
            let is_name =
                k >= skip_cat && spec.rows[i].parent.is_none() && k - skip_cat == name_col;
            if c.is_empty() {
                lines.push("—".into());
            } else if is_name {
                lines.extend(wrap_name(c));
            } else {
                lines.push(c.clone());
            }
        }
    }
    txt(wrap(spec, &lines.join("\n")))
}

/// Runs of rows that share a value, for rowspans: (start, length) per row start.
fn runs(spec: &Spec, key: impl Fn(usize) -> Option<String>) -> Vec<usize> {
    let n = spec.rows.len();
    let mut out = vec![1; n];
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && key(i).is_some() && key(j) == key(i) {
            out[j] = 0;
            j += 1;
        }
        out[i] = j - i;
        i = j;
    }
    out
}

/// A cell of a spanned grid: text, rowspan, colspan.
type SpanCell = (String, usize, usize);

/// A grid with spans: header (text, colspan) and rows of [`SpanCell`]s; spanned
/// positions are absent.
fn spanned_grid(spec: &Spec) -> (Vec<(String, usize)>, Vec<Vec<SpanCell>>) {
    let parents = spec.has_parents();
    let mut header: Vec<(String, usize)> = vec![("类别".into(), 1)];
    for (c, h) in spec.columns.iter().enumerate() {
        let span = if parents && spec.roles[c] == "name" {
            2
        } else {
            1
        };
        header.push((h.clone(), span));
    }
    let cat_runs = runs(spec, |i| spec.rows[i].category.clone());
    let parent_runs = runs(spec, |i| spec.rows[i].parent.clone());
    let mut rows = Vec::new();
    for (i, row) in spec.rows.iter().enumerate() {
        let mut cells = Vec::new();
        if cat_runs[i] > 0 {
            cells.push((row.category.clone().unwrap_or_default(), cat_runs[i], 1));
        }
        for c in 0..spec.columns.len() {
            let role = spec.roles[c].as_str();
            let grouped = row.parent.is_some() && matches!(role, "seq" | "attribute");
            if grouped && parent_runs[i] == 0 {
                continue;
            }
            let rowspan = if grouped { parent_runs[i] } else { 1 };
            if role == "name" && parents {
                match &row.parent {
                    Some(p) if parent_runs[i] > 0 => {
                        cells.push((p.clone(), parent_runs[i], 1));
                        cells.push((row.name.clone(), 1, 1));
                    }
                    Some(_) => cells.push((row.name.clone(), 1, 1)),
                    None => cells.push((row.name.clone(), 1, 2)),
                }
                continue;
            }
            cells.push((spec.cell(row, c), rowspan, 1));
        }
        rows.push(cells);
    }
    (header, rows)
}

fn html(spec: &Spec) -> Doc {
    let (header, rows) = spanned_grid(spec);
    let mut t = String::from("<table border=\"1\"><tr>");
    for (h, span) in header {
        t.push_str(&format!("<th colspan=\"{span}\">{}</th>", esc(&h)));
    }
    t.push_str("</tr>\n");
    for row in rows {
        t.push_str("<tr>");
        for (text, rs, cs) in row {
            t.push_str(&format!(
                "<td rowspan=\"{rs}\" colspan=\"{cs}\">{}</td>",
                esc(&text)
            ));
        }
        t.push_str("</tr>\n");
    }
    t.push_str("</table>");
    let body = format!(
        "<h2>第二章 主要目标</h2><p>到2025年,经济社会发展取得新成效。</p><p>{}</p>{t}<h2>第三章 坚持创新驱动发展</h2><p>全面塑造发展新优势。</p>",
        esc(&spec.title)
    );
    Doc {
        path: "plan.html",
        bytes: format!("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><div class=\"content\">{body}</div></body></html>").into_bytes(),
    }
}

fn docx_table(spec: &Spec) -> Doc {
    let (header, rows) = spanned_grid(spec);
    let width: usize = header.iter().map(|h| h.1).sum();
    let mut grid_rows: Vec<Vec<String>> =
        vec![header.iter().map(|(h, s)| tc(h, *s, None)).collect()];
    // Word writes a vertically merged cell in every row it covers: restart, then continue.
    let mut pending: Vec<(usize, usize, usize)> = Vec::new(); // (column, rows left, colspan)
    for row in rows {
        let mut out = Vec::new();
        let mut col = 0;
        let mut cells = row.into_iter();
        let mut next = cells.next();
        while col < width {
            if let Some(p) = pending.iter_mut().find(|p| p.0 == col && p.1 > 0) {
                out.push(tc("", p.2, Some("")));
                p.1 -= 1;
                col += p.2;
                continue;
            }
            let Some((text, rs, cs)) = next.take() else {
                break;
            };
            out.push(tc(&text, cs, (rs > 1).then_some("restart")));
            if rs > 1 {
                pending.push((col, rs - 1, cs));
            }
            col += cs;
            next = cells.next();
        }
        pending.retain(|p| p.1 > 0);
        grid_rows.push(out);
    }
    let body = format!(
        "{}{}{}{}{}{}",
        docx::p("第二章 主要目标"),
        docx::p("到2025年,经济社会发展取得新成效。"),
        docx::p(&spec.title),
        tbl(width, &grid_rows),
        docx::p("第三章 坚持创新驱动发展"),
        docx::p("全面塑造发展新优势。")
    );
    Doc {
        path: "plan.docx",
        bytes: docx::build(&body, None, None),
    }
}

/// The attribute right after the name, and the values in reverse order.
fn permuted(spec: &Spec) -> Doc {
    let mut order: Vec<usize> = (0..spec.columns.len()).collect();
    if let (Some(name), Some(attr)) = (spec.col("name"), spec.col("attribute")) {
        order.retain(|&c| c != attr);
        let at = order.iter().position(|&c| c == name).unwrap() + 1;
        order.insert(at, attr);
    }
    let permuted = Spec {
        columns: order.iter().map(|&c| spec.columns[c].clone()).collect(),
        roles: order.iter().map(|&c| spec.roles[c].clone()).collect(),
        ..spec.clone()
    };
    pipe(&permuted, Merged::Blank, "")
}

/// A 单位 column taken out of the names, and a 备注 column.
fn extra_columns(spec: &Spec) -> Doc {
    let mut out = spec.clone();
    if spec.col("unit").is_none() {
        let name = spec.col("name").unwrap();
        out.columns.insert(name + 1, "单位".into());
        out.roles.insert(name + 1, "unit".into());
        for row in &mut out.rows {
            let (bare, unit) = split_unit(&row.name);
            row.name = bare;
            row.unit = unit;
        }
    }
    out.columns.push("备注".into());
    out.roles.push("note".into());
    for (i, row) in out.rows.iter_mut().enumerate() {
        if i % 3 == 0 {
            row.cells.insert("备注".into(), "统计口径调整".into());
        }
    }
    pipe(&out, Merged::Blank, "")
}

/// Categories as rows across the whole table (一、经济发展), no category column.
fn category_rows(spec: &Spec) -> Doc {
    let mut lines = vec![pipe_line(&spec.columns)];
    let width = spec.columns.len();
    for i in 0..spec.rows.len() {
        if opens_category(spec, i)
            && let Some(cat) = &spec.rows[i].category
        {
            let mut row = vec![cat.clone()];
            row.resize(width, String::new());
            lines.push(pipe_line(&row));
        }
        lines.push(pipe_line(&text_row(spec, i, Merged::Blank, false)));
    }
    txt(wrap(spec, &lines.join("\n")))
}

/// Category labels on lines of their own, without `|`, between `|` rows.
fn category_lines(spec: &Spec) -> Doc {
    let mut lines = vec![pipe_line(&spec.columns)];
    for i in 0..spec.rows.len() {
        if opens_category(spec, i)
            && let Some(cat) = &spec.rows[i].category
        {
            lines.push(cat.clone());
        }
        lines.push(pipe_line(&text_row(spec, i, Merged::Blank, false)));
    }
    txt(wrap(spec, &lines.join("\n")))
}

/// No 序号 column: the number is written into the name (`1.国内生产总值(GDP)增长(%)`).
fn seq_in_name(spec: &Spec) -> Doc {
    let mut out = spec.clone();
    if let Some(seq) = spec.col("seq") {
        out.columns.remove(seq);
        out.roles.remove(seq);
    }
    let mut n = 0;
    for (i, row) in out.rows.iter_mut().enumerate() {
        // Sub-rows share their parent's number and carry none of their own.
        if !later_sub_row(spec, i) {
            n += 1;
            match &mut row.parent {
                Some(parent) => *parent = format!("{n}.{parent}"),
                None => row.name = format!("{n}.{}", row.name),
            }
        }
    }
    pipe(&out, Merged::Repeated, "")
}

/// Inside a 专栏 box, header split over lines, with notes under the table.
fn in_box(spec: &Spec) -> Doc {
    let mut lines: Vec<String> = vec![format!("专栏1 {}", spec.title)];
    lines.push(pipe_line(&header_with_category(spec)));
    for i in 0..spec.rows.len() {
        lines.push(pipe_line(&text_row(spec, i, Merged::Absent, true)));
    }
    lines.push("注:带〔〕的为五年累计数;*为预计数。".into());
    let text = format!(
        "第二章 主要目标\n到2025年,经济社会发展取得新成效。\n{}\n第三章 坚持创新驱动发展\n全面塑造发展新优势。\n",
        lines.join("\n")
    );
    txt(text)
}

/// `地区生产总值(亿元)` → (`地区生产总值`, `亿元`).
pub fn split_unit(name: &str) -> (String, Option<String>) {
    let name = name.trim().trim_end_matches('*');
    if name.ends_with(')')
        && let Some(open) = name.rfind('(')
    {
        let inner = &name[open + 1..name.len() - 1];
        if !inner.is_empty()
            && inner.chars().count() <= 8
            && !inner.contains("助理")
            && !inner.contains("GDP")
        {
            return (name[..open].to_string(), Some(inner.to_string()));
        }
    }
    (name.to_string(), None)
}

/// First number of a cell (`60.6*` → 60.6, `〔13.5〕` → 13.5, `—` → none).
pub fn number(cell: &str) -> Option<f64> {
    let start = cell.find(|c: char| c.is_ascii_digit())?;
    let end = cell[start..]
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map_or(cell.len(), |e| start + e);
    cell[start..end].parse().ok()
}

/// What every layout of `spec` must parse to.
pub fn expected(spec: &Spec) -> Vec<Expected> {
    let value = |row: &SpecRow, role: &str| spec.col(role).and_then(|c| number(&spec.cell(row, c)));
    spec.rows
        .iter()
        .map(|row| {
            let (own, own_unit) = split_unit(&row.name);
            let parent = row.parent.as_deref().map(split_unit);
            let name = match &parent {
                Some((p, _)) => format!("{p}：{own}"),
                None => own,
            };
            let growth = ["annual", "cumulative", "annual_or_cumulative"]
                .iter()
                .find_map(|r| value(row, r));
            Expected {
                name,
                unit: row
                    .unit
                    .clone()
                    .or(own_unit)
                    .or_else(|| parent.as_ref().and_then(|p| p.1.clone())),
                category: row.category.clone(),
                baseline: value(row, "baseline"),
                target: value(row, "target"),
                growth,
                attribute: row.attribute.clone(),
                parent: parent.map(|p| p.0),
            }
        })
        .collect()
}
