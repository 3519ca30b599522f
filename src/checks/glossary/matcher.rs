//! The compiled glossary: one aho-corasick automaton over every entry's phrase and its
//! inflected forms, run over one haystack of normalized words per sentence (see the module
//! documentation of `checks::glossary`).

use super::schema::{parse_glossary, Context, Entry, Inflect, Slot};
use super::{BUNDLED_NAME, BUNDLED_TEXT};
use crate::checks::Analysis;
use crate::finding::Finding;
use crate::lexicon::{Lexicon, SurfaceForm};
use crate::text::{normalize, Sentence, TokenKind};
use aho_corasick::AhoCorasick;
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

#[derive(Debug, Clone, Copy)]
struct Pattern {
    entry: usize,
    form: SurfaceForm,
}

pub(super) struct Compiled {
    pub(super) entries: Vec<Entry>,
    /// `None` for an empty glossary.
    automaton: Option<AhoCorasick>,
    patterns: Vec<Pattern>,
    /// Inflects the entries' words, to match them and to put suggestions in their form.
    pub(super) lexicon: &'static Lexicon,
}

/// A set of entries with their automaton. Cloning is cheap (shared).
#[derive(Clone)]
pub struct Glossary {
    pub(super) inner: Arc<Compiled>,
}

impl std::fmt::Debug for Glossary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Glossary")
            .field("entries", &self.inner.entries.len())
            .finish()
    }
}

static BUNDLED: OnceLock<Glossary> = OnceLock::new();

impl Glossary {
    /// The bundled English glossary with the embedded lexicon (the embedded resources'),
    /// parsed and compiled once per process.
    pub fn bundled() -> Glossary {
        BUNDLED
            .get_or_init(|| {
                let entries = parse_glossary(BUNDLED_TEXT, BUNDLED_NAME)
                    .unwrap_or_else(|e| panic!("the bundled glossary is invalid: {e}"));
                Glossary::from_entries(entries, Lexicon::embedded())
            })
            .clone()
    }

    /// Compiles entries, inflecting their words with `lexicon`; when two share a `bad`
    /// phrase, the later one wins.
    pub fn from_entries(entries: Vec<Entry>, lexicon: &'static Lexicon) -> Glossary {
        let mut kept: Vec<Entry> = Vec::with_capacity(entries.len());
        let mut index: HashMap<Vec<String>, usize> = HashMap::new();
        for entry in entries.into_iter().filter(|e| !e.words().is_empty()) {
            match index.get(&entry.words()) {
                Some(&i) => kept[i] = entry,
                None => {
                    index.insert(entry.words(), kept.len());
                    kept.push(entry);
                }
            }
        }
        // One pattern per form; a later entry's pattern replaces an earlier identical one.
        let mut by_text: HashMap<String, usize> = HashMap::new();
        let mut texts: Vec<String> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        for (i, entry) in kept.iter().enumerate() {
            let words = entry.words();
            let mut forms = vec![(words.clone(), SurfaceForm::Base)];
            let target = match entry.inflect {
                Inflect::No => None,
                Inflect::First => Some(0),
                Inflect::Last => Some(words.len() - 1),
            };
            if let Some(t) = target {
                for (variant, form) in lexicon.variants(&words[t]) {
                    let mut w = words.clone();
                    w[t] = variant;
                    forms.push((w, form));
                }
            }
            for (w, form) in forms {
                let text = format!(" {} ", w.join(" "));
                let pattern = Pattern { entry: i, form };
                match by_text.get(&text) {
                    // A phrase as written beats another entry's inflected form of it.
                    Some(&p) => {
                        if form == SurfaceForm::Base || patterns[p].form != SurfaceForm::Base {
                            patterns[p] = pattern;
                        }
                    }
                    None => {
                        by_text.insert(text.clone(), patterns.len());
                        texts.push(text);
                        patterns.push(pattern);
                    }
                }
            }
        }
        let automaton = (!texts.is_empty())
            .then(|| AhoCorasick::new(&texts).expect("glossary patterns are plain strings"));
        Glossary {
            inner: Arc::new(Compiled {
                entries: kept,
                automaton,
                patterns,
                lexicon,
            }),
        }
    }

    /// This glossary plus `extra` entries (which win over entries with the same `bad`).
    pub fn with_entries(self, extra: impl IntoIterator<Item = Entry>) -> Glossary {
        let mut entries = self.inner.entries.clone();
        let before = entries.len();
        entries.extend(extra);
        if entries.len() == before {
            return self;
        }
        Glossary::from_entries(entries, self.inner.lexicon)
    }

