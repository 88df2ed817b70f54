//! How the manuscript capitalises each word: the evidence that tells a name
//! from an ordinary word, read from the text itself rather than a name list.
//!
//! A word capitalised in the middle of a sentence (“then Nathalie came”,
//! “the Gray Boy”) is a name there; a word capitalised wherever it occurs is
//! a name too. `name-variant` reads this to find the manuscript's names, and
//! `spelling-variant` to leave names out of its counts (“Gray” in “Gray
//! Boy” is not the colour).

use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::text::{Chapter, Manuscript, ManuscriptTexts, PerText, Span, Sum, Summed, lock};

/// Characters that, between two words, mean the second may start a
/// sentence-like unit (quoted speech, a clause after a colon or dash), so
/// its capital says nothing about it being a name. A closing quote is not
/// among them: in “Why?” Tom asked, “Tom” is mid-sentence.
const OPENERS: [char; 9] = ['“', '"', '‘', '\'', ':', '—', '–', '(', '['];

/// How often one word form (lowercase, without a possessive `’s`) is
/// written in lowercase and with a capital.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Case {
    pub lowercase: u32,
    pub capitalised: u32,
    /// Capitalised uses inside a sentence (see [`mid_sentence`]).
    pub mid_sentence: u32,
}

impl Case {
    pub fn total(self) -> u32 {
        self.lowercase + self.capitalised
    }

    /// Capitalised in more than ten uses of eleven.
    pub fn mostly_capitalised(self) -> bool {
        self.capitalised > 0 && self.lowercase * 10 < self.total()
    }

    /// The manuscript uses this form as a name: capitalised inside a
    /// sentence twice while lowercase less than ten times as often (“Gray”
    /// of “the Gray Boy” beside “gray skies”; not “To” after a quote), or
    /// once while hardly ever lowercase, or capitalised every time in two
    /// uses or more.
    pub fn used_as_name(self) -> bool {
        (self.mid_sentence >= 2 && self.lowercase <= self.mid_sentence * 10)
            || (self.mid_sentence >= 1 && self.mostly_capitalised())
            || (self.lowercase == 0 && self.capitalised >= 2)
    }

    fn add(&mut self, other: Case) {
        self.lowercase += other.lowercase;
        self.capitalised += other.capitalised;
        self.mid_sentence += other.mid_sentence;
    }

    fn subtract(&mut self, other: Case) {
        self.lowercase -= other.lowercase;
        self.capitalised -= other.capitalised;
        self.mid_sentence -= other.mid_sentence;
    }
}

/// Every word form's [`Case`] across the manuscript's paragraphs (headings
/// are left out: they are capitalised by convention).
#[derive(Debug, Default)]
pub struct Capitalisation {
    forms: Arc<Cases>,
}

/// [`Case`] by lowercase form (see [`form_key`]): of one chapter, or summed
/// over the manuscript.
#[derive(Clone, Debug, Default)]
struct Cases(FxHashMap<Box<str>, Case>);

impl Sum<Cases> for Cases {
    fn add(&mut self, part: &Cases) {
        for (form, case) in &part.0 {
            match self.0.get_mut(form) {
                Some(total) => total.add(*case),
                None => {
                    self.0.insert(form.clone(), *case);
                }
            }
        }
    }

    fn subtract(&mut self, part: &Cases) {
        for (form, case) in &part.0 {
            if let Some(total) = self.0.get_mut(form) {
                total.subtract(*case);
                if *total == Case::default() {
                    self.0.remove(form);
                }
            }
        }
    }

    fn absorb(&mut self, other: Cases) {
        let (mut into, from) = if self.0.len() >= other.0.len() {
            (std::mem::take(self), other)
        } else {
            (other, std::mem::take(self))
        };
        into.add(&from);
        *self = into;
    }
}

impl Capitalisation {
    /// The analysis, built once per run ([`Manuscript::shared`]).
    pub fn shared(manuscript: &Manuscript) -> Arc<Capitalisation> {
        manuscript.shared("capitalisation", Capitalisation::build)
    }

