//! Source excerpts that fit the terminal: the [`miette::SourceCode`] behind
//! every snippet of the human format.
//!
//! miette draws whatever text its source serves, one terminal row per line,
//! and counts lines and columns itself by scanning the source from the
//! start. Manuscripts defeat that: a paragraph-per-line export has lines of
//! thousands of characters, so a marker lands rows below its word, columns
//! come out in bytes, and a line of 70,000 characters makes miette panic.
//!
//! An [`Excerpt`] therefore serves miette a *virtual text* built for one
//! report: only the lines the report shows (each label's lines with one line
//! of context), each cut to a window of the available width with `…` where
//! text was left out (`⋯` on a line that holds `…` itself, so that a cut is
//! never taken for the writer's ellipsis), from one or more sources (a chapter and the other
//! chapters its related labels point into). [`Excerpt::read_span`] answers
//! with the true line numbers and character columns of the original text, so
//! miette's headers and line numbers agree with every other format. The
//! header names the place itself (`chapter-03.md:12:5`, or for a Word
//! chapter `book.docx:¶214:37 (Chapter 7)`), so the handler drawing an
//! excerpt must be built `without_primary_span_start`.
//!
//! A Word chapter is quoted from its [`SourceMap`]'s display text, one
//! paragraph per line: lines are numbered by paragraph (`¶`), and only
//! paragraphs with consecutive numbers are shown as neighbours.
//!
//! How a line is cut:
//! - a line that fits is shown whole;
//! - otherwise the labelled text is kept, with as much context on each side
//!   as fits (cuts prefer word boundaries), placed so the label text after
//!   the marker also fits;
//! - a label wider than the window keeps its start and its end, joined by
//!   `…`; labels far apart on one line are shown as separate pieces of it;
//! - a label over more than [`MAX_TALL`] lines is drawn as its first line
//!   and its last line;
//! - tabs become spaces and control characters U+FFFD, so nothing printed
//!   can move the cursor (no raw CR ever reaches the terminal).
//!
//! Widths are display columns as miette measures them (unicode-width 0.1,
//! the version miette uses), so the marker stays under wide (CJK, emoji) and
//! zero-width (combining) characters; cuts never separate a base character
//! from the combining marks after it.

use std::ops::Range;

use miette::{LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use unicode_width::UnicodeWidthChar;

use crate::text::LineIndex;
use crate::text::floor_boundary;
use crate::text::source_map::{Place, SourceMap};

/// A label over more lines than this is drawn as its first and last line.
pub const MAX_TALL: usize = 8;

/// The narrowest text area (columns) a snippet is drawn in; below it the
/// report falls back to the short form.
const MIN_TEXT_WIDTH: usize = 16;

/// Gaps between labels on one line up to this many columns are shown
/// rather than cut.
const JOIN_GAP: usize = 10;

/// How far (columns) a cut moves to land on a word boundary.
const WORD_SNAP: usize = 20;

/// The mark left where text was cut out.
const ELLIPSIS: char = '…';

/// The mark left where text was cut out of a line that holds [`ELLIPSIS`]
/// itself: a snippet of `ellipsis-style`'s findings, or of any prose with
/// ellipses, would otherwise show cuts and the writer's ellipses alike.
/// The same width (one column) and length (three bytes) as [`ELLIPSIS`].
const ELLIPSIS_IN_ELLIPSES: char = '⋯';

const _: () = assert!(ELLIPSIS.len_utf8() == ELLIPSIS_IN_ELLIPSES.len_utf8());

/// The cut mark for a line of `text`: [`ELLIPSIS`], unless the line holds
/// one already.
fn cut_mark(text: &str) -> char {
    match text.contains(ELLIPSIS) {
        true => ELLIPSIS_IN_ELLIPSES,
        false => ELLIPSIS,
    }
}

/// One text an excerpt quotes: a chapter, or the part of a config file
/// around an error.
pub struct Source<'a> {
    /// The name shown in the snippet header (a path).
    pub name: String,
    pub text: &'a str,
    pub index: &'a LineIndex,
    /// The line number of `text`'s first line (1 for a whole file).
    pub first_line: usize,
    /// For a Word chapter: its map, whose display text `text` is. Lines are
    /// then numbered by paragraph (`first_line` is not used) and headers
    /// read `book.docx:¶12:5 (Chapter 2)`.
    pub paragraphs: Option<&'a SourceMap>,
}

impl Source<'_> {
    /// The number shown for 0-based `line`: its line number, or for a Word
    /// chapter its paragraph number.
    fn number(&self, line: usize) -> usize {
        match self.paragraphs {
            Some(map) => map
                .lines
                .get(line)
                .map_or(0, |l| l.place.paragraph as usize),
            None => line + self.first_line,
        }
    }

    /// The paragraph of 0-based `line` of a Word chapter.
    fn place(&self, line: usize) -> Option<Place> {
        self.paragraphs?.lines.get(line).map(|l| l.place)
    }
}

/// A label to draw: bytes `span` of source `source`.
#[derive(Clone, Debug)]
pub struct Mark {
    /// Index into the sources given to [`Excerpt::build`].
    pub source: usize,
    pub span: Range<usize>,
    pub message: Option<String>,
    pub primary: bool,
}

/// The virtual text served to miette, and how it maps back.
#[derive(Debug)]
pub struct Excerpt {
    text: String,
    lines: Vec<VirtualLine>,
    names: Vec<String>,
    /// Per source: the chapter title a Word chapter's header ends with.
    titles: Vec<Option<String>>,
    /// Per source: the columns before its text (line number and `│`).
    gutters: Vec<usize>,
}

