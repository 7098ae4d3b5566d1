//! Domain types of planwatch and the logic that needs no IO.
//!
//! - [`actuals`]: one row of an actuals file (CSV/XLSX) before it is stored or evaluated.
//! - [`codes`]: enums as the codes of the JSON contract and the database, one table each.
//! - [`plan`]: the structured plan the parser produces (the `parse --format json` contract).
//! - [`quantity`]: the grammar of values, comparators and cumulative markers.
//! - [`eval`]: targets, observations and the status engine (design §3).
//! - [`catalogue`]: canonical indicators, aliases and directions for matching across documents.
//! - [`consistency`]: checks across a plan's table and prose, and across documents.
//! - [`projects`]: key projects under tracking: fields, reporting cadence, and the class rule
//!   (正常/滞后/严重滞后/未开工/已竣工) with its warnings.
//! - [`validate`]: plausibility rules for years, numbers per unit, dates and text, shared by
//!   the web forms, the store's imports and the evaluation.
//! - [`wording`]: how people read codes, numbers, paces, times and punctuation: one
//!   place for the engine, the reports, the web pages and the command line.

pub mod actuals;
pub mod catalogue;
pub mod codes;
pub mod consistency;
pub mod eval;
pub mod plan;
pub mod projects;
pub mod quantity;
pub mod validate;
pub mod wording;
