//! Downloads of a plan: the XLSX monitoring ledger (`planwatch-report`'s ledger) and
//! the reviewed plan with its evaluation as JSON.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Extension, Router};
use planwatch_report::ledger::{build_ledger, workbook_bytes};

use super::readable;
use crate::auth::Viewer;
use crate::error::{AppError, PageResult};
use crate::state::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans/{id}/ledger.xlsx", get(ledger))
        .route("/plans/{id}/plan.json", get(json))
}

async fn ledger(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> PageResult {
    readable(&state, &viewer, id, "dashboard").await?;
    let ledger = build_ledger(&state.store, id, true).await?;
    // Writing the workbook is CPU work: off the async workers.
    let bytes = tokio::task::spawn_blocking(move || workbook_bytes(&ledger))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"plan-{id}-ledger.xlsx\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

async fn json(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> PageResult {
    let (view, _) = readable(&state, &viewer, id, "dashboard").await?;
    let body = serde_json::json!({
        "document": view.summary,
        "plan": view.plan,
        "evaluation": view.eval,
    });
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"plan-{id}.json\""),
            ),
        ],
        body.to_string(),
    )
        .into_response())
}
