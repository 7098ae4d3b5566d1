//! Numbers as a sentence writes them, and the pace a target needs in words.

use crate::eval::status::{Pace, PaceUnit};

/// A number for a sentence or a table: at most two decimals for |x| ≥ 1, up to four
/// decimals below 1, trailing zeros removed (951.3975 → `951.4`, 31852.2459 →
/// `31852.25`, 0.034 → `0.034`). The calculation record keeps four decimals
/// ([`crate::eval::record::num`]) so a result can be redone by hand.
pub fn fig(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let s = if x.abs() >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.4}")
    };
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// A fraction as a percentage with one decimal (0.563 → `56.3%`).
pub fn percent(fraction: f64) -> String {
    if !fraction.is_finite() {
        return "—".into();
    }
    format!("{:.1}%", fraction * 100.0)
}

/// Round long decimals in a sentence written elsewhere (`951.3975亿元` → `951.4亿元`);
/// numbers with at most two decimals, years and line numbers are left as they are.
pub fn tidy_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i + 1 < chars.len() && chars[i] == '.' && chars[i + 1].is_ascii_digit() {
            i += 1;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
        }
        let token: String = chars[start..i].iter().collect();
        let decimals = token.split_once('.').map_or(0, |(_, d)| d.len());
        match token.parse::<f64>() {
            Ok(v) if decimals > 2 && v >= 1.0 => out.push_str(&fig(v)),
            _ => out.push_str(&token),
        }
    }
    out
}

/// What a yearly change of a unit is called: percentage points for a percentage
/// (a share rising from 2.1% to 2.36% rises 0.26个百分点, not 0.26%).
pub fn per_year_unit(unit: &str) -> String {
    if unit == "%" {
        "个百分点".into()
    } else {
        unit.to_string()
    }
}

/// What kind of target a pace is for: it decides the verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaceKind {
    /// A level, share or growth rate: 年均增长, 每年提高 / 降低.
    Level,
    /// A cumulative reduction (降低X%): 年均降低.
    Reduction,
    /// A cumulative flow (新增N): 每年新增.
    Flow,
}

/// The pace needed in the remaining years, in words: `年均增长7.3%`, `年均降低3.1%`,
/// `每年提高0.26个百分点`, `每年降低0.002人`, `每年新增0.3万人`. The engine's
/// explanations and the reports both say it this way.
pub fn pace_phrase(pace: &Pace, unit: &str, kind: PaceKind) -> String {
    match (pace.unit, kind) {
        (PaceUnit::PercentPerYear, PaceKind::Reduction) => {
            format!("年均降低{:.1}%", pace.value)
        }
        (PaceUnit::PercentPerYear, _) => format!("年均增长{:.1}%", pace.value),
        (PaceUnit::AmountPerYear, PaceKind::Flow) => {
            format!("每年新增{}{unit}", fig(pace.value))
        }
        (PaceUnit::AmountPerYear, _) if pace.value >= 0.0 => {
            format!("每年提高{}{}", fig(pace.value), per_year_unit(unit))
        }
        (PaceUnit::AmountPerYear, _) => {
            format!("每年降低{}{}", fig(-pace.value), per_year_unit(unit))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures() {
        let check = |x: f64, want: &str| assert_eq!(fig(x), want, "{x}");
        check(951.3975, "951.4");
        check(31852.2459, "31852.25");
        check(804.28, "804.28");
        check(1130.0, "1130");
        check(0.034, "0.034");
        check(0.123456, "0.1235");
        check(-0.002, "-0.002");
        check(-0.00001, "0");
        check(-4.0, "-4");
        check(f64::NAN, "—");
        assert_eq!(percent(0.5634), "56.3%");
        assert_eq!(percent(f64::INFINITY), "—");
    }

    #[test]
    fn tidy_keeps_short_numbers() {
        let check = |s: &str, want: &str| assert_eq!(tidy_numbers(s), want, "{s}");
        check("序时进度要求951.3975亿元", "序时进度要求951.4亿元");
        check("要求31852.2459元，进度比0.32", "要求31852.25元，进度比0.32");
        check("2021—2023年平均增长8.0%", "2021—2023年平均增长8.0%");
        check("0.0325人", "0.0325人");
        check("第3.章", "第3.章");
    }

    #[test]
    fn paces_say_which_way_and_in_what() {
        let pace = |value: f64, unit: PaceUnit| Pace {
            value,
            unit,
            years: 2,
        };
        let check = |p: Pace, unit: &str, kind: PaceKind, want: &str| {
            assert_eq!(pace_phrase(&p, unit, kind), want)
        };
        check(
            pace(0.26, PaceUnit::AmountPerYear),
            "%",
            PaceKind::Level,
            "每年提高0.26个百分点",
        );
        check(
            pace(-0.002, PaceUnit::AmountPerYear),
            "人",
            PaceKind::Level,
            "每年降低0.002人",
        );
        check(
            pace(7.345, PaceUnit::PercentPerYear),
            "亿元",
            PaceKind::Level,
            "年均增长7.3%",
        );
        check(
            pace(3.06, PaceUnit::PercentPerYear),
            "%",
            PaceKind::Reduction,
            "年均降低3.1%",
        );
        check(
            pace(0.3, PaceUnit::AmountPerYear),
            "万人",
            PaceKind::Flow,
            "每年新增0.3万人",
        );
    }
}
