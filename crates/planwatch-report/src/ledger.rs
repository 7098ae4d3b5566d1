//! The monitoring ledger of a stored plan as an XLSX workbook: 指标监测表 (indicators
//! with baseline, target and latest actual) and 任务分解表 (tasks with departments,
//! deadline and progress), optionally one sheet per department.

use std::collections::{BTreeMap, HashMap};

use planwatch_core::actuals::DataKind;
use planwatch_core::plan::Attribute;
use planwatch_store::{IndicatorRow, Observation, Store, TaskRow};

use crate::ReportError;
use crate::error::plan_document;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook};

/// One cell of a ledger sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// Nothing.
    Empty,
}

impl Cell {
    fn text(s: Option<&str>) -> Cell {
        match s {
            Some(s) if !s.is_empty() => Cell::Text(s.to_string()),
            _ => Cell::Empty,
        }
    }

    fn number(v: Option<f64>) -> Cell {
        v.map(Cell::Number).unwrap_or(Cell::Empty)
    }

    fn int(v: Option<i64>) -> Cell {
        v.map(|v| Cell::Number(v as f64)).unwrap_or(Cell::Empty)
    }
}

/// A sheet: name, headers with column widths, rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Sheet name (at most 31 characters, no `[]:*?/\`).
    pub name: String,
    /// Header text and column width.
    pub headers: Vec<(&'static str, f64)>,
    /// Body rows.
    pub rows: Vec<Vec<Cell>>,
}

/// The workbook before it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Ledger {
    /// Sheets in order.
    pub sheets: Vec<Sheet>,
}

impl Ledger {
    /// A one-line zh-CN summary (sheets and rows).
    pub fn describe(&self) -> String {
        self.sheets
            .iter()
            .map(|s| format!("{} {} 行", s.name, s.rows.len()))
            .collect::<Vec<_>>()
            .join("，")
    }
}

const INDICATOR_HEADERS: &[(&str, f64)] = &[
    ("序号", 6.0),
    ("类别", 14.0),
    ("指标名称", 28.0),
    ("单位", 8.0),
    ("属性", 8.0),
    ("基期年份", 9.0),
    ("基期值", 10.0),
    ("目标年份", 9.0),
    ("目标值", 12.0),
    ("年均增长", 10.0),
    ("最新实际值", 11.0),
    ("实际值年份", 10.0),
    ("责任单位", 16.0),
    ("原文行号", 9.0),
];

const TASK_HEADERS: &[(&str, f64)] = &[
    ("序号", 6.0),
    ("任务内容", 50.0),
    ("牵头单位", 16.0),
    ("配合单位", 24.0),
    ("完成时限", 10.0),
    ("进展", 30.0),
    ("状态", 8.0),
    ("所属章节", 20.0),
    ("原文行号", 9.0),
];

fn attribute_label(a: Option<Attribute>) -> Option<&'static str> {
    a.map(Attribute::label)
}

/// The latest level or share observation for an indicator: by its name or its
/// catalogue name, highest year, then latest vintage.
fn latest_actual<'a>(ind: &IndicatorRow, obs: &'a [Observation]) -> Option<&'a Observation> {
    obs.iter()
        .filter(|o| matches!(o.kind, DataKind::Level | DataKind::Share))
        .filter(|o| {
            o.indicator == ind.name
                || ind
                    .canonical_name
                    .as_deref()
                    .is_some_and(|c| o.indicator == c || o.canonical_name.as_deref() == Some(c))
        })
        .max_by(|a, b| (a.year, &a.vintage, a.id).cmp(&(b.year, &b.vintage, b.id)))
}

/// A value as written (`≤5以内`, `[13.5]`, `完成省下达任务`) when the text still says
/// the stored number; the number alone when a correction changed it.
fn value_cell(text: Option<&str>, value: Option<f64>) -> Cell {
    match (text, value) {
        (Some(t), Some(v)) if planwatch_core::quantity::parse_value(t).value == Some(v) => {
            Cell::Text(t.to_string())
        }
        (_, Some(v)) => Cell::Number(v),
        (t, None) => Cell::text(t),
    }
}

fn indicator_rows(
    inds: &[IndicatorRow],
    obs: &[Observation],
    deps: &HashMap<i64, String>,
) -> Vec<Vec<Cell>> {
    inds.iter()
        .filter(|i| !i.rejected)
        .enumerate()
        .map(|(n, i)| {
            let actual = latest_actual(i, obs);
            vec![
                Cell::Number((n + 1) as f64),
                Cell::text(i.category.as_deref()),
                Cell::Text(i.name.clone()),
                Cell::text(i.unit.as_deref()),
                Cell::text(attribute_label(i.attribute)),
                Cell::int(i.baseline_year),
                value_cell(i.baseline_text.as_deref(), i.baseline_value),
                Cell::int(i.target_year),
                value_cell(i.target_text.as_deref(), i.target_value),
                Cell::text(i.growth_text.as_deref()),
                Cell::number(actual.map(|o| o.value)),
                Cell::int(actual.map(|o| o.year)),
                Cell::text(
                    i.department_id
                        .and_then(|d| deps.get(&d))
                        .map(String::as_str),
                ),
                Cell::Number(i.line as f64),
            ]
        })
        .collect()
}

