//! The review's state: the findings in review order, the decisions taken so far, the cursor,
//! and an undo history of any length. No input or output happens here; `record` turns the
//! state into edits, a review file, and what a reload carries over.

mod record;

use super::glossary::{validate, GlossaryAddition};
use super::order::review_order;
use super::sidecar::ReviewFile;
use crate::audit::FileReport;
use crate::finding::{Finding, Severity};
use crate::fix::overlaps;
use crate::identity::FindingKey;
use crate::input::{Format, Host};
use crate::score::{score, Weights};
use crate::text::plural_s;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One step of a review, as typed in a script or bound to a key.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Accept the suggestion on show (the first unless another was picked).
    Accept,
    Reject,
    /// Accept suggestion N (1-based).
    Pick(usize),
    /// Accept this replacement instead of any suggestion.
    Edit(String),
    /// Leave undecided for now and go on.
    Skip,
    Undo,
    Next,
    Prev,
    /// Go to the next undecided critical finding.
    Critical,
    /// Accept, and add the pair (flagged text → replacement) to this glossary file on save.
    Glossary(PathBuf),
    /// Hide every finding of this rule in this document.
    Suppress,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Accepted { replacement: String },
    Rejected,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pending,
    Accepted,
    Rejected,
    /// Overlaps the accepted finding at this index: nothing left to decide.
    Moot {
        by: usize,
    },
    Suppressed,
}

pub struct Item {
    pub finding: Finding,
    pub key: FindingKey,
    /// Rejected in an earlier review (from the review file).
    pub rejected_earlier: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
struct State {
    decisions: Vec<Option<Decision>>,
    suppressed: BTreeSet<String>,
    glossary: Vec<GlossaryAddition>,
    /// The current item; `items.len()` once every finding has been gone through.
    cursor: usize,
}

/// What one action changed in the [`State`].
#[derive(Debug, Clone)]
struct Undo {
    cursor: usize,
    /// The item decided, and its decision before.
    decision: Option<(usize, Option<Decision>)>,
    /// A rule the action suppressed (it was not before).
    suppressed: Option<String>,
    /// How many glossary lines were queued before.
    glossary: usize,
}

impl State {
    /// Takes back the change `undo` records.
    fn undo(&mut self, undo: Undo) {
        self.cursor = undo.cursor;
        if let Some((i, before)) = undo.decision {
            self.decisions[i] = before;
        }
        if let Some(rule) = undo.suppressed {
            self.suppressed.remove(&rule);
        }
        self.glossary.truncate(undo.glossary);
    }

    fn same_work(&self, other: &State) -> bool {
        self.decisions == other.decisions
            && self.suppressed == other.suppressed
            && self.glossary == other.glossary
    }
}

/// How many items are in each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub pending: usize,
    pub accepted: usize,
    pub rejected: usize,
    pub moot: usize,
    pub suppressed: usize,
}

/// What a session starts from besides the audit: decisions carried over by key.
#[derive(Default)]
pub struct Carried {
    pub decisions: HashMap<FindingKey, Decision>,
    pub suppressed: BTreeSet<String>,
    pub glossary: Vec<GlossaryAddition>,
    pub position: Option<FindingKey>,
}

impl Carried {
    /// What an earlier review left: its rejections, suppressed rules and position.
    pub fn from_review_file(file: &ReviewFile) -> Carried {
        Carried {
            decisions: file
                .rejected()
                .into_iter()
                .map(|k| (k.clone(), Decision::Rejected))
                .collect(),
            suppressed: file.suppressed_rules.iter().cloned().collect(),
            glossary: Vec::new(),
            position: file.position.clone(),
        }
    }
}

pub struct Session {
    pub path: PathBuf,
    /// The document as opened: every span indexes it.
    pub text: String,
    pub sentences: Vec<Range<usize>>,
    pub words: usize,
    /// The document's score as audited.
    pub score: f64,
    weights: Weights,
    items: Vec<Item>,
    /// For each item, the items whose spans overlap it.
    overlapping: Vec<Vec<usize>>,
    state: State,
    /// What each action changed, latest last: an undo puts it back. Only the change is kept,
    /// so a review of many findings does not hold a copy of every decision per action.
    history: Vec<Undo>,
    /// The state as last written (or as the review file had it when opened).
    saved: State,
    /// Which suggestion of the current item is on show.
    shown: usize,
    earlier: Option<ReviewFile>,
    /// How typed replacements are written into the file (escapes of XML, PO, CSV).
    host: Host,
}

