//! Observations: actual values per region, indicator and year, with source and vintage.
//!
//! An import stores all its rows or none: one transaction, validated before the first
//! insert, idempotent by the file's hash. A later release of the same figure is a new
//! row with a later vintage, never an overwrite.

use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use std::collections::HashMap;

use planwatch_core::validate;
use sqlx::AnyConnection;

use crate::Code;
use crate::audit::record;
use crate::batch::{Val, insert_rows};
use crate::directory::{region_by_code_tx, region_by_id_tx, regions_by_name_tx};
use crate::{
    ImportBatch, ImportOutcome, NewObservation, Observation, Region, Store, StoreError,
    StoreResult, time,
};

/// Check one row; the error names the row and the column. The rules are those of
/// [`planwatch_core::validate`]: years within 1949—2100, a value within the range of its
/// unit, a real calendar date as vintage, no hidden characters in the text columns.
pub fn validate(o: &NewObservation) -> Result<(), StoreError> {
    let bad =
        |col: &str, msg: String| StoreError::Invalid(format!("第 {} 行，列 {col}：{msg}", o.row));
    let line = |col: &str, label: &str, text: &str, max: usize| {
        validate::text(label, text, max, false).map_err(|m| bad(col, m))
    };
    if line("region（地区）", "地区", &o.region, 64)?.is_empty() {
        return Err(bad("region（地区）", "为空".into()));
    }
    if line("indicator（指标）", "指标", &o.indicator, 200)?.is_empty() {
        return Err(bad("indicator（指标）", "为空".into()));
    }
    validate::year("年份", o.year).map_err(|m| bad("year（年份）", m))?;
    if let Some(from) = o.year_from {
        validate::year("起始年份", from).map_err(|m| bad("year（年份）", m))?;
        if from > o.year {
            return Err(bad(
                "year（年份）",
                format!("期间 {from}-{} 不合理", o.year),
            ));
        }
    }
    if let Some(unit) = &o.unit {
        line("unit（单位）", "单位", unit, 32)?;
    }
    validate::value("数值", o.value, o.unit.as_deref()).map_err(|m| bad("value（数值）", m))?;
    if let Some(source) = &o.source {
        line("source（数据来源）", "数据来源", source, 200)?;
    }
    if let Some(url) = &o.source_url {
        line("source_url（来源）", "来源", url, 2000)?;
    }
    if let Some(note) = &o.note {
        validate::text("备注", note, 2000, true).map_err(|m| bad("note（备注）", m))?;
    }
    if let Some(v) = o.vintage {
        // A calendar date by its type; its year must still be a plausible one.
        validate::year("发布日期", i64::from(v.year()))
            .map_err(|m| bad("vintage（发布日期）", m))?;
    }
    Ok(())
}

/// The same figure twice in one file: same region, indicator, years, kind, unit and
/// vintage. Refused rather than merged, naming both rows, because the file's author
/// must say which one is meant (identical rows usually mean a copy-paste accident,
/// different values a mistake).
pub fn check_duplicates(rows: &[NewObservation]) -> Result<(), StoreError> {
    type Key<'a> = (
        &'a str,
        &'a str,
        i64,
        Option<i64>,
        &'a str,
        Option<&'a str>,
        Option<jiff::civil::Date>,
    );
    let mut seen: HashMap<Key, &NewObservation> = HashMap::new();
    for o in rows {
        let key = (
            o.region.trim(),
            o.indicator.trim(),
            o.year,
            o.year_from,
            o.kind.code(),
            o.unit.as_deref().map(str::trim),
            o.vintage,
        );
        if let Some(first) = seen.get(&key) {
            let what = if first.value == o.value {
                "完全重复".to_string()
            } else {
                format!("数值不同（{} 与 {}）", first.value, o.value)
            };
            return Err(StoreError::Invalid(format!(
                "第 {} 行与第 {} 行是同一数据（地区、指标、年份、类型、单位和发布日期相同），{what};\
                 请删除重复行或注明不同的发布日期后重新导入",
                o.row, first.row
            )));
        }
        seen.insert(key, o);
    }
    Ok(())
}

