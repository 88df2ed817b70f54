//! Which hashes may occur more than once: a first pass over all the
//! shingles (or word windows) of the manuscript notes each hash in a table
//! of 2-bit slots, and the second lists only those whose slot saw two or
//! more. Most word 3-grams of a novel are used once and nearly every
//! 12-word window is, and those need never be stored, sorted or merged: of
//! the shared corpus's 1.26 million shingles of paragraphs compared, 35%
//! are in two paragraphs or more, and 280 of its 1.12 million windows
//! repeat.
//!
//! A slot stands for many hashes, so the answer is "maybe": a hash alone in
//! the manuscript may share its slot with another and be listed for
//! nothing. It never says "once" of a hash noted twice, so whatever is
//! grouped from the listed hashes is what all of them give. With the
//! corpus's false alarms, 48% of the shingles and 23% of the windows are
//! listed.

/// Slots per hash noted, below [`MAX_SLOTS`]: the share of hashes noted
/// once that still read as "maybe twice" is then about one in this many.
const SLOTS_PER_HASH: usize = 8;

/// The most slots a table holds (2 bits each: 1 MiB). A smaller table
/// raises more false alarms, a larger one misses the processor's caches
/// more, and the misses cost more: the corpus (which would get 2^24 slots
/// uncapped) ran faster with a cap of 2^22 slots than with caps of 2^21 or
/// 2^23 or none (9 alternated runs each), and the 100 MiB one-line chapter
/// (19 million words, every window repeated) took 8.9 s with a cap of 2^22
/// and 11.6 s with one of 2^26.
const MAX_SLOTS: usize = 1 << 22;

/// The fewest slots (a word of 32).
const MIN_SLOTS: usize = 1 << 5;

/// The table: two bits a slot, 32 slots a word. The bits are set while
/// nothing is seen and cleared as the slot is seen: `11` unseen, `10` seen
/// once, `00` seen twice or more. The table starts with every bit set, not
/// cleared, so that it is written before it is read: memory allocated
/// zeroed is mapped to the kernel's shared page of zeros until written,
/// and the first write to each page then costs a copy and, with a thread
/// on the other core, an interrupt to flush its address cache (4.5% of a
/// corpus run's samples when the table started zeroed).
pub(super) struct SeenTwice {
    words: Vec<u64>,
    /// `64 - log2(slots)`: a slot is the top bits of the mixed hash.
    shift: u32,
}

impl SeenTwice {
    /// A table for about `hashes` hashes (see [`SLOTS_PER_HASH`]).
    pub fn for_hashes(hashes: usize) -> SeenTwice {
        let slots = hashes
            .saturating_mul(SLOTS_PER_HASH)
            .next_power_of_two()
            .clamp(MIN_SLOTS, MAX_SLOTS);
        SeenTwice {
            words: vec![u64::MAX; slots / 32],
            shift: 64 - slots.trailing_zeros(),
        }
    }

    /// The word holding `hash`'s slot and the slot's shift in it. The hash
    /// is mixed first, so that the slot depends on all its bits, not only
    /// the top ones (which close values share).
    fn slot(&self, hash: u64) -> (usize, u32) {
        let mixed = (hash ^ (hash >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        let slot = (mixed >> self.shift) as usize;
        (slot / 32, (slot % 32) as u32 * 2)
    }

    /// Notes one occurrence of `hash`.
    pub fn note(&mut self, hash: u64) {
        let (word, shift) = self.slot(hash);
        let bits = self.words[word] >> shift & 0b11;
        // Unseen (11): clear the low bit; seen (10): clear both.
        let clear = (!bits & 0b01) << 1 | 0b01;
        self.words[word] &= !(clear << shift);
    }

    /// False only when `hash` was noted at most once; true may be wrong.
    pub fn maybe_twice(&self, hash: u64) -> bool {
        let (word, shift) = self.slot(hash);
        self.words[word] >> shift & 0b10 == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hash noted twice always reads as twice, and most hashes noted once
    /// read as once, at the designed rate.
    #[test]
    fn hashes_noted_twice_are_always_told_and_once_mostly_not() {
        let hashes: Vec<u64> = (0..20_000)
            .map(|i| super::super::word_hash(&format!("word{i}")))
            .collect();
        let mut table = SeenTwice::for_hashes(hashes.len() + 1_000);
        for &hash in &hashes {
            table.note(hash);
        }
        for &hash in &hashes[..1_000] {
            table.note(hash);
        }
        assert!(hashes[..1_000].iter().all(|&h| table.maybe_twice(h)));
        let wrong = hashes[1_000..]
            .iter()
            .filter(|&&h| table.maybe_twice(h))
            .count();
        // One in `SLOTS_PER_HASH` of the 19,000 at most, with room for chance.
        assert!(wrong < 19_000 / SLOTS_PER_HASH, "{wrong}");
        // Nothing noted, nothing twice; a third noting keeps it twice.
        let mut empty = SeenTwice::for_hashes(0);
        assert!(!empty.maybe_twice(42));
        empty.note(42);
        assert!(!empty.maybe_twice(42));
        empty.note(42);
        empty.note(42);
        assert!(empty.maybe_twice(42));
    }

    /// Consecutive values (a window hash's weak case) spread over the slots.
    #[test]
    fn close_hashes_fall_in_different_slots() {
        let table = SeenTwice::for_hashes(1_000);
        let mut slots: Vec<(usize, u32)> = (0..1_000u64).map(|h| table.slot(h)).collect();
        slots.sort_unstable();
        slots.dedup();
        assert!(slots.len() > 900, "{}", slots.len());
    }
}
