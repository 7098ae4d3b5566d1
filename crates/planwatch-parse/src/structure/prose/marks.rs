//! How a sentence stands in time, read in one pass.
//!
//! Every paragraph is asked whether it speaks of the past, looks forward, or holds a
//! firm future marker, and then each of its sentences is asked again. Reading the words
//! of all lists (past, relative, future, firm, plan names) with one automaton and the
//! years with one scan per sentence, and answering the paragraph from its sentences,
//! reads each byte twice instead of a dozen times.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::years::{PLAN_NAMES, year_before};

/// Words that compare with the year before: the past in a review, a reference point in
/// the part of a document that plans ahead (比上年增长5%左右, 不低于上年度水平).
const RELATIVE_PAST_WORDS: &[&str] = &["上年", "同比", "比上年", "较上年"];

/// Words that say a paragraph or clause speaks of the past.
const PAST_WORDS: &[&str] = &[
    "以来",
    "五年来",
    "过去",
    "去年",
    "实现了",
    "完成了",
    "达到了",
    "已经",
    "先后",
    "获评",
    "被评为",
    "回顾",
    "预计数",
];

/// Words that say a clause looks forward (besides plans still to run and later years).
const FUTURE_WORDS: &[&str] = &["力争", "确保", "目标", "今后", "未来", "今年"];

/// Words that put a sentence in the future whatever surrounds it.
const FIRM_WORDS: &[&str] = &["力争", "今后", "今年"];

const PAST: u8 = 1;
const RELATIVE: u8 = 2;
const FUTURE: u8 = 4;
const FIRM: u8 = 8;

/// Every word of the lists once, with the lists it belongs to, and the plan names with
/// their last year.
struct Vocabulary {
    automaton: Option<AhoCorasick>,
    /// Per pattern: its list bits, or the last year of the plan it names.
    meaning: Vec<Meaning>,
}

#[derive(Clone, Copy)]
enum Meaning {
    Lists(u8),
    PlanEnd(i32),
    /// 年: the digits before it may be a year.
    YearMark,
}

static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| {
    let mut words: Vec<&str> = Vec::new();
    let mut meaning: Vec<Meaning> = Vec::new();
    let lists = [
        (PAST_WORDS, PAST),
        (RELATIVE_PAST_WORDS, RELATIVE),
        (FUTURE_WORDS, FUTURE),
        (FIRM_WORDS, FIRM),
    ];
    for (list, bit) in lists {
        for word in list {
            match words.iter().position(|w| w == word) {
                Some(i) => {
                    if let Meaning::Lists(bits) = &mut meaning[i] {
                        *bits |= bit;
                    }
                }
                None => {
                    words.push(word);
                    meaning.push(Meaning::Lists(bit));
                }
            }
        }
    }
    for (name, end) in PLAN_NAMES {
        words.push(name);
        meaning.push(Meaning::PlanEnd(*end));
    }
    words.push("年");
    meaning.push(Meaning::YearMark);
    Vocabulary {
        automaton: AhoCorasick::new(&words).ok(),
        meaning,
    }
});

/// What a sentence (or a paragraph, the union of its sentences) says about time,
/// measured against the document's present year and default target year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Marks {
    words: u8,
    /// Names a plan that ended by the present (十三五 in a 2021 plan).
    past_plan: bool,
    /// Names a plan still running or to come.
    future_plan: bool,
    /// A year from 1990 up to the present.
    past_year: bool,
    /// The first year after the present.
    future_year: Option<i32>,
    /// A year at or after the default target year.
    late_year: bool,
}

impl Marks {
    /// The marks of `text` for a document whose present is `present`.
    pub(super) fn of(text: &str, present: i32, default_year: Option<i32>) -> Marks {
        let mut marks = Marks::default();
        let Some(automaton) = &VOCABULARY.automaton else {
            return marks;
        };
        for m in automaton.find_overlapping_iter(text) {
            match VOCABULARY.meaning[m.pattern().as_usize()] {
                Meaning::Lists(bits) => marks.words |= bits,
                Meaning::PlanEnd(end) if end <= present => marks.past_plan = true,
                Meaning::PlanEnd(_) => marks.future_plan = true,
                Meaning::YearMark => {
                    if let Some(y) = year_before(&text[..m.start()]) {
                        marks.add_year(y, present, default_year);
                    }
                }
            }
        }
        marks
    }

    fn add_year(&mut self, y: i32, present: i32, default_year: Option<i32>) {
        self.past_year |= (1990..=present).contains(&y);
        if y > present && self.future_year.is_none() {
            self.future_year = Some(y);
        }
        self.late_year |= default_year.is_some_and(|d| y >= d);
    }

    /// The marks of two pieces of text read one after the other.
    pub(super) fn then(self, next: Marks) -> Marks {
        Marks {
            words: self.words | next.words,
            past_plan: self.past_plan || next.past_plan,
            future_plan: self.future_plan || next.future_plan,
            past_year: self.past_year || next.past_year,
            future_year: self.future_year.or(next.future_year),
            late_year: self.late_year || next.late_year,
        }
    }

    /// Speaks of the past; comparisons with the year before count only outside the part
    /// of a document that plans ahead (`forward`).
    pub(super) fn past(&self, forward: bool) -> bool {
        self.words & PAST != 0
            || (!forward && self.words & RELATIVE != 0)
            || self.past_plan
            || self.past_year
    }

    /// Looks forward: a future word, a plan still to run or a year after the present.
    pub(super) fn future(&self) -> bool {
        self.words & FUTURE != 0 || self.future_plan || self.future_year.is_some()
    }

    /// A firm future marker: 力争/今后/今年, a plan still to run, or a year at or after
    /// the document's target year (2025 in a plan, 2021 in its work report).
    pub(super) fn firm(&self) -> bool {
        self.words & FIRM != 0 || self.future_plan || self.late_year
    }

    /// The first year after the present, if any.
    pub(super) fn future_year(&self) -> Option<i32> {
        self.future_year
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pass_reads_words_plans_and_years() {
        let m = Marks::of("“十三五”以来,全县地区生产总值年均增长7%", 2020, Some(2025));
        assert!(m.past(true) && !m.future() && !m.firm());
        let m = Marks::of("到2025年,力争达到1000亿元", 2020, Some(2025));
        assert!(!m.past(false) && m.future() && m.firm());
        assert_eq!(m.future_year(), Some(2025));
        // 比上年 is the past in a review, a reference point in the forward part.
        let m = Marks::of("比上年增长6%", 2020, Some(2025));
        assert!(m.past(false) && !m.past(true));
        // 今年 is both a future and a firm word.
        let m = Marks::of("今年主要预期目标", 2025, Some(2026));
        assert!(m.future() && m.firm() && !m.past(false));
        // A 2026 work report: 十四五 is past, 十五五 future and firm.
        let m = Marks::of("“十四五”圆满收官", 2025, Some(2026));
        assert!(m.past(true) && !m.future());
        let m = Marks::of("“十五五”开局", 2025, Some(2026));
        assert!(m.future() && m.firm());
    }

    #[test]
    fn a_paragraph_is_the_union_of_its_sentences() {
        let a = Marks::of("2019年完成投资50亿元。", 2020, Some(2025));
        let b = Marks::of("2023年达到80亿元。", 2020, Some(2025));
        let both = a.then(b);
        assert_eq!(
            both,
            Marks::of("2019年完成投资50亿元。2023年达到80亿元。", 2020, Some(2025))
        );
        assert!(both.past(true) && both.future() && !both.firm());
        assert_eq!(both.future_year(), Some(2023));
    }
}
