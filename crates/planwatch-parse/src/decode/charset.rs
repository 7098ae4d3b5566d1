//! Charset detection: BOM, then valid UTF-8, then a declared charset, then chardetng.

use encoding_rs::{Encoding, UTF_8};

use super::DecodeError;

/// Decode text bytes; returns the text and the name of the encoding used.
pub fn decode_text(bytes: &[u8]) -> Result<(String, String), DecodeError> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok((text.into_owned(), enc.name().to_string()));
    }
    if looks_binary(bytes) {
        return Err(DecodeError::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), UTF_8.name().to_string()));
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
    Ok((text.into_owned(), enc.name().to_string()))
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
    fn binary_is_refused() {
        assert_eq!(
            decode_text(b"\x7fELF\x02\x01\x01\0\0\0"),
            Err(DecodeError::Binary)
        );
    }
}
