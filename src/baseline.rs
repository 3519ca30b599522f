//! Baselines: today's findings, recorded so that only new ones are reported from now on.
//!
//! A finding is known by its file and its `identity::FindingKey` (rule, flagged text, two
//! words of context on each side, normalized; never a line or offset), so edits elsewhere in
//! the file do not disturb it. Identical fingerprints are counted: a baseline
//! holding one "forced downsizing" lets one through and reports a second.

use crate::audit::FileReport;
use crate::finding::Finding;
use crate::identity::FindingKey;
use crate::write::{write_atomic, WriteError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    /// The normalized flagged text and context, for people reading the file.
    pub text: String,
    pub context: String,
    pub fingerprint: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineFile {
    pub version: u32,
    pub findings: Vec<Entry>,
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{path}: {message}")]
    Read { path: PathBuf, message: String },
    #[error("{path}:{line}: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Findings known per file, by fingerprint, with their counts.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    known: HashMap<String, HashMap<String, usize>>,
}

fn normalize_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    path.strip_prefix("./").unwrap_or(&path).to_owned()
}

/// The normalized flagged text, its context and the fingerprint of a finding
/// (`identity::FindingKey`).
pub fn fingerprint(text: &str, finding: &Finding) -> (String, String, String) {
    let key = FindingKey::of(finding, text);
    let fingerprint = key.fingerprint();
    let context = key.context();
    (key.text, context, fingerprint)
}

impl Baseline {
    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let text = crate::input::file::read_to_string(path).map_err(|e| BaselineError::Read {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        Baseline::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Baseline, BaselineError> {
        let text = crate::input::file::without_bom(text);
        let file: BaselineFile = serde_json::from_str(text).map_err(|e| BaselineError::Parse {
            path: path.to_owned(),
            line: e.line(),
            message: e.to_string(),
        })?;
        if file.version != VERSION {
            return Err(BaselineError::Parse {
                path: path.to_owned(),
                line: 1,
                message: format!(
                    "baseline version {} is not supported (this mtaudit writes version {VERSION})",
                    file.version
                ),
            });
        }
        let mut known: HashMap<String, HashMap<String, usize>> = HashMap::new();
        for entry in file.findings {
            *known
                .entry(normalize_path(&entry.path))
                .or_default()
                .entry(entry.fingerprint)
                .or_default() += entry.count;
        }
        Ok(Baseline { known })
    }

    /// The findings of `path` that the baseline does not hold (each known one absorbs as many
    /// identical findings as its count).
    pub fn filter(&self, path: &str, text: &str, findings: Vec<Finding>) -> Vec<Finding> {
        let Some(known) = self.known.get(&normalize_path(path)) else {
            return findings;
        };
        let mut left = known.clone();
        findings
            .into_iter()
            .filter(|f| {
                let (_, _, print) = fingerprint(text, f);
                match left.get_mut(&print) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        false
                    }
                    _ => true,
                }
            })
            .collect()
    }
}

/// Records a run's findings report by report, so that a long run need not keep its reports.
#[derive(Debug, Default)]
pub struct Recorder {
    findings: Vec<Entry>,
    index: HashMap<(String, String), usize>,
}

impl Recorder {
    pub fn add(&mut self, report: &FileReport) {
        let path = normalize_path(&report.path);
        for finding in report.findings() {
            let (text, context, fingerprint) = fingerprint(&report.text, finding);
            match self.index.get(&(path.clone(), fingerprint.clone())) {
                Some(&i) => self.findings[i].count += 1,
                None => {
                    self.index
                        .insert((path.clone(), fingerprint.clone()), self.findings.len());
                    self.findings.push(Entry {
                        path: path.clone(),
                        rule: finding.rule.to_owned(),
                        text,
                        context,
                        fingerprint,
                        count: 1,
                    });
                }
            }
        }
    }

    /// The baseline of every report added, in a stable order.
    pub fn finish(self) -> BaselineFile {
        let mut findings = self.findings;
        findings.sort_by(|a, b| (&a.path, &a.rule, &a.text).cmp(&(&b.path, &b.rule, &b.text)));
        BaselineFile {
            version: VERSION,
            findings,
        }
    }
}

/// The baseline of a run: every finding of every report.
pub fn record<'a>(reports: impl IntoIterator<Item = &'a FileReport>) -> BaselineFile {
    let mut recorder = Recorder::default();
    for report in reports {
        recorder.add(report);
    }
    recorder.finish()
}

/// Writes a baseline atomically (pretty JSON, one entry per finding).
pub fn write(path: &Path, baseline: &BaselineFile) -> Result<(), BaselineError> {
    let mut json = serde_json::to_string_pretty(baseline).map_err(|e| BaselineError::Read {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    json.push('\n');
    write_atomic(path, json.as_bytes(), None)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Auditor;
    use crate::input::Format;

    const TEXT: &str = "The jet made a forced downsizing of a commercial flight. Later the forced downsizing of another flight.";

    fn report(text: &str) -> FileReport {
        Auditor::default().audit_text("./a.txt", text, Format::Text)
    }

    #[test]
    fn survives_unrelated_edits_and_counts_duplicates() {
        let before = report(TEXT);
        assert!(
            before.findings().count() >= 2,
            "{:?}",
            before.findings().collect::<Vec<_>>()
        );
        let file = record([&before]);
        let json = serde_json::to_string(&file).unwrap();
        let baseline = Baseline::parse(Path::new("b.json"), &json).unwrap();

        let edited = format!("A new first paragraph.\n\n{TEXT}");
        let after = report(&edited);
        let fresh = baseline.filter("a.txt", &after.text, after.findings().cloned().collect());
        assert!(fresh.is_empty(), "{fresh:?}");

        let more = format!("{TEXT} And a forced downsizing of a commercial flight.");
        let after = report(&more);
        let fresh = baseline.filter("a.txt", &after.text, after.findings().cloned().collect());
        assert_eq!(fresh.len(), 1, "{fresh:?}");
        assert!(fresh[0].span.start > TEXT.len());
    }

    #[test]
    fn other_files_are_untouched() {
        let before = report(TEXT);
        let baseline = Baseline::parse(
            Path::new("b"),
            &serde_json::to_string(&record([&before])).unwrap(),
        )
        .unwrap();
        let n = before.findings().count();
        assert_eq!(
            baseline
                .filter("b.txt", TEXT, before.findings().cloned().collect())
                .len(),
            n
        );
    }

    #[test]
    fn bad_files_name_path_and_line() {
        let err = Baseline::parse(
            Path::new("b.json"),
            "{\"version\": 1,\n\"findings\": [\n{]}",
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("b.json:3: "), "{err}");
        let err =
            Baseline::parse(Path::new("b.json"), "{\"version\": 9, \"findings\": []}").unwrap_err();
        assert!(err.to_string().contains("version 9"), "{err}");
    }

    #[test]
    fn writes_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        write(&path, &record([&report(TEXT)])).unwrap();
        let back = Baseline::read(&path).unwrap();
        assert!(!back.known.is_empty());
    }
}
