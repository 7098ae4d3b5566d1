//! Document-level facts for extraction: what the document is, whose and which year's
//! figures it gives, the date it carries, and which of its lines are read.

use planwatch_core::plan::DocType;
use planwatch_core::quantity::fold_width;

use super::read::Span;
use super::{ExtractError, Options, doc_type_label};

/// What the extraction needs to know about a document.
#[derive(Debug, Clone)]
pub struct Document {
    pub doc_type: DocType,
    pub title: Option<String>,
    /// Region written in the rows (the caller's code, or the document's name).
    pub region: String,
    pub year: i32,
    pub date: Option<String>,
    /// Words naming the region itself (全县, 我县, 青溪县, 青溪).
    pub own_words: Vec<String>,
    /// Lines read, 1-based and inclusive.
    pub lines: (usize, usize),
    /// True for a work report (only its review is read, paragraph by paragraph the span
    /// of years changes); false for a bulletin (one year throughout).
    report: bool,
}

/// Lines looked at for the title, date and headings of the opening.
const OPENING: usize = 40;

/// Longest line taken for a heading, in characters.
const HEADING: usize = 50;

impl Document {
    /// Read the facts, or say which one is missing.
    pub fn read(text: &str, opts: &Options) -> Result<Document, ExtractError> {
        let meta = crate::structure::detect_meta(text);
        let lines: Vec<String> = text.lines().map(compact).collect();
        let mut doc_type = meta.doc_type;
        if doc_type == DocType::Unknown
            && lines.iter().take(OPENING).any(|l| l.contains("统计公报"))
        {
            doc_type = DocType::StatisticalBulletin;
        }
        // A speech to a congress (各位代表) with a review heading is a work report even
        // when its title was lost.
        if doc_type == DocType::Unknown
            && lines
                .iter()
                .take(OPENING)
                .any(|l| l.starts_with("各位代表"))
            && lines
                .iter()
                .any(|l| is_heading(l) && l.contains("工作回顾"))
        {
            doc_type = DocType::WorkReport;
        }
        if doc_type == DocType::PlanOutline {
            return Err(ExtractError::NotASource(doc_type_label(doc_type)));
        }
        let bulletin = doc_type != DocType::WorkReport && doc_type != DocType::AnnualPlan;
        let title = meta.title.clone();
        let (first, last) = if bulletin {
            (1, lines.len().max(1))
        } else {
            review_span(&lines)
        };
        let year = match opts.year {
            Some(y) => y,
            None if bulletin => {
                bulletin_year(title.as_deref(), &lines).ok_or(ExtractError::NoYear)?
            }
            None => report_year(&lines, first).ok_or(ExtractError::NoYear)?,
        };
        let name = meta
            .region
            .clone()
            .or_else(|| title.as_deref().and_then(region_in_title))
            .or_else(|| lines.iter().take(OPENING).find_map(|l| bureau_region(l)));
        let region = opts
            .region
            .clone()
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .or_else(|| name.clone())
            .ok_or(ExtractError::NoRegion)?;
        // A region given by name (not a code) names the document's own words too.
        let name =
            name.or_else(|| (!region.chars().all(|c| c.is_ascii_digit())).then(|| region.clone()));
        Ok(Document {
            doc_type,
            title,
            own_words: own_words(name.as_deref(), &lines),
            region,
            year,
            date: lines.iter().take(OPENING).find_map(|l| date_in(l)),
            lines: (first, last),
            report: !bulletin,
        })
    }

    /// The lines to read, each with the span of years its figures cover.
    pub fn paragraphs<'t>(&self, text: &'t str) -> Vec<(usize, &'t str, Span)> {
        let mut span = Span::OneYear;
        let this_year = format!("{}年", self.year);
        text.lines()
            .enumerate()
            .map(|(i, raw)| (i + 1, raw))
            .filter(|(no, _)| (self.lines.0..=self.lines.1).contains(no))
            .map(|(no, raw)| {
                if self.report {
                    span = span_of(&compact(raw), &this_year).unwrap_or(span);
                }
                (no, raw, span)
            })
            .collect()
    }
}

