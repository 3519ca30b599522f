//! gettext PO: `msgstr` (each plural form) is the target, `msgid` (or `msgid_plural`) its
//! source; strings may span lines and carry C escapes, decoded in place. `#` comments are kept
//! as the unit's notes. A file without any translation (a POT template) audits its msgids.

use super::unit::{Content, Read};
use super::InputError;

#[derive(Default)]
struct Entry {
    ctxt: Option<Content>,
    id: Option<Content>,
    plural: Option<Content>,
    strs: Vec<(usize, Content)>,
    notes: Vec<String>,
}

#[derive(Clone, Copy)]
enum Field {
    Ctxt,
    Id,
    Plural,
    Str(usize),
}

impl Entry {
    fn has(&self, field: Field) -> bool {
        match field {
            Field::Ctxt => self.ctxt.is_some(),
            Field::Id => self.id.is_some(),
            Field::Plural => self.plural.is_some(),
            Field::Str(n) => self.strs.iter().any(|(k, _)| *k == n),
        }
    }

    fn field(&mut self, field: Field) -> &mut Content {
        match field {
            Field::Ctxt => self.ctxt.get_or_insert_with(Content::default),
            Field::Id => self.id.get_or_insert_with(Content::default),
            Field::Plural => self.plural.get_or_insert_with(Content::default),
            Field::Str(n) => {
                if let Some(i) = self.strs.iter().position(|(k, _)| *k == n) {
                    &mut self.strs[i].1
                } else {
                    self.strs.push((n, Content::default()));
                    &mut self.strs.last_mut().expect("just pushed").1
                }
            }
        }
    }
}

pub(crate) fn read(text: &str) -> Result<Read, InputError> {
    let mut entries = Vec::new();
    let mut entry = Entry::default();
    let mut field: Option<Field> = None;
    let mut offset = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    for raw in text[offset..].split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let indent = line.len() - line.trim_start().len();
        let body = line.trim();
        let at = start + indent;
        let has_str = !entry.strs.is_empty();
        if body.is_empty() || body.starts_with("#~") || body.starts_with("#|") {
            if body.is_empty() {
                entries.push(std::mem::take(&mut entry));
                field = None;
            }
            continue;
        }
        if let Some(comment) = body.strip_prefix('#') {
            if has_str {
                entries.push(std::mem::take(&mut entry));
                field = None;
            }
            let kind = comment.chars().next();
            if matches!(kind, None | Some(' ' | '.' | '\t')) {
                entry
                    .notes
                    .push(comment.trim_start_matches('.').trim().to_owned());
            }
            continue;
        }
        let (next, literal) = if body.starts_with('"') {
            match field {
                Some(f) => (f, at),
                None => return Err(InputError::malformed(text, at, "string without a keyword")),
            }
        } else {
            let keyword_len = body.find([' ', '\t', '"']).unwrap_or(body.len());
            let keyword = &body[..keyword_len];
            let f = keyword_field(keyword).ok_or_else(|| {
                InputError::malformed(text, at, format!("unexpected `{keyword}` in a PO file"))
            })?;
            if matches!(f, Field::Ctxt | Field::Id) && (has_str || entry.id.is_some()) {
                entries.push(std::mem::take(&mut entry));
            }
            // A second string for the same field would join text from two places.
            if entry.has(f) {
                return Err(InputError::malformed(
                    text,
                    at,
                    format!("`{keyword}` given twice in one entry"),
                ));
            }
            let rest = &body[keyword_len..];
            let quote = keyword_len + (rest.len() - rest.trim_start().len());
            if !body[quote..].starts_with('"') {
                return Err(InputError::malformed(
                    text,
                    at + quote,
                    format!("`{keyword}` must be followed by a quoted string"),
                ));
            }
            (f, at + quote)
        };
        field = Some(next);
        string(text, literal, start + line.len(), entry.field(next))?;
    }
    entries.push(entry);
    Ok(units(text, entries))
}

