//! A unified diff that `git apply` and `patch -p1` accept.

use super::{Sink, Summary};
use crate::audit::FileReport;
use crate::fix::{apply, select_edits};
use similar::TextDiff;
use std::io::{self, Write};

pub struct DiffSink<'a> {
    out: Box<dyn Write + 'a>,
    confidence: f32,
    /// Lines added minus lines removed so far in the current file: a later section's hunks
    /// start that much further down in the corrected file.
    shift: isize,
    /// Whether the current file's `diff --git` header is out (with its first change).
    headed: bool,
}

impl<'a> DiffSink<'a> {
    pub fn new(out: Box<dyn Write + 'a>, confidence: f32) -> Self {
        DiffSink {
            out,
            confidence,
            shift: 0,
            headed: false,
        }
    }

    /// The confidence for the files that follow (each file's settings may give its own).
    pub fn set_confidence(&mut self, confidence: f32) {
        self.confidence = confidence;
    }

    /// Writes out what is buffered: the diff of a file before the file is rewritten.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// A hunk range as unified diffs write it: `start,len`, with `start` alone for one line and
/// the line before for an empty range.
fn hunk_range(start: usize, len: usize) -> String {
    match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{len}", start + 1),
    }
}

/// A path as git writes it in a diff header: in double quotes with C escapes (octal for
/// bytes outside printable ASCII) when it holds a quote, a backslash, a control character or
/// a non-ASCII byte; as it is otherwise.
fn quote_path(path: &str) -> String {
    let needs_quotes = |b: u8| b == b'"' || b == b'\\' || !(0x20..0x7f).contains(&b);
    if !path.bytes().any(needs_quotes) {
        return path.to_owned();
    }
    let mut quoted = String::from("\"");
    for b in path.bytes() {
        match b {
            b'"' => quoted.push_str("\\\""),
            b'\\' => quoted.push_str("\\\\"),
            b'\t' => quoted.push_str("\\t"),
            b'\n' => quoted.push_str("\\n"),
            b'\r' => quoted.push_str("\\r"),
            0x07 => quoted.push_str("\\a"),
            0x08 => quoted.push_str("\\b"),
            0x0b => quoted.push_str("\\v"),
            0x0c => quoted.push_str("\\f"),
            b if needs_quotes(b) => quoted.push_str(&format!("\\{b:03o}")),
            b => quoted.push(char::from(b)),
        }
    }
    quoted.push('"');
    quoted
}

/// The corrected text of a file: every top suggestion at or above `confidence`.
pub fn corrected(report: &FileReport, confidence: f32) -> String {
    apply(&report.text, &select_edits(report.findings(), confidence))
}

impl Sink for DiffSink<'_> {
    fn file(&mut self, report: &FileReport) -> io::Result<()> {
        if !report.continues_file() {
            self.shift = 0;
            self.headed = false;
        }
        let fixed = corrected(report, self.confidence);
        if fixed == report.text {
            return Ok(());
        }
        let path = report.path.trim_start_matches("./");
        let diff = TextDiff::from_lines(&report.text, &fixed);
        let mut unified = diff.unified_diff();
        unified.context_radius(3);
        if !self.headed {
            self.headed = true;
            let a = quote_path(&format!("a/{path}"));
            let b = quote_path(&format!("b/{path}"));
            writeln!(self.out, "diff --git {a} {b}\n--- {a}\n+++ {b}")?;
        }
        // Hunks carry the file's line numbers: a section starts `origin.line` lines in.
        let before = report.origin.line as isize;
        for hunk in unified.iter_hunks() {
            let (Some(first), Some(last)) = (hunk.ops().first(), hunk.ops().last()) else {
                continue;
            };
            let old = first.old_range().start..last.old_range().end;
            let new = first.new_range().start..last.new_range().end;
            let new_start = (new.start as isize + before + self.shift).max(0) as usize;
            let printed = hunk.to_string();
            let body = printed.split_once('\n').map_or("", |(_, body)| body);
            write!(
                self.out,
                "@@ -{} +{} @@\n{body}",
                hunk_range(old.start + report.origin.line, old.len()),
                hunk_range(new_start, new.len()),
            )?;
        }
        self.shift += fixed.lines().count() as isize - report.text.lines().count() as isize;
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::quote_path;

    #[test]
    fn odd_paths_are_quoted_as_git_quotes_them() {
        assert_eq!(quote_path("a/notes.txt"), "a/notes.txt");
        assert_eq!(quote_path("a/x\ty.txt"), "\"a/x\\ty.txt\"");
        assert_eq!(quote_path("a/x\ny\".txt"), "\"a/x\\ny\\\".txt\"");
        assert_eq!(quote_path("a/back\\slash"), "\"a/back\\\\slash\"");
        assert_eq!(quote_path("a/é\u{1b}"), "\"a/\\303\\251\\033\"");
    }
}
