//! The office's project bank (项目库) from the web, for the plan's planners: upload an
//! XLSX or CSV, see the column mapping the reader proposes and what each row would do,
//! change the mapping and preview again, then import all or nothing. Every bad cell is
//! named by sheet, row and column on the same page, with the form kept; the bytes wait
//! in memory between the steps like the other uploads (`upload.rs`).
//!
//! The reading is `planwatch_parse::projects` and the import
//! `Store::import_projects`, the same as `planwatch import projects`.

use std::time::Instant;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Extension, Router};
use planwatch_core::projects::ImportedProject;
use planwatch_parse::projects::{
    Mapping, ProjectColumn, ProjectSheet, projects_from_sheet, read_sheet,
};
use planwatch_store::{ImportPlan, ProjectBatch};

use super::forms::Upload;
use super::upload::take_pending;
use super::{Nav, PlanTabs, planned, readable};
use crate::auth::{Identity, Viewer, random_token};
use crate::error::{AppError, PageResult};
use crate::extract::{Multipart, Path};
use crate::fields;
use crate::state::{AppState, Pending};

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/plans/{id}/projects/import",
            get(import_form).post(preview),
        )
        .route("/plans/{id}/projects/import/commit", post(commit))
}

/// One column of the sheet with the field chosen for it.
struct Column {
    letter: String,
    header: String,
    chosen: Option<ProjectColumn>,
}

/// The import page: the upload form, and after an upload the mapping, the rows and
/// the errors, or what the import did.
#[derive(Template)]
#[template(path = "project_import.html")]
struct ImportPage {
    nav: Nav,
    tabs: PlanTabs,
    max_mb: usize,
    /// The year of the year-plan columns, as the form gave it.
    year: String,
    file_name: String,
    /// The waiting upload, once a file was read.
    pending: Option<String>,
    columns: Vec<Column>,
    /// (row, name, what the import does with it).
    rows: Vec<(usize, String, String)>,
    new_departments: String,
    errors: Vec<String>,
    /// What the import did, once done.
    done: Option<String>,
}

impl ImportPage {
    fn new(viewer: &Viewer, state: &AppState, tabs: PlanTabs) -> ImportPage {
        ImportPage {
            nav: Nav::of(viewer),
            tabs,
            max_mb: state.config.max_file_bytes >> 20,
            year: String::new(),
            file_name: String::new(),
            pending: None,
            columns: Vec::new(),
            rows: Vec::new(),
            new_departments: String::new(),
            errors: Vec::new(),
            done: None,
        }
    }

    fn fields(&self) -> &'static [ProjectColumn] {
        ProjectColumn::ALL
    }

    /// The page, 400 when it lists errors.
    fn reply(self) -> PageResult {
        let status = if self.errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::BAD_REQUEST
        };
        Ok((status, Html(self.render()?)).into_response())
    }
}

