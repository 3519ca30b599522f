//! A sentence as the language model sees it: runs of vocabulary words. A run breaks at
//! anything the model cannot score across — a name or word it does not know, a number,
//! punctuation, a quotation mark, an unlisted hyphenated compound — so no probability is
//! ever computed over a broken context.

use crate::model::runs::{closes_sentence, opens_sentence};
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
    /// The run as the model scores it, scored once for every check.
    pub seq: Sequence,
}

/// A run's words with `<s>`/`</s>` where the sentence opens/closes, and how the model
/// scores each of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Sequence {
    pub ids: Vec<WordId>,
    /// Index in `ids` of the run's first word (1 when `<s>` was prepended).
    pub offset: usize,
    /// `scores[j]`: how the model scores `ids[j]` after the ids before it.
    pub scores: Vec<Score>,
}

/// The model's score of a word after its context.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// log10 P(word | context).
    pub log10: f32,
    /// The length of the listed n-gram the probability came from (see
    /// [`Model::log10_prob_detail`]): 2 or more means the model saw the word right after
    /// the one before it.
    pub matched: usize,
}

impl Sequence {
    fn new(words: &[ModelWord], at_start: bool, at_end: bool, model: &Model) -> Sequence {
        let bos = at_start.then(|| model.sentence_start()).flatten();
        let eos = at_end.then(|| model.sentence_end()).flatten();
        let mut ids = Vec::with_capacity(words.len() + 2);
        ids.extend(bos);
        ids.extend(words.iter().map(|w| w.id));
        ids.extend(eos);
        let context = model.order() - 1;
        let scores = (0..ids.len())
            .map(|j| {
                let (log10, matched) =
                    model.log10_prob_detail(&ids[j.saturating_sub(context)..j], Some(ids[j]));
                Score { log10, matched }
            })
            .collect();
        Sequence {
            ids,
            offset: usize::from(bos.is_some()),
            scores,
        }
    }
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

/// The sentence's runs of model words, with the sentence boundaries the model was built
/// with (`model::runs`), so a query sees `<s>` and `</s>` exactly where training did.
pub fn runs(sentence: &Sentence, model: &Model) -> Vec<Run> {
    let tokens = &sentence.tokens;
    let mut runs = Vec::new();
    let mut current: Vec<ModelWord> = Vec::new();
    let mut flush = |current: &mut Vec<ModelWord>| {
        if let (Some(first), Some(last)) = (current.first(), current.last()) {
            let at_start = opens_sentence(tokens, first.token);
            let at_end = closes_sentence(tokens, last.token + 1);
            runs.push(Run {
                seq: Sequence::new(current, at_start, at_end, model),
                at_start,
                at_end,
                words: std::mem::take(current),
            });
        }
    };
    for (i, token) in tokens.iter().enumerate() {
        let id = match token.kind {
            TokenKind::Word => model_id(model, &token.norm),
            _ => None,
        };
        match id {
            Some(id) => current.push(ModelWord { token: i, id }),
            None => flush(&mut current),
        }
    }
    flush(&mut current);
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

    #[test]
    fn sentence_boundaries_are_the_models() {
        // What precedes or follows a run decides `<s>` / `</s>` as in model building: a
        // number before the first word is no sentence start, an ellipsis is an end.
        let got = run_texts("12 people met the mayor …");
        assert_eq!(got.len(), 1);
        assert!(!got[0].1 && got[0].2, "{got:?}");
        let got = run_texts("“The mayor met them.”");
        assert!(got[0].1 && got[0].2, "{got:?}");
    }
}
