//! Evaluation from stored data: the reviewed plan (corrections applied, rejected
//! items dropped) and its region's observations and annual targets, handed to the
//! engine in `planwatch_core::eval`. No arithmetic here.

use planwatch_core::eval::input::{interpret, split};
use planwatch_core::eval::{AnnualTarget, Observation, PlanEvaluation, evaluate_plan};
use planwatch_core::plan::{
    Attribute, GrowthCell, Indicator, ItemSource, Plan, ProseTarget, TargetKind, ValueCell,
};
use planwatch_core::quantity::Comparator;
use serde::de::DeserializeOwned;

use crate::{AnnualTargetRow, Document, IndicatorRow, Store, StoreResult, TargetRow};

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
        plan.indicators = self
            .indicators_of(document_id)
            .await?
            .iter()
            .filter(|r| !r.rejected)
            .map(indicator_of_row)
            .collect();
        plan.targets = self
            .targets_of(document_id)
            .await?
            .iter()
            .filter(|r| !r.rejected)
            .map(target_of_row)
            .collect();
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
        as_of: Option<String>,
    ) -> StoreResult<PlanEvaluation> {
        // One read of the document for both halves.
        let doc = self.get_document(document_id).await?;
        let (obs, annual) = self.data_for(&doc).await?;
        let plan = self.review(doc).await?;
        Ok(evaluate_plan(&plan, &obs, &annual, year, as_of))
    }
}

/// A stored code (`binding`, `ge`) back to its enum; unknown codes become `None`.
fn from_code<T: DeserializeOwned>(code: Option<&str>) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(code?.to_string())).ok()
}

fn year(y: Option<i64>) -> Option<i32> {
    y.and_then(|y| i32::try_from(y).ok())
}

fn indicator_of_row(r: &IndicatorRow) -> Indicator {
    let cell = |y: Option<i64>, text: &Option<String>, value, comparator: Option<&str>, cum| {
        text.as_ref().map(|text| ValueCell {
            year: year(y),
            text: text.clone(),
            value,
            comparator: from_code::<Comparator>(comparator),
            cumulative: cum,
        })
    };
    let baseline_cumulative = r
        .baseline_text
        .as_deref()
        .is_some_and(|t| t.trim_start().starts_with('['));
    Indicator {
        page: None,
        parent: None,
        seq: None,
        line: usize::try_from(r.line).unwrap_or(0),
        source: from_code::<ItemSource>(Some(&r.source)).unwrap_or(ItemSource::Table),
        category: r.category.clone(),
        name: r.name.clone(),
        unit: r.unit.clone(),
        attribute: from_code::<Attribute>(r.attribute.as_deref()),
        baseline: cell(
            r.baseline_year,
            &r.baseline_text,
            r.baseline_value,
            None,
            baseline_cumulative,
        ),
        target: cell(
            r.target_year,
            &r.target_text,
            r.target_value,
            r.target_comparator.as_deref(),
            r.target_cumulative,
        ),
        growth: r.growth_text.as_ref().map(|text| GrowthCell {
            column: None,
            comparator: None,
            text: text.clone(),
            value: r.growth_value,
            cumulative: text.trim_start().starts_with('['),
        }),
    }
}

fn target_of_row(r: &TargetRow) -> ProseTarget {
    ProseTarget {
        page: None,
        line: usize::try_from(r.line).unwrap_or(0),
        text: r.text.clone(),
        indicator: r.indicator.clone(),
        value: r.value,
        unit: r.unit.clone(),
        year: year(r.year),
        comparator: from_code::<Comparator>(r.comparator.as_deref()),
        kind: from_code::<TargetKind>(Some(&r.kind)).unwrap_or(TargetKind::Level),
    }
}

fn annual_of_row(r: &AnnualTargetRow) -> AnnualTarget {
    AnnualTarget {
        indicator: r.indicator.clone(),
        year: year(Some(r.year)).unwrap_or_default(),
        value: r.value,
        growth: r.kind == "growth_rate",
        comparator: from_code::<Comparator>(r.comparator.as_deref()),
        reference: Some(format!("文档{}第{}行", r.document_id, r.line)),
        unit: r.unit.clone(),
        text: Some(r.text.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        assert_eq!(from_code::<Comparator>(Some("ge")), Some(Comparator::Ge));
        assert_eq!(
            from_code::<Comparator>(Some("approx")),
            Some(Comparator::Approx)
        );
        assert_eq!(
            from_code::<Attribute>(Some("binding")),
            Some(Attribute::Binding)
        );
        assert_eq!(
            from_code::<TargetKind>(Some("growth_rate")),
            Some(TargetKind::GrowthRate)
        );
        assert_eq!(from_code::<Comparator>(Some("nonsense")), None);
        assert_eq!(from_code::<Comparator>(None), None);
    }
}
