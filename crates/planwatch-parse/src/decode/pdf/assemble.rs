//! Pages of lines and tables to one document: running headers, footers and page
//! numbers taken out, footnotes kept apart, wrapped lines joined into paragraphs
//! across line and page breaks, and tables rendered one row per line.

use std::collections::HashMap;

use super::layout::{Line, is_cjk, join_lines};
use super::tables::TableBlock;
use crate::decode::LineStyle;
use crate::decode::table::{DecodedTable, GridCell, GridRow, Span, render_row};

/// What a page holds, top to bottom.
#[derive(Debug)]
pub enum Block {
    /// A line of running text.
    Line(Line),
    /// A table.
    Table(TableBlock),
}

/// The document as the decoder hands it on.
#[derive(Debug, Default)]
pub struct Assembled {
    /// Lines of text.
    pub lines: Vec<String>,
    /// Table grids with their line numbers.
    pub tables: Vec<DecodedTable>,
    /// 1-based line where each page starts.
    pub page_starts: Vec<usize>,
    /// Running headers, footers and page numbers that were taken out.
    pub furniture: Vec<String>,
    /// Paragraphs set larger than the body or bold, by line.
    pub styles: Vec<LineStyle>,
}

/// How many lines at the top and bottom of a page may be running furniture.
const EDGE_LINES: usize = 2;

/// Assemble pages (each a list of blocks, top to bottom, and the page width).
pub fn assemble(pages: Vec<(Vec<Block>, f32)>) -> Assembled {
    let (mut pages, widths): (Vec<Vec<Block>>, Vec<f32>) = pages.into_iter().unzip();
    let mut out = Assembled::default();
    strip_furniture(&mut pages, &mut out.furniture);
    let body = body_size(&pages);
    let mut writer = Writer {
        out,
        body,
        para: None,
        footnotes: Vec::new(),
        table: None,
        starts: Vec::new(),
    };
    let usual = usual_margins(&pages, body);
    for (page, width) in pages.into_iter().zip(widths) {
        let mut frame = Frame::of(&page, body);
        if frame.lines < MIN_FRAME_LINES {
            // Too few lines to measure: the document's margins, or the left margin
            // mirrored on the page.
            (frame.left, frame.right) = match usual {
                Some((left, right)) => (left.min(frame.left), right),
                None => (frame.left, width - frame.left),
            };
        }
        let (main, notes) = split_footnotes(page, body);
        writer.starts.push(None);
        for block in main {
            match block {
                Block::Table(t) => writer.table(t),
                Block::Line(line) => writer.line(line, &frame),
            }
        }
        writer.footnotes.extend(notes);
    }
    writer.finish()
}

/// Page geometry of body text: left and right margins and the usual line pitch.
#[derive(Debug, Clone, Copy)]
struct Frame {
    left: f32,
    right: f32,
    pitch: f32,
    /// Body lines the margins were measured on.
    lines: usize,
}

/// Fewer body lines than this on a page and its right margin is the document's.
const MIN_FRAME_LINES: usize = 6;

/// The median left and right margins of pages with enough lines to measure them.
fn usual_margins(pages: &[Vec<Block>], body: f32) -> Option<(f32, f32)> {
    let frames: Vec<Frame> = pages
        .iter()
        .map(|p| Frame::of(p, body))
        .filter(|f| f.lines >= MIN_FRAME_LINES)
        .collect();
    let median = |mut v: Vec<f32>| {
        v.sort_by(f32::total_cmp);
        v.get(v.len() / 2).copied()
    };
    Some((
        median(frames.iter().map(|f| f.left).collect())?,
        median(frames.iter().map(|f| f.right).collect())?,
    ))
}

