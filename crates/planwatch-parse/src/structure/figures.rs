//! Figures a document reports as achieved: `税收占比达92%`, `地区生产总值…增长到2020年的
//! 735亿元`. Reviews of the past in plans and work reports are full of numbers; only those
//! whose name the indicator catalogue knows are kept, with the year written in the clause
//! or the latest past year named earlier in the paragraph. They feed the consistency
//! check of baselines against other documents (plan 2020 税收占比 87 vs report 92).

use planwatch_core::catalogue::{Catalogue, Entry, NameMeasure};
use planwatch_core::plan::ReportedFigure;
use planwatch_core::quantity::{NumberSpan, find_numbers};

use std::sync::LazyLock;

use super::doc::Line;
use super::words::{WordSet, Words};

/// Units a reported level or share may carry; longest first.
const UNITS: &[&str] = &[
    "万亿元",
    "亿元",
    "万元",
    "亿",
    "元",
    "万人",
    "人",
    "%",
    "‰",
    "公顷",
    "亩",
];

/// Words that make a clause forward-looking: its numbers are targets, not figures.
/// (A year after the present does the same: see `clause_figures`.)
const FUTURE_WORDS: &[&str] = &["力争", "确保", "目标", "预期", "计划", "将达"];

/// Words right before a number that make it a rate of change, not a level.
const CHANGE_WORDS: &[&str] = &["增长", "增速", "增幅", "下降", "降低", "提高", "年均"];

/// Reported figures of every paragraph not claimed by a table or the table of contents.
pub fn find_figures(
    lines: &[Line],
    skip: &dyn Fn(usize) -> bool,
    present: i32,
) -> Vec<ReportedFigure> {
    let mut out = Vec::new();
    for line in lines.iter().filter(|l| !skip(l.no) && !l.is_blank()) {
        paragraph_figures(line, present, &mut out);
    }
    out
}

/// Figures of one paragraph; the year named last (up to `present`) carries forward.
fn paragraph_figures(line: &Line, present: i32, out: &mut Vec<ReportedFigure>) {
    static FUTURE: WordSet = LazyLock::new(|| Words::new(FUTURE_WORDS));
    let text = line.text.as_str();
    // Where future words end, read once for the whole paragraph.
    let mut future_ends = FUTURE.ends_in(text).peekable();
    let mut year: Option<i32> = None;
    let mut start = 0;
    for (at, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), '。')))
    {
        if !matches!(c, ',' | ';' | '。' | '!' | '?') {
            continue;
        }
        let clause = &text[start..at];
        while future_ends.next_if(|&end| end <= start).is_some() {}
        let looks_ahead = future_ends.peek().is_some_and(|&end| end <= at);
        if !looks_ahead {
            clause_figures(line, start, clause, &mut year, present, out);
        } else {
            year = None;
        }
        start = at + c.len_utf8();
    }
}

fn clause_figures(
    line: &Line,
    offset: usize,
    clause: &str,
    year: &mut Option<i32>,
    present: i32,
    out: &mut Vec<ReportedFigure>,
) {
    // Most clauses hold no figure: look no further than for a digit.
    if !clause.bytes().any(|b| b.is_ascii_digit()) {
        return;
    }
    let chars: Vec<char> = clause.chars().collect();
    let numbers = find_numbers(&chars);
    // What the clause speaks of is named before its first number (地区生产总值从2015年…).
    let head: String = chars[..numbers.first().map_or(0, |n| n.start)]
        .iter()
        .collect();
    // Sums over several years (五年累计完成固定资产投资1262亿元) are not a year's level.
    // Looked up only once a number with a unit and a year needs it: most numbers of a
    // review are not figures of a catalogue indicator.
    let mut entry: Option<Option<&'static Entry>> = None;
    let mut entry_of =
        || *entry.get_or_insert_with(|| indicator_in(&head).filter(|_| !head.contains("累计")));
    let mut start_year = None;
    for (k, n) in numbers.iter().enumerate() {
        let since = if k == 0 { 0 } else { numbers[k - 1].end };
        let before = &chars[since..n.start];
        if let Some(y) = year_at(&chars, n) {
            if matches!(before.last(), Some('从' | '由')) {
                // 由2015年的…调整为…: a start year, for this value only.
                start_year = (y <= present).then_some(y);
            } else {
                // 到2025年 turns the paragraph to the future until a past year is named again.
                *year = (y <= present).then_some(y);
                start_year = None;
            }
            continue;
        }
        // 从21.2亿元增长到25.2亿元: the value after 从 (由) is the start, not the figure;
        // 从2015年的528亿元 names its own year and is a figure for 2015.
        let own_year = before.windows(2).any(|w| w == ['年', '的']) || before.last() == Some(&'年');
        let start_value = (before.contains(&'从') || before.contains(&'由')) && !own_year;
        if start_value || CHANGE_WORDS.iter().any(|w| ends_with_word(before, w)) {
            continue;
        }
        let after: String = chars[n.end..].iter().take(3).collect();
        let (Some(unit), Some(y)) = (unit_of(&after), start_year.take().or(*year)) else {
            continue;
        };
        let Some(entry) = entry_of() else { continue };
        // 占全市地区生产总值的18.31%: a share of the indicator, not the indicator.
        if !same_unit(entry.unit.as_deref(), unit) {
            continue;
        }
        out.push(ReportedFigure {
            page: None,
            line: line.no,
            text: line
                .raw_range(offset, offset + clause.len())
                .trim()
                .to_string(),
            indicator: entry.name.clone(),
            value: n.value,
            unit: unit.to_string(),
            year: y,
        });
    }
}

