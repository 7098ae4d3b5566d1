//! Indicators from indicator tables: name, unit, category, attribute, baseline,
//! target and annual growth, each value keeping its verbatim text.

use planwatch_core::plan::{
    Attribute, ColumnRole, GrowthCell, Indicator, ItemSource, Table, TableRow, ValueCell,
};
use planwatch_core::quantity::parse_value;

use super::doc::{char_len, compact};
use super::table::first_year;

/// Indicators of every table that sets targets (review tables of the last plan are skipped).
pub fn from_tables(tables: &[Table], plan_end: Option<i32>) -> Vec<Indicator> {
    tables
        .iter()
        .filter(|t| !is_review_table(t))
        .flat_map(|t| {
            let has = |r: ColumnRole| t.roles.contains(&r);
            let usable = has(ColumnRole::Name)
                && (has(ColumnRole::Target) || t.roles.iter().any(|r| is_growth(*r)));
            let rows: &[TableRow] = if usable { &t.rows } else { &[] };
            rows.iter()
                .filter_map(move |r| indicator_of(t, r, plan_end))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A column of average annual rates or five-year totals.
fn is_growth(role: ColumnRole) -> bool {
    matches!(
        role,
        ColumnRole::Annual | ColumnRole::Cumulative | ColumnRole::AnnualOrCumulative
    )
}

/// A table reviewing the previous plan (“十三五”规划主要目标完成情况) sets no new targets.
fn is_review_table(t: &Table) -> bool {
    let title = compact(t.title.as_deref().unwrap_or(""));
    let joined = t.header.join("");
    let header = compact(&joined);
    title.contains("完成情况")
        || header.contains("完成情况")
        || (header.contains("十三五") && !header.contains("2025"))
}

fn indicator_of(table: &Table, row: &TableRow, plan_end: Option<i32>) -> Option<Indicator> {
    let col = |role: ColumnRole| table.roles.iter().position(|r| *r == role);
    let cell = |c: Option<usize>| c.and_then(|c| row.cells.get(c)).map(|s| s.trim());
    let shown = cell(col(ColumnRole::Name))?;
    // A sub-row shows `parent > name`; the indicator is named after both.
    let (raw_name, parent) = match &row.parent {
        Some(p) => (
            shown.strip_prefix(&format!("{p} > ")).unwrap_or(shown),
            Some(split_unit(split_seq(p).1)),
        ),
        None => (shown, None),
    };
    if raw_name.is_empty() || raw_name.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // `1.国内生产总值(GDP)增长(%)`: a 序号 written into the name.
    let (seq_in_name, raw_name) = split_seq(raw_name);
    let (own, unit_in_name) = split_unit(raw_name);
    let name = match &parent {
        Some((p, _)) => format!("{p}：{own}"),
        None => own,
    };
    let unit = cell(col(ColumnRole::Unit))
        .filter(|u| !u.is_empty() && *u != "—")
        .map(str::to_string)
        .or(unit_in_name)
        .or_else(|| parent.as_ref().and_then(|(_, u)| u.clone()));
    let attribute = cell(col(ColumnRole::Attribute))
        .and_then(attribute_of)
        .or_else(|| row.cells.iter().find_map(|c| attribute_of(c)));
    let header_year = |c: Option<usize>| {
        c.and_then(|c| table.header.get(c))
            .and_then(|h| first_year(&compact(h)))
    };
    let baseline_col = col(ColumnRole::Baseline);
    let target_col = col(ColumnRole::Target);
    let baseline = cell(baseline_col).map(|t| ValueCell::parse(t, header_year(baseline_col)));
    let target =
        cell(target_col).map(|t| ValueCell::parse(t, header_year(target_col).or(plan_end)));
    let growth = table
        .roles
        .iter()
        .enumerate()
        .filter(|(_, r)| is_growth(**r))
        .find_map(|(c, r)| Some((*r, row.cells.get(c)?.trim())))
        .filter(|(_, t)| !t.is_empty())
        .map(|(role, t)| {
            let v = parse_value(t);
            GrowthCell {
                text: t.to_string(),
                value: v.value,
                cumulative: v.cumulative || role == ColumnRole::Cumulative,
                comparator: v.comparator,
                column: Some(role),
            }
        });
    let seq = cell(col(ColumnRole::Seq))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .or(seq_in_name);
    Some(Indicator {
        line: row.line,
        source: ItemSource::Table,
        category: row.category.clone(),
        name,
        unit,
        attribute,
        baseline,
        target,
        growth,
        seq,
        parent: parent.map(|(p, _)| p),
        page: None,
    })
}

/// `1.国内生产总值` → (`1`, `国内生产总值`); a name without a leading number is kept whole.
fn split_seq(name: &str) -> (Option<String>, &str) {
    let digits = name.chars().take_while(char::is_ascii_digit).count();
    let rest = &name[digits..];
    let marker = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '.' | '、' | '．' | ' '));
    match marker {
        Some(m)
            if (1..=3).contains(&digits)
                && !rest[m.len_utf8()..].starts_with(|c: char| c.is_ascii_digit()) =>
        {
            (
                Some(name[..digits].to_string()),
                rest[m.len_utf8()..].trim_start(),
            )
        }
        _ => (None, name),
    }
}

fn attribute_of(cell: &str) -> Option<Attribute> {
    match compact(cell).as_ref() {
        "预期性" => Some(Attribute::Expected),
        "约束性" => Some(Attribute::Binding),
        _ => None,
    }
}

/// `地区生产总值(亿元)` → (`地区生产总值`, `亿元`); a trailing `*` is dropped.
/// Parentheses that are part of the name (`执业(助理)医师数`) stay.
pub fn split_unit(raw: &str) -> (String, Option<String>) {
    let name = raw.trim().trim_end_matches(['*', '*', '※']).trim();
    if let Some(open) = name.rfind('(')
        && name.ends_with(')')
    {
        let inner = &name[open + 1..name.len() - 1];
        if looks_like_unit(inner) {
            return (name[..open].trim().to_string(), Some(inner.to_string()));
        }
    }
    (name.to_string(), None)
}

/// Units written in names: %, 亿元, 万人, 平方米, 件/万人, 吨标准煤/万元 ….
fn looks_like_unit(s: &str) -> bool {
    const UNIT_CHARS: &str = "%‰元亿万千百个件人年岁米公里顷亩吨平方标准煤天次户所家床张辆台座项套条kmgtKWh/·立³²二氧化碳度小时分钟";
    !s.is_empty()
        && char_len(s) <= 10
        && s.chars()
            .all(|c| UNIT_CHARS.contains(c) || c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_in_names() {
        let check = |raw: &str, name: &str, unit: Option<&str>| {
            assert_eq!(
                split_unit(raw),
                (name.to_string(), unit.map(str::to_string)),
                "{raw}"
            );
        };
        check("地区生产总值(亿元)", "地区生产总值", Some("亿元"));
        check("全员劳动生产率(%)*", "全员劳动生产率", Some("%"));
        check(
            "每千人口拥有执业(助理)医师数(人)*",
            "每千人口拥有执业(助理)医师数",
            Some("人"),
        );
        check("新增常住人口(万)", "新增常住人口", Some("万"));
        check("社会治安综合治理满意度", "社会治安综合治理满意度", None);
        check(
            "人均公共文化体育设施面积(平方米)",
            "人均公共文化体育设施面积",
            Some("平方米"),
        );
        check(
            "贫困人口累计减少(至2020年实现全面脱贫)",
            "贫困人口累计减少(至2020年实现全面脱贫)",
            None,
        );
    }

    fn table(header: &[&str], rows: &[&[&str]]) -> Table {
        let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
        Table {
            roles: crate::structure::table::column_roles(&header, None),
            header,
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| TableRow {
                    parent: None,
                    line: 10 + i,
                    cells: r.iter().map(|s| s.to_string()).collect(),
                    category: None,
                })
                .collect(),
            ..Table::default()
        }
    }

    #[test]
    fn indicator_fields_from_a_target_table() {
        let t = table(
            &[
                "类别",
                "序号",
                "指标名称",
                "单位",
                "2020年",
                "2025年",
                "年均增速% [累计]",
                "属性",
            ],
            &[
                &[
                    "经济 发展",
                    "1",
                    "地区生产总值增长率",
                    "%",
                    "5.5",
                    "—",
                    "8",
                    "预期性",
                ],
                &[
                    "绿色 生态",
                    "20",
                    "单位GDP能源消耗降幅",
                    "%",
                    "4.92",
                    "完成省市下达任务",
                    "",
                    "约束性",
                ],
                &[
                    "民生",
                    "14",
                    "城镇调查失业率",
                    "%",
                    "4.9",
                    "≤5以内",
                    "—",
                    "约束性",
                ],
            ],
        );
        let inds = from_tables(&[t], Some(2025));
        assert_eq!(inds.len(), 3);
        let gdp = &inds[0];
        assert_eq!(gdp.name, "地区生产总值增长率");
        assert_eq!(gdp.baseline.as_ref().unwrap().value, Some(5.5));
        assert_eq!(gdp.baseline.as_ref().unwrap().year, Some(2020));
        assert_eq!(gdp.target.as_ref().unwrap().value, None);
        assert_eq!(gdp.growth.as_ref().unwrap().value, Some(8.0));
        assert_eq!(inds[1].attribute, Some(Attribute::Binding));
        assert_eq!(inds[1].target.as_ref().unwrap().text, "完成省市下达任务");
        let jobless = inds[2].target.as_ref().unwrap();
        assert_eq!(
            (jobless.value, jobless.comparator, jobless.year),
            (
                Some(5.0),
                Some(planwatch_core::quantity::Comparator::Le),
                Some(2025)
            )
        );
    }

    #[test]
    fn a_seq_written_into_the_name() {
        assert_eq!(
            split_seq("1.国内生产总值(GDP)增长(%)"),
            (Some("1".into()), "国内生产总值(GDP)增长(%)")
        );
        assert_eq!(
            split_seq("12、森林覆盖率"),
            (Some("12".into()), "森林覆盖率")
        );
        assert_eq!(split_seq("5G基站数"), (None, "5G基站数"));
        assert_eq!(split_seq("3.5万人"), (None, "3.5万人"));
    }

    #[test]
    fn review_tables_give_no_indicators() {
        let mut t = table(
            &[
                "指标",
                "单位",
                "“十三五”规划目标 > 2020年",
                "2020年 > 2020年",
            ],
            &[&["人均GDP", "万元", "5.7", "4.9"]],
        );
        t.title = Some("专栏1-1:“十三五”规划主要目标完成情况".into());
        assert!(from_tables(&[t], Some(2025)).is_empty());
    }
}
