//! Reading the forms of the review pages: corrections as field edits, and multipart
//! progress reports with evidence files.

use std::collections::HashMap;

use axum::extract::Multipart;
use planwatch_store::schema::schema;
use planwatch_store::{ItemKind, NewEvidence};
use serde_json::{Map, Value};

use crate::auth::{Viewer, sha256_hex};
use crate::error::AppError;
use crate::state::AppState;
use planwatch_store::CorrectionAction;

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
    // The kind's descriptor says which fields are correctable, their types and labels.
    for col in schema(kind).editable() {
        let Some(raw) = form.get(col.name) else {
            continue;
        };
        let value = col.parse_form(raw).map_err(AppError::BadRequest)?;
        let old = current.get(col.name).unwrap_or(&Value::Null);
        if !col.same(old, &value) {
            fields.insert(col.name.to_string(), value);
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
