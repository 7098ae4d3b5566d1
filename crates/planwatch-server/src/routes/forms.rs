//! Reading the forms of the review pages: corrections as field edits, and multipart
//! progress reports with evidence files.

use std::collections::HashMap;

use axum::extract::Multipart;
use planwatch_store::schema::{ColType, schema};
use planwatch_store::{ItemKind, NewEvidence};
use serde_json::{Map, Value};

use planwatch_store::CorrectionAction;
use serde::Deserialize;

use crate::auth::{Viewer, sha256_hex};
use crate::error::AppError;
use crate::fields;
use crate::state::AppState;

/// A correction form as posted: the version it was made from, the action, a reason,
/// where to go back to, and the item's fields by name (checked per the kind's descriptor).
#[derive(Debug, Deserialize)]
pub struct CorrectionForm {
    /// The item's version the form was made from.
    pub version: Option<String>,
    /// `reject` marks the item as misrecognised; anything else edits fields.
    pub action: Option<String>,
    /// Why (for the audit trail).
    pub reason: Option<String>,
    /// The page to return to (checked to stay within the plan).
    pub back: Option<String>,
    /// Every other field; only the correctable columns of the kind's descriptor are read.
    #[serde(flatten)]
    pub fields: HashMap<String, String>,
}

/// The unit that sets a number's plausible range: the unit field of the form if given,
/// else the item's.
fn unit_of<'a>(form: &'a HashMap<String, String>, current: &'a Value) -> Option<&'a str> {
    ["unit", "investment_unit"].iter().find_map(|k| {
        form.get(*k)
            .map(|u| u.trim())
            .filter(|u| !u.is_empty())
            .or_else(|| current.get(*k).and_then(Value::as_str))
    })
}

