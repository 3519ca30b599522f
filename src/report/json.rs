//! The JSON report, schema version 1 (documented in README.md; keys are never renamed).

use super::{Sink, Summary};
use crate::audit::{FileReport, LineIndex};
use crate::context::spinning::Spun;
use crate::finding::{Category, Finding, Severity};
use crate::input::Format;
use crate::shard::Shard;
use serde::Serialize;
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

    /// Writes one file object: a report's, or one read back from a report.
    pub fn file_value(&mut self, file: &impl Serialize) -> io::Result<()> {
        let opening = if self.files == 0 {
            "{\n  \"files\": ["
        } else {
            ","
        };
        write!(self.out, "{opening}\n    ")?;
        write_nested(&mut self.out, file, 2)?;
        self.files += 1;
        Ok(())
    }
}

/// Pretty-prints `value` as it would appear nested `depth` levels deep (two spaces each),
/// gathered in pieces of about 64 KiB: serde_json's many small writes cost more through the
/// sink, and one piece per file would hold all of a file with a hundred thousand findings.
fn write_nested(out: &mut dyn Write, value: &impl Serialize, depth: usize) -> io::Result<()> {
    let mut buffered = io::BufWriter::with_capacity(1 << 16, out);
    let formatter = NestedPretty {
        depth,
        has_value: false,
    };
    value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut buffered,
        formatter,
    ))?;
    buffered.flush()
}

/// serde_json's `PrettyFormatter` starting `depth` levels in, which writes each line break
/// and its indentation at once (its own writes two spaces at a time, a level at a time).
struct NestedPretty {
    depth: usize,
    has_value: bool,
}

impl NestedPretty {
    /// `lead` (a line break, after a comma or not), then the indentation of the depth.
    fn new_line<W: ?Sized + Write>(&self, writer: &mut W, lead: &[u8]) -> io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        writer.write_all(lead)?;
        let mut spaces = 2 * self.depth;
        while spaces > 0 {
            let n = spaces.min(SPACES.len());
            writer.write_all(&SPACES[..n])?;
            spaces -= n;
        }
        Ok(())
    }

    fn lead(first: bool) -> &'static [u8] {
        if first {
            b"\n"
        } else {
            b",\n"
        }
    }

    fn begin<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn end<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.new_line(writer, b"\n")?;
        }
        writer.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for NestedPretty {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.begin(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.end(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.new_line(writer, Self::lead(first))
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.begin(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.end(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.new_line(writer, Self::lead(first))
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

// A file's object, serialized straight from the report. Fields are in key order, the order
// serde_json gives a parsed object's keys, so a report and its merge read the same.

#[derive(Serialize)]
struct FileJson<'a> {
    format: Format,
    passed: bool,
    path: &'a str,
    score: f64,
    sentences: Sentences<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    spun: Option<Spun>,
    words: usize,
}

/// A file's sentences, each made into its JSON form only as it is written.
struct Sentences<'a> {
    report: &'a FileReport,
    lines: LineIndex,
}

impl Serialize for Sentences<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.report;
        serializer.collect_seq(report.sentences.iter().map(|s| {
            SentenceJson {
                start: report.file_offset(s.span.start),
                end: report.file_offset(s.span.end),
                line: self.lines.position(&report.text, s.span.start).0,
                text: &report.text[s.span.clone()],
                score: s.score,
                suspicion: s.suspicion,
                surprise: (s.surprise * 10.0).round() / 10.0,
                findings: s
                    .findings
                    .iter()
                    .map(|f| finding_json(report, &self.lines, f))
                    .collect(),
            }
        }))
    }
}

#[derive(Serialize)]
struct SentenceJson<'a> {
    end: usize,
    findings: Vec<FindingJson<'a>>,
    line: usize,
    score: f64,
    start: usize,
    surprise: f64,
    suspicion: f64,
    text: &'a str,
}

#[derive(Serialize)]
struct FindingJson<'a> {
    category: Category,
    column: usize,
    confidence: f64,
    end: usize,
    evidence: Option<&'a str>,
    line: usize,
    message: &'a str,
    rule: &'static str,
    severity: Severity,
    start: usize,
    suggestions: Vec<SuggestionJson<'a>>,
    text: &'a str,
}

#[derive(Serialize)]
struct SuggestionJson<'a> {
    confidence: f64,
    replacement: &'a str,
}

fn finding_json<'a>(
    report: &'a FileReport,
    lines: &LineIndex,
    finding: &'a Finding,
) -> FindingJson<'a> {
    let (line, column) = lines.position(&report.text, finding.span.start);
    FindingJson {
        rule: finding.rule,
        category: finding.category,
        severity: finding.severity,
        confidence: round3(finding.confidence),
        start: report.file_offset(finding.span.start),
        end: report.file_offset(finding.span.end),
        line,
        column,
        text: &report.text[finding.span.clone()],
        message: &finding.message,
        suggestions: finding
            .suggestions
            .iter()
            .map(|s| SuggestionJson {
                replacement: &s.replacement,
                confidence: round3(s.confidence),
            })
            .collect(),
        evidence: finding.evidence.as_deref(),
    }
}

fn round3(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

fn file_json(report: &FileReport) -> FileJson<'_> {
    FileJson {
        path: &report.path,
        format: report.format,
        words: report.words,
        score: report.score,
        passed: report.passed,
        spun: report.spun,
        sentences: Sentences {
            report,
            lines: report.line_index(),
        },
    }
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
            write!(self.out, "\n  \"shard\": ")?;
            write_nested(&mut self.out, shard, 1)?;
            write!(self.out, ",")?;
        }
        write!(self.out, "\n  \"summary\": ")?;
        write_nested(&mut self.out, &serde_json::to_value(summary)?, 1)?;
        writeln!(self.out, ",\n  \"version\": {SCHEMA_VERSION}\n}}")?;
        self.out.flush()
    }
}
