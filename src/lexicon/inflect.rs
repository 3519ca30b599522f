//! English inflection by rule, behind `Lexicon::inflect` and `Lexicon::variants` (the one
//! way to inflect a word), for words the packed lexicon does not hold (coinages, rare
//! words): plurals and third persons, -ed, -ing and the possessive, with the irregular forms
//! from `corpora/words/` (irregular verbs with their past and past participle told apart,
//! which the packed lexicon's `Inflection::Past` does not do).
//!
//! `variants` lists every form a word may be written in (for matching: over-generation is
//! harmless, "downsizinged" never occurs); `inflect` puts a word into one form (for
//! suggestions: it must be right).

use crate::text::case::match_case;
use crate::word_lists::{
    DOUBLING_VERBS, IRREGULAR_PLURALS, IRREGULAR_THIRD_PERSON, IRREGULAR_VERBS, PARTICIPLE_CUES,
};

/// The form a word was written in, so that another word can be put in the same form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurfaceForm {
    Base,
    /// Plural noun or third-person singular verb.
    S,
    /// Regular -ed: past tense or past participle.
    Ed,
    Past,
    Participle,
    Ing,
    Possessive,
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// Splits "semi-final" into ("semi-", "final") so tables and rules see the last part.
pub(super) fn split_last_part(word: &str) -> (&str, &str) {
    match word.rfind('-') {
        Some(i) => (&word[..=i], &word[i + 1..]),
        None => ("", word),
    }
}

fn ends_consonant_y(w: &str) -> bool {
    let mut rev = w.chars().rev();
    rev.next() == Some('y') && rev.next().is_some_and(|c| !is_vowel(c))
}

/// One-syllable consonant-vowel-consonant words ("stop") and the listed ones double.
fn doubles(w: &str) -> bool {
    let (_, w) = split_last_part(w);
    let lower = w.to_lowercase();
    if DOUBLING_VERBS.contains(&lower) {
        return true;
    }
    let chars: Vec<char> = lower.chars().collect();
    let n = chars.len();
    if n < 3 || !chars.iter().all(char::is_ascii_alphabetic) {
        return false;
    }
    let vowel_groups = chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| is_vowel(c) && (i == 0 || !is_vowel(chars[i - 1])))
        .count();
    vowel_groups == 1
        && !is_vowel(chars[n - 1])
        && !matches!(chars[n - 1], 'w' | 'x' | 'y')
        && is_vowel(chars[n - 2])
        && !is_vowel(chars[n - 3])
}

