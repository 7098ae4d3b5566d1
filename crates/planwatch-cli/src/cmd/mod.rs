//! One module per subcommand.

pub mod admin;
pub mod backup;
pub mod check;
pub mod db;
pub mod evaluate;
pub mod export;
pub mod extract;
pub mod import;
pub mod import_projects;
pub mod ingest;
pub mod parse;
pub mod report;
pub mod search;
pub mod serve;
pub mod status;
