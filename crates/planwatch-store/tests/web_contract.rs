//! Contract suite of the store's web-facing tables (sessions, API tokens, submissions
//! with evidence, publication, document text), on SQLite always and on PostgreSQL
//! when `PLANWATCH_TEST_PG_URL` is set (each test in its own schema).

use planwatch_store::{
    ItemKind, NewEvidence, NewSubmission, Store, StoreError, SubmissionState, TaskStatus,
};
use sqlx::Connection;

struct Db {
    store: Store,
    name: &'static str,
    _dir: Option<tempfile::TempDir>,
}

async fn backends(test: &str) -> Vec<Db> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let mut out = vec![Db {
        store: Store::open(&url).await.unwrap(),
        name: "sqlite",
        _dir: Some(dir),
    }];
    if let Some(base) = std::env::var("PLANWATCH_TEST_PG_URL")
        .ok()
        .filter(|s| !s.is_empty())
    {
        sqlx::any::install_default_drivers();
        let schema = format!("pwt_web_{test}");
        let mut conn = sqlx::AnyConnection::connect(&base).await.unwrap();
        for sql in [
            format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
            format!("CREATE SCHEMA {schema}"),
        ] {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut conn)
                .await
                .unwrap();
        }
        conn.close().await.ok();
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options[search_path]={schema}");
        out.push(Db {
            store: Store::open(&url).await.unwrap(),
            name: "postgres",
            _dir: None,
        });
    }
    out
}

const SAMPLE: &[u8] = include_bytes!("../../../samples/qingxi-plan.txt");

fn hash(n: u8) -> String {
    format!("{n:02x}").repeat(32)
}

/// The bundled sample plan, ingested; returns its document id.
async fn ingest_sample(s: &Store) -> i64 {
    let plan = planwatch_parse::parse_bytes(SAMPLE, "qingxi-plan.txt").unwrap();
    s.ingest_document(&plan, "", Some("439901"), "测试")
        .await
        .unwrap()
        .document_id
}

fn evidence(name: &str, bytes: &[u8]) -> NewEvidence {
    NewEvidence {
        file_name: name.into(),
        content_type: "text/plain".into(),
        sha256: hash(7),
        bytes: bytes.to_vec(),
    }
}

#[tokio::test]
async fn sessions_live_until_logout_or_expiry() {
    for db in backends("sessions").await {
        let s = &db.store;
        let u = s
            .create_user("li", "李", Some("$argon2id$x"), "planner", "管理员")
            .await
            .unwrap();
        let csrf = "c".repeat(43);
        let session = s
            .create_session(u.id, &hash(1), &csrf, 3600, "web:li")
            .await
            .unwrap();
        let (found, user) = s.session_user(&hash(1)).await.unwrap().unwrap();
        assert_eq!((found.id, user.id), (session.id, u.id), "{}", db.name);
        assert_eq!(found.csrf_token, csrf);
        assert!(s.session_user(&hash(2)).await.unwrap().is_none());
        // An expired session is not found; purge removes it.
        s.create_session(u.id, &hash(3), &csrf, -1, "web:li")
            .await
            .unwrap();
        assert!(s.session_user(&hash(3)).await.unwrap().is_none());
        assert_eq!(s.purge_expired_sessions("系统").await.unwrap(), 1);
        // Bad inputs are refused and change nothing.
        let audit = s.audit_count().await.unwrap();
        assert!(matches!(
            s.create_session(u.id, "short", &csrf, 60, "web:li").await,
            Err(StoreError::Invalid(_))
        ));
        assert!(matches!(
            s.create_session(u.id, &hash(4), "short", 60, "web:li")
                .await,
            Err(StoreError::Invalid(_))
        ));
        assert_eq!(s.audit_count().await.unwrap(), audit);
        assert!(s.delete_session(&hash(1), "web:li").await.unwrap());
        assert!(!s.delete_session(&hash(1), "web:li").await.unwrap());
        assert!(s.session_user(&hash(1)).await.unwrap().is_none());
        let trail = s.audit_for("session", session.id).await.unwrap();
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["login", "logout"], "{}", db.name);
        let all = serde_json::to_string(&s.recent_audit(100).await.unwrap()).unwrap();
        assert!(
            !all.contains(&hash(1)),
            "{}: no hash in the audit log",
            db.name
        );
        assert!(
            !all.contains(&csrf),
            "{}: no CSRF token in the audit log",
            db.name
        );
    }
}

