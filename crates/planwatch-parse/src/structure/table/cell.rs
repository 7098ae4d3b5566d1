//! What a table cell looks like, before we know which column it belongs to.
//!
//! Rows whose merged cells went missing, names that wrapped onto a second line and
//! cells streamed one per line are all put back in place by matching each cell's
//! kind against the columns' roles (see `align.rs`). The kinds are deliberately
//! coarse: they say what a cell could be, and the alignment decides what it is.

use crate::structure::doc::{char_len, compact};

/// The kind of a cell's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// Nothing written (an empty position between two `|`).
    Empty,
    /// `—`, `-`, `/`, `无`: written as not applicable.
    Dash,
    /// 预期性 / 约束性.
    Attribute,
    /// A small whole number that can be a 序号 (1, 12, `3.`).
    Seq,
    /// A number or a number with its comparator, unit or brackets (735, ≤5以内, 〔13.5〕, >85).
    Number,
    /// A target written in words (完成省下达任务, 高于GDP增长, 与经济增长同步).
    Qualitative,
    /// A unit on its own (%, 亿元, 万元/人).
    Unit,
    /// A group label (经济发展, 一、经济更加发展(8项), 民生 福祉).
    Category,
    /// Text that names an indicator (地区生产总值(亿元), 森林覆盖率).
    Name,
    /// Any other text.
    Text,
}

/// Classify a cell's text.
pub fn classify(text: &str) -> CellKind {
    let c = compact(text);
    if c.is_empty() {
        return CellKind::Empty;
    }
    if is_dash(&c) {
        return CellKind::Dash;
    }
    if c == "预期性" || c == "约束性" {
        return CellKind::Attribute;
    }
    if is_seq(&c) {
        return CellKind::Seq;
    }
    if is_relation(&c) {
        return CellKind::Qualitative;
    }
    if is_numbered_group(&c) {
        return CellKind::Category;
    }
    if is_number(&c) {
        return CellKind::Number;
    }
    if is_unit(&c) {
        return CellKind::Unit;
    }
    if is_qualitative(&c) {
        return CellKind::Qualitative;
    }
    if is_category(text, &c) {
        return CellKind::Category;
    }
    if is_name(&c) {
        return CellKind::Name;
    }
    CellKind::Text
}

/// `—`, `--`, `/`, `无`, `-`.
pub fn is_dash(c: &str) -> bool {
    c.chars()
        .all(|ch| matches!(ch, '—' | '-' | '–' | '―' | '─' | '/' | '一'))
        && char_len(c) <= 3
        || matches!(c, "无" | "/" | "——" | "…")
}

/// A whole number from 1 to 299, optionally followed by `.` or `、`.
fn is_seq(c: &str) -> bool {
    let digits = c.trim_end_matches(['.', '、', '.']);
    !digits.is_empty()
        && digits.len() <= 3
        && digits.chars().all(|ch| ch.is_ascii_digit())
        && !digits.starts_with('0')
        && digits.parse::<u32>().is_ok_and(|n| n < 300)
}

/// A value cell: digits make up the cell, with at most a few words around them
/// (comparators, 以上/以内/左右, %, a short unit, brackets, 年均).
fn is_number(c: &str) -> bool {
    let digits = c.chars().filter(char::is_ascii_digit).count();
    if digits == 0 {
        return false;
    }
    let len = char_len(c);
    if len > 18 {
        return false;
    }
    let cjk = c.chars().filter(|ch| is_cjk(*ch)).count();
    let letters_first = c
        .chars()
        .take_while(|ch| !ch.is_ascii_digit())
        .any(|ch| ch.is_ascii_alphabetic());
    // 10.4%(年均), ≤5以内, 3~5家, 1.3万亿斤 — but not 2020年 (a header), PM2.5浓度 or
    // 5G基站数 (names).
    cjk <= 4
        && digits * 2 >= len.saturating_sub(cjk) / 2
        && !letters_first
        && !is_year_label(c)
        && !ends_like_indicator(c)
}

/// A target relative to another quantity (高于GDP增长, 与经济增长同步, 不低于全省平均).
fn is_relation(c: &str) -> bool {
    const OPENERS: &[&str] = &[
        "高于",
        "低于",
        "不低于",
        "不高于",
        "快于",
        "慢于",
        "略高于",
        "与",
        "同",
    ];
    char_len(c) <= 30
        && OPENERS.iter().any(|w| c.starts_with(w))
        && (c.contains("增长") || c.contains("同步") || c.contains("平均") || c.contains("GDP"))
}

