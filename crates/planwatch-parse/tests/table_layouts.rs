//! The layout matrix: every indicator table we know (the project's fixtures, and the
//! gold tables of `../shared` when present) rendered in every layout of
//! `support/layouts.rs` must parse to the same indicators — name, unit, category,
//! baseline, target, annual/cumulative value, attribute and parent.

mod support;

use std::path::Path;

use planwatch_core::plan::{Attribute, Plan};
use serde_json::Value;
use support::layouts::{Expected, LAYOUTS, Spec, SpecRow, expected};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tables");
const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");

fn fixture_specs() -> Vec<(String, Spec)> {
    let mut specs = Vec::new();
    for entry in std::fs::read_dir(FIXTURES).unwrap() {
        let path = entry.unwrap().path();
        let spec: Spec = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        specs.push((
            path.file_stem().unwrap().to_string_lossy().to_string(),
            spec,
        ));
    }
    specs.sort_by(|a, b| a.0.cmp(&b.0));
    specs
}

/// The role of a gold column, by the words of its header.
fn gold_role(h: &str) -> &'static str {
    if h.contains("序号") {
        "seq"
    } else if h.contains("属性") {
        "attribute"
    } else if h == "单位" {
        "unit"
    } else if (h.contains("增") || h.contains("年均")) && h.contains("累计") {
        "annual_or_cumulative"
    } else if h.contains("增") || h.contains("年均") {
        "annual"
    } else if h.contains("指标") {
        "name"
    } else if h.contains("2025") || h.contains("目标") {
        "target"
    } else {
        "baseline"
    }
}

/// The target tables of the gold files (review tables set no targets).
fn gold_specs() -> Vec<(String, Spec)> {
    let dir = Path::new(SHARED).join("gold");
    if !dir.is_dir() {
        println!("skipped: ../shared not found (gold tables not in the matrix)");
        return Vec::new();
    }
    let mut specs = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let gold: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for (k, t) in gold["indicator_tables"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            let title = t["title"].as_str().unwrap_or("主要指标").to_string();
            if title.contains("完成情况") {
                continue;
            }
            let columns: Vec<String> = t["columns"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap().to_string())
                .filter(|c| c != "类别")
                .collect();
            let roles: Vec<String> = columns.iter().map(|c| gold_role(c).to_string()).collect();
            let has_unit = roles.iter().any(|r| r == "unit");
            let rows = t["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    let s = |k: &str| r[k].as_str().map(str::to_string).filter(|s| !s.is_empty());
                    SpecRow {
                        category: s("category"),
                        seq: s("seq"),
                        name: s("name").unwrap(),
                        parent: None,
                        unit: if has_unit { s("unit") } else { None },
                        cells: r["cells"]
                            .as_object()
                            .unwrap()
                            .iter()
                            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                            .collect(),
                        attribute: s("attribute"),
                    }
                })
                .collect();
            let stem = path.file_stem().unwrap().to_string_lossy();
            specs.push((
                format!("gold {stem} #{k}"),
                Spec {
                    title,
                    columns,
                    roles,
                    rows,
                },
            ));
        }
    }
    specs
}

fn actual(plan: &Plan) -> Vec<Expected> {
    plan.indicators
        .iter()
        .filter(|i| i.source == planwatch_core::plan::ItemSource::Table)
        .map(|i| Expected {
            name: i.name.clone(),
            unit: i.unit.clone(),
            category: i.category.clone(),
            baseline: i.baseline.as_ref().and_then(|v| v.value),
            target: i.target.as_ref().and_then(|v| v.value),
            growth: i.growth.as_ref().and_then(|v| v.value),
            attribute: i.attribute.map(|a| match a {
                Attribute::Expected => "预期性".to_string(),
                Attribute::Binding => "约束性".to_string(),
            }),
            parent: i.parent.clone(),
        })
        .collect()
}

/// Spaces do not count in names and categories (`经济 发展` is `经济发展`).
fn canonical(mut e: Expected) -> Expected {
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    e.name = squash(&e.name).replace('*', "");
    e.category = e.category.as_deref().map(squash);
    e.parent = e.parent.as_deref().map(squash);
    e
}

/// The first difference between what a layout gave and what it should give.
fn first_difference(got: &[Expected], want: &[Expected]) -> Option<String> {
    if got.len() != want.len() {
        let names: Vec<&str> = got.iter().map(|g| g.name.as_str()).collect();
        return Some(format!(
            "{} indicators instead of {}: {names:?}",
            got.len(),
            want.len()
        ));
    }
    got.iter()
        .zip(want)
        .find(|(g, w)| g != w)
        .map(|(g, w)| format!("got {g:?}\n     want {w:?}"))
}

#[test]
fn every_table_parses_alike_in_every_layout() {
    let specs: Vec<(String, Spec)> = fixture_specs().into_iter().chain(gold_specs()).collect();
    assert!(specs.len() >= 4, "fixtures missing");
    let mut failures = Vec::new();
    let mut matrix = String::from("table × layout (✓ = same indicators)\n");
    for (k, (layout, _)) in LAYOUTS.iter().enumerate() {
        matrix.push_str(&format!("  layout {:>2}: {layout}\n", k + 1));
    }
    matrix.push_str(&format!("{:<24}", ""));
    for k in 1..=LAYOUTS.len() {
        matrix.push_str(&format!("{k:>3}"));
    }
    matrix.push('\n');
    for (name, spec) in &specs {
        let want: Vec<Expected> = expected(spec).into_iter().map(canonical).collect();
        matrix.push_str(&format!("{name:<24}"));
        for (layout, render) in LAYOUTS {
            let doc = render(spec);
            // PLANWATCH_DUMP_LAYOUTS=DIR writes every rendered document, for a person to read.
            if let Ok(dir) = std::env::var("PLANWATCH_DUMP_LAYOUTS") {
                let file = format!(
                    "{name}-{}-{}",
                    layout.replace([' ', ',', '|', '/'], "_"),
                    doc.path
                );
                std::fs::write(Path::new(&dir).join(file), &doc.bytes).unwrap();
            }
            let plan = planwatch_parse::parse_bytes(&doc.bytes, doc.path).expect("decodes");
            let got: Vec<Expected> = actual(&plan).into_iter().map(canonical).collect();
            match first_difference(&got, &want) {
                None => matrix.push_str("  ✓"),
                Some(diff) => {
                    matrix.push_str("  ✗");
                    failures.push(format!("{name} / {layout}: {diff}"));
                }
            }
        }
        matrix.push('\n');
    }
    println!("{matrix}");
    assert!(failures.is_empty(), "{matrix}\n{}", failures.join("\n"));
    assert!(LAYOUTS.len() >= 10);
}
