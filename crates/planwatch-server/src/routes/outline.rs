//! The outline beside the source text; headings corrected in place.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Extension, Router};
use planwatch_store::{ItemKind, OutlineRow};

use super::forms::{CorrectionForm, apply_correction};
use super::indicator::{SourceLine, mark_pages, source_lines};
use super::{Nav, PlanTabs, back, planned, readable};
use crate::auth::Viewer;
use crate::error::{AppError, PageResult};
use crate::extract::{Form, Path};
use crate::state::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans/{id}/outline", get(page))
        .route("/plans/{id}/headings/{hid}/correct", post(correct))
}

#[derive(Template)]
#[template(path = "outline.html")]
struct OutlinePage {
    nav: Nav,
    tabs: PlanTabs,
    nodes: Vec<OutlineRow>,
    source: Vec<SourceLine>,
}

async fn page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> PageResult {
    let (_, tabs) = readable(&state, &viewer, id, "outline").await?;
    let text = state.store.document_text(id).await?;
    let mut source = source_lines(text.as_deref(), 1, i64::MAX, 0);
    mark_pages(&mut source, &state.store.document_page_starts(id).await?);
    let page = OutlinePage {
        nav: Nav::of(&viewer),
        tabs,
        nodes: state.store.outline_of(id).await?,
        source,
    };
    Ok(Html(page.render()?).into_response())
}

async fn correct(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, hid)): Path<(i64, i64)>,
    Form(form): Form<CorrectionForm>,
) -> PageResult {
    planned(&state, &viewer, id).await?;
    let h = state.store.heading(hid).await?;
    if h.document_id != id {
        return Err(AppError::NotFound);
    }
    let current = serde_json::to_value(&h).map_err(|e| AppError::Internal(e.to_string()))?;
    apply_correction(&state, &viewer, ItemKind::Heading, hid, &current, &form).await?;
    Ok(back(format!("/plans/{id}/outline#h{hid}")))
}
