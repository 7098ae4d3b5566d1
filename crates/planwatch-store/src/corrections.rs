//! Corrections: a reviewer's fix of an extracted item, kept across re-parses.
//!
//! A correction is stored against the document's lineage and the item's stable key
//! ([`crate::keys`]), not against a row id, so it finds its item again when the same
//! or a revised document is ingested. The extracted values stay in `original_json`
//! of every item row; the item's columns hold the corrected values and `corrected`
//! says so. An edit also records what the edited fields said when it was made: if a
//! later parse extracts something else there, the text changed under the correction
//! and it is reported as no longer applying instead of overwriting the new text.

use serde_json::{Map, Value, json};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use crate::audit::record;
use crate::batch::Val;
use crate::items::item_json;
use crate::schema::schema;
use crate::{
    Code, Correction, CorrectionAction, CorrectionResult, ItemKind, Store, StoreError, StoreResult,
    time,
};

/// Check an edit's fields against the kind's descriptor: correctable columns only,
/// each value of the column's type (and not empty where the column never is).
fn validate_edit(kind: ItemKind, fields: &Map<String, Value>) -> StoreResult<()> {
    if fields.is_empty() {
        return Err(StoreError::Invalid("更正内容为空".into()));
    }
    let schema = schema(kind);
    for (name, value) in fields {
        let Some(col) = schema.column(name).filter(|c| c.editable()) else {
            return Err(StoreError::Invalid(format!(
                "字段 {name} 不可更正（{}）",
                schema.label
            )));
        };
        if (col.from_json)(value).is_none() {
            return Err(StoreError::Invalid(format!(
                "{}（{name}）的值 {value} 类型不对或为空",
                col.label
            )));
        }
    }
    Ok(())
}

fn correction_from_row(r: &AnyRow) -> StoreResult<Correction> {
    let kind: String = r.try_get("item_kind")?;
    let payload: String = r.try_get("payload_json")?;
    let mut payload: Value = serde_json::from_str(&payload)?;
    let expect = match payload.get_mut("expect").map(Value::take) {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    if let Some(obj) = payload.as_object_mut() {
        obj.remove("expect");
    }
    Ok(Correction {
        id: r.try_get("id")?,
        lineage: r.try_get("lineage")?,
        item_kind: ItemKind::parse(&kind)
            .ok_or_else(|| StoreError::Invalid(format!("未知条目类型 {kind}")))?,
        item_key: r.try_get("item_key")?,
        action: serde_json::from_value(payload)?,
        expect,
        reason: r.try_get("reason")?,
        status: r.try_get("status")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        version: r.try_get("version")?,
    })
}

macro_rules! correction_columns {
    () => {
        "id, lineage, item_kind, item_key, action, payload_json, reason, status, created_by, created_at, version"
    };
}

/// Active corrections of a lineage, oldest first (the order they are applied in).
pub(crate) async fn active_for_lineage(
    conn: &mut AnyConnection,
    lineage: &str,
) -> StoreResult<Vec<Correction>> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        correction_columns!(),
        " FROM corrections WHERE lineage = $1 AND status = 'active' ORDER BY id"
    ))
    .bind(lineage)
    .fetch_all(conn)
    .await?;
    rows.iter().map(correction_from_row).collect()
}

/// Find the item a key names in a document: (id, version).
async fn find_item(
    conn: &mut AnyConnection,
    kind: ItemKind,
    document_id: i64,
    key: &str,
) -> StoreResult<Option<(i64, i64)>> {
    let sql = format!(
        "SELECT id, version FROM {} WHERE document_id = $1 AND item_key = $2",
        schema(kind).table
    );
    // The table name comes from the kind's descriptor.
    let row: Option<(i64, i64)> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(document_id)
        .bind(key)
        .fetch_optional(conn)
        .await?;
    Ok(row)
}

