//! `space-inside-quotes`: a typographic quotation mark with its space on the wrong side
//! ("city, ”Claudine said": the closing mark glued to the next word), or a space just inside
//! the marks ("“ The port", "closed ”"). Only curly marks are read, whose direction is known;
//! guillemets are left alone, since French typography spaces them on purpose.

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::text::Token;

pub struct SpaceInsideQuotes;

const RULE: &str = "space-inside-quotes";

const OPEN: &str = "\u{201C}";
const CLOSE: &str = "\u{201D}";

impl Check for SpaceInsideQuotes {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "A quotation mark with its space on the wrong side (“city, ”Claudine said”)"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        for (_, tokens) in doc.paragraphs() {
            quotes(doc, &tokens, out);
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "“The quay will reopen in the city, ”Claudine Roux said.",
                    fixed: Some("“The quay will reopen in the city,” Claudine Roux said."),
                },
                MustFlag {
                    text: "“We can, ”the harbour master said.",
                    fixed: Some("“We can,” the harbour master said."),
                },
                MustFlag {
                    text: "“ The port is closed,” she said.",
                    fixed: Some("“The port is closed,” she said."),
                },
                MustFlag {
                    text: "“The port is closed ” she said.",
                    fixed: Some("“The port is closed” she said."),
                },
            ],
            must_not_flag: &[
                "“The port is closed,” she said. “We reopen on Monday.”",
                "He called it « le port » in French.",
                "The sign said \"closed\" and \" open \" in turn.",
                "Nobody said ”hello” back.",
                "The crowd shouted “Not one drop!! ” and went home.",
            ],
        }
    }
}

/// Curly marks in one paragraph, read against how many quotations are open.
fn quotes(doc: &Analysis, tokens: &[&Token], out: &mut Vec<Finding>) {
    let mut open = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        let mark = t.text(doc.text);
        let before = doc.text[..t.span.start].chars().next_back();
        let after = doc.text[t.span.end..].chars().next();
        let space_before = before.is_some_and(|c| c == ' ');
        let space_after = after.is_some_and(|c| c == ' ');
        if mark == OPEN {
            open += 1;
            // "“ The": the space belongs outside (or nowhere, at a paragraph start).
            let word_next = tokens.get(i + 1).is_some_and(|n| n.is_word());
            let at_start = before.is_none_or(|c| c == ' ' || c == '\n' || c == '(');
            if space_after && word_next && at_start {
                let next = tokens[i + 1];
                if doc.text[t.span.end..next.span.start]
                    .chars()
                    .all(|c| c == ' ')
                {
                    out.push(finding(
                        t.span.end..next.span.start,
                        "a space inside the opening quotation mark",
                        String::new(),
                        0.7,
                    ));
                }
            }
        } else if mark == CLOSE {
            // Only a mark that closes an open quotation is read as closing: a text that uses
            // ” both ways is not spaced wrong.
            if open == 0 {
                continue;
            }
            open -= 1;
            let Some(prev) = i.checked_sub(1).map(|p| tokens[p]) else {
                continue;
            };
            let gap = &doc.text[prev.span.end..t.span.start];
            if !space_before || !gap.chars().all(|c| c == ' ') {
                continue;
            }
            let glued_to_word = after.is_some_and(char::is_alphanumeric);
            if glued_to_word {
                // "city, ”Claudine": the space is on the wrong side of the mark.
                out.push(finding(
                    prev.span.end..t.span.end,
                    "the space is on the wrong side of the closing quotation mark",
                    format!("{CLOSE} "),
                    0.75,
                ));
            } else if prev.is_word() && (space_after || after.is_none_or(|c| c == '\n')) {
                out.push(finding(
                    prev.span.end..t.span.start,
                    "a space inside the closing quotation mark",
                    String::new(),
                    0.6,
                ));
            }
        }
    }
}

fn finding(span: std::ops::Range<usize>, message: &str, fix: String, confidence: f32) -> Finding {
    Finding::new(RULE, Category::Punctuation, Severity::Minor, span, message)
        .confidence(confidence)
        .suggest(fix)
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::checks::matches_of;

    #[test]
    fn probe_space_inside_quotes() {
        assert_eq!(
            matches_of(RULE, "“Yes, we can , ”the harbour master said"),
            [(" ”".to_string(), Some("” ".to_string()))]
        );
    }

    #[test]
    fn closing_mark_without_an_opening_is_left_to_quotes() {
        assert!(matches_of(RULE, "we can, ”the harbour master said").is_empty());
    }
}
