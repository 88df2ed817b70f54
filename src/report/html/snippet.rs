//! Context snippets (the text around a finding, its span highlighted) and
//! the word diff of two copies of a passage.

use similar::{Algorithm, ChangeTag};

use crate::text::floor_boundary;
use crate::text::{Chapter, Span};

/// A finding's text in context. Whitespace runs are collapsed to single
/// spaces (a hard-wrapped paragraph reads as one line); `before` and `after`
/// are cut at word boundaries and stay inside the span's paragraph.
#[derive(Debug, PartialEq, Eq)]
pub struct Snippet {
    pub before: String,
    /// The flagged text; a long span keeps its head and tail around " … ".
    pub marked: String,
    pub after: String,
    /// Text was cut before `before` / after `after`.
    pub cut_start: bool,
    pub cut_end: bool,
}

/// The snippet of `span` in `chapter` with up to `radius` characters of
/// context each side and at most `max_marked` characters of the span itself.
/// Spans past the end of the text, or not on character boundaries, are
/// clamped, never a panic. A Word chapter is quoted from its paragraphs'
/// plain text ([`Chapter::shown_text`]), not manulint's rendering of them.
pub fn snippet(chapter: &Chapter, span: Span, radius: usize, max_marked: usize) -> Snippet {
    let text = chapter.shown_text();
    let range = chapter.shown_range(span);
    let start = floor_boundary(text, range.start);
    let end = floor_boundary(text, range.end.max(start)).max(start);
    let (lo, hi) = paragraph_bounds(chapter, start, end);

    let before_from = back_chars(text, lo, start, radius);
    let cut_start = before_from > lo;
    let before_from = if cut_start {
        after_first_space(text, before_from, start)
    } else {
        before_from
    };
    let after_to = forward_chars(text, end, hi, radius);
    let cut_end = after_to < hi;
    let after_to = if cut_end {
        before_last_space(text, end, after_to)
    } else {
        after_to
    };
    Snippet {
        before: collapse(&text[before_from..start]),
        marked: shorten(&collapse(&text[start..end]), max_marked),
        after: collapse(&text[end..after_to]),
        cut_start,
        cut_end,
    }
}

/// The extent of the block (paragraph, heading) holding `start`, widened to
/// `end`; the whole text when no block holds it (front matter, code). In a
/// Word chapter: the shown paragraph holding `start`.
fn paragraph_bounds(chapter: &Chapter, start: usize, end: usize) -> (usize, usize) {
    if let Some(map) = &chapter.source_map {
        let text = chapter.shown_text();
        let line = map.display_index.line_of(start);
        return map
            .line_range(line)
            .map_or((0, text.len()), |r| (r.start, r.end.max(end)));
    }
    let i = chapter
        .blocks
        .partition_point(|b| (b.span.end as usize) <= start);
    match chapter.blocks.get(i) {
        Some(block) if (block.span.start as usize) <= start => {
            let lo = floor_boundary(&chapter.text, block.span.start as usize);
            let hi = floor_boundary(&chapter.text, (block.span.end as usize).max(end));
            (lo, hi)
        }
        _ => (0, chapter.text.len()),
    }
}

/// The offset `n` characters before `from`, not before `lo`.
fn back_chars(text: &str, lo: usize, from: usize, n: usize) -> usize {
    if n == 0 {
        return from;
    }
    text[lo..from]
        .char_indices()
        .rev()
        .nth(n - 1)
        .map_or(lo, |(i, _)| lo + i)
        .max(lo)
}

/// The offset `n` characters after `from`, not after `hi`.
fn forward_chars(text: &str, from: usize, hi: usize, n: usize) -> usize {
    text[from..hi]
        .char_indices()
        .nth(n)
        .map_or(hi, |(i, _)| from + i)
}

/// Skips the partial word at `from` (up to `limit`), so a cut context starts
/// on a whole word.
fn after_first_space(text: &str, from: usize, limit: usize) -> usize {
    text[from..limit]
        .find(char::is_whitespace)
        .map_or(from, |i| from + i)
}

