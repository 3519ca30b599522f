//! The review file beside the document (`.NAME.mtaudit-review.json`): versioned JSON holding
//! the decisions of earlier reviews, so a later review resumes and never asks again about a
//! rejected finding whose text is unchanged, and `check --review-file` hides what was rejected.

use super::key::FindingKey;
use crate::audit::{AuditConfig, FileReport};
use crate::finding::Finding;
use crate::write::{write_atomic_with, WriteError, WritePolicy};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The format version this build writes and reads.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Not reported again while the flagged text and its context are unchanged.
    Rejected,
    /// Applied to the document when it was saved; kept as a record only.
    Accepted,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    #[serde(flatten)]
    pub key: FindingKey,
    pub decision: Verdict,
    /// For an accepted finding: the text that replaced the flagged text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewFile {
    pub version: u32,
    /// The reviewed document's file name (informational).
    #[serde(default)]
    pub document: String,
    #[serde(default)]
    pub decisions: Vec<Recorded>,
    /// Rules switched off for this document.
    #[serde(default)]
    pub suppressed_rules: Vec<String>,
    /// The finding the review stopped at, where the next review starts.
    #[serde(default)]
    pub position: Option<FindingKey>,
}

#[derive(Debug, thiserror::Error)]
#[error("{path}: {problem}")]
pub struct SidecarError {
    pub path: PathBuf,
    pub problem: String,
}

/// `dir/a.txt` → `dir/.a.txt.mtaudit-review.json`, byte for byte: names that are not UTF-8
/// keep distinct review files.
pub fn sidecar_path(document: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(document.file_name().unwrap_or_default());
    name.push(".mtaudit-review.json");
    document.with_file_name(name)
}

/// Refuses a review file that someone else could have planted to have the review overwrite
/// another file: a symlink (never followed), or a file owned by neither this user nor the
/// document's owner. A missing review file is fine: the review creates it.
pub fn check_trusted(sidecar: &Path, document: &Path) -> Result<(), SidecarError> {
    use std::os::unix::fs::MetadataExt;
    let refuse = |problem: String| {
        Err(SidecarError {
            path: sidecar.to_owned(),
            problem,
        })
    };
    let meta = match std::fs::symlink_metadata(sidecar) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return refuse(e.to_string()),
    };
    if meta.file_type().is_symlink() {
        return refuse(
            "a symlink; a review file is never followed (remove it, or give --review-file)".into(),
        );
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    let document_owner = std::fs::metadata(document).map(|m| m.uid()).ok();
    if meta.uid() != me && Some(meta.uid()) != document_owner {
        return refuse(format!(
            "owned by user {}, neither you nor the document's owner; not trusted",
            meta.uid()
        ));
    }
    Ok(())
}

impl ReviewFile {
    pub fn new(document: &Path) -> ReviewFile {
        ReviewFile {
            version: VERSION,
            document: document
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            decisions: Vec::new(),
            suppressed_rules: Vec::new(),
            position: None,
        }
    }

