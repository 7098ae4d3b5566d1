//! Login and logout.
//!
//! Failed logins are limited per account and per client address
//! ([`crate::state::LoginLimiter`]): after `login_attempts` failures an account waits,
//! longer with every further failure; an address (an office behind NAT, a proxy) gets a
//! much higher ceiling, so one person's typos do not lock out a building. While an
//! account or address waits, even the right password gets 429. The client address is
//! the peer's, or, for a peer listed in `trusted_proxies`, the nearest untrusted
//! address in its `X-Forwarded-For`.

use std::net::{IpAddr, SocketAddr};
use std::sync::OnceLock;

use askama::Template;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde::Deserialize;

use super::Nav;
use crate::auth::{self, SESSION_COOKIE, Viewer};
use crate::error::{AppError, PageResult};
use crate::extract::{Form, Query};
use crate::state::{AppState, LoginLimits};

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    nav: Nav,
    error: Option<String>,
    username: String,
    /// The page to return to after logging in (a path of this site), empty for home.
    next: String,
    /// The demo's accounts, shown on a demo server only.
    demo_logins: bool,
}

impl LoginPage {
    fn new(state: &AppState, viewer: &Viewer, next: Option<&str>) -> LoginPage {
        LoginPage {
            nav: Nav::of(viewer),
            error: None,
            username: String::new(),
            next: next.and_then(local_path).unwrap_or_default().to_string(),
            demo_logins: state.config.demo_logins,
        }
    }

    fn demo_users(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        crate::demo::USERS
    }

    fn demo_password(&self) -> &'static str {
        crate::demo::PASSWORD
    }
}

/// The login page's query: where the visitor was going.
#[derive(Deserialize, Default)]
pub struct LoginQuery {
    next: Option<String>,
}

/// `next` if it is a path of this site (`/plans/2`), never another site (`//evil`,
/// `https://…`, `/\evil`) nor the login page itself.
fn local_path(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.starts_with("/login")
        && next.len() <= 2000
        && !next.chars().any(|c| c.is_control());
    ok.then_some(next)
}

async fn login_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(q): Query<LoginQuery>,
) -> PageResult {
    let next = q.next.as_deref();
    if viewer.identity.is_some() {
        return Ok(Redirect::to(next.and_then(local_path).unwrap_or("/")).into_response());
    }
    let page = LoginPage::new(&state, &viewer, next);
    Ok(Html(page.render()?).into_response())
}

/// A page that needs a login sends the visitor to the login page with the page's
/// address, so the login page can say why and return there afterwards.
pub async fn remember_page(req: Request, next: Next) -> Response {
    let wanted = (req.method() == Method::GET)
        .then(|| req.uri().path_and_query().map(|p| p.as_str().to_string()))
        .flatten();
    let mut resp = next.run(req).await;
    let to_login = resp.status().is_redirection()
        && resp
            .headers()
            .get(header::LOCATION)
            .is_some_and(|l| l == "/login");
    if let Some(wanted) = wanted.filter(|w| to_login && local_path(w).is_some()) {
        let query = serde_urlencoded::to_string([("next", wanted)]).unwrap_or_default();
        if let Ok(v) = HeaderValue::from_str(&format!("/login?{query}")) {
            resp.headers_mut().insert(header::LOCATION, v);
        }
    }
    resp
}

/// The login form.
#[derive(Deserialize)]
pub struct LoginForm {
    username: Option<String>,
    password: Option<String>,
    next: Option<String>,
}

/// A hash to verify against when the user does not exist, so both cases take as long.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| auth::hash_password("planwatch-dummy-password").unwrap_or_default())
}

/// The address a login counts against: the peer, or behind a trusted proxy the
/// right-most `X-Forwarded-For` entry that is not itself a trusted proxy (entries to
/// its left are whatever the client chose to send).
pub fn client_address(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    Some(
        forwarded
            .into_iter()
            .rev()
            .find(|a| !trusted.contains(a))
            .unwrap_or(peer),
    )
}

async fn login(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> PageResult {
    let cfg = &state.config;
    let raw_name = form.username.unwrap_or_default();
    let username = raw_name.trim().to_string();
    // One key per account whatever the spelling: names are case-insensitive.
    let account = planwatch_store::directory::canonical_username(&username)
        .unwrap_or_else(|_| username.chars().take(64).collect());
    let password: String = form.password.unwrap_or_default();
    if password.len() > 1024 {
        return Err(AppError::BadRequest("密码过长".into()));
    }
    let peer = peer.map(|Extension(ConnectInfo(a))| a.ip());
    let address = client_address(peer, &headers, &cfg.trusted_proxies).map(|a| a.to_string());
    // Counted before the password is checked: parallel guesses cannot all pass.
    let Some(attempt) = state
        .limiter
        .begin(&account, address.as_deref(), &LoginLimits::of(cfg))
    else {
        return Err(AppError::TooManyAttempts);
    };
    let user = state.store.user_by_username(&username).await?;
    let phc = user
        .as_ref()
        .and_then(|u| u.password_hash.clone())
        .unwrap_or_else(|| dummy_hash().to_string());
    // argon2 takes tens of milliseconds: off the async workers.
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&password, &phc))
        .await
        .unwrap_or(false);
    let user = match user {
        Some(u) if ok && u.active => u,
        _ => {
            let page = LoginPage {
                error: Some("用户名或密码错误".into()),
                username,
                ..LoginPage::new(&state, &viewer, form.next.as_deref())
            };
            return Ok((StatusCode::UNAUTHORIZED, Html(page.render()?)).into_response());
        }
    };
    state.limiter.succeed(attempt);
    let secret = auth::random_token();
    let csrf = auth::random_token();
    state
        .store
        .create_session(
            user.id,
            &auth::sha256_hex(secret.as_bytes()),
            &csrf,
            cfg.session_ttl_secs,
            &format!("web:{}", user.username),
        )
        .await?;
    let home = form.next.as_deref().and_then(local_path).unwrap_or("/");
    let mut resp = Redirect::to(home).into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        auth::set_cookie(
            SESSION_COOKIE,
            &secret,
            cfg.session_ttl_secs,
            cfg.secure_cookies,
        ),
    );
    Ok(resp)
}

async fn logout(State(state): State<AppState>, Extension(viewer): Extension<Viewer>) -> Response {
    if let (Some(hash), Some(i)) = (&viewer.session_hash, &viewer.identity)
        && let Err(e) = state.store.delete_session(hash, &i.actor()).await
    {
        return AppError::from(e).into_response();
    }
    let mut resp = Redirect::to("/login").into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        auth::set_cookie(SESSION_COOKIE, "", 0, state.config.secure_cookies),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 203.0.113.7, 10.0.0.2"),
        );
        let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
        // Not from a proxy: the header is the client's own claim and is ignored.
        assert_eq!(
            client_address(Some(ip("198.51.100.9")), &h, &proxies),
            Some(ip("198.51.100.9"))
        );
        // From a proxy: the right-most address that is not a proxy.
        assert_eq!(
            client_address(Some(ip("10.0.0.1")), &h, &proxies),
            Some(ip("203.0.113.7"))
        );
        // A proxy without the header counts as itself.
        assert_eq!(
            client_address(Some(ip("10.0.0.1")), &HeaderMap::new(), &proxies),
            Some(ip("10.0.0.1"))
        );
        assert_eq!(client_address(None, &h, &proxies), None);
        assert_eq!(
            client_address(Some(ip("10.0.0.1")), &h, &[]),
            Some(ip("10.0.0.1"))
        );
    }
}
