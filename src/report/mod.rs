//! Printers: one sink per output format, all fed the same `FileReport`s.

mod diff;
mod github;
mod html;
mod json;
mod junit;
pub mod merge;
mod sarif;
mod terminal;
mod text;

use crate::audit::FileReport;
use crate::score::score;
use crate::shard::Shard;
use crate::text::counted;
use serde::{Deserialize, Serialize};
use std::io::{self, Write};

pub use diff::{corrected, DiffSink};
pub use github::GithubSink;
pub use html::HtmlSink;
pub use json::JsonSink;
pub use junit::JunitSink;
pub use sarif::SarifSink;
pub use terminal::{printable, TerminalSafe};
pub use text::{word_changes, word_diff, Style, TextSink};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Findings with inline word diffs, then a per-file summary (default).
    Text,
    /// A unified diff applying every suggestion at or above --confidence.
    Diff,
    /// The stable JSON report (schema version 1).
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards (GitHub, Azure DevOps, IDEs).
    Sarif,
    /// GitHub Actions workflow commands: an annotation per finding.
    Github,
    /// JUnit XML, a testsuite per file and a testcase per sentence.
    Junit,
    /// One self-contained HTML page: scores, sentences, diffs, filters.
    Html,
}

/// An input that was not audited, or audited with a warning: every printer hears of it, and
/// the summary lists it, so that a report says why a run failed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InputProblem {
    pub path: String,
    pub kind: ProblemKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ProblemKind {
    /// Not audited, and the run fails (exit 2): unreadable, not UTF-8, malformed.
    Error,
    /// Not audited: a binary file met in a directory walk.
    Skipped,
    /// Audited, but empty.
    Empty,
}

impl ProblemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::Error => "error",
            ProblemKind::Skipped => "skipped",
            ProblemKind::Empty => "empty",
        }
    }
}

/// Totals over every audited file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub files: usize,
    pub words: usize,
    pub sentences: usize,
    pub findings: usize,
    pub score: f64,
    pub passed: bool,
    /// Sum of the severity weights of every finding: what `score` is computed from, kept so
    /// that the reports of shards can be merged into the summary of one run.
    pub penalty: f64,
    /// The inputs not audited (or empty), in input order.
    #[serde(default)]
    pub problems: Vec<InputProblem>,
}

impl Summary {
    pub fn new() -> Summary {
        Summary {
            passed: true,
            score: 100.0,
            ..Summary::default()
        }
    }

    /// Adds a file's report; a later section of a file already counted adds no file.
    pub fn add(&mut self, file: &FileReport) {
        if !file.continues_file() {
            self.files += 1;
        }
        self.words += file.words;
        self.sentences += file.sentences.len();
        self.findings += file.findings().count();
        self.penalty += file.penalty;
        self.score = score(self.penalty, self.words);
        self.passed &= file.passed;
    }

    /// Records an input not audited (or empty); an error fails the run.
    pub fn add_problem(&mut self, problem: InputProblem) {
        self.passed &= problem.kind != ProblemKind::Error;
        self.problems.push(problem);
    }

    /// Adds the totals of another run over other files (a shard of the same run).
    pub fn merge(&mut self, other: &Summary) {
        self.files += other.files;
        self.words += other.words;
        self.sentences += other.sentences;
        self.findings += other.findings;
        self.penalty += other.penalty;
        self.score = score(self.penalty, self.words);
        self.passed &= other.passed;
        self.problems.extend(other.problems.iter().cloned());
    }

    /// How many inputs were not audited (errors and skipped files).
    pub fn not_audited(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.kind != ProblemKind::Empty)
            .count()
    }

    /// One line of totals: files, words, findings, overall score and verdict, and the
    /// inputs not audited.
    pub fn totals(&self) -> String {
        let not_audited = self.not_audited();
        let mut line = format!(
            "{}, {}, {}; overall score {:.1}/100, {}",
            counted(self.files, "file", "files"),
            counted(self.words, "word", "words"),
            counted(self.findings, "finding", "findings"),
            self.score,
            if self.passed { "passed" } else { "FAILED" }
        );
        if not_audited > 0 {
            line.push_str(&format!(
                "; {} not audited",
                counted(not_audited, "input", "inputs")
            ));
        }
        line
    }
}

/// A printer. It hears of every input, in input order, as it is done with: `file` for a
/// report (a large plain-text file audited in sections gives one per section), `problem` for
/// an input not audited or empty; then `finish` with the summary of the run.
pub trait Sink {
    fn file(&mut self, report: &FileReport) -> io::Result<()>;
    /// The summary lists every problem too: a printer that reports them at the end, or
    /// not at all (the text report: they went to stderr as they happened), ignores this.
    fn problem(&mut self, _problem: &InputProblem) -> io::Result<()> {
        Ok(())
    }
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}

/// The printer for `format`; a sharded run's JSON report says which shard it covers.
pub fn sink<'a>(
    format: OutputFormat,
    out: Box<dyn Write + 'a>,
    style: Style,
    confidence: f32,
    shard: Option<Shard>,
) -> Box<dyn Sink + 'a> {
    match format {
        OutputFormat::Text => Box::new(TextSink::new(out, style)),
        OutputFormat::Diff => Box::new(DiffSink::new(out, confidence)),
        OutputFormat::Json => Box::new(JsonSink::new(out).with_shard(shard)),
        OutputFormat::Sarif => Box::new(SarifSink::new(out)),
        OutputFormat::Github => Box::new(GithubSink::new(out)),
        OutputFormat::Junit => Box::new(JunitSink::new(out)),
        OutputFormat::Html => Box::new(HtmlSink::new(out)),
    }
}
