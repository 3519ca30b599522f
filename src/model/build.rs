//! ARPA text or an estimated n-gram table -> the binary model format (see
//! [`super::format`]).
//!
//! Every model is made here: the embedded English model and `mtaudit model import-arpa`
//! come through [`from_arpa`] (tools/build-model.sh), `mtaudit model build` through
//! [`from_table`]; both share the parsing checks, sorting and layout. The output depends on
//! the input alone (sorted vectors, no hash-map iteration), so a rebuild is byte for byte
//! identical. Lines are parsed as they stream in, into fixed-size entries, so importing
//! costs about 50 bytes per n-gram.

use std::collections::HashMap;
use std::io::BufRead;

use super::bits::{elias_fano, RankBits};
use super::format::{self, ContextParts, LevelParts, Parts, MAX_ORDER};
use super::quant;

/// Code width of the quantized probabilities and backoffs. 16 bits keep every distinct
/// value of the sphinx model (its own quantizer has 2^16 bins per column), so the
/// embedded model reproduces the source exactly; larger ARPA files get 2^16 equal-count
/// bins. (12 bits would save 2.4 MB but tie about a fifth of the neighbouring distinct
/// values within a context.)
pub const DEFAULT_BITS: u32 = 16;

/// An ARPA file that cannot be imported, with the 1-based line where it went wrong.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ArpaError {
    pub line: usize,
    pub message: String,
}

fn err<T>(line: usize, message: impl Into<String>) -> Result<T, ArpaError> {
    Err(ArpaError {
        line,
        message: message.into(),
    })
}

/// Builds a model from ARPA text with the default quantization.
pub fn from_arpa(reader: impl BufRead) -> Result<Vec<u8>, ArpaError> {
    from_arpa_with_bits(reader, DEFAULT_BITS)
}

/// Builds a model from ARPA text with `bits`-bit (1..=24) probability and backoff codes.
pub fn from_arpa_with_bits(reader: impl BufRead, bits: u32) -> Result<Vec<u8>, ArpaError> {
    if !(1..=24).contains(&bits) {
        return err(0, format!("quantization must be 1..=24 bits, not {bits}"));
    }
    let arpa = parse(reader)?;
    Ok(assemble(&arpa, bits))
}

/// A model given as numbers rather than ARPA text (what `mtaudit model build` estimates).
/// N-grams name their words by index into `words`, which may be in any order; the
/// builder sorts and checks everything exactly as it does for ARPA input, so a bad table
/// is an error (naming the order and the entry), never a broken model.
#[derive(Debug, Clone, Default)]
pub struct NGramTable {
    /// The vocabulary, each word once (`<s>`, `</s>`, `<unk>` included when used).
    pub words: Vec<String>,
    /// log10 probability and log10 backoff of each word, by index into `words`.
    pub unigrams: Vec<(f32, f32)>,
    /// Orders 2, 3, …: every n-gram's word indices (k per n-gram, flat), log10
    /// probability and log10 backoff (0 at the highest order). Each n-gram's prefix must
    /// be listed in the order below.
    pub levels: Vec<TableLevel>,
}

/// The n-grams of one order k >= 2 in an [`NGramTable`].
#[derive(Debug, Clone, Default)]
pub struct TableLevel {
    /// Word indices, k per n-gram.
    pub words: Vec<u32>,
    pub prob: Vec<f32>,
    pub backoff: Vec<f32>,
}

