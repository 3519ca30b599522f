//! The checks: one file per check, each registered once in `registry`.

pub mod context;
mod currency_space;
mod dash_spacing;
pub mod glossary;
mod glued_sentence;
mod glued_words;
mod hyphenated_age;
mod length;
mod missing_translation;
mod misspelling;
mod name_consistency;
mod numbers;
mod placeholder_leak;
mod placeholders;
mod possessive;
mod quotes;
mod repeated_punctuation;
mod repeated_stem;
mod residue;
mod space_before_punctuation;
mod space_inside_quotes;
mod spin_syntax;
pub mod spinner;
mod stray_full_stop;
mod template_variable;
pub mod terminology;
mod untranslated;

use crate::config::{ConfigError, RuleTable};
use crate::context::words::Run;
use crate::finding::Finding;
use crate::input::{Format, MissingTarget, Unit};
use crate::lexicon::Lexicon;
use crate::resources::Resources;
use crate::text::{Sentence, Token};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::ops::Range;
use std::sync::Arc;

/// What a check sees: the original text and its sentences.
pub struct Analysis<'a> {
    /// The original file contents; every span indexes into it.
    pub text: &'a str,
    pub sentences: &'a [Sentence],
    /// The prose view: `text` with non-prose blanked and escapes decoded in place.
    pub prose: &'a str,
    /// The blocks (paragraphs; in bilingual files, unit targets) that sentences never cross.
    pub blocks: &'a [std::ops::Range<usize>],
    /// Bilingual files: `units[i]` is the translation unit of `blocks[i]`; empty otherwise.
    pub units: &'a [Unit],
    /// Bilingual files: the units whose source was never translated (they have no block).
    pub missing: &'a [MissingTarget],
    /// `runs[i]`: the runs of words of `sentences[i]` that the embedded model scores (see
    /// `context/words.rs`), worked out once for the checks and the sentences' surprise.
    pub runs: &'a [Vec<Run>],
}

impl Analysis<'_> {
    pub fn slice(&self, span: std::ops::Range<usize>) -> &str {
        &self.text[span]
    }

    /// Each paragraph (block): its sentences and all their tokens in order, for marks read
    /// across a sentence end (a detached ".", "Monday.The") and rules about paragraphs.
    /// Paragraphs without tokens are left out.
    pub fn paragraphs(&self) -> impl Iterator<Item = (&[Sentence], Vec<&Token>)> + '_ {
        self.sentences
            .chunk_by(|a, b| a.paragraph == b.paragraph)
            .map(|para| (para, para.iter().flat_map(|s| s.tokens.iter()).collect()))
            .filter(|(_, tokens): &(_, Vec<&Token>)| !tokens.is_empty())
    }

    /// The tokens between two others in their paragraph at which `at(tokens, i)` holds, for
    /// rules about one mark and its neighbours ("Monday.The", "plans. territorial").
    pub fn marks_where(&self, at: impl Fn(&[&Token], usize) -> bool) -> Vec<&Token> {
        let mut marks = Vec::new();
        for (_, tokens) in self.paragraphs() {
            marks.extend(
                (1..tokens.len().saturating_sub(1))
                    .filter(|&i| at(&tokens, i))
                    .map(|i| tokens[i]),
            );
        }
        marks
    }

    /// Each unit that has a source, with its block's span and its sentences.
    pub fn bilingual_units(
        &self,
    ) -> impl Iterator<Item = (&Unit, &str, Range<usize>, &[Sentence])> {
        self.units.iter().enumerate().filter_map(|(i, unit)| {
            let source = unit.source.as_deref()?;
            let block = self.blocks.get(i)?.clone();
            let first = self.sentences.partition_point(|s| s.paragraph < i);
            let last = self.sentences.partition_point(|s| s.paragraph <= i);
            Some((unit, source, block, &self.sentences[first..last]))
        })
    }
}

/// A text a check must flag, and the text after its top suggestions are applied
/// (`None` when the check flags without proposing a fix).
pub struct MustFlag {
    pub text: &'static str,
    pub fixed: Option<&'static str>,
}

pub struct Examples {
    pub must_flag: &'static [MustFlag],
    pub must_not_flag: &'static [&'static str],
}

pub trait Check: Send + Sync {
    /// The rule's stable id, as used in reports, config and suppressions.
    fn rule(&self) -> &'static str;
    /// One line of help text, shown in `--help`-style listings and SARIF.
    fn description(&self) -> &'static str;
    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>);
    fn examples(&self) -> Examples;
    /// How the examples are read (a bilingual check's examples are `source<TAB>target` rows).
    fn example_format(&self) -> Format {
        Format::Text
    }
    /// The check configured for its examples, when the registry's needs outside data
    /// (the terminology check's term base).
    fn example_instance(&self) -> Option<Box<dyn Check>> {
        None
    }
}

