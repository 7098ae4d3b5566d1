//! Quantified forward-looking statements in running text.
//!
//! A target is a number with a unit in a clause that looks forward. What looks
//! back is left out: review sections (“十三五”发展成就, 工作回顾), paragraphs that
//! speak of the past (以来, 2019年, 同比) without any future marker, and values
//! tied to a past year inside a clause (由2020年的26938元提高到…). Numbers that
//! are names rather than quantities are left out too: years, dates, PM2.5, 5G,
//! G107, ratios (1:19:80), 1+7+N, and anything inside 《》 or quotation marks.

use planwatch_core::plan::{
    DocType, HeadingKind, OutlineNode, ProseTarget, TargetKind, is_glossary_title,
};
use planwatch_core::quantity::{Comparator, NumberSpan, comparator_around, find_numbers};

use super::doc::{Line, char_len, compact};
use super::meta::Meta;

mod marks;
mod naming;
mod years;

use marks::Marks;

use naming::*;
use years::*;

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::structure::words::{WordSet, Words};

/// Units a target number may carry, longest first within each family.
const UNITS: &[&str] = &[
    "个百分点",
    "万亿元",
    "万亿斤",
    "万亿",
    "亿斤",
    "万公里",
    "万批次",
    "批次",
    "万场次",
    "场次",
    "万人次",
    "人次",
    "万人",
    "万户",
    "亿美元",
    "万美元",
    "亿元",
    "万元",
    "千元",
    "元",
    "亿",
    "平方公里",
    "万平方米",
    "平方米",
    "万平方",
    "平方",
    "万亩",
    "亩",
    "公顷",
    "公里",
    "千米",
    "万千瓦",
    "千瓦",
    "兆瓦",
    "吨标准煤",
    "万个",
    "万套",
    "万辆",
    "万台",
    "万张",
    "万件",
    "万家",
    "万名",
    "万吨",
    "吨",
    "万头",
    "头",
    "万羽",
    "羽",
    "万只",
    "万株",
    "万套",
    "%",
    "‰",
    "个",
    "家",
    "项",
    "所",
    "座",
    "处",
    "条",
    "件",
    "宗",
    "套",
    "张",
    "床",
    "辆",
    "台",
    "栋",
    "批",
    "支",
    "名",
    "位",
    "人",
    "户",
    "天",
    "分钟",
    "小时",
    "岁",
    "年一遇",
    "A级",
    "级",
    "倍",
    "期",
    "ug/m",
    "万",
];

/// Units that count things.
const COUNT_UNITS: &[&str] = &[
    "个", "家", "项", "所", "座", "处", "条", "件", "宗", "套", "张", "床", "辆", "台", "栋", "批",
    "支", "名", "位",
];

/// Headings that open a review of the past.
const REVIEW_HEADINGS: &[&str] = &["回顾", "成就", "发展基础", "主要成效", "取得的成绩"];

/// Words that, after the name of a plan already ended, make a heading a review
/// (“十三五”规划实施情况, “十四五”时期工作).
const PAST_PLAN_HEADINGS: &[&str] = &["实施", "时期", "发展", "期间", "工作", "以来"];

/// Context shared by all clauses of a document (and, for `forward`, of one paragraph).
#[derive(Debug, Clone, Copy)]
struct Context {
    /// Years up to this one are the past.
    present: i32,
    /// Default target year.
    default_year: Option<i32>,
    /// The paragraph is in the part that plans ahead (after the review chapters):
    /// comparisons with the year before are reference points, not the past.
    forward: bool,
}

/// Find prose targets in lines not claimed by tables, boxes or headings' continuations.
pub fn find_targets(
    lines: &[Line],
    outline: &[OutlineNode],
    skip: &dyn Fn(usize) -> bool,
    meta: &Meta,
) -> Vec<ProseTarget> {
    let ctx = context_of(meta, outline);
    let review = review_lines(outline, lines.last().map_or(0, |l| l.no), ctx.present);
    let marked: Vec<usize> = outline
        .iter()
        .filter(|h| !matches!(h.kind, HeadingKind::Lead | HeadingKind::Dash))
        .map(|h| h.line)
        .collect();
    let mut out = Vec::new();
    // Does the paragraph before speak of the past? A paragraph that goes on from a review
    // without a firm future marker of its own is part of the review.
    let mut after_past = false;
    let first_review = review.first().map(|r| *r.start());
    let leads: HashMap<usize, &str> = outline
        .iter()
        .filter(|h| h.kind == HeadingKind::Lead)
        .map(|h| (h.line, h.title.as_str()))
        .collect();
    for line in lines {
        if skip(line.no) || line.is_blank() || review.iter().any(|r| r.contains(&line.no)) {
            continue;
        }
        if marked.binary_search(&line.no).is_ok() {
            after_past = false;
        }
        let ctx = Context {
            forward: first_review.is_some_and(|start| line.no > start),
            ..ctx
        };
        let sentences: Vec<(&str, Marks)> = without_run_in_marker(line, outline)
            .split_inclusive(['。', '!', '?'])
            .map(|s| (s, Marks::of(s, ctx.present, ctx.default_year)))
            .collect();
        let marks = sentences
            .iter()
            .fold(Marks::default(), |all, (_, m)| all.then(*m));
        let tense = tense_of(line, marks, &leads, &ctx, after_past);
        if tense != Tense::Neutral {
            after_past = matches!(tense, Tense::Past | Tense::Review);
        }
        if tense != Tense::Past {
            paragraph_targets(line.no, &sentences, tense == Tense::Review, &ctx, &mut out);
        }
    }
    // The same clause can be reached twice (a list read as two clauses of one sentence).
    out.dedup_by(|a, b| {
        a.line == b.line && a.text == b.text && a.value == b.value && a.indicator == b.indicator
    });
    out
}

