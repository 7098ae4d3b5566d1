//! Request ids and request logs: every request runs inside a `tracing` span carrying
//! its id, method and path, so whatever is logged while answering it (an internal
//! error in [`crate::error`]) names the request; the id is also sent back as
//! `x-request-id` for a user to quote. The binary chooses where logs go.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// Request counter; with a random per-process prefix it makes ids unique across restarts.
static NEXT: AtomicU64 = AtomicU64::new(1);

fn prefix() -> u32 {
    static PREFIX: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *PREFIX.get_or_init(|| {
        let mut b = [0u8; 4];
        getrandom::fill(&mut b).ok();
        u32::from_le_bytes(b)
    })
}

/// A new request id (`3f2a9c1b-000042`).
pub fn request_id() -> String {
    format!(
        "{:08x}-{:06}",
        prefix(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Run a request inside its span, log its outcome, return its id in `x-request-id`.
pub async fn with_request_id(req: Request, next: Next) -> Response {
    let id = request_id();
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %req.method(),
        path = %req.uri().path()
    );
    let start = Instant::now();
    let mut res = next.run(req).instrument(span.clone()).await;
    span.in_scope(|| {
        tracing::info!(
            status = res.status().as_u16(),
            ms = start.elapsed().as_millis() as u64,
            "done"
        )
    });
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_share_the_process_prefix() {
        let (a, b) = (request_id(), request_id());
        assert_ne!(a, b);
        assert_eq!(a[..8], b[..8]);
        assert_eq!(a.len(), 15, "{a}");
    }
}
