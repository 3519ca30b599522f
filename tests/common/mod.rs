//! What the integration tests that run the binary share.

#![allow(dead_code)] // each test file uses its own part

use std::path::Path;
use std::process::{Command, Output};

/// The binary under test.
pub fn mtaudit() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mtaudit"))
}

/// The binary under test, to be run in `dir`.
pub fn mtaudit_at(dir: &Path) -> Command {
    let mut command = mtaudit();
    command.current_dir(dir);
    command
}

/// Runs the binary in `dir` with `args`, to its end.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    mtaudit_at(dir).args(args).output().unwrap()
}
