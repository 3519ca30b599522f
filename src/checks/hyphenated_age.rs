//! `hyphenated-age`: an age or duration hyphenated half way ("a 33-year old man", "a 33
//! year-old man"), which is wrong whichever way it was meant: "a 33-year-old man" when it
//! describes or names someone, "33 years old" after a verb ("she was 33-year old").

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::text::{is_hyphen, plural_s, Sentence, TokenKind};

pub struct HyphenatedAge;

const RULE: &str = "hyphenated-age";

const UNITS: &[&str] = &["year", "month", "week", "day", "hour", "minute", "century"];

/// Number words that start an age ("two-year-old").
const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve",
];

/// Verbs after which an age is a predicate: "she was 33 years old".
const PREDICATE_VERBS: &[&str] = &[
    "is", "was", "are", "were", "be", "been", "being", "turned", "turns", "turning", "aged",
];

impl Check for HyphenatedAge {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "An age hyphenated half way (“a 33-year old man”)"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        for sentence in doc.sentences {
            for i in 0..sentence.tokens.len() {
                let Some(age) = half_hyphenated(doc.text, sentence, i) else {
                    continue;
                };
                out.push(
                    Finding::new(
                        RULE,
                        Category::Punctuation,
                        Severity::Minor,
                        age.span,
                        "an age hyphenated half way",
                    )
                    .confidence(0.75)
                    .suggest(age.suggestion),
                );
            }
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "A 33-year old sailor was rescued off the cape.",
                    fixed: Some("A 33-year-old sailor was rescued off the cape."),
                },
                MustFlag {
                    text: "The two-week old strike ended; the 40 year-old was thanked.",
                    fixed: Some("The two-week-old strike ended; the 40-year-old was thanked."),
                },
                MustFlag {
                    text: "The skipper was 33-year old when she first sailed.",
                    fixed: Some("The skipper was 33 years old when she first sailed."),
                },
            ],
            must_not_flag: &[
                "A 33-year-old sailor, 33 years old, was rescued from a 40-year-old boat.",
                "The 10-year old-growth survey and the 5-day old-age fair went ahead.",
                "After a 30-year career, old friends came to the party.",
            ],
        }
    }
}

struct Age {
    span: std::ops::Range<usize>,
    suggestion: String,
}

/// The age starting at token `i`: "33-year old" (two tokens) or "33 year-old" (two tokens).
fn half_hyphenated(text: &str, sentence: &Sentence, i: usize) -> Option<Age> {
    let tokens = &sentence.tokens;
    let (first, second) = (&tokens[i], tokens.get(i + 1)?);
    // The count and the unit as the writer spelt them (their case kept).
    let (count, unit) = if second.norm == "old" && first.kind == TokenKind::Word {
        // "33-year old": the first token is the number and the unit joined.
        first.text(text).split_once(is_hyphen)?
    } else if second.norm.ends_with("-old") {
        // "33 year-old": the number stands apart.
        (
            first.text(text),
            second.text(text).rsplit_once(is_hyphen)?.0,
        )
    } else {
        return None;
    };
    let numeric = !count.is_empty() && count.chars().all(|c| c.is_ascii_digit());
    let number_word = NUMBER_WORDS.contains(&count.to_lowercase().as_str());
    if !(numeric || number_word) || !UNITS.contains(&unit.to_lowercase().as_str()) {
        return None;
    }
    let predicate = i
        .checked_sub(1)
        .is_some_and(|p| PREDICATE_VERBS.contains(&tokens[p].norm.as_str()));
    let suggestion = if predicate {
        let n = if numeric {
            count.parse().unwrap_or(2)
        } else {
            2
        };
        format!("{count} {unit}{} old", plural_s(n))
    } else {
        format!("{count}-{unit}-old")
    };
    Some(Age {
        span: first.span.start..second.span.end,
        suggestion,
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::checks::matches_of;

    #[test]
    fn one_unit_stays_singular_after_a_verb() {
        assert_eq!(
            matches_of(RULE, "The calf was 1-week old."),
            [("1-week old".to_string(), Some("1 week old".to_string()))]
        );
    }

    #[test]
    fn a_plural_unit_is_no_half_hyphenated_age() {
        assert!(matches_of(RULE, "They were 33-years old and 5-days late.").is_empty());
    }
}
