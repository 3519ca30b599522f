//! terminology: a term base (`--termbase`, TSV or TBX) enforced per unit. When a source term
//! occurs in a unit's source, its target must use a required translation and none of the
//! forbidden ones. Without a term base the check does nothing.

use super::{Analysis, Check, Configurable, Examples, MustFlag, NoOptions};
use crate::finding::{Category, Finding, Severity};
use crate::input::termbase::{Term, TermBase};
use crate::input::Format;
use crate::resources::Resources;
use crate::text::case::match_case;
use std::ops::Range;
use std::sync::Arc;

pub const RULE: &str = "terminology";

#[derive(Default)]
pub struct Terminology {
    termbase: Arc<TermBase>,
}

impl Terminology {
    pub fn new(termbase: TermBase) -> Terminology {
        Terminology {
            termbase: Arc::new(termbase),
        }
    }
}

impl Configurable for Terminology {
    const RULE: &'static str = RULE;
    type Options = NoOptions;

    fn build(resources: &Resources, _: NoOptions) -> Result<Self, String> {
        Ok(Terminology {
            termbase: resources.termbase.clone(),
        })
    }
}

/// Byte ranges where `needle` occurs in `haystack`, ignoring case. `whole_word` requires
/// non-alphanumeric neighbours; otherwise only the start must begin a word (so a source term
/// matches inside compounds and inflected forms: "Flughafen" in "Flughafengebäude").
fn find(haystack: &str, needle: &str, whole_word: bool) -> Vec<Range<usize>> {
    let needle = needle.trim();
    if needle.is_empty() {
        return Vec::new();
    }
    let lower = haystack.to_lowercase();
    // Lowercasing can change byte lengths; only search when it did not.
    if lower.len() != haystack.len() {
        return Vec::new();
    }
    let needle = needle.to_lowercase();
    let boundary = |s: &str, at: usize, before: bool| {
        let c = if before {
            s[..at].chars().next_back()
        } else {
            s[at..].chars().next()
        };
        c.is_none_or(|c| !c.is_alphanumeric())
    };
    lower
        .match_indices(&needle)
        .map(|(i, m)| i..i + m.len())
        .filter(|r| haystack.is_char_boundary(r.start) && haystack.is_char_boundary(r.end))
        .filter(|r| {
            let left =
                boundary(&lower, r.start, true) || !needle.starts_with(char::is_alphanumeric);
            // Allow English plural and genitive endings on whole words.
            let rest = &lower[r.end..];
            let ending = ["", "s", "es", "'s", "’s"]
                .into_iter()
                .filter(|e| rest.starts_with(e))
                .map(str::len)
                .max()
                .unwrap_or(0);
            let right = !whole_word || boundary(&lower, r.end + ending, false);
            left && right
        })
        .collect()
}

