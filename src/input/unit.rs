//! Translation units of bilingual files, and the prose view their readers build: only the
//! audited targets are prose, escapes decoded in place, everything else blank.

use super::host::Host;
use super::{trim_range, Document, Format};
use crate::suppress::Comment;
use std::ops::Range;

/// One translation unit (segment) of a bilingual file, as its checks see it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unit {
    /// The unit's id (XLIFF `id`, TMX `tuid`, PO `msgctxt`, a TSV `id` column), if any.
    pub id: Option<String>,
    /// The source text, decoded, without inline codes; `None` when only English is present.
    pub source: Option<String>,
    /// The target text, decoded, without inline codes (the audited block, unpadded).
    pub target: String,
    /// Inline codes (XLIFF/TMX tags) of the source, in order.
    pub source_codes: Vec<Code>,
    /// Inline codes of the target, in order; their spans point into the file.
    pub target_codes: Vec<Code>,
    /// Comments and notes attached to the unit (PO `#` comments, XLIFF `<note>`).
    pub notes: Vec<String>,
    /// Where each run of `target` lies in the file.
    target_map: Vec<Mapped>,
}

/// A unit whose source was never translated: an empty PO `msgstr`, an XLIFF unit without a
/// (non-empty) `<target>`. It has no prose to audit; the `missing-translation` rule reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingTarget {
    /// The unit's id, as for `Unit::id`.
    pub id: Option<String>,
    /// The source text, decoded.
    pub source: String,
    /// Where the source text lies in the file.
    pub span: Range<usize>,
}

/// A run of decoded text: `decoded` bytes of the target stand for bytes `file` of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Mapped {
    decoded: Range<usize>,
    file: Range<usize>,
}

impl Unit {
    /// The file span of bytes `range` of `target` (an escape is taken whole).
    pub fn target_span(&self, range: Range<usize>) -> Range<usize> {
        let file_offset = |offset: usize, end: bool| -> usize {
            let i = self.target_map.partition_point(|m| {
                if end {
                    m.decoded.end < offset
                } else {
                    m.decoded.end <= offset
                }
            });
            match self.target_map.get(i) {
                None => self.target_map.last().map_or(0, |m| m.file.end),
                Some(m) if m.decoded.len() == m.file.len() => {
                    m.file.start + (offset - m.decoded.start).min(m.file.len())
                }
                Some(m) if offset <= m.decoded.start => m.file.start,
                Some(m) => m.file.end,
            }
        };
        let start = file_offset(range.start, false);
        start..file_offset(range.end, true).max(start)
    }
}

/// An inline code such as XLIFF `<g id="1">`, `<x id="2"/>` or `<ph>…</ph>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    /// Element name without namespace prefix (`g`, `x`, `bpt`, `ph`, `pc`, …).
    pub name: String,
    pub id: Option<String>,
    /// The code's bytes in the file (an opening and its closing tag are separate codes).
    pub span: Range<usize>,
    /// True for a closing tag (`</g>`, `</pc>`).
    pub closing: bool,
}

impl Code {
    /// What must match between source and target: name, id and direction.
    pub fn key(&self) -> String {
        let slash = if self.closing { "/" } else { "" };
        match &self.id {
            Some(id) => format!("<{slash}{} id={id}>", self.name),
            None => format!("<{slash}{}>", self.name),
        }
    }
}

/// Text of one element or string as a reader saw it: runs kept from the file and escapes
/// decoded in place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Content {
    pub pieces: Vec<Piece>,
    pub codes: Vec<Code>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Bytes of the file that are prose as they stand.
    Keep(Range<usize>),
    /// An escape (`&amp;`, `\"`, `""`) standing for one character.
    Decode(Range<usize>, char),
}

impl Content {
    pub fn keep(&mut self, range: Range<usize>) {
        if !range.is_empty() {
            self.pieces.push(Piece::Keep(range));
        }
    }

    pub fn decode(&mut self, range: Range<usize>, c: char) {
        self.pieces.push(Piece::Decode(range, c));
    }

    /// The decoded text.
    pub fn text(&self, file: &str) -> String {
        self.decoded(file).0
    }

    /// The decoded text and where each of its runs lies in the file.
    fn decoded(&self, file: &str) -> (String, Vec<Mapped>) {
        let mut out = String::new();
        let mut map = Vec::new();
        for piece in &self.pieces {
            let start = out.len();
            let range = match piece {
                Piece::Keep(r) => {
                    out.push_str(&file[r.clone()]);
                    r
                }
                Piece::Decode(r, c) => {
                    out.push(*c);
                    r
                }
            };
            map.push(Mapped {
                decoded: start..out.len(),
                file: range.clone(),
            });
        }
        (out, map)
    }

    /// Where the content sits in the file, from its first to its last piece.
    fn span(&self) -> Option<Range<usize>> {
        let range = |p: &Piece| match p {
            Piece::Keep(r) | Piece::Decode(r, _) => r.clone(),
        };
        Some(range(self.pieces.first()?).start..range(self.pieces.last()?).end)
    }
}

