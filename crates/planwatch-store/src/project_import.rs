//! Importing an office's project bank (项目库) into a plan, all or nothing.
//!
//! The workbook is read by `planwatch_parse::projects` into
//! [`ImportedProject`]s. [`Store::check_project_import`] says, without storing
//! anything, what the import would do: which rows match a project the plan already
//! has (by name, [`planwatch_core::projects::same_project`]) and which units would
//! be created. The person importing reviews that and may decline a match (the row
//! then becomes a project of its own). [`Store::import_projects`] does it in one
//! transaction: new projects inserted, matched ones updated (an extracted project's
//! investment and period through corrections, so the plan's own figure stays visible
//! and the fix survives a re-ingest), year plans set, every change audited.

use std::collections::{HashMap, HashSet};

use planwatch_core::projects::{ImportedProject, ProjectOrigin, name_key, same_project};
use planwatch_core::validate;
use serde_json::{Map, Value, json};
use sqlx::AnyConnection;

use crate::audit::record;
use crate::corrections::correct_tx;
use crate::directory::department_id_tx;
use crate::projects::{
    NewProjectYear, ProjectDetails, bump_project, insert_office_project, project_tx, put_year,
    write_details, year_tx,
};
use crate::{CorrectionAction, ItemKind, ProjectRow, Store, StoreError, StoreResult};

/// The file an import comes from and the year its year columns are for.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectBatch {
    /// File name (kept as each new project's source note).
    pub file_name: String,
    /// Hex SHA-256 of the file.
    pub sha256: String,
    /// Year of the 年度计划投资 and planned dates columns, if any.
    pub year: Option<i64>,
}

/// An existing project a row matches.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportMatch {
    /// Its row id.
    pub project_id: i64,
    /// Its name.
    pub name: String,
    /// Where it came from.
    pub origin: ProjectOrigin,
    /// Its source line in the plan (0 for office projects).
    pub line: i64,
    /// What the row would change that comes from the plan text, in words
    /// (`总投资 25亿元 → 260000万元`).
    pub changes: Vec<String>,
}

/// What the import would do with one row.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRowPlan {
    /// The row.
    pub row: ImportedProject,
    /// The project it would update, if its name matches one.
    pub target: Option<ImportMatch>,
}

/// What an import would do, for the preview.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPlan {
    /// Every row.
    pub rows: Vec<ImportRowPlan>,
    /// Responsible units named in the file that the region does not have yet.
    pub new_departments: Vec<String>,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Projects created.
    pub created: usize,
    /// Existing projects updated.
    pub merged: usize,
    /// Year plans set.
    pub year_plans: usize,
    /// Units created.
    pub departments: usize,
}

fn bad(row: usize, message: String) -> StoreError {
    StoreError::Invalid(format!("第{row}行：{message}"))
}

/// The store's own check of a row (whatever reader made it).
fn check_row(r: &ImportedProject) -> StoreResult<()> {
    let e = |m: String| bad(r.row, m);
    if validate::text("项目名称", &r.name, 200, false)
        .map_err(e)?
        .is_empty()
    {
        return Err(bad(r.row, "项目名称为空".into()));
    }
    for (label, t) in [("责任单位", &r.department), ("建设地点", &r.location)] {
        if let Some(t) = t {
            validate::text(label, t, 200, false).map_err(e)?;
        }
    }
    if let Some(m) = &r.milestones {
        validate::text("年度建设目标", m, 2000, true).map_err(e)?;
    }
    for (label, y) in [("开工年份", r.start_year), ("竣工年份", r.end_year)] {
        if let Some(y) = y {
            validate::year(label, i64::from(y)).map_err(e)?;
        }
    }
    for (label, v) in [
        ("总投资", r.total_investment),
        ("年度计划投资", r.year_investment),
    ] {
        if let Some(v) = v {
            validate::value(label, v, Some("万元")).map_err(e)?;
            if v < 0.0 {
                return Err(bad(r.row, format!("{label}不能为负数")));
            }
        }
    }
    Ok(())
}

/// The project a row matches among `live`: one with the same name key, else the
/// first whose name one contains the other's.
fn match_of<'a>(row: &ImportedProject, live: &'a [ProjectRow]) -> Option<&'a ProjectRow> {
    let key = name_key(&row.name);
    live.iter()
        .find(|p| name_key(&p.name) == key)
        .or_else(|| live.iter().find(|p| same_project(&p.name, &row.name)))
}

