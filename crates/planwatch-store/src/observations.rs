//! Observations: actual values per region, indicator and year, with source and vintage.
//!
//! An import stores all its rows or none: one transaction, validated before the first
//! insert, idempotent by the file's hash. A later release of the same figure is a new
//! row with a later vintage, never an overwrite.

use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Code;
use crate::audit::record;
use crate::batch::{Val, insert_rows};
use crate::directory::{region_by_code_tx, regions_by_name_tx};
use crate::{
    ImportBatch, ImportOutcome, NewObservation, Observation, Store, StoreError, StoreResult, time,
};

/// Check one row; the error names the row and the column.
pub fn validate(o: &NewObservation) -> Result<(), StoreError> {
    let bad =
        |col: &str, msg: String| StoreError::Invalid(format!("第 {} 行,列 {col}:{msg}", o.row));
    if o.region.trim().is_empty() {
        return Err(bad("region(地区)", "为空".into()));
    }
    if o.indicator.trim().is_empty() {
        return Err(bad("indicator(指标)", "为空".into()));
    }
    if !(1949..=2100).contains(&o.year) {
        return Err(bad("year(年份)", format!("{} 不是合理的年份", o.year)));
    }
    if let Some(from) = o.year_from
        && (from > o.year || from < 1949)
    {
        return Err(bad("year(年份)", format!("期间 {from}-{} 不合理", o.year)));
    }
    if !o.value.is_finite() {
        return Err(bad("value(数值)", "不是有限数值".into()));
    }
    Ok(())
}

macro_rules! observation_columns {
    () => {
        "id, import_id, region_id, region_name, indicator, canonical_name, year, year_from, value, unit, kind, \
         source, source_url, note, vintage, created_at, created_by, version"
    };
}

fn from_row(r: &AnyRow) -> StoreResult<Observation> {
    Ok(Observation {
        id: r.try_get("id")?,
        import_id: r.try_get("import_id")?,
        region_id: r.try_get("region_id")?,
        region_name: r.try_get("region_name")?,
        indicator: r.try_get("indicator")?,
        canonical_name: r.try_get("canonical_name")?,
        year: r.try_get("year")?,
        year_from: r.try_get("year_from")?,
        value: r.try_get("value")?,
        unit: r.try_get("unit")?,
        kind: crate::schema::Stored::read(r, "kind")?,
        source: r.try_get("source")?,
        source_url: r.try_get("source_url")?,
        note: r.try_get("note")?,
        vintage: r.try_get("vintage")?,
        created_at: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
        version: r.try_get("version")?,
    })
}

impl Store {
    /// Import observations all-or-nothing (see [`Store::import_observations_with_progress`]).
    pub async fn import_observations(
        &self,
        batch: &ImportBatch,
        rows: &[NewObservation],
        actor: &str,
    ) -> StoreResult<ImportOutcome> {
        self.import_observations_with_progress(batch, rows, actor, &mut |_| {})
            .await
    }