#[tokio::test]
async fn api_tokens_are_revocable() {
    for db in backends("tokens").await {
        let s = &db.store;
        let u = s
            .create_user("zhao", "赵", None, "viewer", "管理员")
            .await
            .unwrap();
        let other = s
            .create_user("qian", "钱", None, "viewer", "管理员")
            .await
            .unwrap();
        let t = s
            .create_api_token(u.id, &hash(9), "统计脚本", "web:zhao")
            .await
            .unwrap();
        let (found, user) = s.api_token_user(&hash(9)).await.unwrap().unwrap();
        assert_eq!((found.id, user.username.as_str()), (t.id, "zhao"));
        assert_eq!(s.api_tokens_of(u.id).await.unwrap(), vec![t.clone()]);
        // Someone else cannot revoke it.
        assert!(matches!(
            s.revoke_api_token(t.id, other.id, 1, "web:qian").await,
            Err(StoreError::NotFound { .. })
        ));
        let revoked = s.revoke_api_token(t.id, u.id, 1, "web:zhao").await.unwrap();
        assert!(revoked.revoked_at.is_some());
        assert!(s.api_token_user(&hash(9)).await.unwrap().is_none());
        assert!(matches!(
            s.revoke_api_token(t.id, u.id, 2, "web:zhao").await,
            Err(StoreError::Conflict { .. })
        ));
        assert!(
            s.create_api_token(u.id, &hash(10), " ", "web:zhao")
                .await
                .is_err()
        );
        assert_eq!(s.user(u.id).await.unwrap().username, "zhao");
        let names: Vec<String> = s
            .list_users()
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.username)
            .collect();
        assert_eq!(names, ["qian", "zhao"], "{}", db.name);
    }
}

/// A token carries its scopes (reading always) and stops at its expiry; an expiry in the
/// past is refused; a token made before scopes existed reads only.
#[tokio::test]
async fn api_tokens_have_scopes_and_an_end() {
    use planwatch_store::TokenScope;
    for db in backends("token_scopes").await {
        let s = &db.store;
        let u = s
            .create_user("bureau", "统计局", None, "viewer", "管理员")
            .await
            .unwrap();
        let read = s
            .create_api_token(u.id, &hash(1), "只读", "管理员")
            .await
            .unwrap();
        assert_eq!(read.scopes, [TokenScope::Read], "{}", db.name);
        assert_eq!(read.expires_at, None);
        let far = "2999-12-31T15:59:59.999Z";
        let import = s
            .create_scoped_api_token(
                u.id,
                &hash(2),
                "推送",
                &[TokenScope::Import],
                Some(far),
                "管理员",
            )
            .await
            .unwrap();
        assert_eq!(import.scopes, [TokenScope::Read, TokenScope::Import]);
        let (found, _) = s.api_token_user(&hash(2)).await.unwrap().unwrap();
        assert_eq!(found.scopes, import.scopes);
        assert_eq!(found.expires_at.as_deref(), Some(far));
        let past = s
            .create_scoped_api_token(
                u.id,
                &hash(3),
                "过期",
                &[],
                Some("2020-01-01T00:00:00.000Z"),
                "管理员",
            )
            .await;
        assert!(matches!(past, Err(StoreError::Invalid(m)) if m.contains("有效期")));
        // A token ending a moment from now stops opening anything once that moment passes.
        let soon = (jiff::Timestamp::now() + jiff::SignedDuration::from_millis(300))
            .strftime("%Y-%m-%dT%H:%M:%S%.3fZ")
            .to_string();
        s.create_scoped_api_token(u.id, &hash(4), "片刻", &[], Some(&soon), "管理员")
            .await
            .unwrap();
        assert!(s.api_token_user(&hash(4)).await.unwrap().is_some());
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        assert!(
            s.api_token_user(&hash(4)).await.unwrap().is_none(),
            "{}",
            db.name
        );
        assert!(s.api_token_user(&hash(1)).await.unwrap().is_some());
    }
}

