//! `name-consistency`: one name spelled two ways in one document ("Protasevich" and
//! "Pratasevich", "Sophia Sapega" and "Sofia Sapega").
//!
//! Candidates are capitalized tokens, one of the two spellings seen in mid-sentence (so it is
//! a name, not a capitalized sentence opener). Two spellings are the same name when they differ
//! by one edit (or by accents alone) and neither is a common capitalized word, or when they
//! differ by at most two edits and share a neighbouring name ("Sophia Sapega" / "Sofia
//! Sapega"). Inflections and derivations (Russia / Russian / Russia’s, Belarus / Belarusian) and
//! a name used by two people with different first names (John Johnson / Mary Johnston) are
//! left alone. The rarer spelling is flagged and the more frequent one suggested (on a tie, the
//! first one seen).

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::lexicon::{Lexicon, PosSet};
use crate::text::counted;
use crate::text::TokenKind;
use crate::word_lists::{COMMON_CAPITALIZED_WORDS, MONTHS, SENTENCE_OPENERS, WEEKDAYS};
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

pub struct NameConsistency {
    lexicon: &'static Lexicon,
}

pub const RULE: &str = "name-consistency";

impl NameConsistency {
    pub fn new(lexicon: &'static Lexicon) -> Self {
        NameConsistency { lexicon }
    }
}

/// The most letters two spellings of one name differ by in length (two edits).
const MAX_LENGTH_GAP: usize = 2;

impl Check for NameConsistency {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "One name spelled two ways in one document"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        let forms = collect(doc);
        let mut forms: Vec<(&String, &Spelling)> = forms.iter().collect();
        // The more frequent spelling first; on a tie, the one seen first.
        forms.sort_by_key(|(_, f)| (std::cmp::Reverse(f.spans.len()), f.first));
        let mut flagged = vec![false; forms.len()];
        // Two spellings of one name are at most two letters apart in length (accents fold
        // one letter to one): compare each form only with forms of a length near its own,
        // or a long document's thousands of names cost millions of comparisons.
        let mut by_length: HashMap<usize, Vec<usize>> = HashMap::new();
        for (x, (_, form)) in forms.iter().enumerate() {
            by_length.entry(form.chars).or_default().push(x);
        }
        let mut near = Vec::new();
        for x in 0..forms.len() {
            if flagged[x] {
                continue;
            }
            let chars = forms[x].1.chars;
            near.clear();
            for length in chars.saturating_sub(MAX_LENGTH_GAP)..=chars + MAX_LENGTH_GAP {
                let same = by_length.get(&length).map_or(&[][..], Vec::as_slice);
                near.extend(same.iter().copied().filter(|&y| y > x));
            }
            near.sort_unstable();
            for &y in &near {
                if flagged[y] {
                    continue;
                }
                let ((major, a), (minor, b)) = (forms[x], forms[y]);
                let Some(confidence) = same_name(self.lexicon, major, a, minor, b) else {
                    continue;
                };
                // On a tie a name cut short ("Moliner" beside "Molinero") is the likelier
                // slip; otherwise the first spelling seen stands.
                let tie = a.spans.len() == b.spans.len();
                let truncated =
                    tie && minor.len() > major.len() && minor.starts_with(major.as_str());
                let ((major, a), (minor, b), slip) = if truncated {
                    (forms[y], forms[x], x)
                } else {
                    (forms[x], forms[y], y)
                };
                flagged[slip] = true;
                for span in &b.spans {
                    out.push(
                        Finding::new(
                            RULE,
                            Category::Spelling,
                            Severity::Major,
                            span.clone(),
                            format!("“{minor}” is spelled “{major}” elsewhere in this document"),
                        )
                        .confidence(confidence)
                        .evidence(format!(
                            "“{major}” {}, “{minor}” {}",
                            counted(a.spans.len(), "time", "times"),
                            counted(b.spans.len(), "time", "times")
                        ))
                        .suggest(major.as_str()),
                    );
                }
                if truncated {
                    break;
                }
            }
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "Police questioned Andrei Kovalenko on Monday. Kovalenko denied it, and his lawyer said Kovalyenko would appeal.",
                    fixed: Some("Police questioned Andrei Kovalenko on Monday. Kovalenko denied it, and his lawyer said Kovalenko would appeal."),
                },
                MustFlag {
                    text: "The award went to Katarina Holm. Friends of Katharina Holm cheered.",
                    fixed: Some("The award went to Katarina Holm. Friends of Katarina Holm cheered."),
                },
                MustFlag {
                    text: "The market on Praça Velha reopened. Traders on Praca Velha cheered, and Praça Velha was full.",
                    fixed: Some("The market on Praça Velha reopened. Traders on Praça Velha cheered, and Praça Velha was full."),
                },
            ],
            must_not_flag: &[
                "Russia and Russian officials met; Russia’s envoy left. Belarus and Belarusian troops stayed.",
                "Flights from Austria and Australia landed, and Austria won.",
                "North Korea and South Korea talked; the Foreign Minister and the Foreign Ministry agreed.",
                "Coach John Johnson praised defender Mary Johnston, and Johnson smiled.",
                "Talks began in March and ended in May; on Monday and Sunday nobody worked.",
                "Daniel Brandt met Daniela Brandt, his sister.",
                "The Licensee may copy the work. Licensed copies carry the License notice.",
                "Aid flights reached Gambia on Monday, and Zambia sent doctors.",
                "The Smiths met Smith, and Smith laughed.",
            ],
        }
    }
}

