//! The demo's key-project tracking: a year (2024) of approved monthly reports on six of
//! the plan's projects, so the ledger, the 调度表 and the annual report have something
//! to show: two on schedule, one 滞后, one 严重滞后, one not started past its planned
//! start, one finished early. The figures (万元) are chosen so the classes follow from
//! `docs/projects.md` by hand:
//!
//! | project | plan | reported                        | December            |
//! |---------|------|---------------------------------|---------------------|
//! | 1st     | 12000| 12 × 1000                       | 100% → 正常         |
//! | 2nd     | 12000| 12 × 850 = 10200                | 85%, 15 points → 滞后 |
//! | 3rd     | 6000 | 12 × 300 = 3600                 | 60%, 40 points → 严重滞后 |
//! | 4th     | 5000 | 12 × 0, no start (planned May)  | 未开工, 逾期未开工   |
//! | 5th     | 8000 | 9 × 900, finished 2024-09-20    | 已竣工 (planned Dec) |
//! | 6th     | 9000 | 12 × 800 = 9600                 | 106.7% → 正常       |

use jiff::civil::{Date, date};
use planwatch_store::{NewProjectReport, NewProjectYear, ProjectDetails, Store};

use crate::error::AppError;

/// The year the demo reports on.
pub const YEAR: i64 = 2024;

/// One demo project: plan, monthly amount, months reported, planned start, finish.
struct Script {
    planned: f64,
    monthly: f64,
    months: i64,
    planned_start: Date,
    started: Option<Date>,
    finished: Option<Date>,
}

fn scripts() -> [Script; 6] {
    let building = |planned: f64, monthly: f64| Script {
        planned,
        monthly,
        months: 12,
        planned_start: date(2024, 1, 1),
        started: Some(date(2024, 1, 8)),
        finished: None,
    };
    [
        building(12000.0, 1000.0),
        building(12000.0, 850.0),
        building(6000.0, 300.0),
        Script {
            planned: 5000.0,
            monthly: 0.0,
            months: 12,
            planned_start: date(2024, 5, 1),
            started: None,
            finished: None,
        },
        Script {
            months: 9,
            finished: Some(date(2024, 9, 20)),
            ..building(8000.0, 900.0)
        },
        building(9000.0, 800.0),
    ]
}

/// Give the first six live projects of `plan_id` a unit, a 2024 plan and a year of
/// approved reports; departments alternate between `deps`.
pub async fn seed(
    store: &Store,
    plan_id: i64,
    deps: [i64; 2],
    actor: &str,
) -> Result<(), AppError> {
    let projects = store.projects_of(plan_id).await?;
    let live = projects.iter().filter(|p| !p.rejected);
    for (i, (p, s)) in live.zip(scripts()).enumerate() {
        let dep = deps[i % 2];
        let details = ProjectDetails {
            name: p.name.clone(),
            field: p.field,
            department_id: Some(dep),
            location: p.location.clone(),
            ..ProjectDetails::default()
        };
        store
            .update_project(p.id, p.version, &details, actor)
            .await?;
        let plan = NewProjectYear {
            planned_investment: Some(s.planned),
            planned_start: Some(s.planned_start),
            planned_finish: Some(date(2024, 12, 31)),
            milestones: Some("完成年度投资计划".into()),
        };
        store
            .set_project_year(p.id, YEAR, &plan, None, actor)
            .await?;
        let mut cumulative = 0.0;
        for month in 1..=s.months {
            cumulative += s.monthly;
            let report = NewProjectReport {
                project_id: p.id,
                department_id: Some(dep),
                year: YEAR,
                month,
                investment: s.monthly,
                cumulative: Some(cumulative),
                progress: if s.started.is_some() {
                    format!("{month}月按计划推进施工")
                } else {
                    "前期手续办理中，尚未开工".to_string()
                },
                started_on: s.started.filter(|_| month == 1),
                finished_on: s.finished.filter(|_| month == s.months),
                problems: s.started.is_none().then(|| "用地报批未完成".to_string()),
                help_needed: s
                    .started
                    .is_none()
                    .then(|| "请协调自然资源部门加快用地报批".to_string()),
            };
            let sub = store
                .submit_project_report(&report, &[], actor)
                .await?
                .submission;
            store
                .approve_submission(sub.id, sub.version, None, actor)
                .await?;
        }
    }
    Ok(())
}
