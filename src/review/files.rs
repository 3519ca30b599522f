//! The review's file work: open (read, audit, read the review file), save (the document, any
//! glossary lines, the review file — each atomically) and reload after a conflict.

use super::glossary::append_all;
use super::session::Session;
use super::sidecar::{ReviewFile, SidecarError};
use crate::audit::FileReport;
use crate::input::InputError;
use crate::score::Weights;
use crate::write::{write_atomic_with, WriteError, WritePolicy};
use std::path::{Path, PathBuf};

/// Audits a document's bytes, with the checks and settings in force for it.
pub type AuditFn = Box<dyn Fn(&Path, Vec<u8>) -> Result<FileReport, InputError>>;

/// A document under review and the files around it.
pub struct Review {
    pub session: Session,
    pub sidecar: PathBuf,
    audit: AuditFn,
    weights: Weights,
    /// The bytes the document holds on disk as far as we know: what was read, or last written.
    on_disk: Vec<u8>,
    /// How the document may be written (`--force`: read-only, hard links).
    pub policy: WritePolicy,
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {source}; mtaudit reviews UTF-8 text")]
    Input { path: String, source: InputError },
    #[error(transparent)]
    Sidecar(#[from] SidecarError),
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// Replacements applied to the document.
    pub edits: usize,
    /// False when the document already held exactly the saved text (it is not rewritten).
    pub document_written: bool,
    pub glossary_lines: usize,
}

fn read(path: &Path) -> Result<Vec<u8>, OpenError> {
    crate::input::file::read(path).map_err(|source| OpenError::Read {
        path: path.display().to_string(),
        source,
    })
}

impl Review {
    pub fn open(
        path: &Path,
        audit: AuditFn,
        weights: Weights,
        sidecar: PathBuf,
    ) -> Result<Review, OpenError> {
        super::sidecar::check_trusted(&sidecar, path)?;
        let earlier = ReviewFile::load(&sidecar)?;
        let bytes = read(path)?;
        let report = audit(path, bytes.clone()).map_err(|source| OpenError::Input {
            path: path.display().to_string(),
            source,
        })?;
        let session = Session::new(path, report, weights, earlier);
        Ok(Review {
            session,
            sidecar,
            audit,
            weights,
            on_disk: bytes,
            policy: WritePolicy::default(),
        })
    }

    /// Writes the document with every accepted replacement (only if that changes it, and only
    /// if no one changed it on disk since it was read), then queued glossary lines, then the
    /// review file. Nothing is half-written: each file is replaced by a rename.
    pub fn save(&mut self) -> Result<Saved, WriteError> {
        let path = self.session.path.clone();
        let text = self.session.new_text();
        let document_written = text.as_bytes() != self.on_disk.as_slice();
        if document_written {
            write_atomic_with(&path, text.as_bytes(), Some(&self.on_disk), self.policy)?;
            self.on_disk = text.into_bytes();
        }
        let glossary_lines = self.session.glossary_additions().len();
        append_all(self.session.glossary_additions())?;
        let file = self.session.review_file();
        file.save(&self.sidecar)?;
        self.session.mark_saved(file);
        Ok(Saved {
            edits: self.session.edits().len(),
            document_written,
            glossary_lines,
        })
    }

    /// One line saying what `save` did.
    pub fn describe(&self, saved: &Saved) -> String {
        let mut note = format!(
            "saved {}: {} edit{}",
            self.session.path.display(),
            saved.edits,
            crate::text::plural_s(saved.edits)
        );
        if !saved.document_written {
            note.push_str(" (file unchanged)");
        }
        if saved.glossary_lines > 0 {
            note.push_str(&format!(
                ", {} glossary line{} added",
                saved.glossary_lines,
                crate::text::plural_s(saved.glossary_lines)
            ));
        }
        note.push_str(&format!("; decisions in {}", self.sidecar.display()));
        note
    }

    /// Reads the document again (after someone changed it), audits it, and carries over every
    /// decision whose finding still has the same key. Returns how many were carried over.
    pub fn reload(&mut self) -> Result<usize, OpenError> {
        let path = self.session.path.clone();
        let bytes = read(&path)?;
        let report = (self.audit)(&path, bytes.clone()).map_err(|source| OpenError::Input {
            path: path.display().to_string(),
            source,
        })?;
        let carried = self.session.carry();
        let earlier = self.session.earlier().cloned();
        let session = Session::with_carried(&path, report, self.weights, earlier, carried);
        let kept = (0..session.items().len())
            .filter(|&i| session.decision(i).is_some())
            .count();
        self.session = session;
        self.on_disk = bytes;
        Ok(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Auditor;
    use crate::input::Format;
    use crate::review::session::Action;
    use crate::review::sidecar_path;

    const TEXT: &str = "Officials said the forced downsizing of the commercial flight had \
surprised everyone aboard the board.\n";

    fn open(path: &Path) -> Result<Review, OpenError> {
        let auditor = Auditor::default();
        let weights = auditor.config.weights;
        let audit: AuditFn = Box::new(move |p, bytes| {
            auditor.audit_bytes(&p.display().to_string(), bytes, Format::from_path(p))
        });
        Review::open(path, audit, weights, sidecar_path(path))
    }

    #[test]
    fn save_refuses_a_changed_file_and_reload_keeps_the_decisions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, TEXT).unwrap();
        let mut review = open(&path).unwrap();
        assert_eq!(review.session.items().len(), 2);
        review.session.execute(&Action::Accept).unwrap();
        review.session.execute(&Action::Reject).unwrap();
        let theirs = format!("A new first line.\n{TEXT}");
        std::fs::write(&path, &theirs).unwrap();
        assert!(matches!(review.save(), Err(WriteError::Changed { .. })));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
        assert!(
            !sidecar_path(&path).exists(),
            "nothing written on a conflict"
        );

        assert_eq!(review.reload().unwrap(), 2);
        let saved = review.save().unwrap();
        assert_eq!(saved.edits, 1);
        assert!(saved.document_written);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("A new first line.\nOfficials said the forced landing"));
        assert!(text.contains("aboard the board"));
        assert!(!review.session.is_dirty());
        // Saving again writes nothing new.
        assert!(!review.save().unwrap().document_written);
    }

    #[test]
    fn files_that_cannot_be_opened_are_errors_naming_them() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.txt");
        let e = open(&missing).err().unwrap().to_string();
        assert!(e.contains("missing.txt"), "{e}");
        let latin1 = dir.path().join("latin1.txt");
        std::fs::write(&latin1, b"caf\xe9").unwrap();
        let e = open(&latin1).err().unwrap().to_string();
        assert!(e.contains("latin1.txt") && e.contains("UTF-8"), "{e}");
    }
}