#[derive(Default)]
struct Spelling {
    /// Byte spans of the name (without a possessive ending).
    spans: Vec<Range<usize>>,
    /// Seen in mid-sentence at least once.
    mid: bool,
    /// Order of first appearance.
    first: usize,
    /// Capitalized words right before and after it (a sentence opener before it counts only
    /// when it is a name elsewhere).
    before: BTreeSet<String>,
    before_raw: Vec<(String, bool)>,
    after: BTreeSet<String>,
    /// Every word seen right before it that is no sentence opener like "The".
    before_named: BTreeSet<String>,
    /// The spelling lowercased, accent-folded, its length in characters and letter counts:
    /// computed once, since every pair of forms compares them.
    lower: String,
    folded: String,
    chars: usize,
    letters: LetterCounts,
}

/// How often each character occurs, in 32 buckets (characters sharing a bucket are counted
/// together). One edit changes the counts by at most 2 in total, so counts further apart
/// than twice an edit limit prove the spellings are more edits apart than that.
#[derive(Default)]
struct LetterCounts {
    counts: [u16; 32],
    /// The buckets that count anything, one bit each.
    filled: u32,
}

impl LetterCounts {
    fn of(word: &str) -> LetterCounts {
        let mut counts = [0u16; 32];
        let mut filled = 0;
        for c in word.chars() {
            let bucket = c as usize % 32;
            counts[bucket] = counts[bucket].saturating_add(1);
            filled |= 1 << bucket;
        }
        LetterCounts { counts, filled }
    }

    /// A lower bound of the edit distance between the two words.
    fn min_edits(&self, other: &LetterCounts) -> usize {
        // A bucket one word fills and the other does not is a letter apart at least: a bound
        // without the counts, which tells most pairs of forms apart at once.
        let unshared = (self.filled ^ other.filled).count_ones();
        if unshared > 4 {
            return unshared.div_ceil(2) as usize;
        }
        // Summed in 32-bit lanes, which the compiler vectorizes (32 counts of at most
        // u16::MAX fit).
        let apart: u32 = (self.counts.iter().zip(&other.counts))
            .map(|(a, b)| u32::from(a.abs_diff(*b)))
            .sum();
        apart.div_ceil(2) as usize
    }
}

fn strip_possessive(text: &str) -> &str {
    for suffix in ["’s", "'s", "’", "'"] {
        if let Some(stem) = text.strip_suffix(suffix) {
            return stem;
        }
    }
    text
}

fn is_name_shaped(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(char::is_uppercase)
        && text.chars().all(|c| c.is_alphabetic() || c == '-')
        && text.chars().skip(1).any(char::is_lowercase)
}

