//! `repeated-stem`: the same stem twice in a short window where English does not repeat it —
//! the trace of a translator that rendered one source word twice.
//!
//! - an a-prefixed adverb and its base noun: "aboard the board" → "on board";
//! - a verb followed within two words by its own participle used as an adjective: "forcing the
//!   forced flight" → "forcing the flight" (with the particle a verb needs for its object:
//!   "forcing down the flight");
//! - a participle and a noun derived from the same stem: "proposed a proposal", "treated with
//!   the treatment" (flagged, since the fix needs a different word);
//! - the same past-tense content verb twice in one sentence, the second after "and" (lower
//!   confidence: one of them is often a mistranslation of another verb);
//! - a doubled function word: "the the".
//!
//! Legitimate repetition ("more and more", "step by step", "again and again", "had had", a name
//! repeated) never matches: every rule asks for a particular pair of forms.

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::text::case::capitalize;
use crate::text::{Sentence, Token};
use crate::word_lists::{
    AIRCRAFT, A_PREFIXED_ADVERBS, DETERMINERS, NEVER_DOUBLED, PHRASE_END_WORDS,
    REPEATED_REPORTING_VERBS,
};

pub struct RepeatedStem;

const RULE: &str = "repeated-stem";

impl Check for RepeatedStem {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "The same stem twice where English says it once (\"aboard the board\", \"forcing the forced\")"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        for sentence in doc.sentences {
            let tokens = &sentence.tokens;
            for i in 0..tokens.len() {
                let found = a_prefixed(doc, tokens, i)
                    .or_else(|| verb_then_participle(doc, tokens, i))
                    .or_else(|| participle_then_derived_noun(doc, tokens, i))
                    .or_else(|| doubled_word(doc, tokens, i));
                if let Some(f) = found {
                    out.push(f);
                }
            }
            repeated_verb(doc, sentence, out);
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "The crew counted every passenger aboard the board before take-off.",
                    fixed: Some("The crew counted every passenger on board before take-off."),
                },
                MustFlag {
                    text: "The tanker ran aground the ground near the harbour.",
                    fixed: Some("The tanker ran aground near the harbour."),
                },
                MustFlag {
                    text: "Fighter jets were sent for forcing the forced cargo plane out of the zone.",
                    fixed: Some("Fighter jets were sent for forcing down the cargo plane out of the zone."),
                },
                MustFlag {
                    text: "The new glass roof covers the covered market hall.",
                    fixed: Some("The new glass roof covers the market hall."),
                },
                MustFlag {
                    text: "The opposition proposed a proposal to cut the levy.",
                    fixed: None,
                },
                MustFlag {
                    text: "Twelve patients who were treated with the treatment left the study.",
                    fixed: None,
                },
                MustFlag {
                    text: "Both men were sentenced to sentences of five years.",
                    fixed: None,
                },
                MustFlag {
                    text: "The files were stored on a storage server abroad.",
                    fixed: Some("The files were stored on a server abroad."),
                },
                MustFlag {
                    text: "The minister rejected the report at a briefing on Monday and rejected the union’s claims of bias.",
                    fixed: None,
                },
                MustFlag {
                    text: "She handed the the keys to the caretaker.",
                    fixed: Some("She handed the keys to the caretaker."),
                },
            ],
            must_not_flag: &[
                "More and more people work from home, step by step.",
                "They met face to face again and again, day after day.",
                "Smith spoke first; then Smith spoke again.",
                "The board met on Monday. The minister was on board the ship.",
                "He gave a talk about talking to children.",
                "The firm plans to plan the plans next year.",
                "She had had enough of what it is is a question.",
                "He said the plan was sound and said he would vote for it.",
                "The winds picked up and waited and waited.",
                "They walked along the long road home.",
                "She sat around the round table.",
                "The city was governed by the government in exile.",
                "Prices increased in May and increased again in June.",
                "She dressed in a dress her mother made.",
                "Researchers were seeing the seed banks for the first time.",
                "The painting was painted in 1890.",
            ],
        }
    }
}

fn finding(span: std::ops::Range<usize>, message: String, confidence: f32) -> Finding {
    Finding::new(RULE, Category::Grammar, Severity::Major, span, message).confidence(confidence)
}

fn ends_phrase(next: Option<&Token>) -> bool {
    next.is_none_or(|n| !n.is_word() || PHRASE_END_WORDS.contains(&n.norm))
}

/// "aboard the board" → "on board".
fn a_prefixed(doc: &Analysis, tokens: &[Token], i: usize) -> Option<Finding> {
    let &[adverb, base, fix] = A_PREFIXED_ADVERBS
        .rows()
        .iter()
        .find(|[a, _, _]| tokens[i].norm == *a)?;
    let mut j = i + 1;
    if tokens.get(j).is_some_and(|t| DETERMINERS.contains(&t.norm)) {
        j += 1;
    }
    let b = tokens.get(j)?;
    if b.norm != base && b.norm != format!("{base}s") {
        return None;
    }
    if !ends_phrase(tokens.get(j + 1)) {
        return None;
    }
    let original = tokens[i].text(doc.text);
    let fix = if original.starts_with(char::is_uppercase) {
        capitalize(fix)
    } else {
        fix.to_string()
    };
    Some(
        finding(
            tokens[i].span.start..b.span.end,
            format!("“{adverb}” and “{base}” repeat one stem"),
            0.8,
        )
        .suggest(fix),
    )
}

