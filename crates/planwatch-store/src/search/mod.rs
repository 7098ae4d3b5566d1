//! Full-text search over the documents' text: one indexed row per non-blank source line
//! (`search_lines`), written with the text and deleted with the document.
//!
//! SQLite: FTS5 with the trigram tokenizer (`search_fts`), ranked by bm25; terms of one or
//! two characters (`5G`, `能耗`), which trigrams cannot find, are matched by `LIKE` on the
//! same rows. PostgreSQL: `ILIKE` on every term, served by a pg_trgm GIN index when the
//! extension can be had (`trigram_index`), a scan otherwise. Without bm25 (PostgreSQL, or
//! only short terms) shorter lines rank first: a heading naming the words before a long
//! paragraph mentioning them. Every value from the user is bound, never spliced.

pub mod query;

use planwatch_core::plan::DocType;
use planwatch_core::validate;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use crate::batch::{Val, insert_rows};
use crate::schema::Stored;
use crate::{Backend, Code, Store, StoreError, StoreResult};
pub use query::Fragment;

/// Hits returned at most by one search.
pub const MAX_LIMIT: usize = 200;

/// Newest lines read to tell whether a single character is common (see
/// `Store::common_character`).
const COMMON_PROBE: i64 = 5000;
/// Lines counted and ranked at most: past it a search says "more than this many" and
/// ranks the newest lines indexed (the documents ingested last).
pub const MAX_COUNTED: usize = 1000;

/// What a search is limited to besides its words.
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    /// Only documents of the region with this code.
    pub region: Option<String>,
    /// Only documents of this type.
    pub doc_type: Option<DocType>,
    /// Only documents whose period includes this year.
    pub year: Option<i32>,
    /// Only these documents (those the viewer may read); `None` for every document.
    pub documents: Option<Vec<i64>>,
    /// Only the lines an indicator of this name was read from: the name as written in
    /// a plan or the catalogue's name (an alias of the catalogue finds its indicator).
    pub indicator: Option<String>,
    /// Also the versions a newer upload of the same document superseded (by default
    /// only the current versions are searched).
    pub all_versions: bool,
}

/// One line found.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    /// The document.
    pub document_id: i64,
    /// Its title.
    pub title: Option<String>,
    /// Its region's code, if registered under one.
    pub region_code: Option<String>,
    /// Its region's name.
    pub region_name: Option<String>,
    /// Its type.
    pub doc_type: DocType,
    /// First year of its period.
    pub period_start: Option<i64>,
    /// Last year of its period.
    pub period_end: Option<i64>,
    /// The 1-based line of the document's text.
    pub line: i64,
    /// The line (cut around the hits when long), hits marked.
    pub fragments: Vec<Fragment>,
    /// The document is an old version: a newer upload of it supersedes it.
    pub superseded: bool,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// The terms searched (all of them on one line).
    pub terms: Vec<String>,
    /// Lines matching, in all, counted up to [`MAX_COUNTED`].
    pub total: i64,
    /// More lines match than `total` (the count stopped at [`MAX_COUNTED`]).
    pub more: bool,
    /// The hits asked for, best first.
    pub hits: Vec<SearchHit>,
}

impl Store {
    /// Lines of the documents' text holding every term of `query`, best first, at most
    /// `limit` (1 to [`MAX_LIMIT`]). A query that cannot be searched (empty, too long,
    /// hidden characters) or a year out of range is `StoreError::Invalid` in Chinese.
    pub async fn search(
        &self,
        query: &str,
        filter: &SearchFilter,
        limit: usize,
    ) -> StoreResult<SearchResults> {
        self.search_from(query, filter, 0, limit).await
    }

