//! Extracted items of a document: outline headings, indicators, prose targets,
//! key projects and annual targets. Written at ingest, read by the CLI, the web
//! app and the report.

use std::collections::HashMap;

use planwatch_core::codes::Code;
use planwatch_core::plan::{DocType, Plan};
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use crate::audit::record;
use crate::batch::{Val, insert_rows};
use crate::keys::KeyMaker;
use crate::schema::{Ctx, ItemSchema, Stored, schema};
use crate::{
    AnnualTargetRow, IndicatorRow, OutlineRow, ProjectRow, Store, StoreError, StoreResult,
    TargetRow, TaskRow,
};

/// The indicator catalogue's canonical name for a name as written, if it knows it.
pub fn canonical_name(name: &str) -> Option<String> {
    planwatch_core::catalogue::Catalogue::builtin()
        .find(name)
        .map(|m| m.entry.name.clone())
}

/// Insert every heading, indicator, prose target, project and annual target of
/// `plan`, each kind through its descriptor ([`crate::schema`]).
pub(crate) async fn insert_items(
    conn: &mut AnyConnection,
    document_id: i64,
    region_id: Option<i64>,
    plan: &Plan,
) -> StoreResult<()> {
    let departments = HashMap::new();
    let ctx = Ctx {
        plan,
        departments: &departments,
    };
    let mut keys = KeyMaker::default();
    insert_kind::<OutlineRow, _>(conn, document_id, &plan.outline, &mut keys, &ctx).await?;
    insert_kind::<IndicatorRow, _>(conn, document_id, &plan.indicators, &mut keys, &ctx).await?;
    insert_kind::<TargetRow, _>(conn, document_id, &plan.targets, &mut keys, &ctx).await?;
    insert_kind::<ProjectRow, _>(conn, document_id, &plan.projects, &mut keys, &ctx).await?;

    if matches!(plan.doc_type, DocType::WorkReport | DocType::AnnualPlan) {
        let rows = plan
            .targets
            .iter()
            .filter_map(|t| {
                let year = t.year?;
                Some(vec![
                    Val::from(document_id),
                    Val::from(region_id),
                    Val::from(i64::from(year)),
                    Val::from(t.indicator.as_str()),
                    Val::from(t.value),
                    Val::from(t.unit.clone()),
                    t.comparator.to_val(),
                    t.kind.to_val(),
                    Val::from(t.text.as_str()),
                    Val::from(t.line as i64),
                ])
            })
            .collect();
        insert_rows(
            conn,
            "annual_targets",
            &[
                "document_id",
                "region_id",
                "year",
                "indicator",
                "value",
                "unit",
                "comparator",
                "kind",
                "text",
                "line",
            ],
            rows,
        )
        .await?;
    }
    Ok(())
}

/// A row struct made by the descriptor macro, seen by the generic code of this module.
pub(crate) trait ItemRow: Sized + Serialize {
    /// The parsed item a row is made from.
    type Item;
    /// The descriptor.
    const SCHEMA: &'static ItemSchema;
    /// Columns written at ingest.
    const INSERT: &'static [&'static str];
    /// Read a row.
    fn from_row(r: &AnyRow) -> StoreResult<Self>;
    /// The text of an item's key.
    fn key_text(item: &Self::Item) -> String;
    /// The values of one item at ingest.
    fn values(
        document_id: i64,
        ord: usize,
        key: String,
        item: &Self::Item,
        ctx: &Ctx,
    ) -> StoreResult<Vec<Val>>;
}

macro_rules! item_row {
    ($($row:ident => $item:ty),+) => {$(
        impl ItemRow for $row {
            type Item = $item;
            const SCHEMA: &'static ItemSchema = &$row::SCHEMA;
            const INSERT: &'static [&'static str] = $row::INSERT_COLUMNS;
            fn from_row(r: &AnyRow) -> StoreResult<Self> {
                $row::from_row(r)
            }
            fn key_text(item: &$item) -> String {
                $row::key_text(item)
            }
            fn values(document_id: i64, ord: usize, key: String, item: &$item, ctx: &Ctx)
                -> StoreResult<Vec<Val>> {
                $row::insert_values(document_id, ord, key, item, ctx)
            }
        }
    )+};
}

