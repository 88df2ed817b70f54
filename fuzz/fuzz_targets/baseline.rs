#![no_main]
//! See `manulint::fuzzing::baseline`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| manulint::fuzzing::baseline(data));