/// One shown line: `text[start..end]` of the virtual text (a `\n` follows).
#[derive(Debug)]
struct VirtualLine {
    start: usize,
    end: usize,
    source: usize,
    /// 0-based line in the source.
    line: usize,
    /// The number shown: the 1-based line number in the source, or for a
    /// Word chapter the paragraph number.
    number: usize,
    /// For a Word chapter: the paragraph (or note paragraph) shown.
    place: Option<Place>,
    pieces: Vec<Piece>,
}

/// A stretch of one source line copied into a virtual line.
#[derive(Debug, Clone, Copy)]
struct Piece {
    /// Bytes of the virtual text.
    virtual_start: usize,
    virtual_end: usize,
    /// Bytes of the source text.
    source_start: usize,
    source_end: usize,
    /// 0-based character column of `source_start` in its line.
    column: usize,
}

/// Where a piece of a line must be shown, in source bytes; `label` is the
/// width of the label text miette writes after the marker (0: none).
#[derive(Clone, Copy, Debug)]
struct Focus {
    start: usize,
    end: usize,
    label: usize,
}

/// What a line is shown for, when no label touches it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Holds label ends.
    Labelled,
    /// Context before a label: its end leads into the label's line.
    Before,
    /// Context after a label, or the middle of a multi-line label.
    After,
}

