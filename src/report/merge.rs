//! `mtaudit report merge`: the JSON reports of a sharded run (`check --shard K/N`) joined
//! into the report that one run over all their files gives, file objects streamed one at a
//! time so that no report is held whole.

use super::json::{JsonSink, SCHEMA_VERSION};
use super::{Sink, Summary};
use crate::shard::{Shard, MAX_SHARDS};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("{path}: {message}")]
    Report { path: PathBuf, message: String },
    #[error("{0}")]
    Shards(String),
    #[error("writing the merged report: {0}")]
    Write(io::Error),
}

/// What a report says of itself; its files are skipped as they are read, never kept.
#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    shard: Option<Shard>,
    summary: Summary,
    version: u32,
}

fn report_error(path: &Path, err: impl fmt::Display) -> MergeError {
    MergeError::Report {
        path: path.to_owned(),
        message: err.to_string(),
    }
}

fn open(path: &Path) -> Result<BufReader<File>, MergeError> {
    let mut reader = crate::input::file::open(path)
        .map(BufReader::new)
        .map_err(|e| report_error(path, e))?;
    crate::input::file::skip_bom(&mut reader).map_err(|e| report_error(path, e))?;
    Ok(reader)
}

/// `serde_json`'s errors name the line and column; say which file they are in.
fn parse_error(path: &Path, err: serde_json::Error) -> MergeError {
    if err.is_io() {
        return report_error(path, err);
    }
    let message = format!(
        "{}:{}: not an mtaudit JSON report: {err}",
        err.line(),
        err.column()
    );
    report_error(path, message)
}

fn head(path: &Path) -> Result<Head, MergeError> {
    let head: Head = serde_json::from_reader(open(path)?).map_err(|e| parse_error(path, e))?;
    if head.version != SCHEMA_VERSION {
        return Err(report_error(
            path,
            format!(
                "a version {} report; this mtaudit merges version {SCHEMA_VERSION}",
                head.version
            ),
        ));
    }
    Ok(head)
}

/// The order to join the reports in: by shard, every shard of one run exactly once; reports
/// without a shard (separate runs over separate files) in the order given.
fn order(heads: &[(PathBuf, Head)]) -> Result<Vec<usize>, MergeError> {
    let shards: Vec<Option<Shard>> = heads.iter().map(|(_, h)| h.shard).collect();
    if shards.iter().all(Option::is_none) {
        return Ok((0..heads.len()).collect());
    }
    let Some(count) = shards.iter().flatten().map(|s| s.count).next() else {
        return Ok((0..heads.len()).collect());
    };
    // Checked before anything is sized by the count, which comes from a file: at most
    // MAX_SHARDS slots are allocated.
    if let Some((path, shard)) = heads.iter().find_map(|(p, h)| {
        h.shard
            .filter(|s| Shard::new(s.index, s.count).is_none())
            .map(|s| (p, s))
    }) {
        return Err(MergeError::Shards(format!(
            "{}: shard {shard} is not a shard: 1 <= K <= N <= {MAX_SHARDS}",
            path.display()
        )));
    }
    let mut by_index: Vec<Option<usize>> = vec![None; count];
    for (i, (path, head)) in heads.iter().enumerate() {
        let shard = head.shard.ok_or_else(|| {
            MergeError::Shards(format!(
                "{}: not a shard's report, but the others are shards of {count}",
                path.display()
            ))
        })?;
        if shard.count != count {
            return Err(MergeError::Shards(format!(
                "{}: shard {shard}, but the first report is a shard of {count}",
                path.display()
            )));
        }
        if let Some(earlier) = by_index[shard.index - 1].replace(i) {
            return Err(MergeError::Shards(format!(
                "{} and {} are both shard {shard}",
                heads[earlier].0.display(),
                path.display()
            )));
        }
    }
    let missing: Vec<String> = (1..=count)
        .filter(|&k| by_index[k - 1].is_none())
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(MergeError::Shards(format!(
            "missing the report of shard {}",
            missing.join(", ")
        )));
    }
    Ok(by_index.into_iter().flatten().collect())
}

