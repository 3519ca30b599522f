//! The pipeline: document → sentences → findings → scored report.

use crate::baseline::Baseline;
use crate::checks::{self, Analysis, Check};
use crate::context::spinning::{self, Spun};
use crate::context::suspicion;
use crate::context::words::{runs, Run};
use crate::finding::{Finding, Severity};
use crate::input::{Document, Format, InputError, Unit};
use crate::model::Model;
use crate::score::{score, Weights};
use crate::suppress::Suppressions;
use crate::text::{segment, Sentence};
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

/// What decides which findings are reported and whether a file passes.
#[derive(Debug, Clone)]
pub struct AuditConfig {
    pub weights: Weights,
    /// A document passes when its score is at least this.
    pub min_score: f64,
    /// A document fails when any finding is at least this severe.
    pub fail_on: Option<Severity>,
    /// Findings below this confidence are not reported.
    pub min_confidence: f32,
    /// Severity overrides by rule (the config file's `[rules.NAME] severity`).
    pub severity: BTreeMap<String, Severity>,
    /// Report inline suppressions that silenced nothing, as findings.
    pub report_unused_suppressions: bool,
    /// Findings recorded here are not reported (`--baseline`).
    pub baseline: Option<Arc<Baseline>>,
}

impl Default for AuditConfig {
    fn default() -> Self {
        AuditConfig {
            weights: Weights::default(),
            min_score: 90.0,
            fail_on: None,
            min_confidence: 0.5,
            severity: BTreeMap::new(),
            report_unused_suppressions: false,
            baseline: None,
        }
    }
}

pub struct Auditor {
    checks: Vec<Box<dyn Check>>,
    pub config: AuditConfig,
    /// The deep tier, when `--deep` asks for it: judges the checks' word-choice findings.
    #[cfg(feature = "deep")]
    pub deep: Option<Arc<crate::deep::Deep>>,
}

impl Default for Auditor {
    fn default() -> Self {
        Auditor::new(AuditConfig::default(), checks::default_checks())
    }
}

#[derive(Debug, Clone)]
pub struct SentenceReport {
    pub span: Range<usize>,
    pub words: usize,
    pub score: f64,
    /// How unlike written English the model finds the sentence, 0–100 (SLOR-based).
    pub surprise: f64,
    /// The review order, 0–100: the model's surprise combined with every check's evidence,
    /// including candidates below the report threshold. Never a finding by itself.
    pub suspicion: f64,
    pub findings: Vec<Finding>,
}

/// Where a report's text begins in its file. A large plain-text input is audited in
/// sections (see `input::sections`); spans index the section's own text, and printers add
/// the origin to show the file's offsets, lines and columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SectionOrigin {
    /// Byte offset of the text in the file.
    pub offset: usize,
    /// Lines of the file before the text.
    pub line: usize,
    /// Characters before the text on its first line (a section cut inside a very long line).
    pub column: usize,
}

#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: String,
    /// The original file contents (or one section of them), which every span indexes.
    pub text: String,
    /// Where `text` begins in the file: zero unless the file was audited in sections.
    pub origin: SectionOrigin,
    /// How the input was read (chosen by `--input-format` or the extension).
    pub format: Format,
    /// A bilingual input's translation units (`units[i]` is the unit whose target is
    /// `unit_blocks[i]`) and its prose view (entities decoded, inline tags blanked), for
    /// printers that show a unit's source; all empty for a monolingual input.
    pub units: Vec<Unit>,
    pub unit_blocks: Vec<Range<usize>>,
    pub prose: String,
    pub words: usize,
    /// Sum of the severity weights of every finding.
    pub penalty: f64,
    pub score: f64,
    pub passed: bool,
    /// Set when the document reads as machine-spun (see `context::spinning`).
    pub spun: Option<Spun>,
    pub sentences: Vec<SentenceReport>,
}

