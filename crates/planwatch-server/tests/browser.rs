//! The application in a real browser: headless Chromium driven over WebDriver.
//!
//! A planner logs in, uploads a plan (preview, then commit), opens an indicator page,
//! corrects a prose target; a department editor reports progress on a task and the
//! planner approves it. Screenshots of the dashboard and the indicator page are saved
//! under the test output directory (the path is printed).
//!
//! Needs Debian's `chromium` and `chromium-driver`; without them the test prints
//! "skipped: chromium/chromedriver not found" and passes.
//!
//! Why a hand-written WebDriver client: WebDriver is JSON over HTTP on loopback and
//! the test needs ten commands; a hundred lines over `std::net::TcpStream` are easy to
//! read and add no HTTP client, TLS stack or pinned 0.x crate to the build.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use planwatch_server::{AppState, Config, app};
use serde_json::{Value, json};

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| {
        std::env::split_paths(&path)
            .map(|d| d.join(n))
            .find(|p| p.is_file())
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One HTTP/1.1 request to the driver; the JSON body of the answer.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(60))).ok();
    let body = body.map(Value::to_string).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    // Read the head, then exactly the body: the driver may keep the connection open.
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let split = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = s.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed before the head ended".into());
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let mut payload = raw[split + 4..].to_vec();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    match length {
        Some(len) => {
            while payload.len() < len {
                let n = s.read(&mut buf).map_err(|e| e.to_string())?;
                if n == 0 {
                    break;
                }
                payload.extend_from_slice(&buf[..n]);
            }
        }
        None => {
            s.read_to_end(&mut payload).map_err(|e| e.to_string())?;
        }
    }
    if head.contains("transfer-encoding: chunked") {
        let mut out = Vec::new();
        let mut rest = &payload[..];
        loop {
            let nl = rest
                .windows(2)
                .position(|w| w == b"\r\n")
                .ok_or("bad chunk")?;
            let size =
                usize::from_str_radix(std::str::from_utf8(&rest[..nl]).unwrap_or("0").trim(), 16)
                    .map_err(|e| e.to_string())?;
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[nl + 2..nl + 2 + size]);
            rest = &rest[nl + 4 + size..];
        }
        payload = out;
    }
    let v: Value = serde_json::from_slice(&payload)
        .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&payload)))?;
    if let Some(err) = v["value"]["error"].as_str() {
        return Err(format!("{err}: {}", v["value"]["message"]));
    }
    Ok(v["value"].clone())
}

/// A WebDriver session.
struct Browser {
    port: u16,
    session: String,
    base: String,
}

