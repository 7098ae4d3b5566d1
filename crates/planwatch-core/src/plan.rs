//! The structured plan: what the parser extracts from one document.
//!
//! These types serialize to the stable JSON contract of `planwatch parse --format json`
//! (see `docs/parse-output.md`). Every item carries the 1-based line of the decoded
//! text it starts on, and keeps its verbatim source text next to parsed values.

use serde::{Deserialize, Serialize};

use crate::quantity::Comparator;

/// One parsed document.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Plan {
    /// Where the text came from and how it was decoded.
    pub source: Source,
    /// Best guess at the document title.
    pub title: Option<String>,
    /// Region named by the document (岳阳楼区), if any.
    pub region: Option<String>,
    /// What kind of document this is.
    pub doc_type: DocType,
    /// Plan period (2021–2025) where the text states it.
    pub period: Option<Period>,
    /// Headings in reading order; `level` gives the depth.
    pub outline: Vec<OutlineNode>,
    /// Every table found, rebuilt as a grid.
    pub tables: Vec<Table>,
    /// Indicators with baseline and target.
    pub indicators: Vec<Indicator>,
    /// Quantified forward-looking statements in running text.
    pub targets: Vec<ProseTarget>,
    /// 专栏 boxes with their items.
    pub boxes: Vec<BoxSection>,
    /// Key projects found in boxes.
    pub projects: Vec<Project>,
    /// What looked wrong and could not be resolved.
    pub diagnostics: Vec<Diagnostic>,
    /// Figures the document reports as achieved (税收占比达92%), for indicators the
    /// catalogue knows; compared with other documents' baselines by the consistency checks.
    #[serde(default)]
    pub figures: Vec<ReportedFigure>,
}

/// Titles of a document's explanatory notes (名词解释): their entries define words, so
/// they set no target and assign no task.
pub const GLOSSARY_TITLES: &[&str] = &["名词解释", "术语解释", "注释", "附注"];

/// Is `title` the heading of explanatory notes, however it is set off
/// (`名词解释`, `附：名词解释`, `名词解释:`)?
pub fn is_glossary_title(title: &str) -> bool {
    let bare = title
        .trim()
        .trim_start_matches('附')
        .trim_matches([':', '：', ' ', '　']);
    GLOSSARY_TITLES.contains(&bare)
}

impl Plan {
    /// The year a work report or an annual plan is for: the year most of its targets
    /// are set for (ties go to the later year). A work report's targets are this year's,
    /// with a few for the end of the five-year period; `None` without dated targets.
    pub fn report_year(&self) -> Option<i32> {
        report_year(self.targets.iter().filter_map(|t| t.year))
    }
}

/// [`Plan::report_year`] from the years of a report's targets (as stored).
pub fn report_year(years: impl IntoIterator<Item = i32>) -> Option<i32> {
    let mut counts: std::collections::BTreeMap<i32, usize> = Default::default();
    for year in years {
        *counts.entry(year).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(year, n)| (*n, *year))
        .map(|(year, _)| year)
}

/// A figure a document reports as achieved in a past year, from its review of the past.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReportedFigure {
    /// Source line.
    pub line: usize,
    /// The clause, verbatim.
    pub text: String,
    /// Canonical indicator name (from the catalogue).
    pub indicator: String,
    /// The number.
    pub value: f64,
    /// Unit as written.
    pub unit: String,
    /// The year the figure is for: written in the clause or the latest past year named
    /// earlier in the paragraph.
    pub year: i32,
    /// Page of a paged source (PDF), 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// Provenance of the decoded text.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Source {
    /// Path as given by the caller.
    pub path: String,
    /// Hex SHA-256 of the raw bytes.
    pub sha256: String,
    /// Character encoding used to decode the bytes (UTF-8, GB18030, …).
    pub encoding: String,
    /// Input format: `txt`, `html`, `docx` or `pdf`.
    pub format: String,
    /// Number of lines of the decoded text.
    pub lines: usize,
    /// Number of pages, for paged formats (PDF); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
    /// For paged formats: the 1-based line each page starts on, one per page (a page
    /// whose text continues a paragraph from the page before starts at the next line).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub page_starts: Vec<usize>,
}

/// Document type.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DocType {
    /// 规划纲要.
    PlanOutline,
    /// 政府工作报告.
    WorkReport,
    /// 年度计划 (国民经济和社会发展计划).
    AnnualPlan,
    /// 统计公报.
    StatisticalBulletin,
    /// Anything else.
    #[default]
    Unknown,
}

/// First and last year of a plan period.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Period {
    /// First year (2021).
    pub start: i32,
    /// Last year (2025).
    pub end: i32,
}

