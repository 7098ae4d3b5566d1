//! CMaps: how a font's byte string splits into codes, and what Unicode text a code
//! stands for.
//!
//! Two kinds matter for Chinese PDFs:
//! - an embedded `ToUnicode` CMap (`beginbfchar`/`beginbfrange`, UTF-16BE targets),
//!   written by Word, WPS, LibreOffice and Chromium alike;
//! - a predefined encoding CMap named in `/Encoding` (`UniGB-UCS2-H`, `GBK-EUC-H`, …),
//!   whose codes are themselves UCS-2, UTF-16 or GBK bytes, so they decode without
//!   Adobe's CID tables.

use std::collections::HashMap;

/// Most mappings read from one ToUnicode CMap; a real CJK font maps ~30 000 codes.
const MAX_MAPPINGS: usize = 200_000;

/// Most target characters of one mapping (ligatures map to a few).
const MAX_TARGET_CHARS: usize = 16;

/// Code lengths in bytes accepted by a codespace (PDF allows 1 to 4).
const MAX_CODE_BYTES: usize = 4;

/// A byte range of codes of one length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeRange {
    /// Code length in bytes.
    pub len: usize,
    /// Lowest code.
    pub lo: u32,
    /// Highest code.
    pub hi: u32,
}

/// A parsed ToUnicode (or embedded encoding) CMap.
#[derive(Debug, Default)]
pub struct CMap {
    /// Codespace ranges, used to split strings when the font's own encoding does not say.
    pub codespace: Vec<CodeRange>,
    single: HashMap<(usize, u32), String>,
    /// `(range, first target)`: the target's last UTF-16 unit counts up with the code.
    ranges: Vec<(CodeRange, Vec<u16>)>,
}

impl CMap {
    /// Parse CMap text; unknown tokens are skipped, never an error.
    pub fn parse(data: &[u8]) -> CMap {
        let tokens = tokenize(data);
        let mut cmap = CMap::default();
        let mut i = 0;
        let mut mappings = 0usize;
        while i < tokens.len() {
            match &tokens[i] {
                Tok::Word(w) if w == b"begincodespacerange" => {
                    i += 1;
                    while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        if let Some(range) = code_range(lo, hi) {
                            cmap.codespace.push(range);
                        }
                        i += 2;
                    }
                }
                Tok::Word(w) if w == b"beginbfchar" => {
                    i += 1;
                    while let (Some(Tok::Hex(src)), Some(Tok::Hex(dst))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        if let Some(code) = code_of(src)
                            && mappings < MAX_MAPPINGS
                        {
                            cmap.single.insert((src.len(), code), utf16_text(dst));
                            mappings += 1;
                        }
                        i += 2;
                    }
                }
                Tok::Word(w) if w == b"beginbfrange" => {
                    i += 1;
                    i = cmap.read_ranges(&tokens, i, &mut mappings);
                }
                _ => i += 1,
            }
        }
        cmap
    }

    fn read_ranges(&mut self, tokens: &[Tok], mut i: usize, mappings: &mut usize) -> usize {
        while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi))) = (tokens.get(i), tokens.get(i + 1)) {
            let range = code_range(lo, hi);
            match tokens.get(i + 2) {
                Some(Tok::Hex(dst)) => {
                    if let Some(range) = range
                        && *mappings < MAX_MAPPINGS
                    {
                        self.ranges.push((range, utf16_units(dst)));
                        *mappings += 1;
                    }
                    i += 3;
                }
                Some(Tok::Open) => {
                    // `<lo> <hi> [<d1> <d2> …]`: one target per code.
                    i += 3;
                    let mut code = range.map(|r| r.lo);
                    while let Some(Tok::Hex(dst)) = tokens.get(i) {
                        if let (Some(c), Some(r)) = (code, range)
                            && c <= r.hi
                            && *mappings < MAX_MAPPINGS
                        {
                            self.single.insert((r.len, c), utf16_text(dst));
                            *mappings += 1;
                            code = c.checked_add(1);
                        }
                        i += 1;
                    }
                    if matches!(tokens.get(i), Some(Tok::Close)) {
                        i += 1;
                    }
                }
                _ => return i + 2,
            }
        }
        i
    }

    /// Whether the CMap maps anything at all.
    pub fn is_empty(&self) -> bool {
        self.single.is_empty() && self.ranges.is_empty()
    }

    /// The text of the `len`-byte code `code`, if mapped.
    pub fn lookup(&self, len: usize, code: u32) -> Option<String> {
        if let Some(text) = self.single.get(&(len, code)) {
            return Some(text.clone());
        }
        let (range, first) = self
            .ranges
            .iter()
            .find(|(r, _)| r.len == len && r.lo <= code && code <= r.hi)?;
        let mut units = first.clone();
        let last = units.last_mut()?;
        // The offset fits in u16 arithmetic only for sane ranges; wrap like readers do.
        *last = last.wrapping_add((code - range.lo) as u16);
        Some(String::from_utf16_lossy(&units))
    }

    /// Length of the code starting at `bytes[0]` according to the codespace, if any
    /// range matches.
    pub fn code_len(&self, bytes: &[u8]) -> Option<usize> {
        self.codespace
            .iter()
            .filter(|r| r.len <= bytes.len())
            .find(|r| {
                let code = be(&bytes[..r.len]);
                r.lo <= code && code <= r.hi
            })
            .map(|r| r.len)
    }
}