/// Builds a model from an [`NGramTable`] with the default quantization. Errors name the
/// order and the 1-based entry (as "line") where the table is inconsistent.
pub fn from_table(table: NGramTable) -> Result<Vec<u8>, ArpaError> {
    let order = table.levels.len() + 1;
    if order > MAX_ORDER {
        return err(
            0,
            format!("order {order} is not supported (at most {MAX_ORDER})"),
        );
    }
    if table.unigrams.len() != table.words.len() {
        return err(0, "one (probability, backoff) pair per word is needed");
    }
    let mut r = Reader {
        counts: std::iter::once(table.words.len())
            .chain(table.levels.iter().map(|l| l.prob.len()))
            .collect(),
        ..Reader::default()
    };
    for (i, (word, &(prob, bo))) in table.words.into_iter().zip(&table.unigrams).enumerate() {
        check_value(i + 1, prob, bo)?;
        r.unigrams.push((word, prob + 0.0, bo + 0.0, i + 1));
    }
    r.make_vocabulary()?;
    // make_vocabulary sorted the words; their "line" is still the input index + 1.
    let mut rank = vec![0u32; r.unigrams.len()];
    for (id, u) in r.unigrams.iter().enumerate() {
        rank[u.3 - 1] = id as u32;
    }
    // Each level is dropped once converted, which lowers the peak on large tables.
    for (i, level) in table.levels.into_iter().enumerate() {
        let k = i + 2;
        let n = level.prob.len();
        if level.words.len() != n * k || level.backoff.len() != n {
            return err(0, format!("the {k}-gram table has mismatched lengths"));
        }
        let mut entries = Vec::with_capacity(n);
        for (j, words) in level.words.chunks_exact(k).enumerate() {
            check_value(j + 1, level.prob[j], level.backoff[j])?;
            if k == order && level.backoff[j] != 0.0 {
                return err(j + 1, "a highest-order n-gram cannot have a backoff weight");
            }
            let mut ids = [0u32; MAX_ORDER];
            for (slot, &w) in ids.iter_mut().zip(words) {
                *slot = match rank.get(w as usize) {
                    Some(&id) => id,
                    None => return err(j + 1, format!("word index {w} is past the vocabulary")),
                };
            }
            entries.push(Entry {
                parent: ids[0] as usize,
                words: ids,
                prob: level.prob[j] + 0.0,
                bo: level.backoff[j] + 0.0,
                line: j + 1,
            });
        }
        r.levels.push(entries);
        r.sort_level(k)?;
    }
    let arpa = r.finish(0)?;
    Ok(assemble(&arpa, DEFAULT_BITS))
}

/// A table value must be a number, and a probability at most 1.
fn check_value(entry: usize, prob: f32, bo: f32) -> Result<(), ArpaError> {
    if prob.is_nan() || bo.is_nan() || prob > 0.0 {
        return err(
            entry,
            format!("bad log10 probability {prob} or backoff {bo}"),
        );
    }
    Ok(())
}

/// One parsed n-gram line of order 2 or more.
struct Entry {
    /// Word ids; only the first `order` are used.
    words: [u32; MAX_ORDER],
    prob: f32,
    bo: f32,
    line: usize,
    /// Index of the prefix (the context) in the previous order: a word id for bigrams.
    parent: usize,
}

impl Entry {
    fn words(&self, order: usize) -> &[u32] {
        &self.words[..order]
    }
}

/// A parsed ARPA model.
struct Arpa {
    /// Words in lexicographic (byte) order; a word's id is its index here.
    words: Vec<String>,
    uni_prob: Vec<f32>,
    uni_bo: Vec<f32>,
    /// Orders 2..=n, each sorted by word ids.
    levels: Vec<Vec<Entry>>,
}

/// Where the reader is in the ARPA text.
enum State {
    /// Before `\data\` (free text is allowed there).
    Preamble,
    /// In the `ngram k=count` lines.
    Counts,
    /// In the `\k-grams:` section of this order.
    Section(usize),
}

/// The model being read.
#[derive(Default)]
struct Reader {
    counts: Vec<usize>,
    unigrams: Vec<(String, f32, f32, usize)>,
    ids: HashMap<String, u32>,
    levels: Vec<Vec<Entry>>,
    /// The section's count and first line, checked when it ends.
    open_section: Option<(usize, usize)>,
}

/// The most n-grams of one order made room for before they are read: a count in `\data\`
/// may be anything ("ngram 2=10^18").
const PREALLOCATED_NGRAMS: usize = 1 << 20;

