//! The full-screen review: keys → session actions, save and quit prompts, the screen.

mod line_edit;
mod terminal;
mod view;

use super::files::Review;
use super::session::Action;
use crate::platform::TerminalReadiness;
use crate::write::WriteError;
use line_edit::{LineEdit, Outcome};
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::io;
use std::path::Path;
use std::time::Duration;
use terminal::TerminalGuard;

pub use view::KEYS;

pub(super) enum PromptKind {
    Edit,
    Glossary,
}

pub(super) enum Mode {
    Normal,
    Prompt {
        kind: PromptKind,
        edit: LineEdit,
    },
    Help,
    ConfirmQuit,
    /// A save was refused because the document changed on disk.
    Conflict,
}

pub(super) struct Ui {
    mode: Mode,
    /// What the last key did, or why it was refused.
    note: String,
    color: bool,
    /// The glossary file named last, offered again.
    glossary: String,
}

#[derive(PartialEq, Eq)]
enum Flow {
    Continue,
    Quit,
}

/// Runs the review on the terminal until the reviewer quits. The terminal is restored on
/// every way out, including a panic. `glossary` is the file the glossary prompt offers first.
pub fn run(review: &mut Review, color: bool, glossary: Option<&Path>) -> io::Result<()> {
    let mut guard = TerminalGuard::enter()?;
    let earlier = review
        .session
        .items()
        .iter()
        .filter(|it| it.rejected_earlier)
        .count();
    let mut ui = Ui {
        mode: Mode::Normal,
        note: if earlier > 0 {
            format!(
                "resumed: {earlier} finding(s) rejected in an earlier review are not asked again"
            )
        } else {
            "? shows every key".to_owned()
        },
        color,
        glossary: glossary
            .map(|g| g.display().to_string())
            .unwrap_or_default(),
    };
    loop {
        guard
            .terminal
            .draw(|frame| view::draw(frame, &review.session, &ui))?;
        if let Some(signal) = guard.signal() {
            return Err(io::Error::other(format!(
                "stopped by signal {signal}; decisions not saved were discarded"
            )));
        }
        // crossterm reads all the bytes the terminal holds and hands out one event at a
        // time, so the terminal is waited on only once crossterm has none left: keys that
        // came together (a paste) would otherwise wait for the next key.
        if !event_pending()? {
            // ratatui's draw follows a resize by itself, so only keys need waiting for.
            match guard.wait_for_input(Duration::from_millis(200))? {
                TerminalReadiness::Ready => {}
                TerminalReadiness::Idle => continue,
                TerminalReadiness::Closed => {
                    return Err(io::Error::other(
                        "the terminal was closed; decisions not saved were discarded",
                    ))
                }
            }
            if !event_pending()? {
                continue;
            }
        }
        let Event::Key(key) = event::read()? else {
            continue; // a resize: draw again
        };
        if key.kind != KeyEventKind::Press {
            continue;
        }
        if handle(review, &mut ui, key) == Flow::Quit {
            return Ok(());
        }
    }
}

/// Whether crossterm has an event ready, without waiting (an interrupted poll has none).
fn event_pending() -> io::Result<bool> {
    match event::poll(Duration::ZERO) {
        Ok(ready) => Ok(ready),
        Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(false),
        Err(e) => Err(e),
    }
}

fn act(review: &mut Review, ui: &mut Ui, action: Action) {
    ui.note = match review.session.execute(&action) {
        Ok(note) => note,
        Err(refusal) => format!("not done: {refusal}"),
    };
}

/// Saves; on a conflict switches to the reload offer. True when saved.
fn save(review: &mut Review, ui: &mut Ui) -> bool {
    match review.save() {
        Ok(saved) => {
            ui.note = review.describe(&saved);
            ui.mode = Mode::Normal;
            true
        }
        Err(WriteError::Changed { .. }) => {
            ui.note.clear();
            ui.mode = Mode::Conflict;
            false
        }
        Err(e) => {
            ui.note = format!("not saved: {e}");
            ui.mode = Mode::Normal;
            false
        }
    }
}

