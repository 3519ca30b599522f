//! The one place that edits text: non-overlapping replacements applied to the original bytes.

use crate::finding::Finding;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Range<usize>,
    pub replacement: String,
}

/// Two edits conflict when their spans share a byte, or both insert at the same point.
pub fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    (a.start < b.end && b.start < a.end) || (a.start == b.start && (a.is_empty() || b.is_empty()))
}

/// Picks each finding's top suggestion at or above `min_confidence`, most confident first,
/// dropping any that would overlap one already chosen. Returned in file order.
pub fn select_edits<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
    min_confidence: f32,
) -> Vec<Edit> {
    let mut candidates: Vec<(f32, Edit)> = findings
        .into_iter()
        .filter_map(|f| {
            let s = f.top_suggestion()?;
            (s.confidence >= min_confidence).then(|| {
                (
                    s.confidence,
                    Edit {
                        span: f.span.clone(),
                        replacement: s.replacement.clone(),
                    },
                )
            })
        })
        .collect();
    candidates.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.span.start.cmp(&b.1.span.start))
    });
    let mut chosen: Vec<Edit> = Vec::new();
    for (_, edit) in candidates {
        if !chosen.iter().any(|c| overlaps(&c.span, &edit.span)) {
            chosen.push(edit);
        }
    }
    chosen.sort_by_key(|e| (e.span.start, e.span.end));
    chosen
}

/// Applies non-overlapping edits (in file order) to `text`.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in edits {
        debug_assert!(edit.span.start >= at, "edits overlap or are out of order");
        out.push_str(&text[at..edit.span.start]);
        out.push_str(&edit.replacement);
        at = edit.span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Applies every finding's top suggestion that fits (the `fix --confidence 0` result).
pub fn apply_top_suggestions(text: &str, findings: &[Finding]) -> String {
    apply(text, &select_edits(findings, 0.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Category, Severity};
    use proptest::prelude::*;

    fn finding(span: Range<usize>, replacement: &str, confidence: f32) -> Finding {
        Finding::new("t", Category::Style, Severity::Minor, span, "m")
            .confidence(confidence)
            .suggest(replacement)
    }

    #[test]
    fn overlapping_keeps_the_more_confident() {
        let text = "the forced downsizing here";
        let fs = [
            finding(4..21, "forced landing", 0.6),
            finding(11..21, "landing", 0.9),
        ];
        assert_eq!(apply_top_suggestions(text, &fs), "the forced landing here");
    }

    #[test]
    fn below_threshold_is_skipped() {
        let fs = [finding(0..1, "A", 0.4)];
        assert!(select_edits(&fs, 0.5).is_empty());
    }

    proptest! {
        /// Whatever the findings, chosen edits never overlap and text outside them is kept.
        #[test]
        fn edits_never_overlap_and_keep_outside_text(
            text in "[a-z ]{0,60}",
            raw in proptest::collection::vec((0usize..60, 0usize..8, "[A-Z]{0,3}", 0f32..1.0), 0..12),
        ) {
            let findings: Vec<Finding> = raw
                .iter()
                .filter(|(s, _, _, _)| *s <= text.len())
                .map(|(s, l, r, c)| finding(*s..(*s + l).min(text.len()), r, *c))
                .collect();
            let edits = select_edits(&findings, 0.0);
            for pair in edits.windows(2) {
                prop_assert!(!overlaps(&pair[0].span, &pair[1].span));
                prop_assert!(pair[0].span.end <= pair[1].span.start);
            }
            let out = apply(&text, &edits);
            // Rebuild the untouched pieces and check they appear in order.
            let mut at = 0;
            let mut pos = 0;
            for e in &edits {
                let keep = &text[at..e.span.start];
                prop_assert_eq!(&out[pos..pos + keep.len()], keep);
                pos += keep.len() + e.replacement.len();
                at = e.span.end;
            }
            prop_assert_eq!(&out[pos..], &text[at..]);
        }
    }
}
