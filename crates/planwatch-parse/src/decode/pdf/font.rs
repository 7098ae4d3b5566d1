//! Fonts: splitting a shown string into codes, each code's Unicode text and width.
//!
//! Order of trust for the text of a code: the font's ToUnicode CMap, then a
//! predefined Chinese CMap whose codes are UCS-2/UTF-16/GBK, then (simple fonts)
//! the encoding's glyph names. A code none of them maps comes out as `None`, and the
//! page counts it against the font so a font without Unicode mapping is reported
//! instead of turning into silent garbage.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

use super::MAX_CMAP_BYTES;
use super::cmap::{CMap, Predefined};
use super::content::Budget;
use super::obj::{deref, dict_of, name_of, num};

/// Largest `/W` or `/Widths` array honoured, in entries.
const MAX_WIDTH_ENTRIES: usize = 100_000;

/// What kind of font program the codes address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Type1, TrueType, MMType1: one byte per code.
    Simple,
    /// Type3: one byte per code, glyphs drawn by content procedures.
    Type3,
    /// Type0 (CID-keyed): code length from the encoding CMap.
    Composite,
}

/// One code of a shown string.
#[derive(Debug, Clone, PartialEq)]
pub struct Code {
    /// Unicode text of the code; `None` when the font does not say.
    pub text: Option<String>,
    /// Advance width in text space per unit of font size (`w0 / 1000` for most fonts).
    pub width: f32,
    /// A single-byte code 32, which word spacing (`Tw`) applies to.
    pub word_space: bool,
}

/// A font as far as text extraction needs it.
#[derive(Debug)]
pub struct Font {
    /// `/BaseFont` (or the resource name when absent), for diagnostics.
    pub name: String,
    /// Bold by name, weight or flags.
    pub bold: bool,
    /// Glyph height relative to the font size (Type3 fonts scale by their FontMatrix).
    pub size_scale: f32,
    kind: Kind,
    to_unicode: Option<CMap>,
    predefined: Option<Predefined>,
    encoding_cmap: Option<CMap>,
    /// Simple fonts: text of each byte from the encoding and its differences.
    simple: HashMap<u8, String>,
    widths: HashMap<u32, f32>,
    default_width: f32,
    /// Glyph space to text space (0.001, or a Type3 font's FontMatrix).
    scale: f32,
}

impl Font {
    /// Read a font dictionary; never fails (missing parts fall back to estimates).
    /// Decoded CMap bytes are taken from `budget`.
    pub fn load(
        doc: &Document,
        dict: &Dictionary,
        resource_name: &[u8],
        budget: &mut Budget,
    ) -> Font {
        let subtype = name_of(doc, dict.get(b"Subtype").ok()).unwrap_or_default();
        let kind = match subtype.as_slice() {
            b"Type0" => Kind::Composite,
            b"Type3" => Kind::Type3,
            _ => Kind::Simple,
        };
        let base =
            name_of(doc, dict.get(b"BaseFont").ok()).unwrap_or_else(|| resource_name.to_vec());
        let name = String::from_utf8_lossy(&base).into_owned();
        let to_unicode = dict
            .get(b"ToUnicode")
            .ok()
            .and_then(|o| budget.take(doc, o, MAX_CMAP_BYTES))
            .map(|bytes| CMap::parse(&bytes))
            .filter(|cmap| !cmap.is_empty());
        let mut font = Font {
            bold: false,
            size_scale: 1.0,
            kind,
            to_unicode,
            predefined: None,
            encoding_cmap: None,
            simple: HashMap::new(),
            widths: HashMap::new(),
            default_width: 0.0,
            scale: 0.001,
            name,
        };
        let descriptor = match kind {
            Kind::Composite => font.load_composite(doc, dict, budget),
            Kind::Simple | Kind::Type3 => font.load_simple(doc, dict),
        };
        font.bold = is_bold(doc, &font.name, descriptor);
        font
    }

