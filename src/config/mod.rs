//! Configuration: `mtaudit.toml` / `.mtaudit.toml` found by walking up from each audited file
//! (or named by `--config` / `MTAUDIT_CONFIG`), overridden by command-line flags. Every
//! effective value remembers where it came from, for `mtaudit config`.

mod discover;
mod file;

pub use discover::{find_config, Discovery, CONFIG_NAMES, ENV_VAR};
pub use file::{ConfigError, FailOn};

use crate::audit::{AuditConfig, Auditor};
use crate::checks::{self, Check};
use crate::finding::Severity;
use crate::resources::{ResourceFiles, Resources};
use crate::score::Weights;
use file::Parsed;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// Defaults shared by the CLI and the config file.
pub const DEFAULT_MIN_SCORE: f64 = 90.0;
/// The report threshold of `thorough`.
pub const THOROUGH_CONFIDENCE: f32 = 0.2;
/// Suggestions at or above this confidence are applied by `fix`, `--format diff` and eval.
pub const DEFAULT_FIX_CONFIDENCE: f32 = 0.7;

/// Where an effective value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    File { path: PathBuf, line: usize },
    Flag(&'static str),
    Env(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::File { path, line } => write!(f, "{}:{line}", path.display()),
            Origin::Flag(flag) => write!(f, "flag {flag}"),
            Origin::Env(var) => write!(f, "env {var}"),
        }
    }
}

/// Why `--deep` fails in a build without the deep tier.
#[cfg(not(feature = "deep"))]
pub const NO_DEEP_TIER: &str = "this mtaudit was built without the deep tier; \
    build it with `cargo build --release --features deep`";

/// A value and its origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Sourced<T> {
    pub fn default(value: T) -> Self {
        Sourced {
            value,
            origin: Origin::Default,
        }
    }

    fn flag(value: T, flag: &'static str) -> Self {
        Sourced {
            value,
            origin: Origin::Flag(flag),
        }
    }
}

/// What the command line says; `None` (or `false`, or empty) leaves the file's value.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub min_score: Option<f64>,
    pub fail_on: Option<Severity>,
    pub min_confidence: Option<f32>,
    pub thorough: bool,
    pub fix_confidence: Option<f32>,
    pub report_unused_suppressions: bool,
    pub glossaries: Vec<PathBuf>,
    /// A house model (`--model`), replacing the file's.
    pub model: Option<PathBuf>,
    /// A term base (`--termbase`), replacing the file's.
    pub termbase: Option<PathBuf>,
    /// Run only these rules (`--rule`, repeatable); empty runs every enabled rule.
    pub only_rules: Vec<String>,
    /// The deep tier (`--deep`).
    pub deep: bool,
    /// The deep tier's model (`--lm`), replacing the file's.
    pub lm: Option<PathBuf>,
    /// Candidate rewrites the deep tier rescores per sentence at most (`--deep-budget`).
    pub deep_budget: Option<usize>,
}

/// One rule's `[rules.NAME]` table in the config file in force (none without a file).
#[derive(Clone, Copy)]
pub struct RuleTable<'a> {
    file: Option<&'a Parsed>,
    rule: &'a str,
}

