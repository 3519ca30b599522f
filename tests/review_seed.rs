//! The seed article (`../shared/corpus/seed/garbled.txt`, read at test time and never copied
//! into the repository): accepting every suggestion gives what `mtaudit fix --confidence 0`
//! gives, and rejecting every one leaves the file byte-identical — by script and by keys.

mod review_support;

use mtaudit::audit::Auditor;
use mtaudit::fix::{apply, select_edits};
use mtaudit::input::Format;
use review_support::*;
use std::path::Path;

fn seed() -> Option<String> {
    // MTAUDIT_SEED names another copy, for a checkout that is not beside shared/.
    let path = std::env::var_os("MTAUDIT_SEED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/seed/garbled.txt")
        });
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            eprintln!(
                "skipping: seed article {} not readable ({e})",
                path.display()
            );
            None
        }
    }
}

/// Every top suggestion applied, as `fix --confidence 0` does.
fn fixed(text: &str) -> (String, usize) {
    let report = Auditor::default().audit_text("garbled.txt", text, Format::Text);
    let findings = report.findings().count();
    (apply(text, &select_edits(report.findings(), 0.0)), findings)
}

#[test]
fn accepting_every_suggestion_by_script_equals_fix_at_confidence_0() {
    let Some(text) = seed() else { return };
    let (expected, findings) = fixed(&text);
    assert_ne!(expected, text, "the seed has suggestions");
    let (dir, doc) = document("garbled.txt", &text);
    let out = review_script(&doc, &"accept\n".repeat(findings));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(read(&doc), expected);

    // The same as the real `mtaudit fix --confidence 0`.
    let other = dir.path().join("fixed.txt");
    std::fs::write(&other, &text).unwrap();
    let fix = mtaudit(dir.path())
        .args(["fix", "--confidence", "0"])
        .arg(&other)
        .output()
        .unwrap();
    assert_eq!(fix.status.code(), Some(0));
    assert_eq!(read(&other), expected);
}

#[test]
fn rejecting_every_suggestion_by_script_leaves_the_file_byte_identical() {
    let Some(text) = seed() else { return };
    let (dir, doc) = document("garbled.txt", &text);
    let out = review_script(&doc, &"reject\n".repeat(200));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("(file unchanged)"));
    assert_eq!(std::fs::read(&doc).unwrap(), text.as_bytes());
    // And a second review has nothing left to ask.
    let again = review_script(&doc, "accept\n");
    assert!(
        stdout(&again).contains("no finding left"),
        "{}",
        stdout(&again)
    );
    assert_eq!(std::fs::read(&doc).unwrap(), text.as_bytes());
    drop(dir);
}

/// Presses `key` until every finding has been gone through, then saves and quits.
fn every_finding_by_key(text: &str, key: &str, findings: usize) -> Vec<u8> {
    let (dir, doc) = document("garbled.txt", text);
    // A server of its own per key: the previous one may still be shutting down.
    let tmux = Tmux::start(
        &format!("seed-{key}"),
        dir.path(),
        "review garbled.txt",
        100,
        30,
    );
    tmux.wait_for(&format!("finding 1 of {findings}"));
    for _ in 0..findings {
        tmux.keys(&[key]);
    }
    tmux.wait_for(&format!("all {findings} findings gone through"));
    tmux.key_then("s", "saved garbled.txt");
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
    std::fs::read(&doc).unwrap()
}

#[test]
fn accepting_or_rejecting_every_suggestion_by_key() {
    if !tmux_available("accepting_or_rejecting_every_suggestion_by_key") {
        return;
    }
    let Some(text) = seed() else { return };
    let (expected, findings) = fixed(&text);
    assert_eq!(
        every_finding_by_key(&text, "a", findings),
        expected.as_bytes()
    );
    assert_eq!(every_finding_by_key(&text, "r", findings), text.as_bytes());
}