/// The marker family a heading uses; it decides nesting.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
pub enum HeadingKind {
    /// 第X篇.
    #[serde(rename = "篇")]
    Part,
    /// 第X章.
    #[serde(rename = "章")]
    Chapter,
    /// 第X节.
    #[serde(rename = "节")]
    Section,
    /// 一、
    #[serde(rename = "一、")]
    Chinese,
    /// (一)
    #[serde(rename = "(一)")]
    ParenChinese,
    /// 1. or 1、
    #[serde(rename = "1.")]
    Arabic,
    /// (1) or 1)
    #[serde(rename = "(1)")]
    ParenArabic,
    /// A run-in lead sentence opening a paragraph.
    #[serde(rename = "lead")]
    Lead,
    /// A —— dash item.
    #[serde(rename = "dash")]
    Dash,
    /// 专栏 and other headings without a numbering marker.
    #[serde(rename = "other")]
    Other,
}

/// One heading of the outline.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OutlineNode {
    /// Source line.
    pub line: usize,
    /// Depth, 1 = top.
    pub level: u8,
    /// Marker family.
    pub kind: HeadingKind,
    /// The marker as written (第一篇, 三、, (2)); empty for leads.
    pub number: String,
    /// Heading text without the marker.
    pub title: String,
    /// Page of a paged source (PDF), 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// A table rebuilt as a grid.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Table {
    /// First source line of the table (caption or header).
    pub line_start: usize,
    /// Last source line of the table.
    pub line_end: usize,
    /// Caption, if one was found.
    pub title: Option<String>,
    /// Column headers; two-row headers are joined as `上 > 下`.
    pub header: Vec<String>,
    /// What each header column holds, by meaning; same length as `header`.
    #[serde(default)]
    pub roles: Vec<ColumnRole>,
    /// Body rows (category rows are folded into `category`).
    pub rows: Vec<TableRow>,
    /// Notes under the table (注:[ ]为五年累计数).
    pub notes: Vec<String>,
    /// Page of a paged source (PDF) where the table starts, 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// What a table column holds, read from its header by meaning.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum ColumnRole {
    /// 类别, 领域: the group a row belongs to.
    Category,
    /// 序号, 编号.
    Seq,
    /// 指标名称, 指标.
    Name,
    /// 单位, 计量单位.
    Unit,
    /// The base year's value (2020年, 基期, 现状值; 2025年 in a 十五五 plan).
    Baseline,
    /// The target year's value (2025年目标, 目标值, 2030年).
    Target,
    /// A year between baseline and target (a mid-term column such as 2027年).
    Milestone,
    /// A year beyond the target (2035年远景).
    Vision,
    /// 年均增长, 年均增速: an average annual rate.
    Annual,
    /// 累计, 五年累计: a five-year total.
    Cumulative,
    /// 年均/累计: either, as each cell says (〔13.5〕 cumulative, 5.5 annual, <5.5 a ceiling).
    AnnualOrCumulative,
    /// 属性: 预期性 / 约束性.
    Attribute,
    /// 备注, 说明.
    Note,
    /// Anything else.
    Other,
}

/// One body row of a table.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct TableRow {
    /// Source line where the row starts.
    pub line: usize,
    /// Cells, aligned with the header where possible.
    pub cells: Vec<String>,
    /// The category row or category column this row falls under.
    pub category: Option<String>,
    /// For a sub-row (化学需氧量 under 主要污染物排放总量降幅), the parent row's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// 预期性 or 约束性.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Attribute {
    /// 预期性.
    Expected,
    /// 约束性.
    Binding,
}

/// Where an indicator was found.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ItemSource {
    /// An indicator table.
    Table,
    /// Running text.
    Prose,
}

/// A value cell: verbatim text plus what it means.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ValueCell {
    /// Year the value refers to.
    pub year: Option<i32>,
    /// Verbatim text (`≤5以内`, `[13.5]`).
    pub text: String,
    /// The number, if the text has one.
    pub value: Option<f64>,
    /// Comparator written with the number.
    pub comparator: Option<Comparator>,
    /// True for five-year cumulative values (`[ ]`, 累计).
    #[serde(default)]
    pub cumulative: bool,
}

impl ValueCell {
    /// A cell as written (`≤5以内`, `[13.5]`, `1130`), with its number, comparator and
    /// cumulative mark read by [`crate::quantity::parse_value`].
    pub fn parse(text: &str, year: Option<i32>) -> ValueCell {
        let p = crate::quantity::parse_value(text);
        ValueCell {
            year,
            text: text.into(),
            value: p.value,
            comparator: p.comparator,
            cumulative: p.cumulative,
        }
    }
}

/// A value of an annual-growth or cumulative column (年均增长, 累计, 年均/累计).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct GrowthCell {
    /// Verbatim text.
    pub text: String,
    /// The number, if any.
    pub value: Option<f64>,
    /// True for five-year cumulative values: written `〔 〕`/`[ ]`, or in a 累计 column.
    pub cumulative: bool,
    /// Comparator written with the number (`<5.5` in a 年均/累计 column is a ceiling).
    #[serde(default)]
    pub comparator: Option<Comparator>,
    /// The role of the column the value came from.
    #[serde(default)]
    pub column: Option<ColumnRole>,
}

