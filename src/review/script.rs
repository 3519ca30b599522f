//! The review without a terminal: decisions read as lines (`--script FILE`, `-` for stdin),
//! one per finding in review order. When the lines run out the review saves and ends; `quit`
//! ends it without saving what was not saved yet.

use super::command::{parse_line, Command};
use super::files::Review;
use super::session::{Action, Session};
use crate::audit::LineIndex;
use crate::text::plural_s;
use crate::write::WriteError;
use std::io::{self, Write};

/// How a script run ended, for the exit code.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// Saved (or nothing to save), or quit on purpose.
    Done,
    /// The document changed on disk since it was read: nothing was written.
    Conflict(String),
    /// A line that cannot be carried out, or a file that cannot be written.
    Error(String),
}

/// Parses every line first, so a typo on line 40 stops the run before line 1 changes anything.
fn parse_script(script: &str, name: &str) -> Result<Vec<(usize, Command)>, String> {
    let mut commands = Vec::new();
    for (index, line) in script.split('\n').enumerate() {
        match parse_line(line) {
            Ok(Some(command)) => commands.push((index + 1, command)),
            Ok(None) => {}
            Err(e) => return Err(format!("{name}:{}: {e}", index + 1)),
        }
    }
    Ok(commands)
}

fn heading(session: &Session, lines: &LineIndex, i: usize) -> String {
    let item = &session.items()[i];
    let f = &item.finding;
    let (line, column) = lines.position(&session.text, f.span.start.min(session.text.len()));
    let flagged = session.text.get(f.span.clone()).unwrap_or_default();
    format!(
        "[{}/{}] {}:{line}:{column} {} {} {}: “{}”",
        i + 1,
        session.items().len(),
        session.path.display(),
        f.severity,
        f.category,
        f.rule,
        flagged.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

fn save(review: &mut Review, out: &mut dyn Write) -> io::Result<Result<(), Ended>> {
    match review.save() {
        Ok(saved) => {
            writeln!(out, "{}", review.describe(&saved))?;
            Ok(Ok(()))
        }
        Err(e @ WriteError::Changed { .. }) => Ok(Err(Ended::Conflict(format!(
            "{e}; run the review again to start from the new text"
        )))),
        Err(e) => Ok(Err(Ended::Error(e.to_string()))),
    }
}

/// Runs `script` (named `name` in messages) against `review`, reporting to `out`.
pub fn run(
    review: &mut Review,
    script: &str,
    name: &str,
    out: &mut dyn Write,
) -> io::Result<Ended> {
    let commands = match parse_script(script, name) {
        Ok(c) => c,
        Err(e) => return Ok(Ended::Error(e)),
    };
    let lines = LineIndex::new(&review.session.text);
    {
        let s = &review.session;
        let counts = s.counts();
        writeln!(
            out,
            "reviewing {}: {} finding{}, score {:.1}",
            s.path.display(),
            s.items().len(),
            plural_s(s.items().len()),
            s.score
        )?;
        let earlier = counts.rejected + counts.suppressed;
        if earlier > 0 || s.current().is_some_and(|i| i > 0) {
            writeln!(
                out,
                "resuming at finding {} ({earlier} settled in an earlier review)",
                s.current().map_or(s.items().len(), |i| i + 1)
            )?;
        }
    }
    let mut ignored = 0;
    for (line, command) in commands {
        match command {
            Command::Save => {
                if let Err(end) = save(review, out)? {
                    return Ok(end);
                }
            }
            Command::Quit => {
                if review.session.is_dirty() {
                    writeln!(out, "quit: unsaved decisions discarded")?;
                }
                return Ok(Ended::Done);
            }
            Command::Act(action) => {
                let session = &mut review.session;
                let head = session.current().map(|i| heading(session, &lines, i));
                let navigation = matches!(
                    action,
                    Action::Undo | Action::Next | Action::Prev | Action::Critical
                );
                let word = word(&action);
                if head.is_none() && !navigation {
                    if ignored == 0 {
                        writeln!(out, "{name}:{line}: no finding left; `{word}` ignored, and so is each decision after it while none is left")?;
                    }
                    ignored += 1;
                    continue;
                }
                match session.execute(&action) {
                    Ok(note) if navigation => {
                        let at = match session.current() {
                            Some(i) => heading(session, &lines, i),
                            None => "the end of the findings".to_owned(),
                        };
                        let note = if note.is_empty() {
                            note
                        } else {
                            format!("{note}; ")
                        };
                        writeln!(out, "{word} → {note}now at {at}")?;
                    }
                    Ok(note) => {
                        writeln!(out, "{}\n  {word} → {note}", head.unwrap_or_default())?;
                    }
                    Err(e) => {
                        let at = head.map(|h| format!(" at {h}")).unwrap_or_default();
                        return Ok(Ended::Error(format!(
                            "{name}:{line}: `{word}` refused{at}: {e}; review stopped, unsaved decisions discarded"
                        )));
                    }
                }
            }
        }
    }
    let end = save(review, out)?;
    summary(&review.session, out)?;
    Ok(end.err().unwrap_or(Ended::Done))
}

fn word(action: &Action) -> &'static str {
    match action {
        Action::Accept => "accept",
        Action::Reject => "reject",
        Action::Pick(_) => "pick",
        Action::Edit(_) => "edit",
        Action::Skip => "skip",
        Action::Undo => "undo",
        Action::Next => "next",
        Action::Prev => "prev",
        Action::Critical => "critical",
        Action::Glossary(_) => "glossary",
        Action::Suppress => "suppress",
    }
}

fn summary(session: &Session, out: &mut dyn Write) -> io::Result<()> {
    let c = session.counts();
    writeln!(
        out,
        "{} finding{}: {} accepted, {} rejected, {} moot, {} suppressed, {} undecided; score {:.1} → {:.1}",
        session.items().len(),
        plural_s(session.items().len()),
        c.accepted,
        c.rejected,
        c.moot,
        c.suppressed,
        c.pending,
        session.score,
        session.projected_score()
    )?;
    Ok(())
}
