//! The JSON API under `/api/v1`, read-only: plans, indicators, observations, tasks and
//! status. Authenticated by a per-user bearer token (or the browser session); public
//! plans are readable without either. Documented in `openapi.json`, served at
//! `/api/v1/openapi.json`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use planwatch_store::{DocumentSummary, ImportBatch, ImportOutcome, StoreError, TokenScope};
use serde_json::{Value, json};

use crate::auth::Viewer;
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::state::AppState;

mod openapi;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/plans", get(plans))
        .route("/api/v1/plans/{id}", get(plan))
        .route("/api/v1/plans/{id}/indicators", get(indicators))
        .route("/api/v1/plans/{id}/observations", get(observations))
        .route("/api/v1/plans/{id}/tasks", get(tasks))
        .route("/api/v1/plans/{id}/status", get(status))
        .route("/api/v1/search", get(search))
        .route("/api/v1/observations", post(import_observations))
}

/// An API result: JSON, errors as `{"error": …}`.
type ApiResult = Result<Json<Value>, Response>;

fn fail(e: impl Into<AppError>) -> Response {
    e.into().into_json()
}

async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        openapi::document(),
    )
}

/// Fields naming who did something (`web:editor-a`): internal, see [`scrub_internal`].
pub const INTERNAL_FIELDS: &[&str] = &["ingested_by", "updated_by", "created_by", "import_id"];

/// Fields naming who did something (`web:editor-a`) are internal: removed, at any depth,
/// from what a reader of a public plan gets.
pub fn scrub_internal(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.retain(|k, _| !INTERNAL_FIELDS.contains(&k.as_str()));
            map.values_mut().for_each(scrub_internal);
        }
        Value::Array(items) => items.iter_mut().for_each(scrub_internal),
        _ => {}
    }
}