    /// Lets go of the shared analysis (see [`Manuscript::release_shared`]).
    pub fn release(manuscript: &Manuscript) {
        manuscript.release_shared::<Capitalisation>("capitalisation");
    }

    pub fn build(manuscript: &Manuscript) -> Capitalisation {
        if let Some(texts) = manuscript.texts() {
            return Capitalisation {
                forms: Arc::new(count_by_text(manuscript, texts)),
            };
        }
        // Each chapter's counts depend on it alone and are kept with it when
        // it keeps its analyses; a language server's re-check then brings
        // the previous check's totals up to date with the edited chapter's.
        Capitalisation {
            forms: Summed::total(
                manuscript,
                "capitalisation",
                |chapter| chapter.memo("capitalisation", count_chapter),
                |total: &mut Cases, chapter| count_into(chapter, &mut total.0),
            ),
        }
    }

    /// The counts for a lowercase form (see [`form_key`]); zero if unused.
    pub fn get(&self, lowercase: &str) -> Case {
        self.forms.0.get(lowercase).copied().unwrap_or_default()
    }

    /// Every form with its counts, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Case)> {
        self.forms
            .0
            .iter()
            .map(|(form, case)| (form.as_ref(), *case))
    }
}

fn count_chapter(chapter: &Chapter) -> Cases {
    let mut forms = FxHashMap::default();
    count_into(chapter, &mut forms);
    Cases(forms)
}

/// Adds the [`Case`] of each of `chapter`'s paragraph words to `forms`.
///
/// Counted by the word's text first ([`PerText`]): a text's possessive,
/// case and key are worked out once, on its first use, and the
/// manuscript's table (tens of thousands of forms, mostly out of the cache)
/// is looked up once per text rather than once per word.
fn count_into(chapter: &Chapter, forms: &mut FxHashMap<Box<str>, Case>) {
    // Each text's capitalisation (`None`: no evidence either way) and
    // counts.
    let mut texts: PerText<(Option<bool>, Case)> = PerText::new(chapter);
    for_each_paragraph_word(chapter, |word, previous, span, lowercase| {
        let (capitalised, case) =
            texts.get(word, |text| (capitalisation(base(text).0), Case::default()));
        tally(chapter, *capitalised, case, previous, span, lowercase);
    });
    let mut key = String::new();
    for (text, (capitalised, case)) in texts.into_values() {
        if capitalised.is_some() {
            add_to_form(forms, text, case, &mut key);
        }
    }
}

/// Calls `each` with every paragraph word of `chapter`: its index, the
/// word before it in its sentence (if any), its span, and whether its
/// sentence is typed in lowercase (see [`typed_in_lowercase`]).
fn for_each_paragraph_word(
    chapter: &Chapter,
    mut each: impl FnMut(usize, Option<Span>, Span, bool),
) {
    for block in chapter.paragraphs() {
        for sentence in chapter.block_sentences(block) {
            let words = chapter.sentence_words(sentence);
            let first = sentence.words.start as usize;
            let lowercase = typed_in_lowercase(chapter, words);
            for (i, &span) in words.iter().enumerate() {
                let previous = i.checked_sub(1).map(|p| words[p]);
                each(first + i, previous, span, lowercase);
            }
        }
    }
}

/// Whether a sentence is typed without capitals from its start, as text
/// messages are (“okafor wants us in”, “freya cried at deadpool”): a name
/// written lowercase there says nothing against its being a name, where
/// one such use in ten made “Okafor” an ordinary word and hid its slip
/// “Okafer”.
fn typed_in_lowercase(chapter: &Chapter, words: &[Span]) -> bool {
    words
        .first()
        .and_then(|&w| chapter.slice(w).chars().next())
        .is_some_and(char::is_lowercase)
}

/// Counts in `case` one use of a word at `span` (after `previous` in its
/// sentence) whose text's capitalisation is `capitalised`; in a sentence
/// `typed_in_lowercase`, a lowercase use is not counted.
fn tally(
    chapter: &Chapter,
    capitalised: Option<bool>,
    case: &mut Case,
    previous: Option<Span>,
    span: Span,
    typed_in_lowercase: bool,
) {
    match capitalised {
        None => {}
        Some(false) if typed_in_lowercase => {}
        Some(true) => {
            case.capitalised += 1;
            if previous.is_some_and(|previous| mid_sentence(chapter, previous, span)) {
                case.mid_sentence += 1;
            }
        }
        Some(false) => case.lowercase += 1,
    }
}

