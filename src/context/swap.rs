//! Spinner swaps: a word (or two adjacent words) whose thesaurus, inflection or spelling
//! neighbour forms a strong collocation with the context, where the written words form a
//! weak one. The comparison is frequency-normalized: each candidate's fit is its
//! association with the context (log P(x | left) − log P(x)) plus how well the right
//! context follows it, so a common candidate gains nothing from being common.

use std::borrow::{Borrow, Cow};
use std::cell::RefCell;
use std::hash::Hash;
use std::sync::Arc;

use foldhash::HashMap;

use super::words::Sequence;
use crate::lexicon::{Lexicon, PhraseStart, PosSet};
use crate::model::{Context, Model, WordId};
use crate::pairs::PairCounts;

/// Positions `from..to` of a sequence, where replacements are weighed against the written
/// words: the context before them is looked up once for every replacement.
struct Window<'s> {
    model: &'s Model,
    seq: &'s Sequence,
    from: usize,
    to: usize,
    left: Context,
}

impl<'s> Window<'s> {
    fn new(model: &'s Model, seq: &'s Sequence, from: usize, to: usize) -> Window<'s> {
        let left = model.context_of(&seq.ids[from.saturating_sub(model.order() - 1)..from]);
        Window {
            model,
            seq,
            from,
            to,
            left,
        }
    }

    /// Where the window's words end: the replaced ones and the `order - 1` after them,
    /// which they condition.
    fn end(&self) -> usize {
        (self.to + self.model.order() - 1).min(self.seq.ids.len())
    }

    /// log10 probability of the window's words with `replacement` standing at `from..to`.
    fn log10(&self, replacement: &[WordId]) -> f64 {
        let order = self.model.order();
        let ids = &self.seq.ids;
        let mut seq: Vec<WordId> = Vec::with_capacity(order * 2 + replacement.len());
        seq.extend_from_slice(&ids[self.from.saturating_sub(order - 1)..self.from]);
        let first = seq.len();
        seq.extend_from_slice(replacement);
        seq.extend_from_slice(&ids[self.to..self.end()]);
        let mut total = 0.0;
        for j in first..seq.len() {
            let p = if j == first {
                self.model.log10_prob_after(&self.left, Some(seq[j]))
            } else {
                let context = &seq[j.saturating_sub(order - 1)..j];
                self.model.log10_prob_ids(context, Some(seq[j]))
            };
            total += f64::from(p);
        }
        total
    }

    /// Association of `replacement` with its context: the window's probability minus the
    /// replacement's own unigram probability.
    fn fit(&self, replacement: &[WordId]) -> f64 {
        self.log10(replacement) - self.prior(replacement)
    }

    /// [`Window::fit`] of the written words, from the scores the sequence holds already.
    fn written_fit(&self) -> f64 {
        let scores = &self.seq.scores[self.from..self.end()];
        let total: f64 = scores.iter().map(|s| f64::from(s.log10)).sum();
        total - self.prior(&self.seq.ids[self.from..self.to])
    }

    fn prior(&self, words: &[WordId]) -> f64 {
        words
            .iter()
            .map(|&w| f64::from(self.model.log10_unigram_id(w)))
            .sum()
    }
}

/// Whether every adjacent pair the replacement forms is attested; stops at the first that
/// is not, since most candidates fail at once.
fn all_pairs_attested(
    model: &Model,
    ids: &[WordId],
    from: usize,
    to: usize,
    replacement: &[WordId],
) -> bool {
    let left = from.checked_sub(1).map(|i| ids[i]);
    let right = ids.get(to).copied();
    let sequence = left.iter().chain(replacement).chain(right.iter());
    let mut previous: Option<WordId> = None;
    for &id in sequence {
        if previous.is_some_and(|p| !model.pair_attested_ids(p, id)) {
            return false;
        }
        previous = Some(id);
    }
    true
}

/// Whether the word at `at` forms an attested pair with both of its neighbours, and whether
/// with either (`attested` as [`SwapFinder::attested_pairs`] gives it).
fn sides_attested(attested: &[bool], at: usize) -> (bool, bool) {
    let left = (at > 0).then(|| attested[at]);
    let right = attested.get(at + 1).copied();
    (
        left.unwrap_or(true) && right.unwrap_or(true),
        left.unwrap_or(false) || right.unwrap_or(false),
    )
}

