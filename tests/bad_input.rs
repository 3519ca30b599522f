//! Bad input that is awkward to keep as fixture files: huge, unreadable.

mod common;
use common::mtaudit;

#[test]
fn twenty_megabytes_without_a_newline() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one-line.txt");
    let sentence = "the council approved the budget after a long debate about roads and schools ";
    let text = sentence.repeat(20_000_000 / sentence.len() + 1);
    std::fs::write(&path, &text).unwrap();
    let out = mtaudit()
        .arg("check")
        .arg("--format")
        .arg("json")
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {stderr}",
        out.status
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let words = report["summary"]["words"].as_u64().unwrap();
    assert!(words > 3_000_000, "only {words} words audited");
}

#[test]
fn unreadable_file_is_an_error_and_others_are_still_audited() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.txt");
    std::fs::write(&good, "The council met on Tuesday.").unwrap();
    // Reading a process's own memory file at offset 0 fails even for root, unlike chmod 000.
    let unreadable = std::path::Path::new("/proc/self/mem");
    let out = mtaudit()
        .arg("check")
        .arg(unreadable)
        .arg(&good)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("mtaudit: error: /proc/self/mem:"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stdout.contains("good.txt: score 100.0/100, passed"),
        "{stdout}"
    );
}

/// The reports say why a run failed: every input not audited reaches the JSON summary and
/// SARIF's invocation, not only stderr.
#[test]
fn inputs_not_audited_are_listed_in_json_and_sarif() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.txt");
    std::fs::write(&good, "The council met on Tuesday.").unwrap();
    let missing = dir.path().join("missing.txt");
    let run = |format: &str| {
        let out = mtaudit()
            .args(["check", "--format", format])
            .arg(&good)
            .arg(&missing)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let json = run("json");
    assert_eq!(json["summary"]["passed"], false);
    let problems = json["summary"]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["kind"], "error");
    assert_eq!(problems[0]["path"], missing.display().to_string());
    let sarif = run("sarif");
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["level"], "error");
}
