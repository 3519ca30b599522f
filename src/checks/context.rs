//! `context`: words the n-gram model finds out of place, where a thesaurus, inflection or
//! dictionary-phrase neighbour fits far better ("a protector between" → "a buffer between",
//! "profound learning" → "deep learning") or makes a term of technical writing ("concealed
//! layer" → "hidden layer"). See src/context/ for the method.

use super::{Analysis, Check, Configurable, Examples, MustFlag, NoOptions};
use crate::context::swap::{Memo, Swap, SwapFinder, SwapKind};
use crate::context::words::{Run, Sequence};
use crate::finding::{Category, Finding, Severity};
use crate::lexicon::Lexicon;
use crate::model::Model;
use crate::pairs::PairCounts;
use crate::resources::Resources;
use crate::text::case::match_case;
use crate::text::Sentence;
use std::sync::{Arc, Mutex};

pub const RULE: &str = "context";

/// Gain (log10) at which each kind of swap reaches confidence 0.5, the default report
/// threshold; calibrated on corpora/examples (garbled vs clean texts), never on the seed.
/// A dictionary phrase is the strongest evidence; a change of number or tense and a word
/// merely predicted by the model the weakest, since they are so often fine English.
fn gain_at_half(kind: SwapKind) -> f64 {
    match kind {
        SwapKind::Neighbour => 3.5,
        SwapKind::Phrase => 3.5,
        SwapKind::Collocation => 4.0,
        SwapKind::Term => 4.0,
        SwapKind::Inflection => 4.5,
        SwapKind::Fill => 6.0,
    }
}
/// Confidence gained per unit of log10 gain.
const CONFIDENCE_PER_GAIN: f64 = 0.2;
/// Candidates below this confidence are not reported even by `--thorough`.
const MIN_CONFIDENCE: f64 = 0.02;

pub struct ContextCheck {
    model: &'static Model,
    lexicon: &'static Lexicon,
    /// Technical writing's word pairs: more evidence that a pair is English, and its terms.
    technical: &'static PairCounts,
    /// A content team's own model (`--model`): a pair of words it attests is their house
    /// style and never flagged.
    house: Option<Arc<Model>>,
    /// The swap finders' memos between documents, one per thread at work at most: the
    /// words and contexts of one document come back in the next.
    memos: Mutex<Vec<Memo>>,
}

impl Default for ContextCheck {
    fn default() -> Self {
        ContextCheck::new(&Resources::default())
    }
}

impl Configurable for ContextCheck {
    const RULE: &'static str = RULE;
    type Options = NoOptions;

    fn build(resources: &Resources, _: NoOptions) -> Result<Self, String> {
        Ok(ContextCheck::new(resources))
    }
}

fn confidence(swap: &Swap) -> f64 {
    (0.5 + (swap.gain - gain_at_half(swap.kind)) * CONFIDENCE_PER_GAIN).clamp(0.0, 0.9)
}

impl ContextCheck {
    pub fn new(resources: &Resources) -> ContextCheck {
        ContextCheck {
            model: resources.model,
            lexicon: resources.lexicon,
            technical: resources.technical,
            house: resources.house.clone(),
            memos: Mutex::default(),
        }
    }

    /// Whether the house model has seen the written words of `swap` beside their neighbours
    /// (every pair the swap would change).
    fn house_attests(&self, seq: &Sequence, swap: &Swap) -> bool {
        let Some(house) = &self.house else {
            return false;
        };
        let from = swap.from.saturating_sub(1);
        let to = (swap.to + 1).min(seq.ids.len());
        let words: Vec<&str> = seq.ids[from..to]
            .iter()
            .filter_map(|&id| self.model.word(id))
            .collect();
        words.len() == to - from && words.windows(2).all(|p| house.pair_attested(p[0], p[1]))
    }

    /// Every swap in the run worth reporting, as (confidence, swap).
    fn swaps(
        &self,
        finder: &SwapFinder,
        sentence: &Sentence,
        text: &str,
        run: &Run,
        seq: &Sequence,
    ) -> Vec<(f64, Swap)> {
        let first_word = sentence.tokens.iter().position(|t| t.is_word());
        let content: Vec<bool> = run
            .words
            .iter()
            .map(|w| {
                let token = &sentence.tokens[w.token];
                // A capitalized word inside a sentence is a name: never swapped.
                let plain = !token.is_capitalized(text) || Some(w.token) == first_word;
                plain && finder.is_content_word(&token.norm)
            })
            .collect();
        // The swaps at a content word ask of its own pair with the word before and of the
        // next.
        let content_at = |j: usize| {
            j.checked_sub(seq.offset)
                .and_then(|k| content.get(k))
                .is_some_and(|&c| c)
        };
        let attested = finder.attested_pairs(seq, |j| content_at(j) || content_at(j - 1));
        let mut found = Vec::new();
        for (k, w) in run.words.iter().enumerate() {
            if !content[k] {
                continue;
            }
            let at = seq.offset + k;
            let word = &sentence.tokens[w.token].norm;
            let swaps = finder.one_word(seq, at, word, &attested);
            found.extend(
                swaps
                    .into_iter()
                    .flatten()
                    .map(|swap| (confidence(&swap), swap)),
            );
            if k + 1 < run.words.len() && content[k + 1] {
                let next = &sentence.tokens[run.words[k + 1].token].norm;
                if let Some(swap) = finder.pair(seq, at, [word, next], &attested) {
                    found.push((confidence(&swap), swap));
                }
            }
        }
        found.retain(|(c, swap)| *c >= MIN_CONFIDENCE && !self.house_attests(seq, swap));
        found
    }

