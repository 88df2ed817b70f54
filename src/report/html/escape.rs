//! Escaping: every piece of text that reaches the page — manuscript text,
//! file names, messages, rule ids — goes through [`Esc`], so nothing a
//! manuscript holds can become markup.

use std::fmt;

/// Text made safe for HTML content and for quoted attribute values
/// (`"…"` or `'…'`): `& < > " '` become character references; characters
/// HTML forbids in a document (C0 controls other than tab, line feed and
/// carriage return, DEL, C1 controls, the noncharacters U+FFFE/U+FFFF)
/// become U+FFFD. Also safe inside SVG `<text>` and `<title>`.
pub struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        let mut clean_from = 0;
        for (i, c) in text.char_indices() {
            let replacement = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                c if forbidden(c) => "\u{FFFD}",
                _ => continue,
            };
            f.write_str(&text[clean_from..i])?;
            f.write_str(replacement)?;
            clean_from = i + c.len_utf8();
        }
        f.write_str(&text[clean_from..])
    }
}

/// A message made safe as [`Esc`] makes it, with its titles in stars
/// (`*Emma*`) set in italics (see [`crate::report::emphasis`]).
pub struct Emph<'a>(pub &'a str);

impl fmt::Display for Emph<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (text, emphasised) in crate::report::emphasis::runs(self.0) {
            if emphasised {
                write!(f, "<i>{}</i>", Esc(text))?;
            } else {
                write!(f, "{}", Esc(text))?;
            }
        }
        Ok(())
    }
}

fn forbidden(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
        || c == '\u{FFFE}'
        || c == '\u{FFFF}'
}

#[cfg(test)]
mod tests {
    use super::{Emph, Esc};

    #[test]
    fn titles_in_stars_are_italics_and_still_escaped() {
        assert_eq!(
            Emph("*Tom & Jerry* (cartoon, 1940) <later>").to_string(),
            "<i>Tom &amp; Jerry</i> (cartoon, 1940) &lt;later&gt;"
        );
        assert_eq!(Emph("2 * 3").to_string(), "2 * 3");
    }

    #[test]
    fn markup_quotes_and_controls_are_escaped() {
        assert_eq!(
            Esc("<script>alert(1)</script>").to_string(),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            Esc("\"><img src=x onerror='a&b'>").to_string(),
            "&quot;&gt;&lt;img src=x onerror=&#39;a&amp;b&#39;&gt;"
        );
        assert_eq!(
            Esc("a\u{1}b\u{85}\tc\n").to_string(),
            "a\u{FFFD}b\u{FFFD}\tc\n"
        );
        assert_eq!(Esc("café — “ok”").to_string(), "café — “ok”");
    }
}