item_row!(
    OutlineRow => planwatch_core::plan::OutlineNode,
    IndicatorRow => planwatch_core::plan::Indicator,
    TargetRow => planwatch_core::plan::ProseTarget,
    ProjectRow => planwatch_core::plan::Project,
    TaskRow => crate::tasks::ExtractedTask
);

/// Insert the items of one kind in reading order; returns their keys.
pub(crate) async fn insert_kind<R: ItemRow, I: std::borrow::Borrow<R::Item>>(
    conn: &mut AnyConnection,
    document_id: i64,
    items: &[I],
    keys: &mut KeyMaker,
    ctx: &Ctx<'_>,
) -> StoreResult<Vec<String>> {
    let code = R::SCHEMA.kind.code();
    let mut rows = Vec::with_capacity(items.len());
    let mut out = Vec::with_capacity(items.len());
    for (ord, item) in items.iter().enumerate() {
        let item = item.borrow();
        let key = keys.key(code, &R::key_text(item));
        out.push(key.clone());
        rows.push(R::values(document_id, ord, key, item, ctx)?);
    }
    insert_rows(conn, R::SCHEMA.table, R::INSERT, rows).await?;
    Ok(out)
}

/// `SELECT <columns> FROM <table> WHERE <condition>` for a kind.
fn select(schema: &ItemSchema, condition: &str) -> AssertSqlSafe<String> {
    // Names come from the descriptors and the condition from this module, never from input.
    AssertSqlSafe(format!(
        "SELECT {} FROM {} WHERE {condition}",
        schema.select_list(""),
        schema.table
    ))
}

/// One row of a kind by id, on a connection.
async fn row_by_id<R: ItemRow>(conn: &mut AnyConnection, id: i64) -> StoreResult<Option<R>> {
    sqlx::query(select(R::SCHEMA, "id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| R::from_row(&r))
        .transpose()
}

/// Read one item row as JSON (for audit before/after), by kind.
pub(crate) async fn item_json(
    conn: &mut AnyConnection,
    kind: crate::ItemKind,
    id: i64,
) -> StoreResult<Option<Value>> {
    use crate::ItemKind::*;
    fn j<R: Serialize>(r: Option<R>) -> Option<Value> {
        r.map(|r| json!(r))
    }
    Ok(match kind {
        Heading => j(row_by_id::<OutlineRow>(conn, id).await?),
        Indicator => j(row_by_id::<IndicatorRow>(conn, id).await?),
        Target => j(row_by_id::<TargetRow>(conn, id).await?),
        Project => j(row_by_id::<ProjectRow>(conn, id).await?),
        Task => j(crate::tasks::task_by_id_tx(conn, id).await?),
    })
}

/// Bump an item's version if it is still `expected`: the optimistic-locking step of
/// every item edit. The table name comes from the kind's descriptor.
async fn bump_version(
    conn: &mut AnyConnection,
    kind: crate::ItemKind,
    id: i64,
    expected: i64,
) -> StoreResult<Value> {
    let entity = kind.code();
    let before = item_json(conn, kind, id)
        .await?
        .ok_or(StoreError::NotFound { entity, id })?;
    let actual = before.get("version").and_then(Value::as_i64).unwrap_or(0);
    let sql = format!(
        "UPDATE {} SET version = version + 1 WHERE id = $1 AND version = $2",
        schema(kind).table
    );
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(expected)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict {
            entity,
            id,
            expected,
            actual,
        });
    }
    Ok(before)
}

