//! Timestamps as ISO 8601 UTC text with milliseconds, which sorts correctly on both
//! backends (the schema keeps times as text; see the crate docs on `sqlx::Any`).

use jiff::{SignedDuration, Timestamp};

/// Now, as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub(crate) fn now() -> String {
    format(Timestamp::now())
}

/// `secs` seconds from now, formatted like [`now`].
pub(crate) fn in_seconds(secs: i64) -> String {
    let t = Timestamp::now()
        .checked_add(SignedDuration::from_secs(secs))
        .unwrap_or(Timestamp::MAX);
    format(t)
}

/// Today (UTC), as `YYYY-MM-DD`.
pub(crate) fn today() -> String {
    now()[..10].to_string()
}

/// The stored form of an instant.
pub(crate) fn format(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        let check = |ms: i64, expect: &str| {
            let t = Timestamp::from_millisecond(ms).unwrap();
            assert_eq!(format(t), expect, "{ms}");
        };
        check(0, "1970-01-01T00:00:00.000Z");
        // 2000-03-01 is day 11017: 30 years * 365 + 7 leap days + 31 + 29 = 11017.
        check(11_017 * 86_400_000, "2000-03-01T00:00:00.000Z");
        // 2018-01-01T12:30:45.5Z = 1514764800 s + 45045.5 s.
        check(1_514_764_800_000 + 45_045_500, "2018-01-01T12:30:45.500Z");
        // 2024-02-29 (leap day) = 1709164800 s.
        check(1_709_164_800_000, "2024-02-29T00:00:00.000Z");
        check(-1, "1969-12-31T23:59:59.999Z");
    }
}
