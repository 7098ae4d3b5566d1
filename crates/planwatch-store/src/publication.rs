//! What the web pages need about a document beyond its items: whether it is public,
//! and the decoded text its line numbers refer to.

use serde_json::json;
use sqlx::AnyConnection;

use crate::audit::record;
use crate::{Store, StoreError, StoreResult, time};

impl Store {
    /// Switch a plan's public read-only view on or off.
    pub async fn set_public(&self, document_id: i64, public: bool, actor: &str) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM documents WHERE id = $1")
            .bind(document_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound {
                entity: "document",
                id: document_id,
            });
        }
        let before: Option<(i64,)> =
            sqlx::query_as("SELECT public FROM publications WHERE document_id = $1")
                .bind(document_id)
                .fetch_optional(&mut *tx)
                .await?;
        let flag = i64::from(public);
        let now = time::now();
        if before.is_some() {
            sqlx::query(
                "UPDATE publications SET public = $1, changed_by = $2, changed_at = $3, \
                 version = version + 1 WHERE document_id = $4",
            )
            .bind(flag)
            .bind(actor)
            .bind(&now)
            .bind(document_id)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query(
                "INSERT INTO publications (document_id, public, changed_by, changed_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(document_id)
            .bind(flag)
            .bind(actor)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        let before = before.map(|(p,)| json!({"public": p != 0}));
        record(
            &mut tx,
            actor,
            "document",
            Some(document_id),
            "publish",
            before.as_ref(),
            Some(&json!({"public": public})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether a plan is public.
    pub async fn is_public(&self, document_id: i64) -> StoreResult<bool> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT public FROM publications WHERE document_id = $1")
                .bind(document_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.is_some_and(|(p,)| p != 0))
    }

    /// Ids of the public plans.
    pub async fn public_documents(&self) -> StoreResult<Vec<i64>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT document_id FROM publications WHERE public = 1 ORDER BY document_id",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Keep the decoded text of a document (the text its line numbers count), replacing
    /// any earlier one.
    pub async fn set_document_text(
        &self,
        document_id: i64,
        text: &str,
        actor: &str,
    ) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        put_text(&mut tx, document_id, text, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The 1-based line each page of a paged document (PDF) starts on, from the stored
    /// parse. Empty for TXT, HTML and DOCX, and for documents parsed before pages existed.
    pub async fn document_page_starts(&self, document_id: i64) -> StoreResult<Vec<usize>> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT parse_json FROM documents WHERE id = $1")
                .bind(document_id)
                .fetch_optional(self.pool())
                .await?;
        let Some(plan) =
            row.and_then(|(json,)| serde_json::from_str::<planwatch_core::plan::Plan>(&json).ok())
        else {
            return Ok(Vec::new());
        };
        Ok(plan.source.page_starts)
    }

    /// The decoded text of a document, if it was kept.
    pub async fn document_text(&self, document_id: i64) -> StoreResult<Option<String>> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT text FROM document_texts WHERE document_id = $1")
                .bind(document_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map(|(t,)| t))
    }
}

/// Keep a document's decoded text (replacing an earlier one) and its search rows,
/// audited, inside the caller's transaction.
pub(crate) async fn put_text(
    conn: &mut AnyConnection,
    document_id: i64,
    text: &str,
    actor: &str,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM document_texts WHERE document_id = $1")
        .bind(document_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO document_texts (document_id, text) VALUES ($1, $2)")
        .bind(document_id)
        .bind(text)
        .execute(&mut *conn)
        .await?;
    crate::search::index_text(conn, document_id, text).await?;
    let after = json!({"lines": text.lines().count(), "bytes": text.len()});
    record(
        conn,
        actor,
        "document",
        Some(document_id),
        "text",
        None,
        Some(&after),
    )
    .await
}
