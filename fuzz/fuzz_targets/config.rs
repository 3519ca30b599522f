#![no_main]
//! An `mtaudit.toml`: parsed, validated and turned into settings as `mtaudit check` does,
//! or refused with an error naming the file and a line inside it.

use libfuzzer_sys::fuzz_target;
use mtaudit::config::{ConfigError, Overrides, Settings, Sourced};
use std::path::{Path, PathBuf};

fuzz_target!(|data: &[u8]| {
    let found = Sourced::default(PathBuf::from("mtaudit.toml"));
    match Settings::from_config_bytes(found, data.to_vec(), &Overrides::default()) {
        Ok(settings) => {
            let config = settings.audit_config();
            assert!((0.0..=1.0).contains(&config.min_confidence));
            assert!((0.0..=100.0).contains(&config.min_score));
            // (`checks()` is not called: it opens the glossary and model files named.)
            settings.includes(Path::new("docs/a.md"), true);
            settings.excludes(Path::new("vendor/b.xlf"));
        }
        Err(ConfigError::Invalid { line, .. }) => {
            let lines = 1 + data.iter().filter(|&&b| b == b'\n').count();
            assert!((1..=lines).contains(&line), "line {line} of {lines}");
        }
        Err(e @ ConfigError::Io { .. }) => panic!("no file was read: {e}"),
    }
});
