//! The outline: headings from the markers the text carries, not from typography.
//!
//! Markers, from the top down: 第X篇, 第X章, 第X节, 一、, (一), 1./1、, (1)/1),
//! then run-in lead sentences and —— dash items as the lowest level. Levels come
//! from the nesting of the markers a document actually uses.

use planwatch_core::plan::{HeadingKind, OutlineNode};

use super::doc::{Line, char_len, compact};
use super::numerals::is_cn_digit;

/// A numbering marker at the start of a line.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Marker family.
    pub kind: HeadingKind,
    /// The marker as written (folded), e.g. `第一章`, `(二)`, `3.`.
    pub number: String,
    /// Everything after the marker, trimmed.
    pub rest: String,
}

/// Longest title (in characters) a marked heading may have.
const MAX_TITLE: usize = 60;
/// Longest run-in lead sentence, in characters without spaces.
const MAX_LEAD: usize = 22;

/// Recognize the numbering marker at the start of a normalized line.
pub fn marker(text: &str) -> Option<Marker> {
    // Most lines are paragraphs: reject them before reading their characters.
    let first = text.chars().next()?;
    let may_open = matches!(first, '第' | '(' | '—' | '-') || first.is_ascii_digit();
    if !may_open && !is_cn_digit(first) {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let skip_ws = |mut i: usize| {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        i
    };
    let take_while = |i: usize, pred: &dyn Fn(char) -> bool| {
        let mut j = i;
        while j < chars.len() && (pred(chars[j]) || chars[j] == ' ') {
            j += 1;
        }
        while j > i && chars[j - 1] == ' ' {
            j -= 1;
        }
        j
    };
    let build = |kind, end: usize| {
        let number: String = chars[..end].iter().filter(|c| !c.is_whitespace()).collect();
        let rest: String = chars[end..].iter().collect();
        let rest = rest.trim_start_matches([' ', ':', ',', '、']).to_string();
        Some(Marker { kind, number, rest })
    };
    let first = *chars.first()?;
    if first == '第' {
        let j = take_while(1, &|c| is_cn_digit(c) || c.is_ascii_digit());
        let k = skip_ws(j);
        if j > 1 && k < chars.len() {
            let kind = match chars[k] {
                '篇' => HeadingKind::Part,
                '章' => HeadingKind::Chapter,
                '节' => HeadingKind::Section,
                _ => return None,
            };
            return build(kind, k + 1);
        }
        return None;
    }
    if is_cn_digit(first) {
        let j = take_while(0, &|c| is_cn_digit(c));
        let k = skip_ws(j);
        if chars.get(k) == Some(&'、') && j <= 3 {
            return build(HeadingKind::Chinese, k + 1);
        }
        return None;
    }
    if first == '(' {
        let i = skip_ws(1);
        if chars.get(i).is_some_and(|c| is_cn_digit(*c)) {
            let j = take_while(i, &|c| is_cn_digit(c));
            let k = skip_ws(j);
            return (chars.get(k) == Some(&')') && j - i <= 3)
                .then(|| build(HeadingKind::ParenChinese, k + 1))?;
        }
        if chars.get(i).is_some_and(char::is_ascii_digit) {
            let j = take_while(i, &|c| c.is_ascii_digit());
            let k = skip_ws(j);
            return (chars.get(k) == Some(&')') && j - i <= 2)
                .then(|| build(HeadingKind::ParenArabic, k + 1))?;
        }
        return None;
    }
    if first.is_ascii_digit() {
        let j = take_while(0, &|c| c.is_ascii_digit());
        if j > 2 {
            return None;
        }
        let k = skip_ws(j);
        return match chars.get(k) {
            Some('.' | '、') if !chars.get(k + 1).is_some_and(char::is_ascii_digit) => {
                build(HeadingKind::Arabic, k + 1)
            }
            Some(')') => build(HeadingKind::ParenArabic, k + 1),
            _ => None,
        };
    }
    if text.starts_with("——") || text.starts_with("--") {
        let end = chars
            .iter()
            .take_while(|c| matches!(c, '—' | '-' | ' '))
            .count();
        return build(HeadingKind::Dash, end);
    }
    None
}

/// Rank of a marker family: smaller is higher in the outline.
fn rank(kind: HeadingKind) -> u8 {
    match kind {
        HeadingKind::Part => 0,
        HeadingKind::Chapter => 1,
        HeadingKind::Section => 2,
        HeadingKind::Chinese => 3,
        HeadingKind::ParenChinese => 4,
        HeadingKind::Arabic => 5,
        HeadingKind::ParenArabic => 6,
        HeadingKind::Lead | HeadingKind::Dash | HeadingKind::Other => 7,
    }
}

/// The heading title inside `rest`: up to the first 。 when the heading shares its
/// line with a paragraph. `None` when `rest` reads as a paragraph, not a heading.
fn title_of(kind: HeadingKind, rest: &str) -> Option<String> {
    let rest = rest.trim();
    let head = match rest.find(['。', '!', '?']) {
        Some(p) => &rest[..p],
        None => rest,
    };
    let limit = match kind {
        HeadingKind::Dash => 30,
        HeadingKind::Part | HeadingKind::Chapter | HeadingKind::Section => MAX_TITLE,
        _ => 45,
    };
    let len = char_len(&compact(head));
    // A marked line whose text runs on without a full stop is a list item, not a heading.
    let paragraph_like = head.len() == rest.len() && len > 40 && head.contains([',', ';']);
    (len >= 1 && len <= limit && !paragraph_like).then(|| head.trim().to_string())
}

/// A run-in lead sentence: a short phrase ending in 。 that opens a longer paragraph.
pub fn lead_of(text: &str) -> Option<String> {
    let p = text.find('。')?;
    let (head, after) = (&text[..p], &text[p + '。'.len_utf8()..]);
    let len = head
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(MAX_LEAD + 1)
        .count();
    // The paragraph after the lead has at least 8 characters.
    if !(2..=MAX_LEAD).contains(&len) || after.trim().chars().nth(7).is_none() {
        return None;
    }
    let c = compact(head);
    let bad_start = [
        "一是", "二是", "三是", "到20", "其中", "同时", "此外", "这", "我们", "今年",
    ];
    if head.contains([':', ';', '(', '《']) || bad_start.iter().any(|b| c.starts_with(b)) {
        return None;
    }
    if c.chars().next().is_some_and(|ch| ch.is_ascii_digit()) {
        return None;
    }
    Some(head.trim().to_string())
}

/// Build the outline from lines not claimed by tables, boxes or the table of contents.
pub fn find_outline(
    lines: &[Line],
    skip: &dyn Fn(usize) -> bool,
) -> (Vec<OutlineNode>, Vec<usize>) {
    let mut nodes = Vec::new();
    let mut continued = Vec::new();
    let mut stack: Vec<HeadingKind> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        i += 1;
        if skip(line.no) || line.is_blank() {
            continue;
        }
        let Some((kind, number, mut title)) =
            heading_of(&line.text).or_else(|| bare_marker(line, lines.get(i)))
        else {
            continue;
        };
        if title.is_empty() {
            // 第三章 alone on its line: the title is the next line.
            title = lines[i].text.clone();
            continued.push(lines[i].no);
            i += 1;
        }
        if let Some(next) = lines
            .get(i)
            .filter(|n| !skip(n.no) && wraps_onto(&line.text, &n.text, kind))
        {
            title.push_str(&next.text);
            continued.push(next.no);
            i += 1;
        }
        while stack.last().is_some_and(|top| rank(*top) >= rank(kind)) {
            stack.pop();
        }
        stack.push(kind);
        let level = u8::try_from(stack.len()).unwrap_or(u8::MAX);
        nodes.push(OutlineNode {
            page: None,
            line: line.no,
            level,
            kind,
            number,
            title,
        });
    }
    (nodes, continued)
}

