//! Markdown: only text runs are prose; code, front matter, HTML and link targets are masked.

use super::{blank_out, plain::mask_links};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Masks everything that is not a text run and returns where blocks start and end.
pub fn mask(text: &str, prose: &mut [u8]) -> Vec<usize> {
    let mut keep = vec![false; text.len()];
    let mut breaks = Vec::new();
    let mut in_code = 0usize;
    let mut in_metadata = false;
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Start(Tag::MetadataBlock(_)) => in_metadata = true,
            Event::End(TagEnd::MetadataBlock(_)) => in_metadata = false,
            Event::Text(_) if in_code == 0 && !in_metadata => {
                keep[range].iter_mut().for_each(|k| *k = true);
            }
            Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::Item
                | Tag::TableCell
                | Tag::BlockQuote(_)
                | Tag::FootnoteDefinition(_),
            ) => breaks.push(range.start),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => breaks.push(range.end),
            _ => {}
        }
    }
    let mut start = None;
    for (i, &k) in keep.iter().chain(std::iter::once(&true)).enumerate() {
        match (k, start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                blank_out(prose, s..i);
                start = None;
            }
            _ => {}
        }
    }
    mask_links(text, prose);
    breaks
}

#[cfg(test)]
mod tests {
    use crate::input::{Document, Format};

    fn prose_blocks(text: &str) -> Vec<String> {
        let doc = Document::from_text(text.into(), Format::Markdown);
        assert_eq!(doc.prose.len(), text.len());
        doc.blocks
            .iter()
            .map(|b| {
                doc.prose[b.clone()]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn code_front_matter_html_and_links_are_not_prose() {
        let text = "---\ntitle: x y\n---\n# Title here\n\nSee [the report](http://a.b/c) and `code x`.\n\n```\nlet a = b;\n```\n\n<div class=\"x\">Hi</div>\n\n- item one\n- item two\n";
        assert_eq!(
            prose_blocks(text),
            ["Title here", "See the report and .", "item one", "item two"]
        );
    }

    #[test]
    fn emphasis_markers_are_masked_in_place() {
        let text = "A **bold** move.";
        let doc = Document::from_text(text.into(), Format::Markdown);
        assert_eq!(doc.prose, "A   bold   move.");
    }
}
