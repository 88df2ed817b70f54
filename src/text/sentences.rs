//! Sentence segmentation for fiction prose.
//!
//! The segmenter is one forward scan over a paragraph's bytes. Only a few bytes can begin a
//! sentence end — `.` `!` `?`, `-` (for `--`) and `0xE2`, the lead byte of `…`, `—` and `–` —
//! so the hot loop is a table lookup per byte. The heuristics run only at those candidates and
//! look at a small, bounded neighbourhood, which keeps the whole scan linear and allocation-free
//! apart from the returned `Vec`.
//!
//! A boundary is: terminator run, optional closers (`”` `’` `"` `'` `)` `]` `_`), whitespace,
//! then a sentence start (capital, digit, dash, or openers followed by one of those). It is
//! vetoed by abbreviations and initials before a bare period, and by a dialogue tag
//! (`“Why?” Tom asked.`) after a closing quote.
//!
//! Choices made where the specification was silent:
//! - `etc.`, `a.m.` and `p.m.` end a sentence only before a capitalised word (openers such as
//!   `“` may come first); a digit or dash after them does not start a new sentence.
//! - Abbreviation and initial rules apply only when the period is not followed by a closing
//!   quote or bracket: `“He is a Dr.” She grinned.` ends after the quote.
//! - A lone capital `I.` is the pronoun (`so did I. We left.` splits), unless another initial
//!   follows (`D. I. C.`). Other single capitals are initials; single lowercase letters are not.
//! - `--` (Project Gutenberg's em dash) and `–` behave like `—`: an interruption dash ends a
//!   sentence only when a closing quote follows it, and a dash can start a sentence.
//! - `¡` and `¿` count as openers, so Spanish exclamations and questions start sentences.
//! - The dialogue-tag look-ahead reads up to three words and stops at a terminator or quote;
//!   titles and initials (`Mr.`, `J.`) inside it are skipped rather than counted, and a first
//!   word that is a conjunction (`And`, `But`, `Then`…) means narration, not a tag.
//! - Whitespace is ASCII space, tab, `\r`, `\n`, plus the no-break space (U+00A0) and the
//!   typographic spaces U+2000–U+200A and U+202F: Project Gutenberg's Twain texts separate
//!   sentences with `. \u{A0}`. Returned ranges are trimmed of all of these.

use std::ops::Range;

use crate::word_set::WordSet;

/// Splits one paragraph's prose into sentences.
/// Returns byte ranges into `text`, in order, non-overlapping, each non-empty and trimmed of
/// leading/trailing whitespace (spaces, tabs, \r, \n).
pub fn split_sentences(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut sentences = Vec::new();
    let mut sentence_start = skip_whitespace(bytes, 0);
    let mut pos = sentence_start;
    while pos < bytes.len() {
        if !CANDIDATE_BYTES[usize::from(bytes[pos])] {
            pos += 1;
            continue;
        }
        match examine_candidate(text, pos) {
            Step::Boundary { end, next_start } => {
                sentences.push(sentence_start..end);
                sentence_start = next_start;
                pos = next_start;
            }
            // `max` guarantees progress even if a rule ever returned its own position.
            Step::Continue(next) => pos = next.max(pos + 1),
        }
    }
    let end = trim_trailing_whitespace(text, sentence_start);
    if sentence_start < end {
        sentences.push(sentence_start..end);
    }
    sentences
}

/// What the scan does after examining a candidate byte.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    /// The sentence ends at `end` (exclusive); the next one begins at `next_start`.
    Boundary { end: usize, next_start: usize },
    /// No boundary here; resume scanning at this byte.
    Continue(usize),
}

/// The punctuation that may end a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mark {
    /// Exactly one `.`: the only mark that abbreviations and initials can explain away.
    SinglePeriod,
    /// `!`, `?`, `…`, `...`, `?!` and other runs.
    Terminator,
    /// `—`, `–` or `--`: ends a sentence only as interrupted speech (`to—” He`).
    Dash,
}

/// Bytes worth a closer look. `0xE2` leads `…`, `—` and `–` (and curly quotes, which are cheap
/// to dismiss).
static CANDIDATE_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    table[b'.' as usize] = true;
    table[b'!' as usize] = true;
    table[b'?' as usize] = true;
    table[b'-' as usize] = true;
    table[0xE2] = true;
    table
};

