//! A responsible unit's period report on a project (本期及累计完成投资, 形象进度, actual
//! start and finish, problems and help needed, evidence) and its review.
//!
//! A report is a submission (`item_kind` `project`) like a task report: same states,
//! same reviewer's decision with its version check, same evidence files, same queue;
//! its figures sit beside it in `project_reports`. Nothing counts until a planner
//! approves it: the ledger reads approved reports only, and approval moves the
//! project's status (计划实施 → 在建 → 已建成) in the same transaction.

use jiff::civil::Date;
use planwatch_core::codes::Code;
use planwatch_core::projects::{Cadence, PeriodReport, month_end, zh_day};
use planwatch_core::validate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use crate::audit::record;
use crate::projects::{bump_project, check_live, project_tx};
use crate::schema::Stored;
use crate::submissions::{insert_evidence, submission_tx};
use crate::{ItemKind, NewEvidence, ProjectRow, Store, StoreError, StoreResult, Submission, time};

/// A period report to submit.
#[derive(Debug, Clone, PartialEq)]
pub struct NewProjectReport {
    /// The project.
    pub project_id: i64,
    /// The reporting unit.
    pub department_id: Option<i64>,
    /// Year of the period.
    pub year: i64,
    /// Last month of the period (a quarter's report: 3, 6, 9 or 12).
    pub month: i64,
    /// 本期完成投资, 万元.
    pub investment: f64,
    /// 累计完成投资 since the start, 万元.
    pub cumulative: Option<f64>,
    /// 形象进度: what was built.
    pub progress: String,
    /// 实际开工日期.
    pub started_on: Option<Date>,
    /// 实际竣工日期.
    pub finished_on: Option<Date>,
    /// 存在问题.
    pub problems: Option<String>,
    /// 需协调事项.
    pub help_needed: Option<String>,
}

/// A stored period report: its submission and its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectReport {
    /// The submission (state, who, when, reviewer's note).
    pub submission: Submission,
    /// The project.
    pub project_id: i64,
    /// Year.
    pub year: i64,
    /// Last month of the period.
    pub month: i64,
    /// 本期完成投资, 万元.
    pub investment: f64,
    /// 累计完成投资, 万元.
    pub cumulative: Option<f64>,
    /// 实际开工日期.
    pub started_on: Option<Date>,
    /// 实际竣工日期.
    pub finished_on: Option<Date>,
    /// 存在问题.
    pub problems: Option<String>,
    /// 需协调事项.
    pub help_needed: Option<String>,
}

impl ProjectReport {
    /// The figures as the class rule reads them.
    pub fn period_report(&self) -> PeriodReport {
        PeriodReport {
            year: i32::try_from(self.year).unwrap_or(i32::MAX),
            month: u8::try_from(self.month).unwrap_or(12),
            investment: self.investment,
            cumulative: self.cumulative,
            started: self.started_on,
            finished: self.finished_on,
        }
    }
}

/// An approved report's figures, for the ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovedFigures {
    /// The project.
    pub project_id: i64,
    /// The figures.
    pub report: PeriodReport,
}

const FIGURES: &str = "r.project_id, r.year, r.month, r.invest_period, r.invest_cumulative, \
     r.started_on, r.finished_on, r.problems, r.help_needed";

fn date_col(r: &AnyRow, name: &str) -> StoreResult<Option<Date>> {
    let t: Option<String> = Stored::read(r, name)?;
    t.map(|t| {
        t.parse()
            .map_err(|_| StoreError::Invalid(format!("报送中的日期“{t}”无法识别")))
    })
    .transpose()
}

fn report_from_row(r: &AnyRow, submission: Submission) -> StoreResult<ProjectReport> {
    Ok(ProjectReport {
        submission,
        project_id: r.try_get("project_id")?,
        year: r.try_get("year")?,
        month: r.try_get("month")?,
        investment: r.try_get("invest_period")?,
        cumulative: Stored::read(r, "invest_cumulative")?,
        started_on: date_col(r, "started_on")?,
        finished_on: date_col(r, "finished_on")?,
        problems: Stored::read(r, "problems")?,
        help_needed: Stored::read(r, "help_needed")?,
    })
}

