//! Aho-Corasick automata searched for every match, overlapping ones
//! included, in one loop of our own over the haystack.
//!
//! `aho_corasick`'s own overlapping iterator keeps its position in a state
//! it stores and reloads around every byte (it must be able to stop at any
//! match and resume), which made it 16 instructions a byte on prose: the
//! phrase automaton, the pattern gate and the draft-marker gate together
//! read every byte of a manuscript three times, and that loop was 7% of a
//! run. Here the loop keeps its state in registers and hands each match to
//! a closure; the automata and so the matches are the crate's, in the order
//! its iterator gives them (by end, then as the state lists them).

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::{contiguous, noncontiguous};
use aho_corasick::{Anchored, BuildError, MatchKind, StartKind, dfa};

/// One automaton over a list of byte-string patterns, with standard
/// (all matches) semantics.
#[derive(Clone, Debug)]
pub struct Overlapping {
    searcher: Searcher,
}

#[derive(Clone, Debug)]
enum Searcher {
    /// The quickest to search: one table look-up a byte. Its table is a
    /// state per pattern byte times the alphabet, so it is built for few
    /// patterns or for searches long enough to repay the build.
    Dfa(dfa::DFA),
    /// Compact, quick to build, a little slower to search (failure
    /// transitions).
    Contiguous(contiguous::NFA),
    /// What is left when too many states for the others.
    Noncontiguous(noncontiguous::NFA),
}

/// Up to this many patterns, [`Overlapping::new`] builds a DFA whatever is
/// asked: their table is small (a gate's literals are words, a few states
/// each), and built in well under a millisecond. At aho-corasick's own
/// bound, 100, draft-marker's gate (placeholders in four languages, some
/// with their case variants) went one literal over, and its search as a
/// contiguous NFA took 80 ms of a corpus run against 13.
const FEW_PATTERNS: usize = 256;

impl Overlapping {
    /// The automaton of `patterns`, matching ASCII letters in either case
    /// when `ascii_case_insensitive`. `dfa`: build the DFA whatever the
    /// number of patterns, for a search of megabytes (it takes several
    /// times as long to build and as much memory); it falls back to an NFA
    /// if the DFA cannot be built.
    ///
    /// Errors: the patterns need more states than any automaton can hold.
    pub fn new<I, P>(
        patterns: I,
        ascii_case_insensitive: bool,
        dfa: bool,
    ) -> Result<Self, BuildError>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<[u8]>,
    {
        // No prefilter: with one, start states count as special, and the
        // loop would stop at every return to the start state (most bytes of
        // prose) to ask it for the next candidate.
        let nfa = noncontiguous::Builder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(ascii_case_insensitive)
            .prefilter(false)
            .build(patterns)?;
        if dfa || nfa.patterns_len() <= FEW_PATTERNS {
            let built = dfa::Builder::new()
                .start_kind(StartKind::Unanchored)
                .build_from_noncontiguous(&nfa);
            if let Ok(dfa) = built {
                return Ok(Overlapping {
                    searcher: Searcher::Dfa(dfa),
                });
            }
        }
        let searcher = match contiguous::Builder::new().build_from_noncontiguous(&nfa) {
            Ok(contiguous) => Searcher::Contiguous(contiguous),
            Err(_) => Searcher::Noncontiguous(nfa),
        };
        Ok(Overlapping { searcher })
    }

    /// Whether this is the DFA (see [`Overlapping::new`]).
    pub fn is_dfa(&self) -> bool {
        matches!(self.searcher, Searcher::Dfa(_))
    }

    /// The length (bytes) of the longest pattern.
    pub fn max_pattern_len(&self) -> usize {
        match &self.searcher {
            Searcher::Dfa(a) => a.max_pattern_len(),
            Searcher::Contiguous(a) => a.max_pattern_len(),
            Searcher::Noncontiguous(a) => a.max_pattern_len(),
        }
    }

