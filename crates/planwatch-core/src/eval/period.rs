//! Plan periods from the document itself: the base year and the target year of a plan
//! and of each of its indicators. There is no default year: a 十四五 plan evaluates
//! 2020→2025 because it says so, a 十五五 plan 2025→2030, and an indicator whose own
//! column says 2019 (`60.6*`, 注:带*的为2019年数据) starts in 2019.

use std::borrow::Cow;

use crate::plan::{ColumnRole, Indicator, Period, Plan, Table};
use crate::quantity::fold_width;

/// Base year and target year, each known or not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Years {
    /// Base year b (the year of the baseline column).
    pub base: Option<i32>,
    /// Target year T.
    pub target: Option<i32>,
}

impl Years {
    /// Both years, when both are known and the target is after the base.
    pub fn both(self) -> Option<(i32, i32)> {
        match (self.base, self.target) {
            (Some(b), Some(t)) if t > b => Some((b, t)),
            _ => None,
        }
    }

    /// Fill what is missing from `other`.
    pub fn or(self, other: Years) -> Years {
        Years {
            base: self.base.or(other.base),
            target: self.target.or(other.target),
        }
    }

    /// A five-year plan spans five years: when only one end is known, the other follows.
    fn five_year_span(self) -> Years {
        Years {
            base: self.base.or(self.target.map(|t| t - 5)),
            target: self.target.or(self.base.map(|b| b + 5)),
        }
    }
}

/// First year of the n-th five-year plan: the 1st began in 1953, the 2nd in 1958, the
/// 6th in 1981 after the adjustment years, and every plan since five years after the last.
pub fn nth_plan_start(n: u32) -> Option<i32> {
    match n {
        1 => Some(1953),
        2 => Some(1958),
        6..=40 => Some(1981 + 5 * (n as i32 - 6)),
        _ => None,
    }
}

/// The years a plan states for itself, in order of trust: its period (2021—2025 → base
/// 2020, target 2025); the plan number in its title (第十五个五年规划, “十五五”); the years
/// of its tables' baseline and target columns.
pub fn plan_years(plan: &Plan) -> Years {
    if let Some(p) = plan.period.filter(|p| p.end > p.start) {
        return from_period(p);
    }
    let titled = plan.title.as_deref().and_then(plan_number).and_then(|n| {
        let start = nth_plan_start(n)?;
        Some(Years {
            base: Some(start - 1),
            target: Some(start + 4),
        })
    });
    if let Some(y) = titled {
        return y;
    }
    plan.tables
        .iter()
        .map(header_years)
        .find(|y| y.both().is_some())
        .unwrap_or_default()
}

/// The plan's period as first and last year, from [`plan_years`].
pub fn plan_period(plan: &Plan) -> Option<Period> {
    plan_years(plan).both().map(|(b, t)| Period {
        start: b + 1,
        end: t,
    })
}

fn from_period(p: Period) -> Years {
    Years {
        base: Some(p.start - 1),
        target: Some(p.end),
    }
}

/// The years of one indicator: its own cells first (a starred baseline takes the year
/// its table's note gives), then its table's header, then the plan's years. A plan that
/// gives only one end of a five-year span gets the other from the span.
pub fn indicator_years(ind: &Indicator, table: Option<&Table>, plan: Years) -> Years {
    let starred = ind
        .baseline
        .as_ref()
        .filter(|b| has_star(&b.text))
        .and_then(|_| table.and_then(star_year));
    let own = Years {
        base: starred.or(ind.baseline.as_ref().and_then(|b| b.year)),
        target: ind.target.as_ref().and_then(|t| t.year),
    };
    // A target year at or before the plan's base year belongs to no target of this plan.
    let own = Years {
        target: own.target.filter(|t| plan.base.is_none_or(|b| *t > b)),
        ..own
    };
    let header = table.map(header_years).unwrap_or_default();
    own.or(header).or(plan).five_year_span()
}

/// An indicator as its own labels say, when they contradict the column it was read
/// from: a value whose column is labelled with the plan's base year (2025年 in a
/// 十五五 plan) is the baseline, even when it was read as the target and no baseline
/// was found. The document's labels win over a reading of its layout.
pub fn reconciled(ind: &Indicator, plan: Years) -> Cow<'_, Indicator> {
    let misread = ind.baseline.is_none()
        && plan.base.is_some()
        && ind.target.as_ref().and_then(|t| t.year) == plan.base;
    if !misread {
        return Cow::Borrowed(ind);
    }
    let mut fixed = ind.clone();
    fixed.baseline = fixed.target.take();
    Cow::Owned(fixed)
}

