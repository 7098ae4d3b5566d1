//! One data row (from a CSV/XLSX file or the database) turned into what the engine
//! reads: a published figure or an annual target. Every reader of actuals goes
//! through [`interpret`], so a file evaluated directly and the same file imported
//! into the database give the same result.

use crate::catalogue::{Catalogue, NameMeasure};
use crate::quantity::Comparator;
use crate::validate;

use super::{AnnualTarget, Observation, ObservationKind, SourceKind};

/// A data row as written, before interpretation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DataRow<'a> {
    /// Indicator as the source writes it.
    pub indicator: &'a str,
    /// Year (the last year of a span).
    pub year: i32,
    /// First year of a span (`2021-2025`), if any.
    pub year_from: Option<i32>,
    /// The value.
    pub value: f64,
    /// Unit as written.
    pub unit: Option<&'a str>,
    /// Kind code: level, growth_rate, share, reduction or annual_target.
    pub kind: &'a str,
    /// Source kind or title (统计公报…), if given.
    pub source: Option<&'a str>,
    /// URL or other reference.
    pub reference: Option<&'a str>,
    /// Free note; may say 左右/以上 for an annual target or name the source.
    pub note: Option<&'a str>,
    /// Release date (YYYY-MM-DD); empty when unknown.
    pub vintage: &'a str,
}

/// What a data row means to the engine.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A published figure.
    Observation(Observation),
    /// A target set for one year.
    AnnualTarget(AnnualTarget),
}

/// Interpret a row; `None` for an unknown kind, a year outside the sane range or a value
/// that is not finite (readers reject those earlier, naming the row; a row stored before
/// they did must still not reach the engine, which walks spans year by year).
pub fn interpret(row: &DataRow) -> Option<Input> {
    let years_ok = validate::year_ok(row.year.into())
        && row.year_from.is_none_or(|y| validate::year_ok(y.into()));
    if !years_ok || !row.value.is_finite() {
        return None;
    }
    let note = row.note.unwrap_or_default();
    if row.kind == "annual_target" {
        return Some(Input::AnnualTarget(AnnualTarget {
            indicator: row.indicator.to_string(),
            year: row.year,
            value: row.value,
            growth: row.unit == Some("%") && is_growth_name(row.indicator),
            comparator: comparator_in(note),
            reference: row.reference.map(str::to_string),
            unit: row.unit.map(str::to_string),
            text: row.note.map(str::to_string),
        }));
    }
    let kind = match row.kind {
        "level" => ObservationKind::Level,
        "share" => ObservationKind::Share,
        "reduction" => ObservationKind::Reduction,
        // 单位GDP能耗降低 3.1 filed as a growth rate means a 3.1% reduction.
        "growth_rate" if is_reduction_name(row.indicator) => ObservationKind::Reduction,
        "growth_rate" => ObservationKind::GrowthRate,
        _ => return None,
    };
    let source_text = format!("{} {note}", row.source.unwrap_or_default());
    Some(Input::Observation(Observation {
        indicator: row.indicator.to_string(),
        year: row.year,
        from_year: row.year_from.filter(|y| *y != row.year),
        value: row.value,
        kind,
        unit: row.unit.map(str::to_string),
        source: SourceKind::from_text(&source_text),
        vintage: row.vintage.to_string(),
        reference: row.reference.map(str::to_string),
    }))
}

/// Split interpreted rows into observations and annual targets.
pub fn split(inputs: impl IntoIterator<Item = Input>) -> (Vec<Observation>, Vec<AnnualTarget>) {
    let mut obs = Vec::new();
    let mut annual = Vec::new();
    for input in inputs {
        match input {
            Input::Observation(o) => obs.push(o),
            Input::AnnualTarget(a) => annual.push(a),
        }
    }
    (obs, annual)
}

fn is_growth_name(name: &str) -> bool {
    Catalogue::builtin()
        .find(name)
        .is_some_and(|m| m.measure == NameMeasure::Growth)
        || name.ends_with("增长")
        || name.ends_with("增速")
}

fn is_reduction_name(name: &str) -> bool {
    let name = name.trim();
    name.ends_with("降低") || name.ends_with("下降") || name.ends_with("降幅")
}

fn comparator_in(note: &str) -> Option<Comparator> {
    if note.contains("左右") {
        Some(Comparator::Approx)
    } else if note.contains("以上") {
        Some(Comparator::Ge)
    } else if note.contains("以内") || note.contains("以下") {
        Some(Comparator::Le)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(indicator: &'a str, kind: &'a str, unit: &'a str, note: &'a str) -> DataRow<'a> {
        DataRow {
            indicator,
            year: 2023,
            value: 3.1,
            unit: Some(unit),
            kind,
            note: Some(note),
            ..DataRow::default()
        }
    }

    fn observation(r: &DataRow) -> Observation {
        match interpret(r) {
            Some(Input::Observation(o)) => o,
            other => panic!("expected an observation, got {other:?}"),
        }
    }

    #[test]
    fn kinds() {
        let check = |indicator, kind, want| {
            assert_eq!(
                observation(&row(indicator, kind, "%", "")).kind,
                want,
                "{indicator} {kind}"
            );
        };
        check("地区生产总值", "level", ObservationKind::Level);
        check("第三产业增加值占GDP比重", "share", ObservationKind::Share);
        check(
            "地区生产总值增长",
            "growth_rate",
            ObservationKind::GrowthRate,
        );
        check("单位GDP能耗降低", "growth_rate", ObservationKind::Reduction);
        check(
            "单位地区生产总值能耗下降",
            "growth_rate",
            ObservationKind::Reduction,
        );
        check("单位GDP能耗降低", "reduction", ObservationKind::Reduction);
        assert_eq!(interpret(&row("x", "guess", "%", "")), None);
    }

    #[test]
    fn annual_targets() {
        let check = |indicator, unit, note, growth, comparator| match interpret(&row(
            indicator,
            "annual_target",
            unit,
            note,
        )) {
            Some(Input::AnnualTarget(a)) => {
                assert_eq!(
                    (a.growth, a.comparator),
                    (growth, comparator),
                    "{indicator} {note}"
                );
            }
            other => panic!("{other:?}"),
        };
        check(
            "地区生产总值增长",
            "%",
            "原文“7%左右”",
            true,
            Some(Comparator::Approx),
        );
        check(
            "规模以上工业增加值增长",
            "%",
            "8%以上",
            true,
            Some(Comparator::Ge),
        );
        check(
            "城镇调查失业率",
            "%",
            "控制在5.5%以内",
            false,
            Some(Comparator::Le),
        );
        check("新增城镇就业", "万人", "", false, None);
    }

    #[test]
    fn source_span_and_vintage() {
        let r = DataRow {
            year_from: Some(2021),
            year: 2025,
            source: Some("统计公报"),
            vintage: "2024-03-28",
            ..row("地区生产总值增长", "growth_rate", "%", "")
        };
        let o = observation(&r);
        assert_eq!((o.from_year, o.year), (Some(2021), 2025));
        assert_eq!(o.source, SourceKind::StatisticalBulletin);
        assert_eq!(o.vintage, "2024-03-28");
        let one_year = DataRow {
            year_from: Some(2023),
            ..row(
                "地区生产总值",
                "level",
                "亿元",
                "岳阳楼区2023年政府工作报告",
            )
        };
        let o = observation(&one_year);
        assert_eq!(o.from_year, None);
        assert_eq!(o.source, SourceKind::WorkReport);
    }
}