const ELLIPSIS: [u8; 3] = [0xE2, 0x80, 0xA6];
const EM_DASH: [u8; 3] = [0xE2, 0x80, 0x94];
const EN_DASH: [u8; 3] = [0xE2, 0x80, 0x93];
const LEFT_DOUBLE_QUOTE: [u8; 3] = [0xE2, 0x80, 0x9C];
const RIGHT_DOUBLE_QUOTE: [u8; 3] = [0xE2, 0x80, 0x9D];
const LEFT_SINGLE_QUOTE: [u8; 3] = [0xE2, 0x80, 0x98];
const RIGHT_SINGLE_QUOTE: [u8; 3] = [0xE2, 0x80, 0x99];
const INVERTED_EXCLAMATION: [u8; 2] = [0xC2, 0xA1];
const INVERTED_QUESTION: [u8; 2] = [0xC2, 0xBF];

/// Decides whether the mark starting at `pos` ends a sentence.
fn examine_candidate(text: &str, pos: usize) -> Step {
    let bytes = text.as_bytes();
    let (mark, mark_end) = if let Some(end) = terminator_run_end(bytes, pos) {
        let mark = if end == pos + 1 && bytes[pos] == b'.' {
            Mark::SinglePeriod
        } else {
            Mark::Terminator
        };
        (mark, end)
    } else if let Some(end) = dash_run_end(bytes, pos) {
        (Mark::Dash, end)
    } else {
        return Step::Continue(pos + 1);
    };

    let closers = scan_closers(bytes, mark_end);
    // A bare dash is punctuation inside a sentence; only `—”` signals cut-off speech.
    if mark == Mark::Dash && !closers.has_quote {
        return Step::Continue(mark_end);
    }
    // No whitespace after the mark: `3.5`, `example.com`, the inner dots of `U.S.`.
    let next_start = skip_whitespace(bytes, closers.end);
    if next_start == closers.end || next_start >= bytes.len() {
        return Step::Continue(next_start);
    }
    let Some(start) = sentence_start_at(text, next_start) else {
        return Step::Continue(next_start);
    };
    if mark == Mark::SinglePeriod
        && !closers.has_quote
        && !closers.has_bracket
        && period_is_not_an_end(text, pos, next_start, start)
    {
        return Step::Continue(next_start);
    }
    if closers.has_quote
        && start.first == StartChar::Capital
        && !start.after_opener
        && dialogue_tag_follows(text, next_start)
    {
        return Step::Continue(next_start);
    }
    Step::Boundary {
        end: closers.end,
        next_start,
    }
}

/// Length of the whitespace character at `pos`, or 0. Besides ASCII space, tab, `\r` and `\n`
/// this accepts the no-break space and the typographic spaces (U+2000–U+200A, U+202F), because
/// some e-texts put a no-break space between sentences.
fn whitespace_len(bytes: &[u8], pos: usize) -> usize {
    match bytes.get(pos..).unwrap_or_default() {
        [b' ' | b'\t' | b'\r' | b'\n', ..] => 1,
        [0xC2, 0xA0, ..] => 2,
        [0xE2, 0x80, 0x80..=0x8A | 0xAF, ..] => 3,
        _ => 0,
    }
}

fn skip_whitespace(bytes: &[u8], mut pos: usize) -> usize {
    loop {
        match whitespace_len(bytes, pos) {
            0 => return pos,
            len => pos += len,
        }
    }
}

fn is_whitespace_char(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\r' | '\n' | '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}'
    )
}

/// End of `text` once trailing whitespace is removed, never below `floor`.
fn trim_trailing_whitespace(text: &str, floor: usize) -> usize {
    text.get(floor..).map_or(floor, |tail| {
        floor + tail.trim_end_matches(is_whitespace_char).len()
    })
}

fn has_sequence(bytes: &[u8], pos: usize, sequence: &[u8]) -> bool {
    bytes.get(pos..pos + sequence.len()) == Some(sequence)
}

/// Length of one terminator (`.` `!` `?` `…`) at `pos`, or 0.
fn terminator_len(bytes: &[u8], pos: usize) -> usize {
    match bytes.get(pos) {
        Some(b'.' | b'!' | b'?') => 1,
        _ if has_sequence(bytes, pos, &ELLIPSIS) => ELLIPSIS.len(),
        _ => 0,
    }
}

