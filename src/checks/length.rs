//! length: a target far longer or shorter than its source predicts. The expected ratio is
//! estimated over the document's own units (median and median absolute deviation of the log
//! length ratio), so it adapts to any language pair; with few units a wide default applies.

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::input::Format;

pub struct Length;

/// Sources shorter than this (in characters) say too little about the target's length.
const MIN_SOURCE_CHARS: usize = 20;
/// Units needed before the document's own ratio is trusted.
const MIN_UNITS: usize = 8;
/// A unit is an outlier beyond this many robust standard deviations …
const MAX_Z: f64 = 4.0;
/// … and beyond this factor from the expected length, whatever the spread.
const MIN_FACTOR: f64 = 2.0;
/// With too few units: expected ratio 1, flagged beyond this factor.
const DEFAULT_FACTOR: f64 = 3.0;

fn chars(text: &str) -> usize {
    text.split_whitespace()
        .map(|w| w.chars().count())
        .sum::<usize>()
        + text.split_whitespace().count().saturating_sub(1)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

impl Check for Length {
    fn rule(&self) -> &'static str {
        "length"
    }

    fn description(&self) -> &'static str {
        "a translation much longer or shorter than its source predicts (omission or addition)"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        let units: Vec<_> = doc
            .bilingual_units()
            .filter(|(_, source, _, _)| chars(source) >= MIN_SOURCE_CHARS)
            .map(|(unit, source, block, _)| {
                let ratio = ((chars(&unit.target) + 1) as f64 / (chars(source) + 1) as f64).ln();
                (ratio, chars(source), chars(&unit.target), block)
            })
            .collect();
        let (center, tolerance) = if units.len() >= MIN_UNITS {
            let mut ratios: Vec<f64> = units.iter().map(|u| u.0).collect();
            let center = median(&mut ratios);
            let mut deviations: Vec<f64> = ratios.iter().map(|r| (r - center).abs()).collect();
            let spread = 1.4826 * median(&mut deviations);
            (center, (MAX_Z * spread).max(MIN_FACTOR.ln()))
        } else {
            (0.0, DEFAULT_FACTOR.ln())
        };
        for (ratio, source_chars, target_chars, block) in units {
            let off = ratio - center;
            if off.abs() <= tolerance {
                continue;
            }
            let expected = (source_chars as f64 * center.exp()).round();
            let (category, what) = if off < 0.0 {
                (Category::Omission, "shorter")
            } else {
                (Category::Addition, "longer")
            };
            out.push(
                Finding::new(
                    self.rule(),
                    category,
                    Severity::Minor,
                    block,
                    format!("the translation is much {what} than its source predicts; check for a missing or added part"),
                )
                .confidence(0.55)
                .evidence(format!(
                    "{target_chars} characters where about {expected} are expected ({source_chars} in the source)"
                )),
            );
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[MustFlag {
                text: "Die Sitzung wurde nach einer langen und hitzigen Debatte über den Haushalt auf Donnerstag vertagt.\tThe meeting.\n",
                fixed: None,
            }],
            must_not_flag: &[
                "Die Sitzung wurde nach einer langen Debatte vertagt.\tThe meeting was adjourned after a long debate.\n",
                "Ja\tYes, of course, that is completely fine with us.\n",
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
    use crate::audit::Auditor;

    #[test]
    fn the_documents_own_ratio_sets_the_expectation() {
        // Targets are consistently twice as long; only the one four times as long stands out.
        let mut rows = String::new();
        for i in 0..10 {
            rows.push_str(&format!(
                "Quelle Nummer {i} hier.\tThe target number {i} is here, twice as long!\n"
            ));
        }
        rows.push_str("Quelle Nummer 99 hier.\tThe target number 99 is here, and it goes on and on and on, four times longer than its source.\n");
        let report = Auditor::default().audit_text("t.tsv", &rows, Format::Tsv);
        let flagged: Vec<_> = report.findings().filter(|f| f.rule == "length").collect();
        assert_eq!(flagged.len(), 1, "{flagged:?}");
        assert!(report.text[flagged[0].span.clone()].contains("99"));
    }
}
