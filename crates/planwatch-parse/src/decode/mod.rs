//! Bytes to text: format sniffing, charset detection, the HTML, DOCX and PDF
//! decoders, and legacy Word formats converted through LibreOffice.
//!
//! Every format is rendered to plain lines of text. Tables become one line per row
//! with cells separated by ` | `, so the structure stage sees one kind of input and
//! a table found in HTML or DOCX is rebuilt exactly as a flattened one in TXT.

mod charset;
mod docx;
mod furniture;
mod html;
mod legacy;
mod pdf;
pub mod table;

use std::fmt;

use planwatch_core::plan::Diagnostic;

pub use charset::{InvalidUtf8, decode_text};
pub use table::{DecodedTable, GridCell, GridRow, Span};

/// Largest input accepted, in bytes. Real plans are under 5 MB; this stops runaway inputs.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// Input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text.
    Txt,
    /// An HTML page.
    Html,
    /// A Word document (also what .doc, .wps and .rtf are converted to).
    Docx,
    /// A PDF's text layer.
    Pdf,
}

impl Format {
    /// The name used in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }
}

/// Decoded text and how it was obtained.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text whose lines the parser numbers.
    pub text: String,
    /// Encoding of the bytes (UTF-8, GB18030, …; UTF-8 for DOCX).
    pub encoding: String,
    /// Input format.
    pub format: Format,
    /// Site furniture kept apart from the body (breadcrumbs, 来源/发布时间, 打印本页).
    pub furniture: Vec<String>,
    /// Tables whose grid the decoder knows exactly (HTML, DOCX, PDF), with the lines
    /// of `text` their rows were rendered to.
    pub tables: Vec<DecodedTable>,
    /// For paged formats (PDF): the 1-based line where each page starts, in order.
    pub page_starts: Vec<usize>,
    /// Lines set apart from the body text by their type (PDF), in line order.
    pub styles: Vec<LineStyle>,
    /// A UTF-8 file's invalid bytes, replaced by U+FFFD.
    pub invalid_utf8: Option<InvalidUtf8>,
    /// What the decoder could not read faithfully (a PDF font without Unicode
    /// mapping), for the plan's diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

/// How a line is set, where the decoder knows and it differs from the body text
/// (larger or bold): what places a heading whose numbering says nothing of its level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineStyle {
    /// 1-based line of the decoded text.
    pub line: usize,
    /// Font size relative to the body text (1.0 = the body size).
    pub scale: f32,
    /// Set in a bold face.
    pub bold: bool,
}

/// Why a file could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The bytes are not text and not a known document format.
    Binary,
    /// Larger than [`MAX_INPUT_BYTES`] or expands beyond it.
    TooLarge,
    /// A DOCX that cannot be read (corrupt zip, missing document.xml, bad XML).
    Docx(String),
    /// A PDF that cannot be read; the message is complete (scan, password, damage).
    Pdf(String),
    /// A .doc, .wps or .rtf that could not be converted; the message is complete.
    Convert(String),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Binary => write!(
                f,
                "不是文本文件,也不是可识别的 HTML/DOCX/PDF/DOC/WPS/RTF 文档"
            ),
            DecodeError::TooLarge => write!(f, "文件过大(上限 {} MB)", MAX_INPUT_BYTES >> 20),
            DecodeError::Docx(why) => write!(f, "无法读取 DOCX 文档:{why}"),
            DecodeError::Pdf(why) | DecodeError::Convert(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Sniff the format from the bytes (and the file name as a hint) and decode.
pub fn decode(bytes: &[u8], path: &str) -> Result<Decoded, DecodeError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(DecodeError::TooLarge);
    }
    let lower = path.to_ascii_lowercase();
    if bytes.starts_with(b"PK\x03\x04") || lower.ends_with(".docx") {
        return docx::decode_docx(bytes);
    }
    if pdf::is_pdf(bytes) || lower.ends_with(".pdf") {
        return pdf::decode_pdf(bytes);
    }
    if let Some(kind) = legacy::sniff(bytes, &lower) {
        let docx = legacy::to_docx(bytes, kind)?;
        return docx::decode_docx(&docx);
    }
    let (text, encoding, invalid_utf8) = charset::decode_text_checked(bytes)?;
    if looks_like_html(&text) || lower.ends_with(".html") || lower.ends_with(".htm") {
        let page = html::render_html(&text);
        return Ok(Decoded {
            text: page.text,
            encoding,
            format: Format::Html,
            furniture: page.furniture,
            tables: page.tables,
            page_starts: Vec::new(),
            styles: Vec::new(),
            invalid_utf8,
            diagnostics: Vec::new(),
        });
    }
    Ok(Decoded {
        text,
        encoding,
        format: Format::Txt,
        furniture: Vec::new(),
        tables: Vec::new(),
        page_starts: Vec::new(),
        styles: Vec::new(),
        invalid_utf8,
        diagnostics: Vec::new(),
    })
}

fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    let head = head.trim_start();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.contains("<body")
        || (head.starts_with('<') && head.contains("<p"))
}
