//! Background word frequencies (Zipf scale) for English, French, Spanish
//! and German, embedded in the binary.
//!
//! Data: `rules/wordfreq/{en,fr,es,de}-zipf.txt` from the `wordfreq` package,
//! CC BY-SA 4.0 (see `rules/wordfreq/README.md`): the 100,000 commonest
//! English words and the 30,000 commonest French, Spanish and German ones,
//! sorted by their bytes, one fixed-width record per line (the word padded
//! with spaces to the table's word width, a space, the Zipf value as
//! `d.dd`, a newline), after a header record. Because the records are
//! sorted and all the same size, a lookup is a binary search over the
//! embedded file itself: nothing is parsed or built at start-up, and no
//! lookup allocates. English, asked about every word of a manuscript, also
//! has a hash index built at compile time (see [`slots`]).

use crate::language::Language;

mod slots;

/// The English table (see the module docs). A test checks its order.
static DATA: &[u8] = include_bytes!("../rules/wordfreq/en-zipf.txt");

/// The English table's hash index, written by `build.rs` (see [`slots`]).
static SLOTS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/en-zipf-slots.bin"));

/// Bytes of the English word column: the longest word of the table has 22.
const WORD_BYTES: usize = 22;

/// Bytes of one record: word column, space, `d.dd`, newline.
const RECORD: usize = WORD_BYTES + 6;

/// One language's table: the embedded records and their word width.
struct Table {
    data: &'static [u8],
    word_bytes: usize,
}

static FRENCH: Table = Table {
    data: include_bytes!("../rules/wordfreq/fr-zipf.txt"),
    word_bytes: 20,
};
static SPANISH: Table = Table {
    data: include_bytes!("../rules/wordfreq/es-zipf.txt"),
    word_bytes: 20,
};
static GERMAN: Table = Table {
    data: include_bytes!("../rules/wordfreq/de-zipf.txt"),
    word_bytes: 27,
};

/// Widest word column of any table.
const MAX_WORD_BYTES: usize = 27;

/// Zipf frequency of a lowercase word in `language`: about 7.7 for “the”
/// and 7.7 for French “de”, 3 for a word met once per million words, 0
/// for words outside the table and in languages without one. A French
/// elided article or pronoun is read off (`l’homme` is looked up as
/// `homme`).
pub fn zipf_in(language: &Language, lowercase_word: &str) -> f32 {
    let table = match language {
        Language::English => return zipf(lowercase_word),
        Language::French => &FRENCH,
        Language::Spanish => &SPANISH,
        Language::German => &GERMAN,
        Language::Other(_) => return 0.0,
    };
    let word = match language {
        Language::French => strip_elision(lowercase_word),
        _ => lowercase_word,
    };
    let bytes = word.as_bytes();
    if bytes.len() > table.word_bytes {
        return 0.0;
    }
    let mut key = [b' '; MAX_WORD_BYTES];
    key[..bytes.len()].copy_from_slice(bytes);
    search(table.data, table.word_bytes, &key[..table.word_bytes])
}

/// [`zipf_in`] of any word form: lowercased first (no allocation for
/// English; other languages lowercase into a short string).
pub fn zipf_of_in(language: &Language, word: &str) -> f32 {
    match language {
        Language::English => zipf_of(word),
        Language::Other(_) => 0.0,
        _ => zipf_in(language, &word.to_lowercase()),
    }
}

/// `l’homme` → `homme`, `qu'il` → `il`, `aujourd’hui` unchanged: the
/// French elided words that wordfreq's tokenizer splits off.
pub fn strip_elision(word: &str) -> &str {
    const ELIDED: &[&str] = &[
        "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
    ];
    match word.find(['\'', '’']) {
        Some(at) if ELIDED.contains(&&word[..at]) => {
            let rest = &word[at..];
            &rest[rest.chars().next().map_or(0, char::len_utf8)..]
        }
        _ => word,
    }
}

/// Zipf frequency of a lowercase word: about 7.7 for “the”, 3 for a word
/// met once per million words, 0 for words outside the top 100,000.
pub fn zipf(lowercase_word: &str) -> f32 {
    let bytes = lowercase_word.as_bytes();
    if bytes.len() > WORD_BYTES {
        return 0.0;
    }
    let mut key = [b' '; WORD_BYTES];
    key[..bytes.len()].copy_from_slice(bytes);
    lookup(&key)
}