impl Excerpt {
    /// Builds the excerpt for `marks` over `sources`, for a report `width`
    /// columns wide. Returns the excerpt and the marks as miette labels in
    /// its coordinates, or `None` when the snippet cannot be drawn in that
    /// width (the caller then prints the short form).
    pub fn build(
        sources: &[Source],
        marks: &[Mark],
        width: usize,
    ) -> Option<(Excerpt, Vec<LabeledSpan>)> {
        let marks = split_tall(sources, marks)?;
        let mut excerpt = Excerpt {
            text: String::new(),
            lines: Vec::new(),
            names: sources.iter().map(|s| s.name.clone()).collect(),
            titles: sources
                .iter()
                .map(|s| s.paragraphs.and_then(|m| m.title.clone()))
                .collect(),
            gutters: vec![0; sources.len()],
        };
        let mut order: Vec<usize> = marks.iter().map(|m| m.source).collect();
        order.sort_unstable();
        order.dedup();
        for source_index in order {
            let source = &sources[source_index];
            let in_source: Vec<&Mark> = marks.iter().filter(|m| m.source == source_index).collect();
            excerpt.add_source(source_index, source, &in_source, width)?;
        }
        // Where each label's text ends on its line, in columns: miette
        // moves a label that would overlap another past it.
        let mut right: Vec<(usize, usize)> = Vec::new();
        for mark in &marks {
            let source = &sources[mark.source];
            let start = excerpt.to_virtual(source, mark.source, mark.span.start, false)?;
            let end = excerpt.to_virtual(source, mark.source, mark.span.end, true)?;
            let line_start = excerpt.text[..start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = excerpt.text[start..]
                .find('\n')
                .map_or(excerpt.text.len(), |i| start + i);
            let column = label_width(&excerpt.text[line_start..end.max(start).min(line_end)]) + 1;
            right.push((line_start, column));
        }
        let labels = marks
            .iter()
            .enumerate()
            .map(|(i, mark)| {
                // The other labels' ends on this mark's line.
                let line = right[i].0;
                let furthest = (right.iter().enumerate())
                    .filter(|&(j, &(l, _))| j != i && l == line)
                    .map(|(_, &(_, column))| column)
                    .max()
                    .unwrap_or(0);
                excerpt.label(&sources[mark.source], mark, width, furthest)
            })
            .collect::<Option<Vec<_>>>()?;
        Some((excerpt, labels))
    }

    /// Appends the lines `marks` need from one source.
    fn add_source(
        &mut self,
        source_index: usize,
        source: &Source,
        marks: &[&Mark],
        width: usize,
    ) -> Option<()> {
        let text = source.text;
        let index = source.index;
        let mut wanted: Vec<(usize, Role, Vec<Focus>)> = Vec::new();
        let last = last_shown_line(text, index);
        let mut multi_line = 0;
        for mark in marks {
            let (first, end) = (index.line_of(mark.span.start), index.line_of(mark.span.end));
            if first != end {
                multi_line += 1;
            }
            for line in first.saturating_sub(1)..=(end + 1).min(last.max(end)) {
                let role = if line < first {
                    Role::Before
                } else if line == first || line == end {
                    Role::Labelled
                } else {
                    Role::After
                };
                wanted.push((line, role, Vec::new()));
            }
            let label = mark.message.as_deref().map_or(0, label_width);
            if first == end {
                wanted.push((
                    first,
                    Role::Labelled,
                    vec![Focus {
                        start: mark.span.start,
                        end: mark.span.end,
                        label: if label > 0 { label + 4 } else { 0 },
                    }],
                ));
            } else {
                let after_start =
                    next_boundary(text, mark.span.start, line_end(text, index, first));
                let before_end = previous_boundary(text, mark.span.end, line_start(index, end));
                wanted.push((
                    first,
                    Role::Labelled,
                    vec![Focus {
                        start: mark.span.start,
                        end: after_start,
                        label: 0,
                    }],
                ));
                wanted.push((
                    end,
                    Role::Labelled,
                    vec![Focus {
                        start: before_end,
                        end: mark.span.end,
                        label: 0,
                    }],
                ));
            }
        }
        wanted.sort_by_key(|(line, _, _)| *line);
        let mut merged: Vec<(usize, Role, Vec<Focus>)> = Vec::new();
        for (line, role, focus) in wanted {
            match merged.last_mut() {
                Some((l, r, f)) if *l == line => {
                    *r = stronger(*r, role);
                    f.extend(focus);
                }
                _ => merged.push((line, role, focus)),
            }
        }
        let biggest = merged
            .iter()
            .map(|(l, _, _)| source.number(*l))
            .max()
            .unwrap_or(1);
        let gutter = digits(biggest) + 4 + if multi_line > 0 { multi_line + 3 } else { 0 };
        self.gutters[source_index] = gutter;
        // One spare column: a marker may sit just past the end of a line.
        let available = width.checked_sub(gutter + 1)?;
        if available < MIN_TEXT_WIDTH {
            return None;
        }
        // The finding's own place first: miette draws the pieces of text in
        // the order they come, and a related place earlier in the chapter
        // (“curly quotes used here”) headed the snippet with its place,
        // where a writer looked for the finding.
        if let Some(primary) = marks.iter().find(|m| m.primary) {
            let line = index.line_of(primary.span.start);
            if let Some(at) = merged.iter().position(|(l, _, _)| *l == line) {
                let run_start = (1..=at)
                    .rev()
                    .find(|&i| merged[i - 1].0 + 1 != merged[i].0)
                    .unwrap_or(0);
                let run_end = (at + 1..merged.len())
                    .find(|&i| merged[i - 1].0 + 1 != merged[i].0)
                    .unwrap_or(merged.len());
                merged[..run_end].rotate_left(run_start);
            }
        }
        for (line, role, mut focus) in merged {
            let start = line_start(index, line);
            let end = line_end(text, index, line);
            for f in &mut focus {
                // A span may end inside a CRLF: keep foci on the line.
                f.start = f.start.clamp(start, end);
                f.end = f.end.clamp(f.start, end);
            }
            focus.sort_by_key(|f| (f.start, f.end));
            let cuts = window(text, start..end, role, &focus, available)?;
            self.push_line(source_index, source, line, start..end, &cuts);
        }
        Some(())
    }

    /// Appends one virtual line made of the `cuts` of source line `line`,
    /// whose text is at `bounds`.
    fn push_line(
        &mut self,
        source_index: usize,
        source: &Source,
        line: usize,
        bounds: Range<usize>,
        cuts: &Cuts,
    ) {
        let line_start = bounds.start;
        let start = self.text.len();
        let mut pieces = Vec::with_capacity(cuts.ranges.len());
        let mark = cut_mark(&source.text[bounds]);
        if cuts.cut_before {
            self.text.push(mark);
        }
        for (i, range) in cuts.ranges.iter().enumerate() {
            if i > 0 {
                self.text.push(mark);
            }
            let virtual_start = self.text.len();
            push_sanitized(&mut self.text, &source.text[range.clone()]);
            pieces.push(Piece {
                virtual_start,
                virtual_end: self.text.len(),
                source_start: range.start,
                source_end: range.end,
                column: source
                    .index
                    .chars_between(source.text, line_start, range.start),
            });
        }
        if cuts.cut_after {
            self.text.push(mark);
        }
        let end = self.text.len();
        self.text.push('\n');
        self.lines.push(VirtualLine {
            start,
            end,
            source: source_index,
            line,
            number: source.number(line),
            place: source.place(line),
            pieces,
        });
    }

    /// A mark as a miette label in virtual coordinates.
    fn label(
        &self,
        source: &Source,
        mark: &Mark,
        width: usize,
        furthest: usize,
    ) -> Option<LabeledSpan> {
        let start = self.to_virtual(source, mark.source, mark.span.start, false)?;
        let end = self.to_virtual(source, mark.source, mark.span.end, true)?;
        let span = SourceSpan::from(start..end.max(start));
        let message = mark
            .message
            .as_ref()
            .map(|m| self.fit_label(m, mark.source, start, end.max(start), width, furthest));
        Some(if mark.primary {
            LabeledSpan::new_primary_with_span(message, span)
        } else {
            LabeledSpan::new_with_span(message, span)
        })
    }

    /// `message` cut with `…` to fit after the label's connector in `width`
    /// columns: miette never wraps a label, and a knowledge-base entry's
    /// (“ballpoint pen”: pen writing with a rolling ball (Bíró's patent),
    /// 1938) ran 25 columns past a 60-column terminal. miette draws the
    /// connector under the middle of the labelled text (`start..end` of the
    /// virtual text), and the text four columns after it (`╰── `); a label
    /// that would overlap another is moved right, at most to the end of the
    /// other labelled text furthest right on its line (`furthest` columns).
    fn fit_label(
        &self,
        message: &str,
        source: usize,
        start: usize,
        end: usize,
        width: usize,
        furthest: usize,
    ) -> String {
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let columns = |s: &str| label_width(s);
        let marked = match self.text[start..end].split('\n').next() {
            Some(first) if end > start => columns(first) / 2,
            _ => 0,
        };
        let column = (columns(&self.text[line_start..start]) + marked).max(furthest);
        let at = self.gutters[source] + column + 4;
        let room = width.saturating_sub(at + 1).max(8);
        message
            .split('\n')
            .map(|line| {
                if columns(line) <= room {
                    return line.to_string();
                }
                let mut used = 0;
                let mut kept: String = line
                    .chars()
                    .take_while(|&c| {
                        used += label_width(c.encode_utf8(&mut [0; 4]));
                        used < room
                    })
                    .collect();
                kept.truncate(kept.trim_end().len());
                kept.push('…');
                kept
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The virtual offset of a source offset. An offset in text that was
    /// cut out maps to the `…` standing for it (its start for a label start,
    /// its end for a label end).
    fn to_virtual(
        &self,
        source: &Source,
        source_index: usize,
        offset: usize,
        is_end: bool,
    ) -> Option<usize> {
        let in_source = source.index.line_of(offset);
        let line = self
            .lines
            .iter()
            .find(|l| l.source == source_index && l.line == in_source)?;
        let mut position = line.start;
        for piece in &line.pieces {
            if offset < piece.source_start {
                // In the cut before this piece: the ellipsis just before it.
                let ellipsis_start = piece.virtual_start.saturating_sub(ELLIPSIS.len_utf8());
                return Some(if is_end {
                    piece.virtual_start
                } else {
                    ellipsis_start.max(line.start)
                });
            }
            if offset <= piece.source_end {
                return Some(
                    piece.virtual_start + sanitized_len(&source.text[piece.source_start..offset]),
                );
            }
            position = piece.virtual_end;
        }
        // After the last piece: the trailing ellipsis, or the line end.
        Some(if is_end {
            line.end
        } else {
            position.min(line.end)
        })
    }

    /// The shown line holding virtual offset `offset` (its `\n` included).
    fn line_at(&self, offset: usize) -> Option<usize> {
        let i = self.lines.partition_point(|l| l.start <= offset);
        let i = i.checked_sub(1)?;
        (offset <= self.lines[i].end + 1).then_some(i)
    }

    /// True when shown lines `i` and `i + 1` are neighbours in one source
    /// (for a Word chapter: paragraphs numbered one after the other, so a
    /// note's text is never drawn as the next paragraph).
    fn adjacent(&self, i: usize) -> bool {
        let (a, b) = (&self.lines[i], &self.lines[i + 1]);
        let in_note = |l: &VirtualLine| l.place.is_some_and(|p| p.note.is_some());
        a.source == b.source
            && a.line + 1 == b.line
            && a.number + 1 == b.number
            && !in_note(a)
            && !in_note(b)
    }

    /// A snippet header: `chapter-03.md:12:5`, or for a Word chapter
    /// `book.docx:¶214:37 (Chapter 7)` (`column` 0-based).
    fn header(&self, line: &VirtualLine, column: usize) -> String {
        let name = &self.names[line.source];
        let Some(place) = line.place else {
            return format!("{name}:{}:{}", line.number, column + 1);
        };
        match &self.titles[line.source] {
            Some(title) => format!("{name}:{place}:{} ({title})", column + 1),
            None => format!("{name}:{place}:{}", column + 1),
        }
    }

    /// The 0-based source column of a virtual offset on line `i`.
    fn column_at(&self, i: usize, offset: usize) -> usize {
        let line = &self.lines[i];
        let mut column = 0;
        for piece in &line.pieces {
            if offset < piece.virtual_start {
                return column;
            }
            let inside = offset.min(piece.virtual_end);
            column = piece.column + self.text[piece.virtual_start..inside].chars().count();
            if offset <= piece.virtual_end {
                return column;
            }
        }
        column
    }
}

impl SourceCode for Excerpt {
    /// Serves the shown lines around `span`, never across a gap between
    /// shown lines (so miette merges snippets only when they touch), with
    /// the source's line number and, for a span read without context (the
    /// header's location), its character column.
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let start = span.offset();
        let last_byte = (start + span.len()).saturating_sub(usize::from(!span.is_empty()));
        let (Some(first), Some(last)) = (self.line_at(start), self.line_at(last_byte.max(start)))
        else {
            return Err(MietteError::OutOfBounds);
        };
        if (first..last).any(|i| !self.adjacent(i)) {
            return Err(MietteError::OutOfBounds);
        }
        let mut from = first;
        for _ in 0..context_lines_before {
            if from == 0 || !self.adjacent(from - 1) {
                break;
            }
            from -= 1;
        }
        let mut to = last;
        for _ in 0..context_lines_after {
            if to + 1 >= self.lines.len() || !self.adjacent(to) {
                break;
            }
            to += 1;
        }
        let (data_start, column) = if context_lines_before == 0 {
            (
                start.min(self.lines[first].end),
                self.column_at(first, start),
            )
        } else {
            (self.lines[from].start, 0)
        };
        let data_end = (self.lines[to].end + 1).min(self.text.len());
        let line = &self.lines[if context_lines_before == 0 {
            first
        } else {
            from
        }];
        // Read without context, the span's own place names the header.
        let name = if context_lines_before == 0 {
            self.header(line, column)
        } else {
            self.names[line.source].clone()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            name,
            &self.text.as_bytes()[data_start..data_end],
            SourceSpan::from(data_start..data_end),
            line.number.saturating_sub(1),
            column,
            to - from + 1,
        )))
    }
}

/// Marks over more than [`MAX_TALL`] lines become their first line (with
/// the message) and their last line ("ends here"). Spans that end with a
/// line break end before it instead, so they do not spill onto the next
/// line. `None` when a mark points outside its source.
fn split_tall(sources: &[Source], marks: &[Mark]) -> Option<Vec<Mark>> {
    let mut out = Vec::with_capacity(marks.len());
    for mark in marks {
        let source = sources.get(mark.source)?;
        let (text, index) = (source.text, source.index);
        let start = floor_boundary(text, mark.span.start.min(text.len()));
        let mut end = floor_boundary(text, mark.span.end.min(text.len())).max(start);
        while end > start {
            let line = index.line_of(end);
            if line == index.line_of(start) || end != line_start(index, line) {
                break;
            }
            end = line_end(text, index, line - 1).max(start);
        }
        let (first, last) = (index.line_of(start), index.line_of(end));
        if last - first < MAX_TALL {
            out.push(Mark {
                span: start..end,
                ..mark.clone()
            });
            continue;
        }
        out.push(Mark {
            span: start..line_end(text, index, first),
            ..mark.clone()
        });
        out.push(Mark {
            source: mark.source,
            span: line_start(index, last)..end,
            message: Some("ends here".to_string()),
            primary: false,
        });
    }
    Some(out)
}

/// The pieces of a line to show, and whether text was cut before or after.
#[derive(Debug)]
struct Cuts {
    ranges: Vec<Range<usize>>,
    cut_before: bool,
    cut_after: bool,
}

/// Chooses what of the line `line` (source bytes, without its break) to
/// show in `available` columns, keeping every focus. `None` when the foci
/// alone do not fit.
fn window(
    text: &str,
    line: Range<usize>,
    role: Role,
    focus: &[Focus],
    available: usize,
) -> Option<Cuts> {
    let fits = width_capped(text, line.clone(), available) <= available;
    if fits && labels_fit(text, line.start, focus, available) {
        return Some(Cuts {
            ranges: vec![line],
            cut_before: false,
            cut_after: false,
        });
    }
    // Wide foci keep their start and end; if the pieces still do not fit,
    // keep less of each.
    let mut half = available.saturating_sub(4) / 2;
    let ranges = loop {
        let ranges = shown_ranges(text, &line, role, focus, half);
        let used: usize = ranges
            .iter()
            .map(|(r, _)| width_capped(text, r.clone(), available + 1))
            .sum::<usize>()
            + ranges.len()
            - 1;
        if used <= available {
            break ranges;
        }
        if half < 8 {
            return None;
        }
        half /= 2;
    };
    let ranges = widen_gaps(text, ranges, available);
    let used: usize = ranges
        .iter()
        .map(|r| width_capped(text, r.clone(), available))
        .sum::<usize>()
        + ranges.len()
        - 1;
    let budget = available.saturating_sub(used);
    let (first, last) = (ranges[0].start, ranges[ranges.len() - 1].end);
    let left_text = width_capped(text, line.start..first, available + 1);
    let right_text = width_capped(text, last..line.end, available + 1);
    let room = label_room(text, &ranges, focus, available);
    let (left, right) = if left_text <= room && left_text + right_text <= budget {
        (left_text, right_text)
    } else {
        share(budget, left_text.min(room), left_text, right_text, role)
    };
    let mut ranges = ranges;
    let mut start = walk_left(text, first, line.start, left);
    let mut end = walk_right(text, last, line.end, right);
    if start > line.start {
        start = snap_start(text, start, first);
    }
    if end < line.end {
        end = snap_end(text, end, last);
    }
    ranges[0].start = start;
    let n = ranges.len();
    ranges[n - 1].end = end;
    Some(Cuts {
        ranges,
        cut_before: start > line.start,
        cut_after: end < line.end,
    })
}

/// The parts of a line that must be shown: each focus whole, or the first
/// and last `half` columns of a wider one (flagged `true`: the cut before it
/// is inside a focus); foci that overlap or are close are joined. A line
/// without foci shows its end (context before a label) or its start.
fn shown_ranges(
    text: &str,
    line: &Range<usize>,
    role: Role,
    focus: &[Focus],
    half: usize,
) -> Vec<(Range<usize>, bool)> {
    // `true`: a wide focus's end, always cut apart from its start.
    let mut must: Vec<(Range<usize>, bool)> = Vec::new();
    for f in focus {
        if width_capped(text, f.start..f.end, half * 2) <= half * 2 {
            must.push((f.start..f.end, false));
        } else {
            // Cut between words, keeping a space on each side of the `…`.
            let head = walk_right(text, f.start, f.end, half.saturating_sub(2));
            let head = with_space_after(text, snap_end(text, head, f.start), f.end);
            let tail = walk_left(text, f.end, head, half.saturating_sub(2));
            let tail = with_space_before(text, snap_start(text, tail, f.end), head);
            must.push((f.start..head, false));
            must.push((tail..f.end, true));
        }
    }
    if must.is_empty() {
        let anchor = if role == Role::Before {
            line.end
        } else {
            line.start
        };
        must.push((anchor..anchor, false));
    }
    must.sort_by_key(|(r, _)| (r.start, r.end));
    let mut ranges: Vec<(Range<usize>, bool)> = Vec::new();
    for (range, apart) in must {
        if let Some((last, _)) = ranges.last_mut() {
            let close = range.start <= last.end
                || width_capped(text, last.end..range.start, JOIN_GAP) <= JOIN_GAP;
            if close && !apart {
                last.end = last.end.max(range.end);
                continue;
            }
        }
        ranges.push((range, apart));
    }
    ranges
}

/// Gives the pieces of a line some words of context on each side of the
/// `…` between them (a share of the spare columns, at most 12 a side), so
/// "coats … smell" reads as text; pieces that meet are joined.
fn widen_gaps(
    text: &str,
    ranges: Vec<(Range<usize>, bool)>,
    available: usize,
) -> Vec<Range<usize>> {
    let apart: Vec<bool> = ranges.iter().map(|(_, a)| *a).collect();
    let mut ranges: Vec<Range<usize>> = ranges.into_iter().map(|(r, _)| r).collect();
    if ranges.len() < 2 {
        return ranges;
    }
    let used: usize = ranges
        .iter()
        .map(|r| width_capped(text, r.clone(), available))
        .sum::<usize>()
        + ranges.len()
        - 1;
    let gaps = ranges.len() - 1;
    let per_side = (available.saturating_sub(used) / (2 * gaps + 2)).min(12);
    if per_side < 3 {
        return ranges;
    }
    for i in 0..gaps {
        if apart[i + 1] {
            // The middle of one wide label: no context to add.
            continue;
        }
        let (end, start) = (ranges[i].end, ranges[i + 1].start);
        let new_end = snap_end(text, walk_right(text, end, start, per_side), end);
        let new_end = with_space_after(text, new_end, start);
        let new_start = snap_start(text, walk_left(text, start, new_end, per_side), start);
        let new_start = with_space_before(text, new_start, new_end);
        ranges[i].end = new_end;
        ranges[i + 1].start = new_start;
    }
    let mut joined: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match joined.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => joined.push(range),
        }
    }
    joined
}

