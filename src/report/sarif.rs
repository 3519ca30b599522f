//! SARIF 2.1.0 for code-scanning dashboards: one run, the rules with their help text, one
//! result per finding with its region (1-based lines, columns in Unicode code points, and
//! byte offsets) and each suggestion as a fix.

use super::{ProblemKind, Sink, Summary};
use crate::audit::{FileReport, LineIndex};
use crate::baseline::fingerprint;
use crate::checks;
use crate::finding::{Finding, Severity};
use crate::suppress::UNUSED_RULE;
use serde_json::{json, Value};
use std::io::{self, Write};
use std::ops::Range;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF level of a severity (also the GitHub annotation level).
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Minor => "warning",
        Severity::Major | Severity::Critical => "error",
    }
}

/// Every rule mtaudit can report, with its one-line help.
fn rules() -> Vec<(&'static str, &'static str)> {
    checks::default_checks()
        .iter()
        .map(|c| (c.rule(), c.description()))
        .chain(std::iter::once((
            UNUSED_RULE,
            "an inline mtaudit-disable comment that silenced nothing",
        )))
        .collect()
}

/// A relative URI reference for a path: forward slashes, reserved bytes percent-encoded.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn region(report: &FileReport, lines: &LineIndex, span: &Range<usize>) -> Value {
    let (start_line, start_column) = lines.position(&report.text, span.start);
    let (end_line, end_column) = lines.position(&report.text, span.end);
    json!({
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
        "byteOffset": report.file_offset(span.start),
        "byteLength": span.len(),
    })
}

pub struct SarifSink<'a> {
    out: Box<dyn Write + 'a>,
    rules: Vec<(&'static str, &'static str)>,
    results: Vec<Value>,
}

impl<'a> SarifSink<'a> {
    pub fn new(out: Box<dyn Write + 'a>) -> Self {
        SarifSink {
            out,
            rules: rules(),
            results: Vec::new(),
        }
    }

    fn result(&self, report: &FileReport, lines: &LineIndex, finding: &Finding) -> Value {
        let location = json!({"uri": uri(&report.path)});
        let region = region(report, lines, &finding.span);
        let fixes: Vec<Value> = finding
            .suggestions
            .iter()
            .map(|s| {
                json!({
                    "description": {"text": format!("{} (confidence {:.2})", s.action(), s.confidence)},
                    "artifactChanges": [{
                        "artifactLocation": location,
                        "replacements": [{
                            "deletedRegion": region,
                            "insertedContent": {"text": s.replacement},
                        }],
                    }],
                })
            })
            .collect();
        let mut message = finding.message.clone();
        if let Some(evidence) = &finding.evidence {
            message.push_str(&format!(" ({evidence})"));
        }
        let mut located = region.clone();
        located["snippet"] = json!({"text": &report.text[finding.span.clone()]});
        let mut result = json!({
            "ruleId": finding.rule,
            "level": level(finding.severity),
            "message": {"text": message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": location,
                    "region": located,
                },
            }],
            "partialFingerprints": {"mtaudit/v1": fingerprint(&report.text, finding).2},
            "properties": {
                "category": finding.category,
                "severity": finding.severity,
                "confidence": (f64::from(finding.confidence) * 1000.0).round() / 1000.0,
            },
        });
        if let Some(index) = self.rules.iter().position(|(id, _)| *id == finding.rule) {
            result["ruleIndex"] = json!(index);
        }
        if !fixes.is_empty() {
            result["fixes"] = Value::Array(fixes);
        }
        result
    }
}

impl Sink for SarifSink<'_> {
    fn file(&mut self, report: &FileReport) -> io::Result<()> {
        let lines = report.line_index();
        for finding in report.findings() {
            let result = self.result(report, &lines, finding);
            self.results.push(result);
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let rules: Vec<Value> = self
            .rules
            .iter()
            .map(|(id, description)| {
                json!({
                    "id": id,
                    "shortDescription": {"text": description},
                    "fullDescription": {"text": description},
                    "help": {"text": format!("{description}. Suppress one finding with <!-- mtaudit-disable-next-line {id} -->, or configure the rule under [rules.{id}] in mtaudit.toml.")},
                    "defaultConfiguration": {"level": "warning"},
                })
            })
            .collect();
        let log = json!({
            "$schema": SCHEMA_URI,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "mtaudit",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }},
                "columnKind": "unicodeCodePoints",
                "invocations": [invocation(summary)],
                "results": std::mem::take(&mut self.results),
            }],
        });
        serde_json::to_writer_pretty(&mut self.out, &log)?;
        writeln!(self.out)?;
        self.out.flush()
    }
}

/// The run as SARIF sees it: whether every input was audited, and a notification for each
/// input that was not (an error) or was skipped or empty (a warning).
fn invocation(summary: &Summary) -> Value {
    let notifications: Vec<Value> = summary
        .problems
        .iter()
        .map(|p| {
            let level = match p.kind {
                ProblemKind::Error => "error",
                ProblemKind::Skipped | ProblemKind::Empty => "warning",
            };
            json!({
                "level": level,
                "message": {"text": p.message},
                "descriptor": {"id": p.kind.as_str()},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&p.path)}}}],
            })
        })
        .collect();
    let successful = !summary
        .problems
        .iter()
        .any(|p| p.kind == ProblemKind::Error);
    json!({
        "executionSuccessful": successful,
        "toolExecutionNotifications": notifications,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(uri("./docs/a b.md"), "docs/a%20b.md");
        assert_eq!(uri("docs\\é.txt"), "docs/%C3%A9.txt");
    }
}
