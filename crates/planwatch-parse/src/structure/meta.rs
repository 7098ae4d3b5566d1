//! Document-level facts: title, region, document type and plan period.

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
    let title = head
        .iter()
        .take(5)
        .find(|l| {
            char_len(&l.text) <= 80
                && !l.text.ends_with('。')
                && TITLE_WORDS.iter().any(|w| l.text.contains(w))
        })
        .map(|l| l.text.clone());
    let opening: String = head
        .iter()
        .map(|l| compact(&l.text))
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

/// The most specific administrative unit written before 国民经济 / 人民政府 / 政府工作:
/// a district or county (区, 县, 旗) is preferred to a city that merely contains it.
fn region_of(opening: &str) -> Option<String> {
    const ANCHORS: &[&str] = &["国民经济", "人民政府", "政府工作", "“十四五”", "十四五"];
    const BOUNDARY: &[char] = &[
        '省', '市', '州', '是', '的', '和', '《', '(', ')', '“', ',', '\n', '制', '定', '在', '为',
    ];
    let mut found: Vec<String> = Vec::new();
    for anchor in ANCHORS {
        for (pos, _) in opening.match_indices(anchor) {
            // Only the few characters before the anchor matter: walk back from it.
            let mut before = opening[..pos].chars().rev();
            let Some(unit) = before.next() else { continue };
            if !matches!(unit, '区' | '县' | '市' | '旗') {
                continue;
            }
            let body: Vec<char> = before
                .take_while(|c| !BOUNDARY.contains(c) && !c.is_ascii())
                .take(5)
                .collect();
            if !body.is_empty() {
                found.push(body.iter().rev().collect::<String>() + &unit.to_string());
            }
        }
    }
    let county = found.iter().find(|r| !r.ends_with('市')).cloned();
    county.or_else(|| found.into_iter().next())
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
    fn region_from_a_book_title_in_the_preamble() {
        let m = detect(&lines(
            "“十四五”时期,是关键阶段。\n编制《岳阳楼区国民经济和社会发展第十四个五年规划纲要》,主要阐明发展思路。",
        ));
        assert_eq!(m.region.as_deref(), Some("岳阳楼区"));
        assert_eq!(m.doc_type, DocType::PlanOutline);
    }
}