    /// Reads the descendant CID font; returns its font descriptor.
    fn load_composite<'a>(
        &mut self,
        doc: &'a Document,
        dict: &'a Dictionary,
        budget: &mut Budget,
    ) -> Option<&'a Dictionary> {
        match dict.get(b"Encoding").ok().map(|o| deref(doc, o)) {
            Some(Object::Name(n)) => self.predefined = Predefined::from_name(n),
            Some(object @ Object::Stream(s)) => {
                let bytes = budget.take(doc, object, MAX_CMAP_BYTES).unwrap_or_default();
                let cmap = CMap::parse(&bytes);
                // An embedded CMap may `usecmap` a predefined one by name.
                self.predefined = name_of(doc, s.dict.get(b"UseCMap").ok())
                    .and_then(|n| Predefined::from_name(&n));
                self.encoding_cmap = Some(cmap);
            }
            _ => self.predefined = Some(Predefined::Identity),
        }
        let descendant = dict
            .get(b"DescendantFonts")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|o| dict_of(doc, o))?;
        self.default_width = descendant
            .get(b"DW")
            .ok()
            .and_then(|o| num(doc, o))
            .unwrap_or(1000.0);
        if let Some(Object::Array(w)) = descendant.get(b"W").ok().map(|o| deref(doc, o)) {
            self.read_cid_widths(doc, w);
        }
        descendant
            .get(b"FontDescriptor")
            .ok()
            .and_then(|o| dict_of(doc, o))
    }

    /// `/W [c [w1 w2 …] c1 c2 w …]`.
    fn read_cid_widths(&mut self, doc: &Document, w: &[Object]) {
        let mut i = 0;
        while i + 1 < w.len() && self.widths.len() < MAX_WIDTH_ENTRIES {
            let Some(first) = num(doc, &w[i]).map(|f| f.max(0.0) as u32) else {
                i += 1;
                continue;
            };
            match deref(doc, &w[i + 1]) {
                Object::Array(list) => {
                    for (k, width) in list.iter().enumerate().take(MAX_WIDTH_ENTRIES) {
                        if let Some(width) = num(doc, width) {
                            self.widths.insert(first.saturating_add(k as u32), width);
                        }
                    }
                    i += 2;
                }
                last => {
                    let (Some(last), Some(width)) =
                        (num(doc, last), w.get(i + 2).and_then(|o| num(doc, o)))
                    else {
                        i += 3;
                        continue;
                    };
                    let last =
                        (last.max(0.0) as u32).min(first.saturating_add(MAX_WIDTH_ENTRIES as u32));
                    for cid in first..=last {
                        self.widths.insert(cid, width);
                    }
                    i += 3;
                }
            }
        }
    }

    /// Reads widths and the encoding of a simple or Type3 font; returns its descriptor.
    fn load_simple<'a>(
        &mut self,
        doc: &'a Document,
        dict: &'a Dictionary,
    ) -> Option<&'a Dictionary> {
        if self.kind == Kind::Type3 {
            let matrix: Vec<f32> = dict
                .get(b"FontMatrix")
                .ok()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_array().ok())
                .map(|a| a.iter().filter_map(|o| num(doc, o)).collect())
                .unwrap_or_default();
            if let [a, _, _, d, _, _] = matrix[..] {
                if a.abs() > f32::EPSILON {
                    self.scale = a.abs();
                }
                // The nominal em of a standard font is 1000 glyph units.
                self.size_scale = (d.abs() * 1000.0).clamp(0.01, 100.0);
            }
        }
        let first = dict
            .get(b"FirstChar")
            .ok()
            .and_then(|o| num(doc, o))
            .unwrap_or(0.0)
            .max(0.0) as u32;
        if let Some(Object::Array(widths)) = dict.get(b"Widths").ok().map(|o| deref(doc, o)) {
            for (k, w) in widths.iter().enumerate().take(MAX_WIDTH_ENTRIES) {
                if let Some(w) = num(doc, w) {
                    self.widths.insert(first.saturating_add(k as u32), w);
                }
            }
        }
        let descriptor = dict
            .get(b"FontDescriptor")
            .ok()
            .and_then(|o| dict_of(doc, o));
        self.default_width = descriptor
            .and_then(|d| d.get(b"MissingWidth").ok())
            .and_then(|o| num(doc, o))
            .unwrap_or(0.0);
        self.read_encoding(doc, dict.get(b"Encoding").ok());
        descriptor
    }

    /// Base encoding (ASCII for Standard/WinAnsi/MacRoman) and `/Differences` names.
    fn read_encoding(&mut self, doc: &Document, encoding: Option<&Object>) {
        for b in 0x20u8..0x7f {
            self.simple.insert(b, char::from(b).to_string());
        }
        let encoding = encoding.map(|o| deref(doc, o));
        let Some(Object::Dictionary(enc)) = encoding else {
            return;
        };
        let Some(Object::Array(diffs)) = enc.get(b"Differences").ok().map(|o| deref(doc, o)) else {
            return;
        };
        let mut code: Option<u32> = None;
        for item in diffs.iter().take(MAX_WIDTH_ENTRIES) {
            match deref(doc, item) {
                Object::Integer(n) => code = u32::try_from(*n).ok(),
                Object::Name(glyph) => {
                    if let Some(c) = code.and_then(|c| u8::try_from(c).ok()) {
                        match glyph_text(glyph) {
                            Some(text) => self.simple.insert(c, text),
                            None => self.simple.remove(&c),
                        };
                    }
                    code = code.and_then(|c| c.checked_add(1));
                }
                _ => {}
            }
        }
    }

    /// Split a shown string into codes.
    pub fn codes(&self, bytes: &[u8]) -> Vec<Code> {
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let len = self.code_len(&bytes[i..]).clamp(1, bytes.len() - i);
            let raw = &bytes[i..i + len];
            let code = raw.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b));
            out.push(Code {
                text: self.text_of(raw, code),
                width: self.width_of(code, len) * self.scale,
                word_space: len == 1 && code == 32,
            });
            i += len;
        }
        out
    }

    fn code_len(&self, rest: &[u8]) -> usize {
        if self.kind != Kind::Composite {
            return 1;
        }
        if let Some(len) = self.encoding_cmap.as_ref().and_then(|c| c.code_len(rest)) {
            return len;
        }
        if let Some(p) = self.predefined {
            return p.code_len(rest);
        }
        self.to_unicode
            .as_ref()
            .and_then(|c| c.code_len(rest))
            .unwrap_or(2)
    }

    fn text_of(&self, raw: &[u8], code: u32) -> Option<String> {
        let text = self.raw_text(raw, code)?;
        if text.is_ascii() {
            return Some(text);
        }
        // Latin ligatures (Chromium writes "ﬁle:///") as their letters.
        let text = match text.as_str() {
            "ﬁ" => "fi".to_string(),
            "ﬂ" => "fl".to_string(),
            "ﬀ" => "ff".to_string(),
            _ => text,
        };
        Some(text.chars().map(unify).collect())
    }

    fn raw_text(&self, raw: &[u8], code: u32) -> Option<String> {
        if let Some(text) = self
            .to_unicode
            .as_ref()
            .and_then(|c| c.lookup(raw.len(), code))
        {
            return Some(text);
        }
        match self.kind {
            Kind::Composite => self.predefined.and_then(|p| p.text(raw)),
            Kind::Simple | Kind::Type3 => {
                let byte = u8::try_from(code).ok()?;
                // A Type3 font's glyph names are rarely standard: without ToUnicode
                // only its explicit Differences count.
                self.simple.get(&byte).cloned()
            }
        }
    }

    fn width_of(&self, code: u32, len: usize) -> f32 {
        // With Identity-H the code is the CID; other CMaps need Adobe's tables, so
        // their widths fall back to the default width.
        let cid_known = self.kind != Kind::Composite
            || self.predefined == Some(Predefined::Identity)
            || len == 2 && self.predefined.is_none();
        let width = if cid_known {
            self.widths.get(&code).copied()
        } else {
            None
        };
        match width {
            Some(w) => w,
            None if self.default_width > 0.0 => self.default_width,
            // No width at all (standard 14 fonts): half an em, an average Latin glyph.
            None => 0.5 / self.scale,
        }
    }
}

