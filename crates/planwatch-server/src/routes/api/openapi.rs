//! The API's OpenAPI document: paths and the hand-kept schemas of `openapi.json`, with
//! the schemas of stored items (Indicator, Task) generated from the store's item
//! descriptors, so a column added to a table is documented by that same change. The
//! router test `api_contract` checks every response of every documented route against
//! the document served here, and `.ci/run` points a schema-driven fuzzer at it.

use std::sync::LazyLock;

use planwatch_core::codes::Code;
use planwatch_core::eval::Category;
use planwatch_core::plan::DocType;
use planwatch_store::schema::{ColType, ItemSchema, Shape, schema};
use planwatch_store::{ItemKind, TaskStatus};
use serde_json::{Map, Value, json};

use super::INTERNAL_FIELDS;

const BASE: &str = include_str!("../../../openapi.json");

/// The document as served, built once.
pub fn document() -> &'static str {
    static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
        // A broken file yields a document without paths; the unit test below keeps it whole.
        let mut doc: Value = serde_json::from_str(BASE).unwrap_or_else(|_| json!({}));
        let schemas = &mut doc["components"]["schemas"];
        schemas["Indicator"] = item_schema(schema(ItemKind::Indicator));
        schemas["Task"] = item_schema(schema(ItemKind::Task));
        for list in LISTS {
            paged(&mut doc, list);
        }
        status_filters(&mut doc);
        let doc_types: Vec<&str> = DocType::ALL.iter().map(|t| t.code()).collect();
        doc["paths"]["/documents"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
            ["properties"]["doc_type"]["enum"] = json!(doc_types);
        every_operation_may_be_rate_limited(&mut doc);
        doc.to_string()
    });
    &DOCUMENT
}

/// A paged list of the API (see `lists.rs`): its path, the key of its rows, and its
/// filters as (name, description, schema).
struct List {
    path: &'static str,
    key: &'static str,
    filters: fn() -> Vec<(&'static str, &'static str, Value)>,
}

const LISTS: &[List] = &[
    List {
        path: "/plans",
        key: "plans",
        filters: || {
            let types: Vec<&str> = DocType::ALL.iter().map(|t| t.code()).collect();
            vec![
                (
                    "region",
                    "地区代码（6位行政区划代码）",
                    json!({ "type": "string" }),
                ),
                (
                    "type",
                    "文档类型",
                    json!({ "type": "string", "enum": types }),
                ),
            ]
        },
    },
    List {
        path: "/plans/{id}/indicators",
        key: "indicators",
        filters: Vec::new,
    },
    List {
        path: "/plans/{id}/observations",
        key: "observations",
        filters: || {
            vec![
                ("year", "年份", json!({ "type": "integer" })),
                (
                    "indicator",
                    "指标名称（原名或目录中的规范名）",
                    json!({ "type": "string" }),
                ),
            ]
        },
    },
    List {
        path: "/plans/{id}/tasks",
        key: "tasks",
        filters: || {
            let statuses: Vec<&str> = TaskStatus::ALL.iter().map(|s| s.code()).collect();
            vec![
                (
                    "status",
                    "任务状态",
                    json!({ "type": "string", "enum": statuses }),
                ),
                (
                    "department",
                    "责任单位 id",
                    json!({ "type": "integer", "format": "int64" }),
                ),
            ]
        },
    },
];

/// Adds a list's paging and filter parameters, its `next_cursor` and its `400`.
fn paged(doc: &mut Value, list: &List) {
    let op = &mut doc["paths"][list.path]["get"];
    if !op.is_object() {
        return;
    }
    let query = |name: &str, description: &str, schema: Value| json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema });
    let mut params = vec![
        query(
            "limit",
            "每页条数（1—500，默认100）",
            json!({ "type": "integer", "minimum": 1, "maximum": 500 }),
        ),
        query(
            "cursor",
            "上一页返回的 `next_cursor`",
            json!({ "type": "string" }),
        ),
    ];
    for (name, description, schema) in (list.filters)() {
        params.push(query(name, description, schema));
    }
    let existing = op["parameters"].as_array().cloned().unwrap_or_default();
    op["parameters"] = Value::Array(existing.into_iter().chain(params).collect());
    let body = &mut op["responses"]["200"]["content"]["application/json"]["schema"];
    body["properties"]["next_cursor"] = json!({
        "type": "string",
        "nullable": true,
        "description": "下一页的游标；最后一页为 null",
    });
    body["required"] = json!([list.key, "next_cursor"]);
    op["responses"]["400"] = json!({
        "description": "参数无效（limit、cursor 或筛选条件）",
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } },
    });
}

