//! `page-boilerplate`: web page furniture glued to the start of a paragraph ("Advertisement", "Skip
//! to content", "Sponsored content · Plan your trip").

use super::{deletion, starts_with_words};
use crate::checks::{Analysis, Check, Examples, MustFlag};
use crate::finding::Finding;
use crate::text::{Token, TokenKind};

pub struct PageBoilerplate;

const RULE: &str = "page-boilerplate";

impl Check for PageBoilerplate {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "Web page furniture (“Advertisement”, “Skip to content”) at the start of a paragraph"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        for (_, tokens) in doc.paragraphs() {
            out.extend(boilerplate_at_start(doc, &tokens));
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "Advertisement The museum reopens in May after a long refit.",
                    fixed: Some("The museum reopens in May after a long refit."),
                },
                MustFlag {
                    text: "Sponsored content · Plan your trip The old town is quiet in winter.",
                    fixed: Some("The old town is quiet in winter."),
                },
            ],
            must_not_flag: &[
                "Advertisement revenue fell by a third last year.",
                "Listen to this article before you vote, the mayor urged.",
            ],
        }
    }
}

/// Web page furniture that ends up glued to the start of a paragraph.
const BOILERPLATE: &[&[&str]] = &[
    &["advertisement"],
    &["advertisement", "advertisement"],
    &["download", "pdf"],
    &["skip", "to", "content"],
    &["skip", "to", "main", "content"],
    &["listen", "to", "this", "article"],
    &["follow", "our", "live", "coverage"],
    &["follow", "our", "live", "blog"],
    &["follow", "live", "updates"],
    &["story", "continues", "below", "advertisement"],
    &["continue", "reading", "the", "main", "story"],
    &["sponsored", "content"],
    &["copy", "link"],
    &["print", "this", "page"],
    &["image", "caption"],
    &["media", "caption"],
];

/// "Advertisement Council leader …": page furniture before the first word of the paragraph.
fn boilerplate_at_start(doc: &Analysis, tokens: &[&Token]) -> Option<Finding> {
    let len = BOILERPLATE
        .iter()
        .filter(|k| starts_with_words(tokens, k))
        .map(|k| k.len())
        .max()?;
    // The furniture is capitalized as a label, and what follows starts something new.
    if !tokens[0].is_capitalized(doc.text) {
        return None;
    }
    // More page furniture chained by separators: "Sponsored content · Book your stay".
    let mut end = len;
    while tokens
        .get(end)
        .is_some_and(|t| matches!(t.norm.as_str(), "·" | "|" | "•"))
    {
        let mut k = end + 1;
        if !tokens
            .get(k)
            .is_some_and(|t| t.is_word() && t.is_capitalized(doc.text))
        {
            return None;
        }
        k += 1;
        while tokens
            .get(k)
            .is_some_and(|t| t.is_word() && !t.is_capitalized(doc.text))
        {
            k += 1;
        }
        end = k;
    }
    let start = tokens[0].span.start;
    let span = match tokens.get(end) {
        Some(next) if next.is_capitalized(doc.text) || next.kind == TokenKind::Quote => {
            start..next.span.start
        }
        Some(_) => return None,
        None => start..tokens[end - 1].span.end,
    };
    Some(deletion(
        RULE,
        span,
        "web page text leaked into the prose",
        0.7,
    ))
}
