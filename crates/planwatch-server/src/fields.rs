//! What a form field may hold. Forms arrive as typed structs of raw strings
//! (`Option<String>`: a browser may leave any field out); these functions turn one raw
//! field into its value or a zh-CN error naming the field. The rules themselves
//! (year range, value range per unit, hidden characters) are
//! [`planwatch_core::validate`]'s, shared with the store's import path.

use planwatch_core::validate;

use crate::error::AppError;

/// Longest single-line text field (a name, a title, a deadline).
pub const LINE_MAX: usize = 500;
/// Longest multi-line text field (a progress report, a task's text).
pub const TEXT_MAX: usize = 5000;

fn bad(message: String) -> AppError {
    AppError::BadRequest(message)
}

/// A trimmed value, `None` when missing or blank.
pub fn present(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Single-line text; `None` when blank. Hidden characters and over-long text are refused.
pub fn line(label: &str, raw: &Option<String>, max: usize) -> Result<Option<String>, AppError> {
    match present(raw) {
        None => Ok(None),
        Some(v) => validate::text(label, v, max, false).map(Some).map_err(bad),
    }
}

/// Single-line text that must be given.
pub fn required(label: &str, raw: &Option<String>, max: usize) -> Result<String, AppError> {
    line(label, raw, max)?.ok_or_else(|| bad(format!("{label}不能为空")))
}

/// Multi-line text (line breaks and tabs allowed); `None` when blank.
pub fn multiline(
    label: &str,
    raw: &Option<String>,
    max: usize,
) -> Result<Option<String>, AppError> {
    match present(raw) {
        None => Ok(None),
        Some(v) => validate::text(label, v, max, true).map(Some).map_err(bad),
    }
}

/// A year within 1949—2100; `None` when blank.
pub fn year(label: &str, raw: &Option<String>) -> Result<Option<i32>, AppError> {
    match present(raw) {
        None => Ok(None),
        Some(v) => {
            let n: i64 = v
                .parse()
                .map_err(|_| bad(format!("{label}应为四位数年份：{}", shown(v))))?;
            validate::year(label, n).map(Some).map_err(bad)
        }
    }
}

/// A finite number within the range of `unit`; `None` when blank.
pub fn number(
    label: &str,
    raw: &Option<String>,
    unit: Option<&str>,
) -> Result<Option<f64>, AppError> {
    match present(raw) {
        None => Ok(None),
        Some(v) => {
            let x: f64 = v
                .parse()
                .map_err(|_| bad(format!("{label}应为数字：{}", shown(v))))?;
            validate::value(label, x, unit).map_err(bad)?;
            Ok(Some(x))
        }
    }
}

/// A row id (a positive integer); `None` when blank.
pub fn id(label: &str, raw: &Option<String>) -> Result<Option<i64>, AppError> {
    match present(raw) {
        None => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .map(Some)
            .ok_or_else(|| bad(format!("{label}无效：{}", shown(v)))),
    }
}

/// A whole number within `range`; `None` when blank.
pub fn int_in(
    label: &str,
    raw: &Option<String>,
    range: std::ops::RangeInclusive<i64>,
) -> Result<Option<i64>, AppError> {
    match present(raw) {
        None => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| range.contains(n))
            .map(Some)
            .ok_or_else(|| {
                bad(format!(
                    "{label}应为 {}—{} 之间的整数：{}",
                    range.start(),
                    range.end(),
                    shown(v)
                ))
            }),
    }
}

/// The version a form was made from (optimistic locking); required.
pub fn version(raw: &Option<String>) -> Result<i64, AppError> {
    int_in("版本号", raw, 1..=i64::MAX)?.ok_or_else(|| bad("缺少版本号，请刷新页面后重试".into()))
}

/// A raw value for an error message: at most 40 characters, hidden characters dropped,
/// so a hostile value cannot flood or disguise the message.
fn shown(v: &str) -> String {
    let s: String = v
        .chars()
        .filter(|c| !validate::is_hidden_char(*c))
        .take(40)
        .collect();
    if v.chars().count() > 40 {
        format!("{s}…")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    fn message(r: Result<impl std::fmt::Debug, AppError>) -> String {
        match r {
            Err(AppError::BadRequest(m)) => m,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn years_numbers_and_ids() {
        assert_eq!(year("目标年份", &some(" 2030 ")).unwrap(), Some(2030));
        assert_eq!(year("目标年份", &some("")).unwrap(), None);
        assert_eq!(year("目标年份", &None).unwrap(), None);
        let m = message(year("目标年份", &some("2147483647")));
        assert!(m.contains("目标年份") && m.contains("1949"), "{m}");
        assert!(message(year("年份", &some("2025.5"))).contains("年份"));
        assert!(message(year("年份", &some("99999999999999999999"))).contains("年份"));
        assert_eq!(number("数值", &some("1.5"), None).unwrap(), Some(1.5));
        assert!(message(number("数值", &some("1e308"), Some("亿元"))).contains("超出"));
        assert!(message(number("数值", &some("NaN"), None)).contains("有限"));
        assert!(message(number("数值", &some("inf"), None)).contains("有限"));
        assert_eq!(id("部门", &some("7")).unwrap(), Some(7));
        assert!(message(id("部门", &some("-1"))).contains("部门"));
        assert!(message(id("部门", &some("abc"))).contains("部门"));
        assert_eq!(version(&some("3")).unwrap(), 3);
        assert!(message(version(&None)).contains("版本号"));
        assert!(message(version(&some("0"))).contains("版本号"));
    }

    #[test]
    fn text_is_checked() {
        assert_eq!(
            line("名称", &some("  区发改局 "), 20).unwrap().as_deref(),
            Some("区发改局")
        );
        assert!(message(line("名称", &some("a\u{202E}b"), 20)).contains("名称"));
        assert!(message(required("名称", &some("  "), 20)).contains("不能为空"));
        assert_eq!(
            multiline("进展", &some("一\n二"), 20).unwrap().as_deref(),
            Some("一\n二")
        );
        let long = "长".repeat(100);
        let m = message(year("年份", &Some(long)));
        assert!(m.chars().count() < 80, "{m}");
    }
}
