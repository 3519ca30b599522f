//! `mtaudit eval`: the figures behind the quality gate.

use super::{
    error, is_auditable, AuditOptions, DEFAULT_FIX_CONFIDENCE, EXIT_ERROR, EXIT_FAIL, EXIT_PASS,
};
use crate::eval::{read_gold, read_phrases, Evaluation, GoldSet, PhraseEvaluation, Requirement};
use clap::Args;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Swapped phrases (TSV: swapped, expected, with a header), each measured in --frame.
    #[arg(long, value_name = "PHRASES.tsv")]
    pub phrases: Option<PathBuf>,
    /// The sentence frame for --phrases; `{}` marks where the phrase goes.
    #[arg(long, default_value = crate::eval::DEFAULT_FRAME)]
    pub frame: String,
    /// Only these rules' findings count (repeatable), e.g. `--rule context`.
    #[arg(long = "rule", value_name = "RULE")]
    pub rules: Vec<String>,
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
    /// Apply suggestions at or above this confidence for the fix gain.
    #[arg(long, default_value_t = DEFAULT_FIX_CONFIDENCE, value_name = "0..1",
          value_parser = super::confidence)]
    pub confidence: f32,
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
    pub audit: AuditOptions,
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

fn clean_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(path)
                .build()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_some_and(|t| t.is_file()) && is_auditable(e.path()))
                .map(|e| e.into_path())
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    files
}

pub fn run(args: EvalArgs) -> u8 {
    let mut auditor = args.audit.auditor(0.0, None);
    if !args.rules.is_empty() {
        if let Err(e) = auditor.retain_rules(&args.rules) {
            error(e);
            return EXIT_ERROR;
        }
    }
    let sets = match eval_sets(&args) {
        Ok(sets) => sets,
        Err(e) => {
            error(e);
            return EXIT_ERROR;
        }
    };
    let mut evaluation = Evaluation::default();
    for set in &sets {
        evaluation.add_gold_set(&auditor, set, args.confidence);
    }
    for path in clean_files(&args.clean) {
        match read_text(&path) {
            Ok(text) => evaluation.add_clean(&auditor, &path.display().to_string(), &text),
            Err(e) => {
                error(e);
                return EXIT_ERROR;
            }
        }
    }
    let mut metrics = evaluation.metrics();
    if let Some(path) = &args.phrases {
        match read_text(path) {
            Ok(tsv) => {
                let phrases = PhraseEvaluation::measure(&auditor, &args.frame, &read_phrases(&tsv));
                phrases.metrics(&mut metrics);
                evaluation.misses.extend(phrases.misses);
            }
            Err(e) => {
                error(e);
                return EXIT_ERROR;
            }
        }
    }
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
    metrics: &std::collections::BTreeMap<String, f64>,
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
    if let Some(phrases) = metrics.get("phrases") {
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
