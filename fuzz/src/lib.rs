//! What the fuzz targets share: one auditor with every check, and the run a user's document
//! takes (read the bytes, audit, fix, audit again) with the invariants asserted on the way.

#[path = "../../tests/invariants/mod.rs"]
pub mod invariants;

use mtaudit::audit::{AuditConfig, Auditor};
use mtaudit::checks::terminology::Terminology;
use mtaudit::input::termbase::TermBase;
use mtaudit::input::{Document, Format, InputError};
use std::sync::LazyLock;

/// Every check with the default settings, built once per fuzzing process.
pub static AUDITOR: LazyLock<Auditor> = LazyLock::new(Auditor::default);

/// Reads `bytes` as a document of `format` as `mtaudit check` does; whatever reads is
/// audited, fixed and audited again (see `invariants`). A file that does not read must say
/// where.
pub fn document(bytes: &[u8], format: Format) {
    match Document::from_bytes(bytes.to_vec(), format) {
        Ok(document) => {
            invariants::assert_document(&document, format);
            let report = AUDITOR.audit_document("fuzz", document, format);
            invariants::assert_fixes_settle(&AUDITOR, &report, format);
        }
        Err(error) => assert_error_position(&error),
    }
}

/// A malformed-file error names a 1-based line and column.
pub fn assert_error_position(error: &InputError) {
    if let InputError::Malformed { line, column, .. } = error {
        assert!(*line >= 1 && *column >= 1, "{error}");
    }
    let _ = error.to_string();
}

/// Enforces a parsed term base on a TSV delivery whose targets use its terms (required and
/// forbidden), with the terminology check alone; a term base that does not parse must say
/// where.
pub fn termbase(parsed: Result<TermBase, InputError>) {
    let termbase = match parsed {
        Ok(termbase) => termbase,
        Err(error) => return assert_error_position(&error),
    };
    // A TSV cell holds no tab or line break.
    let cell = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    let mut delivery = String::new();
    for term in &termbase.terms {
        for target in term.required.iter().chain(&term.forbidden).take(2) {
            let (source, target) = (cell(&term.source), cell(target));
            delivery.push_str(&format!("Der {source} ist hier.\tThe {target} is here.\n"));
        }
    }
    let Ok(document) = Document::parse(delivery, Format::Tsv) else {
        return;
    };
    let auditor = Auditor::new(
        AuditConfig::default(),
        vec![Box::new(Terminology::new(termbase))],
    );
    let report = auditor.audit_document("delivery.tsv", document, Format::Tsv);
    invariants::assert_fixes_settle(&auditor, &report, Format::Tsv);
}