/// Splits `budget` columns of context between the two sides of the shown
/// text, reserving a column for each `…`. The left side gets at most
/// `left_cap` columns (so label texts still fit) and, when both sides are
/// cut, about a third of the budget: the words after a marker read better
/// than those before. Context before a label shows only its end.
fn share(
    budget: usize,
    left_cap: usize,
    left_text: usize,
    right_text: usize,
    role: Role,
) -> (usize, usize) {
    let target = if role == Role::Before {
        budget
    } else {
        budget / 3
    };
    let cost = |shown: usize, whole: usize| shown + usize::from(shown < whole);
    let mut left = left_cap.min(target).min(budget.saturating_sub(2));
    let mut right = right_text.min(budget.saturating_sub(cost(left, left_text)));
    if right < right_text {
        right = right.saturating_sub(1);
    }
    if role == Role::Before {
        right = 0;
    }
    let rest = budget.saturating_sub(cost(left, left_text) + cost(right, right_text));
    left = left_cap.min(left + rest);
    (left, right)
}

/// How many columns of left context keep every label text on screen: a
/// label's text starts at its marker, the middle of its underline.
fn label_room(text: &str, ranges: &[Range<usize>], focus: &[Focus], available: usize) -> usize {
    let mut room = available;
    for f in focus.iter().filter(|f| f.label > 0) {
        let Some(at) = shown_column(text, ranges, f) else {
            continue;
        };
        // One column for the `…` before the shown text.
        let needed = at + f.label + 1;
        room = room.min(available.saturating_sub(needed));
    }
    room
}

