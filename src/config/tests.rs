use super::*;
use std::fs;

fn write_config(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("mtaudit.toml");
    fs::write(&path, text).unwrap();
    path
}

fn resolve(path: &Path, overrides: &Overrides) -> Result<Settings, ConfigError> {
    Settings::resolve(
        Some(Sourced {
            value: path.to_owned(),
            origin: Origin::Default,
        }),
        overrides,
    )
}

#[test]
fn the_example_file_parses() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("mtaudit.example.toml");
    let settings = resolve(&path, &Overrides::default()).unwrap();
    assert_eq!(settings.fail_on.value, Some(Severity::Critical));
    assert_eq!(
        settings.rules["photo-credit"].severity.value,
        Some(Severity::Minor)
    );
    assert!(matches!(settings.min_score.origin, Origin::File { line, .. } if line > 1));
}

#[test]
fn no_file_gives_the_defaults() {
    let settings = Settings::resolve(None, &Overrides::default()).unwrap();
    assert_eq!(settings.min_score, Sourced::default(DEFAULT_MIN_SCORE));
    assert_eq!(settings.fix_confidence.value, DEFAULT_FIX_CONFIDENCE);
    assert_eq!(
        settings.min_confidence.value,
        AuditConfig::default().min_confidence
    );
    assert!(settings.rules.values().all(|r| r.enabled.value));
}

#[test]
fn flags_override_the_file_and_name_their_origin() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        dir.path(),
        "min-score = 80\nfail-on = \"major\"\nmin-confidence = 0.6\n[fix]\nconfidence = 0.95\n",
    );
    let from_file = resolve(&path, &Overrides::default()).unwrap();
    assert_eq!(from_file.min_score.value, 80.0);
    assert_eq!(
        from_file.fail_on.origin,
        Origin::File {
            path: path.clone(),
            line: 2
        }
    );
    assert_eq!(from_file.fix_confidence.value, 0.95);
    let flags = Overrides {
        min_score: Some(70.0),
        thorough: true,
        ..Overrides::default()
    };
    let settings = resolve(&path, &flags).unwrap();
    assert_eq!(settings.min_score, Sourced::flag(70.0, "--min-score"));
    // --thorough on the command line beats min-confidence in the file.
    assert_eq!(
        settings.min_confidence,
        Sourced::flag(THOROUGH_CONFIDENCE, "--thorough")
    );
    assert_eq!(settings.fail_on.value, Some(Severity::Major));
}

#[test]
fn fail_on_none_switches_the_gate_off() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), "fail-on = \"none\"\n");
    assert_eq!(
        resolve(&path, &Overrides::default()).unwrap().fail_on.value,
        None
    );
}

#[test]
fn bad_values_name_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    for (text, line, key) in [
        ("thorough = true\nmin-score = 120\n", 2, "min-score"),
        ("[fix]\nconfidence = 2\n", 2, "fix.confidence"),
        ("\n[rules.glosary]\nenabled = false\n", 2, "rules.glosary"),
        ("exclude = [\"a/**\", \"b/[\"]\n", 1, "exclude"),
        ("[weights]\nmajor = -1\n", 2, "weights.major"),
    ] {
        let path = write_config(dir.path(), text);
        match resolve(&path, &Overrides::default()) {
            Err(ConfigError::Invalid {
                line: l, key: k, ..
            }) => assert_eq!((l, k.as_str()), (line, key), "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
    let missing = dir.path().join("nope.toml");
    let err = resolve(&missing, &Overrides::default()).unwrap_err();
    assert!(err.to_string().starts_with(&missing.display().to_string()));
}

#[test]
fn rules_switch_off_and_change_severity() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        dir.path(),
        "[rules.quotes]\nenabled = false\n[rules.glossary]\nseverity = \"critical\"\n",
    );
    let settings = resolve(&path, &Overrides::default()).unwrap();
    let checks = settings.checks(&Resources::default()).unwrap();
    assert!(checks.iter().all(|c| c.rule() != "quotes"));
    assert!(checks.iter().any(|c| c.rule() == "glossary"));
    let config = settings.audit_config();
    assert_eq!(config.severity.get("glossary"), Some(&Severity::Critical));
}

#[test]
fn glossaries_are_relative_to_the_file_and_errors_name_their_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("terms")).unwrap();
    fs::write(
        dir.path().join("terms/house.tsv"),
        "bad\tgood\tcategory\nblue sky thinking\tcreative thinking\tstyle\n",
    )
    .unwrap();
    let path = write_config(dir.path(), "glossaries = [\"terms/house.tsv\"]\n");
    let settings = resolve(&path, &Overrides::default()).unwrap();
    assert_eq!(
        settings.glossaries[0].value,
        dir.path().join("terms/house.tsv")
    );
    let auditor = settings.auditor().unwrap();
    let report = auditor.audit_text(
        "a.txt",
        "We need blue sky thinking here.",
        crate::input::Format::Text,
    );
    assert_eq!(report.findings().count(), 1, "{:?}", report.sentences);

    fs::write(
        dir.path().join("terms/house.tsv"),
        "bad\tgood\tcategory\nx\ty\tnot-a-category\n",
    )
    .unwrap();
    let err = match resolve(&path, &Overrides::default()).unwrap().auditor() {
        Err(e) => e,
        Ok(_) => panic!("a bad glossary loaded"),
    };
    assert!(err.contains("house.tsv:2"), "{err}");
}

