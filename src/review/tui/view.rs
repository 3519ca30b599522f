//! What the review screen shows. Everything is readable without colour: the correction is
//! marked `[-old-]{+new+}` as in the text report, a finding without one `>>like this<<`, and
//! the current choice is in brackets or reverse video. Colour, when allowed, only adds to it.

use super::{Mode, PromptKind, Ui};
use crate::audit::LineIndex;
use crate::finding::Severity;
use crate::fix::{apply, Edit};
use crate::report::word_changes;
use crate::review::session::{Decision, Session, Status};
use crate::text::plural_s;
use crate::text::window;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;
use similar::ChangeTag;

/// How much of a very long sentence is shown on each side of the finding, in bytes.
const WINDOW: usize = 240;
/// How much of the neighbouring sentences is shown, in characters.
const NEIGHBOUR: usize = 160;

pub const KEYS: [&str; 2] = [
    "a accept  r reject  p pick  1-9 pick N  e edit  space skip  u undo  ←→ move",
    "c next critical  g glossary  x suppress rule  s save  ? help  q quit",
];

const HELP: &[(&str, &str)] = &[
    ("a", "accept the suggestion on show"),
    ("r", "reject: never asked again while the text is unchanged"),
    ("p", "show the next suggestion (then a accepts it)"),
    ("1-9", "accept suggestion N"),
    ("e", "edit the replacement, then Enter accepts it"),
    ("space", "skip: leave undecided for now"),
    ("u", "undo the last decision (any number of times)"),
    ("→ n / ← b", "next / previous finding, decided or not"),
    ("c", "jump to the next undecided critical finding"),
    ("g", "accept and add the pair to a glossary file (on save)"),
    ("x", "suppress this rule for the whole document"),
    (
        "s",
        "save: apply accepted replacements, write the review file",
    ),
    ("q  Ctrl-C", "quit (asks first when there is unsaved work)"),
    ("?", "this help; any key closes it"),
];

struct Look {
    color: bool,
}

impl Look {
    fn deleted(&self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Red)
                .add_modifier(Modifier::CROSSED_OUT)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
    fn inserted(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Green).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }
    fn flagged(&self) -> Style {
        let s = Style::new().add_modifier(Modifier::REVERSED);
        if self.color {
            s.fg(Color::Yellow)
        } else {
            s
        }
    }
    fn severity(&self, severity: Severity) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        match (self.color, severity) {
            (false, _) => s,
            (true, Severity::Critical) => s.fg(Color::Red),
            (true, Severity::Major) => s.fg(Color::Yellow),
            (true, Severity::Minor) => s.fg(Color::Cyan),
        }
    }
}

pub fn draw(frame: &mut Frame, session: &Session, ui: &Ui) {
    let look = Look { color: ui.color };
    let area = frame.area();
    let [header, rule, context, details, note, footer] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(7),
        Constraint::Length(2),
        Constraint::Length(2),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(header_lines(session)).wrap(Wrap { trim: false }),
        header,
    );
    frame.render_widget(Paragraph::new("─".repeat(area.width as usize)), rule);
    match session.current() {
        Some(i) => {
            frame.render_widget(context_paragraph(session, i, &look, context), context);
            frame.render_widget(
                Paragraph::new(detail_lines(session, i, &look)).wrap(Wrap { trim: false }),
                details,
            );
        }
        None => frame.render_widget(
            Paragraph::new(done_lines(session)).wrap(Wrap { trim: false }),
            context,
        ),
    }
    frame.render_widget(
        Paragraph::new(ui.note.as_str())
            .style(Style::new().add_modifier(Modifier::BOLD))
            .wrap(Wrap { trim: false }),
        note,
    );
    draw_footer(frame, session, ui, footer);
    if matches!(ui.mode, Mode::Help) {
        draw_help(frame, area);
    }
    strip_control_characters(frame.buffer_mut());
}

/// Removes control characters (ESC, BEL…) that the document's text put into the screen's
/// cells: ratatui writes a zero-width one into its neighbour's cell, and the terminal would
/// obey it.
fn strip_control_characters(buffer: &mut ratatui::buffer::Buffer) {
    for cell in &mut buffer.content {
        if cell.symbol().contains(char::is_control) {
            let kept: String = cell.symbol().chars().filter(|c| !c.is_control()).collect();
            cell.set_symbol(if kept.is_empty() { " " } else { &kept });
        }
    }
}

