//! Word boundaries (Unicode UAX #29): by a scan of its own for text of
//! ASCII and the few other characters most English prose holds, else via
//! `unicode-segmentation`.

use unicode_segmentation::UnicodeSegmentation;

use super::Span;

/// Appends the words of `prose[span]` to `out`. Words are runs with at least
/// one letter or digit; Project Gutenberg-style `_italic_` underscores are
/// trimmed off, since UAX #29 counts `_` as part of a word, and a word never
/// holds whitespace: UAX #29 joins words across U+202F NARROW NO-BREAK SPACE
/// (an `ExtendNumLet`, for Mongolian), which in prose is a thin space
/// (`the\u{202F}the` is two words).
pub(crate) fn push_words(prose: &str, span: Span, out: &mut Vec<Span>) {
    if out.capacity() == 0 {
        reserve_for_chapter(prose, out);
    }
    let before = out.len();
    if !push_plain_words(&prose[span.range()], span.start as usize, out) {
        out.truncate(before);
        push_words_by_uax29(prose, span, out);
    }
}

/// [`push_words`] through `unicode-segmentation`: for any text.
fn push_words_by_uax29(prose: &str, span: Span, out: &mut Vec<Span>) {
    let base = span.start as usize;
    for (offset, word) in prose[span.range()].unicode_word_indices() {
        let mut piece_offset = offset;
        for piece in word.split_inclusive(char::is_whitespace) {
            let this_offset = piece_offset;
            piece_offset += piece.len();
            let piece = piece.trim_end_matches(char::is_whitespace);
            let trimmed_start = piece.len() - piece.trim_start_matches('_').len();
            let core = piece.trim_matches('_');
            if core.chars().any(char::is_alphanumeric) {
                let start = base + this_offset + trimmed_start;
                out.push(Span::new(start, start + core.len()));
            }
        }
    }
}

/// How the plain-text word scan sees a character: the UAX #29 word break
/// classes its characters have.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Digit,
    /// `_`, joining what is on both sides (WB13a, WB13b).
    Underscore,
    /// `:` (MidLetter): inside a word between letters.
    MidLetter,
    /// `,` `;` (MidNum): inside a number between digits.
    MidNum,
    /// `.` `'` `‘` `’` (MidNumLet, Single_Quote): between letters or digits.
    MidNumLet,
    /// Anything else of the scan's characters: never inside a word.
    Other,
}

