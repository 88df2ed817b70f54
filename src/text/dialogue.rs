//! Finds quoted speech so rules can be scoped to dialogue or narration.
//!
//! Double quotes (curly or straight) always mark speech. Single curly or
//! straight quotes mark speech only when they open after a space or at the
//! start of a paragraph and close before a non-letter, so apostrophes inside
//! words (“don’t”) never open or close anything. Speech left open at the end
//! of a paragraph runs to its end: by convention a speaker who goes on into
//! the next paragraph gets no closing quote.
//!
//! The quotation marks of other languages count too: « French » and
//! » German « guillemets (the first one met opens), and „German“ low-high
//! quotes. A paragraph that opens with a dash is dialogue set the French
//! and Spanish way (`—Hola —dijo ella—. ¿Vienes?`): the speech runs to the
//! next dash, the narrator's words from there to the one after, and so on.

use super::{Chapter, Span};

pub(crate) fn find_dialogue(chapter: &Chapter) -> Vec<Span> {
    let mut spans = Vec::new();
    for block in chapter.paragraphs() {
        quoted_spans(&chapter.prose, block.span, &mut spans);
    }
    spans
}

fn quoted_spans(prose: &str, block: Span, out: &mut Vec<Span>) {
    let base = block.start as usize;
    let text = &prose[block.range()];
    if text.trim_start().starts_with(['—', '―']) {
        dash_dialogue(text, base, out);
        return;
    }
    let mut open: Option<(usize, char)> = None;
    let step = |i: usize, c: char, previous: char, next: char| match open {
        None if opens_speech(c, previous, next) => open = Some((i, c)),
        Some((start, opener)) if closes_speech(opener, c, previous, next) => {
            out.push(Span::new(base + start, base + i + c.len_utf8()));
            open = None;
        }
        _ => {}
    };
    if memchr::memchr(0xC2, text.as_bytes()).is_none() {
        each_mark(text, step);
    } else {
        each_character(text, step);
    }
    if let Some((start, _)) = open {
        out.push(Span::new(base + start, base + text.trim_end().len()));
    }
}

/// The quotation marks of `text` other than guillemets, with their byte
/// offsets, in order: `"`, `'`, `“`, `”`, `‘`, `’` and `„`. Found by a
/// byte search rather than by decoding every character: every such mark
/// is `"`, `'` or starts with the byte 0xE2 (E2 80 98/99/9C/9D/9E in
/// UTF-8), and 0xE2 only ever leads a character.
pub(crate) fn quotation_marks(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b'"', b'\'', 0xE2, bytes).filter_map(move |i| {
        let mark = match bytes[i] {
            b'"' => '"',
            b'\'' => '\'',
            _ => match bytes.get(i + 1..i + 3)? {
                [0x80, 0x98] => '‘',
                [0x80, 0x99] => '’',
                [0x80, 0x9C] => '“',
                [0x80, 0x9D] => '”',
                [0x80, 0x9E] => '„',
                _ => return None,
            },
        };
        Some((i, mark))
    })
}

/// Calls `visit(offset, mark, previous, next)` for each of the
/// [`quotation_marks`] of `text`, with the characters around it (a space
/// at either end): finding them by a byte search, where weighing every
/// character as a possible opener was 3.5% of a corpus run.
fn each_mark(text: &str, mut visit: impl FnMut(usize, char, char, char)) {
    for (i, c) in quotation_marks(text) {
        let previous = text[..i].chars().next_back().unwrap_or(' ');
        let next = text[i + c.len_utf8()..].chars().next().unwrap_or(' ');
        visit(i, c, previous, next);
    }
}

/// Like [`each_mark`], for every character of `text`.
fn each_character(text: &str, mut visit: impl FnMut(usize, char, char, char)) {
    let mut previous = ' ';
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        visit(i, c, previous, chars.peek().map_or(' ', |&(_, n)| n));
        previous = c;
    }
}

