//! Lists of the API a page at a time: `?limit=N` (1–500, default 100) and
//! `?cursor=…` from the previous page's `next_cursor`, which is `null` on the last
//! page. Rows are ordered by id and a cursor is the last id a page returned, so a page
//! stays right while rows are added (new rows come at the end).

use serde_json::{Value, json};

use crate::error::AppError;

/// Rows a page holds unless `limit` says otherwise.
pub const DEFAULT_LIMIT: usize = 100;
/// The most rows a page may hold.
pub const MAX_LIMIT: usize = 500;

/// Which page of a list was asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Page {
    limit: usize,
    after: Option<i64>,
}

impl Page {
    /// Reads `limit` and `cursor`; a bad value is a `400` naming the parameter.
    pub fn read(limit: &Option<String>, cursor: &Option<String>) -> Result<Page, AppError> {
        Page::read_within(limit, cursor, DEFAULT_LIMIT, MAX_LIMIT)
    }

    /// [`Page::read`] with a list's own default and most rows a page.
    pub fn read_within(
        limit: &Option<String>,
        cursor: &Option<String>,
        default: usize,
        max: usize,
    ) -> Result<Page, AppError> {
        given("limit", limit)?;
        given("cursor", cursor)?;
        let limit = match crate::fields::present(limit) {
            None => default,
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| {
                    AppError::BadField("limit", format!("limit 应为1到{max}之间的整数"))
                })?,
        };
        let after = match crate::fields::present(cursor) {
            None => None,
            Some(v) => Some(v.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
                AppError::BadField(
                    "cursor",
                    "cursor 无效，请使用上一页返回的 next_cursor".into(),
                )
            })?),
        };
        Ok(Page { limit, after })
    }

    /// Rows a page holds.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The cursor given, if any (the last id of the previous page, or for search the
    /// hits already returned).
    pub fn after(&self) -> Option<i64> {
        self.after
    }

    /// `{key: [rows of this page], "next_cursor": …}` from every row (each with an
    /// integer `id`) of the filtered list.
    pub fn cut(&self, key: &str, mut rows: Vec<Value>) -> Value {
        let id = |v: &Value| v["id"].as_i64().unwrap_or(i64::MIN);
        rows.sort_by_key(id);
        let mut rest = rows
            .into_iter()
            .filter(|v| self.after.is_none_or(|a| id(v) > a))
            .peekable();
        let page: Vec<Value> = rest.by_ref().take(self.limit).collect();
        let next = match (rest.peek(), page.last()) {
            (Some(_), Some(last)) => Value::String(id(last).to_string()),
            _ => Value::Null,
        };
        json!({ key: page, "next_cursor": next })
    }
}

/// A typed query parameter that is present must have a value: `?limit=` is refused,
/// not read as "no limit" (its type is a number, and an empty text is not one).
pub fn given(name: &'static str, raw: &Option<String>) -> Result<(), AppError> {
    match raw {
        Some(v) if v.trim().is_empty() => Err(AppError::BadField(name, format!("{name} 不能为空"))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(ids: &[i64]) -> Vec<Value> {
        ids.iter().map(|i| json!({ "id": i })).collect()
    }

    fn ids(v: &Value, key: &str) -> Vec<i64> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect()
    }

    #[test]
    fn pages_follow_each_other_by_cursor_until_null() {
        let all = rows(&[5, 1, 9, 3, 7]);
        let first = Page::read(&Some("2".into()), &None)
            .unwrap()
            .cut("tasks", all.clone());
        assert_eq!(ids(&first, "tasks"), [1, 3]);
        assert_eq!(first["next_cursor"], "3");
        let cursor = Some(first["next_cursor"].as_str().unwrap().to_string());
        let second = Page::read(&Some("2".into()), &cursor)
            .unwrap()
            .cut("tasks", all.clone());
        assert_eq!(ids(&second, "tasks"), [5, 7]);
        let third = Page::read(&Some("2".into()), &Some("7".into()))
            .unwrap()
            .cut("tasks", all);
        assert_eq!(ids(&third, "tasks"), [9]);
        assert_eq!(third["next_cursor"], Value::Null, "the last page");
    }

    #[test]
    fn a_full_last_page_has_no_next_cursor() {
        let page = Page::read(&Some("3".into()), &None)
            .unwrap()
            .cut("x", rows(&[1, 2, 3]));
        assert_eq!(page["next_cursor"], Value::Null);
        let empty = Page::read(&None, &None).unwrap().cut("x", Vec::new());
        assert_eq!(empty, json!({ "x": [], "next_cursor": null }));
    }

    #[test]
    fn bad_limits_and_cursors_are_named() {
        for limit in ["0", "501", "-1", "abc", "99999999999999999999"] {
            let e = Page::read(&Some(limit.into()), &None).unwrap_err();
            assert!(e.status_and_message().1.contains("limit"), "{limit}");
        }
        let e = Page::read(&Some(String::new()), &None).unwrap_err();
        assert!(e.status_and_message().1.contains("limit 不能为空"));
        for cursor in ["-5", "abc", "1e3", " "] {
            let e = Page::read(&None, &Some(cursor.into())).unwrap_err();
            assert!(e.status_and_message().1.contains("cursor"), "{cursor}");
        }
    }
}