/// Zipf frequency of any word form: lowercased, with a curly apostrophe
/// read as a straight one (the table uses straight apostrophes). Allocates
/// nothing: the form is lowercased into a buffer on the stack.
pub fn zipf_of(word: &str) -> f32 {
    let mut key = [b' '; WORD_BYTES];
    // Most words: ASCII, lowercased a byte at a time.
    if word.is_ascii() {
        if word.len() > WORD_BYTES {
            return 0.0;
        }
        for (k, b) in key.iter_mut().zip(word.bytes()) {
            *k = b.to_ascii_lowercase();
        }
        return lookup(&key);
    }
    let mut len = 0;
    for c in word.chars() {
        let mut push = |c: char| {
            let width = c.len_utf8();
            if len + width > WORD_BYTES {
                return false;
            }
            c.encode_utf8(&mut key[len..]);
            len += width;
            true
        };
        let fits = match c {
            '’' => push('\''),
            c if c.is_ascii() => push(c.to_ascii_lowercase()),
            c => c.to_lowercase().all(&mut push),
        };
        if !fits {
            return 0.0;
        }
    }
    lookup(&key)
}

/// The English record for a word padded with spaces, through the hash
/// index: the slots from the word's first one on, up to an empty slot.
fn lookup(key: &[u8; WORD_BYTES]) -> f32 {
    let (mut slot, tag) = slots::place(key);
    loop {
        let entry = u32::from_le_bytes(
            SLOTS[slot * 4..slot * 4 + 4]
                .try_into()
                .expect("four bytes"),
        );
        if entry == 0 {
            return 0.0;
        }
        // Another word's tag: its record need not be read.
        if entry >> slots::NUMBER_BITS == tag {
            let number = (entry & ((1 << slots::NUMBER_BITS) - 1)) as usize;
            let record = &DATA[number * RECORD..(number + 1) * RECORD];
            if record[..WORD_BYTES] == key[..] {
                return parse_zipf(&record[WORD_BYTES + 1..RECORD - 1]);
            }
        }
        slot = (slot + 1) % slots::SLOTS;
    }
}

/// Binary search of `data`'s records (words `word_bytes` wide) for a word
/// padded with spaces. Padding keeps the byte order of the words: no word
/// holds a byte below the space.
fn search(data: &[u8], word_bytes: usize, key: &[u8]) -> f32 {
    let record_len = word_bytes + 6;
    let records = data.len() / record_len;
    // Record 0 is the header.
    let (mut lo, mut hi) = (1, records);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let record = &data[mid * record_len..(mid + 1) * record_len];
        match record[..word_bytes].cmp(key) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => {
                return parse_zipf(&record[word_bytes + 1..record_len - 1]);
            }
        }
    }
    0.0
}

/// `7.73` → 7.73. The result is the `f32` that `str::parse` gives (a
/// correctly rounded division of two exact integers), without its cost.
fn parse_zipf(text: &[u8]) -> f32 {
    let digit = |i: usize| u32::from(text.get(i).copied().unwrap_or(b'0').wrapping_sub(b'0') % 10);
    let hundredths = digit(0) * 100 + digit(2) * 10 + digit(3);
    hundredths as f32 / 100.0
}

