//! Who is asking, and what they may do.
//!
//! - Passwords: argon2id PHC strings ([`hash_password`], [`verify_password`]).
//! - Secrets (session cookies, API tokens, CSRF tokens): 32 random bytes from the OS,
//!   hex; the store keeps only their SHA-256.
//! - [`resolve`] runs before every handler: it finds the viewer (session cookie, or a
//!   bearer token under `/api/v1`), and refuses any unsafe request (POST, …) whose
//!   CSRF token, sent as the `X-CSRF-Token` header, the `csrf` form field, or the
//!   `csrf` query parameter of a multipart form, does not match the viewer's. A
//!   logged-out visitor's token lives in its own cookie (`pw_anon`), so the login form
//!   is protected the same way.
//! - Roles: `admin` may do everything. Grants give the rest: `planner` on a region
//!   (everything in that region's plans), `viewer` on a region (read), `editor` on a
//!   department (read the department's region; report on the tasks and indicators
//!   assigned to that department). A plan switched public is readable by anyone.

use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::body::{Body, to_bytes};
use axum::extract::{Form, FromRequest, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use planwatch_store::{
    ApiToken, Department, DocumentSummary, Grant, IndicatorRow, TaskRow, TokenScope, User,
};

use crate::error::AppError;
use crate::state::AppState;

/// Cookie carrying the session secret.
pub const SESSION_COOKIE: &str = "pw_session";
/// Cookie carrying a logged-out visitor's CSRF token.
pub const ANON_COOKIE: &str = "pw_anon";
/// Header htmx and scripts send the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Largest url-encoded form the CSRF check reads.
const FORM_LIMIT: usize = 1 << 20;

/// 32 random bytes as 64 hex digits.
pub fn random_token() -> String {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).expect("the OS random source is available");
    hex(&buf)
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex SHA-256 (session cookies and API tokens are stored only as this hash): the one
/// hash function of planwatch, shared with file identities.
pub use planwatch_parse::sha256_hex;

/// An argon2id PHC string for a password.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AppError::Internal(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Passwords tried first by every guesser, refused whatever their length. Compared
/// case-insensitively; short on purpose: the length rule and the username rule do the rest.
const COMMON_PASSWORDS: &[&str] = &[
    "1234567890",
    "12345678910",
    "0123456789",
    "9876543210",
    "1111111111",
    "1234512345",
    "1q2w3e4r5t",
    "1qaz2wsx3edc",
    "qwertyuiop",
    "asdfghjkl;",
    "zxcvbnm123",
    "qwerty1234",
    "qwerty123456",
    "password12",
    "password123",
    "password1234",
    "passw0rd123",
    "p@ssw0rd123",
    "admin12345",
    "admin123456",
    "administrator",
    "abc1234567",
    "abcd123456",
    "abcdefghij",
    "a123456789",
    "aa12345678",
    "iloveyou123",
    "woaini1314",
    "5201314520",
    "changeme123",
    "welcome123",
    "letmein123",
    "planwatch123",
    "planwatch2025",
    "planwatch2026",
];

/// Check a new password for `username`: at least [`MIN_PASSWORD_CHARS`] characters, at
/// most 256, not the user name and not containing it, not a common password, and not
/// made of fewer than four different characters. The message says which rule failed.
pub fn check_password(username: &str, password: &str) -> Result<(), AppError> {
    let bad = |m: &str| Err(AppError::BadRequest(m.to_string()));
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return bad("密码至少需要10个字符");
    }
    if n > 256 {
        return bad("密码不能超过 256 个字符");
    }
    let lower = password.to_lowercase();
    let name = username.trim().to_lowercase();
    if !name.is_empty() && (lower == name || (name.chars().count() >= 3 && lower.contains(&name))) {
        return bad("密码不能与用户名相同或包含用户名");
    }
    if COMMON_PASSWORDS.contains(&lower.as_str()) {
        return bad("密码过于常见，请换一个");
    }
    let mut distinct: Vec<char> = password.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 4 {
        return bad("密码至少需要 4 个不同的字符");
    }
    Ok(())
}

