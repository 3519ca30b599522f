//! `space-before-punctuation`: a space typed before a comma, full stop, colon or other mark
//! ("Nobody was hurt .", "we can , ”"), as machine translation and spinners leave it. Only
//! plain spaces count: a no-break space before ; : ! ? is French typography, chosen on purpose.

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::text::{Token, TokenKind};

pub struct SpaceBeforePunctuation;

const RULE: &str = "space-before-punctuation";

impl Check for SpaceBeforePunctuation {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "A space before a punctuation mark (“hurt .”, “we can ,”)"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        // By paragraph, not sentence: a detached "." ends a sentence of its own.
        for (_, tokens) in doc.paragraphs() {
            spaces(doc, &tokens, out);
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "Nobody was hurt . Police are investigating.",
                    fixed: Some("Nobody was hurt. Police are investigating."),
                },
                MustFlag {
                    text: "“We can , ”the harbour master said.",
                    fixed: Some("“We can, ”the harbour master said."),
                },
            ],
            must_not_flag: &[
                "Le port ferme\u{a0}: le maire l’a dit\u{a0}!",
                "The .NET runtime and the .env file were updated.",
                "The clause reads . . . and so on.",
                "The ratio is 3:1, as before; the vote, 12 to 4.",
            ],
        }
    }
}

fn spaces(doc: &Analysis, tokens: &[&Token], out: &mut Vec<Finding>) {
    for (i, t) in tokens.iter().enumerate().skip(1) {
        let p = tokens[i - 1];
        let next = tokens.get(i + 1);
        if !matches!(t.norm.as_str(), "." | "," | ";" | ":" | "?" | "!")
            || !matches!(p.kind, TokenKind::Word | TokenKind::Number)
        {
            continue;
        }
        let gap = &doc.text[p.span.end..t.span.start];
        // The mark ends something: a space or a quotation mark follows, never a word glued
        // to it (".NET", ".env").
        let after_ok = next.is_none_or(|n| n.span.start > t.span.end || n.kind == TokenKind::Quote);
        if gap.is_empty() || !gap.chars().all(|c| c == ' ') || !after_ok {
            continue;
        }
        // ". . ." is a spaced ellipsis.
        if t.norm == "." && next.is_some_and(|n| n.norm == ".") {
            continue;
        }
        let confidence = if matches!(t.norm.as_str(), "." | ",") {
            0.65
        } else {
            0.55
        };
        out.push(
            Finding::new(
                RULE,
                Category::Punctuation,
                Severity::Minor,
                p.span.end..t.span.end,
                "space before a punctuation mark",
            )
            .confidence(confidence)
            .suggest(t.text(doc.text)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::checks::matches_of;

    #[test]
    fn probe_space_before_comma() {
        assert_eq!(
            matches_of(RULE, "we can , ”the harbour master said"),
            [(" ,".to_string(), Some(",".to_string()))]
        );
    }
}