    /// The lexicon that inflects its entries.
    pub fn lexicon(&self) -> &'static Lexicon {
        self.inner.lexicon
    }

    pub fn entries(&self) -> &[Entry] {
        &self.inner.entries
    }

    pub fn len(&self) -> usize {
        self.inner.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.inner.entries.is_empty()
    }

    /// The glossary's matches in one sentence, longest first where they overlap.
    /// Every match in the document, as findings of `rule` (the `glossary` check's, or
    /// another check's that keeps its phrases in the glossary format).
    pub fn find(&self, doc: &Analysis, rule: &'static str, out: &mut Vec<Finding>) {
        if self.is_empty() {
            return;
        }
        let needs_topic = self.entries().iter().any(|e| !e.requires.is_empty());
        let mut paragraph_words: Vec<&str> = Vec::new();
        let mut paragraph = usize::MAX;
        for (i, sentence) in doc.sentences.iter().enumerate() {
            if needs_topic && sentence.paragraph != paragraph {
                // Sentences come in document order, so a paragraph's sentences are adjacent.
                paragraph = sentence.paragraph;
                paragraph_words = doc.sentences[i..]
                    .iter()
                    .take_while(|s| s.paragraph == paragraph)
                    .flat_map(|s| s.words().map(|t| t.norm.as_str()))
                    .collect();
            }
            for hit in self.matches(doc.text, sentence, &paragraph_words) {
                out.push(self.finding(doc.text, &hit, rule));
            }
        }
    }

    pub(super) fn matches(&self, text: &str, sentence: &Sentence, paragraph: &[&str]) -> Vec<Hit> {
        let Some(automaton) = &self.inner.automaton else {
            return Vec::new();
        };
        let items = items(text, sentence);
        let words: usize = items.iter().map(|item| item.norm.len() + 2).sum();
        let mut hay = String::with_capacity(words + 1);
        hay.push(' ');
        // (position in `hay`, item) where each word starts and ends, in ascending order.
        let mut starts: Vec<(usize, usize)> = Vec::with_capacity(items.len());
        let mut ends: Vec<(usize, usize)> = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if item.kind == TokenKind::Word {
                starts.push((hay.len(), i));
                hay.push_str(&item.norm);
                ends.push((hay.len(), i));
                hay.push(' ');
            } else {
                hay.push_str("| ");
            }
        }
        let item_at = |marks: &[(usize, usize)], at: usize| {
            marks
                .binary_search_by_key(&at, |&(position, _)| position)
                .ok()
                .map(|k| marks[k].1)
        };
        let mut candidates: Vec<Hit> = Vec::new();
        for m in automaton.find_overlapping_iter(&hay) {
            let (Some(first), Some(last)) =
                (item_at(&starts, m.start() + 1), item_at(&ends, m.end() - 1))
            else {
                continue;
            };
            if !items[first].starts_token || !items[last].ends_token {
                continue;
            }
            let pattern = self.inner.patterns[m.pattern().as_usize()];
            let entry = &self.inner.entries[pattern.entry];
            let holds = |c: &Context| context_holds(c, &items, first, last);
            if entry.unless.iter().any(holds)
                || (!entry.when.is_empty() && !entry.when.iter().any(holds))
            {
                continue;
            }
            if !entry.requires.is_empty()
                && !entry.requires.iter().any(|r| {
                    paragraph.iter().any(|w| match r.strip_suffix('*') {
                        Some(prefix) => w.starts_with(prefix),
                        None => w == r,
                    })
                })
            {
                continue;
            }
            candidates.push(Hit {
                entry: pattern.entry,
                form: pattern.form,
                span: items[first].span.start..items[last].span.end,
                items: first..last + 1,
                before: None,
                article: None,
            });
        }
        candidates.sort_by(|a, b| {
            b.items
                .len()
                .cmp(&a.items.len())
                .then(a.items.start.cmp(&b.items.start))
        });
        let mut chosen: Vec<Hit> = Vec::new();
        for hit in candidates {
            if !chosen
                .iter()
                .any(|c| c.items.start < hit.items.end && hit.items.start < c.items.end)
            {
                chosen.push(hit);
            }
        }
        chosen.sort_by_key(|h| h.items.start);
        // The word before the inflected one decides past vs participle for irregular verbs.
        for hit in &mut chosen {
            let entry = &self.inner.entries[hit.entry];
            let target = match entry.inflect {
                Inflect::First => hit.items.start,
                _ => hit.items.end - 1,
            };
            hit.before = target.checked_sub(1).map(|i| items[i].norm.to_string());
            // An "a" or "an" right before the match may have to change with it.
            let first = &items[hit.items.start];
            if first.norm != "a" && first.norm != "an" {
                hit.article = hit
                    .items
                    .start
                    .checked_sub(1)
                    .map(|i| &items[i])
                    .filter(|a| matches!(a.norm.as_ref(), "a" | "an") && a.ends_token)
                    .map(|a| a.span.clone());
            }
        }
        chosen
    }
}

