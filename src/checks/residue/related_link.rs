//! `related-link`: a related-article link in the text ("Read more: Flour prices hit a record").

use super::{deletion, starts_with_words};
use crate::checks::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::text::Token;

pub struct RelatedLink;

const RULE: &str = "related-link";

impl Check for RelatedLink {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "A related-article link (“Read more: …”) in the text"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        for (_, tokens) in doc.paragraphs() {
            out.extend(link_paragraph(doc, &tokens));
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[MustFlag {
                text: "Local bakeries struggle with energy bills\n\nRead more: Flour prices hit a record\n\nBakers say they cannot pass on costs.",
                fixed: Some("Local bakeries struggle with energy bills\n\n\n\nBakers say they cannot pass on costs."),
            }],
            must_not_flag: &["Read more about the plan on the council's website."],
        }
    }
}

/// A whole paragraph that is a related-article link: "Read more: Headline".
fn link_paragraph(doc: &Analysis, tokens: &[&Token]) -> Option<Finding> {
    let key = [
        &["read", "more"][..],
        &["read", "also"],
        &["also", "read"],
        &["see", "also"],
        &["related"],
        &["more", "on", "this", "story"],
    ]
    .iter()
    .find(|k| starts_with_words(tokens, k))?
    .len();
    if tokens.get(key).is_none_or(|t| t.norm != ":") || tokens.len() <= key + 1 {
        return None;
    }
    let words = tokens.iter().filter(|t| t.is_word()).count();
    // A headline alone in its paragraph: short. Glued to the body, where the headline ends
    // is a guess (a name inside it looks like the body's first word): flag it, fix nothing.
    if words > 16 {
        let headline_end = (key + 2..tokens.len()).find(|&k| {
            tokens[k].is_capitalized(doc.text)
                && tokens[k - 1].is_word()
                && !tokens[k - 1].is_capitalized(doc.text)
        })?;
        return Some(
            Finding::new(
                RULE,
                Category::Markup,
                Severity::Minor,
                tokens[0].span.start..tokens[headline_end - 1].span.end,
                "related-article link leaked into the text",
            )
            .confidence(0.6),
        );
    }
    Some(deletion(
        RULE,
        tokens[0].span.start..tokens[tokens.len() - 1].span.end,
        "related-article link leaked into the text",
        0.75,
    ))
}
