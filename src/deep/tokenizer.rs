//! GPT-2 style byte-level BPE, built from a GGUF file's `tokenizer.ggml.tokens` and
//! `tokenizer.ggml.merges` (SmolLM2's vocabulary): text → token ids, each token with the byte
//! offset of the pre-token it belongs to, so that a span of the text maps to its tokens.

use std::collections::HashMap;

/// A token id of the model's vocabulary.
pub type TokenId = u32;

pub struct Tokenizer {
    ids: HashMap<String, TokenId>,
    /// The vocabulary, by id, in byte-level form ("Ġword").
    tokens: Vec<String>,
    /// Merge rank of each adjacent pair of symbols; lower merges first.
    ranks: HashMap<(String, String), usize>,
    /// The printable character standing for each byte (GPT-2's `bytes_to_unicode`).
    byte_chars: [char; 256],
}

/// One token of an encoded text: its id and where its pre-token starts in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub id: TokenId,
    pub start: usize,
}

impl Tokenizer {
    pub fn new(tokens: Vec<String>, merges: &[String]) -> Result<Tokenizer, String> {
        let ids = tokens
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as TokenId))
            .collect();
        let mut ranks = HashMap::with_capacity(merges.len());
        for (rank, merge) in merges.iter().enumerate() {
            let (left, right) = merge
                .split_once(' ')
                .ok_or_else(|| format!("merge {rank} `{merge}` is not two symbols"))?;
            ranks.insert((left.to_owned(), right.to_owned()), rank);
        }
        Ok(Tokenizer {
            ids,
            tokens,
            ranks,
            byte_chars: byte_chars(),
        })
    }

    pub fn vocabulary_size(&self) -> usize {
        self.tokens.len()
    }

    /// The id of a token written in byte-level form, such as `<|endoftext|>`.
    pub fn id(&self, token: &str) -> Option<TokenId> {
        self.ids.get(token).copied()
    }

    /// A token as text: `Ġword` → " word"; `None` for an id out of range or bytes that are not
    /// UTF-8 by themselves (part of a character).
    pub fn decode(&self, id: TokenId) -> Option<String> {
        let token = self.tokens.get(id as usize)?;
        let bytes: Option<Vec<u8>> = token
            .chars()
            .map(|c| {
                self.byte_chars
                    .iter()
                    .position(|&b| b == c)
                    .map(|b| b as u8)
            })
            .collect();
        String::from_utf8(bytes?).ok()
    }

    /// The tokens of `text`; offsets are relative to `text`.
    pub fn encode(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        for piece in pre_tokens(text) {
            let symbols: Vec<String> = text[piece.clone()]
                .bytes()
                .map(|b| self.byte_chars[b as usize].to_string())
                .collect();
            for symbol in self.merge(symbols) {
                // Every single byte is in a byte-level vocabulary; a vocabulary without it
                // falls back to the first token rather than failing mid-sentence.
                let id = self.ids.get(&symbol).copied().unwrap_or(0);
                out.push(Token {
                    id,
                    start: piece.start,
                });
            }
        }
        out
    }

    /// Applies the merges to one pre-token's symbols, lowest rank first.
    fn merge(&self, mut symbols: Vec<String>) -> Vec<String> {
        loop {
            let best = symbols
                .windows(2)
                .enumerate()
                .filter_map(|(i, pair)| {
                    self.ranks
                        .get(&(pair[0].clone(), pair[1].clone()))
                        .map(|&rank| (rank, i))
                })
                .min();
            let Some((_, i)) = best else {
                return symbols;
            };
            let right = symbols.remove(i + 1);
            symbols[i].push_str(&right);
        }
    }
}

/// GPT-2's reversible map from bytes to printable characters: printable Latin-1 bytes stand
/// for themselves, the others are moved to U+0100 and up (so a space is `Ġ`).
fn byte_chars() -> [char; 256] {
    let printable = |b: u8| matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
    let mut chars = ['\0'; 256];
    let mut next = 256u32;
    for b in 0..=255u8 {
        chars[b as usize] = if printable(b) {
            char::from(b)
        } else {
            let c = char::from_u32(next).expect("below the surrogates");
            next += 1;
            c
        };
    }
    chars
}

