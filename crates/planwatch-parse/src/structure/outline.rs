//! The outline: headings from the markers the text carries, not from typography.
//!
//! Markers, from the top down: 第X篇, 第X章, 第X节, 一、, (一), 1./1、, (1)/1),
//! then run-in lead sentences and —— dash items as the lowest level. Levels come
//! from the nesting of the markers a document actually uses.

use planwatch_core::plan::{HeadingKind, OutlineNode};

use crate::decode::LineStyle;

use super::doc::{Line, char_len, compact, visible_len};
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
const MAX_LEAD: usize = 30;
/// Longest lead accepted on its own; longer ones only in a series of leads.
const MAX_LONE_LEAD: usize = 22;
/// Longest sentence standing alone on its line that is read as a lead.
const MAX_STANDALONE_LEAD: usize = 32;

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
        HeadingKind::Lead | HeadingKind::Dash | HeadingKind::Other => UNMARKED,
    }
}

/// Rank of headings without a numbering marker of the outline's families.
const UNMARKED: u8 = 7;

/// The heading title inside `rest`: up to the first 。 when the heading shares its
/// line with a paragraph. `None` when `rest` reads as a paragraph, not a heading.
fn title_of(kind: HeadingKind, rest: &str) -> Option<String> {
    let rest = rest.trim();
    let head = match rest.find(['。', '!', '?']) {
        Some(p) => &rest[..p],
        None => rest,
    };
    // A marked line that is one sentence and nothing more is a heading up to MAX_TITLE.
    let whole_line = rest.trim_end_matches(['。', '!', '?']).len() == head.len();
    let limit = match kind {
        HeadingKind::Dash => 30,
        HeadingKind::Part | HeadingKind::Chapter | HeadingKind::Section => MAX_TITLE,
        _ if whole_line && !head.contains(';') => MAX_TITLE,
        _ => 45,
    };
    let len = visible_len(head);
    // A marked line whose text runs on without a full stop is a list item, not a heading.
    let paragraph_like = head.len() == rest.len() && len > 40 && head.contains([',', ';']);
    // ——2023年3月5日在…会议上: a dateline, not an item.
    let dateline =
        kind == HeadingKind::Dash && head.trim_start().starts_with(|c: char| c.is_ascii_digit());
    if dateline {
        return None;
    }
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
    // Sentences that open with a time or a subject narrate; leads name a topic.
    let bad_start = [
        "一是",
        "二是",
        "三是",
        "到20",
        "到二",
        "其中",
        "同时",
        "此外",
        "这",
        "我们",
        "今年",
        "未来",
        "过去",
        "当前",
        "今后",
        "目前",
        "近年",
        "去年",
        "全年",
        "预计",
        "各位",
        "“十",
        "十三五",
        "十四五",
        "十五五",
    ];
    if head.contains([':', ';', '(', '《']) || bad_start.iter().any(|b| c.starts_with(b)) {
        return None;
    }
    // A long lead has no figures: 地区生产总值增长3.9%、总量连续37年… is a report.
    if len > 22 && c.chars().any(|ch| ch.is_ascii_digit()) {
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
    styles: &[LineStyle],
) -> (Vec<OutlineNode>, Vec<usize>) {
    let mut nodes = Vec::new();
    let mut continued = Vec::new();
    // Annex titles sit under their 附件 line whatever follows.
    let mut nested = Vec::new();
    let mut i = title_block_end(lines);
    while i < lines.len() {
        let line = &lines[i];
        i += 1;
        if skip(line.no) || line.is_blank() {
            continue;
        }
        let context = Context::around(lines, i - 1);
        let Some((kind, number, mut title)) = next_list_item(nodes.last(), line)
            .or_else(|| heading_of(&line.text))
            .filter(|h| h.0 != HeadingKind::Other || context.heading_allowed())
            .filter(|h| {
                h.0 != HeadingKind::Lead
                    || visible_len(&h.2) <= MAX_LONE_LEAD
                    || context.in_lead_series()
            })
            .or_else(|| bare_marker(line, lines.get(i)))
            .or_else(|| context.standalone_lead(&line.text))
            .or_else(|| annex(line))
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
        let annex_title = (kind == HeadingKind::Other && annex(line).is_some())
            .then(|| annex_title(lines.get(i)))
            .flatten();
        // 第一篇 新形势第一章 发展基础: two headings run together on one line.
        let mut parts = vec![(kind, number, title)];
        if let Some((head, inner)) = split_run_together(&parts[0].2) {
            parts[0].2 = head;
            parts.push(inner);
        }
        for (kind, number, title) in parts {
            nodes.push(OutlineNode {
                page: None,
                line: line.no,
                level: 0,
                kind,
                number,
                title,
            });
        }
        if let Some(title) = annex_title {
            nested.push(nodes.len());
            nodes.push(OutlineNode {
                page: None,
                line: lines[i].no,
                level: 0,
                kind: HeadingKind::Other,
                number: String::new(),
                title,
            });
            i += 1;
        }
    }
    assign_levels(&mut nodes, &nested, styles);
    (nodes, continued)
}

/// `5.12件重点民生实事` a line or two after item `4.`: the list's next marker run into a
/// figure (item 5, 12件…), which [`marker`] alone reads as the decimal 5.12.
fn next_list_item(
    prev: Option<&OutlineNode>,
    line: &Line,
) -> Option<(HeadingKind, String, String)> {
    let prev = prev.filter(|p| p.kind == HeadingKind::Arabic && line.no <= p.line + 3)?;
    let n: u32 = prev.number.strip_suffix('.')?.parse().ok()?;
    let mark = format!("{}.", n + 1);
    let rest = line.text.trim_start().strip_prefix(mark.as_str())?;
    rest.starts_with(|c: char| c.is_ascii_digit())
        .then(|| (HeadingKind::Arabic, mark, rest.to_string()))
}

/// Levels from the nesting of the marker families a document uses. An unmarked
/// heading (前言, 结束语, a 专栏 title) says nothing of its level in its text; where the
/// decoder saw its type (PDF), it stands at the rank of the highest marker family set
/// no larger than it, else below everything marked.
fn assign_levels(nodes: &mut [OutlineNode], nested: &[usize], styles: &[LineStyle]) {
    let type_of = |line: usize| {
        styles
            .binary_search_by_key(&line, |s| s.line)
            .ok()
            .map(|i| TypeKey::of(&styles[i]))
    };
    // The type each marker family is set in: that of its first heading.
    let mut families: Vec<(u8, TypeKey)> = Vec::new();
    if !styles.is_empty() {
        for node in nodes.iter().filter(|n| rank(n.kind) < UNMARKED) {
            if !families.iter().any(|(r, _)| *r == rank(node.kind)) {
                families.push((rank(node.kind), type_of(node.line).unwrap_or_default()));
            }
        }
    }
    let mut stack: Vec<u8> = Vec::new();
    for (i, node) in nodes.iter_mut().enumerate() {
        if nested.contains(&i) {
            node.level = u8::try_from(stack.len() + 1).unwrap_or(u8::MAX);
            continue;
        }
        let rank = match node.kind {
            HeadingKind::Other => type_of(node.line)
                .and_then(|t| {
                    let fits = families.iter().filter(|(_, family)| *family <= t);
                    fits.map(|(r, _)| *r).min()
                })
                .unwrap_or(UNMARKED),
            kind => rank(kind),
        };
        while stack.last().is_some_and(|top| *top >= rank) {
            stack.pop();
        }
        stack.push(rank);
        node.level = u8::try_from(stack.len()).unwrap_or(u8::MAX);
    }
}

/// A line's type for comparing headings: size in twentieths of the body size (so
/// sizes a rounding apart compare equal), then weight.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct TypeKey {
    size: i32,
    bold: bool,
}