    /// Calls `each(pattern, start, end)` for every match in `haystack`
    /// (byte offsets into it; `pattern` indexes the list the automaton was
    /// built from), overlapping ones included: in order of end, and at one
    /// end in the order `aho_corasick`'s overlapping iterator gives them.
    ///
    /// A haystack of megabytes is read a [`PIECE`] at a time, each begun as
    /// many bytes early as the longest pattern (see [`each_match`]): the
    /// matches that wait for their turn are those of one piece.
    pub fn for_each_match(&self, haystack: &[u8], mut each: impl FnMut(usize, usize, usize)) {
        let lead = self.max_pattern_len();
        let mut owned = 0usize;
        loop {
            let to = owned.saturating_add(PIECE).min(haystack.len());
            let from = owned.saturating_sub(lead);
            let mut own = |pattern, start, end| {
                if from + end > owned || owned == 0 {
                    each(pattern, from + start, from + end);
                }
            };
            let piece = &haystack[from..to];
            match &self.searcher {
                Searcher::Dfa(a) => each_match(a, piece, &mut own),
                Searcher::Contiguous(a) => each_match(a, piece, &mut own),
                Searcher::Noncontiguous(a) => each_match(a, piece, &mut own),
            }
            if to == haystack.len() {
                return;
            }
            owned = to;
        }
    }
}

/// How many stretches of a haystack [`each_match`] reads side by side
/// (its loop is written out for four).
const LANES: usize = 4;

/// How much of a haystack (bytes) [`Overlapping::for_each_match`] reads
/// at a time.
const PIECE: usize = 4 << 20;

/// Haystacks shorter than this (bytes) are read in one stretch: the
/// matches of the others wait in a list, which is not worth it for a
/// paragraph.
const INTERLEAVED_FROM: usize = 4096;

/// The loop of [`Overlapping::for_each_match`], made for each automaton.
///
/// Each step of an automaton waits on the last (the next state is looked
/// up from the state before), so one pass over the text runs at the speed
/// of a memory load a byte, whatever the instruction count. A long
/// haystack is therefore cut into [`LANES`] stretches, read side by side so
/// their look-ups overlap. An automaton's state after a byte is the longest
/// suffix of the text read so far that begins some pattern, never longer
/// than the longest pattern: a stretch read from that many bytes before
/// its start is in the state one pass would be in from its first byte on.
/// Each stretch reports the matches that end inside it; the first reports
/// them as found, the others once it is done, so they come in one pass's
/// order.
#[inline(never)]
fn each_match<A: Automaton>(
    automaton: &A,
    haystack: &[u8],
    each: &mut dyn FnMut(usize, usize, usize),
) {
    let Ok(start) = automaton.start_state(Anchored::No) else {
        return;
    };
    let lead = automaton.max_pattern_len();
    let n = haystack.len();
    // The start state matches only an empty pattern, which matches at every
    // position: rare enough to read in one pass.
    if automaton.is_match(start) || n < INTERLEAVED_FROM.max(LANES * 4 * lead) {
        report(automaton, start, 0, each);
        read(automaton, start, haystack, 0, 0, each);
        return;
    }
    // Stretch `l` owns the ends in `bounds[l]..=bounds[l + 1]` (the first
    // one from 0), read from `lead` bytes before.
    let bounds: [usize; LANES + 1] = std::array::from_fn(|l| l * n / LANES);
    let from: [usize; LANES] = std::array::from_fn(|l| bounds[l].saturating_sub(lead));
    let steps = (0..LANES)
        .map(|l| bounds[l + 1] - from[l])
        .min()
        .unwrap_or(0);
    let mut later: [Vec<(usize, usize, usize)>; LANES] = Default::default();
    let lanes: [&[u8]; LANES] = std::array::from_fn(|l| &haystack[from[l]..from[l] + steps]);
    // Written out lane by lane so that the states stay in registers: each
    // step's look-ups are independent of each other.
    let [mut s0, mut s1, mut s2, mut s3] = [start; LANES];
    let bytes = lanes[0].iter().zip(lanes[1]).zip(lanes[2]).zip(lanes[3]);
    for (step, (((&b0, &b1), &b2), &b3)) in bytes.enumerate() {
        s0 = automaton.next_state(Anchored::No, s0, b0);
        s1 = automaton.next_state(Anchored::No, s1, b1);
        s2 = automaton.next_state(Anchored::No, s2, b2);
        s3 = automaton.next_state(Anchored::No, s3, b3);
        // Without a prefilter only dead and match states are special; no
        // state is dead in a search for every match.
        let special = [s0, s1, s2, s3].map(|s| automaton.is_special(s));
        if special == [false; LANES] {
            continue;
        }
        for (lane, state) in [s0, s1, s2, s3].into_iter().enumerate() {
            let at = from[lane] + step;
            if !special[lane] || at < bounds[lane] {
                continue;
            }
            if lane == 0 {
                report(automaton, state, at + 1, each);
            } else {
                report(automaton, state, at + 1, &mut |p, s, e| {
                    later[lane].push((p, s, e))
                });
            }
        }
    }
    let states = [s0, s1, s2, s3];
    // Each stretch's rest, one after the other.
    read(
        automaton,
        states[0],
        &haystack[..bounds[1]],
        from[0] + steps,
        0,
        each,
    );
    for lane in 1..LANES {
        let mut found = std::mem::take(&mut later[lane]);
        let mut push = |p, s, e| found.push((p, s, e));
        let (state, at) = (states[lane], from[lane] + steps);
        read(
            automaton,
            state,
            &haystack[..bounds[lane + 1]],
            at,
            bounds[lane],
            &mut push,
        );
        for (pattern, start, end) in found {
            each(pattern, start, end);
        }
    }
}

