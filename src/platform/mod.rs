//! Everything that differs between operating systems, in one place: file modes and device
//! files, symbolic links, termination signals, and waiting for a key on the terminal.
//!
//! `unix.rs` (Linux, macOS, the BSDs) uses what those systems offer; `portable.rs` is the
//! path for every other target (Windows), built only on what std, signal-hook and crossterm
//! abstract. Code elsewhere calls the functions re-exported here and imports nothing
//! platform-specific (`std::os::unix`, `std::os::windows`, `libc`, signal numbers): a unit test
//! below reads the sources and fails on any such import outside this folder.

#[cfg(not(unix))]
mod portable;
#[cfg(not(unix))]
pub mod portable_write;
#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub mod unix_write;

#[cfg(not(unix))]
pub use portable::*;
#[cfg(unix)]
pub use unix::*;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// What waiting for a key on the terminal found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TerminalReadiness {
    /// A key (or more) to read.
    Ready,
    /// Nothing yet.
    Idle,
    /// The terminal is gone: hung up, or closed.
    Closed,
}

/// Termination signals caught into a number for as long as the value is kept (the number
/// of the last one caught; 0 for none), instead of ending the process.
pub struct CaughtSignals {
    caught: Arc<AtomicUsize>,
    handlers: Vec<signal_hook::SigId>,
}

impl CaughtSignals {
    pub fn catch(signals: &[i32]) -> CaughtSignals {
        let caught = Arc::new(AtomicUsize::new(0));
        let handlers = signals
            .iter()
            .filter_map(|&sig| {
                signal_hook::flag::register_usize(sig, caught.clone(), sig as usize).ok()
            })
            .collect();
        CaughtSignals { caught, handlers }
    }

    /// The termination signal caught, if any.
    pub fn caught(&self) -> Option<usize> {
        Some(self.caught.load(Ordering::SeqCst)).filter(|&s| s != 0)
    }
}

impl Drop for CaughtSignals {
    fn drop(&mut self) {
        for id in self.handlers.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    /// Imports that only build on some systems.
    const PLATFORM_SPECIFIC: [&str; 5] = [
        "std::os::unix",
        "std::os::windows",
        "std::os::fd",
        "libc::",
        "signal_hook::consts",
    ];

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// The platform-specific imports in `text`, by line number; comments are not code.
    fn platform_imports(text: &str) -> Vec<(usize, &'static str)> {
        text.lines()
            .enumerate()
            .filter(|(_, line)| !line.trim_start().starts_with("//"))
            .flat_map(|(i, line)| {
                PLATFORM_SPECIFIC
                    .iter()
                    .filter(move |p| line.contains(*p))
                    .map(move |p| (i + 1, *p))
            })
            .collect()
    }

    #[test]
    fn the_scan_sees_each_kind_of_import() {
        for import in PLATFORM_SPECIFIC {
            let code = format!("use {import}whatever;\n");
            assert_eq!(platform_imports(&code).len(), 1, "{import}");
        }
        assert!(platform_imports("// std::os::unix in a comment\n").is_empty());
    }

    /// Platform code lives in `src/platform/`. An integration test that exercises one
    /// system's behaviour (signals, modes) says so with `#![cfg(unix)]` on its first line.
    #[test]
    fn no_platform_specific_import_outside_the_platform_module() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["src", "tests", "benches", "examples"] {
            if root.join(dir).is_dir() {
                rust_files(&root.join(dir), &mut files);
            }
        }
        assert!(files.len() > 50, "the scan found the sources");
        let mut offences = Vec::new();
        for file in files {
            let relative = file.strip_prefix(root).unwrap();
            if relative.starts_with("src/platform") {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            let whole_file_gated = !relative.starts_with("src")
                && text
                    .lines()
                    .next()
                    .is_some_and(|l| l.trim() == "#![cfg(unix)]");
            if whole_file_gated {
                continue;
            }
            for (line, import) in platform_imports(&text) {
                offences.push(format!("{}:{line}: {import}", relative.display()));
            }
        }
        assert!(
            offences.is_empty(),
            "platform-specific code outside src/platform:\n{}",
            offences.join("\n")
        );
    }
}
