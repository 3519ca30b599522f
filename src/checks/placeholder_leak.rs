//! `placeholder-leak`: a translation or spinning tool's placeholder left in prose, where it
//! stood in for a protected word: numbered tokens in any bracket style ("left the harbour
//! (*7*) the early morning", "[[3]]", "{0}"), "__PH1__", printf conversions ("%s") and
//! inline codes ("<x1/>", "<g2>"). The word it replaced is lost, so there is no fix. In
//! bilingual files placeholders belong to the strings (see `placeholders`).

use super::placeholders::placeholders;
use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::lexicon::{Lexicon, PosSet};
use std::ops::Range;

pub struct PlaceholderLeak {
    lexicon: &'static Lexicon,
}

impl PlaceholderLeak {
    pub fn new(lexicon: &'static Lexicon) -> Self {
        PlaceholderLeak { lexicon }
    }
}

pub const RULE: &str = "placeholder-leak";

/// XLIFF and TMX inline codes that a translation tool writes as tags.
const INLINE_CODES: &[&str] = &[
    "x", "g", "bx", "ex", "ph", "bpt", "ept", "it", "mrk", "pc", "sc", "ec", "sub", "ut",
];

impl Check for PlaceholderLeak {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "A tool's placeholder left where a word was (“(*7*)”, “{0}”, “__PH1__”, “%s”, “<x1/>”)"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        if !doc.units.is_empty() {
            return;
        }
        for block in doc.blocks {
            let text = &doc.prose[block.clone()];
            let mut found: Vec<(Range<usize>, f32)> = Vec::new();
            numbered(text, &mut found);
            underscored(text, &mut found);
            coded(text, &mut found);
            found.sort_by_key(|(span, _)| span.start);
            let mut end = 0;
            for (span, confidence) in found {
                if span.start < end {
                    continue;
                }
                end = span.end;
                let span = block.start + span.start..block.start + span.end;
                if confidence < 0.7 && !after_determiner(self.lexicon, doc, &span) {
                    continue;
                }
                out.push(
                    Finding::new(
                        RULE,
                        Category::Markup,
                        Severity::Major,
                        span,
                        "a tool's placeholder was left in the text where a word belongs",
                    )
                    .confidence(confidence),
                );
            }
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "The ferry left the harbour (*7*) the early morning.",
                    fixed: None,
                },
                MustFlag {
                    text: "Tourists arrived [[3]] Italy by train.",
                    fixed: None,
                },
                MustFlag {
                    text: "The minister met {0} in Lisbon.",
                    fixed: None,
                },
                MustFlag {
                    text: "The __PH1__ said the talks would resume.",
                    fixed: None,
                },
                MustFlag {
                    text: "Officials said %s would pay for the repairs.",
                    fixed: None,
                },
                MustFlag {
                    text: "The new <x1/> opens next week.",
                    fixed: None,
                },
                MustFlag {
                    text: "The [4] visited the port on Friday.",
                    fixed: None,
                },
            ],
            must_not_flag: &[
                "Earlier studies [4] have shown this, as in [12].",
                "We need (1) money and (2) time, said the mayor (aged 52).",
                "Sales grew 50% in 2020, a 5%increase on 2019, and 100%s are rare.",
                "Keep the snake_case names and my__dunder__ file as they are.",
                "The formula x < 1 holds, and <3 means love.",
                "The <b>bold</b> tag and <br/> break are HTML.",
            ],
        }
    }
}