fn header_lines(session: &Session) -> Vec<Line<'static>> {
    let c = session.counts();
    let total = session.items().len();
    let position = match session.current() {
        Some(i) => format!("finding {} of {total}", i + 1),
        None => format!("all {total} finding{} gone through", plural_s(total)),
    };
    let title = format!(
        " mtaudit review · {} · score {:.1} → {:.1} ",
        session.path.display(),
        session.score,
        session.projected_score()
    );
    let mut progress = format!(
        " {position} · {} accepted · {} rejected · {} to decide",
        c.accepted, c.rejected, c.pending
    );
    if c.moot > 0 {
        progress.push_str(&format!(" · {} moot", c.moot));
    }
    if c.suppressed > 0 {
        progress.push_str(&format!(" · {} suppressed", c.suppressed));
    }
    if session.is_dirty() {
        progress.push_str(" · UNSAVED");
    }
    vec![
        Line::styled(title, Style::new().add_modifier(Modifier::REVERSED)),
        Line::raw(progress),
    ]
}

/// The sentence holding item `i`'s finding, as a byte range.
fn home(session: &Session, i: usize) -> std::ops::Range<usize> {
    let span = &session.items()[i].finding.span;
    let sentence = session
        .sentences
        .iter()
        .find(|s| s.start <= span.start && span.start < s.end)
        .cloned()
        .unwrap_or(span.clone());
    sentence.start.min(span.start)..sentence.end.max(span.end).min(session.text.len())
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn neighbour(session: &Session, range: std::ops::Range<usize>, tail: bool) -> String {
    let text = flat(session.text.get(range).unwrap_or_default());
    let n = text.chars().count();
    if n <= NEIGHBOUR {
        text
    } else if tail {
        format!("…{}", text.chars().skip(n - NEIGHBOUR).collect::<String>())
    } else {
        format!("{}…", text.chars().take(NEIGHBOUR).collect::<String>())
    }
}

/// The current sentence (cut around the finding when very long) with the correction as an
/// inline word diff, or the flagged text marked.
fn current_line(session: &Session, i: usize, look: &Look) -> Line<'static> {
    let text = &session.text;
    let span = session.items()[i].finding.span.clone();
    if text.get(span.clone()).is_none() {
        return Line::raw(format!(
            "▶ (finding at bytes {}..{} is outside the text)",
            span.start, span.end
        ));
    }
    let sentence = home(session, i);
    let window = window(text, &sentence, &span, WINDOW);
    let (start, end) = (window.start, window.end);
    let Some(shown) = text.get(start..end) else {
        return Line::raw("");
    };
    let shown = shown.replace(['\n', '\r', '\t'], " ");
    let relative = span.start - start..span.end.min(end) - start;
    let mut spans = vec![Span::raw("▶ ")];
    if start > sentence.start {
        spans.push(Span::raw("…"));
    }
    let after = session.proposed(i).map(|r| {
        apply(
            &shown,
            &[Edit {
                span: relative.clone(),
                replacement: r,
            }],
        )
    });
    match after.filter(|a| *a != shown) {
        Some(after) => spans.extend(diff_spans(&shown, &after, look)),
        None => {
            spans.push(Span::raw(shown[..relative.start].to_owned()));
            spans.push(Span::styled(
                format!(">>{}<<", &shown[relative.clone()]),
                look.flagged(),
            ));
            spans.push(Span::raw(shown[relative.end..].to_owned()));
        }
    }
    if end < sentence.end {
        spans.push(Span::raw("…"));
    }
    Line::from(spans)
}

/// The word diff as spans: deletions `[-marked-]` and insertions `{+marked+}` as in the text
/// report, and styled.
fn diff_spans(before: &str, after: &str, look: &Look) -> Vec<Span<'static>> {
    word_changes(before, after)
        .into_iter()
        .map(|(tag, text)| match tag {
            ChangeTag::Equal => Span::raw(text),
            ChangeTag::Delete => Span::styled(format!("[-{text}-]"), look.deleted()),
            ChangeTag::Insert => Span::styled(format!("{{+{text}+}}"), look.inserted()),
        })
        .collect()
}

