//! The bilingual readers never panic: every fixture cut at every character, and generated
//! fragments of XML, PO and CSV syntax, read in every format. Whatever reads keeps the
//! prose view's invariants (same length as the file, blocks in order and unit spans inside
//! it), and a sample of the documents is audited with every check, keeping the audit's
//! invariants (`invariants`: spans, fixes that do not overlap and settle, files that still
//! read).

mod invariants;

use mtaudit::audit::Auditor;
use mtaudit::input::{Document, Format, InputError};
use proptest::prelude::*;
use std::sync::LazyLock;

static AUDITOR: LazyLock<Auditor> = LazyLock::new(Auditor::default);

const FORMATS: [Format; 7] = [
    Format::Text,
    Format::Markdown,
    Format::Xliff,
    Format::Po,
    Format::Tmx,
    Format::Tsv,
    Format::Csv,
];

fn holds_invariants(text: &str, format: Format) -> Option<Document> {
    match Document::parse(text.to_owned(), format) {
        Ok(doc) => {
            invariants::assert_document(&doc, format);
            Some(doc)
        }
        Err(InputError::Malformed { line, column, .. }) => {
            assert!(line >= 1 && column >= 1);
            None
        }
        Err(other) => panic!("unexpected error {other:?}"),
    }
}

#[test]
fn every_fixture_cut_anywhere_reads_or_errs_cleanly() {
    let mut audited = 0;
    for dir in ["tests/cmd/bilingual.in", "tests/cmd/bilingual.in/malformed"] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if !path.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let cuts: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for (k, &cut) in cuts.iter().enumerate() {
                for format in FORMATS {
                    let doc = holds_invariants(&text[..cut], format);
                    if let Some(doc) = doc.filter(|_| k % 61 == 0 && format.is_bilingual()) {
                        let report = AUDITOR.audit_document("cut", doc, format);
                        invariants::assert_fixes_settle(&AUDITOR, &report, format);
                        audited += 1;
                    }
                }
            }
        }
    }
    assert!(audited > 50);
}

#[test]
fn a_byte_order_mark_changes_no_unit() {
    for entry in std::fs::read_dir("tests/cmd/bilingual.in").unwrap() {
        let path = entry.unwrap().path();
        let format = Format::from_path(&path);
        if !path.is_file() || !format.is_bilingual() {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // (terms.tsv is a term base, not a delivery.)
        let Ok(plain) = Document::parse(text.clone(), format) else {
            continue;
        };
        let with_bom = holds_invariants(&format!("\u{FEFF}{text}"), format).unwrap();
        let shifted: Vec<_> = plain
            .blocks
            .iter()
            .map(|b| b.start + 3..b.end + 3)
            .collect();
        assert_eq!(shifted, with_bom.blocks, "{path:?}");
        let targets = |d: &Document| {
            d.units
                .iter()
                .map(|u| (u.target.clone(), u.source.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(targets(&plain), targets(&with_bom), "{path:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn generated_fragments_never_panic(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("<xliff version=\"1.2\">"), Just("<tmx>"), Just("<tu>"), Just("<tuv xml:lang=\"en\">"),
                Just("<trans-unit id=\"1\">"), Just("<source>"), Just("</source>"), Just("<target>"),
                Just("</target>"), Just("<seg>"), Just("</seg>"), Just("<g id=\"1\">"), Just("</g>"),
                Just("<x/>"), Just("<bpt>"), Just("</bpt>"), Just("&amp;"), Just("&#233;"), Just("&#0;"),
                Just("&bogus;"), Just("<![CDATA[x]]>"), Just("<!DOCTYPE x>"), Just("msgid "),
                Just("msgstr "), Just("msgstr[1] "), Just("\""), Just("\\"), Just("\\\""), Just("\\n"),
                Just("\\x4"), Just("\\101"), Just("#"), Just("\n"), Just("\r\n"), Just("\t"), Just(","),
                Just("\"\""), Just("27"), Just("1.234,5"), Just("{0}"), Just("%s"), Just("é"), Just("ж"),
                Just("Die "), Just("the forced downsizing "), Just(" "),
            ],
            0..40,
        )
    ) {
        let text: String = parts.concat();
        for format in FORMATS {
            if let Some(doc) = holds_invariants(&text, format) {
                let report = AUDITOR.audit_document("gen", doc, format);
                invariants::assert_fixes_settle(&AUDITOR, &report, format);
            }
        }
    }
}