/// The line's text after a list marker run into its first figure (`5.12件…`, item 5 of
/// a list, read as such by the outline): the figure is 12, not 5.12.
fn without_run_in_marker<'a>(line: &'a Line, outline: &[OutlineNode]) -> &'a str {
    let text = line.text.trim_start();
    // The outline is in line order: a binary search finds the line's headings.
    let from = outline.partition_point(|h| h.line < line.no);
    outline[from..]
        .iter()
        .take_while(|h| h.line == line.no)
        .filter(|h| h.kind == HeadingKind::Arabic)
        .find_map(|h| text.strip_prefix(h.number.as_str()))
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(&line.text)
}

/// How a paragraph stands in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tense {
    /// Only past markers: no targets.
    Past,
    /// Part of a review (opens with “十三五”以来, or goes on from a past paragraph):
    /// only sentences with a firm future marker can hold targets.
    Review,
    /// Looks forward, or mixed with no review around it: sentence by sentence.
    Open,
    /// A short line without markers (a caption, a heading): it does not change the state.
    Neutral,
}

fn tense_of(
    line: &Line,
    marks: Marks,
    leads: &HashMap<usize, &str>,
    ctx: &Context,
    after_past: bool,
) -> Tense {
    let text = line.text.as_str();
    let past = marks.past(ctx.forward);
    let future = marks.future();
    if past && !future {
        return Tense::Past;
    }
    if opens_with_past_frame(line, leads, ctx.present) {
        return Tense::Review;
    }
    if !past && !future && char_len(text) <= 30 {
        return Tense::Neutral;
    }
    if after_past && !marks.firm() {
        return Tense::Review;
    }
    Tense::Open
}

/// `综合实力迈上新台阶。“十三五”以来,…`: the paragraph's opening (or its first sentence
/// after a run-in lead) sets it in the past.
fn opens_with_past_frame(line: &Line, leads: &HashMap<usize, &str>, present: i32) -> bool {
    const FRAMES: &[&str] = &["以来,", "五年来", "过去五年"];
    let text = line.text.as_str();
    let body = leads
        .get(&line.no)
        .and_then(|title| text.strip_prefix(title))
        .map_or(text, |rest| rest.trim_start_matches('。'));
    let framed = |t: &str| {
        let end = t.char_indices().nth(16).map_or(t.len(), |(i, _)| i);
        let head = &t[..end];
        FRAMES.iter().any(|f| head.contains(f))
            || (names_past_plan(head, present) && (head.contains("期间") || head.contains("时期")))
    };
    framed(text) || (body.len() != text.len() && framed(body))
}

fn context_of(meta: &Meta, outline: &[OutlineNode]) -> Context {
    if meta.doc_type == DocType::WorkReport {
        // The report's own year is the latest year a heading plans for (三、2021年工作目标…).
        let year = outline.iter().filter_map(|h| first_year(&h.title)).max();
        let present = year.map_or(2020, |y| y - 1);
        return Context {
            present,
            default_year: year,
            forward: false,
        };
    }
    let start = meta.period.map_or(2021, |p| p.start);
    Context {
        present: start - 1,
        default_year: meta.period.map(|p| p.end),
        forward: false,
    }
}

/// Line ranges covered by review headings (until the next heading at the same or a higher level).
fn review_lines(
    outline: &[OutlineNode],
    last_line: usize,
    present: i32,
) -> Vec<std::ops::RangeInclusive<usize>> {
    let mut ranges = Vec::new();
    for (i, h) in outline.iter().enumerate() {
        // A run-in lead (夯实粮食发展基础。…) is a sentence, not a section title.
        if matches!(h.kind, HeadingKind::Lead | HeadingKind::Dash) {
            continue;
        }
        let title = compact(&h.title);
        if is_glossary_title(&title) {
            // A glossary's entries are often numbered at its own level: it runs to the
            // end of the part it closes.
            let end = outline[i + 1..]
                .iter()
                .find(|n| n.level < h.level)
                .map_or(last_line, |n| n.line - 1);
            ranges.push(h.line..=end);
            continue;
        }
        let reviews = REVIEW_HEADINGS.iter().any(|w| title.contains(w))
            && (title.contains("回顾") || !names_future_plan(&title, present));
        let past_plan = names_past_plan(&title, present)
            && PAST_PLAN_HEADINGS.iter().any(|w| title.contains(w))
            && !names_future_plan(&title, present);
        if !reviews && !past_plan {
            continue;
        }
        let end = outline[i + 1..]
            .iter()
            .find(|n| n.level <= h.level)
            .map_or(last_line, |n| n.line - 1);
        ranges.push(h.line..=end);
    }
    ranges
}

/// Targets of one paragraph, given as its sentences with their marks; in a review only
/// sentences with a firm future marker count.
fn paragraph_targets(
    line_no: usize,
    sentences: &[(&str, Marks)],
    review: bool,
    ctx: &Context,
    out: &mut Vec<ProseTarget>,
) {
    // Clauses read so far in this paragraph: where a clause without a subject of its own
    // (到2025年迈上1000亿台阶) finds what it speaks of.
    let mut earlier: Vec<&str> = Vec::new();
    for (sentence, marks) in sentences {
        let past = marks.past(ctx.forward) && !marks.future();
        if past || (review && !marks.firm()) {
            earlier.clear();
            continue;
        }
        let sentence_year = marks.future_year().or(ctx.default_year);
        for clause in clauses(sentence) {
            clause_targets(line_no, clause, &earlier, sentence_year, ctx, out);
            earlier.push(clause);
        }
    }
}

