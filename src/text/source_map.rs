//! Where the text of a chapter that was *converted* from another format
//! came from.
//!
//! A `.docx` chapter's text is a Markdown-flavoured rendering of the Word
//! document (italics as `*…*`, headings as `# …`, directives as HTML
//! comments, a few backslash escapes), built so that every rule works on it
//! unchanged. People, however, know the document, not the rendering. A
//! [`SourceMap`] turns any byte offset of the rendering into the place the
//! writer sees in Word — a paragraph number and a character column — and
//! keeps a *display text* (each paragraph's plain text on a line of its
//! own) for snippets.
//!
//! Two tables do the work, both sorted, both searched in `O(log n)`:
//!
//! - segments: stretches of the rendering. A *verbatim* segment is source
//!   text copied byte for byte (the same bytes stand in the display text);
//!   any other segment is markup the renderer added, which maps to the
//!   display position of the next source character.
//! - lines: which paragraph (or note paragraph) each line of the display
//!   text is, with a [`LineIndex`] of where the lines start.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use super::span::floor_boundary;

use super::{LineIndex, Span};

/// A stretch of the rendered text and where it stands in the display text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Byte range in the rendered chapter text.
    pub start: u32,
    pub end: u32,
    /// Byte offset in the display text of the segment's first byte.
    pub display: u32,
    /// True when the rendered bytes are the source bytes (so offsets inside
    /// the segment map one to one); false for markup the renderer added.
    pub verbatim: bool,
}

/// Which kind of note a paragraph belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoteKind {
    Footnote,
    Endnote,
}

impl NoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Footnote => "footnote",
            NoteKind::Endnote => "endnote",
        }
    }
}

/// A paragraph of a footnote or endnote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NotePlace {
    pub kind: NoteKind,
    /// The note's number as the reader sees it: 1 for the first footnote
    /// referenced in the document, 2 for the second …
    pub number: u32,
    /// The note's `w:id` in `footnotes.xml` / `endnotes.xml`.
    pub xml_id: i64,
    /// 1-based paragraph within the note.
    pub paragraph: u32,
}

/// A paragraph of the source document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Place {
    /// 1-based number of the body paragraph (every `w:p` of the document
    /// body counts, empty ones and table cells included). For note text:
    /// the paragraph that holds the note's reference mark.
    pub paragraph: u32,
    /// Set when the text is in a footnote or endnote.
    pub note: Option<NotePlace>,
}

impl fmt::Display for Place {
    /// `¶214`, or `¶214 footnote 3` (`¶214 footnote 3, paragraph 2`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "¶{}", self.paragraph)?;
        if let Some(note) = self.note {
            write!(f, " {} {}", note.kind.as_str(), note.number)?;
            if note.paragraph > 1 {
                write!(f, ", paragraph {}", note.paragraph)?;
            }
        }
        Ok(())
    }
}

/// One line of the display text: one source paragraph (where it starts
/// is in [`SourceMap::display_index`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DisplayLine {
    pub place: Place,
}

/// A display position: the paragraph and the 1-based character column in
/// its text (tabs and line breaks count one; deleted and hidden text, field
/// codes and note marks count nothing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourcePosition {
    pub place: Place,
    pub column: usize,
    /// Index of the display line (0-based), for snippets.
    pub line_index: usize,
}

/// How a converted chapter's text maps back to its source (see the module
/// docs). Built by the converter (`crate::docx`), read by reporters.
#[derive(Debug, Default)]
pub struct SourceMap {
    /// The chapter's name inside its file, when the file was split into
    /// chapters: the text of its first heading ("Chapter 7").
    pub title: Option<String>,
    /// Each paragraph's plain text on a line of its own, in reading order
    /// (line breaks inside a paragraph shown as spaces).
    pub display: Arc<str>,
    /// Line starts and character columns of [`SourceMap::display`].
    pub display_index: LineIndex,
    /// One per line of the display text.
    pub lines: Vec<DisplayLine>,
    /// Sorted, non-overlapping, covering the rendered text from 0 to its end.
    pub segments: Vec<Segment>,
}

