//! Lines of verse inside prose paragraphs: where a line break is the end of
//! a line the writer set (a stanza, a song, a text message) rather than one
//! an editor wrapped. Across such a break a word or a line said again is a
//! refrain, not a slip (read by `doubled-word` and `repeated-sentence`).

use std::cell::OnceCell;

use super::{Chapter, Span};

/// Whether the text between the end of one piece of prose (`end`, a byte
/// offset in the chapter) and the word `next` breaks a line of verse:
///
/// - markup says so: a hard break (two spaces or a backslash before the
///   line end), the next line quoted (`>`), or emphasis closing the line
///   and opening the next (`*…, water*⏎*water …*`);
/// - or the line stops well short of the width the chapter is wrapped at,
///   with room for `next` and more (“I waited by the water⏎water cold as
///   stone”). `width` holds that width once it has been worked out (see
///   [`wrap_width`]).
///
/// False when no line break lies between.
pub fn breaks_a_verse_line(
    chapter: &Chapter,
    end: usize,
    next: Span,
    width: &OnceCell<usize>,
) -> bool {
    let between = &chapter.text[end..next.start as usize];
    if !between.contains('\n') {
        return false;
    }
    marks_a_verse_line(between) || stops_short(chapter, end, next, width)
}

/// Whether `block` is set as lines rather than wrapped prose: a line
/// break between two of its words, and every such break a verse line's
/// end ([`breaks_a_verse_line`]): a stanza, a song, a thread of text
/// messages. With `after_its_first_line`, the first line's end is not
/// asked about (it is short in a paragraph cut at its start too), and a
/// later break must be there.
pub fn is_set_in_lines(
    chapter: &Chapter,
    block: &super::Block,
    width: &OnceCell<usize>,
    after_its_first_line: bool,
) -> bool {
    let words = chapter.block_words(block);
    let mut breaks = words
        .windows(2)
        .filter(|pair| chapter.text[pair[0].end as usize..pair[1].start as usize].contains('\n'))
        .skip(usize::from(after_its_first_line))
        .peekable();
    breaks.peek().is_some()
        && breaks.all(|pair| breaks_a_verse_line(chapter, pair[0].end as usize, pair[1], width))
}

/// The markup of a verse line's end in the source `between` two words.
fn marks_a_verse_line(between: &str) -> bool {
    let Some((line_end, next_line)) = between.split_once('\n') else {
        return false;
    };
    let line_end = line_end.strip_suffix('\r').unwrap_or(line_end);
    let hard_break = line_end.ends_with("  ") || line_end.ends_with('\\');
    let quoted = next_line.trim_start().starts_with('>');
    let markup = |s: &str| s.contains(['*', '_']);
    hard_break || quoted || (markup(line_end) && markup(next_line))
}

/// Whether the line ending at `end` stopped with a fifth of the wrap width
/// to spare after `next` was added: a line wrapped at that width ran out of
/// room for its next word. A chapter whose paragraphs are each one line has
/// a wide width, so its few short lines are all the writer's.
fn stops_short(chapter: &Chapter, end: usize, next: Span, width: &OnceCell<usize>) -> bool {
    let width = *width.get_or_init(|| wrap_width(&chapter.text));
    let text = &chapter.text;
    let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..end].chars().count();
    let next = chapter.slice(next).chars().count();
    (line + 1 + next) * 5 < width * 4
}

/// The width a chapter's text is wrapped at, in characters: the 90th
/// percentile of its lines' lengths, blank lines aside (the length of its
/// longer paragraphs when each is one line). 0 for a text of blank lines.
pub fn wrap_width(text: &str) -> usize {
    let mut lengths: Vec<usize> = text
        .lines()
        .map(|line| line.trim_end().chars().count())
        .filter(|&n| n > 0)
        .collect();
    if lengths.is_empty() {
        return 0;
    }
    let at = (lengths.len() * 9 / 10).min(lengths.len() - 1);
    *lengths.select_nth_unstable(at).1
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_wrap_width_is_the_90th_percentile_of_line_lengths() {
        let lines: String = (1..=10)
            .map(|n| format!("{}\n\n", "a".repeat(n * 10)))
            .collect();
        assert_eq!(super::wrap_width(&lines), 100);
        assert_eq!(super::wrap_width("\n\n"), 0);
        assert_eq!(super::wrap_width("één\n"), 3);
    }
}
