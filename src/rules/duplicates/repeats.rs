//! Repeated sentences and passages: a sentence written again word for word,
//! or a run of words that two different sentences share (“She counted the
//! carts that still tried to get through …” inside a longer sentence in
//! another chapter).
//!
//! Two kinds of seed find the places, in one pass over the manuscript and no
//! sentence-by-sentence comparison:
//! - every sentence of at least `min-words` words is hashed; equal hashes are
//!   repeated sentences (a short one counts only with enough rare words);
//! - every run of `min-run-words` words (a window over the paragraph's
//!   words) is hashed with a rolling hash; equal hashes are shared runs.
//!
//! Each pair of seeds is extended to the longest run of equal words around
//! it, within the paragraphs, so a repeat is found once whatever its length.
//! Pairs inside paragraphs `duplicate-paragraph` reports are dropped (one
//! defect, one finding), and so is a pair inside a longer repeated pair at
//! the same places. What is left is grouped by its words: a sentence written
//! three times is one [`Repeat`] with three places.
//!
//! A run that overlaps its own copy (in one paragraph, longer than the
//! distance between the two) is text written several times in a row: “S S S”
//! matches itself one sentence on, as “S S” against “S S”. It is cut into
//! its copies ([`InARow`]), so a sentence pasted three times is one repeat
//! with three places, not two sentences written twice.

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use unicode_segmentation::UnicodeSegmentation;

use std::ops::Range;

use super::merge::groups_by_key;
use super::seen_twice::SeenTwice;
use super::{Detection, Para, Passage, Repeat, SentenceParams, rare_words, word_hash};
use crate::text::Manuscript;

/// A bucket of equal seeds larger than this is paired as a chain (each
/// place with the one before) and a star across paragraphs (the first place
/// with the first place of every other paragraph), not all with all: a
/// refrain used a hundred times must not make five thousand pairs, and a
/// sentence pasted thousands of times into one paragraph must not make
/// pairs whose runs span the whole paragraph.
const ALL_PAIRS_UP_TO: usize = 16;

/// Multiplier of the rolling window hash (odd, so it is invertible).
const BASE: u64 = 0x0000_0100_0000_01b3;

/// Where a seed sits: paragraph index and word offset in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct At {
    para: u32,
    word: u32,
}

/// A place: paragraph index and its `[start, end)` words.
type Place = (u32, (u32, u32));

/// A pair of equal runs: paragraph and `[start, end)` words of each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct RunPair {
    a: u32,
    a_words: (u32, u32),
    b: u32,
    b_words: (u32, u32),
}

impl RunPair {
    fn len(&self) -> usize {
        (self.a_words.1 - self.a_words.0) as usize
    }
}

/// Copies one after another in one paragraph: the `period` words from
/// `start`, written `copies` times (two or more) in a row. The equal text
/// runs on to `end` (a part of one more copy may follow the last whole one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct InARow {
    para: u32,
    start: u32,
    period: u32,
    copies: u32,
    end: u32,
}

impl InARow {
    /// The copies of a run that overlaps its own copy (`pair.a == pair.b`,
    /// `pair.b_words` starting inside `pair.a_words`).
    fn of(pair: &RunPair) -> InARow {
        let period = pair.b_words.0 - pair.a_words.0;
        let end = pair.b_words.1;
        InARow {
            para: pair.a,
            start: pair.a_words.0,
            period,
            copies: (end - pair.a_words.0) / period,
            end,
        }
    }

    /// The words of each copy.
    fn places(&self) -> impl Iterator<Item = Place> + '_ {
        (0..self.copies).map(|i| {
            let start = self.start + i * self.period;
            (self.para, (start, start + self.period))
        })
    }

    /// Whether `a` and `b` (paragraph, words) are two of these copies, or
    /// equal runs of them a whole number of copies apart: the same text
    /// found again on another diagonal.
    fn holds(&self, a: Place, b: Place) -> bool {
        let inside = |(para, (start, end)): Place| {
            para == self.para && self.start <= start && end <= self.end
        };
        inside(a) && inside(b) && b.1.0.abs_diff(a.1.0).is_multiple_of(self.period)
    }
}

/// A run grown from a seed: a pair of places, or copies in a row.
#[derive(Clone, Copy, Debug)]
enum Grown {
    Pair(RunPair),
    InARow(InARow),
}

