//! The JSON API under `/api/v1`: plans, indicators, observations, tasks (paged by
//! cursor, with filters), status and key projects; observations imported, and task and
//! project progress reported, with a token. Authenticated by a per-user bearer token (or
//! the browser session); public plans are readable without either. Documented in
//! `openapi.json`, served at
//! `/api/v1/openapi.json`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use planwatch_core::plan::DocType;
use planwatch_store::{
    DocumentSummary, ImportBatch, ImportOutcome, StoreError, TaskStatus, TokenScope,
};
use serde_json::{Value, json};

use crate::auth::Viewer;
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::state::AppState;

mod documents;
mod json_rows;
mod lists;
mod openapi;
mod projects;
mod reports;

use lists::Page;

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
        .route("/api/v1/plans/{id}/projects", get(projects::ledger))
        .route("/api/v1/plans/{id}/projects/{pid}", get(projects::project))
        .route(
            "/api/v1/plans/{id}/projects/{pid}/reports",
            post(projects::submit),
        )
        .route("/api/v1/search", get(search))
        .route("/api/v1/observations", post(import_observations))
        .route("/api/v1/documents", post(documents::upload))
        .route(
            "/api/v1/documents/{preview}/commit",
            post(documents::commit),
        )
        .route(
            "/api/v1/plans/{id}/tasks/{tid}/reports",
            post(reports::task_report),
        )
}

/// An API result: JSON, errors as `{"error": …}`.
type ApiResult = Result<Json<Value>, Response>;

fn fail(e: impl Into<AppError>) -> Response {
    e.into().into_json()
}

/// The OpenAPI document as served (for the API 说明 page).
pub fn openapi_document() -> &'static str {
    openapi::document()
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

/// `/plans` filters: a region's code and a document type's code, besides the page.
#[derive(serde::Deserialize)]
struct PlansQuery {
    limit: Option<String>,
    cursor: Option<String>,
    region: Option<String>,
    r#type: Option<String>,
}

