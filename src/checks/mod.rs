//! The checks: one file per check, each registered once in `registry`.

pub mod context;
pub mod glossary;
mod glued_sentence;
mod glued_words;
mod length;
mod missing_translation;
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
mod stray_full_stop;
mod template_variable;
pub mod terminology;
mod untranslated;

use crate::context::words::Run;
use crate::finding::Finding;
use crate::input::{Format, MissingTarget, Unit};
use crate::text::{Sentence, Token};
use std::ops::Range;

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

/// Every check, in report order. Adding a check is one line here.
pub fn registry() -> Vec<Box<dyn Check>> {
    vec![
        Box::new(context::ContextCheck::default()),
        Box::new(glossary::GlossaryCheck::default()),
        Box::new(name_consistency::NameConsistency),
        Box::new(possessive::Possessive),
        Box::new(quotes::Quotes),
        Box::new(repeated_stem::RepeatedStem),
        Box::new(residue::PageMetadata),
        Box::new(residue::PageBoilerplate),
        Box::new(residue::ShareButtons),
        Box::new(residue::RelatedLink),
        Box::new(residue::PhotoCredit),
        Box::new(residue::TagList),
        Box::new(spin_syntax::SpinSyntax),
        Box::new(repeated_punctuation::RepeatedPunctuation),
        Box::new(space_before_punctuation::SpaceBeforePunctuation),
        Box::new(placeholder_leak::PlaceholderLeak),
        Box::new(template_variable::TemplateVariable),
        Box::new(glued_sentence::GluedSentence),
        Box::new(glued_words::GluedWords),
        Box::new(space_inside_quotes::SpaceInsideQuotes),
        Box::new(stray_full_stop::StrayFullStop),
        Box::new(numbers::Numbers),
        Box::new(untranslated::Untranslated),
        Box::new(missing_translation::MissingTranslation),
        Box::new(placeholders::Placeholders),
        Box::new(terminology::Terminology::default()),
        Box::new(length::Length),
    ]
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
    let check = registry()
        .into_iter()
        .find(|c| c.rule() == rule)
        .expect("a registered rule");
    run_alone(check, text)
        .into_iter()
        .map(|f| {
            (
                text[f.span.clone()].to_string(),
                f.top_suggestion().map(|s| s.replacement.clone()),
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
        let mut auditor = Auditor::default();
        if let Some(instance) = check.example_instance() {
            auditor.set_check(instance);
        }
        let report = auditor.audit_text("example", text, check.example_format());
        report
            .findings()
            .filter(|f| f.rule == check.rule())
            .cloned()
            .collect()
    }

    /// Runs every check's own must-flag and must-not-flag examples.
    #[test]
    fn every_check_meets_its_examples() {
        let mut failures = Vec::new();
        for check in registry() {
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
