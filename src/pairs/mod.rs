//! Word and word-pair counts of technical English: the prose of scientific software manuals
//! (see corpora/pairs/README.md), embedded as one fst map. A second source of pair evidence
//! beside the n-gram model, which comes from broadcast news and so lacks most terms of
//! science and engineering ("greedy algorithm", "random forest", "heat flux").
//!
//! Keys: `""` holds the number of words counted, `"w"` a word's count and `"a b"` the count
//! of `b` right after `a` (pairs seen at least twice, and the words of those pairs).

use std::sync::OnceLock;

use fst::{Map, MapBuilder};

static EMBEDDED: &[u8] = include_bytes!("../../corpora/pairs/technical.fst");

#[derive(Debug, thiserror::Error)]
pub enum PairsError {
    #[error("not a pair-count map: {0}")]
    Fst(#[from] fst::Error),
    #[error("line {line}: {reason}")]
    Line { line: usize, reason: String },
    #[error("no word total (the \"\" key)")]
    NoTotal,
}

pub struct PairCounts {
    map: Map<&'static [u8]>,
    total: u64,
}

impl PairCounts {
    /// The counts embedded in the binary. Should its bytes ever be malformed, no pair is
    /// counted; the unit tests make sure they are not.
    pub fn embedded() -> &'static PairCounts {
        static COUNTS: OnceLock<PairCounts> = OnceLock::new();
        COUNTS.get_or_init(|| {
            PairCounts::from_bytes(EMBEDDED).unwrap_or_else(|_| {
                let empty: &'static [u8] =
                    Box::leak(pack("\t1\n").unwrap_or_default().into_boxed_slice());
                PairCounts::from_bytes(empty).expect("an empty map packs")
            })
        })
    }

    /// Reads a packed map in place.
    pub fn from_bytes(data: &'static [u8]) -> Result<PairCounts, PairsError> {
        let map = Map::new(data)?;
        let total = map.get("").ok_or(PairsError::NoTotal)?;
        Ok(PairCounts { map, total })
    }

    /// How often `word` was seen: not 0 for either word of a counted pair (the embedded
    /// counts hold the words of their pairs), so a word seen 0 times is in no pair.
    pub fn word(&self, word: &str) -> u64 {
        self.map.get(word).unwrap_or(0)
    }

    /// How often `second` was seen right after `first` (0 below twice).
    pub fn pair(&self, first: &str, second: &str) -> u64 {
        let mut key = Vec::with_capacity(first.len() + 1 + second.len());
        key.extend_from_slice(first.as_bytes());
        key.push(b' ');
        key.extend_from_slice(second.as_bytes());
        self.map.get(key).unwrap_or(0)
    }

    /// How much likelier than chance the pair is (log10 pointwise mutual information), when
    /// it was seen.
    pub fn association(&self, first: &str, second: &str) -> Option<f64> {
        let both = self.pair(first, second);
        if both == 0 {
            return None;
        }
        let chance = self.word(first).max(1) as f64 * self.word(second).max(1) as f64;
        Some((both as f64 * self.total as f64 / chance).log10())
    }

    /// Number of keys (the total, words and pairs).
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// Packs `key<TAB>count` lines, sorted by key (what tools/pairs/extract.py writes), into the
/// map [`PairCounts::from_bytes`] reads.
pub fn pack(tsv: &str) -> Result<Vec<u8>, PairsError> {
    let mut builder = MapBuilder::memory();
    for (i, line) in tsv.lines().enumerate() {
        let bad = |reason: String| PairsError::Line {
            line: i + 1,
            reason,
        };
        let (key, count) = line
            .split_once('\t')
            .ok_or_else(|| bad("expected `key<TAB>count`".into()))?;
        let count: u64 = count
            .parse()
            .map_err(|_| bad(format!("count {count:?} is not a number")))?;
        builder
            .insert(key, count)
            .map_err(|e| bad(format!("key {key:?}: {e}")))?;
    }
    Ok(builder.into_inner()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packed(tsv: &str) -> PairCounts {
        let bytes: &'static [u8] = Box::leak(pack(tsv).unwrap().into_boxed_slice());
        PairCounts::from_bytes(bytes).unwrap()
    }

    #[test]
    fn counts_and_association_read_back() {
        let counts = packed("\t1000\nforest\t10\nrandom\t20\nrandom forest\t8\n");
        assert_eq!(counts.pair("random", "forest"), 8);
        assert_eq!(counts.pair("forest", "random"), 0);
        assert_eq!(counts.word("random"), 20);
        // 8 × 1000 / (20 × 10) = 40 times likelier than chance.
        let association = counts.association("random", "forest").unwrap();
        assert!((association - 40f64.log10()).abs() < 1e-9);
        assert_eq!(counts.association("forest", "random"), None);
    }

    #[test]
    fn unsorted_or_malformed_lines_are_errors_with_their_line() {
        let unsorted = pack("\t1\nb\t1\na\t1\n").unwrap_err().to_string();
        assert!(unsorted.starts_with("line 3:"), "{unsorted}");
        let no_count = pack("\t1\nword\n").unwrap_err().to_string();
        assert!(no_count.starts_with("line 2:"), "{no_count}");
        let static_bytes: &'static [u8] = Box::leak(pack("a\t1\n").unwrap().into_boxed_slice());
        assert!(matches!(
            PairCounts::from_bytes(static_bytes),
            Err(PairsError::NoTotal)
        ));
        assert!(PairCounts::from_bytes(b"not an fst").is_err());
    }

    #[test]
    fn the_embedded_counts_know_technical_terms_and_not_their_garbles() {
        let counts = PairCounts::embedded();
        assert!(counts.len() > 100_000, "{}", counts.len());
        for (first, second) in [("random", "forest"), ("greedy", "algorithm")] {
            assert!(counts.pair(first, second) >= 3, "{first} {second}");
            assert!(counts.association(first, second).unwrap() > 1.0);
        }
        assert_eq!(counts.pair("irregular", "woodland"), 0);
        assert_eq!(counts.pair("voracious", "algorithm"), 0);
    }

    #[test]
    fn the_embedded_counts_hold_the_words_of_every_pair() {
        use fst::{IntoStreamer, Streamer};
        let counts = PairCounts::embedded();
        let mut keys = counts.map.keys().into_stream();
        let mut pairs = 0;
        while let Some(key) = keys.next() {
            let key = std::str::from_utf8(key).unwrap();
            if let Some((first, second)) = key.split_once(' ') {
                assert!(counts.word(first) > 0 && counts.word(second) > 0, "{key}");
                pairs += 1;
            }
        }
        assert!(pairs > 50_000, "{pairs}");
    }
}
