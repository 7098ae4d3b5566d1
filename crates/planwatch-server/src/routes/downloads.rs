//! Downloads of a plan: the XLSX monitoring ledger (`planwatch-report`'s ledger) and
//! the reviewed plan with its evaluation as JSON.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Extension, Router};
use planwatch_report::ledger::{build_ledger, workbook_bytes};

use super::readable;
use crate::auth::Viewer;
use crate::error::PageResult;
use crate::extract::Path;
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
    // Writing a workbook is CPU work: the bounded pool, not an async worker; the
    // workbook is written to memory.
    let bytes = state.heavy.run(move || workbook_bytes(&ledger)).await??;
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
    let (view, tabs) = readable(&state, &viewer, id, "dashboard").await?;
    let mut document = serde_json::json!(view.summary);
    if !tabs.internal {
        super::api::scrub_internal(&mut document);
    }
    let body = serde_json::json!({
        "document": document,
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
