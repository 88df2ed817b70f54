#![no_main]
//! See `manulint::fuzzing::config`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| manulint::fuzzing::config(data));