/// Adds `case`, the counts of the word text `text`, to its form's in
/// `forms`. `key` is a reused buffer.
fn add_to_form(forms: &mut FxHashMap<Box<str>, Case>, text: &str, case: Case, key: &mut String) {
    let word = base(text).0;
    // Most words are their own key: no copy for them.
    let key = if is_plain_lowercase(word) {
        word
    } else {
        form_key(word, key);
        key.as_str()
    };
    match forms.get_mut(key) {
        Some(total) => total.add(case),
        None => {
            forms.insert(key.into(), case);
        }
    }
}

/// The counts of every chapter by the book's word texts (see
/// [`ManuscriptTexts`]): each text's capitalisation is worked out once for
/// the book, each chapter counts by its own texts and adds them to the
/// book's counts by text, and each text's form is then looked up once (not
/// once in every chapter that uses it: 36,000 look-ups for the corpus where
/// there were 422,000). The same counts as [`count_into`] over every
/// chapter.
fn count_by_text(manuscript: &Manuscript, texts: &ManuscriptTexts) -> Cases {
    let chapters = &manuscript.chapters;
    let capitalised = texts.values(|text| capitalisation(base(text).0));
    // By text: lowercase, capitalised and mid-sentence counts. Each chapter
    // adds its own under the lock, a few thousand sums (atomic additions
    // for each were 0.7% of a corpus run); a sum comes out the same in any
    // order.
    let totals: Mutex<Vec<Case>> = Mutex::new(vec![Case::default(); texts.len()]);
    // Chapters too long to keep text ids count by form themselves.
    let by_form = Mutex::new(Cases::default());
    chapters.par_iter().for_each(|chapter| {
        let Some(ids) = texts.of_chapter(chapter) else {
            let mut part = FxHashMap::default();
            count_into(chapter, &mut part);
            lock(&by_form).absorb(Cases(part));
            return;
        };
        let mut cases = vec![Case::default(); ids.texts()];
        for_each_paragraph_word(chapter, |word, previous, span, lowercase| {
            let case = &mut cases[ids.local_of_word(word)];
            tally(
                chapter,
                capitalised[ids.of_word(word)],
                case,
                previous,
                span,
                lowercase,
            );
        });
        // A panic while the sums are half added reaches the caller through
        // the parallel loop, so no half-added total is ever read.
        let mut totals = lock(&totals);
        for (local, case) in cases.into_iter().enumerate() {
            if case != Case::default() {
                totals[ids.of_local(local)].add(case);
            }
        }
    });
    let mut forms = by_form.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut key = String::new();
    let totals = totals.into_inner().unwrap_or_else(|e| e.into_inner());
    for (id, case) in totals.into_iter().enumerate() {
        // Only a text with a capitalisation is counted.
        if case != Case::default() {
            add_to_form(&mut forms.0, texts.text(id), case, &mut key);
        }
    }
    forms
}

/// The word without a possessive ending, and whether it had one
/// (“Nathalie’s” → “Nathalie”), and without an elided article or
/// preposition before a capital (“d’Anaïs”, “l’Amérique” → “Anaïs”,
/// “Amérique”).
pub fn base(word: &str) -> (&str, bool) {
    let word = strip_elision(word);
    for suffix in ["’s", "'s", "’S", "'S"] {
        if let Some(stem) = word.strip_suffix(suffix)
            && !stem.is_empty()
        {
            return (stem, true);
        }
    }
    (word, false)
}

