//! Demo data for `planwatch serve --demo`: the bundled fictional 青溪县 plan, its 2023
//! work report and actuals, departments with tasks and indicators assigned, and one
//! user per role. Used by the CLI, the router tests and the browser test.

use planwatch_store::{NewRegion, Store, TaskStatus};

use crate::auth::hash_password;
use crate::error::AppError;

const PLAN: &[u8] = include_bytes!("../../../samples/qingxi-plan.txt");
const REPORT: &[u8] = include_bytes!("../../../samples/qingxi-work-report-2023.txt");
const ACTUALS: &[u8] = include_bytes!("../../../samples/qingxi-actuals.csv");
const CITY_PLAN: &[u8] = include_bytes!("../../../samples/yunling-plan.txt");

/// Region code of the sample county.
pub const REGION: &str = "439901";
/// Region code of the city the county belongs to (云岭市, with its own plan).
pub const CITY_REGION: &str = "439900";
/// A second (fictional) region, for a planner who must not see 青溪县.
pub const OTHER_REGION: &str = "439902";
/// Password of every demo user.
pub const PASSWORD: &str = "planwatch-demo";

/// A demo login: user name, display name, what it may do.
pub const USERS: &[(&str, &str, &str)] = &[
    ("admin", "系统管理员", "系统管理员：用户、部门、地区"),
    (
        "planner",
        "县发改局规划科",
        "青溪县规划科：全部规划操作、审核报送",
    ),
    (
        "editor-a",
        "县工信局填报员",
        "部门填报：县工信局的任务和指标",
    ),
    (
        "editor-b",
        "县生态环境局填报员",
        "部门填报：县生态环境局的任务和指标",
    ),
    ("viewer", "县人大代表", "只读查看青溪县规划"),
    (
        "planner-other",
        "邻县规划科",
        "另一地区规划科：看不到青溪县",
    ),
];

/// What [`seed`] made.
#[derive(Debug, Clone)]
pub struct Demo {
    /// Document id of the plan.
    pub plan_id: i64,
    /// Document id of the work report.
    pub report_id: i64,
    /// Department of editor-a (县工信局).
    pub dept_a: i64,
    /// Department of editor-b (县生态环境局).
    pub dept_b: i64,
    /// A task led by department A.
    pub task_a: i64,
    /// A task led by department B.
    pub task_b: i64,
    /// An indicator assigned to department A.
    pub indicator_a: i64,
    /// An indicator assigned to department B.
    pub indicator_b: i64,
}

async fn ingest(
    store: &Store,
    bytes: &[u8],
    name: &str,
    region: &str,
    actor: &str,
) -> Result<i64, AppError> {
    let (plan, text) = planwatch_parse::parse_bytes_with_text(bytes, name)
        .map_err(|e| AppError::BadRequest(format!("{name}:{e}")))?;
    let out = store
        .ingest_document(&plan, &text, Some(region), actor)
        .await?;
    Ok(out.document_id)
}

