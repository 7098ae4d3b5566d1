//! Document-level facts: title, region, document type and plan period.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use planwatch_core::plan::{DocType, Period};

use super::doc::{Line, char_len, compact};

/// Title, region, type and period as far as the text says them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    /// Best guess at the title.
    pub title: Option<String>,
    /// Region named in the title or opening lines.
    pub region: Option<String>,
    /// Document type.
    pub doc_type: DocType,
    /// Plan period.
    pub period: Option<Period>,
}

/// Words that mark a title line.
const TITLE_WORDS: &[&str] = &["规划", "纲要", "政府工作报告", "计划", "统计公报", "报告"];

/// Read the document-level facts from the opening lines.
pub fn detect(lines: &[Line]) -> Meta {
    let head: Vec<&Line> = lines.iter().filter(|l| !l.is_blank()).take(40).collect();
    let title = title_of(&head);
    // Titles, datelines and the words a government uses of itself stand at the start of
    // the first lines; the start of each is enough, and keeps this cost flat however
    // long a work report's opening paragraphs are.
    let opening: String = head
        .iter()
        .map(|l| compact(line_start(&l.text)))
        .collect::<Vec<_>>()
        .join("\n");
    let doc_type = doc_type_of(title.as_deref().unwrap_or(""), &opening);
    Meta {
        region: region_of(&opening),
        period: period_of(doc_type, &opening),
        title,
        doc_type,
    }
}