async fn report_tx(conn: &mut AnyConnection, submission_id: i64) -> StoreResult<ProjectReport> {
    let submission = submission_tx(conn, submission_id).await?;
    let sql = format!("SELECT {FIGURES} FROM project_reports r WHERE r.submission_id = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(submission_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound {
            entity: "project_report",
            id: submission_id,
        })?;
    report_from_row(&row, submission)
}

/// Approved reports of a project before `(year, month)`, oldest first.
async fn approved_before(
    conn: &mut AnyConnection,
    project_id: i64,
    year: i64,
    month: i64,
) -> StoreResult<Vec<PeriodReport>> {
    let sql = format!(
        "SELECT {FIGURES} FROM project_reports r JOIN submissions s ON s.id = r.submission_id \
         WHERE r.project_id = $1 AND s.state = 'approved' AND (r.year < $2 OR (r.year = $2 AND r.month < $3)) \
         ORDER BY r.year, r.month"
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(project_id)
        .bind(year)
        .bind(month)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| Ok(figures_from_row(r)?.report))
        .collect()
}

fn figures_from_row(r: &AnyRow) -> StoreResult<ApprovedFigures> {
    Ok(ApprovedFigures {
        project_id: r.try_get("project_id")?,
        report: PeriodReport {
            year: i32::try_from(r.try_get::<i64, _>("year")?).unwrap_or(i32::MAX),
            month: u8::try_from(r.try_get::<i64, _>("month")?).unwrap_or(12),
            investment: r.try_get("invest_period")?,
            cumulative: Stored::read(r, "invest_cumulative")?,
            started: date_col(r, "started_on")?,
            finished: date_col(r, "finished_on")?,
        },
    })
}

/// A report waiting for review or approved for the same project and period.
async fn open_for_period(
    conn: &mut AnyConnection,
    project_id: i64,
    year: i64,
    month: i64,
    except: Option<i64>,
) -> StoreResult<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT s.state FROM project_reports r JOIN submissions s ON s.id = r.submission_id \
         WHERE r.project_id = $1 AND r.year = $2 AND r.month = $3 AND s.state <> 'returned' \
         AND ($4 IS NULL OR s.id <> $4) LIMIT 1",
    )
    .bind(project_id)
    .bind(year)
    .bind(month)
    .bind(except)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(s,)| s))
}

