//! `mtaudit review`: walk through the findings of one document, accept, reject or edit each,
//! and save the corrected file safely.
//!
//! - `session` — the state: findings in review order (`order`), decisions, cursor, undo;
//! - `key` — a finding's identity across edits (rule + flagged text + a little context);
//! - `sidecar` — the review file beside the document that lets a later review resume;
//! - `glossary` — "add the pair to a glossary file";
//! - `files` — open, save and reload: all the file work, every write atomic;
//! - `command` and `script` — the review driven by lines of text (`--script`);
//! - `tui` — the review driven by keys on a full-screen terminal.

pub mod command;
pub mod files;
pub mod glossary;
pub mod order;
pub mod script;
pub mod session;
pub mod sidecar;
pub mod tui;

pub use files::{OpenError, Review, Saved};
pub use session::{Action, Decision, Session, Status};
pub use sidecar::{sidecar_path, ReviewFile};
