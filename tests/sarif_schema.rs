//! SARIF output validates against the SARIF 2.1.0 JSON schema (tests/schema, see NOTICE).

mod json_schema;

use mtaudit::audit::Auditor;
use mtaudit::input::Format;
use mtaudit::report::{self, InputProblem, OutputFormat, ProblemKind, Sink, Style, Summary};
use serde_json::Value;
use std::path::Path;

/// The SARIF log of what `feed` gives the sink (and adds to the summary).
fn sarif_log(feed: impl FnOnce(&mut dyn Sink, &mut Summary)) -> Value {
    let mut out = Vec::new();
    {
        let mut sink = report::sink(
            OutputFormat::Sarif,
            Box::new(&mut out),
            Style { color: false },
            0.7,
            None,
        );
        let mut summary = Summary::new();
        feed(sink.as_mut(), &mut summary);
        sink.finish(&summary).unwrap();
    }
    serde_json::from_slice(&out).expect("SARIF output is JSON")
}

fn sarif_of(name: &str, text: &str) -> Value {
    let report = Auditor::default().audit_text(name, text, Format::Text);
    sarif_log(|sink, summary| {
        summary.add(&report);
        sink.file(&report).unwrap();
    })
}

fn fix_language_patterns(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if key == "pattern" && value == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" {
                    *value = Value::from("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
                } else {
                    fix_language_patterns(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(fix_language_patterns),
        _ => {}
    }
}

fn schema_errors(log: &Value) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/schema/sarif-2.1.0-rtm.5.json")).unwrap(),
    )
    .unwrap();
    // The vendored schema's `language` patterns have a stray `]` (fixed in the OASIS errata);
    // the validator rejects it as a regex, so the errata's pattern is used instead.
    let mut schema = schema;
    fix_language_patterns(&mut schema);
    let validator = json_schema::Validator::new(schema).expect("the schema compiles");
    validator.errors(log)
}

fn validate(log: &Value) {
    let errors = schema_errors(log);
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

#[test]
fn seed_article_sarif_is_valid() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/seed/garbled.txt");
    let Ok(text) = std::fs::read_to_string(&seed) else {
        println!("skipped: {} is absent", seed.display());
        return;
    };
    let log = sarif_of("garbled.txt", &text);
    validate(&log);
    let results = results(&log);
    assert!(!results.is_empty(), "the seed has findings");
    assert!(
        results.iter().any(|r| r["fixes"].is_array()),
        "some findings carry fixes"
    );
}

#[test]
fn example_article_sarif_is_valid_with_rules_regions_and_fixes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text =
        std::fs::read_to_string(root.join("corpora/examples/harbour-museum/garbled.txt")).unwrap();
    let log = sarif_of("corpora/examples/harbour-museum/garbled.txt", &text);
    validate(&log);
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules
        .iter()
        .all(|r| r["help"]["text"].as_str().is_some_and(|t| !t.is_empty())));
    for result in results(&log) {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let region = &result["locations"][0]["physicalLocation"]["region"];
        let (start, len) = (
            region["byteOffset"].as_u64().unwrap() as usize,
            region["byteLength"].as_u64().unwrap() as usize,
        );
        assert_eq!(region["snippet"]["text"], text[start..start + len]);
        for fix in result["fixes"].as_array().into_iter().flatten() {
            let replacement = &fix["artifactChanges"][0]["replacements"][0];
            assert_eq!(
                replacement["deletedRegion"]["byteOffset"],
                region["byteOffset"]
            );
        }
    }
}

#[test]
fn a_clean_text_gives_a_valid_empty_log() {
    let log = sarif_of("clean.txt", "A perfectly ordinary sentence.");
    validate(&log);
    assert!(results(&log).is_empty());
}

#[test]
fn the_schema_check_catches_a_bad_log() {
    let log = sarif_of("a.txt", "The forced downsizing of a commercial flight.");
    assert!(!results(&log).is_empty());
    assert!(schema_errors(&log).is_empty());
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["level"] = Value::from("loud");
    assert!(!schema_errors(&bad).is_empty(), "a value outside an enum");
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(
        !schema_errors(&bad).is_empty(),
        "a required property missing"
    );
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["surprise"] = Value::from(1);
    assert!(!schema_errors(&bad).is_empty(), "an unknown property");
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    assert!(
        !schema_errors(&bad).is_empty(),
        "a number below its minimum"
    );
    let mut bad = log;
    bad["runs"][0]["tool"]["driver"]["version"] = Value::from(1);
    assert!(
        !schema_errors(&bad).is_empty(),
        "a number where a string belongs"
    );
}

#[test]
fn inputs_not_audited_are_valid_tool_execution_notifications() {
    let log = sarif_log(|sink, summary| {
        for (kind, path) in [
            (ProblemKind::Error, "gone.txt"),
            (ProblemKind::Skipped, "a b.bin"),
        ] {
            let problem = InputProblem {
                path: path.into(),
                kind,
                message: format!("{path}: not audited"),
            };
            sink.problem(&problem).unwrap();
            summary.add_problem(problem);
        }
    });
    validate(&log);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes[1]["level"], "warning");
    assert_eq!(
        notes[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "a%20b.bin"
    );
}
