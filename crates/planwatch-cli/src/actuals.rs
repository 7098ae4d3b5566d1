//! The observation CSV: region, year, indicator, value, unit, kind, source_url, note
//! (or 地区, 年份, 指标, 数值, 单位, 类型, 来源, 备注), UTF-8 or GBK.

use anyhow::{Context, Result, bail};
use planwatch_core::catalogue::{Catalogue, NameMeasure};
use planwatch_core::eval::{AnnualTarget, Observation, ObservationKind, SourceKind};
use planwatch_core::quantity::{Comparator, fold_width};

/// One row of the file.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A published figure.
    Observation(Observation),
    /// A target set for one year (kind `annual_target`).
    AnnualTarget(AnnualTarget),
}

/// One row with its region.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Region as written (岳阳楼区).
    pub region: String,
    /// What the row holds.
    pub item: Item,
}

/// Every row of an actuals file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Actuals {
    /// Rows in file order.
    pub rows: Vec<Row>,
}

impl Actuals {
    /// Observations and annual targets of one region; all rows when the region is unknown
    /// or absent from the file, with a note saying so.
    pub fn for_region(
        &self,
        region: Option<&str>,
    ) -> (Vec<Observation>, Vec<AnnualTarget>, Option<String>) {
        let matches = |r: &Row| region.is_some_and(|want| r.region == want);
        let any = self.rows.iter().any(matches);
        let note = match region {
            Some(want) if !any => Some(format!("数据文件中没有“{want}”的数据,使用了全部行")),
            None => Some("规划未写明地区,使用了数据文件的全部行".to_string()),
            _ => None,
        };
        let mut obs = Vec::new();
        let mut annual = Vec::new();
        for row in self.rows.iter().filter(|r| !any || matches(r)) {
            match &row.item {
                Item::Observation(o) => obs.push(o.clone()),
                Item::AnnualTarget(a) => annual.push(a.clone()),
            }
        }
        (obs, annual, note)
    }
}

const COLUMNS: [(&str, &str); 8] = [
    ("region", "地区"),
    ("year", "年份"),
    ("indicator", "指标"),
    ("value", "数值"),
    ("unit", "单位"),
    ("kind", "类型"),
    ("source_url", "来源"),
    ("note", "备注"),
];

/// Column positions by the English name.
struct Header(Vec<Option<usize>>);

impl Header {
    fn read(record: &csv::StringRecord, path: &str) -> Result<Header> {
        let cells: Vec<String> = record
            .iter()
            .map(|c| c.trim().trim_start_matches('\u{feff}').to_string())
            .collect();
        let positions: Vec<Option<usize>> = COLUMNS
            .iter()
            .map(|(en, zh)| {
                cells
                    .iter()
                    .position(|c| c.eq_ignore_ascii_case(en) || c == zh)
            })
            .collect();
        for (i, (en, zh)) in COLUMNS.iter().enumerate() {
            let required = matches!(*en, "region" | "year" | "indicator" | "value" | "kind");
            if required && positions[i].is_none() {
                bail!("{path}: 表头缺少“{en}”({zh})列");
            }
        }
        Ok(Header(positions))
    }

    fn get<'r>(&self, record: &'r csv::StringRecord, name: &str) -> &'r str {
        let i = COLUMNS
            .iter()
            .position(|(en, _)| *en == name)
            .and_then(|i| self.0[i]);
        i.and_then(|i| record.get(i)).unwrap_or("").trim()
    }
}

/// Read an actuals file; a bad row is an error naming the file, row and column.
pub fn read_actuals(bytes: &[u8], path: &str) -> Result<Actuals> {
    let (text, _) = planwatch_parse::decode::decode_text(bytes)
        .with_context(|| format!("{path}: 无法解码文本"))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(r) => Header::read(&r.with_context(|| format!("{path}: 第1行无法读取"))?, path)?,
        None => bail!("{path}: 文件为空"),
    };
    let mut actuals = Actuals::default();
    for (i, record) in records.enumerate() {
        let row_no = i + 2;
        let record = record.with_context(|| format!("{path}: 第{row_no}行无法读取"))?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row = read_row(&header, &record)
            .map_err(|(column, msg)| anyhow::anyhow!("{path}: 第{row_no}行“{column}”列:{msg}"))?;
        actuals.rows.push(row);
    }
    Ok(actuals)
}

