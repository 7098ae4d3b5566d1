//! Word automatic numbering (`word/numbering.xml`): list definitions, counters and
//! the labels they render (第一章, 一、, （一）, 1., (1)).
//!
//! A paragraph refers to a list instance (`w:num`, by numId) and a level (ilvl). The
//! instance points to an abstract definition whose levels give the start value, the
//! number format, the label template (`第%1章`, `（%2）`) and the suffix. Counters are
//! kept per instance; using a level restarts the deeper ones.

use std::collections::HashMap;

use super::xml::{Ev, attr, num_attr, walk};
use crate::decode::DecodeError;

const LEVELS: usize = 9;

/// One level of a list definition.
#[derive(Debug, Clone, Default)]
pub(super) struct Level {
    start: Option<i64>,
    format: String,
    custom: Option<String>,
    text: Option<String>,
    suffix: String,
    restart: Option<i64>,
    legal: bool,
    /// Paragraph style linked to this level.
    pub(super) style: Option<String>,
}

#[derive(Debug, Default)]
struct Abstract {
    levels: HashMap<usize, Level>,
    /// `w:numStyleLink`: the definition lives in a numbering style.
    style_link: Option<String>,
}

#[derive(Debug, Default)]
struct Instance {
    abstract_id: i64,
    start_overrides: HashMap<usize, i64>,
    level_overrides: HashMap<usize, Level>,
}

/// Parsed numbering definitions plus the running counters of a document.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    abstracts: HashMap<i64, Abstract>,
    instances: HashMap<i64, Instance>,
    counters: HashMap<i64, [Option<i64>; LEVELS]>,
}

/// Where a numbering definition is being read.
enum Target {
    None,
    Abstract(i64),
    Instance(i64),
}

impl Numbering {
    /// Read `word/numbering.xml`.
    pub(super) fn parse(xml: &[u8]) -> Result<Self, DecodeError> {
        let mut n = Numbering::default();
        let mut target = Target::None;
        let mut level: Option<(usize, Level)> = None;
        let mut override_level: Option<usize> = None;
        walk("word/numbering.xml", xml, &[], |ev| match ev {
            Ev::Start(e) => {
                let name = e.local_name();
                match name.as_ref() {
                    b"abstractNum" => {
                        let id = num_attr(e, b"abstractNumId").unwrap_or(-1);
                        n.abstracts.entry(id).or_default();
                        target = Target::Abstract(id);
                    }
                    b"num" => {
                        let id = num_attr(e, b"numId").unwrap_or(-1);
                        n.instances.entry(id).or_default();
                        target = Target::Instance(id);
                    }
                    b"lvlOverride" => override_level = num_attr(e, b"ilvl").map(clamp_level),
                    b"lvl" => {
                        let ilvl = num_attr(e, b"ilvl").map(clamp_level).unwrap_or(0);
                        level = Some((
                            ilvl,
                            Level {
                                suffix: "tab".into(),
                                ..Level::default()
                            },
                        ));
                    }
                    b"abstractNumId" => {
                        if let Target::Instance(id) = target {
                            let abs = num_attr(e, b"val").unwrap_or(-1);
                            n.instances.entry(id).or_default().abstract_id = abs;
                        }
                    }
                    b"startOverride" => {
                        if let (Target::Instance(id), Some(ilvl)) = (&target, override_level)
                            && let Some(v) = num_attr(e, b"val")
                        {
                            n.instances
                                .entry(*id)
                                .or_default()
                                .start_overrides
                                .insert(ilvl, v);
                        }
                    }
                    b"numStyleLink" => {
                        if let Target::Abstract(id) = target {
                            n.abstracts.entry(id).or_default().style_link = attr(e, b"val");
                        }
                    }
                    other => {
                        if let Some((_, lvl)) = level.as_mut() {
                            read_level_property(lvl, other, e);
                        }
                    }
                }
            }
            Ev::End(b"lvl") => {
                let Some((ilvl, lvl)) = level.take() else {
                    return;
                };
                match (&target, override_level) {
                    (Target::Instance(id), Some(_)) => {
                        n.instances
                            .entry(*id)
                            .or_default()
                            .level_overrides
                            .insert(ilvl, lvl);
                    }
                    (Target::Abstract(id), _) => {
                        n.abstracts.entry(*id).or_default().levels.insert(ilvl, lvl);
                    }
                    _ => {}
                }
            }
            Ev::End(b"lvlOverride") => override_level = None,
            Ev::End(b"abstractNum" | b"num") => target = Target::None,
            _ => {}
        })?;
        Ok(n)
    }

