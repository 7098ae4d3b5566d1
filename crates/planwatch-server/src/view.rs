//! Small helpers the templates use: labels, CSS classes and number formats.

use planwatch_core::eval::Category;
use planwatch_core::plan::Attribute;

/// CSS class of a category badge (colours in `static/app.css` follow
/// `planwatch_report::charts::category_colour`).
pub fn category_class(c: Category) -> &'static str {
    match c {
        Category::AchievedEarly | Category::Achieved => "cat-achieved",
        Category::BasicallyAchieved => "cat-ontrack",
        Category::NotAchieved => "cat-severe",
        Category::Ahead => "cat-ahead",
        Category::OnTrack => "cat-ontrack",
        Category::Lagging => "cat-lagging",
        Category::SeverelyLagging => "cat-severe",
        Category::InsufficientData => "cat-nodata",
        Category::Qualitative => "cat-qualitative",
    }
}

/// 约束性 / 预期性 from the stored code.
pub fn attribute_label(attribute: Option<Attribute>) -> &'static str {
    attribute.map(Attribute::label).unwrap_or_default()
}

/// A number for people: at most two decimals from 1 up, trailing zeros removed
/// (1130, 7.5, 31852.25, 0.034); see [`planwatch_core::wording::fig`].
pub fn num(x: f64) -> String {
    planwatch_core::wording::fig(x)
}

/// A number as stored, for a form field: four decimals, trailing zeros removed, so an
/// edit does not round the value it leaves alone.
fn exact(x: f64) -> String {
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// An optional number, or an em dash.
pub fn opt_num(x: &Option<f64>) -> String {
    x.map(num).unwrap_or_else(|| "—".into())
}

/// An optional text, or an em dash.
pub fn opt_text(x: Option<&str>) -> String {
    x.filter(|s| !s.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| "—".into())
}

/// A value as the document wrote it, with the number the evaluation uses when that
/// is not what the text says already (`6左右(按 6 计)`, `410`, `〔13.5〕(按 13.5 计)`).
pub fn text_and_value(text: Option<&str>, value: &Option<f64>) -> String {
    let shown = opt_text(text);
    match value {
        Some(v) if text.map(str::trim) != Some(num(*v).as_str()) => {
            format!("{shown}（按 {} 计）", num(*v))
        }
        _ => shown,
    }
}

/// [`num`] for templates (which pass references).
pub fn n(x: &f64) -> String {
    num(*x)
}

/// A form input's value for an optional number (empty for none).
pub fn input_num(x: &Option<f64>) -> String {
    x.map(exact).unwrap_or_default()
}

/// A form input's value for a number (exact, see [`input_num`]).
pub fn input_value(x: &f64) -> String {
    exact(*x)
}

/// A form input's value for an optional integer.
pub fn input_int(x: &Option<i64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

/// A form input's value for an optional text.
pub fn input_text(x: &Option<String>) -> String {
    x.clone().unwrap_or_default()
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_value_is_shown_once_unless_the_text_says_more() {
        assert_eq!(text_and_value(Some("410"), &Some(410.0)), "410");
        assert_eq!(
            text_and_value(Some("6左右"), &Some(6.0)),
            "6左右（按 6 计）"
        );
        assert_eq!(
            text_and_value(Some("完成市下达任务"), &None),
            "完成市下达任务"
        );
        assert_eq!(text_and_value(None, &Some(1.5)), "—（按 1.5 计）");
        assert_eq!(text_and_value(None, &None), "—");
    }

    use super::*;

    #[test]
    fn numbers() {
        let check = |x: f64, expect: &str| assert_eq!(num(x), expect, "{x}");
        check(1130.0, "1130");
        check(7.5, "7.5");
        check(0.034, "0.034");
        check(-0.00001, "0");
        check(12.34567, "12.35");
        check(31852.2459, "31852.25");
        assert_eq!(input_num(&Some(12.34567)), "12.3457");
        assert_eq!(opt_num(&None), "—");
        assert_eq!(opt_text(Some("")), "—");
        assert_eq!(attribute_label(Some(Attribute::Binding)), "约束性");
    }
}
