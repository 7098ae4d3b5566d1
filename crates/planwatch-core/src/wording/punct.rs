//! Punctuation of generated Chinese text (GB/T 15834): full-width ，。；：（）“”
//! around Chinese words, half-width digits. Sentences are written with full-width marks
//! where they are made; this module finds the ASCII marks that slipped through, for the
//! tests of every crate that writes Chinese.
//!
//! Text quoted from a document stays as the document wrote it (the samples, like many
//! real plans, use ASCII commas), so a check takes the sources it may quote and lets a
//! mark pass when its surroundings are found there verbatim.

/// The ASCII marks that must not stand in Chinese text.
const MARKS: &[char] = &[',', ';', ':', '(', ')'];

/// A Chinese character or full-width punctuation mark.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x3000..=0x303F | 0xFF01..=0xFF5E)
        || "“”‘’…—".contains(c)
}

fn number_like(c: char) -> bool {
    c.is_ascii_digit() || c == '%'
}

/// Every ASCII `, ; : ( )` with Chinese on one side and Chinese, a figure or the end of
/// the line on the other (`属于滞后,余下`, `进度比0.97,属于`, `分领域看:`), each returned with up to two
/// characters either side for the message.
pub fn ascii_marks_in_chinese(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    marks(&chars)
        .into_iter()
        .map(|i| {
            let (a, b) = window(&chars, i);
            chars[a..b].iter().collect()
        })
        .collect()
}

/// [`ascii_marks_in_chinese`], leaving out the marks that belong to text quoted verbatim
/// from one of `sources`: the mark with the two characters before it, or with the two
/// after it, is found there (a quoted `三、民生福祉(8项)` may be followed by words of
/// ours, and `10.4%(年均)` by `（按 10.4 计）`).
pub fn ascii_marks_outside_quotes(text: &str, sources: &[&str]) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let quoted = |s: &[char]| {
        let s: String = s.iter().collect();
        s.chars().count() >= 3 && sources.iter().any(|src| src.contains(s.as_str()))
    };
    marks(&chars)
        .into_iter()
        .filter(|&i| {
            let (a, b) = window(&chars, i);
            !(quoted(&chars[a..=i]) || quoted(&chars[i..b]))
        })
        .map(|i| {
            let (a, b) = window(&chars, i);
            chars[a..b].iter().collect()
        })
        .collect()
}

/// Positions of the ASCII marks standing in Chinese text.
fn marks(chars: &[char]) -> Vec<usize> {
    let mut hits = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if !MARKS.contains(&c) {
            continue;
        }
        // A line's start or end counts as either kind of neighbour (`分领域看:` at the
        // end of a line, `(预期性)` closing a heading).
        let before = i.checked_sub(1).map(|j| chars[j]).filter(|&p| p != '\n');
        let after = chars.get(i + 1).copied().filter(|&n| n != '\n');
        let cjk = |x: Option<char>| x.is_some_and(is_cjk);
        let near = |x: Option<char>| x.is_none_or(|x| is_cjk(x) || number_like(x));
        if (cjk(before) && near(after)) || (near(before) && cjk(after)) {
            hits.push(i);
        }
    }
    hits
}

/// Up to two characters either side of `i`, not across a line break: `a..b`.
fn window(chars: &[char], i: usize) -> (usize, usize) {
    let mut a = i;
    while a > 0 && i - a < 2 && chars[a - 1] != '\n' {
        a -= 1;
    }
    let mut b = i + 1;
    while b < chars.len() && b - i <= 2 && chars[b] != '\n' {
        b += 1;
    }
    (a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_marks_in_chinese_are_found() {
        let check = |s: &str, want: &[&str]| assert_eq!(ascii_marks_in_chinese(s), want, "{s}");
        check("属于滞后,余下2年", &["滞后,余下"]);
        check("分领域看:经济", &["域看:经济"]);
        check("进度比0.97,属于", &["97,属于"]);
        check("指标(预期性)", &["指标(预期", "期性)"]);
        check("属于滞后，余下2年（2023年）：好", &[]);
        check("x_b (observed), 1,000", &[]);
        check("见 http://a.b", &[]);
        check("年,\n3", &["年,"]);
        check("分领域看:", &["域看:"]);
        check("a,\n3", &[]);
    }

    #[test]
    fn quoted_source_text_may_keep_its_marks() {
        let source = "第三章 把创新摆在县域发展全局的突出位置,加快建设";
        let page = "任务：把创新摆在县域发展全局的突出位置,加快建设；牵头,县科技局";
        assert_eq!(ascii_marks_outside_quotes(page, &[source]), ["牵头,县科"]);
        // Quoted text followed by words of ours: the quoted side is found.
        let source = "三、民生福祉(8项) |";
        assert!(ascii_marks_outside_quotes("类别“三、民生福祉(8项)”标明", &[source]).is_empty());
        assert_eq!(
            ascii_marks_outside_quotes("民生(共8项)”标明", &[source]),
            ["民生(共8"]
        );
    }
}
