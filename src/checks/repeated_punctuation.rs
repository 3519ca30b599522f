//! `repeated-punctuation`: a full stop, comma or semicolon typed twice ("Monday..", "resigned,,",
//! "Monday. . Traffic"), as text joined from pieces leaves it. An ellipsis ("...", ". . .") is
//! style, not an error.

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::text::{Token, TokenKind};

pub struct RepeatedPunctuation;

const RULE: &str = "repeated-punctuation";

impl Check for RepeatedPunctuation {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "A full stop, comma or semicolon typed twice (“Monday..”, “resigned,,”)"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        for (_, tokens) in doc.paragraphs() {
            repeated(doc, &tokens, out);
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "The mayor resigned,, citing health reasons.",
                    fixed: Some("The mayor resigned, citing health reasons."),
                },
                MustFlag {
                    text: "The bridge reopened on Monday.. Traffic was light.",
                    fixed: Some("The bridge reopened on Monday. Traffic was light."),
                },
                MustFlag {
                    text: "The bridge reopened on Monday. . Traffic was light.",
                    fixed: Some("The bridge reopened on Monday. Traffic was light."),
                },
            ],
            must_not_flag: &[
                "He paused... and then went on. Really?! she asked.",
                "The clause reads . . . and so on, the lawyer said.",
                "Wait!! That is not fair, the child shouted.",
                "Smith & Co., Inc., agreed. The U.S., Canada and Mexico signed.",
                "Prices rose 3.5 per cent in the U.S.. Wages did not.",
            ],
        }
    }
}

fn finding(span: std::ops::Range<usize>, message: &str, fix: &str) -> Finding {
    Finding::new(RULE, Category::Punctuation, Severity::Minor, span, message)
        .confidence(0.8)
        .suggest(fix)
}

/// The repeated marks in one paragraph's tokens.
fn repeated(doc: &Analysis, tokens: &[&Token], out: &mut Vec<Finding>) {
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        let prev = i.checked_sub(1).map(|p| tokens[p]);
        let glued_prev = prev.is_some_and(|p| p.span.end == t.span.start);
        // A word ending in a dot of its own ("U.S.") may take the sentence's full stop.
        let prev_is_plain_word = prev.is_some_and(|p| {
            matches!(p.kind, TokenKind::Word | TokenKind::Number) && !p.norm.ends_with('.')
        });
        match t.norm.as_str() {
            ".." if glued_prev && prev_is_plain_word => {
                out.push(finding(t.span.clone(), "doubled full stop", "."));
            }
            "." if glued_prev && prev_is_plain_word && spaced_second_stop(doc, tokens, i) => {
                let second = tokens[i + 1];
                out.push(finding(
                    t.span.end..second.span.end,
                    "doubled full stop",
                    "",
                ));
                i += 2;
                continue;
            }
            "," | ";" => {
                let mut j = i;
                while tokens
                    .get(j + 1)
                    .is_some_and(|n| n.norm == t.norm && n.span.start == tokens[j].span.end)
                {
                    j += 1;
                }
                if j > i {
                    out.push(finding(
                        t.span.start..tokens[j].span.end,
                        "repeated punctuation mark",
                        &t.norm,
                    ));
                    i = j + 1;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// "word. ." — a second full stop after a space on the same line, not the start of a
/// spaced ellipsis (". . .").
fn spaced_second_stop(doc: &Analysis, tokens: &[&Token], i: usize) -> bool {
    let Some(second) = tokens.get(i + 1) else {
        return false;
    };
    let gap = &doc.text[tokens[i].span.end..second.span.start];
    second.norm == "."
        && !gap.is_empty()
        && gap.chars().all(|c| c == ' ')
        && tokens.get(i + 2).is_none_or(|third| third.norm != ".")
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::checks::matches_of;

    #[test]
    fn ellipses_and_interrobang_are_style() {
        assert!(matches_of(RULE, "So... what now?! Nothing.... Well.").is_empty());
    }

    #[test]
    fn triple_comma_collapses() {
        assert_eq!(
            matches_of(RULE, "Yes,,, he said."),
            [(",,,".to_string(), Some(",".to_string()))]
        );
    }
}
