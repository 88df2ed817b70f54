//! Duplicated and near-duplicated text across the whole manuscript.
//!
//! The detection lives here, apart from the two rules that report it
//! (`duplicate-paragraph`, `repeated-sentence`), so other rules (echoes,
//! repeated phrases) can ask which text is already reported as duplicated
//! and skip it: see [`Detection`] and [`Duplicates::repeated_spans`].
//!
//! How paragraphs are compared, in one pass over the manuscript and no
//! paragraph-by-paragraph comparison:
//! 1. every paragraph becomes a list of normalised words (case folded,
//!    curly apostrophes read as straight; quotes, dashes and other
//!    punctuation are not words, so they never count), each a 4-byte id in
//!    the manuscript's vocabulary of word hashes;
//! 2. paragraphs below the word minimum or the information minimum (too few
//!    rare words) are left out;
//! 3. exact copies are gathered first (one hash of all the words): however
//!    many times a paragraph was pasted, it is one class, and only its first
//!    copy goes on to the next steps;
//! 4. each remaining paragraph yields its hashed word 3-grams (shingles); an
//!    inverted index from shingle to paragraphs gives candidate pairs, and
//!    shingles found in many paragraphs (stock phrases) are ignored. Only
//!    the shingles that a first pass saw twice or more are indexed (see
//!    `seen_twice`): most are used once in a book;
//! 5. only candidate pairs that share enough shingles are verified with a
//!    word-level diff (exact copy, edited copy, containment) and a
//!    comparison of their sentences (a shared run of sentences).
//!
//! Repeated sentences and shared runs of words (see [`repeats`]) come after,
//! and leave out what the paragraph comparison already reports.

mod diff;
pub mod duplicate_paragraph;
mod merge;
pub mod repeated_sentence;
pub mod repeats;
mod seen_twice;

use std::ops::Range;
use std::sync::Arc;

use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

use similar::{Algorithm, DiffTag, capture_diff_slices_deadline};

use crate::language::Language;
use crate::rule::IndependentAnalysis;
use crate::text::{Chapter, ChapterTextIds, Manuscript, ManuscriptTexts, PerText, Span};
use crate::wordfreq;
use seen_twice::SeenTwice;

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
    /// Paragraphs repeated on purpose (an epigraph at the head of each
    /// part): read when reporting, not by the detection.
    pub allow: Vec<String>,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            min_words: 15,
            min_rare_words: 2,
            min_similarity: 0.66,
            min_containment: 0.8,
            max_shingle_paragraphs: 20,
            allow: Vec::new(),
        }
    }
}

/// Tunables of the sentence detection (the `repeated-sentence` options).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct SentenceParams {
    /// Sentences with fewer words are never compared.
    pub min_words: usize,
    /// Sentences shorter than `always_words` need this many rare words.
    pub min_rare_words: usize,
    /// From this many words a sentence is compared whatever its words.
    pub always_words: usize,
    /// A run of this many words shared by two different sentences is a
    /// repeated passage.
    pub min_run_words: usize,
    /// Sentences and passages repeated on purpose (refrains).
    pub allow: Vec<String>,
}

impl Default for SentenceParams {
    fn default() -> Self {
        SentenceParams {
            min_words: 8,
            min_rare_words: 2,
            always_words: 10,
            min_run_words: 12,
            allow: Vec::new(),
        }
    }
}

/// The settings of both duplicate rules: what the shared detection needs.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub paragraphs: Params,
    pub sentences: SentenceParams,
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
    /// The repeated words of each paragraph, as `[start, end)` indices into
    /// the paragraph's words (the spans above, counted in words).
    pub earlier_words: (usize, usize),
    pub later_words: (usize, usize),
}

/// Three or more copies (exact or edited) of one paragraph, in reading order.
#[derive(Clone, Debug, PartialEq)]
pub struct DuplicateGroup {
    pub members: Vec<ParagraphRef>,
    /// The lowest similarity between the last member and an earlier one.
    pub similarity: f64,
}

/// One place of a repeated sentence or passage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Passage {
    pub chapter: usize,
    /// From the first repeated word to the last.
    pub span: Span,
}

/// A sentence or a run of words written two or more times word for word,
/// outside the paragraphs reported as copies.
#[derive(Clone, Debug, PartialEq)]
pub struct Repeat {
    /// Every place, in reading order.
    pub places: Vec<Passage>,
    /// Words in the repeated text.
    pub words: usize,
    /// Whole sentences in every place (else a run inside sentences); the
    /// number of sentences.
    pub sentences: Option<usize>,
}

/// Everything the detection found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Duplicates {
    /// Pairs not part of a group, sorted by the later occurrence.
    pub pairs: Vec<DuplicatePair>,
    pub groups: Vec<DuplicateGroup>,
    /// Repeated sentences and passages, sorted by their last place.
    pub repeats: Vec<Repeat>,
}

impl Duplicates {
    /// The later copies in one chapter: text that repeats something earlier
    /// and is reported as such (copied paragraphs, repeated sentences and
    /// passages), so other rules should not count it again. (The first
    /// occurrence is not included: it still counts once.) Sorted by start.
    pub fn repeated_spans(&self, chapter: usize) -> Vec<Span> {
        let mut spans: Vec<Span> = self
            .pairs
            .iter()
            .filter(|p| p.later.chapter == chapter)
            .map(|p| p.later_shared)
            .chain(self.groups.iter().flat_map(|g| {
                g.members
                    .iter()
                    .skip(1)
                    .filter(|m| m.chapter == chapter)
                    .map(|m| m.span)
            }))
            .chain(self.repeats.iter().flat_map(|r| {
                r.places
                    .iter()
                    .skip(1)
                    .filter(|p| p.chapter == chapter)
                    .map(|p| p.span)
            }))
            .collect();
        spans.sort_by_key(|s| (s.start, s.end));
        spans
    }

    /// [`Duplicates::repeated_spans`] of every chapter at once, in one pass
    /// over the findings: `chapters` lists, each sorted.
    pub fn repeated_spans_by_chapter(&self, chapters: usize) -> Vec<Vec<Span>> {
        let mut out: Vec<Vec<Span>> = vec![Vec::new(); chapters];
        let mut push = |chapter: usize, span: Span| {
            if let Some(list) = out.get_mut(chapter) {
                list.push(span);
            }
        };
        for pair in &self.pairs {
            push(pair.later.chapter, pair.later_shared);
        }
        for group in &self.groups {
            for member in group.members.iter().skip(1) {
                push(member.chapter, member.span);
            }
        }
        for repeat in &self.repeats {
            for place in repeat.places.iter().skip(1) {
                push(place.chapter, place.span);
            }
        }
        for list in &mut out {
            list.sort_by_key(|s| (s.start, s.end));
        }
        out
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
        for repeat in &self.repeats {
            spans.extend(
                repeat
                    .places
                    .iter()
                    .filter(|p| p.chapter == chapter)
                    .map(|p| p.span),
            );
        }
        spans.sort_by_key(|s| (s.start, s.end));
        crate::text::join_sorted_runs(spans, |s| (s.start, &mut s.end))
    }
}

/// Places listed in a message, at most [`PLACES_LISTED`] of them:
/// `a.txt:3, a.txt:7` or `a.txt:3, …, a.txt:31 and 1,714 more`. The
/// labels carry every place; a message with thousands of them (a paragraph
/// pasted all through a file) is unreadable and slow to print.
pub(crate) fn list_places(places: &[String]) -> String {
    if places.len() <= PLACES_LISTED {
        return places.join(", ");
    }
    let more = places.len() - PLACES_LISTED;
    format!(
        "{} and {} more",
        places[..PLACES_LISTED].join(", "),
        crate::report::thousands(more)
    )
}