impl Session {
    pub fn new(
        path: &Path,
        report: FileReport,
        weights: Weights,
        earlier: Option<ReviewFile>,
    ) -> Session {
        let carried = earlier
            .as_ref()
            .map(Carried::from_review_file)
            .unwrap_or_default();
        Session::with_carried(path, report, weights, earlier, carried)
    }

    /// A session whose decisions come from `carried` wherever a finding has the same key.
    pub fn with_carried(
        path: &Path,
        report: FileReport,
        weights: Weights,
        earlier: Option<ReviewFile>,
        carried: Carried,
    ) -> Session {
        let findings: Vec<Finding> = report.findings().cloned().collect();
        let order = review_order(&findings);
        let earlier_rejects = earlier.as_ref().map(|e| e.rejected()).unwrap_or_default();
        let items: Vec<Item> = order
            .into_iter()
            .map(|i| {
                let key = FindingKey::of(&findings[i], &report.text);
                Item {
                    rejected_earlier: earlier_rejects.contains(&key),
                    finding: findings[i].clone(),
                    key,
                }
            })
            .collect();
        let mut session = Session {
            path: path.to_owned(),
            sentences: report.sentences.iter().map(|s| s.span.clone()).collect(),
            words: report.words,
            score: report.score,
            text: report.text,
            weights,
            state: State::default(),
            history: Vec::new(),
            saved: State::default(),
            shown: 0,
            host: Host::new(Format::from_path(path), Vec::new()),
            earlier,
            overlapping: overlap_lists(&items),
            items,
        };
        session.state.decisions = vec![None; session.items.len()];
        session.state.suppressed = carried.suppressed.clone();
        for i in 0..session.items.len() {
            if let Some(d) = carried.decisions.get(&session.items[i].key) {
                // An accepted decision carried over must not overlap another one.
                if matches!(d, Decision::Rejected) || session.status(i) == Status::Pending {
                    session.state.decisions[i] = Some(d.clone());
                }
            }
        }
        session.state.glossary = carried.glossary;
        let from_file = session.earlier.as_ref().map(Carried::from_review_file);
        session.saved = State {
            decisions: session
                .items
                .iter()
                .map(|it| it.rejected_earlier.then_some(Decision::Rejected))
                .collect(),
            suppressed: from_file.map(|c| c.suppressed).unwrap_or_default(),
            glossary: Vec::new(),
            cursor: 0,
        };
        let at = carried
            .position
            .and_then(|p| session.items.iter().position(|it| it.key == p));
        session.state.cursor = match at {
            Some(i) if session.status(i) == Status::Pending => i,
            Some(i) => session.next_pending(i + 1),
            None => session.next_pending(0),
        };
        session
    }

    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// The current item, or `None` once every finding has been gone through.
    pub fn current(&self) -> Option<usize> {
        (self.state.cursor < self.items.len()).then_some(self.state.cursor)
    }

    pub fn shown(&self) -> usize {
        self.shown
    }

    /// Shows the current item's next suggestion (wrapping).
    pub fn cycle_suggestion(&mut self) {
        if let Some(i) = self.current() {
            let n = self.items[i].finding.suggestions.len().max(1);
            self.shown = (self.shown + 1) % n;
        }
    }

    /// The replacement on offer for item `i`: the accepted one, else the suggestion on show;
    /// none for a rejected, moot or suppressed finding, or one without suggestions.
    pub fn proposed(&self, i: usize) -> Option<String> {
        match self.decision(i) {
            Some(Decision::Accepted { replacement }) => Some(replacement.clone()),
            Some(Decision::Rejected) => None,
            None if self.status(i) != Status::Pending => None,
            None => self.items[i]
                .finding
                .suggestions
                .get(self.shown)
                .map(|s| s.replacement.clone()),
        }
    }

