//! Markup that writers' tools add to Markdown and that is not prose:
//! Obsidian's comments, callouts, tags, block ids and wikilinks; Pandoc's
//! fenced divs, attributes, title blocks and raw LaTeX; MultiMarkdown
//! metadata (Scrivener's export).
//!
//! [`premask`] blanks that markup out of a copy of the chapter text before
//! pulldown-cmark parses it: every masked byte becomes a space (line breaks
//! are kept), so offsets in the copy are offsets in the file, a fence line
//! on its own becomes a blank line (it separates paragraphs as the tools
//! do), and every rule sees only the prose. The display text of a wikilink
//! (`Tom` in `[[Tom Hale|Tom]]`) stays, as Obsidian shows it.
//!
//! | markup | masked |
//! |---|---|
//! | `%% comment %%`, inline or over many lines | all of it |
//! | `> [!note]- Title` | `[!note]-` (the title is prose) |
//! | `#tag`, `#nested/tag` | the tag (not `#1`, not `# Heading`) |
//! | `^block-id` at the end of a line | the id |
//! | `[[Tom Hale\|Tom]]`, `[[Tom Hale]]`, `![[sketch.png]]` | brackets and target; an embed wholly |
//! | `::: {.epigraph}`, `:::` | the fence line |
//! | `[text]{.smallcaps}`, `{#id .class key=value}`, `{-}` | the brackets and attributes |
//! | `\newpage`, `\vspace{2em}`, `\textit{word}` | the command (and layout arguments) |
//! | `% Title` lines opening the file (Pandoc title block) | the lines |
//! | `Title: …` / `Author: …` lines opening the file (MultiMarkdown) | the lines |
//!
//! A double-bracketed *note* (`[[note: is Teo 14?]]`, `[[check the date]]`)
//! is not a link: its target holds a character no note name may hold
//! (`: ? * " < > \`) or starts with a note word. It is left in place for
//! the `draft-marker` rule.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::Span;

/// A `[[wikilink]]` or `![[embed]]` found in a Markdown chapter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WikiLink {
    /// The whole link, `!` and brackets included.
    pub span: Span,
    /// True for `![[…]]`: an embedded note or image.
    pub embed: bool,
    /// The note (or file) linked to, without `#heading` or `^block`.
    pub target: String,
    /// The text Obsidian shows: after `|`, else the target.
    pub display: Option<Span>,
}

/// The chapter text with non-prose markup blanked (see the module docs),
/// or the text itself when it has none, and the wikilinks found.
pub(crate) fn premask(text: &str) -> (Cow<'_, str>, Vec<WikiLink>) {
    let bytes = text.as_bytes();
    // Most chapters have none of the markup: one pass over the bytes for
    // the characters that could start it.
    let candidate = bytes.iter().any(|b| b"%[\\{#^:".contains(b)) || starts_with_metadata(text);
    if !candidate {
        return (Cow::Borrowed(text), Vec::new());
    }
    let mut mask = Masker {
        text,
        out: None,
        links: Vec::new(),
    };
    mask.opening_metadata();
    mask.comments();
    mask.fence_lines();
    mask.wikilinks();
    mask.pattern_if("[!", &CALLOUT, 1);
    mask.pattern_if("#", &TAG, 1);
    mask.pattern_if("^", &BLOCK_ID, 1);
    mask.attributes();
    mask.latex();
    let links = mask.links;
    let out = match mask.out {
        // Only ASCII bytes were replaced by spaces, whole characters each
        // time, so the copy is valid UTF-8.
        Some(bytes) => {
            Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|e| " ".repeat(e.as_bytes().len())))
        }
        None => Cow::Borrowed(text),
    };
    (out, links)
}

struct Masker<'a> {
    text: &'a str,
    /// The masked copy, made on the first change.
    out: Option<Vec<u8>>,
    links: Vec<WikiLink>,
}

