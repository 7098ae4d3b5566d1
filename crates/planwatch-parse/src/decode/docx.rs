//! Word documents (DOCX) to lines of text, with our own walker over the zip parts.
//!
//! `word/document.xml` gives the text, `word/styles.xml` and `word/numbering.xml` the
//! automatic numbering Word draws in front of headings (第一章, 一、, （一）) but does
//! not store in the text. The zip is opened through [`crate::limits::Archive`], the
//! limit policy shared with XLSX actuals: entry count, unpacked size and compression
//! ratio are checked before anything is inflated, and every part is read within one
//! budget in case the sizes lie.

mod body;
mod numbering;
mod styles;
mod xml;

use super::{DecodeError, Decoded, Format};
use crate::limits::{Archive, LimitError};
use numbering::Numbering;
use styles::Styles;

/// Decode a Word document.
pub fn decode_docx(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let mut zip = Archive::open(bytes).map_err(|e| match e {
        LimitError::Corrupt(why) => {
            DecodeError::Docx(format!("文件不是有效的 ZIP 压缩包,DOCX 可能已损坏({why})"))
        }
        other => limit(other),
    })?;
    let main = main_part(&mut zip)?;
    let document = read_part(&mut zip, &main)?
        .ok_or_else(|| DecodeError::Docx(format!("缺少正文部件 {main},不是 Word 文档")))?;
    let styles = match read_part(&mut zip, "word/styles.xml")? {
        Some(xml) => Styles::parse(&xml)?,
        None => Styles::default(),
    };
    let mut numbering = match read_part(&mut zip, "word/numbering.xml")? {
        Some(xml) => Numbering::parse(&xml)?,
        None => Numbering::default(),
    };
    numbering.link_styles(|style| styles.num_of(style));
    let (lines, tables) = body::render(&document, &styles, &mut numbering)?;
    let mut text = lines.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    Ok(Decoded {
        text,
        encoding: "UTF-8".into(),
        format: Format::Docx,
        furniture: Vec::new(),
        tables,
        page_starts: Vec::new(),
        styles: Vec::new(),
        invalid_utf8: None,
        diagnostics: Vec::new(),
    })
}

fn limit(e: LimitError) -> DecodeError {
    DecodeError::Docx(e.to_string())
}

/// The main document part named by `_rels/.rels` (nearly always word/document.xml).
fn main_part(zip: &mut Archive) -> Result<String, DecodeError> {
    const DEFAULT: &str = "word/document.xml";
    if zip.contains(DEFAULT) {
        return Ok(DEFAULT.into());
    }
    let Some(rels) = read_part(zip, "_rels/.rels")? else {
        return Ok(DEFAULT.into());
    };
    let mut target = None;
    xml::walk("_rels/.rels", &rels, &[], |ev| {
        if let xml::Ev::Start(e) = ev {
            let kind = xml::attr(e, b"Type").unwrap_or_default();
            if target.is_none() && kind.ends_with("/officeDocument") {
                target = xml::attr(e, b"Target");
            }
        }
    })?;
    Ok(target
        .map(|t| t.trim_start_matches('/').to_string())
        .unwrap_or_else(|| DEFAULT.into()))
}

/// Read one part within the archive's budget, whatever its header claims.
fn read_part(zip: &mut Archive, name: &str) -> Result<Option<Vec<u8>>, DecodeError> {
    zip.read(name).map_err(limit)
}
