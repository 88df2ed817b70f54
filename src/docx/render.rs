//! From walked parts to chapters of the text model.
//!
//! Each chapter's text is a Markdown-flavoured rendering: one block per
//! paragraph with a blank line between, headings as `# …`, italics as
//! `*…*` (so rules that look for titles in italics find them), scene breaks
//! as `* * *`, suppression directives as HTML comments, and a backslash
//! before `\` and `<` (and before `` ` `` or `~` opening a paragraph) so the
//! Markdown parser that finds directives never mistakes prose for markup.
//! The renderer builds the prose mask and the blocks itself — markup added
//! is never prose, source text always is — and a [`SourceMap`] back to
//! paragraphs and columns.
//!
//! Footnotes and endnotes are prose: each note's paragraphs come at the end
//! of the chapter that references it, in the order of their marks, and
//! their places name the paragraph holding the mark (`¶214 footnote 3`).
//!
//! A document whose paragraphs use the `Heading 1` style is split into a
//! chapter at each of them; one that uses no heading styles is split at
//! lines such as "Chapter 12", "CHAPTER TWELVE" or "Prologue".

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use regex::Regex;

use super::styles::Heading;
use super::walk::{MarkKind, Paragraph, Part};
use crate::text::source_map::{DisplayLine, NoteKind, NotePlace, Place, Segment};
use crate::text::{BlockKind, ParsedStructure, SourceMap, Span, is_heading_line, is_scene_break};

/// The parts of a document that hold text.
#[derive(Debug, Default)]
pub struct Document {
    pub body: Part,
    pub footnotes: Option<Part>,
    pub endnotes: Option<Part>,
    pub comments: Option<Part>,
}

/// One chapter, ready for [`crate::text::Chapter::from_structure`].
#[derive(Debug)]
pub(crate) struct RenderedChapter {
    pub(crate) text: String,
    pub(crate) structure: ParsedStructure,
    pub(crate) map: SourceMap,
}

/// What a unit becomes in the text model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Block(BlockKind),
    /// Nothing to check (an empty paragraph, a table-of-contents entry);
    /// its directives still count.
    Nothing,
}

/// A paragraph as rendered: one source paragraph, or several when tracked
/// deletions of paragraph marks join them.
struct Unit<'a> {
    pieces: Vec<(&'a Paragraph, Place)>,
    kind: Kind,
    /// Starts a chapter.
    chapter_start: bool,
    /// Set in from the margin (verse, a letter): rendered after two spaces
    /// of markup, as an indented paragraph of a text file reads.
    set_in: bool,
    /// Directives to emit before it (without `<!--`/`-->`).
    directives: Vec<String>,
}

impl Unit<'_> {
    fn text(&self) -> String {
        self.pieces.iter().map(|(p, _)| p.text()).collect()
    }
}

/// Renders `document` as chapters (see the module docs). A document with
/// no prose at all renders as no chapters.
pub(crate) fn render(document: &Document) -> Vec<RenderedChapter> {
    let mut units = body_units(&document.body);
    mark_chapters(&mut units);
    let numbers = note_numbers(&units);
    units = with_notes(units, document, &numbers);
    let file_wide = directives(&mut units, document.comments.as_ref());
    let mut chapters = Vec::new();
    let first_title = units
        .iter()
        .find(|u| u.chapter_start)
        .map(|u| chapter_title(&u.text()));
    let mut start = 0;
    while start < units.len() {
        let mut end = units[start + 1..]
            .iter()
            .position(|u| u.chapter_start)
            .map_or(units.len(), |i| start + 1 + i);
        // A title page (title, subtitle, headings, no prose) opens the
        // first chapter rather than being a chapter of its own.
        if start == 0 && !units[0].chapter_start && !has_prose(&units[..end]) {
            end = units[end..]
                .iter()
                .skip(1)
                .position(|u| u.chapter_start)
                .map_or(units.len(), |i| end + 1 + i);
        }
        let title = match units[start..end].iter().find(|u| u.chapter_start) {
            Some(heading) => Some(chapter_title(&heading.text())),
            None => first_title.as_ref().map(|t| format!("before {t}")),
        };
        if let Some(chapter) = render_chapter(&units[start..end], title, &file_wide) {
            chapters.push(chapter);
        }
        start = end;
    }
    chapters
}

