//! The manuscript's names: every one-word name and every run of capitalised
//! words (“Gray Boy”, “Mary-Anne”, “Nathalie Dubois”), with each use and the
//! kind of place it is used in — after a title, as the subject of a verb,
//! beside a speech verb, in dialogue address, after a preposition of place.
//!
//! Built once, in the analysis stage, from the text alone: a one-word name
//! is a form the manuscript hardly ever writes in lowercase; a run is two
//! to four capitalised words joined by spaces or hyphens inside a sentence,
//! titles (“Mr”, “Aunt”) left off.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use super::capitals::{self, Capitalisation};
use super::spelling::{self, Difference};
use crate::text::{Chapter, Manuscript, ManuscriptTexts, Sentence, Span, TextValues, WithInputs};
use crate::word_set::WordSet;

/// Longest run of capitalised words taken for one name.
const MAX_RUN: usize = 4;

/// After a title: “Mr Gray”, “Aunt Polly”.
pub const TITLE: u8 = 1;
/// Followed by a verb: “Nathalie smiled”, “Nathalie was”.
pub const SUBJECT: u8 = 2;
/// Beside a speech verb: “said Nathalie”, “Nathalie asked”.
pub const SPEAKER: u8 = 4;
/// Spoken to in dialogue: “Come here, Nathalie.”
pub const ADDRESS: u8 = 8;
/// After a preposition of place: “in Lyon”.
pub const PLACE: u8 = 16;

/// The kinds of place a name is used in, for messages.
pub const ROLE_NAMES: [(u8, &str); 5] = [
    (TITLE, "after a title"),
    (SUBJECT, "as the subject of a verb"),
    (SPEAKER, "beside a speech verb"),
    (ADDRESS, "in dialogue address"),
    (PLACE, "after a preposition of place"),
];

/// One use of a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Use {
    pub chapter: u32,
    /// Index of the paragraph block in the chapter.
    pub block: u32,
    /// Index of the sentence in the chapter.
    pub sentence: u32,
    /// The name as written, without a possessive `’s`.
    pub span: Span,
    /// The kinds of place of this use (bit set of [`TITLE`] …).
    pub roles: u8,
}

/// One spelling of a name.
#[derive(Debug)]
pub struct Name {
    /// As first written, words joined by one space or a hyphen.
    pub text: String,
    /// Number of words (1 for a one-word name).
    pub words: usize,
    /// Every use, in reading order.
    pub uses: Vec<Use>,
    /// The kinds of place it is used in (union over its uses).
    pub roles: u8,
    /// Uses as the subject of a verb ([`SUBJECT`]).
    pub subject_uses: u32,
}

impl Name {
    pub fn first_use(&self) -> &Use {
        &self.uses[0]
    }

    /// Paragraphs (chapter, block) it is used in, sorted, without repeats.
    pub fn paragraphs(&self) -> Vec<(u32, u32)> {
        let mut keys: Vec<(u32, u32)> = self.uses.iter().map(|u| (u.chapter, u.block)).collect();
        keys.dedup();
        keys
    }

    /// Sentences (chapter, sentence) it is used in, sorted, without repeats.
    pub fn sentences(&self) -> Vec<(u32, u32)> {
        let mut keys: Vec<(u32, u32)> = self.uses.iter().map(|u| (u.chapter, u.sentence)).collect();
        keys.dedup();
        keys
    }
}

/// Two names spelled alike.
#[derive(Clone, Debug)]
pub struct Pair {
    /// Indices into [`NameIndex::names`], `a < b`.
    pub a: u32,
    pub b: u32,
    /// How `a` differs from `b`.
    pub difference: Difference,
}

/// Every name of the manuscript and the pairs spelled alike.
#[derive(Debug, Default)]
pub struct NameIndex {
    /// In order of first use.
    pub names: Vec<Name>,
    pub pairs: Vec<Pair>,
}

impl NameIndex {
    /// The index, built once per run ([`Manuscript::shared`]).
    pub fn shared(manuscript: &Manuscript) -> Arc<NameIndex> {
        manuscript.shared("name-index", NameIndex::build)
    }

    /// Lets go of the shared index (see [`Manuscript::release_shared`]).
    pub fn release(manuscript: &Manuscript) {
        manuscript.release_shared::<NameIndex>("name-index");
    }

