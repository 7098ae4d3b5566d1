//! The plan dashboard: the summary sentence, a status table of the main indicators
//! (one row each, filtered and sorted on the server), the year it is judged in
//! (`?year=`), and the charts on demand.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::{Extension, Router};
use planwatch_core::eval::{Category, Evaluation, PlanEvaluation, Target, TargetType};
use planwatch_core::plan::DocType;
use serde::Deserialize;

use super::{Nav, PlanTabs, readable_in};
use crate::auth::Viewer;
use crate::cache::PlanView;
use crate::error::{AppError, PageResult};
use crate::extract::{Path, Query};
use crate::fields;
use crate::paging::Pager;
use crate::state::AppState;
use crate::view::{category_class, num};

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/plans/{id}", get(dashboard))
}

/// One evaluated indicator as a card with its chart (indicator page, dashboard charts).
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
                link: link_of(view, i),
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

fn link_of(view: &PlanView, target: usize) -> Option<String> {
    view.indicator_of(target)
        .map(|r| format!("/plans/{}/indicators/{}", view.summary.id, r.id))
}

/// One main indicator in the status table.
pub struct StatusRow {
    link: Option<String>,
    name: String,
    group: String,
    attribute: &'static str,
    baseline: String,
    latest: String,
    /// The latest figure is older than the year the plan is judged in.
    stale: bool,
    target: String,
    category: Category,
    warning: Option<String>,
}

impl StatusRow {
    fn of(view: &PlanView, i: usize, t: &Target, e: &Evaluation) -> StatusRow {
        let unit = t.unit.as_deref().unwrap_or_default();
        let latest = e.figures.latest.as_ref();
        StatusRow {
            link: link_of(view, i),
            name: t.indicator.clone(),
            group: t.group.clone().unwrap_or_default(),
            attribute: if t.binding { "约束性" } else { "预期性" },
            baseline: t
                .baseline
                .map(|b| format!("{}{unit}（{}年）", num(b), t.base_year))
                .unwrap_or_else(|| "—".into()),
            latest: latest
                .map(|p| match t.target_type {
                    TargetType::GrowthRate { .. } => {
                        format!("年均{}%（{}年）", num(p.value), p.year)
                    }
                    _ => format!("{}{unit}（{}年）", num(p.value), p.year),
                })
                .unwrap_or_else(|| "—".into()),
            stale: latest.is_some_and(|p| p.year < view.eval.year),
            target: t.text.clone(),
            category: e.category,
            warning: e.warning.as_ref().map(|w| w.message.clone()),
        }
    }

    /// zh-CN category label.
    pub fn category_label(&self) -> &'static str {
        self.category.label()
    }

    /// CSS class of the category badge.
    pub fn category_class(&self) -> &'static str {
        category_class(self.category)
    }

    /// Worst first: 严重滞后 before 滞后 before 基本符合…; 数据不足 and 定性 last.
    fn worst_first(&self) -> u8 {
        self.category.rank().unwrap_or(u8::MAX)
    }
}

/// The dashboard's query: year, filters of the status table and its order.
#[derive(Deserialize, Default)]
pub struct DashboardQuery {
    year: Option<String>,
    category: Option<String>,
    attribute: Option<String>,
    group: Option<String>,
    warnings: Option<String>,
    sort: Option<String>,
}

/// The status table's filters as read from the query.
struct Filters {
    category: Option<Category>,
    attribute: Option<String>,
    group: Option<String>,
    warnings_only: bool,
    sort: Sort,
}

#[derive(Clone, Copy, PartialEq)]
enum Sort {
    Plan,
    WorstFirst,
    Name,
}

/// Orders the table may take: query value and label.
const SORTS: [(&str, &str, Sort); 3] = [
    ("", "按规划顺序", Sort::Plan),
    ("worst", "滞后在前", Sort::WorstFirst),
    ("name", "按指标名称", Sort::Name),
];

impl Filters {
    fn read(q: &DashboardQuery) -> Result<Filters, AppError> {
        let category = match fields::present(&q.category) {
            None => None,
            Some(label) => Some(
                Category::ALL
                    .into_iter()
                    .find(|c| c.label() == label)
                    .ok_or_else(|| AppError::BadRequest("未知的评价类别".into()))?,
            ),
        };
        let attribute = match fields::present(&q.attribute) {
            None => None,
            Some(a @ ("约束性" | "预期性")) => Some(a.to_string()),
            Some(_) => return Err(AppError::BadRequest("指标属性应为约束性或预期性".into())),
        };
        let sort_code = fields::present(&q.sort).unwrap_or_default();
        let sort = SORTS
            .iter()
            .find(|(code, _, _)| *code == sort_code)
            .map(|(_, _, s)| *s)
            .ok_or_else(|| AppError::BadRequest("未知的排序方式".into()))?;
        Ok(Filters {
            category,
            attribute,
            group: fields::line("领域", &q.group, fields::LINE_MAX)?,
            warnings_only: fields::present(&q.warnings).is_some(),
            sort,
        })
    }

    fn keeps(&self, row: &StatusRow) -> bool {
        self.category.is_none_or(|c| row.category == c)
            && self.attribute.as_deref().is_none_or(|a| row.attribute == a)
            && self.group.as_deref().is_none_or(|g| row.group == g)
            && (!self.warnings_only || row.warning.is_some())
    }