/// A marker alone on its line (`第三章`) followed by a short title line: the
/// title is left empty for the caller to take from the next line.
fn bare_marker(line: &Line, next: Option<&Line>) -> Option<(HeadingKind, String, String)> {
    let m = marker(&line.text)?;
    let next = next?;
    let title_like =
        !next.is_blank() && char_len(&next.text) <= MAX_TITLE && !next.text.contains(['。', '|']);
    (m.rest.is_empty() && title_like && marker(&next.text).is_none())
        .then(|| (m.kind, m.number, String::new()))
}

/// The heading a line opens with, if any: kind, marker, title.
fn heading_of(text: &str) -> Option<(HeadingKind, String, String)> {
    if let Some(m) = marker(text) {
        let title = title_of(m.kind, &m.rest)?;
        return Some((m.kind, m.number, title));
    }
    lead_of(text)
        .map(|t| (HeadingKind::Lead, String::new(), t))
        .or_else(|| standalone_heading(text).map(|t| (HeadingKind::Other, String::new(), t)))
}

/// An unmarked heading on a line of its own: a short line with no sentence
/// punctuation (`附件`, `注 释`), or a short lead-in that ends with a colon
/// (`“十四五”时期政府工作的主要任务是:`).
fn standalone_heading(text: &str) -> Option<String> {
    // At most 25 visible characters; count them without copying a long paragraph.
    if text
        .chars()
        .filter(|c| !c.is_whitespace())
        .nth(25)
        .is_some()
    {
        return None;
    }
    let c = compact(text);
    let len = char_len(&c);
    let salutation = c.starts_with("各位");
    let lead_in =
        !salutation && c.ends_with(':') && (4..=25).contains(&len) && !c.contains(['。', ',', ';']);
    let bare = (2..=12).contains(&len)
        && !c.contains(['。', ',', ';', ':', '|', '、', '(', '“'])
        && !c.chars().any(|ch| ch.is_ascii_digit());
    (lead_in || bare).then(|| text.trim_end_matches(':').trim().to_string())
}

