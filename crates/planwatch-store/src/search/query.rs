//! A search as typed: its terms (checked, with a Chinese error for what cannot be
//! searched), the escaped forms each backend needs, and the hit line cut around its
//! hits and marked. Pure functions; the SQL is in `search/mod.rs`.

use planwatch_core::codes::Code;
use planwatch_core::plan::DocType;
use planwatch_core::validate;
use serde::Serialize;

/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 100;
/// Most terms (words separated by spaces) in one query.
pub const MAX_TERMS: usize = 8;
/// Characters a term needs to be a phrase of the trigram index; shorter terms are
/// matched by the trigrams they begin (SQLite).
pub const TRIGRAM_CHARS: usize = 3;
/// Characters of a long line shown around its first hit.
const WINDOW_CHARS: usize = 120;
/// Of those, characters shown before the first hit.
const LEAD_CHARS: usize = 30;

/// The terms of a query: split at spaces (ASCII or full-width), each one searched as
/// typed (a substring, case-insensitive for Latin letters), all of them on the line.
pub fn terms(raw: &str) -> Result<Vec<String>, String> {
    let text = validate::text("搜索词", raw, MAX_QUERY_CHARS, false)?;
    let mut out: Vec<String> = Vec::new();
    for t in text.split_whitespace() {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(t)) {
            out.push(t.to_string());
        }
    }
    if out.is_empty() {
        return Err("请输入要搜索的词语".into());
    }
    if out.len() > MAX_TERMS {
        return Err(format!(
            "搜索词过多（{} 个，最多 {MAX_TERMS} 个，以空格分隔）",
            out.len()
        ));
    }
    Ok(out)
}

/// True if the trigram index can find this term (three characters or more).
pub fn indexed(term: &str) -> bool {
    term.chars().count() >= TRIGRAM_CHARS
}

