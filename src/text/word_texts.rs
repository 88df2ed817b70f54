//! Each word of a chapter by its exact text, found once when the chapter is
//! parsed, and [`PerText`]: a value worked out once per text.
//!
//! Several analyses derive something from every word's text (its lowercase
//! form, its hash, whether it is capitalised) and used to look each word up
//! in a table of their own: about 200 instructions a word for the hash and
//! the comparison, paid again by each of them. A chapter uses each text
//! about three times (the corpus: 1.37 M words, 0.43 M distinct texts per
//! chapter summed), so with an id per word they work a text out once, on
//! its first use, and find it again by index.
//!
//! [`ManuscriptTexts`] numbers the texts again across the whole book (the
//! corpus: 36,000 distinct texts), so that a single run works each value
//! out once for the book ([`ManuscriptTexts::values`]) and each chapter
//! reads it by index ([`TextValues`]); a language server, which keeps its
//! analyses chapter by chapter, works them out per chapter as before.

use rustc_hash::FxHashMap;

use super::{Chapter, Span};

/// Chapters of more words than this keep no ids: 4 bytes a word would put
/// a 100 MiB chapter (18 M words) over five times its size in memory. Their
/// [`PerText`] tables look texts up themselves. 4 M words is about 23 MB of
/// prose, forty novels' chapters in one.
const MAX_WORDS: usize = 1 << 22;

/// The text id of every word of a chapter: ids count from 0 in order of
/// first use, and two words have one id exactly when their texts are the
/// same bytes (case and apostrophes included). Empty for a chapter of more
/// than [`MAX_WORDS`] words.
///
/// 4 bytes a word, plus 8 a distinct text.
#[derive(Debug, Default)]
pub struct WordTexts(Option<Ids>);

#[derive(Debug)]
struct Ids {
    /// By word index ([`Chapter::words`]).
    ids: Vec<u32>,
    /// The span of each id's first use.
    first_uses: Vec<Span>,
}

impl WordTexts {
    /// No ids, as a chapter too long to keep them has: for tests of the
    /// analyses' other way.
    #[cfg(test)]
    pub(crate) fn none() -> WordTexts {
        WordTexts(None)
    }

    /// The ids of `words`, spans of `text`.
    pub(crate) fn new(text: &str, words: &[Span]) -> WordTexts {
        WordTexts::up_to(text, words, MAX_WORDS)
    }

    /// [`WordTexts::new`], for at most `max_words` words.
    fn up_to(text: &str, words: &[Span], max_words: usize) -> WordTexts {
        if words.len() > max_words {
            return WordTexts(None);
        }
        // Sized for a usual chapter's few thousand texts; a long one grows.
        let mut index = TextIndex::with_capacity((words.len() / 3).min(1 << 13));
        let mut first_uses = Vec::new();
        let ids = words
            .iter()
            .map(|&span| {
                index.id(text, span, || {
                    first_uses.push(span);
                    first_uses.len() as u32 - 1
                })
            })
            .collect();
        first_uses.shrink_to_fit();
        WordTexts(Some(Ids { ids, first_uses }))
    }

    /// The first use of each distinct text, in order; `None` for a chapter
    /// too long to keep ids.
    pub fn first_uses(&self) -> Option<&[Span]> {
        self.0.as_ref().map(|ids| ids.first_uses.as_slice())
    }
}

/// The distinct word texts of a whole manuscript: each chapter's text ids
/// (see [`WordTexts`]) numbered again across the book, so that what
/// follows from a text alone is worked out once for the book rather than
/// once in every chapter that uses the text (the corpus: 422,000 texts
/// counted chapter by chapter, 36,000 in the whole book).
///
/// Ids count from 0 in reading order of first use. A chapter that keeps no
/// ids has none here either: its analyses look its texts up themselves.
/// 4 bytes for each text of each chapter, plus a copy of each distinct
/// text and 8 bytes more.
pub struct ManuscriptTexts {
    /// By chapter position: the chapter's text's address (to tell that a
    /// chapter asking is the one numbered) and, by its text ids, the
    /// manuscript-wide ids.
    chapters: Vec<Option<(usize, Box<[u32]>)>>,
    /// Every distinct text, one after another in id order: read side by
    /// side rather than each in its chapter's text, where every read was
    /// a cache miss (1.3% of a corpus run's time).
    all: String,
    /// Where each text ends in `all`, by id.
    ends: Vec<usize>,
}

