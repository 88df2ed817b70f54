#![no_main]
//! See `manulint::fuzzing::render`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| manulint::fuzzing::render(data));
