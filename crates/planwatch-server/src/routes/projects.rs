//! Key projects (重点项目调度): the ledger with filters, totals and roll-ups by
//! department and by field; a project's page with its year plans and report history;
//! the responsible unit's period report. Approval and return go through the review
//! routes like every submission. The class rule is `planwatch_core::projects::assess`
//! (docs/projects.md); this module only shows it.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Extension, Router};
use jiff::civil::Date;
use planwatch_core::projects::{Cadence, ProjectClass, ProjectField, Totals};
use planwatch_report::dispatch::{build_dispatch, dispatch_xlsx};
use planwatch_store::{
    Code, Department, DocumentSummary, LedgerFilter, LedgerRow, NewProjectReport, ProjectReport,
    ProjectRow, ProjectYear, ledger_totals,
};
use serde::Deserialize;

use super::forms::Upload;
use super::project_plans::YearForm;
use super::{Nav, PlanTabs, back, readable};
use crate::auth::{Identity, Viewer};
use crate::error::{AppError, PageResult};
use crate::extract::{Multipart, Path, Query};
use crate::fields;
use crate::paging::{PAGE_SIZE, Pager};
use crate::state::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans/{id}/projects", get(ledger))
        .route("/plans/{id}/projects/dispatch.xlsx", get(dispatch))
        .route("/plans/{id}/projects/{pid}", get(project_page))
        .route("/plans/{id}/projects/{pid}/report", post(report))
}

/// Today in China (UTC+8 all year, no daylight saving).
pub(super) fn today() -> Date {
    jiff::tz::Offset::constant(8)
        .to_datetime(jiff::Timestamp::now())
        .date()
}

/// Ledger filters and period, as the query string gives them.
#[derive(Deserialize, Default)]
pub struct Filter {
    year: Option<String>,
    month: Option<String>,
    department: Option<String>,
    field: Option<String>,
    class: Option<String>,
}

/// One group of a roll-up, ready to show.
struct Group {
    name: String,
    totals: Totals,
}

impl Group {
    fn rate(&self) -> String {
        self.totals.rate().as_ref().map_or("—".into(), percent)
    }
}

fn percent(x: &f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// An amount in 万元, as the ledger shows it.
fn wan(x: &f64) -> String {
    crate::view::num(*x)
}

fn opt_wan(x: &Option<f64>) -> String {
    x.as_ref().map_or("—".into(), wan)
}

/// Projects of a class in a group.
fn count(t: &Totals, c: &ProjectClass) -> usize {
    t.of(*c)
}

/// Projects behind schedule (滞后 and 严重滞后) in a group.
fn behind(t: &Totals) -> usize {
    t.of(ProjectClass::Lagging) + t.of(ProjectClass::SeverelyLagging)
}

/// `2023年4月1日`.
fn day(d: &Date) -> String {
    planwatch_core::projects::zh_day(*d)
}

#[derive(Template)]
#[template(path = "projects.html")]
struct LedgerPage {
    nav: Nav,
    tabs: PlanTabs,
    period: String,
    year: i64,
    month: u8,
    /// This page's rows; totals and roll-ups are those of the whole filtered list.
    rows: Vec<LedgerRow>,
    pager: Pager,
    totals: Group,
    /// Roll-ups: (title, table id, groups).
    rollups: Vec<(&'static str, &'static str, Vec<Group>)>,
    departments: Vec<(Department, bool)>,
    fields: Vec<(&'static str, &'static str, bool)>,
    classes: Vec<(&'static str, &'static str, bool)>,
    months: Vec<(u8, bool)>,
    /// Reporting cadences (code, label, chosen) and the version the form saw.
    cadences: Vec<(&'static str, &'static str, bool)>,
    cadence_version: i64,
    /// The newer version of this plan, which holds the tracking now.
    successor: Option<i64>,
}

fn class_badge(c: &ProjectClass) -> &'static str {
    match c {
        ProjectClass::Normal => "ok",
        ProjectClass::Lagging => "warn",
        ProjectClass::SeverelyLagging => "bad",
        ProjectClass::NotStarted => "muted",
        ProjectClass::Completed => "done",
    }
}

fn field_label(f: &Option<ProjectField>) -> &'static str {
    f.map_or("未分类", ProjectField::label)
}

/// The period a query asks for; by default the latest one with an approved report (so a
/// finished plan opens on its last reported month, not on an empty current one), else
/// the last one closed (China time).
async fn period(
    state: &AppState,
    plan: i64,
    q: &Filter,
    cadence: Cadence,
) -> Result<(i32, u8), AppError> {
    let closed = cadence.last_closed(today());
    let reported = state
        .store
        .approved_project_figures(plan, i64::from(closed.0))
        .await?
        .into_iter()
        .map(|f| (f.report.year, f.report.month))
        .filter(|p| *p <= closed)
        .max();
    let (default_year, default_month) = reported.unwrap_or(closed);
    let year = fields::year("年份", &q.year)?.unwrap_or(default_year);
    let month = fields::int_in("月份", &q.month, 1..=12)?.map_or(default_month, |m| m as u8);
    Ok((year, month))
}