/// Reads the ARPA text: `\data\` counts, then `\k-grams:` sections in order, then `\end\`.
fn parse(reader: impl BufRead) -> Result<Arpa, ArpaError> {
    let mut state = State::Preamble;
    let mut r = Reader::default();
    let mut last = 0;
    for (i, line) in reader.lines().enumerate() {
        last = i + 1;
        let line = line.or_else(|e| err(last, format!("cannot read the line: {e}")))?;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if line == "\\end\\" && matches!(state, State::Section(_)) {
            r.close_section(last)?;
            return r.finish(last);
        }
        state = match state {
            State::Preamble if line == "\\data\\" => State::Counts,
            State::Preamble => State::Preamble,
            State::Counts if line.starts_with("ngram ") => {
                r.counts.push(count_line(last, line, r.counts.len() + 1)?);
                State::Counts
            }
            State::Counts | State::Section(_) if section_header(line).is_some() => {
                State::Section(r.open(last, line)?)
            }
            State::Counts => return err(last, format!("expected 'ngram k=count', found {line:?}")),
            State::Section(k) => {
                r.add(last, line, k)?;
                State::Section(k)
            }
        };
    }
    if r.counts.is_empty() {
        return err(
            last,
            "no \\data\\ block with n-gram counts: not an ARPA file",
        );
    }
    err(last, "the file ends before \\end\\")
}

/// Parses "ngram k=count", which must be the next order.
fn count_line(n: usize, line: &str, k_expected: usize) -> Result<usize, ArpaError> {
    let parsed = line["ngram ".len()..].split_once('=').and_then(|(k, c)| {
        Some((
            k.trim().parse::<usize>().ok()?,
            c.trim().parse::<usize>().ok()?,
        ))
    });
    match parsed {
        Some((k, _)) if k > MAX_ORDER => err(
            n,
            format!("order {k} is not supported (at most {MAX_ORDER})"),
        ),
        Some((k, c)) if k == k_expected => Ok(c),
        _ => err(n, format!("bad count line {line:?}")),
    }
}

fn section_header(line: &str) -> Option<usize> {
    line.strip_prefix('\\')?
        .strip_suffix("-grams:")?
        .parse()
        .ok()
}

impl Reader {
    fn order(&self) -> usize {
        self.counts.len()
    }

    /// Starts section `\k-grams:`, which must be the next one.
    fn open(&mut self, n: usize, line: &str) -> Result<usize, ArpaError> {
        let k = section_header(line).unwrap_or(0);
        let current = if self.open_section.is_some() {
            self.levels.len() + 1
        } else {
            0
        };
        if k != current + 1 || k > self.order() {
            return err(n, format!("unexpected section {line}"));
        }
        self.close_section(n)?;
        if k == 2 {
            self.make_vocabulary()?;
        }
        if k >= 2 {
            // The count is the file's word, not yet checked against what it lists.
            let capacity = self.counts[k - 1].min(PREALLOCATED_NGRAMS);
            self.levels.push(Vec::with_capacity(capacity));
        }
        self.open_section = Some((self.counts[k - 1], n));
        Ok(k)
    }

    /// Checks the count of the section that just ended and sorts its n-grams.
    fn close_section(&mut self, n: usize) -> Result<(), ArpaError> {
        let Some((want, _)) = self.open_section else {
            return Ok(());
        };
        let k = self.levels.len() + 1;
        let got = if k == 1 {
            self.unigrams.len()
        } else {
            self.levels[k - 2].len()
        };
        if got != want {
            return err(n, format!("{got} {k}-grams listed, \\data\\ says {want}"));
        }
        if k >= 2 {
            self.sort_level(k)?;
        }
        Ok(())
    }

    /// Adds one line of the `\k-grams:` section.
    fn add(&mut self, n: usize, line: &str, k: usize) -> Result<(), ArpaError> {
        let (prob, words, bo) = split_line(n, line, k, k < self.order())?;
        if k == 1 {
            self.unigrams.push((words[0].to_string(), prob, bo, n));
            return Ok(());
        }
        let mut ids = [0u32; MAX_ORDER];
        for (slot, w) in ids.iter_mut().zip(&words) {
            *slot = match self.ids.get(*w) {
                Some(&id) => id,
                None => return err(n, format!("word {w:?} is not a listed unigram")),
            };
        }
        self.levels[k - 2].push(Entry {
            parent: ids[0] as usize,
            words: ids,
            prob,
            bo,
            line: n,
        });
        Ok(())
    }

