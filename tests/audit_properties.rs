//! Every audit of any text, read as plain text and as Markdown, keeps the invariants of
//! `invariants`: a prose view as long as the file with blocks in order, spans inside the
//! file on character boundaries, fixes that never overlap, and fixes that settle. Texts are
//! arbitrary Unicode, Markdown-like syntax, and garbled prose built from the bundled
//! glossary's phrases and example sentences.

mod invariants;

use mtaudit::audit::Auditor;
use mtaudit::input::{Document, Format};
use proptest::prelude::*;
use proptest::sample::select;
use std::sync::LazyLock;

static AUDITOR: LazyLock<Auditor> = LazyLock::new(Auditor::default);

/// The glossary's bad and good phrases and its must-flag sentences: the words and contexts
/// the checks look for.
static GLOSSARY_PIECES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let tsv = std::fs::read_to_string("corpora/glossary/en.tsv").expect("bundled glossary");
    let mut pieces = Vec::new();
    for line in tsv.lines().skip(1).filter(|l| !l.starts_with('#')) {
        let cells: Vec<&str> = line.split('\t').collect();
        // bad, good (alternatives split by `|`), must_flag.
        pieces.extend(cells.first().map(|s| s.to_string()));
        if let Some(good) = cells.get(1) {
            pieces.extend(good.split('|').map(str::to_owned));
        }
        pieces.extend(
            cells
                .get(5)
                .filter(|s| !s.is_empty())
                .map(|s| s.to_string()),
        );
    }
    pieces
});

fn assert_invariants(text: &str) {
    for format in [Format::Text, Format::Markdown] {
        let document = Document::from_text(text.to_owned(), format);
        invariants::assert_document(&document, format);
        let report = AUDITOR.audit_document("prop", document, format);
        invariants::assert_fixes_settle(&AUDITOR, &report, format);
    }
}

/// Pieces of Markdown syntax, of prose and of what the checks look at (numbers, quotes,
/// placeholders, names, German residue).
fn markdownish() -> impl Strategy<Value = String> {
    let piece = select(vec![
        "# ",
        "## ",
        "* ",
        "- ",
        "1. ",
        "> ",
        "`",
        "```\n",
        "~~~",
        "**",
        "_",
        "[",
        "](",
        ")",
        "<!-- ",
        " -->",
        "<div>",
        "</div>",
        "<br/>",
        "---\n",
        "|",
        "\n",
        "\n\n",
        "  \n",
        "\t",
        "    ",
        "https://example.org/a?b=1",
        "www.",
        "@",
        "ed@news.example.com",
        "[^1]",
        "![img](x.png)",
        "&amp;",
        "\\",
        "The ",
        "council ",
        "said ",
        "the ",
        "the the ",
        "4.2 million ",
        "1,234.5",
        "3 %",
        "{0}",
        "%s",
        "\"",
        "“",
        "”",
        "'",
        "’",
        "Ana Ribeiro ",
        "Ribeiro's ",
        "und ",
        "der ",
        "Vertrag ",
        ". ",
        ", ",
        "? ",
        "é",
        "ß",
        "İ",
        "ﬁ",
        "\u{200B}",
        "\u{FEFF}",
        "👍🏽",
        "mtaudit-disable-line ",
    ]);
    proptest::collection::vec(piece, 0..60).prop_map(|parts| parts.concat())
}

/// Garbled prose: the glossary's phrases and sentences, joined by words and punctuation.
fn garbled() -> impl Strategy<Value = String> {
    let glue = select(vec![
        " ",
        " the ",
        " and ",
        ". ",
        ", ",
        "\n\n",
        " of ",
        " in 2021 ",
        " \"",
        "\" ",
        " THE ",
    ]);
    let piece = prop_oneof![
        3 => select(GLOSSARY_PIECES.clone()),
        1 => select(GLOSSARY_PIECES.clone()).prop_map(|s| s.to_uppercase()),
        1 => "[A-Za-z]{1,12}",
    ];
    proptest::collection::vec((piece, glue), 0..16).prop_map(|parts| {
        parts
            .into_iter()
            .flat_map(|(piece, glue)| [piece, glue.to_owned()])
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_unicode_keeps_the_invariants(text in "(?s).{0,300}") {
        assert_invariants(&text);
    }

    #[test]
    fn markdownish_text_keeps_the_invariants(text in markdownish()) {
        assert_invariants(&text);
    }

    #[test]
    fn garbled_prose_keeps_the_invariants(text in garbled()) {
        assert_invariants(&text);
    }
}
