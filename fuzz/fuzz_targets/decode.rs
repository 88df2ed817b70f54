#![no_main]
//! See `manulint::fuzzing::decode`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| manulint::fuzzing::decode(data));