fn collect(doc: &Analysis) -> HashMap<String, Spelling> {
    let mut forms: HashMap<String, Spelling> = HashMap::new();
    let mut order = 0;
    for sentence in doc.sentences {
        let tokens = &sentence.tokens;
        let first_word = tokens
            .iter()
            .position(|t| !matches!(t.kind, TokenKind::Quote | TokenKind::Symbol));
        let name_at = |k: usize| -> Option<&str> {
            let t = tokens.get(k)?;
            let stem = strip_possessive(t.text(doc.text));
            (t.is_word() && is_name_shaped(stem)).then_some(stem)
        };
        for (i, t) in tokens.iter().enumerate() {
            let Some(stem) = name_at(i) else {
                continue;
            };
            if stem.chars().count() < 4 || is_date_word(&stem.to_lowercase()) {
                continue;
            }
            let form = forms.entry(stem.to_string()).or_insert_with(|| Spelling {
                first: order,
                ..Spelling::default()
            });
            order += 1;
            form.spans.push(t.span.start..t.span.start + stem.len());
            form.mid |= Some(i) != first_word;
            let before = i.checked_sub(1).and_then(name_at);
            if let Some(b) = before.filter(|_| tokens[i - 1].span.end < t.span.start) {
                form.before_raw
                    .push((b.to_string(), Some(i - 1) == first_word));
            }
            if let Some(a) = name_at(i + 1) {
                form.after.insert(a.to_string());
            }
        }
    }
    let names: BTreeSet<String> = forms
        .iter()
        .filter(|(_, f)| f.mid)
        .map(|(k, _)| k.clone())
        .collect();
    for (spelling, form) in forms.iter_mut() {
        form.before = form
            .before_raw
            .iter()
            .filter(|(b, initial)| !initial || names.contains(b))
            .map(|(b, _)| b.clone())
            .collect();
        form.before_named = form
            .before_raw
            .iter()
            .map(|(b, _)| b.clone())
            .filter(|b| !SENTENCE_OPENERS.contains(&b.to_lowercase()))
            .collect();
        form.lower = spelling.to_lowercase();
        form.folded = fold(spelling);
        form.chars = form.lower.chars().count();
        // Of the folded spelling, so that accents alone cost no edit: folding maps letters
        // one to one, so the count of the folded forms still bounds the edits from below.
        form.letters = LetterCounts::of(&form.folded);
    }
    forms
}

/// Month and weekday names are capitalized but never a name's spelling variant.
fn is_date_word(lower: &str) -> bool {
    MONTHS.contains(lower) || WEEKDAYS.contains(lower)
}

/// Endings that make one word out of another: Russia/Russian, Smith/Smiths, Daniel/Daniela.
const DERIVATIONS: &[&str] = &[
    "s", "es", "n", "an", "ian", "ean", "ese", "ish", "i", "er", "ers", "ism", "ist", "ists", "ic",
    "a", "e", "y",
];

fn derived(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if let Some(rest) = long.strip_prefix(short) {
        return DERIVATIONS.contains(&rest);
    }
    // Canada/Canadian, Italy/Italian: the short form loses its last letter.
    let mut chars = short.chars();
    chars.next_back();
    let trimmed = chars.as_str();
    trimmed.chars().count() >= 4
        && long
            .strip_prefix(trimmed)
            .is_some_and(|rest| ["ian", "ean", "an", "ese", "ish", "ic"].contains(&rest))
}

/// A common English word (License, Winter, Ministry): in the list above, or in the lexicon
/// as an ordinary word and never as a proper noun.
fn is_common(lexicon: &Lexicon, word: &str) -> bool {
    let lower = word.to_lowercase();
    if COMMON_CAPITALIZED_WORDS.contains(&lower) {
        return true;
    }
    let pos = lexicon.pos(&lower);
    pos.intersects(PosSet::OPEN) && !pos.contains(PosSet::PROPER)
}

/// A name the lexicon knows (Austria, Gambia, Hansen): two of them are two names.
fn is_known_name(lexicon: &Lexicon, word: &str) -> bool {
    lexicon.pos(&word.to_lowercase()).contains(PosSet::PROPER)
}

/// Folds accents and cedillas: "Praça" → "praca", "São" → "sao".
fn fold(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' => 'e',
            'í' | 'ì' | 'î' | 'ï' | 'ī' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'ū' => 'u',
            'ç' | 'ć' | 'č' => 'c',
            'ñ' | 'ń' => 'n',
            'š' | 'ś' | 'ş' => 's',
            'ž' | 'ź' | 'ż' => 'z',
            'ł' => 'l',
            'ý' | 'ÿ' => 'y',
            other => other,
        })
        .collect()
}

/// A rough key for how a name sounds: ph → f, th → t, w → v, k/q → c, y → i, doubled letters
/// single, h after a consonant dropped.
fn sound_key(word: &str) -> String {
    let folded = fold(word)
        .replace("ph", "f")
        .replace("th", "t")
        .replace("ck", "c");
    let mut out = String::new();
    for c in folded.chars() {
        let c = match c {
            'w' => 'v',
            'k' | 'q' => 'c',
            'y' => 'i',
            other => other,
        };
        let prev = out.chars().next_back();
        if prev == Some(c) {
            continue;
        }
        if c == 'h' && prev.is_some_and(|p| !"aeiou".contains(p)) {
            continue;
        }
        out.push(c);
    }
    out
}

