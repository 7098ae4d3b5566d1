//! `planwatch-bench serve`: requests per second and p50/p99 latency of a running
//! `planwatch serve` on loopback, for the plan dashboard and the JSON API.
//!
//! The client is hyper's (keep-alive pool) and bounded: `--concurrency` tasks send
//! requests back to back until `--requests` have been made per page, then it stops. It logs in
//! as a demo user through the login form and makes an API token through the account
//! page, so it measures exactly what a browser and a script get. Only loopback
//! addresses are accepted.
//!
//! With `--upload FILE`, it measures the dashboard twice: alone, then while
//! `--uploaders` clients post FILE to the plan upload (which parses it) back to back:
//! the p99 a viewer sees while others upload large plans.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioExecutor;

use crate::runtime;

/// Arguments of `planwatch-bench serve`.
#[derive(Args)]
pub struct BenchServeArgs {
    /// Address of the server (loopback only).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Plan document id whose dashboard and status are fetched.
    #[arg(long, default_value_t = 1)]
    plan: i64,
    /// Concurrent connections.
    #[arg(long, default_value_t = 50)]
    concurrency: usize,
    /// Requests per page.
    #[arg(long, default_value_t = 5000)]
    requests: usize,
    /// Demo user to log in as.
    #[arg(long, default_value = "planner")]
    user: String,
    /// Its password.
    #[arg(long, default_value = "planwatch-demo")]
    password: String,
    /// A plan file to upload in the background while the dashboard is measured.
    #[arg(long)]
    upload: Option<PathBuf>,
    /// Clients uploading it at once.
    #[arg(long, default_value_t = 2)]
    uploaders: usize,
    /// Demo user who uploads (a planner of the region).
    #[arg(long, default_value = "planner")]
    upload_user: String,
    /// Region code the upload is made for.
    #[arg(long, default_value = "439901")]
    upload_region: String,
    /// Measure these pages (with the session) instead of the dashboard and the API,
    /// e.g. `/plans/1/projects?year=2023&month=12` (repeatable).
    #[arg(long)]
    path: Vec<String>,
}

type Client = hyper_util::client::legacy::Client<
    hyper_util::client::legacy::connect::HttpConnector,
    Full<Bytes>,
>;

/// A keep-alive client holding up to `connections` idle connections to the server.
fn client(connections: usize) -> Client {
    hyper_util::client::legacy::Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(connections)
        .build_http()
}

/// A response: status, headers, body.
struct Reply {
    status: StatusCode,
    headers: hyper::HeaderMap,
    body: Bytes,
}

impl Reply {
    /// The `name=value` pair of a cookie the response sets.
    fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(hyper::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|c| c.split(';').next())
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }
}

/// Send one request and read the whole response.
async fn send(
    client: &Client,
    addr: SocketAddr,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: impl Into<Bytes>,
) -> Result<Reply> {
    let mut req = Request::builder()
        .method(method)
        .uri(format!("http://{addr}{path}"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req.body(Full::new(body.into()))?;
    let resp = client
        .request(req)
        .await
        .with_context(|| format!("无法请求 {addr}{path}"))?;
    let (parts, body) = resp.into_parts();
    let body = body.collect().await?.to_bytes();
    Ok(Reply {
        status: parts.status,
        headers: parts.headers,
        body,
    })
}

fn after<'a>(text: &'a str, marker: &str, len: usize) -> Option<&'a str> {
    let i = text.find(marker)? + marker.len();
    text.get(i..i + len)
}

const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");

/// Log in as `user` through the form, as a browser does; returns the session cookie
/// and its CSRF token.
async fn session(
    c: &Client,
    addr: SocketAddr,
    user: &str,
    password: &str,
) -> Result<(String, String)> {
    let page = send(c, addr, Method::GET, "/login", &[], String::new()).await?;
    let anon = page.cookie("pw_anon").context("登录页没有设置 pw_anon")?;
    let html = page.text();
    let csrf = after(&html, "name=\"csrf\" value=\"", 64).context("登录页没有 CSRF 令牌")?;
    let body =
        serde_urlencoded::to_string([("csrf", csrf), ("username", user), ("password", password)])?;
    let r = send(
        c,
        addr,
        Method::POST,
        "/login",
        &[("Cookie", &anon), FORM],
        body,
    )
    .await?;
    let session = r
        .cookie("pw_session")
        .with_context(|| format!("登录失败(HTTP {})", r.status))?;
    let account = send(
        c,
        addr,
        Method::GET,
        "/account",
        &[("Cookie", &session)],
        String::new(),
    )
    .await?;
    let html = account.text();
    let csrf = after(&html, "name=\"csrf\" value=\"", 64).context("账户页没有 CSRF 令牌")?;
    Ok((session, csrf.to_string()))
}