/// The 214 Kangxi radicals (U+2F00…) as their unified ideographs, in order.
const KANGXI: &str = "一丨丶丿乙亅二亠人儿入八冂冖冫几凵刀力勹匕匚匸十卜卩厂厶又口囗土士夂夊夕大女子宀寸小尢尸屮山巛工己巾干幺广廴廾弋弓彐彡彳心戈戶手支攴文斗斤方无日曰月木欠止歹殳毋比毛氏气水火爪父爻爿片牙牛犬玄玉瓜瓦甘生用田疋疒癶白皮皿目矛矢石示禸禾穴立竹米糸缶网羊羽老而耒耳聿肉臣自至臼舌舛舟艮色艸虍虫血行衣襾見角言谷豆豕豸貝赤走足身車辛辰辵邑酉釆里金長門阜隶隹雨靑非面革韋韭音頁風飛食首香馬骨高髟鬥鬯鬲鬼魚鳥鹵鹿麥麻黃黍黑黹黽鼎鼓鼠鼻齊齒龍龜龠";

/// Radical code points as the ideographs they stand for in running text. Fonts map
/// one glyph to both a radical and an ideograph, and a ToUnicode built from the font
/// (Chromium's, some WPS exports) may name the radical: 县⼈⺠政府 is 县人民政府.
/// No-break spaces become spaces.
pub fn unify(c: char) -> char {
    let code = c as u32;
    if (0x2F00..=0x2FD5).contains(&code) {
        return KANGXI.chars().nth((code - 0x2F00) as usize).unwrap_or(c);
    }
    match c {
        '⺟' => '母',
        '⺠' => '民',
        '⻄' => '西',
        '⻅' => '见',
        '⻆' => '角',
        '⻉' => '贝',
        '⻋' => '车',
        '⻑' => '長',
        '⻓' => '长',
        '⻔' => '门',
        '⻗' => '雨',
        '⻘' => '青',
        '⻙' => '韦',
        '⻚' => '页',
        '⻛' => '风',
        '⻜' => '飞',
        '⻝' => '食',
        '⻢' => '马',
        '⻣' => '骨',
        '⻤' => '鬼',
        '⻥' => '鱼',
        '⻦' => '鸟',
        '⻨' => '麦',
        '⻩' => '黄',
        '⻬' => '齐',
        '⻮' => '齿',
        '⻰' => '龙',
        '⻳' => '龟',
        // Noto CJK maps the glyph of 胶 to U+3B35 as well; Chromium's ToUnicode picks it.
        '㬵' => '胶',
        '\u{a0}' => ' ',
        _ => c,
    }
}