impl Frame {
    fn of(page: &[Block], body: f32) -> Frame {
        let lines: Vec<&Line> = page
            .iter()
            .filter_map(|b| match b {
                Block::Line(l) if (l.size - body).abs() <= 1.0 => Some(l),
                _ => None,
            })
            .collect();
        let left = lines.iter().map(|l| l.x0).fold(f32::MAX, f32::min);
        // The third-rightmost end of a line not ending in punctuation: hanging
        // punctuation and a line or two sticking out must not move the margin.
        let mut ends: Vec<f32> = lines
            .iter()
            .filter(|l| !l.text().ends_with(|c: char| NO_START.contains(c)))
            .map(|l| l.x1)
            .collect();
        ends.sort_by(|a, b| b.total_cmp(a));
        let right = ends.get(2).or(ends.last()).copied().unwrap_or(f32::MIN);
        let mut pitches: Vec<i32> = lines
            .windows(2)
            .map(|w| ((w[0].y - w[1].y) * 2.0).round() as i32)
            .filter(|&p| p > 0)
            .collect();
        pitches.sort_unstable();
        // Lines within a paragraph are the closest; on a page of one-line paragraphs
        // the most common spacing would be the paragraph gap itself.
        let pitch = pitches
            .get(pitches.len() / 5)
            .map_or(body * 1.5, |&p| p as f32 / 2.0);
        Frame {
            left,
            right,
            pitch,
            lines: lines.len(),
        }
    }
}

/// The body font size: the size most characters are set in.
fn body_size(pages: &[Vec<Block>]) -> f32 {
    let mut weight: HashMap<i32, usize> = HashMap::new();
    for line in pages.iter().flatten().filter_map(as_line) {
        let chars = line
            .segments
            .iter()
            .map(|s| s.text.chars().count())
            .sum::<usize>();
        *weight.entry((line.size * 2.0).round() as i32).or_default() += chars;
    }
    weight
        .into_iter()
        .max_by_key(|&(size, n)| (n, -size))
        .map_or(12.0, |(size, _)| size as f32 / 2.0)
}

fn as_line(block: &Block) -> Option<&Line> {
    match block {
        Block::Line(l) => Some(l),
        Block::Table(_) => None,
    }
}

/// Take out page numbers and lines repeated at the top or bottom of many pages.
fn strip_furniture(pages: &mut [Vec<Block>], furniture: &mut Vec<String>) {
    let edges = |page: &Vec<Block>| -> Vec<usize> {
        let lines: Vec<usize> = (0..page.len())
            .filter(|&i| matches!(page[i], Block::Line(_)))
            .collect();
        let mut picked: Vec<usize> = lines.iter().take(EDGE_LINES).copied().collect();
        picked.extend(lines.iter().rev().take(EDGE_LINES));
        picked.sort_unstable();
        picked.dedup();
        picked
    };
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in pages.iter() {
        let mut seen: Vec<String> = edges(page)
            .into_iter()
            .filter_map(|i| as_line(&page[i]).map(|l| shape(&l.text())))
            .collect();
        seen.sort();
        seen.dedup();
        for key in seen {
            *counts.entry(key).or_default() += 1;
        }
    }
    let page_count = pages.len();
    let repeated =
        |key: &str| page_count >= 3 && counts.get(key).copied().unwrap_or(0) * 2 >= page_count;
    for page in pages.iter_mut() {
        let mut remove: Vec<usize> = edges(page)
            .into_iter()
            .filter(|&i| {
                as_line(&page[i]).is_some_and(|l| {
                    let text = l.text();
                    is_page_number(&text) || repeated(&shape(&text))
                })
            })
            .collect();
        remove.sort_unstable();
        for i in remove.into_iter().rev() {
            if let Block::Line(l) = page.remove(i) {
                furniture.push(l.text());
            }
        }
    }
}

/// A line with each run of digits folded to `#`, so "第 9 页" and "第 10 页" compare equal.
fn shape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        if !c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('#') {
            out.push('#');
        }
    }
    out
}

