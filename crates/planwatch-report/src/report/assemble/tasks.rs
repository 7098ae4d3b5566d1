//! Task progress by lead department and by chapter.

use super::*;

pub(super) const NO_CHAPTER: &str = "未识别章节";

/// The task's chapter: as stored, else the 章 (or 篇) heading above it. Plans whose
/// headings were stripped have neither; their lead sentences are not chapters.
pub(super) fn chapter_of(inp: &ReportInputs, t: &TaskRow) -> String {
    let outline = &inp.plan.outline;
    let structural = outline
        .iter()
        .any(|n| matches!(n.kind, HeadingKind::Chapter | HeadingKind::Part));
    t.chapter
        .clone()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| {
            structural
                .then(|| chapter_for_line(outline, usize::try_from(t.line).unwrap_or(0)))
                .flatten()
        })
        .unwrap_or_else(|| NO_CHAPTER.into())
}

pub(super) fn count(name: String, tasks: &[&TaskRow]) -> TaskGroup {
    let n = |s: TaskStatus| tasks.iter().filter(|t| t.status == s).count();
    TaskGroup {
        name,
        total: tasks.len(),
        done: n(TaskStatus::Done),
        in_progress: n(TaskStatus::InProgress),
        not_started: n(TaskStatus::NotStarted),
        delayed: n(TaskStatus::Delayed),
    }
}

pub(super) const NO_LEAD: &str = "未明确牵头单位";

pub(super) fn task_progress(inp: &ReportInputs) -> TaskProgress {
    let live: Vec<&TaskRow> = inp
        .tasks
        .iter()
        .filter(|t| !t.rejected && t.merged_into.is_none())
        .collect();
    let mut by_dep: BTreeMap<String, Vec<&TaskRow>> = BTreeMap::new();
    for t in &live {
        let dep = t
            .lead_department
            .clone()
            .unwrap_or_else(|| NO_LEAD.to_string());
        by_dep.entry(dep).or_default().push(t);
    }
    let unassigned = by_dep.remove(NO_LEAD);
    let mut by_department: Vec<TaskGroup> =
        by_dep.into_iter().map(|(d, ts)| count(d, &ts)).collect();
    by_department.sort_by(|a, b| b.total.cmp(&a.total).then(a.name.cmp(&b.name)));
    let unassigned_n = unassigned.as_ref().map_or(0, Vec::len);
    if let Some(ts) = unassigned {
        by_department.push(count(NO_LEAD.into(), &ts));
    }
    let mut chapters: Vec<(String, Vec<&TaskRow>)> = Vec::new();
    for t in &live {
        let c = chapter_of(inp, t);
        match chapters.iter_mut().find(|(k, _)| *k == c) {
            Some((_, v)) => v.push(t),
            None => chapters.push((c, vec![t])),
        }
    }
    // One group that says "no chapter" is not a breakdown.
    let by_chapter = if chapters.len() == 1 && chapters[0].0 == NO_CHAPTER {
        Vec::new()
    } else {
        chapters.into_iter().map(|(c, ts)| count(c, &ts)).collect()
    };
    let all = count(String::new(), &live);
    let summary = if live.is_empty() {
        "规划纲要中尚未识别出可分解的重点任务。".to_string()
    } else {
        let parts: Vec<String> = [
            ("已完成", all.done),
            ("推进中", all.in_progress),
            ("未开始", all.not_started),
            ("滞后", all.delayed),
        ]
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(l, n)| format!("{l}{n}项"))
        .collect();
        let assigned = match (all.total - unassigned_n, unassigned_n) {
            (_, 0) => "均已明确牵头单位".to_string(),
            (0, u) => format!("{u}项均尚未明确牵头单位"),
            (a, u) => format!("已明确牵头单位{a}项，尚未明确{u}项"),
        };
        format!(
            "规划纲要分解重点任务{}项，其中{}；{assigned}。",
            all.total,
            parts.join("、")
        )
    };
    let delayed = live
        .iter()
        .filter(|t| t.status == TaskStatus::Delayed)
        .map(|t| {
            let lead = t.lead_department.as_deref().unwrap_or(NO_LEAD);
            let progress = t
                .progress
                .as_deref()
                .map(|p| format!("；进展：{p}"))
                .unwrap_or_default();
            format!("{}（规划第{}行，{lead}{progress}）", t.text, t.line)
        })
        .collect();
    TaskProgress {
        summary,
        by_department,
        by_chapter,
        delayed,
    }
}