    pub fn decision(&self, i: usize) -> Option<&Decision> {
        self.state.decisions.get(i).and_then(Option::as_ref)
    }

    pub fn status(&self, i: usize) -> Status {
        match self.decision(i) {
            Some(Decision::Accepted { .. }) => return Status::Accepted,
            Some(Decision::Rejected) => return Status::Rejected,
            None => {}
        }
        if self.state.suppressed.contains(self.items[i].finding.rule) {
            return Status::Suppressed;
        }
        let by = self.overlapping[i]
            .iter()
            .copied()
            .find(|&j| matches!(self.decision(j), Some(Decision::Accepted { .. })));
        match by {
            Some(by) => Status::Moot { by },
            None => Status::Pending,
        }
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for i in 0..self.items.len() {
            match self.status(i) {
                Status::Pending => c.pending += 1,
                Status::Accepted => c.accepted += 1,
                Status::Rejected => c.rejected += 1,
                Status::Moot { .. } => c.moot += 1,
                Status::Suppressed => c.suppressed += 1,
            }
        }
        c
    }

    /// The score the document will have once every undecided finding is settled as it is now:
    /// accepted, rejected, moot and suppressed findings no longer count.
    pub fn projected_score(&self) -> f64 {
        let pending = (0..self.items.len())
            .filter(|&i| self.status(i) == Status::Pending)
            .map(|i| &self.items[i].finding);
        score(self.weights.penalty(pending), self.words)
    }

    pub fn glossary_additions(&self) -> &[GlossaryAddition] {
        &self.state.glossary
    }

    pub fn is_dirty(&self) -> bool {
        !self.state.same_work(&self.saved)
    }

    pub fn can_undo(&self) -> bool {
        !self.history.is_empty()
    }

    fn next_pending(&self, from: usize) -> usize {
        (from..self.items.len())
            .find(|&i| self.status(i) == Status::Pending)
            .unwrap_or(self.items.len())
    }

    fn move_to(&mut self, cursor: usize) {
        self.state.cursor = cursor;
        self.shown = 0;
    }

    fn advance(&mut self) {
        let next = self.next_pending(self.state.cursor + 1);
        self.move_to(next);
    }

    fn checkpoint(&mut self) {
        self.history.push(Undo {
            cursor: self.state.cursor,
            decision: None,
            suppressed: None,
            glossary: self.state.glossary.len(),
        });
    }

    /// Carries out one action. `Ok` holds a note for the reviewer (what happened, what became
    /// moot); `Err` says why the action was refused, and nothing changed.
    pub fn execute(&mut self, action: &Action) -> Result<String, String> {
        match action {
            Action::Undo => {
                let undo = self.history.pop().ok_or("nothing to undo")?;
                self.state.undo(undo);
                self.shown = 0;
                Ok("undone".into())
            }
            Action::Next => {
                if self.state.cursor >= self.items.len() {
                    return Err("no more findings".into());
                }
                self.move_to(self.state.cursor + 1);
                Ok(String::new())
            }
            Action::Prev => {
                if self.state.cursor == 0 {
                    return Err("this is the first finding".into());
                }
                self.move_to(self.state.cursor - 1);
                Ok(String::new())
            }
            Action::Critical => {
                let n = self.items.len();
                let at = self.state.cursor;
                let found = (1..=n).map(|k| (at + k) % n.max(1)).find(|&i| {
                    i < n
                        && self.items[i].finding.severity == Severity::Critical
                        && self.status(i) == Status::Pending
                });
                let i = found.ok_or("no undecided critical finding")?;
                self.move_to(i);
                Ok(String::new())
            }
            _ => self.decide(action),
        }
    }