/// The plan-text edits a row asks of an extracted project: (column, new value, words).
fn text_edits(p: &ProjectRow, r: &ImportedProject) -> Vec<(&'static str, Value, String)> {
    let mut out = Vec::new();
    if let Some(v) = r.total_investment {
        let same = crate::projects::total_wan(p).is_some_and(|w| (w - v).abs() < 1e-6);
        if !same {
            let was = p.investment_text.as_deref().unwrap_or("—");
            let was = was.trim_start_matches("总投资");
            let shown = crate::projects::wan_text(v);
            out.push(("investment_value", json!(v), format!("总投资{was}→{shown}")));
            out.push(("investment_unit", json!("万元"), String::new()));
            out.push((
                "investment_text",
                json!(format!("总投资{shown}")),
                String::new(),
            ));
        }
    }
    for (col, label, now, new) in [
        ("period_start", "建设起始年", p.period_start, r.start_year),
        ("period_end", "建设结束年", p.period_end, r.end_year),
    ] {
        if let Some(y) = new
            && now != Some(i64::from(y))
        {
            let was = now.map_or("—".to_string(), |n| n.to_string());
            out.push((col, json!(y), format!("{label}{was}→{y}")));
        }
    }
    out
}

/// Live projects of a plan (not rejected, not merged).
async fn live_projects(store: &Store, document_id: i64) -> StoreResult<Vec<ProjectRow>> {
    Ok(store
        .projects_of(document_id)
        .await?
        .into_iter()
        .filter(|p| !p.rejected && p.merged_into.is_none())
        .collect())
}

/// Plan every row: its match, or an error when two rows claim one project.
fn plan_rows(rows: &[ImportedProject], live: &[ProjectRow]) -> StoreResult<Vec<ImportRowPlan>> {
    let mut claimed: HashMap<i64, usize> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        check_row(r)?;
        let target = match_of(r, live).map(|p| ImportMatch {
            project_id: p.id,
            name: p.name.clone(),
            origin: p.origin,
            line: p.line,
            changes: if p.origin == ProjectOrigin::Extracted {
                text_edits(p, r)
                    .into_iter()
                    .map(|(_, _, w)| w)
                    .filter(|w| !w.is_empty())
                    .collect()
            } else {
                Vec::new()
            },
        });
        if let Some(t) = &target
            && let Some(first) = claimed.insert(t.project_id, r.row)
        {
            return Err(bad(
                r.row,
                format!("与第{first}行对应同一个已有项目“{}”，请合并这两行", t.name),
            ));
        }
        out.push(ImportRowPlan {
            row: r.clone(),
            target,
        });
    }
    Ok(out)
}

impl Store {
    /// What importing `rows` into plan `document_id` would do; nothing is stored.
    pub async fn check_project_import(
        &self,
        document_id: i64,
        rows: &[ImportedProject],
    ) -> StoreResult<ImportPlan> {
        let doc = self.document_summary(document_id).await?;
        let live = live_projects(self, document_id).await?;
        let planned = plan_rows(rows, &live)?;
        let known: HashSet<String> = self
            .list_departments(doc.region_id)
            .await?
            .into_iter()
            .filter(|d| d.region_id == doc.region_id)
            .map(|d| d.name)
            .collect();
        let mut new_departments: Vec<String> = Vec::new();
        for r in rows {
            if let Some(d) = &r.department
                && !known.contains(d)
                && !new_departments.contains(d)
            {
                new_departments.push(d.clone());
            }
        }
        Ok(ImportPlan {
            rows: planned,
            new_departments,
        })
    }

