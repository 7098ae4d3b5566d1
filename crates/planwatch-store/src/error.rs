//! Errors of the store. Messages are for a person (zh-CN); variants are for code.

use thiserror::Error;

/// Result of a store operation.
pub type StoreResult<T> = Result<T, StoreError>;

/// What went wrong in a store operation.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The database could not be opened.
    #[error("无法打开数据库 {url}：{message}")]
    Open {
        /// The URL, password hidden.
        url: String,
        /// Why.
        message: String,
    },
    /// A migration failed.
    #[error("数据库迁移 {version} 失败：{message}")]
    Migration {
        /// Migration number.
        version: i64,
        /// Why.
        message: String,
    },
    /// The row does not exist.
    #[error("{entity} #{id} 不存在")]
    NotFound {
        /// Table or entity name.
        entity: &'static str,
        /// Row id.
        id: i64,
    },
    /// Someone else changed the row since it was read (optimistic locking).
    #[error("{entity} #{id} 已被他人修改（期望版本 {expected}，当前版本 {actual}），请刷新后重试")]
    Conflict {
        /// Table or entity name.
        entity: &'static str,
        /// Row id.
        id: i64,
        /// The version the caller read.
        expected: i64,
        /// The version in the database now.
        actual: i64,
    },
    /// The input is not acceptable (names the field).
    #[error("{0}")]
    Invalid(String),
    /// A restore target is not empty.
    #[error("目标数据库不是空库（表 {0} 已有数据）")]
    NotEmpty(String),
    /// A backup file could not be read or written.
    #[error("备份文件 {path}：{message}")]
    Backup {
        /// File path.
        path: String,
        /// Why (with line number where it applies).
        message: String,
    },
    /// The database reported an error.
    #[error("数据库错误：{0}")]
    Db(#[from] sqlx::Error),
    /// Stored JSON could not be read back.
    #[error("数据格式错误：{0}")]
    Json(#[from] serde_json::Error),
}
