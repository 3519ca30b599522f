//! Command-line interface: arguments → audit → printers → exit code.

mod check;
mod config;
mod eval;
mod fix;
mod lm;
mod model;
mod pipeline;
mod report;
mod review;
mod settings;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::Path;
use std::process::ExitCode;

pub use check::CheckArgs;
pub use config::ConfigArgs;
pub use eval::EvalArgs;
pub use fix::FixArgs;
pub use lm::LmArgs;
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
    /// The deep tier's language model: fetch it, or say what is installed.
    #[command(hide = !cfg!(feature = "deep"))]
    Lm(LmArgs),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `--input-format`: one of the readers (`input::Format`), or `auto` to pick one by the file
/// extension (stdin is text).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct InputFormat(Option<crate::input::Format>);

impl InputFormat {
    pub const AUTO: InputFormat = InputFormat(None);

    /// The reader this choice names; `None` for `auto`.
    pub fn format(self) -> Option<crate::input::Format> {
        self.0
    }
}

impl ValueEnum for InputFormat {
    fn value_variants<'a>() -> &'a [Self] {
        static ALL: std::sync::OnceLock<Vec<InputFormat>> = std::sync::OnceLock::new();
        ALL.get_or_init(|| {
            std::iter::once(InputFormat::AUTO)
                .chain(
                    crate::input::Format::value_variants()
                        .iter()
                        .map(|f| InputFormat(Some(*f))),
                )
                .collect()
        })
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        match self.0 {
            None => Some(
                clap::builder::PossibleValue::new("auto")
                    .help("By file extension (see the README's list); stdin is text"),
            ),
            Some(format) => format.to_possible_value(),
        }
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
        Command::Lm(args) => lm::run(args),
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

/// Files that directory walks pick up: those with an extension a reader is named for.
pub(crate) fn is_auditable(path: &Path) -> bool {
    crate::input::Format::from_extension(path).is_some()
}
