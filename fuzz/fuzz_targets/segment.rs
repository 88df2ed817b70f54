#![no_main]
//! See `manulint::fuzzing::segment`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| manulint::fuzzing::segment(data));