/// The plural of a noun, or the third person singular of a verb.
fn plural(w: &str) -> String {
    let (prefix, last) = split_last_part(w);
    let lower = last.to_lowercase();
    let irregular = IRREGULAR_PLURALS
        .rows()
        .iter()
        .chain(IRREGULAR_THIRD_PERSON.rows())
        .find(|[base, _]| *base == lower);
    if let Some([_, form]) = irregular {
        return format!("{prefix}{}", match_case(last, form));
    }
    if ends_consonant_y(&lower) {
        format!("{}ies", &w[..w.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        format!("{w}es")
    } else {
        format!("{w}s")
    }
}

fn regular_ed(w: &str) -> String {
    let lower = w.to_lowercase();
    if lower.ends_with('e') {
        format!("{w}d")
    } else if ends_consonant_y(&lower) {
        format!("{}ied", &w[..w.len() - 1])
    } else if doubles(w) {
        format!("{w}{}ed", &w[w.len() - 1..])
    } else {
        format!("{w}ed")
    }
}

fn ing(w: &str) -> String {
    let lower = w.to_lowercase();
    if lower.ends_with("ie") {
        format!("{}ying", &w[..w.len() - 2])
    } else if lower.ends_with('e') && !["ee", "ye", "oe"].iter().any(|e| lower.ends_with(e)) {
        format!("{}ing", &w[..w.len() - 1])
    } else if doubles(w) {
        format!("{w}{}ing", &w[w.len() - 1..])
    } else {
        format!("{w}ing")
    }
}

/// The past tense and past participle of an irregular verb.
fn irregular_verb(w: &str) -> Option<(&'static str, &'static str)> {
    let lower = w.to_lowercase();
    IRREGULAR_VERBS
        .rows()
        .iter()
        .find(|[base, _, _]| *base == lower)
        .map(|&[_, past, participle]| (past, participle))
}

/// True for an irregular verb whose past tense and participle differ ("took", "taken").
pub(super) fn past_differs_from_participle(word: &str) -> bool {
    irregular_verb(word).is_some_and(|(past, participle)| past != participle)
}

/// Every inflected form of `word` a text may use, each once with the first form it was
/// generated as. Over-generates on purpose: the forms are for matching.
pub(super) fn variants(word: &str) -> Vec<(String, SurfaceForm)> {
    let (prefix, last) = split_last_part(word);
    let mut out: Vec<(String, SurfaceForm)> = Vec::new();
    let mut push = |w: String, form: SurfaceForm| {
        if w != word && !out.iter().any(|(v, _)| *v == w) {
            out.push((w, form));
        }
    };
    push(plural(word), SurfaceForm::S);
    push(format!("{word}s"), SurfaceForm::S);
    push(format!("{word}es"), SurfaceForm::S);
    if let Some((past, participle)) = irregular_verb(last) {
        if past == participle {
            push(format!("{prefix}{past}"), SurfaceForm::Ed);
        } else {
            push(format!("{prefix}{past}"), SurfaceForm::Past);
            push(format!("{prefix}{participle}"), SurfaceForm::Participle);
        }
    }
    push(regular_ed(word), SurfaceForm::Ed);
    push(format!("{word}ed"), SurfaceForm::Ed);
    push(format!("{word}d"), SurfaceForm::Ed);
    let last_char = word.chars().next_back().unwrap_or_default();
    push(format!("{word}{last_char}ed"), SurfaceForm::Ed);
    push(ing(word), SurfaceForm::Ing);
    push(format!("{word}ing"), SurfaceForm::Ing);
    push(format!("{word}{last_char}ing"), SurfaceForm::Ing);
    push(format!("{word}'s"), SurfaceForm::Possessive);
    out
}

/// Puts `word` into `form`. `before` is the word before it: after "was" or "has" an -ed form
/// is a participle ("was taken"), elsewhere the past tense ("took").
pub(super) fn inflect(word: &str, form: SurfaceForm, before: Option<&str>) -> String {
    let (prefix, last) = split_last_part(word);
    match form {
        SurfaceForm::Base => word.to_owned(),
        SurfaceForm::S => plural(word),
        SurfaceForm::Ing => ing(word),
        SurfaceForm::Possessive => format!("{word}'s"),
        SurfaceForm::Past | SurfaceForm::Participle | SurfaceForm::Ed => {
            match irregular_verb(last) {
                None => regular_ed(word),
                Some((past, participle)) => {
                    let use_participle = match form {
                        SurfaceForm::Past => false,
                        SurfaceForm::Participle => true,
                        _ => before.is_some_and(|b| PARTICIPLE_CUES.contains(b)),
                    };
                    let chosen = if use_participle { participle } else { past };
                    format!("{prefix}{}", match_case(last, chosen))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_regular_irregular_and_hyphenated() {
        assert_eq!(plural("landing"), "landings");
        assert_eq!(plural("crisis"), "crises");
        assert_eq!(plural("Child"), "Children");
        assert_eq!(plural("semi-final"), "semi-finals");
        assert_eq!(plural("policy"), "policies");
        assert_eq!(plural("tax"), "taxes");
        assert_eq!(plural("go"), "goes");
    }

    #[test]
    fn past_and_participle_follow_the_word_before() {
        assert_eq!(inflect("take", SurfaceForm::Ed, Some("was")), "taken");
        assert_eq!(inflect("take", SurfaceForm::Ed, Some("they")), "took");
        assert_eq!(inflect("take", SurfaceForm::Participle, None), "taken");
        assert_eq!(inflect("stop", SurfaceForm::Ed, None), "stopped");
        assert_eq!(inflect("admit", SurfaceForm::Ing, None), "admitting");
        assert_eq!(inflect("die", SurfaceForm::Ing, None), "dying");
        assert_eq!(inflect("Make", SurfaceForm::Past, None), "Made");
    }

    #[test]
    fn variants_cover_the_forms_a_text_uses() {
        let forms: Vec<String> = variants("achieve").into_iter().map(|(w, _)| w).collect();
        for form in ["achieves", "achieved", "achieving", "achieve's"] {
            assert!(forms.iter().any(|f| f == form), "{form} in {forms:?}");
        }
        let forms = variants("take");
        assert!(forms.contains(&("took".to_string(), SurfaceForm::Past)));
        assert!(forms.contains(&("taken".to_string(), SurfaceForm::Participle)));
    }
}