    /// The actions that settle the current item.
    fn decide(&mut self, action: &Action) -> Result<String, String> {
        let i = self.current().ok_or("no finding left to decide")?;
        if let Status::Moot { by } = self.status(i) {
            return Err(format!(
                "overlaps accepted finding {}; undo or reject that one first",
                by + 1
            ));
        }
        let suggestions = &self.items[i].finding.suggestions;
        match action {
            Action::Accept => match suggestions.get(self.shown) {
                Some(s) => {
                    let replacement = s.replacement.clone();
                    Ok(self.settle(i, Decision::Accepted { replacement }))
                }
                None => {
                    self.checkpoint();
                    self.advance();
                    Ok("no suggestion to accept; skipped (edit to give a replacement)".into())
                }
            },
            Action::Pick(n) => {
                let s = n
                    .checked_sub(1)
                    .and_then(|k| suggestions.get(k))
                    .ok_or_else(|| {
                        format!("no suggestion {n}: this finding has {}", suggestions.len())
                    })?;
                let replacement = s.replacement.clone();
                Ok(self.settle(i, Decision::Accepted { replacement }))
            }
            Action::Edit(text) => {
                // Typed as it should read: written with the file format's escapes.
                let replacement = self.host.encode(text).ok_or_else(|| {
                    format!(
                        "this file format cannot hold {text:?} here (a tab, quote or line break)"
                    )
                })?;
                Ok(self.settle(i, Decision::Accepted { replacement }))
            }
            Action::Reject => Ok(self.settle(i, Decision::Rejected)),
            Action::Skip => {
                self.checkpoint();
                self.advance();
                Ok("skipped".into())
            }
            Action::Suppress => {
                let rule = self.items[i].finding.rule;
                self.checkpoint();
                if self.state.suppressed.insert(rule.to_owned()) {
                    if let Some(undo) = self.history.last_mut() {
                        undo.suppressed = Some(rule.to_owned());
                    }
                }
                let hidden = (0..self.items.len())
                    .filter(|&j| self.status(j) == Status::Suppressed)
                    .count();
                self.advance();
                Ok(format!(
                    "rule {rule} suppressed for this document ({hidden} finding{} hidden)",
                    plural_s(hidden)
                ))
            }
            Action::Glossary(file) => self.add_to_glossary(i, file),
            Action::Undo | Action::Next | Action::Prev | Action::Critical => {
                unreachable!("handled in execute")
            }
        }
    }

    fn add_to_glossary(&mut self, i: usize, file: &Path) -> Result<String, String> {
        let finding = &self.items[i].finding;
        let replacement = match self.decision(i) {
            Some(Decision::Accepted { replacement }) => replacement.clone(),
            _ => finding
                .suggestions
                .get(self.shown)
                .map(|s| s.replacement.clone())
                .ok_or("no replacement to add: edit one first")?,
        };
        let flagged = self.text.get(finding.span.clone()).unwrap_or_default();
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let addition = GlossaryAddition::new(
            file,
            flagged,
            &replacement,
            finding.category,
            &format!("added in review of {name}"),
        );
        validate(&addition, &self.state.glossary)?;
        let line = format!(
            "“{}” → “{}” goes into {} on save",
            addition.bad,
            addition.good,
            file.display()
        );
        // `settle` checkpoints first, so one undo takes back both the decision and the line.
        let note = self.settle(i, Decision::Accepted { replacement });
        self.state.glossary.push(addition);
        Ok(format!("{note}; {line}"))
    }

    /// Records a decision for item `i` and moves on to the next undecided item.
    fn settle(&mut self, i: usize, decision: Decision) -> String {
        self.checkpoint();
        // Only the findings overlapping this one can become moot by its decision.
        let neighbours = self.overlapping[i].clone();
        let before: Vec<Status> = neighbours.iter().map(|&j| self.status(j)).collect();
        let flagged = self
            .text
            .get(self.items[i].finding.span.clone())
            .unwrap_or_default();
        let flagged = flagged.split_whitespace().collect::<Vec<_>>().join(" ");
        let note = match &decision {
            Decision::Accepted { replacement } if replacement.is_empty() => {
                format!("{}: “{flagged}” deleted", i + 1)
            }
            Decision::Accepted { replacement } => {
                format!("{}: “{flagged}” → “{replacement}”", i + 1)
            }
            Decision::Rejected => format!("{}: “{flagged}” rejected", i + 1),
        };
        let replaced = self.state.decisions[i].replace(decision);
        if let Some(undo) = self.history.last_mut() {
            undo.decision = Some((i, replaced));
        }
        let moot = neighbours
            .iter()
            .zip(&before)
            .filter(|&(&j, before)| {
                matches!(self.status(j), Status::Moot { .. })
                    && !matches!(before, Status::Moot { .. })
            })
            .count();
        self.advance();
        if moot > 0 {
            format!(
                "{note}; {moot} overlapping finding{} now moot and skipped",
                plural_s(moot)
            )
        } else {
            note
        }
    }

