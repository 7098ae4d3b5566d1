//! Key projects under tracking (重点项目调度): the office's columns on a project (field,
//! responsible unit, place), projects added by hand, the reporting cadence of a plan,
//! each project's plan per year, duplicates merged or kept apart, and everything a
//! project carries over when its plan is ingested again. Project bank imports are in
//! [`crate::project_import`], period reports in [`crate::project_reports`].
//!
//! Extracted projects keep their plan-text columns (name, investment, construction
//! period) under the correction mechanism, so a fix survives a re-ingest; the office's
//! columns are set here and carried over by item key. Projects imported or added by
//! the office have no text behind them: every column is set here.

use jiff::civil::Date;
use planwatch_core::projects::{
    Cadence, ProjectField, ProjectOrigin, ProjectRecord, same_project, to_wan, zh_day,
};
use planwatch_core::validate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use crate::audit::record;
use crate::schema::Stored;
use crate::{Code, ProjectRow, Store, StoreError, StoreResult, time};

/// What the office sets on a project. For an extracted project only `field`,
/// `department_id` and `location` are used (its name, investment and period are
/// corrected through [`Store::correct_item`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProjectDetails {
    /// 项目名称.
    pub name: String,
    /// 领域.
    pub field: Option<ProjectField>,
    /// 责任单位.
    pub department_id: Option<i64>,
    /// 建设地点.
    pub location: Option<String>,
    /// First year of construction.
    pub period_start: Option<i32>,
    /// Last year of construction.
    pub period_end: Option<i32>,
    /// 总投资, 万元.
    pub total_investment: Option<f64>,
}

impl ProjectDetails {
    /// The details as the core record its rules check (the unit by id, not name).
    pub fn record(&self) -> ProjectRecord {
        ProjectRecord {
            name: self.name.clone(),
            field: self.field,
            location: self.location.clone(),
            start_year: self.period_start,
            end_year: self.period_end,
            total_investment: self.total_investment,
            ..ProjectRecord::default()
        }
    }
}

/// A project's plan for one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectYear {
    /// Row id.
    pub id: i64,
    /// Project.
    pub project_id: i64,
    /// Year.
    pub year: i64,
    /// 年度计划投资, 万元.
    pub planned_investment: Option<f64>,
    /// 计划开工日期.
    pub planned_start: Option<Date>,
    /// 计划竣工日期.
    pub planned_finish: Option<Date>,
    /// Key nodes (年度建设目标), as written.
    pub milestones: Option<String>,
    /// Who set it.
    pub updated_by: String,
    /// When.
    pub updated_at: String,
    /// Optimistic-locking version.
    pub version: i64,
}

/// A year's plan to set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewProjectYear {
    /// 年度计划投资, 万元.
    pub planned_investment: Option<f64>,
    /// 计划开工日期.
    pub planned_start: Option<Date>,
    /// 计划竣工日期.
    pub planned_finish: Option<Date>,
    /// Key nodes.
    pub milestones: Option<String>,
}

/// A plan's reporting cadence as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tracking {
    /// Month or quarter.
    pub cadence: Cadence,
    /// Version (0: never set, the default applies).
    pub version: i64,
}

/// Two live projects of a plan whose names suggest one project.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicatePair {
    /// The one to keep (extracted first, then the older row).
    pub keep: ProjectRow,
    /// The one to merge into it.
    pub other: ProjectRow,
}

/// The project query: the descriptor's columns and the responsible unit's name.
pub(crate) fn project_select(condition: &str) -> AssertSqlSafe<String> {
    // Column names come from the descriptor, the condition from this crate.
    AssertSqlSafe(format!(
        "SELECT {}, d.name AS department FROM projects p \
         LEFT JOIN departments d ON d.id = p.department_id WHERE {condition}",
        ProjectRow::SCHEMA.select_list("p.")
    ))
}

pub(crate) fn project_from_row(r: &AnyRow) -> StoreResult<ProjectRow> {
    Ok(ProjectRow {
        department: r.try_get("department")?,
        ..ProjectRow::from_row(r)?
    })
}

