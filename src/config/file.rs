//! The `mtaudit.toml` file as written: every key optional, every value with its span, so that
//! errors and `mtaudit config` can name the line a value came from.

use crate::finding::Severity;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A config file that could not be read, parsed or validated; names the file, line and key.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
    #[error("{path}:{line}: {key}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        key: String,
        message: String,
    },
}

/// `fail-on`: a severity, or `none` to switch the gate off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    None,
    Minor,
    Major,
    Critical,
}

impl FailOn {
    pub fn severity(self) -> Option<Severity> {
        match self {
            FailOn::None => None,
            FailOn::Minor => Some(Severity::Minor),
            FailOn::Major => Some(Severity::Major),
            FailOn::Critical => Some(Severity::Critical),
        }
    }
}

/// The keys of `[rules.NAME]` every rule has; the rest are the check's own options, read by
/// the check itself (`Parsed::rule_options`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RuleFile {
    pub enabled: Option<Spanned<bool>>,
    pub severity: Option<Spanned<Severity>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightsFile {
    pub minor: Option<Spanned<f64>>,
    pub major: Option<Spanned<f64>>,
    pub critical: Option<Spanned<f64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixFile {
    pub confidence: Option<Spanned<f32>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    pub glossaries: Option<Vec<Spanned<String>>>,
    pub model: Option<Spanned<String>>,
    pub termbase: Option<Spanned<String>>,
    pub min_score: Option<Spanned<f64>>,
    pub fail_on: Option<Spanned<FailOn>>,
    pub min_confidence: Option<Spanned<f32>>,
    pub thorough: Option<Spanned<bool>>,
    /// The deep tier: a small language model judges word choices (`--deep`).
    pub deep: Option<Spanned<bool>>,
    /// The deep tier's model file (GGUF), instead of the reference model in the cache.
    pub lm: Option<Spanned<String>>,
    pub report_unused_suppressions: Option<Spanned<bool>>,
    pub include: Option<Vec<Spanned<String>>>,
    pub exclude: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub weights: WeightsFile,
    #[serde(default)]
    pub fix: FixFile,
    #[serde(default)]
    pub rules: BTreeMap<Spanned<String>, RuleFile>,
}

/// A parsed file with what is needed to turn spans into lines.
#[derive(Debug)]
pub struct Parsed {
    pub path: PathBuf,
    pub text: String,
    pub file: ConfigFile,
}

impl Parsed {
    /// 1-based line of a byte offset.
    pub fn line(&self, span: &Range<usize>) -> usize {
        line_of(&self.text, span.start)
    }

    /// The options of rule `rule`: every key of its `[rules.NAME]` table but `enabled` and
    /// `severity`, as the type `O` the check declares (defaults without a table). A key `O`
    /// does not know, or a value of the wrong type, is an error naming the file, line and key.
    pub fn rule_options<O: DeserializeOwned + Default>(
        &self,
        rule: &str,
    ) -> Result<O, ConfigError> {
        let root = self.root()?;
        let Some((span, mut options)) = rule_table(&root, rule) else {
            return Ok(O::default());
        };
        options.remove("enabled");
        options.remove("severity");
        O::deserialize(toml::de::Deserializer::from(Spanned::new(span, options))).map_err(|e| {
            let mut error = invalid(&self.path, &self.text, &e);
            if let ConfigError::Invalid { message, .. } = &mut error {
                *message = with_common_keys(message);
            }
            error
        })
    }

    /// The line of each key written in `[rules.NAME]`.
    pub fn rule_key_lines(&self, rule: &str) -> Result<BTreeMap<String, usize>, ConfigError> {
        let root = self.root()?;
        Ok(rule_table(&root, rule)
            .map(|(_, table)| {
                table
                    .keys()
                    .map(|key| (key.get_ref().to_string(), self.line(&key.span())))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// The file as a table whose keys and values keep their spans.
    fn root(&self) -> Result<DeValue<'_>, ConfigError> {
        let root = DeTable::parse(&self.text).map_err(|e| invalid(&self.path, &self.text, &e))?;
        Ok(DeValue::Table(root.into_inner()))
    }

    /// Where `[rules.NAME]` is written (the start of the file when it is not).
    pub fn table_span(&self, rule: &str) -> Range<usize> {
        self.file
            .rules
            .keys()
            .find(|k| k.get_ref() == rule)
            .map_or(0..0, |k| k.span())
    }

    pub fn error(&self, span: &Range<usize>, key: &str, message: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            path: self.path.clone(),
            line: self.line(span),
            key: key.to_owned(),
            message: message.into(),
        }
    }
}

/// `[rules.NAME]` as written, and where: `None` when the file has none. `RuleFile` has
/// already required it to be a table.
fn rule_table<'a>(root: &DeValue<'a>, rule: &str) -> Option<(Range<usize>, DeTable<'a>)> {
    let written = root.get("rules")?.get_ref().get(rule)?;
    let table = written.get_ref().as_table()?;
    Some((written.span(), table.clone()))
}

fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    1 + text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// The key named on the line of a parse error (`min-score = "x"` → `min-score`), or the
/// table header (`[rules.glossary]` → `rules.glossary`); a very long one is cut.
fn key_on_line(text: &str, line: usize) -> String {
    const SHOWN: usize = 60;
    let source = text
        .lines()
        .nth(line.saturating_sub(1))
        .unwrap_or("")
        .trim();
    let key = match source.strip_prefix('[') {
        Some(header) => header.trim_end_matches(']').trim(),
        None => source
            .split_once('=')
            .map(|(key, _)| key.trim().trim_matches('"'))
            .unwrap_or_default(),
    };
    match key.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", &key[..cut]),
        None => key.to_owned(),
    }
}

/// The key an unknown-field message names (serde: "unknown field `x`, expected …").
fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest.split('`').next()?.to_owned())
}

