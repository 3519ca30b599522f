//! `mtaudit check`: audit inputs in parallel and print a report.

use super::pipeline::{audit_streaming, Outcome};
use super::settings::{GateArgs, Profile, Profiles, SettingsArgs};
use super::{
    error, is_auditable, warning, ColorChoice, InputFormat, EXIT_ERROR, EXIT_FAIL, EXIT_PASS,
};
use crate::baseline::{self, Baseline, Recorder};
use crate::report::{self, OutputFormat, ProblemKind, Style, Summary};
use crate::review::ReviewFile;
use crate::shard::Shard;
use crate::walk::WalkProblem;
use clap::Args;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to audit; `-` reads standard input.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    #[command(flatten)]
    pub gate: GateArgs,
    /// With --format diff (and sarif fixes): suggestions at or above this confidence [default: 0.7].
    #[arg(long, value_name = "0..1", value_parser = super::confidence)]
    pub confidence: Option<f32>,
    /// How to read the inputs.
    #[arg(long, value_enum, default_value_t = InputFormat::AUTO)]
    pub input_format: InputFormat,
    /// Colour the text report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Do not report what was rejected (or whose rule was suppressed) in `mtaudit review`:
    /// the review file it keeps, `.NAME.mtaudit-review.json` beside the document.
    #[arg(long, value_name = "FILE")]
    pub review_file: Option<PathBuf>,
    /// Report only findings that this baseline file does not record.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record every finding of this run in a baseline file (the run then passes).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Audit only part K of N of the inputs (1 <= K <= N), for a CI matrix or batch runner;
    /// `mtaudit report merge` joins the parts' JSON reports into one.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// One thing to audit, named as the user gave it.
#[derive(Debug, Clone)]
pub(super) enum Input {
    Stdin,
    File { path: PathBuf, explicit: bool },
}

impl Input {
    pub(super) fn name(&self) -> String {
        match self {
            Input::Stdin => "-".into(),
            Input::File { path, .. } => path.display().to_string(),
        }
    }
}

/// An input and the profile (config) that governs it.
pub(super) type Job = (Input, Arc<Profile>);

/// Expands directories ([`crate::walk`]) into auditable files, each with its profile; `include` / `exclude` of the governing config filter them. A config that
/// cannot be loaded is an error for the whole run.
pub(super) fn collect_inputs(
    paths: &[PathBuf],
    profiles: &mut Profiles,
) -> Result<(Vec<Job>, usize), String> {
    let mut inputs = Vec::new();
    let mut errors = 0;
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push((Input::Stdin, profiles.for_path(path)?));
        } else if path.is_dir() {
            let walk = crate::walk::walk(path);
            for problem in walk.problems {
                match problem {
                    WalkProblem::Link(message) => warning(message),
                    WalkProblem::Other(message) => {
                        error(message);
                        errors += 1;
                    }
                }
            }
            let mut candidates = 0;
            for file in walk.files {
                let profile = profiles.for_path(&file)?;
                if profile.settings.includes(&file, is_auditable(&file)) {
                    candidates += 1;
                    if !profile.settings.excludes(&file) {
                        let input = Input::File {
                            path: file,
                            explicit: false,
                        };
                        inputs.push((input, profile));
                    }
                }
            }
            if candidates == 0 {
                error(format!(
                    "{}: no files to audit in this directory (.txt .md .xlf .xliff .po .pot .tmx .tsv .csv)",
                    path.display()
                ));
                errors += 1;
            }
        } else {
            let profile = profiles.for_path(path)?;
            if !profile.settings.excludes(path) {
                let input = Input::File {
                    path: path.clone(),
                    explicit: true,
                };
                inputs.push((input, profile));
            }
        }
    }
    Ok((inputs, errors))
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

/// A run this long shows a progress bar: this many inputs, or this many bytes (a large file);
/// with the deep tier, this many bytes (about 2,500 words, 15 seconds on two cores).
const LONG_RUN_INPUTS: usize = 20;
const LONG_RUN_BYTES: u64 = 8 << 20;
const LONG_DEEP_RUN_BYTES: u64 = 16 << 10;

/// A progress bar on stderr, in bytes of input, for a long run of the text report on a
/// terminal; hidden otherwise (machine formats, output piped or redirected).
pub(super) fn progress(inputs: &[Job], format: OutputFormat) -> indicatif::ProgressBar {
    let on_terminal = io::stderr().is_terminal() && io::stdout().is_terminal();
    if format != OutputFormat::Text || !on_terminal {
        return indicatif::ProgressBar::hidden();
    }
    let bytes: u64 = inputs
        .iter()
        .filter_map(|(input, _)| match input {
            Input::File { path, .. } => std::fs::metadata(path).ok().map(|m| m.len()),
            Input::Stdin => None,
        })
        .sum();
    let deep = inputs.iter().any(|(_, profile)| profile.auditor.is_deep());
    let long = if deep {
        LONG_DEEP_RUN_BYTES
    } else {
        LONG_RUN_BYTES
    };
    if inputs.len() < LONG_RUN_INPUTS && bytes < long {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(bytes);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {bytes}/{total_bytes} {elapsed} (about {eta} left)",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    for (_, profile) in inputs {
        profile.auditor.show_progress(&bar);
    }
    bar
}

