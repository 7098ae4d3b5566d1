//! One row of an actuals file (CSV or XLSX) as read, before it is stored or
//! evaluated: the shape shared by the file reader (`planwatch_parse::actuals`), the
//! store's import and the evaluation commands that read files directly.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::codes::Code;
use crate::eval::input::{DataRow, Input, interpret};

/// What a data row holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataKind {
    /// An absolute level (地区生产总值 735.2 亿元).
    #[default]
    Level,
    /// A growth rate in percent.
    GrowthRate,
    /// A share or ratio in percent.
    Share,
    /// A reduction in percent (能耗降低).
    Reduction,
    /// A target set for one year (a work report's 年度目标).
    AnnualTarget,
}

impl DataKind {
    /// The name people read (水平, 增速), from [`crate::wording::labels`].
    pub fn label(self) -> &'static str {
        crate::wording::labels::known(crate::wording::Domain::ObservationKind, self.code())
    }

    /// Read a code or one of the Chinese names a statistics office writes (增速, 占比).
    pub fn parse(s: &str) -> Option<DataKind> {
        Some(match s.trim() {
            "level" | "水平" | "总量" | "绝对值" | "数值" => DataKind::Level,
            "growth_rate" | "growth" | "增速" | "增长率" | "增长" => DataKind::GrowthRate,
            "share" | "比重" | "占比" | "比例" => DataKind::Share,
            "reduction" | "降低" | "下降" | "降幅" => DataKind::Reduction,
            "annual_target" | "年度目标" | "目标" => DataKind::AnnualTarget,
            _ => return None,
        })
    }
}

/// One observation to import (one row of an actuals file).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewObservation {
    /// Row number in the source file (for messages; header is row 1).
    pub row: usize,
    /// Region code or name.
    pub region: String,
    /// Year the value refers to (last year of a period average).
    pub year: i64,
    /// First year of a period average (`2021-2025`).
    pub year_from: Option<i64>,
    /// Indicator as written by the source.
    pub indicator: String,
    /// Value.
    pub value: f64,
    /// Unit.
    pub unit: Option<String>,
    /// What the value is.
    pub kind: DataKind,
    /// Source kind (统计公报, 政府工作报告, 年鉴, 手工录入) or file name.
    pub source: Option<String>,
    /// Where it was read.
    pub source_url: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Release date of the figure; the import date when not given.
    pub vintage: Option<Date>,
}

impl NewObservation {
    /// What the evaluation engine makes of the row (see [`interpret`]).
    pub fn interpret(&self) -> Option<Input> {
        let vintage = self.vintage.map(|d| d.to_string()).unwrap_or_default();
        interpret(&DataRow {
            indicator: &self.indicator,
            // Out of i32 range means out of every sane range: saturate, never wrap into it.
            year: i32::try_from(self.year).unwrap_or(i32::MAX),
            year_from: self.year_from.map(|y| i32::try_from(y).unwrap_or(i32::MAX)),
            value: self.value,
            unit: self.unit.as_deref(),
            kind: self.kind.code(),
            source: self.source.as_deref(),
            reference: self.source_url.as_deref(),
            note: self.note.as_deref(),
            vintage: &vintage,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::ObservationKind;

    #[test]
    fn kinds_read_from_codes_and_names() {
        for &k in DataKind::ALL {
            assert_eq!(DataKind::parse(k.code()), Some(k));
            assert_eq!(DataKind::parse(k.label()), Some(k), "labels read back");
        }
        assert_eq!(DataKind::parse("增速"), Some(DataKind::GrowthRate));
        assert_eq!(DataKind::parse(" 占比 "), Some(DataKind::Share));
        assert_eq!(DataKind::parse("rate"), None);
    }

    #[test]
    fn a_row_is_interpreted_with_its_release_date() {
        let row = NewObservation {
            year: 2023,
            indicator: "地区生产总值".into(),
            value: 356.0,
            kind: DataKind::Level,
            vintage: Some(jiff::civil::date(2024, 3, 28)),
            ..NewObservation::default()
        };
        match row.interpret() {
            Some(Input::Observation(o)) => {
                assert_eq!((o.year, o.kind), (2023, ObservationKind::Level));
                assert_eq!(o.vintage, "2024-03-28");
            }
            other => panic!("{other:?}"),
        }
        let absurd = NewObservation {
            year: i64::MAX,
            ..row
        };
        // Saturated, not wrapped, and then refused by the engine's year rule.
        assert_eq!(absurd.interpret(), None);
    }
}
