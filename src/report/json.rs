//! The JSON report, schema version 1 (documented in README.md; keys are never renamed).

use super::{Sink, Summary};
use crate::audit::{FileReport, LineIndex};
use crate::finding::Finding;
use serde_json::{json, Value};
use std::io::{self, Write};

pub const SCHEMA_VERSION: u32 = 1;

/// Collects file objects and writes one document at the end.
pub struct JsonSink<'a> {
    out: Box<dyn Write + 'a>,
    files: Vec<Value>,
}

impl<'a> JsonSink<'a> {
    pub fn new(out: Box<dyn Write + 'a>) -> Self {
        JsonSink {
            out,
            files: Vec::new(),
        }
    }
}

pub fn finding_json(report: &FileReport, lines: &LineIndex, finding: &Finding) -> Value {
    let (line, column) = lines.position(&report.text, finding.span.start);
    json!({
        "rule": finding.rule,
        "category": finding.category,
        "severity": finding.severity,
        "confidence": round3(finding.confidence),
        "start": finding.span.start,
        "end": finding.span.end,
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
    let lines = LineIndex::new(&report.text);
    let sentences: Vec<Value> = report
        .sentences
        .iter()
        .map(|s| {
            json!({
                "start": s.span.start,
                "end": s.span.end,
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

impl Sink for JsonSink<'_> {
    fn file(&mut self, report: &FileReport) -> io::Result<()> {
        self.files.push(file_json(report));
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let document = json!({
            "version": SCHEMA_VERSION,
            "files": std::mem::take(&mut self.files),
            "summary": summary,
        });
        serde_json::to_writer_pretty(&mut self.out, &document)?;
        writeln!(self.out)
    }
}
