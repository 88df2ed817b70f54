//! The English table's hash index: shared by `build.rs`, which writes it at
//! compile time, and [`super`], which reads it.
//!
//! The index is [`SLOTS`] little-endian `u32`s: 0 for an empty slot, else
//! the number of a record of the table (the header is record 0) in the low
//! [`NUMBER_BITS`] bits and a tag of the word's hash above them. A word
//! padded with spaces to the table's word column hashes to its first slot
//! and its tag (see [`place`]); a collision moves on to the next slot,
//! wrapping around. With 100,000 words in 262,144 slots a lookup reads one
//! or two slots, where a binary search over the 2.8 MB table read
//! seventeen records; only a slot whose tag is the word's sends it to its
//! record, so a word outside the table (a name, a form of dialect) reads
//! no record at all, mostly.

/// Slots in the index: a power of two, under half of them filled.
pub const SLOTS: usize = 1 << 18;

/// Bits of a slot that hold the record's number: room for 131,071
/// records.
pub const NUMBER_BITS: u32 = 17;

/// The first slot to try for `key`, a word padded with spaces to the word
/// column (22 bytes for English), and its tag: the slot from the hash's
/// top 18 bits (log2 [`SLOTS`]), the tag from its lowest
/// [`32 - NUMBER_BITS`](NUMBER_BITS) (15).
pub fn place(key: &[u8]) -> (usize, u32) {
    let mut hash: u64 = 0;
    for chunk in key.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        hash = (hash.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    let slot = (hash >> (64 - SLOTS.trailing_zeros())) as usize;
    (slot, hash as u32 & (u32::MAX >> NUMBER_BITS))
}

/// The index of a table of `records` (each a word column of `word_bytes`
/// followed by anything) as [`SLOTS`] little-endian `u32`s. Record 0, the
/// header, is left out.
#[allow(dead_code)] // Used by build.rs only.
pub fn build(records: &[&[u8]], word_bytes: usize) -> Vec<u8> {
    let mut slots = vec![0u32; SLOTS];
    assert!(
        records.len() <= 1 << NUMBER_BITS,
        "too many records for the index"
    );
    for (number, record) in records.iter().enumerate().skip(1) {
        let (mut slot, tag) = place(&record[..word_bytes]);
        while slots[slot] != 0 {
            slot = (slot + 1) % SLOTS;
        }
        slots[slot] = number as u32 | tag << NUMBER_BITS;
    }
    slots.iter().flat_map(|s| s.to_le_bytes()).collect()
}
