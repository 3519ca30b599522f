//! The order in which findings are put to the reviewer.
//!
//! File order, except inside a group of overlapping findings, which is ordered the way
//! `fix::select_edits` ranks them (top suggestion's confidence, highest first; then file
//! order; findings without a suggestion last). Accepting a finding makes the ones that
//! overlap it moot, so accepting every suggestion in this order chooses exactly the edits that
//! `select_edits(findings, 0.0)` chooses: the review and `mtaudit fix --confidence 0` agree.

use crate::finding::Finding;
use crate::fix::overlaps;

/// Indices into `findings` (which are in file order) in review order.
pub fn review_order(findings: &[Finding]) -> Vec<usize> {
    let mut by_start: Vec<usize> = (0..findings.len()).collect();
    by_start.sort_by_key(|&i| (findings[i].span.start, findings[i].span.end));
    let mut order = Vec::with_capacity(findings.len());
    let mut group: Vec<usize> = Vec::new();
    for i in by_start {
        let joins = group
            .iter()
            .any(|&g| overlaps(&findings[g].span, &findings[i].span));
        if !joins {
            flush(findings, &mut group, &mut order);
        }
        group.push(i);
    }
    flush(findings, &mut group, &mut order);
    order
}

fn flush(findings: &[Finding], group: &mut Vec<usize>, order: &mut Vec<usize>) {
    // Stable: equal ranks keep file order, as in `select_edits`.
    group.sort_by(|&a, &b| rank(&findings[b]).total_cmp(&rank(&findings[a])));
    order.append(group);
}

/// A finding without a suggestion never becomes an edit, so it ranks below every one that has.
fn rank(finding: &Finding) -> f32 {
    finding.top_suggestion().map_or(-1.0, |s| s.confidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Category, Severity};
    use std::ops::Range;

    fn f(span: Range<usize>, confidence: Option<f32>) -> Finding {
        let finding = Finding::new("t", Category::Style, Severity::Minor, span, "m");
        match confidence {
            Some(c) => finding.confidence(c).suggest("x"),
            None => finding,
        }
    }

    #[test]
    fn overlapping_groups_go_most_confident_first() {
        let findings = [
            f(0..3, Some(0.5)),
            f(5..12, Some(0.6)),
            f(8..10, None),
            f(9..14, Some(0.9)),
            f(20..22, Some(0.1)),
        ];
        assert_eq!(review_order(&findings), [0, 3, 1, 2, 4]);
    }
}
