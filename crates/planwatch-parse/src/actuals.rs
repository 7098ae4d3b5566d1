//! Reading actuals files (CSV in UTF-8 or GBK, or XLSX) into observations to import
//! or to evaluate directly. It sits beside the document parser, not in the store, so
//! `planwatch evaluate` and `check` read data files without a database.
//!
//! Columns: region, year, indicator, value, unit, kind, source_url, note, with
//! optional source and vintage; or the Chinese headers 地区, 年份, 指标, 数值, 单位,
//! 类型, 来源, 备注 (and 数据来源, 发布日期). Every error names the row and column; one
//! bad row refuses the whole file. Files are held to [`crate::limits::LIMITS`]: an
//! XLSX is a zip and is checked like a DOCX, and both formats count rows and cells.

use jiff::civil::Date;
use planwatch_core::actuals::{DataKind, NewObservation};

use crate::limits::LimitError;
use crate::sheet::{self, SheetError};

/// Why an actuals file could not be read; the message names row and column (zh-CN).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ActualsError(pub String);

impl From<LimitError> for ActualsError {
    fn from(e: LimitError) -> Self {
        ActualsError(e.to_string())
    }
}

impl From<SheetError> for ActualsError {
    fn from(e: SheetError) -> Self {
        ActualsError(e.0)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Field {
    Region,
    Year,
    Indicator,
    Value,
    Unit,
    Kind,
    Source,
    SourceUrl,
    Note,
    Vintage,
}

fn field_of(header: &str) -> Option<Field> {
    let h = header.trim().trim_start_matches('\u{feff}').to_lowercase();
    Some(match h.as_str() {
        "region" | "地区" | "区域" | "行政区" => Field::Region,
        "year" | "年份" | "年度" => Field::Year,
        "indicator" | "指标" | "指标名称" => Field::Indicator,
        "value" | "数值" | "值" | "实际值" => Field::Value,
        "unit" | "单位" => Field::Unit,
        "kind" | "类型" | "数据类型" => Field::Kind,
        "source_url" | "来源" | "来源链接" | "网址" => Field::SourceUrl,
        "source" | "数据来源" | "来源类型" => Field::Source,
        "note" | "备注" | "说明" => Field::Note,
        "vintage" | "发布日期" | "发布时间" => Field::Vintage,
        _ => return None,
    })
}

fn column_name(f: Field) -> &'static str {
    match f {
        Field::Region => "region(地区)",
        Field::Year => "year(年份)",
        Field::Indicator => "indicator(指标)",
        Field::Value => "value(数值)",
        Field::Unit => "unit(单位)",
        Field::Kind => "kind(类型)",
        Field::Source => "source(数据来源)",
        Field::SourceUrl => "source_url(来源)",
        Field::Note => "note(备注)",
        Field::Vintage => "vintage(发布日期)",
    }
}

/// A year (`2022`, `2022年`) or a period (`2021-2025`, `2021—2025年`): (from, to).
pub fn parse_year(s: &str) -> Option<(Option<i64>, i64)> {
    let s = s.trim().trim_end_matches('年');
    let num = |t: &str| -> Option<i64> {
        let t = t.trim().trim_end_matches('年');
        // XLSX numbers come through as `2022` or `2022.0`.
        let t = t.strip_suffix(".0").unwrap_or(t);
        if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
            t.parse().ok()
        } else {
            None
        }
    };
    if let Some(y) = num(s) {
        return Some((None, y));
    }
    let (a, b) = s.split_once(['-', '—', '–', '~', '至'])?;
    Some((Some(num(a)?), num(b)?))
}

/// A number as written in a statistics table: `735.2`, `1,130`, `-10.7`, `9%`, full-width digits.
pub fn parse_number(s: &str) -> Option<f64> {
    let folded: String = s
        .chars()
        .map(planwatch_core::quantity::fold_width)
        .filter(|c| !matches!(c, ',' | ' ' | '%'))
        .collect();
    let v: f64 = folded.parse().ok()?;
    v.is_finite().then_some(v)
}

