//! Markdown chapters, parsed with pulldown-cmark's offset iterator.
//!
//! Only text inside paragraphs, headings and list items becomes prose. Code
//! (fenced, indented and inline), HTML, images, link destinations and front
//! matter stay masked in the prose string, and so does the markup of
//! Obsidian, Pandoc and MultiMarkdown, blanked before parsing (see
//! [`super::markup`]).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::front_matter::FrontMatter;
use super::{BlockKind, ParsedStructure, Span, markup};

pub(crate) fn parse(original: &str) -> ParsedStructure {
    let (premasked, mut links) = markup::premask(original);
    let text: &str = &premasked;
    let mut builder = MaskBuilder::new(text);
    // Code and HTML, where a `[[…]]` is an example, not a link.
    let mut code: Vec<std::ops::Range<usize>> = Vec::new();
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_STRIKETHROUGH;
    let mut open: Option<(BlockKind, usize)> = None;
    let mut last_text_end = 0;
    let mut hidden_depth = 0usize;

    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Paragraph) => {
                builder.close(&mut open, last_text_end);
                open = Some((BlockKind::Paragraph, range.start));
            }
            Event::Start(Tag::Heading { level, .. }) => {
                builder.close(&mut open, last_text_end);
                open = Some((BlockKind::Heading { level: level as u8 }, range.start));
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) => {
                builder.close(&mut open, range.end);
            }
            Event::End(TagEnd::Item) => builder.close(&mut open, last_text_end),
            Event::Rule => {
                builder.close(&mut open, last_text_end);
                builder.push(BlockKind::SceneBreak, range.start, range.end);
            }
            Event::Start(
                tag @ (Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::MetadataBlock(_)
                | Tag::Image { .. }),
            ) => {
                if matches!(tag, Tag::CodeBlock(_) | Tag::HtmlBlock) && !links.is_empty() {
                    code.push(range.clone());
                }
                hidden_depth += 1;
            }
            Event::Code(_) | Event::Html(_) | Event::InlineHtml(_) if !links.is_empty() => {
                code.push(range.clone());
            }
            Event::End(
                TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_) | TagEnd::Image,
            ) => hidden_depth = hidden_depth.saturating_sub(1),
            Event::Text(_) if hidden_depth == 0 => {
                // Tight list items carry text with no paragraph around it.
                if open.is_none() {
                    open = Some((BlockKind::Paragraph, range.start));
                }
                builder.reveal(range.start, range.end);
                last_text_end = range.end;
            }
            _ => {}
        }
    }
    builder.close(&mut open, text.len());
    links.retain(|link| {
        !code
            .iter()
            .any(|r| r.start < link.span.end as usize && (link.span.start as usize) < r.end)
    });
    let mut structure = builder.finish();
    // Front matter is read from the file as written.
    structure.front_matter = FrontMatter::detect(original);
    structure.wikilinks = links;
    structure
}

/// Builds the prose mask and the block list together.
struct MaskBuilder<'a> {
    text: &'a str,
    mask: Vec<u8>,
    blocks: Vec<(BlockKind, Span)>,
}

impl<'a> MaskBuilder<'a> {
    fn new(text: &'a str) -> Self {
        // Line ends are kept whole, `\r\n` too: a soft break is no text
        // event, and a Windows file's `\r` blanked to a space read as two
        // spaces between a wrapped name's words.
        let mask = text
            .bytes()
            .map(|b| if matches!(b, b'\n' | b'\r') { b } else { b' ' })
            .collect();
        MaskBuilder {
            text,
            mask,
            blocks: Vec::new(),
        }
    }

    /// Copies original text into the mask. Ranges from the parser always sit
    /// on character boundaries; anything else is left masked rather than
    /// risk splitting a character.
    fn reveal(&mut self, start: usize, end: usize) {
        if self.text.is_char_boundary(start) && self.text.is_char_boundary(end) && start <= end {
            self.mask[start..end].copy_from_slice(&self.text.as_bytes()[start..end]);
        }
    }

    fn close(&mut self, open: &mut Option<(BlockKind, usize)>, end: usize) {
        if let Some((kind, start)) = open.take() {
            self.push(kind, start, end.max(start));
        }
    }

    fn push(&mut self, kind: BlockKind, start: usize, end: usize) {
        let Some(span) = trim_whitespace(self.text, start, end) else {
            return;
        };
        let kind = if kind != BlockKind::SceneBreak && !has_prose(&self.mask[span.range()]) {
            if is_scene_break(&self.text[span.range()]) {
                BlockKind::SceneBreak
            } else {
                return; // markup with no prose at all, e.g. a lone image
            }
        } else {
            kind
        };
        self.blocks.push((kind, span));
    }

    fn finish(self) -> ParsedStructure {
        // Every byte of the mask is either ASCII or copied whole from `text`
        // on character boundaries, so it is valid UTF-8.
        let prose = String::from_utf8(self.mask).unwrap_or_else(|e| " ".repeat(e.as_bytes().len()));
        ParsedStructure {
            front_matter: FrontMatter::detect(self.text),
            prose,
            blocks: self.blocks,
            wikilinks: Vec::new(),
        }
    }
}

fn has_prose(mask: &[u8]) -> bool {
    // Any non-ASCII byte is part of a letter, quote or dash we revealed.
    mask.iter()
        .any(|b| b.is_ascii_alphanumeric() || !b.is_ascii())
}

/// `* * *`, `#`, `~`, `***` and similar ornaments between scenes.
pub(crate) fn is_scene_break(line: &str) -> bool {
    let trimmed = line.trim();
    !trimmed.is_empty()
        && trimmed.len() <= 40
        && trimmed
            .chars()
            .all(|c| c.is_whitespace() || "*#~-=_+•·◆◇⁂§".contains(c))
}

fn trim_whitespace(text: &str, start: usize, end: usize) -> Option<Span> {
    let slice = text.get(start..end)?;
    let new_start = start + (slice.len() - slice.trim_start().len());
    let new_end = start + slice.trim_end().len();
    (new_start < new_end).then(|| Span::new(new_start, new_end))
}
