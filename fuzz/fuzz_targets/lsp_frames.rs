#![no_main]
//! See `manulint::fuzzing::lsp_frames`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| manulint::fuzzing::lsp_frames(data));