/// True when some unit is a paragraph or scene break (not only headings).
fn has_prose(units: &[Unit]) -> bool {
    units.iter().any(|u| {
        matches!(
            u.kind,
            Kind::Block(BlockKind::Paragraph | BlockKind::SceneBreak)
        )
    })
}

/// Body paragraphs grouped into units, numbered from 1.
fn body_units(body: &Part) -> Vec<Unit<'_>> {
    let mut units = Vec::new();
    let mut pieces = Vec::new();
    for (i, paragraph) in body.paragraphs.iter().enumerate() {
        let place = Place {
            paragraph: i as u32 + 1,
            note: None,
        };
        pieces.push((paragraph, place));
        if !paragraph.mark_deleted {
            units.push(unit(std::mem::take(&mut pieces), true));
        }
    }
    if !pieces.is_empty() {
        units.push(unit(pieces, true));
    }
    units
}

fn unit<'a>(pieces: Vec<(&'a Paragraph, Place)>, may_be_heading: bool) -> Unit<'a> {
    let text: String = pieces.iter().map(|(p, _)| p.text()).collect();
    // A joined paragraph takes the style of its last paragraph mark.
    let style = pieces.last().map(|(p, _)| p.style).unwrap_or_default();
    let kind = if style.toc || text.trim().is_empty() {
        Kind::Nothing
    } else if let (Some(heading), true) = (style.heading, may_be_heading) {
        Kind::Block(BlockKind::Heading {
            level: heading.markdown_level(),
        })
    } else if is_scene_break(&text) {
        Kind::Block(BlockKind::SceneBreak)
    } else {
        Kind::Block(BlockKind::Paragraph)
    };
    let chapter_start = may_be_heading && style.heading == Some(Heading::Level(1));
    Unit {
        pieces,
        kind,
        chapter_start: chapter_start && kind != Kind::Nothing,
        set_in: style.set_in,
        directives: Vec::new(),
    }
}

/// Footnotes and endnotes numbered in the order their marks appear.
fn note_numbers(units: &[Unit]) -> HashMap<(NoteKind, i64), u32> {
    let mut numbers = HashMap::new();
    let mut next = [0u32; 2];
    for (paragraph, _) in units.iter().flat_map(|u| &u.pieces) {
        for mark in &paragraph.marks {
            let (kind, id, slot) = match mark.kind {
                MarkKind::Footnote(id) => (NoteKind::Footnote, id, 0),
                MarkKind::Endnote(id) => (NoteKind::Endnote, id, 1),
                _ => continue,
            };
            numbers.entry((kind, id)).or_insert_with(|| {
                next[slot] += 1;
                next[slot]
            });
        }
    }
    numbers
}

/// The units with each note's paragraphs placed at the end of the chapter
/// that references it, in the order of their marks. (Right after the
/// paragraph with the mark, a note would come between paragraphs that
/// belong together: speech running on into the next paragraph would look
/// unclosed.) A note's place is still the paragraph with its mark.
fn with_notes<'a>(
    units: Vec<Unit<'a>>,
    document: &'a Document,
    numbers: &HashMap<(NoteKind, i64), u32>,
) -> Vec<Unit<'a>> {
    let by_id = |part: &'a Option<Part>| -> HashMap<i64, Vec<&'a Paragraph>> {
        let mut map: HashMap<i64, Vec<&Paragraph>> = HashMap::new();
        for paragraph in part.iter().flat_map(|p| &p.paragraphs) {
            if let Some(id) = paragraph.container {
                map.entry(id).or_default().push(paragraph);
            }
        }
        map
    };
    let footnotes = by_id(&document.footnotes);
    let endnotes = by_id(&document.endnotes);
    let mut out = Vec::with_capacity(units.len());
    // The notes of the chapter so far, placed at its end.
    let mut notes = Vec::new();
    for unit_ in units {
        if unit_.chapter_start {
            out.append(&mut notes);
        }
        for (paragraph, place) in &unit_.pieces {
            for mark in &paragraph.marks {
                let (kind, id, source) = match mark.kind {
                    MarkKind::Footnote(id) => (NoteKind::Footnote, id, &footnotes),
                    MarkKind::Endnote(id) => (NoteKind::Endnote, id, &endnotes),
                    _ => continue,
                };
                let number = numbers.get(&(kind, id)).copied().unwrap_or(0);
                for (k, note_paragraph) in source.get(&id).into_iter().flatten().enumerate() {
                    let note_place = Place {
                        paragraph: place.paragraph,
                        note: Some(NotePlace {
                            kind,
                            number,
                            xml_id: id,
                            paragraph: k as u32 + 1,
                        }),
                    };
                    notes.push(unit(vec![(*note_paragraph, note_place)], false));
                }
            }
        }
        out.push(unit_);
    }
    out.append(&mut notes);
    out
}

