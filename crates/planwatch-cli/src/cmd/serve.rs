//! `planwatch serve`: the web application on an address; `--demo` first fills a fresh
//! SQLite database with the bundled sample plan, work report, actuals, departments,
//! tasks and one user per role, and prints the logins.

use std::net::{IpAddr, SocketAddr};

use anyhow::{Context, Result};
use clap::Args;
use planwatch_core::wording::LocalTime;
use planwatch_server::{AppState, Config, app, demo};
use planwatch_store::{DEFAULT_DB_URL, Store};

use super::db::runtime;

/// Arguments of `planwatch serve`.
#[derive(Args)]
pub struct ServeArgs {
    /// Database URL (sqlite://FILE or postgres://…); with --demo, a fresh file in the temp dir.
    #[arg(long, env = "PLANWATCH_DB")]
    db: Option<String>,
    /// Address to listen on. Cookies are marked Secure unless it is a loopback address.
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// Start on demo data (sample plan, work report, actuals, departments, demo users).
    #[arg(long)]
    demo: bool,
    /// Address of a reverse proxy whose X-Forwarded-For header is believed (repeatable).
    /// Logins through it are then counted against the client's address, not the proxy's.
    #[arg(long = "trusted-proxy", value_name = "IP")]
    trusted_proxies: Vec<IpAddr>,
    /// Time zone pages show times in: a UTC offset such as +08:00 (default, 北京时间) or
    /// -05:00; Asia/Shanghai is accepted as +08:00.
    #[arg(long = "time-zone", value_name = "OFFSET", default_value = "+08:00", value_parser = time_zone)]
    time_zone: LocalTime,
    /// Requests a minute one API token may make before it is answered 429 with
    /// Retry-After.
    #[arg(long = "api-rate", value_name = "N", default_value_t = 600, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    api_rate: u32,
}

fn time_zone(s: &str) -> Result<LocalTime, String> {
    if s.trim() == "Asia/Shanghai" {
        return Ok(LocalTime::beijing());
    }
    LocalTime::offset(s).ok_or_else(|| format!("时区“{s}”无效：应为 +08:00 这样的 UTC 偏移"))
}

/// Run `planwatch serve`.
pub fn run(args: ServeArgs) -> Result<()> {
    runtime()?.block_on(serve(args))
}

/// Logs to stderr: one line per request with its id, and internal errors; the level
/// comes from `PLANWATCH_LOG` (error, warn, info, debug; default info).
fn init_logs() {
    let level = match std::env::var("PLANWATCH_LOG").as_deref() {
        Ok("error") => tracing::Level::ERROR,
        Ok("warn") => tracing::Level::WARN,
        Ok("debug") => tracing::Level::DEBUG,
        Ok("trace") => tracing::Level::TRACE,
        _ => tracing::Level::INFO,
    };
    // A second call (tests) keeps the first subscriber.
    // Colours only on a terminal: a log file gets plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_ansi(ansi)
        .with_writer(std::io::stderr)
        .try_init();
}

async fn serve(args: ServeArgs) -> Result<()> {
    init_logs();
    // The demo's database lives in a directory of its own, removed when the server stops
    // (or fails to start): `_demo_dir` is dropped last.
    let mut _demo_dir = None;
    let url = match (&args.db, args.demo) {
        (Some(db), _) => db.clone(),
        (None, true) => {
            let dir = std::env::temp_dir().join(format!("planwatch-demo-{}", std::process::id()));
            std::fs::create_dir_all(&dir).with_context(|| format!("无法创建 {}", dir.display()))?;
            let url = format!("sqlite://{}", dir.join("demo.db").display());
            _demo_dir = Some(RemoveOnDrop(dir));
            url
        }
        (None, false) => DEFAULT_DB_URL.to_string(),
    };
    let store = Store::open(&url).await?;
    if args.demo {
        if store.list_documents().await?.is_empty() {
            demo::seed(&store)
                .await
                .map_err(|e| anyhow::anyhow!("无法生成演示数据：{e:?}"))?;
        } else {
            println!("数据库已有数据，未重复生成演示数据");
        }
    }
    // Beyond loopback the server is expected behind HTTPS: Secure cookies and HSTS.
    let public = !args.bind.ip().is_loopback();
    let config = Config {
        secure_cookies: public,
        hsts: public,
        trusted_proxies: args.trusted_proxies.clone(),
        time_zone: args.time_zone.clone(),
        api_requests_per_minute: args.api_rate,
        demo_logins: args.demo,
        ..Config::default()
    };
    // Ctrl-C is caught from here on, before the server says it has started, so a stop
    // right after the start still ends cleanly (and removes the demo's directory).
    let stop = interrupted()?;
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| {
            format!(
                "无法监听 {}：端口可能已被占用，可用 --bind 127.0.0.1:8090 换一个端口",
                args.bind
            )
        })?;
    let addr = listener.local_addr()?;
    println!("planwatch 已启动：http://{addr}/");
    println!("数据库：{url}");
    if args.demo {
        println!("演示账号（密码均为 {}）：", demo::PASSWORD);
        for (user, _, what) in demo::USERS {
            println!("  {user:<14} {what}");
        }
    }
    println!("按 Ctrl-C 停止。");
    let router = app(AppState::new(store, config));
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(stop)
    .await
    .context("服务器异常退出")?;
    Ok(())
}

/// A directory removed with everything in it when dropped.
struct RemoveOnDrop(std::path::PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A future that completes on Ctrl-C (SIGINT); on Unix the handler is in place when
/// this returns, not only once the future is first polled.
#[cfg(unix)]
fn interrupted() -> Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut s = signal(SignalKind::interrupt()).context("无法接管 Ctrl-C")?;
    Ok(async move {
        s.recv().await;
    })
}

#[cfg(not(unix))]
fn interrupted() -> Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        tokio::signal::ctrl_c().await.ok();
    })
}
