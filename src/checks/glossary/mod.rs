//! `glossary`: known bad → good phrases, from the bundled `corpora/glossary/en.tsv` and from
//! the user's own glossaries (`--glossary FILE`, the config file).
//!
//! Matching is one aho-corasick automaton per glossary, built once (the bundled one lives in
//! a `OnceLock` for the life of the process), run over one haystack per sentence made of the
//! sentence's normalized words: `" w1 w2 | w3 "`, where every word is followed by a space and
//! anything that is not a word (punctuation, numbers, quotes) becomes a `|` barrier. Patterns
//! are `" b1 b2 "`, so a match always covers whole words, never crosses punctuation, and is
//! case-, apostrophe- and quote-insensitive (the words are `Token::norm`). Hyphenated tokens
//! are split into their parts, so "profound-learning" matches "profound learning"; a match
//! must still begin and end on a token boundary, so "non-profound learning" does not.
//! Entries that allow inflection contribute one pattern per inflected form of their last (or
//! first) word, and the suggestion is re-inflected the same way ("forced downsizings" →
//! "forced landings"); the case of the match carries over to the suggestion.
//!
//! Cost: the bundled glossary (about 800 entries, a few thousand patterns with their
//! inflections) is parsed and compiled once, on first use; each sentence then costs one
//! linear scan of a haystack about as long as the sentence, whatever the glossary's size.
//!
//! Files: `schema.rs` reads glossary files, `matcher.rs` compiles and matches them,
//! `suggestion.rs` words the findings; inflection comes from `Lexicon::inflect` and
//! `Lexicon::variants`, letter case from `text::case`. This file is the check.

mod matcher;
mod schema;
mod suggestion;

pub use matcher::Glossary;
pub use schema::{load_user_glossary, parse_glossary, Context, Entry, GlossaryError, Inflect};

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::Finding;

const RULE: &str = "glossary";
const BUNDLED_TEXT: &str = include_str!("../../../corpora/glossary/en.tsv");
const BUNDLED_NAME: &str = "en.tsv";

/// Confidence of a user entry that does not give one: the user asserted it is an error.
const USER_CONFIDENCE: f32 = 0.9;

/// The `glossary` check over a glossary (the bundled one by default).
pub struct GlossaryCheck {
    glossary: Glossary,
}

impl GlossaryCheck {
    pub fn new(glossary: Glossary) -> GlossaryCheck {
        GlossaryCheck { glossary }
    }

    pub fn glossary(&self) -> &Glossary {
        &self.glossary
    }
}

impl Default for GlossaryCheck {
    fn default() -> Self {
        GlossaryCheck::new(Glossary::bundled())
    }
}

impl super::Configurable for GlossaryCheck {
    const RULE: &'static str = RULE;
    type Options = super::NoOptions;

    fn build(resources: &crate::resources::Resources, _: super::NoOptions) -> Result<Self, String> {
        Ok(GlossaryCheck::new(resources.glossary.clone()))
    }
}

