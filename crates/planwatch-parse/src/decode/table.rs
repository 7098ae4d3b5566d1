//! Table grids and their rendering as one line per row.
//!
//! The rendering is the contract with the structure stage: each row is one line,
//! every cell is followed by ` |`, cells are separated by a space, and an empty cell
//! (a position covered by a row or column span, or a missing cell) is a bare `|`:
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

/// A table being filled cell by cell, with row and column spans.
#[derive(Debug, Default)]
pub(crate) struct Grid {
    /// `None` = not yet filled; `Some("")` = covered by a span.
    rows: Vec<Vec<Option<String>>>,
    cells: usize,
}

impl Grid {
    /// Place a cell in row `row` at the first free column.
    ///
    /// `rowspan` must already be capped by the caller to the rows that exist.
    pub(crate) fn place(&mut self, row: usize, text: String, rowspan: usize, colspan: usize) {
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
            for slot in &mut cells[start..start + colspan] {
                if slot.is_none() {
                    *slot = Some(text.take().unwrap_or_default());
                }
            }
        }
    }

    /// Make sure row `row` exists even if it has no cells.
    pub(crate) fn touch(&mut self, row: usize) {
        while self.rows.len() <= row {
            self.rows.push(Vec::new());
        }
    }

    /// The grid as rows of cell texts (spanned and missing positions empty).
    pub(crate) fn into_rows(self) -> Vec<Vec<String>> {
        self.rows
            .into_iter()
            .map(|row| row.into_iter().map(Option::unwrap_or_default).collect())
            .collect()
    }
}

/// Render rows of cells as lines (see the module docs for the format).
pub(crate) fn render_rows(rows: Vec<Vec<String>>) -> Vec<String> {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    rows.into_iter()
        .filter(|row| row.iter().any(|c| !c.is_empty()))
        .map(|mut row| {
            row.resize(width, String::new());
            render_row(&row)
        })
        .collect()
}

/// One row as a line: `a | | b |`.
pub(crate) fn render_row(cells: &[String]) -> String {
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push(' ');
        }
        if !cell.is_empty() {
            line.push_str(cell);
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
        assert_eq!(render_rows(grid.into_rows()), expect);
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
    fn hostile_spans_are_capped() {
        let mut grid = Grid::default();
        grid.place(0, "x".into(), 1, 1_000_000);
        let rows = grid.into_rows();
        assert_eq!(rows[0].len(), MAX_COLSPAN);
    }
}
