//! Static files, compiled into the binary: htmx 2 (vendored, unmodified, BSD
//! zero-clause licence in `static/htmx-LICENSE.txt`), the style sheet and `app.js`
//! (form errors next to the field).

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::state::AppState;

const HTMX: &str = include_str!("../../static/htmx-2.0.11.min.js");
const CSS: &str = include_str!("../../static/app.css");
const APP_JS: &str = include_str!("../../static/app.js");

/// A short fingerprint of our style sheet and script, added to their links
/// (`/static/app.css?v=…`) so a browser fetches them again after an upgrade instead of
/// keeping the old copy for the hour they may be cached.
pub fn version() -> &'static str {
    static VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        use sha2::{Digest, Sha256};
        let digest = Sha256::new()
            .chain_update(CSS)
            .chain_update(APP_JS)
            .finalize();
        digest[..6].iter().map(|b| format!("{b:02x}")).collect()
    });
    &VERSION
}

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/static/htmx.min.js", get(htmx))
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(app_js))
}

async fn htmx() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        HTMX,
    )
}

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
}

/// Ours: form errors shown next to the field (see the comment at its top).
async fn app_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        APP_JS,
    )
}