pub fn read(path: &Path) -> Result<Parsed, ConfigError> {
    let bytes = crate::input::file::read(path).map_err(|e| ConfigError::Io {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    decode(path, bytes)
}

/// Parses the bytes of the config file at `path` (which only names it in errors).
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<Parsed, ConfigError> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        ConfigError::Invalid {
            path: path.to_owned(),
            line: line_of(&String::from_utf8_lossy(e.as_bytes()), offset),
            key: String::new(),
            message: format!("invalid UTF-8 at byte {offset}"),
        }
    })?;
    parse(path, text)
}

pub fn parse(path: &Path, text: String) -> Result<Parsed, ConfigError> {
    match toml::from_str::<ConfigFile>(&text) {
        Ok(file) => Ok(Parsed {
            path: path.to_owned(),
            text,
            file,
        }),
        Err(e) => Err(invalid(path, &text, &e)),
    }
}

/// An unknown-key message about a rule's options, naming the keys every rule has too: serde
/// knows only the check's own (`expected `x``, `expected one of …`, `there are no fields`).
fn with_common_keys(message: &str) -> String {
    const COMMON: &str = "`enabled`, `severity`";
    if let Some(head) = message.strip_suffix(", there are no fields") {
        return format!("{head}, expected `enabled` or `severity`");
    }
    match message.split_once(", expected ") {
        Some((head, keys)) if unknown_field(message).is_some() => {
            let keys = keys
                .strip_prefix("one of ")
                .unwrap_or(keys)
                .replace(" or ", ", ");
            format!("{head}, expected one of {COMMON}, {keys}")
        }
        _ => message.to_owned(),
    }
}

/// A parse error of the file at `path` holding `text`, with its line and key.
fn invalid(path: &Path, text: &str, e: &toml::de::Error) -> ConfigError {
    let line = e.span().map_or(1, |s| line_of(text, s.start));
    let message = e.message().trim().to_owned();
    let key = unknown_field(&message).unwrap_or_else(|| key_on_line(text, line));
    ConfigError::Invalid {
        path: path.to_owned(),
        line,
        key,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> ConfigError {
        parse(Path::new("m.toml"), text.to_owned()).unwrap_err()
    }

    #[test]
    fn deep_nesting_is_an_error_even_on_a_small_stack() {
        let deep = format!(
            "min-score = {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let err = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || parse(Path::new("m.toml"), deep).unwrap_err())
            .unwrap()
            .join()
            .unwrap();
        assert!(matches!(err, ConfigError::Invalid { line: 1, .. }), "{err}");
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let err = error("min-score = 90\n\n[weights]\nminor = 1\ncolour = 1\n");
        assert_eq!(
            err.to_string().split(", expected").next().unwrap(),
            "m.toml:5: colour: unknown field `colour`"
        );
    }

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    struct WordOptions {
        max_words: Option<usize>,
    }

    fn options(text: &str) -> Result<WordOptions, ConfigError> {
        parse(Path::new("m.toml"), text.to_owned())
            .unwrap()
            .rule_options("length")
    }

    #[test]
    fn rule_options_are_typed_beside_enabled_and_severity() {
        let written =
            options("[rules.length]\nenabled = true\nseverity = \"minor\"\nmax-words = 3\n");
        assert_eq!(written.unwrap().max_words, Some(3));
        assert_eq!(options("min-score = 90\n").unwrap(), WordOptions::default());
    }

    #[test]
    fn an_unknown_rule_option_names_file_line_and_key() {
        let err = options("[rules.length]\nenabled = true\ncolour = 1\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "m.toml:3: colour: unknown field `colour`, expected one of `enabled`, `severity`, `max-words`"
        );
        let err = options("[rules.length]\n\nmax-words = \"many\"\n").unwrap_err();
        let ConfigError::Invalid { line, key, .. } = err else {
            panic!("{err:?}")
        };
        assert_eq!((line, key.as_str()), (3, "max-words"));
    }

    #[test]
    fn bad_value_names_its_key() {
        let err = error("thorough = false\nmin-score = \"high\"\n");
        let ConfigError::Invalid { line, key, .. } = err else {
            panic!("{err:?}")
        };
        assert_eq!((line, key.as_str()), (2, "min-score"));
    }

    #[test]
    fn bad_severity_is_an_error() {
        let err = error("[rules.quotes]\nseverity = \"huge\"\n");
        let ConfigError::Invalid { line, key, .. } = err else {
            panic!("{err:?}")
        };
        assert_eq!((line, key.as_str()), (2, "severity"));
    }

    #[test]
    fn syntax_error_has_a_line() {
        let err = error("min-score = 90\nfail-on = \n");
        assert!(
            matches!(err, ConfigError::Invalid { line: 2, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn integers_are_accepted_for_numbers() {
        let parsed = parse(
            Path::new("m.toml"),
            "min-score = 95\n[weights]\nmajor = 4\n".into(),
        )
        .unwrap();
        assert_eq!(parsed.file.min_score.unwrap().into_inner(), 95.0);
        assert_eq!(parsed.file.weights.major.unwrap().into_inner(), 4.0);
    }
}
