//! Page residue: non-prose of a web page that leaked into the text, one rule per kind (page
//! metadata, page furniture, share buttons, related-article links, photo credits, tag lists).
//! What the rules share lives here.

mod page_boilerplate;
mod page_metadata;
mod photo_credit;
mod related_link;
mod share_buttons;
mod tag_list;

pub use page_boilerplate::PageBoilerplate;
pub use page_metadata::PageMetadata;
pub use photo_credit::PhotoCredit;
pub use related_link::RelatedLink;
pub use share_buttons::ShareButtons;
pub use tag_list::TagList;

use crate::finding::{Category, Finding, Severity};
use crate::text::{Sentence, Token};
use std::ops::Range;

fn starts_with_words(tokens: &[&Token], words: &[&str]) -> bool {
    tokens.len() >= words.len() && tokens.iter().zip(words).all(|(t, w)| t.norm == *w)
}

/// Page residue is markup in the prose; deleting it is the fix.
fn deletion(rule: &'static str, span: Range<usize>, message: &str, confidence: f32) -> Finding {
    Finding::new(rule, Category::Markup, Severity::Minor, span, message)
        .confidence(confidence)
        .suggest("")
}

/// Where the last sentence of a paragraph would be deleted from: after the previous sentence
/// (so no space is left behind), or its own start when it is the paragraph's only sentence.
/// `None` for a paragraph of one sentence.
fn after_previous_sentence(para: &[Sentence]) -> Option<usize> {
    para.len().checked_sub(2).map(|i| para[i].span.end)
}
