//! Reading the forms of the review pages: corrections as field edits, and multipart
//! progress reports with evidence files.

use std::collections::HashMap;

use axum::extract::Multipart;
use planwatch_store::{ItemKind, NewEvidence};
use serde_json::{Map, Value};

use crate::auth::{Viewer, sha256_hex};
use crate::error::AppError;
use crate::state::AppState;
use planwatch_store::CorrectionAction;

/// How a form field maps onto an editable column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Col {
    /// Required text.
    Text,
    /// Text; empty clears it.
    OptText,
    /// A number; empty clears it.
    Real,
    /// An integer; empty clears it.
    Int,
}

/// Fields of each kind's correction form, with the column type and a label for errors.
pub fn columns(kind: ItemKind) -> &'static [(&'static str, Col, &'static str)] {
    use Col::*;
    match kind {
        ItemKind::Indicator => &[
            ("name", Text, "指标名称"),
            ("category", OptText, "类别"),
            ("unit", OptText, "单位"),
            ("attribute", OptText, "属性"),
            ("baseline_year", Int, "基期年份"),
            ("baseline_text", OptText, "基期值原文"),
            ("baseline_value", Real, "基期值"),
            ("target_year", Int, "目标年份"),
            ("target_text", OptText, "目标值原文"),
            ("target_value", Real, "目标值"),
            ("target_comparator", OptText, "比较方式"),
            ("growth_text", OptText, "年均增长原文"),
            ("growth_value", Real, "年均增长"),
        ],
        ItemKind::Target => &[
            ("text", Text, "原文"),
            ("indicator", Text, "指标"),
            ("value", Real, "数值"),
            ("unit", OptText, "单位"),
            ("year", Int, "年份"),
            ("comparator", OptText, "比较方式"),
            ("kind", Text, "目标类型"),
        ],
        ItemKind::Task => &[
            ("text", Text, "任务内容"),
            ("deadline", OptText, "完成时限"),
            ("start_year", Int, "开始年份"),
            ("end_year", Int, "结束年份"),
        ],
        ItemKind::Heading => &[
            ("title", Text, "标题"),
            ("number", OptText, "编号"),
            ("level", Int, "层级"),
        ],
        ItemKind::Project => &[
            ("name", Text, "项目名称"),
            ("investment_value", Real, "总投资"),
            ("investment_unit", OptText, "投资单位"),
        ],
    }
}

fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-12,
        _ => a == b,
    }
}

/// The correction a form asks for: `action=reject`, or the fields whose value differs
/// from `current` (the item as JSON). Fields missing from the form are left alone.
pub fn correction_from_form(
    kind: ItemKind,
    form: &HashMap<String, String>,
    current: &Value,
) -> Result<CorrectionAction, AppError> {
    if form.get("action").map(String::as_str) == Some("reject") {
        return Ok(CorrectionAction::Reject);
    }
    let mut fields = Map::new();
    for (name, col, label) in columns(kind) {
        let Some(raw) = form.get(*name) else { continue };
        let raw = raw.trim();
        let value = match (col, raw.is_empty()) {
            (Col::Text, true) => return Err(AppError::BadRequest(format!("{label}不能为空"))),
            (_, true) => Value::Null,
            (Col::Text | Col::OptText, false) => Value::String(raw.to_string()),
            (Col::Real, false) => raw
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .ok_or_else(|| AppError::BadRequest(format!("{label}应为数字:{raw}")))?,
            (Col::Int, false) => raw
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| AppError::BadRequest(format!("{label}应为整数:{raw}")))?,
        };
        let old = current.get(*name).unwrap_or(&Value::Null);
        if !same(old, &value) {
            fields.insert(name.to_string(), value);
        }
    }
    if fields.is_empty() {
        return Err(AppError::BadRequest("没有修改任何字段".into()));
    }
    Ok(CorrectionAction::Edit { fields })
}

