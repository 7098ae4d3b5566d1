//! Multi-row inserts: an ingest writes a few hundred item rows, and one statement per
//! row costs a network round trip each on PostgreSQL. Rows go in chunks of one
//! `INSERT … VALUES (…), (…)` statement each.

use sqlx::{AnyConnection, AssertSqlSafe};

use crate::StoreResult;

/// A typed value to bind (the type matters for NULLs on PostgreSQL).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    /// An integer column.
    Int(Option<i64>),
    /// A float column.
    Real(Option<f64>),
    /// A text column.
    Text(Option<String>),
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::Int(Some(v))
    }
}

impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Val {
        Val::Int(v)
    }
}

impl From<f64> for Val {
    fn from(v: f64) -> Val {
        Val::Real(Some(v))
    }
}

impl From<Option<f64>> for Val {
    fn from(v: Option<f64>) -> Val {
        Val::Real(v)
    }
}

impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::Text(Some(v))
    }
}

impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(Some(v.to_string()))
    }
}

impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Val {
        Val::Text(v)
    }
}

/// Bound parameters per statement; well under SQLite's 32766 and PostgreSQL's 65535.
const MAX_PARAMS: usize = 2000;

/// The SQL of one chunk: `INSERT INTO table (a, b) VALUES ($1, $2), ($3, $4)`.
fn chunk_sql(table: &str, columns: &[&str], rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut n = 1;
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..columns.len() {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${n}"));
            n += 1;
        }
        sql.push(')');
    }
    sql
}

/// Insert rows (each with one value per column) in as few statements as the limits allow.
/// `table` and `columns` are literals of this crate, never input.
pub(crate) async fn insert_rows(
    conn: &mut AnyConnection,
    table: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<Val>>,
) -> StoreResult<()> {
    let per_chunk = (MAX_PARAMS / columns.len()).max(1);
    for chunk in rows.chunks(per_chunk) {
        let mut q = sqlx::query(AssertSqlSafe(chunk_sql(table, columns, chunk.len())));
        for row in chunk {
            debug_assert_eq!(row.len(), columns.len(), "{table}: one value per column");
            for v in row {
                q = match v {
                    Val::Int(v) => q.bind(*v),
                    Val::Real(v) => q.bind(*v),
                    Val::Text(v) => q.bind(v.clone()),
                };
            }
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_sql_numbers_placeholders_across_rows() {
        assert_eq!(
            chunk_sql("t", &["a", "b"], 1),
            "INSERT INTO t (a, b) VALUES ($1, $2)"
        );
        assert_eq!(
            chunk_sql("t", &["a", "b"], 3),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4), ($5, $6)"
        );
        assert_eq!(
            chunk_sql("t", &["x"], 2),
            "INSERT INTO t (x) VALUES ($1), ($2)"
        );
    }
}
