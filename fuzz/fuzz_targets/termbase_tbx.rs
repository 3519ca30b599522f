#![no_main]
//! A TBX term base (`--termbase`, v2 or v3): parsed, then enforced on a delivery that uses
//! its terms.

use libfuzzer_sys::fuzz_target;
use mtaudit::input::termbase::TermBase;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        mtaudit_fuzz::termbase(TermBase::parse_tbx(text));
    }
});
