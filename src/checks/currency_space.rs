//! `currency-space`: a space between a currency symbol and its amount ("$ 500", "€ 12"), as
//! machine translation from languages that space their symbols leaves it. English writes
//! "$500"; the code "USD 500" and the amount-first "500 €" of other languages are left alone.

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::text::{Token, TokenKind};

pub struct CurrencySpace;

const RULE: &str = "currency-space";

/// Symbols English writes before the amount, with no space.
const SYMBOLS: &[&str] = &["$", "€", "£", "¥", "₹", "₩", "₽", "₺", "₪", "₦"];

impl Check for CurrencySpace {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "A space between a currency symbol and the amount (“$ 500”)"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        for sentence in doc.sentences {
            for pair in sentence.tokens.windows(2) {
                if let Some(span) = spaced_amount(doc.text, &pair[0], &pair[1]) {
                    out.push(
                        Finding::new(
                            RULE,
                            Category::Punctuation,
                            Severity::Minor,
                            span,
                            "space between a currency symbol and the amount",
                        )
                        .confidence(0.7)
                        .suggest(pair[0].text(doc.text)),
                    );
                }
            }
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "The bridge will cost $ 40 million to repair.",
                    fixed: Some("The bridge will cost $40 million to repair."),
                },
                MustFlag {
                    text: "Tickets rose to € 3.50 and the pass to £ 120.",
                    fixed: Some("Tickets rose to €3.50 and the pass to £120."),
                },
            ],
            must_not_flag: &[
                "The bridge will cost $40 million, or USD 40 million, to repair.",
                "Le billet coûte 3,50 € et le forfait 120 €.",
                "The $ sign and the € sign are on the key.",
                "Prices are given in $ and in €, never in both.",
            ],
        }
    }
}

/// The symbol and the space after it, when `symbol` is a currency sign that a space
/// separates from the number `amount` on the same line.
fn spaced_amount(text: &str, symbol: &Token, amount: &Token) -> Option<std::ops::Range<usize>> {
    let gap = &text[symbol.span.end..amount.span.start];
    let spaced = !gap.is_empty() && gap.chars().all(|c| c == ' ');
    (symbol.kind == TokenKind::Symbol
        && SYMBOLS.contains(&symbol.text(text))
        && amount.kind == TokenKind::Number
        && spaced)
        .then_some(symbol.span.start..amount.span.start)
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::checks::matches_of;

    #[test]
    fn the_symbol_and_the_space_are_replaced_by_the_symbol() {
        assert_eq!(
            matches_of(RULE, "It cost $ 2.217 a gallon."),
            [("$ ".to_string(), Some("$".to_string()))]
        );
    }

    #[test]
    fn a_symbol_glued_to_its_amount_or_alone_is_fine() {
        assert!(matches_of(RULE, "It cost $2.217 a gallon, paid in $.").is_empty());
    }
}