/// True if `password` matches the PHC string.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Compare secrets without an early exit on the first differing byte.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A logged-in user with the grants that scope their role.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The account.
    pub user: User,
    /// Its grants.
    pub grants: Vec<Grant>,
    /// Departments the user edits for (with their regions).
    pub departments: Vec<Department>,
}

impl Identity {
    /// Administrator.
    pub fn is_admin(&self) -> bool {
        self.user.role == "admin"
    }

    /// Regions this user plans.
    pub fn planner_regions(&self) -> Vec<i64> {
        self.grants
            .iter()
            .filter(|g| g.role == "planner")
            .filter_map(|g| g.region_id)
            .collect()
    }

    /// True if the user may do everything in a plan of `region`.
    pub fn plans(&self, region: Option<i64>) -> bool {
        self.is_admin() || region.is_some_and(|r| self.planner_regions().contains(&r))
    }

    /// True if the user may read plans of `region`.
    pub fn reads(&self, region: Option<i64>) -> bool {
        if self.is_admin() {
            return true;
        }
        let Some(region) = region else { return false };
        self.grants
            .iter()
            .any(|g| matches!(g.role.as_str(), "planner" | "viewer") && g.region_id == Some(region))
            || self.departments.iter().any(|d| d.region_id == Some(region))
    }

    /// True if the user edits for department `dep`.
    pub fn edits_for(&self, dep: Option<i64>) -> bool {
        dep.is_some_and(|d| self.departments.iter().any(|x| x.id == d))
    }

    /// Name recorded in the audit log.
    pub fn actor(&self) -> String {
        format!("web:{}", self.user.username)
    }
}

/// Who is making a request.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The user, if logged in.
    pub identity: Option<Arc<Identity>>,
    /// The CSRF token forms must echo.
    pub csrf: String,
    /// The session secret's hash (for logout).
    pub session_hash: Option<String>,
    /// The API token of the request, if it came with one: its scopes limit what the
    /// request may do (a session may do what its user's role allows).
    pub token: Option<ApiToken>,
}

impl Viewer {
    /// 403 when the request came with an API token lacking `scope`.
    pub fn require_scope(&self, scope: TokenScope) -> Result<(), AppError> {
        match &self.token {
            Some(t) if !t.scopes.contains(&scope) => Err(AppError::BadScope(scope.label())),
            _ => Ok(()),
        }
    }

    /// Who the audit log names for a change: `web:USER`, or `api:USER@TOKEN` when an API
    /// token was used (the trail shows the person and the token's name).
    pub fn actor(&self) -> Result<String, AppError> {
        let who = self.require()?;
        Ok(match &self.token {
            Some(t) => format!("api:{}@{}", who.user.username, t.name),
            None => who.actor(),
        })
    }

    /// The logged-in user or 401.
    pub fn require(&self) -> Result<&Identity, AppError> {
        self.identity.as_deref().ok_or(AppError::Unauthorized)
    }

    /// True if logged in as admin.
    pub fn is_admin(&self) -> bool {
        self.identity.as_ref().is_some_and(|i| i.is_admin())
    }

    /// May read this plan (public plans are readable by anyone).
    pub fn can_read(&self, doc: &DocumentSummary, public: bool) -> bool {
        public
            || self
                .identity
                .as_ref()
                .is_some_and(|i| i.reads(doc.region_id))
    }

    /// Reads this plan through a grant (or as admin), not merely because it is public:
    /// the internal record (submissions, notes, evidence, audit trail) is for these.
    pub fn reads_internally(&self, doc: &DocumentSummary) -> bool {
        self.identity
            .as_ref()
            .is_some_and(|i| i.reads(doc.region_id))
    }

    /// May change anything in this plan.
    pub fn can_plan(&self, doc: &DocumentSummary) -> bool {
        self.identity
            .as_ref()
            .is_some_and(|i| i.plans(doc.region_id))
    }

    /// May report progress on this task (its lead or a supporting department).
    pub fn can_report_task(
        &self,
        doc: &DocumentSummary,
        task: &TaskRow,
        deps: &[Department],
    ) -> bool {
        let Some(i) = self.identity.as_ref() else {
            return false;
        };
        if i.plans(doc.region_id) {
            return true;
        }
        let support = deps
            .iter()
            .filter(|d| task.support_departments.contains(&d.name))
            .map(|d| d.id);
        std::iter::once(task.lead_department_id)
            .chain(support.map(Some))
            .any(|d| i.edits_for(d))
    }