fn read_baseline(path: Option<&Path>) -> Result<Option<Baseline>, String> {
    path.map(|p| Baseline::read(p).map_err(|e| e.to_string()))
        .transpose()
}

/// The review file named by `--review-file`; it must exist (an empty one holds no decisions).
fn read_review_file(path: Option<&Path>) -> Result<Option<ReviewFile>, String> {
    let Some(path) = path else { return Ok(None) };
    match ReviewFile::load(path) {
        Ok(Some(file)) => Ok(Some(file)),
        Ok(None) if path.exists() => Ok(Some(ReviewFile::new(path))),
        Ok(None) => Err(format!("{}: no such review file", path.display())),
        Err(e) => Err(e.to_string()),
    }
}

fn write_baseline(path: &Path, recorder: Recorder) -> Result<(), String> {
    let recorded = recorder.finish();
    baseline::write(path, &recorded).map_err(|e| e.to_string())?;
    let total: usize = recorded.findings.iter().map(|e| e.count).sum();
    eprintln!(
        "mtaudit: recorded {total} finding{} in {}",
        if total == 1 { "" } else { "s" },
        path.display()
    );
    Ok(())
}

pub fn run(args: CheckArgs) -> u8 {
    let review_file = match read_review_file(args.review_file.as_deref()) {
        Ok(file) => file,
        Err(e) => {
            error(e);
            return EXIT_ERROR;
        }
    };
    let overrides = args.settings.overrides(&args.gate, args.confidence);
    let prepared = read_baseline(args.baseline.as_deref()).and_then(|baseline| {
        let mut profiles = Profiles::new(&args.settings, overrides).with_baseline(baseline);
        let confidence = profiles
            .for_path(Path::new("-"))?
            .settings
            .fix_confidence
            .value;
        Ok((collect_inputs(&args.paths, &mut profiles)?, confidence))
    });
    let ((jobs, mut errors), confidence) = match prepared {
        Ok(prepared) => prepared,
        Err(e) => {
            error(e);
            return EXIT_ERROR;
        }
    };
    let jobs = match &args.shard {
        Some(shard) => shard.select(jobs),
        None => jobs,
    };
    let style = Style {
        color: use_color(args.color),
    };
    let mut sink = report::sink(
        args.format,
        super::report_output(args.format == OutputFormat::Text),
        style,
        confidence,
        args.shard,
    );
    let mut summary = Summary::new();
    let mut recorder = args.write_baseline.as_ref().map(|_| Recorder::default());
    let bar = progress(&jobs, args.format);
    let written = audit_streaming(
        &jobs,
        args.input_format,
        &bar,
        |(input, profile), outcome| {
            let problem = |kind, message| report::InputProblem {
                path: input.name(),
                kind,
                message,
            };
            let problem = match outcome {
                Outcome::Audited(mut report) => {
                    if let Some(file) = &review_file {
                        file.honour(&mut report, &profile.auditor.config);
                    }
                    summary.add(&report);
                    if let Some(recorder) = &mut recorder {
                        recorder.add(&report);
                    }
                    sink.file(&report)?;
                    let empty = report.text.is_empty() && !report.continues_file();
                    empty.then(|| {
                        problem(ProblemKind::Empty, format!("{}: empty file", input.name()))
                    })
                }
                Outcome::Skipped(message) => Some(problem(ProblemKind::Skipped, message)),
                Outcome::Error(message) => {
                    errors += 1;
                    Some(problem(ProblemKind::Error, message))
                }
            };
            if let Some(problem) = problem {
                sink.problem(&problem)?;
                summary.add_problem(problem);
            }
            Ok(())
        },
    )
    .and_then(|()| sink.finish(&summary));
    bar.finish_and_clear();
    if let Err(e) = written {
        if e.kind() != io::ErrorKind::BrokenPipe {
            error(format!("writing the report: {e}"));
            return EXIT_ERROR;
        }
    }
    if let Some(path) = &args.write_baseline {
        let recorder = recorder.unwrap_or_default();
        if let Err(e) = write_baseline(path, recorder) {
            error(e);
            return EXIT_ERROR;
        }
    }
    if errors > 0 {
        EXIT_ERROR
    } else if summary.passed || args.write_baseline.is_some() {
        EXIT_PASS
    } else {
        EXIT_FAIL
    }
}
