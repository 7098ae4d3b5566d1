//! A small migrator: numbered SQL files per backend, embedded in the binary,
//! applied in order inside one transaction each and recorded in `schema_migrations`.
//!
//! sqlx's own migrator would need its `migrate!` macro to embed files at compile
//! time; this one needs neither macros nor files at run time.
//!
//! After the numbered files, [`crate::schema::sync_columns`] adds the item columns a
//! descriptor declares and the database lacks, so a new item field is one line.

use sqlx::Executor;

use crate::{Backend, Store, StoreError, StoreResult, time};

/// One migration: its number, name and the SQL for each backend.
struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sqlite: include_str!("../migrations/sqlite/0001_init.sql"),
        postgres: include_str!("../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "web",
        sqlite: include_str!("../migrations/sqlite/0002_web.sql"),
        postgres: include_str!("../migrations/postgres/0002_web.sql"),
    },
    Migration {
        version: 3,
        name: "accounts",
        sqlite: include_str!("../migrations/sqlite/0003_accounts.sql"),
        postgres: include_str!("../migrations/postgres/0003_accounts.sql"),
    },
    Migration {
        version: 4,
        name: "projects",
        sqlite: include_str!("../migrations/sqlite/0004_projects.sql"),
        postgres: include_str!("../migrations/postgres/0004_projects.sql"),
    },
    Migration {
        version: 5,
        name: "token_scopes",
        sqlite: include_str!("../migrations/sqlite/0005_token_scopes.sql"),
        postgres: include_str!("../migrations/postgres/0005_token_scopes.sql"),
    },
    Migration {
        version: 6,
        name: "search",
        sqlite: include_str!("../migrations/sqlite/0006_search.sql"),
        postgres: include_str!("../migrations/postgres/0006_search.sql"),
    },
    Migration {
        version: 7,
        name: "search_short_terms",
        sqlite: include_str!("../migrations/sqlite/0007_search_short_terms.sql"),
        postgres: include_str!("../migrations/postgres/0007_search_short_terms.sql"),
    },
];

/// The migration that created the search index: texts stored before it are indexed once.
const SEARCH_MIGRATION: i64 = 6;

/// Apply every migration not yet recorded.
pub(crate) async fn run(store: &Store) -> StoreResult<()> {
    let mut tx = store.write_tx().await?;
    tx.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (\
         version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .await?;
    let applied: Vec<(i64,)> = sqlx::query_as("SELECT version FROM schema_migrations")
        .fetch_all(&mut *tx)
        .await?;
    for m in MIGRATIONS {
        if applied.iter().any(|(v,)| *v == m.version) {
            continue;
        }
        let sql = match store.backend() {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        sqlx::raw_sql(sql)
            .execute(&mut *tx)
            .await
            .map_err(|e| StoreError::Migration {
                version: m.version,
                message: e.to_string(),
            })?;
        if m.version == SEARCH_MIGRATION {
            crate::search::index_all_texts(&mut tx).await?;
        }
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(m.version)
        .bind(m.name)
        .bind(time::now())
        .execute(&mut *tx)
        .await?;
    }
    // Item columns declared in a descriptor after the numbered migrations created its table.
    crate::schema::sync_columns(&mut tx, store.backend()).await?;
    tx.commit().await?;
    crate::search::trigram_index(store).await;
    Ok(())
}

/// Every table of the schema in dependency order (parents first), as backup and restore walk them.
/// Login sessions are left out: a restored database starts with everyone logged out.
pub(crate) const TABLES: &[&str] = &[
    "regions",
    "departments",
    "users",
    "grants",
    "documents",
    "outline_nodes",
    "indicators",
    "targets",
    "annual_targets",
    "tasks",
    "task_departments",
    "projects",
    "imports",
    "observations",
    "corrections",
    "correction_results",
    "audit_log",
    "document_texts",
    "publications",
    "api_tokens",
    "submissions",
    "evidence_files",
    "project_tracking",
    "project_years",
    "project_reports",
    "project_distinct",
];

/// Tables keyed by their document instead of an `id` column.
pub(crate) const KEYED_BY_DOCUMENT: &[&str] = &["document_texts", "publications"];