/// Where the rows of an import may go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportScope {
    /// Every row must belong to this region (by its code or its name), which settles a
    /// name several regions share (CLI `--region`, the web form's choice).
    pub region_code: Option<String>,
    /// Only these regions may receive rows (a planner's regions); `None` for anyone
    /// allowed to import anywhere (an administrator, the command line).
    pub allowed_regions: Option<Vec<i64>>,
}

/// How one region cell resolves against the registered regions.
#[derive(Debug, Clone, PartialEq)]
pub enum RegionMatch {
    /// A registered region: by its code, or the only region of that name.
    Region(Region),
    /// No region has this code or name: stored by name, claimed by no region.
    Unregistered,
    /// Several regions share the name; the row must use a code.
    Ambiguous(Vec<Region>),
}

/// Resolve a region cell: a code first, then a name that exactly one region has.
pub(crate) async fn resolve_region_tx(
    conn: &mut AnyConnection,
    text: &str,
) -> StoreResult<RegionMatch> {
    let text = text.trim();
    if let Some(r) = region_by_code_tx(conn, text).await? {
        return Ok(RegionMatch::Region(r));
    }
    let mut named = regions_by_name_tx(conn, text).await?;
    Ok(match named.len() {
        0 => RegionMatch::Unregistered,
        1 => RegionMatch::Region(named.remove(0)),
        _ => RegionMatch::Ambiguous(named),
    })
}

