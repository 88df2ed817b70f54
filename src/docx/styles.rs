//! `styles.xml`: which paragraph styles are headings, and which styles make
//! text italic or hidden.
//!
//! Headings are recognised by the style's *name* first, which Word stores
//! in English for its built-in styles whatever the interface language
//! (`heading 1`, `Title`), so a German document whose style id is
//! `berschrift1` still has headings; then by a few localised names; then
//! by the outline level a style (or one it is based on) sets.

use std::collections::HashMap;

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};

use super::package::DocxError;
use super::xml::{attribute, is_wml, on_off};

/// What a paragraph style makes of a paragraph.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParagraphStyle {
    pub heading: Option<Heading>,
    /// A table-of-contents entry or heading (not prose).
    pub toc: bool,
    /// Runs are italic unless they say otherwise.
    pub italic: bool,
    /// Runs are hidden unless they say otherwise.
    pub hidden: bool,
    /// The paragraph is set in from the left margin (`w:ind` with a left
    /// or start indent): a letter, verse or extract set off from the text.
    /// A first-line indent is not this: it is how every paragraph starts.
    pub set_in: bool,
}

/// A heading style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Heading {
    /// The document's title (`Title`): a heading, never a chapter break.
    Title,
    /// `Subtitle`.
    Subtitle,
    /// `Heading 1`–`Heading 9`, or an outline level: 1–9.
    Level(u8),
}

impl Heading {
    /// The Markdown heading level of the text model (1–6).
    pub fn markdown_level(self) -> u8 {
        match self {
            Heading::Title => 1,
            Heading::Subtitle => 2,
            Heading::Level(n) => n.clamp(1, 6),
        }
    }
}

#[derive(Clone, Debug, Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    italic: Option<bool>,
    hidden: Option<bool>,
    set_in: Option<bool>,
}

/// The styles of a document, by style id.
#[derive(Debug, Default)]
pub struct Styles {
    styles: HashMap<String, Style>,
    /// Default run properties (`w:docDefaults`).
    default_italic: bool,
    default_hidden: bool,
}

/// Style chains longer than this are cut (a loop of `basedOn`s).
const MAX_CHAIN: usize = 32;

impl Styles {
    /// Parses `styles.xml`.
    ///
    /// Errors: [`DocxError::BadXml`] when it is not well-formed.
    pub fn parse(part: &str, xml: &str) -> Result<Styles, DocxError> {
        let mut reader = NsReader::from_str(xml);
        let mut styles = Styles::default();
        let mut current: Option<(String, Style)> = None;
        let mut in_defaults = false;
        let mut in_rpr = false;
        let mut in_ppr = false;
        let mut skip = 0usize;
        loop {
            let (resolved, event) = reader.read_resolved_event().map_err(|e| bad(part, &e))?;
            let wml = is_wml(&resolved);
            match event {
                Event::Eof => break,
                Event::Start(_) if skip > 0 => skip += 1,
                Event::End(_) if skip > 0 => skip -= 1,
                _ if skip > 0 => {}
                Event::Start(e) if wml && is_change(&e) => skip = 1,
                Event::Start(e) if wml => match e.local_name().as_ref() {
                    "style" => {
                        let id = attribute(&e, "styleId").unwrap_or_default();
                        current = Some((id, Style::default()));
                    }
                    "docDefaults" => in_defaults = true,
                    "rPr" => in_rpr = true,
                    "pPr" => in_ppr = true,
                    local => styles.property(&mut current, in_defaults, in_rpr, in_ppr, local, &e),
                },
                Event::Empty(e) if wml => {
                    let local = e.local_name();
                    styles.property(
                        &mut current,
                        in_defaults,
                        in_rpr,
                        in_ppr,
                        local.as_ref(),
                        &e,
                    );
                }
                Event::End(e) if wml => match e.local_name().as_ref() {
                    "style" => {
                        if let Some((id, style)) = current.take() {
                            styles.styles.insert(id, style);
                        }
                    }
                    "docDefaults" => in_defaults = false,
                    "rPr" => in_rpr = false,
                    "pPr" => in_ppr = false,
                    _ => {}
                },
                _ => {}
            }
        }
        Ok(styles)
    }