/// `2020年`, `2025年目标`: a header cell, not a value.
fn is_year_label(c: &str) -> bool {
    let digits: String = c.chars().take_while(char::is_ascii_digit).collect();
    digits.len() == 4
        && c[4..].starts_with('年')
        && (digits.starts_with("20") || digits.starts_with("19"))
}

fn is_cjk(ch: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&ch) || ('\u{3400}'..='\u{4DBF}').contains(&ch)
}

/// Units written alone in a unit column.
const UNITS: &[&str] = &[
    "%",
    "‰",
    "元",
    "万元",
    "亿元",
    "万亿元",
    "人",
    "万人",
    "个",
    "家",
    "件",
    "项",
    "年",
    "岁",
    "天",
    "吨",
    "万吨",
    "亿吨",
    "公里",
    "千米",
    "米",
    "平方米",
    "平方公里",
    "万平方米",
    "亩",
    "万亩",
    "公顷",
    "千公顷",
    "张",
    "床",
    "辆",
    "台",
    "座",
    "所",
    "套",
    "户",
    "万户",
    "次",
    "人次",
    "万人次",
    "千瓦",
    "万千瓦",
    "千瓦时",
    "亿千瓦时",
    "立方米",
    "亿立方米",
    "万立方米",
    "小时",
    "分钟",
    "美元",
    "亿美元",
    "万美元",
    "度",
    "%(累计)",
    "万元/人",
    "元/人",
    "吨/万元",
    "吨标准煤/万元",
    "吨标煤/万元",
    "件/万人",
    "人/千人",
    "张/千人",
    "个/千人",
    "微克/立方米",
    "μg/m3",
    "μg/m³",
    "ug/m3",
    "mg/L",
    "分",
    "级",
    "兆瓦",
    "吉瓦",
    "万标箱",
    "万吨标准煤",
    "亿斤",
    "万亿斤",
    "斤",
    "个百分点",
    "百分点",
    "平方米/人",
    "册",
    "万册",
];

/// Characters units are made of (亿吨标准煤, 万千瓦时, 人/千人).
const UNIT_CHARS: &str =
    "%‰元亿万千百个件人年岁米公里顷亩吨平方标准煤天次户所家床张辆台座项套条瓦时/·立³²度小分钟斤册";

fn is_unit(c: &str) -> bool {
    let bare = c.trim_start_matches('(').trim_end_matches(')');
    UNITS.contains(&bare)
        || (char_len(bare) <= 8
            && !bare.is_empty()
            && bare.chars().all(|ch| UNIT_CHARS.contains(ch)))
}

/// Words that make a short text a target stated in words.
const QUALITATIVE: &[&str] = &[
    "完成",
    "下达",
    "同步",
    "高于",
    "低于",
    "不低于",
    "快于",
    "慢于",
    "持平",
    "保持",
    "合理区间",
    "控制在",
    "视情",
    "稳步",
    "逐步",
    "力争",
    "基本",
    "稳定",
    "达到",
    "确保",
    "实现",
    "提高",
    "降低",
    "下降",
    "增长",
    "以上",
    "以内",
    "以下",
    "左右",
    "全覆盖",
    "年度",
    "考核",
    "目标",
];

fn is_qualitative(c: &str) -> bool {
    let len = char_len(c);
    len <= 30
        && QUALITATIVE.iter().any(|w| c.contains(w))
        && !ends_like_indicator(c)
        && !c.ends_with(')')
        && !c.ends_with(')')
}

/// Endings of indicator names (森林覆盖率, 地区生产总值, 人均预期寿命).
const NAME_ENDINGS: &[&str] = &[
    "率",
    "比重",
    "比例",
    "总值",
    "总额",
    "收入",
    "增加值",
    "增速",
    "增长",
    "数",
    "量",
    "面积",
    "人口",
    "寿命",
    "年限",
    "强度",
    "降幅",
    "降低",
    "指数",
    "密度",
    "能力",
    "天数",
    "浓度",
    "消耗",
    "排放",
    "规模",
    "投资",
    "产值",
    "产量",
    "支出",
    "贡献率",
    "占比",
    "满意度",
    "人数",
    "床位",
    "里程",
    "水平",
    "容量",
    "总量",
    "幅度",
    "能耗",
    "时间",
    "比",
    "额",
    "值",
    "度",
    "数量",
    "个数",
    "家数",
];