/// Directives from Word comments (`manulint-disable RULE` as a comment's
/// text) and hidden text, attached to the units they cover. Returns the
/// `disable-file` directives, which every chapter of the file gets.
fn directives(units: &mut [Unit], comments: Option<&Part>) -> Vec<String> {
    let mut file_wide = Vec::new();
    // Hidden text: in place.
    for unit in units.iter_mut() {
        let hidden: Vec<String> = unit
            .pieces
            .iter()
            .flat_map(|(p, _)| split_directives(&p.hidden))
            .collect();
        for directive in hidden {
            if directive.starts_with("manulint-disable-file") {
                file_wide.push(directive);
            } else {
                unit.directives.push(directive);
            }
        }
    }
    // Comments: on every unit of their anchor.
    let Some(comments) = comments else {
        return file_wide;
    };
    let mut texts: HashMap<i64, String> = HashMap::new();
    for paragraph in &comments.paragraphs {
        if let Some(id) = paragraph.container {
            let text = texts.entry(id).or_default();
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&paragraph.text());
        }
    }
    let mut anchors: HashMap<i64, (usize, usize)> = HashMap::new();
    for (i, unit) in units.iter().enumerate() {
        for mark in unit.pieces.iter().flat_map(|(p, _)| &p.marks) {
            match mark.kind {
                MarkKind::CommentStart(id) | MarkKind::CommentReference(id) => {
                    anchors.entry(id).or_insert((i, i));
                }
                MarkKind::CommentEnd(id) => {
                    anchors.entry(id).or_insert((i, i)).1 = i;
                }
                _ => {}
            }
        }
    }
    let mut ordered: Vec<(i64, (usize, usize))> = anchors.into_iter().collect();
    ordered.sort();
    for (id, (first, last)) in ordered {
        let Some(text) = texts.get(&id).map(|t| t.trim()) else {
            continue;
        };
        if !text.starts_with("manulint-") {
            continue;
        }
        let directive = sanitise(text);
        let last = last.max(first);
        if let Some(rules) = directive
            .strip_prefix("manulint-disable-next")
            .or_else(|| directive.strip_prefix("manulint-disable "))
            .or_else(|| (directive == "manulint-disable").then_some(""))
        {
            let rules = rules.trim();
            for unit in &mut units[first..=last] {
                unit.directives.push(
                    format!("manulint-disable-next {rules}")
                        .trim_end()
                        .to_string(),
                );
            }
        } else if directive.starts_with("manulint-disable-file") {
            file_wide.push(directive);
        } else {
            units[first].directives.push(directive);
        }
    }
    file_wide
}

/// The directives in a run of hidden text: each from `manulint-` to the
/// next one, a line break or the end.
fn split_directives(hidden: &str) -> Vec<String> {
    let mut out = Vec::new();
    let starts: Vec<usize> = hidden.match_indices("manulint-").map(|(i, _)| i).collect();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(hidden.len());
        let text = hidden[start..end].lines().next().unwrap_or("").trim();
        if !text.is_empty() {
            out.push(sanitise(text));
        }
    }
    out
}

/// A directive's text made safe inside an HTML comment.
fn sanitise(text: &str) -> String {
    text.lines()
        .next()
        .unwrap_or("")
        .replace(['<', '>'], " ")
        .replace("--", "- -")
        .trim()
        .to_string()
}

static CHAPTER_LINE: LazyLock<Regex> = LazyLock::new(|| {
    let units = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen";
    let tens = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety";
    let number =
        format!(r"\d+|[ivxlcdm]+|(?:{tens})(?:[- ]?(?:{units}))?|{units}|(?:one )?hundred");
    Regex::new(&format!(
        r"(?i)^\s*(?:(?:chapter|ch\.)\s+(?:{number})\b(?P<rest>.*)|(?:prologue|epilogue)\b(?P<rest2>.*))$"
    ))
    .expect("static regex")
});