#[tokio::test]
async fn task_reports_change_nothing_until_approved() {
    for db in backends("task_reports").await {
        let s = &db.store;
        let doc = ingest_sample(s).await;
        let dep = s
            .create_department(None, "县发改局", "管理员")
            .await
            .unwrap();
        let task = s.tasks_of(doc, None).await.unwrap().remove(0);
        let new = NewSubmission {
            item_kind: ItemKind::Task,
            item_id: task.id,
            department_id: Some(dep.id),
            progress: "已完成年度任务的60%".into(),
            task_status: Some(TaskStatus::InProgress),
            year: None,
            value: None,
        };
        let sub = s
            .submit_progress(&new, &[evidence("台账.txt", b"ledger")], "web:dept")
            .await
            .unwrap();
        assert_eq!(sub.state, SubmissionState::Submitted);
        assert_eq!(s.task(task.id).await.unwrap(), task, "{}", db.name);
        let files = s.evidence_of(sub.id).await.unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].size, 6);
        let (_, bytes) = s.evidence_content(files[0].id).await.unwrap();
        assert_eq!(bytes, b"ledger");
        s.attach_evidence(sub.id, &evidence("照片.jpg", b"\xff\xd8\xff"), "web:dept")
            .await
            .unwrap();
        assert_eq!(s.evidence_of(sub.id).await.unwrap().len(), 2);
        assert_eq!(
            s.submissions_of(doc, Some(SubmissionState::Submitted))
                .await
                .unwrap()
                .len(),
            1
        );
        // A stale version is a conflict and changes nothing.
        let audit = s.audit_count().await.unwrap();
        assert!(matches!(
            s.approve_submission(sub.id, 0, None, "web:planner").await,
            Err(StoreError::Conflict { .. })
        ));
        assert_eq!(s.audit_count().await.unwrap(), audit);
        let done = s
            .approve_submission(sub.id, sub.version, Some("同意"), "web:planner")
            .await
            .unwrap();
        assert_eq!(done.state, SubmissionState::Approved);
        assert_eq!(done.reviewed_by.as_deref(), Some("web:planner"));
        let after = s.task(task.id).await.unwrap();
        assert_eq!(after.progress.as_deref(), Some("已完成年度任务的60%"));
        assert_eq!(after.status, TaskStatus::InProgress);
        assert_eq!(after.version, task.version + 1, "{}", db.name);
        // Decided once: no second decision, no more evidence.
        assert!(matches!(
            s.return_submission(sub.id, done.version, "晚了", "web:planner")
                .await,
            Err(StoreError::Invalid(_))
        ));
        assert!(
            s.attach_evidence(sub.id, &evidence("b.txt", b"x"), "web:dept")
                .await
                .is_err()
        );
        let actions: Vec<String> = s
            .audit_for("submission", sub.id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(actions, ["submit", "approve"]);
        let task_trail = s.audit_for("task", task.id).await.unwrap();
        assert_eq!(task_trail.last().unwrap().action, "progress");
    }
}

#[tokio::test]
async fn returned_reports_need_a_reason() {
    for db in backends("returns").await {
        let s = &db.store;
        let doc = ingest_sample(s).await;
        let task = s.tasks_of(doc, None).await.unwrap().remove(1);
        let new = NewSubmission {
            item_kind: ItemKind::Task,
            item_id: task.id,
            department_id: None,
            progress: "推进中".into(),
            task_status: Some(TaskStatus::Done),
            year: None,
            value: None,
        };
        let sub = s.submit_progress(&new, &[], "web:dept").await.unwrap();
        assert!(
            s.return_submission(sub.id, sub.version, " ", "web:planner")
                .await
                .is_err()
        );
        let back = s
            .return_submission(sub.id, sub.version, "请补充证明材料", "web:planner")
            .await
            .unwrap();
        assert_eq!(back.state, SubmissionState::Returned);
        assert_eq!(back.review_note.as_deref(), Some("请补充证明材料"));
        assert_eq!(s.task(task.id).await.unwrap(), task, "{}", db.name);
        // Bad reports are refused before anything is written.
        let audit = s.audit_count().await.unwrap();
        for bad in [
            NewSubmission {
                progress: "  ".into(),
                ..new.clone()
            },
            NewSubmission {
                item_kind: ItemKind::Heading,
                ..new.clone()
            },
            NewSubmission {
                item_id: 999_999,
                ..new.clone()
            },
        ] {
            assert!(s.submit_progress(&bad, &[], "web:dept").await.is_err());
        }
        assert!(
            s.submit_progress(&new, &[evidence("../x", b"a")], "web:dept")
                .await
                .is_err()
        );
        assert!(
            s.submit_progress(&new, &[evidence("a.txt", b"")], "web:dept")
                .await
                .is_err()
        );
        assert_eq!(s.audit_count().await.unwrap(), audit, "{}", db.name);
        assert_eq!(
            s.submissions_for_item(ItemKind::Task, task.id)
                .await
                .unwrap()
                .len(),
            1
        );
    }
}

#[tokio::test]
async fn approved_indicator_values_become_observations() {
    for db in backends("indicator_reports").await {
        let s = &db.store;
        let doc = ingest_sample(s).await;
        let ind = s
            .indicators_of(doc)
            .await
            .unwrap()
            .into_iter()
            .find(|i| i.name.contains("托位"))
            .expect("sample has the 托位 indicator");
        let new = NewSubmission {
            item_kind: ItemKind::Indicator,
            item_id: ind.id,
            department_id: None,
            progress: "2023年新增托位".into(),
            task_status: None,
            year: Some(2023),
            value: Some(2.1),
        };
        assert!(
            s.submit_progress(
                &NewSubmission {
                    value: None,
                    ..new.clone()
                },
                &[],
                "web:dept"
            )
            .await
            .is_err(),
            "a year without a value is refused"
        );
        let before = s.observation_count().await.unwrap();
        let sub = s.submit_progress(&new, &[], "web:dept").await.unwrap();
        assert_eq!(s.observation_count().await.unwrap(), before);
        s.approve_submission(sub.id, sub.version, None, "web:planner")
            .await
            .unwrap();
        assert_eq!(s.observation_count().await.unwrap(), before + 1);
        let obs = s.observations_for("439901").await.unwrap();
        let o = obs.iter().find(|o| o.indicator == ind.name).unwrap();
        assert_eq!((o.year, o.value), (2023, 2.1), "{}", db.name);
        assert_eq!(o.source, "部门报送");
    }
}

