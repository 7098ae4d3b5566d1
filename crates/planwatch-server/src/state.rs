//! What every request handler shares: the store, the settings, the login limiter,
//! the evaluation cache and uploads waiting for confirmation.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use planwatch_store::Store;

use crate::cache::EvalCache;

/// Settings of the web application.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` (true unless the server listens on loopback only).
    pub secure_cookies: bool,
    /// Session lifetime in seconds.
    pub session_ttl_secs: i64,
    /// Largest plan document accepted for upload, in bytes.
    pub max_plan_bytes: usize,
    /// Largest actuals file or evidence file accepted, in bytes.
    pub max_file_bytes: usize,
    /// Failed logins allowed per user name and per client address within the window.
    pub login_attempts: u32,
    /// The window of the login limiter.
    pub login_window: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: true,
            session_ttl_secs: 12 * 3600,
            max_plan_bytes: 16 << 20,
            max_file_bytes: 8 << 20,
            login_attempts: 5,
            login_window: Duration::from_secs(15 * 60),
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

/// Failed-login counter per key (user name, client address) with a sliding window.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginLimiter {
    /// True if `key` has used up its attempts within `window`.
    pub fn blocked(&self, key: &str, limit: u32, window: Duration) -> bool {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        match map.get_mut(key) {
            Some(v) => {
                v.retain(|t| t.elapsed() < window);
                v.len() >= limit as usize
            }
            None => false,
        }
    }

    /// Count a failed attempt for `key`.
    pub fn fail(&self, key: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 10_000 {
            // Bound the memory an attacker can make us use; old entries go first.
            map.retain(|_, v| {
                v.last()
                    .is_some_and(|t| t.elapsed() < Duration::from_secs(3600))
            });
        }
        map.entry(key.to_string()).or_default().push(Instant::now());
    }

    /// Forget the failures of `key` (after a successful login).
    pub fn clear(&self, key: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(key);
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
}

impl AppState {
    /// State over a store with the given settings.
    pub fn new(store: Store, config: Config) -> AppState {
        AppState {
            store,
            config: Arc::new(config),
            limiter: Arc::default(),
            cache: Arc::default(),
            uploads: Arc::default(),
        }
    }
}
