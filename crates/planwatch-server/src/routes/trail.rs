//! The audit trail of an item as people read it: when, who, what changed.

use planwatch_store::Code;
use planwatch_store::{AuditEntry, EvidenceFile, Store, StoreResult, Submission};
use serde_json::Value;

/// One audit row for a page.
pub struct TrailRow {
    /// When (local text of the UTC time).
    pub at: String,
    /// Who.
    pub actor: String,
    /// What, in words.
    pub action: String,
    /// Changed fields: `name: before → after`.
    pub changes: Vec<String>,
}

fn action_label(a: &str) -> String {
    match a {
        "insert" => "创建",
        "update" => "修改",
        "correct" => "更正",
        "reject" => "标记为误识别",
        "assign" => "分配责任单位",
        "progress" => "更新进展",
        "status" => "更新状态",
        "submit" => "提交报送",
        "approve" => "审核通过",
        "return" => "退回",
        "publish" => "公开设置",
        "ingest" => "入库",
        other => other,
    }
    .to_string()
}

fn short(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::String(s) => s.chars().take(60).collect(),
        other => {
            let s = other.to_string();
            s.chars().take(60).collect()
        }
    }
}

/// Fields that differ between before and after (bookkeeping columns left out).
pub fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
    const SKIP: &[&str] = &[
        "version",
        "updated_at",
        "updated_by",
        "original",
        "corrected",
    ];
    let empty = serde_json::Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut out = Vec::new();
    for (k, av) in a {
        if SKIP.contains(&k.as_str()) {
            continue;
        }
        let bv = b.get(k).unwrap_or(&Value::Null);
        if bv != av && !(before.is_none() && av.is_null()) {
            if before.is_some() {
                out.push(format!("{k}:{} → {}", short(bv), short(av)));
            } else {
                out.push(format!("{k}:{}", short(av)));
            }
        }
    }
    out.truncate(12);
    out
}

/// Audit rows of one entity, newest first.
pub async fn trail(store: &Store, entity: &str, id: i64) -> StoreResult<Vec<TrailRow>> {
    let mut rows: Vec<TrailRow> = store
        .audit_for(entity, id)
        .await?
        .into_iter()
        .map(|e: AuditEntry| TrailRow {
            at: e.at.replace('T', " ").chars().take(19).collect(),
            actor: e.actor,
            action: action_label(&e.action),
            changes: changes(e.before.as_ref(), e.after.as_ref()),
        })
        .collect();
    rows.reverse();
    Ok(rows)
}

/// A submission with its evidence, for the pages that list them.
pub struct SubmissionView {
    /// The row.
    pub s: Submission,
    /// Status label.
    pub state: &'static str,
    /// Proposed task status label.
    pub task_status: String,
    /// Evidence files.
    pub evidence: Vec<EvidenceFile>,
    /// Still waiting for a decision.
    pub open: bool,
}

/// The internal record of one task or indicator: its submissions with evidence and its
/// audit rows, for readers with a grant on the plan; nothing for a reader who sees it
/// only because it is public.
pub async fn internal_record(
    store: &Store,
    kind: planwatch_store::ItemKind,
    id: i64,
    internal: bool,
) -> StoreResult<(Vec<SubmissionView>, Vec<TrailRow>)> {
    if !internal {
        return Ok((Vec::new(), Vec::new()));
    }
    let list = store.submissions_for_item(kind, id).await?;
    Ok((
        submission_views(store, list).await?,
        trail(store, kind.code(), id).await?,
    ))
}

/// Wrap submissions with their evidence.
pub async fn submission_views(
    store: &Store,
    list: Vec<Submission>,
) -> StoreResult<Vec<SubmissionView>> {
    let mut out = Vec::new();
    for s in list {
        let evidence = store.evidence_of(s.id).await?;
        out.push(SubmissionView {
            state: s.state.label(),
            task_status: s
                .task_status
                .map(|t| t.label().to_string())
                .unwrap_or_default(),
            open: s.state == planwatch_store::SubmissionState::Submitted,
            evidence,
            s,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changes_list_what_moved() {
        let b = json!({"name": "a", "value": 1, "version": 1});
        let a = json!({"name": "a", "value": 2, "version": 2});
        assert_eq!(changes(Some(&b), Some(&a)), ["value:1 → 2"]);
        assert_eq!(changes(None, Some(&json!({"x": "y", "z": null}))), ["x:y"]);
        assert!(changes(Some(&b), Some(&b)).is_empty());
    }
}
