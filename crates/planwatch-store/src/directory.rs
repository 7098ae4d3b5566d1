//! Regions, departments, users and grants: who and where.

use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use planwatch_core::validate;

use crate::audit::record;
use crate::{Department, Grant, NewRegion, Region, Store, StoreError, StoreResult, User, time};

macro_rules! region_columns {
    () => {
        "id, code, name, level, parent_id, successor_id, valid_from, valid_to, version"
    };
}

fn region_from_row(r: &AnyRow) -> StoreResult<Region> {
    Ok(Region {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        level: r.try_get("level")?,
        parent_id: r.try_get("parent_id")?,
        successor_id: r.try_get("successor_id")?,
        valid_from: r.try_get("valid_from")?,
        valid_to: r.try_get("valid_to")?,
        version: r.try_get("version")?,
    })
}

fn department_from_row(r: &AnyRow) -> StoreResult<Department> {
    Ok(Department {
        id: r.try_get("id")?,
        region_id: r.try_get("region_id")?,
        name: r.try_get("name")?,
        version: r.try_get("version")?,
    })
}

pub(crate) fn user_from_row(r: &AnyRow) -> StoreResult<User> {
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        password_hash: r.try_get("password_hash")?,
        role: r.try_get("role")?,
        active: r.try_get::<i64, _>("active")? != 0,
        created_at: r.try_get("created_at")?,
        version: r.try_get("version")?,
    })
}

fn grant_from_row(r: &AnyRow) -> StoreResult<Grant> {
    Ok(Grant {
        id: r.try_get("id")?,
        user_id: r.try_get("user_id")?,
        department_id: r.try_get("department_id")?,
        region_id: r.try_get("region_id")?,
        role: r.try_get("role")?,
        created_at: r.try_get("created_at")?,
        version: r.try_get("version")?,
    })
}

/// A region code as given, checked: 1 to 12 ASCII letters and digits (the 6-digit
/// administrative division code in practice). Codes are identities, so nothing that
/// could look like another code (spaces, full-width digits, hidden characters) passes.
pub fn region_code(raw: &str) -> StoreResult<String> {
    let code = raw.trim();
    if code.is_empty() || code.len() > 12 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(StoreError::Invalid(format!(
            "区划代码“{code}”不合法：应为 1—12 位字母或数字（如 430602）"
        )));
    }
    Ok(code.to_string())
}

/// Roles a user or grant may have.
pub const ROLES: &[&str] = &["admin", "planner", "editor", "viewer"];

/// A login name as stored and compared: trimmed and ASCII-lower-cased, so `Planner` and
/// `planner` are one account. 2 to 64 characters: ASCII letters, digits, `.`, `_`, `-`,
/// `@`, or Chinese characters (which have no case, so lower-casing is the same in Rust,
/// SQLite and PostgreSQL).
pub fn canonical_username(raw: &str) -> StoreResult<String> {
    let name = raw.trim().to_ascii_lowercase();
    let allowed = |c: char| {
        c.is_ascii_alphanumeric()
            || matches!(c, '.' | '_' | '-' | '@')
            || ('\u{4E00}'..='\u{9FFF}').contains(&c)
    };
    let n = name.chars().count();
    if !(2..=64).contains(&n) || !name.chars().all(allowed) {
        return Err(StoreError::Invalid(format!(
            "用户名“{}”不合法：应为 2—64 个字母、数字、汉字或 . _ - @",
            raw.trim()
        )));
    }
    Ok(name)
}

/// The user whose login name, lower-cased, is `canonical` (from [`canonical_username`]).
/// Rows stored before names were lower-cased are found through `lower(username)`, which
/// the unique index of migration 3 covers.
async fn user_by_username_tx(
    conn: &mut AnyConnection,
    canonical: &str,
) -> StoreResult<Option<User>> {
    let row = sqlx::query(
        "SELECT id, username, display_name, password_hash, role, active, created_at, version \
         FROM users WHERE lower(username) = $1",
    )
    .bind(canonical)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(user_from_row).transpose()
}

