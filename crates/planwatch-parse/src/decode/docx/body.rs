//! `word/document.xml` to lines: paragraphs with their numbering labels, tables as
//! grids, text boxes as paragraphs.

use quick_xml::events::BytesStart;

use super::numbering::Numbering;
use super::styles::Styles;
use super::xml::{Ev, attr, num_attr, walk};
use crate::decode::DecodeError;
use crate::decode::table::{DecodedTable, GridCell, GridRow, Span, render_row};

/// Subtrees that never hold document text: field codes, deleted and moved-away text,
/// tracked property changes, content-control properties.
const SKIP: &[&[u8]] = &[
    b"instrText",
    b"delText",
    b"del",
    b"moveFrom",
    b"pPrChange",
    b"rPrChange",
    b"tblPrChange",
    b"tcPrChange",
    b"trPrChange",
    b"sectPrChange",
    b"sdtPr",
];

/// Render the document body as lines, with the grids of its top-level tables.
pub(super) fn render(
    xml: &[u8],
    styles: &Styles,
    numbering: &mut Numbering,
) -> Result<(Vec<String>, Vec<DecodedTable>), DecodeError> {
    let mut body = Body {
        styles,
        numbering,
        out: Vec::new(),
        grids: Vec::new(),
        paras: Vec::new(),
        tables: Vec::new(),
        frames: Vec::new(),
        in_text: 0,
        in_run: 0,
        in_numpr: false,
    };
    walk("word/document.xml", xml, SKIP, |ev| body.event(ev))?;
    Ok((body.out, body.grids))
}

#[derive(Default)]
struct Para {
    /// Finished line parts (a `w:br` ends one).
    parts: Vec<String>,
    text: String,
    style: Option<String>,
    num_id: Option<i64>,
    ilvl: Option<i64>,
}

#[derive(Default)]
struct Cell {
    lines: Vec<String>,
    span: usize,
    continued: bool,
}

#[derive(Default)]
struct Table {
    rows: Vec<Vec<GridCell>>,
    row: Option<Vec<GridCell>>,
    after: usize,
    cell: Option<Cell>,
}

/// Drawings hold text only inside text boxes.
#[derive(PartialEq)]
enum Frame {
    Drawing,
    TextBox,
}

struct Body<'a> {
    styles: &'a Styles,
    numbering: &'a mut Numbering,
    out: Vec<String>,
    /// Top-level tables, each row pointing at its line in `out`.
    grids: Vec<DecodedTable>,
    paras: Vec<Para>,
    tables: Vec<Table>,
    frames: Vec<Frame>,
    in_text: usize,
    in_run: usize,
    in_numpr: bool,
}

