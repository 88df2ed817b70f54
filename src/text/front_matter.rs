//! Front matter: a `---` (YAML) or `+++` (TOML) block at the top of a chapter.
//! It is metadata, never prose; rules may read simple `key = value` /
//! `key: value` entries from it (the story year, for example).

use super::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrontMatterKind {
    Yaml,
    Toml,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrontMatter {
    pub kind: FrontMatterKind,
    /// The whole block, fences included.
    pub span: Span,
    /// The lines between the fences.
    pub body: Span,
    body_text: String,
}

/// The most lines a front-matter block may have; a lone `---` further down is
/// a scene break, not an unterminated header.
const MAX_FRONT_MATTER_LINES: usize = 200;

impl FrontMatter {
    /// Finds front matter at the very start of `text`.
    pub fn detect(text: &str) -> Option<FrontMatter> {
        let (kind, fence) = if text.starts_with("---") {
            (FrontMatterKind::Yaml, "---")
        } else if text.starts_with("+++") {
            (FrontMatterKind::Toml, "+++")
        } else {
            return None;
        };
        let mut lines = line_spans(text);
        let (_, first) = lines.next()?;
        if first.trim_end() != fence {
            return None;
        }
        let body_start = lines.clone().next().map_or(text.len(), |(s, _)| s);
        for (start, line) in lines.take(MAX_FRONT_MATTER_LINES) {
            let content = line.trim_end();
            let closes = content == fence || (kind == FrontMatterKind::Yaml && content == "...");
            if closes {
                let end = start + line.len();
                return Some(FrontMatter {
                    kind,
                    span: Span::new(0, end),
                    body: Span::new(body_start, start),
                    body_text: text[body_start..start].to_string(),
                });
            }
        }
        None
    }

    /// Whether `text` opens front matter that never closes: a first line
    /// of `---` (or `+++`) followed by a `key: value` (`key = value`) line
    /// with a lowercase key,
    /// with no closing fence in the next [`MAX_FRONT_MATTER_LINES`] lines.
    /// Such a block is read as text (a `---` line is a scene break), and
    /// its entries, a story year among them, are not read.
    pub fn is_unclosed(text: &str) -> bool {
        let mut lines = text.lines();
        let (fence, separator) = match lines.next().map(str::trim_end) {
            Some("---") => ("---", ':'),
            Some("+++") => ("+++", '='),
            _ => return false,
        };
        let Some(first_entry) = lines.next() else {
            return false;
        };
        // Keys are lowercase (`title`, `pov`, `story_year`): “Dawn: the
        // harbour …” after a scene break and an email's “From: …” are text.
        let is_entry = first_entry.split_once(separator).is_some_and(|(key, _)| {
            let key = key.trim_end();
            !key.is_empty()
                && key.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        });
        is_entry && text.starts_with(fence) && FrontMatter::detect(text).is_none()
    }

    /// The value of a top-level `key = value` (TOML) or `key: value` (YAML)
    /// entry, unquoted, with its span in the chapter text. A comment after
    /// the value (`year: 1887 # autumn`) is not part of it: `#` at the
    /// start of the value or after a space starts one, outside quotes.
    pub fn get(&self, key: &str) -> Option<(String, Span)> {
        let separator = match self.kind {
            FrontMatterKind::Toml => '=',
            FrontMatterKind::Yaml => ':',
        };
        for (offset, line) in line_spans(&self.body_text) {
            let Some((name, value)) = line.split_once(separator) else {
                continue;
            };
            if name.trim() != key || line.starts_with([' ', '\t']) {
                continue;
            }
            let lead = value.len() - value.trim_start().len();
            let (within, unquoted) = value_of(value.trim_start());
            let start = self.body.start as usize + offset + name.len() + 1 + lead + within.start;
            let span = Span::new(start, start + within.len());
            return Some((unquoted.to_string(), span));
        }
        None
    }
}

/// The value at the start of `text` (the rest of a line after its key and
/// the spaces after the separator): its range in `text`, quotes included,
/// and the value unquoted. A quoted value ends at its closing quote; an
/// unquoted one at a comment (`#` first or after whitespace) or the line's
/// end, trailing spaces trimmed.
fn value_of(text: &str) -> (std::ops::Range<usize>, &str) {
    if let Some(quote) = text.chars().next().filter(|c| *c == '"' || *c == '\'')
        && let Some(close) = text[1..].find(quote)
    {
        return (0..close + 2, &text[1..close + 1]);
    }
    let comment = text
        .char_indices()
        .find(|&(at, c)| c == '#' && (at == 0 || text[..at].ends_with([' ', '\t'])))
        .map_or(text.len(), |(at, _)| at);
    let value = text[..comment].trim_end();
    (0..value.len(), value.trim_matches(['"', '\'']))
}

/// Lines with their byte offsets, line breaks included in each line.
fn line_spans(text: &str) -> impl Iterator<Item = (usize, &str)> + Clone {
    text.split_inclusive('\n').scan(0usize, |offset, line| {
        let start = *offset;
        *offset += line.len();
        Some((start, line))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_never_closed_is_told_from_a_scene_break() {
        assert!(FrontMatter::is_unclosed(
            "---\ntitle: \"Unclosed\npov: Dan\n\n# Seven\n\nHe left.\n"
        ));
        assert!(FrontMatter::is_unclosed("+++\nyear = 2004\n\nText.\n"));
        // Closed, a scene break before prose, a heading with a colon.
        assert!(!FrontMatter::is_unclosed("---\nyear: 2004\n---\n\nText.\n"));
        assert!(!FrontMatter::is_unclosed(
            "---\n\nThe next morning she left.\n"
        ));
        assert!(!FrontMatter::is_unclosed(
            "---\nChapter One: The Drop\n\nText.\n"
        ));
        assert!(!FrontMatter::is_unclosed("Text: more text.\n"));
    }

    #[test]
    fn yaml_front_matter_value_and_span() {
        let text = "---\ntitle: \"Reels\"\nyear: 1996\n---\n# One\n";
        let fm = FrontMatter::detect(text).unwrap();
        assert_eq!(fm.kind, FrontMatterKind::Yaml);
        assert_eq!(
            &text[fm.span.range()],
            "---\ntitle: \"Reels\"\nyear: 1996\n---\n"
        );
        let (year, span) = fm.get("year").unwrap();
        assert_eq!(year, "1996");
        assert_eq!(&text[span.range()], "1996");
        assert_eq!(fm.get("title").unwrap().0, "Reels");
        assert!(fm.get("missing").is_none());
    }

    #[test]
    fn toml_front_matter_with_crlf() {
        let text = "+++\r\nyear = 1987\r\n+++\r\nText.";
        let fm = FrontMatter::detect(text).unwrap();
        let (year, span) = fm.get("year").unwrap();
        assert_eq!((year.as_str(), &text[span.range()]), ("1987", "1987"));
    }

    #[test]
    fn comments_after_a_value_are_not_part_of_it() {
        let text = "---\nyear: 1887 # autumn\ntitle: \"No # here\" # but here\nplace: Bay#3\nnone: # empty\n---\n";
        let fm = FrontMatter::detect(text).unwrap();
        let (year, span) = fm.get("year").unwrap();
        assert_eq!((year.as_str(), &text[span.range()]), ("1887", "1887"));
        let (title, span) = fm.get("title").unwrap();
        assert_eq!(
            (title.as_str(), &text[span.range()]),
            ("No # here", "\"No # here\"")
        );
        assert_eq!(fm.get("place").unwrap().0, "Bay#3");
        assert_eq!(fm.get("none").unwrap().0, "");
        let toml = "+++\nyear = 1887 # autumn\n+++\nText.";
        let fm = FrontMatter::detect(toml).unwrap();
        let (year, span) = fm.get("year").unwrap();
        assert_eq!((year.as_str(), &toml[span.range()]), ("1887", "1887"));
    }

    #[test]
    fn unterminated_or_absent_front_matter_is_none() {
        assert!(FrontMatter::detect("---\nyear: 1\nno closing fence\n").is_none());
        assert!(FrontMatter::detect("Once upon a time.\n---\n").is_none());
        assert!(FrontMatter::detect("----\nx\n----\n").is_none());
    }
}