/// The correction a form asks for: `action=reject`, or the fields whose value differs
/// from `current` (the item as JSON). Fields missing from the form are left alone; every
/// value is checked (years within 1949—2100, numbers finite and within the unit's range,
/// no hidden characters) and a refusal names the field.
pub fn correction_from_form(
    kind: ItemKind,
    form: &HashMap<String, String>,
    current: &Value,
) -> Result<CorrectionAction, AppError> {
    if form.get("action").map(String::as_str) == Some("reject") {
        return Ok(CorrectionAction::Reject);
    }
    let unit = unit_of(form, current);
    let mut fields = Map::new();
    // The kind's descriptor says which fields are correctable, their types and labels;
    // the rules for each type are those of every form (`fields`).
    for col in schema(kind).editable() {
        let Some(raw) = form.get(col.name) else {
            continue;
        };
        let label = col.label;
        let raw = Some(raw.clone());
        let required = |v: Option<Value>| {
            v.or((col.nullable).then_some(Value::Null))
                .ok_or_else(|| AppError::BadRequest(format!("{label}不能为空")))
        };
        let value = match col.ty {
            // Required texts (task texts in a text area) may carry line breaks.
            ColType::Text if !col.nullable => {
                required(fields::multiline(label, &raw, fields::TEXT_MAX)?.map(Value::String))?
            }
            ColType::Text => {
                required(fields::line(label, &raw, fields::TEXT_MAX)?.map(Value::String))?
            }
            ColType::Real => required(
                fields::number(label, &raw, unit)?
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number),
            )?,
            ColType::Int if col.name == "level" => {
                required(fields::int_in(label, &raw, 1..=9)?.map(Value::from))?
            }
            ColType::Int => required(fields::year(label, &raw)?.map(Value::from))?,
            ColType::Code | ColType::Bool => match fields::line(label, &raw, fields::LINE_MAX)? {
                Some(text) => col.parse_form(&text).map_err(AppError::BadRequest)?,
                None => required(None)?,
            },
        };
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
    form: &CorrectionForm,
) -> Result<(), AppError> {
    let identity = viewer.require()?;
    let version = fields::version(&form.version)?;
    let mut all = form.fields.clone();
    if let Some(a) = &form.action {
        all.insert("action".into(), a.clone());
    }
    let action = correction_from_form(kind, &all, current)?;
    let reason = fields::line("理由", &form.reason, fields::LINE_MAX)?;
    state
        .store
        .correct_item(
            kind,
            item_id,
            version,
            action,
            reason.as_deref(),
            &identity.actor(),
        )
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
    /// Most files one form may carry.
    pub const MAX_FILES: usize = 20;

    /// Read a multipart body; every file at most `max_file` bytes, its name reduced to a
    /// safe base name ([`base_name`]).
    pub async fn read(mut mp: Multipart, max_file: usize) -> Result<Upload, AppError> {
        let mut out = Upload::default();
        while let Some(field) = mp
            .next_field()
            .await
            .map_err(|e| AppError::BadRequest(format!("表单格式错误：{e}")))?
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
                    if out.files.len() >= Self::MAX_FILES {
                        return Err(AppError::BadRequest(format!(
                            "一次最多上传 {} 个文件",
                            Self::MAX_FILES
                        )));
                    }
                    if !bytes.is_empty() {
                        let f = base_name(&f)
                            .ok_or_else(|| AppError::BadRequest("上传的文件名无效".into()))?;
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

    /// A text field as posted (for the checks of [`crate::fields`]).
    pub fn raw(&self, name: &str) -> Option<String> {
        self.fields.get(name).cloned()
    }

    /// The files of field `name` as evidence.
    pub fn evidence(&self, name: &str) -> Vec<NewEvidence> {
        self.files
            .iter()
            .filter(|(f, ..)| f == name)
            .map(|(_, file_name, content_type, bytes)| NewEvidence {
                file_name: file_name.clone(),
                content_type: content_type.clone(),
                sha256: sha256_hex(bytes),
                bytes: bytes.clone(),
            })
            .collect()
    }
}

/// The last path component of an uploaded file name (browsers may send a path), with
/// control and bidirectional characters removed (U+202E would make `txt.exe` show as
/// `exe.txt`); `None` if nothing usable is left.
pub fn base_name(name: &str) -> Option<String> {
    planwatch_core::validate::file_name(name)
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
    fn uploaded_names_lose_their_path_and_hidden_characters() {
        let check = |raw: &str, expect: Option<&str>| {
            assert_eq!(base_name(raw).as_deref(), expect, "{raw:?}")
        };
        check("C:\\Users\\x\\台账.xlsx", Some("台账.xlsx"));
        check("/tmp/a.txt", Some("a.txt"));
        check("a.txt", Some("a.txt"));
        check("证明\u{202E}txt.exe", Some("证明txt.exe"));
        check("\u{202E}", None);
    }

    #[test]
    fn years_and_numbers_are_checked_at_the_boundary() {
        let current = json!({"name": "地区生产总值", "target_value": 410.0, "unit": "亿元", "target_year": 2025});
        let refused = |pairs: &[(&str, &str)], part: &str| match correction_from_form(
            ItemKind::Indicator,
            &form(pairs),
            &current,
        ) {
            Err(AppError::BadRequest(m)) => assert!(m.contains(part), "{m}"),
            other => panic!("{pairs:?}: {other:?}"),
        };
        refused(&[("target_year", "2147483647")], "目标年份");
        refused(&[("baseline_year", "-3")], "基期年份");
        refused(&[("target_value", "1e308")], "目标值");
        refused(&[("target_value", "inf")], "目标值");
        refused(&[("name", "地区\u{202E}生产总值")], "指标名称");
        // A percentage unit narrows the range.
        refused(&[("unit", "%"), ("target_value", "50000")], "目标值");
        let h = json!({"title": "总则", "level": 1});
        assert!(
            correction_from_form(ItemKind::Heading, &form(&[("level", "1000000")]), &h).is_err()
        );
    }
}