/// The status document's filters: a year and a category (labels from the engine).
fn status_filters(doc: &mut Value) {
    let op = &mut doc["paths"]["/plans/{id}/status"]["get"];
    let Some(params) = op["parameters"].as_array_mut() else {
        return;
    };
    let labels: Vec<&str> = Category::ALL.iter().map(|c| c.label()).collect();
    params.push(json!({
        "name": "year", "in": "query", "required": false,
        "description": "评价年份（使用截至该年的数据；默认为有数据的最新年份）",
        "schema": { "type": "integer" },
    }));
    params.push(json!({
        "name": "category", "in": "query", "required": false,
        "description": "只返回该评价类别的指标",
        "schema": { "type": "string", "enum": labels },
    }));
    op["responses"]["400"] = json!({
        "description": "参数无效（year 或 category）",
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } },
    });
}

/// Any request with a token may meet the token's rate limit: one `429` for every
/// operation, written once here.
fn every_operation_may_be_rate_limited(doc: &mut Value) {
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for operation in paths.values_mut().filter_map(Value::as_object_mut) {
        for op in operation.values_mut() {
            if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
                responses.insert(
                    "429".into(),
                    json!({ "$ref": "#/components/responses/RateLimited" }),
                );
            }
        }
    }
}

/// An item row as the API returns it: the common columns, the kind's own columns and
/// joined fields, every one present (null where the type allows), nothing else.
fn item_schema(s: &ItemSchema) -> Value {
    let mut props = Map::new();
    let int = || json!({ "type": "integer", "format": "int64" });
    props.insert("id".into(), int());
    props.insert("document_id".into(), int());
    props.insert("ord".into(), json!({ "type": "integer" }));
    props.insert("item_key".into(), json!({ "type": "string" }));
    for c in s.columns {
        let mut field = json!({ "type": json_type(c.ty), "description": c.label });
        if c.nullable {
            field["nullable"] = json!(true);
        }
        props.insert(c.name.into(), field);
    }
    for e in s.extras {
        let field = match e.shape {
            Shape::OptionalText => json!({ "type": "string", "nullable": true }),
            Shape::TextList => json!({ "type": "array", "items": { "type": "string" } }),
        };
        props.insert(e.name.into(), field);
    }
    props.insert(
        "rejected".into(),
        json!({ "type": "boolean", "description": "审核认定有误" }),
    );
    props.insert(
        "corrected".into(),
        json!({ "type": "boolean", "description": "经过更正" }),
    );
    props.insert(
        "original".into(),
        json!({ "type": "object", "description": "抽取时的原始条目" }),
    );
    props.insert("version".into(), json!({ "type": "integer" }));
    // Fields naming people are removed for public readers: never required.
    let required: Vec<&String> = props
        .keys()
        .filter(|k| !INTERNAL_FIELDS.contains(&k.as_str()))
        .collect();
    json!({
        "type": "object",
        "description": s.label,
        "properties": props,
        "required": required,
        "additionalProperties": false,
    })
}

fn json_type(ty: ColType) -> &'static str {
    match ty {
        ColType::Text | ColType::Code => "string",
        ColType::Real => "number",
        ColType::Int => "integer",
        ColType::Bool => "boolean",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The served document parses, keeps its paths, and every `$ref` names a schema or
    /// response it defines (the generated ones included).
    #[test]
    fn the_document_is_whole_and_its_references_resolve() {
        let doc: Value = serde_json::from_str(document()).unwrap();
        assert!(doc["paths"]["/plans/{id}/indicators"].is_object());
        assert_eq!(
            doc["paths"]["/observations"]["post"]["responses"]["429"]["$ref"],
            "#/components/responses/RateLimited"
        );
        let task = &doc["components"]["schemas"]["Task"];
        assert_eq!(task["properties"]["deadline"]["nullable"], json!(true));
        assert_eq!(task["properties"]["support_departments"]["type"], "array");
        let required = task["required"].as_array().unwrap();
        assert!(required.contains(&json!("text")) && !required.contains(&json!("updated_by")));
        let mut refs = Vec::new();
        collect_refs(&doc, &mut refs);
        assert!(refs.len() > 10);
        for r in refs {
            let pointer = r.trim_start_matches('#');
            assert!(doc.pointer(pointer).is_some(), "{r} does not resolve");
        }
    }

    fn collect_refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push(r.clone());
                }
                map.values().for_each(|x| collect_refs(x, out));
            }
            Value::Array(items) => items.iter().for_each(|x| collect_refs(x, out)),
            _ => {}
        }
    }
}
