//! `possessive`: a possessive that lost its apostrophe.
//!
//! Two shapes: a name with a bare -s whose -s-less form is a name elsewhere in the document,
//! followed by the thing possessed ("Stoltenbergs comments" beside "Stoltenberg"); and a name
//! ending in s followed by an adjective and a noun, with no determiner before it ("in Belarus
//! bold move"), where only a possessive reads.

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::lexicon::{Lexicon, PosSet};
use crate::text::{plural_s, Sentence, Token, TokenKind};
use crate::word_lists::{
    DETERMINERS, FAMILY_NAME_MODIFIERS, NOT_POSSESSED, POSSESSED_ADJECTIVES,
    TIME_AND_QUANTITY_WORDS,
};
use std::collections::HashMap;

pub struct Possessive {
    lexicon: &'static Lexicon,
}

pub const RULE: &str = "possessive";

impl Possessive {
    pub fn new(lexicon: &'static Lexicon) -> Self {
        Possessive { lexicon }
    }
}

impl Check for Possessive {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "A possessive without its apostrophe (\"Smiths comments\", \"Paris bold plan\")"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        let apostrophe = if doc.text.contains('’') { "’" } else { "'" };
        let names = NameIndex::build(doc);
        for sentence in doc.sentences {
            let tokens = &sentence.tokens;
            for i in 0..tokens.len() {
                if let Some(f) = name_plus_s(self.lexicon, doc, &names, sentence, i, apostrophe) {
                    out.push(f);
                } else if let Some(f) =
                    s_name_before_adjective(self.lexicon, doc, tokens, i, apostrophe)
                {
                    out.push(f);
                }
            }
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "The union met Minister Aldana on Monday. Aldanas proposal was rejected.",
                    fixed: Some(
                        "The union met Minister Aldana on Monday. Aldana's proposal was rejected.",
                    ),
                },
                MustFlag {
                    text: "Coach Brigitte Vance’s side won. Critics praised Vances tactics.",
                    fixed: Some(
                        "Coach Brigitte Vance’s side won. Critics praised Vance’s tactics.",
                    ),
                },
                MustFlag {
                    text: "Analysts doubted the wisdom of Cyprus bold plan to sell the bonds.",
                    fixed: Some(
                        "Analysts doubted the wisdom of Cyprus' bold plan to sell the bonds.",
                    ),
                },
                MustFlag {
                    text: "Investors cheered Texas latest tax cut.",
                    fixed: Some("Investors cheered Texas' latest tax cut."),
                },
                MustFlag {
                    text: "Flights resumed at Atlantas main airport on Sunday.",
                    fixed: Some("Flights resumed at Atlanta's main airport on Sunday."),
                },
            ],
            must_not_flag: &[
                "Jo Smith joined the firm in 2010. The Smiths came to the party late.",
                "Reuters reported the deal first, citing three sources.",
                "The United States said the talks were useful.",
                "Athens police arrested two men after the match in Athens.",
                "Wales beat Scotland, and Wales coach Ian Lowe was pleased.",
                "She studied at Johns Hopkins University and worked for Hopkins later.",
                "Prince William met Serena Williams. Williams said the event was fun.",
                "The talks took place in Paris last week and in Paris again on Monday.",
                "Texas officials said Texas schools would reopen.",
                "Lewis Hamilton won again; Hamilton led from the start.",
                "The Paris regional council approved the budget.",
                "The Philippines government and the Adams family met in Atlanta.",
            ],
        }
    }
}

/// Capitalized word forms of the document, with the possessive ending stripped.
struct NameIndex {
    /// form → (all occurrences, occurrences not at a sentence start)
    counts: HashMap<String, (usize, usize)>,
}

fn strip_possessive(text: &str) -> &str {
    for suffix in ["’s", "'s", "’", "'"] {
        if let Some(stem) = text.strip_suffix(suffix) {
            return stem;
        }
    }
    text
}

fn first_word_index(sentence: &Sentence) -> Option<usize> {
    sentence
        .tokens
        .iter()
        .position(|t| !matches!(t.kind, TokenKind::Quote | TokenKind::Symbol))
}

