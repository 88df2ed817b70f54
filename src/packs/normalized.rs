//! The prose as the phrase automaton reads it: whitespace runs collapsed to
//! one space and curly apostrophes made straight, with the way back to the
//! prose's offsets.
//!
//! It is built a window at a time (see [`windows`]): a whole normalised copy
//! and its lowercase twin were two more copies of the chapter at the run's
//! peak memory, 200 MB for a 100 MB chapter.

/// One window of the normalised prose, as [`windows`] hands it out.
pub(super) struct Window<'a> {
    /// The normalised text from [`Window::base`] on.
    pub text: &'a str,
    /// Where `text` starts in the whole normalised prose (bytes).
    base: usize,
    /// The match ends this window answers for: `(after, up_to]`, offsets in
    /// the whole normalised prose. Together the windows' ranges cover every
    /// end once, and each window holds everything a match ending in its
    /// range needs (see [`windows`]).
    ends: (usize, usize),
    map: &'a OffsetMap,
}

impl Window<'_> {
    /// Whether a match of the window ending at `end` (offset in `text`) is
    /// this window's to report.
    pub fn answers_for(&self, end: usize) -> bool {
        let end = self.base + end;
        self.ends.0 < end && end <= self.ends.1
    }

    /// The prose offset of the character boundary at `offset` in `text`.
    pub fn prose_offset(&self, offset: usize) -> usize {
        self.map.get(self.base + offset)
    }
}

/// Calls `visit` with the normalised prose in windows of about `size`
/// bytes of prose each. A window starts at least `context` bytes before
/// the first match end it answers for, and holds the whole character after
/// the last: a match of at most `context - 4` bytes has its text and the
/// characters on both sides in the window that answers for its end. One
/// window when the prose is shorter than `size`.
pub(super) fn windows(prose: &str, size: usize, context: usize, mut visit: impl FnMut(&Window)) {
    let mut normalized = Normalizer::default();
    let (mut read, mut answered) = (0usize, 0);
    loop {
        let mut next = read.saturating_add(size.max(1)).min(prose.len());
        while !prose.is_char_boundary(next) {
            next += 1;
        }
        normalized.push(&prose[read..next], read);
        read = next;
        let end = normalized.base + normalized.text.len();
        let last = read == prose.len();
        if last {
            normalized.finish(read);
        }
        // A match ending at the window's end might go on, or be followed by
        // a letter, in the prose still to read.
        let up_to = if last { end } else { answered.max(end - 1) };
        visit(&Window {
            text: &normalized.text,
            base: normalized.base,
            ends: (answered, up_to),
            map: &normalized.map,
        });
        if last {
            return;
        }
        answered = up_to;
        normalized.keep_from(answered.saturating_sub(context));
    }
}

/// The normalised prose read so far, from `base` on.
#[derive(Default)]
struct Normalizer {
    text: String,
    base: usize,
    in_space: bool,
    map: OffsetMap,
}

impl Normalizer {
    /// Appends `piece`, the prose from offset `at` on.
    fn push(&mut self, piece: &str, at: usize) {
        let mut i = 0;
        while i < piece.len() {
            // A run of characters kept as they are is copied at once, and
            // its start recorded: the rest of it runs in step.
            let run = kept_run(&piece[i..], self.in_space);
            if run > 0 {
                self.in_space = false;
                self.map.record(self.base + self.text.len(), at + i);
                self.text.push_str(&piece[i..i + run]);
                i += run;
                continue;
            }
            let c = piece[i..].chars().next().expect("not at the end");
            if c.is_whitespace() {
                if !self.in_space {
                    self.map.record(self.base + self.text.len(), at + i);
                    self.text.push(' ');
                }
                self.in_space = true;
            } else {
                // A curly apostrophe: `kept_run` stops at nothing else.
                self.in_space = false;
                self.map.record(self.base + self.text.len(), at + i);
                self.text.push('\'');
            }
            i += c.len_utf8();
        }
    }

