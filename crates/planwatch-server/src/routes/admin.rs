//! Administration (admins only): users (create, deactivate and reactivate, reset the
//! password, end every session and token), regions, departments, and grants (add,
//! remove). Every change is audited by the store; a deactivated user's sessions and
//! tokens stop working on their next request.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Extension, Router};
use planwatch_store::{Department, Grant, NewRegion, Region, User};
use serde::Deserialize;

use super::{Nav, back};
use crate::auth::{Identity, Viewer, check_password, hash_password};
use crate::error::{AppError, PageResult};
use crate::extract::{Form, Path};
use crate::fields;
use crate::state::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(page))
        .route("/admin/users", post(create_user))
        .route("/admin/users/{uid}/active", post(set_active))
        .route("/admin/users/{uid}/password", post(reset_password))
        .route("/admin/users/{uid}/revoke", post(revoke_access))
        .route("/admin/regions", post(create_region))
        .route("/admin/departments", post(create_department))
        .route("/admin/grants", post(add_grant))
        .route("/admin/grants/{gid}/delete", post(remove_grant))
}

/// Roles a user can have, least privilege first: the new-user form preselects the first.
pub const ROLES: &[(&str, &str)] = &[
    ("viewer", "查看者（按地区授权）"),
    ("editor", "部门填报员（按部门授权）"),
    ("planner", "规划科（按地区授权）"),
    ("admin", "系统管理员"),
];

/// A role's name for people (from the one label table).
pub fn role_label(code: &str) -> &'static str {
    planwatch_core::wording::labels::known(planwatch_core::wording::Domain::Role, code)
}

fn admin(viewer: &Viewer) -> Result<&Identity, AppError> {
    let who = viewer.require()?;
    if who.is_admin() {
        Ok(who)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A user with its grants described, for the page.
struct UserRow {
    user: User,
    role: &'static str,
    grants: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    nav: Nav,
    users: Vec<UserRow>,
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
            .map(|x| format!("{}（{}）", x.name, x.code))
            .unwrap_or_default(),
        _ => "全部".into(),
    };
    format!("{}：{scope}", role_label(&g.role))
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
            .map(|g| (g.id, describe(g, &regions, &departments)))
            .collect();
        users.push(UserRow {
            role: role_label(&u.role),
            user: u,
            grants,
        });
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

/// The new-user form.
#[derive(Deserialize)]
pub struct UserForm {
    username: Option<String>,
    display_name: Option<String>,
    password: Option<String>,
    role: Option<String>,
}

async fn create_user(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<UserForm>,
) -> PageResult {
    let who = admin(&viewer)?;
    let username = fields::required("用户名", &form.username, 64)?;
    let display = fields::line("姓名", &form.display_name, 64)?.unwrap_or_else(|| username.clone());
    let role = fields::required("角色", &form.role, 16)?;
    if !ROLES.iter().any(|(r, _)| *r == role) {
        return Err(AppError::BadRequest("未知的角色".into()));
    }
    let hash = checked_hash(&username, form.password.unwrap_or_default()).await?;
    state
        .store
        .create_user(&username, &display, Some(&hash), &role, &who.actor())
        .await?;
    Ok(back("/admin".into()))
}

/// The argon2id hash of a new password for `username`, once the policy accepts it
/// (hashing takes tens of milliseconds: on a blocking thread).
async fn checked_hash(username: &str, password: String) -> Result<String, AppError> {
    check_password(username, &password)?;
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
}

/// The form switching an account on or off.
#[derive(Deserialize)]
pub struct ActiveForm {
    version: Option<String>,
    active: Option<String>,
}

async fn set_active(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(uid): Path<i64>,
    Form(form): Form<ActiveForm>,
) -> PageResult {
    let who = admin(&viewer)?;
    let version = fields::version(&form.version)?;
    let active = match form.active.as_deref().map(str::trim) {
        Some("1") => true,
        Some("0") => false,
        _ => return Err(AppError::BadRequest("账户状态应为“启用”或“停用”".into())),
    };
    if !active && uid == who.user.id {
        return Err(AppError::BadRequest("不能停用自己的账户".into()));
    }
    state
        .store
        .set_user_active(uid, version, active, &who.actor())
        .await?;
    Ok(back("/admin".into()))
}

/// The password-reset form.
#[derive(Deserialize)]
pub struct ResetForm {
    version: Option<String>,
    password: Option<String>,
}

async fn reset_password(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(uid): Path<i64>,
    Form(form): Form<ResetForm>,
) -> PageResult {
    let who = admin(&viewer)?;
    let version = fields::version(&form.version)?;
    let user = state.store.user(uid).await?;
    let hash = checked_hash(&user.username, form.password.unwrap_or_default()).await?;
    // The user's sessions end: whoever knew the old password is logged out.
    state
        .store
        .set_password_hash(uid, version, &hash, None, &who.actor())
        .await?;
    Ok(back("/admin".into()))
}

async fn revoke_access(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(uid): Path<i64>,
) -> PageResult {
    let who = admin(&viewer)?;
    state.store.revoke_user_access(uid, &who.actor()).await?;
    Ok(back("/admin".into()))
}

/// The new-region form.
#[derive(Deserialize)]
pub struct RegionForm {
    code: Option<String>,
    name: Option<String>,
}

async fn create_region(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<RegionForm>,
) -> PageResult {
    let who = admin(&viewer)?;
    let region = NewRegion {
        code: fields::required("区划代码", &form.code, 12)?,
        name: fields::required("地区名称", &form.name, 64)?,
        ..NewRegion::default()
    };
    state.store.create_region(&region, &who.actor()).await?;
    Ok(back("/admin".into()))
}

/// The new-department form.
#[derive(Deserialize)]
pub struct DepartmentForm {
    region_id: Option<String>,
    name: Option<String>,
}

async fn create_department(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<DepartmentForm>,
) -> PageResult {
    let who = admin(&viewer)?;
    let region = fields::id("地区", &form.region_id)?;
    let name = fields::required("部门名称", &form.name, 64)?;
    state
        .store
        .create_department(region, &name, &who.actor())
        .await?;
    Ok(back("/admin".into()))
}

/// The new-grant form.
#[derive(Deserialize)]
pub struct GrantForm {
    user_id: Option<String>,
    role: Option<String>,
    region_id: Option<String>,
    department_id: Option<String>,
}

async fn add_grant(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<GrantForm>,
) -> PageResult {
    let who = admin(&viewer)?;
    let user = fields::id("用户", &form.user_id)?
        .ok_or_else(|| AppError::BadRequest("请选择用户".into()))?;
    let role = fields::required("角色", &form.role, 16)?;
    let region = fields::id("地区", &form.region_id)?;
    let department = fields::id("部门", &form.department_id)?;
    state
        .store
        .add_grant(user, department, region, &role, &who.actor())
        .await?;
    Ok(back("/admin".into()))
}

async fn remove_grant(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(gid): Path<i64>,
) -> PageResult {
    let who = admin(&viewer)?;
    state.store.remove_grant(gid, &who.actor()).await?;
    Ok(back("/admin".into()))
}
