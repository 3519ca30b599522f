//! The human report: findings in file order, grouped by sentence, each correction shown as
//! an inline word diff, then a summary per file with its worst sentences.

use super::{printable, Sink, Summary};
use crate::audit::{FileReport, LineIndex, SentenceReport};
use crate::finding::{Finding, Severity};
use crate::fix::{apply, Edit};
use crate::text::counted;
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
    /// The summary of the file being printed.
    pending: Option<FileSummary>,
}

impl<'a> TextSink<'a> {
    pub fn new(out: Box<dyn Write + 'a>, style: Style) -> Self {
        TextSink {
            out,
            style,
            pending: None,
        }
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

/// The pieces a word diff compares: runs of letters and digits, runs of spaces, and each
/// other character alone, so that punctuation beside a changed word stays unchanged.
fn diff_tokens(text: &str) -> Vec<&str> {
    #[derive(PartialEq)]
    enum Kind {
        Word,
        Space,
        Other,
    }
    let kind = |c: char| {
        if c.is_alphanumeric() {
            Kind::Word
        } else if c.is_whitespace() {
            Kind::Space
        } else {
            Kind::Other
        }
    };
    let mut tokens = Vec::new();
    let mut start = 0;
    let mut previous: Option<Kind> = None;
    for (i, c) in text.char_indices() {
        let this = kind(c);
        let continues = previous
            .as_ref()
            .is_some_and(|p| *p == this && this != Kind::Other);
        if !continues && i > start {
            tokens.push(&text[start..i]);
            start = i;
        }
        previous = Some(this);
    }
    if start < text.len() {
        tokens.push(&text[start..]);
    }
    tokens
}

/// `before` → `after` as runs of kept, deleted and inserted text, word by word, with
/// adjacent runs of the same kind merged.
pub fn word_changes(before: &str, after: &str) -> Vec<(ChangeTag, String)> {
    let (old, new) = (diff_tokens(before), diff_tokens(after));
    let diff = TextDiff::from_slices(&old, &new);
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

/// A file's summary, gathered over its sections (a large plain-text file comes in several
/// reports) and printed once, when the next file begins or the run ends.
struct FileSummary {
    path: String,
    findings: usize,
    flagged: usize,
    sentences: usize,
    words: usize,
    penalty: f64,
    passed: bool,
    /// The worst sentences so far, worst first: (suspicion, score, file offset, line, text).
    worst: Vec<(f64, f64, usize, usize, String)>,
}

impl FileSummary {
    fn new(path: &str) -> FileSummary {
        FileSummary {
            path: path.to_owned(),
            findings: 0,
            flagged: 0,
            sentences: 0,
            words: 0,
            penalty: 0.0,
            passed: true,
            worst: Vec::new(),
        }
    }

    fn add(&mut self, report: &FileReport, lines: &LineIndex) {
        self.findings += report.findings().count();
        self.flagged += report
            .sentences
            .iter()
            .filter(|s| !s.findings.is_empty())
            .count();
        self.sentences += report.sentences.len();
        self.words += report.words;
        self.penalty += report.penalty;
        self.passed &= report.passed;
        // Sentences without findings can rank here too: suspicion sees what no check flags.
        self.worst.extend(
            report
                .sentences
                .iter()
                .filter(|s| s.suspicion > 0.0)
                .map(|s| {
                    (
                        s.suspicion,
                        s.score,
                        report.file_offset(s.span.start),
                        lines.position(&report.text, s.span.start).0,
                        printable(&excerpt(&report.text[s.span.clone()], 60)).into_owned(),
                    )
                }),
        );
        // Worst first: by suspicion, which weighs every check's evidence and the model's.
        self.worst.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(a.1.total_cmp(&b.1))
                .then(a.2.cmp(&b.2))
        });
        self.worst.truncate(WORST_LISTED);
    }
}

impl TextSink<'_> {
    fn write_summary(&mut self, file: FileSummary) -> io::Result<()> {
        let verdict = if file.passed {
            self.style.paint("32", "passed")
        } else {
            self.style.paint("31;1", "FAILED")
        };
        writeln!(
            self.out,
            "{}: score {:.1}/100, {verdict}; {} in {} of {}, {}",
            printable(&file.path),
            crate::score::score(file.penalty, file.words),
            counted(file.findings, "finding", "findings"),
            file.flagged,
            counted(file.sentences, "sentence", "sentences"),
            counted(file.words, "word", "words")
        )?;
        for (suspicion, score, _, line, text) in &file.worst {
            writeln!(
                self.out,
                "  suspicion {suspicion:>3.0}, score {score:>5.1}  line {line}: {text}"
            )?;
        }
        Ok(())
    }
}

