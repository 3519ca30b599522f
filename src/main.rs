use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    mtaudit::cli::run(mtaudit::cli::Cli::parse())
}