    fn property(
        &mut self,
        current: &mut Option<(String, Style)>,
        in_defaults: bool,
        in_rpr: bool,
        in_ppr: bool,
        local: &str,
        e: &BytesStart,
    ) {
        if in_defaults && in_rpr {
            match local {
                "i" => self.default_italic = on_off(e),
                "vanish" => self.default_hidden = on_off(e),
                _ => {}
            }
            return;
        }
        let Some((_, style)) = current.as_mut() else {
            return;
        };
        match local {
            "name" => style.name = attribute(e, "val").unwrap_or_default(),
            "basedOn" => style.based_on = attribute(e, "val"),
            "outlineLvl" if in_ppr => {
                style.outline = attribute(e, "val").and_then(|v| v.parse().ok());
            }
            "ind" if in_ppr => style.set_in = Some(left_indent(e) > 0),
            "i" if in_rpr => style.italic = Some(on_off(e)),
            "vanish" if in_rpr => style.hidden = Some(on_off(e)),
            _ => {}
        }
    }

    /// The style `id` and those it is based on, most derived first.
    fn chain<'a>(&'a self, id: &'a str) -> Vec<(&'a str, &'a Style)> {
        let mut out: Vec<(&'a str, &'a Style)> = Vec::new();
        let mut next = Some(id);
        while let Some(id) = next {
            if out.len() >= MAX_CHAIN || out.iter().any(|(seen, _)| *seen == id) {
                break;
            }
            let Some(style) = self.styles.get(id) else {
                break;
            };
            out.push((id, style));
            next = style.based_on.as_deref();
        }
        out
    }

    /// What the paragraph style `id` (`None`: the default style) makes of
    /// a paragraph; `outline` is the paragraph's own outline level, if any.
    pub fn paragraph(&self, id: Option<&str>, outline: Option<u8>) -> ParagraphStyle {
        let chain = id.map_or_else(Vec::new, |id| self.chain(id));
        let heading = outline
            .and_then(outline_heading)
            .or_else(|| {
                chain.iter().find_map(|(id, style)| {
                    heading_named(&style.name)
                        .or_else(|| style.outline.and_then(outline_heading))
                        .or_else(|| heading_named(id))
                })
            })
            .or_else(|| id.filter(|_| chain.is_empty()).and_then(heading_named));
        let toc = chain.first().map_or_else(
            || id.is_some_and(is_toc),
            |(id, s)| is_toc(&s.name) || is_toc(id),
        );
        ParagraphStyle {
            heading,
            toc,
            italic: chain.iter().find_map(|(_, s)| s.italic).unwrap_or(false),
            hidden: chain.iter().find_map(|(_, s)| s.hidden).unwrap_or(false),
            set_in: chain.iter().find_map(|(_, s)| s.set_in).unwrap_or(false),
        }
    }

    /// A run's italic and hidden state: direct formatting wins; otherwise
    /// the paragraph style and the character style each toggle the
    /// document default (ECMA-376 §17.7.3, toggle properties).
    pub fn run(
        &self,
        paragraph: &ParagraphStyle,
        character: Option<&str>,
        direct_italic: Option<bool>,
        direct_hidden: Option<bool>,
    ) -> (bool, bool) {
        let chain = character.map_or_else(Vec::new, |id| self.chain(id));
        let char_italic = chain.iter().find_map(|(_, s)| s.italic).unwrap_or(false);
        let char_hidden = chain.iter().find_map(|(_, s)| s.hidden).unwrap_or(false);
        let italic = direct_italic.unwrap_or(self.default_italic ^ paragraph.italic ^ char_italic);
        let hidden = direct_hidden.unwrap_or(self.default_hidden ^ paragraph.hidden ^ char_hidden);
        (italic, hidden)
    }
}

fn bad(part: &str, error: &quick_xml::Error) -> DocxError {
    DocxError::BadXml {
        part: part.to_string(),
        detail: error.to_string(),
    }
}

/// The left (start) indent of a `w:ind` element in twentieths of a point
/// (`w:left`, or `w:start` in newer files); 0 when it sets none.
pub fn left_indent(e: &BytesStart) -> i64 {
    attribute(e, "left")
        .or_else(|| attribute(e, "start"))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map_or(0, |v| v as i64)
}

/// Tracked formatting changes hold the *old* properties: never read them.
pub fn is_change(e: &BytesStart) -> bool {
    matches!(
        e.local_name().as_ref(),
        "rPrChange"
            | "pPrChange"
            | "sectPrChange"
            | "tblPrChange"
            | "tcPrChange"
            | "trPrChange"
            | "tblGridChange"
            | "tblPrExChange"
            | "numberingChange"
    )
}

/// Outline levels 0–8 are heading levels 1–9; 9 is body text.
fn outline_heading(level: u8) -> Option<Heading> {
    (level < 9).then_some(Heading::Level(level + 1))
}

