//! The indicator page: evaluation with its calculation record, chart, observations
//! with their sources, the source lines, related prose targets, submissions and the
//! audit trail; and the changes made from it (correction, assignment, reports).

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Extension, Router};
use planwatch_core::catalogue::Catalogue;
use planwatch_core::eval::input::{Input, interpret};
use planwatch_core::eval::plan::observations_for;
use planwatch_core::eval::record::{CalcRecord, NamedValue, plain_name};
use planwatch_store::{Department, IndicatorRow, ItemKind, NewSubmission, TargetRow};
use serde::Deserialize;

use super::dashboard::{Card, cards};
use super::forms::{CorrectionForm, Upload, apply_correction};
use super::trail::{SubmissionView, TrailRow, internal_record, trail};
use super::{Nav, PlanTabs, back, planned, readable};
use crate::auth::Viewer;
use crate::error::{AppError, PageResult};
use crate::extract::{Form, Multipart, Path};
use crate::fields;
use crate::state::AppState;
use crate::view::{attribute_label, num};

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans/{id}/indicators/{iid}", get(page))
        .route("/plans/{id}/indicators/{iid}/correct", post(correct))
        .route("/plans/{id}/indicators/{iid}/assign", post(assign))
        .route("/plans/{id}/indicators/{iid}/report", post(report))
        .route("/plans/{id}/targets/{tid}/correct", post(correct_target))
}

/// The 1-based page a line is on, given the line each page starts on (PDF); `None`
/// for unpaged documents.
pub fn page_of_line(page_starts: &[usize], line: i64) -> Option<u32> {
    let line = usize::try_from(line).ok()?;
    if page_starts.is_empty() {
        return None;
    }
    // Lines before the first start (a cover without text) count as page 1.
    let page = page_starts.partition_point(|&start| start <= line).max(1);
    u32::try_from(page).ok()
}

/// Mark the lines where a page starts, for a divider in the source panel.
pub fn mark_pages(lines: &mut [SourceLine], page_starts: &[usize]) {
    for line in lines {
        line.page_start = usize::try_from(line.n)
            .ok()
            .and_then(|n| page_starts.iter().position(|&s| s == n))
            .and_then(|k| u32::try_from(k + 1).ok());
    }
}

/// A line of the source text.
pub struct SourceLine {
    /// 1-based line number.
    pub n: i64,
    /// Text.
    pub text: String,
    /// The item starts here.
    pub hit: bool,
    /// The page (1-based) that starts at this line, for paged sources.
    pub page_start: Option<u32>,
}

/// Lines `from..=to` of a text (1-based), marking `hit`.
pub fn source_lines(text: Option<&str>, from: i64, to: i64, hit: i64) -> Vec<SourceLine> {
    let Some(text) = text else { return Vec::new() };
    text.lines()
        .enumerate()
        .map(|(i, l)| (i as i64 + 1, l))
        .filter(|(n, _)| *n >= from && *n <= to)
        .map(|(n, l)| SourceLine {
            n,
            text: l.to_string(),
            hit: n == hit,
            page_start: None,
        })
        .collect()
}

/// The table row an indicator comes from, as a row under its table's header
/// (a table flattened one cell per line reads as `286.4 |` line by line otherwise).
pub struct SourceRow {
    /// The table's caption.
    pub title: Option<String>,
    /// Column headers.
    pub header: Vec<String>,
    /// This row's cells.
    pub cells: Vec<String>,
    /// Lines the row spans.
    pub lines: (usize, usize),
}

/// The row of `plan`'s tables that starts on `line`.
pub fn source_row(plan: &planwatch_core::plan::Plan, line: i64) -> Option<SourceRow> {
    let line = usize::try_from(line).ok()?;
    plan.tables.iter().find_map(|t| {
        let i = t.rows.iter().position(|r| r.line == line)?;
        let row = &t.rows[i];
        // The row ends where the next one starts (or the table ends).
        let end = t
            .rows
            .get(i + 1)
            .map(|next| next.line.saturating_sub(1))
            .unwrap_or(t.line_end)
            .max(line);
        Some(SourceRow {
            title: t.title.clone(),
            header: t.header.clone(),
            cells: row.cells.clone(),
            lines: (line, end),
        })
    })
}

/// One observation with its source.
struct ObsRow {
    year: i64,
    value: String,
    kind: String,
    unit: String,
    source: String,
    source_url: String,
    vintage: String,
    note: String,
}

