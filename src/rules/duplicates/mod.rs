//! Duplicated and near-duplicated text across the whole manuscript.
//!
//! The detection lives here, apart from the two rules that report it
//! (`duplicate-paragraph`, `repeated-sentence`), so other rules (echoes,
//! repeated phrases) can ask which text is already reported as duplicated
//! and skip it: see [`find_duplicates`] and [`Duplicates::covered_spans`].
//!
//! How it works, in one pass over the manuscript and no paragraph-by-paragraph
//! comparison:
//! 1. every paragraph becomes a list of normalised word hashes (case folded,
//!    curly apostrophes read as straight; quotes, dashes and other
//!    punctuation are not words, so they never count);
//! 2. paragraphs below the word minimum or the information minimum (too few
//!    rare words) are left out;
//! 3. each remaining paragraph yields its hashed word 3-grams (shingles); an
//!    inverted index from shingle to paragraphs gives candidate pairs, and
//!    shingles found in many paragraphs (stock phrases) are ignored;
//! 4. only candidate pairs that share enough shingles are verified with a
//!    word-level diff (exact copy, edited copy, containment) and a
//!    comparison of their sentences (a shared run of sentences).

mod diff;
pub mod duplicate_paragraph;
pub mod repeated_sentence;

use std::collections::HashMap;

use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Deserialize;

use similar::{Algorithm, DiffTag, capture_diff_slices_deadline};

use crate::text::{Chapter, Manuscript, Span};
use crate::wordfreq;

/// Words less frequent than this (Zipf scale: 4.5 ≈ 30 per million words)
/// are "rare" and carry information; names and invented words count as rare.
pub const RARE_ZIPF: f32 = 4.5;

/// Tunables of the paragraph detection (the `duplicate-paragraph` options).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    /// Paragraphs with fewer words are never compared.
    pub min_words: usize,
    /// Paragraphs with fewer rare words are never compared.
    pub min_rare_words: usize,
    /// Word-level similarity (0–1) from which two paragraphs are copies.
    pub min_similarity: f64,
    /// Share (0–1) of the shorter paragraph that must sit in the longer one.
    pub min_containment: f64,
    /// A word 3-gram found in more paragraphs than this is a stock phrase
    /// and is not evidence of copying.
    pub max_shingle_paragraphs: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            min_words: 15,
            min_rare_words: 2,
            min_similarity: 0.66,
            min_containment: 0.8,
            max_shingle_paragraphs: 20,
        }
    }
}

/// A paragraph taking part in a duplicate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ParagraphRef {
    pub chapter: usize,
    /// Index into [`Chapter::blocks`].
    pub block: usize,
    pub span: Span,
}

/// How two paragraphs repeat each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchKind {
    /// The same words (after normalisation).
    Exact,
    /// The same paragraph with some words changed, inserted or deleted.
    Edited,
    /// The shorter paragraph sits (nearly) whole inside the longer one.
    Contained,
    /// Two or more sentences in a row are the same; the rest differs.
    SharedSentences,
}

/// Two paragraphs that repeat each other; `earlier` comes first in reading
/// order.
#[derive(Clone, Debug, PartialEq)]
pub struct DuplicatePair {
    pub earlier: ParagraphRef,
    pub later: ParagraphRef,
    pub kind: MatchKind,
    /// Word-level similarity of the two paragraphs (0–1).
    pub similarity: f64,
    /// The repeated text in each paragraph (the whole paragraph for exact
    /// and edited copies).
    pub earlier_shared: Span,
    pub later_shared: Span,
    /// Share (0–1) of each paragraph's words that repeat the other.
    pub earlier_share: f64,
    pub later_share: f64,
}

/// Three or more copies (exact or edited) of one paragraph, in reading order.
#[derive(Clone, Debug, PartialEq)]
pub struct DuplicateGroup {
    pub members: Vec<ParagraphRef>,
    /// The lowest similarity between the last member and an earlier one.
    pub similarity: f64,
}