    /// Sorts the unigrams and gives each word its id (its rank).
    fn make_vocabulary(&mut self) -> Result<(), ArpaError> {
        self.unigrams.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some(w) = self.unigrams.windows(2).find(|w| w[0].0 == w[1].0) {
            return err(
                w[1].3,
                format!(
                    "unigram {:?} is listed twice (also line {})",
                    w[1].0, w[0].3
                ),
            );
        }
        self.ids = self
            .unigrams
            .iter()
            .enumerate()
            .map(|(i, u)| (u.0.clone(), i as u32))
            .collect();
        Ok(())
    }

    /// Sorts order k by word ids, refuses duplicates and links each n-gram to its prefix.
    fn sort_level(&mut self, k: usize) -> Result<(), ArpaError> {
        let (done, rest) = self.levels.split_at_mut(k - 2);
        let entries = &mut rest[0];
        entries.sort_unstable_by(|a, b| a.words(k).cmp(b.words(k)));
        if let Some(w) = entries.windows(2).find(|w| w[0].words(k) == w[1].words(k)) {
            let (a, b) = (w[0].line.min(w[1].line), w[0].line.max(w[1].line));
            return err(b, format!("{k}-gram listed twice (also line {a})"));
        }
        if let Some(prefixes) = done.last() {
            resolve_parents(entries, prefixes, k, &self.unigrams)?;
        }
        Ok(())
    }

    fn finish(mut self, n: usize) -> Result<Arpa, ArpaError> {
        if self.levels.len() + 1 != self.order() {
            return err(
                n,
                format!(
                    "{} of {} sections before \\end\\",
                    self.levels.len() + 1,
                    self.order()
                ),
            );
        }
        if self.order() == 1 {
            self.make_vocabulary()?;
        }
        Ok(Arpa {
            uni_prob: self.unigrams.iter().map(|u| u.1).collect(),
            uni_bo: self.unigrams.iter().map(|u| u.2).collect(),
            words: self.unigrams.into_iter().map(|u| u.0).collect(),
            levels: self.levels,
        })
    }
}

/// Finds each n-gram's prefix in the previous order (both are sorted, so one merge
/// pass). An n-gram whose prefix is not listed is refused: the format reaches n-grams
/// through their prefix.
fn resolve_parents(
    entries: &mut [Entry],
    prefixes: &[Entry],
    k: usize,
    unigrams: &[(String, f32, f32, usize)],
) -> Result<(), ArpaError> {
    let mut j = 0;
    for e in entries.iter_mut() {
        let prefix = &e.words[..k - 1];
        while j < prefixes.len() && prefixes[j].words(k - 1) < prefix {
            j += 1;
        }
        if j == prefixes.len() || prefixes[j].words(k - 1) != prefix {
            let text: Vec<&str> = prefix
                .iter()
                .map(|&w| unigrams[w as usize].0.as_str())
                .collect();
            let message = format!(
                "the context {:?} of this {k}-gram is not a listed {}-gram",
                text.join(" "),
                k - 1
            );
            return err(e.line, message);
        }
        e.parent = j;
    }
    Ok(())
}

/// Splits "prob w1 .. wk [backoff]" into its parts.
fn split_line(
    n: usize,
    line: &str,
    k: usize,
    backoff_allowed: bool,
) -> Result<(f32, Vec<&str>, f32), ArpaError> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let has_bo = match fields.len() {
        len if len == k + 1 => false,
        len if len == k + 2 && backoff_allowed => true,
        len if len == k + 2 => {
            return err(n, "a highest-order n-gram cannot have a backoff weight")
        }
        _ => {
            return err(
                n,
                format!("expected a probability, {k} word(s) and an optional backoff: {line:?}"),
            )
        }
    };
    let prob = number(n, fields[0])?;
    if prob > 0.0 {
        return err(n, format!("log10 probability {prob} is above 0"));
    }
    let bo = if has_bo {
        number(n, fields[k + 1])?
    } else {
        0.0
    };
    Ok((prob, fields[1..=k].to_vec(), bo))
}

