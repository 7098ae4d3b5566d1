//! Tasks: the actionable items of a plan's outline, decomposed to departments
//! (牵头单位, 配合单位) and years, with their progress.

use std::collections::HashMap;

use planwatch_core::plan::{HeadingKind, OutlineNode, Plan, is_glossary_title};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use crate::audit::record;
use crate::batch::{Val, insert_rows};
use crate::directory::department_id_tx;
use crate::items::insert_kind;
use crate::keys::KeyMaker;
use crate::schema::Ctx;
use crate::{Code, Store, StoreError, StoreResult, TaskRow, TaskStatus, time};

/// A task read from a plan, before it is stored (kept as the task's `original_json`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ExtractedTask {
    /// Source line.
    pub line: usize,
    /// Chapter title the task sits in.
    pub chapter: Option<String>,
    /// Task text, without the responsibility note.
    pub text: String,
    /// Lead department named in the text.
    pub lead: Option<String>,
    /// Supporting departments named in the text.
    pub support: Vec<String>,
}

/// How the titles of headings open when the plan reviews the past, describes its
/// situation or states its principles and goals there: what such a heading lists are
/// achievements, circumstances, principles and goals, not tasks.
const CONTEXT_OPENINGS: &[&str] = &[
    "发展基础",
    "发展环境",
    "发展形势",
    "回顾",
    "面临的",
    "指导思想",
    "基本原则",
    "主要目标",
    "发展目标",
    "远景目标",
    "发展定位",
];

/// Words that make a structural heading a review, situation or goals part wherever they
/// stand in its title (2022年工作回顾, 2023年工作总体要求和主要预期目标).
const CONTEXT_WORDS: &[&str] = &["回顾", "总体要求", "预期目标", "发展成就"];

/// Titles of the parts after a work report or plan besides its glossary (附件):
/// explanations, not tasks, at any heading level.
const NOTE_TITLES: &[&str] = &["附件", "附表", "说明"];

/// A 篇/章/节/一、 heading that opens a review, situation or goals part
/// (发展基础和发展环境, “十三五”发展成就, 面临的机遇与挑战, 2022年工作回顾), or a notes
/// heading (名词解释). Lower headings and leads are left alone: 夯实发展基础 in an action
/// chapter is a task.
fn is_context_heading(node: &OutlineNode) -> bool {
    let structural = matches!(
        node.kind,
        HeadingKind::Part | HeadingKind::Chapter | HeadingKind::Section | HeadingKind::Chinese
    );
    let title = node.title.trim_start_matches(['“', '"', ' ']);
    let opens_context = CONTEXT_OPENINGS.iter().any(|w| title.starts_with(w))
        || CONTEXT_WORDS.iter().any(|w| title.contains(w))
        || (title.contains("机遇") && title.contains("挑战"));
    (structural && opens_context) || is_notes(node)
}

/// A notes heading (名词解释, 附件).
fn is_notes(node: &OutlineNode) -> bool {
    is_glossary_title(&node.title) || NOTE_TITLES.contains(&node.title.trim())
}

/// A numbered line that assigns the plan's indicators to departments
/// (创新驱动类指标由县科学技术局牵头): part of the implementation mechanism, not a task.
fn assigns_indicators(title: &str) -> bool {
    title.contains("指标由")
}

