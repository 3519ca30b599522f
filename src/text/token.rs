//! Tokens with byte spans and a normalized form.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, with inner apostrophes, hyphens or dots ("dust-up", "Europe’s", "U.S.").
    Word,
    /// Digits with inner separators ("2021-05-29", "3.5", "1,000").
    Number,
    /// A quotation mark: " “ ” „ « » and ' ‘ ’ when not inside a word.
    Quote,
    /// Sentence and clause punctuation: . , ; : ! ? … and dashes.
    Punct,
    /// Anything else: brackets, symbols, emoji.
    Symbol,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub span: Range<usize>,
    pub kind: TokenKind,
    /// Lowercase, with typographic apostrophes and quotes folded to ASCII.
    pub norm: String,
}

impl Token {
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }

    /// The token's original text.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.span.clone()]
    }

    /// True when the original starts with an uppercase letter.
    pub fn is_capitalized(&self, source: &str) -> bool {
        self.text(source)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    }
}

/// Folds case and typographic variants so that ’ and ', “ and " compare equal.
pub fn normalize(text: &str) -> String {
    // Most tokens are ASCII, where only the case changes: one pass over the bytes.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => '"',
            '\u{2010}' | '\u{2011}' => '-',
            other => other,
        })
        .collect()
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

pub fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

pub fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201C}'
            | '\u{201D}'
            | '\u{201E}'
            | '\u{00AB}'
            | '\u{00BB}'
            | '\''
            | '\u{2018}'
            | '\u{2019}'
    )
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Splits `text[range]` into tokens; whitespace separates and is dropped.
pub fn tokenize(text: &str, range: Range<usize>) -> Vec<Token> {
    let mut tokens = Vec::new();
    let chars: Vec<(usize, char)> = text[range.clone()]
        .char_indices()
        .map(|(i, c)| (i + range.start, c))
        .collect();
    let end_of = |k: usize| chars.get(k).map_or(range.end, |&(i, _)| i);
    let mut k = 0;
    while k < chars.len() {
        let (start, c) = chars[k];
        if c.is_whitespace() {
            k += 1;
            continue;
        }
        let (kind, next) = if is_word_char(c) {
            scan_word(&chars, k)
        } else if is_quote(c) {
            (TokenKind::Quote, k + 1)
        } else if c == '.' && chars.get(k + 1).is_some_and(|&(_, d)| d == '.') {
            let mut j = k;
            while chars.get(j).is_some_and(|&(_, d)| d == '.') {
                j += 1;
            }
            (TokenKind::Punct, j)
        } else if matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '…' | '—' | '–') || is_hyphen(c)
        {
            (TokenKind::Punct, k + 1)
        } else {
            (TokenKind::Symbol, k + 1)
        };
        let span = start..end_of(next);
        tokens.push(Token {
            norm: normalize(&text[span.clone()]),
            span,
            kind,
        });
        k = next;
    }
    tokens
}

/// Scans a word or number starting at `k`; inner joiners stay inside when a letter or digit follows.
fn scan_word(chars: &[(usize, char)], k: usize) -> (TokenKind, usize) {
    let mut j = k;
    let mut letters = false;
    while j < chars.len() {
        let c = chars[j].1;
        if is_word_char(c) {
            letters |= c.is_alphabetic();
            j += 1;
            continue;
        }
        let next_is_word = chars.get(j + 1).is_some_and(|&(_, d)| is_word_char(d));
        let joins = is_apostrophe(c) || is_hyphen(c) || matches!(c, '.' | ',' | '/' | ':');
        if joins && next_is_word {
            // A comma or colon joins only digits ("1,000", "5:30"); a dot joins digits or initials ("U.S").
            let prev = chars[j - 1].1;
            let next = chars[j + 1].1;
            let ok = match c {
                ',' | ':' | '/' => prev.is_ascii_digit() && next.is_ascii_digit(),
                '.' => (prev.is_ascii_digit() && next.is_ascii_digit()) || is_initial(chars, k, j),
                _ => true,
            };
            if !ok {
                break;
            }
            j += 1;
            continue;
        }
        break;
    }
    // Initials and abbreviations keep their final dot: "U.S.", "p.m.".
    if j < chars.len() && chars[j].1 == '.' && is_initial(chars, k, j) {
        j += 1;
    }
    // A possessive apostrophe after s ("Belarus’ bold") belongs to the word.
    if letters
        && j < chars.len()
        && is_apostrophe(chars[j].1)
        && chars[j - 1].1.eq_ignore_ascii_case(&'s')
        && chars.get(j + 1).is_none_or(|&(_, d)| !is_word_char(d))
    {
        j += 1;
    }
    let kind = if letters {
        TokenKind::Word
    } else {
        TokenKind::Number
    };
    (kind, j)
}

/// True when `chars[k..j]` is a single letter, or letters separated by dots ("U.S", "p.m").
fn is_initial(chars: &[(usize, char)], k: usize, j: usize) -> bool {
    let segment: Vec<char> = chars[k..j].iter().map(|&(_, c)| c).collect();
    !segment.is_empty()
        && segment
            .split(|&c| c == '.')
            .all(|part| part.len() == 1 && part[0].is_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(&str, TokenKind)> {
        tokenize(text, 0..text.len())
            .into_iter()
            .map(|t| (&text[t.span], t.kind))
            .collect()
    }

    #[test]
    fn keeps_inner_joiners() {
        let toks = words("a dust-up over Europe’s 1,000 U.S. jets on 2021-05-29.");
        let texts: Vec<&str> = toks.iter().map(|t| t.0).collect();
        assert_eq!(
            texts,
            [
                "a",
                "dust-up",
                "over",
                "Europe’s",
                "1,000",
                "U.S.",
                "jets",
                "on",
                "2021-05-29",
                "."
            ]
        );
        assert_eq!(toks[4].1, TokenKind::Number);
    }

    #[test]
    fn quotes_and_possessive_s() {
        let toks = words("“Belarus’ move,” he said 'no'");
        let texts: Vec<&str> = toks.iter().map(|t| t.0).collect();
        assert_eq!(
            texts,
            [
                "“",
                "Belarus’",
                "move",
                ",",
                "”",
                "he",
                "said",
                "'",
                "no",
                "'"
            ]
        );
    }

    #[test]
    fn normalizes_typography() {
        assert_eq!(normalize("Europe’s “Big”"), "europe's \"big\"");
    }

    #[test]
    fn ellipsis_is_one_token() {
        let texts: Vec<&str> = words("wait... what").iter().map(|t| t.0).collect();
        assert_eq!(texts, ["wait", "...", "what"]);
    }
}