/// The 调度表 of the period as XLSX.
async fn dispatch(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Query(q): Query<Filter>,
) -> PageResult {
    readable(&state, &viewer, id, "projects").await?;
    let cadence = state.store.project_tracking(id).await?.cadence;
    let (year, month) = period(&state, id, &q, cadence).await?;
    let table = build_dispatch(&state.store, id, year, month).await?;
    // Writing a workbook is CPU work: the bounded pool, not an async worker.
    let bytes = state.heavy.run(move || dispatch_xlsx(&table)).await??;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"plan-{id}-dispatch-{year}-{month:02}.xlsx\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

async fn ledger(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Query(q): Query<Filter>,
    RawQuery(query): RawQuery,
) -> PageResult {
    let (view, tabs) = readable(&state, &viewer, id, "projects").await?;
    let tracking = state.store.project_tracking(id).await?;
    let cadence = tracking.cadence;
    let (year, month) = period(&state, id, &q, cadence).await?;
    let bad = |what: &str| AppError::BadRequest(format!("未知的{what}"));
    let filter = LedgerFilter {
        department_id: fields::id("责任单位", &q.department)?,
        field: match fields::present(&q.field) {
            Some(f) => Some(ProjectField::from_code(f).ok_or_else(|| bad("领域"))?),
            None => None,
        },
        class: match fields::present(&q.class) {
            Some(c) => Some(ProjectClass::from_code(c).ok_or_else(|| bad("项目类别"))?),
            None => None,
        },
    };
    // A re-ingested plan carries its projects' tracking to the new version (year plans,
    // reports, units): the old version's ledger would show every project unplanned.
    let successor = state
        .store
        .list_documents()
        .await?
        .into_iter()
        .find(|d| d.supersedes_id == Some(id))
        .map(|d| d.id);
    let all = match successor {
        Some(_) => Vec::new(),
        None => {
            state
                .store
                .project_ledger(id, i64::from(year), month)
                .await?
        }
    };
    let rows: Vec<LedgerRow> = all.into_iter().filter(|r| filter.keeps(r)).collect();
    let group = |key: &dyn Fn(&LedgerRow) -> String| -> Vec<Group> {
        Totals::group(rows.iter().map(|r| (key(r), &r.assessment)))
            .into_iter()
            .map(|(name, totals)| Group { name, totals })
            .collect()
    };
    let by_department = group(&|r| {
        r.project
            .department
            .clone()
            .unwrap_or_else(|| "未指定责任单位".into())
    });
    let by_field = group(&|r| field_label(&r.project.field).to_string());
    let departments = state
        .store
        .list_departments(view.summary.region_id)
        .await?
        .into_iter()
        .map(|d| {
            let on = filter.department_id == Some(d.id);
            (d, on)
        })
        .collect();
    let totals = Group {
        name: "合计".into(),
        totals: ledger_totals(&rows),
    };
    let (rows, pager) = Pager::cut(rows, query.as_deref(), PAGE_SIZE)?;
    let page = LedgerPage {
        nav: Nav::of(&viewer),
        tabs,
        period: cadence.label_of(year, month),
        year: i64::from(year),
        month,
        totals,
        rows,
        pager,
        rollups: vec![
            ("按责任单位", "by-department", by_department),
            ("按领域", "by-field", by_field),
        ],
        departments,
        fields: ProjectField::all()
            .iter()
            .map(|f| (f.code(), f.label(), filter.field == Some(*f)))
            .collect(),
        classes: ProjectClass::all()
            .iter()
            .map(|c| (c.code(), c.label(), filter.class == Some(*c)))
            .collect(),
        months: cadence.months().iter().map(|m| (*m, *m == month)).collect(),
        cadences: [Cadence::Month, Cadence::Quarter]
            .iter()
            .map(|c| (c.code(), c.label(), *c == cadence))
            .collect(),
        cadence_version: tracking.version,
        successor,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Template)]
#[template(path = "project.html")]
struct ProjectPage {
    nav: Nav,
    tabs: PlanTabs,
    project: ProjectRow,
    years: Vec<ProjectYear>,
    reports: Vec<(String, ProjectReport)>,
    can_report: bool,
    /// The cadence's months, the one due next chosen.
    months: Vec<(u8, bool)>,
    /// The year of the period due next.
    year: i32,
    /// The planner's year-plan form (shown to planners only).
    year_form: YearForm,
}

/// A project of plan `id`, or 404.
pub(super) async fn load(state: &AppState, id: i64, pid: i64) -> Result<ProjectRow, AppError> {
    let p = state.store.project(pid).await?;
    if p.document_id != id {
        return Err(AppError::NotFound);
    }
    Ok(p)
}

/// Planners of the plan report on any project, a department's editors on the
/// projects their department is responsible for.
fn can_report(viewer: &Viewer, doc: &DocumentSummary, p: &ProjectRow) -> bool {
    viewer.can_plan(doc)
        || viewer
            .identity
            .as_ref()
            .is_some_and(|i| i.edits_for(p.department_id))
}

/// The project page's query: which year the year-plan form edits.
#[derive(Deserialize, Default)]
pub struct ProjectQuery {
    plan_year: Option<String>,
}

async fn project_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, pid)): Path<(i64, i64)>,
    Query(q): Query<ProjectQuery>,
) -> PageResult {
    let cadence = state.store.project_tracking(id).await?.cadence;
    let year = fields::year("计划年度", &q.plan_year)?.unwrap_or(cadence.last_closed(today()).0);
    let years = state.store.project_years(pid).await?;
    let form = YearForm::of(year, years.iter().find(|y| y.year == i64::from(year)));
    Ok(project_page_with(&state, &viewer, id, pid, form)
        .await?
        .into_response())
}

