//! What people read: every page reachable by links, crawled as each role after a
//! little work has been done (a task assigned, a department report submitted and one
//! approved, a report with evidence waiting), must show no code word (`planner`,
//! `in_progress`, `growth_rate`, `lead_department_id` …), no ISO/UTC timestamp and no
//! ASCII punctuation between Chinese characters outside text quoted from a document.

mod common;

use std::collections::{BTreeSet, VecDeque};

use axum::http::StatusCode;
use common::{ROLES, World};
use planwatch_core::wording::punct::ascii_marks_outside_quotes;

/// Words that are codes, not Chinese: roles, statuses, kinds, field names.
const CODE_WORDS: &[&str] = &[
    "level",
    "growth_rate",
    "share",
    "reduction",
    "annual_target",
    "planned",
    "PlanOutline",
    "WorkReport",
    "plan_outline",
    "work_report",
    "admin",
    "editor",
    "planner",
    "viewer",
    "not_started",
    "in_progress",
    "done",
    "delayed",
    "submitted",
    "approved",
    "returned",
    "binding",
    "expected",
    "insert",
    "update",
    "status",
    "progress",
    "UTC",
    "None",
    "Some",
];

/// The visible text of a page: no tags, scripts, styles or attribute values; text in
/// `<code>` (user names, tokens, file names people type) is left out, because it is
/// an identifier shown as typed, not a word of the interface.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let skip_to = |r: &str, close: &str| r.find(close).map(|j| j + close.len());
        let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
        let end = if lower.starts_with("<script") {
            skip_to(rest, "</script>")
        } else if lower.starts_with("<style") {
            skip_to(rest, "</style>")
        } else if lower.starts_with("<code") {
            skip_to(rest, "</code>")
        } else if lower.starts_with("<!--") {
            skip_to(rest, "-->")
        } else {
            rest.find('>').map(|j| j + 1)
        };
        let Some(end) = end else { break };
        // Inline elements run on with their neighbours (`第 73 行</strong>:规模`);
        // block elements and cells separate text.
        let name: String = rest[1..]
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let inline = ["strong", "a", "em", "b", "small", "mark", "abbr", "label"]
            .contains(&name.to_ascii_lowercase().as_str());
        rest = &rest[end..];
        if !inline {
            out.push(' ');
        }
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Code words standing as words (not inside a longer ASCII word like `level2`).
fn code_words(text: &str) -> Vec<String> {
    let mut hits = Vec::new();
    for w in CODE_WORDS {
        for (i, _) in text.match_indices(w) {
            let before = text[..i].chars().next_back();
            let after = text[i + w.len()..].chars().next();
            let wordy = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            if !wordy(before) && !wordy(after) {
                let from = text[..i].char_indices().rev().nth(15).map_or(0, |(j, _)| j);
                let to = (i + w.len() + 30).min(text.len());
                let to = (to..=text.len())
                    .find(|&j| text.is_char_boundary(j))
                    .unwrap();
                hits.push(format!("{w}: …{}…", &text[from..to]));
            }
        }
    }
    if let Some(i) = text.find("_id") {
        hits.push(format!("_id at {i}"));
    }
    hits
}

/// `2026-12-06T03:30` or `2026-12-06 03:30:05.896`: a stored timestamp shown as is.
fn iso_timestamps(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut hits = Vec::new();
    for i in 0..b.len().saturating_sub(16) {
        let d = |k: usize| b[i + k].is_ascii_digit();
        let shape = (0..4).all(d)
            && b[i + 4] == b'-'
            && d(5)
            && d(6)
            && b[i + 7] == b'-'
            && d(8)
            && d(9)
            && (b[i + 10] == b'T' || b[i + 10] == b' ')
            && d(11)
            && d(12)
            && b[i + 13] == b':';
        let seconds = b.get(i + 16) == Some(&b':');
        if shape && (b[i + 10] == b'T' || seconds) {
            hits.push(String::from_utf8_lossy(&b[i..(i + 24).min(b.len())]).into_owned());
        }
    }
    hits
}