/// Writes the merged report of `paths` to `out` and returns its summary. The totals are
/// counted from the file objects, not taken from the reports' summaries; only what the file
/// objects do not hold comes from a summary: the penalty (which depends on the weights in
/// force) and a failure outside any file.
pub fn merge(paths: &[PathBuf], out: impl Write) -> Result<Summary, MergeError> {
    let heads = paths
        .iter()
        .map(|p| head(p).map(|h| (p.clone(), h)))
        .collect::<Result<Vec<_>, _>>()?;
    let order = order(&heads)?;
    let mut summary = Summary::new();
    let mut sink = JsonSink::new(Box::new(out));
    // Sections of one file follow each other; they are one file, in whichever report.
    let mut last_path = None;
    for i in order {
        let (path, head) = &heads[i];
        let mut reader = serde_json::Deserializer::from_reader(open(path)?);
        let mut counted = Counted {
            last_path: last_path.take(),
            ..Counted::default()
        };
        FilesOf(&mut sink, &mut counted)
            .deserialize(&mut reader)
            .map_err(|e| parse_error(path, e))?;
        let penalty = head.summary.penalty;
        if !(penalty.is_finite() && penalty >= 0.0) || (counted.findings == 0 && penalty != 0.0) {
            return Err(report_error(
                path,
                format!("summary penalty {penalty} does not fit its findings"),
            ));
        }
        if summary.words.checked_add(counted.words).is_none() {
            return Err(report_error(path, "more words than can be counted"));
        }
        last_path = counted.last_path.take();
        summary.merge(&Summary {
            files: counted.files,
            words: counted.words,
            sentences: counted.sentences,
            findings: counted.findings,
            score: 0.0,
            passed: head.summary.passed && counted.passed,
            penalty,
            // The inputs a shard could not audit are in no file object: its summary says.
            problems: head.summary.problems.clone(),
        });
    }
    sink.finish(&summary).map_err(MergeError::Write)?;
    Ok(summary)
}

/// Totals counted from one report's file objects.
struct Counted {
    files: usize,
    words: usize,
    sentences: usize,
    findings: usize,
    passed: bool,
    /// The path of the last file object: later sections of one file repeat it.
    last_path: Option<String>,
}

impl Default for Counted {
    fn default() -> Counted {
        Counted {
            files: 0,
            words: 0,
            sentences: 0,
            findings: 0,
            passed: true,
            last_path: None,
        }
    }
}

impl Counted {
    fn add(&mut self, file: &Value) -> Result<(), String> {
        let path = file.get("path").and_then(Value::as_str);
        let words = file.get("words").and_then(Value::as_u64);
        let sentences = file.get("sentences").and_then(Value::as_array);
        let passed = file.get("passed").and_then(Value::as_bool);
        let (Some(path), Some(words), Some(sentences), Some(passed)) =
            (path, words, sentences, passed)
        else {
            return Err("a file object without its path, words, sentences or passed".into());
        };
        let mut findings = 0usize;
        for sentence in sentences {
            let Some(listed) = sentence.get("findings").and_then(Value::as_array) else {
                return Err("a sentence without its findings".into());
            };
            findings += listed.len();
        }
        if self.last_path.as_deref() != Some(path) {
            self.files += 1;
            self.last_path = Some(path.to_owned());
        }
        let too_many = || "more words than can be counted".to_string();
        let words = usize::try_from(words).map_err(|_| too_many())?;
        self.words = self.words.checked_add(words).ok_or_else(too_many)?;
        self.sentences += sentences.len();
        self.findings += findings;
        self.passed &= passed;
        Ok(())
    }
}