/// The class and width (bytes) of the character at `bytes[at]`, for ASCII
/// and the few other characters most English prose holds (curly quotes,
/// dashes, the ellipsis, a no-break space); `None` for any other.
fn class_at(bytes: &[u8], at: usize) -> Option<(Class, usize)> {
    let byte = bytes[at];
    if byte < 0x80 {
        // One load where the ranges of a `match` were a chain of branches
        // for every byte of the prose.
        return Some((ASCII_CLASSES[byte as usize], 1));
    }
    match byte {
        0xc2 if bytes.get(at + 1) == Some(&0xa0) => Some((Class::Other, 2)),
        0xe2 if bytes.get(at + 1) == Some(&0x80) => {
            match bytes.get(at + 2)? {
                // ‘ ’
                0x98 | 0x99 => Some((Class::MidNumLet, 3)),
                // – — “ ” …
                0x93 | 0x94 | 0x9c | 0x9d | 0xa6 => Some((Class::Other, 3)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The class of each ASCII byte (see [`class_at`]).
static ASCII_CLASSES: [Class; 128] = {
    let mut classes = [Class::Other; 128];
    let mut byte = 0;
    while byte < 128 {
        classes[byte] = match byte as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
            b'0'..=b'9' => Class::Digit,
            b'_' => Class::Underscore,
            b':' => Class::MidLetter,
            b',' | b';' => Class::MidNum,
            b'.' | b'\'' => Class::MidNumLet,
            _ => Class::Other,
        };
        byte += 1;
    }
    classes
};

/// Whether each byte is a letter or digit of [`ASCII_CLASSES`] (false from
/// 0x80 on): the last bytes of a run the word scan steps over eight at a
/// time (see [`alphanumeric_run`]).
static ASCII_ALPHANUMERIC: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = matches!(ASCII_CLASSES[byte], Class::Letter | Class::Digit);
        byte += 1;
    }
    table
};

/// How many bytes at the start of `bytes` are ASCII letters and digits
/// ([`ASCII_ALPHANUMERIC`]): eight at a time, then one at a time over the
/// last few. A byte-at-a-time loop ended in a mispredicted branch at the
/// end of nearly every word (a fifth of the parse's own time).
#[inline]
fn alphanumeric_run(bytes: &[u8]) -> usize {
    let mut run = 0;
    while let Some(eight) = bytes.get(run..run + 8) {
        let eight = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
        let stop = !alphanumeric_bytes(eight) & HIGH_BITS;
        if stop != 0 {
            return run + stop.trailing_zeros() as usize / 8;
        }
        run += 8;
    }
    run + bytes[run..]
        .iter()
        .take_while(|&&b| ASCII_ALPHANUMERIC[b as usize])
        .count()
}

/// The high bit of each byte of a `u64`.
const HIGH_BITS: u64 = u64::from_le_bytes([0x80; 8]);

/// The high bit set in each byte of `eight` that is an ASCII letter or
/// digit, and clear in every other. Adding to a byte whose high bit is
/// cleared never carries into the next, and sets its high bit from the
/// bound on: `b + (0x80 - lo)` has it when `b >= lo`.
#[inline]
fn alphanumeric_bytes(eight: u64) -> u64 {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    let low = eight & !HIGH_BITS;
    let at_least = |value: u64, bound: u8| (value + ONES * (0x80 - u64::from(bound))) & HIGH_BITS;
    let digit = at_least(low, b'0') & !at_least(low, b'9' + 1);
    // Upper case folded onto lower case: `A`-`Z` | 0x20 is `a`-`z`.
    let folded = low | (ONES * 0x20);
    let letter = at_least(folded, b'a') & !at_least(folded, b'z' + 1);
    (digit | letter) & !eight
}

/// A character that is part of a word wherever it stands.
fn is_core(class: Class) -> bool {
    matches!(class, Class::Letter | Class::Digit | Class::Underscore)
}

/// Whether `middle` between `before` and `after` keeps one word going
/// (WB6, WB7, WB11, WB12).
fn joins(middle: Class, before: Class, after: Class) -> bool {
    match (before, after) {
        (Class::Letter, Class::Letter) => matches!(middle, Class::MidLetter | Class::MidNumLet),
        (Class::Digit, Class::Digit) => matches!(middle, Class::MidNum | Class::MidNumLet),
        _ => false,
    }
}

/// [`push_words`] for text of ASCII and the characters [`class_at`] knows,
/// without the general segmenter's cost; false, having pushed some of the
/// words, at the first character it does not know. Its words are the UAX
/// #29 ones for such text (a test compares the two on random text).
fn push_plain_words(text: &str, base: usize, out: &mut Vec<Span>) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let Some((class, width)) = class_at(bytes, at) else {
            return false;
        };
        if !is_core(class) {
            at += width;
            continue;
        }
        let start = at;
        let (mut previous, mut has_alphanumeric) = (class, class != Class::Underscore);
        let mut has_underscore = !has_alphanumeric;
        // The bytes after the word already known to be outside any word.
        let mut known_outside = 0;
        at += width;
        while at < bytes.len() {
            // Most of a word is ASCII letters and digits: a run of them is
            // stepped over eight bytes at a time, where the class of
            // each (its look-up, width and flags) took some 26 instructions
            // a byte of prose.
            let run_start = at;
            at += alphanumeric_run(&bytes[at..]);
            if at > run_start {
                previous = ASCII_CLASSES[bytes[at - 1] as usize];
                has_alphanumeric = true;
                if at == bytes.len() {
                    break;
                }
            }
            // The byte after a run is mostly a space or a comma: an ASCII
            // character that is never inside a word ends it, whatever
            // follows (only the `Mid` classes join), without the class of
            // the next character looked up (a character the scan does not
            // know there still sends the text to the general segmenter,
            // from the outer loop).
            if ASCII_CLASSES.get(usize::from(bytes[at])) == Some(&Class::Other) {
                known_outside = 1;
                break;
            }
            let Some((class, width)) = class_at(bytes, at) else {
                return false;
            };
            if is_core(class) {
                let underscore = class == Class::Underscore;
                has_alphanumeric |= !underscore;
                has_underscore |= underscore;
            } else {
                let next = match bytes.len() > at + width {
                    true => match class_at(bytes, at + width) {
                        Some((next, _)) => next,
                        None => return false,
                    },
                    false => Class::Other,
                };
                if !joins(class, previous, next) {
                    break;
                }
            }
            previous = class;
            at += width;
        }
        if has_alphanumeric && !has_underscore {
            out.push(Span::new(base + start, base + at));
        } else if has_alphanumeric {
            // Gutenberg's `_italic_` underscores are not part of the word.
            let word = text[start..at].trim_matches('_');
            let word_start = base
                + start
                + (text[start..at].len() - text[start..at].trim_start_matches('_').len());
            out.push(Span::new(word_start, word_start + word.len()));
        }
        at += known_outside;
    }
    true
}