    fn finding(
        &self,
        sentence: &Sentence,
        text: &str,
        run: &Run,
        seq_offset: usize,
        confidence: f64,
        swap: &Swap,
    ) -> Finding {
        let first = &sentence.tokens[run.words[swap.from - seq_offset].token];
        let last = &sentence.tokens[run.words[swap.to - 1 - seq_offset].token];
        let span = first.span.start..last.span.end;
        let written = &text[span.clone()];
        let replacement = match_case(written, &swap.replacement.join(" "));
        Finding::new(
            RULE,
            Category::Mistranslation,
            Severity::Major,
            span,
            format!("“{written}” is unusual here; “{replacement}” fits the context"),
        )
        .confidence(confidence as f32)
        .suggest(replacement.clone())
        .evidence(self.evidence(written, &replacement, swap))
    }

    /// The numbers behind a swap, in words.
    fn evidence(&self, written: &str, replacement: &str, swap: &Swap) -> String {
        match (swap.kind, swap.replacement.as_slice()) {
            (SwapKind::Term, [first, second]) => format!(
                "technical writing uses “{replacement}” {} times in {:.1} million words, 10^{:.1} times more often than chance; “{written}” not even twice",
                self.technical.pair(first, second),
                self.technical.word("") as f64 / 1e6,
                self.technical.association(first, second).unwrap_or(0.0)
            ),
            (kind, _) => format!(
                "in this context “{replacement}” is 10^{:.1} times likelier than “{written}”{}",
                swap.gain,
                if kind == SwapKind::Phrase {
                    " (a dictionary phrase)"
                } else {
                    ""
                }
            ),
        }
    }
}

impl Check for ContextCheck {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "A word the English model finds out of place, where a thesaurus, inflection or dictionary-phrase neighbour fits far better or makes a term of technical writing."
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        let memo = self.memos.lock().ok().and_then(|mut memos| memos.pop());
        let finder = SwapFinder::new(
            self.model,
            self.lexicon,
            self.technical,
            memo.unwrap_or_default(),
        );
        // The runs are the embedded model's, which is `self.model`.
        for (sentence, runs) in doc.sentences.iter().zip(doc.runs) {
            for run in runs {
                let seq = &run.seq;
                let mut swaps = self.swaps(&finder, sentence, doc.text, run, seq);
                // Overlapping proposals: keep the most confident.
                swaps.sort_by(|a, b| b.0.total_cmp(&a.0));
                let mut taken: Vec<(usize, usize)> = Vec::new();
                for (confidence, swap) in &swaps {
                    if taken.iter().any(|&(f, t)| swap.from < t && f < swap.to) {
                        continue;
                    }
                    taken.push((swap.from, swap.to));
                    out.push(self.finding(sentence, doc.text, run, seq.offset, *confidence, swap));
                }
            }
        }
        if let Ok(mut memos) = self.memos.lock() {
            memos.push(finder.into_memo());
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "The company lost market portion to cheaper rivals this year.",
                    fixed: Some("The company lost market share to cheaper rivals this year."),
                },
                MustFlag {
                    text: "Doctors check her blood tension every week.",
                    fixed: Some("Doctors check her blood pressure every week."),
                },
                MustFlag {
                    text: "The network has one concealed layer of units.",
                    fixed: Some("The network has one hidden layer of units."),
                },
            ],
            must_not_flag: &[
                "The company lost market share to cheaper rivals this year.",
                "Doctors check her blood pressure every week.",
                "The pilots made a forced landing in a field near the airport.",
                "The network has one hidden layer of units.",
                "The loss is the mean squared error of the fit.",
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memos_carried_between_documents_change_no_finding() {
        let texts = [
            "The company lost market portion to cheaper rivals. Doctors check her blood tension.",
            "Rivals lost market portion again, and the doctors check her blood tension weekly.",
            "Doctors check the blood tension of the company's rivals, who lost market portion.",
        ];
        let audit = |auditor: &crate::audit::Auditor,
                     text: &str|
         -> Vec<(std::ops::Range<usize>, String)> {
            auditor
                .audit_text("t", text, crate::input::Format::Text)
                .findings()
                .map(|f| (f.span.clone(), f.message.clone()))
                .collect()
        };
        let config = crate::audit::AuditConfig {
            min_confidence: 0.0,
            ..crate::audit::AuditConfig::default()
        };
        let carried =
            crate::audit::Auditor::new(config.clone(), vec![Box::<ContextCheck>::default()]);
        for text in texts {
            let fresh =
                crate::audit::Auditor::new(config.clone(), vec![Box::<ContextCheck>::default()]);
            let want = audit(&fresh, text);
            assert!(!want.is_empty(), "{text}");
            assert_eq!(audit(&carried, text), want, "{text}");
        }
    }
}
