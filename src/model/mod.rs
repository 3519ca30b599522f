//! The n-gram language model: load (embedded or memory-mapped), query, build (from ARPA
//! text with [`build::from_arpa`], or from a user's own corpus with [`build_from_paths`]).
//!
//! The default English model (CMU Sphinx's generic US English trigram model, see
//! corpora/model/README.md) is compiled into the binary. Loading only parses a small
//! header, so start-up costs microseconds and the bytes are paged in on demand.
//!
//! Words are looked up as given: the vocabulary is lowercase, so callers lowercase
//! tokens first. For many queries over the same words, map them once with
//! [`Model::word_id`] and use the `*_ids` methods.

pub mod build;
pub mod corpus;
pub mod count;
pub mod house;
pub mod kneser_ney;
pub mod runs;

mod bits;
mod crc32;
mod format;
mod quant;
mod query;
mod vocab;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use format::{Checksum, Layout, MAX_ORDER};

pub use house::{build_from_paths, BuildOptions, HouseModel};

/// The embedded default model, built by tools/build-model.sh.
static EMBEDDED: &[u8] = include_bytes!("../../corpora/model/en-us.mtlm");

/// A word of the model's vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WordId(u32);

impl WordId {
    /// Position in the vocabulary (lexicographic order).
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The id at a vocabulary position (no check: an id past the vocabulary is
    /// treated as an unknown word by every query).
    pub fn from_index(index: usize) -> WordId {
        WordId(u32::try_from(index).unwrap_or(u32::MAX))
    }
}

/// A context of word ids as the model walks it, looked up once ([`Model::context_of`]).
#[derive(Clone, Copy, Debug)]
pub struct Context(query::Suffixes);

/// A model file or byte buffer that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("cannot read model file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid model {origin}: {reason}")]
    Invalid { origin: String, reason: String },
}

/// Where the model bytes live. Cloning shares them.
#[derive(Clone)]
enum Storage {
    Static(&'static [u8]),
    Shared(Arc<dyn AsRef<[u8]> + Send + Sync>),
}

impl Storage {
    #[inline]
    fn bytes(&self) -> &[u8] {
        match self {
            Storage::Static(b) => b,
            Storage::Shared(b) => (**b).as_ref(),
        }
    }
}

/// An n-gram language model with Katz backoff.
pub struct Model {
    storage: Storage,
    layout: Layout,
    /// The ids of `<s>` and `</s>`, looked up once: every run of words asks for them.
    boundaries: [Option<WordId>; 2],
}

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Model")
            .field("order", &self.layout.order)
            .field("vocabulary", &self.layout.vocab_size)
            .field("bytes", &self.storage.bytes().len())
            .finish()
    }
}

