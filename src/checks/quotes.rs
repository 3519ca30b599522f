//! `quotes`: unbalanced or orphaned quotation marks ("Sky News. Russia. ”"), and direct speech
//! whose quotation marks were lost ("We stopped them, he said").
//!
//! Direct speech is told from paraphrase by evidence inside the clause (first or second person,
//! "let's", or present tense with a deictic such as "today" or "this"), by a short unquoted
//! sentence after it that goes on in the present tense, or by quoted speech elsewhere in the
//! same paragraph. A clause in the past or with a backshifted modal ("The plan would fail, he
//! said") is paraphrase and never flagged.

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::text::{Sentence, Token, TokenKind};
use crate::word_lists::{
    ATTRIBUTION_VERBS, BACKSHIFTED_VERBS, CLAUSE_WORDS, DEICTIC_WORDS, FIRST_SECOND_PERSON,
    PRESENT_TENSE_VERBS,
};
use std::ops::Range;

pub struct Quotes;

const RULE: &str = "quotes";

impl Check for Quotes {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "Unbalanced or orphaned quotation marks, and direct speech whose quotation marks were lost"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        let style = QuoteStyle::of(doc.text);
        let paragraphs: Vec<&[Sentence]> = doc
            .sentences
            .chunk_by(|a, b| a.paragraph == b.paragraph)
            .collect();
        let balance = balance(doc, &paragraphs, out);
        for (p, para) in paragraphs.iter().enumerate() {
            lost_quotes(doc, para, &balance[p], style, out);
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "“We will rebuild the school,” the mayor told local radio. Soon. ” The station is run by volunteers.",
                    fixed: Some("“We will rebuild the school,” the mayor told local radio. The station is run by volunteers."),
                },
                MustFlag {
                    text: "The board did not say when the vote would take place.”",
                    fixed: Some("The board did not say when the vote would take place."),
                },
                MustFlag {
                    text: "\"We accept the ruling but we will appeal said her lawyer, Tom Reyes.",
                    fixed: Some("\"We accept the ruling but we will appeal,\" said her lawyer, Tom Reyes."),
                },
                MustFlag {
                    text: "She opened the letter. “It is over, she said.\n\nNobody answered.",
                    fixed: None,
                },
                MustFlag {
                    text: "We built this bridge with our own hands, he said during the ceremony.",
                    fixed: Some("\"We built this bridge with our own hands,\" he said during the ceremony."),
                },
                MustFlag {
                    text: "He thanked the crew. \"Safety comes first.\" Nobody can take shortcuts, you know, he added.",
                    fixed: Some("He thanked the crew. \"Safety comes first.\" \"Nobody can take shortcuts, you know,\" he added."),
                },
                MustFlag {
                    text: "The ministry has no role in the tender process for the city’s new trains, she said on Monday. It is not our decision.",
                    fixed: Some("“The ministry has no role in the tender process for the city’s new trains,” she said on Monday. “It is not our decision.”"),
                },
                MustFlag {
                    text: "The city will open three new shelters today for people sleeping rough, the mayor’s office responded.",
                    fixed: Some("“The city will open three new shelters today for people sleeping rough,” the mayor’s office responded."),
                },
                MustFlag {
                    text: "Speaking at the gate, she said: We will not give up. You can count on that.",
                    fixed: Some("Speaking at the gate, she said: \"We will not give up. You can count on that.\""),
                },
            ],
            must_not_flag: &[
                "The plan would fail, he said.",
                "Prices rose 3% in March, officials said.",
                "The company had been warned twice, she said, but did nothing.",
                "“We know the risks,” she said. “But we will go ahead.”",
                "He read the clause aloud: “No party may withdraw.\n\n“Any dispute goes to arbitration.”",
                "The screen measures 27\" across and weighs 5 kg.",
                "The talks collapsed last week, according to two diplomats, who said the gap was too wide.",
                "The economy grew by 2 percent last year, the minister said in a statement.",
                "'Not yet,' she said, and left.",
                "Both sides said they were ready to talk, he said on Friday. The meeting ended without a deal.",
                "You may also lend copies, under the same conditions stated above.",
            ],
        }
    }
}

#[derive(Clone, Copy)]
struct QuoteStyle {
    open: &'static str,
    close: &'static str,
}