/// The calculation record as a clerk reads it: names in words, fractions as percentages;
/// the formulas with their symbols stay beside the results for whoever redoes them.
struct Record {
    method: String,
    inputs: Vec<(String, String)>,
    steps: Vec<(String, String, String)>,
    thresholds: Vec<(String, String)>,
    notes: Vec<String>,
}

impl Record {
    fn of(r: &CalcRecord) -> Record {
        let named = |v: &NamedValue| (plain_name(&v.name), v.value.clone());
        Record {
            method: r.method.clone(),
            inputs: r.inputs.iter().map(named).collect(),
            steps: r
                .steps
                .iter()
                .map(|s| (plain_name(&s.name), s.formula.clone(), s.shown_value()))
                .collect(),
            thresholds: r.thresholds.iter().map(named).collect(),
            notes: r.notes.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "indicator.html")]
struct IndicatorPage {
    nav: Nav,
    tabs: PlanTabs,
    ind: IndicatorRow,
    attribute: &'static str,
    department: String,
    card: Option<Card>,
    record: Option<Record>,
    observations: Vec<ObsRow>,
    source: Vec<SourceLine>,
    row: Option<SourceRow>,
    /// Page of the indicator's line, for PDF sources.
    page: Option<u32>,
    targets: Vec<(TargetRow, Vec<SourceLine>)>,
    departments: Vec<(Department, bool)>,
    can_report: bool,
    submissions: Vec<SubmissionView>,
    rows: Vec<TrailRow>,
    target_trails: Vec<(i64, Vec<TrailRow>)>,
}

fn same_indicator(a: &str, b: &str) -> bool {
    let cat = Catalogue::builtin();
    a == b || cat.key(a) == cat.key(b)
}

async fn page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, iid)): Path<(i64, i64)>,
) -> PageResult {
    let (view, tabs) = readable(&state, &viewer, id, "dashboard").await?;
    let ind = state.store.indicator(iid).await?;
    if ind.document_id != id {
        return Err(AppError::NotFound);
    }
    let index = view.target_of(&ind);
    let card = index.and_then(|i| cards(&view, i..i + 1).pop());
    let record = index
        .and_then(|i| view.eval.evaluations.get(i))
        .map(|e| Record::of(&e.record));
    let region = view
        .summary
        .region_name
        .clone()
        .or(view.plan.region.clone())
        .unwrap_or_default();
    let stored = state
        .store
        .region_observations(
            view.summary.region_id,
            Some(region.as_str()).filter(|r| !r.is_empty()),
        )
        .await?;
    let target = index.and_then(|i| view.eval.targets.get(i));
    let observations = stored
        .iter()
        .filter(|o| match (target, interpret(&o.data_row())) {
            (Some(t), Some(Input::Observation(x))) => !observations_for(t, &[x]).is_empty(),
            (None, _) => same_indicator(&o.indicator, &ind.name),
            _ => false,
        })
        .map(|o| ObsRow {
            year: o.year,
            value: num(o.value),
            kind: o.kind.label().to_string(),
            unit: o.unit.clone().unwrap_or_default(),
            source: o.source.clone(),
            source_url: o.source_url.clone().unwrap_or_default(),
            vintage: if o.vintage.is_empty() {
                "未注明".to_string()
            } else {
                o.vintage.clone()
            },
            note: o.note.clone().unwrap_or_default(),
        })
        .collect();
    let text = state.store.document_text(id).await?;
    let page_starts = state.store.document_page_starts(id).await?;
    // The page the parser gave the indicator; documents stored before pages were kept
    // on items fall back to the page starts of the stored parse.
    let page = ind
        .page
        .and_then(|p| u32::try_from(p).ok())
        .or_else(|| page_of_line(&page_starts, ind.line));
    // A table row is shown as a row; the raw lines stay below it for checking.
    let row = source_row(&view.plan, ind.line);
    let last = row.as_ref().map_or(ind.line + 5, |r| r.lines.1 as i64);
    let mut source = source_lines(text.as_deref(), ind.line - 1, last, ind.line);
    mark_pages(&mut source, &page_starts);
    let targets: Vec<(TargetRow, Vec<SourceLine>)> = state
        .store
        .targets_of(id)
        .await?
        .into_iter()
        .filter(|t| same_indicator(&t.indicator, &ind.name))
        .map(|t| {
            let lines = source_lines(text.as_deref(), t.line, t.line, t.line);
            (t, lines)
        })
        .collect();
    // The internal record (who changed what, submissions with notes and evidence) is for
    // those who read the plan through a grant; the public sees the approved figures only.
    let internal = tabs.internal;
    let mut target_trails = Vec::new();
    if internal {
        for (t, _) in &targets {
            target_trails.push((t.id, trail(&state, "target", t.id).await?));
        }
    }
    let departments = state.store.list_departments(view.summary.region_id).await?;
    let department = departments
        .iter()
        .find(|d| Some(d.id) == ind.department_id)
        .map(|d| d.name.clone())
        .unwrap_or_default();
    let (submissions, rows) = internal_record(&state, ItemKind::Indicator, iid, internal).await?;
    let page = IndicatorPage {
        nav: Nav::of(&viewer),
        can_report: viewer.can_report_indicator(&view.summary, &ind),
        tabs,
        attribute: attribute_label(ind.attribute),
        department,
        card,
        record,
        observations,
        source,
        row,
        page,
        targets,
        departments: departments
            .into_iter()
            .map(|d| {
                let selected = Some(d.id) == ind.department_id;
                (d, selected)
            })
            .collect(),
        submissions,
        rows,
        target_trails,
        ind,
    };
    Ok(Html(page.render()?).into_response())
}