fn ends_like_indicator(c: &str) -> bool {
    let base = strip_name_decoration(c);
    NAME_ENDINGS.iter().any(|e| base.ends_with(e))
}

/// `地区生产总值(亿元)*` → `地区生产总值`.
fn strip_name_decoration(c: &str) -> &str {
    let c = c.trim_end_matches(['*', '※', '▲', '△', '☆', '★']);
    match (c.rfind(['(', '(']), c.ends_with([')', ')'])) {
        (Some(open), true) => &c[..open],
        _ => c,
    }
}

/// Text that names an indicator.
fn is_name(c: &str) -> bool {
    let len = char_len(c);
    (2..=60).contains(&len) && (ends_like_indicator(c) || c.ends_with(')') || c.ends_with('*'))
}

/// A group label with a Chinese number (一、经济更加发展) or a count (经济发展(8项)).
fn is_numbered_group(c: &str) -> bool {
    let numbered = c
        .chars()
        .next()
        .is_some_and(super::super::numerals::is_cn_digit)
        && c.chars().take(4).any(|ch| ch == '、');
    let counted = c.contains("项)");
    char_len(c) <= 24 && (numbered || counted)
}

/// Endings of group labels in indicator tables.
const CATEGORY_ENDINGS: &[&str] = &[
    "发展", "驱动", "福祉", "生态", "文明", "保障", "开放", "民生", "创新", "环境", "生活", "治理",
    "效益", "结构", "合作", "动力", "质量", "安全", "改革", "融合", "协调", "共享", "绿色", "活力",
    "服务", "建设", "品质", "实力", "资源", "社会", "经济", "文化", "人民", "科技", "城乡", "民主",
];

/// A group label: numbered (一、…, (一)…), counted (…(8项)), or a short phrase with a
/// category ending and no indicator ending (经济发展, 民生 福祉).
fn is_category(raw: &str, c: &str) -> bool {
    let len = char_len(c);
    if len > 24 {
        return false;
    }
    if is_numbered_group(c) {
        return true;
    }
    // Vertical labels copied from web pages keep a space between characters (经济 发展).
    let spaced = raw.trim().contains(' ') && len <= 8;
    (2..=8).contains(&len)
        && !ends_like_indicator(c)
        && (spaced || CATEGORY_ENDINGS.iter().any(|e| c.ends_with(e)) || c.ends_with("类"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use CellKind::*;

    fn check(cases: &[(&str, CellKind)]) {
        for (text, want) in cases {
            assert_eq!(classify(text), *want, "{text}");
        }
    }

    #[test]
    fn kinds_of_real_cells() {
        check(&[
            ("", Empty),
            ("  ", Empty),
            ("—", Dash),
            ("——", Dash),
            ("-", Dash),
            ("/", Dash),
            ("预期性", Attribute),
            ("约束性 ", Attribute),
            ("1", Seq),
            ("16", Seq),
            ("3.", Seq),
            ("735", Number),
            ("1130", Number),
            ("≤5以内", Number),
            ("〔13.5〕", Number),
            ("[1.5]", Number),
            (">85", Number),
            ("<5.5", Number),
            ("10.4%(年均)", Number),
            ("90%", Number),
            ("10:52:38", Number),
            ("-4.2", Number),
            ("0.015", Number),
            ("1.3万亿斤", Number),
            ("%", Unit),
            ("亿元", Unit),
            ("万元/人", Unit),
            ("亿吨标准煤", Unit),
            ("万", Unit),
            ("完成省下达任务", Qualitative),
            ("完成省市下达任务", Qualitative),
            ("高于GDP增长", Qualitative),
            ("与经济增长同步", Qualitative),
            ("保持在合理区间、各年度视情提出", Qualitative),
            ("经济发展", Category),
            ("经济 发展", Category),
            ("民生 福祉", Category),
            ("一、经济更加发展(8项)", Category),
            ("一、经济(3项)", Category),
            ("经济发展(8项)", Category),
            ("绿色生态", Category),
            ("安全保障", Category),
            ("地区生产总值(亿元)", Name),
            ("全员劳动生产率(%)*", Name),
            ("森林覆盖率", Name),
            ("居民人均可支配收入增长", Name),
            ("单位GDP能源消耗降低", Name),
            ("人均预期寿命", Name),
            ("每万人口高价值发明专利拥有量", Name),
            ("化学需氧量", Name),
            ("PM2.5浓度", Name),
            ("5G基站数", Name),
            ("与GDP增长基本同步", Qualitative),
        ]);
    }
}
