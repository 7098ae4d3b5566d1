//! `planwatch admin`: accounts from the command line. `create` makes the first
//! administrator of a fresh database; the others take access away when the web
//! application cannot be reached or should not be trusted: deactivate or reactivate an
//! account, set a password, end every session and token of a user, list and remove
//! grants. Each change is audited under the command line's actor.

use std::io::BufRead;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand};
use planwatch_store::{Store, TokenScope, User};

use planwatch_server::routes::admin::role_label;

use super::db::{DbArgs, actor, open, runtime};

/// Arguments of `planwatch admin`.
#[derive(Args)]
pub struct AdminArgs {
    #[command(subcommand)]
    what: AdminWhat,
}

/// What to do.
#[derive(Subcommand)]
pub enum AdminWhat {
    /// Create an administrator. The password is read from `PLANWATCH_PASSWORD` or, if that
    /// is unset, from the first line of standard input.
    Create {
        /// Login name.
        username: String,
        /// Name shown in the application and the audit log.
        #[arg(long, default_value = "系统管理员")]
        display_name: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Deactivate an account: its sessions end and its API tokens are revoked at once.
    Deactivate {
        /// Login name.
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Reactivate a deactivated account (it logs in anew; old sessions and tokens stay dead).
    Activate {
        /// Login name.
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Set a user's password (from `PLANWATCH_PASSWORD` or standard input); the user's
    /// sessions end.
    Password {
        /// Login name.
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// End every session of a user and revoke every API token (the account stays active).
    Revoke {
        /// Login name.
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Create an API token for a user (a statistics bureau's system, a script); the
    /// token is printed once on standard output, only its hash is stored.
    Token {
        /// Login name.
        username: String,
        /// What the token is for (shown on the account page and in the audit log).
        #[arg(long)]
        name: String,
        /// What it may do besides reading: import (observations), report (progress);
        /// repeatable or comma-separated.
        #[arg(long = "scope", value_delimiter = ',')]
        scopes: Vec<String>,
        /// Last day it works (YYYY-MM-DD, through the end of that day, Beijing time).
        #[arg(long)]
        expires: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List a user's grants with their numbers.
    Grants {
        /// Login name.
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Remove a grant by its number (see `admin grants`).
    Ungrant {
        /// Grant number.
        grant: i64,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// Run `planwatch admin`.
pub fn run(args: AdminArgs) -> Result<()> {
    match args.what {
        AdminWhat::Create {
            username,
            display_name,
            db,
        } => {
            let hash = new_password_hash(&username)?;
            runtime()?.block_on(async {
                let store = open(&db).await?;
                let user = store
                    .create_user(&username, &display_name, Some(&hash), "admin", &actor())
                    .await
                    .with_context(|| format!("无法创建用户“{username}”"))?;
                println!("已创建管理员“{}”（用户 #{}）", user.username, user.id);
                Ok(())
            })
        }
        AdminWhat::Deactivate { username, db } => {
            with_user(&db, &username, |store, u| async move {
                store
                    .set_user_active(u.id, u.version, false, &actor())
                    .await?;
                println!(
                    "已停用“{}”：其登录已全部退出，API 令牌已全部吊销",
                    u.username
                );
                Ok(())
            })
        }
        AdminWhat::Activate { username, db } => with_user(&db, &username, |store, u| async move {
            store
                .set_user_active(u.id, u.version, true, &actor())
                .await?;
            println!("已启用“{}”", u.username);
            Ok(())
        }),
        AdminWhat::Password { username, db } => {
            let hash = new_password_hash(&username)?;
            with_user(&db, &username, |store, u| async move {
                let ended = store
                    .set_password_hash(u.id, u.version, &hash, None, &actor())
                    .await?;
                println!("已设置“{}”的密码，{ended} 个登录已退出", u.username);
                Ok(())
            })
        }
        AdminWhat::Revoke { username, db } => with_user(&db, &username, |store, u| async move {
            let (sessions, tokens) = store.revoke_user_access(u.id, &actor()).await?;
            println!(
                "“{}”：{sessions} 个登录已退出，{tokens} 个 API 令牌已吊销",
                u.username
            );
            Ok(())
        }),
        AdminWhat::Token {
            username,
            name,
            scopes,
            expires,
            db,
        } => {
            let scopes = scopes
                .iter()
                .map(|s| {
                    TokenScope::parse(s)
                        .ok_or_else(|| anyhow!("权限“{s}”无法识别（可用：read、report、import）"))
                })
                .collect::<Result<Vec<_>>>()?;
            let expires_at = expires.as_deref().map(end_of_day_in_china).transpose()?;
            with_user(&db, &username, |store, u| async move {
                if !u.active {
                    bail!("用户“{}”已停用，不能生成令牌", u.username);
                }
                let token = planwatch_server::auth::random_token();
                let hash = planwatch_server::auth::sha256_hex(token.as_bytes());
                let t = store
                    .create_scoped_api_token(
                        u.id,
                        &hash,
                        &name,
                        &scopes,
                        expires_at.as_deref(),
                        &actor(),
                    )
                    .await
                    .with_context(|| format!("无法为“{}”生成令牌", u.username))?;
                let labels: Vec<&str> = t.scopes.iter().map(|s| s.label()).collect();
                eprintln!(
                    "已为“{}”生成 API 令牌“{}”（权限：{}；只显示这一次）：",
                    u.username,
                    t.name,
                    labels.join("、")
                );
                println!("{token}");
                Ok(())
            })
        }
        AdminWhat::Grants { username, db } => with_user(&db, &username, |store, u| async move {
            let regions = store.list_regions().await?;
            let departments = store.list_departments(None).await?;
            let grants = store.grants_of(u.id).await?;
            if grants.is_empty() {
                println!("“{}”没有授权", u.username);
            }
            for g in grants {
                let scope = match (g.region_id, g.department_id) {
                    (_, Some(d)) => departments
                        .iter()
                        .find(|x| x.id == d)
                        .map(|x| format!("部门 {}", x.name)),
                    (Some(r), None) => regions
                        .iter()
                        .find(|x| x.id == r)
                        .map(|x| format!("地区 {}（{}）", x.name, x.code)),
                    _ => None,
                };
                println!(
                    "#{} {} {}",
                    g.id,
                    role_label(&g.role),
                    scope.unwrap_or_else(|| "—".into())
                );
            }
            Ok(())
        }),
        AdminWhat::Ungrant { grant, db } => runtime()?.block_on(async {
            let store = open(&db).await?;
            let g = store
                .remove_grant(grant, &actor())
                .await
                .with_context(|| format!("无法撤销授权 #{grant}"))?;
            let user = store.user(g.user_id).await?;
            println!(
                "已撤销“{}”的授权 #{grant}（{}）",
                user.username,
                role_label(&g.role)
            );
            Ok(())
        }),
    }
}

/// Open the database, find `username` and run `f` on the user.
fn with_user<F, Fut>(db: &DbArgs, username: &str, f: F) -> Result<()>
where
    F: FnOnce(Store, User) -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    runtime()?.block_on(async {
        let store = open(db).await?;
        let user = store
            .user_by_username(username)
            .await?
            .ok_or_else(|| anyhow!("用户“{username}”不存在"))?;
        f(store, user).await
    })
}

/// The end of `date` (YYYY-MM-DD) in Beijing time, as a stored UTC time.
fn end_of_day_in_china(date: &str) -> Result<String> {
    let bad = || anyhow!("有效期“{date}”不是日期（应写作 2027-12-31）");
    let day: jiff::civil::Date = date.trim().parse().map_err(|_| bad())?;
    planwatch_core::wording::LocalTime::beijing()
        .end_of_day_utc(day)
        .ok_or_else(bad)
}

/// Read a new password, check it against the policy and hash it.
fn new_password_hash(username: &str) -> Result<String> {
    let password = read_password()?;
    if let Err(e) = planwatch_server::auth::check_password(username, &password) {
        bail!("{}", e.status_and_message().1);
    }
    planwatch_server::auth::hash_password(&password).map_err(|e| anyhow!("无法计算密码散列：{e:?}"))
}

fn read_password() -> Result<String> {
    if let Ok(p) = std::env::var("PLANWATCH_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("无法从标准输入读取密码")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
