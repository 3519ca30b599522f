#![cfg(unix)]
//! Interrupted runs never leave a user's file half-written. The real binary is stopped with
//! SIGINT, SIGTERM or SIGKILL at varied moments — after a delay, or as soon as a temporary
//! file shows that a write is under way — and every file must then hold exactly its old or
//! its new bytes. What is asserted never depends on when the signal lands: after SIGINT or
//! SIGTERM nothing is left beside the files; after SIGKILL only a temporary file with the
//! recognisable `.mtaudit-*.tmp` name may be, and the next run ignores it.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const SIGINT: i32 = 2;
const SIGKILL: i32 = 9;
const SIGTERM: i32 = 15;

fn mtaudit(dir: &Path) -> Command {
    let mut command = common::mtaudit_at(dir);
    command.env("NO_COLOR", "1");
    command
}

/// A sentence the glossary check corrects with high confidence ("forced landing").
const FIXABLE: &str = "Officials said the forced downsizing of the jet was calm.\n";

/// A Markdown file of about `bytes` bytes that is quick to audit (a code block) but slow to
/// write, with one sentence that `fix` corrects.
fn big_markdown(bytes: usize) -> String {
    let line = "let harbour_total = compute(alpha, beta, gamma); // keep the numbers in step\n";
    format!(
        "{FIXABLE}\n```rust\n{}```\n",
        line.repeat(bytes / line.len())
    )
}

/// Some megabytes of plain sentences for `model build`.
fn corpus(bytes: usize) -> String {
    let words = [
        "the",
        "council",
        "harbour",
        "museum",
        "budget",
        "roads",
        "schools",
        "debate",
        "approved",
        "after",
        "a",
        "long",
        "new",
        "roof",
        "covers",
        "courtyard",
        "weather",
        "hall",
        "concerts",
        "mayor",
        "spoke",
        "ferry",
        "timetable",
        "winter",
        "bridge",
        "river",
        "market",
        "library",
    ];
    // A fixed linear congruential sequence: varied text, the same on every run.
    let mut state: u64 = 7;
    let mut text = String::new();
    while text.len() < bytes {
        for i in 0..12 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            if i > 0 {
                text.push(' ');
            }
            text.push_str(words[(state >> 33) as usize % words.len()]);
        }
        text.push_str(".\n");
    }
    text
}

/// A run that writes user files: how to lay out its folder and what to run there.
struct Scenario {
    setup: fn(&Path),
    args: &'static [&'static str],
}

fn fix_setup(dir: &Path) {
    std::fs::write(dir.join("big.md"), big_markdown(12_000_000)).unwrap();
    for i in 0..4 {
        std::fs::write(dir.join(format!("small-{i}.md")), FIXABLE).unwrap();
    }
}

fn review_setup(dir: &Path) {
    std::fs::write(dir.join("big.md"), big_markdown(12_000_000)).unwrap();
    std::fs::write(dir.join("decisions.txt"), "accept\nsave\nquit\n").unwrap();
}

fn model_setup(dir: &Path) {
    std::fs::write(dir.join("corpus.txt"), corpus(3_000_000)).unwrap();
    std::fs::write(dir.join("house.mtlm"), "an older model").unwrap();
}

fn baseline_setup(dir: &Path) {
    fix_setup(dir);
    std::fs::write(dir.join("baseline.json"), "an older baseline").unwrap();
}

const FIX: Scenario = Scenario {
    setup: fix_setup,
    args: &["fix", "."],
};
const REVIEW: Scenario = Scenario {
    setup: review_setup,
    args: &["review", "--script", "decisions.txt", "big.md"],
};
const MODEL: Scenario = Scenario {
    setup: model_setup,
    args: &["model", "build", "corpus.txt", "-o", "house.mtlm"],
};
const BASELINE: Scenario = Scenario {
    setup: baseline_setup,
    args: &["check", ".", "--write-baseline", "baseline.json"],
};

/// Every file in `dir` (not in sub-folders) and its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

fn is_temporary(name: &str) -> bool {
    name.starts_with(".mtaudit-") && name.ends_with(".tmp")
}

fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("hostile-kill-{name}-"))
        .tempdir()
        .unwrap()
}

/// The files before and after an uninterrupted run.
fn old_and_new(
    scenario: &Scenario,
    name: &str,
) -> (BTreeMap<String, Vec<u8>>, BTreeMap<String, Vec<u8>>) {
    let dir = scratch(name);
    (scenario.setup)(dir.path());
    let old = files(dir.path());
    let out = mtaudit(dir.path()).args(scenario.args).output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "the uninterrupted run failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let new = files(dir.path());
    assert_ne!(old, new, "the run must change a file");
    (old, new)
}

/// When the signal is sent.
#[derive(Debug, Clone, Copy)]
enum Moment {
    After(Duration),
    /// As soon as a temporary file appears: in the middle of a write.
    MidWrite,
}

