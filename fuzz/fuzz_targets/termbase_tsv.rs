#![no_main]
//! A TSV term base (`--termbase`): parsed, then enforced on a delivery that uses its terms.

use libfuzzer_sys::fuzz_target;
use mtaudit::input::termbase::TermBase;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        mtaudit_fuzz::termbase(TermBase::parse_tsv(text));
    }
});