    /// Import `rows` into plan `document_id` in one transaction. Rows whose number is
    /// in `declined` become new projects even if their name matches one.
    pub async fn import_projects(
        &self,
        document_id: i64,
        batch: &ProjectBatch,
        rows: &[ImportedProject],
        declined: &[usize],
        actor: &str,
    ) -> StoreResult<ImportSummary> {
        if rows.is_empty() {
            return Err(StoreError::Invalid(format!(
                "{}：没有项目行",
                batch.file_name
            )));
        }
        if let Some(y) = batch.year {
            validate::year("计划年度", y).map_err(StoreError::Invalid)?;
        }
        let doc = self.document_summary(document_id).await?;
        let mut tx = self.write_tx().await?;
        // Read inside the write transaction: what the preview showed may have changed.
        let live: Vec<ProjectRow> = {
            let rows = sqlx::query(crate::projects::project_select(
                "p.document_id = $1 AND p.rejected = 0 AND p.merged_into IS NULL ORDER BY p.ord, p.id",
            ))
            .bind(document_id)
            .fetch_all(&mut *tx)
            .await?;
            rows.iter()
                .map(crate::projects::project_from_row)
                .collect::<StoreResult<_>>()?
        };
        let mut planned = plan_rows(rows, &live)?;
        for p in &mut planned {
            if declined.contains(&p.row.row) {
                p.target = None;
            }
        }
        let mut summary = ImportSummary::default();
        let mut departments: HashMap<String, i64> = HashMap::new();
        let before_deps: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM departments")
            .fetch_one(&mut *tx)
            .await?;
        let note = |row: usize| format!("{}第{row}行", batch.file_name);
        for p in &planned {
            let r = &p.row;
            let department_id = match &r.department {
                Some(name) => match departments.get(name) {
                    Some(id) => Some(*id),
                    None => {
                        let id = department_id_tx(&mut tx, doc.region_id, name, actor).await?;
                        departments.insert(name.clone(), id);
                        Some(id)
                    }
                },
                None => None,
            };
            let project_id = match &p.target {
                None => {
                    let d = ProjectDetails {
                        name: r.name.clone(),
                        field: r.field,
                        department_id,
                        location: r.location.clone(),
                        period_start: r.start_year,
                        period_end: r.end_year,
                        total_investment: r.total_investment,
                    };
                    summary.created += 1;
                    insert_office_project(
                        &mut tx,
                        document_id,
                        &d,
                        ProjectOrigin::Imported,
                        &note(r.row),
                        actor,
                    )
                    .await?
                    .id
                }
                Some(m) => {
                    update_match(&mut tx, m.project_id, r, department_id, &note(r.row), actor)
                        .await?;
                    summary.merged += 1;
                    m.project_id
                }
            };
            if let Some(year) = batch.year {
                let plan = NewProjectYear {
                    planned_investment: r.year_investment,
                    planned_start: r.planned_start,
                    planned_finish: r.planned_finish,
                    milestones: r.milestones.clone(),
                };
                if plan != NewProjectYear::default() {
                    let current = year_tx(&mut tx, project_id, year).await?;
                    put_year(
                        &mut tx,
                        project_id,
                        year,
                        &plan,
                        current.map(|c| c.version),
                        actor,
                    )
                    .await
                    .map_err(|e| bad(r.row, e.to_string()))?;
                    summary.year_plans += 1;
                }
            }
        }
        let after_deps: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM departments")
            .fetch_one(&mut *tx)
            .await?;
        summary.departments = usize::try_from(after_deps.0 - before_deps.0).unwrap_or(0);
        record(
            &mut tx,
            actor,
            "project_import",
            Some(document_id),
            "import",
            None,
            Some(&json!({
                "file_name": batch.file_name, "sha256": batch.sha256, "year": batch.year,
                "rows": rows.len(), "created": summary.created, "merged": summary.merged,
                "year_plans": summary.year_plans, "departments": summary.departments,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(summary)
    }
}

/// Update an existing project from a row: the office's columns directly; an extracted
/// project's investment and period by a correction, an office project's directly.
async fn update_match(
    conn: &mut AnyConnection,
    id: i64,
    r: &ImportedProject,
    department_id: Option<i64>,
    note: &str,
    actor: &str,
) -> StoreResult<()> {
    let p = project_tx(conn, id).await?;
    if p.origin == ProjectOrigin::Extracted {
        let edits = text_edits(&p, r);
        if !edits.is_empty() {
            let fields: Map<String, Value> = edits
                .into_iter()
                .map(|(c, v, _)| (c.to_string(), v))
                .collect();
            correct_tx(
                conn,
                ItemKind::Project,
                id,
                p.version,
                CorrectionAction::Edit { fields },
                Some(&format!("项目库导入：{note}")),
                actor,
            )
            .await?;
        }
    }
    let p = project_tx(conn, id).await?;
    let details = ProjectDetails {
        name: p.name.clone(),
        field: r.field.or(p.field),
        department_id: department_id.or(p.department_id),
        location: r.location.clone().or(p.location.clone()),
        period_start: r
            .start_year
            .or(p.period_start.and_then(|y| i32::try_from(y).ok())),
        period_end: r
            .end_year
            .or(p.period_end.and_then(|y| i32::try_from(y).ok())),
        total_investment: r.total_investment.or(crate::projects::total_wan(&p)),
    };
    let before = bump_project(conn, id, p.version, actor).await?;
    write_details(conn, &before, &details).await?;
    let after = project_tx(conn, id).await?;
    record(
        conn,
        actor,
        "project",
        Some(id),
        "import_update",
        Some(&json!(before)),
        Some(&json!(after)),
    )
    .await
}
