//! Key projects (重点项目) under tracking: their fields, the reporting cadence of a
//! plan, and the rule that classes a project 正常 / 滞后 / 严重滞后 / 未开工 / 已竣工 with
//! its warnings. Pure: the store hands in a project's annual plan and its approved
//! period reports, [`assess`] hands back the class with the figures behind it.
//!
//! The rule is written down, with worked numbers, in `docs/projects.md`; the golden
//! tests below follow that page case by case. Money is in 万元 throughout (the unit of
//! an office's 调度表); [`to_wan`] converts a plan's 亿元.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::codes::Code;

/// The field of a project: the groups of a 调度表 and of the roll-ups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectField {
    /// 产业 (industry and services).
    Industry,
    /// 基础设施 (transport, energy, water, urban).
    Infrastructure,
    /// 民生 (education, health, culture, housing).
    Livelihood,
    /// 生态 (environment).
    Ecology,
    /// 科技创新.
    Innovation,
    /// 乡村振兴 (agriculture and villages).
    Rural,
    /// 其他.
    Other,
}

crate::codes!(ProjectField {
    Industry => "industry", Infrastructure => "infrastructure", Livelihood => "livelihood",
    Ecology => "ecology", Innovation => "innovation", Rural => "rural", Other => "other",
});

/// Words of a box title or a workbook cell that name a field, most specific first:
/// `新型基础设施` is infrastructure before `产业` could claim it, `生态环境` ecology
/// before `环境` could mean anything else.
const FIELD_WORDS: &[(&str, ProjectField)] = &[
    ("乡村", ProjectField::Rural),
    ("农业", ProjectField::Rural),
    ("农村", ProjectField::Rural),
    ("生态", ProjectField::Ecology),
    ("环保", ProjectField::Ecology),
    ("环境", ProjectField::Ecology),
    ("污染", ProjectField::Ecology),
    ("民生", ProjectField::Livelihood),
    ("社会事业", ProjectField::Livelihood),
    ("教育", ProjectField::Livelihood),
    ("卫生", ProjectField::Livelihood),
    ("医疗", ProjectField::Livelihood),
    ("养老", ProjectField::Livelihood),
    ("文化", ProjectField::Livelihood),
    ("保障", ProjectField::Livelihood),
    ("基础设施", ProjectField::Infrastructure),
    ("交通", ProjectField::Infrastructure),
    ("能源", ProjectField::Infrastructure),
    ("水利", ProjectField::Infrastructure),
    ("城镇", ProjectField::Infrastructure),
    ("市政", ProjectField::Infrastructure),
    ("城市", ProjectField::Infrastructure),
    ("科技", ProjectField::Innovation),
    ("创新", ProjectField::Innovation),
    ("产业", ProjectField::Industry),
    ("工业", ProjectField::Industry),
    ("制造", ProjectField::Industry),
    ("服务业", ProjectField::Industry),
    ("商贸", ProjectField::Industry),
    ("物流", ProjectField::Industry),
    ("旅游", ProjectField::Industry),
    ("文旅", ProjectField::Industry),
];

impl ProjectField {
    /// What people call it (产业).
    pub fn label(self) -> &'static str {
        crate::wording::labels::known(crate::wording::Domain::ProjectField, self.code())
    }

    /// The field a box title or a category names (`专栏7 生态环境保护重点工程` →
    /// 生态), by the first word of [`FIELD_WORDS`] it contains; `None` when none.
    pub fn classify(text: &str) -> Option<ProjectField> {
        // 文旅 must beat 文化: a 文旅康养小镇 is an industry project.
        if text.contains("文旅") {
            return Some(ProjectField::Industry);
        }
        FIELD_WORDS
            .iter()
            .find(|(w, _)| text.contains(w))
            .map(|(_, f)| *f)
    }

    /// A field as typed into a form or a workbook: its code, its label, its label with
    /// 项目/类 (产业项目), or a word [`classify`](Self::classify) knows; `None` otherwise.
    pub fn parse(text: &str) -> Option<ProjectField> {
        let t = text.trim();
        let bare = t
            .trim_end_matches('类')
            .trim_end_matches("项目")
            .trim_end_matches('类');
        Self::ALL
            .iter()
            .copied()
            .find(|f| f.code() == t || f.label() == bare)
            .or_else(|| (t == "其它").then_some(ProjectField::Other))
            .or_else(|| ProjectField::classify(t))
    }

    /// Every field, in the order a 调度表 groups them.
    pub fn all() -> &'static [ProjectField] {
        Self::ALL
    }
}

/// How often the responsible units report on a plan's projects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    /// Every month (the default).
    #[default]
    Month,
    /// Every quarter; a quarter's report is filed under its last month (3, 6, 9, 12).
    Quarter,
}

crate::codes!(Cadence { Month => "month", Quarter => "quarter" });

