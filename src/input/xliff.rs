//! XLIFF 1.2 (`trans-unit`) and 2.0 (`unit`/`segment`): each target is audited with its
//! source beside it. When the file declares a non-English target and an English source, the
//! source is the English text and is audited alone.

use super::unit::{Content, Read};
use super::xml::{local_name, Scanner};
use super::InputError;
use quick_xml::events::Event;

/// A unit (1.2 `trans-unit`, 2.0 `segment`) being read.
#[derive(Default)]
struct Pending {
    source: Option<Content>,
    target: Option<Content>,
}

pub(crate) fn read(text: &str) -> Result<Read, InputError> {
    let mut scanner = Scanner::new(text);
    let mut read = Read::default();
    let mut seen_root = false;
    let (mut src_lang, mut trg_lang) = (None, None);
    let mut id: Option<String> = None;
    // `translate="no"` marks a unit meant to stay untranslated.
    let mut translate = true;
    let mut notes: Vec<String> = Vec::new();
    let mut pending: Option<Pending> = None;
    while let Some((event, range)) = scanner.next()? {
        let (e, empty) = match &event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                // A 1.2 trans-unit or a 2.0 segment just closed.
                if let Some(unit) = pending.take_if(|_| !in_unit(&scanner)) {
                    let english_source = src_lang.as_deref().is_some_and(is_english)
                        && trg_lang.as_deref().is_some_and(|l| !is_english(l));
                    let (target, source) = if english_source {
                        (unit.source, None)
                    } else {
                        (unit.target, unit.source)
                    };
                    match (target, source) {
                        (Some(target), source) if !target.text(text).trim().is_empty() => {
                            read.push(text, target, source.as_ref(), id.clone(), notes.clone());
                        }
                        (_, Some(source)) if translate => {
                            read.push_missing(text, &source, id.clone());
                        }
                        _ => {}
                    }
                }
                continue;
            }
            _ => continue,
        };
        let name = local_name(e);
        if !seen_root {
            scanner.expect_root(&name, "xliff", "an XLIFF", range.start)?;
            seen_root = true;
            src_lang = scanner.attr(e, "srcLang", range.start)?;
            trg_lang = scanner.attr(e, "trgLang", range.start)?;
            continue;
        }
        match name.as_str() {
            "file" => {
                if let Some(l) = scanner.attr(e, "source-language", range.start)? {
                    src_lang = Some(l);
                }
                if let Some(l) = scanner.attr(e, "target-language", range.start)? {
                    trg_lang = Some(l);
                }
            }
            "trans-unit" | "unit" => {
                id = scanner.attr(e, "id", range.start)?;
                translate = scanner.attr(e, "translate", range.start)?.as_deref() != Some("no");
                notes.clear();
                if name == "trans-unit" && !empty {
                    pending = Some(Pending::default());
                }
            }
            "segment" if !empty => pending = Some(Pending::default()),
            "source" | "target" if !empty && pending.is_some() && parent_is_unit(&scanner) => {
                let content = scanner.content()?;
                if let Some(unit) = pending.as_mut() {
                    if name == "source" {
                        unit.source = Some(content);
                    } else {
                        unit.target = Some(content);
                    }
                }
            }
            "note" if !empty => notes.push(scanner.content()?.text(text)),
            "alt-trans" | "seg-source" | "ignorable" | "originalData" if !empty => {
                scanner.skip()?
            }
            _ => {}
        }
    }
    if !seen_root {
        return Err(scanner.error(0, "not an XLIFF file: no root element"));
    }
    Ok(read)
}

/// True while a 1.2 trans-unit or a 2.0 segment is open.
fn in_unit(scanner: &Scanner) -> bool {
    (0..scanner.depth()).any(|up| matches!(scanner.parent(up), Some("trans-unit" | "segment")))
}

/// True when the element just opened sits directly in a trans-unit or segment.
fn parent_is_unit(scanner: &Scanner) -> bool {
    matches!(scanner.parent(1), Some("trans-unit" | "segment"))
}

/// `en`, `en-US`, `EN_gb` …
pub(crate) fn is_english(lang: &str) -> bool {
    let lang = lang.trim().to_ascii_lowercase();
    lang == "en" || lang.starts_with("en-") || lang.starts_with("en_")
}

#[cfg(test)]
mod tests {
    use crate::input::{Document, Format, InputError};

    fn doc(text: &str) -> Document {
        Document::parse(text.into(), Format::Xliff).unwrap()
    }

