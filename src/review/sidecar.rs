//! The review file beside the document (`.NAME.mtaudit-review.json`): versioned JSON holding
//! the decisions of earlier reviews, so a later review resumes and never asks again about a
//! rejected finding whose text is unchanged, and `check --review-file` hides what was rejected.

use crate::audit::{AuditConfig, FileReport};
use crate::finding::Finding;
use crate::identity::FindingKey;
use crate::platform;
use crate::write::{write_atomic_with, WriteError, WritePolicy};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The format version this build writes. Version 1 kept the case and punctuation of a
/// finding's text and context; it is read, its keys normalized as version 2 has them.
pub const VERSION: u32 = 2;

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
    let (Some(owner), Some(me)) = (platform::owner(&meta), platform::current_user()) else {
        return Ok(());
    };
    let document_owner = std::fs::metadata(document)
        .ok()
        .and_then(|m| platform::owner(&m));
    if owner != me && Some(owner) != document_owner {
        return refuse(format!(
            "owned by user {owner}, neither you nor the document's owner; not trusted"
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
        let mut file: ReviewFile = serde_json::from_slice(bytes).map_err(|e| {
            format!(
                "not a valid mtaudit review file ({e}); move it away to start the review afresh"
            )
        })?;
        match file.version {
            VERSION => {}
            1 => {
                for decision in &mut file.decisions {
                    decision.key = decision.key.renormalized();
                }
                file.position = file.position.map(|key| key.renormalized());
                file.version = VERSION;
            }
            other => {
                return Err(format!(
                    "review file version {other} is not supported (this mtaudit reads versions 1 to {VERSION})"
                ))
            }
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

    #[test]
    fn a_version_1_file_is_read_with_its_keys_normalized() {
        let old = r#"{"version": 1, "document": "a.txt", "decisions": [{"rule": "glossary",
            "text": "Forced downsizing", "before": "One, Two", "after": "of the",
            "decision": "rejected"}]}"#;
        let file = ReviewFile::from_bytes(old.as_bytes()).unwrap().unwrap();
        assert_eq!(file.version, VERSION);
        let text = "One, Two forced downsizing of the flight.";
        let start = text.find("forced").unwrap();
        let f = Finding::new(
            "glossary",
            Category::Style,
            Severity::Minor,
            start..start + "forced downsizing".len(),
            "m",
        );
        assert!(file.hides(&file.rejected(), &f, text));
    }
}