impl Masker<'_> {
    /// The text as masked so far (patterns run on it, so text masked by an
    /// earlier step is not matched again).
    fn current(&self) -> &str {
        match &self.out {
            // Valid UTF-8: see `premask`.
            Some(bytes) => std::str::from_utf8(bytes).unwrap_or(""),
            None => self.text,
        }
    }

    /// Blanks `start..end`, keeping line breaks. Replaces whole characters
    /// with one space per byte, so offsets do not move.
    fn blank(&mut self, start: usize, end: usize) {
        let out = self
            .out
            .get_or_insert_with(|| self.text.as_bytes().to_vec());
        let end = end.min(out.len());
        for b in &mut out[start.min(end)..end] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }

    /// Blanks capture group `group` of every match of `pattern`, when the
    /// text holds `needle` (a cheap test before the regex runs).
    fn pattern_if(&mut self, needle: &str, pattern: &Regex, group: usize) {
        if self.current().contains(needle) {
            self.pattern(pattern, group);
        }
    }

    /// Blanks capture group `group` of every match of `pattern`.
    fn pattern(&mut self, pattern: &Regex, group: usize) {
        let ranges: Vec<(usize, usize)> = pattern
            .captures_iter(self.current())
            .filter_map(|c| c.get(group))
            .map(|m| (m.start(), m.end()))
            .collect();
        for (start, end) in ranges {
            self.blank(start, end);
        }
    }

    /// `%% … %%`, on one line or many. An unclosed `%%` is left alone (a
    /// lone `%%` line is also how plain-text directives look).
    fn comments(&mut self) {
        if !self.current().contains("%%") {
            return;
        }
        let mut ranges = Vec::new();
        let text = self.current();
        let mut from = 0;
        while let Some(open) = text[from..].find("%%").map(|i| from + i) {
            let Some(close) = text[open + 2..].find("%%").map(|i| open + 2 + i) else {
                break;
            };
            // A suppression directive (`%% manulint-disable …`) stays for
            // the directive reader; it is not prose either way.
            ranges.push((open, close + 2));
            from = close + 2;
        }
        for (start, end) in ranges {
            self.blank(start, end);
        }
    }

    /// Pandoc fenced divs (`::: {.epigraph}`, `::: warning`, `:::`).
    fn fence_lines(&mut self) {
        if self.current().contains(":::") {
            self.pattern(&FENCE, 0);
        }
    }

    /// Pandoc's `% Title` block and MultiMarkdown's `Key: value` block at
    /// the very top of the file.
    fn opening_metadata(&mut self) {
        let text = self.text;
        let mut end = 0;
        let pandoc = text.starts_with('%') && !text.starts_with("%%");
        let mmd = starts_with_metadata(text);
        if !pandoc && !mmd {
            return;
        }
        for line in text.split_inclusive('\n') {
            let content = line.trim_end();
            let continues = if pandoc {
                content.starts_with('%') || (end > 0 && line.starts_with([' ', '\t']))
            } else {
                METADATA_LINE.is_match(content) || (end > 0 && line.starts_with([' ', '\t']))
            };
            if content.is_empty() || !continues {
                break;
            }
            end += line.len();
        }
        self.blank(0, end);
    }

    fn wikilinks(&mut self) {
        if !self.current().contains("[[") {
            return;
        }
        let found: Vec<(usize, usize, bool, usize, usize)> = WIKILINK
            .captures_iter(self.current())
            .filter_map(|c| {
                let whole = c.get(0)?;
                let inner = c.get(2)?;
                Some((
                    whole.start(),
                    whole.end(),
                    c.get(1).is_some(),
                    inner.start(),
                    inner.end(),
                ))
            })
            .collect();
        for (start, end, embed, inner_start, inner_end) in found {
            let inner = &self.text[inner_start..inner_end];
            let (target_part, display) = match inner.split_once('|') {
                Some((target, display)) => (target, Some((target.len() + 1, display))),
                None => (inner, None),
            };
            if !embed && is_note(target_part) {
                continue;
            }
            let target_end = target_part.find(['#', '^']).unwrap_or(target_part.len());
            let target = target_part[..target_end].trim().to_string();
            let display = match (embed, display) {
                (true, _) => None,
                (false, Some((offset, shown))) => {
                    let lead = shown.len() - shown.trim_start().len();
                    let shown = shown.trim();
                    let at = inner_start + offset + lead;
                    (!shown.is_empty()).then(|| Span::new(at, at + shown.len()))
                }
                (false, None) => {
                    let lead = target_part.len() - target_part.trim_start().len();
                    let shown = target_part[..target_end].trim();
                    let at = inner_start + lead;
                    (!shown.is_empty()).then(|| Span::new(at, at + shown.len()))
                }
            };
            match display {
                Some(shown) => {
                    self.blank(start, shown.start as usize);
                    self.blank(shown.end as usize, end);
                }
                None => self.blank(start, end),
            }
            self.links.push(WikiLink {
                span: Span::new(start, end),
                embed,
                target,
                display,
            });
        }
    }

    /// `[text]{.smallcaps}` keeps `text`; `{#id .class}` after a heading,
    /// a link or an image, and `{-}`, go.
    fn attributes(&mut self) {
        if !self.current().contains('{') {
            return;
        }
        let spans: Vec<(usize, usize, Option<usize>)> = ATTRIBUTES
            .captures_iter(self.current())
            .filter_map(|c| {
                let whole = c.get(0)?;
                let open = c.get(1).map(|m| m.start());
                Some((whole.start(), whole.end(), open))
            })
            .collect();
        for (start, end, open) in spans {
            match open {
                // `[text]{…}`: the bracket, then `]{…}`.
                Some(bracket) => {
                    let close = self.text[bracket..end]
                        .find("]{")
                        .map_or(end, |i| bracket + i);
                    self.blank(bracket, bracket + 1);
                    self.blank(close, end);
                }
                None => self.blank(start, end),
            }
        }
    }

    /// Raw LaTeX: `\newpage`, `\vspace{2em}`, `\begin{center}`; the words
    /// inside `\textit{…}` and `\emph{…}` stay prose.
    fn latex(&mut self) {
        if !self.current().contains('\\') {
            return;
        }
        type Command = (usize, usize, Option<(usize, usize)>);
        let found: Vec<Command> = LATEX
            .captures_iter(self.current())
            .filter_map(|c| {
                let whole = c.get(0)?;
                let argument = c.name("arg").map(|a| (a.start(), a.end()));
                Some((whole.start(), whole.end(), argument))
            })
            .collect();
        for (start, end, argument) in found {
            match argument {
                Some((arg_start, arg_end)) => {
                    let name = self.text[start + 1..arg_start]
                        .split(['[', '*'])
                        .next()
                        .unwrap_or("");
                    if PROSE_COMMANDS.contains(&name) {
                        // `\textit{` and `}`.
                        self.blank(start, arg_start + 1);
                        self.blank(arg_end - 1, arg_end);
                    } else {
                        self.blank(start, arg_end);
                    }
                }
                None => self.blank(start, end),
            }
        }
    }
}

