//! `stray-full-stop`: a full stop inside a sentence, where the text goes on in lowercase
//! ("approved the plans. territorial disputes remain"), as a machine-translated segment
//! boundary leaves it. A dot that ends an abbreviation or an initial ("etc. and", "U.S.
//! officials", "p.m. today") is no stray.

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::lexicon::Lexicon;
use crate::text::{is_abbreviation, Token, TokenKind};

pub struct StrayFullStop {
    lexicon: &'static Lexicon,
}

pub const RULE: &str = "stray-full-stop";

impl StrayFullStop {
    pub fn new(lexicon: &'static Lexicon) -> Self {
        StrayFullStop { lexicon }
    }
}

impl Check for StrayFullStop {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "A full stop inside a sentence that goes on in lowercase (“the plans. territorial”)"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        let lexicon = self.lexicon;
        for mark in doc.marks_where(|tokens, i| stray_at(doc, lexicon, tokens, i)) {
            out.push(
                Finding::new(
                    RULE,
                    Category::Punctuation,
                    Severity::Minor,
                    mark.span.clone(),
                    "a full stop inside a sentence: the text goes on in lowercase",
                )
                .confidence(0.6)
                .suggest(""),
            );
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "The council approved the plans. territorial disputes remain open.",
                    fixed: Some("The council approved the plans territorial disputes remain open."),
                },
                MustFlag {
                    text: "Fishing boats returned to the port. after the storm had passed.",
                    fixed: Some("Fishing boats returned to the port after the storm had passed."),
                },
            ],
            must_not_flag: &[
                "Bring tools, nails, rope etc. and a ladder.",
                "U.S. officials met at 5 p.m. today with Dr. Holm.",
                "He paused... and then went on.",
                "Mr. and Mrs. Lund met Prof. and Gen. Arne at St. Olaf.",
                "The ship docked. iPhone sales rose. eBay fell.",
                "See item no. 4 and vol. 2 of the report.",
                "The office at 16th St. nw. opened today; use 1 in. dia. rods, viz. steel.",
                "It weighs 8 lbs. per crate and takes a 60 mm. shell or an 8-oz. glass.",
            ],
        }
    }
}

/// Whether `tokens[i]` is a full stop after a plain word, followed after a space on the
/// same line by a lowercase English word.
fn stray_at(doc: &Analysis, lexicon: &Lexicon, tokens: &[&Token], i: usize) -> bool {
    let (prev, stop, next) = (tokens[i - 1], tokens[i], tokens[i + 1]);
    if stop.norm != "." || !prev.is_word() || prev.span.end != stop.span.start || !next.is_word() {
        return false;
    }
    let gap = &doc.text[stop.span.end..next.span.start];
    if gap.is_empty() || !gap.chars().all(|c| c == ' ') {
        return false;
    }
    let prev_text = prev.text(doc.text);
    // A unit after a number ("8 lbs. per person", "60 mm. mortar") is abbreviated.
    let after_number = i >= 2 && tokens[i - 2].kind == TokenKind::Number;
    if after_number || prev_text.contains(|c: char| c.is_ascii_digit()) {
        return false;
    }
    // Short words and short capitalized words before a dot are abbreviations more often than
    // not ("nw.", "dia.", "viz.", "Calif."), and so are words the lexicon does not know.
    let plain_prev = prev_text.chars().count() >= 4
        && !prev.norm.contains('.')
        && !is_abbreviation(&prev.norm)
        && lexicon.contains(&prev.norm)
        && (prev_text.chars().next().is_some_and(char::is_lowercase)
            || prev_text.chars().count() > 5);
    let next_text = next.text(doc.text);
    let lowercase_next = next_text.chars().all(|c| !c.is_uppercase())
        && next_text.chars().next().is_some_and(char::is_lowercase)
        && lexicon.contains(&next.norm);
    plain_prev && lowercase_next
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::checks::matches_of;

    #[test]
    fn a_capitalized_start_is_a_new_sentence() {
        assert!(matches_of(
            RULE,
            "They approved the plans. Territorial disputes remain."
        )
        .is_empty());
    }
}