/// End of the run of terminators starting at `pos` (`?!`, `...`, `!!`), if there is one.
fn terminator_run_end(bytes: &[u8], pos: usize) -> Option<usize> {
    let mut end = pos;
    loop {
        match terminator_len(bytes, end) {
            0 => break,
            len => end += len,
        }
    }
    (end > pos).then_some(end)
}

/// Length of a dash at `pos` (`—`, `–` or `--`), or 0. A single hyphen is not a dash.
fn dash_len(bytes: &[u8], pos: usize) -> usize {
    if has_sequence(bytes, pos, &EM_DASH) || has_sequence(bytes, pos, &EN_DASH) {
        3
    } else if has_sequence(bytes, pos, b"--") {
        2
    } else {
        0
    }
}

/// End of the run of dashes starting at `pos` (`——`, `---`), if there is one.
fn dash_run_end(bytes: &[u8], pos: usize) -> Option<usize> {
    let mut end = pos + dash_len(bytes, pos);
    if end == pos {
        return None;
    }
    loop {
        // Inside a run a lone hyphen continues it, so `---` is one dash.
        let len = match dash_len(bytes, end) {
            0 if bytes.get(end) == Some(&b'-') => 1,
            len => len,
        };
        if len == 0 {
            return Some(end);
        }
        end += len;
    }
}

/// Closing punctuation that belongs to the sentence it follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CloserKind {
    Quote,
    Bracket,
    Underscore,
}

fn closer_at(bytes: &[u8], pos: usize) -> Option<(usize, CloserKind)> {
    match bytes.get(pos)? {
        b'"' | b'\'' => Some((1, CloserKind::Quote)),
        b')' | b']' => Some((1, CloserKind::Bracket)),
        b'_' => Some((1, CloserKind::Underscore)),
        _ if has_sequence(bytes, pos, &RIGHT_DOUBLE_QUOTE)
            || has_sequence(bytes, pos, &RIGHT_SINGLE_QUOTE) =>
        {
            Some((3, CloserKind::Quote))
        }
        _ => None,
    }
}

/// The closers after a mark and what kinds were among them.
struct Closers {
    end: usize,
    has_quote: bool,
    has_bracket: bool,
}

fn scan_closers(bytes: &[u8], from: usize) -> Closers {
    let mut closers = Closers {
        end: from,
        has_quote: false,
        has_bracket: false,
    };
    while let Some((len, kind)) = closer_at(bytes, closers.end) {
        closers.has_quote |= kind == CloserKind::Quote;
        closers.has_bracket |= kind == CloserKind::Bracket;
        closers.end += len;
    }
    closers
}

/// Length of an opening quote, bracket or underscore at `pos`, or 0.
fn opener_len(bytes: &[u8], pos: usize) -> usize {
    match bytes.get(pos) {
        Some(b'"' | b'\'' | b'(' | b'[' | b'_') => 1,
        _ if has_sequence(bytes, pos, &LEFT_DOUBLE_QUOTE)
            || has_sequence(bytes, pos, &LEFT_SINGLE_QUOTE) =>
        {
            3
        }
        _ if has_sequence(bytes, pos, &INVERTED_EXCLAMATION)
            || has_sequence(bytes, pos, &INVERTED_QUESTION) =>
        {
            2
        }
        _ => 0,
    }
}

/// What a following sentence begins with, once any openers are skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StartChar {
    Capital,
    Digit,
    Dash,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct SentenceStart {
    first: StartChar,
    /// True when quotes, brackets or underscores came before `first`.
    after_opener: bool,
}

/// Whether a sentence can begin at `pos`; lowercase (`“Yes!” she said`) cannot.
fn sentence_start_at(text: &str, pos: usize) -> Option<SentenceStart> {
    let bytes = text.as_bytes();
    let mut first_pos = pos;
    loop {
        match opener_len(bytes, first_pos) {
            0 => break,
            len => first_pos += len,
        }
    }
    let after_opener = first_pos > pos;
    let first = if dash_len(bytes, first_pos) > 0 {
        StartChar::Dash
    } else {
        match char_at(text, first_pos)? {
            c if c.is_ascii_digit() => StartChar::Digit,
            c if c.is_uppercase() => StartChar::Capital,
            _ => return None,
        }
    };
    Some(SentenceStart {
        first,
        after_opener,
    })
}

