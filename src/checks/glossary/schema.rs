//! The glossary file format: entries, their columns and contexts, and the parser that
//! names file and line in every error.

use super::USER_CONFIDENCE;
use crate::finding::{Category, Severity};
use crate::text::{normalize, tokenize, TokenKind};
use std::collections::HashMap;
use std::path::Path;

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
pub(super) enum Slot {
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
    pub(super) at_start: bool,
    pub(super) before: Vec<Slot>,
    pub(super) after: Vec<Slot>,
    /// `$` as the last word: the match ends the sentence.
    pub(super) at_end: bool,
}

impl Context {
    /// Parses one context of the `column` (`unless` or `when`), named in errors.
    fn parse(text: &str, column: &str) -> Result<Context, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let Some(hole) = words.iter().position(|w| *w == "_") else {
            return Err(format!(
                "`{column}` context `{text}` has no `_` for the phrase"
            ));
        };
        if words.iter().filter(|w| **w == "_").count() > 1 {
            return Err(format!("`{column}` context `{text}` has more than one `_`"));
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
                    "`{column}` context `{text}`: `^` must come first and `$` last"
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
    /// When not empty, the phrase is flagged only in one of these contexts: the words
    /// around it that make it a garble ("could" only as in `on _ #`, a month's name).
    pub when: Vec<Context>,
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
            when: Vec::new(),
            requires: Vec::new(),
            note: None,
            source: "user".to_owned(),
            line: 0,
        }
    }

    /// The normalized words of `bad`, split on spaces and hyphens.
    pub(super) fn words(&self) -> Vec<String> {
        phrase_words(&self.bad)
    }

    pub(super) fn severity(&self) -> Severity {
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
pub(super) fn phrase_words(phrase: &str) -> Vec<String> {
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
const COLUMNS: [&str; 11] = [
    "bad",
    "good",
    "category",
    "confidence",
    "inflect",
    "must_flag",
    "must_not_flag",
    "unless",
    "when",
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
    let contexts = |column: &str| match cell(column) {
        "" => Ok(Vec::new()),
        u => u
            .split('|')
            .map(|c| Context::parse(c, column))
            .collect::<Result<Vec<_>, _>>(),
    };
    let unless = contexts("unless")?;
    let when = contexts("when")?;
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
        when,
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