/// The actionable items of a plan or work report: leaf headings (一、, (一), 1., (1),
/// run-in leads and —— items, and 节 or 章 headings with no items below them). 篇
/// headings, 专栏 titles and 章/节 with items are structure, not tasks; nothing under a
/// review, situation or goals heading (发展基础, 2022年工作回顾, 总体要求和主要预期目标) or
/// under the notes (名词解释) is a task, nor is a line assigning indicators to departments.
pub fn derive_tasks(plan: &Plan) -> Vec<ExtractedTask> {
    let outline = &plan.outline;
    let mut out = Vec::new();
    let mut chapter: Option<String> = None;
    // Open headings above the current node: (level, is a review or situation heading).
    let mut open: Vec<(u8, bool)> = Vec::new();
    for (i, node) in outline.iter().enumerate() {
        while open.last().is_some_and(|(level, _)| *level >= node.level) {
            open.pop();
        }
        let context = is_context_heading(node);
        let under_context = open.iter().any(|(_, c)| *c);
        // Notes (名词解释) run to the end of the part they close: their numbered items
        // are often set at the notes heading's own level, so they open one level up.
        let opens_at = if is_notes(node) {
            node.level.saturating_sub(1)
        } else {
            node.level
        };
        open.push((opens_at, context));
        if under_context || context {
            if node.kind == HeadingKind::Chapter {
                chapter = None;
            }
            continue;
        }
        // A heading is a leaf when nothing but notes or a review follows below it.
        let is_leaf = outline
            .get(i + 1)
            .is_none_or(|next| next.level <= node.level || is_context_heading(next));
        match node.kind {
            HeadingKind::Part | HeadingKind::Other => continue,
            HeadingKind::Chapter => {
                chapter = Some(format!("{} {}", node.number, node.title).trim().to_string());
                // A chapter without sections or items is one task (第十二章 繁荣发展文化事业).
                if !is_leaf {
                    continue;
                }
            }
            // A 节 with items is structure; a 节 written as paragraphs is one task.
            HeadingKind::Section if !is_leaf => continue,
            _ => {}
        }
        if !is_leaf || node.title.trim().is_empty() || assigns_indicators(&node.title) {
            continue;
        }
        let (text, lead, support) = split_responsibility(&node.title);
        out.push(ExtractedTask {
            line: node.line,
            chapter: chapter.clone(),
            text,
            lead,
            support,
        });
    }
    out
}

/// Split `…(牵头单位:区发改局;配合单位:区财政局、区统计局)` or `…(责任单位:A、B)`
/// off a task text. With 责任单位 the first unit leads and the rest support.
pub fn split_responsibility(text: &str) -> (String, Option<String>, Vec<String>) {
    let labels = ["牵头单位", "责任单位", "配合单位"];
    let Some(start) = labels.iter().filter_map(|l| text.find(l)).min() else {
        return (text.trim().to_string(), None, Vec::new());
    };
    let mut body = text[..start].trim_end();
    body = body.strip_suffix(['(', '(']).unwrap_or(body).trim_end();
    let note = text[start..].trim_end_matches([')', ')', '。', ' ']);
    let mut lead = None;
    let mut support = Vec::new();
    for part in note.split([';', ';', ',', ',']) {
        let part = part.trim();
        let Some((label, units)) = part.split_once([':', ':']) else {
            continue;
        };
        let units: Vec<String> = units
            .split(['、', '/', ' '])
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_string)
            .collect();
        match label.trim() {
            "牵头单位" => lead = units.first().cloned(),
            "配合单位" => support.extend(units),
            "责任单位" => {
                let mut it = units.into_iter();
                lead = it.next();
                support.extend(it);
            }
            _ => {}
        }
    }
    (body.to_string(), lead, support)
}

