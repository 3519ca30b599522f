#![no_main]
//! A review file (`.NAME.mtaudit-review.json`): refused with an error, or resumed by a review
//! session over a document with findings, which then writes a review file that reads back.

use libfuzzer_sys::fuzz_target;
use mtaudit::audit::FileReport;
use mtaudit::input::Format;
use mtaudit::review::{Action, ReviewFile, Session};
use mtaudit::score::Weights;
use mtaudit_fuzz::{invariants, AUDITOR};
use std::path::Path;
use std::sync::LazyLock;

/// The reviewed document, audited once.
static REPORT: LazyLock<FileReport> = LazyLock::new(|| {
    AUDITOR.audit_text(
        "article.txt",
        include_str!("../seeds/review-article.txt"),
        Format::Text,
    )
});

fuzz_target!(|data: &[u8]| {
    let Ok(Some(earlier)) = ReviewFile::from_bytes(data) else {
        return;
    };
    let written = serde_json::to_vec(&earlier).expect("a review file serializes");
    assert_eq!(ReviewFile::from_bytes(&written), Ok(Some(earlier.clone())));
    let path = Path::new("article.txt");
    let mut session = Session::new(path, REPORT.clone(), Weights::default(), Some(earlier));
    for action in [Action::Accept, Action::Next, Action::Reject, Action::Undo] {
        let _ = session.execute(&action);
    }
    let fixed = session.new_text();
    let again = AUDITOR.audit_text("article.txt", &fixed, Format::Text);
    invariants::assert_spans(&again);
    let file = session.review_file();
    let written = serde_json::to_vec(&file).expect("a review file serializes");
    assert_eq!(ReviewFile::from_bytes(&written), Ok(Some(file)));
});
