//! The decoded text as numbered lines with a normalized shadow copy.
//!
//! Matching works on `text`: full-width ASCII folded to half-width, zero-width
//! characters dropped, trimmed. Every emitted text field is mapped back to the
//! verbatim source through [`Line::raw_range`]: each shadow character comes from
//! exactly one raw character, so a shadow byte range has one raw slice.

use std::borrow::Cow;
use std::cell::OnceCell;

use planwatch_core::quantity::fold_width;

/// One line of the decoded text.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    /// 1-based line number, as `cat -n` counts.
    pub no: usize,
    /// Width-folded, trimmed, zero-width characters removed.
    pub text: String,
    /// The line as decoded, verbatim.
    pub raw: &'a str,
    /// For each character of `text`: (its byte offset in `text`, its byte offset and
    /// length in `raw`). Built on first use, so mapping many items of one long line back
    /// to the source costs one pass over it, not one per item.
    map: OnceCell<Vec<(u32, u32, u32)>>,
}

impl Line<'_> {
    /// The normalized text without any whitespace, for marker and keyword matching.
    pub fn compact(&self) -> Cow<'_, str> {
        compact(&self.text)
    }

    /// True when the line has no visible content.
    pub fn is_blank(&self) -> bool {
        self.text.is_empty()
    }

    /// True when the shadow text is the raw text (nothing folded, dropped or trimmed).
    ///
    /// Every normalization step makes the text shorter in bytes (a full-width
    /// character is 3 bytes, its half-width fold 1), so equal lengths mean equal text.
    pub fn is_verbatim(&self) -> bool {
        self.raw.len() == self.text.len()
    }

    /// The raw slice behind the shadow byte range `start..end` of [`Line::text`].
    ///
    /// `start` and `end` must be char boundaries of `text`; out-of-range values are clamped.
    pub fn raw_range(&self, start: usize, end: usize) -> &str {
        let end = end.min(self.text.len());
        let start = start.min(end);
        if self.is_verbatim() {
            return &self.raw[start..end];
        }
        if start == end {
            return "";
        }
        let map = self
            .map
            .get_or_init(|| shadow_map(self.raw, self.text.len()));
        let at = |shadow: usize| map.partition_point(|&(s, _, _)| (s as usize) < shadow);
        let first = at(start).min(map.len().saturating_sub(1));
        let last = at(end).saturating_sub(1).max(first);
        let (Some(&(_, raw_start, _)), Some(&(_, raw_last, raw_len))) =
            (map.get(first), map.get(last))
        else {
            return "";
        };
        let raw_end = (raw_last + raw_len) as usize;
        self.raw.get(raw_start as usize..raw_end).unwrap_or("")
    }

    /// The raw text behind the first occurrence of `shadow` in [`Line::text`] at or after
    /// byte `from`, with its shadow byte range.
    pub fn find_raw(&self, shadow: &str, from: usize) -> Option<(&str, usize, usize)> {
        if shadow.is_empty() {
            return None;
        }
        let pos = from + self.text.get(from..)?.find(shadow)?;
        let end = pos + shadow.len();
        Some((self.raw_range(pos, end), pos, end))
    }
}

/// Split text into numbered, normalized lines.
pub fn lines(text: &str) -> Vec<Line<'_>> {
    let mut lines: Vec<Line> = text
        .lines()
        .enumerate()
        .map(|(i, raw)| Line {
            no: i + 1,
            text: normalize(raw),
            raw,
            map: OnceCell::new(),
        })
        .collect();
    join_page_breaks(text, &mut lines);
    lines
}

