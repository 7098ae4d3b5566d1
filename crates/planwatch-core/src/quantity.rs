//! The value grammar of plan tables and targets: numbers, comparators and
//! cumulative markers as Chinese plans write them.
//!
//! `≤5以内`, `≥93`, `90%`, `10.4%(年均)`, `[13.5]`, `—`, `完成省下达任务`, `3~5家`
//! all go through [`parse_value`], which keeps the number and what surrounds it.

use serde::{Deserialize, Serialize};

/// How a target number relates to the value it constrains.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    /// Exactly (达到).
    Eq,
    /// At least (以上, 不低于, ≥).
    Ge,
    /// More than (超过, 突破, >).
    Gt,
    /// At most (以内, 以下, 不超过, ≤).
    Le,
    /// Less than (低于, <).
    Lt,
    /// About (左右, 约).
    Approx,
    /// A range (3-5, 3~5, 3至5).
    Range,
}

/// A value cell read by [`parse_value`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedValue {
    /// First number of the text, if any.
    pub value: Option<f64>,
    /// Upper end of a range.
    pub upper: Option<f64>,
    /// Comparator written around the number.
    pub comparator: Option<Comparator>,
    /// Written `[ ]`, `〔 〕`, `【 】` or with 累计: a five-year cumulative value.
    pub cumulative: bool,
    /// Written with %.
    pub percent: bool,
}

/// Fold a full-width ASCII character to half-width; other characters unchanged.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// A number found in text: its value and the char span it occupies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NumberSpan {
    /// The value.
    pub value: f64,
    /// Start, in chars.
    pub start: usize,
    /// End (exclusive), in chars.
    pub end: usize,
}

/// Find the numbers in a char slice: digits with an optional decimal part and
/// thousands separators, with a leading minus sign where it cannot be a dash.
pub fn find_numbers(chars: &[char]) -> Vec<NumberSpan> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = fold_width(chars[i]);
        if !c.is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let mut text = String::new();
        let mut seen_dot = false;
        while i < chars.len() {
            let c = fold_width(chars[i]);
            if c.is_ascii_digit() {
                text.push(c);
            } else if c == '.' && !seen_dot && next_is_digit(chars, i) {
                seen_dot = true;
                text.push('.');
            } else if c == ',' && !seen_dot && thousands_group_follows(chars, i) {
                // 1,130 is one number; 1,2 is two.
            } else {
                break;
            }
            i += 1;
        }
        let negative = start > 0
            && matches!(fold_width(chars[start - 1]), '-' | '\u{2212}')
            && (start < 2 || !fold_width(chars[start - 2]).is_ascii_digit());
        let mut value: f64 = text.parse().unwrap_or(0.0);
        if negative {
            value = -value;
        }
        let start = if negative { start - 1 } else { start };
        out.push(NumberSpan {
            value,
            start,
            end: i,
        });
    }
    out
}

fn next_is_digit(chars: &[char], i: usize) -> bool {
    chars
        .get(i + 1)
        .is_some_and(|c| fold_width(*c).is_ascii_digit())
}

fn thousands_group_follows(chars: &[char], i: usize) -> bool {
    let digits = chars[i + 1..]
        .iter()
        .take_while(|c| fold_width(**c).is_ascii_digit())
        .count();
    digits == 3
}

/// Read a value cell or a short value phrase.
///
/// Returns no number for text without digits (`—`, `完成省下达任务`).
pub fn parse_value(text: &str) -> ParsedValue {
    let chars: Vec<char> = text.chars().map(fold_width).collect();
    let folded: String = chars.iter().collect();
    let numbers = find_numbers(&chars);
    let mut out = ParsedValue {
        cumulative: folded.contains(['[', '【', '〔']) || folded.contains("累计"),
        percent: folded.contains('%') || folded.contains('‰'),
        ..ParsedValue::default()
    };
    let Some(first) = numbers.first() else {
        return out;
    };
    out.value = Some(first.value);
    if let Some(second) = numbers.get(1) {
        let mut between: String = chars[first.end..second.start].iter().collect();
        if second.value < 0.0 {
            // 6%-7%: the dash was read as the sign of the second number.
            between.push('-');
        }
        let between = between.trim();
        if matches!(
            between,
            "-" | "~" | "～" | "至" | "到" | "—" | "–" | "%-" | "%~" | "%至"
        ) {
            out.upper = Some(second.value.abs());
            out.comparator = Some(Comparator::Range);
            return out;
        }
    }
    let before: String = chars[..first.start].iter().collect();
    let after: String = chars[first.end..].iter().collect();
    out.comparator = comparator_around(&before, &after);
    out
}