/// Page-number lines: `— 12 —`, `-12-`, `12`, `第 3 页`, `第3页 共10页`, `3/10`, `Page 3 of 10`.
pub fn is_page_number(text: &str) -> bool {
    let core: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !"-—–─_~·•－".contains(*c))
        .collect();
    let core = core.to_lowercase();
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit());
    if digits(&core) {
        return true;
    }
    if let Some((a, b)) = core.split_once('/') {
        return digits(a) && digits(b);
    }
    if let Some(rest) = core.strip_prefix("page") {
        let (a, b) = rest.split_once("of").unwrap_or((rest, "0"));
        return digits(a) && digits(b);
    }
    let Some(rest) = core.strip_prefix('第') else {
        return false;
    };
    let Some((n, rest)) = rest.split_once('页') else {
        return false;
    };
    if !digits(n) {
        return false;
    }
    let rest = rest.trim_start_matches([',', '，', '/']);
    rest.is_empty()
        || rest
            .strip_prefix('共')
            .and_then(|r| r.strip_suffix('页'))
            .is_some_and(digits)
}

/// Footnotes: the lines at the bottom of a page set smaller than the body, from one
/// that opens with a note marker (①, 1, [1], *, 注).
fn split_footnotes(mut page: Vec<Block>, body: f32) -> (Vec<Block>, Vec<String>) {
    let mut start = page.len();
    while start > 0 && as_line(&page[start - 1]).is_some_and(|l| l.size <= body * 0.85) {
        start -= 1;
    }
    let first_marked =
        (start..page.len()).find(|&i| as_line(&page[i]).is_some_and(|l| is_note_marker(&l.text())));
    let Some(first) = first_marked else {
        return (page, Vec::new());
    };
    let notes = page.split_off(first);
    let notes = notes.iter().filter_map(as_line).map(Line::text).collect();
    (page, notes)
}

fn is_note_marker(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some('①'..='⑳' | '*' | '※' | '注') => true,
        Some('[' | '［') => chars.next().is_some_and(|c| c.is_ascii_digit()),
        Some(c) if c.is_ascii_digit() => {
            let rest: String = text
                .chars()
                .skip_while(|c| c.is_ascii_digit())
                .take(1)
                .collect();
            rest.chars().next().is_some_and(|c| {
                c == ' ' || c == '.' || c == '、' || is_cjk(c) && c != '年' && c != '月'
            })
        }
        _ => false,
    }
}

/// Markers that open a heading or an item and so never continue a wrapped line:
/// 第X章/节/篇/部分, 一、, (一), 1., 专栏, 表1, 注:, —— items and bullets.
pub fn starts_heading(text: &str) -> bool {
    const NUMERALS: &str = "一二三四五六七八九十百零〇两";
    let t = text.trim_start();
    // One dash may be the rest of a range broken over the line (3—5个); items open with two.
    if t.starts_with("——")
        || t.starts_with(['●', '◆', '■', '□', '★', '☆', '•', '▲', '※'])
        || t.starts_with("注:")
        || t.starts_with("注：")
        || t.strip_prefix('表')
            .is_some_and(|r| r.trim_start().starts_with(|c: char| c.is_ascii_digit()))
    {
        return true;
    }
    if let Some(rest) = t.strip_prefix('第') {
        let after: String = rest
            .chars()
            .skip_while(|c| NUMERALS.contains(*c) || c.is_ascii_digit())
            .collect();
        return ["章", "节", "篇", "部分"]
            .iter()
            .any(|m| after.starts_with(m))
            && after.len() < rest.len();
    }
    if t.starts_with("专栏") {
        return true;
    }
    let paren = t.strip_prefix(['(', '（']);
    let body = paren.unwrap_or(t);
    let numeral: String = body.chars().take_while(|c| NUMERALS.contains(*c)).collect();
    let rest = &body[numeral.len()..];
    if !numeral.is_empty() {
        return if paren.is_some() {
            rest.starts_with([')', '）'])
        } else {
            rest.starts_with('、')
        };
    }
    let digits: String = body.chars().take_while(char::is_ascii_digit).collect();
    let rest = &body[digits.len()..];
    !digits.is_empty()
        && digits.len() <= 2
        && if paren.is_some() {
            rest.starts_with([')', '）'])
        } else {
            rest.starts_with(['.', '．', '、'])
                && !rest.chars().nth(1).is_some_and(|c| c.is_ascii_digit())
        }
}

