//! One pass over a WordprocessingML part (`document.xml`, `footnotes.xml`,
//! `endnotes.xml`, `comments.xml`) with quick-xml, collecting what a reader
//! sees: each paragraph's *visible* characters with their formatting, and
//! where in the XML they stand.
//!
//! Visible means "as printed with all tracked changes accepted":
//!
//! - deleted text (`w:del`, `w:moveFrom`, `w:delText`) is not there, inserted
//!   text (`w:ins`, `w:moveTo`) is;
//! - field codes (`w:instrText`, the part of a complex field before its
//!   `separate` mark) are not text, field results are;
//! - hidden runs (`w:vanish`, directly or through a style) are kept apart,
//!   for directives only;
//! - drawings, text boxes, embedded objects, math and the `mc:Fallback`
//!   copies of alternate content are skipped;
//! - old formatting kept by tracked format changes (`w:rPrChange` …) is
//!   never read.
//!
//! Columns count visible characters: a tab, a line break and a
//! non-breaking hyphen count one each; note and comment marks count none.
//! The same walk serves the reader (which renders the text) and the
//! annotator (which splits runs at exact characters), so both agree on
//! every column.

use std::ops::Range;

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};

use super::package::DocxError;
use super::styles::{ParagraphStyle, Styles, is_change, left_indent};
use super::xml::{attribute, is_wml, on_off, prefix_of};

/// A walked part.
#[derive(Debug, Default)]
pub struct Part {
    /// Paragraphs in document order (for notes and comments, each tagged
    /// with its container's id).
    pub paragraphs: Vec<Paragraph>,
    /// Footnotes, endnotes or comments, in order.
    pub containers: Vec<Container>,
    /// The prefix bound to the WordprocessingML namespace (`w`), taken from
    /// the root element.
    pub prefix: Option<String>,
}

/// A footnote, endnote or comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Container {
    pub id: i64,
    pub author: Option<String>,
}

/// What stands at a column of a paragraph without being text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkKind {
    CommentStart(i64),
    CommentEnd(i64),
    CommentReference(i64),
    Footnote(i64),
    Endnote(i64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    pub kind: MarkKind,
    /// 0-based column (visible characters before it).
    pub column: u32,
    /// Index into [`Paragraph::runs`] of the run holding it (for marks
    /// outside runs: of the next run).
    pub run: u32,
}

/// A stretch of visible text from one XML event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// 0-based column of the first character.
    pub column: u32,
    /// The characters (a line break is `\n`, a tab `\t`).
    pub text: String,
    pub italic: bool,
    /// Index into [`Paragraph::runs`].
    pub run: u32,
    /// The bytes of the event in the part.
    pub bytes: Range<usize>,
    /// For text inside `w:t`: the index into [`Paragraph::texts`]; `None`
    /// for an element such as `w:tab` or `w:br`.
    pub text_element: Option<u32>,
}

impl Item {
    pub fn len(&self) -> u32 {
        self.text.chars().count() as u32
    }
}

/// A `w:r` element's bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunBytes {
    /// From `<w:r` to just after `</w:r>`.
    pub bytes: Range<usize>,
    /// The run's `<w:rPr>…</w:rPr>`, if it has one.
    pub properties: Option<Range<usize>>,
}

/// A `w:t` element's start tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextElement {
    pub start_tag: Range<usize>,
    /// `xml:space="preserve"` is set.
    pub preserve: bool,
}

/// One `w:p`.
#[derive(Clone, Debug, Default)]
pub struct Paragraph {
    /// The id of the footnote, endnote or comment holding it.
    pub container: Option<i64>,
    pub style: ParagraphStyle,
    /// The paragraph mark is a tracked deletion: with changes accepted, the
    /// paragraph runs on into the next one.
    pub mark_deleted: bool,
    pub items: Vec<Item>,
    pub runs: Vec<RunBytes>,
    pub texts: Vec<TextElement>,
    /// Hidden text, for directives.
    pub hidden: String,
    pub marks: Vec<Mark>,
    /// Visible characters.
    pub len: u32,
    /// Where `</w:p>` starts (for `<w:p/>`: where the element starts).
    pub end: usize,
    /// The paragraph is an empty element (`<w:p/>`).
    pub empty_element: bool,
}

