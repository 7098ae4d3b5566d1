//! `planwatch bench-serve`: requests per second and p50/p99 latency of a running
//! `planwatch serve` on loopback, for the plan dashboard and the JSON API.
//!
//! The client is bounded: `--concurrency` keep-alive connections each send requests
//! back to back until `--requests` have been made per page, then it stops. It logs in
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
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::db::runtime;

/// Arguments of `planwatch bench-serve`.
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
}

/// A response: status, headers (lower-case names), body.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> impl Iterator<Item = &str> {
        self.headers
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One keep-alive HTTP/1.1 connection. The server answers with Content-Length
/// (axum does for whole bodies), which is all this client reads.
struct Conn {
    stream: TcpStream,
    addr: SocketAddr,
    buf: Vec<u8>,
}

impl Conn {
    async fn open(addr: SocketAddr) -> Result<Conn> {
        let stream = TcpStream::connect(addr)
            .await
            .with_context(|| format!("无法连接 {addr}"))?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            addr,
            buf: Vec::new(),
        })
    }

    async fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Result<Reply> {
        self.send_bytes(method, path, headers, body.as_bytes())
            .await
    }

    async fn send_bytes(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Reply> {
        let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.addr);
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        self.stream.write_all(req.as_bytes()).await?;
        self.stream.write_all(body).await?;
        let mut chunk = [0u8; 16384];
        let head_end = loop {
            if let Some(i) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
            let n = self.stream.read(&mut chunk).await?;
            if n == 0 {
                bail!("服务器关闭了连接");
            }
            self.buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&self.buf[..head_end]).to_string();
        let mut lines = head.lines();
        let status: u16 = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .context("无效的响应行")?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let len: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .context("响应没有 Content-Length")?;
        let total = head_end + 4 + len;
        while self.buf.len() < total {
            let n = self.stream.read(&mut chunk).await?;
            if n == 0 {
                bail!("响应体不完整");
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
        let body = self.buf[head_end + 4..total].to_vec();
        self.buf.drain(..total);
        Ok(Reply {
            status,
            headers,
            body,
        })
    }
}

fn cookie_of(r: &Reply, name: &str) -> Option<String> {
    r.header("set-cookie")
        .filter_map(|c| c.split(';').next())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

fn after<'a>(text: &'a str, marker: &str, len: usize) -> Option<&'a str> {
    let i = text.find(marker)? + marker.len();
    text.get(i..i + len)
}

