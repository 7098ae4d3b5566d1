//! Evaluation from stored data: the reviewed plan (corrections applied, rejected
//! items dropped) and its region's observations and annual targets, handed to the
//! engine in `planwatch_core::eval`. No arithmetic here.

use planwatch_core::eval::input::{interpret, split};
use planwatch_core::eval::{AnnualTarget, Observation, PlanEvaluation, evaluate_plan};
use planwatch_core::plan::{Plan, TargetKind};

use crate::{AnnualTargetRow, Document, Store, StoreResult};

impl Store {
    /// The plan of a document as reviewed: the ingested parse output with its
    /// indicators and prose targets replaced by the stored rows, so corrections count
    /// and rejected items do not.
    pub async fn reviewed_plan(&self, document_id: i64) -> StoreResult<Plan> {
        let doc = self.get_document(document_id).await?;
        self.review(doc).await
    }

    async fn review(&self, doc: Document) -> StoreResult<Plan> {
        let document_id = doc.summary.id;
        let mut plan = doc.plan;
        plan.outline = reviewed(self.outline_of(document_id).await?, |r| {
            (r.rejected, r.reviewed())
        })?;
        plan.indicators = reviewed(self.indicators_of(document_id).await?, |r| {
            (r.rejected, r.reviewed())
        })?;
        plan.targets = reviewed(self.targets_of(document_id).await?, |r| {
            (r.rejected, r.reviewed())
        })?;
        // Projects the office imported or added are not in the text: the ledger has them.
        let extracted: Vec<_> = self
            .projects_of(document_id)
            .await?
            .into_iter()
            .filter(|p| p.origin == planwatch_core::projects::ProjectOrigin::Extracted)
            .collect();
        plan.projects = reviewed(extracted, |r| (r.rejected, r.reviewed()))?;
        if plan.region.is_none() {
            plan.region = doc.summary.region_name.clone();
        }
        Ok(plan)
    }

    /// Observations and annual targets stored for a document's region: imported
    /// rows (by region code or name) and the annual targets of ingested work reports.
    pub async fn evaluation_data(
        &self,
        document_id: i64,
    ) -> StoreResult<(Vec<Observation>, Vec<AnnualTarget>)> {
        let doc = self.get_document(document_id).await?;
        self.data_for(&doc).await
    }

    async fn data_for(&self, doc: &Document) -> StoreResult<(Vec<Observation>, Vec<AnnualTarget>)> {
        let region = doc
            .summary
            .region_name
            .clone()
            .or(doc.plan.region.clone())
            .unwrap_or_default();
        // By the document's region id when it has one: a name can be shared.
        let rows = self
            .region_observations(
                doc.summary.region_id,
                Some(region.as_str()).filter(|r| !r.is_empty()),
            )
            .await?;
        let (obs, mut annual) = split(rows.iter().filter_map(|r| interpret(&r.data_row())));
        if let Some(region_id) = doc.summary.region_id {
            let stored = self.annual_targets_of(Some(region_id)).await?;
            annual.extend(stored.iter().map(annual_of_row));
        }
        Ok((obs, annual))
    }

    /// The evaluation of a stored plan for `year` (default: the latest year with data).
    pub async fn plan_status(
        &self,
        document_id: i64,
        year: Option<i32>,
        as_of: Option<jiff::civil::Date>,
    ) -> StoreResult<PlanEvaluation> {
        // One read of the document for both halves.
        let doc = self.get_document(document_id).await?;
        let (obs, annual) = self.data_for(&doc).await?;
        let plan = self.review(doc).await?;
        Ok(evaluate_plan(
            &plan,
            &obs,
            &annual,
            year,
            as_of.map(|d| d.to_string()),
        ))
    }
}

/// The items of the rows not rejected, as reviewed.
fn reviewed<R, T>(rows: Vec<R>, f: impl Fn(&R) -> (bool, StoreResult<T>)) -> StoreResult<Vec<T>> {
    rows.iter()
        .map(f)
        .filter(|(rejected, _)| !rejected)
        .map(|(_, item)| item)
        .collect()
}

fn annual_of_row(r: &AnnualTargetRow) -> AnnualTarget {
    AnnualTarget {
        indicator: r.indicator.clone(),
        year: i32::try_from(r.year).unwrap_or_default(),
        value: r.value,
        growth: r.kind == TargetKind::GrowthRate,
        comparator: r.comparator,
        reference: Some(format!("文档{}第{}行", r.document_id, r.line)),
        unit: r.unit.clone(),
        text: Some(r.text.clone()),
    }
}
