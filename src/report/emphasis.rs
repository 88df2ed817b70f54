//! Emphasis in messages: rules write a title as `*The Great Gatsby*`, as
//! Markdown does, which the terminal shows as it is. Formats that can set
//! italics (the HTML report, Word comments) read the stars with
//! [`runs`] instead of printing them.

/// `text` cut into runs, each `(text, emphasised)`, in order, the stars
/// of emphasis left out; the runs joined with the stars put back are
/// `text`. A star opens emphasis at the start, or after a space, a dash
/// or an opening bracket or curly quotation mark, before a character that
/// is neither a space nor a star; it closes at the first star after a
/// character that is not a space, at the end or before a space, a dash or
/// closing punctuation: CommonMark's flanking rules, narrowed to how rules
/// write titles. So `*M*A*S*H*` is one title, and a lone star (`2 * 3`,
/// `M*A*S*H`) is text, as is a glob in straight quotes (`"*flashback*"`,
/// a `[story.chapters]` key a message names).
pub fn runs(text: &str) -> Vec<(&str, bool)> {
    let mut runs = Vec::new();
    let mut plain_from = 0;
    let mut at = 0;
    while let Some(offset) = text[at..].find('*') {
        let open = at + offset;
        let close = opens_at(text, open)
            .then(|| closing_after(text, open))
            .flatten();
        match close {
            Some(close) => {
                if plain_from < open {
                    runs.push((&text[plain_from..open], false));
                }
                runs.push((&text[open + 1..close], true));
                plain_from = close + 1;
                at = close + 1;
            }
            None => at = open + 1,
        }
    }
    if plain_from < text.len() {
        runs.push((&text[plain_from..], false));
    }
    runs
}

/// What may come before an opening star (besides spaces and the start).
const BEFORE_OPENING: &str = "([{“‘—–";

/// What may come after a closing star (besides spaces and the end).
const AFTER_CLOSING: &str = ".,;:!?)]}”’…—–";

fn opens_at(text: &str, star: usize) -> bool {
    let before = text[..star].chars().next_back();
    let after = text[star + 1..].chars().next();
    before.is_none_or(|c| c.is_whitespace() || BEFORE_OPENING.contains(c))
        && after.is_some_and(|c| !c.is_whitespace() && c != '*')
}

/// The first star after the character that follows `open` that closes it.
fn closing_after(text: &str, open: usize) -> Option<usize> {
    let first = text[open + 1..].chars().next()?;
    let mut at = open + 1 + first.len_utf8();
    while let Some(offset) = text[at..].find('*') {
        let star = at + offset;
        let before = text[..star].chars().next_back();
        let after = text[star + 1..].chars().next();
        if before.is_some_and(|c| !c.is_whitespace())
            && after.is_none_or(|c| c.is_whitespace() || AFTER_CLOSING.contains(c))
        {
            return Some(star);
        }
        at = star + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::runs;

    #[test]
    fn titles_in_stars_are_emphasised_and_lone_stars_are_text() {
        assert_eq!(
            runs("*The Great Gatsby* (novel, 1925) is later than 1923"),
            [
                ("The Great Gatsby", true),
                (" (novel, 1925) is later than 1923", false)
            ]
        );
        assert_eq!(
            runs("did you mean *Emma*?"),
            [("did you mean ", false), ("Emma", true), ("?", false)]
        );
        assert_eq!(
            runs("“*Emma*’s”"),
            [("“", false), ("Emma", true), ("’s”", false)]
        );
        assert_eq!(
            runs("*M*A*S*H* (TV series)"),
            [("M*A*S*H", true), (" (TV series)", false)]
        );
        assert_eq!(runs("2 * 3 and M*A*S*H"), [("2 * 3 and M*A*S*H", false)]);
        assert_eq!(runs("a *b"), [("a *b", false)]);
        assert_eq!(runs("**"), [("**", false)]);
        assert_eq!(runs("*x*"), [("x", true)]);
        assert_eq!(runs(""), Vec::<(&str, bool)>::new());
        // A title that starts with a letter of more than one byte.
        assert_eq!(
            runs("*Æon Flux* (film)"),
            [("Æon Flux", true), (" (film)", false)]
        );
        assert_eq!(
            runs("—*Emma*…"),
            [("—", false), ("Emma", true), ("…", false)]
        );
        // A glob in straight quotes, as a story year's source names it.
        let glob = "from manulint.toml [story.chapters] \"*flashback*\"";
        assert_eq!(runs(glob), [(glob, false)]);
        assert_eq!(runs("\"part *2*\""), [("\"part *2*\"", false)]);
    }
}