impl Check for GlossaryCheck {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "known garbled phrases (spinner swaps, calques, wrong prepositions) from the bundled and user glossaries"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        self.glossary.find(doc, RULE, out);
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "The team trained a profound learning model on the scans.",
                    fixed: Some("The team trained a deep learning model on the scans."),
                },
                MustFlag {
                    text: "Counterfeit consciousness is changing how radiologists work.",
                    fixed: Some("Artificial intelligence is changing how radiologists work."),
                },
                MustFlag {
                    text: "The pilot declared an emergency and made a forced downsizing near the airport.",
                    fixed: Some(
                        "The pilot declared an emergency and made a forced landing near the airport.",
                    ),
                },
                MustFlag {
                    text: "Two airliners made forced downsizings after the storm grounded flights.",
                    fixed: Some("Two airliners made forced landings after the storm grounded flights."),
                },
                MustFlag {
                    text: "Women over fifty are screened for bosom malignancy every two years.",
                    fixed: Some("Women over fifty are screened for breast cancer every two years."),
                },
                MustFlag {
                    text: "The final price depends of the exchange rate.",
                    fixed: Some("The final price depends on the exchange rate."),
                },
            ],
            must_not_flag: &[
                "The team trained a deep learning model on the scans.",
                "The semester abroad was a profound learning experience for her.",
                "The pilot made a forced landing near the airport.",
                "Unions fought the forced downsizing of the workforce.",
                "Women over fifty are screened for breast cancer every two years.",
                "The final price depends on the exchange rate.",
            ],
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::schema::phrase_words;
    use super::*;
    use crate::audit::Auditor;
    use crate::finding::{Category, Severity};
    use crate::fix::apply_top_suggestions;
    use crate::input::Format;
    use crate::lexicon::Lexicon;
    use std::path::Path;
    use std::sync::Arc;

    fn audit(glossary: &Glossary, text: &str) -> Vec<Finding> {
        let auditor = Auditor::new(
            crate::audit::AuditConfig {
                min_confidence: 0.0,
                ..Default::default()
            },
            vec![Box::new(GlossaryCheck::new(glossary.clone()))],
        );
        auditor
            .audit_text("test", text, Format::Text)
            .findings()
            .cloned()
            .collect()
    }

    fn fix(glossary: &Glossary, text: &str) -> String {
        apply_top_suggestions(text, &audit(glossary, text))
    }

    fn entry_of(finding: &Finding) -> (String, usize) {
        let evidence = finding.evidence.as_deref().unwrap_or_default();
        let rest = evidence
            .strip_prefix("glossary: ")
            .expect("glossary evidence");
        let (source, line) = rest.rsplit_once(" line ").expect("a line number");
        (source.to_owned(), line.parse().expect("a number"))
    }

    fn one(bad: &str, good: &str, inflect: Inflect) -> Glossary {
        let mut entry = Entry::new(bad, good, Category::Terminology);
        entry.inflect = inflect;
        Glossary::from_entries(vec![entry], Lexicon::embedded())
    }

    #[test]
    fn bundled_glossary_is_big_enough_and_documented() {
        let glossary = Glossary::bundled();
        assert!(glossary.len() >= 320, "only {} entries", glossary.len());
        for e in glossary.entries() {
            assert!(
                e.must_flag.is_some(),
                "en.tsv line {}: no must_flag",
                e.line
            );
            assert!(
                e.must_not_flag.is_some(),
                "en.tsv line {}: no must_not_flag",
                e.line
            );
            assert!(
                (0.5..=1.0).contains(&e.confidence),
                "en.tsv line {}: confidence {} is below the reporting threshold",
                e.line,
                e.confidence
            );
        }
    }

    /// Every entry of `glossary` (read from the file `source`) against its own examples: its
    /// must-flag sentence flagged by it with a form of its first good phrase and clean once
    /// fixed, its must-not-flag sentence flagged by no entry.
    pub(crate) fn assert_entries_meet_their_examples(glossary: &Glossary, source: &str) {
        let mut failures = Vec::new();
        for entry in glossary.entries() {
            let line = entry.line;
            let must_flag = entry.must_flag.as_deref().unwrap_or_default();
            let found = audit(glossary, must_flag);
            let own: Vec<&Finding> = found
                .iter()
                .filter(|f| entry_of(f) == (source.to_owned(), line))
                .collect();
            if own.is_empty() {
                let others: Vec<String> = found
                    .iter()
                    .map(|f| format!("{:?} (line {})", &must_flag[f.span.clone()], entry_of(f).1))
                    .collect();
                failures.push(format!(
                    "line {line}: \"{}\" not flagged in {must_flag:?}; other findings: {others:?}",
                    entry.bad
                ));
            } else {
                // The replacement is the entry's first `good`, in the matched word's form: a
                // one-entry glossary for `good` (same inflection) must match it exactly there.
                let hit = own[0];
                let mut replacement = hit.suggestions[0].replacement.as_str();
                // An article taken into the edit ("a" → "an") is not part of the good phrase.
                let matched = phrase_words(&must_flag[hit.span.clone()]);
                let article = |w: &str| matches!(w, "a" | "an");
                if article(&matched[0]) && !article(&entry.words()[0]) {
                    if let Some((_, rest)) = replacement.split_once(char::is_whitespace) {
                        replacement = rest.trim_start();
                    }
                }
                let check = one(&entry.good[0], "x", entry.inflect);
                let placed = format!("{replacement}.");
                let spans: Vec<_> = audit(&check, &placed).into_iter().map(|f| f.span).collect();
                if spans.len() != 1 || spans[0] != (0..replacement.len()) {
                    failures.push(format!(
                        "line {line}: replacement {replacement:?} is not a form of {:?}",
                        entry.good[0]
                    ));
                }
                let fixed = apply_top_suggestions(must_flag, &found);
                for f in audit(glossary, &fixed) {
                    failures.push(format!(
                        "line {line}: the fixed sentence {fixed:?} is still flagged at {:?}",
                        &fixed[f.span.clone()]
                    ));
                }
            }
            let must_not = entry.must_not_flag.as_deref().unwrap_or_default();
            for f in audit(glossary, must_not) {
                failures.push(format!(
                    "line {line}: must_not_flag {must_not:?} flagged at {:?} by line {}",
                    &must_not[f.span.clone()],
                    entry_of(&f).1
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} problems:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    /// Keeps the data honest: every entry flags its own example with its own replacement,
    /// and nothing in the glossary flags any entry's correct sentence.
    #[test]
    fn every_bundled_entry_meets_its_examples() {
        assert_entries_meet_their_examples(&Glossary::bundled(), BUNDLED_NAME);
    }

    /// A good phrase must never itself be a bad phrase: fixes would loop.
    #[test]
    fn no_good_phrase_is_flagged() {
        let glossary = Glossary::bundled();
        for entry in glossary.entries() {
            for good in &entry.good {
                let text = format!("{good}.");
                let found = audit(&glossary, &text);
                assert!(
                    found.is_empty(),
                    "en.tsv line {}: good phrase {good:?} is flagged by line {}",
                    entry.line,
                    entry_of(&found[0]).1
                );
            }
        }
    }

    #[test]
    fn bundled_glossary_is_built_once() {
        let a = Glossary::bundled();
        let b = Glossary::bundled();
        assert!(Arc::ptr_eq(&a.inner, &b.inner));
        // Adding nothing keeps the shared automaton too.
        let c = b.with_entries(Vec::new());
        assert!(Arc::ptr_eq(&a.inner, &c.inner));
    }

    #[test]
    fn inflects_the_match_and_the_suggestion() {
        let g = one("forced downsizing", "forced landing", Inflect::Last);
        assert_eq!(fix(&g, "Two forced downsizings."), "Two forced landings.");
        assert_eq!(
            fix(&g, "The forced downsizing’s cause."),
            "The forced landing’s cause."
        );
        let g = one("bosom malignancy", "breast cancer", Inflect::Last);
        assert_eq!(fix(&g, "Rare bosom malignancies."), "Rare breast cancers.");
        let g = one("depend of", "depend on", Inflect::First);
        assert_eq!(fix(&g, "It depends of you."), "It depends on you.");
        assert_eq!(fix(&g, "It depended of you."), "It depended on you.");
        assert_eq!(fix(&g, "Depending of the day."), "Depending on the day.");
        let g = one("score an objective", "score a goal", Inflect::First);
        assert_eq!(fix(&g, "He scored an objective."), "He scored a goal.");
        let g = one("realize a study", "make a study", Inflect::First);
        assert_eq!(fix(&g, "They realized a study."), "They made a study.");
        let g = one("achieve a photo", "take a photo", Inflect::First);
        assert_eq!(fix(&g, "They achieved a photo."), "They took a photo.");
        assert_eq!(fix(&g, "It was achieved a photo."), "It was taken a photo.");
        assert_eq!(fix(&g, "Achieving a photo."), "Taking a photo.");
        let g = one("stop", "halt", Inflect::Last);
        assert_eq!(fix(&g, "They stopped."), "They halted.");
        let g = one("quick study", "crisis", Inflect::Last);
        assert_eq!(fix(&g, "Quick studies."), "Crises.");
        // Not inflectable: plural forms are not matched.
        let g = one("colossal information", "big data", Inflect::No);
        assert_eq!(fix(&g, "Colossal informations."), "Colossal informations.");
    }

    #[test]
    fn keeps_case_apostrophes_and_hyphen_variants() {
        let g = one("profound learning", "deep learning", Inflect::No);
        assert_eq!(fix(&g, "Profound learning works."), "Deep learning works.");
        assert_eq!(fix(&g, "PROFOUND LEARNING works."), "DEEP LEARNING works.");
        assert_eq!(fix(&g, "On Profound Learning."), "On Deep Learning.");
        assert_eq!(
            fix(&g, "A profound-learning model."),
            "A deep learning model."
        );
        assert_eq!(
            fix(&g, "A profound‑learning model."),
            "A deep learning model."
        );
        let g = one("Alzheimer's illness", "Alzheimer's disease", Inflect::No);
        assert_eq!(
            fix(&g, "For alzheimer’s illness."),
            "For Alzheimer’s disease."
        );
        let g = one(
            "condition of the workmanship",
            "state of the art",
            Inflect::No,
        );
        assert_eq!(
            fix(&g, "Condition Of The Workmanship Methods."),
            "State of the Art Methods."
        );
    }

    #[test]
    fn fixes_the_article_before_the_match() {
        let g = one("arbitrary woodland", "random forest", Inflect::Last);
        assert_eq!(
            fix(&g, "We fit an arbitrary woodland."),
            "We fit a random forest."
        );
        assert_eq!(
            fix(&g, "An arbitrary woodland works."),
            "A random forest works."
        );
        assert_eq!(fix(&g, "Two arbitrary woodlands."), "Two random forests.");
        let g = one("hard circle drive", "optical drive|disk drive", Inflect::No);
        let found = audit(&g, "Buy a\nhard circle drive.");
        assert_eq!(found[0].suggestions[0].replacement, "an\noptical drive");
        assert_eq!(found[0].suggestions[1].replacement, "a\ndisk drive");
        let g = one("beam diffraction", "X-ray diffraction", Inflect::No);
        assert_eq!(
            fix(&g, "Use a beam diffraction."),
            "Use an X-ray diffraction."
        );
        let g = one("nutrient", "unit", Inflect::No);
        assert_eq!(fix(&g, "It is a nutrient."), "It is a unit.");
    }

    #[test]
    fn matches_whole_words_only() {
        let g = one("profound learning", "deep learning", Inflect::No);
        for text in [
            "Unprofound learning.",
            "A profound learnings.",
            "Profound, learning.",
            "The non-profound learning.",
            "A profound learning-style.",
            "Profound \"learning\".",
        ] {
            assert!(audit(&g, text).is_empty(), "flagged {text:?}");
        }
        // Across a line break inside one sentence is still a match.
        assert_eq!(
            fix(&g, "A profound\nlearning model."),
            "A deep learning model."
        );
    }

    #[test]
    fn masked_markdown_separates_words() {
        let g = one("a such", "such a", Inflect::No);
        let auditor = Auditor::new(
            Default::default(),
            vec![Box::new(GlossaryCheck::new(g.clone()))],
        );
        let text = "Throws a [`System Error`][] such as `EADDRINUSE`.\n";
        let report = auditor.audit_text("t.md", text, Format::Markdown);
        assert_eq!(report.findings().count(), 0);
        assert_eq!(fix(&g, "Never a such day."), "Never such a day.");
    }

    /// Found by fuzzing: a good phrase that contains the bad one was flagged in turn, and
    /// each fix added to it ("big data set set").
    #[test]
    fn a_match_inside_its_own_good_phrase_is_not_flagged() {
        let g = one("big data", "large data|big data set", Inflect::No);
        assert_eq!(
            fix(&g, "We used a big data set. We used big data."),
            "We used a big data set. We used large data."
        );
        let g = one("data", "raw data", Inflect::No);
        assert_eq!(
            fix(&g, "The raw data. The data."),
            "The raw data. The raw data."
        );
        // Found by fuzzing: a good phrase with a full stop in it, which ends a sentence.
        let g = one("g", "gdo4.g", Inflect::No);
        assert_eq!(
            fix(&g, "A gdo4.g here. A g there."),
            "A gdo4.g here. A gdo4.g there."
        );
    }

    #[test]
    fn prefers_the_longest_match() {
        let g = Glossary::from_entries(
            vec![
                Entry::new(
                    "neural organization",
                    "neural network",
                    Category::Terminology,
                ),
                Entry::new(
                    "convolutional neural organization",
                    "convolutional neural network",
                    Category::Terminology,
                ),
            ],
            Lexicon::embedded(),
        );
        let found = audit(&g, "A convolutional neural organization.");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].suggestions[0].replacement,
            "convolutional neural network"
        );
    }

    #[test]
    fn unless_and_requires_contexts() {
        let text = "bad\tgood\tcategory\tunless\trequires\n\
                    profound learning\tdeep learning\tterminology\t_ experience|^ _\t\n\
                    forced downsizing\tforced landing\tterminology\t\tflight*|plane\n";
        let g = Glossary::from_entries(parse_glossary(text, "t.tsv").unwrap(), Lexicon::embedded());
        assert!(audit(&g, "It was a profound learning experience.").is_empty());
        assert!(audit(&g, "“Profound learning is rare,” she said.").is_empty());
        assert_eq!(audit(&g, "We used profound learning.").len(), 1);
        assert!(audit(&g, "The forced downsizing of staff.").is_empty());
        assert_eq!(
            audit(&g, "The plane was diverted. It made a forced downsizing.").len(),
            1
        );
        assert_eq!(audit(&g, "The forced downsizing of two flights.").len(), 1);
        assert!(audit(&g, "The plane landed.\n\nThe forced downsizing of staff.").is_empty());

        let text = "bad\tgood\tcategory\tunless\n\
                    discuss about\tdiscuss\tgrammar\t_ #|_ $|_ ten\n";
        let g = Glossary::from_entries(parse_glossary(text, "t.tsv").unwrap(), Lexicon::embedded());
        assert!(audit(&g, "We discuss about 20 topics.").is_empty());
        assert!(audit(&g, "We discuss about ten topics.").is_empty());
        assert!(audit(&g, "What do we discuss about?").is_empty());
        assert_eq!(audit(&g, "We discuss about the plan.").len(), 1);
    }

    #[test]
    fn findings_carry_category_severity_confidence_and_evidence() {
        let glossary = Glossary::bundled();
        let found = audit(
            &glossary,
            "The pilot of the flight made a forced downsizing.",
        );
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(f.rule, "glossary");
        assert_eq!(f.category, Category::Terminology);
        assert_eq!(f.severity, Severity::Major);
        assert!(f
            .evidence
            .as_deref()
            .unwrap()
            .starts_with("glossary: en.tsv line "));
        assert!(f.message.contains("forced landing"));
        let found = audit(&glossary, "It depends of you.");
        assert_eq!(found[0].category, Category::Grammar);
        assert_eq!(found[0].severity, Severity::Minor);
    }

    #[test]
    fn user_glossary_simple_and_with_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("house.tsv");
        std::fs::write(
            &path,
            "\u{FEFF}# house terms\r\nclient portal\tcustomer portal\tterminology\tour style\r\n\
             log in to\tsign in to|log on to\tstyle\r\n\r\n",
        )
        .unwrap();
        let entries = load_user_glossary(&path).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].note.as_deref(), Some("our style"));
        assert_eq!(entries[1].good, ["sign in to", "log on to"]);
        assert_eq!(entries[1].line, 3);
        assert_eq!(entries[0].confidence, USER_CONFIDENCE);

        let g = Glossary::bundled().with_entries(entries);
        let found = audit(&g, "Log in to the client portal.");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].suggestions[0].replacement, "Sign in to");
        assert_eq!(found[0].suggestions[1].replacement, "Log on to");
        assert_eq!(found[0].severity, Severity::Minor);
        assert_eq!(found[1].severity, Severity::Major);
        let evidence = found[1].evidence.as_deref().unwrap();
        assert!(evidence.ends_with("house.tsv line 2"), "{evidence}");

        let header = "bad\tgood\tcategory\tconfidence\tinflect\n\
                      widget thing\twidget\tstyle\t0.6\tyes\n";
        let entries = parse_glossary(header, "h.tsv").unwrap();
        assert_eq!(entries[0].inflect, Inflect::Last);
        let g = Glossary::from_entries(entries, Lexicon::embedded());
        assert_eq!(fix(&g, "Widget things."), "Widgets.");
    }

    #[test]
    fn user_entries_override_bundled_ones() {
        let mut entry = Entry::new("profound learning", "deep neural learning", Category::Style);
        entry.line = 7;
        let g = Glossary::bundled().with_entries([entry]);
        assert_eq!(g.len(), Glossary::bundled().len());
        assert_eq!(
            fix(&g, "We used profound learning."),
            "We used deep neural learning."
        );
    }

    fn parse_error(text: &str) -> String {
        parse_glossary(text, "g.tsv").unwrap_err().to_string()
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        assert_eq!(
            parse_error("# c\nok phrase\tfine\tstyle\nonly two\tcolumns\n"),
            "g.tsv:3: expected at least 3 tab-separated columns (bad, good, category), found 2"
        );
        assert_eq!(
            parse_error("a b\tc\tstyle\tnote\textra\n"),
            "g.tsv:1: expected at most 4 tab-separated columns (bad, good, category, note), found 5; add a header row to use more columns"
        );
        assert!(
            parse_error("\n\nx y\tz\tcolour\n").starts_with("g.tsv:3: unknown category `colour`")
        );
        assert_eq!(parse_error("\tz\tstyle\n"), "g.tsv:1: `bad` is empty");
        assert_eq!(
            parse_error("x y\t\tstyle\n"),
            "g.tsv:1: `good` is empty for \"x y\""
        );
        assert_eq!(
            parse_error("x, y\tz\tstyle\n"),
            "g.tsv:1: `bad` phrase \"x, y\" contains `,`; only words can be matched"
        );
        assert_eq!(
            parse_error("X Y\tx-y\tstyle\n"),
            "g.tsv:1: `good` alternative \"x-y\" is the same as `bad`"
        );
        assert_eq!(
            parse_error("a b\tc\tstyle\nA  B\td\tstyle\n"),
            "g.tsv:2: duplicate entry \"A  B\" (first on line 1)"
        );
        assert_eq!(
            parse_error("bad\tgood\tcategory\tconfidence\na b\tc\tstyle\t1.5\n"),
            "g.tsv:2: `confidence` must be a number from 0 to 1, not `1.5`"
        );
        assert_eq!(
            parse_error("bad\tgood\tcategory\tinflect\na b\tc\tstyle\tmaybe\n"),
            "g.tsv:2: `inflect` must be yes, no or first, not `maybe`"
        );
        assert_eq!(
            parse_error("bad\tgood\tcategory\tunless\na b\tc\tstyle\tthe b\n"),
            "g.tsv:2: `unless` context `the b` has no `_` for the phrase"
        );
        assert!(parse_error("bad\tgood\tkind\n").starts_with("g.tsv:1: unknown column `kind`"));
        assert_eq!(
            parse_error("bad\tgood\n"),
            "g.tsv:1: the header has no `category` column"
        );
    }

    #[test]
    fn unreadable_and_invalid_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.tsv");
        let e = load_user_glossary(&missing).unwrap_err().to_string();
        assert!(e.starts_with(&missing.display().to_string()), "{e}");
        let bad = dir.path().join("latin1.tsv");
        std::fs::write(&bad, b"a b\tc\tstyle\nd\xe9j\xe0\tc\tstyle\n").unwrap();
        let e = load_user_glossary(&bad).unwrap_err().to_string();
        assert!(e.ends_with(":2: invalid UTF-8 at byte 13"), "{e}");
    }

    #[test]
    fn a_file_that_is_no_glossary_is_not_quoted() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("shadow");
        std::fs::write(&secret, "root.secret-hash\tx\ty\nmore\n").unwrap();
        let e = load_user_glossary(&secret).unwrap_err().to_string();
        assert!(e.contains(":1: not a glossary row"), "{e}");
        assert!(!e.contains("secret-hash"), "{e}");
        let glossary = dir.path().join("g.tsv");
        std::fs::write(&glossary, "a b\tc\tstyle\nx, y\tz\tstyle\n").unwrap();
        let e = load_user_glossary(&glossary).unwrap_err().to_string();
        assert!(
            e.ends_with(":2: `bad` phrase \"x, y\" contains `,`; only words can be matched"),
            "{e}"
        );
    }

    /// The glossary stays silent on the clean texts and references of the example corpus.
    #[test]
    fn silent_on_example_clean_texts() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/examples");
        let Ok(dirs) = std::fs::read_dir(&root) else {
            return;
        };
        let glossary = Glossary::bundled();
        let mut files = Vec::new();
        for dir in dirs.flatten() {
            let path = dir.path();
            files.push(path.join("reference.txt"));
            if let Ok(clean) = std::fs::read_dir(&path) {
                files.extend(clean.flatten().map(|e| e.path()).filter(|p| {
                    p.extension().is_some_and(|x| x == "txt") && path.ends_with("clean")
                }));
            }
        }
        let mut noisy = Vec::new();
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            for f in audit(&glossary, &text) {
                noisy.push(format!("{}: {:?}", file.display(), &text[f.span.clone()]));
            }
        }
        assert!(noisy.is_empty(), "{}", noisy.join("\n"));
    }
}
