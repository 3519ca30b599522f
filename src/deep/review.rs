//! What the deep tier does with a document's sentences and the fast tier's findings: picks
//! the slots (the fast tier's word-choice findings, then the words the model finds most
//! surprising), gathers candidates (the finding's suggestions, the model's own likeliest
//! words at the slot, the lexicon's strong synonyms), rescores each with the whole sentence
//! in place, and lets the judge decide.

use super::judge::{self, Calibration, Comparison, Verdict, WordScore};
use super::{store, LanguageModel, ScoredSentence};
use crate::finding::{Category, Finding, Severity, Suggestion};
use crate::lexicon::Lexicon;
use crate::model::Model;
use crate::text::Sentence;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

/// The rule id of the deep tier's own findings.
pub const RULE: &str = "deep";

/// The fast tier's rules whose findings are word-choice hunches: the judge confirms, re-ranks
/// or drops them.
const JUDGED_RULES: [&str; 2] = ["context", "spinner"];

/// The default report threshold: a judged finding at least this sure is one the fast tier
/// reports by itself.
const REPORTED: f32 = 0.5;

/// A judged finding at least this sure is kept as it is, unjudged.
const SURE: f32 = 0.9;

/// Candidate rewrites rescored per sentence at most, unless `--deep-budget` says otherwise.
pub const DEFAULT_BUDGET: usize = 8;

/// The model's own likeliest whole words taken as candidates at a slot.
const PREDICTED_CANDIDATES: usize = 10;

/// The lexicon's strong synonyms taken as candidates at a slot.
const SYNONYM_CANDIDATES: usize = 4;

/// Surprising words rescored per sentence at most.
const SURPRISING_SLOTS: usize = 2;

/// A word is worth a look when the model's own first choice is this much likelier (log10).
const MIN_SURPRISE: f32 = 1.0;

/// Words this common (log10 unigram probability) are function words: the model's
/// preferences among them are grammar and style, not garbles.
const FUNCTION_WORD_LOG10: f32 = -2.3;

pub struct Deep {
    model: Arc<LanguageModel>,
    pub calibration: Calibration,
    pub budget: usize,
}

/// One slot's outcome, with what was written there.
struct Judged {
    written: String,
    verdict: Option<Verdict>,
}

impl Deep {
    /// The deep tier with the model at `lm`, or the reference model in the cache, and the
    /// candidate budget per sentence (none: `DEFAULT_BUDGET`).
    pub fn load(lm: Option<&Path>, budget: Option<usize>) -> Result<Deep, String> {
        let path = match lm {
            Some(path) => path.to_owned(),
            None => {
                let path = store::reference_path()
                    .ok_or("--deep: no cache directory for the model: set XDG_CACHE_HOME or HOME, or give --lm FILE.gguf")?;
                if !path.exists() {
                    return Err(format!(
                        "{}: no language model there for --deep; run `mtaudit lm fetch` (or tools/fetch-lm), or give --lm FILE.gguf",
                        path.display()
                    ));
                }
                path
            }
        };
        Ok(Deep::new(
            LanguageModel::shared(&path)?,
            budget.unwrap_or(DEFAULT_BUDGET),
        ))
    }

    pub fn new(model: Arc<LanguageModel>, budget: usize) -> Deep {
        Deep {
            model,
            calibration: Calibration::default(),
            budget,
        }
    }

    pub fn model(&self) -> &LanguageModel {
        &self.model
    }