    pub fn build(manuscript: &Manuscript) -> NameIndex {
        let caps = Capitalisation::shared(manuscript);
        // A chapter's names depend on the rest of the book only through
        // these cues, which an edit seldom changes: kept per chapter with
        // them, only an edited chapter is read again (see [`WithInputs`]).
        let cues = NameCues::of(&caps);
        let found: Vec<Arc<ChapterNames>> = match manuscript.texts() {
            // Each text's facts worked out once for the book; nothing kept.
            Some(texts) => {
                let facts = texts.values(TextFacts::of);
                manuscript
                    .chapters
                    .par_iter()
                    .map(|chapter| Arc::new(find_names(chapter, &cues, Some((texts, &facts)))))
                    .collect()
            }
            None => NamesSlot::per_chapter(manuscript, "names/found", cues, |chapter, cues| {
                find_names(chapter, cues, None)
            }),
        };
        let mut index = NameIndex::default();
        let mut by_text: FxHashMap<&str, u32> = FxHashMap::default();
        // A run that starts a sentence with a word that is not plainly a
        // name counts when the same run is also written inside a sentence
        // (“Gray Boy ran.” after “saw Gray Boy”), or written twice and its
        // first word is never lowercase (“Mary-Anne sat. … Mary-Anne
        // left.”); otherwise its first word is just the sentence's first
        // word (“Later Mary-Anne slept.”).
        let mut written: FxHashMap<&str, (bool, usize)> = FxHashMap::default();
        for names in &found {
            for f in &names.found {
                let entry = written.entry(names.text(f.text)).or_default();
                entry.0 |= f.confirmed;
                entry.1 += 1;
            }
        }
        for (chapter, names) in found.iter().enumerate() {
            for (i, found) in names.found.iter().enumerate() {
                let text = names.text(found.text);
                let (confirmed, times) = written.get(text).copied().unwrap_or_default();
                let counts =
                    found.confirmed || confirmed || (found.capitalised_start && times >= 2);
                let (text, span) = if counts {
                    (text, found.span)
                } else {
                    match names.fallback(i) {
                        Some(fallback) => fallback,
                        None => continue,
                    }
                };
                let id = *by_text.entry(text).or_insert_with(|| {
                    index.names.push(Name {
                        text: text.to_string(),
                        words: text.split([' ', '-']).count(),
                        uses: Vec::new(),
                        roles: 0,
                        subject_uses: 0,
                    });
                    (index.names.len() - 1) as u32
                });
                let name = &mut index.names[id as usize];
                name.roles |= found.roles;
                if found.roles & SUBJECT != 0 {
                    name.subject_uses += 1;
                }
                // The chapter's place now (kept names may date from a check
                // with other chapters before it).
                name.uses.push(Use {
                    chapter: chapter as u32,
                    block: manuscript.chapters[chapter].sentences[found.sentence as usize].block,
                    sentence: found.sentence,
                    span,
                    roles: found.roles,
                });
            }
        }
        // Kept to the end of the family's checks: without the slack of
        // growing by doubling (a quarter of a million uses of “Emma” in a
        // long chapter).
        for name in &mut index.names {
            name.uses.shrink_to_fit();
        }
        let texts: Vec<&str> = index.names.iter().map(|n| n.text.as_str()).collect();
        index.pairs =
            spelling::candidate_pairs(&texts)
                .into_iter()
                .filter_map(|(a, b)| {
                    spelling::classify(texts[a as usize], texts[b as usize])
                        .map(|difference| Pair { a, b, difference })
                })
                .collect();
        index
    }
}

/// A chapter's names, before runs that start sentences are checked
/// against the rest of the manuscript: each text once, and every use found.
/// A use holds no string of its own (20 bytes in all, see [`Found`]): a
/// chapter of a hundred megabytes has a million uses of a few thousand
/// names.
#[derive(Default)]
struct ChapterNames {
    /// Each distinct text, in order of first use.
    texts: Vec<Box<str>>,
    ids: FxHashMap<Box<str>, u32>,
    found: Vec<Found>,
    /// For an unconfirmed run of three words or more, the run without its
    /// first word: `(index in found, index in texts, span)`, by the first.
    fallbacks: Vec<(u32, u32, Span)>,
}

impl ChapterNames {
    /// The index of `text` in [`ChapterNames::texts`], added if new.
    fn intern(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.texts.len() as u32;
        self.texts.push(text.into());
        self.ids.insert(text.into(), id);
        id
    }

    fn text(&self, id: u32) -> &str {
        &self.texts[id as usize]
    }

