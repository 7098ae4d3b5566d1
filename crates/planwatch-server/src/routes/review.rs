//! What a planner reviews: parse diagnostics, consistency findings (table against
//! prose, plan against work report, baselines against published figures), prose
//! targets, and the queue of department submissions to approve or return; evidence
//! files for download.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Extension, Router};
use planwatch_core::consistency::{
    CheckSettings, Finding, check_alignment, check_baselines, check_plans,
};
use planwatch_store::{SubmissionState, TargetRow};
use serde::Deserialize;

use super::trail::{SubmissionView, submission_views};
use super::{Nav, PlanTabs, back, planned, readable};
use crate::auth::Viewer;
use crate::cache::PlanView;
use crate::error::{AppError, PageResult};
use crate::extract::{Form, Path};
use crate::fields;
use crate::state::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans/{id}/review", get(page))
        .route("/plans/{id}/submissions/{sid}/approve", post(approve))
        .route("/plans/{id}/submissions/{sid}/return", post(return_))
        .route("/evidence/{eid}", get(evidence))
}

/// A finding for the page.
pub struct FindingRow {
    /// 提示 / 警告 / 错误.
    pub severity: &'static str,
    /// The indicator it is about.
    pub indicator: String,
    /// What disagrees.
    pub message: String,
    /// One side: document, line and text.
    pub first: String,
    /// The other side.
    pub second: String,
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    nav: Nav,
    tabs: PlanTabs,
    diagnostics: Vec<(usize, &'static str, String)>,
    findings: Vec<FindingRow>,
    targets: Vec<TargetRow>,
    /// Prose targets marked as not targets.
    rejected: usize,
    /// Prose targets the dashboard evaluates (the others, less those it cannot read).
    monitored: usize,
    submissions: Vec<SubmissionView>,
}

fn severity(s: planwatch_core::plan::Severity) -> &'static str {
    match s {
        planwatch_core::plan::Severity::Info => "提示",
        planwatch_core::plan::Severity::Warning => "警告",
        planwatch_core::plan::Severity::Error => "错误",
    }
}

/// The consistency findings of a document with the other documents of its region
/// (the plan against its work reports and annual plans, or a report against the
/// plan), of its baselines against the observations, and of a plan against the plan
/// of the level above when the viewer may read that one (规划衔接).
pub async fn region_findings(
    state: &AppState,
    viewer: &Viewer,
    view: &PlanView,
) -> Result<Vec<Finding>, AppError> {
    let id = view.summary.id;
    let mut plans = vec![view.plan.clone()];
    if let Some(region) = view.summary.region_id {
        for d in state.store.list_documents().await? {
            if d.id != id && d.region_id == Some(region) && d.supersedes_id != Some(id) {
                plans.push(state.store.reviewed_plan(d.id).await?);
            }
        }
    }
    let settings = CheckSettings::default();
    let mut found = check_plans(&plans, &settings);
    found.extend(check_baselines(&view.plan, &view.observations, &settings));
    if let Some(upper) = upper_plan(state, viewer, view).await? {
        found.extend(check_alignment(&upper, &view.plan, &settings));
    }
    Ok(found)
}

/// The current plan outline of the region above this plan's, if the viewer may read it.
async fn upper_plan(
    state: &AppState,
    viewer: &Viewer,
    view: &PlanView,
) -> Result<Option<planwatch_core::plan::Plan>, AppError> {
    use planwatch_core::plan::DocType;
    if view.summary.doc_type != DocType::PlanOutline {
        return Ok(None);
    }
    let regions = state.store.list_regions().await?;
    let parent = regions
        .iter()
        .find(|r| Some(r.id) == view.summary.region_id)
        .and_then(|r| r.parent_id);
    let Some(parent) = parent else {
        return Ok(None);
    };
    let docs = state.store.list_documents().await?;
    let public = state.store.public_documents().await?;
    // The parent's plan for the same period, else its newest.
    let upper = super::current_plan_outlines(&docs, parent, |d| {
        viewer.can_read(d, public.contains(&d.id))
    })
    .into_iter()
    .max_by_key(|d| (d.period_end == view.summary.period_end, d.id))
    .map(|d| d.id);
    match upper {
        Some(id) => Ok(Some(state.store.reviewed_plan(id).await?)),
        None => Ok(None),
    }
}

