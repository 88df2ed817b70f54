//! The manuscript's word forms before any word is left out: each distinct
//! lowercase form once, with what follows from the form alone in the
//! manuscript's language (its phrase form and stem as ids, its background
//! frequency, whether it is a function word).
//!
//! The echo analysis ([`super::Analysis`]) leaves out the words of copies
//! the duplicate rules report, so it waits for duplicate detection; the
//! lexicon reads no other analysis, so the engine builds it beside the
//! detection (see [`crate::rule::Rule::independent_analyses`]).

use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::{
    BookForms, CHARACTER_WORDS, ChapterWords, DETERMINERS, FormList, Interner, NOUN_PREPOSITIONS,
    STOP_WORDS, is_negated_auxiliary, is_word_char, light_stem, phrase_form,
};
use crate::language::{self, Language};
use crate::rule::IndependentAnalysis;
use crate::text::{Chapter, Manuscript, Span, lock};
use crate::wordfreq;

/// Every distinct lowercase form of the manuscript's paragraphs, by id:
/// ids follow the reading order of each form's first use, as one pass
/// through the chapters would hand them out, and so do the ids of phrase
/// forms and stems.
pub(super) struct Lexicon {
    pub forms: Vec<Form>,
    chapters: Vec<ChapterForms>,
    /// What the forms were read from.
    vocabulary: Arc<Vocabulary>,
    /// The phrase key of each of the vocabulary's phrase forms
    /// ([`NOT_HERE`] for one no form of this manuscript has), and the number
    /// handed out.
    phrase_keys: (Vec<u32>, usize),
    /// Likewise for stems.
    stem_keys: (Vec<u32>, usize),
}

/// No key: the form is in the vocabulary but not in this manuscript.
const NOT_HERE: u32 = u32::MAX;

/// One chapter's words and the lexicon id of each of its forms.
struct ChapterForms {
    /// Handed to the analysis, which filters the tokens in place when
    /// nothing else holds them (a single run): two copies of every word of
    /// the manuscript would be tens of megabytes.
    words: Mutex<Option<Arc<ChapterWords>>>,
    /// Per form of the chapter ([`ChapterWords::forms`]), its id here.
    ids: Vec<u32>,
}

/// One form of the lexicon.
pub(super) struct Form {
    /// Lowercase, with a curly apostrophe read as a straight one.
    pub text: Box<str>,
    /// The phrase form (see [`phrase_form`]) as an id.
    pub phrase_key: u32,
    /// The phrase form lightly stemmed (see [`light_stem`]), as an id.
    pub stem_key: u32,
    pub known: Known,
}

/// What follows from a form alone, in one language.
#[derive(Clone, Copy)]
pub(super) struct Known {
    /// Background frequency (Zipf): the higher of the form's and its
    /// phrase form's.
    pub zipf: f32,
    pub determiner: bool,
    pub preposition: bool,
    /// Digits, symbols, and text in a script written without spaces
    /// (see [`is_written_without_spaces`]): not a word of prose.
    pub other: bool,
    /// A function word of the language, a negated auxiliary, or a single
    /// letter.
    pub stop: bool,
    /// A word that names a person by role (“mother”): read as a name.
    pub character_word: bool,
}

/// Every form met in one language, each with a lasting id and what follows
/// from it alone. A language server keeps it across checks (see
/// [`Manuscript::kept`]), so a re-check derives only the forms an edit
/// brought; a single run fills one for the run.
#[derive(Clone, Default)]
struct Vocabulary {
    ids: Interner,
    /// By lasting id: the text, its phrase form's and stem's lasting ids,
    /// and what is known of it.
    forms: Vec<(Box<str>, u32, u32, Known)>,
    phrases: Interner,
    stems: Interner,
}

/// Where a language server keeps the vocabulary between checks.
#[derive(Default)]
struct KeptVocabulary(Mutex<Option<Arc<Vocabulary>>>);

impl Lexicon {
    /// The lexicon in the manuscript's language, built once per run.
    pub fn shared(manuscript: &Manuscript) -> Arc<Lexicon> {
        let language = manuscript.language();
        manuscript.shared(&format!("echoes/lexicon/{language:?}"), |m| {
            Lexicon::build(m, &language, None)
        })
    }