fn context_paragraph(session: &Session, i: usize, look: &Look, area: Rect) -> Paragraph<'static> {
    let dim = Style::new().add_modifier(Modifier::DIM);
    let sentence = home(session, i);
    let at = session
        .sentences
        .iter()
        .position(|s| s.start >= sentence.start);
    let prev = at
        .and_then(|k| k.checked_sub(1))
        .map(|k| session.sentences[k].clone())
        .filter(|s| s.end <= sentence.start);
    let next = session
        .sentences
        .iter()
        .find(|s| s.start >= sentence.end)
        .cloned();
    let current = current_line(session, i, look);
    let current_height = Paragraph::new(current.clone())
        .wrap(Wrap { trim: false })
        .line_count(area.width);
    let mut lines = Vec::new();
    let mut room = (area.height as usize).saturating_sub(current_height);
    if let Some(prev) = prev {
        let line = Line::styled(format!("  {}", neighbour(session, prev, true)), dim);
        let h = Paragraph::new(line.clone())
            .wrap(Wrap { trim: false })
            .line_count(area.width)
            + 1;
        if h <= room {
            room -= h;
            lines.push(line);
            lines.push(Line::raw(""));
        }
    }
    lines.push(current);
    if let Some(next) = next {
        if room >= 2 {
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                format!("  {}", neighbour(session, next, false)),
                dim,
            ));
        }
    }
    Paragraph::new(lines).wrap(Wrap { trim: false })
}

fn status_text(session: &Session, i: usize) -> String {
    let item = &session.items()[i];
    match (session.status(i), session.decision(i)) {
        (Status::Accepted, Some(Decision::Accepted { replacement })) => {
            format!("accepted “{replacement}”")
        }
        (Status::Rejected, _) if item.rejected_earlier => {
            "rejected (in an earlier review)".to_owned()
        }
        (Status::Rejected, _) => "rejected".to_owned(),
        (Status::Moot { by }, _) => {
            format!("moot: overlaps accepted finding {}", by + 1)
        }
        (Status::Suppressed, _) => format!("suppressed (rule {})", item.finding.rule),
        _ => "undecided".to_owned(),
    }
}

fn detail_lines(session: &Session, i: usize, look: &Look) -> Vec<Line<'static>> {
    let f = &session.items()[i].finding;
    let (line, column) =
        LineIndex::new(&session.text).position(&session.text, f.span.start.min(session.text.len()));
    let mut lines = vec![
        Line::from(vec![
            Span::styled(f.severity.to_string(), look.severity(f.severity)),
            Span::raw(format!(
                " {} · rule {} · confidence {:.2} · line {line}, column {column} · {}",
                f.category,
                f.rule,
                f.confidence,
                status_text(session, i)
            )),
        ]),
        Line::raw(f.message.clone()),
    ];
    if let Some(evidence) = &f.evidence {
        lines.push(Line::raw(format!("evidence: {evidence}")));
    }
    let mut suggestions = vec![Span::raw("suggestions: ")];
    if f.suggestions.is_empty() {
        suggestions.push(Span::raw("none (e edits a replacement)"));
    }
    for (k, s) in f.suggestions.iter().enumerate() {
        let label = format!("{} “{}” ({:.2})", k + 1, s.replacement, s.confidence);
        if k == session.shown() {
            suggestions.push(Span::styled(
                format!("[{label}]"),
                Style::new().add_modifier(Modifier::REVERSED),
            ));
        } else {
            suggestions.push(Span::raw(format!(" {label} ")));
        }
        suggestions.push(Span::raw(" "));
    }
    lines.push(Line::from(suggestions));
    lines
}

fn done_lines(session: &Session) -> Vec<Line<'static>> {
    let c = session.counts();
    vec![
        Line::raw(format!(
            "Every finding has been gone through: {} accepted, {} rejected, {} moot, {} suppressed, {} left undecided.",
            c.accepted, c.rejected, c.moot, c.suppressed, c.pending
        )),
        Line::raw(""),
        Line::raw("s saves the document and the review file; q quits; ← goes back."),
    ]
}

