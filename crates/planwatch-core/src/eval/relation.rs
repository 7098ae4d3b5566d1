//! Relational targets: 高于GDP增长, 与经济增长基本同步, 不低于经济增长, 快于城镇居民收入
//!增长. Each is read as a relation and the indicator it refers to, then judged against
//! the region's actual growth of that indicator over the same years.

use serde::{Deserialize, Serialize};

use crate::catalogue::Catalogue;

use super::record::{CalcRecord, num};
use super::status::{Category, Thresholds};

/// How an indicator's growth must relate to the reference growth.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RelOp {
    /// 高于, 快于, 超过: strictly above.
    Above,
    /// 不低于, 不慢于: at least.
    AtLeast,
    /// 同步, 基本同步: about equal (within the growth tolerance), or faster.
    InStep,
}

impl RelOp {
    /// zh-CN wording.
    pub fn label(self) -> &'static str {
        match self {
            RelOp::Above => "高于",
            RelOp::AtLeast => "不低于",
            RelOp::InStep => "与…同步",
        }
    }
}

/// A relation read from a target cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// The relation.
    pub op: RelOp,
    /// Canonical name of the reference indicator (地区生产总值).
    pub reference: String,
}

/// Operators, longest wording first so 不低于 is not read as 低于.
const OPS: &[(&str, RelOp)] = &[
    ("基本同步", RelOp::InStep),
    ("同步", RelOp::InStep),
    ("不低于", RelOp::AtLeast),
    ("不慢于", RelOp::AtLeast),
    ("高于", RelOp::Above),
    ("快于", RelOp::Above),
    ("超过", RelOp::Above),
];

/// Words naming a region's average, not one of its own indicators (高于全省平均).
const EXTERNAL: &[&str] = &[
    "全国",
    "全省",
    "全市",
    "全州",
    "全区平均",
    "平均水平",
    "省",
    "市平均",
];

/// Read `高于GDP增长`, `与GDP增长基本同步`, `与经济增长同步`, `快于城镇居民收入增长`.
/// None when the text is not a relation, or refers to something outside the region's
/// own data (高于全省平均水平).
pub fn parse(text: &str) -> Option<Relation> {
    let text = text.trim();
    let (word, op) = OPS.iter().find(|(w, _)| text.contains(w))?;
    let at = text.find(word)?;
    let reference = format!("{}{}", &text[..at], &text[at + word.len()..]);
    let reference = reference
        .trim_start_matches('与')
        .trim_start_matches('和')
        .trim_end_matches(['。', ',', ','])
        .trim();
    if reference.is_empty() || EXTERNAL.iter().any(|w| reference.contains(w)) {
        return None;
    }
    Some(Relation {
        op: *op,
        reference: reference_key(reference)?,
    })
}

/// The canonical indicator a reference names.
fn reference_key(reference: &str) -> Option<String> {
    let upper = reference.to_uppercase();
    if upper.contains("GDP") || reference.contains("经济") || reference.contains("生产总值") {
        return Some("地区生产总值".to_string());
    }
    if reference.contains("收入") {
        let name = if reference.contains("城镇") {
            "城镇居民人均可支配收入"
        } else if reference.contains("农村") || reference.contains("农民") {
            "农村居民人均可支配收入"
        } else {
            "居民人均可支配收入"
        };
        return Some(name.to_string());
    }
    Catalogue::builtin()
        .find(reference)
        .map(|m| m.entry.name.clone())
}

