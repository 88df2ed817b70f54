//! The bytes the anachronism automaton reads: text recased so that ASCII
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
//! `build.rs` includes this file to prepare the built-in automaton, so it
//! depends on `std` alone.

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
            let starts_word = !after_alphanumeric;
            after_alphanumeric = byte.is_ascii_alphanumeric();
            if starts_word {
                byte.to_ascii_uppercase()
            } else {
                byte.to_ascii_lowercase()
            }
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
}
