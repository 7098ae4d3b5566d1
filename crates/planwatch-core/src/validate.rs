//! Plausibility rules for what people and files hand us: years, numbers per unit,
//! dates, free text and file names.
//!
//! One set of rules for every door: the web forms, the store's import path and
//! the evaluation all ask here, so a year the form refuses cannot come in through
//! a CSV file, and a value stored before the rules existed cannot make the
//! evaluation misbehave. Every message is zh-CN and starts with the field's label,
//! so callers only add the row or file.

/// First year a plan, observation or correction may name (the founding of the PRC).
pub const FIRST_YEAR: i32 = 1949;
/// Last year a plan, observation or correction may name.
pub const LAST_YEAR: i32 = 2100;

/// True if `year` lies within [`FIRST_YEAR`]..=[`LAST_YEAR`].
pub fn year_ok(year: i64) -> bool {
    (i64::from(FIRST_YEAR)..=i64::from(LAST_YEAR)).contains(&year)
}

/// A year within range, or a message naming the field.
pub fn year(label: &str, year: i64) -> Result<i32, String> {
    if year_ok(year) {
        // In range, so it fits.
        Ok(year as i32)
    } else {
        Err(format!("{label}“{year}”不在{FIRST_YEAR}—{LAST_YEAR}年之间"))
    }
}

/// Largest magnitude a value in `unit` may have.
///
/// Generous on purpose (a national total must pass), but finite per unit, so a typo
/// of ten extra digits or `1e308` is refused instead of drawn as a 309-digit number.
pub fn max_magnitude(unit: Option<&str>) -> f64 {
    let unit = unit.map(str::trim).unwrap_or_default();
    if unit.contains(['%', '％']) || unit.contains("百分点") {
        // Shares stay within 100; growth rates of a small base can reach a few hundred.
        return 1e4;
    }
    if unit.contains('‰') {
        return 1e5;
    }
    match unit {
        // The national GDP is about 1.3e6 亿元.
        u if u.starts_with('亿') => 1e8,
        u if u.starts_with("万亿") => 1e4,
        u if u.starts_with('万') => 1e12,
        _ => 1e15,
    }
}

