//! Everything a report needs, read from the store in one place.

use planwatch_core::consistency::{
    CheckSettings, Finding, check_baselines, check_plans, check_successions,
};
use planwatch_core::eval::{Observation, PlanEvaluation, evaluate_plan};
use planwatch_core::plan::Plan;
use planwatch_store::{DocumentSummary, LedgerRow, ProjectRow, Store, TaskRow};

use crate::ReportError;
use crate::error::plan_document;

/// The data a report is assembled from. Loaded by [`load`]; tests may build it by hand.
#[derive(Debug, Clone)]
pub struct ReportInputs {
    /// The plan document's row.
    pub document: DocumentSummary,
    /// The plan as reviewed (corrections applied).
    pub plan: Plan,
    /// Its evaluation for the report year.
    pub evaluation: PlanEvaluation,
    /// Observations as the engine reads them (for charts).
    pub observations: Vec<Observation>,
    /// Observations as stored (for the sources appendix).
    pub stored_observations: Vec<planwatch_store::Observation>,
    /// Tasks in reading order.
    pub tasks: Vec<TaskRow>,
    /// Key projects in reading order.
    pub projects: Vec<ProjectRow>,
    /// The project ledger at the end of the evaluation year (approved reports only).
    pub project_ledger: Vec<LedgerRow>,
    /// Consistency findings that involve the plan.
    pub findings: Vec<Finding>,
    /// Other current documents of the same region (work reports, annual plans).
    pub related: Vec<DocumentSummary>,
}

/// Load a stored plan with its evaluation for `year`, tasks, projects, related
/// documents, consistency findings and observations.
pub async fn load(store: &Store, plan_id: i64, year: i32) -> Result<ReportInputs, ReportError> {
    let doc = plan_document(store, plan_id).await?;
    let plan = store.reviewed_plan(plan_id).await?;
    let (observations, annual) = store.evaluation_data(plan_id).await?;
    let evaluation = evaluate_plan(&plan, &observations, &annual, Some(year), None);
    let region = doc
        .summary
        .region_name
        .clone()
        .or(plan.region.clone())
        .unwrap_or_default();
    let stored_observations = store
        .region_observations(
            doc.summary.region_id,
            Some(region.as_str()).filter(|r| !r.is_empty()),
        )
        .await?;
    let tasks = store.tasks_of(plan_id, None).await?;
    let projects = store.projects_of(plan_id).await?;
    let project_ledger = store.project_ledger(plan_id, i64::from(year), 12).await?;

    // Current documents of the same region: not this one, not replaced by a later ingest.
    let all = store.list_documents().await?;
    let superseded: Vec<i64> = all.iter().filter_map(|d| d.supersedes_id).collect();
    let related: Vec<DocumentSummary> = all
        .into_iter()
        .filter(|d| d.id != plan_id && !superseded.contains(&d.id))
        .filter(|d| !region.is_empty() && d.region_name.as_deref() == Some(region.as_str()))
        .collect();
    let mut plans = vec![plan.clone()];
    for d in &related {
        plans.push(store.get_document(d.id).await?.plan);
    }
    let settings = CheckSettings::default();
    let path = plan.source.path.clone();
    let mut findings: Vec<Finding> = check_plans(&plans, &settings)
        .into_iter()
        .chain(check_successions(&plans, &observations, &settings))
        .filter(|f| f.first.document == path || f.second.document == path)
        .collect();
    findings.extend(check_baselines(&plan, &observations, &settings));
    Ok(ReportInputs {
        document: doc.summary,
        plan,
        evaluation,
        observations,
        stored_observations,
        tasks,
        projects,
        project_ledger,
        findings,
        related,
    })
}