impl ManuscriptTexts {
    /// Numbers the texts of `chapters`. On one thread, with no rayon work
    /// (see [`super::Manuscript::texts`]): a look-up for each text of each
    /// chapter in a table of the book's texts, which mostly stays in the
    /// cache (8–10 ms for the corpus).
    pub(crate) fn new(chapters: &[Chapter]) -> ManuscriptTexts {
        let mut index = TextIndex::with_capacity(0);
        let (mut all, mut ends) = (String::new(), Vec::new());
        let chapters = chapters
            .iter()
            .map(|chapter| {
                let texts = chapter.word_texts.first_uses()?;
                let ids = texts
                    .iter()
                    .map(|&span| {
                        index.id(&chapter.text, span, || {
                            all.push_str(chapter.slice(span));
                            ends.push(all.len());
                            ends.len() as u32 - 1
                        })
                    })
                    .collect();
                Some((text_address(chapter), ids))
            })
            .collect();
        ManuscriptTexts {
            chapters,
            all,
            ends,
        }
    }

    /// How many distinct texts the manuscript's chapters with ids have.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The text with manuscript-wide id `id`.
    pub fn text(&self, id: usize) -> &str {
        let start = id.checked_sub(1).map_or(0, |before| self.ends[before]);
        &self.all[start..self.ends[id]]
    }

    /// How `chapter`'s words find their manuscript-wide text ids; `None`
    /// for a chapter that keeps no ids or is not one numbered here.
    pub fn of_chapter<'t, 'c>(&'t self, chapter: &'c Chapter) -> Option<ChapterTextIds<'t>>
    where
        'c: 't,
    {
        let (address, ids) = self.chapters.get(chapter.index)?.as_ref()?;
        let local = chapter.word_texts.0.as_ref()?;
        // Another chapter at this position (or one parsed again since) has
        // another text, or other texts.
        if *address != text_address(chapter) || ids.len() != local.first_uses.len() {
            return None;
        }
        Some(ChapterTextIds {
            local: &local.ids,
            global: ids,
        })
    }

    /// `value` of every text, in id order, made on every core.
    pub fn values<'t, T: Send>(&'t self, value: impl Fn(&'t str) -> T + Sync) -> Vec<T> {
        use rayon::prelude::*;
        (0..self.len())
            .into_par_iter()
            .map(|id| value(self.text(id)))
            .collect()
    }
}

/// Word texts to ids. A text of up to [`SHORT`] bytes (most words: 90% of
/// the corpus's) is keyed by its bytes and length packed in a `u64`, found
/// with one multiply and one comparison; a longer one by its text, hashed
/// byte by byte and compared with `memcmp`. Numbering the corpus's words
/// took 4.8% of a run's samples with every text keyed by its bytes.
struct TextIndex<'t> {
    short: FxHashMap<u64, u32>,
    long: FxHashMap<&'t str, u32>,
}

/// The longest text (bytes) [`TextIndex`] packs in a `u64`: seven bytes
/// and the length.
const SHORT: usize = 7;

impl<'t> TextIndex<'t> {
    /// Room for `texts` short texts before growing.
    fn with_capacity(texts: usize) -> TextIndex<'t> {
        let mut short = FxHashMap::default();
        short.reserve(texts);
        TextIndex {
            short,
            long: FxHashMap::default(),
        }
    }

    /// The id of the text at `span` of `text`; `new()` gives the id of a
    /// text not met before (and is called only then).
    #[inline]
    fn id(&mut self, text: &'t str, span: Span, new: impl FnOnce() -> u32) -> u32 {
        match packed(text.as_bytes(), span) {
            Some(key) => id_in(&mut self.short, key, new),
            None => id_in(&mut self.long, &text[span.range()], new),
        }
    }
}