/// An indicator with baseline and target.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Indicator {
    /// Source line of the row.
    pub line: usize,
    /// Table or prose.
    pub source: ItemSource,
    /// Category (经济发展, 一、经济更加发展(8项)).
    pub category: Option<String>,
    /// Name without the unit and decorations.
    pub name: String,
    /// Unit from a unit column or the name.
    pub unit: Option<String>,
    /// 预期性 / 约束性.
    pub attribute: Option<Attribute>,
    /// Baseline value.
    pub baseline: Option<ValueCell>,
    /// Target value.
    pub target: Option<ValueCell>,
    /// Annual growth, where a column gives it.
    pub growth: Option<GrowthCell>,
    /// 序号 as written in the table, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<String>,
    /// For a sub-indicator (化学需氧量 under 主要污染物排放总量降幅), the parent's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Page of a paged source (PDF), 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// What a prose target measures.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// An absolute level (1130亿元).
    Level,
    /// An annual growth rate (增长8%).
    GrowthRate,
    /// A share or ratio in percent (比重达到85%).
    Share,
    /// A cumulative amount over the period (累计新增, 5年下降18%).
    Cumulative,
    /// A count of things (16家, 31个).
    Count,
    /// Anything else.
    Other,
}

/// A quantified forward-looking statement in running text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ProseTarget {
    /// Source line.
    pub line: usize,
    /// The clause, verbatim.
    pub text: String,
    /// What is measured, as written.
    pub indicator: String,
    /// The number.
    pub value: f64,
    /// Unit as written.
    pub unit: Option<String>,
    /// Target year, if stated or implied by the document.
    pub year: Option<i32>,
    /// Comparator.
    pub comparator: Option<Comparator>,
    /// What kind of quantity.
    pub kind: TargetKind,
    /// Page of a paged source (PDF), 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// A 专栏 box.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct BoxSection {
    /// Source line of the title.
    pub line: usize,
    /// Title (专栏3-1:创新能力提升行动).
    pub title: String,
    /// Items listed in the box.
    pub items: Vec<BoxItem>,
    /// Page of a paged source (PDF), 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// One item of a box.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct BoxItem {
    /// Source line.
    pub line: usize,
    /// Verbatim text.
    pub text: String,
}

/// A key project named in a box.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Project {
    /// Source line.
    pub line: usize,
    /// Project name.
    pub name: String,
    /// Investment where written.
    pub investment: Option<Investment>,
    /// Page of a paged source (PDF), 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// An investment amount.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Investment {
    /// Verbatim text (总投资12.5亿元).
    pub text: String,
    /// The number.
    pub value: f64,
    /// Unit as written.
    pub unit: String,
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Probably wrong in the source or in the extraction.
    Warning,
    /// Could not be read at all.
    Error,
}

/// Something the parser noticed and could not resolve.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Diagnostic {
    /// Source line.
    pub line: usize,
    /// Severity.
    pub severity: Severity,
    /// Stable code such as `table.category_count`.
    pub code: String,
    /// Message for a person (zh-CN).
    pub message: String,
    /// Page of a paged source (PDF), 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

#[cfg(test)]
mod report_year_tests {
    use super::*;

    fn target(year: Option<i32>) -> ProseTarget {
        ProseTarget {
            line: 1,
            text: String::new(),
            indicator: "地区生产总值".into(),
            value: 7.0,
            unit: Some("%".into()),
            year,
            comparator: None,
            kind: TargetKind::GrowthRate,
            page: None,
        }
    }

    #[test]
    fn a_work_report_is_for_the_year_most_targets_name() {
        let mut plan = Plan::default();
        assert_eq!(plan.report_year(), None);
        plan.targets = [Some(2025), Some(2023), None, Some(2023), Some(2023)]
            .into_iter()
            .map(target)
            .collect();
        assert_eq!(plan.report_year(), Some(2023));
        plan.targets = [Some(2025), Some(2024)].into_iter().map(target).collect();
        assert_eq!(
            plan.report_year(),
            Some(2025),
            "a tie goes to the later year"
        );
    }
}

#[cfg(test)]
mod glossary_tests {
    use super::is_glossary_title;

    #[test]
    fn a_glossary_heading_is_known_however_it_is_set_off() {
        for t in [
            "名词解释",
            " 名词解释 ",
            "附：名词解释",
            "名词解释:",
            "附:注释",
            "术语解释：",
        ] {
            assert!(is_glossary_title(t), "{t}");
        }
        for t in ["名词解释和说明之外的工作", "解释", "附件", "2023年工作安排"]
        {
            assert!(!is_glossary_title(t), "{t}");
        }
    }
}
