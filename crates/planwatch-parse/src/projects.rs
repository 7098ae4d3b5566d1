//! An office's project bank (项目库) workbook to [`ImportedProject`]s.
//!
//! Offices keep their own layouts: a title row above the header, units in the header
//! (`总投资(亿元)`), group rows (`一、产业项目`) between the projects, subtotal rows.
//! So reading is two steps. [`read_sheet`] finds the header row and proposes which
//! column holds which field ([`ProjectSheet::columns`]); the person importing sees that
//! mapping in the preview and may change it; [`projects_from_sheet`] then reads every
//! row under the chosen [`Mapping`]. Every bad cell is named (row, column letter,
//! header) and the whole file is refused if any is bad: an import is all or nothing.
//!
//! Files are read through [`crate::sheet`] and so held to [`crate::limits::LIMITS`].

use std::collections::HashMap;
use std::fmt;

use jiff::civil::Date;
use planwatch_core::projects::{ImportedProject, ProjectField, name_key, zh_day};
use planwatch_core::validate;

use crate::actuals::parse_number;
use crate::sheet::{self, Rows, SheetError, column_letter};

/// A field of the project bank a column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProjectColumn {
    /// 项目名称 (required).
    Name,
    /// 项目类别 / 领域.
    Field,
    /// 责任单位.
    Department,
    /// 建设地点.
    Location,
    /// 建设起止年限 (`2021-2025`).
    Period,
    /// 开工年份.
    StartYear,
    /// 竣工年份.
    EndYear,
    /// 总投资.
    TotalInvestment,
    /// 年度计划投资.
    YearInvestment,
    /// 计划开工日期.
    PlannedStart,
    /// 计划竣工日期.
    PlannedFinish,
    /// 年度建设目标 / 关键节点.
    Milestones,
}

impl ProjectColumn {
    /// Every field, in the order the mapping form lists them.
    pub const ALL: &'static [ProjectColumn] = &[
        ProjectColumn::Name,
        ProjectColumn::Field,
        ProjectColumn::Department,
        ProjectColumn::Location,
        ProjectColumn::Period,
        ProjectColumn::StartYear,
        ProjectColumn::EndYear,
        ProjectColumn::TotalInvestment,
        ProjectColumn::YearInvestment,
        ProjectColumn::PlannedStart,
        ProjectColumn::PlannedFinish,
        ProjectColumn::Milestones,
    ];

    /// Code used in forms.
    pub fn code(self) -> &'static str {
        match self {
            ProjectColumn::Name => "name",
            ProjectColumn::Field => "field",
            ProjectColumn::Department => "department",
            ProjectColumn::Location => "location",
            ProjectColumn::Period => "period",
            ProjectColumn::StartYear => "start_year",
            ProjectColumn::EndYear => "end_year",
            ProjectColumn::TotalInvestment => "total_investment",
            ProjectColumn::YearInvestment => "year_investment",
            ProjectColumn::PlannedStart => "planned_start",
            ProjectColumn::PlannedFinish => "planned_finish",
            ProjectColumn::Milestones => "milestones",
        }
    }

    /// A code back to its field.
    pub fn from_code(code: &str) -> Option<ProjectColumn> {
        Self::ALL.iter().copied().find(|c| c.code() == code)
    }

    /// What people call it.
    pub fn label(self) -> &'static str {
        match self {
            ProjectColumn::Name => "项目名称",
            ProjectColumn::Field => "领域（项目类别）",
            ProjectColumn::Department => "责任单位",
            ProjectColumn::Location => "建设地点",
            ProjectColumn::Period => "建设起止年限",
            ProjectColumn::StartYear => "开工年份",
            ProjectColumn::EndYear => "竣工年份",
            ProjectColumn::TotalInvestment => "总投资",
            ProjectColumn::YearInvestment => "年度计划投资",
            ProjectColumn::PlannedStart => "计划开工日期",
            ProjectColumn::PlannedFinish => "计划竣工日期",
            ProjectColumn::Milestones => "年度建设目标",
        }
    }

    /// Whether the column holds money (and its header may carry a unit).
    pub fn is_money(self) -> bool {
        matches!(
            self,
            ProjectColumn::TotalInvestment | ProjectColumn::YearInvestment
        )
    }
}

