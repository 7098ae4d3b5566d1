//! Legacy Word formats through LibreOffice (skipped with a message when `soffice` is
//! not installed; `.ci/run` installs it): an RTF written by hand, and the sample
//! plan's DOCX variant saved as .doc by LibreOffice, read as .doc and as .wps.

mod support;

use std::process::Command;

use planwatch_parse::decode::decode;
use planwatch_parse::{Format, parse_bytes};
use support::variants::to_docx;

fn have_soffice() -> bool {
    let found = Command::new("sh")
        .args(["-c", "command -v soffice"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        println!("skipped: soffice not found");
    }
    found
}

#[test]
fn rtf_with_chinese_is_converted() {
    if !have_soffice() {
        return;
    }
    // 第一章 总体要求 / 到2025年达到1130亿元。 as RTF Unicode escapes.
    let escape = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii() {
                    c.to_string()
                } else {
                    format!("\\u{}?", c as i32 as i16)
                }
            })
            .collect()
    };
    let rtf = format!(
        "{{\\rtf1\\ansi\\deff0 {{\\fonttbl {{\\f0 SimSun;}}}}\\f0 {}\\par {}\\par}}",
        escape("第一章 总体要求"),
        escape("到2025年达到1130亿元。")
    );
    let decoded = decode(rtf.as_bytes(), "plan.rtf").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(decoded.format, Format::Docx);
    assert_eq!(decoded.text, "第一章 总体要求\n到2025年达到1130亿元。\n");
}

#[test]
fn doc_and_wps_parse_like_the_docx_they_were_saved_from() {
    if !have_soffice() {
        return;
    }
    let text = include_str!("../../../samples/qingxi-plan.txt");
    let excerpt: String = text.lines().take(240).map(|l| format!("{l}\n")).collect();
    let txt = parse_bytes(excerpt.as_bytes(), "plan.txt").unwrap();
    let docx = to_docx(&excerpt, &txt);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.docx"), &docx).unwrap();
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}/profile",
            dir.path().display()
        ))
        .args(["--headless", "--convert-to", "doc", "--outdir"])
        .arg(dir.path())
        .arg(dir.path().join("plan.docx"))
        .output()
        .unwrap();
    let doc = std::fs::read(dir.path().join("plan.doc"))
        .unwrap_or_else(|_| panic!("soffice made no .doc: {status:?}"));
    assert!(doc.starts_with(b"\xD0\xCF\x11\xE0"), "an OLE2 file");
    // What LibreOffice's round trip must keep: the indicators and the headings' titles.
    let source = parse_bytes(&docx, "plan.docx").unwrap();
    for name in ["plan.doc", "plan.wps"] {
        let plan = parse_bytes(&doc, name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let names = |p: &planwatch_core::plan::Plan| -> Vec<String> {
            p.indicators.iter().map(|i| i.name.clone()).collect()
        };
        assert_eq!(names(&plan), names(&source), "{name}");
        assert!(plan.indicators.len() >= 20, "{name}");
        let titles = |p: &planwatch_core::plan::Plan| -> Vec<String> {
            p.outline.iter().map(|h| h.title.clone()).collect()
        };
        assert_eq!(titles(&plan), titles(&source), "{name}");
    }
}
