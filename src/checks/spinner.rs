//! `spinner`: the substitutions article spinners make everywhere ("White Home" for White
//! House, "folks" for people, "mentioned" for said after a speaker, "Could 22" for May 22).
//!
//! The fingerprints are data, `corpora/spinner/fingerprints.tsv`, in the glossary's format
//! (with `when` contexts that say where a word is a swap) and matched by the glossary's
//! matcher. One fingerprint alone is weak evidence for most entries, and its confidence says
//! so; several distinct fingerprints in one document are strong evidence that the whole
//! document was spun, and `crate::context::spinning` then raises the confidence of every
//! fingerprint and every context finding in it.

use super::glossary::{parse_glossary, Glossary};
use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::Finding;
use crate::lexicon::Lexicon;
use std::sync::OnceLock;

pub const RULE: &str = "spinner";
const FINGERPRINTS_TEXT: &str = include_str!("../../corpora/spinner/fingerprints.tsv");
const FINGERPRINTS_NAME: &str = "fingerprints.tsv";

static FINGERPRINTS: OnceLock<Glossary> = OnceLock::new();

/// The bundled fingerprints compiled with `lexicon`: once per process for the lexicon of the
/// first run (the embedded one), afresh for another.
fn fingerprints(lexicon: &'static Lexicon) -> Glossary {
    let compile = || {
        let entries = parse_glossary(FINGERPRINTS_TEXT, FINGERPRINTS_NAME)
            .unwrap_or_else(|e| panic!("the bundled spinner fingerprints are invalid: {e}"));
        Glossary::from_entries(entries, lexicon)
    };
    let compiled = FINGERPRINTS.get_or_init(compile);
    if std::ptr::eq(compiled.lexicon(), lexicon) {
        compiled.clone()
    } else {
        compile()
    }
}

pub struct SpinnerCheck {
    fingerprints: Glossary,
}

impl SpinnerCheck {
    pub fn new(lexicon: &'static Lexicon) -> Self {
        SpinnerCheck {
            fingerprints: fingerprints(lexicon),
        }
    }
}

impl Check for SpinnerCheck {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "A substitution article spinners make (\"White Home\", \"folks\" for people, \"mentioned\" for said); several in one document mark it as machine-spun."
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        let first = out.len();
        self.fingerprints.find(doc, RULE, out);
        for finding in &mut out[first..] {
            let written = &doc.text[finding.span.clone()];
            let top = finding
                .suggestions
                .first()
                .map_or("", |s| s.replacement.as_str());
            finding.message =
                format!("“{written}” reads as an article spinner's substitution for “{top}”");
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "The White Home said on Could 4 that talks would resume.",
                    fixed: Some("The White House said on May 4 that talks would resume."),
                },
                // Weak fingerprints alone, shown once the document reads as spun.
                MustFlag {
                    text: "More than 300 folks were evacuated, officials mentioned. The White Home said the Nationwide Guard would help.",
                    fixed: Some("More than 300 people were evacuated, officials said. The White House said the National Guard would help."),
                },
            ],
            must_not_flag: &[
                "The White House said on May 4 that talks would resume.",
                "My folks mentioned the storm when I called them.",
                "She could be home by 6 if the trains run.",
                "The realm of possibility is wider than you think.",
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::glossary::tests::assert_entries_meet_their_examples;

    #[test]
    fn every_fingerprint_meets_its_examples() {
        assert_entries_meet_their_examples(&fingerprints(Lexicon::embedded()), FINGERPRINTS_NAME);
    }

    #[test]
    fn every_fingerprint_has_examples() {
        for entry in fingerprints(Lexicon::embedded()).entries() {
            assert!(
                entry.must_flag.is_some() && entry.must_not_flag.is_some(),
                "{FINGERPRINTS_NAME} line {}: \"{}\" needs a must_flag and a must_not_flag example",
                entry.line,
                entry.bad
            );
        }
    }
}
