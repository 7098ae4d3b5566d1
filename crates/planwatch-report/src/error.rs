//! What can go wrong while building or writing a report or a ledger, typed so that
//! callers answer a missing plan differently from a failure on our side (the web
//! application: 404 against 500).

use planwatch_store::StoreError;

/// A report or ledger error; the message is for people (zh-CN).
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// No stored plan with this id.
    #[error("找不到规划文档 #{0}")]
    PlanNotFound(i64),
    /// The plan states no period and no indicator gives one.
    #[error("规划文档 #{0} 未写明规划期，也没有带基期和目标年份的指标，无法生成评估报告")]
    NoPeriod(i64),
    /// The store failed.
    #[error("读取数据失败：{0}")]
    Store(#[from] StoreError),
    /// The workbook could not be written.
    #[error("无法生成工作簿：{0}")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    /// A chart could not be rasterized.
    #[error("{0}")]
    Chart(String),
    /// The DOCX package could not be written.
    #[error("无法生成 Word 文档：{0}")]
    Docx(String),
}

impl ReportError {
    /// Whether the error means "no such plan" rather than a failure.
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            ReportError::PlanNotFound(_) | ReportError::Store(StoreError::NotFound { .. })
        )
    }
}

/// The document of a plan, or [`ReportError::PlanNotFound`].
pub(crate) async fn plan_document(
    store: &planwatch_store::Store,
    plan_id: i64,
) -> Result<planwatch_store::Document, ReportError> {
    store.get_document(plan_id).await.map_err(|e| match e {
        StoreError::NotFound { .. } => ReportError::PlanNotFound(plan_id),
        other => ReportError::Store(other),
    })
}