async fn mark(
    conn: &mut AnyConnection,
    kind: ItemKind,
    id: i64,
    rejected: bool,
) -> StoreResult<()> {
    let sql = format!(
        "UPDATE {} SET corrected = 1, rejected = CASE WHEN $1 = 1 THEN 1 ELSE rejected END, \
         version = version + 1 WHERE id = $2",
        schema(kind).table
    );
    sqlx::query(AssertSqlSafe(sql))
        .bind(i64::from(rejected))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

fn result(c: &Correction, applied: bool, message: impl Into<String>) -> CorrectionResult {
    CorrectionResult {
        correction_id: c.id,
        item_kind: c.item_kind,
        item_key: c.item_key.clone(),
        applied,
        message: message.into(),
    }
}

/// Apply one correction to the items of a document, with an audit row per changed item.
pub(crate) async fn apply(
    conn: &mut AnyConnection,
    document_id: i64,
    c: &Correction,
    actor: &str,
) -> StoreResult<CorrectionResult> {
    let kind = c.item_kind;
    let Some((id, _)) = find_item(conn, kind, document_id, &c.item_key).await? else {
        return Ok(result(
            c,
            false,
            "文档中已找不到该条目（原文可能已改写或删除）",
        ));
    };
    let before = item_json(conn, kind, id).await?.unwrap_or(Value::Null);
    match &c.action {
        CorrectionAction::Edit { fields } => {
            let schema = schema(kind);
            for (name, was) in &c.expect {
                let now = before.get(name).unwrap_or(&Value::Null);
                let same = match schema.column(name) {
                    Some(col) => col.same(now, was),
                    None => now == was,
                };
                if !same {
                    return Ok(result(
                        c,
                        false,
                        format!("原文已变化：字段 {name} 更正时为 {was}，现在提取为 {now}"),
                    ));
                }
            }
            let mut sets = Vec::new();
            let mut values = Vec::new();
            for (name, value) in fields {
                // Names and values were checked against the descriptor when the
                // correction was made; check again, the descriptor may have changed.
                let Some(col) = schema.column(name).filter(|c| c.editable()) else {
                    return Ok(result(c, false, format!("字段 {name} 不可更正")));
                };
                let Some(v) = (col.from_json)(value) else {
                    return Ok(result(c, false, format!("字段 {name} 的值 {value} 无效")));
                };
                sets.push(format!("{} = ${}", col.name, sets.len() + 1));
                values.push(v);
            }
            let sql = format!(
                "UPDATE {} SET {}, corrected = 1, version = version + 1 WHERE id = ${}",
                schema.table,
                sets.join(", "),
                values.len() + 1
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for v in values {
                q = match v {
                    Val::Int(v) => q.bind(v),
                    Val::Real(v) => q.bind(v),
                    Val::Text(v) => q.bind(v),
                };
            }
            q.bind(id).execute(&mut *conn).await?;
        }
        CorrectionAction::Reject => mark(conn, kind, id, true).await?,
        CorrectionAction::Split { parts } => {
            if kind != ItemKind::Task {
                return Ok(result(c, false, "只有任务可以拆分"));
            }
            for (i, part) in parts.iter().enumerate() {
                let key = format!("{}/split{}", c.item_key, i + 1);
                let original = json!({"split_from": c.item_key, "text": part}).to_string();
                let (new_id,): (i64,) = sqlx::query_as(
                    "INSERT INTO tasks (document_id, ord, item_key, line, chapter, text, lead_department_id, \
                     start_year, end_year, deadline, progress, status, corrected, origin, original_json) \
                     SELECT document_id, ord, $1, line, chapter, $2, lead_department_id, start_year, end_year, \
                     deadline, progress, status, 1, 'correction', $3 FROM tasks WHERE id = $4 RETURNING id",
                )
                .bind(&key)
                .bind(part)
                .bind(&original)
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
                sqlx::query(
                    "INSERT INTO task_departments (task_id, department_id) \
                     SELECT $1, department_id FROM task_departments WHERE task_id = $2",
                )
                .bind(new_id)
                .bind(id)
                .execute(&mut *conn)
                .await?;
                let after = item_json(conn, kind, new_id).await?;
                record(
                    conn,
                    actor,
                    "task",
                    Some(new_id),
                    "split_part",
                    None,
                    after.as_ref(),
                )
                .await?;
            }
            mark(conn, kind, id, true).await?;
        }
        CorrectionAction::Merge { others, text } => {
            if kind != ItemKind::Task {
                return Ok(result(c, false, "只有任务可以合并"));
            }
            let mut ids = Vec::new();
            for key in others {
                match find_item(conn, kind, document_id, key).await? {
                    Some((other, _)) if other != id => ids.push(other),
                    Some(_) => return Ok(result(c, false, "不能把任务合并到自身")),
                    None => return Ok(result(c, false, format!("要合并的任务 {key} 已不存在"))),
                }
            }
            for other in ids {
                let b = item_json(conn, kind, other).await?;
                sqlx::query(
                    "UPDATE tasks SET merged_into = $1, rejected = 1, corrected = 1, version = version + 1 WHERE id = $2",
                )
                .bind(id)
                .bind(other)
                .execute(&mut *conn)
                .await?;
                let a = item_json(conn, kind, other).await?;
                record(
                    conn,
                    actor,
                    "task",
                    Some(other),
                    "merge_into",
                    b.as_ref(),
                    a.as_ref(),
                )
                .await?;
            }
            if let Some(text) = text {
                sqlx::query("UPDATE tasks SET text = $1 WHERE id = $2")
                    .bind(text)
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
            }
            mark(conn, kind, id, false).await?;
        }
    }
    let after = item_json(conn, kind, id).await?;
    record(
        conn,
        actor,
        kind.code(),
        Some(id),
        "apply_correction",
        Some(&before),
        after.as_ref(),
    )
    .await?;
    sqlx::query(
        "INSERT INTO correction_results (document_id, correction_id, applied, message) VALUES ($1, $2, 1, $3)",
    )
    .bind(document_id)
    .bind(c.id)
    .bind("已应用")
    .execute(&mut *conn)
    .await?;
    Ok(result(c, true, "已应用"))
}

/// Record that a correction did not apply to a document.
pub(crate) async fn record_not_applied(
    conn: &mut AnyConnection,
    document_id: i64,
    r: &CorrectionResult,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO correction_results (document_id, correction_id, applied, message) VALUES ($1, $2, 0, $3)",
    )
    .bind(document_id)
    .bind(r.correction_id)
    .bind(&r.message)
    .execute(conn)
    .await?;
    Ok(())
}

/// A correction and what it did to the item it was made on.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrectionOutcome {
    /// The stored correction.
    pub correction: Correction,
    /// The item after the correction, as JSON.
    pub item: Value,
}

