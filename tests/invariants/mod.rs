//! What holds of every audit whatever the input, shared by the property tests (`tests/`) and
//! the fuzz targets (`fuzz/`, which include this file by path): spans inside the file on
//! character boundaries, fixes that never overlap, and fixes that settle (re-auditing the
//! fixed file never proposes an applied replacement again within the text it wrote).

use mtaudit::audit::{Auditor, FileReport};
use mtaudit::fix::{apply, select_edits, Edit};
use mtaudit::input::{Document, Format};
use std::ops::Range;

/// Asserts that `span` is a valid slice of `text`.
pub fn assert_span_in(text: &str, span: &Range<usize>, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} span {span:?} outside the text ({} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} span {span:?} not on character boundaries"
    );
}

/// Asserts what every reader promises of a document: a prose view exactly as long as the
/// file, blocks inside it and in order, for a bilingual format one unit per block, and unit
/// target spans inside the file.
pub fn assert_document(document: &Document, format: Format) {
    let len = document.text.len();
    assert_eq!(document.prose.len(), len, "the prose view changed length");
    if format.is_bilingual() {
        assert_eq!(document.units.len(), document.blocks.len());
    }
    for block in &document.blocks {
        assert!(
            document.prose.get(block.clone()).is_some(),
            "block {block:?}"
        );
    }
    for pair in document.blocks.windows(2) {
        assert!(
            pair[0].end <= pair[1].start,
            "blocks out of order: {pair:?}"
        );
    }
    for unit in &document.units {
        for end in 0..=unit.target.len() {
            let span = unit.target_span(0..end);
            assert!(span.start <= span.end && span.end <= len, "{span:?}");
        }
    }
}

/// Asserts that every sentence and finding span of the report is a slice of its text.
pub fn assert_spans(report: &FileReport) {
    for sentence in &report.sentences {
        assert_span_in(&report.text, &sentence.span, "sentence");
    }
    for finding in report.findings() {
        assert_span_in(&report.text, &finding.span, finding.rule);
    }
}

/// Applies every top suggestion to the report's file (as `fix --confidence 0` does) and
/// audits the result, asserting that the edits do not overlap, that a file that parsed still
/// parses, and that no finding of the re-audit lies within the text an edit wrote suggesting
/// that same replacement: the same fix again, or one that would grow with every run ("big
/// data" → "big data set" flagged inside "big data set"). Returns the re-audit.
pub fn assert_fixes_settle(auditor: &Auditor, report: &FileReport, format: Format) -> FileReport {
    assert_spans(report);
    let edits = select_edits(report.findings(), 0.0);
    for pair in edits.windows(2) {
        assert!(
            pair[0].span.end <= pair[1].span.start,
            "edits overlap: {:?} and {:?}",
            pair[0].span,
            pair[1].span
        );
    }
    let fixed = apply(&report.text, &edits);
    let document = Document::parse(fixed, format)
        .unwrap_or_else(|e| panic!("the fixed file no longer reads: {e}"));
    let again = auditor.audit_document(&report.path, document, format);
    assert_spans(&again);
    for (edit, written) in edits.iter().zip(written_spans(&edits)) {
        let repeated = again.findings().find(|f| {
            written.start <= f.span.start
                && f.span.end <= written.end
                && f.top_suggestion()
                    .is_some_and(|s| s.replacement == edit.replacement)
        });
        assert!(
            repeated.is_none(),
            "after replacing {:?} with {:?}, {} proposes the same replacement again",
            &report.text[edit.span.clone()],
            edit.replacement,
            repeated.map_or("", |f| f.rule)
        );
    }
    again
}

/// Where each edit's replacement lies in the fixed text.
fn written_spans(edits: &[Edit]) -> Vec<Range<usize>> {
    let mut grown: isize = 0;
    edits
        .iter()
        .map(|edit| {
            let start = edit.span.start.checked_add_signed(grown).expect("in order");
            grown += edit.replacement.len() as isize - edit.span.len() as isize;
            start..start + edit.replacement.len()
        })
        .collect()
}