    /// The lexicon the echo analysis reads: the shared one where the
    /// manuscript is checked again and again; in a single run, one of its
    /// own, freed with the analysis's other scaffolding (a novel series'
    /// vocabulary is megabytes held to the end of the run otherwise).
    ///
    /// The single run's lexicon reads the chapters with the words inside
    /// `copies` (by chapter: the later copies the duplicate rules report)
    /// already left out of their tokens, though not of their forms: for a
    /// chapter of many copies, a token list of every word (16 bytes a
    /// word) was the run's peak memory.
    pub fn for_analysis(manuscript: &Manuscript, copies: &[Vec<Span>]) -> Arc<Lexicon> {
        if manuscript.keeps_across_checks() {
            return Lexicon::shared(manuscript);
        }
        Arc::new(Lexicon::build(
            manuscript,
            &manuscript.language(),
            Some(copies),
        ))
    }

    /// [`Lexicon::shared`] as an analysis the engine builds beside others,
    /// for a manuscript checked again and again (a language server's).
    /// Nothing for a language without word data (the echo rules skip it),
    /// nor in a single run: there the chapters' words (24 bytes a word)
    /// would be held beside the detection's indexes, at the run's peak
    /// memory, so the lexicon waits for the detection.
    pub fn analysis() -> IndependentAnalysis<'static> {
        IndependentAnalysis::new("echoes/lexicon".to_string(), |manuscript| {
            if manuscript.keeps_across_checks() && manuscript.language().has_word_data() {
                Lexicon::shared(manuscript);
            }
        })
    }

    /// With `copies`, the chapters' tokens leave out the words inside them
    /// (see [`ChapterWords::build`]); without, each chapter's whole reading
    /// is kept with it.
    fn build(
        manuscript: &Manuscript,
        language: &Language,
        copies: Option<&[Vec<Span>]>,
    ) -> Lexicon {
        // A single run reads its forms from the book's texts.
        let texts = copies.and(manuscript.texts());
        let book = texts.map(|texts| (texts, BookForms::new(texts)));
        let words: Vec<Arc<ChapterWords>> = manuscript
            .chapters
            .par_iter()
            .map(|chapter| match copies {
                Some(copies) => {
                    let book = book
                        .as_ref()
                        .and_then(|(texts, forms)| Some((texts.of_chapter(chapter)?, forms)));
                    Arc::new(ChapterWords::build(chapter, &copies[chapter.index], book))
                }
                None => chapter.memo("echoes/words", whole_reading),
            })
            .collect();
        let kept = manuscript.kept::<KeptVocabulary>(&format!("echoes/vocabulary/{language:?}"));
        // Taken out while it is added to, so no lock is held over parallel
        // work: a build that finds it taken starts afresh (see `Analyses`).
        let previous = kept.as_ref().and_then(|kept| lock(&kept.0).take());
        // Copied only while the previous check's lexicon holds it.
        let mut vocabulary = previous.map(Arc::unwrap_or_clone).unwrap_or_default();
        let total: usize = words.iter().map(|w| w.forms.len()).sum();
        if vocabulary.forms.len() > 2 * total + 10_000 {
            // Forms of long-gone text (every typo of a long session).
            vocabulary = Vocabulary::default();
        }
        let book_forms = book.as_ref().map(|(_, forms)| forms);
        let lasting = vocabulary.lasting_ids(&words, book_forms, language);
        let vocabulary = Arc::new(vocabulary);
        if let Some(kept) = kept {
            *lock(&kept.0) = Some(Arc::clone(&vocabulary));
        }
        Lexicon::in_reading_order(words, &lasting, vocabulary)
    }

    /// Ids handed out in the order forms are first read, from the chapters'
    /// lasting ids: array lookups, no hashing.
    fn in_reading_order(
        words: Vec<Arc<ChapterWords>>,
        lasting: &[Vec<u32>],
        vocabulary: Arc<Vocabulary>,
    ) -> Lexicon {
        let mut id_of = vec![NOT_HERE; vocabulary.forms.len()];
        let mut phrase_keys = (vec![NOT_HERE; vocabulary.phrases.ids.len()], 0);
        let mut stem_keys = (vec![NOT_HERE; vocabulary.stems.ids.len()], 0);
        let mut forms = Vec::new();
        let mut chapters = Vec::with_capacity(words.len());
        for (words, lasting) in words.into_iter().zip(lasting) {
            let ids = lasting
                .iter()
                .map(|&form| {
                    if id_of[form as usize] == NOT_HERE {
                        id_of[form as usize] = forms.len() as u32;
                        let (text, phrase, stem, known) = &vocabulary.forms[form as usize];
                        forms.push(Form {
                            text: text.clone(),
                            phrase_key: next_key(&mut phrase_keys, *phrase),
                            stem_key: next_key(&mut stem_keys, *stem),
                            known: *known,
                        });
                    }
                    id_of[form as usize]
                })
                .collect();
            chapters.push(ChapterForms {
                words: Mutex::new(Some(words)),
                ids,
            });
        }
        Lexicon {
            forms,
            chapters,
            vocabulary,
            phrase_keys,
            stem_keys,
        }
    }

    /// The words of `chapter` (the manuscript's chapter of that index): the
    /// ones read for the lexicon the first time, so that the caller may
    /// own them, else the chapter's kept ones (or a new reading).
    pub fn take_words(&self, chapter: &Chapter) -> Arc<ChapterWords> {
        let slot = &self.chapters[chapter.index].words;
        let taken = lock(slot).take();
        taken.unwrap_or_else(|| chapter.memo("echoes/words", whole_reading))
    }

    /// The lexicon id of each form of chapter `index`.
    pub fn ids(&self, index: usize) -> &[u32] {
        &self.chapters[index].ids
    }

    /// The id of a phrase form, if some word of the manuscript has it.
    pub fn phrase_key(&self, phrase: &str) -> Option<u32> {
        let lasting = self.vocabulary.phrases.get(phrase)?;
        Some(self.phrase_keys.0[lasting as usize]).filter(|&key| key != NOT_HERE)
    }

    /// The id of a stem, if some word of the manuscript has it.
    pub fn stem_key(&self, stem: &str) -> Option<u32> {
        let lasting = self.vocabulary.stems.get(stem)?;
        Some(self.stem_keys.0[lasting as usize]).filter(|&key| key != NOT_HERE)
    }

    /// Phrase keys handed out.
    pub fn key_count(&self) -> usize {
        self.phrase_keys.1
    }

    /// Stem keys handed out.
    pub fn stem_count(&self) -> usize {
        self.stem_keys.1
    }
}

