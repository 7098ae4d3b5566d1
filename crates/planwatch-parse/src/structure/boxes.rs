//! 专栏 boxes, their items, and the key projects named in them.

use planwatch_core::plan::{BoxItem, BoxSection, HeadingKind, Investment, Project};
use planwatch_core::quantity::find_numbers;

use super::doc::{Line, char_len, compact};
use super::numerals::is_cn_digit;
use super::outline::marker;

/// Boxes found, and the line numbers of their items.
pub struct FoundBoxes {
    /// The boxes in reading order.
    pub boxes: Vec<BoxSection>,
    /// Line numbers of box titles and items.
    pub consumed: Vec<usize>,
}

/// `专栏3-1:创新能力提升行动 |` → `专栏3-1:创新能力提升行动`.
pub fn box_title(text: &str) -> Option<String> {
    if !text.starts_with('专') {
        return None;
    }
    let c = compact(text);
    let after = c.strip_prefix("专栏")?;
    let next = after.chars().next()?;
    if !(next.is_ascii_digit() || is_cn_digit(next) || next == ':') {
        return None;
    }
    let title = text.split('|').next().unwrap_or(text).trim();
    (char_len(title) <= 60 && !title.contains('。')).then(|| title.to_string())
}

/// Find the boxes; `in_table` tells which lines already belong to a table.
pub fn find_boxes(lines: &[Line], in_table: &dyn Fn(usize) -> bool) -> FoundBoxes {
    let mut found = FoundBoxes {
        boxes: Vec::new(),
        consumed: Vec::new(),
    };
    let mut i = 0;
    while i < lines.len() {
        let Some(title) = box_title(&lines[i].text) else {
            i += 1;
            continue;
        };
        let mut section = BoxSection {
            page: None,
            line: lines[i].no,
            title,
            items: Vec::new(),
        };
        found.consumed.push(lines[i].no);
        i += 1;
        if in_table(section.line) {
            found.boxes.push(section);
            continue;
        }
        while i < lines.len() {
            let line = &lines[i];
            if line.is_blank() {
                i += 1;
                continue;
            }
            if box_title(&line.text).is_some() || !is_item_line(line, section.items.len() + 1) {
                break;
            }
            for text in split_items(&line.text) {
                section.items.push(BoxItem {
                    line: line.no,
                    text,
                });
            }
            found.consumed.push(line.no);
            i += 1;
        }
        found.boxes.push(section);
    }
    found
}

/// Does this line continue a box? Items numbered in sequence, `|` cells, or short
/// unpunctuated lines. `next` is the number the next item would carry.
fn is_item_line(line: &Line, next: usize) -> bool {
    let text = line.text.trim_end_matches('|').trim();
    let first = next == 1;
    match marker(text) {
        Some(m) if matches!(m.kind, HeadingKind::Arabic | HeadingKind::ParenArabic) => {
            let digits: String = m.number.chars().filter(char::is_ascii_digit).collect();
            return digits
                .parse::<usize>()
                .is_ok_and(|n| n == next || first && n == 1);
        }
        Some(m) => return m.kind == HeadingKind::Dash,
        None => {}
    }
    if text.starts_with(['①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨', '⑩']) {
        return true;
    }
    let short = char_len(text) <= 60 && !text.ends_with('。');
    short || (first && line.text.contains('|')) || names_a_work(text)
}

/// `青溪绿色食品产业园项目:总投资8.6亿元,…`: an unnumbered project entry.
fn names_a_work(text: &str) -> bool {
    let Some(colon) = text.find(':') else {
        return false;
    };
    let name = &text[..colon];
    char_len(name) <= 30
        && ["项目", "工程", "基地", "中心", "园"]
            .iter()
            .any(|w| name.ends_with(w))
}

