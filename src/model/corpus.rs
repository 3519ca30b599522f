//! The corpus of `mtaudit model build`: files and folders of `.txt` and `.md` (and `-`
//! for standard input), read as UTF-8 in pieces so that a large file never sits in
//! memory whole.
//!
//! Plain text streams in pieces of about [`PIECE_BYTES`], cut at a blank line (or, in
//! text without blank lines, at a line end once a piece reaches 8 times that). Markdown is
//! read whole, since a cut could fall inside a code block. Each piece is then read by
//! the crate's own readers ([`crate::input::Document`]), so Markdown code, front matter
//! and URLs are skipped exactly as `mtaudit check` skips them.

use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::input::Format;
use crate::walk::WalkProblem;

/// Target size of a plain-text piece.
pub const PIECE_BYTES: usize = 1 << 20;

/// A file or standard input to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// `-` for standard input.
    pub path: PathBuf,
    /// Named by the user rather than found in a folder (a binary file named explicitly is
    /// an error; one found in a folder is skipped with a warning).
    pub explicit: bool,
}

impl Source {
    pub fn is_stdin(&self) -> bool {
        self.path.as_os_str() == "-"
    }

    pub fn name(&self) -> String {
        self.path.display().to_string()
    }

    /// Markdown by extension, like `mtaudit check`; everything else is plain text.
    pub fn format(&self) -> Format {
        match Format::from_path(&self.path) {
            Format::Markdown => Format::Markdown,
            _ => Format::Text,
        }
    }

    /// The file size, for the progress bar (0 for standard input).
    pub fn size(&self) -> u64 {
        std::fs::metadata(&self.path).map_or(0, |m| m.len())
    }
}

/// A corpus file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("{path}:{line}:{column}: invalid UTF-8; corpus files must be UTF-8 text")]
    InvalidUtf8 {
        path: String,
        line: usize,
        column: usize,
    },
    #[error("{path}:{line}: binary file (NUL byte)")]
    Binary { path: String, line: usize },
    #[error("{path}: no .txt or .md files in this directory")]
    EmptyDirectory { path: String },
}

/// Files that a folder walk picks up: the monolingual formats.
fn is_corpus_file(path: &Path) -> bool {
    matches!(
        Format::from_extension(path),
        Some(Format::Text | Format::Markdown)
    )
}

/// Expands folders ([`crate::walk`]: links followed, loops reported) into their `.txt` and `.md`
/// files, and says which symbolic links could not be followed. A missing path or a folder
/// with nothing to read is an error.
pub fn sources(paths: &[PathBuf]) -> Result<(Vec<Source>, Vec<String>), CorpusError> {
    let mut sources = Vec::new();
    let mut links = Vec::new();
    for path in paths {
        if path.is_dir() {
            let walk = crate::walk::walk(path);
            for problem in walk.problems {
                match problem {
                    WalkProblem::Link(message) => links.push(message),
                    WalkProblem::Other(message) => {
                        return Err(CorpusError::Io {
                            path: path.display().to_string(),
                            source: io::Error::other(message),
                        })
                    }
                }
            }
            let files: Vec<PathBuf> = walk
                .files
                .into_iter()
                .filter(|f| is_corpus_file(f))
                .collect();
            if files.is_empty() {
                return Err(CorpusError::EmptyDirectory {
                    path: path.display().to_string(),
                });
            }
            sources.extend(files.into_iter().map(|path| Source {
                path,
                explicit: false,
            }));
        } else {
            if path.as_os_str() != "-" {
                std::fs::metadata(path).map_err(|source| CorpusError::Io {
                    path: path.display().to_string(),
                    source,
                })?;
            }
            sources.push(Source {
                path: path.clone(),
                explicit: true,
            });
        }
    }
    Ok((sources, links))
}

/// The start of the character that byte `at` of `bytes` is in (UTF-8 continuation bytes are
/// 10xxxxxx).
fn char_start(bytes: &[u8], mut at: usize) -> usize {
    while at > 0 && bytes.get(at).is_some_and(|&b| b & 0xC0 == 0x80) {
        at -= 1;
    }
    at
}