impl Paragraph {
    /// The visible text, line breaks and tabs as in the items.
    pub fn text(&self) -> String {
        self.items.iter().map(|i| i.text.as_str()).collect()
    }
}

/// Elements whose whole content is skipped.
fn skipped(local: &str) -> bool {
    matches!(
        local,
        "del"
            | "moveFrom"
            | "instrText"
            | "delInstrText"
            | "delText"
            | "drawing"
            | "pict"
            | "object"
            | "txbxContent"
            | "fldData"
    )
}

struct RunState {
    start: usize,
    properties_start: Option<usize>,
    properties: Option<Range<usize>>,
    in_properties: bool,
    italic: Option<bool>,
    hidden: Option<bool>,
    style: Option<String>,
    resolved: Option<(bool, bool)>,
}

struct ParagraphState {
    paragraph: Paragraph,
    style_id: Option<String>,
    outline: Option<u8>,
    /// The paragraph's own `w:ind` says whether it is set in.
    set_in: Option<bool>,
    style_resolved: bool,
    in_properties: bool,
    in_mark_properties: bool,
}

struct Walker<'s> {
    styles: &'s Styles,
    part: Part,
    /// Depth inside a skipped element (0: not skipping).
    skip: usize,
    paragraphs: Vec<ParagraphState>,
    run: Option<RunState>,
    in_text: Option<u32>,
    /// Open complex fields: `true` while in the field code.
    fields: Vec<bool>,
    container: Option<i64>,
    /// Comment starts met between paragraphs, for the next paragraph.
    pending_starts: Vec<i64>,
}

/// Walks a part. Errors: [`DocxError::BadXml`] for XML that is not
/// well-formed.
pub fn walk(name: &str, xml: &str, styles: &Styles) -> Result<Part, DocxError> {
    let mut reader = NsReader::from_str(xml);
    let mut walker = Walker {
        styles,
        part: Part::default(),
        skip: 0,
        paragraphs: Vec::new(),
        run: None,
        in_text: None,
        fields: Vec::new(),
        container: None,
        pending_starts: Vec::new(),
    };
    loop {
        let before = reader.buffer_position() as usize;
        let (wml, event) = match reader.read_resolved_event() {
            Ok((resolved, event)) => (is_wml(&resolved), event),
            Err(e) => {
                return Err(DocxError::BadXml {
                    part: name.to_string(),
                    detail: format!("{e} after byte {before}"),
                });
            }
        };
        let after = reader.buffer_position() as usize;
        match event {
            Event::Eof => break,
            Event::Start(_) if walker.skip > 0 => walker.skip += 1,
            Event::End(_) if walker.skip > 0 => walker.skip -= 1,
            _ if walker.skip > 0 => {}
            Event::Start(e) if wml => walker.start(&e, before..after, false),
            Event::Empty(e) if wml => walker.start(&e, before..after, true),
            Event::Start(e) => {
                if matches!(e.local_name().as_ref(), "Fallback" | "oMath" | "oMathPara") {
                    walker.skip = 1;
                }
            }
            Event::End(e) if wml => walker.end(e.local_name().as_ref(), before..after),
            Event::Text(e) => {
                let text = e.as_ref().replace(['\r', '\n'], " ");
                walker.text(&text, before..after);
            }
            Event::CData(e) => {
                let text = e.as_ref().replace(['\r', '\n'], " ");
                walker.text(&text, before..after);
            }
            Event::GeneralRef(e) => {
                let resolved = match e.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => {
                        quick_xml::escape::resolve_predefined_entity(e.as_ref()).map(str::to_string)
                    }
                };
                match resolved {
                    Some(text) => walker.text(&text, before..after),
                    // Only a DTD declares other entities, and Word writes
                    // none: its text would be lost without a word.
                    None => {
                        return Err(DocxError::BadXml {
                            part: name.to_string(),
                            detail: format!("unknown entity &{}; after byte {before}", &*e),
                        });
                    }
                }
            }
            // Word never writes a document type declaration; one declares
            // entities (a “billion laughs” file) that are never expanded.
            Event::DocType(_) => {
                return Err(DocxError::BadXml {
                    part: name.to_string(),
                    detail: format!(
                        "a document type declaration (DTD) at byte {before}, which Word never writes"
                    ),
                });
            }
            _ => {}
        }
    }
    Ok(walker.part)
}