pub(crate) async fn project_tx(conn: &mut AnyConnection, id: i64) -> StoreResult<ProjectRow> {
    let row = sqlx::query(project_select("p.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound {
            entity: "project",
            id,
        })?;
    project_from_row(&row)
}

/// A project that may be planned and reported on: not rejected, not merged away.
pub(crate) fn check_live(p: &ProjectRow) -> StoreResult<()> {
    if p.rejected {
        return Err(StoreError::Invalid(format!(
            "项目“{}”已标记为误识别，不能再调度",
            p.name
        )));
    }
    if let Some(into) = p.merged_into {
        return Err(StoreError::Invalid(format!(
            "项目“{}”已并入另一项目（编号{into}），请在该项目上操作",
            p.name
        )));
    }
    Ok(())
}

/// Bump a project's version if it is still `expected`, stamping who changed it.
pub(crate) async fn bump_project(
    conn: &mut AnyConnection,
    id: i64,
    expected: i64,
    actor: &str,
) -> StoreResult<ProjectRow> {
    let before = project_tx(conn, id).await?;
    if before.version != expected {
        return Err(StoreError::Conflict {
            entity: "project",
            id,
            expected,
            actual: before.version,
        });
    }
    let done = sqlx::query(
        "UPDATE projects SET version = version + 1, updated_at = $1, updated_by = $2 \
         WHERE id = $3 AND version = $4",
    )
    .bind(time::now())
    .bind(actor)
    .bind(id)
    .bind(expected)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict {
            entity: "project",
            id,
            expected,
            actual: expected + 1,
        });
    }
    Ok(before)
}

/// Check the office's details of a project; `full` for the name, period and
/// investment of a project with no text behind it.
fn check_details(d: &ProjectDetails, full: bool) -> StoreResult<ProjectDetails> {
    let invalid = StoreError::Invalid;
    let mut out = d.clone();
    if full {
        out.name = d.name.trim().to_string();
        d.record().check().map_err(invalid)?;
    }
    out.location = match &d.location {
        Some(l) => Some(validate::text("建设地点", l, 200, false).map_err(invalid)?)
            .filter(|l| !l.is_empty()),
        None => None,
    };
    Ok(out)
}

/// The department must be one of the plan's region.
async fn check_department(
    conn: &mut AnyConnection,
    document_id: i64,
    department_id: Option<i64>,
) -> StoreResult<()> {
    let Some(dep) = department_id else {
        return Ok(());
    };
    let ok: Option<(i64,)> = sqlx::query_as(
        "SELECT d.id FROM departments d JOIN documents doc ON doc.id = $1 \
         WHERE d.id = $2 AND (d.region_id = doc.region_id OR (d.region_id IS NULL AND doc.region_id IS NULL))",
    )
    .bind(document_id)
    .bind(dep)
    .fetch_optional(&mut *conn)
    .await?;
    if ok.is_none() {
        return Err(StoreError::Invalid(format!(
            "责任单位（编号{dep}）不属于本规划所在地区"
        )));
    }
    Ok(())
}

/// An amount in 万元 as written: `12000万元`, `3.5万元`.
pub fn wan_text(v: f64) -> String {
    let shown = format!("{v:.2}");
    let shown = shown.trim_end_matches('0').trim_end_matches('.');
    format!("{shown}万元")
}

/// The investment columns of a project entered in 万元.
fn investment_columns(v: Option<f64>) -> (Option<String>, Option<f64>, Option<String>) {
    match v {
        Some(v) => (
            Some(format!("总投资{}", wan_text(v))),
            Some(v),
            Some("万元".to_string()),
        ),
        None => (None, None, None),
    }
}

