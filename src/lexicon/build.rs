//! Packs the lexicon source text (written by tools/lexicon/extract.py) into the binary layout
//! of `format.rs`. Linguistic choices are made by the extractor; this only lays out bytes, so
//! the same source always gives the same bytes.
//!
//! Source lines, tab-separated:
//! ```text
//! w  WORD  POS-BITS  LEVEL  FAMILY-WORD-or-empty
//! a  FORM  LEMMA  POS-BIT  KIND        FORM inflects LEMMA (KIND = Inflection as u8)
//! s  WORD  SYN:BITS|SYN:BITS…          BITS: 2 = strong link, 1 = tight (see format.rs)
//! ```
//! Lines starting with '#' and blank lines are ignored. Every word a line names needs a `w` line.

use std::collections::BTreeMap;

use super::format::{self, write_varint, LexiconError, HEADER_LEN, MAGIC, SECTIONS};
use super::pos::PosSet;
use super::Inflection;

#[derive(Default)]
struct Entry {
    pos: u16,
    level: u8,
    family: Option<String>,
    analyses: Vec<(u32, u8)>,
    forms: Vec<(u32, u8)>,
    synonyms: Vec<(u32, u8)>,
}

fn err(line: usize, what: impl Into<String>) -> LexiconError {
    LexiconError::Source {
        line,
        what: what.into(),
    }
}

fn field<'a>(fields: &[&'a str], i: usize, line: usize) -> Result<&'a str, LexiconError> {
    fields
        .get(i)
        .copied()
        .ok_or_else(|| err(line, format!("missing field {}", i + 1)))
}

fn number<T: std::str::FromStr>(text: &str, line: usize) -> Result<T, LexiconError> {
    text.parse()
        .map_err(|_| err(line, format!("not a number: {text:?}")))
}