/// The column of a focus's marker within the shown ranges (before any left
/// context is added).
fn shown_column(text: &str, ranges: &[Range<usize>], f: &Focus) -> Option<usize> {
    let mut column = 0;
    for range in ranges {
        if f.start >= range.start && f.start <= range.end {
            let start = column + width_capped(text, range.start..f.start, usize::MAX);
            let end = if f.end <= range.end {
                column + width_capped(text, range.start..f.end, usize::MAX)
            } else {
                column + width_capped(text, range.clone(), usize::MAX)
            };
            return Some((start + end.max(start + 1)) / 2);
        }
        column += width_capped(text, range.clone(), usize::MAX) + 1;
    }
    None
}

/// True when every label text fits after its marker on an uncut line.
fn labels_fit(text: &str, line_start: usize, focus: &[Focus], available: usize) -> bool {
    focus.iter().filter(|f| f.label > 0).all(|f| {
        let start = width_capped(text, line_start..f.start, available + 1);
        let end = width_capped(text, line_start..f.end, available + 1).max(start + 1);
        (start + end) / 2 + f.label <= available
    })
}

/// Moves a left cut forward to the start of a word, if one is near (or to
/// `limit`, the text that must be shown).
fn snap_start(text: &str, cut: usize, limit: usize) -> usize {
    let mut columns = 0;
    let mut previous_space = text[..cut].ends_with(char::is_whitespace);
    for (i, c) in text[cut..limit].char_indices() {
        let at = cut + i;
        if previous_space && !c.is_whitespace() {
            return at;
        }
        previous_space = c.is_whitespace();
        columns += char_width(c);
        if columns > WORD_SNAP {
            return cut;
        }
    }
    limit
}