/// Everything the detection found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Duplicates {
    /// Pairs not part of a group, sorted by the later occurrence.
    pub pairs: Vec<DuplicatePair>,
    pub groups: Vec<DuplicateGroup>,
}

impl Duplicates {
    /// True when the two paragraphs are reported as repeating each other.
    pub fn related(&self, a: ParagraphRef, b: ParagraphRef) -> bool {
        self.pairs
            .iter()
            .any(|p| (p.earlier == a && p.later == b) || (p.earlier == b && p.later == a))
            || self
                .groups
                .iter()
                .any(|g| g.members.contains(&a) && g.members.contains(&b))
    }

    /// The text of one chapter that is reported as duplicated (every
    /// occurrence, including the first), sorted and merged. Other rules use
    /// this to stay quiet about repetition inside a duplicate.
    pub fn covered_spans(&self, chapter: usize) -> Vec<Span> {
        let mut spans: Vec<Span> = Vec::new();
        for pair in &self.pairs {
            if pair.earlier.chapter == chapter {
                spans.push(pair.earlier_shared);
            }
            if pair.later.chapter == chapter {
                spans.push(pair.later_shared);
            }
        }
        for group in &self.groups {
            spans.extend(
                group
                    .members
                    .iter()
                    .filter(|m| m.chapter == chapter)
                    .map(|m| m.span),
            );
        }
        spans.sort_by_key(|s| (s.start, s.end));
        let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
        for span in spans {
            match merged.last_mut() {
                Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
                _ => merged.push(span),
            }
        }
        merged
    }
}

/// A normalised word: case folded, curly apostrophes made straight.
pub fn word_hash(word: &str) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    if word.is_ascii() {
        for byte in word.bytes() {
            let byte = if byte == b'`' {
                b'\''
            } else {
                byte.to_ascii_lowercase()
            };
            hash = (hash ^ byte as u64).wrapping_mul(PRIME);
        }
        return hash;
    }
    let mut buf = [0u8; 4];
    for c in word.chars() {
        let c = match c {
            '\u{2019}' | '\u{2018}' | '\u{02bc}' | '\u{2032}' | '`' => '\'',
            c => c,
        };
        for lower in c.to_lowercase() {
            for byte in lower.encode_utf8(&mut buf).bytes() {
                hash = (hash ^ byte as u64).wrapping_mul(PRIME);
            }
        }
    }
    hash
}

/// Hash of a sequence of word hashes.
pub fn sequence_hash(words: &[u64]) -> u64 {
    let mut hash: u64 = 0x9e37_79b9_7f4a_7c15 ^ words.len() as u64;
    for &w in words {
        hash = (hash ^ w)
            .wrapping_mul(0x0000_0100_0000_01b3)
            .rotate_left(23);
    }
    hash
}

/// How many of the words are rare (see [`RARE_ZIPF`]), counting up to `cap`.
pub fn rare_words(chapter: &Chapter, words: &[Span], cap: usize) -> usize {
    let mut rare = 0;
    for &w in words {
        let word = chapter.slice(w);
        // Numbers carry no information about wording.
        if word.chars().all(|c| !c.is_alphabetic()) {
            continue;
        }
        if wordfreq::zipf_of(word) < RARE_ZIPF {
            rare += 1;
            if rare >= cap {
                break;
            }
        }
    }
    rare
}

/// One paragraph prepared for comparison.
pub(crate) struct Para {
    pub r: ParagraphRef,
    /// Index of the paragraph's first word in [`Chapter::words`].
    pub first_word: usize,
    pub words: Vec<u64>,
    /// Each sentence: word range (relative to the paragraph) and hash.
    pub sentences: Vec<(std::ops::Range<usize>, u64)>,
    /// Whether the paragraph passes the word and information minimums.
    pub eligible: bool,
}

