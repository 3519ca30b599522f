//! `mtaudit review --script`: the real binary, decisions given as lines.

mod review_support;

use review_support::*;
use std::path::Path;

const LANDING: &str = "forced landing of the commercial flight";
const DOWNSIZING: &str = "forced downsizing of the commercial flight";

fn findings_json(doc: &Path, extra: &[&str]) -> Vec<String> {
    let out = mtaudit(doc.parent().unwrap())
        .args(["check", "--format", "json"])
        .args(extra)
        .arg(doc)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    report["files"][0]["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["findings"].as_array().unwrap().clone())
        .map(|f| f["text"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn accept_reject_edit_and_skip() {
    let (_dir, doc) = article(ARTICLE);
    let out = review_script(&doc, "accept\nreject\nedit Jensen’s\nskip\naccept\n");
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = read(&doc);
    assert!(text.contains(LANDING), "{text}");
    assert!(text.contains("everyone aboard the board."), "{text}");
    assert!(text.contains("Jensen’s comments"), "{text}");
    assert!(text.contains("the profound learning project"), "{text}");
    assert!(text.contains("the artificial intelligence lab"), "{text}");
    let log = stdout(&out);
    assert!(log.contains("[1/5]") && log.contains("“forced downsizing” → “forced landing”"));
    assert!(log.contains("saved "), "{log}");
}

#[test]
fn undo_goes_back_any_number_of_steps() {
    let (_dir, doc) = article(ARTICLE);
    let out = review_script(
        &doc,
        "accept\naccept\naccept\nundo\nundo\nundo\nreject\naccept\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = read(&doc);
    assert!(text.contains(DOWNSIZING), "{text}");
    assert!(text.contains("everyone on board."), "{text}");
    assert!(
        text.contains("Jensens comments"),
        "the third accept was undone: {text}"
    );
}

#[test]
fn a_second_review_resumes_and_never_asks_again_about_a_rejection() {
    let (dir, doc) = article(ARTICLE);
    let first = review_script(&doc, "reject\naccept\nsave\nquit\n");
    assert_eq!(first.status.code(), Some(0), "{}", stdout(&first));
    assert!(sidecar(&doc).exists());
    let second = review_script(&doc, "accept\n");
    assert_eq!(second.status.code(), Some(0), "{}", stdout(&second));
    let log = stdout(&second);
    assert!(log.contains("resuming at finding 2"), "{log}");
    assert!(!log.contains("“forced downsizing”"), "asked again: {log}");
    let text = read(&doc);
    assert!(text.contains(DOWNSIZING), "{text}");
    assert!(
        text.contains("everyone on board. Jensen's comments"),
        "{text}"
    );

    // check honours the review file: the rejected finding is not reported.
    assert!(findings_json(&doc, &[]).contains(&"forced downsizing".to_owned()));
    let review_file = sidecar(&doc);
    let hidden = findings_json(&doc, &["--review-file", review_file.to_str().unwrap()]);
    assert!(
        !hidden.contains(&"forced downsizing".to_owned()),
        "{hidden:?}"
    );
    assert!(
        hidden.contains(&"profound learning".to_owned()),
        "{hidden:?}"
    );
    drop(dir);
}

#[test]
fn glossary_adds_the_pair_to_a_glossary_file() {
    let (dir, doc) = article(ARTICLE);
    let out = review_script(&doc, "glossary house.tsv\nreject\n");
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let glossary = dir.path().join("house.tsv");
    let entries = mtaudit::checks::glossary::load_user_glossary(&glossary).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].bad, "forced downsizing");
    assert_eq!(entries[0].good, ["forced landing"]);
    assert!(read(&doc).contains(LANDING));
    // The same pair again is refused: the glossary would have a duplicate entry.
    let (_dir2, doc2) = article(ARTICLE);
    std::fs::copy(&glossary, doc2.with_file_name("house.tsv")).unwrap();
    let again = review_script(&doc2, "glossary house.tsv\n");
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("duplicate entry"));
    assert_eq!(read(&doc2), ARTICLE);
}

#[test]
fn suppress_hides_a_rule_here_and_in_check() {
    let (_dir, doc) = article(ARTICLE);
    let out = review_script(&doc, "suppress\naccept\n");
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let log = stdout(&out);
    assert!(log.contains("rule glossary suppressed"), "{log}");
    let text = read(&doc);
    assert!(text.contains("everyone on board."), "{text}");
    assert!(text.contains("the profound learning project"), "{text}");
    let review_file = sidecar(&doc);
    let shown = findings_json(&doc, &["--review-file", review_file.to_str().unwrap()]);
    assert_eq!(shown, ["Jensens"]);
}

#[test]
fn quit_without_save_discards() {
    let (_dir, doc) = article(ARTICLE);
    let out = review_script(&doc, "accept\naccept\nquit\naccept\n");
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("discarded"));
    assert_eq!(read(&doc), ARTICLE);
    assert!(!sidecar(&doc).exists());
}

#[test]
fn a_bad_line_stops_the_review_before_anything_changes() {
    let (_dir, doc) = article(ARTICLE);
    let out = review_script(&doc, "accept\nacept\n");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("<stdin>:2: unknown command `acept`"),
        "{stderr}"
    );
    let refused = review_script(&doc, "accept\npick 3\n");
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("<stdin>:2: `pick` refused"), "{stderr}");
    assert_eq!(read(&doc), ARTICLE);
    assert!(!sidecar(&doc).exists());
}

#[test]
fn a_corrupt_review_file_is_an_error_naming_it() {
    let (_dir, doc) = article(ARTICLE);
    std::fs::write(sidecar(&doc), "{\"version\": 1, \"decisions\": [oops]}").unwrap();
    let out = review_script(&doc, "accept\n");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(".article.txt.mtaudit-review.json: not a valid mtaudit review file"),
        "{stderr}"
    );
    assert_eq!(read(&doc), ARTICLE);
    let check = mtaudit(doc.parent().unwrap())
        .args(["check", "--review-file"])
        .arg(sidecar(&doc))
        .arg(&doc)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(2));
}

#[test]
fn without_a_terminal_or_a_script_it_says_what_to_do() {
    let (_dir, doc) = article(ARTICLE);
    let out = mtaudit(doc.parent().unwrap())
        .arg("review")
        .arg(&doc)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--script FILE"));
    let missing = mtaudit(doc.parent().unwrap())
        .args(["review", "--script", "-", "nope.txt"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nope.txt"));
}

#[test]
fn a_script_file_works() {
    // Permissions kept by review: tests/write_permissions.rs.
    let (dir, doc) = article(ARTICLE);
    let script = dir.path().join("decisions.txt");
    std::fs::write(&script, "# first the glossary term\naccept\n\nreject\n").unwrap();
    let out = mtaudit(dir.path())
        .args(["review", "--script"])
        .arg(&script)
        .arg(&doc)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(read(&doc).contains(LANDING));
}