/// Copies a report's file objects to the sink, one at a time, counting them.
struct FilesOf<'s, 'a>(&'s mut JsonSink<'a>, &'s mut Counted);

impl<'de> DeserializeSeed<'de> for FilesOf<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FilesOf<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an mtaudit JSON report")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "files" {
                map.next_value_seed(Files(&mut *self.0, &mut *self.1))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct Files<'s, 'a>(&'s mut JsonSink<'a>, &'s mut Counted);

impl<'de> DeserializeSeed<'de> for Files<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Files<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of file objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(file) = seq.next_element::<Value>()? {
            self.1.add(&file).map_err(de::Error::custom)?;
            self.0.file_value(&file).map_err(de::Error::custom)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Auditor;
    use crate::input::Format;

    fn report(shard: Option<Shard>, texts: &[(&str, &str)]) -> String {
        let auditor = Auditor::default();
        let mut out = Vec::new();
        let mut sink = JsonSink::new(Box::new(&mut out)).with_shard(shard);
        let mut summary = Summary::new();
        for (path, text) in texts {
            let report = auditor.audit_text(path, text, Format::Text);
            summary.add(&report);
            sink.file(&report).unwrap();
        }
        sink.finish(&summary).unwrap();
        drop(sink);
        String::from_utf8(out).unwrap()
    }

    const FILES: [(&str, &str); 3] = [
        (
            "a.txt",
            "The plane made a forced downsizing at the airport.",
        ),
        ("b.txt", "A clean sentence about the weather."),
        ("c.txt", "Stoltenbergs comments were noted by the press."),
    ];

    fn written(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn shards_merge_into_the_report_of_one_run() {
        let dir = tempfile::tempdir().unwrap();
        let whole = report(None, &FILES);
        let first = written(
            dir.path(),
            "1.json",
            &report(Some(Shard { count: 2, index: 1 }), &FILES[..1]),
        );
        let second = written(
            dir.path(),
            "2.json",
            &report(Some(Shard { count: 2, index: 2 }), &FILES[1..]),
        );
        let mut out = Vec::new();
        // Given in the wrong order: the shard numbers decide.
        merge(&[second, first], &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), whole);
    }

    #[test]
    fn a_missing_or_doubled_shard_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let one = written(
            dir.path(),
            "1.json",
            &report(Some(Shard { count: 3, index: 1 }), &FILES[..1]),
        );
        let err = merge(std::slice::from_ref(&one), io::sink())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("missing the report of shard 2/3, 3/3"),
            "{err}"
        );
        let err = merge(&[one.clone(), one], io::sink())
            .unwrap_err()
            .to_string();
        assert!(err.contains("are both shard 1/3"), "{err}");
    }

    #[test]
    fn a_broken_report_is_named_with_its_position() {
        let dir = tempfile::tempdir().unwrap();
        let broken = written(dir.path(), "x.json", "{\n  \"files\": [\n    {,\n");
        let err = merge(&[broken], io::sink()).unwrap_err().to_string();
        assert!(
            err.contains("x.json: 3:6: not an mtaudit JSON report"),
            "{err}"
        );
    }

    /// The report of shard `index`/`count` of `FILES[..1]`, its shard and summary edited.
    fn edited(dir: &Path, name: &str, edit: impl FnOnce(&mut Value)) -> PathBuf {
        let mut value: Value =
            serde_json::from_str(&report(Some(Shard { count: 3, index: 1 }), &FILES[..1])).unwrap();
        edit(&mut value);
        written(dir, name, &value.to_string())
    }

    #[test]
    fn a_shard_out_of_bounds_is_an_error_not_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let shards: Vec<PathBuf> = (1..=3)
            .map(|k| {
                edited(dir.path(), &format!("{k}.json"), |v| {
                    v["shard"]["index"] = k.into()
                })
            })
            .collect();
        assert!(merge(&shards, io::sink()).is_ok());
        for (index, count) in [
            (0u64, 3u64),
            (4, 3),
            (1, u64::MAX),
            (1, 100_000_000_000),
            (1, 1_000_000_000),
        ] {
            let bad = edited(dir.path(), "bad.json", |v| {
                v["shard"]["index"] = index.into();
                v["shard"]["count"] = count.into();
            });
            let mut reports = shards[1..].to_vec();
            reports.push(bad);
            let err = merge(&reports, io::sink()).unwrap_err().to_string();
            assert!(err.contains("shard"), "{index}/{count}: {err}");
        }
    }

    #[test]
    fn totals_are_counted_from_the_files_not_the_summaries() {
        let dir = tempfile::tempdir().unwrap();
        let emptied = edited(dir.path(), "e.json", |v| {
            v["files"] = Value::Array(Vec::new());
            v["summary"]["files"] = 40.into();
            v["summary"]["words"] = u64::MAX.into();
            v["summary"]["penalty"] = 0.into();
            v["summary"]["passed"] = true.into();
            v.as_object_mut().unwrap().remove("shard");
        });
        let honest = written(dir.path(), "h.json", &report(None, &FILES));
        let mut out = Vec::new();
        let summary = merge(&[emptied, honest.clone()], &mut out).unwrap();
        let alone = merge(&[honest], io::sink()).unwrap();
        assert_eq!(summary.files, 3);
        assert_eq!(summary, alone);
    }

    #[test]
    fn word_counts_that_overflow_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let huge = |name| {
            edited(dir.path(), name, |v| {
                v["files"][0]["words"] = u64::MAX.into();
                v.as_object_mut().unwrap().remove("shard");
            })
        };
        let reports = [huge("a.json"), huge("b.json")];
        let err = merge(&reports, io::sink()).unwrap_err().to_string();
        assert!(err.contains("more words than can be counted"), "{err}");
    }
}
