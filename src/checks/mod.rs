//! The checks: one file per check, each registered once in `registry`.

pub mod glossary;
mod name_consistency;
mod possessive;
mod quotes;
mod repeated_stem;
mod residue;

use crate::finding::Finding;
use crate::text::Sentence;

/// What a check sees: the original text and its sentences.
pub struct Analysis<'a> {
    /// The original file contents; every span indexes into it.
    pub text: &'a str,
    pub sentences: &'a [Sentence],
}

impl Analysis<'_> {
    pub fn slice(&self, span: std::ops::Range<usize>) -> &str {
        &self.text[span]
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
}

/// Every check, in report order. Adding a check is one line here.
pub fn registry() -> Vec<Box<dyn Check>> {
    vec![
        Box::new(glossary::GlossaryCheck::default()),
        Box::new(name_consistency::NameConsistency),
        Box::new(possessive::Possessive),
        Box::new(quotes::Quotes),
        Box::new(repeated_stem::RepeatedStem),
        Box::new(residue::Residue),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Auditor;
    use crate::fix::apply_top_suggestions;
    use crate::input::Format;

    fn findings_of(rule: &str, text: &str) -> Vec<Finding> {
        let report = Auditor::default().audit_text("example", text, Format::Text);
        report
            .findings()
            .filter(|f| f.rule == rule)
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
                let found = findings_of(rule, example.text);
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
                for f in findings_of(rule, text) {
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
