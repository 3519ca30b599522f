//! Counting the 1–3-grams of a corpus, in parallel, in bounded memory.
//!
//! Every run of words (see [`super::runs`]) becomes a sequence `B w1 … wn [</s>]`, where
//! `B` is `<s>` when the run opens its sentence and the hidden boundary [`BOUNDARY`]
//! otherwise, and `</s>` ends a run that closes its sentence. Each position after the
//! first ends one counted n-gram: the left-anchored bigram `B w1` at position 1, a
//! trigram everywhere else. Kneser-Ney needs these and the continuation counts of pairs
//! (the distinct words seen before each pair, see [`super::kneser_ney`]), which are kept as
//! trigrams first appear, so that they survive the pruning of trigrams. The hidden boundary stands for "something the model
//! does not see" (punctuation, a number): it gives a run's first words a left context,
//! and no n-gram holding it is ever written to a model.
//!
//! Pieces of text are tokenized in parallel (rayon); each piece interns its distinct
//! words under one lock and emits id triples. A chunk of pieces is sorted and counted,
//! then merged into the sorted totals. Memory: about 16 bytes per distinct trigram and 12
//! per distinct pair held, twice that while merging. When the distinct trigrams (or pairs)
//! pass `max_trigrams`, those seen at most t times so far (t = 1, then more if that is not
//! enough) are dropped until a quarter of the room is free again; the counts are then
//! approximate, which [`Counts::pruned_at`] records.

use std::collections::HashMap;
use std::sync::Mutex;

use rayon::prelude::*;

use super::runs::runs;
use crate::input::{Document, Format};
use crate::text::segment;

/// Id of `<s>`.
pub const BOS: u32 = 0;
/// Id of `</s>`.
pub const EOS: u32 = 1;
/// Id of the hidden boundary before a run that does not open its sentence.
pub const BOUNDARY: u32 = 2;
/// The word of [`BOUNDARY`] in [`Counts::words`]; never written to a model.
pub const BOUNDARY_WORD: &str = "<b>";

/// What the counter saw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Words by id: `<s>`, `</s>`, [`BOUNDARY_WORD`], then the corpus's words.
    pub words: Vec<String>,
    /// Distinct trigrams (ids) with their counts, sorted.
    pub trigrams: Vec<([u32; 3], u32)>,
    /// Distinct left-anchored bigrams `(<s> or BOUNDARY, word)` with counts, sorted.
    pub starts: Vec<([u32; 2], u32)>,
    /// Each pair `v w` that ends a trigram, with the number of distinct words `u` seen
    /// before it (`u v w` counted), sorted. A trigram that pruning dropped and the text
    /// brought back counts again, so after pruning these can be a little high.
    pub continuations: Vec<([u32; 2], u32)>,
    /// Word tokens counted.
    pub tokens: u64,
    /// 0 when the counts are exact; else trigrams seen at most this often were dropped
    /// to stay within the memory limit.
    pub pruned_at: u32,
}

/// Counts pieces of text chunk by chunk.
pub struct Counter {
    interner: Mutex<Interner>,
    counts: Counts,
    max_trigrams: usize,
}

#[derive(Default)]
struct Interner {
    ids: HashMap<String, u32>,
    words: Vec<String>,
}

impl Interner {
    fn id(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.words.len() as u32;
        self.words.push(word.to_string());
        self.ids.insert(word.to_string(), id);
        id
    }
}

/// The n-grams of one piece.
#[derive(Default)]
struct Keys {
    trigrams: Vec<[u32; 3]>,
    starts: Vec<[u32; 2]>,
    tokens: u64,
}

impl Counter {
    /// A counter that holds at most about `max_trigrams` distinct trigrams.
    pub fn new(max_trigrams: usize) -> Counter {
        let mut interner = Interner::default();
        for word in ["<s>", "</s>", BOUNDARY_WORD] {
            interner.id(word);
        }
        Counter {
            interner: Mutex::new(interner),
            counts: Counts::default(),
            max_trigrams: max_trigrams.max(1),
        }
    }

