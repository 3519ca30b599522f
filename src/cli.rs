//! Command-line interface: arguments → audit → printers → exit code.

use crate::audit::{AuditConfig, Auditor, FileReport};
use crate::checks;
use crate::eval::{read_gold, Evaluation, GoldSet, Requirement};
use crate::finding::Severity;
use crate::input::{Format, InputError};
use crate::report::{self, OutputFormat, Style, Summary};
use clap::{Args, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit codes, as documented in the README.
pub const EXIT_PASS: u8 = 0;
pub const EXIT_FAIL: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Suggestions at or above this confidence are applied by `--format diff` and `eval`'s fix gain.
pub const DEFAULT_FIX_CONFIDENCE: f32 = 0.7;

#[derive(Parser, Debug)]
#[command(name = "mtaudit", version, about = "Audit machine-translated English for garbled phrasing", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Audit files, directories (searched for .txt and .md) or `-` for stdin.
    Check(CheckArgs),
    /// Measure the checks against gold edits, a reference and clean texts.
    Eval(EvalArgs),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// By file extension (.md and .markdown are Markdown; stdin is text).
    Auto,
    Text,
    Markdown,
}

#[derive(Args, Debug, Clone)]
pub struct AuditOptions {
    /// Report low-confidence findings too (for review rather than CI).
    #[arg(long)]
    pub thorough: bool,
    /// Report only findings at or above this confidence (overrides --thorough).
    #[arg(long, value_name = "0..1")]
    pub min_confidence: Option<f32>,
}

impl AuditOptions {
    fn auditor(&self, min_score: f64, fail_on: Option<Severity>) -> Auditor {
        let default = AuditConfig::default();
        let min_confidence = self.min_confidence.unwrap_or(if self.thorough {
            THOROUGH_CONFIDENCE
        } else {
            default.min_confidence
        });
        let config = AuditConfig {
            min_score,
            fail_on,
            min_confidence,
            ..default
        };
        Auditor::new(config, checks::registry())
    }
}

/// The report threshold of `--thorough`.
pub const THOROUGH_CONFIDENCE: f32 = 0.2;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to audit; `-` reads standard input.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// A document fails when its score (0–100) is below this.
    #[arg(long, default_value_t = 90.0, value_name = "N")]
    pub min_score: f64,
    /// A document fails when any finding is at least this severe.
    #[arg(long, value_enum)]
    pub fail_on: Option<Severity>,
    /// With --format diff: apply suggestions at or above this confidence.
    #[arg(long, default_value_t = DEFAULT_FIX_CONFIDENCE, value_name = "0..1")]
    pub confidence: f32,
    /// How to read the inputs.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,
    /// Colour the text report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub audit: AuditOptions,
}

#[derive(Args, Debug)]
pub struct EvalArgs {
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
    #[arg(long, default_value_t = DEFAULT_FIX_CONFIDENCE, value_name = "0..1")]
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

pub fn run(cli: Cli) -> ExitCode {
    let code = match cli.command {
        Command::Check(args) => check(args),
        Command::Eval(args) => eval(args),
    };
    ExitCode::from(code)
}

pub fn error(message: impl std::fmt::Display) {
    eprintln!("mtaudit: error: {message}");
}

pub fn warning(message: impl std::fmt::Display) {
    eprintln!("mtaudit: warning: {message}");
}

/// One thing to audit, named as the user gave it.
#[derive(Debug, Clone)]
enum Input {
    Stdin,
    File { path: PathBuf, explicit: bool },
}

impl Input {
    fn name(&self) -> String {
        match self {
            Input::Stdin => "-".into(),
            Input::File { path, .. } => path.display().to_string(),
        }
    }
}

fn is_auditable(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("txt" | "md" | "markdown")
    )
}

/// Expands directories (recursively, honouring .gitignore) into auditable files.
fn collect_inputs(paths: &[PathBuf]) -> (Vec<Input>, usize) {
    let mut inputs = Vec::new();
    let mut errors = 0;
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if path.is_dir() {
            let before = inputs.len();
            let mut files: Vec<PathBuf> = Vec::new();
            for entry in ignore::WalkBuilder::new(path).follow_links(false).build() {
                match entry {
                    Ok(e)
                        if e.file_type().is_some_and(|t| t.is_file()) && is_auditable(e.path()) =>
                    {
                        files.push(e.into_path())
                    }
                    Ok(_) => {}
                    Err(e) => {
                        error(e);
                        errors += 1;
                    }
                }
            }
            files.sort();
            inputs.extend(files.into_iter().map(|path| Input::File {
                path,
                explicit: false,
            }));
            if inputs.len() == before {
                error(format!(
                    "{}: no .txt or .md files to audit in this directory",
                    path.display()
                ));
                errors += 1;
            }
        } else {
            inputs.push(Input::File {
                path: path.clone(),
                explicit: true,
            });
        }
    }
    (inputs, errors)
}