/// Reads a source piece by piece: the text of each piece and how to read it.
pub struct Pieces {
    name: String,
    format: Format,
    reader: Box<dyn BufRead + Send>,
    /// Lines read so far.
    line: usize,
    /// The rest of a line longer than a piece, which starts the next piece.
    carry: Vec<u8>,
    /// Nothing read yet (where a byte order mark may be).
    at_start: bool,
    done: bool,
}

impl Pieces {
    pub fn open(source: &Source) -> Result<Pieces, CorpusError> {
        let reader: Box<dyn BufRead + Send> = if source.is_stdin() {
            Box::new(BufReader::new(io::stdin()))
        } else {
            let file =
                crate::input::file::open(&source.path).map_err(|e| io_error(source.name(), e))?;
            Box::new(BufReader::with_capacity(1 << 16, file))
        };
        Ok(Pieces::new(source.name(), source.format(), reader))
    }

    pub fn new(name: String, format: Format, reader: Box<dyn BufRead + Send>) -> Pieces {
        Pieces {
            name,
            format,
            reader,
            line: 0,
            carry: Vec::new(),
            at_start: true,
            done: false,
        }
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// The next piece, None at the end.
    pub fn next_piece(&mut self) -> Result<Option<String>, CorpusError> {
        if self.done {
            return Ok(None);
        }
        let piece = match self.format {
            Format::Markdown => self.read_all()?,
            _ => self.read_lines()?,
        };
        Ok((!piece.is_empty()).then_some(piece))
    }

    /// The whole rest of the input.
    fn read_all(&mut self) -> Result<String, CorpusError> {
        let mut bytes = Vec::new();
        self.reader
            .read_to_end(&mut bytes)
            .map_err(|e| io_error(self.name.clone(), e))?;
        self.done = true;
        self.check(&bytes, 1)
    }

    /// Lines up to a blank line past [`PIECE_BYTES`] (or any line end past 8 times that). A
    /// line longer than [`PIECE_BYTES`] is cut at its last space (or character boundary)
    /// before that, and the piece ends there: a text that is one huge line is read in
    /// pieces of [`PIECE_BYTES`], and no piece holds much more than 8 times that.
    fn read_lines(&mut self) -> Result<String, CorpusError> {
        let mut piece = String::new();
        let mut line = std::mem::take(&mut self.carry);
        loop {
            let room = PIECE_BYTES
                .min((8 * PIECE_BYTES).saturating_sub(piece.len()))
                .saturating_sub(line.len())
                .max(1);
            let n = (&mut self.reader)
                .take(room as u64)
                .read_until(b'\n', &mut line)
                .map_err(|e| io_error(self.name.clone(), e))?;
            if line.is_empty() {
                self.done = true;
                return Ok(piece);
            }
            let complete = n == 0 || line.ends_with(b"\n");
            let rest = if complete {
                Vec::new()
            } else {
                let cut = match line.iter().rposition(|&b| b == b' ') {
                    Some(space) => space + 1,
                    None => char_start(&line, line.len() - 1),
                };
                line.split_off(cut)
            };
            let number = self.line + 1;
            if complete {
                self.line += 1;
            }
            let text = self.check(&line, number)?;
            let text = match std::mem::replace(&mut self.at_start, false) {
                true => text.strip_prefix('\u{FEFF}').unwrap_or(&text),
                false => &text,
            };
            piece.push_str(text);
            line.clear();
            if !complete {
                self.carry = rest;
                return Ok(piece);
            }
            let blank = text.trim().is_empty();
            if (blank && piece.len() >= PIECE_BYTES) || piece.len() >= 8 * PIECE_BYTES {
                return Ok(piece);
            }
        }
    }

    /// Decodes bytes whose first line is `first_line`; NUL bytes and invalid UTF-8 are
    /// errors with their line (and column).
    fn check(&self, bytes: &[u8], first_line: usize) -> Result<String, CorpusError> {
        let line_of =
            |offset: usize| first_line + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
        if let Some(offset) = bytes.iter().position(|&b| b == 0) {
            return Err(CorpusError::Binary {
                path: self.name.clone(),
                line: line_of(offset),
            });
        }
        String::from_utf8(bytes.to_vec()).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            let line_start = bytes[..offset]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&bytes[line_start..offset])
                .chars()
                .count()
                + 1;
            CorpusError::InvalidUtf8 {
                path: self.name.clone(),
                line: line_of(offset),
                column,
            }
        })
    }
}

