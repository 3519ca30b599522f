#![no_main]
//! ARPA text (`mtaudit model import-arpa`): refused with an error naming a line, or built
//! into model bytes that load.

use libfuzzer_sys::fuzz_target;
use mtaudit::model::{build, Model};

fuzz_target!(|data: &[u8]| {
    match build::from_arpa(data) {
        Ok(bytes) => {
            if let Err(e) = Model::from_bytes(bytes) {
                panic!("a model built from ARPA text does not load: {e}");
            }
        }
        Err(e) => {
            let lines = 1 + data.iter().filter(|&&b| b == b'\n').count();
            assert!(e.line <= lines, "line {} of {lines}: {e}", e.line);
        }
    }
});