/// `—Hola —dijo ella—. ¿Vienes?`: speech and narration alternate at each
/// dash, starting with speech.
fn dash_dialogue(text: &str, base: usize, out: &mut Vec<Span>) {
    let start = text.len() - text.trim_start().len();
    let dashes: Vec<usize> = text
        .char_indices()
        .filter(|&(i, c)| i >= start && (c == '—' || c == '―'))
        .map(|(i, _)| i)
        .collect();
    let end = text.trim_end().len();
    for (n, &from) in dashes.iter().enumerate().step_by(2) {
        let to = dashes.get(n + 1).copied().unwrap_or(end);
        let speech = text[from..to].trim_end();
        if speech.chars().any(char::is_alphanumeric) {
            out.push(Span::new(base + from, base + from + speech.len()));
        }
    }
}

fn opens_speech(c: char, previous: char, next: char) -> bool {
    let at_word_start = previous.is_whitespace() || "([—–-".contains(previous);
    match c {
        '“' | '«' | '»' | '„' => true,
        '"' => !next.is_whitespace(),
        '‘' | '\'' => at_word_start && next.is_alphabetic(),
        _ => false,
    }
}

fn closes_speech(opener: char, c: char, previous: char, next: char) -> bool {
    match (opener, c) {
        ('“', '”') | ('"', '"') | ('«', '»') | ('»', '«') | ('„', '“' | '”') => true,
        ('‘' | '\'', '’' | '\'') => !next.is_alphanumeric() && !previous.is_whitespace(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use crate::text::{Chapter, SourceFormat};

    fn speech(text: &str) -> Vec<String> {
        let ch = Chapter::parse(
            0,
            PathBuf::from("c.txt"),
            SourceFormat::PlainText,
            Arc::from(text),
        );
        ch.dialogue
            .iter()
            .map(|s| ch.slice(*s).to_string())
            .collect()
    }

    #[test]
    fn guillemets_and_low_quotes_mark_speech() {
        assert_eq!(
            speech("« Viens », dit-elle. Il ne bougea pas.\n"),
            vec!["« Viens »"]
        );
        assert_eq!(speech("»Komm«, sagte sie.\n"), vec!["»Komm«"]);
        assert_eq!(speech("„Komm“, sagte sie.\n"), vec!["„Komm“"]);
    }

    #[test]
    fn a_paragraph_opening_with_a_dash_is_dialogue() {
        assert_eq!(
            speech("—Hola —dijo ella—. ¿Vienes?\n"),
            vec!["—Hola", "—. ¿Vienes?"]
        );
        assert_eq!(speech("— Bonjour, dit-il.\n"), vec!["— Bonjour, dit-il."]);
        assert_eq!(speech("She left—quickly.\n"), Vec::<String>::new());
    }

    /// Finding the marks by a byte search visits what visiting every
    /// character visits for a quotation mark, on pseudo-random text of
    /// marks, letters, spaces and other characters led by 0xE2.
    #[test]
    fn marks_found_by_search_are_those_of_a_walk() {
        const PIECES: &[&str] = &[
            "a", "Zo", " ", "\n", "\"", "'", "“", "”", "‘", "’", "„", "—", "…", "é", "(", "-",
        ];
        let mut next = crate::testing::pseudo_random(31);
        for _ in 0..500 {
            let text: String = (0..next(24))
                .map(|_| PIECES[next(PIECES.len() as u32) as usize])
                .collect();
            let mut by_search = Vec::new();
            super::each_mark(&text, |i, c, p, n| by_search.push((i, c, p, n)));
            let mut by_walk = Vec::new();
            super::each_character(&text, |i, c, p, n| {
                if !c.is_alphanumeric() && !"—…( -\n".contains(c) {
                    by_walk.push((i, c, p, n));
                }
            });
            assert_eq!(by_search, by_walk, "{text:?}");
        }
    }
}
