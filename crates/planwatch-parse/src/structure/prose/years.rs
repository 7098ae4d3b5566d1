//! Years written in running text (2025年), found without allocating per number.

use std::sync::LazyLock;

use planwatch_core::quantity::NumberSpan;

use crate::structure::words::{WordSet, Words};

/// Four-digit years written with 年 (2025年, 2025 年), in order.
///
/// Scans back from each 年 instead of reading every number of the text: this runs on
/// every paragraph and sentence, so it must not allocate per number.
pub(super) fn years_in(text: &str) -> Vec<i32> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('年') {
        if let Some(y) = year_before(&text[..at]) {
            out.push(y);
        }
    }
    out
}

/// The year written just before a 年 at the end of `head`, if any.
pub(super) fn year_before(head: &str) -> Option<i32> {
    let mut rev = head.chars().rev().skip_while(|c| c.is_whitespace());
    let mut value = 0i32;
    let mut digits = 0;
    let mut before = None;
    for c in rev.by_ref() {
        match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() && digits < 5 => {
                value += i32::try_from(d).ok()? * 10i32.pow(digits);
                digits += 1;
            }
            _ => {
                before = Some(c);
                break;
            }
        }
    }
    // 1.2025年 is a decimal, 12025 no year; a minus sign not after a digit makes it negative.
    let negative =
        matches!(before, Some('-' | '\u{2212}')) && !rev.next().is_some_and(|c| c.is_ascii_digit());
    let part_of_number = matches!(before, Some('.')) || negative;
    (digits == 4 && !part_of_number && (1949..=2100).contains(&value)).then_some(value)
}

pub(super) fn first_year(text: &str) -> Option<i32> {
    years_in(text).into_iter().next()
}

/// The year written closest before `numbers[k]` in the clause (a number followed by 年), if any.
pub(super) fn nearest_year_before(chars: &[char], numbers: &[NumberSpan], k: usize) -> Option<i32> {
    numbers[..k].iter().rev().find_map(|n| {
        let after = chars[n.end..].iter().find(|c| !c.is_whitespace());
        let year =
            n.value.fract() == 0.0 && (1949.0..=2100.0).contains(&n.value) && after == Some(&'年');
        year.then_some(n.value as i32)
    })
}

/// Five-year plans named in running text (十三五, 第十四个五年, 十五五) with their last year.
pub(super) const PLAN_NAMES: &[(&str, i32)] = &[
    ("十二五", 2015),
    ("第十二个五年", 2015),
    ("十三五", 2020),
    ("第十三个五年", 2020),
    ("十四五", 2025),
    ("第十四个五年", 2025),
    ("十五五", 2030),
    ("第十五个五年", 2030),
    ("十六五", 2035),
    ("第十六个五年", 2035),
];

static PLAN_WORDS: WordSet = LazyLock::new(|| {
    static NAMES: LazyLock<Vec<&'static str>> =
        LazyLock::new(|| PLAN_NAMES.iter().map(|(n, _)| *n).collect());
    Words::new(&NAMES)
});

/// The last years of the plans `text` names, in the order they are written.
pub(super) fn plan_ends(text: &str) -> impl Iterator<Item = i32> + '_ {
    PLAN_WORDS.found_in(text).filter_map(|name| {
        PLAN_NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, end)| *end)
    })
}

/// Does `text` name a plan that ended by `present` (十三五 in a 2021 plan, 十四五 in a
/// 2026 work report)?
pub(super) fn names_past_plan(text: &str, present: i32) -> bool {
    plan_ends(text).any(|end| end <= present)
}

/// Does `text` name a plan still running or to come after `present`?
pub(super) fn names_future_plan(text: &str, present: i32) -> bool {
    plan_ends(text).any(|end| end > present)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_names_are_past_or_future_by_the_documents_own_year() {
        // A 十四五 plan written in 2021: 十三五 is the past.
        assert!(names_past_plan("“十三五”时期", 2020));
        assert!(names_future_plan("“十四五”时期", 2020));
        // A work report of 2026: 十四五 is the past, 十五五 the future.
        assert!(names_past_plan("“十四五”时期工作回顾", 2025));
        assert!(!names_future_plan("“十四五”时期工作回顾", 2025));
        assert!(names_future_plan("“十五五”规划开局", 2025));
        assert!(names_future_plan(
            "国民经济和社会发展第十五个五年规划",
            2025
        ));
    }
}
