//! The human report: findings grouped by sentence, worst sentences first, each correction
//! shown as an inline word diff, then a summary per file.

use super::{Sink, Summary};
use crate::audit::{FileReport, LineIndex, SentenceReport};
use crate::finding::{Finding, Severity};
use crate::fix::{apply, Edit};
use similar::{ChangeTag, TextDiff};
use std::io::{self, Write};

/// Whether to colour the output (decided once by the CLI from `--color` and the terminal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn deleted(&self, text: &str) -> String {
        if self.color {
            self.paint("31;9", text)
        } else {
            format!("[-{text}-]")
        }
    }

    fn inserted(&self, text: &str) -> String {
        if self.color {
            self.paint("32;1", text)
        } else {
            format!("{{+{text}+}}")
        }
    }

    fn severity(&self, severity: Severity) -> String {
        let code = match severity {
            Severity::Minor => "36",
            Severity::Major => "33;1",
            Severity::Critical => "31;1",
        };
        self.paint(code, severity.as_str())
    }
}

/// How many of the worst sentences the summary lists.
const WORST_LISTED: usize = 3;

pub struct TextSink<'a> {
    out: Box<dyn Write + 'a>,
    style: Style,
}

impl<'a> TextSink<'a> {
    pub fn new(out: Box<dyn Write + 'a>, style: Style) -> Self {
        TextSink { out, style }
    }

    fn finding(
        &mut self,
        report: &FileReport,
        lines: &LineIndex,
        sentence: &SentenceReport,
        finding: &Finding,
    ) -> io::Result<()> {
        let (line, column) = lines.position(&report.text, finding.span.start);
        writeln!(
            self.out,
            "{}:{line}:{column}: {} {} {}: {}",
            report.path,
            self.style.severity(finding.severity),
            finding.category,
            finding.rule,
            finding.message
        )?;
        let (shown, after) = correction(&report.text, sentence, finding);
        let before = &report.text[shown.clone()];
        let line_text = if after == before {
            mark(
                before,
                finding.span.start - shown.start..finding.span.end - shown.start,
                self.style,
            )
        } else {
            word_diff(before, &after, self.style)
        };
        writeln!(self.out, "   | {}", line_text.replace('\n', " "))?;
        if let Some(evidence) = &finding.evidence {
            writeln!(self.out, "   = {evidence}")?;
        }
        if finding.suggestions.len() > 1 {
            let others: Vec<String> = finding.suggestions[1..]
                .iter()
                .map(|s| format!("“{}”", s.replacement))
                .collect();
            writeln!(self.out, "   = also: {}", others.join(", "))?;
        }
        Ok(())
    }
}

/// The text shown for a finding (its sentence, widened to the finding) and that text with
/// the top suggestion applied (unchanged when there is none).
pub fn correction(
    text: &str,
    sentence: &SentenceReport,
    finding: &Finding,
) -> (std::ops::Range<usize>, String) {
    let shown =
        sentence.span.start.min(finding.span.start)..sentence.span.end.max(finding.span.end);
    let before = &text[shown.clone()];
    let after = match finding.top_suggestion() {
        Some(s) => apply(
            before,
            &[Edit {
                span: finding.span.start - shown.start..finding.span.end - shown.start,
                replacement: s.replacement.clone(),
            }],
        ),
        None => before.to_owned(),
    };
    (shown, after)
}

/// Underlines (or brackets) the flagged span when there is no correction to show.
fn mark(text: &str, span: std::ops::Range<usize>, style: Style) -> String {
    let flagged = &text[span.clone()];
    let marked = if style.color {
        style.paint("4", flagged)
    } else {
        format!(">>{flagged}<<")
    };
    format!("{}{}{}", &text[..span.start], marked, &text[span.end..])
}

/// `before` → `after` as runs of kept, deleted and inserted text, word by word, with
/// adjacent runs of the same kind merged.
pub fn word_changes(before: &str, after: &str) -> Vec<(ChangeTag, String)> {
    let diff = TextDiff::from_words(before, after);
    let mut runs: Vec<(ChangeTag, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        match runs.last_mut() {
            Some((tag, text)) if *tag == change.tag() => text.push_str(change.value()),
            _ => runs.push((change.tag(), change.value().to_owned())),
        }
    }
    runs
}

/// Renders `before` → `after` as one line with deletions and insertions marked.
pub fn word_diff(before: &str, after: &str, style: Style) -> String {
    word_changes(before, after)
        .iter()
        .map(|(tag, value)| match tag {
            ChangeTag::Equal => value.clone(),
            ChangeTag::Delete => style.deleted(value),
            ChangeTag::Insert => style.inserted(value),
        })
        .collect()
}

pub(super) fn excerpt(text: &str, max_chars: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max_chars {
        flat
    } else {
        let cut: String = flat.chars().take(max_chars - 1).collect();
        format!("{cut}…")
    }
}

impl Sink for TextSink<'_> {
    fn file(&mut self, report: &FileReport) -> io::Result<()> {
        let lines = report.line_index();
        let mut flagged: Vec<&SentenceReport> = report
            .sentences
            .iter()
            .filter(|s| !s.findings.is_empty())
            .collect();
        // Worst first: by suspicion, which weighs every check's evidence and the model's.
        let worst_first = |a: &&SentenceReport, b: &&SentenceReport| {
            b.suspicion
                .total_cmp(&a.suspicion)
                .then(a.score.total_cmp(&b.score))
                .then(a.span.start.cmp(&b.span.start))
        };
        flagged.sort_by(worst_first);

        for sentence in &flagged {
            for finding in &sentence.findings {
                self.finding(report, &lines, sentence, finding)?;
            }
            writeln!(self.out)?;
        }
        let findings = report.findings().count();
        let verdict = if report.passed {
            self.style.paint("32", "passed")
        } else {
            self.style.paint("31;1", "FAILED")
        };
        writeln!(
            self.out,
            "{}: score {:.1}/100, {verdict}; {findings} finding{} in {} of {} sentences, {} words",
            report.path,
            report.score,
            if findings == 1 { "" } else { "s" },
            flagged.len(),
            report.sentences.len(),
            report.words
        )?;
        // Sentences without findings can rank here too: suspicion sees what no check flags.
        let mut worst: Vec<&SentenceReport> = report.sentences.iter().collect();
        worst.sort_by(worst_first);
        for sentence in worst
            .iter()
            .take(WORST_LISTED)
            .filter(|s| s.suspicion > 0.0)
        {
            let line = lines.position(&report.text, sentence.span.start).0;
            writeln!(
                self.out,
                "  suspicion {:>3.0}, score {:>5.1}  line {line}: {}",
                sentence.suspicion,
                sentence.score,
                excerpt(&report.text[sentence.span.clone()], 60)
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        if summary.files > 1 {
            writeln!(self.out, "\n{}", summary.totals())?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_marks_changes_without_colour() {
        let got = word_diff(
            "the forced downsizing of",
            "the forced landing of",
            Style { color: false },
        );
        assert_eq!(got, "the forced [-downsizing-]{+landing+} of");
    }
}