/// Every paragraph word of `chapter`, none left out.
fn whole_reading(chapter: &Chapter) -> ChapterWords {
    ChapterWords::build(chapter, &[], None)
}

/// The key of lasting id `lasting` in `keys` (by lasting id, and the count
/// handed out), handing out the next one the first time.
fn next_key(keys: &mut (Vec<u32>, usize), lasting: u32) -> u32 {
    let key = &mut keys.0[lasting as usize];
    if *key == NOT_HERE {
        *key = keys.1 as u32;
        keys.1 += 1;
    }
    *key
}

impl Vocabulary {
    /// The lasting id of each form of each chapter, learning the forms it
    /// has not met (in reading order, what follows from them derived in
    /// parallel). `book`: the book's forms, which chapters that list them
    /// by id (see [`FormList::Book`]) are read from: each is looked up
    /// once, not once in each chapter.
    fn lasting_ids<'w>(
        &mut self,
        words: &'w [Arc<ChapterWords>],
        book: Option<&'w BookForms<'w>>,
        language: &Language,
    ) -> Vec<Vec<u32>> {
        let known = &self.ids;
        let mut lasting: Vec<Vec<u32>> = words
            .par_iter()
            .map(|words| match &words.forms {
                FormList::Texts(forms) => forms
                    .iter()
                    .map(|form| known.get(form).unwrap_or(NOT_HERE))
                    .collect(),
                // Looked up below, once each.
                FormList::Book(forms) => vec![NOT_HERE; forms.len()],
            })
            .collect();
        let mut new: Vec<&str> = Vec::new();
        // By the book's form id, its lasting id once looked up.
        let mut of_book = vec![NOT_HERE; book.map_or(0, |b| b.len())];
        // A single run's vocabulary starts empty and learns about as many
        // forms as the book has: sized once rather than grown by doubling,
        // which rehashed every form learnt so far at each step.
        self.ids.reserve(of_book.len());
        for (words, lasting) in words.iter().zip(&mut lasting) {
            let mut lasting_id = |form: &'w str, ids: &mut Interner| {
                ids.get(form).unwrap_or_else(|| {
                    new.push(form);
                    ids.add(form)
                })
            };
            match &words.forms {
                FormList::Texts(forms) => {
                    for (form, id) in forms.iter().zip(lasting) {
                        if *id == NOT_HERE {
                            *id = lasting_id(form, &mut self.ids);
                        }
                    }
                }
                FormList::Book(forms) => {
                    let book = book.expect("chapters list the book's forms only with them");
                    for (&form, id) in forms.iter().zip(lasting) {
                        let known = &mut of_book[form as usize];
                        if *known == NOT_HERE {
                            *known = lasting_id(book.text(form), &mut self.ids);
                        }
                        *id = *known;
                    }
                }
            }
        }
        let stop: FxHashSet<&str> = match language {
            Language::English => STOP_WORDS.iter().copied().collect(),
            other => language::function_words(other).iter().copied().collect(),
        };
        let derived: Vec<(String, String, Known)> = new
            .par_iter()
            .map(|text| derive(text, language, &stop))
            .collect();
        self.phrases.reserve(new.len());
        self.stems.reserve(new.len());
        for (text, (phrase, stem, known)) in new.iter().zip(derived) {
            let phrase = self.phrases.intern(&phrase);
            let stem = self.stems.intern(&stem);
            self.forms.push(((*text).into(), phrase, stem, known));
        }
        lasting
    }
}

