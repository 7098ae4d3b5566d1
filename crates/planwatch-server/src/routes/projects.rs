//! The key-project bank (项目库) of a plan.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::{Extension, Router};
use planwatch_store::ProjectRow;

use super::{Nav, PlanTabs, readable};
use crate::auth::Viewer;
use crate::error::PageResult;
use crate::extract::Path;
use crate::state::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/plans/{id}/projects", get(page))
}

#[derive(Template)]
#[template(path = "projects.html")]
struct ProjectsPage {
    nav: Nav,
    tabs: PlanTabs,
    projects: Vec<ProjectRow>,
    total: String,
}

async fn page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> PageResult {
    let (_, tabs) = readable(&state, &viewer, id, "projects").await?;
    let projects: Vec<ProjectRow> = state
        .store
        .projects_of(id)
        .await?
        .into_iter()
        .filter(|p| !p.rejected)
        .collect();
    // Sum only the amounts given in 亿元, the unit the plans use for projects.
    let total: f64 = projects
        .iter()
        .filter(|p| p.investment_unit.as_deref() == Some("亿元"))
        .filter_map(|p| p.investment_value)
        .sum();
    let page = ProjectsPage {
        nav: Nav::of(&viewer),
        tabs,
        total: crate::view::num(total),
        projects,
    };
    Ok(Html(page.render()?).into_response())
}