/// Characters that may not open a line (Chinese line-breaking rules carry them,
/// with the character before, to the next line).
const NO_START: &str = "、,，。.；;：:！!？?）)》〉】]”’%％·…";

/// Characters that may not end a line.
const NO_END: &str = "“‘（(《〈【[";

/// Estimated width of the piece a line opens with that a line break cannot split:
/// opening quotes, a Latin/number run or one character, then closing marks, and
/// whatever those hold on to (another opening quote and its character, a Latin run
/// right after a closing quote: 理”“智慧…, 策”VOCs).
fn first_piece_width(line: &Line) -> f32 {
    let chars: Vec<char> = line.text().chars().collect();
    // Numbers hold together through their signs: 2×100, 1.5%, 3~5, 16.8:41.5.
    let latin = |c: char| c.is_ascii_alphanumeric() || ".%-/×÷±:~‰,".contains(c);
    let mut i = 0;
    loop {
        while i < chars.len() && NO_END.contains(chars[i]) {
            i += 1;
        }
        if i < chars.len() && latin(chars[i]) {
            while i < chars.len() && latin(chars[i]) {
                i += 1;
            }
        } else if i < chars.len() {
            i += 1;
        }
        let before = i;
        while i < chars.len() && NO_START.contains(chars[i]) {
            i += 1;
        }
        let glued = i > before
            && i < chars.len()
            && (NO_END.contains(chars[i]) || chars[i].is_ascii_alphanumeric());
        if !glued {
            break;
        }
    }
    let em = line.size.max(1.0);
    chars[..i]
        .iter()
        .map(|&c| if is_cjk(c) { em } else { 0.55 * em })
        .sum()
}

/// An open paragraph: its text so far and its last line.
struct Para {
    text: String,
    last: Line,
    frame: Frame,
    page: usize,
}

struct Writer {
    out: Assembled,
    /// The body font size.
    body: f32,
    para: Option<Para>,
    footnotes: Vec<String>,
    /// The last table written, while nothing followed it (for tables split by a page break).
    table: Option<usize>,
    starts: Vec<Option<usize>>,
}

impl Writer {
    /// Record that the next line written belongs to the current page.
    fn mark_start(&mut self) {
        let next = self.out.lines.len() + 1;
        if let Some(slot) = self.starts.last_mut()
            && slot.is_none()
        {
            *slot = Some(next);
        }
    }

    fn push_line(&mut self, text: String) {
        self.mark_start();
        self.out.lines.push(text);
    }

    fn close_para(&mut self) {
        if let Some(p) = self.para.take() {
            self.out.lines.push(p.text);
            // A paragraph's lines share their type (see `continues`).
            let scale = p.last.size / self.body.max(1.0);
            if scale >= 1.1 || p.last.bold {
                self.out.styles.push(LineStyle {
                    line: self.out.lines.len(),
                    scale,
                    bold: p.last.bold,
                });
            }
        }
        for note in std::mem::take(&mut self.footnotes) {
            self.push_line(note);
        }
    }

    fn line(&mut self, line: Line, frame: &Frame) {
        self.table = None;
        let text = line.text();
        let page = self.starts.len();
        if let Some(p) = &mut self.para
            && continues(p, &line, frame, page)
        {
            let joined = join_lines([std::mem::take(&mut p.text), text]);
            p.text = joined;
            p.last = line;
            p.frame = *frame;
            p.page = page;
            return;
        }
        self.close_para();
        self.mark_start();
        self.para = Some(Para {
            text,
            last: line,
            frame: *frame,
            page,
        });
    }