    /// Reads a review file; `Ok(None)` when there is none yet (or it is empty). A file that cannot be read or
    /// parsed, or that a newer mtaudit wrote, is an error naming it (never silently dropped:
    /// the next save would overwrite the decisions it holds).
    pub fn load(path: &Path) -> Result<Option<ReviewFile>, SidecarError> {
        let error = |problem: String| SidecarError {
            path: path.to_owned(),
            problem,
        };
        let bytes = match crate::input::file::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(error(e.to_string())),
        };
        ReviewFile::from_bytes(&bytes).map_err(error)
    }

    /// Parses the bytes of a review file; `Ok(None)` when they are blank. The error says
    /// what is wrong (without the path, which `load` adds).
    pub fn from_bytes(bytes: &[u8]) -> Result<Option<ReviewFile>, String> {
        if bytes.trim_ascii().is_empty() {
            return Ok(None); // as a crash between creating and first writing it could leave
        }
        let file: ReviewFile = serde_json::from_slice(bytes).map_err(|e| {
            format!(
                "not a valid mtaudit review file ({e}); move it away to start the review afresh"
            )
        })?;
        if file.version != VERSION {
            return Err(format!(
                "review file version {} is not supported (this mtaudit reads version {VERSION})",
                file.version
            ));
        }
        Ok(Some(file))
    }

    /// Writes the review file atomically (temporary file + rename), never through a symlink.
    pub fn save(&self, path: &Path) -> Result<(), WriteError> {
        let mut json = serde_json::to_string_pretty(self).unwrap_or_default();
        json.push('\n');
        let policy = WritePolicy {
            follow_symlink: false,
            ..WritePolicy::default()
        };
        write_atomic_with(path, json.as_bytes(), None, policy)
    }

    pub fn rejected(&self) -> HashSet<&FindingKey> {
        self.decisions
            .iter()
            .filter(|d| d.decision == Verdict::Rejected)
            .map(|d| &d.key)
            .collect()
    }

    /// Hides from `report` what this review file rejected or suppressed, and scores it again
    /// (`check --review-file`).
    pub fn honour(&self, report: &mut FileReport, config: &AuditConfig) {
        let rejected = self.rejected();
        report.retain_findings(config, |text, f| !self.hides(&rejected, f, text));
    }

    /// What `check --review-file` honours: a finding in `text` that was rejected, or whose
    /// rule was suppressed, is not reported.
    pub fn hides(&self, rejected: &HashSet<&FindingKey>, finding: &Finding, text: &str) -> bool {
        self.suppressed_rules.iter().any(|r| r == finding.rule)
            || rejected.contains(&FindingKey::of(finding, text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Category, Severity};

    #[test]
    fn names_that_are_not_utf8_keep_distinct_review_files() {
        use std::os::unix::ffi::OsStrExt;
        let name = |bytes: &[u8]| Path::new(std::ffi::OsStr::from_bytes(bytes)).to_owned();
        let (ff, fe) = (name(b"dir/a\xff.txt"), name(b"dir/a\xfe.txt"));
        assert_ne!(sidecar_path(&ff), sidecar_path(&fe));
        assert_eq!(
            sidecar_path(&ff).as_os_str().as_bytes(),
            b"dir/.a\xff.txt.mtaudit-review.json"
        );
    }

    #[test]
    fn a_planted_review_file_is_not_trusted() {
        use std::os::unix::fs::{chown, symlink};
        let dir = tempfile::tempdir().unwrap();
        let document = dir.path().join("shared.txt");
        std::fs::write(&document, "text").unwrap();
        let sidecar = sidecar_path(&document);
        assert!(check_trusted(&sidecar, &document).is_ok(), "none yet");
        let victim = dir.path().join("root-only");
        std::fs::write(&victim, "").unwrap();
        symlink(&victim, &sidecar).unwrap();
        let err = check_trusted(&sidecar, &document).unwrap_err();
        assert!(err.problem.contains("symlink"), "{err}");
        let saved = ReviewFile::new(&document).save(&sidecar);
        assert!(saved.is_err(), "a symlink is not saved through");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "");
        std::fs::remove_file(&sidecar).unwrap();
        std::fs::write(&sidecar, "").unwrap();
        assert!(check_trusted(&sidecar, &document).is_ok(), "mine");
        // Only root can give a file away; as anyone else, the case cannot be made.
        if chown(&sidecar, Some(4242), None).is_ok() {
            let err = check_trusted(&sidecar, &document).unwrap_err();
            assert!(err.problem.contains("owned by user 4242"), "{err}");
            chown(&document, Some(4242), None).unwrap();
            assert!(
                check_trusted(&sidecar, &document).is_ok(),
                "the document's owner"
            );
        }
    }

    #[test]
    fn path_is_a_hidden_file_beside_the_document() {
        assert_eq!(
            sidecar_path(Path::new("dir/a.txt")),
            PathBuf::from("dir/.a.txt.mtaudit-review.json")
        );
        assert_eq!(
            sidecar_path(Path::new("a.md")),
            PathBuf::from(".a.md.mtaudit-review.json")
        );
    }

    #[test]
    fn round_trip_and_hiding() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".a.txt.mtaudit-review.json");
        assert!(ReviewFile::load(&path).unwrap().is_none());
        let text = "We saw the forced downsizing of a plane.";
        let f = Finding::new("glossary", Category::Style, Severity::Minor, 11..28, "m");
        let mut file = ReviewFile::new(Path::new("a.txt"));
        file.decisions.push(Recorded {
            key: FindingKey::of(&f, text),
            decision: Verdict::Rejected,
            replacement: None,
        });
        file.save(&path).unwrap();
        let back = ReviewFile::load(&path).unwrap().unwrap();
        assert_eq!(back, file);
        assert!(back.hides(&back.rejected(), &f, text));
        assert!(!back.hides(
            &back.rejected(),
            &f,
            "We saw the forced downsizing of the plane."
        ));
    }

    #[test]
    fn corrupt_or_newer_files_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        std::fs::write(&path, "{not json").unwrap();
        let e = ReviewFile::load(&path).unwrap_err().to_string();
        assert!(e.starts_with(&path.display().to_string()), "{e}");
        assert!(e.contains("not a valid mtaudit review file"), "{e}");
        std::fs::write(&path, r#"{"version": 9}"#).unwrap();
        let e = ReviewFile::load(&path).unwrap_err().to_string();
        assert!(e.contains("version 9 is not supported"), "{e}");
    }
}
