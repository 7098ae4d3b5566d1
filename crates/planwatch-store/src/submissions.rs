//! A department's progress reports and the planner's review of them.
//!
//! An editor of a department reports on a task (progress text and proposed status)
//! or an indicator (a value for a year), with evidence files, as a *submission*. The
//! submission changes nothing in the plan until a planner approves it: approval
//! writes the progress into the task, or the value as an observation, in the same
//! transaction that marks the submission approved. A returned submission stays on
//! record with the planner's note; the department reports again.
//!
//! States: `submitted` → `approved` | `returned`. Both transitions name the version
//! the reviewer saw, so two planners cannot decide one submission twice.

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::Code;
use planwatch_core::validate;

use crate::audit::record;
use crate::tasks::{bump_task_version, task_by_id_tx};
use crate::{ItemKind, Store, StoreError, StoreResult, TaskStatus, time};

/// Where a submission stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionState {
    /// 待审核.
    Submitted,
    /// 已通过.
    Approved,
    /// 已退回.
    Returned,
}

impl SubmissionState {
    /// Code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            SubmissionState::Submitted => "submitted",
            SubmissionState::Approved => "approved",
            SubmissionState::Returned => "returned",
        }
    }

    /// Label for people (from `planwatch_core::wording::labels`).
    pub fn label(self) -> &'static str {
        use planwatch_core::wording::{Domain, labels::known};
        known(Domain::SubmissionState, self.code())
    }

    /// Read a code.
    pub fn parse(s: &str) -> Option<SubmissionState> {
        [
            SubmissionState::Submitted,
            SubmissionState::Approved,
            SubmissionState::Returned,
        ]
        .into_iter()
        .find(|x| x.code() == s)
    }
}

/// A progress report to submit.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSubmission {
    /// `Task` or `Indicator`.
    pub item_kind: ItemKind,
    /// Row id of the task or indicator.
    pub item_id: i64,
    /// The reporting department.
    pub department_id: Option<i64>,
    /// What was done (进展情况).
    pub progress: String,
    /// Proposed task status (tasks only).
    pub task_status: Option<TaskStatus>,
    /// Year of the reported value (indicators only).
    pub year: Option<i64>,
    /// Reported value (indicators only).
    pub value: Option<f64>,
}

/// A file to attach as evidence. The caller hashes it (the store has no hashing).
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvidence {
    /// File name as uploaded.
    pub file_name: String,
    /// MIME type as uploaded.
    pub content_type: String,
    /// Hex SHA-256 of `bytes`.
    pub sha256: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// A stored submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    /// Row id.
    pub id: i64,
    /// Plan document.
    pub document_id: i64,
    /// `task` or `indicator`.
    pub item_kind: ItemKind,
    /// Row id of the item.
    pub item_id: i64,
    /// Reporting department.
    pub department_id: Option<i64>,
    /// What was done.
    pub progress: String,
    /// Proposed task status.
    pub task_status: Option<TaskStatus>,
    /// Year of the reported value.
    pub year: Option<i64>,
    /// Reported value.
    pub value: Option<f64>,
    /// Where it stands.
    pub state: SubmissionState,
    /// Who submitted.
    pub submitted_by: String,
    /// When.
    pub submitted_at: String,
    /// Who approved or returned it.
    pub reviewed_by: Option<String>,
    /// When.
    pub reviewed_at: Option<String>,
    /// The reviewer's note.
    pub review_note: Option<String>,
    /// Optimistic-locking version.
    pub version: i64,
}

/// An evidence file without its content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceFile {
    /// Row id.
    pub id: i64,
    /// Submission it belongs to.
    pub submission_id: i64,
    /// File name as uploaded.
    pub file_name: String,
    /// MIME type as uploaded.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// Hex SHA-256.
    pub sha256: String,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// When.
    pub uploaded_at: String,
}

const COLUMNS: &str = "id, document_id, item_kind, item_id, department_id, progress, task_status, \
     year, value, state, submitted_by, submitted_at, reviewed_by, reviewed_at, review_note, version";

const EVIDENCE_COLUMNS: &str =
    "id, submission_id, file_name, content_type, size, sha256, uploaded_by, uploaded_at";

