//! MQM-style scoring: each finding costs its severity weight per word.

use crate::finding::{Finding, Severity};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    pub minor: f64,
    pub major: f64,
    pub critical: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            minor: 1.0,
            major: 5.0,
            critical: 10.0,
        }
    }
}

impl Weights {
    pub fn of(&self, severity: Severity) -> f64 {
        match severity {
            Severity::Minor => self.minor,
            Severity::Major => self.major,
            Severity::Critical => self.critical,
        }
    }

    pub fn penalty<'a>(&self, findings: impl IntoIterator<Item = &'a Finding>) -> f64 {
        findings.into_iter().map(|f| self.of(f.severity)).sum()
    }
}

/// `100 × max(0, 1 − penalty / words)`; a text without words scores 100 unless penalised.
pub fn score(penalty: f64, words: usize) -> f64 {
    if penalty == 0.0 {
        return 100.0;
    }
    let words = words.max(1) as f64;
    let value = 100.0 * (1.0 - penalty / words).max(0.0);
    (value * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_matches_design() {
        assert_eq!(score(0.0, 0), 100.0);
        assert_eq!(score(5.0, 20), 75.0);
        assert_eq!(score(10.0, 5), 0.0);
        assert_eq!(score(1.0, 3), 66.7);
    }
}
