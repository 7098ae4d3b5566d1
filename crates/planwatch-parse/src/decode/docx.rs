//! DOCX to lines of text (placeholder until the document.xml walker lands).

use super::{DecodeError, Decoded};

/// Decode a Word document.
pub fn decode_docx(_bytes: &[u8]) -> Result<Decoded, DecodeError> {
    Err(DecodeError::Docx("DOCX 解析尚未实现".into()))
}