fn number(n: usize, text: &str) -> Result<f32, ArpaError> {
    match text.parse::<f32>() {
        // Adding 0.0 turns -0.0 into 0.0, so the two never become separate table entries.
        Ok(v) if !v.is_nan() => Ok(v + 0.0),
        _ => err(n, format!("{text:?} is not a number")),
    }
}

/// Lays the parsed model out in the binary format.
fn assemble(arpa: &Arpa, bits: u32) -> Vec<u8> {
    let vocab = arpa.words.len() as u64;
    // The first order's contexts are the words themselves.
    let mut context_rank: Vec<Option<u64>> = (0..vocab).map(Some).collect();
    let mut levels = Vec::new();
    for (i, entries) in arpa.levels.iter().enumerate() {
        let children = arpa.levels.get(i + 1);
        let (level, ranks) = assemble_level(i + 2, entries, &context_rank, children, vocab, bits);
        levels.push(level);
        context_rank = ranks;
    }
    let inner = inner_pairs(arpa);
    format::write(&Parts {
        inner_pair_count: inner.len() as u64,
        inner_pairs: elias_fano(&inner),
        vocab: super::vocab::build(&arpa.words),
        vocab_size: vocab,
        unk_log10: unk_log10(arpa),
        uni_prob: &arpa.uni_prob,
        uni_bo: &arpa.uni_bo,
        levels,
    })
}

