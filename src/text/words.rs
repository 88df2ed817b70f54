//! Word boundaries (Unicode UAX #29, via `unicode-segmentation`).

use unicode_segmentation::UnicodeSegmentation;

use super::Span;

/// Appends the words of `prose[span]` to `out`. Words are runs with at least
/// one letter or digit; Project Gutenberg-style `_italic_` underscores are
/// trimmed off, since UAX #29 counts `_` as part of a word.
pub(crate) fn push_words(prose: &str, span: Span, out: &mut Vec<Span>) {
    let base = span.start as usize;
    for (offset, word) in prose[span.range()].unicode_word_indices() {
        let trimmed_start = word.len() - word.trim_start_matches('_').len();
        let core = word.trim_matches('_');
        if core.chars().any(char::is_alphanumeric) {
            let start = base + offset + trimmed_start;
            out.push(Span::new(start, start + core.len()));
        }
    }
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
}
