//! `mtaudit fix`: apply confident suggestions in place, printing the diff.
//!
//! Each file is rewritten atomically, and only if it still holds exactly the bytes that were
//! audited: a file changed since it was read is left alone (an error, exit 2).

use super::check::{collect_inputs, progress, Input};
use super::pipeline::{audit_streaming, Outcome, Sectioning};
use super::settings::{GateArgs, Profiles, SettingsArgs};
use super::{error, InputFormat, EXIT_ERROR, EXIT_PASS};
use crate::fix::select_edits;
use crate::report::{corrected, DiffSink, OutputFormat, Sink};
use crate::write::write_atomic;
use clap::Args;
use std::io::{self, Write};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct FixArgs {
    /// Files or directories to fix in place.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Apply suggestions at or above this confidence [default: 0.7, or the config's
    /// fix.confidence].
    #[arg(long, value_name = "0..1")]
    pub confidence: Option<f32>,
    /// Print the diff without changing any file.
    #[arg(long)]
    pub dry_run: bool,
    /// How to read the inputs.
    #[arg(long, value_enum, default_value_t = InputFormat::AUTO)]
    pub input_format: InputFormat,
    #[command(flatten)]
    pub settings: SettingsArgs,
}

pub fn run(args: FixArgs) -> u8 {
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        error("fix edits files in place and cannot read standard input; use `mtaudit check --format diff -`");
        return EXIT_ERROR;
    }
    let overrides = args
        .settings
        .overrides(&GateArgs::default(), args.confidence);
    let mut profiles = Profiles::new(&args.settings, overrides);
    let (jobs, mut errors) = match collect_inputs(&args.paths, &mut profiles) {
        Ok(collected) => collected,
        Err(e) => {
            error(e);
            return EXIT_ERROR;
        }
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let (mut edits, mut files) = (0, 0);
    let bar = progress(&jobs, OutputFormat::Diff);
    let printed = audit_streaming(
        &jobs,
        args.input_format,
        Sectioning::Never,
        &bar,
        |(input, profile), outcome| {
            let report = match outcome {
                Outcome::Audited(report) => report,
                Outcome::Skipped(_) => return io::Result::Ok(()),
                Outcome::Error(_) => {
                    errors += 1;
                    return Ok(());
                }
            };
            let confidence = profile.settings.fix_confidence.value;
            let fixed = corrected(&report, confidence);
            if fixed == report.text {
                return Ok(());
            }
            DiffSink::new(Box::new(&mut out), confidence).file(&report)?;
            if !args.dry_run {
                let Input::File { path, .. } = input else {
                    return Ok(());
                };
                if let Err(e) = write_atomic(path, fixed.as_bytes(), Some(report.text.as_bytes())) {
                    error(e);
                    errors += 1;
                    return Ok(());
                }
            }
            edits += select_edits(report.findings(), confidence).len();
            files += 1;
            Ok(())
        },
    );
    bar.finish_and_clear();
    if let Err(e) = printed {
        if e.kind() != io::ErrorKind::BrokenPipe {
            error(format!("writing the diff: {e}"));
        }
        return EXIT_ERROR;
    }
    let _ = out.flush();
    let verb = if args.dry_run {
        "would apply"
    } else {
        "applied"
    };
    eprintln!(
        "mtaudit: {verb} {edits} fix{} in {files} file{}",
        if edits == 1 { "" } else { "es" },
        if files == 1 { "" } else { "s" }
    );
    if errors > 0 {
        EXIT_ERROR
    } else {
        EXIT_PASS
    }
}
