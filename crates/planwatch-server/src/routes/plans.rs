//! Regions and plans; the plan dashboard; the planner's public switch.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde::Deserialize;

use super::{Nav, PlanTabs, back, planned, readable};
use crate::auth::Viewer;
use crate::cache::PlanView;
use crate::error::{AppError, PageResult};
use crate::extract::{Form, Path};
use crate::state::AppState;
use crate::view::category_class;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/plans/{id}", get(dashboard))
        .route("/plans/{id}/publish", post(publish))
}

/// A plan in the list.
struct PlanLink {
    id: i64,
    title: String,
    kind: &'static str,
    period: String,
    public: bool,
}

/// A region with its plans.
struct RegionPlans {
    name: String,
    plans: Vec<PlanLink>,
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    nav: Nav,
    regions: Vec<RegionPlans>,
    mine: Vec<MyItem>,
}

/// One line of a department editor's 我的任务与指标: a task or indicator their
/// department is responsible for, or a report returned to them.
struct MyItem {
    link: String,
    what: String,
    state: String,
}

/// What a department editor has to do: their departments' tasks and indicators in the
/// plans they read, reports returned to them first.
async fn my_items(state: &AppState, viewer: &Viewer, plans: &[i64]) -> PageResult<Vec<MyItem>> {
    let Some(who) = viewer.identity.as_deref() else {
        return Ok(Vec::new());
    };
    let mut returned = Vec::new();
    let mut items = Vec::new();
    for &plan in plans {
        for s in state
            .store
            .submissions_of(plan, Some(planwatch_store::SubmissionState::Returned))
            .await?
            .into_iter()
            .filter(|s| who.edits_for(s.department_id))
        {
            let kind = if s.item_kind == planwatch_store::ItemKind::Task {
                "tasks"
            } else {
                "indicators"
            };
            returned.push(MyItem {
                link: format!("/plans/{plan}/{kind}/{}", s.item_id),
                what: format!("{}（{}）", s.progress, s.item_kind.label()),
                state: format!("已退回：{}", s.review_note.clone().unwrap_or_default()),
            });
        }
        for d in &who.departments {
            for t in state.store.tasks_of(plan, Some(d.id)).await? {
                items.push(MyItem {
                    link: format!("/plans/{plan}/tasks/{}", t.id),
                    what: format!("任务：{}", t.text),
                    state: format!(
                        "{}{}",
                        t.status.label(),
                        t.deadline
                            .as_deref()
                            .map(|x| format!("，完成时限{x}"))
                            .unwrap_or_default()
                    ),
                });
            }
            for i in state.store.indicators_of(plan).await? {
                if i.department_id == Some(d.id) {
                    items.push(MyItem {
                        link: format!("/plans/{plan}/indicators/{}", i.id),
                        what: format!("指标：{}", i.name),
                        state: "按年报送数值".into(),
                    });
                }
            }
        }
    }
    returned.extend(items);
    Ok(returned)
}

async fn index(State(state): State<AppState>, Extension(viewer): Extension<Viewer>) -> PageResult {
    let public = state.store.public_documents().await?;
    let mut by_region: BTreeMap<String, Vec<PlanLink>> = BTreeMap::new();
    for d in state.store.list_documents().await? {
        let is_public = public.contains(&d.id);
        if !viewer.can_read(&d, is_public) {
            continue;
        }
        let period = match (d.period_start, d.period_end) {
            (Some(a), Some(b)) => format!("{a}—{b}年"),
            _ => String::new(),
        };
        by_region
            .entry(d.region_name.clone().unwrap_or_else(|| "未指定地区".into()))
            .or_default()
            .push(PlanLink {
                id: d.id,
                title: d.title.clone().unwrap_or_else(|| d.path.clone()),
                kind: d.doc_type.label(),
                period,
                public: is_public,
            });
    }
    let plans: Vec<i64> = by_region.values().flatten().map(|p| p.id).collect();
    let mine = my_items(&state, &viewer, &plans).await?;
    let page = IndexPage {
        mine,
        nav: Nav::of(&viewer),
        regions: by_region
            .into_iter()
            .map(|(name, plans)| RegionPlans { name, plans })
            .collect(),
    };
    Ok(Html(page.render()?).into_response())
}

