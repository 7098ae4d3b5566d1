//! Test harness: the application over a fresh SQLite file with the demo data, and
//! one client per role whose session is made directly in the store.

#![allow(dead_code)]

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use planwatch_server::auth::{random_token, sha256_hex};
use planwatch_server::demo::{Demo, seed};
use planwatch_server::{AppState, Config, app};
use planwatch_store::Store;
use tower::ServiceExt;

/// The application under test.
pub struct World {
    pub app: Router,
    pub state: AppState,
    pub store: Store,
    pub demo: Demo,
    _dir: tempfile::TempDir,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

/// Who is asking: a session cookie and its CSRF token, or nobody.
#[derive(Clone, Debug)]
pub struct Client {
    pub name: &'static str,
    pub cookie: Option<String>,
    pub csrf: String,
}

pub const ROLES: &[&str] = &[
    "anonymous",
    "viewer",
    "editor-a",
    "editor-b",
    "planner-other",
    "planner",
    "admin",
];

impl World {
    pub async fn new(config: Config) -> World {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = Store::open(&url).await.unwrap();
        let demo = seed(&store).await.unwrap();
        let state = AppState::new(store.clone(), config);
        let app = app(state.clone());
        World {
            app,
            state,
            store,
            demo,
            _dir: dir,
        }
    }

    pub async fn default() -> World {
        World::new(Config {
            secure_cookies: false,
            max_file_bytes: 64 * 1024,
            ..Config::default()
        })
        .await
    }

    /// A client logged in as `name` (a demo user), or anonymous.
    pub async fn client(&self, name: &'static str) -> Client {
        if name == "anonymous" {
            let csrf = random_token();
            return Client {
                name,
                cookie: Some(format!("pw_anon={csrf}")),
                csrf,
            };
        }
        let user = self.store.user_by_username(name).await.unwrap().unwrap();
        let secret = random_token();
        let csrf = random_token();
        self.store
            .create_session(user.id, &sha256_hex(secret.as_bytes()), &csrf, 3600, "test")
            .await
            .unwrap();
        Client {
            name,
            cookie: Some(format!("pw_session={secret}")),
            csrf,
        }
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = to_bytes(resp.into_body(), 64 << 20).await.unwrap();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, c: &Client, path: &str) -> Reply {
        let mut b = Request::get(path);
        if let Some(k) = &c.cookie {
            b = b.header(header::COOKIE, k);
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    /// POST a form with the client's CSRF token added.
    pub async fn post(&self, c: &Client, path: &str, pairs: &[(&str, &str)]) -> Reply {
        let mut all: Vec<(&str, &str)> = vec![("csrf", c.csrf.as_str())];
        all.extend_from_slice(pairs);
        self.post_raw(c, path, &all).await
    }

    /// POST a form exactly as given (no CSRF token added).
    pub async fn post_raw(&self, c: &Client, path: &str, pairs: &[(&str, &str)]) -> Reply {
        let body = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut b =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(k) = &c.cookie {
            b = b.header(header::COOKIE, k);
        }
        self.send(b.body(Body::from(body)).unwrap()).await
    }

    /// POST a multipart form (text fields and one optional file) with `?csrf=` from the client.
    pub async fn post_multipart(
        &self,
        c: &Client,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, &[u8])>,
        with_csrf: bool,
    ) -> Reply {
        let boundary = "XplanwatchBoundary7";
        let mut body: Vec<u8> = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        if let Some((field, name, bytes)) = file {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let uri = if with_csrf {
            format!("{path}?csrf={}", c.csrf)
        } else {
            path.to_string()
        };
        let mut b = Request::post(uri).header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        );
        if let Some(k) = &c.cookie {
            b = b.header(header::COOKIE, k);
        }
        self.send(b.body(Body::from(body)).unwrap()).await
    }

    pub async fn audit(&self) -> i64 {
        self.store.audit_count().await.unwrap()
    }
}

/// Percent-encode a form value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
