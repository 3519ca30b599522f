//! mtaudit: audit machine-translated English for garbled phrasing.
//!
//! ```
//! use mtaudit::{audit::Auditor, input::Format};
//! let report = Auditor::default().audit_text("memo.txt", "The council met on Tuesday.", Format::Text);
//! assert_eq!(report.words, 5);
//! for finding in report.findings() {
//!     println!("{} {}: {}", finding.rule, finding.severity, finding.message);
//! }
//! ```

pub mod audit;
pub mod baseline;
pub mod checks;
pub mod cli;
pub mod config;
pub mod context;
#[cfg(feature = "deep")]
pub mod deep;
pub mod eval;
pub mod finding;
pub mod fix;
pub mod identity;
pub mod input;
pub mod lexicon;
pub mod model;
pub mod pairs;
pub mod platform;
pub mod report;
pub mod resources;
pub mod review;
pub mod score;
pub mod shard;
pub mod suppress;
pub mod text;
pub mod walk;
pub mod word_lists;
pub mod write;
