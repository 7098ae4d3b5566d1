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
    "?q=5G&all_versions=true",
    "?q=5G&all_versions=maybe",
    "?q=%E8%83%BD%E8%80%97&indicator=%E5%8D%95%E4%BD%8DGDP%E8%83%BD%E8%80%97%E9%99%8D%E4%BD%8E",
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
    let project = w.store.projects_of(w.demo.plan_id).await.unwrap().remove(0);
    let pids = [project.id.to_string(), "987654".into(), "abc".into()];
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
            // A project: the demo's, one of no plan, one that is no number.
            let urls: Vec<String> = if template.contains("{pid}") {
                urls.iter()
                    .flat_map(|u| pids.iter().map(move |pid| u.replace("{pid}", pid)))
                    .collect()
            } else {
                urls
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
    assert_eq!(body["error"], "请输入要搜索的词语");
    assert_eq!(body["code"], "invalid");
    // A typed filter given empty is refused and named (the page's form may send it).
    for (query, field) in [("type=", "type"), ("year=", "year")] {
        let url = format!("/api/v1/search?q=%E4%B9%A1%E6%9D%91&{query}");
        let r = w.get(&w.client("viewer").await, &url).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}");
        let body: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(body["field"], field);
    }
    let page = w
        .get(
            &w.client("viewer").await,
            "/search?q=%E4%B9%A1%E6%9D%91&type=&year=",
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "the page's form sends 全部 as empty"
    );
}

