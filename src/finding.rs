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

    /// Whether the text around the span already reads the top suggestion: the match is part
    /// of its own replacement ("big data" inside "big data set"), so it is no error, and
    /// fixing it would grow the text with every run.
    pub fn reads_its_suggestion(&self, text: &str) -> bool {
        let Some(replacement) = self.top_suggestion().map(|s| s.replacement.as_str()) else {
            return false;
        };
        let Some(matched) = text.get(self.span.clone()).filter(|m| !m.is_empty()) else {
            return false;
        };
        replacement.match_indices(matched).any(|(k, _)| {
            self.span
                .start
                .checked_sub(k)
                .and_then(|at| text.get(at..at + replacement.len()))
                == Some(replacement)
        })
    }
}