/// The plan's tabs, for its planners only.
async fn planner_tabs(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<(Identity, PlanTabs), AppError> {
    planned(state, viewer, id).await?;
    let (_, tabs) = readable(state, viewer, id, "projects").await?;
    Ok((viewer.require()?.clone(), tabs))
}

async fn import_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> PageResult {
    let (_, tabs) = planner_tabs(&state, &viewer, id).await?;
    let mut page = ImportPage::new(&viewer, &state, tabs);
    let cadence = state.store.project_tracking(id).await?.cadence;
    page.year = cadence.last_closed(super::projects::today()).0.to_string();
    page.reply()
}

/// The mapping the form chose (`col0`, `col1`, … by column), or the proposed one when
/// the form has none (a fresh upload).
fn chosen_mapping(sheet: &ProjectSheet, form: &Upload) -> Result<Mapping, AppError> {
    let mut mapping = sheet.proposed();
    for (i, slot) in mapping.0.iter_mut().enumerate() {
        let Some(code) = form.raw(&format!("col{i}")) else {
            continue;
        };
        *slot = match code.trim() {
            "" => None,
            c => Some(
                ProjectColumn::from_code(c)
                    .ok_or_else(|| AppError::BadRequest(format!("未知的字段：{}", shown(c))))?,
            ),
        };
    }
    Ok(mapping)
}

fn shown(v: &str) -> String {
    v.chars()
        .filter(|c| !planwatch_core::validate::is_hidden_char(*c))
        .take(40)
        .collect()
}

/// The file of this step: a new upload, or the one waiting under `pending`.
fn file_of(state: &AppState, who: &Identity, form: &mut Upload) -> Result<Pending, AppError> {
    if let Some(at) = form.files.iter().position(|(f, ..)| f == "file") {
        let (_, file_name, _, bytes) = form.files.swap_remove(at);
        return Ok(Pending {
            user_id: who.user.id,
            file_name,
            bytes,
            region_code: None,
            at: Instant::now(),
        });
    }
    if fields::present(&form.raw("pending")).is_none() {
        return Err(AppError::BadRequest("请选择项目库文件".into()));
    }
    take_pending(state, who, form.raw("pending").as_deref())
}

/// What one step read: the sheet, the mapping and the rows, or the errors to list.
struct Reading {
    sheet: Option<ProjectSheet>,
    mapping: Mapping,
    rows: Vec<ImportedProject>,
    errors: Vec<String>,
}

/// Read the workbook in the heavy-work pool and interpret it under the form's mapping.
async fn read(state: &AppState, file: &Pending, form: &Upload) -> Result<Reading, AppError> {
    let (bytes, name) = (file.bytes.clone(), file.file_name.clone());
    let sheet = state.heavy.run(move || read_sheet(&bytes, &name)).await?;
    let sheet = match sheet {
        Ok(s) => s,
        Err(e) => {
            return Ok(Reading {
                sheet: None,
                mapping: Mapping::default(),
                rows: Vec::new(),
                errors: vec![format!("{}：{e}", file.file_name)],
            });
        }
    };
    let mapping = chosen_mapping(&sheet, form)?;
    let (rows, errors) = match projects_from_sheet(&sheet, &mapping) {
        Ok(rows) if rows.is_empty() => (rows, vec!["表中没有项目行".to_string()]),
        Ok(rows) => (rows, Vec::new()),
        Err(cells) => (Vec::new(), cells.iter().map(ToString::to_string).collect()),
    };
    Ok(Reading {
        sheet: Some(sheet),
        mapping,
        rows,
        errors,
    })
}

/// The preview's lines: each row and what the import does with it.
fn row_lines(plan: &ImportPlan) -> Vec<(usize, String, String)> {
    plan.rows
        .iter()
        .map(|r| {
            let what = match &r.target {
                None => "新增项目".to_string(),
                Some(t) if t.changes.is_empty() => format!("更新已有项目“{}”", t.name),
                Some(t) => format!("更新已有项目“{}”（{}）", t.name, t.changes.join("；")),
            };
            (r.row.row, r.row.name.clone(), what)
        })
        .collect()
}

/// A store refusal becomes a line of the page; other failures stay errors.
fn refusal(e: planwatch_store::StoreError) -> Result<String, AppError> {
    match e {
        planwatch_store::StoreError::Invalid(m) => Ok(m),
        other => Err(other.into()),
    }
}

async fn preview(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Multipart(mp): Multipart,
) -> PageResult {
    let (who, tabs) = planner_tabs(&state, &viewer, id).await?;
    let mut form = Upload::read(mp, state.config.max_file_bytes).await?;
    let mut page = ImportPage::new(&viewer, &state, tabs);
    page.year = form.raw("year").unwrap_or_default();
    if let Err(e) = fields::year("计划年度", &form.raw("year")) {
        page.errors.push(e.status_and_message().1);
    }
    let file = match file_of(&state, &who, &mut form) {
        Ok(f) => f,
        Err(AppError::BadRequest(m)) => {
            page.errors.push(m);
            return page.reply();
        }
        Err(e) => return Err(e),
    };
    let reading = read(&state, &file, &form).await?;
    page.errors.extend(reading.errors);
    if let Some(sheet) = &reading.sheet {
        page.columns = sheet
            .columns
            .iter()
            .zip(&reading.mapping.0)
            .map(|(c, f)| Column {
                letter: c.letter.clone(),
                header: c.header.clone(),
                chosen: *f,
            })
            .collect();
    }
    if page.errors.is_empty() {
        match state.store.check_project_import(id, &reading.rows).await {
            Ok(plan) => {
                page.rows = row_lines(&plan);
                page.new_departments = plan.new_departments.join("、");
            }
            Err(e) => page.errors.push(refusal(e)?),
        }
    }
    page.file_name = file.file_name.clone();
    if reading.sheet.is_some() {
        let pending = random_token();
        state.uploads.put(pending.clone(), file);
        page.pending = Some(pending);
    }
    page.reply()
}

async fn commit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Multipart(mp): Multipart,
) -> PageResult {
    let (who, tabs) = planner_tabs(&state, &viewer, id).await?;
    let form = Upload::read(mp, state.config.max_file_bytes).await?;
    let file = take_pending(&state, &who, form.raw("pending").as_deref())?;
    let year = fields::year("计划年度", &form.raw("year"))?.map(i64::from);
    let reading = read(&state, &file, &form).await?;
    let mut page = ImportPage::new(&viewer, &state, tabs);
    page.year = form.raw("year").unwrap_or_default();
    page.file_name = file.file_name.clone();
    page.errors = reading.errors;
    if page.errors.is_empty() {
        let batch = ProjectBatch {
            file_name: file.file_name.clone(),
            sha256: planwatch_parse::sha256_hex(&file.bytes),
            year,
        };
        match state
            .store
            .import_projects(id, &batch, &reading.rows, &[], &who.actor())
            .await
        {
            Ok(done) => {
                page.done = Some(format!(
                    "已导入{}：新增项目{}个，更新已有项目{}个，年度计划{}条，新建责任单位{}个。",
                    file.file_name, done.created, done.merged, done.year_plans, done.departments
                ));
            }
            Err(e) => page.errors.push(refusal(e)?),
        }
    }
    if !page.errors.is_empty() {
        page.errors
            .push("整个文件未导入，请修改后重新上传。".into());
    }
    page.reply()
}