fn from_row(r: &AnyRow) -> StoreResult<Submission> {
    let kind: String = r.try_get("item_kind")?;
    let state: String = r.try_get("state")?;
    let status: Option<String> = r.try_get("task_status")?;
    Ok(Submission {
        id: r.try_get("id")?,
        document_id: r.try_get("document_id")?,
        item_kind: ItemKind::parse(&kind)
            .ok_or_else(|| StoreError::Invalid(format!("未知的条目类型 {kind}")))?,
        item_id: r.try_get("item_id")?,
        department_id: r.try_get("department_id")?,
        progress: r.try_get("progress")?,
        task_status: status.as_deref().and_then(TaskStatus::parse),
        year: r.try_get("year")?,
        value: r.try_get("value")?,
        state: SubmissionState::parse(&state)
            .ok_or_else(|| StoreError::Invalid(format!("未知的审核状态 {state}")))?,
        submitted_by: r.try_get("submitted_by")?,
        submitted_at: r.try_get("submitted_at")?,
        reviewed_by: r.try_get("reviewed_by")?,
        reviewed_at: r.try_get("reviewed_at")?,
        review_note: r.try_get("review_note")?,
        version: r.try_get("version")?,
    })
}

fn evidence_from_row(r: &AnyRow) -> StoreResult<EvidenceFile> {
    Ok(EvidenceFile {
        id: r.try_get("id")?,
        submission_id: r.try_get("submission_id")?,
        file_name: r.try_get("file_name")?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        uploaded_by: r.try_get("uploaded_by")?,
        uploaded_at: r.try_get("uploaded_at")?,
    })
}

pub(crate) async fn submission_tx(conn: &mut AnyConnection, id: i64) -> StoreResult<Submission> {
    let sql = format!("SELECT {COLUMNS} FROM submissions WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound {
            entity: "submission",
            id,
        })?;
    from_row(&row)
}

fn check_evidence(e: &NewEvidence) -> StoreResult<()> {
    let name = e.file_name.trim();
    if name.is_empty()
        || name.len() > 255
        || name.contains(['/', '\\'])
        || name.chars().any(validate::is_hidden_char)
    {
        return Err(StoreError::Invalid(format!("证明材料文件名不合法：{name}")));
    }
    if e.sha256.len() != 64 || !e.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(StoreError::Invalid("证明材料哈希应为 SHA-256".into()));
    }
    if e.bytes.is_empty() {
        return Err(StoreError::Invalid(format!("证明材料 {name} 是空文件")));
    }
    Ok(())
}

