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

/// Offsets of line starts, so any byte offset maps to a line and column in
/// `O(log lines)`. A line ends at `\n`; a `\r` before it belongs to the line
/// break, so CRLF files get the same columns as LF files.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    line_starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 60 + 1);
        line_starts.push(0);
        line_starts.extend(memchr_newlines(text).map(|i| (i + 1) as u32));
        LineIndex { line_starts }
    }

    /// Line and column of a byte offset. Offsets past the end clamp to it;
    /// offsets inside a multi-byte character count that character as begun.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&s| s as usize <= offset) - 1;
        let start = self.line_starts[line] as usize;
        let column = count_chars_until(&text[start..], offset - start) + 1;
        LineCol {
            line: line + 1,
            column,
        }
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

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i)
}

/// Characters in `line[..byte_len]`, tolerating a `byte_len` inside a
/// character (it then counts that character).
fn count_chars_until(line: &str, byte_len: usize) -> usize {
    line.char_indices()
        .take_while(|&(i, _)| i < byte_len)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