fn is_bold(doc: &Document, name: &str, descriptor: Option<&Dictionary>) -> bool {
    let lower = name.to_ascii_lowercase();
    if [
        "bold", "heavy", "black", "semibold", "demibold", "黑体", "simhei", "hei",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return true;
    }
    let Some(descriptor) = descriptor else {
        return false;
    };
    let weight = descriptor.get(b"FontWeight").ok().and_then(|o| num(doc, o));
    let flags = descriptor
        .get(b"Flags")
        .ok()
        .and_then(|o| num(doc, o))
        .unwrap_or(0.0) as u32;
    weight.is_some_and(|w| w >= 600.0) || flags & (1 << 18) != 0
}

/// The Unicode text of a glyph name: `uniXXXX`, `uXXXX`, or a common Latin name.
pub fn glyph_text(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    let name = name.split('.').next().unwrap_or(name);
    if let Some(hex) = name.strip_prefix("uni")
        && hex.len() >= 4
        && hex.len() % 4 == 0
    {
        let units: Option<Vec<u16>> = (0..hex.len())
            .step_by(4)
            .map(|k| u16::from_str_radix(hex.get(k..k + 4)?, 16).ok())
            .collect();
        return String::from_utf16(&units?).ok();
    }
    if let Some(hex) = name.strip_prefix('u')
        && (4..=6).contains(&hex.len())
    {
        return u32::from_str_radix(hex, 16)
            .ok()
            .and_then(char::from_u32)
            .map(String::from);
    }
    if name.len() == 1 && name.as_bytes()[0].is_ascii_alphabetic() {
        return Some(name.to_string());
    }
    let c = match name {
        "space" | "nbspace" => ' ',
        "zero" => '0',
        "one" => '1',
        "two" => '2',
        "three" => '3',
        "four" => '4',
        "five" => '5',
        "six" => '6',
        "seven" => '7',
        "eight" => '8',
        "nine" => '9',
        "period" => '.',
        "comma" => ',',
        "colon" => ':',
        "semicolon" => ';',
        "hyphen" | "minus" => '-',
        "parenleft" => '(',
        "parenright" => ')',
        "bracketleft" => '[',
        "bracketright" => ']',
        "braceleft" => '{',
        "braceright" => '}',
        "percent" => '%',
        "slash" => '/',
        "backslash" => '\\',
        "plus" => '+',
        "equal" => '=',
        "less" => '<',
        "greater" => '>',
        "exclam" => '!',
        "question" => '?',
        "quotedbl" => '"',
        "quotesingle" => '\'',
        "quoteright" => '’',
        "quoteleft" => '‘',
        "quotedblleft" => '“',
        "quotedblright" => '”',
        "numbersign" => '#',
        "dollar" => '$',
        "ampersand" => '&',
        "asterisk" => '*',
        "at" => '@',
        "underscore" => '_',
        "bar" => '|',
        "asciitilde" => '~',
        "asciicircum" => '^',
        "grave" => '`',
        "endash" => '–',
        "emdash" => '—',
        "bullet" => '•',
        "periodcentered" => '·',
        "degree" => '°',
        _ => return None,
    };
    Some(c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radicals_become_ideographs() {
        let text: String = "县⼈⺠政府⻔户⽹站⻓江".chars().map(unify).collect();
        assert_eq!(text, "县人民政府门户网站长江");
        assert_eq!(unify('⿕'), '龠');
        assert_eq!(unify('规'), '规');
    }

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_text(b"uni89C4").as_deref(), Some("规"));
        assert_eq!(glyph_text(b"uni89C45212").as_deref(), Some("规划"));
        assert_eq!(glyph_text(b"u1D400").as_deref(), Some("𝐀"));
        assert_eq!(glyph_text(b"percent").as_deref(), Some("%"));
        assert_eq!(glyph_text(b"A").as_deref(), Some("A"));
        assert_eq!(glyph_text(b"one.sups").as_deref(), Some("1"));
        assert_eq!(glyph_text(b"g123"), None);
        assert_eq!(glyph_text(b"uniZZZZ"), None);
        assert_eq!(glyph_text(b"\xff\xfe"), None);
    }
}
