//! The finding model: what every check produces and every printer consumes.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::Range;

/// MQM error categories (a fixed set, as in Harper's lint kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Mistranslation,
    Grammar,
    Spelling,
    Punctuation,
    WordOrder,
    Terminology,
    Untranslated,
    Omission,
    Addition,
    Markup,
    Style,
}

impl Category {
    pub const ALL: [Category; 11] = [
        Category::Mistranslation,
        Category::Grammar,
        Category::Spelling,
        Category::Punctuation,
        Category::WordOrder,
        Category::Terminology,
        Category::Untranslated,
        Category::Omission,
        Category::Addition,
        Category::Markup,
        Category::Style,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Mistranslation => "mistranslation",
            Category::Grammar => "grammar",
            Category::Spelling => "spelling",
            Category::Punctuation => "punctuation",
            Category::WordOrder => "word-order",
            Category::Terminology => "terminology",
            Category::Untranslated => "untranslated",
            Category::Omission => "omission",
            Category::Addition => "addition",
            Category::Markup => "markup",
            Category::Style => "style",
        }
    }
}

impl std::str::FromStr for Category {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == s.trim())
            .ok_or_else(|| format!("unknown category `{s}`"))
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// MQM severity; the order matters for `--fail-on`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Minor,
    Major,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Minor => "minor",
            Severity::Major => "major",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A proposed replacement for exactly the finding's byte span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub replacement: String,
    pub confidence: f32,
}

impl Suggestion {
    /// What applying it does, for people: `Replace with “x”`, or `Delete` for an empty
    /// replacement.
    pub fn action(&self) -> String {
        if self.replacement.is_empty() {
            "Delete".to_owned()
        } else {
            format!("Replace with “{}”", self.replacement)
        }
    }
}

/// One problem in one place. `span` is a byte range into the original file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// How sure the check is that this is a real error, 0..=1.
    pub confidence: f32,
    pub span: Range<usize>,
    pub message: String,
    pub suggestions: Vec<Suggestion>,
    /// Why the check believes it, in plain numbers where it has them.
    pub evidence: Option<String>,
}

impl Finding {
    pub fn new(
        rule: &'static str,
        category: Category,
        severity: Severity,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            rule,
            category,
            severity,
            confidence: 0.5,
            span,
            message: message.into(),
            suggestions: Vec::new(),
            evidence: None,
        }
    }

    pub fn confidence(mut self, confidence: f32) -> Self {
        self.confidence = confidence;
        self
    }

    /// Raises the finding's confidence to `confidence` (never lowers it), and its
    /// suggestions' in proportion: evidence found after the check ran, such as a document
    /// that reads as machine-spun.
    pub fn raise_confidence(&mut self, confidence: f32) {
        if confidence <= self.confidence {
            return;
        }
        let scale = if self.confidence > 0.0 {
            confidence / self.confidence
        } else {
            1.0
        };
        for s in &mut self.suggestions {
            s.confidence = (s.confidence * scale).min(confidence);
        }
        self.confidence = confidence;
    }

    /// Adds a suggestion with the finding's own confidence.
    pub fn suggest(mut self, replacement: impl Into<String>) -> Self {
        let confidence = self.confidence;
        self.suggestions.push(Suggestion {
            replacement: replacement.into(),
            confidence,
        });
        self
    }

    pub fn evidence(mut self, evidence: impl Into<String>) -> Self {
        self.evidence = Some(evidence.into());
        self
    }

    pub fn top_suggestion(&self) -> Option<&Suggestion> {
        self.suggestions.first()
    }

    /// Whether the text around the span already reads one of its suggestions, letter case and
    /// runs of white space aside: the match is part of its own replacement ("big data" inside
    /// "big data set"), so it is no error, and fixing it would grow the text with every run.
    pub fn reads_its_suggestion(&self, text: &str) -> bool {
        let Some(matched) = text.get(self.span.clone()).map(folded) else {
            return false;
        };
        if matched.is_empty() {
            return false;
        }
        let mut longer: Vec<Vec<char>> = Vec::new();
        for s in &self.suggestions {
            let replacement = folded(&s.replacement);
            if replacement.len() == matched.len() {
                // A change of case or spacing alone is a fix of its own.
                if s.replacement == text[self.span.clone()] {
                    return true;
                }
            } else if replacement.len() > matched.len() {
                longer.push(replacement);
            }
        }
        // The text around the span is read only for a suggestion the match can sit inside.
        if longer.is_empty() {
            return false;
        }
        // The longest suggestion bounds how much of the text around is compared.
        let around = longer.iter().map(Vec::len).max().unwrap_or(0) - matched.len();
        let before = fold(text[..self.span.start].chars().rev().take(REACH), around);
        let after = fold(text[self.span.end..].chars().take(REACH), around);
        longer.iter().any(|replacement| {
            (0..=replacement.len() - matched.len()).any(|k| {
                replacement[k..].starts_with(&matched)
                    && before.iter().take(k).eq(replacement[..k].iter().rev())
                    && after.starts_with(&replacement[k + matched.len()..])
            })
        })
    }
}