/// Occurrences per million words, from a Zipf value.
pub fn per_million(zipf: f32) -> f64 {
    10f64.powf(zipf as f64 - 3.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_words_rank_above_rare_ones() {
        assert!(zipf("the") > 7.5);
        assert!(zipf("metallic") > 2.5 && zipf("metallic") < 4.5);
        assert!(zipf("tang") < zipf("metallic"));
        assert_eq!(zipf("qzxv-not-a-word"), 0.0);
        assert_eq!(zipf_of("Don’t"), zipf("don't"));
        assert_eq!(zipf_of("THE"), zipf("the"));
        assert_eq!(zipf_of(&"a".repeat(200)), 0.0);
        assert_eq!(zipf(""), 0.0);
        assert!((per_million(3.0) - 1.0).abs() < 1e-9);
    }

    /// The binary search needs the records sorted and of one size; every
    /// word must be found, with the value `str::parse` reads.
    #[test]
    fn table_is_sorted_and_every_word_is_found() {
        assert_eq!(DATA.len() % RECORD, 0);
        let text = std::str::from_utf8(DATA).expect("UTF-8");
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("word                   zipf"));
        let mut previous = String::new();
        let mut count = 0;
        for line in lines {
            assert_eq!(line.len() + 1, RECORD, "{line:?}");
            let (word, value) = line.split_once(' ').expect("word, spaces, zipf");
            let value = value.trim_start();
            assert!(
                previous.as_str() < word,
                "{previous:?} is not before {word:?}"
            );
            assert!(word.bytes().all(|b| b > b' '), "{word:?}");
            let expected: f32 = value.parse().expect("a number");
            assert_eq!(zipf(word), expected, "{word}");
            previous = word.to_string();
            count += 1;
        }
        assert_eq!(count, 100_000);
        assert_eq!(zipf("the"), 7.73);
        // Just outside the table at both ends.
        assert_eq!(zipf("!"), 0.0);
        assert_eq!(zipf("\u{10ffff}"), 0.0);
    }

    /// The hash index holds every record once and answers as the binary
    /// search does, for words in the table and out of it.
    #[test]
    fn hash_index_agrees_with_the_binary_search() {
        assert_eq!(SLOTS.len(), slots::SLOTS * 4);
        let mut numbers: Vec<u32> = SLOTS
            .chunks(4)
            .map(|s| u32::from_le_bytes(s.try_into().unwrap()))
            .filter(|&n| n != 0)
            .collect();
        // Each slot of a word holds its tag (zero for one word in 32,768).
        let tagged = numbers.iter().filter(|&&e| e >> slots::NUMBER_BITS != 0);
        assert!(tagged.count() > 99_000);
        for entry in &mut numbers {
            *entry &= (1 << slots::NUMBER_BITS) - 1;
        }
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=100_000).collect::<Vec<u32>>());
        let text = std::str::from_utf8(DATA).expect("UTF-8");
        for line in text.lines().skip(1).step_by(97) {
            let word = line.split(' ').next().unwrap();
            for probe in [word.to_string(), format!("{word}x"), format!("x{word}")] {
                let mut key = [b' '; WORD_BYTES];
                if probe.len() > WORD_BYTES {
                    continue;
                }
                key[..probe.len()].copy_from_slice(probe.as_bytes());
                assert_eq!(lookup(&key), search(DATA, WORD_BYTES, &key), "{probe}");
            }
        }
    }

    /// The French, Spanish and German tables: sorted, one record size,
    /// 30,000 words each, every word found.
    #[test]
    fn other_tables_are_sorted_and_every_word_is_found() {
        for (language, table) in [
            (Language::French, &FRENCH),
            (Language::Spanish, &SPANISH),
            (Language::German, &GERMAN),
        ] {
            let record = table.word_bytes + 6;
            assert_eq!(table.data.len() % record, 0, "{language}");
            assert!(table.word_bytes <= MAX_WORD_BYTES);
            let text = std::str::from_utf8(table.data).expect("UTF-8");
            let mut previous = String::new();
            let mut count = 0;
            for line in text.lines().skip(1) {
                assert_eq!(line.len() + 1, record, "{line:?}");
                let (word, value) = line.split_once(' ').expect("word, spaces, zipf");
                assert!(previous.as_str() < word, "{previous:?} before {word:?}");
                let expected: f32 = value.trim_start().parse().expect("a number");
                if !word.contains(['\'', '’']) || language != Language::French {
                    assert_eq!(zipf_in(&language, word), expected, "{language} {word}");
                }
                previous = word.to_string();
                count += 1;
            }
            assert_eq!(count, 30_000, "{language}");
        }
    }

    #[test]
    fn function_words_rank_high_in_their_own_language() {
        assert!(zipf_in(&Language::French, "de") > 7.0);
        assert!(zipf_in(&Language::Spanish, "que") > 7.0);
        assert!(zipf_in(&Language::German, "und") > 7.0);
        assert!(zipf_in(&Language::French, "phare") < zipf_in(&Language::French, "maison"));
        assert_eq!(
            zipf_in(&Language::French, "l’homme"),
            zipf_in(&Language::French, "homme")
        );
        assert_eq!(strip_elision("aujourd’hui"), "aujourd’hui");
        assert_eq!(strip_elision("qu'il"), "il");
        assert_eq!(zipf_in(&Language::Other("it".into()), "casa"), 0.0);
        assert_eq!(zipf_in(&Language::English, "the"), zipf("the"));
    }
}