/// Drops the partial word before `to` (down to `limit`).
fn before_last_space(text: &str, limit: usize, to: usize) -> usize {
    text[limit..to]
        .rfind(char::is_whitespace)
        .map_or(to, |i| limit + i)
}

/// Runs of whitespace become one space.
pub fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

/// Keeps the head and tail of text longer than `max` characters.
pub fn shorten(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        return text.to_string();
    }
    let half = max / 2;
    let head: String = text.chars().take(half).collect();
    let tail: String = text.chars().skip(count - half).collect();
    format!("{} … {}", head.trim_end(), tail.trim_start())
}

/// One piece of a side of a word diff.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece {
    Same(String),
    /// Only on this side (deleted from the first copy, or added in the
    /// later one).
    Changed(String),
}

/// Two copies of a passage word by word: what each side shows, and how many
/// words changed. `None` when either side has more than `max_words` words
/// (diffing is quadratic at worst, and such a diff would not be read).
/// Whitespace differences (line wrapping) do not count.
pub fn word_diff(
    first: &str,
    later: &str,
    max_words: usize,
) -> Option<(Vec<Piece>, Vec<Piece>, usize)> {
    let (first, later) = (collapse(first.trim()), collapse(later.trim()));
    let words = |s: &str| s.split(' ').count();
    if words(&first) > max_words || words(&later) > max_words {
        return None;
    }
    let changes = similar::utils::diff_words(Algorithm::Patience, first.as_str(), later.as_str());
    let (mut left, mut right, mut changed) = (Vec::new(), Vec::new(), 0);
    for (tag, part) in changes {
        match tag {
            ChangeTag::Equal => {
                left.push(Piece::Same(part.to_string()));
                right.push(Piece::Same(part.to_string()));
            }
            ChangeTag::Delete => {
                changed += part.split_whitespace().count();
                left.push(Piece::Changed(part.to_string()));
            }
            ChangeTag::Insert => {
                changed += part.split_whitespace().count();
                right.push(Piece::Changed(part.to_string()));
            }
        }
    }
    Some((left, right, changed))
}

#[cfg(test)]
mod tests {

    use super::*;

    use crate::testing::plain_chapter as chapter;

    #[test]
    fn context_is_cut_at_words_and_kept_in_the_paragraph() {
        let text =
            "First paragraph here.\n\nOne two three four five\nsix seven eight nine ten.\n\nLast.";
        let c = chapter(text);
        let at = text.find("five").unwrap();
        let s = snippet(&c, Span::new(at, at + 4), 9, 100);
        assert_eq!(s.marked, "five");
        assert_eq!(s.before, " four ");
        assert!(s.cut_start);
        assert_eq!(s.after, " six");
        assert!(s.cut_end);
        let wide = snippet(&c, Span::new(at, at + 4), 500, 100);
        assert_eq!(wide.before, "One two three four ");
        assert_eq!(wide.after, " six seven eight nine ten.");
        assert!(!wide.cut_start && !wide.cut_end);
    }

    #[test]
    fn bad_spans_are_clamped() {
        let c = chapter("café au lait");
        // 4 is inside “é” (bytes 3..5); 99 is past the end.
        let s = snippet(&c, Span::new(4, 99), 10, 100);
        assert_eq!(s.marked, "é au lait");
        assert_eq!(s.after, "");
    }

    #[test]
    fn long_marks_keep_head_and_tail() {
        assert_eq!(shorten("abcdefghij", 4), "ab … ij");
        assert_eq!(shorten("abc", 4), "abc");
    }

    #[test]
    fn word_diff_marks_changed_words_on_each_side() {
        let (left, right, changed) =
            word_diff("a telephone\npole uphill", "a utility pole uphill", 100).unwrap();
        assert_eq!(changed, 2);
        assert!(left.contains(&Piece::Changed("telephone".into())));
        assert!(right.contains(&Piece::Changed("utility".into())));
        assert!(word_diff("one two three", "one two", 2).is_none());
    }
}