/// One evaluated indicator on the dashboard.
pub struct Card {
    /// Link to the indicator page.
    pub link: Option<String>,
    /// Indicator name.
    pub name: String,
    /// Category label.
    pub category: &'static str,
    /// CSS class of the category.
    pub class: &'static str,
    /// 约束性.
    pub binding: bool,
    /// Warning text.
    pub warning: Option<String>,
    /// One-sentence explanation.
    pub explanation: String,
    /// SVG chart.
    pub chart: String,
    /// Target as written.
    pub target: String,
}

/// The cards of targets `range` of a view.
pub fn cards(view: &PlanView, range: std::ops::Range<usize>) -> Vec<Card> {
    range
        .filter_map(|i| {
            let t = view.eval.targets.get(i)?;
            let e = view.eval.evaluations.get(i)?;
            Some(Card {
                link: view
                    .indicator_of(i)
                    .map(|r| format!("/plans/{}/indicators/{}", view.summary.id, r.id)),
                name: t.indicator.clone(),
                category: e.category.label(),
                class: category_class(e.category),
                binding: e.binding,
                warning: e.warning.as_ref().map(|w| w.message.clone()),
                explanation: e.explanation.clone(),
                chart: view.charts.get(i).cloned().unwrap_or_default(),
                target: t.text.clone(),
            })
        })
        .collect()
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    nav: Nav,
    tabs: PlanTabs,
    heading: String,
    sentence: String,
    category_svg: String,
    groups: Vec<(String, String)>,
    binding: Vec<Card>,
    others: Vec<Card>,
    prose: Vec<Card>,
    annual: Vec<(bool, String)>,
    notes: Vec<String>,
}

async fn dashboard(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
) -> PageResult {
    let (view, tabs) = readable(&state, &viewer, id, "dashboard").await?;
    let eval = &view.eval;
    let main = eval.main_count.min(eval.targets.len());
    let main = if main == 0 { eval.targets.len() } else { main };
    let all = cards(&view, 0..main);
    let (mut binding, others): (Vec<Card>, Vec<Card>) = all.into_iter().partition(|c| c.binding);
    // Warnings first, then by how far behind (the order of the category labels is stable).
    binding.sort_by_key(|c| c.warning.is_none());
    let page = DashboardPage {
        nav: Nav::of(&viewer),
        tabs,
        heading: dashboard_heading(eval),
        sentence: eval.overall.sentence(),
        category_svg: view.category_svg.clone(),
        groups: eval
            .groups
            .iter()
            .map(|g| (g.label.clone(), g.sentence()))
            .collect(),
        binding,
        others,
        prose: cards(&view, main..eval.targets.len()),
        annual: eval
            .annual
            .iter()
            .map(|a| (a.too_low, a.message.clone()))
            .collect(),
        notes: eval.notes.clone(),
    };
    Ok(Html(page.render()?).into_response())
}

/// What the dashboard's summary is about: the year, and the plan's own period.
fn dashboard_heading(eval: &planwatch_core::eval::PlanEvaluation) -> String {
    let Some(p) = eval.period else {
        return format!("{}年监测：", eval.year);
    };
    let period = format!("规划期{}—{}年", p.start, p.end);
    if eval.final_evaluation {
        format!("{}年总结评估（{period}）：", eval.year)
    } else if eval.year < p.start {
        format!("{period}，尚无规划期内的监测数据：")
    } else {
        format!("{}年监测（{period}）：", eval.year)
    }
}

/// The public switch form: `public=1` publishes, `public=0` withdraws.
#[derive(Deserialize)]
pub struct PublishForm {
    public: Option<String>,
}

async fn publish(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Form(form): Form<PublishForm>,
) -> PageResult {
    planned(&state, &viewer, id).await?;
    let identity = viewer.require()?;
    let public = match form.public.as_deref().map(str::trim) {
        Some("1") => true,
        Some("0") => false,
        _ => return Err(AppError::BadRequest("公开设置应为“公开”或“不公开”".into())),
    };
    state
        .store
        .set_public(id, public, &identity.actor())
        .await?;
    Ok(back(format!("/plans/{id}")))
}
