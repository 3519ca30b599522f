//! `mtaudit check`: audit inputs in parallel and print a report.

use super::{
    error, is_auditable, warning, AuditOptions, ColorChoice, InputFormat, DEFAULT_FIX_CONFIDENCE,
    EXIT_ERROR, EXIT_FAIL, EXIT_PASS,
};
use crate::audit::{Auditor, FileReport};
use crate::finding::Severity;
use crate::input::{Format, InputError};
use crate::report::{self, OutputFormat, Style, Summary};
use clap::Args;
use rayon::prelude::*;
use std::io::{self, IsTerminal, Read};
use std::path::PathBuf;

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

pub fn run(args: CheckArgs) -> u8 {
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
