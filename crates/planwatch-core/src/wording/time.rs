//! Local time for people: the store keeps UTC (`2026-12-06T03:30:05.896Z`, which sorts
//! on both backends); pages and messages show `2026-12-06 11:30` in the office's time
//! zone, Beijing time unless configured (`planwatch serve --time-zone`).
//!
//! Core does no IO, so it never reads a time-zone database: the default is the fixed
//! offset UTC+08:00, which is Asia/Shanghai for every time since 1991 (China has kept
//! no daylight saving since); a zone by name is looked up by the caller and handed in
//! with [`LocalTime::new`].

use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};

/// The time zone times are shown in, with what to call it on a page.
#[derive(Debug, Clone)]
pub struct LocalTime {
    tz: TimeZone,
    name: String,
}

impl Default for LocalTime {
    /// Asia/Shanghai (北京时间).
    fn default() -> Self {
        LocalTime::beijing()
    }
}

impl LocalTime {
    /// Beijing time, UTC+08:00.
    pub fn beijing() -> LocalTime {
        LocalTime {
            tz: TimeZone::fixed(Offset::constant(8)),
            name: "北京时间".into(),
        }
    }

    /// A zone the caller looked up (`TimeZone::get("Asia/Urumqi")`), shown as `name`.
    pub fn new(tz: TimeZone, name: &str) -> LocalTime {
        LocalTime {
            tz,
            name: name.to_string(),
        }
    }

    /// A fixed offset (`+08:00`, `-05:30`, `+8`, within ±14 hours); `None` if `s` is
    /// not one. `+08:00` is Beijing time.
    pub fn offset(s: &str) -> Option<LocalTime> {
        let offset = parse_offset(s.trim())?;
        if offset == Offset::constant(8) {
            return Some(LocalTime::beijing());
        }
        Some(LocalTime {
            tz: TimeZone::fixed(offset),
            name: format!("UTC{offset}"),
        })
    }

    /// What to call the zone on a page: 北京时间, else its name or offset.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A stored UTC timestamp as local `YYYY-MM-DD HH:MM`; text that is not a
    /// timestamp comes back unchanged (a date alone stays a date).
    pub fn local(&self, stored: &str) -> String {
        match stored.trim().parse::<Timestamp>() {
            Ok(t) => self
                .tz
                .to_datetime(t)
                .strftime("%Y-%m-%d %H:%M")
                .to_string(),
            Err(_) => stored.to_string(),
        }
    }
}

impl LocalTime {
    /// The calendar date of instant `t` in this zone (what "today" is for the office).
    pub fn date_of(&self, t: Timestamp) -> jiff::civil::Date {
        self.tz.to_datetime(t).date()
    }

    /// The last millisecond of `date` in this zone, as the store writes times
    /// (`2027-12-31T15:59:59.999Z` for 31 December 2027 in Beijing): "valid through
    /// that day" for a token's expiry. `None` if the date cannot be placed.
    pub fn end_of_day_utc(&self, date: jiff::civil::Date) -> Option<String> {
        let end = self
            .tz
            .to_ambiguous_timestamp(date.at(23, 59, 59, 999_000_000))
            .later()
            .ok()?;
        Some(end.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
    }
}

/// `+08:00`, `-05:30` or `+8`, within ±14 hours.
fn parse_offset(s: &str) -> Option<Offset> {
    if !s.starts_with(['+', '-']) {
        return None;
    }
    let sign = if s.starts_with('-') { -1 } else { 1 };
    let (h, m) = s[1..].split_once(':').unwrap_or((&s[1..], "0"));
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if !(0..=14).contains(&h) || !(0..60).contains(&m) || h * 60 + m > 14 * 60 {
        return None;
    }
    Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_utc_reads_as_beijing_time() {
        let bj = LocalTime::default();
        assert_eq!(bj.local("2026-12-06T03:30:05.896Z"), "2026-12-06 11:30");
        // 20:15 UTC on New Year's Eve is already 4:15 on 1 January in Beijing.
        assert_eq!(bj.local("2025-12-31T20:15:00Z"), "2026-01-01 04:15");
        // 2024 is a leap year: 28 February 23:00 UTC is 29 February in Beijing.
        assert_eq!(bj.local("2024-02-28T23:00:00.000Z"), "2024-02-29 07:00");
        assert_eq!(bj.local("2024-03-15"), "2024-03-15");
        assert_eq!(bj.local("不是时间"), "不是时间");
        assert_eq!(bj.name(), "北京时间");
    }

    #[test]
    fn offsets_are_read_and_bounded() {
        let ist = LocalTime::offset("+05:30").unwrap();
        assert_eq!(ist.local("2026-12-06T03:30:00Z"), "2026-12-06 09:00");
        assert_eq!(ist.name(), "UTC+05:30");
        let ny = LocalTime::offset("-05:00").unwrap();
        assert_eq!(ny.local("2026-01-01T03:00:00Z"), "2025-12-31 22:00");
        let bj = LocalTime::offset("+8").unwrap();
        assert_eq!(bj.local("2026-01-01T03:00:00Z"), "2026-01-01 11:00");
        assert_eq!(bj.name(), "北京时间");
        assert!(LocalTime::offset("+15:00").is_none());
        assert!(LocalTime::offset("+08:75").is_none());
        assert!(LocalTime::offset("8").is_none());
        assert!(LocalTime::offset("北京").is_none());
    }

    #[test]
    fn the_end_of_a_day_is_its_last_millisecond_in_the_zone() {
        let day = jiff::civil::date(2027, 12, 31);
        let end = LocalTime::beijing().end_of_day_utc(day);
        assert_eq!(end.as_deref(), Some("2027-12-31T15:59:59.999Z"));
        let west = LocalTime::offset("-05:00").unwrap().end_of_day_utc(day);
        assert_eq!(west.as_deref(), Some("2028-01-01T04:59:59.999Z"));
    }

    #[test]
    fn today_is_the_office_s_date_not_utc_s() {
        // 17:00 UTC on 31 December is already 1 January in Beijing.
        let t: Timestamp = "2026-12-31T17:00:00Z".parse().unwrap();
        assert_eq!(
            LocalTime::beijing().date_of(t),
            jiff::civil::date(2027, 1, 1)
        );
        let west = LocalTime::offset("-05:00").unwrap();
        assert_eq!(west.date_of(t), jiff::civil::date(2026, 12, 31));
    }
}
