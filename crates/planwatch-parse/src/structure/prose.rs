//! Quantified forward-looking statements in running text.

use planwatch_core::plan::{OutlineNode, ProseTarget};

use super::doc::Line;
use super::meta::Meta;

/// Find prose targets in lines not claimed by tables or boxes.
pub fn find_targets(lines: &[Line], outline: &[OutlineNode], skip: &dyn Fn(usize) -> bool, meta: &Meta) -> Vec<ProseTarget> {
    let _ = (lines, outline, skip, meta);
    Vec::new()
}
