//! `glossary`: known bad → good phrases, from the bundled `corpora/glossary/en.tsv` and from
//! the user's own glossaries (`--glossary FILE`, the config file).
//!
//! Matching is one aho-corasick automaton per glossary, built once (the bundled one lives in
//! a `OnceLock` for the life of the process), run over one haystack per sentence made of the
//! sentence's normalized words: `" w1 w2 | w3 "`, where every word is followed by a space and
//! anything that is not a word (punctuation, numbers, quotes) becomes a `|` barrier. Patterns
//! are `" b1 b2 "`, so a match always covers whole words, never crosses punctuation, and is
//! case-, apostrophe- and quote-insensitive (the words are `Token::norm`). Hyphenated tokens
//! are split into their parts, so "profound-learning" matches "profound learning"; a match
//! must still begin and end on a token boundary, so "non-profound learning" does not.
//! Entries that allow inflection contribute one pattern per inflected form of their last (or
//! first) word, and the suggestion is re-inflected the same way ("forced downsizings" →
//! "forced landings"); the case of the match carries over to the suggestion.
//!
//! Cost: the bundled glossary (about 800 entries, a few thousand patterns with their
//! inflections) is parsed and compiled once, on first use; each sentence then costs one
//! linear scan of a haystack about as long as the sentence, whatever the glossary's size.

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity, Suggestion};
use crate::text::{normalize, tokenize, Sentence, TokenKind};
use aho_corasick::AhoCorasick;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};

const RULE: &str = "glossary";
const BUNDLED_TEXT: &str = include_str!("../../corpora/glossary/en.tsv");
const BUNDLED_NAME: &str = "en.tsv";

/// Confidence of a user entry that does not give one: the user asserted it is an error.
const USER_CONFIDENCE: f32 = 0.9;

/// Which word of an entry's `bad` phrase may carry an inflection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inflect {
    No,
    /// The last word: nouns and adjective + noun phrases ("forced downsizings").
    Last,
    /// The first word: verb + particle or object phrases ("depends of", "scored an objective").
    First,
}

impl std::str::FromStr for Inflect {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "no" => Ok(Inflect::No),
            "yes" | "last" => Ok(Inflect::Last),
            "first" => Ok(Inflect::First),
            other => Err(format!("`inflect` must be yes, no or first, not `{other}`")),
        }
    }
}

/// One word position in an `unless` context.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
    /// A normalized word or punctuation mark, compared exactly.
    Word(String),
    /// `word*`: any word starting with this.
    Prefix(String),
    /// `#`: any number.
    Number,
}

/// A context in which the `bad` words are legitimate English: `a _ experience`, `^ _`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// `^` as the first word: the match starts the sentence (after quotes or punctuation).
    at_start: bool,
    before: Vec<Slot>,
    after: Vec<Slot>,
    /// `$` as the last word: the match ends the sentence.
    at_end: bool,
}

impl Context {
    fn parse(text: &str) -> Result<Context, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let Some(hole) = words.iter().position(|w| *w == "_") else {
            return Err(format!(
                "`unless` context `{text}` has no `_` for the phrase"
            ));
        };
        if words.iter().filter(|w| **w == "_").count() > 1 {
            return Err(format!("`unless` context `{text}` has more than one `_`"));
        }
        let mut before = &words[..hole];
        let mut after = &words[hole + 1..];
        let at_start = before.first() == Some(&"^");
        if at_start {
            before = &before[1..];
        }
        let at_end = after.last() == Some(&"$");
        if at_end {
            after = &after[..after.len() - 1];
        }
        let slot = |w: &&str| -> Result<Slot, String> {
            match *w {
                "^" | "$" => Err(format!(
                    "`unless` context `{text}`: `^` must come first and `$` last"
                )),
                "#" => Ok(Slot::Number),
                w if w.len() > 1 && w.ends_with('*') => {
                    Ok(Slot::Prefix(normalize(&w[..w.len() - 1])))
                }
                w => Ok(Slot::Word(normalize(w))),
            }
        };
        Ok(Context {
            at_start,
            before: before.iter().map(slot).collect::<Result<_, _>>()?,
            after: after.iter().map(slot).collect::<Result<_, _>>()?,
            at_end,
        })
    }
}

/// One glossary entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The garbled phrase as written in the glossary.
    pub bad: String,
    /// Replacements, best first.
    pub good: Vec<String>,
    pub category: Category,
    pub confidence: f32,
    pub inflect: Inflect,
    /// A sentence the entry must flag (bundled entries all have one).
    pub must_flag: Option<String>,
    /// A nearby correct sentence the glossary must not flag.
    pub must_not_flag: Option<String>,
    /// Contexts in which the phrase is legitimate and is not flagged.
    pub unless: Vec<Context>,
    /// When not empty, the phrase is flagged only if one of these words (normalized; `word*`
    /// for a prefix) occurs in the same paragraph: the topic that makes it a garble.
    pub requires: Vec<String>,
    pub note: Option<String>,
    /// The file the entry came from ("en.tsv" for the bundled glossary) and its 1-based line.
    pub source: String,
    pub line: usize,
}

impl Entry {
    /// A user entry with the defaults of the simple `bad, good, category[, note]` format.
    pub fn new(bad: &str, good: &str, category: Category) -> Entry {
        Entry {
            bad: bad.to_owned(),
            good: split_alternatives(good),
            category,
            confidence: USER_CONFIDENCE,
            inflect: Inflect::No,
            must_flag: None,
            must_not_flag: None,
            unless: Vec::new(),
            requires: Vec::new(),
            note: None,
            source: "user".to_owned(),
            line: 0,
        }
    }

    /// The normalized words of `bad`, split on spaces and hyphens.
    fn words(&self) -> Vec<String> {
        phrase_words(&self.bad)
    }

    fn severity(&self) -> Severity {
        match self.category {
            Category::Mistranslation | Category::Terminology => Severity::Major,
            _ => Severity::Minor,
        }
    }
}

fn split_alternatives(good: &str) -> Vec<String> {
    good.split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The normalized words of a phrase as the matcher sees them: split on spaces and hyphens,
/// without the final dot of initials ("vitamin D." at the end of a sentence is "vitamin d").
fn phrase_words(phrase: &str) -> Vec<String> {
    normalize(phrase)
        .split(|c: char| c.is_whitespace() || c == '-')
        .map(|w| w.strip_suffix('.').unwrap_or(w))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A glossary file that could not be read or parsed; names the file, the line and the problem.
#[derive(Debug, thiserror::Error)]
pub enum GlossaryError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {problem}")]
    Parse {
        path: String,
        line: usize,
        problem: String,
    },
}

/// The columns a glossary file may have. Without a header row a file has the simple user
/// format `bad, good, category[, note]`; with one (its first cell is `bad`), any of these in
/// any order, of which `bad`, `good` and `category` are required.
const COLUMNS: [&str; 10] = [
    "bad",
    "good",
    "category",
    "confidence",
    "inflect",
    "must_flag",
    "must_not_flag",
    "unless",
    "requires",
    "note",
];
const SIMPLE_COLUMNS: [&str; 4] = ["bad", "good", "category", "note"];
const REQUIRED: [&str; 3] = ["bad", "good", "category"];

/// Reads a user glossary (TSV, UTF-8). See [`parse_glossary`] for the format.
pub fn load_user_glossary(path: impl AsRef<Path>) -> Result<Vec<Entry>, GlossaryError> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let bytes = crate::input::file::read(path).map_err(|source| GlossaryError::Io {
        path: name.clone(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        GlossaryError::Parse {
            path: name.clone(),
            line,
            problem: format!("invalid UTF-8 at byte {offset}"),
        }
    })?;
    parse_glossary(&text, &name).map_err(|e| redacted_unless_glossary(e, &text))
}

/// A parse error on the first row of a file that is not a glossary at all (a config entry
/// may name any file the user can read, such as one only root may) says so without quoting
/// the row: its content is no one's business.
fn redacted_unless_glossary(err: GlossaryError, text: &str) -> GlossaryError {
    let GlossaryError::Parse { path, line, .. } = &err else {
        return err;
    };
    let first_row = text
        .split('\n')
        .position(|raw| {
            let raw = raw.trim_start_matches('\u{FEFF}').trim();
            !raw.is_empty() && !raw.starts_with('#')
        })
        .map(|i| i + 1);
    let starts_as_glossary = text
        .trim_start_matches('\u{FEFF}')
        .trim_start()
        .split(['\t', '\n'])
        .next()
        .is_some_and(|cell| cell.trim().eq_ignore_ascii_case("bad"));
    if first_row != Some(*line) || starts_as_glossary {
        return err;
    }
    GlossaryError::Parse {
        path: path.clone(),
        line: *line,
        problem: "not a glossary row (bad<TAB>good<TAB>category); the file does not look like a \
                  glossary, so its text is not shown"
            .into(),
    }
}

/// Parses glossary TSV. Blank lines and lines starting with `#` are skipped; a UTF-8 BOM and
/// CRLF line ends are accepted. `source` names the file in errors and in findings' evidence.
pub fn parse_glossary(text: &str, source: &str) -> Result<Vec<Entry>, GlossaryError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let error = |line: usize, problem: String| GlossaryError::Parse {
        path: source.to_owned(),
        line,
        problem,
    };
    let mut columns: Option<Vec<&str>> = None;
    let mut entries = Vec::new();
    let mut seen: HashMap<Vec<String>, usize> = HashMap::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line = index + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() || raw.trim_start().starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = raw.split('\t').map(str::trim).collect();
        if columns.is_none() && cells[0].eq_ignore_ascii_case("bad") {
            columns = Some(parse_header(&cells).map_err(|p| error(line, p))?);
            continue;
        }
        let names: &[&str] = columns.as_deref().unwrap_or(&SIMPLE_COLUMNS);
        let entry = parse_row(&cells, names, source, line).map_err(|p| error(line, p))?;
        let key = entry.words();
        if let Some(first) = seen.insert(key, line) {
            return Err(error(
                line,
                format!("duplicate entry \"{}\" (first on line {first})", entry.bad),
            ));
        }
        entries.push(entry);
    }
    Ok(entries)
}

