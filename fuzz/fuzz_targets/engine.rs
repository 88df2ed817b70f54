#![no_main]
//! See `manulint::fuzzing::engine`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| manulint::fuzzing::engine(data));