impl QuoteStyle {
    /// Curly when the document uses curly quotes or apostrophes, else straight.
    fn of(text: &str) -> QuoteStyle {
        let curly = text.contains(['“', '”']) || (!text.contains('"') && text.contains('’'));
        if curly {
            QuoteStyle {
                open: "“",
                close: "”",
            }
        } else {
            QuoteStyle {
                open: "\"",
                close: "\"",
            }
        }
    }
}

/// Per paragraph: which sentences start inside an open quotation, and whether the paragraph
/// holds any correctly paired quotation.
#[derive(Default)]
struct Balance {
    open_at_start: Vec<bool>,
    has_paired_quote: bool,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Role {
    Open,
    Close,
}

fn is_double(text: &str) -> bool {
    matches!(text, "\"" | "“" | "”" | "„")
}

/// How the neighbours of a mark suggest it is used: (opening, closing).
fn context(text: &str, span: &Range<usize>) -> (bool, bool) {
    let before = text[..span.start].chars().next_back();
    let after = text[span.end..].chars().next();
    let opening = before.is_none_or(|c| c.is_whitespace() || "([{—–-/".contains(c))
        && after.is_some_and(|c| !c.is_whitespace());
    let closing = before.is_some_and(|c| !c.is_whitespace())
        && after.is_none_or(|c| c.is_whitespace() || ".,;:!?)]}—–-".contains(c));
    (opening, closing)
}

struct Mark<'a> {
    token: &'a Token,
    sentence: usize,
    role: Role,
}

/// Walks every paragraph's double quotation marks, reports orphans and unclosed openers, and
/// returns what `lost_quotes` needs to know about each paragraph.
fn balance(doc: &Analysis, paragraphs: &[&[Sentence]], out: &mut Vec<Finding>) -> Vec<Balance> {
    let mut result = Vec::with_capacity(paragraphs.len());
    // An opener left open at the end of the previous paragraph.
    let mut pending: Option<(usize, Range<usize>)> = None;
    for (p, para) in paragraphs.iter().enumerate() {
        let first_token = para[0].tokens.first().map(|t| t.span.start);
        let mut open: Option<Range<usize>> = None;
        let mut opener_sentence = 0;
        let mut info = Balance {
            open_at_start: vec![false; para.len()],
            has_paired_quote: false,
        };
        let mut marks: Vec<Mark> = Vec::new();
        for (s, sentence) in para.iter().enumerate() {
            for token in &sentence.tokens {
                let text = token.text(doc.text);
                if token.kind != TokenKind::Quote || !is_double(text) {
                    continue;
                }
                let before = doc.text[..token.span.start].chars().next_back();
                if text == "\"" && before.is_some_and(|c| c.is_ascii_digit()) {
                    continue; // inches: 27"
                }
                let (opening, closing) = context(doc.text, &token.span);
                let role = match text {
                    "“" | "„" => Role::Open,
                    "”" if opening && !closing => Role::Open,
                    "”" => Role::Close,
                    _ if opening && !closing => Role::Open,
                    _ if closing && !opening => Role::Close,
                    _ => Role::Open, // decided by the state below
                };
                marks.push(Mark {
                    token,
                    sentence: s,
                    role,
                });
            }
        }
        if let Some((pp, span)) = pending.take() {
            let reopens = marks
                .first()
                .is_some_and(|m| m.role == Role::Open && Some(m.token.span.start) == first_token);
            let continues = marks.first().is_some_and(|m| m.role == Role::Close);
            if continues {
                open = Some(span);
            } else if !reopens {
                unclosed(doc, paragraphs[pp], span, out);
            }
        }
        let mut m = 0;
        for (s, sentence) in para.iter().enumerate() {
            info.open_at_start[s] = open.is_some();
            while m < marks.len() && marks[m].sentence == s {
                let mark = &marks[m];
                let text = mark.token.text(doc.text);
                let mut role = mark.role;
                if text == "\"" {
                    // Straight quotes pair by parity, unless a mark that plainly closes has
                    // nothing to close.
                    role = if open.is_some() || mark.role == Role::Close {
                        Role::Close
                    } else {
                        Role::Open
                    };
                }
                // A ” placed like an opener while a quotation is open closes it, with its
                // space on the wrong side ("city, ”Claudine said"): `space-inside-quotes`
                // reports that.
                if text == "”" && role == Role::Open && open.is_some() {
                    role = Role::Close;
                }
                match role {
                    Role::Open => {
                        if text == "”" {
                            out.push(
                                Finding::new(
                                    RULE,
                                    Category::Punctuation,
                                    Severity::Minor,
                                    mark.token.span.clone(),
                                    "closing quotation mark used to open a quotation",
                                )
                                .confidence(0.6)
                                .suggest("“"),
                            );
                        }
                        if let Some(prev) = open.take() {
                            unclosed(doc, para, prev, out);
                        }
                        open = Some(mark.token.span.clone());
                        opener_sentence = s;
                    }
                    Role::Close => {
                        if open.take().is_some() {
                            info.has_paired_quote = true;
                        } else {
                            orphan(doc, para, s, mark.token, out);
                        }
                    }
                }
                m += 1;
            }
            let _ = sentence;
        }
        let _ = opener_sentence;
        if let Some(span) = open {
            pending = Some((p, span));
        }
        result.push(info);
    }
    if let Some((pp, span)) = pending {
        unclosed(doc, paragraphs[pp], span, out);
    }
    result
}