/// How sure we are that `minor` misspells the name `major`, if at all.
fn same_name(
    lexicon: &Lexicon,
    major: &str,
    a: &Spelling,
    minor: &str,
    b: &Spelling,
) -> Option<f32> {
    if !(a.mid || b.mid) {
        return None;
    }
    // Every answer needs two edits at most; most pairs are far further apart, and the
    // letter counts tell so without comparing the spellings.
    if a.letters.min_edits(&b.letters) > 2 {
        return None;
    }
    let (la, lb) = (&a.lower, &b.lower);
    if la == lb || derived(la, lb) {
        return None;
    }
    if a.folded == b.folded {
        return Some(0.8);
    }
    // Two people: each spelling always comes with its own, different first name.
    if !a.before.is_empty() && !b.before.is_empty() && a.before.is_disjoint(&b.before) {
        return None;
    }
    let distance = strsim::damerau_levenshtein(la, lb);
    if distance > 2 {
        return None;
    }
    // A sentence opener counts as a shared neighbour when the same one stands before both
    // spellings ("Agnes Vinter …" / "Agnes Winter …").
    let shared_neighbour = !a.before.is_disjoint(&b.before)
        || !a.after.is_disjoint(&b.after)
        || !a.before_named.is_disjoint(&b.before_named);
    // With one spelling each there is no telling which is right: say so more quietly.
    let tie = if a.spans.len() == b.spans.len() {
        0.05
    } else {
        0.0
    };
    let shortest = a.chars.min(b.chars);
    let is_common = |word| is_common(lexicon, word);
    if shared_neighbour && !(is_common(major) && is_common(minor)) {
        // Sophia / Sofia Sapega: the same sounds spelled two ways. Two relatives (Mark and Mary
        // Smith) share a surname too, so other differences need a longer name.
        if shortest >= 4 && sound_key(la) == sound_key(lb) {
            return Some(0.75 - tie);
        }
        if distance == 1 && shortest >= 5 && strsim::jaro_winkler(la, lb) >= 0.85 {
            return Some(0.65 - tie);
        }
        return None;
    }
    if distance != 1
        || shortest < 6
        || is_common(major)
        || is_common(minor)
        || (is_known_name(lexicon, major) && is_known_name(lexicon, minor))
    {
        return None;
    }
    // Both spellings used again and again are two names, not a slip.
    if a.spans.len() >= 2 && b.spans.len() >= 2 {
        return None;
    }
    Some(0.6 - tie)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, Option<String>)> {
        super::super::matches_of(RULE, text)
    }

    #[test]
    fn possessive_keeps_its_ending() {
        let got = found("We met Anneliese Novakova. Novakova spoke. Later Nowakova’s aides left.");
        assert_eq!(
            got,
            [("Nowakova".to_string(), Some("Novakova".to_string()))]
        );
    }

    #[test]
    fn first_name_with_the_same_surname_is_strong() {
        let got = found("Sophie Marchetti arrived. Later Sofie Marchetti spoke.");
        assert_eq!(got, [("Sofie".to_string(), Some("Sophie".to_string()))]);
    }

    #[test]
    fn tie_prefers_the_untruncated_spelling() {
        let got = found("Her lawyer, Ana Barreto, spoke. Barret said they would appeal.");
        assert_eq!(got, [("Barret".to_string(), Some("Barreto".to_string()))]);
        let got = found("Her lawyer, Ana Barret, spoke. Barreto said they would appeal.");
        assert_eq!(got, [("Barret".to_string(), Some("Barreto".to_string()))]);
    }

    #[test]
    fn tie_keeps_the_first_spelling() {
        let got =
            found("The report named Oleksandr Petrenkov. A day later Oleksandr Petrenko resigned.");
        assert_eq!(
            got,
            [("Petrenko".to_string(), Some("Petrenkov".to_string()))]
        );
    }

    #[test]
    fn letter_counts_never_overstate_the_edit_distance() {
        let words = [
            "kovalenko",
            "kovalyenko",
            "okvalenko",
            "praça",
            "praca",
            "sapega",
            "sofia",
            "sophia",
            "barreto",
            "barret",
            "zzyzx",
            "",
        ];
        for a in words {
            for b in words {
                let bound = LetterCounts::of(a).min_edits(&LetterCounts::of(b));
                let distance = strsim::damerau_levenshtein(a, b);
                assert!(bound <= distance, "{a} / {b}: {bound} > {distance}");
            }
        }
        let (a, b) = (LetterCounts::of("kovalenko"), LetterCounts::of("sophia"));
        assert!(a.min_edits(&b) > 2, "far-apart spellings are told apart");
    }

    #[test]
    fn derivations_are_not_misspellings() {
        assert!(derived("canada", "canadian"));
        assert!(derived("russia", "russian"));
        assert!(!derived("moliner", "molinero"));
    }
}
