//! Letter case carried from written text to a replacement: the one place every check that
//! suggests words (glossary, context, terminology, repeated-stem) gets it from.

/// `word` with its first letter in upper case.
pub fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// True when `written` is in capitals: more than one character, starting with a capital,
/// and no lower-case letter ("NATO", "U.S.").
pub fn is_all_caps(written: &str) -> bool {
    written.chars().nth(1).is_some()
        && written.chars().next().is_some_and(char::is_uppercase)
        && !written.chars().any(char::is_lowercase)
}

/// Gives `replacement` the case of `written`: all capitals, a capital first letter, or as is.
pub fn match_case(written: &str, replacement: &str) -> String {
    if is_all_caps(written) {
        replacement.to_uppercase()
    } else if written.chars().next().is_some_and(char::is_uppercase) {
        capitalize(replacement)
    } else {
        replacement.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitalizes_the_first_letter_only() {
        assert_eq!(capitalize("deep learning"), "Deep learning");
        assert_eq!(capitalize("élan"), "Élan");
        assert_eq!(capitalize(""), "");
    }

    #[test]
    fn carries_capitals_and_initial_capitals() {
        assert_eq!(match_case("Profound", "deep"), "Deep");
        assert_eq!(match_case("profound", "deep"), "deep");
        assert_eq!(match_case("NATO", "alliance"), "ALLIANCE");
        assert_eq!(match_case("U.S.", "us"), "US");
        assert_eq!(match_case("A", "an"), "An");
        assert_eq!(match_case("McDonald", "burger"), "Burger");
        assert_eq!(match_case("", "word"), "word");
    }
}