impl Sink for TextSink<'_> {
    fn file(&mut self, report: &FileReport) -> io::Result<()> {
        let continues =
            report.continues_file() && self.pending.as_ref().is_some_and(|p| p.path == report.path);
        if !continues {
            if let Some(done) = self.pending.take() {
                self.write_summary(done)?;
            }
        }
        let lines = report.line_index();
        if let Some(spun) = report.spun {
            writeln!(
                self.out,
                "{}: {} (evidence {:.2}); the confidence of its spinner and context findings is raised\n",
                report.path,
                self.style.paint(
                    "33;1",
                    &format!(
                        "this article reads as machine-spun: {} substitution fingerprints",
                        spun.fingerprints
                    )
                ),
                spun.confidence
            )?;
        }
        // In file order; the worst sentences are listed after the file's summary.
        for sentence in report.sentences.iter().filter(|s| !s.findings.is_empty()) {
            for finding in &sentence.findings {
                self.finding(report, &lines, sentence, finding)?;
            }
            writeln!(self.out)?;
        }
        self.pending
            .get_or_insert_with(|| FileSummary::new(&report.path))
            .add(report, &lines);
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        if let Some(done) = self.pending.take() {
            self.write_summary(done)?;
        }
        if summary.files + summary.not_audited() > 1 {
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

    #[test]
    fn word_diff_keeps_punctuation_out_of_the_change() {
        let plain = Style { color: false };
        let got = word_diff(
            "the ruling bloc, he said",
            "the ruling party, he said",
            plain,
        );
        assert_eq!(got, "the ruling [-bloc-]{+party+}, he said");
        let got = word_diff("led to a dustbin with", "led to a dust-up with", plain);
        assert_eq!(got, "led to a [-dustbin-]{+dust-up+} with");
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

    fn printed(reports: &[FileReport]) -> String {
        let mut out = Vec::new();
        let mut sink = TextSink::new(Box::new(&mut out), Style { color: false });
        let mut summary = Summary::new();
        for report in reports {
            summary.add(report);
            sink.file(report).unwrap();
        }
        sink.finish(&summary).unwrap();
        drop(sink);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_file_in_sections_gets_one_summary_with_its_totals() {
        use crate::audit::{Auditor, SectionOrigin};
        use crate::input::Format;
        let auditor = Auditor::default();
        let first = auditor.audit_text("big.txt", "The council met,, on Monday.\n", Format::Text);
        let second = FileReport {
            origin: SectionOrigin {
                offset: 34,
                line: 1,
                column: 0,
            },
            ..auditor.audit_text("big.txt", "The mayor spoke,, at noon.\n", Format::Text)
        };
        let words = first.words + second.words;
        let out = printed(&[first, second]);
        let summaries: Vec<&str> = out
            .lines()
            .filter(|l| l.starts_with("big.txt: score"))
            .collect();
        assert_eq!(summaries.len(), 1, "{out}");
        assert!(
            summaries[0].ends_with(&format!("2 findings in 2 of 2 sentences, {words} words")),
            "{out}"
        );
    }

    #[test]
    fn findings_come_in_file_order() {
        use crate::audit::Auditor;
        use crate::input::Format;
        let text = "The council met,, on Monday. A quiet vote followed,, as expected.\n\n\
                    The mayor spoke,, at noon about the forced downsizing of the flight.\n\n\
                    Then the crowd left,, quietly.\n";
        let report = Auditor::default().audit_text("a.txt", text, Format::Text);
        assert!(report.findings().count() >= 2, "{:?}", report.sentences);
        let out = printed(&[report]);
        let lines: Vec<usize> = out
            .lines()
            .filter_map(|l| l.strip_prefix("a.txt:")?.split(':').next()?.parse().ok())
            .collect();
        assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{out}");
        assert!(lines.len() >= 4, "{out}");
    }
}
