//! The bench binary end to end (bounded, small runs; figures are printed, not asserted).

use std::process::Command;

#[test]
fn bench_ingest_reports_throughput() {
    let out = Command::new(env!("CARGO_BIN_EXE_planwatch-bench"))
        .args(["ingest", "-n", "5"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("5 documents (")
            && text.contains("into sqlite")
            && text.contains("documents/s"),
        "{text}"
    );
}

#[test]
fn bench_parse_reports_pdf_pages_next_to_pdftotext() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../planwatch-parse/tests/fixtures/pdf/qingxi-excerpt-libreoffice.pdf"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_planwatch-bench"))
        .args(["parse", "--iterations", "1", fixture])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(" pages, ") && text.contains("pages/s") && text.contains("MB/s"),
        "{text}"
    );
    // The comparison needs poppler's pdftotext; without it the line says so.
    assert!(
        text.contains("ratio planwatch/pdftotext") || text.contains("pdftotext not available"),
        "{text}"
    );
}
