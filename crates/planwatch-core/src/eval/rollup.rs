//! Roll-ups: counts per category for a plan, a plan category or a chapter, and the
//! sentence official reports open with (25项主要指标中,提前实现3项,…).

use serde::{Deserialize, Serialize};

use crate::plan::{HeadingKind, OutlineNode};

use super::status::{Category, Evaluation};

/// Counts of one group of evaluations.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RollUp {
    /// What is counted (主要指标, 经济发展类指标).
    pub label: String,
    /// Number of indicators.
    pub total: usize,
    /// Count per category, in the official order, zero counts left out.
    pub counts: Vec<(Category, usize)>,
    /// Number of binding indicators.
    pub binding: usize,
    /// Number of evaluations with an early warning.
    pub warnings: usize,
}

impl RollUp {
    /// Count of one category.
    pub fn count(&self, category: Category) -> usize {
        self.counts
            .iter()
            .find(|(c, _)| *c == category)
            .map_or(0, |(_, n)| *n)
    }

    /// `25项主要指标中,提前实现3项,快于预期5项,基本符合预期10项,滞后5项,数据不足2项;预警2项。`
    pub fn sentence(&self) -> String {
        let parts: Vec<String> = self
            .counts
            .iter()
            .map(|(c, n)| format!("{}{n}项", c.label()))
            .collect();
        let mut s = format!("{}项{}中，{}", self.total, self.label, parts.join("，"));
        if self.total == 0 {
            s = format!("没有可统计的{}", self.label);
        }
        if self.warnings > 0 {
            s.push_str(&format!("；需预警{}项", self.warnings));
        }
        s.push('。');
        s
    }
}

/// Count evaluations per category.
pub fn roll_up(label: &str, evaluations: &[&Evaluation]) -> RollUp {
    let counts = Category::ALL
        .iter()
        .map(|c| (*c, evaluations.iter().filter(|e| e.category == *c).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    RollUp {
        label: label.to_string(),
        total: evaluations.len(),
        counts,
        binding: evaluations.iter().filter(|e| e.binding).count(),
        warnings: evaluations.iter().filter(|e| e.warning.is_some()).count(),
    }
}

/// One roll-up per group, in order of first appearance; evaluations without a group go to `其他`.
pub fn roll_up_by(
    evaluations: &[Evaluation],
    group: impl Fn(&Evaluation) -> Option<String>,
) -> Vec<RollUp> {
    let mut groups: Vec<(String, Vec<&Evaluation>)> = Vec::new();
    for e in evaluations {
        let key = group(e).unwrap_or_else(|| "其他".to_string());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(e),
            None => groups.push((key, vec![e])),
        }
    }
    groups
        .into_iter()
        .map(|(k, members)| roll_up(&format!("{k}指标"), &members))
        .collect()
}

/// The chapter (第X章, or the top heading level when a plan has no chapters) a source line falls in.
pub fn chapter_for_line(outline: &[OutlineNode], line: usize) -> Option<String> {
    let has_chapters = outline.iter().any(|n| n.kind == HeadingKind::Chapter);
    outline
        .iter()
        .filter(|n| n.line <= line)
        .rfind(|n| {
            if has_chapters {
                n.kind == HeadingKind::Chapter
            } else {
                n.level == 1
            }
        })
        .map(|n| format!("{} {}", n.number, n.title).trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::record::CalcRecord;
    use crate::eval::status::{Figures, Warning};

    fn ev(category: Category, group: &str, binding: bool) -> Evaluation {
        Evaluation {
            indicator: "x".into(),
            target_type: String::new(),
            binding,
            group: Some(group.to_string()),
            category,
            warning: (category == Category::SeverelyLagging).then(|| Warning {
                message: "w".into(),
            }),
            figures: Figures::default(),
            record: CalcRecord::default(),
            explanation: String::new(),
        }
    }

    #[test]
    fn official_sentence_counts_in_official_order() {
        use Category::*;
        let mut all = Vec::new();
        for (c, n) in [
            (Lagging, 5),
            (AchievedEarly, 3),
            (OnTrack, 10),
            (Ahead, 5),
            (InsufficientData, 2),
        ] {
            all.extend((0..n).map(|_| ev(c, "经济发展", false)));
        }
        let refs: Vec<&Evaluation> = all.iter().collect();
        let r = roll_up("主要指标", &refs);
        assert_eq!(r.total, 25);
        assert_eq!(r.count(OnTrack), 10);
        assert_eq!(r.count(SeverelyLagging), 0);
        assert_eq!(
            r.sentence(),
            "25项主要指标中，提前实现3项，快于预期5项，基本符合预期10项，滞后5项，数据不足2项。"
        );
    }

    #[test]
    fn groups_keep_first_appearance_order_and_count_warnings() {
        use Category::*;
        let all = vec![
            ev(OnTrack, "经济发展", false),
            ev(SeverelyLagging, "绿色生态", true),
            ev(Ahead, "经济发展", false),
        ];
        let groups = roll_up_by(&all, |e| e.group.clone());
        assert_eq!(groups.len(), 2);
        assert_eq!(
            groups[0].sentence(),
            "2项经济发展指标中，快于预期1项，基本符合预期1项。"
        );
        assert_eq!(
            groups[1].sentence(),
            "1项绿色生态指标中，严重滞后1项；需预警1项。"
        );
        assert_eq!(groups[1].binding, 1);
        assert_eq!(
            roll_up("主要指标", &[]).sentence(),
            "没有可统计的主要指标。"
        );
    }

    #[test]
    fn chapter_of_a_line() {
        let node = |line, kind, number: &str, title: &str| OutlineNode {
            page: None,
            line,
            level: 1,
            kind,
            number: number.into(),
            title: title.into(),
        };
        let outline = vec![
            node(3, HeadingKind::Part, "第一篇", "总体"),
            node(5, HeadingKind::Chapter, "第一章", "发展基础"),
            node(40, HeadingKind::Chapter, "第二章", "目标"),
        ];
        assert_eq!(chapter_for_line(&outline, 4), None);
        assert_eq!(
            chapter_for_line(&outline, 39).as_deref(),
            Some("第一章 发展基础")
        );
        assert_eq!(
            chapter_for_line(&outline, 64).as_deref(),
            Some("第二章 目标")
        );
    }
}