    /// The fallback of `found[index]`: its text and span.
    fn fallback(&self, index: usize) -> Option<(&str, Span)> {
        let at = self
            .fallbacks
            .binary_search_by_key(&(index as u32), |f| f.0)
            .ok()?;
        let (_, text, span) = self.fallbacks[at];
        Some((self.text(text), span))
    }
}

/// One name found in a chapter.
///
/// 20 bytes: what a [`Use`] adds is looked up when the name is indexed
/// (the chapter, and the block by the sentence), where a whole use took 32
/// (a million uses in a 100 MB chapter).
struct Found {
    /// Index into [`ChapterNames::texts`].
    text: u32,
    /// Index of the sentence in the chapter.
    sentence: u32,
    /// The whole run.
    span: Span,
    /// The kinds of place of this use (see [`Use::roles`]).
    roles: u8,
    /// False for a run whose first word starts the sentence and is not
    /// plainly a name by itself.
    confirmed: bool,
    /// The run's first word is hardly ever lowercase.
    capitalised_start: bool,
}

const _: () = assert!(std::mem::size_of::<Found>() == 20);

/// One word of a sentence, as the name finder sees it.
#[derive(Clone, Debug)]
struct Word<'a> {
    /// The word without a possessive `’s` or an elision (“d’”), and where
    /// it starts.
    base: &'a str,
    base_start: usize,
    possessive: bool,
    /// Lowercase form of `base`, with ’ read as '.
    lower: Lower<'a>,
    /// Starts with a capital, is made of letters (and apostrophes inside),
    /// has two letters or more and is no contraction (“I’m”).
    capital: bool,
    /// Written in lowercase.
    lowercase: bool,
    /// How it is joined to the previous word of the sentence.
    joint: Joint,
    /// A capital mid-sentence, by [`capitals::mid_sentence`] (false for
    /// any other word).
    mid: bool,
}

/// The lowercase key of a word's base (see [`capitals::base`] and
/// [`capitals::form_key`]): the base itself when it is its own key, as
/// most words' are, else the key its text's [`TextFacts`] hold, shared by
/// every use of the text.
#[derive(Clone, Debug)]
enum Lower<'a> {
    Text(&'a str),
    Key(Arc<str>),
}

impl std::ops::Deref for Lower<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Lower::Text(text) => text,
            Lower::Key(key) => key,
        }
    }
}

/// What the text of a word alone tells [`read_words`], worked out once for
/// the book, or in a chapter on the text's first use (see [`TextValues`]):
/// the name finder
/// reads most words of the book, each text three times on average, and
/// each reading took the base, the key and the case apart again.
struct TextFacts {
    /// Where the base (see [`capitals::base`]) starts in the text and its
    /// length, in bytes.
    base: (u32, u32),
    possessive: bool,
    /// The base's key when it is not its own.
    key: Option<Arc<str>>,
    /// By [`capitals::capitalisation`] of the base.
    case: Option<bool>,
    /// Capitalised and shaped like a name (see [`is_name_shaped`]).
    capital: bool,
}

impl TextFacts {
    fn of(word: &str) -> TextFacts {
        let (base, possessive) = capitals::base(word);
        let from = word.len() - capitals::strip_elision(word).len();
        let key = (!capitals::is_plain_lowercase(base)).then(|| {
            let mut key = String::with_capacity(base.len());
            capitals::form_key(base, &mut key);
            Arc::from(key)
        });
        let case = capitals::capitalisation(base);
        TextFacts {
            base: (from as u32, base.len() as u32),
            possessive,
            key,
            case,
            capital: case == Some(true) && is_name_shaped(base),
        }
    }

    /// The base's lowercase key, `word` being the text these facts are of.
    fn key_of<'w>(&'w self, word: &'w str) -> &'w str {
        match &self.key {
            Some(key) => key,
            None => self.base_of(word),
        }
    }

    /// The base of `word`, the text these facts are of.
    fn base_of<'w>(&self, word: &'w str) -> &'w str {
        &word[self.base.0 as usize..(self.base.0 + self.base.1) as usize]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Joint {
    /// First word of the sentence, or punctuation between.
    Break,
    /// Only whitespace between.
    Space,
    /// A hyphen between (“Mary-Anne”).
    Hyphen,
    /// A full stop and a space (“Mr. Gray”).
    Stop,
}

/// A chapter's names, kept with the cues they were found with.
type NamesSlot = WithInputs<NameCues, ChapterNames>;

