//! `share-buttons`: share-button labels at the start of a paragraph ("Share on Facebook Share on
//! X Share by email").

use super::deletion;
use crate::checks::{Analysis, Check, Examples, MustFlag};
use crate::finding::Finding;
use crate::text::Token;

pub struct ShareButtons;

const RULE: &str = "share-buttons";

impl Check for ShareButtons {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "Share-button labels (“Share on Facebook”) at the start of a paragraph"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        for (_, tokens) in doc.paragraphs() {
            out.extend(share_buttons(doc, &tokens));
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[MustFlag {
                text:
                    "Share on Facebook Share on X Share by email Schools close early for the summer",
                fixed: Some("Schools close early for the summer"),
            }],
            must_not_flag: &["Share on Facebook what you saw, the police asked witnesses."],
        }
    }
}

const SOCIAL: &[&str] = &[
    "facebook",
    "x",
    "twitter",
    "whatsapp",
    "linkedin",
    "email",
    "e-mail",
    "reddit",
    "telegram",
    "pinterest",
    "messenger",
    "bluesky",
    "threads",
    "mail",
];

/// "Share on Facebook Share on X Share by email Headline…" at a paragraph start.
fn share_buttons(doc: &Analysis, tokens: &[&Token]) -> Option<Finding> {
    let mut i = 0;
    let mut items = 0;
    while tokens.get(i).is_some_and(|t| t.norm == "share")
        && tokens
            .get(i + 1)
            .is_some_and(|t| matches!(t.norm.as_str(), "on" | "via" | "by" | "to" | "with"))
        && tokens
            .get(i + 2)
            .is_some_and(|t| SOCIAL.contains(&t.norm.as_str()))
    {
        items += 1;
        i += 3;
    }
    if items == 0 {
        return None;
    }
    let start = tokens[0].span.start;
    let span = match tokens.get(i) {
        Some(next) if next.is_capitalized(doc.text) => start..next.span.start,
        Some(_) => return None,
        None => start..tokens[i - 1].span.end,
    };
    Some(deletion(
        RULE,
        span,
        "share-button text leaked into the text",
        if items >= 2 { 0.85 } else { 0.7 },
    ))
}
