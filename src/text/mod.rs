//! Sentences and tokens with byte spans into the original file.

pub mod case;
mod segment;
mod token;

pub use segment::{is_abbreviation, segment, Sentence};
pub use token::{is_hyphen, is_quote, normalize, tokenize, Token, TokenKind};

use std::ops::Range;

/// `n` with its noun: "1 finding", "3 findings" (for nouns with an irregular plural).
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The plural ending of a regular noun counted `n` times: "1 finding", "2 findings".
pub fn plural_s(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The largest character boundary at or before `at` (clamped to the text).
pub(crate) fn char_floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// What is shown of `around` (a sentence) with `span` (a finding in it): all of it, or only
/// up to `context` bytes on each side of the span when it is longer, so that a huge sentence
/// (a 10 MB line) is never shown whole for each of its findings.
pub(crate) fn window(
    text: &str,
    around: &Range<usize>,
    span: &Range<usize>,
    context: usize,
) -> Range<usize> {
    let start = around.start.min(span.start);
    let end = around.end.max(span.end);
    char_floor(text, start.max(span.start.saturating_sub(context)))
        ..char_floor(text, end.min(span.end.saturating_add(context)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(counted(1, "time", "times"), "1 time");
        assert_eq!(counted(0, "fix", "fixes"), "0 fixes");
    }
}
