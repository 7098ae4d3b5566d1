//! Per-token rate limits of the JSON API: each API token has a bucket of
//! `per_minute` requests that refills continuously; a request finding it empty is
//! answered `429` with `Retry-After` (whole seconds until one request is available).
//! Browser sessions are not limited here (their pages are the office's own work);
//! logins have their own limiter ([`crate::state::LoginLimiter`]).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The buckets of every token seen.
#[derive(Debug, Default)]
pub struct TokenLimiter {
    buckets: Mutex<HashMap<i64, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    /// Requests available now (fractional while refilling).
    available: f64,
    /// When `available` was last brought up to date.
    at: Instant,
}

impl TokenLimiter {
    /// Tokens remembered before idle buckets are forgotten.
    const REMEMBERED: usize = 10_000;

    /// Take one request from token `id`'s bucket of `per_minute`, or say how long to
    /// wait for the next one.
    pub fn take(&self, id: i64, per_minute: u32, now: Instant) -> Result<(), Duration> {
        let per_minute = f64::from(per_minute.max(1));
        let per_second = per_minute / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= Self::REMEMBERED {
            // A full bucket is the same as no bucket: forget those.
            buckets.retain(|_, b| {
                b.available + now.saturating_duration_since(b.at).as_secs_f64() * per_second
                    < per_minute
            });
        }
        let bucket = buckets.entry(id).or_insert(Bucket {
            available: per_minute,
            at: now,
        });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.available = (bucket.available + elapsed * per_second).min(per_minute);
        bucket.at = now;
        if bucket.available >= 1.0 {
            bucket.available -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - bucket.available) / per_second,
            ))
        }
    }
}

/// Whole seconds to announce in `Retry-After` for a wait (at least 1).
pub fn retry_after_secs(wait: Duration) -> u64 {
    wait.as_secs_f64().ceil().max(1.0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_holds_a_minute_of_requests_and_refills_continuously() {
        let limiter = TokenLimiter::default();
        let t0 = Instant::now();
        for _ in 0..60 {
            assert!(limiter.take(7, 60, t0).is_ok());
        }
        // The 61st request in the same instant waits one second (60 a minute).
        let wait = limiter.take(7, 60, t0).unwrap_err();
        assert_eq!(retry_after_secs(wait), 1);
        // Half a second later half a request has come back: still half a second to wait.
        let wait = limiter
            .take(7, 60, t0 + Duration::from_millis(500))
            .unwrap_err();
        assert!((wait.as_secs_f64() - 0.5).abs() < 1e-6, "{wait:?}");
        assert!(limiter.take(7, 60, t0 + Duration::from_secs(1)).is_ok());
    }

    #[test]
    fn tokens_have_their_own_buckets() {
        let limiter = TokenLimiter::default();
        let t0 = Instant::now();
        assert!(limiter.take(1, 1, t0).is_ok());
        assert!(limiter.take(1, 1, t0).is_err());
        assert!(
            limiter.take(2, 1, t0).is_ok(),
            "another token is not held back"
        );
        // 1 a minute: the next one comes 60 s later.
        let wait = limiter.take(1, 1, t0).unwrap_err();
        assert_eq!(retry_after_secs(wait), 60);
    }
}