/// Keys (first * V + second) of word pairs that end a listed trigram but are no listed
/// bigram: the text had them, the model just did not keep them as bigrams (sphinxbase
/// re-inserted exactly these as placeholder bigrams). Attestation evidence, cheaply kept.
fn inner_pairs(arpa: &Arpa) -> Vec<u64> {
    let (Some(bigrams), Some(trigrams)) = (arpa.levels.first(), arpa.levels.get(1)) else {
        return Vec::new();
    };
    let vocab = arpa.words.len() as u64;
    let mut keys: Vec<u64> = trigrams
        .iter()
        .map(|t| [t.words[1], t.words[2]])
        .filter(|pair| bigrams.binary_search_by(|b| b.words(2).cmp(pair)).is_err())
        .map(|[a, b]| u64::from(a) * vocab + u64::from(b))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The log10 probability given to words outside the vocabulary: that of `<unk>` when
/// the model has it, else the lowest unigram probability, ignoring sentence-start style
/// "-99" placeholders.
fn unk_log10(arpa: &Arpa) -> f32 {
    if let Ok(i) = arpa.words.binary_search_by(|w| w.as_str().cmp("<unk>")) {
        return arpa.uni_prob[i];
    }
    arpa.uni_prob
        .iter()
        .copied()
        .filter(|&p| p > -90.0)
        .fold(f32::INFINITY, f32::min)
        .min(0.0)
}

/// Builds one order: keys, probabilities and, if a higher order follows, the context
/// marks and backoffs. Returns the context rank of each entry for the next order.
fn assemble_level(
    k: usize,
    entries: &[Entry],
    parent_rank: &[Option<u64>],
    children: Option<&Vec<Entry>>,
    vocab: u64,
    bits: u32,
) -> (LevelParts, Vec<Option<u64>>) {
    let keys: Vec<u64> = entries
        .iter()
        .map(|e| {
            let w = e.words[k - 1];
            // Every parent with a child is a context (mark_contexts), so the rank exists.
            parent_rank[e.parent].unwrap_or(0) * vocab + u64::from(w)
        })
        .collect();
    let probs: Vec<f32> = entries.iter().map(|e| e.prob).collect();
    let prob_table = quant::table(&probs, bits);
    let prob_codes = quant::pack(&prob_table, probs.iter().copied());
    let mut ranks = vec![None; entries.len()];
    let contexts = children.map(|children| {
        let is_context = mark_contexts(entries, children);
        let mut next = 0u64;
        for (r, &c) in ranks.iter_mut().zip(&is_context) {
            if c {
                *r = Some(next);
                next += 1;
            }
        }
        let bos: Vec<f32> = entries
            .iter()
            .zip(&is_context)
            .filter(|p| *p.1)
            .map(|p| p.0.bo)
            .collect();
        let (bits_vec, blocks) = RankBits::build(&is_context);
        let bo_table = quant::table(&bos, bits);
        ContextParts {
            count: next,
            bo_codes: quant::pack(&bo_table, bos.iter().copied()),
            bits: bits_vec,
            blocks,
            bo_table,
        }
    });
    let level = LevelParts {
        count: entries.len() as u64,
        ef: elias_fano(&keys),
        prob_table,
        prob_codes,
        contexts,
    };
    (level, ranks)
}

/// An entry is a context if some n-gram continues it or its backoff is not 0 (a
/// childless n-gram's backoff still applies when the next word is looked up).
fn mark_contexts(entries: &[Entry], children: &[Entry]) -> Vec<bool> {
    let mut marks: Vec<bool> = entries.iter().map(|e| e.bo != 0.0).collect();
    for child in children {
        marks[child.parent] = true;
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;

    fn line_of(arpa: &str) -> (usize, String) {
        let e = from_arpa(arpa.as_bytes()).expect_err("malformed ARPA must be refused");
        (e.line, e.message)
    }

    const GOOD: &str = "\\data\\\nngram 1=3\nngram 2=2\n\n\\1-grams:\n-1\ta\t-0.5\n-1\tb\n-2\tc\n\n\\2-grams:\n-0.5\ta b\n-0.7\tb c\n\n\\end\\\n";

    #[test]
    fn good_arpa_builds() {
        let m = Model::from_bytes(from_arpa(GOOD.as_bytes()).unwrap()).unwrap();
        assert_eq!(m.ngram_counts(), vec![3, 2]);
        assert_eq!(m.ngram_log10(&["b", "c"]), Some(-0.7));
        // Unigram-only models and spaces instead of tabs are fine too.
        let uni = "\\data\\\nngram 1=2\n\\1-grams:\n-0.3 x\n-0.5 y\n\\end\\\n";
        let m = Model::from_bytes(from_arpa(uni.as_bytes()).unwrap()).unwrap();
        assert_eq!((m.order(), m.log10_prob(&["x"], "y")), (1, -0.5));
    }

    #[test]
    fn malformed_arpa_reports_the_line() {
        let cases: &[(&str, usize, &str)] = &[
            ("just some text\n", 1, "not an ARPA file"),
            ("\\data\\\nngram 1=3\nngram 3=2\n", 3, "bad count line"),
            ("\\data\\\nngram 7=1\n", 2, "not supported"),
            ("\\data\\\nngram 1=1\nbanana\n", 3, "expected 'ngram"),
        ];
        for (arpa, line, text) in cases {
            let (got, message) = line_of(arpa);
            assert_eq!(got, *line, "{arpa:?}: {message}");
            assert!(message.contains(text), "{arpa:?}: {message}");
        }
        // Edits of GOOD, by line: (line number, replacement, expected message part).
        let edits: &[(usize, &str, &str)] = &[
            (7, "-1\tb\textra\tfields", "expected a probability"),
            (7, "minus-one\tb", "is not a number"),
            (7, "0.5\tb", "above 0"),
            (7, "-1\ta", "listed twice"),
            (11, "-0.7\tb zzz", "not a listed unigram"),
            (11, "-0.7\tb c\t-0.1", "highest-order"),
            (12, "-0.7\ta b", "listed twice"),
            (10, "\\3-grams:", "unexpected section"),
        ];
        for &(n, replacement, text) in edits {
            let mut lines: Vec<&str> = GOOD.lines().collect();
            lines[n - 1] = replacement;
            let arpa = lines.join("\n");
            let (got, message) = line_of(&arpa);
            assert_eq!(got, n, "edit of line {n}: {message}");
            assert!(message.contains(text), "edit of line {n}: {message}");
        }
    }

    #[test]
    fn counts_sections_and_end_are_checked() {
        let short = GOOD.replace("ngram 2=2", "ngram 2=3");
        assert!(line_of(&short)
            .1
            .contains("2 2-grams listed, \\data\\ says 3"));
        // Found by fuzzing: a huge count was taken as the room to make, and overflowed.
        let huge = GOOD.replace("ngram 2=2", "ngram 2=3666666666666666666");
        assert!(line_of(&huge)
            .1
            .contains("2 2-grams listed, \\data\\ says 3666666666666666666"));
        let (line, message) = line_of(&GOOD.replace("\\end\\\n", ""));
        assert_eq!(line, 13);
        assert!(message.contains("ends before"), "{message}");
        // "b c" is no listed bigram but ends the listed trigram "a b c": attested.
        let inner = "\\data\\\nngram 1=3\nngram 2=1\nngram 3=1\n\\1-grams:\n-1 a\n-1 b\n-1 c\n\\2-grams:\n-1 a b -0.1\n\\3-grams:\n-1 a b c\n\\end\\\n";
        let m = Model::from_bytes(from_arpa(inner.as_bytes()).unwrap()).unwrap();
        assert!(m.pair_attested("b", "c") && m.ngram_log10(&["b", "c"]).is_none());
        assert!(m.pair_attested("a", "b") && !m.pair_attested("c", "b"));
        let orphan = "\\data\\\nngram 1=2\nngram 2=1\nngram 3=1\n\\1-grams:\n-1 a\n-1 b\n\\2-grams:\n-1 a b\n\\3-grams:\n-1 b a b\n\\end\\\n";
        let (line, message) = line_of(orphan);
        assert_eq!(line, 11);
        assert!(message.contains("context \"b a\""), "{message}");
        assert!(from_arpa_with_bits(GOOD.as_bytes(), 0).is_err());
        let e = from_arpa(&[0xFFu8, 0xFE, b'\n'][..]).unwrap_err();
        assert_eq!(e.line, 1);
    }

    fn good_table() -> NGramTable {
        // GOOD as a table, its words in another order: c = 0, a = 1, b = 2.
        NGramTable {
            words: vec!["c".into(), "a".into(), "b".into()],
            unigrams: vec![(-2.0, 0.0), (-1.0, -0.5), (-1.0, 0.0)],
            levels: vec![TableLevel {
                words: vec![2, 0, 1, 2],
                prob: vec![-0.7, -0.5],
                backoff: vec![0.0, 0.0],
            }],
        }
    }

    #[test]
    fn tables_build_like_arpa() {
        let arpa = from_arpa(GOOD.as_bytes()).unwrap();
        assert_eq!(from_table(good_table()).unwrap(), arpa);
    }

    #[test]
    fn bad_tables_are_errors_naming_the_entry() {
        type Edit = fn(&mut NGramTable);
        let cases: &[(Edit, usize, &str)] = &[
            (|t| t.words[1] = "c".into(), 2, "listed twice"),
            (|t| t.levels[0].words[3] = 9, 2, "past the vocabulary"),
            (
                |t| t.levels[0].words[2..].copy_from_slice(&[2, 0]),
                2,
                "listed twice",
            ),
            (|t| t.levels[0].prob[0] = 0.5, 1, "bad log10 probability"),
            (|t| t.unigrams[2].1 = f32::NAN, 3, "bad log10 probability"),
            (|t| t.levels[0].backoff[1] = -0.1, 2, "highest-order"),
            (|t| t.levels[0].words.push(1), 0, "mismatched lengths"),
            (
                |t| t.unigrams.pop().map(drop).unwrap_or(()),
                0,
                "one (probability, backoff)",
            ),
            (
                |t| {
                    t.levels.push(TableLevel {
                        words: vec![0, 1, 2],
                        prob: vec![-0.1],
                        backoff: vec![0.0],
                    })
                },
                1,
                "context \"c a\"",
            ),
        ];
        for (i, (edit, entry, text)) in cases.iter().enumerate() {
            let mut table = good_table();
            edit(&mut table);
            let e = from_table(table).expect_err("a bad table must be refused");
            assert_eq!(e.line, *entry, "case {i}: {e}");
            assert!(e.message.contains(text), "case {i}: {e}");
        }
    }

    /// A few thousand generated n-grams: more than one rank block, select sample and
    /// quantizer bin, so the round trip covers what the tiny model cannot.
    #[test]
    fn generated_model_round_trips() {
        let words: Vec<String> = (0..300).map(|i| format!("w{i:03}")).collect();
        let mut state = 7u64;
        let mut rand = move |m: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % m
        };
        let mut bigrams = std::collections::BTreeMap::new();
        while bigrams.len() < 4000 {
            let key = (rand(300) as usize, rand(300) as usize);
            let bo = if rand(3) == 0 {
                -(rand(100) as f32) / 97.0
            } else {
                0.0
            };
            bigrams.insert(key, (-(rand(5000) as f32) / 1000.0, bo));
        }
        let contexts: Vec<(usize, usize)> =
            bigrams.keys().copied().filter(|_| rand(2) == 0).collect();
        let mut trigrams = std::collections::BTreeMap::new();
        for &(a, b) in contexts.iter().cycle().take(6000) {
            trigrams.insert((a, b, rand(300) as usize), -(rand(3000) as f32) / 1000.0);
        }
        let mut arpa = format!(
            "\\data\\\nngram 1={}\nngram 2={}\nngram 3={}\n\n\\1-grams:\n",
            words.len(),
            bigrams.len(),
            trigrams.len()
        );
        for (i, w) in words.iter().enumerate() {
            arpa += &format!(
                "{:.4}\t{w}\t{:.4}\n",
                -1.0 - i as f32 / 100.0,
                -(i as f32) / 1000.0
            );
        }
        arpa += "\n\\2-grams:\n";
        for (&(a, b), &(p, bo)) in &bigrams {
            arpa += &format!("{p}\t{} {}\t{bo}\n", words[a], words[b]);
        }
        arpa += "\n\\3-grams:\n";
        for (&(a, b, c), &p) in &trigrams {
            arpa += &format!("{p}\t{} {} {}\n", words[a], words[b], words[c]);
        }
        arpa += "\n\\end\\\n";
        let m = Model::from_bytes(from_arpa(arpa.as_bytes()).unwrap()).unwrap();
        for (&(a, b), &(p, _)) in &bigrams {
            assert_eq!(m.ngram_log10(&[&words[a], &words[b]]), Some(p));
        }
        for (&(a, b, c), &p) in &trigrams {
            assert_eq!(m.ngram_log10(&[&words[a], &words[b], &words[c]]), Some(p));
        }
        for _ in 0..5000 {
            let (a, b, c) = (rand(300) as usize, rand(300) as usize, rand(300) as usize);
            let listed = trigrams.contains_key(&(a, b, c));
            assert_eq!(
                m.ngram_log10(&[&words[a], &words[b], &words[c]]).is_some(),
                listed
            );
            assert_eq!(
                m.ngram_log10(&[&words[a], &words[b]]).is_some(),
                bigrams.contains_key(&(a, b))
            );
        }
        // With 6-bit codes the values are binned but their order is kept.
        let coarse = Model::from_bytes(from_arpa_with_bits(arpa.as_bytes(), 6).unwrap()).unwrap();
        let mut pairs: Vec<(f32, f32)> = bigrams
            .iter()
            .map(|(&(a, b), &(p, _))| (p, coarse.ngram_log10(&[&words[a], &words[b]]).unwrap()))
            .collect();
        pairs.sort_by(|x, y| x.0.total_cmp(&y.0));
        assert!(
            pairs.windows(2).all(|w| w[0].1 <= w[1].1),
            "quantization must keep the order"
        );
        assert!(pairs.iter().all(|(p, q)| (p - q).abs() < 0.2));
    }
}
