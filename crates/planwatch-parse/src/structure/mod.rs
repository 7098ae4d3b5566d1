//! Text lines to a structured plan.

use planwatch_core::plan::{Plan, Source};

/// Parse decoded text. Never fails: problems become diagnostics.
pub fn parse_text(text: &str, source: Source) -> Plan {
    let _ = text;
    Plan {
        source,
        ..Plan::default()
    }
}
