//! Plain-text chapters: paragraphs are separated by blank lines; a file with
//! no blank lines at all has one paragraph per line. Hard-wrapped lines inside
//! a paragraph stay in one paragraph (the sentence splitter reads line breaks
//! as spaces).

use super::front_matter::FrontMatter;
use super::markdown::is_scene_break;
use super::{BlockKind, ParsedStructure, Span};

pub(crate) fn parse(text: &str) -> ParsedStructure {
    let front_matter = FrontMatter::detect(text);
    let body_start = front_matter.as_ref().map_or(0, |fm| fm.span.end as usize);
    let mut prose = String::with_capacity(text.len());
    prose.extend(std::iter::repeat_n(' ', body_start));
    prose.push_str(&text[body_start..]);

    let mut lines = lines_with_offsets(&text[body_start..], body_start);
    // `%% manulint-disable RULE` lines are directives, not prose: they are
    // masked, and separate paragraphs like a blank line.
    let mut directives = 0;
    for (start, line) in &mut lines {
        if is_directive_line(line) {
            let len = line.trim_end_matches(['\r', '\n']).len();
            prose.replace_range(*start..*start + len, &" ".repeat(len));
            *line = "";
            directives += 1;
        }
    }
    let one_per_line = lines.len() - directives > 1
        && !lines
            .iter()
            .any(|(_, l)| !l.is_empty() && l.trim().is_empty());
    let blocks = if one_per_line {
        lines
            .iter()
            .filter_map(|&(start, line)| trimmed_span(text, start, start + line.len()))
            .map(|span| (classify(&text[span.range()]), span))
            .collect()
    } else {
        paragraphs(text, &lines)
    };
    ParsedStructure {
        prose,
        front_matter,
        blocks,
        wikilinks: Vec::new(),
    }
}

/// A line of its own holding a `%% manulint-…` suppression directive.
pub(crate) fn is_directive_line(line: &str) -> bool {
    line.trim_start()
        .strip_prefix("%%")
        .is_some_and(|rest| crate::suppress::starts_with_prefix(rest.trim_start()))
}

/// Each line of `body` with its line break, and its offset (`body` starts
/// at `base`). Split at the breaks one byte search finds: `split_inclusive`
/// set up a char search for every line (30 M instructions on the corpus).
fn lines_with_offsets(body: &str, base: usize) -> Vec<(usize, &str)> {
    let mut lines = Vec::new();
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', body.as_bytes()) {
        lines.push((base + start, &body[start..=end]));
        start = end + 1;
    }
    if start < body.len() {
        lines.push((base + start, &body[start..]));
    }
    lines
}

/// Groups runs of non-blank lines into paragraphs.
fn paragraphs(text: &str, lines: &[(usize, &str)]) -> Vec<(BlockKind, Span)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    for &(start, line) in lines {
        if line.trim().is_empty() {
            if let Some((s, e)) = current.take() {
                blocks.extend(block(text, s, e));
            }
        } else {
            let end = start + line.len();
            current = Some(current.map_or((start, end), |(s, _)| (s, end)));
        }
    }
    if let Some((s, e)) = current {
        blocks.extend(block(text, s, e));
    }
    blocks
}

fn block(text: &str, start: usize, end: usize) -> Option<(BlockKind, Span)> {
    let span = trimmed_span(text, start, end)?;
    Some((classify(&text[span.range()]), span))
}

fn trimmed_span(text: &str, start: usize, end: usize) -> Option<Span> {
    let slice = &text[start..end];
    let new_start = start + (slice.len() - slice.trim_start().len());
    let new_end = start + slice.trim_end().len();
    (new_start < new_end).then(|| Span::new(new_start, new_end))
}

fn classify(paragraph: &str) -> BlockKind {
    if is_scene_break(paragraph) {
        BlockKind::SceneBreak
    } else if is_heading_line(paragraph) {
        BlockKind::Heading { level: 1 }
    } else {
        BlockKind::Paragraph
    }
}