/// A closing mark with no opener. When it closes a fragment of one or two words standing as a
/// sentence of its own ("… Sky News. Russia. ”"), the fragment goes too.
fn orphan(doc: &Analysis, para: &[Sentence], s: usize, mark: &Token, out: &mut Vec<Finding>) {
    let sentence = &para[s];
    let words = sentence.words().count();
    let is_last = sentence.tokens.last().map(|t| &t.span) == Some(&mark.span);
    let finding = |span: Range<usize>, message: &str, confidence: f32, severity: Severity| {
        Finding::new(RULE, Category::Punctuation, severity, span, message)
            .confidence(confidence)
            .suggest("")
    };
    if is_last && words <= 2 && para.len() > 1 {
        let span = if s > 0 {
            para[s - 1].span.end..mark.span.end
        } else {
            sentence.span.start..para[s + 1].span.start
        };
        out.push(finding(
            span,
            "a fragment closed by a quotation mark that has no opening mark",
            0.7,
            Severity::Major,
        ));
        return;
    }
    // Just the mark, with the space before it when it stands alone between words.
    let before = doc.text[..mark.span.start].chars().next_back();
    let after = doc.text[mark.span.end..].chars().next();
    let span = if before == Some(' ') && after.is_none_or(char::is_whitespace) {
        mark.span.start - 1..mark.span.end
    } else {
        mark.span.clone()
    };
    out.push(finding(
        span,
        "closing quotation mark without an opening one",
        0.6,
        Severity::Minor,
    ));
}

/// An opening mark never closed. When an attribution follows it in the same sentence
/// ("“We will appeal said her lawyer"), the closing mark (and comma) belongs before it.
fn unclosed(doc: &Analysis, para: &[Sentence], span: Range<usize>, out: &mut Vec<Finding>) {
    let Some(sentence) = para.iter().find(|s| s.span.contains(&span.start)) else {
        return;
    };
    let close = if doc.text[span.clone()].contains('"') {
        "\""
    } else {
        "”"
    };
    let tokens = &sentence.tokens;
    let start = tokens.iter().position(|t| t.span == span).unwrap_or(0);
    for i in start + 3..tokens.len() {
        if !ATTRIBUTION_VERBS.contains(&tokens[i].norm) {
            continue;
        }
        let prev = &tokens[i - 1];
        let next = tokens.get(i + 1);
        let subject_follows = next.is_some_and(|n| {
            n.is_word()
                && (n.is_capitalized(doc.text)
                    || matches!(
                        n.norm.as_str(),
                        "he" | "she" | "they" | "his" | "her" | "their" | "the" | "a" | "an"
                    ))
        });
        let fix = if prev.norm == "," && tokens[i - 2].is_word() {
            Some((prev.span.clone(), format!(",{close}")))
        } else if prev.is_word() && subject_follows {
            Some((
                prev.span.clone(),
                format!("{},{close}", prev.text(doc.text)),
            ))
        } else {
            None
        };
        if let Some((fix_span, replacement)) = fix {
            out.push(
                Finding::new(
                    RULE,
                    Category::Punctuation,
                    Severity::Minor,
                    fix_span,
                    "quotation opened but never closed before the attribution",
                )
                .confidence(0.65)
                .suggest(replacement),
            );
            return;
        }
        break;
    }
    out.push(
        Finding::new(
            RULE,
            Category::Punctuation,
            Severity::Minor,
            span,
            "opening quotation mark that is never closed",
        )
        .confidence(0.55),
    );
}

