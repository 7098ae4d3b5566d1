//! The router: one module per area of the application.
//!
//! | module | pages |
//! |---|---|
//! | [`session`] | login, logout, and the return to the page that asked for a login (`?next=`) |
//! | [`plans`] | regions and plans, an editor's own items, public switch |
//! | [`regions`] | a region's page: its and its subordinate regions' plans side by side, one indicator compared across them |
//! | [`dashboard`] | plan dashboard: status table by year with filters, charts on demand |
//! | [`work_report`] | a work report's page: the year's targets, reported figures, disagreements with the plan |
//! | [`indicator`] | indicator page: calculation record, observations, source lines, audit; corrections, assignment, reports |
//! | [`outline`] | outline beside the source text; heading corrections |
//! | [`tasks`] | task ledger by department and status; task corrections, assignment, progress reports |
//! | [`projects`] | key-project bank |
//! | [`review`] | diagnostics, consistency findings, prose targets, the submission queue (approve/return), evidence files |
//! | [`search`] | full-text search of the documents the viewer may read (the header's search box) |
//! | [`upload`] | plan and actuals uploads with a preview before committing |
//! | [`sources`] | 实际值来源: bulletins and work reports whose figures are accepted row by row |
//! | [`downloads`] | XLSX ledger and JSON |
//! | [`reports`] | 生成报告: annual, mid-term and final reports built in the background, then downloaded |
//! | [`admin`] | users, departments, regions, grants |
//! | [`account`] | the user's API tokens |
//! | [`api`] | JSON API `/api/v1` and its OpenAPI document |
//! | [`api_docs`] | API 说明: the OpenAPI document as a page |
//! | [`assets`] | htmx and the style sheet |

pub mod account;
pub mod admin;
pub mod api;
pub mod api_docs;
pub mod assets;
pub mod dashboard;
pub mod downloads;
pub mod forms;
pub mod indicator;
pub mod outline;
pub mod plans;
pub mod project_duplicates;
pub mod project_import;
pub mod project_plans;
pub mod projects;
pub mod regions;
pub mod reports;
pub mod review;
pub mod search;
pub mod session;
pub mod sources;
pub mod tasks;
pub mod trail;
pub mod upload;
pub mod work_report;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::{self, Viewer};
use crate::cache::PlanView;
use crate::error::AppError;
use crate::security;
use crate::state::AppState;

/// The whole application.
pub fn app(state: AppState) -> Router {
    let limit = state.config.max_plan_bytes + (1 << 20);
    let hsts = state.config.hsts;
    let router = Router::new()
        .merge(session::routes())
        .merge(plans::routes())
        .merge(regions::routes())
        .merge(dashboard::routes())
        .merge(indicator::routes())
        .merge(outline::routes())
        .merge(tasks::routes())
        .merge(projects::routes())
        .merge(project_import::routes())
        .merge(project_duplicates::routes())
        .merge(project_plans::routes())
        .merge(review::routes())
        .merge(search::routes())
        .merge(upload::routes())
        .merge(sources::routes())
        .merge(downloads::routes())
        .merge(reports::routes())
        .merge(admin::routes())
        .merge(account::routes())
        .merge(api::routes())
        .merge(api_docs::routes())
        .merge(assets::routes())
        .fallback(not_found)
        .layer(axum::middleware::from_fn(session::remember_page))
        .layer(from_fn_with_state(state.clone(), auth::resolve))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state);
    security::with_headers(router, hsts)
        .layer(axum::middleware::from_fn(crate::trace::with_request_id))
}

/// No route: the error page, or the JSON error under `/api/`.
async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        AppError::NotFound.into_json()
    } else {
        AppError::NotFound.into_response()
    }
}

/// What the layout shows of the viewer.
#[derive(Debug, Clone)]
pub struct Nav {
    /// CSRF token for forms and htmx.
    pub csrf: String,
    /// Display name, if logged in.
    pub user: Option<String>,
    /// Administrator.
    pub admin: bool,
    /// Plans some region (may upload).
    pub planner: bool,
}

impl Nav {
    /// The layout data of a viewer.
    pub fn of(v: &Viewer) -> Nav {
        Nav {
            csrf: v.csrf.clone(),
            user: v.identity.as_ref().map(|i| i.user.display_name.clone()),
            admin: v.is_admin(),
            planner: v
                .identity
                .as_ref()
                .is_some_and(|i| i.is_admin() || !i.planner_regions().is_empty()),
        }
    }
}

/// The tabs of a plan's pages.
#[derive(Debug, Clone)]
pub struct PlanTabs {
    /// Document id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Region.
    pub region: String,
    /// Which tab is open.
    pub active: &'static str,
    /// The viewer plans this plan.
    pub can_plan: bool,
    /// Public.
    pub public: bool,
    /// The viewer reads this plan through a grant (not only because it is public):
    /// submissions, reviewers' notes, evidence and the audit trail are shown only then.
    pub internal: bool,
}

/// Documents a newer version replaces (a plan uploaded again names the one it supersedes).
pub fn superseded_ids(docs: &[planwatch_store::DocumentSummary]) -> Vec<i64> {
    docs.iter().filter_map(|d| d.supersedes_id).collect()
}

/// The current (not superseded) plan outlines of region `region_id` that `readable`
/// lets through: the plans a region page shows and the 规划衔接 check compares against.
pub fn current_plan_outlines(
    docs: &[planwatch_store::DocumentSummary],
    region_id: i64,
    readable: impl Fn(&planwatch_store::DocumentSummary) -> bool,
) -> Vec<&planwatch_store::DocumentSummary> {
    let superseded = superseded_ids(docs);
    docs.iter()
        .filter(|d| d.region_id == Some(region_id))
        .filter(|d| d.doc_type == planwatch_core::plan::DocType::PlanOutline)
        .filter(|d| !superseded.contains(&d.id))
        .filter(|d| readable(d))
        .collect()
}

/// A readable plan and its view, or the reason not.
pub async fn readable(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    active: &'static str,
) -> Result<(Arc<PlanView>, PlanTabs), AppError> {
    readable_in(state, viewer, id, active, None).await
}

/// [`readable`], with the plan evaluated in `year` (`None`: the latest year with data).
pub async fn readable_in(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    active: &'static str,
    year: Option<i32>,
) -> Result<(Arc<PlanView>, PlanTabs), AppError> {
    let summary = state.store.document_summary(id).await?;
    let public = state.store.is_public(id).await?;
    if !viewer.can_read(&summary, public) {
        return Err(if viewer.identity.is_some() {
            AppError::Forbidden
        } else {
            AppError::Unauthorized
        });
    }
    let view = state.cache.get(&state.store, id, year).await?;
    let tabs = PlanTabs {
        id,
        title: summary
            .title
            .clone()
            .unwrap_or_else(|| format!("文档 #{id}")),
        region: summary.region_name.clone().unwrap_or_default(),
        active,
        can_plan: viewer.can_plan(&summary),
        public,
        internal: viewer.reads_internally(&summary),
    };
    Ok((view, tabs))
}

/// The plan `id` if the viewer plans it (for every change a planner makes).
pub async fn planned(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<planwatch_store::DocumentSummary, AppError> {
    viewer.require()?;
    let summary = state.store.document_summary(id).await?;
    if viewer.can_plan(&summary) {
        Ok(summary)
    } else {
        Err(AppError::Forbidden)
    }
}

/// After a change: back to `to` (htmx follows the redirect and swaps the page).
pub fn back(to: String) -> Response {
    Redirect::to(&to).into_response()
}