/// Finds the repeated sentences and passages outside the paragraphs that
/// `detection` reports, sorted by their last place; `chapters`: each
/// chapter's range of paragraph indices.
pub(super) fn find(
    manuscript: &Manuscript,
    detection: &Detection,
    chapters: &[Range<usize>],
    params: &SentenceParams,
    windows_per_pass: usize,
    seen_windows: &SeenTwice,
) -> Vec<Repeat> {
    let paras = &detection.paragraphs;
    let allowed = allowed_runs(&params.allow, &detection.vocabulary);
    let sentences = SentenceBuckets::new(manuscript, detection, params);
    let windows = window_seeds(
        detection,
        chapters,
        window_words(params),
        windows_per_pass,
        seen_windows,
    );
    // Seeds are taken in passes over ranges of their diagonals, each
    // diagonal whole in one pass: a book pasted a dozen times into one
    // paragraph makes millions of sentence pairs (20 bytes each). The pairs
    // found are sorted below, so the passes find what one pass would.
    let passes = (sentences.pair_count + windows.len())
        .div_ceil(windows_per_pass.max(1))
        .max(1);
    let mut pairs: Vec<RunPair> = Vec::new();
    let mut rows: Vec<InARow> = Vec::new();
    for pass in 0..passes {
        let seeds = seeds_in_pass(detection, &sentences, &windows, pass, passes);
        for grown in runs_of_seeds(paras, detection, params, &allowed, seeds) {
            match grown {
                Grown::Pair(pair) => pairs.push(pair),
                Grown::InARow(row) => rows.push(row),
            }
        }
    }
    drop(windows);
    let rows = fewest_rows(rows);
    // Two of the copies in a row (“S … S” two apart) are that row.
    pairs.retain(|p| !rows_of(&rows, p.a).any(|r| r.holds((p.a, p.a_words), (p.b, p.b_words))));
    // A pair inside a longer pair at the same places is the same repeat:
    // each pair of paragraphs' pairs, longest first, against those kept
    // before. (A map of kept pairs by paragraphs held a list for each, 96
    // bytes where one pair needs 24: 32 MB in a 100 MB chapter.)
    pairs.par_sort_unstable_by_key(|p| (p.a, p.b, std::cmp::Reverse(p.len()), *p));
    pairs.dedup();
    let mut accepted: Vec<RunPair> = Vec::new();
    for same_places in pairs.chunk_by(|p, q| (p.a, p.b) == (q.a, q.b)) {
        let first = accepted.len();
        for pair in same_places {
            let inside = |outer: &RunPair| {
                outer.a_words.0 <= pair.a_words.0
                    && pair.a_words.1 <= outer.a_words.1
                    && outer.b_words.0 <= pair.b_words.0
                    && pair.b_words.1 <= outer.b_words.1
            };
            if !accepted[first..].iter().any(inside) {
                accepted.push(*pair);
            }
        }
    }
    drop(pairs);
    // Longest first, as they are grouped.
    accepted.par_sort_unstable_by_key(|p| (std::cmp::Reverse(p.len()), *p));
    group(manuscript, detection, accepted, &rows)
}

/// `rows` sorted by paragraph and start, without those another one holds:
/// copies of a run in a row are found again on every diagonal a whole
/// number of copies long (“S S S S” as “S S” twice), and the row with the
/// shortest copies is the one meant.
fn fewest_rows(mut rows: Vec<InARow>) -> Vec<InARow> {
    rows.sort_unstable_by_key(|r| (r.para, r.period, r.start));
    rows.dedup();
    let mut kept: Vec<InARow> = Vec::with_capacity(rows.len());
    for row in rows {
        let first = (row.para, (row.start, row.start + row.period));
        let last = (row.para, (row.end - row.period, row.end));
        let held = kept
            .iter()
            .rev()
            .take_while(|k| k.para == row.para)
            .any(|k| k.holds(first, last) && row.period.is_multiple_of(k.period));
        if !held {
            kept.push(row);
        }
    }
    kept.sort_unstable_by_key(|r| (r.para, r.start, r.period));
    kept
}

/// The rows of `rows` (sorted by paragraph) in paragraph `para`.
fn rows_of(rows: &[InARow], para: u32) -> impl Iterator<Item = &InARow> {
    let from = rows.partition_point(|r| r.para < para);
    rows[from..].iter().take_while(move |r| r.para == para)
}

/// `(u32, u32)` → `(usize, usize)`.
fn widen(range: (u32, u32)) -> (usize, usize) {
    (range.0 as usize, range.1 as usize)
}