/// What a bilingual reader returns: each audited target with its unit.
#[derive(Debug, Default)]
pub(crate) struct Read {
    pub targets: Vec<(Content, Unit)>,
    pub missing: Vec<MissingTarget>,
}

impl Read {
    /// Adds a unit whose audited text is `target` and whose source (if any) is `source`.
    pub fn push(
        &mut self,
        file: &str,
        target: Content,
        source: Option<&Content>,
        id: Option<String>,
        notes: Vec<String>,
    ) {
        let (text, target_map) = target.decoded(file);
        let unit = Unit {
            id,
            source: source.map(|s| s.text(file)),
            target: text,
            source_codes: source.map(|s| s.codes.clone()).unwrap_or_default(),
            target_codes: target.codes.clone(),
            notes,
            target_map,
        };
        self.targets.push((target, unit));
    }

    /// Records a unit whose `source` has no translation (an empty source has nothing to miss).
    pub fn push_missing(&mut self, file: &str, source: &Content, id: Option<String>) {
        let text = source.text(file);
        if let (Some(span), false) = (source.span(), text.trim().is_empty()) {
            self.missing.push(MissingTarget {
                id,
                source: text,
                span,
            });
        }
    }

    /// Builds the document: prose is blank except the targets, one block per target.
    pub fn into_document(self, text: String, format: Format) -> Document {
        let mut prose: Vec<u8> = text
            .bytes()
            .map(|b| if b == b'\n' || b == b'\r' { b } else { b' ' })
            .collect();
        let mut escapes = Vec::new();
        let mut placed = Vec::new();
        for (content, unit) in self.targets {
            for piece in &content.pieces {
                match piece {
                    Piece::Keep(r) => prose[r.clone()].copy_from_slice(&text.as_bytes()[r.clone()]),
                    Piece::Decode(r, c) => {
                        let mut buf = [0u8; 4];
                        let encoded = c.encode_utf8(&mut buf).as_bytes();
                        // A decoded character is never longer than its escape.
                        if encoded.len() <= r.len() {
                            prose[r.start..r.start + encoded.len()].copy_from_slice(encoded);
                            escapes.push(r.clone());
                        }
                    }
                }
            }
            if let Some(span) = content.span() {
                placed.push((span, unit));
            }
        }
        escapes.sort_by_key(|r| r.start);
        // Pieces lie on character boundaries, so this cannot fail; never panic on input.
        let prose = String::from_utf8(prose).unwrap_or_else(|e| " ".repeat(e.as_bytes().len()));
        placed.sort_by_key(|(span, _)| span.start);
        let mut blocks = Vec::new();
        let mut units = Vec::new();
        for (span, unit) in placed {
            if prose
                .get(span.clone())
                .is_some_and(|t| !t.trim().is_empty())
            {
                blocks.push(trim_range(&prose, span));
                units.push(unit);
            }
        }
        Document {
            text,
            prose,
            blocks,
            units,
            missing: self.missing,
            host: Host::new(format, escapes),
        }
    }
}

impl Document {
    /// Suppressions written in the units' comments and notes (PO `#` comments, XLIFF and TMX
    /// `<note>`), as comments for `suppress`: in a bilingual file, `mtaudit-disable-line`,
    /// `mtaudit-disable-next-line` and `mtaudit-disable` in a unit's note all cover exactly
    /// that unit's target (a disable/enable pair at the target's ends).
    pub fn unit_comments(&self) -> Vec<Comment> {
        let mut comments = Vec::new();
        for (unit, block) in self.units.iter().zip(&self.blocks) {
            for note in &unit.notes {
                let note = note.trim();
                let (word, rules) = note.split_once(char::is_whitespace).unwrap_or((note, ""));
                if !matches!(
                    word,
                    "mtaudit-disable-line" | "mtaudit-disable-next-line" | "mtaudit-disable"
                ) {
                    continue;
                }
                comments.push(Comment {
                    span: block.start..block.start,
                    text: format!("mtaudit-disable {rules}"),
                });
                comments.push(Comment {
                    span: block.end..block.end,
                    text: "mtaudit-enable".into(),
                });
            }
        }
        comments
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_become_blocks_with_escapes_decoded_in_place() {
        let text = "<t>A &amp; B</t><s>x</s>";
        let mut target = Content::default();
        target.keep(3..5);
        target.decode(5..10, '&');
        target.keep(10..12);
        let mut read = Read::default();
        read.push(text, target, None, Some("1".into()), vec![]);
        let doc = read.into_document(text.into(), Format::Xliff);
        assert_eq!(doc.prose.len(), text.len());
        assert_eq!(&doc.prose[doc.blocks[0].clone()], "A &     B");
        assert_eq!(doc.units[0].target, "A & B");
        assert_eq!(doc.units[0].id.as_deref(), Some("1"));
        let unit = &doc.units[0];
        assert_eq!(&text[unit.target_span(2..3)], "&amp;");
        assert_eq!(&text[unit.target_span(0..5)], "A &amp; B");
        assert_eq!(&text[unit.target_span(4..5)], "B");
    }
}
