//! The plan database: documents, their extracted items, tasks, observations,
//! corrections and the audit log, in SQLite (default, embedded) or PostgreSQL.
//!
//! # Why `sqlx::Any`
//!
//! [`Store`] wraps one [`sqlx::AnyPool`] rather than an enum over `SqlitePool`
//! and `PgPool`. With `Any`, each query is one SQL text bound with `$1`
//! placeholders (SQLite reads `$1` as parameter 1) and executed through one
//! code path; an enum would need either every query written twice or generic
//! functions with long trait bounds. The price is that `Any` carries only
//! simple types (integers, floats, text), so the schema stores JSON and
//! timestamps as text and booleans as 0/1 integers, which both backends
//! handle the same way. The few statements that cannot be portable (SQLite
//! pragmas, PostgreSQL sequence resets and size queries) are chosen by
//! [`Backend`] in one place each.
//!
//! # Invariants
//!
//! - Every mutation takes an `actor` and writes its audit row in the same
//!   transaction ([`audit`]).
//! - Editable rows carry a `version`; an `update_*` call names the version it
//!   read and fails with [`StoreError::Conflict`] if the row moved since.
//! - This crate is the only place in planwatch that contains SQL.

pub mod access;
pub mod audit;
pub mod backup;
mod batch;
pub mod corrections;
pub mod directory;
pub mod documents;
mod error;
pub mod items;
pub mod keys;
mod migrate;
pub mod model;
pub mod observations;
pub mod project_import;
pub mod project_ledger;
pub mod project_reports;
pub mod projects;
pub mod publication;
pub mod schema;
pub mod search;
pub mod status;
pub mod submissions;
pub mod tasks;
mod time;

use std::path::Path;
use std::str::FromStr;
use std::sync::Once;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, Transaction};

pub use access::{ApiToken, Session, TokenScope};
pub use error::{StoreError, StoreResult};
pub use model::*;
pub use observations::{ImportScope, RegionMatch};
pub use planwatch_core::codes::Code;
pub use project_import::{ImportMatch, ImportPlan, ImportRowPlan, ImportSummary, ProjectBatch};
pub use project_ledger::{LedgerFilter, LedgerRow, ledger_totals};
pub use project_reports::{ApprovedFigures, NewProjectReport, ProjectReport};
pub use projects::{DuplicatePair, NewProjectYear, ProjectDetails, ProjectYear, Tracking};
pub use schema::{IndicatorRow, OutlineRow, ProjectRow, TargetRow, TaskRow};
pub use search::{Fragment, SearchFilter, SearchHit, SearchResults};
pub use submissions::{EvidenceFile, NewEvidence, NewSubmission, Submission, SubmissionState};

/// Default database URL of the CLI and the server.
pub const DEFAULT_DB_URL: &str = "sqlite://planwatch.db";

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file (WAL journal, foreign keys on).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// Short name (`sqlite`, `postgres`).
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A connection pool to the plan database with the schema applied.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

static DRIVERS: Once = Once::new();

impl Store {
    /// Open (and for SQLite create) the database at `url` and apply pending migrations.
    ///
    /// `sqlite://path` creates the file on first use, switches it to WAL and turns on
    /// foreign keys and a busy timeout on every connection; `postgres://…` connects to
    /// an existing database.
    pub async fn open(url: &str) -> StoreResult<Store> {
        DRIVERS.call_once(sqlx::any::install_default_drivers);
        let (backend, url) = normalise_url(url)?;
        let options = AnyConnectOptions::from_str(&url).map_err(|e| StoreError::Open {
            url: redact(&url),
            message: e.to_string(),
        })?;
        let pool_options = match backend {
            Backend::Sqlite => {
                if let Some(path) = sqlite_path(&url)
                    && let Some(parent) = Path::new(&path).parent()
                    && !parent.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(parent).map_err(|e| StoreError::Open {
                        url: redact(&url),
                        message: e.to_string(),
                    })?;
                }
                AnyPoolOptions::new()
                    .max_connections(4)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            // busy_timeout lets writers queue behind each other instead of failing;
                            // synchronous=NORMAL is durable under WAL except for power loss.
                            conn.execute(
                                "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 15000; \
                             PRAGMA synchronous = NORMAL;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
            }
            Backend::Postgres => AnyPoolOptions::new().max_connections(8),
        };
        let pool = pool_options
            .acquire_timeout(Duration::from_secs(60))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Open {
                url: redact(&url),
                message: e.to_string(),
            })?;
        if backend == Backend::Sqlite {
            // WAL is a property of the file: set once, it stays.
            pool.execute("PRAGMA journal_mode = WAL;").await?;
        }
        let store = Store { pool, backend };
        migrate::run(&store).await?;
        Ok(store)
    }

    /// The backend behind this store.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Close every connection (waits for running queries).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The pool, for the few crate-internal helpers that read outside a transaction.
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begin a transaction that will write.
    ///
    /// On SQLite this is `BEGIN IMMEDIATE`: it takes the write lock up front, so a
    /// read-then-write transaction queues behind other writers (busy timeout)
    /// instead of failing when its read snapshot turns stale.
    pub(crate) async fn write_tx(&self) -> StoreResult<Transaction<'static, Any>> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(tx)
    }

    /// Check the database: `"ok"`, or what is wrong. On SQLite this runs
    /// `PRAGMA integrity_check` and `PRAGMA foreign_key_check`; PostgreSQL enforces
    /// both itself, so there it checks that the schema answers.
    pub async fn integrity_check(&self) -> StoreResult<String> {
        match self.backend {
            Backend::Sqlite => {
                let (status,): (String,) = sqlx::query_as("PRAGMA integrity_check")
                    .fetch_one(&self.pool)
                    .await?;
                if status != "ok" {
                    return Ok(status);
                }
                let broken = sqlx::query("PRAGMA foreign_key_check")
                    .fetch_all(&self.pool)
                    .await?;
                if !broken.is_empty() {
                    return Ok(format!("{} 行外键不一致", broken.len()));
                }
                Ok(status)
            }
            Backend::Postgres => {
                let (_,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM schema_migrations")
                    .fetch_one(&self.pool)
                    .await?;
                Ok("ok".into())
            }
        }
    }

    /// Size of the database in bytes (SQLite: file plus WAL; PostgreSQL: the current schema's tables and indexes).
    pub async fn size_bytes(&self) -> StoreResult<u64> {
        match self.backend {
            Backend::Sqlite => {
                let (pages,): (i64,) = sqlx::query_as("PRAGMA page_count")
                    .fetch_one(&self.pool)
                    .await?;
                let (size,): (i64,) = sqlx::query_as("PRAGMA page_size")
                    .fetch_one(&self.pool)
                    .await?;
                Ok((pages * size) as u64)
            }
            Backend::Postgres => {
                let (size,): (i64,) = sqlx::query_as(
                    "SELECT CAST(COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS BIGINT) \
                     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                     WHERE n.nspname = current_schema() AND c.relkind = 'r'",
                )
                .fetch_one(&self.pool)
                .await?;
                Ok(size as u64)
            }
        }
    }
}

