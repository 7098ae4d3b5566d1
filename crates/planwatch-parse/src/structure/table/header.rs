//! Header rows and what each column means.
//!
//! A column's role comes from the words of its header, never from its position:
//! `2020年` is the baseline of a 十四五 table and `2025年` its target, but in a 十五五
//! table `2025年` is the baseline. Years are therefore read in two passes: first the
//! words (目标, 现状, 远景), then the plan period or the order of the years.

use std::sync::LazyLock;

use planwatch_core::plan::{ColumnRole, Period};

use crate::structure::words::{WordSet, Words};

use crate::structure::doc::{char_len, compact};

/// Words that make a cell a column header rather than a value or a name.
const HEADER_WORDS: &[&str] = &[
    "指标",
    "名称",
    "单位",
    "类别",
    "序号",
    "属性",
    "备注",
    "目标",
    "增长",
    "增速",
    "累计",
    "预计",
    "完成",
    "规划",
    "基期",
    "现状",
    "领域",
    "类型",
    "实际",
    "年均",
    "数值",
    "编号",
    "项目",
    "性质",
    "远景",
    "基数",
    "说明",
    "预期值",
    "目标值",
];

/// True for a header cell: a known header word or a bare year (`2020年`).
pub fn is_header_cell(cell: &str) -> bool {
    static WORDS: WordSet = LazyLock::new(|| Words::new(HEADER_WORDS));
    // A header cell is short: reject paragraphs before copying them.
    if cell.len() > 120 {
        return false;
    }
    let c = compact(cell);
    if c.is_empty() || char_len(&c) > 24 || is_caption(&c) {
        return false;
    }
    if WORDS.any_in(&c) {
        return true;
    }
    is_year_label(&c)
}

/// `专栏1 …主要指标`, `表1 …`, `“十五五”时期经济社会发展主要指标`: a caption, not a
/// column header.
fn is_caption(c: &str) -> bool {
    let titled = ["主要指标", "主要目标", "指标表", "目标表", "时期", "情况表"]
        .iter()
        .any(|w| c.contains(w));
    if titled && char_len(c) > 10 {
        return true;
    }
    let after_label = c
        .strip_prefix("专栏")
        .or_else(|| c.strip_prefix("附表"))
        .or_else(|| c.strip_prefix('表'));
    after_label.is_some_and(|rest| {
        rest.chars().next().is_some_and(|ch| {
            ch.is_ascii_digit() || crate::structure::numerals::is_cn_digit(ch) || ch == ':'
        })
    })
}

/// `2020年`, `2025`, `2020年底`.
fn is_year_label(c: &str) -> bool {
    let digits: String = c.chars().take_while(char::is_ascii_digit).collect();
    digits.len() == 4 && digits.starts_with("20") && char_len(c) <= 8 && !c.contains('.')
}

/// A header naming the category column (类别, 领域, …); `h` is compacted.
pub fn is_category_header(h: &str) -> bool {
    matches!(
        h,
        "类别" | "领域" | "类型" | "分类" | "方面" | "维度" | "指标类别" | "指标领域"
    )
}

/// First four-digit year from 1990 to 2099 in a header.
pub fn first_year(h: &str) -> Option<i32> {
    let bytes = h.as_bytes();
    (0..bytes.len().saturating_sub(3)).find_map(|i| {
        let w = &bytes[i..i + 4];
        let before_ok = i == 0 || !bytes[i - 1].is_ascii_digit();
        let after_ok = bytes.get(i + 4).is_none_or(|b| !b.is_ascii_digit());
        (before_ok && after_ok && w.iter().all(u8::is_ascii_digit))
            .then(|| std::str::from_utf8(w).ok()?.parse().ok())
            .flatten()
            .filter(|y| (1990..2100).contains(y))
    })
}

/// What a year column says about itself, before the years are compared.
#[derive(Debug, Clone, Copy, PartialEq)]
enum YearWord {
    Target,
    Baseline,
    Vision,
    Plain,
}

/// The role of every column of `header`.
pub fn roles(header: &[String], period: Option<Period>) -> Vec<ColumnRole> {
    let mut roles: Vec<ColumnRole> = Vec::with_capacity(header.len());
    let mut years: Vec<(usize, i32, YearWord)> = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let h = compact(h);
        let role = word_role(&h);
        if role == ColumnRole::Other
            && let Some(year) = first_year(&h)
        {
            years.push((i, year, year_word(&h)));
        }
        roles.push(role);
    }
    for (i, role) in year_roles(&years, period) {
        roles[i] = role;
    }
    // Only the first column of each of these roles keeps it (a second 指标 column is text).
    for unique in [
        ColumnRole::Baseline,
        ColumnRole::Target,
        ColumnRole::Attribute,
    ] {
        let mut seen = false;
        for r in roles.iter_mut().filter(|r| **r == unique) {
            if seen {
                *r = ColumnRole::Other;
            }
            seen = true;
        }
    }
    roles
}

