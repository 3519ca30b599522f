//! `mtaudit eval`: the figures behind the quality gate.

use super::settings::{GateArgs, Profiles, SettingsArgs};
use super::Profile;
use super::{error, is_auditable, warning, EXIT_ERROR, EXIT_FAIL, EXIT_PASS};
use crate::audit::Auditor;
use crate::eval::{
    is_news_phrases, read_gold, read_news_phrases, read_phrases, Evaluation, GoldSet,
    NewsPhraseEvaluation, PhraseEvaluation, Requirement,
};
use crate::walk::WalkProblem;
use clap::Args;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Swapped phrases (TSV: swapped, expected, with a header), each measured in --frame; or
    /// labelled news phrases (garbled_phrase, original_phrase, category, verdict,
    /// reads_fluently), each side measured in the news frames as one document.
    #[arg(long, value_name = "PHRASES.tsv")]
    pub phrases: Option<PathBuf>,
    /// The sentence frame for --phrases; `{}` marks where the phrase goes.
    #[arg(long, default_value = crate::eval::DEFAULT_FRAME)]
    pub frame: String,
    /// Gold edits (TSV: start_byte, end_byte, garbled, correction, category, found_by, note).
    #[arg(long, value_name = "GOLD.tsv", requires = "garbled")]
    pub gold: Option<PathBuf>,
    /// The garbled text that --gold annotates.
    #[arg(value_name = "GARBLED")]
    pub garbled: Option<PathBuf>,
    /// The corrected text, for fix gain and false alarms.
    #[arg(long, value_name = "REF")]
    pub reference: Option<PathBuf>,
    /// Folders holding garbled.txt, gold.tsv and reference.txt, evaluated together.
    #[arg(long = "set", value_name = "DIR")]
    pub sets: Vec<PathBuf>,
    /// Clean texts (files or folders of .txt) for false alarms per 1000 words.
    #[arg(long, value_name = "CLEAN")]
    pub clean: Vec<PathBuf>,
    /// Apply suggestions at or above this confidence for the fix gain [default: 0.7, or the
    /// config's fix.confidence].
    #[arg(long, value_name = "0..1", value_parser = super::confidence)]
    pub confidence: Option<f32>,
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
    /// List every miss and false alarm.
    #[arg(long, short)]
    pub verbose: bool,
    /// Fail (exit 1) unless the figure holds, e.g. `precision>=0.9` (repeatable).
    #[arg(long, value_name = "FIGURE>=N")]
    pub require: Vec<Requirement>,
    #[command(flatten)]
    pub settings: SettingsArgs,
}

fn read_text(path: &Path) -> Result<String, String> {
    crate::input::file::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn gold_set(
    name: String,
    garbled: &Path,
    gold: &Path,
    reference: Option<&Path>,
) -> Result<GoldSet, String> {
    let text = read_text(garbled)?;
    let rows = read_gold(&gold.display().to_string(), &read_text(gold)?, &text)?;
    let reference = reference.map(read_text).transpose()?;
    Ok(GoldSet {
        name,
        garbled: text,
        gold: rows,
        reference,
    })
}

fn eval_sets(args: &EvalArgs) -> Result<Vec<GoldSet>, String> {
    let mut sets = Vec::new();
    if let (Some(gold), Some(garbled)) = (&args.gold, &args.garbled) {
        sets.push(gold_set(
            garbled.display().to_string(),
            garbled,
            gold,
            args.reference.as_deref(),
        )?);
    }
    for dir in &args.sets {
        let reference = dir.join("reference.txt");
        sets.push(gold_set(
            dir.join("garbled.txt").display().to_string(),
            &dir.join("garbled.txt"),
            &dir.join("gold.tsv"),
            reference.exists().then_some(reference.as_path()),
        )?);
    }
    if sets.is_empty() && args.clean.is_empty() && args.phrases.is_none() {
        return Err(
            "nothing to evaluate: give --gold GOLD.tsv GARBLED, --set DIR, --clean or --phrases"
                .into(),
        );
    }
    Ok(sets)
}

/// The clean texts: files as given, folders walked as `check` walks them.
fn clean_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let walk = crate::walk::walk(path);
            for problem in walk.problems {
                match problem {
                    WalkProblem::Link(message) | WalkProblem::Other(message) => warning(message),
                }
            }
            files.extend(walk.files.into_iter().filter(|f| is_auditable(f)));
        } else {
            files.push(path.clone());
        }
    }
    files
}

/// Audits every input with the auditor its config gives, as `check` would.
fn evaluate(args: &EvalArgs) -> Result<(Evaluation, BTreeMap<String, f64>), String> {
    let overrides = args
        .settings
        .overrides(&GateArgs::default(), args.confidence);
    let mut profiles = Profiles::new(&args.settings, overrides);
    let mut auditor_for = |path: &Path| -> Result<(Arc<Profile>, f32), String> {
        let profile = profiles.for_path(path)?;
        let confidence = profile.settings.fix_confidence.value;
        Ok((profile, confidence))
    };
    let sets = eval_sets(args)?;
    let mut evaluation = Evaluation::default();
    for set in &sets {
        let (profile, confidence) = auditor_for(Path::new(&set.name))?;
        evaluation.add_gold_set(&profile.auditor, set, confidence);
    }
    for path in clean_files(&args.clean) {
        let text = read_text(&path)?;
        let (profile, _) = auditor_for(&path)?;
        evaluation.add_clean(&profile.auditor, &path.display().to_string(), &text);
    }
    let mut metrics = evaluation.metrics();
    if let Some(path) = &args.phrases {
        let tsv = read_text(path)?;
        let (profile, _) = auditor_for(path)?;
        let auditor: &Auditor = &profile.auditor;
        if is_news_phrases(&tsv) {
            let phrases =
                read_news_phrases(&tsv).map_err(|e| format!("{}: {e}", path.display()))?;
            let news = NewsPhraseEvaluation::measure(auditor, &phrases);
            news.metrics(&mut metrics);
            evaluation.misses.extend(news.misses);
        } else {
            let phrases = PhraseEvaluation::measure(auditor, &args.frame, &read_phrases(&tsv));
            phrases.metrics(&mut metrics);
            evaluation.misses.extend(phrases.misses);
        }
    }
    Ok((evaluation, metrics))
}