#[tokio::test]
async fn ingest_keeps_the_text_in_the_same_transaction() {
    for db in backends("ingest_text").await {
        let s = &db.store;
        let (plan, text) =
            planwatch_parse::parse_bytes_with_text(SAMPLE, "qingxi-plan.txt").unwrap();
        // A refused ingest (blank actor) leaves neither the document nor its text.
        assert!(s.ingest_document(&plan, &text, None, " ").await.is_err());
        assert!(s.list_documents().await.unwrap().is_empty(), "{}", db.name);
        let out = s.ingest_document(&plan, &text, None, "测试").await.unwrap();
        assert_eq!(
            s.document_text(out.document_id).await.unwrap().as_deref(),
            Some(text.as_str()),
            "{}",
            db.name
        );
        assert_eq!(
            s.document_by_sha256(&plan.source.sha256)
                .await
                .unwrap()
                .map(|d| d.id),
            Some(out.document_id)
        );
        // The same file again changes nothing, text included.
        let again = s
            .ingest_document(&plan, "别的文本", None, "测试")
            .await
            .unwrap();
        assert!(again.already_present);
        assert_eq!(
            s.document_text(out.document_id).await.unwrap().as_deref(),
            Some(text.as_str())
        );
    }
}

#[tokio::test]
async fn publication_and_text() {
    for db in backends("publication").await {
        let s = &db.store;
        let doc = ingest_sample(s).await;
        assert!(!s.is_public(doc).await.unwrap());
        s.set_public(doc, true, "web:planner").await.unwrap();
        assert!(s.is_public(doc).await.unwrap());
        assert_eq!(s.public_documents().await.unwrap(), vec![doc]);
        s.set_public(doc, false, "web:planner").await.unwrap();
        assert!(s.public_documents().await.unwrap().is_empty());
        assert!(matches!(
            s.set_public(doc + 100, true, "web:planner").await,
            Err(StoreError::NotFound { .. })
        ));
        assert_eq!(s.document_text(doc).await.unwrap(), None);
        let text = String::from_utf8(SAMPLE.to_vec()).unwrap();
        s.set_document_text(doc, &text, "web:planner")
            .await
            .unwrap();
        s.set_document_text(doc, &text, "web:planner")
            .await
            .unwrap();
        assert_eq!(
            s.document_text(doc).await.unwrap().as_deref(),
            Some(text.as_str())
        );
        let stamp = s.change_stamp().await.unwrap();
        assert_eq!(stamp, s.recent_audit(1).await.unwrap()[0].id);
        assert_eq!(
            s.document_summary(doc).await.unwrap().id,
            doc,
            "{}",
            db.name
        );
        let ind = s.indicators_of(doc).await.unwrap().remove(0);
        assert_eq!(s.indicator(ind.id).await.unwrap(), ind);
        assert!(matches!(
            s.heading(-1).await,
            Err(StoreError::NotFound { .. })
        ));
    }
}

#[tokio::test]
async fn backups_carry_the_web_tables() {
    for db in backends("web_backup").await {
        let s = &db.store;
        let doc = ingest_sample(s).await;
        s.set_public(doc, true, "web:planner").await.unwrap();
        s.set_document_text(doc, "第一行\n第二行", "web:planner")
            .await
            .unwrap();
        let task = s.tasks_of(doc, None).await.unwrap().remove(0);
        let new = NewSubmission {
            item_kind: ItemKind::Task,
            item_id: task.id,
            department_id: None,
            progress: "完成".into(),
            task_status: Some(TaskStatus::Done),
            year: None,
            value: None,
        };
        let sub = s
            .submit_progress(&new, &[evidence("a.bin", &[0, 1, 2, 255])], "web:dept")
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.jsonl");
        s.backup(&path).await.unwrap();
        let url = format!("sqlite://{}", dir.path().join("r.db").display());
        let restored = Store::open(&url).await.unwrap();
        restored.restore(&path).await.unwrap();
        assert!(restored.is_public(doc).await.unwrap(), "{}", db.name);
        assert_eq!(
            restored.document_text(doc).await.unwrap().as_deref(),
            Some("第一行\n第二行")
        );
        let files = restored.evidence_of(sub.id).await.unwrap();
        let (_, bytes) = restored.evidence_content(files[0].id).await.unwrap();
        assert_eq!(bytes, [0, 1, 2, 255]);
    }
}