impl FileReport {
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.sentences.iter().flat_map(|s| s.findings.iter())
    }

    /// Lines and columns of this report's offsets, counted in the whole file.
    pub fn line_index(&self) -> LineIndex {
        LineIndex {
            origin: self.origin,
            ..LineIndex::new(&self.text)
        }
    }

    /// The file's byte offset of an offset into `text`.
    pub fn file_offset(&self, offset: usize) -> usize {
        self.origin.offset + offset
    }

    /// True for the second and later sections of a file audited in sections.
    pub fn continues_file(&self) -> bool {
        self.origin.offset > 0
    }
}

impl Auditor {
    /// Whether the deep tier runs: seconds per page, where the fast tier takes milliseconds.
    /// It then counts each document's bytes on the progress bar itself, sentence by sentence
    /// (`show_progress`), and the caller counts only the other auditors' documents.
    pub fn is_deep(&self) -> bool {
        #[cfg(feature = "deep")]
        return self.deep.is_some();
        #[cfg(not(feature = "deep"))]
        false
    }

    /// Lets the deep tier, if it runs, count the bytes it reads on `bar`.
    pub fn show_progress(&self, bar: &indicatif::ProgressBar) {
        #[cfg(feature = "deep")]
        if let Some(deep) = &self.deep {
            deep.show_progress(bar.clone());
        }
        #[cfg(not(feature = "deep"))]
        let _ = bar;
    }

    pub fn new(config: AuditConfig, checks: Vec<Box<dyn Check>>) -> Auditor {
        Auditor {
            checks,
            config,
            #[cfg(feature = "deep")]
            deep: None,
        }
    }

    pub fn audit_bytes(
        &self,
        path: &str,
        bytes: Vec<u8>,
        format: Format,
    ) -> Result<FileReport, InputError> {
        let document = Document::from_bytes(bytes, format)?;
        Ok(self.audit_document(path, document, format))
    }

    pub fn audit_text(&self, path: &str, text: &str, format: Format) -> FileReport {
        self.audit_document(path, Document::from_text(text.to_owned(), format), format)
    }

    /// Audits a document read as `format`.
    pub fn audit_document(&self, path: &str, mut document: Document, format: Format) -> FileReport {
        let suppressions = suppressions(&document);
        let mut prose = std::mem::take(&mut document.prose).into_bytes();
        for span in suppressions.comment_spans() {
            crate::input::blank_out(&mut prose, span);
        }
        document.prose = String::from_utf8(prose).expect("blanking keeps UTF-8");
        let sentences = segment(&document.prose, &document.blocks);
        let model = Model::embedded();
        let runs: Vec<Vec<Run>> = sentences.iter().map(|s| runs(s, model)).collect();
        let analysis = Analysis {
            text: &document.text,
            sentences: &sentences,
            prose: &document.prose,
            blocks: &document.blocks,
            units: &document.units,
            missing: &document.missing,
            runs: &runs,
        };
        let mut findings = Vec::new();
        for check in &self.checks {
            check.run(&analysis, &mut findings);
        }
        document
            .host
            .fit(&document.text, &document.prose, &mut findings);
        findings.retain(|f| !f.reads_its_suggestion(&document.text));
        #[cfg(feature = "deep")]
        if let Some(deep) = &self.deep {
            deep.review(&document.prose, &sentences, &mut findings);
            findings.retain(|f| !f.reads_its_suggestion(&document.text));
        }
        let spun = spinning::corroborate(&mut findings);
        let mut reports: Vec<SentenceReport> = sentences
            .iter()
            .zip(&runs)
            .map(|(s, runs)| SentenceReport {
                span: s.span.clone(),
                words: s.word_count(),
                score: 100.0,
                surprise: 100.0 * surprise(s, runs),
                suspicion: 0.0,
                findings: Vec::new(),
            })
            .collect();
        // A unit left untranslated has no sentence: its source stands in for one, so that
        // what is found there (`missing-translation`) is reported and scored in its place.
        let untranslated = document
            .missing
            .iter()
            .filter(|m| findings.iter().any(|f| m.span.contains(&f.span.start)));
        reports.extend(untranslated.map(|m| SentenceReport {
            span: m.span.clone(),
            words: 0,
            score: 100.0,
            surprise: 0.0,
            suspicion: 0.0,
            findings: Vec::new(),
        }));
        reports.sort_by_key(|r| r.span.start);
        let mut evidence: Vec<Vec<f64>> = vec![Vec::new(); reports.len()];
        for finding in &findings {
            if let Some(i) = home_sentence(&reports, &finding.span) {
                evidence[i].push(f64::from(finding.confidence));
            }
        }
        for (report, evidence) in reports.iter_mut().zip(evidence) {
            let combined =
                suspicion::combine(evidence.into_iter().chain([report.surprise / 100.0]));
            report.suspicion = (1000.0 * combined).round() / 10.0;
        }
        findings.retain(|f| f.confidence >= self.config.min_confidence);
        findings.sort_by_key(|f| (f.span.start, f.span.end));
        let mut findings = suppressions.apply(findings, self.config.report_unused_suppressions);
        for f in &mut findings {
            if let Some(&severity) = self.config.severity.get(f.rule) {
                f.severity = severity;
            }
        }
        if let Some(baseline) = &self.config.baseline {
            findings = baseline.filter(path, &document.text, findings);
        }
        findings.sort_by_key(|f| (f.span.start, f.span.end));
        for finding in findings {
            if let Some(i) = home_sentence(&reports, &finding.span) {
                reports[i].findings.push(finding);
            }
        }
        let words = reports.iter().map(|s| s.words).sum();
        let bilingual = !document.units.is_empty();
        let mut report = FileReport {
            path: path.to_owned(),
            passed: true,
            text: document.text,
            origin: SectionOrigin::default(),
            format,
            unit_blocks: if bilingual {
                document.blocks
            } else {
                Vec::new()
            },
            prose: if bilingual {
                document.prose
            } else {
                String::new()
            },
            units: document.units,
            words,
            penalty: 0.0,
            score: 100.0,
            spun,
            sentences: reports,
        };
        report.rescore(&self.config);
        report
    }
}

