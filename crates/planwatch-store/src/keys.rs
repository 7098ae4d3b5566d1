//! Stable keys for extracted items, so a correction made on one parse of a
//! document finds its item again in the next parse.
//!
//! A key never uses line numbers (an inserted paragraph moves every line). It is the
//! item kind plus the item's normalised wording: width folded, whitespace and
//! punctuation removed, numbers kept. Two items with the same wording in one
//! document get `#2`, `#3`, … in reading order.

use std::collections::HashMap;

use planwatch_core::quantity::fold_width;

/// Fold width, drop whitespace and punctuation, keep letters and digits.
pub fn normalise(text: &str) -> String {
    text.chars()
        .map(fold_width)
        .filter(|c| c.is_alphanumeric() || *c == '.' || *c == '%')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Hands out keys for one document, numbering repeats.
#[derive(Default)]
pub struct KeyMaker {
    seen: HashMap<String, usize>,
}

impl KeyMaker {
    /// The key of the next item of `kind` whose identifying text is `text`.
    pub fn key(&mut self, kind: &str, text: &str) -> String {
        let base = format!("{kind}:{}", normalise(text));
        let n = self.seen.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 { base } else { format!("{base}#{n}") }
    }
}

/// The lineage of a document: what stays the same when a plan is revised and
/// ingested again, so corrections follow it. A plan with a stated period is known by
/// region (code if given, else the name the text states), document type and first
/// year; anything else (a work report, a document of unknown type or region) by
/// region, type and file name, so two years' work reports stay two lineages.
pub fn lineage(
    region: Option<&str>,
    doc_type: &str,
    period_start: Option<i32>,
    path: &str,
) -> String {
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let region = region.map(normalise).unwrap_or_default();
    match period_start {
        Some(p) if doc_type != "unknown" => format!("{region}|{doc_type}|{p}"),
        _ => format!("{region}|{doc_type}|file:{}", normalise(file)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_folds_and_strips() {
        let check = |input: &str, expect: &str| assert_eq!(normalise(input), expect, "{input}");
        check("地区生产总值(亿元)", "地区生产总值亿元");
        check("地区生产总值(亿元)", "地区生产总值亿元");
        check(" 城镇  登记失业率 ", "城镇登记失业率");
        check("PM2.5 浓度", "pm2.5浓度");
        check("研发投入占比 2.5%", "研发投入占比2.5%");
        check("——推进 “一带一路”。", "推进一带一路");
        check("", "");
    }

    #[test]
    fn repeats_are_numbered_in_order() {
        let mut k = KeyMaker::default();
        assert_eq!(k.key("indicator", "GDP增速"), "indicator:gdp增速");
        assert_eq!(k.key("indicator", "GDP 增速"), "indicator:gdp增速#2");
        assert_eq!(k.key("task", "GDP增速"), "task:gdp增速");
        assert_eq!(k.key("indicator", "GDP增速"), "indicator:gdp增速#3");
    }

    #[test]
    fn lineage_prefers_region_and_period() {
        let check = |r: Option<&str>, t: &str, p: Option<i32>, path: &str, expect: &str| {
            assert_eq!(lineage(r, t, p, path), expect)
        };
        check(
            Some("430602"),
            "plan_outline",
            Some(2021),
            "a/b.txt",
            "430602|plan_outline|2021",
        );
        check(
            Some("430602"),
            "plan_outline",
            Some(2021),
            "c/d.txt",
            "430602|plan_outline|2021",
        );
        check(
            Some("岳阳楼区"),
            "work_report",
            None,
            "2023.txt",
            "岳阳楼区|work_report|file:2023.txt",
        );
        check(
            None,
            "plan_outline",
            Some(2021),
            "x.txt",
            "|plan_outline|2021",
        );
        check(
            Some("430602"),
            "unknown",
            Some(2021),
            "dir\\计划 v2.TXT",
            "430602|unknown|file:计划v2.txt",
        );
        check(
            None,
            "unknown",
            None,
            "dir/计划 v2.TXT",
            "|unknown|file:计划v2.txt",
        );
    }
}