/// A term as an FTS5 phrase: quoted (quotes doubled), so no character of the user's
/// text is FTS5 syntax (`AND`, `*`, `NEAR(`, `:` stay text).
pub fn fts_phrase(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// The `LIKE … ESCAPE '\'` pattern of a term: `%`, `_` and `\` match only themselves.
pub fn like_pattern(term: &str) -> String {
    let mut p = String::with_capacity(term.len() + 2);
    p.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// A document type as the CLI and the API name it: its code (`plan_outline`,
/// `work_report`, …) or `plan` for a five-year plan outline.
pub fn doc_type(raw: &str) -> Result<DocType, String> {
    let raw = raw.trim();
    if raw == "plan" {
        return Ok(DocType::PlanOutline);
    }
    DocType::from_code(raw).ok_or_else(|| {
        let known: Vec<String> = std::iter::once("plan（五年规划纲要）".to_string())
            .chain(
                DocType::ALL
                    .iter()
                    .map(|d| format!("{}（{}）", d.code(), d.label())),
            )
            .collect();
        format!("文件类型“{raw}”无法识别，可选：{}", known.join("、"))
    })
}

/// A piece of a hit line: text as written in the document, and whether it is a hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fragment {
    /// The text (never HTML: pages escape it).
    pub text: String,
    /// True for a part matching a term.
    pub hit: bool,
}

/// The line cut to a window around its first hit (with `…` where cut) and split into
/// hits and the text between them. Latin letters match regardless of case, as in the
/// index.
pub fn fragments(line: &str, terms: &[String]) -> Vec<Fragment> {
    let (line, cut_start, cut_end) = window(line, terms);
    let spans = hit_spans(&line, terms);
    let mut out = Vec::new();
    if cut_start {
        out.push(plain("…"));
    }
    let mut at = 0;
    for (s, e) in spans {
        if s > at {
            out.push(plain(&line[at..s]));
        }
        out.push(Fragment {
            text: line[s..e].to_string(),
            hit: true,
        });
        at = e;
    }
    if at < line.len() {
        out.push(plain(&line[at..]));
    }
    if cut_end {
        out.push(plain("…"));
    }
    merge_plain(out)
}

fn plain(text: &str) -> Fragment {
    Fragment {
        text: text.to_string(),
        hit: false,
    }
}

/// Adjacent plain pieces joined (the ellipsis and the text next to it).
fn merge_plain(pieces: Vec<Fragment>) -> Vec<Fragment> {
    let mut out: Vec<Fragment> = Vec::with_capacity(pieces.len());
    for p in pieces {
        match out.last_mut() {
            Some(last) if !last.hit && !p.hit => last.text.push_str(&p.text),
            _ => out.push(p),
        }
    }
    out
}

/// Byte spans of every occurrence of every term, overlaps merged, in order.
fn hit_spans(line: &str, terms: &[String]) -> Vec<(usize, usize)> {
    let folded = line.to_ascii_lowercase();
    let mut spans = Vec::new();
    for t in terms {
        let t = t.to_ascii_lowercase();
        let mut from = 0;
        while let Some(i) = folded[from..].find(&t) {
            let s = from + i;
            spans.push((s, s + t.len()));
            from = s + t.len();
        }
    }
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// The part of a long line shown: from a little before its first hit, `WINDOW_CHARS`
/// characters; whether the start and the end were cut.
fn window(line: &str, terms: &[String]) -> (String, bool, bool) {
    let total = line.chars().count();
    if total <= WINDOW_CHARS {
        return (line.to_string(), false, false);
    }
    let first = hit_spans(line, terms).first().map_or(0, |&(s, _)| s);
    let first_char = line[..first].chars().count();
    let start = first_char
        .saturating_sub(LEAD_CHARS)
        .min(total - WINDOW_CHARS);
    let end = start + WINDOW_CHARS;
    let text: String = line.chars().skip(start).take(WINDOW_CHARS).collect();
    (text, start > 0, end < total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn terms_split_at_spaces_and_refuse_what_cannot_be_searched() {
        assert_eq!(terms(" 乡村振兴　产业 ").unwrap(), t(&["乡村振兴", "产业"]));
        assert_eq!(terms("5G 5g").unwrap(), t(&["5G"]));
        assert_eq!(terms("   ").unwrap_err(), "请输入要搜索的词语");
        assert!(terms(&"字".repeat(101)).unwrap_err().contains("过长"));
        assert!(terms("乡村\u{202E}振兴").unwrap_err().contains("控制字符"));
        assert!(
            terms("a b c d e f g h i")
                .unwrap_err()
                .contains("最多 8 个")
        );
    }

    #[test]
    fn user_text_is_never_syntax() {
        assert_eq!(fts_phrase("\"OR"), "\"\"\"OR\"");
        assert_eq!(fts_phrase("NEAR(a"), "\"NEAR(a\"");
        assert_eq!(like_pattern("5%_\\"), "%5\\%\\_\\\\%");
        assert!(indexed("能耗率") && !indexed("5G") && !indexed("能耗"));
    }

    #[test]
    fn doc_types_by_code_or_plan() {
        assert_eq!(doc_type("plan").unwrap(), DocType::PlanOutline);
        assert_eq!(doc_type("work_report").unwrap(), DocType::WorkReport);
        assert!(doc_type("<script>").unwrap_err().contains("政府工作报告"));
    }

    #[test]
    fn hits_are_marked_case_insensitively_and_overlaps_merge() {
        let f = fragments("建成5g基站，5G用户", &t(&["5G"]));
        let hits: Vec<(&str, bool)> = f.iter().map(|p| (p.text.as_str(), p.hit)).collect();
        assert_eq!(
            hits,
            [
                ("建成", false),
                ("5g", true),
                ("基站，", false),
                ("5G", true),
                ("用户", false)
            ]
        );
        let f = fragments("乡村振兴战略", &t(&["乡村振兴", "振兴战略"]));
        assert_eq!(
            f,
            vec![Fragment {
                text: "乡村振兴战略".into(),
                hit: true
            }]
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_first_hit() {
        let line = format!("{}乡村振兴{}", "甲".repeat(200), "乙".repeat(200));
        let f = fragments(&line, &t(&["乡村振兴"]));
        assert_eq!(f.len(), 3);
        assert_eq!(f[0].text, format!("…{}", "甲".repeat(30)));
        assert_eq!(f[1].text, "乡村振兴");
        assert_eq!(f[2].text, format!("{}…", "乙".repeat(120 - 34)));
    }
}