pub(crate) async fn region_by_code_tx(
    conn: &mut AnyConnection,
    code: &str,
) -> StoreResult<Option<Region>> {
    let row = sqlx::query(concat!(
        "SELECT ",
        region_columns!(),
        " FROM regions WHERE code = $1"
    ))
    .bind(code)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(region_from_row).transpose()
}

pub(crate) async fn region_by_id_tx(conn: &mut AnyConnection, id: i64) -> StoreResult<Region> {
    let row = sqlx::query(concat!(
        "SELECT ",
        region_columns!(),
        " FROM regions WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    match row {
        Some(r) => region_from_row(&r),
        None => Err(StoreError::NotFound {
            entity: "region",
            id,
        }),
    }
}

/// Regions whose name is `name`, current ones (no `valid_to`) first.
pub(crate) async fn regions_by_name_tx(
    conn: &mut AnyConnection,
    name: &str,
) -> StoreResult<Vec<Region>> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        region_columns!(),
        " FROM regions WHERE name = $1 ORDER BY CASE WHEN valid_to IS NULL THEN 0 ELSE 1 END, id"
    ))
    .bind(name)
    .fetch_all(conn)
    .await?;
    rows.iter().map(region_from_row).collect()
}

pub(crate) async fn create_region_tx(
    conn: &mut AnyConnection,
    region: &NewRegion,
    actor: &str,
) -> StoreResult<Region> {
    let code = region_code(&region.code)?;
    let name = validate::text("地区名称", &region.name, 64, false).map_err(StoreError::Invalid)?;
    if name.is_empty() {
        return Err(StoreError::Invalid("地区名称不能为空".into()));
    }
    if let Some(existing) = region_by_code_tx(conn, &code).await? {
        return Err(StoreError::Invalid(format!(
            "区划代码“{code}”已存在（地区“{}”）",
            existing.name
        )));
    }
    let parent_id = match &region.parent_code {
        Some(code) => Some(
            region_by_code_tx(conn, code)
                .await?
                .ok_or_else(|| StoreError::Invalid(format!("上级地区代码 {code} 不存在")))?
                .id,
        ),
        None => None,
    };
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO regions (code, name, level, parent_id, valid_from, valid_to) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&code)
    .bind(&name)
    .bind(&region.level)
    .bind(parent_id)
    .bind(&region.valid_from)
    .bind(&region.valid_to)
    .fetch_one(&mut *conn)
    .await?;
    let created = region_by_id_tx(conn, id).await?;
    record(
        conn,
        actor,
        "region",
        Some(id),
        "insert",
        None,
        Some(&json!(created)),
    )
    .await?;
    Ok(created)
}

/// Find the department `name` of a region, creating it (audited) if it is new.
pub(crate) async fn department_id_tx(
    conn: &mut AnyConnection,
    region_id: Option<i64>,
    name: &str,
    actor: &str,
) -> StoreResult<i64> {
    let existing: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM departments WHERE name = $1 AND \
         (region_id = $2 OR (region_id IS NULL AND $2 IS NULL))",
    )
    .bind(name)
    .bind(region_id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((id,)) = existing {
        return Ok(id);
    }
    if let Some(region_id) = region_id {
        region_by_id_tx(conn, region_id)
            .await
            .map_err(|_| StoreError::Invalid(format!("地区 #{region_id} 不存在")))?;
    }
    let (id,): (i64,) =
        sqlx::query_as("INSERT INTO departments (region_id, name) VALUES ($1, $2) RETURNING id")
            .bind(region_id)
            .bind(name)
            .fetch_one(&mut *conn)
            .await?;
    let after = json!({"id": id, "region_id": region_id, "name": name, "version": 1});
    record(
        conn,
        actor,
        "department",
        Some(id),
        "insert",
        None,
        Some(&after),
    )
    .await?;
    Ok(id)
}

