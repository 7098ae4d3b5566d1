//! Plan documents in, structured plans with provenance out.
//!
//! The pipeline is two stages:
//! 1. [`decode`]: bytes → text lines (charset detection; TXT, HTML, DOCX, PDF, and
//!    DOC/WPS/RTF converted by LibreOffice).
//! 2. [`structure`]: text lines → [`Plan`] (outline, tables, indicators, prose
//!    targets, boxes, projects, diagnostics).
//!
//! Parsing a decoded text never fails and never panics: what cannot be
//! understood becomes a diagnostic.
//!
//! Beside the plan parser: [`actuals`] reads data files (CSV, XLSX) into
//! observations, [`projects`] reads an office's project bank (项目库) workbook,
//! both through [`sheet`], and [`limits`] is the one size policy every archive and
//! decoder (DOCX, XLSX, CSV) is held to.

pub mod actuals;
pub mod decode;
pub mod extract;
pub mod limits;
pub mod projects;
mod render;
pub mod sheet;
pub mod structure;

pub use render::render_text;

use planwatch_core::plan::{Diagnostic, Plan, Severity, Source};
use sha2::{Digest, Sha256};

pub use decode::{DecodeError, Format};

/// Decode bytes and parse them into a plan.
///
/// Fails only when the bytes cannot be turned into text at all.
pub fn parse_bytes(bytes: &[u8], path: &str) -> Result<Plan, DecodeError> {
    parse_bytes_with_text(bytes, path).map(|(plan, _)| plan)
}

/// Like [`parse_bytes`], and also return the decoded text the line numbers refer to
/// (for showing source lines), decoding once.
pub fn parse_bytes_with_text(bytes: &[u8], path: &str) -> Result<(Plan, String), DecodeError> {
    let decoded = decode::decode(bytes, path)?;
    let source = Source {
        path: path.to_string(),
        sha256: sha256_hex(bytes),
        encoding: decoded.encoding.clone(),
        format: decoded.format.as_str().to_string(),
        lines: decoded.text.lines().count(),
        pages: (!decoded.page_starts.is_empty())
            .then(|| u32::try_from(decoded.page_starts.len()).unwrap_or(u32::MAX)),
        page_starts: decoded.page_starts.clone(),
    };
    let mut plan =
        structure::parse_with_grids(&decoded.text, &decoded.tables, &decoded.styles, source);
    plan.diagnostics.extend(decoded.diagnostics);
    if let Some(bad) = decoded.invalid_utf8 {
        plan.diagnostics.insert(
            0,
            Diagnostic {
                line: bad.line,
                severity: Severity::Warning,
                code: "decode.invalid_utf8".into(),
                message: format!(
                    "文件按 UTF-8 读取,但有 {} 处字节不是有效的 UTF-8(第一处在第 {} 行),已替换为 �,请核对原文",
                    bad.count, bad.line
                ),
                page: None,
            },
        );
    }
    structure::assign_pages(&mut plan, &decoded.page_starts);
    Ok((plan, decoded.text))
}

/// Parse text that is already decoded.
pub fn parse_str(text: &str, path: &str) -> Plan {
    let source = Source {
        page_starts: Vec::new(),
        path: path.to_string(),
        sha256: sha256_hex(text.as_bytes()),
        encoding: "UTF-8".into(),
        format: "txt".into(),
        lines: text.lines().count(),
        pages: None,
    };
    structure::parse_text(text, source)
}

/// Hex SHA-256 of bytes: the identity of a file (`Source::sha256`, an import batch).
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