/// The verdict on a relation between two average growth rates (percent).
///
/// The requirement r is the reference growth (高于, 不低于) or the reference less the
/// growth tolerance (同步). Met: 基本符合预期, or 快于预期 when an 同步 target is beaten
/// by more than the tolerance. Missed by at most three tolerances (1.5 points by
/// default): 滞后; by more: 严重滞后. In a final evaluation: met 已实现, missed by at most
/// one tolerance 基本实现 (never for a binding target), else 未实现.
pub fn judge(
    op: RelOp,
    own: f64,
    reference: f64,
    final_year: bool,
    binding: bool,
    th: &Thresholds,
    rec: &mut CalcRecord,
) -> Category {
    let tol = th.growth_tolerance_pp;
    rec.threshold("同步容差（百分点）", tol);
    let required = match op {
        RelOp::InStep => reference - tol,
        RelOp::Above | RelOp::AtLeast => reference,
    };
    let gap = rec.step(
        "与要求之差（百分点）",
        format!("{} − {}", num(own), num(required)),
        own - required,
    );
    let met = match op {
        RelOp::Above => gap > 0.0,
        RelOp::AtLeast | RelOp::InStep => gap >= 0.0,
    };
    if final_year {
        th.record_final(rec, binding);
        return if met {
            Category::Achieved
        } else if !binding && -gap <= tol {
            Category::BasicallyAchieved
        } else {
            Category::NotAchieved
        };
    }
    if met {
        if op == RelOp::InStep && own - reference > tol {
            Category::Ahead
        } else {
            Category::OnTrack
        }
    } else if -gap <= 3.0 * tol {
        Category::Lagging
    } else {
        Category::SeverelyLagging
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relations_as_written() {
        let check = |text: &str, want: Option<(RelOp, &str)>| {
            let got = parse(text).map(|r| (r.op, r.reference));
            assert_eq!(got, want.map(|(op, r)| (op, r.to_string())), "{text}");
        };
        check("高于GDP增长", Some((RelOp::Above, "地区生产总值")));
        check("与GDP增长基本同步", Some((RelOp::InStep, "地区生产总值")));
        check("与经济增长同步", Some((RelOp::InStep, "地区生产总值")));
        check("不低于经济增长", Some((RelOp::AtLeast, "地区生产总值")));
        check("快于地区生产总值增长", Some((RelOp::Above, "地区生产总值")));
        check(
            "快于城镇居民收入增长",
            Some((RelOp::Above, "城镇居民人均可支配收入")),
        );
        check(
            "与居民收入增长同步",
            Some((RelOp::InStep, "居民人均可支配收入")),
        );
        check("高于全省平均水平", None);
        check("完成市下达任务", None);
        check("同步", None);
    }

    /// Each relation around a reference growth of 5.5%, tolerance 0.5 points.
    #[test]
    fn judged_by_the_gap_to_the_requirement() {
        let th = Thresholds::default();
        let j = |op, own, fin| judge(op, own, 5.5, fin, false, &th, &mut CalcRecord::default());
        use Category::*;
        // 高于: 6.4 > 5.5 met; 5.5 is not above; 4.0 is 1.5 short (≤ 1.5 → 滞后); 3.9 is 1.6 short.
        assert_eq!(j(RelOp::Above, 6.4, false), OnTrack);
        assert_eq!(j(RelOp::Above, 5.5, false), Lagging);
        assert_eq!(j(RelOp::Above, 4.0, false), Lagging);
        assert_eq!(j(RelOp::Above, 3.9, false), SeverelyLagging);
        // 不低于: equality meets.
        assert_eq!(j(RelOp::AtLeast, 5.5, false), OnTrack);
        // 同步: r = 5.5 − 0.5 = 5.0. 5.2 in step; 6.1 is 0.6 above the reference → 快于预期;
        // 4.8 is 0.2 short of r → 滞后.
        assert_eq!(j(RelOp::InStep, 5.2, false), OnTrack);
        assert_eq!(j(RelOp::InStep, 6.1, false), Ahead);
        assert_eq!(j(RelOp::InStep, 4.8, false), Lagging);
        // Final: met 已实现; 0.4 short (≤ 0.5) 基本实现; 0.6 short 未实现; binding never 基本实现.
        assert_eq!(j(RelOp::Above, 5.6, true), Achieved);
        assert_eq!(j(RelOp::AtLeast, 5.1, true), BasicallyAchieved);
        assert_eq!(j(RelOp::AtLeast, 4.9, true), NotAchieved);
        let binding = judge(
            RelOp::AtLeast,
            5.1,
            5.5,
            true,
            true,
            &th,
            &mut CalcRecord::default(),
        );
        assert_eq!(binding, NotAchieved);
    }
}
