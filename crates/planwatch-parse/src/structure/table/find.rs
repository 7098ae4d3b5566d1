//! Where tables written as text are: blocks of `|` lines, tab- or space-separated
//! rows under a header, and header words streamed one per line.

use planwatch_core::plan::{Period, Table};

use super::header::{first_year, is_header_cell};
use super::stream::Token;
use super::{from_rows, from_stream, non_empty};
use crate::structure::doc::{Line, char_len, compact};

/// Longest cell of a table streamed one cell per line without `|`.
const MAX_STREAM_CELL: usize = 40;

/// A block of text lines holding a table.
pub struct TextBlock {
    /// Index (into the lines) of the block's last line.
    pub end: usize,
    kind: Kind,
}

enum Kind {
    /// One row per line, cells already split.
    Rows(Vec<(usize, Vec<String>)>),
    /// One cell per line.
    Stream(Vec<Token>),
}

impl TextBlock {
    /// Rebuild the table.
    pub fn build(&self, lines: &[Line], period: Option<Period>) -> Option<Table> {
        match &self.kind {
            Kind::Rows(rows) => from_rows(lines, rows, period),
            Kind::Stream(tokens) => from_stream(lines, tokens, period),
        }
    }
}

/// Most header cells one per line: a longer run of header words is no table header.
const MAX_HEADER_CELLS: usize = 16;

/// A table written as text starting at line index `i`, if any. A block with no table
/// (`build` gives nothing) still says how far the caller may skip.
pub fn text_table_at(lines: &[Line], i: usize, claimed: &[bool]) -> Option<TextBlock> {
    let text = &lines[i].text;
    if text.contains('|') {
        return pipe_block(lines, i, claimed);
    }
    if text.contains('\t')
        && let Some(b) = separated_block(lines, i, claimed, split_tabs)
    {
        return Some(b);
    }
    if text.contains("  ")
        && let Some(b) = separated_block(lines, i, claimed, split_spaces)
    {
        return Some(b);
    }
    if is_header_cell(text) {
        return stream_block(lines, i, claimed);
    }
    None
}

/// Split a flattened line into cells; the piece after a trailing `|` is not a cell.
pub fn split_pipes(text: &str) -> Vec<String> {
    let mut cells: Vec<String> = text.split('|').map(|c| c.trim().to_string()).collect();
    if cells.last().is_some_and(|c| c.is_empty()) {
        cells.pop();
    }
    cells
}

fn split_tabs(text: &str) -> Vec<String> {
    text.split('\t').map(|c| c.trim().to_string()).collect()
}

/// Cells separated by two or more spaces (full-width spaces are already folded).
fn split_spaces(text: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut spaces = 0;
    for ch in text.chars() {
        if ch == ' ' {
            spaces += 1;
            continue;
        }
        if spaces >= 2 && !cur.is_empty() {
            cells.push(std::mem::take(&mut cur));
        } else if spaces == 1 {
            cur.push(' ');
        }
        spaces = 0;
        cur.push(ch);
    }
    if !cur.is_empty() {
        cells.push(cur);
    }
    cells
}

/// A block of `|` lines (blank lines inside allowed): one row per line when most
/// lines hold several cells, otherwise one cell per line.
fn pipe_block(lines: &[Line], start: usize, claimed: &[bool]) -> Option<TextBlock> {
    let mut end = start;
    let mut j = start + 1;
    while j < lines.len() && !claimed[lines[j].no] {
        if lines[j].text.contains('|') {
            end = j;
        } else if !lines[j].is_blank() && !group_label_between_rows(lines, j) {
            break;
        }
        j += 1;
    }
    let block: Vec<(usize, Vec<String>)> = lines[start..=end]
        .iter()
        .filter(|l| !l.is_blank())
        .map(|l| (l.no, split_pipes(&l.text)))
        .collect();
    let total: usize = block.iter().map(|(_, c)| non_empty(c)).sum();
    if block.len() < 2 || total < 4 {
        return Some(TextBlock {
            end,
            kind: Kind::Rows(Vec::new()),
        });
    }
    let wide = block.iter().filter(|(_, c)| non_empty(c) >= 2).count();
    let kind = if wide * 2 >= block.len() {
        Kind::Rows(block)
    } else {
        // Every cell is a token, empty ones too: `|||` after a group label is its row's rest.
        let tokens = block
            .into_iter()
            .flat_map(|(no, cells)| cells.into_iter().map(move |text| Token { line: no, text }))
            .collect();
        Kind::Stream(tokens)
    };
    Some(TextBlock { end, kind })
}

/// A group label written without `|` between two runs of `|` rows (`一、经济发展` on a
/// line of its own, as some copies write a row spanning the table).
fn group_label_between_rows(lines: &[Line], j: usize) -> bool {
    let text = &lines[j].text;
    let kind = super::cell::classify(text);
    let label = char_len(text) <= 24
        && !ends_sentence(text)
        && (kind == super::cell::CellKind::Category
            || (kind == super::cell::CellKind::Text && char_len(text) <= 10));
    label
        && lines[j + 1..]
            .iter()
            .filter(|l| !l.is_blank())
            .take(1)
            .any(|l| l.text.contains('|'))
}

