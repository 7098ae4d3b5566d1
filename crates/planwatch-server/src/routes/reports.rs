//! 生成报告: the annual monitoring report, the mid-term or the final evaluation of a
//! plan, asked for on a form, built in the background (see [`crate::report_jobs`]),
//! followed on a progress page and downloaded as DOCX or standalone HTML.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect};
use axum::routing::get;
use axum::{Extension, Router};
use planwatch_report::ReportError;
use planwatch_report::report::{Clock, Report, ReportKind, build};
use serde::Deserialize;

use super::{Nav, PlanTabs, readable};
use crate::auth::{Viewer, random_token};
use crate::error::{AppError, PageResult};
use crate::extract::{Form, Path};
use crate::fields;
use crate::report_jobs::{ReportFile, ReportJob, Stage};
use crate::state::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans/{id}/reports", get(form).post(start))
        .route("/plans/{id}/reports/{job}", get(progress))
        .route("/plans/{id}/reports/{job}/file", get(download))
}

/// Reports one user may have building at once.
const RUNNING_PER_USER: usize = 3;

const KINDS: [ReportKind; 3] = [ReportKind::Annual, ReportKind::Midterm, ReportKind::Final];

/// The file formats offered: code, label.
const FORMATS: [(&str, &str); 2] = [("docx", "Word 文档（可编辑）"), ("html", "网页（可打印）")];

