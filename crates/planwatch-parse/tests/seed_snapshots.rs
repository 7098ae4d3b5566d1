//! Snapshots of every seed in `../shared/seeds`, in the readable text rendering so a
//! reviewer can read the outline, indicators, prose targets, boxes and diagnostics of
//! a real document at a glance. Skipped when `../shared` is absent (a user's clone).

use std::path::Path;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");

#[test]
fn seeds_render_as_reviewed() {
    let seeds = Path::new(SHARED).join("seeds");
    if !seeds.is_dir() {
        println!("skipped: ../shared not found");
        return;
    }
    let mut files: Vec<_> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no seeds in {}", seeds.display());
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&path).unwrap();
        // A stable path, so the snapshot does not depend on where the checkout lives.
        let plan = planwatch_parse::parse_bytes(&bytes, &format!("seeds/{name}")).unwrap();
        let id = name.split('_').next().unwrap_or(&name).to_string();
        insta::assert_snapshot!(format!("seed_{id}"), planwatch_parse::render_text(&plan));
    }
}
