//! PDF input. Committed fixtures of the sample plan (made by LibreOffice from the
//! DOCX variant and by Chromium's print from the HTML variant) run everywhere; the
//! generation tests convert the sample plan and every seed afresh with LibreOffice
//! and Chromium when they are installed (`.ci/run` installs both) and check that
//! each PDF parses to the same outline and indicators as its DOCX/HTML source.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use planwatch_core::plan::Plan;
use planwatch_parse::decode::decode;
use planwatch_parse::parse_bytes;
use support::agree::{indicators, outline, targets};
use support::docx::{part, zip};
use support::variants::{to_docx, to_html};

const SAMPLE: &str = include_str!("../../../samples/qingxi-plan.txt");

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pdf")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Compare a PDF's plan with its source's; the first difference, if any.
fn compare(name: &str, pdf: &Plan, source: &Plan) -> Result<(), String> {
    if pdf.source.format != "pdf" {
        return Err(format!("{name}: format {}", pdf.source.format));
    }
    fn first_difference<T: std::fmt::Debug + PartialEq>(
        what: &str,
        a: &[T],
        b: &[T],
    ) -> Result<(), String> {
        if a == b {
            return Ok(());
        }
        let at = a
            .iter()
            .zip(b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        Err(format!(
            "{what} differ at {at} ({} vs {}):\n   pdf:    {:?}\n   source: {:?}",
            a.len(),
            b.len(),
            a.get(at),
            b.get(at)
        ))
    }
    let (a, b) = (outline(pdf), outline(source));
    let missing = b.iter().filter(|h| !a.contains(h)).count();
    let extra = a.iter().filter(|h| !b.contains(h)).count();
    first_difference(
        &format!("headings ({missing} missing, {extra} extra)"),
        &a,
        &b,
    )
    .and_then(|()| first_difference("indicators", &indicators(pdf), &indicators(source)))
    .and_then(|()| first_difference("prose targets", &targets(pdf), &targets(source)))
    .map_err(|e| format!("{name}: {e}"))?;
    // Every item of a PDF plan carries its page.
    if pdf.outline.iter().any(|h| h.page.is_none())
        || pdf.indicators.iter().any(|i| i.page.is_none())
    {
        return Err(format!("{name}: an item without page"));
    }
    if pdf.source.pages.is_none_or(|n| n <= 1) {
        return Err(format!("{name}: page count {:?}", pdf.source.pages));
    }
    Ok(())
}

fn check_same(name: &str, pdf: &Plan, source: &Plan) {
    if let Err(e) = compare(name, pdf, source) {
        panic!("{e}");
    }
}

// ---- committed fixtures: run on a fresh clone ----

/// The part of the sample plan the committed fixtures were made from (第二章: its
/// targets in prose and the indicator table with its notes), small enough to commit.
fn excerpt() -> String {
    SAMPLE
        .lines()
        .skip(53)
        .take(174)
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The excerpt's DOCX source as LibreOffice was given it, and its HTML source as
/// Chromium printed it, each parsed.
fn excerpt_sources() -> (Plan, Plan) {
    let text = excerpt();
    let txt = parse_bytes(text.as_bytes(), "plan.txt").unwrap();
    let docx = for_libreoffice(&to_docx(&text, &txt));
    let html = article_only(&to_html(&text, &txt));
    (
        parse_bytes(&docx, "plan.docx").unwrap(),
        parse_bytes(html.as_bytes(), "plan.html").unwrap(),
    )
}

#[test]
fn libreoffice_fixture_parses_like_its_source() {
    let plan = parse_bytes(&fixture("qingxi-excerpt-libreoffice.pdf"), "excerpt.pdf").unwrap();
    check_same(
        "qingxi-excerpt-libreoffice.pdf",
        &plan,
        &excerpt_sources().0,
    );
    // Table 1 of the sample plan has 7+3+8+6+3 = 27 indicator rows; the PDF must give
    // what its DOCX source gives (checked above), which misses at most one.
    assert!(plan.indicators.len() >= 26, "{}", plan.indicators.len());
    assert_eq!(plan.tables.len(), 1);
    assert!(plan.indicators.iter().all(|i| i.page.is_some()));
}

#[test]
fn chromium_fixture_parses_like_its_source() {
    let plan = parse_bytes(&fixture("qingxi-excerpt-chromium.pdf"), "excerpt.pdf").unwrap();
    check_same("qingxi-excerpt-chromium.pdf", &plan, &excerpt_sources().1);
}

#[test]
fn chromium_fixture_loses_its_running_header_and_footer() {
    let decoded = decode(&fixture("qingxi-excerpt-chromium.pdf"), "excerpt.pdf").unwrap();
    // Chromium prints the date and title on top and the file URL and "n/N" below.
    assert!(decoded.furniture.iter().any(|f| f.starts_with("file:///")));
    assert!(!decoded.text.contains("file:///"));
    assert!(decoded.page_starts.len() >= 2);
    assert!(decoded.page_starts.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn owner_password_only_pdf_is_read() {
    // Encrypted (RC4 128) with an empty user password: copying "restricted".
    let plan = parse_bytes(&fixture("owner-password-only.pdf"), "restricted.pdf").unwrap();
    let decoded = decode(&fixture("owner-password-only.pdf"), "restricted.pdf").unwrap();
    assert_eq!(
        decoded.text,
        "第一章 总体要求\n到2025年,地区生产总值达到1130亿元,年均增长6%左右。\n一、发展目标\n森林覆盖率稳定在63.5%以上。\n"
    );
    let titles: Vec<&str> = plan.outline.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(titles, ["总体要求", "发展目标"]);
    assert_eq!(plan.source.pages, Some(1));
}

#[test]
fn user_password_pdf_gets_a_clear_error() {
    let err = decode(&fixture("user-password.pdf"), "secret.pdf").unwrap_err();
    assert_eq!(
        err.to_string(),
        "该 PDF 设有打开密码,无法读取,请提供不加密码的版本"
    );
}

#[test]
fn scanned_fixture_is_refused_in_chinese() {
    let err = decode(&fixture("scanned-page.pdf"), "scan.pdf").unwrap_err();
    assert_eq!(
        err.to_string(),
        "该 PDF 是扫描件,没有文字层,请提供可复制文字的版本"
    );
}

// ---- generated afresh with LibreOffice and Chromium ----

fn tool(name: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        println!("skipped: {name} not found");
    }
    found
}

/// DOCX → PDF with LibreOffice, in `dir`.
pub fn libreoffice_pdf(dir: &Path, docx: &[u8], stem: &str) -> Vec<u8> {
    let input = dir.join(format!("{stem}.docx"));
    std::fs::write(&input, docx).unwrap();
    let profile = format!("-env:UserInstallation=file://{}/lo-profile", dir.display());
    let status = Command::new("soffice")
        .arg(profile)
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir)
        .arg(&input)
        .output()
        .unwrap();
    let out = dir.join(format!("{stem}.pdf"));
    std::fs::read(&out).unwrap_or_else(|_| panic!("soffice made no PDF: {status:?}"))
}

/// HTML → PDF with Chromium's print (its default header and footer included:
/// date, title, file URL and page numbers, as a person printing would get).
pub fn chromium_pdf(dir: &Path, html: &str, stem: &str) -> Vec<u8> {
    let input = dir.join(format!("{stem}.html"));
    std::fs::write(&input, html).unwrap();
    let out = dir.join(format!("{stem}-chromium.pdf"));
    let status = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.join("chromium-profile").display()
        ))
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(format!("file://{}", input.display()))
        .output()
        .unwrap();
    std::fs::read(&out).unwrap_or_else(|_| panic!("chromium made no PDF: {status:?}"))
}