    /// Resolve `w:numStyleLink` indirections: `style_num` maps a numbering style to
    /// the numId its numPr names.
    pub(super) fn link_styles(&mut self, style_num: impl Fn(&str) -> Option<i64>) {
        let links: Vec<(i64, i64)> = self
            .abstracts
            .iter()
            .filter(|(_, a)| a.levels.is_empty())
            .filter_map(|(id, a)| {
                let num = style_num(a.style_link.as_deref()?)?;
                Some((*id, self.instances.get(&num)?.abstract_id))
            })
            .collect();
        for (id, target) in links {
            if let Some(levels) = self.abstracts.get(&target).map(|a| a.levels.clone())
                && let Some(a) = self.abstracts.get_mut(&id)
            {
                a.levels = levels;
            }
        }
    }

    /// The level definition used by list instance `num` at `ilvl`.
    fn level(&self, num: i64, ilvl: usize) -> Option<&Level> {
        let inst = self.instances.get(&num)?;
        inst.level_overrides
            .get(&ilvl)
            .or_else(|| self.abstracts.get(&inst.abstract_id)?.levels.get(&ilvl))
    }

    /// The level whose linked paragraph style is `style`, if any.
    pub(super) fn level_for_style(&self, num: i64, style: &str) -> Option<usize> {
        (0..LEVELS).find(|&l| self.level(num, l).and_then(|d| d.style.as_deref()) == Some(style))
    }

    fn start(&self, num: i64, ilvl: usize) -> i64 {
        let over = self
            .instances
            .get(&num)
            .and_then(|i| i.start_overrides.get(&ilvl));
        over.copied()
            .or_else(|| self.level(num, ilvl)?.start)
            .unwrap_or(1)
    }

    /// Count one paragraph of list `num` at `ilvl` and return its label with suffix
    /// (`第一章 `, `一、`), or `None` for bullets, unknown lists and empty templates.
    pub(super) fn next_label(&mut self, num: i64, ilvl: usize) -> Option<String> {
        let ilvl = clamp_level(ilvl as i64);
        self.level(num, ilvl)?;
        let value = match self.counters.get(&num).and_then(|c| c[ilvl]) {
            Some(v) => v.saturating_add(1),
            None => self.start(num, ilvl),
        };
        let restarts: Vec<bool> = (0..LEVELS)
            .map(|deeper| {
                deeper > ilvl
                    && match self.level(num, deeper).and_then(|d| d.restart) {
                        Some(0) => false,
                        Some(r) => (ilvl as i64) < r,
                        None => true,
                    }
            })
            .collect();
        let counters = self.counters.entry(num).or_default();
        counters[ilvl] = Some(value);
        for (deeper, restart) in restarts.into_iter().enumerate() {
            if restart {
                counters[deeper] = None;
            }
        }
        self.render(num, ilvl)
    }

    fn render(&self, num: i64, ilvl: usize) -> Option<String> {
        let lvl = self.level(num, ilvl)?;
        if matches!(lvl.format.as_str(), "bullet" | "none") {
            return None;
        }
        let template = lvl.text.as_deref().filter(|t| !t.is_empty())?;
        let counters = self.counters.get(&num).copied().unwrap_or_default();
        let mut out = String::new();
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            let Some(d) = chars
                .peek()
                .and_then(|d| d.to_digit(10))
                .filter(|_| c == '%')
            else {
                out.push(c);
                continue;
            };
            chars.next();
            let Some(l) = (d as usize).checked_sub(1).filter(|&l| l < LEVELS) else {
                continue;
            };
            let value = counters[l].unwrap_or_else(|| self.start(num, l));
            let def = self.level(num, l);
            let (format, custom) = match def {
                Some(_) if lvl.legal => ("decimal", None),
                Some(d) => (d.format.as_str(), d.custom.as_deref()),
                None => ("decimal", None),
            };
            out.push_str(&format_number(value, format, custom));
        }
        match lvl.suffix.as_str() {
            "nothing" => {}
            _ => out.push(' '),
        }
        Some(out)
    }
}