/// How many places a duplicate's message names (see [`list_places`]).
const PLACES_LISTED: usize = 10;

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
    hash_words(words.len(), words.iter().copied())
}

/// [`sequence_hash`] of the word hashes of `ids` (word ids of `vocabulary`).
fn ids_hash(ids: &[u32], vocabulary: &[u64]) -> u64 {
    hash_words(ids.len(), ids.iter().map(|&id| vocabulary[id as usize]))
}

/// [`sequence_hash`] of `len` word hashes.
fn hash_words(len: usize, words: impl Iterator<Item = u64>) -> u64 {
    let mut hash: u64 = 0x9e37_79b9_7f4a_7c15 ^ len as u64;
    for w in words {
        hash = (hash ^ w)
            .wrapping_mul(0x0000_0100_0000_01b3)
            .rotate_left(23);
    }
    hash
}

/// A word's 4-byte stand-in for its 8-byte [`word_hash`]: its index in a
/// vocabulary of word hashes (the book's or a chapter's own while its
/// paragraphs are prepared, the manuscript's after [`flatten`]). Two words
/// have one id exactly when they have one hash, so ids compare as the
/// hashes would, in half the memory (76 MB less in a 100 MB one-line
/// chapter); hashes built from words (shingles, sentences, windows) are
/// built from the vocabulary's hashes, so they are what they were.
#[derive(Clone, Default)]
pub(crate) struct Vocabulary {
    /// The hash of each id's word, by id.
    pub hashes: Vec<u64>,
    ids: FxHashMap<u64, u32>,
}

impl Vocabulary {
    /// The id of the word with hash `hash`, a new one if it is new.
    fn id(&mut self, hash: u64) -> u32 {
        *self.ids.entry(hash).or_insert_with(|| {
            self.hashes.push(hash);
            (self.hashes.len() - 1) as u32
        })
    }
}

/// How many of the words are rare (see [`RARE_ZIPF`]), counting up to `cap`.
pub fn rare_words(chapter: &Chapter, words: &[Span], cap: usize) -> usize {
    count_up_to(
        words.iter().map(|&w| is_rare(chapter, chapter.slice(w))),
        cap,
    )
}

/// [`rare_words`] for the chapter's words `words` (indexes into
/// [`Chapter::words`]), each text looked up once: a chapter uses its every
/// text about three times, and the frequency table's look-ups (two cache
/// misses each) were the most of the paragraph scan. With the book's
/// facts, the rarity is the book's, read without a look-up.
fn rare_words_by_text(
    chapter: &Chapter,
    words: std::ops::Range<usize>,
    cap: usize,
    source: &mut WordSource,
) -> usize {
    match source {
        WordSource::Book(book) => count_up_to(words.map(|w| book.rare[book.ids.of_word(w)]), cap),
        WordSource::Own(own) => count_up_to(
            words.map(|w| *own.rarity.get(w, |text| is_rare(chapter, text))),
            cap,
        ),
    }
}

/// Where [`ChapterParagraphs::build`] reads its words' ids and rarity.
enum WordSource<'c, 'a> {
    /// The book's facts.
    Book(OfBook<'a>),
    /// The chapter's own.
    Own(Box<OwnWords<'c>>),
}

/// A chapter's own vocabulary, each text's id in it (a text is hashed on
/// its first use) and each text's rarity (looked up on the first use that
/// needs it).
struct OwnWords<'c> {
    vocabulary: Vocabulary,
    ids: PerText<'c, u32>,
    rarity: PerText<'c, bool>,
}

/// How many of `flags` are true, counting up to `cap` (the rest unread).
fn count_up_to(flags: impl Iterator<Item = bool>, cap: usize) -> usize {
    let mut count = 0;
    for flag in flags {
        if flag {
            count += 1;
            if count >= cap {
                break;
            }
        }
    }
    count
}

/// A word of `chapter` that is rare in its language (see [`RARE_ZIPF`]).
/// Numbers carry no information about wording: never rare.
fn is_rare(chapter: &Chapter, word: &str) -> bool {
    is_rare_in(&chapter.language, word)
}

/// [`is_rare`] in `language`.
fn is_rare_in(language: &Language, word: &str) -> bool {
    word.chars().any(char::is_alphabetic) && wordfreq::zipf_of_in(language, word) < RARE_ZIPF
}

/// One paragraph prepared for comparison.
#[derive(Clone)]
pub(crate) struct Para {
    pub r: ParagraphRef,
    /// Index of the paragraph's first word in [`Chapter::words`].
    pub first_word: usize,
    /// A hash of the paragraph's exact text (see [`Verdicts`]).
    pub text_hash: u64,
    /// The id of each word (see [`Vocabulary`]). Shared with an earlier
    /// exact copy in the chapter, as are the sentences when they match too.
    pub words: Arc<[u32]>,
    /// Each sentence: word range (relative to the paragraph) and hash.
    pub sentences: Arc<[(std::ops::Range<usize>, u64)]>,
    /// Whether the paragraph passes the word and information minimums.
    pub eligible: bool,
}

impl Para {
    pub fn word_spans<'c>(&self, chapter: &'c Chapter) -> &'c [Span] {
        &chapter.words[self.first_word..self.first_word + self.words.len()]
    }

    /// The text from word `range.0` to the last word before `range.1`.
    /// From the paragraph's start when the range starts at its first word,
    /// to its end when it ends at its last (the opening quote and the
    /// closing full stop of a copied paragraph are copied too: the span of
    /// an exact copy stopped one short of its line's end).
    pub fn words_span(&self, manuscript: &Manuscript, range: (usize, usize)) -> Span {
        let chapter = manuscript.chapter(self.r.chapter);
        let spans = self.word_spans(chapter);
        match (
            spans.get(range.0),
            range.1.checked_sub(1).and_then(|i| spans.get(i)),
        ) {
            (Some(first), Some(last)) => {
                let paragraph = chapter.slice(self.r.span);
                let start = match range.0 {
                    0 => {
                        self.r.span.start + (paragraph.len() - paragraph.trim_start().len()) as u32
                    }
                    _ => first.start,
                };
                let end = match range.1 == spans.len() {
                    true => self.r.span.start + paragraph.trim_end().len() as u32,
                    false => last.end,
                };
                Span::new(start.min(first.start) as usize, end.max(last.end) as usize)
            }
            _ => Span::new(self.r.span.start as usize, self.r.span.start as usize),
        }
    }
}

/// Every paragraph of the manuscript in reading order.
#[cfg(test)]
pub(crate) fn paragraphs(manuscript: &Manuscript, params: &Params) -> Vec<Para> {
    flatten(manuscript, &mut prepare(manuscript, params)).0
}

/// Each chapter's prepared paragraphs, in reading order.
pub(crate) fn prepare(manuscript: &Manuscript, params: &Params) -> Vec<Arc<ChapterParagraphs>> {
    let facts = manuscript
        .texts()
        .map(|texts| (texts, BookWordFacts::new(manuscript, texts)));
    manuscript
        .chapters
        .par_iter()
        .map(|chapter| {
            let of_book = facts.as_ref().and_then(|(texts, facts)| {
                let ids = texts.of_chapter(chapter)?;
                let rare = facts.rare_in(&chapter.language)?;
                Some(OfBook {
                    ids,
                    word_ids: &facts.word_ids,
                    vocabulary: &facts.vocabulary,
                    rare,
                })
            });
            ChapterParagraphs::of(chapter, params, of_book)
        })
        .collect()
}