fn task_rows<'a>(tasks: impl Iterator<Item = &'a TaskRow>) -> Vec<Vec<Cell>> {
    tasks
        .enumerate()
        .map(|(n, t)| {
            vec![
                Cell::Number((n + 1) as f64),
                Cell::Text(t.text.clone()),
                Cell::text(t.lead_department.as_deref()),
                Cell::text(Some(&t.support_departments.join("、"))),
                Cell::text(t.deadline.as_deref()),
                Cell::text(t.progress.as_deref()),
                Cell::Text(t.status.label().to_string()),
                Cell::text(t.chapter.as_deref()),
                Cell::Number(t.line as f64),
            ]
        })
        .collect()
}

/// A valid, unique sheet name: forbidden characters replaced, at most 31 characters.
fn sheet_name(name: &str, taken: &[String]) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') {
                '_'
            } else {
                c
            }
        })
        .take(28)
        .collect();
    let clean = if clean.trim().is_empty() {
        "部门".to_string()
    } else {
        clean
    };
    let mut candidate = clean.clone();
    let mut n = 2;
    while taken.iter().any(|t| t == &candidate) {
        candidate = format!("{clean}{n}");
        n += 1;
    }
    candidate
}

/// Build the ledger of a stored plan.
pub async fn build_ledger(
    store: &Store,
    plan_id: i64,
    by_department: bool,
) -> Result<Ledger, ReportError> {
    let doc = plan_document(store, plan_id).await?;
    let inds = store.indicators_of(plan_id).await?;
    let tasks = store.tasks_of(plan_id, None).await?;
    let deps: HashMap<i64, String> = store
        .list_departments(None)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let obs = store
        .region_observations(doc.summary.region_id, doc.summary.region_name.as_deref())
        .await?;

    let live: Vec<&TaskRow> = tasks.iter().filter(|t| !t.rejected).collect();
    let mut sheets = vec![
        Sheet {
            name: "指标监测表".into(),
            headers: INDICATOR_HEADERS.to_vec(),
            rows: indicator_rows(&inds, &obs, &deps),
        },
        Sheet {
            name: "任务分解表".into(),
            headers: TASK_HEADERS.to_vec(),
            rows: task_rows(live.iter().copied()),
        },
    ];
    if by_department {
        let mut per: BTreeMap<String, Vec<&TaskRow>> = BTreeMap::new();
        for t in &live {
            for d in t.lead_department.iter().chain(t.support_departments.iter()) {
                per.entry(d.clone()).or_default().push(t);
            }
        }
        for (dep, list) in per {
            let taken: Vec<String> = sheets.iter().map(|s| s.name.clone()).collect();
            sheets.push(Sheet {
                name: sheet_name(&dep, &taken),
                headers: TASK_HEADERS.to_vec(),
                rows: task_rows(list.into_iter()),
            });
        }
    }
    Ok(Ledger { sheets })
}

/// The ledger as XLSX bytes: bold shaded header, frozen header row, filters, column
/// widths, wrapped text. Written to memory; callers save or send the bytes.
pub fn workbook_bytes(ledger: &Ledger) -> Result<Vec<u8>, ReportError> {
    let mut book = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let body = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    for sheet in &ledger.sheets {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.name)?;
        for (c, (title, width)) in sheet.headers.iter().enumerate() {
            let c = c as u16;
            ws.write_string_with_format(0, c, *title, &header)?;
            ws.set_column_width(c, *width)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = (r + 1) as u32;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => ws.write_string_with_format(r, c, s, &body)?,
                    Cell::Number(v) => ws.write_number_with_format(r, c, *v, &body)?,
                    Cell::Empty => ws.write_blank(r, c, &body)?,
                };
            }
        }
        ws.set_freeze_panes(1, 0)?;
        let last_col = sheet.headers.len().saturating_sub(1) as u16;
        ws.autofilter(0, 0, sheet.rows.len() as u32, last_col)?;
    }
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_cells_keep_text_unless_corrected() {
        let check = |text: Option<&str>, value: Option<f64>, expect: Cell| {
            assert_eq!(value_cell(text, value), expect, "{text:?} {value:?}")
        };
        check(Some("≤5以内"), Some(5.0), Cell::Text("≤5以内".into()));
        check(Some("[13.5]"), Some(13.5), Cell::Text("[13.5]".into()));
        check(Some("1130"), Some(1150.0), Cell::Number(1150.0));
        check(
            Some("完成省下达任务"),
            None,
            Cell::Text("完成省下达任务".into()),
        );
        check(None, Some(2.5), Cell::Number(2.5));
        check(None, None, Cell::Empty);
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let check = |name: &str, taken: &[&str], expect: &str| {
            let taken: Vec<String> = taken.iter().map(|s| s.to_string()).collect();
            assert_eq!(sheet_name(name, &taken), expect);
        };
        check("区发改局", &[], "区发改局");
        check("区发改局", &["区发改局"], "区发改局2");
        check("区发改局", &["区发改局", "区发改局2"], "区发改局3");
        check("a/b:c", &[], "a_b_c");
        check(" ", &[], "部门");
        assert_eq!(sheet_name(&"长".repeat(40), &[]).chars().count(), 28);
    }
}