/// Words that open a heading line: "Chapter 4", "BOOK II", "Vol.3".
const HEADING_WORDS: &[&str] = &[
    "chapter",
    "part",
    "book",
    "volume",
    "vol.",
    "prologue",
    "epilogue",
    "interlude",
    "act",
    "letter",
    "section",
];

/// Whether `line` starts with one of [`HEADING_WORDS`] at a word boundary,
/// in any case: what `(?i)^(chapter|part|…)\b` matches, without compiling
/// it (its Unicode case folding and boundary took a millisecond, on every
/// run). As that regex does, it takes KELVIN SIGN for `k` and LONG S for
/// `s`, and puts the boundary after `vol.` where a word character follows.
fn starts_with_heading_word(line: &str) -> bool {
    // The same folding as the pattern gate's: what case-insensitive
    // matching takes for each ASCII letter.
    let fold = crate::literals::Requirement::key;
    HEADING_WORDS.iter().any(|word| {
        let mut chars = line.char_indices();
        let mut end = 0;
        for expected in word.chars() {
            match chars.next() {
                Some((i, c)) if fold(c) == expected => end = i + c.len_utf8(),
                _ => return false,
            }
        }
        let last = word
            .chars()
            .next_back()
            .is_some_and(regex_syntax::is_word_character);
        let next = line[end..]
            .chars()
            .next()
            .is_some_and(regex_syntax::is_word_character);
        last != next
    })
}

