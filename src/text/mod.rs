//! Sentences and tokens with byte spans into the original file.

mod segment;
mod token;

pub use segment::{segment, Sentence};
pub use token::{is_quote, normalize, tokenize, Token, TokenKind};