/// A number in brackets: "(*7*)", "[#2#]", "{{3}}", "[[3]]", "< 4 >", "{0}" (certain), or
/// a bare "[4]" (a citation, unless a determiner comes before it).
fn numbered(text: &str, out: &mut Vec<(Range<usize>, f32)>) {
    let b = text.as_bytes();
    for i in 0..b.len() {
        let close = match b[i] {
            b'(' => b')',
            b'[' => b']',
            b'{' => b'}',
            b'<' => b'>',
            _ => continue,
        };
        if i > 0 && b[i - 1] == b[i] {
            continue;
        }
        let mut j = i;
        let mut depth = 0;
        while b.get(j) == Some(&b[i]) && depth < 2 {
            j += 1;
            depth += 1;
        }
        let skip_spaces = |j: &mut usize| {
            while b.get(*j) == Some(&b' ') {
                *j += 1;
            }
        };
        skip_spaces(&mut j);
        let deco_start = j;
        while b.get(j).is_some_and(|c| b"*#_@~%^".contains(c)) && j - deco_start < 2 {
            j += 1;
        }
        let decoration = &b[deco_start..j];
        let digits = b[j..].iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=3).contains(&digits) {
            continue;
        }
        j += digits;
        if !b[j..].starts_with(decoration) {
            continue;
        }
        j += decoration.len();
        skip_spaces(&mut j);
        if b[j..].iter().take(depth).any(|&c| c != close) || b.len() < j + depth {
            continue;
        }
        j += depth;
        let certain = !decoration.is_empty() || depth == 2 || matches!(b[i], b'{' | b'<');
        let confidence = match (certain, b[i]) {
            (true, _) => 0.9,
            (false, b'[') => 0.6,
            _ => continue,
        };
        out.push((i..j, confidence));
    }
}

/// "__PH1__", "__ph_2__", "_T3_": underscores around letters and a number.
fn underscored(text: &str, out: &mut Vec<(Range<usize>, f32)>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'_' || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) {
            i += 1;
            continue;
        }
        let bars = b[i..].iter().take_while(|&&c| c == b'_').count();
        let body_start = i + bars;
        let body = b[body_start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
            .count();
        let inner = text[body_start..body_start + body].trim_end_matches('_');
        let trailing = body - inner.len();
        let after = b.get(body_start + body);
        let shaped = inner.len() <= 8
            && inner.ends_with(|c: char| c.is_ascii_digit())
            && inner.starts_with(|c: char| c.is_ascii_alphabetic())
            && trailing == bars
            && after.is_none_or(|c| !c.is_ascii_alphanumeric());
        if shaped {
            out.push((i..body_start + body, 0.9));
        }
        i = body_start + body.max(1);
    }
}

/// printf conversions ("%s", "%1$d") and inline-code tags ("<x1/>", "<g2>", "</g2>").
fn coded(text: &str, out: &mut Vec<(Range<usize>, f32)>) {
    for p in placeholders(text) {
        let after = text[p.span.end..].chars().next();
        let kind = if p.key.starts_with('%') {
            after.is_none_or(|c| !c.is_alphanumeric())
        } else if let Some(tag) = p.key.strip_prefix('<') {
            let name = tag.trim_start_matches('/').trim_end_matches(['>', '/']);
            INLINE_CODES.contains(&name.trim_end_matches(|c: char| c.is_ascii_digit()))
        } else {
            false
        };
        if kind {
            out.push((p.span, 0.85));
        }
    }
}

/// A bare bracketed number after a determiner ("the [4] visited") replaced a word; after
/// anything else it is more likely a citation.
fn after_determiner(lexicon: &Lexicon, doc: &Analysis, span: &Range<usize>) -> bool {
    let before = doc.prose[..span.start].trim_end();
    let word_start = before.rfind(|c: char| !c.is_alphabetic()).map_or(0, |i| {
        i + before[i..].chars().next().map_or(1, char::len_utf8)
    });
    let word = &before[word_start..];
    let pos = lexicon.pos(&word.to_lowercase());
    !word.is_empty()
        && pos.intersects(PosSet::DET)
        && !pos.intersects(PosSet::NOUN | PosSet::VERB | PosSet::PRON)
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::checks::matches_of;

    #[test]
    fn probe_numbered_placeholder() {
        assert_eq!(
            matches_of(RULE, "They left the harbour (*7*) the early morning."),
            [("(*7*)".to_string(), None)]
        );
    }

    #[test]
    fn markdown_code_is_not_prose() {
        let auditor = crate::audit::Auditor::default();
        let report = auditor.audit_text(
            "t.md",
            "Call `printf(\"%s\", name)` with `{0}` here.\n\n```\n__PH1__ (*7*)\n```\n",
            crate::input::Format::Markdown,
        );
        assert!(report.findings().all(|f| f.rule != RULE));
    }
}
