//! `mtaudit review`: the interactive review on a terminal, or `--script` without one.

use super::settings::{GateArgs, Profiles, SettingsArgs};
use super::{error, ColorChoice, InputFormat, EXIT_ERROR, EXIT_FAIL, EXIT_PASS};
use crate::input::Format;
use crate::review::files::AuditFn;
use crate::review::script::{self, Ended};
use crate::review::{sidecar_path, tui, Review};
use clap::Args;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ReviewArgs {
    /// The document to review: text, Markdown, or a bilingual file (XLIFF, PO, TMX, TSV, CSV).
    #[arg(value_name = "FILE")]
    pub path: PathBuf,
    /// Take the decisions from this file, one line per finding, instead of from the keyboard
    /// (`-` reads standard input): accept, reject, pick N, edit TEXT, skip, undo, next, prev,
    /// critical, glossary FILE, suppress, save, quit.
    #[arg(long, value_name = "FILE")]
    pub script: Option<PathBuf>,
    /// Where decisions are kept between reviews [default: .NAME.mtaudit-review.json beside
    /// the document].
    #[arg(long, value_name = "FILE")]
    pub review_file: Option<PathBuf>,
    /// How to read the document.
    #[arg(long, value_enum, default_value_t = InputFormat::AUTO)]
    pub input_format: InputFormat,
    /// Colour on the review screen (`auto`: unless `NO_COLOR` is set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Save even a read-only document, or one with other hard links (which keep the old text).
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub settings: SettingsArgs,
}

fn read_script(path: &Path) -> io::Result<String> {
    let text = if path.as_os_str() == "-" {
        let mut text = String::new();
        io::stdin().lock().read_to_string(&mut text)?;
        text
    } else {
        crate::input::file::read_to_string(path)?
    };
    Ok(crate::input::file::without_bom(&text).to_owned())
}

pub fn run(args: ReviewArgs) -> u8 {
    if args.path.as_os_str() == "-" {
        error("review needs a file to write back to, not standard input");
        return EXIT_ERROR;
    }
    let overrides = args.settings.overrides(&GateArgs::default(), None);
    let profile = match Profiles::new(&args.settings, overrides).for_path(&args.path) {
        Ok(profile) => profile,
        Err(e) => {
            error(e);
            return EXIT_ERROR;
        }
    };
    let weights = profile.auditor.config.weights;
    // The glossary prompt offers the first user glossary in force.
    let glossary = profile.settings.glossaries.first().map(|g| g.value.clone());
    let input_format = args.input_format.format();
    let audit: AuditFn = Box::new(move |path, bytes| {
        let name = path.display().to_string();
        let format = input_format.unwrap_or_else(|| Format::from_path(path));
        profile.auditor.audit_bytes(&name, bytes, format)
    });
    let sidecar = args
        .review_file
        .clone()
        .unwrap_or_else(|| sidecar_path(&args.path));
    let mut review = match Review::open(&args.path, audit, weights, sidecar) {
        Ok(review) => review,
        Err(e) => {
            error(e);
            return EXIT_ERROR;
        }
    };
    review.policy.force = args.force;
    match &args.script {
        Some(path) => run_script(&mut review, path),
        None => run_terminal(&mut review, args.color, glossary.as_deref()),
    }
}

fn run_script(review: &mut Review, path: &Path) -> u8 {
    let name = if path.as_os_str() == "-" {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    };
    let text = match read_script(path) {
        Ok(text) => text,
        Err(e) => {
            error(format!("{name}: {e}"));
            return EXIT_ERROR;
        }
    };
    let mut out = super::report_output(false);
    let ended = script::run(review, &text, &name, &mut *out);
    match ended.and_then(|ended| out.flush().map(|()| ended)) {
        Ok(Ended::Done) => EXIT_PASS,
        Ok(Ended::Conflict(message)) => {
            error(message);
            EXIT_FAIL
        }
        Ok(Ended::Error(message)) => {
            error(message);
            EXIT_ERROR
        }
        Err(e) => {
            error(format!("writing the review log: {e}"));
            EXIT_ERROR
        }
    }
}

fn run_terminal(review: &mut Review, color: ColorChoice, glossary: Option<&Path>) -> u8 {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        error("review needs a terminal; without one, give the decisions with --script FILE");
        return EXIT_ERROR;
    }
    let color = match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    match tui::run(review, color, glossary) {
        Ok(()) => EXIT_PASS,
        Err(e) => {
            error(format!("terminal: {e}"));
            EXIT_ERROR
        }
    }
}