pub(crate) async fn insert_evidence(
    conn: &mut AnyConnection,
    submission_id: i64,
    e: &NewEvidence,
    actor: &str,
) -> StoreResult<EvidenceFile> {
    use base64::Engine;
    check_evidence(e)?;
    let sql = format!(
        "INSERT INTO evidence_files (submission_id, file_name, content_type, size, sha256, \
         content_b64, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         RETURNING {EVIDENCE_COLUMNS}"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(submission_id)
        .bind(e.file_name.trim())
        .bind(&e.content_type)
        .bind(e.bytes.len() as i64)
        .bind(e.sha256.to_ascii_lowercase())
        .bind(base64::engine::general_purpose::STANDARD.encode(&e.bytes))
        .bind(actor)
        .bind(time::now())
        .fetch_one(&mut *conn)
        .await?;
    let file = evidence_from_row(&row)?;
    record(
        conn,
        actor,
        "evidence",
        Some(file.id),
        "insert",
        None,
        Some(&json!(file)),
    )
    .await?;
    Ok(file)
}

impl Store {
    /// Submit a progress report with its evidence, in one transaction.
    pub async fn submit_progress(
        &self,
        new: &NewSubmission,
        evidence: &[NewEvidence],
        actor: &str,
    ) -> StoreResult<Submission> {
        let progress =
            validate::text("进展情况", &new.progress, 5000, true).map_err(StoreError::Invalid)?;
        if progress.is_empty() {
            return Err(StoreError::Invalid("进展情况不能为空".into()));
        }
        if let Some(year) = new.year {
            validate::year("报送年份", year).map_err(StoreError::Invalid)?;
        }
        let table = match new.item_kind {
            ItemKind::Task => "tasks",
            ItemKind::Indicator => {
                if new.year.is_some() != new.value.is_some() {
                    return Err(StoreError::Invalid("报送数值需同时填写年份和数值".into()));
                }
                "indicators"
            }
            other => {
                return Err(StoreError::Invalid(format!(
                    "只能报送任务或指标的进展，不能报送 {}",
                    other.code()
                )));
            }
        };
        let mut tx = self.write_tx().await?;
        if let Some(value) = new.value {
            // The indicator's unit sets the plausible range (亿元 vs %).
            let unit: Option<(Option<String>,)> =
                sqlx::query_as("SELECT unit FROM indicators WHERE id = $1")
                    .bind(new.item_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let unit = unit.and_then(|(u,)| u);
            validate::value("报送数值", value, unit.as_deref()).map_err(StoreError::Invalid)?;
        }
        // `table` is one of two literals above.
        let sql = format!("SELECT document_id FROM {table} WHERE id = $1");
        let (document_id,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(new.item_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound {
                entity: new.item_kind.code(),
                id: new.item_id,
            })?;
        let sql = format!(
            "INSERT INTO submissions (document_id, item_kind, item_id, department_id, progress, \
             task_status, year, value, state, submitted_by, submitted_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'submitted', $9, $10) RETURNING {COLUMNS}"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(document_id)
            .bind(new.item_kind.code())
            .bind(new.item_id)
            .bind(new.department_id)
            .bind(&progress)
            .bind(new.task_status.map(TaskStatus::code))
            .bind(new.year)
            .bind(new.value)
            .bind(actor)
            .bind(time::now())
            .fetch_one(&mut *tx)
            .await?;
        let submission = from_row(&row)?;
        record(
            &mut tx,
            actor,
            "submission",
            Some(submission.id),
            "submit",
            None,
            Some(&json!(submission)),
        )
        .await?;
        for e in evidence {
            insert_evidence(&mut tx, submission.id, e, actor).await?;
        }
        tx.commit().await?;
        Ok(submission)
    }

    /// Attach another evidence file to a submission still waiting for review.
    pub async fn attach_evidence(
        &self,
        submission_id: i64,
        evidence: &NewEvidence,
        actor: &str,
    ) -> StoreResult<EvidenceFile> {
        let mut tx = self.write_tx().await?;
        let s = submission_tx(&mut tx, submission_id).await?;
        if s.state != SubmissionState::Submitted {
            return Err(StoreError::Invalid(format!(
                "报送 #{submission_id} 已{}，不能再添加材料",
                s.state.label()
            )));
        }
        let file = insert_evidence(&mut tx, submission_id, evidence, actor).await?;
        tx.commit().await?;
        Ok(file)
    }

    /// One submission.
    pub async fn submission(&self, id: i64) -> StoreResult<Submission> {
        let mut conn = self.pool().acquire().await?;
        submission_tx(&mut conn, id).await
    }

    /// Submissions of a plan, newest first; only those in `state` when given.
    pub async fn submissions_of(
        &self,
        document_id: i64,
        state: Option<SubmissionState>,
    ) -> StoreResult<Vec<Submission>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM submissions WHERE document_id = $1 AND ($2 IS NULL OR state = $2) \
             ORDER BY id DESC"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(document_id)
            .bind(state.map(SubmissionState::code))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// Submissions on one task or indicator, newest first.
    pub async fn submissions_for_item(
        &self,
        kind: ItemKind,
        item_id: i64,
    ) -> StoreResult<Vec<Submission>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM submissions WHERE item_kind = $1 AND item_id = $2 ORDER BY id DESC"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(kind.code())
            .bind(item_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// Evidence files of a submission.
    pub async fn evidence_of(&self, submission_id: i64) -> StoreResult<Vec<EvidenceFile>> {
        let sql = format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence_files WHERE submission_id = $1 ORDER BY id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(submission_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(evidence_from_row).collect()
    }

    /// One evidence file with its content.
    pub async fn evidence_content(&self, id: i64) -> StoreResult<(EvidenceFile, Vec<u8>)> {
        use base64::Engine;
        let sql =
            format!("SELECT {EVIDENCE_COLUMNS}, content_b64 FROM evidence_files WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound {
                entity: "evidence",
                id,
            })?;
        let file = evidence_from_row(&row)?;
        let text: String = row.try_get("content_b64")?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|e| StoreError::Invalid(format!("证明材料 #{id} 内容损坏：{e}")))?;
        Ok((file, bytes))
    }

    /// Approve a submission: a task takes its progress and status, an indicator gets
    /// its value as an observation (source 部门报送), a project report moves the
    /// project's status (see [`crate::project_reports`]), all in one transaction.
    pub async fn approve_submission(
        &self,
        id: i64,
        expected_version: i64,
        note: Option<&str>,
        actor: &str,
    ) -> StoreResult<Submission> {
        let mut tx = self.write_tx().await?;
        let before = decide(
            &mut tx,
            id,
            expected_version,
            SubmissionState::Approved,
            note,
            actor,
        )
        .await?;
        match before.item_kind {
            ItemKind::Task => {
                let task =
                    task_by_id_tx(&mut tx, before.item_id)
                        .await?
                        .ok_or(StoreError::NotFound {
                            entity: "task",
                            id: before.item_id,
                        })?;
                bump_task_version(&mut tx, task.id, task.version, actor).await?;
                let status = before.task_status.unwrap_or(task.status);
                sqlx::query("UPDATE tasks SET progress = $1, status = $2 WHERE id = $3")
                    .bind(&before.progress)
                    .bind(status.code())
                    .bind(task.id)
                    .execute(&mut *tx)
                    .await?;
                let after = task_by_id_tx(&mut tx, task.id).await?;
                record(
                    &mut tx,
                    actor,
                    "task",
                    Some(task.id),
                    "progress",
                    Some(&json!(task)),
                    Some(&json!(after)),
                )
                .await?;
            }
            ItemKind::Indicator => {
                if let (Some(year), Some(value)) = (before.year, before.value) {
                    insert_reported_observation(&mut tx, &before, year, value, actor).await?;
                }
            }
            ItemKind::Project => {
                crate::project_reports::approve_tx(&mut tx, &before, actor).await?
            }
            _ => {}
        }
        let after = submission_tx(&mut tx, id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Return a submission to its department with a note; nothing else changes.
    pub async fn return_submission(
        &self,
        id: i64,
        expected_version: i64,
        note: &str,
        actor: &str,
    ) -> StoreResult<Submission> {
        if note.trim().is_empty() {
            return Err(StoreError::Invalid("退回时请说明理由".into()));
        }
        let mut tx = self.write_tx().await?;
        decide(
            &mut tx,
            id,
            expected_version,
            SubmissionState::Returned,
            Some(note),
            actor,
        )
        .await?;
        let after = submission_tx(&mut tx, id).await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// Move a waiting submission to `state` if it is still at `expected_version`; returns
/// the submission as it was.
async fn decide(
    conn: &mut AnyConnection,
    id: i64,
    expected_version: i64,
    state: SubmissionState,
    note: Option<&str>,
    actor: &str,
) -> StoreResult<Submission> {
    let before = submission_tx(conn, id).await?;
    if before.version != expected_version {
        return Err(StoreError::Conflict {
            entity: "submission",
            id,
            expected: expected_version,
            actual: before.version,
        });
    }
    if before.state != SubmissionState::Submitted {
        return Err(StoreError::Invalid(format!(
            "报送 #{id} 已{}，不能再审核",
            before.state.label()
        )));
    }
    let done = sqlx::query(
        "UPDATE submissions SET state = $1, reviewed_by = $2, reviewed_at = $3, review_note = $4, \
         version = version + 1 WHERE id = $5 AND version = $6",
    )
    .bind(state.code())
    .bind(actor)
    .bind(time::now())
    .bind(note.map(str::trim).filter(|n| !n.is_empty()))
    .bind(id)
    .bind(expected_version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict {
            entity: "submission",
            id,
            expected: expected_version,
            actual: expected_version + 1,
        });
    }
    let after = submission_tx(conn, id).await?;
    let action = match state {
        SubmissionState::Approved => "approve",
        _ => "return",
    };
    record(
        conn,
        actor,
        "submission",
        Some(id),
        action,
        Some(&json!(before)),
        Some(&json!(after)),
    )
    .await?;
    Ok(before)
}

/// An approved indicator report becomes an observation of the plan's region.
async fn insert_reported_observation(
    conn: &mut AnyConnection,
    s: &Submission,
    year: i64,
    value: f64,
    actor: &str,
) -> StoreResult<()> {
    let (name, unit, region_id, region_name): (
        String,
        Option<String>,
        Option<i64>,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT i.name, i.unit, d.region_id, d.region_name FROM indicators i \
             JOIN documents d ON d.id = i.document_id WHERE i.id = $1",
    )
    .bind(s.item_id)
    .fetch_one(&mut *conn)
    .await?;
    // A submission stored before submissions were checked must not become an observation.
    validate::year("报送年份", year).map_err(StoreError::Invalid)?;
    validate::value("报送数值", value, unit.as_deref()).map_err(StoreError::Invalid)?;
    let now = time::now();
    let (obs_id,): (i64,) = sqlx::query_as(
        "INSERT INTO observations (region_id, region_name, indicator, year, value, unit, kind, source, \
         source_url, note, vintage, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, 'level', '部门报送', $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(region_id)
    .bind(region_name.unwrap_or_default())
    .bind(&name)
    .bind(year)
    .bind(value)
    .bind(unit)
    .bind(format!("submission:{}", s.id))
    .bind(&s.progress)
    .bind(time::today())
    .bind(&now)
    .bind(actor)
    .fetch_one(&mut *conn)
    .await?;
    let after = json!({"indicator": name, "year": year, "value": value, "submission_id": s.id});
    record(
        conn,
        actor,
        "observation",
        Some(obs_id),
        "insert",
        None,
        Some(&after),
    )
    .await?;
    Ok(())
}
