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
        let mut index: FxHashMap<&str, u32> = FxHashMap::default();
        index.reserve((words.len() / 3).min(1 << 13));
        let mut first_uses = Vec::new();
        let ids = words
            .iter()
            .map(|&span| {
                let word = &text[span.range()];
                // Most words were met before: a look-up, then an insertion
                // for the rest (`entry` was not inlined here, 40 M
                // instructions more on the corpus).
                match index.get(word) {
                    Some(&id) => id,
                    None => {
                        let id = first_uses.len() as u32;
                        first_uses.push(span);
                        index.insert(word, id);
                        id
                    }
                }
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
