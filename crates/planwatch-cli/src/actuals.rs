//! Loading an actuals file (CSV or XLSX, read by `planwatch_parse::actuals`) for the
//! commands that evaluate without a database.

use anyhow::{Context, Result, anyhow};
use planwatch_core::actuals::NewObservation;
use planwatch_core::eval::input::split;
use planwatch_core::eval::{AnnualTarget, Observation};
use planwatch_parse::actuals::read_actuals;

/// Read every row of an actuals file; errors name the file, row and column.
pub fn load(path: &std::path::Path) -> Result<Vec<NewObservation>> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("{name}: 无法读取文件"))?;
    read_actuals(&bytes, &name).map_err(|e| anyhow!("{name}: {e}"))
}

/// Every row of several actuals files, in the order given.
pub fn load_all(paths: &[std::path::PathBuf]) -> Result<Vec<NewObservation>> {
    let mut rows = Vec::new();
    for p in paths {
        rows.extend(load(p)?);
    }
    Ok(rows)
}

/// Observations and annual targets of one region; all rows when the region is unknown
/// or absent from the file, with a note saying so.
pub fn for_region(
    rows: &[NewObservation],
    region: Option<&str>,
) -> (Vec<Observation>, Vec<AnnualTarget>, Option<String>) {
    let matches = |r: &NewObservation| region.is_some_and(|want| r.region == want);
    let any = rows.iter().any(matches);
    let note = match region {
        Some(want) if !any => Some(format!("数据文件中没有“{want}”的数据，使用了全部行")),
        None => Some("规划未写明地区，使用了数据文件的全部行".to_string()),
        _ => None,
    };
    let inputs = rows
        .iter()
        .filter(|r| !any || matches(r))
        .filter_map(NewObservation::interpret);
    let (obs, annual) = split(inputs);
    (obs, annual, note)
}

#[cfg(test)]
mod tests {
    use super::*;
    use planwatch_core::eval::ObservationKind;

    fn rows(body: &str) -> Vec<NewObservation> {
        let csv = format!("region,year,indicator,value,unit,kind,source_url,note\n{body}");
        read_actuals(csv.as_bytes(), "a.csv").unwrap()
    }

    #[test]
    fn region_filter() {
        let r = rows("甲区,2023,GDP,1,亿元,level,,\n乙区,2023,GDP,2,亿元,level,,\n");
        let (obs, _, note) = for_region(&r, Some("乙区"));
        assert_eq!(obs.iter().map(|o| o.value).collect::<Vec<_>>(), [2.0]);
        assert!(note.is_none());
        let (all, _, note) = for_region(&r, Some("丙区"));
        assert_eq!(all.len(), 2);
        assert!(note.is_some_and(|n| n.contains("丙区")));
        let (_, _, note) = for_region(&r, None);
        assert!(note.is_some_and(|n| n.contains("未写明地区")));
    }

    #[test]
    fn observations_and_annual_targets_are_separated() {
        let r = rows(
            "乙区,2023,地区生产总值增长,7,%,annual_target,,左右\n\
             乙区,2023,单位GDP能耗降低,2.2,%,growth_rate,,\n",
        );
        let (obs, annual, _) = for_region(&r, Some("乙区"));
        assert_eq!(obs[0].kind, ObservationKind::Reduction);
        assert_eq!(annual.len(), 1);
        assert!(annual[0].growth);
    }

    #[test]
    fn a_bad_row_names_file_row_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.csv");
        std::fs::write(
            &path,
            "region,year,indicator,value\n甲区,2023,GDP,1\n甲区,二〇二三,GDP,1\n",
        )
        .unwrap();
        let err = format!("{:#}", load(&path).unwrap_err());
        assert!(
            err.contains("bad.csv") && err.contains("第 3 行") && err.contains("year"),
            "{err}"
        );
    }
}
