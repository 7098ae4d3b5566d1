//! Timestamps as ISO 8601 UTC text, which sorts correctly on both backends.

use std::time::{SystemTime, UNIX_EPOCH};

use planwatch_core::calendar::civil_from_days;

/// Now, as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub(crate) fn now() -> String {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    format_millis(d.as_millis() as i64)
}

/// `secs` seconds from now, formatted like [`now`].
pub(crate) fn in_seconds(secs: i64) -> String {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    format_millis(d.as_millis() as i64 + secs * 1000)
}

/// Today, as `YYYY-MM-DD`.
pub(crate) fn today() -> String {
    now()[..10].to_string()
}

/// Format milliseconds since the epoch.
pub(crate) fn format_millis(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        let check = |ms: i64, expect: &str| assert_eq!(format_millis(ms), expect, "{ms}");
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
