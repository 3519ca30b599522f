//! `glued-sentence`: two sentences joined without a space after the full stop ("on
//! Monday.The company"), as text stitched from segments leaves it. File names, domains,
//! initials, abbreviations, decimals and dotted identifiers ("config.toml", "example.com",
//! "J.R.R.", "U.S.", "3.5", "System.Console") are not sentences and stay as they are.

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::lexicon::{Lexicon, PosSet};
use crate::text::{is_abbreviation, Token, TokenKind};

pub struct GluedSentence {
    lexicon: &'static Lexicon,
}

pub const RULE: &str = "glued-sentence";

impl GluedSentence {
    pub fn new(lexicon: &'static Lexicon) -> Self {
        GluedSentence { lexicon }
    }
}

/// How common (SCOWL size) the word before a glued unknown name must be.
const COMMON_LEVEL: u8 = 50;

impl Check for GluedSentence {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "Two sentences glued together without a space (“on Monday.The company”)"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        let lexicon = self.lexicon;
        for mark in doc.marks_where(|tokens, i| glued_at(doc, lexicon, tokens, i)) {
            out.push(
                Finding::new(
                    RULE,
                    Category::Punctuation,
                    Severity::Minor,
                    mark.span.clone(),
                    "no space after the full stop: two sentences are glued together",
                )
                .confidence(0.85)
                .suggest(format!("{} ", mark.text(doc.text))),
            );
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "The board met on Monday.The company will announce its results soon.",
                    fixed: Some(
                        "The board met on Monday. The company will announce its results soon.",
                    ),
                },
                MustFlag {
                    text: "Yields rose on government bonds.Investors sold shares.",
                    fixed: Some("Yields rose on government bonds. Investors sold shares."),
                },
                MustFlag {
                    text: "The crew thanked the family.Halvorsen said it was over.",
                    fixed: Some("The crew thanked the family. Halvorsen said it was over."),
                },
                MustFlag {
                    text: "Nobody was hurt?He asked again.",
                    fixed: Some("Nobody was hurt? He asked again."),
                },
            ],
            must_not_flag: &[
                "Edit config.toml and visit example.com for the U.S. rules, e.g. the new ones.",
                "J.R.R. Tolkien wrote it; the rate is 3.5 per cent in version 2.4.1.",
                "Call System.Console or Math.Max from ASP.NET code.",
                "Dr.Smith and St.Louis are written without spaces here.",
                "The file is named Report.Final.Docx on the server.",
            ],
        }
    }
}

/// Whether `tokens[i]` is a sentence mark glued between the end of one sentence and a
/// capitalized word that starts the next.
fn glued_at(doc: &Analysis, lexicon: &Lexicon, tokens: &[&Token], i: usize) -> bool {
    let (prev, mark, next) = (tokens[i - 1], tokens[i], tokens[i + 1]);
    let glued = prev.span.end == mark.span.start && mark.span.end == next.span.start;
    if !glued || !matches!(mark.norm.as_str(), "." | "?" | "!") || !next.is_word() {
        return false;
    }
    // The end of a sentence: a word (not an initial or abbreviation) or a number.
    let prev_text = prev.text(doc.text);
    let ends_sentence = match prev.kind {
        TokenKind::Word => {
            prev_text.chars().count() >= 2
                && prev_text.chars().last().is_some_and(char::is_lowercase)
                && !prev.norm.contains('.')
                && !is_abbreviation(&prev.norm)
        }
        TokenKind::Number => true,
        _ => false,
    };
    // A dotted chain ("java.util.List", "a.b.Com") is an identifier or a file name.
    let chained_before = i >= 2 && {
        let before = tokens[i - 2];
        before.span.end == prev.span.start && matches!(before.norm.as_str(), "." | "/" | "@")
    };
    let chained_after = tokens
        .get(i + 2)
        .zip(tokens.get(i + 3))
        .is_some_and(|(sep, word)| {
            matches!(sep.norm.as_str(), "." | "/" | "@")
                && sep.span.start == next.span.end
                && sep.span.end == word.span.start
        });
    if !ends_sentence || chained_before || chained_after {
        return false;
    }
    // The next word starts a sentence: capitalized, the rest lowercase ("The", not "NET" or
    // "WriteLine"), and an English word.
    let next_text = next.text(doc.text);
    let mut chars = next_text.chars();
    let capitalized = chars.next().is_some_and(char::is_uppercase)
        && next_text.chars().count() >= 2
        && chars.all(|c| c.is_lowercase() || c == '\'' || c == '’');
    if !capitalized {
        return false;
    }
    // Function words start sentences; for other words, the word before must be ordinary
    // English too ("bonds.Investors", not "Math.Max"), and before a name the lexicon does
    // not know ("family.Hillsborough"), a common word.
    let function_word = lexicon
        .pos(&next.norm)
        .intersects(PosSet::DET | PosSet::PRON | PosSet::CONJ | PosSet::PREP | PosSet::AUX);
    let lowercase_word =
        prev_text.chars().next().is_some_and(char::is_lowercase) && lexicon.contains(&prev.norm);
    if !lexicon.contains(&next.norm) {
        let common_before = lowercase_word
            && lexicon
                .commonness(&prev.norm)
                .is_some_and(|level| level <= COMMON_LEVEL);
        return common_before && next_text.chars().count() >= 4;
    }
    function_word || lowercase_word
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::checks::matches_of;

    #[test]
    fn probe_glued_full_stop() {
        assert_eq!(
            matches_of(RULE, "The ferry sailed on Monday.The company said so."),
            [(".".to_string(), Some(". ".to_string()))]
        );
    }
}