/// Insert a project that is not in the plan text (imported or added).
pub(crate) async fn insert_office_project(
    conn: &mut AnyConnection,
    document_id: i64,
    d: &ProjectDetails,
    origin: ProjectOrigin,
    source_note: &str,
    actor: &str,
) -> StoreResult<ProjectRow> {
    let (ord,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(ord), 0) + 1 FROM projects WHERE document_id = $1")
            .bind(document_id)
            .fetch_one(&mut *conn)
            .await?;
    // Keys of office projects never meet extracted keys (`project:`), so a correction
    // re-applied on re-ingest cannot land on one.
    let key = format!(
        "project-{}:{}",
        origin.code(),
        planwatch_core::projects::name_key(&d.name)
    );
    let (text, value, unit) = investment_columns(d.total_investment);
    let original = json!({"origin": origin.code(), "name": d.name, "source": source_note});
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO projects (document_id, ord, item_key, line, name, investment_text, investment_value, \
         investment_unit, period_start, period_end, status, original_json, field, department_id, location, \
         origin, source_note, updated_at, updated_by) \
         VALUES ($1, $2, $3, 0, $4, $5, $6, $7, $8, $9, 'planned', $10, $11, $12, $13, $14, $15, $16, $17) \
         RETURNING id",
    )
    .bind(document_id)
    .bind(ord)
    .bind(&key)
    .bind(&d.name)
    .bind(text)
    .bind(value)
    .bind(unit)
    .bind(d.period_start.map(i64::from))
    .bind(d.period_end.map(i64::from))
    .bind(original.to_string())
    .bind(d.field.map(|f| f.code()))
    .bind(d.department_id)
    .bind(&d.location)
    .bind(origin.code())
    .bind(source_note)
    .bind(time::now())
    .bind(actor)
    .fetch_one(&mut *conn)
    .await?;
    let after = project_tx(conn, id).await?;
    record(
        conn,
        actor,
        "project",
        Some(id),
        "insert",
        None,
        Some(&json!(after)),
    )
    .await?;
    Ok(after)
}