/// The id of `key` in `ids`, `new()` (added under `key`) if it is not there.
/// Most texts were met before: a look-up, then an insertion for the rest
/// (`entry` was not inlined here, 40 M instructions more on the corpus).
#[inline]
fn id_in<K: std::hash::Hash + Eq>(
    ids: &mut FxHashMap<K, u32>,
    key: K,
    new: impl FnOnce() -> u32,
) -> u32 {
    match ids.get(&key) {
        Some(&id) => id,
        None => {
            let id = new();
            ids.insert(key, id);
            id
        }
    }
}

/// The bytes of `span` of `text` and their count, packed little-end first
/// with the count in the top byte: the same key exactly when the bytes are
/// the same. `None` for a span longer than [`SHORT`] bytes.
#[inline]
fn packed(text: &[u8], span: Span) -> Option<u64> {
    let (start, len) = (span.start as usize, span.len());
    if len > SHORT {
        return None;
    }
    let bytes = match text.get(start..start + 8) {
        // Eight bytes read at once, those past the span masked off.
        Some(eight) => {
            let eight = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
            eight & ((1u64 << (8 * len)) - 1)
        }
        // Near the end of the text.
        None => {
            let mut eight = [0u8; 8];
            eight[..len].copy_from_slice(&text[start..start + len]);
            u64::from_le_bytes(eight)
        }
    };
    Some(bytes | (len as u64) << 56)
}

/// A chapter's text's address: tells one chapter from another for as long
/// as both live.
fn text_address(chapter: &Chapter) -> usize {
    std::sync::Arc::as_ptr(&chapter.text) as *const u8 as usize
}

/// One chapter's words' manuscript-wide text ids (see [`ManuscriptTexts`]).
#[derive(Clone, Copy)]
pub struct ChapterTextIds<'t> {
    /// By word: the chapter's text id.
    local: &'t [u32],
    /// By the chapter's text id: the manuscript-wide one.
    global: &'t [u32],
}

impl ChapterTextIds<'_> {
    /// The manuscript-wide text id of word number `word` of the chapter.
    #[inline]
    pub fn of_word(&self, word: usize) -> usize {
        self.global[self.local[word] as usize] as usize
    }

    /// How many distinct texts the chapter's words have.
    pub fn texts(&self) -> usize {
        self.global.len()
    }

    /// The chapter's own id (below [`Self::texts`]) of word number
    /// `word`'s text.
    #[inline]
    pub fn local_of_word(&self, word: usize) -> usize {
        self.local[word] as usize
    }

    /// The manuscript-wide id of the chapter's text `local`.
    #[inline]
    pub fn of_local(&self, local: usize) -> usize {
        self.global[local] as usize
    }
}

