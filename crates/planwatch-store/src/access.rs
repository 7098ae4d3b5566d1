//! Who is logged in: server-side sessions, API bearer tokens and user look-ups.
//!
//! The store never sees a secret. The server makes a random session cookie or API
//! token, keeps it on the client, and hands the store only its SHA-256 (hex), so a
//! leaked database does not leak live credentials. Logins, logouts and token changes
//! write audit rows like every other mutation; the hash never goes into them.

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::record;
use crate::directory::user_from_row;
use crate::{Store, StoreError, StoreResult, User, time};

/// A login session (the cookie value itself is not stored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Row id.
    pub id: i64,
    /// Logged-in user.
    pub user_id: i64,
    /// The session's CSRF token, echoed by every form and htmx request.
    pub csrf_token: String,
    /// Login time.
    pub created_at: String,
    /// The session ends at this time (ISO 8601 UTC).
    pub expires_at: String,
}

/// A bearer token of the JSON API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiToken {
    /// Row id.
    pub id: i64,
    /// Owner.
    pub user_id: i64,
    /// What the owner called it.
    pub name: String,
    /// Creation time.
    pub created_at: String,
    /// Set once the token is revoked.
    pub revoked_at: Option<String>,
    /// What it may do.
    pub scopes: Vec<TokenScope>,
    /// It stops working at this time (ISO 8601 UTC); never when `None`.
    pub expires_at: Option<String>,
    /// Optimistic-locking version.
    pub version: i64,
}

/// What an API token may do besides what its owner's role allows: every token reads;
/// writing through the API needs the scope of that kind of write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenScope {
    /// Read plans, indicators, observations, tasks and status.
    Read,
    /// Report task and project progress (submissions the planner approves).
    Report,
    /// Import observations.
    Import,
}

impl TokenScope {
    /// Every scope, in order.
    pub const ALL: [TokenScope; 3] = [TokenScope::Read, TokenScope::Report, TokenScope::Import];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Report => "report",
            TokenScope::Import => "import",
        }
    }

    /// What users call it (from the one label table).
    pub fn label(self) -> &'static str {
        use planwatch_core::wording::{Domain, labels::known};
        known(Domain::TokenScope, self.code())
    }

    /// The scope with this code or label.
    pub fn parse(text: &str) -> Option<TokenScope> {
        let text = text.trim();
        Self::ALL
            .into_iter()
            .find(|s| s.code() == text || s.label() == text)
    }
}

/// Scopes as stored: codes joined by commas, read always included.
fn scopes_code(scopes: &[TokenScope]) -> String {
    let mut codes = vec![TokenScope::Read.code()];
    for s in TokenScope::ALL.into_iter().skip(1) {
        if scopes.contains(&s) {
            codes.push(s.code());
        }
    }
    codes.join(",")
}

const TOKEN_COLUMNS: &str = "t.id AS t_id, t.user_id AS t_user_id, t.name, \
     t.created_at AS t_created_at, t.revoked_at, t.scopes AS t_scopes, \
     t.expires_at AS t_expires_at, t.version AS t_version";

const USER_COLUMNS: &str =
    "u.id, u.username, u.display_name, u.password_hash, u.role, u.active, u.created_at, u.version";

fn check_hash(token_hash: &str) -> StoreResult<()> {
    if token_hash.len() == 64 && token_hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(StoreError::Invalid(
            "令牌哈希应为 SHA-256 十六进制串".into(),
        ))
    }
}

fn session_from_row(r: &AnyRow) -> StoreResult<Session> {
    Ok(Session {
        id: r.try_get("s_id")?,
        user_id: r.try_get("s_user_id")?,
        csrf_token: r.try_get("csrf_token")?,
        created_at: r.try_get("s_created_at")?,
        expires_at: r.try_get("expires_at")?,
    })
}

fn token_from_row(r: &AnyRow) -> StoreResult<ApiToken> {
    Ok(ApiToken {
        id: r.try_get("t_id")?,
        user_id: r.try_get("t_user_id")?,
        name: r.try_get("name")?,
        created_at: r.try_get("t_created_at")?,
        revoked_at: r.try_get("revoked_at")?,
        scopes: r
            .try_get::<String, _>("t_scopes")?
            .split(',')
            .filter_map(TokenScope::parse)
            .collect(),
        expires_at: r.try_get("t_expires_at")?,
        version: r.try_get("t_version")?,
    })
}

