//! `dash-spacing`: a dash spaced on one side and glued to a word on the other ("Florida
//! –NASA said", "the plan– it failed"), as text stitched from segments leaves it. A dash
//! spaced on both sides or on neither ("10–12", "Paris–Berlin", "word—word") is a style,
//! and either is left alone; hyphens are left alone too ("the suffix -ness").

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::text::{Token, TokenKind};

pub struct DashSpacing;

const RULE: &str = "dash-spacing";

impl Check for DashSpacing {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "A dash spaced on one side only (“Florida –NASA”)"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        let marks = doc
            .marks_where(|tokens, i| lopsided(doc.text, tokens[i - 1], tokens[i], tokens[i + 1]));
        for dash in marks {
            let written = dash.text(doc.text);
            // Spaced on one side only: a space after it means the word before is glued.
            let suggestion = if doc.text[dash.span.end..].starts_with(' ') {
                format!(" {written}")
            } else {
                format!("{written} ")
            };
            out.push(
                Finding::new(
                    RULE,
                    Category::Punctuation,
                    Severity::Minor,
                    dash.span.clone(),
                    "a dash spaced on one side only",
                )
                .confidence(0.6)
                .suggest(suggestion),
            );
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "PORT ELLEN, Scotland –The ferry left late.",
                    fixed: Some("PORT ELLEN, Scotland – The ferry left late."),
                },
                MustFlag {
                    text: "The plan was simple— it failed anyway.",
                    fixed: Some("The plan was simple — it failed anyway."),
                },
            ],
            must_not_flag: &[
                "Pages 10–12 cover the Paris–Berlin line — the old one—and its stops.",
                "The suffix -ness and the prefix un- are taught early.",
                "– A list item starts with a dash.",
            ],
        }
    }
}

/// Whether `dash` is an en or em dash with a space on one side and a word glued to the other.
fn lopsided(text: &str, before: &Token, dash: &Token, after: &Token) -> bool {
    if dash.kind != TokenKind::Punct || !matches!(dash.norm.as_str(), "–" | "—") {
        return false;
    }
    let spaced = |gap: &str| !gap.is_empty() && gap.chars().all(|c| c == ' ');
    let gap_before = &text[before.span.end..dash.span.start];
    let gap_after = &text[dash.span.end..after.span.start];
    let word = |t: &Token| t.kind == TokenKind::Word;
    (spaced(gap_before) && gap_after.is_empty() && word(after))
        || (gap_before.is_empty() && word(before) && spaced(gap_after))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::checks::matches_of;

    #[test]
    fn the_missing_space_is_added_on_the_glued_side() {
        assert_eq!(
            matches_of(RULE, "Cape Town, South Africa –Officials said so."),
            [("–".to_string(), Some("– ".to_string()))]
        );
    }
}
