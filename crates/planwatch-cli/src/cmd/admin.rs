//! `planwatch admin create USERNAME`: the first administrator of a fresh database, who
//! then manages users, departments and regions in the web application.

use std::io::BufRead;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand};

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
}

/// Shortest password accepted.
const MIN_PASSWORD_CHARS: usize = 10;

/// Run `planwatch admin`.
pub fn run(args: AdminArgs) -> Result<()> {
    match args.what {
        AdminWhat::Create {
            username,
            display_name,
            db,
        } => {
            let password = read_password()?;
            if password.chars().count() < MIN_PASSWORD_CHARS {
                bail!("密码至少需要{MIN_PASSWORD_CHARS}个字符");
            }
            let hash = planwatch_server::auth::hash_password(&password)
                .map_err(|e| anyhow!("无法计算密码散列:{e:?}"))?;
            runtime()?.block_on(async {
                let store = open(&db).await?;
                let user = store
                    .create_user(&username, &display_name, Some(&hash), "admin", &actor())
                    .await
                    .with_context(|| format!("无法创建用户“{username}”"))?;
                println!("已创建管理员“{}”(用户 #{})", user.username, user.id);
                Ok(())
            })
        }
    }
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
