//! The bytes the anachronism rule's search of names reads: text recased so that ASCII
//! letters are uppercase where a word starts and lowercase elsewhere.
//!
//! The names and the prose they are looked for in are recased alike, so a
//! name is still found whatever the case of the prose, but a name that
//! starts with an ASCII letter is only found from the first letter of a
//! word: never inside one (“ing” in “seeing”), where the rule threw the
//! match away, names being whole words. The automaton gains more than the
//! fewer matches: reading lowercase letters inside a word it stays at its
//! root, where over lowercased prose nearly every byte carried it to a state
//! of its own among some 50,000 names, most of them out of the processor's
//! caches. The check of a chapter took a fifth to a quarter less time.
//!
//! `build.rs` includes this file to prepare the built-in automaton and
//! trie of names, so it depends on `std` alone. (The figures above are the
//! automaton's; the trie, walked only from where a name may start, gains
//! in the same way.)

/// `text` recased (see the module docs), one byte for each byte of it:
/// offsets into the result are offsets into `text`. A word starts at the
/// start of `text` and after any character that is not alphanumeric
/// (`char::is_alphanumeric`); bytes other than ASCII letters are kept,
/// but for a line feed between two lines of a paragraph, which reads as a
/// space.
pub fn recased(text: &str) -> impl Iterator<Item = u8> + '_ {
    let bytes = text.as_bytes();
    let mut after_alphanumeric = false;
    text.bytes().enumerate().map(move |(at, byte)| {
        if byte == b'\n' {
            after_alphanumeric = false;
            // A line break inside a paragraph (a hard-wrapped line) is the
            // space between two words of a name (“The Catcher in⏎the
            // Rye”); a blank line, which ends a paragraph, is not.
            let inside = at > 0
                && bytes[at - 1] != b'\n'
                && bytes.get(at + 1).is_some_and(|&next| next != b'\n');
            return if inside { b' ' } else { byte };
        }
        if byte.is_ascii() {
            // Table look-ups where case tests and changes were a dozen
            // instructions, for every byte the automaton reads.
            let recased = RECASED[usize::from(after_alphanumeric)][usize::from(byte)];
            after_alphanumeric = ASCII_ALPHANUMERIC[usize::from(byte)];
            recased
        } else {
            // A lead byte: the character it starts decides; the bytes that
            // continue it are never letters.
            if byte >= 0xC0 {
                after_alphanumeric = text[at..].chars().next().is_some_and(char::is_alphanumeric);
            }
            byte
        }
    })
}

/// Each ASCII byte recased where a word starts (`[0]`: uppercase) and
/// inside a word (`[1]`: lowercase).
static RECASED: [[u8; 128]; 2] = {
    let mut table = [[0; 128]; 2];
    let mut byte = 0;
    while byte < 128 {
        table[0][byte] = (byte as u8).to_ascii_uppercase();
        table[1][byte] = (byte as u8).to_ascii_lowercase();
        byte += 1;
    }
    table
};

/// Whether each ASCII byte is a letter or digit: the word scan's table of
/// the same (`text::words`) is not at hand in `build.rs`, which includes
/// this file alone.
static ASCII_ALPHANUMERIC: [bool; 128] = {
    let mut table = [false; 128];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = (byte as u8).is_ascii_alphanumeric();
        byte += 1;
    }
    table
};

/// The line breaks inside paragraphs that are more than one byte of
/// space: a Windows file's `\r\n`, trailing spaces before a break (a
/// Markdown hard break, `··⏎`), the indent of a list item's or block
/// quote's next line (whose `>` is blanked in the prose). [`LineJoins::stream`]
/// leaves those bytes out, so that each break reads as the one space a
/// name's words have between them, as a bare line feed does in
/// [`recased`], and [`LineJoins::to_text`] maps offsets in that stream back
/// to offsets in the text. Empty for a text with bare line feeds only (the
/// corpus, and most chapters), whose stream is [`recased`] itself.
pub struct LineJoins {
    /// Text offsets of the bytes left out, ascending.
    dropped: Vec<usize>,
}

impl LineJoins {
    /// The breaks inside paragraphs of `text`: a `\n` with a character
    /// other than a line end on each side, spaces, tabs and `\r` aside (a
    /// blank line, which ends a paragraph, is not one).
    pub fn of(text: &str) -> LineJoins {
        let bytes = text.as_bytes();
        let space = |b: u8| matches!(b, b' ' | b'\t' | b'\r');
        let mut dropped = Vec::new();
        for (at, _) in text.match_indices('\n') {
            let before = bytes[..at].iter().rev().take_while(|&&b| space(b)).count();
            let after = bytes[at + 1..]
                .iter()
                .take_while(|&&b| matches!(b, b' ' | b'\t'))
                .count();
            if before + after == 0 {
                continue;
            }
            let first = at - before;
            let next = at + 1 + after;
            let inside = first > 0
                && bytes[first - 1] != b'\n'
                && bytes
                    .get(next)
                    .is_some_and(|&b| !matches!(b, b'\n' | b'\r'));
            if inside {
                dropped.extend(first..at);
                dropped.extend(at + 1..next);
            }
        }
        LineJoins { dropped }
    }

