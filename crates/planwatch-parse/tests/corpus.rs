//! The real published seeds in `../shared` (present in CI, absent in a user's
//! clone): every seed parses, and every gold table row, marked heading and box
//! is found at its line. The full scoring (prose targets, fields) is run by
//! `.ci/run` with `../shared/tools/score_parse.py`.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if dir.join("seeds").is_dir() {
        Some(dir)
    } else {
        println!("skipped: ../shared not found");
        None
    }
}

/// Each gold file with the seed it annotates.
fn gold_and_seeds(shared: &Path) -> Vec<(Value, PathBuf)> {
    let mut pairs = Vec::new();
    for entry in std::fs::read_dir(shared.join("gold")).unwrap() {
        let path = entry.unwrap().path();
        let gold: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let seed = shared.join("seeds").join(gold["file"].as_str().unwrap());
        pairs.push((gold, seed));
    }
    pairs.sort_by(|a, b| a.1.cmp(&b.1));
    pairs
}

fn parse(seed: &Path) -> planwatch_core::plan::Plan {
    let bytes = std::fs::read(seed).unwrap();
    planwatch_parse::parse_bytes(&bytes, &seed.display().to_string()).unwrap()
}

#[test]
fn every_seed_parses_with_lines_counted() {
    let Some(shared) = shared() else { return };
    for entry in std::fs::read_dir(shared.join("seeds")).unwrap() {
        let seed = entry.unwrap().path();
        let plan = parse(&seed);
        let text = std::fs::read_to_string(&seed).unwrap();
        assert_eq!(
            plan.source.lines,
            text.lines().count(),
            "{}",
            seed.display()
        );
        assert!(!plan.outline.is_empty(), "{}: no outline", seed.display());
    }
}

#[test]
fn gold_rows_headings_and_boxes_are_found() {
    let Some(shared) = shared() else { return };
    for (gold, seed) in gold_and_seeds(&shared) {
        let plan = parse(&seed);
        let name = seed.display();
        for table in gold["indicator_tables"].as_array().unwrap() {
            for row in table["rows"].as_array().unwrap() {
                let line = row["line"].as_u64().unwrap() as usize;
                let found = plan
                    .tables
                    .iter()
                    .flat_map(|t| &t.rows)
                    .any(|r| r.line == line);
                assert!(
                    found,
                    "{name}: table row at line {line} ({}) not rebuilt",
                    row["name"]
                );
            }
        }
        for h in gold["headings"].as_array().unwrap() {
            if h["level_marker"] == "other" {
                continue;
            }
            let line = h["line"].as_u64().unwrap() as usize;
            assert!(
                plan.outline.iter().any(|o| o.line == line),
                "{name}: heading at line {line} missed: {}",
                h["text"]
            );
        }
        for b in gold["boxes"].as_array().unwrap() {
            let line = b["line"].as_u64().unwrap() as usize;
            assert!(
                plan.boxes.iter().any(|x| x.line.abs_diff(line) <= 1),
                "{name}: box at line {line} missed"
            );
        }
    }
}
