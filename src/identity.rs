//! The identity of a finding across edits, one definition for baselines (`baseline.rs`) and
//! review decisions (`review/`): its rule, its flagged text and up to two words of context on
//! each side from its own line(s), all normalized (case, white space, curly quotes), never a
//! line number or offset, so edits elsewhere in the file do not disturb it.

use crate::finding::Finding;
use crate::text::char_floor;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Words of context kept on each side of the flagged text.
const CONTEXT_WORDS: usize = 2;
/// How far (in bytes) around a finding its context words are looked for: far more than two
/// words take, and bounded, so a finding on a 10 MB line costs what one on a short line does.
const CONTEXT_REACH: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FindingKey {
    pub rule: String,
    /// The flagged text, normalized.
    pub text: String,
    /// Up to two words just before the flagged text on its line, normalized.
    pub before: String,
    /// Up to two words just after it on its line, normalized.
    pub after: String,
}

impl FindingKey {
    /// The key of `finding` in `text` (the document its span indexes).
    pub fn of(finding: &Finding, text: &str) -> FindingKey {
        FindingKey::at(finding.rule, finding.span.clone(), text)
    }

    /// The key of a finding of `rule` at `span` in `text`.
    pub fn at(rule: &str, span: Range<usize>, text: &str) -> FindingKey {
        let span = clamp(text, span);
        // Context stays on the finding's own line(s), so edits to other lines never touch it.
        // Only the few words needed are read, however long the line.
        let mut from = span.start.saturating_sub(CONTEXT_REACH);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let mut to = (span.end + CONTEXT_REACH).min(text.len());
        while !text.is_char_boundary(to) {
            to -= 1;
        }
        let line_start = text[from..span.start]
            .rfind('\n')
            .map_or(from, |i| from + i + 1);
        let line_end = text[span.end..to].find('\n').map_or(to, |i| span.end + i);
        FindingKey::new(
            rule,
            &text[span.clone()],
            &text[line_start..span.start],
            &text[span.end..line_end],
        )
    }

    /// The key of flagged text between the text `before` and `after` it (on its line).
    fn new(rule: &str, flagged: &str, before: &str, after: &str) -> FindingKey {
        let before = normalize(before);
        let before = words(&before);
        let after = normalize(after);
        let after = words(&after);
        FindingKey {
            rule: rule.to_owned(),
            text: normalize(flagged),
            before: before[before.len().saturating_sub(CONTEXT_WORDS)..].join(" "),
            after: after[..after.len().min(CONTEXT_WORDS)].join(" "),
        }
    }

    /// The same key with its parts normalized again: for keys written by a version that
    /// kept case and punctuation.
    pub fn renormalized(&self) -> FindingKey {
        FindingKey::new(&self.rule, &self.text, &self.before, &self.after)
    }

    /// The context as a baseline file shows it: `before _ after`.
    pub fn context(&self) -> String {
        format!("{} _ {}", self.before, self.after)
            .trim()
            .to_owned()
    }

    /// A stable 64-bit hash of the key, in hex: the same on every platform and release.
    pub fn fingerprint(&self) -> String {
        let hash = fnv1a(format!("{}\0{}\0{}", self.rule, self.text, self.context()).as_bytes());
        format!("{hash:016x}")
    }
}

/// Case, runs of white space and curly quotes folded.
fn normalize(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace(['‘', '’', 'ʼ'], "'")
        .replace(['“', '”', '„'], "\"")
}

fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect()
}

/// 64-bit FNV-1a, stable across platforms and releases (unlike `std`'s hasher).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A span cut to the text and to character boundaries, so no finding can make us panic.
fn clamp(text: &str, span: Range<usize>) -> Range<usize> {
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
        assert_eq!(
            (a.before.as_str(), a.after.as_str()),
            ("two three", "of the")
        );
        let moved = key(
            "A new first sentence.\nTwo  three Forced\ndownsizing, of the flight.",
            "Forced\ndownsizing",
        );
        assert_eq!(a, moved);
        let near = key(
            "One. Two four forced downsizing of the flight.",
            "forced downsizing",
        );
        assert_ne!(a, near);
        assert_ne!(a.fingerprint(), near.fingerprint());
    }

    #[test]
    fn context_stays_on_the_line_and_quotes_are_folded() {
        let a = key("Line one.\n“Forced downsizing” now", "Forced downsizing");
        assert_eq!(a.before, "");
        assert_eq!(a.after, "now");
        assert_eq!(a.context(), "_ now");
    }

    #[test]
    fn fingerprints_are_stable() {
        // The value baseline files of format version 1 hold for this finding.
        let a = key(
            "Two three forced downsizing of the flight.",
            "forced downsizing",
        );
        assert_eq!(a.fingerprint(), "04da0756d0d26ccb");
    }

    #[test]
    fn old_keys_are_renormalized_to_new_ones() {
        let new = key(
            "Two three forced downsizing of the flight.",
            "forced downsizing",
        );
        let old = FindingKey {
            rule: "glossary".into(),
            text: "forced downsizing".into(),
            before: "Two three".into(),
            after: "of the".into(),
        };
        assert_eq!(old.renormalized(), new);
    }

    #[test]
    fn out_of_range_spans_do_not_panic() {
        let f = Finding::new("r", Category::Style, Severity::Minor, 2..99, "m");
        assert_eq!(FindingKey::of(&f, "é and").text, "and");
        let f = Finding::new("r", Category::Style, Severity::Minor, 1..2, "m");
        assert_eq!(FindingKey::of(&f, "é").text, "é");
    }
}