impl Store {
    /// Correct an extracted item of a stored document.
    ///
    /// `item_id` is the row id of the item (a heading, indicator, target, task or project)
    /// and `expected_version` the version the reviewer saw. The correction is stored
    /// against the document's lineage and the item's key, applied now, and applied
    /// again whenever a document of the same lineage is ingested.
    pub async fn correct_item(
        &self,
        kind: ItemKind,
        item_id: i64,
        expected_version: i64,
        action: CorrectionAction,
        reason: Option<&str>,
        actor: &str,
    ) -> StoreResult<CorrectionOutcome> {
        let mut tx = self.write_tx().await?;
        let out = correct_tx(
            &mut tx,
            kind,
            item_id,
            expected_version,
            action,
            reason,
            actor,
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Withdraw a correction: it is no longer applied when a document of its lineage is
    /// ingested. Documents already stored keep their corrected rows (and their audit
    /// trail); a reviewer edits those directly if the fix itself was wrong.
    pub async fn withdraw_correction(
        &self,
        id: i64,
        expected_version: i64,
        actor: &str,
    ) -> StoreResult<Correction> {
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(concat!(
            "SELECT ",
            correction_columns!(),
            " FROM corrections WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound {
            entity: "correction",
            id,
        })?;
        let before = correction_from_row(&row)?;
        let done = sqlx::query(
            "UPDATE corrections SET status = 'withdrawn', version = version + 1 WHERE id = $1 AND version = $2",
        )
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict {
                entity: "correction",
                id,
                expected: expected_version,
                actual: before.version,
            });
        }
        let row = sqlx::query(concat!(
            "SELECT ",
            correction_columns!(),
            " FROM corrections WHERE id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let after = correction_from_row(&row)?;
        record(
            &mut tx,
            actor,
            "correction",
            Some(id),
            "withdraw",
            Some(&json!(before)),
            Some(&json!(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The corrections of a document's lineage with whether each applied to this document.
    pub async fn corrections_for(
        &self,
        document_id: i64,
    ) -> StoreResult<Vec<(Correction, Option<CorrectionResult>)>> {
        let mut conn = self.pool().acquire().await?;
        let (lineage,): (String,) = sqlx::query_as("SELECT lineage FROM documents WHERE id = $1")
            .bind(document_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound {
                entity: "document",
                id: document_id,
            })?;
        let all = active_for_lineage(&mut conn, &lineage).await?;
        let mut out = Vec::new();
        for c in all {
            let r: Option<(i64, String)> = sqlx::query_as(
                "SELECT applied, message FROM correction_results WHERE document_id = $1 AND correction_id = $2",
            )
            .bind(document_id)
            .bind(c.id)
            .fetch_optional(&mut *conn)
            .await?;
            let res = r.map(|(applied, message)| result(&c, applied != 0, message));
            out.push((c, res));
        }
        Ok(out)
    }
}

/// Correct an item inside the caller's transaction (see [`Store::correct_item`]).
pub(crate) async fn correct_tx(
    tx: &mut AnyConnection,
    kind: ItemKind,
    item_id: i64,
    expected_version: i64,
    action: CorrectionAction,
    reason: Option<&str>,
    actor: &str,
) -> StoreResult<CorrectionOutcome> {
    let entity = kind.code();
    let before = item_json(&mut *tx, kind, item_id)
        .await?
        .ok_or(StoreError::NotFound {
            entity,
            id: item_id,
        })?;
    let version = before.get("version").and_then(Value::as_i64).unwrap_or(0);
    if version != expected_version {
        return Err(StoreError::Conflict {
            entity,
            id: item_id,
            expected: expected_version,
            actual: version,
        });
    }
    let document_id = before
        .get("document_id")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let key = before
        .get("item_key")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let (lineage,): (String,) = sqlx::query_as("SELECT lineage FROM documents WHERE id = $1")
        .bind(document_id)
        .fetch_one(&mut *tx)
        .await?;
    let mut expect = Map::new();
    match &action {
        CorrectionAction::Edit { fields } => {
            validate_edit(kind, fields)?;
            for name in fields.keys() {
                expect.insert(
                    name.clone(),
                    before.get(name).cloned().unwrap_or(Value::Null),
                );
            }
        }
        CorrectionAction::Split { parts }
            if parts.len() < 2 || parts.iter().any(|p| p.trim().is_empty()) =>
        {
            return Err(StoreError::Invalid("拆分至少需要两个非空部分".into()));
        }
        CorrectionAction::Merge { others, .. } if others.is_empty() => {
            return Err(StoreError::Invalid("合并需要至少一个其他任务".into()));
        }
        _ => {}
    }
    let mut payload = serde_json::to_value(&action)?;
    payload["expect"] = Value::Object(expect);
    let action_code = payload
        .get("action")
        .and_then(Value::as_str)
        .unwrap_or("edit")
        .to_string();
    let now = time::now();
    let row = sqlx::query(concat!(
            "INSERT INTO corrections (lineage, item_kind, item_key, action, payload_json, reason, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ",
            correction_columns!()
        ))
        .bind(&lineage)
        .bind(kind.code())
        .bind(&key)
        .bind(&action_code)
        .bind(payload.to_string())
        .bind(reason)
        .bind(actor)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
    let correction = correction_from_row(&row)?;
    record(
        &mut *tx,
        actor,
        "correction",
        Some(correction.id),
        "insert",
        None,
        Some(&json!(correction)),
    )
    .await?;
    let res = apply(&mut *tx, document_id, &correction, actor).await?;
    if !res.applied {
        return Err(StoreError::Invalid(res.message));
    }
    let item = item_json(&mut *tx, kind, item_id)
        .await?
        .unwrap_or(Value::Null);
    Ok(CorrectionOutcome { correction, item })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_are_checked_against_the_whitelist() {
        let check = |kind: ItemKind, fields: Value, ok: bool| {
            let Value::Object(m) = fields else {
                panic!("object expected")
            };
            assert_eq!(validate_edit(kind, &m).is_ok(), ok, "{kind:?} {m:?}");
        };
        check(ItemKind::Indicator, json!({"name": "地区生产总值"}), true);
        check(
            ItemKind::Indicator,
            json!({"target_value": 1130.5, "target_year": 2025}),
            true,
        );
        check(ItemKind::Indicator, json!({"target_year": 2025.5}), false);
        check(ItemKind::Indicator, json!({"name": ""}), false);
        check(ItemKind::Indicator, json!({"name": null}), false);
        check(ItemKind::Indicator, json!({"unit": null}), true);
        check(ItemKind::Indicator, json!({"id": 3}), false);
        check(ItemKind::Indicator, json!({"version": 3}), false);
        check(
            ItemKind::Indicator,
            json!({"name; DROP TABLE x": "a"}),
            false,
        );
        check(ItemKind::Task, json!({"text": "新任务"}), true);
        check(ItemKind::Heading, json!({"level": 2}), true);
        check(ItemKind::Target, json!({"value": "8"}), false);
        check(ItemKind::Project, json!({}), false);
    }

    #[test]
    fn numbers_compare_as_numbers() {
        // One comparison, the descriptor's, for the store and the web forms.
        let same = |a: &Value, b: &Value| {
            let col = if a.is_boolean() || b.is_boolean() {
                "target_cumulative"
            } else {
                "target_value"
            };
            schema(ItemKind::Indicator).column(col).unwrap().same(a, b)
        };
        assert!(same(&json!(1130), &json!(1130.0)));
        assert!(same(&json!(true), &json!(1)));
        assert!(!same(&json!(1130), &json!(1131)));
        assert!(
            schema(ItemKind::Indicator)
                .column("name")
                .unwrap()
                .same(&json!("a"), &json!("a"))
        );
        assert!(!same(&json!(null), &json!(0)));
    }
}
