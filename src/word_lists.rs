//! The word lists the checks and the segmenter consult, kept as data in `corpora/words/`
//! (one entry per line, `#` starts a comment line; tables are tab-separated) and embedded in
//! the binary. Each file's header says what the list is for and where its words come from.
//!
//! A list is parsed once, on first use. The files are part of the source tree, so a
//! malformed one is a build mistake: the unit tests below parse every file and check that
//! every file is declared here and read by some code.

use std::collections::HashSet;
use std::sync::OnceLock;

/// A set of words or phrases, lower case.
pub struct WordList {
    name: &'static str,
    text: &'static str,
    parsed: OnceLock<(Vec<&'static str>, HashSet<&'static str>)>,
}

impl WordList {
    const fn new(name: &'static str, text: &'static str) -> WordList {
        WordList {
            name,
            text,
            parsed: OnceLock::new(),
        }
    }

    /// The file's name in `corpora/words/`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    fn parsed(&self) -> &(Vec<&'static str>, HashSet<&'static str>) {
        self.parsed.get_or_init(|| {
            let words: Vec<&'static str> = entries(self.text).collect();
            let set = words.iter().copied().collect();
            (words, set)
        })
    }

    pub fn contains(&self, word: &str) -> bool {
        self.parsed().1.contains(word)
    }

    /// The entries in file order.
    pub fn iter(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.parsed().0.iter().copied()
    }
}

/// Rows of `N` tab-separated columns.
pub struct WordTable<const N: usize> {
    name: &'static str,
    text: &'static str,
    rows: OnceLock<Vec<[&'static str; N]>>,
}

impl<const N: usize> WordTable<N> {
    const fn new(name: &'static str, text: &'static str) -> WordTable<N> {
        WordTable {
            name,
            text,
            rows: OnceLock::new(),
        }
    }

    /// The file's name in `corpora/words/`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The rows in file order. Panics on a row without `N` columns, which the unit tests rule
    /// out for the embedded files.
    pub fn rows(&self) -> &[[&'static str; N]] {
        self.rows.get_or_init(|| {
            entries(self.text)
                .map(|line| {
                    let cells: Vec<&'static str> = line.split('\t').collect();
                    cells.try_into().unwrap_or_else(|cells: Vec<&str>| {
                        panic!(
                            "corpora/words/{}: `{line}` has {} columns, not {N}",
                            self.name,
                            cells.len()
                        )
                    })
                })
                .collect()
        })
    }
}

/// The non-comment, non-blank lines of a list file.
fn entries(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(|line| line.trim_end_matches('\r'))
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
}

macro_rules! word_list {
    ($name:literal) => {
        WordList::new(
            $name,
            include_str!(concat!("../corpora/words/", $name, ".txt")),
        )
    };
}

macro_rules! word_table {
    ($name:literal) => {
        WordTable::new(
            $name,
            include_str!(concat!("../corpora/words/", $name, ".tsv")),
        )
    };
}

// Shared by several checks.
pub static DETERMINERS: WordList = word_list!("determiners");
pub static MONTHS: WordList = word_list!("months");
pub static WEEKDAYS: WordList = word_list!("weekdays");

// possessive
pub static NOT_POSSESSED: WordList = word_list!("not-possessed");
pub static POSSESSED_ADJECTIVES: WordList = word_list!("possessed-adjectives");
pub static TIME_AND_QUANTITY_WORDS: WordList = word_list!("time-and-quantity-words");
pub static FAMILY_NAME_MODIFIERS: WordList = word_list!("family-name-modifiers");

// quotes
pub static ATTRIBUTION_VERBS: WordList = word_list!("attribution-verbs");
pub static FIRST_SECOND_PERSON: WordList = word_list!("first-second-person");
pub static PRESENT_TENSE_VERBS: WordList = word_list!("present-tense-verbs");
pub static BACKSHIFTED_VERBS: WordList = word_list!("backshifted-verbs");
pub static DEICTIC_WORDS: WordList = word_list!("deictic-words");
pub static CLAUSE_WORDS: WordList = word_list!("clause-words");

// name-consistency
pub static COMMON_CAPITALIZED_WORDS: WordList = word_list!("common-capitalized-words");
pub static SENTENCE_OPENERS: WordList = word_list!("sentence-openers");

// repeated-stem
pub static PHRASE_END_WORDS: WordList = word_list!("phrase-end-words");
pub static AIRCRAFT: WordList = word_list!("aircraft");
pub static NEVER_DOUBLED: WordList = word_list!("never-doubled");
pub static REPEATED_REPORTING_VERBS: WordList = word_list!("repeated-reporting-verbs");
pub static A_PREFIXED_ADVERBS: WordTable<3> = word_table!("a-prefixed-adverbs");

// sentence segmentation
pub static NON_FINAL_ABBREVIATIONS: WordList = word_list!("non-final-abbreviations");
pub static FINAL_ABBREVIATIONS: WordList = word_list!("final-abbreviations");
pub static SENTENCE_STARTERS: WordList = word_list!("sentence-starters");

// inflection (glossary and lexicon fallbacks)
pub static IRREGULAR_VERBS: WordTable<3> = word_table!("irregular-verbs");
pub static IRREGULAR_PLURALS: WordTable<2> = word_table!("irregular-plurals");
pub static IRREGULAR_THIRD_PERSON: WordTable<2> = word_table!("irregular-third-person");
pub static DOUBLING_VERBS: WordList = word_list!("doubling-verbs");
pub static PARTICIPLE_CUES: WordList = word_list!("participle-cues");
pub static TITLE_SMALL_WORDS: WordList = word_list!("title-small-words");

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Every list and table, by static name, so the tests can find each file and its readers.
    const LISTS: &[(&str, &WordList)] = &[
        ("DETERMINERS", &DETERMINERS),
        ("MONTHS", &MONTHS),
        ("WEEKDAYS", &WEEKDAYS),
        ("NOT_POSSESSED", &NOT_POSSESSED),
        ("POSSESSED_ADJECTIVES", &POSSESSED_ADJECTIVES),
        ("TIME_AND_QUANTITY_WORDS", &TIME_AND_QUANTITY_WORDS),
        ("FAMILY_NAME_MODIFIERS", &FAMILY_NAME_MODIFIERS),
        ("ATTRIBUTION_VERBS", &ATTRIBUTION_VERBS),
        ("FIRST_SECOND_PERSON", &FIRST_SECOND_PERSON),
        ("PRESENT_TENSE_VERBS", &PRESENT_TENSE_VERBS),
        ("BACKSHIFTED_VERBS", &BACKSHIFTED_VERBS),
        ("DEICTIC_WORDS", &DEICTIC_WORDS),
        ("CLAUSE_WORDS", &CLAUSE_WORDS),
        ("COMMON_CAPITALIZED_WORDS", &COMMON_CAPITALIZED_WORDS),
        ("SENTENCE_OPENERS", &SENTENCE_OPENERS),
        ("PHRASE_END_WORDS", &PHRASE_END_WORDS),
        ("AIRCRAFT", &AIRCRAFT),
        ("NEVER_DOUBLED", &NEVER_DOUBLED),
        ("REPEATED_REPORTING_VERBS", &REPEATED_REPORTING_VERBS),
        ("NON_FINAL_ABBREVIATIONS", &NON_FINAL_ABBREVIATIONS),
        ("FINAL_ABBREVIATIONS", &FINAL_ABBREVIATIONS),
        ("SENTENCE_STARTERS", &SENTENCE_STARTERS),
        ("DOUBLING_VERBS", &DOUBLING_VERBS),
        ("PARTICIPLE_CUES", &PARTICIPLE_CUES),
        ("TITLE_SMALL_WORDS", &TITLE_SMALL_WORDS),
    ];

