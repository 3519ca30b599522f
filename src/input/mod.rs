//! Readers: turn a file's bytes into a `Document` whose prose view keeps every byte offset.

mod delimited;
pub mod file;
mod host;
mod markdown;
mod plain;
mod po;
pub mod sections;
pub mod termbase;
mod tmx;
mod unit;
mod xliff;
mod xml;

use std::ops::Range;
use std::path::Path;

pub use host::Host;
pub use unit::{Code, MissingTarget, Unit};

/// How a file's bytes are read. Its JSON name (the report's `format`) is the
/// `--input-format` value that names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text (.txt).
    Text,
    /// CommonMark (.md, .markdown, .mdown, .mkd): code, links and markup are not prose.
    Markdown,
    /// XLIFF 1.2 or 2.0 (.xlf, .xliff): each unit's target is audited, its source kept beside it.
    Xliff,
    /// gettext PO and POT (.po, .pot): msgstr is the target, msgid the source.
    Po,
    /// TMX (.tmx): the English `tuv` is the target, the source language's `tuv` the source.
    Tmx,
    /// Tab-separated `source<TAB>target` rows (.tsv, .tab).
    Tsv,
    /// Comma-separated `source,target` rows (.csv, RFC 4180 quoting).
    Csv,
}

impl Format {
    /// The reader a file extension names, or `None` for an extension mtaudit does not read.
    /// This is the one list of extensions: directory walks pick up exactly these files.
    pub fn from_extension(path: &Path) -> Option<Format> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()?
        {
            "txt" => Some(Format::Text),
            "md" | "markdown" | "mdown" | "mkd" => Some(Format::Markdown),
            "xlf" | "xliff" => Some(Format::Xliff),
            "po" | "pot" => Some(Format::Po),
            "tmx" => Some(Format::Tmx),
            "tsv" | "tab" => Some(Format::Tsv),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// Picks the reader from the file extension; anything unknown is plain text.
    pub fn from_path(path: &Path) -> Format {
        Format::from_extension(path).unwrap_or(Format::Text)
    }

    /// True for formats whose units pair a source with an English target.
    pub fn is_bilingual(self) -> bool {
        !matches!(self, Format::Text | Format::Markdown)
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
    /// For bilingual formats, `units[i]` is the translation unit whose target is `blocks[i]`;
    /// empty for monolingual formats.
    pub units: Vec<Unit>,
    /// For bilingual formats, the units whose source was never translated.
    pub missing: Vec<MissingTarget>,
    /// How a replacement is written back into the file (escaping, spans that must not move).
    pub host: Host,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InputError {
    #[error("invalid UTF-8 at byte {offset}")]
    InvalidUtf8 { offset: usize },
    #[error("binary file (NUL byte at byte {offset})")]
    Binary { offset: usize },
    /// Text in another encoding, known by its byte-order mark; `encoding` is the name iconv
    /// knows it by.
    #[error("{encoding} text (it starts with a byte-order mark); mtaudit reads UTF-8: convert it with `iconv -f {encoding} -t UTF-8`")]
    Encoding { encoding: &'static str },
    /// A structured file (XLIFF, PO, TMX, TSV/CSV) that cannot be read; 1-based position.
    #[error("{line}:{column}: {message}")]
    Malformed {
        line: usize,
        column: usize,
        message: String,
    },
}

impl InputError {
    /// A malformed-input error at byte `offset` of `text`.
    pub(crate) fn malformed(text: &str, offset: usize, message: impl Into<String>) -> InputError {
        let offset = crate::text::char_floor(text, offset);
        let (line, column) = crate::audit::LineIndex::new(text).position(text, offset);
        InputError::Malformed {
            line,
            column,
            message: message.into(),
        }
    }
}

impl Document {
    pub fn from_bytes(bytes: Vec<u8>, format: Format) -> Result<Document, InputError> {
        check_text(&bytes)?;
        let text = String::from_utf8(bytes).map_err(|e| InputError::InvalidUtf8 {
            offset: e.utf8_error().valid_up_to(),
        })?;
        Document::parse(text, format)
    }

    /// Reads a document. Text and Markdown never fail; a malformed bilingual file gives an
    /// error with its line and column.
    pub fn parse(text: String, format: Format) -> Result<Document, InputError> {
        let reader = match format {
            Format::Text | Format::Markdown => return Ok(Document::monolingual(text, format)),
            Format::Xliff => xliff::read,
            Format::Po => po::read,
            Format::Tmx => tmx::read,
            Format::Tsv => delimited::read_tsv,
            Format::Csv => delimited::read_csv,
        };
        let read = reader(&text)?;
        Ok(read.into_document(text, format))
    }

    /// Reads a document that cannot fail to parse. A malformed bilingual file gives a document
    /// with nothing to audit (use `parse` to see why).
    pub fn from_text(text: String, format: Format) -> Document {
        match Document::parse(text.clone(), format) {
            Ok(document) => document,
            Err(_) => unit::Read::default().into_document(text, format),
        }
    }

    fn monolingual(text: String, format: Format) -> Document {
        let mut prose = text.clone().into_bytes();
        if text.starts_with('\u{FEFF}') {
            blank_out(&mut prose, 0..3);
        }
        let hard_breaks = match format {
            Format::Markdown => markdown::mask(&text, &mut prose),
            _ => plain::mask(&text, &mut prose),
        };
        let prose = String::from_utf8(prose).expect("masking replaces whole characters");
        let blocks = blocks(&prose, &hard_breaks);
        Document {
            text,
            prose,
            blocks,
            units: Vec::new(),
            missing: Vec::new(),
            host: Host::default(),
        }
    }

    /// The translation unit whose target holds block `block`, for bilingual documents.
    pub fn unit(&self, block: usize) -> Option<&Unit> {
        self.units.get(block)
    }
}

/// Byte-order marks of the encodings that translation tools and editors write instead of
/// UTF-8 (UTF-32's little-endian mark begins with UTF-16's, so it comes first).
const OTHER_ENCODINGS: [(&[u8], &str); 4] = [
    (&[0xFF, 0xFE, 0, 0], "UTF-32LE"),
    (&[0, 0, 0xFE, 0xFF], "UTF-32BE"),
    (&[0xFF, 0xFE], "UTF-16LE"),
    (&[0xFE, 0xFF], "UTF-16BE"),
];

/// Whether bytes can be read as text: not UTF-16 or UTF-32 (named by their byte-order
/// mark rather than called binary), no NUL byte, valid UTF-8.
pub fn check_text(bytes: &[u8]) -> Result<(), InputError> {
    if let Some((_, encoding)) = OTHER_ENCODINGS
        .iter()
        .find(|(bom, _)| bytes.starts_with(bom))
    {
        return Err(InputError::Encoding { encoding });
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(InputError::Binary { offset });
    }
    std::str::from_utf8(bytes)
        .map(|_| ())
        .map_err(|e| InputError::InvalidUtf8 {
            offset: e.valid_up_to(),
        })
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

pub(crate) fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.start + slice.trim_end().len();
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn a_format_is_named_in_json_as_on_the_command_line() {
        for format in Format::value_variants() {
            let cli_name = format.to_possible_value().unwrap().get_name().to_owned();
            assert_eq!(serde_json::to_value(format).unwrap(), cli_name);
        }
    }

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
    fn other_encodings_are_named_by_their_byte_order_mark() {
        let cases: [(&[u8], &str); 4] = [
            (b"\xFF\xFE<\0x\0", "UTF-16LE"),
            (b"\xFE\xFF\0<\0x", "UTF-16BE"),
            (b"\xFF\xFE\0\0<\0\0\0", "UTF-32LE"),
            (b"\0\0\xFE\xFF\0\0\0<", "UTF-32BE"),
        ];
        for format in [Format::Xliff, Format::Text] {
            for (bytes, encoding) in cases {
                let err = Document::from_bytes(bytes.to_vec(), format).unwrap_err();
                assert_eq!(err, InputError::Encoding { encoding });
            }
        }
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