impl TypeKey {
    fn of(style: &LineStyle) -> TypeKey {
        TypeKey {
            size: (style.scale * 20.0).round() as i32 - 20,
            bold: style.bold,
        }
    }
}

/// A work report opens with a title block (title, dateline, speaker) before the
/// salutation 各位代表: none of it is an outline heading. Returns where the body starts.
fn title_block_end(lines: &[Line]) -> usize {
    lines
        .iter()
        .take(60)
        .position(|l| l.text.starts_with("各位代表") && char_len(&l.text) <= 8)
        .map_or(0, |p| p + 1)
}

/// The lines around a candidate heading, for rules a single line cannot decide.
struct Context<'a> {
    prev: Option<&'a Line<'a>>,
    next: Option<&'a Line<'a>>,
    next2: Option<&'a Line<'a>>,
}

impl<'a> Context<'a> {
    fn around(lines: &'a [Line<'a>], i: usize) -> Self {
        let prev = lines[..i].iter().rev().find(|l| !l.is_blank());
        let mut after = lines[i + 1..].iter().filter(|l| !l.is_blank());
        Context {
            prev,
            next: after.next(),
            next2: after.next(),
        }
    }

    /// An unmarked heading follows a finished sentence or another heading, and is
    /// not a fragment of a sentence broken into short lines (a link copied from a web
    /// page: `推动` / `区域全面经济伙伴关系协定` / `(RCEP)生效实施`).
    fn heading_allowed(&self) -> bool {
        // A long line cut off in the middle of a word ends with a Chinese character.
        let broken_before = self.prev.is_some_and(|p| {
            char_len(&p.text) > 30
                && p.text
                    .ends_with(|c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c))
        });
        let fragment = |l: Option<&Line>| {
            l.is_some_and(|l| {
                let t = l.text.trim();
                char_len(t) <= 2 || t.starts_with([',', '、', '。', ')', '》', ';'])
            })
        };
        !broken_before && !fragment(self.prev) && !fragment(self.next) && !fragment(self.next2)
    }

    /// A paragraph next to this one opens with a short lead: a long first sentence here
    /// is one of a series of leads (针对…，多措并举…。 among 针对…，加大…。), not a summary.
    fn in_lead_series(&self) -> bool {
        let short_lead = |l: Option<&Line>| {
            l.and_then(|l| lead_of(&l.text))
                .is_some_and(|t| visible_len(&t) <= MAX_LONE_LEAD)
        };
        short_lead(self.prev) || short_lead(self.next)
    }

    /// A short sentence standing alone on its line before a paragraph
    /// (`一是联合港澳承办十五运会和残特奥会。`, `这是经济实力持续提升的五年。`).
    fn standalone_lead(&self, text: &str) -> Option<(HeadingKind, String, String)> {
        let body = text.strip_suffix('。')?;
        let c = compact(body);
        let len = char_len(&c);
        let one_sentence = !body.contains(['。', ';', ':', '!', '?']);
        let paragraph_follows = self.next.is_some_and(|n| char_len(&n.text) > len + 10);
        let ok = (4..=MAX_STANDALONE_LEAD).contains(&len)
            && one_sentence
            && paragraph_follows
            && !c.starts_with("各位")
            && !c.chars().next().is_some_and(|ch| ch.is_ascii_digit())
            && self.heading_allowed();
        ok.then(|| (HeadingKind::Lead, String::new(), body.trim().to_string()))
    }
}