/// A heading split over two lines: the first part is long and unfinished, the
/// second short, unpunctuated and unmarked.
fn wraps_onto(first: &str, next: &str, kind: HeadingKind) -> bool {
    let major = matches!(
        kind,
        HeadingKind::Part | HeadingKind::Chapter | HeadingKind::Section | HeadingKind::Chinese
    );
    let unfinished =
        !first.ends_with(['。', ';', ':', '!', '?', ')', '”']) && !first.contains('。');
    major
        && unfinished
        && char_len(first) >= 14
        && !next.is_empty()
        && char_len(next) <= 20
        && !next.contains(['。', '|', ',', ':'])
        && marker(next).is_none()
}

/// Line numbers of a table of contents (目录 and its entries), to keep out of the body.
pub fn find_toc(lines: &[Line]) -> Vec<usize> {
    let is_toc_title =
        |l: &Line| l.text.starts_with('目') && l.text.len() <= 24 && l.compact() == "目录";
    let Some(start) = lines.iter().take(400).position(is_toc_title) else {
        return Vec::new();
    };
    let mut toc = vec![lines[start].no];
    let mut first_entry: Option<String> = None;
    for l in &lines[start + 1..] {
        if l.is_blank() {
            continue;
        }
        let entry = toc_entry_key(&l.text);
        let is_entry = char_len(&l.text) <= 50 && !l.text.contains('。') && !entry.is_empty();
        if !is_entry || first_entry.as_deref() == Some(entry.as_str()) {
            break;
        }
        first_entry.get_or_insert(entry);
        toc.push(l.no);
    }
    toc
}