async fn correct(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, iid)): Path<(i64, i64)>,
    Form(form): Form<CorrectionForm>,
) -> PageResult {
    planned(&state, &viewer, id).await?;
    let ind = state.store.indicator(iid).await?;
    if ind.document_id != id {
        return Err(AppError::NotFound);
    }
    let current = serde_json::to_value(&ind).map_err(|e| AppError::Internal(e.to_string()))?;
    apply_correction(&state, &viewer, ItemKind::Indicator, iid, &current, &form).await?;
    Ok(back(format!("/plans/{id}/indicators/{iid}")))
}

async fn correct_target(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, tid)): Path<(i64, i64)>,
    Form(form): Form<CorrectionForm>,
) -> PageResult {
    planned(&state, &viewer, id).await?;
    let t = state.store.target(tid).await?;
    if t.document_id != id {
        return Err(AppError::NotFound);
    }
    let current = serde_json::to_value(&t).map_err(|e| AppError::Internal(e.to_string()))?;
    apply_correction(&state, &viewer, ItemKind::Target, tid, &current, &form).await?;
    let to = form
        .back
        .as_ref()
        .filter(|b| safe_back(b, id))
        .cloned()
        .unwrap_or_else(|| format!("/plans/{id}/review"));
    Ok(back(to))
}

/// A return address a form may name: a page of the same plan, nothing that leaves it.
fn safe_back(to: &str, plan: i64) -> bool {
    to.starts_with(&format!("/plans/{plan}/"))
        && !to.contains("//")
        && !to.contains('\\')
        && to.chars().all(|c| c.is_ascii_graphic())
}

/// The form assigning an indicator to a department.
#[derive(Deserialize)]
pub struct AssignForm {
    version: Option<String>,
    department_id: Option<String>,
}

async fn assign(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, iid)): Path<(i64, i64)>,
    Form(form): Form<AssignForm>,
) -> PageResult {
    let doc = planned(&state, &viewer, id).await?;
    let ind = state.store.indicator(iid).await?;
    if ind.document_id != id {
        return Err(AppError::NotFound);
    }
    let version = fields::version(&form.version)?;
    let dep = fields::id("责任单位", &form.department_id)?;
    if let Some(d) = dep {
        let deps = state.store.list_departments(doc.region_id).await?;
        if !deps.iter().any(|x| x.id == d) {
            return Err(AppError::BadRequest("责任单位不属于本地区".into()));
        }
    }
    state
        .store
        .assign_indicator(iid, version, dep, &viewer.require()?.actor())
        .await?;
    Ok(back(format!("/plans/{id}/indicators/{iid}")))
}