/// The project page with the year-plan form as given (filled, or refused with errors).
pub(super) async fn project_page_with(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    pid: i64,
    year_form: YearForm,
) -> Result<Html<String>, AppError> {
    let (view, tabs) = readable(state, viewer, id, "projects").await?;
    let project = load(state, id, pid).await?;
    let cadence = state.store.project_tracking(id).await?.cadence;
    let all = state.store.project_reports(pid).await?;
    // The form proposes the period after the latest report (the one due next).
    let latest = all.iter().map(|r| (r.year as i32, r.month as u8)).max();
    let (year, month) = cadence.due_after(latest, today());
    // Reports and reviewers' notes are internal: shown through a grant only.
    let reports = if tabs.internal {
        all.into_iter()
            .map(|r| (cadence.label_of(r.year as i32, r.month as u8), r))
            .collect()
    } else {
        Vec::new()
    };
    let page = ProjectPage {
        nav: Nav::of(viewer),
        can_report: can_report(viewer, &view.summary, &project),
        years: state.store.project_years(pid).await?,
        tabs,
        project,
        reports,
        months: cadence.months().iter().map(|m| (*m, *m == month)).collect(),
        year,
        year_form,
    };
    Ok(Html(page.render()?))
}

/// An optional date field (`2024-03-15`), its label in the error.
pub(super) fn date(label: &str, raw: &Option<String>) -> Result<Option<Date>, AppError> {
    match fields::present(raw) {
        None => Ok(None),
        Some(v) => planwatch_core::validate::date(label, v)
            .map_err(AppError::BadRequest)?
            .parse()
            .map(Some)
            .map_err(|_| AppError::BadRequest(format!("{label}无效"))),
    }
}

/// A period report from raw fields (a web form's or the API's), each checked and named
/// in its error. An editor of the responsible unit reports for it; a planner for the
/// office (no department).
pub(super) fn new_report(
    identity: &Identity,
    project: &ProjectRow,
    raw: impl Fn(&str) -> Option<String>,
) -> Result<NewProjectReport, AppError> {
    let money = |label: &str, name: &str| fields::number(label, &raw(name), Some("万元"));
    let required = |label: &str| AppError::BadRequest(format!("{label}不能为空"));
    let department_id = identity
        .edits_for(project.department_id)
        .then_some(project.department_id)
        .flatten();
    Ok(NewProjectReport {
        project_id: project.id,
        department_id,
        year: i64::from(
            fields::year("报送年份", &raw("year"))?.ok_or_else(|| required("报送年份"))?,
        ),
        month: fields::int_in("报送月份", &raw("month"), 1..=12)?
            .ok_or_else(|| required("报送月份"))?,
        investment: money("本期完成投资", "investment")?.ok_or_else(|| required("本期完成投资"))?,
        cumulative: money("累计完成投资", "cumulative")?,
        progress: fields::multiline("形象进度", &raw("progress"), fields::TEXT_MAX)?
            .unwrap_or_default(),
        started_on: date("实际开工日期", &raw("started_on"))?,
        finished_on: date("实际竣工日期", &raw("finished_on"))?,
        problems: fields::multiline("存在问题", &raw("problems"), fields::TEXT_MAX)?,
        help_needed: fields::multiline("需协调事项", &raw("help_needed"), fields::TEXT_MAX)?,
    })
}

/// The project and the viewer's identity, if the viewer may report on it.
pub(super) async fn reporter(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    pid: i64,
) -> Result<(Identity, ProjectRow), AppError> {
    let identity = viewer.require()?.clone();
    let doc = state.store.document_summary(id).await?;
    let project = load(state, id, pid).await?;
    if !can_report(viewer, &doc, &project) {
        return Err(AppError::Forbidden);
    }
    Ok((identity, project))
}

async fn report(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, pid)): Path<(i64, i64)>,
    Multipart(mp): Multipart,
) -> PageResult {
    let (identity, project) = reporter(&state, &viewer, id, pid).await?;
    let form = Upload::read(mp, state.config.max_file_bytes).await?;
    let new = new_report(&identity, &project, |name| form.raw(name))?;
    state
        .store
        .submit_project_report(&new, &form.evidence("evidence"), &identity.actor())
        .await?;
    Ok(back(format!("/plans/{id}/projects/{pid}")))
}