/// Moves a right cut back to the end of a word, if one is near (or to
/// `limit`).
fn snap_end(text: &str, cut: usize, limit: usize) -> usize {
    let mut columns = 0;
    let mut next_space = text[cut..].starts_with(char::is_whitespace);
    for (i, c) in text[limit..cut].char_indices().rev() {
        let at = limit + i + c.len_utf8();
        if next_space && !c.is_whitespace() {
            return at;
        }
        next_space = c.is_whitespace();
        columns += char_width(c);
        if columns > WORD_SNAP {
            return cut;
        }
    }
    limit
}

/// `at`, or just after the space there (not beyond `limit`).
fn with_space_after(text: &str, at: usize, limit: usize) -> usize {
    match text[at..limit.max(at)].chars().next() {
        Some(' ') => at + 1,
        _ => at,
    }
}

/// `at`, or just before the space before it (not before `limit`).
fn with_space_before(text: &str, at: usize, limit: usize) -> usize {
    match text[limit.min(at)..at].chars().next_back() {
        Some(' ') => at - 1,
        _ => at,
    }
}

/// The byte after taking characters from `from` towards `limit` while they
/// fit in `columns`; zero-width characters after the last one taken come
/// along (they belong to it).
fn walk_right(text: &str, from: usize, limit: usize, columns: usize) -> usize {
    let mut used = 0;
    let mut at = from;
    for c in text[from..limit].chars() {
        let w = char_width(c);
        if used + w > columns {
            break;
        }
        used += w;
        at += c.len_utf8();
    }
    at
}

/// The byte before taking characters back from `from` towards `limit`
/// while they fit in `columns`; a zero-width character left first (its base
/// did not fit) is dropped.
fn walk_left(text: &str, from: usize, limit: usize, columns: usize) -> usize {
    let mut used = 0;
    let mut at = from;
    for c in text[limit.min(from)..from].chars().rev() {
        let w = char_width(c);
        if used + w > columns {
            break;
        }
        used += w;
        at -= c.len_utf8();
    }
    while at < from {
        match text[at..].chars().next() {
            Some(c) if char_width(c) == 0 => at += c.len_utf8(),
            _ => break,
        }
    }
    at
}