    /// Judges the fast tier's word-choice findings (dropping those no candidate confirms) and
    /// adds the deep tier's own, sentence by sentence, each read after the one before it.
    pub fn review(&self, prose: &str, sentences: &[Sentence], findings: &mut Vec<Finding>) {
        let mut dropped = vec![false; findings.len()];
        let mut added = Vec::new();
        let mut context = None;
        for sentence in sentences {
            let text = &prose[sentence.span.clone()];
            let scored = self
                .model
                .score(context.as_ref(), text, PREDICTED_CANDIDATES);
            let Ok(Some(scored)) = scored else {
                context = None;
                continue;
            };
            context = scored.as_context().ok();
            let offset = sentence.span.start;
            let mut budget = self.budget;
            let mut taken: Vec<Range<usize>> = Vec::new();
            for (i, finding) in findings.iter_mut().enumerate() {
                let judged = JUDGED_RULES.contains(&finding.rule)
                    && finding.confidence < SURE
                    && sentence.span.start <= finding.span.start
                    && finding.span.end <= sentence.span.end;
                if !judged {
                    continue;
                }
                let span = finding.span.start - offset..finding.span.end - offset;
                taken.push(span.clone());
                let suggested = finding.suggestions.iter().map(|s| s.replacement.clone());
                // A hunch below the report threshold is only a slot like any other; a finding
                // the fast tier reports is confirmed by a smaller gain.
                let calibration = if finding.confidence >= REPORTED {
                    self.calibration.confirming()
                } else {
                    self.calibration
                };
                let judged = self.judge_slot(
                    &scored,
                    text,
                    span,
                    suggested.collect(),
                    &mut budget,
                    calibration,
                );
                match judged.verdict {
                    Some(verdict) => confirm(finding, &judged.written, &verdict, calibration),
                    None => dropped[i] = true,
                }
            }
            for span in self.surprising_slots(&scored, sentence, text, &taken) {
                let judged = self.judge_slot(
                    &scored,
                    text,
                    span.clone(),
                    Vec::new(),
                    &mut budget,
                    self.calibration,
                );
                if let Some(verdict) = judged.verdict {
                    let span = span.start + offset..span.end + offset;
                    added.push(new_finding(
                        span,
                        &judged.written,
                        &verdict,
                        self.calibration,
                    ));
                }
            }
        }
        let mut i = 0;
        findings.retain(|_| {
            i += 1;
            !dropped[i - 1]
        });
        findings.extend(added);
    }

    /// Rescores the candidates for `span` (bytes of the sentence): the given ones, then the
    /// model's own predictions there and the lexicon's strong synonyms, within the budget.
    fn judge_slot(
        &self,
        scored: &ScoredSentence,
        text: &str,
        span: Range<usize>,
        mut candidates: Vec<String>,
        budget: &mut usize,
        calibration: Calibration,
    ) -> Judged {
        let written = text[span.clone()].to_owned();
        let window = scored.window(&span);
        let from = window.start;
        let suggested = candidates.len();
        candidates.extend(
            scored.predictions[from]
                .iter()
                .map(|(word, _)| word.clone()),
        );
        let lower = written.to_lowercase();
        candidates.extend(
            Lexicon::embedded()
                .strong_synonyms(&lower)
                .into_iter()
                .filter(|w| !w.contains(' '))
                .take(SYNONYM_CANDIDATES)
                .map(str::to_owned),
        );
        let mut seen = std::collections::HashSet::new();
        // The fast tier's own suggestions come first and count as related.
        let (mut index, mut suggested_kept) = (0, 0);
        candidates.retain(|c| {
            let keep = c.to_lowercase() != lower && seen.insert(c.to_lowercase());
            suggested_kept += usize::from(keep && index < suggested);
            index += 1;
            keep
        });
        let suggested = suggested_kept;
        candidates.truncate(*budget);
        *budget -= candidates.len();
        if candidates.is_empty() {
            return Judged {
                written,
                verdict: None,
            };
        }
        let tails: Vec<String> = candidates
            .iter()
            .map(|c| scored.rewrite(&window, &span, c))
            .collect();
        let Ok(log_probs) = self.model.rescore(scored, from, &tails) else {
            return Judged {
                written,
                verdict: None,
            };
        };
        let as_written = scored.window_log_prob(&window);
        let comparisons: Vec<Comparison> = candidates
            .into_iter()
            .zip(log_probs)
            .enumerate()
            .map(|(i, (candidate, with))| {
                let frequency_gain = log10_frequency(&candidate) - log10_frequency(&written);
                let related = i < suggested || related(&lower, &candidate.to_lowercase());
                Comparison::new(candidate, with, as_written, frequency_gain, related)
            })
            .collect();
        if trace() {
            trace_slot(&written, &comparisons, calibration);
        }
        Judged {
            verdict: judge::judge(comparisons, calibration),
            written,
        }
    }

    /// The spans (bytes of the sentence) of the words the model finds most surprising, apart
    /// from those already `taken` by findings.
    fn surprising_slots(
        &self,
        scored: &ScoredSentence,
        sentence: &Sentence,
        text: &str,
        taken: &[Range<usize>],
    ) -> Vec<Range<usize>> {
        let offset = sentence.span.start;
        let model = Model::embedded();
        let mut spans = Vec::new();
        let mut scores = Vec::new();
        for (n, word) in sentence.words().enumerate() {
            let span = word.span.start - offset..word.span.end - offset;
            let written = &text[span.clone()];
            if !written.chars().all(char::is_alphabetic)
                || taken
                    .iter()
                    .any(|t| t.start < span.end && span.start < t.end)
            {
                continue;
            }
            let from = scored.token_at(span.start);
            let Some(&(_, best)) = scored.predictions[from].first() else {
                continue;
            };
            let until = (from..scored.tokens.len())
                .find(|&j| scored.tokens[j].start != scored.tokens[from].start)
                .unwrap_or(scored.tokens.len());
            let common = model
                .log10_unigram(&word.norm)
                .is_some_and(|p| p > FUNCTION_WORD_LOG10);
            scores.push(WordScore {
                log_prob: scored.log_probs[from..until].iter().sum(),
                best_prediction: best,
                exempt: n == 0 || common || written.starts_with(char::is_uppercase),
            });
            spans.push(span);
        }
        judge::surprising_words(&scores, SURPRISING_SLOTS, MIN_SURPRISE)
            .into_iter()
            .map(|i| spans[i].clone())
            .collect()
    }
}

