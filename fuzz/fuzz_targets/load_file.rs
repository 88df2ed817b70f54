#![no_main]
//! See `manulint::fuzzing::load_file`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| manulint::fuzzing::load_file(data));
