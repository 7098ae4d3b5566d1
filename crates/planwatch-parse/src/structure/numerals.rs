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

fn digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Value of a Chinese numeral up to 999 (`十二` = 12, `二十` = 20, `一百零五` = 105).
pub fn cn_value(s: &str) -> Option<u32> {
    let mut total = 0;
    let mut current = 0;
    let mut any = false;
    for c in s.chars() {
        any = true;
        match c {
            '十' => {
                total += if current == 0 { 10 } else { current * 10 };
                current = 0;
            }
            '百' => {
                total += if current == 0 { 100 } else { current * 100 };
                current = 0;
            }
            _ => current = digit(c)?,
        }
    }
    any.then_some(total + current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        for (s, v) in [
            ("一", 1),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("二十三", 23),
            ("一百零五", 105),
        ] {
            assert_eq!(cn_value(s), Some(v), "{s}");
        }
        assert_eq!(cn_value("章"), None);
        assert_eq!(cn_value(""), None);
    }
}
