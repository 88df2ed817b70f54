//! Word boundaries (Unicode UAX #29, via `unicode-segmentation`).

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

/// Sizes the chapter's word list once, from the number of spaces and line
/// breaks (about one per word in prose, plus a quarter for hyphenated and
/// dashed words). Growing by doubling instead would, at the last step, hold
/// the old list and one twice its size at once: for a 100 MB chapter, some
/// 300 MB more at the peak than the words need.
fn reserve_for_chapter(prose: &str, out: &mut Vec<Span>) {
    let gaps = prose.bytes().filter(|&b| b == b' ' || b == b'\n').count();
    out.reserve(gaps + gaps / 4 + 16);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_apostrophes_and_drop_underscores() {
        let text = "Don’t _ever_ say 3.5 — twenty-one!";
        let mut words = Vec::new();
        push_words(text, Span::new(0, text.len()), &mut words);
        let got: Vec<&str> = words.iter().map(|w| &text[w.range()]).collect();
        assert_eq!(got, vec!["Don’t", "ever", "say", "3.5", "twenty", "one"]);
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
