//! The user's own account: API tokens (create, the secret shown once; revoke) and the
//! password (the current one is asked for; every other session ends).

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Extension, Router};
use planwatch_store::{ApiToken, TokenScope};
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
    tokens: Vec<TokenLine>,
    secret: Option<String>,
    notice: Option<String>,
}

/// A token as the page lists it: times in local time, scopes in words.
struct TokenLine {
    token: ApiToken,
    created: String,
    expires: String,
    scopes: String,
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    secret: Option<String>,
    notice: Option<String>,
) -> PageResult {
    let who = viewer.require()?;
    let tz = &state.config.time_zone;
    let tokens = state
        .store
        .api_tokens_of(who.user.id)
        .await?
        .into_iter()
        .map(|token| TokenLine {
            created: tz.local(&token.created_at),
            expires: token
                .expires_at
                .as_deref()
                .map_or_else(|| "长期有效".to_string(), |e| tz.local(e)),
            scopes: token
                .scopes
                .iter()
                .map(|s| s.label())
                .collect::<Vec<_>>()
                .join("、"),
            token,
        })
        .collect();
    let page = AccountPage {
        nav: Nav::of(viewer),
        username: who.user.username.clone(),
        role: super::admin::role_label(&who.user.role).to_string(),
        tokens,
        secret,
        notice,
    };
    Ok(Html(page.render()?).into_response())
}

async fn page(State(state): State<AppState>, Extension(viewer): Extension<Viewer>) -> PageResult {
    render(&state, &viewer, None, None).await
}

/// The new-token form: a name, the extra scopes ticked, an optional last day.
#[derive(Deserialize)]
pub struct TokenForm {
    name: Option<String>,
    import: Option<String>,
    report: Option<String>,
    expires: Option<String>,
}

async fn create(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<TokenForm>,
) -> PageResult {
    let who = viewer.require()?;
    let name = fields::required("令牌名称", &form.name, 100)?;
    let mut scopes = Vec::new();
    if form.import.is_some() {
        scopes.push(TokenScope::Import);
    }
    if form.report.is_some() {
        scopes.push(TokenScope::Report);
    }
    let expires_at = match fields::present(&form.expires) {
        Some(day) => Some(end_of_day(&state, day)?),
        None => None,
    };
    let secret = random_token();
    state
        .store
        .create_scoped_api_token(
            who.user.id,
            &sha256_hex(secret.as_bytes()),
            &name,
            &scopes,
            expires_at.as_deref(),
            &who.actor(),
        )
        .await?;
    render(&state, &viewer, Some(secret), None).await
}

/// The end of `day` (YYYY-MM-DD, from a date field) in the server's local time, as a
/// stored UTC time.
fn end_of_day(state: &AppState, day: &str) -> Result<String, AppError> {
    let bad = || AppError::BadRequest(format!("有效期：“{day}”不是日期（应写作 2027-12-31）"));
    let date: jiff::civil::Date = day.trim().parse().map_err(|_| bad())?;
    state.config.time_zone.end_of_day_utc(date).ok_or_else(bad)
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
