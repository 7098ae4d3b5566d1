//! The evaluation report as plain data: what the annual monitoring report, the
//! mid-term and the final evaluation say, built from a plan's evaluation, its tasks,
//! key projects, consistency findings and sources, laid out once as [`blocks::Block`]s
//! ([`blocks()`]). Writers ([`crate::markdown`], [`crate::html`], [`crate::docx`]) only
//! walk the blocks.
//!
//! [`build`] loads everything from the store (the only async step); [`assemble`]
//! is pure, so the same inputs and the same date always give the same report.

mod assemble;
pub mod blocks;
mod load;
pub mod words;

pub use assemble::{assemble, blocks};
pub use load::{ReportInputs, load};
pub use words::ReportKind;

use planwatch_core::eval::rollup::RollUp;
use planwatch_core::eval::{Category, Target};
use planwatch_store::Store;

use crate::charts::{BarChart, LineChart};

/// Where "today" comes from: the system clock, or a fixed date for tests and reproducible reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The system clock, in the machine's time zone (the date its users see).
    System,
    /// A fixed date.
    Fixed(jiff::civil::Date),
}

impl Clock {
    /// Today's date.
    pub fn today(&self) -> jiff::civil::Date {
        match *self {
            Clock::Fixed(d) => d,
            Clock::System => jiff::ZonedDateTime::now().date(),
        }
    }
}

/// Load a stored plan's data and assemble its report.
///
/// `year` is the evaluation year (data up to that year is used).
pub async fn build(
    store: &Store,
    plan_id: i64,
    kind: ReportKind,
    year: i32,
    clock: &Clock,
) -> Result<Report, crate::ReportError> {
    let inputs = load(store, plan_id, year).await?;
    if assemble::period_of(&inputs).is_none() {
        return Err(crate::ReportError::NoPeriod(plan_id));
    }
    let today = clock.today();
    let today = (
        i32::from(today.year()),
        today.month() as u32,
        today.day() as u32,
    );
    Ok(assemble(&inputs, kind, today))
}

/// Section headings, which change with the kind of report.
#[derive(Debug, Clone, PartialEq)]
pub struct Headings {
    /// 一、总体情况 / 总体评价.
    pub overview: String,
    /// 二、主要指标完成情况.
    pub indicators: String,
    /// 三、需要关注的指标.
    pub attention: String,
    /// 四、年度目标衔接情况.
    pub annual: String,
    /// 五、重点任务推进情况.
    pub tasks: String,
    /// 六、重大项目实施情况.
    pub projects: String,
    /// 七、规划衔接与数据一致性.
    pub consistency: String,
    /// 八、下一步工作建议.
    pub outlook: String,
    /// 附件:数据来源.
    pub sources: String,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Kind of report.
    pub kind: ReportKind,
    /// First title line: `青溪县“十四五”规划纲要`.
    pub title: String,
    /// Second title line: `2023年度监测报告`.
    pub subtitle: String,
    /// Who issues it and when: `青溪县发展和改革局 2024年3月15日` style, from the clock.
    pub dateline: String,
    /// Region.
    pub region: String,
    /// Evaluation year (data up to this year).
    pub year: i32,
    /// Plan period (first year, last year), e.g. (2021, 2025).
    pub period: (i32, i32),
    /// Section headings.
    pub headings: Headings,
    /// Overview paragraphs; the second is the official roll-up sentence.
    pub overview: Vec<String>,
    /// The roll-up sentence alone (`26项主要指标中,…`).
    pub summary_sentence: String,
    /// Counts of the main indicators.
    pub rollup: RollUp,
    /// Counts per plan category.
    pub groups: Vec<RollUp>,
    /// Category counts as a chart.
    pub rollup_chart: BarChart,
    /// Table of the main indicators.
    pub indicators: Vec<IndicatorLine>,
    /// Notes under the indicator table.
    pub indicator_notes: Vec<String>,
    /// Lagging indicators, one paragraph each.
    pub lagging: Vec<IndicatorNote>,
    /// Binding indicators not already among the lagging ones.
    pub binding: Vec<IndicatorNote>,
    /// Annual targets checked against the five-year targets.
    pub annual: Vec<String>,
    /// Task progress.
    pub tasks: TaskProgress,
    /// Key projects.
    pub projects: Projects,
    /// Consistency findings.
    pub findings: Vec<FindingLine>,
    /// Recommendations drawn from the figures.
    pub outlook: Vec<String>,
    /// Sources appendix.
    pub sources: Sources,
    /// How the statuses were computed.
    pub method: Vec<String>,
}

