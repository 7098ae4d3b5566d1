//! 规划衔接: a plan's main indicators against the plan of the level above (a county's
//! against its city's, a province's against the nation's). For every indicator both
//! tables carry (matched by the catalogue's name):
//!
//! - a binding reduction (〔降低13.5%〕) must be at least the upper plan's quota — less
//!   is an error;
//! - a growth target (年均增长6%) below the upper plan's must be explained — a warning;
//! - a floor, ceiling or level weaker than the upper plan's (`bounds`): an error when
//!   the upper plan makes the indicator 约束性, a warning otherwise;
//! - an indicator the upper plan makes 约束性 stays 约束性 — a warning otherwise;
//! - the unit and the definition (price base, population basis, five-year cumulative
//!   against annual) are the same — a warning otherwise (`definition`).
//!
//! Figures are compared only like with like: the same unit and the same target year.
//! When the two plans end in different years, one finding says so and no figure is
//! compared. Each finding names the line of both plans, in its message and its sides.

mod bounds;
mod definition;

use crate::catalogue::{Catalogue, normalize};
use crate::eval::build::targets_from_plan;
use crate::eval::target::{Target, TargetType};
use crate::plan::{Indicator, Plan, Severity};
use crate::quantity::fold_width;
use crate::wording::fig;

use super::{CheckSettings, Finding, FindingKind, SourceRef};

/// The findings of `lower` against `upper`, the plan of the level above.
pub fn check_alignment(upper: &Plan, lower: &Plan, settings: &CheckSettings) -> Vec<Finding> {
    let uppers = main_targets(upper);
    let mut out = Vec::new();
    let mut years_said = false;
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
        if pair.same_units() && pair.same_years() {
            out.extend(pair.quota(settings));
            out.extend(pair.growth(settings));
            out.extend(pair.bound(settings));
        } else if !pair.same_years() && !years_said {
            out.push(pair.years());
            years_said = true;
        }
        out.extend(pair.attribute());
        out.extend(pair.unit());
        out.extend(pair.definition());
    }
    out
}

/// The targets of a plan's indicator table (not its prose), one per indicator row.
fn main_targets(plan: &Plan) -> Vec<Target> {
    let mut targets = targets_from_plan(plan);
    targets.truncate(plan.indicators.len());
    targets
}

/// The indicator row a target was built from.
fn row_of<'a>(plan: &'a Plan, t: &Target) -> Option<&'a Indicator> {
    plan.indicators
        .iter()
        .find(|i| Some(i.line) == t.line && i.name == t.indicator)
}

/// The average annual growth a target sets: its own (年均增长7%), or the growth column
/// beside a level target (2800 with 7 under 年均增长).
fn annual_growth(plan: &Plan, t: &Target) -> Option<f64> {
    if let TargetType::GrowthRate { rate, .. } = t.target_type {
        return Some(rate);
    }
    row_of(plan, t)?
        .growth
        .as_ref()
        .filter(|g| !g.cumulative)?
        .value
}

fn key_of(name: &str) -> String {
    match Catalogue::builtin().find(name) {
        Some(m) => m.entry.name.clone(),
        None => normalize(name),
    }
}

/// A unit as compared: widths folded, spaces dropped (`％` is `%`); `None` when blank.
fn unit_key(t: &Target) -> Option<String> {
    let u: String = t
        .unit
        .as_deref()?
        .chars()
        .map(fold_width)
        .filter(|c| !c.is_whitespace())
        .collect();
    (!u.is_empty()).then_some(u)
}

/// A figure with its unit as a sentence writes it (`95%`, `11.3年`).
fn with_unit(value: f64, t: &Target) -> String {
    format!("{}{}", fig(value), unit_key(t).unwrap_or_default())
}

/// The same indicator in both plans.
struct Pair<'a> {
    key: &'a str,
    upper: (&'a Plan, &'a Target),
    lower: (&'a Plan, &'a Target),
}

impl Pair<'_> {
    /// A finding on this pair; the message gets the lines of both plans appended.
    fn finding(&self, severity: Severity, message: String) -> Finding {
        let line = |t: &Target| {
            t.line
                .map_or_else(|| "行号不详".to_string(), |l| format!("第{l}行"))
        };
        let message = format!(
            "{message}（本级规划{}，上级规划{}）",
            line(self.lower.1),
            line(self.upper.1)
        );
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

    /// The severity of a shortfall: an error where the upper plan binds the indicator.
    fn shortfall_severity(&self) -> Severity {
        if self.upper.1.binding {
            Severity::Error
        } else {
            Severity::Warning
        }
    }

    /// Both units known and different: no figure is compared (the unit rule says why).
    /// A name for the indicator's growth (居民人均可支配收入增长, %) and one for its level
    /// (居民人均可支配收入, 元) have different units by nature: those are not a conflict.
    fn same_units(&self) -> bool {
        match (unit_key(self.upper.1), unit_key(self.lower.1)) {
            (Some(u), Some(l)) => u == l || !self.same_measure(),
            _ => true,
        }
    }

    /// Both names speak of the indicator itself, or both of its growth.
    fn same_measure(&self) -> bool {
        let measure = |t: &Target| Catalogue::builtin().find(&t.indicator).map(|m| m.measure);
        measure(self.upper.1) == measure(self.lower.1)
    }

    /// The target years agree, or one of them is not stated.
    fn same_years(&self) -> bool {
        let (u, l) = (self.upper.1.target_year, self.lower.1.target_year);
        u == 0 || l == 0 || u == l
    }

    /// The plans end in different years: said once, and nothing is compared.
    fn years(&self) -> Finding {
        self.finding(
            Severity::Warning,
            format!(
                "{}：本级规划目标年为{}年，上级规划为{}年，两级规划的目标年份不同，数值目标未作比较",
                self.key,
                self.lower.1.target_year,
                self.upper.1.target_year
            ),
        )
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
                "{}：本级规划累计降低{}%，低于上级规划下达的{}%，约束性指标不得低于上级下达的目标",
                self.key,
                fig(*l),
                fig(*u)
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
                fig(l),
                fig(u)
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
        let (u, l) = (unit_key(self.upper.1)?, unit_key(self.lower.1)?);
        (u != l && self.same_measure()).then(|| {
            self.finding(
                Severity::Warning,
                format!(
                    "{}：本级规划单位为“{l}”，上级规划为“{u}”，口径需核对，数值未作比较",
                    self.key
                ),
            )
        })
    }
}
