//! "Add the pair to a glossary file": the reviewed phrase and its replacement become a line of
//! a user glossary (`bad, good, category, note`, the format `checks::glossary` reads),
//! checked with the glossary's own parser before it is queued and appended atomically on save.

use crate::checks::glossary::parse_glossary;
use crate::finding::Category;
use crate::write::{write_atomic, WriteError};
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq)]
pub struct GlossaryAddition {
    pub file: PathBuf,
    pub bad: String,
    pub good: String,
    pub category: Category,
    pub note: String,
}

impl GlossaryAddition {
    pub fn new(file: &Path, bad: &str, good: &str, category: Category, note: &str) -> Self {
        let clean = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        GlossaryAddition {
            file: file.to_owned(),
            bad: clean(bad),
            good: clean(good),
            category,
            note: clean(note),
        }
    }

    fn line(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}\n",
            self.bad, self.good, self.category, self.note
        )
    }
}

fn read_existing(file: &Path) -> io::Result<Option<Vec<u8>>> {
    match crate::input::file::read(file) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// The file's text with `additions` appended (a missing final newline is supplied).
fn appended(existing: &[u8], additions: &[&GlossaryAddition]) -> Vec<u8> {
    let mut out = existing.to_vec();
    if !out.is_empty() && !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    for a in additions {
        out.extend_from_slice(a.line().as_bytes());
    }
    out
}

/// Checks that `new`, appended after the file's current lines and the additions already
/// queued for it, still makes a valid glossary: words only, `good` differs from `bad`, no
/// duplicate entry. The message says why not.
pub fn validate(new: &GlossaryAddition, queued: &[GlossaryAddition]) -> Result<(), String> {
    let name = new.file.display().to_string();
    let existing = read_existing(&new.file)
        .map_err(|e| format!("{name}: {e}"))?
        .unwrap_or_default();
    let mut pending: Vec<&GlossaryAddition> =
        queued.iter().filter(|q| q.file == new.file).collect();
    pending.push(new);
    let text = String::from_utf8(appended(&existing, &pending))
        .map_err(|_| format!("{name}: not UTF-8 text"))?;
    parse_glossary(&text, &name)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Appends every queued addition to its file, each file written atomically and only if no one
/// changed it since it was read here.
pub fn append_all(additions: &[GlossaryAddition]) -> Result<(), WriteError> {
    let mut files: Vec<&Path> = additions.iter().map(|a| a.file.as_path()).collect();
    files.sort();
    files.dedup();
    for file in files {
        let existing = read_existing(file).map_err(|source| WriteError::Io {
            path: file.to_owned(),
            source,
        })?;
        let mine: Vec<&GlossaryAddition> = additions.iter().filter(|a| a.file == file).collect();
        let bytes = appended(existing.as_deref().unwrap_or_default(), &mine);
        write_atomic(file, &bytes, Some(existing.as_deref().unwrap_or_default()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::glossary::load_user_glossary;

    #[test]
    fn appends_valid_lines_and_refuses_bad_ones() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("house.tsv");
        std::fs::write(
            &file,
            "# house terms\ncounterfeit consciousness\tartificial intelligence\tterminology",
        )
        .unwrap();
        let add = GlossaryAddition::new(
            &file,
            "forced\ndownsizing",
            "forced landing",
            Category::Mistranslation,
            "from review",
        );
        validate(&add, &[]).unwrap();
        let again = validate(&add, std::slice::from_ref(&add)).unwrap_err();
        assert!(again.contains("duplicate entry"), "{again}");
        let punct = GlossaryAddition::new(&file, "x, y", "z", Category::Style, "");
        assert!(validate(&punct, &[]).unwrap_err().contains("only words"));

        append_all(&[add]).unwrap();
        let entries = load_user_glossary(&file).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].bad, "forced downsizing");
        assert_eq!(entries[1].good, ["forced landing"]);
    }

    #[test]
    fn creates_a_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("new.tsv");
        let add = GlossaryAddition::new(&file, "a b", "c", Category::Style, "n");
        validate(&add, &[]).unwrap();
        append_all(&[add]).unwrap();
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "a b\tc\tstyle\tn\n"
        );
    }
}
