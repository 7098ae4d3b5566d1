//! What the planner sets on the key projects from the web: a project's plan for a year
//! (年度计划投资, 计划开工/竣工 dates, 年度建设目标) on the project page, and the plan's
//! reporting cadence (月/季) on the ledger. Every field is checked by `fields.rs`; a
//! refused form comes back with its values and the message beside the field.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Extension, Router};
use planwatch_core::projects::Cadence;
use planwatch_store::{Code, NewProjectYear, ProjectYear, StoreError};
use serde::Deserialize;

use super::projects::{date, load, project_page_with};
use super::{back, planned};
use crate::auth::Viewer;
use crate::error::{AppError, PageResult};
use crate::extract::{Form, Path};
use crate::fields;
use crate::state::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans/{id}/projects/{pid}/year", post(set_year))
        .route("/plans/{id}/projects/cadence", post(set_cadence))
}

/// The year-plan form as posted (every field raw: a browser may leave any out).
#[derive(Deserialize, Default, Clone)]
pub struct YearFields {
    year: Option<String>,
    planned_investment: Option<String>,
    planned_start: Option<String>,
    planned_finish: Option<String>,
    milestones: Option<String>,
    /// Version of the year plan the form was filled from, empty for a new year.
    version: Option<String>,
    /// The year that version belongs to.
    version_year: Option<String>,
}

/// The year-plan form on the project page: the values shown and the error beside
/// each field (by field name; `form` for the form as a whole).
#[derive(Default)]
pub struct YearForm {
    /// Values, as typed or as stored.
    pub values: YearFields,
    errors: HashMap<&'static str, String>,
}

impl YearForm {
    /// The form filled from `plan`, the stored plan of `year` if there is one.
    pub fn of(year: i32, plan: Option<&ProjectYear>) -> YearForm {
        let text = |s: Option<String>| Some(s.unwrap_or_default());
        let values = YearFields {
            year: Some(year.to_string()),
            planned_investment: text(plan.and_then(|p| p.planned_investment.map(exact))),
            planned_start: text(plan.and_then(|p| p.planned_start.map(|d| d.to_string()))),
            planned_finish: text(plan.and_then(|p| p.planned_finish.map(|d| d.to_string()))),
            milestones: text(plan.and_then(|p| p.milestones.clone())),
            version: text(plan.map(|p| p.version.to_string())),
            version_year: Some(year.to_string()),
        };
        YearForm {
            values,
            errors: HashMap::new(),
        }
    }

    /// The value of field `name` for its input.
    pub fn value(&self, name: &str) -> &str {
        let v = &self.values;
        let raw = match name {
            "year" => &v.year,
            "planned_investment" => &v.planned_investment,
            "planned_start" => &v.planned_start,
            "planned_finish" => &v.planned_finish,
            "milestones" => &v.milestones,
            "version" => &v.version,
            "version_year" => &v.version_year,
            _ => &None,
        };
        raw.as_deref().unwrap_or_default()
    }

    /// The message beside field `name`, if it was refused.
    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors.get(name).map(String::as_str)
    }
}

/// A stored amount for an input: as stored, without a trailing `.0`.
fn exact(x: f64) -> String {
    crate::view::input_value(&x)
}

/// Check every field; the year and the plan, or the form with its errors.
fn read_year(f: &YearFields) -> Result<(i64, NewProjectYear), Box<YearForm>> {
    let mut errors: HashMap<&'static str, String> = HashMap::new();
    let mut note = |name: &'static str, e: AppError| {
        errors.insert(name, e.status_and_message().1);
    };
    let year = match fields::year("计划年度", &f.year) {
        Ok(Some(y)) => Some(i64::from(y)),
        Ok(None) => {
            note("year", AppError::BadRequest("计划年度不能为空".into()));
            None
        }
        Err(e) => {
            note("year", e);
            None
        }
    };
    let mut plan = NewProjectYear::default();
    match fields::number("年度计划投资", &f.planned_investment, Some("万元")) {
        Ok(Some(v)) if v < 0.0 => note(
            "planned_investment",
            AppError::BadRequest("年度计划投资不能为负数".into()),
        ),
        Ok(v) => plan.planned_investment = v,
        Err(e) => note("planned_investment", e),
    }
    match date("计划开工日期", &f.planned_start) {
        Ok(d) => plan.planned_start = d,
        Err(e) => note("planned_start", e),
    }
    match date("计划竣工日期", &f.planned_finish) {
        Ok(d) => plan.planned_finish = d,
        Err(e) => note("planned_finish", e),
    }
    if let (Some(s), Some(e)) = (plan.planned_start, plan.planned_finish)
        && s > e
    {
        note(
            "planned_finish",
            AppError::BadRequest("计划竣工日期早于计划开工日期".into()),
        );
    }
    match fields::multiline("年度建设目标", &f.milestones, 2000) {
        Ok(m) => plan.milestones = m,
        Err(e) => note("milestones", e),
    }
    match (year, errors.is_empty()) {
        (Some(y), true) => Ok((y, plan)),
        _ => Err(Box::new(YearForm {
            values: f.clone(),
            errors,
        })),
    }
}

/// The version the form saw for `year`: its own when the year is the one it was filled
/// from, none (a new year) otherwise.
fn expected_version(f: &YearFields, year: i64) -> Result<Option<i64>, AppError> {
    let from = fields::year("计划年度", &f.version_year)?.map(i64::from);
    if from != Some(year) {
        return Ok(None);
    }
    fields::int_in("版本号", &f.version, 1..=i64::MAX)
}

async fn set_year(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, pid)): Path<(i64, i64)>,
    Form(f): Form<YearFields>,
) -> PageResult {
    planned(&state, &viewer, id).await?;
    load(&state, id, pid).await?;
    let refused = |form: YearForm| async {
        let page = project_page_with(&state, &viewer, id, pid, form).await?;
        Ok((StatusCode::BAD_REQUEST, page).into_response())
    };
    let (year, plan) = match read_year(&f) {
        Ok(ok) => ok,
        Err(form) => return refused(*form).await,
    };
    let expected = expected_version(&f, year)?;
    let actor = viewer.require()?.actor();
    let stored = state
        .store
        .set_project_year(pid, year, &plan, expected, &actor)
        .await;
    let message = match stored {
        Ok(_) => return Ok(back(format!("/plans/{id}/projects/{pid}"))),
        Err(StoreError::Conflict { .. }) => (
            "year",
            format!("{year}年的年度计划已有或已被他人修改，请点该年度的“修改”后重试"),
        ),
        Err(StoreError::Invalid(m)) => ("form", m),
        Err(e) => return Err(e.into()),
    };
    let mut form = YearForm {
        values: f,
        errors: HashMap::new(),
    };
    form.errors.insert(message.0, message.1);
    refused(form).await
}

/// The cadence form of the ledger.
#[derive(Deserialize)]
pub struct CadenceForm {
    cadence: Option<String>,
    version: Option<String>,
}

async fn set_cadence(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(f): Form<CadenceForm>,
) -> PageResult {
    planned(&state, &viewer, id).await?;
    let cadence = fields::present(&f.cadence)
        .and_then(Cadence::from_code)
        .ok_or_else(|| AppError::BadRequest("请选择报送周期（按月或按季）".into()))?;
    let version = fields::int_in("版本号", &f.version, 0..=i64::MAX)?
        .ok_or_else(|| AppError::BadRequest("缺少版本号，请刷新页面后重试".into()))?;
    state
        .store
        .set_project_cadence(id, cadence, version, &viewer.require()?.actor())
        .await?;
    Ok(back(format!("/plans/{id}/projects")))
}