    pub fn earlier(&self) -> Option<&ReviewFile> {
        self.earlier.as_ref()
    }
}

/// Every overlapping pair, found by a sweep over the spans in start order.
fn overlap_lists(items: &[Item]) -> Vec<Vec<usize>> {
    let mut lists = vec![Vec::new(); items.len()];
    let mut by_start: Vec<usize> = (0..items.len()).collect();
    by_start.sort_by_key(|&i| (items[i].finding.span.start, items[i].finding.span.end));
    for (k, &i) in by_start.iter().enumerate() {
        let a = &items[i].finding.span;
        for &j in &by_start[k + 1..] {
            let b = &items[j].finding.span;
            if b.start > a.end || (b.start == a.end && !a.is_empty()) {
                break;
            }
            if overlaps(a, b) {
                lists[i].push(j);
                lists[j].push(i);
            }
        }
    }
    lists
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::SentenceReport;
    use crate::finding::Category;

    const TEXT: &str = "We saw the forced downsizing of a flight aboard the board today.";

    fn at(flagged: &str, rule: &'static str) -> Finding {
        found_in(TEXT, flagged, rule).confidence(0.8)
    }

    fn found_in(text: &str, flagged: &str, rule: &'static str) -> Finding {
        let start = text.find(flagged).unwrap();
        Finding::new(
            rule,
            Category::Grammar,
            Severity::Major,
            start..start + flagged.len(),
            "m",
        )
    }

    fn report(text: &str, findings: Vec<Finding>) -> FileReport {
        FileReport {
            path: "t.txt".into(),
            text: text.into(),
            origin: Default::default(),
            format: crate::input::Format::Text,
            units: Vec::new(),
            unit_blocks: Vec::new(),
            prose: String::new(),
            words: 13,
            penalty: 10.0,
            score: 23.1,
            passed: false,
            spun: None,
            sentences: vec![SentenceReport {
                span: 0..text.len(),
                words: 13,
                score: 23.1,
                surprise: 0.0,
                suspicion: 0.0,
                findings,
            }],
        }
    }

    fn findings() -> Vec<Finding> {
        vec![
            at("forced downsizing", "glossary")
                .suggest("forced landing")
                .suggest("emergency landing"),
            at("aboard the board", "repeated-stem").suggest("on board"),
            at("today", "style"),
        ]
    }

    fn session(text: &str, findings: Vec<Finding>, earlier: Option<ReviewFile>) -> Session {
        Session::new(
            Path::new("t.txt"),
            report(text, findings),
            Weights::default(),
            earlier,
        )
    }

    #[test]
    fn decisions_advance_and_undo_goes_back_any_number_of_steps() {
        let mut s = session(TEXT, findings(), None);
        assert_eq!(s.current(), Some(0));
        assert!(!s.is_dirty());
        s.execute(&Action::Pick(2)).unwrap();
        s.execute(&Action::Reject).unwrap();
        assert_eq!(s.current(), Some(2));
        assert!(s.is_dirty());
        assert_eq!(
            s.new_text(),
            "We saw the emergency landing of a flight aboard the board today."
        );
        // No suggestion: accept moves on without deciding.
        let note = s.execute(&Action::Accept).unwrap();
        assert!(note.contains("no suggestion"), "{note}");
        assert_eq!(s.current(), None);
        assert_eq!(s.status(2), Status::Pending);
        for _ in 0..3 {
            s.execute(&Action::Undo).unwrap();
        }
        assert_eq!(s.current(), Some(0));
        assert!(!s.is_dirty());
        assert!(s.execute(&Action::Undo).is_err());
        assert!(s.execute(&Action::Pick(3)).unwrap_err().contains("has 2"));
        s.execute(&Action::Edit("forced touchdown".into())).unwrap();
        assert!(s.new_text().contains("the forced touchdown of"));
    }

    #[test]
    fn accepting_makes_overlapping_findings_moot() {
        let mut fs = findings();
        fs.push(
            at("downsizing of a", "other")
                .confidence(0.9)
                .suggest("landing of a"),
        );
        let mut s = session(TEXT, fs, None);
        // The more confident of the two overlapping findings comes first, as in `fix`.
        assert_eq!(s.items()[0].finding.rule, "other");
        let note = s.execute(&Action::Accept).unwrap();
        assert!(note.contains("1 overlapping finding now moot"), "{note}");
        assert_eq!(s.status(1), Status::Moot { by: 0 });
        assert_eq!(s.current(), Some(2), "the moot finding is skipped");
        s.execute(&Action::Prev).unwrap();
        assert!(s.execute(&Action::Accept).unwrap_err().contains("overlaps"));
        s.execute(&Action::Prev).unwrap();
        s.execute(&Action::Reject).unwrap();
        assert_eq!(s.status(1), Status::Pending);
    }

    #[test]
    fn suppress_hides_the_rule_and_undo_brings_it_back() {
        let mut fs = findings();
        fs.push(at("flight", "glossary").suggest("plane"));
        let mut s = session(TEXT, fs, None);
        let note = s.execute(&Action::Suppress).unwrap();
        assert!(note.contains("2 findings hidden"), "{note}");
        assert_eq!(s.current(), Some(2), "skips the other glossary finding");
        assert_eq!(s.counts().suppressed, 2);
        s.execute(&Action::Undo).unwrap();
        assert_eq!(s.counts().suppressed, 0);
        assert_eq!(s.current(), Some(0));
    }

    #[test]
    fn a_later_session_resumes_and_keeps_rejections_next_to_accepted_fixes() {
        let mut s = session(TEXT, findings(), None);
        s.execute(&Action::Accept).unwrap();
        s.execute(&Action::Reject).unwrap();
        let file = s.review_file();
        // The saved text, audited again: the same two leftovers at new offsets.
        let saved = s.new_text();
        let again = |flagged: &str, rule| found_in(&saved, flagged, rule);
        let fs = vec![
            again("aboard the board", "repeated-stem").suggest("on board"),
            again("today", "style"),
        ];
        let next = session(&saved, fs, Some(file));
        assert_eq!(next.status(0), Status::Rejected);
        assert!(next.items()[0].rejected_earlier);
        assert_eq!(next.current(), Some(1), "resumes where the first stopped");
        assert!(!next.is_dirty());
        // Earlier records of findings that are gone are kept, not duplicated.
        let written = next.review_file();
        assert_eq!(written.decisions.len(), 2, "{:?}", written.decisions);
    }

    #[test]
    fn critical_jumps_to_the_next_undecided_critical_finding() {
        let mut fs = findings();
        fs[2].severity = Severity::Critical;
        let mut s = session(TEXT, fs, None);
        s.execute(&Action::Critical).unwrap();
        assert_eq!(s.current(), Some(2));
        s.execute(&Action::Reject).unwrap();
        assert!(s.execute(&Action::Critical).is_err());
    }

    #[test]
    fn glossary_accepts_and_queues_a_line_that_undo_takes_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("g.tsv");
        let mut s = session(TEXT, findings(), None);
        let note = s.execute(&Action::Glossary(file.clone())).unwrap();
        assert!(note.contains("on save"), "{note}");
        assert_eq!(s.glossary_additions().len(), 1);
        assert_eq!(s.glossary_additions()[0].good, "forced landing");
        assert_eq!(s.status(0), Status::Accepted);
        s.execute(&Action::Undo).unwrap();
        assert!(s.glossary_additions().is_empty());
        // The style finding has no replacement to add.
        s.execute(&Action::Skip).unwrap();
        s.execute(&Action::Skip).unwrap();
        assert!(s.execute(&Action::Glossary(file)).is_err());
    }
}
