//! `mtaudit report`: work on reports already written.

use super::{error, EXIT_ERROR, EXIT_FAIL, EXIT_PASS};
use crate::report::merge::merge;
use clap::{Args, Subcommand};
use std::io::{self, Write};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(subcommand)]
    pub command: ReportCommand,
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Join the JSON reports of `check --shard K/N` runs (every shard once, in any order) into
    /// the report, summary and exit code that one run over all the inputs gives.
    Merge {
        /// The shards' JSON reports (`check --format json --shard K/N`).
        #[arg(value_name = "REPORT", required = true)]
        reports: Vec<PathBuf>,
    },
}

pub fn run(args: ReportArgs) -> u8 {
    match args.command {
        ReportCommand::Merge { reports } => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            let merged = merge(&reports, &mut out).and_then(|summary| {
                out.flush()
                    .map(|()| summary)
                    .map_err(crate::report::merge::MergeError::Write)
            });
            match merged {
                Ok(summary) if summary.passed => EXIT_PASS,
                Ok(_) => EXIT_FAIL,
                Err(e) => {
                    error(e);
                    EXIT_ERROR
                }
            }
        }
    }
}
