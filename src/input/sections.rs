//! A large plain-text input read as consecutive sections, so that auditing it needs memory
//! for a few sections, not for the whole file. Sections end at a paragraph break where one
//! is near, else at a line break, else at a space: the fewer sentences a cut splits, the
//! better.

use crate::audit::SectionOrigin;
use std::io::{self, Read};

/// Inputs up to this size are one section, audited exactly as a whole file.
pub const WHOLE_UP_TO: usize = 8 << 20;

/// The size a section is cut at, in bytes, once an input is larger than `WHOLE_UP_TO`: a
/// section being audited holds tens of times its size, once per thread.
pub const SECTION_BYTES: usize = 1 << 18;

/// One section: its bytes and where they begin in the input.
#[derive(Debug)]
pub struct Section {
    pub bytes: Vec<u8>,
    pub origin: SectionOrigin,
}

/// An input's sections, in order.
pub struct Sections<R> {
    reader: R,
    /// Bytes read past the last cut: the start of the next section.
    carry: Vec<u8>,
    origin: SectionOrigin,
    section_bytes: usize,
    whole_up_to: usize,
    started: bool,
    eof: bool,
}

impl<R: Read> Sections<R> {
    pub fn new(reader: R) -> Sections<R> {
        Sections::with_sizes(reader, SECTION_BYTES, WHOLE_UP_TO)
    }

    /// Sections cut at `section_bytes` once the input exceeds `whole_up_to` (tests use small
    /// sizes to exercise the cuts).
    pub fn with_sizes(reader: R, section_bytes: usize, whole_up_to: usize) -> Sections<R> {
        Sections {
            reader,
            carry: Vec::new(),
            origin: SectionOrigin::default(),
            section_bytes: section_bytes.max(1),
            whole_up_to: whole_up_to.max(section_bytes),
            started: false,
            eof: false,
        }
    }

    /// Reads until the carried bytes reach `want` or the input ends.
    fn fill(&mut self, want: usize) -> io::Result<()> {
        if self.carry.len() < want && !self.eof {
            let missing = want - self.carry.len();
            // Exactly what is wanted: reading to the end would double the buffer.
            self.carry.reserve_exact(missing);
            let read = (&mut self.reader)
                .take(missing as u64)
                .read_to_end(&mut self.carry)?;
            self.eof = read < missing;
        }
        Ok(())
    }

    fn next_section(&mut self) -> io::Result<Option<Section>> {
        let first = !self.started;
        self.started = true;
        // The first read decides whether the input is small enough to be one section.
        self.fill(if first {
            self.whole_up_to + 1
        } else {
            self.section_bytes
        })?;
        if self.carry.is_empty() && !first {
            return Ok(None);
        }
        let whole = self.eof && (first || self.carry.len() <= self.section_bytes);
        let cut = if whole {
            self.carry.len()
        } else {
            cut_point(&self.carry[..self.section_bytes.min(self.carry.len())])
        };
        // A section gets a buffer of its own size: the carry's, grown to the first read
        // (up to `whole_up_to`), would stay with every section while it waits its turn.
        let bytes = if cut == self.carry.len() {
            std::mem::take(&mut self.carry)
        } else {
            let bytes = self.carry[..cut].to_vec();
            self.carry.drain(..cut);
            self.carry
                .shrink_to(self.section_bytes.max(self.carry.len()));
            bytes
        };
        let origin = self.origin;
        self.origin = advance(origin, &bytes);
        Ok(Some(Section { bytes, origin }))
    }
}

impl<R: Read> Iterator for Sections<R> {
    type Item = io::Result<Section>;

    fn next(&mut self) -> Option<Self::Item> {
        let next = self.next_section();
        if next.is_err() {
            // An unreadable input ends its sections.
            self.eof = true;
            self.carry.clear();
            self.started = true;
        }
        next.transpose()
    }
}

/// Where the next section begins, once `bytes` are behind.
fn advance(origin: SectionOrigin, bytes: &[u8]) -> SectionOrigin {
    let (newlines, last_start) =
        crate::audit::line_starts(bytes).fold((0, None), |(n, _), start| (n + 1, Some(start)));
    let last_line = &bytes[last_start.unwrap_or(0)..];
    let characters = last_line.iter().filter(|&&b| b & 0xC0 != 0x80).count();
    SectionOrigin {
        offset: origin.offset + bytes.len(),
        line: origin.line + newlines,
        column: if newlines > 0 {
            characters
        } else {
            origin.column + characters
        },
    }
}

/// The length of the section to cut from `window`: after the last paragraph break in its
/// second half, else the last line break, else the last space, else the last character
/// boundary. Always at least one byte and never inside a UTF-8 character.
fn cut_point(window: &[u8]) -> usize {
    let half = window.len() / 2;
    let after_blank_line = window
        .windows(2)
        .rposition(|w| w == b"\n\n")
        .map(|i| i + 2)
        .or_else(|| {
            window
                .windows(3)
                .rposition(|w| w == b"\n\r\n")
                .map(|i| i + 3)
        });
    let after = |b: u8| window.iter().rposition(|&c| c == b).map(|i| i + 1);
    let cut = after_blank_line
        .filter(|&i| i > half)
        .or_else(|| after(b'\n').filter(|&i| i > half))
        .or_else(|| after(b' ').filter(|&i| i > half))
        .or_else(|| {
            window
                .iter()
                .rposition(|&b| b & 0xC0 != 0x80)
                .filter(|&i| i > 0)
        });
    cut.unwrap_or(window.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(text: &str, size: usize) -> Vec<Section> {
        Sections::with_sizes(text.as_bytes(), size, size)
            .collect::<io::Result<_>>()
            .unwrap()
    }

    #[test]
    fn a_small_input_is_one_section() {
        let got = sections("One.\n\nTwo.\n", 64);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].bytes, b"One.\n\nTwo.\n");
        assert_eq!(got[0].origin, SectionOrigin::default());
    }

    #[test]
    fn an_empty_input_is_one_empty_section() {
        let got = sections("", 64);
        assert_eq!(got.len(), 1);
        assert!(got[0].bytes.is_empty());
    }

    #[test]
    fn cuts_at_paragraph_breaks_and_keeps_every_byte() {
        let text = "First paragraph here.\n\nSecond one is longer.\n\nThird.\n".repeat(5);
        let got = sections(&text, 40);
        assert!(got.len() > 3);
        let joined: Vec<u8> = got.iter().flat_map(|s| s.bytes.clone()).collect();
        assert_eq!(joined, text.as_bytes());
        for s in &got[..got.len() - 1] {
            assert!(
                s.bytes.ends_with(b"\n\n"),
                "{:?}",
                String::from_utf8_lossy(&s.bytes)
            );
        }
    }

    #[test]
    fn origins_count_bytes_lines_and_columns() {
        let text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu";
        let got = sections(text, 16);
        let mut offset = 0;
        for s in &got {
            assert_eq!(s.origin.offset, offset);
            assert_eq!(s.origin.line, 0);
            assert_eq!(s.origin.column, text[..offset].chars().count());
            offset += s.bytes.len();
        }
        assert_eq!(offset, text.len());
        let lines = sections("ab\ncd\nef\ngh\n", 4);
        assert_eq!(lines[1].origin.line, 1);
        assert_eq!(lines[1].origin.column, 0);
    }

    #[test]
    fn never_cuts_inside_a_character() {
        let text = "éééééééééééééééééééééééééééééé";
        for s in sections(text, 7) {
            assert!(std::str::from_utf8(&s.bytes).is_ok());
        }
    }
}