/// Reads `haystack` from `at` in `state`, reporting the matches that end
/// after `owned`.
#[inline(always)]
fn read<A: Automaton>(
    automaton: &A,
    mut state: aho_corasick::automaton::StateID,
    haystack: &[u8],
    at: usize,
    owned: usize,
    each: &mut (impl FnMut(usize, usize, usize) + ?Sized),
) {
    for (at, &byte) in haystack.iter().enumerate().skip(at) {
        state = automaton.next_state(Anchored::No, state, byte);
        if automaton.is_special(state) && at >= owned {
            report(automaton, state, at + 1, each);
        }
    }
}

/// Reports the matches of `state`, all ending at `end`.
#[inline(always)]
fn report<A: Automaton>(
    automaton: &A,
    state: aho_corasick::automaton::StateID,
    end: usize,
    each: &mut (impl FnMut(usize, usize, usize) + ?Sized),
) {
    if !automaton.is_match(state) {
        return;
    }
    for index in 0..automaton.match_len(state) {
        let pattern = automaton.match_pattern(state, index);
        each(
            pattern.as_usize(),
            end - automaton.pattern_len(pattern),
            end,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::AhoCorasick;

    /// What `aho_corasick`'s own overlapping iterator finds.
    fn expected(
        patterns: &[&str],
        case_insensitive: bool,
        haystack: &str,
    ) -> Vec<(usize, usize, usize)> {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(case_insensitive)
            .build(patterns)
            .unwrap();
        ac.find_overlapping_iter(haystack)
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect()
    }

    /// The automaton of `patterns` as each kind of searcher.
    fn every_kind(patterns: &[&str], case_insensitive: bool) -> [Overlapping; 3] {
        let nfa = noncontiguous::Builder::new()
            .ascii_case_insensitive(case_insensitive)
            .prefilter(false)
            .build(patterns)
            .unwrap();
        let dfa = dfa::Builder::new().build_from_noncontiguous(&nfa).unwrap();
        let contiguous = contiguous::Builder::new()
            .build_from_noncontiguous(&nfa)
            .unwrap();
        [
            Searcher::Dfa(dfa),
            Searcher::Contiguous(contiguous),
            Searcher::Noncontiguous(nfa),
        ]
        .map(|searcher| Overlapping { searcher })
    }

    fn found(automaton: &Overlapping, haystack: &str) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        automaton.for_each_match(haystack.as_bytes(), |p, s, e| found.push((p, s, e)));
        found
    }

    #[test]
    fn every_kind_finds_what_the_crates_iterator_finds() {
        let patterns = ["he", "she", "hers", "his", "s", "ushers", "the end", "é"];
        let haystack = "Ushers? She said his was hers, and THE END was the end. Café.";
        for case_insensitive in [false, true] {
            let want = expected(&patterns, case_insensitive, haystack);
            assert!(want.len() > 10, "{want:?}");
            assert!(
                Overlapping::new(patterns, case_insensitive, true)
                    .unwrap()
                    .is_dfa()
            );
            for automaton in every_kind(&patterns, case_insensitive) {
                assert_eq!(found(&automaton, haystack), want, "{automaton:?}");
            }
        }
    }

    /// Long haystacks are read in stretches side by side: matches across a
    /// stretch's start, and many at one end, come once each, in order.
    #[test]
    fn stretches_read_side_by_side_find_what_one_pass_finds() {
        // A small alphabet, so that patterns match often and across every
        // boundary between stretches.
        let mut seed = 7u32;
        let haystack: String = (0..20_011)
            .map(|_| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                ['a', 'b', 'A', ' ', 'c'][(seed >> 16) as usize % 5]
            })
            .collect();
        let patterns = [
            "a",
            "ab",
            "b a",
            "abab",
            "aaaaaa",
            "c ",
            "bcab",
            "ba c aa b",
        ];
        for case_insensitive in [false, true] {
            let want = expected(&patterns, case_insensitive, &haystack);
            assert!(want.len() > 5_000, "{}", want.len());
            for automaton in every_kind(&patterns, case_insensitive) {
                for len in [0, 1, 4095, 4096, 9_999, 20_011] {
                    let part = &haystack[..len];
                    let want = expected(&patterns, case_insensitive, part);
                    assert_eq!(found(&automaton, part), want, "{len} bytes");
                }
            }
        }
    }

    /// A haystack of several pieces: matches across a piece's start come
    /// once each, and the empty pattern's at every position.
    #[test]
    fn pieces_of_a_long_haystack_find_what_one_pass_finds() {
        let haystack = "ab ".repeat(PIECE / 3 + 5);
        for patterns in [&["ab a", "b", " ab ab"][..], &["", "ab"][..]] {
            let want = expected(patterns, false, &haystack);
            for automaton in every_kind(patterns, false) {
                assert_eq!(found(&automaton, &haystack), want, "{patterns:?}");
            }
        }
    }

    #[test]
    fn many_patterns_make_an_nfa_unless_a_dfa_is_asked_for() {
        let patterns: Vec<String> = (0..300).map(|i| format!("word{i} ")).collect();
        let haystack: String = (0..400).map(|i| format!("word{i} ")).collect();
        let nfa = Overlapping::new(&patterns, false, false).unwrap();
        assert!(!nfa.is_dfa());
        let dfa = Overlapping::new(&patterns, false, true).unwrap();
        assert!(dfa.is_dfa());
        let refs: Vec<&str> = patterns.iter().map(String::as_str).collect();
        let want = expected(&refs, false, &haystack);
        assert_eq!(want.len(), 300);
        assert_eq!(found(&nfa, &haystack), want);
        assert_eq!(found(&dfa, &haystack), want);
        assert_eq!(nfa.max_pattern_len(), "word299 ".len());
    }

    #[test]
    fn an_empty_pattern_matches_at_every_position() {
        let automaton = Overlapping::new(["", "a"], false, false).unwrap();
        assert_eq!(found(&automaton, "ba"), expected(&["", "a"], false, "ba"));
    }
}
