//! Plain text: all of it is prose except URLs and e-mail addresses.

use super::blank_out;

/// Masks URLs and e-mail addresses; plain text has no other hard block breaks.
pub fn mask(text: &str, prose: &mut [u8]) -> Vec<usize> {
    mask_links(text, prose);
    Vec::new()
}

/// Masks `http://…`, `https://…`, `www.…` and `name@host.tld`, which are not prose.
pub(crate) fn mask_links(text: &str, prose: &mut [u8]) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        let at_word_start = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let is_url = at_word_start
            && (rest.starts_with("http://")
                || rest.starts_with("https://")
                || rest.starts_with("www."));
        if is_url {
            let end = i + link_len(rest);
            blank_out(prose, i..end);
            i = end;
            continue;
        }
        if bytes[i] == b'@' && i > 0 && bytes[i - 1].is_ascii_alphanumeric() {
            let start = text[..i]
                .char_indices()
                .rfind(|&(_, c)| !(c.is_ascii_alphanumeric() || "._%+-".contains(c)))
                .map_or(0, |(p, c)| p + c.len_utf8());
            let domain = link_len(&text[i..]);
            if text[i..i + domain].contains('.') {
                blank_out(prose, start..i + domain);
                i += domain;
                continue;
            }
        }
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
}

/// Length of a link up to whitespace, without trailing sentence punctuation or closers.
fn link_len(rest: &str) -> usize {
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '“' | '”'))
        .unwrap_or(rest.len());
    rest[..end]
        .trim_end_matches(|c: char| {
            matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '\'')
        })
        .len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_urls_and_emails_only() {
        let text = "See https://example.org/a?b=1. Mail ed@news.example.com, or www.x.org!";
        let mut prose = text.as_bytes().to_vec();
        mask_links(text, &mut prose);
        let masked = |s: &str| " ".repeat(s.len());
        let want = format!(
            "See {}. Mail {}, or {}!",
            masked("https://example.org/a?b=1"),
            masked("ed@news.example.com"),
            masked("www.x.org")
        );
        assert_eq!(String::from_utf8(prose).unwrap(), want);
    }

    /// Found by fuzzing: the address began after a two-byte character, and masking started
    /// inside that character.
    #[test]
    fn an_address_after_a_multibyte_character_is_masked_from_its_start() {
        let text = "Zoëed@news.example.com wrote.";
        let mut prose = text.as_bytes().to_vec();
        mask_links(text, &mut prose);
        let prose = String::from_utf8(prose).expect("whole characters masked");
        assert_eq!(
            prose,
            format!("Zoë{} wrote.", " ".repeat("ed@news.example.com".len()))
        );
    }
}
