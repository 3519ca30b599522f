//! Command-line interface: arguments → audit → printers → exit code.

mod check;
mod config;
mod eval;
mod fix;
mod model;
mod pipeline;
mod report;
mod review;
mod settings;

use crate::audit::{AuditConfig, Auditor};
use crate::checks;
use crate::finding::Severity;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::Path;
use std::process::ExitCode;

pub use check::CheckArgs;
pub use config::ConfigArgs;
pub use eval::EvalArgs;
pub use fix::FixArgs;
pub use model::ModelArgs;
pub use report::ReportArgs;
pub use review::ReviewArgs;
pub use settings::{GateArgs, Profile, Profiles, SettingsArgs};

/// Exit codes, as documented in the README.
pub const EXIT_PASS: u8 = 0;
pub const EXIT_FAIL: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

pub use crate::config::{DEFAULT_FIX_CONFIDENCE, THOROUGH_CONFIDENCE};

#[derive(Parser, Debug)]
#[command(name = "mtaudit", version, about = "Audit machine-translated English for garbled phrasing", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Audit files, directories (searched for .txt, .md, .xlf, .po, .tmx, .tsv, .csv) or `-`
    /// for stdin.
    Check(CheckArgs),
    /// Measure the checks against gold edits, a reference and clean texts.
    Eval(EvalArgs),
    /// Walk through one document's findings: accept, reject or edit each, then save.
    Review(ReviewArgs),
    /// Apply suggestions at or above a confidence in place, and print the diff.
    Fix(FixArgs),
    /// Print the effective configuration for a path and where each value came from.
    Config(ConfigArgs),
    /// Build a house model from clean text, import an ARPA model, or describe a model.
    Model(ModelArgs),
    /// Work on JSON reports already written: merge the reports of sharded runs.
    Report(ReportArgs),
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
    /// XLIFF 1.2 or 2.0 (.xlf, .xliff).
    Xliff,
    /// gettext PO or POT (.po, .pot).
    Po,
    /// TMX translation memory (.tmx).
    Tmx,
    /// `source<TAB>target` rows (.tsv).
    Tsv,
    /// `source,target` rows (.csv).
    Csv,
}

impl InputFormat {
    /// The reader this choice names; `None` for `auto`.
    pub fn format(self) -> Option<crate::input::Format> {
        use crate::input::Format;
        Some(match self {
            InputFormat::Auto => return None,
            InputFormat::Text => Format::Text,
            InputFormat::Markdown => Format::Markdown,
            InputFormat::Xliff => Format::Xliff,
            InputFormat::Po => Format::Po,
            InputFormat::Tmx => Format::Tmx,
            InputFormat::Tsv => Format::Tsv,
            InputFormat::Csv => Format::Csv,
        })
    }
}

#[derive(Args, Debug, Clone, Default)]
pub struct AuditOptions {
    /// Report low-confidence findings too (for review rather than CI).
    #[arg(long)]
    pub thorough: bool,
    /// Report only findings at or above this confidence (overrides --thorough).
    #[arg(long, value_name = "0..1", value_parser = confidence)]
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

pub fn run(cli: Cli) -> ExitCode {
    // Without it, an interrupted write would leave its temporary file behind.
    if let Err(e) = crate::write::clean_up_on_signals() {
        warning(format!("cannot catch termination signals: {e}"));
    }
    let code = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Review(args) => review::run(args),
        Command::Fix(args) => fix::run(args),
        Command::Config(args) => config::run(args),
        Command::Model(args) => model::run(args),
        Command::Report(args) => report::run(args),
    };
    ExitCode::from(code)
}

pub(crate) use crate::report::printable;

/// A confidence on the command line: a number in the range the config file allows (not NaN).
pub(crate) fn confidence(arg: &str) -> Result<f32, String> {
    number_in(arg, crate::config::CONFIDENCE_RANGE)
}

/// A score on the command line: a number in the range the config file allows (not NaN).
pub(crate) fn score(arg: &str) -> Result<f64, String> {
    number_in(arg, crate::config::SCORE_RANGE)
}

fn number_in<T>(arg: &str, range: std::ops::RangeInclusive<T>) -> Result<T, String>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    let value: T = arg
        .trim()
        .parse()
        .map_err(|_| format!("`{arg}` is not a number"))?;
    if !range.contains(&value) {
        return Err(format!(
            "{arg} is out of range: must be {} to {}",
            range.start(),
            range.end()
        ));
    }
    Ok(value)
}

/// Messages quote file names and text from the inputs: shown with control characters escaped.
pub fn error(message: impl std::fmt::Display) {
    eprintln!("mtaudit: error: {}", printable(&message.to_string()));
}

pub fn warning(message: impl std::fmt::Display) {
    eprintln!("mtaudit: warning: {}", printable(&message.to_string()));
}

/// The message for a failed write to standard output (the report is lost: exit 2).
pub(crate) fn stdout_error(e: std::io::Error) -> String {
    format!("writing to standard output: {e}")
}

/// Standard output, buffered; through [`crate::report::TerminalSafe`] when it is a terminal,
/// unless the printer escapes what it prints itself (`escaped`).
pub(crate) fn report_output<'a>(escaped: bool) -> Box<dyn std::io::Write + 'a> {
    use std::io::{self, IsTerminal};
    let out = io::BufWriter::new(io::stdout().lock());
    if !escaped && io::stdout().is_terminal() {
        Box::new(crate::report::TerminalSafe::new(out))
    } else {
        Box::new(out)
    }
}

/// Files that directory walks pick up.
pub(crate) fn is_auditable(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("txt" | "md" | "markdown" | "xlf" | "xliff" | "po" | "pot" | "tmx" | "tsv" | "csv")
    )
}
