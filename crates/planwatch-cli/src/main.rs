//! `planwatch`: the command-line program. Each subcommand is a thin call into the libraries.

mod actuals;
mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// 规划监测评估系统 planwatch: plan documents in, monitoring and evaluation out.
#[derive(Parser)]
#[command(name = "planwatch", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse plan documents into structured JSON or a readable outline.
    Parse(cmd::parse::ParseArgs),
    /// Evaluate a plan's targets against observed figures.
    Evaluate(cmd::evaluate::EvaluateArgs),
    /// Check plans and work reports for inconsistencies.
    Check(cmd::check::CheckArgs),
    /// Parse plan documents and store them in the database (idempotent by file hash).
    Ingest(cmd::ingest::IngestArgs),
    /// Import data into the database (actual values from CSV or XLSX).
    Import(cmd::import::ImportArgs),
    /// Extract data from documents (actual values from statistical bulletins and work reports).
    Extract(cmd::extract::ExtractArgs),
    /// Export from the database (the XLSX monitoring ledger of a plan).
    Export(cmd::export::ExportArgs),
    /// Evaluate a stored plan against stored observations.
    Status(cmd::status::StatusArgs),
    /// Search the stored documents' text (hits are source lines).
    Search(cmd::search::SearchArgs),
    /// Draft the annual monitoring report or the mid-term/final evaluation of a stored plan.
    Report(cmd::report::ReportArgs),
    /// Accounts: create the first administrator; deactivate, reactivate, set a password,
    /// end sessions and tokens, list and remove grants.
    Admin(cmd::admin::AdminArgs),
    /// Write a consistent snapshot of the database to a file.
    Backup(cmd::backup::BackupArgs),
    /// Load a snapshot written by `backup` into an empty database.
    Restore(cmd::backup::RestoreArgs),
    /// Run the web application (`--demo` for sample data and demo logins).
    Serve(cmd::serve::ServeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => cmd::parse::run(args),
        Command::Evaluate(args) => cmd::evaluate::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Ingest(args) => cmd::ingest::run(args),
        Command::Import(args) => cmd::import::run(args),
        Command::Extract(args) => cmd::extract::run(args),
        Command::Export(args) => cmd::export::run(args),
        Command::Status(args) => cmd::status::run(args),
        Command::Report(args) => cmd::report::run(args),
        Command::Search(args) => cmd::search::run(args),
        Command::Admin(args) => cmd::admin::run(args),
        Command::Backup(args) => cmd::backup::backup(args),
        Command::Restore(args) => cmd::backup::restore(args),
        Command::Serve(args) => cmd::serve::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("错误：{err:#}");
            ExitCode::FAILURE
        }
    }
}
