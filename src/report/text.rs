//! The human report: findings grouped by sentence, worst sentences first, each correction
//! shown as an inline word diff, then a summary per file.

use super::{printable, Sink, Summary};
use crate::audit::{FileReport, LineIndex, SentenceReport};
use crate::finding::{Finding, Severity};
use crate::fix::{apply, Edit};
use crate::text::{char_floor, window};
use similar::{ChangeTag, TextDiff};
use std::io::{self, Write};
use std::ops::Range;

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
            printable(&report.path),
            self.style.severity(finding.severity),
            finding.category,
            finding.rule,
            printable(&finding.message)
        )?;
        let shown = correction(&report.text, sentence, finding);
        let line_text = match &shown.after {
            Some(after) => word_diff(&printable(&shown.before), &printable(after), self.style),
            None => mark(&shown.before, shown.flagged.clone(), self.style),
        };
        writeln!(self.out, "   | {}", line_text.replace('\n', " "))?;
        if let Some(evidence) = &finding.evidence {
            writeln!(self.out, "   = {}", printable(evidence))?;
        }
        if finding.suggestions.len() > 1 {
            let others: Vec<String> = finding.suggestions[1..]
                .iter()
                .map(|s| format!("“{}”", printable(&s.replacement)))
                .collect();
            writeln!(self.out, "   = also: {}", others.join(", "))?;
        }
        Ok(())
    }
}

/// What the report shows of a finding: the text around it, where in that text the flagged
/// part is, and the text with the top suggestion applied when that changes it.
pub struct Shown {
    pub before: String,
    pub flagged: Range<usize>,
    pub after: Option<String>,
}

/// Bytes shown on each side of a finding in a long sentence. A flagged part longer than
/// twice this is shown by its two ends, without a diff: so a huge sentence or unit with many
/// findings gives a report that grows with the findings, not with their product.
const CONTEXT: usize = 400;

/// The finding in its sentence, cut around it when the sentence is long (`…` marks a cut).
pub fn correction(text: &str, sentence: &SentenceReport, finding: &Finding) -> Shown {
    let span = finding.span.clone();
    if span.len() > 2 * CONTEXT {
        let head = char_floor(text, span.start + CONTEXT);
        let tail = char_floor(text, span.end - CONTEXT);
        let before = format!("{}…{}", &text[span.start..head], &text[tail..span.end]);
        return Shown {
            flagged: 0..before.len(),
            before,
            after: None,
        };
    }
    let whole = sentence.span.start.min(span.start)..sentence.span.end.max(span.end);
    let shown = window(text, &whole, &span, CONTEXT);
    let lead = if shown.start > whole.start { "…" } else { "" };
    let trail = if shown.end < whole.end { "…" } else { "" };
    let before = format!("{lead}{}{trail}", &text[shown.clone()]);
    let flagged = lead.len() + span.start - shown.start..lead.len() + span.end - shown.start;
    let after = finding.top_suggestion().map(|s| {
        apply(
            &before,
            &[Edit {
                span: flagged.clone(),
                replacement: s.replacement.clone(),
            }],
        )
    });
    Shown {
        after: after.filter(|a| *a != before),
        before,
        flagged,
    }
}

/// Underlines (or brackets) the flagged span when there is no correction to show.
fn mark(text: &str, span: Range<usize>, style: Style) -> String {
    let flagged = printable(&text[span.clone()]);
    let marked = if style.color {
        style.paint("4", &flagged)
    } else {
        format!(">>{flagged}<<")
    };
    let (before, after) = (printable(&text[..span.start]), printable(&text[span.end..]));
    format!("{before}{marked}{after}")
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
            printable(&report.path),
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
                printable(&excerpt(&report.text[sentence.span.clone()], 60))
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

    fn sentence(span: Range<usize>) -> SentenceReport {
        SentenceReport {
            span,
            words: 0,
            score: 0.0,
            surprise: 0.0,
            suspicion: 0.0,
            findings: Vec::new(),
        }
    }

    fn finding(span: Range<usize>) -> Finding {
        use crate::finding::Category;
        Finding::new("r", Category::Style, Severity::Minor, span, "m")
    }

    #[test]
    fn a_long_sentence_is_cut_around_its_finding() {
        let text = format!(
            "{}the forced downsizing of{}",
            "é ".repeat(5000),
            " x".repeat(5000)
        );
        let at = text.find("downsizing").unwrap();
        let flagged = finding(at..at + "downsizing".len()).suggest("landing");
        let shown = correction(&text, &sentence(0..text.len()), &flagged);
        assert!(
            shown.before.len() < 2 * CONTEXT + 20,
            "{}",
            shown.before.len()
        );
        assert!(shown.before.starts_with('…') && shown.before.ends_with('…'));
        assert_eq!(&shown.before[shown.flagged.clone()], "downsizing");
        let after = shown.after.unwrap();
        assert_eq!(after.replace("landing", "downsizing"), shown.before);

        let short = "A short sentence with downsizing in it.";
        let at = short.find("downsizing").unwrap();
        let shown = correction(short, &sentence(0..short.len()), &finding(at..at + 10));
        assert_eq!(shown.before, short);
    }

    #[test]
    fn a_long_flagged_part_is_shown_by_its_ends() {
        let text = "word ".repeat(10_000);
        let shown = correction(&text, &sentence(0..text.len()), &finding(5..text.len() - 5));
        assert!(shown.before.len() <= 2 * CONTEXT + 3);
        assert!(shown.before.contains('…'));
        assert_eq!(shown.flagged, 0..shown.before.len());
        assert!(shown.after.is_none());
    }
}