impl Cadence {
    /// 按月 / 按季度.
    pub fn label(self) -> &'static str {
        crate::wording::labels::known(crate::wording::Domain::Cadence, self.code())
    }

    /// The months a period ends in.
    pub fn months(self) -> &'static [u8] {
        match self {
            Cadence::Month => &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
            Cadence::Quarter => &[3, 6, 9, 12],
        }
    }

    /// Whether a period may end in `month`.
    pub fn accepts(self, month: u8) -> bool {
        self.months().contains(&month)
    }

    /// `2023年6月` or `2023年第二季度`.
    pub fn label_of(self, year: i32, month: u8) -> String {
        match (self, month) {
            (Cadence::Quarter, 3 | 6 | 9 | 12) => {
                let q = ["一", "二", "三", "四"][usize::from(month / 3 - 1)];
                format!("{year}年第{q}季度")
            }
            _ => format!("{year}年{month}月"),
        }
    }

    /// The period after the one ending in `year`-`month`: the next a project reports on.
    pub fn next_after(self, year: i32, month: u8) -> (i32, u8) {
        match self.months().iter().find(|m| **m > month) {
            Some(m) => (year, *m),
            None => (year.saturating_add(1), self.months()[0]),
        }
    }

    /// The period a project reports on next: the one after its latest report, unless that
    /// has not yet ended; with no report, the last period ended by `day`.
    pub fn due_after(self, latest: Option<(i32, u8)>, day: Date) -> (i32, u8) {
        let closed = self.last_closed(day);
        match latest {
            Some((y, m)) => self.next_after(y, m).min(closed),
            None => closed,
        }
    }

    /// The last period that has ended on or before `day`: for a month cadence the
    /// previous month (a month is reported once it is over), for quarters the last
    /// quarter end before it.
    pub fn last_closed(self, day: Date) -> (i32, u8) {
        let (mut year, mut month) = (i32::from(day.year()), day.month() as u8);
        // The period containing `day` is still open.
        loop {
            if month == 1 {
                year -= 1;
                month = 12;
            } else {
                month -= 1;
            }
            if self.accepts(month) {
                return (year, month);
            }
        }
    }
}

/// The class of a project at a period end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectClass {
    /// 正常: building, and the year's investment within the tolerance of 序时进度.
    Normal,
    /// 滞后: building, investment behind 序时进度 by the lag threshold or more.
    Lagging,
    /// 严重滞后: behind by the severe threshold or more, or past its planned finish.
    #[serde(rename = "severe")]
    SeverelyLagging,
    /// 未开工: no start reported by the period end.
    NotStarted,
    /// 已竣工: a finish reported by the period end.
    Completed,
}

crate::codes!(ProjectClass {
    Normal => "normal", Lagging => "lagging", SeverelyLagging => "severe",
    NotStarted => "not_started", Completed => "completed",
});

impl ProjectClass {
    /// 正常 / 滞后 / 严重滞后 / 未开工 / 已竣工.
    pub fn label(self) -> &'static str {
        crate::wording::labels::known(crate::wording::Domain::ProjectClass, self.code())
    }

    /// A label or a code.
    pub fn parse(s: &str) -> Option<ProjectClass> {
        let s = s.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|c| c.code() == s || c.label() == s)
    }

    /// Every class, in the order tables list them.
    pub fn all() -> &'static [ProjectClass] {
        Self::ALL
    }
}

/// What needs the planner's attention besides the class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectWarning {
    /// The year's investment is behind 序时进度 by the lag threshold or more.
    BehindPace,
    /// The planned start date has passed with no start reported.
    StartOverdue,
    /// The planned finish date has passed with no finish reported.
    FinishOverdue,
    /// A project in this year's plan has no approved report for the period.
    NoReport,
    /// A project under construction has no planned investment for the year.
    NoAnnualPlan,
}

crate::codes!(ProjectWarning {
    BehindPace => "behind_pace", StartOverdue => "start_overdue", FinishOverdue => "finish_overdue",
    NoReport => "no_report", NoAnnualPlan => "no_annual_plan",
});

impl ProjectWarning {
    /// Short label for badges.
    pub fn label(self) -> &'static str {
        crate::wording::labels::known(crate::wording::Domain::ProjectWarning, self.code())
    }
}

/// A project's plan for one year (年度计划).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct YearPlan {
    /// 年度计划投资, 万元.
    pub investment: Option<f64>,
    /// 计划开工日期.
    pub start: Option<Date>,
    /// 计划竣工日期.
    pub finish: Option<Date>,
}

/// One approved period report, as the rule reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodReport {
    /// Year of the period.
    pub year: i32,
    /// Last month of the period (1–12).
    pub month: u8,
    /// 本期完成投资, 万元.
    pub investment: f64,
    /// 累计完成投资 since the project started, 万元, as reported.
    pub cumulative: Option<f64>,
    /// 实际开工日期, if reported.
    pub started: Option<Date>,
    /// 实际竣工日期, if reported.
    pub finished: Option<Date>,
}

/// The thresholds of the rule, in shares of the year's plan (0.10 = 10 percentage points).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Behind 序时进度 by this much or more is 滞后.
    pub lag: f64,
    /// Behind by this much or more is 严重滞后.
    pub severe: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            lag: 0.10,
            severe: 0.20,
        }
    }
}

/// Shares that differ by less than this are equal: 4800/12000 is 0.4 exactly on paper
/// but 0.5 − 0.4 is 0.0999… in binary, and a rule must not flip on that.
const EPSILON: f64 = 1e-9;