/// Store the tasks of a plan (through their descriptor) and link their departments.
pub(crate) async fn insert_tasks(
    conn: &mut AnyConnection,
    document_id: i64,
    region_id: Option<i64>,
    plan: &Plan,
    actor: &str,
) -> StoreResult<usize> {
    let tasks = derive_tasks(plan);
    // One lookup (or creation) per department name, not per task.
    let mut departments: HashMap<String, i64> = HashMap::new();
    for t in &tasks {
        for name in t.lead.iter().chain(&t.support) {
            if !departments.contains_key(name) {
                let id = department_id_tx(conn, region_id, name, actor).await?;
                departments.insert(name.clone(), id);
            }
        }
    }
    let ctx = Ctx {
        plan,
        departments: &departments,
    };
    let keys = insert_kind::<TaskRow, _>(conn, document_id, &tasks, &mut KeyMaker::default(), &ctx)
        .await?;
    let support: Vec<(String, i64)> = tasks
        .iter()
        .zip(&keys)
        .flat_map(|(t, key)| {
            t.support
                .iter()
                .filter_map(|name| departments.get(name).map(|id| (key.clone(), *id)))
        })
        .collect();
    if !support.is_empty() {
        let ids: HashMap<String, i64> = sqlx::query_as::<_, (String, i64)>(
            "SELECT item_key, id FROM tasks WHERE document_id = $1",
        )
        .bind(document_id)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect();
        let mut seen = std::collections::HashSet::new();
        let rows = support
            .into_iter()
            .filter_map(|(key, dep)| ids.get(&key).map(|id| (*id, dep)))
            .filter(|pair| seen.insert(*pair))
            .map(|(task, dep)| vec![Val::from(task), Val::from(dep)])
            .collect();
        insert_rows(
            conn,
            "task_departments",
            &["task_id", "department_id"],
            rows,
        )
        .await?;
    }
    Ok(tasks.len())
}

/// Carry assignment, progress and status over from the previous ingest of the same
/// document to tasks with the same key: re-parsing a plan must not lose a year of
/// progress reports.
pub(crate) async fn carry_over(
    conn: &mut AnyConnection,
    document_id: i64,
    previous_id: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE tasks SET \
           lead_department_id = COALESCE((SELECT p.lead_department_id FROM tasks p WHERE p.document_id = $2 AND p.item_key = tasks.item_key), lead_department_id), \
           progress = (SELECT p.progress FROM tasks p WHERE p.document_id = $2 AND p.item_key = tasks.item_key), \
           status = COALESCE((SELECT p.status FROM tasks p WHERE p.document_id = $2 AND p.item_key = tasks.item_key), status) \
         WHERE document_id = $1 AND EXISTS (SELECT 1 FROM tasks p WHERE p.document_id = $2 AND p.item_key = tasks.item_key)",
    )
    .bind(document_id)
    .bind(previous_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO task_departments (task_id, department_id) \
         SELECT t.id, pd.department_id FROM tasks t \
           JOIN tasks p ON p.document_id = $2 AND p.item_key = t.item_key \
           JOIN task_departments pd ON pd.task_id = p.id \
         WHERE t.document_id = $1 \
           AND NOT EXISTS (SELECT 1 FROM task_departments x WHERE x.task_id = t.id AND x.department_id = pd.department_id)",
    )
    .bind(document_id)
    .bind(previous_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The task query: the descriptor's columns and the lead department's name.
fn task_select(condition: &str) -> AssertSqlSafe<String> {
    // Column names come from the descriptor, the condition from this module.
    AssertSqlSafe(format!(
        "SELECT {}, d.name AS lead_department FROM tasks t \
         LEFT JOIN departments d ON d.id = t.lead_department_id WHERE {condition}",
        TaskRow::SCHEMA.select_list("t.")
    ))
}

fn task_from_row(r: &AnyRow, support: Vec<String>) -> StoreResult<TaskRow> {
    Ok(TaskRow {
        lead_department: r.try_get("lead_department")?,
        support_departments: support,
        ..TaskRow::from_row(r)?
    })
}

async fn support_of(conn: &mut AnyConnection, task_id: i64) -> StoreResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT d.name FROM task_departments td JOIN departments d ON d.id = td.department_id \
         WHERE td.task_id = $1 ORDER BY d.name",
    )
    .bind(task_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

pub(crate) async fn task_by_id_tx(
    conn: &mut AnyConnection,
    id: i64,
) -> StoreResult<Option<TaskRow>> {
    let row = sqlx::query(task_select("t.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(r) => {
            let support = support_of(conn, id).await?;
            Ok(Some(task_from_row(&r, support)?))
        }
        None => Ok(None),
    }
}

/// Check the version a caller read against the row, inside the write transaction.
async fn load_for_update(
    conn: &mut AnyConnection,
    id: i64,
    expected_version: i64,
) -> StoreResult<TaskRow> {
    let task = task_by_id_tx(conn, id)
        .await?
        .ok_or(StoreError::NotFound { entity: "task", id })?;
    if task.version != expected_version {
        return Err(StoreError::Conflict {
            entity: "task",
            id,
            expected: expected_version,
            actual: task.version,
        });
    }
    Ok(task)
}

/// Bump the version if it is still the expected one; a concurrent writer that got
/// there first makes this a conflict, never a silent overwrite.
pub(crate) async fn bump_task_version(
    conn: &mut AnyConnection,
    id: i64,
    expected_version: i64,
    actor: &str,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE tasks SET version = version + 1, updated_at = $1, updated_by = $2 \
         WHERE id = $3 AND version = $4",
    )
    .bind(time::now())
    .bind(actor)
    .bind(id)
    .bind(expected_version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        let actual: Option<(i64,)> = sqlx::query_as("SELECT version FROM tasks WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        return Err(match actual {
            Some((actual,)) => StoreError::Conflict {
                entity: "task",
                id,
                expected: expected_version,
                actual,
            },
            None => StoreError::NotFound { entity: "task", id },
        });
    }
    Ok(())
}

