//! Router tests with tower's `oneshot`: every route for every role (anonymous,
//! viewer, the editors of department A and B, the planner of another region, the
//! planner, the admin); CSRF; sessions and cookies; limits; the API. Every refusal is
//! checked to change nothing (the audit log counts every change).

mod common;

use axum::http::StatusCode;
use common::{Client, ROLES, World};
use planwatch_server::Config;
use planwatch_store::{ItemKind, NewSubmission, TaskStatus};

/// What a role gets for a kind of page.
fn expected_get(role: &str, class: &str, api: bool) -> StatusCode {
    let anon = if api {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::SEE_OTHER
    };
    match (class, role) {
        (_, "anonymous") if class != "open" => anon,
        ("open", _) => StatusCode::OK,
        ("plan", "planner-other") => StatusCode::FORBIDDEN,
        ("plan", _) => StatusCode::OK,
        ("upload", "planner" | "planner-other" | "admin") => StatusCode::OK,
        ("upload", _) => StatusCode::FORBIDDEN,
        ("admin", "admin") => StatusCode::OK,
        ("admin", _) => StatusCode::FORBIDDEN,
        ("account", _) => StatusCode::OK,
        _ => unreachable!("{class}"),
    }
}

#[tokio::test]
async fn every_page_for_every_role() {
    let w = World::default().await;
    let d = &w.demo;
    let p = d.plan_id;

    let pages: Vec<(String, &str)> = vec![
        ("/".into(), "open"),
        ("/static/app.css".into(), "open"),
        ("/static/htmx.min.js".into(), "open"),
        ("/api/v1/openapi.json".into(), "open"),
        (format!("/plans/{p}"), "plan"),
        (format!("/plans/{}", d.report_id), "plan"),
        (format!("/plans/{p}/outline"), "plan"),
        (format!("/plans/{p}/tasks"), "plan"),
        (
            format!(
                "/plans/{p}/tasks?department={}&status=in_progress",
                d.dept_a
            ),
            "plan",
        ),
        (format!("/plans/{p}/tasks/{}", d.task_a), "plan"),
        (format!("/plans/{p}/tasks/{}", d.task_b), "plan"),
        (format!("/plans/{p}/projects"), "plan"),
        (
            format!("/plans/{p}/projects?year=2024&month=6&field=industry&class=lagging"),
            "plan",
        ),
        (format!("/plans/{p}/review"), "plan"),
        (format!("/plans/{p}/reports"), "plan"),
        (format!("/plans/{p}/indicators/{}", d.indicator_a), "plan"),
        (format!("/plans/{p}/indicators/{}", d.indicator_b), "plan"),
        (format!("/plans/{p}/ledger.xlsx"), "plan"),
        (format!("/plans/{p}/plan.json"), "plan"),
        (format!("/api/v1/plans/{p}"), "plan"),
        (format!("/api/v1/plans/{p}/indicators"), "plan"),
        (format!("/api/v1/plans/{p}/observations"), "plan"),
        (format!("/api/v1/plans/{p}/tasks"), "plan"),
        (format!("/api/v1/plans/{p}/status"), "plan"),
        ("/upload/plan".into(), "upload"),
        ("/upload/actuals".into(), "upload"),
        ("/upload/source".into(), "upload"),
        ("/admin".into(), "admin"),
        ("/account".into(), "account"),
        ("/help/api".into(), "open"),
        (
            format!("/regions/{}", planwatch_server::demo::REGION),
            "plan",
        ),
    ];
    let audit = w.audit().await;
    for role in ROLES {
        let c = w.client(role).await;
        let audit = w.audit().await;
        for (path, class) in &pages {
            let r = w.get(&c, path).await;
            let want = expected_get(role, class, path.starts_with("/api/v1/plans"));
            assert_eq!(
                r.status,
                want,
                "{role} GET {path}: {}",
                &r.body[..r.body.len().min(300)]
            );
            if want == StatusCode::SEE_OTHER {
                let back = format!("/login?next={}", common::enc(path));
                assert_eq!(r.location(), back, "{role} GET {path}");
            }
        }
        assert_eq!(w.audit().await, audit, "{role}: reading changes nothing");
    }
    assert!(w.audit().await > audit, "sessions were made");
    // Unknown plans and items are 404, an item of another plan too.
    let c = w.client("planner").await;
    assert_eq!(w.get(&c, "/plans/9999").await.status, StatusCode::NOT_FOUND);
    let other = format!("/plans/{}/indicators/{}", d.report_id, d.indicator_a);
    assert_eq!(w.get(&c, &other).await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.get(&c, "/nope").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn pages_show_what_they_promise() {
    let w = World::default().await;
    let d = &w.demo;
    let p = d.plan_id;
    let c = w.client("planner").await;
    let dash = w.get(&c, &format!("/plans/{p}")).await.body;
    assert!(dash.contains("26项主要指标中"), "roll-up sentence");
    assert!(
        dash.contains("2023年监测（规划期2021—2025年）："),
        "the plan's own period"
    );
    // The work report's clause and the data file's row are one annual target: one line each.
    assert_eq!(
        dash.matches("2023年地区生产总值年度目标").count(),
        1,
        "one line per indicator and year"
    );
    assert!(dash.contains("<svg"), "charts inline");
    let binding = dash.find("约束性指标（预警在前）").unwrap();
    let first_warning = dash[binding..].find("预警：").unwrap();
    let others = dash[binding..].find("其他主要指标").unwrap();
    assert!(first_warning < others, "warnings lead the binding section");
    let ind = w.store.indicator(d.indicator_a).await.unwrap();
    let page = w
        .get(&c, &format!("/plans/{p}/indicators/{}", ind.id))
        .await
        .body;
    assert!(page.contains(&ind.name));
    assert!(page.contains("计算过程") || page.contains("暂无实际值"));
    assert!(
        page.contains("source-lines"),
        "source lines from the stored text"
    );
    let gdp = w
        .store
        .indicators_of(p)
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.name.contains("地区生产总值") && !i.name.contains("人均"))
        .unwrap();
    let page = w
        .get(&c, &format!("/plans/{p}/indicators/{}", gdp.id))
        .await
        .body;
    assert!(
        page.contains("sample://qingxi/tjgb-2023"),
        "observations with sources"
    );
    assert!(
        page.contains("id=\"record-steps\"") && page.contains("算式（供核对）"),
        "calculation record with its formulas"
    );
    let review = w.get(&c, &format!("/plans/{p}/review")).await.body;
    // The review page lists every extracted prose target, the dashboard the ones it
    // evaluates; the review page says how the two counts relate.
    let extracted = w.store.targets_of(p).await.unwrap().len();
    let prose = w
        .store
        .plan_status(p, None, None)
        .await
        .unwrap()
        .prose()
        .count();
    assert!(prose > 0 && prose < extracted, "{prose} of {extracted}");
    assert!(
        review.contains(&format!(
            "本页列出从正文识别的全部 {extracted} 条；监测页评价其中的 {prose} 条"
        )),
        "{review}"
    );
    assert!(
        dash.contains(&format!("正文量化目标（{prose} 项")),
        "dashboard count"
    );
    let findings = review
        .split("id=\"findings\"")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    assert!(
        findings.contains("指标表为180亿元，正文为175亿元"),
        "table vs prose"
    );
    assert!(
        findings.contains("规划纲要为410亿元，政府工作报告为430亿元")
            && findings.contains("qingxi-work-report-2023.txt 第18行"),
        "plan vs work report"
    );
    let tasks = w
        .get(&c, &format!("/plans/{p}/tasks?department={}", d.dept_a))
        .await
        .body;
    assert!(tasks.contains("县工信局") && !tasks.contains("<td>县生态环境局</td>"));
    let outline = w.get(&c, &format!("/plans/{p}/outline")).await.body;
    assert!(
        outline.contains("id=\"L230\""),
        "source text beside the outline"
    );
    // Viewers see no edit forms.
    let v = w.client("viewer").await;
    let page = w
        .get(&v, &format!("/plans/{p}/indicators/{}", ind.id))
        .await
        .body;
    assert!(!page.contains("indicator-correct") && !page.contains("indicator-report"));
}

/// A mutation and the roles allowed to make it.
struct Action {
    name: &'static str,
    allowed: &'static [&'static str],
}

async fn attempt(w: &World, c: &Client, action: &str, n: usize) -> common::Reply {
    let d = &w.demo;
    let p = d.plan_id;
    let s = &w.store;
    match action {
        "correct_indicator" => {
            let i = s.indicator(d.indicator_a).await.unwrap();
            let v = i.version.to_string();
            let value = format!("{}", 100 + n);
            w.post(
                c,
                &format!("/plans/{p}/indicators/{}/correct", i.id),
                &[("version", &v), ("target_value", &value)],
            )
            .await
        }
        "correct_target" => {
            let t = s.targets_of(p).await.unwrap().remove(0);
            let v = t.version.to_string();
            let value = format!("{}", 200 + n);
            w.post(
                c,
                &format!("/plans/{p}/targets/{}/correct", t.id),
                &[("version", &v), ("value", &value)],
            )
            .await
        }
        "correct_heading" => {
            let h = s.outline_of(p).await.unwrap().remove(3);
            let v = h.version.to_string();
            let title = format!("更正标题{n}");
            w.post(
                c,
                &format!("/plans/{p}/headings/{}/correct", h.id),
                &[("version", &v), ("title", &title)],
            )
            .await
        }
        "correct_task" => {
            let t = s.task(d.task_a).await.unwrap();
            let v = t.version.to_string();
            let deadline = format!("202{}年", n % 10);
            w.post(
                c,
                &format!("/plans/{p}/tasks/{}/correct", t.id),
                &[("version", &v), ("deadline", &deadline)],
            )
            .await
        }
        "assign_task" => {
            let t = s.task(d.task_b).await.unwrap();
            let v = t.version.to_string();
            let lead = d.dept_b.to_string();
            w.post(
                c,
                &format!("/plans/{p}/tasks/{}/assign", t.id),
                &[("version", &v), ("lead", &lead)],
            )
            .await
        }
        "report_task_a" | "report_task_b" => {
            let t = if action == "report_task_a" {
                d.task_a
            } else {
                d.task_b
            };
            w.post_multipart(
                c,
                &format!("/plans/{p}/tasks/{t}/report"),
                &[("progress", "完成年度目标"), ("status", "in_progress")],
                Some(("evidence", "台账.txt", b"evidence bytes")),
                true,
            )
            .await
        }
        "report_indicator_a" => {
            w.post_multipart(
                c,
                &format!("/plans/{p}/indicators/{}/report", d.indicator_a),
                &[
                    ("progress", "2023年数据"),
                    ("year", "2023"),
                    ("value", "1.7"),
                ],
                None,
                true,
            )
            .await
        }
        "approve" => {
            let sub = s
                .submit_progress(
                    &NewSubmission {
                        item_kind: ItemKind::Task,
                        item_id: d.task_a,
                        department_id: Some(d.dept_a),
                        progress: format!("报送{n}"),
                        task_status: Some(TaskStatus::InProgress),
                        year: None,
                        value: None,
                    },
                    &[],
                    "web:editor-a",
                )
                .await
                .unwrap();
            let v = sub.version.to_string();
            let r = w
                .post(
                    c,
                    &format!("/plans/{p}/submissions/{}/approve", sub.id),
                    &[("version", &v)],
                )
                .await;
            // Leave no open submission behind for the next attempt's counts.
            if r.status != StatusCode::SEE_OTHER || r.location() == "/login" {
                s.return_submission(sub.id, sub.version, "测试清理", "test")
                    .await
                    .unwrap();
            }
            r
        }
        "publish" => {
            w.post(c, &format!("/plans/{p}/publish"), &[("public", "0")])
                .await
        }
        "create_department" => {
            let name = format!("测试部门{n}");
            let region = s
                .region_by_code("439901")
                .await
                .unwrap()
                .unwrap()
                .id
                .to_string();
            w.post(
                c,
                "/admin/departments",
                &[("region_id", &region), ("name", &name)],
            )
            .await
        }
        "create_token" => w.post(c, "/account/tokens", &[("name", "脚本")]).await,
        other => unreachable!("{other}"),
    }
}