/// Figures written with more than two decimals (`31852.2459`): a sentence or a table
/// rounds them (values below 1, such as `0.034`, keep their digits).
fn raw_decimals(text: &str) -> Vec<String> {
    let mut hits = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && (b[i - 1].is_ascii_digit() || b[i - 1] == b'.')) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let whole = &text[start..i];
        if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
            let dot = i;
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i - dot - 1 > 2 && whole != "0" {
                hits.push(text[start..i].to_string());
            }
        }
    }
    hits
}

/// The page without the formulas of its calculation record (`<td class="muted formula">`),
/// which keep four decimals so that a result can be redone by hand.
fn without_formulas(html: &str) -> String {
    let mark = "<td class=\"muted formula\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(mark) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        rest = rest.find("</td>").map_or("", |j| &rest[j..]);
    }
    out.push_str(rest);
    out
}

/// Symbols of the formulas, which a clerk reads in the formula column only.
const SYMBOLS: &[&str] = &[
    "x_b", "x_t", "τ", "∏", "Σ", "r̄", "req", "P ≥", "P <", "CAGR",
];

/// The visible words of a page's calculation record, its formulas left out.
fn record_words(html: &str) -> Option<String> {
    let start = html.find("<section class=\"card record\"")?;
    let end = html[start..]
        .find("</section>")
        .map_or(html.len(), |j| start + j);
    Some(visible_text(&without_formulas(&html[start..end])))
}

/// Links worth following: pages of the app, not files, assets, the API or logout.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in html.split("href=\"").skip(1) {
        let Some(end) = part.find('"') else { continue };
        let href = part[..end].replace("&amp;", "&");
        let file = [
            ".xlsx", ".json", ".docx", ".html", ".css", ".js", ".txt", ".pdf",
        ]
        .iter()
        .any(|x| href.split('?').next().unwrap_or("").ends_with(x));
        if href.starts_with('/')
            && !file
            && !href.starts_with("/static/")
            && !href.starts_with("/api/")
            && !href.starts_with("/logout")
            && !href.contains("/evidence/")
            && !href.contains("/source")
        {
            out.push(href.split('#').next().unwrap_or("").to_string());
        }
    }
    out
}