/// Recognise the backend and make an SQLite URL create its file.
fn normalise_url(url: &str) -> StoreResult<(Backend, String)> {
    if let Some(rest) = url.strip_prefix("sqlite:") {
        if rest.contains("mode=") || rest.starts_with(":memory:") {
            return Ok((Backend::Sqlite, url.to_string()));
        }
        let sep = if rest.contains('?') { '&' } else { '?' };
        return Ok((Backend::Sqlite, format!("{url}{sep}mode=rwc")));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Backend::Postgres, url.to_string()));
    }
    Err(StoreError::Open {
        url: redact(url),
        message: "不支持的数据库地址，应以 sqlite:// 或 postgres:// 开头".into(),
    })
}

/// The file path of an SQLite URL, if it names a file.
fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    if path.is_empty() || path.starts_with(":memory:") {
        None
    } else {
        Some(path.to_string())
    }
}

/// Hide a password in a URL before it goes into an error message.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.find(':') {
                Some(colon) => {
                    format!(
                        "{}{}:***{}",
                        &url[..scheme + 3],
                        &userinfo[..colon],
                        &url[at..]
                    )
                }
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_from_the_one_label_table() {
        let tasks: Vec<&str> = TaskStatus::ALL.iter().map(|t| t.label()).collect();
        assert_eq!(tasks, ["未开始", "推进中", "已完成", "滞后"]);
        let states = [
            SubmissionState::Submitted,
            SubmissionState::Approved,
            SubmissionState::Returned,
        ];
        let states: Vec<&str> = states.iter().map(|s| s.label()).collect();
        assert_eq!(states, ["待审核", "已通过", "已退回"]);
        for role in directory::ROLES {
            assert!(
                planwatch_core::wording::labels::lookup(
                    planwatch_core::wording::Domain::Role,
                    role
                )
                .is_some(),
                "{role}"
            );
        }
    }

    #[test]
    fn urls_are_normalised() {
        let check = |input: &str, backend: Backend, expect: &str| {
            let (b, u) = normalise_url(input).unwrap();
            assert_eq!((b, u.as_str()), (backend, expect), "{input}");
        };
        check(
            "sqlite://planwatch.db",
            Backend::Sqlite,
            "sqlite://planwatch.db?mode=rwc",
        );
        check(
            "sqlite://a.db?mode=ro",
            Backend::Sqlite,
            "sqlite://a.db?mode=ro",
        );
        check(
            "sqlite://a.db?cache=shared",
            Backend::Sqlite,
            "sqlite://a.db?cache=shared&mode=rwc",
        );
        check("postgres://u@h/db", Backend::Postgres, "postgres://u@h/db");
        check(
            "postgresql://u@h/db",
            Backend::Postgres,
            "postgresql://u@h/db",
        );
        assert!(normalise_url("mysql://x").is_err());
    }

    #[test]
    fn sqlite_paths_and_redaction() {
        assert_eq!(
            sqlite_path("sqlite://dir/a.db?mode=rwc").as_deref(),
            Some("dir/a.db")
        );
        assert_eq!(
            sqlite_path("sqlite:///tmp/a.db").as_deref(),
            Some("/tmp/a.db")
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }
}