/// The word after a lowercase elision of one to three letters (French and
/// Italian “d’”, “l’”, “qu’”, “all’”) when a capital follows it.
pub fn strip_elision(word: &str) -> &str {
    // The elided part is one to three ASCII letters, so the apostrophe is
    // the second, third or fourth byte; 0xE2 leads `’`.
    let bytes = word.as_bytes();
    let Some(at) = (1..bytes.len().min(4)).find(|&i| bytes[i] == b'\'' || bytes[i] == 0xE2) else {
        return word;
    };
    let (head, rest) = word.split_at(at);
    let Some(tail) = rest.strip_prefix('’').or_else(|| rest.strip_prefix('\'')) else {
        return word;
    };
    let elided = head.bytes().all(|b| b.is_ascii_lowercase())
        && tail.chars().next().is_some_and(char::is_uppercase);
    if elided { tail } else { word }
}

/// `Some(true)` for a word starting with a capital, `Some(false)` for a
/// lowercase one, `None` for a word in capitals throughout (“CHAPTER”, an
/// acronym, shouting: no evidence either way) or one not starting with a
/// letter.
pub fn capitalisation(word: &str) -> Option<bool> {
    let mut chars = word.chars();
    let first = chars.next()?;
    if first.is_lowercase() {
        return Some(false);
    }
    if !first.is_uppercase() {
        return None;
    }
    let mut letters = chars.filter(|c| c.is_alphabetic()).peekable();
    if letters.peek().is_some() && letters.all(|c| !c.is_lowercase()) {
        return None;
    }
    Some(true)
}

/// ASCII lowercase letters and straight apostrophes only: the word is its
/// own [`form_key`].
pub fn is_plain_lowercase(word: &str) -> bool {
    word.bytes().all(|b| b.is_ascii_lowercase() || b == b'\'')
}

