//! The deep tier (`--deep`): a small causal language model (SmolLM2-135M, GGUF, on candle)
//! that reads whole sentences. It judges candidate rewrites of a slot by the probability of
//! the whole sentence with each in place, so it confirms, re-ranks or drops the fast tier's
//! findings and adds its own where the model's own predictions win by a calibrated margin.
//!
//! - `store.rs` — the model cache and `mtaudit lm fetch`;
//! - `tokenizer.rs` — byte-level BPE from the GGUF metadata;
//! - `llama.rs` — the forward pass: every position's scores, shared prefixes;
//! - `int8.rs` — the linear layers' products in integers, where the CPU has AVX2 or VNNI;
//! - `judge.rs` — the decisions, on log-probabilities alone;
//! - `review.rs` — slots and candidates of a document, and what becomes of its findings.

mod int8;
pub mod judge;
mod llama;
pub mod review;
pub mod store;
pub mod tokenizer;

use candle_core::quantized::gguf_file;
use candle_core::Device;
use llama::{log_probability, log_sum_exp, Llama, Pass, Prefix, MAX_POSITIONS};
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;
use tokenizer::{Token, TokenId, Tokenizer};

pub use review::Deep;

/// Tokens after a slot that a rewrite is compared on: the right context that tells a fitting
/// word from a misfit is near it, and every further token costs each candidate a position.
const RIGHT_CONTEXT: usize = 5;

/// A sentence longer than this (in tokens) is not read: a run-on line with no full stop.
const MAX_SENTENCE_TOKENS: usize = 400;

/// Candidate tokens run in one forward pass at most: bounds the memory of the keys and values
/// when `--deep-budget` allows many candidates.
const TOKENS_PER_PASS: usize = 256;

/// Rows put through the output layer at once: their scores over the vocabulary take 200 kB
/// each.
const SCORED_ROWS: usize = 32;

/// A loaded language model with its tokenizer.
pub struct LanguageModel {
    path: PathBuf,
    llama: Llama,
    tokenizer: Tokenizer,
    /// The token a document starts after (`<|endoftext|>`).
    start: TokenId,
    /// The whole word each token spells when it is a space and letters only (" buffer").
    words: Vec<Option<Box<str>>>,
    /// Work done so far, for `MTAUDIT_DEEP_TRACE` and the benchmark.
    pub work: Work,
}

/// Tokens run through the model and the time it took, reading sentences and rescoring
/// candidates apart.
#[derive(Default)]
pub struct Work {
    read_tokens: AtomicU64,
    read_nanos: AtomicU64,
    rescored_tokens: AtomicU64,
    rescore_nanos: AtomicU64,
}

impl Work {
    fn add(tokens: &AtomicU64, nanos: &AtomicU64, count: usize, since: Instant) {
        tokens.fetch_add(count as u64, Ordering::Relaxed);
        nanos.fetch_add(since.elapsed().as_nanos() as u64, Ordering::Relaxed);
    }

    /// One line: tokens and seconds reading sentences, then rescoring candidates.
    pub fn summary(&self) -> String {
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        format!(
            "read {} tokens in {:.2} s; rescored {} candidate tokens in {:.2} s",
            get(&self.read_tokens),
            get(&self.read_nanos) as f64 / 1e9,
            get(&self.rescored_tokens),
            get(&self.rescore_nanos) as f64 / 1e9
        )
    }
}

/// A sentence after one forward pass: each token's log-probability, and the model's own
/// likeliest whole words wherever a word begins.
pub struct ScoredSentence {
    /// Offsets relative to the sentence text.
    pub tokens: Vec<Token>,
    /// Natural log-probability of each token given everything before it.
    pub log_probs: Vec<f32>,
    /// For each token that begins a word: the likeliest whole words there, best first.
    pub predictions: Vec<Vec<(String, f32)>>,
    /// Every position's scores over the vocabulary (`tokens × vocabulary`), and their
    /// log-sum-exp: what the model expects of any word at a slot.
    scores: Vec<f32>,
    totals: Vec<f32>,
    /// Keys and values of the start token, the context and the sentence.
    prefix: Prefix,
    /// Tokens before the sentence's first (the start token and the context).
    before: usize,
    ids: Vec<TokenId>,
    /// The sentence as the model read it: with a space before it after a context sentence.
    text: String,
    /// The sentence had a space put before it.
    spaced: bool,
}

