//! `planwatch parse` end to end: bad inputs fail cleanly, good ones parse.
//!
//! Every bad input must give a non-zero exit, a message on stderr that names the
//! file, and no panic.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn planwatch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planwatch"))
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn sample_plan() -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../samples/qingxi-plan.txt"
    ))
    .to_path_buf()
}

/// `planwatch parse FILE --format json` fails on `path`: non-zero exit, the file named
/// on stderr together with `why`, no panic, nothing on stdout.
fn check_refused(path: &Path, why: &str) {
    let out = planwatch(&["parse", path.to_str().unwrap(), "--format", "json"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{} was accepted", path.display());
    assert_ne!(
        out.status.code(),
        Some(101),
        "exit code 101 is a panic: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains(&path.display().to_string()),
        "file not named: {err}"
    );
    assert!(err.contains(why), "expected “{why}” in: {err}");
    assert!(out.stdout.is_empty(), "partial output on stdout");
}

/// A zip archive holding `entries` (name, bytes), deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(false);
        for (name, bytes) in entries {
            zip.start_file(*name, opts).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    check_refused(&dir.path().join("不存在的规划.txt"), "文件不存在");
}

#[test]
fn corrupt_docx() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("损坏.docx");
    // A zip signature followed by garbage: no central directory.
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend((0u32..4000).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    std::fs::write(&path, bytes).unwrap();
    check_refused(&path, "DOCX");

    // Text that only claims to be a DOCX by its name.
    let named = dir.path().join("plain.docx");
    std::fs::write(&named, "这不是压缩包").unwrap();
    check_refused(&named, "DOCX");
}

#[test]
fn zip_bomb_declared() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.docx");
    // 80 MB of zeros deflates to well under 100 KB; the declared size gives it away.
    let zeros = vec![0u8; 80 << 20];
    let bytes = zip_of(&[("word/document.xml", &zeros)]);
    assert!(bytes.len() < 200_000, "bomb is {} bytes", bytes.len());
    std::fs::write(&path, bytes).unwrap();
    check_refused(&path, "压缩炸弹");
}

#[test]
fn zip_bomb_with_lying_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("liar.docx");
    let zeros = vec![0u8; 70 << 20];
    let mut bytes = zip_of(&[("word/document.xml", &zeros)]);
    // Rewrite the uncompressed size in the local header (offset 22) and the central
    // directory entry (offset 24) to claim 1 KB.
    let small = 1024u32.to_le_bytes();
    bytes[22..26].copy_from_slice(&small);
    let central = bytes
        .windows(4)
        .rposition(|w| w == b"PK\x01\x02")
        .expect("central directory");
    bytes[central + 24..central + 28].copy_from_slice(&small);
    std::fs::write(&path, bytes).unwrap();
    // The bounded reader stops inflating at the limit whatever the header claims.
    check_refused(&path, "压缩炸弹");
}

#[test]
fn too_many_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("entries.docx");
    let names: Vec<String> = (0..10_001).map(|i| format!("f{i}")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    std::fs::write(&path, zip_of(&entries)).unwrap();
    check_refused(&path, "压缩炸弹");
}

#[test]
fn binary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("image.txt");
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend((0u32..2000).map(|i| (i * 7 % 251) as u8));
    std::fs::write(&path, bytes).unwrap();
    check_refused(&path, "不是文本文件");
}

#[test]
fn sample_plan_to_json() {
    let path = sample_plan();
    let out = planwatch(&["parse", path.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["source"]["format"], "txt");
    assert_eq!(json["doc_type"], "plan_outline");
    assert!(
        json["source"]["path"]
            .as_str()
            .unwrap()
            .ends_with("qingxi-plan.txt")
    );
    for key in ["outline", "tables", "indicators", "targets", "boxes"] {
        let n = json[key].as_array().map_or(0, Vec::len);
        assert!(n > 0, "sample plan has no {key}");
    }
    let gdp = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "地区生产总值")
        .expect("地区生产总值 indicator");
    assert_eq!(gdp["source"], "table");
    assert!(gdp["target"]["value"].as_f64().is_some());
}

#[test]
fn a_directory_gives_one_json_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::copy(sample_plan(), docs.join("qingxi.txt")).unwrap();
    std::fs::write(
        docs.join("short.txt"),
        "第一章 发展目标\n到2025年,地区生产总值达到1130亿元。\n",
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    let out = planwatch(&[
        "parse",
        docs.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut written: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    written.sort();
    assert_eq!(written, ["qingxi.json", "short.json"]);
    let short: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("short.json")).unwrap()).unwrap();
    assert_eq!(short["targets"][0]["value"], 1130.0);
    assert_eq!(short["outline"][0]["number"], "第一章");
    assert!(stderr(&out).contains("已解析 2 个文件"), "{}", stderr(&out));
}

#[test]
fn a_bad_file_among_many_is_named_and_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("good.txt"), "第一章 发展目标\n").unwrap();
    std::fs::write(docs.join("bad.docx"), "garbage").unwrap();
    let out_dir = dir.path().join("out");
    let out = planwatch(&[
        "parse",
        docs.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("bad.docx"), "{err}");
    assert!(out_dir.join("good.json").exists());
}