/// A TOC entry without its dot leaders and page number.
fn toc_entry_key(text: &str) -> String {
    compact(text)
        .trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | '…' | '·' | '-' | '—'))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::doc::lines;

    fn check(input: &str, expect: Option<(HeadingKind, &str, &str)>) {
        let got = heading_of(&crate::structure::doc::normalize(input));
        let got = got.as_ref().map(|(k, n, t)| (*k, n.as_str(), t.as_str()));
        assert_eq!(got, expect, "{input}");
    }

    #[test]
    fn marked_headings() {
        use HeadingKind::*;
        check(
            "第一篇 新形势、新目标与新理念",
            Some((Part, "第一篇", "新形势、新目标与新理念")),
        );
        check(
            "第十二章 建设更高水平的平安渌口",
            Some((Chapter, "第十二章", "建设更高水平的平安渌口")),
        );
        check(
            "第三节二 〇 三五年远景目标",
            Some((Section, "第三节", "二 〇 三五年远景目标")),
        );
        check(
            "一、“十三五”及2020年工作回顾",
            Some((Chinese, "一、", "“十三五”及2020年工作回顾")),
        );
        check(
            "（二）产业发展构建新格局。 新兴优势产业链发展壮大",
            Some((ParenChinese, "(二)", "产业发展构建新格局")),
        );
        check(
            "1.撤县设区开启发展新征程",
            Some((Arabic, "1.", "撤县设区开启发展新征程")),
        );
        check("2、完善基础设施", Some((Arabic, "2、", "完善基础设施")));
        check(
            "(3)推进智慧城市建设",
            Some((ParenArabic, "(3)", "推进智慧城市建设")),
        );
        check("4)加强人才培养", Some((ParenArabic, "4)", "加强人才培养")));
        check(
            "—— 坚持党的全面领导。坚持和完善党领导经济社会发展的体制机制",
            Some((Dash, "——", "坚持党的全面领导")),
        );
    }

    #[test]
    fn leads_and_non_headings() {
        use HeadingKind::*;
        check(
            "综合实力迈上新台阶。“十三五”以来,全区地区生产总值年均增长8.1%",
            Some((Lead, "", "综合实力迈上新台阶")),
        );
        check(
            "五年来,经济实力跨越发展。地区生产总值从2015年的528亿元增长到2020年的735亿元",
            Some((Lead, "", "五年来,经济实力跨越发展")),
        );
        check("1.5亿元用于基础设施建设。", None);
        check(
            "2021年是中国共产党成立一百周年,是“十四五”规划的起步之年。",
            None,
        );
        check("一是发展质量不高。产业结构有待优化", None);
        check("一核:即中心城区。坚持“北融”“南进”“东扩”三向发力", None);
        check("到2025年,地区生产总值达到1130亿元,年均增长9%。", None);
        check(
            "1. 坚持党的全面领导,坚持和完善党领导经济社会发展的体制机制,增强四个意识,坚定四个自信",
            None,
        );
    }

    #[test]
    fn levels_follow_nesting() {
        let text = "第一章 总体要求\n第一节 指导思想\n一、基本原则\n(一)坚持党的领导\n做好统筹。全区上下要统筹推进各项工作落实。\n第二章 产业发展\n(一)工业";
        let (nodes, _) = find_outline(&lines(text), &|_| false);
        let levels: Vec<u8> = nodes.iter().map(|n| n.level).collect();
        assert_eq!(levels, [1, 2, 3, 4, 5, 1, 2]);
    }

    #[test]
    fn heading_split_over_two_lines() {
        let text = "第一章 扎实推进 “ 三地四区 ” 发展战略,开启全面建设社会主义\n现代化新征程\n“ 十四五 ” 时期是重要时期。";
        let (nodes, continued) = find_outline(&lines(text), &|_| false);
        assert_eq!(
            nodes[0].title,
            "扎实推进 “ 三地四区 ” 发展战略,开启全面建设社会主义现代化新征程"
        );
        assert_eq!(continued, [2]);
    }

    #[test]
    fn table_of_contents_is_kept_apart() {
        let text = "目  录\n第一章 发展基础……1\n第二章 总体要求……5\n第一章 发展基础\n正文。";
        assert_eq!(find_toc(&lines(text)), [1, 2, 3]);
    }
}