/// Log in and make an API token; returns the session cookie and the token.
async fn login(args: &BenchServeArgs, c: &Client) -> Result<(String, String)> {
    let (session, csrf) = session(c, args.addr, &args.user, &args.password).await?;
    let body = serde_urlencoded::to_string([("csrf", csrf.as_str()), ("name", "bench-serve")])?;
    let r = send(
        c,
        args.addr,
        Method::POST,
        "/account/tokens",
        &[("Cookie", &session), FORM],
        body,
    )
    .await?;
    let html = r.text();
    let token = after(&html, "id=\"new-token\">", 64).context("未能生成 API 令牌")?;
    Ok((session, token.to_string()))
}

/// What the background uploads did: (latencies in µs, HTTP statuses).
type UploadLog = (Vec<u64>, Vec<u16>);

/// Upload `file` over and over from `args.uploaders` clients until `stop` is set.
async fn upload_loop(
    args: &BenchServeArgs,
    c: &Client,
    file: &PathBuf,
    stop: Arc<AtomicBool>,
) -> Result<Vec<tokio::task::JoinHandle<Result<UploadLog>>>> {
    let bytes = std::fs::read(file).with_context(|| format!("无法读取 {}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "plan.html".into());
    let boundary = "benchServeBoundary7e1";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"region\"\r\n\r\n{}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n",
        args.upload_region
    )
    .into_bytes();
    body.extend_from_slice(&bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let body = Bytes::from(body);
    let mut tasks = Vec::new();
    for _ in 0..args.uploaders {
        let (cookie, csrf) = session(c, args.addr, &args.upload_user, &args.password).await?;
        let (body, stop, addr, c) = (body.clone(), stop.clone(), args.addr, c.clone());
        tasks.push(tokio::spawn(async move {
            let content_type = format!("multipart/form-data; boundary={boundary}");
            let path = format!("/upload/plan?csrf={csrf}");
            let headers = [("Cookie", cookie.as_str()), ("Content-Type", &content_type)];
            let mut log: UploadLog = (Vec::new(), Vec::new());
            while !stop.load(Ordering::Acquire) {
                let t = Instant::now();
                let r = send(&c, addr, Method::POST, &path, &headers, body.clone()).await?;
                log.0.push(t.elapsed().as_micros() as u64);
                log.1.push(r.status.as_u16());
            }
            Ok(log)
        }));
    }
    Ok(tasks)
}

/// The dashboard alone, then while `file` is uploaded in the background.
async fn under_uploads(
    args: &BenchServeArgs,
    c: &Client,
    session: &str,
    file: &PathBuf,
) -> Result<()> {
    let path = format!("/plans/{}", args.plan);
    let header = ("Cookie", session.to_string());
    send(
        c,
        args.addr,
        Method::GET,
        &path,
        &[(header.0, &header.1)],
        String::new(),
    )
    .await?;
    println!("页面 | 请求/秒 | p50 (ms) | p99 (ms) | 最大 (ms)");
    let (elapsed, lat, _) = hammer(args, c, &path, header.clone()).await?;
    print_row("仪表盘(无上传)", &elapsed, &lat);
    let stop = Arc::new(AtomicBool::new(false));
    let uploads = upload_loop(args, c, file, stop.clone()).await?;
    // Let the uploads get going before the clock starts.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (elapsed, lat, _) = hammer(args, c, &path, header).await?;
    stop.store(true, Ordering::Release);
    print_row(
        &format!("仪表盘(同时 {} 个上传)", args.uploaders),
        &elapsed,
        &lat,
    );
    let mut times = Vec::new();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for t in uploads {
        let (lat, st) = t.await??;
        times.extend(lat);
        for s in st {
            *statuses.entry(s).or_default() += 1;
        }
    }
    times.sort_unstable();
    println!(
        "上传 {}:{} 次,p50 {:.0} ms,最大 {:.0} ms,状态 {statuses:?}",
        file.display(),
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 1.0)
    );
    Ok(())
}

fn print_row(label: &str, elapsed: &Duration, lat: &[u64]) {
    println!(
        "{label} | {:.0} | {:.1} | {:.1} | {:.1}",
        lat.len() as f64 / elapsed.as_secs_f64(),
        percentile(lat, 0.50),
        percentile(lat, 0.99),
        percentile(lat, 1.0)
    );
}

/// Run `requests` GETs of `path` over `concurrency` connections; latencies in µs.
async fn hammer(
    args: &BenchServeArgs,
    c: &Client,
    path: &str,
    header: (&'static str, String),
) -> Result<(Duration, Vec<u64>, u64)> {
    let left = Arc::new(AtomicUsize::new(args.requests));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.concurrency {
        let left = left.clone();
        let path = path.to_string();
        let header = header.clone();
        let addr = args.addr;
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut bytes = 0u64;
            while left
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
                .is_ok()
            {
                let t = Instant::now();
                let r = send(
                    &c,
                    addr,
                    Method::GET,
                    &path,
                    &[(header.0, &header.1)],
                    String::new(),
                )
                .await?;
                lat.push(t.elapsed().as_micros() as u64);
                if r.status != StatusCode::OK {
                    bail!("{path}: HTTP {}", r.status);
                }
                bytes += r.body.len() as u64;
            }
            anyhow::Ok((lat, bytes))
        }));
    }
    let mut all = Vec::new();
    let mut bytes = 0;
    for t in tasks {
        let (lat, b) = t.await??;
        all.extend(lat);
        bytes += b;
    }
    let elapsed = start.elapsed();
    all.sort_unstable();
    Ok((elapsed, all, bytes))
}