/// "Chapter 12", "CHAPTER TWELVE", "Chapter 3: The Storm", "Prologue":
/// a paragraph that names a chapter, in a document without heading styles.
fn is_chapter_line(text: &str) -> bool {
    let text = text.trim();
    let Some(caps) = CHAPTER_LINE.captures(text) else {
        return false;
    };
    let rest = caps
        .name("rest")
        .or_else(|| caps.name("rest2"))
        .map_or("", |m| m.as_str())
        .trim();
    rest.is_empty()
        || rest.starts_with(['.', ':', '—', '–', '-'])
        || (is_heading_line(text) && !text.ends_with(['.', '!', '?', ',', ';']))
}

/// Chapters start at `Heading 1` paragraphs; without any, at chapter lines
/// (which then become headings). In a document that uses no heading style
/// at all, a paragraph that reads as a heading line in plain text ("The
/// Lighthouse Keeper", "PART TWO", "The Setting:") is a heading too, as it
/// would be in a `.txt` chapter.
fn mark_chapters(units: &mut [Unit]) {
    if units.iter().any(|u| u.chapter_start) {
        return;
    }
    let styled = units
        .iter()
        .any(|u| matches!(u.kind, Kind::Block(BlockKind::Heading { .. })));
    for unit in units.iter_mut() {
        let is_body = unit.pieces.iter().all(|(_, place)| place.note.is_none());
        if !is_body || unit.kind != Kind::Block(BlockKind::Paragraph) {
            continue;
        }
        let text = unit.text();
        if is_chapter_line(&text) {
            unit.kind = Kind::Block(BlockKind::Heading { level: 1 });
            unit.chapter_start = true;
        } else if !styled && is_heading_line(&text) {
            unit.kind = Kind::Block(BlockKind::Heading { level: 1 });
        }
    }
}

/// A heading's text as a chapter's name: trimmed, at most 60 characters.
fn chapter_title(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= 60 {
        return text;
    }
    let cut: String = text.chars().take(59).collect();
    format!("{}…", cut.trim_end())
}

/// Builds the text, prose mask, blocks and source map of one chapter.
#[derive(Default)]
struct Renderer {
    text: String,
    prose: String,
    display: String,
    blocks: Vec<(BlockKind, Span)>,
    segments: Vec<Segment>,
    lines: Vec<DisplayLine>,
}

fn render_chapter(
    units: &[Unit],
    title: Option<String>,
    file_wide: &[String],
) -> Option<RenderedChapter> {
    if !units.iter().any(|u| matches!(u.kind, Kind::Block(_))) {
        return None;
    }
    let mut r = Renderer::default();
    for directive in file_wide {
        r.markup(&format!("<!-- {directive} -->\n\n"), 0);
    }
    for unit in units {
        r.unit(unit);
    }
    let Renderer {
        text,
        prose,
        display,
        blocks,
        segments,
        lines,
    } = r;
    Some(RenderedChapter {
        text,
        structure: ParsedStructure {
            prose,
            front_matter: None,
            blocks,
            // Word has no wikilinks (its hyperlinks' targets are not prose).
            wikilinks: Vec::new(),
        },
        map: SourceMap::new(title, Arc::from(display), lines, segments),
    })
}

impl Renderer {
    fn unit(&mut self, unit: &Unit) {
        if unit.kind == Kind::Nothing && unit.directives.is_empty() {
            return;
        }
        let starts: Vec<usize> = unit
            .pieces
            .iter()
            .map(|(p, place)| self.line(*place, &p.text()))
            .collect();
        let first = starts.first().copied().unwrap_or(self.display.len());
        for directive in &unit.directives {
            self.markup(&format!("<!-- {directive} -->\n\n"), first);
        }
        let Kind::Block(kind) = unit.kind else {
            return;
        };
        let chars = visible_chars(unit, &starts);
        if kind == BlockKind::Paragraph && unit.set_in {
            self.markup("  ", first);
        }
        let start = self.text.len();
        match kind {
            BlockKind::SceneBreak => self.markup("* * *", first),
            BlockKind::Heading { level } => {
                self.markup(&format!("{} ", "#".repeat(level as usize)), first);
                self.content(&chars);
            }
            BlockKind::Paragraph => self.content(&chars),
        }
        let end = self.text.len();
        if end > start {
            self.blocks.push((kind, Span::new(start, end)));
        }
        let at = self.display.len();
        self.markup("\n\n", at);
    }