    fn order(&self, rows: &mut [StatusRow]) {
        match self.sort {
            Sort::Plan => {}
            Sort::WorstFirst => rows.sort_by_key(StatusRow::worst_first),
            Sort::Name => rows.sort_by(|a, b| a.name.cmp(&b.name)),
        }
    }
}

/// A choice of a `<select>`: value, label, selected.
type Choice = (String, String, bool);

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    nav: Nav,
    tabs: PlanTabs,
    heading: String,
    sentence: String,
    stale_note: Option<String>,
    category_svg: String,
    groups: Vec<(String, String)>,
    rows: Vec<StatusRow>,
    main_total: usize,
    years: Vec<Choice>,
    categories: Vec<Choice>,
    attributes: Vec<Choice>,
    group_choices: Vec<Choice>,
    sorts: Vec<Choice>,
    warnings_only: bool,
    binding: Vec<Card>,
    others: Vec<Card>,
    prose: Vec<Card>,
    prose_pager: Pager,
    annual: Vec<(bool, String)>,
    notes: Vec<String>,
}

async fn dashboard(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<i64>,
    Query(query): Query<DashboardQuery>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let year = fields::year("评估年份", &query.year)?;
    let filters = Filters::read(&query)?;
    let (view, tabs) = readable_in(&state, &viewer, id, "dashboard", year).await?;
    if matches!(
        view.summary.doc_type,
        DocType::WorkReport | DocType::AnnualPlan
    ) {
        return super::work_report::page(&state, &viewer, &view, tabs).await;
    }
    let eval = &view.eval;
    let main = main_count(eval);
    let all_rows: Vec<StatusRow> = eval
        .main()
        .enumerate()
        .map(|(i, (t, e))| StatusRow::of(&view, i, t, e))
        .collect();
    let stale = all_rows.iter().filter(|r| r.stale).count();
    let group_names = distinct(all_rows.iter().map(|r| r.group.clone()));
    let mut rows: Vec<StatusRow> = all_rows.into_iter().filter(|r| filters.keeps(r)).collect();
    filters.order(&mut rows);
    let (mut binding, others): (Vec<Card>, Vec<Card>) =
        cards(&view, 0..main).into_iter().partition(|c| c.binding);
    binding.sort_by_key(|c| c.warning.is_none());
    let (prose, prose_pager) = Pager::cut(
        cards(&view, main..eval.targets.len()),
        raw.as_deref(),
        crate::paging::PAGE_SIZE,
    )?;
    let page = DashboardPage {
        nav: Nav::of(&viewer),
        tabs,
        heading: dashboard_heading(eval),
        sentence: eval.overall.sentence(),
        stale_note: (stale > 0).then(|| {
            format!(
                "{stale}项指标尚无{}年数据，按各自的最新年份评价（见下表“最新值”一列）。",
                eval.year
            )
        }),
        category_svg: view.category_svg.clone(),
        groups: eval
            .groups
            .iter()
            .map(|g| (g.label.clone(), g.sentence()))
            .collect(),
        main_total: main,
        rows,
        years: year_choices(&view, year),
        categories: choices(
            Category::ALL.iter().map(|c| c.label().to_string()),
            filters.category.map(|c| c.label().to_string()),
        ),
        attributes: choices(
            ["约束性", "预期性"].iter().map(|a| a.to_string()),
            filters.attribute.clone(),
        ),
        group_choices: choices(group_names.into_iter(), filters.group.clone()),
        sorts: SORTS
            .iter()
            .map(|(code, label, s)| (code.to_string(), label.to_string(), *s == filters.sort))
            .collect(),
        warnings_only: filters.warnings_only,
        binding,
        others,
        prose,
        prose_pager,
        annual: eval
            .annual
            .iter()
            .map(|a| (a.too_low, a.message.clone()))
            .collect(),
        notes: eval.notes.clone(),
    };
    Ok(Html(page.render()?).into_response())
}

/// The number of main (table) targets; a plan without a table has only prose targets,
/// which are then its main ones.
fn main_count(eval: &PlanEvaluation) -> usize {
    match eval.main_count.min(eval.targets.len()) {
        0 => eval.targets.len(),
        n => n,
    }
}

fn distinct(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for n in names.filter(|n| !n.is_empty()) {
        if !seen.contains(&n) {
            seen.push(n);
        }
    }
    seen
}

fn choices(values: impl Iterator<Item = String>, chosen: Option<String>) -> Vec<Choice> {
    values
        .map(|v| {
            let on = chosen.as_deref() == Some(v.as_str());
            (v.clone(), v, on)
        })
        .collect()
}

/// The years a planner may judge the plan in: the plan period's years and every year
/// with data, newest first; the first choice is the default (latest data).
fn year_choices(view: &PlanView, chosen: Option<i32>) -> Vec<Choice> {
    let years = view.years();
    let mut out = vec![(String::new(), "最新数据年份".to_string(), chosen.is_none())];
    out.extend(
        years
            .into_iter()
            .map(|y| (y.to_string(), format!("{y}年"), chosen == Some(y))),
    );
    out
}

/// What the dashboard's summary is about: the year, and the plan's own period.
fn dashboard_heading(eval: &PlanEvaluation) -> String {
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
