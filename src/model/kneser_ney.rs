//! Interpolated modified Kneser-Ney (Chen & Goodman 1998, as KenLM's lmplz estimates it),
//! written in backoff form.
//!
//! Adjusted counts: a trigram keeps its count; a bigram `v w` counts the distinct words
//! before it (`u v w` seen), a unigram `w` the distinct words before it; n-grams that
//! start at a boundary (`<s> w`, or the hidden run boundary of [`super::count`]) keep
//! their own counts, since nothing can precede them. For each order k and context c,
//!
//! ```text
//! p_k(w | c) = (a(c w) - D_k(a(c w))) / Σ_x a(c x)  +  γ(c) · p_{k-1}(w | c minus its first word)
//! γ(c)       = (D_k1 · N1(c •) + D_k2 · N2(c •) + D_k3+ · N3+(c •)) / Σ_x a(c x)
//! ```
//!
//! down to the uniform distribution over the vocabulary (every word but `<s>`, plus
//! `<unk>`). The discounts come from each order's counts of counts n1..n4:
//! `Y = n1 / (n1 + 2 n2)`, `D1 = 1 − 2Y n2/n1`, `D2 = 2 − 3Y n3/n2`, `D3+ = 3 − 4Y n4/n3`;
//! when a count of counts is 0 or a discount falls outside (0, i) — tiny corpora — the
//! order uses [`FALLBACK`] (KenLM's `--discount_fallback`).
//!
//! Backoff form: a listed n-gram stores its interpolated p_k, a context stores γ(c) as its
//! backoff weight, so the Katz lookup of [`super::Model::log10_prob`] gives exactly
//! p_k for listed and unlisted words alike, and every context's distribution sums to 1.

use rayon::prelude::*;

use super::build::{NGramTable, TableLevel};
use super::count::{merge, Counts, BOS, BOUNDARY};

/// Discounts for counts 1, 2 and 3+ when the counts of counts cannot give them.
pub const FALLBACK: [f64; 3] = [0.5, 1.0, 1.5];

/// Log10 probability given to `<s>`, which is never predicted (the ARPA convention).
const BOS_LOG10: f32 = -99.0;

/// A model estimated from counts.
#[derive(Debug, Clone)]
pub struct Estimate {
    pub table: NGramTable,
    /// D1, D2, D3+ of orders 1, 2, 3.
    pub discounts: [[f64; 3]; 3],
}

/// The discounts for counts of counts n1..n4, or [`FALLBACK`].
pub fn discounts(n: [u64; 4]) -> [f64; 3] {
    if n.contains(&0) {
        return FALLBACK;
    }
    let [n1, n2, n3, n4] = n.map(|x| x as f64);
    let y = n1 / (n1 + 2.0 * n2);
    let d = [
        1.0 - 2.0 * y * n2 / n1,
        2.0 - 3.0 * y * n3 / n2,
        3.0 - 4.0 * y * n4 / n3,
    ];
    let valid = d
        .iter()
        .enumerate()
        .all(|(i, &x)| x.is_finite() && x > 0.0 && x < (i + 1) as f64);
    if valid {
        d
    } else {
        FALLBACK
    }
}

fn count_of_counts(adjusted: impl Iterator<Item = u32>) -> [u64; 4] {
    let mut n = [0u64; 4];
    for a in adjusted {
        if (1..=4).contains(&a) {
            n[a as usize - 1] += 1;
        }
    }
    n
}

fn discount(d: &[f64; 3], a: u32) -> f64 {
    match a {
        0 => 0.0,
        1 => d[0],
        2 => d[1],
        _ => d[2],
    }
}

/// Σ a and γ of one context's adjusted counts.
fn context_stats(adjusted: impl Iterator<Item = u32>, d: &[f64; 3]) -> (f64, f64) {
    let (mut total, mut mass) = (0.0, 0.0);
    for a in adjusted {
        total += f64::from(a);
        mass += discount(d, a);
    }
    (total, if total > 0.0 { mass / total } else { 1.0 })
}