/// What happened to one input.
enum Outcome {
    Audited(FileReport),
    Skipped,
    Error,
}

fn read_input(input: &Input) -> io::Result<Vec<u8>> {
    match input {
        Input::Stdin => {
            let mut bytes = Vec::new();
            io::stdin().lock().read_to_end(&mut bytes)?;
            Ok(bytes)
        }
        Input::File { path, .. } => std::fs::read(path),
    }
}

fn input_error_message(name: &str, bytes_prefix: &[u8], err: &InputError) -> String {
    match err {
        InputError::InvalidUtf8 { offset } => {
            let valid = String::from_utf8_lossy(&bytes_prefix[..*offset]);
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("{name}: invalid UTF-8 at byte {offset} (line {line}, column {column}); mtaudit reads UTF-8 text")
        }
        InputError::Binary { offset } => {
            format!("{name}: binary file (NUL byte at byte {offset}), not audited")
        }
    }
}

fn audit_input(auditor: &Auditor, input: &Input, input_format: InputFormat) -> Outcome {
    let name = input.name();
    let bytes = match read_input(input) {
        Ok(bytes) => bytes,
        Err(e) => {
            error(format!("{name}: {e}"));
            return Outcome::Error;
        }
    };
    if bytes.is_empty() {
        warning(format!("{name}: empty file"));
    }
    let format = match (input_format, input) {
        (InputFormat::Text, _) | (InputFormat::Auto, Input::Stdin) => Format::Text,
        (InputFormat::Markdown, _) => Format::Markdown,
        (InputFormat::Auto, Input::File { path, .. }) => Format::from_path(path),
    };
    let probe = bytes.clone();
    match auditor.audit_bytes(&name, bytes, format) {
        Ok(report) => Outcome::Audited(report),
        Err(err) => {
            let message = input_error_message(&name, &probe, &err);
            match (err, input) {
                (
                    InputError::Binary { .. },
                    Input::File {
                        explicit: false, ..
                    },
                ) => {
                    warning(message);
                    Outcome::Skipped
                }
                _ => {
                    error(message);
                    Outcome::Error
                }
            }
        }
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// A progress bar on stderr for long runs on a terminal, hidden otherwise.
fn progress(inputs: &[Input], format: OutputFormat) -> indicatif::ProgressBar {
    let long_run = inputs.len() >= 20;
    if format == OutputFormat::Text && long_run && io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(inputs.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    }
}

fn check(args: CheckArgs) -> u8 {
    let auditor = args.audit.auditor(args.min_score, args.fail_on);
    let (inputs, mut errors) = collect_inputs(&args.paths);
    let bar = progress(&inputs, args.format);
    let outcomes: Vec<Outcome> = inputs
        .par_iter()
        .map(|input| {
            let outcome = audit_input(&auditor, input, args.input_format);
            bar.inc(1);
            outcome
        })
        .collect();
    bar.finish_and_clear();

    let stdout = io::stdout();
    let style = Style {
        color: use_color(args.color),
    };
    let mut sink = report::sink(
        args.format,
        Box::new(io::BufWriter::new(stdout.lock())),
        style,
        args.confidence,
    );
    let mut summary = Summary::new();
    let mut write = || -> io::Result<()> {
        for outcome in &outcomes {
            match outcome {
                Outcome::Audited(report) => {
                    summary.add(report);
                    sink.file(report)?;
                }
                Outcome::Skipped => {}
                Outcome::Error => {
                    errors += 1;
                    summary.fail();
                }
            }
        }
        sink.finish(&summary)
    };
    if let Err(e) = write() {
        if e.kind() != io::ErrorKind::BrokenPipe {
            error(format!("writing the report: {e}"));
            return EXIT_ERROR;
        }
    }
    if errors > 0 {
        EXIT_ERROR
    } else if summary.passed {
        EXIT_PASS
    } else {
        EXIT_FAIL
    }
}

fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
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
    if sets.is_empty() && args.clean.is_empty() {
        return Err(
            "nothing to evaluate: give --gold GOLD.tsv GARBLED, --set DIR or --clean".into(),
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

fn eval(args: EvalArgs) -> u8 {
    let auditor = args.audit.auditor(0.0, None);
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
    let metrics = evaluation.metrics();
    let mut out = io::stdout().lock();
    let printed = if args.json {
        serde_json::to_writer_pretty(&mut out, &metrics)
            .map_err(io::Error::from)
            .and_then(|_| writeln!(out))
    } else {
        print_evaluation(&mut out, &evaluation, &metrics, args.verbose)
    };
    if let Err(e) = printed {
        error(format!("writing the report: {e}"));
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
