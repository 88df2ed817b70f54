//! [`WordSet`]: a fixed list of words that is asked about for many words of
//! the manuscript (titles before names, verbs of speech, abbreviations).
//!
//! `list.contains(&word)` on a slice compares the word with every entry in
//! turn: for the hundred titles and verbs the name finder asks about each
//! capitalised word, about a thousand instructions a question, and on the
//! corpus over a hundred million in all (callgrind, 2026-12-04). A set
//! hashes the word once; words of a length no entry has are answered
//! without hashing.

use std::sync::OnceLock;

use rustc_hash::FxHashSet;

/// A `static` list of words, hashed into a set the first time it is asked
/// about. Entries are compared byte for byte; [`WordSet::contains_ascii_lowercased`]
/// needs every entry in lowercase.
pub struct WordSet {
    words: &'static [&'static str],
    index: OnceLock<Index>,
}

struct Index {
    set: FxHashSet<&'static str>,
    /// Bit `n` set when some entry is `n` bytes long (63 stands for 63
    /// bytes and more).
    lengths: u64,
    /// The longest entry, in bytes.
    longest: usize,
    /// Whether some entry has an ASCII capital (then it cannot be found by
    /// [`WordSet::contains_ascii_lowercased`]).
    has_capital: bool,
}

/// The bit of a word `len` bytes long in [`Index::lengths`].
fn length_bit(len: usize) -> u64 {
    1 << len.min(63)
}

impl WordSet {
    pub const fn new(words: &'static [&'static str]) -> WordSet {
        WordSet {
            words,
            index: OnceLock::new(),
        }
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index {
            set: self.words.iter().copied().collect(),
            lengths: self
                .words
                .iter()
                .fold(0, |bits, w| bits | length_bit(w.len())),
            longest: self.words.iter().map(|w| w.len()).max().unwrap_or(0),
            has_capital: self
                .words
                .iter()
                .any(|w| w.bytes().any(|b| b.is_ascii_uppercase())),
        })
    }

    /// Whether `word` is one of the entries, byte for byte.
    pub fn contains(&self, word: &str) -> bool {
        let index = self.index();
        index.lengths & length_bit(word.len()) != 0 && index.set.contains(word)
    }

    /// Whether `word` with its ASCII letters lowercased is one of the
    /// entries (which must be lowercase): `"Mr"` and `"MR"` are `"mr"`.
    pub fn contains_ascii_lowercased(&self, word: &str) -> bool {
        let index = self.index();
        debug_assert!(!index.has_capital, "{:?} has a capital", self.words);
        if index.lengths & length_bit(word.len()) == 0 {
            return false;
        }
        if !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return index.set.contains(word);
        }
        if word.len() > index.longest {
            return false;
        }
        let mut buffer = [0u8; 64];
        if word.len() > buffer.len() {
            return index.set.contains(word.to_ascii_lowercase().as_str());
        }
        let lower = &mut buffer[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        // Lowercasing ASCII letters keeps the text valid UTF-8.
        std::str::from_utf8(lower).is_ok_and(|lower| index.set.contains(lower))
    }

    /// The entries, as listed.
    pub fn words(&self) -> &'static [&'static str] {
        self.words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static SET: WordSet = WordSet::new(&["mr", "mrs", "e.g", "said", "née"]);

    #[test]
    fn answers_as_the_list_does() {
        for word in ["mr", "mrs", "e.g", "said", "née"] {
            assert!(SET.contains(word), "{word}");
            assert!(SET.contains_ascii_lowercased(word), "{word}");
        }
        for word in [
            "",
            "m",
            "mrss",
            "say",
            "Mr",
            "NÉE",
            "nee",
            "said ",
            "x".repeat(80).as_str(),
        ] {
            assert!(!SET.contains(word), "{word}");
        }
        for (word, expected) in [
            ("Mr", true),
            ("MRS", true),
            ("E.G", true),
            ("SAID", true),
            ("Née", true),
            // Only ASCII letters are lowercased.
            ("NÉE", false),
            ("Mister", false),
            ("", false),
        ] {
            assert_eq!(SET.contains_ascii_lowercased(word), expected, "{word}");
        }
        assert_eq!(SET.words().len(), 5);
    }

    #[test]
    fn long_words_are_not_entries() {
        static LONG: WordSet = WordSet::new(&["a"]);
        let long = "A".repeat(200);
        assert!(!LONG.contains(&long));
        assert!(!LONG.contains_ascii_lowercased(&long));
        // An entry of 63 bytes or more shares its length bit with longer
        // words: the set still tells them apart.
        static VERY_LONG: &[&str] =
            &["abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm"];
        static LONGEST: WordSet = WordSet::new(VERY_LONG);
        assert!(LONGEST.contains(VERY_LONG[0]));
        assert!(!LONGEST.contains(&format!("{}n", VERY_LONG[0])));
        assert!(LONGEST.contains_ascii_lowercased(&VERY_LONG[0].to_uppercase()));
    }
}
