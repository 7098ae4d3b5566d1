//! Observations sent as a JSON array (`[{"region": "439901", "year": 2024, …}]`),
//! turned into the rows of a table with the keys as its header, so they are read and
//! checked by the same code as a CSV or XLSX file (and named by the same columns).

use planwatch_parse::limits::LIMITS;
use planwatch_parse::sheet::Rows;
use serde_json::Value;

use crate::error::AppError;

/// The table of a JSON array of objects: header = every key any object has (columns
/// are found by name, so their order does not matter), row N = the N-th object
/// (numbered from 1, as errors name them).
pub fn rows_of(body: &[u8]) -> Result<Rows, AppError> {
    let bad = |m: String| AppError::BadRequest(format!("请求正文（JSON）：{m}"));
    let items: Vec<Value> = serde_json::from_slice(body).map_err(|e| {
        bad(format!(
            "应为对象数组，第{}行第{}列有误",
            e.line(),
            e.column()
        ))
    })?;
    if items.len() > LIMITS.max_rows {
        return Err(bad(format!("超过{}条的上限", LIMITS.max_rows)));
    }
    let mut header: Vec<String> = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let object = item
            .as_object()
            .ok_or_else(|| bad(format!("第{}项应为对象", n + 1)))?;
        for key in object.keys() {
            if !header.contains(key) {
                header.push(key.clone());
            }
        }
    }
    let mut rows: Rows = vec![(0, header.clone())];
    for (n, item) in items.iter().enumerate() {
        let mut cells = Vec::with_capacity(header.len());
        for key in &header {
            cells.push(match item.get(key) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(x)) => x.to_string(),
                Some(_) => {
                    return Err(bad(format!("第{}项的“{key}”应为文字或数字", n + 1)));
                }
            });
        }
        rows.push((n + 1, cells));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_become_rows_under_the_union_of_their_keys() {
        let body = r#"[{"region": "439901", "year": 2024, "value": 356.5},
                       {"region": "439901", "year": "2023", "value": 333.8, "unit": "亿元"}]"#;
        let rows = rows_of(body.as_bytes()).unwrap();
        let header = &rows[0].1;
        assert_eq!(header.len(), 4);
        let cell = |row: usize, key: &str| {
            let i = header.iter().position(|h| h == key).unwrap();
            rows[row].1[i].clone()
        };
        assert_eq!(rows[1].0, 1, "the first object is row 1");
        assert_eq!(
            (cell(1, "year"), cell(1, "value"), cell(1, "unit")),
            ("2024".into(), "356.5".into(), String::new())
        );
        assert_eq!(
            (cell(2, "year"), cell(2, "unit")),
            ("2023".into(), "亿元".into())
        );
    }

    #[test]
    fn what_is_not_an_array_of_flat_objects_is_named() {
        for (body, expected) in [
            (&b"{\"region\": 1}"[..], "应为对象数组"),
            (b"[1, 2]", "第1项应为对象"),
            (b"[{\"value\": [1]}]", "第1项的“value”应为文字或数字"),
            (b"not json", "第1行第2列"),
        ] {
            let (_, m) = rows_of(body).unwrap_err().status_and_message();
            assert!(m.contains(expected), "{m}");
        }
    }
}