#[derive(Debug, Clone, PartialEq)]
pub struct Swap {
    /// Positions in the sequence replaced (`from..to`).
    pub from: usize,
    pub to: usize,
    pub replacement: Vec<String>,
    /// log10 of how much better the replacement fits than the written words.
    pub gain: f64,
    pub kind: SwapKind,
}

/// Where a replacement came from; each kind needs its own strength of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SwapKind {
    /// A thesaurus neighbour of the written word.
    Neighbour,
    /// Another inflection of the written word's lemma (number, tense).
    Inflection,
    /// Two adjacent words into a phrase of the lexicon (a dictionary collocation).
    Phrase,
    /// Two adjacent words into a pair the model lists as a collocation.
    Collocation,
    /// A word the model predicts from the left context, related only by part of speech.
    Fill,
    /// One word of a pair into a term of technical writing (the technical pair counts),
    /// where neither source attests the written pair.
    Term,
}

/// Whether a word with the parts of speech `pos` can carry a spinner swap: open-class,
/// known to the lexicon.
fn is_content(word: &str, pos: PosSet) -> bool {
    word.len() >= 3
        && pos.intersects(PosSet::OPEN)
        && !pos.intersects(PosSet::DET | PosSet::PREP | PosSet::PRON | PosSet::CONJ | PosSet::AUX)
}

/// How many thesaurus neighbours of one word are tried, strong links first.
const SYNONYMS_TRIED: usize = 40;
/// How many strong neighbours per word when two adjacent words are swapped together.
const PAIR_SYNONYMS_TRIED: usize = 12;
/// A candidate may be this much rarer (log10 unigram) than the written word: spinners and
/// literal translation swap a common word for a rarer one, rarely the other way round.
const RARITY_SLACK: f64 = 0.5;
/// How many of the model's continuations of the left context `fill` weighs.
const FOLLOWERS_TRIED: usize = 40;
/// A two-word replacement must be a listed pair this much likelier than chance (log10).
const PAIR_MIN_ASSOCIATION: f64 = 1.0;
/// A term of technical writing must have been seen this often…
const TERM_MIN_COUNT: u64 = 3;
/// … and this much likelier than chance (log10).
const TERM_MIN_ASSOCIATION: f64 = 1.0;
/// How many thesaurus neighbours of each word may turn a pair into a term. On our examples,
/// 40 added false alarms in clean text ("first scheme" → "first argument") and 20 none.
const TERM_SYNONYMS_TRIED: usize = 20;