/// Sizes the chapter's word list once, from the number of spaces and line
/// breaks (about one per word in prose, plus a quarter for hyphenated and
/// dashed words). Growing by doubling instead would, at the last step, hold
/// the old list and one twice its size at once: for a 100 MB chapter, some
/// 300 MB more at the peak than the words need.
fn reserve_for_chapter(prose: &str, out: &mut Vec<Span>) {
    let gaps = count_gaps(prose.as_bytes());
    out.reserve(gaps + gaps / 4 + 16);
}

/// The spaces and line breaks of `bytes` (a byte-by-byte count took 3.5
/// instructions a byte).
fn count_gaps(bytes: &[u8]) -> usize {
    super::span::count_bytes(bytes, |b| b == b' ' || b == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_counted_in_any_block_of_64_bytes() {
        let mut random = crate::testing::Xorshift::new();
        let alphabet = [b' ', b'\n', b'a', b'\t', b'.'];
        for len in [0, 1, 63, 64, 65, 127, 128, 200, 1000] {
            let bytes: Vec<u8> = (0..len).map(|_| *random.pick(&alphabet)).collect();
            let expected = bytes.iter().filter(|&&b| b == b' ' || b == b'\n').count();
            assert_eq!(count_gaps(&bytes), expected, "{len}");
        }
        // A block of nothing but gaps: 64 fits the block's `u8` sum.
        assert_eq!(count_gaps(&[b' '; 256]), 256);
    }

    /// Eight bytes at a time, the run is what the table gives a byte at a
    /// time: every byte value at every place of an eight, and random runs
    /// longer than eight.
    #[test]
    fn alphanumeric_runs_match_the_table() {
        let by_table = |bytes: &[u8]| {
            bytes
                .iter()
                .take_while(|&&b| ASCII_ALPHANUMERIC[b as usize])
                .count()
        };
        for byte in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = *b"Abcz09AZxyz";
                bytes[at] = byte;
                assert_eq!(
                    alphanumeric_run(&bytes),
                    by_table(&bytes),
                    "{byte:#x} at {at}"
                );
            }
        }
        let mut random = crate::testing::Xorshift::new();
        let alphabet = [
            b'a', b'Z', b'0', b'9', b'@', b'[', b'`', b'{', b'/', b':', 0x80, 0xc3,
        ];
        for _ in 0..20_000 {
            let len = (random.next() % 30) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|i| match i < 10 {
                    true => b'q',
                    false => *random.pick(&alphabet),
                })
                .collect();
            assert_eq!(alphanumeric_run(&bytes), by_table(&bytes), "{bytes:?}");
        }
    }

    #[test]
    fn words_keep_apostrophes_and_drop_underscores() {
        let text = "Don’t _ever_ say 3.5 — twenty-one!";
        let mut words = Vec::new();
        push_words(text, Span::new(0, text.len()), &mut words);
        let got: Vec<&str> = words.iter().map(|w| &text[w.range()]).collect();
        assert_eq!(got, vec!["Don’t", "ever", "say", "3.5", "twenty", "one"]);
    }

    /// The plain-text scan finds the words the general segmenter finds, on
    /// random text of the characters it knows and a few it does not.
    #[test]
    fn plain_scan_agrees_with_uax29() {
        const PIECES: &[&str] = &[
            "a", "Zed", "x", "9", "10", "_", "__", ".", ",", ";", "'", ":", "’", "‘", "“", "”",
            "—", "–", "…", "\u{a0}", " ", "  ", "\n", "\t", "-", "!", "?", "(", "\"", "é",
            "\u{202f}", "\u{ad}",
        ];
        let mut random = crate::testing::Xorshift::new();
        let mut plain_texts = 0;
        for _ in 0..20_000 {
            let len = (random.next() % 12) as usize;
            let text: String = (0..len).map(|_| *random.pick(PIECES)).collect();
            let span = Span::new(0, text.len());
            let (mut got, mut expected) = (Vec::new(), Vec::new());
            push_words(&text, span, &mut got);
            push_words_by_uax29(&text, span, &mut expected);
            assert_eq!(got, expected, "{text:?}");
            plain_texts += push_plain_words(&text, 0, &mut Vec::new()) as usize;
        }
        // Both ways were taken.
        assert!((5_000..19_000).contains(&plain_texts), "{plain_texts}");
    }

    #[test]
    fn narrow_no_break_space_separates_words() {
        let text = "the\u{202F}the 10\u{202F}000 _a_\u{202F}_b_";
        let mut words = Vec::new();
        push_words(text, Span::new(0, text.len()), &mut words);
        let got: Vec<&str> = words.iter().map(|w| &text[w.range()]).collect();
        assert_eq!(got, vec!["the", "the", "10", "000", "a", "b"]);
    }
}