/// Findings as table rows, each with both source lines.
pub fn finding_rows(found: &[Finding]) -> Vec<FindingRow> {
    let at = |r: &planwatch_core::consistency::SourceRef| {
        if r.line > 0 {
            format!("{} 第{}行：{}", r.document, r.line, r.text)
        } else {
            format!("{}:{}", r.document, r.text)
        }
    };
    found
        .iter()
        .map(|f| FindingRow {
            severity: severity(f.severity),
            indicator: f.indicator.clone(),
            message: f.message.clone(),
            first: at(&f.first),
            second: at(&f.second),
        })
        .collect()
}

async fn page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> PageResult {
    let (view, tabs) = readable(&state, &viewer, id, "review").await?;
    let diagnostics = view
        .plan
        .diagnostics
        .iter()
        .map(|d| (d.line, severity(d.severity), d.message.clone()))
        .collect();
    let findings = finding_rows(&region_findings(&state, &viewer, &view).await?);
    let submissions = if tabs.can_plan {
        submission_views(
            &state,
            true,
            state
                .store
                .submissions_of(id, Some(SubmissionState::Submitted))
                .await?,
        )
        .await?
    } else {
        Vec::new()
    };
    let targets = state.store.targets_of(id).await?;
    let page = ReviewPage {
        nav: Nav::of(&viewer),
        tabs,
        diagnostics,
        findings,
        rejected: targets.iter().filter(|t| t.rejected).count(),
        monitored: view.eval.prose().count(),
        targets,
        submissions,
    };
    Ok(Html(page.render()?).into_response())
}

/// The approve/return form of a submission.
#[derive(Deserialize)]
pub struct DecisionForm {
    version: Option<String>,
    note: Option<String>,
    /// `review` when decided from the review queue: the answer is the queue again.
    back: Option<String>,
}

async fn decision(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    sid: i64,
    form: &DecisionForm,
    approve: bool,
) -> PageResult {
    planned(state, viewer, id).await?;
    let s = state.store.submission(sid).await?;
    if s.document_id != id {
        return Err(AppError::NotFound);
    }
    let version = fields::version(&form.version)?;
    let note = fields::multiline("审核意见", &form.note, fields::TEXT_MAX)?;
    let actor = viewer.require()?.actor();
    if approve {
        state
            .store
            .approve_submission(sid, version, note.as_deref(), &actor)
            .await?;
    } else {
        state
            .store
            .return_submission(sid, version, note.as_deref().unwrap_or_default(), &actor)
            .await?;
    }
    let to = match s.item_kind {
        _ if form.back.as_deref() == Some("review") => format!("/plans/{id}/review"),
        planwatch_store::ItemKind::Task => format!("/plans/{id}/tasks/{}", s.item_id),
        planwatch_store::ItemKind::Indicator => format!("/plans/{id}/indicators/{}", s.item_id),
        planwatch_store::ItemKind::Project => format!("/plans/{id}/projects/{}", s.item_id),
        _ => format!("/plans/{id}/review"),
    };
    Ok(back(to))
}

async fn approve(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, sid)): Path<(i64, i64)>,
    Form(form): Form<DecisionForm>,
) -> PageResult {
    decision(&state, &viewer, id, sid, &form, true).await
}

async fn return_(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, sid)): Path<(i64, i64)>,
    Form(form): Form<DecisionForm>,
) -> PageResult {
    decision(&state, &viewer, id, sid, &form, false).await
}

/// Evidence: for the plan's planners and the submitting department's editors.
async fn evidence(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(eid): Path<i64>,
) -> PageResult {
    let identity = viewer.require()?;
    let (file, bytes) = state.store.evidence_content(eid).await?;
    let s = state.store.submission(file.submission_id).await?;
    let doc = state.store.document_summary(s.document_id).await?;
    if !(viewer.can_plan(&doc) || identity.edits_for(s.department_id)) {
        return Err(AppError::Forbidden);
    }
    // Always a download, never rendered inline: the content is whatever was uploaded.
    let disposition = format!(
        "attachment; filename=\"evidence-{eid}\"; filename*=UTF-8''{}",
        percent_encode(&file.file_name)
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// RFC 5987 percent-encoding of a file name.
pub fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_encoded() {
        assert_eq!(percent_encode("a.txt"), "a.txt");
        assert_eq!(percent_encode("台账 1.xlsx"), "%E5%8F%B0%E8%B4%A6%201.xlsx");
        assert_eq!(percent_encode("x\"y"), "x%22y");
    }
}