#[derive(Template)]
#[template(path = "reports.html")]
struct FormPage {
    nav: Nav,
    tabs: PlanTabs,
    kinds: Vec<(&'static str, &'static str)>,
    years: Vec<(i32, bool)>,
    formats: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

/// Who may ask for a report: readers with a grant on the plan (a public reader sees
/// the dashboard but not the office's working documents).
async fn reader(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<(std::sync::Arc<crate::cache::PlanView>, PlanTabs, i64), AppError> {
    let (view, tabs) = readable(state, viewer, id, "reports").await?;
    let who = viewer.require()?;
    if !tabs.internal {
        return Err(AppError::Forbidden);
    }
    Ok((view, tabs, who.user.id))
}

async fn form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> PageResult {
    let (view, tabs, _) = reader(&state, &viewer, id).await?;
    render_form(&viewer, tabs, &view, None)
}

/// The form, with the reason it was not accepted (answered with `400`) if any.
fn render_form(
    viewer: &Viewer,
    tabs: PlanTabs,
    view: &crate::cache::PlanView,
    error: Option<String>,
) -> PageResult {
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = FormPage {
        nav: Nav::of(viewer),
        tabs,
        kinds: KINDS.iter().map(|k| (k.code(), k.label())).collect(),
        years: report_years(view),
        formats: FORMATS.to_vec(),
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// The years a report can be about: the plan period's and those with data, newest
/// first, the year of the latest evaluation chosen.
fn report_years(view: &crate::cache::PlanView) -> Vec<(i32, bool)> {
    view.years()
        .into_iter()
        .map(|y| (y, y == view.eval.year))
        .collect()
}

/// The report form.
#[derive(Deserialize)]
pub struct ReportForm {
    kind: Option<String>,
    year: Option<String>,
    format: Option<String>,
}

async fn start(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(form): Form<ReportForm>,
) -> PageResult {
    let (view, tabs, user_id) = reader(&state, &viewer, id).await?;
    let asked = read_form(&form);
    let (kind, year, format) = match asked {
        Ok(a) => a,
        Err(AppError::BadRequest(m)) => return render_form(&viewer, tabs, &view, Some(m)),
        Err(e) => return Err(e),
    };
    if state.report_jobs.running_of(user_id) >= RUNNING_PER_USER {
        let m = format!("您已有{RUNNING_PER_USER}份报告正在生成，请等其完成后再试");
        return render_form(&viewer, tabs, &view, Some(m));
    }
    let job = random_token();
    state.report_jobs.start(
        &job,
        ReportJob {
            user_id,
            plan_id: id,
            title: match kind {
                ReportKind::Annual => format!("{year}年度监测报告"),
                _ => format!("{}（截至{year}年数据）", kind.label()),
            },
            stage: Stage::Loading,
            at: std::time::Instant::now(),
        },
    );
    tokio::spawn(build_in_background(
        state.clone(),
        job.clone(),
        id,
        kind,
        year,
        format,
    ));
    Ok(Redirect::to(&format!("/plans/{id}/reports/{job}")).into_response())
}

fn read_form(form: &ReportForm) -> Result<(ReportKind, i32, &'static str), AppError> {
    let kind = fields::present(&form.kind)
        .and_then(ReportKind::parse)
        .ok_or_else(|| AppError::BadRequest("请选择报告类型".into()))?;
    let year = fields::year("评估年份", &form.year)?
        .ok_or_else(|| AppError::BadRequest("请选择评估年份".into()))?;
    let format = FORMATS
        .iter()
        .map(|(code, _)| *code)
        .find(|code| fields::present(&form.format) == Some(code))
        .ok_or_else(|| AppError::BadRequest("请选择文件格式".into()))?;
    Ok((kind, year, format))
}

/// Reads the data, then writes the document in the heavy pool; the job's stage says
/// where it is.
async fn build_in_background(
    state: AppState,
    job: String,
    plan: i64,
    kind: ReportKind,
    year: i32,
    format: &'static str,
) {
    let today = state.config.time_zone.date_of(jiff::Timestamp::now());
    let stage = match build(&state.store, plan, kind, year, &Clock::Fixed(today)).await {
        Err(e) => Stage::Failed(failure(e)),
        Ok(report) => {
            state.report_jobs.advance(&job, Stage::Writing);
            match state.heavy.run(move || write(&report, format)).await {
                Ok(Ok(file)) => Stage::Done(file),
                Ok(Err(e)) => Stage::Failed(failure(e)),
                Err(e) => Stage::Failed(e.status_and_message().1),
            }
        }
    };
    state.report_jobs.advance(&job, stage);
}

/// What the user is told when a report fails: the report's own Chinese message for
/// what they can act on, a general one (and a log line) for what they cannot.
fn failure(e: ReportError) -> String {
    match e {
        ReportError::PlanNotFound(_) | ReportError::NoPeriod(_) => e.to_string(),
        other => {
            tracing::error!(error = %other, "report failed");
            "生成报告时出错，请稍后重试；如仍失败，请联系系统管理员".into()
        }
    }
}

fn write(report: &Report, format: &str) -> Result<ReportFile, ReportError> {
    let name = format!("{}{}", report.title, report.subtitle);
    Ok(if format == "html" {
        ReportFile {
            file_name: format!("{name}.html"),
            content_type: "text/html; charset=utf-8",
            bytes: planwatch_report::html::render(report).into_bytes(),
        }
    } else {
        ReportFile {
            file_name: format!("{name}.docx"),
            content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            bytes: planwatch_report::docx::render(report)?,
        }
    })
}

#[derive(Template)]
#[template(path = "report_progress.html")]
struct ProgressPage {
    nav: Nav,
    tabs: PlanTabs,
    job: String,
    title: String,
    stage: &'static str,
    running: bool,
    failed: Option<String>,
    file: Option<(String, String)>,
}

async fn progress(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, job)): Path<(i64, String)>,
) -> PageResult {
    let (_, tabs, user_id) = reader(&state, &viewer, id).await?;
    let j = state
        .report_jobs
        .get(&job, user_id, id)
        .ok_or(AppError::NotFound)?;
    let page = ProgressPage {
        nav: Nav::of(&viewer),
        tabs,
        title: j.title.clone(),
        stage: j.stage.label(),
        running: matches!(j.stage, Stage::Loading | Stage::Writing),
        failed: match &j.stage {
            Stage::Failed(m) => Some(m.clone()),
            _ => None,
        },
        file: match &j.stage {
            Stage::Done(f) => Some((f.file_name.clone(), size_label(f.bytes.len()))),
            _ => None,
        },
        job,
    };
    Ok(Html(page.render()?).into_response())
}

fn size_label(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / (1 << 20) as f64)
    } else {
        format!("{} KB", bytes.div_ceil(1 << 10))
    }
}

async fn download(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, job)): Path<(i64, String)>,
) -> PageResult {
    let (_, _, user_id) = reader(&state, &viewer, id).await?;
    let Some(ReportJob {
        stage: Stage::Done(file),
        ..
    }) = state.report_jobs.get(&job, user_id, id)
    else {
        return Err(AppError::NotFound);
    };
    let disposition = format!(
        "attachment; filename=\"plan-{id}-report.{}\"; filename*=UTF-8''{}",
        if file.content_type.starts_with("text/html") {
            "html"
        } else {
            "docx"
        },
        percent_encode(&file.file_name)
    );
    Ok((
        [
            (header::CONTENT_TYPE, file.content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        file.bytes,
    )
        .into_response())
}

/// RFC 5987 encoding of a file name: every byte but ASCII letters, digits and `.-_`
/// as `%XX`.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_file_names_are_percent_encoded() {
        assert_eq!(percent_encode("报告 1.docx"), "%E6%8A%A5%E5%91%8A%201.docx");
        assert_eq!(percent_encode("a\"b;c"), "a%22b%3Bc");
    }

    #[test]
    fn sizes_read_as_kilobytes_or_megabytes() {
        assert_eq!(size_label(1), "1 KB");
        assert_eq!(size_label(2048), "2 KB");
        assert_eq!(size_label(3 << 20), "3.0 MB");
    }
}