impl Model {
    /// The default English model compiled into the binary, parsed on first use.
    pub fn embedded() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| {
            // The bytes are produced by build::from_arpa and checked by the tests, so a
            // failure here is a build defect, not an input error.
            Model::load(Storage::Static(EMBEDDED), "<embedded>", Checksum::Verified)
                .expect("the embedded model is valid")
        })
    }

    /// The bytes of the embedded model (for example to write it out as a file).
    pub fn embedded_bytes() -> &'static [u8] {
        EMBEDDED
    }

    /// Memory-maps a model file.
    pub fn open(path: &Path) -> Result<Model, ModelError> {
        let io = |source| ModelError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        // SAFETY: memmap2 requires that nobody modifies or truncates the file while it is
        // mapped. Model files are written once and replaced by rename, never edited in
        // place; the map is read-only and every read is bounds-checked against its length.
        // (A file truncated by another process anyway faults on access, as with any mmap.)
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
        Model::load(
            Storage::Shared(Arc::new(map)),
            &path.display().to_string(),
            Checksum::Verify,
        )
    }

    /// A model from owned bytes (for example read from a file or built in memory).
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Model, ModelError> {
        Model::load(
            Storage::Shared(Arc::new(bytes)),
            "<bytes>",
            Checksum::Verify,
        )
    }

    /// A model from static bytes, used in place (e.g. from `include_bytes!`).
    pub fn from_static(bytes: &'static [u8]) -> Result<Model, ModelError> {
        Model::load(Storage::Static(bytes), "<static bytes>", Checksum::Verify)
    }

    /// Gives model bytes (built by hand, or edited) the checksum their header must hold.
    /// For tools and fuzzing: a model built by mtaudit has it already.
    pub fn seal(bytes: &mut [u8]) {
        format::seal(bytes);
    }

    /// Parses the header and verifies the checksum; every later read is bounds-checked, so
    /// a model that passes this check cannot make a query panic, whatever its bytes.
    fn load(storage: Storage, origin: &str, checksum: Checksum) -> Result<Model, ModelError> {
        let layout =
            format::parse(storage.bytes(), checksum).map_err(|reason| ModelError::Invalid {
                origin: origin.to_string(),
                reason,
            })?;
        let boundary = |word: &str| {
            layout
                .vocab
                .id(storage.bytes(), word.as_bytes())
                .map(WordId)
        };
        let boundaries = [boundary("<s>"), boundary("</s>")];
        Ok(Model {
            storage,
            layout,
            boundaries,
        })
    }

    #[inline]
    fn data(&self) -> &[u8] {
        self.storage.bytes()
    }

    /// The n-gram order (3 for the default model).
    pub fn order(&self) -> usize {
        self.layout.order
    }

    /// Number of words in the vocabulary.
    pub fn vocabulary_size(&self) -> usize {
        self.layout.vocab_size as usize
    }

    /// Number of listed n-grams of each order, unigrams first.
    pub fn ngram_counts(&self) -> Vec<u64> {
        let higher = self.layout.levels.iter().map(|l| l.count);
        std::iter::once(self.layout.vocab_size)
            .chain(higher)
            .collect()
    }

    /// Size of the model in bytes.
    pub fn byte_len(&self) -> usize {
        self.data().len()
    }

    /// The id of `<s>`, the context of a sentence's first word.
    pub fn sentence_start(&self) -> Option<WordId> {
        self.boundaries[0]
    }

    /// The id of `</s>`, what follows a sentence's last word.
    pub fn sentence_end(&self) -> Option<WordId> {
        self.boundaries[1]
    }

    /// The id of a vocabulary word.
    #[inline]
    pub fn word_id(&self, word: &str) -> Option<WordId> {
        self.layout
            .vocab
            .id(self.data(), word.as_bytes())
            .map(WordId)
    }

    /// The word of an id.
    pub fn word(&self, id: WordId) -> Option<&str> {
        let bytes = self.layout.vocab.word(self.data(), id.0)?;
        std::str::from_utf8(bytes).ok()
    }

    /// Whether `word` is in the (lowercase) vocabulary.
    pub fn contains(&self, word: &str) -> bool {
        self.word_id(word).is_some()
    }

    /// The unigram log10 probability of `word`, None if unknown.
    pub fn log10_unigram(&self, word: &str) -> Option<f32> {
        Some(self.log10_unigram_id(self.word_id(word)?))
    }

    /// The unigram log10 probability of a word of the vocabulary: [`Model::log10_prob_ids`]
    /// without a context, read straight from its table.
    pub fn log10_unigram_id(&self, id: WordId) -> f32 {
        self.layout.unigram_prob(self.data(), id.0)
    }

    /// The listed n-gram's own log10 probability (1 to `order()` words), None if the
    /// model does not list it.
    pub fn ngram_log10(&self, words: &[&str]) -> Option<f32> {
        let mut ids = [0u32; MAX_ORDER];
        if words.is_empty() || words.len() > self.order() {
            return None;
        }
        for (slot, w) in ids.iter_mut().zip(words) {
            *slot = self.word_id(w)?.0;
        }
        self.layout.ngram_log10(self.data(), &ids[..words.len()])
    }

    /// log10 P(word | context) with Katz backoff. `context` is the preceding words,
    /// nearest last; only the last `order() - 1` count, and an unknown context word cuts
    /// the context after it. An unknown `word` gets the model's unknown-word probability
    /// (that of `<unk>`, or the lowest unigram probability when the model has none).
    pub fn log10_prob(&self, context: &[&str], word: &str) -> f32 {
        let keep = context.len().min(self.order() - 1);
        let mut ids = [WordId(0); MAX_ORDER];
        let mut n = 0;
        for w in &context[context.len() - keep..] {
            match self.word_id(w) {
                Some(id) => {
                    ids[n] = id;
                    n += 1;
                }
                None => n = 0,
            }
        }
        self.log10_prob_ids(&ids[..n], self.word_id(word))
    }

    /// [`Model::log10_prob`] on ids: `context` holds only known words (cut it after an
    /// unknown one), `word` is None when unknown.
    #[inline]
    pub fn log10_prob_ids(&self, context: &[WordId], word: Option<WordId>) -> f32 {
        self.log10_prob_detail(context, word).0
    }

    /// [`Model::log10_prob_ids`] plus the length of the listed n-gram the probability
    /// came from: `order()` when the full n-gram is listed, 1 when only the unigram
    /// is, 0 for an unknown word. Tells attested word sequences from backed-off ones.
    #[inline]
    pub fn log10_prob_detail(&self, context: &[WordId], word: Option<WordId>) -> (f32, usize) {
        self.layout
            .log10_prob_after(self.data(), &self.context_of(context).0, word.map(|w| w.0))
    }

    /// `context` (word ids, nearest last) looked up once, for the probabilities of many
    /// words after it ([`Model::log10_prob_after`]).
    pub fn context_of(&self, context: &[WordId]) -> Context {
        let mut ids = [0u32; MAX_ORDER];
        let context = &context[context.len().saturating_sub(self.order() - 1)..];
        for (slot, w) in ids.iter_mut().zip(context) {
            *slot = w.0;
        }
        Context(self.layout.suffixes(self.data(), &ids[..context.len()]))
    }

    /// [`Model::log10_prob_ids`] after a context looked up with [`Model::context_of`].
    #[inline]
    pub fn log10_prob_after(&self, context: &Context, word: Option<WordId>) -> f32 {
        self.layout
            .log10_prob_after(self.data(), &context.0, word.map(|w| w.0))
            .0
    }

    /// Whether the model saw the two words side by side: a listed bigram, or the end of
    /// a listed trigram whose bigram the model did not keep (57,253 such pairs in the
    /// default model). Unlisted pairs can still be fine English: the model is pruned.
    pub fn pair_attested(&self, first: &str, second: &str) -> bool {
        match (self.word_id(first), self.word_id(second)) {
            (Some(a), Some(b)) => self.pair_attested_ids(a, b),
            _ => false,
        }
    }

    /// [`Model::pair_attested`] on ids.
    pub fn pair_attested_ids(&self, first: WordId, second: WordId) -> bool {
        self.layout.pair_attested(self.data(), first.0, second.0)
    }

    /// The log10 probability given to words outside the vocabulary.
    pub fn unknown_log10(&self) -> f32 {
        self.layout.unk_log10
    }

    /// The listed continuations of `context` (1 to `order() - 1` known words) with
    /// their log10 probabilities, in id order. Empty if the context is not listed or
    /// nothing continues it.
    pub fn followers(&self, context: &[WordId]) -> Vec<(WordId, f32)> {
        if context.is_empty() || context.len() >= self.order() {
            return Vec::new();
        }
        let mut ids = [0u32; MAX_ORDER];
        for (slot, w) in ids.iter_mut().zip(context) {
            *slot = w.0;
        }
        self.layout
            .followers(self.data(), &ids[..context.len()])
            .into_iter()
            .map(|(w, p)| (WordId(w), p))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded model is parsed without its checksum at run time: it is verified here.
    #[test]
    fn the_embedded_model_holds_its_checksum() {
        assert!(format::checksum_holds(EMBEDDED));
        assert!(Model::from_static(EMBEDDED).is_ok());
    }

    #[test]
    fn a_flipped_bit_or_an_old_version_is_refused() {
        let built = build::from_arpa(TINY_ARPA.as_bytes()).unwrap();
        assert!(Model::from_bytes(built.clone()).is_ok());
        for at in [32, built.len() / 2, built.len() - 1] {
            for bit in [0, 7] {
                let mut damaged = built.clone();
                damaged[at] ^= 1 << bit;
                let err = Model::from_bytes(damaged).unwrap_err().to_string();
                assert!(
                    err.contains("checksum mismatch"),
                    "byte {at} bit {bit}: {err}"
                );
            }
        }
        let mut old = built.clone();
        old[8..12].copy_from_slice(&1u32.to_le_bytes());
        let err = Model::from_bytes(old).unwrap_err().to_string();
        assert!(
            err.contains("version 1, this build reads 2; build it again"),
            "{err}"
        );
        let mut edited = built;
        edited[40] ^= 1;
        Model::seal(&mut edited);
        if let Err(e) = Model::from_bytes(edited) {
            assert!(!e.to_string().contains("checksum"), "{e}");
        }
    }

    /// A hand-made trigram model. Probabilities are chosen so backoff results can be
    /// worked out by hand in the tests below.
    pub(crate) const TINY_ARPA: &str = "\
some header text

\\data\\
ngram 1=5
ngram 2=4
ngram 3=2

\\1-grams:
-1.0\t</s>
-99\t<s>\t-0.3
-0.5\ta\t-0.2
-0.7\tb\t-0.4
-1.2\tc\t-0.1

\\2-grams:
-0.3\t<s> a\t-0.05
-0.2\ta b\t-0.15
-0.6\tb c\t0.0
-0.4\tb a\t-0.25

\\3-grams:
-0.1\t<s> a b
-0.05\ta b c

\\end\\
";

    fn tiny() -> Model {
        let bytes = build::from_arpa(TINY_ARPA.as_bytes()).expect("tiny ARPA builds");
        Model::from_bytes(bytes).expect("tiny model loads")
    }

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn tiny_round_trip_lists_every_ngram_exactly() {
        let m = tiny();
        assert_eq!(m.order(), 3);
        assert_eq!(m.vocabulary_size(), 5);
        for (words, p) in [
            (vec!["</s>"], -1.0),
            (vec!["<s>"], -99.0),
            (vec!["c"], -1.2),
            (vec!["<s>", "a"], -0.3),
            (vec!["a", "b"], -0.2),
            (vec!["b", "c"], -0.6),
            (vec!["b", "a"], -0.4),
            (vec!["<s>", "a", "b"], -0.1),
            (vec!["a", "b", "c"], -0.05),
        ] {
            assert_eq!(m.ngram_log10(&words), Some(p), "{words:?}");
        }
        for words in [
            vec!["a", "c"],
            vec!["c", "a"],
            vec!["b", "a", "b"],
            vec!["x"],
            vec![],
        ] {
            assert_eq!(m.ngram_log10(&words), None, "{words:?}");
        }
        assert!(m.contains("a") && !m.contains("A"));
        // "a b c" is listed but "b c" is too; "<s> a b" ends in the listed "a b".
        assert!(m.pair_attested("a", "b") && !m.pair_attested("a", "c"));
        assert_eq!(m.log10_unigram("b"), Some(-0.7));
        for w in ["</s>", "<s>", "a", "b", "c"] {
            assert_eq!(m.word(m.word_id(w).unwrap()), Some(w));
        }
    }

    #[test]
    fn tiny_backoff_arithmetic_by_hand() {
        let m = tiny();
        // Listed trigram: its own probability.
        assert!(close(m.log10_prob(&["a", "b"], "c"), -0.05));
        // "b a c": trigram and bigram "a c" unlisted; context "b a" is listed (bo -0.25),
        // "a" backs off with -0.2, then P(c) = -1.2: -0.25 - 0.2 - 1.2.
        assert!(close(m.log10_prob(&["b", "a"], "c"), -1.65));
        // "a b a": trigram unlisted, context "a b" bo -0.15, bigram "b a" -0.4.
        assert!(close(m.log10_prob(&["a", "b"], "a"), -0.55));
        // "c b a": context "c b" unlisted (no backoff), bigram "b a" listed.
        assert!(close(m.log10_prob(&["c", "b"], "a"), -0.4));
        // "b c </s>": context "b c" has backoff 0, "c" backs off -0.1, P(</s>) -1.0.
        assert!(close(m.log10_prob(&["b", "c"], "</s>"), -1.1));
        // Unigram context and no context.
        assert!(close(m.log10_prob(&["c"], "a"), -0.6));
        assert!(close(m.log10_prob(&[], "b"), -0.7));
        // Only the last two context words count; an unknown one cuts the context.
        assert!(close(m.log10_prob(&["c", "a", "b"], "c"), -0.05));
        assert!(close(m.log10_prob(&["a", "zzz"], "b"), -0.7));
        // Unknown word: no <unk>, so the lowest real unigram probability, plus backoffs.
        assert!(close(m.log10_prob(&[], "zzz"), -1.2));
        assert!(close(m.log10_prob(&["b"], "zzz"), -0.4 - 1.2));
        // Which n-gram the answer came from.
        let id = |w| m.word_id(w).unwrap();
        assert_eq!(m.log10_prob_detail(&[id("a"), id("b")], Some(id("c"))).1, 3);
        assert_eq!(m.log10_prob_detail(&[id("a"), id("b")], Some(id("a"))).1, 2);
        assert_eq!(m.log10_prob_detail(&[id("c")], Some(id("a"))).1, 1);
        assert_eq!(m.log10_prob_detail(&[id("c")], None).1, 0);
        // Ids past the vocabulary are unknown words, not aliases of other keys.
        let past = WordId::from_index(5 + 2);
        assert!(close(m.log10_prob_ids(&[id("b")], Some(past)), -0.4 - 1.2));
        assert!(close(
            m.log10_prob_ids(&[past, id("a")], Some(id("b"))),
            -0.2
        ));
        assert!(!m.pair_attested_ids(id("a"), past) && m.word(past).is_none());
    }

    #[test]
    fn tiny_followers_list_continuations() {
        let m = tiny();
        let id = |w| m.word_id(w).unwrap();
        let got: Vec<(String, f32)> = m
            .followers(&[id("b")])
            .into_iter()
            .map(|(w, p)| (m.word(w).unwrap().to_string(), p))
            .collect();
        assert_eq!(got, vec![("a".to_string(), -0.4), ("c".to_string(), -0.6)]);
        assert_eq!(m.followers(&[id("a"), id("b")]), vec![(id("c"), -0.05)]);
        assert!(m.followers(&[id("c")]).is_empty());
    }

    #[test]
    fn building_twice_gives_identical_bytes() {
        let a = build::from_arpa(TINY_ARPA.as_bytes()).unwrap();
        let b = build::from_arpa(TINY_ARPA.as_bytes()).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn malformed_model_bytes_are_errors_not_panics() {
        let good = build::from_arpa(TINY_ARPA.as_bytes()).unwrap();
        assert!(Model::from_bytes(Vec::new()).is_err());
        assert!(Model::from_bytes(b"not a model at all, just text".to_vec()).is_err());
        for cut in (0..good.len()).step_by(7) {
            let err = Model::from_bytes(good[..cut].to_vec()).unwrap_err();
            assert!(
                err.to_string().starts_with("invalid model <bytes>"),
                "{err}"
            );
        }
        // Flipped bytes may load (the format has no checksum) but queries must not panic.
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0xA5;
            if let Ok(m) = Model::from_bytes(bad) {
                for ctx in [&["a", "b"][..], &["b"], &[]] {
                    for w in ["a", "b", "c", "zzz"] {
                        let _ = m.log10_prob(ctx, w);
                        let _ = m.ngram_log10(&[ctx, &[w]].concat());
                    }
                }
                let _ = m.followers(&[WordId(0)]);
                let _ = m.word(WordId(3));
            }
        }
    }

    /// Every aligned word set to extreme values: counts, lengths, offsets and table
    /// entries that point anywhere must still give errors or answers, never panics.
    #[test]
    fn extreme_words_in_model_bytes_do_not_panic() {
        let good = build::from_arpa(TINY_ARPA.as_bytes()).unwrap();
        for at in (0..good.len()).step_by(4) {
            for value in [u32::MAX, 1 << 31, 1 << 20, 0] {
                let mut bad = good.clone();
                bad[at..at + 4].copy_from_slice(&value.to_le_bytes());
                if let Ok(m) = Model::from_bytes(bad) {
                    for w in ["a", "b", "c", "zzz"] {
                        let _ = m.log10_prob(&["a", "b"], w);
                        let _ = m.log10_prob(&["b"], w);
                        let _ = m.ngram_log10(&["b", "a", w]);
                    }
                    for id in 0..6 {
                        let _ = m.followers(&[WordId(id)]);
                        let _ = m.followers(&[WordId(2), WordId(id)]);
                        let _ = m.word(WordId(id));
                    }
                }
            }
        }
    }

    #[test]
    fn open_names_the_file_in_errors() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.mtlm");
        let err = Model::open(&missing).unwrap_err().to_string();
        assert!(err.contains("missing.mtlm"), "{err}");
        let junk = dir.path().join("junk.mtlm");
        std::fs::write(&junk, b"MTLM but not really").unwrap();
        let err = Model::open(&junk).unwrap_err().to_string();
        assert!(err.contains("junk.mtlm") && err.contains("magic"), "{err}");
        let good = dir.path().join("tiny.mtlm");
        std::fs::write(&good, build::from_arpa(TINY_ARPA.as_bytes()).unwrap()).unwrap();
        assert_eq!(
            Model::open(&good).unwrap().ngram_log10(&["a", "b"]),
            Some(-0.2)
        );
    }

    #[test]
    fn embedded_model_prefers_forced_landing() {
        let m = Model::embedded();
        assert_eq!(m.order(), 3);
        assert_eq!(m.vocabulary_size(), 72_547);
        let landing = m.log10_prob(&["the", "forced"], "landing");
        let downsizing = m.log10_prob(&["the", "forced"], "downsizing");
        assert!(landing > downsizing + 2.0, "{landing} vs {downsizing}");
        assert!(m.ngram_log10(&["forced", "landing"]).is_some());
        assert!(m.ngram_log10(&["forced", "downsizing"]).is_none());
        assert!(m.log10_prob(&["a"], "buffer") > m.log10_prob(&["a"], "protector"));
        assert!(
            m.log10_prob(&["buffer"], "between") > m.log10_prob(&["protector"], "between") + 1.0
        );
    }
}