/// A line holding only a zero-width space or a form feed (a page break some web copies
/// and exports leave) between the two halves of one sentence (`全员劳动生` / `产率增长`):
/// the halves are joined on the first line, the second is left blank, so items keep
/// pointing at the line where they start.
fn join_page_breaks<'a>(text: &'a str, lines: &mut [Line<'a>]) {
    let offset = |s: &str| s.as_ptr() as usize - text.as_ptr() as usize;
    for i in 1..lines.len().saturating_sub(1) {
        let artefact = !lines[i].raw.is_empty()
            && lines[i].text.is_empty()
            && lines[i].raw.chars().any(|c| {
                matches!(
                    c,
                    '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{0C}'
                )
            });
        let (before, after) = (&lines[i - 1], &lines[i + 1]);
        let unfinished = before
            .text
            .ends_with(|c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c) || matches!(c, ',' | '、'));
        let continues = after
            .text
            .starts_with(|c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c) || c.is_ascii_digit());
        if !(artefact && unfinished && continues) {
            continue;
        }
        let start = offset(before.raw);
        let end = offset(after.raw) + after.raw.len();
        let tail = std::mem::take(&mut lines[i + 1].text);
        lines[i - 1].text.push_str(&tail);
        lines[i - 1].raw = &text[start..end];
        lines[i - 1].map = OnceCell::new();
    }
}

/// Replay [`normalize`] over `raw`: for each shadow character, its shadow offset and
/// the raw character it came from. Leading whitespace is trimmed as `normalize` does;
/// the map stops at `shadow_len` (trailing whitespace).
fn shadow_map(raw: &str, shadow_len: usize) -> Vec<(u32, u32, u32)> {
    let mut map = Vec::new();
    let mut shadow = 0usize;
    let mut started = false;
    for (at, c) in raw.char_indices() {
        let Some(s) = shadow_char(c) else { continue };
        if !started {
            if s.is_whitespace() {
                continue;
            }
            started = true;
        }
        if shadow >= shadow_len {
            break;
        }
        // Offsets beyond u32 cannot occur: inputs are capped far below 4 GB.
        map.push((shadow as u32, at as u32, c.len_utf8() as u32));
        shadow += s.len_utf8();
    }
    map
}

/// What a raw character becomes in the shadow copy: `None` when it is dropped.
fn shadow_char(c: char) -> Option<char> {
    match c {
        // Line breaks only occur inside a line joined over a page break.
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{0C}' | '\n' | '\r' => None,
        '\u{A0}' => Some(' '),
        _ => Some(fold_width(c)),
    }
}

/// Fold width, drop zero-width and BOM characters, turn NBSP into space, trim.
pub fn normalize(raw: &str) -> String {
    if raw.is_ascii() {
        return raw.trim().to_string();
    }
    // Runs of characters that stay as they are are copied whole; only bytes that can
    // begin a changed character are decoded (most Chinese text has none).
    let mut folded = String::with_capacity(raw.len());
    let mut run = 0;
    let mut from = 0;
    while let Some(offset) = raw.as_bytes()[from..].iter().position(|&b| may_change(b)) {
        let at = from + offset;
        // `may_change` bytes are ASCII or lead bytes, so `at` is a char boundary.
        let Some(c) = raw[at..].chars().next() else {
            break;
        };
        from = at + c.len_utf8();
        let shadow = shadow_char(c);
        if shadow == Some(c) {
            continue;
        }
        folded.push_str(&raw[run..at]);
        folded.extend(shadow);
        run = from;
    }
    folded.push_str(&raw[run..]);
    let end = folded.trim_end().len();
    folded.truncate(end);
    let start = folded.len() - folded.trim_start().len();
    folded.drain(..start);
    folded
}

/// Can a character starting with this byte be changed by [`shadow_char`]? Line breaks
/// and form feed; U+00A0 (C2); U+200B–U+200D (E2); U+3000 (E3); U+FEFF and the
/// full-width forms U+FF01–U+FF5E (EF).
fn may_change(b: u8) -> bool {
    matches!(b, b'\n' | b'\r' | 0x0C | 0xC2 | 0xE2 | 0xE3 | 0xEF)
}