/// A finite number within the range of its unit, or a message naming the field.
pub fn value(label: &str, value: f64, unit: Option<&str>) -> Result<(), String> {
    if !value.is_finite() {
        return Err(format!("{label}不是有限数值"));
    }
    let max = max_magnitude(unit);
    if value.abs() > max {
        let unit = unit.filter(|u| !u.trim().is_empty()).unwrap_or("无单位");
        // Scientific notation: 1e308 written out would be 309 digits long.
        return Err(format!(
            "{label}“{value:e}”超出合理范围（单位{unit}时绝对值不超过{max:e}）"
        ));
    }
    Ok(())
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// A calendar date, normalised to `YYYY-MM-DD`.
///
/// Accepts `2024-03-05`, `2024-3-5`, `2024/03/05`, `2024.3.5` and `2024年3月5日`, with
/// an ignored time after a space or `T` (how spreadsheets write dates). The month,
/// the day of that month and the year range are checked: `2025-13-45` is refused.
pub fn date(label: &str, text: &str) -> Result<String, String> {
    let bad = || format!("{label}“{text}”不是有效日期（应为 YYYY-MM-DD）");
    let t = text.trim();
    let t = t.split([' ', 'T']).next().unwrap_or_default();
    let t = t.trim_end_matches('日');
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let digits = |s: &str, max_len: usize| -> Option<u32> {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (digits(y, 4), digits(m, 2), digits(d, 2)) else {
        return Err(bad());
    };
    let y = year(label, i64::from(y))?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return Err(bad());
    }
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

/// Characters that change how text is displayed without being visible: C0/C1 controls,
/// bidirectional overrides, embeddings, isolates and marks, zero-width characters and
/// the byte-order mark. U+202E placed before `txt.exe` makes `evil…txt.exe` read as `evilexe.txt`.
pub fn is_hidden_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{061C}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// Text a person typed into one field, trimmed; refused (naming the field) if it is
/// longer than `max_chars` or holds hidden characters. `multiline` allows line breaks
/// and tabs (a progress report), otherwise they are refused too.
pub fn text(label: &str, raw: &str, max_chars: usize, multiline: bool) -> Result<String, String> {
    let t = raw.trim();
    if let Some(c) = t.chars().find(|&c| {
        let allowed = multiline && matches!(c, '\n' | '\r' | '\t');
        !allowed && is_hidden_char(c)
    }) {
        return Err(format!(
            "{label}含有不可见的控制字符或方向控制字符(U+{:04X})，请删除后重试",
            u32::from(c)
        ));
    }
    let n = t.chars().count();
    if n > max_chars {
        return Err(format!("{label}过长（{n} 个字符，最多 {max_chars} 个）"));
    }
    Ok(t.to_string())
}

/// A file name as uploaded, made safe to store and show: the last path component,
/// hidden characters removed, at most 120 characters. `None` if nothing is left.
pub fn file_name(raw: &str) -> Option<String> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let clean: String = base
        .chars()
        .filter(|&c| !is_hidden_char(c))
        .take(120)
        .collect();
    let clean = clean.trim();
    (!clean.is_empty() && clean != "." && clean != "..").then(|| clean.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_bounded() {
        assert_eq!(year("年份", 2025), Ok(2025));
        assert_eq!(year("年份", 1949), Ok(1949));
        assert_eq!(year("年份", 2100), Ok(2100));
        let e = year("目标年份", 2_147_483_647).unwrap_err();
        assert!(e.starts_with("目标年份") && e.contains("1949—2100"), "{e}");
        assert!(year("年份", 3000).is_err());
        assert!(year("年份", 1948).is_err());
        assert!(year("年份", -5).is_err());
    }

    #[test]
    fn values_are_bounded_per_unit() {
        let check = |v: f64, unit: Option<&str>, ok: bool| {
            assert_eq!(value("数值", v, unit).is_ok(), ok, "{v} {unit:?}");
        };
        check(735.2, Some("亿元"), true);
        // The national GDP in 亿元 passes; 1e308 fails in every unit.
        check(1.3e6, Some("亿元"), true);
        check(1e308, Some("亿元"), false);
        check(1e308, None, false);
        check(1e15, None, true);
        check(-8.5, Some("%"), true);
        check(250.0, Some("%"), true);
        check(2e4, Some("%"), false);
        check(3.0, Some("个百分点"), true);
        check(f64::NAN, None, false);
        check(f64::INFINITY, Some("元"), false);
        let e = value("数值", 1e308, Some("亿元")).unwrap_err();
        assert!(e.contains("超出合理范围") && e.contains("亿元"), "{e}");
    }

    #[test]
    fn dates_are_calendar_dates() {
        let check = |s: &str, expect: Option<&str>| {
            assert_eq!(date("发布日期", s).ok().as_deref(), expect, "{s}");
        };
        check("2024-03-15", Some("2024-03-15"));
        check("2024-3-5", Some("2024-03-05"));
        check("2024/03/05", Some("2024-03-05"));
        check("2024年3月5日", Some("2024-03-05"));
        check("2024-03-05 00:00:00", Some("2024-03-05"));
        check("2024-03-05T08:00:00Z", Some("2024-03-05"));
        check("2024-02-29", Some("2024-02-29"));
        check("2023-02-29", None);
        check("1900-02-28", None);
        check("2025-13-45", None);
        check("2025-04-31", None);
        check("2025-00-10", None);
        check("2025-01", None);
        check("2025-01-01-01", None);
        check("yesterday", None);
        check("", None);
        let e = date("发布日期", "2025-13-45").unwrap_err();
        assert!(e.contains("2025-13-45") && e.starts_with("发布日期"), "{e}");
    }

    #[test]
    fn hidden_characters_are_refused_in_text() {
        assert_eq!(
            text("名称", "  区发改局 ", 20, false),
            Ok("区发改局".into())
        );
        assert!(text("名称", "evil\u{202E}txt.exe", 50, false).is_err());
        assert!(text("名称", "a\u{200B}b", 50, false).is_err());
        assert!(text("名称", "a\u{0007}b", 50, false).is_err());
        assert!(text("名称", "第一行\n第二行", 50, false).is_err());
        assert_eq!(
            text("进展", "第一行\n第二行", 50, true),
            Ok("第一行\n第二行".into())
        );
        let e = text("名称", "一二三", 2, false).unwrap_err();
        assert!(e.contains("过长") && e.contains("最多 2"), "{e}");
    }

    #[test]
    fn file_names_lose_paths_and_hidden_characters() {
        let check = |raw: &str, expect: Option<&str>| {
            assert_eq!(file_name(raw).as_deref(), expect, "{raw:?}");
        };
        check("C:\\Users\\x\\台账.xlsx", Some("台账.xlsx"));
        check("/tmp/a.txt", Some("a.txt"));
        check("报告\u{202E}xcod.exe", Some("报告xcod.exe"));
        check("a\u{0000}b\u{001b}.txt", Some("ab.txt"));
        check("\u{202E}\u{200F}", None);
        check("..", None);
        check("dir/", None);
        assert_eq!(file_name(&"长".repeat(300)).unwrap().chars().count(), 120);
    }
}
