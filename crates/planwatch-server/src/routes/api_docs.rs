//! API 说明: the JSON API's document (`/api/v1/openapi.json`) as a page people read,
//! built from the same document the server serves, so the page cannot say something
//! the API does not do.

use askama::Template;
use axum::Router;
use axum::extract::Extension;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use serde_json::Value;

use super::Nav;
use super::api::openapi_document;
use crate::auth::Viewer;
use crate::error::PageResult;
use crate::state::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/help/api", get(page))
}

/// A description with its `code` spans (names, headers, values) marked, so they are
/// set as code: (is code, text).
type Rich = Vec<(bool, String)>;

/// Splits a description at its backticks.
fn rich(s: &str) -> Rich {
    s.split('`')
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(|(i, part)| (i % 2 == 1, part.to_string()))
        .collect()
}

/// One operation of the API.
struct Operation {
    method: String,
    path: String,
    summary: String,
    description: Rich,
    /// (name, where, required, description)
    parameters: Vec<(String, &'static str, bool, Rich)>,
    /// What the request body is, if it has one.
    body: Option<String>,
    /// (status, description)
    responses: Vec<(String, Rich)>,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct ApiDocsPage {
    nav: Nav,
    intro: Rich,
    operations: Vec<Operation>,
}

async fn page(Extension(viewer): Extension<Viewer>) -> PageResult {
    let doc: Value = serde_json::from_str(openapi_document()).unwrap_or_default();
    let page = ApiDocsPage {
        nav: Nav::of(&viewer),
        intro: rich(&text(&doc["info"]["description"])),
        operations: operations(&doc),
    };
    Ok(Html(page.render()?).into_response())
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn operations(doc: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    let Some(paths) = doc["paths"].as_object() else {
        return out;
    };
    for (path, item) in paths {
        let Some(methods) = item.as_object() else {
            continue;
        };
        for (method, op) in methods {
            out.push(Operation {
                method: method.to_uppercase(),
                path: format!("/api/v1{path}"),
                summary: text(&op["summary"]),
                description: rich(&text(&op["description"])),
                parameters: parameters(op),
                body: body(op),
                responses: responses(doc, op),
            });
        }
    }
    out
}

fn parameters(op: &Value) -> Vec<(String, &'static str, bool, Rich)> {
    let list = op["parameters"].as_array().cloned().unwrap_or_default();
    list.iter()
        .map(|p| {
            let place = match p["in"].as_str() {
                Some("path") => "路径",
                Some("query") => "查询参数",
                Some("header") => "请求头",
                _ => "其他",
            };
            let mut description = rich(&text(&p["description"]));
            if let Some(values) = p["schema"]["enum"].as_array() {
                description.push((false, "（可选值：".into()));
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        description.push((false, "、".into()));
                    }
                    description.push((true, text(v)));
                }
                description.push((false, "）".into()));
            }
            (text(&p["name"]), place, p["required"] == true, description)
        })
        .collect()
}

fn body(op: &Value) -> Option<String> {
    let content = op["requestBody"]["content"].as_object()?;
    let kinds: Vec<&str> = content.keys().map(String::as_str).collect();
    Some(format!("请求正文：{}", kinds.join("、")))
}

fn responses(doc: &Value, op: &Value) -> Vec<(String, Rich)> {
    let Some(map) = op["responses"].as_object() else {
        return Vec::new();
    };
    let mut out: Vec<(String, Rich)> = map
        .iter()
        .map(|(status, r)| {
            let r = match r["$ref"].as_str() {
                Some(pointer) => doc.pointer(pointer.trim_start_matches('#')).unwrap_or(r),
                None => r,
            };
            (status.clone(), rich(&text(&r["description"])))
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation of the served document is on the page, with its responses
    /// resolved from their references.
    #[test]
    fn every_operation_of_the_document_is_listed() {
        let doc: Value = serde_json::from_str(openapi_document()).unwrap();
        let ops = operations(&doc);
        let count: usize = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|i| i.as_object().unwrap().len())
            .sum();
        assert_eq!(ops.len(), count);
        let tasks = ops
            .iter()
            .find(|o| o.path == "/api/v1/plans/{id}/tasks")
            .unwrap();
        assert!(
            tasks
                .parameters
                .iter()
                .any(|p| p.0 == "cursor" && p.1 == "查询参数")
        );
        let limited = tasks.responses.iter().find(|r| r.0 == "429").unwrap();
        assert!(limited.1[0].1.contains("过于频繁"), "a $ref is resolved");
    }

    #[test]
    fn backticks_mark_code() {
        assert_eq!(
            rich("请求头 `Authorization: Bearer 令牌`。"),
            vec![
                (false, "请求头 ".to_string()),
                (true, "Authorization: Bearer 令牌".to_string()),
                (false, "。".to_string()),
            ]
        );
    }
}