fn send(child: &Child, signal: i32) {
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success(), "kill -{signal} failed");
}

/// Starts the run, sends `signal` at `moment` (unless the run ended first) and waits for it.
/// Returns how it ended and whether the signal was sent while a temporary file existed.
fn interrupt(dir: &Path, scenario: &Scenario, signal: i32, moment: Moment) -> (ExitStatus, bool) {
    let mut child = mtaudit(dir)
        .args(scenario.args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mid_write = loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status, false);
        }
        let writing = std::fs::read_dir(dir)
            .unwrap()
            .any(|e| is_temporary(&e.unwrap().file_name().to_string_lossy()));
        let due = match moment {
            Moment::After(delay) => started.elapsed() >= delay,
            Moment::MidWrite => writing,
        };
        if due {
            send(&child, signal);
            break writing;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the run hangs"
        );
        std::thread::sleep(Duration::from_micros(500));
    };
    (child.wait().unwrap(), mid_write)
}

fn ended_by(status: ExitStatus, signal: i32) -> bool {
    use std::os::unix::process::ExitStatusExt;
    // Caught: the run cleans up and exits with 128 + the signal; before the handler is in
    // place the signal's default action ends it; a run that had already finished passed.
    status.code() == Some(128 + signal)
        || status.signal() == Some(signal)
        || matches!(status.code(), Some(0 | 1))
}

fn check_interrupted(scenario: &Scenario, name: &str, delays_ms: [u64; 3]) {
    let (old, new) = old_and_new(scenario, name);
    let mut mid_writes = 0;
    for (signal, delay) in [SIGINT, SIGTERM, SIGKILL].into_iter().zip(delays_ms) {
        for moment in [
            Moment::After(Duration::from_millis(delay)),
            Moment::MidWrite,
        ] {
            let dir = scratch(name);
            (scenario.setup)(dir.path());
            let (status, mid_write) = interrupt(dir.path(), scenario, signal, moment);
            mid_writes += usize::from(mid_write);
            let context = format!("{name}, signal {signal} at {moment:?}: {status:?}");
            assert!(ended_by(status, signal), "{context}");
            let after = files(dir.path());
            for (file, bytes) in &after {
                if is_temporary(file) {
                    assert_eq!(signal, SIGKILL, "{context}: {file} left behind");
                    continue;
                }
                let was = old.get(file);
                let is_new = new.get(file) == Some(bytes);
                assert!(
                    was == Some(bytes) || is_new,
                    "{context}: {file} is neither old nor new ({} bytes)",
                    bytes.len()
                );
            }
            for file in old.keys() {
                assert!(after.contains_key(file), "{context}: {file} was lost");
            }
            let leftovers: Vec<(&str, &[u8])> = after
                .iter()
                .filter(|(name, _)| is_temporary(name))
                .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
                .collect();
            if !leftovers.is_empty() {
                next_run_ignores(&leftovers);
            }
        }
    }
    eprintln!("{name}: {mid_writes} of 3 signals sent in the middle of a write");
}

/// A run after a `kill -9` neither audits nor names the temporary files it left: they are
/// put beside an ordinary file, and the folder is audited and fixed.
fn next_run_ignores(leftovers: &[(&str, &[u8])]) {
    let dir = scratch("leftovers");
    std::fs::write(dir.path().join("note.txt"), FIXABLE).unwrap();
    for (name, bytes) in leftovers {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    for command in ["check", "fix"] {
        let out = mtaudit(dir.path()).args([command, "."]).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stdout.contains("note.txt"), "{command}: {stdout}");
        assert_ne!(out.status.code(), Some(2), "{command}: {stderr}");
        for (name, bytes) in leftovers {
            assert!(!stdout.contains(name), "{command} audited {name}: {stdout}");
            assert!(!stderr.contains(name), "{command} named {name}: {stderr}");
            assert_eq!(std::fs::read(dir.path().join(name)).unwrap(), *bytes);
        }
    }
}

#[test]
fn a_leftover_temporary_file_is_ignored() {
    let garbled = format!("{FIXABLE}\0 and a NUL byte");
    next_run_ignores(&[(".mtaudit-Xy12Ab.tmp", garbled.as_bytes())]);
}

#[test]
fn fix_interrupted_leaves_every_file_old_or_new() {
    check_interrupted(&FIX, "fix", [150, 600, 1000]);
}

#[test]
fn review_save_interrupted_leaves_every_file_old_or_new() {
    check_interrupted(&REVIEW, "review", [200, 700, 1100]);
}

#[test]
fn model_build_interrupted_leaves_the_model_old_or_new() {
    check_interrupted(&MODEL, "model", [100, 500, 900]);
}

#[test]
fn write_baseline_interrupted_leaves_it_old_or_new() {
    check_interrupted(&BASELINE, "baseline", [150, 600, 1000]);
}
