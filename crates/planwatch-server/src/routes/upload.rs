//! Uploads with a preview before anything is stored: a plan document (parsed and
//! shown, then ingested with its text) and an actuals file (rows read and shown,
//! then imported all-or-nothing). The bytes wait in memory under a random id that
//! only the uploader can commit.

use std::collections::HashMap;
use std::time::Instant;

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use planwatch_store::{ImportBatch, ImportOutcome, NewObservation, Region};

use super::forms::{Upload, base_name};
use super::{Nav, back};
use crate::auth::{Identity, Viewer, random_token};
use crate::error::{AppError, PageResult};
use crate::state::{AppState, Pending};

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/upload/plan", get(plan_form).post(plan_preview))
        .route("/upload/plan/commit", post(plan_commit))
        .route("/upload/actuals", get(actuals_form).post(actuals_preview))
        .route("/upload/actuals/commit", post(actuals_commit))
}

/// Regions the user may upload into.
async fn regions_for(state: &AppState, who: &Identity) -> Result<Vec<Region>, AppError> {
    let all = state.store.list_regions().await?;
    if who.is_admin() {
        return Ok(all);
    }
    let mine = who.planner_regions();
    Ok(all.into_iter().filter(|r| mine.contains(&r.id)).collect())
}

async fn uploader(state: &AppState, viewer: &Viewer) -> Result<(Identity, Vec<Region>), AppError> {
    let who = viewer.require()?.clone();
    let regions = regions_for(state, &who).await?;
    if regions.is_empty() && !who.is_admin() {
        return Err(AppError::Forbidden);
    }
    Ok((who, regions))
}

#[derive(Template)]
#[template(path = "upload_plan.html")]
struct PlanForm {
    nav: Nav,
    regions: Vec<Region>,
    max_mb: usize,
}

async fn plan_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> PageResult {
    let (_, regions) = uploader(&state, &viewer).await?;
    let page = PlanForm {
        nav: Nav::of(&viewer),
        regions,
        max_mb: state.config.max_plan_bytes >> 20,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Template)]
#[template(path = "upload_plan_preview.html")]
struct PlanPreview {
    nav: Nav,
    pending: String,
    file_name: String,
    title: String,
    region: String,
    doc_type: String,
    period: String,
    counts: Vec<(&'static str, usize)>,
    indicators: Vec<(usize, String, String, String)>,
    diagnostics: Vec<(usize, String)>,
    already: Option<i64>,
}

async fn plan_preview(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    mp: Multipart,
) -> PageResult {
    let (who, regions) = uploader(&state, &viewer).await?;
    let form = Upload::read(mp, state.config.max_plan_bytes).await?;
    let code = form
        .text("region")
        .ok_or_else(|| AppError::BadRequest("请选择地区".into()))?;
    let region = regions
        .iter()
        .find(|r| r.code == code)
        .ok_or(AppError::Forbidden)?;
    let Some((_, name, _, bytes)) = form.files.iter().find(|(f, ..)| f == "file") else {
        return Err(AppError::BadRequest("请选择规划文件".into()));
    };
    let name = base_name(name);
    let plan = planwatch_parse::parse_bytes(bytes, &name)
        .map_err(|e| AppError::BadRequest(format!("{name}:{e}")))?;
    let already = state
        .store
        .document_by_sha256(&plan.source.sha256)
        .await?
        .map(|d| d.id);
    let pending = random_token();
    let page = PlanPreview {
        nav: Nav::of(&viewer),
        pending: pending.clone(),
        file_name: name.clone(),
        title: plan.title.clone().unwrap_or_default(),
        region: format!("{}({})", region.name, region.code),
        doc_type: plan.doc_type.label().to_string(),
        period: plan
            .period
            .map(|p| format!("{}—{}年", p.start, p.end))
            .unwrap_or_default(),
        counts: vec![
            ("标题", plan.outline.len()),
            ("表格", plan.tables.len()),
            ("指标", plan.indicators.len()),
            ("正文量化目标", plan.targets.len()),
            ("专栏", plan.boxes.len()),
            ("重点项目", plan.projects.len()),
            ("诊断", plan.diagnostics.len()),
        ],
        indicators: plan
            .indicators
            .iter()
            .take(40)
            .map(|i| {
                (
                    i.line,
                    i.name.clone(),
                    i.baseline
                        .as_ref()
                        .map(|c| c.text.clone())
                        .unwrap_or_default(),
                    i.target
                        .as_ref()
                        .map(|c| c.text.clone())
                        .unwrap_or_default(),
                )
            })
            .collect(),
        diagnostics: plan
            .diagnostics
            .iter()
            .take(30)
            .map(|d| (d.line, d.message.clone()))
            .collect(),
        already,
    };
    state.uploads.put(
        pending,
        Pending {
            user_id: who.user.id,
            file_name: name,
            bytes: bytes.clone(),
            region_code: Some(region.code.clone()),
            at: Instant::now(),
        },
    );
    Ok(Html(page.render()?).into_response())
}

async fn plan_commit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    let (who, regions) = uploader(&state, &viewer).await?;
    let id = form.get("pending").cloned().unwrap_or_default();
    let p = state
        .uploads
        .take(&id, who.user.id)
        .ok_or_else(|| AppError::BadRequest("上传已过期,请重新上传".into()))?;
    let code = p.region_code.clone().unwrap_or_default();
    if !regions.iter().any(|r| r.code == code) {
        return Err(AppError::Forbidden);
    }
    let (plan, text) = planwatch_parse::parse_bytes_with_text(&p.bytes, &p.file_name)
        .map_err(|e| AppError::BadRequest(format!("{}:{e}", p.file_name)))?;
    let out = state
        .store
        .ingest_document(&plan, &text, Some(&code), &who.actor())
        .await?;
    Ok(back(format!("/plans/{}", out.document_id)))
}

