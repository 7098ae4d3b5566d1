//! A plan's evaluation, computed once per database state.
//!
//! Reading a plan back means parsing its stored JSON and evaluating every target:
//! too slow to repeat on every dashboard view. Every mutation of the store writes an
//! audit row, so the newest audit id ([`planwatch_store::Store::change_stamp`]) names
//! the database state; a cached view is reused while the stamp is unchanged, even
//! when another process (the CLI) is the one writing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use planwatch_core::eval::plan::observations_for;
use planwatch_core::eval::{Observation, PlanEvaluation, evaluate_plan};
use planwatch_core::plan::Plan;
use planwatch_report::charts::{category_chart, indicator_chart};
use planwatch_store::{DocumentSummary, IndicatorRow, Store, StoreResult};

/// Everything the plan pages read, computed together.
#[derive(Debug)]
pub struct PlanView {
    /// The document row.
    pub summary: DocumentSummary,
    /// The plan as reviewed (corrections applied, rejected items dropped).
    pub plan: Plan,
    /// Its evaluation in the year asked for, by default the latest year with data.
    pub eval: PlanEvaluation,
    /// The observations the evaluation used.
    pub observations: Vec<Observation>,
    /// Stored indicator rows (for links and review).
    pub indicators: Vec<IndicatorRow>,
    /// One SVG chart per target of `eval`, same order.
    pub charts: Vec<String>,
    /// The category counts as an SVG bar chart.
    pub category_svg: String,
    /// Shown to the public.
    pub public: bool,
    /// The API's status document, made on first request.
    pub status_json: OnceLock<String>,
    /// Entity tag of [`PlanView::status_json`], built with it.
    pub status_etag: OnceLock<String>,
}

impl PlanView {
    /// Compute the view of a plan, evaluated in `year` (default: the latest year with
    /// data, see [`evaluate_plan`]).
    pub async fn load(store: &Store, id: i64, year: Option<i32>) -> StoreResult<PlanView> {
        let summary = store.document_summary(id).await?;
        let plan = store.reviewed_plan(id).await?;
        let (observations, annual) = store.evaluation_data(id).await?;
        let eval = evaluate_plan(&plan, &observations, &annual, year, None);
        let charts = eval
            .targets
            .iter()
            .map(|t| indicator_chart(t, &observations_for(t, &observations)).to_svg())
            .collect();
        let category_svg = category_chart(&eval.overall).to_svg();
        Ok(PlanView {
            summary,
            plan,
            eval,
            observations,
            indicators: store.indicators_of(id).await?,
            charts,
            category_svg,
            public: store.is_public(id).await?,
            status_json: OnceLock::new(),
            status_etag: OnceLock::new(),
        })
    }

    /// The years the plan can be judged in: those with data and the plan period's,
    /// newest first (the dashboard's year choice and the report form's).
    pub fn years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self.observations.iter().map(|o| o.year).collect();
        if let Some(p) = self.eval.period {
            years.extend((p.start..=p.end).take(20));
        }
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        years
    }

    /// The evaluation as the API's status document (`GET /api/v1/plans/{id}/status`).
    pub fn status_json(&self) -> &str {
        self.status_json.get_or_init(|| {
            let e = &self.eval;
            let items: Vec<serde_json::Value> = e
                .targets
                .iter()
                .zip(&e.evaluations)
                .map(|(t, ev)| {
                    serde_json::json!({
                        "indicator": t.indicator,
                        "target": t.text,
                        "base_year": t.base_year,
                        "target_year": t.target_year,
                        "binding": ev.binding,
                        "category": ev.category.label(),
                        "warning": ev.warning.as_ref().map(|w| w.message.clone()),
                        "explanation": ev.explanation,
                        "figures": ev.figures,
                    })
                })
                .collect();
            serde_json::json!({
                "year": e.year,
                "period": e.period,
                "final_evaluation": e.final_evaluation,
                "summary": e.overall.sentence(),
                "evaluations": items,
            })
            .to_string()
        })
    }

    /// A strong entity tag of the status document: the start of its SHA-256, quoted.
    pub fn status_etag(&self) -> &str {
        self.status_etag.get_or_init(|| {
            let hash = planwatch_parse::sha256_hex(self.status_json().as_bytes());
            format!("\"{}\"", &hash[..32])
        })
    }

    /// Index of the evaluated target that comes from this indicator row (same line and name,
    /// else same name).
    pub fn target_of(&self, ind: &IndicatorRow) -> Option<usize> {
        let line = usize::try_from(ind.line).ok();
        let main = &self.eval.targets[..self.eval.main_count.min(self.eval.targets.len())];
        main.iter()
            .position(|t| t.line == line && t.indicator == ind.name)
            .or_else(|| main.iter().position(|t| t.indicator == ind.name))
    }

    /// The indicator row a target comes from.
    pub fn indicator_of(&self, target_index: usize) -> Option<&IndicatorRow> {
        let t = self.eval.targets.get(target_index)?;
        let line = t.line.and_then(|l| i64::try_from(l).ok());
        self.indicators
            .iter()
            .filter(|i| !i.rejected)
            .find(|i| Some(i.line) == line && i.name == t.indicator)
            .or_else(|| {
                self.indicators
                    .iter()
                    .find(|i| !i.rejected && i.name == t.indicator)
            })
    }
}

/// Which view: a document, evaluated in the default year or a year asked for.
type ViewKey = (i64, Option<i32>);

/// Plan views by document and year, each with the change stamp it was computed at.
#[derive(Debug, Default)]
pub struct EvalCache {
    views: Mutex<HashMap<ViewKey, (i64, Arc<PlanView>)>>,
}

impl EvalCache {
    /// The view of plan `id` in `year` (`None`: the default year) for the database as
    /// it is now.
    pub async fn get(
        &self,
        store: &Store,
        id: i64,
        year: Option<i32>,
    ) -> StoreResult<Arc<PlanView>> {
        let stamp = store.change_stamp().await?;
        if let Some((s, v)) = self.lock().get(&(id, year))
            && *s == stamp
        {
            return Ok(v.clone());
        }
        let view = Arc::new(PlanView::load(store, id, year).await?);
        let mut views = self.lock();
        if views.len() > 64 {
            views.clear();
        }
        views.insert((id, year), (stamp, view.clone()));
        Ok(view)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ViewKey, (i64, Arc<PlanView>)>> {
        self.views.lock().unwrap_or_else(|e| e.into_inner())
    }
}
