//! Extracted items of a document: outline headings, indicators, prose targets,
//! key projects and annual targets. Written at ingest, read by the CLI, the web
//! app and the report.

use planwatch_core::plan::{Attribute, DocType, HeadingKind, ItemSource, Plan, TargetKind};
use planwatch_core::quantity::Comparator;
use serde_json::{Value, json};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::audit::record;
use crate::batch::{Val, insert_rows};
use crate::keys::KeyMaker;
use crate::{
    AnnualTargetRow, IndicatorRow, OutlineRow, ProjectRow, Store, StoreError, StoreResult,
    TargetRow,
};

/// The indicator catalogue's canonical name for a name as written, if it knows it.
pub fn canonical_name(name: &str) -> Option<String> {
    planwatch_core::catalogue::Catalogue::builtin()
        .find(name)
        .map(|m| m.entry.name.clone())
}

/// Serde name of a unit-like enum (`"binding"`), without quotes.
pub(crate) fn enum_code<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

pub(crate) fn comparator_code(c: Option<Comparator>) -> Option<String> {
    c.map(|c| enum_code(&c))
}

fn heading_kind_code(k: HeadingKind) -> String {
    enum_code(&k)
}

pub(crate) fn doc_type_code(t: DocType) -> String {
    enum_code(&t)
}

fn target_kind_code(k: TargetKind) -> String {
    enum_code(&k)
}

fn attribute_code(a: Option<Attribute>) -> Option<String> {
    a.map(|a| enum_code(&a))
}

fn source_code(s: ItemSource) -> String {
    enum_code(&s)
}

fn json_col(r: &AnyRow, col: &str) -> StoreResult<Value> {
    let s: String = r.try_get(col)?;
    Ok(serde_json::from_str(&s)?)
}

fn flag(r: &AnyRow, col: &str) -> StoreResult<bool> {
    Ok(r.try_get::<i64, _>(col)? != 0)
}

