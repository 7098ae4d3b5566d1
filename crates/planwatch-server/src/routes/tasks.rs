//! The task ledger (filtered by department and status) and the task page: progress
//! reports with evidence by the responsible departments, corrections and assignment
//! by the planner, submissions and the audit trail.

use planwatch_store::Code;
use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use planwatch_store::{Department, ItemKind, NewSubmission, TaskRow, TaskStatus};
use serde::Deserialize;

use super::forms::{Upload, apply_correction};
use super::indicator::{SourceLine, source_lines};
use super::trail::{SubmissionView, TrailRow, submission_views, trail};
use super::{Nav, PlanTabs, back, int_field, planned, readable};
use crate::auth::Viewer;
use crate::error::{AppError, PageResult};
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
    departments: Vec<(Department, bool)>,
    statuses: Vec<(&'static str, &'static str, bool)>,
    total: usize,
}

async fn ledger(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Query(filter): Query<Filter>,
) -> PageResult {
    let (view, tabs) = readable(&state, &viewer, id, "tasks").await?;
    let department = int_field("部门", &filter.department)?;
    let status = super::field(&filter.status).and_then(|s| TaskStatus::parse(&s));
    let all = state.store.tasks_of(id, department).await?;
    let total = all.len();
    let tasks = all
        .into_iter()
        .filter(|t| !t.rejected && t.merged_into.is_none())
        .filter(|t| status.is_none_or(|s| t.status == s))
        .collect();
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
    let page = TaskPage {
        nav: Nav::of(&viewer),
        can_report: viewer.can_report_task(&view.summary, &task, &deps),
        tabs,
        source: source_lines(text.as_deref(), task.line, task.line, task.line),
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
        submissions: submission_views(
            &state.store,
            state
                .store
                .submissions_for_item(ItemKind::Task, tid)
                .await?,
        )
        .await?,
        rows: trail(&state.store, "task", tid).await?,
        task,
    };
    Ok(Html(page.render()?).into_response())
}

async fn correct(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, tid)): Path<(i64, i64)>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    planned(&state, &viewer, id).await?;
    let task = load_task(&state, id, tid).await?;
    let current = serde_json::to_value(&task).map_err(|e| AppError::Internal(e.to_string()))?;
    apply_correction(&state, &viewer, ItemKind::Task, tid, &current, &form).await?;
    Ok(back(format!("/plans/{id}/tasks/{tid}")))
}

async fn assign(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, tid)): Path<(i64, i64)>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let doc = planned(&state, &viewer, id).await?;
    load_task(&state, id, tid).await?;
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let version = int_field("版本号", &get("version"))?
        .ok_or_else(|| AppError::BadRequest("缺少版本号".into()))?;
    let lead = int_field("牵头单位", &get("lead"))?;
    let support: Vec<i64> = form
        .iter()
        .filter(|(k, _)| k == "support")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
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
    mp: Multipart,
) -> PageResult {
    let identity = viewer.require()?;
    let doc = state.store.document_summary(id).await?;
    let task = load_task(&state, id, tid).await?;
    let deps = state.store.list_departments(doc.region_id).await?;
    if !viewer.can_report_task(&doc, &task, &deps) {
        return Err(AppError::Forbidden);
    }
    let form = Upload::read(mp, state.config.max_file_bytes).await?;
    let status = match form.text("status") {
        Some(s) => Some(
            TaskStatus::parse(&s).ok_or_else(|| AppError::BadRequest(format!("未知的状态:{s}")))?,
        ),
        None => None,
    };
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
        progress: form.text("progress").unwrap_or_default(),
        task_status: status,
        year: None,
        value: None,
    };
    state
        .store
        .submit_progress(&new, &form.evidence("evidence"), &identity.actor())
        .await?;
    Ok(back(format!("/plans/{id}/tasks/{tid}")))
}