/// A readable plan, and whether the viewer reads it through a grant (else only
/// because it is public, and gets the approved data without internal fields).
async fn readable_doc(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<(DocumentSummary, bool), Response> {
    let doc = state.store.document_summary(id).await.map_err(fail)?;
    let public = state.store.is_public(id).await.map_err(fail)?;
    if viewer.can_read(&doc, public) {
        let internal = viewer.reads_internally(&doc);
        Ok((doc, internal))
    } else if viewer.identity.is_some() {
        Err(fail(AppError::Forbidden))
    } else {
        Err(fail(AppError::Unauthorized))
    }
}

/// `body` for this viewer: as is for an internal reader, scrubbed for the public.
fn for_viewer(mut body: Value, internal: bool) -> Json<Value> {
    if !internal {
        scrub_internal(&mut body);
    }
    Json(body)
}

async fn plans(State(state): State<AppState>, Extension(viewer): Extension<Viewer>) -> ApiResult {
    let public = state.store.public_documents().await.map_err(fail)?;
    let docs: Vec<Value> = state
        .store
        .list_documents()
        .await
        .map_err(fail)?
        .into_iter()
        .filter(|d| viewer.can_read(d, public.contains(&d.id)))
        .map(|d| {
            let internal = viewer.reads_internally(&d);
            let mut v = json!(d);
            if !internal {
                scrub_internal(&mut v);
            }
            v
        })
        .collect();
    Ok(Json(json!({ "plans": docs })))
}

/// Lines of the readable documents holding the query's words (`docs/search.md`).
async fn search(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(p): Query<super::search::Params>,
) -> ApiResult {
    let q = p.query().unwrap_or_default().to_string();
    let filter = super::search::filter(&state, &viewer, &p)
        .await
        .map_err(fail)?;
    let r = state
        .store
        .search(&q, &filter, super::search::LIMIT)
        .await
        .map_err(fail)?;
    let hits: Vec<Value> = r
        .hits
        .iter()
        .map(|h| {
            let mut v = json!(h);
            v["doc_type_label"] = json!(h.doc_type.label());
            v["url"] = json!(super::search::line_url(h));
            v
        })
        .collect();
    Ok(Json(
        json!({ "terms": r.terms, "total": r.total, "hits": hits }),
    ))
}

async fn plan(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> ApiResult {
    let (doc, internal) = readable_doc(&state, &viewer, id).await?;
    Ok(for_viewer(json!({ "plan": doc }), internal))
}

async fn indicators(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> ApiResult {
    let (_, internal) = readable_doc(&state, &viewer, id).await?;
    let rows = state.store.indicators_of(id).await.map_err(fail)?;
    Ok(for_viewer(json!({ "indicators": rows }), internal))
}

async fn observations(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> ApiResult {
    let (doc, internal) = readable_doc(&state, &viewer, id).await?;
    let rows = state
        .store
        .region_observations(doc.region_id, doc.region_name.as_deref())
        .await
        .map_err(fail)?;
    Ok(for_viewer(json!({ "observations": rows }), internal))
}

async fn tasks(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> ApiResult {
    let (_, internal) = readable_doc(&state, &viewer, id).await?;
    let rows = state.store.tasks_of(id, None).await.map_err(fail)?;
    Ok(for_viewer(json!({ "tasks": rows }), internal))
}

async fn status(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, Response> {
    readable_doc(&state, &viewer, id).await?;
    let view = state.cache.get(&state.store, id).await.map_err(fail)?;
    // Serialised once per database state, like the dashboard's charts; a client that
    // holds this state already gets 304 and no body.
    let etag = view.status_etag();
    let cache = [
        (header::ETAG, etag.to_string()),
        (header::CACHE_CONTROL, "private, no-cache".to_string()),
    ];
    if if_none_match(&headers, etag) {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    Ok((
        cache,
        [(header::CONTENT_TYPE, "application/json")],
        view.status_json().to_string(),
    )
        .into_response())
}

/// Whether `If-None-Match` names `etag` (or is `*`).
fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}

/// Where imported observations go: a region code the caller may import for (optional
/// when every row names its region and the caller may import for each).
#[derive(serde::Deserialize)]
struct ImportQuery {
    region: Option<String>,
}

/// Import observations from a CSV body with the columns of an actuals file, all or
/// nothing, with the rights of the web upload; the token needs the import scope. The
/// same body sent again (a retry) stores nothing and answers with the first import.
async fn import_observations(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(query): Query<ImportQuery>,
    body: Bytes,
) -> Result<Response, Response> {
    let actor = viewer.actor().map_err(fail)?;
    viewer.require_scope(TokenScope::Import).map_err(fail)?;
    let (who, regions) = super::upload::uploader(&state, &viewer)
        .await
        .map_err(fail)?;
    let code = crate::fields::line("地区", &query.region, 12).map_err(fail)?;
    let scope = super::upload::scope_for(&who, &regions, code).map_err(fail)?;
    const NAME: &str = "请求正文.csv";
    let (rows, bytes) = super::upload::read_rows(&state, NAME, body.to_vec())
        .await
        .map_err(fail)?;
    let batch = ImportBatch {
        file_name: format!("API:{NAME}"),
        sha256: planwatch_parse::sha256_hex(&bytes),
    };
    let outcome = state
        .store
        .import_observations_scoped(&batch, &rows, &scope, &actor, &mut |_| {})
        .await
        .map_err(|e| match e {
            StoreError::Invalid(m) => fail(AppError::BadRequest(format!("{NAME}:{m}"))),
            other => fail(other),
        })?;
    let (status, body) = match outcome {
        ImportOutcome::Imported { import_id, rows } => (
            StatusCode::CREATED,
            json!({ "import_id": import_id, "rows": rows, "already_imported": false }),
        ),
        ImportOutcome::AlreadyImported { import_id } => (
            StatusCode::OK,
            json!({ "import_id": import_id, "rows": 0, "already_imported": true }),
        ),
    };
    Ok((status, Json(body)).into_response())
}