/// The ranges of a sorted slice whose entries share a key.
fn groups<T, K: PartialEq>(items: &[T], key: impl Fn(&T) -> K) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=items.len() {
        if i == items.len() || key(&items[i]) != key(&items[start]) {
            out.push(start..i);
            start = i;
        }
    }
    out
}

/// Adjusted bigram counts: the distinct left words of each pair (kept by the counter),
/// plus the boundary-anchored bigrams' own counts. A trigram's first two words are always
/// a listed bigram (when pruning dropped all of its left words, with count 1).
fn adjusted_bigrams(counts: &Counts) -> Vec<([u32; 2], u32)> {
    let bigrams = merge(counts.continuations.clone(), counts.starts.clone());
    let mut missing: Vec<([u32; 2], u32)> = Vec::new();
    for (t, _) in &counts.trigrams {
        let prefix = [t[0], t[1]];
        let listed = bigrams.binary_search_by(|b| b.0.cmp(&prefix)).is_ok();
        if !listed && missing.last().is_none_or(|m| m.0 != prefix) {
            missing.push((prefix, 1));
        }
    }
    merge(bigrams, missing)
}

/// Estimates the model. None when the counts hold no word (or name ids past
/// `counts.words`, which [`super::count::Counter`] never does).
pub fn estimate(counts: &Counts) -> Option<Estimate> {
    let vocab = counts.words.len();
    let known = |ids: &[u32]| ids.iter().all(|&w| (w as usize) < vocab);
    let consistent = vocab > BOUNDARY as usize
        && counts.trigrams.iter().all(|t| known(&t.0))
        && counts.starts.iter().all(|b| known(&b.0))
        && counts.continuations.iter().all(|b| known(&b.0));
    if !consistent {
        return None;
    }
    let bigrams = adjusted_bigrams(counts);
    let mut a1 = vec![0u32; vocab];
    for (b, _) in &bigrams {
        if let Some(a) = a1.get_mut(b[1] as usize) {
            *a += 1;
        }
    }
    let predictable = |w: usize| w != BOS as usize && w != BOUNDARY as usize;
    let d1 = discounts(count_of_counts(
        a1.iter()
            .enumerate()
            .filter(|p| predictable(p.0))
            .map(|p| *p.1),
    ));
    let d2 = discounts(count_of_counts(
        bigrams.iter().filter(|b| b.0[0] != BOUNDARY).map(|b| b.1),
    ));
    let d3 = discounts(count_of_counts(
        counts
            .trigrams
            .iter()
            .filter(|t| t.0[0] != BOUNDARY)
            .map(|t| t.1),
    ));

    // Unigrams, interpolated with the uniform distribution over the predictable words
    // and <unk>.
    let (total, gamma) = context_stats(
        a1.iter()
            .enumerate()
            .filter(|p| predictable(p.0))
            .map(|p| *p.1),
        &d1,
    );
    if total == 0.0 {
        return None;
    }
    let uniform = 1.0 / (vocab.saturating_sub(2) + 1) as f64;
    let unk = gamma * uniform;
    let p1: Vec<f64> = a1
        .iter()
        .map(|&a| (f64::from(a) - discount(&d1, a)).max(0.0) / total + unk)
        .collect();

    // Bigrams, by context word.
    let mut uni_gamma: Vec<Option<f64>> = vec![None; vocab];
    let mut p2 = vec![0.0f64; bigrams.len()];
    for range in groups(&bigrams, |b| b.0[0]) {
        let group = &bigrams[range.clone()];
        let (total, gamma) = context_stats(group.iter().map(|b| b.1), &d2);
        uni_gamma[group[0].0[0] as usize] = Some(gamma);
        for (p, b) in p2[range].iter_mut().zip(group) {
            let lower = p1[b.0[1] as usize];
            *p = (f64::from(b.1) - discount(&d2, b.1)) / total + gamma * lower;
        }
    }

    // Trigrams, by context pair. p2 of an unlisted pair backs off like a query would.
    let p2_of = |v: u32, w: u32| match bigrams.binary_search_by(|b| b.0.cmp(&[v, w])) {
        Ok(i) => p2[i],
        Err(_) => uni_gamma[v as usize].unwrap_or(1.0) * p1[w as usize],
    };
    let tri_groups = groups(&counts.trigrams, |t| [t.0[0], t.0[1]]);
    let estimated: Vec<(f64, Vec<f64>)> = tri_groups
        .par_iter()
        .map(|range| {
            let group = &counts.trigrams[range.clone()];
            let (total, gamma) = context_stats(group.iter().map(|t| t.1), &d3);
            let probs = group
                .iter()
                .map(|(t, c)| {
                    (f64::from(*c) - discount(&d3, *c)) / total + gamma * p2_of(t[1], t[2])
                })
                .collect();
            (gamma, probs)
        })
        .collect();
    let mut bi_gamma: Vec<Option<f64>> = vec![None; bigrams.len()];
    for (range, (gamma, _)) in tri_groups.iter().zip(&estimated) {
        let t = counts.trigrams[range.start].0;
        if let Ok(i) = bigrams.binary_search_by(|b| b.0.cmp(&[t[0], t[1]])) {
            bi_gamma[i] = Some(*gamma);
        }
    }
    let p3: Vec<f64> = estimated.into_iter().flat_map(|(_, p)| p).collect();

    let log = |p: f64| p.log10() as f32;
    let backoff = |g: Option<f64>| g.map_or(0.0, log);
    let mut words = counts.words.clone();
    // The boundary's id never appears in a written n-gram; its slot holds <unk>.
    words[BOUNDARY as usize] = "<unk>".to_string();
    let unigrams = (0..vocab)
        .map(|w| match w as u32 {
            BOS => (BOS_LOG10, backoff(uni_gamma[w])),
            BOUNDARY => (log(unk), 0.0),
            _ => (log(p1[w]), backoff(uni_gamma[w])),
        })
        .collect();
    let mut level2 = TableLevel::default();
    for (i, (b, _)) in bigrams.iter().enumerate() {
        if b[0] != BOUNDARY {
            level2.words.extend_from_slice(b);
            level2.prob.push(log(p2[i]));
            level2.backoff.push(backoff(bi_gamma[i]));
        }
    }
    let mut level3 = TableLevel::default();
    for ((t, _), &p) in counts.trigrams.iter().zip(&p3) {
        if t[0] != BOUNDARY {
            level3.words.extend_from_slice(t);
            level3.prob.push(log(p));
            level3.backoff.push(0.0);
        }
    }
    Some(Estimate {
        table: NGramTable {
            words,
            unigrams,
            levels: vec![level2, level3],
        },
        discounts: [d1, d2, d3],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Format;
    use crate::model::build::from_table;
    use crate::model::count::Counter;
    use crate::model::Model;

    fn model_of(text: &str) -> (Model, Estimate) {
        let mut counter = Counter::new(1 << 20);
        counter.add(&[(text.to_string(), Format::Text)]);
        let estimate = estimate(&counter.finish()).expect("words");
        let bytes = from_table(estimate.table.clone()).expect("a valid table");
        (Model::from_bytes(bytes).expect("loads"), estimate)
    }

    const TINY: &str = "The cat sat. The cat ran. A dog sat.";

    #[test]
    fn discounts_follow_the_counts_of_counts() {
        // Y = 10 / (10 + 8) = 5/9.
        let d = discounts([10, 4, 2, 1]);
        let y = 10.0 / 18.0;
        let want = [
            1.0 - 2.0 * y * 4.0 / 10.0,
            2.0 - 3.0 * y * 2.0 / 4.0,
            3.0 - 4.0 * y * 1.0 / 2.0,
        ];
        for (got, want) in d.iter().zip(want) {
            assert!((got - want).abs() < 1e-12, "{d:?}");
        }
        assert_eq!(discounts([5, 2, 0, 0]), FALLBACK);
        // D3+ = 3 - 4 * (1/3) * 100 = negative: fall back.
        assert_eq!(discounts([1, 1, 1, 100]), FALLBACK);
    }

    /// Worked by hand: the tiny corpus has counts of counts with
    /// zeros at every order, so D = 0.5, 1, 1.5.
    ///
    /// Adjusted unigram counts (distinct left words): the 1, cat 1, sat 2 (cat, dog),
    /// </s> 2 (sat, ran), ran 1, a 1, dog 1; Σ = 9; γ = (0.5·5 + 1·2)/9 = 1/2; 7 words +
    /// <unk> = 8 predictable. p(sat) = (2−1)/9 + (1/2)/8, p(the) = 0.5/9 + 1/16.
    /// Context "cat": sat 1, ran 1; γ = 0.5·2/2 = 1/2; p(sat|cat) = 0.5/2 + p(sat)/2.
    /// Context "the cat": sat 1, ran 1; p(sat|the cat) = 0.25 + p(sat|cat)/2;
    /// unlisted p(dog|the cat) = γ(the cat)·γ(cat)·p(dog) = p(dog)/4.
    #[test]
    fn tiny_corpus_matches_hand_computed_values() {
        let (m, est) = model_of(TINY);
        assert_eq!(est.discounts, [FALLBACK; 3]);
        let p_sat = 1.0 / 9.0 + 0.5 / 8.0;
        let p_dog = 0.5 / 9.0 + 1.0 / 16.0;
        let p_sat_cat = 0.25 + p_sat / 2.0;
        let cases = [
            (vec![], "sat", p_sat),
            (vec![], "the", p_dog),
            (vec![], "zebra", 0.5 / 8.0),
            (vec!["cat"], "sat", p_sat_cat),
            (vec!["the", "cat"], "sat", 0.25 + p_sat_cat / 2.0),
            (vec!["the", "cat"], "dog", p_dog / 4.0),
            (
                vec!["<s>", "the"],
                "cat",
                (2.0 - 1.0) / 2.0 + 0.5 * (0.5 + 0.5 * p_dog),
            ),
        ];
        for (context, word, want) in cases {
            let got = 10f64.powf(f64::from(m.log10_prob(&context, word)));
            assert!(
                (got - want).abs() < 1e-6 * want.max(1e-3),
                "P({word} | {context:?}) = {got}, want {want}"
            );
        }
        assert_eq!(m.unknown_log10(), (0.5f64 / 8.0).log10() as f32);
        assert_eq!(m.ngram_counts(), vec![9, 9, 8]);
    }

    /// Every context's distribution over the predictable words and <unk> sums to 1.
    #[test]
    fn probabilities_sum_to_one_per_context() {
        let text = "The cat sat on the mat. The dog sat on the cat, twice. \
                    A cat and a dog sat. On the mat the cat sat again! \
                    The mat, the cat and the dog. Dogs sat.";
        let (m, _) = model_of(text);
        let words: Vec<String> = (0..m.vocabulary_size())
            .filter_map(|i| m.word(crate::model::WordId::from_index(i)))
            .filter(|w| *w != "<s>")
            .map(str::to_string)
            .collect();
        for context in [
            vec![],
            vec!["the"],
            vec!["<s>"],
            vec!["sat"],
            vec!["the", "cat"],
            vec!["<s>", "the"],
            vec!["on", "the"],
            vec!["cat", "zebra"],
            vec!["zebra", "cat"],
        ] {
            let sum: f64 = words
                .iter()
                .map(|w| 10f64.powf(f64::from(m.log10_prob(&context, w))))
                .sum();
            assert!((sum - 1.0).abs() < 1e-4, "{context:?}: {sum}");
        }
    }

    #[test]
    fn nothing_to_count_is_none() {
        let mut counter = Counter::new(10);
        counter.add(&[("1, 2, 3 ... !".to_string(), Format::Text)]);
        assert!(estimate(&counter.finish()).is_none());
        assert!(estimate(&Counts::default()).is_none());
        let mut counter = Counter::new(10);
        counter.add(&[("Some words.".to_string(), Format::Text)]);
        let mut bad = counter.finish();
        bad.trigrams[0].0[2] = 99;
        assert!(estimate(&bad).is_none());
    }
}
