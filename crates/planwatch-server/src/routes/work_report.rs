//! A work report's own page (政府工作报告 has no indicator table to chart): the year's
//! targets, the figures it reports for the past year (and whether they are imported),
//! and where it disagrees with the plan. Shown at `/plans/{id}` for a work report or an
//! annual plan; the dashboard module hands over.

use askama::Template;
use axum::response::{Html, IntoResponse};
use planwatch_core::actuals::DataKind;
use planwatch_core::eval::{Observation, ObservationKind};
use planwatch_core::plan::ProseTarget;
use planwatch_parse::extract::{Options, Proposed, extract_bytes};

use super::review::{FindingRow, finding_rows, region_findings};
use super::{Nav, PlanTabs};
use crate::auth::Viewer;
use crate::cache::PlanView;
use crate::error::{AppError, PageResult};
use crate::state::AppState;
use crate::view::num;

/// A target of the report.
struct TargetLine {
    line: usize,
    indicator: String,
    text: String,
    value: String,
}

impl TargetLine {
    fn of(t: &ProseTarget) -> TargetLine {
        TargetLine {
            line: t.line,
            indicator: t.indicator.clone(),
            text: t.text.clone(),
            value: format!("{}{}", num(t.value), t.unit.as_deref().unwrap_or_default()),
        }
    }
}

/// A figure the report gives for the past year.
struct FigureLine {
    line: usize,
    indicator: String,
    year: i32,
    value: String,
    before: String,
    marked: String,
    after: String,
    /// 已导入 / 与已导入数据不一致 / 未导入.
    state: &'static str,
}

#[derive(Template)]
#[template(path = "work_report.html")]
struct WorkReportPage {
    nav: Nav,
    tabs: PlanTabs,
    heading: String,
    year: Option<i32>,
    this_year: Vec<TargetLine>,
    other_years: Vec<TargetLine>,
    figures: Vec<FigureLine>,
    figures_year: Option<i32>,
    findings: Vec<FindingRow>,
}

/// The page of a work report (or annual plan) `view`.
pub async fn page(
    state: &AppState,
    viewer: &Viewer,
    view: &PlanView,
    tabs: PlanTabs,
) -> PageResult {
    let year = view.plan.report_year();
    let (this_year, other_years): (Vec<&ProseTarget>, Vec<&ProseTarget>) = view
        .plan
        .targets
        .iter()
        .partition(|t| year.is_some() && t.year == year);
    let (figures, figures_year) = reported_figures(state, view).await?;
    let path = &view.summary.path;
    let found = region_findings(state, viewer, view).await?;
    let mine: Vec<_> = found
        .into_iter()
        .filter(|f| &f.first.document == path || &f.second.document == path)
        .collect();
    let region = view.summary.region_name.clone().unwrap_or_default();
    let page = WorkReportPage {
        nav: Nav::of(viewer),
        heading: match year {
            Some(y) => format!("{region}{y}年{}", view.summary.doc_type.label()),
            None => format!("{region}{}", view.summary.doc_type.label()),
        },
        tabs,
        year,
        this_year: this_year.into_iter().map(TargetLine::of).collect(),
        other_years: other_years.into_iter().map(TargetLine::of).collect(),
        figures,
        figures_year,
        findings: finding_rows(&mine),
    };
    Ok(Html(page.render()?).into_response())
}

/// The past year's figures the report states, read from its stored text the way an
/// upload under 实际值来源 reads them, each compared with the stored observations.
async fn reported_figures(
    state: &AppState,
    view: &PlanView,
) -> Result<(Vec<FigureLine>, Option<i32>), AppError> {
    let Some(text) = state.store.document_text(view.summary.id).await? else {
        return Ok((Vec::new(), None));
    };
    let name = view.summary.path.clone();
    let opts = Options {
        region: None,
        year: None,
    };
    let extraction = state
        .heavy
        .run(move || extract_bytes(text.as_bytes(), &name, &opts))
        .await?;
    // A report the extractor cannot place (no year, no region) simply has no figures.
    let Ok(extraction) = extraction else {
        return Ok((Vec::new(), None));
    };
    let figures = extraction
        .rows
        .iter()
        .map(|p| figure_line(p, &view.observations))
        .collect();
    Ok((figures, Some(extraction.year)))
}

/// The observation kind a proposed figure is stored as (an annual target is none).
fn kind_of(kind: DataKind) -> Option<ObservationKind> {
    match kind {
        DataKind::Level => Some(ObservationKind::Level),
        DataKind::GrowthRate => Some(ObservationKind::GrowthRate),
        DataKind::Share => Some(ObservationKind::Share),
        DataKind::Reduction => Some(ObservationKind::Reduction),
        DataKind::AnnualTarget => None,
    }
}

/// Characters of context kept either side of a figure in its sentence.
const CONTEXT: usize = 24;

fn figure_line(p: &Proposed, stored: &[Observation]) -> FigureLine {
    let kind = kind_of(p.kind);
    let same: Vec<f64> = stored
        .iter()
        .filter(|o| o.indicator == p.indicator && o.year == p.year && Some(o.kind) == kind)
        .map(|o| o.value)
        .collect();
    let state = if same.is_empty() {
        "未导入"
    } else if same.iter().any(|v| super::sources::same_value(*v, p.value)) {
        "已导入"
    } else {
        "与已导入数据不一致"
    };
    let (before, marked, after) = p.highlighted();
    // A report's review packs a dozen figures into one sentence: show each figure with
    // a little of the text around it, not the whole sentence every time.
    let skip = before.chars().count().saturating_sub(CONTEXT);
    let before = match skip {
        0 => before,
        n => format!("…{}", before.chars().skip(n).collect::<String>()),
    };
    let after = if after.chars().count() > CONTEXT {
        format!("{}…", after.chars().take(CONTEXT).collect::<String>())
    } else {
        after
    };
    FigureLine {
        line: p.line,
        indicator: p.indicator.clone(),
        year: p.year,
        value: format!("{}{}", num(p.value), p.unit.as_deref().unwrap_or_default()),
        before,
        marked,
        after,
        state,
    }
}
