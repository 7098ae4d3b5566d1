//! The task ledger (filtered by department and status) and the task page: progress
//! reports with evidence by the responsible departments, corrections and assignment
//! by the planner, submissions and the audit trail.

use planwatch_store::Code;

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Extension, Router};
use planwatch_store::{Department, ItemKind, NewSubmission, TaskRow, TaskStatus};
use serde::Deserialize;

use super::forms::{CorrectionForm, Upload, apply_correction};
use super::indicator::{SourceLine, page_of_line, source_lines};
use super::trail::{SubmissionView, TrailRow, internal_record};
use super::{Nav, PlanTabs, back, planned, readable};
use crate::auth::Viewer;
use crate::error::{AppError, PageResult};
use crate::extract::{Form, Multipart, Path, Query};
use crate::fields;
use crate::paging::{PAGE_SIZE, Pager};
use crate::state::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans/{id}/tasks", get(ledger))
        .route("/plans/{id}/tasks/{tid}", get(task_page))
        .route("/plans/{id}/tasks/{tid}/correct", post(correct))
        .route("/plans/{id}/tasks/{tid}/assign", post(assign))
        .route("/plans/{id}/tasks/{tid}/report", post(report))
}

/// Status options: code and label.
const STATUSES: &[TaskStatus] = &[
    TaskStatus::NotStarted,
    TaskStatus::InProgress,
    TaskStatus::Done,
    TaskStatus::Delayed,
];

/// Ledger filters.
#[derive(Deserialize, Default)]
pub struct Filter {
    department: Option<String>,
    status: Option<String>,
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct LedgerPage {
    nav: Nav,
    tabs: PlanTabs,
    tasks: Vec<TaskRow>,
    pager: Pager,
    departments: Vec<(Department, bool)>,
    statuses: Vec<(&'static str, &'static str, bool)>,
    total: usize,
}

async fn ledger(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Query(filter): Query<Filter>,
    RawQuery(query): RawQuery,
) -> PageResult {
    let (view, tabs) = readable(&state, &viewer, id, "tasks").await?;
    let department = fields::id("部门", &filter.department)?;
    let status = match fields::present(&filter.status) {
        None => None,
        Some(s) => Some(
            TaskStatus::parse(s).ok_or_else(|| AppError::BadRequest("未知的任务状态".into()))?,
        ),
    };
    let all = state.store.tasks_of(id, department).await?;
    let total = all.len();
    let shown: Vec<TaskRow> = all
        .into_iter()
        .filter(|t| !t.rejected && t.merged_into.is_none())
        .filter(|t| status.is_none_or(|s| t.status == s))
        .collect();
    let (tasks, pager) = Pager::cut(shown, query.as_deref(), PAGE_SIZE)?;
    let departments = state
        .store
        .list_departments(view.summary.region_id)
        .await?
        .into_iter()
        .map(|d| {
            let on = Some(d.id) == department;
            (d, on)
        })
        .collect();
    let page = LedgerPage {
        nav: Nav::of(&viewer),
        tabs,
        tasks,
        pager,
        departments,
        statuses: STATUSES
            .iter()
            .map(|s| (s.code(), s.label(), Some(*s) == status))
            .collect(),
        total,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Template)]
#[template(path = "task.html")]
struct TaskPage {
    nav: Nav,
    tabs: PlanTabs,
    task: TaskRow,
    source: Vec<SourceLine>,
    can_report: bool,
    departments: Vec<(Department, bool)>,
    statuses: Vec<(&'static str, &'static str, bool)>,
    submissions: Vec<SubmissionView>,
    rows: Vec<TrailRow>,
}

async fn load_task(state: &AppState, id: i64, tid: i64) -> Result<TaskRow, AppError> {
    let task = state.store.task(tid).await?;
    if task.document_id != id {
        return Err(AppError::NotFound);
    }
    Ok(task)
}

async fn task_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, tid)): Path<(i64, i64)>,
) -> PageResult {
    let (view, tabs) = readable(&state, &viewer, id, "tasks").await?;
    let task = load_task(&state, id, tid).await?;
    let deps = state.store.list_departments(view.summary.region_id).await?;
    let text = state.store.document_text(id).await?;
    let mut source = source_lines(text.as_deref(), task.line, task.line, task.line);
    let page_starts = state.store.document_page_starts(id).await?;
    // One line: say which page it is on (shown where a page divider would go).
    for line in &mut source {
        line.page_start = page_of_line(&page_starts, line.n);
    }
    let (submissions, rows) = internal_record(&state, ItemKind::Task, tid, tabs.internal).await?;
    let page = TaskPage {
        nav: Nav::of(&viewer),
        can_report: viewer.can_report_task(&view.summary, &task, &deps),
        tabs,
        source,
        departments: deps
            .into_iter()
            .map(|d| {
                let on = Some(d.id) == task.lead_department_id;
                (d, on)
            })
            .collect(),
        // A report usually says work has started: propose 推进中 for a task not started.
        statuses: STATUSES
            .iter()
            .map(|s| {
                let proposed = match task.status {
                    TaskStatus::NotStarted => TaskStatus::InProgress,
                    other => other,
                };
                (s.code(), s.label(), *s == proposed)
            })
            .collect(),
        submissions,
        rows,
        task,
    };
    Ok(Html(page.render()?).into_response())
}

