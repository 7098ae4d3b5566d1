//! Uploads with a preview before anything is stored: a plan document (parsed and
//! shown, then ingested with its text) and an actuals file (rows read and shown,
//! then imported all-or-nothing). The bytes wait in memory under a random id that
//! only the uploader can commit.
//!
//! Parsing and reading files is CPU work on untrusted input: it runs in the bounded
//! pool of [`crate::heavy`] with a time limit, so a large or pathological file gets
//! "文件过大或过于复杂" and the other users' pages stay fast.
//!
//! Every actuals row names its region by code, or by a name exactly one region has;
//! a planner may import only into the regions they plan. The form's region choice
//! settles a name that several regions share.

use std::time::Instant;

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Extension, Router};
use planwatch_store::{ImportBatch, ImportScope, NewObservation, Region};
use serde::Deserialize;

use super::forms::Upload;
use super::{Nav, back};
use crate::auth::{Identity, Viewer, random_token};
use crate::error::{AppError, PageResult};
use crate::extract::{Form, Multipart};
use crate::fields;
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

pub(super) async fn uploader(
    state: &AppState,
    viewer: &Viewer,
) -> Result<(Identity, Vec<Region>), AppError> {
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
    /// Input format, with the page count of a PDF.
    format: String,
    counts: Vec<(&'static str, usize)>,
    indicators: Vec<(String, String, String, String)>,
    diagnostics: Vec<(String, String)>,
    already: Option<i64>,
}

/// Where an item stands in the source: "第 3 页 第 120 行" for a PDF, "第 120 行" otherwise.
fn position(page: Option<u32>, line: usize) -> String {
    match page {
        Some(page) => format!("第 {page} 页 第 {line} 行"),
        None => format!("第 {line} 行"),
    }
}

async fn plan_preview(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Multipart(mp): Multipart,
) -> PageResult {
    let (who, regions) = uploader(&state, &viewer).await?;
    let form = Upload::read(mp, state.config.max_plan_bytes).await?;
    let code = fields::required("地区", &form.raw("region"), 12)?;
    let region = regions
        .iter()
        .find(|r| r.code == code)
        .ok_or(AppError::Forbidden)?;
    let Some((_, name, _, bytes)) = form.files.into_iter().find(|(f, ..)| f == "file") else {
        return Err(AppError::BadRequest("请选择规划文件".into()));
    };
    let (plan, bytes) = parse_upload(&state, &name, bytes).await?;
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
        title: plan
            .title
            .clone()
            .unwrap_or_else(|| "（未识别）".to_string()),
        format: match plan.source.pages {
            Some(pages) => format!("{}（共 {pages} 页）", plan.source.format.to_uppercase()),
            None => plan.source.format.to_uppercase(),
        },
        region: format!("{}（{}）", region.name, region.code),
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
                    position(i.page, i.line),
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
            .map(|d| (position(d.page, d.line), d.message.clone()))
            .collect(),
        already,
    };
    state.uploads.put(
        pending,
        Pending {
            user_id: who.user.id,
            file_name: name,
            bytes,
            region_code: Some(region.code.clone()),
            at: Instant::now(),
        },
    );
    Ok(Html(page.render()?).into_response())
}

/// The confirm form of a preview.
#[derive(Deserialize)]
pub struct CommitForm {
    pending: Option<String>,
}

impl CommitForm {
    /// The waiting upload of this form, if it is the user's and has not expired.
    fn take(&self, state: &AppState, who: &Identity) -> Result<Pending, AppError> {
        take_pending(state, who, self.pending.as_deref())
    }
}

/// The waiting upload `id` names, if it is the user's and has not expired.
pub(super) fn take_pending(
    state: &AppState,
    who: &Identity,
    id: Option<&str>,
) -> Result<Pending, AppError> {
    state
        .uploads
        .take(id.unwrap_or_default(), who.user.id)
        .ok_or_else(|| AppError::BadRequest("上传已过期，请重新上传".into()))
}

