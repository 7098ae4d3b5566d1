//! The wording of everything planwatch writes for people, in one place: the engine's
//! explanations, the reports, the web pages and the command line all take their
//! numbers, paces, labels, times and punctuation rules from here, so the same figure
//! reads the same everywhere.
//!
//! - [`numbers`]: figures (`951.4`, not `951.3975`), percentages, and the pace a target
//!   needs in words (`每年提高0.26个百分点`, never `每年变动0.26`).
//! - [`labels`]: the one table of codes (`planner`, `in_progress`, `growth_rate`) and
//!   their zh-CN words.
//! - [`time`]: stored UTC timestamps as local time (北京时间 unless configured).
//! - [`punct`]: full-width punctuation in Chinese sentences (GB/T 15834), and the check
//!   the tests run over every text the crates generate.

pub mod labels;
pub mod numbers;
pub mod punct;
pub mod time;

pub use labels::{Domain, label};
pub use numbers::{PaceKind, fig, pace_phrase, per_year_unit, percent, tidy_numbers};
pub use time::LocalTime;