/// A value for each distinct text of one chapter's words, read from values
/// made for the whole manuscript's texts when there are some (see
/// [`ManuscriptTexts::values`]), else made in the chapter on each text's
/// first use (see [`PerText`]). Either way the value of a word is `make`
/// of its text: the manuscript's values must be made by the same function.
pub enum TextValues<'v, 'c, T> {
    Shared(ChapterTextIds<'v>, &'v [T]),
    Own(PerText<'c, T>),
}

impl<'v, 'c, T> TextValues<'v, 'c, T> {
    /// `shared`: the manuscript's texts and their values, if made.
    pub fn new(chapter: &'c Chapter, shared: Option<(&'v ManuscriptTexts, &'v [T])>) -> Self
    where
        'c: 'v,
    {
        match shared.and_then(|(texts, values)| Some((texts.of_chapter(chapter)?, values))) {
            Some((ids, values)) => TextValues::Shared(ids, values),
            None => TextValues::Own(PerText::new(chapter)),
        }
    }

    /// The value of the text of the chapter's word number `word`.
    #[inline]
    pub fn get(&mut self, word: usize, make: impl FnOnce(&'c str) -> T) -> &T {
        match self {
            TextValues::Shared(ids, values) => &values[ids.of_word(word)],
            TextValues::Own(own) => own.get(word, make),
        }
    }

    /// An id for the text of word number `word`, whose value [`Self::at`]
    /// reads: for holding the values of two words at once.
    #[inline]
    pub fn slot(&mut self, word: usize, make: impl FnOnce(&'c str) -> T) -> usize {
        match self {
            TextValues::Shared(ids, _) => ids.of_word(word),
            TextValues::Own(own) => own.slot(word, make),
        }
    }

    /// The value of the text with id `id` (from [`Self::slot`]).
    #[inline]
    pub fn at(&self, id: usize) -> &T {
        match self {
            TextValues::Shared(_, values) => &values[id],
            TextValues::Own(own) => own.at(id),
        }
    }
}

/// A value for each distinct text among the words of one chapter that it
/// is asked about, made on the text's first use (the first asked about):
/// `T` of a text is worked out once, however often the text is used.
///
/// With the chapter's text ids this is an array lookup a word; a chapter
/// too long to keep them (see [`MAX_WORDS`]) has its texts looked up in a
/// table here, as the analyses did before the ids.
pub struct PerText<'c, T> {
    chapter: &'c Chapter,
    /// The chapter's text ids, if it keeps them.
    ids: Option<&'c [u32]>,
    /// Without them: ids given here, by text, and each one's text.
    by_text: FxHashMap<&'c str, u32>,
    texts: Vec<&'c str>,
    /// By id.
    values: Vec<Option<T>>,
    /// The ids asked about, in order of first use.
    order: Vec<u32>,
}

impl<'c, T> PerText<'c, T> {
    pub fn new(chapter: &'c Chapter) -> PerText<'c, T> {
        let ids = chapter.word_texts.0.as_ref();
        PerText {
            chapter,
            ids: ids.map(|ids| ids.ids.as_slice()),
            by_text: FxHashMap::default(),
            texts: Vec::new(),
            values: match ids {
                Some(ids) => (0..ids.first_uses.len()).map(|_| None).collect(),
                None => Vec::new(),
            },
            order: Vec::new(),
        }
    }

    /// The id of the text of the chapter's word number `word` (see
    /// [`PerText::at`]), its value made by `make` from the text if new.
    #[inline]
    pub fn slot(&mut self, word: usize, make: impl FnOnce(&'c str) -> T) -> usize {
        // A chapter without ids has none to find here.
        let id = match self.ids.and_then(|ids| ids.get(word)) {
            Some(&id) => id as usize,
            None => self.id_by_text(word),
        };
        if self.values[id].is_none() {
            self.make(id, word, make);
        }
        id
    }

    /// Makes the value of text `id`, first met as word number `word`.
    fn make(&mut self, id: usize, word: usize, make: impl FnOnce(&'c str) -> T) {
        self.order.push(id as u32);
        self.values[id] = Some(make(self.chapter.slice(self.chapter.words[word])));
    }

    /// The value of the text of word number `word`, made by `make` if new.
    #[inline]
    pub fn get(&mut self, word: usize, make: impl FnOnce(&'c str) -> T) -> &mut T {
        let id = self.slot(word, make);
        match &mut self.values[id] {
            Some(value) => value,
            None => unreachable!("made by `slot`"),
        }
    }

    /// The value of the text with id `id` (from [`PerText::slot`]).
    pub fn at(&self, id: usize) -> &T {
        self.values[id].as_ref().expect("made by `slot`")
    }

    /// Every text asked about with its value, in order of first use.
    pub fn into_values(mut self) -> Vec<(&'c str, T)> {
        let chapter = self.chapter;
        let first_uses = chapter.word_texts.first_uses();
        let text = |id: u32| match first_uses {
            Some(first) => chapter.slice(first[id as usize]),
            None => self.texts[id as usize],
        };
        self.order
            .iter()
            .map(|&id| {
                let value = self.values[id as usize].take().expect("made by `slot`");
                (text(id), value)
            })
            .collect()
    }

    /// For a chapter without ids: the id of word number `word`'s text.
    fn id_by_text(&mut self, word: usize) -> usize {
        let text = self.chapter.slice(self.chapter.words[word]);
        let next = self.texts.len() as u32;
        let id = *self.by_text.entry(text).or_insert(next);
        if id == next {
            self.texts.push(text);
            self.values.push(None);
        }
        id as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::manuscript;

    impl WordTexts {
        fn ids(&self, words: std::ops::Range<u32>) -> &[u32] {
            let ids = self.0.as_ref().expect("ids");
            &ids.ids[words.start as usize..words.end as usize]
        }
    }

    fn spans(text: &str) -> Vec<Span> {
        let mut at = 0;
        text.split(' ')
            .map(|word| {
                let span = Span::new(at, at + word.len());
                at += word.len() + 1;
                span
            })
            .collect()
    }

    #[test]
    fn same_bytes_same_id_in_order_of_first_use() {
        let text = "the Cat saw the cat and The cat’s cat's cat";
        let words = spans(text);
        let texts = WordTexts::new(text, &words);
        assert_eq!(
            texts.ids(0..words.len() as u32),
            [0, 1, 2, 0, 3, 4, 5, 6, 7, 3]
        );
        let first = texts.first_uses().unwrap();
        assert_eq!(first.len(), 8);
        assert_eq!(&text[first[3].range()], "cat");
        assert_eq!(first[3], words[4]);
        assert_eq!(texts.ids(5..7), [4, 5]);
    }

    /// Texts of every length around the packed keys' limit, met again in
    /// the middle of the text and at its very end (where fewer than eight
    /// bytes are left to read), and texts that differ only by a trailing
    /// NUL (told apart by their lengths), get the ids a table keyed by text
    /// gives.
    #[test]
    fn packed_and_long_texts_are_numbered_as_by_text() {
        let text = "a ab abc abcd abcde abcdef abcdefg abcdefgh abcdefghi é éa aé \
                    abcdefg abc abcdefgh a abcdefga abcdefg\u{0} ab\u{0} abcdef abcdefg";
        let words = spans(text);
        let mut by_text: std::collections::HashMap<&str, u32> = Default::default();
        let expected: Vec<u32> = words
            .iter()
            .map(|w| {
                let next = by_text.len() as u32;
                *by_text.entry(&text[w.range()]).or_insert(next)
            })
            .collect();
        let texts = WordTexts::new(text, &words);
        assert_eq!(texts.ids(0..words.len() as u32), expected.as_slice());
        // The last word, read near the end, is the seventh text.
        assert_eq!(expected.last(), Some(&6));
        assert_eq!(texts.first_uses().unwrap().len(), by_text.len());
        assert_eq!(by_text.len(), 15);
    }

    #[test]
    fn a_chapter_over_the_limit_keeps_no_ids() {
        let text = "one two one";
        let words = spans(text);
        assert!(WordTexts::up_to(text, &words, 2).first_uses().is_none());
        assert_eq!(
            WordTexts::up_to(text, &words, 3)
                .first_uses()
                .unwrap()
                .len(),
            2
        );
    }

    /// Texts are numbered across chapters in reading order of first use;
    /// the same bytes in two chapters are one text, different case two.
    #[test]
    fn the_book_numbers_each_text_once_across_chapters() {
        let mut book = manuscript(&[
            ("a.txt", "The cat saw the Cat.\n"),
            ("b.txt", "A dog saw the cat.\n"),
            ("c.txt", "Nobody here.\n"),
        ]);
        // A chapter too long to keep ids (made so here) has none in the book.
        book.chapters[2].word_texts = WordTexts(None);
        let texts = ManuscriptTexts::new(&book.chapters);
        let chapters = &book.chapters;
        let all: Vec<&str> = (0..texts.len()).map(|id| texts.text(id)).collect();
        assert_eq!(all, ["The", "cat", "saw", "the", "Cat", "A", "dog"]);
        let ids = |c: usize| {
            let ids = texts.of_chapter(&chapters[c]).expect("numbered");
            (0..chapters[c].words.len())
                .map(|w| ids.of_word(w))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(0), [0, 1, 2, 3, 4]);
        assert_eq!(ids(1), [5, 6, 2, 3, 1]);
        let second = texts.of_chapter(&chapters[1]).unwrap();
        assert_eq!(second.texts(), 5);
        assert_eq!((second.local_of_word(4), second.of_local(4)), (4, 1));
        assert!(texts.of_chapter(&chapters[2]).is_none());
        // A chapter of another manuscript at the same position is not one
        // of these, though its text is the same.
        let other = manuscript(&[("a.txt", "The cat saw the Cat.\n")]);
        assert!(texts.of_chapter(&other.chapters[0]).is_none());
        assert_eq!(
            texts.values(str::len),
            [3, 3, 3, 3, 3, 1, 3],
            "one value per text, in id order"
        );
        // A language server's manuscript numbers nothing.
        assert!(book.texts().is_some());
        let kept = crate::testing::kept_manuscript(&[("a.txt", "The cat.\n")]);
        assert!(kept.texts().is_none());
    }

    /// A chapter's values read from the book's are those it makes itself.
    #[test]
    fn shared_values_are_the_chapters_own() {
        let book = manuscript(&[
            ("a.txt", "Cat and dog.\n"),
            ("b.txt", "The dog, the Cat, a cat.\n"),
        ]);
        let texts = book.texts().expect("a single run numbers texts");
        let lengths = texts.values(str::len);
        for chapter in &book.chapters {
            let mut shared = TextValues::new(chapter, Some((texts, lengths.as_slice())));
            let mut own = TextValues::new(chapter, None);
            assert!(matches!(shared, TextValues::Shared(..)));
            assert!(matches!(own, TextValues::Own(..)));
            for word in 0..chapter.words.len() {
                let expected = chapter.slice(chapter.words[word]).len();
                assert_eq!(*shared.get(word, |_| unreachable!("shared")), expected);
                assert_eq!(*own.get(word, str::len), expected);
                let slot = shared.slot(word, |_| unreachable!("shared"));
                assert_eq!(*shared.at(slot), expected);
            }
        }
    }

    /// Each text's value is made once, on its first use, and the values
    /// come in that order: the same with the chapter's ids as without.
    #[test]
    fn per_text_values_are_made_once_with_ids_or_without() {
        let mut chapter = manuscript(&[("a.txt", "The cat saw the Cat. The cat ran.\n")])
            .into_chapters()
            .remove(0);
        let words: Vec<&str> = chapter.words.iter().map(|&w| chapter.slice(w)).collect();
        assert_eq!(
            words,
            ["The", "cat", "saw", "the", "Cat", "The", "cat", "ran"]
        );
        let count = |chapter: &Chapter| {
            let mut made = Vec::new();
            let mut table = PerText::new(chapter);
            // Every word but the first.
            for word in 1..chapter.words.len() {
                *table.get(word, |text| {
                    made.push(text.to_string());
                    0
                }) += 1;
            }
            let values: Vec<(String, u32)> = table
                .into_values()
                .into_iter()
                .map(|(text, n)| (text.to_string(), n))
                .collect();
            (made, values)
        };
        let with_ids = count(&chapter);
        assert_eq!(with_ids.0, ["cat", "saw", "the", "Cat", "The", "ran"]);
        assert_eq!(
            with_ids.1,
            [
                ("cat".into(), 2),
                ("saw".into(), 1),
                ("the".into(), 1),
                ("Cat".into(), 1),
                ("The".into(), 1),
                ("ran".into(), 1)
            ]
        );
        chapter.word_texts = WordTexts(None);
        assert_eq!(count(&chapter), with_ids);
    }
}