/// A release date as people write it (`2024-03-28`, `2024/3/28`, `2024年3月28日`, a
/// spreadsheet's `2024-03-28 00:00`), by the one date rule of
/// [`planwatch_core::validate::date`]: 2025-13-45 is not a date.
pub fn parse_date(s: &str) -> Option<Date> {
    planwatch_core::validate::date("发布日期", s)
        .ok()?
        .parse()
        .ok()
}

/// Turn a table of strings into observations: each row with its row number in the
/// file, the first one the header. Every reader of actuals (CSV, XLSX, the API's JSON)
/// ends here, so the columns and their checks are the same for all of them.
pub fn rows_to_observations(table: sheet::Rows) -> Result<Vec<NewObservation>, ActualsError> {
    let mut it = table.into_iter();
    let (first_row, header) = it
        .next()
        .ok_or_else(|| ActualsError("文件为空,缺少表头".into()))?;
    let fields: Vec<Option<Field>> = header.iter().map(|h| field_of(h)).collect();
    for required in [Field::Region, Field::Year, Field::Indicator, Field::Value] {
        if !fields.contains(&Some(required)) {
            return Err(ActualsError(format!(
                "第 {first_row} 行(表头):缺少列 {}",
                column_name(required)
            )));
        }
    }
    let mut out = Vec::new();
    for (row, cells) in it {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |f: Field| -> Option<String> {
            let idx = fields.iter().position(|x| *x == Some(f))?;
            let v = cells.get(idx)?.trim();
            (!v.is_empty()).then(|| v.to_string())
        };
        let bad = |f: Field, msg: String| {
            ActualsError(format!("第 {row} 行,列 {}:{msg}", column_name(f)))
        };
        let region = get(Field::Region).ok_or_else(|| bad(Field::Region, "为空".into()))?;
        let indicator =
            get(Field::Indicator).ok_or_else(|| bad(Field::Indicator, "为空".into()))?;
        let year_text = get(Field::Year).ok_or_else(|| bad(Field::Year, "为空".into()))?;
        let (year_from, year) = parse_year(&year_text)
            .ok_or_else(|| bad(Field::Year, format!("“{year_text}”不是年份或年份区间")))?;
        let value_text = get(Field::Value).ok_or_else(|| bad(Field::Value, "为空".into()))?;
        let value = parse_number(&value_text)
            .ok_or_else(|| bad(Field::Value, format!("“{value_text}”不是数值")))?;
        let kind = match get(Field::Kind) {
            Some(k) => DataKind::parse(&k).ok_or_else(|| {
                bad(
                    Field::Kind,
                    format!("“{k}”不是已知类型(level/growth_rate/share/reduction/annual_target)"),
                )
            })?,
            None => DataKind::Level,
        };
        let vintage = match get(Field::Vintage) {
            Some(v) => Some(parse_date(&v).ok_or_else(|| {
                bad(
                    Field::Vintage,
                    format!("“{v}”不是有效日期(应为 YYYY-MM-DD)"),
                )
            })?),
            None => None,
        };
        out.push(NewObservation {
            row,
            region,
            year,
            year_from,
            indicator,
            value,
            unit: get(Field::Unit),
            kind,
            source: get(Field::Source),
            source_url: get(Field::SourceUrl),
            note: get(Field::Note),
            vintage,
        });
    }
    Ok(out)
}

/// Read a CSV file's bytes (UTF-8 with or without BOM, or GBK/GB18030).
pub fn read_csv(bytes: &[u8]) -> Result<Vec<NewObservation>, ActualsError> {
    rows_to_observations(sheet::read_csv_rows(bytes)?)
}

/// Read the first sheet of an XLSX workbook, cell by cell within the limits (a sheet
/// is never expanded to the rectangle its outermost cells span).
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<NewObservation>, ActualsError> {
    rows_to_observations(sheet::read_xlsx_rows(bytes)?)
}

