//! What must agree when one plan is given in several formats (text, HTML, DOCX, GBK,
//! PDF): the keys the variant and PDF tests compare.

use planwatch_core::plan::{HeadingKind, Plan};

/// What must agree across formats: outline (kind, number, title) in order.
pub fn outline(plan: &Plan) -> Vec<(HeadingKind, String, String)> {
    plan.outline
        .iter()
        .map(|h| (h.kind, h.number.clone(), h.title.clone()))
        .collect()
}

pub type IndicatorKey = (
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<f64>,
    Option<f64>,
    Option<String>,
);

/// What must agree across formats: indicators (category, parent, name, unit, baseline,
/// target, attribute).
pub fn indicators(plan: &Plan) -> Vec<IndicatorKey> {
    plan.indicators
        .iter()
        .map(|i| {
            (
                i.category.as_deref().map(without_spaces),
                i.parent.as_deref().map(without_spaces),
                i.name.clone(),
                i.unit.clone(),
                i.baseline.as_ref().and_then(|v| v.value),
                i.target.as_ref().and_then(|v| v.value),
                i.attribute.map(|a| format!("{a:?}")),
            )
        })
        .collect()
}

/// A label with its spaces left out: a PDF cannot tell a space between Chinese
/// characters (经济 发展, a padded table cell) from the layout's own spacing.
fn without_spaces(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// What must agree across formats: prose targets (what, value, unit, year) in order.
/// Spaces in what a target measures are left out, as the gold-set scorer does: a PDF
/// cannot tell a space beside Chinese text from LibreOffice's Asian/Latin spacing.
pub fn targets(plan: &Plan) -> Vec<(String, String, Option<String>, Option<i32>)> {
    plan.targets
        .iter()
        .map(|t| {
            let what: String = t.indicator.chars().filter(|c| !c.is_whitespace()).collect();
            (what, t.value.to_string(), t.unit.clone(), t.year)
        })
        .collect()
}