/// The first [`OPENING_CHARS`] characters of a line.
fn line_start(text: &str) -> &str {
    const OPENING_CHARS: usize = 160;
    match text.char_indices().nth(OPENING_CHARS) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// The title: a line with a title word among the first five, or two short lines that
/// together make one (`政府工作报` / `告`, a title broken by a narrow layout).
fn title_of(head: &[&Line]) -> Option<String> {
    let titled = |t: &str| {
        char_len(t) <= 80 && !t.ends_with('。') && TITLE_WORDS.iter().any(|w| t.contains(w))
    };
    for (i, l) in head.iter().take(5).enumerate() {
        if titled(&l.text) {
            return Some(l.text.clone());
        }
        if let Some(next) = head.get(i + 1)
            && char_len(&l.text) <= 30
            && char_len(&next.text) <= 30
        {
            let joined = format!("{}{}", l.text, next.text);
            if titled(&joined) && !titled(&next.text) {
                return Some(joined);
            }
        }
    }
    None
}

fn doc_type_of(title: &str, opening: &str) -> DocType {
    let t = compact(title);
    let has = |w: &str| t.contains(w) || opening.contains(w);
    if t.contains("政府工作报告")
        || opening.contains("报告政府工作")
        || opening.contains("政府工作报告") && !t.contains("规划")
    {
        DocType::WorkReport
    } else if has("统计公报") {
        DocType::StatisticalBulletin
    } else if t.contains("计划") && (t.contains("执行情况") || t.contains("年度")) {
        DocType::AnnualPlan
    } else if has("规划纲要") || has("五年规划") || has("远景目标纲要") {
        DocType::PlanOutline
    } else {
        DocType::Unknown
    }
}

/// The region a document speaks for: the most specific administrative unit written
/// right before words a government uses of itself (国民经济, 人民政府, 政府工作,
/// 第N届人民代表大会, 省长/市长/县长/区长, “十四五”). A district or county is preferred to
/// a city that merely contains it, a city to its province; the State Council's report
/// is the nation's.
fn region_of(opening: &str) -> Option<String> {
    const ANCHORS: &[&str] = &[
        "国民经济",
        "人民政府",
        "政府工作",
        "“十四五”",
        "十四五",
        "“十五五”",
        "十五五",
        "省长",
        "市长",
        "县长",
        "区长",
        "州长",
        "旗长",
        "盟长",
        "主席",
        "人民代表大会",
    ];
    static AUTOMATON: LazyLock<Option<AhoCorasick>> =
        LazyLock::new(|| AhoCorasick::new(ANCHORS).ok());
    // (anchor, position, unit): anchors earlier in the list win ties below.
    let mut found: Vec<(usize, usize, String)> = Vec::new();
    for m in AUTOMATON
        .iter()
        .flat_map(|a| a.find_overlapping_iter(opening))
    {
        let pos = m.start();
        let at = congress_start(opening, pos).unwrap_or(pos);
        // `自治区主席` names the level, not the region.
        if let Some(unit) = unit_before(&opening[..at]).filter(|u| !u.starts_with("自治")) {
            found.push((m.pattern().as_usize(), pos, unit));
        }
    }
    found.sort_by_key(|(anchor, pos, _)| (*anchor, *pos));
    let rank = |r: &str| match r.chars().last() {
        Some('区' | '县' | '旗') if !r.ends_with("自治区") => 0,
        Some('市' | '州' | '盟') => 1,
        _ => 2,
    };
    if let Some((_, _, best)) = found.iter().min_by_key(|(_, _, r)| rank(r)) {
        return Some(best.clone());
    }
    let national = ["代表国务院", "国务院总理", "国务院副总理"];
    national
        .iter()
        .any(|w| opening.contains(w))
        .then(|| "中华人民共和国".to_string())
}

/// For `人民代表大会` preceded by `第十四届`, the position of that `第`.
fn congress_start(opening: &str, pos: usize) -> Option<usize> {
    let before = &opening[..pos];
    let session = before.strip_suffix('届')?;
    let digits = session
        .chars()
        .rev()
        .take_while(|c| super::numerals::is_cn_digit(*c))
        .map(char::len_utf8)
        .sum::<usize>();
    let start = session.len() - digits;
    (digits > 0 && session[..start].ends_with('第')).then(|| start - '第'.len_utf8())
}

/// The administrative unit ending right at the end of `before` (株洲市渌口区 → 渌口区,
/// 广东省 → 广东省, 广西壮族自治区 → 广西壮族自治区).
fn unit_before(before: &str) -> Option<String> {
    const BOUNDARY: &[char] = &[
        '省', '市', '州', '是', '的', '和', '《', '(', ')', '“', ',', '\n', '制', '定', '在', '为',
        '县', '区', '长', '我', '代', '表', ' ',
    ];
    let mut rev = before.chars().rev();
    let unit = rev.next()?;
    if !matches!(unit, '区' | '县' | '市' | '旗' | '省' | '州' | '盟') {
        return None;
    }
    let body: Vec<char> = rev
        .take_while(|c| !BOUNDARY.contains(c) && !c.is_ascii())
        .take(7)
        .collect();
    (body.len() >= 2 || (body.len() == 1 && unit != '区'))
        .then(|| body.iter().rev().collect::<String>() + &unit.to_string())
}

fn period_of(doc_type: DocType, opening: &str) -> Option<Period> {
    if doc_type == DocType::WorkReport || doc_type == DocType::StatisticalBulletin {
        return None;
    }
    let plans = [
        ("十三五", 2016),
        ("第十三个五年", 2016),
        ("十四五", 2021),
        ("第十四个五年", 2021),
        ("十五五", 2026),
        ("第十五个五年", 2026),
    ];
    let (_, start) = plans
        .iter()
        .filter_map(|(w, y)| opening.find(w).map(|p| (p, *y)))
        .filter(|(_, y)| *y != 2016 || !opening.contains("十四五"))
        .min_by_key(|(p, _)| *p)?;
    Some(Period {
        start,
        end: start + 4,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::doc::lines;

    #[test]
    fn plan_outline_meta() {
        let m = detect(&lines(
            "(湖南省)渌口区国民经济和社会发展第十四个五年规划和2035年远景目标纲要\n株洲市渌口区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要\n正文。",
        ));
        assert_eq!(m.region.as_deref(), Some("渌口区"));
        assert_eq!(m.doc_type, DocType::PlanOutline);
        assert_eq!(
            m.period,
            Some(Period {
                start: 2021,
                end: 2025
            })
        );
        assert!(m.title.unwrap().contains("渌口区"));
    }

    #[test]
    fn work_report_meta() {
        let m = detect(&lines(
            "岳阳楼区人民政府代区长 白再兴\n各位代表:\n现在,我代表区人民政府,向大会报告政府工作,请予审议。",
        ));
        assert_eq!(m.region.as_deref(), Some("岳阳楼区"));
        assert_eq!(m.doc_type, DocType::WorkReport);
        assert_eq!(m.period, None);
    }

    #[test]
    fn regions_of_work_reports_of_every_level() {
        let check = |text: &str, region: &str| {
            assert_eq!(
                detect(&lines(text)).region.as_deref(),
                Some(region),
                "{text}"
            );
        };
        check(
            "政府工作报告\n——2023年3月5日在第十四届全国人民代表大会第一次会议上\n国务院总理 李克强\n各位代表:\n现在,我代表国务院,向大会报告工作。",
            "中华人民共和国",
        );
        check(
            "政府工作报告\n——2026年1月26日在广东省第十四届\n人民代表大会第五次会议上\n广东省省长 孟凡利\n各位代表:\n现在,我代表省人民政府,向大会报告工作。",
            "广东省",
        );
        check(
            "政府工作报告\n——2024年1月10日在岳阳市第九届人民代表大会第三次会议上\n岳阳市市长 李爱武\n各位代表:",
            "岳阳市",
        );
        check(
            "政府工作\n报告\n——在广西壮族自治区第十四届人民代表大会第二次会议上\n自治区主席 蓝天立",
            "广西壮族自治区",
        );
        check(
            "政府工作报告\n——在青溪县第十八届人民代表大会第二次会议上\n青溪县人民政府县长 王明\n各位代表:",
            "青溪县",
        );
    }

    #[test]
    fn titles_broken_over_two_lines() {
        let m = detect(&lines(
            "政府工作报\n告\n——2024年1月10日在某县第九届人民代表大会上",
        ));
        assert_eq!(m.title.as_deref(), Some("政府工作报告"));
        assert_eq!(m.doc_type, DocType::WorkReport);
    }

    #[test]
    fn region_from_a_book_title_in_the_preamble() {
        let m = detect(&lines(
            "“十四五”时期,是关键阶段。\n编制《岳阳楼区国民经济和社会发展第十四个五年规划纲要》,主要阐明发展思路。",
        ));
        assert_eq!(m.region.as_deref(), Some("岳阳楼区"));
        assert_eq!(m.doc_type, DocType::PlanOutline);
    }
}
