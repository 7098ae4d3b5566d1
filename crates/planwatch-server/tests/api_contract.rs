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

fn assert_valid(schema: &Value, body: &Value, what: &str) {
    let validator = jsonschema::validator_for(schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(body)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

/// The served document.
async fn served(w: &World) -> Value {
    let doc = w
        .get(&w.client("anonymous").await, "/api/v1/openapi.json")
        .await;
    assert_eq!(doc.status, StatusCode::OK);
    serde_json::from_str(&doc.body).unwrap()
}

/// Searches the contract test asks: hits, no hit, filters, hostile and refused queries.
const SEARCHES: &[&str] = &[
    "?q=%E4%B9%A1%E6%9D%91%E6%8C%AF%E5%85%B4",
    "?q=5G&type=plan&year=2023&region=439901",
    "?q=5G&type=work_report",
    "?q=%22%20OR%201%3D1%20--",
    "?q=%25",
    "",
    "?q=",
    "?q=5G&year=abc",
    "?q=5G&year=3000",
    "?q=5G&type=memo",
    "?q=%E2%80%AE5G",
];

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
        // Reads here; writes are checked by the tests below.
        for (template, item) in paths.iter().filter(|(_, i)| i.get("get").is_some()) {
            let op = &item["get"];
            let urls: Vec<String> = if template.contains("{id}") {
                ids.iter().map(|id| template.replace("{id}", id)).collect()
            } else if template == "/search" {
                SEARCHES.iter().map(|q| format!("/search{q}")).collect()
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

/// A token for `user` that may do `scopes`.
async fn token(w: &World, user: &str, scopes: &[planwatch_store::TokenScope]) -> String {
    let u = w.store.user_by_username(user).await.unwrap().unwrap();
    let token = planwatch_server::auth::random_token();
    let hash = planwatch_server::auth::sha256_hex(token.as_bytes());
    w.store
        .create_scoped_api_token(u.id, &hash, "推送", scopes, None, "test")
        .await
        .unwrap();
    token
}

/// Observations pushed as CSV: only a token with the import scope, of a user who may
/// import for the region, writes; a bad row changes nothing and is named; the same body
/// again stores nothing; each answer is the documented one; the change is audited under
/// the token's name and shows in the status.
#[tokio::test]
async fn observations_are_imported_through_the_api() {
    use planwatch_store::TokenScope;
    let w = World::default().await;
    let doc = served(&w).await;
    let op = &doc["paths"]["/observations"]["post"];
    let post = |token: &str, query: &str, body: &str| {
        Request::post(format!("/api/v1/observations{query}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let check = |r: &common::Reply, what: &str| {
        let schema = response_schema(&doc, op, r.status)
            .unwrap_or_else(|| panic!("{what}: status {} not documented", r.status));
        let body: Value = serde_json::from_str(&r.body).unwrap();
        assert_valid(&schema, &body, what);
        body
    };
    let csv = "region,year,indicator,value,unit,kind\n青溪县,2026,地区生产总值,301.5,亿元,level\n";
    let read_only = token(&w, "planner", &[]).await;
    let importer = token(&w, "planner", &[TokenScope::Import]).await;
    let viewer = token(&w, "viewer", &[TokenScope::Import]).await;
    let audit = w.audit().await;

    let r = w.send(post(&read_only, "", csv)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let refused = check(&r, "read-only");
    assert!(refused["error"].as_str().unwrap().contains("导入数据"));
    assert_eq!(refused["code"], "token_scope");
    let r = w.send(post(&viewer, "", csv)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a viewer may not import");
    check(&r, "viewer");
    let bad = "region,year,indicator,value,unit,kind\n青溪县,2026,地区生产总值,301.5,亿元,level\n青溪县,二〇二六,人均地区生产总值,1,元,level\n";
    let r = w.send(post(&importer, "", bad)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let refused = check(&r, "bad row");
    assert_eq!(refused["code"], "invalid");
    let message = refused["error"].as_str().unwrap().to_string();
    assert!(
        message.contains("第 3 行") && message.contains("year"),
        "{message}"
    );
    assert_eq!(w.audit().await, audit, "a refused import changes nothing");

    let r = w.send(post(&importer, "?region=439901", csv)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let first = check(&r, "import");
    assert_eq!(first["rows"], 1);
    let r = w.send(post(&importer, "?region=439901", csv)).await;
    assert_eq!(r.status, StatusCode::OK);
    let again = check(&r, "retry");
    assert_eq!(again["already_imported"], true);
    assert_eq!(again["import_id"], first["import_id"]);

    let rows = w
        .store
        .region_observations(None, Some("青溪县"))
        .await
        .unwrap();
    let stored: Vec<_> = rows
        .iter()
        .filter(|o| o.year == 2026 && o.indicator == "地区生产总值")
        .collect();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].value, 301.5);
    assert_eq!(stored[0].created_by, "api:planner@推送");
}

/// The account page makes scoped tokens too: ticking 导入数据 with a last day gives a
/// token that imports, listed with its scopes and end in local time; a token without
/// the tick is refused the import; a date that is not one is named and makes nothing.
#[tokio::test]
async fn the_account_page_makes_scoped_tokens() {
    let w = World::default().await;
    let c = w.client("planner").await;
    let made = w
        .post(
            &c,
            "/account/tokens",
            &[
                ("name", "统计局推送"),
                ("import", "1"),
                ("expires", "2999-12-31"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let token = made
        .body
        .split("id=\"new-token\">")
        .nth(1)
        .and_then(|rest| rest.get(..64))
        .unwrap()
        .to_string();
    assert!(
        made.body.contains("读取、导入数据"),
        "scopes are listed in words"
    );
    assert!(
        made.body.contains("2999-12-31 23:59"),
        "the end in Beijing time"
    );
    let plain = w.post(&c, "/account/tokens", &[("name", "只读")]).await;
    let read_only = plain
        .body
        .split("id=\"new-token\">")
        .nth(1)
        .and_then(|rest| rest.get(..64))
        .unwrap()
        .to_string();
    let csv = "region,year,indicator,value,unit,kind\n青溪县,2026,地区生产总值,301.5,亿元,level\n";
    let post = |t: &str| {
        Request::post("/api/v1/observations?region=439901")
            .header(header::AUTHORIZATION, format!("Bearer {t}"))
            .body(Body::from(csv))
            .unwrap()
    };
    assert_eq!(w.send(post(&read_only)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.send(post(&token)).await.status, StatusCode::CREATED);
    let audit = w.audit().await;
    let bad = w
        .post(&c, "/account/tokens", &[("name", "x"), ("expires", "明年")])
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("有效期"), "{}", bad.body);
    assert_eq!(w.audit().await, audit, "a refused token changes nothing");
}

/// Search answers only from the documents the caller may read: the demo plan's region
/// grants it to the viewer, not to the planner of the other region nor to the public.
#[tokio::test]
async fn search_finds_only_readable_documents() {
    let w = World::default().await;
    let q = "/api/v1/search?q=%E4%B9%A1%E6%9D%91%E6%8C%AF%E5%85%B4";
    let mut totals = Vec::new();
    for role in ["anonymous", "planner-other", "viewer", "admin"] {
        let r = w.get(&w.client(role).await, q).await;
        assert_eq!(r.status, StatusCode::OK, "{role}");
        let body: Value = serde_json::from_str(&r.body).unwrap();
        totals.push(body["total"].as_i64().unwrap());
        for h in body["hits"].as_array().unwrap() {
            let url = h["url"].as_str().unwrap();
            assert_eq!(
                url,
                format!("/plans/{}/outline#L{}", h["document_id"], h["line"])
            );
            let label = h["doc_type_label"].as_str().unwrap();
            assert!(["五年规划纲要", "政府工作报告"].contains(&label), "{label}");
        }
    }
    assert_eq!(totals[0], 0, "the public sees no unpublished plan");
    assert_eq!(totals[1], 0, "no grant for the demo region");
    assert!(totals[2] >= 3, "{totals:?}");
    assert_eq!(totals[2], totals[3]);

    // Published, the plan is found by everyone.
    w.store
        .set_public(w.demo.plan_id, true, "测试")
        .await
        .unwrap();
    let r = w.get(&w.client("anonymous").await, q).await;
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert!(body["total"].as_i64().unwrap() >= 3);
    assert!(
        body["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["document_id"] == w.demo.plan_id)
    );

    let r = w.get(&w.client("viewer").await, "/api/v1/search?q=").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        body,
        json!({"error": "请输入要搜索的词语", "code": "invalid"})
    );
}
