//! Safe XML scanning for the XLIFF, TMX and TBX readers: quick-xml events with byte ranges,
//! no DTD processing, and no entities but the five predefined and numeric ones. A DOCTYPE
//! that declares entities ("billion laughs", external entities) is refused.

use super::unit::{Code, Content};
use super::InputError;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;
use std::ops::Range;

/// Elements whose content is native code (markup of the original format), not prose.
const NATIVE_CODE: &[&str] = &["bpt", "ept", "it", "ph", "ut"];
/// Annotations (segment and term markers) that are not codes of the text: their tags are
/// blanked but need not match between source and target.
const ANNOTATIONS: &[&str] = &["mrk", "sm", "em"];

pub(crate) struct Scanner<'a> {
    text: &'a str,
    /// Bytes before what the reader sees (a byte-order mark).
    base: usize,
    reader: Reader<&'a [u8]>,
    /// Open elements, innermost last.
    open: Vec<String>,
}

impl<'a> Scanner<'a> {
    pub fn new(text: &'a str) -> Scanner<'a> {
        // quick-xml drops a byte-order mark without counting it in its positions, so every
        // leading one (a file may repeat it) is skipped here, where it is counted.
        let base = text.len() - text.trim_start_matches('\u{FEFF}').len();
        let mut reader = Reader::from_str(&text[base..]);
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Scanner {
            text,
            base,
            reader,
            open: Vec::new(),
        }
    }

    pub fn error(&self, offset: usize, message: impl Into<String>) -> InputError {
        InputError::malformed(self.text, offset, message)
    }

    /// An error unless `name` (the first element) is `want`; `what` names the format.
    pub fn expect_root(
        &self,
        name: &str,
        want: &str,
        what: &str,
        at: usize,
    ) -> Result<(), InputError> {
        if name == want {
            return Ok(());
        }
        Err(self.error(
            at,
            format!("not {what} file: the root element is <{name}>, not <{want}>"),
        ))
    }

    /// Depth of the element being read (0 outside the root).
    pub fn depth(&self) -> usize {
        self.open.len()
    }

    /// The parent of the element just opened (or of the current text).
    pub fn parent(&self, up: usize) -> Option<&str> {
        self.open
            .len()
            .checked_sub(1 + up)
            .and_then(|i| self.open.get(i))
            .map(String::as_str)
    }

    /// The next event and its byte range; `None` at the end of a well-formed document.
    pub fn next(&mut self) -> Result<Option<(Event<'a>, Range<usize>)>, InputError> {
        let start = self.offset();
        let event = match self.reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let at = self.base + self.reader.error_position() as usize;
                return Err(self.error(at, format!("malformed XML: {e}")));
            }
        };
        let range = start..self.offset();
        match &event {
            Event::Eof => {
                if let Some(name) = self.open.last() {
                    return Err(self.error(
                        self.text.len(),
                        format!("malformed XML: <{name}> is never closed"),
                    ));
                }
                return Ok(None);
            }
            Event::DocType(doctype) => {
                let body = String::from_utf8_lossy(doctype.as_ref());
                if body.contains("<!ENTITY") {
                    return Err(self.error(
                        range.start,
                        "the DOCTYPE declares entities; mtaudit does not process DTDs \
                         and refuses such files for safety",
                    ));
                }
            }
            Event::Start(e) => self.open.push(local_name(e)),
            Event::End(_) => {
                self.open.pop();
            }
            _ => {}
        }
        Ok(Some((event, range)))
    }

    fn offset(&self) -> usize {
        self.base + usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX - 3)
    }

    /// The next event, where the end of the document is an error (inside an element).
    fn next_inside(&mut self) -> Result<(Event<'a>, Range<usize>), InputError> {
        match self.next()? {
            Some(event) => Ok(event),
            None => Err(self.error(self.text.len(), "malformed XML: unexpected end")),
        }
    }

    /// Reads the content of the element just opened, up to and including its end tag: text
    /// and CDATA are kept, entities decoded, inline elements recorded as codes (the content
    /// of native-code elements such as `<bpt>` and `<ph>` is not prose).
    pub fn content(&mut self) -> Result<Content, InputError> {
        let depth = self.depth();
        let mut content = Content::default();
        // Depth at which a native-code element was opened, while inside one.
        let mut native: Option<(usize, Code)> = None;
        loop {
            let (event, range) = self.next_inside()?;
            let inside_native = native.is_some();
            match event {
                Event::End(_) if self.depth() < depth => return Ok(content),
                Event::Text(_) if !inside_native => content.keep(range),
                Event::GeneralRef(r) if !inside_native => {
                    let c = self.resolve(&r, range.start)?;
                    content.decode(range, c);
                }
                Event::CData(_) if !inside_native && range.len() >= 12 => {
                    content.keep(range.start + 9..range.end - 3)
                }
                Event::Start(e) => {
                    let code = self.code(&e, range)?;
                    if native.is_none() && NATIVE_CODE.contains(&code.name.as_str()) {
                        native = Some((self.depth(), code));
                    } else if native.is_none() && !ANNOTATIONS.contains(&code.name.as_str()) {
                        content.codes.push(code);
                    }
                }
                Event::Empty(e) if !inside_native => {
                    let code = self.code(&e, range)?;
                    if !ANNOTATIONS.contains(&code.name.as_str()) {
                        content.codes.push(code);
                    }
                }
                Event::End(e) => match native.take() {
                    Some((d, mut code)) if self.depth() < d => {
                        code.span.end = range.end;
                        content.codes.push(code);
                    }
                    Some(open) => native = Some(open),
                    None => {
                        let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                        if ANNOTATIONS.contains(&name.as_str()) {
                            continue;
                        }
                        content.codes.push(Code {
                            name,
                            id: None,
                            span: range,
                            closing: true,
                        });
                    }
                },
                Event::GeneralRef(r) => {
                    self.resolve(&r, range.start)?;
                }
                _ => {}
            }
        }
    }

    /// Skips the rest of the element just opened.
    pub fn skip(&mut self) -> Result<(), InputError> {
        let depth = self.depth();
        loop {
            let (event, range) = self.next_inside()?;
            match event {
                Event::End(_) if self.depth() < depth => return Ok(()),
                Event::GeneralRef(r) => {
                    self.resolve(&r, range.start)?;
                }
                _ => {}
            }
        }
    }

    fn code(&self, e: &BytesStart, span: Range<usize>) -> Result<Code, InputError> {
        Ok(Code {
            name: local_name(e),
            id: self.attr(e, "id", span.start)?,
            span,
            closing: false,
        })
    }

    /// An attribute's decoded value, by local name (so `xml:lang` is `lang`).
    pub fn attr(
        &self,
        e: &BytesStart,
        name: &str,
        offset: usize,
    ) -> Result<Option<String>, InputError> {
        for attr in e.attributes() {
            let attr = attr.map_err(|err| self.error(offset, format!("malformed XML: {err}")))?;
            if attr.key.local_name().as_ref() == name.as_bytes() {
                let value = attr
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|err| self.error(offset, format!("malformed XML: {err}")))?;
                return Ok(Some(value.into_owned()));
            }
        }
        Ok(None)
    }

    /// The character an entity reference stands for: only predefined and numeric entities.
    fn resolve(&self, r: &BytesRef, offset: usize) -> Result<char, InputError> {
        let name = String::from_utf8_lossy(r.as_ref()).into_owned();
        if r.is_char_ref() {
            return match r.resolve_char_ref() {
                Ok(Some(c)) => Ok(c),
                _ => Err(self.error(offset, format!("invalid character reference &{name};"))),
            };
        }
        match name.as_str() {
            "amp" => Ok('&'),
            "lt" => Ok('<'),
            "gt" => Ok('>'),
            "quot" => Ok('"'),
            "apos" => Ok('\''),
            _ => Err(self.error(
                offset,
                format!("undefined entity &{name}; (only the five XML entities and numeric references are read)"),
            )),
        }
    }
}

