//! `--model FILE`: a house model built from a team's own prose teaches the context check
//! its phrasing, so pairs it attests are not flagged.

mod common;
use common::mtaudit;

fn context_findings(args: &[&std::ffi::OsStr]) -> usize {
    let out = mtaudit()
        .arg("check")
        .arg("--format")
        .arg("json")
        .args(args)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    report["files"][0]["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["findings"].as_array().unwrap().iter())
        .filter(|f| f["rule"] == "context")
        .count()
}

#[test]
fn a_house_model_attests_its_own_phrasing() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("house.txt");
    // A house style that says "market portion" where most English says "market share".
    std::fs::write(
        &corpus,
        "Our market portion grew this year. The company lost market portion to rivals.\n\n\
         Each quarter we report the market portion of every brand.",
    )
    .unwrap();
    let model = dir.path().join("house.mtlm");
    let built = mtaudit()
        .args(["model", "build"])
        .arg(&corpus)
        .arg("-o")
        .arg(&model)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let text = dir.path().join("article.txt");
    std::fs::write(
        &text,
        "The company lost market portion to cheaper rivals this year.",
    )
    .unwrap();

    assert_eq!(
        context_findings(&[text.as_os_str()]),
        1,
        "the default model flags it"
    );
    let with_house = [
        std::ffi::OsStr::new("--model"),
        model.as_os_str(),
        text.as_os_str(),
    ];
    assert_eq!(
        context_findings(&with_house),
        0,
        "the house model attests it"
    );
}

#[test]
fn a_missing_house_model_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("article.txt");
    std::fs::write(&text, "Fine words.").unwrap();
    let out = mtaudit()
        .args(["check", "--model", "no-such.mtlm"])
        .arg(&text)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such.mtlm"));
}
