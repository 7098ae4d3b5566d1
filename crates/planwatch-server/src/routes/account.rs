//! The user's own account: API tokens (create, the secret shown once; revoke) and the
//! password (the current one is asked for; every other session ends).

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Extension, Router};
use planwatch_store::ApiToken;
use serde::Deserialize;

use super::{Nav, back};
use crate::auth::{
    Viewer, check_password, hash_password, random_token, sha256_hex, verify_password,
};
use crate::error::{AppError, PageResult};
use crate::extract::{Form, Path};
use crate::fields;
use crate::state::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account", get(page))
        .route("/account/tokens", post(create))
        .route("/account/tokens/{tid}/revoke", post(revoke))
        .route("/account/password", post(change_password))
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    nav: Nav,
    username: String,
    role: String,
    tokens: Vec<ApiToken>,
    secret: Option<String>,
    notice: Option<String>,
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    secret: Option<String>,
    notice: Option<String>,
) -> PageResult {
    let who = viewer.require()?;
    let page = AccountPage {
        nav: Nav::of(viewer),
        username: who.user.username.clone(),
        role: super::admin::role_label(&who.user.role).to_string(),
        tokens: state.store.api_tokens_of(who.user.id).await?,
        secret,
        notice,
    };
    Ok(Html(page.render()?).into_response())
}

async fn page(State(state): State<AppState>, Extension(viewer): Extension<Viewer>) -> PageResult {
    render(&state, &viewer, None, None).await
}

/// The new-token form.
#[derive(Deserialize)]
pub struct TokenForm {
    name: Option<String>,
}

async fn create(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<TokenForm>,
) -> PageResult {
    let who = viewer.require()?;
    let name = fields::required("令牌名称", &form.name, 100)?;
    let secret = random_token();
    state
        .store
        .create_api_token(
            who.user.id,
            &sha256_hex(secret.as_bytes()),
            &name,
            &who.actor(),
        )
        .await?;
    render(&state, &viewer, Some(secret), None).await
}

/// The revoke-token form.
#[derive(Deserialize)]
pub struct RevokeForm {
    version: Option<String>,
}

async fn revoke(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(tid): Path<i64>,
    Form(form): Form<RevokeForm>,
) -> PageResult {
    let who = viewer.require()?;
    let version = fields::version(&form.version)?;
    state
        .store
        .revoke_api_token(tid, who.user.id, version, &who.actor())
        .await?;
    Ok(back("/account".into()))
}

/// The change-password form.
#[derive(Deserialize)]
pub struct PasswordForm {
    current: Option<String>,
    new: Option<String>,
    confirm: Option<String>,
}

async fn change_password(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<PasswordForm>,
) -> PageResult {
    let who = viewer.require()?;
    let current = form.current.unwrap_or_default();
    let new = form.new.unwrap_or_default();
    if Some(&new) != form.confirm.as_ref() {
        return Err(AppError::BadRequest("两次输入的新密码不一致".into()));
    }
    check_password(&who.user.username, &new)?;
    if current.len() > 1024 {
        return Err(AppError::BadRequest("当前密码不正确".into()));
    }
    let phc = who.user.password_hash.clone().unwrap_or_default();
    // argon2 twice: on a blocking thread, like the login's check.
    let hash = tokio::task::spawn_blocking(move || {
        if verify_password(&current, &phc) {
            hash_password(&new).map(Some)
        } else {
            Ok(None)
        }
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??
    .ok_or_else(|| AppError::BadRequest("当前密码不正确".into()))?;
    // Every other session of the user ends; this one stays.
    state
        .store
        .set_password_hash(
            who.user.id,
            who.user.version,
            &hash,
            viewer.session_hash.as_deref(),
            &who.actor(),
        )
        .await?;
    render(
        &state,
        &viewer,
        None,
        Some("密码已修改，其他设备上的登录已退出".into()),
    )
    .await
}
