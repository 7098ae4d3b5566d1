//! Full-text search: the page behind the header's search box and the query rules the
//! API shares. Only the documents the viewer may read are searched (the plan list's
//! rule, `Viewer::can_read`); each hit links to its line beside the outline.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::{Extension, Router};
use planwatch_store::search::{MAX_COUNTED, query};
use planwatch_store::{Code, SearchFilter, SearchHit, SearchResults};
use serde::Deserialize;

use super::Nav;
use crate::auth::Viewer;
use crate::error::{AppError, PageResult};
use crate::extract::Query;
use crate::fields;
use crate::paging::Pager;
use crate::state::AppState;

/// Hits shown by the page and the API.
pub const LIMIT: usize = 50;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/search", get(page))
}

/// The search parameters of the page and the API, as typed.
#[derive(Deserialize, Default)]
pub struct Params {
    q: Option<String>,
    region: Option<String>,
    #[serde(rename = "type")]
    doc_type: Option<String>,
    year: Option<String>,
    indicator: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
    all_versions: Option<String>,
}

impl Params {
    /// The query as typed, if any.
    pub fn query(&self) -> Option<&str> {
        self.q.as_deref()
    }

    /// The API's `limit`, as typed.
    pub fn limit(&self) -> &Option<String> {
        &self.limit
    }

    /// The API's `cursor`, as typed.
    pub fn cursor(&self) -> &Option<String> {
        &self.cursor
    }

    /// The parameters with a type or a list of values, by name: the API refuses them
    /// given empty (`?type=`), where the page's form sends "all" that way.
    pub fn typed(&self) -> [(&'static str, &Option<String>); 3] {
        [
            ("type", &self.doc_type),
            ("year", &self.year),
            ("all_versions", &self.all_versions),
        ]
    }
}

/// The filter of a search by this viewer: the parameters checked, limited to the
/// documents the viewer may read (every document for an administrator).
pub async fn filter(
    state: &AppState,
    viewer: &Viewer,
    p: &Params,
) -> Result<SearchFilter, AppError> {
    let doc_type = match fields::present(&p.doc_type) {
        None => None,
        Some(t) => Some(query::doc_type(t).map_err(AppError::BadRequest)?),
    };
    Ok(SearchFilter {
        region: fields::line("地区代码", &p.region, 20)?,
        doc_type,
        year: fields::year("年份", &p.year)?,
        documents: readable_documents(state, viewer).await?,
        indicator: fields::line("指标", &p.indicator, 100)?,
        all_versions: all_versions(&p.all_versions)?,
    })
}

/// `all_versions`: `true` (the page's checkbox sends that) or `false`; absent is false.
fn all_versions(raw: &Option<String>) -> Result<bool, AppError> {
    match fields::present(raw) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(AppError::BadField(
            "all_versions",
            "all_versions 应为 true 或 false".into(),
        )),
    }
}

/// The documents the viewer may read; `None` when that is every document.
async fn readable_documents(
    state: &AppState,
    viewer: &Viewer,
) -> Result<Option<Vec<i64>>, AppError> {
    if viewer.is_admin() {
        return Ok(None);
    }
    let public = state.store.public_documents().await?;
    Ok(Some(
        state
            .store
            .list_documents()
            .await?
            .into_iter()
            .filter(|d| viewer.can_read(d, public.contains(&d.id)))
            .map(|d| d.id)
            .collect(),
    ))
}

/// The link to a hit's line: the outline beside the source text, at the line.
pub fn line_url(h: &SearchHit) -> String {
    format!("/plans/{}/outline#L{}", h.document_id, h.line)
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    nav: Nav,
    q: String,
    year: String,
    all_versions: bool,
    types: Vec<(&'static str, &'static str, bool)>,
    regions: Vec<(String, String, bool)>,
    indicators: Vec<(String, bool)>,
    results: Option<SearchResults>,
    pager: Option<Pager>,
    error: Option<String>,
}

impl SearchPage {
    fn url(&self, h: &SearchHit) -> String {
        line_url(h)
    }
}

async fn page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(p): Query<Params>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let chosen_type = fields::present(&p.doc_type).and_then(|t| query::doc_type(t).ok());
    let types = planwatch_core::plan::DocType::ALL
        .iter()
        .map(|t| (t.code(), t.label(), Some(*t) == chosen_type))
        .collect();
    let (results, pager, error) = match fields::present(&p.q) {
        None => (None, None, None),
        Some(q) => match search(&state, &viewer, &p, q, raw.as_deref()).await {
            Ok((r, pager)) => (Some(r), Some(pager), None),
            Err(AppError::BadRequest(m)) => (None, None, Some(m)),
            Err(e) => return Err(e),
        },
    };
    let page = SearchPage {
        nav: Nav::of(&viewer),
        q: p.q.clone().unwrap_or_default(),
        year: p.year.clone().unwrap_or_default(),
        all_versions: fields::present(&p.all_versions) == Some("true"),
        types,
        regions: region_options(&state, &viewer, fields::present(&p.region)).await?,
        indicators: indicator_options(&state, &viewer, fields::present(&p.indicator)).await?,
        results,
        pager,
        error,
    };
    let status = if page.error.is_some() {
        axum::http::StatusCode::BAD_REQUEST
    } else {
        axum::http::StatusCode::OK
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// The page of hits `raw` asks for (`page=N`, the other parameters kept by the links);
/// a page past the last hit shows the last page.
async fn search(
    state: &AppState,
    viewer: &Viewer,
    p: &Params,
    q: &str,
    raw: Option<&str>,
) -> Result<(SearchResults, Pager), AppError> {
    let filter = filter(state, viewer, p).await?;
    let asked = Pager::place(MAX_COUNTED, raw, LIMIT)?.skip(LIMIT);
    let mut r = state.store.search_from(q, &filter, asked, LIMIT).await?;
    let mut pager = Pager::place(r.total as usize, raw, LIMIT)?;
    if pager.skip(LIMIT) != asked {
        r = state
            .store
            .search_from(q, &filter, pager.skip(LIMIT), LIMIT)
            .await?;
    }
    pager.settle(r.hits.len(), LIMIT);
    Ok((r, pager))
}

/// The indicator names of the documents the viewer may read: name, chosen.
async fn indicator_options(
    state: &AppState,
    viewer: &Viewer,
    chosen: Option<&str>,
) -> Result<Vec<(String, bool)>, AppError> {
    let readable = readable_documents(state, viewer).await?;
    Ok(state
        .store
        .indicator_names(readable.as_deref())
        .await?
        .into_iter()
        .map(|n| {
            let on = chosen == Some(n.as_str());
            (n, on)
        })
        .collect())
}

/// The regions of the documents the viewer may read: code, name, chosen.
async fn region_options(
    state: &AppState,
    viewer: &Viewer,
    chosen: Option<&str>,
) -> Result<Vec<(String, String, bool)>, AppError> {
    let readable = readable_documents(state, viewer).await?;
    let docs = state.store.list_documents().await?;
    let ids: Vec<i64> = docs
        .iter()
        .filter(|d| readable.as_ref().is_none_or(|r| r.contains(&d.id)))
        .filter_map(|d| d.region_id)
        .collect();
    Ok(state
        .store
        .list_regions()
        .await?
        .into_iter()
        .filter(|r| ids.contains(&r.id))
        .map(|r| {
            let on = chosen == Some(r.code.as_str());
            (r.code, r.name, on)
        })
        .collect())
}