impl Para {
    pub fn word_spans<'c>(&self, chapter: &'c Chapter) -> &'c [Span] {
        &chapter.words[self.first_word..self.first_word + self.words.len()]
    }
}

/// Every paragraph of the manuscript in reading order.
pub(crate) fn paragraphs(manuscript: &Manuscript, params: &Params) -> Vec<Para> {
    manuscript
        .chapters
        .par_iter()
        .map(|chapter| {
            let mut out = Vec::new();
            for (block_index, block) in chapter.blocks.iter().enumerate() {
                if !block.is_paragraph() {
                    continue;
                }
                let spans = chapter.block_words(block);
                let Some(first) = chapter.block_sentences(block).first() else {
                    continue;
                };
                let first_word = first.words.start as usize;
                let words: Vec<u64> = spans.iter().map(|&w| word_hash(chapter.slice(w))).collect();
                let sentences = chapter
                    .block_sentences(block)
                    .iter()
                    .map(|s| {
                        let range =
                            s.words.start as usize - first_word..s.words.end as usize - first_word;
                        let hash = sequence_hash(&words[range.clone()]);
                        (range, hash)
                    })
                    .collect();
                let eligible = words.len() >= params.min_words.max(3)
                    && rare_words(chapter, spans, params.min_rare_words) >= params.min_rare_words;
                out.push(Para {
                    r: ParagraphRef {
                        chapter: chapter.index,
                        block: block_index,
                        span: block.span,
                    },
                    first_word,
                    words,
                    sentences,
                    eligible,
                });
            }
            out
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}

/// Finds every duplicated paragraph of the manuscript.
pub fn find_duplicates(manuscript: &Manuscript, params: &Params) -> Duplicates {
    let paras = paragraphs(manuscript, params);
    let candidates = candidate_pairs(&paras, params);
    let mut pairs: Vec<DuplicatePair> = candidates
        .par_iter()
        .filter_map(|&(a, b, _)| verify(manuscript, &paras[a as usize], &paras[b as usize], params))
        .collect();
    pairs.sort_by_key(|p| (p.later, p.earlier));
    group_copies(pairs)
}

/// Pairs of eligible paragraphs `(earlier, later, shared shingles)` that share
/// enough rare-enough shingles to be worth a diff.
fn candidate_pairs(paras: &[Para], params: &Params) -> Vec<(u32, u32, u32)> {
    let mut shingle_counts = vec![0u32; paras.len()];
    let mut postings: Vec<(u64, u32)> = Vec::new();
    for (id, para) in paras.iter().enumerate() {
        if !para.eligible {
            continue;
        }
        let mut shingles: Vec<u64> = para
            .words
            .windows(3)
            .map(|w| {
                (w[0].rotate_left(1) ^ w[1].rotate_left(17) ^ w[2].rotate_left(41))
                    .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            })
            .collect();
        shingles.sort_unstable();
        shingles.dedup();
        shingle_counts[id] = shingles.len() as u32;
        postings.extend(shingles.into_iter().map(|s| (s, id as u32)));
    }
    postings.par_sort_unstable();

    let max_df = params.max_shingle_paragraphs.max(2);
    let mut pair_keys: Vec<u64> = Vec::new();
    let mut start = 0;
    while start < postings.len() {
        let shingle = postings[start].0;
        let mut end = start + 1;
        while end < postings.len() && postings[end].0 == shingle {
            end += 1;
        }
        let df = end - start;
        if (2..=max_df).contains(&df) {
            for i in start..end {
                for j in i + 1..end {
                    let (a, b) = (postings[i].1 as u64, postings[j].1 as u64);
                    pair_keys.push(a << 32 | b);
                }
            }
        }
        start = end;
    }
    pair_keys.par_sort_unstable();

    let mut out = Vec::new();
    let mut start = 0;
    while start < pair_keys.len() {
        let key = pair_keys[start];
        let mut end = start + 1;
        while end < pair_keys.len() && pair_keys[end] == key {
            end += 1;
        }
        let shared = (end - start) as u32;
        let (a, b) = ((key >> 32) as u32, key as u32);
        let smaller = shingle_counts[a as usize].min(shingle_counts[b as usize]);
        // Copies with up to a third of the words edited keep about a third of
        // their 3-grams; a shared run of two sentences keeps ten or more.
        if shared >= 2 && (shared as f64 >= 0.15 * smaller as f64 || shared >= 10) {
            out.push((a, b, shared));
        }
        start = end;
    }
    out
}

/// The word index range `[start, end)` covered by a set of equal runs.
fn cover(runs: &[(usize, usize)]) -> Option<(usize, usize)> {
    let start = runs.iter().map(|r| r.0).min()?;
    let end = runs.iter().map(|r| r.0 + r.1).max()?;
    Some((start, end))
}

/// Compares two candidate paragraphs (`a` first in reading order).
pub(crate) fn verify(
    manuscript: &Manuscript,
    a: &Para,
    b: &Para,
    params: &Params,
) -> Option<DuplicatePair> {
    let (la, lb) = (a.words.len(), b.words.len());
    let words_span = |p: &Para, range: (usize, usize)| {
        let spans = p.word_spans(manuscript.chapter(p.r.chapter));
        spans[range.0].cover(spans[range.1 - 1])
    };
    let pair = |kind, similarity, shared_a: Span, shared_b: Span, share_a, share_b| DuplicatePair {
        earlier: a.r,
        later: b.r,
        kind,
        similarity,
        earlier_shared: shared_a,
        later_shared: shared_b,
        earlier_share: share_a,
        later_share: share_b,
    };
    if a.words == b.words {
        return Some(pair(
            MatchKind::Exact,
            1.0,
            words_span(a, (0, la)),
            words_span(b, (0, lb)),
            1.0,
            1.0,
        ));
    }

    // A deadline keeps two huge, unrelated paragraphs from costing seconds;
    // past it the diff is approximate, which can only lower the similarity.
    let deadline = Instant::now() + Duration::from_millis(200);
    let ops = capture_diff_slices_deadline(Algorithm::Myers, &a.words, &b.words, Some(deadline));
    let mut matched = 0;
    // Equal runs of three words or more: chance matches of common words
    // ("of the") are shorter.
    let mut runs_a = Vec::new();
    let mut runs_b = Vec::new();
    for op in &ops {
        let (tag, old, new) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            matched += old.len();
            if old.len() >= 3 {
                runs_a.push((old.start, old.len()));
                runs_b.push((new.start, new.len()));
            }
        }
    }
    let similarity = 2.0 * matched as f64 / (la + lb) as f64;
    if similarity >= params.min_similarity {
        return Some(pair(
            MatchKind::Edited,
            similarity,
            words_span(a, (0, la)),
            words_span(b, (0, lb)),
            matched as f64 / la as f64,
            matched as f64 / lb as f64,
        ));
    }

    let strict: usize = runs_a.iter().map(|r| r.1).sum();
    let shorter = la.min(lb);
    if shorter >= params.min_words && strict as f64 >= params.min_containment * shorter as f64 {
        let (ca, cb) = (cover(&runs_a)?, cover(&runs_b)?);
        // The shorter paragraph is shown whole; the longer one at the part
        // that holds it.
        let (ra, rb) = if la <= lb {
            ((0, la), cb)
        } else {
            (ca, (0, lb))
        };
        return Some(pair(
            MatchKind::Contained,
            similarity,
            words_span(a, ra),
            words_span(b, rb),
            strict as f64 / la as f64,
            strict as f64 / lb as f64,
        ));
    }

    shared_sentence_run(manuscript, a, b, params).map(|(ra, rb, words)| {
        pair(
            MatchKind::SharedSentences,
            similarity,
            words_span(a, ra),
            words_span(b, rb),
            words as f64 / la as f64,
            words as f64 / lb as f64,
        )
    })
}

/// Word ranges in the two paragraphs, and the number of words.
type SharedRun = ((usize, usize), (usize, usize), usize);

/// The longest run of two or more equal sentences (in a row in both
/// paragraphs) with enough words and information: word ranges in `a` and
/// `b`, and the number of words.
fn shared_sentence_run(
    manuscript: &Manuscript,
    a: &Para,
    b: &Para,
    params: &Params,
) -> Option<SharedRun> {
    let mut best: Option<(usize, usize, usize)> = None; // (i, j, len) in sentences
    for i in 0..a.sentences.len() {
        for j in 0..b.sentences.len() {
            let mut len = 0;
            while i + len < a.sentences.len()
                && j + len < b.sentences.len()
                && a.sentences[i + len].1 == b.sentences[j + len].1
                && !a.sentences[i + len].0.is_empty()
            {
                len += 1;
            }
            if len >= 2 && best.is_none_or(|(_, _, l)| len > l) {
                best = Some((i, j, len));
            }
        }
    }
    let (i, j, len) = best?;
    let ra = (a.sentences[i].0.start, a.sentences[i + len - 1].0.end);
    let rb = (b.sentences[j].0.start, b.sentences[j + len - 1].0.end);
    let words = ra.1 - ra.0;
    let chapter = manuscript.chapter(b.r.chapter);
    let spans = &b.word_spans(chapter)[rb.0..rb.1];
    (words >= params.min_words
        && rare_words(chapter, spans, params.min_rare_words) >= params.min_rare_words)
        .then_some((ra, rb, words))
}

/// Merges exact and edited copies of one paragraph into groups of three or
/// more; everything else stays a pair.
fn group_copies(pairs: Vec<DuplicatePair>) -> Duplicates {
    let mut ids: HashMap<ParagraphRef, usize> = HashMap::new();
    let mut parent: Vec<usize> = Vec::new();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let is_copy = |p: &DuplicatePair| matches!(p.kind, MatchKind::Exact | MatchKind::Edited);
    for pair in pairs.iter().filter(|p| is_copy(p)) {
        for r in [pair.earlier, pair.later] {
            let next = parent.len();
            if *ids.entry(r).or_insert(next) == next {
                parent.push(next);
            }
        }
        let (x, y) = (
            find(&mut parent, ids[&pair.earlier]),
            find(&mut parent, ids[&pair.later]),
        );
        parent[x] = y;
    }
    let mut members: HashMap<usize, Vec<ParagraphRef>> = HashMap::new();
    for (&r, &id) in &ids {
        let root = find(&mut parent, id);
        members.entry(root).or_default().push(r);
    }
    let mut groups: Vec<DuplicateGroup> = Vec::new();
    let mut grouped: HashMap<ParagraphRef, usize> = HashMap::new();
    for mut list in members.into_values().filter(|m| m.len() >= 3) {
        list.sort();
        for &r in &list {
            grouped.insert(r, groups.len());
        }
        groups.push(DuplicateGroup {
            members: list,
            similarity: 1.0,
        });
    }
    let mut rest = Vec::new();
    for pair in pairs {
        match grouped.get(&pair.later) {
            Some(&g) if is_copy(&pair) && grouped.get(&pair.earlier) == Some(&g) => {
                let group = &mut groups[g];
                if group.members.last() == Some(&pair.later) {
                    group.similarity = group.similarity.min(pair.similarity);
                }
            }
            _ => rest.push(pair),
        }
    }
    groups.sort_by_key(|g| g.members.last().copied());
    Duplicates {
        pairs: rest,
        groups,
    }
}

/// Options of `duplicate-paragraph` as configured, for the other rule.
pub(crate) fn configured_params(config: &crate::config::Config) -> Params {
    config
        .rule_settings(&duplicate_paragraph::META.id)
        .ok()
        .and_then(|(_, options)| toml::Value::Table(options).try_into().ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
