//! Documents uploaded through the API, in the web upload's two steps: the file is
//! parsed with the same limits and kept for 30 minutes under a preview id, whose answer
//! says what was found; committing the preview stores it. Both need a token of scope
//! 导入数据 of a user who plans the region.

use std::time::Instant;

use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use planwatch_store::TokenScope;
use serde_json::json;

use super::fail;
use crate::auth::{Viewer, random_token};
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::fields;
use crate::routes::upload::{commit_pending, parse_upload, take_pending, uploader};
use crate::state::{AppState, Pending};

/// Where the uploaded file goes and what it is called (its extension names its format).
#[derive(serde::Deserialize)]
pub struct UploadQuery {
    region: Option<String>,
    name: Option<String>,
}

/// `POST /api/v1/documents?region=CODE&name=FILE`: parse the body, answer the preview.
pub async fn upload(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(q): Query<UploadQuery>,
    body: Bytes,
) -> Result<Response, Response> {
    viewer.require_scope(TokenScope::Import).map_err(fail)?;
    let (who, regions) = uploader(&state, &viewer).await.map_err(fail)?;
    let code = fields::required("region", &q.region, 12).map_err(|e| fail(e.on_field("region")))?;
    let name = fields::required("name", &q.name, 200).map_err(|e| fail(e.on_field("name")))?;
    let region = regions
        .iter()
        .find(|r| r.code == code)
        .ok_or_else(|| fail(AppError::Forbidden))?;
    if body.is_empty() {
        return Err(fail(AppError::BadRequest(
            "请求正文为空：应为规划文件的内容".into(),
        )));
    }
    let (plan, bytes) = parse_upload(&state, &name, body.to_vec())
        .await
        .map_err(fail)?;
    let already = state
        .store
        .document_by_sha256(&plan.source.sha256)
        .await
        .map_err(fail)?
        .map(|d| d.id);
    let preview = random_token();
    let answer = json!({
        "preview_id": preview,
        "file_name": name,
        "region": region.code,
        "title": plan.title,
        "doc_type": plan.doc_type,
        "period": plan.period,
        "counts": {
            "headings": plan.outline.len(),
            "tables": plan.tables.len(),
            "indicators": plan.indicators.len(),
            "targets": plan.targets.len(),
            "projects": plan.projects.len(),
            "diagnostics": plan.diagnostics.len(),
        },
        "already_stored_as": already,
    });
    state.uploads.put(
        preview,
        Pending {
            user_id: who.user.id,
            file_name: name,
            bytes,
            region_code: Some(region.code.clone()),
            at: Instant::now(),
        },
    );
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

/// `POST /api/v1/documents/{preview}/commit`: store a preview of the same user.
pub async fn commit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(preview): Path<String>,
) -> Result<Response, Response> {
    viewer.require_scope(TokenScope::Import).map_err(fail)?;
    let (who, regions) = uploader(&state, &viewer).await.map_err(fail)?;
    let pending =
        take_pending(&state, &who, Some(&preview)).map_err(|_| fail(AppError::NotFound))?;
    let actor = viewer.actor().map_err(fail)?;
    let id = commit_pending(&state, &regions, pending, &actor)
        .await
        .map_err(fail)?;
    Ok((StatusCode::CREATED, Json(json!({ "document_id": id }))).into_response())
}