/// A predefined CMap named in a Type0 font's `/Encoding`, by how its codes decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Predefined {
    /// `Identity-H`/`-V`: two-byte codes equal to CIDs (text only via ToUnicode).
    Identity,
    /// `UniGB-UCS2-H`/`-V` and other `Uni*-UCS2`: two-byte UCS-2 codes.
    Ucs2,
    /// `UniGB-UTF16-H`/`-V`: UTF-16BE codes (two or four bytes).
    Utf16,
    /// `GBK-EUC-H`, `GB-EUC-H`, `GBpc-EUC-H`, `GBKp-EUC-H`, `GBK2K-H`: GBK/GB18030 bytes.
    Gbk,
}

impl Predefined {
    /// The predefined CMap of this name, if it is one we decode.
    pub fn from_name(name: &[u8]) -> Option<Predefined> {
        let name = std::str::from_utf8(name).ok()?;
        let base = name
            .strip_suffix("-H")
            .or_else(|| name.strip_suffix("-V"))?;
        if base == "Identity" {
            Some(Predefined::Identity)
        } else if base.starts_with("Uni") && base.ends_with("UCS2") {
            Some(Predefined::Ucs2)
        } else if base.starts_with("Uni") && base.ends_with("UTF16") {
            Some(Predefined::Utf16)
        } else if base.starts_with("GB") {
            Some(Predefined::Gbk)
        } else {
            None
        }
    }

    /// Length of the code starting at `bytes[0]`.
    pub fn code_len(self, bytes: &[u8]) -> usize {
        let first = bytes.first().copied().unwrap_or(0);
        match self {
            Predefined::Identity | Predefined::Ucs2 => 2,
            Predefined::Utf16 => {
                let high_surrogate = (0xD8..0xDC).contains(&first);
                if high_surrogate { 4 } else { 2 }
            }
            Predefined::Gbk => {
                let second = bytes.get(1).copied().unwrap_or(0);
                if first < 0x81 || first == 0xFF {
                    1
                } else if (0x30..=0x39).contains(&second) {
                    4 // GB18030 four-byte sequence (GBK2K)
                } else {
                    2
                }
            }
        }
    }

    /// The text of one code, when the code itself is a Unicode or GBK encoding.
    pub fn text(self, bytes: &[u8]) -> Option<String> {
        match self {
            Predefined::Identity => None,
            Predefined::Ucs2 | Predefined::Utf16 => {
                let units: Vec<u16> = bytes
                    .chunks_exact(2)
                    .map(|p| u16::from_be_bytes([p[0], p[1]]))
                    .collect();
                String::from_utf16(&units).ok()
            }
            Predefined::Gbk => {
                let (text, _, bad) = encoding_rs::GB18030.decode(bytes);
                (!bad).then(|| text.into_owned())
            }
        }
    }
}

#[derive(Debug, PartialEq)]
enum Tok {
    Hex(Vec<u8>),
    Word(Vec<u8>),
    Open,
    Close,
}

/// Split CMap text into hex strings, brackets and bare words; everything else
/// (names, literal strings, dictionaries) only separates them.
fn tokenize(data: &[u8]) -> Vec<Tok> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        match c {
            b'<' if data.get(i + 1) == Some(&b'<') => i += 2,
            b'>' => i += 1,
            b'<' => {
                let end = data[i + 1..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(data.len(), |p| i + 1 + p);
                tokens.push(Tok::Hex(hex_bytes(&data[i + 1..end])));
                i = end + 1;
            }
            b'[' => {
                tokens.push(Tok::Open);
                i += 1;
            }
            b']' => {
                tokens.push(Tok::Close);
                i += 1;
            }
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' => {
                // Skip a literal string (registry names in CIDSystemInfo), honouring escapes.
                let mut depth = 0usize;
                while i < data.len() {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            c if c.is_ascii_alphanumeric() || c == b'/' || c == b'.' || c == b'-' => {
                let start = i;
                while i < data.len()
                    && (data[i].is_ascii_alphanumeric() || b"/.-_".contains(&data[i]))
                {
                    i += 1;
                }
                tokens.push(Tok::Word(data[start..i].to_vec()));
            }
            _ => i += 1,
        }
    }
    tokens
}

fn hex_bytes(hex: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = hex
        .iter()
        .filter_map(|&b| (b as char).to_digit(16).map(|d| d as u8))
        .collect();
    digits
        .chunks(2)
        .map(|p| p[0] << 4 | p.get(1).copied().unwrap_or(0))
        .collect()
}