fn handle(review: &mut Review, ui: &mut Ui, key: KeyEvent) -> Flow {
    let ctrl_c = key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
    match std::mem::replace(&mut ui.mode, Mode::Normal) {
        Mode::Help => {}
        Mode::Prompt { kind, mut edit } => match edit.handle(key) {
            Outcome::Editing => ui.mode = Mode::Prompt { kind, edit },
            Outcome::Cancel => ui.note = "cancelled".to_owned(),
            Outcome::Submit(text) => match kind {
                PromptKind::Edit => act(review, ui, Action::Edit(text)),
                PromptKind::Glossary if text.trim().is_empty() => {
                    ui.note = "cancelled: no glossary file named".to_owned()
                }
                PromptKind::Glossary => {
                    ui.glossary = text.trim().to_owned();
                    act(review, ui, Action::Glossary(ui.glossary.clone().into()))
                }
            },
        },
        Mode::ConfirmQuit => match key.code {
            KeyCode::Char('s') if save(review, ui) => return Flow::Quit,
            KeyCode::Char('s') => {}
            KeyCode::Char('d') => return Flow::Quit,
            _ => ui.note = "back to the review".to_owned(),
        },
        Mode::Conflict => match key.code {
            KeyCode::Char('r') => {
                ui.note = match review.reload() {
                    Ok(kept) => format!(
                        "reloaded: {} findings in the new text, {kept} decision(s) kept; s saves",
                        review.session.items().len()
                    ),
                    Err(e) => format!("reload failed: {e}"),
                }
            }
            _ => ui.note = "not saved; your decisions are kept".to_owned(),
        },
        Mode::Normal => return normal_key(review, ui, key, ctrl_c),
    }
    Flow::Continue
}

fn normal_key(review: &mut Review, ui: &mut Ui, key: KeyEvent, ctrl_c: bool) -> Flow {
    let session = &mut review.session;
    match key.code {
        _ if ctrl_c || key.code == KeyCode::Char('q') => {
            if !session.is_dirty() {
                return Flow::Quit;
            }
            ui.mode = Mode::ConfirmQuit;
        }
        KeyCode::Char('a') => act(review, ui, Action::Accept),
        KeyCode::Char('r') => act(review, ui, Action::Reject),
        KeyCode::Char('p') => {
            session.cycle_suggestion();
            ui.note = format!("suggestion {} on show; a accepts it", session.shown() + 1);
        }
        KeyCode::Char(d @ '1'..='9') => {
            act(review, ui, Action::Pick(d as usize - '0' as usize));
        }
        KeyCode::Char('e') => match session.current() {
            Some(i) => {
                let initial = session.proposed(i).unwrap_or_else(|| {
                    let span = session.items()[i].finding.span.clone();
                    session.text.get(span).unwrap_or_default().to_owned()
                });
                ui.mode = Mode::Prompt {
                    kind: PromptKind::Edit,
                    edit: LineEdit::new(&initial),
                };
            }
            None => ui.note = "not done: no finding left to edit".to_owned(),
        },
        KeyCode::Char(' ') => act(review, ui, Action::Skip),
        KeyCode::Char('u') => act(review, ui, Action::Undo),
        KeyCode::Right | KeyCode::Char('n') => act(review, ui, Action::Next),
        KeyCode::Left | KeyCode::Char('b') => act(review, ui, Action::Prev),
        KeyCode::Char('c') => act(review, ui, Action::Critical),
        KeyCode::Char('g') => {
            if session.current().is_some() {
                ui.mode = Mode::Prompt {
                    kind: PromptKind::Glossary,
                    edit: LineEdit::new(&ui.glossary),
                };
            } else {
                ui.note = "not done: no finding left".to_owned();
            }
        }
        KeyCode::Char('x') => act(review, ui, Action::Suppress),
        KeyCode::Char('?') | KeyCode::F(1) => ui.mode = Mode::Help,
        KeyCode::Char('s') => {
            save(review, ui);
        }
        // Debug builds only: lets the end-to-end tests check that a panic restores the terminal.
        #[cfg(debug_assertions)]
        KeyCode::Char('!') if std::env::var_os("MTAUDIT_TEST_PANIC").is_some() => {
            panic!("MTAUDIT_TEST_PANIC: a panic on purpose")
        }
        _ => ui.note = "? shows every key".to_owned(),
    }
    Flow::Continue
}