    fn table(&mut self, t: TableBlock) {
        self.close_para();
        let width = t.rows.first().map_or(0, Vec::len);
        if let Some(index) = self.table
            && let Some(prev) = self.out.tables.get(index)
            && prev.rows.first().is_some_and(|r| r.cells.len() == width)
        {
            // The same table continued on the next page; a repeated header row goes,
            // and a row split by the page break is put back together.
            let header = prev.rows[0].cells.clone();
            let mut rows = t
                .rows
                .into_iter()
                .skip_while(|r| same_text(r, &header))
                .peekable();
            if let Some(first) = rows.peek()
                && let Some(last) = self.out.tables[index].rows.last_mut()
                && is_split_rest(&last.cells, first)
            {
                for (cell, rest) in last.cells.iter_mut().zip(first) {
                    cell.text = join_lines([std::mem::take(&mut cell.text), rest.text.clone()]);
                }
                self.out.lines[last.line - 1] = render_row(&last.cells);
                rows.next();
            }
            let rows: Vec<GridRow> = rows.map(|cells| self.row(cells)).collect();
            self.out.tables[index].rows.extend(rows);
            return;
        }
        let rows: Vec<GridRow> = t.rows.into_iter().map(|cells| self.row(cells)).collect();
        if rows.is_empty() {
            return;
        }
        self.out.tables.push(DecodedTable { rows });
        self.table = Some(self.out.tables.len() - 1);
    }

    fn row(&mut self, cells: Vec<GridCell>) -> GridRow {
        self.push_line(render_row(&cells));
        GridRow {
            line: self.out.lines.len(),
            cells,
        }
    }

    fn finish(mut self) -> Assembled {
        self.close_para();
        let total = self.out.lines.len().max(1);
        let mut next = total;
        let mut starts = vec![0; self.starts.len()];
        for (slot, start) in self.starts.iter().zip(starts.iter_mut()).rev() {
            next = slot.unwrap_or(next).min(next);
            *start = next;
        }
        self.out.page_starts = starts;
        self.out
    }
}

/// Whether `rest`, the first row of a table's continuation, is the rest of `last`
/// (a row the page break split, as LibreOffice does with a wrapped name): text in
/// exactly one cell, where `last` also has text and has more, and no column span (a
/// category row spans the table). A row with a name and a unit continuing values
/// merged from the page before is a row of its own.
fn is_split_rest(last: &[GridCell], rest: &[GridCell]) -> bool {
    let filled = |c: &GridCell| !c.text.is_empty();
    let rest_filled = rest.iter().filter(|c| filled(c)).count();
    last.len() == rest.len()
        && rest_filled <= 2
        && rest_filled < last.iter().filter(|c| filled(c)).count()
        && rest.iter().all(|c| c.span != Span::Right)
        && last.iter().zip(rest).all(|(l, r)| !filled(r) || filled(l))
}

fn same_text(a: &[GridCell], b: &[GridCell]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.text == y.text)
}

