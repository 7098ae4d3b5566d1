//! The project ledger (项目调度台账): every live project of a plan with its plan for
//! the year and its class at a period end, from approved reports only. The class rule
//! is `planwatch_core::projects::assess`; this module only gathers its inputs in three
//! queries, whatever the number of projects.

use std::collections::HashMap;

use planwatch_core::projects::{
    Assessment, PeriodReport, ProjectClass, ProjectField, Thresholds, Totals, YearPlan, assess,
};
use serde::Serialize;

use crate::{ProjectRow, ProjectYear, Store, StoreResult};

/// One line of the ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedgerRow {
    /// The project.
    pub project: ProjectRow,
    /// Its plan for the year, if set.
    pub year_plan: Option<ProjectYear>,
    /// Its class and figures at the period end.
    pub assessment: Assessment,
}

/// Which ledger lines to show; `None` is any.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LedgerFilter {
    /// Responsible unit.
    pub department_id: Option<i64>,
    /// Field.
    pub field: Option<ProjectField>,
    /// Class.
    pub class: Option<ProjectClass>,
}

impl LedgerFilter {
    /// Whether a line passes.
    pub fn keeps(&self, row: &LedgerRow) -> bool {
        self.department_id
            .is_none_or(|d| row.project.department_id == Some(d))
            && self.field.is_none_or(|f| row.project.field == Some(f))
            && self.class.is_none_or(|c| row.assessment.class == c)
    }
}

/// The totals of some ledger lines.
pub fn ledger_totals<'a>(rows: impl IntoIterator<Item = &'a LedgerRow>) -> Totals {
    let mut t = Totals::default();
    for r in rows {
        t.add(&r.assessment);
    }
    t
}

fn as_year_plan(y: &ProjectYear) -> YearPlan {
    YearPlan {
        investment: y.planned_investment,
        start: y.planned_start,
        finish: y.planned_finish,
    }
}

impl Store {
    /// The ledger of a plan at the end of (`year`, `month`): live projects (not
    /// rejected, not merged) in reading order, each assessed.
    pub async fn project_ledger(
        &self,
        document_id: i64,
        year: i64,
        month: u8,
    ) -> StoreResult<Vec<LedgerRow>> {
        let projects = self.projects_of(document_id).await?;
        let mut plans: HashMap<i64, ProjectYear> = self
            .project_years_of(document_id, year)
            .await?
            .into_iter()
            .map(|y| (y.project_id, y))
            .collect();
        let mut reports: HashMap<i64, Vec<PeriodReport>> = HashMap::new();
        for f in self.approved_project_figures(document_id, year).await? {
            reports.entry(f.project_id).or_default().push(f.report);
        }
        let year = i32::try_from(year).unwrap_or(i32::MAX);
        Ok(projects
            .into_iter()
            .filter(|p| !p.rejected && p.merged_into.is_none())
            .map(|project| {
                let year_plan = plans.remove(&project.id);
                let assessment = assess(
                    year_plan.as_ref().map(as_year_plan).as_ref(),
                    reports.get(&project.id).map_or(&[], Vec::as_slice),
                    year,
                    month,
                    Thresholds::default(),
                );
                LedgerRow {
                    project,
                    year_plan,
                    assessment,
                }
            })
            .collect())
    }
}