impl ScoredSentence {
    /// The sentence as given (without the space put before it after a context).
    pub fn sentence(&self) -> &str {
        &self.text[usize::from(self.spaced)..]
    }

    /// The first token of the pre-token that holds byte `at` of the sentence.
    pub fn token_at(&self, at: usize) -> usize {
        let at = at + usize::from(self.spaced);
        let last = self.tokens.partition_point(|t| t.start <= at).max(1) - 1;
        let start = self.tokens[last].start;
        self.tokens.partition_point(|t| t.start < start)
    }

    /// log-probability of the pre-token (a word with its space) whose first token is `from`.
    pub fn word_log_prob(&self, from: usize) -> f32 {
        let start = self.tokens[from].start;
        self.tokens[from..]
            .iter()
            .zip(&self.log_probs[from..])
            .take_while(|(t, _)| t.start == start)
            .map(|(_, p)| p)
            .sum()
    }

    /// The tokens a rewrite of `span` (bytes of the sentence) is compared on: from the first
    /// token of the slot's pre-token to `RIGHT_CONTEXT` tokens after the slot (ending where
    /// a pre-token ends), or the end of the sentence.
    pub fn window(&self, span: &std::ops::Range<usize>) -> Range<usize> {
        let from = self.token_at(span.start);
        let shift = usize::from(self.spaced);
        let after = self.tokens.partition_point(|t| t.start < span.end + shift);
        let mut end = (after + RIGHT_CONTEXT).min(self.tokens.len());
        while end < self.tokens.len() && self.tokens[end].start == self.tokens[end - 1].start {
            end += 1;
        }
        from..end
    }

    /// The window's text with `span` (bytes of the sentence, inside the window) replaced:
    /// what `rescore` takes.
    pub fn rewrite(&self, window: &Range<usize>, span: &Range<usize>, replacement: &str) -> String {
        let shift = usize::from(self.spaced);
        let text = &self.text;
        let end = self.tokens.get(window.end).map_or(text.len(), |t| t.start);
        format!(
            "{}{replacement}{}",
            &text[self.tokens[window.start].start..span.start + shift],
            &text[span.end + shift..end]
        )
    }

    /// log-probability of the window's tokens as written.
    pub fn window_log_prob(&self, window: &Range<usize>) -> f32 {
        self.log_probs[window.clone()].iter().sum()
    }
}

/// What the next sentence is read after: the start token and the sentence before it, with
/// their keys and values (the earlier sentences dropped).
pub struct Context {
    prefix: Prefix,
    ids: Vec<TokenId>,
}

impl ScoredSentence {
    /// The context for the sentence after this one.
    pub fn as_context(&self) -> candle_core::Result<Context> {
        let mut ids = vec![self.ids[0]];
        ids.extend_from_slice(&self.ids[self.before..]);
        Ok(Context {
            prefix: self.prefix.splice(1, self.before)?,
            ids,
        })
    }
}

fn models() -> &'static Mutex<HashMap<PathBuf, Arc<LanguageModel>>> {
    static LOADED: OnceLock<Mutex<HashMap<PathBuf, Arc<LanguageModel>>>> = OnceLock::new();
    LOADED.get_or_init(Default::default)
}

impl LanguageModel {
    /// The model at `path`, loaded once per run however many configurations name it.
    pub fn shared(path: &Path) -> Result<Arc<LanguageModel>, String> {
        let mut loaded = models().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(model) = loaded.get(path) {
            return Ok(model.clone());
        }
        let model = Arc::new(LanguageModel::load(path)?);
        loaded.insert(path.to_owned(), model.clone());
        Ok(model)
    }