pub(crate) fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

/// Run `planwatch-bench serve`.
pub fn run(args: BenchServeArgs) -> Result<()> {
    if !args.addr.ip().is_loopback() {
        bail!(
            "只能对本机回环地址施压(127.0.0.0/8 或 ::1),收到 {}",
            args.addr
        );
    }
    if args.concurrency == 0 || args.requests == 0 {
        bail!("--concurrency 和 --requests 须大于 0");
    }
    runtime()?.block_on(async {
        let c = client(args.concurrency + args.uploaders);
        let (session, token) = login(&args, &c).await?;
        if let Some(file) = &args.upload {
            println!(
                "{} 个并发连接,每个页面 {} 次请求,服务器 {},用户 {}",
                args.concurrency, args.requests, args.addr, args.user
            );
            return under_uploads(&args, &c, &session, file).await;
        }
        let pages = if args.path.is_empty() {
            vec![
                (
                    "仪表盘",
                    format!("/plans/{}", args.plan),
                    ("Cookie", session.clone()),
                ),
                (
                    "API status",
                    format!("/api/v1/plans/{}/status", args.plan),
                    ("Authorization", format!("Bearer {token}")),
                ),
            ]
        } else {
            args.path
                .iter()
                .map(|p| ("页面", p.clone(), ("Cookie", session.clone())))
                .collect()
        };
        println!(
            "{} 个并发连接,每个页面 {} 次请求,服务器 {}",
            args.concurrency, args.requests, args.addr
        );
        println!("页面 | 请求/秒 | p50 (ms) | p99 (ms) | 最大 (ms) | 平均响应 (KB)");
        for (label, path, header) in pages {
            // Warm the server's plan cache and the connections' paths first.
            send(
                &c,
                args.addr,
                Method::GET,
                &path,
                &[(header.0, &header.1)],
                String::new(),
            )
            .await?;
            let (elapsed, lat, bytes) = hammer(&args, &c, &path, header).await?;
            println!(
                "{label} {path} | {:.0} | {:.1} | {:.1} | {:.1} | {:.1}",
                lat.len() as f64 / elapsed.as_secs_f64(),
                percentile(&lat, 0.50),
                percentile(&lat, 0.99),
                percentile(&lat, 1.0),
                bytes as f64 / lat.len().max(1) as f64 / 1024.0
            );
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles() {
        let v: Vec<u64> = (1..=100).map(|i| i * 1000).collect();
        // index round(99 × 0.5) = 50 → 51 ms; round(99 × 0.99) = 98 → 99 ms.
        assert_eq!(percentile(&v, 0.5), 51.0);
        assert_eq!(percentile(&v, 0.99), 99.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
        assert_eq!(
            after("x name=\"csrf\" value=\"abcd", "value=\"", 3),
            Some("abc")
        );
    }
}