    /// (static name, file name, column count, rows) of every list and table.
    fn all() -> Vec<(&'static str, String, usize, Vec<Vec<&'static str>>)> {
        let mut out: Vec<_> = LISTS
            .iter()
            .map(|(id, list)| {
                let rows = list.iter().map(|w| vec![w]).collect();
                (*id, format!("{}.txt", list.name()), 1, rows)
            })
            .collect();
        let tables: [(&str, &str, usize, Vec<Vec<&'static str>>); 4] = [
            (
                "A_PREFIXED_ADVERBS",
                A_PREFIXED_ADVERBS.name(),
                3,
                A_PREFIXED_ADVERBS
                    .rows()
                    .iter()
                    .map(|r| r.to_vec())
                    .collect(),
            ),
            (
                "IRREGULAR_VERBS",
                IRREGULAR_VERBS.name(),
                3,
                IRREGULAR_VERBS.rows().iter().map(|r| r.to_vec()).collect(),
            ),
            (
                "IRREGULAR_PLURALS",
                IRREGULAR_PLURALS.name(),
                2,
                IRREGULAR_PLURALS
                    .rows()
                    .iter()
                    .map(|r| r.to_vec())
                    .collect(),
            ),
            (
                "IRREGULAR_THIRD_PERSON",
                IRREGULAR_THIRD_PERSON.name(),
                2,
                IRREGULAR_THIRD_PERSON
                    .rows()
                    .iter()
                    .map(|r| r.to_vec())
                    .collect(),
            ),
        ];
        for (id, name, columns, rows) in tables {
            out.push((id, format!("{name}.tsv"), columns, rows));
        }
        out
    }

    #[test]
    fn every_file_parses_into_clean_distinct_lower_case_entries() {
        for (id, file, columns, rows) in all() {
            assert!(!rows.is_empty(), "{file} is empty");
            let mut seen = HashSet::new();
            for row in &rows {
                assert_eq!(row.len(), columns, "{file}: {row:?}");
                for cell in row {
                    assert!(
                        !cell.is_empty() && cell.trim() == *cell && !cell.contains("  "),
                        "{file}: stray white space in {cell:?}"
                    );
                    assert_eq!(
                        *cell,
                        cell.to_lowercase(),
                        "{file}: {cell} is not lower case"
                    );
                }
                assert!(seen.insert(row.clone()), "{file} ({id}): {row:?} twice");
            }
        }
    }

    #[test]
    fn every_file_has_a_header_naming_its_source() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/words");
        for (_, file, _, _) in all() {
            let text = std::fs::read_to_string(dir.join(&file)).unwrap();
            let header: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
            assert!(header.len() >= 2, "{file}: no header comment");
            assert!(
                header.iter().any(|l| l.starts_with("# Source:")),
                "{file}: the header names no source"
            );
        }
    }

    #[test]
    fn every_file_is_declared_and_read_by_some_code() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let declared: Vec<(&str, String)> =
            all().into_iter().map(|(id, f, _, _)| (id, f)).collect();
        for file in std::fs::read_dir(root.join("corpora/words")).unwrap() {
            let name = file.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                declared.iter().any(|(_, f)| *f == name),
                "corpora/words/{name} is declared in no word_list!/word_table!"
            );
        }
        let mut sources = String::new();
        let mut stack = vec![root.join("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("word_lists.rs")
                {
                    sources.push_str(&std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        for (id, file) in declared {
            let used = sources.match_indices(id).any(|(at, _)| {
                let before = sources[..at].chars().next_back();
                let after = sources[at + id.len()..].chars().next();
                let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                !ident(before) && !ident(after)
            });
            assert!(
                used,
                "{file} ({id}) is read by no code outside word_lists.rs"
            );
        }
    }
}