/// Split a line holding several numbered items (`1.…。2.…。`) into items.
pub fn split_items(text: &str) -> Vec<String> {
    let text = text.trim_end_matches('|').trim();
    let chars: Vec<char> = text.chars().collect();
    let mut starts = vec![0];
    let mut expected = 2;
    for k in 1..chars.len() {
        let after_stop = matches!(chars[k - 1], '。' | ';' | ' ');
        if after_stop && item_number_at(&chars, k) == Some(expected) {
            starts.push(k);
            expected += 1;
        }
    }
    starts.push(chars.len());
    starts
        .windows(2)
        .map(|w| {
            chars[w[0]..w[1]]
                .iter()
                .collect::<String>()
                .trim()
                .to_string()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// The item number written at `k` as `N.` or `N、` or `(N)`.
fn item_number_at(chars: &[char], k: usize) -> Option<u32> {
    let open = usize::from(chars.get(k) == Some(&'('));
    let digits: String = chars[k + open..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let after = chars.get(k + open + digits.len())?;
    let closes = if open == 1 {
        *after == ')'
    } else {
        matches!(after, '.' | '、')
    };
    if digits.is_empty() || digits.len() > 2 || !closes {
        return None;
    }
    digits.parse().ok()
}

/// Key projects among the box items: named works, with the investment where written.
pub fn find_projects(boxes: &[BoxSection]) -> Vec<Project> {
    boxes
        .iter()
        .flat_map(|b| b.items.iter().enumerate())
        .filter_map(|(i, item)| project_of(item, i + 1))
        .collect()
}

/// The item text after its number. The box's sequence settles what the marker grammar
/// cannot: `1.220千伏…` as the first item is item 1 about 220千伏, not 1.22, and
/// `4.5G网络…` as the fourth is item 4 about 5G.
fn item_body(text: &str, seq: usize) -> String {
    let number = seq.to_string();
    if let Some(rest) = text.strip_prefix(number.as_str())
        && let Some(body) = rest.strip_prefix(['.', '、'])
        && body.starts_with(|c: char| c.is_ascii_digit())
    {
        return body.trim().to_string();
    }
    marker(text).map_or_else(|| text.to_string(), |m| m.rest)
}

fn project_of(item: &BoxItem, seq: usize) -> Option<Project> {
    let body = item_body(&item.text, seq);
    let name_end = body.find([':', '。', ';', ',']).unwrap_or(body.len());
    let name = body[..name_end].trim().to_string();
    let investment = investment_of(&body);
    let named = ["项目", "工程", "园", "中心", "基地", "行动"]
        .iter()
        .any(|w| name.ends_with(w));
    ((named || investment.is_some()) && !name.is_empty() && char_len(&name) <= 40).then_some(
        Project {
            page: None,
            line: item.line,
            name,
            investment,
        },
    )
}

/// `总投资25亿元` → 25 亿元.
fn investment_of(text: &str) -> Option<Investment> {
    let pos = text.find("投资")?;
    let tail = &text[pos..];
    let chars: Vec<char> = tail.chars().collect();
    let n = *find_numbers(&chars).first()?;
    if n.start > 6 {
        return None;
    }
    let rest: String = chars[n.end..].iter().collect();
    let unit = ["亿元", "万元", "亿美元", "亿"]
        .into_iter()
        .find(|u| rest.starts_with(u))?;
    let label = if text[..pos].ends_with('总') {
        "总投资"
    } else {
        "投资"
    };
    let amount: String = chars[2..n.end].iter().collect();
    Some(Investment {
        text: format!("{label}{amount}{unit}"),
        value: n.value,
        unit: unit.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::doc::lines;

    #[test]
    fn titles() {
        assert_eq!(
            box_title("专栏3-1:创新能力提升行动 |").as_deref(),
            Some("专栏3-1:创新能力提升行动")
        );
        assert_eq!(
            box_title("专栏 2 雁峰区 “ 十四五 ” 时期经济社会发展主要指标").as_deref(),
            Some("专栏 2 雁峰区 “ 十四五 ” 时期经济社会发展主要指标")
        );
        assert_eq!(box_title("专栏是规划的重要组成部分。"), None);
    }

    #[test]
    fn inline_items_are_split() {
        let items = split_items(
            "1.南洲新区创新创业产业园建设行动。建设研发办公楼。2.新经济产业园建设行动。建设智慧城项目。3.创新主体培育行动。实施知识产权强区行动。 |",
        );
        assert_eq!(items.len(), 3);
        assert!(items[1].starts_with("2.新经济产业园"));
    }

    #[test]
    fn box_with_items_and_projects() {
        let text = "专栏4 重点产业项目\n1.青溪经开区智能装备产业园项目:总投资25亿元,建设标准厂房30万平方米。\n2.农产品冷链物流中心:投资3.5亿元。\n第五章 建设美丽青溪";
        let found = find_boxes(&lines(text), &|_| false);
        assert_eq!(found.boxes.len(), 1);
        assert_eq!(found.boxes[0].items.len(), 2);
        let projects = find_projects(&found.boxes);
        assert_eq!(projects.len(), 2);
        assert_eq!(projects[0].name, "青溪经开区智能装备产业园项目");
        let inv = projects[0].investment.as_ref().unwrap();
        assert_eq!(
            (inv.value, inv.unit.as_str(), inv.text.as_str()),
            (25.0, "亿元", "总投资25亿元")
        );
        assert_eq!(projects[1].investment.as_ref().unwrap().value, 3.5);
    }

    #[test]
    fn an_item_number_followed_by_a_number() {
        let text = "专栏5-2:能源水利和新型基础设施重点项目\n1.220千伏青溪东输变电工程:总投资2.6亿元。\n2.龙潭中型水库工程:总投资11.8亿元。\n3.5G网络覆盖工程:新建5G基站800个。\n";
        let found = find_boxes(&lines(text), &|_| false);
        assert_eq!(found.boxes[0].items.len(), 3);
        let names: Vec<String> = find_projects(&found.boxes)
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(
            names,
            [
                "220千伏青溪东输变电工程",
                "龙潭中型水库工程",
                "5G网络覆盖工程"
            ]
        );
        // Out of sequence, a leading decimal stays a decimal.
        assert_eq!(item_body("1.5亿元用于建设", 2), "1.5亿元用于建设");
        assert_eq!(item_body("2.5G基站", 2), "5G基站");
    }
}