/// What the name finder reads from the whole book's capitalisation: the
/// forms capitalised in more than ten uses of eleven, or capitalised
/// mid-sentence three times or more with at most two lowercase uses that
/// are under a quarter of all (“Okafor” 9×, once “okafor” in a text
/// message), each with whether it is ever capitalised mid-sentence.
/// Derived from [`Capitalisation`]; the counts change with every edit,
/// these seldom do.
#[derive(PartialEq)]
struct NameCues {
    mostly_capitalised: FxHashMap<Box<str>, bool>,
}

impl NameCues {
    fn of(caps: &Capitalisation) -> NameCues {
        NameCues {
            mostly_capitalised: caps
                .iter()
                .filter(|(_, case)| {
                    case.mostly_capitalised()
                        || (case.mid_sentence >= 3
                            && case.lowercase <= 2
                            && case.lowercase * 4 < case.total())
                })
                .map(|(form, case)| (form.into(), case.mid_sentence > 0))
                .collect(),
        }
    }

    fn mostly_capitalised(&self, lowercase: &str) -> bool {
        self.mostly_capitalised.contains_key(lowercase)
    }

    /// Mostly capitalised, and capitalised mid-sentence at least once.
    fn mid_sentence(&self, lowercase: &str) -> bool {
        self.mostly_capitalised
            .get(lowercase)
            .is_some_and(|&mid| mid)
    }
}

/// The names of one chapter. `shared`: the book's texts and each one's
/// facts, when worked out for the whole book.
fn find_names<'c>(
    chapter: &'c Chapter,
    caps: &NameCues,
    shared: Option<(&'c ManuscriptTexts, &'c [TextFacts])>,
) -> ChapterNames {
    let mut names = ChapterNames::default();
    let mut text = String::new();
    let mut words: Vec<Word> = Vec::new();
    let mut facts = TextValues::new(chapter, shared);
    for block in &chapter.blocks {
        if !block.is_paragraph() {
            continue;
        }
        for offset in 0..block.sentences.len() {
            let sentence_index = block.sentences.start as usize + offset;
            let sentence = &chapter.sentences[sentence_index];
            if !may_hold_a_name(chapter, sentence, caps, &mut facts) {
                continue;
            }
            read_words(chapter, sentence, &mut facts, &mut words);
            // One-word names.
            for (i, word) in words.iter().enumerate() {
                if word.capital && is_single_name(word, caps) {
                    let span = Span::new(word.base_start, word.base_end());
                    let text = names.intern(word.base);
                    names.found.push(Found {
                        text,
                        sentence: sentence_index as u32,
                        span,
                        roles: roles(chapter, sentence, &words, i, i + 1),
                        confirmed: true,
                        capitalised_start: true,
                    });
                }
            }
            // Runs of capitalised words.
            let mut i = 0;
            while i < words.len() {
                if !words[i].capital {
                    i += 1;
                    continue;
                }
                let mut end = i + 1;
                while end < words.len()
                    && words[end].capital
                    && matches!(words[end].joint, Joint::Space | Joint::Hyphen)
                    && !words[end - 1].possessive
                {
                    end += 1;
                }
                let mut start = i;
                while start < end && TITLES.contains(&words[start].lower) {
                    start += 1;
                }
                if end - start >= 2 && end - start <= MAX_RUN {
                    let run = &words[start..end];
                    let confirmed = start > i || run[0].mid || plainly_a_name(&run[0], caps);
                    if !confirmed && run.len() >= 3 {
                        run_text(&run[1..], &mut text);
                        let id = names.intern(&text);
                        let at = names.found.len() as u32;
                        names.fallbacks.push((at, id, run_span(&run[1..])));
                    }
                    let span = run_span(run);
                    run_text(run, &mut text);
                    let text = names.intern(&text);
                    names.found.push(Found {
                        text,
                        sentence: sentence_index as u32,
                        span,
                        roles: roles(chapter, sentence, &words, start, end),
                        confirmed,
                        capitalised_start: is_single_name(&run[0], caps),
                    });
                }
                i = end;
            }
        }
    }
    // Kept with the chapter: without the slack of growing by doubling.
    names.found.shrink_to_fit();
    names.fallbacks.shrink_to_fit();
    names.ids = FxHashMap::default();
    names
}

impl Word<'_> {
    fn base_end(&self) -> usize {
        self.base_start + self.base.len()
    }
}

