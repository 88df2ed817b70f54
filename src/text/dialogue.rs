//! Finds quoted speech so rules can be scoped to dialogue or narration.
//!
//! Double quotes (curly or straight) always mark speech. Single curly or
//! straight quotes mark speech only when they open after a space or at the
//! start of a paragraph and close before a non-letter, so apostrophes inside
//! words (“don’t”) never open or close anything. Speech left open at the end
//! of a paragraph runs to its end: by convention a speaker who goes on into
//! the next paragraph gets no closing quote.

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
    let mut open: Option<(usize, char)> = None;
    let mut previous = ' ';
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map_or(' ', |&(_, n)| n);
        match open {
            None if opens_speech(c, previous, next) => open = Some((i, c)),
            Some((start, opener)) if closes_speech(opener, c, previous, next) => {
                out.push(Span::new(base + start, base + i + c.len_utf8()));
                open = None;
            }
            _ => {}
        }
        previous = c;
    }
    if let Some((start, _)) = open {
        out.push(Span::new(base + start, base + text.trim_end().len()));
    }
}

fn opens_speech(c: char, previous: char, next: char) -> bool {
    let at_word_start = previous.is_whitespace() || "([—–-".contains(previous);
    match c {
        '“' => true,
        '"' => !next.is_whitespace(),
        '‘' | '\'' => at_word_start && next.is_alphabetic(),
        _ => false,
    }
}

fn closes_speech(opener: char, c: char, previous: char, next: char) -> bool {
    match (opener, c) {
        ('“', '”') | ('"', '"') => true,
        ('‘' | '\'', '’' | '\'') => !next.is_alphanumeric() && !previous.is_whitespace(),
        _ => false,
    }
}
