#![no_main]
//! See `manulint::fuzzing::docx`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| manulint::fuzzing::docx(data));
