//! False alarms: a clean German/Russian/Japanese → English delivery with numbers in every
//! locale format, dates, times, units, placeholders, tags, names and short labels gives no
//! finding at the default threshold.

use mtaudit::audit::Auditor;
use mtaudit::input::Format;

#[test]
fn clean_bilingual_file_has_no_findings() {
    let text = include_str!("fixtures/bilingual-clean.tsv");
    let report = Auditor::default().audit_text("bilingual-clean.tsv", text, Format::Tsv);
    assert!(report.sentences.len() >= 30);
    let found: Vec<String> = report
        .findings()
        .map(|f| format!("{}: {} ({:?})", f.rule, f.message, &text[f.span.clone()]))
        .collect();
    assert!(found.is_empty(), "{found:#?}");
}