impl Terminology {
    fn check_term(
        &self,
        term: &Term,
        unit: &crate::input::Unit,
        block: &Range<usize>,
        out: &mut Vec<Finding>,
    ) {
        let required: Vec<Range<usize>> = term
            .required
            .iter()
            .flat_map(|r| find(&unit.target, r, true))
            .collect();
        let required_found = !required.is_empty();
        let mut forbidden_found = false;
        for forbidden in &term.forbidden {
            // A forbidden term inside a required one ("airport" in "airport terminal") is
            // the required term, used as the term base asks.
            let within_required = |f: &Range<usize>| {
                required
                    .iter()
                    .any(|r| r.start <= f.start && f.end <= r.end)
            };
            for range in find(&unit.target, forbidden, true) {
                if within_required(&range) {
                    continue;
                }
                forbidden_found = true;
                let span = unit.target_span(range.clone());
                let mut finding = Finding::new(
                    self.rule(),
                    Category::Terminology,
                    Severity::Major,
                    span,
                    format!(
                        "“{}” is a forbidden translation of “{}”",
                        forbidden, term.source
                    ),
                )
                .confidence(0.9);
                if let Some(required) = term.required.first() {
                    let replacement = match_case(&unit.target[range], required);
                    finding = finding.suggest(replacement);
                }
                out.push(finding);
            }
        }
        if !required_found && !forbidden_found && !term.required.is_empty() {
            out.push(
                Finding::new(
                    self.rule(),
                    Category::Terminology,
                    Severity::Minor,
                    block.clone(),
                    format!(
                        "the source has “{}”; the term base requires {}",
                        term.source,
                        term.required
                            .iter()
                            .map(|r| format!("“{r}”"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                )
                .confidence(0.7),
            );
        }
    }
}

impl Check for Terminology {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "source terms must be translated as the term base (--termbase) requires"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        if self.termbase.terms.is_empty() {
            return;
        }
        for (unit, source, block, _) in doc.bilingual_units() {
            for term in &self.termbase.terms {
                // Scripts written without spaces (CJK) have no word starts to anchor on.
                let dense = term.source.chars().any(|c| c as u32 >= 0x2E80);
                let found = if dense {
                    source.contains(term.source.as_str())
                } else {
                    !find(source, &term.source, false).is_empty()
                };
                if found {
                    self.check_term(term, unit, &block, out);
                }
            }
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "Der Flughafen ist geschlossen.\tThe air harbour is closed.\n",
                    fixed: Some("Der Flughafen ist geschlossen.\tThe airport is closed.\n"),
                },
                MustFlag {
                    text: "Die Kita öffnet um acht.\tThe kindergarten opens at eight.\n",
                    fixed: None,
                },
            ],
            must_not_flag: &[
                "Der Flughafen ist geschlossen.\tThe airport is closed.\n",
                "Zwei Flughäfen und die Kitas.\tTwo airports and the daycare centres.\n",
                "Die Kitas öffnen um acht.\tDaycare centres open at eight.\n",
            ],
        }
    }

    fn example_format(&self) -> Format {
        Format::Tsv
    }

    fn example_instance(&self) -> Option<Box<dyn Check>> {
        let termbase = TermBase::parse_tsv(
            "Flughafen\tairport\tair harbour|air port\nKita\tdaycare centre|daycare center\n",
        )
        .ok()?;
        Some(Box::new(Terminology::new(termbase)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_terms_at_word_starts() {
        assert_eq!(
            find("Flughafengebäude", "Flughafen", false).first(),
            Some(&(0..9))
        );
        assert!(find("Großflughafen", "flughafen", false).is_empty());
        assert_eq!(
            find("two airports", "airport", true).first(),
            Some(&(4..11))
        );
        assert!(find("airportless", "airport", true).is_empty());
    }

    fn findings(termbase: &str, delivery: &str) -> Vec<Finding> {
        let check = Terminology::new(TermBase::parse_tsv(termbase).unwrap());
        let auditor = crate::audit::Auditor::new(Default::default(), vec![Box::new(check)]);
        let report = auditor.audit_text("d.tsv", delivery, Format::Tsv);
        report.findings().cloned().collect()
    }

    /// Found by fuzzing: a term both required and forbidden was flagged wherever it was
    /// used, with itself as the replacement.
    #[test]
    fn a_forbidden_term_inside_a_required_one_is_not_flagged() {
        let inside = "Flughafen\tairport terminal\tairport|terminal\n";
        let used = "Der Flughafen.\tThe airport terminal is closed.\n";
        assert!(findings(inside, used).is_empty());
        let wrong = "Der Flughafen.\tThe airport is closed.\n";
        let flagged = findings(inside, wrong);
        assert_eq!(flagged.len(), 1);
        assert_eq!(flagged[0].suggestions[0].replacement, "airport terminal");
        assert!(findings("Kai\tquay\tquay\n", "Am Kai.\tAt the quay.\n").is_empty());
    }

    /// Found by fuzzing: a forbidden term that needs no word boundary on its left was
    /// replaced inside a word, where the required term then had none either; the re-audit
    /// flagged the forbidden term inside what the fix wrote, and every run grew the text.
    #[test]
    fn a_forbidden_term_inside_its_replacement_is_not_flagged() {
        let termbase = "Wort\ta-x\t-x\n";
        let flagged = findings(termbase, "Ein Wort.\tThe foo-x-bar.\n");
        assert_eq!(flagged.len(), 1);
        assert_eq!(flagged[0].suggestions[0].replacement, "a-x");
        assert!(findings(termbase, "Ein Wort.\tThe fooa-x-bar.\n").is_empty());
    }
}