fn keyword_field(keyword: &str) -> Option<Field> {
    match keyword {
        "msgctxt" => Some(Field::Ctxt),
        "msgid" => Some(Field::Id),
        "msgid_plural" => Some(Field::Plural),
        "msgstr" => Some(Field::Str(0)),
        _ => keyword
            .strip_prefix("msgstr[")?
            .strip_suffix(']')?
            .parse()
            .ok()
            .map(Field::Str),
    }
}

/// Reads the string literal at `at` (a `"`) up to `line_end`, appending to `content`.
fn string(text: &str, at: usize, line_end: usize, content: &mut Content) -> Result<(), InputError> {
    let bytes = text.as_bytes();
    let mut i = at + 1;
    let mut run = i;
    while i < line_end {
        match bytes[i] {
            b'"' => {
                content.keep(run..i);
                if !text[i + 1..line_end].trim().is_empty() {
                    return Err(InputError::malformed(
                        text,
                        i + 1,
                        "text after the closing quote",
                    ));
                }
                return Ok(());
            }
            b'\\' => {
                content.keep(run..i);
                let (len, c) = escape(&text[i..line_end])
                    .ok_or_else(|| InputError::malformed(text, i, "invalid escape sequence"))?;
                content.decode(i..i + len, c);
                i += len;
                run = i;
            }
            _ => i += 1,
        }
    }
    Err(InputError::malformed(text, at, "unterminated string"))
}

/// The length and meaning of the escape at the start of `s` (which begins with `\`).
fn escape(s: &str) -> Option<(usize, char)> {
    let c = s[1..].chars().next()?;
    let simple = match c {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        '"' | '\\' | '\'' | '?' => Some(c),
        'a' | 'b' | 'f' | 'v' => Some(' '),
        _ => None,
    };
    if let Some(decoded) = simple {
        return Some((2, decoded));
    }
    let (digits, radix, skip) = match c {
        'x' => (
            s[2..]
                .chars()
                .take_while(char::is_ascii_hexdigit)
                .count()
                .min(2),
            16,
            2,
        ),
        '0'..='7' => (
            s[1..]
                .chars()
                .take_while(|d| ('0'..='7').contains(d))
                .count()
                .min(3),
            8,
            1,
        ),
        _ => return None,
    };
    let value = u32::from_str_radix(s.get(skip..skip + digits)?, radix).ok()?;
    let decoded = char::from_u32(value)
        .filter(|c| !c.is_control())
        .unwrap_or(' ');
    Some((skip + digits, decoded))
}

/// Translated entries become units, untranslated ones missing targets; a file with no translation at all (a template) audits
/// its msgids instead. The header entry (empty msgid) is skipped.
fn units(text: &str, entries: Vec<Entry>) -> Read {
    let mut read = Read::default();
    let entries: Vec<Entry> = entries
        .into_iter()
        .filter(|e| e.id.as_ref().is_some_and(|id| !id.text(text).is_empty()))
        .collect();
    let template = entries
        .iter()
        .all(|e| e.strs.iter().all(|(_, s)| s.text(text).is_empty()));
    for entry in entries {
        let ctxt = entry.ctxt.as_ref().map(|c| c.text(text));
        let Some(id) = entry.id else { continue };
        if template {
            let plural = entry.plural.into_iter();
            for msgid in std::iter::once(id).chain(plural) {
                read.push(text, msgid, None, ctxt.clone(), entry.notes.clone());
            }
            continue;
        }
        let plural_forms = entry.strs.len() > 1 || entry.plural.is_some();
        for (n, target) in entry.strs {
            let source = match (&entry.plural, n) {
                (Some(plural), 1..) => plural,
                _ => &id,
            };
            let unit_id = match (&ctxt, plural_forms) {
                (Some(c), true) => Some(format!("{c}[{n}]")),
                (Some(c), false) => Some(c.clone()),
                (None, _) => None,
            };
            if target.text(text).is_empty() {
                read.push_missing(text, source, unit_id);
                continue;
            }
            read.push(text, target, Some(source), unit_id, entry.notes.clone());
        }
    }
    read
}

#[cfg(test)]
mod tests {
    use crate::input::{Document, Format, InputError};