fn read_level_property(lvl: &mut Level, name: &[u8], e: &quick_xml::events::BytesStart<'_>) {
    match name {
        b"start" => lvl.start = num_attr(e, b"val"),
        b"numFmt" => {
            lvl.format = attr(e, b"val").unwrap_or_default();
            lvl.custom = attr(e, b"format");
        }
        b"lvlText" => lvl.text = attr(e, b"val"),
        b"suff" => lvl.suffix = attr(e, b"val").unwrap_or_default(),
        b"lvlRestart" => lvl.restart = num_attr(e, b"val"),
        b"isLgl" => lvl.legal = attr(e, b"val").is_none_or(|v| v != "0" && v != "false"),
        b"pStyle" => lvl.style = attr(e, b"val"),
        _ => {}
    }
}

fn clamp_level(ilvl: i64) -> usize {
    ilvl.clamp(0, LEVELS as i64 - 1) as usize
}

const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Render a counter value in a Word number format (`numFmt`).
pub(super) fn format_number(n: i64, format: &str, custom: Option<&str>) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "japaneseCounting" => chinese_counting(n),
        "chineseLegalSimplified" | "ideographLegalTraditional" => {
            let plain = chinese_counting(n);
            plain.chars().map(legal_char).collect()
        }
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => {
            if n < 0 {
                return n.to_string();
            }
            n.to_string()
                .chars()
                .map(|c| DIGITS[c.to_digit(10).unwrap_or(0) as usize])
                .collect()
        }
        "ideographTraditional" => cycle(
            n,
            &['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'],
        ),
        "ideographZodiac" => cycle(
            n,
            &[
                '子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥',
            ],
        ),
        "decimalZero" => format!("{n:02}"),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_u32(0xFF10 + d).unwrap_or(c),
                None => c,
            })
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => enclosed(n, 0x2460),
        "decimalEnclosedParen" => enclosed(n, 0x2474),
        "decimalEnclosedFullstop" => enclosed(n, 0x2488),
        "upperLetter" => letters(n, b'A'),
        "lowerLetter" => letters(n, b'a'),
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "custom" => custom_format(n, custom.unwrap_or("")),
        _ => n.to_string(),
    }
}

