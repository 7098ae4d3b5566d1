//! Rows the store hands out and the inputs it takes.

use planwatch_core::codes::Code;
use planwatch_core::eval::input::DataRow;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An administrative region (province, city, county, district) with its validity period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Region {
    /// Row id.
    pub id: i64,
    /// Administrative division code (430602).
    pub code: String,
    /// Name (岳阳楼区).
    pub name: String,
    /// Level (province, city, county).
    pub level: Option<String>,
    /// The region this one belongs to.
    pub parent_id: Option<i64>,
    /// The region that replaced this one (株洲县 → 渌口区).
    pub successor_id: Option<i64>,
    /// First day of validity (YYYY-MM-DD), if known.
    pub valid_from: Option<String>,
    /// Last day of validity, if the region was abolished or renamed.
    pub valid_to: Option<String>,
    /// Optimistic-locking version.
    pub version: i64,
}

/// A region to create.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewRegion {
    /// Administrative division code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Level (province, city, county).
    pub level: Option<String>,
    /// Code of the parent region, which must exist.
    pub parent_code: Option<String>,
    /// First day of validity.
    pub valid_from: Option<String>,
    /// Last day of validity.
    pub valid_to: Option<String>,
}

/// A department (区发改局) of a region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Department {
    /// Row id.
    pub id: i64,
    /// Region, if the department belongs to one.
    pub region_id: Option<i64>,
    /// Name.
    pub name: String,
    /// Optimistic-locking version.
    pub version: i64,
}

/// A user account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// Row id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Name shown to others.
    pub display_name: String,
    /// Password hash (argon2id PHC string), set by the server.
    pub password_hash: Option<String>,
    /// Global role (admin, planner, editor, viewer).
    pub role: String,
    /// Whether the account may log in.
    pub active: bool,
    /// Creation time.
    pub created_at: String,
    /// Optimistic-locking version.
    pub version: i64,
}

/// A grant of a role on a department or region to a user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grant {
    /// Row id.
    pub id: i64,
    /// Grantee.
    pub user_id: i64,
    /// Department the grant covers.
    pub department_id: Option<i64>,
    /// Region the grant covers.
    pub region_id: Option<i64>,
    /// Role within that scope.
    pub role: String,
    /// Creation time.
    pub created_at: String,
    /// Optimistic-locking version.
    pub version: i64,
}

/// A stored document without its parse output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentSummary {
    /// Row id (the plan ID of the CLI).
    pub id: i64,
    /// Hex SHA-256 of the file bytes.
    pub sha256: String,
    /// Path as given at ingest.
    pub path: String,
    /// Input format (txt, html, docx).
    pub format: String,
    /// Character encoding used to decode it.
    pub encoding: String,
    /// Document type.
    pub doc_type: planwatch_core::plan::DocType,
    /// Title.
    pub title: Option<String>,
    /// Region row, if known.
    pub region_id: Option<i64>,
    /// Region name as stated or as registered.
    pub region_name: Option<String>,
    /// First year of the plan period.
    pub period_start: Option<i64>,
    /// Last year of the plan period.
    pub period_end: Option<i64>,
    /// What revisions of the same document share (see [`crate::keys::lineage`]).
    pub lineage: String,
    /// The earlier ingest of the same lineage this one replaces.
    pub supersedes_id: Option<i64>,
    /// When it was ingested.
    pub ingested_at: String,
    /// Who ingested it.
    pub ingested_by: String,
    /// Optimistic-locking version.
    pub version: i64,
}

/// A stored document with its parse output.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The row.
    pub summary: DocumentSummary,
    /// The parse output as ingested (the original extraction).
    pub plan: planwatch_core::plan::Plan,
}

/// What an ingest did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IngestOutcome {
    /// The document row.
    pub document_id: i64,
    /// True if a file with the same hash was already stored (nothing changed).
    pub already_present: bool,
    /// The earlier ingest of the same document this one replaces.
    pub supersedes: Option<i64>,
    /// Stored corrections of this lineage and whether each still applied.
    pub corrections: Vec<CorrectionResult>,
}

impl IngestOutcome {
    /// Corrections that no longer apply to the new text.
    pub fn not_applied(&self) -> impl Iterator<Item = &CorrectionResult> {
        self.corrections.iter().filter(|c| !c.applied)
    }
}

/// Progress status of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// 未开始.
    NotStarted,
    /// 推进中.
    InProgress,
    /// 已完成.
    Done,
    /// 滞后.
    Delayed,
}

planwatch_core::codes!(TaskStatus {
    NotStarted => "not_started", InProgress => "in_progress", Done => "done", Delayed => "delayed",
});

impl TaskStatus {
    /// Label for people (from `planwatch_core::wording::labels`).
    pub fn label(self) -> &'static str {
        use planwatch_core::wording::{Domain, labels::known};
        known(Domain::TaskStatus, self.code())
    }

    /// Read a code or a label.
    pub fn parse(s: &str) -> Option<TaskStatus> {
        TaskStatus::ALL
            .iter()
            .copied()
            .find(|t| t.code() == s || t.label() == s)
    }
}

/// An annual target (from a work report or annual plan).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnualTargetRow {
    /// Row id.
    pub id: i64,
    /// Document it was read from.
    pub document_id: i64,
    /// Region.
    pub region_id: Option<i64>,
    /// Year the target is set for.
    pub year: i64,
    /// Indicator as written.
    pub indicator: String,
    /// Number.
    pub value: f64,
    /// Unit.
    pub unit: Option<String>,
    /// Comparator.
    pub comparator: Option<planwatch_core::quantity::Comparator>,
    /// Kind.
    pub kind: planwatch_core::plan::TargetKind,
    /// The clause.
    pub text: String,
    /// Source line.
    pub line: i64,
}