    /// Notes where the normalised prose ends: at `prose_len`.
    fn finish(&mut self, prose_len: usize) {
        self.map.record(self.base + self.text.len(), prose_len);
    }

    /// Forgets the text before offset `from` of the whole normalised prose
    /// (or before the character boundary under it).
    fn keep_from(&mut self, from: usize) {
        let mut local = from.saturating_sub(self.base).min(self.text.len());
        while !self.text.is_char_boundary(local) {
            local -= 1;
        }
        self.text.drain(..local);
        self.base += local;
        self.map.forget_before(self.base);
    }
}

/// Bytes at the start of `text` that normalising leaves as they are: up to
/// the first whitespace or curly apostrophe, reading on over a space
/// between two words (`in_space`: whether the text before was whitespace),
/// so that a paragraph is copied whole rather than word by word.
fn kept_run(text: &str, in_space: bool) -> usize {
    let bytes = text.as_bytes();
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
    let mut i = 0;
    loop {
        // Eight bytes at a time up to one that may stop the run (prose is
        // mostly lines of words and lone spaces): a byte at a time, this
        // loop was four fifths of the phrase scan's own time.
        while let Some(eight) = bytes.get(i..i + 8) {
            let eight = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
            let stops = may_stop(eight, i == 0 && in_space);
            if stops != 0 {
                i += stops.trailing_zeros() as usize / 8;
                break;
            }
            i += 8;
        }
        // That character, read in full (or one of the last few).
        let Some(&byte) = bytes.get(i) else {
            return i;
        };
        if byte.is_ascii() {
            if is_space(byte) {
                // One space after a kept character and before an ASCII one
                // that is not a space is kept as it is.
                let lone = byte == b' '
                    && (i > 0 || !in_space)
                    && bytes
                        .get(i + 1)
                        .is_some_and(|&b| b.is_ascii() && !is_space(b));
                if !lone {
                    return i;
                }
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().expect("at a character boundary");
        if c.is_whitespace() || c == '’' || c == '‘' {
            return i;
        }
        i += c.len_utf8();
    }
}

/// The high bit of each of eight bytes (read little-end first) at which
/// [`kept_run`] must look closer, never clear at or before the first byte
/// it stops at (it may be set at bytes it would keep): a byte beyond ASCII (a curly apostrophe or a space
/// of Unicode's, or a letter), a whitespace control (`\t` to `\r`), and a
/// space that may not be lone (followed by one of those or a space, or the
/// last of the eight). `space_first`: a space as the first byte is not lone
/// either (the text before was whitespace). Byte-wise arithmetic on the
/// low seven bits, which never carries from one byte into the next.
fn may_stop(eight: u64, space_first: bool) -> u64 {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    let high = eight & HIGH;
    let low = eight & !HIGH;
    // Bytes from 0x09 (`\t`) up to 0x0d (`\r`): at least 9 and not at
    // least 14. Adding to a byte below 0x80 sets its high bit at the bound.
    let controls = (low + ONES * (0x80 - 0x09)) & !(low + ONES * (0x80 - 0x0e)) & HIGH;
    // The high bit of each space: of each byte that is zero after the XOR
    // (adding 0x7f to a byte below 0x80 sets its high bit unless it is 0).
    let x = low ^ (ONES * b' ' as u64);
    let spaces = !(x + !HIGH) & HIGH;
    let first = if space_first { 0x80 } else { 0 };
    let next_not_plain = (high | controls | spaces) >> 8;
    high | controls | (spaces & (next_not_plain | (0x80 << 56) | first))
}

/// Offsets in a normalised text → offsets in the text it came from, as the
/// points where the two stop running in step (after a collapsed space or a
/// folded apostrophe): a few bytes per change instead of four per byte of
/// text, which made the pack scan the largest allocation of a long chapter.
#[derive(Debug, Default)]
struct OffsetMap {
    /// `(normalised offset, original offset)`, both increasing.
    steps: Vec<(u32, u32)>,
}

impl OffsetMap {
    /// Notes that the character at `norm` in the normalised text is at
    /// `original` (a no-op where the texts run in step).
    fn record(&mut self, norm: usize, original: usize) {
        let (norm, original) = (norm as u32, original as u32);
        let in_step = self
            .steps
            .last()
            .is_some_and(|&(n, o)| original - o == norm - n);
        if !in_step {
            self.steps.push((norm, original));
        }
    }

    /// The original offset of the character boundary at `norm`.
    fn get(&self, norm: usize) -> usize {
        let norm = norm as u32;
        let at = self.steps.partition_point(|&(n, _)| n <= norm);
        let (n, o) = self.steps[at.saturating_sub(1)];
        (o + (norm - n)) as usize
    }

    /// Drops the steps no offset from `norm` on needs.
    fn forget_before(&mut self, norm: usize) {
        let at = self.steps.partition_point(|&(n, _)| n as usize <= norm);
        self.steps.drain(..at.saturating_sub(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The normalised prose in one window, and its map.
    fn whole(prose: &str) -> (String, Vec<usize>) {
        let mut out = None;
        windows(prose, usize::MAX / 2, 0, |w| {
            let boundaries = w
                .text
                .char_indices()
                .map(|(i, _)| i)
                .chain([w.text.len()])
                .map(|b| w.prose_offset(b))
                .collect();
            out = Some((w.text.to_string(), boundaries));
        });
        out.unwrap()
    }

    #[test]
    fn normalization_keeps_offsets() {
        let prose = "a  don’t\n b";
        let mut found = None;
        windows(prose, 1 << 20, 8, |w| {
            assert_eq!(w.text, "a don't b");
            let s = w.text.find("don't").unwrap();
            found = Some(w.prose_offset(s)..w.prose_offset(s + "don't".len()));
        });
        assert_eq!(&prose[found.unwrap()], "don’t");
    }

    /// The normalised text and where each of its characters starts in
    /// `prose` (and the end), by a plain walk over the characters.
    fn plain_walk(prose: &str) -> (String, Vec<usize>) {
        let mut starts = Vec::new();
        let mut text = String::new();
        let mut in_space = false;
        for (i, c) in prose.char_indices() {
            if c.is_whitespace() {
                if !in_space {
                    starts.push(i);
                    text.push(' ');
                }
                in_space = true;
            } else {
                in_space = false;
                starts.push(i);
                text.push(if matches!(c, '’' | '‘') { '\'' } else { c });
            }
        }
        starts.push(prose.len());
        (text, starts)
    }

    /// Every character boundary of the normalised text maps to where that
    /// character starts in the original (and the end to the end).
    #[test]
    fn every_boundary_maps_to_its_character() {
        for prose in [
            "",
            "   ",
            "a  don’t\n b ",
            "\u{a0}‘Ça’ — naïve\t\t café’s  end",
            "日本  語’’x\n\n\ny",
            "a\x0bb\x0cc\r\nd\u{85}e\u{2028}f\u{3000}g\u{202f}h‘‘",
            "a b c",
            " a b",
            "a \tb \nc  d",
            "a ’b ‘c é\u{a0}d —e",
        ] {
            assert_eq!(whole(prose), plain_walk(prose), "{prose:?}");
        }
    }

    /// The same over pseudo-random text of spaces, words and the
    /// characters normalising changes, read in windows of many sizes.
    #[test]
    fn windows_normalise_random_text_as_a_plain_walk() {
        const PIECES: &[&str] = &[
            // Spaces twice, as they are in prose: runs of them are the
            // normaliser's work.
            "a", "bc", " ", " ", "\t", "\n", "’", "‘", "é", "\u{a0}", "—", "'",
        ];
        let mut next = crate::testing::pseudo_random(77);
        for _ in 0..500 {
            let prose: String = (0..next(30))
                .map(|_| PIECES[next(PIECES.len() as u32) as usize])
                .collect();
            let (text, starts) = plain_walk(&prose);
            assert_eq!(whole(&prose), (text.clone(), starts.clone()), "{prose:?}");
            for size in [1, 2, 3, 7] {
                let mut answered = String::new();
                windows(&prose, size, 8, |w| {
                    for (i, c) in w.text.char_indices() {
                        if w.answers_for(i + c.len_utf8()) {
                            assert_eq!(
                                w.prose_offset(i),
                                starts[text[..w.base + i].chars().count()]
                            );
                            answered.push(c);
                        }
                    }
                });
                assert_eq!(answered, text, "{prose:?} in windows of {size}");
            }
        }
    }

    /// `kept_run` read a byte at a time, as before its eight-byte steps.
    fn kept_run_by_byte(text: &str, in_space: bool) -> usize {
        let bytes = text.as_bytes();
        let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii() {
                let lone = bytes[i] == b' '
                    && (i > 0 || !in_space)
                    && bytes
                        .get(i + 1)
                        .is_some_and(|&b| b.is_ascii() && !is_space(b));
                if is_space(bytes[i]) && !lone {
                    return i;
                }
                i += 1;
                continue;
            }
            let c = text[i..].chars().next().unwrap();
            if c.is_whitespace() || c == '’' || c == '‘' {
                return i;
            }
            i += c.len_utf8();
        }
        i
    }

    /// The eight-byte steps stop where the byte-by-byte reading does, with
    /// every kind of byte at every place of an eight (and across two).
    #[test]
    fn kept_runs_read_eight_bytes_at_a_time_as_one() {
        const PIECES: &[&str] = &[
            "a", "word", "Zz9", " ", " ", " ", "\t", "\n", "\r", "\x0b", "\x0c", "\x08", "\x0e",
            "\x1f", "!", "~", "\x7f", "’", "é", "\u{a0}",
        ];
        let mut next = crate::testing::pseudo_random(808);
        for _ in 0..20_000 {
            let text: String = (0..next(24))
                .map(|_| PIECES[next(PIECES.len() as u32) as usize])
                .collect();
            for in_space in [false, true] {
                assert_eq!(
                    kept_run(&text, in_space),
                    kept_run_by_byte(&text, in_space),
                    "{text:?} {in_space}"
                );
            }
        }
        // A long line is read in eights up to its first stop.
        let line = "It was the best of times, it was the worst of times,\nit was";
        assert_eq!(kept_run(line, false), line.find('\n').unwrap());
        assert_eq!(kept_run(" a line", true), 0);
        assert_eq!(kept_run("a line  of", false), 6);
    }

    /// Small windows, of any size, give the text and offsets of one window:
    /// each answers for the ends after the last one's, every end is
    /// answered for once, and the context before it and the character
    /// after it are in the window.
    #[test]
    fn windows_of_any_size_tile_the_whole() {
        let prose = "‘Don’t,’ she said.\n\n  Naïve  café — 日本語’s end…\t\tgo ’";
        let (norm, map) = whole(prose);
        let char_ends: Vec<usize> = norm.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
        for size in [1, 2, 3, 5, 8, 13, 64] {
            for context in [4, 9] {
                let mut answered = Vec::new();
                windows(prose, size, context, |w| {
                    assert_eq!(w.text, &norm[w.base..w.base + w.text.len()], "size {size}");
                    let window_end = w.base + w.text.len();
                    for (i, c) in w.text.char_indices() {
                        let end = i + c.len_utf8();
                        if w.base + end == window_end && window_end < norm.len() {
                            // Where the prose read so far ends: the next
                            // window tells where the boundary is.
                            assert!(!w.answers_for(end));
                            continue;
                        }
                        assert_eq!(
                            w.prose_offset(end),
                            map[norm[..w.base + end].chars().count()]
                        );
                        if w.answers_for(end) {
                            answered.push(w.base + end);
                            assert!(w.base == 0 || end > context, "size {size}");
                        }
                    }
                });
                assert_eq!(answered, char_ends, "size {size}, context {context}");
            }
        }
    }
}