/// The table whose lines hold a source line.
pub fn table_of(plan: &Plan, line: usize) -> Option<&Table> {
    plan.tables
        .iter()
        .find(|t| t.line_start <= line && line <= t.line_end)
}

/// Years of a table's baseline and target columns, by role; without roles, the earliest
/// and latest year among the headers that are not a 远景 (vision) column.
pub fn header_years(table: &Table) -> Years {
    let by_role = |role: ColumnRole| {
        table
            .roles
            .iter()
            .zip(&table.header)
            .find(|(r, _)| **r == role)
            .and_then(|(_, h)| year_in(h))
    };
    if !table.roles.is_empty() {
        return Years {
            base: by_role(ColumnRole::Baseline),
            target: by_role(ColumnRole::Target),
        };
    }
    let years: Vec<i32> = table
        .header
        .iter()
        .filter(|h| !h.contains("远景"))
        .filter_map(|h| year_in(h))
        .collect();
    match (years.iter().min(), years.iter().max()) {
        (Some(&b), Some(&t)) if t > b => Years {
            base: Some(b),
            target: Some(t),
        },
        _ => Years::default(),
    }
}

/// The first plausible four-digit year (1949–2100) written in a text.
pub fn year_in(text: &str) -> Option<i32> {
    let chars: Vec<char> = text.chars().map(fold_width).collect();
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if run == 4 {
            let s: String = chars[i..i + 4].iter().collect();
            if let Ok(y) = s.parse::<i32>()
                && (1949..=2100).contains(&y)
            {
                return Some(y);
            }
        }
        i += run.max(1);
    }
    None
}

fn has_star(text: &str) -> bool {
    text.contains(['*', '＊'])
}

/// The year a table note gives starred values (注:带*的为2019年数据).
fn star_year(table: &Table) -> Option<i32> {
    table.notes.iter().find_map(|note| {
        let at = note.find(['*', '＊'])?;
        year_in(&note[at..])
    })
}

/// The plan number a title names: 第十五个五年规划 or “十五五” → 15.
pub fn plan_number(title: &str) -> Option<u32> {
    let chars: Vec<char> = title.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        // 第十四个五年规划
        if *c == '第' {
            let digits: String = chars[i + 1..]
                .iter()
                .take_while(|c| zh_digit(**c).is_some())
                .collect();
            let rest: String = chars[i + 1 + digits.chars().count()..]
                .iter()
                .take(4)
                .collect();
            if rest.starts_with("个五年") {
                return zh_number(&digits);
            }
        }
    }
    // “十四五”: a numeral directly followed by 五 and a closing quote or 规划/时期.
    let s: String = chars.iter().collect();
    for end in ["五”", "五\"", "五规划", "五时期", "五”时期"] {
        if let Some(at) = s.find(end) {
            let head: Vec<char> = s[..at].chars().collect();
            let digits: String = head
                .iter()
                .rev()
                .take_while(|c| zh_digit(**c).is_some())
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if let Some(n) = zh_number(&digits).filter(|n| *n >= 6) {
                return Some(n);
            }
        }
    }
    None
}

fn zh_digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九十"
        .chars()
        .position(|d| d == c)
        .map(|p| p as u32)
}