/// The DOCX variant as LibreOffice renders it the way our decoder reads it: the
/// generator's Heading2 takes its list level from the level's `w:pStyle` link, which
/// Word honours and LibreOffice does not, so the level is also written on the style;
/// `TableGrid` gets the borders Word's built-in style has, so tables are ruled; and
/// paragraphs get the two-character first-line indent of Chinese official documents
/// (GB/T 9704), without which a paragraph ending flush with the margin cannot be told
/// from a wrapped line in any rendering; tables are fitted to the page width (wide
/// ones would otherwise run off the page and lose their last column in the PDF).
fn for_libreoffice(docx: &[u8]) -> Vec<u8> {
    const BORDER: &str = r#"w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#;
    let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"]
        .iter()
        .map(|side| format!("<w:{side} {BORDER}"))
        .collect();
    let table_style = format!(
        r#"<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>{borders}</w:tblBorders></w:tblPr></w:style></w:styles>"#
    );
    let styles = part(docx, "word/styles.xml")
        .replace(
            r#"<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="1"/>"#,
            r#"<w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="1"/>"#,
        )
        .replace(
            r#"<w:name w:val="Normal"/></w:style>"#,
            r#"<w:name w:val="Normal"/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="420"/></w:pPr></w:style>"#,
        )
        .replace("</w:styles>", &table_style);
    let names = [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/_rels/document.xml.rels",
        "word/document.xml",
        "word/numbering.xml",
    ];
    let mut parts: Vec<(&str, String)> = names.iter().map(|n| (*n, part(docx, n))).collect();
    parts[3].1 = parts[3]
        .1
        .replace("<w:tblPr>", r#"<w:tblPr><w:tblW w:w="5000" w:type="pct"/>"#);
    parts.push(("word/styles.xml", styles));
    let entries: Vec<(&str, &[u8])> = parts.iter().map(|(n, c)| (*n, c.as_bytes())).collect();
    zip(&entries)
}

/// The HTML variant's article without the site around it (banner, menu,
/// breadcrumbs, footer): a plan published as a web page and printed to PDF.
fn article_only(html: &str) -> String {
    let start = html.find(r#"<div id="zoom""#).expect("article container");
    let end = html.find(r#"<div class="tools">"#).expect("article end");
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>规划纲要</title></head><body>\n{}</body></html>\n",
        &html[start..end]
    )
}

/// Generate both PDFs of a plan text and compare each with its source; the
/// differences found.
fn check_generated(name: &str, text: &str, dir: &Path) -> Vec<String> {
    let txt = parse_bytes(text.as_bytes(), "plan.txt").unwrap();
    let stem = name.trim_end_matches(".txt");
    let mut failures = Vec::new();
    if tool("soffice") {
        let docx = for_libreoffice(&to_docx(text, &txt));
        let source = parse_bytes(&docx, "plan.docx").unwrap();
        let pdf = libreoffice_pdf(dir, &docx, stem);
        let plan = parse_bytes(&pdf, "plan.pdf").unwrap_or_else(|e| panic!("{name}: {e}"));
        failures.extend(compare(&format!("{name} (LibreOffice)"), &plan, &source).err());
    }
    if tool("chromium") {
        let html = article_only(&to_html(text, &txt));
        let source = parse_bytes(html.as_bytes(), "plan.html").unwrap();
        let pdf = chromium_pdf(dir, &html, stem);
        let plan = parse_bytes(&pdf, "plan.pdf").unwrap_or_else(|e| panic!("{name}: {e}"));
        failures.extend(compare(&format!("{name} (Chromium)"), &plan, &source).err());
    }
    failures
}

/// A scratch directory per test (tests run in parallel; LibreOffice profiles must
/// not be shared).
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("planwatch-pdf-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn generated_pdfs_of_the_sample_plan_parse_like_their_sources() {
    let dir = scratch("sample");
    let failures = check_generated("qingxi-plan.txt", SAMPLE, &dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // PLANWATCH_PDF_FIXTURES=crates/planwatch-parse/tests/fixtures/pdf remakes the
    // committed fixtures from the excerpt.
    if let Ok(out) = std::env::var("PLANWATCH_PDF_FIXTURES") {
        let text = excerpt();
        let txt = parse_bytes(text.as_bytes(), "plan.txt").unwrap();
        let docx = for_libreoffice(&to_docx(&text, &txt));
        let out = Path::new(&out);
        let lo = libreoffice_pdf(&dir, &docx, "excerpt");
        std::fs::write(out.join("qingxi-excerpt-libreoffice.pdf"), lo).unwrap();
        let html = article_only(&to_html(&text, &txt));
        let chromium = chromium_pdf(&dir, &html, "excerpt");
        std::fs::write(out.join("qingxi-excerpt-chromium.pdf"), chromium).unwrap();
        // Recompressed with object streams to keep the repository small (qpdf, when
        // installed); the fixtures then also exercise object and xref streams.
        for name in [
            "qingxi-excerpt-libreoffice.pdf",
            "qingxi-excerpt-chromium.pdf",
        ] {
            let path = out.join(name);
            let _ = Command::new("qpdf")
                .args([
                    "--recompress-flate",
                    "--compression-level=9",
                    "--object-streams=generate",
                    "--replace-input",
                ])
                .arg(&path)
                .status();
        }
    }
}

#[test]
fn generated_pdfs_of_every_seed_parse_like_their_sources() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    if !seeds.is_dir() {
        println!("skipped: ../shared not found");
        return;
    }
    let dir = scratch("seeds");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&seeds)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let mut failures = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        failures.extend(check_generated(
            &path.file_name().unwrap().to_string_lossy(),
            &text,
            &dir,
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