/// The comparator that the words before and after a number express.
pub fn comparator_around(before: &str, after: &str) -> Option<Comparator> {
    const BEFORE: &[(&str, Comparator)] = &[
        ("≥", Comparator::Ge),
        (">=", Comparator::Ge),
        ("不低于", Comparator::Ge),
        ("不少于", Comparator::Ge),
        ("至少", Comparator::Ge),
        ("≤", Comparator::Le),
        ("<=", Comparator::Le),
        ("不超过", Comparator::Le),
        ("不高于", Comparator::Le),
        ("控制在", Comparator::Le),
        ("超过", Comparator::Gt),
        ("突破", Comparator::Gt),
        ("超", Comparator::Gt),
        ("高于", Comparator::Gt),
        (">", Comparator::Gt),
        ("低于", Comparator::Lt),
        ("<", Comparator::Lt),
        ("约", Comparator::Approx),
    ];
    const AFTER: &[(&str, Comparator)] = &[
        ("以上", Comparator::Ge),
        ("及以上", Comparator::Ge),
        ("以内", Comparator::Le),
        ("以下", Comparator::Le),
        ("左右", Comparator::Approx),
    ];
    let after = after.trim_start_matches(|c: char| {
        c == '%' || c == '‰' || c.is_whitespace() || c.is_alphabetic() && !is_cjk_word_start(c)
    });
    let after_word = AFTER
        .iter()
        .find(|(w, _)| after.starts_with(w))
        .map(|(_, c)| *c);
    let before = before.trim_end();
    let before_word = BEFORE
        .iter()
        .find(|(w, _)| before.ends_with(w))
        .map(|(_, c)| *c);
    // 控制在5%以内 and ≤5以内 both mean at most; a trailing word is the more specific one.
    after_word.or(before_word)
}

fn is_cjk_word_start(c: char) -> bool {
    matches!(c, '以' | '左' | '及')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, value: Option<f64>, cmp: Option<Comparator>, cumulative: bool) {
        let v = parse_value(input);
        assert_eq!(v.value, value, "value of {input}");
        assert_eq!(v.comparator, cmp, "comparator of {input}");
        assert_eq!(v.cumulative, cumulative, "cumulative of {input}");
    }

    #[test]
    fn table_cells() {
        use Comparator::*;
        check("735", Some(735.0), None, false);
        check("≤5以内", Some(5.0), Some(Le), false);
        check("≥93", Some(93.0), Some(Ge), false);
        check("90%", Some(90.0), None, false);
        check("10.4%(年均)", Some(10.4), None, false);
        check("[13.5]", Some(13.5), None, true);
        check("【15】", Some(15.0), None, true);
        check("〔13.5〕", Some(13.5), None, true);
        check("—", None, None, false);
        check("完成省下达任务", None, None, false);
        check("3~5家", Some(3.0), Some(Range), false);
        check("3-5", Some(3.0), Some(Range), false);
        check("-4.2", Some(-4.2), None, false);
        check("4.5%以内", Some(4.5), Some(Le), false);
        check("8左右", Some(8.0), Some(Approx), false);
        check("1,130", Some(1130.0), None, false);
        check("１２．５", Some(12.5), None, false);
        check("累计新增1.5万人", Some(1.5), None, true);
        check("不低于95", Some(95.0), Some(Ge), false);
        check(">80", Some(80.0), Some(Gt), false);
    }

    #[test]
    fn range_upper_end() {
        assert_eq!(parse_value("3至5").upper, Some(5.0));
        assert_eq!(parse_value("6%-7%").upper, Some(7.0));
    }

    #[test]
    fn numbers_in_running_text() {
        let chars: Vec<char> = "由2015年的1:22.6:76.4调整".chars().collect();
        let nums: Vec<f64> = find_numbers(&chars).iter().map(|n| n.value).collect();
        assert_eq!(nums, vec![2015.0, 1.0, 22.6, 76.4]);
    }
}