#[test]
fn include_and_exclude_globs_are_relative_to_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        dir.path(),
        "include = [\"docs/**/*.md\"]\nexclude = [\"docs/drafts/**\"]\n",
    );
    let settings = resolve(&path, &Overrides::default()).unwrap();
    let p = |rel: &str| dir.path().join(rel);
    assert!(settings.includes(&p("docs/a/b.md"), false));
    assert!(!settings.includes(&p("docs/a/b.txt"), true));
    assert!(settings.includes(&p("docs/drafts/b.md"), true));
    assert!(settings.excludes(&p("docs/drafts/b.md")));
    assert!(!settings.excludes(&p("docs/b.md")));

    let none = Settings::resolve(None, &Overrides::default()).unwrap();
    assert!(none.includes(Path::new("x.txt"), true));
    assert!(!none.includes(Path::new("x.bin"), false));
    assert!(!none.excludes(Path::new("x.bin")));
}

#[test]
fn a_term_base_named_in_the_file_reaches_the_terminology_check() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("terms.tsv"),
        "Flughafen\tairport\tair harbour\n",
    )
    .unwrap();
    let path = write_config(dir.path(), "termbase = \"terms.tsv\"\n");
    let settings = resolve(&path, &Overrides::default()).unwrap();
    assert!(matches!(
        settings.termbase.as_ref().unwrap().origin,
        Origin::File { line: 1, .. }
    ));
    let report = settings.auditor().unwrap().audit_text(
        "d.tsv",
        "Der Flughafen.\tThe air harbour is closed.\n",
        crate::input::Format::Tsv,
    );
    assert!(report.findings().any(|f| f.rule == "terminology"));
}

#[test]
fn an_unknown_key_in_a_rule_table_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), "[rules.quotes]\nenabled = true\ncolour = 1\n");
    let err = resolve(&path, &Overrides::default()).unwrap_err();
    let ConfigError::Invalid { line, key, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!((line, key.as_str()), (3, "colour"));
}

#[test]
fn only_the_rules_named_run_and_an_unknown_one_is_an_error() {
    let overrides = Overrides {
        only_rules: vec!["quotes".into()],
        ..Overrides::default()
    };
    let settings = Settings::resolve(None, &overrides).unwrap();
    assert!(settings.runs("quotes") && !settings.runs("context"));
    let checks = settings.checks(&Resources::default()).unwrap();
    assert_eq!(
        checks.iter().map(|c| c.rule()).collect::<Vec<_>>(),
        ["quotes"]
    );
    let wrong = Overrides {
        only_rules: vec!["qoutes".into()],
        ..Overrides::default()
    };
    let err = Settings::resolve(None, &wrong).unwrap_err().to_string();
    assert!(err.contains("no rule named `qoutes`"), "{err}");
}

/// A check with options of several TOML types, for the options' round trip.
mod padded {
    use crate::checks::{Analysis, Check, Configurable, Examples};
    use crate::finding::Finding;
    use crate::resources::Resources;

    #[derive(Debug, PartialEq, serde::Deserialize, serde::Serialize)]
    #[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
    pub struct Options {
        pub extra: Vec<String>,
        pub max_words: u32,
        pub ratio: f64,
        pub label: String,
    }

    impl Default for Options {
        fn default() -> Self {
            Options {
                extra: vec!["to be honest".into()],
                max_words: 12,
                ratio: 0.5,
                label: "padding".into(),
            }
        }
    }

    pub struct Padded;

    impl Configurable for Padded {
        const RULE: &'static str = "padded";
        type Options = Options;
        fn build(_: &Resources, _: Options) -> Result<Self, String> {
            Ok(Padded)
        }
    }

    impl Check for Padded {
        fn rule(&self) -> &'static str {
            Self::RULE
        }
        fn description(&self) -> &'static str {
            "test check"
        }
        fn run(&self, _: &Analysis, _: &mut Vec<Finding>) {}
        fn examples(&self) -> Examples {
            Examples {
                must_flag: &[],
                must_not_flag: &[],
            }
        }
    }
}

#[test]
fn a_checks_options_print_as_toml_that_reads_back_the_same() {
    let registration = crate::checks::Registration::of::<padded::Padded>();
    let text = "[rules.padded]\nenabled = true\n\nmax-words = 3\nextra = [\"a \\\"quoted\\\" phrase\", \"per cent: 5%\"]\nlabel = \"two\\nlines\"\n";
    let parsed = file::parse(Path::new("m.toml"), text.to_owned()).unwrap();
    let table = RuleTable {
        file: Some(&parsed),
        rule: "padded",
    };
    let written: padded::Options = table.options().unwrap();
    assert_eq!(written.max_words, 3);
    let options = rule_options(
        Some(&parsed),
        registration.options(table).unwrap(),
        "padded",
    );
    let rule = RuleSettings {
        enabled: Sourced::default(true),
        severity: Sourced::default(None),
        options: options.unwrap(),
    };
    let origins: Vec<(&str, String)> = rule
        .options
        .iter()
        .map(|(key, o)| (key.as_str(), o.origin.to_string()))
        .collect();
    assert_eq!(
        origins,
        [
            ("extra", "m.toml:5".to_owned()),
            ("label", "m.toml:6".to_owned()),
            ("max-words", "m.toml:4".to_owned()),
            ("ratio", "default".to_owned()),
        ]
    );

    let lines: Vec<String> = rule.option_lines().map(|(line, _)| line).collect();
    let printed = format!("[rules.padded]\n{}\n", lines.join("\n"));
    let reread = file::parse(Path::new("printed.toml"), printed.clone()).unwrap();
    let again: padded::Options = reread.rule_options("padded").unwrap();
    assert_eq!(again, written, "{printed}");
}
