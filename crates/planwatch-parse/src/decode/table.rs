//! Table grids, and their rendering as one line per row.
//!
//! HTML, DOCX and PDF tables are placed cell by cell into a [`Grid`], which knows
//! which positions a row or column span covers. The finished grid travels to the
//! structure stage twice: as text lines (the rendering below, which is what line
//! numbers count and what a person reads) and as a [`DecodedTable`] whose rows carry
//! each cell's [`Span`], so merged cells are read exactly instead of being guessed.
//!
//! The rendering: each row is one line, every cell is followed by ` |`, cells are
//! separated by a space, and an empty cell (a position covered by a row or column
//! span, or a missing cell) is a bare `|`:
//!
//! ```text
//! 类别 | 指标 | 2020年 | 2025年 | 属性 |
//! 经济发展 | 地区生产总值(亿元) | 735 | 1130 | 预期性 |
//! | 一般公共预算收入(亿元) | 25.2 | 32 | 预期性 |
//! ```
//!
//! Rows are padded to the widest row so columns stay aligned; rows with no text
//! at all are dropped.

/// Most cells a span may create in one table; beyond it spans count as 1×1.
/// Keeps a hostile `colspan=1000` on every row from exhausting memory.
const MAX_SPAN_CELLS: usize = 4_000_000;

/// Largest column span honoured (HTML allows 1000; real tables use a few).
const MAX_COLSPAN: usize = 100;

/// How a grid position got its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// The cell as written (its text may be empty).
    Origin,
    /// Covered by a row span from above: the same value as the cell above.
    Below,
    /// Covered by a column span from the left.
    Right,
    /// No cell here (a short row).
    Missing,
}

/// One position of a decoded table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridCell {
    /// The cell's text; empty for covered and missing positions.
    pub text: String,
    /// How the position was filled.
    pub span: Span,
}

/// One row of a decoded table and the line of the decoded text it was rendered to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridRow {
    /// 1-based line number in the decoded text.
    pub line: usize,
    /// Cells, as wide as the widest row.
    pub cells: Vec<GridCell>,
}

/// A table exactly as the decoder saw it (HTML `<table>`, DOCX `w:tbl`, a ruled PDF
/// table): the structure stage reads spans from here instead of guessing them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedTable {
    /// Rows in order; every row also appears as one rendered line of the text.
    pub rows: Vec<GridRow>,
}

/// A table being filled cell by cell, with row and column spans.
#[derive(Debug, Default)]
pub struct Grid {
    /// `None` = not yet filled.
    rows: Vec<Vec<Option<GridCell>>>,
    cells: usize,
}

impl Grid {
    /// Place a cell in row `row` at the first free column.
    ///
    /// `rowspan` must already be capped by the caller to the rows that exist.
    pub fn place(&mut self, row: usize, text: String, rowspan: usize, colspan: usize) {
        let mut rowspan = rowspan.max(1);
        let mut colspan = colspan.clamp(1, MAX_COLSPAN);
        if self.cells + rowspan * colspan > MAX_SPAN_CELLS {
            rowspan = 1;
            colspan = 1;
        }
        self.cells += rowspan * colspan;
        while self.rows.len() < row + rowspan {
            self.rows.push(Vec::new());
        }
        let start = self.rows[row]
            .iter()
            .position(Option::is_none)
            .unwrap_or(self.rows[row].len());
        let mut text = Some(text);
        for r in row..row + rowspan {
            let cells = &mut self.rows[r];
            if cells.len() < start + colspan {
                cells.resize(start + colspan, None);
            }
            for (k, slot) in cells[start..start + colspan].iter_mut().enumerate() {
                if slot.is_none() {
                    let span = match (text.is_some(), r > row, k > 0) {
                        (true, _, _) => Span::Origin,
                        (false, true, _) => Span::Below,
                        (false, false, _) => Span::Right,
                    };
                    *slot = Some(GridCell {
                        text: text.take().unwrap_or_default(),
                        span,
                    });
                }
            }
        }
    }

    /// Append a position covered by a span or left empty, after the row's last cell
    /// (DOCX writes vertically merged and skipped grid positions explicitly).
    pub fn push_covered(&mut self, row: usize, span: Span) {
        self.touch(row);
        self.cells += 1;
        self.rows[row].push(Some(GridCell {
            text: String::new(),
            span,
        }));
    }

    /// Make sure row `row` exists even if it has no cells.
    pub fn touch(&mut self, row: usize) {
        while self.rows.len() <= row {
            self.rows.push(Vec::new());
        }
    }

