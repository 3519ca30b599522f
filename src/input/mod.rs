//! Readers: turn a file's bytes into a `Document` whose prose view keeps every byte offset.

mod markdown;
mod plain;

use std::ops::Range;
use std::path::Path;

/// How a file's bytes are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Markdown,
}

impl Format {
    /// Picks the reader from the file extension; anything unknown is plain text.
    pub fn from_path(path: &Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("md" | "markdown" | "mdown" | "mkd") => Format::Markdown,
            _ => Format::Text,
        }
    }
}

/// A decoded file. `prose` has exactly the bytes of `text`, except that everything that is
/// not prose (markup, code, URLs, a byte-order mark) is replaced by ASCII spaces, so a span
/// found in `prose` is a span of the original file.
#[derive(Debug, Clone)]
pub struct Document {
    pub text: String,
    pub prose: String,
    /// Paragraphs (blocks) of prose, in order: sentences never cross them.
    pub blocks: Vec<Range<usize>>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InputError {
    #[error("invalid UTF-8 at byte {offset}")]
    InvalidUtf8 { offset: usize },
    #[error("binary file (NUL byte at byte {offset})")]
    Binary { offset: usize },
}

impl Document {
    pub fn from_bytes(bytes: Vec<u8>, format: Format) -> Result<Document, InputError> {
        if let Some(offset) = bytes.iter().position(|&b| b == 0) {
            return Err(InputError::Binary { offset });
        }
        let text = String::from_utf8(bytes).map_err(|e| InputError::InvalidUtf8 {
            offset: e.utf8_error().valid_up_to(),
        })?;
        Ok(Document::from_text(text, format))
    }

    pub fn from_text(text: String, format: Format) -> Document {
        let mut prose = text.clone().into_bytes();
        if text.starts_with('\u{FEFF}') {
            blank_out(&mut prose, 0..3);
        }
        let hard_breaks = match format {
            Format::Text => plain::mask(&text, &mut prose),
            Format::Markdown => markdown::mask(&text, &mut prose),
        };
        let prose = String::from_utf8(prose).expect("masking replaces whole characters");
        let blocks = blocks(&prose, &hard_breaks);
        Document {
            text,
            prose,
            blocks,
        }
    }
}

/// Replaces a byte range with spaces, keeping line breaks so that line numbers hold.
pub(crate) fn blank_out(prose: &mut [u8], range: Range<usize>) {
    for b in &mut prose[range] {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

/// Splits the prose into blocks at blank lines and at the line starts in `hard_breaks`.
fn blocks(prose: &str, hard_breaks: &[usize]) -> Vec<Range<usize>> {
    let mut cuts: Vec<usize> = hard_breaks.to_vec();
    let mut line_start = 0;
    for line in prose.split_inclusive('\n') {
        if line.trim().is_empty() {
            cuts.push(line_start);
            cuts.push(line_start + line.len());
        }
        line_start += line.len();
    }
    cuts.push(0);
    cuts.push(prose.len());
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|w| w[0]..w[1])
        .filter(|r| !prose[r.clone()].trim().is_empty())
        .map(|r| trim_range(prose, r))
        .collect()
}

fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.start + slice.trim_end().len();
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_masked_not_removed() {
        let doc = Document::from_text("\u{FEFF}Hello.".into(), Format::Text);
        assert_eq!(doc.prose.len(), doc.text.len());
        assert_eq!(&doc.text[doc.blocks[0].clone()], "Hello.");
    }

    #[test]
    fn invalid_utf8_names_offset() {
        let err = Document::from_bytes(b"abc\xffdef".to_vec(), Format::Text).unwrap_err();
        assert_eq!(err, InputError::InvalidUtf8 { offset: 3 });
    }

    #[test]
    fn nul_byte_is_binary() {
        let err = Document::from_bytes(b"ab\0c".to_vec(), Format::Text).unwrap_err();
        assert_eq!(err, InputError::Binary { offset: 2 });
    }

    #[test]
    fn crlf_blank_lines_split_blocks() {
        let doc = Document::from_text("One.\r\n\r\nTwo.\r\n".into(), Format::Text);
        let texts: Vec<&str> = doc.blocks.iter().map(|b| &doc.text[b.clone()]).collect();
        assert_eq!(texts, ["One.", "Two."]);
    }
}