async fn correct(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, tid)): Path<(i64, i64)>,
    Form(form): Form<CorrectionForm>,
) -> PageResult {
    planned(&state, &viewer, id).await?;
    let task = load_task(&state, id, tid).await?;
    let current = serde_json::to_value(&task).map_err(|e| AppError::Internal(e.to_string()))?;
    apply_correction(&state, &viewer, ItemKind::Task, tid, &current, &form).await?;
    Ok(back(format!("/plans/{id}/tasks/{tid}")))
}

/// The assignment form: a lead department and any number of supporting ones (the
/// repeated `support` field, which a struct cannot take from a url-encoded body).
struct AssignForm {
    version: i64,
    lead: Option<i64>,
    support: Vec<i64>,
}

impl AssignForm {
    fn read(pairs: &[(String, String)]) -> Result<AssignForm, AppError> {
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let mut support = Vec::new();
        for (_, v) in pairs.iter().filter(|(k, _)| k == "support") {
            if let Some(d) = fields::id("配合单位", &Some(v.clone()))? {
                support.push(d);
            }
        }
        Ok(AssignForm {
            version: fields::version(&get("version"))?,
            lead: fields::id("牵头单位", &get("lead"))?,
            support,
        })
    }
}

async fn assign(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, tid)): Path<(i64, i64)>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let doc = planned(&state, &viewer, id).await?;
    load_task(&state, id, tid).await?;
    let form = AssignForm::read(&form)?;
    let (version, lead, support) = (form.version, form.lead, form.support);
    let deps = state.store.list_departments(doc.region_id).await?;
    if lead
        .iter()
        .chain(&support)
        .any(|d| !deps.iter().any(|x| x.id == *d))
    {
        return Err(AppError::BadRequest("责任单位不属于本地区".into()));
    }
    state
        .store
        .assign_task(tid, version, lead, &support, &viewer.require()?.actor())
        .await?;
    Ok(back(format!("/plans/{id}/tasks/{tid}")))
}

async fn report(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, tid)): Path<(i64, i64)>,
    Multipart(mp): Multipart,
) -> PageResult {
    viewer.require()?;
    let form = Upload::read(mp, state.config.max_file_bytes).await?;
    let report = TaskReport::read(&form.raw("status"), &form.raw("progress"))?;
    submit_task_report(&state, &viewer, id, tid, report, &form.evidence("evidence")).await?;
    Ok(back(format!("/plans/{id}/tasks/{tid}")))
}

/// A department's progress report on a task, read from a form or a JSON body.
pub struct TaskReport {
    status: Option<TaskStatus>,
    progress: Option<String>,
}

impl TaskReport {
    /// The status code (or label) and the progress text, checked.
    pub fn read(
        status: &Option<String>,
        progress: &Option<String>,
    ) -> Result<TaskReport, AppError> {
        let status = match fields::present(status) {
            Some(s) => Some(
                TaskStatus::parse(s)
                    .ok_or_else(|| AppError::BadField("status", "未知的任务状态".into()))?,
            ),
            None => None,
        };
        let progress = fields::multiline("进展情况", progress, fields::TEXT_MAX)
            .map_err(|e| e.on_field("progress"))?;
        Ok(TaskReport { status, progress })
    }
}

/// Submit `report` on task `tid` of plan `id` for the planner's review, as the
/// viewer's department responsible for it (web form and API alike).
pub async fn submit_task_report(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    tid: i64,
    report: TaskReport,
    evidence: &[planwatch_store::NewEvidence],
) -> Result<planwatch_store::Submission, AppError> {
    let identity = viewer.require()?;
    let doc = state.store.document_summary(id).await?;
    let task = load_task(state, id, tid).await?;
    let deps = state.store.list_departments(doc.region_id).await?;
    if !viewer.can_report_task(&doc, &task, &deps) {
        return Err(AppError::Forbidden);
    }
    // The reporting department: the editor's own one that is responsible for the task.
    let department = identity
        .departments
        .iter()
        .map(|d| d.id)
        .find(|d| {
            Some(*d) == task.lead_department_id
                || deps
                    .iter()
                    .any(|x| x.id == *d && task.support_departments.contains(&x.name))
        })
        .or(task.lead_department_id);
    let new = NewSubmission {
        item_kind: ItemKind::Task,
        item_id: tid,
        department_id: department,
        progress: report.progress.unwrap_or_default(),
        task_status: report.status,
        year: None,
        value: None,
    };
    let actor = viewer.actor()?;
    Ok(state.store.submit_progress(&new, evidence, &actor).await?)
}
