//! GitHub Actions workflow commands: one `::warning` / `::error` annotation per finding
//! (error for major and critical), then a `::notice` with the totals.

use super::sarif::level;
use super::{InputProblem, ProblemKind, Sink, Summary};
use crate::audit::{FileReport, LineIndex};
use crate::finding::Finding;
use std::io::{self, Write};

/// Escapes a command's message (`%`, CR and LF), and any other control character for the
/// terminal the log may be read on.
fn escape_data(s: &str) -> String {
    let escaped = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    super::printable(&escaped).into_owned()
}

/// Escapes a command's property value (also `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub struct GithubSink<'a> {
    out: Box<dyn Write + 'a>,
}

impl<'a> GithubSink<'a> {
    pub fn new(out: Box<dyn Write + 'a>) -> Self {
        GithubSink { out }
    }

    fn annotation(
        &mut self,
        report: &FileReport,
        lines: &LineIndex,
        finding: &Finding,
    ) -> io::Result<()> {
        let (line, col) = lines.position(&report.text, finding.span.start);
        let (end_line, end) = lines.position(&report.text, finding.span.end);
        // GitHub's endColumn is the last annotated column; ours is one past it.
        let end_column = if end_line == line && end > col {
            end - 1
        } else {
            end
        };
        let title = format!(
            "{} ({}, {})",
            finding.rule, finding.category, finding.severity
        );
        let mut message = format!(
            "{}: “{}”",
            finding.message,
            &report.text[finding.span.clone()]
        );
        if let Some(s) = finding.top_suggestion() {
            message.push_str(&format!(". {}", s.action()));
        }
        writeln!(
            self.out,
            "::{} file={},line={line},col={col},endLine={end_line},endColumn={end_column},title={}::{}",
            level(finding.severity),
            escape_property(report.path.trim_start_matches("./")),
            escape_property(&title),
            escape_data(&message)
        )
    }
}

impl Sink for GithubSink<'_> {
    fn file(&mut self, report: &FileReport) -> io::Result<()> {
        let lines = report.line_index();
        for finding in report.findings() {
            self.annotation(report, &lines, finding)?;
        }
        Ok(())
    }

    fn problem(&mut self, problem: &InputProblem) -> io::Result<()> {
        let level = match problem.kind {
            ProblemKind::Error => "error",
            ProblemKind::Skipped | ProblemKind::Empty => "warning",
        };
        writeln!(
            self.out,
            "::{level} file={},title=mtaudit::{}",
            escape_property(&problem.path),
            escape_data(&problem.message)
        )
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        writeln!(
            self.out,
            "::notice title=mtaudit::{}",
            escape_data(&summary.totals())
        )?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Auditor;
    use crate::input::Format;

    fn annotations(text: &str) -> String {
        let report = Auditor::default().audit_text("a.txt", text, Format::Text);
        let mut out = Vec::new();
        GithubSink::new(Box::new(&mut out)).file(&report).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_suggestion_reads_as_in_the_other_reports() {
        let replaced = annotations("The plane made a forced downsizing in Minsk.");
        assert!(
            replaced.contains("“forced downsizing”. Replace with “forced landing”"),
            "{replaced}"
        );
        let deleted =
            annotations("The council approved the plans. territorial disputes remain open.");
        assert!(deleted.contains("“.”. Delete\n"), "{deleted}");
        assert!(!deleted.contains("“”"), "{deleted}");
    }

    #[test]
    fn escapes_per_workflow_command_rules() {
        assert_eq!(escape_data("100% a\r\nb"), "100%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