/// A project's standing at the end of one period, with the figures behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// The class.
    pub class: ProjectClass,
    /// Warnings, in the order of [`ProjectWarning`].
    pub warnings: Vec<ProjectWarning>,
    /// 本期完成投资 (None: no report for the period).
    pub this_period: Option<f64>,
    /// 本年累计完成投资: the year's approved periods up to this one.
    pub year_to_date: f64,
    /// 开工以来累计完成投资, from the latest report up to this period.
    pub cumulative: Option<f64>,
    /// 年度计划投资.
    pub planned: Option<f64>,
    /// 年度投资完成率 (year_to_date / planned), when there is a plan.
    pub completion: Option<f64>,
    /// 序时进度: the share of the year elapsed at the period end (month / 12).
    pub elapsed: f64,
    /// Actual start date, if any reported by the period end.
    pub started: Option<Date>,
    /// Actual finish date, if any reported by the period end.
    pub finished: Option<Date>,
    /// Why, in one zh-CN sentence with the numbers.
    pub reason: String,
}

/// Totals of a group of assessed projects: a ledger's total row, one department's or
/// one field's roll-up.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    /// Projects in the group.
    pub count: usize,
    /// Projects per class, in the order of [`ProjectClass::all`].
    pub by_class: [usize; 5],
    /// Sum of 年度计划投资 of the projects that have one, 万元.
    pub planned: f64,
    /// Sum of 本年累计完成投资 of those same projects, 万元 (a project without a
    /// plan cannot make a rate look better or worse).
    pub completed: f64,
    /// Sum of 本年累计完成投资 of all projects in the group, 万元.
    pub completed_all: f64,
    /// Sum of 本期完成投资, 万元.
    pub this_period: f64,
}

impl Totals {
    /// Add one project's assessment.
    pub fn add(&mut self, a: &Assessment) {
        self.count += 1;
        let i = ProjectClass::ALL.iter().position(|c| *c == a.class);
        if let Some(i) = i {
            self.by_class[i] += 1;
        }
        if let Some(p) = a.planned {
            self.planned += p;
            self.completed += a.year_to_date;
        }
        self.completed_all += a.year_to_date;
        self.this_period += a.this_period.unwrap_or(0.0);
    }

    /// Projects of one class.
    pub fn of(&self, class: ProjectClass) -> usize {
        ProjectClass::ALL
            .iter()
            .position(|c| *c == class)
            .map_or(0, |i| self.by_class[i])
    }

    /// 年度投资完成率 of the group: completed / planned over the projects with a plan.
    pub fn rate(&self) -> Option<f64> {
        (self.planned > 0.0).then(|| self.completed / self.planned)
    }

    /// Totals per key (department, field), keys in first-seen order.
    pub fn group<'a, K: PartialEq + Clone>(
        items: impl IntoIterator<Item = (K, &'a Assessment)>,
    ) -> Vec<(K, Totals)> {
        let mut out: Vec<(K, Totals)> = Vec::new();
        for (k, a) in items {
            match out.iter_mut().find(|(g, _)| *g == k) {
                Some((_, t)) => t.add(a),
                None => {
                    let mut t = Totals::default();
                    t.add(a);
                    out.push((k, t));
                }
            }
        }
        out
    }
}

/// Where a project on the ledger came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectOrigin {
    /// Read from a 专栏 of the plan text; its source line points there.
    #[default]
    Extracted,
    /// Imported from the office's project bank (项目库) workbook.
    Imported,
    /// Entered by hand on the ledger.
    Added,
}

crate::codes!(ProjectOrigin { Extracted => "extracted", Imported => "imported", Added => "added" });

impl ProjectOrigin {
    /// 规划文本 / 项目库导入 / 手工添加.
    pub fn label(self) -> &'static str {
        crate::wording::labels::known(crate::wording::Domain::ProjectOrigin, self.code())
    }
}

/// Longest project name, location or unit name a record accepts.
pub const MAX_NAME_CHARS: usize = 200;

/// A key project as the ledger tracks it, whatever its origin. Money in 万元.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectRecord {
    /// 项目名称.
    pub name: String,
    /// 领域.
    pub field: Option<ProjectField>,
    /// 责任单位, by name.
    pub department: Option<String>,
    /// 建设地点.
    pub location: Option<String>,
    /// 建设起始年.
    pub start_year: Option<i32>,
    /// 建设结束年.
    pub end_year: Option<i32>,
    /// 总投资, 万元.
    pub total_investment: Option<f64>,
    /// Where it came from.
    pub origin: ProjectOrigin,
    /// Line of the plan text it was extracted from.
    pub source_line: Option<u32>,
    /// For an imported project, the workbook and row (`项目库2024.xlsx 第5行`).
    pub source_note: Option<String>,
}

