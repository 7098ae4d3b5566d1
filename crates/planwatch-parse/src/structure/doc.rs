//! The decoded text as numbered lines with a normalized shadow copy.
//!
//! Matching works on `text`: full-width ASCII folded to half-width, trimmed.

use planwatch_core::quantity::fold_width;

/// One line of the decoded text.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number, as `cat -n` counts.
    pub no: usize,
    /// Width-folded, trimmed, zero-width characters removed.
    pub text: String,
}

impl Line {
    /// The normalized text without any whitespace, for marker and keyword matching.
    pub fn compact(&self) -> String {
        self.text.chars().filter(|c| !c.is_whitespace()).collect()
    }

    /// True when the line has no visible content.
    pub fn is_blank(&self) -> bool {
        self.text.is_empty()
    }
}

/// Split text into numbered, normalized lines.
pub fn lines(text: &str) -> Vec<Line> {
    text.lines()
        .enumerate()
        .map(|(i, raw)| Line {
            no: i + 1,
            text: normalize(raw),
        })
        .collect()
}

/// Fold width, drop zero-width and BOM characters, turn NBSP into space, trim.
pub fn normalize(raw: &str) -> String {
    let folded: String = raw
        .chars()
        .filter(|c| !matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}'))
        .map(|c| if c == '\u{A0}' { ' ' } else { fold_width(c) })
        .collect();
    folded.trim().to_string()
}

/// Remove all whitespace.
pub fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Count characters, not bytes.
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}