fn be(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b))
}

fn code_of(bytes: &[u8]) -> Option<u32> {
    (!bytes.is_empty() && bytes.len() <= MAX_CODE_BYTES).then(|| be(bytes))
}

fn code_range(lo: &[u8], hi: &[u8]) -> Option<CodeRange> {
    if lo.len() != hi.len() {
        return None;
    }
    let (lo_code, hi_code) = (code_of(lo)?, code_of(hi)?);
    (lo_code <= hi_code).then_some(CodeRange {
        len: lo.len(),
        lo: lo_code,
        hi: hi_code,
    })
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .take(MAX_TARGET_CHARS * 2)
        .map(|p| u16::from_be_bytes([p[0], p.get(1).copied().unwrap_or(0)]))
        .collect()
}

fn utf16_text(bytes: &[u8]) -> String {
    String::from_utf16_lossy(&utf16_units(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TO_UNICODE: &str = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
1 begincodespacerange <0000> <FFFF> endcodespacerange
3 beginbfchar
<0003> <0020>
<0F2C> <89C4>
<0F2D> <5212>
endbfchar
2 beginbfrange
<0010> <0019> <0030>
<0020> <0022> [<7EB2> <8981> <D835DC00>]
endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end";

    #[test]
    fn to_unicode_chars_and_ranges() {
        let cmap = CMap::parse(TO_UNICODE.as_bytes());
        assert_eq!(
            cmap.codespace,
            [CodeRange {
                len: 2,
                lo: 0,
                hi: 0xFFFF
            }]
        );
        assert_eq!(cmap.lookup(2, 0x0F2C).as_deref(), Some("规"));
        assert_eq!(cmap.lookup(2, 0x0F2D).as_deref(), Some("划"));
        assert_eq!(cmap.lookup(2, 0x0003).as_deref(), Some(" "));
        // <0010>..<0019> → 0..9
        assert_eq!(cmap.lookup(2, 0x0015).as_deref(), Some("5"));
        assert_eq!(cmap.lookup(2, 0x0020).as_deref(), Some("纲"));
        assert_eq!(cmap.lookup(2, 0x0021).as_deref(), Some("要"));
        assert_eq!(cmap.lookup(2, 0x0022).as_deref(), Some("𝐀"));
        assert_eq!(cmap.lookup(2, 0x0023), None);
        assert_eq!(
            cmap.lookup(1, 0x03),
            None,
            "a one-byte code is another code"
        );
        assert_eq!(cmap.code_len(&[0x0F, 0x2C]), Some(2));
    }

    #[test]
    fn hostile_cmaps_do_not_panic() {
        for text in [
            "begincodespacerange <00> endcodespacerange",
            "beginbfrange <FFFF> <0000> <0041> endbfrange",
            "beginbfrange <00> <FF> [<41> <42> endbfrange",
            "beginbfchar <0102030405> <41> endbfchar",
            "beginbfchar <01> <",
            "(unclosed \\",
            "<<<<>>>>",
        ] {
            let cmap = CMap::parse(text.as_bytes());
            let _ = cmap.lookup(1, 0);
            let _ = cmap.code_len(&[0xFF]);
        }
    }

    #[test]
    fn predefined_chinese_cmaps() {
        assert_eq!(
            Predefined::from_name(b"Identity-H"),
            Some(Predefined::Identity)
        );
        assert_eq!(
            Predefined::from_name(b"UniGB-UCS2-H"),
            Some(Predefined::Ucs2)
        );
        assert_eq!(
            Predefined::from_name(b"UniGB-UTF16-V"),
            Some(Predefined::Utf16)
        );
        assert_eq!(Predefined::from_name(b"GBK-EUC-H"), Some(Predefined::Gbk));
        assert_eq!(Predefined::from_name(b"GBpc-EUC-H"), Some(Predefined::Gbk));
        assert_eq!(Predefined::from_name(b"WinAnsiEncoding"), None);

        assert_eq!(Predefined::Ucs2.text(&[0x89, 0xC4]).as_deref(), Some("规"));
        assert_eq!(
            Predefined::Utf16.text(&[0xD8, 0x35, 0xDC, 0x00]).as_deref(),
            Some("𝐀")
        );
        assert_eq!(Predefined::Utf16.code_len(&[0xD8, 0x35, 0xDC, 0x00]), 4);
        // 规划 in GBK is B9 E6 BB AE; ASCII digits are one byte.
        assert_eq!(Predefined::Gbk.code_len(&[0xB9, 0xE6]), 2);
        assert_eq!(Predefined::Gbk.code_len(b"5"), 1);
        assert_eq!(Predefined::Gbk.text(&[0xB9, 0xE6]).as_deref(), Some("规"));
        assert_eq!(Predefined::Gbk.text(&[0xBB, 0xAE]).as_deref(), Some("划"));
        assert_eq!(Predefined::Identity.text(&[0x0F, 0x2C]), None);
    }
}
