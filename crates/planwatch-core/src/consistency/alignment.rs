//! 规划衔接: a plan's main indicators against the plan of the level above (a county's
//! against its city's, a province's against the nation's). For every indicator both
//! tables carry (matched by the catalogue's name):
//!
//! - a binding reduction (〔降低13.5%〕) must be at least the upper plan's quota — less
//!   is an error;
//! - a growth target (年均增长6%) below the upper plan's must be explained — a warning;
//! - an indicator the upper plan makes 约束性 stays 约束性 — a warning otherwise;
//! - the unit is the same — a warning otherwise (the figures cannot be compared).
//!
//! Each finding names the line of both plans.

use crate::catalogue::{Catalogue, normalize};
use crate::eval::build::targets_from_plan;
use crate::eval::record::num;
use crate::eval::target::{Target, TargetType};
use crate::plan::{Plan, Severity};

use super::{CheckSettings, Finding, FindingKind, SourceRef};

/// The findings of `lower` against `upper`, the plan of the level above.
pub fn check_alignment(upper: &Plan, lower: &Plan, settings: &CheckSettings) -> Vec<Finding> {
    let uppers = main_targets(upper);
    let mut out = Vec::new();
    for low in main_targets(lower) {
        let key = key_of(&low.indicator);
        let Some(up) = uppers.iter().find(|u| key_of(&u.indicator) == key) else {
            continue;
        };
        let pair = Pair {
            key: &key,
            upper: (upper, up),
            lower: (lower, &low),
        };
        out.extend(pair.quota(settings));
        out.extend(pair.growth(settings));
        out.extend(pair.attribute());
        out.extend(pair.unit());
    }
    out
}

/// The targets of a plan's indicator table (not its prose), one per indicator row.
fn main_targets(plan: &Plan) -> Vec<Target> {
    let mut targets = targets_from_plan(plan);
    targets.truncate(plan.indicators.len());
    targets
}

/// The average annual growth a target sets: its own (年均增长7%), or the growth column
/// beside a level target (2800 with 7 under 年均增长).
fn annual_growth(plan: &Plan, t: &Target) -> Option<f64> {
    if let TargetType::GrowthRate { rate, .. } = t.target_type {
        return Some(rate);
    }
    let row = plan
        .indicators
        .iter()
        .find(|i| Some(i.line) == t.line && i.name == t.indicator)?;
    row.growth.as_ref().filter(|g| !g.cumulative)?.value
}

fn key_of(name: &str) -> String {
    match Catalogue::builtin().find(name) {
        Some(m) => m.entry.name.clone(),
        None => normalize(name),
    }
}

/// The same indicator in both plans.
struct Pair<'a> {
    key: &'a str,
    upper: (&'a Plan, &'a Target),
    lower: (&'a Plan, &'a Target),
}

impl Pair<'_> {
    fn finding(&self, severity: Severity, message: String) -> Finding {
        let at = |(plan, t): (&Plan, &Target)| SourceRef {
            document: plan.source.path.clone(),
            line: t.line.unwrap_or(0),
            text: format!("{}：{}", t.indicator, t.text),
        };
        Finding {
            kind: FindingKind::UpperPlan,
            severity,
            indicator: self.key.to_string(),
            message,
            first: at(self.lower),
            second: at(self.upper),
        }
    }

    /// A binding reduction below the quota handed down.
    fn quota(&self, settings: &CheckSettings) -> Option<Finding> {
        let (up, low) = (self.upper.1, self.lower.1);
        let (
            TargetType::CumulativeReduction { percent: u },
            TargetType::CumulativeReduction { percent: l },
        ) = (&up.target_type, &low.target_type)
        else {
            return None;
        };
        if !up.binding || *l + settings.growth_tolerance_pp / 10.0 >= *u {
            return None;
        }
        Some(self.finding(
            Severity::Error,
            format!(
                "{}：本级规划累计降低{}%，低于上级规划下达的{}%（约束性指标不得低于上级下达的目标）",
                self.key,
                num(*l),
                num(*u)
            ),
        ))
    }

    /// A growth target below the upper plan's.
    fn growth(&self, settings: &CheckSettings) -> Option<Finding> {
        let u = annual_growth(self.upper.0, self.upper.1)?;
        let l = annual_growth(self.lower.0, self.lower.1)?;
        if l + settings.growth_tolerance_pp >= u {
            return None;
        }
        Some(self.finding(
            Severity::Warning,
            format!(
                "{}：本级规划年均增长{}%，低于上级规划的{}%，需说明理由",
                self.key,
                num(l),
                num(u)
            ),
        ))
    }

    /// 约束性 above, 预期性 here.
    fn attribute(&self) -> Option<Finding> {
        (self.upper.1.binding && !self.lower.1.binding).then(|| {
            self.finding(
                Severity::Warning,
                format!("{}：上级规划列为约束性指标，本级规划列为预期性", self.key),
            )
        })
    }

    /// Different units: the targets cannot be compared.
    fn unit(&self) -> Option<Finding> {
        let unit = |t: &Target| t.unit.as_deref().map(normalize).filter(|u| !u.is_empty());
        let (u, l) = (unit(self.upper.1)?, unit(self.lower.1)?);
        (u != l).then(|| {
            self.finding(
                Severity::Warning,
                format!(
                    "{}：本级规划单位为“{l}”，上级规划为“{u}”，口径需核对",
                    self.key
                ),
            )
        })
    }
}