/// What the paragraph comparison reads of each word text of the book (see
/// [`ManuscriptTexts`]), worked out once for the book: a chapter used to
/// hash each of its texts and look its frequency up (two cache misses in
/// the frequency table) itself, the book's commonest texts once in every
/// chapter, and to number its words in a vocabulary of its own, which
/// [`flatten`] then numbered again in the manuscript's (a table look-up for
/// each text of each chapter: 422,000 on the corpus, on one core).
struct BookWordFacts {
    /// The book's vocabulary: the [`word_hash`] of every text, numbered in
    /// the texts' order (their first use in reading order).
    vocabulary: Arc<Vocabulary>,
    /// By text id: its word's id in `vocabulary`.
    word_ids: Vec<u32>,
    /// By text id, in each language of the book's chapters: [`is_rare`].
    rare: Vec<(Language, Vec<bool>)>,
}

impl BookWordFacts {
    fn new(manuscript: &Manuscript, texts: &ManuscriptTexts) -> BookWordFacts {
        let chapters = &manuscript.chapters;
        let mut languages: Vec<&Language> = Vec::new();
        for chapter in chapters {
            if !languages.contains(&&chapter.language) {
                languages.push(&chapter.language);
            }
        }
        let mut vocabulary = Vocabulary::default();
        let word_ids = texts
            .values(word_hash)
            .into_iter()
            .map(|hash| vocabulary.id(hash))
            .collect();
        BookWordFacts {
            vocabulary: Arc::new(vocabulary),
            word_ids,
            rare: languages
                .into_iter()
                .map(|language| {
                    let rare = texts.values(|text| is_rare_in(language, text));
                    (language.clone(), rare)
                })
                .collect(),
        }
    }

    /// By text id, whether each text is rare in `language`.
    fn rare_in(&self, language: &Language) -> Option<&[bool]> {
        self.rare
            .iter()
            .find(|(l, _)| l == language)
            .map(|(_, rare)| rare.as_slice())
    }
}

/// A chapter's words' book text ids and their texts' facts, for
/// [`ChapterParagraphs::build`].
#[derive(Clone, Copy)]
pub(crate) struct OfBook<'a> {
    ids: ChapterTextIds<'a>,
    /// By text id: the word's id in `vocabulary`.
    word_ids: &'a [u32],
    vocabulary: &'a Arc<Vocabulary>,
    rare: &'a [bool],
}

/// The chapters' paragraphs as one list, with their chapter indices and
/// their words renumbered into one vocabulary for the manuscript (returned
/// with them, its hashes by id): moved out of `prepared` where nothing
/// else holds them (a chapter that does not keep its analyses), copied
/// where the chapter keeps them.
fn flatten(
    manuscript: &Manuscript,
    prepared: &mut [Arc<ChapterParagraphs>],
) -> (Vec<Para>, Vec<u64>) {
    let mut out = Vec::with_capacity(prepared.iter().map(|p| p.count as usize).sum());
    // The book's vocabulary, when the chapters were numbered in it: a
    // chapter numbered in its own is numbered again in it (and only then
    // is its table of ids by hash copied too).
    let book = prepared.iter().find_map(|p| match &p.numbering {
        Numbering::Book(book) => Some(book),
        Numbering::Own(_) => None,
    });
    let own = prepared
        .iter()
        .any(|p| matches!(p.numbering, Numbering::Own(_)));
    let mut vocabulary = match book {
        Some(book) if own => Vocabulary::clone(book),
        Some(book) => Vocabulary {
            hashes: book.hashes.clone(),
            ids: FxHashMap::default(),
        },
        None => Vocabulary::default(),
    };
    for (chapter, prepared) in manuscript.chapters.iter().zip(prepared) {
        // The manuscript's id for each of the chapter's own. Both number
        // words in order of first use, so the first chapter's ids stay
        // when there is no book vocabulary.
        let ids: Vec<u32> = match &prepared.numbering {
            Numbering::Book(_) => Vec::new(),
            Numbering::Own(hashes) => hashes.iter().map(|&hash| vocabulary.id(hash)).collect(),
        };
        let same_ids = ids.iter().enumerate().all(|(i, &id)| i as u32 == id);
        let paras = match Arc::get_mut(prepared) {
            Some(owned) => std::mem::take(&mut owned.paras),
            None => prepared.paras.clone(),
        };
        // Lists shared by exact copies are renumbered once.
        let mut renumbered = Renumbered::default();
        out.extend(paras.into_iter().map(|mut para| {
            para.r.chapter = chapter.index;
            if !same_ids {
                para.words = renumber(para.words, &ids, &mut renumbered);
            }
            para
        }));
    }
    (out, vocabulary.hashes)
}

/// Word lists renumbered so far, by the old list's address: the old list
/// (held so that its address is not reused) and the new.
type Renumbered = FxHashMap<*const u32, (Arc<[u32]>, Arc<[u32]>)>;

/// `words` with each id `i` made `ids[i]`: in place when nothing else
/// holds the list, else once per list (see [`flatten`]).
fn renumber(mut words: Arc<[u32]>, ids: &[u32], renumbered: &mut Renumbered) -> Arc<[u32]> {
    if let Some(owned) = Arc::get_mut(&mut words) {
        for id in owned.iter_mut() {
            *id = ids[*id as usize];
        }
        return words;
    }
    let key = Arc::as_ptr(&words) as *const u32;
    let (_, new) = renumbered.entry(key).or_insert_with(|| {
        let new = words.iter().map(|&id| ids[id as usize]).collect();
        (words, new)
    });
    Arc::clone(new)
}

/// One chapter's paragraphs prepared for comparison. Numbered in their
/// own vocabulary they depend on the chapter alone, so they are kept with
/// it (see [`Chapter::memo`]): a language server re-hashes only the edited
/// chapter.
pub(crate) struct ChapterParagraphs {
    /// With chapter index 0: [`flatten`] sets the real one (and may move
    /// them out).
    paras: Vec<Para>,
    /// How many paragraphs the chapter has.
    pub count: u32,
    /// The vocabulary the word ids in `paras` are numbered in.
    numbering: Numbering,
}

/// The vocabulary (see [`Vocabulary`]) a chapter's prepared paragraphs
/// number their words in.
enum Numbering {
    /// The chapter's own: the hash of each id's word, by id. [`flatten`]
    /// numbers the words again in the manuscript's.
    Own(Vec<u64>),
    /// The book's (see [`BookWordFacts`]), which every chapter of the run
    /// with word text ids shares and the manuscript's extends.
    Book(Arc<Vocabulary>),
}

/// The longest line, in characters after its `>`, of a block-quoted set
/// of lines [`is_quoted_document_lines`] takes for a document's furniture.
const DOCUMENT_LINE_MAX: usize = 50;

/// The most lines of such a set: a sign-off and a letterhead are short.
const DOCUMENT_LINES_MAX: usize = 8;