    fn blocks(doc: &Document) -> Vec<&str> {
        doc.blocks.iter().map(|b| &doc.prose[b.clone()]).collect()
    }

    #[test]
    fn xliff_1_2_targets_with_sources_and_notes() {
        let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file source-language="de" target-language="en" datatype="plaintext" original="a.txt">
  <body>
   <trans-unit id="1">
    <source>Preis: 27 &amp; mehr</source>
    <target>Price: 27 &amp; more</target>
    <note>mtaudit-disable-line</note>
    <alt-trans><target>Alternative text</target></alt-trans>
   </trans-unit>
   <trans-unit id="2"><source>Nur Quelle</source></trans-unit>
   <trans-unit id="3"><source>Fett <g id="1">hier</g></source><target>Bold <g id="1">here</g></target></trans-unit>
  </body>
 </file>
</xliff>"#;
        let d = doc(text);
        assert_eq!(blocks(&d), ["Price: 27 &     more", "Bold           here"]);
        assert_eq!(d.units[0].source.as_deref(), Some("Preis: 27 & mehr"));
        assert_eq!(d.units[0].target, "Price: 27 & more");
        assert_eq!(d.units[0].id.as_deref(), Some("1"));
        assert_eq!(d.units[0].notes, ["mtaudit-disable-line"]);
        assert_eq!(d.units[1].source_codes.len(), 2);
        assert_eq!(d.units[1].target_codes[0].key(), "<g id=1>");
        let g = &d.units[1].target_codes[0].span;
        assert_eq!(&text[g.clone()], r#"<g id="1">"#);
    }

    #[test]
    fn xliff_2_0_segments() {
        let text = r#"<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="fr" trgLang="en-US">
 <file id="f1"><unit id="u1"><notes><note>check</note></notes>
  <segment id="s1"><source>Bonjour <ph id="1"/>!</source><target>Hello <ph id="1"/>!</target></segment>
  <ignorable><source> </source></ignorable>
  <segment id="s2"><source>Au revoir.</source><target>Goodbye.</target></segment>
 </unit></file></xliff>"#;
        let d = doc(text);
        assert_eq!(
            blocks(&d),
            [format!("Hello {}!", " ".repeat(12)).as_str(), "Goodbye."]
        );
        assert_eq!(d.units[1].id.as_deref(), Some("u1"));
        assert_eq!(d.units[0].notes, ["check"]);
        assert_eq!(d.units[0].target_codes[0].key(), "<ph id=1>");
    }

    #[test]
    fn xml_comments_and_notes_both_suppress() {
        use crate::audit::Auditor;
        let text = r#"<xliff version="1.2"><file source-language="de" target-language="en"><body>
<!-- mtaudit-disable-next-line glossary -->
<trans-unit id="1"><source>a</source><target>The pilot made a forced downsizing.</target></trans-unit>
<trans-unit id="2"><source>b</source><target>The pilot made a forced downsizing.</target>
<note>mtaudit-disable-line glossary</note></trans-unit>
<trans-unit id="3"><source>c</source><target>The pilot made a forced downsizing.</target></trans-unit>
</body></file></xliff>"#;
        let report = Auditor::default().audit_text("t.xlf", text, Format::Xliff);
        let lines: Vec<usize> = report
            .findings()
            .filter(|f| f.rule == "glossary")
            .map(|f| text[..f.span.start].lines().count())
            .collect();
        assert_eq!(lines, [6]);
    }

    #[test]
    fn english_source_with_foreign_target_audits_the_source() {
        let text = r#"<xliff version="2.0" srcLang="en" trgLang="de"><file id="f"><unit id="1"><segment><source>English here.</source><target>Deutsch hier.</target></segment></unit></file></xliff>"#;
        let d = doc(text);
        assert_eq!(blocks(&d), ["English here."]);
        assert_eq!(d.units[0].source, None);
    }

    #[test]
    fn malformed_and_foreign_roots_are_errors_with_positions() {
        let err = Document::parse(
            "<xliff>\n<file><target>x</file></xliff>".into(),
            Format::Xliff,
        )
        .unwrap_err();
        assert!(
            matches!(err, InputError::Malformed { line: 2, .. }),
            "{err:?}"
        );
        let err = Document::parse("<html/>".into(), Format::Xliff).unwrap_err();
        assert!(err.to_string().contains("not an XLIFF file"), "{err}");
        assert!(Document::parse("".into(), Format::Xliff).is_err());
    }
}
