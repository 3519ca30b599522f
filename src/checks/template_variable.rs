//! `template-variable`: a template's variable that was never filled in ("Dear {{name}}",
//! "hotels in ${city}", "%COMPANY% announced", "{first_name}"). In bilingual files these
//! belong to the strings (see `placeholders`).

use super::placeholders::placeholders;
use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use std::ops::Range;

pub struct TemplateVariable;

const RULE: &str = "template-variable";

/// Variable names that templates use and prose never puts in braces; `spin-syntax` leaves
/// them to this rule.
pub(super) const TEMPLATE_NAMES: &[&str] = &[
    "name", "title", "date", "user", "id", "city", "country", "company", "email", "url", "keyword",
    "brand", "product", "location", "price",
];

impl Check for TemplateVariable {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "A template variable that was never filled in (“{{name}}”, “${city}”, “%COMPANY%”)"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        if !doc.units.is_empty() {
            return;
        }
        for block in doc.blocks {
            let text = &doc.prose[block.clone()];
            let mut spans: Vec<Range<usize>> = placeholders(text)
                .into_iter()
                .filter(|p| is_variable(&p.key))
                .map(|p| p.span)
                .collect();
            spans.extend(percent_names(text));
            spans.sort_by_key(|s| s.start);
            for span in spans {
                out.push(
                    Finding::new(
                        RULE,
                        Category::Markup,
                        Severity::Major,
                        block.start + span.start..block.start + span.end,
                        "a template variable was never filled in",
                    )
                    .confidence(0.85),
                );
            }
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "The best hotels in {{city}} are near the port.",
                    fixed: None,
                },
                MustFlag {
                    text: "Prices in ${city} rose again this year.",
                    fixed: None,
                },
                MustFlag {
                    text: "%COMPANY% announced a new ferry route.",
                    fixed: None,
                },
                MustFlag {
                    text: "Dear {first_name}, your ticket is ready.",
                    fixed: None,
                },
            ],
            must_not_flag: &[
                "The set {x | x > 0} is open, and {couples} is for spin-syntax.",
                "Sales rose 20% to 30% in March, and 100 %.",
                "The score was {3} in the old notation, {{4}} in the new.",
            ],
        }
    }
}

/// `{{…}}` and `${…}` always; a single-brace name when it reads as an identifier
/// (`first_name`, `userName`, `page.title`) or a usual variable name (`{city}`).
fn is_variable(key: &str) -> bool {
    let name = if let Some(inner) = key.strip_prefix("{{") {
        inner.trim_end_matches('}')
    } else if let Some(inner) = key.strip_prefix("${") {
        return !inner.trim_end_matches('}').is_empty();
    } else if let Some(inner) = key.strip_prefix('{') {
        let inner = inner.trim_end_matches('}');
        let identifier = inner.contains(['_', '.'])
            || inner
                .chars()
                .zip(inner.chars().skip(1))
                .any(|(a, b)| a.is_lowercase() && b.is_uppercase())
            || TEMPLATE_NAMES.contains(&inner.to_lowercase().as_str());
        return identifier && inner.starts_with(|c: char| c.is_alphabetic());
    } else {
        return false;
    };
    name.starts_with(|c: char| c.is_alphabetic())
}

/// "%COMPANY%", "%FIRST_NAME%": a capitalized name between percent signs.
fn percent_names(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' || (i > 0 && b[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let name = b[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || **c == b'_')
            .count();
        let end = i + 1 + name;
        let shaped = name >= 2
            && b[i + 1].is_ascii_uppercase()
            && b.get(end) == Some(&b'%')
            && b.get(end + 1).is_none_or(|c| !c.is_ascii_alphanumeric());
        if shaped {
            out.push(i..end + 1);
            i = end + 1;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_by_shape() {
        assert!(is_variable("{{name}}"));
        assert!(is_variable("${city}"));
        assert!(is_variable("{userName}"));
        assert!(!is_variable("{couples}"));
        assert!(!is_variable("{0}"));
        assert!(!is_variable("%s"));
        assert_eq!(percent_names("Hi %NAME%, 5%OFF% %A%"), vec![(3..9)]);
    }
}