    /// The finished rows: rows without any text dropped, every row padded with
    /// [`Span::Missing`] to the widest row.
    pub fn finish(self) -> Vec<Vec<GridCell>> {
        let width = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        self.rows
            .into_iter()
            .filter(|row| row.iter().flatten().any(|c| !c.text.is_empty()))
            .map(|row| {
                let mut cells: Vec<GridCell> =
                    row.into_iter().map(|c| c.unwrap_or_else(missing)).collect();
                cells.resize_with(width, missing);
                cells
            })
            .collect()
    }
}

fn missing() -> GridCell {
    GridCell {
        text: String::new(),
        span: Span::Missing,
    }
}

/// One row as a line: `a | | b |`.
pub fn render_row(cells: &[GridCell]) -> String {
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push(' ');
        }
        if !cell.text.is_empty() {
            line.push_str(&cell.text);
            line.push(' ');
        }
        line.push('|');
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cells are (row, text, rowspan, colspan).
    fn check(cells: &[(usize, &str, usize, usize)], expect: &[&str]) {
        let mut grid = Grid::default();
        for &(row, text, rs, cs) in cells {
            grid.place(row, text.to_string(), rs, cs);
        }
        let rows: Vec<String> = grid.finish().iter().map(|r| render_row(r)).collect();
        assert_eq!(rows, expect);
    }

    #[test]
    fn plain_rows() {
        check(
            &[
                (0, "指标", 1, 1),
                (0, "2025年", 1, 1),
                (1, "地区生产总值(亿元)", 1, 1),
                (1, "1130", 1, 1),
            ],
            &["指标 | 2025年 |", "地区生产总值(亿元) | 1130 |"],
        );
    }

    #[test]
    fn rowspan_leaves_empty_cells_below() {
        check(
            &[
                (0, "经济发展", 2, 1),
                (0, "地区生产总值(亿元)", 1, 1),
                (0, "1130", 1, 1),
                (1, "一般公共预算收入(亿元)", 1, 1),
                (1, "32", 1, 1),
            ],
            &[
                "经济发展 | 地区生产总值(亿元) | 1130 |",
                "| 一般公共预算收入(亿元) | 32 |",
            ],
        );
    }

    #[test]
    fn colspan_pads_to_the_right() {
        check(
            &[
                (0, "一、经济更加发展(8项)", 1, 3),
                (1, "地区生产总值(亿元)", 1, 1),
                (1, "735", 1, 1),
                (1, "1130", 1, 1),
            ],
            &[
                "一、经济更加发展(8项) | | |",
                "地区生产总值(亿元) | 735 | 1130 |",
            ],
        );
    }

    #[test]
    fn two_row_header_with_both_spans() {
        // 指标 spans two rows; 2025年 spans two columns (目标, 增速) in the second row.
        check(
            &[
                (0, "指标", 2, 1),
                (0, "2025年", 1, 2),
                (0, "属性", 2, 1),
                (1, "目标", 1, 1),
                (1, "增速", 1, 1),
            ],
            &["指标 | 2025年 | | 属性 |", "| 目标 | 增速 | |"],
        );
    }

    #[test]
    fn ragged_rows_are_padded_and_empty_rows_dropped() {
        check(
            &[
                (0, "a", 1, 1),
                (0, "b", 1, 1),
                (0, "c", 1, 1),
                (1, "", 1, 1),
                (2, "d", 1, 1),
            ],
            &["a | b | c |", "d | | |"],
        );
    }

    #[test]
    fn spans_are_marked() {
        let mut grid = Grid::default();
        grid.place(0, "16".into(), 2, 1);
        grid.place(0, "主要污染物排放总量降幅".into(), 1, 2);
        grid.place(1, "氨氮".into(), 1, 1);
        let rows = grid.finish();
        let spans: Vec<Vec<Span>> = rows
            .iter()
            .map(|r| r.iter().map(|c| c.span).collect())
            .collect();
        assert_eq!(
            spans,
            [
                vec![Span::Origin, Span::Origin, Span::Right],
                vec![Span::Below, Span::Origin, Span::Missing],
            ]
        );
    }

    #[test]
    fn hostile_spans_are_capped() {
        let mut grid = Grid::default();
        grid.place(0, "x".into(), 1, 1_000_000);
        let rows = grid.finish();
        assert_eq!(rows[0].len(), MAX_COLSPAN);
    }
}