fn draw_footer(frame: &mut Frame, session: &Session, ui: &Ui, area: Rect) {
    let strong = Style::new().add_modifier(Modifier::REVERSED);
    match &ui.mode {
        Mode::Normal | Mode::Help => {
            frame.render_widget(Paragraph::new(KEYS.map(Line::raw).to_vec()), area)
        }
        Mode::ConfirmQuit => frame.render_widget(
            Paragraph::new(vec![
                Line::styled(" Unsaved decisions. ", strong),
                Line::raw("s save and quit · d discard them and quit · Esc keep reviewing"),
            ]),
            area,
        ),
        Mode::Conflict => frame.render_widget(
            Paragraph::new(vec![
                Line::styled(
                    format!(
                        " {} changed on disk since it was opened; nothing was written. ",
                        session.path.display()
                    ),
                    strong,
                ),
                Line::raw("r reload it (decisions on unchanged text are kept) · Esc go back"),
            ]),
            area,
        ),
        Mode::Prompt { kind, edit } => {
            let label = match kind {
                PromptKind::Edit => "Replacement (Enter accepts, Esc cancels):",
                PromptKind::Glossary => "Add the pair to glossary file (Enter adds, Esc cancels):",
            };
            let width = area.width.saturating_sub(3) as usize;
            let (shown, cursor) = edit.window(width);
            let before: String = shown.chars().take(cursor).collect();
            let under: String = shown.chars().skip(cursor).take(1).collect();
            let after: String = shown.chars().skip(cursor + 1).collect();
            let under = if under.is_empty() {
                " ".to_owned()
            } else {
                under
            };
            frame.render_widget(
                Paragraph::new(vec![
                    Line::raw(label),
                    Line::from(vec![
                        Span::raw("> "),
                        Span::raw(before),
                        Span::styled(under, strong),
                        Span::raw(after),
                    ]),
                ]),
                area,
            );
            frame.set_cursor_position(Position::new(area.x + 2 + cursor as u16, area.y + 1));
        }
    }
}

fn draw_help(frame: &mut Frame, area: Rect) {
    let height = (HELP.len() as u16 + 4).min(area.height);
    let width = 72.min(area.width);
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    let mut lines: Vec<Line> = HELP
        .iter()
        .map(|(key, what)| Line::raw(format!("{key:>10}  {what}")))
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::raw(
        "Without a terminal: mtaudit review --script FILE (see README)",
    ));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(" keys ")),
        popup,
    );
}

#[cfg(test)]
mod tests {
    use super::super::line_edit::LineEdit;
    use super::*;
    use crate::audit::Auditor;
    use crate::input::Format;
    use crate::review::session::Action;
    use crate::score::Weights;
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    fn session() -> Session {
        let text = "The council met.\n\nOfficials said the forced downsizing of the commercial \
flight had surprised everyone aboard the board. Jensens comments came after Jensen spoke.\n";
        let report = Auditor::default().audit_text("a.txt", text, Format::Text);
        Session::new(
            std::path::Path::new("a.txt"),
            report,
            Weights::default(),
            None,
        )
    }

    fn render(session: &Session, ui: &Ui, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|f| draw(f, session, ui)).unwrap();
        let buffer = terminal.backend().buffer();
        (0..height)
            .map(|y| {
                (0..width)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn ui(mode: Mode) -> Ui {
        Ui {
            mode,
            note: "a note".into(),
            color: false,
            glossary: String::new(),
        }
    }

    #[test]
    fn shows_the_correction_as_a_marked_word_diff() {
        let s = session();
        let screen = render(&s, &ui(Mode::Normal), 80, 24);
        assert!(screen.contains("[-downsizing-]{+landing+}"), "{screen}");
        assert!(screen.contains("finding 1 of 3"), "{screen}");
        assert!(screen.contains(KEYS[0]), "{screen}");
    }

    #[test]
    fn control_characters_in_the_text_never_reach_the_screen() {
        let text = "Esc \u{1b}]0;pwned\u{7}\u{1b}[2J the forced downsizing of the jet.\n";
        let report = Auditor::default().audit_text("a.txt", text, Format::Text);
        let s = Session::new(
            std::path::Path::new("a\u{1b}[2J.txt"),
            report,
            Weights::default(),
            None,
        );
        let screen = render(&s, &ui(Mode::Normal), 80, 24);
        assert!(screen.contains("pwned"), "{screen}");
        let clean = screen.lines().all(|line| !line.contains(char::is_control));
        assert!(clean, "{screen:?}");
    }

    #[test]
    fn any_size_and_any_mode_draws_without_panicking() {
        let mut s = session();
        let modes = || {
            [
                Mode::Normal,
                Mode::Help,
                Mode::ConfirmQuit,
                Mode::Conflict,
                Mode::Prompt {
                    kind: PromptKind::Edit,
                    edit: LineEdit::new("a rather long replacement that will not fit"),
                },
            ]
        };
        for step in 0..4 {
            for mode in modes() {
                let ui = ui(mode);
                for (w, h) in [(80, 24), (200, 50), (30, 8), (10, 3), (1, 1), (0, 0)] {
                    render(&s, &ui, w, h);
                }
            }
            // Then with a decision, a rejection, and past the last finding.
            let _ = s.execute(&[Action::Accept, Action::Reject, Action::Skip, Action::Skip][step]);
        }
        assert_eq!(s.current(), None);
        assert!(render(&s, &ui(Mode::Normal), 80, 24).contains("all 3 findings gone through"));
    }
}