impl Body<'_> {
    fn event(&mut self, ev: Ev<'_, '_>) {
        match ev {
            Ev::Start(e) => self.start(e),
            Ev::End(name) => self.end(name),
            Ev::Text(text) => {
                if self.in_text > 0
                    && self.frames.last() != Some(&Frame::Drawing)
                    && let Some(p) = self.paras.last_mut()
                {
                    p.text.push_str(text);
                }
            }
        }
    }

    fn start(&mut self, e: &BytesStart<'_>) {
        let name = e.local_name();
        let name = name.as_ref();
        match name {
            b"drawing" | b"pict" | b"object" => self.frames.push(Frame::Drawing),
            b"txbxContent" => self.frames.push(Frame::TextBox),
            _ if self.frames.last() == Some(&Frame::Drawing) => {}
            b"p" => self.paras.push(Para::default()),
            b"r" => self.in_run += 1,
            b"t" => self.in_text += 1,
            b"tab" | b"ptab" if self.in_run > 0 => self.push_str(" "),
            b"noBreakHyphen" => self.push_str("-"),
            b"br" | b"cr" => {
                let page = attr(e, b"type").is_some_and(|t| t == "page" || t == "column");
                if !page && let Some(p) = self.paras.last_mut() {
                    p.parts.push(std::mem::take(&mut p.text));
                }
            }
            b"pStyle" => {
                if let Some(p) = self.paras.last_mut() {
                    p.style = attr(e, b"val");
                }
            }
            b"numPr" => self.in_numpr = true,
            b"numId" | b"ilvl" if self.in_numpr => {
                if let Some(p) = self.paras.last_mut() {
                    let value = num_attr(e, b"val");
                    if name == b"numId" {
                        p.num_id = value
                    } else {
                        p.ilvl = value
                    }
                }
            }
            b"tbl" => self.tables.push(Table::default()),
            b"tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.row = Some(Vec::new());
                    t.after = 0;
                }
            }
            b"gridBefore" | b"gridAfter" => {
                let n = num_attr(e, b"val").unwrap_or(0).clamp(0, 100) as usize;
                if let Some(t) = self.tables.last_mut() {
                    if name == b"gridAfter" {
                        t.after = n;
                    } else if let Some(row) = t.row.as_mut() {
                        row.extend(std::iter::repeat_n(blank(Span::Missing), n));
                    }
                }
            }
            b"tc" => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell = Some(Cell {
                        span: 1,
                        ..Cell::default()
                    });
                }
            }
            b"gridSpan" => {
                if let Some(c) = self.cell_mut() {
                    c.span = num_attr(e, b"val").unwrap_or(1).clamp(1, 100) as usize;
                }
            }
            b"vMerge" => {
                let restart = attr(e, b"val").is_some_and(|v| v == "restart");
                if let Some(c) = self.cell_mut() {
                    c.continued = !restart;
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8]) {
        match name {
            b"drawing" | b"pict" | b"object" | b"txbxContent" => {
                self.frames.pop();
            }
            _ if self.frames.last() == Some(&Frame::Drawing) => {}
            b"p" => {
                if let Some(p) = self.paras.pop() {
                    let lines = self.finish_paragraph(p);
                    self.emit(lines);
                }
            }
            b"r" => self.in_run = self.in_run.saturating_sub(1),
            b"t" => self.in_text = self.in_text.saturating_sub(1),
            b"numPr" => self.in_numpr = false,
            b"tc" => {
                if let Some(t) = self.tables.last_mut()
                    && let (Some(cell), Some(row)) = (t.cell.take(), t.row.as_mut())
                {
                    row.push(if cell.continued {
                        blank(Span::Below)
                    } else {
                        GridCell {
                            text: cell.lines.join(" "),
                            span: Span::Origin,
                        }
                    });
                    let covered = if cell.continued {
                        Span::Below
                    } else {
                        Span::Right
                    };
                    row.extend(std::iter::repeat_n(blank(covered), cell.span - 1));
                }
            }
            b"tr" => {
                if let Some(t) = self.tables.last_mut()
                    && let Some(mut row) = t.row.take()
                {
                    row.extend(std::iter::repeat_n(blank(Span::Missing), t.after));
                    t.rows.push(row);
                }
            }
            b"tbl" => {
                if let Some(t) = self.tables.pop() {
                    self.finish_table(t.rows);
                }
            }
            _ => {}
        }
    }

    fn push_str(&mut self, s: &str) {
        if self.frames.last() != Some(&Frame::Drawing)
            && let Some(p) = self.paras.last_mut()
        {
            p.text.push_str(s);
        }
    }

    fn cell_mut(&mut self) -> Option<&mut Cell> {
        self.tables.last_mut()?.cell.as_mut()
    }

    /// The paragraph's lines, the first one prefixed by its numbering label. Word shows
    /// the label of an empty numbered paragraph (a bare `第三章`), so it is kept.
    fn finish_paragraph(&mut self, p: Para) -> Vec<String> {
        let label = self.label(&p);
        let mut parts = p.parts;
        parts.push(p.text);
        let mut lines: Vec<String> = Vec::new();
        for (i, part) in parts.into_iter().enumerate() {
            let part = match (&label, i) {
                (Some(label), 0) => format!("{label}{part}"),
                _ => part,
            };
            let part = part.trim_matches(|c: char| c.is_ascii_whitespace());
            if !part.is_empty() {
                lines.push(part.to_string());
            }
        }
        lines
    }

    /// Count the paragraph in its list (direct numPr first, then its style's).
    fn label(&mut self, p: &Para) -> Option<String> {
        let (num, ilvl) = match p.num_id {
            Some(num) => (num, p.ilvl),
            None => {
                let (num, ilvl) = self.styles.numbering(p.style.as_deref())?;
                let linked = || self.numbering.level_for_style(num, p.style.as_deref()?);
                (num, p.ilvl.or(ilvl).or_else(|| linked().map(|l| l as i64)))
            }
        };
        if num <= 0 {
            return None;
        }
        self.numbering
            .next_label(num, ilvl.unwrap_or(0).clamp(0, 8) as usize)
    }

    /// A finished table: rows without text dropped, padded to the widest row. A table
    /// nested in a cell becomes that cell's lines; a top-level one is also kept as a grid.
    fn finish_table(&mut self, rows: Vec<Vec<GridCell>>) {
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        let rows: Vec<Vec<GridCell>> = rows
            .into_iter()
            .filter(|r| r.iter().any(|c| !c.text.is_empty()))
            .map(|mut r| {
                r.resize_with(width, || blank(Span::Missing));
                r
            })
            .collect();
        let lines: Vec<String> = rows.iter().map(|r| render_row(r)).collect();
        if !self.tables.is_empty() {
            self.emit(lines);
            return;
        }
        let first = self.out.len() + 1;
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(k, cells)| GridRow {
                line: first + k,
                cells,
            })
            .collect();
        self.out.extend(lines);
        self.grids.push(DecodedTable { rows });
    }

    /// Paragraph lines go to the innermost open table cell, or to the document.
    fn emit(&mut self, lines: Vec<String>) {
        match self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            Some(cell) => cell.lines.extend(lines),
            None => self.out.extend(lines),
        }
    }
}

fn blank(span: Span) -> GridCell {
    GridCell {
        text: String::new(),
        span,
    }
}
