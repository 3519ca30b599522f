//! Inline suppressions, written in comments of the host format:
//!
//! - `mtaudit-disable-next-line [rule…]`: findings starting on the next line;
//! - `mtaudit-disable-line [rule…]`: findings starting on the comment's own line(s);
//! - `mtaudit-disable [rule…]` … `mtaudit-enable [rule…]`: findings between the two (to the
//!   end of the file without an enable).
//!
//! Rules are separated by spaces or commas; none means every rule. Text after ` -- ` is a
//! reason and is ignored. Plain text and Markdown use HTML comments (`<!-- … -->`); a reader
//! of another format hands its own comments (byte span + text) to [`Suppressions::new`].
//! With `report_unused`, a suppression that silenced nothing becomes a finding of rule
//! [`UNUSED_RULE`] (minor, markup) at the comment.

use crate::finding::{Category, Finding, Severity};
use std::ops::Range;

/// The rule of findings that report an unused suppression.
pub const UNUSED_RULE: &str = "unused-suppression";

/// A comment in the file: its byte span (markers included) and its text (markers removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub span: Range<usize>,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    NextLine,
    Line,
    Disable,
    Enable,
}

impl Kind {
    fn parse(word: &str) -> Option<Kind> {
        match word {
            "mtaudit-disable-next-line" => Some(Kind::NextLine),
            "mtaudit-disable-line" => Some(Kind::Line),
            "mtaudit-disable" => Some(Kind::Disable),
            "mtaudit-enable" => Some(Kind::Enable),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Directive {
    kind: Kind,
    /// Empty: every rule.
    rules: Vec<String>,
    comment: Range<usize>,
}

fn parse_directive(comment: &Comment) -> Option<Directive> {
    let text = comment.text.trim();
    let text = text.split(" -- ").next().unwrap_or(text);
    let mut words = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty());
    let kind = Kind::parse(words.next()?)?;
    Some(Directive {
        kind,
        rules: words.map(str::to_owned).collect(),
        comment: comment.span.clone(),
    })
}

/// Which rules a suppression covers.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rules {
    /// `None`: every rule.
    only: Option<Vec<String>>,
    except: Vec<String>,
}

impl Rules {
    fn covers(&self, rule: &str) -> bool {
        self.only
            .as_ref()
            .is_none_or(|o| o.iter().any(|r| r == rule))
            && !self.except.iter().any(|r| r == rule)
    }
}

/// One suppression: findings starting in `scope` whose rule is covered.
#[derive(Debug, Clone)]
struct Scope {
    directive: usize,
    bytes: Range<usize>,
    rules: Rules,
}

/// The suppressions of one file.
#[derive(Debug, Clone, Default)]
pub struct Suppressions {
    directives: Vec<Directive>,
    scopes: Vec<Scope>,
}

/// Byte range of the line holding `offset`, without its line break.
fn line_at(text: &str, offset: usize) -> Range<usize> {
    // Bytes, not characters: `offset` may fall inside a character (the last byte of a
    // comment), and a line break is one byte that never does.
    let bytes = text.as_bytes();
    let start = bytes[..offset]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let end = bytes[offset..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |i| offset + i);
    start..end
}

/// The HTML comments `<!-- … -->` of a text (an unclosed one runs to the end).
pub fn html_comments(text: &str) -> Vec<Comment> {
    let mut comments = Vec::new();
    let mut at = 0;
    while let Some(open) = text[at..].find("<!--").map(|i| at + i) {
        let body = open + 4;
        let (inner_end, end) = match text[body..].find("-->") {
            Some(i) => (body + i, body + i + 3),
            None => (text.len(), text.len()),
        };
        comments.push(Comment {
            span: open..end,
            text: text[body..inner_end].to_owned(),
        });
        at = end;
    }
    comments
}

impl Suppressions {
    /// The suppressions written in `comments` of `text`; other comments are ignored.
    pub fn new(text: &str, comments: &[Comment]) -> Suppressions {
        let directives: Vec<Directive> = comments.iter().filter_map(parse_directive).collect();
        let mut scopes = Vec::new();
        let mut open: Vec<Scope> = Vec::new();
        for (i, d) in directives.iter().enumerate() {
            let rules = Rules {
                only: (!d.rules.is_empty()).then(|| d.rules.clone()),
                except: Vec::new(),
            };
            let last_line = line_at(text, d.comment.end.saturating_sub(1).max(d.comment.start));
            match d.kind {
                Kind::NextLine => {
                    let bytes = if last_line.end < text.len() {
                        line_at(text, last_line.end + 1)
                    } else {
                        text.len()..text.len()
                    };
                    scopes.push(Scope {
                        directive: i,
                        bytes,
                        rules,
                    });
                }
                Kind::Line => scopes.push(Scope {
                    directive: i,
                    bytes: line_at(text, d.comment.start).start..last_line.end + 1,
                    rules,
                }),
                Kind::Disable => open.push(Scope {
                    directive: i,
                    bytes: d.comment.end..text.len(),
                    rules,
                }),
                Kind::Enable => {
                    for mut scope in std::mem::take(&mut open) {
                        let rest = match (&scope.rules.only, d.rules.is_empty()) {
                            (_, true) => None,
                            (Some(only), false) => {
                                let left: Vec<String> = only
                                    .iter()
                                    .filter(|r| !d.rules.contains(r))
                                    .cloned()
                                    .collect();
                                (!left.is_empty()).then(|| Rules {
                                    only: Some(left),
                                    except: Vec::new(),
                                })
                            }
                            (None, false) => Some(Rules {
                                only: None,
                                except: [scope.rules.except.clone(), d.rules.clone()].concat(),
                            }),
                        };
                        if let Some(rules) = rest {
                            open.push(Scope {
                                directive: scope.directive,
                                bytes: d.comment.end..text.len(),
                                rules,
                            });
                        }
                        scope.bytes.end = d.comment.start;
                        scopes.push(scope);
                    }
                }
            }
        }
        scopes.extend(open);
        Suppressions { directives, scopes }
    }