/// The span of years a paragraph of a work report's review speaks of, when it says.
///
/// A paragraph that opens with several years (五年来, “十四五”时期…) speaks of them; one
/// that names the year (全年, 去年, 过去一年) speaks of it even when it mentions a plan
/// in passing (提前实施部分“十四五”规划重大工程项目); one that says neither carries
/// the span of the paragraph before.
fn span_of(line: &str, this_year: &str) -> Option<Span> {
    let several = [
        "两年来",
        "三年来",
        "四年来",
        "五年",
        "十年",
        "十二五",
        "十三五",
        "十四五",
        "十五五",
    ];
    let opening: String = line.chars().take(12).collect();
    let one_year = ["过去一年", "一年来", "全年", "去年", "过去的一年"];
    if line.starts_with(this_year) || opening.contains("过去一年") || opening.contains("一年来")
    {
        Some(Span::OneYear)
    } else if several.iter().any(|w| opening.contains(w)) {
        Some(Span::SeveralYears)
    } else if one_year.iter().any(|w| line.contains(w)) {
        Some(Span::OneYear)
    } else if several.iter().any(|w| line.contains(w)) {
        Some(Span::SeveralYears)
    } else {
        None
    }
}

/// Widths folded, spaces removed.
fn compact(line: &str) -> String {
    line.chars()
        .map(fold_width)
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn is_heading(line: &str) -> bool {
    line.chars().count() <= HEADING
}

/// The review of a work report: from its heading (…工作回顾) or its first 过去一年
/// paragraph to the next top-level heading (二、…) or the heading of the year ahead.
fn review_span(lines: &[String]) -> (usize, usize) {
    let start = lines
        .iter()
        .position(|l| is_heading(l) && l.contains("回顾"))
        .or_else(|| {
            lines.iter().position(|l| {
                ["过去一年", "过去的一年", "一年来"]
                    .iter()
                    .any(|w| l.starts_with(w))
            })
        })
        .unwrap_or(0);
    let ends = [
        "总体要求",
        "预期目标",
        "工作安排",
        "工作建议",
        "主要任务",
        "主要目标",
    ];
    let end = lines
        .iter()
        .enumerate()
        .skip(start + 1)
        .find(|(_, l)| {
            let numbered = l
                .chars()
                .next()
                .is_some_and(|c| "二三四五六七八九十".contains(c))
                && l.chars().nth(1) == Some('、');
            is_heading(l) && (numbered || ends.iter().any(|w| l.contains(w)))
        })
        .map_or(lines.len(), |(i, _)| i);
    (start + 1, end.max(start + 1))
}

/// Four-digit years followed by 年 in a line, in order.
fn years_in(line: &str) -> Vec<i32> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    for i in 0..chars.len() {
        let window = chars.get(i..i + 5);
        let Some(w) = window else { break };
        let before_is_digit = i > 0 && chars[i - 1].is_ascii_digit();
        if !before_is_digit && w[..4].iter().all(char::is_ascii_digit) && w[4] == '年' {
            let y: String = w[..4].iter().collect();
            if let Ok(y) = y.parse::<i32>()
                && (1949..=2100).contains(&y)
            {
                out.push(y);
            }
        }
    }
    out
}

/// A bulletin's year: the one in its title (2024年国民经济和社会发展统计公报).
fn bulletin_year(title: Option<&str>, lines: &[String]) -> Option<i32> {
    title
        .and_then(|t| years_in(&compact(t)).first().copied())
        .or_else(|| {
            lines
                .iter()
                .take(OPENING)
                .filter(|l| l.contains("公报"))
                .find_map(|l| years_in(l).first().copied())
        })
}

