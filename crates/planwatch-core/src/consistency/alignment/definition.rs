//! The definition (口径) of one indicator in two plans, from what the documents write:
//! the row's name, unit and note cells, and the table notes (注) that name the indicator.
//!
//! - the price base (按2020年价格, 2015年不变价, 可比价): two different years;
//! - the population basis (常住人口 / 户籍人口), when the catalogue matched both rows to
//!   one indicator although one plan counts residents and the other registered people
//!   (城镇化率（户籍人口） is matched by its bracket-free name);
//! - the form of the target: a five-year cumulative figure (〔13.5〕, 累计) against an
//!   annual one (年均) or a level in the target year.
//!
//! A fact one plan does not state is unknown, never different: only two stated and
//! different facts make a finding.

use crate::catalogue::{Catalogue, normalize};
use crate::eval::target::{Measure, Target, TargetType};
use crate::plan::{ColumnRole, Plan, Severity};

use super::{Finding, Pair, row_of};

/// What a plan states of an indicator's definition.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Definition {
    /// Year of the constant prices (按2020年价格计算).
    pub price_base: Option<i32>,
    /// 常住人口 or 户籍人口.
    pub population: Option<&'static str>,
    /// 五年累计, 年均 or 目标年水平.
    pub form: Option<&'static str>,
}

const CUMULATIVE: &str = "五年累计数";

impl Definition {
    pub(super) fn of(plan: &Plan, t: &Target) -> Definition {
        let text = definition_text(plan, t);
        Definition {
            price_base: price_base(&text),
            population: population(&text),
            form: form(t),
        }
    }
}

/// The row's own words (name, unit, note cells) and the table notes that concern it.
fn definition_text(plan: &Plan, t: &Target) -> String {
    let mut text = t.indicator.clone();
    let Some(row) = row_of(plan, t) else {
        return text;
    };
    let Some(table) = plan
        .tables
        .iter()
        .find(|tb| (tb.line_start..=tb.line_end).contains(&row.line))
    else {
        return text;
    };
    if let Some(cells) = table.rows.iter().find(|r| r.line == row.line) {
        for (i, cell) in cells.cells.iter().enumerate() {
            let role = table.roles.get(i).copied().unwrap_or(ColumnRole::Other);
            if matches!(
                role,
                ColumnRole::Name | ColumnRole::Unit | ColumnRole::Note | ColumnRole::Other
            ) {
                text.push('\n');
                text.push_str(cell);
            }
        }
    }
    let money = row.unit.as_deref().is_some_and(|u| u.contains('元'));
    for clause in table.notes.iter().flat_map(|n| n.split(['；', ';', '。'])) {
        if mentions(clause, &t.indicator) || (money && clause.contains("绝对数")) {
            text.push('\n');
            text.push_str(clause);
        }
    }
    text
}

/// A note clause that names the indicator, by any of its catalogue wordings.
fn mentions(clause: &str, name: &str) -> bool {
    let clause = normalize(clause);
    let own = normalize(name);
    if !own.is_empty() && clause.contains(&own) {
        return true;
    }
    Catalogue::builtin().find(name).is_some_and(|m| {
        std::iter::once(&m.entry.name)
            .chain(&m.entry.aliases)
            .map(|a| normalize(a))
            .any(|a| a.chars().count() >= 3 && clause.contains(&a))
    })
}

/// `2020年价格`, `2020年不变价`, `2020年可比价`, `2020年价`: the year before the price word.
fn price_base(text: &str) -> Option<i32> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = None;
    for i in 0..chars.len().saturating_sub(5) {
        let year: String = chars[i..i + 4].iter().collect();
        let before_is_digit = i > 0 && chars[i - 1].is_ascii_digit();
        if before_is_digit || !year.chars().all(|c| c.is_ascii_digit()) || chars[i + 4] != '年' {
            continue;
        }
        let rest: String = chars[i + 5..].iter().take(3).collect();
        if ["价格", "不变价", "可比价", "价"]
            .iter()
            .any(|w| rest.starts_with(w))
        {
            let y: i32 = year.parse().ok()?;
            if found.is_some_and(|f| f != y) {
                return None; // two bases in one row: not a fact to compare
            }
            found = Some(y);
        }
    }
    found
}

fn population(text: &str) -> Option<&'static str> {
    match (text.contains("常住人口"), text.contains("户籍人口")) {
        (true, false) => Some("常住人口"),
        (false, true) => Some("户籍人口"),
        _ => None,
    }
}

/// The form of the target's figure.
fn form(t: &Target) -> Option<&'static str> {
    match &t.target_type {
        TargetType::CumulativeReduction { .. }
        | TargetType::CumulativeFlow { .. }
        | TargetType::LevelChange { .. } => Some(CUMULATIVE),
        TargetType::GrowthRate { .. } => Some("年均数"),
        TargetType::Floor { measure, .. }
        | TargetType::Ceiling { measure, .. }
        | TargetType::Range { measure, .. } => Some(match measure {
            Measure::GrowthRate => "年均数",
            Measure::Level => "目标年水平",
        }),
        TargetType::Level { .. } => Some("目标年水平"),
        _ => None,
    }
}

impl Pair<'_> {
    /// Stated definitions that differ, one finding per difference.
    pub(super) fn definition(&self) -> Vec<Finding> {
        let low = Definition::of(self.lower.0, self.lower.1);
        let up = Definition::of(self.upper.0, self.upper.1);
        let mut out = Vec::new();
        if let (Some(l), Some(u)) = (low.price_base, up.price_base)
            && l != u
        {
            out.push(self.differs(format!(
                "本级规划按{l}年价格计算，上级规划按{u}年价格计算，价格基期不同"
            )));
        }
        if let (Some(l), Some(u)) = (low.population, up.population)
            && l != u
        {
            out.push(self.differs(format!(
                "本级规划按{l}统计，上级规划按{u}统计，统计口径不同"
            )));
        }
        if let (Some(l), Some(u)) = (low.form, up.form)
            && l != u
            && (l == CUMULATIVE || u == CUMULATIVE)
        {
            out.push(self.differs(format!(
                "本级规划目标为{l}，上级规划为{u}，目标形式不同，不能直接比较"
            )));
        }
        out
    }

    fn differs(&self, what: String) -> Finding {
        self.finding(
            Severity::Warning,
            format!("{}：{what}，口径需核对", self.key),
        )
    }
}
