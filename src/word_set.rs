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
/// about. Entries are compared byte for byte;
/// [`WordSet::contains_ascii_lowercased`] needs entries without ASCII
/// capitals.
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
    /// entries (which must have no ASCII capitals): `"Mr"` and `"MR"` are
    /// `"mr"`, as `eq_ignore_ascii_case` with each entry would say.
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

    const LIST: &[&str] = &["mr", "mrs", "e.g", "said", "née"];
    static SET: WordSet = WordSet::new(LIST);

    /// What the slice lookups the set replaced answered.
    fn by_list(word: &str) -> (bool, bool) {
        (
            LIST.contains(&word),
            LIST.iter().any(|entry| entry.eq_ignore_ascii_case(word)),
        )
    }

    #[test]
    fn answers_as_the_list_does() {
        let long = "x".repeat(80);
        let mut words = vec![
            "", "m", "mr", "Mr", "MR", "mrs", "MRS", "mrss", "e.g", "E.G", "said", "SAID", "say",
            "said ", "née", "Née", "NÉE", "nee", "Mister", &long,
        ];
        // Every word of up to four of these characters, too.
        let alphabet = ["m", "R", "s", "é", "É", ".", "g"];
        let mut random = crate::testing::Xorshift::new();
        let made: Vec<String> = (0..3_000)
            .map(|_| {
                let len = random.next() % 5;
                (0..len).map(|_| *random.pick(&alphabet)).collect()
            })
            .collect();
        words.extend(made.iter().map(String::as_str));
        for word in words {
            let (exact, ignoring_case) = by_list(word);
            assert_eq!(SET.contains(word), exact, "{word:?}");
            assert_eq!(
                SET.contains_ascii_lowercased(word),
                ignoring_case,
                "{word:?}"
            );
        }
        assert_eq!(SET.words(), LIST);
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