/// Check a report's figures against the rules and against the approved reports
/// before it. Every message names its field.
fn check_figures(
    new: &NewProjectReport,
    cadence: Cadence,
    earlier: &[PeriodReport],
) -> StoreResult<()> {
    let invalid = StoreError::Invalid;
    let year = validate::year("报送年份", new.year).map_err(invalid)?;
    let month = u8::try_from(new.month)
        .ok()
        .filter(|m| (1..=12).contains(m))
        .ok_or_else(|| StoreError::Invalid(format!("报送月份“{}”不在1—12之间", new.month)))?;
    if !cadence.accepts(month) {
        return Err(StoreError::Invalid(format!(
            "本规划按季度报送，月份应为3、6、9或12，收到{month}"
        )));
    }
    let today = time::today();
    let now = (
        today[..4].parse::<i32>().unwrap_or(i32::MAX),
        today[5..7].parse::<u8>().unwrap_or(12),
    );
    if (year, month) > now {
        return Err(StoreError::Invalid(format!(
            "不能报送尚未开始的时期（{}）",
            cadence.label_of(year, month)
        )));
    }
    let end = month_end(year, month).ok_or_else(|| StoreError::Invalid("报送时期无效".into()))?;
    for (label, v) in [
        ("本期完成投资", Some(new.investment)),
        ("累计完成投资", new.cumulative),
    ] {
        if let Some(v) = v {
            validate::value(label, v, Some("万元")).map_err(invalid)?;
            if v < 0.0 {
                return Err(StoreError::Invalid(format!("{label}不能为负数")));
            }
        }
    }
    for (label, d) in [
        ("实际开工日期", new.started_on),
        ("实际竣工日期", new.finished_on),
    ] {
        if let Some(d) = d {
            validate::year(label, i64::from(d.year())).map_err(invalid)?;
            if d > end {
                return Err(StoreError::Invalid(format!(
                    "{label}{}晚于本期末{}",
                    zh_day(d),
                    zh_day(end)
                )));
            }
        }
    }
    let start = earlier
        .iter()
        .filter_map(|r| r.started)
        .chain(new.started_on)
        .min();
    if let Some(f) = new.finished_on {
        match start {
            None => return Err(StoreError::Invalid("报竣工前须先报实际开工日期".into())),
            Some(s) if f < s => {
                return Err(StoreError::Invalid(format!(
                    "实际竣工日期{}早于实际开工日期{}",
                    zh_day(f),
                    zh_day(s)
                )));
            }
            _ => {}
        }
    }
    if let Some(c) = new.cumulative {
        let year_sum: f64 = earlier
            .iter()
            .filter(|r| i64::from(r.year) == new.year)
            .map(|r| r.investment)
            .sum::<f64>()
            + new.investment;
        if c + 1e-6 < year_sum {
            return Err(StoreError::Invalid(format!(
                "累计完成投资{}小于本年已审核的完成投资与本期之和{}",
                crate::projects::wan_text(c),
                crate::projects::wan_text(year_sum)
            )));
        }
        if let Some(last) = earlier.iter().rev().find_map(|r| r.cumulative)
            && c + 1e-6 < last
        {
            return Err(StoreError::Invalid(format!(
                "累计完成投资{}小于上期已审核的累计{}",
                crate::projects::wan_text(c),
                crate::projects::wan_text(last)
            )));
        }
    }
    Ok(())
}

/// A department reports only on the projects it is the responsible unit of; a
/// report without a department (the planning office's own) may concern any project.
fn check_reporter(project: &ProjectRow, department_id: Option<i64>) -> StoreResult<()> {
    match (department_id, project.department_id) {
        (None, _) => Ok(()),
        (Some(d), Some(owner)) if d == owner => Ok(()),
        (Some(_), Some(_)) => Err(StoreError::Invalid(format!(
            "项目“{}”的责任单位是{}，本单位不能报送",
            project.name,
            project.department.as_deref().unwrap_or("其他单位")
        ))),
        (Some(_), None) => Err(StoreError::Invalid(format!(
            "项目“{}”尚未指定责任单位，请先由规划科指定后再报送",
            project.name
        ))),
    }
}

/// Approve the project report of submission `s` inside the review's transaction:
/// the project's status follows (started → 在建, finished → 已建成).
pub(crate) async fn approve_tx(
    conn: &mut AnyConnection,
    s: &Submission,
    actor: &str,
) -> StoreResult<()> {
    let report = report_tx(conn, s.id).await?;
    let project = project_tx(conn, report.project_id).await?;
    check_live(&project)?;
    if let Some(state) = open_for_period(
        conn,
        report.project_id,
        report.year,
        report.month,
        Some(s.id),
    )
    .await?
        && state == "approved"
    {
        return Err(StoreError::Invalid(format!(
            "项目“{}”{}年{}月的报送已有一份审核通过，不能再通过一份",
            project.name, report.year, report.month
        )));
    }
    let status = if report.finished_on.is_some() {
        "done"
    } else if (report.started_on.is_some() || report.investment > 0.0)
        && project.status == "planned"
    {
        "started"
    } else {
        return Ok(());
    };
    if project.status == status {
        return Ok(());
    }
    let before = bump_project(conn, project.id, project.version, actor).await?;
    sqlx::query("UPDATE projects SET status = $1 WHERE id = $2")
        .bind(status)
        .bind(project.id)
        .execute(&mut *conn)
        .await?;
    let after = project_tx(conn, project.id).await?;
    record(
        conn,
        actor,
        "project",
        Some(project.id),
        "status",
        Some(&json!(before)),
        Some(&json!(after)),
    )
    .await
}