fn io_error(path: String, source: io::Error) -> CorpusError {
    CorpusError::Io { path, source }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_longer_than_a_piece_is_cut_between_words() {
        let words = "ünïcode word ".repeat(2 * 8 * PIECE_BYTES / 14 + 100);
        let text = format!("{words}\nlast line\n");
        let got = pieces(text.as_bytes(), Format::Text).unwrap();
        assert!(got.len() >= 16, "{} pieces", got.len());
        let last = got.len() - 1;
        assert!(got[..last].iter().all(|p| p.len() <= PIECE_BYTES));
        assert!(got[..got.len() - 1]
            .iter()
            .all(|p| p.ends_with(' ') || p.ends_with('\n')));
        assert_eq!(got.concat(), text);
        let unspaced = "é".repeat(8 * PIECE_BYTES);
        let got = pieces(unspaced.as_bytes(), Format::Text).unwrap();
        assert!(got.len() >= 2 && got.concat() == unspaced);
    }

    fn pieces(text: &[u8], format: Format) -> Result<Vec<String>, CorpusError> {
        let reader = Box::new(io::Cursor::new(text.to_vec()));
        let mut p = Pieces::new("t.txt".into(), format, reader);
        let mut out = Vec::new();
        while let Some(piece) = p.next_piece()? {
            out.push(piece);
        }
        Ok(out)
    }

    #[test]
    fn plain_text_is_cut_at_blank_lines_past_the_piece_size() {
        let paragraph = "word ".repeat(100) + "\n\n";
        let text = paragraph.repeat(2 * PIECE_BYTES / paragraph.len() + 10);
        let got = pieces(text.as_bytes(), Format::Text).unwrap();
        assert!(got.len() >= 2, "{} pieces", got.len());
        assert_eq!(got.concat(), text);
        assert!(got[..got.len() - 1]
            .iter()
            .all(|p| p.len() >= PIECE_BYTES && p.ends_with("\n\n")));
        // A byte-order mark is dropped; Markdown is one piece.
        assert_eq!(
            pieces("\u{FEFF}a b\n".as_bytes(), Format::Text).unwrap(),
            vec!["a b\n"]
        );
        assert_eq!(pieces(b"# T\n\nx\n", Format::Markdown).unwrap().len(), 1);
        assert!(pieces(b"", Format::Text).unwrap().is_empty());
    }

    #[test]
    fn bad_bytes_name_the_line() {
        let e = pieces(b"ok\nfine\nbad \xff here\n", Format::Text).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.txt:3:5: invalid UTF-8; corpus files must be UTF-8 text"
        );
        let e = pieces(b"ok\n\xc3\xa9t\xc3", Format::Markdown).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.txt:2:3: invalid UTF-8; corpus files must be UTF-8 text"
        );
        let e = pieces(b"a\nb\x00\n", Format::Text).unwrap_err();
        assert_eq!(e.to_string(), "t.txt:2: binary file (NUL byte)");
    }

    #[test]
    fn sources_expand_folders_and_refuse_missing_paths() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for name in ["b.txt", "a.md", "sub/c.txt", "skip.rs"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let (found, links) = sources(&[dir.path().to_path_buf()]).unwrap();
        assert!(links.is_empty());
        let names: Vec<_> = found
            .iter()
            .map(|s| {
                s.path
                    .strip_prefix(dir.path())
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(names, ["a.md", "b.txt", "sub/c.txt"]);
        assert!(found.iter().all(|s| !s.explicit));
        assert_eq!(found[0].format(), Format::Markdown);
        let missing = dir.path().join("nope.txt");
        let e = sources(&[missing]).unwrap_err().to_string();
        assert!(e.contains("nope.txt"), "{e}");
        std::fs::create_dir(dir.path().join("empty")).unwrap();
        let e = sources(&[dir.path().join("empty")])
            .unwrap_err()
            .to_string();
        assert!(e.ends_with("no .txt or .md files in this directory"), "{e}");
    }
}
