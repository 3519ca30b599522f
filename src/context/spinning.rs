//! Whether a whole document reads as machine-spun, and what that does to its findings.
//!
//! Spinners swap words everywhere in a text, the same way each time, so one document holds
//! many of their fingerprints (the `spinner` check's matches). Each fingerprint is weak
//! evidence alone ("folks" is fine English); several distinct ones are independent evidence
//! that the document was spun, combined by noisy-or. A spun document makes every hunch in it
//! likelier: the fingerprints themselves and the context model's findings, whose confidence
//! is raised by the document's evidence.

use crate::checks::{context, spinner};
use crate::context::suspicion::combine;
use crate::finding::{Finding, Severity};
use serde::Serialize;
use std::collections::BTreeMap;

/// Distinct fingerprints a document needs before it is called spun: two could be chance
/// (a quoted "folks", a formal "in accordance with"), three in one text rarely are
/// (measured on corpora/examples/clean and the Brown press section).
const MIN_FINGERPRINTS: usize = 3;
/// The combined evidence a document needs before it is called spun.
const MIN_EVIDENCE: f64 = 0.6;
/// No raised confidence goes above this: the document's evidence is indirect.
const MAX_RAISED: f64 = 0.9;

/// Findings of these rules are hunches a spun document corroborates, with the likelihood
/// ratio a certainly spun document gives each (a Bayes update of the finding's odds): a
/// fingerprint is the spinner's own mark; a context finding is a word the model finds out
/// of place, which spinning explains less often. A weak hunch stays weak.
const CORROBORATED: [(&str, f64); 2] = [(spinner::RULE, 10.0), (context::RULE, 4.0)];

/// The document's verdict, when it reads as spun.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spun {
    /// Distinct fingerprints found.
    pub fingerprints: usize,
    /// The combined evidence, 0..1.
    pub confidence: f64,
}

/// Counts the distinct fingerprints among `findings` (each entry of the fingerprint list
/// once, at its most confident match) and, when the document reads as spun, raises the
/// confidence of its corroborated findings. Hunches that stay uncorroborated are minor.
pub fn corroborate(findings: &mut [Finding]) -> Option<Spun> {
    let mut distinct: BTreeMap<&str, f64> = BTreeMap::new();
    for f in findings.iter().filter(|f| f.rule == spinner::RULE) {
        let key = f.evidence.as_deref().unwrap_or_default();
        let c = distinct.entry(key).or_default();
        *c = c.max(f64::from(f.confidence));
    }
    let evidence = combine(distinct.values().copied());
    let spun = (distinct.len() >= MIN_FINGERPRINTS && evidence >= MIN_EVIDENCE).then_some(Spun {
        fingerprints: distinct.len(),
        confidence: evidence,
    });
    for finding in findings.iter_mut() {
        let Some(&(_, ratio)) = CORROBORATED.iter().find(|(r, _)| *r == finding.rule) else {
            continue;
        };
        if let Some(spun) = spun {
            let c = f64::from(finding.confidence).min(0.99);
            let odds = c / (1.0 - c) * (1.0 + (ratio - 1.0) * spun.confidence);
            finding.raise_confidence((odds / (1.0 + odds)).min(MAX_RAISED) as f32);
        }
        finding.severity = hunch_severity(finding.confidence);
    }
    spun
}

/// A hunch is a major error only when it is confident.
fn hunch_severity(confidence: f32) -> Severity {
    if confidence >= 0.7 {
        Severity::Major
    } else {
        Severity::Minor
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Category;

    fn fingerprint(line: usize, confidence: f32) -> Finding {
        Finding::new(
            spinner::RULE,
            Category::Mistranslation,
            Severity::Major,
            0..1,
            "",
        )
        .confidence(confidence)
        .evidence(format!("glossary: fingerprints.tsv line {line}"))
    }

    #[test]
    fn one_fingerprint_many_times_is_not_a_spun_document() {
        let mut findings: Vec<Finding> = (0..5).map(|_| fingerprint(7, 0.45)).collect();
        assert_eq!(corroborate(&mut findings), None);
        assert!(findings.iter().all(|f| f.confidence == 0.45));
        assert!(findings.iter().all(|f| f.severity == Severity::Minor));
    }

    #[test]
    fn distinct_fingerprints_corroborate_each_other_and_the_context_findings() {
        let mut findings = vec![
            fingerprint(3, 0.35),
            fingerprint(4, 0.45),
            fingerprint(5, 0.3),
            Finding::new(
                context::RULE,
                Category::Mistranslation,
                Severity::Major,
                0..1,
                "",
            )
            .confidence(0.3),
            Finding::new("quotes", Category::Punctuation, Severity::Minor, 0..1, "")
                .confidence(0.3),
        ];
        let spun = corroborate(&mut findings).expect("three distinct fingerprints");
        assert_eq!(spun.fingerprints, 3);
        assert!(spun.confidence > 0.7);
        assert!(
            findings[..4].iter().all(|f| f.confidence >= 0.5),
            "{findings:?}"
        );
        assert!(findings[0].confidence > findings[3].confidence);
        assert_eq!(findings[4].confidence, 0.3, "other rules are not raised");
    }

    #[test]
    fn confident_hunches_are_major() {
        let mut findings = vec![fingerprint(1, 0.95), fingerprint(2, 0.3)];
        corroborate(&mut findings);
        assert_eq!(findings[0].severity, Severity::Major);
        assert_eq!(findings[1].severity, Severity::Minor);
    }
}