/// A check built from the run's resources and its own `[rules.RULE]` table. A check that
/// needs neither is registered as it is (`Registration::fixed`).
pub trait Configurable: Check + Sized + 'static {
    /// The rule id, as `Check::rule` returns it: known before the check is built.
    const RULE: &'static str;
    /// The keys of `[rules.RULE]` besides `enabled` and `severity`. Declare it with
    /// `#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]` so that a misspelt
    /// key is an error naming its line; `NoOptions` for none. It serializes to the table
    /// `mtaudit config` prints, which reads back as the same options.
    type Options: DeserializeOwned + Serialize + Default;
    /// An error names what could not be used (for a file, its path and line).
    fn build(resources: &Resources, options: Self::Options) -> Result<Self, String>;
}

/// The options of a check that has none: any key but `enabled` and `severity` is an error.
#[derive(Debug, Default, serde::Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NoOptions {}

type Build = dyn Fn(&Resources, RuleTable) -> Result<Box<dyn Check>, ConfigError> + Send + Sync;

/// One registered check: its rule id, how to build it and how to read its options.
pub struct Registration {
    rule: &'static str,
    build: Box<Build>,
    options: fn(RuleTable) -> Result<toml::Table, ConfigError>,
}

/// The options `table` sets, defaults filled in, as the TOML table that sets them.
fn options_table<O: DeserializeOwned + Serialize + Default>(
    table: RuleTable,
) -> Result<toml::Table, ConfigError> {
    let options: O = table.options()?;
    toml::Table::try_from(&options)
        .map_err(|e| table.error(format!("its options cannot be written as TOML: {e}")))
}

impl Registration {
    /// A check built from the resources and its options.
    pub fn of<C: Configurable>() -> Registration {
        Registration {
            rule: C::RULE,
            build: Box::new(|resources, table| {
                let options = table.options::<C::Options>()?;
                let check = C::build(resources, options).map_err(|e| table.error(e))?;
                Ok(Box::new(check))
            }),
            options: options_table::<C::Options>,
        }
    }

    /// A check with no options built from the lexicon alone (`new`), reporting `rule`.
    pub fn with_lexicon<C: Check + 'static>(
        rule: &'static str,
        new: fn(&'static Lexicon) -> C,
    ) -> Registration {
        Registration {
            rule,
            build: Box::new(move |resources, table| {
                table.options::<NoOptions>()?;
                Ok(Box::new(new(resources.lexicon)))
            }),
            options: options_table::<NoOptions>,
        }
    }

    /// A check that needs no resources and has no options.
    pub fn fixed(check: impl Check + 'static) -> Registration {
        let check: Arc<dyn Check> = Arc::new(check);
        Registration {
            rule: check.rule(),
            build: Box::new(move |_, table| {
                table.options::<NoOptions>()?;
                Ok(Box::new(Shared(check.clone())))
            }),
            options: options_table::<NoOptions>,
        }
    }

    pub fn rule(&self) -> &'static str {
        self.rule
    }

    /// The check configured by its `[rules.RULE]` table; an error names the file, line and key.
    pub fn build(
        &self,
        resources: &Resources,
        table: RuleTable,
    ) -> Result<Box<dyn Check>, ConfigError> {
        (self.build)(resources, table)
    }

    /// The check's options in force under its `[rules.RULE]` table, defaults included, as
    /// the TOML that sets them (what `mtaudit config` prints).
    pub fn options(&self, table: RuleTable) -> Result<toml::Table, ConfigError> {
        (self.options)(table)
    }

    /// The check with the embedded resources and its default options (for its description
    /// and examples).
    pub fn default_check(&self) -> Result<Box<dyn Check>, ConfigError> {
        self.build(&Resources::default(), RuleTable::none(self.rule))
    }
}

/// A check shared between the auditors of a run (one per config file).
struct Shared(Arc<dyn Check>);

impl Check for Shared {
    fn rule(&self) -> &'static str {
        self.0.rule()
    }
    fn description(&self) -> &'static str {
        self.0.description()
    }
    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        self.0.run(doc, out)
    }
    fn examples(&self) -> Examples {
        self.0.examples()
    }
    fn example_format(&self) -> Format {
        self.0.example_format()
    }
    fn example_instance(&self) -> Option<Box<dyn Check>> {
        self.0.example_instance()
    }
}