/// Insert every heading, indicator, prose target, project and annual target of `plan`.
pub(crate) async fn insert_items(
    conn: &mut AnyConnection,
    document_id: i64,
    region_id: Option<i64>,
    plan: &Plan,
) -> StoreResult<()> {
    let mut keys = KeyMaker::default();
    let mut rows = Vec::with_capacity(plan.outline.len());
    for (ord, node) in plan.outline.iter().enumerate() {
        let key = keys.key("heading", &format!("{}{}", node.number, node.title));
        rows.push(vec![
            Val::from(document_id),
            Val::from(ord as i64),
            Val::from(key),
            Val::from(node.line as i64),
            Val::from(i64::from(node.level)),
            Val::from(heading_kind_code(node.kind)),
            Val::from(node.number.as_str()),
            Val::from(node.title.as_str()),
            Val::from(serde_json::to_string(node)?),
        ]);
    }
    insert_rows(
        conn,
        "outline_nodes",
        &[
            "document_id",
            "ord",
            "item_key",
            "line",
            "level",
            "kind",
            "number",
            "title",
            "original_json",
        ],
        rows,
    )
    .await?;

    let mut rows = Vec::with_capacity(plan.indicators.len());
    for (ord, ind) in plan.indicators.iter().enumerate() {
        let key = keys.key("indicator", &ind.name);
        let b = ind.baseline.as_ref();
        let t = ind.target.as_ref();
        let g = ind.growth.as_ref();
        rows.push(vec![
            Val::from(document_id),
            Val::from(ord as i64),
            Val::from(key),
            Val::from(ind.line as i64),
            Val::from(source_code(ind.source)),
            Val::from(ind.category.clone()),
            Val::from(ind.name.as_str()),
            Val::from(canonical_name(&ind.name)),
            Val::from(ind.unit.clone()),
            Val::from(attribute_code(ind.attribute)),
            Val::from(b.and_then(|v| v.year).map(i64::from)),
            Val::from(b.map(|v| v.text.clone())),
            Val::from(b.and_then(|v| v.value)),
            Val::from(t.and_then(|v| v.year).map(i64::from)),
            Val::from(t.map(|v| v.text.clone())),
            Val::from(t.and_then(|v| v.value)),
            Val::from(comparator_code(t.and_then(|v| v.comparator))),
            Val::from(i64::from(t.is_some_and(|v| v.cumulative))),
            Val::from(g.map(|v| v.text.clone())),
            Val::from(g.and_then(|v| v.value)),
            Val::from(serde_json::to_string(ind)?),
        ]);
    }
    insert_rows(
        conn,
        "indicators",
        &[
            "document_id",
            "ord",
            "item_key",
            "line",
            "source",
            "category",
            "name",
            "canonical_name",
            "unit",
            "attribute",
            "baseline_year",
            "baseline_text",
            "baseline_value",
            "target_year",
            "target_text",
            "target_value",
            "target_comparator",
            "target_cumulative",
            "growth_text",
            "growth_value",
            "original_json",
        ],
        rows,
    )
    .await?;

    let mut rows = Vec::with_capacity(plan.targets.len());
    for (ord, t) in plan.targets.iter().enumerate() {
        let key = keys.key("target", &t.text);
        rows.push(vec![
            Val::from(document_id),
            Val::from(ord as i64),
            Val::from(key),
            Val::from(t.line as i64),
            Val::from(t.text.as_str()),
            Val::from(t.indicator.as_str()),
            Val::from(t.value),
            Val::from(t.unit.clone()),
            Val::from(t.year.map(i64::from)),
            Val::from(comparator_code(t.comparator)),
            Val::from(target_kind_code(t.kind)),
            Val::from(serde_json::to_string(t)?),
        ]);
    }
    insert_rows(
        conn,
        "targets",
        &[
            "document_id",
            "ord",
            "item_key",
            "line",
            "text",
            "indicator",
            "value",
            "unit",
            "year",
            "comparator",
            "kind",
            "original_json",
        ],
        rows,
    )
    .await?;

    let (start, end) = match plan.period {
        Some(p) => (Some(i64::from(p.start)), Some(i64::from(p.end))),
        None => (None, None),
    };
    let mut rows = Vec::with_capacity(plan.projects.len());
    for (ord, p) in plan.projects.iter().enumerate() {
        let key = keys.key("project", &p.name);
        rows.push(vec![
            Val::from(document_id),
            Val::from(ord as i64),
            Val::from(key),
            Val::from(p.line as i64),
            Val::from(p.name.as_str()),
            Val::from(p.investment.as_ref().map(|i| i.text.clone())),
            Val::from(p.investment.as_ref().map(|i| i.value)),
            Val::from(p.investment.as_ref().map(|i| i.unit.clone())),
            Val::from(start),
            Val::from(end),
            Val::from(serde_json::to_string(p)?),
        ]);
    }
    insert_rows(
        conn,
        "projects",
        &[
            "document_id",
            "ord",
            "item_key",
            "line",
            "name",
            "investment_text",
            "investment_value",
            "investment_unit",
            "period_start",
            "period_end",
            "original_json",
        ],
        rows,
    )
    .await?;

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
                    Val::from(comparator_code(t.comparator)),
                    Val::from(target_kind_code(t.kind)),
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

macro_rules! outline_columns {
    () => {
        "id, document_id, ord, item_key, line, level, kind, number, title, rejected, corrected, original_json, version"
    };
}
macro_rules! indicator_columns {
    () => {
        "id, document_id, ord, item_key, line, source, category, name, canonical_name, unit, attribute, \
         baseline_year, baseline_text, baseline_value, target_year, target_text, target_value, target_comparator, \
         target_cumulative, growth_text, growth_value, department_id, rejected, corrected, original_json, version"
    };
}
macro_rules! target_columns {
    () => {
        "id, document_id, ord, item_key, line, text, indicator, value, unit, year, comparator, kind, rejected, corrected, original_json, version"
    };
}
macro_rules! project_columns {
    () => {
        "id, document_id, ord, item_key, line, name, investment_text, investment_value, investment_unit, \
         period_start, period_end, status, rejected, corrected, original_json, version"
    };
}

fn outline_from_row(r: &AnyRow) -> StoreResult<OutlineRow> {
    Ok(OutlineRow {
        id: r.try_get("id")?,
        document_id: r.try_get("document_id")?,
        ord: r.try_get("ord")?,
        item_key: r.try_get("item_key")?,
        line: r.try_get("line")?,
        level: r.try_get("level")?,
        kind: r.try_get("kind")?,
        number: r.try_get("number")?,
        title: r.try_get("title")?,
        rejected: flag(r, "rejected")?,
        corrected: flag(r, "corrected")?,
        original: json_col(r, "original_json")?,
        version: r.try_get("version")?,
    })
}

pub(crate) fn indicator_from_row(r: &AnyRow) -> StoreResult<IndicatorRow> {
    Ok(IndicatorRow {
        id: r.try_get("id")?,
        document_id: r.try_get("document_id")?,
        ord: r.try_get("ord")?,
        item_key: r.try_get("item_key")?,
        line: r.try_get("line")?,
        source: r.try_get("source")?,
        category: r.try_get("category")?,
        name: r.try_get("name")?,
        canonical_name: r.try_get("canonical_name")?,
        unit: r.try_get("unit")?,
        attribute: r.try_get("attribute")?,
        baseline_year: r.try_get("baseline_year")?,
        baseline_text: r.try_get("baseline_text")?,
        baseline_value: r.try_get("baseline_value")?,
        target_year: r.try_get("target_year")?,
        target_text: r.try_get("target_text")?,
        target_value: r.try_get("target_value")?,
        target_comparator: r.try_get("target_comparator")?,
        target_cumulative: flag(r, "target_cumulative")?,
        growth_text: r.try_get("growth_text")?,
        growth_value: r.try_get("growth_value")?,
        department_id: r.try_get("department_id")?,
        rejected: flag(r, "rejected")?,
        corrected: flag(r, "corrected")?,
        original: json_col(r, "original_json")?,
        version: r.try_get("version")?,
    })
}

fn target_from_row(r: &AnyRow) -> StoreResult<TargetRow> {
    Ok(TargetRow {
        id: r.try_get("id")?,
        document_id: r.try_get("document_id")?,
        ord: r.try_get("ord")?,
        item_key: r.try_get("item_key")?,
        line: r.try_get("line")?,
        text: r.try_get("text")?,
        indicator: r.try_get("indicator")?,
        value: r.try_get("value")?,
        unit: r.try_get("unit")?,
        year: r.try_get("year")?,
        comparator: r.try_get("comparator")?,
        kind: r.try_get("kind")?,
        rejected: flag(r, "rejected")?,
        corrected: flag(r, "corrected")?,
        original: json_col(r, "original_json")?,
        version: r.try_get("version")?,
    })
}

fn project_from_row(r: &AnyRow) -> StoreResult<ProjectRow> {
    Ok(ProjectRow {
        id: r.try_get("id")?,
        document_id: r.try_get("document_id")?,
        ord: r.try_get("ord")?,
        item_key: r.try_get("item_key")?,
        line: r.try_get("line")?,
        name: r.try_get("name")?,
        investment_text: r.try_get("investment_text")?,
        investment_value: r.try_get("investment_value")?,
        investment_unit: r.try_get("investment_unit")?,
        period_start: r.try_get("period_start")?,
        period_end: r.try_get("period_end")?,
        status: r.try_get("status")?,
        rejected: flag(r, "rejected")?,
        corrected: flag(r, "corrected")?,
        original: json_col(r, "original_json")?,
        version: r.try_get("version")?,
    })
}

/// Read one item row as JSON (for audit before/after), by kind.
pub(crate) async fn item_json(
    conn: &mut AnyConnection,
    kind: crate::ItemKind,
    id: i64,
) -> StoreResult<Option<Value>> {
    use crate::ItemKind::*;
    let v = match kind {
        Heading => sqlx::query(concat!(
            "SELECT ",
            outline_columns!(),
            " FROM outline_nodes WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| outline_from_row(&r).map(|x| json!(x)))
        .transpose()?,
        Indicator => sqlx::query(concat!(
            "SELECT ",
            indicator_columns!(),
            " FROM indicators WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| indicator_from_row(&r).map(|x| json!(x)))
        .transpose()?,
        Target => sqlx::query(concat!(
            "SELECT ",
            target_columns!(),
            " FROM targets WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| target_from_row(&r).map(|x| json!(x)))
        .transpose()?,
        Project => sqlx::query(concat!(
            "SELECT ",
            project_columns!(),
            " FROM projects WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| project_from_row(&r).map(|x| json!(x)))
        .transpose()?,
        Task => crate::tasks::task_by_id_tx(conn, id)
            .await?
            .map(|t| json!(t)),
    };
    Ok(v)
}

/// Bump an item's version if it is still `expected`: the optimistic-locking step of
/// every item edit. `table` comes from the fixed list in [`crate::corrections`].
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
        crate::corrections::table(kind)
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
        let row = sqlx::query(concat!(
            "SELECT ",
            indicator_columns!(),
            " FROM indicators WHERE id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let after = indicator_from_row(&row)?;
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
        let row = sqlx::query(concat!(
            "SELECT ",
            project_columns!(),
            " FROM projects WHERE id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let after = project_from_row(&row)?;
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

    /// Outline headings of a document in reading order (rejected ones included, flagged).
    pub async fn outline_of(&self, document_id: i64) -> StoreResult<Vec<OutlineRow>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            outline_columns!(),
            " FROM outline_nodes WHERE document_id = $1 ORDER BY ord, id"
        ))
        .bind(document_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(outline_from_row).collect()
    }

    /// Indicators of a document in reading order (rejected ones included, flagged).
    pub async fn indicators_of(&self, document_id: i64) -> StoreResult<Vec<IndicatorRow>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            indicator_columns!(),
            " FROM indicators WHERE document_id = $1 ORDER BY ord, id"
        ))
        .bind(document_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(indicator_from_row).collect()
    }

    /// Prose targets of a document in reading order.
    pub async fn targets_of(&self, document_id: i64) -> StoreResult<Vec<TargetRow>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            target_columns!(),
            " FROM targets WHERE document_id = $1 ORDER BY ord, id"
        ))
        .bind(document_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(target_from_row).collect()
    }

    /// Key projects of a document in reading order.
    pub async fn projects_of(&self, document_id: i64) -> StoreResult<Vec<ProjectRow>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            project_columns!(),
            " FROM projects WHERE document_id = $1 ORDER BY ord, id"
        ))
        .bind(document_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(project_from_row).collect()
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
                    comparator: r.try_get("comparator")?,
                    kind: r.try_get("kind")?,
                    text: r.try_get("text")?,
                    line: r.try_get("line")?,
                })
            })
            .collect()
    }
}

