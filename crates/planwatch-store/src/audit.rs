//! The audit log: who changed what, when, with the row before and after.
//!
//! [`record`] is called inside the transaction of the change it describes, so
//! a change and its audit row commit or roll back together.

use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::{AuditEntry, Store, StoreError, StoreResult, time};

/// Write one audit row on the connection of the current transaction.
pub(crate) async fn record(
    conn: &mut AnyConnection,
    actor: &str,
    entity: &str,
    entity_id: Option<i64>,
    action: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> StoreResult<()> {
    if actor.trim().is_empty() {
        return Err(StoreError::Invalid("操作人不能为空".into()));
    }
    sqlx::query(
        "INSERT INTO audit_log (actor, at, entity, entity_id, action, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(actor)
    .bind(time::now())
    .bind(entity)
    .bind(entity_id)
    .bind(action)
    .bind(before.map(Value::to_string))
    .bind(after.map(Value::to_string))
    .execute(conn)
    .await?;
    Ok(())
}

macro_rules! audit_columns {
    () => {
        "id, actor, at, entity, entity_id, action, before_json, after_json"
    };
}

fn from_row(r: &AnyRow) -> StoreResult<AuditEntry> {
    let parse = |s: Option<String>| -> StoreResult<Option<Value>> {
        Ok(match s {
            Some(s) => Some(serde_json::from_str(&s)?),
            None => None,
        })
    };
    Ok(AuditEntry {
        id: r.try_get("id")?,
        actor: r.try_get("actor")?,
        at: r.try_get("at")?,
        entity: r.try_get("entity")?,
        entity_id: r.try_get("entity_id")?,
        action: r.try_get("action")?,
        before: parse(r.try_get("before_json")?)?,
        after: parse(r.try_get("after_json")?)?,
    })
}

impl Store {
    /// The audit trail of one row, oldest first.
    pub async fn audit_for(&self, entity: &str, entity_id: i64) -> StoreResult<Vec<AuditEntry>> {
        let sql = concat!(
            "SELECT ",
            audit_columns!(),
            " FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id"
        );
        let rows = sqlx::query(sql)
            .bind(entity)
            .bind(entity_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// The most recent audit rows, newest first.
    pub async fn recent_audit(&self, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        let sql = concat!(
            "SELECT ",
            audit_columns!(),
            " FROM audit_log ORDER BY id DESC LIMIT $1"
        );
        let rows = sqlx::query(sql).bind(limit).fetch_all(self.pool()).await?;
        rows.iter().map(from_row).collect()
    }

    /// Id of the newest audit row (0 when empty). Every mutation writes an audit row, so
    /// this number changes whenever anything in the database changes: a cheap cache key.
    pub async fn change_stamp(&self) -> StoreResult<i64> {
        let (n,): (Option<i64>,) = sqlx::query_as("SELECT MAX(id) FROM audit_log")
            .fetch_one(self.pool())
            .await?;
        Ok(n.unwrap_or(0))
    }

    /// Number of audit rows (for checks and tests).
    pub async fn audit_count(&self) -> StoreResult<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log")
            .fetch_one(self.pool())
            .await?;
        Ok(n)
    }
}
