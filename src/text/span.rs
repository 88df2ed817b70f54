//! Byte spans into a chapter's text and the line index that turns them into
//! lines and columns at output time.

use std::ops::Range;

/// A half-open byte range `start..end` into one chapter's text.
///
/// Every structure of the text model (blocks, sentences, words) and every
/// diagnostic label is a `Span`; lines and columns are computed only when a
/// report is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span start {start} after end {end}");
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// The largest character boundary of `text` at or before byte `offset`
/// (an offset past the end is the end). `str::floor_char_boundary` once
/// the minimum Rust version has it (1.91; the crate's is 1.88).
pub fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Half-open runs sorted by start, joined where they overlap or touch:
/// spans of text, runs of token indices. `bounds` gives a run's start and
/// its end to extend.
pub fn join_sorted_runs<T>(
    runs: impl IntoIterator<Item = T>,
    bounds: impl Fn(&mut T) -> (u32, &mut u32),
) -> Vec<T> {
    let runs = runs.into_iter();
    let mut joined: Vec<T> = Vec::with_capacity(runs.size_hint().0);
    for mut run in runs {
        let (start, end) = {
            let (start, end) = bounds(&mut run);
            (start, *end)
        };
        if let Some(last) = joined.last_mut() {
            let (_, last_end) = bounds(last);
            if start <= *last_end {
                *last_end = (*last_end).max(end);
                continue;
            }
        }
        joined.push(run);
    }
    joined
}

impl From<Range<usize>> for Span {
    fn from(range: Range<usize>) -> Self {
        Span::new(range.start, range.end)
    }
}

/// A 1-based line and column; the column counts Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Bytes per character checkpoint in [`LineIndex`]: a lookup counts at most
/// this many bytes twice, and the checkpoints cost 4 bytes per block.
const CHECKPOINT_BLOCK: usize = 256;

/// Offsets of line starts, so any byte offset maps to a line and column in
/// `O(log lines)` time, whatever the length of the line.
///
/// A line ends at `\n`, at `\r\n` or at a lone `\r` (old Mac files): the
/// break belongs to the line it ends, so CRLF and CR files get the same
/// lines and columns as LF files. Columns count characters (Unicode scalar
/// values): for text that is not pure ASCII the index keeps the number of
/// characters before every [`CHECKPOINT_BLOCK`] bytes, so a column is two
/// checkpoint lookups and at most two short counts, never a scan from the
/// start of a long line.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    /// `checkpoints[k]`: characters in `text[..k * CHECKPOINT_BLOCK]`.
    /// Empty for ASCII text, where characters are bytes.
    checkpoints: Vec<u32>,
}