/// What follows from `text` alone: its phrase form, stem, and the rest.
fn derive(text: &str, language: &Language, stop: &FxHashSet<&str>) -> (String, String, Known) {
    let mut phrase = phrase_form(text);
    if *language == Language::French {
        // “l’homme” is “homme”.
        phrase = wordfreq::strip_elision(&phrase).to_string();
    }
    let stem = light_stem(&phrase);
    // Most forms are their own phrase form: one look-up (a cache miss or
    // two in the table) where there were two.
    let mut zipf = wordfreq::zipf_in(language, text);
    if phrase != text {
        zipf = zipf.max(wordfreq::zipf_in(language, &phrase));
    }
    let known = Known {
        zipf,
        determiner: DETERMINERS.contains(text),
        preposition: NOUN_PREPOSITIONS.contains(text),
        other: !text.chars().all(is_word_char)
            || !text.chars().any(char::is_alphabetic)
            || text.chars().any(is_written_without_spaces),
        stop: stop.contains(text)
            || stop.contains(phrase.as_str())
            || text.len() < 2
            || is_negated_auxiliary(text),
        character_word: CHARACTER_WORDS.contains(&phrase),
    };
    (phrase, stem, known)
}

/// A character of a script written without spaces between words
/// (Chinese, Japanese kana, Thai, Lao, Khmer, Myanmar), where the word
/// breaks of Unicode fall between characters or runs of one kind: a
/// particle (“の”) or one ideograph is no word the echo rules could weigh.
fn is_written_without_spaces(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK Unified Ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK Compatibility Ideographs
        | '\u{20000}'..='\u{2FA1F}' // CJK Extensions B–F and supplement
        | '\u{0E00}'..='\u{0EFF}' // Thai, Lao
        | '\u{1000}'..='\u{109F}' // Myanmar
        | '\u{1780}'..='\u{17FF}' // Khmer
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{kept_manuscript, manuscript};
    use crate::text::WordTexts;

    /// Each form's text, phrase key and stem key, in id order; and each
    /// chapter's lexicon ids of its forms.
    type Read = (Vec<(String, u32, u32)>, Vec<Vec<u32>>);

    fn read(manuscript: &Manuscript) -> Read {
        let copies = vec![Vec::new(); manuscript.chapters.len()];
        let lexicon = Lexicon::build(manuscript, &Language::English, Some(&copies));
        let forms = lexicon
            .forms
            .iter()
            .map(|f| (f.text.to_string(), f.phrase_key, f.stem_key))
            .collect();
        let ids = (0..manuscript.chapters.len())
            .map(|c| lexicon.ids(c).to_vec())
            .collect();
        (forms, ids)
    }

    /// Forms read from the book's texts get the ids, phrase keys and stem
    /// keys that forms read chapter by chapter get: with every chapter
    /// numbered, with one that keeps no ids, and with none numbered.
    #[test]
    fn the_books_forms_are_the_chapters_forms() {
        let chapters = [
            ("a.txt", "The Cat’s cats sat. the cat's CAT.\n"),
            (
                "b.md",
                "# Heading words\n\nA dog and the Cats. Élan, élan!\n",
            ),
            ("c.txt", "Dogs sat with the cat.\n"),
        ];
        let book = manuscript(&chapters);
        assert!(book.texts().is_some());
        let (forms, ids) = read(&book);
        let texts: Vec<&str> = forms.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            texts,
            [
                "the", "cat's", "cats", "sat", "cat", "a", "dog", "and", "élan", "dogs", "with"
            ]
        );
        // “cats” and “Cats”, “cat's” and “Cat’s”: one form each.
        assert_eq!(
            ids,
            [
                vec![0, 1, 2, 3, 4],
                vec![5, 6, 7, 0, 2, 8],
                vec![9, 3, 10, 0, 4]
            ]
        );
        // “cat” and “cats” share a stem; “dog” and “dogs” too.
        assert_eq!(forms[2].2, forms[4].2);
        assert_eq!(forms[6].2, forms[9].2);
        assert_eq!(
            read(&kept_manuscript(&chapters)),
            (forms.clone(), ids.clone())
        );
        let mut partly = manuscript(&chapters);
        partly.chapters[1].word_texts = WordTexts::none();
        assert_eq!(read(&partly), (forms, ids));
    }
}
