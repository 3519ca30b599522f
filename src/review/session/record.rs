//! From decisions to files: the edits to apply, the review file to write (with keys taken in
//! the text as saved), and what a reload carries over.

use super::{Carried, Decision, Session};
use crate::fix::{apply, overlaps, Edit};
use crate::identity::FindingKey;
use crate::review::sidecar::{Recorded, ReviewFile, Verdict};
use std::collections::HashSet;
use std::ops::Range;

/// Where `span` lands once `edits` (in file order, not overlapping) are applied; `None` when
/// an edit touches it.
fn map_span(span: &Range<usize>, edits: &[Edit]) -> Option<Range<usize>> {
    let mut shift: isize = 0;
    for edit in edits {
        if overlaps(&edit.span, span) {
            return None;
        }
        if edit.span.end <= span.start {
            shift += edit.replacement.len() as isize - edit.span.len() as isize;
        }
    }
    let start = span.start.checked_add_signed(shift)?;
    Some(start..start + span.len())
}

impl Session {
    /// The accepted replacements as edits, in file order (never overlapping, never outside
    /// the text or inside a character).
    pub fn edits(&self) -> Vec<Edit> {
        let mut edits: Vec<Edit> = (0..self.items.len())
            .filter_map(|i| match self.decision(i) {
                Some(Decision::Accepted { replacement }) => Some(Edit {
                    span: self.items[i].finding.span.clone(),
                    replacement: replacement.clone(),
                }),
                _ => None,
            })
            .filter(|e| self.text.get(e.span.clone()).is_some())
            .collect();
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        let mut kept: Vec<Edit> = Vec::with_capacity(edits.len());
        for e in edits {
            if kept.last().is_none_or(|k| !overlaps(&k.span, &e.span)) {
                kept.push(e);
            }
        }
        kept
    }

    /// The document with every accepted replacement applied.
    pub fn new_text(&self) -> String {
        apply(&self.text, &self.edits())
    }

    /// Each item's key in the text with the accepted replacements applied (its own key when
    /// an edit touches it), so that a decision next to an accepted fix is still recognised
    /// in the saved file.
    fn saved_keys(&self) -> Vec<FindingKey> {
        let edits = self.edits();
        if edits.is_empty() {
            return self.items.iter().map(|it| it.key.clone()).collect();
        }
        let new_text = apply(&self.text, &edits);
        self.items
            .iter()
            .map(|it| match map_span(&it.finding.span, &edits) {
                Some(span) => FindingKey::at(it.finding.rule, span, &new_text),
                None => it.key.clone(),
            })
            .collect()
    }

    /// The review file to write: this session's decisions, the rules it suppressed, where it
    /// stands, and earlier decisions about findings this session did not see.
    pub fn review_file(&self) -> ReviewFile {
        let keys = self.saved_keys();
        let mut file = ReviewFile::new(&self.path);
        for (i, key) in keys.iter().enumerate() {
            let (decision, replacement) = match self.decision(i) {
                Some(Decision::Accepted { replacement }) => {
                    (Verdict::Accepted, Some(replacement.clone()))
                }
                Some(Decision::Rejected) => (Verdict::Rejected, None),
                None => continue,
            };
            file.decisions.push(Recorded {
                key: key.clone(),
                decision,
                replacement,
            });
        }
        if let Some(earlier) = &self.earlier {
            let seen: HashSet<&FindingKey> = keys
                .iter()
                .chain(self.items.iter().map(|it| &it.key))
                .collect();
            file.decisions.extend(
                earlier
                    .decisions
                    .iter()
                    .filter(|d| !seen.contains(&d.key))
                    .cloned(),
            );
        }
        file.suppressed_rules = self.state.suppressed.iter().cloned().collect();
        file.position = self.current().map(|i| keys[i].clone());
        file
    }

    /// After a successful save: what was written is now the baseline for "unsaved work".
    /// Glossary lines, once written, stay written: undo no longer queues them again.
    pub fn mark_saved(&mut self, written: ReviewFile) {
        self.state.glossary.clear();
        for undo in &mut self.history {
            undo.glossary = 0;
        }
        self.saved = self.state.clone();
        self.earlier = Some(written);
    }

    /// What a reload (after the file changed on disk) carries into the new session: each
    /// decision under its key in the text as opened and in the text as saved, since the file
    /// on disk may hold either.
    pub fn carry(&self) -> Carried {
        let saved = self.saved_keys();
        let mut decisions = std::collections::HashMap::new();
        for (i, item) in self.items.iter().enumerate() {
            if let Some(d) = self.decision(i) {
                decisions.insert(item.key.clone(), d.clone());
                decisions.insert(saved[i].clone(), d.clone());
            }
        }
        Carried {
            decisions,
            suppressed: self.state.suppressed.clone(),
            glossary: self.state.glossary.clone(),
            position: self.current().map(|i| saved[i].clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(span: Range<usize>, replacement: &str) -> Edit {
        Edit {
            span,
            replacement: replacement.to_owned(),
        }
    }

    #[test]
    fn spans_move_with_the_edits_before_them() {
        let edits = [edit(2..4, "abcd"), edit(10..15, "")];
        assert_eq!(map_span(&(0..2), &edits), Some(0..2));
        assert_eq!(map_span(&(5..8), &edits), Some(7..10));
        assert_eq!(map_span(&(20..22), &edits), Some(17..19));
        assert_eq!(map_span(&(3..6), &edits), None);
        assert_eq!(map_span(&(4..4), &[edit(4..4, "x")]), None);
    }
}