impl Store {
    /// Tasks of a document in reading order; with `department_id`, only those the
    /// department leads or supports. Rejected and merged tasks are included, flagged.
    pub async fn tasks_of(
        &self,
        document_id: i64,
        department_id: Option<i64>,
    ) -> StoreResult<Vec<TaskRow>> {
        let mut conn = self.pool().acquire().await?;
        let rows = sqlx::query(task_select(
            "t.document_id = $1 AND ($2 IS NULL OR t.lead_department_id = $2 \
               OR EXISTS (SELECT 1 FROM task_departments x WHERE x.task_id = t.id AND x.department_id = $2)) \
             ORDER BY t.ord, t.id",
        ))
        .bind(document_id)
        .bind(department_id)
        .fetch_all(&mut *conn)
        .await?;
        // Supporting departments of all the document's tasks in one query.
        let pairs: Vec<(i64, String)> = sqlx::query_as(
            "SELECT td.task_id, d.name FROM task_departments td \
             JOIN departments d ON d.id = td.department_id \
             JOIN tasks t ON t.id = td.task_id WHERE t.document_id = $1 ORDER BY d.name",
        )
        .bind(document_id)
        .fetch_all(&mut *conn)
        .await?;
        let mut support: HashMap<i64, Vec<String>> = HashMap::new();
        for (task, name) in pairs {
            support.entry(task).or_default().push(name);
        }
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                task_from_row(r, support.remove(&id).unwrap_or_default())
            })
            .collect()
    }

    /// One task.
    pub async fn task(&self, id: i64) -> StoreResult<TaskRow> {
        let mut conn = self.pool().acquire().await?;
        task_by_id_tx(&mut conn, id)
            .await?
            .ok_or(StoreError::NotFound { entity: "task", id })
    }

    /// Record a progress report. Fails with [`StoreError::Conflict`] if the task changed
    /// since the caller read `expected_version`.
    pub async fn update_task_progress(
        &self,
        id: i64,
        expected_version: i64,
        progress: &str,
        status: TaskStatus,
        actor: &str,
    ) -> StoreResult<TaskRow> {
        let mut tx = self.write_tx().await?;
        let before = load_for_update(&mut tx, id, expected_version).await?;
        bump_task_version(&mut tx, id, expected_version, actor).await?;
        sqlx::query("UPDATE tasks SET progress = $1, status = $2 WHERE id = $3")
            .bind(progress)
            .bind(status.code())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let after = task_by_id_tx(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound { entity: "task", id })?;
        record(
            &mut tx,
            actor,
            "task",
            Some(id),
            "progress",
            Some(&json!(before)),
            Some(&json!(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Assign a task to a lead department and supporting departments (replacing the
    /// previous assignment).
    pub async fn assign_task(
        &self,
        id: i64,
        expected_version: i64,
        lead_department_id: Option<i64>,
        support_department_ids: &[i64],
        actor: &str,
    ) -> StoreResult<TaskRow> {
        let mut tx = self.write_tx().await?;
        let before = load_for_update(&mut tx, id, expected_version).await?;
        bump_task_version(&mut tx, id, expected_version, actor).await?;
        sqlx::query("UPDATE tasks SET lead_department_id = $1 WHERE id = $2")
            .bind(lead_department_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM task_departments WHERE task_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for dep in support_department_ids {
            if Some(*dep) == lead_department_id {
                continue;
            }
            sqlx::query(
                "INSERT INTO task_departments (task_id, department_id) VALUES ($1, $2) \
                 ON CONFLICT (task_id, department_id) DO NOTHING",
            )
            .bind(id)
            .bind(dep)
            .execute(&mut *tx)
            .await?;
        }
        let after = task_by_id_tx(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound { entity: "task", id })?;
        record(
            &mut tx,
            actor,
            "task",
            Some(id),
            "assign",
            Some(&json!(before)),
            Some(&json!(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use planwatch_core::plan::{OutlineNode, Period};

    fn node(line: usize, level: u8, kind: HeadingKind, number: &str, title: &str) -> OutlineNode {
        OutlineNode {
            page: None,
            line,
            level,
            kind,
            number: number.into(),
            title: title.into(),
        }
    }

    #[test]
    fn responsibility_notes() {
        let check = |input: &str, text: &str, lead: Option<&str>, support: &[&str]| {
            let (t, l, s) = split_responsibility(input);
            assert_eq!(t, text, "{input}");
            assert_eq!(l.as_deref(), lead, "{input}");
            assert_eq!(s, support, "{input}");
        };
        check("推进产业园建设", "推进产业园建设", None, &[]);
        check(
            "推进产业园建设(牵头单位:区发改局;配合单位:区财政局、区统计局)",
            "推进产业园建设",
            Some("区发改局"),
            &["区财政局", "区统计局"],
        );
        check(
            "建设智慧城市。(责任单位:区工信局、区数据局)",
            "建设智慧城市。",
            Some("区工信局"),
            &["区数据局"],
        );
        check(
            "整治河道(牵头单位:区水利局)",
            "整治河道",
            Some("区水利局"),
            &[],
        );
    }

    #[test]
    fn tasks_are_leaf_headings_below_chapters() {
        use HeadingKind::*;
        let plan = Plan {
            period: Some(Period {
                start: 2021,
                end: 2025,
            }),
            outline: vec![
                node(1, 1, Chapter, "第一章", "发展基础"),
                node(2, 2, Chinese, "一、", "发展成就"),
                node(3, 3, ParenChinese, "(一)", "经济实力增强"),
                node(5, 1, Chapter, "第二章", "指导思想和主要目标"),
                node(6, 2, Lead, "", "坚持新发展理念。"),
                node(9, 1, Chapter, "第二章", "产业发展"),
                node(10, 2, Chinese, "一、", "做强工业"),
                node(11, 3, Lead, "", "推进园区扩容。"),
                node(
                    12,
                    3,
                    Dash,
                    "",
                    "建设新材料产业园(责任单位:区工信局、区商务局)",
                ),
                node(13, 2, Other, "", "专栏1 重点项目"),
                node(14, 2, Chinese, "二、", "发展服务业"),
                node(15, 2, Chinese, "三、", "夯实发展基础"),
            ],
            ..Plan::default()
        };
        let tasks = derive_tasks(&plan);
        let got: Vec<(usize, &str, Option<&str>)> = tasks
            .iter()
            .map(|t| (t.line, t.text.as_str(), t.chapter.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (11, "推进园区扩容。", Some("第二章 产业发展")),
                (12, "建设新材料产业园", Some("第二章 产业发展")),
                (14, "发展服务业", Some("第二章 产业发展")),
                (15, "夯实发展基础", Some("第二章 产业发展")),
            ]
        );
        assert_eq!(tasks[1].lead.as_deref(), Some("区工信局"));
        assert_eq!(tasks[1].support, vec!["区商务局".to_string()]);
    }

    #[test]
    fn sections_and_chapters_without_items_are_tasks_notes_and_reviews_are_not() {
        use HeadingKind::*;
        let plan = Plan {
            outline: vec![
                node(1, 1, Chinese, "一、", "2022年工作回顾"),
                node(2, 2, ParenChinese, "(一)", "稳住经济大盘有力有效"),
                node(3, 1, Chinese, "二、", "2023年工作总体要求和主要预期目标"),
                node(4, 1, Chinese, "三、", "2023年重点工作"),
                node(5, 2, ParenChinese, "(一)", "聚焦扩大有效需求"),
                node(6, 1, Chinese, "四、", "加强政府自身建设"),
                node(7, 2, Other, "", "名词解释"),
                node(8, 3, Arabic, "1.", "“链长制”:指由县级领导担任产业链链长"),
                node(10, 1, Chapter, "第七章", "构建现代化基础设施体系"),
                node(11, 2, Section, "第一节", "完善综合交通网络"),
                node(12, 3, Lead, "", "加快对外通道建设"),
                node(13, 2, Section, "第二节", "完善能源水利保障体系"),
                node(14, 1, Chapter, "第十二章", "繁荣发展文化事业和文化产业"),
                node(15, 1, Chapter, "第十四章", "健全规划实施机制"),
                node(16, 2, Section, "第三节", "强化目标任务分解落实"),
                node(
                    17,
                    3,
                    Dash,
                    "——",
                    "创新驱动类指标由县科学技术局牵头,县市场监督管理局配合;",
                ),
            ],
            ..Plan::default()
        };
        let got: Vec<usize> = derive_tasks(&plan).iter().map(|t| t.line).collect();
        assert_eq!(got, vec![5, 6, 12, 13, 14]);
    }

    /// The sample work report: the year's work (三、 and 四、) and nothing from the
    /// review of 2022, the year's goals or the notes.
    #[test]
    fn the_sample_work_report_gives_the_year_s_work_only() {
        let text = include_str!("../../../samples/qingxi-work-report-2023.txt");
        let plan = planwatch_parse::parse_bytes(text.as_bytes(), "report.txt").unwrap();
        let tasks = derive_tasks(&plan);
        let lines: Vec<&str> = text.lines().collect();
        let titled = |t: &ExtractedTask| lines[t.line - 1].to_string();
        let start = lines
            .iter()
            .position(|l| l.contains("2023年重点工作"))
            .unwrap()
            + 1;
        let notes = lines.iter().position(|l| l.trim() == "名词解释").unwrap() + 1;
        assert!(tasks.len() >= 8, "{}", tasks.len());
        for t in &tasks {
            assert!(
                t.line > start && t.line < notes,
                "line {}: {}",
                t.line,
                titled(t)
            );
        }
        assert!(tasks.iter().any(|t| t.text.contains("加强政府自身建设")));
    }

    /// The sample plan: every action chapter (第三章 to 第十四章) gives tasks, the
    /// review and goals chapters none, and no line assigning indicators is a task.
    #[test]
    fn every_action_chapter_of_the_sample_plan_gives_tasks() {
        let text = include_str!("../../../samples/qingxi-plan.txt");
        let plan = planwatch_parse::parse_bytes(text.as_bytes(), "plan.txt").unwrap();
        let tasks = derive_tasks(&plan);
        let chapters: std::collections::BTreeSet<&str> = tasks
            .iter()
            .filter_map(|t| t.chapter.as_deref())
            .filter_map(|c| c.split_whitespace().next())
            .collect();
        for n in [
            "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
        ] {
            assert!(
                chapters.contains(format!("第{n}章").as_str()),
                "第{n}章: {chapters:?}"
            );
        }
        assert!(!chapters.contains("第一章") && !chapters.contains("第二章"));
        assert!(tasks.iter().all(|t| !t.text.contains("指标由")));
    }
}
