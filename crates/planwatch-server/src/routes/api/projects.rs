//! Key projects in the API: the ledger of a period (each project with its class and
//! its planned and completed investment for the year) and one project with its year
//! plans and period reports, for the same readers as the web ledger (a public reader
//! gets approved reports only, without reviewers' notes); and a period report submitted
//! with a token of the 报送进展 scope, by those who may report from the web.

use axum::extract::State;
use axum::{Extension, Json};
use planwatch_store::{Code, LedgerRow, ProjectReport, ProjectRow, ProjectYear, SubmissionState};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ApiResult, fail, readable_doc};
use crate::auth::Viewer;
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::fields;
use crate::state::AppState;

/// The period asked for; by default the last one closed.
#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    year: Option<String>,
    month: Option<String>,
}

/// The period of a query under the plan's cadence: a quarter cadence takes quarter
/// ends only.
async fn period(state: &AppState, id: i64, q: &PeriodQuery) -> Result<(i32, u8, String), AppError> {
    let cadence = state.store.project_tracking(id).await?.cadence;
    let (y, m) = cadence.last_closed(crate::routes::projects::today());
    let year = fields::year("年份", &q.year)?.unwrap_or(y);
    let month = fields::int_in("月份", &q.month, 1..=12)?.map_or(m, |m| m as u8);
    if !cadence.accepts(month) {
        return Err(AppError::BadRequest(format!(
            "本规划按{}报送，月份应为3、6、9、12之一",
            cadence.label()
        )));
    }
    Ok((year, month, cadence.label_of(year, month)))
}

/// A project's record, as both routes give it.
fn record(p: &ProjectRow) -> Value {
    json!({
        "id": p.id,
        "name": p.name,
        "field": p.field.map(|f| f.code()),
        "department": p.department,
        "location": p.location,
        "period_start": p.period_start,
        "period_end": p.period_end,
        "total_investment": planwatch_store::projects::total_wan(p),
        "origin": p.origin.code(),
        "source_line": (p.line > 0).then_some(p.line),
    })
}

/// One ledger line: the record with its class and figures.
fn line(r: &LedgerRow) -> Value {
    let a = &r.assessment;
    let mut v = record(&r.project);
    let more = json!({
        "class": a.class.code(),
        "class_label": a.class.label(),
        "warnings": a.warnings.iter().map(|w| w.code()).collect::<Vec<_>>(),
        "planned_investment": a.planned,
        "this_period": a.this_period,
        "year_to_date": a.year_to_date,
        "completion": a.completion,
        "elapsed": a.elapsed,
        "cumulative": a.cumulative,
        "started_on": a.started.map(|d| d.to_string()),
        "finished_on": a.finished.map(|d| d.to_string()),
        "reason": a.reason,
    });
    if let (Value::Object(m), Value::Object(extra)) = (&mut v, more) {
        m.extend(extra);
    }
    v
}

/// `GET /api/v1/plans/{id}/projects`.
pub async fn ledger(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> ApiResult {
    readable_doc(&state, &viewer, id).await?;
    let (year, month, label) = period(&state, id, &q).await.map_err(fail)?;
    let rows = state
        .store
        .project_ledger(id, i64::from(year), month)
        .await
        .map_err(fail)?;
    let totals = planwatch_store::ledger_totals(&rows);
    Ok(Json(json!({
        "year": year,
        "month": month,
        "period": label,
        "totals": {
            "count": totals.count,
            "planned_investment": totals.planned,
            "completed": totals.completed,
            "completed_all": totals.completed_all,
        },
        "projects": rows.iter().map(line).collect::<Vec<_>>(),
    })))
}

fn year_plan(y: &ProjectYear) -> Value {
    json!({
        "year": y.year,
        "planned_investment": y.planned_investment,
        "planned_start": y.planned_start.map(|d| d.to_string()),
        "planned_finish": y.planned_finish.map(|d| d.to_string()),
        "milestones": y.milestones,
    })
}

fn report(r: &ProjectReport, internal: bool) -> Value {
    let mut v = json!({
        "id": r.submission.id,
        "year": r.year,
        "month": r.month,
        "investment": r.investment,
        "cumulative": r.cumulative,
        "progress": r.submission.progress,
        "started_on": r.started_on.map(|d| d.to_string()),
        "finished_on": r.finished_on.map(|d| d.to_string()),
        "problems": r.problems,
        "help_needed": r.help_needed,
        "state": r.submission.state.code(),
    });
    if internal {
        v["review_note"] = json!(r.submission.review_note);
    }
    v
}

/// `GET /api/v1/plans/{id}/projects/{pid}`.
pub async fn project(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, pid)): Path<(i64, i64)>,
) -> ApiResult {
    let (_, internal) = readable_doc(&state, &viewer, id).await?;
    let p = crate::routes::projects::load(&state, id, pid)
        .await
        .map_err(fail)?;
    let years = state.store.project_years(pid).await.map_err(fail)?;
    let reports: Vec<Value> = state
        .store
        .project_reports(pid)
        .await
        .map_err(fail)?
        .iter()
        .filter(|r| internal || r.submission.state == SubmissionState::Approved)
        .map(|r| report(r, internal))
        .collect();
    let mut v = record(&p);
    v["merged_into"] = json!(p.merged_into);
    v["years"] = json!(years.iter().map(year_plan).collect::<Vec<_>>());
    v["reports"] = json!(reports);
    Ok(Json(json!({ "project": v })))
}

/// A JSON value as the raw text a form field would carry: numbers and strings as
/// written, null and absence as nothing. Anything else is refused by the field checks.
fn raw_field(body: &serde_json::Map<String, Value>, name: &str) -> Option<String> {
    match body.get(name)? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

/// Fields a report body may have.
const REPORT_FIELDS: &[&str] = &[
    "year",
    "month",
    "investment",
    "cumulative",
    "progress",
    "started_on",
    "finished_on",
    "problems",
    "help_needed",
];

/// `POST /api/v1/plans/{id}/projects/{pid}/reports`: a period report submitted for the
/// planner's approval, with the rights of the web form and a token of the 报送进展 scope.
pub async fn submit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, pid)): Path<(i64, i64)>,
    body: axum::body::Bytes,
) -> Result<axum::response::Response, axum::response::Response> {
    use axum::response::IntoResponse;
    let actor = viewer.actor().map_err(fail)?;
    viewer
        .require_scope(planwatch_store::TokenScope::Report)
        .map_err(fail)?;
    let (identity, project) = crate::routes::projects::reporter(&state, &viewer, id, pid)
        .await
        .map_err(fail)?;
    let bad = |m: String| fail(AppError::BadRequest(m));
    let body: Value =
        serde_json::from_slice(&body).map_err(|e| bad(format!("请求正文不是有效的 JSON：{e}")))?;
    let Value::Object(fields) = body else {
        return Err(bad("请求正文应为 JSON 对象".into()));
    };
    if let Some(unknown) = fields.keys().find(|k| !REPORT_FIELDS.contains(&k.as_str())) {
        let shown: String = unknown.chars().take(40).collect();
        return Err(bad(format!("未知的字段：{shown}")));
    }
    let new =
        crate::routes::projects::new_report(&identity, &project, |name| raw_field(&fields, name))
            .map_err(fail)?;
    let stored = state
        .store
        .submit_project_report(&new, &[], &actor)
        .await
        .map_err(fail)?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(json!({ "report": report(&stored, true) })),
    )
        .into_response())
}