/// The lowercase key of a word form, written into `out`, with a curly
/// apostrophe read as a straight one.
pub fn form_key(word: &str, out: &mut String) {
    out.clear();
    for c in word.chars() {
        match c {
            '’' => out.push('\''),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// True when the word at `span` follows `previous` inside one stretch of
/// a sentence: no quote, colon, dash or bracket between them. A capital
/// there marks a name (“asked Nathalie”, “Mr. Gray”), not a sentence start.
pub fn mid_sentence(chapter: &Chapter, previous: Span, span: Span) -> bool {
    let between = &chapter.prose[previous.end as usize..span.start as usize];
    // Most words follow one space: no search for that.
    between == " " || !between.contains(OPENERS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{kept_manuscript, manuscript};

    /// Every form's counts, sorted.
    fn counted(manuscript: &Manuscript) -> Vec<(String, Case)> {
        let mut forms: Vec<(String, Case)> = Capitalisation::build(manuscript)
            .iter()
            .map(|(form, case)| (form.to_string(), case))
            .collect();
        forms.sort_by(|a, b| a.0.cmp(&b.0));
        forms
    }

    /// Counted by the book's texts, the counts are those counted chapter
    /// by chapter: with a chapter that keeps no ids among them, and in a
    /// language server's manuscript, which numbers no texts.
    #[test]
    fn counts_by_the_books_texts_are_the_chapters_counts() {
        let chapters = [
            ("a.txt", "Then Wren came. The wren sang to Wren’s mother.\n"),
            (
                "b.md",
                "# Wren\n\nAsked Wren: “Wren?” WREN! d’Anaïs and the Gray Boy.\n",
            ),
            ("c.txt", "The gray wren and Wren's hat; Gray.\n"),
        ];
        let case = |lowercase, capitalised, mid_sentence| Case {
            lowercase,
            capitalised,
            mid_sentence,
        };
        let book = manuscript(&chapters);
        assert!(book.texts().is_some());
        let forms = counted(&book);
        let get = |form: &str| forms.iter().find(|(f, _)| f == form).map(|(_, c)| *c);
        // “Wren” in the Markdown heading and in capitals is not counted;
        // after a colon and a quote it is not mid-sentence.
        assert_eq!(get("wren"), Some(case(2, 5, 4)));
        // A semicolon is no opener: “; Gray” is mid-sentence.
        assert_eq!(get("gray"), Some(case(1, 2, 2)));
        assert_eq!(get("anaïs"), Some(case(0, 1, 1)));
        assert_eq!(counted(&kept_manuscript(&chapters)), forms);
        let mut partly = manuscript(&chapters);
        partly.chapters[0].word_texts = crate::text::WordTexts::none();
        assert_eq!(counted(&partly), forms);
    }

    /// A language server's re-check: the edited chapter's counts replace
    /// its old ones in the kept totals, and a form it no longer uses is
    /// gone, as in a count from scratch.
    #[test]
    fn kept_totals_follow_an_edited_chapter() {
        let chapters = |second: &str| -> Vec<Chapter> {
            let mut chapters = manuscript(&[
                ("a.txt", "Then Wren came. The wren sang.\n"),
                ("b.txt", second),
                ("c.txt", "Wren slept.\n"),
            ])
            .into_chapters();
            chapters.iter_mut().for_each(Chapter::keep_analyses);
            chapters
        };
        let sorted = |caps: &Capitalisation| {
            let mut all: Vec<(String, Case)> =
                caps.iter().map(|(f, c)| (f.to_string(), c)).collect();
            all.sort_by(|a, b| a.0.cmp(&b.0));
            all
        };
        let kept = Arc::default();
        let first =
            Manuscript::with_kept(chapters("Then Wren ran to Harrow.\n"), Arc::clone(&kept));
        assert_eq!(Capitalisation::build(&first).get("harrow").mid_sentence, 1);
        let mut again = first.into_chapters();
        let second = again.remove(1).reparsed(Arc::from("A wren flew off.\n"));
        again.insert(1, second);
        let edited = Manuscript::with_kept(again, kept);
        let caps = Capitalisation::build(&edited);
        assert_eq!(caps.get("harrow"), Case::default());
        assert_eq!(
            caps.get("wren"),
            Case {
                lowercase: 2,
                capitalised: 2,
                mid_sentence: 1
            }
        );
        let fresh = Capitalisation::build(&manuscript(&[
            ("a.txt", "Then Wren came. The wren sang.\n"),
            ("b.txt", "A wren flew off.\n"),
            ("c.txt", "Wren slept.\n"),
        ]));
        assert_eq!(sorted(&caps), sorted(&fresh));
        assert!(!sorted(&caps).iter().any(|(form, _)| form == "harrow"));
    }

    #[test]
    fn counts_capitals_inside_and_at_the_start_of_sentences() {
        let m = manuscript(&[(
            "a.txt",
            "Gray Boy ran. The colour of grey. She saw the Gray Boy’s kite.\n\n\
             “Gray,” she said. NATHALIE shouted. Then Nathalie left.\n",
        )]);
        let caps = Capitalisation::build(&m);
        assert_eq!(
            caps.get("gray"),
            Case {
                lowercase: 0,
                capitalised: 3,
                mid_sentence: 1
            }
        );
        assert_eq!(caps.get("boy").mid_sentence, 2);
        assert_eq!(caps.get("grey").lowercase, 1);
        assert_eq!(caps.get("nathalie").capitalised, 1, "capitals don't count");
        assert!(caps.get("gray").used_as_name());
        assert!(!caps.get("then").used_as_name());
        assert!(!caps.get("grey").used_as_name());
    }

    #[test]
    fn word_shapes() {
        assert_eq!(base("Nathalie’s"), ("Nathalie", true));
        assert_eq!(base("’s"), ("’s", false));
        assert_eq!(base("d’Anaïs"), ("Anaïs", false));
        assert_eq!(base("qu’Hélène’s"), ("Hélène", true));
        assert_eq!(base("O’Brien"), ("O’Brien", false));
        assert_eq!(base("don’t"), ("don’t", false));
        assert_eq!(capitalisation("Zoë"), Some(true));
        assert_eq!(capitalisation("zoë"), Some(false));
        assert_eq!(capitalisation("CHAPTER"), None);
        assert_eq!(capitalisation("McAllister"), Some(true));
        assert_eq!(capitalisation("I"), Some(true));
        assert_eq!(capitalisation("1996"), None);
        let mut key = String::new();
        form_key("Ÿvonne’s", &mut key);
        assert_eq!(key, "ÿvonne's");
    }
}