/// Headers as offices write them, matched whole after the unit is cut off.
const EXACT: &[(&str, ProjectColumn)] = &[
    ("项目名称", ProjectColumn::Name),
    ("项目", ProjectColumn::Name),
    ("名称", ProjectColumn::Name),
    ("项目类别", ProjectColumn::Field),
    ("类别", ProjectColumn::Field),
    ("领域", ProjectColumn::Field),
    ("所属领域", ProjectColumn::Field),
    ("项目类型", ProjectColumn::Field),
    ("行业", ProjectColumn::Field),
    ("责任单位", ProjectColumn::Department),
    ("牵头单位", ProjectColumn::Department),
    ("责任部门", ProjectColumn::Department),
    ("牵头部门", ProjectColumn::Department),
    ("主管部门", ProjectColumn::Department),
    ("建设地点", ProjectColumn::Location),
    ("地点", ProjectColumn::Location),
    ("项目地点", ProjectColumn::Location),
    ("建设地址", ProjectColumn::Location),
    ("建设年限", ProjectColumn::Period),
    ("建设起止年限", ProjectColumn::Period),
    ("起止年限", ProjectColumn::Period),
    ("建设期限", ProjectColumn::Period),
    ("建设周期", ProjectColumn::Period),
    ("开工年份", ProjectColumn::StartYear),
    ("开工年度", ProjectColumn::StartYear),
    ("竣工年份", ProjectColumn::EndYear),
    ("完工年份", ProjectColumn::EndYear),
    ("竣工年度", ProjectColumn::EndYear),
];

/// Headers recognised by a part, tried in order after [`EXACT`] (`2024年计划投资`,
/// `计划开工时间`).
const PARTS: &[(&str, ProjectColumn)] = &[
    ("计划开工", ProjectColumn::PlannedStart),
    ("计划竣工", ProjectColumn::PlannedFinish),
    ("计划完工", ProjectColumn::PlannedFinish),
    ("计划投资", ProjectColumn::YearInvestment),
    ("总投资", ProjectColumn::TotalInvestment),
    ("建设目标", ProjectColumn::Milestones),
    ("形象进度目标", ProjectColumn::Milestones),
    ("节点", ProjectColumn::Milestones),
    ("起止", ProjectColumn::Period),
];

/// Split `总投资(亿元)` into `总投资` and the unit in brackets.
fn split_header(raw: &str) -> (String, Option<String>) {
    let folded: String = raw
        .chars()
        .map(planwatch_core::quantity::fold_width)
        .filter(|c| !c.is_whitespace())
        .collect();
    match folded.find('(') {
        Some(open) => {
            let base = folded[..open].to_string();
            let unit = folded[open + 1..].trim_end_matches(')').to_string();
            (base, Some(unit).filter(|u| !u.is_empty()))
        }
        None => (folded, None),
    }
}

/// The field a header proposes, if any.
pub fn propose(header: &str) -> Option<ProjectColumn> {
    let (base, _) = split_header(header);
    if base.is_empty() {
        return None;
    }
    EXACT
        .iter()
        .find(|(h, _)| *h == base)
        .or_else(|| PARTS.iter().find(|(h, _)| base.contains(h)))
        .map(|(_, c)| *c)
}

/// The factor to 万元 of a money header's unit: `亿元` 10000, `万元` 1, `元` 0.0001;
/// no unit means 万元 (what 项目库 use). `None` for a unit that is not money in yuan.
pub fn money_factor(header: &str) -> Option<f64> {
    match split_header(header).1.as_deref() {
        None | Some("万元" | "万") => Some(1.0),
        Some("亿元" | "亿") => Some(1e4),
        Some("元") => Some(1e-4),
        Some(_) => None,
    }
}