async fn plan_commit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<CommitForm>,
) -> PageResult {
    let (who, regions) = uploader(&state, &viewer).await?;
    let p = form.take(&state, &who)?;
    let id = commit_pending(&state, &regions, p, &viewer.actor()?).await?;
    Ok(back(format!("/plans/{id}")))
}

/// Parse an uploaded document in the heavy pool (the same limits for every upload);
/// the error names the file.
pub(super) async fn parse_upload(
    state: &AppState,
    name: &str,
    bytes: Vec<u8>,
) -> Result<(planwatch_core::plan::Plan, Vec<u8>), AppError> {
    let file = name.to_string();
    let (plan, bytes) = state
        .heavy
        .run(move || (planwatch_parse::parse_bytes(&bytes, &file), bytes))
        .await?;
    let plan = plan.map_err(|e| AppError::BadRequest(format!("{name}:{e}")))?;
    Ok((plan, bytes))
}

/// Store a previewed upload for its region (which the uploader must still plan) as
/// `actor`; the new document's id.
pub(super) async fn commit_pending(
    state: &AppState,
    regions: &[Region],
    p: Pending,
    actor: &str,
) -> Result<i64, AppError> {
    let code = p.region_code.clone().unwrap_or_default();
    if !regions.iter().any(|r| r.code == code) {
        return Err(AppError::Forbidden);
    }
    let name = p.file_name.clone();
    let parsed = state
        .heavy
        .run(move || planwatch_parse::parse_bytes_with_text(&p.bytes, &p.file_name))
        .await?;
    let (plan, text) = parsed.map_err(|e| AppError::BadRequest(format!("{name}:{e}")))?;
    let out = state
        .store
        .ingest_document(&plan, &text, Some(&code), actor)
        .await?;
    Ok(out.document_id)
}

#[derive(Template)]
#[template(path = "upload_actuals.html")]
struct ActualsForm {
    nav: Nav,
    max_mb: usize,
    regions: Vec<Region>,
}

async fn actuals_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> PageResult {
    let (_, regions) = uploader(&state, &viewer).await?;
    let page = ActualsForm {
        nav: Nav::of(&viewer),
        max_mb: state.config.max_file_bytes >> 20,
        regions,
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

/// Where a user's rows may go: a planner only into the regions they plan, an admin
/// anywhere; `code` (the form's choice) settles names several regions share.
pub(super) fn scope_for(
    who: &Identity,
    regions: &[Region],
    code: Option<String>,
) -> Result<ImportScope, AppError> {
    if let Some(c) = &code
        && !regions.iter().any(|r| &r.code == c)
    {
        return Err(AppError::Forbidden);
    }
    Ok(ImportScope {
        region_code: code,
        allowed_regions: (!who.is_admin()).then(|| regions.iter().map(|r| r.id).collect()),
    })
}

/// Read an actuals file in the heavy-work pool; the error names the file.
pub(super) async fn read_rows(
    state: &AppState,
    name: &str,
    bytes: Vec<u8>,
) -> Result<(Vec<NewObservation>, Vec<u8>), AppError> {
    let file = name.to_string();
    let (rows, bytes) = state
        .heavy
        .run(move || (planwatch_parse::actuals::read_actuals(&bytes, &file), bytes))
        .await?;
    let rows = rows.map_err(|e| AppError::BadRequest(format!("{name}:{e}")))?;
    Ok((rows, bytes))
}

async fn actuals_preview(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Multipart(mp): Multipart,
) -> PageResult {
    let (who, regions) = uploader(&state, &viewer).await?;
    let form = Upload::read(mp, state.config.max_file_bytes).await?;
    let code = fields::line("地区", &form.raw("region"), 12)?;
    let scope = scope_for(&who, &regions, code.clone())?;
    let Some((_, name, _, bytes)) = form.files.into_iter().find(|(f, ..)| f == "file") else {
        return Err(AppError::BadRequest("请选择实际值文件".into()));
    };
    let (rows, bytes) = read_rows(&state, &name, bytes).await?;
    // Every check of the import (rows, duplicates, regions and rights), nothing stored.
    let resolved = state
        .store
        .check_import(&rows, &scope)
        .await
        .map_err(|e| AppError::BadRequest(format!("{name}:{e}")))?;
    let names = resolved
        .into_iter()
        .map(|(text, r)| match r {
            Some(r) => format!("{}（{}）", r.name, r.code),
            None => format!("{text}（未登记的地区）"),
        })
        .collect();
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
            bytes,
            region_code: code,
            at: Instant::now(),
        },
    );
    Ok(Html(page.render()?).into_response())
}