#[derive(Template)]
#[template(path = "upload_actuals.html")]
struct ActualsForm {
    nav: Nav,
    max_mb: usize,
}

async fn actuals_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> PageResult {
    uploader(&state, &viewer).await?;
    let page = ActualsForm {
        nav: Nav::of(&viewer),
        max_mb: state.config.max_file_bytes >> 20,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Template)]
#[template(path = "upload_actuals_preview.html")]
struct ActualsPreview {
    nav: Nav,
    pending: String,
    file_name: String,
    rows: Vec<NewObservation>,
    total: usize,
    regions: Vec<String>,
}

/// Refuse rows of regions the user does not plan (admins may import any).
async fn check_regions(
    state: &AppState,
    who: &Identity,
    regions: &[Region],
    rows: &[NewObservation],
) -> Result<Vec<String>, AppError> {
    let mut names: Vec<String> = rows.iter().map(|r| r.region.trim().to_string()).collect();
    names.sort();
    names.dedup();
    if who.is_admin() {
        return Ok(names);
    }
    for n in &names {
        let known = match state.store.region_by_code(n).await? {
            Some(r) => vec![r],
            None => state.store.regions_by_name(n).await?,
        };
        if !known.iter().any(|k| regions.iter().any(|r| r.id == k.id)) {
            return Err(AppError::BadRequest(format!("无权导入地区“{n}”的数据")));
        }
    }
    Ok(names)
}

async fn actuals_preview(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    mp: Multipart,
) -> PageResult {
    let (who, regions) = uploader(&state, &viewer).await?;
    let form = Upload::read(mp, state.config.max_file_bytes).await?;
    let Some((_, name, _, bytes)) = form.files.iter().find(|(f, ..)| f == "file") else {
        return Err(AppError::BadRequest("请选择实际值文件".into()));
    };
    let name = base_name(name);
    let rows = planwatch_parse::actuals::read_actuals(bytes, &name)
        .map_err(|e| AppError::BadRequest(format!("{name}:{e}")))?;
    for r in &rows {
        planwatch_store::observations::validate(r)
            .map_err(|e| AppError::BadRequest(format!("{name}:{e}")))?;
    }
    let names = check_regions(&state, &who, &regions, &rows).await?;
    let pending = random_token();
    let page = ActualsPreview {
        nav: Nav::of(&viewer),
        pending: pending.clone(),
        file_name: name.clone(),
        total: rows.len(),
        rows: rows.into_iter().take(60).collect(),
        regions: names,
    };
    state.uploads.put(
        pending,
        Pending {
            user_id: who.user.id,
            file_name: name,
            bytes: bytes.clone(),
            region_code: None,
            at: Instant::now(),
        },
    );
    Ok(Html(page.render()?).into_response())
}

async fn actuals_commit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    let (who, regions) = uploader(&state, &viewer).await?;
    let id = form.get("pending").cloned().unwrap_or_default();
    let p = state
        .uploads
        .take(&id, who.user.id)
        .ok_or_else(|| AppError::BadRequest("上传已过期,请重新上传".into()))?;
    let rows = planwatch_parse::actuals::read_actuals(&p.bytes, &p.file_name)
        .map_err(|e| AppError::BadRequest(format!("{}:{e}", p.file_name)))?;
    check_regions(&state, &who, &regions, &rows).await?;
    let batch = ImportBatch {
        file_name: p.file_name.clone(),
        sha256: planwatch_parse::sha256_hex(&p.bytes),
    };
    let out = state
        .store
        .import_observations(&batch, &rows, &who.actor())
        .await?;
    let _ = matches!(out, ImportOutcome::Imported { .. });
    Ok(back("/".to_string()))
}