fn parse_header<'a>(cells: &[&'a str]) -> Result<Vec<&'a str>, String> {
    let mut names = Vec::new();
    for cell in cells {
        let name = COLUMNS
            .iter()
            .find(|c| c.eq_ignore_ascii_case(cell))
            .ok_or_else(|| {
                format!(
                    "unknown column `{cell}` in the header (known: {})",
                    COLUMNS.join(", ")
                )
            })?;
        if names.contains(name) {
            return Err(format!("column `{name}` appears twice in the header"));
        }
        names.push(*name);
    }
    if let Some(missing) = REQUIRED.iter().find(|r| !names.contains(r)) {
        return Err(format!("the header has no `{missing}` column"));
    }
    Ok(names)
}

fn parse_row(cells: &[&str], names: &[&str], source: &str, line: usize) -> Result<Entry, String> {
    let required = names
        .iter()
        .rposition(|n| REQUIRED.contains(n))
        .map_or(0, |i| i + 1);
    if cells.len() < required {
        return Err(format!(
            "expected at least {required} tab-separated columns ({}), found {}",
            names[..required].join(", "),
            cells.len()
        ));
    }
    if cells.len() > names.len() {
        return Err(format!(
            "expected at most {} tab-separated columns ({}), found {}{}",
            names.len(),
            names.join(", "),
            cells.len(),
            if names == SIMPLE_COLUMNS {
                "; add a header row to use more columns"
            } else {
                ""
            }
        ));
    }
    let cell = |name: &str| -> &str {
        names
            .iter()
            .position(|n| *n == name)
            .and_then(|i| cells.get(i))
            .copied()
            .unwrap_or("")
    };
    let optional = |name: &str| Some(cell(name).to_owned()).filter(|s| !s.is_empty());

    let bad = cell("bad");
    check_phrase(bad)?;
    let good = split_alternatives(cell("good"));
    if good.is_empty() {
        return Err(format!("`good` is empty for \"{bad}\""));
    }
    if let Some(same) = good.iter().find(|g| phrase_words(g) == phrase_words(bad)) {
        return Err(format!(
            "`good` alternative \"{same}\" is the same as `bad`"
        ));
    }
    let category: Category = cell("category").parse().map_err(|e: String| {
        let all: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
        format!("{e} (expected one of {})", all.join(", "))
    })?;
    let confidence = match cell("confidence") {
        "" => USER_CONFIDENCE,
        c => c
            .parse::<f32>()
            .ok()
            .filter(|v| (0.0..=1.0).contains(v))
            .ok_or_else(|| format!("`confidence` must be a number from 0 to 1, not `{c}`"))?,
    };
    let inflect: Inflect = cell("inflect").parse()?;
    let unless = match cell("unless") {
        "" => Vec::new(),
        u => u
            .split('|')
            .map(Context::parse)
            .collect::<Result<Vec<_>, _>>()?,
    };
    let requires = cell("requires")
        .split('|')
        .map(|w| normalize(w.trim()))
        .filter(|w| !w.is_empty())
        .collect();
    Ok(Entry {
        bad: bad.to_owned(),
        good,
        category,
        confidence,
        inflect,
        must_flag: optional("must_flag"),
        must_not_flag: optional("must_not_flag"),
        unless,
        requires,
        note: optional("note"),
        source: source.to_owned(),
        line,
    })
}