pub use planwatch_core::actuals::{DataKind, NewObservation};

/// A stored observation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// Row id.
    pub id: i64,
    /// Import batch.
    pub import_id: Option<i64>,
    /// Region row, if the region is registered.
    pub region_id: Option<i64>,
    /// Region as written.
    pub region_name: String,
    /// Indicator as written.
    pub indicator: String,
    /// Canonical indicator name, once matched.
    pub canonical_name: Option<String>,
    /// Year.
    pub year: i64,
    /// First year of a period average.
    pub year_from: Option<i64>,
    /// Value.
    pub value: f64,
    /// Unit.
    pub unit: Option<String>,
    /// What the value is.
    pub kind: DataKind,
    /// Source.
    pub source: String,
    /// Source URL.
    pub source_url: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Release date.
    pub vintage: String,
    /// Stored at.
    pub created_at: String,
    /// Stored by.
    pub created_by: String,
    /// Optimistic-locking version.
    pub version: i64,
}

impl Observation {
    /// The row as the evaluation engine reads it (see [`planwatch_core::eval::input::interpret`]).
    pub fn data_row(&self) -> DataRow<'_> {
        DataRow {
            indicator: &self.indicator,
            // Out of i32 range means out of every sane range: saturate, never wrap into it.
            year: i32::try_from(self.year).unwrap_or(i32::MAX),
            year_from: self.year_from.map(|y| i32::try_from(y).unwrap_or(i32::MAX)),
            value: self.value,
            unit: self.unit.as_deref(),
            kind: self.kind.code(),
            source: Some(&self.source),
            reference: self.source_url.as_deref(),
            note: self.note.as_deref(),
            vintage: &self.vintage,
        }
    }
}

/// The file an import comes from; its hash makes the import idempotent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportBatch {
    /// File name.
    pub file_name: String,
    /// Hex SHA-256 of the file bytes.
    pub sha256: String,
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportOutcome {
    /// Stored `rows` observations under import `import_id`.
    Imported {
        /// Import row.
        import_id: i64,
        /// Observations stored.
        rows: usize,
    },
    /// The same file was imported before; nothing stored.
    AlreadyImported {
        /// The earlier import.
        import_id: i64,
    },
}

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Row id.
    pub id: i64,
    /// Who.
    pub actor: String,
    /// When.
    pub at: String,
    /// Which table or entity.
    pub entity: String,
    /// Which row.
    pub entity_id: Option<i64>,
    /// What (insert, update, ingest, correct, …).
    pub action: String,
    /// The row before.
    pub before: Option<Value>,
    /// The row after.
    pub after: Option<Value>,
}

/// The kinds of extracted item a reviewer can correct.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// An outline heading.
    Heading,
    /// An indicator.
    Indicator,
    /// A prose target.
    Target,
    /// A task.
    Task,
    /// A key project.
    Project,
}

planwatch_core::codes!(ItemKind {
    Heading => "heading", Indicator => "indicator", Target => "target", Task => "task", Project => "project",
});

impl ItemKind {
    /// Read a code.
    pub fn parse(s: &str) -> Option<ItemKind> {
        ItemKind::from_code(s)
    }

    /// What people call it (指标).
    pub fn label(self) -> &'static str {
        crate::schema::schema(self).label
    }
}

/// What a correction does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CorrectionAction {
    /// Set fields (column name → new value, e.g. `name`, `target_value`).
    Edit {
        /// New values.
        fields: serde_json::Map<String, Value>,
    },
    /// The item is wrong (not a heading, not a target): hide it, keep the original.
    Reject,
    /// Split a task into several.
    Split {
        /// Text of each part.
        parts: Vec<String>,
    },
    /// Merge other tasks (by item key) into this one.
    Merge {
        /// Item keys of the tasks merged into this one.
        others: Vec<String>,
        /// New text of the merged task, if it changes.
        text: Option<String>,
    },
}

/// A stored correction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Correction {
    /// Row id.
    pub id: i64,
    /// Document lineage it applies to.
    pub lineage: String,
    /// Item kind.
    pub item_kind: ItemKind,
    /// Item key.
    pub item_key: String,
    /// What it does.
    pub action: CorrectionAction,
    /// For an edit, the values the edited fields had when the correction was made;
    /// a re-parse that extracts something else makes the correction stale.
    pub expect: serde_json::Map<String, Value>,
    /// Why.
    pub reason: Option<String>,
    /// active or withdrawn.
    pub status: String,
    /// Who.
    pub created_by: String,
    /// When.
    pub created_at: String,
    /// Optimistic-locking version.
    pub version: i64,
}

/// Whether a stored correction applied to a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrectionResult {
    /// Correction.
    pub correction_id: i64,
    /// Item kind.
    pub item_kind: ItemKind,
    /// Item key.
    pub item_key: String,
    /// True if applied.
    pub applied: bool,
    /// Why not, or what it did (zh-CN).
    pub message: String,
}

/// Counts of a backup or restore.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BackupSummary {
    /// (table, rows) in dump order.
    pub tables: Vec<(String, u64)>,
}

impl BackupSummary {
    /// Rows over all tables.
    pub fn total_rows(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}