/// The role a header's words give, or `Other` for a year column still to be decided.
fn word_role(h: &str) -> ColumnRole {
    if is_category_header(h) {
        return ColumnRole::Category;
    }
    if matches!(h, "序号" | "编号" | "序" | "No." | "NO.") {
        return ColumnRole::Seq;
    }
    if h.contains("属性") || h.contains("性质") || h == "指标类型" {
        return ColumnRole::Attribute;
    }
    if h == "单位" || h.contains("计量单位") || h.starts_with("单位") {
        return ColumnRole::Unit;
    }
    if h.contains("备注") || h == "说明" {
        return ColumnRole::Note;
    }
    let annual = h.contains("年均") || h.contains("增长") || h.contains("增速");
    let cumulative = h.contains("累计");
    match (annual, cumulative) {
        (true, true) => return ColumnRole::AnnualOrCumulative,
        (false, true) => return ColumnRole::Cumulative,
        (true, false) => return ColumnRole::Annual,
        _ => {}
    }
    if first_year(h).is_some() {
        return ColumnRole::Other;
    }
    if h.contains("指标") || h.contains("名称") || h.contains("项目") || h == "内容" {
        return ColumnRole::Name;
    }
    if h.contains("目标") || h.contains("预期值") {
        return ColumnRole::Target;
    }
    if h.contains("现状") || h.contains("基期") || h.contains("基数") {
        return ColumnRole::Baseline;
    }
    ColumnRole::Other
}

fn year_word(h: &str) -> YearWord {
    if h.contains("远景") || h.contains("展望") {
        YearWord::Vision
    } else if h.contains("目标") || h.contains("规划") || h.contains("预期值") {
        YearWord::Target
    } else if h.contains("现状") || h.contains("基期") || h.contains("实际") || h.contains("预计")
    {
        YearWord::Baseline
    } else {
        YearWord::Plain
    }
}

/// Roles of the year columns: the words first, then the plan period, then the order.
fn year_roles(
    years: &[(usize, i32, YearWord)],
    period: Option<Period>,
) -> Vec<(usize, ColumnRole)> {
    let target_year = years
        .iter()
        .find(|y| y.2 == YearWord::Target)
        .map(|y| y.1)
        .or(period.map(|p| p.end))
        .or_else(|| {
            // No period known: the latest year short of a 2035 vision column.
            let plain = years.iter().filter(|y| y.2 != YearWord::Vision);
            let latest = plain.clone().map(|y| y.1).max()?;
            let earliest = plain.map(|y| y.1).min()?;
            (latest > earliest).then_some(latest)
        });
    let base_year = period.map(|p| p.start - 1).or_else(|| {
        years
            .iter()
            .filter(|y| y.2 != YearWord::Vision && Some(y.1) != target_year)
            .map(|y| y.1)
            .min()
    });
    years
        .iter()
        .map(|&(i, year, word)| {
            let role = match word {
                YearWord::Vision => ColumnRole::Vision,
                YearWord::Target if Some(year) == target_year => ColumnRole::Target,
                YearWord::Baseline => ColumnRole::Baseline,
                _ => match (base_year, target_year) {
                    (_, Some(t)) if year == t => ColumnRole::Target,
                    (_, Some(t)) if year > t => ColumnRole::Vision,
                    (Some(b), _) if year == b => ColumnRole::Baseline,
                    (Some(b), Some(t)) if year > b && year < t => ColumnRole::Milestone,
                    (Some(b), _) if year < b => ColumnRole::Other,
                    _ => ColumnRole::Baseline,
                },
            };
            (i, role)
        })
        .collect()
}