/// One match: the entry, the form its inflected word was in, and where it is.
#[derive(Debug, Clone)]
pub(super) struct Hit {
    pub(super) entry: usize,
    pub(super) form: SurfaceForm,
    pub(super) span: Range<usize>,
    pub(super) items: Range<usize>,
    pub(super) before: Option<String>,
    /// The span of an "a" or "an" just before the match.
    pub(super) article: Option<Range<usize>>,
}

/// A sentence position: a word (or one part of a hyphenated word), a number or punctuation.
#[derive(Debug)]
struct Item<'a> {
    norm: Cow<'a, str>,
    kind: TokenKind,
    span: Range<usize>,
    starts_token: bool,
    ends_token: bool,
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

fn items<'a>(text: &'a str, sentence: &'a Sentence) -> Vec<Item<'a>> {
    let mut items = Vec::with_capacity(sentence.tokens.len());
    let mut previous_end: Option<usize> = None;
    for token in &sentence.tokens {
        // Text masked out of the prose (inline code, link targets, tags) separates words.
        if let Some(end) = previous_end.replace(token.span.end) {
            if text[end..token.span.start]
                .chars()
                .any(|c| !c.is_whitespace())
            {
                items.push(Item {
                    norm: Cow::Borrowed(""),
                    kind: TokenKind::Symbol,
                    span: end..token.span.start,
                    starts_token: true,
                    ends_token: true,
                });
            }
        }
        if token.kind != TokenKind::Word {
            items.push(Item {
                norm: Cow::Borrowed(&token.norm),
                kind: token.kind,
                span: token.span.clone(),
                starts_token: true,
                ends_token: true,
            });
            continue;
        }
        let original = token.text(text);
        // Most words have no hyphen and no initial's dot: one item, no list of parts.
        if !original.ends_with('.') && !original.contains(is_hyphen) {
            items.push(Item {
                norm: Cow::Borrowed(&token.norm),
                kind: TokenKind::Word,
                span: token.span.clone(),
                starts_token: true,
                ends_token: true,
            });
            continue;
        }
        let mut parts: Vec<Range<usize>> = Vec::new();
        let mut start = 0;
        for (i, c) in original.char_indices() {
            if is_hyphen(c) {
                parts.push(start..i);
                start = i + c.len_utf8();
            }
        }
        parts.push(start..original.len());
        // Initials keep their dot in the token ("D." in "vitamin D."); the matcher does not.
        if let Some(last) = parts.last_mut() {
            if original[last.clone()].ends_with('.') && last.len() > 1 {
                last.end -= 1;
            }
        }
        let count = parts.len();
        for (k, part) in parts.into_iter().enumerate() {
            items.push(Item {
                // A whole token is normalized already.
                norm: if part.len() == original.len() {
                    Cow::Borrowed(&token.norm)
                } else {
                    Cow::Owned(normalize(&original[part.clone()]))
                },
                kind: TokenKind::Word,
                span: token.span.start + part.start..token.span.start + part.end,
                starts_token: k == 0,
                ends_token: k + 1 == count,
            });
        }
    }
    items
}

fn slot_matches(slot: &Slot, item: &Item) -> bool {
    match slot {
        Slot::Word(w) => item.norm == *w,
        Slot::Prefix(p) => item.kind == TokenKind::Word && item.norm.starts_with(p.as_str()),
        Slot::Number => item.kind == TokenKind::Number,
    }
}

fn is_content(item: &Item) -> bool {
    matches!(item.kind, TokenKind::Word | TokenKind::Number)
}

/// True when the words around `items[first..=last]` are the context.
fn context_holds(context: &Context, items: &[Item], first: usize, last: usize) -> bool {
    let n = context.before.len();
    if first < n {
        return false;
    }
    let from = first - n;
    if !context
        .before
        .iter()
        .zip(&items[from..first])
        .all(|(s, i)| slot_matches(s, i))
    {
        return false;
    }
    if context.at_start && items[..from].iter().any(is_content) {
        return false;
    }
    let to = last + 1 + context.after.len();
    if to > items.len() {
        return false;
    }
    if !context
        .after
        .iter()
        .zip(&items[last + 1..to])
        .all(|(s, i)| slot_matches(s, i))
    {
        return false;
    }
    !(context.at_end && items[to..].iter().any(is_content))
}

//
