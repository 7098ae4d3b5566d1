//! `planwatch-bench projects`: fill a stored plan with synthetic key projects, each
//! with a year plan and a year of approved monthly reports, and report how long that
//! took; then `planwatch-bench serve --path /plans/ID/projects?year=…` measures the
//! ledger page on it. The projects cycle through the fields and the plan's departments;
//! their monthly amounts spread them over the classes.

use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use planwatch_core::projects::ProjectField;
use planwatch_store::{NewProjectReport, NewProjectYear, ProjectDetails, Store};

use crate::runtime;

/// Arguments of `planwatch-bench projects`.
#[derive(Args)]
pub struct BenchProjectsArgs {
    /// Database URL of the plan (e.g. the one `planwatch serve --demo --db …` made).
    #[arg(long)]
    db: String,
    /// Plan document id.
    #[arg(long, default_value_t = 1)]
    plan: i64,
    /// Projects to add.
    #[arg(long, default_value_t = 5000)]
    projects: usize,
    /// Monthly reports per project (from January).
    #[arg(long, default_value_t = 12)]
    months: i64,
    /// Year of the plans and reports.
    #[arg(long, default_value_t = 2023)]
    year: i64,
}

/// Add the projects, plans and approved reports.
async fn fill(s: &Store, args: &BenchProjectsArgs) -> Result<()> {
    let doc = s.document_summary(args.plan).await?;
    let deps = s.list_departments(doc.region_id).await?;
    if deps.is_empty() {
        bail!("规划 #{} 所在地区没有部门，请先创建部门", args.plan);
    }
    let fields = ProjectField::all();
    let start = Instant::now();
    for i in 0..args.projects {
        let dep = deps[i % deps.len()].id;
        let details = ProjectDetails {
            name: format!("压测项目{i:05}"),
            field: Some(fields[i % fields.len()]),
            department_id: Some(dep),
            period_start: Some(args.year as i32),
            period_end: Some(args.year as i32 + 2),
            total_investment: Some(30000.0),
            ..ProjectDetails::default()
        };
        let p = s.add_project(args.plan, &details, "bench").await?;
        let plan = NewProjectYear {
            planned_investment: Some(12000.0),
            ..NewProjectYear::default()
        };
        s.set_project_year(p.id, args.year, &plan, None, "bench")
            .await?;
        // 1000, 900, …, 600 a month: 正常, 正常, 滞后, 滞后/严重滞后, 严重滞后.
        let monthly = 1000.0 - 100.0 * (i % 5) as f64;
        for month in 1..=args.months {
            let r = NewProjectReport {
                project_id: p.id,
                department_id: Some(dep),
                year: args.year,
                month,
                investment: monthly,
                cumulative: Some(monthly * month as f64),
                progress: "按计划施工".into(),
                started_on: (month == 1).then(|| jiff::civil::date(args.year as i16, 1, 5)),
                finished_on: None,
                problems: None,
                help_needed: None,
            };
            let sub = s.submit_project_report(&r, &[], "bench").await?.submission;
            s.approve_submission(sub.id, sub.version, None, "bench")
                .await?;
        }
        if (i + 1) % 500 == 0 {
            println!(
                "已添加 {} 个项目，用时 {:.0} 秒",
                i + 1,
                start.elapsed().as_secs_f64()
            );
        }
    }
    println!(
        "共添加 {} 个项目、{} 份已审核月报，用时 {:.1} 秒",
        args.projects,
        args.projects as i64 * args.months,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Run `planwatch-bench projects`.
pub fn run(args: BenchProjectsArgs) -> Result<()> {
    runtime()?.block_on(async {
        let s = Store::open(&args.db)
            .await
            .with_context(|| format!("无法打开数据库 {}", args.db))?;
        fill(&s, &args).await?;
        let t = Instant::now();
        let ledger = s.project_ledger(args.plan, args.year, 12).await?;
        println!(
            "台账（{} 行）在存储层组装用时 {:.1} 毫秒",
            ledger.len(),
            t.elapsed().as_secs_f64() * 1000.0
        );
        Ok(())
    })
}