impl SourceMap {
    /// A map over `display` (one line per entry of `lines`, separated by
    /// `\n`, with no other line break in it).
    pub fn new(
        title: Option<String>,
        display: Arc<str>,
        lines: Vec<DisplayLine>,
        segments: Vec<Segment>,
    ) -> SourceMap {
        let display_index = LineIndex::new(&display);
        debug_assert_eq!(display_index.line_count(), lines.len().max(1));
        SourceMap {
            title,
            display,
            display_index,
            lines,
            segments,
        }
    }

    /// The display-text offset of a rendered-text offset. Offsets inside
    /// added markup map to the next source character.
    pub fn to_display(&self, offset: usize) -> usize {
        let offset = offset as u32;
        let i = self.segments.partition_point(|s| s.start <= offset);
        let Some(segment) = i.checked_sub(1).and_then(|i| self.segments.get(i)) else {
            return 0;
        };
        let display = if segment.verbatim {
            segment.display + offset.min(segment.end) - segment.start
        } else {
            segment.display
        };
        floor_boundary(&self.display, display as usize)
    }

    /// The display-text byte range of a rendered-text span (never
    /// backwards).
    pub fn display_range(&self, span: Span) -> Range<usize> {
        let start = self.to_display(span.start as usize);
        let end = self.to_display(span.end as usize).max(start);
        start..end
    }

    /// The paragraph and column of a display-text offset (`O(log n)`).
    pub fn position(&self, display_offset: usize) -> Option<SourcePosition> {
        let offset = display_offset.min(self.display.len());
        let line_index = self.display_index.line_of(offset);
        let line = self.lines.get(line_index)?;
        let column = self.display_index.line_col(&self.display, offset).column;
        Some(SourcePosition {
            place: line.place,
            column,
            line_index,
        })
    }

    /// The paragraph and column of a rendered-text offset.
    pub fn position_of(&self, offset: usize) -> Option<SourcePosition> {
        self.position(self.to_display(offset))
    }

    /// Byte range of a display line (without its line break).
    pub fn line_range(&self, index: usize) -> Option<Range<usize>> {
        self.lines.get(index)?;
        self.display_index
            .line_span(&self.display, index + 1)
            .map(Span::range)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(paragraph: u32) -> Place {
        Place {
            paragraph,
            note: None,
        }
    }

    /// Rendered `# One\n\nA *b* c\n`, display `One\nA b c`.
    fn sample() -> SourceMap {
        SourceMap::new(
            None,
            Arc::from("One\nA b c"),
            vec![
                DisplayLine { place: place(1) },
                DisplayLine { place: place(3) },
            ],
            vec![
                Segment {
                    start: 0,
                    end: 2,
                    display: 0,
                    verbatim: false,
                },
                Segment {
                    start: 2,
                    end: 5,
                    display: 0,
                    verbatim: true,
                },
                Segment {
                    start: 5,
                    end: 7,
                    display: 4,
                    verbatim: false,
                },
                Segment {
                    start: 7,
                    end: 9,
                    display: 4,
                    verbatim: true,
                },
                Segment {
                    start: 9,
                    end: 10,
                    display: 6,
                    verbatim: false,
                },
                Segment {
                    start: 10,
                    end: 11,
                    display: 6,
                    verbatim: true,
                },
                Segment {
                    start: 11,
                    end: 12,
                    display: 7,
                    verbatim: false,
                },
                Segment {
                    start: 12,
                    end: 14,
                    display: 7,
                    verbatim: true,
                },
                Segment {
                    start: 14,
                    end: 15,
                    display: 9,
                    verbatim: false,
                },
            ],
        )
    }

    #[test]
    fn rendered_offsets_map_to_paragraph_and_column() {
        let map = sample();
        let b = "# One\n\nA *b* c\n".find('b').unwrap();
        let at = map.position_of(b).unwrap();
        assert_eq!((at.place, at.column), (place(3), 3));
        // The `*` before b is markup: it maps to b itself.
        assert_eq!(map.position_of(b - 1).unwrap().column, 3);
        assert_eq!(map.position_of(2).unwrap().column, 1);
        assert_eq!(map.line_range(1), Some(4..9));
    }

    #[test]
    fn places_name_notes() {
        let p = Place {
            paragraph: 214,
            note: Some(NotePlace {
                kind: NoteKind::Footnote,
                number: 3,
                xml_id: 5,
                paragraph: 2,
            }),
        };
        assert_eq!(p.to_string(), "¶214 footnote 3, paragraph 2");
        assert_eq!(place(7).to_string(), "¶7");
    }
}