/// Undoubles a final consonant ("stopp" → "stop") and drops a final e ("force" → "forc"), so
/// that every form of a verb maps to one key.
fn canonical(stem: &str) -> Option<String> {
    let mut s = stem.trim_end_matches('e').to_string();
    let b = s.as_bytes();
    if b.len() >= 2 && b[b.len() - 1] == b[b.len() - 2] && !b"lsfz".contains(&b[b.len() - 1]) {
        s.pop();
    }
    (s.chars().count() >= 3 && s.chars().all(|c| c.is_ascii_lowercase())).then_some(s)
}

/// The stem key of a past participle: "forced" → "forc", "carried" → "carry".
fn participle_key(word: &str) -> Option<String> {
    let stem = word.strip_suffix("ed")?;
    let stem = match stem.strip_suffix('i') {
        Some(s) => format!("{s}y"),
        None => stem.to_string(),
    };
    canonical(&stem)
}

/// The stem key of an -ing form or a third-person -s form.
fn finite_key(word: &str) -> Option<String> {
    if let Some(stem) = word.strip_suffix("ing") {
        return canonical(stem);
    }
    if word.ends_with("ss") || word.ends_with("us") || word.ends_with("is") {
        return None;
    }
    let stem = word.strip_suffix('s')?;
    let stem = match stem.strip_suffix("ie") {
        Some(s) => format!("{s}y"),
        None => stem.to_string(),
    };
    canonical(&stem)
}

/// Verbs that take a particle with an aircraft as object ("force down a plane").
const PARTICLE_WITH_AIRCRAFT: &[(&str, &str)] = &[("forc", "down"), ("shoot", "down")];

/// "forcing the forced flight" → "forcing (down) the flight".
fn verb_then_participle(doc: &Analysis, tokens: &[Token], i: usize) -> Option<Finding> {
    let verb = &tokens[i];
    if !verb.is_word() || verb.norm.len() < 5 {
        return None;
    }
    let key = finite_key(&verb.norm)?;
    let mut j = i + 1;
    if tokens.get(j).is_some_and(|t| DETERMINERS.contains(&t.norm)) {
        j += 1;
    }
    let participle = tokens.get(j)?;
    if participle_key(&participle.norm)? != key {
        return None;
    }
    let mut f = finding(
        verb.span.start..participle.span.end,
        format!(
            "“{}” and “{}” repeat one stem",
            verb.text(doc.text),
            participle.text(doc.text)
        ),
        0.75,
    );
    // The participle modifies a following word: dropping it leaves the sentence whole.
    let head = &tokens[j + 1..(j + 4).min(tokens.len())];
    if head.first().is_some_and(|t| t.is_word()) {
        let aircraft = head.iter().take_while(|t| t.is_word()).any(|t| {
            AIRCRAFT
                .iter()
                .any(|a| t.norm == *a || t.norm == format!("{a}s"))
        });
        let particle = PARTICLE_WITH_AIRCRAFT
            .iter()
            .find(|(k, _)| *k == key)
            .filter(|_| aircraft)
            .map(|(_, p)| format!(" {p}"))
            .unwrap_or_default();
        let between = doc.text[verb.span.end..participle.span.start].trim_end();
        f = f.suggest(format!("{}{particle}{between}", verb.text(doc.text)));
    }
    Some(f)
}

/// Suffixes that make a noun from a verb stem.
const NOUN_SUFFIXES: &[&str] = &["ation", "ion", "ment", "al", "age", "ance", "ence"];

/// Whether a noun comes from the verb stem `key`: `Some(true)` when it is the bare stem
/// ("sentences"), `Some(false)` when derived ("proposal"), `None` when unrelated.
fn noun_matches(word: &str, key: &str) -> Option<bool> {
    let word = word.strip_suffix('s').unwrap_or(word);
    if canonical(word).is_some_and(|k| k == key) {
        return Some(true);
    }
    NOUN_SUFFIXES
        .iter()
        .filter_map(|suffix| word.strip_suffix(suffix))
        .any(|stem| canonical(stem).is_some_and(|k| k == key))
        .then_some(false)
}