impl FileReport {
    /// Keeps only the findings `keep` accepts (given the file text), then scores again: for
    /// findings hidden after the audit, such as those rejected in `mtaudit review`.
    pub fn retain_findings(
        &mut self,
        config: &AuditConfig,
        mut keep: impl FnMut(&str, &Finding) -> bool,
    ) {
        let text = &self.text;
        for sentence in &mut self.sentences {
            sentence.findings.retain(|f| keep(text, f));
        }
        self.rescore(config);
    }

    /// Sentence scores, file penalty, score and verdict from the findings now held.
    fn rescore(&mut self, config: &AuditConfig) {
        let weights = &config.weights;
        for sentence in &mut self.sentences {
            sentence.score = score(weights.penalty(&sentence.findings), sentence.words);
        }
        self.penalty = weights.penalty(self.findings());
        self.score = score(self.penalty, self.words);
        let too_severe = config
            .fail_on
            .is_some_and(|level| self.findings().any(|f| f.severity >= level));
        self.passed = self.score >= config.min_score && !too_severe;
    }
}

/// The model's surprise at a sentence, 0..1 (0 when it knows too few of its words).
fn surprise(sentence: &Sentence, runs: &[Run]) -> f64 {
    let model = Model::embedded();
    suspicion::slor(runs, sentence.word_count(), model).map_or(0.0, suspicion::from_slor)
}

/// The inline suppressions of a document: written in HTML (and XML) comments, and in a
/// bilingual file's unit notes and comments.
fn suppressions(document: &Document) -> Suppressions {
    let mut comments = crate::suppress::html_comments(&document.text);
    comments.extend(document.unit_comments());
    comments.sort_by_key(|c| c.span.start);
    Suppressions::new(&document.text, &comments)
}

/// The sentence holding the finding's start; a finding between sentences goes to the next one.
fn home_sentence(sentences: &[SentenceReport], span: &Range<usize>) -> Option<usize> {
    let after = sentences.partition_point(|s| s.span.end <= span.start);
    if after < sentences.len() {
        Some(after)
    } else {
        sentences.len().checked_sub(1)
    }
}

