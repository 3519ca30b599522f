//! `tag-list`: a tag list closing a paragraph ("Tags: transport, fares, city council").

use super::{after_previous_sentence, deletion, starts_with_words};
use crate::checks::{Analysis, Check, Examples, MustFlag};
use crate::finding::Finding;
use crate::text::{Sentence, Token, TokenKind};

pub struct TagList;

const RULE: &str = "tag-list";

impl Check for TagList {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "A web page’s tag list (“Tags: transport, fares”) closing a paragraph"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        for (para, _) in doc.paragraphs() {
            out.extend(tag_list_at_end(para));
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[MustFlag {
                text: "Fares rise by 4 percent in January. Tags: transport, fares, city council",
                fixed: Some("Fares rise by 4 percent in January."),
            }],
            must_not_flag: &[
                "Tags on the crates showed the port of origin.",
                "Fares rise in January. Topics: what the council will discuss next and why it matters to riders.",
            ],
        }
    }
}

/// "Tags: cybersecurity, public transport" as the last sentence of a paragraph.
fn tag_list_at_end(para: &[Sentence]) -> Option<Finding> {
    let last = para.last()?;
    let tokens: Vec<&Token> = last.tokens.iter().collect();
    let norms: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
    let delete_span =
        after_previous_sentence(para).map_or(last.span.clone(), |end| end..last.span.end);
    // "Tags: cybersecurity, public transport" closing the paragraph.
    let tag_label = [
        &["tags"][..],
        &["topics"],
        &["filed", "under"],
        &["categories"],
        &["related", "topics"],
    ]
    .iter()
    .find(|k| starts_with_words(&tokens, k))
    .map(|k| k.len());
    let k = tag_label.filter(|&k| norms.get(k) == Some(&":"))?;
    let items: Vec<&[&str]> = norms[k + 1..].split(|n| *n == ",").collect();
    let listy = !items.is_empty()
        && items.iter().all(|i| (1..=4).contains(&i.len()))
        && tokens[k + 1..]
            .iter()
            .all(|t| t.is_word() || t.norm == "," || t.kind == TokenKind::Number);
    listy.then(|| deletion(RULE, delete_span, "tag list leaked into the text", 0.7))
}