impl Store {
    /// Register a region.
    pub async fn create_region(&self, region: &NewRegion, actor: &str) -> StoreResult<Region> {
        let mut tx = self.write_tx().await?;
        let created = create_region_tx(&mut tx, region, actor).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// The region with this code.
    pub async fn region_by_code(&self, code: &str) -> StoreResult<Option<Region>> {
        let mut conn = self.pool().acquire().await?;
        region_by_code_tx(&mut conn, code).await
    }

    /// Regions named `name` (a name can be reused after a merger), current ones first.
    pub async fn regions_by_name(&self, name: &str) -> StoreResult<Vec<Region>> {
        let mut conn = self.pool().acquire().await?;
        regions_by_name_tx(&mut conn, name).await
    }

    /// Every region, by code.
    pub async fn list_regions(&self) -> StoreResult<Vec<Region>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            region_columns!(),
            " FROM regions ORDER BY code"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(region_from_row).collect()
    }

    /// Close a region's validity and name its successor (株洲县 → 渌口区 on 2018-06-19).
    pub async fn retire_region(
        &self,
        id: i64,
        expected_version: i64,
        valid_to: &str,
        successor_id: Option<i64>,
        actor: &str,
    ) -> StoreResult<Region> {
        let mut tx = self.write_tx().await?;
        let before = region_by_id_tx(&mut tx, id).await?;
        let done = sqlx::query(
            "UPDATE regions SET valid_to = $1, successor_id = $2, version = version + 1 \
             WHERE id = $3 AND version = $4",
        )
        .bind(valid_to)
        .bind(successor_id)
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict {
                entity: "region",
                id,
                expected: expected_version,
                actual: before.version,
            });
        }
        let after = region_by_id_tx(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            "region",
            Some(id),
            "retire",
            Some(&json!(before)),
            Some(&json!(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Register a department (or return the existing one of that name in that region).
    pub async fn create_department(
        &self,
        region_id: Option<i64>,
        name: &str,
        actor: &str,
    ) -> StoreResult<Department> {
        let name = validate::text("部门名称", name, 64, false).map_err(StoreError::Invalid)?;
        if name.is_empty() {
            return Err(StoreError::Invalid("部门名称不能为空".into()));
        }
        let mut tx = self.write_tx().await?;
        let id = department_id_tx(&mut tx, region_id, &name, actor).await?;
        tx.commit().await?;
        Ok(Department {
            id,
            region_id,
            name,
            version: 1,
        })
    }

    /// Departments of a region (all departments when `region_id` is `None`), by name.
    pub async fn list_departments(&self, region_id: Option<i64>) -> StoreResult<Vec<Department>> {
        let rows = sqlx::query(
            "SELECT id, region_id, name, version FROM departments \
             WHERE $1 IS NULL OR region_id = $1 ORDER BY name, id",
        )
        .bind(region_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(department_from_row).collect()
    }

    /// Create a user. `password_hash` is a PHC string made by the caller (argon2id).
    pub async fn create_user(
        &self,
        username: &str,
        display_name: &str,
        password_hash: Option<&str>,
        role: &str,
        actor: &str,
    ) -> StoreResult<User> {
        let username = canonical_username(username)?;
        let display_name =
            validate::text("姓名", display_name, 64, false).map_err(StoreError::Invalid)?;
        if !ROLES.contains(&role) {
            return Err(StoreError::Invalid(format!("未知的角色“{role}”")));
        }
        let mut tx = self.write_tx().await?;
        if user_by_username_tx(&mut tx, &username).await?.is_some() {
            return Err(StoreError::Invalid(format!(
                "用户名“{username}”已被使用（用户名不区分大小写）"
            )));
        }
        let row = sqlx::query(
            "INSERT INTO users (username, display_name, password_hash, role, created_at) \
             VALUES ($1, $2, $3, $4, $5) \
             RETURNING id, username, display_name, password_hash, role, active, created_at, version",
        )
        .bind(&username)
        .bind(&display_name)
        .bind(password_hash)
        .bind(role)
        .bind(time::now())
        .fetch_one(&mut *tx)
        .await?;
        let user = user_from_row(&row)?;
        // The hash never goes into the audit log.
        let mut after = json!(user);
        after["password_hash"] = json!(user.password_hash.as_ref().map(|_| "***"));
        record(
            &mut tx,
            actor,
            "user",
            Some(user.id),
            "insert",
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// The user with this login name, compared case-insensitively (`Planner` finds
    /// `planner`); `None` for a name that is not even well-formed.
    pub async fn user_by_username(&self, username: &str) -> StoreResult<Option<User>> {
        let Ok(name) = canonical_username(username) else {
            return Ok(None);
        };
        let mut conn = self.pool().acquire().await?;
        user_by_username_tx(&mut conn, &name).await
    }

    /// Replace a user's password hash and end the user's sessions, except `keep_session`
    /// (the SHA-256 of the session that made the change, so a user who changes their own
    /// password stays logged in there). Returns how many sessions ended.
    pub async fn set_password_hash(
        &self,
        user_id: i64,
        expected_version: i64,
        password_hash: &str,
        keep_session: Option<&str>,
        actor: &str,
    ) -> StoreResult<u64> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE users SET password_hash = $1, version = version + 1 WHERE id = $2 AND version = $3",
        )
        .bind(password_hash)
        .bind(user_id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(user_conflict(&mut tx, user_id, expected_version).await);
        }
        let ended = sqlx::query(
            "DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR token_hash <> $2)",
        )
        .bind(user_id)
        .bind(keep_session)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let change = json!({"password_hash": "***", "sessions_ended": ended});
        record(
            &mut tx,
            actor,
            "user",
            Some(user_id),
            "set_password",
            None,
            Some(&change),
        )
        .await?;
        tx.commit().await?;
        Ok(ended)
    }

    /// Activate or deactivate an account. Deactivating ends every session of the user and
    /// revokes every API token in the same transaction, so nothing of theirs keeps working;
    /// reactivating gives back the login, not the old sessions or tokens.
    pub async fn set_user_active(
        &self,
        user_id: i64,
        expected_version: i64,
        active: bool,
        actor: &str,
    ) -> StoreResult<User> {
        let mut tx = self.write_tx().await?;
        let before = user_by_id_tx(&mut tx, user_id).await?;
        let done = sqlx::query(
            "UPDATE users SET active = $1, version = version + 1 WHERE id = $2 AND version = $3",
        )
        .bind(i64::from(active))
        .bind(user_id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(user_conflict(&mut tx, user_id, expected_version).await);
        }
        let (sessions, tokens) = if active {
            (0, 0)
        } else {
            end_access_tx(&mut tx, user_id).await?
        };
        let after = user_by_id_tx(&mut tx, user_id).await?;
        let action = if active { "activate" } else { "deactivate" };
        record(
            &mut tx,
            actor,
            "user",
            Some(user_id),
            action,
            Some(&json!({"active": before.active})),
            Some(&json!({"active": after.active, "sessions_ended": sessions, "tokens_revoked": tokens})),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// End every session of a user and revoke every API token (the account stays active):
    /// for a lost laptop or a leaked token. Returns (sessions ended, tokens revoked).
    pub async fn revoke_user_access(&self, user_id: i64, actor: &str) -> StoreResult<(u64, u64)> {
        let mut tx = self.write_tx().await?;
        user_by_id_tx(&mut tx, user_id).await?;
        let (sessions, tokens) = end_access_tx(&mut tx, user_id).await?;
        record(
            &mut tx,
            actor,
            "user",
            Some(user_id),
            "revoke_access",
            None,
            Some(&json!({"sessions_ended": sessions, "tokens_revoked": tokens})),
        )
        .await?;
        tx.commit().await?;
        Ok((sessions, tokens))
    }

    /// Grant `role` on a department (editor) or a region (planner, viewer) to a user.
    /// Every id must exist and the scope must fit the role; the same grant twice is refused.
    pub async fn add_grant(
        &self,
        user_id: i64,
        department_id: Option<i64>,
        region_id: Option<i64>,
        role: &str,
        actor: &str,
    ) -> StoreResult<Grant> {
        match (role, region_id, department_id) {
            ("planner" | "viewer", Some(_), None) | ("editor", None, Some(_)) => {}
            ("planner" | "viewer" | "editor", ..) => {
                return Err(StoreError::Invalid(
                    "授权范围不符：规划科和查看者按地区授权，部门填报员按部门授权".into(),
                ));
            }
            _ => return Err(StoreError::Invalid(format!("未知的授权角色“{role}”"))),
        }
        let mut tx = self.write_tx().await?;
        user_by_id_tx(&mut tx, user_id)
            .await
            .map_err(|_| StoreError::Invalid(format!("用户 #{user_id} 不存在")))?;
        if let Some(r) = region_id {
            region_by_id_tx(&mut tx, r)
                .await
                .map_err(|_| StoreError::Invalid(format!("地区 #{r} 不存在")))?;
        }
        if let Some(d) = department_id {
            let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM departments WHERE id = $1")
                .bind(d)
                .fetch_optional(&mut *tx)
                .await?;
            if found.is_none() {
                return Err(StoreError::Invalid(format!("部门 #{d} 不存在")));
            }
        }
        let same: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM grants WHERE user_id = $1 AND role = $2 \
             AND (region_id = $3 OR (region_id IS NULL AND $3 IS NULL)) \
             AND (department_id = $4 OR (department_id IS NULL AND $4 IS NULL))",
        )
        .bind(user_id)
        .bind(role)
        .bind(region_id)
        .bind(department_id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((id,)) = same {
            return Err(StoreError::Invalid(format!("该授权已存在（授权 #{id}）")));
        }
        let row = sqlx::query(
            "INSERT INTO grants (user_id, department_id, region_id, role, created_at) \
             VALUES ($1, $2, $3, $4, $5) \
             RETURNING id, user_id, department_id, region_id, role, created_at, version",
        )
        .bind(user_id)
        .bind(department_id)
        .bind(region_id)
        .bind(role)
        .bind(time::now())
        .fetch_one(&mut *tx)
        .await?;
        let grant = grant_from_row(&row)?;
        record(
            &mut tx,
            actor,
            "grant",
            Some(grant.id),
            "insert",
            None,
            Some(&json!(grant)),
        )
        .await?;
        tx.commit().await?;
        Ok(grant)
    }

    /// Remove a grant; it takes effect on the user's next request.
    pub async fn remove_grant(&self, grant_id: i64, actor: &str) -> StoreResult<Grant> {
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(
            "SELECT id, user_id, department_id, region_id, role, created_at, version \
             FROM grants WHERE id = $1",
        )
        .bind(grant_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound {
            entity: "grant",
            id: grant_id,
        })?;
        let grant = grant_from_row(&row)?;
        sqlx::query("DELETE FROM grants WHERE id = $1")
            .bind(grant_id)
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            "grant",
            Some(grant_id),
            "delete",
            Some(&json!(grant)),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(grant)
    }

    /// Grants of a user.
    pub async fn grants_of(&self, user_id: i64) -> StoreResult<Vec<Grant>> {
        let rows = sqlx::query(
            "SELECT id, user_id, department_id, region_id, role, created_at, version \
             FROM grants WHERE user_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(grant_from_row).collect()
    }
}

async fn user_by_id_tx(conn: &mut AnyConnection, id: i64) -> StoreResult<User> {
    let row = sqlx::query(
        "SELECT id, username, display_name, password_hash, role, active, created_at, version \
         FROM users WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound { entity: "user", id })?;
    user_from_row(&row)
}

/// Why an update of user `id` at `expected` touched no row: a newer version, or no user.
async fn user_conflict(conn: &mut AnyConnection, id: i64, expected: i64) -> StoreError {
    match user_by_id_tx(conn, id).await {
        Ok(u) => StoreError::Conflict {
            entity: "user",
            id,
            expected,
            actual: u.version,
        },
        Err(e) => e,
    }
}

/// Delete every session of a user and revoke every live API token; (sessions, tokens).
async fn end_access_tx(conn: &mut AnyConnection, user_id: i64) -> StoreResult<(u64, u64)> {
    let sessions = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    let tokens = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1, version = version + 1 \
         WHERE user_id = $2 AND revoked_at IS NULL",
    )
    .bind(time::now())
    .bind(user_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok((sessions, tokens))
}