/// Where each line after the first begins: after a line feed, or after a carriage return that
/// no line feed follows (a lone CR ends a line too, as old Mac files have it).
pub fn line_starts(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes.iter().enumerate().filter_map(|(i, &b)| {
        let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        ends_line.then_some(i + 1)
    })
}

/// Bytes between the points at which [`LineIndex`] records a character count: a column is
/// counted from the nearest point before it, never from the start of a long line.
const COUNTED_EVERY: usize = 4096;

/// 1-based line and character column of byte offsets, for display only.
pub struct LineIndex {
    starts: Vec<usize>,
    /// (byte offset, characters before it) at least every `COUNTED_EVERY` bytes and at every
    /// line start, in order.
    counted: Vec<(usize, usize)>,
    /// Where the text begins in its file (a section of a large file).
    origin: SectionOrigin,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let starts: Vec<usize> = std::iter::once(0)
            .chain(line_starts(text.as_bytes()))
            .collect();
        let mut counted = Vec::with_capacity(starts.len() + text.len() / COUNTED_EVERY + 1);
        counted.push((0, 0));
        let mut later_starts = starts[1..].iter().copied().peekable();
        let (mut at, mut chars) = (0, 0);
        while at < text.len() {
            let step = crate::text::char_floor(text, at + COUNTED_EVERY);
            let point = later_starts.next_if(|&start| start <= step).unwrap_or(step);
            chars += text[at..point].chars().count();
            at = point;
            counted.push((at, chars));
        }
        LineIndex {
            starts,
            counted,
            origin: SectionOrigin::default(),
        }
    }

    /// Characters in `text` before byte `offset`.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let i = self.counted.partition_point(|&(at, _)| at <= offset) - 1;
        let (at, chars) = self.counted[i];
        chars + text[at..offset].chars().count()
    }

    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let mut column = self.chars_before(text, offset) - self.chars_before(text, start) + 1;
        if line == 0 {
            column += self.origin.column;
        }
        (self.origin.line + line + 1, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_characters() {
        let text = "ab\n“é” x";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), (1, 1));
        assert_eq!(index.position(text, text.find('x').unwrap()), (2, 5));
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "one\rtwo\r\nthree\nfour\r";
        let index = LineIndex::new(text);
        let at = |word: &str| index.position(text, text.find(word).unwrap());
        assert_eq!(at("two"), (2, 1));
        assert_eq!(at("three"), (3, 1));
        assert_eq!(at("four"), (4, 1));
        assert_eq!(index.position(text, text.len()), (5, 1));
    }

    #[test]
    fn columns_on_a_long_line_match_a_count_from_its_start() {
        let line = "é “word” x ".repeat(3000);
        let text = format!("first\n{line}\n{line}");
        let index = LineIndex::new(&text);
        for offset in (0..text.len())
            .filter(|&o| text.is_char_boundary(o))
            .step_by(997)
        {
            let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..offset].matches('\n').count() + 1;
            let column = text[start..offset].chars().count() + 1;
            assert_eq!(index.position(&text, offset), (line, column), "at {offset}");
        }
    }

    #[test]
    fn a_section_counts_lines_and_columns_in_its_file() {
        let report = FileReport {
            origin: SectionOrigin {
                offset: 1000,
                line: 40,
                column: 7,
            },
            ..Auditor::default().audit_text("big.txt", "ab\ncd", Format::Text)
        };
        let index = report.line_index();
        assert_eq!(index.position(&report.text, 1), (41, 9));
        assert_eq!(index.position(&report.text, 4), (42, 2));
        assert_eq!(report.file_offset(4), 1004);
    }

    #[test]
    fn finding_goes_to_its_sentence() {
        let s = |a, b| SentenceReport {
            span: a..b,
            words: 1,
            score: 100.0,
            surprise: 0.0,
            suspicion: 0.0,
            findings: vec![],
        };
        let sentences = [s(0, 5), s(7, 12)];
        assert_eq!(home_sentence(&sentences, &(3..4)), Some(0));
        assert_eq!(home_sentence(&sentences, &(5..6)), Some(1));
        assert_eq!(home_sentence(&sentences, &(13..14)), Some(1));
    }
}
