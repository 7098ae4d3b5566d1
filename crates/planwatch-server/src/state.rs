//! What every request handler shares: the store, the settings, the login limiter,
//! the evaluation cache, uploads waiting for confirmation and the pool for heavy work.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use planwatch_store::Store;

use crate::cache::EvalCache;
use crate::heavy::Heavy;

/// Settings of the web application.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` (true unless the server listens on loopback only).
    pub secure_cookies: bool,
    /// Send `Strict-Transport-Security` (true when bound to a non-loopback address, where
    /// the server is expected behind HTTPS).
    pub hsts: bool,
    /// Session lifetime in seconds.
    pub session_ttl_secs: i64,
    /// Largest plan document accepted for upload, in bytes.
    pub max_plan_bytes: usize,
    /// Largest actuals file or evidence file accepted, in bytes.
    pub max_file_bytes: usize,
    /// Failed logins of one account before it must wait (the wait then doubles with each
    /// further failure, up to `login_window`).
    pub login_attempts: u32,
    /// Failed logins from one client address (all accounts together) before it must
    /// wait: much higher than per account, since an office shares one address behind NAT.
    pub address_attempts: u32,
    /// Failures older than this are forgotten; also the longest wait.
    pub login_window: Duration,
    /// The first wait after `login_attempts` failures.
    pub login_backoff: Duration,
    /// Reverse proxies whose `X-Forwarded-For` is believed: a request from one of these
    /// addresses is counted against the address the proxy saw. Empty: the header is ignored.
    pub trusted_proxies: Vec<IpAddr>,
    /// CPU-heavy jobs (parsing, reading data files, building workbooks) running at once.
    pub heavy_jobs: usize,
    /// Jobs allowed to wait for a slot; more are refused as "busy".
    pub heavy_queue: usize,
    /// Longest a job may wait for a slot, and again longest it may run.
    pub heavy_time_limit: Duration,
    /// The time zone pages show times in (北京时间 unless configured).
    pub time_zone: planwatch_core::wording::LocalTime,
    /// Requests a minute one API token may make (see [`crate::rate`]).
    pub api_requests_per_minute: u32,
    /// The login page lists the demo's accounts (`serve --demo` only).
    pub demo_logins: bool,
}

impl Default for Config {
    fn default() -> Self {
        // Leave a core to the pages: on two cores, one heavy job at a time.
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Config {
            secure_cookies: true,
            hsts: false,
            session_ttl_secs: 12 * 3600,
            max_plan_bytes: 16 << 20,
            max_file_bytes: 8 << 20,
            login_attempts: 5,
            address_attempts: 100,
            login_window: Duration::from_secs(15 * 60),
            login_backoff: Duration::from_secs(60),
            trusted_proxies: Vec::new(),
            heavy_jobs: (cores / 2).max(1),
            heavy_queue: 8,
            heavy_time_limit: Duration::from_secs(60),
            time_zone: planwatch_core::wording::LocalTime::default(),
            api_requests_per_minute: 600,
            demo_logins: false,
        }
    }
}

/// An uploaded file waiting for the user to confirm it after the preview.
#[derive(Debug, Clone)]
pub struct Pending {
    /// Who uploaded it (only they may commit it).
    pub user_id: i64,
    /// File name as uploaded.
    pub file_name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Region code chosen for a plan upload.
    pub region_code: Option<String>,
    /// When it arrived.
    pub at: Instant,
}

/// Uploads waiting for confirmation, by random id; at most [`Uploads::CAPACITY`],
/// each kept for 30 minutes.
#[derive(Debug, Default)]
pub struct Uploads {
    items: Mutex<HashMap<String, Pending>>,
}

impl Uploads {
    /// Most uploads kept at once (oldest dropped first).
    pub const CAPACITY: usize = 32;
    const TTL: Duration = Duration::from_secs(30 * 60);