    pub fn is_empty(&self) -> bool {
        self.dropped.is_empty()
    }

    /// [`recased`] over `text`, less the bytes left out around the breaks.
    pub fn stream<'t>(&'t self, text: &'t str) -> impl Iterator<Item = u8> + 't {
        let mut next = 0;
        recased(text).enumerate().filter_map(move |(at, byte)| {
            if self.dropped.get(next) == Some(&at) {
                next += 1;
                return None;
            }
            Some(byte)
        })
    }

    /// The text offset of the byte at offset `at` of [`LineJoins::stream`].
    pub fn to_text(&self, at: usize) -> usize {
        // The i-th byte left out comes before stream offset `dropped[i] -
        // i` (the offsets are distinct and rising, so these do not fall).
        let (mut low, mut high) = (0, self.dropped.len());
        while low < high {
            let middle = (low + high) / 2;
            if self.dropped[middle] - middle <= at {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        at + low
    }

    /// The text offset that ends a span ending (exclusive) at stream offset
    /// `end > 0`: one past its last byte's.
    pub fn end_to_text(&self, end: usize) -> usize {
        self.to_text(end - 1) + 1
    }
}

/// `text` with each line break and the space around it (`\n`, `\r\n`, a
/// hard break's trailing spaces, a quoted line's indent) read as one
/// space: a name wrapped onto the next line as a reader sees it.
pub fn on_one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\n') {
        return std::borrow::Cow::Borrowed(text);
    }
    let lines: Vec<&str> = text
        .split('\n')
        .map(|line| line.trim_matches(|c| matches!(c, ' ' | '\t' | '\r')))
        .collect();
    std::borrow::Cow::Owned(lines.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recase(text: &str) -> String {
        let bytes: Vec<u8> = recased(text).collect();
        assert_eq!(bytes.len(), text.len());
        String::from_utf8(bytes).expect("only ASCII letters change")
    }

    #[test]
    fn words_start_uppercase_and_go_on_lowercase() {
        assert_eq!(recase("the DA vinci-code"), "The Da Vinci-Code");
        // After an apostrophe or quote a word starts again; a digit is
        // alphanumeric, so a letter after it goes on a word.
        assert_eq!(recase("o’brien's 3d “x”"), "O’Brien'S 3d “X”");
        // Other letters are kept, and count as letters: no start after “é”.
        assert_eq!(recase("x2y éx ÉCOLE"), "X2y éx École");
        assert_eq!(recase(""), "");
        // A wrapped line's break is a space; a blank line is kept.
        assert_eq!(recase("the\nrye\n\nx\n"), "The Rye\n\nX\n");
    }

    /// Every ASCII byte after every other: uppercase after a byte that is
    /// no letter or digit, lowercase after one that is.
    #[test]
    fn every_ascii_byte_is_recased_by_what_comes_before() {
        for before in 0..128u8 {
            for byte in (0..128u8).filter(|&b| b != b'\n') {
                let text = String::from_utf8(vec![before, byte]).unwrap();
                let second = recased(&text).nth(1).unwrap();
                let expected = match before.is_ascii_alphanumeric() {
                    true => byte.to_ascii_lowercase(),
                    false => byte.to_ascii_uppercase(),
                };
                assert_eq!(second, expected, "{before:#x} {byte:#x}");
            }
        }
    }

    #[test]
    fn a_windows_line_break_inside_a_paragraph_reads_as_one_space() {
        let text = "the\r\nrye\r\n\r\nx\r\ny\r\n";
        let joins = LineJoins::of(text);
        let stream = String::from_utf8(joins.stream(text).collect()).unwrap();
        // The blank line and the last line end are kept.
        assert_eq!(stream, "The Rye\r \r X Y\r\n");
        // “Rye” is at 4 in the stream and at 5 in the text; “Y” at 13, 15.
        assert_eq!(joins.to_text(0), 0);
        assert_eq!(joins.to_text(3), 4);
        assert_eq!(joins.to_text(4), 5);
        assert_eq!(joins.end_to_text(7), 8);
        assert_eq!((joins.to_text(13), &text[15..16]), (15, "y"));
        assert!(LineJoins::of("a\nb\rc").is_empty());
        assert_eq!(on_one_line("in\r\nthe\nrye"), "in the rye");
    }

    #[test]
    fn spaces_around_a_break_inside_a_paragraph_are_left_out() {
        // A hard break's trailing spaces, a quoted line's blanked `>` and
        // indent; a line of spaces between paragraphs is no break inside.
        let text = "star  \n  wars\n  \nx";
        let joins = LineJoins::of(text);
        let stream = String::from_utf8(joins.stream(text).collect()).unwrap();
        assert_eq!(stream, "Star Wars    X");
        assert_eq!(joins.to_text(5), 9);
        assert_eq!(joins.end_to_text(9), 13);
        assert_eq!(on_one_line("Star  \n  Wars"), "Star Wars");
    }
}
