#![cfg(unix)]
//! Every command that writes a user's file keeps that file's permissions, and a file it
//! creates gets the permissions any new file gets (0666 less the umask), not a temporary
//! file's owner-only ones.

mod common;

use std::fs::{self, Permissions};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

const FIXABLE: &str = "Officials said the forced downsizing of the jet was calm.\n";
const KEPT: u32 = 0o604;

fn run(dir: &Path, args: &[&str]) {
    let out = common::run_in(dir, args);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A folder with `name` holding `contents` and the unusual permissions `KEPT`.
fn with_file(name: &str, contents: &str) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("hostile-perm-")
        .tempdir()
        .unwrap();
    let path = dir.path().join(name);
    fs::write(&path, contents).unwrap();
    fs::set_permissions(&path, Permissions::from_mode(KEPT)).unwrap();
    dir
}

/// The permissions this process gives a new file.
fn ordinary(dir: &Path) -> u32 {
    let probe = dir.join("probe");
    fs::write(&probe, "").unwrap();
    let mode = mode(&probe);
    fs::remove_file(probe).unwrap();
    mode
}

#[test]
fn fix_keeps_permissions() {
    let dir = with_file("a.md", FIXABLE);
    run(dir.path(), &["fix", "a.md"]);
    let path = dir.path().join("a.md");
    assert!(fs::read_to_string(&path)
        .unwrap()
        .contains("forced landing"));
    assert_eq!(mode(&path), KEPT);
}

#[test]
fn baseline_keeps_permissions_or_gets_ordinary_ones() {
    let dir = with_file("baseline.json", "{}");
    fs::write(dir.path().join("a.md"), FIXABLE).unwrap();
    run(
        dir.path(),
        &["check", "a.md", "--write-baseline", "baseline.json"],
    );
    run(
        dir.path(),
        &["check", "a.md", "--write-baseline", "new.json"],
    );
    let kept = dir.path().join("baseline.json");
    assert!(fs::read_to_string(&kept).unwrap().contains("glossary"));
    assert_eq!(mode(&kept), KEPT);
    assert_eq!(mode(&dir.path().join("new.json")), ordinary(dir.path()));
}

#[test]
fn model_build_keeps_permissions_or_gets_ordinary_ones() {
    let dir = with_file("house.mtlm", "an older model");
    fs::write(dir.path().join("corpus.txt"), FIXABLE.repeat(20)).unwrap();
    run(
        dir.path(),
        &["model", "build", "corpus.txt", "-o", "house.mtlm"],
    );
    run(
        dir.path(),
        &["model", "build", "corpus.txt", "-o", "new.mtlm"],
    );
    let kept = dir.path().join("house.mtlm");
    assert_ne!(fs::read(&kept).unwrap(), b"an older model");
    assert_eq!(mode(&kept), KEPT);
    assert_eq!(mode(&dir.path().join("new.mtlm")), ordinary(dir.path()));
}

#[test]
fn review_keeps_permissions_and_new_files_get_ordinary_ones() {
    let dir = with_file("a.md", FIXABLE);
    fs::write(
        dir.path().join("decisions.txt"),
        "glossary house.tsv\nsave\nquit\n",
    )
    .unwrap();
    run(dir.path(), &["review", "--script", "decisions.txt", "a.md"]);
    let doc = dir.path().join("a.md");
    assert_eq!(mode(&doc), KEPT);
    let ordinary = ordinary(dir.path());
    let glossary = dir.path().join("house.tsv");
    assert!(fs::read_to_string(&glossary).unwrap().contains("forced"));
    assert_eq!(mode(&glossary), ordinary);
    assert_eq!(
        mode(&dir.path().join(".a.md.mtaudit-review.json")),
        ordinary
    );
}