/// Split a sentence into clauses at , ; : outside brackets and quotes.
fn clauses(sentence: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (at, c) in sentence.char_indices() {
        match c {
            '(' | '《' | '“' | '[' | '【' => depth += 1,
            ')' | '》' | '”' | ']' | '】' => depth = (depth - 1).max(0),
            ',' | ';' | ':' | '。' | '!' | '?' if depth == 0 => {
                out.push(&sentence[start..at]);
                start = at + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&sentence[start..]);
    out.into_iter()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

/// Every target in one clause.
fn clause_targets(
    line: usize,
    clause: &str,
    earlier: &[&str],
    year: Option<i32>,
    ctx: &Context,
    out: &mut Vec<ProseTarget>,
) {
    // Numbers are written in digits (full-width ones are folded already).
    if !clause.bytes().any(|b| b.is_ascii_digit()) || states_a_fact(clause) {
        return;
    }
    let chars: Vec<char> = clause.chars().collect();
    let numbers = find_numbers(&chars);
    let mut found = Vec::new();
    let mut k = 0;
    while k < numbers.len() {
        let Some(candidate) = candidate_at(&chars, &numbers, k, ctx) else {
            k += 1;
            continue;
        };
        k = candidate.next;
        found.push(candidate);
    }
    // A grade before another quantity qualifies what is counted (3A级以上物流企业5家).
    let is_grade = |c: &Candidate| matches!(c.unit, "级" | "A级");
    if found.iter().any(|c| !is_grade(c)) {
        found.retain(|c| !is_grade(c));
    }
    found.retain(|c| {
        !is_starting_point(&chars, c)
            && !counts_a_list(&chars, c)
            && !qualifies_a_later_figure(&chars, c)
    });
    let mut previous_end = 0;
    for candidate in found {
        // In a list (样板点2个、示范点2个) each name starts after the last 、(和, 及) since the
        // item before.
        let name_start = chars[previous_end..candidate.number.start]
            .iter()
            .rposition(|c| matches!(c, '、' | '和' | '及'))
            .filter(|_| previous_end > 0)
            .map_or(0, |p| previous_end + p + 1);
        previous_end = candidate.unit_end;
        out.push(build_target(
            line, clause, earlier, &chars, name_start, &candidate, year,
        ));
    }
}

/// Facts about the place (县域面积2168平方公里, 七普常住人口40.6万人, 辖12个乡镇) unless the
/// clause also says something is to change.
fn states_a_fact(clause: &str) -> bool {
    const FACTS: &[&str] = &[
        "县域面积",
        "区域面积",
        "国土面积",
        "辖区面积",
        "总面积",
        "土地面积",
        "行政区域",
        "辖",
        "人口普查",
        "七普",
        "六普",
        "户籍人口",
        "总人口",
        "常住人口为",
    ];
    const CHANGE: &[&str] = &[
        "达到",
        "建成",
        "新增",
        "增加",
        "提高",
        "提升",
        "力争",
        "控制",
        "改造",
        "新建",
        "扩大",
        "完成",
        "实现",
        "保持",
        "稳定在",
        "不低于",
        "不少于",
        "不超过",
        "以上",
        "以内",
        "规划",
    ];
    static FACT_WORDS: WordSet = LazyLock::new(|| Words::new(FACTS));
    static CHANGE_WORDS: WordSet = LazyLock::new(|| Words::new(CHANGE));
    FACT_WORDS.any_in(clause) && !CHANGE_WORDS.any_in(clause)
}

/// Verbs that carry a quantity from where it is to where it is to be.
const TO_VERBS: &[&str] = &[
    "提高到",
    "提升到",
    "增加到",
    "扩大到",
    "增长到",
    "降低到",
    "下降到",
    "减少到",
    "降至",
    "升至",
    "调整到",
    "调整为",
    "提高至",
    "提升至",
    "增加至",
    "扩大至",
    "减少至",
];

/// The starting point in `从77%提高到80%` (or `从每人每月209元、280元提高到…`): the
/// number sits after a 从 and before a to-verb of the same clause, so only the
/// number after the verb is the target.
fn is_starting_point(chars: &[char], c: &Candidate) -> bool {
    let before: String = chars[..c.number.start].iter().collect();
    let after: String = chars[c.unit_end..].iter().collect();
    let from = before.rfind('从');
    let to_verb_after = TO_VERBS.iter().any(|v| after.contains(v));
    let to_verb_between = from.is_some_and(|f| TO_VERBS.iter().any(|v| before[f..].contains(v)));
    from.is_some() && to_verb_after && !to_verb_between
}

/// `重点抓好以下14个方面的工作`: a count of the items about to be listed, not a target.
fn counts_a_list(chars: &[char], c: &Candidate) -> bool {
    let before: String = chars[c.number.start.saturating_sub(3)..c.number.start]
        .iter()
        .collect();
    before.ends_with("以下") || before.ends_with("如下")
}

/// A number that passed the filters, with its unit.
struct Candidate {
    number: NumberSpan,
    unit: &'static str,
    /// Char index just after the unit.
    unit_end: usize,
    /// Index of the next number to look at.
    next: usize,
    range: bool,
}

/// Is `numbers[k]` a target value? Lists such as `5、1万头` and ranges such as
/// `3-5个` share the unit written after their last number and count once.
fn candidate_at(
    chars: &[char],
    numbers: &[NumberSpan],
    k: usize,
    ctx: &Context,
) -> Option<Candidate> {
    let n = numbers[k];
    if let Some((unit, unit_end)) = deadline_at(chars, &n) {
        let past = nearest_year_before(chars, numbers, k).is_some_and(|y| y <= ctx.present);
        return (!past).then_some(Candidate {
            number: n,
            unit,
            unit_end,
            next: k + 1,
            range: false,
        });
    }
    if is_name_number(chars, numbers, k, ctx) {
        return None;
    }
    let mut last = k;
    let mut range = false;
    let (unit, mut unit_end) = loop {
        let end = numbers[last].end;
        if let Some((unit, unit_end)) = unit_at(chars, end) {
            break (unit, unit_end);
        }
        // 再延长30年: a span of years, not a year.
        let before: String = chars[..n.start].iter().collect();
        if chars.get(end) == Some(&'年') && before.trim_end().ends_with("延长") {
            break ("年", end + 1);
        }
        let next = numbers.get(last + 1)?;
        let gap: String = chars[end..next.start]
            .iter()
            .filter(|c| !c.is_whitespace())
            .collect();
        match gap.as_str() {
            "、" | "×" | "x" => {}
            "-" | "~" | "—" | "至" | "到" | "–" | "%-" | "%—" | "%~" | "%至" | "%到" | "%–" => {
                range = true
            }
            "" if next.value < 0.0 => range = true,
            _ => return None,
        }
        last += 1;
    };
    // 4.5%—5%: the unit is written after both ends of a range.
    if let Some(next) = numbers.get(last + 1) {
        let gap: String = chars[unit_end..next.start]
            .iter()
            .filter(|c| !c.is_whitespace())
            .collect();
        if matches!(gap.as_str(), "-" | "~" | "—" | "至" | "到" | "–")
            && let Some((second, second_end)) = unit_at(chars, next.end)
            && second == unit
        {
            range = true;
            last += 1;
            unit_end = second_end;
        }
    }
    // 20年一遇的防洪标准 is a standard to meet, not a quantity describing a thing.
    if (is_modifier(chars, unit_end) && unit != "年一遇")
        || (unit == "万"
            && !chars
                .get(unit_end)
                .is_some_and(|c| "人户亩吨元".contains(*c)))
    {
        return None;
    }
    Some(Candidate {
        number: n,
        unit,
        unit_end,
        next: last + 1,
        range,
    })
}

/// Numbers that are part of names, dates or ratios rather than quantities.
fn is_name_number(chars: &[char], numbers: &[NumberSpan], k: usize, ctx: &Context) -> bool {
    let n = &numbers[k];
    let before = n.start.checked_sub(1).map(|i| chars[i]);
    let after = chars.get(n.end).copied();
    let is_year = n.value.fract() == 0.0 && (1949.0..=2100.0).contains(&n.value);
    let year_like = is_year && matches!(after, Some('年' | '-' | '—' | '~' | '至'));
    let date = matches!(after, Some('月' | '日' | '号'));
    // A grade (A1级, 4A级) is a standard to reach; other letters make names (G107, 5G, PM2.5).
    let grade = (before.is_some_and(|c| c.is_ascii_uppercase()) && after == Some('级'))
        || (after == Some('A') && chars.get(n.end + 1) == Some(&'级'));
    let lettered = !grade
        && (before.is_some_and(|c| c.is_ascii_alphabetic())
            || after.is_some_and(|c| c.is_ascii_alphabetic() && c != 'x'));
    let joined = matches!(before, Some(':' | '+' | '第' | '每' | '前' | '/'))
        || matches!(after, Some(':' | '+'));
    let quoted = inside(chars, n.start, '《', '》') || inside(chars, n.start, '“', '”');
    // 65岁以上老年人, 0—6岁儿童, 3岁以下婴幼儿, 2型糖尿病: the number names a group.
    let rest: String = chars[n.end..].iter().take(8).collect();
    let age_group = rest.starts_with('岁')
        && [
            "老年人",
            "老人",
            "儿童",
            "婴幼儿",
            "幼儿",
            "人口",
            "人群",
            "青少年",
            "学生",
        ]
        .iter()
        .any(|w| rest.contains(w));
    let next_is_age = numbers.get(k + 1).is_some_and(|m| {
        let gap: String = chars[n.end..m.start].iter().collect();
        matches!(gap.as_str(), "—" | "-" | "~" | "至" | "到") && chars.get(m.end) == Some(&'岁')
    });
    let typed = after == Some('型');
    // 各设置1处: so many for each of the things named before, not a total.
    let each = chars[n.start.saturating_sub(4)..n.start].contains(&'各');
    let aside = inside(chars, n.start, '(', ')') && !bounded_after(chars, n.end);
    let past = nearest_year_before(chars, numbers, k).is_some_and(|y| y <= ctx.present);
    year_like
        || date
        || lettered
        || joined
        || quoted
        || aside
        || past
        || age_group
        || next_is_age
        || typed
        || each
}

/// A bound word (以上, 以内, 左右) follows the number and its unit: a standard
/// quoted in brackets (`( 85% 以上)`) is still a target.
fn bounded_after(chars: &[char], end: usize) -> bool {
    let rest: String = chars[end..]
        .iter()
        .filter(|c| !c.is_whitespace())
        .take(8)
        .collect();
    ["以上", "以内", "以下", "左右"]
        .iter()
        .any(|w| rest.contains(w))
}

/// Is position `at` inside an open/close pair?
fn inside(chars: &[char], at: usize, open: char, close: char) -> bool {
    let opens = chars[..at].iter().filter(|c| **c == open).count();
    let closes = chars[..at].iter().filter(|c| **c == close).count();
    opens > closes
}

/// The unit written at `pos` (after optional spaces).
fn unit_at(chars: &[char], pos: usize) -> Option<(&'static str, usize)> {
    let mut p = pos;
    while chars.get(p).is_some_and(|c| c.is_whitespace()) {
        p += 1;
    }
    let rest: String = chars[p.min(chars.len())..].iter().take(5).collect();
    UNITS
        .iter()
        .find(|u| rest.starts_with(**u))
        .map(|u| (*u, p + u.chars().count()))
}

/// Month words that make a number a deadline, longest first.
const MONTHS: &[&str] = &["月份前", "月底前", "月份", "月底", "月末", "月前"];

/// Verbs that say something is to be finished by a deadline.
const DEADLINE_VERBS: &[&str] = &[
    "完成",
    "开工",
    "竣工",
    "建成",
    "投入使用",
    "投用",
    "投产",
    "验收",
    "启动",
    "上线",
    "交付",
    "通车",
    "到位",
    "办结",
];

/// `6月份前完成…`, `3月份全面集中开工`: a month (1–12) written as a deadline, in a clause
/// that says what is to be done by then. A bare date (6月30日) is not one.
fn deadline_at(chars: &[char], n: &NumberSpan) -> Option<(&'static str, usize)> {
    let month = n.value.fract() == 0.0 && (1.0..=12.0).contains(&n.value);
    let opens = n.start == 0 || !chars[n.start - 1].is_ascii_digit();
    if !month || !opens || n.start > 0 && chars[n.start - 1] == '.' {
        return None;
    }
    let rest: String = chars[n.end..].iter().take(3).collect();
    let word = MONTHS.iter().find(|m| rest.starts_with(**m))?;
    let end = n.end + word.chars().count();
    let tail: String = chars[end..].iter().collect();
    DEADLINE_VERBS
        .iter()
        .any(|v| tail.contains(v))
        .then_some((*word, end))
}

/// Predicates that give a subject its figure (…通达率保持100%).
const FIGURE_PREDICATES: &[&str] = &[
    "达到",
    "保持",
    "稳定在",
    "控制在",
    "提高到",
    "提升到",
    "不低于",
    "超过",
    "突破",
];

/// `20户以上自然村光纤网络通达率保持100%`: a quantity written straight before a noun,
/// whose item a predicate then gives its own figure, qualifies that noun; it is not a
/// target. Looks at a bounded window after the unit, so a clause is read in linear time.
fn qualifies_a_later_figure(chars: &[char], c: &Candidate) -> bool {
    let mut p = c.unit_end;
    let rest: String = chars[p.min(chars.len())..].iter().take(3).collect();
    if let Some(w) = ["及以上", "以上", "以下"]
        .iter()
        .find(|w| rest.starts_with(**w))
    {
        p += w.chars().count();
    }
    if !chars
        .get(p)
        .is_some_and(|ch| ('\u{4e00}'..='\u{9fff}').contains(ch))
    {
        return false;
    }
    let item: String = chars[p..]
        .iter()
        .take(40)
        .take_while(|ch| !matches!(ch, '、' | ',' | ';' | '，' | '；'))
        .collect();
    FIGURE_PREDICATES.iter().any(|v| {
        item.find(v).is_some_and(|i| {
            item[i + v.len()..]
                .trim_start_matches('在')
                .trim_start()
                .starts_with(|ch: char| ch.is_ascii_digit())
        })
    })
}

/// `50吨的`, `10亿级`: the quantity describes something else.
fn is_modifier(chars: &[char], unit_end: usize) -> bool {
    matches!(chars.get(unit_end), Some('的' | '级' | '强'))
}

fn build_target(
    line: usize,
    clause: &str,
    earlier: &[&str],
    chars: &[char],
    name_start: usize,
    c: &Candidate,
    year: Option<i32>,
) -> ProseTarget {
    let before: String = chars[..c.number.start].iter().collect();
    let after: String = chars[c.unit_end..].iter().collect();
    let comparator = if c.range {
        Some(Comparator::Range)
    } else {
        comparator_around(&before, &after)
            .or_else(|| step_verb(&before))
            .or_else(|| c.unit.ends_with('前').then_some(Comparator::Le))
    };
    let before: String = chars[name_start..c.number.start].iter().collect();
    ProseTarget {
        page: None,
        line,
        text: clause.to_string(),
        indicator: if MONTHS.contains(&c.unit) {
            // A deadline names the task due by then (3月份全面集中开工 → 全面集中开工).
            after.trim().to_string()
        } else {
            indicator_name(&before, &after, clause, earlier)
        },
        value: c.number.value,
        unit: Some(c.unit.to_string()),
        year,
        comparator,
        kind: kind_of(clause, c.unit),
    }
}

/// 迈上1000亿台阶, 跨上, 登上: a level reached or passed, so at least the number.
fn step_verb(before: &str) -> Option<Comparator> {
    let before = before.trim_end();
    ["迈上", "跨上", "登上", "站上", "迈入", "跨入"]
        .iter()
        .any(|v| before.ends_with(v))
        .then_some(Comparator::Ge)
}

fn kind_of(clause: &str, unit: &str) -> TargetKind {
    if MONTHS.contains(&unit) || matches!(unit, "级" | "A级" | "年一遇") {
        return TargetKind::Other;
    }
    // 5年 counts only on its own: 2025年 is a year, not a five-year span.
    let five_years = clause
        .match_indices("5年")
        .any(|(p, _)| !clause[..p].ends_with(|c: char| c.is_ascii_digit()));
    let cumulative = five_years || ["累计", "新增", "五年"].iter().any(|w| clause.contains(w));
    if unit == "%" || unit == "个百分点" {
        if ["增长", "增速", "增幅"].iter().any(|w| clause.contains(w)) {
            return TargetKind::GrowthRate;
        }
        return if cumulative {
            TargetKind::Cumulative
        } else {
            TargetKind::Share
        };
    }
    if cumulative {
        TargetKind::Cumulative
    } else if COUNT_UNITS.contains(&unit) {
        TargetKind::Count
    } else {
        TargetKind::Level
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::doc::lines;
    use planwatch_core::plan::Period;
    use planwatch_core::quantity::Comparator;

    fn plan_meta() -> Meta {
        Meta {
            period: Some(Period {
                start: 2021,
                end: 2025,
            }),
            doc_type: DocType::PlanOutline,
            ..Meta::default()
        }
    }

    /// The (value, unit) pairs found in one paragraph of a plan outline.
    fn check(text: &str, expect: &[(f64, &str)]) {
        let targets = find_targets(&lines(text), &[], &|_| false, &plan_meta());
        let got: Vec<(f64, &str)> = targets
            .iter()
            .map(|t| (t.value, t.unit.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(got, expect, "{text}");
    }

    #[test]
    fn forward_statements() {
        check(
            "到2025年,地区生产总值达到1130亿元,第三产业增加值占GDP比重达到85%。",
            &[(1130.0, "亿元"), (85.0, "%")],
        );
        check(
            "城镇居民人均可支配收入、农村居民人均可支配收入分别增长 7% 、 8% 。",
            &[(7.0, "%"), (8.0, "%")],
        );
        check("城镇登记失业率控制在 4.5% 以内。", &[(4.5, "%")]);
        check(
            "出栏羊、牛分别稳定在5、1万头,家禽年出笼稳定在300万羽。",
            &[(5.0, "万头"), (300.0, "万羽")],
        );
        check(
            "到 2025 年,创建 3-5 个省市级美丽乡村示范片。",
            &[(3.0, "个")],
        );
        check("新增公办园学位8000个。", &[(8000.0, "个")]);
    }

    #[test]
    fn multipliers_comparators_and_ranges() {
        check(
            "粮食产量保持在1.3万亿斤以上,拟安排地方政府专项债券3.8万亿元。",
            &[(1.3, "万亿斤"), (3.8, "万亿元")],
        );
        check(
            "开展农产品定量抽检超2.3万批次,实现4.27万公里线路信号连续覆盖,举办培训班超10期。",
            &[(2.3, "万批次"), (4.27, "万公里"), (10.0, "期")],
        );
        let t = find_targets(
            &lines("为超8000名孤独症儿童免费提供服务。"),
            &[],
            &|_| false,
            &plan_meta(),
        );
        assert_eq!(t[0].comparator, Some(Comparator::Gt));
        let t = find_targets(
            &lines("地区生产总值增长4.5%—5%。"),
            &[],
            &|_| false,
            &plan_meta(),
        );
        assert_eq!(t.len(), 1);
        assert_eq!(
            (t[0].value, t[0].comparator),
            (4.5, Some(Comparator::Range))
        );
    }

    #[test]
    fn only_the_end_of_from_to_is_a_target() {
        check(
            "农村低保标准占城镇低保标准的最低比例从77%提高到80%以上。",
            &[(80.0, "%")],
        );
        check(
            "补贴标准分别从每人每月209元、280元提高到217元、290元。",
            &[(217.0, "元"), (290.0, "元")],
        );
    }

    #[test]
    fn ages_types_counts_and_facts_are_not_targets() {
        check(
            "为0—6岁儿童、65岁以上老年人以及2型糖尿病患者提供健康管理服务,惠及3岁以下婴幼儿。",
            &[],
        );
        check("重点抓好以下14个方面的工作。", &[]);
        check(
            "县域面积2168平方公里,辖12个乡镇,七普常住人口40.6万人。",
            &[],
        );
        check("在5个区域各设置1处互通口。", &[(5.0, "个")]);
        check("规划面积20平方公里。", &[(20.0, "平方公里")]);
    }

    #[test]
    fn a_work_report_plans_ahead_after_its_review() {
        let meta = Meta {
            doc_type: DocType::WorkReport,
            ..Meta::default()
        };
        let text = "一、2025年和“十四五”时期工作回顾\n人均地区生产总值从9万元提高到11万元,年均增长5.5%。\n\
二、2026年工作安排\n地区生产总值比上年增长4.5%—5%,城乡低保补差水平不低于上年度水平,城镇新增就业110万人以上。";
        let lines = lines(text);
        let (outline, _) = crate::structure::outline::find_outline(&lines, &|_| false, &[]);
        let targets = find_targets(&lines, &outline, &|_| false, &meta);
        let got: Vec<(usize, f64)> = targets.iter().map(|t| (t.line, t.value)).collect();
        assert_eq!(got, [(4, 4.5), (4, 110.0)]);
        assert_eq!(targets[0].year, Some(2026));
    }

    #[test]
    fn traps_are_not_targets() {
        check(
            "细颗粒物(PM2.5)浓度持续下降,加快5G基站建设,推进G107国道改造。",
            &[],
        );
        check("构建“1+7+N”产业体系,三次产业结构调整为1:19:80。", &[]);
        check(
            "落实《岳阳市“十四五”规划(2021-2025年)》和“巴陵人才新政20条”。",
            &[],
        );
        check("新建1座日处理50吨的餐厨垃圾处理厂。", &[(1.0, "座")]);
    }

    #[test]
    fn deadlines_grades_and_standards() {
        check(
            "6月份前完成省定棚改项目征拆,3月份全面集中开工,10月份全部竣工验收。",
            &[(6.0, "月份前"), (3.0, "月份"), (10.0, "月份")],
        );
        // Dates and months without a task are not deadlines.
        check("6月30日前完成项目申报,每年3月份为植树月。", &[]);
        check("2020年6月份完成了征拆工作。", &[]);
        check(
            "按照A1级标准建设通用机场,创建国家4A级旅游景区。",
            &[(1.0, "级"), (4.0, "A级")],
        );
        check("培育3A级以上物流企业5家。", &[(5.0, "家")]);
        check(
            "按照城区50年一遇、农村区域20年一遇的防洪标准建设堤防。",
            &[(50.0, "年一遇"), (20.0, "年一遇")],
        );
        check("加快5G基站和G107国道建设,PM2.5浓度下降。", &[]);
    }

    #[test]
    fn the_past_is_not_a_target() {
        check(
            "“十三五”以来,全区地区生产总值年均增长8.1%,2020年达到735亿元。固定资产投资年均增长12.1%。",
            &[],
        );
        check(
            "居民人均可支配收入由2020年的26938元提高到2025年的40000元。",
            &[(40000.0, "元")],
        );
    }

    #[test]
    fn fields_of_a_target() {
        let t = &find_targets(
            &lines("到2025年,城镇登记失业率控制在4.5%以内。"),
            &[],
            &|_| false,
            &plan_meta(),
        )[0];
        assert_eq!(t.indicator, "城镇登记失业率");
        assert_eq!(t.comparator, Some(Comparator::Le));
        assert_eq!(t.kind, TargetKind::Share);
        assert_eq!(t.year, Some(2025));
        let l = &find_targets(
            &lines("到2025年迈上1000亿元台阶,单位GDP能耗5年下降18%。"),
            &[],
            &|_| false,
            &plan_meta(),
        );
        assert_eq!(
            (l[0].kind, l[1].kind),
            (TargetKind::Level, TargetKind::Cumulative)
        );
        assert_eq!(l[0].comparator, Some(Comparator::Ge));
        let g = &find_targets(
            &lines("地区生产总值年均增长8%左右。"),
            &[],
            &|_| false,
            &plan_meta(),
        )[0];
        assert_eq!(
            (g.kind, g.comparator),
            (TargetKind::GrowthRate, Some(Comparator::Approx))
        );
    }

    /// The (value, indicator) pairs found in one paragraph of a plan outline.
    fn check_names(text: &str, expect: &[(f64, &str)]) {
        let targets = find_targets(&lines(text), &[], &|_| false, &plan_meta());
        let got: Vec<(f64, &str)> = targets
            .iter()
            .map(|t| (t.value, t.indicator.as_str()))
            .collect();
        assert_eq!(got, expect, "{text}");
    }

    #[test]
    fn indicator_names() {
        check_names(
            "到2025年,地区生产总值达到1130亿元,城镇登记失业率控制在4.5%以内。",
            &[(1130.0, "地区生产总值"), (4.5, "城镇登记失业率")],
        );
        // A step verb with a placeholder object: the subject of the clause before.
        check_names(
            "确保全区GDP年均增速高于全市平均水平,到2025年迈上1000亿台阶;确保全区公共财政预算收入年均增幅高于全市平均水平,到2025年迈上40亿元台阶。",
            &[(1000.0, "GDP"), (40.0, "公共财政预算收入")],
        );
        check_names(
            "地区生产总值年均增长7.5%,到2025年突破1200亿元。",
            &[(7.5, "地区生产总值"), (1200.0, "地区生产总值")],
        );
        check_names(
            "经济总量持续扩大,2025年跨上500亿元台阶。",
            &[(500.0, "经济总量")],
        );
        check_names(
            "到 2025 年,白沙洲工业园区实现技工贸总收入突破 400 亿元。",
            &[(400.0, "白沙洲工业园区实现技工贸总收入")],
        );
        // The object names what is counted when nothing stands before the number.
        check_names(
            "着力打造2个老旧小区改造样板点、2个城中村改造示范点。",
            &[(2.0, "打造老旧小区改造样板点"), (2.0, "城中村改造示范点")],
        );
        check_names(
            "新增省级以上工程技术研究中心 2 个、工程实验室 2 个。",
            &[(2.0, "新增省级以上工程技术研究中心"), (2.0, "工程实验室")],
        );
        check_names(
            "城镇和农村居民人均可支配收入年均分别增长7%、8%。",
            &[
                (7.0, "城镇和农村居民人均可支配收入"),
                (8.0, "城镇和农村居民人均可支配收入"),
            ],
        );
        check_names(
            "储备可供出让土地13宗、800亩,①新增城镇就业1万人。",
            &[
                (13.0, "储备可供出让土地"),
                (800.0, "储备可供出让土地"),
                (1.0, "新增城镇就业"),
            ],
        );
        check_names(
            "全社会固定资产投资达到100亿元,新增建成面积6.11平方公里以上,达到47.26平方公里。",
            &[
                (100.0, "全社会固定资产投资"),
                (6.11, "新增建成面积"),
                (47.26, "新增建成面积"),
            ],
        );
        check_names(
            "规模工业增加值达到100亿元以上,年均增长率 10% 以上。",
            &[(100.0, "规模工业增加值"), (10.0, "规模工业增加值")],
        );
        check_names(
            "城镇生活污水处理率达到国家标准( 85% 以上),3月份全面集中开工。",
            &[
                (85.0, "城镇生活污水处理率达到国家标准"),
                (3.0, "全面集中开工"),
            ],
        );
        check_names(
            "新增乡镇综合文化站12个、街道社区中心2个和省级经济开发区1个。",
            &[
                (12.0, "新增乡镇综合文化站"),
                (2.0, "街道社区中心"),
                (1.0, "省级经济开发区"),
            ],
        );
        check_names(
            "固定资产投资保持较快增长,年均增长10%以上。",
            &[(10.0, "固定资产投资")],
        );
        // A verb names what it counts with its object; connectives and adverbs go.
        check_names(
            "即做强1个省级经济开发区,每个乡镇建成1所以上区域性养老服务中心。",
            &[
                (1.0, "做强省级经济开发区"),
                (1.0, "每个乡镇建成区域性养老服务中心"),
            ],
        );
        check_names(
            "建设年处理6万吨废旧锂电池回收生产线,推动有研发活动的规模以上工业企业占比达到45%。",
            &[
                (6.0, "建设年处理废旧锂电池回收生产线"),
                (45.0, "有研发活动的规模以上工业企业占比"),
            ],
        );
        // Scope and cumulation words are not part of the name.
        check_names(
            "单位地区生产总值能源消耗五年累计降低13.5%,地表水达到或好于Ⅲ类水体比例保持100%,村级集体经济收入全部达到10万元以上。",
            &[
                (13.5, "单位地区生产总值能源消耗"),
                (100.0, "地表水达到或好于Ⅲ类水体比例"),
                (10.0, "村级集体经济收入"),
            ],
        );
    }

    #[test]
    fn a_glossary_sets_no_targets_and_a_run_in_list_number_is_not_a_figure() {
        let text = "三、2023年工作安排\n(一)稳增长\n全年新增城镇就业3000人。\n名词解释\n1.三大攻坚:指到2025年建成3个园区的工作。\n2.四个一批:指每年签约50个项目。\n3.链长制:指由县级领导担任链长。\n4.序时进度:指规划期已过时间占比。\n5.12件重点民生实事:指县人民政府每年承诺办理的民生项目。";
        let ls = lines(text);
        let outline = crate::structure::outline::find_outline(&ls, &|_| false, &[]).0;
        let item5 = outline
            .iter()
            .find(|h| h.line == 9)
            .expect("item 5 is in the outline");
        assert_eq!(
            (item5.number.as_str(), item5.title.as_str()),
            (
                "5.",
                "12件重点民生实事:指县人民政府每年承诺办理的民生项目。"
            )
        );
        let got: Vec<(usize, f64)> = find_targets(&ls, &outline, &|_| false, &plan_meta())
            .iter()
            .map(|t| (t.line, t.value))
            .collect();
        assert_eq!(got, [(3, 3000.0)]);
        // A glossary set off another way (附：名词解释) is one too.
        let other = text.replace("\n名词解释\n", "\n附：名词解释\n");
        let ls = lines(&other);
        let outline = crate::structure::outline::find_outline(&ls, &|_| false, &[]).0;
        let got: Vec<usize> = find_targets(&ls, &outline, &|_| false, &plan_meta())
            .iter()
            .map(|t| t.line)
            .collect();
        assert_eq!(got, [3]);
        // Outside a glossary, the figure after a run-in marker is read without it.
        let list = "主要目标\n4.新增城镇就业1万人。\n5.12个乡镇全部建成综合文化站。";
        let ls = lines(list);
        let outline = crate::structure::outline::find_outline(&ls, &|_| false, &[]).0;
        let got: Vec<f64> = find_targets(&ls, &outline, &|_| false, &plan_meta())
            .iter()
            .map(|t| t.value)
            .collect();
        assert_eq!(got, [1.0, 12.0]);
    }

    #[test]
    fn a_quantity_that_qualifies_a_noun_is_not_a_target() {
        check_names(
            "20户以上自然村光纤网络通达率保持100%,建设仓储物流设施20万平方米、冷链库容5万吨。",
            &[
                (100.0, "20户以上自然村光纤网络通达率"),
                (20.0, "建设仓储物流设施"),
                (5.0, "冷链库容"),
            ],
        );
        // A list with no predicate keeps both counts.
        check_names(
            "新增1个省级开发区和2个省级示范园。",
            &[(1.0, "新增省级开发区"), (2.0, "省级示范园")],
        );
    }

    /// The (line, value) pairs of a whole text, with its outline.
    fn check_doc(text: &str, expect: &[(usize, f64)]) {
        let ls = lines(text);
        let outline = crate::structure::outline::find_outline(&ls, &|_| false, &[]).0;
        let got: Vec<(usize, f64)> = find_targets(&ls, &outline, &|_| false, &plan_meta())
            .iter()
            .map(|t| (t.line, t.value))
            .collect();
        assert_eq!(got, expect, "{text}");
    }

    #[test]
    fn a_review_goes_on_until_a_firm_future_marker() {
        // Lines 2 and 3 carry no past marker of their own (未来, 2021年 and 确保 are weak),
        // but go on from the review of line 1; line 4 opens the forward part.
        check_doc(
            "综合实力迈上新台阶。“十三五”以来,全区地区生产总值年均增长8.1%。\n\
城区建设焕发新面貌。实施征拆项目84个,这为未来5至10年发展腾出空间,西环线2021年可基本建成。\n\
改革创新收获新成果。21家区直单位的389项事务入驻,确保改革全面覆盖民生事项。\n\
当前和今后一个时期,发展仍处于重要战略机遇期。\n\
经济更加发展。到2025年,地区生产总值达到1130亿元,年均增长9%。",
            &[(5, 1130.0), (5, 9.0)],
        );
        // A paragraph framed by “十三五”以来 is a review even when it says 目标.
        check_doc(
            "3.三大攻坚战取得决定性战果\n“十三五”以来,三大攻坚战扎实推进。脱贫攻坚成效显著,12个贫困村全部退出摘帽;实现“全域Ⅱ类水”目标,饮用水源水质达标率100%。\n4.三次产业质效提升\n到2025年,农业科技贡献率达到70%。",
            &[(4, 70.0)],
        );
        // Without a review before it, the same mixed paragraph is read sentence by sentence.
        check_doc(
            "城区建设焕发新面貌。实施征拆项目84个,这为未来5至10年发展腾出空间。",
            &[(1, 84.0)],
        );
        // A firm future marker in a paragraph after a review keeps its targets.
        check_doc(
            "2020年全区地区生产总值达到735亿元。\n到2025年,地区生产总值达到1130亿元。",
            &[(2, 1130.0)],
        );
    }

    #[test]
    fn years() {
        let check = |text: &str, expect: &[i32]| assert_eq!(years_in(text), expect, "{text}");
        check("到2025年,由2020年的735亿元", &[2025, 2020]);
        check("2015-2020年", &[2020]);
        check("到 2025 年", &[2025]);
        check("1.2025年 12025年 1948年 2101年 25年", &[]);
        check("区-2025年", &[]);
        check("2019-2021年", &[2021]);
        check("年均增长", &[]);
    }

    #[test]
    fn review_sections_are_skipped() {
        let text = "第一章 发展基础\n全区新增就业4.6万人。\n第二章 主要目标\n新增城镇就业1.5万人。";
        let outline = crate::structure::outline::find_outline(&lines(text), &|_| false, &[]).0;
        let targets = find_targets(&lines(text), &outline, &|_| false, &plan_meta());
        assert_eq!(targets.len(), 1);
        assert_eq!(targets[0].line, 4);
    }
}