impl NameIndex {
    fn build(doc: &Analysis) -> NameIndex {
        let mut counts: HashMap<String, (usize, usize)> = HashMap::new();
        for sentence in doc.sentences {
            let first = first_word_index(sentence);
            for (i, t) in sentence.tokens.iter().enumerate() {
                if !t.is_word() || !t.is_capitalized(doc.text) {
                    continue;
                }
                let entry = counts
                    .entry(strip_possessive(t.text(doc.text)).to_string())
                    .or_default();
                entry.0 += 1;
                if Some(i) != first {
                    entry.1 += 1;
                }
            }
        }
        NameIndex { counts }
    }

    fn get(&self, form: &str) -> (usize, usize) {
        self.counts.get(form).copied().unwrap_or_default()
    }
}

/// Words before a plural family name or a name used attributively: "the Smiths", "two
/// Kennedys", "the younger Kennedys".
fn before_family_name(word: &str) -> bool {
    DETERMINERS.contains(word) || FAMILY_NAME_MODIFIERS.contains(word)
}

fn is_lower_word(t: &Token, text: &str) -> bool {
    t.is_word() && t.text(text).chars().next().is_some_and(char::is_lowercase)
}

/// Could `t` be the noun (or the adjective before the noun) that a possessive governs?
fn could_be_possessed(lexicon: &Lexicon, t: &Token, text: &str) -> bool {
    let pos = lexicon.pos(&t.norm);
    is_lower_word(t, text)
        && !NOT_POSSESSED.contains(&t.norm)
        && !t.norm.ends_with("ly")
        && !t.norm.ends_with("ed")
        && !t.norm.contains('\'')
        // A word the lexicon knows must be able to be a noun or an adjective.
        && (pos.is_empty() || pos.intersects(PosSet::NOUN | PosSet::ADJ))
}

/// "Stoltenbergs comments" where "Stoltenberg" is a name elsewhere in the document.
fn name_plus_s(
    lexicon: &Lexicon,
    doc: &Analysis,
    names: &NameIndex,
    sentence: &Sentence,
    i: usize,
    apostrophe: &str,
) -> Option<Finding> {
    let tokens = &sentence.tokens;
    let t = &tokens[i];
    // "Bidens’ speech": a plural possessive's mark on a singular name reads the same way.
    let text = t.text(doc.text);
    let text = text.strip_suffix(['’', '\'']).unwrap_or(text);
    let base = text.strip_suffix('s')?;
    if !t.is_word()
        || !t.is_capitalized(doc.text)
        || base.chars().count() < 3
        || base.ends_with(['s', '\'', '’'])
        || base.chars().skip(1).any(char::is_uppercase)
        || !base.chars().all(char::is_alphabetic)
    {
        return None;
    }
    let (base_all, base_mid) = names.get(base);
    // A name the lexicon lists ("Atlanta"), whose -s form is no word of its own ("Atlantas"
    // is not; "Philippines", "Adams" are): the document need not show the bare name.
    let listed_name =
        base_all == 0 && lexicon.pos(base).intersects(PosSet::PROPER) && !lexicon.contains(text);
    if base_all == 0 && !listed_name {
        return None;
    }
    // A name that really ends in -s (Williams beside William) shows itself elsewhere: it
    // occurs more than once, or before something other than a possessed noun.
    let (plus_all, _) = names.get(text);
    if plus_all > 1 {
        return None;
    }
    let next = tokens.get(i + 1)?;
    // A listed name may possess another name: "Atlantas Hartsfield airport".
    let possessed_name = listed_name && next.is_word() && next.is_capitalized(doc.text);
    if !could_be_possessed(lexicon, next, doc.text) && !possessed_name {
        return None;
    }
    if let Some(prev) = i.checked_sub(1).map(|p| &tokens[p]) {
        if before_family_name(&prev.norm) || prev.kind == TokenKind::Number {
            return None;
        }
        // "Serena Williams": a first name before it makes the -s form a surname of its own,
        // unless the same first name stands before the -s-less form elsewhere.
        if prev.is_word()
            && prev.is_capitalized(doc.text)
            && Some(i - 1) != first_word_index(sentence)
        {
            let full = format!("{} {}", prev.text(doc.text), base);
            if !doc.text.contains(&full) {
                return None;
            }
        }
    }
    let confidence = if base_mid > 0 || listed_name {
        0.75
    } else {
        0.55
    };
    let (message, evidence) = if listed_name {
        (
            format!("possessive without an apostrophe: “{base}” is a name"),
            format!("the lexicon lists “{base}” as a name and “{text}” as no word"),
        )
    } else {
        (
            format!("possessive without an apostrophe: “{base}” is a name in this document"),
            format!(
                "“{base}” occurs {base_all} time{} without the -s",
                plural_s(base_all)
            ),
        )
    };
    Some(
        Finding::new(
            RULE,
            Category::Spelling,
            Severity::Minor,
            t.span.clone(),
            message,
        )
        .confidence(confidence)
        .evidence(evidence)
        .suggest(format!("{base}{apostrophe}s")),
    )
}