    /// Reads a GGUF model; errors name the file and say what is wrong with it.
    pub fn load(path: &Path) -> Result<LanguageModel, String> {
        let shown = path.display();
        let mut file = std::fs::File::open(path).map_err(|e| format!("{shown}: {e}"))?;
        let content = gguf_file::Content::read(&mut file)
            .map_err(|e| format!("{shown}: not a readable GGUF model: {e}"))?;
        let text = |key: &str| -> Result<String, String> {
            content
                .metadata
                .get(key)
                .and_then(|v| v.to_string().ok())
                .cloned()
                .ok_or_else(|| format!("{shown}: no {key} in the GGUF metadata"))
        };
        let architecture = text("general.architecture")?;
        if architecture != "llama" {
            return Err(format!(
                "{shown}: the model's architecture is `{architecture}`; the deep tier runs `llama` models (SmolLM2)"
            ));
        }
        let kind = text("tokenizer.ggml.model")?;
        if kind != "gpt2" {
            return Err(format!(
                "{shown}: tokenizer `{kind}`; the deep tier reads byte-level BPE (`gpt2`) tokenizers"
            ));
        }
        let strings = |key: &str| -> Result<Vec<String>, String> {
            let values = content
                .metadata
                .get(key)
                .and_then(|v| v.to_vec().ok())
                .ok_or_else(|| format!("{shown}: no {key} in the GGUF metadata"))?;
            values
                .iter()
                .map(|v| v.to_string().cloned())
                .collect::<Result<_, _>>()
                .map_err(|e| format!("{shown}: {key}: {e}"))
        };
        let tokenizer = Tokenizer::new(
            strings("tokenizer.ggml.tokens")?,
            &strings("tokenizer.ggml.merges")?,
        )
        .map_err(|e| format!("{shown}: {e}"))?;
        let start = tokenizer
            .id("<|endoftext|>")
            .ok_or_else(|| format!("{shown}: no <|endoftext|> token"))?;
        let llama =
            Llama::load(&content, &mut file, &Device::Cpu).map_err(|e| format!("{shown}: {e}"))?;
        let words = (0..tokenizer.vocabulary_size() as TokenId)
            .map(|id| {
                let text = tokenizer.decode(id)?;
                let word = text.strip_prefix(' ')?;
                (word.chars().count() >= 2 && word.chars().all(char::is_alphabetic))
                    .then(|| word.into())
            })
            .collect();
        Ok(LanguageModel {
            path: path.to_owned(),
            llama,
            tokenizer,
            start,
            words,
            work: Work::default(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// One line for `mtaudit lm info`.
    pub fn describe(&self) -> String {
        format!(
            "{}: llama architecture, {} layers, vocabulary of {} tokens (byte-level BPE)",
            self.path.display(),
            self.llama.layer_count(),
            self.tokenizer.vocabulary_size()
        )
    }

    pub fn encode(&self, text: &str) -> Vec<Token> {
        self.tokenizer.encode(text)
    }

    /// One forward pass over `sentence` after `context` (the start of the document and the
    /// sentence before, as read; none for the first): each token's log-probability, and the
    /// `top_k` likeliest whole words wherever a word begins. Only those are kept of each
    /// position's scores. `None` for a sentence longer than `MAX_SENTENCE_TOKENS`.
    pub fn score(
        &self,
        context: Option<&Context>,
        sentence: &str,
        top_k: usize,
    ) -> candle_core::Result<Option<ScoredSentence>> {
        let context =
            context.filter(|c| c.prefix.next_position() + MAX_SENTENCE_TOKENS < MAX_POSITIONS);
        let spaced = context.is_some();
        let text = if spaced {
            format!(" {sentence}")
        } else {
            sentence.to_owned()
        };
        let tokens = self.encode(&text);
        if tokens.is_empty() || tokens.len() > MAX_SENTENCE_TOKENS {
            return Ok(None);
        }
        // The last token before the sentence is run (again): its scores predict the first.
        let (mut ids, prefix) = match context {
            Some(c) => (c.ids.clone(), Some(c.prefix.truncate(c.ids.len() - 1)?)),
            None => (vec![self.start], None),
        };
        let before = ids.len();
        ids.extend(tokens.iter().map(|t| t.id));
        let pass = Pass::run(
            ids[before - 1..].to_vec(),
            prefix.as_ref().map_or(0, Prefix::len),
            prefix.as_ref().map_or(0, Prefix::next_position),
        );
        let started = Instant::now();
        let (hidden, prefix) = self.llama.forward(&pass, prefix.as_ref())?;
        let scores: Vec<f32> = self.llama.scores(&hidden, None)?.flatten_all()?.to_vec1()?;
        let vocabulary = scores.len() / (tokens.len() + 1);
        let row = |position: usize| &scores[position * vocabulary..(position + 1) * vocabulary];
        let totals: Vec<f32> = (0..tokens.len()).map(|i| log_sum_exp(row(i))).collect();
        let mut log_probs = Vec::with_capacity(tokens.len());
        let mut predictions = Vec::with_capacity(tokens.len());
        for (i, token) in tokens.iter().enumerate() {
            log_probs.push(row(i)[token.id as usize] - totals[i]);
            let begins_word = (i == 0 || tokens[i - 1].start != token.start)
                && text[token.start..]
                    .trim_start_matches(' ')
                    .starts_with(char::is_alphabetic);
            predictions.push(if begins_word {
                self.top_words(row(i), totals[i], top_k)
            } else {
                Vec::new()
            });
        }
        Work::add(
            &self.work.read_tokens,
            &self.work.read_nanos,
            tokens.len(),
            started,
        );
        Ok(Some(ScoredSentence {
            tokens,
            log_probs,
            predictions,
            scores,
            totals,
            prefix,
            before,
            ids,
            text,
            spaced,
        }))
    }

    /// The `k` likeliest whole-word tokens of one position (scores and their log-sum-exp),
    /// with their log-probabilities.
    fn top_words(&self, scores: &[f32], total: f32, k: usize) -> Vec<(String, f32)> {
        let mut best: Vec<(f32, usize)> = Vec::with_capacity(k + 1);
        for (id, &score) in scores.iter().enumerate() {
            if self.words[id].is_none() || best.len() == k && score <= best[k - 1].0 {
                continue;
            }
            let at = best.partition_point(|&(s, _)| s >= score);
            best.insert(at, (score, id));
            best.truncate(k);
        }
        best.into_iter()
            .filter_map(|(score, id)| Some((self.words[id].as_deref()?.to_owned(), score - total)))
            .collect()
    }

    /// How likely the model finds `word` at token `position` of the sentence, from the left
    /// context alone: the log-probability of its first token (a bound on the whole word's),
    /// spelt with a space before it where the token there has one.
    pub fn left_log_prob(&self, scored: &ScoredSentence, position: usize, word: &str) -> f32 {
        let spaced = scored.text[scored.tokens[position].start..].starts_with(' ');
        let spelt = if spaced {
            format!(" {word}")
        } else {
            word.to_owned()
        };
        let Some(first) = self.encode(&spelt).first().map(|t| t.id as usize) else {
            return f32::NEG_INFINITY;
        };
        let vocabulary = scored.scores.len() / (scored.tokens.len() + 1);
        scored.scores[position * vocabulary + first] - scored.totals[position]
    }

    /// The rewrites of a sentence's tokens from a token on (the token and the text from its
    /// pre-token on, see `ScoredSentence::rewrite`), made ready for `rescore`: tokenized, with
    /// the log-probability of each first token, which the reading's scores at the slot give.
    pub fn rewrites(&self, scored: &ScoredSentence, rewrites: &[(usize, String)]) -> Rewrites {
        let vocabulary = scored.scores.len() / (scored.tokens.len() + 1);
        let mut prepared = Rewrites {
            prefix: scored.prefix.clone(),
            cached: Vec::with_capacity(rewrites.len()),
            tails: Vec::with_capacity(rewrites.len()),
            first: Vec::with_capacity(rewrites.len()),
        };
        for (from, tail) in rewrites {
            let tail: Vec<TokenId> = self.encode(tail).iter().map(|t| t.id).collect();
            prepared.first.push(match tail.first() {
                Some(&first) => {
                    scored.scores[from * vocabulary + first as usize] - scored.totals[*from]
                }
                None => 0.0,
            });
            prepared.cached.push(scored.before + from);
            prepared.tails.push(tail);
        }
        prepared
    }

    /// The log-probability of each rewrite given everything before it. The rewrites run in
    /// one forward pass after the sentence as read, each seeing it only up to its own slot;
    /// the token before a slot is not run again (its scores came with the reading).
    pub fn rescore(&self, rewrites: &Rewrites) -> candle_core::Result<Vec<f32>> {
        let started = Instant::now();
        let mut out = rewrites.first.clone();
        let mut count = 0;
        let mut next = 0;
        let tails = &rewrites.tails;
        while next < tails.len() {
            // Each rewrite's tokens but its last are run: their scores predict the next one.
            let mut pass = Pass::run(Vec::new(), 0, 0);
            let mut targets = Vec::new();
            while next < tails.len()
                && (pass.len() == 0 || pass.len() + tails[next].len() <= TOKENS_PER_PASS)
            {
                let (cached, tail) = (rewrites.cached[next], &tails[next]);
                if tail.len() > 1 {
                    pass.push_run(
                        &tail[..tail.len() - 1],
                        cached,
                        rewrites.prefix.position(cached),
                    );
                    targets.extend(tail[1..].iter().map(|&t| (next, t)));
                }
                next += 1;
            }
            if pass.len() == 0 {
                continue;
            }
            count += pass.len();
            let (hidden, _) = self.llama.forward(&pass, Some(&rewrites.prefix))?;
            // The output layer over a few rows at a time: a pass's scores over the whole
            // vocabulary would take 50 MB.
            for (rows, targets) in (0..pass.len() as u32)
                .collect::<Vec<u32>>()
                .chunks(SCORED_ROWS)
                .zip(targets.chunks(SCORED_ROWS))
            {
                let scores: Vec<f32> = self
                    .llama
                    .scores(&hidden, Some(rows))?
                    .flatten_all()?
                    .to_vec1()?;
                let vocabulary = scores.len() / rows.len();
                for (row, &(rewrite, target)) in scores.chunks(vocabulary).zip(targets) {
                    out[rewrite] += log_probability(row, target);
                }
            }
        }
        Work::add(
            &self.work.rescored_tokens,
            &self.work.rescore_nanos,
            count,
            started,
        );
        Ok(out)
    }
}

/// Rewrites of a sentence ready for `LanguageModel::rescore`: all it needs of the sentence
/// as read is the keys and values, so the reading's scores can go before they are rescored.
pub struct Rewrites {
    prefix: Prefix,
    /// For each rewrite: the tokens of the prefix it sees (those before its slot).
    cached: Vec<usize>,
    /// For each rewrite: its tokens.
    tails: Vec<Vec<TokenId>>,
    /// The log-probability of each rewrite's first token.
    first: Vec<f32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sentence read after a context (so with a space before it), one token per pre-token
    /// but "mentioned", which is two.
    fn scored() -> ScoredSentence {
        let sentence = "The police chief mentioned that nobody was hurt.";
        let text = format!(" {sentence}");
        let mut tokens = Vec::new();
        for piece in tokenizer::pre_tokens(&text) {
            let pieces = if &text[piece.clone()] == " mentioned" {
                2
            } else {
                1
            };
            for _ in 0..pieces {
                tokens.push(Token {
                    id: 7,
                    start: piece.start,
                });
            }
        }
        let count = tokens.len();
        ScoredSentence {
            log_probs: (0..count).map(|i| -(i as f32)).collect(),
            predictions: vec![Vec::new(); count],
            scores: Vec::new(),
            totals: Vec::new(),
            tokens,
            prefix: Prefix::empty(),
            before: 3,
            ids: vec![7; count + 3],
            text,
            spaced: true,
        }
    }

    #[test]
    fn a_slot_maps_to_its_tokens_and_a_window_after_it() {
        let scored = scored();
        let sentence = "The police chief mentioned that nobody was hurt.";
        let at = sentence.find("mentioned").unwrap();
        let span = at..at + "mentioned".len();
        assert_eq!(scored.token_at(at), 3);
        let window = scored.window(&span);
        // " mentioned" (two tokens), then five more: " that", " nobody", " was", " hurt", ".".
        assert_eq!(window, 3..10);
        assert_eq!(
            scored.rewrite(&window, &span, "said"),
            " said that nobody was hurt."
        );
        let sum: f32 = (3..10).map(|i| -(i as f32)).sum();
        assert_eq!(scored.window_log_prob(&window), sum);
        // Both tokens of " mentioned", and no more.
        assert_eq!(scored.word_log_prob(3), -7.0);
        assert_eq!(scored.sentence(), sentence);
    }

    #[test]
    fn the_window_ends_where_a_pre_token_ends() {
        let scored = scored();
        let span = 0.."The".len();
        let window = scored.window(&span);
        // "The", then five tokens: " police", " chief", " mentioned" (two), " that".
        assert_eq!(window, 0..6);
        assert_eq!(
            scored.rewrite(&window, &span, "A"),
            " A police chief mentioned that"
        );
    }
}