/// One column of the sheet as the preview shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceColumn {
    /// 0-based position.
    pub index: usize,
    /// Spreadsheet letter (`E`).
    pub letter: String,
    /// Header text as written.
    pub header: String,
    /// The field proposed for it.
    pub proposed: Option<ProjectColumn>,
}

/// A project bank sheet: its header and rows, not yet interpreted.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectSheet {
    /// Name of the worksheet read (XLSX), `None` for CSV.
    pub sheet: Option<String>,
    /// Row number of the header.
    pub header_row: usize,
    /// Columns of the header row.
    pub columns: Vec<SourceColumn>,
    /// Rows below the header, with their row numbers.
    pub rows: Rows,
}

impl ProjectSheet {
    /// The proposed mapping (one entry per column).
    pub fn proposed(&self) -> Mapping {
        Mapping(self.columns.iter().map(|c| c.proposed).collect())
    }
}

/// Which field each column holds (by column position; `None`: ignored).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mapping(pub Vec<Option<ProjectColumn>>);

/// How many rows from the top may hold titles before the header.
const HEADER_SEARCH: usize = 10;

/// Find the header (the first of the top rows with a name column and at least one
/// other recognised field) and keep the rows below it.
pub fn read_sheet(bytes: &[u8], file_name: &str) -> Result<ProjectSheet, SheetError> {
    if sheet::is_xlsx(bytes, file_name) {
        let (name, rows) = sheet::read_xlsx_sheet(bytes)?;
        sheet_from_rows(Some(name), rows)
    } else {
        sheet_from_rows(None, sheet::read_csv_rows(bytes)?)
    }
}

fn sheet_from_rows(sheet: Option<String>, rows: Rows) -> Result<ProjectSheet, SheetError> {
    // Best a row with a name column and another known field; else the first row with
    // a name column, whose other columns the person importing maps by hand.
    let fields = |cells: &Vec<String>| -> Vec<ProjectColumn> {
        cells.iter().filter_map(|c| propose(c)).collect()
    };
    let top = || rows.iter().take(HEADER_SEARCH);
    let found = top()
        .position(|(_, cells)| {
            let f = fields(cells);
            f.contains(&ProjectColumn::Name) && f.len() >= 2
        })
        .or_else(|| top().position(|(_, cells)| fields(cells).contains(&ProjectColumn::Name)));
    let Some(at) = found else {
        return Err(SheetError(format!(
            "前{HEADER_SEARCH}行中没有找到表头行（应有“项目名称”列和至少一个其他字段，如“总投资”“责任单位”）"
        )));
    };
    let mut rows = rows;
    let body = rows.split_off(at + 1);
    let (header_row, header) = rows.pop().unwrap_or_default();
    let columns = header
        .iter()
        .enumerate()
        .map(|(index, h)| SourceColumn {
            index,
            letter: column_letter(index),
            header: h.trim().to_string(),
            proposed: propose(h),
        })
        .collect();
    Ok(ProjectSheet {
        sheet,
        header_row,
        columns,
        rows: body,
    })
}

/// A bad cell (or a bad mapping, with no row): where, and what is wrong (zh-CN).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CellError {
    /// Worksheet name (XLSX), empty for CSV.
    pub sheet: String,
    /// Row number, 0 for the mapping itself.
    pub row: usize,
    /// Column letter and header (`E 列(总投资)`), empty for the mapping.
    pub column: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.sheet.is_empty() {
            write!(f, "工作表“{}”", self.sheet)?;
        }
        match (self.row, self.column.is_empty()) {
            (0, true) => write!(f, "列对应：{}", self.message),
            (0, false) => write!(f, "列对应：{}{}", self.column, self.message),
            (row, true) => write!(f, "第{row}行：{}", self.message),
            (row, false) => write!(f, "第{row}行，{}：{}", self.column, self.message),
        }
    }
}