    /// Starts a display line for a source paragraph; returns its offset.
    fn line(&mut self, place: Place, text: &str) -> usize {
        if !self.lines.is_empty() {
            self.display.push('\n');
        }
        let start = self.display.len();
        self.lines.push(DisplayLine { place });
        self.display.push_str(&text.replace(['\n', '\r'], " "));
        start
    }

    /// Renders a paragraph's characters: edges trimmed, italics marked
    /// (only where they start and end at word edges: `*un*believable`
    /// would split a word in two), `\` and `<` escaped.
    fn content(&mut self, chars: &[(char, bool, usize)]) {
        let blank = |c: char| matches!(c, ' ' | '\t' | '\n');
        let Some(first) = chars.iter().position(|&(c, _, _)| !blank(c)) else {
            return;
        };
        let last = chars
            .iter()
            .rposition(|&(c, _, _)| !blank(c))
            .unwrap_or(first);
        let chars = &chars[first..=last];
        let mut i = 0;
        while i < chars.len() {
            let italic = chars[i].1;
            let run_end = chars[i..]
                .iter()
                .position(|&(_, it, _)| it != italic)
                .map_or(chars.len(), |k| i + k);
            let run = &chars[i..run_end];
            let inside_word = |a: Option<&(char, bool, usize)>, b: Option<&(char, bool, usize)>| {
                a.zip(b)
                    .is_some_and(|(a, b)| a.0.is_alphanumeric() && b.0.is_alphanumeric())
            };
            let split_word = inside_word(i.checked_sub(1).map(|k| &chars[k]), run.first())
                || inside_word(run.last(), chars.get(run_end));
            if italic && !split_word {
                self.italic(run, i == 0);
            } else {
                self.plain(run, i == 0);
            }
            i = run_end;
        }
    }

    fn italic(&mut self, run: &[(char, bool, usize)], at_start: bool) {
        let blank = |c: char| matches!(c, ' ' | '\t' | '\n');
        let Some(first) = run.iter().position(|&(c, _, _)| !blank(c)) else {
            self.plain(run, at_start);
            return;
        };
        let last = run
            .iter()
            .rposition(|&(c, _, _)| !blank(c))
            .unwrap_or(first);
        self.plain(&run[..first], at_start);
        self.markup("*", run[first].2);
        self.plain(&run[first..=last], false);
        let after = run[last].2 + run[last].0.len_utf8();
        self.markup("*", after);
        self.plain(&run[last + 1..], false);
    }

    /// Source characters, copied; escapes where Markdown needs them.
    fn plain(&mut self, run: &[(char, bool, usize)], at_start: bool) {
        let mut pending = String::new();
        let mut pending_at = 0;
        for (k, &(c, _, display)) in run.iter().enumerate() {
            let escape = matches!(c, '\\' | '<') || (at_start && k == 0 && matches!(c, '`' | '~'));
            if escape || pending.is_empty() || pending_at + pending.len() != display {
                self.verbatim(&pending, pending_at);
                pending.clear();
                pending_at = display;
            }
            if escape {
                self.markup("\\", display);
            }
            // A line break stays one (a signature under "Yours truly,"),
            // never two in a row: a blank line would end the block.
            let after_break = match pending.chars().next_back() {
                Some(last) => last == '\n',
                None => self.text.ends_with('\n'),
            };
            let doubled = c == '\n' && after_break;
            pending.push(if c == '\r' || doubled { ' ' } else { c });
        }
        self.verbatim(&pending, pending_at);
    }

    fn markup(&mut self, s: &str, display: usize) {
        let start = self.text.len();
        self.text.push_str(s);
        self.prose
            .extend(s.bytes().map(|b| if b == b'\n' { '\n' } else { ' ' }));
        self.segment(start, display, false);
    }

    fn verbatim(&mut self, s: &str, display: usize) {
        if s.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(s);
        self.prose.push_str(s);
        self.segment(start, display, true);
    }

    fn segment(&mut self, start: usize, display: usize, verbatim: bool) {
        let end = self.text.len() as u32;
        let (start, display) = (start as u32, display as u32);
        if start == end {
            return;
        }
        if let Some(last) = self.segments.last_mut()
            && last.verbatim == verbatim
            && last.end == start
        {
            let continues = if verbatim {
                last.display + (last.end - last.start) == display
            } else {
                last.display == display
            };
            if continues {
                last.end = end;
                return;
            }
        }
        self.segments.push(Segment {
            start,
            end,
            display,
            verbatim,
        });
    }
}

