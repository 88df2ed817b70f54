#![no_main]
//! See `manulint::fuzzing::pack`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| manulint::fuzzing::pack(data));
