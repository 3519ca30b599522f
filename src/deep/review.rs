//! What the deep tier does with a document's sentences and the fast tier's findings: picks
//! the slots (the fast tier's word-choice findings, then the words the model finds most
//! surprising), gathers candidates (the finding's suggestions, the model's own likeliest
//! words at the slot, the lexicon's strong synonyms), rescores each with the whole sentence
//! in place, and lets the judge decide.

use super::judge::{self, Calibration, Comparison, Verdict, WordScore, LOG10_E};
use super::{store, LanguageModel, Rewrites, ScoredSentence};
use crate::finding::{Category, Finding, Severity, Suggestion};
use crate::lexicon::Lexicon;
use crate::model::Model;
use crate::text::Sentence;
use indicatif::ProgressBar;
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

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

/// The model's likeliest whole words looked at for a slot: those related to the written word
/// are candidates (the intended word is among a small model's first hundred guesses from the
/// left context far more often than among its first ten).
const PREDICTIONS: usize = 100;

/// The model's likeliest words unrelated to the written one taken as candidates at a slot:
/// they must win by the free margin, which only a misfit the model is sure of gives.
const FREE_CANDIDATES: usize = 2;

/// The lexicon's synonyms of the written word weighed by the model at a slot (by the left
/// context; a common word has hundreds).
const SYNONYMS_WEIGHED: usize = 80;

/// Candidates a slot gets at least, whatever the number of slots in the sentence.
const MIN_SHARE: usize = 2;

/// A candidate the left context alone finds this much less likely than the written word
/// (log10, its first token against the whole written word: a bound in its favour) is not
/// rescored: the right context would have to make up for it on top of the margin. Most
/// candidates at a word that fits are dropped here, before any forward pass.
const MAX_LEFT_DEFICIT: f32 = 1.0;

/// Surprising words rescored per sentence at most.
const SURPRISING_SLOTS: usize = 2;

/// A word is worth a look when the model's own first choice is this much likelier (log10).
const MIN_SURPRISE: f32 = 1.0;

/// A fast-tier finding the judge does not confirm is dropped when none of its own suggestions
/// makes the sentence this much likelier (log10) than as written. Calibrated on our example
/// sets and clean texts (`eval --deep`, 335 gold garbles, 8,654 clean words): below 0 (what
/// was dropped before) 3.47 false alarms per 1000 clean words; 0.5 and 1 gave 3.00, 2 gave
/// 2.89, with the same 126 garbles found; 3 gave 2.89 and lost one.
const REFUTING_GAIN: f32 = 2.0;

/// Sentences whose candidates wait to be rescored on another thread at most.
const MAX_PENDING: usize = 2;

/// Words this common (log10 unigram probability) are function words: the model's
/// preferences among them are grammar and style, not garbles.
const FUNCTION_WORD_LOG10: f32 = -2.3;

pub struct Deep {
    model: Arc<LanguageModel>,
    pub calibration: Calibration,
    pub budget: usize,
    /// A long run's progress bar, in bytes of the documents read.
    progress: OnceLock<ProgressBar>,
}

/// A slot of a sentence and the candidates chosen for it, before any is rescored.
struct Plan {
    /// Bytes of the sentence.
    span: Range<usize>,
    written: String,
    /// The tokens the candidates are compared on (`ScoredSentence::window`).
    window: Range<usize>,
    /// Each candidate, and whether it is related to the written word.
    candidates: Vec<(String, bool)>,
    /// The fast tier's own suggestions for the slot, in lower case.
    own: HashSet<String>,
    calibration: Calibration,
}

/// A sentence's slots and their candidates' rewrites, ready to be rescored once the
/// sentence as read is gone (but its keys and values).
struct Job {
    plans: Vec<Plan>,
    /// The log-probability of each slot's window as written.
    as_written: Vec<f32>,
    rewrites: Rewrites,
}

