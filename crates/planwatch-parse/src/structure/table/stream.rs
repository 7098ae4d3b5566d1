//! Tables streamed one cell per line: where does each row start?
//!
//! The header says how many columns there are, but merged cells written once,
//! names wrapped over two lines and sub-rows without their own 序号 make the rows
//! of different lengths. A dynamic program over the whole stream chooses the row
//! boundaries whose rows fit the columns best (each row scored by
//! [`super::align::align_kinds`]). A line of bare pipes (`|||`) holds empty cells:
//! after a group label they fill the rest of its row.

use planwatch_core::plan::ColumnRole;

use super::align::{Alignment, align_kinds};
use super::cell::{CellKind, classify};

/// A cell of the stream.
#[derive(Debug, Clone)]
pub struct Token {
    /// Source line.
    pub line: usize,
    /// The cell's text; empty for an empty cell.
    pub text: String,
}

/// One row found in the stream.
#[derive(Debug, Clone)]
pub enum Segment {
    /// A row of cells `start..end` of the stream, aligned to the columns.
    Row {
        /// First token.
        start: usize,
        /// One past the last token.
        end: usize,
        /// Where each cell went.
        alignment: Alignment,
    },
    /// A group label on its own (经济发展, 一、经济更加发展(8项)).
    Category(usize),
}

/// Cost of starting a row: keeps the program from cutting rows into pieces.
const ROW_COST: f32 = 1.5;

/// Score of a token standing alone as a category row (each empty cell after it adds
/// [`CATEGORY_FILL`]).
const CATEGORY_ROW: f32 = 2.5;
const CATEGORY_FILL: f32 = 0.5;

/// Longest stream segmented; a longer body is cut (it is no table a plan prints).
pub const MAX_TOKENS: usize = 6_000;

/// Split `tokens` into rows for a table with `roles`; also returns the mean score
/// per token, to compare two readings of the header.
pub fn segment(tokens: &[Token], roles: &[ColumnRole]) -> (Vec<Segment>, f32) {
    let tokens = &tokens[..tokens.len().min(MAX_TOKENS)];
    let n = tokens.len();
    if n == 0 || roles.is_empty() {
        return (Vec::new(), f32::NEG_INFINITY);
    }
    let kinds: Vec<CellKind> = tokens.iter().map(|t| classify(&t.text)).collect();
    let texts: Vec<String> = tokens.iter().map(|t| t.text.clone()).collect();
    let has_category_col = roles.contains(&ColumnRole::Category);
    let longest = roles.len() + 3;
    let neg = f32::NEG_INFINITY;
    let mut best = vec![neg; n + 1];
    let mut choice: Vec<Option<Segment>> = vec![None; n + 1];
    best[0] = 0.0;
    for end in 1..=n {
        for len in 1..=longest.min(end) {
            let start = end - len;
            if best[start] == neg {
                continue;
            }
            let label = kinds[start] == CellKind::Category
                || (kinds[start] == CellKind::Text && !has_category_col);
            let rest_empty = kinds[start + 1..end].iter().all(|k| *k == CellKind::Empty);
            let (score, seg) = if label && rest_empty {
                (
                    CATEGORY_ROW + CATEGORY_FILL * (len - 1) as f32,
                    Segment::Category(start),
                )
            } else {
                let alignment =
                    align_kinds(&kinds[start..end], &texts[start..end], roles, None, false);
                (
                    alignment.score,
                    Segment::Row {
                        start,
                        end,
                        alignment,
                    },
                )
            };
            let total = best[start] + score - ROW_COST;
            if total > best[end] {
                best[end] = total;
                choice[end] = Some(seg);
            }
        }
    }
    let mut segments = Vec::new();
    let mut end = n;
    while end > 0 {
        let Some(seg) = choice[end].take() else { break };
        end = match &seg {
            Segment::Row { start, .. } => *start,
            Segment::Category(start) => *start,
        };
        segments.push(seg);
    }
    segments.reverse();
    (segments, best[n] / n as f32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColumnRole::*;

    /// One token per cell; a line of k bare pipes is k empty cells.
    fn tokens(cells: &[&str]) -> Vec<Token> {
        let mut out = Vec::new();
        for (i, t) in cells.iter().enumerate() {
            let text = t.trim_end_matches('|').trim();
            let count = if text.is_empty() {
                t.matches('|').count()
            } else {
                1
            };
            for _ in 0..count {
                out.push(Token {
                    line: i + 1,
                    text: text.to_string(),
                });
            }
        }
        out
    }

    /// The rows as their cell texts joined by `/`, category rows prefixed by `#`.
    fn rows(tokens: &[Token], roles: &[ColumnRole]) -> Vec<String> {
        segment(tokens, roles)
            .0
            .iter()
            .map(|s| match s {
                Segment::Row { start, end, .. } => tokens[*start..*end]
                    .iter()
                    .map(|t| t.text.as_str())
                    .collect::<Vec<_>>()
                    .join("/"),
                Segment::Category(i) => format!("#{}", tokens[*i].text),
            })
            .collect()
    }

    #[test]
    fn county_table_in_a_box_one_cell_per_line() {
        let t = tokens(&[
            "经济发展",
            "1",
            "地区生产总值增速(%)",
            "4.1",
            "6左右",
            "预期性",
            "2",
            "产业投资",
            "占固定资产投资比重(%)",
            "58.1",
            "60",
            "预期性",
            "3",
            "城镇调查失业率(%)",
            "4.8",
            "<5.5",
            "约束性",
            "绿色生态",
            "16",
            "主要污染物排放总量降幅(%)",
            "化学需氧量",
            "—",
            "完成市下达任务",
            "约束性",
            "氨氮",
            "—",
            "完成市下达任务",
            "17",
            "森林覆盖率(%)",
            "62.4",
            "63",
            "约束性",
        ]);
        let roles = [Category, Seq, Name, Baseline, Target, Attribute];
        assert_eq!(
            rows(&t, &roles),
            [
                "经济发展/1/地区生产总值增速(%)/4.1/6左右/预期性",
                "2/产业投资/占固定资产投资比重(%)/58.1/60/预期性",
                "3/城镇调查失业率(%)/4.8/<5.5/约束性",
                "绿色生态/16/主要污染物排放总量降幅(%)/化学需氧量/—/完成市下达任务/约束性",
                "氨氮/—/完成市下达任务",
                "17/森林覆盖率(%)/62.4/63/约束性",
            ]
        );
    }

    #[test]
    fn category_rows_between_pipe_lines() {
        let t = tokens(&[
            "一、经济更加发展(2项) |",
            "|||",
            "地区生产总值(亿元) |",
            "735 |",
            "1130 |",
            "预期性 |",
            "城镇调查失业率(%)* |",
            "≤5以内 |",
            "≤5以内 |",
            "约束性 |",
        ]);
        let roles = [Name, Baseline, Target, Attribute];
        assert_eq!(
            rows(&t, &roles),
            [
                "#一、经济更加发展(2项)",
                "地区生产总值(亿元)/735/1130/预期性",
                "城镇调查失业率(%)*/≤5以内/≤5以内/约束性",
            ]
        );
    }
}
