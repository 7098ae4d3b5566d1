//! The key-project dispatch table (重点项目调度表) as offices circulate it: one row per
//! project with this period's and the year's cumulative investment, grouped by field
//! (一、产业 …), each group closed by a 小计 row, a 合计 row at the end. The classes and
//! figures are the store's ledger (`Store::project_ledger`); this module only lays them out.

use planwatch_core::projects::{Cadence, ProjectField, Totals};
use planwatch_store::{LedgerRow, Store};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook};

use crate::ReportError;
use crate::error::plan_document;
use crate::ledger::Cell;

/// Columns of the table: header and width.
pub const HEADERS: &[(&str, f64)] = &[
    ("序号", 6.0),
    ("项目名称", 30.0),
    ("责任单位", 14.0),
    ("建设地点", 12.0),
    ("建设期", 11.0),
    ("总投资（万元）", 12.0),
    ("年度计划投资（万元）", 12.0),
    ("本期完成投资（万元）", 12.0),
    ("本年累计完成投资（万元）", 13.0),
    ("年度投资完成率", 10.0),
    ("开工以来累计完成投资（万元）", 14.0),
    ("项目类别", 10.0),
    ("情况说明", 40.0),
];

/// What a row of the table is.
#[derive(Debug, Clone, PartialEq)]
pub enum RowKind {
    /// A field's heading (`一、产业（3个）`).
    Group,
    /// One project.
    Project,
    /// A field's 小计.
    Subtotal,
    /// The 合计 of all projects.
    Total,
}

/// The table before it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Dispatch {
    /// `青溪县重点项目调度表（2024年6月）`.
    pub title: String,
    /// Rows in order.
    pub rows: Vec<(RowKind, Vec<Cell>)>,
}

const CHINESE_NUMBERS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn money(v: Option<f64>) -> Cell {
    v.map_or(Cell::Empty, |v| Cell::Number((v * 100.0).round() / 100.0))
}

fn rate(v: Option<f64>) -> Cell {
    v.map_or(Cell::Empty, |r| Cell::Text(format!("{:.1}%", r * 100.0)))
}

fn sum_row(label: &str, t: &Totals) -> Vec<Cell> {
    let mut row = vec![Cell::Empty, Cell::Text(format!("{label}（{}个）", t.count))];
    row.extend([Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]);
    row.push(money(Some(t.planned)));
    row.push(money(Some(t.this_period)));
    row.push(money(Some(t.completed_all)));
    row.push(rate(t.rate()));
    row.push(Cell::Empty);
    let behind = t.of(planwatch_core::projects::ProjectClass::Lagging)
        + t.of(planwatch_core::projects::ProjectClass::SeverelyLagging);
    row.push(Cell::Text(format!("滞后{behind}个")));
    row.push(Cell::Empty);
    row
}

fn project_row(n: usize, r: &LedgerRow) -> Vec<Cell> {
    let p = &r.project;
    let a = &r.assessment;
    let period = match (p.period_start, p.period_end) {
        (Some(s), Some(e)) => format!("{s}—{e}年"),
        (Some(s), None) => format!("{s}年起"),
        _ => String::new(),
    };
    vec![
        Cell::Number(n as f64),
        Cell::Text(p.name.clone()),
        p.department.clone().map_or(Cell::Empty, Cell::Text),
        p.location.clone().map_or(Cell::Empty, Cell::Text),
        if period.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(period)
        },
        money(planwatch_store::projects::total_wan(p)),
        money(a.planned),
        money(a.this_period),
        money(Some(a.year_to_date)),
        rate(a.completion),
        money(a.cumulative),
        Cell::Text(a.class.label().to_string()),
        Cell::Text(a.reason.clone()),
    ]
}

/// Lay out ledger rows as the dispatch table: fields in the order of
/// [`ProjectField::all`], projects without a field last under 未分类.
pub fn dispatch(title: String, rows: &[LedgerRow]) -> Dispatch {
    let mut out = Vec::new();
    let mut groups: Vec<(Option<ProjectField>, &str)> = ProjectField::all()
        .iter()
        .map(|f| (Some(*f), f.label()))
        .collect();
    groups.push((None, "未分类"));
    let mut n = 0;
    let mut g = 0;
    for (field, label) in groups {
        let members: Vec<&LedgerRow> = rows.iter().filter(|r| r.project.field == field).collect();
        if members.is_empty() {
            continue;
        }
        let number = CHINESE_NUMBERS.get(g).copied().unwrap_or("十");
        g += 1;
        let heading = format!("{number}、{label}（{}个）", members.len());
        let mut row = vec![Cell::Empty, Cell::Text(heading)];
        row.resize(HEADERS.len(), Cell::Empty);
        out.push((RowKind::Group, row));
        let mut totals = Totals::default();
        for r in members {
            n += 1;
            totals.add(&r.assessment);
            out.push((RowKind::Project, project_row(n, r)));
        }
        out.push((RowKind::Subtotal, sum_row("小计", &totals)));
    }
    let mut all = Totals::default();
    for r in rows {
        all.add(&r.assessment);
    }
    out.push((RowKind::Total, sum_row("合计", &all)));
    Dispatch { title, rows: out }
}

/// The dispatch table of a stored plan at the end of (`year`, `month`).
pub async fn build_dispatch(
    store: &Store,
    plan_id: i64,
    year: i32,
    month: u8,
) -> Result<Dispatch, ReportError> {
    let doc = plan_document(store, plan_id).await?;
    let cadence: Cadence = store.project_tracking(plan_id).await?.cadence;
    let rows = store
        .project_ledger(plan_id, i64::from(year), month)
        .await?;
    let region = doc.summary.region_name.clone().unwrap_or_default();
    let title = format!(
        "{region}重点项目调度表（{}）",
        cadence.label_of(year, month)
    );
    Ok(dispatch(title, &rows))
}

/// The table as XLSX bytes: a merged title row, a frozen header, bold group, subtotal
/// and total rows.
pub fn dispatch_xlsx(d: &Dispatch) -> Result<Vec<u8>, ReportError> {
    let mut book = Workbook::new();
    let border = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let title = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center);
    let header = border
        .clone()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_align(FormatAlign::Center);
    let strong = border
        .clone()
        .set_bold()
        .set_background_color(Color::RGB(0xF2F2F2));
    let ws = book.add_worksheet();
    ws.set_name("重点项目调度表")?;
    let last = (HEADERS.len() - 1) as u16;
    ws.merge_range(0, 0, 0, last, &d.title, &title)?;
    for (c, (h, w)) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &header)?;
        ws.set_column_width(c as u16, *w)?;
    }
    for (i, (kind, cells)) in d.rows.iter().enumerate() {
        let r = (i + 2) as u32;
        let f = if *kind == RowKind::Project {
            &border
        } else {
            &strong
        };
        for (c, cell) in cells.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => ws.write_string_with_format(r, c, s, f)?,
                Cell::Number(v) => ws.write_number_with_format(r, c, *v, f)?,
                Cell::Empty => ws.write_blank(r, c, f)?,
            };
        }
    }
    ws.set_freeze_panes(2, 2)?;
    Ok(book.save_to_buffer()?)
}