impl LineIndex {
    /// Indexes `text` in one pass (`O(len)`).
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(text.len() / 60 + 1);
        line_starts.push(0);
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // In "\r\n" the line ends at the "\n".
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            line_starts.push((i + 1) as u32);
        }
        // Kept as long as the chapter: without the slack of a guess that
        // fell short (short lines), which doubled it.
        line_starts.shrink_to_fit();
        let checkpoints = if text.is_ascii() {
            Vec::new()
        } else {
            let mut total = 0u32;
            let mut checkpoints = Vec::with_capacity(bytes.len() / CHECKPOINT_BLOCK + 1);
            checkpoints.push(0);
            for block in bytes.chunks_exact(CHECKPOINT_BLOCK) {
                total += char_starts(block) as u32;
                checkpoints.push(total);
            }
            checkpoints
        };
        LineIndex {
            line_starts,
            checkpoints,
        }
    }

    /// Line and column of a byte offset. Offsets past the end clamp to it;
    /// offsets inside a multi-byte character count that character as begun;
    /// offsets inside a line break (between `\r` and `\n`) are the end of
    /// the line, as in an LF file.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.line_starts[line] as usize;
        let end = self.content_end(text, line);
        LineCol {
            line: line + 1,
            column: self.chars_between(text, start, offset.min(end)) + 1,
        }
    }

    /// Where the 0-based `line`'s text ends, before its line break.
    fn content_end(&self, text: &str, line: usize) -> usize {
        let Some(&next) = self.line_starts.get(line + 1) else {
            return text.len();
        };
        let bytes = text.as_bytes();
        let mut end = next as usize;
        if end > 0 && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > 0 && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        end
    }

    /// The 0-based line holding byte `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s as usize <= offset)
            .saturating_sub(1)
    }

    /// Characters that begin in `text[from..to]` (byte offsets, `from <= to`,
    /// clamped to the text).
    pub fn chars_between(&self, text: &str, from: usize, to: usize) -> usize {
        let to = to.min(text.len());
        let from = from.min(to);
        if self.checkpoints.is_empty() {
            return to - from;
        }
        self.chars_before(text, to) - self.chars_before(text, from)
    }

    /// Characters that begin in `text[..offset]`.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let block = offset / CHECKPOINT_BLOCK;
        let base = self.checkpoints.get(block).copied().unwrap_or(0) as usize;
        base + char_starts(&text.as_bytes()[block * CHECKPOINT_BLOCK..offset])
    }

    /// Byte offset where the 0-based `line` starts (the last line's start
    /// for lines past the end).
    pub fn start_of_line(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .or(self.line_starts.last())
            .map_or(0, |&s| s as usize)
    }

    /// Byte range of a 1-based line, without its line break.
    pub fn line_span(&self, text: &str, line: usize) -> Option<Span> {
        let start = *self.line_starts.get(line.checked_sub(1)?)? as usize;
        let end = self
            .line_starts
            .get(line)
            .map_or(text.len(), |&next| next as usize);
        let content = text[start..end].trim_end_matches(['\n', '\r']);
        Some(Span::new(start, start + content.len()))
    }

    /// Number of lines; a text ending with a line break has an empty last
    /// line after it (as editors show it).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// UTF-8 leading bytes (every byte that is not a continuation byte) in
/// `bytes`: the number of characters that begin there.
fn char_starts(bytes: &[u8]) -> usize {
    // (A filtered count went byte by byte: 17 M instructions on the corpus.)
    count_bytes(bytes, |b| (b as i8) >= -0x40)
}