/// The year a work report reviews: the year in its review heading (2025年工作回顾),
/// else the year before its session date or title year, else the year its review
/// opens with (2022年是…).
fn report_year(lines: &[String], review_start: usize) -> Option<i32> {
    let heading = lines
        .get(review_start.saturating_sub(1))
        .filter(|l| l.contains("回顾"));
    if let Some(y) = heading.and_then(|l| years_in(l).into_iter().max()) {
        return Some(y);
    }
    let opening = lines.iter().take(OPENING);
    let session = opening
        .clone()
        .find_map(|l| date_in(l))
        .and_then(|d| d[..4].parse::<i32>().ok());
    let titled = opening
        .clone()
        .filter(|l| l.contains("政府工作报告") && is_heading(l))
        .find_map(|l| years_in(l).first().copied());
    if let Some(y) = session.or(titled) {
        return Some(y - 1);
    }
    lines.iter().skip(review_start).take(OPENING).find_map(|l| {
        let y = *years_in(l).first()?;
        l.starts_with(&format!("{y}年是")).then_some(y)
    })
}

/// The first calendar date written `YYYY年M月D日` in a line, as YYYY-MM-DD.
fn date_in(line: &str) -> Option<String> {
    let chars: Vec<char> = line.chars().collect();
    for i in 0..chars.len() {
        if i > 0 && chars[i - 1].is_ascii_digit() {
            continue;
        }
        let digits = |from: usize, max: usize| -> (String, usize) {
            let s: String = chars[from.min(chars.len())..]
                .iter()
                .take(max)
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let n = s.len();
            (s, n)
        };
        let (y, n) = digits(i, 4);
        if n != 4 || chars.get(i + 4) != Some(&'年') {
            continue;
        }
        let (m, mn) = digits(i + 5, 2);
        if mn == 0 || chars.get(i + 5 + mn) != Some(&'月') {
            continue;
        }
        let (d, dn) = digits(i + 6 + mn, 2);
        if dn == 0 || chars.get(i + 6 + mn + dn) != Some(&'日') {
            continue;
        }
        let text = format!("{y}-{m:0>2}-{d:0>2}");
        if planwatch_core::validate::date("日期", &text).is_ok() {
            return Some(text);
        }
    }
    None
}

/// The region a bulletin's title names: 青溪县2024年国民经济… or 2024年岳阳市国民经济….
fn region_in_title(title: &str) -> Option<String> {
    let t = compact(title);
    let before_year: String = t.chars().take_while(|c| !c.is_ascii_digit()).collect();
    let after_year = t
        .find('年')
        .map(|i| &t[i + '年'.len_utf8()..])
        .and_then(|rest| rest.find("国民经济").map(|j| rest[..j].to_string()));
    [Some(before_year), after_year]
        .into_iter()
        .flatten()
        .find(|r| is_region_name(r))
}

/// `青溪县统计局` → 青溪县.
fn bureau_region(line: &str) -> Option<String> {
    let name = line.strip_suffix("统计局")?;
    is_region_name(name).then(|| name.to_string())
}

fn is_region_name(s: &str) -> bool {
    let n = s.chars().count();
    (2..=12).contains(&n)
        && (s == "中华人民共和国"
            || s.chars()
                .last()
                .is_some_and(|c| "省市县区州旗盟".contains(c)))
}

