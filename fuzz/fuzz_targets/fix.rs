#![no_main]
//! See `manulint::fuzzing::fix`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| manulint::fuzzing::fix(data));
