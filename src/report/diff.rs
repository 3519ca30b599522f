//! A unified diff that `git apply` and `patch -p1` accept.

use super::{Sink, Summary};
use crate::audit::FileReport;
use crate::fix::{apply, select_edits};
use similar::TextDiff;
use std::io::{self, Write};

pub struct DiffSink<'a> {
    out: Box<dyn Write + 'a>,
    confidence: f32,
}

impl<'a> DiffSink<'a> {
    pub fn new(out: Box<dyn Write + 'a>, confidence: f32) -> Self {
        DiffSink { out, confidence }
    }
}

/// The corrected text of a file: every top suggestion at or above `confidence`.
pub fn corrected(report: &FileReport, confidence: f32) -> String {
    apply(&report.text, &select_edits(report.findings(), confidence))
}

impl Sink for DiffSink<'_> {
    fn file(&mut self, report: &FileReport) -> io::Result<()> {
        let fixed = corrected(report, self.confidence);
        if fixed == report.text {
            return Ok(());
        }
        let path = report.path.trim_start_matches("./");
        let diff = TextDiff::from_lines(&report.text, &fixed);
        let a = format!("a/{path}");
        let b = format!("b/{path}");
        write!(
            self.out,
            "diff --git {a} {b}\n{}",
            diff.unified_diff().context_radius(3).header(&a, &b)
        )
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.out.flush()
    }
}