/// LaTeX commands whose braced argument is prose.
const PROSE_COMMANDS: &[&str] = &[
    "textit",
    "emph",
    "textbf",
    "textsc",
    "textsf",
    "texttt",
    "textrm",
    "textup",
    "textsl",
    "underline",
    "mbox",
    "text",
    "textnormal",
    "uppercase",
    "MakeUppercase",
    "footnote",
];

/// Note words: `[[note: …]]`, `[[check Teo’s age]]`, `[[TODO fix]]`.
static NOTE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:note|notes|todo|tk|tbd|fixme|fix|check|verify|research|find out|look up|ask|confirm|expand|cut|move|rewrite|add|insert|describe)\b",
    )
    .expect("static regex")
});

/// True when a double-bracketed text is a note to self, not a link: it
/// holds a character no note name may hold, or starts with a note word.
fn is_note(target: &str) -> bool {
    let name = target.split(['#', '^']).next().unwrap_or(target);
    name.contains([':', '?', '*', '"', '<', '>', '\\']) || NOTE_START.is_match(name)
}

/// A MultiMarkdown metadata block opens the file: its first line is one of
/// the keys MultiMarkdown (and Scrivener's compile) write.
fn starts_with_metadata(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    first
        .split_once(':')
        .is_some_and(|(key, _)| MMD_KEYS.contains(&key.trim().to_ascii_lowercase().as_str()))
        && METADATA_LINE.is_match(first.trim_end())
}

/// Keys that open a MultiMarkdown metadata block.
const MMD_KEYS: &[&str] = &[
    "title",
    "author",
    "base header level",
    "css",
    "latex config",
    "latex input",
    "latex leader",
    "latex begin",
    "latex footer",
    "latex mode",
    "mmd header",
    "mmd footer",
    "html header",
    "xhtml header",
    "quotes language",
    "transclude base",
];

static METADATA_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z][A-Za-z0-9 _-]{0,40}:(?:\s.*)?$").expect("static regex")
});

static FENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^[ \t]{0,3}:{3,}[^\n]*$").expect("static regex"));

static WIKILINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(!)?\[\[([^\[\]\n]{1,300})\]\]").expect("static regex"));

/// `> [!note]`, `> [!warning]-`, nested `> > [!tip]+`.
static CALLOUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*(?:>[ \t]*)+(\[![A-Za-z0-9_-]+\][+-]?)").expect("static regex")
});

/// `#tag`, `#nested/tag-2`: after a space or at a line start, with at
/// least one letter (`#1` is a number).
static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)(?:^|[ \t(])(#[\p{L}\p{N}_/-]*\p{L}[\p{L}\p{N}_/-]*)").expect("static regex")
});

/// `^block-id` ending a line.
static BLOCK_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)[ \t](\^[A-Za-z0-9-]+)[ \t]*$").expect("static regex"));