impl Store {
    /// Start a session for a user that lasts `ttl_secs`. `token_hash` is the SHA-256 of
    /// the cookie value; `csrf_token` is the random token forms must echo.
    pub async fn create_session(
        &self,
        user_id: i64,
        token_hash: &str,
        csrf_token: &str,
        ttl_secs: i64,
        actor: &str,
    ) -> StoreResult<Session> {
        check_hash(token_hash)?;
        if csrf_token.len() < 32 {
            return Err(StoreError::Invalid("CSRF 令牌过短".into()));
        }
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id AS s_id, user_id AS s_user_id, csrf_token, \
             created_at AS s_created_at, expires_at",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(time::now())
        .bind(time::in_seconds(ttl_secs))
        .fetch_one(&mut *tx)
        .await?;
        let session = session_from_row(&row)?;
        let after = json!({"user_id": user_id, "expires_at": session.expires_at});
        record(
            &mut tx,
            actor,
            "session",
            Some(session.id),
            "login",
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(session)
    }

    /// The live session with this token hash and its user; `None` when unknown,
    /// expired, or the user is deactivated.
    pub async fn session_user(&self, token_hash: &str) -> StoreResult<Option<(Session, User)>> {
        let sql = format!(
            "SELECT s.id AS s_id, s.user_id AS s_user_id, s.csrf_token, s.created_at AS s_created_at, \
             s.expires_at, {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(token_hash)
            .bind(time::now())
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| Ok((session_from_row(&r)?, user_from_row(&r)?)))
            .transpose()
    }

    /// End a session (logout). Returns false if there was none.
    pub async fn delete_session(&self, token_hash: &str, actor: &str) -> StoreResult<bool> {
        let mut tx = self.write_tx().await?;
        let found: Option<(i64, i64)> =
            sqlx::query_as("SELECT id, user_id FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((id, user_id)) = found else {
            return Ok(false);
        };
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let before = json!({"user_id": user_id});
        record(
            &mut tx,
            actor,
            "session",
            Some(id),
            "logout",
            Some(&before),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Delete expired sessions; returns how many went.
    pub async fn purge_expired_sessions(&self, actor: &str) -> StoreResult<u64> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(time::now())
            .execute(&mut *tx)
            .await?;
        let n = done.rows_affected();
        if n > 0 {
            let after = json!({"deleted": n});
            record(&mut tx, actor, "session", None, "purge", None, Some(&after)).await?;
        }
        tx.commit().await?;
        Ok(n)
    }

    /// Issue a read-only API token for a user; `token_hash` is the SHA-256 of the secret.
    pub async fn create_api_token(
        &self,
        user_id: i64,
        token_hash: &str,
        name: &str,
        actor: &str,
    ) -> StoreResult<ApiToken> {
        self.create_scoped_api_token(user_id, token_hash, name, &[], None, actor)
            .await
    }

    /// Issue an API token that may also do `scopes` (reading is always included), valid
    /// until `expires_at` (ISO 8601 UTC) when given.
    pub async fn create_scoped_api_token(
        &self,
        user_id: i64,
        token_hash: &str,
        name: &str,
        scopes: &[TokenScope],
        expires_at: Option<&str>,
        actor: &str,
    ) -> StoreResult<ApiToken> {
        check_hash(token_hash)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("令牌名称不能为空".into()));
        }
        let now = time::now();
        if expires_at.is_some_and(|e| e <= now.as_str()) {
            return Err(StoreError::Invalid("令牌的有效期必须晚于现在".into()));
        }
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(
            "INSERT INTO api_tokens (token_hash, user_id, name, created_at, scopes, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             RETURNING id AS t_id, user_id AS t_user_id, name, created_at AS t_created_at, revoked_at, \
             scopes AS t_scopes, expires_at AS t_expires_at, version AS t_version",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(name)
        .bind(&now)
        .bind(scopes_code(scopes))
        .bind(expires_at)
        .fetch_one(&mut *tx)
        .await?;
        let token = token_from_row(&row)?;
        record(
            &mut tx,
            actor,
            "api_token",
            Some(token.id),
            "insert",
            None,
            Some(&json!(token)),
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The unrevoked token with this hash and its (active) user.
    pub async fn api_token_user(&self, token_hash: &str) -> StoreResult<Option<(ApiToken, User)>> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS}, {USER_COLUMNS} FROM api_tokens t \
             JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1 \
             AND (t.expires_at IS NULL OR t.expires_at > $2)"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(token_hash)
            .bind(time::now())
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| Ok((token_from_row(&r)?, user_from_row(&r)?)))
            .transpose()
    }

    /// Tokens of a user, newest first.
    pub async fn api_tokens_of(&self, user_id: i64) -> StoreResult<Vec<ApiToken>> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t WHERE t.user_id = $1 ORDER BY t.id DESC"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(token_from_row).collect()
    }

    /// Revoke a token of `user_id` (a user revokes only their own).
    pub async fn revoke_api_token(
        &self,
        id: i64,
        user_id: i64,
        expected_version: i64,
        actor: &str,
    ) -> StoreResult<ApiToken> {
        let mut tx = self.write_tx().await?;
        let select =
            format!("SELECT {TOKEN_COLUMNS} FROM api_tokens t WHERE t.id = $1 AND t.user_id = $2");
        let before = sqlx::query(sqlx::AssertSqlSafe(select.clone()))
            .bind(id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| token_from_row(&r))
            .transpose()?
            .ok_or(StoreError::NotFound {
                entity: "api_token",
                id,
            })?;
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1, version = version + 1 \
             WHERE id = $2 AND version = $3 AND revoked_at IS NULL",
        )
        .bind(time::now())
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict {
                entity: "api_token",
                id,
                expected: expected_version,
                actual: before.version,
            });
        }
        let after = token_from_row(
            &sqlx::query(sqlx::AssertSqlSafe(select))
                .bind(id)
                .bind(user_id)
                .fetch_one(&mut *tx)
                .await?,
        )?;
        record(
            &mut tx,
            actor,
            "api_token",
            Some(id),
            "revoke",
            Some(&json!(before)),
            Some(&json!(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The user with this id.
    pub async fn user(&self, id: i64) -> StoreResult<User> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound { entity: "user", id })?;
        user_from_row(&row)
    }

    /// Every user, by login name.
    pub async fn list_users(&self) -> StoreResult<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.username");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(user_from_row).collect()
    }
}
