//! Word documents (DOCX) to lines of text, with our own walker over the zip parts.
//!
//! `word/document.xml` gives the text, `word/styles.xml` and `word/numbering.xml` the
//! automatic numbering Word draws in front of headings (第一章, 一、, （一）) but does
//! not store in the text. The zip is checked before anything is inflated: too many
//! entries or a total uncompressed size over [`MAX_INPUT_BYTES`] is refused, and each
//! part is read through a bounded reader in case the sizes lie.

mod body;
mod numbering;
mod styles;
mod xml;

use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

use super::{DecodeError, Decoded, Format, MAX_INPUT_BYTES};
use numbering::Numbering;
use styles::Styles;

/// Most zip entries accepted; a real DOCX has a few dozen.
pub const MAX_ENTRIES: usize = 10_000;

/// Decode a Word document.
pub fn decode_docx(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some(entries) = declared_entries(bytes) {
        check_entries(entries)?;
    }
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        DecodeError::Docx(format!("文件不是有效的 ZIP 压缩包,DOCX 可能已损坏({e})"))
    })?;
    check_entries(zip.len())?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(corrupt)?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_INPUT_BYTES as u64 {
        return Err(too_large(total));
    }
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
        invalid_utf8: None,
    })
}

fn check_entries(entries: usize) -> Result<(), DecodeError> {
    if entries > MAX_ENTRIES {
        return Err(DecodeError::Docx(format!(
            "压缩包内文件过多({entries} 个,上限 {MAX_ENTRIES} 个),疑似压缩炸弹"
        )));
    }
    Ok(())
}

fn too_large(total: u64) -> DecodeError {
    DecodeError::Docx(format!(
        "解压后共 {} MB,超过上限 {} MB,疑似压缩炸弹",
        total >> 20,
        MAX_INPUT_BYTES >> 20
    ))
}

fn corrupt(e: ZipError) -> DecodeError {
    DecodeError::Docx(format!("压缩包已损坏({e})"))
}

/// The entry count of the end-of-central-directory record, read before the zip
/// library builds its index of every entry.
fn declared_entries(bytes: &[u8]) -> Option<usize> {
    const EOCD: &[u8] = b"PK\x05\x06";
    let tail_start = bytes.len().saturating_sub(22 + 65_535);
    let tail = &bytes[tail_start..];
    let pos = tail.windows(4).rposition(|w| w == EOCD)?;
    let record = tail.get(pos..pos + 22)?;
    Some(usize::from(u16::from_le_bytes([record[10], record[11]])))
}

/// The main document part named by `_rels/.rels` (nearly always word/document.xml).
fn main_part(zip: &mut ZipArchive<Cursor<&[u8]>>) -> Result<String, DecodeError> {
    const DEFAULT: &str = "word/document.xml";
    if zip.index_for_name(DEFAULT).is_some() {
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

/// Read one part, at most [`MAX_INPUT_BYTES`] whatever its header claims.
fn read_part(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<Vec<u8>>, DecodeError> {
    let entry = match zip.by_name(name) {
        Ok(entry) => entry,
        Err(ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(corrupt(e)),
    };
    let mut buf = Vec::new();
    entry
        .take(MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| DecodeError::Docx(format!("{name} 解压失败,DOCX 可能已损坏({e})")))?;
    if buf.len() > MAX_INPUT_BYTES {
        return Err(too_large(buf.len() as u64));
    }
    Ok(Some(buf))
}
