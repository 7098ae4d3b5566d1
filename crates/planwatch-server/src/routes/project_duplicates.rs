//! The planner's review of projects whose names suggest one project (an extracted 专栏
//! item and the same project from the office's 项目库, or two imports): each pair side
//! by side with its field, unit, investment and source, and two decisions — 合并 (the
//! store's `merge_projects`: the second goes into the first, its year plans and reports
//! with it) or 不是同一项目 (`keep_projects_distinct`: the pair is not proposed again).
//! Both are audited by the store. Matching only proposes (`same_project`).

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Extension, Router};
use planwatch_store::{DuplicatePair, ProjectRow};
use serde::Deserialize;

use super::projects::load;
use super::{Nav, PlanTabs, back, planned, readable};
use crate::auth::Viewer;
use crate::error::{AppError, PageResult};
use crate::extract::{Form, Path};
use crate::fields;
use crate::state::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans/{id}/projects/duplicates", get(page))
        .route("/plans/{id}/projects/duplicates/merge", post(merge))
        .route("/plans/{id}/projects/duplicates/distinct", post(distinct))
}

#[derive(Template)]
#[template(path = "project_duplicates.html")]
struct DuplicatesPage {
    nav: Nav,
    tabs: PlanTabs,
    pairs: Vec<DuplicatePair>,
}

/// Where a project comes from, in words: `规划文本（原文第12行）`, `项目库导入（项目库.xlsx第5行）`.
fn source(p: &ProjectRow) -> String {
    let mut s = p.origin.label().to_string();
    if p.line > 0 {
        s.push_str(&format!("（原文第{}行）", p.line));
    }
    if let Some(note) = &p.source_note {
        s.push_str(&format!("（{note}）"));
    }
    s
}

fn field_label(p: &ProjectRow) -> &'static str {
    p.field
        .map_or("未分类", planwatch_core::projects::ProjectField::label)
}

async fn page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> PageResult {
    planned(&state, &viewer, id).await?;
    let (_, tabs) = readable(&state, &viewer, id, "projects").await?;
    let page = DuplicatesPage {
        nav: Nav::of(&viewer),
        tabs,
        pairs: state.store.duplicate_projects(id).await?,
    };
    Ok(Html(page.render()?).into_response())
}

/// A decision on a pair: the two projects and the versions the planner saw.
#[derive(Deserialize)]
pub struct PairForm {
    keep: Option<String>,
    keep_version: Option<String>,
    other: Option<String>,
    other_version: Option<String>,
}

impl PairForm {
    /// The two project ids, both required.
    fn ids(&self) -> Result<(i64, i64), AppError> {
        let need = |label: &str, raw: &Option<String>| {
            fields::id(label, raw)?.ok_or_else(|| AppError::BadRequest(format!("缺少{label}")))
        };
        Ok((
            need("保留的项目", &self.keep)?,
            need("并入的项目", &self.other)?,
        ))
    }
}

/// Both projects of plan `id`, or 404.
async fn pair(state: &AppState, id: i64, form: &PairForm) -> Result<(i64, i64), AppError> {
    let (keep, other) = form.ids()?;
    load(state, id, keep).await?;
    load(state, id, other).await?;
    Ok((keep, other))
}

async fn merge(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(form): Form<PairForm>,
) -> PageResult {
    planned(&state, &viewer, id).await?;
    let (keep, other) = pair(&state, id, &form).await?;
    state
        .store
        .merge_projects(
            keep,
            fields::version(&form.keep_version)?,
            other,
            fields::version(&form.other_version)?,
            &viewer.require()?.actor(),
        )
        .await?;
    Ok(back(format!("/plans/{id}/projects/duplicates")))
}

async fn distinct(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(form): Form<PairForm>,
) -> PageResult {
    planned(&state, &viewer, id).await?;
    let (a, b) = pair(&state, id, &form).await?;
    state
        .store
        .keep_projects_distinct(a, b, &viewer.require()?.actor())
        .await?;
    Ok(back(format!("/plans/{id}/projects/duplicates")))
}