/// Pandoc attributes: `{.class}`, `{#id .class key="v"}`, `{-}`, `{=latex}`,
/// optionally after a bracketed span `[text]`.
static ATTRIBUTES: LazyLock<Regex> = LazyLock::new(|| {
    let item = r#"(?:[.#][\p{L}\p{N}_:-]+|[\p{L}\p{N}_-]+=(?:"[^"\n]*"|[^\s}]+)|-|=[A-Za-z]+)"#;
    Regex::new(&format!(
        r"(?:(\[)[^\[\]\n]*\])?\{{[ \t]*{item}(?:[ \t]+{item})*[ \t]*\}}"
    ))
    .expect("static regex")
});

/// `\name`, `\name*`, an optional `[…]` and an optional `{…}` argument.
static LATEX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\\(?P<name>[A-Za-z]{2,}\*?)(?:\[[^\]\n]*\])?(?P<arg>\{[^{}\n]*\})?")
        .expect("static regex")
});

#[cfg(test)]
mod tests {
    use super::*;

    /// The text with masked bytes shown as `·`.
    fn masked(text: &str) -> String {
        let (out, _) = premask(text);
        out.chars()
            .zip(text.chars())
            .map(|(m, t)| if m == ' ' && t != ' ' { '·' } else { m })
            .collect()
    }

    #[test]
    fn text_without_markup_is_borrowed() {
        let (out, links) = premask("It was cold. She said “no”.\n\n# One\n");
        assert!(matches!(out, Cow::Borrowed(_)));
        assert!(links.is_empty());
    }

    #[test]
    fn obsidian_comments_inline_and_block() {
        assert_eq!(masked("Old %%cut this%% new.\n"), "Old ····· ······ new.\n");
        assert_eq!(
            masked("A.\n\n%%\nThe old version.\n\nMore.\n%%\n\nB.\n"),
            "A.\n\n··\n··· ··· ········\n\n·····\n··\n\nB.\n"
        );
        // Unclosed: left alone.
        assert_eq!(masked("50%% off\n"), "50%% off\n");
    }

    #[test]
    fn wikilinks_keep_their_display_text() {
        let text = "She met [[Tom Hale|Tom]] at [[The Harbour]]. ![[sketch.png]]\n";
        let (out, links) = premask(text);
        assert_eq!(
            out,
            "She met            Tom   at   The Harbour  .                \n"
        );
        assert_eq!(links.len(), 3);
        assert_eq!(links[0].target, "Tom Hale");
        assert_eq!(&text[links[0].display.unwrap().range()], "Tom");
        assert_eq!(&text[links[2].span.range()], "![[sketch.png]]");
        assert!(links[2].embed && links[2].display.is_none());
        let (_, links) = premask("See [[Tom Hale#Early years|his youth]].\n");
        assert_eq!(links[0].target, "Tom Hale");
    }

    #[test]
    fn bracketed_notes_are_not_links() {
        for text in [
            "He was [[note: is Teo 14 or 15?]] old.\n",
            "He was [[check Teo’s age]] old.\n",
            "He was [[TODO]] old.\n",
        ] {
            let (out, links) = premask(text);
            assert_eq!(out, text);
            assert!(links.is_empty(), "{text}");
        }
    }

    #[test]
    fn callouts_tags_and_block_ids() {
        assert_eq!(
            masked("> [!note]- The storm\n> It rained.\n"),
            "> ········ The storm\n> It rained.\n"
        );
        assert_eq!(
            masked("It rained. #draft #chapter/3 ^p1\n"),
            "It rained. ······ ·········· ···\n"
        );
        // Numbers, headings and C# are not tags.
        for text in ["He was #1.\n", "# Heading\n", "She wrote C# code.\n"] {
            assert_eq!(masked(text), text);
        }
    }

    #[test]
    fn pandoc_divs_spans_attributes_and_latex() {
        assert_eq!(
            masked("::: {.epigraph}\nAll is calm.\n:::\n"),
            "··· ···········\nAll is calm.\n···\n"
        );
        assert_eq!(
            masked("In [small caps]{.smallcaps} now.\n"),
            "In ·small caps············· now.\n"
        );
        assert_eq!(masked("# Preface {-}\n"), "# Preface ···\n");
        assert_eq!(
            masked("\\newpage\n\nShe \\textit{ran} \\vspace{2em} on.\n"),
            "········\n\nShe ········ran· ············ on.\n"
        );
    }

    #[test]
    fn opening_metadata_blocks() {
        assert_eq!(
            masked("Title: The Harbour\nAuthor: J. Doe\n\n# One\n"),
            "······ ··· ·······\n······· ·· ···\n\n# One\n"
        );
        assert_eq!(
            masked("% The Harbour\n% J. Doe\n\nText.\n"),
            "· ··· ·······\n· ·· ···\n\nText.\n"
        );
        // Prose that opens with a colon is not metadata.
        let text = "Morning: the light came in.\n";
        assert_eq!(masked(text), text);
    }
}