/// A word's single-word thesaurus neighbours, best first (strong links before weak), with
/// whether the link is strong and their parts of speech: as many as any caller tries.
type Synonyms = Arc<[(&'static str, bool, PosSet)]>;

// A word's first [`SYNONYMS_TRIED`] neighbours hold the first ones of every shorter list,
// and all its strong ones up to that many, since strong links come first.
const _: () =
    assert!(SYNONYMS_TRIED >= TERM_SYNONYMS_TRIED && SYNONYMS_TRIED >= PAIR_SYNONYMS_TRIED);

/// Finds swaps in the runs of a document. Keeps what depends only on a word or a context
/// (the lexicon's candidates, the model's likeliest continuations) in a [`Memo`], since the
/// same words and contexts keep coming back.
pub struct SwapFinder<'a> {
    model: &'a Model,
    /// 'static: the memo keeps where the lexicon's phrases of a word begin.
    lexicon: &'static Lexicon,
    technical: &'a PairCounts,
    memo: RefCell<Memo>,
}

/// Candidate lists by the word (and its model id) they replace, continuations by context:
/// answers that depend only on the model and lexicon, so a memo can serve one document
/// after another as long as those stay the same.
#[derive(Default)]
pub struct Memo {
    neighbours: HashMap<String, Candidates>,
    pair_options: HashMap<(String, WordId), Candidates>,
    /// The content words among a context's likeliest continuations, with their parts of
    /// speech.
    followers: HashMap<Vec<WordId>, Arc<[(WordId, PosSet)]>>,
    /// What each word may become in a term of technical writing.
    term_options: HashMap<String, Arc<[Cow<'static, str>]>>,
    /// Each word's thesaurus neighbours, which all three kinds of candidates start from.
    synonyms: HashMap<String, Synonyms>,
    /// The lexicon's parts of speech of the words seen.
    pos: HashMap<String, PosSet>,
    /// The lexicon's phrases that begin with the word, if any do.
    phrases_after: HashMap<String, Option<Arc<PhraseStart<'static>>>>,
    /// Whether technical writing has the word in any of its pairs.
    technical_words: HashMap<WordId, bool>,
}

/// Replacement words by their model ids (the model gives their spelling back), shared
/// between a memo and its users: ids keep a memo of many words small.
type Candidates = Arc<[WordId]>;

/// A memo holding more entries than this in one of its maps starts afresh (a few MB at
/// most; enough for the words of a long run of documents).
const MEMO_ENTRIES: usize = 32768;

impl Memo {
    fn bounded(mut self) -> Memo {
        bound(&mut self.neighbours);
        bound(&mut self.pair_options);
        bound(&mut self.followers);
        bound(&mut self.term_options);
        bound(&mut self.synonyms);
        bound(&mut self.pos);
        bound(&mut self.phrases_after);
        bound(&mut self.technical_words);
        self
    }
}

/// Empties a memo's map that has grown past [`MEMO_ENTRIES`].
fn bound<K, V>(map: &mut HashMap<K, V>) {
    if map.len() > MEMO_ENTRIES {
        map.clear();
    }
}

impl<'a> SwapFinder<'a> {
    /// A finder starting from `memo`, which must come from finders of the same model and
    /// lexicon (or be new).
    pub fn new(
        model: &'a Model,
        lexicon: &'static Lexicon,
        technical: &'a PairCounts,
        memo: Memo,
    ) -> SwapFinder<'a> {
        SwapFinder {
            model,
            lexicon,
            technical,
            memo: RefCell::new(memo),
        }
    }

    /// The answer the memo's map `map` holds for `key`, or `compute`'s, then remembered.
    /// `compute` runs with the memo free, so it may consult the memo itself.
    fn remembered<K, Q, V>(
        &self,
        map: fn(&mut Memo) -> &mut HashMap<K, V>,
        key: &Q,
        compute: impl FnOnce() -> V,
    ) -> V
    where
        K: Borrow<Q> + Hash + Eq,
        Q: ToOwned<Owned = K> + Hash + Eq + ?Sized,
        V: Clone,
    {
        if let Some(found) = map(&mut self.memo.borrow_mut()).get(key) {
            return found.clone();
        }
        let value = compute();
        map(&mut self.memo.borrow_mut()).insert(key.to_owned(), value.clone());
        value
    }

    /// What this finder learned, to pass on to the next finder of the same model and lexicon.
    pub fn into_memo(self) -> Memo {
        self.memo.into_inner().bounded()
    }

    /// The best one-word swaps at sequence position `at`: a thesaurus neighbour or another
    /// inflection ([`SwapFinder::neighbour`]) and a word the model predicts
    /// ([`SwapFinder::fill`]), each only if it beats the written word. `attested` is
    /// [`SwapFinder::attested_pairs`] of the sequence.
    pub fn one_word(
        &self,
        seq: &Sequence,
        at: usize,
        word: &str,
        attested: &[bool],
    ) -> [Option<Swap>; 2] {
        let (attested_both, any_attested) = sides_attested(attested, at);
        if attested_both {
            // The model or technical writing has seen this word beside both neighbours:
            // nothing to weigh.
            return [None, None];
        }
        let fill = if any_attested {
            None
        } else {
            self.fill(seq, at, word)
        };
        [self.neighbour(seq, at, word), fill]
    }

    /// The best thesaurus neighbour or other inflection at `at`, for a written word that
    /// forms an unattested pair with a neighbour.
    fn neighbour(&self, seq: &Sequence, at: usize, word: &str) -> Option<Swap> {
        let options = self.neighbours(word);
        let options = options.iter().copied();
        // The kind only sets the confidence of the winner, so only the winner's is worked out.
        let kind = |candidate: &str| {
            if self.lexicon.same_stem(word, candidate) {
                SwapKind::Inflection
            } else {
                SwapKind::Neighbour
            }
        };
        self.best_replacement(seq, at, options, kind)
    }

    /// Single-word candidates for `word`: other inflections of its lemmas and thesaurus
    /// neighbours of a compatible part of speech (`strong_only`: only strong links).
    fn candidates(
        &self,
        word: &str,
        limit: usize,
        strong_only: bool,
        inflections: bool,
    ) -> Vec<Cow<'static, str>> {
        let pos = self.pos(word) & PosSet::OPEN;
        let mut out: Vec<Cow<'static, str>> = Vec::new();
        if inflections {
            let mut push = |c: String| {
                if c != word && !c.contains(' ') && !out.iter().any(|o| *o == c) {
                    out.push(Cow::Owned(c));
                }
            };
            for (lemma, lemma_pos) in self.lexicon.lemmas(word) {
                for form in self.lexicon.inflections(&lemma, lemma_pos) {
                    push(form);
                }
                push(lemma);
            }
        }
        // The synonyms are distinct words of the lexicon: each is compared with the forms
        // above and the word alone, not with every synonym before it.
        let forms = out.len();
        let synonyms = self.synonyms(word);
        let synonyms = synonyms
            .iter()
            .filter(|&&(_, strong, _)| strong || !strong_only)
            .take(limit);
        for &(synonym, _, synonym_pos) in synonyms {
            if synonym_pos.intersects(pos)
                && synonym != word
                && !out[..forms].iter().any(|o| o == synonym)
            {
                out.push(Cow::Borrowed(synonym));
            }
        }
        out
    }

    /// The first [`SYNONYMS_TRIED`] single-word thesaurus neighbours of `word`, best first.
    fn synonyms(&self, word: &str) -> Synonyms {
        self.remembered(
            |m| &mut m.synonyms,
            word,
            || {
                self.lexicon
                    .ranked_synonyms(word)
                    .filter(|(synonym, _, _)| !synonym.contains(' '))
                    .take(SYNONYMS_TRIED)
                    .collect()
            },
        )
    }

    /// The thesaurus neighbours and other inflections of `word` that the model knows.
    fn neighbours(&self, word: &str) -> Candidates {
        self.remembered(
            |m| &mut m.neighbours,
            word,
            || {
                self.candidates(word, SYNONYMS_TRIED, false, true)
                    .into_iter()
                    .filter_map(|candidate| self.model.word_id(&candidate))
                    .collect()
            },
        )
    }

    /// The content words among the model's likeliest continuations of `context` (of its
    /// last word alone when it lists none), with their parts of speech, in no particular
    /// order: the rest cannot win by much, and a frequent context can have thousands.
    fn likeliest_followers(&self, context: &[WordId]) -> Arc<[(WordId, PosSet)]> {
        self.remembered(
            |m| &mut m.followers,
            context,
            || {
                let mut followers = self.model.followers(context);
                if followers.is_empty() && context.len() > 1 {
                    // The last word's continuations, which many contexts share: looked up once.
                    return self.likeliest_followers(&context[context.len() - 1..]);
                }
                if followers.len() > FOLLOWERS_TRIED {
                    followers.select_nth_unstable_by(FOLLOWERS_TRIED, |a, b| b.1.total_cmp(&a.1));
                    followers.truncate(FOLLOWERS_TRIED);
                }
                followers
                    .into_iter()
                    .filter_map(|(id, _)| {
                        let word = self.model.word(id)?;
                        let pos = self.pos(word);
                        is_content(word, pos).then_some((id, pos))
                    })
                    .collect()
            },
        )
    }

    /// The lexicon's parts of speech of `word`.
    fn pos(&self, word: &str) -> PosSet {
        self.remembered(|m| &mut m.pos, word, || self.lexicon.pos(word))
    }

    /// Whether `word` can carry a spinner swap (see [`is_content`]).
    pub fn is_content_word(&self, word: &str) -> bool {
        is_content(word, self.pos(word))
    }

    /// The best word the model itself predicts at `at` (a listed continuation of the left
    /// context, of a compatible part of speech), for a written word attested on neither
    /// side. Catches garbles whose intended word is no neighbour of the written one ("led
    /// to a dustbin with" → "led to a clash with").
    fn fill(&self, seq: &Sequence, at: usize, word: &str) -> Option<Swap> {
        if at == 0 {
            return None;
        }
        let context = &seq.ids[at.saturating_sub(self.model.order() - 1)..at];
        let followers = self.likeliest_followers(context);
        let pos = self.pos(word) & PosSet::OPEN;
        let options = followers
            .iter()
            .filter(|(_, candidate_pos)| candidate_pos.intersects(pos))
            .map(|&(id, _)| id);
        self.best_replacement(seq, at, options, |_| SwapKind::Fill)
    }

    /// Of the one-word `options` for position `at`, the one whose fit gains most over the
    /// written word, among those not much rarer than it and attested beside both neighbours;
    /// `kind` says where the winner came from (only the winner is spelled out).
    fn best_replacement(
        &self,
        seq: &Sequence,
        at: usize,
        options: impl Iterator<Item = WordId>,
        kind: impl Fn(&str) -> SwapKind,
    ) -> Option<Swap> {
        let written = seq.ids[at];
        let prior = self.prior(written);
        let window = Window::new(self.model, seq, at, at + 1);
        let base = window.written_fit();
        let mut best: Option<(WordId, f64)> = None;
        for id in options {
            if id == written || self.prior(id) < prior - RARITY_SLACK {
                continue;
            }
            if !all_pairs_attested(self.model, &seq.ids, at, at + 1, &[id]) {
                continue;
            }
            let gain = window.fit(&[id]) - base;
            if best.is_none_or(|b| gain > b.1) {
                best = Some((id, gain));
            }
        }
        let (id, gain) = best.filter(|b| b.1 > 0.0)?;
        let candidate = self.model.word(id)?;
        Some(Swap {
            from: at,
            to: at + 1,
            kind: kind(candidate),
            replacement: vec![candidate.to_owned()],
            gain,
        })
    }

    /// Whether the written word at each position of `seq` was seen right after the one before
    /// it ([`SwapFinder::attested_at`]), looked up where `asked(j)` holds (`j` ≥ 1; elsewhere
    /// false): the swaps on either side of a word ask the same, and each answer costs model
    /// lookups.
    pub fn attested_pairs(&self, seq: &Sequence, asked: impl Fn(usize) -> bool) -> Vec<bool> {
        (0..seq.ids.len())
            .map(|j| j > 0 && asked(j) && self.attested_at(seq, j))
            .collect()
    }

    /// Whether the written word at `j` (> 0) was seen right after the one before it: the
    /// sequence's score says so when the model matched two words or more there (a listed
    /// bigram, or a trigram that ends in the pair), else [`SwapFinder::attested`] looks.
    fn attested_at(&self, seq: &Sequence, j: usize) -> bool {
        seq.scores[j].matched >= 2 || self.attested(seq.ids[j - 1], seq.ids[j])
    }

    /// Whether the model or technical writing has seen `second` right after `first`. Only the
    /// written words are tested this way: a candidate must be attested by the model, whose
    /// probabilities weigh it.
    fn attested(&self, first: WordId, second: WordId) -> bool {
        if self.model.pair_attested_ids(first, second) {
            return true;
        }
        // Most words of news are in no technical pair: two cheap answers spare the lookup.
        if !self.is_technical(first) || !self.is_technical(second) {
            return false;
        }
        match (self.model.word(first), self.model.word(second)) {
            (Some(a), Some(b)) => self.technical.pair(a, b) > 0,
            _ => false,
        }
    }

    /// Whether technical writing has the word `id` in any of its pairs.
    fn is_technical(&self, id: WordId) -> bool {
        self.remembered(
            |m| &mut m.technical_words,
            &id,
            || {
                self.model
                    .word(id)
                    .is_some_and(|w| self.technical.word(w) > 0)
            },
        )
    }

    /// The lexicon's phrases that begin with `word`, if there are any (remembered: the walk
    /// to find them costs more than the rest).
    fn phrases_after(&self, word: &str) -> Option<Arc<PhraseStart<'static>>> {
        self.remembered(
            |m| &mut m.phrases_after,
            word,
            || {
                let start = self.lexicon.phrase_start(word);
                start.is_open().then(|| Arc::new(start))
            },
        )
    }

    fn prior(&self, id: WordId) -> f64 {
        f64::from(self.model.log10_unigram_id(id))
    }

    /// How much likelier than chance the model finds `b` right after `a` (log10), when it
    /// lists the pair.
    pub fn association(&self, a: WordId, b: WordId) -> Option<f64> {
        let (p, matched) = self.model.log10_prob_detail(&[a], Some(b));
        (matched == 2).then(|| f64::from(p) - self.prior(b))
    }

    /// The strong neighbours of the written word `w` (model id `id`) that the model knows,
    /// not much rarer than it: what each word of a pair may become besides itself.
    fn pair_options(&self, w: &str, id: WordId) -> Candidates {
        self.remembered(
            |m| &mut m.pair_options,
            &(w.to_owned(), id),
            || {
                let prior = self.prior(id);
                self.candidates(w, PAIR_SYNONYMS_TRIED, true, false)
                    .into_iter()
                    .filter_map(|c| self.model.word_id(&c))
                    .filter(|&id| self.prior(id) >= prior - RARITY_SLACK)
                    .collect()
            },
        )
    }

    /// The best swap of the two adjacent words at `at`, `at + 1` (both may change) into a
    /// strongly associated pair, when the written pair is unattested. `attested` is
    /// [`SwapFinder::attested_pairs`] of the sequence.
    pub fn pair(
        &self,
        seq: &Sequence,
        at: usize,
        words: [&str; 2],
        attested: &[bool],
    ) -> Option<Swap> {
        let written = [seq.ids[at], seq.ids[at + 1]];
        if attested[at + 1] {
            return None;
        }
        let written_phrases = self.phrases_after(words[0]);
        if written_phrases
            .as_ref()
            .is_some_and(|p| p.contains(words[1]))
        {
            return None;
        }
        let window = Window::new(self.model, seq, at, at + 2);
        let base = window.written_fit();
        // What each word may be: itself first, then its options.
        let options = |i: usize| -> Vec<(&str, WordId)> {
            let synonyms = self.pair_options(words[i], written[i]);
            let spelled = synonyms
                .iter()
                .filter_map(|&id| Some((self.model.word(id)?, id)));
            std::iter::once((words[i], written[i]))
                .chain(spelled)
                .collect()
        };
        let (firsts, seconds) = (options(0), options(1));
        let mut best: Option<Swap> = None;
        for &(a, a_id) in &firsts {
            let other_phrases;
            let phrases = if a == words[0] {
                &written_phrases
            } else {
                other_phrases = self.phrases_after(a);
                &other_phrases
            };
            for &(b, b_id) in &seconds {
                if a == words[0] && b == words[1] {
                    continue;
                }
                // A dictionary phrase is the strongest evidence; otherwise only one word may
                // change, into a pair the model lists as a collocation.
                let phrase = phrases.as_ref().is_some_and(|p| p.contains(b));
                let both_changed = a != words[0] && b != words[1];
                let collocation = !both_changed
                    && self
                        .association(a_id, b_id)
                        .is_some_and(|x| x >= PAIR_MIN_ASSOCIATION);
                if !phrase && !collocation {
                    continue;
                }
                let gain = window.fit(&[a_id, b_id]) - base;
                if best.as_ref().is_none_or(|x| gain > x.gain) {
                    best = Some(Swap {
                        from: at,
                        to: at + 2,
                        replacement: vec![a.to_owned(), b.to_owned()],
                        gain,
                        kind: if phrase {
                            SwapKind::Phrase
                        } else {
                            SwapKind::Collocation
                        },
                    });
                }
            }
        }
        best.filter(|b| b.gain > 0.0)
            .or_else(|| self.term(at, words))
    }

    /// The thesaurus neighbours and other inflections of `word` that [`SwapFinder::term`] tries:
    /// those in some pair of technical writing (no other can make a term).
    fn term_options(&self, word: &str) -> Arc<[Cow<'static, str>]> {
        self.remembered(
            |m| &mut m.term_options,
            word,
            || {
                self.candidates(word, TERM_SYNONYMS_TRIED, false, true)
                    .into_iter()
                    .filter(|candidate| self.technical.word(candidate) > 0)
                    .collect()
            },
        )
    }

    /// The best change of one word of an adjacent noun phrase (adjective or noun, then noun)
    /// into a term of technical writing: a thesaurus neighbour or other inflection that
    /// writing often pairs with the other word ("voracious algorithm" → "greedy algorithm").
    /// Its gain is the term's association plus log10 of its count.
    fn term(&self, at: usize, words: [&str; 2]) -> Option<Swap> {
        let noun_phrase = self.pos(words[0]).intersects(PosSet::NOUN | PosSet::ADJ)
            && self.pos(words[1]).intersects(PosSet::NOUN);
        if !noun_phrase {
            return None;
        }
        // A possessive is never part of a term.
        if words.iter().any(|w| w.contains('\'')) {
            return None;
        }
        let mut best: Option<Swap> = None;
        for side in 0..2 {
            // A word in no technical pair makes no term with any other.
            if self.technical.word(words[1 - side]) == 0 {
                continue;
            }
            let options = self.term_options(words[side]);
            for candidate in options.iter() {
                let mut pair = words;
                pair[side] = candidate.as_ref();
                let count = self.technical.pair(pair[0], pair[1]);
                if count < TERM_MIN_COUNT {
                    continue;
                }
                let Some(association) = self
                    .technical
                    .association(pair[0], pair[1])
                    .filter(|&a| a >= TERM_MIN_ASSOCIATION)
                else {
                    continue;
                };
                let gain = association + (count as f64).log10();
                if best.as_ref().is_none_or(|b| gain > b.gain) {
                    best = Some(Swap {
                        from: at,
                        to: at + 2,
                        replacement: pair.map(str::to_owned).to_vec(),
                        gain,
                        kind: SwapKind::Term,
                    });
                }
            }
        }
        best
    }
}