/// Seeds grown into runs of equal words, dropping those too short,
/// allowed, or inside a reported copy: the pairs of one pass of [`find`].
fn runs_of_seeds(
    paras: &[Para],
    detection: &Detection,
    params: &SentenceParams,
    allowed: &[Vec<u32>],
    mut seeds: Vec<(At, At, bool)>,
) -> Vec<Grown> {
    // Seeds on one diagonal (the same two paragraphs, the same distance
    // between the copies) in one run of equal words all grow into that run,
    // so each run is grown once: with every sentence of a long passage a
    // seed, growing each to the passage's ends was quadratic.
    seeds.par_sort_unstable_by_key(|&(x, y, sentence)| (diagonal(x, y), x.word, !sentence));
    seeds
        .par_chunk_by(|p, q| diagonal(p.0, p.1) == diagonal(q.0, q.1))
        .flat_map_iter(|seeds| runs_on_diagonal(paras, seeds))
        .filter(|&(grown, sentence)| match grown {
            Grown::Pair(pair) => {
                (sentence || pair.len() >= params.min_run_words)
                    && !is_allowed(paras, pair.a, pair.a_words, allowed)
                    && !detection.related_at(
                        pair.a,
                        pair.b,
                        Some((widen(pair.a_words), widen(pair.b_words))),
                    )
            }
            // In one paragraph: never inside a reported copy of it.
            Grown::InARow(row) => {
                (sentence || row.period as usize >= params.min_run_words)
                    && !is_allowed(
                        paras,
                        row.para,
                        (row.start, row.start + row.period),
                        allowed,
                    )
            }
        })
        .map(|(grown, _)| grown)
        .collect()
}

/// The seeds of pass `pass` of `passes`: the sentence pairs and the window
/// seeds whose diagonal falls in its range (see [`diagonal_pass`]). Counted
/// first, so that the list is sized once.
fn seeds_in_pass(
    detection: &Detection,
    sentences: &SentenceBuckets,
    windows: &[(At, At, bool)],
    pass: usize,
    passes: usize,
) -> Vec<(At, At, bool)> {
    let in_this = |x: At, y: At| diagonal_pass(x, y, passes) == pass;
    let mut count = windows.iter().filter(|s| in_this(s.0, s.1)).count();
    sentences.pairs(detection, in_this, |_, _| count += 1);
    let mut seeds = Vec::with_capacity(count);
    seeds.extend(windows.iter().filter(|s| in_this(s.0, s.1)));
    sentences.pairs(detection, in_this, |x, y| seeds.push((x, y, true)));
    seeds
}