impl ProjectRecord {
    /// Check the record as a form or a workbook hands it in; the message is zh-CN
    /// and names the field, so callers only add the row or the form.
    pub fn check(&self) -> Result<(), String> {
        crate::validate::text("项目名称", &self.name, MAX_NAME_CHARS, false)?;
        if self.name.trim().is_empty() {
            return Err("项目名称不能为空".into());
        }
        for (label, v) in [("责任单位", &self.department), ("建设地点", &self.location)] {
            if let Some(v) = v {
                crate::validate::text(label, v, MAX_NAME_CHARS, false)?;
            }
        }
        for (label, y) in [
            ("建设起始年", self.start_year),
            ("建设结束年", self.end_year),
        ] {
            if let Some(y) = y {
                crate::validate::year(label, i64::from(y))?;
            }
        }
        if let (Some(a), Some(b)) = (self.start_year, self.end_year)
            && a > b
        {
            return Err(format!("建设起始年{a}晚于建设结束年{b}"));
        }
        if let Some(v) = self.total_investment {
            crate::validate::value("总投资", v, Some("万元"))?;
            if v < 0.0 {
                return Err(format!("总投资“{v}”不能为负数"));
            }
        }
        Ok(())
    }

    /// `2021—2025年`, `2023年起` or empty, as the ledger shows the period.
    pub fn period_label(&self) -> String {
        match (self.start_year, self.end_year) {
            (Some(a), Some(b)) if a == b => format!("{a}年"),
            (Some(a), Some(b)) => format!("{a}—{b}年"),
            (Some(a), None) => format!("{a}年起"),
            (None, Some(b)) => format!("{b}年前"),
            (None, None) => String::new(),
        }
    }
}

/// One project of an office's project bank (项目库) as read from a workbook row,
/// before it is stored. Money in 万元; the year figures are for the import's year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportedProject {
    /// Row number in the file.
    pub row: usize,
    /// 项目名称.
    pub name: String,
    /// 领域.
    pub field: Option<ProjectField>,
    /// 责任单位, by name.
    pub department: Option<String>,
    /// 建设地点.
    pub location: Option<String>,
    /// First year of construction.
    pub start_year: Option<i32>,
    /// Last year of construction.
    pub end_year: Option<i32>,
    /// 总投资, 万元.
    pub total_investment: Option<f64>,
    /// 年度计划投资, 万元.
    pub year_investment: Option<f64>,
    /// 计划开工日期.
    pub planned_start: Option<Date>,
    /// 计划竣工日期.
    pub planned_finish: Option<Date>,
    /// 年度建设目标 / key nodes, as written.
    pub milestones: Option<String>,
}