/// Do the characters `before` end with `word`?
fn ends_with_word(before: &[char], word: &str) -> bool {
    let n = word.chars().count();
    before.len() >= n && before[before.len() - n..].iter().copied().eq(word.chars())
}

/// `2020` in `2020年`: a year, if the number is a four-digit integer followed by 年.
fn year_at(chars: &[char], n: &NumberSpan) -> Option<i32> {
    let is_year = n.end - n.start == 4 && chars.get(n.end) == Some(&'年') && n.value.fract() == 0.0;
    is_year
        .then_some(n.value as i32)
        .filter(|y| (1949..=2100).contains(y))
}

fn unit_of(after: &str) -> Option<&'static str> {
    UNITS.iter().copied().find(|u| after.starts_with(u))
}

/// 亿元 and 亿 are one unit; the catalogue's unit decides what a figure may be.
fn same_unit(usual: Option<&str>, unit: &str) -> bool {
    let norm = |u: &str| u.trim_end_matches('元').to_string();
    usual.is_some_and(|u| norm(u) == norm(unit))
}

/// The catalogue indicator that the text before a number ends with
/// (`全区税收占比达` → 税收占一般公共预算收入比重), dropping the verb first.
fn indicator_in(before: &str) -> Option<&'static Entry> {
    let cat = Catalogue::builtin();
    let mut name = before.trim();
    for verb in [
        "达到",
        "达",
        "为",
        "突破",
        "实现",
        "增长到",
        "提高到",
        "增加到",
        "增至",
        "到",
        "的",
    ] {
        name = name.strip_suffix(verb).unwrap_or(name);
    }
    let cut = name.find(['从', '由']).map_or(name, |i| &name[..i]);
    // Names are short: only the last MAX_NAME characters can hold the indicator, which
    // keeps this linear in the length of the clause.
    let starts: Vec<usize> = cut.char_indices().map(|(i, _)| i).collect();
    let first = starts.len().saturating_sub(MAX_NAME);
    let tail = &cut[starts.get(first).copied().unwrap_or(0)..];
    // The shortest suffix of at least two characters that is a catalogue name as written,
    // else the catalogue name the tail contains.
    starts[first..starts.len().saturating_sub(1)]
        .iter()
        .rev()
        .find_map(|&i| cat.exact(&cut[i..]))
        .or_else(|| {
            cat.find(tail)
                .filter(|m| m.measure == NameMeasure::Level)
                .map(|m| m.entry)
        })
}

/// Longest indicator name looked for before a figure, in characters.
const MAX_NAME: usize = 24;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::doc;

    fn check(text: &str, expect: &[(&str, f64, &str, i32)]) {
        let lines = doc::lines(text);
        let got: Vec<(String, f64, String, i32)> = find_figures(&lines, &|_| false, 2020)
            .into_iter()
            .map(|f| (f.indicator, f.value, f.unit, f.year))
            .collect();
        let want: Vec<(String, f64, String, i32)> = expect
            .iter()
            .map(|(i, v, u, y)| (i.to_string(), *v, u.to_string(), *y))
            .collect();
        assert_eq!(got, want, "{text}");
    }

    #[test]
    fn figures_of_a_review() {
        // From the 岳阳楼区 2021 work report's review of 十三五.
        check(
            "五年来,经济实力跨越发展。地区生产总值从2015年的528亿元增长到2020年的735亿元(预计数),年均增长8.1%,总量居全市第一;一般公共预算收入从21.2亿元增长到25.2亿元,年均增长3.6%,税收占比达92%,综合经济实力全市领跑。",
            &[
                ("地区生产总值", 528.0, "亿元", 2015),
                ("地区生产总值", 735.0, "亿元", 2020),
                ("一般公共预算收入", 25.2, "亿元", 2020),
                ("税收占一般公共预算收入比重", 92.0, "%", 2020),
            ],
        );
    }

    #[test]
    fn targets_and_unknown_names_are_not_figures() {
        // Forward-looking clauses are targets.
        check("到2025年,地区生产总值达到1130亿元,税收占比达到90%。", &[]);
        // No year in the paragraph: nothing to anchor the figure to.
        check("税收占比达92%。", &[]);
        // A name the catalogue does not know.
        check("2020年,全区新建口袋公园12个。", &[]);
        // Rates of change are not levels, shares of an indicator are not the indicator,
        // sums over years are not a year's level, and 由 opens a start value like 从.
        check("2020年,地区生产总值增长6.5%。", &[]);
        check("2020年,全区地区生产总值占全市的18.31%。", &[]);
        check("“十三五”期间,五年累计完成固定资产投资1262亿元。", &[]);
        // A year after 由/从 is a start year and does not carry to the next clause.
        check(
            "三产结构由2015年的1:22.6:76.4调整为1:19:80,第三产业增加值580亿元。",
            &[],
        );
        check(
            "2020年,社会消费品零售总额由89.3亿元增加到126.5亿元。",
            &[("社会消费品零售总额", 126.5, "亿元", 2020)],
        );
        // Years after the present are not reported figures.
        check("2023年地区生产总值达到804亿元。", &[]);
    }
}