impl Store {
    /// Submit a period report on a project with its evidence, in one transaction.
    pub async fn submit_project_report(
        &self,
        new: &NewProjectReport,
        evidence: &[NewEvidence],
        actor: &str,
    ) -> StoreResult<ProjectReport> {
        let invalid = StoreError::Invalid;
        let progress = validate::text("形象进度", &new.progress, 5000, true).map_err(invalid)?;
        if progress.is_empty() {
            return Err(StoreError::Invalid("形象进度不能为空".into()));
        }
        let text = |label: &str, t: &Option<String>| -> StoreResult<Option<String>> {
            Ok(match t {
                Some(t) => Some(validate::text(label, t, 5000, true).map_err(StoreError::Invalid)?)
                    .filter(|t| !t.is_empty()),
                None => None,
            })
        };
        let problems = text("存在问题", &new.problems)?;
        let help = text("需协调事项", &new.help_needed)?;
        let mut tx = self.write_tx().await?;
        let project = project_tx(&mut tx, new.project_id).await?;
        check_live(&project)?;
        check_reporter(&project, new.department_id)?;
        let cadence = {
            let c: Option<(String,)> =
                sqlx::query_as("SELECT cadence FROM project_tracking WHERE document_id = $1")
                    .bind(project.document_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            c.and_then(|(c,)| Cadence::from_code(&c))
                .unwrap_or_default()
        };
        let earlier = approved_before(&mut tx, new.project_id, new.year, new.month).await?;
        check_figures(new, cadence, &earlier)?;
        if let Some(state) =
            open_for_period(&mut tx, new.project_id, new.year, new.month, None).await?
        {
            let what = if state == "approved" {
                "已审核通过"
            } else {
                "待审核"
            };
            return Err(StoreError::Invalid(format!(
                "项目“{}”{}的报送{what}，不能重复报送",
                project.name,
                cadence.label_of(new.year as i32, new.month as u8)
            )));
        }
        let (sid,): (i64,) = sqlx::query_as(
            "INSERT INTO submissions (document_id, item_kind, item_id, department_id, progress, state, \
             submitted_by, submitted_at) VALUES ($1, $2, $3, $4, $5, 'submitted', $6, $7) RETURNING id",
        )
        .bind(project.document_id)
        .bind(ItemKind::Project.code())
        .bind(project.id)
        .bind(new.department_id)
        .bind(&progress)
        .bind(actor)
        .bind(time::now())
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO project_reports (submission_id, project_id, year, month, invest_period, \
             invest_cumulative, started_on, finished_on, problems, help_needed) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(sid)
        .bind(project.id)
        .bind(new.year)
        .bind(new.month)
        .bind(new.investment)
        .bind(new.cumulative)
        .bind(new.started_on.map(|d| d.to_string()))
        .bind(new.finished_on.map(|d| d.to_string()))
        .bind(&problems)
        .bind(&help)
        .execute(&mut *tx)
        .await?;
        let report = report_tx(&mut tx, sid).await?;
        record(
            &mut tx,
            actor,
            "submission",
            Some(sid),
            "submit",
            None,
            Some(&json!(report)),
        )
        .await?;
        for e in evidence {
            insert_evidence(&mut tx, sid, e, actor).await?;
        }
        tx.commit().await?;
        Ok(report)
    }

    /// One project report by its submission id.
    pub async fn project_report(&self, submission_id: i64) -> StoreResult<ProjectReport> {
        let mut conn = self.pool().acquire().await?;
        report_tx(&mut conn, submission_id).await
    }

    /// Every report on a project, newest period first (returned ones included).
    pub async fn project_reports(&self, project_id: i64) -> StoreResult<Vec<ProjectReport>> {
        let ids: Vec<(i64,)> = sqlx::query_as(
            "SELECT submission_id FROM project_reports WHERE project_id = $1 \
             ORDER BY year DESC, month DESC, submission_id DESC",
        )
        .bind(project_id)
        .fetch_all(self.pool())
        .await?;
        let mut conn = self.pool().acquire().await?;
        let mut out = Vec::with_capacity(ids.len());
        for (id,) in ids {
            out.push(report_tx(&mut conn, id).await?);
        }
        Ok(out)
    }

    /// The figures of the approved reports of a plan's projects up to the end of
    /// `year` (earlier years carry the start dates and the cumulative figures).
    pub async fn approved_project_figures(
        &self,
        document_id: i64,
        year: i64,
    ) -> StoreResult<Vec<ApprovedFigures>> {
        let sql = format!(
            "SELECT {FIGURES} FROM project_reports r JOIN submissions s ON s.id = r.submission_id \
             WHERE s.document_id = $1 AND s.item_kind = 'project' AND s.state = 'approved' AND r.year <= $2 \
             ORDER BY r.project_id, r.year, r.month"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(document_id)
            .bind(year)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(figures_from_row).collect()
    }

    /// The figures of the project reports among `submissions` (for the review queue).
    pub async fn project_reports_for(
        &self,
        submissions: &[Submission],
    ) -> StoreResult<Vec<ProjectReport>> {
        let mut conn = self.pool().acquire().await?;
        let mut out = Vec::new();
        for s in submissions
            .iter()
            .filter(|s| s.item_kind == ItemKind::Project)
        {
            out.push(report_tx(&mut conn, s.id).await?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn report(year: i64, month: i64, investment: f64, cumulative: Option<f64>) -> NewProjectReport {
        NewProjectReport {
            project_id: 1,
            department_id: None,
            year,
            month,
            investment,
            cumulative,
            progress: "主体施工".into(),
            started_on: None,
            finished_on: None,
            problems: None,
            help_needed: None,
        }
    }

    fn refused(new: &NewProjectReport, cadence: Cadence, earlier: &[PeriodReport], part: &str) {
        match check_figures(new, cadence, earlier) {
            Err(StoreError::Invalid(m)) => assert!(m.contains(part), "{m} should say {part}"),
            other => panic!("{new:?}: {other:?}"),
        }
    }

    #[test]
    fn figures_are_checked_against_earlier_reports() {
        let jan = PeriodReport {
            year: 2023,
            month: 1,
            investment: 500.0,
            cumulative: Some(3500.0),
            started: Some(date(2022, 5, 1)),
            finished: None,
        };
        let ok = report(2023, 2, 400.0, Some(3900.0));
        assert!(check_figures(&ok, Cadence::Month, std::slice::from_ref(&jan)).is_ok());
        refused(
            &report(2023, 13, 1.0, None),
            Cadence::Month,
            &[],
            "报送月份",
        );
        refused(&report(2023, 5, 1.0, None), Cadence::Quarter, &[], "按季度");
        refused(
            &report(2100, 12, 1.0, None),
            Cadence::Month,
            &[],
            "尚未开始",
        );
        refused(
            &report(2023, 2, -1.0, None),
            Cadence::Month,
            &[],
            "本期完成投资不能为负数",
        );
        refused(
            &report(2023, 2, 1e20, None),
            Cadence::Month,
            &[],
            "本期完成投资",
        );
        // 500 approved in January + 400 now = 900 > 800 reported as cumulative.
        refused(
            &report(2023, 2, 400.0, Some(800.0)),
            Cadence::Month,
            std::slice::from_ref(&jan),
            "本年已审核",
        );
        // Below January's 3500.
        refused(
            &report(2023, 2, 400.0, Some(3400.0)),
            Cadence::Month,
            std::slice::from_ref(&jan),
            "上期已审核的累计",
        );
        let mut late = report(2023, 2, 1.0, None);
        late.started_on = Some(date(2023, 3, 1));
        refused(
            &late,
            Cadence::Month,
            &[],
            "实际开工日期2023年3月1日晚于本期末2023年2月28日",
        );
        let mut finish = report(2023, 2, 1.0, None);
        finish.finished_on = Some(date(2023, 2, 10));
        refused(&finish, Cadence::Month, &[], "须先报实际开工日期");
        assert!(check_figures(&finish, Cadence::Month, std::slice::from_ref(&jan)).is_ok());
        finish.started_on = Some(date(2023, 2, 20));
        refused(&finish, Cadence::Month, &[], "早于实际开工日期");
    }
}