/// An element's name without its namespace prefix.
pub(crate) fn local_name(e: &BytesStart) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_content(text: &str) -> Result<(String, Vec<String>), InputError> {
        let mut scanner = Scanner::new(text);
        while let Some((event, _)) = scanner.next()? {
            if let Event::Start(e) = event {
                if local_name(&e) == "t" {
                    let content = scanner.content()?;
                    let codes = content.codes.iter().map(Code::key).collect();
                    return Ok((content.text(text), codes));
                }
            }
        }
        panic!("no <t>");
    }

    #[test]
    fn entities_cdata_and_inline_codes() {
        let (text, codes) = first_content(
            "<r><t>A &amp; B &#233;<g id=\"1\">bold</g><x id=\"2\"/><ph id=\"3\">&lt;br&gt;</ph><mrk mtype=\"seg\" mid=\"1\"><![CDATA[<c>]]></mrk></t></r>",
        )
        .unwrap();
        assert_eq!(text, "A & B ébold<c>");
        assert_eq!(codes, ["<g id=1>", "</g>", "<x id=2>", "<ph id=3>"]);
    }

    /// Found by fuzzing: with two marks, quick-xml dropped the second uncounted, and
    /// every offset was three bytes short.
    #[test]
    fn byte_order_marks_keep_offsets() {
        for text in [
            "\u{FEFF}<r><t>x &amp; y</t></r>",
            "\u{FEFF}\u{FEFF}<r><t>x &amp; y</t></r>",
        ] {
            let mut scanner = Scanner::new(text);
            let mut found = false;
            while let Some((event, _)) = scanner.next().unwrap() {
                if matches!(&event, Event::Start(e) if local_name(e) == "t") {
                    let content = scanner.content().unwrap();
                    assert_eq!(content.text(text), "x & y");
                    found = true;
                }
            }
            assert!(found, "no <t> in {text:?}");
        }
    }

    #[test]
    fn entity_declarations_are_refused() {
        let text =
            "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY lol \"lol\">]>\n<r><t>&lol;</t></r>";
        let err = first_content(text).unwrap_err();
        assert!(
            matches!(&err, InputError::Malformed { line: 2, column: 1, message } if message.contains("entities")),
            "{err:?}"
        );
    }

    #[test]
    fn undefined_entity_and_unclosed_element_are_errors() {
        assert!(first_content("<r><t>&nbsp;</t></r>").is_err());
        assert!(first_content("<r><t>open").is_err());
        assert!(first_content("<r><t>a</x></r>").is_err());
    }
}
