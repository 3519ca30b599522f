//! What a glossary match reports: the message, and suggestions put into the matched
//! phrase's form, case and apostrophe style, with the article before it changed to fit.

use super::matcher::{Glossary, Hit};
use super::schema::Inflect;
use crate::finding::{Category, Finding, Suggestion};
use crate::lexicon::{Lexicon, SurfaceForm};
use crate::text::case::{capitalize, is_all_caps, match_case};
use crate::word_lists::TITLE_SMALL_WORDS;

impl Glossary {
    /// The finding for one match.
    pub(super) fn finding(&self, text: &str, hit: &Hit, rule: &'static str) -> Finding {
        let entry = &self.inner.entries[hit.entry];
        let matched = &text[hit.span.clone()];
        let before = hit.before.as_deref();
        let suggestions: Vec<String> = entry
            .good
            .iter()
            .map(|g| {
                let inflected =
                    inflect_phrase(self.inner.lexicon, g, entry.inflect, hit.form, before);
                match_style(matched, &inflected)
            })
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
        let mut finding = Finding::new(rule, entry.category, entry.severity(), span, message)
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

/// Puts the entry's inflectable word of `good` into `form`.
fn inflect_phrase(
    lexicon: &Lexicon,
    good: &str,
    inflect: Inflect,
    form: SurfaceForm,
    before: Option<&str>,
) -> String {
    if form == SurfaceForm::Base || inflect == Inflect::No {
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
                lexicon.inflect(w, form, before)
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

/// Carries the case and apostrophe style of the matched text over to the suggestion.
fn match_style(matched: &str, suggestion: &str) -> String {
    let words: Vec<&str> = matched
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    let title_case = words.len() > 1
        && !is_all_caps(matched)
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    let mut out = if title_case {
        suggestion
            .split(' ')
            .enumerate()
            .map(|(i, w)| {
                if i > 0 && TITLE_SMALL_WORDS.contains(w) {
                    w.to_owned()
                } else {
                    capitalize(w)
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        match_case(matched, suggestion)
    };
    if matched.contains('\u{2019}') {
        out = out.replace('\'', "\u{2019}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_article_follows_the_sound() {
        assert!(needs_an("hour") && needs_an("SQL injection") && needs_an("X-ray"));
        assert!(!needs_an("one-off") && !needs_an("European Union") && !needs_an("hat-trick"));
    }

    #[test]
    fn style_carries_capitals_title_case_and_curly_apostrophes() {
        assert_eq!(
            match_style("PROFOUND LEARNING", "deep learning"),
            "DEEP LEARNING"
        );
        assert_eq!(
            match_style("Bank Of Englund", "bank of england"),
            "Bank of England"
        );
        assert_eq!(
            match_style("Profound learning", "deep learning"),
            "Deep learning"
        );
        assert_eq!(match_style("it’s", "it's"), "it’s");
    }
}