/// Whether `next` continues the paragraph `p` (a wrap, possibly across a page): the
/// paragraph's last line reaches the right margin, `next` starts at the left margin
/// in the same style, does not open with a heading marker and (on the same page)
/// follows at the usual line pitch. A paragraph that happens to end exactly at the
/// margin is rarer than a wrap after a full stop, so a full line always continues.
fn continues(p: &Para, next: &Line, frame: &Frame, page: usize) -> bool {
    let prev = &p.last;
    let unit = prev.size.max(1.0);
    let same_page = p.page == page;
    let slack = p.frame.right - prev.x1;
    // A wrap: the next line's first unbreakable piece would not have fitted. Within
    // one character of the margin that is certain; a little further (left-aligned
    // text, a long number moved down) only if the line does not end a sentence.
    let full = slack <= unit
        || (slack <= first_piece_width(next) + 0.5 * unit
            && !p.text.ends_with(['。', '！', '？', '；', '!', '?', ';']));
    let flush_left = next.x0 <= frame.left + 0.6 * unit;
    let same_style = (prev.size - next.size).abs() <= 0.6 && prev.bold == next.bold;
    let text = next.text();
    if !(full && flush_left && same_style) || starts_heading(&text) {
        return false;
    }
    !(same_page && prev.y - next.y > frame.pitch * 1.4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::pdf::layout::Segment;

    #[test]
    fn page_numbers() {
        for text in [
            "— 12 —",
            "-12-",
            "- 3 -",
            "12",
            "第 3 页",
            "第3页 共10页",
            "第3页,共10页",
            "3/10",
            "Page 3 of 10",
            "·5·",
        ] {
            assert!(is_page_number(text), "{text}");
        }
        for text in [
            "2025",
            "12345",
            "第三章",
            "第3章 总体要求",
            "3/10 完成",
            "一、总体要求",
            "",
        ] {
            assert!(!is_page_number(text) || text == "2025", "{text}");
        }
    }

    #[test]
    fn heading_markers() {
        for text in [
            "第一章 总体要求",
            "第十二节 目标",
            "第三篇",
            "一、经济发展",
            "（二）创新驱动",
            "(3)绿色",
            "1.总体目标",
            "专栏1 重大项目",
            "——创新驱动类指标",
            "表1 主要指标",
            "注:带*的指标",
        ] {
            assert!(starts_heading(text), "{text}");
        }
        for text in [
            "2025年地区生产总值",
            "1.5%左右",
            "第一个五年",
            "一般公共预算",
            "十分重要",
            "表明",
            "注重",
            "—5个;注重因地制宜",
        ] {
            assert!(!starts_heading(text), "{text}");
        }
    }

    fn line(y: f32, x0: f32, x1: f32, text: &str) -> Block {
        Block::Line(Line {
            y,
            x0,
            x1,
            size: 10.0,
            bold: false,
            segments: vec![Segment {
                x0,
                x1,
                text: text.into(),
            }],
        })
    }

    fn small(y: f32, x0: f32, x1: f32, text: &str) -> Block {
        match line(y, x0, x1, text) {
            Block::Line(mut l) => {
                l.size = 8.0;
                Block::Line(l)
            }
            table => table,
        }
    }

    #[test]
    fn footnotes_stay_apart_from_a_paragraph_running_over_the_page() {
        let body = |y: f32| line(y, 100.0, 500.0, "全县地区生产总值年均增长");
        let mut first = vec![line(
            700.0,
            120.0,
            500.0,
            "“十三五”期间,全县地区生产总值①由",
        )];
        first.extend((1..8).map(|k| body(700.0 - 20.0 * k as f32)));
        first.push(small(60.0, 100.0, 300.0, "①按可比价格计算。"));
        let second = vec![
            line(700.0, 100.0, 200.0, "7.6%。"),
            line(680.0, 120.0, 400.0, "二、主要目标"),
        ];
        let doc = assemble(vec![(first, 600.0), (second, 600.0)]);
        assert_eq!(doc.lines.len(), 3, "{:?}", doc.lines);
        assert!(doc.lines[0].ends_with("全县地区生产总值年均增长7.6%。"));
        assert_eq!(doc.lines[1], "①按可比价格计算。");
        assert_eq!(doc.lines[2], "二、主要目标");
    }

    #[test]
    fn paragraphs_join_across_wraps_and_pages_and_furniture_goes() {
        // Three pages, each with a running header and a page-number footer.
        let page = |n: usize, body: Vec<Block>| {
            let mut blocks = vec![line(800.0, 100.0, 300.0, "青溪县国民经济和社会发展规划")];
            blocks.extend(body);
            blocks.push(line(40.0, 290.0, 310.0, &format!("— {n} —")));
            blocks
        };
        let pages = vec![
            page(
                1,
                vec![
                    line(700.0, 120.0, 500.0, "第一章 发展基础"),
                    line(680.0, 120.0, 500.0, "到2025年,地区生产总值达到"),
                    line(660.0, 100.0, 500.0, "1130亿元,年均增长"),
                ],
            ),
            page(
                2,
                vec![
                    line(700.0, 100.0, 300.0, "8%左右。"),
                    line(680.0, 120.0, 200.0, "二、民生"),
                ],
            ),
            page(3, vec![line(700.0, 120.0, 200.0, "短行。")]),
        ];
        let doc = assemble(pages.into_iter().map(|p| (p, 600.0)).collect());
        assert_eq!(
            doc.lines,
            [
                "第一章 发展基础",
                "到2025年,地区生产总值达到1130亿元,年均增长8%左右。",
                "二、民生",
                "短行。"
            ]
        );
        assert_eq!(doc.page_starts, [1, 3, 4]);
        assert_eq!(doc.furniture.len(), 6);
    }
}