fn char_at(text: &str, pos: usize) -> Option<char> {
    text.get(pos..)?.chars().next()
}

/// Words whose trailing period never ends a sentence, lowercase and without the final period.
static ABBREVIATIONS: WordSet = WordSet::new(&[
    "mr", "mrs", "ms", "messrs", "mme", "mlle", "dr", "prof", "rev", "hon", "jr", "sr", "fr",
    "capt", "col", "gen", "lt", "sgt", "gov", "sen", "rep", "st", "mt", "ave", "rd", "co", "inc",
    "ltd", "vs", "cf", "e.g", "i.e", "viz",
]);

/// Words whose period ends a sentence only before a capitalised word.
static ENDS_ONLY_BEFORE_CAPITAL: WordSet = WordSet::new(&["etc", "a.m", "p.m"]);

/// True when the single period at `period` belongs to an abbreviation or initial rather than
/// ending the sentence. `next_start` and `start` describe what follows the whitespace.
fn period_is_not_an_end(
    text: &str,
    period: usize,
    next_start: usize,
    start: SentenceStart,
) -> bool {
    let Some(word) = word_before_period(text, period) else {
        return false;
    };
    if ENDS_ONLY_BEFORE_CAPITAL.contains_ascii_lowercased(word) {
        return start.first != StartChar::Capital;
    }
    // "No." is an abbreviation before a number (`No. 9`) and an answer otherwise.
    if word.eq_ignore_ascii_case("no") {
        return start.first == StartChar::Digit && !start.after_opener;
    }
    // A lone `I.` is far more often the pronoun (`so did I. We…`) than an initial.
    if word == "I" {
        return initial_follows(text, next_start);
    }
    is_abbreviation(word) || is_initialism(word)
}

/// `Mr`, `Dr`, … or a dotted word ending in one (`end.Mr` after a missing space).
fn is_abbreviation(word: &str) -> bool {
    ABBREVIATIONS.contains_ascii_lowercased(word)
        || word
            .rsplit_once('.')
            .is_some_and(|(_, last)| ABBREVIATIONS.contains_ascii_lowercased(last))
}