impl Walker<'_> {
    fn start(&mut self, e: &BytesStart, bytes: Range<usize>, empty: bool) {
        let local = e.local_name();
        let local = local.as_ref();
        if self.part.prefix.is_none() && self.part.paragraphs.is_empty() {
            self.part.prefix = prefix_of(e).or(Some(String::new()));
        }
        if let Some(state) = self.paragraphs.last_mut()
            && state.in_mark_properties
            && matches!(local, "del" | "moveFrom")
        {
            state.paragraph.mark_deleted = true;
            if !empty {
                self.skip = 1;
            }
            return;
        }
        if skipped(local) || is_change(e) {
            if !empty {
                self.skip = 1;
            }
            return;
        }
        match local {
            "p" => self.open_paragraph(),
            "footnote" | "endnote" | "comment" => self.open_container(e, empty),
            "pPr" if self.run.is_none() => self.set_paragraph(|s| s.in_properties = true),
            "rPr" => self.open_properties(bytes.start),
            "r" if !self.paragraphs.is_empty() => {
                self.run = Some(RunState {
                    start: bytes.start,
                    properties_start: None,
                    properties: None,
                    in_properties: false,
                    italic: None,
                    hidden: None,
                    style: None,
                    resolved: None,
                });
            }
            "t" if self.in_run_content() => {
                let preserve = e
                    .attributes()
                    .flatten()
                    .any(|a| a.key.local_name().as_ref() == "space" && a.value == "preserve");
                if let Some(state) = self.paragraphs.last_mut() {
                    let index = state.paragraph.texts.len() as u32;
                    state.paragraph.texts.push(TextElement {
                        start_tag: bytes.clone(),
                        preserve,
                    });
                    if !empty {
                        self.in_text = Some(index);
                    }
                }
            }
            "commentRangeStart" => self.comment_mark(e, true),
            "commentRangeEnd" => self.comment_mark(e, false),
            _ => self.property_or_atom(local, e, bytes.clone()),
        }
        if empty {
            // An empty element is its own end.
            match local {
                "p" => self.close_paragraph(bytes.start, true),
                "r" => self.close_run(bytes.end),
                "pPr" => self.close_paragraph_properties(),
                "rPr" => self.close_properties(bytes.end),
                _ => {}
            }
        }
    }

    fn end(&mut self, local: &str, bytes: Range<usize>) {
        match local {
            "p" => self.close_paragraph(bytes.start, false),
            "r" => self.close_run(bytes.end),
            "t" => self.in_text = None,
            "pPr" if self.run.is_none() => self.close_paragraph_properties(),
            "rPr" => self.close_properties(bytes.end),
            "footnote" | "endnote" | "comment" => self.container = None,
            _ => {}
        }
    }

    fn set_paragraph(&mut self, f: impl FnOnce(&mut ParagraphState)) {
        if let Some(state) = self.paragraphs.last_mut() {
            f(state);
        }
    }

    fn open_container(&mut self, e: &BytesStart, empty: bool) {
        let kind = attribute(e, "type");
        // Separators and continuation notices are not notes.
        if kind.is_some_and(|k| k != "normal") {
            if !empty {
                self.skip = 1;
            }
            return;
        }
        let id = attribute(e, "id")
            .and_then(|v| v.parse().ok())
            .unwrap_or(-1);
        self.part.containers.push(Container {
            id,
            author: attribute(e, "author"),
        });
        if !empty {
            self.container = Some(id);
        }
    }

    fn open_paragraph(&mut self) {
        let mut paragraph = Paragraph {
            container: self.container,
            ..Paragraph::default()
        };
        for id in self.pending_starts.drain(..) {
            paragraph.marks.push(Mark {
                kind: MarkKind::CommentStart(id),
                column: 0,
                run: 0,
            });
        }
        self.paragraphs.push(ParagraphState {
            paragraph,
            style_id: None,
            outline: None,
            set_in: None,
            style_resolved: false,
            in_properties: false,
            in_mark_properties: false,
        });
    }

    fn close_paragraph(&mut self, end: usize, empty: bool) {
        self.run = None;
        self.in_text = None;
        self.resolve_paragraph_style();
        if let Some(mut state) = self.paragraphs.pop() {
            state.paragraph.end = end;
            state.paragraph.empty_element = empty;
            self.part.paragraphs.push(state.paragraph);
        }
    }

    fn close_paragraph_properties(&mut self) {
        self.set_paragraph(|s| s.in_properties = false);
        self.resolve_paragraph_style();
    }

    fn resolve_paragraph_style(&mut self) {
        let styles = self.styles;
        self.set_paragraph(|s| {
            if !s.style_resolved {
                s.paragraph.style = styles.paragraph(s.style_id.as_deref(), s.outline);
                if let Some(set_in) = s.set_in {
                    s.paragraph.style.set_in = set_in;
                }
                s.style_resolved = true;
            }
        });
    }

    fn open_properties(&mut self, start: usize) {
        if let Some(run) = self.run.as_mut() {
            run.in_properties = true;
            run.properties_start = Some(start);
        } else {
            self.set_paragraph(|s| {
                if s.in_properties {
                    s.in_mark_properties = true;
                }
            });
        }
    }

    fn close_properties(&mut self, end: usize) {
        if let Some(run) = self.run.as_mut() {
            run.in_properties = false;
            run.properties = run.properties_start.map(|s| s..end);
        } else {
            self.set_paragraph(|s| s.in_mark_properties = false);
        }
    }

    fn close_run(&mut self, end: usize) {
        self.in_text = None;
        let Some(run) = self.run.take() else {
            return;
        };
        if let Some(state) = self.paragraphs.last_mut() {
            state.paragraph.runs.push(RunBytes {
                bytes: run.start..end,
                properties: run.properties,
            });
        }
    }

    fn in_run_content(&self) -> bool {
        self.run.as_ref().is_some_and(|r| !r.in_properties)
    }

    /// Paragraph and run properties, and the run's non-text content.
    fn property_or_atom(&mut self, local: &str, e: &BytesStart, bytes: Range<usize>) {
        if let Some(run) = self.run.as_mut()
            && run.in_properties
        {
            match local {
                "i" => run.italic = Some(on_off(e)),
                "vanish" => run.hidden = Some(on_off(e)),
                "rStyle" => run.style = attribute(e, "val"),
                _ => {}
            }
            return;
        }
        if self.run.is_none() {
            if let Some(state) = self.paragraphs.last_mut()
                && state.in_properties
                && !state.in_mark_properties
            {
                match local {
                    "pStyle" => state.style_id = attribute(e, "val"),
                    "outlineLvl" => {
                        state.outline = attribute(e, "val").and_then(|v| v.parse().ok());
                    }
                    "ind" => state.set_in = Some(left_indent(e) > 0),
                    _ => {}
                }
            }
            return;
        }
        let id = || attribute(e, "id").and_then(|v| v.parse::<i64>().ok());
        match local {
            "tab" | "ptab" => self.atom("\t", bytes),
            "br" | "cr" => self.atom("\n", bytes),
            "noBreakHyphen" => self.atom("\u{2011}", bytes),
            "fldChar" => match attribute(e, "fldCharType").as_deref() {
                Some("begin") => self.fields.push(true),
                Some("separate") => {
                    if let Some(top) = self.fields.last_mut() {
                        *top = false;
                    }
                }
                Some("end") => {
                    self.fields.pop();
                }
                _ => {}
            },
            "footnoteReference" if self.visible() => {
                if let Some(id) = id() {
                    self.mark(MarkKind::Footnote(id));
                }
            }
            "endnoteReference" if self.visible() => {
                if let Some(id) = id() {
                    self.mark(MarkKind::Endnote(id));
                }
            }
            "commentReference" => {
                if let Some(id) = id() {
                    self.mark(MarkKind::CommentReference(id));
                }
            }
            _ => {}
        }
    }

    fn comment_mark(&mut self, e: &BytesStart, start: bool) {
        let Some(id) = attribute(e, "id").and_then(|v| v.parse::<i64>().ok()) else {
            return;
        };
        let kind = if start {
            MarkKind::CommentStart(id)
        } else {
            MarkKind::CommentEnd(id)
        };
        if !self.paragraphs.is_empty() {
            self.mark(kind);
        } else if start {
            self.pending_starts.push(id);
        } else if let Some(last) = self.part.paragraphs.last_mut() {
            // An end between paragraphs closes at the end of the last one.
            last.marks.push(Mark {
                kind,
                column: last.len,
                run: last.runs.len() as u32,
            });
        }
    }

    fn mark(&mut self, kind: MarkKind) {
        if let Some(state) = self.paragraphs.last_mut() {
            let column = state.paragraph.len;
            let run = state.paragraph.runs.len() as u32;
            state.paragraph.marks.push(Mark { kind, column, run });
        }
    }

    /// The current run's (italic, hidden), resolved once.
    fn run_format(&mut self) -> (bool, bool) {
        self.resolve_paragraph_style();
        let styles = self.styles;
        let paragraph_style = self
            .paragraphs
            .last()
            .map(|s| s.paragraph.style)
            .unwrap_or_default();
        let Some(run) = self.run.as_mut() else {
            return (false, false);
        };
        *run.resolved.get_or_insert_with(|| {
            styles.run(
                &paragraph_style,
                run.style.as_deref(),
                run.italic,
                run.hidden,
            )
        })
    }

    /// Not in a field code.
    fn visible(&self) -> bool {
        !self.fields.iter().any(|&code| code)
    }

    fn text(&mut self, text: &str, bytes: Range<usize>) {
        let Some(element) = self.in_text else {
            return;
        };
        self.push(text, bytes, Some(element));
    }

    fn atom(&mut self, text: &str, bytes: Range<usize>) {
        self.push(text, bytes, None);
    }

    fn push(&mut self, text: &str, bytes: Range<usize>, element: Option<u32>) {
        if !self.in_run_content() || !self.visible() || text.is_empty() {
            return;
        }
        let (italic, hidden) = self.run_format();
        let Some(state) = self.paragraphs.last_mut() else {
            return;
        };
        let paragraph = &mut state.paragraph;
        if hidden {
            paragraph.hidden.push_str(text);
            if element.is_none() {
                paragraph.hidden.push(' ');
            }
            return;
        }
        let item = Item {
            column: paragraph.len,
            text: text.to_string(),
            italic,
            run: paragraph.runs.len() as u32,
            bytes,
            text_element: element,
        };
        paragraph.len += item.len();
        paragraph.items.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    fn body(paragraphs: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><w:document {NS}><w:body>{paragraphs}</w:body></w:document>"#
        )
    }

    fn texts(xml: &str) -> Vec<String> {
        let part = walk("document.xml", xml, &Styles::default()).unwrap();
        part.paragraphs.iter().map(Paragraph::text).collect()
    }

    #[test]
    fn tracked_changes_accepted() {
        let xml = body(
            r#"<w:p><w:r><w:t xml:space="preserve">She read </w:t></w:r><w:del w:id="1" w:author="Ed"><w:r><w:delText>the old </w:delText></w:r></w:del><w:ins w:id="2" w:author="Ed"><w:r><w:t>a new </w:t></w:r></w:ins><w:r><w:t>book.</w:t></w:r></w:p>"#,
        );
        assert_eq!(texts(&xml), vec!["She read a new book."]);
    }

    #[test]
    fn field_codes_hidden_text_and_entities() {
        let xml = body(
            r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "https://x.org" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Tom &amp; Jerry</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>manulint-disable doubled-word</w:t></w:r><w:r><w:tab/><w:t>end&#8212;</w:t></w:r></w:p>"#,
        );
        let part = walk("document.xml", &xml, &Styles::default()).unwrap();
        let p = &part.paragraphs[0];
        assert_eq!(p.text(), "Tom & Jerry\tend\u{2014}");
        assert_eq!(p.hidden, "manulint-disable doubled-word");
        assert_eq!(p.len, 16);
        let columns: Vec<u32> = p.items.iter().map(|i| i.column).collect();
        assert_eq!(columns, vec![0, 4, 5, 11, 12, 15]);
        assert_eq!(part.prefix.as_deref(), Some("w"));
    }

    #[test]
    fn italics_marks_deleted_paragraph_marks_and_skipped_content() {
        let xml = body(
            r#"<w:p><w:pPr><w:rPr><w:del w:id="3" w:author="Ed"/></w:rPr></w:pPr><w:r><w:t xml:space="preserve">Part </w:t></w:r></w:p><w:p><w:r><w:rPr><w:i/></w:rPr><w:t>Twilight</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:t>box</w:t></w:drawing></mc:Choice><mc:Fallback><w:pict><w:t>box</w:t></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:commentRangeStart w:id="9"/><w:r><w:t>x</w:t></w:r><w:commentRangeEnd w:id="9"/></w:p><w:p/>"#,
        );
        let part = walk("document.xml", &xml, &Styles::default()).unwrap();
        assert_eq!(part.paragraphs.len(), 3);
        assert!(part.paragraphs[0].mark_deleted);
        let p = &part.paragraphs[1];
        assert_eq!(p.text(), "Twilightx");
        assert!(p.items[0].italic);
        assert!(!p.items[1].italic);
        assert_eq!(
            p.marks,
            vec![
                Mark {
                    kind: MarkKind::Footnote(2),
                    column: 8,
                    run: 1
                },
                Mark {
                    kind: MarkKind::CommentStart(9),
                    column: 8,
                    run: 3
                },
                Mark {
                    kind: MarkKind::CommentEnd(9),
                    column: 9,
                    run: 4
                },
            ]
        );
        assert!(part.paragraphs[2].empty_element);
    }

    #[test]
    fn notes_skip_separators() {
        let xml = format!(
            r#"<w:footnotes {NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> A note.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
        );
        let part = walk("footnotes.xml", &xml, &Styles::default()).unwrap();
        assert_eq!(part.paragraphs.len(), 1);
        assert_eq!(part.paragraphs[0].container, Some(2));
        assert_eq!(part.paragraphs[0].text(), " A note.");
    }

    #[test]
    fn malformed_xml_is_an_error() {
        let err = walk("document.xml", "<w:document><w:body>", &Styles::default());
        assert!(err.is_ok() || matches!(err, Err(DocxError::BadXml { .. })));
        let err = walk("document.xml", "<a></b>", &Styles::default()).unwrap_err();
        assert!(matches!(err, DocxError::BadXml { .. }));
    }
}
