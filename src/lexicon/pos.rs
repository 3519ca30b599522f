//! Parts of speech as a small bit set: a word form is often several at once ("run" is a noun and
//! a verb, "forced" a verb form and an adjective), and checks ask "can it be X?".

use std::fmt;
use std::ops::{BitAnd, BitOr, BitOrAssign};

/// A set of parts of speech. The bit values are part of the lexicon's data format
/// (tools/lexicon/extract.py writes them), so they never change meaning.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PosSet(pub u16);

impl PosSet {
    pub const EMPTY: PosSet = PosSet(0);
    pub const NOUN: PosSet = PosSet(1 << 0);
    pub const VERB: PosSet = PosSet(1 << 1);
    pub const ADJ: PosSet = PosSet(1 << 2);
    pub const ADV: PosSet = PosSet(1 << 3);
    pub const DET: PosSet = PosSet(1 << 4);
    pub const PREP: PosSet = PosSet(1 << 5);
    pub const PRON: PosSet = PosSet(1 << 6);
    pub const CONJ: PosSet = PosSet(1 << 7);
    pub const AUX: PosSet = PosSet(1 << 8);
    pub const PART: PosSet = PosSet(1 << 9);
    pub const NUM: PosSet = PosSet(1 << 10);
    /// A name: every source writes it capitalized ("Paris", "Belarus"). Common words that can
    /// also be names ("turkey", "bill") do not carry it.
    pub const PROPER: PosSet = PosSet(1 << 11);
    pub const INTJ: PosSet = PosSet(1 << 12);
    /// The open classes, where inflections and synonyms live.
    pub const OPEN: PosSet = PosSet(0b1111);

    const NAMES: [(&'static str, PosSet); 13] = [
        ("NOUN", Self::NOUN),
        ("VERB", Self::VERB),
        ("ADJ", Self::ADJ),
        ("ADV", Self::ADV),
        ("DET", Self::DET),
        ("PREP", Self::PREP),
        ("PRON", Self::PRON),
        ("CONJ", Self::CONJ),
        ("AUX", Self::AUX),
        ("PART", Self::PART),
        ("NUM", Self::NUM),
        ("PROPER", Self::PROPER),
        ("INTJ", Self::INTJ),
    ];

    pub const fn bits(self) -> u16 {
        self.0
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// True when every part of speech in `other` is in `self`.
    pub const fn contains(self, other: PosSet) -> bool {
        self.0 & other.0 == other.0
    }

    /// True when the two sets share at least one part of speech.
    pub const fn intersects(self, other: PosSet) -> bool {
        self.0 & other.0 != 0
    }

    /// The open-class part of speech for a 0..=3 index (the packed form used in the data).
    pub(crate) fn from_open_index(index: u8) -> PosSet {
        PosSet(1 << (index & 3))
    }

    /// The 0..=3 index of a single open class, if `self` is exactly one of them.
    pub(crate) fn open_index(self) -> Option<u8> {
        match self {
            Self::NOUN => Some(0),
            Self::VERB => Some(1),
            Self::ADJ => Some(2),
            Self::ADV => Some(3),
            _ => None,
        }
    }

    /// Parses "NOUN|VERB" (or comma-separated) names; None on an unknown name.
    pub fn parse(names: &str) -> Option<PosSet> {
        let mut set = PosSet::EMPTY;
        for name in names
            .split(['|', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            set |= Self::NAMES
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))?
                .1;
        }
        Some(set)
    }
}

impl BitOr for PosSet {
    type Output = PosSet;
    fn bitor(self, rhs: PosSet) -> PosSet {
        PosSet(self.0 | rhs.0)
    }
}

impl BitOrAssign for PosSet {
    fn bitor_assign(&mut self, rhs: PosSet) {
        self.0 |= rhs.0;
    }
}

impl BitAnd for PosSet {
    type Output = PosSet;
    fn bitand(self, rhs: PosSet) -> PosSet {
        PosSet(self.0 & rhs.0)
    }
}

impl fmt::Debug for PosSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// "NOUN|VERB"; the empty set prints as "-".
impl fmt::Display for PosSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (name, bit) in Self::NAMES {
            if self.contains(bit) {
                if !first {
                    f.write_str("|")?;
                }
                f.write_str(name)?;
                first = false;
            }
        }
        if first {
            f.write_str("-")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations() {
        let nv = PosSet::NOUN | PosSet::VERB;
        assert!(nv.contains(PosSet::VERB));
        assert!(!nv.contains(PosSet::VERB | PosSet::ADJ));
        assert!(nv.intersects(PosSet::VERB | PosSet::ADJ));
        assert_eq!(nv & PosSet::VERB, PosSet::VERB);
        assert!(PosSet::EMPTY.is_empty());
    }

    #[test]
    fn display_and_parse_round_trip() {
        let set = PosSet::DET | PosSet::PRON | PosSet::PROPER;
        assert_eq!(set.to_string(), "DET|PRON|PROPER");
        assert_eq!(PosSet::parse("DET|PRON|PROPER"), Some(set));
        assert_eq!(PosSet::parse("det, pron ,proper"), Some(set));
        assert_eq!(PosSet::parse("NOUNISH"), None);
        assert_eq!(PosSet::EMPTY.to_string(), "-");
    }

    #[test]
    fn open_index_round_trip() {
        for pos in [PosSet::NOUN, PosSet::VERB, PosSet::ADJ, PosSet::ADV] {
            assert_eq!(PosSet::from_open_index(pos.open_index().unwrap()), pos);
        }
        assert_eq!((PosSet::NOUN | PosSet::VERB).open_index(), None);
    }
}
