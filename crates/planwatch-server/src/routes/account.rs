//! The user's own API tokens: create (the secret is shown once) and revoke.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use planwatch_store::ApiToken;

use super::{Nav, back, int_field};
use crate::auth::{Viewer, random_token, sha256_hex};
use crate::error::{AppError, PageResult};
use crate::state::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account", get(page))
        .route("/account/tokens", post(create))
        .route("/account/tokens/{tid}/revoke", post(revoke))
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    nav: Nav,
    username: String,
    role: String,
    tokens: Vec<ApiToken>,
    secret: Option<String>,
}

async fn render(state: &AppState, viewer: &Viewer, secret: Option<String>) -> PageResult {
    let who = viewer.require()?;
    let page = AccountPage {
        nav: Nav::of(viewer),
        username: who.user.username.clone(),
        role: who.user.role.clone(),
        tokens: state.store.api_tokens_of(who.user.id).await?,
        secret,
    };
    Ok(Html(page.render()?).into_response())
}

async fn page(State(state): State<AppState>, Extension(viewer): Extension<Viewer>) -> PageResult {
    render(&state, &viewer, None).await
}

async fn create(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    let who = viewer.require()?;
    let name = form.get("name").cloned().unwrap_or_default();
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
    render(&state, &viewer, Some(secret)).await
}

async fn revoke(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(tid): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    let who = viewer.require()?;
    let version = int_field("版本号", &form.get("version").cloned())?
        .ok_or_else(|| AppError::BadRequest("缺少版本号".into()))?;
    state
        .store
        .revoke_api_token(tid, who.user.id, version, &who.actor())
        .await?;
    Ok(back("/account".into()))
}
