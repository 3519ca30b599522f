//! `mtaudit fix` at its default confidence never makes a text further from its reference:
//! run on a copy of each reference it changes nothing that raises the word error rate, and run
//! on a copy of each garbled article it lowers (or keeps) the error count exactly as
//! `mtaudit eval`'s fix gain says. The seed article (../shared/corpus/seed) must gain.

use mtaudit::audit::Auditor;
use mtaudit::config::DEFAULT_FIX_CONFIDENCE;
use mtaudit::eval::{word_edit_distance, Evaluation, GoldSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Copies `text` into a fresh folder (with an empty config file, so no stray mtaudit.toml
/// above it applies), runs `mtaudit fix` on it and returns the fixed text.
fn fix_copy(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("mtaudit.toml");
    std::fs::write(&config, "").unwrap();
    let file = dir.path().join("article.txt");
    std::fs::write(&file, text).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_mtaudit"))
        .arg("fix")
        .arg(&file)
        .env("MTAUDIT_CONFIG", &config)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read_to_string(&file).unwrap()
}

/// `eval`'s word errors after fixing (the same edits at the same confidence).
fn eval_errors_after(garbled: &str, reference: &str) -> usize {
    let mut evaluation = Evaluation::default();
    let set = GoldSet {
        name: "article".into(),
        garbled: garbled.into(),
        gold: Vec::new(),
        reference: Some(reference.into()),
    };
    evaluation.add_gold_set(&Auditor::default(), &set, DEFAULT_FIX_CONFIDENCE);
    evaluation.wer_errors_after
}

fn example_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/examples");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("reference.txt").is_file() && p.join("garbled.txt").is_file())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn fix_never_moves_a_reference_away_from_itself() {
    let dirs = example_dirs();
    assert!(!dirs.is_empty());
    for dir in dirs {
        let reference = std::fs::read_to_string(dir.join("reference.txt")).unwrap();
        let fixed = fix_copy(&reference);
        assert_eq!(
            word_edit_distance(&fixed, &reference),
            0,
            "{}: fix changed the reference",
            dir.display()
        );
    }
}

#[test]
fn fix_on_the_examples_agrees_with_eval_and_never_hurts() {
    for dir in example_dirs() {
        let garbled = std::fs::read_to_string(dir.join("garbled.txt")).unwrap();
        let reference = std::fs::read_to_string(dir.join("reference.txt")).unwrap();
        let fixed = fix_copy(&garbled);
        let before = word_edit_distance(&garbled, &reference);
        let after = word_edit_distance(&fixed, &reference);
        assert!(
            after <= before,
            "{}: {before} → {after} word errors",
            dir.display()
        );
        assert_eq!(
            after,
            eval_errors_after(&garbled, &reference),
            "{}",
            dir.display()
        );
    }
}

#[test]
fn fix_on_the_seed_lowers_the_word_error_rate() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/seed");
    let (Ok(garbled), Ok(reference)) = (
        std::fs::read_to_string(seed.join("garbled.txt")),
        std::fs::read_to_string(seed.join("reference.txt")),
    ) else {
        println!("skipped: {} is absent", seed.display());
        return;
    };
    let fixed = fix_copy(&garbled);
    let before = word_edit_distance(&garbled, &reference);
    let after = word_edit_distance(&fixed, &reference);
    println!("seed: {before} → {after} word errors");
    assert!(after < before, "seed: {before} → {after} word errors");
    assert_eq!(after, eval_errors_after(&garbled, &reference));
    assert_eq!(word_edit_distance(&fix_copy(&reference), &reference), 0);
}