/// One row by id, or [`StoreError::NotFound`].
async fn one<T>(
    store: &Store,
    sql: &'static str,
    entity: &'static str,
    id: i64,
    from_row: fn(&AnyRow) -> StoreResult<T>,
) -> StoreResult<T> {
    let row = sqlx::query(sql)
        .bind(id)
        .fetch_optional(store.pool())
        .await?
        .ok_or(StoreError::NotFound { entity, id })?;
    from_row(&row)
}

impl Store {
    /// One heading by row id.
    pub async fn heading(&self, id: i64) -> StoreResult<OutlineRow> {
        let sql = concat!(
            "SELECT ",
            outline_columns!(),
            " FROM outline_nodes WHERE id = $1"
        );
        one(self, sql, "heading", id, outline_from_row).await
    }

    /// One indicator by row id.
    pub async fn indicator(&self, id: i64) -> StoreResult<IndicatorRow> {
        let sql = concat!(
            "SELECT ",
            indicator_columns!(),
            " FROM indicators WHERE id = $1"
        );
        one(self, sql, "indicator", id, indicator_from_row).await
    }

    /// One prose target by row id.
    pub async fn target(&self, id: i64) -> StoreResult<TargetRow> {
        let sql = concat!("SELECT ", target_columns!(), " FROM targets WHERE id = $1");
        one(self, sql, "target", id, target_from_row).await
    }

    /// One key project by row id.
    pub async fn project(&self, id: i64) -> StoreResult<ProjectRow> {
        let sql = concat!(
            "SELECT ",
            project_columns!(),
            " FROM projects WHERE id = $1"
        );
        one(self, sql, "project", id, project_from_row).await
    }
}
