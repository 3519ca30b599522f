//! The byte layout of `corpora/lexicon/lexicon.bin`, shared by the reader and the builder.
//!
//! All integers little-endian; nothing needs alignment, so the file can be embedded with
//! `include_bytes!` and read in place.
//!
//! ```text
//! header   magic "MTLEX\0v1" · n_words u32 · 5 × (offset u32, length u32) for the sections
//! FST      fst::Map: normalized word → id (ids are the words' byte order, 0..n)
//! POS      u16 × n        PosSet bits per id
//! LEVEL    u8 × n         SCOWL size the word first appears in (10 common … 95 rare), 255 unknown
//! OFFSETS  u32 × (n+1)    record i is RECORDS[OFFSETS[i]..OFFSETS[i+1]]
//! RECORDS  per id:
//!          u8 len · word bytes (UTF-8)
//!          varint count · count × (varint lemma id · u8 open-class index << 4 | inflection kind)
//!          varint count · count × (varint form id  · u8 open-class index << 4 | inflection kind)
//!          varint family (0 = the word itself, else id + 1 of the family's representative)
//!          varint count · count × varint((id delta << 2) | strong << 1 | tight)
//! ```
//! Synonym ids ascend, so they are stored as deltas from the previous id (the first from 0);
//! the two low bits carry what the reader needs to rank them (see `Lexicon::synonyms`).

use thiserror::Error;

pub const MAGIC: &[u8; 8] = b"MTLEX\0v1";
pub const SECTIONS: usize = 5;
pub const HEADER_LEN: usize = 8 + 4 + SECTIONS * 8;
pub const SEC_FST: usize = 0;
pub const SEC_POS: usize = 1;
pub const SEC_LEVEL: usize = 2;
pub const SEC_OFFSETS: usize = 3;
pub const SEC_RECORDS: usize = 4;
/// The level of a word no SCOWL list holds.
pub const UNKNOWN_LEVEL: u8 = 255;

/// Why lexicon bytes were rejected.
#[derive(Debug, Error)]
pub enum LexiconError {
    #[error("not an mtaudit lexicon (bad magic or version)")]
    BadMagic,
    #[error("lexicon truncated: {0}")]
    Truncated(&'static str),
    #[error("lexicon section {0} lies outside the data")]
    SectionOutOfBounds(usize),
    #[error("lexicon word map is invalid: {0}")]
    Fst(#[from] fst::Error),
    #[error("lexicon record {id} is corrupt: {what}")]
    Corrupt { id: u32, what: &'static str },
    #[error("lexicon source line {line}: {what}")]
    Source { line: usize, what: String },
}

/// Reads the little-endian u32 at `at`, if the bytes are there.
pub fn read_u32(data: &[u8], at: usize) -> Option<u32> {
    let bytes = data.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(bytes.try_into().ok()?))
}

/// Reads the little-endian u16 at `at`, if the bytes are there.
pub fn read_u16(data: &[u8], at: usize) -> Option<u16> {
    let bytes = data.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes(bytes.try_into().ok()?))
}

/// Appends `value` as LEB128 (7 bits a byte, low first).
pub fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// A forward reader over one record; every read is checked, so corrupt bytes end a walk with
/// `None` instead of a panic.
#[derive(Clone)]
pub struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Cursor { data, pos: 0 }
    }

    pub fn byte(&mut self) -> Option<u8> {
        let b = *self.data.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    pub fn bytes(&mut self, len: usize) -> Option<&'a [u8]> {
        let slice = self.data.get(self.pos..self.pos.checked_add(len)?)?;
        self.pos += len;
        Some(slice)
    }

    pub fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None // more than 10 bytes: not a varint we wrote
    }

    pub fn at_end(&self) -> bool {
        self.pos == self.data.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varint_round_trip() {
        let values = [
            0u64,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            u32::MAX as u64,
            u64::MAX,
        ];
        let mut buf = Vec::new();
        for &v in &values {
            write_varint(&mut buf, v);
        }
        let mut cur = Cursor::new(&buf);
        for &v in &values {
            assert_eq!(cur.varint(), Some(v));
        }
        assert!(cur.at_end());
        assert_eq!(cur.varint(), None);
    }

    #[test]
    fn truncated_reads_are_none() {
        assert_eq!(Cursor::new(&[0x80, 0x80]).varint(), None);
        assert_eq!(Cursor::new(&[0xff; 11]).varint(), None);
        assert_eq!(Cursor::new(&[1, 2]).bytes(3), None);
        assert_eq!(read_u32(&[1, 2, 3], 0), None);
        assert_eq!(read_u16(&[1, 2, 3], 1), Some(0x0302));
        assert_eq!(read_u32(&[0; 4], usize::MAX), None);
    }
}
