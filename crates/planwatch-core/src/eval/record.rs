//! The calculation record: everything a person needs to redo a result by hand.

use serde::{Deserialize, Serialize};

/// A named value shown in a record (an input or a threshold).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NamedValue {
    /// What the value is (zh-CN), e.g. `基期值 x_b`.
    pub name: String,
    /// The value as displayed.
    pub value: String,
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

    /// Record an intermediate value and return it, so computing and recording are one step.
    pub fn step(&mut self, name: &str, formula: String, value: f64) -> f64 {
        self.steps.push(Step {
            name: name.to_string(),
            formula,
            value,
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
    fn step_returns_and_keeps_its_value() {
        let mut r = CalcRecord::new("m");
        let v = r.step("τ", "(2023−2020)/(2025−2020)".into(), 0.6);
        assert_eq!(v, 0.6);
        assert_eq!(r.step_value("τ"), Some(0.6));
        assert_eq!(r.step_value("P"), None);
    }
}