/// Words for "heading" and "title" in the style names Word and LibreOffice
/// use, lower case and without spaces.
const HEADING_WORDS: [&str; 14] = [
    "heading",
    "überschrift",
    "titre",
    "título",
    "titolo",
    "kop",
    "rubrik",
    "overskrift",
    "otsikko",
    "nagłówek",
    "заголовок",
    "encabezado",
    "cabeçalho",
    "nadpis",
];
const TITLE_WORDS: [&str; 7] = [
    "title", "titel", "titre", "título", "titolo", "tytuł", "název",
];
const SUBTITLE_WORDS: [&str; 4] = ["subtitle", "untertitel", "sous-titre", "subtítulo"];

/// `heading 1` / `Heading1` / `Überschrift 2` → a level; `Title` → title.
fn heading_named(name: &str) -> Option<Heading> {
    let key: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if TITLE_WORDS.contains(&key.as_str()) {
        return Some(Heading::Title);
    }
    if SUBTITLE_WORDS.contains(&key.as_str()) {
        return Some(Heading::Subtitle);
    }
    let digits = key.len() - key.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 1 {
        return None;
    }
    let (word, level) = key.split_at(key.len() - digits);
    let level: u8 = level.parse().ok()?;
    (HEADING_WORDS.contains(&word) && (1..=9).contains(&level)).then_some(Heading::Level(level))
}

/// `toc 1`, `TOC1`, `TOC Heading`, `Contents 1` (LibreOffice).
fn is_toc(name: &str) -> bool {
    let key: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    key.starts_with("toc") || key.starts_with("contents") && key != "contents"
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
  <w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault></w:docDefaults>
  <w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
  <w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>
    <w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="ChapterHead"><w:name w:val="Chapter Head"/><w:basedOn w:val="berschrift1"/></w:style>
  <w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/></w:style>
  <w:style w:type="paragraph" w:styleId="Epigraph"><w:name w:val="Epigraph"/>
    <w:rPr><w:i/><w:rPrChange w:id="1"><w:rPr><w:vanish/></w:rPr></w:rPrChange></w:rPr></w:style>
  <w:style w:type="character" w:styleId="Emphasis"><w:name w:val="Emphasis"/><w:rPr><w:i/></w:rPr></w:style>
  <w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/></w:style>
  <w:style w:type="paragraph" w:styleId="Loop"><w:name w:val="Loop"/><w:basedOn w:val="Loop"/></w:style>
</w:styles>"#;

    #[test]
    fn headings_by_name_outline_and_based_on() {
        let styles = Styles::parse("styles.xml", STYLES).unwrap();
        let heading = |id: &str| styles.paragraph(Some(id), None).heading;
        assert_eq!(heading("berschrift1"), Some(Heading::Level(1)));
        assert_eq!(heading("ChapterHead"), Some(Heading::Level(1)));
        assert_eq!(heading("Titel"), Some(Heading::Title));
        assert_eq!(heading("Normal"), None);
        assert_eq!(heading("Loop"), None);
        // No styles.xml entry: the id itself is read as a name.
        assert_eq!(heading("Heading2"), Some(Heading::Level(2)));
        assert_eq!(
            styles.paragraph(Some("Normal"), Some(2)).heading,
            Some(Heading::Level(3))
        );
        assert!(styles.paragraph(Some("TOC1"), None).toc);
        assert!(!styles.paragraph(Some("Normal"), None).toc);
    }

    #[test]
    fn italics_toggle_and_changes_are_ignored() {
        let styles = Styles::parse("styles.xml", STYLES).unwrap();
        let normal = styles.paragraph(Some("Normal"), None);
        let epigraph = styles.paragraph(Some("Epigraph"), None);
        assert!(epigraph.italic);
        assert!(!epigraph.hidden, "old properties in rPrChange are not read");
        assert_eq!(
            styles.run(&normal, Some("Emphasis"), None, None),
            (true, false)
        );
        assert_eq!(
            styles.run(&epigraph, Some("Emphasis"), None, None),
            (false, false)
        );
        assert_eq!(
            styles.run(&epigraph, None, Some(false), None),
            (false, false)
        );
        assert_eq!(styles.run(&normal, None, None, Some(true)), (false, true));
    }

    #[test]
    fn heading_names() {
        assert_eq!(heading_named("heading 3"), Some(Heading::Level(3)));
        assert_eq!(heading_named("Überschrift 2"), Some(Heading::Level(2)));
        assert_eq!(heading_named("Heading 10"), None);
        assert_eq!(heading_named("Body Text 2"), None);
        assert_eq!(heading_named("Subtitle"), Some(Heading::Subtitle));
    }
}