/// Some work done, so the queue, the trails and the submissions have rows.
async fn some_work(w: &World) {
    let d = &w.demo;
    let p = d.plan_id;
    let planner = w.client("planner").await;
    // A project of the office's bank that the plan text lists too: a duplicate to review.
    let listed = w.store.projects_of(p).await.unwrap().remove(0);
    let copy = planwatch_store::ProjectDetails {
        name: listed.name.clone(),
        total_investment: Some(5000.0),
        ..Default::default()
    };
    w.store.add_project(p, &copy, "测试").await.unwrap();
    let t = w.store.task(d.task_b).await.unwrap();
    let r = w
        .post(
            &planner,
            &format!("/plans/{p}/tasks/{}/assign", t.id),
            &[
                ("version", &t.version.to_string()),
                ("lead", &d.dept_b.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = w.client("editor-a").await;
    for (progress, status) in [("完成年度目标", "in_progress"), ("已开工建设", "done")] {
        let r = w
            .post_multipart(
                &a,
                &format!("/plans/{p}/tasks/{}/report", d.task_a),
                &[("progress", progress), ("status", status)],
                Some(("evidence", "台账.txt", b"evidence bytes")),
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let r = w
        .post_multipart(
            &a,
            &format!("/plans/{p}/indicators/{}/report", d.indicator_a),
            &[
                ("progress", "2023年数据"),
                ("year", "2023"),
                ("value", "1.7"),
            ],
            None,
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let sub = w
        .store
        .submissions_for_item(planwatch_store::ItemKind::Task, d.task_a)
        .await
        .unwrap()
        .remove(0);
    let r = w
        .post(
            &planner,
            &format!("/plans/{p}/submissions/{}/approve", sub.id),
            &[("version", &sub.version.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn every_page_reads_in_chinese_for_every_role() {
    let w = World::default().await;
    some_work(&w).await;
    let d = &w.demo;
    let p = d.plan_id;
    let sources: Vec<String> = {
        let mut v = vec![include_str!("../../../samples/qingxi-actuals.csv").to_string()];
        // Every stored document's text is quoted verbatim (the city's plan too).
        for doc in w.store.list_documents().await.unwrap() {
            if let Some(t) = w.store.document_text(doc.id).await.unwrap() {
                v.push(t);
            }
        }
        v
    };
    assert!(!sources.is_empty(), "the demo keeps its documents' text");
    let quoted: Vec<&str> = sources.iter().map(String::as_str).collect();
    let starts = [
        "/".to_string(),
        format!("/plans/{p}"),
        format!("/plans/{}", d.report_id),
        format!("/plans/{p}/review"),
        format!("/plans/{p}/tasks/{}", d.task_a),
        format!("/plans/{p}/indicators/{}", d.indicator_a),
        "/account".into(),
        "/admin".into(),
        "/upload/plan".into(),
        "/upload/actuals".into(),
        "/upload/source".into(),
        "/search".into(),
        "/search?q=%E4%B9%A1%E6%9D%91%E6%8C%AF%E5%85%B4".into(),
        "/search?q=5G&type=plan".into(),
    ];
    let mut problems = Vec::new();
    let (mut pages, mut records, mut ratios_in_percent) = (0, 0, 0);
    for role in ROLES {
        let c = w.client(role).await;
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut queue: VecDeque<String> = starts.iter().cloned().collect();
        while let Some(path) = queue.pop_front() {
            if !seen.insert(path.clone()) || seen.len() > 400 {
                continue;
            }
            let r = w.get(&c, &path).await;
            if r.status != StatusCode::OK {
                continue;
            }
            let is_html = r
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html"));
            if !is_html {
                continue;
            }
            pages += 1;
            let text = visible_text(&r.body);
            for hit in code_words(&text) {
                problems.push(format!("{role} {path}: code word {hit}"));
            }
            for hit in iso_timestamps(&text) {
                problems.push(format!("{role} {path}: timestamp {hit}"));
            }
            // The calculation record's formulas keep four decimals on purpose, so a
            // result can be redone by hand; everything else rounds, the record's results
            // too. Figures quoted from a document (`1.220千伏`, item 1 of a list) are
            // the document's.
            let rounded = visible_text(&without_formulas(&r.body));
            for hit in raw_decimals(&rounded)
                .into_iter()
                .filter(|h| !quoted.iter().any(|q| q.contains(h.as_str())))
            {
                problems.push(format!("{role} {path}: raw decimals {hit}"));
            }
            if let Some(record) = record_words(&r.body) {
                records += 1;
                for sym in SYMBOLS.iter().filter(|s| record.contains(*s)) {
                    problems.push(format!("{role} {path}: symbol {sym} in the record's words"));
                }
                if record.contains("进度比") && record.contains('%') {
                    ratios_in_percent += 1;
                }
            }
            if text.contains("每年变动") {
                problems.push(format!("{role} {path}: 每年变动 instead of the direction"));
            }
            for hit in ascii_marks_outside_quotes(&text, &quoted) {
                problems.push(format!("{role} {path}: ASCII mark “{hit}”"));
            }
            queue.extend(links(&r.body));
        }
    }
    problems.sort();
    problems.dedup();
    assert!(pages > 60, "crawled {pages} pages");
    assert!(
        records > 0 && ratios_in_percent > 0,
        "{records} records, {ratios_in_percent} with the pace ratio in per cent"
    );
    assert!(
        problems.is_empty(),
        "{} problems on {pages} pages:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_checks_find_what_they_look_for() {
    let page = "<p>角色：planner</p><script>var level=1</script><code>editor-a</code>\
                <td>2026-12-06T03:30:05.896Z</td><td>2026-12-06 11:30</td>";
    let text = visible_text(page);
    assert!(!text.contains("level") && !text.contains("editor-a"));
    assert_eq!(code_words(&text).len(), 1);
    assert_eq!(iso_timestamps(&text), ["2026-12-06T03:30:05.896Z"]);
    assert!(code_words("县工信局 levels").is_empty());
    assert_eq!(
        raw_decimals("要求31852.2459元，0.0345，7.96（2023年），第3.1415章"),
        ["31852.2459", "3.1415"]
    );
    assert_eq!(
        links(r#"<a href="/plans/1?x=1&amp;y=2">a</a><a href="/static/a.css">b</a>"#),
        ["/plans/1?x=1&y=2"]
    );
}