    /// [`Store::search`] from the `offset`-th hit on (0 for the best), for pages.
    pub async fn search_from(
        &self,
        query: &str,
        filter: &SearchFilter,
        offset: usize,
        limit: usize,
    ) -> StoreResult<SearchResults> {
        let terms = query::terms(query).map_err(StoreError::Invalid)?;
        if let Some(y) = filter.year {
            validate::year("年份", i64::from(y)).map_err(StoreError::Invalid)?;
        }
        let limit = limit.clamp(1, MAX_LIMIT);
        let mut sql = Sql::default();
        let Some(matching) = self.matching(&mut sql, &terms).await? else {
            return Ok(SearchResults {
                terms,
                total: 0,
                more: false,
                hits: Vec::new(),
            });
        };
        // The superseded versions, read first (a few ids): the candidates leave them out
        // unless all versions are asked for, and the hits are marked with them. A
        // subquery per line in the statement cost about 250 ms on 3,000 documents.
        let superseded: Vec<i64> = sqlx::query_scalar(
            "SELECT supersedes_id FROM documents WHERE supersedes_id IS NOT NULL",
        )
        .fetch_all(self.pool())
        .await?;
        let left_out: &[i64] = if filter.all_versions {
            &[]
        } else {
            &superseded
        };
        let candidates = sql.candidates(self.backend(), matching, filter, left_out);
        // The newest MAX_COUNTED candidates ranked, the page's lines read with their text.
        let select = format!(
            "WITH c AS ({candidates}), page AS (SELECT * FROM (SELECT id, score, document_id, \
             line FROM c ORDER BY id DESC LIMIT {MAX_COUNTED}) AS newest \
             ORDER BY score, document_id DESC, line LIMIT {limit} OFFSET {offset}) \
             SELECT (SELECT COUNT(*) FROM c) AS n, l.document_id, l.line, l.text, d.title, \
             d.doc_type, d.period_start, d.period_end, d.region_name, r.code AS region_code \
             FROM page JOIN search_lines l ON l.id = page.id \
             JOIN documents d ON d.id = l.document_id LEFT JOIN regions r ON r.id = d.region_id \
             ORDER BY page.score, page.document_id DESC, page.line"
        );
        let rows = sql
            .bind_all(sqlx::query(AssertSqlSafe(select)))
            .fetch_all(self.pool())
            .await?;
        let counted: i64 = match rows.first() {
            Some(r) => r.try_get("n")?,
            None if offset == 0 => 0,
            None => {
                let count = format!("WITH c AS ({candidates}) SELECT COUNT(*) AS n FROM c");
                sql.bind_all(sqlx::query(AssertSqlSafe(count)))
                    .fetch_one(self.pool())
                    .await?
                    .try_get("n")?
            }
        };
        let hits = rows
            .iter()
            .map(|r| hit(r, &terms, &superseded))
            .collect::<StoreResult<_>>()?;
        Ok(SearchResults {
            terms,
            total: counted.min(MAX_COUNTED as i64),
            more: counted > MAX_COUNTED as i64,
            hits,
        })
    }

    /// How lines match the terms on this backend (binding their values); `None` when
    /// no line can (a short term in no line).
    async fn matching(&self, sql: &mut Sql, terms: &[String]) -> StoreResult<Option<Matching>> {
        Ok(Some(match self.backend() {
            Backend::Sqlite => {
                // A character on many of the newest lines is found by reading them
                // (newest first, stopping at the cap); the index answers the rest.
                let mut indexed = Vec::new();
                let mut read = Vec::new();
                for t in terms {
                    if self.common_character(t).await? {
                        read.push(t.clone());
                    } else {
                        indexed.push(t.clone());
                    }
                }
                let mut clauses: Vec<String> = read
                    .iter()
                    .map(|t| {
                        let p = sql.bind(query::like_pattern(t));
                        format!("l.text LIKE {p} ESCAPE '\\'")
                    })
                    .collect();
                if indexed.is_empty() {
                    return Ok(Some(Matching {
                        from: "search_lines l",
                        clauses,
                        score: "CAST(length(l.text) AS DOUBLE PRECISION)",
                        newest: "l.id DESC",
                    }));
                }
                let Some(fts) = self.fts_query(&indexed).await? else {
                    return Ok(None);
                };
                let p = sql.bind(fts);
                clauses.insert(0, format!("search_fts MATCH {p}"));
                Matching {
                    from: "search_fts JOIN search_lines l ON l.id = search_fts.rowid",
                    clauses,
                    score: "bm25(search_fts)",
                    newest: "search_fts.rowid DESC",
                }
            }
            Backend::Postgres => {
                let clauses = terms
                    .iter()
                    .map(|t| {
                        let p = sql.bind(query::like_pattern(t));
                        format!("l.text ILIKE {p} ESCAPE '\\'")
                    })
                    .collect();
                Matching {
                    from: "search_lines l",
                    clauses,
                    score: "CAST(length(l.text) AS DOUBLE PRECISION)",
                    newest: "l.id DESC",
                }
            }
        }))
    }

