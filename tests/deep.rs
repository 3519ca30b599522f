//! The deep tier end to end, with the reference model when it is in the cache (`mtaudit lm
//! fetch` or tools/fetch-lm put it there; .ci/run does). Without it the model tests say that
//! they are skipped and pass; the error paths need no model. A build without the `deep`
//! feature refuses `--deep` (exit 2).

mod common;

use std::process::Output;

/// Runs the binary with `args`, `input` on standard input.
fn mtaudit(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = common::mtaudit()
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The reference model, when it has been fetched.
#[cfg(feature = "deep")]
fn reference_model() -> Option<std::path::PathBuf> {
    let path = mtaudit::deep::store::reference_path()?;
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "SKIPPED: the deep tier's reference model is not in {} (run `mtaudit lm fetch`)",
            path.display()
        );
        None
    }
}

#[cfg(feature = "deep")]
#[test]
fn a_swapped_word_is_found_and_the_intended_word_proposed() {
    let Some(model) = reference_model() else {
        return;
    };
    let model = model.to_str().unwrap();
    // Our own sentences: "under" swapped for a thesaurus neighbour that does not fit.
    let text = "A fire broke out in a warehouse near the docks on Sunday night. \
                Fire fighters battled the blaze for six hours before they brought it beneath control.\n";
    let output = mtaudit(
        &["check", "--deep", "--lm", model, "--format", "json", "-"],
        text,
    );
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(
        report.contains("\"under\""),
        "no “under” suggested:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(report.contains("times likelier"), "{report}");
}

#[cfg(feature = "deep")]
#[test]
fn clean_sentences_stay_clean() {
    let Some(model) = reference_model() else {
        return;
    };
    let text = "The council met on Tuesday evening to discuss the budget. \
                Members agreed to repair the library roof before the winter. \
                The work will begin next month and should take six weeks.\n";
    let output = mtaudit(
        &[
            "check",
            "--deep",
            "--lm",
            model.to_str().unwrap(),
            "--format",
            "json",
            "-",
        ],
        text,
    );
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(!report.contains("\"rule\": \"deep\""), "{report}");
}

#[cfg(feature = "deep")]
#[test]
fn the_deep_tier_counts_every_byte_it_reads_on_the_progress_bar() {
    use mtaudit::audit::Auditor;
    use mtaudit::input::Format;
    let Some(model) = reference_model() else {
        return;
    };
    let deep = mtaudit::deep::Deep::load(Some(&model), None).unwrap();
    let mut auditor = Auditor::default();
    auditor.deep = Some(std::sync::Arc::new(deep));
    assert!(auditor.is_deep());
    let bar = indicatif::ProgressBar::hidden();
    auditor.show_progress(&bar);
    // Markdown: the code block is no prose, and its bytes count all the same.
    let text = "# Harbour notes\n\nThe ferry left at dawn. It reached the island by noon.\n\n\
                ```\nlet x = 1;\n```\n\nThe crew rested before the trip back.\n";
    auditor.audit_text("notes.md", text, Format::Markdown);
    assert_eq!(bar.position(), text.len() as u64);
    auditor.audit_text("notes.md", text, Format::Markdown);
    assert_eq!(bar.position(), 2 * text.len() as u64);
}

#[cfg(feature = "deep")]
#[test]
fn a_file_that_is_not_a_model_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.gguf");
    std::fs::write(&path, b"GGUF\x03\x00\x00\x00 this is not a model").unwrap();
    let output = mtaudit(
        &["check", "--deep", "--lm", path.to_str().unwrap(), "-"],
        "Text.\n",
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("broken.gguf"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[cfg(feature = "deep")]
#[test]
fn a_missing_model_file_is_an_input_error() {
    let output = mtaudit(
        &["check", "--lm", "/nonexistent/model.gguf", "-"],
        "Text.\n",
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("/nonexistent/model.gguf"), "{stderr}");
}

#[cfg(not(feature = "deep"))]
#[test]
fn a_build_without_the_deep_tier_refuses_it_and_says_so() {
    for args in [
        &["check", "--deep", "-"][..],
        &["check", "--lm", "/nonexistent/model.gguf", "-"],
        &["lm", "info"],
    ] {
        let output = mtaudit(args, "Text.\n");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.contains("built without the deep tier") && stderr.contains("--features deep"),
            "{args:?}: {stderr}"
        );
    }
}

#[cfg(not(feature = "deep"))]
#[test]
fn a_config_file_that_asks_for_the_deep_tier_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mtaudit.toml"), "deep = true\n").unwrap();
    std::fs::write(dir.path().join("note.txt"), "Text.\n").unwrap();
    let output = common::run_in(dir.path(), &["check", "note.txt"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("mtaudit.toml:1") && stderr.contains("built without the deep tier"),
        "{stderr}"
    );
}
