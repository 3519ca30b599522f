//! `missing-translation`: a unit of a bilingual file whose source was never translated (an
//! empty PO `msgstr`, an XLIFF unit without a `<target>`), reported at its source text. A
//! PO template, where nothing is translated yet, is audited as English instead (see
//! `input/po.rs`); an XLIFF unit marked `translate="no"` is meant to stay as it is.

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::input::Format;

pub struct MissingTranslation;

const RULE: &str = "missing-translation";

/// How much of the source a message quotes.
const EXCERPT_CHARS: usize = 60;

impl Check for MissingTranslation {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "A unit of a bilingual file left without a translation (empty msgstr, no XLIFF target)"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        for missing in doc.missing {
            let source: String = missing
                .source
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let mut excerpt: String = source.chars().take(EXCERPT_CHARS).collect();
            if source.chars().count() > EXCERPT_CHARS {
                excerpt.push('…');
            }
            let unit = missing
                .id
                .as_deref()
                .map(|id| format!(" (unit {id})"))
                .unwrap_or_default();
            out.push(
                Finding::new(
                    RULE,
                    Category::Untranslated,
                    Severity::Major,
                    missing.span.clone(),
                    format!("no translation for “{excerpt}”{unit}"),
                )
                .confidence(0.95),
            );
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[MustFlag {
                text: "msgid \"Hafen\"\nmsgstr \"Harbour\"\n\nmsgid \"Fähre\"\nmsgstr \"\"\n",
                fixed: None,
            }],
            must_not_flag: &[
                "msgid \"Hafen\"\nmsgstr \"Harbour\"\n\nmsgid \"Fähre\"\nmsgstr \"Ferry\"\n",
                "msgid \"\"\nmsgstr \"Language: en\\n\"\n\nmsgid \"Hafen\"\nmsgstr \"\"\n",
            ],
        }
    }

    fn example_format(&self) -> Format {
        Format::Po
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::Auditor;
    use crate::input::Format;

    fn missing(text: &str, format: Format) -> Vec<String> {
        Auditor::default()
            .audit_text("t", text, format)
            .findings()
            .filter(|f| f.rule == super::RULE)
            .map(|f| text[f.span.clone()].to_string())
            .collect()
    }

    #[test]
    fn xliff_units_without_a_target() {
        let xliff = r#"<xliff version="1.2"><file source-language="de" target-language="en"><body>
<trans-unit id="1"><source>Hafen</source><target>Harbour</target></trans-unit>
<trans-unit id="2"><source>Fähre</source></trans-unit>
<trans-unit id="3"><source>Brücke</source><target></target></trans-unit>
<trans-unit id="4" translate="no"><source>Kai</source></trans-unit>
</body></file></xliff>"#;
        assert_eq!(missing(xliff, Format::Xliff), ["Fähre", "Brücke"]);
    }

    #[test]
    fn a_file_with_no_translation_at_all_still_reports() {
        let xliff = r#"<xliff version="2.0" srcLang="de" trgLang="en"><file id="f"><unit id="1"><segment><source>Hafen</source></segment></unit></file></xliff>"#;
        assert_eq!(missing(xliff, Format::Xliff), ["Hafen"]);
    }

    #[test]
    fn po_plural_form_left_empty() {
        let po = "msgid \"Ein Apfel\"\nmsgid_plural \"%d Äpfel\"\nmsgstr[0] \"One apple\"\nmsgstr[1] \"\"\n";
        assert_eq!(missing(po, Format::Po), ["%d Äpfel"]);
    }
}