/// Display width of `text[range]`, counting no further than `cap + 1`.
fn width_capped(text: &str, range: Range<usize>, cap: usize) -> usize {
    let mut total = 0usize;
    for c in text[range].chars() {
        total += char_width(c);
        if total > cap {
            break;
        }
    }
    total
}

/// The width miette gives a character after [`push_sanitized`].
fn char_width(c: char) -> usize {
    match sanitize(c) {
        Some(replacement) => replacement.width().unwrap_or(0),
        None => c.width().unwrap_or(0),
    }
}

/// What a character is shown as, when not as itself: tabs become a space
/// (their width would depend on where the window starts) and control
/// characters, line and paragraph separators become U+FFFD, so nothing
/// printed moves the cursor or starts an escape sequence.
fn sanitize(c: char) -> Option<char> {
    match c {
        '\t' => Some(' '),
        c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => Some('\u{FFFD}'),
        _ => None,
    }
}

fn push_sanitized(out: &mut String, text: &str) {
    for c in text.chars() {
        out.push(sanitize(c).unwrap_or(c));
    }
}

fn sanitized_len(text: &str) -> usize {
    text.chars()
        .map(|c| sanitize(c).unwrap_or(c).len_utf8())
        .sum()
}

/// Width of a label text: its widest line.
fn label_width(label: &str) -> usize {
    label
        .split('\n')
        .map(|l| width_capped(l, 0..l.len(), usize::MAX))
        .max()
        .unwrap_or(0)
}

/// The role a line wanted for two reasons is shown for: labels first, then
/// the start of a line (context after), then its end (context before).
fn stronger(a: Role, b: Role) -> Role {
    match (a, b) {
        (Role::Labelled, _) | (_, Role::Labelled) => Role::Labelled,
        (Role::After, _) | (_, Role::After) => Role::After,
        _ => Role::Before,
    }
}

/// The last line worth showing: a text ending with a line break has an
/// empty line after it that only a label on it should show.
fn last_shown_line(text: &str, index: &LineIndex) -> usize {
    let last = index.line_count().saturating_sub(1);
    if last > 0 && line_start(index, last) == text.len() {
        last - 1
    } else {
        last
    }
}

fn line_start(index: &LineIndex, line: usize) -> usize {
    index.start_of_line(line)
}

/// Byte offset of the end of a 0-based line's content (before its break).
fn line_end(text: &str, index: &LineIndex, line: usize) -> usize {
    index
        .line_span(text, line + 1)
        .map_or(text.len(), |s| s.end as usize)
}

fn next_boundary(text: &str, at: usize, limit: usize) -> usize {
    text[at..limit.max(at)]
        .chars()
        .next()
        .map_or(at, |c| at + c.len_utf8())
}

fn previous_boundary(text: &str, at: usize, limit: usize) -> usize {
    text[limit.min(at)..at]
        .chars()
        .next_back()
        .map_or(at, |c| at - c.len_utf8())
}

