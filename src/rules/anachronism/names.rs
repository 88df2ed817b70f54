//! How a layer of the knowledge base finds its names in prose: an
//! Aho-Corasick automaton, or a trie walked from every byte a name may
//! start with. Both report the same occurrences in the same order.
//!
//! The built-in names come in both forms, prepared by `build.rs`, because
//! each is better at one end of the scale:
//!
//! - **The automaton** (`daachorse`) reads each byte of the prose once and
//!   shares the work of names that start alike through its failure links.
//!   But it can only be deserialised by copying: loading it takes some
//!   7 ms, and while the copy is made both its 7 MB in the binary and the
//!   7 MB copy are resident.
//! - **The trie** (`yada`, about 2 MB) is used in place from the binary:
//!   it loads in about 1 ms, and only the pages a walk reads are resident.
//!   A walk from a common word goes on through the names that start with it
//!   and into the next words ("The Man Who …"), and the walk from the next
//!   word reads those bytes again, so a megabyte takes some 15% longer.
//!
//! [`super::kb::Search::for_prose`] picks the trie for up to a novel's
//! worth of prose (a chapter checked before a commit, or in the editor)
//! and the automaton beyond.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use daachorse::DoubleArrayAhoCorasick;
use yada::DoubleArray;

/// The names of one layer, in the form they are searched in.
pub enum Names {
    /// Reads each byte once; built at run time for users' entity files,
    /// deserialised (copied) for the built-in names.
    Automaton(DoubleArrayAhoCorasick<u32>),
    /// Used in place; the built-in names only.
    Trie(Trie),
}

impl Names {
    /// Calls `each(start, end, value)` for every occurrence of a name in
    /// `stream` (offsets into it), overlapping ones included, in order of
    /// their ends and, where ends are equal, of their starts: the order an
    /// Aho-Corasick automaton reports them in.
    pub fn for_each_match(
        &self,
        stream: impl Iterator<Item = u8>,
        mut each: impl FnMut(usize, usize, u32),
    ) {
        match self {
            Names::Automaton(automaton) => {
                for m in automaton.find_overlapping_iter_from_iter(stream) {
                    each(m.start(), m.end(), m.value());
                }
            }
            Names::Trie(trie) => trie.for_each_match(stream, WINDOW, each),
        }
    }
}

/// The bytes of prose a trie walk reads from at a time (plus the longest
/// name after them): a chapter is not copied whole, as a 100 MB one would
/// be 100 MB more.
const WINDOW: usize = 64 * 1024;

/// A double-array trie of names (recased, as the prose is read: see
/// `text::word_starts`) with what its walks need to know beforehand.
pub struct Trie {
    array: DoubleArray<&'static [u8]>,
    /// `first[b]` is 1 when some name starts with byte `b`: a walk starts
    /// only there (never at a lowercase ASCII letter, which is inside a
    /// word once recased).
    first: &'static [u8; 256],
    /// The longest name, in bytes.
    longest: usize,
}

impl Trie {
    /// A trie over `array`, a `yada` double array, its names' first bytes
    /// (`first`, as above) and their longest length in bytes.
    ///
    /// # Errors
    ///
    /// When `array` is no valid double array (`yada` checks every unit).
    pub fn new(
        array: &'static [u8],
        first: &'static [u8; 256],
        longest: usize,
    ) -> Result<Trie, String> {
        let array = DoubleArray::new(array).map_err(|e| e.to_string())?;
        Ok(Trie {
            array,
            first,
            longest,
        })
    }