/// `附件1` / `附件2` (and the title line under it) head an annex.
fn annex(line: &Line) -> Option<(HeadingKind, String, String)> {
    if !line.text.trim_start().starts_with('附') {
        return None;
    }
    let c = line.compact();
    let rest = c.strip_prefix("附件").or_else(|| c.strip_prefix("附表"))?;
    let numbered = rest.is_empty()
        || rest
            .chars()
            .all(|ch| ch.is_ascii_digit() || is_cn_digit(ch) || matches!(ch, ':' | '、'));
    numbered.then(|| {
        (
            HeadingKind::Other,
            String::new(),
            line.text.trim().to_string(),
        )
    })
}

/// The title line under `附件1`: short, no sentence punctuation.
fn annex_title(next: Option<&Line>) -> Option<String> {
    let next = next?;
    let ok = !next.is_blank()
        && char_len(&next.text) <= 30
        && !next.text.contains(['。', ',', ';', '|']);
    ok.then(|| next.text.trim().to_string())
}

/// A 第X篇 (or 第X章) title that runs into the next marker (`新形势、新目标与新理念第一章
/// 过去五年的发展基础`): the outer title and the inner heading.
fn split_run_together(title: &str) -> Option<(String, (HeadingKind, String, String))> {
    let mut from = 0;
    while let Some(p) = title[from..].find('第').map(|p| p + from) {
        if p > 0
            && let Some(m) = marker(&title[p..])
            && matches!(m.kind, HeadingKind::Chapter | HeadingKind::Section)
            && !m.rest.is_empty()
        {
            let head = title[..p].trim().to_string();
            let inner = title_of(m.kind, &m.rest)?;
            return Some((head, (m.kind, m.number, inner)));
        }
        from = p + '第'.len_utf8();
    }
    None
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
    if !c.chars().any(|ch| ('\u{4E00}'..='\u{9FFF}').contains(&ch)) || is_furniture(&c) {
        return None;
    }
    let salutation = c.starts_with("各位");
    let lead_in =
        !salutation && c.ends_with(':') && (4..=25).contains(&len) && !c.contains(['。', ',', ';']);
    let bare = (2..=12).contains(&len)
        && !salutation
        && !c.contains(['。', ',', ';', ':', '|', '、', '(', '“', '!'])
        && !c.chars().any(|ch| ch.is_ascii_digit());
    // 附：名词解释: a glossary's heading however it is set off.
    let glossary = planwatch_core::plan::is_glossary_title(&c);
    (lead_in || bare || glossary).then(|| text.trim_end_matches(':').trim().to_string())
}