/// `text` lowercased, with every run of white space read as one space.
fn folded(text: &str) -> Vec<char> {
    fold(text.chars(), usize::MAX)
}

/// How far around a span (in characters) a suggestion is looked for.
const REACH: usize = 256;

/// The first `limit` characters (or a few more) of `chars` folded as [`folded`] does.
fn fold(chars: impl Iterator<Item = char>, limit: usize) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for c in chars {
        if out.len() >= limit {
            break;
        }
        if c.is_whitespace() {
            if out.last() != Some(&' ') {
                out.push(' ');
            }
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deletion_says_delete() {
        let delete = Suggestion {
            replacement: String::new(),
            confidence: 0.9,
        };
        assert_eq!(delete.action(), "Delete");
    }

    /// A finding on the first `matched` in `text`, suggesting each of `suggestions`.
    fn on(text: &str, matched: &str, suggestions: &[&str]) -> Finding {
        let start = text.find(matched).expect("the match is in the text");
        let finding = Finding::new(
            "test",
            Category::Terminology,
            Severity::Major,
            start..start + matched.len(),
            "message",
        );
        suggestions.iter().fold(finding, |f, s| f.suggest(*s))
    }

    #[test]
    fn a_match_inside_its_own_suggestion_reads_it() {
        let text = "We sell big data set tools.";
        assert!(on(text, "big data", &["big data set"]).reads_its_suggestion(text));
        assert!(!on(text, "big data", &["big data sets"]).reads_its_suggestion(text));
    }

    #[test]
    fn any_suggestion_counts_not_only_the_first() {
        let text = "We sell big data set tools.";
        let finding = on(text, "big data", &["big data sets", "big data set"]);
        assert!(finding.reads_its_suggestion(text));
    }

    #[test]
    fn letter_case_and_line_breaks_are_read_through() {
        let text = "We sell Big Data\n  set tools.";
        assert!(on(text, "Big Data", &["big data set"]).reads_its_suggestion(text));
        let text = "We sell big\ndata set tools.";
        assert!(on(text, "big\ndata", &["big data set"]).reads_its_suggestion(text));
    }

    #[test]
    fn a_change_of_case_alone_is_still_a_fix() {
        let text = "The nato summit opened.";
        assert!(!on(text, "nato", &["NATO"]).reads_its_suggestion(text));
        let text = "The NATO summit opened.";
        assert!(on(text, "NATO", &["NATO"]).reads_its_suggestion(text));
    }

    #[test]
    fn a_suggestion_reaching_past_the_text_is_not_read() {
        let text = "data set";
        assert!(!on(text, "data", &["big data set"]).reads_its_suggestion(text));
        assert!(on(text, "data", &["data set"]).reads_its_suggestion(text));
    }
}
