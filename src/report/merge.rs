//! `mtaudit report merge`: the JSON reports of a sharded run (`check --shard K/N`) joined
//! into the report that one run over all their files gives, file objects streamed one at a
//! time so that no report is held whole.

use super::json::{JsonSink, SCHEMA_VERSION};
use super::{Sink, Summary};
use crate::shard::Shard;
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
    crate::input::file::open(path)
        .map(BufReader::new)
        .map_err(|e| report_error(path, e))
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

/// Writes the merged report of `paths` to `out` and returns its summary.
pub fn merge(paths: &[PathBuf], out: impl Write) -> Result<Summary, MergeError> {
    let heads = paths
        .iter()
        .map(|p| head(p).map(|h| (p.clone(), h)))
        .collect::<Result<Vec<_>, _>>()?;
    let order = order(&heads)?;
    let mut summary = Summary::new();
    for (_, head) in &heads {
        summary.merge(&head.summary);
    }
    let mut sink = JsonSink::new(Box::new(out));
    for i in order {
        let path = &heads[i].0;
        let mut reader = serde_json::Deserializer::from_reader(open(path)?);
        FilesOf(&mut sink)
            .deserialize(&mut reader)
            .map_err(|e| parse_error(path, e))?;
    }
    sink.finish(&summary).map_err(MergeError::Write)?;
    Ok(summary)
}

/// Copies a report's file objects to the sink, one at a time.
struct FilesOf<'s, 'a>(&'s mut JsonSink<'a>);

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
                map.next_value_seed(Files(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct Files<'s, 'a>(&'s mut JsonSink<'a>);

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
}