    /// A single character on at least a fifth of the newest [`COMMON_PROBE`] lines: its
    /// trigrams' lists are long (fts5vocab reads them whole, 10 ms for one on every line
    /// of 3,000 documents), while reading the newest lines finds the capped number of
    /// hits at once. The probe reads at most that many lines.
    async fn common_character(&self, term: &str) -> StoreResult<bool> {
        if term.chars().count() != 1 {
            return Ok(false);
        }
        let probe = format!(
            "SELECT COUNT(*) FROM (SELECT text FROM search_lines ORDER BY id DESC \
             LIMIT {COMMON_PROBE}) AS newest WHERE text LIKE $1 ESCAPE '\\'"
        );
        let found: i64 = sqlx::query_scalar(AssertSqlSafe(probe))
            .bind(query::like_pattern(term))
            .fetch_one(self.pool())
            .await?;
        Ok(found * 5 >= COMMON_PROBE)
    }

    async fn fts_query(&self, terms: &[String]) -> StoreResult<Option<String>> {
        let mut parts = Vec::with_capacity(terms.len());
        for t in terms {
            if query::indexed(t) {
                parts.push(query::fts_phrase(t));
                continue;
            }
            let folded = t.to_lowercase();
            let grams: Vec<(String,)> =
                sqlx::query_as("SELECT term FROM search_vocab WHERE term >= $1 AND term < $2")
                    .bind(&folded)
                    .bind(format!("{folded}\u{10FFFF}"))
                    .fetch_all(self.pool())
                    .await?;
            if grams.is_empty() {
                return Ok(None);
            }
            let any: Vec<String> = grams.iter().map(|(g,)| query::fts_phrase(g)).collect();
            parts.push(format!("({})", any.join(" OR ")));
        }
        Ok(Some(parts.join(" AND ")))
    }

    /// The names a search may be limited to ([`SearchFilter::indicator`]): each
    /// indicator's catalogue name, or its name as written when the catalogue does not
    /// know it, in these documents (`None`: every document), sorted.
    pub async fn indicator_names(&self, documents: Option<&[i64]>) -> StoreResult<Vec<String>> {
        let mut sql = Sql::default();
        let within = match documents {
            Some(ids) => format!(" AND {}", sql.id_list(self.backend(), "document_id", ids)),
            None => String::new(),
        };
        let select = format!(
            "SELECT DISTINCT COALESCE(canonical_name, name) AS n FROM indicators \
             WHERE rejected = 0{within} ORDER BY n"
        );
        let rows = sql
            .bind_all(sqlx::query(AssertSqlSafe(select)))
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| r.try_get("n").map_err(StoreError::from))
            .collect()
    }

    /// True if searches use an index: always on SQLite (FTS5), on PostgreSQL when the
    /// pg_trgm index exists.
    pub async fn search_indexed(&self) -> StoreResult<bool> {
        match self.backend() {
            Backend::Sqlite => Ok(true),
            Backend::Postgres => {
                let row: Option<(i64,)> = sqlx::query_as(
                    "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() \
                     AND indexname = 'search_lines_trgm'",
                )
                .fetch_optional(self.pool())
                .await?;
                Ok(row.is_some())
            }
        }
    }
}

impl SearchResults {
    /// How many lines match, in words: `共 12 行`, or `超过 1000 行` past the cap.
    pub fn count(&self) -> String {
        if self.more {
            format!("超过 {} 行", self.total)
        } else {
            format!("共 {} 行", self.total)
        }
    }
}