    /// The suppressions in the HTML comments of a plain-text or Markdown file.
    pub fn from_html(text: &str) -> Suppressions {
        Suppressions::new(text, &html_comments(text))
    }

    /// Byte spans of the directive comments, which are not prose.
    pub fn comment_spans(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.directives.iter().map(|d| d.comment.clone())
    }

    /// Drops the suppressed findings; with `report_unused`, adds a finding per suppression
    /// that silenced nothing.
    pub fn apply(&self, findings: Vec<Finding>, report_unused: bool) -> Vec<Finding> {
        if self.directives.is_empty() {
            return findings;
        }
        let mut used = vec![false; self.directives.len()];
        let mut kept: Vec<Finding> = findings
            .into_iter()
            .filter(|f| {
                let mut silenced = false;
                for s in &self.scopes {
                    if s.bytes.contains(&f.span.start) && s.rules.covers(f.rule) {
                        used[s.directive] = true;
                        silenced = true;
                    }
                }
                !silenced
            })
            .collect();
        if report_unused {
            for (d, used) in self.directives.iter().zip(used) {
                if used || d.kind == Kind::Enable {
                    continue;
                }
                let what = if d.rules.is_empty() {
                    "any rule".to_owned()
                } else {
                    d.rules.join(", ")
                };
                kept.push(
                    Finding::new(
                        UNUSED_RULE,
                        Category::Markup,
                        Severity::Minor,
                        d.comment.clone(),
                        format!("this suppression of {what} silenced nothing; remove it"),
                    )
                    .confidence(1.0),
                );
            }
        }
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &'static str, at: usize) -> Finding {
        Finding::new(rule, Category::Style, Severity::Minor, at..at + 1, "m")
    }

    /// Findings of `rule` at each occurrence of `X` in the text; returns the kept positions
    /// as line numbers.
    fn kept(text: &str, rules: &[&'static str], report_unused: bool) -> Vec<(usize, &'static str)> {
        let findings: Vec<Finding> = text
            .match_indices('X')
            .flat_map(|(i, _)| rules.iter().map(move |r| finding(r, i)))
            .collect();
        let mut out: Vec<(usize, &'static str)> = Suppressions::from_html(text)
            .apply(findings, report_unused)
            .iter()
            .map(|f| (1 + text[..f.span.start].matches('\n').count(), f.rule))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn next_line_and_same_line() {
        let text = "X\n<!-- mtaudit-disable-next-line -->\nX\nX <!-- mtaudit-disable-line glossary -->\nX\n";
        assert_eq!(
            kept(text, &["glossary", "quotes"], false),
            [
                (1, "glossary"),
                (1, "quotes"),
                (4, "quotes"),
                (5, "glossary"),
                (5, "quotes")
            ]
        );
    }

    #[test]
    fn regions_with_partial_enable() {
        let text = "X\n<!-- mtaudit-disable -->\nX\n<!-- mtaudit-enable quotes -->\nX\n<!-- mtaudit-enable -->\nX\n";
        assert_eq!(
            kept(text, &["glossary", "quotes"], false),
            [
                (1, "glossary"),
                (1, "quotes"),
                (5, "quotes"),
                (7, "glossary"),
                (7, "quotes")
            ]
        );
        let text = "<!-- mtaudit-disable glossary, quotes -- names are right -->\nX\n<!-- mtaudit-enable glossary -->\nX\n";
        assert_eq!(
            kept(text, &["glossary", "quotes"], false),
            [(4, "glossary")]
        );
    }

    #[test]
    fn unused_suppressions_are_reported_only_when_asked() {
        let text =
            "<!-- mtaudit-disable-next-line possessive -->\nX\n<!-- mtaudit-disable-line -->\n";
        assert_eq!(kept(text, &["glossary"], false), [(2, "glossary")]);
        let got = kept(text, &["glossary"], true);
        assert_eq!(got, [(1, UNUSED_RULE), (2, "glossary"), (3, UNUSED_RULE)]);
    }

    #[test]
    fn other_comments_and_unclosed_ones_are_harmless() {
        let text = "<!-- a note -->\nX\n<!-- mtaudit-disable";
        // The unclosed directive silences nothing after it, so it is unused.
        assert_eq!(
            kept(text, &["glossary"], true),
            [(2, "glossary"), (3, UNUSED_RULE)]
        );
        let comments = html_comments(text);
        assert_eq!(comments.len(), 2);
        assert_eq!(comments[1].span.end, text.len());
        assert_eq!(Suppressions::from_html(text).comment_spans().count(), 1);
    }

    /// Found by fuzzing: the last byte of an unclosed comment ending in "ë" is inside
    /// that character.
    #[test]
    fn an_unclosed_comment_may_end_in_any_character() {
        let text = "X\nX <!-- mtaudit-disable-line glossary -- Zoë";
        assert_eq!(
            kept(text, &["glossary", "quotes"], false),
            [(1, "glossary"), (1, "quotes"), (2, "quotes")]
        );
    }

    #[test]
    fn next_line_at_end_of_file_is_empty() {
        let text = "X <!-- mtaudit-disable-next-line -->";
        assert_eq!(kept(text, &["glossary"], false), [(1, "glossary")]);
    }
}