/// A `bad` phrase must be words only: the matcher never sees punctuation or numbers.
fn check_phrase(bad: &str) -> Result<(), String> {
    if bad.is_empty() {
        return Err("`bad` is empty".to_owned());
    }
    for token in tokenize(bad, 0..bad.len()) {
        if token.kind != TokenKind::Word {
            return Err(format!(
                "`bad` phrase \"{bad}\" contains `{}`; only words can be matched",
                &bad[token.span]
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Inflection

/// The form a matched word was in, so the suggestion can be put in the same form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Base,
    /// Plural noun or third-person singular verb.
    S,
    /// Regular -ed: past tense or past participle.
    Ed,
    Past,
    Participle,
    Ing,
    Possessive,
}

/// Irregular verbs: base, past, past participle.
const IRREGULAR_VERBS: &[(&str, &str, &str)] = &[
    ("bear", "bore", "borne"),
    ("beat", "beat", "beaten"),
    ("become", "became", "become"),
    ("begin", "began", "begun"),
    ("bind", "bound", "bound"),
    ("bite", "bit", "bitten"),
    ("break", "broke", "broken"),
    ("bring", "brought", "brought"),
    ("build", "built", "built"),
    ("buy", "bought", "bought"),
    ("catch", "caught", "caught"),
    ("choose", "chose", "chosen"),
    ("come", "came", "come"),
    ("cost", "cost", "cost"),
    ("cut", "cut", "cut"),
    ("deal", "dealt", "dealt"),
    ("do", "did", "done"),
    ("draw", "drew", "drawn"),
    ("drink", "drank", "drunk"),
    ("drive", "drove", "driven"),
    ("eat", "ate", "eaten"),
    ("fall", "fell", "fallen"),
    ("feed", "fed", "fed"),
    ("feel", "felt", "felt"),
    ("fight", "fought", "fought"),
    ("find", "found", "found"),
    ("fly", "flew", "flown"),
    ("forget", "forgot", "forgotten"),
    ("get", "got", "got"),
    ("give", "gave", "given"),
    ("go", "went", "gone"),
    ("grow", "grew", "grown"),
    ("have", "had", "had"),
    ("hear", "heard", "heard"),
    ("hide", "hid", "hidden"),
    ("hit", "hit", "hit"),
    ("hold", "held", "held"),
    ("hurt", "hurt", "hurt"),
    ("keep", "kept", "kept"),
    ("know", "knew", "known"),
    ("lay", "laid", "laid"),
    ("lead", "led", "led"),
    ("leave", "left", "left"),
    ("lend", "lent", "lent"),
    ("let", "let", "let"),
    ("light", "lit", "lit"),
    ("lose", "lost", "lost"),
    ("make", "made", "made"),
    ("mean", "meant", "meant"),
    ("meet", "met", "met"),
    ("overcome", "overcame", "overcome"),
    ("pay", "paid", "paid"),
    ("put", "put", "put"),
    ("quit", "quit", "quit"),
    ("read", "read", "read"),
    ("ride", "rode", "ridden"),
    ("rise", "rose", "risen"),
    ("run", "ran", "run"),
    ("say", "said", "said"),
    ("see", "saw", "seen"),
    ("seek", "sought", "sought"),
    ("sell", "sold", "sold"),
    ("send", "sent", "sent"),
    ("set", "set", "set"),
    ("shake", "shook", "shaken"),
    ("shoot", "shot", "shot"),
    ("show", "showed", "shown"),
    ("shut", "shut", "shut"),
    ("sing", "sang", "sung"),
    ("sink", "sank", "sunk"),
    ("sit", "sat", "sat"),
    ("speak", "spoke", "spoken"),
    ("spend", "spent", "spent"),
    ("split", "split", "split"),
    ("spread", "spread", "spread"),
    ("stand", "stood", "stood"),
    ("steal", "stole", "stolen"),
    ("strike", "struck", "struck"),
    ("swim", "swam", "swum"),
    ("take", "took", "taken"),
    ("teach", "taught", "taught"),
    ("tell", "told", "told"),
    ("think", "thought", "thought"),
    ("throw", "threw", "thrown"),
    ("understand", "understood", "understood"),
    ("undertake", "undertook", "undertaken"),
    ("wear", "wore", "worn"),
    ("win", "won", "won"),
    ("withdraw", "withdrew", "withdrawn"),
    ("write", "wrote", "written"),
];

/// Third-person singular forms the regular rule gets wrong.
const IRREGULAR_S: &[(&str, &str)] = &[
    ("be", "is"),
    ("do", "does"),
    ("go", "goes"),
    ("have", "has"),
    ("undergo", "undergoes"),
];

/// Irregular noun plurals.
const IRREGULAR_PLURALS: &[(&str, &str)] = &[
    ("analysis", "analyses"),
    ("axis", "axes"),
    ("basis", "bases"),
    ("calf", "calves"),
    ("child", "children"),
    ("crisis", "crises"),
    ("criterion", "criteria"),
    ("datum", "data"),
    ("diagnosis", "diagnoses"),
    ("foot", "feet"),
    ("goose", "geese"),
    ("half", "halves"),
    ("hypothesis", "hypotheses"),
    ("knife", "knives"),
    ("leaf", "leaves"),
    ("life", "lives"),
    ("man", "men"),
    ("matrix", "matrices"),
    ("mouse", "mice"),
    ("person", "people"),
    ("phenomenon", "phenomena"),
    ("self", "selves"),
    ("shelf", "shelves"),
    ("sheep", "sheep"),
    ("species", "species"),
    ("thesis", "theses"),
    ("thief", "thieves"),
    ("tooth", "teeth"),
    ("vertex", "vertices"),
    ("wife", "wives"),
    ("wolf", "wolves"),
    ("woman", "women"),
];

/// Verbs whose final consonant doubles although they have more than one syllable.
const DOUBLING: &[&str] = &[
    "admit", "commit", "compel", "confer", "control", "deter", "equip", "expel", "forget", "incur",
    "infer", "occur", "omit", "patrol", "permit", "prefer", "propel", "recur", "refer", "regret",
    "submit", "transfer", "upset",
];

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// Splits "semi-final" into ("semi-", "final") so tables and rules see the last part.
fn split_last_part(word: &str) -> (&str, &str) {
    match word.rfind('-') {
        Some(i) => (&word[..=i], &word[i + 1..]),
        None => ("", word),
    }
}

fn ends_consonant_y(w: &str) -> bool {
    let mut rev = w.chars().rev();
    rev.next() == Some('y') && rev.next().is_some_and(|c| !is_vowel(c))
}

/// One-syllable consonant-vowel-consonant words ("stop") and the listed ones double.
fn doubles(w: &str) -> bool {
    let (_, w) = split_last_part(w);
    let lower = w.to_lowercase();
    if DOUBLING.contains(&lower.as_str()) {
        return true;
    }
    let chars: Vec<char> = lower.chars().collect();
    let n = chars.len();
    if n < 3 || !chars.iter().all(char::is_ascii_alphabetic) {
        return false;
    }
    let vowel_groups = chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| is_vowel(c) && (i == 0 || !is_vowel(chars[i - 1])))
        .count();
    vowel_groups == 1
        && !is_vowel(chars[n - 1])
        && !matches!(chars[n - 1], 'w' | 'x' | 'y')
        && is_vowel(chars[n - 2])
        && !is_vowel(chars[n - 3])
}

fn plural(w: &str) -> String {
    let (prefix, last) = split_last_part(w);
    let lower = last.to_lowercase();
    if let Some((_, p)) = IRREGULAR_PLURALS.iter().find(|(s, _)| *s == lower) {
        return format!("{prefix}{}", match_case(last, p));
    }
    if let Some((_, p)) = IRREGULAR_S.iter().find(|(s, _)| *s == lower) {
        return format!("{prefix}{}", match_case(last, p));
    }
    if ends_consonant_y(&lower) {
        format!("{}ies", &w[..w.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        format!("{w}es")
    } else {
        format!("{w}s")
    }
}

fn regular_ed(w: &str) -> String {
    let lower = w.to_lowercase();
    if lower.ends_with('e') {
        format!("{w}d")
    } else if ends_consonant_y(&lower) {
        format!("{}ied", &w[..w.len() - 1])
    } else if doubles(w) {
        format!("{w}{}ed", &w[w.len() - 1..])
    } else {
        format!("{w}ed")
    }
}

fn ing(w: &str) -> String {
    let lower = w.to_lowercase();
    if lower.ends_with("ie") {
        format!("{}ying", &w[..w.len() - 2])
    } else if lower.ends_with('e') && !["ee", "ye", "oe"].iter().any(|e| lower.ends_with(e)) {
        format!("{}ing", &w[..w.len() - 1])
    } else if doubles(w) {
        format!("{w}{}ing", &w[w.len() - 1..])
    } else {
        format!("{w}ing")
    }
}

fn irregular_verb(w: &str) -> Option<(&'static str, &'static str)> {
    let lower = w.to_lowercase();
    IRREGULAR_VERBS
        .iter()
        .find(|(base, _, _)| *base == lower)
        .map(|&(_, past, participle)| (past, participle))
}

/// Keeps a capitalized or all-caps original in a replacement word from a table.
fn match_case(original: &str, word: &str) -> String {
    if original.len() > 1 && original.chars().all(|c| !c.is_lowercase()) {
        word.to_uppercase()
    } else if original.chars().next().is_some_and(char::is_uppercase) {
        capitalize(word)
    } else {
        word.to_owned()
    }
}

/// Every inflected form of a `bad` word the matcher should accept. Over-generation is
/// harmless ("downsizinged" never occurs); each form is recorded once, first kind wins.
fn variants(word: &str) -> Vec<(String, Form)> {
    let (prefix, last) = split_last_part(word);
    let mut out: Vec<(String, Form)> = Vec::new();
    let mut push = |w: String, form: Form| {
        if w != word && !out.iter().any(|(v, _)| *v == w) {
            out.push((w, form));
        }
    };
    push(plural(word), Form::S);
    push(format!("{word}s"), Form::S);
    push(format!("{word}es"), Form::S);
    if let Some((past, participle)) = irregular_verb(last) {
        if past == participle {
            push(format!("{prefix}{past}"), Form::Ed);
        } else {
            push(format!("{prefix}{past}"), Form::Past);
            push(format!("{prefix}{participle}"), Form::Participle);
        }
    }
    push(regular_ed(word), Form::Ed);
    push(format!("{word}ed"), Form::Ed);
    push(format!("{word}d"), Form::Ed);
    let last_char = word.chars().next_back().unwrap_or_default();
    push(format!("{word}{last_char}ed"), Form::Ed);
    push(ing(word), Form::Ing);
    push(format!("{word}ing"), Form::Ing);
    push(format!("{word}{last_char}ing"), Form::Ing);
    push(format!("{word}'s"), Form::Possessive);
    out
}

/// Words after which a regular "-ed" form is a participle ("was realized", "has taken").
const PARTICIPLE_CUES: &[&str] = &[
    "be", "been", "being", "is", "are", "was", "were", "am", "has", "have", "had", "having", "get",
    "gets", "got", "getting",
];

/// Puts a `good` word into the form the matched `bad` word had.
fn inflect_word(word: &str, form: Form, before: Option<&str>) -> String {
    let (prefix, last) = split_last_part(word);
    let irregular = irregular_verb(last);
    match form {
        Form::Base => word.to_owned(),
        Form::S => plural(word),
        Form::Ing => ing(word),
        Form::Possessive => format!("{word}'s"),
        Form::Past | Form::Participle | Form::Ed => match irregular {
            None => regular_ed(word),
            Some((past, participle)) => {
                let use_participle = match form {
                    Form::Past => false,
                    Form::Participle => true,
                    _ => before.is_some_and(|b| PARTICIPLE_CUES.contains(&b)),
                };
                let chosen = if use_participle { participle } else { past };
                format!("{prefix}{}", match_case(last, chosen))
            }
        },
    }
}

/// Puts the entry's inflectable word of `good` into `form`.
fn inflect_phrase(good: &str, inflect: Inflect, form: Form, before: Option<&str>) -> String {
    if form == Form::Base || inflect == Inflect::No {
        return good.to_owned();
    }
    let words: Vec<&str> = good.split(' ').collect();
    let target = match inflect {
        Inflect::First => 0,
        _ => words.len() - 1,
    };
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i == target {
                inflect_word(w, form, before)
            } else {
                (*w).to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// True when a phrase takes "an": it starts with a vowel sound ("an X-ray", "an hour",
/// "an SQL query"), by spelling with the usual exceptions ("a unit", "a one-off").
fn needs_an(phrase: &str) -> bool {
    let first = phrase
        .split(|c: char| c.is_whitespace() || c == '-')
        .find(|w| !w.is_empty())
        .unwrap_or_default();
    let letters: Vec<char> = first.chars().filter(|c| c.is_alphanumeric()).collect();
    let Some(&initial) = letters.first() else {
        return false;
    };
    if letters.len() == 1 || (letters.len() > 1 && letters.iter().all(|c| c.is_uppercase())) {
        // Letters and acronyms are read letter by letter.
        return "AEFHILMNORSXaefhilmnorsx".contains(initial);
    }
    let lower = first.to_lowercase();
    if ["hour", "honest", "honor", "honour", "heir"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return true;
    }
    if [
        "uni", "use", "usu", "uti", "ura", "ure", "uro", "eu", "one", "once", "ubiq",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
    {
        return false;
    }
    matches!(initial.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u')
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

const SMALL_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with",
];

/// Carries the case and apostrophe style of the matched text over to the suggestion.
fn match_style(matched: &str, suggestion: &str) -> String {
    let letters: Vec<char> = matched.chars().filter(|c| c.is_alphabetic()).collect();
    let words: Vec<&str> = matched
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    let mut out = if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        suggestion.to_uppercase()
    } else if words.len() > 1
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
    {
        suggestion
            .split(' ')
            .enumerate()
            .map(|(i, w)| {
                if i > 0 && SMALL_WORDS.contains(&w) {
                    w.to_owned()
                } else {
                    capitalize(w)
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    } else if letters.first().is_some_and(|c| c.is_uppercase()) {
        capitalize(suggestion)
    } else {
        suggestion.to_owned()
    };
    if matched.contains('\u{2019}') {
        out = out.replace('\'', "\u{2019}");
    }
    out
}

// ---------------------------------------------------------------------------------------
// The compiled glossary

#[derive(Debug, Clone, Copy)]
struct Pattern {
    entry: usize,
    form: Form,
}

struct Compiled {
    entries: Vec<Entry>,
    /// `None` for an empty glossary.
    automaton: Option<AhoCorasick>,
    patterns: Vec<Pattern>,
}

/// A set of entries with their automaton. Cloning is cheap (shared).
#[derive(Clone)]
pub struct Glossary {
    inner: Arc<Compiled>,
}

impl std::fmt::Debug for Glossary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Glossary")
            .field("entries", &self.inner.entries.len())
            .finish()
    }
}

static BUNDLED: OnceLock<Glossary> = OnceLock::new();

impl Glossary {
    /// The bundled English glossary, parsed and compiled once per process.
    pub fn bundled() -> Glossary {
        BUNDLED
            .get_or_init(|| {
                let entries = parse_glossary(BUNDLED_TEXT, BUNDLED_NAME)
                    .unwrap_or_else(|e| panic!("the bundled glossary is invalid: {e}"));
                Glossary::from_entries(entries)
            })
            .clone()
    }

    pub fn empty() -> Glossary {
        Glossary::from_entries(Vec::new())
    }

    /// Compiles entries; when two share a `bad` phrase, the later one wins.
    pub fn from_entries(entries: Vec<Entry>) -> Glossary {
        let mut kept: Vec<Entry> = Vec::with_capacity(entries.len());
        let mut index: HashMap<Vec<String>, usize> = HashMap::new();
        for entry in entries.into_iter().filter(|e| !e.words().is_empty()) {
            match index.get(&entry.words()) {
                Some(&i) => kept[i] = entry,
                None => {
                    index.insert(entry.words(), kept.len());
                    kept.push(entry);
                }
            }
        }
        // One pattern per form; a later entry's pattern replaces an earlier identical one.
        let mut by_text: HashMap<String, usize> = HashMap::new();
        let mut texts: Vec<String> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        for (i, entry) in kept.iter().enumerate() {
            let words = entry.words();
            let mut forms = vec![(words.clone(), Form::Base)];
            let target = match entry.inflect {
                Inflect::No => None,
                Inflect::First => Some(0),
                Inflect::Last => Some(words.len() - 1),
            };
            if let Some(t) = target {
                for (variant, form) in variants(&words[t]) {
                    let mut w = words.clone();
                    w[t] = variant;
                    forms.push((w, form));
                }
            }
            for (w, form) in forms {
                let text = format!(" {} ", w.join(" "));
                let pattern = Pattern { entry: i, form };
                match by_text.get(&text) {
                    // A phrase as written beats another entry's inflected form of it.
                    Some(&p) => {
                        if form == Form::Base || patterns[p].form != Form::Base {
                            patterns[p] = pattern;
                        }
                    }
                    None => {
                        by_text.insert(text.clone(), patterns.len());
                        texts.push(text);
                        patterns.push(pattern);
                    }
                }
            }
        }
        let automaton = (!texts.is_empty())
            .then(|| AhoCorasick::new(&texts).expect("glossary patterns are plain strings"));
        Glossary {
            inner: Arc::new(Compiled {
                entries: kept,
                automaton,
                patterns,
            }),
        }
    }

    /// This glossary plus `extra` entries (which win over entries with the same `bad`).
    pub fn with_entries(self, extra: impl IntoIterator<Item = Entry>) -> Glossary {
        let mut entries = self.inner.entries.clone();
        let before = entries.len();
        entries.extend(extra);
        if entries.len() == before {
            return self;
        }
        Glossary::from_entries(entries)
    }

    pub fn entries(&self) -> &[Entry] {
        &self.inner.entries
    }

    pub fn len(&self) -> usize {
        self.inner.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.inner.entries.is_empty()
    }

    /// The glossary's matches in one sentence, longest first where they overlap.
    fn matches(&self, text: &str, sentence: &Sentence, paragraph: &[&str]) -> Vec<Hit> {
        let Some(automaton) = &self.inner.automaton else {
            return Vec::new();
        };
        let items = items(text, sentence);
        let mut hay = String::from(" ");
        // (position in `hay`, item) where each word starts and ends, in ascending order.
        let mut starts: Vec<(usize, usize)> = Vec::with_capacity(items.len());
        let mut ends: Vec<(usize, usize)> = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if item.kind == TokenKind::Word {
                starts.push((hay.len(), i));
                hay.push_str(&item.norm);
                ends.push((hay.len(), i));
                hay.push(' ');
            } else {
                hay.push_str("| ");
            }
        }
        let item_at = |marks: &[(usize, usize)], at: usize| {
            marks
                .binary_search_by_key(&at, |&(position, _)| position)
                .ok()
                .map(|k| marks[k].1)
        };
        let mut candidates: Vec<Hit> = Vec::new();
        for m in automaton.find_overlapping_iter(&hay) {
            let (Some(first), Some(last)) =
                (item_at(&starts, m.start() + 1), item_at(&ends, m.end() - 1))
            else {
                continue;
            };
            if !items[first].starts_token || !items[last].ends_token {
                continue;
            }
            let pattern = self.inner.patterns[m.pattern().as_usize()];
            let entry = &self.inner.entries[pattern.entry];
            if entry
                .unless
                .iter()
                .any(|c| context_holds(c, &items, first, last))
            {
                continue;
            }
            if !entry.requires.is_empty()
                && !entry.requires.iter().any(|r| {
                    paragraph.iter().any(|w| match r.strip_suffix('*') {
                        Some(prefix) => w.starts_with(prefix),
                        None => w == r,
                    })
                })
            {
                continue;
            }
            candidates.push(Hit {
                entry: pattern.entry,
                form: pattern.form,
                span: items[first].span.start..items[last].span.end,
                items: first..last + 1,
                before: None,
                article: None,
            });
        }
        candidates.sort_by(|a, b| {
            b.items
                .len()
                .cmp(&a.items.len())
                .then(a.items.start.cmp(&b.items.start))
        });
        let mut chosen: Vec<Hit> = Vec::new();
        for hit in candidates {
            if !chosen
                .iter()
                .any(|c| c.items.start < hit.items.end && hit.items.start < c.items.end)
            {
                chosen.push(hit);
            }
        }
        chosen.sort_by_key(|h| h.items.start);
        // The word before the inflected one decides past vs participle for irregular verbs.
        for hit in &mut chosen {
            let entry = &self.inner.entries[hit.entry];
            let target = match entry.inflect {
                Inflect::First => hit.items.start,
                _ => hit.items.end - 1,
            };
            hit.before = target.checked_sub(1).map(|i| items[i].norm.clone());
            // An "a" or "an" right before the match may have to change with it.
            let first = &items[hit.items.start];
            if first.norm != "a" && first.norm != "an" {
                hit.article = hit
                    .items
                    .start
                    .checked_sub(1)
                    .map(|i| &items[i])
                    .filter(|a| matches!(a.norm.as_str(), "a" | "an") && a.ends_token)
                    .map(|a| a.span.clone());
            }
        }
        chosen
    }

    /// The finding for one match.
    fn finding(&self, text: &str, hit: &Hit) -> Finding {
        let entry = &self.inner.entries[hit.entry];
        let matched = &text[hit.span.clone()];
        let before = hit.before.as_deref();
        let suggestions: Vec<String> = entry
            .good
            .iter()
            .map(|g| match_style(matched, &inflect_phrase(g, entry.inflect, hit.form, before)))
            .collect();
        let top = suggestions[0].clone();
        let mut message = match entry.category {
            Category::Terminology => {
                format!("garbled term \"{matched}\": the usual term is \"{top}\"")
            }
            Category::Mistranslation => {
                format!("\"{matched}\" is a known mistranslation; the intended phrase is \"{top}\"")
            }
            Category::Grammar => format!("\"{matched}\" is not idiomatic English; write \"{top}\""),
            Category::Spelling => format!("\"{matched}\" is a misspelling of \"{top}\""),
            Category::WordOrder => {
                format!("\"{matched}\" has its words in the wrong order: \"{top}\"")
            }
            _ => format!("\"{matched}\": prefer \"{top}\""),
        };
        if let Some(note) = &entry.note {
            message.push_str(" (");
            message.push_str(note);
            message.push(')');
        }
        // "a hard circle drive" → "a hard disk drive", but "a X-beam" → "an X-ray": when an
        // article before the match no longer fits, the edit takes it in.
        let mut span = hit.span.clone();
        let mut suggestions = suggestions;
        if let Some(article) = &hit.article {
            let written = &text[article.clone()];
            let is_an = written.eq_ignore_ascii_case("an");
            let fits = |s: &str| is_an == needs_an(s);
            if !suggestions.iter().all(|s| fits(s)) {
                let gap = &text[article.end..hit.span.start];
                for s in &mut suggestions {
                    let wanted = if needs_an(s) { "an" } else { "a" };
                    *s = format!("{}{gap}{s}", match_case(written, wanted));
                }
                span = article.start..hit.span.end;
            }
        }
        let mut finding = Finding::new(RULE, entry.category, entry.severity(), span, message)
            .confidence(entry.confidence)
            .evidence(format!("glossary: {} line {}", entry.source, entry.line));
        let mut confidence = entry.confidence;
        for s in suggestions {
            finding.suggestions.push(Suggestion {
                replacement: s,
                confidence,
            });
            confidence *= 0.9;
        }
        finding
    }
}

/// One match: the entry, the form its inflected word was in, and where it is.
#[derive(Debug, Clone)]
struct Hit {
    entry: usize,
    form: Form,
    span: Range<usize>,
    items: Range<usize>,
    before: Option<String>,
    /// The span of an "a" or "an" just before the match.
    article: Option<Range<usize>>,
}

/// A sentence position: a word (or one part of a hyphenated word), a number or punctuation.
#[derive(Debug)]
struct Item {
    norm: String,
    kind: TokenKind,
    span: Range<usize>,
    starts_token: bool,
    ends_token: bool,
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

fn items(text: &str, sentence: &Sentence) -> Vec<Item> {
    let mut items = Vec::with_capacity(sentence.tokens.len());
    let mut previous_end: Option<usize> = None;
    for token in &sentence.tokens {
        // Text masked out of the prose (inline code, link targets, tags) separates words.
        if let Some(end) = previous_end.replace(token.span.end) {
            if text[end..token.span.start]
                .chars()
                .any(|c| !c.is_whitespace())
            {
                items.push(Item {
                    norm: String::new(),
                    kind: TokenKind::Symbol,
                    span: end..token.span.start,
                    starts_token: true,
                    ends_token: true,
                });
            }
        }
        if token.kind != TokenKind::Word {
            items.push(Item {
                norm: token.norm.clone(),
                kind: token.kind,
                span: token.span.clone(),
                starts_token: true,
                ends_token: true,
            });
            continue;
        }
        let original = token.text(text);
        let mut parts: Vec<Range<usize>> = Vec::new();
        let mut start = 0;
        for (i, c) in original.char_indices() {
            if is_hyphen(c) {
                parts.push(start..i);
                start = i + c.len_utf8();
            }
        }
        parts.push(start..original.len());
        // Initials keep their dot in the token ("D." in "vitamin D."); the matcher does not.
        if let Some(last) = parts.last_mut() {
            if original[last.clone()].ends_with('.') && last.len() > 1 {
                last.end -= 1;
            }
        }
        let count = parts.len();
        for (k, part) in parts.into_iter().enumerate() {
            items.push(Item {
                norm: normalize(&original[part.clone()]),
                kind: TokenKind::Word,
                span: token.span.start + part.start..token.span.start + part.end,
                starts_token: k == 0,
                ends_token: k + 1 == count,
            });
        }
    }
    items
}

fn slot_matches(slot: &Slot, item: &Item) -> bool {
    match slot {
        Slot::Word(w) => item.norm == *w,
        Slot::Prefix(p) => item.kind == TokenKind::Word && item.norm.starts_with(p.as_str()),
        Slot::Number => item.kind == TokenKind::Number,
    }
}

fn is_content(item: &Item) -> bool {
    matches!(item.kind, TokenKind::Word | TokenKind::Number)
}

/// True when the words around `items[first..=last]` are the context.
fn context_holds(context: &Context, items: &[Item], first: usize, last: usize) -> bool {
    let n = context.before.len();
    if first < n {
        return false;
    }
    let from = first - n;
    if !context
        .before
        .iter()
        .zip(&items[from..first])
        .all(|(s, i)| slot_matches(s, i))
    {
        return false;
    }
    if context.at_start && items[..from].iter().any(is_content) {
        return false;
    }
    let to = last + 1 + context.after.len();
    if to > items.len() {
        return false;
    }
    if !context
        .after
        .iter()
        .zip(&items[last + 1..to])
        .all(|(s, i)| slot_matches(s, i))
    {
        return false;
    }
    !(context.at_end && items[to..].iter().any(is_content))
}

// ---------------------------------------------------------------------------------------
// The check

/// The `glossary` check over a glossary (the bundled one by default).
pub struct GlossaryCheck {
    glossary: Glossary,
}

impl GlossaryCheck {
    pub fn new(glossary: Glossary) -> GlossaryCheck {
        GlossaryCheck { glossary }
    }

    pub fn glossary(&self) -> &Glossary {
        &self.glossary
    }
}

impl Default for GlossaryCheck {
    fn default() -> Self {
        GlossaryCheck::new(Glossary::bundled())
    }
}

impl Check for GlossaryCheck {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "known garbled phrases (spinner swaps, calques, wrong prepositions) from the bundled and user glossaries"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        if self.glossary.is_empty() {
            return;
        }
        let needs_topic = self
            .glossary
            .entries()
            .iter()
            .any(|e| !e.requires.is_empty());
        let mut paragraph_words: Vec<&str> = Vec::new();
        let mut paragraph = usize::MAX;
        for (i, sentence) in doc.sentences.iter().enumerate() {
            if needs_topic && sentence.paragraph != paragraph {
                // Sentences come in document order, so a paragraph's sentences are adjacent.
                paragraph = sentence.paragraph;
                paragraph_words = doc.sentences[i..]
                    .iter()
                    .take_while(|s| s.paragraph == paragraph)
                    .flat_map(|s| s.words().map(|t| t.norm.as_str()))
                    .collect();
            }
            for hit in self.glossary.matches(doc.text, sentence, &paragraph_words) {
                out.push(self.glossary.finding(doc.text, &hit));
            }
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "The team trained a profound learning model on the scans.",
                    fixed: Some("The team trained a deep learning model on the scans."),
                },
                MustFlag {
                    text: "Counterfeit consciousness is changing how radiologists work.",
                    fixed: Some("Artificial intelligence is changing how radiologists work."),
                },
                MustFlag {
                    text: "The pilot declared an emergency and made a forced downsizing near the airport.",
                    fixed: Some(
                        "The pilot declared an emergency and made a forced landing near the airport.",
                    ),
                },
                MustFlag {
                    text: "Two airliners made forced downsizings after the storm grounded flights.",
                    fixed: Some("Two airliners made forced landings after the storm grounded flights."),
                },
                MustFlag {
                    text: "Women over fifty are screened for bosom malignancy every two years.",
                    fixed: Some("Women over fifty are screened for breast cancer every two years."),
                },
                MustFlag {
                    text: "The final price depends of the exchange rate.",
                    fixed: Some("The final price depends on the exchange rate."),
                },
            ],
            must_not_flag: &[
                "The team trained a deep learning model on the scans.",
                "The semester abroad was a profound learning experience for her.",
                "The pilot made a forced landing near the airport.",
                "Unions fought the forced downsizing of the workforce.",
                "Women over fifty are screened for breast cancer every two years.",
                "The final price depends on the exchange rate.",
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Auditor;
    use crate::fix::apply_top_suggestions;
    use crate::input::Format;

    fn audit(glossary: &Glossary, text: &str) -> Vec<Finding> {
        let auditor = Auditor::new(
            crate::audit::AuditConfig {
                min_confidence: 0.0,
                ..Default::default()
            },
            vec![Box::new(GlossaryCheck::new(glossary.clone()))],
        );
        auditor
            .audit_text("test", text, Format::Text)
            .findings()
            .cloned()
            .collect()
    }

    fn fix(glossary: &Glossary, text: &str) -> String {
        apply_top_suggestions(text, &audit(glossary, text))
    }

    fn entry_of(finding: &Finding) -> (String, usize) {
        let evidence = finding.evidence.as_deref().unwrap_or_default();
        let rest = evidence
            .strip_prefix("glossary: ")
            .expect("glossary evidence");
        let (source, line) = rest.rsplit_once(" line ").expect("a line number");
        (source.to_owned(), line.parse().expect("a number"))
    }

    fn one(bad: &str, good: &str, inflect: Inflect) -> Glossary {
        let mut entry = Entry::new(bad, good, Category::Terminology);
        entry.inflect = inflect;
        Glossary::from_entries(vec![entry])
    }

    #[test]
    fn bundled_glossary_is_big_enough_and_documented() {
        let glossary = Glossary::bundled();
        assert!(glossary.len() >= 320, "only {} entries", glossary.len());
        for e in glossary.entries() {
            assert!(
                e.must_flag.is_some(),
                "en.tsv line {}: no must_flag",
                e.line
            );
            assert!(
                e.must_not_flag.is_some(),
                "en.tsv line {}: no must_not_flag",
                e.line
            );
            assert!(
                (0.5..=1.0).contains(&e.confidence),
                "en.tsv line {}: confidence {} is below the reporting threshold",
                e.line,
                e.confidence
            );
        }
    }

    /// Keeps the data honest: every entry flags its own example with its own replacement,
    /// and nothing in the glossary flags any entry's correct sentence.
    #[test]
    fn every_bundled_entry_meets_its_examples() {
        let glossary = Glossary::bundled();
        let mut failures = Vec::new();
        for entry in glossary.entries() {
            let line = entry.line;
            let must_flag = entry.must_flag.as_deref().unwrap_or_default();
            let found = audit(&glossary, must_flag);
            let own: Vec<&Finding> = found
                .iter()
                .filter(|f| entry_of(f) == (BUNDLED_NAME.to_owned(), line))
                .collect();
            if own.is_empty() {
                let others: Vec<String> = found
                    .iter()
                    .map(|f| format!("{:?} (line {})", &must_flag[f.span.clone()], entry_of(f).1))
                    .collect();
                failures.push(format!(
                    "line {line}: \"{}\" not flagged in {must_flag:?}; other findings: {others:?}",
                    entry.bad
                ));
            } else {
                // The replacement is the entry's first `good`, in the matched word's form: a
                // one-entry glossary for `good` (same inflection) must match it exactly there.
                let hit = own[0];
                let mut replacement = hit.suggestions[0].replacement.as_str();
                // An article taken into the edit ("a" → "an") is not part of the good phrase.
                let matched = phrase_words(&must_flag[hit.span.clone()]);
                let article = |w: &str| matches!(w, "a" | "an");
                if article(&matched[0]) && !article(&entry.words()[0]) {
                    if let Some((_, rest)) = replacement.split_once(char::is_whitespace) {
                        replacement = rest.trim_start();
                    }
                }
                let check = one(&entry.good[0], "x", entry.inflect);
                let placed = format!("{replacement}.");
                let spans: Vec<_> = audit(&check, &placed).into_iter().map(|f| f.span).collect();
                if spans.len() != 1 || spans[0] != (0..replacement.len()) {
                    failures.push(format!(
                        "line {line}: replacement {replacement:?} is not a form of {:?}",
                        entry.good[0]
                    ));
                }
                let fixed = apply_top_suggestions(must_flag, &found);
                for f in audit(&glossary, &fixed) {
                    failures.push(format!(
                        "line {line}: the fixed sentence {fixed:?} is still flagged at {:?}",
                        &fixed[f.span.clone()]
                    ));
                }
            }
            let must_not = entry.must_not_flag.as_deref().unwrap_or_default();
            for f in audit(&glossary, must_not) {
                failures.push(format!(
                    "line {line}: must_not_flag {must_not:?} flagged at {:?} by line {}",
                    &must_not[f.span.clone()],
                    entry_of(&f).1
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} problems:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    /// A good phrase must never itself be a bad phrase: fixes would loop.
    #[test]
    fn no_good_phrase_is_flagged() {
        let glossary = Glossary::bundled();
        for entry in glossary.entries() {
            for good in &entry.good {
                let text = format!("{good}.");
                let found = audit(&glossary, &text);
                assert!(
                    found.is_empty(),
                    "en.tsv line {}: good phrase {good:?} is flagged by line {}",
                    entry.line,
                    entry_of(&found[0]).1
                );
            }
        }
    }

    #[test]
    fn bundled_glossary_is_built_once() {
        let a = Glossary::bundled();
        let b = Glossary::bundled();
        assert!(Arc::ptr_eq(&a.inner, &b.inner));
        // Adding nothing keeps the shared automaton too.
        let c = b.with_entries(Vec::new());
        assert!(Arc::ptr_eq(&a.inner, &c.inner));
    }

    #[test]
    fn inflects_the_match_and_the_suggestion() {
        let g = one("forced downsizing", "forced landing", Inflect::Last);
        assert_eq!(fix(&g, "Two forced downsizings."), "Two forced landings.");
        assert_eq!(
            fix(&g, "The forced downsizing’s cause."),
            "The forced landing’s cause."
        );
        let g = one("bosom malignancy", "breast cancer", Inflect::Last);
        assert_eq!(fix(&g, "Rare bosom malignancies."), "Rare breast cancers.");
        let g = one("depend of", "depend on", Inflect::First);
        assert_eq!(fix(&g, "It depends of you."), "It depends on you.");
        assert_eq!(fix(&g, "It depended of you."), "It depended on you.");
        assert_eq!(fix(&g, "Depending of the day."), "Depending on the day.");
        let g = one("score an objective", "score a goal", Inflect::First);
        assert_eq!(fix(&g, "He scored an objective."), "He scored a goal.");
        let g = one("realize a study", "make a study", Inflect::First);
        assert_eq!(fix(&g, "They realized a study."), "They made a study.");
        let g = one("achieve a photo", "take a photo", Inflect::First);
        assert_eq!(fix(&g, "They achieved a photo."), "They took a photo.");
        assert_eq!(fix(&g, "It was achieved a photo."), "It was taken a photo.");
        assert_eq!(fix(&g, "Achieving a photo."), "Taking a photo.");
        let g = one("stop", "halt", Inflect::Last);
        assert_eq!(fix(&g, "They stopped."), "They halted.");
        let g = one("quick study", "crisis", Inflect::Last);
        assert_eq!(fix(&g, "Quick studies."), "Crises.");
        // Not inflectable: plural forms are not matched.
        let g = one("colossal information", "big data", Inflect::No);
        assert_eq!(fix(&g, "Colossal informations."), "Colossal informations.");
    }

    #[test]
    fn keeps_case_apostrophes_and_hyphen_variants() {
        let g = one("profound learning", "deep learning", Inflect::No);
        assert_eq!(fix(&g, "Profound learning works."), "Deep learning works.");
        assert_eq!(fix(&g, "PROFOUND LEARNING works."), "DEEP LEARNING works.");
        assert_eq!(fix(&g, "On Profound Learning."), "On Deep Learning.");
        assert_eq!(
            fix(&g, "A profound-learning model."),
            "A deep learning model."
        );
        assert_eq!(
            fix(&g, "A profound‑learning model."),
            "A deep learning model."
        );
        let g = one("Alzheimer's illness", "Alzheimer's disease", Inflect::No);
        assert_eq!(
            fix(&g, "For alzheimer’s illness."),
            "For Alzheimer’s disease."
        );
        let g = one(
            "condition of the workmanship",
            "state of the art",
            Inflect::No,
        );
        assert_eq!(
            fix(&g, "Condition Of The Workmanship Methods."),
            "State of the Art Methods."
        );
    }

    #[test]
    fn fixes_the_article_before_the_match() {
        let g = one("arbitrary woodland", "random forest", Inflect::Last);
        assert_eq!(
            fix(&g, "We fit an arbitrary woodland."),
            "We fit a random forest."
        );
        assert_eq!(
            fix(&g, "An arbitrary woodland works."),
            "A random forest works."
        );
        assert_eq!(fix(&g, "Two arbitrary woodlands."), "Two random forests.");
        let g = one("hard circle drive", "optical drive|disk drive", Inflect::No);
        let found = audit(&g, "Buy a\nhard circle drive.");
        assert_eq!(found[0].suggestions[0].replacement, "an\noptical drive");
        assert_eq!(found[0].suggestions[1].replacement, "a\ndisk drive");
        let g = one("beam diffraction", "X-ray diffraction", Inflect::No);
        assert_eq!(
            fix(&g, "Use a beam diffraction."),
            "Use an X-ray diffraction."
        );
        let g = one("nutrient", "unit", Inflect::No);
        assert_eq!(fix(&g, "It is a nutrient."), "It is a unit.");
        assert!(needs_an("hour") && needs_an("SQL injection") && needs_an("X-ray"));
        assert!(!needs_an("one-off") && !needs_an("European Union") && !needs_an("hat-trick"));
    }

    #[test]
    fn matches_whole_words_only() {
        let g = one("profound learning", "deep learning", Inflect::No);
        for text in [
            "Unprofound learning.",
            "A profound learnings.",
            "Profound, learning.",
            "The non-profound learning.",
            "A profound learning-style.",
            "Profound \"learning\".",
        ] {
            assert!(audit(&g, text).is_empty(), "flagged {text:?}");
        }
        // Across a line break inside one sentence is still a match.
        assert_eq!(
            fix(&g, "A profound\nlearning model."),
            "A deep learning model."
        );
    }

    #[test]
    fn masked_markdown_separates_words() {
        let g = one("a such", "such a", Inflect::No);
        let auditor = Auditor::new(
            Default::default(),
            vec![Box::new(GlossaryCheck::new(g.clone()))],
        );
        let text = "Throws a [`System Error`][] such as `EADDRINUSE`.\n";
        let report = auditor.audit_text("t.md", text, Format::Markdown);
        assert_eq!(report.findings().count(), 0);
        assert_eq!(fix(&g, "Never a such day."), "Never such a day.");
    }

    /// Found by fuzzing: a good phrase that contains the bad one was flagged in turn, and
    /// each fix added to it ("big data set set").
    #[test]
    fn a_match_inside_its_own_good_phrase_is_not_flagged() {
        let g = one("big data", "large data|big data set", Inflect::No);
        assert_eq!(
            fix(&g, "We used a big data set. We used big data."),
            "We used a big data set. We used large data."
        );
        let g = one("data", "raw data", Inflect::No);
        assert_eq!(
            fix(&g, "The raw data. The data."),
            "The raw data. The raw data."
        );
        // Found by fuzzing: a good phrase with a full stop in it, which ends a sentence.
        let g = one("g", "gdo4.g", Inflect::No);
        assert_eq!(
            fix(&g, "A gdo4.g here. A g there."),
            "A gdo4.g here. A gdo4.g there."
        );
    }

    #[test]
    fn prefers_the_longest_match() {
        let g = Glossary::from_entries(vec![
            Entry::new(
                "neural organization",
                "neural network",
                Category::Terminology,
            ),
            Entry::new(
                "convolutional neural organization",
                "convolutional neural network",
                Category::Terminology,
            ),
        ]);
        let found = audit(&g, "A convolutional neural organization.");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].suggestions[0].replacement,
            "convolutional neural network"
        );
    }

    #[test]
    fn unless_and_requires_contexts() {
        let text = "bad\tgood\tcategory\tunless\trequires\n\
                    profound learning\tdeep learning\tterminology\t_ experience|^ _\t\n\
                    forced downsizing\tforced landing\tterminology\t\tflight*|plane\n";
        let g = Glossary::from_entries(parse_glossary(text, "t.tsv").unwrap());
        assert!(audit(&g, "It was a profound learning experience.").is_empty());
        assert!(audit(&g, "“Profound learning is rare,” she said.").is_empty());
        assert_eq!(audit(&g, "We used profound learning.").len(), 1);
        assert!(audit(&g, "The forced downsizing of staff.").is_empty());
        assert_eq!(
            audit(&g, "The plane was diverted. It made a forced downsizing.").len(),
            1
        );
        assert_eq!(audit(&g, "The forced downsizing of two flights.").len(), 1);
        assert!(audit(&g, "The plane landed.\n\nThe forced downsizing of staff.").is_empty());

        let text = "bad\tgood\tcategory\tunless\n\
                    discuss about\tdiscuss\tgrammar\t_ #|_ $|_ ten\n";
        let g = Glossary::from_entries(parse_glossary(text, "t.tsv").unwrap());
        assert!(audit(&g, "We discuss about 20 topics.").is_empty());
        assert!(audit(&g, "We discuss about ten topics.").is_empty());
        assert!(audit(&g, "What do we discuss about?").is_empty());
        assert_eq!(audit(&g, "We discuss about the plan.").len(), 1);
    }

    #[test]
    fn findings_carry_category_severity_confidence_and_evidence() {
        let glossary = Glossary::bundled();
        let found = audit(
            &glossary,
            "The pilot of the flight made a forced downsizing.",
        );
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(f.rule, "glossary");
        assert_eq!(f.category, Category::Terminology);
        assert_eq!(f.severity, Severity::Major);
        assert!(f
            .evidence
            .as_deref()
            .unwrap()
            .starts_with("glossary: en.tsv line "));
        assert!(f.message.contains("forced landing"));
        let found = audit(&glossary, "It depends of you.");
        assert_eq!(found[0].category, Category::Grammar);
        assert_eq!(found[0].severity, Severity::Minor);
    }

    #[test]
    fn user_glossary_simple_and_with_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("house.tsv");
        std::fs::write(
            &path,
            "\u{FEFF}# house terms\r\nclient portal\tcustomer portal\tterminology\tour style\r\n\
             log in to\tsign in to|log on to\tstyle\r\n\r\n",
        )
        .unwrap();
        let entries = load_user_glossary(&path).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].note.as_deref(), Some("our style"));
        assert_eq!(entries[1].good, ["sign in to", "log on to"]);
        assert_eq!(entries[1].line, 3);
        assert_eq!(entries[0].confidence, USER_CONFIDENCE);

        let g = Glossary::bundled().with_entries(entries);
        let found = audit(&g, "Log in to the client portal.");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].suggestions[0].replacement, "Sign in to");
        assert_eq!(found[0].suggestions[1].replacement, "Log on to");
        assert_eq!(found[0].severity, Severity::Minor);
        assert_eq!(found[1].severity, Severity::Major);
        let evidence = found[1].evidence.as_deref().unwrap();
        assert!(evidence.ends_with("house.tsv line 2"), "{evidence}");

        let header = "bad\tgood\tcategory\tconfidence\tinflect\n\
                      widget thing\twidget\tstyle\t0.6\tyes\n";
        let entries = parse_glossary(header, "h.tsv").unwrap();
        assert_eq!(entries[0].inflect, Inflect::Last);
        let g = Glossary::from_entries(entries);
        assert_eq!(fix(&g, "Widget things."), "Widgets.");
    }

    #[test]
    fn user_entries_override_bundled_ones() {
        let mut entry = Entry::new("profound learning", "deep neural learning", Category::Style);
        entry.line = 7;
        let g = Glossary::bundled().with_entries([entry]);
        assert_eq!(g.len(), Glossary::bundled().len());
        assert_eq!(
            fix(&g, "We used profound learning."),
            "We used deep neural learning."
        );
    }

    fn parse_error(text: &str) -> String {
        parse_glossary(text, "g.tsv").unwrap_err().to_string()
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        assert_eq!(
            parse_error("# c\nok phrase\tfine\tstyle\nonly two\tcolumns\n"),
            "g.tsv:3: expected at least 3 tab-separated columns (bad, good, category), found 2"
        );
        assert_eq!(
            parse_error("a b\tc\tstyle\tnote\textra\n"),
            "g.tsv:1: expected at most 4 tab-separated columns (bad, good, category, note), found 5; add a header row to use more columns"
        );
        assert!(
            parse_error("\n\nx y\tz\tcolour\n").starts_with("g.tsv:3: unknown category `colour`")
        );
        assert_eq!(parse_error("\tz\tstyle\n"), "g.tsv:1: `bad` is empty");
        assert_eq!(
            parse_error("x y\t\tstyle\n"),
            "g.tsv:1: `good` is empty for \"x y\""
        );
        assert_eq!(
            parse_error("x, y\tz\tstyle\n"),
            "g.tsv:1: `bad` phrase \"x, y\" contains `,`; only words can be matched"
        );
        assert_eq!(
            parse_error("X Y\tx-y\tstyle\n"),
            "g.tsv:1: `good` alternative \"x-y\" is the same as `bad`"
        );
        assert_eq!(
            parse_error("a b\tc\tstyle\nA  B\td\tstyle\n"),
            "g.tsv:2: duplicate entry \"A  B\" (first on line 1)"
        );
        assert_eq!(
            parse_error("bad\tgood\tcategory\tconfidence\na b\tc\tstyle\t1.5\n"),
            "g.tsv:2: `confidence` must be a number from 0 to 1, not `1.5`"
        );
        assert_eq!(
            parse_error("bad\tgood\tcategory\tinflect\na b\tc\tstyle\tmaybe\n"),
            "g.tsv:2: `inflect` must be yes, no or first, not `maybe`"
        );
        assert_eq!(
            parse_error("bad\tgood\tcategory\tunless\na b\tc\tstyle\tthe b\n"),
            "g.tsv:2: `unless` context `the b` has no `_` for the phrase"
        );
        assert!(parse_error("bad\tgood\tkind\n").starts_with("g.tsv:1: unknown column `kind`"));
        assert_eq!(
            parse_error("bad\tgood\n"),
            "g.tsv:1: the header has no `category` column"
        );
    }

    #[test]
    fn unreadable_and_invalid_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.tsv");
        let e = load_user_glossary(&missing).unwrap_err().to_string();
        assert!(e.starts_with(&missing.display().to_string()), "{e}");
        let bad = dir.path().join("latin1.tsv");
        std::fs::write(&bad, b"a b\tc\tstyle\nd\xe9j\xe0\tc\tstyle\n").unwrap();
        let e = load_user_glossary(&bad).unwrap_err().to_string();
        assert!(e.ends_with(":2: invalid UTF-8 at byte 13"), "{e}");
    }

    #[test]
    fn a_file_that_is_no_glossary_is_not_quoted() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("shadow");
        std::fs::write(&secret, "root.secret-hash\tx\ty\nmore\n").unwrap();
        let e = load_user_glossary(&secret).unwrap_err().to_string();
        assert!(e.contains(":1: not a glossary row"), "{e}");
        assert!(!e.contains("secret-hash"), "{e}");
        let glossary = dir.path().join("g.tsv");
        std::fs::write(&glossary, "a b\tc\tstyle\nx, y\tz\tstyle\n").unwrap();
        let e = load_user_glossary(&glossary).unwrap_err().to_string();
        assert!(
            e.ends_with(":2: `bad` phrase \"x, y\" contains `,`; only words can be matched"),
            "{e}"
        );
    }

    /// The glossary stays silent on the clean texts and references of the example corpus.
    #[test]
    fn silent_on_example_clean_texts() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/examples");
        let Ok(dirs) = std::fs::read_dir(&root) else {
            return;
        };
        let glossary = Glossary::bundled();
        let mut files = Vec::new();
        for dir in dirs.flatten() {
            let path = dir.path();
            files.push(path.join("reference.txt"));
            if let Ok(clean) = std::fs::read_dir(&path) {
                files.extend(clean.flatten().map(|e| e.path()).filter(|p| {
                    p.extension().is_some_and(|x| x == "txt") && path.ends_with("clean")
                }));
            }
        }
        let mut noisy = Vec::new();
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            for f in audit(&glossary, &text) {
                noisy.push(format!("{}: {:?}", file.display(), &text[f.span.clone()]));
            }
        }
        assert!(noisy.is_empty(), "{}", noisy.join("\n"));
    }
}
