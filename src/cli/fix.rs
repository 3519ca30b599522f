//! `mtaudit fix`: apply confident suggestions in place, printing the diff.
//!
//! Each file is rewritten atomically, and only if it still holds exactly the bytes that were
//! audited: a file changed since it was read is left alone (an error, exit 2).

use super::check::{collect_inputs, progress, Input, Job};
use super::pipeline::{audit_streaming, Outcome};
use super::settings::{GateArgs, Profiles, SettingsArgs};
use super::{error, warning, InputFormat, EXIT_ERROR, EXIT_PASS};
use crate::config::DEFAULT_FIX_CONFIDENCE;
use crate::fix::select_edits;
use crate::report::{corrected, DiffSink, OutputFormat, Sink, Summary};
use crate::write::{write_atomic_with, WritePolicy};
use clap::Args;
use std::io;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct FixArgs {
    /// Files or directories to fix in place.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Apply suggestions at or above this confidence [default: 0.7, or the config's
    /// fix.confidence].
    #[arg(long, value_name = "0..1", value_parser = super::confidence)]
    pub confidence: Option<f32>,
    /// Print the diff without changing any file.
    #[arg(long)]
    pub dry_run: bool,
    /// How to read the inputs.
    #[arg(long, value_enum, default_value_t = InputFormat::AUTO)]
    pub input_format: InputFormat,
    /// Also fix read-only files, and files with other hard links (which keep the old text).
    #[arg(long)]
    pub force: bool,
    /// Also fix files that a symlink inside a folder leads to outside it.
    #[arg(long)]
    pub follow_links: bool,
    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// A file's audited text and its fixed text, gathered over its sections.
struct Fixed {
    path: PathBuf,
    original: String,
    text: String,
    /// Whether any section had a fix applied.
    changed: bool,
}

/// Whether `file`, found by walking one of `roots`, is really inside that folder: a symlink
/// in the tree may lead anywhere on the machine.
fn inside_its_folder(file: &Path, roots: &[PathBuf]) -> bool {
    let real = |p: &Path| std::fs::canonicalize(p).ok();
    let Some(file) = real(file) else {
        return false;
    };
    roots
        .iter()
        .filter(|root| root.is_dir())
        .filter_map(|root| real(root))
        .any(|root| file.starts_with(root))
}

/// The jobs to fix: files a folder's walk reached through a symlink out of the folder are
/// left alone (with a warning) unless `--follow-links`.
fn confined(jobs: Vec<Job>, args: &FixArgs) -> Vec<Job> {
    if args.follow_links {
        return jobs;
    }
    jobs.into_iter()
        .filter(|(input, _)| match input {
            Input::File {
                path,
                explicit: false,
            } if !inside_its_folder(path, &args.paths) => {
                warning(format!(
                    "{}: a symlink out of the folder; not fixed (--follow-links fixes it)",
                    path.display()
                ));
                false
            }
            _ => true,
        })
        .collect()
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
    let jobs = confined(jobs, &args);
    let policy = WritePolicy {
        force: args.force,
        ..WritePolicy::default()
    };
    let mut diff = DiffSink::new(super::report_output(false), DEFAULT_FIX_CONFIDENCE);
    let (mut edits, mut files) = (0, 0);
    // The file being fixed, gathered section by section: a large file is audited in
    // sections like `check` does, so memory stays bounded, and written once it is whole.
    let mut pending: Option<Fixed> = None;
    let write = |fixed: Option<Fixed>, diff: &mut DiffSink, errors: &mut usize| {
        let Some(fixed) = fixed.filter(|f| f.changed) else {
            return io::Result::Ok(());
        };
        // A diff that cannot be shown is not applied either.
        diff.flush()?;
        if !args.dry_run {
            let audited = Some(fixed.original.as_bytes());
            if let Err(e) = write_atomic_with(&fixed.path, fixed.text.as_bytes(), audited, policy) {
                error(e);
                *errors += 1;
            }
        }
        Ok(())
    };
    let bar = progress(&jobs, OutputFormat::Diff);
    let printed = audit_streaming(
        &jobs,
        args.input_format,
        &bar,
        |(input, profile), outcome| {
            let Input::File { path, .. } = input else {
                return io::Result::Ok(());
            };
            let report = match outcome {
                Outcome::Audited(report) => report,
                Outcome::Skipped(_) => return Ok(()),
                Outcome::Error(_) => {
                    errors += 1;
                    // A file whose later section cannot be read is not written at all.
                    match pending.take() {
                        Some(fixed) if fixed.path == *path => {}
                        done => write(done, &mut diff, &mut errors)?,
                    }
                    return Ok(());
                }
            };
            if !report.continues_file() {
                write(pending.take(), &mut diff, &mut errors)?;
            }
            let confidence = profile.settings.fix_confidence.value;
            diff.set_confidence(confidence);
            diff.file(&report)?;
            let fixed = corrected(&report, confidence);
            let changed = fixed != report.text;
            let file = pending.get_or_insert_with(|| Fixed {
                path: path.clone(),
                original: String::new(),
                text: String::new(),
                changed: false,
            });
            if changed {
                files += usize::from(!file.changed);
                file.changed = true;
                edits += select_edits(report.findings(), confidence).len();
            }
            // A dry run keeps nothing: it writes no file.
            if !args.dry_run {
                file.original.push_str(&report.text);
                file.text.push_str(&fixed);
            }
            Ok(())
        },
    )
    .and_then(|()| write(pending.take(), &mut diff, &mut errors))
    .and_then(|()| diff.finish(&Summary::new()));
    bar.finish_and_clear();
    if let Err(e) = printed {
        if e.kind() != io::ErrorKind::BrokenPipe {
            error(format!("writing the diff: {e}"));
        }
        return EXIT_ERROR;
    }
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