    /// [`Names::for_each_match`], reading `stream` `window` bytes at a time.
    fn for_each_match(
        &self,
        stream: impl Iterator<Item = u8>,
        window: usize,
        mut each: impl FnMut(usize, usize, u32),
    ) {
        let window = window.max(1);
        let full = window + self.longest;
        // A NUL byte would be read as the end of a name (`yada` marks ends
        // with it) and skipped, so "Jo␀hn" would read as "John": the walks
        // read 0xFF instead, which no name holds (names are UTF-8 and
        // `yada` refuses a NUL in one), as the automaton matches nothing
        // with a NUL.
        let mut stream = stream.map(|b| if b == 0 { 0xFF } else { b }).fuse();
        let mut buf: Vec<u8> = stream.by_ref().take(full).collect();
        // Stream offset of `buf[0]`.
        let mut base = 0;
        // Names found but not yet reported, by (end, start): a walk finds
        // the names that start at one place, the order wanted is by end.
        let mut pending: BinaryHeap<Reverse<(usize, usize, u32)>> = BinaryHeap::new();
        loop {
            // Walks start where the whole of the longest name is in `buf`,
            // or the stream has ended.
            let ended = buf.len() < full;
            let limit = if ended { buf.len() } else { window };
            for at in 0..limit {
                if self.first[usize::from(buf[at])] == 0 {
                    continue;
                }
                let start = base + at;
                // Every name found from here on ends after `start`.
                while let Some(&Reverse((end, from, value))) = pending.peek()
                    && end <= start
                {
                    pending.pop();
                    each(from, end, value);
                }
                for (value, len) in self.array.common_prefix_search(&buf[at..]) {
                    pending.push(Reverse((start + len, start, value)));
                }
            }
            if ended {
                break;
            }
            buf.drain(..limit);
            base += limit;
            buf.extend(stream.by_ref().take(limit));
        }
        while let Some(Reverse((end, from, value))) = pending.pop() {
            each(from, end, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use daachorse::{DoubleArrayAhoCorasickBuilder, MatchKind};

    /// Both forms of the same names, built here: (automaton, trie).
    fn both(names: &[&str]) -> (Names, Trie) {
        let mut keys: Vec<(Vec<u8>, u32)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_bytes().to_vec(), i as u32 * 10))
            .collect();
        let automaton = DoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build_with_values(keys.iter().cloned())
            .unwrap();
        keys.sort_unstable();
        let array: &'static [u8] = Box::leak(
            yada::builder::DoubleArrayBuilder::build(&keys)
                .unwrap()
                .into_boxed_slice(),
        );
        let mut first = [0u8; 256];
        for (key, _) in &keys {
            first[usize::from(key[0])] = 1;
        }
        let longest = keys.iter().map(|(k, _)| k.len()).max().unwrap();
        let trie = Trie::new(array, Box::leak(Box::new(first)), longest).unwrap();
        (Names::Automaton(automaton), trie)
    }

    fn matches(names: &Names, text: &str) -> Vec<(usize, usize, u32)> {
        let mut out = Vec::new();
        names.for_each_match(text.bytes(), |s, e, v| out.push((s, e, v)));
        out
    }

    fn trie_matches(trie: &Trie, text: &str, window: usize) -> Vec<(usize, usize, u32)> {
        let mut out = Vec::new();
        trie.for_each_match(text.bytes(), window, |s, e, v| out.push((s, e, v)));
        out
    }

    #[test]
    fn trie_reports_what_the_automaton_does_in_its_order() {
        let names = [
            "The",
            "The Man",
            "The Man Who",
            "Man",
            "Man Who",
            "Who",
            "He",
            "Her",
            "e",
            "an",
            "🙂",
            "🙂🙂",
            "1984",
            "84",
        ];
        let (automaton, trie) = both(&names);
        let text = "The Man Who said Her 🙂🙂 in 1984; The Man Whom. Then Theman anan";
        let expected = matches(&automaton, text);
        // Names nested in others, ending together, overlapping, at the
        // text's end: all of them, ordered by end, then start.
        assert!(expected.contains(&(0, 11, 20)), "{expected:?}");
        assert!(expected.contains(&(8, 11, 50)), "{expected:?}");
        for window in [1, 2, 3, 7, 64, WINDOW] {
            assert_eq!(
                trie_matches(&trie, text, window),
                expected,
                "window {window}"
            );
        }
        let mut sorted = expected.clone();
        sorted.sort_by_key(|&(s, e, _)| (e, s));
        assert_eq!(expected, sorted);
    }

    #[test]
    fn trie_reports_what_the_automaton_does_on_random_text() {
        let names = ["ab", "abc", "b", "bca", "ca", "cab", "a c", "c a b", "bb"];
        let (automaton, trie) = both(&names);
        let mut next = crate::testing::pseudo_random(11);
        for _ in 0..300 {
            let len = next(60) as usize;
            let text: String = (0..len)
                .map(|_| b"abc \0"[next(5) as usize] as char)
                .collect();
            let expected = matches(&automaton, &text);
            for window in [1, 5, 16] {
                assert_eq!(trie_matches(&trie, &text, window), expected, "{text:?}");
            }
        }
    }

    /// A NUL byte inside a name is no part of it (the trie marks the ends
    /// of its names with one).
    #[test]
    fn a_nul_byte_breaks_a_name() {
        // "Jo" is no name, so the trie's NUL slot after it is free.
        let (automaton, trie) = both(&["John", "Jon"]);
        let text = "Jo\0hn and John\0";
        let expected = vec![(10, 14, 0)];
        assert_eq!(matches(&automaton, text), expected);
        for window in [1, 3, WINDOW] {
            assert_eq!(trie_matches(&trie, text, window), expected);
        }
    }

    #[test]
    fn empty_text_has_no_names() {
        let (automaton, trie) = both(&["x"]);
        assert!(matches(&automaton, "").is_empty());
        assert!(trie_matches(&trie, "", 4).is_empty());
    }
}