/// Apply a correction form to an item (the caller has checked the permission).
pub async fn apply_correction(
    state: &AppState,
    viewer: &Viewer,
    kind: ItemKind,
    item_id: i64,
    current: &Value,
    form: &HashMap<String, String>,
) -> Result<(), AppError> {
    let identity = viewer.require()?;
    let version = form
        .get("version")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .ok_or_else(|| AppError::BadRequest("缺少版本号".into()))?;
    let action = correction_from_form(kind, form, current)?;
    let reason = form
        .get("reason")
        .map(|r| r.trim())
        .filter(|r| !r.is_empty());
    state
        .store
        .correct_item(kind, item_id, version, action, reason, &identity.actor())
        .await?;
    Ok(())
}

/// A multipart form: text fields and evidence files.
#[derive(Debug, Default)]
pub struct Upload {
    /// Text fields by name (last one wins).
    pub fields: HashMap<String, String>,
    /// Files by field name: (field, file name, content type, bytes).
    pub files: Vec<(String, String, String, Vec<u8>)>,
}

impl Upload {
    /// Read a multipart body; every file at most `max_file` bytes.
    pub async fn read(mut mp: Multipart, max_file: usize) -> Result<Upload, AppError> {
        let mut out = Upload::default();
        while let Some(field) = mp
            .next_field()
            .await
            .map_err(|e| AppError::BadRequest(format!("表单格式错误:{e}")))?
        {
            let name = field.name().unwrap_or_default().to_string();
            let file_name = field.file_name().map(str::to_string);
            let content_type = field
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_string();
            let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?;
            match file_name {
                Some(f) if !f.is_empty() => {
                    if bytes.len() > max_file {
                        return Err(AppError::TooLarge);
                    }
                    if !bytes.is_empty() {
                        out.files.push((name, f, content_type, bytes.to_vec()));
                    }
                }
                Some(_) => {}
                None => {
                    let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                        AppError::BadRequest(format!("字段 {name} 不是 UTF-8 文本"))
                    })?;
                    out.fields.insert(name, text);
                }
            }
        }
        Ok(out)
    }

    /// A text field, trimmed, if not empty.
    pub fn text(&self, name: &str) -> Option<String> {
        self.fields
            .get(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// The files of field `name` as evidence.
    pub fn evidence(&self, name: &str) -> Vec<NewEvidence> {
        self.files
            .iter()
            .filter(|(f, ..)| f == name)
            .map(|(_, file_name, content_type, bytes)| NewEvidence {
                file_name: base_name(file_name),
                content_type: content_type.clone(),
                sha256: sha256_hex(bytes),
                bytes: bytes.clone(),
            })
            .collect()
    }
}

/// The last path component of an uploaded file name (browsers may send a path).
pub fn base_name(name: &str) -> String {
    name.rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn only_changed_fields_become_edits() {
        let current = json!({"name": "地区生产总值", "target_value": 410.0, "unit": "亿元", "target_year": 2025});
        let check = |pairs: &[(&str, &str)], expect: Option<Value>| {
            let got = correction_from_form(ItemKind::Indicator, &form(pairs), &current);
            match (got, expect) {
                (Ok(CorrectionAction::Edit { fields }), Some(e)) => {
                    assert_eq!(Value::Object(fields), e, "{pairs:?}")
                }
                (Err(_), None) => {}
                (other, e) => panic!("{pairs:?}: {other:?} vs {e:?}"),
            }
        };
        check(
            &[("name", "地区生产总值"), ("target_value", "430")],
            Some(json!({"target_value": 430.0})),
        );
        check(&[("target_value", "410")], None);
        check(&[("unit", "")], Some(json!({"unit": null})));
        check(&[("name", " ")], None);
        check(&[("target_value", "四百")], None);
        check(&[("target_year", "2025.5")], None);
        check(
            &[("target_year", "2030")],
            Some(json!({"target_year": 2030})),
        );
        assert_eq!(
            correction_from_form(
                ItemKind::Indicator,
                &form(&[("action", "reject")]),
                &current
            )
            .unwrap(),
            CorrectionAction::Reject
        );
    }

    #[test]
    fn uploaded_names_lose_their_path() {
        assert_eq!(base_name("C:\\Users\\x\\台账.xlsx"), "台账.xlsx");
        assert_eq!(base_name("/tmp/a.txt"), "a.txt");
        assert_eq!(base_name("a.txt"), "a.txt");
    }
}