    /// May report a value for this indicator (its responsible department).
    pub fn can_report_indicator(&self, doc: &DocumentSummary, ind: &IndicatorRow) -> bool {
        self.identity
            .as_ref()
            .is_some_and(|i| i.plans(doc.region_id) || i.edits_for(ind.department_id))
    }
}

/// The value of cookie `name` in the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path /, Secure when configured.
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let v = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn is_hex_token(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

async fn identity(state: &AppState, user: User) -> Result<Identity, AppError> {
    let grants = state.store.grants_of(user.id).await?;
    let dep_ids: Vec<i64> = grants
        .iter()
        .filter(|g| g.role == "editor")
        .filter_map(|g| g.department_id)
        .collect();
    let departments = if dep_ids.is_empty() {
        Vec::new()
    } else {
        state
            .store
            .list_departments(None)
            .await?
            .into_iter()
            .filter(|d| dep_ids.contains(&d.id))
            .collect()
    };
    Ok(Identity {
        user,
        grants,
        departments,
    })
}

/// Find the viewer of a request; `Err` only for a database failure.
async fn viewer_of(
    state: &AppState,
    headers: &HeaderMap,
    api: bool,
) -> Result<(Viewer, bool), AppError> {
    if api
        && let Some(token) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
    {
        let token = token.trim();
        if !is_hex_token(token) {
            return Err(AppError::Unauthorized);
        }
        return match state
            .store
            .api_token_user(&sha256_hex(token.as_bytes()))
            .await?
        {
            Some((token, user)) => Ok((
                Viewer {
                    identity: Some(Arc::new(identity(state, user).await?)),
                    csrf: String::new(),
                    session_hash: None,
                    token: Some(token),
                },
                false,
            )),
            None => Err(AppError::Unauthorized),
        };
    }
    if let Some(secret) = cookie(headers, SESSION_COOKIE).filter(|s| is_hex_token(s)) {
        let hash = sha256_hex(secret.as_bytes());
        if let Some((session, user)) = state.store.session_user(&hash).await? {
            return Ok((
                Viewer {
                    identity: Some(Arc::new(identity(state, user).await?)),
                    csrf: session.csrf_token,
                    session_hash: Some(hash),
                    token: None,
                },
                false,
            ));
        }
    }
    match cookie(headers, ANON_COOKIE).filter(|s| is_hex_token(s)) {
        Some(csrf) => Ok((
            Viewer {
                identity: None,
                csrf: csrf.to_string(),
                session_hash: None,
                token: None,
            },
            false,
        )),
        None => Ok((
            Viewer {
                identity: None,
                csrf: random_token(),
                session_hash: None,
                token: None,
            },
            true,
        )),
    }
}

fn query_csrf(req: &Request) -> Option<String> {
    req.uri().query().and_then(|q| {
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "csrf")
            .map(|(_, v)| v.to_string())
    })
}

/// Check the CSRF token of an unsafe request; returns the request (body restored).
async fn check_csrf(viewer: &Viewer, req: Request) -> Result<Request, AppError> {
    if let Some(h) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return if !viewer.csrf.is_empty() && same_secret(h, &viewer.csrf) {
            Ok(req)
        } else {
            Err(AppError::Csrf)
        };
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        return match query_csrf(&req) {
            Some(t) if !viewer.csrf.is_empty() && same_secret(&t, &viewer.csrf) => Ok(req),
            _ => Err(AppError::Csrf),
        };
    }
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let (parts, body) = req.into_parts();
        let bytes = to_bytes(body, FORM_LIMIT)
            .await
            .map_err(|_| AppError::TooLarge)?;
        let probe = Request::from_parts(parts.clone(), Body::from(bytes.clone()));
        let Form(fields): Form<Vec<(String, String)>> = Form::from_request(probe, &())
            .await
            .map_err(|_| AppError::Csrf)?;
        let ok = fields
            .iter()
            .find(|(k, _)| k == "csrf")
            .is_some_and(|(_, v)| !viewer.csrf.is_empty() && same_secret(v, &viewer.csrf));
        return if ok {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        } else {
            Err(AppError::Csrf)
        };
    }
    Err(AppError::Csrf)
}