/// The words that name the region itself: 全县, 本县, 我县, the name and its short form;
/// for the nation 全国, 我国. Without a name, the scope word the document uses most.
fn own_words(name: Option<&str>, lines: &[String]) -> Vec<String> {
    let level = match name {
        Some("中华人民共和国") => Some('国'),
        Some(n) if n.ends_with("自治区") => Some('区'),
        Some(n) => n.chars().last(),
        None => None,
    };
    let level = level.or_else(|| {
        "国省市县区州旗盟".chars().max_by_key(|c| {
            let w = format!("全{c}");
            lines.iter().map(|l| l.matches(&w).count()).sum::<usize>()
        })
    });
    let mut out = Vec::new();
    if let Some(c) = level {
        for p in ["全", "本", "我"] {
            out.push(format!("{p}{c}"));
        }
    }
    if let Some(n) = name {
        out.push(n.to_string());
        if n == "中华人民共和国" {
            out.push("中国".into());
        } else {
            let short = ["自治区", "省", "市", "县", "区", "州", "旗", "盟"]
                .iter()
                .find_map(|s| n.strip_suffix(s))
                .filter(|s| s.chars().count() >= 2);
            if let Some(s) = short {
                out.push(s.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(compact).collect()
    }

    #[test]
    fn years_of_reports_and_bulletins() {
        let national = lines(
            "政府工作报告\n——2023年3月5日在第十四届全国人民代表大会第一次会议上\n国务院总理\n一、过去一年和五年工作回顾\n2022年是极为重要的一年。",
        );
        let (start, _) = review_span(&national);
        assert_eq!(report_year(&national, start), Some(2022));
        let guangdong =
            lines("政府工作报告\n——2026年1月26日\n一、2025年和“十四五”时期工作回顾\n正文");
        let (start, _) = review_span(&guangdong);
        assert_eq!(report_year(&guangdong, start), Some(2025));
        let district =
            lines("岳阳楼区人民政府代区长\n各位代表:\n一、“十三五”及2020年工作回顾\n五年来…");
        let (start, _) = review_span(&district);
        assert_eq!(report_year(&district, start), Some(2020));
        assert_eq!(
            bulletin_year(Some("青溪县2024年国民经济和社会发展统计公报"), &[]),
            Some(2024)
        );
        let undated = lines("政府工作报告\n各位代表:\n我们做了很多工作。");
        assert_eq!(report_year(&undated, 1), None);
    }

    #[test]
    fn the_review_ends_at_the_next_top_level_heading() {
        let text = lines(
            "政府工作报告\n一、2022年工作回顾\n全年增长6.9%。\n(一)稳住经济大盘。\n二、2023年工作安排\n地区生产总值增长7%左右。",
        );
        assert_eq!(review_span(&text), (2, 4));
        let unnumbered =
            lines("各位代表:\n过去一年,我们…\n今年工作的总体要求和主要预期目标\n增长7%。");
        assert_eq!(review_span(&unnumbered), (2, 2));
    }

    #[test]
    fn dates_regions_and_own_words() {
        assert_eq!(
            date_in("——2023年3月5日在第十四届"),
            Some("2023-03-05".into())
        );
        assert_eq!(date_in("2023年2月30日"), None);
        assert_eq!(date_in("2023年"), None);
        assert_eq!(
            region_in_title("青溪县2024年国民经济和社会发展统计公报").as_deref(),
            Some("青溪县")
        );
        assert_eq!(
            region_in_title("2023年岳阳市国民经济和社会发展统计公报").as_deref(),
            Some("岳阳市")
        );
        assert_eq!(bureau_region("青溪县统计局").as_deref(), Some("青溪县"));
        assert_eq!(
            own_words(Some("青溪县"), &[]),
            vec!["全县", "本县", "我县", "青溪县", "青溪"]
        );
        assert_eq!(
            own_words(Some("中华人民共和国"), &[]),
            vec!["全国", "本国", "我国", "中华人民共和国", "中国"]
        );
        let by_use = own_words(None, &lines("全区经济。全区人口。全市第一。"));
        assert_eq!(by_use[0], "全区");
    }

    #[test]
    fn spans_of_review_paragraphs() {
        let y = "2020年";
        assert_eq!(
            span_of("五年来,经济实力跨越发展。", y),
            Some(Span::SeveralYears)
        );
        assert_eq!(
            span_of("2020年是“十三五”收官之年。", y),
            Some(Span::OneYear)
        );
        assert_eq!(span_of("过去一年,我们…", y), Some(Span::OneYear));
        assert_eq!(span_of("打好一场战役。", y), None);
        // A plan named in passing does not make a year's paragraph a five-year one.
        assert_eq!(
            span_of(
                "针对有效需求不足的突出矛盾,多措并举扩投资促消费稳外贸。去年终端消费直接受到冲击。提前实施部分“十四五”规划重大工程项目。",
                y
            ),
            Some(Span::OneYear)
        );
        assert_eq!(
            span_of("这是经济实力持续提升的五年。", y),
            Some(Span::SeveralYears)
        );
    }
}
