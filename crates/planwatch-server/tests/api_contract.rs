//! The API keeps its contract: every documented route, asked by every role about every
//! demo document, a missing one, a non-numeric id and one beyond i64, answers with a
//! status the document lists and a body valid against the schema it gives for that
//! status. The document is the one the server serves (`/api/v1/openapi.json`), with the
//! item schemas generated from the store; a field added to a response without being
//! documented, or a null where none is allowed, fails here.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{ROLES, World};
use serde_json::{Value, json};

/// OpenAPI 3.0's `nullable` as JSON Schema: `type: [T, "null"]` (and null in an enum).
fn to_json_schema(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.remove("nullable") == Some(json!(true)) {
                if let Some(Value::String(t)) = map.get("type").cloned() {
                    map.insert("type".into(), json!([t, "null"]));
                }
                if let Some(Value::Array(items)) = map.get_mut("enum") {
                    items.push(Value::Null);
                }
            }
            map.values_mut().for_each(to_json_schema);
        }
        Value::Array(items) => items.iter_mut().for_each(to_json_schema),
        _ => {}
    }
}

/// The schema of the response `status` of `op`, with the components to resolve it.
fn response_schema(doc: &Value, op: &Value, status: StatusCode) -> Option<Value> {
    let mut response = op["responses"].get(status.as_str())?.clone();
    if let Some(Value::String(r)) = response.get("$ref") {
        response = doc.pointer(r.trim_start_matches('#'))?.clone();
    }
    let mut schema = response["content"]["application/json"]["schema"].clone();
    schema["components"] = doc["components"].clone();
    to_json_schema(&mut schema);
    Some(schema)
}

#[tokio::test]
async fn every_api_response_matches_the_document() {
    let w = World::default().await;
    let doc = w
        .get(&w.client("anonymous").await, "/api/v1/openapi.json")
        .await;
    assert_eq!(doc.status, StatusCode::OK);
    let doc: Value = serde_json::from_str(&doc.body).unwrap();
    let mut ids: Vec<String> = [w.demo.plan_id, w.demo.report_id]
        .iter()
        .map(i64::to_string)
        .collect();
    ids.extend(["987654", "abc", "99999999999999999999", "-1"].map(String::from));
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 6);
    let mut checked = 0;
    for role in ROLES {
        let c = w.client(role).await;
        for (template, item) in paths {
            let op = &item["get"];
            let urls: Vec<String> = if template.contains("{id}") {
                ids.iter().map(|id| template.replace("{id}", id)).collect()
            } else {
                vec![template.clone()]
            };
            for url in urls {
                let r = w.get(&c, &format!("/api/v1{url}")).await;
                let schema = response_schema(&doc, op, r.status)
                    .unwrap_or_else(|| panic!("{role} {url}: status {} not documented", r.status));
                let body: Value = serde_json::from_str(&r.body)
                    .unwrap_or_else(|e| panic!("{role} {url}: not JSON ({e}): {}", r.body));
                let validator = jsonschema::validator_for(&schema).unwrap();
                let errors: Vec<String> = validator
                    .iter_errors(&body)
                    .take(5)
                    .map(|e| format!("{} at {}", e, e.instance_path()))
                    .collect();
                assert!(
                    errors.is_empty(),
                    "{role} {url} ({}): {errors:#?}",
                    r.status
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= ROLES.len() * 30, "{checked}");
}

/// A bearer token reads the same documents a session does, and a wrong one gets the
/// documented 401 body.
#[tokio::test]
async fn bearer_tokens_get_documented_answers() {
    let w = World::default().await;
    let planner = w.store.user_by_username("planner").await.unwrap().unwrap();
    let token = planwatch_server::auth::random_token();
    let hash = planwatch_server::auth::sha256_hex(token.as_bytes());
    w.store
        .create_api_token(planner.id, &hash, "测试", "test")
        .await
        .unwrap();
    let ask = |t: &str| {
        Request::get(format!("/api/v1/plans/{}/tasks", w.demo.plan_id))
            .header(header::AUTHORIZATION, format!("Bearer {t}"))
            .body(Body::empty())
            .unwrap()
    };
    let r = w.send(ask(&token)).await;
    assert_eq!(r.status, StatusCode::OK);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    assert!(!v["tasks"].as_array().unwrap().is_empty());
    let r = w.send(ask(&"0".repeat(64))).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    assert!(v["error"].is_string(), "{v}");
}

/// The status document carries an ETag; asked again with it, the answer is 304 without
/// a body until the data changes (a correction here), then 200 with a new tag.
#[tokio::test]
async fn status_is_revalidated_by_its_etag() {
    let w = World::default().await;
    let c = w.client("planner").await;
    let url = format!("/api/v1/plans/{}/status", w.demo.plan_id);
    let ask = |tag: Option<&str>| {
        let mut req = Request::get(url.as_str()).header(header::COOKIE, c.cookie.clone().unwrap());
        if let Some(t) = tag {
            req = req.header(header::IF_NONE_MATCH, t);
        }
        req.body(Body::empty()).unwrap()
    };
    let first = w.send(ask(None)).await;
    assert_eq!(first.status, StatusCode::OK);
    let tag = first.headers[header::ETAG].to_str().unwrap().to_string();
    assert!(tag.starts_with('"') && tag.len() == 34, "{tag}");
    let again = w.send(ask(Some(&tag))).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.headers[header::ETAG], tag.as_str());
    let other = w.send(ask(Some("\"0000\", W/\"1111\""))).await;
    assert_eq!(other.status, StatusCode::OK);
    // Data changes: an observation of a plan indicator is added; the tag changes.
    let obs = w
        .store
        .region_observations(None, Some("青溪县"))
        .await
        .unwrap();
    let o = obs.iter().max_by_key(|o| o.year).unwrap();
    let batch = planwatch_store::ImportBatch {
        file_name: "etag.csv".into(),
        sha256: "e".repeat(64),
    };
    let row = planwatch_store::NewObservation {
        region: o.region_name.clone(),
        indicator: o.indicator.clone(),
        year: o.year + 1,
        value: o.value * 1.01,
        unit: o.unit.clone(),
        kind: o.kind,
        source: Some("测试".into()),
        row: 2,
        ..Default::default()
    };
    w.store
        .import_observations(&batch, &[row], "test")
        .await
        .unwrap();
    let after = w.send(ask(Some(&tag))).await;
    assert_eq!(after.status, StatusCode::OK);
    assert_ne!(after.headers[header::ETAG], tag.as_str());
}
