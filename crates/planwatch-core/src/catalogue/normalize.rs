//! Name normalization: the wording differences that do not change what an indicator is.

use crate::quantity::fold_width;

/// Replacements applied in order after folding widths. Longer phrases come first so
/// 地方一般公共预算收入 is rewritten before 一般公共预算收入 would match inside it.
const SYNONYMS: &[(&str, &str)] = &[
    ("地方一般公共预算收入", "一般公共预算收入"),
    ("一般公共预算地方收入", "一般公共预算收入"),
    ("公共财政预算收入", "一般公共预算收入"),
    ("地方财政一般预算收入", "一般公共预算收入"),
    ("地区生产总值", "GDP"),
    ("国内生产总值", "GDP"),
    ("生产总值", "GDP"),
    ("比例", "比重"),
    ("比率", "比重"),
    ("Ⅲ", "III"),
    ("Ⅴ", "V"),
    ("Ⅳ", "IV"),
    ("好于", "优于"),
    ("三岁", "3岁"),
    ("的", ""),
];

/// Region words that open a name without changing the indicator (全区GDP).
const REGION_PREFIXES: &[&str] = &["全区", "全市", "全县", "全省", "全国", "全镇", "全州"];

/// Normalize an indicator name for matching.
///
/// Folds full-width characters, drops whitespace, bracketed parts (units, 助理, PM2.5),
/// trailing `*` and colons, leading list numbers and region words, and applies the synonyms.
pub fn normalize(name: &str) -> String {
    let folded: String = name
        .chars()
        .map(fold_width)
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut s = drop_brackets(&folded);
    s = s
        .trim_end_matches(['*', ':', '%', '。', ',', ';'])
        .to_string();
    s = drop_list_number(&s).to_string();
    for p in REGION_PREFIXES {
        if let Some(rest) = s.strip_prefix(p) {
            s = rest.to_string();
        }
    }
    for (from, to) in SYNONYMS {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    s.to_uppercase()
}

/// Remove `(…)`, `[…]` and `【…】` with their contents (widths already folded).
fn drop_brackets(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '[' | '【' | '〔' => depth += 1,
            ')' | ']' | '】' | '〕' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// `1.`, `2、`, `①` at the start of a name.
fn drop_list_number(s: &str) -> &str {
    let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if digits > 0 {
        let rest = &s[digits..];
        if let Some(r) = rest.strip_prefix('.').or_else(|| rest.strip_prefix('、')) {
            return r;
        }
    }
    s.trim_start_matches(|c: char| ('①'..='⑳').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wording_differences_fold_away() {
        let cases = [
            ("地区生产总值(亿元)", "GDP"),
            ("地区生产总值(亿元)", "GDP"),
            ("全区GDP", "GDP"),
            ("全员劳动生产率(%)*", "全员劳动生产率"),
            ("研发经费投入占GDP比例(%)*", "研发经费投入占GDP比重"),
            (
                "每千人口拥有执业(助理)医师数(人)*",
                "每千人口拥有执业医师数",
            ),
            ("公共财政预算收入", "一般公共预算收入"),
            ("一般公共预算地方收入", "一般公共预算收入"),
            ("地方一般公共预算收入", "一般公共预算收入"),
            ("最终消费对GDP的贡献率", "最终消费对GDP贡献率"),
            (
                "地表水达到或好于Ⅲ类水体比例",
                "地表水达到或优于III类水体比重",
            ),
            ("1.地区生产总值", "GDP"),
            ("① 新增城镇就业", "新增城镇就业"),
            ("gdp", "GDP"),
            ("细颗粒物(PM2.5)浓度", "细颗粒物浓度"),
            ("单位GDP能源消耗降低[ ]", "单位GDP能源消耗降低"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input), want, "{input}");
        }
    }
}
