//! Text from the input made safe for a terminal: control characters (ESC, BEL, CR, the C1
//! controls…) are shown as escapes, so a file cannot set the window title, clear the screen
//! or write to the clipboard of whoever reads its report.

use std::borrow::Cow;
use std::io::{self, Write};

fn is_unsafe(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

fn escape(c: char, out: &mut String) {
    let code = u32::from(c);
    if code < 0x80 {
        out.push_str(&format!("\\x{code:02x}"));
    } else {
        out.push_str(&format!("\\u{{{code:x}}}"));
    }
}

/// `text` with every control character but line feed and tab written as `\xNN` or `\u{NN}`.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            escape(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A writer that passes text to a terminal with [`printable`]'s escapes. Bytes that are not
/// UTF-8 pass unchanged (none of them is a control character on its own); a character split
/// between two writes is held until it is whole.
pub struct TerminalSafe<W: Write> {
    out: W,
    pending: Vec<u8>,
}

impl<W: Write> TerminalSafe<W> {
    pub fn new(out: W) -> Self {
        TerminalSafe {
            out,
            pending: Vec::new(),
        }
    }
}

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let mut done = 0;
        let mut escaped = Vec::with_capacity(self.pending.len());
        for chunk in self.pending.utf8_chunks() {
            escaped.extend_from_slice(printable(chunk.valid()).as_bytes());
            done += chunk.valid().len();
            let invalid = chunk.invalid();
            // An incomplete character at the very end waits for the next write.
            if done + invalid.len() == self.pending.len()
                && invalid.len() < 4
                && !invalid.is_empty()
                && std::str::from_utf8(invalid)
                    .err()
                    .is_some_and(|e| e.error_len().is_none())
            {
                break;
            }
            escaped.extend_from_slice(invalid);
            done += invalid.len();
        }
        self.out.write_all(&escaped)?;
        self.pending.drain(..done);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let rest = std::mem::take(&mut self.pending);
        self.out.write_all(&rest)?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_the_rest_kept() {
        let hostile = "Esc \u{1b}]0;pwned\u{7}\u{1b}[2J the \u{9b}31m jet.\r\n\tnext";
        assert_eq!(
            printable(hostile),
            "Esc \\x1b]0;pwned\\x07\\x1b[2J the \\u{9b}31m jet.\\x0d\n\tnext"
        );
        assert!(matches!(printable("plain “text” ü\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_writer_escapes_across_split_writes() {
        let mut out = TerminalSafe::new(Vec::new());
        let text = "a\u{1b}[2J ü \u{9b}x\n".as_bytes();
        for byte in text {
            out.write_all(std::slice::from_ref(byte)).unwrap();
        }
        out.write_all(b"\xff!").unwrap();
        out.flush().unwrap();
        assert_eq!(out.out, b"a\\x1b[2J \xc3\xbc \\u{9b}x\n\xff!");
    }
}
