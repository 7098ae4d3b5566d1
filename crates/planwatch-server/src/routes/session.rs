//! Login and logout. Failed logins are counted per user name and per client address;
//! after `login_attempts` failures within `login_window` both are refused with 429
//! until the window has passed, whether or not the password is right.

use std::net::SocketAddr;
use std::sync::OnceLock;

use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use serde::Deserialize;

use super::Nav;
use crate::auth::{self, SESSION_COOKIE, Viewer};
use crate::error::{AppError, PageResult};
use crate::state::AppState;

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
}

async fn login_page(Extension(viewer): Extension<Viewer>) -> PageResult {
    if viewer.identity.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let page = LoginPage {
        nav: Nav::of(&viewer),
        error: None,
        username: String::new(),
    };
    Ok(Html(page.render()?).into_response())
}

/// The login form.
#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
}

/// A hash to verify against when the user does not exist, so both cases take as long.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| auth::hash_password("planwatch-dummy-password").unwrap_or_default())
}

async fn login(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    Form(form): Form<LoginForm>,
) -> PageResult {
    let cfg = &state.config;
    let username = form.username.trim().to_string();
    // Per user name, and per client address when the listener knows it.
    let mut keys = vec![format!("user:{username}")];
    if let Some(Extension(ConnectInfo(addr))) = peer {
        keys.push(format!("addr:{}", addr.ip()));
    }
    if keys.iter().any(|k| {
        state
            .limiter
            .blocked(k, cfg.login_attempts, cfg.login_window)
    }) {
        return Err(AppError::TooManyAttempts);
    }
    let user = state.store.user_by_username(&username).await?;
    let password = form.password.clone();
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
            for k in &keys {
                state.limiter.fail(k);
            }
            let page = LoginPage {
                nav: Nav::of(&viewer),
                error: Some("用户名或密码错误".into()),
                username,
            };
            return Ok((StatusCode::UNAUTHORIZED, Html(page.render()?)).into_response());
        }
    };
    for k in &keys {
        state.limiter.clear(k);
    }
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
    let mut resp = Redirect::to("/").into_response();
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
