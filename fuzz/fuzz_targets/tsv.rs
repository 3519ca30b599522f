#![no_main]
//! A tab-separated bilingual file as `mtaudit check` reads it: read, audit, fix, audit again.

use libfuzzer_sys::fuzz_target;
use mtaudit::input::Format;

fuzz_target!(|data: &[u8]| mtaudit_fuzz::document(data, Format::Tsv));