/// Most cell errors listed; beyond that the count is given.
pub const MAX_ERRORS: usize = 100;

/// Longest name, unit or place (characters).
const NAME_MAX: usize = 200;
/// Longest milestone text.
const TEXT_MAX: usize = 2000;

/// A first year and a last year: `2021-2025`, `2021—2025年`, `2021年-2025年`, `2023`.
fn parse_period(s: &str) -> Option<(i64, i64)> {
    let year = |t: &str| -> Option<i64> {
        let t = t.trim().trim_end_matches('年').trim();
        let t = t.strip_suffix(".0").unwrap_or(t);
        (t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    if let Some(y) = year(s) {
        return Some((y, y));
    }
    let (a, b) = s.split_once(['-', '—', '–', '~', '~', '至'])?;
    Some((
        year(a)?,
        year(b.trim_start_matches(['-', '—'])).or_else(|| year(b))?,
    ))
}

/// A date, or a month (`2024年3月`, `2024.03`, `2024-3`) read as its first day (a start)
/// or its last day (a finish).
fn parse_plan_date(label: &str, s: &str, finish: bool) -> Result<Date, String> {
    if let Ok(d) = validate::date(label, s) {
        return d.parse().map_err(|_| format!("{label}“{s}”不是有效日期"));
    }
    let t = s.trim().trim_end_matches('月').trim_end_matches("底");
    let parts: Vec<&str> = t.split(['-', '/', '.', '年']).collect();
    let bad = || format!("{label}“{s}”不是有效日期（应为YYYY-MM-DD或YYYY年M月）");
    let [y, m] = parts.as_slice() else {
        return Err(bad());
    };
    let (Ok(y), Ok(m)) = (y.trim().parse::<i64>(), m.trim().parse::<u8>()) else {
        return Err(bad());
    };
    let y = validate::year(label, y)?;
    let first = Date::new(y as i16, m as i8, 1).map_err(|_| bad())?;
    if !(1..=12).contains(&m) {
        return Err(bad());
    }
    Ok(if finish { first.last_of_month() } else { first })
}

/// A row that heads a group (`一、产业项目(15个)`) or sums one (`合计`, `小计`): not a
/// project. Returns the field a group row names, if any.
fn group_row(name: &str) -> Option<Option<ProjectField>> {
    let t = name.trim();
    let numbered = t
        .char_indices()
        .find(|(_, c)| *c == '、')
        .is_some_and(|(i, _)| i > 0 && t[..i].chars().all(|c| "一二三四五六七八九十".contains(c)));
    if numbered {
        return Some(ProjectField::classify(t));
    }
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    ["合计", "小计", "总计"]
        .iter()
        .any(|w| compact.starts_with(w))
        .then_some(None)
}

/// Read every row under `mapping`. All bad cells are reported (up to [`MAX_ERRORS`]),
/// each naming its row, column letter and header; with any, nothing is returned.
pub fn projects_from_sheet(
    sheet: &ProjectSheet,
    mapping: &Mapping,
) -> Result<Vec<ImportedProject>, Vec<CellError>> {
    let mut errors = Vec::new();
    let column_name = |i: usize| {
        let header = sheet
            .columns
            .get(i)
            .map(|c| c.header.as_str())
            .unwrap_or("");
        format!("{}列（{header}）", column_letter(i))
    };
    // The mapping: a name column, and no field twice.
    let mut at: HashMap<ProjectColumn, usize> = HashMap::new();
    for (i, field) in mapping.0.iter().enumerate() {
        let Some(field) = field else { continue };
        if let Some(first) = at.insert(*field, i) {
            errors.push(CellError {
                sheet: String::new(),
                row: 0,
                column: String::new(),
                message: format!(
                    "“{}”同时对应了{}和{}，只能对应一列",
                    field.label(),
                    column_name(first),
                    column_name(i)
                ),
            });
        }
        if field.is_money() {
            let header = sheet
                .columns
                .get(i)
                .map(|c| c.header.as_str())
                .unwrap_or("");
            if money_factor(header).is_none() {
                errors.push(CellError {
                    sheet: String::new(),
                    row: 0,
                    column: column_name(i),
                    message: "表头中的单位不是元、万元或亿元".into(),
                });
            }
        }
    }
    if !at.contains_key(&ProjectColumn::Name) {
        errors.push(CellError {
            sheet: String::new(),
            row: 0,
            column: String::new(),
            message: "没有一列对应“项目名称”".into(),
        });
    }
    if at.contains_key(&ProjectColumn::Period)
        && (at.contains_key(&ProjectColumn::StartYear) || at.contains_key(&ProjectColumn::EndYear))
    {
        errors.push(CellError {
            sheet: String::new(),
            row: 0,
            column: String::new(),
            message: "“建设起止年限”与“开工年份/竣工年份”只能选一种".into(),
        });
    }
    if !errors.is_empty() {
        for e in &mut errors {
            e.sheet = sheet.sheet.clone().unwrap_or_default();
        }
        return Err(errors);
    }

    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut group_field: Option<ProjectField> = None;
    let mut total_errors = 0usize;
    for (row, cells) in &sheet.rows {
        let get = |f: ProjectColumn| -> Option<(usize, &str)> {
            let i = *at.get(&f)?;
            let v = cells.get(i)?.trim();
            (!v.is_empty()).then_some((i, v))
        };
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut bad = |i: usize, message: String| {
            total_errors += 1;
            if errors.len() < MAX_ERRORS {
                errors.push(CellError {
                    sheet: String::new(),
                    row: *row,
                    column: column_name(i),
                    message,
                });
            }
        };
        // A group heading or a sum may stand in the 序号 column with the name cell empty.
        let first_text = cells.iter().map(|c| c.trim()).find(|c| !c.is_empty());
        let label = get(ProjectColumn::Name).map(|(_, n)| n).or(first_text);
        if let Some(field) = label.and_then(group_row) {
            group_field = field;
            continue;
        }
        let Some((name_at, raw_name)) = get(ProjectColumn::Name) else {
            bad(at[&ProjectColumn::Name], "项目名称为空".into());
            continue;
        };
        let mut p = ImportedProject {
            row: *row,
            ..ImportedProject::default()
        };
        let text = |label: &str, v: &str, max: usize| validate::text(label, v, max, false);
        match text("项目名称", raw_name, NAME_MAX) {
            Ok(n) => p.name = n,
            Err(m) => bad(name_at, m),
        }
        let key = name_key(&p.name);
        if !key.is_empty()
            && let Some(first) = seen.insert(key, *row)
        {
            bad(name_at, format!("与第{first}行的项目重名"));
        }
        p.field = group_field;
        if let Some((i, v)) = get(ProjectColumn::Field) {
            match ProjectField::parse(v) {
                Some(f) => p.field = Some(f),
                None => bad(
                    i,
                    format!(
                        "“{v}”不是已知领域（产业、基础设施、民生、生态、科技创新、乡村振兴、其他）"
                    ),
                ),
            }
        }
        for (col, slot) in [
            (ProjectColumn::Department, &mut p.department),
            (ProjectColumn::Location, &mut p.location),
        ] {
            if let Some((i, v)) = get(col) {
                match text(col.label(), v, NAME_MAX) {
                    Ok(t) => *slot = Some(t),
                    Err(m) => bad(i, m),
                }
            }
        }
        if let Some((i, v)) = get(ProjectColumn::Milestones) {
            match validate::text("年度建设目标", v, TEXT_MAX, true) {
                Ok(t) => p.milestones = Some(t),
                Err(m) => bad(i, m),
            }
        }
        if let Some((i, v)) = get(ProjectColumn::Period) {
            match parse_period(v) {
                Some((a, b)) => {
                    match (validate::year("开工年份", a), validate::year("竣工年份", b)) {
                        (Ok(a), Ok(b)) => (p.start_year, p.end_year) = (Some(a), Some(b)),
                        (Err(m), _) | (_, Err(m)) => bad(i, m),
                    }
                }
                None => bad(i, format!("“{v}”不是年份区间（应如2021-2025）")),
            }
        }
        for (col, slot) in [
            (ProjectColumn::StartYear, &mut p.start_year),
            (ProjectColumn::EndYear, &mut p.end_year),
        ] {
            if let Some((i, v)) = get(col) {
                match parse_period(v) {
                    Some((y, z)) if y == z => match validate::year(col.label(), y) {
                        Ok(y) => *slot = Some(y),
                        Err(m) => bad(i, m),
                    },
                    _ => bad(i, format!("“{v}”不是年份")),
                }
            }
        }
        if let (Some(a), Some(b)) = (p.start_year, p.end_year)
            && a > b
        {
            let i = at
                .get(&ProjectColumn::Period)
                .or(at.get(&ProjectColumn::EndYear))
                .copied()
                .unwrap_or(name_at);
            bad(i, format!("开工年份{a}晚于竣工年份{b}"));
        }
        for (col, slot) in [
            (ProjectColumn::TotalInvestment, &mut p.total_investment),
            (ProjectColumn::YearInvestment, &mut p.year_investment),
        ] {
            let Some((i, v)) = get(col) else { continue };
            let factor = sheet
                .columns
                .get(i)
                .and_then(|c| money_factor(&c.header))
                .unwrap_or(1.0);
            match parse_number(v) {
                Some(x) if x < 0.0 => bad(i, format!("“{v}”为负数")),
                Some(x) => match validate::value(col.label(), x * factor, Some("万元")) {
                    Ok(()) => *slot = Some(x * factor),
                    Err(m) => bad(i, m),
                },
                None => bad(i, format!("“{v}”不是数字")),
            }
        }
        for (col, slot, finish) in [
            (ProjectColumn::PlannedStart, &mut p.planned_start, false),
            (ProjectColumn::PlannedFinish, &mut p.planned_finish, true),
        ] {
            if let Some((i, v)) = get(col) {
                match parse_plan_date(col.label(), v, finish) {
                    Ok(d) => *slot = Some(d),
                    Err(m) => bad(i, m),
                }
            }
        }
        if let (Some(s), Some(f)) = (p.planned_start, p.planned_finish)
            && s > f
        {
            bad(
                at[&ProjectColumn::PlannedFinish],
                format!("计划竣工日期{}早于计划开工日期{}", zh_day(f), zh_day(s)),
            );
        }
        out.push(p);
    }
    if total_errors > errors.len() {
        errors.push(CellError {
            sheet: String::new(),
            row: 0,
            column: String::new(),
            message: format!("另有{}处错误未列出", total_errors - errors.len()),
        });
    }
    if !errors.is_empty() {
        for e in &mut errors {
            e.sheet = sheet.sheet.clone().unwrap_or_default();
        }
        return Err(errors);
    }
    if out.is_empty() {
        return Err(vec![CellError {
            sheet: String::new(),
            row: 0,
            column: String::new(),
            message: "表头下没有项目行".into(),
        }]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn sheet(text: &str) -> ProjectSheet {
        read_sheet(text.as_bytes(), "bank.csv").unwrap()
    }

    #[test]
    fn headers_propose_fields_and_units() {
        let check = |h: &str, want: Option<ProjectColumn>| assert_eq!(propose(h), want, "{h}");
        use ProjectColumn::*;
        check("项目名称", Some(Name));
        check(" 总投资\n(亿元)", Some(TotalInvestment));
        check("2024年计划投资(万元)", Some(YearInvestment));
        check("计划开工时间", Some(PlannedStart));
        check("计划竣工时间", Some(PlannedFinish));
        check("建设起止年限", Some(Period));
        check("责任单位", Some(Department));
        check("建设内容及规模", None);
        check("序号", None);
        assert_eq!(money_factor("总投资(亿元)"), Some(1e4));
        assert_eq!(money_factor("总投资"), Some(1.0));
        assert_eq!(money_factor("总投资(美元)"), None);
    }

    #[test]
    fn a_bank_with_title_groups_and_units() {
        let s = sheet(
            "青溪县2023年重点项目库,,,,,,,\n\
             序号,项目名称,建设地点,建设起止年限,总投资(亿元),2023年计划投资(万元),计划开工时间,责任单位\n\
             一、产业项目,,,,,,,\n\
             1,青溪经开区智能装备产业园项目,青溪经开区,2021-2025,25,42000,2021年3月,县工信局\n\
             2,县城冷链物流中心,城东新区,2023—2024年,1.2,\"8,000\",2023-04-15,县商务局\n\
             二、生态项目,,,,,,,\n\
             3,青溪河流域水环境综合治理项目,沿河乡镇,2022-2025,8.9,15000,,县生态环境局\n\
             合计,,,,35.1,65000,,\n",
        );
        assert_eq!(s.header_row, 2);
        let projects = projects_from_sheet(&s, &s.proposed()).unwrap();
        assert_eq!(projects.len(), 3);
        let p = &projects[0];
        assert_eq!(p.row, 4);
        assert_eq!(p.name, "青溪经开区智能装备产业园项目");
        assert_eq!(p.field, Some(ProjectField::Industry), "from the group row");
        assert_eq!((p.start_year, p.end_year), (Some(2021), Some(2025)));
        // 25 亿元 = 250000 万元.
        assert_eq!(p.total_investment, Some(250000.0));
        assert_eq!(p.year_investment, Some(42000.0));
        assert_eq!(p.planned_start, Some(date(2021, 3, 1)));
        assert_eq!(p.department.as_deref(), Some("县工信局"));
        // 1.2 亿元 = 12000 万元; `8,000` has a thousands separator.
        assert_eq!(projects[1].total_investment, Some(12000.0));
        assert_eq!(projects[1].year_investment, Some(8000.0));
        assert_eq!(projects[1].planned_start, Some(date(2023, 4, 15)));
        assert_eq!(projects[2].field, Some(ProjectField::Ecology));
    }

    #[test]
    fn every_bad_cell_is_named() {
        let s = sheet(
            "项目名称,领域,总投资(万元),建设起止年限,计划竣工时间\n\
             甲项目,产业,abc,2021-2025,2023-12-31\n\
             乙项目,火星,100,2025-2021,2023-13-01\n\
             甲项目,生态,-5,20x1,\n\
             ,民生,1,2021,\n\
             丙\u{202E}项目,民生,1e20,2021,\n",
        );
        let errors = projects_from_sheet(&s, &s.proposed()).unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        let want = [
            "第2行，C列（总投资(万元)）：“abc”不是数字",
            "第3行，B列（领域）：“火星”不是已知领域",
            "第3行，D列（建设起止年限）：开工年份2025晚于竣工年份2021",
            "第3行，E列（计划竣工时间）：计划竣工日期“2023-13-01”不是有效日期",
            "第4行，A列（项目名称）：与第2行的项目重名",
            "第4行，C列（总投资(万元)）：“-5”为负数",
            "第4行，D列（建设起止年限）：“20x1”不是年份区间",
            "第5行，A列（项目名称）：项目名称为空",
            "第6行，A列（项目名称）：项目名称",
            "第6行，C列（总投资(万元)）：总投资",
        ];
        for w in want {
            assert!(
                text.iter().any(|t| t.starts_with(w)),
                "{w} not in {text:#?}"
            );
        }
        assert_eq!(text.len(), want.len(), "{text:#?}");
    }

    #[test]
    fn the_mapping_is_checked() {
        let s = sheet("名称,总投资,责任单位\n甲项目,1,县工信局\n");
        let mut m = s.proposed();
        m.0[2] = Some(ProjectColumn::Name);
        let errors = projects_from_sheet(&s, &m).unwrap_err();
        assert!(
            errors[0]
                .to_string()
                .contains("“项目名称”同时对应了A列（名称）和C列（责任单位）")
        );
        let none = Mapping(vec![None, Some(ProjectColumn::TotalInvestment), None]);
        let errors = projects_from_sheet(&s, &none).unwrap_err();
        assert!(errors[0].to_string().contains("没有一列对应“项目名称”"));
        // The person importing may map an unrecognised header by hand.
        let s = sheet("名称,投资额,单位\n甲项目,12,县工信局\n");
        assert_eq!(s.proposed().0, vec![Some(ProjectColumn::Name), None, None]);
        let m = Mapping(vec![
            Some(ProjectColumn::Name),
            Some(ProjectColumn::TotalInvestment),
            Some(ProjectColumn::Department),
        ]);
        let p = projects_from_sheet(&s, &m).unwrap();
        assert_eq!(p[0].total_investment, Some(12.0));
        assert_eq!(p[0].department.as_deref(), Some("县工信局"));
    }

    #[test]
    fn no_header_no_rows() {
        let err = read_sheet("a,b\n1,2\n".as_bytes(), "x.csv").unwrap_err();
        assert!(err.0.contains("没有找到表头行"), "{err}");
        let s = sheet("项目名称,总投资\n合计,0\n");
        let errors = projects_from_sheet(&s, &s.proposed()).unwrap_err();
        assert!(errors[0].to_string().contains("表头下没有项目行"));
    }

    #[test]
    fn periods_and_dates() {
        assert_eq!(parse_period("2021-2025"), Some((2021, 2025)));
        assert_eq!(parse_period("2021年-2025年"), Some((2021, 2025)));
        assert_eq!(parse_period("2021—2025年"), Some((2021, 2025)));
        assert_eq!(parse_period("2023"), Some((2023, 2023)));
        assert_eq!(parse_period("21-25"), None);
        assert_eq!(
            parse_plan_date("d", "2024年3月", true),
            Ok(date(2024, 3, 31))
        );
        assert_eq!(parse_plan_date("d", "2024.03", false), Ok(date(2024, 3, 1)));
        assert!(parse_plan_date("d", "2024-13", false).is_err());
        assert!(parse_plan_date("d", "3月", false).is_err());
        assert!(parse_plan_date("d", "99999-1", false).is_err());
    }

    #[test]
    fn an_xlsx_bank_names_its_sheet_row_and_column() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        ws.set_name("项目库").unwrap();
        let header = ["项目名称", "总投资(亿元)", "责任单位"];
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1, 0, "青溪大道改造工程").unwrap();
        ws.write_number(1, 1, 0.8).unwrap();
        ws.write_string(1, 2, "县交通局").unwrap();
        ws.write_string(2, 0, "县第二污水处理厂").unwrap();
        ws.write_string(2, 1, "约两亿").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let s = read_sheet(&bytes, "项目库.xlsx").unwrap();
        assert_eq!(s.sheet.as_deref(), Some("项目库"));
        let errors = projects_from_sheet(&s, &s.proposed()).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0]
                .to_string()
                .starts_with("工作表“项目库”第3行，B列（总投资(亿元)）：“约两亿”不是数字"),
            "{}",
            errors[0]
        );
        // Fixed, the row reads: 0.8 亿元 = 8000 万元.
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1, 0, "青溪大道改造工程").unwrap();
        ws.write_number(1, 1, 0.8).unwrap();
        let s = read_sheet(&book.save_to_buffer().unwrap(), "项目库.xlsx").unwrap();
        let p = projects_from_sheet(&s, &s.proposed()).unwrap();
        assert_eq!(p[0].total_investment, Some(8000.0));
        assert_eq!(p[0].row, 2);
    }
}