impl Store {
    /// Make a department responsible for an indicator (or none).
    pub async fn assign_indicator(
        &self,
        id: i64,
        expected_version: i64,
        department_id: Option<i64>,
        actor: &str,
    ) -> StoreResult<IndicatorRow> {
        let mut tx = self.write_tx().await?;
        let before =
            bump_version(&mut tx, crate::ItemKind::Indicator, id, expected_version).await?;
        sqlx::query("UPDATE indicators SET department_id = $1 WHERE id = $2")
            .bind(department_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let after = row_by_id::<IndicatorRow>(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound {
                entity: "indicator",
                id,
            })?;
        record(
            &mut tx,
            actor,
            "indicator",
            Some(id),
            "assign",
            Some(&before),
            Some(&json!(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Set a key project's status (planned, started, done, suspended, …).
    pub async fn update_project_status(
        &self,
        id: i64,
        expected_version: i64,
        status: &str,
        actor: &str,
    ) -> StoreResult<ProjectRow> {
        if status.trim().is_empty() {
            return Err(StoreError::Invalid("项目状态不能为空".into()));
        }
        let mut tx = self.write_tx().await?;
        let before = bump_version(&mut tx, crate::ItemKind::Project, id, expected_version).await?;
        sqlx::query("UPDATE projects SET status = $1 WHERE id = $2")
            .bind(status.trim())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let after = row_by_id::<ProjectRow>(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound {
                entity: "project",
                id,
            })?;
        record(
            &mut tx,
            actor,
            "project",
            Some(id),
            "status",
            Some(&before),
            Some(&json!(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The rows of one kind of a document in reading order (rejected ones included, flagged).
    async fn rows_of<R: ItemRow>(&self, document_id: i64) -> StoreResult<Vec<R>> {
        sqlx::query(select(R::SCHEMA, "document_id = $1 ORDER BY ord, id"))
            .bind(document_id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(R::from_row)
            .collect()
    }

    /// Outline headings of a document in reading order (rejected ones included, flagged).
    pub async fn outline_of(&self, document_id: i64) -> StoreResult<Vec<OutlineRow>> {
        self.rows_of(document_id).await
    }

    /// Indicators of a document in reading order (rejected ones included, flagged).
    pub async fn indicators_of(&self, document_id: i64) -> StoreResult<Vec<IndicatorRow>> {
        self.rows_of(document_id).await
    }

    /// Prose targets of a document in reading order.
    pub async fn targets_of(&self, document_id: i64) -> StoreResult<Vec<TargetRow>> {
        self.rows_of(document_id).await
    }

    /// Annual targets of a region (all regions when `None`), by year.
    pub async fn annual_targets_of(
        &self,
        region_id: Option<i64>,
    ) -> StoreResult<Vec<AnnualTargetRow>> {
        let rows = sqlx::query(
            "SELECT id, document_id, region_id, year, indicator, value, unit, comparator, kind, text, line \
             FROM annual_targets WHERE $1 IS NULL OR region_id = $1 ORDER BY year, id",
        )
        .bind(region_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AnnualTargetRow {
                    id: r.try_get("id")?,
                    document_id: r.try_get("document_id")?,
                    region_id: r.try_get("region_id")?,
                    year: r.try_get("year")?,
                    indicator: r.try_get("indicator")?,
                    value: r.try_get("value")?,
                    unit: r.try_get("unit")?,
                    comparator: Stored::read(r, "comparator")?,
                    kind: Stored::read(r, "kind")?,
                    text: r.try_get("text")?,
                    line: r.try_get("line")?,
                })
            })
            .collect()
    }
}

impl Store {
    /// One row of a kind by id, or [`StoreError::NotFound`].
    async fn one<R: ItemRow>(&self, id: i64) -> StoreResult<R> {
        let mut conn = self.pool().acquire().await?;
        row_by_id(&mut conn, id).await?.ok_or(StoreError::NotFound {
            entity: R::SCHEMA.kind.code(),
            id,
        })
    }

    /// One heading by row id.
    pub async fn heading(&self, id: i64) -> StoreResult<OutlineRow> {
        self.one(id).await
    }

    /// One indicator by row id.
    pub async fn indicator(&self, id: i64) -> StoreResult<IndicatorRow> {
        self.one(id).await
    }

    /// One prose target by row id.
    pub async fn target(&self, id: i64) -> StoreResult<TargetRow> {
        self.one(id).await
    }
}
