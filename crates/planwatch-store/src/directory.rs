//! Regions, departments, users and grants: who and where.

use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

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

async fn region_by_id_tx(conn: &mut AnyConnection, id: i64) -> StoreResult<Region> {
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
    if region.code.trim().is_empty() || region.name.trim().is_empty() {
        return Err(StoreError::Invalid("地区代码和名称不能为空".into()));
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
    .bind(&region.code)
    .bind(&region.name)
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
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("部门名称不能为空".into()));
        }
        let mut tx = self.write_tx().await?;
        let id = department_id_tx(&mut tx, region_id, name, actor).await?;
        tx.commit().await?;
        Ok(Department {
            id,
            region_id,
            name: name.to_string(),
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
        if username.trim().is_empty() {
            return Err(StoreError::Invalid("用户名不能为空".into()));
        }
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(
            "INSERT INTO users (username, display_name, password_hash, role, created_at) \
             VALUES ($1, $2, $3, $4, $5) \
             RETURNING id, username, display_name, password_hash, role, active, created_at, version",
        )
        .bind(username.trim())
        .bind(display_name)
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

    /// The user with this login name.
    pub async fn user_by_username(&self, username: &str) -> StoreResult<Option<User>> {
        let row = sqlx::query(
            "SELECT id, username, display_name, password_hash, role, active, created_at, version \
             FROM users WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// Replace a user's password hash.
    pub async fn set_password_hash(
        &self,
        user_id: i64,
        expected_version: i64,
        password_hash: &str,
        actor: &str,
    ) -> StoreResult<()> {
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
            let actual: Option<(i64,)> = sqlx::query_as("SELECT version FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
            return Err(match actual {
                Some((actual,)) => StoreError::Conflict {
                    entity: "user",
                    id: user_id,
                    expected: expected_version,
                    actual,
                },
                None => StoreError::NotFound {
                    entity: "user",
                    id: user_id,
                },
            });
        }
        let change = json!({"password_hash": "***"});
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
        Ok(())
    }

    /// Grant `role` on a department or region to a user.
    pub async fn add_grant(
        &self,
        user_id: i64,
        department_id: Option<i64>,
        region_id: Option<i64>,
        role: &str,
        actor: &str,
    ) -> StoreResult<Grant> {
        let mut tx = self.write_tx().await?;
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
