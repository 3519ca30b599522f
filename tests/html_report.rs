//! The HTML report in headless Chromium: the page loads, shows every finding, and the
//! category and severity filters (set through the URL hash, which drives the same code as
//! the checkboxes) hide exactly the findings they should. Skipped with a notice when no
//! Chromium is installed, except under CI, where it must run.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const FIXTURES: &str = "tests/cmd/bilingual.in";

fn mtaudit(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_mtaudit"))
        .current_dir(FIXTURES)
        .args(args)
        .output()
        .expect("run mtaudit");
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "mtaudit failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 report")
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// The DOM after the page's scripts ran, from a fresh browser profile.
fn dump_dom(browser: &str, page: &Path, hash: &str) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let url = format!("file://{}{hash}", page.display());
    let out = Command::new("timeout")
        .arg("120")
        .arg(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("run chromium");
    assert!(out.status.success(), "chromium failed on {url}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every `<li class="finding …">` opening tag: (severity, category, hidden).
fn finding_tags(dom: &str) -> Vec<(String, String, bool)> {
    let attr = |tag: &str, name: &str| -> String {
        let key = format!("{name}=\"");
        tag.find(&key)
            .map(|i| {
                let rest = &tag[i + key.len()..];
                rest[..rest.find('"').unwrap_or(rest.len())].to_owned()
            })
            .unwrap_or_default()
    };
    dom.match_indices("<li class=\"finding")
        .map(|(i, _)| {
            let tag = &dom[i..i + dom[i..].find('>').unwrap_or(0)];
            (
                attr(tag, "data-severity"),
                attr(tag, "data-category"),
                tag.contains(" hidden"),
            )
        })
        .collect()
}

fn shown(dom: &str) -> usize {
    let key = "data-shown=\"";
    let i = dom.find(key).expect("the page script ran") + key.len();
    dom[i..i + dom[i..].find('"').unwrap()].parse().unwrap()
}

#[test]
fn html_report_in_headless_chromium() {
    let Some(browser) = chromium() else {
        if std::env::var_os("CI").is_some() {
            panic!("chromium is required in CI (apt-get install chromium chromium-driver)");
        }
        eprintln!("notice: chromium not installed; skipping the headless HTML report test");
        return;
    };
    let inputs = [
        "--termbase",
        "terms.tsv",
        "delivery.xlf",
        "delivery-2.0.xlf",
        "messages.po",
        "memory.tmx",
        "delivery.tsv",
        "delivery.csv",
    ];
    let json: Value = serde_json::from_str(&mtaudit(
        &[&["check", "--format", "json"], &inputs[..]].concat(),
    ))
    .unwrap();
    let findings: Vec<&Value> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["sentences"].as_array().unwrap())
        .flat_map(|s| s["findings"].as_array().unwrap())
        .collect();
    assert!(findings.len() >= 10, "fixtures give a varied report");
    let count = |key: &str, value: &str| findings.iter().filter(|f| f[key] == value).count();

    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(
        &page,
        mtaudit(&[&["check", "--format", "html"], &inputs[..]].concat()),
    )
    .unwrap();

    // The page loads and shows every finding with its message.
    let dom = dump_dom(browser, &page, "");
    assert!(dom.contains("mtaudit report"));
    assert_eq!(shown(&dom), findings.len());
    let tags = finding_tags(&dom);
    assert_eq!(tags.len(), findings.len());
    assert!(tags.iter().all(|(_, _, hidden)| !hidden));
    for f in &findings {
        let message = f["message"].as_str().unwrap().replace('&', "&amp;");
        let message = message.replace('<', "&lt;").replace('>', "&gt;");
        assert!(dom.contains(&message), "message missing: {message}");
    }

    // Severity filter.
    let dom = dump_dom(browser, &page, "#severity=minor");
    assert_eq!(shown(&dom), count("severity", "minor"));
    for (severity, _, hidden) in finding_tags(&dom) {
        assert_eq!(hidden, severity != "minor");
    }

    // Category filter, and both together.
    let dom = dump_dom(browser, &page, "#category=untranslated,markup");
    let want = count("category", "untranslated") + count("category", "markup");
    assert!(want > 0);
    assert_eq!(shown(&dom), want);
    let dom = dump_dom(browser, &page, "#category=terminology&severity=major");
    let want = findings
        .iter()
        .filter(|f| f["category"] == "terminology" && f["severity"] == "major")
        .count();
    assert!(want > 0);
    assert_eq!(shown(&dom), want);
    for (severity, category, hidden) in finding_tags(&dom) {
        assert_eq!(hidden, !(severity == "major" && category == "terminology"));
    }
}