async fn actuals_commit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<CommitForm>,
) -> PageResult {
    let (who, regions) = uploader(&state, &viewer).await?;
    let p = form.take(&state, &who)?;
    // Rights are checked again: grants may have changed since the preview.
    let scope = scope_for(&who, &regions, p.region_code.clone())?;
    let batch = ImportBatch {
        file_name: p.file_name.clone(),
        sha256: planwatch_parse::sha256_hex(&p.bytes),
    };
    let (rows, _) = read_rows(&state, &p.file_name, p.bytes).await?;
    let outcome = state
        .store
        .import_observations_scoped(&batch, &rows, &scope, &who.actor(), &mut |_| {})
        .await
        .map_err(|e| match e {
            planwatch_store::StoreError::Invalid(m) => {
                AppError::BadRequest(format!("{}:{m}", batch.file_name))
            }
            other => other.into(),
        })?;
    let page = ImportedPage {
        nav: Nav::of(&viewer),
        file_name: p.file_name.clone(),
        summary: import_summary(&rows, &outcome),
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Template)]
#[template(path = "upload_actuals_done.html")]
struct ImportedPage {
    nav: Nav,
    file_name: String,
    summary: String,
}

/// What an import stored, in one sentence: how many rows, which years, which
/// indicators (`已导入 57 条实际值，年份 2020—2023，指标 26 项：地区生产总值、…`).
fn import_summary(rows: &[NewObservation], outcome: &planwatch_store::ImportOutcome) -> String {
    let planwatch_store::ImportOutcome::Imported { rows: n, .. } = outcome else {
        return "该文件已导入过，未重复导入。".into();
    };
    let years = rows.iter().map(|r| r.year);
    let (from, to) = (years.clone().min(), years.max());
    let span = match (from, to) {
        (Some(a), Some(b)) if a != b => format!("{a}—{b}"),
        (Some(a), _) => a.to_string(),
        _ => "—".into(),
    };
    let mut names: Vec<&str> = Vec::new();
    for r in rows {
        if !names.contains(&r.indicator.as_str()) {
            names.push(&r.indicator);
        }
    }
    let shown: Vec<&str> = names.iter().copied().take(8).collect();
    let more = if names.len() > shown.len() { "等" } else { "" };
    format!(
        "已导入 {n} 条实际值，年份 {span}，指标 {} 项：{}{more}。",
        names.len(),
        shown.join("、")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use planwatch_store::ImportOutcome;

    fn row(year: i64, indicator: &str) -> NewObservation {
        NewObservation {
            year,
            indicator: indicator.into(),
            ..NewObservation::default()
        }
    }

    #[test]
    fn an_import_says_what_it_stored() {
        let rows: Vec<NewObservation> = (2020..=2023)
            .flat_map(|y| [row(y, "地区生产总值"), row(y, "常住人口")])
            .collect();
        let done = ImportOutcome::Imported {
            import_id: 1,
            rows: 8,
        };
        assert_eq!(
            import_summary(&rows, &done),
            "已导入 8 条实际值，年份 2020—2023，指标 2 项：地区生产总值、常住人口。"
        );
        let many: Vec<NewObservation> = (0..10).map(|i| row(2023, &format!("指标{i}"))).collect();
        let done = ImportOutcome::Imported {
            import_id: 2,
            rows: 10,
        };
        let s = import_summary(&many, &done);
        assert!(
            s.starts_with("已导入 10 条实际值，年份 2023，指标 10 项：指标0、"),
            "{s}"
        );
        assert!(s.ends_with("指标7等。"), "{s}");
    }
}
