//! `spin-syntax`: what an article spinner left of its template: alternatives in braces
//! ("{quickly|rapidly|fast}"), a word it kept in braces ("{couples}") and a lone brace glued
//! to a word ("the {harbour").

use super::template_variable::TEMPLATE_NAMES;
use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::lexicon::Lexicon;
use crate::text::{Sentence, Token, TokenKind};

pub struct SpinSyntax {
    lexicon: &'static Lexicon,
}

pub const RULE: &str = "spin-syntax";

impl SpinSyntax {
    pub fn new(lexicon: &'static Lexicon) -> Self {
        SpinSyntax { lexicon }
    }
}

impl Check for SpinSyntax {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "Spinner template left in the text: {alternatives|in braces}, a {braced} word, a lone brace"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        for sentence in doc.sentences {
            spin_syntax(self.lexicon, doc, sentence, out);
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "The storm moved {quickly|rapidly|fast} across the bay.",
                    fixed: Some("The storm moved quickly across the bay."),
                },
                MustFlag {
                    text: "Police found the boat {inside|within} an hour.",
                    fixed: Some("Police found the boat inside an hour."),
                },
                MustFlag {
                    text: "Thousands of {couples} marry on the island every summer.",
                    fixed: Some("Thousands of couples marry on the island every summer."),
                },
                MustFlag {
                    text: "The ferry left the {harbour at dawn.",
                    fixed: Some("The ferry left the harbour at dawn."),
                },
            ],
            must_not_flag: &[
                "The set {x | x > 0} is open.",
                "Write {\"port\": 8080} in the file.",
                "Greet them with {name} in the template, or {{harbour}} and ${port}.",
                "fn main() { println!(\"hi\"); }",
                "Each set {A} holds one element, and {x} is a variable.",
            ],
        }
    }
}

/// Braces in one sentence: `{a|b}` alternatives, `{word}`, and braces without a partner.
fn spin_syntax(lexicon: &Lexicon, doc: &Analysis, sentence: &Sentence, out: &mut Vec<Finding>) {
    let tokens = &sentence.tokens;
    let braces: Vec<usize> = (0..tokens.len())
        .filter(|&i| matches!(tokens[i].norm.as_str(), "{" | "}"))
        .collect();
    match braces.as_slice() {
        [] => {}
        [lone] => out.extend(lone_brace(tokens, *lone)),
        _ => {
            let mut i = 0;
            while i < tokens.len() {
                if tokens[i].norm != "{" {
                    i += 1;
                    continue;
                }
                let Some(close) = tokens[i + 1..]
                    .iter()
                    .position(|t| t.norm == "}" || t.norm == "{")
                    .map(|p| p + i + 1)
                else {
                    break;
                };
                if tokens[close].norm == "{" {
                    i = close;
                    continue;
                }
                out.extend(braced(lexicon, doc, &tokens[i..=close]));
                i = close + 1;
            }
        }
    }
}

/// `{a|b|c}` (the first option is what the spinner would have printed) or `{word}`.
fn braced(lexicon: &Lexicon, doc: &Analysis, group: &[Token]) -> Option<Finding> {
    let inner = &group[1..group.len() - 1];
    let options: Vec<&[Token]> = inner.split(|t| t.norm == "|").collect();
    // Words, not code or notation: no dotted names ("a.b"), not only single letters.
    let prose_option = |o: &&[Token]| {
        !o.is_empty()
            && o.len() <= 6
            && o.iter().all(|t| {
                (t.is_word() && !t.norm.contains('.'))
                    || t.kind == TokenKind::Number
                    || t.norm == "-"
            })
    };
    let letters_only = options
        .iter()
        .all(|o| o.len() == 1 && o[0].norm.chars().count() == 1);
    // "{{name}}" and "${name}" are template variables (`template-variable`).
    let span = group[0].span.start..group[group.len() - 1].span.end;
    let doubled =
        doc.text[..span.start].ends_with(['{', '$']) || doc.text[span.end..].starts_with('}');
    if doubled || letters_only || !options.iter().all(prose_option) {
        return None;
    }
    let first = options[0];
    let replacement = &doc.text[first[0].span.start..first[first.len() - 1].span.end];
    if options.len() >= 2 {
        return Some(
            Finding::new(
                RULE,
                Category::Markup,
                Severity::Major,
                span,
                "leftover spin syntax: alternatives in braces",
            )
            .confidence(0.9)
            .suggest(replacement),
        );
    }
    // "{couples}": a plain lowercase word kept in braces; "{name}" in a template is for
    // `template-variable`, and a single letter may be notation.
    let word = &first[0];
    let plain = first.len() == 1
        && word.is_word()
        && word.norm.chars().count() >= 3
        && word
            .text(doc.text)
            .chars()
            .all(|c| c.is_lowercase() || c == '-');
    let template_name = TEMPLATE_NAMES.contains(&word.norm.as_str());
    (plain && lexicon.contains(&word.norm) && !template_name).then(|| {
        Finding::new(
            RULE,
            Category::Markup,
            Severity::Minor,
            span,
            "leftover spin syntax: a word kept in braces",
        )
        .confidence(0.65)
        .suggest(replacement)
    })
}

/// A brace alone in its sentence, glued to a word on its inner side ("the {harbour",
/// "harbour} at"), where nothing in the sentence looks like code.
fn lone_brace(tokens: &[Token], i: usize) -> Option<Finding> {
    let brace = &tokens[i];
    let inner = if brace.norm == "{" {
        tokens.get(i + 1)
    } else {
        i.checked_sub(1).map(|p| &tokens[p])
    };
    let glued = inner.is_some_and(|w| {
        w.is_word() && (w.span.start == brace.span.end || w.span.end == brace.span.start)
    });
    let code_like = tokens
        .iter()
        .any(|t| t.kind == TokenKind::Symbol && !matches!(t.norm.as_str(), "{" | "}"));
    if !glued || code_like {
        return None;
    }
    Some(
        Finding::new(
            RULE,
            Category::Markup,
            Severity::Minor,
            brace.span.clone(),
            "a lone brace left by a spinner template",
        )
        .confidence(0.6)
        .suggest(""),
    )
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::checks::matches_of;

    #[test]
    fn probe_alternatives() {
        assert_eq!(
            matches_of(RULE, "The quay is {inside|within} the old port."),
            [("{inside|within}".to_string(), Some("inside".to_string()))]
        );
    }

    #[test]
    fn a_brace_pair_with_code_inside_is_no_spin() {
        assert!(matches_of(RULE, "Use {a.b|c} or {x=1} here.").is_empty());
        assert!(matches_of(RULE, "The map is {Paris} to {London}.").is_empty());
    }
}