/// Whether the paragraph at `span` is a block quote set as a few short
/// lines, each opening with a capital, a digit or a mark, that end no
/// sentence but the last: a letter's or an email's sign-off,
/// letterhead or address (“> Regards,⏎> Martin Feld⏎> Partner, Hollis
/// Greaves LLP⏎> 10 Fleet Place”), or a stanza quoted. A story that quotes
/// a firm's emails repeats them on purpose, and such a block is never
/// compared; a quoted letter's sentences, wrapped, are.
fn is_quoted_document_lines(chapter: &Chapter, span: Span) -> bool {
    let text: &str = &chapter.text;
    let start = text[..span.start as usize].rfind('\n').map_or(0, |i| i + 1);
    // Most paragraphs are no block quote, told from their first line.
    if !text[start..].trim_start().starts_with('>') {
        return false;
    }
    let lines: Vec<&str> = text[start..span.end as usize].lines().collect();
    let Some((last, rest)) = lines.split_last() else {
        return false;
    };
    fn content(line: &str) -> Option<&str> {
        line.trim_start().strip_prefix('>').map(str::trim)
    }
    // Each line of a sign-off or an address stands alone, opening with a
    // capital, a digit or a mark; wrapped prose runs on in lowercase.
    let stands_alone =
        |c: &str| c.chars().count() <= DOCUMENT_LINE_MAX && !c.starts_with(char::is_lowercase);
    !rest.is_empty()
        && lines.len() <= DOCUMENT_LINES_MAX
        && lines.iter().all(|l| content(l).is_some_and(stands_alone))
        && content(last).is_some()
        && rest
            .iter()
            .filter_map(|l| content(l))
            .all(|c| !c.ends_with(['.', '!', '?', '…']))
}

impl ChapterParagraphs {
    /// The prepared paragraphs of `chapter`, built on first use; `book`:
    /// its texts' facts, when worked out for the whole book (the same as
    /// the chapter works out itself).
    pub fn of(chapter: &Chapter, params: &Params, book: Option<OfBook>) -> Arc<ChapterParagraphs> {
        // Numbered in the book's vocabulary, they hold for this book only.
        if book.is_some() {
            return Arc::new(ChapterParagraphs::build(chapter, params, book));
        }
        let key = format!(
            "duplicates/paragraphs/{}/{}",
            params.min_words, params.min_rare_words
        );
        chapter.memo(&key, |c| ChapterParagraphs::build(c, params, book))
    }

    fn build(chapter: &Chapter, params: &Params, book: Option<OfBook>) -> ChapterParagraphs {
        let mut paras: Vec<Para> = Vec::new();
        // The first paragraph of the chapter with each word sequence hash.
        // A later one with the same words is a later exact copy: it shares
        // the earlier one's word and sentence lists (a chapter of a book
        // pasted over and over held them for every copy).
        let mut first_with: FxHashMap<u64, u32> = FxHashMap::default();
        let mut source = match book {
            Some(book) => WordSource::Book(book),
            None => WordSource::Own(Box::new(OwnWords {
                vocabulary: Vocabulary::default(),
                ids: PerText::new(chapter),
                rarity: PerText::new(chapter),
            })),
        };
        for (block_index, block) in chapter.blocks.iter().enumerate() {
            if !block.is_paragraph() {
                continue;
            }
            let spans = chapter.block_words(block);
            let Some(first) = chapter.block_sentences(block).first() else {
                continue;
            };
            let first_word = first.words.start as usize;
            // Collected straight into its shared list: one allocation, where a
            // list copied into an `Arc` held the paragraph's hashes twice.
            let words = first_word..first_word + spans.len();
            let words: Arc<[u32]> = match &mut source {
                WordSource::Book(book) => words
                    .map(|word| book.word_ids[book.ids.of_word(word)])
                    .collect(),
                WordSource::Own(own) => {
                    let OwnWords {
                        vocabulary, ids, ..
                    } = &mut **own;
                    words
                        .map(|word| *ids.get(word, |text| vocabulary.id(word_hash(text))))
                        .collect()
                }
            };
            let hashes = match &source {
                WordSource::Book(book) => &book.vocabulary.hashes,
                WordSource::Own(own) => &own.vocabulary.hashes,
            };
            let sentences: Vec<_> = chapter
                .block_sentences(block)
                .iter()
                .map(|s| {
                    let range =
                        s.words.start as usize - first_word..s.words.end as usize - first_word;
                    let hash = ids_hash(&words[range.clone()], hashes);
                    (range, hash)
                })
                .collect();
            let id = paras.len() as u32;
            let first = *first_with.entry(ids_hash(&words, hashes)).or_insert(id);
            // `None` when this paragraph is the first.
            let earlier = paras.get(first as usize).filter(|e| *e.words == *words);
            let eligible = words.len() >= params.min_words.max(3)
                && rare_words_by_text(
                    chapter,
                    first_word..first_word + spans.len(),
                    params.min_rare_words,
                    &mut source,
                ) >= params.min_rare_words
                && !is_quoted_document_lines(chapter, block.span);
            let (words, sentences) = match earlier {
                Some(earlier) if *earlier.sentences == *sentences => {
                    (earlier.words.clone(), earlier.sentences.clone())
                }
                Some(earlier) => (earlier.words.clone(), sentences.into()),
                None => (words, sentences.into()),
            };
            paras.push(Para {
                r: ParagraphRef {
                    chapter: 0,
                    block: block_index,
                    span: block.span,
                },
                first_word,
                text_hash: text_hash(chapter.slice(block.span)),
                words,
                sentences,
                eligible,
            });
        }
        ChapterParagraphs {
            count: paras.len() as u32,
            paras,
            numbering: match source {
                WordSource::Book(book) => Numbering::Book(Arc::clone(book.vocabulary)),
                WordSource::Own(own) => Numbering::Own(own.vocabulary.hashes),
            },
        }
    }
}

/// The index in the manuscript's paragraph list of each chapter's first
/// paragraph (`paragraphs` in all): a chapter's own indices are offset by it.
pub(crate) fn first_paragraphs(prepared: &[Arc<ChapterParagraphs>], paragraphs: usize) -> Vec<u32> {
    let mut bases = Vec::with_capacity(prepared.len());
    let mut base = 0u32;
    for chapter in prepared {
        bases.push(base);
        base += chapter.count;
    }
    debug_assert_eq!(base as usize, paragraphs);
    bases
}