    /// Keep an upload under `id`.
    pub fn put(&self, id: String, p: Pending) {
        let mut items = self.items.lock().unwrap_or_else(|e| e.into_inner());
        items.retain(|_, v| v.at.elapsed() < Self::TTL);
        while items.len() >= Self::CAPACITY {
            let oldest = items
                .iter()
                .min_by_key(|(_, v)| v.at)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => items.remove(&k),
                None => break,
            };
        }
        items.insert(id, p);
    }

    /// Take the upload `id` if it belongs to `user_id` and has not expired; anyone else's
    /// attempt leaves it in place.
    pub fn take(&self, id: &str, user_id: i64) -> Option<Pending> {
        let mut items = self.items.lock().unwrap_or_else(|e| e.into_inner());
        match items.get(id) {
            Some(p) if p.user_id == user_id && p.at.elapsed() < Self::TTL => items.remove(id),
            _ => None,
        }
    }
}

/// What the login limiter counts against.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimits {
    /// Failures of one account before it waits.
    pub account: u32,
    /// Failures from one address before it waits.
    pub address: u32,
    /// How long failures are remembered; the longest wait.
    pub window: Duration,
    /// The first wait of an account.
    pub backoff: Duration,
}

impl LoginLimits {
    /// The limits of a configuration.
    pub fn of(c: &Config) -> LoginLimits {
        LoginLimits {
            account: c.login_attempts,
            address: c.address_attempts,
            window: c.login_window,
            backoff: c.login_backoff,
        }
    }
}

/// A login attempt the limiter let through; it already counts as a failure until
/// [`LoginLimiter::succeed`] takes it back.
#[derive(Debug)]
pub struct LoginAttempt {
    account: String,
    address: Option<String>,
    id: u64,
}

/// Failed logins per account (with a doubling wait) and per client address (a much
/// higher ceiling), in a sliding window.
///
/// The check and the count are one step under one lock ([`LoginLimiter::begin`]): an
/// attempt is counted as a failure before its password is verified, so forty parallel
/// guesses cannot all pass the check before the first one is counted.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<(Instant, u64)>>>,
    next_id: std::sync::atomic::AtomicU64,
}

impl LoginLimiter {
    /// Let an attempt on `account` from `address` through and count it, or refuse it
    /// (`None`) while the account or the address must wait.
    pub fn begin(
        &self,
        account: &str,
        address: Option<&str>,
        limits: &LoginLimits,
    ) -> Option<LoginAttempt> {
        let account = format!("user:{account}");
        let address = address.map(|a| format!("addr:{a}"));
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 10_000 {
            // Bound the memory an attacker can make us use: forget settled keys.
            map.retain(|_, v| v.last().is_some_and(|(t, _)| t.elapsed() < limits.window));
        }
        let recent = |map: &mut HashMap<String, Vec<(Instant, u64)>>, key: &str| {
            let v = map.entry(key.to_string()).or_default();
            v.retain(|(t, _)| now.duration_since(*t) < limits.window);
            (v.len(), v.last().map(|(t, _)| *t))
        };
        let (n, last) = recent(&mut map, &account);
        if let (Some(excess), Some(last)) = (n.checked_sub(limits.account as usize), last) {
            // 1×, 2×, 4×… the first wait, never longer than the window.
            let factor = 1u32 << excess.min(16);
            let wait = limits.backoff.saturating_mul(factor).min(limits.window);
            if now.duration_since(last) < wait {
                return None;
            }
        }
        if let Some(a) = &address {
            let (n, _) = recent(&mut map, a);
            if n >= limits.address as usize {
                return None;
            }
        }
        let id = self
            .next_id
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        for key in std::iter::once(&account).chain(address.as_ref()) {
            map.entry(key.clone()).or_default().push((now, id));
        }
        Some(LoginAttempt {
            account,
            address,
            id,
        })
    }

    /// The password was right: forget the account's failures, and take back this
    /// attempt's count on the address (other accounts' failures from it stay).
    pub fn succeed(&self, attempt: LoginAttempt) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&attempt.account);
        if let Some(a) = &attempt.address
            && let Some(v) = map.get_mut(a)
        {
            v.retain(|(_, id)| *id != attempt.id);
        }
    }
}

