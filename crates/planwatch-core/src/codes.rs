//! Enums as the short codes the JSON contract and the database both use (`ge`,
//! `binding`, `章`): one mapping per enum, the same in both places.
//!
//! The serde names of the contract are the codes; [`Code`] gives them without going
//! through a serializer, and the test below holds every table here to the serde
//! names, so the two cannot drift.

use crate::actuals::DataKind;
use crate::plan::{Attribute, ColumnRole, DocType, HeadingKind, ItemSource, Severity, TargetKind};
use crate::quantity::Comparator;
use crate::wording::Domain;
use crate::wording::labels::known;

/// An enum written as a fixed code.
pub trait Code: Sized + Copy + PartialEq + 'static {
    /// Every value, in declaration order.
    const ALL: &'static [Self];

    /// The code (`ge`).
    fn code(self) -> &'static str;

    /// The value of a code, if it is one.
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
}

/// `impl Code` from a table of variant ⇒ code.
#[macro_export]
macro_rules! codes {
    ($ty:ty { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $crate::codes::Code for $ty {
            const ALL: &'static [Self] = &[$(<$ty>::$variant),+];
            fn code(self) -> &'static str {
                match self {
                    $(<$ty>::$variant => $code),+
                }
            }
        }
    };
}

codes!(Comparator {
    Eq => "eq", Ge => "ge", Gt => "gt", Le => "le", Lt => "lt", Approx => "approx", Range => "range",
});
codes!(Attribute { Expected => "expected", Binding => "binding" });
codes!(ItemSource { Table => "table", Prose => "prose" });
codes!(TargetKind {
    Level => "level", GrowthRate => "growth_rate", Share => "share",
    Cumulative => "cumulative", Count => "count", Other => "other",
});
codes!(HeadingKind {
    Part => "篇", Chapter => "章", Section => "节", Chinese => "一、", ParenChinese => "(一)",
    Arabic => "1.", ParenArabic => "(1)", Lead => "lead", Dash => "dash", Other => "other",
});
codes!(DocType {
    PlanOutline => "plan_outline", WorkReport => "work_report", AnnualPlan => "annual_plan",
    StatisticalBulletin => "statistical_bulletin", Unknown => "unknown",
});
codes!(ColumnRole {
    Category => "category", Seq => "seq", Name => "name", Unit => "unit", Baseline => "baseline",
    Target => "target", Milestone => "milestone", Vision => "vision", Annual => "annual",
    Cumulative => "cumulative", AnnualOrCumulative => "annual_or_cumulative",
    Attribute => "attribute", Note => "note", Other => "other",
});
codes!(Severity { Info => "info", Warning => "warning", Error => "error" });
codes!(DataKind {
    Level => "level", GrowthRate => "growth_rate", Share => "share",
    Reduction => "reduction", AnnualTarget => "annual_target",
});

impl Attribute {
    /// 约束性 or 预期性 (from [`crate::wording::labels`]).
    pub fn label(self) -> &'static str {
        known(Domain::Attribute, self.code())
    }
}

impl DocType {
    /// What people call the document type (from [`crate::wording::labels`]).
    pub fn label(self) -> &'static str {
        known(Domain::DocType, self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use serde::de::DeserializeOwned;

    /// Every code equals the serde name of its value, and reads back.
    fn agrees<T: Code + Serialize + DeserializeOwned + std::fmt::Debug>() {
        for v in T::ALL {
            let json = serde_json::to_value(v).unwrap();
            assert_eq!(json, serde_json::Value::String(v.code().into()), "{v:?}");
            assert_eq!(T::from_code(v.code()), Some(*v));
            assert_eq!(serde_json::from_value::<T>(json).unwrap(), *v);
        }
        assert_eq!(T::from_code("no such code"), None);
    }

    #[test]
    fn codes_are_the_serde_names() {
        agrees::<Comparator>();
        agrees::<Attribute>();
        agrees::<ItemSource>();
        agrees::<TargetKind>();
        agrees::<HeadingKind>();
        agrees::<DocType>();
        agrees::<Severity>();
        agrees::<ColumnRole>();
        agrees::<DataKind>();
        use crate::projects::*;
        agrees::<ProjectField>();
        agrees::<Cadence>();
        agrees::<ProjectClass>();
        agrees::<ProjectWarning>();
        agrees::<ProjectOrigin>();
    }
}