fn digits(n: usize) -> usize {
    n.max(1).ilog10() as usize + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The virtual lines an excerpt shows for one mark on `text`.
    fn shown(text: &str, span: Range<usize>, message: &str, width: usize) -> Vec<String> {
        let index = LineIndex::new(text);
        let sources = [Source {
            name: "ch.txt".into(),
            text,
            index: &index,
            first_line: 1,
            paragraphs: None,
        }];
        let marks = [Mark {
            source: 0,
            span,
            message: Some(message.into()),
            primary: true,
        }];
        let (excerpt, _) = Excerpt::build(&sources, &marks, width).expect("drawable");
        excerpt
            .lines
            .iter()
            .map(|l| excerpt.text[l.start..l.end].to_string())
            .collect()
    }

    fn width(text: &str) -> usize {
        text.chars().map(|c| c.width().unwrap_or(0)).sum()
    }

    #[test]
    fn a_line_that_fits_is_shown_whole_with_its_neighbours() {
        let text = "First line.\nShe opened the the door.\nLast line.\n";
        let at = text.find("the the").unwrap();
        assert_eq!(
            shown(text, at..at + 7, "doubled word", 80),
            ["First line.", "She opened the the door.", "Last line."]
        );
    }

    #[test]
    fn a_long_line_is_cut_around_the_span_at_word_boundaries() {
        let before = "word ".repeat(100);
        let after = " more".repeat(100);
        let text = format!("{before}TK{after}");
        let at = before.len();
        let lines = shown(&text, at..at + 2, "placeholder", 80);
        assert_eq!(lines.len(), 1);
        let line = &lines[0];
        // 80 columns less the gutter (" 1 │ ") and a spare column.
        assert!(width(line) < 80 - 5, "{line:?} is {} wide", width(line));
        assert!(
            line.starts_with("…word ") && line.ends_with(" more…"),
            "{line:?}"
        );
        assert!(line.contains("word TK more"), "{line:?}");
        // The label text after the marker fits too.
        let marker = width(&line[..line.find("TK").unwrap()]) + 1;
        assert!(marker + 4 + "placeholder".len() <= 80 - 6, "{line:?}");
    }

    #[test]
    fn a_line_with_ellipses_is_cut_with_another_mark() {
        let before = "and she waited… ".repeat(20);
        let after = " and the rain fell.".repeat(20);
        let text = format!("{before}TK{after}");
        let at = before.len();
        let line = &shown(&text, at..at + 2, "placeholder", 80)[0];
        assert!(line.starts_with('⋯') && line.ends_with('⋯'), "{line:?}");
        assert!(line.contains("waited… TK and"), "{line:?}");
        assert!(width(line) < 80 - 5, "{line:?}");
        // A line without one keeps the usual mark.
        let plain = format!("{}TK{after}", "word ".repeat(100));
        let line = &shown(&plain, 500..502, "placeholder", 80)[0];
        assert!(line.starts_with('…') && !line.contains('⋯'), "{line:?}");
    }

    #[test]
    fn a_span_wider_than_the_window_shows_its_start_and_end() {
        let paragraph = format!("Start of it {}end of it.", "middle ".repeat(200));
        let text = format!("{paragraph}\n");
        let lines = shown(&text, 0..paragraph.len(), "copy", 100);
        let line = &lines[0];
        assert!(line.starts_with("Start of it middle"), "{line:?}");
        assert!(line.ends_with("middle end of it."), "{line:?}");
        assert_eq!(line.matches('…').count(), 1, "{line:?}");
        assert!(width(line) < 100 - 5);
    }

    #[test]
    fn wide_and_combining_characters_are_measured_in_columns() {
        // 300 CJK characters (600 columns) with the span in the middle; a
        // combining accent after every "e" of the Latin text.
        let cjk = "東京の夜は長い。".repeat(40);
        let latin = "cafe\u{301} ".repeat(60);
        let text = format!("{cjk}TK{latin}");
        let at = cjk.len();
        let line = &shown(&text, at..at + 2, "here", 60)[0];
        assert!(width(line) <= 60 - 6, "{line:?} is {} wide", width(line));
        assert!(line.contains("TK"));
        // No accent left without its letter at the cut.
        assert!(!line.contains("…\u{301}"), "{line:?}");
        assert!(!line.contains("e…"), "{line:?}");
    }

    #[test]
    fn tabs_and_control_characters_never_reach_the_terminal() {
        let text = "a\tb \u{1b}[31m red the the\u{7} end\n";
        let at = text.find("the the").unwrap();
        let line = &shown(text, at..at + 7, "doubled", 80)[0];
        assert_eq!(line, "a b \u{FFFD}[31m red the the\u{FFFD} end");
    }

    #[test]
    fn lone_cr_lines_are_lines() {
        let text = "One.\rShe opened the the door.\rThree.";
        let at = text.find("the the").unwrap();
        let index = LineIndex::new(text);
        let sources = [Source {
            name: "ch.txt".into(),
            text,
            index: &index,
            first_line: 1,
            paragraphs: None,
        }];
        let marks = [Mark {
            source: 0,
            span: at..at + 7,
            message: None,
            primary: true,
        }];
        let (excerpt, labels) = Excerpt::build(&sources, &marks, 80).unwrap();
        assert_eq!(excerpt.text, "One.\nShe opened the the door.\nThree.\n");
        let header = excerpt.read_span(labels[0].inner(), 0, 0).unwrap();
        assert_eq!((header.line(), header.column()), (1, 11));
        let context = excerpt.read_span(labels[0].inner(), 1, 1).unwrap();
        assert_eq!((context.line(), context.line_count()), (0, 3));
    }

    #[test]
    fn tall_spans_show_their_first_and_last_line() {
        let text: String = (1..=20)
            .map(|i| format!("line {i} of the paragraph\n"))
            .collect();
        let start = text.find("line 3 ").unwrap();
        let end = text.find("line 15 ").unwrap() + "line 15 of the paragraph".len();
        let index = LineIndex::new(&text);
        let sources = [Source {
            name: "ch.txt".into(),
            text: &text,
            index: &index,
            first_line: 1,
            paragraphs: None,
        }];
        let marks = [Mark {
            source: 0,
            span: start..end,
            message: Some("copy".into()),
            primary: true,
        }];
        let (excerpt, labels) = Excerpt::build(&sources, &marks, 80).unwrap();
        let numbers: Vec<usize> = excerpt.lines.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [2, 3, 4, 14, 15, 16]);
        assert_eq!(labels.len(), 2);
        assert_eq!(labels[1].label(), Some("ends here"));
        // The gap between line 4 and 14 is never served as one snippet.
        let whole = SourceSpan::from(labels[0].offset()..labels[1].offset() + labels[1].len());
        assert!(excerpt.read_span(&whole, 1, 1).is_err());
    }

    #[test]
    fn a_span_ending_with_a_line_break_stays_on_its_line() {
        let text = "One.\n\nA paragraph.\n\nNext.\n";
        let start = text.find("A paragraph").unwrap();
        let end = text.find("Next").unwrap();
        let index = LineIndex::new(text);
        let sources = [Source {
            name: "ch.txt".into(),
            text,
            index: &index,
            first_line: 1,
            paragraphs: None,
        }];
        let marks = [Mark {
            source: 0,
            span: start..end,
            message: None,
            primary: true,
        }];
        let (excerpt, labels) = Excerpt::build(&sources, &marks, 80).unwrap();
        let label_text = &excerpt.text[labels[0].offset()..labels[0].offset() + labels[0].len()];
        assert_eq!(label_text, "A paragraph.");
    }

    #[test]
    fn too_narrow_is_none() {
        let text = "She opened the the door.\n";
        let index = LineIndex::new(text);
        let sources = [Source {
            name: "ch.txt".into(),
            text,
            index: &index,
            first_line: 1,
            paragraphs: None,
        }];
        let marks = [Mark {
            source: 0,
            span: 11..18,
            message: None,
            primary: true,
        }];
        assert!(Excerpt::build(&sources, &marks, 15).is_none());
        assert!(Excerpt::build(&sources, &marks, 30).is_some());
    }
}