/// Every check, in report order. Adding a check is one line here.
pub fn registry() -> Vec<Registration> {
    vec![
        Registration::of::<context::ContextCheck>(),
        Registration::of::<glossary::GlossaryCheck>(),
        Registration::with_lexicon(
            name_consistency::RULE,
            name_consistency::NameConsistency::new,
        ),
        Registration::with_lexicon(possessive::RULE, possessive::Possessive::new),
        Registration::fixed(quotes::Quotes),
        Registration::fixed(repeated_stem::RepeatedStem),
        Registration::fixed(residue::PageMetadata),
        Registration::fixed(residue::PageBoilerplate),
        Registration::fixed(residue::ShareButtons),
        Registration::fixed(residue::RelatedLink),
        Registration::fixed(residue::PhotoCredit),
        Registration::fixed(residue::TagList),
        Registration::with_lexicon(spinner::RULE, spinner::SpinnerCheck::new),
        Registration::with_lexicon(spin_syntax::RULE, spin_syntax::SpinSyntax::new),
        Registration::fixed(repeated_punctuation::RepeatedPunctuation),
        Registration::fixed(space_before_punctuation::SpaceBeforePunctuation),
        Registration::with_lexicon(
            placeholder_leak::RULE,
            placeholder_leak::PlaceholderLeak::new,
        ),
        Registration::fixed(template_variable::TemplateVariable),
        Registration::with_lexicon(glued_sentence::RULE, glued_sentence::GluedSentence::new),
        Registration::with_lexicon(glued_words::RULE, glued_words::GluedWords::new),
        Registration::fixed(space_inside_quotes::SpaceInsideQuotes),
        Registration::fixed(currency_space::CurrencySpace),
        Registration::fixed(dash_spacing::DashSpacing),
        Registration::fixed(hyphenated_age::HyphenatedAge),
        Registration::with_lexicon(misspelling::RULE, misspelling::Misspelling::new),
        Registration::with_lexicon(stray_full_stop::RULE, stray_full_stop::StrayFullStop::new),
        Registration::fixed(numbers::Numbers),
        Registration::with_lexicon(untranslated::RULE, untranslated::Untranslated::new),
        Registration::fixed(missing_translation::MissingTranslation),
        Registration::fixed(placeholders::Placeholders),
        Registration::of::<terminology::Terminology>(),
        Registration::fixed(length::Length),
    ]
}

/// The checks of the registry with the embedded resources and default options.
pub fn default_checks() -> Vec<Box<dyn Check>> {
    registry()
        .iter()
        .filter_map(|r| r.default_check().ok())
        .collect()
}

/// Test helper: the findings of `check` alone on plain `text`, at any confidence.
#[cfg(test)]
pub(crate) fn run_alone(check: Box<dyn Check>, text: &str) -> Vec<Finding> {
    let config = crate::audit::AuditConfig {
        min_confidence: 0.0,
        ..crate::audit::AuditConfig::default()
    };
    crate::audit::Auditor::new(config, vec![check])
        .audit_text("t", text, crate::input::Format::Text)
        .findings()
        .cloned()
        .collect()
}

/// Test helper: what the registered rule `rule` alone finds in plain `text`, at any
/// confidence, as (matched text, top suggestion) pairs.
#[cfg(test)]
pub(crate) fn matches_of(rule: &str, text: &str) -> Vec<(String, Option<String>)> {
    scored_matches_of(rule, text)
        .into_iter()
        .map(|(matched, suggestion, _)| (matched, suggestion))
        .collect()
}

/// Test helper: `matches_of` with each finding's confidence.
#[cfg(test)]
pub(crate) fn scored_matches_of(rule: &str, text: &str) -> Vec<(String, Option<String>, f32)> {
    let check = registry()
        .into_iter()
        .find(|c| c.rule() == rule)
        .expect("a registered rule")
        .default_check()
        .expect("the rule builds with its defaults");
    run_alone(check, text)
        .into_iter()
        .map(|f| {
            (
                text[f.span.clone()].to_string(),
                f.top_suggestion().map(|s| s.replacement.clone()),
                f.confidence,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Auditor;
    use crate::fix::apply_top_suggestions;

    fn findings_of(check: &dyn Check, text: &str) -> Vec<Finding> {
        let mut checks = default_checks();
        if let Some(instance) = check.example_instance() {
            checks.retain(|c| c.rule() != instance.rule());
            checks.push(instance);
        }
        let auditor = Auditor::new(crate::audit::AuditConfig::default(), checks);
        let report = auditor.audit_text("example", text, check.example_format());
        report
            .findings()
            .filter(|f| f.rule == check.rule())
            .cloned()
            .collect()
    }

    #[test]
    fn every_check_reports_the_rule_it_is_registered_under() {
        for registration in registry() {
            let check = registration.default_check().expect("builds with defaults");
            assert_eq!(check.rule(), registration.rule());
        }
    }

    /// Runs every check's own must-flag and must-not-flag examples.
    #[test]
    fn every_check_meets_its_examples() {
        let mut failures = Vec::new();
        for registration in registry() {
            let check = registration.default_check().expect("builds with defaults");
            let rule = check.rule();
            let examples = check.examples();
            assert!(
                !examples.must_flag.is_empty(),
                "{rule} has no must-flag example"
            );
            assert!(
                !examples.must_not_flag.is_empty(),
                "{rule} has no must-not-flag example"
            );
            for example in examples.must_flag {
                let found = findings_of(check.as_ref(), example.text);
                if found.is_empty() {
                    failures.push(format!("{rule}: did not flag {:?}", example.text));
                } else if let Some(fixed) = example.fixed {
                    let got = apply_top_suggestions(example.text, &found);
                    if got != fixed {
                        failures.push(format!(
                            "{rule}: fixed {:?} to {got:?}, want {fixed:?}",
                            example.text
                        ));
                    }
                }
            }
            for text in examples.must_not_flag {
                for f in findings_of(check.as_ref(), text) {
                    failures.push(format!(
                        "{rule}: flagged {:?} in {text:?}: {}",
                        &text[f.span.clone()],
                        f.message
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
