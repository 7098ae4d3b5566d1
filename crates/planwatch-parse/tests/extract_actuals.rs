//! Precision and recall of the actuals extraction against expected lists written by
//! hand (`tests/fixtures/actuals/*.tsv`): the project's own samples always, the
//! shared seeds when `../shared` exists (skipped, and said so, otherwise).
//!
//! A proposal is right when its indicator, kind and unit are the expected ones and
//! its value equals the expected value (to a millionth, relative). Every document
//! must reach precision ≥ 0.95 and recall ≥ 0.8; the figures are printed
//! (`cargo test -p planwatch-parse --test extract_actuals -- --nocapture`).

use std::path::{Path, PathBuf};

use planwatch_core::codes::Code;
use planwatch_parse::extract::{Options, extract_bytes};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/actuals");
const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples");
const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");

/// One expected observation.
#[derive(Debug, Clone, PartialEq)]
struct Expected {
    indicator: String,
    value: f64,
    unit: String,
    kind: String,
}

/// An expected list: the document it is for, its region and year, and the rows.
struct List {
    document: String,
    region: String,
    year: i32,
    rows: Vec<Expected>,
}

fn read_list(path: &Path) -> List {
    let text = std::fs::read_to_string(path).unwrap();
    let header = |key: &str| -> String {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("# {key}: ")))
            .unwrap_or_else(|| panic!("{}: no `# {key}:` line", path.display()))
            .trim()
            .to_string()
    };
    let rows = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert!(c.len() >= 4, "{}: {l}", path.display());
            Expected {
                indicator: c[0].to_string(),
                value: c[1].parse().unwrap(),
                unit: c[2].to_string(),
                kind: c[3].to_string(),
            }
        })
        .collect();
    List {
        document: header("document"),
        region: header("region"),
        year: header("year").parse().unwrap(),
        rows,
    }
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

/// (precision, recall), after printing what was missed and what was wrong.
fn score(name: &str, file: &Path, list: &List) -> (f64, f64) {
    let bytes = std::fs::read(file).unwrap();
    let doc = extract_bytes(&bytes, &file.display().to_string(), &Options::default()).unwrap();
    assert_eq!(doc.region, list.region, "{name}: region");
    assert_eq!(doc.year, list.year, "{name}: year");
    let got: Vec<Expected> = doc
        .rows
        .iter()
        .map(|p| Expected {
            indicator: p.indicator.clone(),
            value: p.value,
            unit: p.unit.clone().unwrap_or_default(),
            kind: p.kind.code().to_string(),
        })
        .collect();
    let matches = |g: &Expected, e: &Expected| {
        g.indicator == e.indicator && g.kind == e.kind && g.unit == e.unit && same(g.value, e.value)
    };
    let right = got
        .iter()
        .filter(|g| list.rows.iter().any(|e| matches(g, e)))
        .count();
    let found = list
        .rows
        .iter()
        .filter(|e| got.iter().any(|g| matches(g, e)))
        .count();
    for g in got
        .iter()
        .filter(|g| !list.rows.iter().any(|e| matches(g, e)))
    {
        println!("  {name}: not expected: {g:?}");
    }
    for e in list
        .rows
        .iter()
        .filter(|e| !got.iter().any(|g| matches(g, e)))
    {
        println!("  {name}: missed: {e:?}");
    }
    let precision = if got.is_empty() {
        1.0
    } else {
        right as f64 / got.len() as f64
    };
    let recall = if list.rows.is_empty() {
        1.0
    } else {
        found as f64 / list.rows.len() as f64
    };
    println!(
        "{name}: proposed {}, expected {}, right {right}: precision {precision:.3}, recall {recall:.3}",
        got.len(),
        list.rows.len()
    );
    (precision, recall)
}

fn lists(prefix: &str) -> Vec<(String, List)> {
    let mut out: Vec<(String, List)> = std::fs::read_dir(FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "tsv")
                && p.file_name().unwrap().to_string_lossy().starts_with(prefix)
        })
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                read_list(&p),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn check_all(base: &Path, prefix: &str) -> usize {
    let mut failed = Vec::new();
    let all = lists(prefix);
    for (name, list) in &all {
        let file: PathBuf = base.join(&list.document);
        let (p, r) = score(name, &file, list);
        if p < 0.95 || r < 0.8 {
            failed.push(format!("{name}: precision {p:.3}, recall {r:.3}"));
        }
    }
    assert!(failed.is_empty(), "below 0.95/0.8: {failed:?}");
    all.len()
}

#[test]
fn samples_reach_the_bar() {
    // The lists name their document relative to the workspace root.
    let n = check_all(&PathBuf::from(SAMPLES).join(".."), "qingxi-");
    assert_eq!(n, 3, "three sample lists");
}

#[test]
fn shared_seeds_reach_the_bar() {
    let shared = PathBuf::from(SHARED);
    if !shared.join("seeds").is_dir() {
        println!("skipped: ../shared/seeds not found");
        return;
    }
    let n = check_all(&shared, "seed-");
    assert_eq!(n, 3, "three seed lists");
}