/// Packs lexicon source text into lexicon bytes.
pub fn pack(source: &str) -> Result<Vec<u8>, LexiconError> {
    let lines: Vec<(usize, Vec<&str>)> = source
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .map(|(i, l)| (i + 1, l.split('\t').collect()))
        .collect();

    // Pass 1: the words, in byte order, which is also id order and the fst's insertion order.
    let mut entries: BTreeMap<&str, Entry> = BTreeMap::new();
    for (ln, f) in &lines {
        if f[0] != "w" {
            continue;
        }
        let word = field(f, 1, *ln)?;
        if word.is_empty() || word.len() > 255 || word.contains(['\t', '|']) {
            return Err(err(*ln, format!("unusable word {word:?}")));
        }
        let family = field(f, 4, *ln).unwrap_or("");
        let entry = Entry {
            pos: number(field(f, 2, *ln)?, *ln)?,
            level: number(field(f, 3, *ln)?, *ln)?,
            family: (!family.is_empty()).then(|| family.to_string()),
            ..Entry::default()
        };
        if entries.insert(word, entry).is_some() {
            return Err(err(*ln, format!("duplicate word {word:?}")));
        }
    }
    let ids: BTreeMap<&str, u32> = entries
        .keys()
        .enumerate()
        .map(|(i, w)| (*w, i as u32))
        .collect();
    let id_of = |word: &str, ln: usize| {
        ids.get(word)
            .copied()
            .ok_or_else(|| err(ln, format!("{word:?} has no w line")))
    };

    // Pass 2: links between words.
    let mut analyses: Vec<(u32, u32, u8)> = Vec::new();
    let mut synonyms: Vec<(u32, Vec<(u32, u8)>)> = Vec::new();
    for (ln, f) in &lines {
        match f[0] {
            "w" => {}
            "a" => {
                let form = id_of(field(f, 1, *ln)?, *ln)?;
                let lemma = id_of(field(f, 2, *ln)?, *ln)?;
                let pos = PosSet(number(field(f, 3, *ln)?, *ln)?);
                let kind: u8 = number(field(f, 4, *ln)?, *ln)?;
                let index = pos
                    .open_index()
                    .ok_or_else(|| err(*ln, "an inflection needs one open class"))?;
                if Inflection::from_u8(kind).is_none() {
                    return Err(err(*ln, format!("unknown inflection kind {kind}")));
                }
                analyses.push((form, lemma, index << 4 | kind));
            }
            "s" => {
                let word = id_of(field(f, 1, *ln)?, *ln)?;
                let mut list = Vec::new();
                for item in field(f, 2, *ln)?.split('|').filter(|s| !s.is_empty()) {
                    let (syn, bits) = item
                        .rsplit_once(':')
                        .ok_or_else(|| err(*ln, format!("synonym without bits: {item:?}")))?;
                    let bits: u8 = number(bits, *ln)?;
                    if bits > 3 {
                        return Err(err(*ln, format!("synonym bits out of range: {item:?}")));
                    }
                    list.push((id_of(syn, *ln)?, bits));
                }
                synonyms.push((word, list));
            }
            other => return Err(err(*ln, format!("unknown line type {other:?}"))),
        }
    }

    let mut by_id: Vec<Entry> = entries.into_values().collect();
    for (form, lemma, packed) in analyses {
        by_id[form as usize].analyses.push((lemma, packed));
        by_id[lemma as usize].forms.push((form, packed));
    }
    for (word, list) in synonyms {
        by_id[word as usize].synonyms.extend(list);
    }

    // Sections.
    let mut fst_builder = fst::MapBuilder::memory();
    for (word, id) in &ids {
        fst_builder.insert(word, u64::from(*id))?;
    }
    let fst_bytes = fst_builder.into_inner()?;
    let mut pos = Vec::with_capacity(by_id.len() * 2);
    let mut level = Vec::with_capacity(by_id.len());
    let mut offsets = Vec::with_capacity((by_id.len() + 1) * 4);
    let mut records = Vec::new();
    for ((word, _), entry) in ids.iter().zip(by_id.iter_mut()) {
        pos.extend_from_slice(&entry.pos.to_le_bytes());
        level.push(entry.level);
        offsets.extend_from_slice(&(records.len() as u32).to_le_bytes());
        records.push(word.len() as u8);
        records.extend_from_slice(word.as_bytes());
        // analyses by lemma; forms by (class, kind, form) so inflections() lists them in order
        entry.analyses.sort_unstable();
        entry.analyses.dedup();
        entry
            .forms
            .sort_unstable_by_key(|&(id, packed)| (packed, id));
        entry.forms.dedup();
        for list in [&entry.analyses, &entry.forms] {
            write_varint(&mut records, list.len() as u64);
            for &(id, packed) in list.iter() {
                write_varint(&mut records, u64::from(id));
                records.push(packed);
            }
        }
        let family =
            match &entry.family {
                Some(rep) => {
                    u64::from(ids.get(rep.as_str()).copied().ok_or_else(|| {
                        err(0, format!("family {rep:?} of {word:?} has no w line"))
                    })?) + 1
                }
                None => 0,
            };
        write_varint(&mut records, family);
        entry.synonyms.sort_unstable();
        entry.synonyms.dedup_by_key(|s| s.0);
        write_varint(&mut records, entry.synonyms.len() as u64);
        let mut prev = 0u32;
        for &(id, bits) in &entry.synonyms {
            write_varint(&mut records, u64::from(id - prev) << 2 | u64::from(bits));
            prev = id;
        }
    }
    offsets.extend_from_slice(&(records.len() as u32).to_le_bytes());

    let sections: [&[u8]; SECTIONS] = [&fst_bytes, &pos, &level, &offsets, &records];
    let mut out = Vec::with_capacity(HEADER_LEN + sections.iter().map(|s| s.len()).sum::<usize>());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(by_id.len() as u32).to_le_bytes());
    let mut at = HEADER_LEN;
    for s in sections {
        out.extend_from_slice(&(at as u32).to_le_bytes());
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        at += s.len();
    }
    for s in sections {
        out.extend_from_slice(s);
    }
    if out.len() > u32::MAX as usize {
        return Err(LexiconError::Truncated("lexicon larger than 4 GiB"));
    }
    debug_assert_eq!(format::read_u32(&out, 8), Some(by_id.len() as u32));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_deterministically() {
        let src = "w\tb\t1\t10\t\nw\ta\t2\t20\t\ns\ta\tb:2\n";
        assert_eq!(pack(src).unwrap(), pack(src).unwrap());
    }

    #[test]
    fn rejects_bad_sources() {
        for (src, needle) in [
            ("w\ta\t1\t10\t\nw\ta\t1\t10\t\n", "duplicate"),
            ("w\ta\t1\t10\t\ns\ta\tb:2\n", "no w line"),
            ("w\ta\tx\t10\t\n", "not a number"),
            (
                "w\ta\t1\t10\t\nw\tb\t1\t10\t\na\ta\tb\t3\t1\n",
                "one open class",
            ),
            ("w\ta\t1\t10\t\nw\tb\t1\t10\t\na\ta\tb\t1\t9\n", "kind"),
            ("w\ta\t1\t10\t\ns\ta\ta:7\n", "bits"),
            ("x\ta\n", "line type"),
            ("w\ta\t1\t10\tzz\n", "family"),
        ] {
            let e = pack(src).unwrap_err().to_string();
            assert!(e.contains(needle), "{src:?}: {e}");
        }
    }
}
