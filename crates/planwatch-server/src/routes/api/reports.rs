//! Progress reports through the API: a department's system reports on a task with a
//! token of scope 报送进展, exactly as its editor would on the task page; the report
//! waits for the planner's approval like any other.

use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use planwatch_store::TokenScope;
use serde_json::json;

use super::fail;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::extract::Path;
use crate::routes::tasks::{TaskReport, submit_task_report};
use crate::state::AppState;

/// The JSON body of a task report.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskReportBody {
    progress: Option<String>,
    status: Option<String>,
}

/// `POST /api/v1/plans/{id}/tasks/{tid}/reports`: `{"progress": "…", "status":
/// "in_progress"}` becomes a submission waiting for review (`201`).
pub async fn task_report(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, tid)): Path<(i64, i64)>,
    body: Bytes,
) -> Result<Response, Response> {
    viewer.require().map_err(fail)?;
    viewer.require_scope(TokenScope::Report).map_err(fail)?;
    let body: TaskReportBody = serde_json::from_slice(&body).map_err(|e| {
        fail(AppError::BadRequest(format!(
            "请求正文应为 JSON 对象 {{\"progress\": 进展情况, \"status\": 任务状态}}：第{}行第{}列有误",
            e.line(),
            e.column()
        )))
    })?;
    let report = TaskReport::read(&body.status, &body.progress).map_err(fail)?;
    let submission = submit_task_report(&state, &viewer, id, tid, report, &[])
        .await
        .map_err(fail)?;
    let answer = json!({
        "submission_id": submission.id,
        "state": submission.state.code(),
    });
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}
