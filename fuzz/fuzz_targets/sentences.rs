#![no_main]
//! See `manulint::fuzzing::sentences`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| manulint::fuzzing::sentences(data));
