//! TMX: in each `tu`, the English `tuv` is the target and the source language's `tuv`
//! (the header's `srclang`, else the first non-English one) is its source.

use super::unit::{Content, Read};
use super::xliff::is_english;
use super::xml::{local_name, Scanner};
use super::InputError;
use quick_xml::events::Event;

pub(crate) fn read(text: &str) -> Result<Read, InputError> {
    let mut scanner = Scanner::new(text);
    let mut read = Read::default();
    let mut seen_root = false;
    let mut src_lang: Option<String> = None;
    let mut tuid: Option<String> = None;
    let mut notes: Vec<String> = Vec::new();
    // (language, segment) of each variant in the current `tu`.
    let mut variants: Vec<(String, Content)> = Vec::new();
    let mut lang: Option<String> = None;
    while let Some((event, range)) = scanner.next()? {
        let e = match &event {
            Event::Start(e) | Event::Empty(e) => e,
            Event::End(e) => {
                if e.local_name().as_ref() == b"tu" {
                    let variants = std::mem::take(&mut variants);
                    push_tu(
                        &mut read,
                        text,
                        variants,
                        src_lang.as_deref(),
                        &tuid,
                        &notes,
                    );
                }
                continue;
            }
            _ => continue,
        };
        let name = local_name(e);
        let empty = matches!(event, Event::Empty(_));
        if !seen_root {
            scanner.expect_root(&name, "tmx", "a TMX", range.start)?;
            seen_root = true;
            continue;
        }
        match name.as_str() {
            "header" => {
                src_lang = scanner
                    .attr(e, "srclang", range.start)?
                    .filter(|l| !l.eq_ignore_ascii_case("*all*"));
                if !empty {
                    scanner.skip()?;
                }
            }
            "tu" => {
                tuid = scanner.attr(e, "tuid", range.start)?;
                notes.clear();
                variants.clear();
            }
            "tuv" => lang = scanner.attr(e, "lang", range.start)?,
            "seg" if !empty => {
                let content = scanner.content()?;
                variants.push((lang.clone().unwrap_or_default(), content));
            }
            "note" if !empty => notes.push(scanner.content()?.text(text)),
            "prop" if !empty => scanner.skip()?,
            _ => {}
        }
    }
    if !seen_root {
        return Err(scanner.error(0, "not a TMX file: no root element"));
    }
    Ok(read)
}

fn push_tu(
    read: &mut Read,
    text: &str,
    mut variants: Vec<(String, Content)>,
    src_lang: Option<&str>,
    tuid: &Option<String>,
    notes: &[String],
) {
    let source_english = src_lang.is_some_and(is_english);
    let is_source = |l: &str| src_lang.is_some_and(|s| s.eq_ignore_ascii_case(l));
    // The English variant that is not the declared source (or any English one).
    let Some(t) = variants
        .iter()
        .position(|(l, _)| is_english(l) && (!source_english || !is_source(l)))
        .or_else(|| variants.iter().position(|(l, _)| is_english(l)))
    else {
        return;
    };
    let (_, target) = variants.remove(t);
    let source = variants
        .iter()
        .position(|(l, _)| is_source(l))
        .or_else(|| variants.iter().position(|(l, _)| !is_english(l)))
        .map(|i| variants.swap_remove(i).1);
    read.push(text, target, source.as_ref(), tuid.clone(), notes.to_vec());
}

#[cfg(test)]
mod tests {
    use crate::input::{Document, Format};

    #[test]
    fn english_variant_is_the_target() {
        let text = r#"<?xml version="1.0"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
 <header srclang="de-DE" creationtool="x" segtype="sentence" adminlang="en" datatype="plaintext" o-tmf="x"/>
 <body>
  <tu tuid="7"><note>n</note>
   <tuv xml:lang="en-GB"><seg>Twenty <bpt i="1">&lt;b&gt;</bpt>apples<ept i="1">&lt;/b&gt;</ept></seg></tuv>
   <tuv xml:lang="de-DE"><seg>Zwanzig <bpt i="1">&lt;b&gt;</bpt>Äpfel<ept i="1">&lt;/b&gt;</ept></seg></tuv>
  </tu>
  <tu><tuv xml:lang="fr"><seg>Seulement</seg></tuv></tu>
 </body>
</tmx>"#;
        let d = Document::parse(text.into(), Format::Tmx).unwrap();
        assert_eq!(d.blocks.len(), 1);
        assert_eq!(d.units[0].target, "Twenty apples");
        assert_eq!(d.units[0].source.as_deref(), Some("Zwanzig Äpfel"));
        assert_eq!(d.units[0].id.as_deref(), Some("7"));
        assert_eq!(d.units[0].target_codes.len(), 2);
        assert_eq!(
            d.prose[d.blocks[0].clone()]
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["Twenty", "apples"]
        );
    }

    #[test]
    fn not_tmx_and_billion_laughs_are_refused() {
        assert!(Document::parse("<xliff/>".into(), Format::Tmx).is_err());
        let bomb =
            "<!DOCTYPE tmx [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]><tmx><body/></tmx>";
        assert!(Document::parse(bomb.into(), Format::Tmx).is_err());
    }
}
