//! The identity of a finding across edits: rule + flagged text + a little context, never
//! byte offsets, so a decision survives edits elsewhere in the document.

use crate::finding::Finding;
use crate::text::char_floor;
use serde::{Deserialize, Serialize};

/// How many words on each side of the flagged text belong to the key.
const CONTEXT_WORDS: usize = 2;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FindingKey {
    pub rule: String,
    /// The flagged text, runs of whitespace folded to one space.
    pub text: String,
    /// Up to two words just before the flagged text.
    pub before: String,
    /// Up to two words just after it.
    pub after: String,
}

impl FindingKey {
    /// The key of `finding` in `text` (the document its span indexes).
    pub fn of(finding: &Finding, text: &str) -> FindingKey {
        FindingKey::at(finding.rule, finding.span.clone(), text)
    }

    /// The key of a finding of `rule` at `span` in `text`.
    pub fn at(rule: &str, span: std::ops::Range<usize>, text: &str) -> FindingKey {
        let span = clamp(text, span);
        // Read from the finding outwards: only the few words needed, however long the text.
        let mut before: Vec<&str> = text[..span.start]
            .rsplit(char::is_whitespace)
            .filter(|w| !w.is_empty())
            .take(CONTEXT_WORDS)
            .collect();
        before.reverse();
        let before = before.join(" ");
        let after: Vec<&str> = text[span.end..]
            .split_whitespace()
            .take(CONTEXT_WORDS)
            .collect();
        FindingKey {
            rule: rule.to_owned(),
            text: fold(&text[span]),
            before,
            after: after.join(" "),
        }
    }
}

fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A span cut to the text and to character boundaries, so no finding can make us panic.
fn clamp(text: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let end = char_floor(text, span.end);
    char_floor(text, span.start.min(end))..end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Category, Severity};

    fn key(text: &str, flagged: &str) -> FindingKey {
        let start = text.find(flagged).unwrap();
        let f = Finding::new(
            "glossary",
            Category::Style,
            Severity::Minor,
            start..start + flagged.len(),
            "m",
        );
        FindingKey::of(&f, text)
    }

    #[test]
    fn survives_edits_elsewhere_but_not_nearby() {
        let a = key(
            "One. Two three forced downsizing of the flight.",
            "forced downsizing",
        );
        assert_eq!(a.before, "Two three");
        assert_eq!(a.after, "of the");
        let moved = key(
            "A new first sentence.\nTwo  three forced\ndownsizing of the flight.",
            "forced\ndownsizing",
        );
        assert_eq!(a, moved);
        let near = key(
            "One. Two four forced downsizing of the flight.",
            "forced downsizing",
        );
        assert_ne!(a, near);
    }

    #[test]
    fn out_of_range_spans_do_not_panic() {
        let f = Finding::new("r", Category::Style, Severity::Minor, 2..99, "m");
        assert_eq!(FindingKey::of(&f, "é and").text, "and");
        let f = Finding::new("r", Category::Style, Severity::Minor, 1..2, "m");
        assert_eq!(FindingKey::of(&f, "é").text, "é");
    }
}
