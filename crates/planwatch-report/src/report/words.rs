//! Wording of the reports: report kinds, Chinese numerals and dates. Numbers, paces
//! and labels come from [`planwatch_core::wording`], shared with the engine's
//! explanations and the web pages, so a figure reads the same in all of them.

/// Which report: the yearly monitoring report, the mid-term or the final evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportKind {
    /// 年度监测报告.
    Annual,
    /// 中期评估报告.
    Midterm,
    /// 总结评估报告.
    Final,
}

impl ReportKind {
    /// Read `annual`, `midterm`, `final` (or the zh-CN names).
    pub fn parse(s: &str) -> Option<ReportKind> {
        match s.trim() {
            "annual" | "年度" | "年度监测" => Some(ReportKind::Annual),
            "midterm" | "mid-term" | "中期" | "中期评估" => Some(ReportKind::Midterm),
            "final" | "总结" | "总结评估" => Some(ReportKind::Final),
            _ => None,
        }
    }

    /// Code used in URLs and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            ReportKind::Annual => "annual",
            ReportKind::Midterm => "midterm",
            ReportKind::Final => "final",
        }
    }

    /// The document type as it appears in the title.
    pub fn label(self) -> &'static str {
        match self {
            ReportKind::Annual => "年度监测报告",
            ReportKind::Midterm => "中期评估报告",
            ReportKind::Final => "总结评估报告",
        }
    }

    /// What the report does, as a verb phrase (监测 / 评估).
    pub fn verb(self) -> &'static str {
        match self {
            ReportKind::Annual => "监测",
            ReportKind::Midterm | ReportKind::Final => "评估",
        }
    }
}

/// Chinese numeral for 0..=99 (十四, 二十一); larger numbers in digits.
pub fn zh_number(n: u32) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[(n % 10) as usize] }),
        20..=99 => {
            let ones = match n % 10 {
                0 => "",
                d => D[d as usize],
            };
            format!("{}十{ones}", D[(n / 10) as usize])
        }
        _ => n.to_string(),
    }
}

/// “十四五” for a five-year plan starting in `start`. The 1st and 2nd plans began in
/// 1953 and 1958; after the 1963–1965 adjustment years the 6th began in 1981, and every
/// plan since starts five years after the last.
pub fn five_year_plan(start: i32) -> Option<String> {
    let n = match start {
        1953 => 1,
        1958 => 2,
        s if s >= 1981 && (s - 1981) % 5 == 0 => (s - 1981) / 5 + 6,
        _ => return None,
    };
    Some(format!("“{}五”", zh_number(n as u32)))
}

/// `2024年3月15日`.
pub fn zh_date(year: i32, month: u32, day: u32) -> String {
    format!("{year}年{month}月{day}日")
}

pub use planwatch_core::wording::{fig, per_year_unit, percent, tidy_numbers};

/// Elapsed share of the plan period at the end of `year`: (year − b)/(T − b).
pub fn elapsed(base_year: i32, target_year: i32, year: i32) -> f64 {
    if target_year <= base_year {
        return 0.0;
    }
    (f64::from(year - base_year) / f64::from(target_year - base_year)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_and_plan_names() {
        let check = |n: u32, want: &str| assert_eq!(zh_number(n), want, "{n}");
        check(0, "〇");
        check(5, "五");
        check(10, "十");
        check(14, "十四");
        check(20, "二十");
        check(21, "二十一");
        check(120, "120");
        // 6th plan 1981; 2021 = 1981 + 5·8 → 6 + 8 = 14.
        assert_eq!(five_year_plan(2021).as_deref(), Some("“十四五”"));
        assert_eq!(five_year_plan(2016).as_deref(), Some("“十三五”"));
        assert_eq!(five_year_plan(2026).as_deref(), Some("“十五五”"));
        assert_eq!(five_year_plan(1953).as_deref(), Some("“一五”"));
        assert_eq!(five_year_plan(2022), None);
    }

    #[test]
    fn dates() {
        assert_eq!(zh_date(2024, 3, 15), "2024年3月15日");
        // τ(2023) = (2023 − 2020)/(2025 − 2020) = 0.6.
        assert!((elapsed(2020, 2025, 2023) - 0.6).abs() < 1e-12);
        assert_eq!(elapsed(2020, 2020, 2023), 0.0);
        assert_eq!(ReportKind::parse("midterm"), Some(ReportKind::Midterm));
        assert_eq!(ReportKind::parse("x"), None);
    }
}
