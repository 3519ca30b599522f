//! untranslated: a target identical to its source, words of a non-Latin script left in the
//! English target, or a run of source words copied into the target that are not English.

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::input::{Format, Unit};
use crate::lexicon::Lexicon;
use std::ops::Range;

pub struct Untranslated {
    lexicon: &'static Lexicon,
}

pub const RULE: &str = "untranslated";

impl Untranslated {
    pub fn new(lexicon: &'static Lexicon) -> Self {
        Untranslated { lexicon }
    }
}

/// Unicode scripts that matter here; everything else is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
    Armenian,
    Hebrew,
    Arabic,
    Indic,
    Thai,
    Georgian,
    Hangul,
    Kana,
    Han,
    Other,
}

impl Script {
    fn of(c: char) -> Script {
        match c as u32 {
            0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF => Script::Latin,
            0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
            0x400..=0x52F => Script::Cyrillic,
            0x530..=0x58F => Script::Armenian,
            0x590..=0x5FF => Script::Hebrew,
            0x600..=0x6FF | 0x750..=0x77F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => Script::Arabic,
            0x900..=0xDFF => Script::Indic,
            0xE00..=0xE7F => Script::Thai,
            0x10A0..=0x10FF => Script::Georgian,
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
            0x3040..=0x30FF => Script::Kana,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF => Script::Han,
            _ => Script::Other,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Script::Latin => "Latin",
            Script::Greek => "Greek",
            Script::Cyrillic => "Cyrillic",
            Script::Armenian => "Armenian",
            Script::Hebrew => "Hebrew",
            Script::Arabic => "Arabic",
            Script::Indic => "Indic",
            Script::Thai => "Thai",
            Script::Georgian => "Georgian",
            Script::Hangul => "Hangul",
            Script::Kana => "Japanese kana",
            Script::Han => "Chinese characters",
            Script::Other => "other",
        }
    }
}

/// The script most of the text's letters are written in.
fn main_script(text: &str) -> Option<Script> {
    let mut counts: Vec<(Script, usize)> = Vec::new();
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        let s = Script::of(c);
        match counts.iter_mut().find(|(k, _)| *k == s) {
            Some((_, n)) => *n += 1,
            None => counts.push((s, 1)),
        }
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(s, _)| s)
}

/// Words (by byte range of `text`) whose letters are in a script other than Latin.
fn foreign_runs(text: &str) -> Vec<(Range<usize>, Script)> {
    let mut runs: Vec<(Range<usize>, Script)> = Vec::new();
    for (i, c) in text.char_indices() {
        let script = Script::of(c);
        if !c.is_alphabetic() || matches!(script, Script::Latin | Script::Other) {
            continue;
        }
        let end = i + c.len_utf8();
        match runs.last_mut() {
            // Same script, separated only by spaces or punctuation inside a phrase.
            Some((r, s))
                if *s == script
                    && text[r.end..i].chars().all(|c| !c.is_alphanumeric())
                    && text[r.end..i].len() <= 3 =>
            {
                r.end = end
            }
            _ => runs.push((i..end, script)),
        }
    }
    runs
}

fn words(text: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let inner = c.is_alphanumeric() || c == '\'' || c == '-';
        match (inner, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s..i, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    out
}

impl Untranslated {
    fn identical(&self, unit: &Unit, source: &str) -> Option<Finding> {
        let fold = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        let target_words = words(&unit.target);
        let lettered = target_words
            .iter()
            .filter(|(_, w)| w.chars().any(char::is_alphabetic))
            .count();
        // Names and short labels are often the same in both languages.
        let all_capitalized = target_words
            .iter()
            .all(|(_, w)| !w.starts_with(|c: char| c.is_lowercase()));
        if fold(&unit.target) != fold(source) || lettered < 3 || all_capitalized {
            return None;
        }
        Some(
            Finding::new(
                self.rule(),
                Category::Untranslated,
                Severity::Major,
                unit.target_span(0..unit.target.len()),
                "the translation is identical to the source",
            )
            .confidence(0.8),
        )
    }

    /// Three or more consecutive words copied from the source that English does not know.
    fn copied(&self, unit: &Unit, source: &str, out: &mut Vec<Finding>) {
        let lexicon = self.lexicon;
        if lexicon.is_empty() {
            return;
        }
        let source_words: std::collections::HashSet<String> = words(source)
            .into_iter()
            .map(|(_, w)| w.to_lowercase())
            .collect();
        let target_words = words(&unit.target);
        let foreign = |w: &str| {
            let lower = w.to_lowercase();
            w.chars().any(char::is_alphabetic)
                && source_words.contains(&lower)
                && !lexicon.contains(&lower)
                && !w.starts_with(|c: char| c.is_uppercase())
        };
        let mut run: Vec<&(Range<usize>, &str)> = Vec::new();
        for word in target_words.iter().chain(std::iter::once(&(0..0, ""))) {
            if !word.1.is_empty() && foreign(word.1) {
                run.push(word);
                continue;
            }
            if run.len() >= 3 {
                let span = run[0].0.start..run[run.len() - 1].0.end;
                out.push(
                    Finding::new(
                        self.rule(),
                        Category::Untranslated,
                        Severity::Major,
                        unit.target_span(span),
                        "these words are copied from the source and are not English",
                    )
                    .confidence(0.7),
                );
            }
            run.clear();
        }
    }
}

impl Check for Untranslated {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "a translation identical to its source, or left in the source's language or script"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        for (unit, source, _, _) in doc.bilingual_units() {
            if let Some(finding) = self.identical(unit, source) {
                out.push(finding);
                continue;
            }
            let source_script = main_script(source);
            for (range, script) in foreign_runs(&unit.target) {
                let from_source = source_script == Some(script);
                out.push(
                    Finding::new(
                        self.rule(),
                        Category::Untranslated,
                        Severity::Major,
                        unit.target_span(range),
                        format!("{} text in the English translation", script.name()),
                    )
                    .confidence(if from_source { 0.8 } else { 0.6 }),
                );
            }
            self.copied(unit, source, out);
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "Bitte warten Sie einen Moment.\tBitte warten Sie einen Moment.\n",
                    fixed: None,
                },
                MustFlag {
                    text: "Москва – столица России.\tMoscow is the столица of Russia.\n",
                    fixed: None,
                },
                MustFlag {
                    text: "Das Formular wurde erfolgreich gespeichert.\tThe form wurde erfolgreich gespeichert.\n",
                    fixed: None,
                },
            ],
            must_not_flag: &[
                "Microsoft Word\tMicrosoft Word\n",
                "Der Zug fährt bald ab.\tThe train leaves soon.\n",
                "Ich wohne in Berlin.\tI live in Berlin.\n",
                "Sie sagte „Danke“.\tShe said “thank you”.\n",
            ],
        }
    }

    fn example_format(&self) -> Format {
        Format::Tsv
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_runs() {
        assert_eq!(main_script("Привет мир"), Some(Script::Cyrillic));
        assert_eq!(main_script("Hello"), Some(Script::Latin));
        let runs = foreign_runs("Moscow is the столица России now");
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].1, Script::Cyrillic);
    }
}