/// Web-page controls and credits that are not headings (下载, 打印, 【字号:大 中 小】).
fn is_furniture(c: &str) -> bool {
    const WORDS: &[&str] = &[
        "下载",
        "打印",
        "全屏",
        "收藏",
        "字号",
        "来源",
        "分享",
        "关闭",
        "返回",
        "顶部",
        "责任编辑",
        "扫一扫",
        "浏览次数",
        "发布时间",
        "发布日期",
        "附件下载",
        "相关链接",
        "网站地图",
        "版权所有",
        "主办",
        "承办",
        "点击",
        "访问量",
    ];
    c.starts_with('【') || WORDS.iter().any(|w| c.contains(w))
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
        let (nodes, _) = find_outline(&lines(text), &|_| false, &[]);
        let levels: Vec<u8> = nodes.iter().map(|n| n.level).collect();
        assert_eq!(levels, [1, 2, 3, 4, 5, 1, 2]);
    }

    /// Unmarked headings (前言, 结束语, a section title without a number) are placed by
    /// their type where the decoder saw it: 前言 and 结束语 in the chapters' size stand
    /// beside the chapters, a title in the size of 一、 beside those; without type they
    /// sit below the last marked heading.
    #[test]
    fn unmarked_headings_take_the_level_of_their_type() {
        let text = "前言\n本规划是全区今后五年发展的蓝图。\n第一章 发展基础\n一、主要成就\n经济实力稳步提升。\n重点领域改革\n改革持续深化。\n第二章 发展目标\n一、总体目标\n综合实力显著增强。\n结束语\n全区上下要团结一心。";
        let style = |line, scale, bold| LineStyle { line, scale, bold };
        let styles = [
            style(1, 1.34, true),
            style(3, 1.33, true),
            style(4, 1.16, false),
            style(6, 1.17, false),
            style(8, 1.33, true),
            style(9, 1.17, false),
            style(11, 1.33, true),
        ];
        let levels = |styles: &[LineStyle]| -> Vec<(String, u8)> {
            find_outline(&lines(text), &|_| false, styles)
                .0
                .into_iter()
                .map(|n| (n.title, n.level))
                .collect()
        };
        let typed = levels(&styles);
        let expect = [
            ("前言", 1),
            ("发展基础", 1),
            ("主要成就", 2),
            ("重点领域改革", 2),
            ("发展目标", 1),
            ("总体目标", 2),
            ("结束语", 1),
        ];
        let expect: Vec<(String, u8)> = expect.iter().map(|(t, l)| (t.to_string(), *l)).collect();
        assert_eq!(typed, expect);
        // Text alone: each unmarked heading below the heading before it.
        let plain: Vec<u8> = levels(&[]).into_iter().map(|(_, l)| l).collect();
        assert_eq!(plain, [1, 1, 2, 3, 1, 2, 3]);
        // A bold line in body size is smaller than every marked family: it stays below.
        let mut small = styles;
        small[3] = style(6, 1.0, true);
        let small: Vec<u8> = levels(&small).into_iter().map(|(_, l)| l).collect();
        assert_eq!(small, [1, 1, 2, 3, 1, 2, 1]);
    }

    #[test]
    fn heading_split_over_two_lines() {
        let text = "第一章 扎实推进 “ 三地四区 ” 发展战略,开启全面建设社会主义\n现代化新征程\n“ 十四五 ” 时期是重要时期。";
        let (nodes, continued) = find_outline(&lines(text), &|_| false, &[]);
        assert_eq!(
            nodes[0].title,
            "扎实推进 “ 三地四区 ” 发展战略,开启全面建设社会主义现代化新征程"
        );
        assert_eq!(continued, [2]);
    }

    /// (line, kind, number, title) of every outline node of `text`.
    fn outline_of(text: &str) -> Vec<(usize, HeadingKind, String, String)> {
        find_outline(&lines(text), &|_| false, &[])
            .0
            .into_iter()
            .map(|n| (n.line, n.kind, n.number, n.title))
            .collect()
    }

    #[test]
    fn two_headings_run_together_on_one_line() {
        use HeadingKind::*;
        let got = outline_of(
            "第一篇 新形势、新目标与新理念第一章 过去五年的发展基础\n“十三五”时期,全县发展取得显著成就。",
        );
        assert_eq!(
            got,
            [
                (1, Part, "第一篇".into(), "新形势、新目标与新理念".into()),
                (1, Chapter, "第一章".into(), "过去五年的发展基础".into()),
            ]
        );
    }

    #[test]
    fn work_report_title_block_and_standalone_leads() {
        use HeadingKind::*;
        let text = "政府工作报告\n——2026年1月26日在广东省第十四届\n人民代表大会第五次会议上\n广东省省长 孟凡利\n各位代表：\n现在，我代表省人民政府，向大会报告工作，请予审议。\n一、2025年工作回顾\n一是联合港澳承办十五运会和残特奥会。\n以“办赛事”促“兴城市”，推动三地规则衔接、机制对接，赛事筹办成效显著。\n这是经济实力持续提升的五年。\n全省地区生产总值迈上新台阶，年均增长4.5%，经济总量连续多年居全国首位。\n";
        let got = outline_of(text);
        assert_eq!(
            got,
            [
                (7, Chinese, "一、".into(), "2025年工作回顾".into()),
                (
                    8,
                    Lead,
                    "".into(),
                    "一是联合港澳承办十五运会和残特奥会".into()
                ),
                (10, Lead, "".into(), "这是经济实力持续提升的五年".into()),
            ]
        );
    }

    #[test]
    fn annexes_and_their_titles() {
        use HeadingKind::*;
        let got = outline_of(
            "实干成就未来。\n附件1\n2026年省十件民生实事\n坚持民生为大，以更大力度投资于人，加强普惠性、基础性民生建设。",
        );
        assert_eq!(
            got,
            [
                (2, Other, "".into(), "附件1".into()),
                (3, Other, "".into(), "2026年省十件民生实事".into()),
            ]
        );
    }

    #[test]
    fn furniture_fragments_and_datelines_are_not_headings() {
        let text = "共建“一带一路”扎实推进,推动各项改革不断深化,开放水平稳步提高,营商环境明显改善,推动\n区域全面经济伙伴关系协定\n（RCEP）生效实施，建成全球最大自由贸易区。\n下载\n打印\n【字号：加大 还原 减小】\n分享\n本作品是中华人民共和国的\n法律\n、\n法规\n，国家机关的决议。\nPublic domain\nfalse\n—— 2023年3月5日在第十四届全国人民代表大会第一次会议上";
        assert_eq!(outline_of(text), []);
    }

    #[test]
    fn table_of_contents_is_kept_apart() {
        let text = "目  录\n第一章 发展基础……1\n第二章 总体要求……5\n第一章 发展基础\n正文。";
        assert_eq!(find_toc(&lines(text)), [1, 2, 3]);
    }
}
