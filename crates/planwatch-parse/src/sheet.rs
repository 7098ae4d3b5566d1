//! Spreadsheet files (CSV in UTF-8 or GBK, XLSX) as tables of text cells, each row with
//! its row number in the file: what the actuals reader and the project-bank reader
//! share. Every file is held to [`crate::limits::LIMITS`]: an XLSX is a zip opened
//! through [`Archive`], and both formats count their rows and cells with [`Grid`].

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};
use jiff::civil::Date;

use crate::limits::{Archive, Grid, LimitError};

/// Rows of a sheet: (1-based row number in the file, cells at their column positions).
pub type Rows = Vec<(usize, Vec<String>)>;

/// Why a spreadsheet could not be read at all (zh-CN).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SheetError(pub String);

impl From<LimitError> for SheetError {
    fn from(e: LimitError) -> Self {
        SheetError(e.to_string())
    }
}

/// The letter a spreadsheet gives a 0-based column: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Read a CSV file's bytes (UTF-8 with or without BOM, or GBK/GB18030).
pub fn read_csv_rows(bytes: &[u8]) -> Result<Rows, SheetError> {
    let (text, _encoding) =
        crate::decode::decode_text(bytes).map_err(|e| SheetError(format!("无法解码:{e}")))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut grid = Grid::default();
    let mut table = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| SheetError(format!("第 {} 行:CSV 格式错误:{e}", i + 1)))?;
        grid.row()?;
        grid.cells(record.len())?;
        let line = record
            .position()
            .and_then(|p| usize::try_from(p.line()).ok())
            .unwrap_or(i + 1);
        table.push((line, record.iter().map(str::to_string).collect()));
    }
    Ok(table)
}

/// The text of a cell as people read it: whole numbers without `.0`, date cells as
/// `YYYY-MM-DD`.
fn cell_text(d: &DataRef) -> String {
    match d {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        // A date cell is a day count; written out so a date column reads as a date.
        DataRef::DateTime(dt) => excel_date(dt.as_f64())
            .map(|d| d.to_string())
            .unwrap_or_else(|| dt.as_f64().to_string()),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
    }
}

/// The date of an Excel day number (1900 system: day 1 is 1900-01-01, counted from
/// 1899-12-30 because of Excel's phantom 1900-02-29).
fn excel_date(days: f64) -> Option<Date> {
    if !(1.0..3_000_000.0).contains(&days) {
        return None;
    }
    let epoch = jiff::civil::date(1899, 12, 30);
    epoch
        .checked_add(jiff::Span::new().days(days.floor() as i64))
        .ok()
}

/// Read the first sheet of an XLSX workbook, cell by cell within the limits (a sheet
/// is never expanded to the rectangle its outermost cells span).
pub fn read_xlsx_rows(bytes: &[u8]) -> Result<Rows, SheetError> {
    read_xlsx_sheet(bytes).map(|(_, rows)| rows)
}

/// [`read_xlsx_rows`] with the name of the sheet read, for messages that name it.
pub fn read_xlsx_sheet(bytes: &[u8]) -> Result<(String, Rows), SheetError> {
    // calamine inflates the parts itself; inflating them once here under the shared
    // budget first means a bomb is refused before calamine holds any of it.
    Archive::open(bytes)?.inflate_all()?;
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| SheetError(format!("无法读取 XLSX:{e}")))?;
    let sheet = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| SheetError("工作簿中没有工作表".into()))?;
    let mut cells = book
        .worksheet_cells_reader(&sheet)
        .map_err(|e| SheetError(format!("无法读取工作表:{e}")))?;
    let mut grid = Grid::default();
    let mut table: Rows = Vec::new();
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| SheetError(format!("无法读取工作表:{e}")))?
    {
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        let (r, c) = cell.get_position();
        let row = r as usize + 1;
        if table.last().is_none_or(|(n, _)| *n != row) {
            grid.row()?;
            table.push((row, Vec::new()));
        }
        let Some((_, cells)) = table.last_mut() else {
            continue;
        };
        let col = c as usize;
        if col >= cells.len() {
            // Keep absolute column positions so a sheet that starts at column B still lines up.
            grid.cells(col + 1 - cells.len())?;
            cells.resize(col + 1, String::new());
        }
        cells[col] = text;
    }
    Ok((sheet, table))
}

/// Whether the bytes or the name say XLSX (a zip), else CSV.
pub fn is_xlsx(bytes: &[u8], file_name: &str) -> bool {
    file_name.to_ascii_lowercase().ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04")
}

/// Read a spreadsheet by its name's extension or its first bytes.
pub fn read_rows(bytes: &[u8], file_name: &str) -> Result<Rows, SheetError> {
    if is_xlsx(bytes, file_name) {
        read_xlsx_rows(bytes)
    } else {
        read_csv_rows(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        let check = |i: usize, s: &str| assert_eq!(column_letter(i), s, "{i}");
        check(0, "A");
        check(4, "E");
        check(25, "Z");
        check(26, "AA");
        check(51, "AZ");
        check(52, "BA");
        check(701, "ZZ");
        check(702, "AAA");
    }

    #[test]
    fn excel_days() {
        assert_eq!(excel_date(45292.0), Some(jiff::civil::date(2024, 1, 1)));
        assert_eq!(excel_date(0.0), None);
        assert_eq!(excel_date(f64::NAN), None);
    }
}
