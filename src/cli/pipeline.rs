//! Auditing any number of inputs of any size in bounded memory: inputs are audited in
//! parallel in batches of limited size and handed over one by one, in input order, and a
//! large plain-text input is read and audited section by section.

use super::check::{Input, Job};
use super::{error, warning, InputFormat};
use crate::audit::{Auditor, FileReport, SectionOrigin};
use crate::input::sections::{Section, Sections, WHOLE_UP_TO};
use crate::input::{check_text, Format, InputError};
use indicatif::ProgressBar;
use rayon::prelude::*;
use std::io::{self, Read};

/// What happened to one input, or to one section of a large one.
pub(super) enum Outcome {
    Audited(FileReport),
    /// Not audited (a binary file met in a directory walk): why.
    Skipped(String),
    /// Not audited, and the run fails: why.
    Error(String),
}

/// At most this many inputs, and this many bytes of them per worker thread (or one larger
/// input), are audited at once. Auditing a text holds several times its size while it runs
/// (tokens, sentences, runs, reports): 1 MB per thread, four sections of a large input, keeps
/// a 1 GB file under 150 MB on two threads and the threads busy to the batch's end.
const BATCH_INPUTS: usize = 1024;
const BATCH_BYTES_PER_THREAD: usize = 1 << 20;

/// A piece of work: a whole input, read by the worker that audits it, or a section of a
/// large plain-text input, read in order beforehand.
enum WorkItem<'a> {
    Whole(&'a Job),
    Section(&'a Job, Section),
    /// A section that cannot be audited (unreadable, binary, not UTF-8): reported once, and
    /// the rest of its input is not read.
    Unreadable(&'a Job, Unreadable),
}

/// Why an input cannot be audited, and whether that is because it is binary.
struct Unreadable {
    message: String,
    binary: bool,
}

impl<'a> WorkItem<'a> {
    fn job(&self) -> &'a Job {
        match self {
            WorkItem::Whole(job) | WorkItem::Section(job, _) | WorkItem::Unreadable(job, _) => job,
        }
    }
}

/// Audits `jobs` and hands each outcome to `each` in input order (a sectioned input gives
/// one outcome per section). Stops at the first error `each` returns.
pub(super) fn audit_streaming<E>(
    jobs: &[Job],
    input_format: InputFormat,
    bar: &ProgressBar,
    mut each: impl FnMut(&Job, Outcome) -> Result<(), E>,
) -> Result<(), E> {
    // Each unit with its size in bytes, which the progress bar counts (the deep tier counts
    // those it audits as it reads them).
    let mut batch: Vec<(WorkItem, usize)> = Vec::new();
    let mut bytes = 0;
    let batch_bytes = BATCH_BYTES_PER_THREAD * rayon::current_num_threads();
    let mut flush = |batch: &mut Vec<(WorkItem, usize)>, bytes: &mut usize| -> Result<(), E> {
        let outcomes: Vec<(&Job, Outcome)> = std::mem::take(batch)
            .into_par_iter()
            .map(|(unit, size)| {
                let job = unit.job();
                let outcome = audit_item(unit, input_format);
                if !(job.1.auditor.is_deep() && matches!(outcome, Outcome::Audited(_))) {
                    bar.inc(size as u64);
                }
                (job, outcome)
            })
            .collect();
        *bytes = 0;
        for (job, outcome) in outcomes {
            each(job, outcome)?;
        }
        Ok(())
    };
    for job in jobs {
        let size = match &job.0 {
            Input::Stdin => None,
            Input::File { path, .. } => std::fs::metadata(path).ok().map(|m| m.len() as usize),
        };
        let sectioned = format_of(&job.0, input_format) == Format::Text
            && size.is_none_or(|size| size > WHOLE_UP_TO);
        let units: Box<dyn Iterator<Item = (WorkItem, usize)>> = if sectioned {
            Box::new(sections(job).map(|unit| {
                let size = match &unit {
                    WorkItem::Section(_, section) => section.bytes.len(),
                    _ => 0,
                };
                (unit, size)
            }))
        } else {
            Box::new(std::iter::once((WorkItem::Whole(job), size.unwrap_or(0))))
        };
        for (unit, size) in units {
            if !batch.is_empty() && (batch.len() >= BATCH_INPUTS || bytes + size > batch_bytes) {
                flush(&mut batch, &mut bytes)?;
            }
            bytes += size;
            batch.push((unit, size));
        }
    }
    flush(&mut batch, &mut bytes)
}

/// The reader an input's format is chosen by: the flag, else the extension; stdin is text.
pub(super) fn format_of(input: &Input, input_format: InputFormat) -> Format {
    match (input_format.format(), input) {
        (Some(format), _) => format,
        (None, Input::Stdin) => Format::Text,
        (None, Input::File { path, .. }) => Format::from_path(path),
    }
}

fn open(input: &Input) -> io::Result<Box<dyn Read>> {
    Ok(match input {
        Input::Stdin => Box::new(io::stdin().lock()),
        Input::File { path, .. } => Box::new(crate::input::file::open(path)?),
    })
}

/// A large input's sections, read lazily; the first that cannot be audited ends them.
fn sections(job: &Job) -> impl Iterator<Item = WorkItem<'_>> {
    let name = job.0.name();
    let io_error = move |e: io::Error| Unreadable {
        message: format!("{name}: {e}"),
        binary: false,
    };
    let (mut sections, mut failed) = match open(&job.0) {
        Ok(reader) => (Some(Sections::new(reader)), None),
        Err(e) => (None, Some(io_error(e))),
    };
    std::iter::from_fn(move || {
        if let Some(why) = failed.take() {
            return Some(WorkItem::Unreadable(job, why));
        }
        let why = match sections.as_mut()?.next()? {
            Ok(section) => match check_text(&section.bytes) {
                Ok(()) => return Some(WorkItem::Section(job, section)),
                Err(err) => explain(&job.0.name(), &section, &err),
            },
            Err(e) => io_error(e),
        };
        sections = None;
        Some(WorkItem::Unreadable(job, why))
    })
}

