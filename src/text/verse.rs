//! Lines of verse inside prose paragraphs: where a line break is the end of
//! a line the writer set (a stanza, a song, a text message) rather than one
//! an editor wrapped. Across such a break a word or a line said again is a
//! refrain, not a slip (read by `doubled-word` and `repeated-sentence`).

use std::cell::OnceCell;

use super::{Chapter, Span};

/// Whether the text between the end of one piece of prose (`end`, a byte
/// offset in the chapter) and the word `next` breaks a line of verse:
///
/// - in Markdown, markup says so: a hard break (two spaces or a backslash
///   before the line end), the next line quoted (`>`), or emphasis
///   closing the line and opening the next (`*…, water*⏎*water …*`);
/// - or the line stops well short of the width the chapter is wrapped at,
///   with room for `next` and more (“I waited by the water⏎water cold as
///   stone”), and not at a sentence's end: a line ending with a full stop
///   is prose written a sentence to a line as likely as verse. `width`
///   holds that width once it has been worked out (see [`wrap_width`]).
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
    let markdown = chapter.format == super::SourceFormat::Markdown;
    let line_end = end + between.find('\n').unwrap_or(0);
    (markdown && marks_a_verse_line(between))
        || (!ends_a_sentence(&chapter.text[..line_end])
            && in_a_stanza(&chapter.text, end)
            && stops_short(chapter, end, next, width))
}

/// Whether `before_break`, the text up to a line break, ends a sentence
/// (`.`, `!`, `?`, `…`, perhaps inside closing quotes, brackets or
/// emphasis).
fn ends_a_sentence(before_break: &str) -> bool {
    before_break
        .trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '”' | '’' | '"' | '\'' | ')' | ']' | '*' | '_')
        })
        .ends_with(['.', '!', '?', '…'])
}

/// Whether the paragraph around byte `at` has three lines or more: a
/// stanza or a thread, where two lines are as likely a stray break.
fn in_a_stanza(text: &str, at: usize) -> bool {
    // A blank line, in either line ending.
    let (before, after) = (&text[..at], &text[at..]);
    let start = ["\n\n", "\n\r\n"]
        .iter()
        .filter_map(|blank| before.rfind(blank).map(|i| i + blank.len()))
        .max()
        .unwrap_or(0);
    let end = ["\n\n", "\n\r\n"]
        .iter()
        .filter_map(|blank| after.find(blank).map(|i| at + i))
        .min()
        .unwrap_or(text.len());
    text[start..end].trim_end().matches('\n').count() >= 2
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
    let text = &chapter.text;
    let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..end].chars().count();
    let next = chapter.slice(next).chars().count();
    let stops_short_of = |width: usize| (line + 1 + next) * 5 < width * 4;
    // The width is at most [`UNWRAPPED`]: a line too long for that needs
    // no look at the chapter (a wrapped line nearly always is).
    stops_short_of(UNWRAPPED) && stops_short_of(*width.get_or_init(|| wrap_width(text)))
}

/// The width a chapter's text is wrapped at, in characters: the 90th
/// percentile of the lengths of the lines a paragraph goes on after (a
/// paragraph of one line says nothing of a wrap width). In a chapter with
/// no more paragraphs of several lines than of one, the broken ones are
/// the writer's own lines, and the width is [`UNWRAPPED`], the widest it
/// is ever taken to be: a paragraph pasted in wrapped at 72 columns still
/// reads as wrapped beside them.
pub fn wrap_width(text: &str) -> usize {
    let mut broken: Vec<usize> = Vec::new();
    let (mut one_line, mut more_lines) = (0, 0);
    let mut paragraph_lines = 0;
    let mut lines = text.lines().map(str::trim_end).peekable();
    while let Some(line) = lines.next() {
        if line.is_empty() {
            continue;
        }
        paragraph_lines += 1;
        if lines.peek().is_some_and(|next| !next.is_empty()) {
            broken.push(line.chars().count());
            continue;
        }
        if paragraph_lines == 1 {
            one_line += 1;
        } else {
            more_lines += 1;
        }
        paragraph_lines = 0;
    }
    if more_lines <= one_line || broken.is_empty() {
        return UNWRAPPED;
    }
    let at = (broken.len() * 9 / 10).min(broken.len() - 1);
    (*broken.select_nth_unstable(at).1).min(UNWRAPPED)
}

/// The width taken for a chapter that is not wrapped: as wide as the
/// widest a writer wraps at, so that a line of verse is short beside it
/// and a line wrapped at 72 columns is not.
pub const UNWRAPPED: usize = 80;

#[cfg(test)]
mod tests {
    #[test]
    fn the_wrap_width_is_read_from_lines_a_paragraph_goes_on_after() {
        // Wrapped paragraphs of 10…100 characters a line, each two lines.
        let wrapped: String = (1..=10)
            .map(|n| format!("{}\nend\n\n", "a".repeat(n * 10)))
            .collect();
        assert_eq!(super::wrap_width(&wrapped), super::UNWRAPPED);
        let narrow: String = (1..=10)
            .map(|n| format!("{}\nend\n\n", "a".repeat(n * 5)))
            .collect();
        assert_eq!(super::wrap_width(&narrow), 50);
        assert_eq!(super::wrap_width("été été\nété\n"), 7);
        // Paragraphs of one line each, and one stanza: not wrapped.
        let unwrapped = format!(
            "{}\n\n{}\n\nI waited\nby the water\n",
            "b".repeat(300),
            "c".repeat(200)
        );
        assert_eq!(super::wrap_width(&unwrapped), super::UNWRAPPED);
        assert_eq!(super::wrap_width("\n\n"), super::UNWRAPPED);
    }
}