/// A quick look before reading a sentence word by word: most sentences
/// have no capital but their first word's (“She”, “The”), and that word is
/// a name only if it is hardly ever lowercase.
fn may_hold_a_name<'a>(
    chapter: &'a Chapter,
    sentence: &Sentence,
    caps: &NameCues,
    facts: &mut TextValues<'a, 'a, TextFacts>,
) -> bool {
    let spans = chapter.sentence_words(sentence);
    let text = chapter.text.as_bytes();
    // Could start with a capital or hold an elision (“d’Anaïs”): an upper
    // case ASCII letter or any non-ASCII first byte, or an apostrophe near
    // the start. A capital “I” alone is the pronoun.
    let may_be_capital = |span: Span| {
        let bytes = &text[span.range()];
        match bytes.first() {
            Some(&b) if b.is_ascii_uppercase() => bytes.len() > 1,
            Some(&b) if b >= 0x80 => true,
            Some(_) => bytes[..bytes.len().min(5)]
                .iter()
                .any(|&b| b == b'\'' || b == 0xE2),
            None => false,
        }
    };
    let Some((&first, rest)) = spans.split_first() else {
        return false;
    };
    if rest.iter().any(|&span| may_be_capital(span)) {
        return true;
    }
    if !may_be_capital(first) {
        return false;
    }
    let word = chapter.slice(first);
    let facts = facts.get(sentence.words.start as usize, TextFacts::of);
    caps.mostly_capitalised(facts.key_of(word))
}

/// Fills `out` with the words of `sentence`, what their texts alone tell
/// taken from `facts`.
fn read_words<'a>(
    chapter: &'a Chapter,
    sentence: &Sentence,
    facts: &mut TextValues<'a, 'a, TextFacts>,
    out: &mut Vec<Word<'a>>,
) {
    out.clear();
    let spans = chapter.sentence_words(sentence);
    let first = sentence.words.start as usize;
    for (i, &span) in spans.iter().enumerate() {
        let word = chapter.slice(span);
        let (text, lower) = match facts {
            // The book's facts outlive the words: their keys are lent.
            TextValues::Shared(ids, values) => {
                let values: &'a [TextFacts] = values;
                let text = &values[ids.of_word(first + i)];
                (text, Lower::Text(text.key_of(word)))
            }
            TextValues::Own(own) => {
                let text = own.get(first + i, TextFacts::of);
                let lower = match &text.key {
                    Some(key) => Lower::Key(Arc::clone(key)),
                    // Its own key.
                    None => Lower::Text(text.base_of(word)),
                };
                (&*text, lower)
            }
        };
        let base = text.base_of(word);
        let from = text.base.0 as usize;
        let joint = match i.checked_sub(1).map(|p| spans[p]) {
            None => Joint::Break,
            Some(previous) => {
                let between = &chapter.prose[previous.end as usize..span.start as usize];
                // One space, as most words follow, without decoding it.
                if between == " "
                    || (between.chars().all(char::is_whitespace) && !between.is_empty())
                {
                    Joint::Space
                } else if matches!(between, "-" | "\u{2010}" | "\u{2011}") {
                    Joint::Hyphen
                } else if between.starts_with('.')
                    && between[1..].chars().all(char::is_whitespace)
                    && between.len() > 1
                {
                    Joint::Stop
                } else {
                    Joint::Break
                }
            }
        };
        // Only a capital's place is asked about (the first word of a run).
        let mid = text.capital && i > 0 && capitals::mid_sentence(chapter, spans[i - 1], span);
        out.push(Word {
            base,
            base_start: span.start as usize + from,
            possessive: text.possessive,
            capital: text.capital,
            lowercase: text.case == Some(false),
            lower,
            joint,
            mid,
        });
    }
}

/// Letters, perhaps with apostrophes inside (“O’Brien”, and the marks of
/// [`spelling::APOSTROPHES`]), two letters or more, and not a contraction
/// (“I’m”, “I’ll”, “Don’t”).
fn is_name_shaped(word: &str) -> bool {
    let is_mark = |c: char| c == '\'' || spelling::APOSTROPHES.contains(&c);
    let letters = word
        .chars()
        .filter(|c| c.is_alphabetic() && !is_mark(*c))
        .count();
    if letters < 2 || !word.chars().all(|c| c.is_alphabetic() || is_mark(c)) {
        return false;
    }
    match word.rfind(is_mark) {
        None => true,
        Some(at) => {
            let tail = &word[at..];
            let tail_letters = tail
                .chars()
                .filter(|c| c.is_alphabetic() && !is_mark(*c))
                .count();
            tail_letters > 2 && at > 0
        }
    }
}

