//! Documents: ingest a parsed plan with all its items, list and read them back.

use planwatch_core::plan::Plan;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::record;
use crate::corrections::{active_for_lineage, apply, record_not_applied};
use crate::directory::{create_region_tx, region_by_code_tx, regions_by_name_tx};
use crate::items::insert_items;
use crate::publication::put_text;
use crate::schema::Stored;
use crate::tasks::{carry_over, insert_tasks};
use crate::{
    Code, Document, DocumentSummary, IngestOutcome, NewRegion, Store, StoreError, StoreResult,
    keys, time,
};

macro_rules! summary_columns {
    () => {
        "id, sha256, path, format, encoding, doc_type, title, region_id, region_name, period_start, \
         period_end, lineage, supersedes_id, ingested_at, ingested_by, version"
    };
}

fn summary_from_row(r: &AnyRow) -> StoreResult<DocumentSummary> {
    Ok(DocumentSummary {
        id: r.try_get("id")?,
        sha256: r.try_get("sha256")?,
        path: r.try_get("path")?,
        format: r.try_get("format")?,
        encoding: r.try_get("encoding")?,
        doc_type: Stored::read(r, "doc_type")?,
        title: r.try_get("title")?,
        region_id: r.try_get("region_id")?,
        region_name: r.try_get("region_name")?,
        period_start: r.try_get("period_start")?,
        period_end: r.try_get("period_end")?,
        lineage: r.try_get("lineage")?,
        supersedes_id: r.try_get("supersedes_id")?,
        ingested_at: r.try_get("ingested_at")?,
        ingested_by: r.try_get("ingested_by")?,
        version: r.try_get("version")?,
    })
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Store {
    /// Store a parsed document with its decoded text, outline, indicators, targets,
    /// projects, tasks and annual targets, in one transaction: the one ingest call of
    /// the CLI, the web upload and the demo.
    ///
    /// `text` is the decoded text the plan's line numbers count (from
    /// `planwatch_parse::parse_bytes_with_text`), kept so pages can show source lines;
    /// an empty text (a plan built in memory) stores none.
    ///
    /// Idempotent by `plan.source.sha256` (of the file bytes): the same file again
    /// changes nothing.
    /// `region_code` registers the document under that region (created if new, named
    /// after the plan's region). A document of a lineage already stored (same region,
    /// type and period) supersedes the earlier one: task assignments and progress carry
    /// over by item key, and every stored correction is applied again; the outcome says
    /// which corrections no longer apply.
    pub async fn ingest_document(
        &self,
        plan: &Plan,
        text: &str,
        region_code: Option<&str>,
        actor: &str,
    ) -> StoreResult<IngestOutcome> {
        let sha256 = plan.source.sha256.as_str();
        match self.ingest_once(plan, text, region_code, actor).await {
            // Two processes ingesting the same file at once: the loser of the race on the
            // unique hash sees the winner's document, as if it had come second.
            Err(StoreError::Db(sqlx::Error::Database(e))) if e.is_unique_violation() => {
                match self.document_by_sha256(sha256).await? {
                    Some(doc) => Ok(IngestOutcome {
                        document_id: doc.id,
                        already_present: true,
                        supersedes: None,
                        corrections: Vec::new(),
                    }),
                    None => Err(StoreError::Db(sqlx::Error::Database(e))),
                }
            }
            other => other,
        }
    }

    async fn ingest_once(
        &self,
        plan: &Plan,
        text: &str,
        region_code: Option<&str>,
        actor: &str,
    ) -> StoreResult<IngestOutcome> {
        let sha256 = plan.source.sha256.as_str();
        if !is_sha256(sha256) {
            return Err(StoreError::Invalid(format!(
                "文件哈希 {sha256} 不是 SHA-256 十六进制串"
            )));
        }
        let sha256 = sha256.to_ascii_lowercase();
        let mut tx = self.write_tx().await?;
        let existing: Option<(i64,)> = sqlx::query_as("SELECT id FROM documents WHERE sha256 = $1")
            .bind(&sha256)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some((id,)) = existing {
            tx.rollback().await?;
            return Ok(IngestOutcome {
                document_id: id,
                already_present: true,
                supersedes: None,
                corrections: Vec::new(),
            });
        }

        let region = match region_code {
            Some(code) => match region_by_code_tx(&mut tx, code).await? {
                Some(r) => Some(r),
                None => {
                    let name = plan.region.clone().unwrap_or_else(|| code.to_string());
                    let new = NewRegion {
                        code: code.to_string(),
                        name,
                        ..NewRegion::default()
                    };
                    Some(create_region_tx(&mut tx, &new, actor).await?)
                }
            },
            // A name is an identity only when exactly one region has it.
            None => match &plan.region {
                Some(name) => {
                    let mut named = regions_by_name_tx(&mut tx, name).await?;
                    if named.len() > 1 {
                        let codes: Vec<&str> = named.iter().map(|r| r.code.as_str()).collect();
                        return Err(StoreError::Invalid(format!(
                            "{}：规划地区“{name}”对应多个地区（{}），请指定区划代码（命令行 --region）",
                            plan.source.path,
                            codes.join("、")
                        )));
                    }
                    named.pop()
                }
                None => None,
            },
        };
        let region_id = region.as_ref().map(|r| r.id);
        let region_name = plan
            .region
            .clone()
            .or_else(|| region.as_ref().map(|r| r.name.clone()));
        let doc_type = plan.doc_type.code();
        let lineage_region = region
            .as_ref()
            .map(|r| r.code.clone())
            .or_else(|| plan.region.clone());
        let lineage = keys::lineage(
            lineage_region.as_deref(),
            doc_type,
            plan.period.map(|p| p.start),
            &plan.source.path,
        );
        let previous: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM documents WHERE lineage = $1 ORDER BY id DESC LIMIT 1")
                .bind(&lineage)
                .fetch_optional(&mut *tx)
                .await?;
        let supersedes = previous.map(|(id,)| id);

        let (document_id,): (i64,) = sqlx::query_as(
            "INSERT INTO documents (sha256, path, format, encoding, doc_type, title, region_id, region_name, \
             period_start, period_end, lineage, supersedes_id, parse_json, diagnostics_json, ingested_at, ingested_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
        )
        .bind(&sha256)
        .bind(&plan.source.path)
        .bind(&plan.source.format)
        .bind(&plan.source.encoding)
        .bind(doc_type)
        .bind(&plan.title)
        .bind(region_id)
        .bind(&region_name)
        .bind(plan.period.map(|p| i64::from(p.start)))
        .bind(plan.period.map(|p| i64::from(p.end)))
        .bind(&lineage)
        .bind(supersedes)
        .bind(serde_json::to_string(plan)?)
        .bind(serde_json::to_string(&plan.diagnostics)?)
        .bind(time::now())
        .bind(actor)
        .fetch_one(&mut *tx)
        .await?;

        if !text.is_empty() {
            put_text(&mut tx, document_id, text, actor).await?;
        }
        insert_items(&mut tx, document_id, region_id, plan).await?;
        let task_count = insert_tasks(&mut tx, document_id, region_id, plan, actor).await?;
        if let Some(prev) = supersedes {
            carry_over(&mut tx, document_id, prev).await?;
            crate::projects::carry_over(&mut tx, document_id, prev, actor).await?;
        }
        let after = json!({
            "sha256": sha256, "path": plan.source.path, "doc_type": doc_type, "lineage": lineage,
            "region_id": region_id, "supersedes_id": supersedes,
            "headings": plan.outline.len(), "indicators": plan.indicators.len(),
            "targets": plan.targets.len(), "projects": plan.projects.len(), "tasks": task_count,
            "diagnostics": plan.diagnostics.len(),
        });
        record(
            &mut tx,
            actor,
            "document",
            Some(document_id),
            "ingest",
            None,
            Some(&after),
        )
        .await?;

        let mut results = Vec::new();
        for c in active_for_lineage(&mut tx, &lineage).await? {
            let r = apply(&mut tx, document_id, &c, actor).await?;
            if !r.applied {
                record_not_applied(&mut tx, document_id, &r).await?;
            }
            results.push(r);
        }
        tx.commit().await?;
        Ok(IngestOutcome {
            document_id,
            already_present: false,
            supersedes,
            corrections: results,
        })
    }

    /// Every stored document, newest first.
    pub async fn list_documents(&self) -> StoreResult<Vec<DocumentSummary>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            summary_columns!(),
            " FROM documents ORDER BY id DESC"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(summary_from_row).collect()
    }

    /// One document's row without its parse output.
    pub async fn document_summary(&self, id: i64) -> StoreResult<DocumentSummary> {
        let row = sqlx::query(concat!(
            "SELECT ",
            summary_columns!(),
            " FROM documents WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound {
            entity: "document",
            id,
        })?;
        summary_from_row(&row)
    }

    /// One document with its parse output as ingested.
    pub async fn get_document(&self, id: i64) -> StoreResult<Document> {
        let row = sqlx::query(concat!(
            "SELECT ",
            summary_columns!(),
            ", parse_json FROM documents WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound {
            entity: "document",
            id,
        })?;
        let summary = summary_from_row(&row)?;
        let json: String = row.try_get("parse_json")?;
        let plan: Plan = serde_json::from_str(&json)?;
        Ok(Document { summary, plan })
    }

    /// The document stored for a file hash, if any.
    pub async fn document_by_sha256(&self, sha256: &str) -> StoreResult<Option<DocumentSummary>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            summary_columns!(),
            " FROM documents WHERE sha256 = $1"
        ))
        .bind(sha256.to_ascii_lowercase())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(summary_from_row).transpose()
    }
}