fn form_escape(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Log in through the form; returns the session cookie and an API token.
async fn login(args: &BenchServeArgs) -> Result<(String, String)> {
    let (session, csrf) = session(args.addr, &args.user, &args.password).await?;
    let mut c = Conn::open(args.addr).await?;
    let form = [
        ("Cookie", session.as_str()),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let r = c
        .send(
            "POST",
            "/account/tokens",
            &form,
            &format!("csrf={csrf}&name=bench-serve"),
        )
        .await?;
    let html = String::from_utf8_lossy(&r.body).to_string();
    let token = after(&html, "id=\"new-token\">", 64).context("未能生成 API 令牌")?;
    Ok((session, token.to_string()))
}

/// Log in as `user` through the form; returns the session cookie and its CSRF token.
async fn session(addr: SocketAddr, user: &str, password: &str) -> Result<(String, String)> {
    let mut c = Conn::open(addr).await?;
    let page = c.send("GET", "/login", &[], "").await?;
    let anon = cookie_of(&page, "pw_anon").context("登录页没有设置 pw_anon")?;
    let html = String::from_utf8_lossy(&page.body);
    let csrf = after(&html, "name=\"csrf\" value=\"", 64).context("登录页没有 CSRF 令牌")?;
    let body = format!(
        "csrf={csrf}&username={}&password={}",
        form_escape(user),
        form_escape(password)
    );
    let form = [
        ("Cookie", anon.as_str()),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let r = c.send("POST", "/login", &form, &body).await?;
    let session =
        cookie_of(&r, "pw_session").with_context(|| format!("登录失败(HTTP {})", r.status))?;
    let account = c
        .send("GET", "/account", &[("Cookie", &session)], "")
        .await?;
    let html = String::from_utf8_lossy(&account.body).to_string();
    let csrf = after(&html, "name=\"csrf\" value=\"", 64).context("账户页没有 CSRF 令牌")?;
    Ok((session, csrf.to_string()))
}

/// What the background uploads did: (latencies in µs, HTTP statuses).
type UploadLog = (Vec<u64>, Vec<u16>);

/// Upload `file` over and over from `args.uploaders` clients until `stop` is set.
async fn upload_loop(
    args: &BenchServeArgs,
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
    let body = Arc::new(body);
    let mut tasks = Vec::new();
    for _ in 0..args.uploaders {
        let (cookie, csrf) = session(args.addr, &args.upload_user, &args.password).await?;
        let (body, stop, addr) = (body.clone(), stop.clone(), args.addr);
        tasks.push(tokio::spawn(async move {
            let mut c = Conn::open(addr).await?;
            let content_type = format!("multipart/form-data; boundary={boundary}");
            let path = format!("/upload/plan?csrf={csrf}");
            let headers = [("Cookie", cookie.as_str()), ("Content-Type", &content_type)];
            let mut log: UploadLog = (Vec::new(), Vec::new());
            while !stop.load(Ordering::Acquire) {
                let t = Instant::now();
                let r = c.send_bytes("POST", &path, &headers, &body).await?;
                log.0.push(t.elapsed().as_micros() as u64);
                log.1.push(r.status);
            }
            Ok(log)
        }));
    }
    Ok(tasks)
}

/// The dashboard alone, then while `file` is uploaded in the background.
async fn under_uploads(args: &BenchServeArgs, session: &str, file: &PathBuf) -> Result<()> {
    let path = format!("/plans/{}", args.plan);
    let header = ("Cookie", session.to_string());
    let mut c = Conn::open(args.addr).await?;
    c.send("GET", &path, &[(header.0, &header.1)], "").await?;
    println!("页面 | 请求/秒 | p50 (ms) | p99 (ms) | 最大 (ms)");
    let (elapsed, lat, _) = hammer(args, &path, header.clone()).await?;
    print_row("仪表盘(无上传)", &elapsed, &lat);
    let stop = Arc::new(AtomicBool::new(false));
    let uploads = upload_loop(args, file, stop.clone()).await?;
    // Let the uploads get going before the clock starts.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (elapsed, lat, _) = hammer(args, &path, header).await?;
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
        tasks.push(tokio::spawn(async move {
            let mut c = Conn::open(addr).await?;
            let mut lat = Vec::new();
            let mut bytes = 0u64;
            while left
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
                .is_ok()
            {
                let t = Instant::now();
                let r = c.send("GET", &path, &[(header.0, &header.1)], "").await?;
                lat.push(t.elapsed().as_micros() as u64);
                if r.status != 200 {
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

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

/// Run `planwatch bench-serve`.
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
        let (session, token) = login(&args).await?;
        println!(
            "{} 个并发连接,每个页面 {} 次请求,服务器 {},用户 {}",
            args.concurrency, args.requests, args.addr, args.user
        );
        if let Some(file) = &args.upload {
            return under_uploads(&args, &session, file).await;
        }
        let pages = [
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
        ];
        println!("页面 | 请求/秒 | p50 (ms) | p99 (ms) | 最大 (ms) | 平均响应 (KB)");
        for (label, path, header) in pages {
            // Warm the server's plan cache and the connections' paths first.
            let mut c = Conn::open(args.addr).await?;
            c.send("GET", &path, &[(header.0, &header.1)], "").await?;
            let (elapsed, lat, bytes) = hammer(&args, &path, header).await?;
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
        assert_eq!(form_escape("a b&c"), "a%20b%26c");
    }
}