/// Search hits come a page at a time: following `next_cursor` with `limit=1` gives
/// every hit once, in the order of one whole page; a bad cursor or limit is named.
#[tokio::test]
async fn search_pages_follow_the_cursor() {
    let w = World::default().await;
    let admin = w.client("admin").await;
    let q = "/api/v1/search?q=%E4%B9%A1%E6%9D%91%E6%8C%AF%E5%85%B4";
    let whole: Value = serde_json::from_str(&w.get(&admin, q).await.body).unwrap();
    let place = |h: &Value| (h["document_id"].as_i64(), h["line"].as_i64());
    let expected: Vec<_> = whole["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(place)
        .collect();
    assert!(expected.len() >= 3, "{whole}");
    assert_eq!(whole["next_cursor"], Value::Null);
    let mut seen = Vec::new();
    let mut url = format!("{q}&limit=1");
    loop {
        let page: Value = serde_json::from_str(&w.get(&admin, &url).await.body).unwrap();
        assert_eq!(page["total"], whole["total"]);
        let hits = page["hits"].as_array().unwrap();
        assert_eq!(hits.len(), 1, "{page}");
        seen.push(place(&hits[0]));
        match page["next_cursor"].as_str() {
            Some(c) => url = format!("{q}&limit=1&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, expected);
    for (query, field) in [
        ("cursor=x", "cursor"),
        ("limit=201", "limit"),
        ("limit=", "limit"),
    ] {
        let r = w.get(&admin, &format!("{q}&{query}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}");
        let body: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(body["field"], field, "{query}");
    }
}

/// `indicator=` keeps the lines an indicator of that name was read from (the demo
/// plan's, and the city plan's of the same name).
#[tokio::test]
async fn search_by_indicator_keeps_its_source_lines() {
    let w = World::default().await;
    let rows = w.store.indicators_of(w.demo.plan_id).await.unwrap();
    let first = &rows[0];
    let enc = |t: &str| serde_urlencoded::to_string([("x", t)]).unwrap()[2..].to_string();
    let url = format!(
        "/api/v1/search?q={}&indicator={}",
        enc(&first.name),
        enc(&first.name)
    );
    let r = w.get(&w.client("admin").await, &url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body: Value = serde_json::from_str(&r.body).unwrap();
    let hits = body["hits"].as_array().unwrap();
    assert!(!hits.is_empty(), "{}", r.body);
    assert!(hits.iter().any(|h| h["document_id"] == w.demo.plan_id));
    for h in hits {
        let doc = h["document_id"].as_i64().unwrap();
        let line = h["line"].as_i64().unwrap();
        let of_doc = w.store.indicators_of(doc).await.unwrap();
        assert!(
            of_doc
                .iter()
                .any(|i| i.name == first.name && i.line == line),
            "{h}"
        );
    }
    let url = format!("/api/v1/search?q={}&indicator=%E6%97%A0", enc(&first.name));
    let r = w.get(&w.client("admin").await, &url).await;
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(body["total"], 0, "no indicator of that name");
}

/// Lists come a page at a time: following `next_cursor` with `limit=2` gives every
/// task once, in id order, each page valid against the document; filters narrow the
/// list; a bad `limit` is the documented 400.
#[tokio::test]
async fn lists_are_paged_by_cursor_and_filtered() {
    let w = World::default().await;
    let doc = served(&w).await;
    let op = &doc["paths"]["/plans/{id}/tasks"]["get"];
    let c = w.client("planner").await;
    let p = w.demo.plan_id;
    let all = w.store.tasks_of(p, None).await.unwrap();
    let mut seen: Vec<i64> = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..all.len() + 1 {
        let after = cursor
            .as_deref()
            .map(|c| format!("&cursor={c}"))
            .unwrap_or_default();
        let r = w
            .get(&c, &format!("/api/v1/plans/{p}/tasks?limit=2{after}"))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let body: Value = serde_json::from_str(&r.body).unwrap();
        assert_valid(
            &response_schema(&doc, op, r.status).unwrap(),
            &body,
            "a page",
        );
        let page = body["tasks"].as_array().unwrap();
        assert!(page.len() <= 2);
        seen.extend(page.iter().map(|t| t["id"].as_i64().unwrap()));
        match body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    let mut expected: Vec<i64> = all.iter().map(|t| t.id).collect();
    expected.sort_unstable();
    assert_eq!(seen, expected, "every task once, in id order");

    let r = w
        .get(
            &c,
            &format!("/api/v1/plans/{p}/tasks?status=in_progress&limit=500"),
        )
        .await;
    let body: Value = serde_json::from_str(&r.body).unwrap();
    let in_progress = all
        .iter()
        .filter(|t| t.status == planwatch_store::TaskStatus::InProgress);
    assert_eq!(body["tasks"].as_array().unwrap().len(), in_progress.count());

    let r = w
        .get(&c, &format!("/api/v1/plans/{p}/observations?year=2022"))
        .await;
    let body: Value = serde_json::from_str(&r.body).unwrap();
    let years: Vec<i64> = body["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["year"].as_i64().unwrap())
        .collect();
    assert!(!years.is_empty() && years.iter().all(|y| *y == 2022));

    let r = w.get(&c, "/api/v1/plans?type=work_report").await;
    let body: Value = serde_json::from_str(&r.body).unwrap();
    let ids: Vec<i64> = body["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [w.demo.report_id]);

    for (bad, field) in [
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("cursor=x", "cursor"),
        ("status=late", "status"),
        ("year=abc", "year"),
    ] {
        let r = w.get(&c, &format!("/api/v1/plans/{p}/tasks?{bad}")).await;
        let r = if bad.starts_with("year") {
            w.get(&c, &format!("/api/v1/plans/{p}/observations?{bad}"))
                .await
        } else {
            r
        };
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        let body: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(body["code"], "invalid", "{bad}");
        assert_eq!(body["field"], field, "{bad}: the parameter is named");
        assert_valid(&response_schema(&doc, op, r.status).unwrap(), &body, bad);
    }
}

/// A department's system reports task progress with a token of scope 报送进展: it
/// becomes a submission in the planner's queue under the token's name; a read-only
/// token, another department's token and a malformed body change nothing; every
/// answer is the documented one.
#[tokio::test]
async fn task_progress_is_reported_through_the_api() {
    use planwatch_store::{SubmissionState, TokenScope};
    let w = World::default().await;
    let doc = served(&w).await;
    let op = &doc["paths"]["/plans/{id}/tasks/{tid}/reports"]["post"];
    let (p, task) = (w.demo.plan_id, w.demo.task_a);
    let post = |token: &str, body: &str| {
        Request::post(format!("/api/v1/plans/{p}/tasks/{task}/reports"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
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
    let good = r#"{"progress": "完成主体工程招标，开工准备就绪。", "status": "in_progress"}"#;
    let reporter = token(&w, "editor-a", &[TokenScope::Report]).await;
    let read_only = token(&w, "editor-a", &[]).await;
    let other = token(&w, "editor-b", &[TokenScope::Report]).await;
    let audit = w.audit().await;

    let r = w.send(post(&read_only, good)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(check(&r, "read-only")["code"], "token_scope");
    let r = w.send(post(&other, good)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    check(&r, "another department");
    for bad in [
        "not json",
        r#"{"progress": ""}"#,
        r#"{"progress": "x", "status": "late"}"#,
        r#"{"progress": "x", "extra": 1}"#,
    ] {
        let r = w.send(post(&reporter, bad)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        let body = check(&r, bad);
        if bad.contains("late") {
            assert_eq!(body["field"], "status", "the field is named");
        }
    }
    assert_eq!(w.audit().await, audit, "refusals change nothing");

    let r = w.send(post(&reporter, good)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let body = check(&r, "reported");
    let queue = w
        .store
        .submissions_of(p, Some(SubmissionState::Submitted))
        .await
        .unwrap();
    let s = queue
        .iter()
        .find(|s| s.id == body["submission_id"].as_i64().unwrap())
        .unwrap();
    assert_eq!(s.item_id, task);
    assert_eq!(s.submitted_by, "api:editor-a@推送");
    assert_eq!(s.department_id, Some(w.demo.dept_a));
    let unchanged = w.store.task(task).await.unwrap();
    assert_ne!(
        unchanged.progress.as_deref(),
        Some("完成主体工程招标，开工准备就绪。"),
        "waits for review"
    );
}

/// A plan uploaded through the API: previewed with what was found, committed by the
/// same user only, stored with the token in the audit; a read-only token, a region the
/// user does not plan and a broken file change nothing; every answer is documented.
#[tokio::test]
async fn documents_are_uploaded_through_the_api_in_two_steps() {
    use planwatch_store::TokenScope;
    let w = World::default().await;
    let doc = served(&w).await;
    let upload_op = &doc["paths"]["/documents"]["post"];
    let commit_op = &doc["paths"]["/documents/{preview}/commit"]["post"];
    let send = |token: &str, path: String, body: Vec<u8>| {
        Request::post(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(Body::from(body))
            .unwrap()
    };
    let check = |op: &Value, r: &common::Reply, what: &str| {
        let schema = response_schema(&doc, op, r.status)
            .unwrap_or_else(|| panic!("{what}: status {} not documented", r.status));
        let body: Value = serde_json::from_str(&r.body).unwrap();
        assert_valid(&schema, &body, what);
        body
    };
    let plan = include_bytes!("../../../samples/qingxi-plan-15.txt").to_vec();
    let region = planwatch_server::demo::REGION;
    let url = |region: &str| format!("/api/v1/documents?region={region}&name=qingxi-plan-15.txt");
    let importer = token(&w, "planner", &[TokenScope::Import]).await;
    let other_importer = token(&w, "admin", &[TokenScope::Import]).await;
    let read_only = token(&w, "planner", &[]).await;
    let audit = w.audit().await;

    let r = w.send(send(&read_only, url(region), plan.clone())).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    check(upload_op, &r, "read-only");
    let r = w
        .send(send(
            &importer,
            url(planwatch_server::demo::OTHER_REGION),
            plan.clone(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    check(upload_op, &r, "another region");
    let broken = b"PK\x03\x04 not really a docx".to_vec();
    let r = w
        .send(send(
            &importer,
            format!("/api/v1/documents?region={region}&name=plan.docx"),
            broken,
        ))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        check(upload_op, &r, "broken")["error"]
            .as_str()
            .unwrap()
            .contains("plan.docx")
    );
    assert_eq!(w.audit().await, audit, "refusals change nothing");

    let r = w.send(send(&importer, url(region), plan)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let preview = check(upload_op, &r, "preview");
    assert_eq!(preview["doc_type"], "plan_outline");
    assert_eq!(preview["period"], json!({"start": 2026, "end": 2030}));
    assert!(preview["counts"]["indicators"].as_i64().unwrap() > 10);
    assert_eq!(w.audit().await, audit, "a preview stores nothing");
    let id = preview["preview_id"].as_str().unwrap();
    let commit = format!("/api/v1/documents/{id}/commit");
    let r = w
        .send(send(&other_importer, commit.clone(), Vec::new()))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "another user's preview");
    check(commit_op, &r, "another user");
    let r = w.send(send(&importer, commit.clone(), Vec::new())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let stored = check(commit_op, &r, "commit")["document_id"]
        .as_i64()
        .unwrap();
    let summary = w.store.document_summary(stored).await.unwrap();
    assert_eq!(summary.period_start, Some(2026));
    assert_eq!(summary.ingested_by, "api:planner@推送");
    let r = w.send(send(&importer, commit, Vec::new())).await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "a preview is committed once"
    );
}

/// Observations pushed as a JSON array are read by the same rules as a CSV body: a bad
/// item is named by its number and its column, nothing is stored; a good array is
/// imported once and a retry stores nothing.
#[tokio::test]
async fn observations_are_imported_as_a_json_array() {
    use planwatch_store::TokenScope;
    let w = World::default().await;
    let doc = served(&w).await;
    let op = &doc["paths"]["/observations"]["post"];
    let post = |token: &str, body: &str| {
        Request::post("/api/v1/observations")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let importer = token(&w, "planner", &[TokenScope::Import]).await;
    let audit = w.audit().await;
    let bad = r#"[{"region": "青溪县", "year": 2026, "indicator": "地区生产总值", "value": 301.5},
                  {"region": "青溪县", "year": "二〇二六", "indicator": "地区生产总值", "value": 1}]"#;
    let r = w.send(post(&importer, bad)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_valid(
        &response_schema(&doc, op, r.status).unwrap(),
        &body,
        "bad item",
    );
    let message = body["error"].as_str().unwrap();
    assert!(
        message.contains("第 2 行") && message.contains("year"),
        "{message}"
    );
    assert_eq!(w.audit().await, audit, "nothing stored");

    let good = r#"[{"region": "青溪县", "year": 2026, "indicator": "地区生产总值", "value": 301.5, "unit": "亿元"}]"#;
    let r = w.send(post(&importer, good)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_valid(
        &response_schema(&doc, op, r.status).unwrap(),
        &body,
        "imported",
    );
    assert_eq!(body["rows"], 1);
    let r = w.send(post(&importer, good)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("\"already_imported\":true"));
}

/// The status document judged in a chosen year and narrowed to one category: each
/// answer valid against the document, with its own entity tag.
#[tokio::test]
async fn status_is_filtered_by_year_and_category() {
    let w = World::default().await;
    let doc = served(&w).await;
    let op = &doc["paths"]["/plans/{id}/status"]["get"];
    let c = w.client("planner").await;
    let p = w.demo.plan_id;
    let get = |q: &'static str| {
        let w = &w;
        let c = &c;
        async move { w.get(c, &format!("/api/v1/plans/{p}/status{q}")).await }
    };
    let all = get("").await;
    let r = get("?year=2022").await;
    assert_eq!(r.status, StatusCode::OK);
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_valid(&response_schema(&doc, op, r.status).unwrap(), &body, "2022");
    assert_eq!(body["year"], 2022);
    assert_ne!(r.headers["etag"], all.headers["etag"]);

    let r = get("?category=%E6%BB%9E%E5%90%8E").await;
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_valid(&response_schema(&doc, op, r.status).unwrap(), &body, "滞后");
    let items = body["evaluations"].as_array().unwrap();
    let expected = w.store.plan_status(p, None, None).await.unwrap();
    let lagging = expected
        .evaluations
        .iter()
        .filter(|e| e.category == planwatch_core::eval::Category::Lagging)
        .count();
    assert!(lagging > 0);
    assert_eq!(items.len(), lagging);
    assert!(items.iter().all(|e| e["category"] == "滞后"));

    for (bad, field) in [
        ("?category=late", "category"),
        ("?year=abc", "year"),
        ("?year=", "year"),
    ] {
        let r = get(bad).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        let body: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(body["field"], field);
        assert_valid(&response_schema(&doc, op, r.status).unwrap(), &body, bad);
    }
}

/// The project ledger and a project through the API: the demo's classes at the end of
/// 2024 with their figures, the period refused in words when it is not one, and a
/// public reader sees approved reports only, without reviewers' notes.
#[tokio::test]
async fn key_projects_are_read_through_the_api() {
    let w = World::default().await;
    let doc = served(&w).await;
    let p = w.demo.plan_id;
    let planner = w.client("planner").await;
    let url = format!("/api/v1/plans/{p}/projects?year=2024&month=12");
    let r = w.get(&planner, &url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body: Value = serde_json::from_str(&r.body).unwrap();
    let schema = response_schema(&doc, &doc["paths"]["/plans/{id}/projects"]["get"], r.status);
    assert_valid(&schema.unwrap(), &body, "ledger");
    assert_eq!(body["period"], "2024年12月");
    let classes: Vec<&str> = body["projects"]
        .as_array()
        .unwrap()
        .iter()
        .take(6)
        .map(|x| x["class"].as_str().unwrap())
        .collect();
    // demo_projects.rs: 100%, 85%, 60%, no start, finished in September, 106.7%.
    assert_eq!(
        classes,
        [
            "normal",
            "lagging",
            "severe",
            "not_started",
            "completed",
            "normal"
        ]
    );
    assert_eq!(body["projects"][1]["year_to_date"], 10200.0);
    assert_eq!(body["projects"][1]["completion"], 0.85);
    let r = w
        .get(&planner, &format!("/api/v1/plans/{p}/projects?month=13"))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("月份应为 1—12 之间的整数"), "{}", r.body);
    // One project with its reports: 12 approved months for the planner.
    let pid = body["projects"][1]["id"].as_i64().unwrap();
    let one = format!("/api/v1/plans/{p}/projects/{pid}");
    let r = w.get(&planner, &one).await;
    let project: Value = serde_json::from_str(&r.body).unwrap();
    let reports = project["project"]["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 12, "{}", r.body);
    assert!(reports.iter().all(|x| x["state"] == "approved"));
    assert!(reports[0].get("review_note").is_some());
    // A report waiting for review is the planner's to see, not the public's.
    let sub = w
        .store
        .submit_project_report(
            &planwatch_store::NewProjectReport {
                project_id: pid,
                department_id: None,
                year: 2025,
                month: 1,
                investment: 500.0,
                cumulative: None,
                progress: "桩基施工".into(),
                started_on: None,
                finished_on: None,
                problems: None,
                help_needed: None,
            },
            &[],
            "测试",
        )
        .await;
    assert!(sub.is_ok(), "{sub:?}");
    w.store.set_public(p, true, "测试").await.unwrap();
    let r = w.get(&planner, &one).await;
    let all: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(all["project"]["reports"].as_array().unwrap().len(), 13);
    let anonymous = w.client("anonymous").await;
    let r = w.get(&anonymous, &one).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let public: Value = serde_json::from_str(&r.body).unwrap();
    let schema = response_schema(
        &doc,
        &doc["paths"]["/plans/{id}/projects/{pid}"]["get"],
        r.status,
    );
    assert_valid(&schema.unwrap(), &public, "public project");
    let reports = public["project"]["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 12);
    assert!(reports.iter().all(|x| x.get("review_note").is_none()));
}

/// A period report pushed through the API: a token of the 报送进展 scope whose user
/// edits for the project's unit submits; another unit's editor, a token without the
/// scope and a bad field change nothing; the planner's approval makes it count.
#[tokio::test]
async fn a_department_reports_project_progress_through_the_api() {
    use planwatch_store::TokenScope;
    let w = World::default().await;
    let doc = served(&w).await;
    let op = &doc["paths"]["/plans/{id}/projects/{pid}/reports"]["post"];
    let p = w.demo.plan_id;
    let project = w
        .store
        .projects_of(p)
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.department_id == Some(w.demo.dept_a))
        .unwrap();
    let url = format!("/api/v1/plans/{p}/projects/{}/reports", project.id);
    let post = |token: &str, body: &Value| {
        Request::post(url.as_str())
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
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
    let january = json!({"year": 2025, "month": 1, "investment": 700, "progress": "桩基完成"});
    let reporter = token(&w, "editor-a", &[TokenScope::Report]).await;
    let reader = token(&w, "editor-a", &[]).await;
    let other = token(&w, "editor-b", &[TokenScope::Report]).await;
    let audit = w.audit().await;
    let r = w.send(post(&reader, &january)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(check(&r, "no scope")["code"], "token_scope");
    let r = w.send(post(&other, &january)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "another unit's editor");
    check(&r, "other unit");
    let bad = json!({"year": 2025, "month": 1, "investment": "很多", "progress": "桩基完成"});
    let r = w.send(post(&reporter, &bad)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        check(&r, "bad")["error"]
            .as_str()
            .unwrap()
            .contains("本期完成投资应为数字")
    );
    let odd = json!({"year": 2025, "month": 1, "investment": 1, "progress": "x", "amount": 1});
    let r = w.send(post(&reporter, &odd)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        check(&r, "unknown")["error"]
            .as_str()
            .unwrap()
            .contains("未知的字段：amount")
    );
    assert_eq!(w.audit().await, audit, "refusals change nothing");
    let r = w.send(post(&reporter, &january)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let made = check(&r, "created");
    assert_eq!(made["report"]["state"], "submitted");
    assert_eq!(made["report"]["investment"], 700.0);
    let r = w.send(post(&reporter, &january)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "the same period twice");
    // Approved by the planner, it is the year's completed investment.
    let sub = w
        .store
        .project_report(made["report"]["id"].as_i64().unwrap())
        .await
        .unwrap()
        .submission;
    assert_eq!(sub.submitted_by, "api:editor-a@推送");
    w.store
        .approve_submission(sub.id, sub.version, None, "测试")
        .await
        .unwrap();
    let planner = w.client("planner").await;
    let r = w
        .get(
            &planner,
            &format!("/api/v1/plans/{p}/projects?year=2025&month=1"),
        )
        .await;
    let ledger: Value = serde_json::from_str(&r.body).unwrap();
    let line = ledger["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == project.id)
        .unwrap();
    assert_eq!(line["year_to_date"], 700.0);
}
