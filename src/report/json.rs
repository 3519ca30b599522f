//! The JSON report, schema version 1 (documented in README.md; keys are never renamed).

use super::{Sink, Summary};
use crate::audit::{FileReport, LineIndex};
use crate::finding::Finding;
use crate::shard::Shard;
use serde_json::{json, Value};
use std::io::{self, Write};

pub const SCHEMA_VERSION: u32 = 1;

/// Writes each file's object as it arrives, so a long run never holds the whole report;
/// the output is byte for byte what pretty-printing the whole document would give.
pub struct JsonSink<'a> {
    out: Box<dyn Write + 'a>,
    files: usize,
    /// The part of a sharded run this report covers (`check --shard`).
    shard: Option<Shard>,
}

impl<'a> JsonSink<'a> {
    pub fn new(out: Box<dyn Write + 'a>) -> Self {
        JsonSink {
            out,
            files: 0,
            shard: None,
        }
    }

    pub fn with_shard(mut self, shard: Option<Shard>) -> Self {
        self.shard = shard;
        self
    }

    /// Writes one file object, as built by `file_json` (or read back from a report).
    pub fn file_value(&mut self, file: &Value) -> io::Result<()> {
        let opening = if self.files == 0 {
            "{\n  \"files\": ["
        } else {
            ","
        };
        write!(self.out, "{opening}\n    {}", nested(file, 2)?)?;
        self.files += 1;
        Ok(())
    }
}

/// Pretty-prints `value` as it would appear nested `depth` levels deep (two spaces each).
/// JSON strings never hold a raw line break, so indenting by line is safe.
fn nested(value: &impl serde::Serialize, depth: usize) -> io::Result<String> {
    let pretty = serde_json::to_string_pretty(value)?;
    let indent = "  ".repeat(depth);
    Ok(pretty.replace('\n', &format!("\n{indent}")))
}

pub fn finding_json(report: &FileReport, lines: &LineIndex, finding: &Finding) -> Value {
    let (line, column) = lines.position(&report.text, finding.span.start);
    json!({
        "rule": finding.rule,
        "category": finding.category,
        "severity": finding.severity,
        "confidence": round3(finding.confidence),
        "start": report.file_offset(finding.span.start),
        "end": report.file_offset(finding.span.end),
        "line": line,
        "column": column,
        "text": &report.text[finding.span.clone()],
        "message": finding.message,
        "suggestions": finding.suggestions.iter().map(|s| json!({
            "replacement": s.replacement,
            "confidence": round3(s.confidence),
        })).collect::<Vec<_>>(),
        "evidence": finding.evidence,
    })
}

fn round3(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

pub fn file_json(report: &FileReport) -> Value {
    let lines = report.line_index();
    let sentences: Vec<Value> = report
        .sentences
        .iter()
        .map(|s| {
            json!({
                "start": report.file_offset(s.span.start),
                "end": report.file_offset(s.span.end),
                "line": lines.position(&report.text, s.span.start).0,
                "text": &report.text[s.span.clone()],
                "score": s.score,
                "suspicion": s.suspicion,
                "surprise": (s.surprise * 10.0).round() / 10.0,
                "findings": s.findings.iter().map(|f| finding_json(report, &lines, f)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "path": report.path,
        "words": report.words,
        "score": report.score,
        "passed": report.passed,
        "sentences": sentences,
    })
}

// Keys in the order serde_json's map gives them (sorted): files, shard, summary, version.
impl Sink for JsonSink<'_> {
    fn file(&mut self, report: &FileReport) -> io::Result<()> {
        self.file_value(&file_json(report))
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        if self.files == 0 {
            write!(self.out, "{{\n  \"files\": [],")?;
        } else {
            write!(self.out, "\n  ],")?;
        }
        if let Some(shard) = &self.shard {
            write!(self.out, "\n  \"shard\": {},", nested(shard, 1)?)?;
        }
        writeln!(
            self.out,
            "\n  \"summary\": {},\n  \"version\": {SCHEMA_VERSION}\n}}",
            nested(&serde_json::to_value(summary)?, 1)?
        )
    }
}