    /// Counts a chunk of pieces (text, how to read it) in parallel.
    pub fn add(&mut self, pieces: &[(String, Format)]) {
        self.add_with_progress(pieces, |_| {});
    }

    /// [`Counter::add`], calling `done` with each piece's length once it is tokenized.
    pub fn add_with_progress(&mut self, pieces: &[(String, Format)], done: impl Fn(usize) + Sync) {
        let keys: Vec<Keys> = pieces
            .par_iter()
            .map(|(text, format)| {
                let keys = self.piece_keys(text, *format);
                done(text.len());
                keys
            })
            .collect();
        self.counts.tokens += keys.iter().map(|k| k.tokens).sum::<u64>();
        let mut trigrams: Vec<[u32; 3]> =
            Vec::with_capacity(keys.iter().map(|k| k.trigrams.len()).sum());
        let mut starts = Vec::new();
        for k in keys {
            trigrams.extend(k.trigrams);
            starts.extend(k.starts);
        }
        trigrams.par_sort_unstable();
        starts.par_sort_unstable();
        let c = &mut self.counts;
        let mut fresh: Vec<[u32; 2]> = Vec::new();
        c.trigrams = merge_with(
            std::mem::take(&mut c.trigrams),
            run_lengths(&trigrams),
            |t| fresh.push([t[1], t[2]]),
        );
        fresh.par_sort_unstable();
        c.continuations = merge(std::mem::take(&mut c.continuations), run_lengths(&fresh));
        c.starts = merge(std::mem::take(&mut c.starts), run_lengths(&starts));
        let limit = self.max_trigrams;
        if c.trigrams.len() > limit {
            c.pruned_at = prune(&mut c.trigrams, limit, c.pruned_at.max(1));
        }
        if c.continuations.len() > limit {
            c.pruned_at = c.pruned_at.max(prune(&mut c.continuations, limit, 1));
        }
    }

    /// The counts so far, with the words.
    pub fn finish(self) -> Counts {
        let interner = self
            .interner
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        Counts {
            words: interner.words,
            ..self.counts
        }
    }

    /// Tokenizes a piece and turns its runs into id n-grams.
    fn piece_keys(&self, text: &str, format: Format) -> Keys {
        let doc = Document::from_text(text.to_string(), format);
        let sentences = segment(&doc.prose, &doc.blocks);
        let runs: Vec<_> = sentences.iter().flat_map(runs).collect();
        let mut local: HashMap<&str, u32> = HashMap::new();
        for run in &runs {
            for w in &run.words {
                local.entry(w).or_insert(0);
            }
        }
        {
            let mut interner = self.interner.lock().unwrap_or_else(|e| e.into_inner());
            for (word, id) in local.iter_mut() {
                *id = interner.id(word);
            }
        }
        let mut keys = Keys::default();
        let mut seq = Vec::new();
        for run in &runs {
            seq.clear();
            seq.push(if run.at_start { BOS } else { BOUNDARY });
            seq.extend(run.words.iter().map(|w| local[w]));
            if run.at_end {
                seq.push(EOS);
            }
            keys.tokens += run.words.len() as u64;
            keys.starts.push([seq[0], seq[1]]);
            keys.trigrams
                .extend(seq.windows(3).map(|w| [w[0], w[1], w[2]]));
        }
        keys
    }
}

/// Counts the equal neighbours of a sorted slice.
pub(crate) fn run_lengths<K: Copy + PartialEq>(sorted: &[K]) -> Vec<(K, u32)> {
    let mut out: Vec<(K, u32)> = Vec::new();
    for &k in sorted {
        match out.last_mut() {
            Some((last, c)) if *last == k => *c = c.saturating_add(1),
            _ => out.push((k, 1)),
        }
    }
    out
}