/// Fill an empty database with the demo (every user gets the password [`PASSWORD`]).
pub async fn seed(store: &Store) -> Result<Demo, AppError> {
    let actor = "demo";
    // The city above the county, with its plan published (as plans are), so the county's
    // review page checks its indicators against the city's (规划衔接).
    for (code, name, level, parent) in [
        (CITY_REGION, "云岭市", "市", None),
        (REGION, "青溪县", "县区", Some(CITY_REGION)),
    ] {
        let region = NewRegion {
            code: code.into(),
            name: name.into(),
            level: Some(level.into()),
            parent_code: parent.map(String::from),
            ..NewRegion::default()
        };
        store.create_region(&region, actor).await?;
    }
    let city_plan = ingest(store, CITY_PLAN, "yunling-plan.txt", CITY_REGION, actor).await?;
    store.set_public(city_plan, true, actor).await?;
    let plan_id = ingest(store, PLAN, "qingxi-plan.txt", REGION, actor).await?;
    let report_id = ingest(store, REPORT, "qingxi-work-report-2023.txt", REGION, actor).await?;
    let rows = planwatch_parse::actuals::read_actuals(ACTUALS, "qingxi-actuals.csv")
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let batch = planwatch_store::ImportBatch {
        file_name: "qingxi-actuals.csv".into(),
        sha256: planwatch_parse::sha256_hex(ACTUALS),
    };
    store.import_observations(&batch, &rows, actor).await?;
    let region = store
        .region_by_code(REGION)
        .await?
        .ok_or_else(|| AppError::Internal("demo region missing".into()))?;
    let other = store
        .create_region(
            &NewRegion {
                code: OTHER_REGION.into(),
                name: "云溪县".into(),
                ..NewRegion::default()
            },
            actor,
        )
        .await?;
    let mut deps = Vec::new();
    for name in ["县工信局", "县生态环境局", "县发改局", "县统计局"] {
        deps.push(
            store
                .create_department(Some(region.id), name, actor)
                .await?,
        );
    }
    let (dept_a, dept_b) = (deps[0].id, deps[1].id);
    // Tasks: each to the department its chapter is about (industry and innovation to
    // 县工信局, ecology to 县生态环境局, the rest to 县发改局), one in progress.
    let tasks = store.tasks_of(plan_id, None).await?;
    let mut task_a = 0;
    let mut task_b = 0;
    let (dept_dev, dept_stats) = (deps[2].id, deps[3].id);
    for t in tasks.iter().filter(|t| !t.rejected) {
        let theme = format!("{} {}", t.chapter.as_deref().unwrap_or_default(), t.text);
        let (lead, support) = match lead_of(&theme) {
            Theme::Industry => (dept_a, dept_dev),
            Theme::Ecology => (dept_b, dept_dev),
            Theme::Other => (dept_dev, dept_stats),
        };
        let t = store
            .assign_task(t.id, t.version, Some(lead), &[support], actor)
            .await?;
        if lead == dept_a && task_a == 0 {
            task_a = t.id;
            store
                .update_task_progress(
                    t.id,
                    t.version,
                    "已完成选址和立项",
                    TaskStatus::InProgress,
                    actor,
                )
                .await?;
        }
        if lead == dept_b && task_b == 0 {
            task_b = t.id;
        }
    }
    // Indicators: innovation and industry to A, the green ones to B.
    let mut indicator_a = 0;
    let mut indicator_b = 0;
    for ind in store.indicators_of(plan_id).await? {
        let cat = ind.category.clone().unwrap_or_default();
        let dep = if cat.contains("绿色") {
            dept_b
        } else if cat.contains("创新") || ind.name.contains("工业") {
            dept_a
        } else {
            continue;
        };
        store
            .assign_indicator(ind.id, ind.version, Some(dep), actor)
            .await?;
        if dep == dept_a && indicator_a == 0 {
            indicator_a = ind.id;
        }
        if dep == dept_b && indicator_b == 0 {
            indicator_b = ind.id;
        }
    }
    crate::demo_projects::seed(store, plan_id, [dept_a, dept_b], actor).await?;
    let hash = tokio::task::spawn_blocking(|| hash_password(PASSWORD))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
    for (username, display, _) in USERS {
        let role = match *username {
            "admin" => "admin",
            "planner" | "planner-other" => "planner",
            "viewer" => "viewer",
            _ => "editor",
        };
        let u = store
            .create_user(username, display, Some(&hash), role, actor)
            .await?;
        match *username {
            "planner" => {
                store
                    .add_grant(u.id, None, Some(region.id), "planner", actor)
                    .await?
            }
            "planner-other" => {
                store
                    .add_grant(u.id, None, Some(other.id), "planner", actor)
                    .await?
            }
            "viewer" => {
                store
                    .add_grant(u.id, None, Some(region.id), "viewer", actor)
                    .await?
            }
            "editor-a" => {
                store
                    .add_grant(u.id, Some(dept_a), None, "editor", actor)
                    .await?
            }
            "editor-b" => {
                store
                    .add_grant(u.id, Some(dept_b), None, "editor", actor)
                    .await?
            }
            _ => continue,
        };
    }
    Ok(Demo {
        plan_id,
        report_id,
        dept_a,
        dept_b,
        task_a,
        task_b,
        indicator_a,
        indicator_b,
    })
}

/// Which demo department a task belongs to.
enum Theme {
    Industry,
    Ecology,
    Other,
}

/// The department a task's chapter and text point to, by the words offices file
/// them under.
fn lead_of(theme: &str) -> Theme {
    let any = |words: &[&str]| words.iter().any(|w| theme.contains(w));
    if any(&["生态", "绿色", "污染", "环境", "低碳"]) {
        Theme::Ecology
    } else if any(&["文化", "农业", "乡村", "粮食"]) {
        // Culture and farming have their own bureaus, which the demo leaves to 县发改局.
        Theme::Other
    } else if any(&["制造", "工业", "产业", "创新", "科技", "研发"]) {
        Theme::Industry
    } else {
        Theme::Other
    }
}