fn is_adjective(lexicon: &Lexicon, t: &Token, text: &str) -> bool {
    if !is_lower_word(t, text) || TIME_AND_QUANTITY_WORDS.contains(&t.norm) {
        return false;
    }
    let w = t.norm.as_str();
    let pos = lexicon.pos(w);
    let pure_adjective = pos.contains(PosSet::ADJ) && !pos.intersects(PosSet::NOUN | PosSet::VERB);
    POSSESSED_ADJECTIVES.contains(w)
        || pure_adjective
        || (w.len() > 5
            && ["ive", "ous", "ful", "est", "less", "ical"]
                .iter()
                .any(|s| w.ends_with(s)))
}

/// "in Belarus bold move": a name ending in s, with no determiner before it, followed by an
/// adjective and a noun.
fn s_name_before_adjective(
    lexicon: &Lexicon,
    doc: &Analysis,
    tokens: &[Token],
    i: usize,
    apostrophe: &str,
) -> Option<Finding> {
    let t = &tokens[i];
    let text = t.text(doc.text);
    if i == 0
        || !t.is_word()
        || !t.is_capitalized(doc.text)
        || !text.ends_with('s')
        || text.chars().count() < 4
        || text.chars().skip(1).any(char::is_uppercase)
        || !text.chars().all(char::is_alphabetic)
    {
        return None;
    }
    let prev = &tokens[i - 1];
    // A determiner makes the name attributive ("the Paris regional council"); a capitalized
    // word makes it part of a longer name ("United States", "Johns Hopkins").
    if !prev.is_word() || before_family_name(&prev.norm) || prev.is_capitalized(doc.text) {
        return None;
    }
    let adjective = tokens.get(i + 1)?;
    let noun = tokens.get(i + 2)?;
    if !is_adjective(lexicon, adjective, doc.text) || !could_be_possessed(lexicon, noun, doc.text) {
        return None;
    }
    if is_adjective(lexicon, noun, doc.text) && tokens.get(i + 3).is_none_or(|n| !n.is_word()) {
        return None;
    }
    Some(
        Finding::new(
            RULE,
            Category::Grammar,
            Severity::Minor,
            t.span.clone(),
            format!(
                "possessive without an apostrophe before “{}”",
                adjective.text(doc.text)
            ),
        )
        .confidence(0.6)
        .evidence("a name ending in s, no determiner, then an adjective and a noun")
        .suggest(format!("{text}{apostrophe}")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, Option<String>)> {
        super::super::matches_of(RULE, text)
    }

    #[test]
    fn name_seen_only_at_sentence_start_is_weaker_but_found() {
        let got = found("Okafor spoke first. Later, Okafors deputy spoke.");
        assert_eq!(got, [("Okafors".into(), Some("Okafor's".into()))]);
    }

    #[test]
    fn a_repeated_s_form_is_a_name_of_its_own() {
        assert!(found("Roberts met Robert. Later Roberts team won and Roberts left.").is_empty());
    }

    #[test]
    fn verbs_after_the_name_are_not_possessed() {
        assert!(found("Ms Kline arrived. Klines said nothing.").is_empty());
    }

    #[test]
    fn possessive_already_present_is_fine() {
        assert!(
            found("Belarus’ bold move shocked Stoltenberg. Stoltenberg’s aides left.").is_empty()
        );
    }
}
