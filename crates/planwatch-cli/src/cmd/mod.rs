//! One module per subcommand.

pub mod bench;
pub mod bench_eval;
pub mod check;
pub mod evaluate;
pub mod parse;
