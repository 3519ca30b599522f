#![no_main]
//! A user glossary (`--glossary`, TSV): parsed, made a glossary check, and run over a text
//! built from its own entries (each phrase, its replacement and its examples), so that what
//! the file says is matched, flagged and fixed.

use libfuzzer_sys::fuzz_target;
use mtaudit::audit::{AuditConfig, Auditor};
use mtaudit::checks::glossary::{parse_glossary, Glossary, GlossaryCheck};
use mtaudit::input::Format;
use mtaudit::lexicon::Lexicon;
use mtaudit_fuzz::invariants;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(entries) = parse_glossary(text, "fuzz.tsv") else {
        return;
    };
    let mut sample = String::new();
    for entry in &entries {
        sample.push_str(&format!("They saw the {} there. ", entry.bad));
        for good in &entry.good {
            sample.push_str(&format!("It was {}. ", good));
        }
        for example in entry.must_flag.iter().chain(&entry.must_not_flag) {
            sample.push_str(example);
            sample.push_str("\n\n");
        }
    }
    let check = GlossaryCheck::new(Glossary::from_entries(entries, Lexicon::embedded()));
    let auditor = Auditor::new(AuditConfig::default(), vec![Box::new(check)]);
    let report = auditor.audit_text("sample.txt", &sample, Format::Text);
    invariants::assert_fixes_settle(&auditor, &report, Format::Text);
});