async fn report(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, iid)): Path<(i64, i64)>,
    Multipart(mp): Multipart,
) -> PageResult {
    let identity = viewer.require()?;
    let doc = state.store.document_summary(id).await?;
    let ind = state.store.indicator(iid).await?;
    if ind.document_id != id {
        return Err(AppError::NotFound);
    }
    if !viewer.can_report_indicator(&doc, &ind) {
        return Err(AppError::Forbidden);
    }
    let form = Upload::read(mp, state.config.max_file_bytes).await?;
    let year = fields::year("年份", &form.raw("year"))?;
    let value = fields::number("数值", &form.raw("value"), ind.unit.as_deref())?;
    let progress = fields::multiline("进展情况", &form.raw("progress"), fields::TEXT_MAX)?;
    let new = NewSubmission {
        item_kind: ItemKind::Indicator,
        item_id: iid,
        department_id: ind.department_id,
        progress: progress.unwrap_or_default(),
        task_status: None,
        year: year.map(i64::from),
        value,
    };
    state
        .store
        .submit_progress(&new, &form.evidence("evidence"), &identity.actor())
        .await?;
    Ok(back(format!("/plans/{id}/indicators/{iid}")))
}

/// Options of the comparator select: code and label.
pub const COMPARATORS: &[(&str, &str)] = &[
    ("", "—"),
    ("eq", "等于/达到"),
    ("ge", "不低于(≥)"),
    ("gt", "高于(>)"),
    ("le", "不高于(≤)"),
    ("lt", "低于(<)"),
    ("approx", "左右"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::{opt_num, opt_text};

    /// The sample plan's table is flattened one cell per line (`286.4 |`); the page
    /// shows the row of 地区生产总值 under the table's header, with the lines it spans.
    #[test]
    fn a_flattened_table_row_reads_as_a_row() {
        let text = include_str!("../../../../samples/qingxi-plan.txt");
        let plan = planwatch_parse::parse_bytes(text.as_bytes(), "qingxi-plan.txt").unwrap();
        let line = text
            .lines()
            .position(|l| l.starts_with("地区生产总值(亿元)"))
            .unwrap() as i64
            + 1;
        let row = source_row(&plan, line).expect("a table row starts there");
        assert_eq!(row.lines, (line as usize, line as usize + 4));
        assert_eq!(row.header.first().map(String::as_str), Some("指标名称"));
        assert_eq!(row.header.len(), row.cells.len());
        let cells: Vec<&str> = row.cells.iter().map(String::as_str).collect();
        assert_eq!(cells[1..], ["286.4", "410", "7.5左右", "预期性"]);
        assert!(source_row(&plan, 1).is_none(), "not a table line");
    }

    #[test]
    fn source_windows() {
        let text = "一\n二\n三\n四";
        let got: Vec<(i64, bool)> = source_lines(Some(text), 2, 9, 3)
            .iter()
            .map(|l| (l.n, l.hit))
            .collect();
        assert_eq!(got, [(2, false), (3, true), (4, false)]);
        assert!(source_lines(None, 1, 2, 1).is_empty());
        assert_eq!(opt_num(&Some(2.50)), "2.5");
        assert_eq!(opt_text(None), "—");
    }

    #[test]
    fn lines_fall_on_their_pages_and_page_starts_are_marked() {
        let starts = [3, 40, 90];
        assert_eq!(page_of_line(&starts, 1), Some(1), "before the first start");
        assert_eq!(page_of_line(&starts, 39), Some(1));
        assert_eq!(page_of_line(&starts, 40), Some(2));
        assert_eq!(page_of_line(&starts, 500), Some(3));
        assert_eq!(page_of_line(&[], 5), None);
        let text = (1..=45)
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        let mut lines = source_lines(Some(&text), 38, 42, 0);
        mark_pages(&mut lines, &starts);
        let marked: Vec<(i64, Option<u32>)> = lines.iter().map(|l| (l.n, l.page_start)).collect();
        assert_eq!(
            marked,
            [
                (38, None),
                (39, None),
                (40, Some(2)),
                (41, None),
                (42, None)
            ]
        );
    }

    #[test]
    fn return_addresses_stay_in_the_plan() {
        assert!(safe_back("/plans/3/review", 3));
        assert!(safe_back("/plans/3/indicators/9#t2", 3));
        assert!(!safe_back("/plans/4/review", 3));
        assert!(!safe_back("/plans/3//evil.example", 3));
        assert!(!safe_back("/plans/3/\\evil.example", 3));
        assert!(!safe_back("https://evil.example/plans/3/", 3));
        assert!(!safe_back("/plans/3/\u{202E}x", 3));
    }
}