/// 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 101 → 一百零一, 1010 → 一千零一十.
fn chinese_counting(n: i64) -> String {
    if !(0..100_000).contains(&n) {
        return n.to_string();
    }
    if n == 0 {
        return "〇".into();
    }
    const UNITS: [&str; 5] = ["", "十", "百", "千", "万"];
    let digits: Vec<usize> = n.to_string().bytes().map(|b| (b - b'0') as usize).collect();
    let top = digits.len() - 1;
    let mut out = String::new();
    let mut zero = false;
    for (i, &d) in digits.iter().enumerate() {
        let pos = top - i;
        if d == 0 {
            zero = true;
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        // 十一, not 一十一, when 十 leads.
        if !(d == 1 && pos == 1 && i == 0) {
            out.push(DIGITS[d]);
        }
        out.push_str(UNITS[pos]);
    }
    out
}

fn legal_char(c: char) -> char {
    match c {
        '一' => '壹',
        '二' => '贰',
        '三' => '叁',
        '四' => '肆',
        '五' => '伍',
        '六' => '陆',
        '七' => '柒',
        '八' => '捌',
        '九' => '玖',
        '十' => '拾',
        '百' => '佰',
        '千' => '仟',
        other => other,
    }
}

fn cycle(n: i64, symbols: &[char]) -> String {
    match usize::try_from(n) {
        Ok(i) if (1..=symbols.len()).contains(&i) => symbols[i - 1].to_string(),
        _ => n.to_string(),
    }
}

fn enclosed(n: i64, first: u32) -> String {
    match u32::try_from(n) {
        Ok(i) if (1..=20).contains(&i) => char::from_u32(first + i - 1)
            .map(String::from)
            .unwrap_or_default(),
        _ => n.to_string(),
    }
}

/// A, B, …, Z, AA, BB, … as Word counts letters.
fn letters(n: i64, base: u8) -> String {
    if !(1..=780).contains(&n) {
        return n.to_string();
    }
    let letter = char::from(base + ((n - 1) % 26) as u8);
    letter.to_string().repeat(((n - 1) / 26 + 1) as usize)
}

fn roman(n: i64) -> String {
    if !(1..4000).contains(&n) {
        return n.to_string();
    }
    const TABLE: [(i64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (value, symbol) in TABLE {
        while n >= value {
            out.push_str(symbol);
            n -= value;
        }
    }
    out
}

/// `w:numFmt w:val="custom" w:format="001, 002, 003, ..."`: zero-padded decimals, or
/// Chinese counting when the sample is written in Chinese numerals.
fn custom_format(n: i64, sample: &str) -> String {
    let first = sample.split(',').next().unwrap_or("").trim();
    if first.starts_with('0') && first.chars().all(|c| c.is_ascii_digit()) {
        format!("{n:0width$}", width = first.len())
    } else if first.starts_with(|c: char| DIGITS.contains(&c)) {
        chinese_counting(n)
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        for (n, format, expect) in [
            (1, "chineseCounting", "一"),
            (10, "chineseCounting", "十"),
            (11, "chineseCountingThousand", "十一"),
            (20, "chineseCounting", "二十"),
            (35, "chineseCounting", "三十五"),
            (101, "chineseCounting", "一百零一"),
            (110, "chineseCounting", "一百一十"),
            (1010, "chineseCountingThousand", "一千零一十"),
            (12, "chineseLegalSimplified", "拾贰"),
            (10, "ideographDigital", "一〇"),
            (3, "ideographTraditional", "丙"),
            (11, "ideographTraditional", "11"),
            (2, "ideographZodiac", "丑"),
            (7, "decimal", "7"),
            (7, "decimalZero", "07"),
            (12, "decimalFullWidth", "１２"),
            (3, "decimalEnclosedCircle", "③"),
            (3, "decimalEnclosedParen", "⑶"),
            (28, "upperLetter", "BB"),
            (1, "lowerLetter", "a"),
            (14, "upperRoman", "XIV"),
            (9, "lowerRoman", "ix"),
            (5, "someFutureFormat", "5"),
        ] {
            assert_eq!(format_number(n, format, None), expect, "{n} {format}");
        }
        assert_eq!(
            format_number(7, "custom", Some("001, 002, 003, ...")),
            "007"
        );
        assert_eq!(format_number(12, "custom", Some("一, 二, 三, ...")), "十二");
    }

    const NUMBERING: &str = r#"<w:numbering xmlns:w="w">
      <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1章"/><w:suff w:val="space"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%2节"/><w:suff w:val="space"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%3、"/><w:suff w:val="nothing"/></w:lvl>
        <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%4）"/><w:suff w:val="nothing"/></w:lvl>
        <w:lvl w:ilvl="4"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%5"/><w:isLgl/></w:lvl>
        <w:lvl w:ilvl="5"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/></w:lvl>
        <w:lvl w:ilvl="6"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="(%7)"/><w:lvlRestart w:val="1"/><w:suff w:val="nothing"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="0"/>
        <w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
    </w:numbering>"#;

    /// Paragraphs as (numId, ilvl) → the labels they get, in order.
    fn check(paragraphs: &[(i64, usize)], expect: &[Option<&str>]) {
        let mut n = Numbering::parse(NUMBERING.as_bytes()).unwrap();
        let got: Vec<Option<String>> = paragraphs
            .iter()
            .map(|&(num, l)| n.next_label(num, l))
            .collect();
        let expect: Vec<Option<String>> = expect.iter().map(|e| e.map(String::from)).collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn chapters_sections_and_items_count_and_restart() {
        check(
            &[
                (1, 0),
                (1, 1),
                (1, 2),
                (1, 3),
                (1, 3),
                (1, 2),
                (1, 3),
                (1, 1),
                (1, 2),
                (1, 0),
                (1, 2),
            ],
            &[
                Some("第一章 "),
                Some("第一节 "),
                Some("一、"),
                Some("（一）"),
                Some("（二）"),
                Some("二、"),
                Some("（一）"),
                Some("第二节 "),
                Some("一、"),
                Some("第二章 "),
                Some("一、"),
            ],
        );
    }

    #[test]
    fn legal_numbering_bullets_and_restart_override() {
        // isLgl renders the chapter counter in decimal: 第一章 → "1.1".
        // (7) restarts only after level 1 (lvlRestart 1), not after 第X节.
        check(
            &[
                (1, 0),
                (1, 4),
                (1, 5),
                (1, 6),
                (1, 1),
                (1, 6),
                (1, 0),
                (1, 6),
            ],
            &[
                Some("第一章 "),
                Some("1.1 "),
                None,
                Some("(1)"),
                Some("第一节 "),
                Some("(2)"),
                Some("第二章 "),
                Some("(1)"),
            ],
        );
    }

    #[test]
    fn instances_count_apart_and_start_overrides() {
        check(
            &[(1, 0), (2, 0), (2, 0), (1, 0), (9, 0)],
            &[
                Some("第一章 "),
                Some("第五章 "),
                Some("第六章 "),
                Some("第二章 "),
                None,
            ],
        );
    }
}