/// Each visible character of a unit with its italic flag and display
/// offset (`starts`: the display offset of each piece's line).
fn visible_chars(unit: &Unit, starts: &[usize]) -> Vec<(char, bool, usize)> {
    let mut out = Vec::new();
    for ((paragraph, _), &line_start) in unit.pieces.iter().zip(starts) {
        let mut offset = line_start;
        for item in &paragraph.items {
            for c in item.text.chars() {
                out.push((c, item.italic, offset));
                offset += c.len_utf8();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docx::styles::Styles;
    use crate::docx::walk::walk;

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn document(body: &str) -> Document {
        let xml = format!(r#"<w:document {NS}><w:body>{body}</w:body></w:document>"#);
        Document {
            body: walk("document.xml", &xml, &Styles::default()).unwrap(),
            ..Document::default()
        }
    }

    fn para(style: Option<&str>, runs: &str) -> String {
        let ppr = style.map_or(String::new(), |s| {
            format!(r#"<w:pPr><w:pStyle w:val="{s}"/></w:pPr>"#)
        });
        format!("<w:p>{ppr}{runs}</w:p>")
    }

    fn r(text: &str) -> String {
        format!(r#"<w:r><w:t xml:space="preserve">{text}</w:t></w:r>"#)
    }

    fn i(text: &str) -> String {
        format!(r#"<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#)
    }

    #[test]
    fn renders_headings_italics_escapes_and_maps_columns() {
        let doc = document(
            &[
                para(Some("Heading1"), &r("Chapter One")),
                para(None, ""),
                para(
                    None,
                    &format!(
                        "{}{}{}",
                        r("\tShe read "),
                        i("Twilight "),
                        r("&lt;fast&gt; \\o/")
                    ),
                ),
                para(None, &r("* * *")),
            ]
            .concat(),
        );
        let chapters = render(&doc);
        assert_eq!(chapters.len(), 1);
        let ch = &chapters[0];
        assert_eq!(
            ch.text,
            "# Chapter One\n\nShe read *Twilight* \\<fast> \\\\o/\n\n* * *\n\n"
        );
        assert_eq!(ch.structure.prose.len(), ch.text.len());
        assert_eq!(
            ch.structure.prose,
            "  Chapter One\n\nShe read  Twilight   <fast>  \\o/\n\n     \n\n"
        );
        let kinds: Vec<BlockKind> = ch.structure.blocks.iter().map(|b| b.0).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Heading { level: 1 },
                BlockKind::Paragraph,
                BlockKind::SceneBreak
            ]
        );
        assert_eq!(ch.map.title.as_deref(), Some("Chapter One"));
        assert_eq!(
            &*ch.map.display,
            "Chapter One\n\tShe read Twilight <fast> \\o/\n* * *"
        );
        let at = |needle: &str| {
            let p = ch.map.position_of(ch.text.find(needle).unwrap()).unwrap();
            (p.place.paragraph, p.column)
        };
        assert_eq!(at("Twilight"), (3, 11));
        assert_eq!(at("fast"), (3, 21));
        assert_eq!(at("o/"), (3, 28));
    }

    #[test]
    fn splits_at_heading_1_and_names_chapters() {
        let doc = document(
            &[
                para(Some("Title"), &r("The Book")),
                para(Some("Heading1"), &r("Chapter 1")),
                para(None, &r("One.")),
                para(Some("Heading2"), &r("A scene")),
                para(Some("Heading1"), &r("Chapter 2")),
                para(None, &r("Two.")),
            ]
            .concat(),
        );
        let chapters = render(&doc);
        let titles: Vec<Option<&str>> = chapters.iter().map(|c| c.map.title.as_deref()).collect();
        // A title page with no prose opens the first chapter.
        assert_eq!(titles, vec![Some("Chapter 1"), Some("Chapter 2")]);
        assert_eq!(
            chapters[0].text,
            "# The Book\n\n# Chapter 1\n\nOne.\n\n## A scene\n\n"
        );
        let p = chapters[1]
            .map
            .position_of(chapters[1].text.find("Two").unwrap())
            .unwrap();
        assert_eq!(p.place.paragraph, 6);
    }

    #[test]
    fn line_breaks_stay_and_italics_inside_words_are_not_marked() {
        let doc = document(&format!(
            "{}{}",
            para(None, &r("Before.")),
            para(
                None,
                &format!(
                    "{}<w:r><w:br/></w:r><w:r><w:br/></w:r>{}{}{}",
                    r("Yours truly,"),
                    r("R. Walton, "),
                    i("mess"),
                    r("enger")
                ),
            )
        ));
        let ch = &render(&doc)[0];
        assert_eq!(
            ch.text,
            "Before.\n\nYours truly,\n R. Walton, messenger\n\n"
        );
        assert_eq!(
            &*ch.map.display,
            "Before.\nYours truly,  R. Walton, messenger"
        );
    }

    #[test]
    fn paragraphs_set_in_are_indented_first_line_indents_are_not() {
        let doc = document(&format!(
            "{}{}",
            r#"<w:p><w:pPr><w:ind w:firstLine="720"/></w:pPr><w:r><w:t>Prose.</w:t></w:r></w:p>"#,
            r#"<w:p><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr><w:r><w:t>A verse.</w:t></w:r></w:p>"#,
        ));
        let ch = &render(&doc)[0];
        assert_eq!(ch.text, "Prose.\n\n  A verse.\n\n");
        let verse = ch.structure.blocks[1].1;
        assert_eq!(&ch.text[verse.range()], "A verse.");
        let at = ch.map.position_of(verse.start as usize).unwrap();
        assert_eq!((at.place.paragraph, at.column), (2, 1));
    }

    #[test]
    fn prose_before_the_first_chapter_is_a_chapter_of_its_own() {
        let doc = document(
            &[
                para(Some("Title"), &r("The Book")),
                para(None, &r("For my mother.")),
                para(Some("Heading1"), &r("Chapter 1")),
                para(None, &r("One.")),
            ]
            .concat(),
        );
        let chapters = render(&doc);
        let titles: Vec<Option<&str>> = chapters.iter().map(|c| c.map.title.as_deref()).collect();
        assert_eq!(titles, vec![Some("before Chapter 1"), Some("Chapter 1")]);
        assert_eq!(chapters[0].text, "# The Book\n\nFor my mother.\n\n");
    }

    #[test]
    fn splits_at_chapter_lines_without_styles() {
        let doc = document(
            &[
                para(None, &r("CHAPTER TWELVE")),
                para(None, &r("It began.")),
                para(None, &r("Chapter one was over, she thought.")),
                para(None, &r("Chapter 13: The Storm")),
                para(None, &r("Rain.")),
            ]
            .concat(),
        );
        let chapters = render(&doc);
        let titles: Vec<Option<&str>> = chapters.iter().map(|c| c.map.title.as_deref()).collect();
        assert_eq!(
            titles,
            vec![Some("CHAPTER TWELVE"), Some("Chapter 13: The Storm")]
        );
        assert!(chapters[0].text.contains("\n\nChapter one was over"));
    }

    #[test]
    fn chapter_lines() {
        for yes in [
            "Chapter 12",
            "CHAPTER TWELVE",
            "Chapter Twenty-One",
            "Chapter XII.",
            "Chapter 3: The Storm",
            "Prologue",
            "EPILOGUE",
        ] {
            assert!(is_chapter_line(yes), "{yes}");
        }
        for no in [
            "Chapter one was over, she thought.",
            "Chapters are hard.",
            "The chapter 12 meeting ran late.",
        ] {
            assert!(!is_chapter_line(no), "{no}");
        }
    }

    #[test]
    fn deleted_paragraph_marks_join_paragraphs_but_keep_numbers() {
        let doc = document(&[
            r#"<w:p><w:pPr><w:rPr><w:del w:id="1" w:author="E"/></w:rPr></w:pPr><w:r><w:t xml:space="preserve">She left </w:t></w:r></w:p>"#.to_string(),
            para(None, &r("the the room.")),
        ]
        .concat());
        let ch = &render(&doc)[0];
        assert_eq!(ch.text, "She left the the room.\n\n");
        assert_eq!(ch.structure.blocks.len(), 1);
        let at = ch.map.position_of(ch.text.find("room").unwrap()).unwrap();
        assert_eq!((at.place.paragraph, at.column), (2, 9));
    }
}