/// A capitalised word the manuscript uses as a one-word name: capitalised
/// in more than ten uses of eleven. A word that only ever starts sentences
/// (“Meanwhile”) passes too; it rarely has a partner spelled alike, and
/// the pair must still show the same kind of place to be reported.
fn is_single_name(word: &Word, caps: &NameCues) -> bool {
    !TITLES.contains(&word.lower) && caps.mostly_capitalised(&word.lower)
}

/// A one-word name written inside a sentence somewhere, or too rare a word
/// (Zipf below 3: under once per million words) to start sentences often.
fn plainly_a_name(word: &Word, caps: &NameCues) -> bool {
    is_single_name(word, caps)
        && (caps.mid_sentence(&word.lower) || crate::wordfreq::zipf(&word.lower) < 3.0)
}

/// Writes the words of `run` into `text`, joined by a space or a hyphen.
fn run_text(run: &[Word], text: &mut String) {
    text.clear();
    for (i, word) in run.iter().enumerate() {
        if i > 0 {
            text.push(if word.joint == Joint::Hyphen {
                '-'
            } else {
                ' '
            });
        }
        text.push_str(word.base);
    }
}

fn run_span(run: &[Word]) -> Span {
    let first = &run[0];
    let last = &run[run.len() - 1];
    Span::new(first.base_start, last.base_end())
}

/// The kinds of place the name made of `words[start..end]` is used in.
fn roles(chapter: &Chapter, sentence: &Sentence, words: &[Word], start: usize, end: usize) -> u8 {
    let mut roles = 0;
    let first = &words[start];
    let last = &words[end - 1];
    let previous = start.checked_sub(1).map(|p| &words[p]);
    let next = words.get(end);
    if let Some(previous) = previous {
        let word = previous.lower.as_ref();
        if TITLES.contains(word) && matches!(first.joint, Joint::Space | Joint::Stop) {
            roles |= TITLE;
        } else if first.joint == Joint::Space {
            if SPEECH_VERBS.contains(word) {
                roles |= SPEAKER;
            } else if PLACE_PREPOSITIONS.contains(word) {
                roles |= PLACE;
            }
        }
    }
    if !last.possessive
        && let Some(next) = next
        && next.joint == Joint::Space
        && next.lowercase
    {
        let verb = next.lower.as_ref();
        if SPEECH_VERBS.contains(verb) {
            roles |= SPEAKER;
        } else if is_verb(verb) {
            roles |= SUBJECT;
        } else if verb.ends_with("ly")
            && let Some(after) = words.get(end + 1)
            && after.joint == Joint::Space
            && after.lowercase
            && (is_verb(&after.lower) || SPEECH_VERBS.contains(&after.lower))
        {
            roles |= SUBJECT; // “Nathalie slowly turned”
        }
    }
    let span = Span::new(first.base_start, last.base_end());
    if !last.possessive && chapter.in_dialogue(span) && is_address(chapter, sentence, span) {
        roles |= ADDRESS;
    }
    roles
}

/// A verb after a name makes it the subject: a common verb of narration,
/// or a regular past tense (“-ed”).
fn is_verb(word: &str) -> bool {
    VERBS.contains(word) || (word.len() >= 5 && word.ends_with("ed"))
}

/// Spoken to: set off by a comma or dash inside dialogue, and closed by
/// punctuation (“Come here, Nathalie!”, “Well, Nathalie, …”). A name
/// opening the speech (“Nathalie, come here”) is not counted: so do
/// interjections (“Hallo, Selden”), which would pass for names.
fn is_address(chapter: &Chapter, sentence: &Sentence, span: Span) -> bool {
    let before = chapter.prose[sentence.span.start as usize..span.start as usize]
        .trim_end()
        .chars()
        .next_back();
    let opens = before.is_some_and(|c| matches!(c, ',' | '—' | '–'));
    let after = chapter.prose[span.end as usize..]
        .chars()
        .find(|c| !c.is_whitespace());
    let closes = after.is_some_and(|c| {
        matches!(
            c,
            ',' | '.' | '!' | '?' | '”' | '"' | '’' | '\'' | ';' | '—' | '–' | '…'
        )
    });
    opens && closes
}