impl<'a> RuleTable<'a> {
    /// The table of a run without a config file: every option at its default.
    pub fn none(rule: &'a str) -> RuleTable<'a> {
        RuleTable { file: None, rule }
    }

    /// The check's own options (see `checks::Configurable::Options`).
    pub fn options<O: DeserializeOwned + Default>(&self) -> Result<O, ConfigError> {
        match self.file {
            Some(file) => file.rule_options(self.rule),
            None => Ok(O::default()),
        }
    }

    /// An error building the rule's check, naming its table (or the rule, without a file).
    pub fn error(&self, message: String) -> ConfigError {
        let key = format!("rules.{}", self.rule);
        match self.file {
            Some(file) => file.error(&file.table_span(self.rule), &key, message),
            None => ConfigError::Io {
                path: PathBuf::from(key),
                message,
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RuleSettings {
    pub enabled: Sourced<bool>,
    /// `None`: each finding keeps the severity its check gave it.
    pub severity: Sourced<Option<Severity>>,
    /// The check's own options in force (`checks::Configurable::Options`), defaults
    /// included, by key, as the TOML values that set them.
    pub options: BTreeMap<String, Sourced<toml::Value>>,
}

impl RuleSettings {
    /// Each option as the line of TOML that sets it (`key = value`), and where it came from.
    pub fn option_lines(&self) -> impl Iterator<Item = (String, &Origin)> {
        self.options.iter().map(|(key, option)| {
            let bare = !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            let key = if bare {
                key.clone()
            } else {
                toml::Value::String(key.clone()).to_string()
            };
            (format!("{key} = {}", option.value), &option.origin)
        })
    }
}

/// The effective settings for the files one config file governs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The config file in force, if any, and how it was chosen.
    pub file: Option<Sourced<PathBuf>>,
    pub min_score: Sourced<f64>,
    pub fail_on: Sourced<Option<Severity>>,
    pub min_confidence: Sourced<f32>,
    pub thorough: Sourced<bool>,
    pub fix_confidence: Sourced<f32>,
    pub report_unused_suppressions: Sourced<bool>,
    pub weights: [Sourced<f64>; 3],
    pub glossaries: Vec<Sourced<PathBuf>>,
    /// A house model: pairs of words it attests are never flagged by the context check.
    pub model: Option<Sourced<PathBuf>>,
    /// The term base of the terminology check.
    pub termbase: Option<Sourced<PathBuf>>,
    /// Only these rules run (`--rule`); empty: every enabled one.
    pub only_rules: Vec<String>,
    /// The deep tier: a small language model judges word choices.
    pub deep: Sourced<bool>,
    /// The deep tier's model file; none: the reference model in the cache.
    pub lm: Option<Sourced<PathBuf>>,
    /// Candidate rewrites the deep tier rescores per sentence at most; none: its default.
    pub deep_budget: Option<usize>,
    /// Every registered rule, by id.
    pub rules: BTreeMap<String, RuleSettings>,
    pub include: Vec<Sourced<String>>,
    pub exclude: Vec<Sourced<String>>,
    include_set: Option<GlobSet>,
    exclude_set: GlobSet,
    /// Globs match paths relative to this folder (the config file's).
    base: PathBuf,
    /// The config file as read, for the checks' own options.
    parsed: Option<Arc<Parsed>>,
}

impl Settings {
    /// The settings of a run with no config file, only flags.
    pub fn resolve(
        discovery: Option<Sourced<PathBuf>>,
        overrides: &Overrides,
    ) -> Result<Settings, ConfigError> {
        let parsed = match &discovery {
            Some(found) => Some(file::read(&found.value)?),
            None => None,
        };
        build(discovery, parsed, overrides)
    }

    /// The settings of a config file already read (`bytes`, from `found`'s path) and flags.
    pub fn from_config_bytes(
        found: Sourced<PathBuf>,
        bytes: Vec<u8>,
        overrides: &Overrides,
    ) -> Result<Settings, ConfigError> {
        let parsed = file::decode(&found.value, bytes)?;
        build(Some(found), Some(parsed), overrides)
    }

    /// The audit configuration these settings give.
    pub fn audit_config(&self) -> AuditConfig {
        let [minor, major, critical] = &self.weights;
        AuditConfig {
            weights: Weights {
                minor: minor.value,
                major: major.value,
                critical: critical.value,
            },
            min_score: self.min_score.value,
            fail_on: self.fail_on.value,
            min_confidence: self.min_confidence.value,
            severity: self
                .rules
                .iter()
                .filter_map(|(rule, s)| Some((rule.clone(), s.severity.value?)))
                .collect(),
            report_unused_suppressions: self.report_unused_suppressions.value
                && self
                    .rules
                    .get(crate::suppress::UNUSED_RULE)
                    .is_none_or(|r| r.enabled.value),
            ..AuditConfig::default()
        }
    }

    /// The files the run's resources are read from.
    pub fn resource_files(&self) -> ResourceFiles {
        ResourceFiles {
            glossaries: self.glossaries.iter().map(|g| g.value.clone()).collect(),
            house_model: self.model.as_ref().map(|m| m.value.clone()),
            termbase: self.termbase.as_ref().map(|t| t.value.clone()),
        }
    }

    /// The rule's `[rules.NAME]` table in the config file in force.
    pub fn rule_table<'a>(&'a self, rule: &'a str) -> RuleTable<'a> {
        RuleTable {
            file: self.parsed.as_deref(),
            rule,
        }
    }

    /// Whether the rule runs: enabled, and named by `--rule` when that is given.
    pub fn runs(&self, rule: &str) -> bool {
        self.rules.get(rule).is_none_or(|r| r.enabled.value)
            && (self.only_rules.is_empty() || self.only_rules.iter().any(|r| r == rule))
    }

    /// The checks that run, each built from `resources` and its own `[rules.NAME]` table.
    pub fn checks(&self, resources: &Resources) -> Result<Vec<Box<dyn Check>>, ConfigError> {
        checks::registry()
            .iter()
            .filter(|r| self.runs(r.rule()))
            .map(|r| r.build(resources, self.rule_table(r.rule())))
            .collect()
    }

    /// The auditor these settings give: the one way every command builds its audit. Errors
    /// name the file (and line) that could not be used.
    pub fn auditor(&self) -> Result<Auditor, String> {
        let resources = Resources::load(&self.resource_files())?;
        let checks = self.checks(&resources).map_err(|e| e.to_string())?;
        let mut auditor = Auditor::new(self.audit_config(), checks);
        if self.deep.value {
            self.add_deep_tier(&mut auditor)?;
        }
        Ok(auditor)
    }

    /// The deep tier these settings ask for, with its model loaded.
    #[cfg(feature = "deep")]
    fn add_deep_tier(&self, auditor: &mut Auditor) -> Result<(), String> {
        let lm = self.lm.as_ref().map(|l| l.value.as_path());
        auditor.deep = Some(Arc::new(crate::deep::Deep::load(lm, self.deep_budget)?));
        Ok(())
    }

    /// Without the `deep` feature there is no deep tier to load: say where it was asked for.
    #[cfg(not(feature = "deep"))]
    fn add_deep_tier(&self, _: &mut Auditor) -> Result<(), String> {
        Err(format!(
            "{}: {NO_DEEP_TIER}",
            match &self.lm {
                Some(lm) => &lm.origin,
                None => &self.deep.origin,
            }
        ))
    }

    /// Whether a directory walk picks up this file: it matches `include`, or without
    /// `include`, it is a kind of file mtaudit reads (`readable`). `exclude` still applies.
    pub fn includes(&self, path: &Path, readable: bool) -> bool {
        match &self.include_set {
            Some(set) => set.is_match(self.relative(path)),
            None => readable,
        }
    }

    /// Whether `exclude` drops this file (applies to files named on the command line too).
    pub fn excludes(&self, path: &Path) -> bool {
        self.exclude_set.is_match(self.relative(path))
    }

    fn relative(&self, path: &Path) -> PathBuf {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        match absolute.strip_prefix(&self.base) {
            Ok(rel) => rel.to_owned(),
            Err(_) => path.strip_prefix("./").unwrap_or(path).to_owned(),
        }
    }
}

/// The first of several candidates that is set: a flag, then the file, then the default.
fn pick<T: Clone>(
    flag: Option<(T, &'static str)>,
    file: Option<Sourced<T>>,
    default: T,
) -> Sourced<T> {
    flag.map(|(v, name)| Sourced::flag(v, name))
        .or(file)
        .unwrap_or_else(|| Sourced::default(default))
}

fn from_file<T: Clone, U>(
    parsed: Option<&Parsed>,
    value: Option<&Spanned<T>>,
    map: impl Fn(T) -> U,
) -> Option<Sourced<U>> {
    let (parsed, value) = (parsed?, value?);
    Some(Sourced {
        value: map(value.get_ref().clone()),
        origin: Origin::File {
            path: parsed.path.clone(),
            line: parsed.line(&value.span()),
        },
    })
}

/// The confidences a setting may hold (a finding's or a suggestion's, 0 to 1).
pub const CONFIDENCE_RANGE: std::ops::RangeInclusive<f32> = 0.0..=1.0;
/// The gate's scores (0 to 100).
pub const SCORE_RANGE: std::ops::RangeInclusive<f64> = 0.0..=100.0;

fn check_range<T: PartialOrd + fmt::Display>(
    parsed: &Parsed,
    value: Option<&Spanned<T>>,
    key: &str,
    range: std::ops::RangeInclusive<T>,
) -> Result<(), ConfigError> {
    match value {
        Some(v) if !range.contains(v.get_ref()) => Err(parsed.error(
            &v.span(),
            key,
            format!(
                "{} is out of range: must be {} to {}",
                v.get_ref(),
                range.start(),
                range.end()
            ),
        )),
        _ => Ok(()),
    }
}

/// Each check reads its own options: read them with the config file, so that a mistake is
/// reported before any file is audited (and by `mtaudit config`).
fn validate_rule_options(parsed: &Parsed) -> Result<(), ConfigError> {
    let resources = Resources::default();
    for registration in checks::registry() {
        let table = RuleTable {
            file: Some(parsed),
            rule: registration.rule(),
        };
        registration.build(&resources, table)?;
    }
    Ok(())
}

fn validate(parsed: &Parsed, rule_ids: &[&'static str]) -> Result<(), ConfigError> {
    let f = &parsed.file;
    check_range(parsed, f.min_score.as_ref(), "min-score", SCORE_RANGE)?;
    check_range(
        parsed,
        f.min_confidence.as_ref(),
        "min-confidence",
        CONFIDENCE_RANGE,
    )?;
    check_range(
        parsed,
        f.fix.confidence.as_ref(),
        "fix.confidence",
        CONFIDENCE_RANGE,
    )?;
    for (key, w) in [
        ("weights.minor", &f.weights.minor),
        ("weights.major", &f.weights.major),
        ("weights.critical", &f.weights.critical),
    ] {
        check_range(parsed, w.as_ref(), key, 0.0..=1000.0)?;
    }
    for name in f.rules.keys() {
        if !rule_ids.contains(&name.get_ref().as_str()) {
            return Err(parsed.error(
                &name.span(),
                &format!("rules.{}", name.get_ref()),
                format!(
                    "no rule named `{}`; rules: {}",
                    name.get_ref(),
                    rule_ids.join(", ")
                ),
            ));
        }
    }
    for (key, globs) in [("include", &f.include), ("exclude", &f.exclude)] {
        for glob in globs.iter().flatten() {
            if let Err(e) = Glob::new(glob.get_ref()) {
                return Err(parsed.error(&glob.span(), key, e.kind().to_string()));
            }
        }
    }
    Ok(())
}

/// A list of strings from the file, each with its own line.
fn list(parsed: Option<&Parsed>, values: Option<&Vec<Spanned<String>>>) -> Vec<Sourced<String>> {
    values
        .into_iter()
        .flatten()
        .filter_map(|v| from_file(parsed, Some(v), |s| s))
        .collect()
}

fn glob_set(globs: &[Sourced<String>]) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        // Validated when the file was read.
        if let Ok(g) = Glob::new(&glob.value) {
            builder.add(g);
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

/// A check's options in force, each from the line of `[rules.RULE]` that sets it, or the
/// default.
fn rule_options(
    parsed: Option<&Parsed>,
    options: toml::Table,
    rule: &str,
) -> Result<BTreeMap<String, Sourced<toml::Value>>, ConfigError> {
    let lines = match parsed {
        Some(parsed) if !options.is_empty() => parsed.rule_key_lines(rule)?,
        _ => BTreeMap::new(),
    };
    Ok(options
        .into_iter()
        .map(|(key, value)| {
            let origin = match (parsed, lines.get(&key)) {
                (Some(parsed), Some(&line)) => Origin::File {
                    path: parsed.path.clone(),
                    line,
                },
                _ => Origin::Default,
            };
            (key, Sourced { value, origin })
        })
        .collect())
}

fn build(
    discovery: Option<Sourced<PathBuf>>,
    file: Option<Parsed>,
    o: &Overrides,
) -> Result<Settings, ConfigError> {
    let registry = checks::registry();
    let rule_ids: Vec<&'static str> = registry
        .iter()
        .map(|c| c.rule())
        .chain(std::iter::once(crate::suppress::UNUSED_RULE))
        .collect();
    let file = file.map(Arc::new);
    let parsed = file.as_deref();
    if let Some(parsed) = parsed {
        validate(parsed, &rule_ids)?;
        validate_rule_options(parsed)?;
    }
    if let Some(unknown) = o
        .only_rules
        .iter()
        .find(|r| !rule_ids.contains(&r.as_str()))
    {
        return Err(ConfigError::Io {
            path: PathBuf::from("--rule"),
            message: format!("no rule named `{unknown}`; rules: {}", rule_ids.join(", ")),
        });
    }
    let f = parsed.map(|p| &p.file);
    let folder = parsed
        .and_then(|p| p.path.parent())
        .unwrap_or(Path::new(""));
    let base = match parsed {
        Some(_) if folder.as_os_str().is_empty() => std::path::absolute("."),
        Some(_) => std::path::absolute(folder),
        None => Ok(PathBuf::new()),
    }
    .unwrap_or_else(|_| folder.to_owned());
    let relative = |s: String| folder.join(s);

    let thorough = pick(
        o.thorough.then_some((true, "--thorough")),
        from_file(parsed, f.and_then(|f| f.thorough.as_ref()), |b| b),
        false,
    );
    let file_min_confidence = from_file(parsed, f.and_then(|f| f.min_confidence.as_ref()), |c| c);
    // A flag beats the file; an explicit min-confidence beats thorough from the same place.
    let min_confidence = match (o.min_confidence, &thorough.origin, file_min_confidence) {
        (Some(c), _, _) => Sourced::flag(c, "--min-confidence"),
        (None, Origin::Flag(_), _) => Sourced::flag(THOROUGH_CONFIDENCE, "--thorough"),
        (None, _, Some(c)) => c,
        (None, _, None) if thorough.value => Sourced {
            value: THOROUGH_CONFIDENCE,
            origin: thorough.origin.clone(),
        },
        (None, _, None) => Sourced::default(AuditConfig::default().min_confidence),
    };
    let defaults = Weights::default();
    let weight = |value: Option<&Spanned<f64>>, default: f64| {
        pick(None, from_file(parsed, value, |w| w), default)
    };
    let weights = [
        weight(f.and_then(|f| f.weights.minor.as_ref()), defaults.minor),
        weight(f.and_then(|f| f.weights.major.as_ref()), defaults.major),
        weight(
            f.and_then(|f| f.weights.critical.as_ref()),
            defaults.critical,
        ),
    ];

    let mut glossaries: Vec<Sourced<PathBuf>> = list(parsed, f.and_then(|f| f.glossaries.as_ref()))
        .into_iter()
        .map(|g| Sourced {
            value: relative(g.value),
            origin: g.origin,
        })
        .collect();
    glossaries.extend(
        o.glossaries
            .iter()
            .map(|g| Sourced::flag(g.clone(), "--glossary")),
    );

    let mut rules = BTreeMap::new();
    for id in &rule_ids {
        let written = f
            .and_then(|f| f.rules.iter().find(|(k, _)| k.get_ref() == id))
            .map(|(_, r)| r);
        let table = RuleTable {
            file: parsed,
            rule: id,
        };
        let options = match registry.iter().find(|r| r.rule() == *id) {
            Some(registration) => rule_options(parsed, registration.options(table)?, id)?,
            None => BTreeMap::new(),
        };
        rules.insert(
            id.to_string(),
            RuleSettings {
                enabled: pick(
                    None,
                    from_file(parsed, written.and_then(|r| r.enabled.as_ref()), |b| b),
                    true,
                ),
                severity: pick(
                    None,
                    from_file(parsed, written.and_then(|r| r.severity.as_ref()), Some),
                    None,
                ),
                options,
            },
        );
    }
    let include = list(parsed, f.and_then(|f| f.include.as_ref()));
    let exclude = list(parsed, f.and_then(|f| f.exclude.as_ref()));
    Ok(Settings {
        file: discovery,
        min_score: pick(
            o.min_score.map(|v| (v, "--min-score")),
            from_file(parsed, f.and_then(|f| f.min_score.as_ref()), |v| v),
            DEFAULT_MIN_SCORE,
        ),
        fail_on: pick(
            o.fail_on.map(|v| (Some(v), "--fail-on")),
            from_file(parsed, f.and_then(|f| f.fail_on.as_ref()), FailOn::severity),
            None,
        ),
        min_confidence,
        thorough,
        fix_confidence: pick(
            o.fix_confidence.map(|v| (v, "--confidence")),
            from_file(parsed, f.and_then(|f| f.fix.confidence.as_ref()), |v| v),
            DEFAULT_FIX_CONFIDENCE,
        ),
        report_unused_suppressions: pick(
            o.report_unused_suppressions
                .then_some((true, "--report-unused-suppressions")),
            from_file(
                parsed,
                f.and_then(|f| f.report_unused_suppressions.as_ref()),
                |b| b,
            ),
            false,
        ),
        weights,
        glossaries,
        model: match &o.model {
            Some(path) => Some(Sourced::flag(path.clone(), "--model")),
            None => from_file(parsed, f.and_then(|f| f.model.as_ref()), relative),
        },
        termbase: match &o.termbase {
            Some(path) => Some(Sourced::flag(path.clone(), "--termbase")),
            None => from_file(parsed, f.and_then(|f| f.termbase.as_ref()), relative),
        },
        only_rules: o.only_rules.clone(),
        deep: pick(
            o.deep.then_some((true, "--deep")),
            from_file(parsed, f.and_then(|f| f.deep.as_ref()), |b| b),
            false,
        ),
        lm: match &o.lm {
            Some(path) => Some(Sourced::flag(path.clone(), "--lm")),
            None => from_file(parsed, f.and_then(|f| f.lm.as_ref()), relative),
        },
        deep_budget: o.deep_budget,
        rules,
        include_set: (!include.is_empty()).then(|| glob_set(&include)),
        exclude_set: glob_set(&exclude),
        include,
        exclude,
        base,
        parsed: file.clone(),
    })
}

#[cfg(test)]
mod tests;