/// One slot's outcome, with what was written there.
struct Judged {
    /// Bytes of the sentence.
    span: Range<usize>,
    written: String,
    verdict: Option<Verdict>,
    /// The slot's own suggestions were rescored and none makes the sentence 10^`REFUTING_GAIN`
    /// times likelier than as written (`refutes`): the judge contradicts the fast tier.
    refuted: bool,
    calibration: Calibration,
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
            progress: OnceLock::new(),
        }
    }

    /// Counts the bytes of every document reviewed from now on on `bar`, as each sentence is
    /// read (the first bar given stays).
    pub fn show_progress(&self, bar: ProgressBar) {
        let _ = self.progress.set(bar);
    }

    pub fn model(&self) -> &LanguageModel {
        &self.model
    }

    /// Judges the fast tier's word-choice findings (dropping those no candidate confirms) and
    /// adds the deep tier's own, sentence by sentence, each read after the one before it.
    pub fn review(&self, prose: &str, sentences: &[Sentence], findings: &mut Vec<Finding>) {
        // Each sentence's slots, judged: its candidates are rescored on another thread while
        // the next sentence is read (reading is a chain, each sentence after the one before),
        // with the index of the sentence, its offset and the fast tier's findings among them.
        let outcomes = Mutex::new(Vec::new());
        let pending = AtomicUsize::new(0);
        let progress = self.progress.get();
        let mut counted = 0;
        rayon::scope(|scope| {
            let mut context = None;
            for (n, sentence) in sentences.iter().enumerate() {
                let text = &prose[sentence.span.clone()];
                let scored = self.model.score(context.as_ref(), text, PREDICTIONS);
                if let Some(bar) = progress {
                    bar.inc(sentence.span.end.saturating_sub(counted) as u64);
                    counted = counted.max(sentence.span.end);
                }
                let Ok(Some(scored)) = scored else {
                    context = None;
                    continue;
                };
                context = scored.as_context().ok();
                let (suspected, job) = self.plan_sentence(&scored, sentence, text, findings);
                drop(scored);
                let offset = sentence.span.start;
                let (outcomes, pending) = (&outcomes, &pending);
                let judge = move || {
                    let judged = self.judge(job);
                    let mut outcomes = outcomes.lock().unwrap_or_else(|e| e.into_inner());
                    outcomes.push((n, offset, suspected, judged));
                };
                // When the rescoring lags behind (or no other thread is free), this thread
                // takes its turn: each waiting sentence holds its keys and values.
                if pending.load(Ordering::Acquire) >= MAX_PENDING {
                    judge();
                } else {
                    pending.fetch_add(1, Ordering::AcqRel);
                    scope.spawn(move |_| {
                        judge();
                        pending.fetch_sub(1, Ordering::AcqRel);
                    });
                }
            }
        });
        if let Some(bar) = progress {
            bar.inc(prose.len().saturating_sub(counted) as u64);
        }
        if trace() {
            eprintln!("deep-work\t{}", self.model.work.summary());
        }
        let mut outcomes = outcomes.into_inner().unwrap_or_else(|e| e.into_inner());
        outcomes.sort_by_key(|outcome| outcome.0);
        let mut dropped = vec![false; findings.len()];
        let mut added = Vec::new();
        for (_, offset, suspected, judged) in outcomes {
            for (judged, &i) in judged.iter().zip(&suspected) {
                match &judged.verdict {
                    Some(verdict) => {
                        confirm(
                            &mut findings[i],
                            &judged.written,
                            verdict,
                            judged.calibration,
                        );
                    }
                    None if judged.refuted => dropped[i] = true,
                    // Neither confirmed nor refuted: the fast tier's finding stands as it is.
                    None => {}
                }
            }
            for judged in judged.into_iter().skip(suspected.len()) {
                if let Some(verdict) = judged.verdict {
                    let span = judged.span.start + offset..judged.span.end + offset;
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

    /// The slots of a sentence as read (the fast tier's findings in it, whose indices come
    /// first, then the words the model finds most surprising) and their candidates, ready to
    /// be rescored.
    fn plan_sentence(
        &self,
        scored: &ScoredSentence,
        sentence: &Sentence,
        text: &str,
        findings: &[Finding],
    ) -> (Vec<usize>, Job) {
        let offset = sentence.span.start;
        let suspected: Vec<usize> = (0..findings.len())
            .filter(|&i| {
                let finding = &findings[i];
                JUDGED_RULES.contains(&finding.rule)
                    && finding.confidence < SURE
                    && sentence.span.start <= finding.span.start
                    && finding.span.end <= sentence.span.end
            })
            .collect();
        let taken: Vec<Range<usize>> = suspected
            .iter()
            .map(|&i| findings[i].span.start - offset..findings[i].span.end - offset)
            .collect();
        let surprising = self.surprising_slots(scored, sentence, text, &taken);
        // The budget is shared by the slots, the fast tier's first.
        let slots = suspected.len() + surprising.len();
        let share = (self.budget / slots.max(1)).max(MIN_SHARE);
        let mut budget = self.budget;
        let mut plans = Vec::with_capacity(slots);
        for (&i, span) in suspected.iter().zip(taken) {
            let finding = &findings[i];
            let suggested = finding.suggestions.iter().map(|s| s.replacement.clone());
            // A hunch below the report threshold is only a slot like any other; a finding
            // the fast tier reports is confirmed by a smaller gain.
            let calibration = if finding.confidence >= REPORTED {
                self.calibration.confirming()
            } else {
                self.calibration
            };
            plans.push(self.plan_slot(
                scored,
                span,
                suggested.collect(),
                (&mut budget, share),
                calibration,
            ));
        }
        for span in surprising {
            plans.push(self.plan_slot(
                scored,
                span,
                Vec::new(),
                (&mut budget, share),
                self.calibration,
            ));
        }
        let rewrites: Vec<(usize, String)> = plans
            .iter()
            .flat_map(|plan| {
                plan.candidates.iter().map(|(c, _)| {
                    (
                        plan.window.start,
                        scored.rewrite(&plan.window, &plan.span, c),
                    )
                })
            })
            .collect();
        let job = Job {
            as_written: plans
                .iter()
                .map(|plan| scored.window_log_prob(&plan.window))
                .collect(),
            plans,
            rewrites: self.model.rewrites(scored, &rewrites),
        };
        (suspected, job)
    }

    /// The candidates for `span` (bytes of the sentence): the given ones, then the words
    /// related to the written one that the model finds likeliest there (among its own
    /// predictions and the lexicon's synonyms), then its likeliest unrelated words; at most
    /// `share` of them, and no more than the sentence's `budget` has left.
    fn plan_slot(
        &self,
        scored: &ScoredSentence,
        span: Range<usize>,
        suggested: Vec<String>,
        (budget, share): (&mut usize, usize),
        calibration: Calibration,
    ) -> Plan {
        let written = scored.sentence()[span.clone()].to_owned();
        let window = scored.window(&span);
        let from = window.start;
        let lower = written.to_lowercase();
        // The model's words and the lexicon's synonyms each replace one written word: for a
        // slot of several (a fast-tier finding's phrase) only the finding's own suggestions
        // compare like with like.
        let one_word = !written.contains(char::is_whitespace);
        let predictions: &[(String, f32)] = if one_word {
            &scored.predictions[from]
        } else {
            &[]
        };
        let related = Neighbours::of(&lower);
        let least = scored.word_log_prob(from) - MAX_LEFT_DEFICIT / LOG10_E;
        let promising = |(_, left): &(String, f32)| *left >= least;
        let mut neighbours: Vec<(String, f32)> = predictions
            .iter()
            .filter(|(word, _)| related.contains(word))
            .cloned()
            .collect();
        neighbours.extend(
            Lexicon::embedded()
                .synonyms(&lower)
                .into_iter()
                .filter(|w| one_word && !w.contains(' '))
                .take(SYNONYMS_WEIGHED)
                .map(|w| (w.to_owned(), self.model.left_log_prob(scored, from, w))),
        );
        neighbours.retain(promising);
        neighbours.sort_by(|a, b| b.1.total_cmp(&a.1));
        let free = predictions
            .iter()
            .filter(|(word, _)| !related.contains(word))
            .take(FREE_CANDIDATES)
            .filter(|p| promising(p));
        let own: HashSet<String> = suggested.iter().map(|c| c.to_lowercase()).collect();
        let mut seen = HashSet::from([lower.clone()]);
        let mut candidates: Vec<(String, bool)> = Vec::new();
        // The fast tier's own suggestions come first and count as related.
        let ranked = suggested
            .into_iter()
            .map(|c| (c, true))
            .chain(neighbours.into_iter().map(|(c, _)| (c, true)))
            .chain(free.map(|(c, _)| (c.clone(), false)));
        for (candidate, is_related) in ranked {
            if candidates.len() == share.min(*budget) {
                break;
            }
            if seen.insert(candidate.to_lowercase()) {
                candidates.push((candidate, is_related));
            }
        }
        *budget -= candidates.len();
        Plan {
            span,
            written,
            window,
            candidates,
            own,
            calibration,
        }
    }

    /// Rescores the candidates of all of a sentence's slots (in one forward pass) and judges
    /// each slot.
    fn judge(&self, job: Job) -> Vec<Judged> {
        let log_probs = if job.plans.iter().all(|plan| plan.candidates.is_empty()) {
            Ok(Vec::new())
        } else {
            self.model.rescore(&job.rewrites)
        };
        let mut log_probs = log_probs.ok().map(Vec::into_iter);
        job.plans
            .into_iter()
            .zip(job.as_written)
            .map(|(plan, as_written)| {
                let candidates = plan.candidates.len();
                let with: Option<Vec<f32>> = log_probs
                    .as_mut()
                    .map(|all| all.by_ref().take(candidates).collect());
                let mut judged = Judged {
                    span: plan.span,
                    written: plan.written,
                    verdict: None,
                    refuted: false,
                    calibration: plan.calibration,
                };
                let Some(with) = with.filter(|_| candidates > 0) else {
                    return judged;
                };
                let comparisons: Vec<Comparison> = plan
                    .candidates
                    .into_iter()
                    .zip(with)
                    .map(|((candidate, related), with)| {
                        let frequency_gain =
                            log10_frequency(&candidate) - log10_frequency(&judged.written);
                        Comparison::new(candidate, with, as_written, frequency_gain, related)
                    })
                    .collect();
                if trace() {
                    trace_slot(&judged.written, &comparisons, plan.calibration);
                }
                judged.refuted = refutes(
                    comparisons
                        .iter()
                        .filter(|c| plan.own.contains(&c.candidate.to_lowercase()))
                        .map(|c| c.gain),
                );
                judged.verdict = judge::judge(comparisons, plan.calibration);
                judged
            })
            .collect()
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
            let common = model
                .log10_unigram(&word.norm)
                .is_some_and(|p| p > FUNCTION_WORD_LOG10);
            scores.push(WordScore {
                log_prob: scored.word_log_prob(from),
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

/// Whether the gains of a finding's own suggestions (log10, with each in place against as
/// written) contradict it: there are some, and none reaches `REFUTING_GAIN`.
fn refutes(own_gains: impl Iterator<Item = f32>) -> bool {
    let mut own_gains = own_gains.peekable();
    own_gains.peek().is_some() && own_gains.all(|gain| gain < REFUTING_GAIN)
}

/// The neighbours of a written word: the kind of word a spinner or a translator swaps in
/// for the intended one.
struct Neighbours {
    written: String,
    /// Synonyms of the word and of its lemmas ("charges": those of "charge").
    synonyms: HashSet<&'static str>,
}

impl Neighbours {
    fn of(written: &str) -> Neighbours {
        let lexicon = Lexicon::embedded();
        let mut synonyms: HashSet<&'static str> = lexicon.synonyms(written).into_iter().collect();
        for (lemma, _) in lexicon.lemmas(written) {
            synonyms.extend(lexicon.synonyms(&lemma));
        }
        Neighbours {
            written: written.to_owned(),
            synonyms,
        }
    }

    /// Whether `candidate` is one: a synonym (synonyms are listed both ways), also through
    /// its lemmas ("rates" through "rate"), the same stem, or a spelling neighbour of a word
    /// long enough to have one.
    fn contains(&self, candidate: &str) -> bool {
        let lexicon = Lexicon::embedded();
        let candidate = candidate.to_lowercase();
        self.synonyms.contains(candidate.as_str())
            || lexicon
                .lemmas(&candidate)
                .iter()
                .any(|(lemma, _)| self.synonyms.contains(lemma.as_str()))
            || lexicon.same_stem(&self.written, &candidate)
            || (self.written.chars().count() >= 5
                && strsim::levenshtein(&self.written, &candidate) <= 2)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_is_refuted_only_when_none_of_its_suggestions_gains_enough() {
        assert!(
            !refutes([].into_iter()),
            "no suggestion rescored: nothing to go by"
        );
        assert!(refutes([-0.5, 1.9].into_iter()));
        assert!(!refutes([0.1, REFUTING_GAIN].into_iter()));
    }

    #[test]
    fn neighbours_are_found_through_lemmas_and_spelling() {
        let charges = Neighbours::of("charges");
        // "rates" is no synonym of "charges" itself: "rate" is one of "charge".
        assert!(charges.contains("rates"));
        assert!(charges.contains("Fees"));
        assert!(!charges.contains("banana"));
        // A spelling neighbour of a long word, and the same stem.
        assert!(Neighbours::of("announcement").contains("announcements"));
    }
}
