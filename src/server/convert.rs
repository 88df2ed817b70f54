//! Between manulint's model (byte spans in a chapter's text, file paths)
//! and the protocol's (UTF-16 line/character positions, `file://` URIs).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Position, Range, Uri};

use crate::text::Span;
use crate::text::floor_boundary;

/// Line starts of a text as the protocol counts lines: a line ends at
/// `\n`, `\r\n` or a lone `\r`.
#[derive(Debug, Clone)]
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        Lines { starts }
    }

    /// The protocol position (UTF-16 code units) of byte `offset` of `text`.
    /// Offsets past the end clamp to it; an offset inside a character counts
    /// from that character's start.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, text: &str, span: Span) -> Range {
        Range::new(
            self.position(text, span.start as usize),
            self.position(text, span.end as usize),
        )
    }

    /// The byte offset of a protocol position; positions past the end of a
    /// line clamp to the line's end (before its line break), past the last
    /// line to the end of the text.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .map_or(text.len(), |&next| next);
        let line = text[start..end].trim_end_matches(['\n', '\r']);
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + line.len()
    }
}

/// The `file://` URI of an absolute path, percent-encoding everything but
/// unreserved characters and `/`.
pub fn uri_of(path: &Path) -> Option<Uri> {
    let mut out = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    Uri::from_str(&out).ok()
}

/// The path of a `file://` URI (percent-decoded); `None` for other schemes.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text.strip_prefix("file://")?;
    // `file://host/path` is not a local file; `file:///path` is.
    let path = if rest.starts_with('/') {
        rest
    } else {
        return None;
    };
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let hex = |b: u8| (b as char).to_digit(16);
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            decoded.push((high * 16 + low) as u8);
            i += 3;
            continue;
        }
        decoded.push(bytes[i]);
        i += 1;
    }
    Some(PathBuf::from(
        String::from_utf8_lossy(&decoded).into_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_and_every_line_break() {
        let text = "“Go,” she said.\r\nNext 🙂 line\rlast";
        let lines = Lines::new(text);
        let she = text.find("she").unwrap();
        assert_eq!(lines.position(text, she), Position::new(0, 6));
        let line = text.find("line").unwrap();
        // The emoji is two UTF-16 units.
        assert_eq!(lines.position(text, line), Position::new(1, 8));
        let last = text.find("last").unwrap();
        assert_eq!(lines.position(text, last), Position::new(2, 0));
        for offset in [she, line, last, text.len()] {
            assert_eq!(lines.offset(text, lines.position(text, offset)), offset);
        }
        // Past the end of a line: its end, before the break.
        assert_eq!(
            lines.offset(text, Position::new(0, 99)),
            text.find('\r').unwrap()
        );
        assert_eq!(lines.offset(text, Position::new(9, 0)), text.len());
    }

    #[test]
    fn file_uris_round_trip() {
        let path = Path::new("/home/ana/My Novel/chapter-01 (draft).md");
        let uri = uri_of(path).unwrap();
        assert_eq!(
            uri.as_str(),
            "file:///home/ana/My%20Novel/chapter-01%20%28draft%29.md"
        );
        assert_eq!(path_of(&uri).unwrap(), path);
        let accented = Path::new("/b/café.md");
        assert_eq!(path_of(&uri_of(accented).unwrap()).unwrap(), accented);
        assert_eq!(
            path_of(&Uri::from_str("untitled:Untitled-1").unwrap()),
            None
        );
    }
}