const POSSESSIVES: &[&str] = &["my", "our", "your"];

const SUBJECT_PRONOUNS: &[&str] = &["i", "we", "you", "they"];

/// Words a speaker's own clause uses and a reporter's paraphrase does not.
fn first_or_second_person(doc: &Analysis, tokens: &[Token]) -> bool {
    tokens.iter().any(|t| {
        FIRST_SECOND_PERSON.contains(&t.norm)
            // "US" is the country.
            && !(t.norm == "us" && t.text(doc.text) == "US")
    })
}

fn backshifted(tokens: &[Token]) -> bool {
    tokens.iter().any(|t| BACKSHIFTED_VERBS.contains(&t.norm))
}

/// A present-tense (or will-future) verb: a present auxiliary, or "they/we promise".
fn present(tokens: &[Token]) -> bool {
    tokens.iter().enumerate().any(|(i, t)| {
        PRESENT_TENSE_VERBS.contains(&t.norm)
            || (SUBJECT_PRONOUNS.contains(&t.norm.as_str())
                && tokens.get(i + 1).is_some_and(|n| {
                    n.is_word()
                        && !n.norm.ends_with("ed")
                        && !BACKSHIFTED_VERBS.contains(&n.norm)
                        && !ATTRIBUTION_VERBS.contains(&n.norm)
                }))
    })
}

/// "has/have" + past participle: the narrator's present perfect, not a quoted present.
fn perfect(tokens: &[Token]) -> bool {
    tokens.windows(2).any(|w| {
        matches!(w[0].norm.as_str(), "has" | "have" | "hasn't" | "haven't")
            && (w[1].norm.ends_with("ed")
                || matches!(w[1].norm.as_str(), "been" | "not" | "never" | "already"))
    })
}

fn has_quote(tokens: &[Token]) -> bool {
    tokens.iter().any(|t| t.kind == TokenKind::Quote)
}

/// Where the attribution starts in `tokens`: the index of the comma before "he said",
/// "said Smith", "the minister told reporters" and the like.
fn attribution_comma(doc: &Analysis, tokens: &[Token]) -> Option<usize> {
    for c in 4..tokens.len() {
        if tokens[c].norm != "," {
            continue;
        }
        let rest = &tokens[c + 1..];
        // Inverted: ", said the lead author", ", said Nadia Berrada".
        if rest
            .first()
            .is_some_and(|t| ATTRIBUTION_VERBS.contains(&t.norm))
            && rest.get(1).is_some_and(|t| {
                t.is_word()
                    && (t.is_capitalized(doc.text)
                        || matches!(
                            t.norm.as_str(),
                            "the" | "a" | "an" | "his" | "her" | "their" | "its"
                        ))
            })
        {
            return Some(c);
        }
        // ", he said", ", Kremlin spokesman Dmitry Peskov said".
        let verb = rest
            .iter()
            .take(7)
            .position(|t| ATTRIBUTION_VERBS.contains(&t.norm));
        if let Some(v) = verb.filter(|&v| v > 0) {
            let subject = &rest[..v];
            let ok = if v == 1 {
                matches!(subject[0].norm.as_str(), "he" | "she" | "they")
                    || subject[0].is_capitalized(doc.text)
            } else {
                let head = &subject[0];
                let starts_like_a_subject = head.is_capitalized(doc.text)
                    || matches!(
                        head.norm.as_str(),
                        "the"
                            | "a"
                            | "an"
                            | "his"
                            | "her"
                            | "their"
                            | "its"
                            | "one"
                            | "two"
                            | "three"
                            | "several"
                            | "some"
                            | "many"
                            | "both"
                    );
                starts_like_a_subject
                    && subject.iter().all(|t| {
                        (t.is_word() && !CLAUSE_WORDS.contains(&t.norm))
                            || (t.norm == "." && t.span.start > 0)
                    })
                    && subject.last().is_some_and(|t| t.is_word())
            };
            let followed_by_that = rest.get(v + 1).is_some_and(|t| t.norm == "that");
            if ok && !followed_by_that {
                return Some(c);
            }
        }
    }
    None
}

