//! `page-metadata`: a date line of the web page at the start of a paragraph ("date
//! 2021-05-29", "Published: 12 May 2021, 10:04 BST").

use super::{deletion, starts_with_words};
use crate::checks::{Analysis, Check, Examples, MustFlag};
use crate::finding::Finding;
use crate::text::{Token, TokenKind};
use crate::word_lists::{MONTHS, WEEKDAYS};

pub struct PageMetadata;

const RULE: &str = "page-metadata";

impl Check for PageMetadata {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "A web page's date line (“Published: 12 May 2021”) at the start of a paragraph"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        for (_, tokens) in doc.paragraphs() {
            out.extend(metadata_at_start(doc, &tokens));
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "date 2019-11-04 The council approved the budget on Tuesday.",
                    fixed: Some("The council approved the budget on Tuesday."),
                },
                MustFlag {
                    text: "Published: 3 June 2022, 14:05 BST Flooding closed the main road.",
                    fixed: Some("Flooding closed the main road."),
                },
                MustFlag {
                    text: "Updated 7:30 PM ET Voters queued for hours in the rain.",
                    fixed: Some("Voters queued for hours in the rain."),
                },
            ],
            must_not_flag: &[
                "The data were updated on 12 May 2021 after a review.",
                "Updated 3 times since launch, the app now has a dark mode.",
                "Published in 1998, the novel sold a million copies.",
            ],
        }
    }
}

const CLOCK_WORDS: &[&str] = &[
    "am", "pm", "a.m.", "p.m.", "a.m", "p.m", "et", "est", "edt", "ct", "cst", "cdt", "mt", "mst",
    "pt", "pst", "pdt", "gmt", "utc", "bst", "cet", "cest", "eet", "eest", "msk", "ist", "jst",
    "aest", "aedt", "hkt", "sgt",
];

/// Words that introduce page metadata at a paragraph start, possibly two words long.
const METADATA_KEYS: &[&[&str]] = &[
    &["date"],
    &["dated"],
    &["published"],
    &["updated"],
    &["posted"],
    &["modified"],
    &["last", "updated"],
    &["last", "modified"],
    &["first", "published"],
    &["published", "on"],
    &["updated", "on"],
    &["posted", "on"],
    &["published", "at"],
    &["updated", "at"],
];

/// A date or time at `tokens[i..]`: returns the index past it when it contains a number and
/// looks like a date or a clock time (a month, a weekday, am/pm, or a number with - / :).
fn date_time_end(tokens: &[&Token], mut i: usize) -> Option<usize> {
    let start = i;
    let mut numbers = 0;
    let mut datelike = false;
    let mut last_good = None;
    while let Some(t) = tokens.get(i) {
        let norm = t.norm.as_str();
        let ok = match t.kind {
            TokenKind::Number => {
                numbers += 1;
                if norm.contains(['-', ':', '/']) {
                    datelike = true;
                }
                true
            }
            TokenKind::Word if MONTHS.contains(norm) || WEEKDAYS.contains(norm) => {
                datelike = true;
                true
            }
            TokenKind::Word if CLOCK_WORDS.contains(&norm) => {
                datelike = true;
                true
            }
            // "14th"
            TokenKind::Word
                if norm.len() <= 4
                    && norm.starts_with(|c: char| c.is_ascii_digit())
                    && ["st", "nd", "rd", "th"].iter().any(|s| norm.ends_with(s)) =>
            {
                numbers += 1;
                true
            }
            TokenKind::Punct if matches!(norm, "," | "-" | "–") => i > start,
            TokenKind::Punct if norm == "." => {
                // "Jan." keeps its dot when glued to the month.
                i > start && tokens[i - 1].span.end == t.span.start && tokens[i - 1].is_word()
            }
            TokenKind::Symbol if matches!(norm, "|" | "/") => i > start,
            _ => false,
        };
        if !ok {
            break;
        }
        if !matches!(t.kind, TokenKind::Punct | TokenKind::Symbol) || norm == "." {
            last_good = Some(i + 1);
        }
        i += 1;
    }
    let end = last_good?;
    (numbers > 0 && datelike).then_some(end)
}

/// "date 2021-05-29 Text…" or "Published: 12 May 2021, 10:04 Text…" at a paragraph start.
fn metadata_at_start(doc: &Analysis, tokens: &[&Token]) -> Option<Finding> {
    let key = METADATA_KEYS
        .iter()
        .filter(|k| starts_with_words(tokens, k))
        .map(|k| k.len())
        .max()?;
    let mut i = key;
    if tokens
        .get(i)
        .is_some_and(|t| matches!(t.norm.as_str(), ":" | "-" | "–" | "—"))
    {
        i += 1;
    }
    let end = date_time_end(tokens, i)?;
    let start = tokens[0].span.start;
    let span = match tokens.get(end) {
        // What follows must start something new: a capitalized word, a digit or a quote.
        Some(next) => {
            let first = next.text(doc.text).chars().next()?;
            if !(first.is_uppercase() || next.kind == TokenKind::Quote) {
                return None;
            }
            start..next.span.start
        }
        None => start..tokens[tokens.len() - 1].span.end,
    };
    Some(deletion(
        RULE,
        span,
        "page metadata (a date line) leaked into the text",
        0.8,
    ))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::checks::matches_of;

    #[test]
    fn date_line_includes_following_space() {
        assert_eq!(
            matches_of(RULE, " date 2020-01-02 Snow fell."),
            [("date 2020-01-02 ".to_string(), Some(String::new()))]
        );
    }

    #[test]
    fn metadata_alone_in_a_paragraph() {
        assert_eq!(
            matches_of(RULE, "Last updated: Tue 4 Jan 2022 09:30 GMT\n\nSnow fell."),
            [(
                "Last updated: Tue 4 Jan 2022 09:30 GMT".to_string(),
                Some(String::new())
            )]
        );
    }
}