/// One row of the indicator table.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorLine {
    /// Row number.
    pub no: usize,
    /// Plan category (经济发展), shown as a group row when it changes.
    pub group: Option<String>,
    /// Indicator name.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// 约束性 / 预期性.
    pub attribute: String,
    /// Baseline as written.
    pub baseline: String,
    /// Target as written (growth and cumulative targets spelled out).
    pub target: String,
    /// Latest actual with its year.
    pub latest: String,
    /// Completion of the way from baseline to target.
    pub completion: String,
    /// Status label, `（预警）` appended when warned.
    pub status: String,
    /// Status category.
    pub category: Category,
    /// True when warned.
    pub warned: bool,
    /// What the remaining years need.
    pub pace_needed: String,
    /// Source line in the plan.
    pub line: usize,
}

/// A paragraph about one indicator, with its chart.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorNote {
    /// `地区生产总值(预期性,严重滞后)`.
    pub heading: String,
    /// The reason in figures.
    pub text: String,
    /// Baseline → actuals → target chart (None when there is nothing to draw).
    pub chart: Option<LineChart>,
}

/// Task counts of one department or chapter.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskGroup {
    /// Department or chapter.
    pub name: String,
    /// Tasks.
    pub total: usize,
    /// 已完成.
    pub done: usize,
    /// 推进中.
    pub in_progress: usize,
    /// 未开始.
    pub not_started: usize,
    /// 滞后.
    pub delayed: usize,
}

impl TaskGroup {
    /// Done as a share of the total, `—` when empty.
    pub fn done_share(&self) -> String {
        if self.total == 0 {
            "—".into()
        } else {
            words::percent(self.done as f64 / self.total as f64)
        }
    }
}

/// Progress of the plan's tasks.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskProgress {
    /// Summary paragraph.
    pub summary: String,
    /// By lead department (tasks without one under `未明确牵头单位`).
    pub by_department: Vec<TaskGroup>,
    /// By chapter.
    pub by_chapter: Vec<TaskGroup>,
    /// Delayed tasks, one line each.
    pub delayed: Vec<String>,
}

/// One key project.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectLine {
    /// Row number.
    pub no: usize,
    /// Name.
    pub name: String,
    /// Investment as written.
    pub investment: String,
    /// Construction period.
    pub period: String,
    /// Status label.
    pub status: String,
    /// Source line.
    pub line: usize,
}

/// The key-project table.
#[derive(Debug, Clone, PartialEq)]
pub struct Projects {
    /// Summary paragraph.
    pub summary: String,
    /// Rows.
    pub rows: Vec<ProjectLine>,
    /// 重点项目推进情况, when projects are tracked (year plans or reports).
    pub progress: Option<ProjectProgress>,
}

/// How the tracked projects stood at the end of the year.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectProgress {
    /// Summary paragraph with the totals and the classes.
    pub summary: String,
    /// Per field: name, projects, planned, completed (万元), rate, behind.
    pub by_field: Vec<[String; 6]>,
    /// Projects behind schedule or not started, each with its reason.
    pub attention: Vec<String>,
}

/// One consistency finding with both sides.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingLine {
    /// 提示 / 警告 / 错误.
    pub severity: String,
    /// What disagrees.
    pub message: String,
    /// Where the first value is written.
    pub first: String,
    /// Where the second value is written.
    pub second: String,
}

/// A stored document the report draws on.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceDocument {
    /// Title (or the file name).
    pub title: String,
    /// Path as ingested.
    pub path: String,
    /// What it was used for.
    pub role: String,
    /// First 12 hex digits of the file's SHA-256.
    pub sha256: String,
}

/// One statistics release and the figures taken from it.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRelease {
    /// The release as described in the data (`青溪县统计局《2023年…统计公报》`).
    pub name: String,
    /// URL or reference.
    pub url: String,
    /// Release date, or `未注明`.
    pub date: String,
    /// Figures used: `地区生产总值2023年356亿元`.
    pub figures: Vec<String>,
}

/// The appendix of sources.
#[derive(Debug, Clone, PartialEq)]
pub struct Sources {
    /// Documents.
    pub documents: Vec<SourceDocument>,
    /// Where each main indicator is written in the plan: (indicator, `第88行`).
    pub indicator_lines: Vec<(String, String)>,
    /// Statistics releases.
    pub releases: Vec<SourceRelease>,
}

/// The display name of a target's unit.
pub(crate) fn unit_of(t: &Target) -> String {
    t.unit.clone().unwrap_or_default()
}