/// The bytes of `bytes` for which `counts` holds: 64 at a time, each
/// block's count summed without a branch per byte, which the compiler turns
/// into vector instructions (a filtered count goes byte by byte).
pub(crate) fn count_bytes(bytes: &[u8], counts: impl Fn(u8) -> bool) -> usize {
    let one = |b: &u8| u8::from(counts(*b));
    let mut blocks = bytes.chunks_exact(64);
    // A block's sum is at most 64: it fits a `u8`.
    let whole: usize = blocks
        .by_ref()
        .map(|block| usize::from(block.iter().map(one).sum::<u8>()))
        .sum();
    whole
        + blocks
            .remainder()
            .iter()
            .map(|b| usize::from(one(b)))
            .sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_boundary_steps_back_out_of_a_letter_and_clamps() {
        let text = "aé字😀";
        let at: Vec<usize> = (0..=12).map(|i| floor_boundary(text, i)).collect();
        assert_eq!(at, [0, 1, 1, 3, 3, 3, 6, 6, 6, 6, 10, 10, 10]);
        assert_eq!(floor_boundary("", 5), 0);
    }

    #[test]
    fn char_starts_are_counted_in_any_block_of_64_bytes() {
        let text = "plain, “curly”, é, 字, 😀 and more ".repeat(9);
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let slice = &text.as_bytes()[..end];
            assert_eq!(char_starts(slice), text[..end].chars().count(), "{end}");
        }
        // Continuation bytes only, a block and more.
        assert_eq!(char_starts(&[0x80; 130]), 0);
        assert_eq!(char_starts(&[b'a'; 130]), 130);
    }

    #[test]
    fn sorted_runs_join_where_they_overlap_or_touch() {
        let spans = [
            Span::new(0, 4),
            Span::new(2, 6),
            Span::new(6, 8),
            Span::new(9, 9),
        ];
        let joined = join_sorted_runs(spans, |s| (s.start, &mut s.end));
        assert_eq!(joined, [Span::new(0, 8), Span::new(9, 9)]);
    }

    #[test]
    fn line_and_column_count_characters() {
        let text = "één\nzwei “drei”\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1 });
        let d = text.find('d').unwrap();
        assert_eq!(index.line_col(text, d), LineCol { line: 2, column: 7 });
        assert_eq!(
            index.line_col(text, text.len()),
            LineCol { line: 3, column: 1 }
        );
    }

    #[test]
    fn crlf_columns_match_lf_columns() {
        let lf = "one\ntwo three\n";
        let crlf = "one\r\ntwo three\r\n";
        let (a, b) = (LineIndex::new(lf), LineIndex::new(crlf));
        let at_lf = a.line_col(lf, lf.find("three").unwrap());
        let at_crlf = b.line_col(crlf, crlf.find("three").unwrap());
        assert_eq!(at_lf, at_crlf);
        assert_eq!(at_crlf, LineCol { line: 2, column: 5 });
        assert_eq!(b.line_span(crlf, 1), Some(Span::new(0, 3)));
    }

    #[test]
    fn lone_cr_and_mixed_endings_break_lines_like_lf() {
        for text in [
            "one\ntwo “three”\nfour",
            "one\r\ntwo “three”\r\nfour",
            "one\rtwo “three”\rfour",
            "one\r\ntwo “three”\rfour",
        ] {
            let index = LineIndex::new(text);
            let at = index.line_col(text, text.find("three").unwrap());
            assert_eq!(at, LineCol { line: 2, column: 6 }, "{text:?}");
            let four = index.line_col(text, text.find("four").unwrap());
            assert_eq!(four, LineCol { line: 3, column: 1 }, "{text:?}");
            assert_eq!(index.line_count(), 3, "{text:?}");
            let two = index.line_span(text, 2).unwrap();
            assert_eq!(&text[two.range()], "two “three”", "{text:?}");
        }
        // Two lone CRs are two line breaks: an empty line between.
        let text = "a\r\rb";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 3), LineCol { line: 3, column: 1 });
        assert_eq!(index.line_span(text, 2), Some(Span::new(2, 2)));
    }

    /// The column of every offset, counted the slow way.
    fn naive(text: &str, offset: usize) -> LineCol {
        let mut line = 1;
        let mut line_start = 0;
        let bytes = text.as_bytes();
        for i in 0..offset.min(text.len()) {
            let lone_cr = bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
            if bytes[i] == b'\n' || lone_cr {
                line += 1;
                line_start = i + 1;
            }
        }
        let column = text[line_start..]
            .char_indices()
            .take_while(|&(i, c)| line_start + i < offset && c != '\r' && c != '\n')
            .count()
            + 1;
        LineCol { line, column }
    }

    #[test]
    fn checkpoints_agree_with_counting_for_every_offset() {
        // Mixed widths across several checkpoint blocks, some breaks inside.
        let mut text = String::new();
        for i in 0..400 {
            text.push_str(["a", "é", "“", "中", "😀", "e\u{301}", "\r\n", "\r", "\n"][i % 9]);
            text.push_str("word ");
        }
        let index = LineIndex::new(&text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                index.line_col(&text, offset),
                naive(&text, offset),
                "{offset}"
            );
        }
    }

    #[test]
    fn lookups_on_a_multi_megabyte_line_do_not_rescan_it() {
        // 6 MB on one line, curly quotes throughout: counting from the line
        // start for each of 100,000 lookups would read 300 GB.
        let unit = "“Quoted,” she said, and walked on. ";
        let text = unit.repeat(6_000_000 / unit.len());
        let index = LineIndex::new(&text);
        let started = std::time::Instant::now();
        let step = text.len() / 100_000;
        let mut last = 0;
        for i in 0..100_000 {
            let mut offset = i * step;
            while !text.is_char_boundary(offset) {
                offset += 1;
            }
            let at = index.line_col(&text, offset);
            assert_eq!(at.line, 1);
            assert!(at.column > last || i == 0);
            last = at.column;
        }
        let end = index.line_col(&text, text.len());
        assert_eq!(end.column, text.chars().count() + 1);
        let elapsed = started.elapsed();
        assert!(elapsed.as_secs() < 10, "100,000 lookups took {elapsed:?}");
    }
}