/// A plain-text heading is one short line: "Chapter 4", "CHAPTER IV",
/// "Los Angeles, 1996", "The Setting:". A line of prose ends with sentence
/// punctuation or a closing quote, and is seldom all in Title Case.
pub(crate) fn is_heading_line(paragraph: &str) -> bool {
    let line = paragraph.trim();
    if line.contains('\n') || line.is_empty() {
        return false;
    }
    // Counted before collecting: a one-line chapter is one huge "line".
    if line.split_whitespace().nth(10).is_some() {
        return false;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let last = line.chars().next_back().unwrap_or(' ');
    let ends_like_prose = ".!?…\"”’'),;—–-".contains(last);
    if starts_with_heading_word(line) && (words.len() <= 4 || !ends_like_prose) {
        return true;
    }
    if ends_like_prose {
        return false;
    }
    if last == ':' {
        return words.len() <= 8 && !opens_a_letter(line);
    }
    let letters = line.chars().filter(|c| c.is_alphabetic());
    let all_caps = letters.clone().count() > 1 && letters.clone().all(char::is_uppercase);
    all_caps || is_title_case(&words)
}

/// A letter's salutation on its line, with an American colon: “Dear Mrs
/// Doyle:”, “To Whom It May Concern:”, “Gentlemen:”. Part of a letter the
/// story quotes, not a heading (taken for one, it was a template label to
/// the scaffolding rule, whose fix deleted it).
fn opens_a_letter(line: &str) -> bool {
    // Before a name (“Dear Mrs Doyle:”), or whole (“Sir:”).
    const BEFORE_A_NAME: [&str; 4] = ["dear ", "dearest ", "my dear ", "my dearest "];
    const WHOLE: [&str; 5] = [
        "to whom it may concern",
        "gentlemen",
        "ladies and gentlemen",
        "sir",
        "madam",
    ];
    let line = line.trim_start_matches(|c: char| !c.is_alphanumeric());
    let head = |s: &str| {
        line.get(..s.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(s))
    };
    let whole = line.trim_end_matches([':', ' ', '\t', '*', '_']);
    BEFORE_A_NAME.iter().any(|s| head(s)) || WHOLE.iter().any(|s| whole.eq_ignore_ascii_case(s))
}

fn is_title_case(words: &[&str]) -> bool {
    let mut content_words = words
        .iter()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() > 3);
    let first_ok = words
        .first()
        .and_then(|w| w.chars().find(|c| c.is_alphanumeric()))
        .is_some_and(|c| c.is_uppercase() || c.is_numeric());
    first_ok && content_words.all(|w| w.chars().next().is_some_and(|c| !c.is_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand matcher agrees with the regex it replaced, on tricky lines
    /// and on random ones.
    #[test]
    fn heading_words_match_as_the_regex_did() {
        let regex = regex::Regex::new(
            r"(?i)^(chapter|part|book|volume|vol\.|prologue|epilogue|interlude|act|letter|section)\b",
        )
        .unwrap();
        let mut lines: Vec<String> = [
            "Chapter 4",
            "CHAPTER IV.",
            "chapters",
            "Chapter",
            "chapter_1",
            "chapter1",
            "Part-two",
            "BOOK II",
            "Boo\u{212A} one",
            "\u{17F}ection 2",
            "Vol. 3",
            "Vol.3",
            "vol.",
            "Volume",
            "volumes",
            "Actually",
            "Act I",
            "act",
            "Letter 12",
            "Lettering",
            "Interlude:",
            "",
            "Chapterè",
            "Chapter\u{301}",
            "ACT\u{a0}II",
            "Chapter\u{2019}s end",
            "pARt 1",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Random lines from heading words, their letters' case variants,
        // word characters and separators.
        let pieces = [
            "chapter", "part", "book", "vol", ".", "act", "section", "K", "\u{212A}", "\u{17F}",
            "S", "é", "\u{301}", "_", "1", " ", "-", "’", "x", "ACT", "Vol.",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut line = String::new();
            for _ in 0..(seed % 4 + 1) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                line.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            lines.push(line);
        }
        for line in &lines {
            assert_eq!(
                starts_with_heading_word(line),
                regex.is_match(line),
                "{line:?}"
            );
        }
    }

    #[test]
    fn lines_keep_their_breaks_and_offsets() {
        for (body, expected) in [
            ("", vec![]),
            ("a", vec![(5, "a")]),
            ("a\n", vec![(5, "a\n")]),
            (
                "a\r\n\nbé\n\n",
                vec![(5, "a\r\n"), (8, "\n"), (9, "bé\n"), (13, "\n")],
            ),
            ("\nlast", vec![(5, "\n"), (6, "last")]),
        ] {
            let split: Vec<(usize, &str)> = body
                .split_inclusive('\n')
                .scan(5, |at, line| {
                    *at += line.len();
                    Some((*at - line.len(), line))
                })
                .collect();
            assert_eq!(split, expected, "{body:?}");
            assert_eq!(lines_with_offsets(body, 5), expected, "{body:?}");
        }
    }

    #[test]
    fn heading_lines() {
        for heading in [
            "Chapter 4",
            "CHAPTER IV.",
            "Los Angeles, 1996",
            "The Setting:",
            "VOLUME I",
            "Scene 2 Notes",
            "Dearborn Station:",
            "Sir Walter's Notes:",
        ] {
            assert!(is_heading_line(heading), "{heading:?} should be a heading");
        }
        for prose in [
            "Dear Mrs Doyle:",
            "DEAREST RUTH:",
            "My dear Mr Bell:",
            "To Whom It May Concern:",
            "Gentlemen:",
            "She left.",
            "“Yes,” she said",
            "and then the door opened and nobody was there",
            "Marisol waited for the rain to stop, and it did not.",
        ] {
            assert!(!is_heading_line(prose), "{prose:?} should be prose");
        }
    }

    #[test]
    fn one_paragraph_per_line_without_blank_lines() {
        let parsed = parse("First line.\nSecond line.\n* * *\nThird.");
        let kinds: Vec<BlockKind> = parsed.blocks.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Paragraph,
                BlockKind::Paragraph,
                BlockKind::SceneBreak,
                BlockKind::Paragraph
            ]
        );
    }
}
