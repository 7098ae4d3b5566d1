//! Domain types of planwatch and the logic that needs no IO.
//!
//! - [`plan`]: the structured plan the parser produces (the `parse --format json` contract).
//! - [`quantity`]: the grammar of values, comparators and cumulative markers.

pub mod plan;
pub mod quantity;