/// Drops the entries counted at most t times, for the smallest t >= `at` that frees a
/// quarter of `limit`; returns t.
fn prune<K>(table: &mut Vec<(K, u32)>, limit: usize, at: u32) -> u32 {
    let target = limit - limit / 4;
    let mut counts: Vec<u32> = table.iter().map(|e| e.1).collect();
    // Keeping only counts above the (target + 1)-th largest leaves at most target.
    let nth = if counts.len() > target {
        *counts.select_nth_unstable_by(target, |a, b| b.cmp(a)).1
    } else {
        0
    };
    let at = nth.max(at);
    table.retain(|&(_, c)| c > at);
    at
}

/// Merges two sorted count lists, adding the counts of equal keys.
pub(crate) fn merge<K: Copy + Ord>(a: Vec<(K, u32)>, b: Vec<(K, u32)>) -> Vec<(K, u32)> {
    merge_with(a, b, |_| {})
}

/// [`merge`], calling `fresh` with each key of `b` that `a` lacks.
fn merge_with<K: Copy + Ord>(
    a: Vec<(K, u32)>,
    b: Vec<(K, u32)>,
    mut fresh: impl FnMut(K),
) -> Vec<(K, u32)> {
    if a.is_empty() {
        b.iter().for_each(|x| fresh(x.0));
        return b;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                fresh(b[j].0);
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push((a[i].0, a[i].1.saturating_add(b[j].1)));
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    b[j..].iter().for_each(|x| fresh(x.0));
    out.extend_from_slice(&b[j..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    type Named = Vec<(String, u32)>;

    /// The counts as word strings, sorted, for readable assertions: trigrams, starts,
    /// continuations.
    fn named(counts: &Counts) -> (Named, Named, Named) {
        let w = |id: u32| counts.words[id as usize].as_str();
        let mut tri: Named = counts
            .trigrams
            .iter()
            .map(|(k, c)| (format!("{} {} {}", w(k[0]), w(k[1]), w(k[2])), *c))
            .collect();
        let pairs = |list: &[([u32; 2], u32)]| {
            let mut out: Named = list
                .iter()
                .map(|(k, c)| (format!("{} {}", w(k[0]), w(k[1])), *c))
                .collect();
            out.sort();
            out
        };
        tri.sort();
        (tri, pairs(&counts.starts), pairs(&counts.continuations))
    }

    fn strs(named: &Named) -> Vec<(&str, u32)> {
        named.iter().map(|(s, c)| (s.as_str(), *c)).collect()
    }

    fn count(texts: &[&str]) -> Counts {
        let mut counter = Counter::new(1_000_000);
        let pieces: Vec<(String, Format)> = texts
            .iter()
            .map(|t| (t.to_string(), Format::Text))
            .collect();
        counter.add(&pieces);
        counter.finish()
    }

    #[test]
    fn counts_runs_with_sentence_and_hidden_boundaries() {
        let counts = count(&["The cat sat. The cat ran, 3 times.", "A cat sat."]);
        let (tri, starts, continuations) = named(&counts);
        // "times" follows a number and ends the sentence: "<b> times </s>".
        assert_eq!(
            strs(&tri),
            [
                ("<b> times </s>", 1),
                ("<s> a cat", 1),
                ("<s> the cat", 2),
                ("a cat sat", 1),
                ("cat sat </s>", 2),
                ("the cat ran", 1),
                ("the cat sat", 1),
            ]
        );
        assert_eq!(
            strs(&starts),
            [("<b> times", 1), ("<s> a", 1), ("<s> the", 2)]
        );
        // Distinct left words: "cat sat" follows "the" and "a".
        assert_eq!(
            strs(&continuations),
            [
                ("a cat", 1),
                ("cat ran", 1),
                ("cat sat", 2),
                ("sat </s>", 1),
                ("the cat", 1),
                ("times </s>", 1),
            ]
        );
        assert_eq!(counts.tokens, 10);
        assert_eq!(counts.pruned_at, 0);
    }

    #[test]
    fn markdown_code_is_not_counted_and_case_is_folded() {
        let mut counter = Counter::new(100);
        counter.add(&[(
            "# Title Words\n\n```\nlet code = 1;\n```\n\nTitle words again.\n".to_string(),
            Format::Markdown,
        )]);
        let counts = counter.finish();
        assert!(!counts.words.iter().any(|w| w == "let" || w == "code"));
        assert!(counts.words.iter().any(|w| w == "title"));
        assert!(!counts.words.iter().any(|w| w == "Title"));
    }

    #[test]
    fn chunks_add_up_like_one_and_ids_do_not_matter() {
        let texts = [
            "One two three four. Two three four five.",
            "Three four five six. One two three.",
        ];
        let whole = count(&texts);
        let mut counter = Counter::new(1_000_000);
        for t in texts.iter().rev() {
            counter.add(&[(t.to_string(), Format::Text)]);
        }
        let parts = counter.finish();
        assert_eq!(named(&whole), named(&parts));
        assert!(strs(&named(&parts).2).contains(&("three four", 2)));
    }

    #[test]
    fn pruning_keeps_memory_bounded() {
        let text: String = (0..200).map(|i| format!("W{i} x{i} y{i} z{i}. ")).collect();
        let frequent = "The same words here. ".repeat(5);
        let mut counter = Counter::new(40);
        counter.add(&[(text, Format::Text)]);
        counter.add(&[(frequent, Format::Text)]);
        let counts = counter.finish();
        assert!(counts.trigrams.len() <= 40, "{}", counts.trigrams.len());
        assert!(counts.continuations.len() <= 40);
        assert_eq!(counts.pruned_at, 1);
        let (tri, _, _) = named(&counts);
        assert!(strs(&tri).contains(&("<s> the same", 5)), "{tri:?}");
    }

    #[test]
    fn pruning_picks_the_threshold_at_once() {
        let mut table: Vec<(u32, u32)> = (0..1000).map(|i| (i, 1_000_000 + i)).collect();
        // A limit of 8 leaves room for 6: the 7th largest count is the threshold.
        assert_eq!(prune(&mut table, 8, 1), 1_000_000 + 993);
        assert_eq!(table.len(), 6);
        let mut table = vec![(0, 1), (1, 1), (2, 5), (3, 1), (4, 2)];
        assert_eq!(prune(&mut table, 4, 1), 1);
        assert_eq!(table, [(2, 5), (4, 2)]);
    }

    /// Pair continuation counts outlive the trigrams they came from.
    #[test]
    fn pruned_trigrams_leave_their_continuations() {
        // 61 distinct trigrams ("<b> u_i cat", "u_i cat sat", "cat sat </s>"), 32 pairs.
        let text: String = (0..30).map(|i| format!("Yes, u{i} cat sat. ")).collect();
        let mut counter = Counter::new(40);
        counter.add(&[(text, Format::Text)]);
        let counts = counter.finish();
        let (tri, _, continuations) = named(&counts);
        assert_eq!(strs(&tri), [("cat sat </s>", 30)]);
        assert_eq!(counts.pruned_at, 1);
        assert_eq!(continuations.len(), 32);
        assert!(strs(&continuations).contains(&("cat sat", 30)));
    }

    #[test]
    fn merge_adds_equal_keys() {
        let a = vec![(1, 2), (3, 1), (5, 1)];
        let b = vec![(0, 1), (3, 4), (6, 1)];
        assert_eq!(merge(a, b), vec![(0, 1), (1, 2), (3, 5), (5, 1), (6, 1)]);
        assert_eq!(
            run_lengths(&[1, 1, 2, 3, 3, 3]),
            vec![(1, 2), (2, 1), (3, 3)]
        );
    }
}