/// The state shared by all handlers (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Settings.
    pub config: Arc<Config>,
    /// Login rate limiting.
    pub limiter: Arc<LoginLimiter>,
    /// Plan evaluations, keyed by the database change stamp.
    pub cache: Arc<EvalCache>,
    /// Uploads waiting for confirmation.
    pub uploads: Arc<Uploads>,
    /// CPU-heavy work, off the async workers.
    pub heavy: Arc<Heavy>,
    /// API requests per token.
    pub token_limiter: Arc<crate::rate::TokenLimiter>,
    /// Reports being built for the web app, and built ones waiting for download.
    pub report_jobs: Arc<crate::report_jobs::ReportJobs>,
}

impl AppState {
    /// State over a store with the given settings.
    pub fn new(store: Store, config: Config) -> AppState {
        AppState {
            store,
            limiter: Arc::default(),
            cache: Arc::default(),
            uploads: Arc::default(),
            report_jobs: Arc::default(),
            token_limiter: Arc::default(),
            heavy: Arc::new(Heavy::new(
                config.heavy_jobs,
                config.heavy_queue,
                config.heavy_time_limit,
            )),
            config: Arc::new(config),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(account: u32, address: u32, backoff_ms: u64) -> LoginLimits {
        LoginLimits {
            account,
            address,
            window: Duration::from_secs(900),
            backoff: Duration::from_millis(backoff_ms),
        }
    }

    #[test]
    fn an_account_waits_after_its_failures_and_the_wait_grows() {
        let l = LoginLimiter::default();
        let lim = limits(3, 100, 60_000);
        for _ in 0..3 {
            assert!(l.begin("viewer", Some("10.0.0.1"), &lim).is_some());
        }
        assert!(
            l.begin("viewer", Some("10.0.0.2"), &lim).is_none(),
            "account waits"
        );
        assert!(
            l.begin("editor", Some("10.0.0.1"), &lim).is_some(),
            "others do not"
        );
        // With a 30 ms first wait: through after it, then the wait doubles to 60 ms.
        let l = LoginLimiter::default();
        let lim = limits(1, 100, 30);
        assert!(l.begin("a", None, &lim).is_some());
        assert!(l.begin("a", None, &lim).is_none());
        std::thread::sleep(Duration::from_millis(40));
        assert!(l.begin("a", None, &lim).is_some());
        std::thread::sleep(Duration::from_millis(40));
        assert!(l.begin("a", None, &lim).is_none(), "second wait is 60 ms");
    }

    #[test]
    fn success_clears_only_the_own_account() {
        let l = LoginLimiter::default();
        let lim = limits(5, 6, 60_000);
        for _ in 0..4 {
            l.begin("victim", Some("nat"), &lim).unwrap();
        }
        let ok = l.begin("admin", Some("nat"), &lim).unwrap();
        l.succeed(ok);
        // The address keeps victim's four failures; admin's attempt was taken back.
        let mine = l.begin("admin", Some("nat"), &lim).unwrap();
        l.succeed(mine);
        l.begin("victim", Some("nat"), &lim).unwrap();
        assert!(
            l.begin("victim", Some("nat"), &lim).is_none(),
            "victim: 5 failures"
        );
        assert!(
            l.begin("third", Some("nat"), &lim).is_some(),
            "address: 5 of 6"
        );
        assert!(
            l.begin("fourth", Some("nat"), &lim).is_none(),
            "address: 6 of 6"
        );
    }

    #[test]
    fn parallel_attempts_cannot_all_pass_the_check() {
        let l = Arc::new(LoginLimiter::default());
        let lim = limits(5, 100, 60_000);
        let passed: usize = std::thread::scope(|s| {
            let handles: Vec<_> = (0..40)
                .map(|_| s.spawn(|| l.begin("planner", Some("1.2.3.4"), &lim).is_some()))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or(false))
                .filter(|passed| *passed)
                .count()
        });
        assert_eq!(passed, 5);
    }
}