/// The hash of a word 3-gram (word ids of `vocabulary`).
fn shingle(w: &[u32], vocabulary: &[u64]) -> u64 {
    let hash = |i: usize| vocabulary[w[i] as usize];
    (hash(0).rotate_left(1) ^ hash(1).rotate_left(17) ^ hash(2).rotate_left(41))
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Word 3-grams hashed in one pass: a paragraph's shingles are listed
/// this many at a time at most (8 bytes each).
const SHINGLES_PER_PASS: usize = 1 << 22;

/// The distinct word 3-grams of a paragraph (word ids of `vocabulary`),
/// hashed, in ascending order.
#[cfg(test)]
fn distinct_shingles(words: &[u32], vocabulary: &[u64]) -> Vec<u64> {
    let mut distinct = Vec::new();
    distinct_shingles_in_passes(
        words,
        vocabulary,
        SHINGLES_PER_PASS,
        |_| true,
        &mut distinct,
    );
    distinct
}

/// Fills the empty `out` with the distinct word 3-grams of a paragraph
/// (word ids of `vocabulary`) that `wanted` keeps, hashed, in ascending
/// order; returns how many 3-grams it did not keep, repeats and all.
///
/// A paragraph of more than `per_pass` 3-grams (a chapter saved as one
/// line; rounded to a power of two passes) is read in several passes, each
/// listing only the hashes in its share of the range: listing them all at
/// once held a second list as long as the paragraph's word hashes (152 MB
/// on a 100 MB line). Each pass is sorted on its own, and the passes follow
/// each other up the range, so the result is the same.
fn distinct_shingles_in_passes(
    words: &[u32],
    vocabulary: &[u64],
    per_pass: usize,
    wanted: impl Fn(u64) -> bool,
    out: &mut Vec<u64>,
) -> usize {
    debug_assert!(out.is_empty());
    let count = words.len().saturating_sub(2);
    let passes = count.div_ceil(per_pass.max(1)).max(1).next_power_of_two();
    let shift = 64 - passes.trailing_zeros();
    let mut left_out = 0;
    if passes == 1 {
        // Every 3-gram written in place and kept by moving past it: about
        // half are wanted, at random, and a branch on it was guessed wrong
        // as often (8 of the listing's 24 ms on the corpus, one thread).
        out.resize(count, 0);
        let mut kept = 0;
        for w in words.windows(3) {
            let s = shingle(w, vocabulary);
            out[kept] = s;
            kept += usize::from(wanted(s));
        }
        out.truncate(kept);
        out.sort_unstable();
        out.dedup();
        return count - kept;
    }
    for pass in 0..passes as u64 {
        let start = out.len();
        for w in words.windows(3) {
            let s = shingle(w, vocabulary);
            // `passes` is 1 (shift 64) for any paragraph of usual length.
            if shift != 64 && s >> shift != pass {
                continue;
            }
            if wanted(s) {
                out.push(s);
            } else {
                left_out += 1;
            }
        }
        // The earlier passes' hashes are all below this one's.
        out[start..].sort_unstable();
        out.dedup();
    }
    left_out
}

/// The shingles by which paragraphs are paired: those of each paragraph
/// `indexed` picks (eligible first copies) that another may share, by
/// chapter, and how many distinct shingles each such paragraph has.
struct ShingleIndex {
    /// Each chapter's `(shingle, paragraph index)`, each paragraph's
    /// distinct, in the order [`merge::groups_by_key`] reads (see
    /// [`merge::order_by_top_bits`]).
    runs: Vec<Vec<(u64, u32)>>,
    /// By paragraph index: how many distinct 3-grams an indexed paragraph
    /// has (0 for others).
    counts: Vec<u32>,
}

impl ShingleIndex {
    /// Notes every shingle of the indexed paragraphs (see [`SeenTwice`]),
    /// then lists, chapter by chapter on every core, only those whose slot
    /// reads "twice" (every shingle noted twice or more, and some false
    /// alarms): a shingle noted once is in one paragraph, which shares it
    /// with none, and counts for that paragraph alone. (With every shingle
    /// listed, 16 bytes each, sorted in each chapter and then merged across
    /// them, the detection took 1,087 M instructions of a corpus run; 968 M
    /// with this.)
    fn build(
        paras: &[Para],
        vocabulary: &[u64],
        chapters: &[Range<usize>],
        indexed: impl Fn(usize) -> bool + Sync,
    ) -> ShingleIndex {
        let shingles_of = |id: usize| paras[id].words.len().saturating_sub(2);
        let total = (0..paras.len())
            .filter(|&id| indexed(id))
            .map(shingles_of)
            .sum();
        // On one core: threads sharing the table would need atomic
        // operations, and the other core has analyses of its own to run.
        let mut seen = SeenTwice::for_hashes(total);
        for id in (0..paras.len()).filter(|&id| indexed(id)) {
            for w in paras[id].words.windows(3) {
                seen.note(shingle(w, vocabulary));
            }
        }
        // Each chapter's run, and `(paragraph index, count)` for its
        // indexed paragraphs.
        type Listed = (Vec<(u64, u32)>, Vec<(u32, u32)>);
        let listed: Vec<Listed> = chapters
            .par_iter()
            .map(|range| {
                let range = range.clone();
                // Sized for half the shingles (48% are listed in the
                // corpus): the run grows at most once, where growing by
                // doubling copied it over and over.
                let shingles: usize = range
                    .clone()
                    .filter(|&id| indexed(id))
                    .map(shingles_of)
                    .sum();
                let mut run = Vec::with_capacity(shingles / 2);
                let mut counts = Vec::new();
                let mut shared = Vec::new();
                for id in range.filter(|&id| indexed(id)) {
                    let once = distinct_shingles_in_passes(
                        &paras[id].words,
                        vocabulary,
                        SHINGLES_PER_PASS,
                        |s| seen.maybe_twice(s),
                        &mut shared,
                    );
                    counts.push((id as u32, (once + shared.len()) as u32));
                    run.extend(shared.drain(..).map(|s| (s, id as u32)));
                }
                merge::order_by_top_bits(&mut run);
                (run, counts)
            })
            .collect();
        let mut counts = vec![0; paras.len()];
        let mut runs = Vec::with_capacity(listed.len());
        for (run, chapter_counts) in listed {
            for (id, count) in chapter_counts {
                counts[id as usize] = count;
            }
            runs.push(run);
        }
        ShingleIndex { runs, counts }
    }
}

/// Each chapter's range of paragraph indices, from the index of each
/// chapter's first paragraph (see [`first_paragraphs`]).
pub(crate) fn chapter_ranges(bases: &[u32], paragraphs: usize) -> Vec<Range<usize>> {
    let ends = bases
        .iter()
        .skip(1)
        .map(|&b| b as usize)
        .chain([paragraphs]);
    bases
        .iter()
        .zip(ends)
        .map(|(&b, e)| b as usize..e)
        .collect()
}

/// A 64-bit hash of a paragraph's exact text: the key under which the
/// comparison of two paragraphs is kept (see [`Verdicts`]). `FxHasher`
/// reads eight bytes a step; the standard library's SipHash, whose
/// resistance to chosen keys a run does not need, read every paragraph of
/// a book at a fifth of the speed (3 ms of the corpus).
fn text_hash(text: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(text)
}

/// The comparisons of paragraphs made so far, by the exact texts of the
/// two (earlier paragraph first). Kept with the later paragraph's chapter,
/// so re-checking a manuscript after an edit compares again only the pairs
/// the edit touched: [`verify`] is the costliest step of the detection.
#[derive(Default)]
struct Verdicts(std::sync::Mutex<FxHashMap<(u64, u64), Option<Verdict>>>);

impl Verdicts {
    /// The verdict on `a` and `b`, from an earlier comparison or from `compare`.
    fn get_or(
        &self,
        a: &Para,
        b: &Para,
        compare: impl FnOnce() -> Option<Verdict>,
    ) -> Option<Verdict> {
        let key = (a.text_hash, b.text_hash);
        if let Some(found) = self.lock().get(&key) {
            return found.clone();
        }
        let verdict = compare();
        self.lock().insert(key, verdict.clone());
        verdict
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<(u64, u64), Option<Verdict>>> {
        crate::text::lock(&self.0)
    }
}

/// The repeated words of two paragraphs: `[start, end)` in each.
type SharedWords = ((usize, usize), (usize, usize));

/// The duplicate detection of one manuscript: the paragraphs prepared for
/// comparison, what was found, and an index of which paragraphs are
/// reported together. Built once per run in the analysis stage and shared
/// by `duplicate-paragraph`, `repeated-sentence` and the echo rules (see
/// [`shared_duplicates`]).
pub struct Detection {
    /// Every paragraph of the manuscript in reading order, with its words
    /// while the detection runs; empty once it is done (see
    /// [`Detection::build`]).
    pub(crate) paragraphs: Vec<Para>,
    /// The hash of each word id in `paragraphs`, by id (see
    /// [`Vocabulary`]; the book's vocabulary also numbers words no
    /// paragraph has); empty once the detection is done.
    pub(crate) vocabulary: Vec<u64>,
    /// Where each of those paragraphs is: all the checks need of them.
    places: Vec<ParagraphRef>,
    pub found: Duplicates,
    /// Reported pairs by `(earlier, later)` paragraph index, with the
    /// repeated words of each (see [`DuplicatePair::earlier_words`]).
    pairs: FxHashMap<(u32, u32), Vec<SharedWords>>,
    /// By paragraph index, the index of its group ([`NO_GROUP`] for a
    /// paragraph in none): read for every pair of places of a repeated
    /// run of words, so an array rather than a map.
    group_of: Vec<u32>,
}

/// [`Detection::group_of`] for a paragraph in no group.
const NO_GROUP: u32 = u32::MAX;

impl Detection {
    /// Runs the detection (see the module docs): paragraphs first, then
    /// repeated sentences and passages outside the reported paragraphs.
    pub fn build(manuscript: &Manuscript, settings: &Settings) -> Detection {
        Detection::build_in_passes(manuscript, settings, repeats::WINDOWS_PER_PASS)
    }

    /// [`Detection::build`], with the word windows taken at most
    /// `windows_per_pass` at a time (see [`repeats::WINDOWS_PER_PASS`]).
    fn build_in_passes(
        manuscript: &Manuscript,
        settings: &Settings,
        windows_per_pass: usize,
    ) -> Detection {
        let params = &settings.paragraphs;
        let mut prepared = prepare(manuscript, params);
        let (paragraphs, vocabulary) = flatten(manuscript, &mut prepared);
        let first_copy = exact_classes(&paragraphs);
        // Each chapter's paragraphs, for the passes that list chapter by
        // chapter.
        let chapters = chapter_ranges(
            &first_paragraphs(&prepared, paragraphs.len()),
            paragraphs.len(),
        );
        let candidates = candidate_pairs(&paragraphs, &vocabulary, &chapters, &first_copy, params);
        let verdicts_key = format!("duplicates/verdicts/{params:?}");
        // The repeat search's first pass over the windows needs only the
        // paragraphs: it runs on one core while the comparisons take the
        // others.
        let window_words = repeats::window_words(&settings.sentences);
        let (seen_windows, verdicts) = rayon::join(
            || repeats::note_windows(&paragraphs, &vocabulary, window_words),
            || {
                candidates
                    .par_iter()
                    .filter_map(|&(a, b, _)| {
                        let (pa, pb) = (&paragraphs[a as usize], &paragraphs[b as usize]);
                        let verdicts = manuscript
                            .chapter(pb.r.chapter)
                            .memo(&verdicts_key, |_| Verdicts::default());
                        verdicts
                            .get_or(pa, pb, || verify(manuscript, pa, pb, params))
                            .map(|v| (a, b, v))
                    })
                    .collect::<Vec<(u32, u32, Verdict)>>()
            },
        );
        let mut detection = Detection {
            places: paragraphs.iter().map(|p| p.r).collect(),
            paragraphs,
            vocabulary,
            found: Duplicates::default(),
            pairs: FxHashMap::default(),
            group_of: Vec::new(),
        };
        let (pairs, groups) = detection.group_copies(manuscript, &first_copy, verdicts);
        detection.found.pairs = pairs;
        detection.found.groups = groups;
        detection.found.repeats = repeats::find(
            manuscript,
            &detection,
            &chapters,
            &settings.sentences,
            windows_per_pass,
            &seen_windows,
        );
        // The checks read only where the paragraphs are. Their words (4
        // bytes each) would otherwise be held to the end of the run, beside
        // the echo rules' tokens at its peak memory.
        detection.paragraphs = Vec::new();
        detection.vocabulary = Vec::new();
        detection
    }

    /// The index of a paragraph in [`Detection::places`] (and, while the
    /// detection runs, [`Detection::paragraphs`]).
    fn index_of(&self, r: ParagraphRef) -> Option<u32> {
        self.places.binary_search(&r).ok().map(|i| i as u32)
    }

    /// True when the two paragraphs are reported as repeating each other
    /// (as a pair, or as members of one group).
    pub fn related(&self, a: ParagraphRef, b: ParagraphRef) -> bool {
        match (self.index_of(a), self.index_of(b)) {
            (Some(a), Some(b)) => self.related_at(a, b, None),
            _ => false,
        }
    }

    /// Whether paragraphs `a` and `b` (indices) are reported as repeating
    /// each other; with `words`, whether the reported copy holds those
    /// words of each (`[start, end)` in `a`, then in `b`).
    pub(crate) fn related_at(&self, a: u32, b: u32, words: Option<SharedWords>) -> bool {
        if a == b {
            return false;
        }
        if self.in_one_group(a, b) {
            return true;
        }
        let (key, words) = if a < b {
            ((a, b), words)
        } else {
            ((b, a), words.map(|(x, y)| (y, x)))
        };
        let inside =
            |outer: (usize, usize), inner: (usize, usize)| outer.0 <= inner.0 && inner.1 <= outer.1;
        self.pairs.get(&key).is_some_and(|shared| {
            shared
                .iter()
                .any(|&(ra, rb)| words.is_none_or(|(wa, wb)| inside(ra, wa) && inside(rb, wb)))
        })
    }

    /// Whether paragraphs `a` and `b` (indices) are two members of one
    /// reported group: every part of one repeats the other.
    /// The paragraphs (indices) reported as repeating another or repeated:
    /// in a pair or a group. Only they hold text [`Detection::related_at`]
    /// can tell apart.
    pub(crate) fn copied_paragraphs(&self) -> FxHashSet<u32> {
        let mut copied: FxHashSet<u32> = self.pairs.keys().flat_map(|&(a, b)| [a, b]).collect();
        copied.extend(
            (0..)
                .zip(&self.group_of)
                .filter(|&(_, &group)| group != NO_GROUP)
                .map(|(para, _)| para),
        );
        copied
    }

    pub(crate) fn in_one_group(&self, a: u32, b: u32) -> bool {
        let group = |p: u32| self.group_of.get(p as usize).copied().unwrap_or(NO_GROUP);
        a != b && group(a) != NO_GROUP && group(a) == group(b)
    }

    /// Joins exact and edited copies of one paragraph into groups of three
    /// or more; everything else stays a pair. `verdicts` are between the
    /// first copies of exact-copy classes; other members of a class share
    /// its verdicts.
    fn group_copies(
        &mut self,
        manuscript: &Manuscript,
        first_copy: &[u32],
        verdicts: Vec<(u32, u32, Verdict)>,
    ) -> (Vec<DuplicatePair>, Vec<DuplicateGroup>) {
        let paras = &self.paragraphs;
        let n = paras.len();
        let mut members: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        for (id, &first) in first_copy.iter().enumerate() {
            if first as usize != id {
                members
                    .entry(first)
                    .or_insert_with(|| vec![first])
                    .push(id as u32);
            }
        }
        let class = |first: u32| -> Vec<u32> {
            members.get(&first).cloned().unwrap_or_else(|| vec![first])
        };

        // Copies (exact or edited) join classes into groups.
        let mut parent: Vec<u32> = (0..n as u32).collect();
        fn find(parent: &mut [u32], mut x: u32) -> u32 {
            while parent[x as usize] != x {
                parent[x as usize] = parent[parent[x as usize] as usize];
                x = parent[x as usize];
            }
            x
        }
        fn union(parent: &mut [u32], a: u32, b: u32) {
            let (x, y) = (find(parent, a), find(parent, b));
            parent[x as usize] = y;
        }
        for (&first, list) in &members {
            for &m in list {
                union(&mut parent, first, m);
            }
        }
        // Copies between two classes, by their first copies.
        let mut copies: FxHashMap<(u32, u32), &Verdict> = FxHashMap::default();
        for (a, b, v) in &verdicts {
            if v.kind.is_copy() {
                union(&mut parent, *a, *b);
                copies.insert((*a, *b), v);
            }
        }
        let mut components: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        let in_copies: Vec<u32> = members
            .values()
            .flatten()
            .copied()
            .chain(
                verdicts
                    .iter()
                    .filter(|v| v.2.kind.is_copy())
                    .flat_map(|v| [v.0, v.1]),
            )
            .collect();
        for id in in_copies {
            let root = find(&mut parent, id);
            components.entry(root).or_default().push(id);
        }
        let mut groups: Vec<(Vec<u32>, DuplicateGroup)> = Vec::new();
        let mut pairs: Vec<(u32, u32, DuplicatePair)> = Vec::new();
        for mut list in components.into_values() {
            list.sort_unstable();
            list.dedup();
            match list.as_slice() {
                [a, b] => {
                    // One pair: two exact copies, or an edited pair.
                    let verdict = match copies.get(&(*a, *b)) {
                        Some(&v) => v.clone(),
                        None => Verdict::exact(&paras[*a as usize], &paras[*b as usize]),
                    };
                    pairs.push((*a, *b, self.pair(manuscript, *a, *b, &verdict)));
                }
                [.., last] => {
                    // The lowest similarity between the last copy and an
                    // earlier one it is compared with.
                    let last_first = first_copy[*last as usize];
                    let similarity = list[..list.len() - 1]
                        .iter()
                        .filter_map(|&m| {
                            let m_first = first_copy[m as usize];
                            if m_first == last_first {
                                return Some(1.0);
                            }
                            let key = (m_first.min(last_first), m_first.max(last_first));
                            copies.get(&key).map(|v| v.similarity)
                        })
                        .fold(1.0, f64::min);
                    groups.push((
                        list.clone(),
                        DuplicateGroup {
                            members: list.iter().map(|&m| paras[m as usize].r).collect(),
                            similarity,
                        },
                    ));
                }
                [] => {}
            }
        }
        // Containment and shared sentences hold for every copy in a class.
        const MAX_EXPANDED: usize = 64;
        for (a, b, verdict) in verdicts.iter().filter(|v| !v.2.kind.is_copy()) {
            let (class_a, class_b) = (class(*a), class(*b));
            let combos: Vec<(u32, u32)> = if class_a.len() * class_b.len() <= MAX_EXPANDED {
                class_a
                    .iter()
                    .flat_map(|&x| class_b.iter().map(move |&y| (x, y)))
                    .collect()
            } else {
                vec![(*a, *b)]
            };
            for (x, y) in combos {
                pairs.push(if x < y {
                    (x, y, self.pair(manuscript, x, y, verdict))
                } else {
                    (y, x, self.pair(manuscript, y, x, &verdict.swapped()))
                });
            }
        }
        pairs.sort_by_key(|p| (p.1, p.0));
        groups.sort_by_key(|g| g.0.last().copied());
        self.group_of = vec![NO_GROUP; self.places.len()];
        for (g, (ids, _)) in groups.iter().enumerate() {
            for &id in ids {
                self.group_of[id as usize] = g as u32;
            }
        }
        for (a, b, pair) in &pairs {
            self.pairs
                .entry((*a, *b))
                .or_default()
                .push((pair.earlier_words, pair.later_words));
        }
        (
            pairs.into_iter().map(|p| p.2).collect(),
            groups.into_iter().map(|g| g.1).collect(),
        )
    }

    /// The reported pair of paragraphs `a` before `b` (indices).
    fn pair(&self, manuscript: &Manuscript, a: u32, b: u32, v: &Verdict) -> DuplicatePair {
        let (pa, pb) = (&self.paragraphs[a as usize], &self.paragraphs[b as usize]);
        DuplicatePair {
            earlier: pa.r,
            later: pb.r,
            kind: v.kind,
            similarity: v.similarity,
            earlier_shared: pa.words_span(manuscript, v.words_a),
            later_shared: pb.words_span(manuscript, v.words_b),
            earlier_share: v.share_a,
            later_share: v.share_b,
            earlier_words: v.words_a,
            later_words: v.words_b,
        }
    }
}

/// Finds every duplicated paragraph, sentence and passage of the
/// manuscript, with the default sentence settings.
pub fn find_duplicates(manuscript: &Manuscript, params: &Params) -> Duplicates {
    let settings = Settings {
        paragraphs: params.clone(),
        sentences: SentenceParams::default(),
    };
    Detection::build(manuscript, &settings).found
}

/// For each paragraph, the index of the first paragraph with exactly the
/// same words (itself when there is none). Only eligible paragraphs are
/// classed: the others are never compared.
fn exact_classes(paras: &[Para]) -> Vec<u32> {
    let mut keyed: Vec<(u64, u32)> = paras
        .iter()
        .enumerate()
        .filter(|(_, p)| p.eligible)
        // Only a key to gather equal lists by: the ids' own hash will do.
        .map(|(i, p)| {
            (
                hash_words(p.words.len(), p.words.iter().map(|&id| u64::from(id))),
                i as u32,
            )
        })
        .collect();
    keyed.par_sort_unstable();
    let mut first: Vec<u32> = (0..paras.len() as u32).collect();
    for run in keyed.chunk_by(|x, y| x.0 == y.0) {
        // Ids ascend in a run, so a class's first copy comes first; equal
        // hashes with different words (a collision) start their own class.
        let mut heads: Vec<u32> = Vec::new();
        for &(_, id) in run {
            let words = &paras[id as usize].words;
            match heads.iter().find(|&&h| paras[h as usize].words == *words) {
                Some(&h) => first[id as usize] = h,
                None => heads.push(id),
            }
        }
    }
    first
}

/// Pairs of eligible paragraphs `(earlier, later, shared shingles)` that share
/// enough rare-enough shingles to be worth a diff. Only the first copy of
/// each exact-copy class is indexed, so a paragraph pasted any number of
/// times counts once towards a shingle's frequency.
fn candidate_pairs(
    paras: &[Para],
    vocabulary: &[u64],
    chapters: &[Range<usize>],
    first_copy: &[u32],
    params: &Params,
) -> Vec<(u32, u32, u32)> {
    // Only the first copy of an exact-copy class is indexed: a later one
    // is compared through it.
    let indexed = |id: usize| paras[id].eligible && first_copy[id] as usize == id;
    let index = ShingleIndex::build(paras, vocabulary, chapters, indexed);
    let runs: Vec<&[(u64, u32)]> = index.runs.iter().map(Vec::as_slice).collect();
    let shingle_counts = &index.counts;

    let max_df = params.max_shingle_paragraphs.max(2);
    // The paragraphs of each shingle, one shingle after another.
    let groups: Vec<u32> = merge::groups_by_key(
        &runs,
        |_, id| Some(id),
        |ids, groups| {
            if ids.len() <= max_df {
                groups.extend_from_slice(ids);
                groups.push(merge::GROUP_END);
            }
        },
    );
    drop(runs);
    drop(index.runs);
    let mut out = Vec::new();
    // Two paragraphs that share one shingle share a phrase at most.
    merge::count_pairs(&groups, paras.len(), 2, |a, b, shared| {
        let smaller = shingle_counts[a as usize].min(shingle_counts[b as usize]);
        // Copies with up to a third of the words edited keep about a third of
        // their 3-grams; a shared run of two sentences keeps ten or more.
        if shared as f64 >= 0.15 * smaller as f64 || shared >= 10 {
            out.push((a, b, shared));
        }
    });
    out
}

/// The word index range `[start, end)` covered by a set of equal runs.
fn cover(runs: &[(usize, usize)]) -> Option<(usize, usize)> {
    let start = runs.iter().map(|r| r.0).min()?;
    let end = runs.iter().map(|r| r.0 + r.1).max()?;
    Some((start, end))
}

/// How two paragraphs repeat each other, in words: what [`verify`] finds,
/// before it becomes a [`DuplicatePair`] (for every copy of each).
#[derive(Clone, Debug)]
struct Verdict {
    kind: MatchKind,
    similarity: f64,
    /// The repeated words of each paragraph, `[start, end)`.
    words_a: (usize, usize),
    words_b: (usize, usize),
    /// Share (0–1) of each paragraph's words that repeat the other.
    share_a: f64,
    share_b: f64,
}

impl Verdict {
    /// Two paragraphs with the same words.
    fn exact(a: &Para, b: &Para) -> Verdict {
        Verdict {
            kind: MatchKind::Exact,
            similarity: 1.0,
            words_a: (0, a.words.len()),
            words_b: (0, b.words.len()),
            share_a: 1.0,
            share_b: 1.0,
        }
    }

    /// The same verdict seen from the other paragraph.
    fn swapped(&self) -> Verdict {
        Verdict {
            words_a: self.words_b,
            words_b: self.words_a,
            share_a: self.share_b,
            share_b: self.share_a,
            ..self.clone()
        }
    }
}

impl MatchKind {
    /// An exact or edited copy (as opposed to text held in a longer
    /// paragraph, or shared sentences).
    pub fn is_copy(self) -> bool {
        matches!(self, MatchKind::Exact | MatchKind::Edited)
    }
}

/// Compares two candidate paragraphs (`a` first in reading order).
fn verify(manuscript: &Manuscript, a: &Para, b: &Para, params: &Params) -> Option<Verdict> {
    let (la, lb) = (a.words.len(), b.words.len());
    if a.words == b.words {
        return Some(Verdict::exact(a, b));
    }
    // Most candidates share a phrase or two and little else. When even
    // every shared word matched, neither the similarity nor the
    // containment could be reached, only shared sentences can make them
    // copies: look for those first, and diff (for the similarity the
    // verdict gives) only the few pairs that have them. The diffs were a
    // twentieth of a corpus run's instructions, nearly all on such pairs.
    let common = common_words_bound(&a.words, &b.words);
    let shorter = la.min(lb);
    let may_be_edited = 2.0 * common as f64 / (la + lb) as f64 >= params.min_similarity;
    let may_be_contained =
        shorter >= params.min_words && common as f64 >= params.min_containment * shorter as f64;
    let shared = if may_be_edited || may_be_contained {
        None
    } else {
        Some(shared_sentence_run(manuscript, a, b, params)?)
    };

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
        return Some(Verdict {
            kind: MatchKind::Edited,
            similarity,
            words_a: (0, la),
            words_b: (0, lb),
            share_a: matched as f64 / la as f64,
            share_b: matched as f64 / lb as f64,
        });
    }

    let strict: usize = runs_a.iter().map(|r| r.1).sum();
    if shorter >= params.min_words && strict as f64 >= params.min_containment * shorter as f64 {
        let (ca, cb) = (cover(&runs_a)?, cover(&runs_b)?);
        // The shorter paragraph is shown whole; the longer one at the part
        // that holds it.
        let (words_a, words_b) = if la <= lb {
            ((0, la), cb)
        } else {
            (ca, (0, lb))
        };
        return Some(Verdict {
            kind: MatchKind::Contained,
            similarity,
            words_a,
            words_b,
            share_a: strict as f64 / la as f64,
            share_b: strict as f64 / lb as f64,
        });
    }

    let shared = match shared {
        Some(run) => Some(run),
        None => shared_sentence_run(manuscript, a, b, params),
    };
    shared.map(|(words_a, words_b, words)| Verdict {
        kind: MatchKind::SharedSentences,
        similarity,
        words_a,
        words_b,
        share_a: words as f64 / la as f64,
        share_b: words as f64 / lb as f64,
    })
}

/// How many words two paragraphs (word ids) can have in common, in order
/// or not: the sum over their words of the smaller of its two counts. What
/// a diff of the two matches is never more.
fn common_words_bound(a: &[u32], b: &[u32]) -> usize {
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort_unstable();
    b.sort_unstable();
    crate::rules::common_count(&a, &b)
}

/// Word ranges in the two paragraphs, and the number of words.
type SharedRun = ((usize, usize), (usize, usize), usize);

/// The longest run of two or more equal sentences (in a row in both
/// paragraphs) with enough words and information: word ranges in `a` and
/// `b`, and the number of words. The sentences of `b` are indexed by hash,
/// so the cost grows with the sentences that match, not with the product
/// of the two paragraphs' lengths.
fn shared_sentence_run(
    manuscript: &Manuscript,
    a: &Para,
    b: &Para,
    params: &Params,
) -> Option<SharedRun> {
    let mut in_b: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    for (j, (range, hash)) in b.sentences.iter().enumerate() {
        if !range.is_empty() {
            in_b.entry(*hash).or_default().push(j);
        }
    }
    let mut best: Option<(usize, usize, usize)> = None; // (i, j, len) in sentences
    for (i, (range, hash)) in a.sentences.iter().enumerate() {
        if range.is_empty() {
            continue;
        }
        for &j in in_b.get(hash).map_or(&[][..], Vec::as_slice) {
            // Only the start of a run: a run starting one sentence earlier
            // is longer.
            if i > 0 && j > 0 && a.sentences[i - 1].1 == b.sentences[j - 1].1 {
                continue;
            }
            let mut len = 0;
            while i + len < a.sentences.len()
                && j + len < b.sentences.len()
                && a.sentences[i + len].1 == b.sentences[j + len].1
                && !a.sentences[i + len].0.is_empty()
            {
                len += 1;
            }
            if len >= 2 && best.is_none_or(|(bi, bj, l)| len > l || (len == l && (i, j) < (bi, bj)))
            {
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

/// The duplicate detection for these settings, run once per manuscript and
/// shared by `duplicate-paragraph`, `repeated-sentence` and the echo rules.
pub fn shared_duplicates(manuscript: &Manuscript, settings: &Settings) -> Arc<Detection> {
    manuscript.shared(&format!("{settings:?}"), |m| Detection::build(m, settings))
}

/// Lets go of the duplicate detection for these settings (see
/// [`crate::rule::Rule::release_analyses`]).
pub(crate) fn release_duplicates(manuscript: &Manuscript, settings: &Settings) {
    manuscript.release_shared::<Detection>(&format!("{settings:?}"));
}

/// Duplicate detection for these settings as an analysis that reads no
/// other: the engine builds it beside the echo rules' lexicon (see
/// [`crate::rule::Rule::independent_analyses`]).
pub(crate) fn detection_analysis(settings: &Settings) -> IndependentAnalysis<'_> {
    IndependentAnalysis::new(format!("duplicates/{settings:?}"), move |manuscript| {
        shared_duplicates(manuscript, settings);
    })
}

/// The options of both duplicate rules as configured (defaults where a
/// table is missing or does not parse: building the rule reports that), so
/// each rule and the echo rules share one detection.
pub(crate) fn configured_settings(config: &crate::config::Config) -> Settings {
    fn options<T: serde::de::DeserializeOwned + Default>(
        config: &crate::config::Config,
        id: &str,
    ) -> T {
        config
            .rule_settings(id)
            .ok()
            .and_then(|(_, options)| toml::Value::Table(options).try_into().ok())
            .unwrap_or_default()
    }
    Settings {
        paragraphs: options(config, &duplicate_paragraph::META.id),
        sentences: options(config, &repeated_sentence::META.id),
    }
}

#[cfg(test)]
mod tests;