/// Write the office's columns (and, for office projects, the text columns) of a
/// project whose version was already bumped.
pub(crate) async fn write_details(
    conn: &mut AnyConnection,
    p: &ProjectRow,
    d: &ProjectDetails,
) -> StoreResult<()> {
    sqlx::query("UPDATE projects SET field = $1, department_id = $2, location = $3 WHERE id = $4")
        .bind(d.field.map(|f| f.code()))
        .bind(d.department_id)
        .bind(&d.location)
        .bind(p.id)
        .execute(&mut *conn)
        .await?;
    if p.origin != ProjectOrigin::Extracted {
        let (text, value, unit) = investment_columns(d.total_investment);
        sqlx::query(
            "UPDATE projects SET name = $1, investment_text = $2, investment_value = $3, \
             investment_unit = $4, period_start = $5, period_end = $6 WHERE id = $7",
        )
        .bind(&d.name)
        .bind(text)
        .bind(value)
        .bind(unit)
        .bind(d.period_start.map(i64::from))
        .bind(d.period_end.map(i64::from))
        .bind(p.id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

const YEAR_COLUMNS: &str = "id, project_id, year, planned_investment, planned_start, planned_finish, \
     milestones, updated_by, updated_at, version";

fn date_of(r: &AnyRow, name: &str) -> StoreResult<Option<Date>> {
    let text: Option<String> = Stored::read(r, name)?;
    text.map(|t| {
        t.parse::<Date>()
            .map_err(|_| StoreError::Invalid(format!("年度计划中的日期“{t}”无法识别")))
    })
    .transpose()
}

fn year_from_row(r: &AnyRow) -> StoreResult<ProjectYear> {
    Ok(ProjectYear {
        id: r.try_get("id")?,
        project_id: r.try_get("project_id")?,
        year: r.try_get("year")?,
        planned_investment: Stored::read(r, "planned_investment")?,
        planned_start: date_of(r, "planned_start")?,
        planned_finish: date_of(r, "planned_finish")?,
        milestones: Stored::read(r, "milestones")?,
        updated_by: r.try_get("updated_by")?,
        updated_at: r.try_get("updated_at")?,
        version: r.try_get("version")?,
    })
}

pub(crate) async fn year_tx(
    conn: &mut AnyConnection,
    project_id: i64,
    year: i64,
) -> StoreResult<Option<ProjectYear>> {
    let sql =
        format!("SELECT {YEAR_COLUMNS} FROM project_years WHERE project_id = $1 AND year = $2");
    sqlx::query(AssertSqlSafe(sql))
        .bind(project_id)
        .bind(year)
        .fetch_optional(&mut *conn)
        .await?
        .as_ref()
        .map(year_from_row)
        .transpose()
}

/// Check a year's plan (money in 万元, dates in order and within reason).
pub(crate) fn check_year(year: i64, y: &NewProjectYear) -> StoreResult<NewProjectYear> {
    let invalid = StoreError::Invalid;
    validate::year("计划年度", year).map_err(invalid)?;
    if let Some(v) = y.planned_investment {
        validate::value("年度计划投资", v, Some("万元")).map_err(invalid)?;
        if v < 0.0 {
            return Err(StoreError::Invalid("年度计划投资不能为负数".into()));
        }
    }
    for (label, d) in [
        ("计划开工日期", y.planned_start),
        ("计划竣工日期", y.planned_finish),
    ] {
        if let Some(d) = d {
            validate::year(label, i64::from(d.year())).map_err(invalid)?;
        }
    }
    if let (Some(s), Some(f)) = (y.planned_start, y.planned_finish)
        && s > f
    {
        return Err(StoreError::Invalid(format!(
            "计划竣工日期{}早于计划开工日期{}",
            zh_day(f),
            zh_day(s)
        )));
    }
    let milestones = match &y.milestones {
        Some(m) => Some(validate::text("年度建设目标", m, 2000, true).map_err(invalid)?)
            .filter(|m| !m.is_empty()),
        None => None,
    };
    Ok(NewProjectYear {
        milestones,
        ..y.clone()
    })
}

/// Set (insert or replace) a project's plan for a year, audited. `expected` is the
/// version the caller saw, `None` when it saw no plan for that year.
pub(crate) async fn put_year(
    conn: &mut AnyConnection,
    project_id: i64,
    year: i64,
    y: &NewProjectYear,
    expected: Option<i64>,
    actor: &str,
) -> StoreResult<ProjectYear> {
    let y = check_year(year, y)?;
    let before = year_tx(conn, project_id, year).await?;
    let now = time::now();
    let date = |d: Option<Date>| d.map(|d| d.to_string());
    match (&before, expected) {
        (Some(b), Some(v)) if b.version != v => {
            return Err(StoreError::Conflict {
                entity: "project_year",
                id: b.id,
                expected: v,
                actual: b.version,
            });
        }
        (Some(b), None) => {
            return Err(StoreError::Conflict {
                entity: "project_year",
                id: b.id,
                expected: 0,
                actual: b.version,
            });
        }
        (Some(b), Some(_)) => {
            sqlx::query(
                "UPDATE project_years SET planned_investment = $1, planned_start = $2, planned_finish = $3, \
                 milestones = $4, updated_by = $5, updated_at = $6, version = version + 1 \
                 WHERE id = $7 AND version = $8",
            )
            .bind(y.planned_investment)
            .bind(date(y.planned_start))
            .bind(date(y.planned_finish))
            .bind(&y.milestones)
            .bind(actor)
            .bind(&now)
            .bind(b.id)
            .bind(b.version)
            .execute(&mut *conn)
            .await?;
        }
        (None, _) => {
            sqlx::query(
                "INSERT INTO project_years (project_id, year, planned_investment, planned_start, \
                 planned_finish, milestones, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(project_id)
            .bind(year)
            .bind(y.planned_investment)
            .bind(date(y.planned_start))
            .bind(date(y.planned_finish))
            .bind(&y.milestones)
            .bind(actor)
            .bind(&now)
            .execute(&mut *conn)
            .await?;
        }
    }
    let after = year_tx(conn, project_id, year)
        .await?
        .ok_or(StoreError::NotFound {
            entity: "project_year",
            id: project_id,
        })?;
    record(
        conn,
        actor,
        "project_year",
        Some(after.id),
        if before.is_some() { "update" } else { "insert" },
        before.map(|b| json!(b)).as_ref(),
        Some(&json!(after)),
    )
    .await?;
    Ok(after)
}

/// Carry a plan's project tracking over from its previous ingest: the office's columns
/// of extracted projects by item key, office projects moved to the new document, and
/// year plans, reports and the cadence re-pointed, so re-parsing a plan loses nothing.
pub(crate) async fn carry_over(
    conn: &mut AnyConnection,
    document_id: i64,
    previous_id: i64,
    actor: &str,
) -> StoreResult<()> {
    // Old extracted id → new extracted id, by key.
    let pairs: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT o.id, n.id FROM projects o JOIN projects n ON n.item_key = o.item_key \
         WHERE o.document_id = $1 AND n.document_id = $2 AND o.origin = 'extracted' AND n.origin = 'extracted'",
    )
    .bind(previous_id)
    .bind(document_id)
    .fetch_all(&mut *conn)
    .await?;
    for (old, new) in &pairs {
        sqlx::query(
            "UPDATE projects SET \
               field = COALESCE((SELECT o.field FROM projects o WHERE o.id = $1), field), \
               department_id = (SELECT o.department_id FROM projects o WHERE o.id = $1), \
               location = (SELECT o.location FROM projects o WHERE o.id = $1), \
               status = (SELECT o.status FROM projects o WHERE o.id = $1), \
               updated_at = (SELECT o.updated_at FROM projects o WHERE o.id = $1), \
               updated_by = (SELECT o.updated_by FROM projects o WHERE o.id = $1) \
             WHERE id = $2",
        )
        .bind(old)
        .bind(new)
        .execute(&mut *conn)
        .await?;
        repoint(conn, *old, *new, document_id).await?;
    }
    // Office projects have no text: they move to the new ingest as they are.
    let office: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM projects WHERE document_id = $1 AND origin <> 'extracted'")
            .bind(previous_id)
            .fetch_all(&mut *conn)
            .await?;
    sqlx::query(
        "UPDATE projects SET document_id = $1 WHERE document_id = $2 AND origin <> 'extracted'",
    )
    .bind(document_id)
    .bind(previous_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE submissions SET document_id = $1 WHERE document_id = $2 AND item_kind = 'project' \
         AND item_id IN (SELECT id FROM projects WHERE document_id = $1)",
    )
    .bind(document_id)
    .bind(previous_id)
    .execute(&mut *conn)
    .await?;
    // A duplicate merged into an old extracted row now points at its successor.
    for (old, new) in &pairs {
        sqlx::query("UPDATE projects SET merged_into = $1 WHERE merged_into = $2")
            .bind(new)
            .bind(old)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "INSERT INTO project_tracking (document_id, cadence, updated_by, updated_at) \
         SELECT $1, cadence, updated_by, updated_at FROM project_tracking WHERE document_id = $2",
    )
    .bind(document_id)
    .bind(previous_id)
    .execute(&mut *conn)
    .await?;
    if !pairs.is_empty() || !office.is_empty() {
        let after = json!({
            "from_document": previous_id, "to_document": document_id,
            "extracted": pairs.len(), "office_projects": office.len(),
        });
        record(
            conn,
            actor,
            "document",
            Some(document_id),
            "carry_over_projects",
            None,
            Some(&after),
        )
        .await?;
    }
    Ok(())
}

/// Move a project's year plans, reports and submissions to another project row.
async fn repoint(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
    document_id: i64,
) -> StoreResult<()> {
    // A year the target already plans keeps the target's plan.
    sqlx::query(
        "UPDATE project_years SET project_id = $1 WHERE project_id = $2 \
         AND year NOT IN (SELECT year FROM project_years WHERE project_id = $1)",
    )
    .bind(to)
    .bind(from)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE project_reports SET project_id = $1 WHERE project_id = $2")
        .bind(to)
        .bind(from)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE submissions SET item_id = $1, document_id = $3 WHERE item_kind = 'project' AND item_id = $2",
    )
    .bind(to)
    .bind(from)
    .bind(document_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    /// Key projects of a document in reading order (rejected and merged ones included,
    /// flagged), with their responsible units' names.
    pub async fn projects_of(&self, document_id: i64) -> StoreResult<Vec<ProjectRow>> {
        let rows = sqlx::query(project_select("p.document_id = $1 ORDER BY p.ord, p.id"))
            .bind(document_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(project_from_row).collect()
    }

    /// One key project by row id.
    pub async fn project(&self, id: i64) -> StoreResult<ProjectRow> {
        let mut conn = self.pool().acquire().await?;
        project_tx(&mut conn, id).await
    }

    /// How often a plan's projects are reported on (month unless set).
    pub async fn project_tracking(&self, document_id: i64) -> StoreResult<Tracking> {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT cadence, version FROM project_tracking WHERE document_id = $1")
                .bind(document_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(match row {
            Some((code, version)) => Tracking {
                cadence: Cadence::from_code(&code)
                    .ok_or_else(|| StoreError::Invalid(format!("未知的报送周期“{code}”")))?,
                version,
            },
            None => Tracking {
                cadence: Cadence::Month,
                version: 0,
            },
        })
    }

    /// Set a plan's reporting cadence; `expected_version` is the [`Tracking::version`]
    /// the caller saw (0 when never set).
    pub async fn set_project_cadence(
        &self,
        document_id: i64,
        cadence: Cadence,
        expected_version: i64,
        actor: &str,
    ) -> StoreResult<Tracking> {
        let mut tx = self.write_tx().await?;
        let before: Option<(String, i64)> =
            sqlx::query_as("SELECT cadence, version FROM project_tracking WHERE document_id = $1")
                .bind(document_id)
                .fetch_optional(&mut *tx)
                .await?;
        let actual = before.as_ref().map_or(0, |(_, v)| *v);
        if actual != expected_version {
            return Err(StoreError::Conflict {
                entity: "project_tracking",
                id: document_id,
                expected: expected_version,
                actual,
            });
        }
        if before.is_some() {
            sqlx::query(
                "UPDATE project_tracking SET cadence = $1, updated_by = $2, updated_at = $3, \
                 version = version + 1 WHERE document_id = $4",
            )
            .bind(cadence.code())
            .bind(actor)
            .bind(time::now())
            .bind(document_id)
            .execute(&mut *tx)
            .await?;
        } else {
            // Fails on a missing document (foreign key) before anything is recorded.
            self.document_exists(&mut tx, document_id).await?;
            sqlx::query(
                "INSERT INTO project_tracking (document_id, cadence, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(document_id)
            .bind(cadence.code())
            .bind(actor)
            .bind(time::now())
            .execute(&mut *tx)
            .await?;
        }
        record(
            &mut tx,
            actor,
            "project_tracking",
            Some(document_id),
            "update",
            before.map(|(c, _)| json!({"cadence": c})).as_ref(),
            Some(&json!({"cadence": cadence.code()})),
        )
        .await?;
        tx.commit().await?;
        self.project_tracking(document_id).await
    }

    async fn document_exists(&self, conn: &mut AnyConnection, id: i64) -> StoreResult<()> {
        let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM documents WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        found.map(|_| ()).ok_or(StoreError::NotFound {
            entity: "document",
            id,
        })
    }

    /// Add a project by hand to a plan's project bank.
    pub async fn add_project(
        &self,
        document_id: i64,
        details: &ProjectDetails,
        actor: &str,
    ) -> StoreResult<ProjectRow> {
        let d = check_details(details, true)?;
        let mut tx = self.write_tx().await?;
        self.document_exists(&mut tx, document_id).await?;
        check_department(&mut tx, document_id, d.department_id).await?;
        let p = insert_office_project(
            &mut tx,
            document_id,
            &d,
            ProjectOrigin::Added,
            "手工添加",
            actor,
        )
        .await?;
        tx.commit().await?;
        Ok(p)
    }

    /// Change the office's details of a project (see [`ProjectDetails`]).
    pub async fn update_project(
        &self,
        id: i64,
        expected_version: i64,
        details: &ProjectDetails,
        actor: &str,
    ) -> StoreResult<ProjectRow> {
        let mut tx = self.write_tx().await?;
        let current = project_tx(&mut tx, id).await?;
        let d = check_details(details, current.origin != ProjectOrigin::Extracted)?;
        check_department(&mut tx, current.document_id, d.department_id).await?;
        let before = bump_project(&mut tx, id, expected_version, actor).await?;
        write_details(&mut tx, &before, &d).await?;
        let after = project_tx(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            "project",
            Some(id),
            "update",
            Some(&json!(before)),
            Some(&json!(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Set a project's plan for `year`; `expected_version` is the version of the year's
    /// plan the caller saw, `None` when there was none.
    pub async fn set_project_year(
        &self,
        project_id: i64,
        year: i64,
        plan: &NewProjectYear,
        expected_version: Option<i64>,
        actor: &str,
    ) -> StoreResult<ProjectYear> {
        let mut tx = self.write_tx().await?;
        let p = project_tx(&mut tx, project_id).await?;
        check_live(&p)?;
        let out = put_year(&mut tx, project_id, year, plan, expected_version, actor).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// A project's year plans, by year.
    pub async fn project_years(&self, project_id: i64) -> StoreResult<Vec<ProjectYear>> {
        let sql =
            format!("SELECT {YEAR_COLUMNS} FROM project_years WHERE project_id = $1 ORDER BY year");
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(project_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(year_from_row).collect()
    }

    /// Every year plan of a plan's projects for `year`.
    pub async fn project_years_of(
        &self,
        document_id: i64,
        year: i64,
    ) -> StoreResult<Vec<ProjectYear>> {
        let sql = format!(
            "SELECT {} FROM project_years y JOIN projects p ON p.id = y.project_id \
             WHERE p.document_id = $1 AND y.year = $2 ORDER BY y.project_id",
            YEAR_COLUMNS
                .split(", ")
                .map(|c| format!("y.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(document_id)
            .bind(year)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(year_from_row).collect()
    }

    /// Live projects of a plan whose names suggest one project, not yet declared distinct.
    pub async fn duplicate_projects(&self, document_id: i64) -> StoreResult<Vec<DuplicatePair>> {
        let live: Vec<ProjectRow> = self
            .projects_of(document_id)
            .await?
            .into_iter()
            .filter(|p| !p.rejected && p.merged_into.is_none())
            .collect();
        let kept: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT k.project_a, k.project_b FROM project_distinct k \
             JOIN projects p ON p.id = k.project_a WHERE p.document_id = $1",
        )
        .bind(document_id)
        .fetch_all(self.pool())
        .await?;
        // Quadratic in the projects of one plan: a plan lists dozens, a bank a few thousand
        // at most, and the keys are compared only when their first characters agree.
        let keys: Vec<String> = live
            .iter()
            .map(|p| planwatch_core::projects::name_key(&p.name))
            .collect();
        let mut out = Vec::new();
        for i in 0..live.len() {
            for j in i + 1..live.len() {
                let (a, b) = (&live[i], &live[j]);
                let first = |k: &str| k.chars().next();
                if first(&keys[i]) != first(&keys[j]) || !same_project(&a.name, &b.name) {
                    continue;
                }
                let pair = (a.id.min(b.id), a.id.max(b.id));
                if kept.contains(&pair) {
                    continue;
                }
                // Keep the extracted one (it has the source line), else the older row.
                let (keep, other) = if b.origin == ProjectOrigin::Extracted
                    && a.origin != ProjectOrigin::Extracted
                {
                    (b, a)
                } else {
                    (a, b)
                };
                out.push(DuplicatePair {
                    keep: keep.clone(),
                    other: other.clone(),
                });
            }
        }
        Ok(out)
    }

    /// Merge project `other` into `keep` (both of one plan): the office's columns `keep`
    /// lacks are taken from `other`, its year plans (for years `keep` does not plan) and
    /// reports move over, and `other` stays on record as merged. One transaction.
    pub async fn merge_projects(
        &self,
        keep: i64,
        keep_version: i64,
        other: i64,
        other_version: i64,
        actor: &str,
    ) -> StoreResult<ProjectRow> {
        if keep == other {
            return Err(StoreError::Invalid("不能把项目并入自身".into()));
        }
        let mut tx = self.write_tx().await?;
        let k = project_tx(&mut tx, keep).await?;
        let o = project_tx(&mut tx, other).await?;
        if k.document_id != o.document_id {
            return Err(StoreError::Invalid("只能合并同一规划中的项目".into()));
        }
        check_live(&k)?;
        check_live(&o)?;
        let k_before = bump_project(&mut tx, keep, keep_version, actor).await?;
        let o_before = bump_project(&mut tx, other, other_version, actor).await?;
        sqlx::query(
            "UPDATE projects SET field = COALESCE(field, $1), department_id = COALESCE(department_id, $2), \
             location = COALESCE(location, $3) WHERE id = $4",
        )
        .bind(o.field.map(|f| f.code()))
        .bind(o.department_id)
        .bind(&o.location)
        .bind(keep)
        .execute(&mut *tx)
        .await?;
        if k.origin != ProjectOrigin::Extracted && k.investment_value.is_none() {
            sqlx::query(
                "UPDATE projects SET investment_text = $1, investment_value = $2, investment_unit = $3 WHERE id = $4",
            )
            .bind(&o.investment_text)
            .bind(o.investment_value)
            .bind(&o.investment_unit)
            .bind(keep)
            .execute(&mut *tx)
            .await?;
        }
        repoint(&mut tx, other, keep, k.document_id).await?;
        sqlx::query("UPDATE projects SET merged_into = $1 WHERE id = $2")
            .bind(keep)
            .bind(other)
            .execute(&mut *tx)
            .await?;
        let k_after = project_tx(&mut tx, keep).await?;
        let o_after = project_tx(&mut tx, other).await?;
        record(
            &mut tx,
            actor,
            "project",
            Some(other),
            "merge_into",
            Some(&json!(o_before)),
            Some(&json!(o_after)),
        )
        .await?;
        record(
            &mut tx,
            actor,
            "project",
            Some(keep),
            "merge",
            Some(&json!(k_before)),
            Some(&json!(k_after)),
        )
        .await?;
        tx.commit().await?;
        Ok(k_after)
    }

    /// Record that two projects a name match pairs are distinct projects.
    pub async fn keep_projects_distinct(&self, a: i64, b: i64, actor: &str) -> StoreResult<()> {
        if a == b {
            return Err(StoreError::Invalid("请选择两个不同的项目".into()));
        }
        let (a, b) = (a.min(b), a.max(b));
        let mut tx = self.write_tx().await?;
        let pa = project_tx(&mut tx, a).await?;
        let pb = project_tx(&mut tx, b).await?;
        if pa.document_id != pb.document_id {
            return Err(StoreError::Invalid("只能比较同一规划中的项目".into()));
        }
        let exists: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM project_distinct WHERE project_a = $1 AND project_b = $2",
        )
        .bind(a)
        .bind(b)
        .fetch_optional(&mut *tx)
        .await?;
        if exists.is_none() {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO project_distinct (project_a, project_b, decided_by, decided_at) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(a)
            .bind(b)
            .bind(actor)
            .bind(time::now())
            .fetch_one(&mut *tx)
            .await?;
            record(
                &mut tx,
                actor,
                "project_distinct",
                Some(id),
                "insert",
                None,
                Some(&json!({"project_a": a, "project_b": b})),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// A project's total investment in 万元, if its unit converts.
pub fn total_wan(p: &ProjectRow) -> Option<f64> {
    let v = p.investment_value?;
    to_wan(v, p.investment_unit.as_deref().unwrap_or("万元"))
}