/// 十四 → 14, 二十一 → 21, 九 → 9; None for anything else.
fn zh_number(s: &str) -> Option<u32> {
    let d: Vec<u32> = s.chars().map(zh_digit).collect::<Option<_>>()?;
    match d.as_slice() {
        [n] if *n < 10 => Some(*n),
        [10] => Some(10),
        [10, n] if *n < 10 => Some(10 + n),
        [t, 10] if *t < 10 => Some(t * 10),
        [t, 10, n] if *t < 10 && *n < 10 => Some(t * 10 + n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{ItemSource, ValueCell};

    #[test]
    fn plan_numbers_and_start_years() {
        // 6th plan 1981; 15th = 1981 + 5·(15 − 6) = 2026.
        assert_eq!(nth_plan_start(15), Some(2026));
        assert_eq!(nth_plan_start(14), Some(2021));
        assert_eq!(nth_plan_start(1), Some(1953));
        assert_eq!(nth_plan_start(4), None);
        for (title, n) in [
            (
                "青溪县国民经济和社会发展第十五个五年规划和二〇三五年远景目标纲要",
                Some(15),
            ),
            ("某市“十四五”规划纲要", Some(14)),
            ("“十五五”时期主要指标", Some(15)),
            ("第二十一个五年规划", Some(21)),
            ("2023年政府工作报告", None),
            ("第十五章 五年规划实施", None),
        ] {
            assert_eq!(plan_number(title), n, "{title}");
        }
    }

    #[test]
    fn years_in_headers() {
        assert_eq!(year_in("2025年目标"), Some(2025));
        assert_eq!(year_in("基期值(２０２０年)"), Some(2020));
        assert_eq!(year_in("12345"), None);
        assert_eq!(year_in("年均增长(%)"), None);
        let table = |header: &[&str], roles: Vec<ColumnRole>| Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            roles,
            ..Table::default()
        };
        use ColumnRole::*;
        let t = table(
            &["指标", "2025年", "2027年", "2030年", "2035年远景", "属性"],
            vec![Name, Baseline, Milestone, Target, Vision, Attribute],
        );
        assert_eq!(header_years(&t).both(), Some((2025, 2030)));
        // Without roles: earliest and latest, the vision column left out.
        let t = table(&["指标", "2025年", "2030年", "2035年远景"], Vec::new());
        assert_eq!(header_years(&t).both(), Some((2025, 2030)));
    }

    fn indicator(base: &str, target: &str) -> Indicator {
        Indicator {
            line: 10,
            source: ItemSource::Table,
            category: None,
            name: "常住人口城镇化率".into(),
            unit: Some("%".into()),
            attribute: None,
            baseline: Some(ValueCell::parse(base, None)),
            target: Some(ValueCell::parse(target, None)),
            growth: None,
            seq: None,
            parent: None,
            page: None,
        }
    }

    #[test]
    fn an_indicator_takes_its_own_years_first() {
        let table = Table {
            header: vec!["指标".into(), "2020年".into(), "2025年".into()],
            notes: vec!["注:①〔 〕内为5年累计数。②带*的为2019年数据。".into()],
            ..Table::default()
        };
        let plan = Years {
            base: Some(2020),
            target: Some(2025),
        };
        let starred = indicator_years(&indicator("60.6*", "65"), Some(&table), plan);
        assert_eq!(starred.both(), Some((2019, 2025)));
        let plain = indicator_years(&indicator("83.4", "85"), Some(&table), Years::default());
        assert_eq!(plain.both(), Some((2020, 2025)));
        // A cell's own year beats the header.
        let mut own = indicator("56.8", "62");
        own.baseline.as_mut().unwrap().year = Some(2025);
        own.target.as_mut().unwrap().year = Some(2030);
        assert_eq!(
            indicator_years(&own, Some(&table), plan).both(),
            Some((2025, 2030))
        );
        // Only the target year known: a five-year plan starts five years earlier.
        let one = Years {
            base: None,
            target: Some(2030),
        };
        assert_eq!(
            indicator_years(&indicator("1", "2"), None, one).both(),
            Some((2025, 2030))
        );
        // Nothing known: nothing made up.
        assert_eq!(
            indicator_years(&indicator("1", "2"), None, Years::default()).both(),
            None
        );
    }

    /// A 十五五 row whose 2025 value was read as the target: the label says baseline.
    #[test]
    fn a_base_year_value_read_as_the_target_is_the_baseline() {
        let plan = Years {
            base: Some(2025),
            target: Some(2030),
        };
        let mut row = indicator("", "56.9");
        row.baseline = None;
        row.target.as_mut().unwrap().year = Some(2025);
        let fixed = reconciled(&row, plan);
        assert_eq!(
            fixed.baseline.as_ref().map(|b| b.text.as_str()),
            Some("56.9")
        );
        assert!(fixed.target.is_none());
        assert_eq!(
            indicator_years(&fixed, None, plan).both(),
            Some((2025, 2030))
        );
        // Years that fit the plan are left alone.
        let mut fine = indicator("56.9", "62");
        fine.target.as_mut().unwrap().year = Some(2030);
        assert!(matches!(reconciled(&fine, plan), Cow::Borrowed(_)));
        // A target year before the plan's base is not trusted.
        let mut stale = indicator("56.9", "62");
        stale.target.as_mut().unwrap().year = Some(2025);
        assert_eq!(
            indicator_years(&stale, None, plan).both(),
            Some((2025, 2030))
        );
    }

    #[test]
    fn plan_years_from_period_title_or_tables() {
        let mut plan = Plan {
            title: Some("青溪县国民经济和社会发展第十五个五年规划纲要".into()),
            ..Plan::default()
        };
        assert_eq!(plan_years(&plan).both(), Some((2025, 2030)));
        plan.period = Some(Period {
            start: 2021,
            end: 2025,
        });
        assert_eq!(plan_years(&plan).both(), Some((2020, 2025)));
        let untitled = Plan {
            tables: vec![Table {
                header: vec!["指标".into(), "2025年".into(), "2030年".into()],
                ..Table::default()
            }],
            ..Plan::default()
        };
        assert_eq!(
            plan_period(&untitled),
            Some(Period {
                start: 2026,
                end: 2030
            })
        );
        assert_eq!(plan_years(&Plan::default()).both(), None);
    }
}