/// A single capital (`H`) or dotted single letters of any case (`U.S`, `J.R`).
fn is_initialism(word: &str) -> bool {
    if word.len() == 1 {
        return word.bytes().all(|b| b.is_ascii_uppercase());
    }
    word.contains('.')
        && word
            .split('.')
            .all(|part| part.len() == 1 && part.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// True when the text at `pos` is another initial: a capital letter directly followed by `.`.
fn initial_follows(text: &str, pos: usize) -> bool {
    let bytes = text.as_bytes();
    bytes.get(pos).is_some_and(u8::is_ascii_uppercase) && bytes.get(pos + 1) == Some(&b'.')
}

/// Longest word we bother to test as an abbreviation; longer runs are ordinary words.
const MAX_ABBREVIATION_LEN: usize = 12;

/// The ASCII word (letters and inner dots, as in `U.S` or `a.m`) ending just before `period`,
/// provided it stands alone rather than being the tail of a longer word.
fn word_before_period(text: &str, period: usize) -> Option<&str> {
    let bytes = text.as_bytes();
    let mut start = period;
    while start > 0
        && period - start < MAX_ABBREVIATION_LEN
        && (bytes[start - 1].is_ascii_alphabetic() || bytes[start - 1] == b'.')
    {
        start -= 1;
    }
    while start < period && bytes[start] == b'.' {
        start += 1;
    }
    if start == period || !is_standalone_word_start(text, start) {
        return None;
    }
    text.get(start..period)
}

/// False when the character before `start` makes the word a fragment: a letter or digit
/// (`Andrés` must not yield `s`) or a contraction's apostrophe (`won't` must not yield `t`).
fn is_standalone_word_start(text: &str, start: usize) -> bool {
    let Some(before) = text.get(..start) else {
        return false;
    };
    let mut preceding = before.chars().rev();
    match preceding.next() {
        None => true,
        Some(c) if c.is_alphanumeric() => false,
        Some('\'' | '\u{2019}') => !preceding.next().is_some_and(char::is_alphabetic),
        Some(_) => true,
    }
}

/// Verbs that make a capitalised word after closing quotes a dialogue tag (`Tom asked`).
pub(crate) static SPEECH_VERBS: WordSet = WordSet::new(&[
    "said",
    "says",
    "say",
    "asked",
    "asks",
    "cried",
    "cries",
    "replied",
    "replies",
    "whispered",
    "whispers",
    "shouted",
    "shouts",
    "called",
    "calls",
    "answered",
    "answers",
    "murmured",
    "murmurs",
    "added",
    "adds",
    "exclaimed",
    "exclaims",
    "continued",
    "continues",
    "repeated",
    "repeats",
    "began",
    "begins",
    "demanded",
    "demands",
    "returned",
    "returns",
    "muttered",
    "mutters",
    "laughed",
    "laughs",
    "sighed",
    "sighs",
    "snapped",
    "snaps",
    "yelled",
    "yells",
    "screamed",
    "screams",
    "insisted",
    "insists",
    "agreed",
    "agrees",
    "observed",
    "remarked",
    "interrupted",
    "suggested",
    "explained",
    "declared",
    "protested",
    "responded",
    "inquired",
    "enquired",
    "pleaded",
    "begged",
    "growled",
    "hissed",
    "gasped",
    "stammered",
    "roared",
    "retorted",
    "rejoined",
    "warned",
    "urged",
    "admitted",
    "told",
    "tells",
]);

/// Conjunctions that open a new narrative sentence rather than a dialogue tag.
static NARRATIVE_OPENERS: WordSet = WordSet::new(&["and", "but", "or", "nor", "so", "then", "yet"]);

/// How many words after the quote may precede the speech verb (`Old Tom slowly said`).
const SPEECH_TAG_WORD_LIMIT: usize = 3;
/// Bytes the look-ahead may read, so a run of long words cannot make the scan quadratic.
const SPEECH_TAG_BYTE_LIMIT: usize = 120;

/// True when a speech verb appears within the next few words, before any terminator or quote.
fn dialogue_tag_follows(text: &str, from: usize) -> bool {
    let mut pos = from;
    let mut words_seen = 0;
    while pos - from <= SPEECH_TAG_BYTE_LIMIT {
        let Some(c) = char_at(text, pos) else {
            return false;
        };
        if is_terminator_char(c) || is_quote_char(c) {
            return false;
        }
        if !c.is_alphanumeric() {
            pos += c.len_utf8();
            continue;
        }
        let end = word_end(text, pos);
        let Some(word) = text.get(pos..end) else {
            return false;
        };
        if SPEECH_VERBS.contains_ascii_lowercased(word) {
            return true;
        }
        // A tag opens with its speaker; `And I told him…` is narration that merely starts
        // with a capital.
        if words_seen == 0 && NARRATIVE_OPENERS.contains_ascii_lowercased(word) {
            return false;
        }
        // `Mr. Hale shouted`, `J. Hale said`: step over the title's period without counting it.
        if text.as_bytes().get(end) == Some(&b'.') && (is_abbreviation(word) || is_initialism(word))
        {
            pos = end + 1;
            continue;
        }
        words_seen += 1;
        if words_seen == SPEECH_TAG_WORD_LIMIT {
            return false;
        }
        pos = end;
    }
    false
}

fn is_terminator_char(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '\u{2026}')
}

fn is_quote_char(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '\u{201C}' | '\u{201D}' | '\u{2018}' | '\u{2019}'
    )
}