#[tokio::test]
async fn every_change_for_every_role() {
    let w = World::default().await;
    let planners: &[&str] = &["planner", "admin"];
    let actions = [
        Action {
            name: "correct_indicator",
            allowed: planners,
        },
        Action {
            name: "correct_target",
            allowed: planners,
        },
        Action {
            name: "correct_heading",
            allowed: planners,
        },
        Action {
            name: "correct_task",
            allowed: planners,
        },
        Action {
            name: "assign_task",
            allowed: planners,
        },
        Action {
            name: "report_task_a",
            allowed: &["editor-a", "planner", "admin"],
        },
        Action {
            name: "report_task_b",
            allowed: &["editor-b", "planner", "admin"],
        },
        Action {
            name: "report_indicator_a",
            allowed: &["editor-a", "planner", "admin"],
        },
        Action {
            name: "approve",
            allowed: planners,
        },
        Action {
            name: "publish",
            allowed: planners,
        },
        Action {
            name: "create_department",
            allowed: &["admin"],
        },
        Action {
            name: "create_token",
            allowed: &[
                "viewer",
                "editor-a",
                "editor-b",
                "planner-other",
                "planner",
                "admin",
            ],
        },
    ];
    let mut n = 0;
    for role in ROLES {
        let c = w.client(role).await;
        for a in &actions {
            n += 1;
            // The approve action makes its own submission first; count from after it.
            let before = w.audit().await;
            let r = attempt(&w, &c, a.name, n).await;
            let after = w.audit().await;
            let made = if a.name == "approve" { 1 } else { 0 };
            let cleanup = if a.name == "approve" && !a.allowed.contains(role) {
                1
            } else {
                0
            };
            if a.allowed.contains(role) {
                assert!(
                    r.status == StatusCode::SEE_OTHER || r.status == StatusCode::OK,
                    "{role} {}: {} {}",
                    a.name,
                    r.status,
                    &r.body[..r.body.len().min(300)]
                );
                assert!(!r.location().starts_with("/login"), "{role} {}", a.name);
                assert!(
                    after > before + made,
                    "{role} {}: a change is audited",
                    a.name
                );
            } else {
                let want = if *role == "anonymous" {
                    StatusCode::SEE_OTHER
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(
                    r.status,
                    want,
                    "{role} {}: {}",
                    a.name,
                    &r.body[..r.body.len().min(200)]
                );
                if *role == "anonymous" {
                    assert_eq!(r.location(), "/login");
                }
                assert_eq!(
                    after,
                    before + made + cleanup,
                    "{role} {}: refusal changes nothing",
                    a.name
                );
            }
        }
    }
}

#[tokio::test]
async fn evidence_is_for_the_department_and_the_planners() {
    let w = World::default().await;
    let d = &w.demo;
    let a = w.client("editor-a").await;
    let r = attempt(&w, &a, "report_task_a", 1).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let sub = w
        .store
        .submissions_for_item(ItemKind::Task, d.task_a)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(sub.department_id, Some(d.dept_a));
    let file = w.store.evidence_of(sub.id).await.unwrap().remove(0);
    for role in ROLES {
        let c = w.client(role).await;
        let r = w.get(&c, &format!("/evidence/{}", file.id)).await;
        let want = match *role {
            "anonymous" => StatusCode::SEE_OTHER,
            "editor-a" | "planner" | "admin" => StatusCode::OK,
            _ => StatusCode::FORBIDDEN,
        };
        assert_eq!(r.status, want, "{role}");
        if want == StatusCode::OK {
            assert_eq!(r.body, "evidence bytes");
            let cd = r
                .headers
                .get("content-disposition")
                .unwrap()
                .to_str()
                .unwrap();
            assert!(cd.starts_with("attachment;"), "{cd}");
        }
    }
}

#[tokio::test]
async fn department_report_is_approved_by_the_planner() {
    let w = World::default().await;
    let d = &w.demo;
    let p = d.plan_id;
    let before = w.store.task(d.task_b).await.unwrap();
    let b = w.client("editor-b").await;
    let r = w
        .post_multipart(
            &b,
            &format!("/plans/{p}/tasks/{}/report", d.task_b),
            &[("progress", "已建成污水处理厂"), ("status", "done")],
            None,
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.store.task(d.task_b).await.unwrap(),
        before,
        "nothing changes before approval"
    );
    let sub = w
        .store
        .submissions_for_item(ItemKind::Task, d.task_b)
        .await
        .unwrap()
        .remove(0);
    // The submitting editor cannot approve their own report.
    let v = sub.version.to_string();
    let path = format!("/plans/{p}/submissions/{}/approve", sub.id);
    assert_eq!(
        w.post(&b, &path, &[("version", &v)]).await.status,
        StatusCode::FORBIDDEN
    );
    let planner = w.client("planner").await;
    let r = w.post(&planner, &path, &[("version", &v)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let after = w.store.task(d.task_b).await.unwrap();
    assert_eq!(after.progress.as_deref(), Some("已建成污水处理厂"));
    assert_eq!(after.status, TaskStatus::Done);
    // Deciding twice is refused and changes nothing.
    let audit = w.audit().await;
    let r = w.post(&planner, &path, &[("version", &v)]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(w.audit().await, audit);
    let page = w
        .get(&planner, &format!("/plans/{p}/tasks/{}", d.task_b))
        .await
        .body;
    assert!(page.contains("已通过") && page.contains("已建成污水处理厂"));
}

#[tokio::test]
async fn the_review_queue_says_what_and_who_and_stays_after_a_decision() {
    let w = World::default().await;
    let d = &w.demo;
    let p = d.plan_id;
    let a = w.client("editor-a").await;
    let r = w
        .post_multipart(
            &a,
            &format!("/plans/{p}/indicators/{}/report", d.indicator_a),
            &[
                ("progress", "县统计局快报"),
                ("year", "2023"),
                ("value", "1.7"),
            ],
            Some(("evidence", "快报.txt", b"evidence bytes")),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let planner = w.client("planner").await;
    let queue = w.get(&planner, &format!("/plans/{p}/review")).await.body;
    let indicator = w.store.indicator(d.indicator_a).await.unwrap();
    let editor = w.store.user_by_username("editor-a").await.unwrap().unwrap();
    let dept = w
        .store
        .list_departments(None)
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.id == d.dept_a)
        .unwrap();
    for want in [
        format!("指标：{}", indicator.name),
        dept.name.clone(),
        editor.display_name.clone(),
        "2023年数值：1.7".to_string(),
        "快报.txt".to_string(),
    ] {
        assert!(queue.contains(&want), "the queue shows {want}");
    }
    assert!(!queue.contains("web:editor-a"));
    let sub = w
        .store
        .submissions_for_item(ItemKind::Indicator, d.indicator_a)
        .await
        .unwrap()
        .remove(0);
    let r = w
        .post(
            &planner,
            &format!("/plans/{p}/submissions/{}/approve", sub.id),
            &[("version", &sub.version.to_string()), ("back", "review")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.location(),
        format!("/plans/{p}/review"),
        "back to the queue"
    );
    let queue = w.get(&planner, &format!("/plans/{p}/review")).await.body;
    assert!(
        !queue.contains(&format!("submission-{}", sub.id)),
        "decided, so gone"
    );
}

/// A department editor lands on 我的任务与指标: what their department is responsible
/// for, and reports returned to them first; a planner does not.
#[tokio::test]
async fn editors_land_on_their_own_tasks_and_indicators() {
    let w = World::default().await;
    let d = &w.demo;
    let p = d.plan_id;
    let a = w.client("editor-a").await;
    let home = w.get(&a, "/").await.body;
    assert!(home.contains("我的任务与指标"));
    assert!(home.contains(&format!("/plans/{p}/tasks/{}\"", d.task_a)));
    assert!(home.contains(&format!("/plans/{p}/indicators/{}\"", d.indicator_a)));
    assert!(!home.contains(&format!("/plans/{p}/tasks/{}\"", d.task_b)));
    assert!(!home.contains(&format!("/plans/{p}/indicators/{}\"", d.indicator_b)));
    let r = w
        .post_multipart(
            &a,
            &format!("/plans/{p}/tasks/{}/report", d.task_a),
            &[("progress", "完成选址"), ("status", "in_progress")],
            None,
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let sub = w
        .store
        .submissions_for_item(ItemKind::Task, d.task_a)
        .await
        .unwrap()
        .remove(0);
    let planner = w.client("planner").await;
    let r = w
        .post(
            &planner,
            &format!("/plans/{p}/submissions/{}/return", sub.id),
            &[
                ("version", &sub.version.to_string()),
                ("note", "请附证明材料"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let home = w.get(&a, "/").await.body;
    let mine = home.split("id=\"mine\"").nth(1).unwrap();
    let first_row = mine.split("<tr>").nth(2).unwrap();
    assert!(
        first_row.contains("已退回：请附证明材料") && first_row.contains("完成选址"),
        "{first_row}"
    );
    assert!(!w.get(&planner, "/").await.body.contains("我的任务与指标"));
}

/// The new-user form and the grant form preselect the least privilege (查看者), never
/// 系统管理员.
#[tokio::test]
async fn new_accounts_default_to_the_least_privilege() {
    let w = World::default().await;
    let admin = w.client("admin").await;
    let page = w.get(&admin, "/admin").await.body;
    for form in ["action=\"/admin/users\"", "action=\"/admin/grants\""] {
        let after = page.split(form).nth(1).expect(form);
        let select = after.split("<select name=\"role\">").nth(1).expect(form);
        assert!(
            select.starts_with("<option value=\"viewer\">查看者"),
            "{form}: {}",
            &select[..80.min(select.len())]
        );
    }
}

#[tokio::test]
async fn csrf_is_required_on_every_change() {
    let w = World::default().await;
    let d = &w.demo;
    let p = d.plan_id;
    let planner = w.client("planner").await;
    let editor = w.client("editor-a").await;
    let ind = w.store.indicator(d.indicator_a).await.unwrap();
    let v = ind.version.to_string();
    let path = format!("/plans/{p}/indicators/{}/correct", ind.id);
    let audit = w.audit().await;
    let check = |r: common::Reply, what: &str| {
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{what}");
        assert!(r.body.contains("CSRF"), "{what}");
    };
    check(
        w.post_raw(&planner, &path, &[("version", &v), ("target_value", "1")])
            .await,
        "missing",
    );
    check(
        w.post_raw(
            &planner,
            &path,
            &[("csrf", "0"), ("version", &v), ("target_value", "1")],
        )
        .await,
        "wrong",
    );
    check(
        w.post_raw(
            &planner,
            &path,
            &[
                ("csrf", &editor.csrf),
                ("version", &v),
                ("target_value", "1"),
            ],
        )
        .await,
        "another session's token",
    );
    let report = format!("/plans/{p}/tasks/{}/report", d.task_a);
    check(
        w.post_multipart(&editor, &report, &[("progress", "x")], None, false)
            .await,
        "multipart without token",
    );
    let mut wrong = editor.clone();
    wrong.csrf = "f".repeat(64);
    check(
        w.post_multipart(&wrong, &report, &[("progress", "x")], None, true)
            .await,
        "multipart with a wrong token",
    );
    // A JSON body cannot carry the form token.
    let req = axum::http::Request::post(&path)
        .header("cookie", planner.cookie.clone().unwrap())
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{}"))
        .unwrap();
    check(w.send(req).await, "json");
    // The login form is protected too: no anonymous cookie, no login.
    let nobody = Client {
        name: "x",
        cookie: None,
        csrf: "a".repeat(64),
    };
    check(
        w.post_raw(
            &nobody,
            "/login",
            &[
                ("csrf", &nobody.csrf),
                ("username", "planner"),
                ("password", "planwatch-demo"),
            ],
        )
        .await,
        "login without the anonymous cookie",
    );
    assert_eq!(w.audit().await, audit, "refusals change nothing");
    assert_eq!(w.store.indicator(ind.id).await.unwrap(), ind);
    // The same change with the token in the htmx header goes through.
    let req = axum::http::Request::post(&path)
        .header("cookie", planner.cookie.clone().unwrap())
        .header("x-csrf-token", planner.csrf.clone())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(format!(
            "version={v}&target_value=415"
        )))
        .unwrap();
    assert_eq!(w.send(req).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.store.indicator(ind.id).await.unwrap().target_value,
        Some(415.0)
    );
}

#[tokio::test]
async fn login_sessions_and_headers() {
    let w = World::new(Config {
        secure_cookies: true,
        login_attempts: 3,
        ..Config::default()
    })
    .await;
    let anon = w.client("anonymous").await;
    let r = w.get(&anon, "/login").await;
    for (h, v) in [
        ("x-frame-options", "DENY"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
        ("cache-control", "no-store"),
    ] {
        assert_eq!(r.headers.get(h).unwrap(), v, "{h}");
    }
    let csp = r
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    // A fresh visitor gets an anonymous CSRF cookie.
    let fresh = Client {
        name: "x",
        cookie: None,
        csrf: String::new(),
    };
    let r = w.get(&fresh, "/login").await;
    let set = r.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(
        set.starts_with("pw_anon=") && set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    // Log in with the form.
    let r = w
        .post(
            &anon,
            "/login",
            &[("username", "planner"), ("password", "planwatch-demo")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let set = r
        .headers
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Secure"),
        "{set}"
    );
    let secret = set.split(';').next().unwrap().to_string();
    let page = w
        .get(
            &Client {
                name: "p",
                cookie: Some(secret.clone()),
                csrf: String::new(),
            },
            "/account",
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = page.body.split("name=\"csrf\" value=\"").nth(1).unwrap()[..64].to_string();
    let me = Client {
        name: "p",
        cookie: Some(secret),
        csrf,
    };
    // Logout ends the session on the server.
    assert_eq!(
        w.post(&me, "/logout", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(w.get(&me, "/account").await.status, StatusCode::SEE_OTHER);
    // Wrong passwords: after three failures even the right password is refused for a while.
    for _ in 0..3 {
        let r = w
            .post(
                &anon,
                "/login",
                &[("username", "viewer"), ("password", "wrong")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.body.contains("用户名或密码错误"));
    }
    let audit = w.audit().await;
    let r = w
        .post(
            &anon,
            "/login",
            &[("username", "viewer"), ("password", "planwatch-demo")],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(w.audit().await, audit, "no session was made");
    // Another user is not locked out by it.
    let r = w
        .post(
            &anon,
            "/login",
            &[("username", "editor-a"), ("password", "planwatch-demo")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_page_that_needs_a_login_says_so_and_returns_there() {
    let w = World::new(Config {
        demo_logins: true,
        ..Config::default()
    })
    .await;
    let p = w.demo.plan_id;
    let anon = w.client("anonymous").await;
    let wanted = format!("/plans/{p}/review?kind=error");
    let r = w.get(&anon, &wanted).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let login = r.location().to_string();
    assert_eq!(
        login,
        format!("/login?next=%2Fplans%2F{p}%2Freview%3Fkind%3Derror")
    );
    let page = w.get(&anon, &login).await.body;
    assert!(page.contains("您要访问的页面需要登录"), "{page}");
    assert!(page.contains(&format!(
        "name=\"next\" value=\"/plans/{p}/review?kind=error\""
    )));
    assert!(
        page.contains("演示账号") && page.contains("planwatch-demo"),
        "{page}"
    );
    // The plain login page explains where accounts come from and has no notice.
    let plain = w.get(&anon, "/login").await.body;
    assert!(plain.contains("联系系统管理员") && !plain.contains("您要访问的页面需要登录"));
    // Logging in returns to the page; another site or the login page itself is never a
    // destination.
    for (next, home) in [
        (wanted.as_str(), wanted.as_str()),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("/login?next=/x", "/"),
    ] {
        let c = w.client("anonymous").await;
        let r = w
            .post(
                &c,
                "/login",
                &[
                    ("username", "planner"),
                    ("password", "planwatch-demo"),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{next}");
        assert_eq!(r.location(), home, "{next}");
    }
    // A failed login keeps where the visitor was going.
    let r = w
        .post(
            &anon,
            "/login",
            &[
                ("username", "planner"),
                ("password", "wrong"),
                ("next", &wanted),
            ],
        )
        .await;
    assert!(
        r.body.contains("用户名或密码错误") && r.body.contains("name=\"next\" value=\"/plans/")
    );
    // Someone already logged in goes straight on.
    let r = w.get(&w.client("viewer").await, &login).await;
    assert_eq!(r.location(), wanted);
}

#[tokio::test]
async fn a_pdf_upload_previews_like_a_docx_and_keeps_its_pages() {
    let w = World::default().await;
    let planner = w.client("planner").await;
    let pdf =
        include_bytes!("../../planwatch-parse/tests/fixtures/pdf/qingxi-excerpt-libreoffice.pdf");
    let r = w
        .post_multipart(
            &planner,
            "/upload/plan",
            &[("region", "439901")],
            Some(("file", "qingxi-excerpt.pdf", pdf)),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("PDF（共 "), "format with page count");
    assert!(
        r.body.contains(" 页 第 "),
        "indicator positions carry pages"
    );
    let pending = r.body.split("name=\"pending\" value=\"").nth(1).unwrap()[..64].to_string();
    let r = w
        .post(&planner, "/upload/plan/commit", &[("pending", &pending)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let doc = w
        .store
        .list_documents()
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.format == "pdf")
        .expect("the PDF is stored");
    let starts = w.store.document_page_starts(doc.id).await.unwrap();
    assert!(
        starts.len() >= 2 && starts.windows(2).all(|p| p[0] <= p[1]),
        "{starts:?}"
    );
    let ind = &w.store.indicators_of(doc.id).await.unwrap()[0];
    let r = w
        .get(
            &planner,
            &format!("/plans/{}/indicators/{}", doc.id, ind.id),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("id=\"source-page\">原文第 "), "{}", r.body);
    // The outline's source panel marks where each page starts.
    let r = w.get(&planner, &format!("/plans/{}/outline", doc.id)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("— 第 2 页 —"), "page divider");
}

#[tokio::test]
async fn uploads_preview_then_commit() {
    let w = World::default().await;
    let planner = w.client("planner").await;
    let mut plan = include_bytes!("../../../samples/qingxi-plan.txt").to_vec();
    plan.extend_from_slice("\n(修订稿)\n".as_bytes());
    let audit = w.audit().await;
    let docs = w.store.list_documents().await.unwrap().len();
    let r = w
        .post_multipart(
            &planner,
            "/upload/plan",
            &[("region", "439901")],
            Some(("file", "qingxi-v2.txt", &plan)),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("青溪县") && r.body.contains("确认入库"));
    // The document type in words, not an enum name.
    assert!(
        r.body.contains("五年规划纲要") && !r.body.contains("PlanOutline"),
        "{}",
        r.body
    );
    assert_eq!(w.audit().await, audit, "the preview stores nothing");
    let pending = r.body.split("name=\"pending\" value=\"").nth(1).unwrap()[..64].to_string();
    // Nobody else can commit it.
    let admin = w.client("admin").await;
    let r = w
        .post(&admin, "/upload/plan/commit", &[("pending", &pending)])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = w
        .post(&planner, "/upload/plan/commit", &[("pending", &pending)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(w.store.list_documents().await.unwrap().len(), docs + 1);
    // A planner cannot upload into another region.
    let other = w.client("planner-other").await;
    let audit = w.audit().await;
    let r = w
        .post_multipart(
            &other,
            "/upload/plan",
            &[("region", "439901")],
            Some(("file", "x.txt", &plan)),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Nor import actuals of a region they do not plan.
    let csv = "region,year,indicator,value,unit,kind,source_url,note\n青溪县,2024,地区生产总值,380,亿元,level,sample://x,\n";
    let r = w
        .post_multipart(
            &other,
            "/upload/actuals",
            &[],
            Some(("file", "a.csv", csv.as_bytes())),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(w.audit().await, audit);
    // The planner of 青溪县 can.
    let count = w.store.observation_count().await.unwrap();
    let r = w
        .post_multipart(
            &planner,
            "/upload/actuals",
            &[],
            Some(("file", "a.csv", csv.as_bytes())),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(w.store.observation_count().await.unwrap(), count);
    let pending = r.body.split("name=\"pending\" value=\"").nth(1).unwrap()[..64].to_string();
    let r = w
        .post(&planner, "/upload/actuals/commit", &[("pending", &pending)])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body
            .contains("已导入 1 条实际值，年份 2024，指标 1 项：地区生产总值。"),
        "the page says what was imported: {}",
        r.body
    );
    assert_eq!(w.store.observation_count().await.unwrap(), count + 1);
    // Evidence over the limit (64 KiB here) is refused and stores nothing.
    let editor = w.client("editor-a").await;
    let big = vec![b'x'; 65 * 1024];
    let audit = w.audit().await;
    let r = w
        .post_multipart(
            &editor,
            &format!("/plans/{}/tasks/{}/report", w.demo.plan_id, w.demo.task_a),
            &[("progress", "x")],
            Some(("evidence", "big.bin", &big)),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(w.audit().await, audit);
}

#[tokio::test]
async fn api_tokens_and_public_plans() {
    let w = World::default().await;
    let p = w.demo.plan_id;
    let token_for = |name: &'static str| {
        let w = &w;
        async move {
            let c = w.client(name).await;
            let r = w.post(&c, "/account/tokens", &[("name", "脚本")]).await;
            r.body.split("id=\"new-token\">").nth(1).unwrap()[..64].to_string()
        }
    };
    let viewer = token_for("viewer").await;
    let other = token_for("planner-other").await;
    let bearer = |t: &str, path: &str| {
        axum::http::Request::get(path)
            .header("authorization", format!("Bearer {t}"))
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let r = w
        .send(bearer(&viewer, &format!("/api/v1/plans/{p}/status")))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["year"], 2023);
    assert!(v["evaluations"].as_array().unwrap().len() > 20);
    let r = w
        .send(bearer(&other, &format!("/api/v1/plans/{p}/tasks")))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("\"error\""));
    let r = w
        .send(bearer(&"0".repeat(64), &format!("/api/v1/plans/{p}")))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = w.send(bearer("not-a-token", "/api/v1/plans")).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // A bearer token is for the API only.
    let r = w.send(bearer(&viewer, &format!("/plans/{p}"))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Another region's planner sees none of 青溪县's plans (only the city's public one).
    let list = w.send(bearer(&other, "/api/v1/plans")).await;
    let list: serde_json::Value = serde_json::from_str(&list.body).unwrap();
    let regions: Vec<&str> = list["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["region_name"].as_str().unwrap())
        .collect();
    assert_eq!(regions, ["云岭市"], "{list}");
    // Public: anyone may read, nobody anonymous may write.
    let anon = w.client("anonymous").await;
    assert_eq!(
        w.get(&anon, &format!("/plans/{p}")).await.status,
        StatusCode::SEE_OTHER
    );
    let planner = w.client("planner").await;
    w.post(&planner, &format!("/plans/{p}/publish"), &[("public", "1")])
        .await;
    assert_eq!(
        w.get(&anon, &format!("/plans/{p}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        w.get(&anon, &format!("/api/v1/plans/{p}/status"))
            .await
            .status,
        StatusCode::OK
    );
    let page = w
        .get(
            &anon,
            &format!("/plans/{p}/indicators/{}", w.demo.indicator_a),
        )
        .await
        .body;
    assert!(!page.contains("indicator-correct"));
    let audit = w.audit().await;
    let r = attempt(&w, &anon, "correct_indicator", 1).await;
    assert_eq!(r.location(), "/login");
    assert_eq!(w.audit().await, audit);
    w.post(&planner, &format!("/plans/{p}/publish"), &[("public", "0")])
        .await;
    assert_eq!(
        w.get(&anon, &format!("/plans/{p}")).await.status,
        StatusCode::SEE_OTHER
    );
}

/// A 十五五 plan of the same region, ingested next to the demo: its dashboard and its
/// JSON status follow its own period (2026–2030), not the 十四五 one.
#[tokio::test]
async fn a_fifteenth_plan_follows_its_own_period() {
    let w = World::default().await;
    let bytes = include_bytes!("../../../samples/qingxi-plan-15.txt");
    let plan = planwatch_parse::parse_bytes(bytes, "qingxi-plan-15.txt").unwrap();
    let id = w
        .store
        .ingest_document(
            &plan,
            std::str::from_utf8(bytes).unwrap(),
            Some(planwatch_server::demo::REGION),
            "test",
        )
        .await
        .unwrap()
        .document_id;
    let c = w.client("planner").await;
    let dash = w.get(&c, &format!("/plans/{id}")).await.body;
    assert!(
        dash.contains("规划期2026—2030年，尚无规划期内的监测数据："),
        "{dash}"
    );
    let api = w.get(&c, &format!("/api/v1/plans/{id}/status")).await.body;
    let status: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!(
        status["period"],
        serde_json::json!({"start": 2026, "end": 2030})
    );
    assert_eq!(status["final_evaluation"], false);
    assert_eq!(status["evaluations"][0]["base_year"], 2025);
    assert_eq!(status["evaluations"][0]["target_year"], 2030);
}

/// Every answer names its request, so a user can quote the id a log line carries;
/// a missing plan's ledger is a 404, not a 500.
#[tokio::test]
async fn responses_carry_a_request_id() {
    let w = World::default().await;
    let planner = w.client("planner").await;
    let a = w.get(&planner, &format!("/plans/{}", w.demo.plan_id)).await;
    let b = w.get(&planner, "/plans/999999/ledger.xlsx").await;
    assert_eq!(b.status, StatusCode::NOT_FOUND);
    let id = |r: &common::Reply| r.headers.get("x-request-id").cloned();
    let (ia, ib) = (id(&a).expect("an id"), id(&b).expect("an id on errors too"));
    assert_ne!(ia, ib);
}

async fn preview_source(w: &World, c: &common::Client, report: &str) -> common::Reply {
    w.post_multipart(
        c,
        "/upload/source",
        &[("region", "439901")],
        Some(("file", "report-2023.txt", report.as_bytes())),
        true,
    )
    .await
}

/// 实际值来源: a work report uploaded as a source of actual values. The preview shows
/// each proposal with its sentence highlighted and the stored value of the same
/// (region, indicator, year, kind) beside it; the planner accepts some rows or all;
/// accepted rows are imported in one audited transaction, nothing else is stored.
#[tokio::test]
async fn source_upload_preview_accept_and_conflicts() {
    let w = World::default().await;
    let planner = w.client("planner").await;
    // The sample 2023 work report reviews 2022; the demo holds qingxi-actuals.csv,
    // whose 2022 figures agree with it. One figure is changed so it conflicts.
    let report = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../samples/qingxi-work-report-2023.txt"
    ))
    .unwrap()
    .replace("地区生产总值333.8亿元", "地区生产总值335.1亿元");
    let form = w.get(&planner, "/upload/source").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("上传实际值来源"), "{}", form.body);

    let count = w.store.observation_count().await.unwrap();
    let audit = w.audit().await;
    let r = preview_source(&w, &planner, &report).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(w.store.observation_count().await.unwrap(), count);
    assert_eq!(w.audit().await, audit, "the preview stores nothing");
    assert!(r.body.contains("政府工作报告"), "{}", r.body);
    assert!(r.body.contains("数据年份：2022年"), "{}", r.body);
    assert!(r.body.contains("共提取 21 条"), "{}", r.body);
    // The sentence with the figure highlighted, and the conflict side by side.
    assert!(
        r.body
            .contains("<mark>全年实现地区生产总值335.1亿元</mark>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("id=\"conflicts\">1<"), "{}", r.body);
    assert!(r.body.contains("<strong>333.8亿元"), "{}", r.body);
    // Agreeing figures are shown as the same.
    assert!(r.body.contains("（相同）"), "{}", r.body);
    let pending =
        |body: &str| body.split("name=\"pending\" value=\"").nth(1).unwrap()[..64].to_string();

    // Nothing accepted: refused, nothing stored.
    let p = pending(&r.body);
    let none = w
        .post(
            &planner,
            "/upload/source/commit",
            &[("pending", &p), ("year", "2022")],
        )
        .await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
    assert!(none.body.contains("没有接受任何数据"), "{}", none.body);
    assert_eq!(w.store.observation_count().await.unwrap(), count);
    assert_eq!(w.audit().await, audit);

    // Two rows accepted: exactly those are stored, with the document as their source.
    let r = preview_source(&w, &planner, &report).await;
    let p = pending(&r.body);
    let ok = w
        .post(
            &planner,
            "/upload/source/commit",
            &[
                ("pending", &p),
                ("year", "2022"),
                ("accept_0", "1"),
                ("accept_2", "1"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(w.store.observation_count().await.unwrap(), count + 2);
    assert!(w.audit().await > audit, "the import is audited");
    let stored = w.store.observations_for("439901").await.unwrap();
    let gdp = stored
        .iter()
        .find(|o| o.indicator == "地区生产总值" && o.year == 2022 && o.value == 335.1)
        .unwrap();
    assert!(
        gdp.source
            .contains("report-2023.txt:8 全年实现地区生产总值335.1亿元"),
        "{}",
        gdp.source
    );
    assert_eq!(gdp.vintage, "2023-01-09");
    assert!(
        stored.iter().any(|o| o.indicator == "规模以上工业增加值"
            && o.year == 2022
            && o.value == 7.2
            && o.source.contains("report-2023.txt")),
        "row 2 (规模以上工业增加值增长7.2%) was accepted"
    );
    assert!(
        !stored
            .iter()
            .any(|o| o.year == 2022 && o.value == 6.9 && o.source.contains("report-2023.txt")),
        "row 1 was not accepted"
    );

    // All accepted: the other 19 rows come too (the first two again, under this import).
    let r = preview_source(&w, &planner, &report).await;
    let p = pending(&r.body);
    let all = w
        .post(
            &planner,
            "/upload/source/commit",
            &[("pending", &p), ("year", "2022"), ("all", "1")],
        )
        .await;
    assert_eq!(all.status, StatusCode::SEE_OTHER, "{}", all.body);
    assert_eq!(w.store.observation_count().await.unwrap(), count + 2 + 21);

    // Another region's planner can neither preview nor commit into 青溪县.
    let other = w.client("planner-other").await;
    let viewer = w.client("viewer").await;
    let audit = w.audit().await;
    let r = preview_source(&w, &other, &report).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = preview_source(&w, &viewer, &report).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(w.audit().await, audit);
}

#[tokio::test]
async fn project_reports_by_role_and_the_ledger() {
    use jiff::civil::date;
    use planwatch_core::projects::ProjectField;
    use planwatch_store::{NewProjectYear, ProjectDetails};
    let w = World::default().await;
    let d = &w.demo;
    let p = d.plan_id;
    // The office makes department A responsible for one project and plans 12000 万元.
    // The demo tracks its first projects in 2024; this test takes the last one in 2025.
    let project = w.store.projects_of(p).await.unwrap().pop().unwrap();
    let details = ProjectDetails {
        name: project.name.clone(),
        field: Some(ProjectField::Industry),
        department_id: Some(d.dept_a),
        ..ProjectDetails::default()
    };
    let project = w
        .store
        .update_project(project.id, project.version, &details, "测试")
        .await
        .unwrap();
    let year = NewProjectYear {
        planned_investment: Some(12000.0),
        planned_start: Some(date(2025, 1, 1)),
        ..NewProjectYear::default()
    };
    w.store
        .set_project_year(project.id, 2025, &year, None, "测试")
        .await
        .unwrap();
    let page = format!("/plans/{p}/projects/{}", project.id);
    let report = format!("{page}/report");
    let june: &[(&str, &str)] = &[
        ("year", "2025"),
        ("month", "6"),
        ("investment", "4800"),
        ("progress", "主体结构完成"),
        ("started_on", "2025-01-10"),
    ];
    // Department B, a viewer and a planner of another region may not report, an
    // anonymous request is sent to log in; nothing changes.
    let mut clients = Vec::new();
    for role in [
        "editor-b",
        "viewer",
        "planner-other",
        "anonymous",
        "editor-a",
        "planner",
    ] {
        clients.push(w.client(role).await);
    }
    let audit = w.audit().await;
    for (c, status) in clients.iter().zip([
        StatusCode::FORBIDDEN,
        StatusCode::FORBIDDEN,
        StatusCode::FORBIDDEN,
        StatusCode::SEE_OTHER,
    ]) {
        let r = w.post_multipart(c, &report, june, None, true).await;
        assert_eq!(r.status, status, "{}", c.name);
        let form = w.get(c, &page).await.body.contains("id=\"project-report\"");
        assert!(!form, "{}", c.name);
    }
    assert_eq!(w.audit().await, audit);
    assert!(
        w.store
            .project_reports(project.id)
            .await
            .unwrap()
            .is_empty()
    );
    // A bad number is refused with its field named.
    let a = &clients[4];
    let mut bad = june.to_vec();
    bad[2] = ("investment", "四千八");
    let r = w.post_multipart(a, &report, &bad, None, true).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("本期完成投资应为数字"), "{}", r.body);
    assert_eq!(w.audit().await, audit);
    // Department A reports; it counts only once the planner approves.
    assert!(w.get(a, &page).await.body.contains("id=\"project-report\""));
    let r = w.post_multipart(a, &report, june, None, true).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let ledger = format!(
        "/plans/{p}/projects?year=2025&month=6&department={}",
        d.dept_a
    );
    let planner = &clients[5];
    assert!(w.get(planner, &ledger).await.body.contains("本期未报送"));
    let sub = w
        .store
        .project_reports(project.id)
        .await
        .unwrap()
        .remove(0)
        .submission;
    let approve = format!("/plans/{p}/submissions/{}/approve", sub.id);
    let v = sub.version.to_string();
    assert_eq!(
        w.post(a, &approve, &[("version", &v)]).await.status,
        StatusCode::FORBIDDEN,
        "an editor does not approve"
    );
    let r = w.post(planner, &approve, &[("version", &v)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), page);
    // 4800 of 12000 = 40% against 序时进度 50%: 10 points behind, 滞后.
    let body = w.get(planner, &ledger).await.body;
    assert!(body.contains(">滞后<"), "{body}");
    assert!(
        body.contains("年度计划投资12000万元，已完成4800万元，完成率40.0%"),
        "{body}"
    );
    assert!(!body.contains("本期未报送"), "{body}");
    let other = format!(
        "/plans/{p}/projects?year=2025&month=6&department={}",
        d.dept_b
    );
    assert!(!w.get(planner, &other).await.body.contains(&project.name));
    let history = w.get(a, &page).await.body;
    assert!(
        history.contains("2025年6月") && history.contains("已通过"),
        "{history}"
    );
    // The 调度表 of the period, for readers of the plan only.
    let xlsx = format!("/plans/{p}/projects/dispatch.xlsx?year=2025&month=6");
    let r = w.get(planner, &xlsx).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers[axum::http::header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("dispatch-2025-06.xlsx")
    );
    assert_eq!(
        w.get(&clients[2], &xlsx).await.status,
        StatusCode::FORBIDDEN
    );
    // The same period twice is refused.
    let r = w.post_multipart(a, &report, june, None, true).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("已审核通过"), "{}", r.body);
}

#[tokio::test]
async fn the_demo_tracks_a_year_of_projects() {
    use planwatch_core::projects::{ProjectClass::*, ProjectWarning};
    let w = World::default().await;
    let p = w.demo.plan_id;
    let ledger = w.store.project_ledger(p, 2024, 12).await.unwrap();
    let classes: Vec<_> = ledger.iter().take(6).map(|r| r.assessment.class).collect();
    // demo_projects.rs: 100%, 85%, 60%, no start, finished in September, 106.7%.
    assert_eq!(
        classes,
        [
            Normal,
            Lagging,
            SeverelyLagging,
            NotStarted,
            Completed,
            Normal
        ]
    );
    assert_eq!(ledger[1].assessment.year_to_date, 10200.0);
    assert!(
        ledger[3]
            .assessment
            .warnings
            .contains(&ProjectWarning::StartOverdue)
    );
    assert!(
        ledger[4]
            .assessment
            .reason
            .contains("早于计划竣工日期2024年12月31日")
    );
    // The planner's ledger page and the 调度表 of the demo.
    let planner = w.client("planner").await;
    let page = w
        .get(&planner, &format!("/plans/{p}/projects?year=2024&month=12"))
        .await
        .body;
    assert!(page.contains("2024年12月：共"), "{page}");
    assert!(page.contains("滞后1个、严重滞后1个"), "{page}");
    // The report form is headed and proposes the month after the last report: 2025年1月
    // for a project reported through 2024年12月, 2024年10月 for one finished in September.
    for (row, year, month) in [(&ledger[0], 2025, 1), (&ledger[4], 2024, 10)] {
        let page = w
            .get(&planner, &format!("/plans/{p}/projects/{}", row.project.id))
            .await
            .body;
        assert!(page.contains("报送本期进展"), "{page}");
        assert!(
            page.contains(&format!("name=\"year\" value=\"{year}\"")),
            "{page}"
        );
        assert!(
            page.contains(&format!("<option value=\"{month}\" selected>")),
            "{page}"
        );
    }
    let xlsx = w
        .get(
            &planner,
            &format!("/plans/{p}/projects/dispatch.xlsx?year=2024&month=12"),
        )
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
}

#[tokio::test]
async fn the_project_ledger_shows_fifty_rows_a_page_with_the_totals_of_all() {
    use planwatch_store::ProjectDetails;
    let w = World::default().await;
    let p = w.demo.plan_id;
    let before = w.store.project_ledger(p, 2024, 12).await.unwrap().len();
    for n in 1..=60 {
        let details = ProjectDetails {
            name: format!("分页测试项目{n:02}"),
            total_investment: Some(100.0),
            ..ProjectDetails::default()
        };
        w.store.add_project(p, &details, "测试").await.unwrap();
    }
    let total = before + 60;
    let planner = w.client("planner").await;
    let first = w
        .get(&planner, &format!("/plans/{p}/projects?year=2024&month=12"))
        .await
        .body;
    let pages = total.div_ceil(50);
    assert!(
        first.contains(&format!("2024年12月：共{total}个项目")),
        "{first}"
    );
    assert!(
        first.contains(&format!("第 1/{pages} 页（第 1—50 项，共 {total} 项）")),
        "{first}"
    );
    assert_eq!(first.matches("<td><a href=\"/plans/").count(), 50);
    assert!(!first.contains("分页测试项目60"));
    assert!(
        first.contains("?year=2024&#38;month=12&#38;page=2"),
        "{first}"
    );
    let last = w
        .get(
            &planner,
            &format!("/plans/{p}/projects?year=2024&month=12&page={pages}"),
        )
        .await
        .body;
    assert!(last.contains("分页测试项目60"));
    // The totals and roll-ups stay those of the whole list on every page.
    assert!(
        last.contains(&format!("2024年12月：共{total}个项目")),
        "{last}"
    );
    let r = w
        .get(&planner, &format!("/plans/{p}/projects?page=0"))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("页码应为正整数"));
}

/// A project bank workbook: a title row, the header, then `rows` of
/// (name, field, unit, total investment in 亿元, planned investment this year).
fn project_bank(rows: &[(&str, &str, &str, &str, &str)]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("项目库").unwrap();
    ws.write_string(0, 0, "青溪县2025年重点项目库").unwrap();
    let header = [
        "项目名称",
        "项目类别",
        "责任单位",
        "总投资（亿元）",
        "年度计划投资",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (r, cells) in rows.iter().enumerate() {
        let row = r as u32 + 2;
        for (c, v) in [cells.0, cells.1, cells.2, cells.3, cells.4]
            .iter()
            .enumerate()
        {
            match v.parse::<f64>() {
                Ok(x) => ws.write_number(row, c as u16, x).unwrap(),
                Err(_) => ws.write_string(row, c as u16, *v).unwrap(),
            };
        }
    }
    book.save_to_buffer().unwrap()
}

/// The id of the upload a preview page keeps waiting.
fn pending_of(body: &str) -> String {
    let at = body
        .find("name=\"pending\" value=\"")
        .expect("a pending upload")
        + 22;
    body[at..].chars().take_while(|c| *c != '"').collect()
}

#[tokio::test]
async fn the_office_imports_its_project_bank_from_the_web() {
    let w = World::default().await;
    let p = w.demo.plan_id;
    let url = format!("/plans/{p}/projects/import");
    let good = project_bank(&[
        (
            "青溪河滨生态廊道工程",
            "生态",
            "县生态环境局",
            "1.2",
            "3000",
        ),
        (
            "青溪智能制造产业园标准厂房",
            "产业",
            "县工信局",
            "2.5",
            "8000",
        ),
        ("青溪县第三中学新建工程", "民生", "县教育局", "0.8", "2000"),
    ]);
    let editor = w.client("editor-a").await;
    let planner = w.client("planner").await;
    let count = |w: &World| {
        let store = w.store.clone();
        async move { store.projects_of(p).await.unwrap().len() }
    };
    let before = count(&w).await;
    let audit = w.audit().await;
    // An editor may neither see the form nor upload; the ledger offers it to planners.
    assert_eq!(w.get(&editor, &url).await.status, StatusCode::FORBIDDEN);
    let file = Some(("file", "项目库.xlsx", good.as_slice()));
    let r = w
        .post_multipart(&editor, &url, &[("year", "2025")], file, true)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let ledger = format!("/plans/{p}/projects?year=2024&month=12");
    assert!(
        !w.get(&editor, &ledger)
            .await
            .body
            .contains("id=\"import-link\"")
    );
    assert!(
        w.get(&planner, &ledger)
            .await
            .body
            .contains("id=\"import-link\"")
    );
    assert_eq!(w.get(&planner, &url).await.status, StatusCode::OK);
    // The preview proposes the mapping and says what each row would do.
    let r = w
        .post_multipart(&planner, &url, &[("year", "2025")], file, true)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("value=\"total_investment\" selected"),
        "{}",
        r.body
    );
    assert!(r.body.contains("共3个项目"), "{}", r.body);
    // The plan lists 县第三中学新建项目: that row updates it, the others are new.
    assert!(
        r.body.contains("更新已有项目“县第三中学新建项目”"),
        "{}",
        r.body
    );
    assert!(r.body.contains("确认导入3个项目"), "{}", r.body);
    assert_eq!((count(&w).await, w.audit().await), (before, audit));
    // Committing with the name column unmapped is refused and stores nothing.
    let pending = pending_of(&r.body);
    let commit = format!("{url}/commit");
    let r = w
        .post_multipart(
            &planner,
            &commit,
            &[("pending", &pending), ("year", "2025"), ("col0", "")],
            None,
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("没有一列对应“项目名称”"), "{}", r.body);
    assert!(
        r.body.contains("id=\"import-projects\""),
        "the form is kept"
    );
    assert_eq!((count(&w).await, w.audit().await), (before, audit));
    // Uploaded again and confirmed: two new projects, one updated, three year plans.
    let r = w
        .post_multipart(&planner, &url, &[("year", "2025")], file, true)
        .await;
    let pending = pending_of(&r.body);
    let r = w
        .post_multipart(
            &planner,
            &commit,
            &[("pending", &pending), ("year", "2025")],
            None,
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("新增项目2个，更新已有项目1个，年度计划3条"),
        "{}",
        r.body
    );
    assert_eq!(count(&w).await, before + 2);
    assert!(w.audit().await > audit);
    let stored = w.store.projects_of(p).await.unwrap();
    let park = stored
        .iter()
        .find(|x| x.name == "青溪智能制造产业园标准厂房")
        .unwrap();
    assert_eq!(planwatch_store::projects::total_wan(park), Some(25000.0));
}

#[tokio::test]
async fn a_bad_project_bank_changes_nothing_and_names_the_cell() {
    let w = World::default().await;
    let p = w.demo.plan_id;
    let url = format!("/plans/{p}/projects/import");
    let bad = project_bank(&[
        (
            "青溪河滨生态廊道工程",
            "生态",
            "县生态环境局",
            "1.2",
            "3000",
        ),
        (
            "青溪县第三中学新建工程",
            "民生",
            "县教育局",
            "约八千万",
            "2000",
        ),
    ]);
    let planner = w.client("planner").await;
    let before = w.store.projects_of(p).await.unwrap().len();
    let audit = w.audit().await;
    let file = Some(("file", "项目库.xlsx", bad.as_slice()));
    let r = w
        .post_multipart(&planner, &url, &[("year", "2025")], file, true)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("工作表“项目库”第4行，D列（总投资（亿元））：“约八千万”不是数字"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("id=\"import-projects\""),
        "the form is kept"
    );
    assert!(
        !r.body.contains("id=\"commit-projects\""),
        "no commit offered"
    );
    // A bad year is named as well.
    let r = w
        .post_multipart(&planner, &url, &[("year", "二〇二五")], file, true)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("计划年度应为四位数年份"), "{}", r.body);
    assert_eq!(w.store.projects_of(p).await.unwrap().len(), before);
    assert_eq!(w.audit().await, audit);
}

#[tokio::test]
async fn the_planner_reviews_duplicate_projects_by_role() {
    use planwatch_store::ProjectDetails;
    let w = World::default().await;
    let d = &w.demo;
    let p = d.plan_id;
    let base = w.store.duplicate_projects(p).await.unwrap().len();
    let extracted = w.store.projects_of(p).await.unwrap();
    let (first, second) = (&extracted[0], &extracted[1]);
    // The office adds two projects the plan text already lists.
    let add = |name: String| {
        let store = w.store.clone();
        async move {
            let details = ProjectDetails {
                name,
                total_investment: Some(5000.0),
                ..ProjectDetails::default()
            };
            store.add_project(p, &details, "测试").await.unwrap()
        }
    };
    let copy = add(first.name.clone()).await;
    let again = add(format!("{}项目", second.name)).await;
    assert_eq!(w.store.duplicate_projects(p).await.unwrap().len(), base + 2);
    let url = format!("/plans/{p}/projects/duplicates");
    let pair = |keep: &planwatch_store::ProjectRow, other: &planwatch_store::ProjectRow| {
        vec![
            ("keep", keep.id.to_string()),
            ("keep_version", keep.version.to_string()),
            ("other", other.id.to_string()),
            ("other_version", other.version.to_string()),
        ]
    };
    let mut others = Vec::new();
    for role in ["viewer", "editor-a", "planner-other"] {
        others.push((role, w.client(role).await));
    }
    let planner = w.client("planner").await;
    let audit = w.audit().await;
    for (role, c) in &others {
        assert_eq!(w.get(c, &url).await.status, StatusCode::FORBIDDEN, "{role}");
        let form = pair(first, &copy);
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = w.post(c, &format!("{url}/merge"), &form).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role}");
    }
    assert_eq!(w.audit().await, audit);
    let body = w.get(&planner, &url).await.body;
    assert!(
        body.contains(&copy.name) && body.contains("手工添加"),
        "{body}"
    );
    assert!(
        body.contains(&format!("规划文本（原文第{}行）", first.line)),
        "{body}"
    );
    // Without the CSRF token nothing happens.
    let form = pair(first, &copy);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = w.post_raw(&planner, &format!("{url}/merge"), &form).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(w.audit().await, audit);
    // 合并: the copy goes into the extracted project, on the record.
    let r = w.post(&planner, &format!("{url}/merge"), &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), url);
    let merged = w.store.project(copy.id).await.unwrap();
    assert_eq!(merged.merged_into, Some(first.id));
    assert!(w.audit().await > audit);
    // 不是同一项目: the pair is not proposed again.
    let form = pair(second, &again);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = w.post(&planner, &format!("{url}/distinct"), &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(w.store.duplicate_projects(p).await.unwrap().len(), base);
    assert!(!w.get(&planner, &url).await.body.contains(&again.name));
    assert!(
        w.store
            .project(again.id)
            .await
            .unwrap()
            .merged_into
            .is_none()
    );
    // A project of another plan is not found through this plan.
    let copy_id = copy.id.to_string();
    let form = [("keep", "999999"), ("other", copy_id.as_str())];
    let r = w.post(&planner, &format!("{url}/distinct"), &form).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_planner_sets_year_plans_and_the_cadence_from_the_web() {
    use planwatch_core::projects::Cadence;
    let w = World::default().await;
    let p = w.demo.plan_id;
    let project = w.store.projects_of(p).await.unwrap().remove(0);
    let page = format!("/plans/{p}/projects/{}", project.id);
    let url = format!("{page}/year");
    let good = [
        ("year", "2026"),
        ("planned_investment", "8000"),
        ("planned_start", "2026-03-01"),
        ("milestones", "主体完工"),
        ("version", ""),
        ("version_year", "2026"),
    ];
    let mut others = Vec::new();
    for role in ["viewer", "editor-a", "planner-other"] {
        others.push((role, w.client(role).await));
    }
    let planner = w.client("planner").await;
    let audit = w.audit().await;
    for (role, c) in &others {
        assert_eq!(
            w.post(c, &url, &good).await.status,
            StatusCode::FORBIDDEN,
            "{role}"
        );
        let body = w.get(c, &page).await.body;
        assert!(!body.contains("id=\"year-plan\""), "{role}");
    }
    assert_eq!(w.audit().await, audit);
    assert!(
        w.get(&planner, &page)
            .await
            .body
            .contains("id=\"year-plan\"")
    );
    // Each bad field is named beside itself; the values typed stay.
    let bad = [
        ("year", "2026"),
        ("planned_investment", "八千"),
        ("planned_start", "2026-13-01"),
        ("version_year", "2026"),
    ];
    let r = w.post(&planner, &url, &bad).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("id=\"error-planned_investment\">年度计划投资应为数字"),
        "{}",
        r.body
    );
    assert!(r.body.contains("id=\"error-planned_start\""), "{}", r.body);
    assert!(r.body.contains("value=\"八千\""), "{}", r.body);
    let reversed = [
        ("year", "2026"),
        ("planned_start", "2026-05-01"),
        ("planned_finish", "2026-03-01"),
    ];
    let r = w.post(&planner, &url, &reversed).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("id=\"error-planned_finish\">计划竣工日期早于计划开工日期"),
        "{}",
        r.body
    );
    assert_eq!(w.audit().await, audit);
    // Set, then a second form that never saw it is refused beside the year.
    let r = w.post(&planner, &url, &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stored = |w: &World| {
        let store = w.store.clone();
        async move {
            store
                .project_years(project.id)
                .await
                .unwrap()
                .into_iter()
                .find(|y| y.year == 2026)
                .unwrap()
        }
    };
    let y = stored(&w).await;
    assert_eq!(y.planned_investment, Some(8000.0));
    assert_eq!(y.milestones.as_deref(), Some("主体完工"));
    let r = w.post(&planner, &url, &good).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("id=\"error-year\">2026年的年度计划已有或已被他人修改"),
        "{}",
        r.body
    );
    // Edited from its own form (its version), it changes.
    let form = w
        .get(&planner, &format!("{page}?plan_year=2026"))
        .await
        .body;
    assert!(form.contains("value=\"8000\""), "{form}");
    let version = y.version.to_string();
    let edit = [
        ("year", "2026"),
        ("planned_investment", "9500"),
        ("version", version.as_str()),
        ("version_year", "2026"),
    ];
    let r = w.post(&planner, &url, &edit).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(stored(&w).await.planned_investment, Some(9500.0));
    // The cadence: planners only, checked, then the ledger reads quarters.
    let cadence = format!("/plans/{p}/projects/cadence");
    let v = w
        .store
        .project_tracking(p)
        .await
        .unwrap()
        .version
        .to_string();
    let editor = w.client("editor-a").await;
    let quarter = [("cadence", "quarter"), ("version", v.as_str())];
    assert_eq!(
        w.post(&editor, &cadence, &quarter).await.status,
        StatusCode::FORBIDDEN
    );
    let r = w
        .post(&planner, &cadence, &[("cadence", "week"), ("version", &v)])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("请选择报送周期"), "{}", r.body);
    let r = w.post(&planner, &cadence, &quarter).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        w.store.project_tracking(p).await.unwrap().cadence,
        Cadence::Quarter
    );
    let ledger = w
        .get(&planner, &format!("/plans/{p}/projects?year=2024&month=12"))
        .await
        .body;
    assert!(ledger.contains("2024年第四季度：共"), "{ledger}");
}

#[tokio::test]
async fn a_revised_plan_takes_the_project_tracking_and_the_old_ledger_says_so() {
    let w = World::default().await;
    let p = w.demo.plan_id;
    let mut bytes = include_bytes!("../../../samples/qingxi-plan.txt").to_vec();
    bytes.extend_from_slice("\n(修订稿)\n".as_bytes());
    let (plan, text) = planwatch_parse::parse_bytes_with_text(&bytes, "qingxi-v2.txt").unwrap();
    let out = w
        .store
        .ingest_document(&plan, &text, Some("439901"), "测试")
        .await
        .unwrap();
    assert_eq!(out.supersedes, Some(p));
    let planner = w.client("planner").await;
    let new = w
        .get(
            &planner,
            &format!("/plans/{}/projects?year=2024&month=12", out.document_id),
        )
        .await
        .body;
    assert!(new.contains("滞后1个、严重滞后1个"), "{new}");
    let old = w
        .get(&planner, &format!("/plans/{p}/projects?year=2024&month=12"))
        .await
        .body;
    assert!(
        old.contains(&format!(
            "id=\"superseded\">本规划已有新版本，重点项目的年度计划、报送和责任单位已转到<a href=\"/plans/{}/projects\">",
            out.document_id
        )),
        "{old}"
    );
    assert!(old.contains("共0个项目"), "{old}");
}

/// The search page: hits marked and linked to their line, text from the document
/// escaped, nothing from a region the viewer has no grant for, errors in Chinese.
#[tokio::test]
async fn search_page_marks_escapes_and_respects_grants() {
    let w = World::default().await;
    let p = w.demo.plan_id;
    let text = w.store.document_text(p).await.unwrap().unwrap();
    let hostile = text.replacen(
        "第六章 全面推进乡村振兴",
        "第六章 全面推进乡村振兴<img src=x onerror=alert(1)>",
        1,
    );
    w.store
        .set_document_text(p, &hostile, "测试")
        .await
        .unwrap();
    let path = format!("/search?q={}", common::enc("乡村振兴"));

    let viewer = w.client("viewer").await;
    let r = w.get(&viewer, &path).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<mark>乡村振兴</mark>"), "{}", r.body);
    assert!(
        r.body
            .contains(&format!("href=\"/plans/{p}/outline#L285\"")),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("全面推进<mark>乡村振兴</mark>&#60;img src=x onerror=alert(1)&#62;"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("<img"));

    for role in ["planner-other", "anonymous"] {
        let r = w.get(&w.client(role).await, &path).await;
        assert_eq!(r.status, StatusCode::OK, "{role}");
        assert!(r.body.contains("没有找到含“乡村振兴”的原文行"), "{role}");
        assert!(!r.body.contains("<mark>"), "{role}");
    }

    let r = w.get(&viewer, "/search").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("action=\"/search\""));
    let r = w.get(&viewer, "/search?q=5G&year=abc").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("年份应为四位数年份"), "{}", r.body);
    let r = w
        .get(
            &viewer,
            &format!("/search?q={}", common::enc("\" OR 1=1 --")),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("没有找到"));
}

/// The rows of the dashboard's status table: (name, attribute, latest, category).
fn status_rows(page: &str) -> Vec<Vec<String>> {
    let table = page
        .split("id=\"status-table\"")
        .nth(1)
        .expect("status table")
        .split("</table>")
        .next()
        .unwrap();
    table
        .split("<tr>")
        .skip(2)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    // Past the cell's own tag (`<td data-label="领域">`).
                    let cell = cell.split_once('>').map_or("", |(_, rest)| rest);
                    let mut text = String::new();
                    let mut in_tag = false;
                    for ch in cell.chars() {
                        match ch {
                            '<' => in_tag = true,
                            '>' => in_tag = false,
                            c if !in_tag => text.push(c),
                            _ => {}
                        }
                    }
                    text.trim().to_string()
                })
                .collect()
        })
        .collect()
}

/// The dashboard's status table has one row per main indicator, agrees with the
/// evaluation, filters and sorts, and judges the plan in a year asked for.
#[tokio::test]
async fn the_status_table_filters_and_judges_a_chosen_year() {
    let w = World::default().await;
    let p = w.demo.plan_id;
    let c = w.client("viewer").await;
    let eval = w.store.plan_status(p, None, None).await.unwrap();
    let main: Vec<_> = eval.main().collect();

    let all = status_rows(&w.get(&c, &format!("/plans/{p}")).await.body);
    assert_eq!(all.len(), main.len(), "one row per main indicator");
    for (row, (t, e)) in all.iter().zip(&main) {
        assert_eq!(row[0], t.indicator);
        assert_eq!(row[6], e.category.label(), "{}", t.indicator);
    }

    let binding = main.iter().filter(|(t, _)| t.binding).count();
    let page = w
        .get(
            &c,
            &format!("/plans/{p}?attribute=%E7%BA%A6%E6%9D%9F%E6%80%A7"),
        )
        .await
        .body;
    let rows = status_rows(&page);
    assert_eq!(rows.len(), binding);
    assert!(binding > 0 && rows.iter().all(|r| r[2] == "约束性"));

    let warned = main.iter().filter(|(_, e)| e.warning.is_some()).count();
    let rows = status_rows(&w.get(&c, &format!("/plans/{p}?warnings=1")).await.body);
    assert_eq!(rows.len(), warned);
    assert!(rows.iter().all(|r| !r[7].is_empty()));

    // Worst first: the first row's rank is the lowest of all ranked categories.
    let worst = main
        .iter()
        .filter_map(|(_, e)| e.category.rank().map(|r| (r, e.category.label())))
        .min()
        .unwrap();
    let rows = status_rows(&w.get(&c, &format!("/plans/{p}?sort=worst")).await.body);
    assert_eq!(rows[0][6], worst.1);

    // Judged in 2022: the heading says so and no figure later than 2022 is used.
    let page = w.get(&c, &format!("/plans/{p}?year=2022")).await.body;
    assert!(
        page.contains("2022年监测（规划期2021—2025年）："),
        "heading"
    );
    let rows = status_rows(&page);
    assert!(rows.iter().all(|r| !r[4].contains("2023年")), "{rows:?}");
    assert!(rows.iter().any(|r| r[4].contains("2022年")), "{rows:?}");

    for (query, message) in [
        ("year=abc", "评估年份应为四位数年份"),
        ("year=99999", "评估年份"),
        ("category=late", "未知的评价类别"),
        ("sort=drop%20table", "未知的排序方式"),
    ] {
        let r = w.get(&c, &format!("/plans/{p}?{query}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(r.body.contains(message), "{query}");
    }
}

/// A department ledger longer than a page is shown 50 rows at a time, the links
/// keep the filter, and the count is that of the whole filtered ledger.
#[tokio::test]
async fn long_ledgers_are_paged_and_keep_their_filter() {
    let w = World::default().await;
    let mut text = String::from("青溪县分页测试规划纲要\n第一章 加快产业发展\n");
    for i in 1..=80 {
        text.push_str(&format!("{i}．推进第{i}项重点工作，按期完成建设任务。\n"));
    }
    let plan = planwatch_parse::parse_bytes(text.as_bytes(), "many-tasks.txt").unwrap();
    let p = w
        .store
        .ingest_document(&plan, &text, Some(planwatch_server::demo::REGION), "test")
        .await
        .unwrap()
        .document_id;
    let c = w.client("planner").await;
    let shown: Vec<_> = w
        .store
        .tasks_of(p, None)
        .await
        .unwrap()
        .into_iter()
        .filter(|t| !t.rejected && t.merged_into.is_none())
        .collect();
    assert_eq!(shown.len(), 80, "one task per numbered item");
    let first = w.get(&c, &format!("/plans/{p}/tasks")).await.body;
    let rows = |page: &str| {
        page.split("id=\"task-ledger\"")
            .nth(1)
            .unwrap()
            .split("</table>")
            .next()
            .unwrap()
            .matches("<tr>")
            .count()
            - 1
    };
    assert_eq!(rows(&first), 50);
    let pages = shown.len().div_ceil(50);
    assert!(first.contains(&format!("第 1/{pages} 页")), "pager");
    let last = w
        .get(&c, &format!("/plans/{p}/tasks?status=&page={pages}"))
        .await
        .body;
    assert_eq!(rows(&last), shown.len() - (pages - 1) * 50);
    let pager = last.split("class=\"pager\"").nth(1).unwrap();
    assert!(
        pager.contains("href=\"?status=&#38;page=1\""),
        "links keep the filter: {pager}"
    );
    let bad = w.get(&c, &format!("/plans/{p}/tasks?page=0")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("页码应为正整数"));
}

/// Waits for a report job's progress page to stop refreshing and returns it.
async fn finished_report(w: &World, c: &Client, page: &str) -> String {
    for _ in 0..600 {
        let body = w.get(c, page).await.body;
        if !body.contains("http-equiv=\"refresh\"") {
            return body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the report was not built within 30 s");
}

/// 生成报告: the planner asks for the annual report, follows its progress and
/// downloads it as Word and as HTML; nobody else reaches the job; a bad form is named
/// on the form.
#[tokio::test]
async fn reports_are_built_in_the_background_and_downloaded() {
    let w = World::default().await;
    let p = w.demo.plan_id;
    let c = w.client("planner").await;
    let form = w.get(&c, &format!("/plans/{p}/reports")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("中期评估报告") && form.body.contains("2023年"));

    let asked = [("kind", "annual"), ("year", "2023"), ("format", "docx")];
    let r = w.post(&c, &format!("/plans/{p}/reports"), &asked).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = r.location().to_string();
    let done = finished_report(&w, &c, &page).await;
    assert!(
        done.contains("2023年度监测报告") && done.contains("id=\"report-download\""),
        "{done}"
    );
    let file = w.get(&c, &format!("{page}/file")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.body.starts_with("PK\u{3}\u{4}"), "a DOCX package");
    let disposition = file.headers[axum::http::header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap();
    assert!(disposition.contains("filename*=UTF-8''") && disposition.contains("%E5%B9%B4"));

    let asked = [("kind", "midterm"), ("year", "2023"), ("format", "html")];
    let r = w.post(&c, &format!("/plans/{p}/reports"), &asked).await;
    let html_page = r.location().to_string();
    finished_report(&w, &c, &html_page).await;
    let html = w.get(&c, &format!("{html_page}/file")).await.body;
    assert!(html.contains("<html") && html.contains("中期评估报告"));

    // The job is its owner's: another reader of the plan gets a 404, a planner of
    // another region a 403, an anonymous visitor the login page.
    let viewer = w.client("viewer").await;
    assert_eq!(w.get(&viewer, &page).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        w.get(&viewer, &format!("{page}/file")).await.status,
        StatusCode::NOT_FOUND
    );
    let other = w.client("planner-other").await;
    assert_eq!(w.get(&other, &page).await.status, StatusCode::FORBIDDEN);
    let anon = w.client("anonymous").await;
    assert_eq!(w.get(&anon, &page).await.status, StatusCode::SEE_OTHER);

    for (pairs, message) in [
        (vec![("year", "2023"), ("format", "docx")], "请选择报告类型"),
        (
            vec![("kind", "annual"), ("year", "20x3"), ("format", "docx")],
            "评估年份应为四位数年份",
        ),
        (
            vec![("kind", "annual"), ("year", "2023"), ("format", "exe")],
            "请选择文件格式",
        ),
    ] {
        let r = w.post(&c, &format!("/plans/{p}/reports"), &pairs).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{message}");
        assert!(
            r.body.contains(message) && r.body.contains("id=\"report-form\""),
            "{message}"
        );
    }
}

/// A work report has its own page: the year's targets, the past year's figures it
/// states (marked imported or not), and its disagreements with the plan; the plan
/// list names its year.
#[tokio::test]
async fn a_work_report_has_its_own_page() {
    let w = World::default().await;
    let r = w.demo.report_id;
    let c = w.client("planner").await;
    let home = w.get(&c, "/").await.body;
    assert!(home.contains(&format!("<a href=\"/plans/{r}\">2023年政府工作报告</a>")));

    let page = w.get(&c, &format!("/plans/{r}")).await.body;
    assert!(
        page.contains("青溪县2023年政府工作报告"),
        "heading with the year"
    );
    assert!(!page.contains("规划中没有识别到指标") && !page.contains("id=\"status-table\""));
    let section = |id: &str| {
        page.split(&format!("id=\"{id}\""))
            .nth(1)
            .unwrap_or_else(|| panic!("{id}"))
            .split("</table>")
            .next()
            .unwrap()
            .to_string()
    };
    let targets = section("year-targets");
    assert!(targets.contains("地区生产总值增长7%左右") && targets.contains("7%"));
    assert!(
        !targets.contains("430亿元"),
        "the 2025 target is not this year's"
    );
    let figures = section("report-figures");
    let gdp = figures
        .split("<tr>")
        .find(|row| row.contains("<mark>全年实现地区生产总值333.8亿元</mark>"))
        .expect("the 2022 GDP figure");
    assert!(
        gdp.contains("<td>2022</td>") && gdp.contains("已导入"),
        "{gdp}"
    );
    let findings = section("report-findings");
    assert!(findings.contains("政府工作报告为430亿元，规划纲要为410亿元"));
    assert!(
        findings.contains("qingxi-work-report-2023.txt 第18行")
            && findings.contains("qingxi-plan.txt 第88行")
    );
}

/// The demo assigns every task to the department its chapter is about: 加大研发投入力度
/// to 县工信局, nothing to 县生态环境局 that is not about ecology.
#[tokio::test]
async fn the_demo_assigns_tasks_where_an_office_would() {
    let w = World::default().await;
    let d = &w.demo;
    let tasks = w.store.tasks_of(d.plan_id, None).await.unwrap();
    assert!(
        tasks.iter().all(|t| t.lead_department_id.is_some()),
        "every task assigned"
    );
    let rd = tasks.iter().find(|t| t.text == "加大研发投入力度").unwrap();
    assert_eq!(rd.lead_department_id, Some(d.dept_a));
    let culture = tasks.iter().find(|t| t.text.contains("文化事业")).unwrap();
    assert_ne!(
        culture.lead_department_id,
        Some(d.dept_a),
        "culture is not industry"
    );
    for t in tasks
        .iter()
        .filter(|t| t.lead_department_id == Some(d.dept_b))
    {
        let theme = format!("{} {}", t.chapter.as_deref().unwrap_or_default(), t.text);
        assert!(
            ["生态", "绿色", "污染", "环境", "低碳"]
                .iter()
                .any(|w| theme.contains(w)),
            "{theme}"
        );
    }
}

/// Each API token has its own rate: past it, `429` with `Retry-After` and the JSON
/// error; another token and the browser session are not held back.
#[tokio::test]
async fn api_tokens_are_rate_limited_one_by_one() {
    let w = World::new(Config {
        secure_cookies: false,
        api_requests_per_minute: 3,
        ..Config::default()
    })
    .await;
    let p = w.demo.plan_id;
    let token_for = |name: &'static str| {
        let w = &w;
        async move {
            let c = w.client(name).await;
            let r = w.post(&c, "/account/tokens", &[("name", "脚本")]).await;
            r.body.split("id=\"new-token\">").nth(1).unwrap()[..64].to_string()
        }
    };
    let (first, second) = (token_for("viewer").await, token_for("planner").await);
    let get = |t: &str| {
        axum::http::Request::get(format!("/api/v1/plans/{p}"))
            .header("authorization", format!("Bearer {t}"))
            .body(axum::body::Body::empty())
            .unwrap()
    };
    for _ in 0..3 {
        assert_eq!(w.send(get(&first)).await.status, StatusCode::OK);
    }
    let r = w.send(get(&first)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers["retry-after"], "20", "3 a minute: one every 20 s");
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["code"], "rate_limited");
    assert!(v["error"].as_str().unwrap().contains("请20秒后再试"));
    assert_eq!(w.send(get(&second)).await.status, StatusCode::OK);
    let session = w.client("viewer").await;
    for _ in 0..5 {
        let r = w.get(&session, &format!("/api/v1/plans/{p}")).await;
        assert_eq!(r.status, StatusCode::OK, "a browser session is not a token");
    }
}

/// After the plan is uploaded again (a revised text), an editor's landing page lists
/// each of their tasks once: from the current version, not also from the old one.
#[tokio::test]
async fn an_editor_sees_each_task_once_after_a_revision() {
    let w = World::default().await;
    let mut text = include_str!("../../../samples/qingxi-plan.txt").to_string();
    text.push_str("\n(修订稿)\n");
    let plan = planwatch_parse::parse_bytes(text.as_bytes(), "qingxi-plan-revised.txt").unwrap();
    let new = w
        .store
        .ingest_document(&plan, &text, Some(planwatch_server::demo::REGION), "test")
        .await
        .unwrap()
        .document_id;
    let summary = w.store.document_summary(new).await.unwrap();
    assert_eq!(summary.supersedes_id, Some(w.demo.plan_id), "a new version");
    let c = w.client("editor-a").await;
    let home = w.get(&c, "/").await.body;
    let task = w.store.task(w.demo.task_a).await.unwrap();
    let line = format!("任务：{}", task.text);
    assert_eq!(home.matches(&line).count(), 1, "{line}");
    assert!(
        home.contains(&format!("/plans/{new}/tasks/")),
        "from the current version"
    );
}

/// The demo's county sits under 云岭市, whose published plan hands down the quotas: the
/// county's review page lists where its plan falls short, with the line of both plans.
#[tokio::test]
async fn the_county_plan_is_checked_against_the_city_plan() {
    let w = World::default().await;
    let c = w.client("planner").await;
    let review = w
        .get(&c, &format!("/plans/{}/review", w.demo.plan_id))
        .await
        .body;
    let findings = review
        .split("id=\"findings\"")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    let quota = findings
        .split("<tr>")
        .find(|row| row.contains("低于上级规划下达的14%"))
        .expect("the energy quota");
    assert!(
        quota.contains("qingxi-plan.txt 第179行") && quota.contains("yunling-plan.txt 第27行"),
        "{quota}"
    );
    // The city's own review has no plan above it to be checked against.
    let city = w
        .store
        .list_documents()
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.region_name.as_deref() == Some("云岭市"))
        .unwrap();
    let admin = w.client("admin").await;
    let review = w
        .get(&admin, &format!("/plans/{}/review", city.id))
        .await
        .body;
    assert!(!review.contains("上级规划"));
}

/// The city's page shows its plan and its county's side by side, and compares one
/// indicator across them; a planner of another region sees the city's public plan but
/// not the county's; a region that does not exist is a 404.
#[tokio::test]
async fn a_city_page_shows_its_county_side_by_side() {
    let w = World::default().await;
    let admin = w.client("admin").await;
    let city = planwatch_server::demo::CITY_REGION;
    let page = w.get(&admin, &format!("/regions/{city}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let plans = page.body.split("id=\"region-plans\"").nth(1).unwrap();
    assert!(
        plans.contains("云岭市：") && plans.contains("青溪县："),
        "both plans"
    );
    assert!(plans.contains("项主要指标中"), "roll-ups");

    let gdp = "%E5%9C%B0%E5%8C%BA%E7%94%9F%E4%BA%A7%E6%80%BB%E5%80%BC";
    let page = w
        .get(&admin, &format!("/regions/{city}?indicator={gdp}"))
        .await
        .body;
    let table = page
        .split("id=\"comparison\"")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    let county = table.split("<tr>").find(|r| r.contains("青溪县")).unwrap();
    assert!(
        county.contains("286.4亿元（2020年）") && county.contains("356（2023年）"),
        "{county}"
    );
    let city_row = table.split("<tr>").find(|r| r.contains("云岭市")).unwrap();
    assert!(
        city_row.contains("2000亿元（2020年）") && city_row.contains("数据不足"),
        "{city_row}"
    );
    assert!(page.matches("<svg").count() >= 2, "a chart per region");

    let other = w.client("planner-other").await;
    let page = w.get(&other, &format!("/regions/{city}")).await.body;
    assert!(
        page.contains("云岭市：") && !page.contains("青溪县："),
        "grants decide"
    );
    let missing = w.get(&admin, "/regions/999999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let home = w.get(&admin, "/").await.body;
    assert!(home.contains(&format!("href=\"/regions/{city}\"")));
}

/// The project ledger opens on the latest month with approved reports (the demo's year
/// is 2024), not on the current, empty one.
#[tokio::test]
async fn the_project_ledger_opens_on_the_latest_reported_month() {
    let w = World::default().await;
    let c = w.client("planner").await;
    let page = w
        .get(&c, &format!("/plans/{}/projects", w.demo.plan_id))
        .await
        .body;
    let latest = w
        .store
        .approved_project_figures(w.demo.plan_id, 2100)
        .await
        .unwrap()
        .into_iter()
        .map(|f| (f.report.year, f.report.month))
        .max()
        .unwrap();
    assert_eq!(latest.0, 2024);
    let heading = format!("{}年{}月：共", latest.0, latest.1);
    assert!(page.contains(&heading), "{heading}");
}

/// A refusal reads as words, not a status code, and says whom to ask.
#[tokio::test]
async fn a_refusal_says_what_happened_and_whom_to_ask() {
    let w = World::default().await;
    let other = w.client("planner-other").await;
    let r = w.get(&other, &format!("/plans/{}", w.demo.plan_id)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("<h1>无权访问</h1>"), "{}", r.body);
    assert!(r.body.contains("请联系本单位的系统管理员"));
    assert!(!r.body.contains("（403）"));
    let missing = w.get(&other, "/plans/987654").await;
    assert!(missing.body.contains("<h1>找不到页面</h1>"));
}

#[tokio::test]
async fn search_page_offers_the_indicators_and_filters_by_one() {
    let w = World::default().await;
    let rows = w.store.indicators_of(w.demo.plan_id).await.unwrap();
    let first = &rows[0];
    let listed = first.canonical_name.clone().unwrap_or(first.name.clone());
    let admin = w.client("admin").await;
    let path = format!(
        "/search?q={}&indicator={}",
        common::enc(&first.name),
        common::enc(&listed)
    );
    let r = w.get(&admin, &path).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains(&format!("<option value=\"{listed}\" selected>")),
        "{}",
        r.body
    );
    assert!(r.body.contains("id=\"search-hits\""), "{}", r.body);
    let r = w
        .get(&admin, &format!("{path}{}", common::enc("无此指标")))
        .await;
    assert!(r.body.contains("id=\"search-none\""), "{}", r.body);
}

#[tokio::test]
async fn search_results_come_a_page_at_a_time_and_links_keep_the_filters() {
    let w = World::default().await;
    let p = w.demo.plan_id;
    let lines: Vec<String> = (1..=60)
        .map(|i| format!("第{i}条　推进城乡融合发展"))
        .collect();
    w.store
        .set_document_text(p, &lines.join("\n"), "测试")
        .await
        .unwrap();
    let admin = w.client("admin").await;
    let q = common::enc("城乡融合");
    let r = w
        .get(&admin, &format!("/search?q={q}&type=plan_outline"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("原文共 60 行"), "{}", r.body);
    assert!(
        r.body.contains("第 1/2 页（第 1—50 项，共 60 项）"),
        "{}",
        r.body
    );
    let next = format!("href=\"?q={q}&#38;type=plan_outline&#38;page=2\"");
    assert!(r.body.contains(&next), "{}", r.body);
    assert_eq!(r.body.matches("<li class=\"card\">").count(), 50);

    let r = w
        .get(&admin, &format!("/search?q={q}&type=plan_outline&page=2"))
        .await;
    assert!(
        r.body.contains("第 2/2 页（第 51—60 项，共 60 项）"),
        "{}",
        r.body
    );
    assert_eq!(r.body.matches("<li class=\"card\">").count(), 10);
    // Past the end: the last page.
    let r = w.get(&admin, &format!("/search?q={q}&page=9")).await;
    assert!(r.body.contains("第 2/2 页"), "{}", r.body);
    let r = w.get(&admin, &format!("/search?q={q}&page=x")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("页码应为正整数"), "{}", r.body);
}

#[tokio::test]
async fn search_page_includes_old_versions_when_ticked_and_labels_them() {
    let w = World::default().await;
    let p = w.demo.plan_id;
    let docs = w.store.list_documents().await.unwrap();
    let demo = docs.iter().find(|d| d.id == p).unwrap();
    let text = w.store.document_text(p).await.unwrap().unwrap();
    let mut plan = planwatch_parse::parse_bytes(text.as_bytes(), "again.txt").unwrap();
    plan.doc_type = demo.doc_type;
    let region = w.store.list_regions().await.unwrap();
    let code = region
        .iter()
        .find(|r| Some(r.id) == demo.region_id)
        .map(|r| r.code.clone());
    let revised = format!("{text}\n");
    plan.source.sha256 = planwatch_parse::sha256_hex(revised.as_bytes());
    let new = w
        .store
        .ingest_document(&plan, &revised, code.as_deref(), "测试")
        .await
        .unwrap()
        .document_id;
    let docs = w.store.list_documents().await.unwrap();
    assert_eq!(
        docs.iter().find(|d| d.id == new).unwrap().supersedes_id,
        Some(p)
    );
    let admin = w.client("admin").await;
    let q = common::enc("乡村振兴");
    let r = w.get(&admin, &format!("/search?q={q}")).await;
    assert!(
        !r.body.contains(&format!("/plans/{p}/outline#L")),
        "{}",
        r.body
    );
    assert!(!r.body.contains("旧版本</span>"), "{}", r.body);
    let r = w
        .get(&admin, &format!("/search?q={q}&all_versions=true"))
        .await;
    assert!(
        r.body.contains(&format!("/plans/{p}/outline#L")),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("<span class=\"badge\">旧版本</span>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"true\" checked"), "{}", r.body);
}