    /// Import observations in one transaction: every row is validated first, then all
    /// are inserted; any error stores nothing. The same file (by hash) imported again
    /// stores nothing and returns the earlier import. `progress` is called with the
    /// number of rows inserted so far, every 500 rows and at the end.
    pub async fn import_observations_with_progress(
        &self,
        batch: &ImportBatch,
        rows: &[NewObservation],
        actor: &str,
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> StoreResult<ImportOutcome> {
        match self.import_once(batch, rows, actor, progress).await {
            // The same file imported twice at once: the second sees the first's import.
            Err(StoreError::Db(sqlx::Error::Database(e))) if e.is_unique_violation() => {
                let existing: Option<(i64,)> =
                    sqlx::query_as("SELECT id FROM imports WHERE sha256 = $1")
                        .bind(&batch.sha256)
                        .fetch_optional(self.pool())
                        .await?;
                match existing {
                    Some((import_id,)) => Ok(ImportOutcome::AlreadyImported { import_id }),
                    None => Err(StoreError::Db(sqlx::Error::Database(e))),
                }
            }
            other => other,
        }
    }

    async fn import_once(
        &self,
        batch: &ImportBatch,
        rows: &[NewObservation],
        actor: &str,
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> StoreResult<ImportOutcome> {
        for o in rows {
            validate(o)?;
        }
        let mut tx = self.write_tx().await?;
        let existing: Option<(i64,)> = sqlx::query_as("SELECT id FROM imports WHERE sha256 = $1")
            .bind(&batch.sha256)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some((import_id,)) = existing {
            tx.rollback().await?;
            return Ok(ImportOutcome::AlreadyImported { import_id });
        }
        let now = time::now();
        let today = time::today();
        let (import_id,): (i64,) = sqlx::query_as(
            "INSERT INTO imports (sha256, file_name, row_count, imported_at, imported_by) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(&batch.sha256)
        .bind(&batch.file_name)
        .bind(rows.len() as i64)
        .bind(&now)
        .bind(actor)
        .fetch_one(&mut *tx)
        .await?;
        // Region names resolve to registered regions where possible; one lookup per name.
        let mut region_ids: std::collections::HashMap<String, Option<i64>> = Default::default();
        // 100 rows per statement: 1500 parameters, and progress lands on multiples of 500.
        let mut done = 0;
        for chunk in rows.chunks(100) {
            let mut values = Vec::with_capacity(chunk.len());
            for o in chunk {
                let region = o.region.trim().to_string();
                let region_id = match region_ids.get(&region) {
                    Some(id) => *id,
                    None => {
                        let id = match region_by_code_tx(&mut tx, &region).await? {
                            Some(r) => Some(r.id),
                            None => regions_by_name_tx(&mut tx, &region)
                                .await?
                                .first()
                                .map(|r| r.id),
                        };
                        region_ids.insert(region.clone(), id);
                        id
                    }
                };
                let source = o
                    .source
                    .clone()
                    .unwrap_or_else(|| format!("导入:{}", batch.file_name));
                values.push(vec![
                    Val::from(import_id),
                    Val::from(region_id),
                    Val::from(region),
                    Val::from(o.indicator.trim()),
                    Val::from(crate::items::canonical_name(&o.indicator)),
                    Val::from(o.year),
                    Val::from(o.year_from),
                    Val::from(o.value),
                    Val::from(o.unit.clone()),
                    Val::from(o.kind.code()),
                    Val::from(source),
                    Val::from(o.source_url.clone()),
                    Val::from(o.note.clone()),
                    Val::from(
                        o.vintage
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| today.clone()),
                    ),
                    Val::from(now.as_str()),
                    Val::from(actor),
                ]);
            }
            insert_rows(
                &mut tx,
                "observations",
                &[
                    "import_id",
                    "region_id",
                    "region_name",
                    "indicator",
                    "canonical_name",
                    "year",
                    "year_from",
                    "value",
                    "unit",
                    "kind",
                    "source",
                    "source_url",
                    "note",
                    "vintage",
                    "created_at",
                    "created_by",
                ],
                values,
            )
            .await?;
            done += chunk.len();
            if done.is_multiple_of(500) {
                progress(done);
            }
        }
        let after =
            json!({"file_name": batch.file_name, "sha256": batch.sha256, "rows": rows.len()});
        record(
            &mut tx,
            actor,
            "import",
            Some(import_id),
            "import_observations",
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        if rows.is_empty() || !rows.len().is_multiple_of(500) {
            progress(rows.len());
        }
        Ok(ImportOutcome::Imported {
            import_id,
            rows: rows.len(),
        })
    }

    /// Observations of a region (by code or by name), by indicator, year and vintage.
    pub async fn observations_for(&self, region: &str) -> StoreResult<Vec<Observation>> {
        let mut conn = self.pool().acquire().await?;
        let region_id = match region_by_code_tx(&mut conn, region).await? {
            Some(r) => Some(r.id),
            None => regions_by_name_tx(&mut conn, region)
                .await?
                .first()
                .map(|r| r.id),
        };
        let rows = sqlx::query(concat!(
            "SELECT ",
            observation_columns!(),
            " FROM observations WHERE region_name = $1 OR region_id = $2 \
             ORDER BY indicator, year, vintage, id"
        ))
        .bind(region)
        .bind(region_id)
        .fetch_all(&mut *conn)
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// Number of stored observations (for checks and tests).
    pub async fn observation_count(&self) -> StoreResult<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM observations")
            .fetch_one(self.pool())
            .await?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> NewObservation {
        NewObservation {
            row: 7,
            region: "岳阳楼区".into(),
            year: 2022,
            indicator: "地区生产总值".into(),
            value: 735.2,
            kind: crate::DataKind::Level,
            ..NewObservation::default()
        }
    }

    #[test]
    fn validation_names_row_and_column() {
        let check = |f: &dyn Fn(&mut NewObservation), expect: Option<&str>| {
            let mut o = row();
            f(&mut o);
            match (validate(&o), expect) {
                (Ok(()), None) => {}
                (Err(e), Some(part)) => {
                    let msg = e.to_string();
                    assert!(msg.contains("第 7 行") && msg.contains(part), "{msg}");
                }
                (got, want) => panic!("got {got:?}, want {want:?}"),
            }
        };
        check(&|_| {}, None);
        check(&|o| o.region = " ".into(), Some("region"));
        check(&|o| o.indicator = String::new(), Some("indicator"));
        check(&|o| o.year = 20222, Some("year"));
        check(&|o| o.year_from = Some(2023), Some("year"));
        check(&|o| o.year_from = Some(2021), None);
        check(&|o| o.value = f64::NAN, Some("value"));
        // An unknown kind cannot be built any more (`DataKind`); the file reader refuses
        // it naming row and column (planwatch_parse::actuals tests).
        check(&|o| o.kind = crate::DataKind::GrowthRate, None);
    }
}
