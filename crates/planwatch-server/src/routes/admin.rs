//! Administration: users, regions, departments and grants (admins only).

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use planwatch_store::{Department, Grant, NewRegion, Region, User};

use super::{Nav, back, int_field};
use crate::auth::{Identity, Viewer, hash_password};
use crate::error::{AppError, PageResult};
use crate::state::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(page))
        .route("/admin/users", post(create_user))
        .route("/admin/regions", post(create_region))
        .route("/admin/departments", post(create_department))
        .route("/admin/grants", post(add_grant))
}

/// Roles a user can have.
pub const ROLES: &[(&str, &str)] = &[
    ("admin", "系统管理员"),
    ("planner", "规划科(按地区授权)"),
    ("editor", "部门填报员(按部门授权)"),
    ("viewer", "查看者(按地区授权)"),
];

fn admin(viewer: &Viewer) -> Result<&Identity, AppError> {
    let who = viewer.require()?;
    if who.is_admin() {
        Ok(who)
    } else {
        Err(AppError::Forbidden)
    }
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    nav: Nav,
    users: Vec<(User, Vec<String>)>,
    regions: Vec<Region>,
    departments: Vec<Department>,
    roles: &'static [(&'static str, &'static str)],
}

fn describe(g: &Grant, regions: &[Region], deps: &[Department]) -> String {
    let scope = match (g.department_id, g.region_id) {
        (Some(d), _) => deps
            .iter()
            .find(|x| x.id == d)
            .map(|x| x.name.clone())
            .unwrap_or_default(),
        (None, Some(r)) => regions
            .iter()
            .find(|x| x.id == r)
            .map(|x| x.name.clone())
            .unwrap_or_default(),
        _ => "全部".into(),
    };
    format!("{}:{scope}", g.role)
}

async fn page(State(state): State<AppState>, Extension(viewer): Extension<Viewer>) -> PageResult {
    admin(&viewer)?;
    let regions = state.store.list_regions().await?;
    let departments = state.store.list_departments(None).await?;
    let mut users = Vec::new();
    for u in state.store.list_users().await? {
        let grants = state
            .store
            .grants_of(u.id)
            .await?
            .iter()
            .map(|g| describe(g, &regions, &departments))
            .collect();
        users.push((u, grants));
    }
    let page = AdminPage {
        nav: Nav::of(&viewer),
        users,
        regions,
        departments,
        roles: ROLES,
    };
    Ok(Html(page.render()?).into_response())
}

fn text(form: &HashMap<String, String>, k: &str, label: &str) -> Result<String, AppError> {
    form.get(k)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| AppError::BadRequest(format!("{label}不能为空")))
}

async fn create_user(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    let who = admin(&viewer)?;
    let username = text(&form, "username", "用户名")?;
    let password = text(&form, "password", "密码")?;
    if password.chars().count() < 10 {
        return Err(AppError::BadRequest("密码至少 10 个字符".into()));
    }
    let role = text(&form, "role", "角色")?;
    if !ROLES.iter().any(|(r, _)| *r == role) {
        return Err(AppError::BadRequest(format!("未知的角色:{role}")));
    }
    let display = form
        .get("display_name")
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| username.clone());
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
    state
        .store
        .create_user(&username, &display, Some(&hash), &role, &who.actor())
        .await?;
    Ok(back("/admin".into()))
}

async fn create_region(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    let who = admin(&viewer)?;
    let region = NewRegion {
        code: text(&form, "code", "区划代码")?,
        name: text(&form, "name", "地区名称")?,
        ..NewRegion::default()
    };
    state.store.create_region(&region, &who.actor()).await?;
    Ok(back("/admin".into()))
}

async fn create_department(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    let who = admin(&viewer)?;
    let region = int_field("地区", &form.get("region_id").cloned())?;
    let name = text(&form, "name", "部门名称")?;
    state
        .store
        .create_department(region, &name, &who.actor())
        .await?;
    Ok(back("/admin".into()))
}

async fn add_grant(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    let who = admin(&viewer)?;
    let user = int_field("用户", &form.get("user_id").cloned())?
        .ok_or_else(|| AppError::BadRequest("请选择用户".into()))?;
    let role = text(&form, "role", "角色")?;
    let region = int_field("地区", &form.get("region_id").cloned())?;
    let department = int_field("部门", &form.get("department_id").cloned())?;
    match (role.as_str(), region, department) {
        ("planner" | "viewer", Some(_), None) | ("editor", None, Some(_)) => {}
        _ => {
            return Err(AppError::BadRequest(
                "规划科和查看者按地区授权,部门填报员按部门授权".into(),
            ));
        }
    }
    state
        .store
        .add_grant(user, department, region, &role, &who.actor())
        .await?;
    Ok(back("/admin".into()))
}
