//! A tiny DOCX writer for tests: document.xml, styles.xml and numbering.xml in a zip,
//! with the package parts Word needs to open it.

use std::io::{Cursor, Read, Write};

use zip::ZipWriter;
use zip::write::SimpleFileOptions;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Build a DOCX from the inner XML of `w:body`, `w:styles` and `w:numbering`.
pub fn build(body: &str, styles: Option<&str>, numbering: Option<&str>) -> Vec<u8> {
    let mut parts = vec![
        ("[Content_Types].xml", content_types()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
        ("word/document.xml", document(body)),
    ];
    if let Some(styles) = styles {
        parts.push((
            "word/styles.xml",
            format!(r#"{DECL}<w:styles xmlns:w="{W}">{styles}</w:styles>"#),
        ));
    }
    if let Some(numbering) = numbering {
        parts.push((
            "word/numbering.xml",
            format!(r#"{DECL}<w:numbering xmlns:w="{W}">{numbering}</w:numbering>"#),
        ));
    }
    zip(&parts
        .iter()
        .map(|(n, c)| (*n, c.as_bytes()))
        .collect::<Vec<_>>())
}

/// Zip arbitrary entries (deflated).
pub fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in entries {
        writer
            .start_file(*name, SimpleFileOptions::default())
            .unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// Read one part back (for assertions on what was generated).
pub fn part(docx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

const DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

fn document(body: &str) -> String {
    format!(
        r#"{DECL}<w:document xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    )
}

fn content_types() -> String {
    let main = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    format!(
        r#"{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="{main}.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="{main}.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="{main}.numbering+xml"/></Types>"#
    )
}

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>"#;

/// XML-escape text.
pub fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A run of text.
pub fn run(text: &str) -> String {
    format!(
        r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#,
        esc(text)
    )
}

/// A plain paragraph.
pub fn p(text: &str) -> String {
    format!("<w:p>{}</w:p>", run(text))
}

/// A paragraph with a style.
pub fn styled(style: &str, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{}</w:p>"#,
        run(text)
    )
}

/// A paragraph numbered directly (numPr in its own properties).
pub fn numbered(num_id: i64, ilvl: usize, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>{}</w:p>"#,
        run(text)
    )
}

/// A table cell: text, column span, vertical merge (`Some("restart")`, `Some("")` to continue).
pub fn tc(text: &str, span: usize, vmerge: Option<&str>) -> String {
    let mut props = String::new();
    if span > 1 {
        props.push_str(&format!(r#"<w:gridSpan w:val="{span}"/>"#));
    }
    match vmerge {
        Some("restart") => props.push_str(r#"<w:vMerge w:val="restart"/>"#),
        Some(_) => props.push_str("<w:vMerge/>"),
        None => {}
    }
    let content = if text.is_empty() {
        "<w:p/>".to_string()
    } else {
        p(text)
    };
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>")
}

/// A table from rows of cells made with [`tc`].
pub fn tbl(columns: usize, rows: &[Vec<String>]) -> String {
    let grid: String = (0..columns).map(|_| r#"<w:gridCol w:w="1500"/>"#).collect();
    let rows: String = rows
        .iter()
        .map(|cells| format!("<w:tr>{}</w:tr>", cells.concat()))
        .collect();
    format!(
        r#"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>"#
    )
}

/// A level of an abstract numbering definition.
pub fn lvl(ilvl: usize, format: &str, text: &str, suffix: &str) -> String {
    format!(
        r#"<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{format}"/><w:lvlText w:val="{}"/><w:suff w:val="{suffix}"/></w:lvl>"#,
        esc(text)
    )
}