/// Join a two-row header: the second row's cells sit under the last top cells,
/// each top cell spanning the same number of sub-columns.
pub fn merge_header(top: &[String], sub: &[String]) -> Vec<String> {
    let top: Vec<&String> = top.iter().filter(|c| !c.is_empty()).collect();
    let sub: Vec<&String> = sub.iter().filter(|c| !c.is_empty()).collect();
    let groups = if sub.len().is_multiple_of(2) && sub.len() / 2 <= top.len() {
        sub.len() / 2
    } else {
        1
    };
    let span = sub.len() / groups.max(1);
    let single = top.len().saturating_sub(groups);
    let mut header: Vec<String> = top[..single].iter().map(|c| c.to_string()).collect();
    for (g, parent) in top[single..].iter().enumerate() {
        for s in sub.iter().skip(g * span).take(span) {
            header.push(format!("{parent} > {s}"));
        }
    }
    header
}

/// Pieces of a header split over lines that belong to the piece before them
/// (`2025年` / `目标值`, `指标` / `名称`, `年均` / `增长`).
pub fn continues_header(before: &str, piece: &str) -> bool {
    let before = compact(before);
    let piece = compact(piece);
    let year_before = first_year(&before).is_some() && char_len(&before) <= 6;
    let after_year = matches!(
        piece.as_ref(),
        "目标"
            | "目标值"
            | "预期目标"
            | "规划目标"
            | "预计"
            | "预计值"
            | "实际"
            | "实际值"
            | "现状值"
            | "基期值"
            | "值"
            | "(预计)"
            | "远景目标"
            | "基数"
    );
    (year_before && after_year)
        || (before == "指标" && matches!(piece.as_ref(), "名称" | "属性"))
        || (before == "年均" && (piece.starts_with("增长") || piece.starts_with("增速")))
        || (before.ends_with('/') || piece.starts_with('/') || piece.starts_with('['))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColumnRole::*;

    fn check(header: &[&str], period: Option<(i32, i32)>, want: &[ColumnRole]) {
        let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
        let period = period.map(|(start, end)| Period { start, end });
        assert_eq!(roles(&header, period), want, "{header:?}");
    }

    #[test]
    fn roles_by_meaning() {
        check(
            &["指标名称", "2020年预计", "2025年目标", "指标属性"],
            Some((2021, 2025)),
            &[Name, Baseline, Target, Attribute],
        );
        check(
            &[
                "类别",
                "序号",
                "指标名称",
                "单位",
                "2020年",
                "2025年",
                "年均增速% [累计]",
                "属性",
            ],
            None,
            &[
                Category,
                Seq,
                Name,
                Unit,
                Baseline,
                Target,
                AnnualOrCumulative,
                Attribute,
            ],
        );
        // A 十五五 table: 2025 is the baseline.
        check(
            &["指标", "2025年", "2030年", "属性"],
            Some((2026, 2030)),
            &[Name, Baseline, Target, Attribute],
        );
        check(
            &["指标", "2025年", "2030年", "属性"],
            None,
            &[Name, Baseline, Target, Attribute],
        );
        // National 14th FYP: 年均/累计, and a 2035 vision column elsewhere.
        check(
            &["类别", "指标", "2020年", "2025年", "年均/累计", "属性"],
            None,
            &[
                Category,
                Name,
                Baseline,
                Target,
                AnnualOrCumulative,
                Attribute,
            ],
        );
        check(
            &["指标", "2020年", "2025年", "2035年远景", "属性"],
            Some((2021, 2025)),
            &[Name, Baseline, Target, Vision, Attribute],
        );
        check(
            &["指标", "2025年", "2027年", "2030年", "属性"],
            Some((2026, 2030)),
            &[Name, Baseline, Milestone, Target, Attribute],
        );
        check(
            &["序号", "指标", "单位", "现状值", "目标值", "累计", "备注"],
            None,
            &[Seq, Name, Unit, Baseline, Target, Cumulative, Note],
        );
        check(
            &[
                "领域",
                "指标",
                "基期值",
                "规划目标",
                "年均增长(%)",
                "指标性质",
            ],
            None,
            &[Category, Name, Baseline, Target, Annual, Attribute],
        );
    }

    #[test]
    fn split_header_pieces() {
        assert!(continues_header("2025年", "目标值"));
        assert!(continues_header("指标", "名称"));
        assert!(continues_header("年均", "增长(%)"));
        assert!(!continues_header("2020年", "2025年"));
        assert!(!continues_header("指标名称", "2020年"));
        assert!(!continues_header("序号", "指标名称"));
    }

    #[test]
    fn years_in_headers() {
        assert_eq!(first_year("2025年目标"), Some(2025));
        assert_eq!(first_year("“十四五”2025年"), Some(2025));
        assert_eq!(first_year("20250"), None);
        assert_eq!(first_year("指标"), None);
    }
}