/// Which of `passes` ranges of diagonals holds the diagonal of `x`/`y`
/// (see [`diagonal`]): the diagonal hashed, so that each pass takes about
/// as many seeds.
fn diagonal_pass(x: At, y: At, passes: usize) -> usize {
    if passes == 1 {
        return 0;
    }
    let (a, b, distance) = diagonal(x, y);
    let hash = ((u64::from(a) << 32 | u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        ^ (distance as u64))
        .wrapping_mul(0xff51_afd7_ed55_8ccd);
    in_pass(hash, passes)
}

/// Equal sentences: every sentence of `min-words` words or more, hashed,
/// in buckets of two places or more; a sentence shorter than
/// `always-words` needs `min-rare-words` rare words (counted once per
/// distinct sentence, only when it repeats).
struct SentenceBuckets {
    /// The places of each repeated sentence, in reading order.
    buckets: Vec<Vec<At>>,
    /// How many seed pairs they make (see [`SentenceBuckets::pairs`]).
    pair_count: usize,
}

impl SentenceBuckets {
    fn new(manuscript: &Manuscript, detection: &Detection, params: &SentenceParams) -> Self {
        let paras = &detection.paragraphs;
        let shortest = params.min_words.clamp(1, SHORT_WORDS);
        let mut hashed: Vec<(u64, At, u32)> = Vec::new();
        for (id, para) in paras.iter().enumerate() {
            for (range, hash) in para.sentences.iter() {
                if range.len() >= shortest {
                    let at = At {
                        para: id as u32,
                        word: range.start as u32,
                    };
                    hashed.push((*hash, at, range.len() as u32));
                }
            }
        }
        hashed.par_sort_unstable();
        let buckets: Vec<Vec<At>> = hashed
            .chunk_by(|x, y| x.0 == y.0)
            .filter(|bucket| bucket.len() >= 2)
            .filter(|bucket| {
                let (_, first, len) = bucket[0];
                if (len as usize) >= params.always_words {
                    return true;
                }
                let para = &paras[first.para as usize];
                let chapter = manuscript.chapter(para.r.chapter);
                let start = first.word as usize;
                let spans = &para.word_spans(chapter)[start..start + len as usize];
                rare_words(chapter, spans, params.min_rare_words) >= params.min_rare_words
            })
            .filter_map(|bucket| {
                let places: Vec<At> = bucket.iter().map(|s| s.1).collect();
                match bucket[0].2 as usize >= params.min_words {
                    true => Some(places),
                    false => short_in_narration(manuscript, paras, places, bucket[0].2),
                }
            })
            .collect();
        drop(hashed);
        let mut buckets = buckets;
        buckets.extend(twice_in_a_row(manuscript, paras, params));
        let mut sentences = SentenceBuckets {
            buckets,
            pair_count: 0,
        };
        let mut count = 0;
        sentences.pairs(detection, |_, _| true, |_, _| count += 1);
        sentences.pair_count = count;
        sentences
    }

    /// Calls `pair` with each pair of places of equal sentences (see
    /// [`pair_up`]) that `wanted` picks, except between members of one
    /// reported group (asked last: a lookup in a map).
    fn pairs(
        &self,
        detection: &Detection,
        wanted: impl Fn(At, At) -> bool,
        mut pair: impl FnMut(At, At),
    ) {
        for places in &self.buckets {
            pair_up(places, |x, y| {
                if wanted(x, y) && !detection.in_one_group(x.para, y.para) {
                    pair(x, y);
                }
            });
        }
    }
}

/// The fewest words of a sentence shorter than `min-words` that still
/// counts, with `min-rare-words` rare words, when the narration of two
/// chapters or more writes it (“Her father smelled of kerosene and
/// tobacco.”): a reader notices a distinctive line twice, and the corpus's
/// short repeats are all speech within one chapter (“Molly, let them see
/// your wrist.”), a character's voice.
const SHORT_WORDS: usize = 6;

/// The places of a short sentence (`len` words) that are narration, when
/// they lie in two chapters or more.
fn short_in_narration(
    manuscript: &Manuscript,
    paras: &[Para],
    places: Vec<At>,
    len: u32,
) -> Option<Vec<At>> {
    let narration: Vec<At> = places
        .into_iter()
        .filter(|at| {
            let para = &paras[at.para as usize];
            let chapter = manuscript.chapter(para.r.chapter);
            let spans = para.word_spans(chapter);
            let (first, last) = (spans[at.word as usize], spans[(at.word + len) as usize - 1]);
            !chapter.in_dialogue(first) && !chapter.in_dialogue(last)
        })
        .collect();
    let first_chapter = paras[narration.first()?.para as usize].r.chapter;
    narration
        .iter()
        .any(|at| paras[at.para as usize].r.chapter != first_chapter)
        .then_some(narration)
}

/// The fewest words of a sentence that counts when written twice in a row
/// whatever its words (“It was a long walk. It was a long walk.”): a
/// pasted sentence, as a doubled word is a typed one. Two or three words
/// said twice (“He waited. He waited.”) are a voice more often than not.
pub(super) const TWICE_IN_A_ROW_WORDS: usize = 4;

/// The places of each sentence shorter than `always-words` that the next
/// sentence of its paragraph repeats word for word, from
/// [`TWICE_IN_A_ROW_WORDS`] words, rare or not (elsewhere such a sentence
/// needs `min-words` words and `min-rare-words` rare ones); an exclamation
/// or a question said twice (“What have I done! What have I done!”) is
/// speech, not a slip. Longer sentences are compared wherever they are.
fn twice_in_a_row(
    manuscript: &Manuscript,
    paras: &[Para],
    params: &SentenceParams,
) -> Vec<Vec<At>> {
    let mut buckets = Vec::new();
    for (id, para) in paras.iter().enumerate() {
        for pair in para.sentences.windows(2) {
            let ((a, a_hash), (b, b_hash)) = (&pair[0], &pair[1]);
            let words = a.len();
            if a_hash != b_hash
                || words != b.len()
                || words < TWICE_IN_A_ROW_WORDS
                || words >= params.always_words
            {
                continue;
            }
            let chapter = manuscript.chapter(para.r.chapter);
            let last = para.word_spans(chapter)[a.end - 1];
            let after = chapter.prose[last.end as usize..]
                .chars()
                .take_while(|c| !c.is_alphanumeric() && !c.is_whitespace());
            if after.into_iter().any(|c| c == '!' || c == '?') {
                continue;
            }
            let at = |word: usize| At {
                para: id as u32,
                word: word as u32,
            };
            buckets.push(vec![at(a.start), at(b.start)]);
        }
    }
    buckets
}

/// Pairs of equal runs of `k` words: every window of every paragraph,
/// hashed with a rolling hash, except between members of one reported
/// group (every run of theirs is reported as part of it).
///
/// Every window is noted first, in `seen` (see [`note_windows`]); only
/// those whose slot reads "twice" (every window noted twice or more, and
/// some false alarms) are then listed, chapter by chapter on every core,
/// and read group by group of equal hashes across the chapters (see
/// [`super::merge`]). In a novel about two windows in ten thousand repeat:
/// with all of them listed (16 bytes a word), ordered and merged, the
/// repeat search took 263 M instructions of a corpus run, 197 M now.
///
/// A long manuscript's windows are listed in passes, each over one range
/// of hashes (`per_pass` windows at most, [`WINDOWS_PER_PASS`] but in
/// tests), since in a book pasted over and over every window repeats: the
/// seeds are those of one pass over all.
fn window_seeds(
    detection: &Detection,
    chapters: &[Range<usize>],
    k: usize,
    per_pass: usize,
    seen: &SeenTwice,
) -> Vec<(At, At, bool)> {
    let paras = &detection.paragraphs;
    let vocabulary = &detection.vocabulary;
    let count = window_count(paras, k);
    let passes = count.div_ceil(per_pass.max(1)).max(1);
    let mut seeds = Vec::new();
    for pass in 0..passes {
        let windows: Vec<Vec<(u64, At)>> = chapters
            .par_iter()
            .map(|range| {
                // Sized for a quarter of the pass's windows (23% are listed
                // in the corpus), as the shingles' runs are.
                let windows = window_count(&paras[range.clone()], k) / passes;
                let mut hashed = Vec::with_capacity(windows / 4);
                for id in range.clone() {
                    let words = &paras[id].words;
                    let para = id as u32;
                    if passes > 1 {
                        each_window(words, vocabulary, k, |hash, word| {
                            // The pass first: it reads no memory.
                            if in_pass(hash, passes) == pass && seen.maybe_twice(hash) {
                                hashed.push((hash, At { para, word }));
                            }
                        });
                        continue;
                    }
                    // In one pass, each window written in place and kept by
                    // moving past it, without a branch that a quarter kept
                    // at random would make guess wrong. (Not in passes: room
                    // for every window of a paragraph, 16 bytes each, would
                    // be hundreds of MB for a long one-line chapter.)
                    let mut kept = hashed.len();
                    let room = kept + (words.len() + 1).saturating_sub(k);
                    hashed.resize(room, (0, At { para, word: 0 }));
                    each_window(words, vocabulary, k, |hash, word| {
                        hashed[kept] = (hash, At { para, word });
                        kept += usize::from(seen.maybe_twice(hash));
                    });
                    hashed.truncate(kept);
                }
                super::merge::order_by_top_bits(&mut hashed);
                hashed
            })
            .collect();
        let runs: Vec<&[(u64, At)]> = windows.iter().map(|w| w.as_slice()).collect();
        // The places of each hash, paired.
        seeds.extend(groups_by_key(
            &runs,
            |_, at| Some(at),
            |places, seeds| {
                pair_up(places, |x, y| {
                    // Never inside one reported group. Asked first: in a
                    // manuscript of pasted copies most pairs are in one,
                    // and the words before them lie far apart in memory.
                    if detection.in_one_group(x.para, y.para) {
                        return;
                    }
                    // Only where the shared run begins: the pair one word
                    // further back covers it otherwise.
                    let a = &paras[x.para as usize].words;
                    let b = &paras[y.para as usize].words;
                    let continues = x.word > 0
                        && y.word > 0
                        && a[x.word as usize - 1] == b[y.word as usize - 1];
                    if !continues {
                        seeds.push((x, y, false));
                    }
                });
            },
        ));
    }
    seeds
}

/// How many words a window of the repeat search has (`min-run-words`).
pub(super) fn window_words(params: &SentenceParams) -> usize {
    params.min_run_words.max(2)
}

/// Every window of `k` words of `paras` (word ids of `vocabulary`), noted
/// (see [`SeenTwice`]) for [`window_seeds`]. On one core, as the
/// shingles' are (see `ShingleIndex::build`); it needs only the
/// paragraphs, so it runs beside the comparison of candidate pairs.
pub(super) fn note_windows(paras: &[Para], vocabulary: &[u64], k: usize) -> SeenTwice {
    let mut seen = SeenTwice::for_hashes(window_count(paras, k));
    for para in paras {
        each_window(&para.words, vocabulary, k, |hash, _| seen.note(hash));
    }
    seen
}

/// How many windows one pass of [`window_seeds`] lists at most (16 bytes
/// each, 25 MB in all): a 100 MB chapter (the corpus pasted a dozen times
/// over, every window repeated) in thirteen passes. Each pass hashes every
/// window again to keep a range of the hashes.
pub(super) const WINDOWS_PER_PASS: usize = 3 << 19;

/// Calls `window(hash, start)` with the rolling hash of each window of `k`
/// of `words` (word ids, hashed by `vocabulary`) and the index of its first
/// word.
fn each_window(words: &[u32], vocabulary: &[u64], k: usize, mut window: impl FnMut(u64, u32)) {
    if words.len() < k {
        return;
    }
    let top = BASE.wrapping_pow(k as u32 - 1);
    let hash_at = |i: usize| vocabulary[words[i] as usize];
    let mut hash = (0..k).fold(0u64, |h, i| h.wrapping_mul(BASE).wrapping_add(hash_at(i)));
    window(hash, 0);
    for start in 1..=words.len() - k {
        hash = hash
            .wrapping_sub(hash_at(start - 1).wrapping_mul(top))
            .wrapping_mul(BASE)
            .wrapping_add(hash_at(start + k - 1));
        window(hash, start as u32);
    }
}

/// Which of `passes` equal ranges of `u64` holds `hash`: the passes take the
/// hashes in ascending order, so their groups come in the order of one pass.
fn in_pass(hash: u64, passes: usize) -> usize {
    ((u128::from(hash) * passes as u128) >> 64) as usize
}

/// How many windows of `k` words `paras` have: the lists of them are the
/// largest of the detection, so they are allocated once at their size.
fn window_count(paras: &[Para], k: usize) -> usize {
    paras
        .iter()
        .map(|p| (p.words.len() + 1).saturating_sub(k))
        .sum()
}

/// Calls `pair` with every pair of `places` (sorted, in reading order), or
/// for a large bucket with at most three pairs per place (see
/// [`ALL_PAIRS_UP_TO`]): each place with the one before, the first place
/// of each paragraph with the bucket's first place, and with the last place
/// in its own paragraph. Inside one paragraph only neighbours are paired,
/// and neighbours at the same distance share a diagonal, whose runs are
/// grown once each (see [`runs_on_diagonal`]).
fn pair_up(places: &[At], mut pair: impl FnMut(At, At)) {
    if places.len() <= ALL_PAIRS_UP_TO {
        for (i, &x) in places.iter().enumerate() {
            for &y in &places[i + 1..] {
                pair(x, y);
            }
        }
        return;
    }
    let first = places[0];
    for window in places.windows(2) {
        let (before, y) = (window[0], window[1]);
        pair(before, y);
        let opens_paragraph = before.para != y.para;
        if opens_paragraph && before != first && y.para != first.para {
            pair(first, y);
        }
    }
    // A paragraph's first place with its last: in a sentence pasted over
    // and over, neighbours overlap their own copies and are refused, but
    // the two ends do not.
    for in_paragraph in places.chunk_by(|x, y| x.para == y.para) {
        if let [start, _, .., end] = in_paragraph {
            pair(*start, *end);
        }
    }
}

/// The diagonal of a seed: its two paragraphs and how far apart its two
/// places are. Seeds in one run of equal words share it.
fn diagonal(x: At, y: At) -> (u32, u32, i64) {
    (x.para, y.para, i64::from(y.word) - i64::from(x.word))
}

/// The runs grown from `seeds` (one diagonal, by `x.word`), each once, with
/// whether a sentence seed grew it. A seed inside a run already grown is
/// skipped: it would grow into the same run. Which seed grows a run does
/// not matter: a window seed's run always has `min-run-words` words. A run
/// that overlaps its own copy is copies in a row (see [`InARow`]).
fn runs_on_diagonal(paras: &[Para], seeds: &[(At, At, bool)]) -> Vec<(Grown, bool)> {
    let mut runs: Vec<(Grown, bool)> = Vec::new();
    let mut covered = 0..0;
    for &(x, y, sentence) in seeds {
        if covered.contains(&x.word) {
            continue;
        }
        let Some(pair) = extend(paras, x, y, sentence) else {
            continue;
        };
        covered = pair.a_words.0..pair.a_words.1;
        let overlaps = pair.a == pair.b && pair.b_words.0 < pair.a_words.1;
        let grown = if overlaps {
            Grown::InARow(InARow::of(&pair))
        } else {
            Grown::Pair(pair)
        };
        runs.push((grown, sentence));
    }
    runs
}

/// The longest run of equal words through the seed `x`/`y` (a sentence
/// seed may grow on both sides; a window seed starts where it is), which
/// may overlap itself (in one paragraph, a run longer than the distance
/// between its copies). `None` when the words are not equal after all (a
/// hash collision). The run is grown whole, so that [`runs_on_diagonal`]
/// grows it only once: cut short, every later seed in it grew it again
/// (quadratic in a book pasted twice into one paragraph).
fn extend(paras: &[Para], x: At, y: At, sentence: bool) -> Option<RunPair> {
    let a = &paras[x.para as usize].words;
    let b = &paras[y.para as usize].words;
    let (mut sa, mut sb) = (x.word as usize, y.word as usize);
    if a.get(sa)? != b.get(sb)? {
        return None;
    }
    if sentence {
        while sa > 0 && sb > 0 && a[sa - 1] == b[sb - 1] {
            sa -= 1;
            sb -= 1;
        }
    }
    let mut len = 0;
    while sa + len < a.len() && sb + len < b.len() && a[sa + len] == b[sb + len] {
        len += 1;
    }
    Some(RunPair {
        a: x.para,
        a_words: (sa as u32, (sa + len) as u32),
        b: y.para,
        b_words: (sb as u32, (sb + len) as u32),
    })
}

/// The `allow` entries as word ids of `vocabulary` (its hashes by id); a
/// word the manuscript never uses gets an id no word of it has.
fn allowed_runs(allow: &[String], vocabulary: &[u64]) -> Vec<Vec<u32>> {
    let runs: Vec<Vec<u64>> = allow
        .iter()
        .map(|entry| entry.unicode_words().map(word_hash).collect::<Vec<u64>>())
        .filter(|words| !words.is_empty())
        .collect();
    if runs.is_empty() {
        return Vec::new();
    }
    let wanted: FxHashSet<u64> = runs.iter().flatten().copied().collect();
    let ids: FxHashMap<u64, u32> = (0..)
        .zip(vocabulary)
        .filter(|(_, hash)| wanted.contains(hash))
        .map(|(id, &hash)| (hash, id))
        .collect();
    runs.iter()
        .map(|run| {
            run.iter()
                .map(|h| ids.get(h).copied().unwrap_or(u32::MAX))
                .collect()
        })
        .collect()
}

/// Whether the repeated words (`[start, end)` of paragraph `para`) hold an
/// allowed refrain or lie inside one.
fn is_allowed(paras: &[Para], para: u32, words: (u32, u32), allowed: &[Vec<u32>]) -> bool {
    let words = &paras[para as usize].words[words.0 as usize..words.1 as usize];
    allowed
        .iter()
        .any(|refrain| contains(words, refrain) || contains(refrain, words))
}

fn contains(haystack: &[u32], needle: &[u32]) -> bool {
    needle.len() <= haystack.len() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Groups accepted pairs by their words into repeats, each place once, in
/// reading order. A place that repeats one already kept inside a reported
/// paragraph copy, or overlaps it, is left out.
fn group(
    manuscript: &Manuscript,
    detection: &Detection,
    pairs: Vec<RunPair>,
    rows: &[InARow],
) -> Vec<Repeat> {
    let paras = &detection.paragraphs;
    let mut by_words: FxHashMap<u64, Vec<Place>> = FxHashMap::default();
    let mut add = |para: u32, words: (u32, u32), places: &mut dyn Iterator<Item = Place>| {
        let words = &paras[para as usize].words[words.0 as usize..words.1 as usize];
        by_words
            .entry(super::ids_hash(words, &detection.vocabulary))
            .or_default()
            .extend(places);
    };
    for pair in &pairs {
        let mut places = [(pair.a, pair.a_words), (pair.b, pair.b_words)].into_iter();
        add(pair.a, pair.a_words, &mut places);
    }
    for row in rows {
        add(
            row.para,
            (row.start, row.start + row.period),
            &mut row.places(),
        );
    }
    // Only these paragraphs can hold a place inside a reported copy.
    let copied = detection.copied_paragraphs();
    let mut repeats: Vec<Repeat> = by_words
        .into_values()
        .filter_map(|mut places| {
            places.sort_unstable();
            places.dedup();
            let mut kept: Vec<Place> = Vec::with_capacity(places.len());
            for place in places {
                // Sorted, and kept only when clear of those before: an
                // overlap in one paragraph is with the last one kept.
                let overlaps = kept
                    .last()
                    .is_some_and(|&(para, words)| para == place.0 && place.1.0 < words.1);
                let covered = overlaps
                    || copied.contains(&place.0)
                        && kept.iter().any(|&(para, words)| {
                            detection.related_at(
                                para,
                                place.0,
                                Some((widen(words), widen(place.1))),
                            )
                        });
                if !covered {
                    kept.push(place);
                }
            }
            (kept.len() >= 2).then(|| repeat_of(manuscript, paras, &kept))
        })
        .collect();
    repeats.sort_by_key(|r| (r.places.last().copied(), r.places.first().copied()));
    repeats
}

/// The [`Repeat`] at `places` (paragraph, words), which hold equal words.
/// Whole sentences are shown whole, punctuation included; a run inside
/// sentences from its first word to its last.
fn repeat_of(manuscript: &Manuscript, paras: &[Para], places: &[Place]) -> Repeat {
    // The paragraph's sentences (indices) that the words cover exactly.
    let whole_sentences = |&(para, words): &Place| -> Option<(usize, usize)> {
        let sentences = &paras[para as usize].sentences;
        // By search: a sentence pasted thousands of times in a row has a
        // place in each of as many sentences.
        let first = sentences
            .binary_search_by_key(&(words.0 as usize), |(range, _)| range.start)
            .ok()?;
        let last = first
            + sentences[first..]
                .iter()
                .position(|(range, _)| range.end == words.1 as usize)?;
        Some((first, last))
    };
    let whole: Vec<Option<(usize, usize)>> = places.iter().map(whole_sentences).collect();
    let count = |w: &Option<(usize, usize)>| w.map(|(first, last)| last - first + 1);
    let sentences = match whole.first().and_then(count) {
        Some(n) if whole.iter().all(|w| count(w) == Some(n)) => Some(n),
        _ => None,
    };
    let (_, first_words) = places[0];
    Repeat {
        places: places
            .iter()
            .zip(&whole)
            .map(|(&(id, words), whole)| {
                let para = &paras[id as usize];
                let chapter = manuscript.chapter(para.r.chapter);
                let span = match (sentences, whole) {
                    (Some(_), Some((first, last))) => {
                        let block = &chapter.blocks[para.r.block];
                        let at = |i: usize| &chapter.sentences[block.sentences.start as usize + i];
                        at(*first).span.cover(at(*last).span)
                    }
                    _ => para.words_span(manuscript, widen(words)),
                };
                Passage {
                    chapter: para.r.chapter,
                    span,
                }
            })
            .collect(),
        words: (first_words.1 - first_words.0) as usize,
        sentences,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(para: u32, word: u32) -> At {
        At { para, word }
    }

    fn pairs_of(places: &[At]) -> Vec<(At, At)> {
        let mut pairs = Vec::new();
        pair_up(places, |x, y| pairs.push((x, y)));
        pairs
    }

    #[test]
    fn a_small_bucket_pairs_all_with_all() {
        let places: Vec<At> = (0..5).map(|i| at(i / 2, i * 10)).collect();
        assert_eq!(pairs_of(&places).len(), 10);
    }

    #[test]
    fn a_large_bucket_pairs_neighbours_paragraph_openers_and_ends() {
        // Forty copies in paragraph 0, three in paragraph 1, one in 2.
        let mut places: Vec<At> = (0..40).map(|i| at(0, i * 7)).collect();
        places.extend([at(1, 3), at(1, 10), at(1, 17), at(2, 0)]);
        let pairs = pairs_of(&places);
        // 43 neighbours, 2 paragraph openers with the first place, and
        // each multi-place paragraph's ends.
        assert_eq!(pairs.len(), 43 + 2 + 2);
        assert!(pairs.contains(&(at(0, 0), at(1, 3))));
        assert!(pairs.contains(&(at(0, 0), at(2, 0))));
        assert!(pairs.contains(&(at(0, 0), at(0, 273))));
        assert!(pairs.contains(&(at(1, 3), at(1, 17))));
        // Inside one paragraph, only neighbours and the two ends: no pair
        // spans the paragraph from a middle copy.
        for (x, y) in &pairs {
            if x.para == y.para {
                let neighbours = y.word - x.word == 7;
                let ends = (x.word, y.word) == (0, 273) || (x.word, y.word) == (3, 17);
                assert!(neighbours || ends, "{x:?} {y:?}");
            }
        }
    }
}