/// Words that put a name after them in a title's place. Lowercase; a
/// title is never a name by itself.
pub static TITLES: WordSet = WordSet::new(&[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "doctor",
    "prof",
    "professor",
    "aunt",
    "auntie",
    "aunty",
    "uncle",
    "sir",
    "lady",
    "lord",
    "dame",
    "madam",
    "madame",
    "mme",
    "mlle",
    "mademoiselle",
    "monsieur",
    "herr",
    "frau",
    "señor",
    "señora",
    "señorita",
    "signor",
    "signora",
    "don",
    "doña",
    "capt",
    "captain",
    "col",
    "colonel",
    "gen",
    "general",
    "lt",
    "lieutenant",
    "sgt",
    "sergeant",
    "major",
    "admiral",
    "rev",
    "reverend",
    "father",
    "mother",
    "sister",
    "brother",
    "cousin",
    "grandma",
    "grandpa",
    "granny",
    "grandmother",
    "grandfather",
    "master",
    "mistress",
    "mister",
    "missus",
    "king",
    "queen",
    "prince",
    "princess",
    "count",
    "countess",
    "duke",
    "duchess",
    "baron",
    "baroness",
    "judge",
    "inspector",
    "detective",
    "officer",
    "constable",
    "nurse",
]);

/// Verbs of speech, before or after the speaker.
static SPEECH_VERBS: WordSet = WordSet::new(&[
    "said",
    "says",
    "asked",
    "asks",
    "replied",
    "replies",
    "answered",
    "answers",
    "cried",
    "cries",
    "whispered",
    "whispers",
    "shouted",
    "shouts",
    "called",
    "calls",
    "exclaimed",
    "muttered",
    "murmured",
    "added",
    "continued",
    "returned",
    "observed",
    "repeated",
    "interrupted",
    "insisted",
    "snapped",
    "yelled",
    "screamed",
    "sighed",
    "admitted",
    "agreed",
    "explained",
    "declared",
    "remarked",
    "retorted",
    "protested",
    "pleaded",
    "warned",
    "suggested",
    "demanded",
    "inquired",
    "enquired",
    "told",
    "tells",
]);

/// Common verbs of narration that follow their subject; regular past
/// tenses are caught by their “-ed”.
#[rustfmt::skip]
static VERBS: WordSet = WordSet::new(&[
    "was", "is", "had", "has", "did", "does", "would", "could", "should", "will", "shall",
    "might", "must", "can", "may", "went", "goes", "came", "comes", "stood", "stands", "sat",
    "sits", "ran", "runs", "took", "takes", "gave", "gives", "saw", "sees", "felt", "feels",
    "knew", "knows", "thought", "thinks", "got", "gets", "put", "puts", "made", "makes",
    "left", "leaves", "kept", "keeps", "heard", "hears", "found", "finds", "held", "holds",
    "shook", "shakes", "looks", "smiles", "nods", "laughs", "turns", "walks", "wants",
    "needs", "likes", "loves", "hates", "tries", "seems", "rose", "rises", "fell", "falls",
    "wrote", "writes", "read", "reads", "spoke", "speaks", "brought", "brings", "bought",
    "caught", "let", "lets", "set", "sets", "wept", "slept", "woke", "ate", "drank", "drove",
    "rode", "flew", "swam", "sang", "sank", "began", "begins", "meant", "means", "paid",
    "lay", "lies", "led", "leads", "lost", "sent", "sends", "spent", "threw", "understood",
    "wore", "won", "forgot", "became", "becomes", "drew", "grew", "hid", "hit", "hurt",
    "struck", "swore", "taught", "tore", "broke", "chose", "bit", "fought", "fled", "knelt",
    "leant", "leapt", "lit", "meets", "met", "quit", "sought", "stole", "stuck", "stung",
    "swung", "shot", "shut", "slid", "spun", "strode", "isn't", "wasn't", "hadn't", "didn't",
    "couldn't", "wouldn't", "won't", "can't",
]);

