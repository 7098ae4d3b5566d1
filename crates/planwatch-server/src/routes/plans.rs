//! Regions and plans (the home page, with a department editor's own items); the
//! planner's public switch.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde::Deserialize;

use super::{Nav, back, planned};
use crate::auth::Viewer;
use crate::error::{AppError, PageResult};
use crate::extract::{Form, Path};
use crate::state::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
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
    /// Its code, for the link to its page (none for documents without a region).
    code: Option<String>,
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

/// The year of a work report or annual plan (from its targets), `None` for a plan.
async fn report_year_of(
    state: &AppState,
    d: &planwatch_store::DocumentSummary,
) -> Result<Option<i32>, AppError> {
    use planwatch_core::plan::DocType;
    if !matches!(d.doc_type, DocType::WorkReport | DocType::AnnualPlan) {
        return Ok(None);
    }
    let targets = state.store.targets_of(d.id).await?;
    Ok(planwatch_core::plan::report_year(
        targets
            .iter()
            .filter(|t| !t.rejected)
            .filter_map(|t| t.year.and_then(|y| i32::try_from(y).ok())),
    ))
}

async fn index(State(state): State<AppState>, Extension(viewer): Extension<Viewer>) -> PageResult {
    let public = state.store.public_documents().await?;
    let mut by_region: BTreeMap<String, Vec<PlanLink>> = BTreeMap::new();
    // Region names with their codes (a name two regions share is listed by each code's
    // documents under the same heading, and links to neither).
    let mut codes: BTreeMap<String, String> = BTreeMap::new();
    let regions = state.store.list_regions().await?;
    let docs = state.store.list_documents().await?;
    for d in &docs {
        let is_public = public.contains(&d.id);
        if !viewer.can_read(d, is_public) {
            continue;
        }
        let (period, year) = match (d.period_start, d.period_end) {
            (Some(a), Some(b)) => (format!("{a}—{b}年"), None),
            _ => match report_year_of(&state, d).await? {
                Some(y) => (format!("{y}年"), Some(y)),
                None => (String::new(), None),
            },
        };
        let title = d.title.clone().unwrap_or_else(|| d.path.clone());
        if let (Some(name), Some(r)) = (
            &d.region_name,
            regions.iter().find(|r| Some(r.id) == d.region_id),
        ) {
            let same = regions.iter().filter(|x| &x.name == name).count() == 1;
            if same {
                codes.insert(name.clone(), r.code.clone());
            }
        }
        by_region
            .entry(d.region_name.clone().unwrap_or_else(|| "未指定地区".into()))
            .or_default()
            .push(PlanLink {
                id: d.id,
                // A work report is titled just 政府工作报告: say which year's.
                title: match year {
                    Some(y) if !title.contains(&y.to_string()) => format!("{y}年{title}"),
                    _ => title,
                },
                kind: d.doc_type.label(),
                period,
                public: is_public,
            });
    }
    // An editor's own items come from the current version of each plan: a plan uploaded
    // again carries its assignments over, and the old version would list them twice.
    let superseded = super::superseded_ids(&docs);
    let plans: Vec<i64> = by_region
        .values()
        .flatten()
        .map(|p| p.id)
        .filter(|id| !superseded.contains(id))
        .collect();
    let mine = my_items(&state, &viewer, &plans).await?;
    let page = IndexPage {
        mine,
        nav: Nav::of(&viewer),
        regions: by_region
            .into_iter()
            .map(|(name, plans)| RegionPlans {
                code: codes.get(&name).cloned(),
                name,
                plans,
            })
            .collect(),
    };
    Ok(Html(page.render()?).into_response())
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