/// Middleware: resolve the viewer, check CSRF on unsafe methods, then run the handler.
///
/// Static files are the same for everyone and cached publicly: they get no viewer, no
/// database look-up and never a `Set-Cookie` (a shared cache would hand one visitor's
/// cookie to the next).
pub async fn resolve(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/static/")
        && matches!(*req.method(), Method::GET | Method::HEAD)
    {
        return next.run(req).await;
    }
    let api = req.uri().path().starts_with("/api/");
    let headers = req.headers().clone();
    let (viewer, fresh_anon) = match viewer_of(&state, &headers, api).await {
        Ok(v) => v,
        Err(e) if api => return e.into_json(),
        Err(e) => return e.into_response(),
    };
    if let Some(token) = &viewer.token {
        let per_minute = state.config.api_requests_per_minute;
        if let Err(wait) = state
            .token_limiter
            .take(token.id, per_minute, std::time::Instant::now())
        {
            return AppError::RateLimited(crate::rate::retry_after_secs(wait)).into_json();
        }
    }
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // A change through the API without a token or a session: not logged in (a CSRF
    // refusal would suggest a form to refresh).
    if api && !safe && viewer.identity.is_none() {
        return AppError::Unauthorized.into_json();
    }
    let mut req = req;
    // A bearer token is never sent by a browser on its own: no cross-site forgery to stop.
    if !safe && viewer.token.is_none() {
        req = match check_csrf(&viewer, req).await {
            Ok(r) => r,
            Err(e) if api => return e.into_json(),
            Err(e) => return e.into_response(),
        };
    }
    let csrf = viewer.csrf.clone();
    req.extensions_mut().insert(viewer);
    let mut resp = next.run(req).await;
    if fresh_anon {
        resp.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(ANON_COOKIE, &csrf, 24 * 3600, state.config.secure_cookies),
        );
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_round_trip() {
        let h = hash_password("青溪2026!").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("青溪2026!", &h));
        assert!(!verify_password("青溪2026", &h));
        assert!(!verify_password("x", "not a phc string"));
    }

    #[test]
    fn weak_passwords_are_refused() {
        let check = |user: &str, pw: &str, ok: bool| {
            assert_eq!(check_password(user, pw).is_ok(), ok, "{user} / {pw}");
        };
        check("planner", "青溪县规划科2026年度", true);
        check("planner", "correct horse battery", true);
        check("planner", "short", false);
        check("planner", "1234567890", false);
        check("planner", "Password123", false);
        check("planner", "QWERTYUIOP", false);
        check("plannerxyz", "plannerxyz", false);
        check("Planner-Two", "planner-two", false);
        check("wang", "my-wang-password", false);
        check("li", "li-is-fine-here", true);
        check("planner", "aaaaaaaaaaaa", false);
        check("planner", "abababababab", false);
        check("planner", &"长".repeat(300), false);
    }

    #[test]
    fn cookies_are_found_by_name() {
        let check = |raw: &str, name: &str, expect: Option<&str>| {
            let mut h = HeaderMap::new();
            h.insert(header::COOKIE, HeaderValue::from_str(raw).unwrap());
            assert_eq!(cookie(&h, name), expect, "{raw}");
        };
        check("pw_session=abc", "pw_session", Some("abc"));
        check("a=1; pw_session=abc; b=2", "pw_session", Some("abc"));
        check("pw_session_x=abc", "pw_session", None);
        check("", "pw_session", None);
    }

    #[test]
    fn secrets_compare_exactly() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
        let t = random_token();
        assert_eq!(t.len(), 64);
        assert!(is_hex_token(&t));
        assert_ne!(t, random_token());
    }

    #[test]
    fn set_cookie_flags() {
        let v = set_cookie("pw_session", "x", 60, true);
        assert_eq!(
            v.to_str().unwrap(),
            "pw_session=x; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure"
        );
        let v = set_cookie("pw_session", "x", 0, false);
        assert!(!v.to_str().unwrap().contains("Secure"));
    }
}
