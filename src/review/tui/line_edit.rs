//! A one-line text editor for the replacement and glossary prompts.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineEdit {
    chars: Vec<char>,
    /// Insertion point, in characters.
    cursor: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Editing,
    Submit(String),
    Cancel,
}

impl LineEdit {
    pub fn new(initial: &str) -> LineEdit {
        let chars: Vec<char> = initial.chars().filter(|c| !c.is_control()).collect();
        LineEdit {
            cursor: chars.len(),
            chars,
        }
    }

    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    /// Left/Right, Home/End (Ctrl-A/Ctrl-E), Backspace/Delete, Ctrl-U (to the start),
    /// Ctrl-K (to the end), Ctrl-W (a word back), Enter to submit, Esc to cancel.
    pub fn handle(&mut self, key: KeyEvent) -> Outcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Enter => return Outcome::Submit(self.text()),
            KeyCode::Esc => return Outcome::Cancel,
            KeyCode::Char('c') if ctrl => return Outcome::Cancel,
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = self.chars.len(),
            KeyCode::Char('u') if ctrl => {
                self.chars.drain(..self.cursor);
                self.cursor = 0;
            }
            KeyCode::Char('k') if ctrl => self.chars.truncate(self.cursor),
            KeyCode::Char('w') if ctrl => {
                let mut start = self.cursor;
                while start > 0 && self.chars[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && self.chars[start - 1] != ' ' {
                    start -= 1;
                }
                self.chars.drain(start..self.cursor);
                self.cursor = start;
            }
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                self.chars.insert(self.cursor, c);
                self.cursor += 1;
            }
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                self.chars.remove(self.cursor);
            }
            KeyCode::Delete if self.cursor < self.chars.len() => {
                self.chars.remove(self.cursor);
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.chars.len()),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.chars.len(),
            _ => {}
        }
        Outcome::Editing
    }

    /// The part of the text to show in `width` columns, keeping the cursor in view, and the
    /// cursor's column within it. (One column per character; wide characters may shift it.)
    pub fn window(&self, width: usize) -> (String, usize) {
        let width = width.max(1);
        let first = (self.cursor + 1).saturating_sub(width);
        let shown: String = self.chars[first..].iter().take(width).collect();
        (shown, self.cursor - first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    #[test]
    fn edits_and_submits() {
        let mut e = LineEdit::new("forced landing");
        e.handle(ctrl('w'));
        assert_eq!(e.text(), "forced ");
        for c in "touchdown".chars() {
            e.handle(key(KeyCode::Char(c)));
        }
        e.handle(key(KeyCode::Home));
        e.handle(key(KeyCode::Delete));
        e.handle(key(KeyCode::Char('F')));
        e.handle(key(KeyCode::End));
        e.handle(key(KeyCode::Backspace));
        assert_eq!(
            e.handle(key(KeyCode::Enter)),
            Outcome::Submit("Forced touchdow".into())
        );
        e.handle(ctrl('u'));
        assert_eq!(e.text(), "");
        assert_eq!(e.handle(key(KeyCode::Esc)), Outcome::Cancel);
    }

    #[test]
    fn window_keeps_the_cursor_in_view() {
        let e = LineEdit::new("abcdefghij");
        assert_eq!(e.window(4), ("hij".into(), 3));
        let mut e = LineEdit::new("é");
        e.handle(key(KeyCode::Left));
        e.handle(key(KeyCode::Backspace));
        assert_eq!(e.window(10), ("é".into(), 0));
    }
}