pub fn run(args: EvalArgs) -> u8 {
    let (evaluation, metrics) = match evaluate(&args) {
        Ok(evaluated) => evaluated,
        Err(e) => {
            error(e);
            return EXIT_ERROR;
        }
    };
    // The misses quote the texts measured: escaped on a terminal.
    let mut out = super::report_output(false);
    let printed = if args.json {
        serde_json::to_writer_pretty(&mut out, &metrics)
            .map_err(io::Error::from)
            .and_then(|_| writeln!(out))
    } else {
        print_evaluation(&mut out, &evaluation, &metrics, args.verbose)
    };
    let printed = printed.and_then(|()| out.flush());
    if let Err(e) = printed {
        error(format!("writing the report: {e}"));
        return EXIT_ERROR;
    }
    // A figure this evaluation does not have is a mistake in the command, not a failed gate.
    let unknown: Vec<&str> = args
        .require
        .iter()
        .filter(|r| !metrics.contains_key(&r.metric))
        .map(|r| r.metric.as_str())
        .collect();
    if !unknown.is_empty() {
        let known: Vec<&str> = metrics.keys().map(String::as_str).collect();
        error(format!(
            "--require: no figure {} in this evaluation (it has: {})",
            unknown.join(", "),
            known.join(", ")
        ));
        return EXIT_ERROR;
    }
    let failed: Vec<String> = args
        .require
        .iter()
        .filter_map(|r| r.check(&metrics).err())
        .collect();
    for reason in &failed {
        error(format!("requirement not met: {reason}"));
    }
    if failed.is_empty() {
        EXIT_PASS
    } else {
        EXIT_FAIL
    }
}

fn print_evaluation(
    out: &mut impl Write,
    evaluation: &Evaluation,
    metrics: &BTreeMap<String, f64>,
    verbose: bool,
) -> io::Result<()> {
    let get = |k: &str| metrics.get(k).copied().unwrap_or(0.0);
    if evaluation.gold > 0 {
        writeln!(
            out,
            "gold garbles: {}   detected: {} (recall {:.3})   corrected by top suggestion: {}",
            evaluation.gold,
            evaluation.detected,
            get("recall"),
            evaluation.corrected
        )?;
        for (tier, c) in &evaluation.tiers {
            writeln!(
                out,
                "  {tier:<12} {:>3} of {:>3} detected, {:>3} corrected",
                c.detected, c.total, c.corrected
            )?;
        }
        writeln!(
            out,
            "findings: {}   true: {}   precision {:.3}   F0.5 {:.3}",
            evaluation.findings,
            evaluation.true_findings,
            get("precision"),
            get("f05")
        )?;
    }
    if evaluation.reference_words > 0 {
        writeln!(
            out,
            "fix gain: WER {:.4} → {:.4} (gain {:+.4})   reference: {} findings in {} words ({:.2} per 1000)",
            get("wer_before"),
            get("wer_after"),
            get("fix_gain"),
            evaluation.reference_findings,
            evaluation.reference_words,
            get("reference_per_1000")
        )?;
    }
    if let (Some(auc), Some(model_only)) = (metrics.get("auc"), metrics.get("auc_model_only")) {
        writeln!(
            out,
            "sentence ranking: ROC-AUC {auc:.3} (suspicion), {model_only:.3} (model surprise alone); {} garbled vs {} reference sentences",
            evaluation.garbled_sentences.len(),
            evaluation.clean_sentences.len()
        )?;
    }
    if let Some(auc) = metrics.get("document_auc") {
        writeln!(
            out,
            "document ranking: ROC-AUC {auc:.3} (score), {} garbled vs {} clean texts; read as machine-spun: {} garbled, {} clean",
            evaluation.garbled_documents.len(),
            evaluation.clean_documents.len(),
            get("spun_garbled"),
            get("spun_clean")
        )?;
    }
    if let Some(acceptable) = metrics.get("acceptable_flagged") {
        writeln!(
            out,
            "news phrases: {} visible garbles; {:.1}% flagged, {:.1}% given back by the top suggestion; acceptable paraphrases flagged {:.1}%",
            get("phrases"),
            100.0 * get("phrases_flagged"),
            100.0 * get("phrases_corrected"),
            100.0 * acceptable
        )?;
    } else if let Some(phrases) = metrics.get("phrases") {
        writeln!(
            out,
            "swapped phrases: {phrases} in the frame; {:.1}% flagged, {:.1}% corrected by the top suggestion; expected phrases flagged {:.1}%",
            100.0 * get("phrases_flagged"),
            100.0 * get("phrases_corrected"),
            100.0 * get("expected_flagged")
        )?;
    }
    if evaluation.clean_words > 0 {
        writeln!(
            out,
            "clean texts: {} findings in {} words ({:.2} false alarms per 1000 words)",
            evaluation.clean_findings,
            evaluation.clean_words,
            get("clean_per_1000")
        )?;
    }
    if verbose {
        for line in evaluation.misses.iter().chain(&evaluation.false_alarms) {
            writeln!(out, "  {line}")?;
        }
    }
    Ok(())
}