fn codes(regions: &[Region]) -> String {
    regions
        .iter()
        .map(|r| r.code.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

/// The region id of every row (`None` for an unregistered name), checked against the
/// scope; the error names the row, the cell and, for a shared name, the candidates' codes.
async fn assign_regions(
    conn: &mut AnyConnection,
    rows: &[NewObservation],
    scope: &ImportScope,
) -> StoreResult<Vec<Option<i64>>> {
    let fixed = match &scope.region_code {
        Some(code) => Some(
            region_by_code_tx(conn, code.trim())
                .await?
                .ok_or_else(|| StoreError::Invalid(format!("区划代码“{code}”不存在")))?,
        ),
        None => None,
    };
    let mut cache: HashMap<String, RegionMatch> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for o in rows {
        let text = o.region.trim();
        let bad =
            |msg: String| StoreError::Invalid(format!("第 {} 行，列 region（地区）：{msg}", o.row));
        let id = if let Some(r) = &fixed {
            if text != r.code && text != r.name {
                return Err(bad(format!(
                    "“{text}”不是指定的地区 {}（{}）",
                    r.code, r.name
                )));
            }
            Some(r.id)
        } else {
            if !cache.contains_key(text) {
                let m = resolve_region_tx(conn, text).await?;
                cache.insert(text.to_string(), m);
            }
            match &cache[text] {
                RegionMatch::Region(r) => Some(r.id),
                RegionMatch::Unregistered => None,
                RegionMatch::Ambiguous(all) => {
                    return Err(bad(format!(
                        "“{text}”对应多个地区（{}），请改用区划代码或指定地区",
                        codes(all)
                    )));
                }
            }
        };
        if let Some(allowed) = &scope.allowed_regions
            && !id.is_some_and(|id| allowed.contains(&id))
        {
            return Err(bad(format!("无权导入地区“{text}”的数据")));
        }
        out.push(id);
    }
    Ok(out)
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
        self.import_observations_scoped(batch, rows, &ImportScope::default(), actor, progress)
            .await
    }

    /// [`Store::import_observations_with_progress`] with every row's region checked
    /// against `scope` inside the import's transaction: a row of another region, or of a
    /// name several regions share, rejects the file.
    pub async fn import_observations_scoped(
        &self,
        batch: &ImportBatch,
        rows: &[NewObservation],
        scope: &ImportScope,
        actor: &str,
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> StoreResult<ImportOutcome> {
        match self.import_once(batch, rows, scope, actor, progress).await {
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
        scope: &ImportScope,
        actor: &str,
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> StoreResult<ImportOutcome> {
        for o in rows {
            validate(o)?;
        }
        check_duplicates(rows)?;
        let mut tx = self.write_tx().await?;
        let region_ids = assign_regions(&mut tx, rows, scope).await?;
        let existing: Option<(i64,)> = sqlx::query_as("SELECT id FROM imports WHERE sha256 = $1")
            .bind(&batch.sha256)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some((import_id,)) = existing {
            tx.rollback().await?;
            return Ok(ImportOutcome::AlreadyImported { import_id });
        }
        let now = time::now();
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
        // 100 rows per statement: 1500 parameters, and progress lands on multiples of 500.
        let mut done = 0;
        for (chunk, chunk_regions) in rows.chunks(100).zip(region_ids.chunks(100)) {
            let mut values = Vec::with_capacity(chunk.len());
            for (o, region_id) in chunk.iter().zip(chunk_regions) {
                let region_id = *region_id;
                let region = o.region.trim().to_string();
                // No release date in the file: left empty (reports say 未注明), never the import date.
                let vintage = o.vintage.map(|d| d.to_string()).unwrap_or_default();
                let source = o
                    .source
                    .clone()
                    .unwrap_or_else(|| format!("导入：{}", batch.file_name));
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
                    Val::from(vintage),
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

    /// Everything an import would check, without writing: each row, duplicates, and
    /// every row's region against `scope`. Returns each distinct region cell with the
    /// region it resolves to (`None`: unregistered), for a preview.
    pub async fn check_import(
        &self,
        rows: &[NewObservation],
        scope: &ImportScope,
    ) -> StoreResult<Vec<(String, Option<Region>)>> {
        for o in rows {
            validate(o)?;
        }
        check_duplicates(rows)?;
        let mut conn = self.pool().acquire().await?;
        let ids = assign_regions(&mut conn, rows, scope).await?;
        let mut out: Vec<(String, Option<Region>)> = Vec::new();
        for (o, id) in rows.iter().zip(ids) {
            let text = o.region.trim();
            if out.iter().any(|(t, _)| t == text) {
                continue;
            }
            let region = match id {
                Some(id) => Some(region_by_id_tx(&mut conn, id).await?),
                None => None,
            };
            out.push((text.to_string(), region));
        }
        Ok(out)
    }

    /// How a region cell (code or name) resolves against the registered regions.
    pub async fn resolve_region(&self, text: &str) -> StoreResult<RegionMatch> {
        let mut conn = self.pool().acquire().await?;
        resolve_region_tx(&mut conn, text).await
    }

    /// Observations of a region given by code or name, by indicator, year and vintage.
    /// A name several regions share is refused with their codes.
    pub async fn observations_for(&self, region: &str) -> StoreResult<Vec<Observation>> {
        match self.resolve_region(region).await? {
            RegionMatch::Region(r) => self.region_observations(Some(r.id), None).await,
            RegionMatch::Unregistered => self.region_observations(None, Some(region)).await,
            RegionMatch::Ambiguous(all) => Err(StoreError::Invalid(format!(
                "地区“{}”对应多个地区（{}），请使用区划代码",
                region.trim(),
                codes(&all)
            ))),
        }
    }

    /// Observations of one region, by indicator, year and vintage: those stored under its
    /// id, plus rows imported by a name no region had then if the region is now the only
    /// one of that name. Without an id, `name` decides: the one region of that name, or
    /// (unregistered name) the rows stored under it; a name several regions share gives
    /// nothing, so a plan never reads another region's data.
    pub async fn region_observations(
        &self,
        region_id: Option<i64>,
        name: Option<&str>,
    ) -> StoreResult<Vec<Observation>> {
        let mut conn = self.pool().acquire().await?;
        let (id, unclaimed_name) = match (region_id, name) {
            (Some(id), _) => {
                let r = region_by_id_tx(&mut conn, id).await?;
                let unique = regions_by_name_tx(&mut conn, &r.name).await?.len() == 1;
                (Some(id), unique.then_some(r.name))
            }
            (None, Some(name)) => match resolve_region_tx(&mut conn, name).await? {
                RegionMatch::Region(r) => {
                    let unique = regions_by_name_tx(&mut conn, &r.name).await?.len() == 1;
                    (Some(r.id), unique.then_some(r.name))
                }
                RegionMatch::Unregistered => (None, Some(name.trim().to_string())),
                RegionMatch::Ambiguous(_) => (None, None),
            },
            (None, None) => (None, None),
        };
        if id.is_none() && unclaimed_name.is_none() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(concat!(
            "SELECT ",
            observation_columns!(),
            " FROM observations WHERE region_id = $1 \
             OR (region_id IS NULL AND region_name = $2) \
             ORDER BY indicator, year, vintage, id"
        ))
        .bind(id)
        .bind(unclaimed_name)
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
