//! `glued-words`: two words written as one where a space went missing ("reportedthat",
//! "ofthe", "according toThe Post"). Only where the lexicon proves it: the whole is no word,
//! both halves are, and one half is a function word, since two content words written
//! together are often a compound the lexicon lacks ("harbourmaster", "stormwater"). A
//! function word glued to a capital ("toThe") is split only before a determiner or a name
//! that goes on ("inNew York"), since code names are built the same way ("forEach",
//! "toString").

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::lexicon::Lexicon;

pub struct GluedWords {
    lexicon: &'static Lexicon,
}

pub const RULE: &str = "glued-words";

/// Function words that may end the first half ("ofthe" → "of the").
const FIRST_HALF: &[&str] = &[
    "the", "that", "this", "these", "those", "and", "but", "was", "were", "has", "have", "had",
    "which", "who", "from", "their", "they", "will", "would", "been", "of",
];

/// Function words that may be the second half ("reportedthat" → "reported that"). The
/// prepositions that also form particle compounds ("login", "standby") are left out.
const SECOND_HALF: &[&str] = &[
    "the", "that", "this", "these", "those", "and", "but", "was", "were", "has", "have", "which",
    "who", "from", "their", "they", "would", "been", "of", "with",
];

/// Prepositions that may end the first half only before a function word ("inthe", not
/// "inbound").
const PREPOSITIONS: &[&str] = &["to", "in", "on", "at", "for", "by", "with", "into"];

/// Determiners that may be the capitalized second half ("toThe" → "to The").
const CAPITALIZED_DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "his", "her", "their", "our", "its",
];

/// How rare (SCOWL size) a content-word half may be: common words only.
const MAX_LEVEL: u8 = 60;

impl GluedWords {
    pub fn new(lexicon: &'static Lexicon) -> Self {
        GluedWords { lexicon }
    }
}

impl Check for GluedWords {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "Two words written as one (“reportedthat”), where the lexicon knows both halves"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        let lexicon = self.lexicon;
        for sentence in doc.sentences {
            for (i, token) in sentence.tokens.iter().enumerate() {
                let text = token.text(doc.text);
                let name_goes_on = sentence
                    .tokens
                    .get(i + 1)
                    .is_some_and(|next| next.is_word() && next.is_capitalized(doc.text));
                let found = if token.is_word() {
                    split(lexicon, text).or_else(|| split_at_capital(lexicon, text, name_goes_on))
                } else {
                    None
                };
                let Some(split) = found else {
                    continue;
                };
                out.push(
                    Finding::new(
                        RULE,
                        Category::Spelling,
                        Severity::Minor,
                        token.span.clone(),
                        "two words written as one: a space is missing",
                    )
                    .confidence(0.75)
                    .suggest(format!("{} {}", &text[..split], &text[split..])),
                );
            }
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "The agency reportedthat the ferry was late.",
                    fixed: Some("The agency reported that the ferry was late."),
                },
                MustFlag {
                    text: "Most ofthese boats stayed in port.",
                    fixed: Some("Most of these boats stayed in port."),
                },
                MustFlag {
                    text: "According toThe Harbour Gazette, the ferry moved inNew Haven.",
                    fixed: Some("According to The Harbour Gazette, the ferry moved in New Haven."),
                },
            ],
            must_not_flag: &[
                "The harbourmaster checked the stormwater drains and the breakwater.",
                "Log in with your login, then stand by: the standby crew is thereof informed.",
                "Claudineand Roux met the Tothe family inbound.",
                "They bathe and loathe the theatre, the thesis says.",
                "Call forEach or toString on it; the iPhone and eBay apps and McDonald agree.",
                "Let that orney thefin go, and theare be peace, he wrote in 1597.",
            ],
        }
    }
}

/// Where to split a lowercase word that is no word into two that are, one of them a
/// function word and the other common; `None` unless exactly one split qualifies.
fn split(lexicon: &Lexicon, word: &str) -> Option<usize> {
    if word.len() < 6 || !word.chars().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    let common = |w: &str| {
        w.len() >= 4
            && lexicon
                .commonness(w)
                .is_some_and(|level| level <= MAX_LEVEL)
    };
    let mut found = None;
    for k in 2..=word.len() - 2 {
        let (first, second) = word.split_at(k);
        let function_second = SECOND_HALF.contains(&second);
        let ok = (FIRST_HALF.contains(&first) && (common(second) || function_second))
            || (PREPOSITIONS.contains(&first) && function_second)
            || (function_second && common(first));
        if ok {
            if found.is_some() {
                return None;
            }
            found = Some(k);
        }
    }
    // A word of the lexicon is no glue (tested only now: few words split at a function
    // word, and the lookup costs more than the splits). One letter away from a word, it
    // is more likely that word misspelt ("willinge", "theare") than two words glued.
    found.filter(|_| !lexicon.contains(word) && lexicon.spelling_neighbours(word, 1).is_empty())
}

/// Where to split a function word glued to a capitalized word ("toThe"): before a
/// determiner, or before any word when the name goes on in the next word ("inNew York").
fn split_at_capital(lexicon: &Lexicon, word: &str, name_goes_on: bool) -> Option<usize> {
    let k = word.find(|c: char| c.is_uppercase())?;
    let (first, second) = word.split_at(k);
    // The function word first: most capitalized words begin with their capital.
    if !FIRST_HALF.contains(&first) && !PREPOSITIONS.contains(&first) {
        return None;
    }
    let lower = second.to_lowercase();
    let mut rest = second.chars().skip(1);
    let second_is_word =
        second.chars().count() >= 2 && rest.all(|c| c.is_lowercase()) && lexicon.contains(&lower);
    let determiner = CAPITALIZED_DETERMINERS.contains(&lower.as_str());
    (second_is_word && (determiner || name_goes_on)).then_some(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_only_where_one_reading_holds() {
        let lexicon = Lexicon::embedded();
        assert_eq!(split(lexicon, "reportedthat"), Some(8));
        assert_eq!(split(lexicon, "saidthat"), Some(4));
        assert_eq!(split(lexicon, "theport"), Some(3));
        assert_eq!(split(lexicon, "inthe"), None, "shorter than six letters");
        assert_eq!(split(lexicon, "willinge"), None, "“willing” misspelt");
        assert_eq!(
            split(lexicon, "thefin"),
            None,
            "“fin” is too short to prove"
        );
        assert_eq!(split(lexicon, "reported"), None);
        assert_eq!(split(lexicon, "harbourmaster"), None);
    }
}