/// Remove all whitespace (borrowed when there is none, as in most lines).
pub fn compact(s: &str) -> Cow<'_, str> {
    if s.chars().any(char::is_whitespace) {
        Cow::Owned(s.chars().filter(|c| !c.is_whitespace()).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// Count the characters that are not whitespace (the length of [`compact`], without
/// building it).
pub fn visible_len(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// Count characters, not bytes.
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The raw text behind `shadow` in the first line of `raw`.
    fn check(raw: &str, shadow: &str, expect: Option<&str>) {
        let ls = lines(raw);
        let got = ls[0].find_raw(shadow, 0).map(|(r, _, _)| r);
        assert_eq!(got, expect, "{raw} / {shadow}");
    }

    #[test]
    fn shadow_ranges_map_back_to_raw_text() {
        check(
            "２０２５年ＧＤＰ达到１１３０亿元",
            "2025年GDP达到1130亿元",
            Some("２０２５年ＧＤＰ达到１１３０亿元"),
        );
        check("２０２５年ＧＤＰ达到１１３０亿元", "GDP", Some("ＧＤＰ"));
        check(
            "２０２５年ＧＤＰ达到１１３０亿元",
            "1130亿元",
            Some("１１３０亿元"),
        );
        check("（一）加快发展", "(一)", Some("（一）"));
        check("（一）加快发展", "加快发展", Some("加快发展"));
        // Leading full-width spaces are trimmed from the shadow, not from the raw slice's start.
        check("\u{3000}\u{3000}（二）推进改革", "(二)", Some("（二）"));
        check(
            "\u{3000}\u{3000}（二）推进改革",
            "推进改革",
            Some("推进改革"),
        );
        // A zero-width space inside the text stays in the raw slice; around it, it does not.
        check(
            "地区\u{200B}生产总值",
            "地区生产总值",
            Some("地区\u{200B}生产总值"),
        );
        check("\u{FEFF}地区生产总值", "地区", Some("地区"));
        check("地区生产总值\u{200B}", "总值", Some("总值"));
        check("增长８％左右，", "8%", Some("８％"));
        check("plain ascii  ", "ascii", Some("ascii"));
        check("（一）加快发展", "放缓", None);
    }

    #[test]
    fn words_cut_by_a_zero_width_page_break_are_joined() {
        let ls = lines("全员劳动生\n\u{200B}\n产率增长8%以上。\n下一段。");
        assert_eq!(ls.len(), 4);
        assert_eq!(ls[0].text, "全员劳动生产率增长8%以上。");
        assert!(ls[2].is_blank());
        assert_eq!(ls[3].text, "下一段。");
        // The verbatim text of a clause across the join is the source with the break.
        let (raw, _, _) = ls[0].find_raw("劳动生产率", 0).unwrap();
        assert_eq!(raw, "劳动生\n\u{200B}\n产率");
        // A page break after a finished sentence joins nothing.
        let ls = lines("第一段。\n\u{200B}\n第二段。");
        assert_eq!(ls[0].text, "第一段。");
        assert_eq!(ls[2].text, "第二段。");
    }

    #[test]
    fn raw_ranges_are_clamped() {
        let ls = lines("（一）加快");
        assert_eq!(ls[0].text, "(一)加快");
        assert_eq!(ls[0].raw_range(0, 999), "（一）加快");
        assert_eq!(ls[0].raw_range(5, 5), "");
        assert_eq!(ls[0].raw_range(5, 1), "");
    }

    #[test]
    fn verbatim_lines_are_recognized() {
        let ls = lines("地区生产总值\n （一）\n１");
        assert!(ls[0].is_verbatim());
        assert!(!ls[1].is_verbatim());
        assert!(!ls[2].is_verbatim());
    }

    /// The byte-skipping [`normalize`] gives what a plain char-by-char fold gives, on
    /// strings mixing every character it changes with Chinese, ASCII and other
    /// multi-byte characters that share lead bytes with them (U+2014, U+3001, U+FF0C…).
    #[test]
    fn normalize_matches_a_char_by_char_fold() {
        use proptest::prelude::*;
        let alphabet: Vec<char> = "年a 1,\n\r\u{0C}\u{A0}\u{A9}\u{200B}\u{200C}\u{200D}\u{2014}\u{3000}\u{3001}\u{FEFF}\u{FF0C}\u{FF10}\u{FF5E}\u{FF5F}\u{FFE5}规划"
            .chars()
            .collect();
        let reference = |raw: &str| -> String {
            let folded: String = raw.chars().filter_map(shadow_char).collect();
            folded.trim().to_string()
        };
        proptest!(|(picks in proptest::collection::vec(0..alphabet.len(), 0..40))| {
            let raw: String = picks.iter().map(|&i| alphabet[i]).collect();
            if !raw.is_ascii() {
                prop_assert_eq!(normalize(&raw), reference(&raw), "{:?}", raw);
            }
        });
    }
}