impl SearchHit {
    /// Where the line is, in words: `青溪县 · 五年规划纲要 · 2021—2025年 · 标题`.
    pub fn source(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(r) = &self.region_name {
            parts.push(r.clone());
        }
        parts.push(self.doc_type.label().to_string());
        match (self.period_start, self.period_end) {
            (Some(a), Some(b)) if a == b => parts.push(format!("{a}年")),
            (Some(a), Some(b)) => parts.push(format!("{a}—{b}年")),
            _ => {}
        }
        // A title that only repeats the type (政府工作报告) is said once.
        if let Some(t) = self
            .title
            .as_ref()
            .filter(|t| t.trim() != self.doc_type.label())
        {
            parts.push(t.clone());
        }
        parts.join(" · ")
    }
}

fn hit(r: &AnyRow, terms: &[String], superseded: &[i64]) -> StoreResult<SearchHit> {
    let text: String = r.try_get("text")?;
    let document_id: i64 = r.try_get("document_id")?;
    Ok(SearchHit {
        document_id,
        title: r.try_get("title")?,
        region_code: r.try_get("region_code")?,
        region_name: r.try_get("region_name")?,
        doc_type: Stored::read(r, "doc_type")?,
        period_start: r.try_get("period_start")?,
        period_end: r.try_get("period_end")?,
        line: r.try_get("line")?,
        fragments: query::fragments(&text, terms),
        superseded: superseded.contains(&document_id),
    })
}

/// How lines match on a backend: the tables, the clauses of the terms, the rank and
/// the order of the newest first.
struct Matching {
    from: &'static str,
    clauses: Vec<String>,
    score: &'static str,
    newest: &'static str,
}

/// The SQL of a search and its bound values, numbered as they are added.
#[derive(Default)]
struct Sql {
    binds: Vec<Val>,
}

impl Sql {
    /// Bind a value; its placeholder.
    fn bind(&mut self, v: impl Into<Val>) -> String {
        self.binds.push(v.into());
        format!("${}", self.binds.len())
    }

    /// The candidates' `SELECT`: the lines matching, within the filter, newest first.
    /// The documents' tables are joined only when a filter reads them.
    fn candidates(
        &mut self,
        backend: Backend,
        m: Matching,
        filter: &SearchFilter,
        superseded: &[i64],
    ) -> String {
        let mut clauses = m.clauses;
        let joined = self.filters(backend, filter, &mut clauses);
        if !superseded.is_empty() {
            let within = self.id_list(backend, "l.document_id", superseded);
            clauses.push(format!("NOT {within}"));
        }
        let joins = if joined {
            " JOIN documents d ON d.id = l.document_id LEFT JOIN regions r ON r.id = d.region_id"
        } else {
            ""
        };
        let where_ = if clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", clauses.join(" AND "))
        };
        format!(
            "SELECT l.id, {} AS score, l.document_id, l.line FROM {}{joins}{where_} \
             ORDER BY {} LIMIT {}",
            m.score,
            m.from,
            m.newest,
            MAX_COUNTED + 1
        )
    }

    /// Adds the filter's clauses; true if they read the documents' tables (`d`, `r`).
    fn filters(
        &mut self,
        backend: Backend,
        filter: &SearchFilter,
        clauses: &mut Vec<String>,
    ) -> bool {
        let mut joined = false;
        if let Some(code) = &filter.region {
            let p = self.bind(code.as_str());
            clauses.push(format!("r.code = {p}"));
            joined = true;
        }
        if let Some(t) = filter.doc_type {
            let p = self.bind(t.code());
            clauses.push(format!("d.doc_type = {p}"));
            joined = true;
        }
        if let Some(y) = filter.year {
            let a = self.bind(i64::from(y));
            let b = self.bind(i64::from(y));
            clauses.push(format!("d.period_start <= {a} AND d.period_end >= {b}"));
            joined = true;
        }
        if let Some(ids) = &filter.documents {
            clauses.push(self.id_list(backend, "l.document_id", ids));
        }
        if let Some(name) = &filter.indicator {
            let canonical = crate::items::canonical_name(name).unwrap_or_else(|| name.clone());
            let a = self.bind(name.as_str());
            let b = self.bind(canonical);
            clauses.push(format!(
                "(l.document_id, l.line) IN (SELECT document_id, line FROM indicators \
                 WHERE rejected = 0 AND (name = {a} OR canonical_name = {b}))"
            ));
        }
        joined
    }

    /// `column IN (…)` of a list of ids, bound as one JSON array.
    fn id_list(&mut self, backend: Backend, column: &str, ids: &[i64]) -> String {
        let p = self.bind(serde_json::Value::from(ids.to_vec()).to_string());
        match backend {
            Backend::Sqlite => format!("{column} IN (SELECT value FROM json_each({p}))"),
            Backend::Postgres => format!(
                "{column} IN (SELECT CAST(x AS BIGINT) FROM \
                 jsonb_array_elements_text(CAST({p} AS jsonb)) AS x)"
            ),
        }
    }

    fn bind_all<'q>(
        &self,
        mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
        for v in &self.binds {
            q = match v {
                Val::Int(v) => q.bind(*v),
                Val::Real(v) => q.bind(*v),
                Val::Text(v) => q.bind(v.clone()),
            };
        }
        q
    }
}