/// A short unquoted sentence after the attribution that goes on speaking in the present:
/// "They have nothing to do with it."
fn continuation(sentence: &Sentence, doc: &Analysis) -> bool {
    let tokens = &sentence.tokens;
    let words = sentence.words().count();
    let starts_with_pronoun = tokens.first().is_some_and(|t| {
        matches!(
            t.norm.as_str(),
            "they" | "it" | "this" | "that" | "we" | "i" | "you" | "there" | "these" | "nobody"
        )
    });
    (2..=12).contains(&words)
        && starts_with_pronoun
        && !has_quote(tokens)
        && present(tokens)
        && !backshifted(tokens)
        && !perfect(tokens)
        && attribution_comma(doc, tokens).is_none()
        && !tokens.iter().any(|t| ATTRIBUTION_VERBS.contains(&t.norm))
}

/// A sentence that could be the opening of the same speech: unquoted, present, no past.
fn speech_like(sentence: &Sentence) -> bool {
    let tokens = &sentence.tokens;
    !has_quote(tokens) && present(tokens) && !backshifted(tokens) && !perfect(tokens)
}

fn lost_quotes(
    doc: &Analysis,
    para: &[Sentence],
    balance: &Balance,
    style: QuoteStyle,
    out: &mut Vec<Finding>,
) {
    for (s, sentence) in para.iter().enumerate() {
        if balance.open_at_start[s] || has_quote(&sentence.tokens) {
            continue;
        }
        if colon_speech(doc, para, s, balance, style, out) {
            break;
        }
        let tokens = &sentence.tokens;
        let Some(comma) = attribution_comma(doc, tokens) else {
            continue;
        };
        let clause = &tokens[..comma];
        if clause.iter().filter(|t| t.is_word()).count() < 4
            || !tokens[0].is_word()
            || !tokens[0].is_capitalized(doc.text)
        {
            continue;
        }
        let strong = first_or_second_person(doc, clause);
        let is_present = present(clause) && !backshifted(clause);
        let possessive = clause
            .iter()
            .any(|t| POSSESSIVES.contains(&t.norm.as_str()));
        // Paragraph-initial short present-tense sentences leading into a clause that
        // starts with a pronoun: "It is always the same story. They promise …, said X."
        let lead_in = s > 0
            && para[..s].iter().enumerate().all(|(k, p)| {
                !balance.open_at_start[k] && speech_like(p) && p.words().count() <= 10
            })
            && matches!(
                tokens[0].norm.as_str(),
                "they" | "it" | "this" | "that" | "there" | "these"
            );
        let deictic = clause.iter().any(|t| DEICTIC_WORDS.contains(&t.norm));
        let next = para.get(s + 1).filter(|n| {
            s + 2 == para.len() && !balance.open_at_start[s + 1] && continuation(n, doc)
        });
        let quoted_nearby = balance.has_paired_quote;
        let (confidence, evidence) = if strong {
            (0.8, "first or second person in an unquoted clause")
        } else if !is_present {
            continue;
        } else if possessive {
            (
                0.6,
                "first or second person possessive in a present-tense clause",
            )
        } else if deictic {
            // "today", "now", "here" point at the speaker's moment; "this" less surely.
            let moment = clause.iter().any(|t| {
                matches!(
                    t.norm.as_str(),
                    "today" | "tonight" | "tomorrow" | "now" | "here"
                )
            });
            (
                if moment { 0.6 } else { 0.55 },
                "present or future tense with a deictic word",
            )
        } else if next.is_some() {
            (0.6, "present tense, and the next sentence goes on speaking")
        } else if quoted_nearby {
            (
                0.6,
                "present tense beside quoted speech in the same paragraph",
            )
        } else if lead_in {
            (
                0.55,
                "present tense, led in by short present-tense sentences",
            )
        } else {
            (0.35, "present tense only")
        };
        // Earlier sentences of the paragraph that open the same speech.
        let mut first = s;
        while first > 0 && !balance.open_at_start[first - 1] && speech_like(&para[first - 1]) {
            first -= 1;
        }
        if first > 0 {
            first = s; // only a speech that starts the paragraph is extended back
        }
        let start = para[first].span.start;
        let comma_end = tokens[comma].span.end;
        let mut replacement = format!(
            "{}{}{}",
            style.open,
            &doc.text[start..comma_end],
            style.close
        );
        let mut end = comma_end;
        if let Some(n) = next {
            replacement.push_str(&doc.text[comma_end..n.span.start]);
            replacement.push_str(style.open);
            replacement.push_str(n.text(doc.text));
            replacement.push_str(style.close);
            end = n.span.end;
        }
        out.push(unquoted_speech(
            start..end,
            confidence,
            evidence,
            replacement,
        ));
        if next.is_some() {
            break;
        }
    }
}