fn read_input(input: &Input) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    open(input)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The message for an input that cannot be read as text, its position counted in the file
/// (`section.origin` says where the bytes begin).
fn input_error_message(name: &str, section: &Section, err: &InputError) -> String {
    let position = |offset: usize| {
        let before = String::from_utf8_lossy(&section.bytes[..offset]);
        let newlines = before.matches('\n').count();
        let mut column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        if newlines == 0 {
            column += section.origin.column;
        }
        (
            section.origin.offset + offset,
            section.origin.line + newlines + 1,
            column,
        )
    };
    match err {
        InputError::InvalidUtf8 { offset } => {
            let (byte, line, column) = position(*offset);
            let what = describe_byte(section.bytes[*offset]);
            format!("{name}: invalid UTF-8 at byte {byte} (line {line}, column {column}): {what}; mtaudit reads UTF-8 text")
        }
        InputError::Binary { offset } => {
            let (byte, line, column) = position(*offset);
            format!("{name}: binary file (NUL byte at byte {byte}, line {line}, column {column}), not audited")
        }
        InputError::Encoding { .. } => format!("{name}: {err}"),
        InputError::Malformed { .. } => format!("{name}:{err}"),
    }
}

/// A byte that is not UTF-8, and the character it is in Latin-1 when it is a letter or sign
/// there: the usual cause is a stretch of Latin-1 (or Windows-1252) text pasted into UTF-8.
fn describe_byte(byte: u8) -> String {
    match byte {
        0xA1..=0xFF => format!("0x{byte:02X}, which is “{}” in Latin-1", char::from(byte)),
        _ => format!("0x{byte:02X}"),
    }
}

/// A binary file met in a directory walk is skipped with a warning; named, it is an error.
fn unreadable(input: &Input, unreadable: Unreadable) -> Outcome {
    let walked = matches!(
        input,
        Input::File {
            explicit: false,
            ..
        }
    );
    if unreadable.binary && walked {
        warning(&unreadable.message);
        Outcome::Skipped(unreadable.message)
    } else {
        error(&unreadable.message);
        Outcome::Error(unreadable.message)
    }
}

/// Why `err` makes an input unreadable, its position counted in the file.
fn explain(name: &str, section: &Section, err: &InputError) -> Unreadable {
    Unreadable {
        message: input_error_message(name, section, err),
        binary: matches!(err, InputError::Binary { .. }),
    }
}

fn audit_item(unit: WorkItem, input_format: InputFormat) -> Outcome {
    match unit {
        WorkItem::Whole((input, profile)) => audit_whole(&profile.auditor, input, input_format),
        WorkItem::Section((input, profile), section) => {
            let origin = section.origin;
            match profile
                .auditor
                .audit_bytes(&input.name(), section.bytes, Format::Text)
            {
                Ok(mut report) => {
                    report.origin = origin;
                    Outcome::Audited(report)
                }
                // The section's text was checked before it was queued.
                Err(err) => unreadable(
                    input,
                    Unreadable {
                        message: format!("{}: {err}", input.name()),
                        binary: false,
                    },
                ),
            }
        }
        WorkItem::Unreadable((input, _), why) => unreadable(input, why),
    }
}

pub(super) fn audit_whole(auditor: &Auditor, input: &Input, input_format: InputFormat) -> Outcome {
    let name = input.name();
    let bytes = match read_input(input) {
        Ok(bytes) => bytes,
        Err(e) => {
            let message = format!("{name}: {e}");
            error(&message);
            return Outcome::Error(message);
        }
    };
    if bytes.is_empty() {
        warning(format!("{name}: empty file"));
    }
    let format = format_of(input, input_format);
    let probe = Section {
        bytes: bytes.clone(),
        origin: SectionOrigin::default(),
    };
    match auditor.audit_bytes(&name, bytes, format) {
        Ok(report) => Outcome::Audited(report),
        Err(err) => unreadable(input, explain(&name, &probe, &err)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::check::collect_inputs;
    use crate::cli::settings::{GateArgs, Profiles, SettingsArgs};

    #[test]
    fn a_file_removed_after_the_walk_is_an_error_and_the_others_are_audited() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.txt", "b.txt", "c.txt"] {
            std::fs::write(dir.path().join(name), "The council met on Tuesday.").unwrap();
        }
        let args = SettingsArgs::default();
        let mut profiles = Profiles::new(&args, args.overrides(&GateArgs::default(), None));
        let (jobs, errors) = collect_inputs(&[dir.path().to_path_buf()], &mut profiles).unwrap();
        assert_eq!((jobs.len(), errors), (3, 0));
        std::fs::remove_file(dir.path().join("b.txt")).unwrap();
        let mut outcomes = Vec::new();
        let bar = ProgressBar::hidden();
        audit_streaming(&jobs, InputFormat::AUTO, &bar, |job, outcome| {
            let name = job
                .0
                .name()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned();
            let what = match outcome {
                Outcome::Audited(_) => "audited",
                Outcome::Skipped(_) => "skipped",
                Outcome::Error(_) => "error",
            };
            outcomes.push(format!("{name} {what}"));
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(outcomes, ["a.txt audited", "b.txt error", "c.txt audited"]);
    }
}
