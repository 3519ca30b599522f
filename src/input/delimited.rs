//! TSV and CSV: one unit per row, `source<TAB>target` (or `source,target`). A header row
//! naming `source` and `target` columns (and optionally `id`) picks the columns; otherwise the
//! first is the source and the second the target. CSV quoting is read by the csv crate; each
//! field is then located in the file so the prose view keeps every offset.

use super::unit::{Content, Read};
use super::InputError;
use csv::{ReaderBuilder, StringRecord};

pub(crate) fn read_tsv(text: &str) -> Result<Read, InputError> {
    read(text, b'\t', false)
}

pub(crate) fn read_csv(text: &str) -> Result<Read, InputError> {
    read(text, b',', true)
}

/// Which columns hold what.
struct Columns {
    source: usize,
    target: usize,
    id: Option<usize>,
}

impl Columns {
    fn from_header(record: &StringRecord) -> Option<Columns> {
        let find = |name: &str| {
            record
                .iter()
                .position(|f| f.trim().eq_ignore_ascii_case(name))
        };
        Some(Columns {
            source: find("source")?,
            target: find("target")?,
            id: find("id"),
        })
    }
}

fn read(text: &str, delimiter: u8, quoting: bool) -> Result<Read, InputError> {
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .quoting(quoting)
        .from_reader(text.as_bytes());
    let mut read = Read::default();
    let mut columns: Option<Columns> = None;
    let mut first = true;
    let mut record = StringRecord::new();
    loop {
        let more = reader.read_record(&mut record).map_err(|e| {
            let at = e.position().map_or(0, |p| p.byte() as usize);
            InputError::malformed(text, at, format!("malformed {}: {e}", name(quoting)))
        })?;
        if !more {
            return Ok(read);
        }
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let start = if start == 0 && text.starts_with('\u{FEFF}') {
            3
        } else {
            start
        };
        // The csv crate may place a row after CRLF at its LF.
        let start = start
            + text[start.min(text.len())..]
                .bytes()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
        if first {
            first = false;
            if let Some(header) = Columns::from_header(&record) {
                columns = Some(header);
                continue;
            }
        }
        let cols = columns.get_or_insert(Columns {
            source: 0,
            target: 1,
            id: None,
        });
        let needed = cols.source.max(cols.target) + 1;
        if record.len() < needed {
            return Err(InputError::malformed(
                text,
                start,
                format!(
                    "expected source and target columns ({} separated), found {} column{}",
                    if quoting { "comma" } else { "tab" },
                    record.len(),
                    if record.len() == 1 { "" } else { "s" }
                ),
            ));
        }
        let fields = locate(text, start, delimiter, quoting, needed);
        let (Some(source), Some(target)) = (fields.get(cols.source), fields.get(cols.target))
        else {
            return Err(InputError::malformed(
                text,
                start,
                "cannot locate the row's fields",
            ));
        };
        for (i, content) in [(cols.source, source), (cols.target, target)] {
            if content.text(text) != record[i] {
                return Err(InputError::malformed(
                    text,
                    start,
                    "cannot locate the row's fields",
                ));
            }
        }
        let id = cols.id.and_then(|i| record.get(i)).map(str::to_owned);
        read.push(text, target.clone(), Some(source), id, Vec::new());
    }
}

fn name(quoting: bool) -> &'static str {
    if quoting {
        "CSV"
    } else {
        "TSV"
    }
}

/// The first `count` fields of the row starting at byte `at`, as pieces of the file.
fn locate(text: &str, mut at: usize, delimiter: u8, quoting: bool, count: usize) -> Vec<Content> {
    let bytes = text.as_bytes();
    let ends_field = |b: u8| b == delimiter || b == b'\n' || b == b'\r';
    let mut fields = Vec::new();
    while fields.len() < count && at <= bytes.len() {
        let mut content = Content::default();
        if quoting && bytes.get(at) == Some(&b'"') {
            at += 1;
            let mut run = at;
            while at < bytes.len() {
                if bytes[at] == b'"' {
                    content.keep(run..at);
                    if bytes.get(at + 1) == Some(&b'"') {
                        content.decode(at..at + 2, '"');
                        at += 2;
                        run = at;
                        continue;
                    }
                    at += 1;
                    run = at;
                    break;
                }
                at += 1;
            }
            // Text after a closing quote is read literally, as the csv crate does.
            while at < bytes.len() && !ends_field(bytes[at]) {
                at += 1;
            }
            content.keep(run..at);
        } else {
            let run = at;
            while at < bytes.len() && !ends_field(bytes[at]) {
                at += 1;
            }
            content.keep(run..at);
        }
        fields.push(content);
        if bytes.get(at) != Some(&delimiter) {
            break;
        }
        at += 1;
    }
    fields
}

#[cfg(test)]
mod tests {
    use crate::input::{Document, Format, InputError};

    fn targets(text: &str, format: Format) -> Vec<(String, String)> {
        let d = Document::parse(text.into(), format).unwrap();
        d.units
            .iter()
            .zip(&d.blocks)
            .map(|(u, b)| {
                assert_eq!(u.target.trim(), d.prose[b.clone()].trim());
                (u.source.clone().unwrap_or_default(), u.target.clone())
            })
            .collect()
    }

    #[test]
    fn tsv_rows_with_and_without_header() {
        assert_eq!(
            targets("Hallo Welt\tHello world\r\nZwei\tTwo\n", Format::Tsv),
            [
                ("Hallo Welt".into(), "Hello world".into()),
                ("Zwei".into(), "Two".into())
            ]
        );
        let with_header = "id\ttarget\tsource\n7\tSeven\tSieben\n";
        let d = Document::parse(with_header.into(), Format::Tsv).unwrap();
        assert_eq!(d.units[0].id.as_deref(), Some("7"));
        assert_eq!(d.units[0].source.as_deref(), Some("Sieben"));
    }

    #[test]
    fn csv_quoting_keeps_offsets() {
        let text = "source,target\n\"Er sagte \"\"Ja\"\", dann\",\"He said \"\"yes\"\", then\"\n";
        let d = Document::parse(text.into(), Format::Csv).unwrap();
        assert_eq!(d.units[0].target, "He said \"yes\", then");
        assert_eq!(d.units[0].source.as_deref(), Some("Er sagte \"Ja\", dann"));
        let block = d.blocks[0].clone();
        assert_eq!(&text[block.start..block.start + 2], "He");
    }

    #[test]
    fn a_row_without_target_is_an_error() {
        let err = Document::parse("a\tb\nonly one\n".into(), Format::Tsv).unwrap_err();
        assert!(
            matches!(
                err,
                InputError::Malformed {
                    line: 2,
                    column: 1,
                    ..
                }
            ),
            "{err:?}"
        );
    }
}