/// "she said: We will not give up. You can count on that." — speech after a colon, to the
/// end of the paragraph, with first or second person in it.
fn colon_speech(
    doc: &Analysis,
    para: &[Sentence],
    s: usize,
    balance: &Balance,
    style: QuoteStyle,
    out: &mut Vec<Finding>,
) -> bool {
    let tokens = &para[s].tokens;
    let Some(colon) = tokens
        .windows(2)
        .position(|w| ATTRIBUTION_VERBS.contains(&w[0].norm) && w[1].norm == ":")
    else {
        return false;
    };
    let colon = colon + 1;
    let Some(first) = tokens.get(colon + 1) else {
        return false;
    };
    if !first.is_word() || !first.is_capitalized(doc.text) {
        return false;
    }
    let rest = &para[s + 1..];
    if rest
        .iter()
        .enumerate()
        .any(|(k, r)| balance.open_at_start[s + 1 + k] || has_quote(&r.tokens))
    {
        return false;
    }
    let speech: Vec<Token> = tokens[colon + 1..]
        .iter()
        .chain(rest.iter().flat_map(|r| r.tokens.iter()))
        .cloned()
        .collect();
    if !first_or_second_person(doc, &speech) {
        return false;
    }
    let start = first.span.start;
    let end = para.last().map_or(start, |l| l.span.end);
    out.push(unquoted_speech(
        start..end,
        0.7,
        "first or second person in unquoted speech after a colon",
        format!("{}{}{}", style.open, &doc.text[start..end], style.close),
    ));
    true
}

/// The finding for direct speech at `span` whose quotation marks were lost, with the speech
/// quoted as the suggestion.
fn unquoted_speech(
    span: std::ops::Range<usize>,
    confidence: f32,
    evidence: &str,
    quoted: String,
) -> Finding {
    Finding::new(
        RULE,
        Category::Punctuation,
        Severity::Minor,
        span,
        "direct speech without quotation marks",
    )
    .confidence(confidence)
    .evidence(evidence)
    .suggest(quoted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, Option<String>, f32)> {
        super::super::scored_matches_of(RULE, text)
    }

    #[test]
    fn multi_paragraph_quote_reopens() {
        let text = "“The first part.\n\n“The second part,” he said.";
        assert!(found(text).is_empty(), "{:?}", found(text));
    }

    #[test]
    fn paragraph_continuing_without_reopening_is_accepted() {
        let text = "“The first part.\n\nThe second part,” he said.";
        assert!(found(text).is_empty(), "{:?}", found(text));
    }

    #[test]
    fn fragment_at_paragraph_start_is_deleted_with_its_space() {
        let got = found("Yes. ” The talks went on.");
        assert_eq!(got[0].0, "Yes. ” ");
        assert_eq!(got[0].1.as_deref(), Some(""));
    }

    #[test]
    fn reversed_opening_mark() {
        let got = found("”We are ready,” she said.");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1.as_deref(), Some("“"));
    }

    #[test]
    fn straight_style_document_gets_straight_quotes() {
        let got = found("I don't know what we can do now, he said.");
        assert_eq!(
            got[0].1.as_deref(),
            Some("\"I don't know what we can do now,\"")
        );
    }

    #[test]
    fn present_tense_alone_is_below_the_threshold() {
        let got = found("The bridge is safe for cars and buses, the engineer said.");
        assert!(got.iter().all(|f| f.2 < 0.5), "{got:?}");
    }

    #[test]
    fn us_the_country_is_not_first_person() {
        let got = found("The US imposed tariffs on steel last year, he said.");
        assert!(got.is_empty(), "{got:?}");
    }
}
