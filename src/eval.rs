//! `mtaudit eval`: measure findings against gold edits, clean texts and a reference.

use crate::audit::{Auditor, FileReport};
use crate::finding::Finding;
use crate::fix::{apply, select_edits};
use crate::input::Format;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;

/// Which kind of evidence a gold garble needs (gold.tsv's `found_by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Surface,
    Statistical,
    Semantic,
}

impl Tier {
    fn parse(s: &str) -> Option<Tier> {
        match s.trim() {
            "surface" => Some(Tier::Surface),
            "statistical" => Some(Tier::Statistical),
            "semantic" => Some(Tier::Semantic),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Tier::Surface => "surface",
            Tier::Statistical => "statistical",
            Tier::Semantic => "semantic",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct GoldRow {
    pub span: Range<usize>,
    pub correction: String,
    pub category: String,
    pub tier: Tier,
}

/// Reads gold.tsv (header; start, end, garbled, correction, category, found_by[, note]) and
/// checks every row against the garbled text it annotates.
pub fn read_gold(path: &str, tsv: &str, garbled: &str) -> Result<Vec<GoldRow>, String> {
    let mut rows = Vec::new();
    for (n, line) in tsv.lines().enumerate().skip(1) {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let at = |msg: String| format!("{path}:{}: {msg}", n + 1);
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 6 {
            return Err(at(format!(
                "expected at least 6 tab-separated columns, found {}",
                cols.len()
            )));
        }
        let number = |s: &str, what: &str| {
            s.trim()
                .parse::<usize>()
                .map_err(|_| at(format!("{what} `{s}` is not a byte offset")))
        };
        let start = number(cols[0], "start_byte")?;
        let end = number(cols[1], "end_byte")?;
        let span_ok = start <= end
            && end <= garbled.len()
            && garbled.is_char_boundary(start)
            && garbled.is_char_boundary(end);
        if !span_ok {
            return Err(at(format!(
                "span {start}..{end} is not inside the garbled text"
            )));
        }
        if garbled[start..end] != *cols[2] {
            return Err(at(format!(
                "bytes {start}..{end} are {:?}, not {:?}",
                &garbled[start..end],
                cols[2]
            )));
        }
        let tier = Tier::parse(cols[5]).ok_or_else(|| {
            at(format!(
                "found_by `{}` is not surface, statistical or semantic",
                cols[5]
            ))
        })?;
        rows.push(GoldRow {
            span: start..end,
            correction: cols[3].to_owned(),
            category: cols[4].to_owned(),
            tier,
        });
    }
    Ok(rows)
}

/// One annotated document: its garbled text, gold rows and (optionally) the corrected text.
pub struct GoldSet {
    pub name: String,
    pub garbled: String,
    pub gold: Vec<GoldRow>,
    pub reference: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TierCounts {
    pub total: usize,
    pub detected: usize,
    pub corrected: usize,
}

/// Counts accumulated over every gold set and clean text; the figures derive from them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Evaluation {
    pub gold: usize,
    pub detected: usize,
    pub corrected: usize,
    pub tiers: BTreeMap<&'static str, TierCounts>,
    pub findings: usize,
    pub true_findings: usize,
    pub wer_errors_before: usize,
    pub wer_errors_after: usize,
    pub reference_words: usize,
    pub reference_findings: usize,
    pub clean_words: usize,
    pub clean_findings: usize,
    /// The clean texts' and references' findings, for the report.
    #[serde(skip)]
    pub false_alarms: Vec<String>,
    #[serde(skip)]
    pub misses: Vec<String>,
    /// (suspicion, surprise) of garbled sentences holding a gold garble, and of the
    /// references' sentences: the sentence ranking's two classes.
    #[serde(skip)]
    pub garbled_sentences: Vec<(f64, f64)>,
    #[serde(skip)]
    pub clean_sentences: Vec<(f64, f64)>,
    /// Document scores of the garbled texts and of the clean texts, with whether each
    /// reads as machine-spun: the document ranking's two classes.
    #[serde(skip)]
    pub garbled_documents: Vec<(f64, bool)>,
    #[serde(skip)]
    pub clean_documents: Vec<(f64, bool)>,
}

/// ROC-AUC by Mann–Whitney: how often a positive outranks a negative (ties count half).
pub fn roc_auc(positives: &[f64], negatives: &[f64]) -> Option<f64> {
    if positives.is_empty() || negatives.is_empty() {
        return None;
    }
    let mut wins = 0.0;
    for p in positives {
        for n in negatives {
            wins += match p.total_cmp(n) {
                std::cmp::Ordering::Greater => 1.0,
                std::cmp::Ordering::Equal => 0.5,
                std::cmp::Ordering::Less => 0.0,
            };
        }
    }
    Some(wins / (positives.len() * negatives.len()) as f64)
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Word error rate numerator: word-level edit distance between two texts.
pub fn word_edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<&str> = a.split_whitespace().collect();
    let b: Vec<&str> = b.split_whitespace().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, wa) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, wb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(wa != wb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// True when the chosen edits inside and around the gold span turn it into the correction.
fn corrects(garbled: &str, row: &GoldRow, edits: &[crate::fix::Edit]) -> bool {
    let touching: Vec<&crate::fix::Edit> = edits
        .iter()
        .filter(|e| {
            overlaps(&e.span, &row.span) || (e.span.is_empty() && row.span.contains(&e.span.start))
        })
        .collect();
    if touching.is_empty() {
        return false;
    }
    let start = touching
        .iter()
        .map(|e| e.span.start)
        .min()
        .unwrap_or(row.span.start)
        .min(row.span.start);
    let end = touching
        .iter()
        .map(|e| e.span.end)
        .max()
        .unwrap_or(row.span.end)
        .max(row.span.end);
    let local: Vec<crate::fix::Edit> = touching
        .iter()
        .map(|e| crate::fix::Edit {
            span: e.span.start - start..e.span.end - start,
            replacement: e.replacement.clone(),
        })
        .collect();
    let got = apply(&garbled[start..end], &local);
    let want = format!(
        "{}{}{}",
        &garbled[start..row.span.start],
        row.correction,
        &garbled[row.span.end..end]
    );
    got == want
}

fn describe(report: &FileReport, finding: &Finding) -> String {
    let (line, column) = report
        .line_index()
        .position(&report.text, finding.span.start);
    format!(
        "{}:{line}:{column}: {} {:?} — {}",
        report.path,
        finding.rule,
        &report.text[finding.span.clone()],
        finding.message
    )
}

impl Evaluation {
    pub fn add_gold_set(&mut self, auditor: &Auditor, set: &GoldSet, fix_confidence: f32) {
        let report = auditor.audit_text(&set.name, &set.garbled, Format::Text);
        self.garbled_documents
            .push((report.score, report.spun.is_some()));
        let findings: Vec<&Finding> = report.findings().collect();
        let all_edits = select_edits(findings.iter().copied(), 0.0);
        for row in &set.gold {
            let tier = self.tiers.entry(row.tier.name()).or_default();
            tier.total += 1;
            self.gold += 1;
            let detected = findings.iter().any(|f| overlaps(&f.span, &row.span));
            if detected {
                tier.detected += 1;
                self.detected += 1;
                if corrects(&set.garbled, row, &all_edits) {
                    tier.corrected += 1;
                    self.corrected += 1;
                }
            } else {
                self.misses.push(format!(
                    "{}: missed {} {:?} → {:?}",
                    set.name,
                    row.tier.name(),
                    &set.garbled[row.span.clone()],
                    row.correction
                ));
            }
        }
        self.findings += findings.len();
        for finding in &findings {
            if set
                .gold
                .iter()
                .any(|row| overlaps(&finding.span, &row.span))
            {
                self.true_findings += 1;
            } else {
                self.false_alarms.push(describe(&report, finding));
            }
        }
        if let Some(reference) = &set.reference {
            let fixed = apply(
                &set.garbled,
                &select_edits(findings.iter().copied(), fix_confidence),
            );
            self.wer_errors_before += word_edit_distance(&set.garbled, reference);
            self.wer_errors_after += word_edit_distance(&fixed, reference);
            let clean = auditor.audit_text(
                &format!("{} (reference)", set.name),
                reference,
                Format::Text,
            );
            self.reference_words += clean.words;
            self.reference_findings += clean.findings().count();
            self.garbled_sentences.extend(
                report
                    .sentences
                    .iter()
                    .filter(|s| set.gold.iter().any(|row| overlaps(&s.span, &row.span)))
                    .map(|s| (s.suspicion, s.surprise)),
            );
            self.clean_sentences
                .extend(clean.sentences.iter().map(|s| (s.suspicion, s.surprise)));
            self.false_alarms
                .extend(clean.findings().map(|f| describe(&clean, f)));
        }
    }

    pub fn add_clean(&mut self, auditor: &Auditor, name: &str, text: &str) {
        let report = auditor.audit_text(name, text, Format::Text);
        self.clean_documents
            .push((report.score, report.spun.is_some()));
        self.clean_words += report.words;
        self.clean_findings += report.findings().count();
        self.false_alarms
            .extend(report.findings().map(|f| describe(&report, f)));
    }

    /// Every figure by a stable name, for printing, JSON and `--require`.
    pub fn metrics(&self) -> BTreeMap<String, f64> {
        let precision = ratio(self.true_findings, self.findings);
        let recall = ratio(self.detected, self.gold);
        let f05 = if precision + recall == 0.0 {
            0.0
        } else {
            1.25 * precision * recall / (0.25 * precision + recall)
        };
        let mut m = BTreeMap::new();
        m.insert("gold".into(), self.gold as f64);
        m.insert("detected".into(), self.detected as f64);
        m.insert("corrected".into(), self.corrected as f64);
        m.insert("findings".into(), self.findings as f64);
        m.insert("precision".into(), precision);
        m.insert("recall".into(), recall);
        m.insert("f05".into(), f05);
        for (tier, counts) in &self.tiers {
            m.insert(format!("{tier}_total"), counts.total as f64);
            m.insert(format!("{tier}_detected"), counts.detected as f64);
            m.insert(format!("{tier}_corrected"), counts.corrected as f64);
            m.insert(
                format!("{tier}_recall"),
                ratio(counts.detected, counts.total),
            );
        }
        if self.reference_words > 0 {
            let words = self.reference_words as f64;
            let before = self.wer_errors_before as f64 / words;
            let after = self.wer_errors_after as f64 / words;
            m.insert("wer_before".into(), before);
            m.insert("wer_after".into(), after);
            m.insert("fix_gain".into(), before - after);
            m.insert("reference_findings".into(), self.reference_findings as f64);
            m.insert(
                "reference_per_1000".into(),
                1000.0 * self.reference_findings as f64 / words,
            );
        }
        if !self.garbled_documents.is_empty() && !self.clean_documents.is_empty() {
            // Lower scores rank as more garbled.
            let worse = |docs: &[(f64, bool)]| docs.iter().map(|d| -d.0).collect::<Vec<_>>();
            let spun = |docs: &[(f64, bool)]| docs.iter().filter(|d| d.1).count() as f64;
            if let Some(auc) = roc_auc(
                &worse(&self.garbled_documents),
                &worse(&self.clean_documents),
            ) {
                m.insert("document_auc".into(), auc);
            }
            m.insert("spun_garbled".into(), spun(&self.garbled_documents));
            m.insert("spun_clean".into(), spun(&self.clean_documents));
        }
        let (garbled, clean) = (&self.garbled_sentences, &self.clean_sentences);
        let column = |v: &[(f64, f64)], surprise: bool| -> Vec<f64> {
            v.iter()
                .map(|&(a, b)| if surprise { b } else { a })
                .collect()
        };
        if let Some(auc) = roc_auc(&column(garbled, false), &column(clean, false)) {
            m.insert("auc".into(), auc);
        }
        if let Some(auc) = roc_auc(&column(garbled, true), &column(clean, true)) {
            m.insert("auc_model_only".into(), auc);
        }
        if self.clean_words > 0 {
            m.insert("clean_words".into(), self.clean_words as f64);
            m.insert("clean_findings".into(), self.clean_findings as f64);
            m.insert(
                "clean_per_1000".into(),
                1000.0 * self.clean_findings as f64 / self.clean_words as f64,
            );
        }
        m
    }
}

/// A gate such as `precision>=0.9` or `reference_findings<=2`.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub metric: String,
    pub at_least: bool,
    pub value: f64,
}

impl std::str::FromStr for Requirement {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (metric, at_least, value) = if let Some((m, v)) = s.split_once(">=") {
            (m, true, v)
        } else if let Some((m, v)) = s.split_once("<=") {
            (m, false, v)
        } else {
            return Err(format!("`{s}`: expected METRIC>=VALUE or METRIC<=VALUE"));
        };
        let value: f64 = value
            .trim()
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| format!("`{s}`: `{value}` is not a number"))?;
        Ok(Requirement {
            metric: metric.trim().to_owned(),
            at_least,
            value,
        })
    }
}

impl Requirement {
    /// `Ok(())` when met; otherwise the reason, naming the figure.
    pub fn check(&self, metrics: &BTreeMap<String, f64>) -> Result<(), String> {
        let Some(&got) = metrics.get(&self.metric) else {
            return Err(format!(
                "{}: no such figure in this evaluation",
                self.metric
            ));
        };
        let ok = if self.at_least {
            got >= self.value - 1e-9
        } else {
            got <= self.value + 1e-9
        };
        let op = if self.at_least { ">=" } else { "<=" };
        if ok {
            Ok(())
        } else {
            Err(format!(
                "{} = {got:.4}, required {op} {}",
                self.metric, self.value
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::Edit;

    #[test]
    fn auc_counts_wins_and_ties() {
        assert_eq!(roc_auc(&[3.0, 2.0], &[1.0]), Some(1.0));
        assert_eq!(roc_auc(&[1.0], &[1.0, 2.0]), Some(0.25));
        assert_eq!(roc_auc(&[], &[1.0]), None);
    }

    #[test]
    fn word_edit_distance_counts_words() {
        assert_eq!(word_edit_distance("a b c", "a x c"), 1);
        assert_eq!(word_edit_distance("a b", "a b c d"), 2);
        assert_eq!(word_edit_distance("", "a"), 1);
    }

    #[test]
    fn gold_rows_must_match_text() {
        let garbled = "the forced downsizing of";
        let ok = "h\n4\t21\tforced downsizing\tforced landing\tmistranslation\tstatistical\t\n";
        assert_eq!(read_gold("g", ok, garbled).unwrap()[0].span, 4..21);
        let bad = "h\n4\t20\tforced downsizing\tx\tmistranslation\tstatistical\n";
        assert!(read_gold("g", bad, garbled)
            .unwrap_err()
            .starts_with("g:2:"));
    }

    #[test]
    fn correction_is_exact() {
        let garbled = "a dissident aboard the board on";
        let row = GoldRow {
            span: 2..26,
            correction: "dissident on board".into(),
            category: "grammar".into(),
            tier: Tier::Surface,
        };
        let edit = |r: &str| Edit {
            span: 12..26,
            replacement: r.into(),
        };
        assert!(corrects(garbled, &row, &[edit("on board")]));
        assert!(!corrects(garbled, &row, &[edit("in board")]));
        assert!(!corrects(garbled, &row, &[]));
    }

    #[test]
    fn requirements_parse_and_check() {
        let metrics = BTreeMap::from([("precision".to_string(), 0.91)]);
        assert!("precision>=0.9"
            .parse::<Requirement>()
            .unwrap()
            .check(&metrics)
            .is_ok());
        assert!("precision<=0.5"
            .parse::<Requirement>()
            .unwrap()
            .check(&metrics)
            .is_err());
        assert!("nothing>=1"
            .parse::<Requirement>()
            .unwrap()
            .check(&metrics)
            .is_err());
        assert!("precision=1".parse::<Requirement>().is_err());
    }
}

/// Swapped phrases measured in a neutral sentence frame (`mtaudit eval --phrases`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct PhraseEvaluation {
    pub phrases: usize,
    /// Swapped phrases with a finding on them.
    pub flagged: usize,
    /// … whose top suggestions give back the expected phrase.
    pub corrected: usize,
    /// Expected phrases, in the same frame, with a finding on them.
    pub expected_flagged: usize,
    /// A line for each swapped phrase not corrected and each expected phrase flagged, in
    /// the order of the input (what `eval --verbose` lists).
    pub misses: Vec<String>,
}

/// The default frame: plain prose around the phrase, with no words that favour a domain.
pub const DEFAULT_FRAME: &str = "In this paper, we discuss {} and its results.";

/// Reads `swapped<TAB>expected` rows (with a header); parenthesised notes in the expected
/// column are dropped, and rows whose expected phrase is empty are skipped.
pub fn read_phrases(tsv: &str) -> Vec<(String, String)> {
    tsv.lines()
        .skip(1)
        .filter_map(|line| {
            let (swapped, expected) = line.split_once('\t')?;
            let expected = expected.split('(').next()?.trim();
            let swapped = swapped.trim();
            (!swapped.is_empty() && !expected.is_empty() && !swapped.contains('('))
                .then(|| (swapped.to_owned(), expected.to_owned()))
        })
        .collect()
}

/// Whether the findings on `frame` with `phrase` in it touch the phrase, and the text the
/// phrase becomes once the top suggestions touching it are applied.
fn framed(auditor: &Auditor, frame: &str, phrase: &str) -> (bool, String) {
    let at = frame.find("{}").unwrap_or(0);
    let text = frame.replacen("{}", phrase, 1);
    let span = at..at + phrase.len();
    let report = auditor.audit_text("phrase", &text, Format::Text);
    let touching: Vec<&Finding> = report
        .findings()
        .filter(|f| overlaps(&f.span, &span))
        .collect();
    let fixed = apply(&text, &select_edits(touching.iter().copied(), 0.0));
    let tail = text.len() - span.end;
    let became = fixed
        .get(at..fixed.len().saturating_sub(tail))
        .unwrap_or("")
        .to_owned();
    (!touching.is_empty(), became)
}

impl PhraseEvaluation {
    pub fn measure(
        auditor: &Auditor,
        frame: &str,
        phrases: &[(String, String)],
    ) -> PhraseEvaluation {
        use rayon::prelude::*;
        let rows: Vec<(bool, bool, bool, Vec<String>)> = phrases
            .par_iter()
            .map(|(swapped, expected)| {
                let (flagged, became) = framed(auditor, frame, swapped);
                let corrected = flagged && became.eq_ignore_ascii_case(expected);
                let (expected_flagged, expected_became) = framed(auditor, frame, expected);
                let mut misses = Vec::new();
                if !flagged {
                    misses.push(format!("missed “{swapped}” (expected “{expected}”)"));
                } else if !corrected {
                    misses.push(format!(
                        "miscorrected “{swapped}” → “{became}” (expected “{expected}”)"
                    ));
                }
                if expected_flagged {
                    misses.push(format!(
                        "false alarm on the expected “{expected}” → “{expected_became}”"
                    ));
                }
                (flagged, corrected, expected_flagged, misses)
            })
            .collect();
        PhraseEvaluation {
            phrases: rows.len(),
            flagged: rows.iter().filter(|r| r.0).count(),
            corrected: rows.iter().filter(|r| r.1).count(),
            expected_flagged: rows.iter().filter(|r| r.2).count(),
            misses: rows.into_iter().flat_map(|r| r.3).collect(),
        }
    }

    pub fn metrics(&self, m: &mut BTreeMap<String, f64>) {
        m.insert("phrases".into(), self.phrases as f64);
        m.insert("phrases_flagged".into(), ratio(self.flagged, self.phrases));
        m.insert(
            "phrases_corrected".into(),
            ratio(self.corrected, self.phrases),
        );
        m.insert(
            "expected_flagged".into(),
            ratio(self.expected_flagged, self.phrases),
        );
    }
}

/// The sentence frames of the news-phrase measurement, used in turn, one paragraph each.
pub const NEWS_FRAMES: [&str; 3] = [
    "Officials said on Tuesday that {} would be reviewed.",
    "In the report, {} was described in detail.",
    "The statement added that {} remains unclear.",
];

/// A labelled difference between a garbled republication and its original
/// (`garbled_phrase, original_phrase, category, verdict, reads_fluently` with a header).
#[derive(Debug, Clone, PartialEq)]
pub struct NewsPhrase {
    pub garbled: String,
    pub original: String,
    /// A garble an editor sees (verdict `garble`, and it does not read fluently); otherwise
    /// an acceptable paraphrase, which must not be flagged, or neither (not measured).
    pub visible_garble: bool,
    pub acceptable: bool,
}

/// Whether a phrase list is in the news-phrase format (its header names `garbled_phrase`).
pub fn is_news_phrases(tsv: &str) -> bool {
    tsv.lines()
        .next()
        .is_some_and(|header| header.split('\t').any(|c| c.trim() == "garbled_phrase"))
}

/// Reads the news-phrase format; an error names the line.
pub fn read_news_phrases(tsv: &str) -> Result<Vec<NewsPhrase>, String> {
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap_or("")
        .split('\t')
        .map(str::trim)
        .collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|c| *c == name)
            .ok_or_else(|| format!("line 1: no `{name}` column"))
    };
    let garbled = column("garbled_phrase")?;
    let original = column("original_phrase")?;
    let verdict = column("verdict")?;
    let fluent = column("reads_fluently")?;
    let mut phrases = Vec::new();
    for (i, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        let cell = |k: usize| {
            cells
                .get(k)
                .map(|c| c.trim())
                .ok_or_else(|| format!("line {}: expected {} columns", i + 2, header.len()))
        };
        phrases.push(NewsPhrase {
            garbled: cell(garbled)?.to_owned(),
            original: cell(original)?.to_owned(),
            visible_garble: cell(verdict)? == "garble" && matches!(cell(fluent)?, "no" | "partly"),
            acceptable: cell(verdict)? == "acceptable",
        });
    }
    Ok(phrases)
}

/// Visible garbles and acceptable paraphrases of real news, each side set in the
/// `NEWS_FRAMES` as one document (`mtaudit eval --phrases` on the news-phrase format).
#[derive(Debug, Clone, Default, Serialize)]
pub struct NewsPhraseEvaluation {
    pub garbles: usize,
    pub flagged: usize,
    /// Garbles whose first finding's top suggestion gives back the original phrase.
    pub corrected: usize,
    pub acceptable: usize,
    pub acceptable_flagged: usize,
    /// What `eval --verbose` lists: each garble missed or miscorrected, each acceptable
    /// paraphrase flagged.
    pub misses: Vec<String>,
}

/// The framed document of `phrases` and each phrase's span in it.
fn framed_document(phrases: &[&str]) -> (String, Vec<Range<usize>>) {
    let mut text = String::new();
    let mut spans = Vec::with_capacity(phrases.len());
    for (i, phrase) in phrases.iter().enumerate() {
        let frame = NEWS_FRAMES[i % NEWS_FRAMES.len()];
        let at = text.len() + frame.find("{}").unwrap_or(0);
        spans.push(at..at + phrase.len());
        text.push_str(&frame.replacen("{}", phrase, 1));
        text.push_str("\n\n");
    }
    (text, spans)
}

impl NewsPhraseEvaluation {
    pub fn measure(auditor: &Auditor, phrases: &[NewsPhrase]) -> NewsPhraseEvaluation {
        let garbles: Vec<&NewsPhrase> = phrases.iter().filter(|p| p.visible_garble).collect();
        let acceptable: Vec<&NewsPhrase> = phrases.iter().filter(|p| p.acceptable).collect();
        let mut evaluation = NewsPhraseEvaluation {
            garbles: garbles.len(),
            acceptable: acceptable.len(),
            ..NewsPhraseEvaluation::default()
        };
        let side = |rows: &[&NewsPhrase]| {
            let (text, spans) =
                framed_document(&rows.iter().map(|p| p.garbled.as_str()).collect::<Vec<_>>());
            let report = auditor.audit_text("phrases", &text, Format::Text);
            (text, spans, report)
        };
        let (text, spans, report) = side(&garbles);
        for (phrase, span) in garbles.iter().zip(&spans) {
            let first = report
                .findings()
                .filter(|f| overlaps(&f.span, span))
                .min_by_key(|f| f.span.start);
            let Some(first) = first else {
                evaluation.misses.push(format!(
                    "missed “{}” (original “{}”)",
                    phrase.garbled, phrase.original
                ));
                continue;
            };
            evaluation.flagged += 1;
            let became = first.top_suggestion().map(|s| {
                let before = text.get(span.start..first.span.start).unwrap_or("");
                let after = text.get(first.span.end..span.end).unwrap_or("");
                format!("{before}{}{after}", s.replacement)
            });
            let words = |s: &str| {
                s.to_lowercase()
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            };
            match became {
                Some(b) if words(&b) == words(&phrase.original) => evaluation.corrected += 1,
                became => evaluation.misses.push(format!(
                    "flagged “{}” → {} (original “{}”)",
                    phrase.garbled,
                    became.map_or("no suggestion".to_owned(), |b| format!("“{b}”")),
                    phrase.original
                )),
            }
        }
        let (_, spans, report) = side(&acceptable);
        for (phrase, span) in acceptable.iter().zip(&spans) {
            if report.findings().any(|f| overlaps(&f.span, span)) {
                evaluation.acceptable_flagged += 1;
                evaluation.misses.push(format!(
                    "false alarm on the acceptable “{}”",
                    phrase.garbled
                ));
            }
        }
        evaluation
    }

    pub fn metrics(&self, m: &mut BTreeMap<String, f64>) {
        m.insert("phrases".into(), self.garbles as f64);
        m.insert("phrases_flagged".into(), ratio(self.flagged, self.garbles));
        m.insert(
            "phrases_corrected".into(),
            ratio(self.corrected, self.garbles),
        );
        m.insert(
            "acceptable_flagged".into(),
            ratio(self.acceptable_flagged, self.acceptable),
        );
    }
}