/// `MTAUDIT_DEEP_TRACE=1`: every slot's best candidates on standard error, for calibrating
/// the margin on texts of one's own (tools/calibrate-deep.sh).
fn trace() -> bool {
    static TRACE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *TRACE.get_or_init(|| std::env::var_os("MTAUDIT_DEEP_TRACE").is_some_and(|v| v == "1"))
}

/// One line per slot: where it came from, what is written, the best contextual gain among
/// related and among other candidates (log10, before any margin), and the best candidates.
fn trace_slot(written: &str, comparisons: &[Comparison], calibration: Calibration) {
    let w = calibration.frequency_weight;
    let best_gain = |related: bool| {
        comparisons
            .iter()
            .filter(|c| c.related == related)
            .map(|c| c.contextual_gain(w))
            .fold(f32::NEG_INFINITY, f32::max)
    };
    let mut ranked: Vec<&Comparison> = comparisons.iter().collect();
    ranked.sort_by(|a, b| b.excess(calibration).total_cmp(&a.excess(calibration)));
    let best: Vec<String> = ranked
        .iter()
        .take(3)
        .map(|c| {
            let kind = if c.related { "related" } else { "free" };
            format!("{} {kind} {:.2}", c.candidate, c.contextual_gain(w))
        })
        .collect();
    eprintln!(
        "deep-slot\t{written}\t{:.2}\t{:.2}\t{}",
        best_gain(true),
        best_gain(false),
        best.join("; ")
    );
}

/// Whether `candidate` is a neighbour of `written` (both lowercase): a synonym either way,
/// the same stem, or a spelling neighbour of a word long enough to have one.
fn related(written: &str, candidate: &str) -> bool {
    let lexicon = Lexicon::embedded();
    lexicon.are_synonyms(written, candidate)
        || lexicon.are_synonyms(candidate, written)
        || lexicon.same_stem(written, candidate)
        || (written.chars().count() >= 5 && strsim::levenshtein(written, candidate) <= 2)
}

/// log10 of how common a word or phrase is by itself (the embedded model's unigrams).
fn log10_frequency(phrase: &str) -> f32 {
    let model = Model::embedded();
    phrase
        .split_whitespace()
        .map(|w| {
            model
                .log10_unigram(&w.to_lowercase())
                .unwrap_or_else(|| model.unknown_log10())
        })
        .sum()
}

fn suggestions(verdict: &Verdict, calibration: Calibration) -> Vec<Suggestion> {
    verdict
        .winners
        .iter()
        .map(|c| Suggestion {
            replacement: c.candidate.clone(),
            confidence: judge::confidence(c.excess(calibration)),
        })
        .collect()
}

/// A fast-tier finding the judge confirms: its suggestions re-ranked, its confidence and
/// evidence the judge's.
fn confirm(finding: &mut Finding, written: &str, verdict: &Verdict, calibration: Calibration) {
    finding.suggestions = suggestions(verdict, calibration);
    finding.confidence = verdict.confidence;
    let deep = judge::evidence(written, verdict.best());
    finding.evidence = Some(match finding.evidence.take() {
        Some(fast) => format!("{deep}; {fast}"),
        None => deep,
    });
}

fn new_finding(
    span: Range<usize>,
    written: &str,
    verdict: &Verdict,
    calibration: Calibration,
) -> Finding {
    let severity = if verdict.confidence >= 0.8 {
        Severity::Major
    } else {
        Severity::Minor
    };
    let mut finding = Finding::new(
        RULE,
        Category::Mistranslation,
        severity,
        span,
        format!(
            "“{written}” reads as a garbled word choice: the sentence reads far better with “{}”",
            verdict.best().candidate
        ),
    )
    .confidence(verdict.confidence)
    .evidence(judge::evidence(written, verdict.best()));
    finding.suggestions = suggestions(verdict, calibration);
    finding
}