type RowError = (&'static str, String);

fn read_row(h: &Header, r: &csv::StringRecord) -> Result<Row, RowError> {
    let region = h.get(r, "region").to_string();
    let indicator = h.get(r, "indicator").to_string();
    if indicator.is_empty() {
        return Err(("indicator", "指标名称为空".into()));
    }
    let (from_year, year) = parse_years(h.get(r, "year"))
        .ok_or(("year", format!("无法识别年份“{}”", h.get(r, "year"))))?;
    let value = parse_number(h.get(r, "value"))
        .ok_or(("value", format!("无法识别数值“{}”", h.get(r, "value"))))?;
    let unit = Some(h.get(r, "unit").to_string()).filter(|u| !u.is_empty());
    let note = h.get(r, "note");
    let reference = Some(h.get(r, "source_url").to_string()).filter(|u| !u.is_empty());
    let kind = h.get(r, "kind");
    if matches!(kind, "annual_target" | "年度目标") {
        let growth = unit.as_deref() == Some("%") && is_growth_name(&indicator);
        let comparator = comparator_in(note);
        let item = AnnualTarget {
            indicator,
            year,
            value,
            growth,
            comparator,
            reference,
        };
        return Ok(Row {
            region,
            item: Item::AnnualTarget(item),
        });
    }
    let kind = parse_kind(kind).ok_or((
        "kind",
        format!("未知类型“{kind}”(应为 level、growth_rate、reduction、share 或 annual_target)"),
    ))?;
    let observation = Observation {
        indicator,
        year,
        from_year: (from_year != year).then_some(from_year),
        value,
        kind,
        unit,
        source: SourceKind::from_text(note),
        vintage: String::new(),
        reference,
    };
    Ok(Row {
        region,
        item: Item::Observation(observation),
    })
}

/// `2023` or a span `2021-2025`.
fn parse_years(text: &str) -> Option<(i32, i32)> {
    let folded: String = text.chars().map(fold_width).collect();
    let parts: Vec<&str> = folded
        .split(['-', '—', '–', '~', '至'])
        .map(str::trim)
        .collect();
    let year = |s: &str| {
        s.trim_end_matches('年')
            .parse::<i32>()
            .ok()
            .filter(|y| (1949..=2100).contains(y))
    };
    match parts.as_slice() {
        [one] => year(one).map(|y| (y, y)),
        [a, b] => Some((year(a)?, year(b)?)).filter(|(a, b)| a <= b),
        _ => None,
    }
}

fn parse_number(text: &str) -> Option<f64> {
    let folded: String = text.chars().map(fold_width).filter(|c| *c != ',').collect();
    folded.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

fn parse_kind(text: &str) -> Option<ObservationKind> {
    Some(match text {
        "level" | "总量" | "水平" => ObservationKind::Level,
        "growth_rate" | "增长率" | "增速" => ObservationKind::GrowthRate,
        "reduction" | "降低率" => ObservationKind::Reduction,
        "share" | "比重" => ObservationKind::Share,
        _ => return None,
    })
}

fn is_growth_name(name: &str) -> bool {
    Catalogue::builtin()
        .find(name)
        .is_some_and(|m| m.measure == NameMeasure::Growth)
        || name.ends_with("增长")
        || name.ends_with("增速")
}

fn comparator_in(note: &str) -> Option<Comparator> {
    if note.contains("左右") {
        Some(Comparator::Approx)
    } else if note.contains("以上") {
        Some(Comparator::Ge)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "region,year,indicator,value,unit,kind,source_url,note\n";

    fn read(body: &str) -> Result<Actuals> {
        read_actuals(format!("{HEADER}{body}").as_bytes(), "a.csv")
    }

    #[test]
    fn rows_of_every_kind() {
        let a = read(
            "岳阳楼区,2023,地区生产总值,804.28,亿元,level,https://x,统计公报\n\
             岳阳楼区,2023,地区生产总值增长,6.1,%,growth_rate,,\n\
             岳阳楼区,2023,第三产业增加值占GDP比重,83,%,share,,\n\
             岳阳楼区,2021,地区生产总值增长,8,%,annual_target,,原文“左右”\n\
             岳阳楼区,2021-2025,地区生产总值增长,6.2,%,growth_rate,,\n",
        )
        .unwrap();
        assert_eq!(a.rows.len(), 5);
        let Item::Observation(gdp) = &a.rows[0].item else {
            panic!("observation")
        };
        assert_eq!(
            (gdp.year, gdp.value, gdp.kind, gdp.source),
            (
                2023,
                804.28,
                ObservationKind::Level,
                SourceKind::StatisticalBulletin
            )
        );
        let Item::AnnualTarget(t) = &a.rows[3].item else {
            panic!("annual target")
        };
        assert!(t.growth);
        assert_eq!(t.comparator, Some(Comparator::Approx));
        let Item::Observation(span) = &a.rows[4].item else {
            panic!("observation")
        };
        assert_eq!((span.from_year, span.year), (Some(2021), 2025));
    }

    #[test]
    fn chinese_headers_and_gbk() {
        let text = "地区,年份,指标,数值,单位,类型,来源,备注\n岳阳楼区,2022,地区生产总值,\"777.54\",亿元,level,,\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let a = read_actuals(&gbk, "g.csv").unwrap();
        assert_eq!(a.rows.len(), 1);
        assert_eq!(a.rows[0].region, "岳阳楼区");
    }

    #[test]
    fn bad_rows_name_row_and_column() {
        let cases = [
            ("岳阳楼区,二〇二三,GDP,1,亿元,level,,\n", "第2行“year”列"),
            ("岳阳楼区,2023,GDP,约800,亿元,level,,\n", "第2行“value”列"),
            ("岳阳楼区,2023,GDP,800,亿元,guess,,\n", "第2行“kind”列"),
            (
                "岳阳楼区,2023,GDP,800,亿元,level,,\n岳阳楼区,2023,,800,亿元,level,,\n",
                "第3行“indicator”列",
            ),
        ];
        for (body, want) in cases {
            let err = format!("{:#}", read(body).unwrap_err());
            assert!(err.contains(want) && err.contains("a.csv"), "{err}");
        }
        let err = format!(
            "{:#}",
            read_actuals(b"region,year,value\n", "h.csv").unwrap_err()
        );
        assert!(err.contains("indicator"), "{err}");
        assert!(read_actuals(b"", "e.csv").is_err());
    }

    #[test]
    fn region_filter() {
        let a = read("甲区,2023,GDP,1,亿元,level,,\n乙区,2023,GDP,2,亿元,level,,\n").unwrap();
        let (obs, _, note) = a.for_region(Some("乙区"));
        assert_eq!(obs.iter().map(|o| o.value).collect::<Vec<_>>(), [2.0]);
        assert!(note.is_none());
        let (all, _, note) = a.for_region(Some("丙区"));
        assert_eq!(all.len(), 2);
        assert!(note.is_some_and(|n| n.contains("丙区")));
    }
}
