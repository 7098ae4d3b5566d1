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
