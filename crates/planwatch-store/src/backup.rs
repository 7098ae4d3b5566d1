//! Backup and restore as JSON lines: one header line, then one line per row,
//! table by table in dependency order. The format is the same for both backends,
//! so a backup of SQLite restores into PostgreSQL and back.
//!
//! The dump reads every table inside one read transaction (REPEATABLE READ on
//! PostgreSQL, a WAL read snapshot on SQLite), so it is consistent while others
//! keep writing. Restore loads into an empty database in one transaction: a
//! failure leaves the database empty.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use serde_json::{Map, Number, Value, json};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Column, Executor, Row};

use crate::migrate::{KEYED_BY_DOCUMENT, TABLES};
use crate::{Backend, BackupSummary, Store, StoreError, StoreResult, time};

const FORMAT: &str = "planwatch-backup";

/// Columns that point at rows of their own table, possibly later ones: restored by
/// an update after the table's rows are in, because foreign keys are checked at once.
const SELF_REFERENCES: &[(&str, &str)] = &[
    ("regions", "parent_id"),
    ("regions", "successor_id"),
    ("documents", "supersedes_id"),
    ("tasks", "merged_into"),
];

fn value_of(row: &AnyRow, i: usize) -> Value {
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return v.map(Value::from).unwrap_or(Value::Null);
    }
    if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
        return v
            .and_then(Number::from_f64)
            .map(Value::Number)
            .unwrap_or(Value::Null);
    }
    if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        return v.map(Value::String).unwrap_or(Value::Null);
    }
    Value::Null
}

fn io_err(path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::Backup {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Column type for binding, from the values seen in a table.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Int,
    Real,
    Text,
}

fn kind_of(v: &Value) -> Option<Kind> {
    match v {
        Value::Number(n) if n.is_i64() => Some(Kind::Int),
        Value::Number(_) => Some(Kind::Real),
        Value::String(_) => Some(Kind::Text),
        _ => None,
    }
}

async fn restore_table(
    conn: &mut AnyConnection,
    table: &str,
    rows: &[Map<String, Value>],
) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    // Columns with a value somewhere, typed by that value; all-NULL columns keep their default.
    let mut columns: BTreeMap<String, Kind> = BTreeMap::new();
    for row in rows {
        for (name, v) in row {
            if let Some(k) = kind_of(v) {
                let entry = columns.entry(name.clone()).or_insert(k);
                if *entry == Kind::Int && k == Kind::Real {
                    *entry = Kind::Real;
                }
            }
        }
    }
    let deferred: Vec<&str> = SELF_REFERENCES
        .iter()
        .filter(|(t, _)| *t == table)
        .map(|(_, c)| *c)
        .collect();
    let names: Vec<(&String, Kind)> = columns
        .iter()
        .filter(|(n, _)| !deferred.contains(&n.as_str()))
        .map(|(n, k)| (n, *k))
        .collect();
    for (name, _) in &names {
        if !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
        {
            return Err(StoreError::Invalid(format!("备份中的列名 {name} 不合法")));
        }
    }
    let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        names
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        placeholders.join(", ")
    );
    for row in rows {
        // Table names come from TABLES and column names were checked above.
        let mut q = sqlx::query(AssertSqlSafe(sql.clone()));
        for (name, kind) in &names {
            let v = row.get(*name).unwrap_or(&Value::Null);
            q = match kind {
                Kind::Int => q.bind(v.as_i64()),
                Kind::Real => q.bind(v.as_f64()),
                Kind::Text => q.bind(v.as_str().map(str::to_string)),
            };
        }
        q.execute(&mut *conn).await?;
    }
    for col in deferred {
        let sql = format!("UPDATE {table} SET {col} = $1 WHERE id = $2");
        for row in rows {
            if let (Some(v), Some(id)) = (
                row.get(col).and_then(Value::as_i64),
                row.get("id").and_then(Value::as_i64),
            ) {
                sqlx::query(AssertSqlSafe(sql.clone()))
                    .bind(v)
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
            }
        }
    }
    Ok(())
}

/// Create (or truncate) `path` readable and writable by its owner only: a backup holds
/// password hashes, token hashes and every unpublished figure. An existing file keeps
/// its mode when truncated, so the mode is set explicitly as well.
fn private_file(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    {
        options.open(path)
    }
}

