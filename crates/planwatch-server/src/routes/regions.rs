//! A region's page: its own plan and its subordinate regions' plans side by side with
//! their progress roll-ups, and one indicator compared across them (baseline, latest,
//! target, class, chart). Only plans the viewer may read are shown: a city planner sees
//! a county's plan where a grant (or publication) allows, as everywhere else.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::{Extension, Router};
use planwatch_store::{DocumentSummary, Region};
use serde::Deserialize;

use super::Nav;
use crate::auth::Viewer;
use crate::cache::PlanView;
use crate::error::{AppError, PageResult};
use crate::extract::{Path, Query};
use crate::fields;
use crate::state::AppState;
use crate::view::{category_class, num};

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/regions/{code}", get(page))
}

/// A plan in the side-by-side list.
struct PlanColumn {
    region: String,
    id: i64,
    title: String,
    period: String,
    sentence: String,
    /// (label, count, css class) of the categories present.
    counts: Vec<(&'static str, usize, &'static str)>,
}

/// One region's figures for the compared indicator.
struct Compared {
    region: String,
    plan_id: i64,
    baseline: String,
    latest: String,
    target: String,
    category: &'static str,
    class: &'static str,
    chart: String,
}

#[derive(Template)]
#[template(path = "region.html")]
struct RegionPage {
    nav: Nav,
    name: String,
    code: String,
    parent: Option<(String, String)>,
    children: Vec<(String, String)>,
    plans: Vec<PlanColumn>,
    indicators: Vec<(String, bool)>,
    compared: Vec<Compared>,
    chosen: Option<String>,
}

/// `?indicator=NAME`: the indicator compared across the regions.
#[derive(Deserialize)]
pub struct RegionQuery {
    indicator: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(code): Path<String>,
    Query(q): Query<RegionQuery>,
) -> PageResult {
    let chosen = fields::line("指标", &q.indicator, 100)?;
    let regions = state.store.list_regions().await?;
    let region = regions
        .iter()
        .find(|r| r.code == code)
        .ok_or(AppError::NotFound)?;
    let children: Vec<&Region> = regions
        .iter()
        .filter(|r| r.parent_id == Some(region.id) && r.valid_to.is_none())
        .collect();
    let views = readable_plans(&state, &viewer, region, &children).await?;
    // Nothing here the viewer may read: the same answer as for a plan they may not read.
    if views.is_empty() {
        return Err(if viewer.identity.is_some() {
            AppError::Forbidden
        } else {
            AppError::Unauthorized
        });
    }
    let indicators = indicator_choices(&views, chosen.as_deref());
    let compared = match &chosen {
        Some(name) => compare(&views, name),
        None => Vec::new(),
    };
    let page = RegionPage {
        nav: Nav::of(&viewer),
        name: region.name.clone(),
        code: region.code.clone(),
        parent: region
            .parent_id
            .and_then(|p| regions.iter().find(|r| r.id == p))
            .map(|p| (p.code.clone(), p.name.clone())),
        children: children
            .iter()
            .map(|c| (c.code.clone(), c.name.clone()))
            .collect(),
        plans: views.iter().map(|(r, v)| column(r, v)).collect(),
        indicators,
        compared,
        chosen,
    };
    Ok(Html(page.render()?).into_response())
}

/// The current plan outline of the region and of each child that the viewer may read,
/// with its evaluated view.
async fn readable_plans(
    state: &AppState,
    viewer: &Viewer,
    region: &Region,
    children: &[&Region],
) -> Result<Vec<(String, std::sync::Arc<PlanView>)>, AppError> {
    let docs = state.store.list_documents().await?;
    let public = state.store.public_documents().await?;
    let current = |r: &Region| -> Option<&DocumentSummary> {
        super::current_plan_outlines(&docs, r.id, |d| viewer.can_read(d, public.contains(&d.id)))
            .into_iter()
            .max_by_key(|d| (d.period_end, d.id))
    };
    let mut out = Vec::new();
    for r in std::iter::once(region).chain(children.iter().copied()) {
        if let Some(d) = current(r) {
            out.push((
                r.name.clone(),
                state.cache.get(&state.store, d.id, None).await?,
            ));
        }
    }
    Ok(out)
}

fn column(region: &str, v: &PlanView) -> PlanColumn {
    let overall = &v.eval.overall;
    PlanColumn {
        region: region.to_string(),
        id: v.summary.id,
        title: v
            .summary
            .title
            .clone()
            .unwrap_or_else(|| v.summary.path.clone()),
        period: match (v.summary.period_start, v.summary.period_end) {
            (Some(a), Some(b)) => format!("{a}—{b}年"),
            _ => String::new(),
        },
        sentence: overall.sentence(),
        counts: overall
            .counts
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(c, n)| (c.label(), *n, category_class(*c)))
            .collect(),
    }
}

/// The main indicators any shown plan has, in the order first met.
fn indicator_choices(
    views: &[(String, std::sync::Arc<PlanView>)],
    chosen: Option<&str>,
) -> Vec<(String, bool)> {
    let mut names: Vec<String> = Vec::new();
    for (_, v) in views {
        for (t, _) in v.eval.main() {
            if !names.contains(&t.indicator) {
                names.push(t.indicator.clone());
            }
        }
    }
    names
        .into_iter()
        .map(|n| {
            let on = chosen == Some(n.as_str());
            (n, on)
        })
        .collect()
}

/// Indicator `name` in each shown plan that has it.
fn compare(views: &[(String, std::sync::Arc<PlanView>)], name: &str) -> Vec<Compared> {
    let mut out = Vec::new();
    for (region, v) in views {
        let found = v
            .eval
            .main()
            .enumerate()
            .find(|(_, (t, _))| t.indicator == name);
        let Some((i, (t, e))) = found else { continue };
        let unit = t.unit.as_deref().unwrap_or_default();
        out.push(Compared {
            region: region.clone(),
            plan_id: v.summary.id,
            baseline: t
                .baseline
                .map(|b| format!("{}{unit}（{}年）", num(b), t.base_year))
                .unwrap_or_else(|| "—".into()),
            latest: e
                .figures
                .latest
                .as_ref()
                .map(|p| format!("{}（{}年）", num(p.value), p.year))
                .unwrap_or_else(|| "—".into()),
            target: t.text.clone(),
            category: e.category.label(),
            class: category_class(e.category),
            chart: v.charts.get(i).cloned().unwrap_or_default(),
        });
    }
    out
}
