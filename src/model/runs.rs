//! What an n-gram model sees of a sentence: runs of words.
//!
//! The model's vocabulary is lowercase words (with inner apostrophes and hyphens, as
//! [`crate::text::Token::norm`] gives them) and no punctuation or numbers. A run is a
//! maximal stretch of word tokens; anything else (a number, punctuation, a quotation
//! mark, a symbol) ends it, so no n-gram spans a comma or a figure. A run that opens the
//! sentence follows `<s>` and one that closes it is followed by `</s>`, the sentence
//! boundaries of the ARPA convention.

use crate::text::{Sentence, Token, TokenKind};

/// A run of words in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run<'a> {
    /// The words' normalized (lowercase) forms, in order.
    pub words: Vec<&'a str>,
    /// Nothing but opening quotes or brackets precede the run in its sentence.
    pub at_start: bool,
    /// Nothing but sentence-final punctuation, quotes or brackets follow it.
    pub at_end: bool,
}

/// The runs of a sentence, in order.
pub fn runs(sentence: &Sentence) -> Vec<Run<'_>> {
    let tokens = &sentence.tokens;
    let mut runs = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if !tokens[i].is_word() {
            i += 1;
            continue;
        }
        let start = i;
        while i < tokens.len() && tokens[i].is_word() {
            i += 1;
        }
        runs.push(Run {
            words: tokens[start..i].iter().map(|t| t.norm.as_str()).collect(),
            at_start: opens_sentence(tokens, start),
            at_end: closes_sentence(tokens, i),
        });
    }
    runs
}

/// True when a run starting at token `start` follows `<s>`: only opening quotes or brackets
/// come before it. The one definition of a sentence boundary for building and querying models.
pub fn opens_sentence(tokens: &[Token], start: usize) -> bool {
    tokens[..start].iter().all(opens)
}

/// True when a run ending before token `end` is followed by `</s>`: only sentence-final
/// punctuation, quotes or brackets come after it.
pub fn closes_sentence(tokens: &[Token], end: usize) -> bool {
    tokens[end..].iter().all(closes)
}

/// A token that can stand before the first word of a sentence without breaking it.
fn opens(token: &Token) -> bool {
    token.kind == TokenKind::Quote || matches!(token.norm.as_str(), "(" | "[")
}

/// A token that can stand after the last word of a sentence without breaking it.
fn closes(token: &Token) -> bool {
    match token.kind {
        TokenKind::Quote => true,
        TokenKind::Punct => token
            .norm
            .chars()
            .all(|c| matches!(c, '.' | '!' | '?' | '…')),
        TokenKind::Symbol => matches!(token.norm.as_str(), ")" | "]"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::segment;

    fn runs_of(text: &str) -> Vec<(String, bool, bool)> {
        segment(text, std::slice::from_ref(&(0..text.len())))
            .iter()
            .flat_map(|s| {
                runs(s)
                    .into_iter()
                    .map(|r| (r.words.join(" "), r.at_start, r.at_end))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn punctuation_numbers_and_quotes_cut_runs() {
        assert_eq!(
            runs_of("“The Dust-Up,” he said, cost 3 million Euros. Yes!"),
            vec![
                ("the dust-up".to_string(), true, false),
                ("he said".to_string(), false, false),
                ("cost".to_string(), false, false),
                ("million euros".to_string(), false, true),
                ("yes".to_string(), true, true),
            ]
        );
    }

    #[test]
    fn a_trailing_comma_or_number_is_no_sentence_end() {
        assert_eq!(
            runs_of("(Europe’s own way) in 2021"),
            vec![
                ("europe's own way".to_string(), true, false),
                ("in".to_string(), false, false)
            ]
        );
        assert!(runs_of("... , 42").is_empty());
    }
}
