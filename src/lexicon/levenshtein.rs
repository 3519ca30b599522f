//! A lazy Levenshtein automaton for ASCII queries over an fst.
//!
//! fst's own `Levenshtein` builds a complete DFA before the search starts: about 0.1 ms for one
//! edit and 0.7 ms for two on an average word, which is the whole cost of a lookup. This one
//! computes one dynamic-programming row per fst transition and prunes a branch as soon as no
//! cell is within the distance, so it only pays for the part of the word map it visits.
//!
//! Distances count characters: a UTF-8 continuation byte in a key leaves the row unchanged, so a
//! multi-byte character costs one edit like any other. That is exact when the query is ASCII
//! (no query character can equal part of a multi-byte one); other queries use fst's automaton.

use fst::Automaton;

/// Longest query the row array holds; longer ones go to fst's automaton.
const MAX_QUERY: usize = 31;

pub struct AsciiLevenshtein<'q> {
    query: &'q [u8],
    max: u8,
}

impl<'q> AsciiLevenshtein<'q> {
    /// None when the query is not ASCII, longer than 31 bytes, or the distance does not fit the
    /// row cells.
    pub fn new(query: &'q str, max_edits: u32) -> Option<Self> {
        let fits = query.is_ascii() && query.len() <= MAX_QUERY && max_edits < 250;
        fits.then_some(AsciiLevenshtein {
            query: query.as_bytes(),
            max: max_edits as u8,
        })
    }
}

/// The DP row: cell j is the distance between the key read so far and the query's first j
/// bytes, capped at max + 1. None once the branch cannot match.
impl Automaton for AsciiLevenshtein<'_> {
    // A fixed array, not a Vec: the fst search clones a state per transition.
    type State = Option<[u8; MAX_QUERY + 1]>;

    fn start(&self) -> Self::State {
        let mut row = [0u8; MAX_QUERY + 1];
        for (j, cell) in row.iter_mut().enumerate().take(self.query.len() + 1) {
            *cell = j.min(self.max as usize + 1) as u8;
        }
        Some(row)
    }

    fn is_match(&self, state: &Self::State) -> bool {
        state
            .as_ref()
            .is_some_and(|row| row[self.query.len()] <= self.max)
    }

    fn can_match(&self, state: &Self::State) -> bool {
        state.is_some()
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        let row = state.as_ref()?;
        if byte & 0xc0 == 0x80 {
            return Some(*row); // continuation byte: its character was counted at the lead
        }
        let cap = self.max + 1;
        let mut next = [0u8; MAX_QUERY + 1];
        next[0] = (row[0] + 1).min(cap);
        let mut best = next[0];
        for (j, &q) in self.query.iter().enumerate() {
            let substitute = row[j] + u8::from(q != byte);
            let cell = substitute.min(row[j + 1] + 1).min(next[j] + 1).min(cap);
            next[j + 1] = cell;
            best = best.min(cell);
        }
        (best <= self.max).then_some(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fst::{IntoStreamer, Set, Streamer};

    fn search(set: &Set<Vec<u8>>, aut: impl Automaton) -> Vec<String> {
        let mut out = Vec::new();
        let mut stream = set.search(aut).into_stream();
        while let Some(key) = stream.next() {
            out.push(String::from_utf8(key.to_vec()).unwrap());
        }
        out
    }

    #[test]
    fn agrees_with_fst_levenshtein() {
        let mut words = vec![
            "cafe", "café", "cake", "care", "cart", "carte", "face", "fa", "house", "hause",
            "mouse", "horse", "hose", "houses", "a", "ab", "abc", "naïve", "naive", "recieve",
            "receive",
        ];
        words.sort_unstable();
        let set = Set::from_iter(words).unwrap();
        for query in ["cafe", "house", "a", "", "naive", "recieve", "zzzz"] {
            for k in 0..=2 {
                let ours = search(&set, AsciiLevenshtein::new(query, k).unwrap());
                let theirs = search(&set, fst::automaton::Levenshtein::new(query, k).unwrap());
                assert_eq!(ours, theirs, "{query:?} within {k}");
            }
        }
    }

    #[test]
    fn non_ascii_queries_are_declined() {
        assert!(AsciiLevenshtein::new("café", 1).is_none());
        assert!(AsciiLevenshtein::new("cafe", 1000).is_none());
        assert!(AsciiLevenshtein::new(&"a".repeat(32), 1).is_none());
    }
}
