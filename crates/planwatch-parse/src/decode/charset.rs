//! Charset detection: BOM, then valid UTF-8, then a declared charset, then chardetng.

use encoding_rs::{Encoding, UTF_8};

use super::DecodeError;

/// Decode text bytes; returns the text and the name of the encoding used.
pub fn decode_text(bytes: &[u8]) -> Result<(String, String), DecodeError> {
    decode_text_checked(bytes).map(|(text, enc, _)| (text, enc))
}

/// Invalid bytes in a file that is UTF-8 all the same: how many, and the 1-based line of
/// the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidUtf8 {
    /// Invalid byte sequences replaced by U+FFFD.
    pub count: usize,
    /// Line of the first one.
    pub line: usize,
}

/// [`decode_text`], also saying when a UTF-8 file held a few invalid bytes (decoded as
/// U+FFFD rather than reading the whole file as another encoding).
pub fn decode_text_checked(
    bytes: &[u8],
) -> Result<(String, String, Option<InvalidUtf8>), DecodeError> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok((text.into_owned(), enc.name().to_string(), None));
    }
    if looks_binary(bytes) {
        return Err(DecodeError::Binary);
    }
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok((text.to_string(), UTF_8.name().to_string(), None));
    }
    if let Some(invalid) = mostly_utf8(bytes) {
        let text = String::from_utf8_lossy(bytes).into_owned();
        return Ok((text, UTF_8.name().to_string(), Some(invalid)));
    }
    let enc = declared_charset(bytes).unwrap_or_else(|| {
        let mut det = chardetng::EncodingDetector::new();
        det.feed(bytes, true);
        det.guess(Some(b"cn"), true)
    });
    // GBK and GB2312 files are decoded as GB18030, their superset.
    let enc = if enc == encoding_rs::GBK {
        encoding_rs::GB18030
    } else {
        enc
    };
    let (text, _, _) = enc.decode(bytes);
    Ok((text.into_owned(), enc.name().to_string(), None))
}

/// UTF-8 with a few invalid bytes (a truncated last character, a stray byte): valid
/// multi-byte characters outnumber invalid sequences twenty to one. Text in GBK has
/// almost no valid UTF-8 sequences, so it never passes.
fn mostly_utf8(bytes: &[u8]) -> Option<InvalidUtf8> {
    let mut valid = 0usize;
    let mut invalid = 0usize;
    let mut first_at = None;
    let mut offset = 0usize;
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        offset += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            invalid += 1;
            first_at.get_or_insert(offset);
        }
        offset += chunk.invalid().len();
    }
    let first = first_at?;
    let line = bytes[..first].iter().filter(|b| **b == b'\n').count() + 1;
    (valid >= 20 * invalid).then_some(InvalidUtf8 {
        count: invalid,
        line,
    })
}

/// NUL bytes or many control characters mean the file is not text.
fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return true;
    }
    let controls = sample
        .iter()
        .filter(|b| **b < 0x20 && !matches!(**b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    controls * 20 > sample.len().max(1)
}

/// A `charset=` declared in the first kilobytes (HTML meta or XML prolog).
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let pos = head
        .find("charset=")
        .map(|p| p + 8)
        .or_else(|| head.find("encoding=").map(|p| p + 9))?;
    let label: String = head[pos..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    Encoding::for_label(label.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_text_decodes() {
        let (bytes, _, _) =
            encoding_rs::GBK.encode("到2025年,地区生产总值达到1130亿元。\n第一章 总体要求\n");
        let (text, enc) = decode_text(&bytes).unwrap();
        assert_eq!(
            text,
            "到2025年,地区生产总值达到1130亿元。\n第一章 总体要求\n"
        );
        assert_eq!(enc, "gb18030");
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let (text, enc) = decode_text("\u{FEFF}第一章".as_bytes()).unwrap();
        assert_eq!(text, "第一章");
        assert_eq!(enc, "UTF-8");
    }

    #[test]
    fn utf8_with_a_stray_byte_stays_utf8() {
        let mut bytes = "青溪县国民经济和社会发展第十四个五年规划纲要\n第一章 发展基础\n"
            .as_bytes()
            .to_vec();
        bytes.push(0xe4);
        let (text, enc, invalid) = decode_text_checked(&bytes).unwrap();
        assert_eq!(enc, "UTF-8");
        assert!(text.starts_with("青溪县国民经济"));
        assert_eq!(invalid, Some(InvalidUtf8 { count: 1, line: 3 }));
        // GBK text is still read as GB18030.
        let (gbk, _, _) = encoding_rs::GBK.encode("青溪县国民经济和社会发展第十四个五年规划纲要\n");
        let (text, enc, invalid) = decode_text_checked(&gbk).unwrap();
        assert_eq!(
            (text.as_str(), enc.as_str(), invalid),
            (
                "青溪县国民经济和社会发展第十四个五年规划纲要\n",
                "gb18030",
                None
            )
        );
    }

    #[test]
    fn binary_is_refused() {
        assert_eq!(
            decode_text(b"\x7fELF\x02\x01\x01\0\0\0"),
            Err(DecodeError::Binary)
        );
    }
}