    const PO: &str = r#"# Header
msgid ""
msgstr ""
"Language: en\n"

# mtaudit-disable-next-line glossary
#. extracted note
#: src/a.c:12
#, c-format
msgctxt "menu"
msgid "Datei \"%s\" öffnen"
msgstr "Open file \"%s\""

msgid "Ein Apfel"
msgid_plural "%d Äpfel"
msgstr[0] "One apple"
msgstr[1] ""
"%d apples in "
"the basket\n"

msgid "Leer"
msgstr ""

#~ msgid "Alt"
#~ msgstr "Old"
"#;

    #[test]
    fn entries_plural_forms_and_escapes() {
        let d = Document::parse(PO.into(), Format::Po).unwrap();
        let targets: Vec<&str> = d.units.iter().map(|u| u.target.as_str()).collect();
        assert_eq!(
            targets,
            ["Open file \"%s\"", "One apple", "%d apples in the basket\n"]
        );
        assert_eq!(d.units[0].source.as_deref(), Some("Datei \"%s\" öffnen"));
        assert_eq!(d.units[0].id.as_deref(), Some("menu"));
        assert_eq!(
            d.units[0].notes,
            ["mtaudit-disable-next-line glossary", "extracted note"]
        );
        assert_eq!(d.units[2].source.as_deref(), Some("%d Äpfel"));
        // The escaped quote sits where its escape was; the prose keeps every offset.
        let block = &d.prose[d.blocks[0].clone()];
        assert_eq!(block, "Open file \" %s\"");
        let third = &d.prose[d.blocks[2].clone()];
        assert_eq!(
            third.split_whitespace().collect::<Vec<_>>(),
            ["%d", "apples", "in", "the", "basket"]
        );
    }

    #[test]
    fn a_note_suppresses_findings_in_its_unit_only() {
        use crate::audit::Auditor;
        let po = "# mtaudit-disable-line glossary\nmsgid \"a\"\nmsgstr \"the forced downsizing of the plane\"\n\nmsgid \"b\"\nmsgstr \"the forced downsizing of the jet\"\n";
        let report = Auditor::default().audit_text("t.po", po, Format::Po);
        let rules: Vec<(&str, usize)> = report
            .findings()
            .map(|f| (f.rule, report.text[..f.span.start].lines().count()))
            .collect();
        assert_eq!(rules, [("glossary", 6)]);
    }

    #[test]
    fn a_template_audits_its_msgids() {
        let pot = "msgid \"\"\nmsgstr \"\"\n\nmsgid \"Save the file\"\nmsgstr \"\"\n";
        let d = Document::parse(pot.into(), Format::Po).unwrap();
        assert_eq!(d.units[0].target, "Save the file");
        assert_eq!(d.units[0].source, None);
    }

    #[test]
    fn malformed_po_names_line_and_column() {
        let err = Document::parse("msgid \"a\"\nmsgstr \"open\n".into(), Format::Po).unwrap_err();
        assert_eq!(
            err,
            InputError::Malformed {
                line: 2,
                column: 8,
                message: "unterminated string".into()
            }
        );
        let err = Document::parse("msgid \"a\"\nbogus \"b\"\n".into(), Format::Po).unwrap_err();
        assert!(matches!(
            err,
            InputError::Malformed {
                line: 2,
                column: 1,
                ..
            }
        ));
        // Found by fuzzing: a repeated msgstr joined two places into one target.
        let twice = "msgid \"a\"\nmsgstr[0] \"x\"\nmsgstr[1] \"y\"\nmsgstr \"z\"\n";
        let err = Document::parse(twice.into(), Format::Po).unwrap_err();
        assert_eq!(
            err,
            InputError::Malformed {
                line: 4,
                column: 1,
                message: "`msgstr` given twice in one entry".into()
            }
        );
        let err = Document::parse("msgid \"a\\q\"\n".into(), Format::Po).unwrap_err();
        assert!(
            matches!(
                err,
                InputError::Malformed {
                    line: 1,
                    column: 9,
                    ..
                }
            ),
            "{err:?}"
        );
    }
}