/// The form of a project name two lists are matched on: width folded, whitespace and
/// punctuation dropped, a leading item number (`1.`, `(2)`) and a trailing `项目`
/// removed. `青溪商贸物流园项目` and `1.青溪商贸物流园 ` have one key.
pub fn name_key(name: &str) -> String {
    let t = name.trim();
    let chars: Vec<char> = t.chars().map(crate::quantity::fold_width).collect();
    // `1.` / `12、` / `(3)` before a non-digit: a list number, not part of the name
    // (`220千伏…` keeps its digits).
    let digits = |from: usize| {
        chars[from..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let skip = if chars.first() == Some(&'(') {
        let n = digits(1);
        (n > 0 && n <= 2 && chars.get(1 + n) == Some(&')')).then_some(n + 2)
    } else {
        let n = digits(0);
        (n > 0
            && n <= 2
            && matches!(chars.get(n), Some('.' | '、'))
            && chars.get(n + 1).is_some_and(|c| !c.is_ascii_digit()))
        .then_some(n + 1)
    }
    .unwrap_or(0);
    let key: String = chars[skip..]
        .iter()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect();
    key.strip_suffix("项目").map(str::to_string).unwrap_or(key)
}

/// Whether two names likely name one project: the same [`name_key`], or one key
/// containing the other when the shorter has at least six characters (`青溪商贸物流园`
/// in `青溪商贸物流园二期` is flagged for review, `园区` in anything is not).
pub fn same_project(a: &str, b: &str) -> bool {
    let (a, b) = (name_key(a), name_key(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    a == b || (short.chars().count() >= 6 && long.contains(short.as_str()))
}

/// The last day of a month.
pub fn month_end(year: i32, month: u8) -> Option<Date> {
    let year = i16::try_from(year).ok()?;
    let first = Date::new(year, i8::try_from(month).ok()?, 1).ok()?;
    Some(first.last_of_month())
}

/// A project's total investment in 万元: 亿元 ×10000, 万元 as is, 元 ÷10000; `None`
/// for another currency or unit.
pub fn to_wan(value: f64, unit: &str) -> Option<f64> {
    match unit.trim() {
        "亿元" | "亿" => Some(value * 1e4),
        "万元" | "万" => Some(value),
        "元" => Some(value / 1e4),
        _ => None,
    }
}

/// A day as people write it in a sentence: `2023年4月1日`.
pub fn zh_day(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// A share as a percentage with one decimal (45.0%).
fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// An amount in 万元 without trailing zeros.
fn wan(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}万元")
}

/// Class a project at the end of the period (`year`, `month`) from its plan for that
/// year and its approved reports (any years, any order). See `docs/projects.md`.
pub fn assess(
    plan: Option<&YearPlan>,
    reports: &[PeriodReport],
    year: i32,
    month: u8,
    thresholds: Thresholds,
) -> Assessment {
    let month = month.clamp(1, 12);
    let end = month_end(year, month);
    let upto: Vec<&PeriodReport> = reports
        .iter()
        .filter(|r| (r.year, r.month) <= (year, month))
        .collect();
    let on_or_before = |d: &Option<Date>| d.filter(|d| end.is_none_or(|e| *d <= e));
    let started = upto.iter().filter_map(|r| on_or_before(&r.started)).min();
    let finished = upto.iter().filter_map(|r| on_or_before(&r.finished)).min();
    let year_to_date: f64 = upto
        .iter()
        .filter(|r| r.year == year)
        .map(|r| r.investment)
        .sum();
    let this: Vec<&&PeriodReport> = upto
        .iter()
        .filter(|r| (r.year, r.month) == (year, month))
        .collect();
    let this_period = (!this.is_empty()).then(|| this.iter().map(|r| r.investment).sum());
    let cumulative = upto
        .iter()
        .filter(|r| r.cumulative.is_some())
        .max_by_key(|r| (r.year, r.month))
        .and_then(|r| r.cumulative);
    let planned = plan.and_then(|p| p.investment).filter(|a| *a > 0.0);
    let completion = planned.map(|a| year_to_date / a);
    let elapsed = f64::from(month) / 12.0;
    let passed = |d: Option<Date>| d.zip(end).is_some_and(|(d, e)| d < e);
    let mut warnings = Vec::new();
    let figures = match (planned, completion) {
        (Some(a), Some(r)) => format!(
            "1—{month}月完成投资{}，为年度计划{}的{}，序时进度{}",
            wan(year_to_date),
            wan(a),
            pct(r),
            pct(elapsed)
        ),
        _ => format!("1—{month}月完成投资{}", wan(year_to_date)),
    };

    let (class, reason) = if let Some(f) = finished {
        let early = plan
            .and_then(|p| p.finish)
            .filter(|planned| f < *planned)
            .map(|planned| format!("，早于计划竣工日期{}", zh_day(planned)))
            .unwrap_or_default();
        (
            ProjectClass::Completed,
            format!("已于{}竣工{early}。", zh_day(f)),
        )
    } else if started.is_none() {
        let planned_start = plan.and_then(|p| p.start);
        let reason = match planned_start {
            Some(s) if end.is_some_and(|e| s <= e) => {
                warnings.push(ProjectWarning::StartOverdue);
                format!("计划{}开工，截至期末未报开工。", zh_day(s))
            }
            Some(s) => format!("计划{}开工，尚未开工。", zh_day(s)),
            None => "尚未开工。".to_string(),
        };
        if passed(plan.and_then(|p| p.finish)) {
            warnings.push(ProjectWarning::FinishOverdue);
        }
        (ProjectClass::NotStarted, reason)
    } else {
        let gap = completion.map(|r| elapsed - r);
        let mut class = match gap {
            Some(g) if g + EPSILON >= thresholds.severe => ProjectClass::SeverelyLagging,
            Some(g) if g + EPSILON >= thresholds.lag => ProjectClass::Lagging,
            _ => ProjectClass::Normal,
        };
        let mut reason = match gap {
            Some(g) if g > EPSILON => format!("{figures}，落后{:.1}个百分点", g * 100.0),
            Some(_) => format!("{figures}，达到序时进度"),
            None => format!("{figures}，未下达年度计划投资"),
        };
        if gap.is_some_and(|g| g + EPSILON >= thresholds.lag) {
            warnings.push(ProjectWarning::BehindPace);
        }
        if let Some(f) = plan.and_then(|p| p.finish).filter(|f| passed(Some(*f))) {
            warnings.push(ProjectWarning::FinishOverdue);
            class = ProjectClass::SeverelyLagging;
            reason.push_str(&format!("；计划{}竣工，已逾期", zh_day(f)));
        }
        if planned.is_none() {
            warnings.push(ProjectWarning::NoAnnualPlan);
        }
        reason.push('。');
        (class, reason)
    };
    if plan.is_some() && class != ProjectClass::Completed && this_period.is_none() {
        warnings.push(ProjectWarning::NoReport);
    }
    warnings.sort_by_key(|w| ProjectWarning::ALL.iter().position(|x| x == w));
    Assessment {
        class,
        warnings,
        this_period,
        year_to_date,
        cumulative,
        planned,
        completion,
        elapsed,
        started,
        finished,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn plan(investment: Option<f64>, start: Option<Date>, finish: Option<Date>) -> YearPlan {
        YearPlan {
            investment,
            start,
            finish,
        }
    }

    /// Monthly reports of `amounts` for 2023 from January, started 2023-01-10.
    fn monthly(amounts: &[f64]) -> Vec<PeriodReport> {
        let mut cumulative = 0.0;
        amounts
            .iter()
            .enumerate()
            .map(|(i, a)| {
                cumulative += a;
                PeriodReport {
                    year: 2023,
                    month: i as u8 + 1,
                    investment: *a,
                    cumulative: Some(cumulative),
                    started: (i == 0).then(|| date(2023, 1, 10)),
                    finished: None,
                }
            })
            .collect()
    }

    fn check(
        plan: Option<&YearPlan>,
        reports: &[PeriodReport],
        month: u8,
        class: ProjectClass,
        warnings: &[ProjectWarning],
    ) -> Assessment {
        let a = assess(plan, reports, 2023, month, Thresholds::default());
        assert_eq!(a.class, class, "{}", a.reason);
        assert_eq!(a.warnings, warnings, "{}", a.reason);
        a
    }

    #[test]
    fn golden_classes_by_pace() {
        use ProjectClass::*;
        use ProjectWarning::*;
        let p = plan(
            Some(12000.0),
            Some(date(2023, 1, 1)),
            Some(date(2024, 12, 31)),
        );
        // Through June (τ = 6/12 = 50%): 6 × 900 = 5400 → 5400/12000 = 45%, 5 points behind.
        let a = check(Some(&p), &monthly(&[900.0; 6]), 6, Normal, &[]);
        assert_eq!(a.year_to_date, 5400.0);
        assert_eq!(a.completion, Some(0.45));
        assert_eq!(a.elapsed, 0.5);
        assert_eq!(a.this_period, Some(900.0));
        assert_eq!(a.cumulative, Some(5400.0));
        assert!(
            a.reason
                .contains("为年度计划12000万元的45.0%，序时进度50.0%，落后5.0个百分点")
        );
        // 6 × 800 = 4800 → 40%: exactly 10 points behind is 滞后 (the boundary belongs to the worse class).
        check(Some(&p), &monthly(&[800.0; 6]), 6, Lagging, &[BehindPace]);
        // 6 × 700 = 4200 → 35%: 15 points → 滞后.
        check(Some(&p), &monthly(&[700.0; 6]), 6, Lagging, &[BehindPace]);
        // 6 × 600 = 3600 → 30%: exactly 20 points → 严重滞后.
        check(
            Some(&p),
            &monthly(&[600.0; 6]),
            6,
            SeverelyLagging,
            &[BehindPace],
        );
        // 6 × 333.33 = 1999.98 → 16.7%: 33.3 points → 严重滞后.
        check(
            Some(&p),
            &monthly(&[333.33; 6]),
            6,
            SeverelyLagging,
            &[BehindPace],
        );
        // Ahead: 6 × 1500 = 9000 → 75% against 50%.
        let a = check(Some(&p), &monthly(&[1500.0; 6]), 6, Normal, &[]);
        assert!(a.reason.contains("达到序时进度"), "{}", a.reason);
        // Through March (τ = 25%): 3 × 500 = 1500 → 12.5%, 12.5 points → 滞后.
        check(Some(&p), &monthly(&[500.0; 3]), 3, Lagging, &[BehindPace]);
    }

    #[test]
    fn golden_start_finish_and_reports() {
        use ProjectClass::*;
        use ProjectWarning::*;
        let p = plan(
            Some(6000.0),
            Some(date(2023, 4, 1)),
            Some(date(2023, 10, 31)),
        );
        // No start reported; planned 2023-04-01. In March it is not yet due, in May it is.
        let idle = |month: u8| PeriodReport {
            year: 2023,
            month,
            investment: 0.0,
            cumulative: Some(0.0),
            started: None,
            finished: None,
        };
        let reports: Vec<PeriodReport> = (1..=12).map(idle).collect();
        check(Some(&p), &reports[..3], 3, NotStarted, &[]);
        let a = check(Some(&p), &reports[..5], 5, NotStarted, &[StartOverdue]);
        assert!(a.reason.contains("计划2023年4月1日开工"), "{}", a.reason);
        // November: also past the planned finish.
        check(
            Some(&p),
            &reports[..11],
            11,
            NotStarted,
            &[StartOverdue, FinishOverdue],
        );
        // Started, on pace, but December with no finish after 2023-10-31: 严重滞后.
        // 12 × 500 = 6000 → 100% against 100%.
        let busy = monthly(&[500.0; 12]);
        let a = check(Some(&p), &busy, 12, SeverelyLagging, &[FinishOverdue]);
        assert_eq!(
            a.reason,
            "1—12月完成投资6000万元，为年度计划6000万元的100.0%，序时进度100.0%，\
             达到序时进度；计划2023年10月31日竣工，已逾期。"
        );
        // Finished 2023-09-20, before the planned 2023-10-31: 已竣工, and no report is
        // owed after the finish.
        let mut done = monthly(&[700.0; 9]);
        done[8].finished = Some(date(2023, 9, 20));
        let a = check(Some(&p), &done, 12, Completed, &[]);
        assert_eq!(a.finished, Some(date(2023, 9, 20)));
        assert_eq!(
            a.reason,
            "已于2023年9月20日竣工，早于计划竣工日期2023年10月31日。"
        );
        // The same reports seen in August: the finish is not yet reported → still building.
        // 8 × 700 = 5600 of 6000 = 93.3% against 66.7%: 正常.
        check(Some(&p), &done[..8], 8, Normal, &[]);
        // A month without a report in a planned year: 本期未报送, the year's figures stay.
        // Jan–May 5 × 400 = 2000 of 6000 = 33.3% in June (τ 50%): 16.7 points → 滞后.
        let gap = monthly(&[400.0; 5]);
        let a = check(Some(&p), &gap, 6, Lagging, &[BehindPace, NoReport]);
        assert_eq!(a.this_period, None);
        assert_eq!(a.year_to_date, 2000.0);
    }

    #[test]
    fn golden_without_a_plan() {
        use ProjectClass::*;
        use ProjectWarning::*;
        // Building without a year plan: no rate, 正常 with a warning, no report owed.
        let a = check(None, &monthly(&[100.0; 4]), 4, Normal, &[NoAnnualPlan]);
        assert_eq!(a.completion, None);
        assert_eq!(a.year_to_date, 400.0);
        // Not started and not planned this year: nothing to warn about.
        check(None, &[], 6, NotStarted, &[]);
        // A plan of zero is no plan.
        let zero = plan(Some(0.0), None, None);
        check(Some(&zero), &monthly(&[10.0]), 1, Normal, &[NoAnnualPlan]);
    }

    #[test]
    fn earlier_years_count_for_dates_not_for_the_year() {
        // Started in 2022 (its reports carry the start), nothing planned 2023 yet reported:
        // building, 0 of 3000 in February (τ 16.7%) → 16.7 points → 滞后, and no report.
        let earlier = PeriodReport {
            year: 2022,
            month: 12,
            investment: 800.0,
            cumulative: Some(5000.0),
            started: Some(date(2022, 3, 1)),
            finished: None,
        };
        let p = plan(Some(3000.0), None, None);
        let a = assess(
            Some(&p),
            std::slice::from_ref(&earlier),
            2023,
            2,
            Thresholds::default(),
        );
        assert_eq!(a.class, ProjectClass::Lagging, "{}", a.reason);
        assert_eq!(
            a.warnings,
            [ProjectWarning::BehindPace, ProjectWarning::NoReport]
        );
        assert_eq!(a.year_to_date, 0.0);
        assert_eq!(a.cumulative, Some(5000.0));
        assert_eq!(a.started, Some(date(2022, 3, 1)));
        // Reports after the period are ignored.
        let later = PeriodReport {
            year: 2023,
            month: 3,
            investment: 3000.0,
            cumulative: Some(8000.0),
            started: None,
            finished: Some(date(2023, 3, 30)),
        };
        let a = assess(Some(&p), &[earlier, later], 2023, 2, Thresholds::default());
        assert_eq!(a.class, ProjectClass::Lagging);
        assert_eq!(a.finished, None);
    }

    #[test]
    fn fields_cadences_and_units() {
        let check = |title: &str, f: Option<ProjectField>| {
            assert_eq!(ProjectField::classify(title), f, "{title}")
        };
        use ProjectField::*;
        check("专栏1 科技创新重点工程", Some(Innovation));
        check("专栏2 重点产业项目", Some(Industry));
        check("专栏3 现代服务业重点项目", Some(Industry));
        check("专栏4 乡村振兴重点工程", Some(Rural));
        check("专栏5-1:交通基础设施重点项目", Some(Infrastructure));
        check(
            "专栏5-2:能源水利和新型基础设施重点项目",
            Some(Infrastructure),
        );
        check("专栏6 新型城镇化重点工程", Some(Infrastructure));
        check("专栏7 生态环境保护重点工程", Some(Ecology));
        check("专栏8 社会民生重点工程", Some(Livelihood));
        check("云雾山文旅康养小镇", Some(Industry));
        check("专栏9 其他", None);
        assert_eq!(ProjectField::parse("产业项目"), Some(Industry));
        assert_eq!(ProjectField::parse("ecology"), Some(Ecology));
        assert_eq!(ProjectField::parse("社会民生类"), Some(Livelihood));
        assert_eq!(ProjectField::parse("其它"), Some(Other));
        assert_eq!(ProjectField::parse("火星"), None);

        assert_eq!(Cadence::Quarter.label_of(2023, 6), "2023年第二季度");
        assert_eq!(Cadence::Month.label_of(2023, 6), "2023年6月");
        assert!(!Cadence::Quarter.accepts(5));
        assert_eq!(Cadence::Month.next_after(2023, 12), (2024, 1));
        assert_eq!(Cadence::Quarter.next_after(2023, 6), (2023, 9));
        assert_eq!(Cadence::Quarter.next_after(2023, 12), (2024, 3));
        let day = date(2024, 5, 10);
        assert_eq!(Cadence::Month.due_after(Some((2023, 6)), day), (2023, 7));
        assert_eq!(Cadence::Month.due_after(Some((2024, 4)), day), (2024, 4));
        assert_eq!(Cadence::Quarter.due_after(Some((2024, 3)), day), (2024, 3));
        assert_eq!(Cadence::Quarter.due_after(None, day), (2024, 3));
        assert_eq!(Cadence::Month.last_closed(date(2024, 1, 15)), (2023, 12));
        assert_eq!(Cadence::Month.last_closed(date(2024, 3, 1)), (2024, 2));
        assert_eq!(Cadence::Quarter.last_closed(date(2024, 3, 31)), (2023, 12));
        assert_eq!(Cadence::Quarter.last_closed(date(2024, 4, 1)), (2024, 3));

        assert_eq!(to_wan(25.0, "亿元"), Some(250000.0));
        assert_eq!(to_wan(3600.0, "万元"), Some(3600.0));
        assert_eq!(to_wan(2.0, "亿美元"), None);
        assert_eq!(month_end(2024, 2), Some(date(2024, 2, 29)));
        assert_eq!(month_end(2023, 13), None);
        assert_eq!(
            ProjectClass::parse("严重滞后"),
            Some(ProjectClass::SeverelyLagging)
        );
        assert_eq!(
            ProjectClass::parse("severe"),
            Some(ProjectClass::SeverelyLagging)
        );
    }

    #[test]
    fn names_match_across_lists() {
        assert_eq!(name_key("1.青溪商贸物流园项目"), "青溪商贸物流园");
        assert_eq!(name_key("(2)青溪 商贸物流园"), "青溪商贸物流园");
        assert_eq!(
            name_key("220千伏青溪东输变电工程"),
            "220千伏青溪东输变电工程"
        );
        assert_eq!(name_key("1.5万吨项目"), "15万吨");
        assert!(same_project("青溪商贸物流园项目", "青溪商贸物流园"));
        assert!(same_project("青溪商贸物流园二期", "青溪商贸物流园项目"));
        assert!(!same_project("园区", "青溪园区道路"));
        assert!(!same_project("", ""));
        assert!(!same_project("县第二污水处理厂", "县第三污水处理厂"));
    }

    #[test]
    fn records_are_checked_with_the_field_named() {
        let ok = ProjectRecord {
            name: "青溪商贸物流园".into(),
            field: Some(ProjectField::Industry),
            department: Some("县发展和改革局".into()),
            start_year: Some(2021),
            end_year: Some(2025),
            total_investment: Some(250000.0),
            origin: ProjectOrigin::Imported,
            source_note: Some("项目库.xlsx 第5行".into()),
            ..Default::default()
        };
        assert_eq!(ok.check(), Ok(()));
        assert_eq!(ok.period_label(), "2021—2025年");
        let bad = |f: &dyn Fn(&mut ProjectRecord)| {
            let mut r = ok.clone();
            f(&mut r);
            r.check().unwrap_err()
        };
        assert_eq!(bad(&|r| r.name = "  ".into()), "项目名称不能为空");
        assert_eq!(
            bad(&|r| r.start_year = Some(2026)),
            "建设起始年2026晚于建设结束年2025"
        );
        assert!(bad(&|r| r.end_year = Some(3000)).starts_with("建设结束年“3000”"));
        assert_eq!(
            bad(&|r| r.total_investment = Some(-1.0)),
            "总投资“-1”不能为负数"
        );
        assert!(bad(&|r| r.total_investment = Some(f64::NAN)).starts_with("总投资"));
        assert!(bad(&|r| r.location = Some("甲\u{202E}乙".into())).starts_with("建设地点"));
        assert_eq!(
            ProjectOrigin::from_code("imported"),
            Some(ProjectOrigin::Imported)
        );
        assert_eq!(ProjectOrigin::Added.label(), "手工添加");
    }

    #[test]
    fn golden_totals_by_group() {
        let p = |inv: f64| plan(Some(inv), Some(date(2023, 1, 1)), None);
        // June. A: 6 × 900 = 5400 of 12000 (正常); B: 6 × 600 = 3600 of 12000 (严重滞后);
        // C: no plan, 6 × 100 = 600 (正常); D: planned 3000, not started (未开工).
        let (pa, pb, pd) = (p(12000.0), p(12000.0), p(3000.0));
        let a = assess(
            Some(&pa),
            &monthly(&[900.0; 6]),
            2023,
            6,
            Thresholds::default(),
        );
        let b = assess(
            Some(&pb),
            &monthly(&[600.0; 6]),
            2023,
            6,
            Thresholds::default(),
        );
        let c = assess(None, &monthly(&[100.0; 6]), 2023, 6, Thresholds::default());
        let d = assess(Some(&pd), &[], 2023, 6, Thresholds::default());
        let groups = Totals::group([
            ("发改局", &a),
            ("交通局", &b),
            ("发改局", &c),
            ("交通局", &d),
        ]);
        let (dev, transport) = (&groups[0].1, &groups[1].1);
        assert_eq!(groups[0].0, "发改局");
        // 发改局: planned 12000 (C has none), completed 5400 of it → 45%; all 6000.
        assert_eq!(
            (dev.count, dev.planned, dev.completed),
            (2, 12000.0, 5400.0)
        );
        assert_eq!(dev.completed_all, 6000.0);
        assert_eq!(dev.rate(), Some(0.45));
        assert_eq!(dev.of(ProjectClass::Normal), 2);
        assert_eq!(dev.this_period, 1000.0);
        // 交通局: planned 12000 + 3000 = 15000, completed 3600 → 24%.
        assert_eq!((transport.planned, transport.completed), (15000.0, 3600.0));
        assert_eq!(transport.rate(), Some(0.24));
        assert_eq!(transport.of(ProjectClass::SeverelyLagging), 1);
        assert_eq!(transport.of(ProjectClass::NotStarted), 1);
        // A group with no plan has no rate.
        let mut none = Totals::default();
        none.add(&c);
        assert_eq!(none.rate(), None);
    }
}