impl Browser {
    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        http(
            self.port,
            method,
            &format!("/session/{}{path}", self.session),
            body.as_ref(),
        )
    }

    fn go(&self, path: &str) {
        self.cmd(
            "POST",
            "/url",
            Some(json!({"url": format!("{}{path}", self.base)})),
        )
        .unwrap();
    }

    /// Wait (up to 20 s) for an element, by CSS selector.
    fn find(&self, css: &str) -> String {
        let start = Instant::now();
        loop {
            match self.cmd(
                "POST",
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            ) {
                Ok(v) => {
                    return v
                        .as_object()
                        .and_then(|o| o.values().next())
                        .and_then(Value::as_str)
                        .unwrap()
                        .to_string();
                }
                Err(e) if start.elapsed() > Duration::from_secs(20) => {
                    panic!("{css} not found: {e}\n{}", self.source())
                }
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    /// Run a command on the element `css` selects; a page that is being replaced (htmx
    /// swap, navigation) makes a found element stale, so look it up again and retry.
    fn on_element(&self, css: &str, method: &str, action: &str, body: Option<Value>) -> Value {
        let start = Instant::now();
        loop {
            let el = self.find(css);
            match self.cmd(method, &format!("/element/{el}/{action}"), body.clone()) {
                Ok(v) => return v,
                Err(e)
                    if e.contains("stale element") && start.elapsed() < Duration::from_secs(20) =>
                {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => panic!("{action} on {css}: {e}"),
            }
        }
    }

    fn click(&self, css: &str) {
        self.on_element(css, "POST", "click", Some(json!({})));
    }

    fn clear(&self, css: &str) {
        self.on_element(css, "POST", "clear", Some(json!({})));
    }

    fn type_into(&self, css: &str, text: &str) {
        self.on_element(css, "POST", "value", Some(json!({"text": text})));
    }

    fn text(&self, css: &str) -> String {
        self.on_element(css, "GET", "text", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn source_contains(&self, needle: &str) -> bool {
        self.cmd("GET", "/source", None)
            .map(|v| v.as_str().unwrap_or_default().contains(needle))
            .unwrap_or(false)
    }

    fn source(&self) -> String {
        self.cmd("GET", "/source", None)
            .map(|v| v.as_str().unwrap_or_default().chars().take(3000).collect())
            .unwrap_or_default()
    }

    /// Wait until the page text contains `needle`.
    fn wait_text(&self, css: &str, needle: &str) {
        let start = Instant::now();
        while !self.text(css).contains(needle) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{css} never showed {needle}: {}",
                self.text(css)
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn screenshot(&self, path: &Path) {
        let b64 = self.cmd("GET", "/screenshot", None).unwrap();
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap())
            .unwrap();
        std::fs::write(path, png).unwrap();
        println!("screenshot: {}", path.display());
    }

    /// A screenshot at a phone's width (375 × 812), then back to the desktop window.
    fn screenshot_phone(&self, path: &Path) {
        let size = |w: u32, h: u32| {
            self.cmd(
                "POST",
                "/window/rect",
                Some(json!({"width": w, "height": h})),
            )
            .unwrap();
        };
        size(375, 812);
        self.screenshot(path);
        size(1280, 1800);
    }

    /// The page's `scrollWidth` and the viewport's width at a phone's width (375 px),
    /// then back to the desktop window.
    fn phone_widths(&self) -> (i64, i64) {
        let size = |w: u32, h: u32| {
            self.cmd(
                "POST",
                "/window/rect",
                Some(json!({"width": w, "height": h})),
            )
            .unwrap();
        };
        size(375, 812);
        let v = self
            .cmd(
                "POST",
                "/execute/sync",
                Some(json!({
                    "script": "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
                    "args": []
                })),
            )
            .unwrap();
        size(1280, 1800);
        (v[0].as_i64().unwrap(), v[1].as_i64().unwrap())
    }

    /// Runs `script` in the page (its `arguments[0]` is the callback) and returns what
    /// it passes back.
    fn run_async(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/async",
            Some(json!({"script": script, "args": []})),
        )
        .unwrap()
    }

    fn login(&self, user: &str) {
        self.go("/login");
        self.type_into("#username", user);
        self.type_into("#password", planwatch_server::demo::PASSWORD);
        self.click("#login-submit");
        self.find("a[href='/account']");
    }

    fn logout(&self) {
        self.cmd("DELETE", "/cookie", None).unwrap();
    }
}

struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

#[test]
fn planner_and_department_in_chromium() {
    let (Some(chromium), Some(driver)) = (
        find_program(&["chromium", "chromium-browser"]),
        find_program(&["chromedriver"]),
    ) else {
        println!("skipped: chromium/chromedriver not found");
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let world = rt.block_on(common::World::default());
    let store = world.store.clone();
    let demo = world.demo.clone();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = app(AppState::new(
        store.clone(),
        Config {
            secure_cookies: false,
            ..Config::default()
        },
    ));
    rt.spawn(async move { axum::serve(listener, router).await.ok() });

    let port = free_port();
    let _driver = Kill(
        Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let start = Instant::now();
    while http(port, "GET", "/status", None)
        .map(|v| v["ready"] != true)
        .unwrap_or(true)
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let profile = tempfile::tempdir().unwrap();
    let caps = json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
        "binary": chromium,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,1800", "--lang=zh-CN",
                 format!("--user-data-dir={}", profile.path().display())]
    }}}});
    let session = http(port, "POST", "/session", Some(&caps)).unwrap();
    let b = Browser {
        port,
        session: session["sessionId"].as_str().unwrap().to_string(),
        base,
    };
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&out).unwrap();

    // The planner logs in and previews the sample plan as a PDF (as offices receive
    // plans): the same preview, with the page count and pages in source positions.
    b.login("planner");
    b.go("/upload/plan");
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../planwatch-parse/tests/fixtures/pdf/qingxi-excerpt-libreoffice.pdf")
        .canonicalize()
        .unwrap();
    b.type_into("#plan-file", pdf.to_str().unwrap());
    b.click("#preview");
    b.wait_text("body", "PDF（共");
    b.screenshot(&out.join("upload-pdf-preview.png"));
    let preview = b.source();
    assert!(preview.contains("青溪县"), "region read from the PDF");
    assert!(preview.contains(" 页 第 "), "source positions name pages");
    b.screenshot_phone(&out.join("upload-pdf-preview-phone.png"));

    // Then it uploads a revised plan as text: preview first, then commit.
    b.go("/upload/plan");
    let upload = out.join("qingxi-plan-revised.txt");
    let mut plan = include_bytes!("../../../samples/qingxi-plan.txt").to_vec();
    plan.extend_from_slice("\n(修订稿)\n".as_bytes());
    std::fs::write(&upload, plan).unwrap();
    b.type_into("#plan-file", upload.to_str().unwrap());
    b.click("#preview");
    b.wait_text("#preview-title", "青溪县");
    b.click("#commit");
    b.find("#category-chart");
    let docs = rt.block_on(store.list_documents()).unwrap();
    let new_id = docs.iter().map(|d| d.id).max().unwrap();
    assert!(new_id > demo.report_id, "the upload made a document");
    b.screenshot(&out.join("dashboard.png"));

    // The status table, filtered to the binding indicators.
    b.go(&format!("/plans/{new_id}"));
    b.click("#status-filters select[name=attribute] option[value='约束性']");
    b.click("#status-filters button");
    b.wait_text("#status-filters", "显示 8 / 26 项");
    let table = b.text("#status-table");
    assert!(
        table.contains("约束性") && !table.contains("预期性"),
        "{table}"
    );

    // 生成报告: the annual report is built, then fetched from its download link.
    b.go(&format!("/plans/{new_id}/reports"));
    b.click("#report-start");
    b.wait_text("#report-status", "已生成");
    let fetched = b.run_async(
        "const done = arguments[0];
         fetch(document.querySelector('#report-download').href)
           .then(r => r.arrayBuffer().then(a => done([r.status, new Uint8Array(a).slice(0, 2).join(','), a.byteLength])));",
    );
    assert_eq!(fetched[0], 200);
    assert_eq!(fetched[1], "80,75", "a DOCX (zip) package");
    assert!(fetched[2].as_i64().unwrap() > 10_000);
    b.screenshot(&out.join("report-ready.png"));

    // The indicator page of 地区生产总值, then correct its prose target.
    let gdp = rt
        .block_on(store.indicators_of(new_id))
        .unwrap()
        .into_iter()
        .find(|i| i.name.starts_with("地区生产总值"))
        .unwrap();
    b.go(&format!("/plans/{new_id}/indicators/{}", gdp.id));
    b.find("#indicator-chart");
    b.find("#source-lines");
    b.screenshot(&out.join("indicator.png"));
    let target = rt
        .block_on(store.targets_of(new_id))
        .unwrap()
        .into_iter()
        .find(|t| t.indicator.starts_with("地区生产总值") && t.value == 410.0)
        .expect("the prose target 地区生产总值达到410亿元");
    b.click(&format!("#target-{} summary", target.id));
    let value = format!("#target-{} input[name=value]", target.id);
    b.clear(&value);
    b.type_into(&value, "412");
    b.type_into(
        &format!("#target-{} input[name=reason]", target.id),
        "浏览器测试更正",
    );
    b.click(&format!("#target-{} form button", target.id));
    b.wait_text(&format!("#target-{} .target-value", target.id), "412");
    let fixed = rt.block_on(store.target(target.id)).unwrap();
    assert_eq!(fixed.value, 412.0);
    assert!(fixed.corrected);

    // Department A reports progress on its task, with evidence.
    b.logout();
    b.login("editor-a");
    // The editor's landing page: what their department is responsible for.
    b.go("/");
    b.wait_text("#mine", "我的任务与指标");
    // The plan was uploaded again above: the task is listed from the new version.
    let task_text = rt.block_on(store.task(demo.task_a)).unwrap().text;
    b.wait_text("#mine", &task_text);
    assert!(
        !b.source_contains(&format!("/plans/{}/tasks/", demo.plan_id)),
        "nothing from the superseded version"
    );
    b.screenshot(&out.join("editor-home.png"));
    b.screenshot_phone(&out.join("editor-home-phone.png"));
    b.go(&format!("/plans/{}/tasks/{}", demo.plan_id, demo.task_a));
    b.type_into("#progress", "已完成项目选址，进入施工招标。");
    b.type_into("#evidence", upload.to_str().unwrap());
    b.click("#submit-report");
    b.wait_text(".submissions", "待审核");
    let task = rt.block_on(store.task(demo.task_a)).unwrap();
    assert_ne!(
        task.progress.as_deref(),
        Some("已完成项目选址，进入施工招标。")
    );

    // A value that is not a number: the message appears next to the field, on the
    // same page, and what was typed is still there.
    b.go(&format!(
        "/plans/{}/indicators/{}",
        demo.plan_id, demo.indicator_a
    ));
    b.type_into("#indicator-report input[name=year]", "2023");
    b.type_into("#indicator-report input[name=value]", "一点七");
    b.type_into("#indicator-report textarea[name=progress]", "县统计局快报");
    b.click("#indicator-report button");
    b.wait_text("#indicator-report .field-error", "数值");
    let kept = b.on_element(
        "#indicator-report input[name=value]",
        "GET",
        "property/value",
        None,
    );
    assert_eq!(kept.as_str(), Some("一点七"), "the typed value is kept");
    let note = b.on_element(
        "#indicator-report textarea[name=progress]",
        "GET",
        "property/value",
        None,
    );
    assert_eq!(note.as_str(), Some("县统计局快报"));
    assert!(
        !b.find("#indicator-report label.invalid input[name=value]")
            .is_empty()
    );
    b.screenshot(&out.join("indicator-error.png"));
    b.screenshot_phone(&out.join("indicator-error-phone.png"));
    // On a phone no page scrolls sideways: indicator, dashboard, tasks, project ledger,
    // search results.
    for (name, page) in [
        (
            "indicator",
            format!("/plans/{}/indicators/{}", demo.plan_id, demo.indicator_a),
        ),
        ("dashboard", format!("/plans/{}", demo.plan_id)),
        ("tasks", format!("/plans/{}/tasks", demo.plan_id)),
        (
            "projects",
            format!("/plans/{}/projects?year=2024", demo.plan_id),
        ),
        (
            "search",
            "/search?q=%E4%B9%A1%E6%9D%91%E6%8C%AF%E5%85%B4".to_string(),
        ),
    ] {
        b.go(&page);
        b.find("main");
        b.screenshot_phone(&out.join(format!("{name}-phone.png")));
        let (width, viewport) = b.phone_widths();
        assert!(
            width <= viewport,
            "{page}: {width} px wide at a {viewport} px viewport"
        );
    }

    // Corrected, the report goes through.
    b.go(&format!(
        "/plans/{}/indicators/{}",
        demo.plan_id, demo.indicator_a
    ));
    b.type_into("#indicator-report input[name=year]", "2023");
    b.type_into("#indicator-report input[name=value]", "1.7");
    b.type_into("#indicator-report textarea[name=progress]", "县统计局快报");
    b.click("#indicator-report button");
    b.wait_text(".submissions", "待审核");

    // Department A reports January 2025 on one of its own projects. The revised plan
    // uploaded above carried the projects' tracking over, so the project is the new
    // version's; the report counts only once the planner approves it.
    let project = rt
        .block_on(store.projects_of(new_id))
        .unwrap()
        .into_iter()
        .find(|p| p.department_id == Some(demo.dept_a))
        .expect("a project of department A in the new version");
    b.go(&format!("/plans/{new_id}/projects/{}", project.id));
    let year = "#project-report input[name=year]";
    b.clear(year);
    b.type_into(year, "2025");
    b.type_into("#project-report input[name=investment]", "1234");
    b.type_into("#project-report textarea[name=progress]", "主体结构封顶");
    b.click("#submit-project-report");
    b.wait_text("#project-reports", "待审核");
    b.screenshot_phone(&out.join("project-report-phone.png"));

    // The planner approves it from the review queue and stays on the queue.
    b.logout();
    b.login("planner");
    b.go(&format!("/plans/{}/review", demo.plan_id));
    let queued = rt
        .block_on(
            store.submissions_for_item(planwatch_store::ItemKind::Indicator, demo.indicator_a),
        )
        .unwrap()
        .remove(0);
    b.wait_text("#queue", "县统计局快报");
    b.screenshot(&out.join("review-queue.png"));
    b.screenshot_phone(&out.join("review-queue-phone.png"));
    b.click(&format!("#approve-{}", queued.id));
    let start = Instant::now();
    while b.source_contains(&format!("submission-{}", queued.id)) {
        assert!(start.elapsed() < Duration::from_secs(20), "the row stays");
        std::thread::sleep(Duration::from_millis(100));
    }
    b.find("#queue");
    let url = b.cmd("GET", "/url", None).unwrap();
    assert!(
        url.as_str().unwrap_or_default().ends_with("/review"),
        "still on the queue: {url}"
    );

    // The project report from the new version's queue; the ledger then shows the
    // month's investment as the year's completed investment.
    let report = rt
        .block_on(store.project_reports(project.id))
        .unwrap()
        .into_iter()
        .find(|r| r.year == 2025)
        .unwrap();
    b.go(&format!("/plans/{new_id}/review"));
    b.wait_text("#queue", "主体结构封顶");
    b.click(&format!("#approve-{}", report.submission.id));
    let start = Instant::now();
    while b.source_contains(&format!("submission-{}", report.submission.id)) {
        assert!(start.elapsed() < Duration::from_secs(20), "the row stays");
        std::thread::sleep(Duration::from_millis(100));
    }
    b.go(&format!(
        "/plans/{new_id}/projects?year=2025&month=1&department={}",
        demo.dept_a
    ));
    b.wait_text("#project-ledger", &project.name);
    let row = b.text(&format!("#project-{}", project.id));
    assert!(row.contains("1234"), "the approved month counts: {row}");
    b.screenshot(&out.join("projects-after-approval.png"));
    // The superseded version's ledger sends readers to the new one.
    b.go(&format!("/plans/{}/projects?year=2024", demo.plan_id));
    b.wait_text("#superseded", "新版本");
    // The planner's project pages fit a phone too.
    for (name, page) in [
        ("project-import", format!("/plans/{new_id}/projects/import")),
        (
            "project-duplicates",
            format!("/plans/{new_id}/projects/duplicates"),
        ),
        (
            "project-page",
            format!("/plans/{new_id}/projects/{}", project.id),
        ),
    ] {
        b.go(&page);
        b.find("main");
        b.screenshot_phone(&out.join(format!("{name}-phone.png")));
        let (width, viewport) = b.phone_widths();
        assert!(
            width <= viewport,
            "{page}: {width} px wide at a {viewport} px viewport"
        );
    }

    // The planner approves it.
    b.logout();
    b.login("planner");
    b.go(&format!("/plans/{}/tasks/{}", demo.plan_id, demo.task_a));
    let sub = rt
        .block_on(store.submissions_for_item(planwatch_store::ItemKind::Task, demo.task_a))
        .unwrap()
        .remove(0);
    b.click(&format!("#approve-{}", sub.id));
    b.wait_text("#task-progress", "已完成项目选址");
    let task = rt.block_on(store.task(demo.task_a)).unwrap();
    assert_eq!(
        task.progress.as_deref(),
        Some("已完成项目选址，进入施工招标。")
    );
    b.screenshot(&out.join("task.png"));

    // The planner uploads the 2025 work report as 实际值来源 and accepts every figure.
    let before = rt.block_on(store.observation_count()).unwrap();
    b.go("/upload/source");
    let report = out.join("qingxi-work-report-2025.txt");
    std::fs::write(
        &report,
        include_bytes!("../../../samples/qingxi-work-report-2025.txt"),
    )
    .unwrap();
    b.type_into("#source-file", report.to_str().unwrap());
    b.click("#source-preview");
    b.wait_text("#source-title", "qingxi-work-report-2025.txt");
    b.find("mark");
    b.screenshot(&out.join("source-preview.png"));
    b.screenshot_phone(&out.join("source-preview-phone.png"));
    b.click("#commit-all");
    let start = Instant::now();
    while rt.block_on(store.observation_count()).unwrap() == before {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "nothing imported"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let after = rt.block_on(store.observation_count()).unwrap();
    assert_eq!(after, before + 30, "the 30 figures of the 2025 report");
    http(port, "DELETE", &format!("/session/{}", b.session), None).ok();
}