/// Index a document's text (replacing its earlier rows), inside the caller's
/// transaction: one row per non-blank line, with its 1-based number.
pub(crate) async fn index_text(
    conn: &mut AnyConnection,
    document_id: i64,
    text: &str,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM search_lines WHERE document_id = $1")
        .bind(document_id)
        .execute(&mut *conn)
        .await?;
    let rows = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i as i64 + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .map(|(n, l)| vec![Val::from(document_id), Val::from(n), Val::from(l)])
        .collect();
    insert_rows(conn, "search_lines", &["document_id", "line", "text"], rows).await
}

/// Index every stored text (after the migration that created the index, and after a
/// restore), one document at a time.
pub(crate) async fn index_all_texts(conn: &mut AnyConnection) -> StoreResult<()> {
    let ids: Vec<(i64,)> =
        sqlx::query_as("SELECT document_id FROM document_texts ORDER BY document_id")
            .fetch_all(&mut *conn)
            .await?;
    for (id,) in ids {
        let (text,): (String,) =
            sqlx::query_as("SELECT text FROM document_texts WHERE document_id = $1")
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
        index_text(conn, id, &text).await?;
    }
    Ok(())
}

/// PostgreSQL: the pg_trgm GIN index on the lines, if the extension is there or may be
/// created (in schema `public`, so every schema of the database shares one). Any
/// failure (no contrib package, no right to create it) leaves searches to scan the rows.
pub(crate) async fn trigram_index(store: &Store) {
    if store.backend() != Backend::Postgres || store.search_indexed().await.unwrap_or(false) {
        return;
    }
    let pool = store.pool();
    let _ = sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
        .execute(pool)
        .await;
    let schema: Option<(String,)> = sqlx::query_as(
        "SELECT CAST(n.nspname AS TEXT) FROM pg_extension e \
         JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'",
    )
    .fetch_optional(pool)
    .await
    .ok()
    .flatten();
    let Some((schema,)) = schema else { return };
    // The schema name comes from the catalog; quoted as an identifier all the same.
    let sql = format!(
        "CREATE INDEX IF NOT EXISTS search_lines_trgm ON search_lines \
         USING gin (text \"{}\".gin_trgm_ops)",
        schema.replace('"', "\"\"")
    );
    let _ = sqlx::query(AssertSqlSafe(sql)).execute(pool).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(doc_type: DocType, title: &str, period: Option<(i64, i64)>) -> SearchHit {
        SearchHit {
            document_id: 1,
            title: Some(title.into()),
            region_code: Some("439901".into()),
            region_name: Some("青溪县".into()),
            doc_type,
            period_start: period.map(|p| p.0),
            period_end: period.map(|p| p.1),
            line: 13,
            fragments: Vec::new(),
            superseded: false,
        }
    }

    #[test]
    fn a_hit_names_its_document_without_repeating_the_type() {
        let report = hit(DocType::WorkReport, "政府工作报告", None);
        assert_eq!(report.source(), "青溪县 · 政府工作报告");
        let plan = hit(
            DocType::PlanOutline,
            "青溪县“十四五”规划纲要",
            Some((2021, 2025)),
        );
        assert_eq!(
            plan.source(),
            "青溪县 · 五年规划纲要 · 2021—2025年 · 青溪县“十四五”规划纲要"
        );
    }
}