/// End of the word starting at `start`: letters and digits, joined by inner apostrophes or
/// hyphens (`Mary-Anne`, `O'Hara`).
fn word_end(text: &str, start: usize) -> usize {
    let mut pos = start;
    while let Some(c) = char_at(text, pos) {
        let joins_word = matches!(c, '\'' | '\u{2019}' | '-')
            && char_at(text, pos + c.len_utf8()).is_some_and(char::is_alphanumeric);
        if !(c.is_alphanumeric() || joins_word) {
            break;
        }
        pos += c.len_utf8();
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        split_sentences(text)
            .into_iter()
            .map(|range| &text[range])
            .collect()
    }

    /// Each case: a description, the paragraph, and the exact sentences expected.
    const CASES: &[(&str, &str, &[&str])] = &[
        (
            "plain periods",
            "The rain stopped. Mara opened the shutters.",
            &["The rain stopped.", "Mara opened the shutters."],
        ),
        (
            "question and exclamation",
            "Did you hear that? Run! The gate is open.",
            &["Did you hear that?", "Run!", "The gate is open."],
        ),
        (
            "interrobang run",
            "You sold the mare?! Father will be furious.",
            &["You sold the mare?!", "Father will be furious."],
        ),
        (
            "doubled exclamation",
            "Fire!! Everyone out of the barn.",
            &["Fire!!", "Everyone out of the barn."],
        ),
        (
            "lowercase dialogue tag",
            "“Yes!” she said.",
            &["“Yes!” she said."],
        ),
        (
            "ellipsis before lowercase tag",
            "“Wait…” he said.",
            &["“Wait…” he said."],
        ),
        (
            "capitalised name then speech verb",
            "“Where are you going?” Tom asked.",
            &["“Where are you going?” Tom asked."],
        ),
        (
            "capitalised name without speech verb",
            "“Go.” Tom left the room.",
            &["“Go.”", "Tom left the room."],
        ),
        (
            "tag then new quotation",
            "“Yes,” she said. “Go.”",
            &["“Yes,” she said.", "“Go.”"],
        ),
        (
            "pronoun I as the speaker",
            "“Is it far?” I asked. “Not very,” said the ferryman.",
            &["“Is it far?” I asked.", "“Not very,” said the ferryman."],
        ),
        (
            "speech verb as the third word",
            "“Enough!” Orlo quietly whispered, and the hall fell silent.",
            &["“Enough!” Orlo quietly whispered, and the hall fell silent."],
        ),
        (
            "speech verb too far away",
            "“Enough!” The old captain finally said nothing.",
            &["“Enough!”", "The old captain finally said nothing."],
        ),
        (
            "conjunction after a quote is narration, not a tag",
            "“I saw it.” And I told him everything.",
            &["“I saw it.”", "And I told him everything."],
        ),
        (
            "title inside a dialogue tag",
            "“Stop!” Mr. Brandt shouted. Nobody stopped.",
            &["“Stop!” Mr. Brandt shouted.", "Nobody stopped."],
        ),
        (
            "common titles",
            "Mr. and Mrs. Pellow met Dr. Okafor on St. Agnes Street. They talked.",
            &[
                "Mr. and Mrs. Pellow met Dr. Okafor on St. Agnes Street.",
                "They talked.",
            ],
        ),
        (
            "military and clerical titles",
            "Prof. Lind dined with Capt. Rourke, Rev. Hale, Gen. Tam, Lt. Ash and Sgt. Bly.",
            &["Prof. Lind dined with Capt. Rourke, Rev. Hale, Gen. Tam, Lt. Ash and Sgt. Bly."],
        ),
        (
            "abbreviations are case-insensitive",
            "She asked DR. Mbeki for help. He refused.",
            &["She asked DR. Mbeki for help.", "He refused."],
        ),
        (
            "versus and cf.",
            "It was Kessler vs. Brandt again (cf. Plate 4). Nobody won.",
            &[
                "It was Kessler vs. Brandt again (cf. Plate 4).",
                "Nobody won.",
            ],
        ),
        (
            "e.g. and i.e. before capitals",
            "Bring a fruit, e.g. Figs, or a root, i.e. Turnips. Then rest.",
            &[
                "Bring a fruit, e.g. Figs, or a root, i.e. Turnips.",
                "Then rest.",
            ],
        ),
        (
            "No. before a number",
            "They moved into No. 9 Harrow Lane. It was damp.",
            &["They moved into No. 9 Harrow Lane.", "It was damp."],
        ),
        (
            "No. as an answer",
            "Was he there? No. He had gone north.",
            &["Was he there?", "No.", "He had gone north."],
        ),
        (
            "initials before a surname",
            "She had read every book by T. H. Voss. Then she wrote her own.",
            &[
                "She had read every book by T. H. Voss.",
                "Then she wrote her own.",
            ],
        ),
        (
            "three initials",
            "The letter was signed J. R. K. Amberley and nothing more.",
            &["The letter was signed J. R. K. Amberley and nothing more."],
        ),
        (
            "dotted initialism",
            "He had served the U.S. Navy for a decade.",
            &["He had served the U.S. Navy for a decade."],
        ),
        (
            "pronoun I ends a sentence",
            "Nobody sang, so did I. We laughed.",
            &["Nobody sang, so did I.", "We laughed."],
        ),
        (
            "a.m. before a capital",
            "The coach left at six a.m. She missed it.",
            &["The coach left at six a.m.", "She missed it."],
        ),
        (
            "A.M. before lowercase",
            "At 6 A.M. the next day the bells rang.",
            &["At 6 A.M. the next day the bells rang."],
        ),
        (
            "p.m. before a digit",
            "Between 4 p.m. 5 of them arrived.",
            &["Between 4 p.m. 5 of them arrived."],
        ),
        (
            "etc. before a capital",
            "They sold eggs, flour, salt, etc. The shop closed at dusk.",
            &[
                "They sold eggs, flour, salt, etc.",
                "The shop closed at dusk.",
            ],
        ),
        (
            "etc. before lowercase",
            "Knives, forks, etc. were piled in the sink.",
            &["Knives, forks, etc. were piled in the sink."],
        ),
        (
            "ellipsis before lowercase",
            "I thought… maybe we could stay.",
            &["I thought… maybe we could stay."],
        ),
        (
            "three dots before a capital",
            "I thought... Never mind. Let us go.",
            &["I thought...", "Never mind.", "Let us go."],
        ),
        (
            "ellipsis character before a capital",
            "The lamp went out… Somebody screamed.",
            &["The lamp went out…", "Somebody screamed."],
        ),
        (
            "interrupted dialogue",
            "“I was going to—” He stopped.",
            &["“I was going to—”", "He stopped."],
        ),
        (
            "interrupted dialogue with lowercase tag",
            "“Wait—” she said.",
            &["“Wait—” she said."],
        ),
        (
            "interrupted dialogue with named tag",
            "“But Father—” Lina began, then thought better of it.",
            &["“But Father—” Lina began, then thought better of it."],
        ),
        (
            "double hyphen interruption",
            "\"I only meant--\" Harriet flushed.",
            &["\"I only meant--\"", "Harriet flushed."],
        ),
        (
            "bare em dash",
            "He turned—Lisette was gone. The room—cold, bare—said nothing.",
            &[
                "He turned—Lisette was gone.",
                "The room—cold, bare—said nothing.",
            ],
        ),
        (
            "decimals and times",
            "The scale read 3.5 stone at 10.30 sharp. Odd.",
            &["The scale read 3.5 stone at 10.30 sharp.", "Odd."],
        ),
        (
            "addresses and emails",
            "Write to ink@example.com or visit example.com today. She did.",
            &[
                "Write to ink@example.com or visit example.com today.",
                "She did.",
            ],
        ),
        (
            "no terminator",
            "and then the long silence",
            &["and then the long silence"],
        ),
        (
            "trailing fragment",
            "He ran. Then nothing",
            &["He ran.", "Then nothing"],
        ),
        ("empty input", "", &[]),
        ("whitespace only", "  \r\n\t  ", &[]),
        (
            "surrounding whitespace is trimmed",
            "   The end.   \n",
            &["The end."],
        ),
        (
            "CRLF line breaks",
            "The lamp flickered.\r\nShe reached for the\r\nmatches.",
            &["The lamp flickered.", "She reached for the\r\nmatches."],
        ),
        (
            "hard-wrapped lines",
            "He walked along the\nriver until the light\nfailed. The water\nwas black.",
            &[
                "He walked along the\nriver until the light\nfailed.",
                "The water\nwas black.",
            ],
        ),
        (
            "nested quotes with lowercase tag",
            "“Did she really say ‘never again’?” asked Pim.",
            &["“Did she really say ‘never again’?” asked Pim."],
        ),
        (
            "nested quotes closing together",
            "“He told me, ‘Run!’” Greta shivered.",
            &["“He told me, ‘Run!’”", "Greta shivered."],
        ),
        (
            "underscore italics",
            "It was _her_ fault. _Never_ again would she trust him.",
            &["It was _her_ fault.", "_Never_ again would she trust him."],
        ),
        (
            "italic sentence with closing underscore",
            "_Go home!_ The words echoed.",
            &["_Go home!_", "The words echoed."],
        ),
        (
            "straight double quotes",
            "\"Is it raining?\" Nell asked. \"Yes.\" He shut the door.",
            &[
                "\"Is it raining?\" Nell asked.",
                "\"Yes.\"",
                "He shut the door.",
            ],
        ),
        (
            "straight single quotes",
            "'Fetch the lantern,' said Ona. 'Quickly!'",
            &["'Fetch the lantern,' said Ona.", "'Quickly!'"],
        ),
        (
            "masked markup leaves runs of spaces",
            "She was   very   tired.    He was not.",
            &["She was   very   tired.", "He was not."],
        ),
        (
            "paragraph of dialogue only",
            "“Come in.” “Thank you.” “Sit down, please.”",
            &["“Come in.”", "“Thank you.”", "“Sit down, please.”"],
        ),
        (
            "non-ASCII letters and emoji",
            "Élodie laughed at the 🦜. Ñoño smiled. ¿Café? Sí.",
            &["Élodie laughed at the 🦜.", "Ñoño smiled.", "¿Café?", "Sí."],
        ),
        (
            "accented word is not an initial",
            "She waved at Andrés. Then she went home.",
            &["She waved at Andrés.", "Then she went home."],
        ),
        (
            "contraction is not an initial",
            "He won't. She will.",
            &["He won't.", "She will."],
        ),
        (
            "no-break space between sentences",
            "It warn't so.\u{A0} I tried it. \u{A0}Once more.\u{A0}",
            &["It warn't so.", "I tried it.", "Once more."],
        ),
        (
            "parenthetical sentence",
            "(He had seen it before.) The door creaked.",
            &["(He had seen it before.)", "The door creaked."],
        ),
        (
            "digit starts a sentence",
            "The year was over. 1851 began quietly.",
            &["The year was over.", "1851 began quietly."],
        ),
        (
            "dash starts a sentence",
            "She hesitated. —Then she spoke.",
            &["She hesitated.", "—Then she spoke."],
        ),
        (
            "abbreviation before closing quote ends the sentence",
            "“He is a Dr.” She grinned.",
            &["“He is a Dr.”", "She grinned."],
        ),
    ];

    #[test]
    fn table_of_cases() {
        let mut failures = Vec::new();
        for (name, input, expected) in CASES {
            let got = sentences(input);
            if got != *expected {
                failures.push(format!(
                    "{name}: {input:?}\n  got:      {got:?}\n  expected: {expected:?}"
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn there_are_enough_cases() {
        assert!(CASES.len() >= 35);
    }

    /// Ranges are ordered, non-overlapping, non-empty, trimmed and on char boundaries.
    fn assert_well_formed(text: &str) {
        let ranges = split_sentences(text);
        let mut previous_end = 0;
        for range in &ranges {
            assert!(range.start < range.end, "empty range in {text:?}");
            assert!(range.start >= previous_end, "overlap in {text:?}");
            assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
            let sentence = &text[range.clone()];
            assert_eq!(sentence, sentence.trim_matches(is_whitespace_char));
            previous_end = range.end;
        }
        if !text.trim_matches(is_whitespace_char).is_empty() {
            assert!(!ranges.is_empty(), "no sentence in {text:?}");
        }
    }

    #[test]
    fn ranges_are_well_formed_for_tricky_inputs() {
        let inputs = [
            "...",
            "?!?!",
            "“”",
            "— —",
            "—” A",
            ".…",
            "a.b.c. D",
            "é. É",
            "Mr.",
            " . . . ",
            "'",
            "x\u{2014}\u{201d} \u{1F99C}",
            "“Go!” Mr.",
            "“Go!” J. K.",
            "\u{2026}\u{2026} \u{201c}\u{2018}É",
            "---\" Z",
        ];
        for input in inputs {
            assert_well_formed(input);
        }
        for (_, input, _) in CASES {
            assert_well_formed(input);
        }
    }

    /// Pseudo-random paragraphs stitched from the awkward pieces the rules react to.
    #[test]
    fn ranges_are_well_formed_for_generated_inputs() {
        const PIECES: &[&str] = &[
            "Mr", ".", " ", "“", "”", "‘", "’", "…", "—", "–", "é", "A", "a", "I", "?", "!", "'",
            "\"", "_", "\r\n", "--", "3", "🦜", "(", ")", "said", "Tom", "no", "a.m", "¿", "\t",
            "\u{A0}",
        ];
        let mut random = crate::testing::Xorshift::new();
        let mut text = String::new();
        for _ in 0..2000 {
            text.clear();
            let length = random.next() % 40;
            for _ in 0..length {
                text.push_str(random.pick::<&str>(PIECES));
            }
            assert_well_formed(&text);
        }
    }
}