/// Rows separated by tabs or by runs of spaces, under a header line.
fn separated_block(
    lines: &[Line],
    start: usize,
    claimed: &[bool],
    split: fn(&str) -> Vec<String>,
) -> Option<TextBlock> {
    let header = split(&lines[start].text);
    if !looks_like_header(&header) {
        return None;
    }
    let mut rows = vec![(lines[start].no, header)];
    let mut end = start;
    let mut j = start + 1;
    while j < lines.len() && !claimed[lines[j].no] {
        let l = &lines[j];
        if l.is_blank() {
            j += 1;
            continue;
        }
        let cells = split(&l.text);
        let label = cells.len() == 1 && char_len(&cells[0]) <= 16 && !ends_sentence(&cells[0]);
        if cells.len() < 2 && !label {
            break;
        }
        rows.push((l.no, cells));
        end = j;
        j += 1;
    }
    (rows.len() >= 2).then_some(TextBlock {
        end,
        kind: Kind::Rows(rows),
    })
}

/// A header row: at least three cells, most of them header words, one naming the
/// indicator and one a year or a target.
fn looks_like_header(cells: &[String]) -> bool {
    let headers = cells.iter().filter(|c| is_header_cell(c)).count();
    cells.len() >= 3
        && headers * 3 >= cells.len() * 2
        && names_and_values(cells.iter().map(String::as_str))
}

fn names_and_values<'a>(cells: impl Iterator<Item = &'a str> + Clone) -> bool {
    let name = cells.clone().any(|c| {
        let c = compact(c);
        c.contains("指标") || c.contains("名称") || c.contains("项目")
    });
    let value = cells.into_iter().any(|c| {
        let c = compact(c);
        first_year(&c).is_some() || c.contains("目标") || c.contains("现状") || c.contains("基期")
    });
    name && value
}

fn ends_sentence(text: &str) -> bool {
    text.contains(['。', ';', '!', '?', ';'])
}

/// A line that can be one cell of a table streamed without `|`.
fn is_stream_cell(l: &Line) -> bool {
    let c = l.compact();
    if c.is_empty() {
        return true;
    }
    char_len(&c) <= MAX_STREAM_CELL
        && !ends_sentence(&c)
        && !c.starts_with("专栏")
        && !c.starts_with('注')
        && !is_big_heading(&c)
}

/// 第X章 / 第X节 / 第X篇.
fn is_big_heading(c: &str) -> bool {
    let Some(rest) = c.strip_prefix('第') else {
        return false;
    };
    let marker = rest
        .char_indices()
        .find(|(_, ch)| matches!(ch, '章' | '节' | '篇'));
    marker.is_some_and(|(at, _)| {
        rest[..at]
            .chars()
            .all(|ch| ch.is_ascii_digit() || crate::structure::numerals::is_cn_digit(ch))
    })
}

/// Header words one per line (at least three, naming an indicator and a year or
/// target), then the body cells one per line, without `|`.
fn stream_block(lines: &[Line], start: usize, claimed: &[bool]) -> Option<TextBlock> {
    let mut j = start;
    while j < lines.len()
        && !claimed[lines[j].no]
        && !lines[j].is_blank()
        && !lines[j].text.contains('|')
        && is_header_cell(&lines[j].text)
    {
        j += 1;
    }
    let head = &lines[start..j];
    if head.len() > MAX_HEADER_CELLS {
        // A long run of header words is no header; skip it whole, so it is scanned once.
        return Some(TextBlock {
            end: j - 1,
            kind: Kind::Rows(Vec::new()),
        });
    }
    if head.len() < 3 || !names_and_values(head.iter().map(|l| l.text.as_str())) {
        return None;
    }
    let mut end = j.saturating_sub(1);
    let mut tokens: Vec<Token> = head
        .iter()
        .map(|l| Token {
            line: l.no,
            text: l.text.clone(),
        })
        .collect();
    let mut blank_run = 0;
    while j < lines.len()
        && !claimed[lines[j].no]
        && !lines[j].text.contains('|')
        && is_stream_cell(&lines[j])
    {
        let l = &lines[j];
        if l.is_blank() {
            blank_run += 1;
            if blank_run >= 3 {
                break;
            }
        } else {
            blank_run = 0;
            tokens.push(Token {
                line: l.no,
                text: l.text.clone(),
            });
            end = j;
        }
        j += 1;
        if tokens.len() >= super::stream::MAX_TOKENS {
            break;
        }
    }
    (tokens.len() > head.len() + 2).then_some(TextBlock {
        end,
        kind: Kind::Stream(tokens),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_split_by_spaces_keep_single_spaces() {
        assert_eq!(
            split_spaces("经济 发展  1  地区生产总值(亿元)    735  1130"),
            ["经济 发展", "1", "地区生产总值(亿元)", "735", "1130"]
        );
    }

    #[test]
    fn big_headings_end_a_stream() {
        assert!(is_big_heading("第二章坚持创新驱动"));
        assert!(is_big_heading("第12节"));
        assert!(!is_big_heading("第三产业增加值占GDP比重"));
    }
}
