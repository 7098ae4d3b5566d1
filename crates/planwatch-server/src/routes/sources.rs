//! 实际值来源: a statistical bulletin (统计公报) or a government work report uploaded as
//! a source of actual values. The preview lists every proposed observation with its
//! sentence and the words that say it highlighted, next to any value already stored for
//! the same region, indicator, year and kind; the planner accepts each row or all of
//! them, and the accepted rows are imported in one transaction (audited by the store)
//! with the document, line and sentence as their source.
//!
//! The document waits in memory like any upload ([`crate::state::Uploads`]); the commit
//! reads it again, so what is imported is exactly what the extraction proposes for
//! these bytes, never values sent back by the browser.

use std::collections::HashMap;
use std::time::Instant;

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Extension, Router};
use planwatch_parse::extract::{
    Extraction, Options, doc_type_label, extract_bytes, to_observations,
};
use planwatch_store::{ImportBatch, Observation, Region};
use serde::Deserialize;

use super::forms::Upload;
use super::upload::{scope_for, take_pending, uploader};
use super::{Nav, back};
use crate::auth::{Viewer, random_token};
use crate::error::{AppError, PageResult};
use crate::extract::{Form, Multipart};
use crate::fields;
use crate::state::{AppState, Pending};

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/upload/source", get(source_form).post(source_preview))
        .route("/upload/source/commit", post(source_commit))
}

#[derive(Template)]
#[template(path = "upload_source.html")]
struct SourceForm {
    nav: Nav,
    regions: Vec<Region>,
    max_mb: usize,
}

async fn source_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> PageResult {
    let (_, regions) = uploader(&state, &viewer).await?;
    let page = SourceForm {
        nav: Nav::of(&viewer),
        regions,
        max_mb: state.config.max_plan_bytes >> 20,
    };
    Ok(Html(page.render()?).into_response())
}

/// One proposed observation as the preview shows it.
struct Row {
    index: usize,
    line: usize,
    indicator: String,
    value: f64,
    unit: String,
    kind: &'static str,
    before: String,
    marked: String,
    after: String,
    note: String,
    /// Values already stored for the same region, indicator, year and kind.
    stored: Vec<String>,
    /// True when a stored value differs from the proposed one.
    conflict: bool,
}

#[derive(Template)]
#[template(path = "upload_source_preview.html")]
struct SourcePreview {
    nav: Nav,
    pending: String,
    file_name: String,
    doc_type: &'static str,
    title: String,
    region: String,
    year: i32,
    rows: Vec<Row>,
    conflicts: usize,
}

/// The region a form names, among those the user may upload into.
fn chosen<'a>(regions: &'a [Region], code: &str) -> Result<&'a Region, AppError> {
    regions
        .iter()
        .find(|r| r.code == code)
        .ok_or(AppError::Forbidden)
}

/// Extract in the heavy-work pool; the error names the file.
async fn extract(
    state: &AppState,
    name: &str,
    bytes: Vec<u8>,
    opts: Options,
) -> Result<(Extraction, Vec<u8>), AppError> {
    let file = name.to_string();
    let (doc, bytes) = state
        .heavy
        .run(move || (extract_bytes(&bytes, &file, &opts), bytes))
        .await?;
    let doc = doc.map_err(|e| AppError::BadRequest(format!("{name}:{e}")))?;
    Ok((doc, bytes))
}

/// A stored observation in words: 356(亿元,统计公报…,发布于2024-03-28).
fn stored_text(o: &Observation) -> String {
    let mut out = crate::view::num(o.value);
    if let Some(u) = &o.unit {
        out.push_str(u);
    }
    let vintage = if o.vintage.is_empty() {
        String::new()
    } else {
        format!("，发布于{}", o.vintage)
    };
    format!("{out}({}{vintage})", o.source)
}