/// SmolLM2's pre-tokenizer (llama.cpp's `smollm`): every digit alone, then GPT-2's pattern
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
pub fn pre_tokens(text: &str) -> Vec<std::ops::Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |&(at, _)| at);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        let c = chars[i].1;
        let next = chars.get(i + 1).map(|&(_, c)| c);
        if c == '\'' {
            let rest = &text[chars[i].0..];
            let contraction = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d"]
                .into_iter()
                .find(|s| rest.starts_with(s));
            if let Some(s) = contraction {
                i += s.chars().count();
                out.push(chars[start].0..end_of(i));
                continue;
            }
        }
        if c.is_numeric() {
            i += 1;
        } else if c.is_alphabetic() || (c == ' ' && next.is_some_and(char::is_alphabetic)) {
            i += 1;
            while i < chars.len() && chars[i].1.is_alphabetic() {
                i += 1;
            }
        } else if c == ' ' && next.is_some_and(char::is_numeric) {
            // " 7": the space goes alone, the digit is a pre-token of its own.
            i += 1;
        } else if !c.is_whitespace() || (c == ' ' && next.is_some_and(is_symbol)) {
            i += 1;
            while i < chars.len() && is_symbol(chars[i].1) {
                i += 1;
            }
        } else {
            // Whitespace: a run, less its last character when a word follows (`\s+(?!\S)`).
            while i < chars.len() && chars[i].1.is_whitespace() {
                i += 1;
            }
            if i < chars.len() && i - start > 1 {
                i -= 1;
            }
        }
        out.push(chars[start].0..end_of(i));
    }
    out
}

fn is_symbol(c: char) -> bool {
    !c.is_whitespace() && !c.is_alphabetic() && !c.is_numeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<&str> {
        pre_tokens(text).into_iter().map(|r| &text[r]).collect()
    }

    /// A tiny vocabulary: bytes of "the cat", and merges building " the" and " cat".
    fn tiny() -> Tokenizer {
        let tokens = [
            "t", "h", "e", "c", "a", "Ġ", "Ġt", "he", "Ġthe", "Ġc", "at", "Ġcat",
        ];
        let merges = ["Ġ t", "h e", "Ġt he", "a t", "Ġ c", "Ġc at"];
        Tokenizer::new(
            tokens.iter().map(|s| s.to_string()).collect(),
            &merges.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
        .unwrap()
    }

    #[test]
    fn pre_tokens_follow_the_gpt2_pattern_with_single_digits() {
        assert_eq!(
            pieces("The cat's 42 mats,  really!"),
            ["The", " cat", "'s", " ", "4", "2", " mats", ",", " ", " really", "!"]
        );
        assert_eq!(pieces("(*11*) Italy"), ["(*", "1", "1", "*)", " Italy"]);
        assert_eq!(pieces("end.\n\nNext"), ["end", ".", "\n", "\n", "Next"]);
        assert_eq!(pieces("a  "), ["a", "  "]);
    }

    #[test]
    fn merges_apply_by_rank_and_tokens_keep_their_offsets() {
        let tokenizer = tiny();
        let ids: Vec<TokenId> = tokenizer.encode(" the cat").iter().map(|t| t.id).collect();
        assert_eq!(ids, [8, 11]);
        let starts: Vec<usize> = tokenizer
            .encode("the cat")
            .iter()
            .map(|t| t.start)
            .collect();
        // "the" has no merge for "t"+"he", so it stays two tokens from offset 0.
        assert_eq!(starts, [0, 0, 3]);
        assert_eq!(tokenizer.decode(11).as_deref(), Some(" cat"));
    }

    #[test]
    fn every_byte_has_its_own_printable_character() {
        let chars = byte_chars();
        assert_eq!(chars[b' ' as usize], 'Ġ');
        assert_eq!(chars[b'a' as usize], 'a');
        let mut sorted = chars.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 256);
    }
}
