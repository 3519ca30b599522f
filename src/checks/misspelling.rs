//! `misspelling`: a common misspelling of an English word ("seperate", "accomodation"), from
//! the typos project's list of known misspellings (typos-dict). Spinners and careless
//! post-editing leave them; a spell checker would catch them, but a translated article often
//! never meets one. Only where the lexicon agrees: the word written is no English word and
//! the one correction is. Capitalized words inside a sentence are names and left alone, and
//! so is a capitalized first word written the same way elsewhere (a name again).

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::lexicon::Lexicon;
use crate::text::case::match_case;
use crate::text::Token;
use unicase::UniCase;

pub struct Misspelling {
    lexicon: &'static Lexicon,
}

pub const RULE: &str = "misspelling";

impl Misspelling {
    pub fn new(lexicon: &'static Lexicon) -> Self {
        Misspelling { lexicon }
    }
}

/// Shorter misspellings ("teh", "adn") are as often abbreviations or names.
const MIN_LETTERS: usize = 4;

impl Check for Misspelling {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "A common misspelling of an English word (“seperate”)"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        let lexicon = self.lexicon;
        for sentence in doc.sentences {
            let first_word = sentence.tokens.iter().position(Token::is_word);
            for (i, token) in sentence.tokens.iter().enumerate() {
                let written = token.text(doc.text);
                let first = first_word == Some(i);
                let Some(correction) = correction(lexicon, doc.text, token, first) else {
                    continue;
                };
                let capitalized = token.is_capitalized(doc.text);
                if capitalized && doc.text.matches(written).nth(1).is_some() {
                    continue;
                }
                out.push(
                    Finding::new(
                        RULE,
                        Category::Spelling,
                        Severity::Minor,
                        token.span.clone(),
                        format!("misspelt: “{written}” is a known misspelling of “{correction}”"),
                    )
                    .confidence(0.8)
                    .suggest(match_case(written, correction)),
                );
            }
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "The two crews were kept seperate until the inquiry.",
                    fixed: Some("The two crews were kept separate until the inquiry."),
                },
                MustFlag {
                    text: "Accomodation was found for the passengers.",
                    fixed: Some("Accommodation was found for the passengers."),
                },
            ],
            must_not_flag: &[
                "The two crews were kept separate, and accommodation was found.",
                "Captain Seperate and the Acommodo family met at the harbour.",
                "Sprinkel spoke first. The minister then thanked Sprinkel.",
            ],
        }
    }
}

/// The one correction of `token` when it is a known misspelling that is no English word.
fn correction(lexicon: &Lexicon, text: &str, token: &Token, first: bool) -> Option<&'static str> {
    let written = token.text(text);
    let letters = written.chars().all(|c| c.is_ascii_alphabetic());
    let lower_after_first = written.chars().skip(1).all(|c| c.is_ascii_lowercase());
    let plain = written
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase())
        || first;
    if !token.is_word() || !letters || !lower_after_first || !plain || written.len() < MIN_LETTERS {
        return None;
    }
    // The misspelling table (a hash) first: almost no word is in it, and the lexicon's
    // lookup costs more.
    match typos_dict::WORD.find(&UniCase::new(token.norm.as_str())) {
        Some(&[correction]) if !lexicon.contains(&token.norm) && lexicon.contains(correction) => {
            Some(correction)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::checks::matches_of;

    #[test]
    fn a_word_with_several_corrections_is_left_alone() {
        assert!(matches_of(RULE, "The daty was late.").is_empty());
    }
}
