//! Sentence segmentation over the prose view of a document.

use super::token::{tokenize, Token, TokenKind};
use crate::word_lists::{FINAL_ABBREVIATIONS, NON_FINAL_ABBREVIATIONS, SENTENCE_STARTERS};
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Byte span in the original file, trimmed of surrounding whitespace.
    pub span: Range<usize>,
    pub tokens: Vec<Token>,
    /// Index of the paragraph (block) that holds the sentence.
    pub paragraph: usize,
}

impl Sentence {
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.span.clone()]
    }

    pub fn words(&self) -> impl Iterator<Item = &Token> {
        self.tokens.iter().filter(|t| t.is_word())
    }

    pub fn word_count(&self) -> usize {
        self.tokens
            .iter()
            .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
            .count()
    }
}

/// Whether `word` (lowercase, without its final dot) is an abbreviation that takes a dot
/// without ending a sentence ("dr", "etc", "u.s").
pub fn is_abbreviation(word: &str) -> bool {
    NON_FINAL_ABBREVIATIONS.contains(word) || FINAL_ABBREVIATIONS.contains(word)
}

/// Splits each block (paragraph) into sentences. `blocks` are byte ranges of `prose`,
/// whose bytes are the original file's with non-prose masked as spaces.
pub fn segment(prose: &str, blocks: &[Range<usize>]) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    for (paragraph, block) in blocks.iter().enumerate() {
        let tokens = tokenize(prose, block.clone());
        let next_words = next_words(&tokens);
        let mut ends = Vec::new();
        let mut i = 0;
        let mut start = 0;
        while i < tokens.len() {
            let next_word = next_words[i].map(|j| &tokens[j]);
            if ends_sentence(prose, &tokens, i, next_word) || i + 1 - start >= MAX_SENTENCE_TOKENS {
                // Closing quotes and brackets after the terminator belong to this sentence.
                while i + 1 < tokens.len() && is_closer(prose, &tokens[i + 1]) {
                    i += 1;
                }
                ends.push(i + 1);
                start = i + 1;
            }
            i += 1;
        }
        let mut rest = tokens.into_iter();
        let mut taken = 0;
        for end in ends.into_iter().chain(std::iter::once(usize::MAX)) {
            let part: Vec<Token> = rest.by_ref().take(end.saturating_sub(taken)).collect();
            taken = end;
            push(&mut sentences, part, paragraph);
        }
    }
    sentences
}

/// Text without sentence punctuation (a 20 MB line) is cut into bounded pieces, so that
/// every check's work per sentence stays bounded.
const MAX_SENTENCE_TOKENS: usize = 400;

fn push(sentences: &mut Vec<Sentence>, tokens: Vec<Token>, paragraph: usize) {
    if let (Some(first), Some(last)) = (tokens.first(), tokens.last()) {
        sentences.push(Sentence {
            span: first.span.start..last.span.end,
            paragraph,
            tokens,
        });
    }
}

fn is_closer(prose: &str, token: &Token) -> bool {
    let text = token.text(prose);
    matches!(text, "”" | "’" | "\"" | "'" | ")" | "]" | "»")
        && !(matches!(text, "\"" | "'") && opens_quote(prose, token))
}

/// A straight quote opens when whitespace precedes it and a word follows directly.
fn opens_quote(prose: &str, token: &Token) -> bool {
    let before = prose[..token.span.start].chars().next_back();
    let after = prose[token.span.end..].chars().next();
    before.is_none_or(char::is_whitespace) && after.is_some_and(|c| !c.is_whitespace())
}

/// For each token, the index of the next one that is not a quote or a symbol: found in
/// one pass from the end, since a run of 100,000 brackets must not be scanned once per token.
fn next_words(tokens: &[Token]) -> Vec<Option<usize>> {
    let mut next_words = vec![None; tokens.len()];
    let mut next = None;
    for (i, token) in tokens.iter().enumerate().rev() {
        next_words[i] = next;
        if !matches!(token.kind, TokenKind::Quote | TokenKind::Symbol) {
            next = Some(i);
        }
    }
    next_words
}

/// Whether `tokens[i]` ends a sentence; `next_word` is the next token that is not a quote
/// or a symbol.
fn ends_sentence(prose: &str, tokens: &[Token], i: usize, next_word: Option<&Token>) -> bool {
    let token = &tokens[i];
    let next_starts_upper = next_word.is_none_or(|t| {
        t.text(prose)
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    });
    // After an abbreviation, only a capitalized function word ("The", "He") starts a new
    // sentence: "U.S. officials", "5 p.m. Friday" and "Smith Inc. Chairman" go on.
    let after_abbreviation = |word: &str| {
        !NON_FINAL_ABBREVIATIONS.contains(word)
            && next_word.is_none_or(|t| next_starts_upper && SENTENCE_STARTERS.contains(&t.norm))
    };
    match (token.kind, token.text(prose)) {
        (TokenKind::Punct, "!" | "?") => true,
        (TokenKind::Punct, "..." | "…") => next_word.is_some() && next_starts_upper,
        (TokenKind::Punct, ".") => match i.checked_sub(1).map(|p| &tokens[p]) {
            Some(prev) if prev.is_word() && prev.span.end == token.span.start => {
                let word = prev.norm.as_str();
                if is_abbreviation(word) {
                    after_abbreviation(word)
                } else {
                    true
                }
            }
            _ => true,
        },
        // Initials carry their own dot ("U.S.", "p.m.", "J.").
        (TokenKind::Word, text) if text.ends_with('.') => after_abbreviation(text_norm(token)),
        _ => false,
    }
}

fn text_norm(token: &Token) -> &str {
    token.norm.trim_end_matches('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        let whole = 0..text.len();
        segment(text, std::slice::from_ref(&whole))
            .into_iter()
            .map(|s| &text[s.span])
            .collect()
    }

    #[test]
    fn survives_abbreviations() {
        assert_eq!(
            split("Mr. Smith met U.S. officials at 5 p.m. Friday. He left at No. 3 Main St. on Jan. 4."),
            ["Mr. Smith met U.S. officials at 5 p.m. Friday.", "He left at No. 3 Main St. on Jan. 4."]
        );
    }

    #[test]
    fn final_abbreviation_before_capital_ends() {
        assert_eq!(
            split("They met at 5 p.m. The talks failed."),
            ["They met at 5 p.m.", "The talks failed."]
        );
    }

    #[test]
    fn decimals_and_quotes() {
        assert_eq!(
            split("Growth hit 3.5 percent. “We are pleased,” she said. “Very.” Then he left."),
            [
                "Growth hit 3.5 percent.",
                "“We are pleased,” she said.",
                "“Very.”",
                "Then he left."
            ]
        );
    }

    #[test]
    fn ellipsis_ends_only_before_capital() {
        assert_eq!(
            split("He paused... and went on... Then it rained."),
            ["He paused... and went on...", "Then it rained."]
        );
    }

    #[test]
    fn runaway_sentences_are_cut() {
        let text = "word ".repeat(1000);
        let whole = 0..text.len();
        let sentences = segment(&text, std::slice::from_ref(&whole));
        assert_eq!(sentences.len(), 3);
        assert!(sentences
            .iter()
            .all(|s| s.tokens.len() <= MAX_SENTENCE_TOKENS));
    }

    #[test]
    fn blocks_are_boundaries() {
        let text = "A title\n\nBody text here.";
        let got: Vec<_> = segment(text, &[0..7, 9..text.len()])
            .into_iter()
            .map(|s| (&text[s.span], s.paragraph))
            .collect();
        assert_eq!(got, [("A title", 0), ("Body text here.", 1)]);
    }
}
