//! Chinese numerals as used in heading markers (第十二章, 二十一、).

/// True for a character that can be part of a Chinese numeral.
pub fn is_cn_digit(c: char) -> bool {
    matches!(
        c,
        '零' | '〇'
            | '一'
            | '二'
            | '两'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
    )
}