impl Store {
    /// Write a consistent snapshot of every table to `path` as JSON lines, a file only
    /// its owner may read (mode 0600 on Unix).
    pub async fn backup(&self, path: &Path) -> StoreResult<BackupSummary> {
        let file = private_file(path).map_err(|e| io_err(path, e))?;
        let mut out = BufWriter::new(file);
        let mut tx = match self.backend() {
            Backend::Postgres => {
                self.pool()
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?
            }
            Backend::Sqlite => self.pool().begin().await?,
        };
        let header = json!({"format": FORMAT, "version": 1, "backend": self.backend().as_str(),
                            "created_at": time::now()});
        writeln!(out, "{header}").map_err(|e| io_err(path, e))?;
        let mut summary = BackupSummary::default();
        for table in TABLES {
            let order = if matches!(*table, "task_departments") {
                "task_id, department_id"
            } else if matches!(*table, "correction_results") {
                "document_id, correction_id"
            } else if KEYED_BY_DOCUMENT.contains(table) {
                "document_id"
            } else {
                "id"
            };
            let sql = format!("SELECT * FROM {table} ORDER BY {order}");
            let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(&mut *tx).await?;
            for row in &rows {
                let mut obj = Map::new();
                for (i, col) in row.columns().iter().enumerate() {
                    obj.insert(col.name().to_string(), value_of(row, i));
                }
                let line = json!({"table": table, "row": obj});
                writeln!(out, "{line}").map_err(|e| io_err(path, e))?;
            }
            summary.tables.push((table.to_string(), rows.len() as u64));
        }
        tx.commit().await?;
        out.flush().map_err(|e| io_err(path, e))?;
        out.into_inner()
            .map_err(|e| io_err(path, e.error()))?
            .sync_all()
            .map_err(|e| io_err(path, e))?;
        Ok(summary)
    }

    /// Load a backup made by [`Store::backup`] into this (empty) database, in one transaction.
    ///
    /// The restored database reproduces the source exactly, audit log included; the
    /// restore itself is not an edit of any row and writes no audit row.
    pub async fn restore(&self, path: &Path) -> StoreResult<BackupSummary> {
        let file = File::open(path).map_err(|e| io_err(path, e))?;
        let mut lines = BufReader::new(file).lines();
        let header: Value = match lines.next() {
            Some(line) => serde_json::from_str(&line.map_err(|e| io_err(path, e))?)
                .map_err(|e| io_err(path, format!("第 1 行：{e}")))?,
            None => return Err(io_err(path, "文件为空")),
        };
        if header.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(io_err(path, "第 1 行：不是 planwatch 备份文件"));
        }
        let mut tx = self.write_tx().await?;
        for table in TABLES {
            let sql = format!("SELECT COUNT(*) FROM {table}");
            let (n,): (i64,) = sqlx::query_as(AssertSqlSafe(sql))
                .fetch_one(&mut *tx)
                .await?;
            if n > 0 {
                return Err(StoreError::NotEmpty(table.to_string()));
            }
        }
        let mut summary = BackupSummary::default();
        let mut current: Option<String> = None;
        let mut rows: Vec<Map<String, Value>> = Vec::new();
        let mut position = 0usize;
        for (i, line) in lines.enumerate() {
            let line = line.map_err(|e| io_err(path, e))?;
            if line.trim().is_empty() {
                continue;
            }
            let mut v: Value = serde_json::from_str(&line)
                .map_err(|e| io_err(path, format!("第 {} 行：{e}", i + 2)))?;
            let table = v
                .get("table")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let Some(idx) = TABLES.iter().position(|t| *t == table) else {
                return Err(io_err(path, format!("第 {} 行：未知的表 {table}", i + 2)));
            };
            if current.as_deref() != Some(table.as_str()) {
                if idx < position {
                    return Err(io_err(
                        path,
                        format!("第 {} 行：表 {table} 顺序错误", i + 2),
                    ));
                }
                if let Some(t) = current.take() {
                    restore_table(&mut tx, &t, &rows).await?;
                    summary.tables.push((t, rows.len() as u64));
                    rows.clear();
                }
                position = idx;
                current = Some(table);
            }
            match v.get_mut("row").map(Value::take) {
                Some(Value::Object(row)) => rows.push(row),
                _ => return Err(io_err(path, format!("第 {} 行：缺少 row", i + 2))),
            }
        }
        if let Some(t) = current.take() {
            restore_table(&mut tx, &t, &rows).await?;
            summary.tables.push((t, rows.len() as u64));
        }
        // The search rows are derived from the texts, so they are rebuilt, not carried.
        crate::search::index_all_texts(&mut tx).await?;
        if self.backend() == Backend::Postgres {
            for table in TABLES {
                if matches!(*table, "task_departments" | "correction_results")
                    || KEYED_BY_DOCUMENT.contains(table)
                {
                    continue;
                }
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                );
                tx.execute(AssertSqlSafe(sql)).await?;
            }
        }
        tx.commit().await?;
        Ok(summary)
    }
}
