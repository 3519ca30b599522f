//! Inputs too large to hold whole, and runs split into shards.

mod common;
use common::run_in;
use mtaudit::input::sections::WHOLE_UP_TO;
use std::path::Path;
use std::process::Command;

const GARBLE: &str = "colossal information";
const PARAGRAPH: &str = "Retailers use colossal information to forecast demand.\n\n";

/// A plain-text file over the size that is audited whole: mostly link lines, which
/// are not prose and cost little to audit, with the same garbled paragraph at the start, in
/// the middle and at the end. Returns the file's text.
fn large_file(path: &Path) -> String {
    let mut text = String::from(PARAGRAPH);
    let links = |text: &mut String, from: usize| {
        for i in from..from + 130_000 {
            text.push_str(&format!("https://example.org/archive/{i:07}\n"));
        }
        text.push('\n');
    };
    links(&mut text, 0);
    text.push_str(PARAGRAPH);
    links(&mut text, 130_000);
    text.push_str(PARAGRAPH);
    assert!(text.len() > WHOLE_UP_TO, "{} bytes", text.len());
    std::fs::write(path, &text).unwrap();
    text
}

#[test]
fn a_large_file_is_audited_in_sections_with_the_files_positions() {
    let dir = tempfile::tempdir().unwrap();
    let text = large_file(&dir.path().join("big.txt"));
    let out = run_in(dir.path(), &["check", "--format", "json", "big.txt"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    assert!(files.len() > 1, "one section only");
    assert!(files.iter().all(|f| f["path"] == "big.txt"));
    assert_eq!(report["summary"]["files"], 1);

    let found: Vec<(u64, u64, u64)> = files
        .iter()
        .flat_map(|f| f["sentences"].as_array().unwrap())
        .flat_map(|s| s["findings"].as_array().unwrap())
        .filter(|f| f["text"] == GARBLE)
        .map(|f| {
            let n = |k: &str| f[k].as_u64().unwrap();
            (n("start"), n("line"), n("column"))
        })
        .collect();
    let expected: Vec<(u64, u64, u64)> = text
        .match_indices(GARBLE)
        .map(|(at, _)| {
            let line = text[..at].matches('\n').count() + 1;
            let column = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
            (at as u64, line as u64, column as u64)
        })
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn a_large_files_diff_applies_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let text = large_file(&dir.path().join("big.txt"));
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--format",
            "diff",
            "--confidence",
            "0.5",
            "big.txt",
        ],
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout)
            .matches("diff --git")
            .count(),
        1,
        "one header for the file"
    );
    std::fs::write(dir.path().join("fix.patch"), &out.stdout).unwrap();
    let applied = Command::new("git")
        .current_dir(dir.path())
        .args(["apply", "fix.patch"])
        .output()
        .unwrap();
    assert!(
        applied.status.success(),
        "{}",
        String::from_utf8_lossy(&applied.stderr)
    );
    let fixed = std::fs::read_to_string(dir.path().join("big.txt")).unwrap();
    assert_eq!(fixed, text.replace(GARBLE, "big data"));
}

#[test]
fn shards_merge_into_the_report_of_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).unwrap();
    let texts = [
        "The council approved the budget on Tuesday.",
        PARAGRAPH,
        "Stoltenbergs comments drew a sharp reply.",
        "Farmers expect a good harvest this year.",
        "Researchers trained an irregular woodland on the survey data.",
        "The museum opens a new wing in May.",
        "She said the talks went well.",
    ];
    for (i, text) in texts.iter().enumerate() {
        std::fs::write(articles.join(format!("{i}.txt")), text).unwrap();
    }
    let whole = run_in(dir.path(), &["check", "--format", "json", "articles"]);
    let mut reports = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let out = run_in(
            dir.path(),
            &["check", "--format", "json", "--shard", &shard, "articles"],
        );
        let name = format!("shard-{k}.json");
        std::fs::write(dir.path().join(&name), &out.stdout).unwrap();
        reports.push(name);
    }
    // The order given does not matter: each report says which shard it is.
    reports.reverse();
    let mut args = vec!["report", "merge"];
    args.extend(reports.iter().map(String::as_str));
    let merged = run_in(dir.path(), &args);
    assert_eq!(
        String::from_utf8(merged.stdout).unwrap(),
        String::from_utf8(whole.stdout).unwrap()
    );
    assert_eq!(merged.status.code(), whole.status.code());
    assert_eq!(whole.status.code(), Some(1));
}

#[test]
fn merging_an_incomplete_set_of_shards_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "The council met.").unwrap();
    let out = run_in(
        dir.path(),
        &["check", "--format", "json", "--shard", "1/2", "a.txt"],
    );
    std::fs::write(dir.path().join("1.json"), &out.stdout).unwrap();
    let merged = run_in(dir.path(), &["report", "merge", "1.json"]);
    assert_eq!(merged.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&merged.stderr);
    assert!(
        stderr.contains("missing the report of shard 2/2"),
        "{stderr}"
    );
}