/// "proposed a proposal", "treated with the treatment", "stored on a storage server",
/// "sentenced to sentences".
fn participle_then_derived_noun(doc: &Analysis, tokens: &[Token], i: usize) -> Option<Finding> {
    let verb = &tokens[i];
    if !verb.is_word() {
        return None;
    }
    let key = participle_key(&verb.norm)?;
    let mut j = i + 1;
    let preposition = tokens
        .get(j)
        .filter(|t| {
            matches!(
                t.norm.as_str(),
                "with" | "in" | "on" | "to" | "through" | "at" | "by" | "under" | "into"
            )
        })
        .map(|t| t.norm.as_str());
    if preposition.is_some() {
        j += 1;
    }
    if tokens.get(j).is_some_and(|t| DETERMINERS.contains(&t.norm)) {
        j += 1;
    } else if preposition.is_none() {
        return None;
    }
    let noun = tokens.get(j).filter(|t| t.is_word())?;
    let identical = noun_matches(&noun.norm, &key)?;
    // An identical stem is a cognate object ("dressed in a dress") unless the preposition
    // makes it a doubled translation ("sentenced to sentences", "flooded by the floods").
    let confidence = match (identical, preposition) {
        (false, Some("by")) => return None, // "governed by the government"
        (false, _) => 0.6,
        (true, Some("to" | "through" | "at" | "by")) => 0.5,
        (true, None) => 0.45, // "crossed a cross": cognate objects are English too
        (true, _) => return None,
    };
    let mut f = finding(
        verb.span.start..noun.span.end,
        format!(
            "“{}” and “{}” repeat one stem",
            verb.text(doc.text),
            noun.text(doc.text)
        ),
        confidence,
    );
    // "stored on a storage server": the derived noun modifies the next one; drop it.
    let next = tokens.get(j + 1);
    if !identical
        && next.is_some_and(|n| n.is_word() && !PHRASE_END_WORDS.contains(&n.norm))
        && !noun.norm.ends_with('s')
    {
        let before = doc.text[verb.span.start..noun.span.start].trim_end();
        f = f.suggest(before.to_string());
    }
    Some(f)
}

fn doubled_word(doc: &Analysis, tokens: &[Token], i: usize) -> Option<Finding> {
    let (a, b) = (&tokens[i], tokens.get(i + 1)?);
    if !a.is_word() || a.norm != b.norm || !NEVER_DOUBLED.contains(&a.norm) {
        return None;
    }
    // Only on one line: a word at a line end repeated on the next is often layout.
    let gap = &doc.text[a.span.end..b.span.start];
    if gap != " " {
        return None;
    }
    Some(
        Finding::new(
            RULE,
            Category::Grammar,
            Severity::Minor,
            a.span.end..b.span.end,
            format!("“{}” written twice", b.text(doc.text)),
        )
        .confidence(0.85)
        .suggest(""),
    )
}

/// "Peskov dismissed the notion … and dismissed Russia’s denial": the second of two identical
/// past-tense content verbs joined by "and".
fn repeated_verb(doc: &Analysis, sentence: &Sentence, out: &mut Vec<Finding>) {
    let tokens = &sentence.tokens;
    for j in 2..tokens.len() {
        let second = &tokens[j];
        if tokens[j - 1].norm != "and"
            || !second.is_word()
            || !second.norm.ends_with("ed")
            || second.norm.chars().count() < 6
            || REPEATED_REPORTING_VERBS.contains(&second.norm)
        {
            continue;
        }
        // The object follows: a determiner, a possessive or a name.
        let object = tokens.get(j + 1).is_some_and(|n| {
            n.is_word()
                && (DETERMINERS.contains(&n.norm)
                    || n.is_capitalized(doc.text)
                    || n.norm.ends_with("'s"))
        });
        if !object {
            continue;
        }
        let first = tokens[..j - 1].iter().enumerate().rev().find(|(k, t)| {
            t.norm == second.norm
                && j - k >= 5
                && k.checked_sub(1).is_some_and(|p| {
                    let prev = &tokens[p];
                    // A subject before it, not a determiner ("the elected council").
                    prev.is_word() && !DETERMINERS.contains(&prev.norm)
                })
        });
        if first.is_some() {
            out.push(
                finding(
                    second.span.clone(),
                    format!(
                        "“{}” twice in one sentence: one of them may translate another verb",
                        second.text(doc.text)
                    ),
                    0.5,
                )
                .evidence("the same past-tense verb before and after “and”"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, Option<String>, f32)> {
        super::super::scored_matches_of(RULE, text)
    }

    #[test]
    fn keys_unify_verb_forms() {
        assert_eq!(finite_key("stopping"), participle_key("stopped"));
        assert_eq!(finite_key("carries"), participle_key("carried"));
        assert_eq!(finite_key("forcing"), participle_key("forced"));
        assert_eq!(finite_key("covers"), participle_key("covered"));
        assert!(participle_key("seed").is_none());
    }

    #[test]
    fn participle_without_a_following_word_gets_no_fix() {
        let got = found("They kept banning the banned.");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, None);
    }

    #[test]
    fn sentence_initial_pair_is_capitalized() {
        let got = found("Aboard the board, nobody spoke.");
        assert_eq!(got[0].1.as_deref(), Some("On board"));
    }

    #[test]
    fn cognate_object_is_below_threshold() {
        let got = found("The winger crossed a cross into the box.");
        assert!(got.iter().all(|f| f.2 < 0.5), "{got:?}");
    }

    #[test]
    fn doubled_word_across_lines_is_layout() {
        assert!(found("He gave the\nthe keys back.").is_empty());
    }
}