async fn plans(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(q): Query<PlansQuery>,
) -> ApiResult {
    let page = Page::read(&q.limit, &q.cursor).map_err(fail)?;
    lists::given("type", &q.r#type).map_err(fail)?;
    let doc_type = match crate::fields::present(&q.r#type) {
        None => None,
        Some(code) => Some(
            <DocType as planwatch_core::codes::Code>::from_code(code).ok_or_else(|| {
                fail(AppError::BadField(
                    "type",
                    "type 应为文档类型代码，如 plan_outline、work_report".into(),
                ))
            })?,
        ),
    };
    // An unknown region code matches nothing (and says nothing of what exists).
    let region = match crate::fields::present(&q.region) {
        None => None,
        Some(code) => Some(
            state
                .store
                .region_by_code(code)
                .await
                .map_err(fail)?
                .map(|r| r.id),
        ),
    };
    let public = state.store.public_documents().await.map_err(fail)?;
    let docs: Vec<Value> = state
        .store
        .list_documents()
        .await
        .map_err(fail)?
        .into_iter()
        .filter(|d| viewer.can_read(d, public.contains(&d.id)))
        .filter(|d| doc_type.is_none_or(|t| d.doc_type == t))
        .filter(|d| region.is_none_or(|r| r.is_some() && d.region_id == r))
        .map(|d| {
            let internal = viewer.reads_internally(&d);
            let mut v = json!(d);
            if !internal {
                scrub_internal(&mut v);
            }
            v
        })
        .collect();
    Ok(Json(page.cut("plans", docs)))
}

/// Lines of the readable documents holding the query's words (`docs/search.md`).
async fn search(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(p): Query<super::search::Params>,
) -> ApiResult {
    for (name, raw) in p.typed() {
        lists::given(name, raw).map_err(fail)?;
    }
    let q = p.query().unwrap_or_default().to_string();
    let page = Page::read_within(
        p.limit(),
        p.cursor(),
        super::search::LIMIT,
        planwatch_store::search::MAX_LIMIT,
    )
    .map_err(fail)?;
    let filter = super::search::filter(&state, &viewer, &p)
        .await
        .map_err(fail)?;
    let offset = usize::try_from(page.after().unwrap_or(0)).unwrap_or(usize::MAX);
    let r = state
        .store
        .search_from(&q, &filter, offset, page.limit())
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
    // The cursor of a search is the number of hits already returned.
    let seen = offset.saturating_add(r.hits.len());
    let next = (!r.hits.is_empty() && (seen as i64) < r.total).then(|| seen.to_string());
    Ok(Json(json!({
        "terms": r.terms,
        "total": r.total,
        "more": r.more,
        "hits": hits,
        "next_cursor": next,
    })))
}

async fn plan(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> ApiResult {
    let (doc, internal) = readable_doc(&state, &viewer, id).await?;
    Ok(for_viewer(json!({ "plan": doc }), internal))
}

/// Only a page.
#[derive(serde::Deserialize)]
struct PageQuery {
    limit: Option<String>,
    cursor: Option<String>,
}

/// Rows as JSON values (for paging and scrubbing).
fn values<T: serde::Serialize>(rows: Vec<T>) -> Vec<Value> {
    rows.into_iter().map(|r| json!(r)).collect()
}

async fn indicators(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> ApiResult {
    let page = Page::read(&q.limit, &q.cursor).map_err(fail)?;
    let (_, internal) = readable_doc(&state, &viewer, id).await?;
    let rows = state.store.indicators_of(id).await.map_err(fail)?;
    Ok(for_viewer(page.cut("indicators", values(rows)), internal))
}

/// `/observations` filters: a year and an indicator's name, besides the page.
#[derive(serde::Deserialize)]
struct ObservationsQuery {
    limit: Option<String>,
    cursor: Option<String>,
    year: Option<String>,
    indicator: Option<String>,
}

async fn observations(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Query(q): Query<ObservationsQuery>,
) -> ApiResult {
    let page = Page::read(&q.limit, &q.cursor).map_err(fail)?;
    lists::given("year", &q.year).map_err(fail)?;
    let year = crate::fields::year("year", &q.year).map_err(|e| fail(e.on_field("year")))?;
    let indicator = crate::fields::line("indicator", &q.indicator, 200)
        .map_err(|e| fail(e.on_field("indicator")))?;
    let (doc, internal) = readable_doc(&state, &viewer, id).await?;
    let rows: Vec<_> = state
        .store
        .region_observations(doc.region_id, doc.region_name.as_deref())
        .await
        .map_err(fail)?
        .into_iter()
        .filter(|o| year.is_none_or(|y| o.year == i64::from(y)))
        .filter(|o| {
            indicator
                .as_deref()
                .is_none_or(|name| o.indicator == name || o.canonical_name.as_deref() == Some(name))
        })
        .collect();
    Ok(for_viewer(page.cut("observations", values(rows)), internal))
}

/// `/tasks` filters: a status code and a department's id, besides the page.
#[derive(serde::Deserialize)]
struct TasksQuery {
    limit: Option<String>,
    cursor: Option<String>,
    status: Option<String>,
    department: Option<String>,
}

async fn tasks(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Query(q): Query<TasksQuery>,
) -> ApiResult {
    let page = Page::read(&q.limit, &q.cursor).map_err(fail)?;
    lists::given("status", &q.status).map_err(fail)?;
    lists::given("department", &q.department).map_err(fail)?;
    let status = match crate::fields::present(&q.status) {
        None => None,
        Some(code) => Some(TaskStatus::parse(code).ok_or_else(|| {
            fail(AppError::BadField(
                "status",
                "status 应为 not_started、in_progress、done 或 delayed".into(),
            ))
        })?),
    };
    let department = crate::fields::id("department", &q.department)
        .map_err(|e| fail(e.on_field("department")))?;
    let (_, internal) = readable_doc(&state, &viewer, id).await?;
    let rows: Vec<_> = state
        .store
        .tasks_of(id, department)
        .await
        .map_err(fail)?
        .into_iter()
        .filter(|t| status.is_none_or(|s| t.status == s))
        .collect();
    Ok(for_viewer(page.cut("tasks", values(rows)), internal))
}

/// `/status` filters: the year the plan is judged in, and one category (its label,
/// as the answer writes it).
#[derive(serde::Deserialize)]
struct StatusQuery {
    year: Option<String>,
    category: Option<String>,
}

async fn status(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Query(q): Query<StatusQuery>,
    headers: HeaderMap,
) -> Result<Response, Response> {
    lists::given("year", &q.year).map_err(fail)?;
    lists::given("category", &q.category).map_err(fail)?;
    let year = crate::fields::year("year", &q.year).map_err(|e| fail(e.on_field("year")))?;
    let category = match crate::fields::present(&q.category) {
        None => None,
        Some(label) => Some(
            planwatch_core::eval::Category::ALL
                .into_iter()
                .find(|c| c.label() == label)
                .ok_or_else(|| {
                    fail(AppError::BadField(
                        "category",
                        "category 应为评价类别，如 滞后".into(),
                    ))
                })?,
        ),
    };
    readable_doc(&state, &viewer, id).await?;
    let view = state
        .cache
        .get(&state.store, id, year)
        .await
        .map_err(fail)?;
    // Serialised once per database state and year, like the dashboard's charts; a
    // client that holds this state already gets 304 and no body.
    let (body, etag) = match category {
        None => (
            view.status_json().to_string(),
            view.status_etag().to_string(),
        ),
        Some(c) => {
            let mut doc: Value = serde_json::from_str(view.status_json()).unwrap_or_default();
            if let Some(items) = doc["evaluations"].as_array_mut() {
                items.retain(|e| e["category"] == c.label());
            }
            let body = doc.to_string();
            let hash = planwatch_parse::sha256_hex(body.as_bytes());
            (body, format!("\"{}\"", &hash[..32]))
        }
    };
    let cache = [
        (header::ETAG, etag.clone()),
        (header::CACHE_CONTROL, "private, no-cache".to_string()),
    ];
    if if_none_match(&headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    Ok((cache, [(header::CONTENT_TYPE, "application/json")], body).into_response())
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

/// Whether the body is JSON (`Content-Type: application/json`); CSV otherwise.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"))
}

/// Import observations from a CSV body (or a JSON array of objects) with the columns of
/// an actuals file, all or nothing, with the rights of the web upload; the token needs the import scope. The
/// same body sent again (a retry) stores nothing and answers with the first import.
async fn import_observations(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(query): Query<ImportQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    let actor = viewer.actor().map_err(fail)?;
    viewer.require_scope(TokenScope::Import).map_err(fail)?;
    let (who, regions) = super::upload::uploader(&state, &viewer)
        .await
        .map_err(fail)?;
    let code =
        crate::fields::line("地区", &query.region, 12).map_err(|e| fail(e.on_field("region")))?;
    let scope = super::upload::scope_for(&who, &regions, code).map_err(fail)?;
    let json = is_json(&headers);
    let name = if json {
        "请求正文.json"
    } else {
        "请求正文.csv"
    };
    let (rows, bytes) = if json {
        let table = json_rows::rows_of(&body).map_err(fail)?;
        let rows = planwatch_parse::actuals::rows_to_observations(table)
            .map_err(|e| fail(AppError::BadRequest(format!("{name}：{e}"))))?;
        (rows, body.to_vec())
    } else {
        super::upload::read_rows(&state, name, body.to_vec())
            .await
            .map_err(fail)?
    };
    let batch = ImportBatch {
        file_name: format!("API:{name}"),
        sha256: planwatch_parse::sha256_hex(&bytes),
    };
    let outcome = state
        .store
        .import_observations_scoped(&batch, &rows, &scope, &actor, &mut |_| {})
        .await
        .map_err(|e| match e {
            StoreError::Invalid(m) => fail(AppError::BadRequest(format!("{name}:{m}"))),
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
