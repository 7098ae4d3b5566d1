//! The calculation record: everything a person needs to redo a result by hand.

use serde::{Deserialize, Serialize};

use crate::wording::fig;

/// A named value shown in a record (an input or a threshold).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NamedValue {
    /// What the value is (zh-CN), e.g. `基期值 x_b`.
    pub name: String,
    /// The value as displayed.
    pub value: String,
}

/// How a step's value reads to a person.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Shown {
    /// A plain number (a level, a sum, a rate already in per cent).
    #[default]
    Number,
    /// A fraction read as a percentage: a pace ratio, a completion, a share of time.
    Percent,
}

/// One intermediate result with the formula that produced it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Step {
    /// What is computed (zh-CN), e.g. `序时进度要求 req`.
    pub name: String,
    /// The formula with symbols and the numbers substituted.
    pub formula: String,
    /// The result.
    pub value: f64,
    /// How the result reads to a person.
    #[serde(default)]
    pub shown: Shown,
}

impl Step {
    /// The result as a person reads it: a fraction as a percentage (`56.3%`), a number
    /// with at most two decimals (four below one).
    pub fn shown_value(&self) -> String {
        match self.shown {
            Shown::Number => fig(self.value),
            Shown::Percent => share(self.value),
        }
    }
}

/// A fraction as a percentage with one decimal, rounded down so that it stays on the
/// same side of a threshold written with one decimal (0.5996 is `59.9%`, below 60%).
pub fn share(fraction: f64) -> String {
    if !fraction.is_finite() {
        return "—".into();
    }
    let tenths = (fraction * 1000.0 + 1e-9).floor() / 10.0;
    format!("{tenths:.1}%")
}

/// A record's name without its symbols, for readers who do not need them:
/// `基期值 x_b（规划）` is `基期值（规划）`, `增速差 r̄ − g（百分点）` is `增速差（百分点）`.
/// Words are the space-separated parts that start as words (and the slashes between
/// them); of a symbol glued to a Chinese bracket only the bracket is kept.
pub fn plain_name(name: &str) -> String {
    let mut out = String::new();
    for part in name.split(' ') {
        if part == "/" {
            out.push_str(" /");
            continue;
        }
        if part.starts_with(is_word_start) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(part);
        } else if let Some(bracket) = part.find('（') {
            out.push_str(&part[bracket..]);
        }
    }
    if out.is_empty() {
        name.to_string()
    } else {
        out
    }
}

/// A word starts with a Chinese character, a Chinese bracket or a digit (`2023年增速`);
/// a symbol with a letter or a sign (`x_b`, `τ`, `∏(1+r_i)`).
fn is_word_start(c: char) -> bool {
    c == '（' || c.is_ascii_digit() || ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// How a result was computed: inputs, formulas, intermediate values and thresholds.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct CalcRecord {
    /// The method used (zh-CN), e.g. `总量目标(按复合增长路径)`.
    pub method: String,
    /// Inputs: baseline, target, years, observations used.
    pub inputs: Vec<NamedValue>,
    /// Intermediate values in the order they were computed.
    pub steps: Vec<Step>,
    /// Category thresholds that applied.
    pub thresholds: Vec<NamedValue>,
    /// Remarks: data left out, fallbacks taken, caveats (zh-CN).
    pub notes: Vec<String>,
}

impl CalcRecord {
    /// An empty record for a method.
    pub fn new(method: &str) -> Self {
        CalcRecord {
            method: method.to_string(),
            ..CalcRecord::default()
        }
    }

    /// Record an input.
    pub fn input(&mut self, name: &str, value: impl Into<String>) {
        self.inputs.push(NamedValue {
            name: name.to_string(),
            value: value.into(),
        });
    }

    /// Record a threshold.
    pub fn threshold(&mut self, name: &str, value: f64) {
        self.thresholds.push(NamedValue {
            name: name.to_string(),
            value: num(value),
        });
    }

    /// Record a threshold that is a fraction (a pace ratio, a relative margin).
    pub fn threshold_share(&mut self, name: &str, fraction: f64) {
        self.thresholds.push(NamedValue {
            name: name.to_string(),
            value: share(fraction),
        });
    }

    /// Record an intermediate value and return it, so computing and recording are one step.
    pub fn step(&mut self, name: &str, formula: String, value: f64) -> f64 {
        self.push_step(name, formula, value, Shown::Number)
    }

    /// Record an intermediate value that is a fraction read as a percentage.
    pub fn step_share(&mut self, name: &str, formula: String, value: f64) -> f64 {
        self.push_step(name, formula, value, Shown::Percent)
    }

    fn push_step(&mut self, name: &str, formula: String, value: f64, shown: Shown) -> f64 {
        self.steps.push(Step {
            name: name.to_string(),
            formula,
            value,
            shown,
        });
        value
    }

    /// Record a remark.
    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    /// The value of the step called `name`, if it was recorded.
    pub fn step_value(&self, name: &str) -> Option<f64> {
        self.steps.iter().find(|s| s.name == name).map(|s| s.value)
    }
}

/// A number for display: at most four decimals, trailing zeros removed.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// A fraction shown as a percentage with one decimal: 0.0903 → `9.0%`.
pub fn pct(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_display_without_noise() {
        for (x, want) in [
            (735.0, "735"),
            (0.6, "0.6"),
            (951.4134, "951.4134"),
            (0.123456, "0.1235"),
            (-0.00001, "0"),
            (-4.5, "-4.5"),
        ] {
            assert_eq!(num(x), want, "{x}");
        }
        assert_eq!(pct(0.0903), "9.0%");
        assert_eq!(pct(-0.107), "-10.7%");
    }

    #[test]
    fn shares_stay_on_their_side_of_a_threshold() {
        assert_eq!(share(0.5996), "59.9%");
        assert_eq!(share(0.6), "60.0%");
        assert_eq!(share(1.2072), "120.7%");
        assert_eq!(share(0.3 / 0.5), "60.0%");
        assert_eq!(share(-0.107), "-10.7%");
        assert_eq!(share(f64::NAN), "—");
    }

    #[test]
    fn names_lose_their_symbols_and_keep_their_words() {
        for (name, want) in [
            ("基期值 x_b（规划）", "基期值（规划）"),
            ("增速差 r̄ − g（百分点）", "增速差（百分点）"),
            ("累计指数 ∏(1+r_i)", "累计指数"),
            ("序时进度要求 req", "序时进度要求"),
            ("本年起所需年均增速（%）", "本年起所需年均增速（%）"),
            ("基本实现 相对差距", "基本实现 相对差距"),
            ("2023年增速 r", "2023年增速"),
            ("基期 b / 最新年 t / 目标年 T", "基期 / 最新年 / 目标年"),
            ("τ", "τ"),
        ] {
            assert_eq!(plain_name(name), want, "{name}");
        }
        let mut r = CalcRecord::new("m");
        r.step_share("进度比 P", "0.3/0.5".into(), 0.6);
        r.step("规划路径当年值", "…".into(), 951.41349);
        let shown: Vec<String> = r.steps.iter().map(Step::shown_value).collect();
        assert_eq!(shown, ["60.0%", "951.41"]);
    }

    #[test]
    fn step_returns_and_keeps_its_value() {
        let mut r = CalcRecord::new("m");
        let v = r.step("τ", "(2023−2020)/(2025−2020)".into(), 0.6);
        assert_eq!(v, 0.6);
        assert_eq!(r.step_value("τ"), Some(0.6));
        assert_eq!(r.step_value("P"), None);
    }
}
