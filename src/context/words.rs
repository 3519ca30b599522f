//! A sentence as the language model sees it: runs of vocabulary words. A run breaks at
//! anything the model cannot score across — a name or word it does not know, a number,
//! punctuation, a quotation mark, an unlisted hyphenated compound — so no probability is
//! ever computed over a broken context.

use crate::model::{Model, WordId};
use crate::text::{Sentence, TokenKind};

#[derive(Debug, Clone, PartialEq)]
pub struct ModelWord {
    /// Index of the token in its sentence.
    pub token: usize,
    pub id: WordId,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub words: Vec<ModelWord>,
    /// The run opens the sentence, so `<s>` is its context.
    pub at_start: bool,
    /// The run closes the sentence, so `</s>` follows it.
    pub at_end: bool,
}

/// The model word for a token's normalized form: the form itself, or without a
/// possessive ending when only the bare word is known.
pub fn model_id(model: &Model, norm: &str) -> Option<WordId> {
    model.word_id(norm).or_else(|| {
        let bare = norm
            .strip_suffix("'s")
            .or_else(|| norm.strip_suffix('\''))?;
        model.word_id(bare)
    })
}

pub fn runs(sentence: &Sentence, model: &Model) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut current: Vec<ModelWord> = Vec::new();
    let first_word = sentence.tokens.iter().position(|t| t.is_word());
    let last_word = sentence.tokens.iter().rposition(|t| t.is_word());
    let ends_cleanly = last_word.is_some_and(|i| {
        sentence.tokens[i + 1..]
            .iter()
            .all(|t| matches!(t.norm.as_str(), "." | "!" | "?" | "\"" | "'" | ")"))
    });
    let mut flush = |current: &mut Vec<ModelWord>, at_end: bool| {
        if let Some(first) = current.first() {
            runs.push(Run {
                at_start: Some(first.token) == first_word,
                words: std::mem::take(current),
                at_end,
            });
        }
    };
    for (i, token) in sentence.tokens.iter().enumerate() {
        let id = match token.kind {
            TokenKind::Word => model_id(model, &token.norm),
            _ => None,
        };
        match id {
            Some(id) => current.push(ModelWord { token: i, id }),
            None => {
                let at_end = ends_cleanly
                    && Some(i) > last_word
                    && current.last().is_some_and(|w| Some(w.token) == last_word);
                flush(&mut current, at_end);
            }
        }
    }
    flush(&mut current, ends_cleanly);
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::segment;

    fn run_texts(text: &str) -> Vec<(Vec<String>, bool, bool)> {
        let whole = 0..text.len();
        let sentence = &segment(text, std::slice::from_ref(&whole))[0];
        let model = Model::embedded();
        runs(sentence, model)
            .into_iter()
            .map(|r| {
                let words = r
                    .words
                    .iter()
                    .map(|w| sentence.tokens[w.token].norm.clone())
                    .collect();
                (words, r.at_start, r.at_end)
            })
            .collect()
    }

    #[test]
    fn runs_break_at_numbers_punctuation_and_unknown_names() {
        let got = run_texts("The mayor met Zzyzxqor on 12 May, and they talked.");
        let words: Vec<Vec<String>> = got.iter().map(|r| r.0.clone()).collect();
        assert_eq!(
            words,
            [
                vec!["the", "mayor", "met"],
                vec!["on"],
                vec!["may"],
                vec!["and", "they", "talked"]
            ]
        );
        assert!(
            got[0].1 && !got[1].1,
            "only the first run opens the sentence"
        );
        assert!(got[3].2 && !got[0].2, "only the last run closes it");
    }
}