/// The same figure, allowing for floating-point noise (also the work-report page's test).
pub(super) fn same_value(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

async fn source_preview(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Multipart(mp): Multipart,
) -> PageResult {
    let (who, regions) = uploader(&state, &viewer).await?;
    let form = Upload::read(mp, state.config.max_plan_bytes).await?;
    let code = fields::required("地区", &form.raw("region"), 12)?;
    let region = chosen(&regions, &code)?.clone();
    let year = fields::year("年份", &form.raw("year"))?;
    let Some((_, name, _, bytes)) = form.files.into_iter().find(|(f, ..)| f == "file") else {
        return Err(AppError::BadRequest(
            "请选择统计公报或政府工作报告文件".into(),
        ));
    };
    let opts = Options {
        region: Some(region.code.clone()),
        year,
    };
    let (doc, bytes) = extract(&state, &name, bytes, opts).await?;
    let stored = state.store.observations_for(&region.code).await?;
    let rows: Vec<Row> = doc
        .rows
        .iter()
        .enumerate()
        .map(|(index, p)| {
            let same: Vec<&Observation> = stored
                .iter()
                .filter(|o| {
                    let name = o.canonical_name.as_deref().unwrap_or(&o.indicator);
                    name == p.indicator && o.year == i64::from(p.year) && o.kind == p.kind
                })
                .collect();
            let (before, marked, after) = p.highlighted();
            Row {
                index,
                line: p.line,
                indicator: p.indicator.clone(),
                value: p.value,
                unit: p.unit.clone().unwrap_or_default(),
                kind: p.kind.label(),
                before,
                marked,
                after,
                note: p.note.clone().unwrap_or_default(),
                conflict: same.iter().any(|o| !same_value(o.value, p.value)),
                stored: same.into_iter().map(stored_text).collect(),
            }
        })
        .collect();
    let pending = random_token();
    let page = SourcePreview {
        nav: Nav::of(&viewer),
        pending: pending.clone(),
        file_name: name.clone(),
        doc_type: doc_type_label(doc.doc_type),
        title: doc.title.clone().unwrap_or_default(),
        region: format!("{}（{}）", region.name, region.code),
        year: doc.year,
        conflicts: rows.iter().filter(|r| r.conflict).count(),
        rows,
    };
    state.uploads.put(
        pending,
        Pending {
            user_id: who.user.id,
            file_name: name,
            bytes,
            region_code: Some(region.code),
            at: Instant::now(),
        },
    );
    Ok(Html(page.render()?).into_response())
}

/// The confirm form of a source preview.
#[derive(Deserialize)]
struct SourceCommit {
    pending: Option<String>,
    year: Option<String>,
    /// `1` for 全部接受并导入.
    all: Option<String>,
    /// `accept_N` for every row ticked (N is the row's index in the preview).
    #[serde(flatten)]
    ticks: HashMap<String, String>,
}

impl SourceCommit {
    /// The rows this form accepts: all of them (全部接受), or those ticked.
    fn accepted(&self, count: usize) -> Vec<usize> {
        if self.all.as_deref() == Some("1") {
            return (0..count).collect();
        }
        (0..count)
            .filter(|i| self.ticks.contains_key(&format!("accept_{i}")))
            .collect()
    }
}

async fn source_commit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<SourceCommit>,
) -> PageResult {
    let (who, regions) = uploader(&state, &viewer).await?;
    let p = take_pending(&state, &who, form.pending.as_deref())?;
    // Rights are checked again: grants may have changed since the preview.
    let code = p.region_code.clone().unwrap_or_default();
    let scope = scope_for(&who, &regions, Some(code.clone()))?;
    let year = fields::year("年份", &form.year)?;
    let opts = Options {
        region: Some(code),
        year,
    };
    let (doc, bytes) = extract(&state, &p.file_name, p.bytes, opts).await?;
    let all = to_observations(&doc);
    let chosen = form.accepted(all.len());
    if chosen.is_empty() {
        return Err(AppError::BadRequest(
            "没有接受任何数据，未导入；如不需要这些数据，请选择“全部拒绝”".into(),
        ));
    }
    let rows: Vec<_> = chosen.iter().map(|&i| all[i].clone()).collect();
    // One import per document and choice: the same choice again is recognized as done,
    // another choice from the same document is a new import.
    let mut key = bytes;
    key.extend(format!("\n实际值来源：{chosen:?}").bytes());
    let batch = ImportBatch {
        file_name: format!("{}（实际值来源）", p.file_name),
        sha256: planwatch_parse::sha256_hex(&key),
    };
    state
        .store
        .import_observations_scoped(&batch, &rows, &scope, &who.actor(), &mut |_| {})
        .await
        .map_err(|e| match e {
            planwatch_store::StoreError::Invalid(m) => {
                AppError::BadRequest(format!("{}:{m}", p.file_name))
            }
            other => other.into(),
        })?;
    Ok(back("/".to_string()))
}