/// Read an actuals file by its name's extension (`.xlsx`, otherwise CSV).
pub fn read_actuals(bytes: &[u8], file_name: &str) -> Result<Vec<NewObservation>, ActualsError> {
    rows_to_observations(sheet::read_rows(bytes, file_name)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years() {
        let check =
            |s: &str, expect: Option<(Option<i64>, i64)>| assert_eq!(parse_year(s), expect, "{s}");
        check("2022", Some((None, 2022)));
        check("2022年", Some((None, 2022)));
        check("2022.0", Some((None, 2022)));
        check("2021-2025", Some((Some(2021), 2025)));
        check("2021—2025年", Some((Some(2021), 2025)));
        check("22", None);
        check("二〇二二", None);
        check("2021-", None);
    }

    #[test]
    fn numbers_and_kinds() {
        let check = |s: &str, expect: Option<f64>| assert_eq!(parse_number(s), expect, "{s}");
        check("735.2", Some(735.2));
        check("1,130", Some(1130.0));
        check("-10.7", Some(-10.7));
        check("9%", Some(9.0));
        check("12.5", Some(12.5));
        check("约10", None);
        check("", None);
        check("NaN", None);
        assert_eq!(DataKind::parse("增速"), Some(DataKind::GrowthRate));
        assert_eq!(DataKind::parse("share"), Some(DataKind::Share));
        assert_eq!(DataKind::parse("rate"), None);
    }

    #[test]
    fn csv_with_english_headers() {
        let text = "region,year,indicator,value,unit,kind,source_url,note\n\
                    岳阳楼区,2020,一般公共预算收入,25.2,亿元,level,https://x/1,报告\n\
                    岳阳楼区,2021-2025,地区生产总值增长,6.5,%,growth_rate,,\n\n";
        let rows = read_csv(text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].row, rows[0].year, rows[0].value), (2, 2020, 25.2));
        assert_eq!(rows[0].source_url.as_deref(), Some("https://x/1"));
        assert_eq!(
            (rows[1].row, rows[1].year_from, rows[1].year),
            (3, Some(2021), 2025)
        );
        assert_eq!(rows[1].kind, DataKind::GrowthRate);
        assert_eq!(rows[1].note, None);
    }

    #[test]
    fn csv_in_gbk_with_chinese_headers() {
        let text = "地区,年份,指标,数值,单位,类型,来源,备注\n渌口区,2022年,固定资产投资增长,11.7,%,增速,http://a,全市第一\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let rows = read_csv(&gbk).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].region, "渌口区");
        assert_eq!(rows[0].indicator, "固定资产投资增长");
        assert_eq!((rows[0].year, rows[0].value), (2022, 11.7));
        assert_eq!(rows[0].kind, DataKind::GrowthRate);
        assert_eq!(rows[0].note.as_deref(), Some("全市第一"));
    }

    #[test]
    fn errors_name_row_and_column() {
        let check = |text: &str, expect: &str| {
            let err = read_csv(text.as_bytes()).unwrap_err().0;
            assert!(err.contains(expect), "{err} should contain {expect}");
        };
        let head = "region,year,indicator,value,unit,kind\n";
        check(
            &format!("{head}a,2020,b,1,,level\na,2020,b,x1,,level\n"),
            "第 3 行,列 value(数值)",
        );
        check(&format!("{head}a,20,b,1,,level\n"), "第 2 行,列 year(年份)");
        check(
            &format!("{head}a,2020,,1,,level\n"),
            "第 2 行,列 indicator(指标)",
        );
        check(
            &format!("{head}a,2020,b,1,,speed\n"),
            "第 2 行,列 kind(类型)",
        );
        check("region,year,value\na,2020,1\n", "缺少列 indicator(指标)");
        check("", "缺少表头");
    }
}
