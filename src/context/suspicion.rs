//! Suspicion: how unlike written English the model finds a sentence, as 0..1.
//!
//! SLOR (syntactic log-odds ratio): the sentence's log probability minus the sum of its
//! words' unigram log probabilities, per word. Subtracting the unigrams normalizes for word
//! frequency (rare words are not suspicious for being rare); dividing by length normalizes
//! for length. Only words inside runs count (see `words.rs`), so names and numbers add nothing.

use super::words::Run;
use crate::model::Model;

/// The median SLOR (log10 per word) of the sentences of our own clean texts and references
/// in corpora/examples; garbled sentences tend to fall below it.
const TYPICAL_SLOR: f64 = 0.55;
/// How fast suspicion rises as SLOR falls below typical. Broad, because the model's surprise
/// is weak evidence beside the checks' (fitted on corpora/examples: the ROC-AUC of suspicion
/// there is flat from 1.0 up).
const SLOR_SCALE: f64 = 1.0;

/// The sentence's SLOR in log10 per word; `None` when the model knows too few of its words.
pub fn slor(runs: &[Run], words: usize, model: &Model) -> Option<f64> {
    let mut total = 0.0;
    let mut scored = 0usize;
    for run in runs {
        let seq = &run.seq;
        for (j, (&id, score)) in seq.ids.iter().zip(&seq.scores).enumerate().skip(seq.offset) {
            // The first word of a run inside a sentence has no context to be scored in.
            if j > 0 {
                let unigram = f64::from(model.log10_unigram_id(id));
                total += f64::from(score.log10) - unigram;
            }
            scored += 1;
        }
    }
    (scored >= 3).then(|| total / words.max(scored) as f64)
}

/// Maps SLOR to 0..1: 0.5 at the typical clean value, rising as the sentence gets stranger.
pub fn from_slor(slor: f64) -> f64 {
    1.0 / (1.0 + ((slor - TYPICAL_SLOR) / SLOR_SCALE).exp())
}

/// Combines independent evidence of garbling (each 0..1) by noisy-or.
pub fn combine(evidence: impl IntoIterator<Item = f64>) -> f64 {
    1.0 - evidence
        .into_iter()
        .fold(1.0, |clean, e| clean * (1.0 - e.clamp(0.0, 1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noisy_or_combines() {
        assert!((combine([0.5, 0.5]) - 0.75).abs() < 1e-9);
        assert_eq!(combine([]), 0.0);
    }

    #[test]
    fn slor_maps_monotonically() {
        assert!(from_slor(-1.0) > from_slor(0.5));
        assert!((from_slor(TYPICAL_SLOR) - 0.5).abs() < 1e-9);
    }
}
