//! `planwatch serve --demo` cleans up after itself: its temporary database directory is
//! gone once the server stops on Ctrl-C (SIGINT).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn the_demo_directory_is_removed_on_exit() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_planwatch"))
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("planwatch-demo-{}", child.id()));
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let started = lines
        .by_ref()
        .map_while(Result::ok)
        .any(|l| l.contains("按 Ctrl-C 停止"));
    assert!(started, "the server started");
    assert!(
        dir.join("demo.db").exists(),
        "{} holds the demo",
        dir.display()
    );
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    assert!(!dir.exists(), "{} was removed", dir.display());
}