/// Prepositions before a place: “in Lyon”, “across Hampstead”.
static PLACE_PREPOSITIONS: WordSet = WordSet::new(&[
    "in", "into", "near", "inside", "outside", "within", "through", "across", "beyond", "around",
    "toward", "towards",
]);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::manuscript;

    fn index(text: &str) -> NameIndex {
        NameIndex::build(&manuscript(&[("a.txt", text)]))
    }

    fn name<'a>(index: &'a NameIndex, text: &str) -> &'a Name {
        index
            .names
            .iter()
            .find(|n| n.text == text)
            .unwrap_or_else(|| panic!("no name {text}: {:?}", index.names))
    }

    /// A name and its uses as `(chapter, start)`.
    type Uses = (String, Vec<(u32, u32)>);

    /// The names with their uses, and the pairs (as debug text).
    fn names_and_pairs(index: &NameIndex) -> (Vec<Uses>, String) {
        let names = index
            .names
            .iter()
            .map(|n| {
                let uses = n.uses.iter().map(|u| (u.chapter, u.span.start)).collect();
                (n.text.clone(), uses)
            })
            .collect();
        (names, format!("{:?}", index.pairs))
    }

    /// With each text's facts worked out for the whole book the names are
    /// those each chapter finds with its own: also with a chapter that
    /// keeps no ids, and in a language server's manuscript.
    #[test]
    fn the_books_facts_find_the_chapters_names() {
        let chapters = [
            (
                "a.txt",
                "Nathalie smiled at Mr. Gray. Then the Gray Boy ran to Lyon.\n",
            ),
            (
                "b.txt",
                "“Come here, Nathalie.” Natalie’s aunt and d’Anaïs went to Lyons.\n",
            ),
            (
                "c.txt",
                "Gray Boy slept. Then Nathalie and the Grey Boy left.\n",
            ),
        ];
        let book = manuscript(&chapters);
        assert!(book.texts().is_some());
        let found = names_and_pairs(&NameIndex::build(&book));
        let texts: Vec<&str> = found.0.iter().map(|(t, _)| t.as_str()).collect();
        // Candidates too: words capitalised in most of their uses.
        assert_eq!(
            texts,
            [
                "Nathalie", "Gray", "Then", "Boy", "Lyon", "Gray Boy", "Come", "Natalie", "Anaïs",
                "Lyons", "Grey", "Grey Boy"
            ]
        );
        assert_eq!(found.0[0].1, [(0, 0), (1, 14), (2, 21)]);
        assert!(found.1.contains("Nathalie") && found.1.contains("Natalie"));
        let kept = crate::testing::kept_manuscript(&chapters);
        assert_eq!(names_and_pairs(&NameIndex::build(&kept)), found);
        let mut partly = manuscript(&chapters);
        partly.chapters[1].word_texts = crate::text::WordTexts::none();
        assert_eq!(names_and_pairs(&NameIndex::build(&partly)), found);
    }

    #[test]
    fn one_word_names_and_runs_with_their_roles() {
        let index = index(
            "Nathalie smiled at Mr. Gray. “Come here, Nathalie.” Then the Gray Boy \
             ran into Lyon, and Aunt Mary-Anne Dubois said nothing. Gray Boy slept.\n\n\
             The grey dawn came. “Well,” said Nathalie’s aunt. We went to Lyon as well.\n\n\
             Do come. Then the Gray Boy ran.\n",
        );
        let nathalie = name(&index, "Nathalie");
        assert_eq!(nathalie.uses.len(), 3);
        assert_eq!(nathalie.uses[0].roles, SUBJECT);
        assert_eq!(nathalie.uses[1].roles, ADDRESS);
        assert_eq!(nathalie.uses[2].roles, SPEAKER);
        assert_eq!(name(&index, "Gray").uses[0].roles, TITLE);
        let boy = name(&index, "Gray Boy");
        assert_eq!(boy.uses.len(), 3, "{boy:?}");
        assert_eq!(boy.roles, SUBJECT);
        assert_eq!(name(&index, "Mary-Anne Dubois").roles, TITLE | SPEAKER);
        assert_eq!(name(&index, "Lyon").uses[0].roles, PLACE);
        assert!(index.names.iter().all(|n| n.text != "Then the"));
        assert!(index.names.iter().all(|n| n.text != "Aunt"));
        assert!(index.names.iter().all(|n| n.text != "Well"));
        assert!(index.names.iter().all(|n| n.text != "Come"));
    }

    #[test]
    fn sentence_initial_runs_need_a_mid_sentence_twin() {
        let index = index("Gray Boy ran. Then Nathalie Dubois left. Big Ben Tower rang.\n");
        // “Gray” starts a sentence and is a common word: not a name alone,
        // and “Gray Boy” is never written inside a sentence.
        assert!(index.names.iter().all(|n| n.text != "Gray Boy"));
        assert!(index.names.iter().any(|n| n.text == "Nathalie Dubois"));
        assert!(index.names.iter().any(|n| n.text == "Ben Tower"));
    }
}
