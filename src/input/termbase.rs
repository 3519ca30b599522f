//! Term bases for the `terminology` check: TSV (`source_term<TAB>required_target[<TAB>
//! forbidden1|forbidden2]`, `|` also separating accepted variants of the target) or TBX
//! (v2 `termEntry`/`langSet`/`tig`, v3 `conceptEntry`/`langSec`/`termSec`), where English
//! terms marked deprecated or superseded are forbidden and the others required.

use super::xliff::is_english;
use super::xml::{local_name, Scanner};
use super::InputError;
use quick_xml::events::Event;
use std::path::Path;

/// One source term and what its translation must (and must not) say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub source: String,
    /// Accepted target terms; one of them must appear. Empty: only forbidden terms apply.
    pub required: Vec<String>,
    pub forbidden: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermBase {
    pub terms: Vec<Term>,
}

impl TermBase {
    /// Reads a term base by extension (`.tbx` is TBX, anything else TSV); errors name the
    /// file, line and column.
    pub fn load(path: &Path) -> Result<TermBase, String> {
        let name = path.display();
        let text = super::file::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
        let is_tbx = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("tbx"));
        let parsed = if is_tbx {
            TermBase::parse_tbx(&text)
        } else {
            TermBase::parse_tsv(&text)
        };
        parsed.map_err(|e| format!("{name}:{e}"))
    }

    pub fn parse_tsv(text: &str) -> Result<TermBase, InputError> {
        let mut terms = Vec::new();
        let mut offset = 0;
        for (n, raw) in text.split_inclusive('\n').enumerate() {
            let start = offset;
            offset += raw.len();
            let line = raw
                .trim_end_matches(['\n', '\r'])
                .trim_start_matches('\u{FEFF}');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let is_header = n == 0 && cols[0].trim().eq_ignore_ascii_case("source");
            if is_header {
                continue;
            }
            if cols.len() < 2 || cols[0].trim().is_empty() {
                return Err(InputError::malformed(
                    text,
                    start,
                    "expected source_term<TAB>required_target[<TAB>forbidden|…]",
                ));
            }
            let split = |s: Option<&&str>| -> Vec<String> {
                s.map_or_else(Vec::new, |s| {
                    s.split('|')
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
            };
            terms.push(Term {
                source: cols[0].trim().to_owned(),
                required: split(cols.get(1)),
                forbidden: split(cols.get(2)),
            });
        }
        Ok(TermBase { terms })
    }

    pub fn parse_tbx(text: &str) -> Result<TermBase, InputError> {
        let mut scanner = Scanner::new(text);
        let mut terms = Vec::new();
        // Per concept: (language, term, deprecated) triples.
        let mut concept: Vec<(String, String, bool)> = Vec::new();
        let mut lang = String::new();
        while let Some((event, range)) = scanner.next()? {
            match &event {
                Event::Start(e) => match local_name(e).as_str() {
                    "termEntry" | "conceptEntry" => concept.clear(),
                    "langSet" | "langSec" => {
                        lang = scanner.attr(e, "lang", range.start)?.unwrap_or_default()
                    }
                    "term" => {
                        let term = scanner.content()?.text(text).trim().to_owned();
                        concept.push((lang.clone(), term, false));
                    }
                    "termNote" | "descrip" => {
                        let note = scanner.content()?.text(text).to_ascii_lowercase();
                        if note.contains("deprecated") || note.contains("superseded") {
                            if let Some(last) = concept.last_mut() {
                                last.2 = true;
                            }
                        }
                    }
                    _ => {}
                },
                Event::End(e)
                    if matches!(e.local_name().as_ref(), b"termEntry" | b"conceptEntry") =>
                {
                    terms.extend(concept_terms(&concept));
                }
                _ => {}
            }
        }
        Ok(TermBase { terms })
    }
}

/// A TBX concept's terms as one `Term` per non-English term.
fn concept_terms(concept: &[(String, String, bool)]) -> Vec<Term> {
    let english = |deprecated: bool| -> Vec<String> {
        concept
            .iter()
            .filter(|(l, t, d)| is_english(l) && *d == deprecated && !t.is_empty())
            .map(|(_, t, _)| t.clone())
            .collect()
    };
    let (required, forbidden) = (english(false), english(true));
    concept
        .iter()
        .filter(|(l, t, _)| !is_english(l) && !t.is_empty())
        .map(|(_, source, _)| Term {
            source: source.clone(),
            required: required.clone(),
            forbidden: forbidden.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_term_base() {
        let tb = TermBase::parse_tsv(
            "source\ttarget\tforbidden\n# comment\nBundestag\tBundestag|federal parliament\tFederal Diet\nKita\tdaycare centre\n",
        )
        .unwrap();
        assert_eq!(tb.terms.len(), 2);
        assert_eq!(tb.terms[0].required, ["Bundestag", "federal parliament"]);
        assert_eq!(tb.terms[0].forbidden, ["Federal Diet"]);
        assert!(TermBase::parse_tsv("lonely\n").is_err());
    }

    #[test]
    fn tbx_term_base() {
        let tbx = r#"<?xml version="1.0"?>
<martif type="TBX" xml:lang="en"><text><body>
 <termEntry id="c1">
  <langSet xml:lang="de"><tig><term>Flughafen</term></tig></langSet>
  <langSet xml:lang="en">
   <tig><term>airport</term></tig>
   <tig><term>air harbour</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
  </langSet>
 </termEntry>
</body></text></martif>"#;
        let tb = TermBase::parse_tbx(tbx).unwrap();
        assert_eq!(
            tb.terms,
            [Term {
                source: "Flughafen".into(),
                required: vec!["airport".into()],
                forbidden: vec!["air harbour".into()]
            }]
        );
    }
}
