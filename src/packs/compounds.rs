//! Compound words the manuscript itself spells more than one way: “sound
//! stage”, “sound-stage”, “soundstage”. Learned from the text: every
//! hyphenated compound is a candidate, and its closed (“soundstage”) and
//! open (“sound stage”) forms are looked up in the same manuscript.
//!
//! Open and closed forms are also paired without a hyphenated one (“sound
//! stage” / “soundstage”) when both parts have four letters or more and
//! neither is a function word (“some time” / “sometime”, “every one” /
//! “everyone” differ in meaning), and the first is not an adjective that
//! describes the second (“a green house” is no “greenhouse”).
//!
//! A group counts only when the closed form is among the spellings used:
//! “a well-known man” / “he is well known” is correct hyphenation of a
//! modifier, not a spelling variant, and “wellknown” is never written.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Arc, LazyLock};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::rule::Form;
use crate::text::{Chapter, Manuscript, ManuscriptTexts, Span, TextValues, WithInputs};
use crate::word_set::WordSet;

/// Each two-part hyphenated word of `text`: two runs of two letters or
/// more (`\p{L}`), the first also the letter `e` alone (`e-mail`,
/// `e-book`, written `email` and `ebook` as often), joined by one hyphen,
/// with a word boundary on either side, left to right and not
/// overlapping; the byte ranges of the two parts. Finds what the regex
/// `\b(\p{L}{2,}|[eE])-(\p{L}{2,})\b` finds, by a
/// scan out from each hyphen: that regex's Unicode classes took longer to
/// compile than a one-chapter check takes. Linear: each letter is read at
/// most twice, once from the hyphen after it and once from the one before.
fn hyphenated_words(text: &str) -> Vec<(Range<usize>, Range<usize>)> {
    let mut found = Vec::new();
    // Where the last match ended: a match starts at or after it.
    let mut resume = 0;
    for (hyphen, _) in text.match_indices('-') {
        if hyphen < resume {
            continue;
        }
        // A match may start only where its letters start (inside a run of
        // letters there is no word boundary), after a non-word character.
        let mut start = hyphen;
        let mut letters = 0;
        for (i, c) in text[resume..hyphen].char_indices().rev() {
            if !is_letter(c) {
                break;
            }
            start = resume + i;
            letters += 1;
        }
        let run_goes_on = text[..start].chars().next_back();
        let first_part = letters >= 2 || matches!(&text[start..hyphen], "e" | "E");
        if !first_part || run_goes_on.is_some_and(is_word_char) {
            continue;
        }
        // The second part's letters, greedily; a word character after them
        // leaves no boundary (and a shorter part would end before a letter).
        let mut end = hyphen + 1;
        let mut letters = 0;
        for (i, c) in text[hyphen + 1..].char_indices() {
            if !is_letter(c) {
                break;
            }
            end = hyphen + 1 + i + c.len_utf8();
            letters += 1;
        }
        if letters < 2 || text[end..].chars().next().is_some_and(is_word_char) {
            continue;
        }
        found.push((start..hyphen, hyphen + 1..end));
        resume = end;
    }
    found
}

/// `\p{L}`: a letter of any script.
fn is_letter(c: char) -> bool {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    matches!(
        get_general_category(c),
        G::UppercaseLetter
            | G::LowercaseLetter
            | G::TitlecaseLetter
            | G::ModifierLetter
            | G::OtherLetter
    )
}

/// `\w` as a Unicode regex reads it, for word boundaries.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    regex_syntax::is_word_character(c)
}

type Places = Vec<(usize, Span)>;

/// The hyphenated compounds of one chapter: the two parts in lower case,
/// and where. Found with a regex over the text, the costly part of
/// learning, so kept with the chapter when it keeps its analyses (see
/// [`Chapter::memo`]): a language server re-reads only an edited chapter.
struct Hyphenated(Vec<((String, String), Span)>);

impl Hyphenated {
    fn build(chapter: &Chapter) -> Hyphenated {
        let prose = &chapter.prose;
        let found = hyphenated_words(prose)
            .into_iter()
            .filter_map(|(first, second)| {
                let before = prose[..first.start].chars().next_back();
                let after = prose[second.end..].chars().next();
                if before == Some('-') || after == Some('-') {
                    return None; // three-part compound or a `--` dash
                }
                let span = Span::new(first.start, second.end);
                let key = (prose[first].to_lowercase(), prose[second].to_lowercase());
                Some((key, span))
            })
            .collect();
        Hyphenated(found)
    }
}

/// A chapter's words of eight letters or more, in lower case: its part of
/// the vocabulary in which closed forms of open pairs are looked up.
struct LongWords(FxHashSet<String>);

impl LongWords {
    fn build(chapter: &Chapter) -> LongWords {
        let mut words = FxHashSet::default();
        LongWords::add(chapter, &mut words);
        LongWords(words)
    }

    /// Adds the chapter's long words to `words`: each text once, at its
    /// first use, where the chapter keeps its text ids (see
    /// [`crate::text::WordTexts`]); a later use would add nothing.
    fn add(chapter: &Chapter, words: &mut FxHashSet<String>) {
        let each_text = chapter.word_texts.first_uses().unwrap_or(&chapter.words);
        for &w in each_text {
            let word = chapter.prose_slice(w);
            if is_long_word(word) {
                let lower = lowercase(word);
                if !words.contains(lower.as_ref()) {
                    words.insert(lower.into_owned());
                }
            }
        }
    }

    /// The manuscript's long words. A manuscript checked once reads each
    /// text of the book once (see [`ManuscriptTexts`]), and the texts of
    /// the chapters too long to keep ids, which the book's texts leave
    /// out, chapter by chapter; one checked again keeps each chapter's set
    /// with it.
    fn of_manuscript(manuscript: &Manuscript) -> FxHashSet<String> {
        if let Some(texts) = manuscript.texts() {
            let mut words = FxHashSet::default();
            for id in 0..texts.len() {
                let word = texts.text(id);
                if is_long_word(word) {
                    words.insert(lowercase(word).into_owned());
                }
            }
            for chapter in &manuscript.chapters {
                if texts.of_chapter(chapter).is_none() {
                    LongWords::add(chapter, &mut words);
                }
            }
            return words;
        }
        let long_words: Vec<Arc<LongWords>> = manuscript
            .chapters
            .par_iter()
            .map(|chapter| chapter.memo("compounds/long-words", LongWords::build))
            .collect();
        let mut vocabulary = FxHashSet::default();
        for words in long_words {
            // Copied where a chapter keeps them, else moved.
            match Arc::try_unwrap(words) {
                Ok(words) => vocabulary.extend(words.0),
                Err(kept) => vocabulary.extend(kept.0.iter().cloned()),
            }
        }
        vocabulary
    }
}

/// A word of the vocabulary: eight letters or more.
fn is_long_word(word: &str) -> bool {
    word.len() >= 8 && word.chars().all(char::is_alphabetic)
}

/// What the open forms of a chapter depend on besides the chapter: the
/// hyphenated compounds (second parts by first part) and the vocabulary.
#[derive(PartialEq)]
struct OpenInputs {
    targets: FxHashMap<String, FxHashSet<String>>,
    /// Every second part of `targets`, once.
    second_parts: FxHashSet<String>,
    vocabulary: FxHashSet<String>,
}

impl OpenInputs {
    fn new(
        targets: FxHashMap<String, FxHashSet<String>>,
        vocabulary: FxHashSet<String>,
    ) -> OpenInputs {
        OpenInputs {
            second_parts: targets.values().flatten().cloned().collect(),
            targets,
            vocabulary,
        }
    }
}

/// Open forms: the two words in lower case, and where.
type OpenForms = Vec<((String, String), Span)>;

/// A chapter's open forms (pass 2), kept while the inputs stay the same.
type OpenSlot = WithInputs<OpenInputs, OpenForms>;

/// A chapter's closed forms (pass 3) of the closed targets.
type ClosedSlot = WithInputs<FxHashSet<String>, Vec<(String, Span)>>;

/// Groups of spellings of one compound (open, hyphenated, closed: the ones
/// the manuscript uses, with the closed one among them), each with its
/// places as (chapter index, span), in reading order.
///
/// Each pass over the words is kept per chapter with what it read from the
/// rest of the manuscript (see [`WithInputs`]): after an edit that adds no
/// compound and no long word, a language server goes over the edited
/// chapter only.
pub fn learn(manuscript: &Manuscript) -> Vec<Vec<Form>> {
    // Pass 1: hyphenated compounds.
    let hyphenated: Vec<Arc<Hyphenated>> = manuscript
        .chapters
        .par_iter()
        .map(|chapter| chapter.memo("compounds/hyphenated", Hyphenated::build))
        .collect();
    let mut hyphen_forms: FxHashMap<(String, String), Places> = FxHashMap::default();
    for (c, found) in hyphenated.iter().enumerate() {
        for (key, span) in &found.0 {
            hyphen_forms
                .entry(key.clone())
                .or_default()
                .push((c, *span));
        }
    }
    // The manuscript's vocabulary, for closed forms of open pairs.
    let vocabulary = LongWords::of_manuscript(manuscript);
    // Second parts of the hyphenated compounds, by first part, so a word
    // pair is looked up without building a key for it.
    let mut targets: FxHashMap<String, FxHashSet<String>> = FxHashMap::default();
    for (a, b) in hyphen_forms.keys() {
        targets.entry(a.clone()).or_default().insert(b.clone());
    }

    // Pass 2: open forms.
    let inputs = OpenInputs::new(targets, vocabulary);
    let found: Vec<Arc<OpenForms>> = match manuscript.texts() {
        // Each text's part worked out once for the book; nothing is kept.
        Some(texts) => {
            let parts = texts.values(|text| PairPart::of(text, &inputs));
            let roles: Vec<u8> = parts.iter().map(PairPart::role).collect();
            manuscript
                .chapters
                .par_iter()
                .map(|chapter| {
                    let shared = Some((texts, parts.as_slice(), roles.as_slice()));
                    Arc::new(open_forms_in(chapter, &inputs, shared))
                })
                .collect()
        }
        None => OpenSlot::per_chapter(manuscript, "compounds/open", inputs, |chapter, inputs| {
            open_forms_in(chapter, inputs, None)
        }),
    };
    let mut open_forms: FxHashMap<(String, String), Places> = FxHashMap::default();
    for (c, open) in found.iter().enumerate() {
        for (key, span) in open.iter() {
            open_forms.entry(key.clone()).or_default().push((c, *span));
        }
    }

    // Pass 3: closed forms, of the hyphenated and open pairs only.
    let closed_targets: FxHashSet<String> = hyphen_forms
        .keys()
        .chain(open_forms.keys())
        .map(|(a, b)| format!("{a}{b}"))
        .collect();
    let found: Vec<Arc<Vec<(String, Span)>>> = match manuscript.texts() {
        Some(texts) => {
            let shortest = shortest_target(&closed_targets);
            let is_target = texts.values(|text| is_target(text, &closed_targets, shortest));
            manuscript
                .chapters
                .par_iter()
                .map(|chapter| {
                    let shared = Some((texts, is_target.as_slice()));
                    Arc::new(closed_forms_in(chapter, &closed_targets, shared))
                })
                .collect()
        }
        None => ClosedSlot::per_chapter(
            manuscript,
            "compounds/closed",
            closed_targets,
            |chapter, targets| closed_forms_in(chapter, targets, None),
        ),
    };
    let mut closed_forms: FxHashMap<String, Places> = FxHashMap::default();
    for (c, closed) in found.iter().enumerate() {
        for (key, span) in closed.iter() {
            closed_forms
                .entry(key.clone())
                .or_default()
                .push((c, *span));
        }
    }

    let mut groups = Vec::new();
    let mut keys: Vec<&(String, String)> = hyphen_forms.keys().chain(open_forms.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let (a, b) = key;
        let closed_key = format!("{a}{b}");
        let Some(closed) = closed_forms.get(&closed_key) else {
            continue;
        };
        let mut forms = vec![
            Form {
                key: 0,
                text: format!("{a} {b}"),
                places: open_forms.get(key).cloned().unwrap_or_default(),
            },
            Form {
                key: 1,
                text: format!("{a}-{b}"),
                places: hyphen_forms.get(key).cloned().unwrap_or_default(),
            },
            Form {
                key: 2,
                text: closed_key,
                places: closed.clone(),
            },
        ];
        forms.retain(|f| !f.places.is_empty());
        groups.push(forms);
    }
    groups
}

/// What pass 2 reads of one text: worked out once for the book (see
/// [`ManuscriptTexts::values`]), or in a chapter on the text's first use
/// there (see [`TextValues`]).
struct PairPart<'c, 'i> {
    lower: Cow<'c, str>,
    /// A particle (see [`is_particle`]): never the second part of a compound written
    /// open for a hyphenated one.
    particle: bool,
    /// May be a part of an open pair looked up closed (see [`can_join`]).
    joins: bool,
    /// The second parts of the hyphenated compounds it is the first of.
    seconds: Option<&'i FxHashSet<String>>,
    /// The second part of some hyphenated compound.
    second: bool,
}

impl<'c, 'i> PairPart<'c, 'i> {
    fn of(written: &'c str, inputs: &'i OpenInputs) -> PairPart<'c, 'i> {
        let lower = lowercase(written);
        PairPart {
            particle: is_particle(&lower),
            joins: can_join(&lower),
            seconds: inputs.targets.get(lower.as_ref()),
            second: inputs.second_parts.contains(lower.as_ref()),
            lower,
        }
    }

    /// The part's [`PairRole`] bits.
    fn role(&self) -> u8 {
        let bit = |set: bool, bit: u8| if set { bit } else { 0 };
        bit(self.joins, PairRole::JOINS)
            | bit(self.particle, PairRole::PARTICLE)
            | bit(self.seconds.is_some(), PairRole::FIRST)
            | bit(self.second, PairRole::SECOND)
    }
}

/// What a text may be in a word pair, in one byte: the few bits pass 2
/// asks of every pair before it reads either part. The book's texts'
/// roles fit in the processor's caches where their parts (40 bytes each)
/// do not, and nine pairs in ten are no candidate.
struct PairRole;

impl PairRole {
    /// [`PairPart::joins`].
    const JOINS: u8 = 1;
    /// [`PairPart::particle`].
    const PARTICLE: u8 = 2;
    /// The first part of some hyphenated compound ([`PairPart::seconds`]).
    const FIRST: u8 = 4;
    /// [`PairPart::second`]: “to” is the first part of “to-day” in older
    /// prose, and without this every “to” and the word after it went on
    /// to the full check.
    const SECOND: u8 = 8;

    /// Whether a pair of texts with roles `first` and `second` may be a
    /// compound written open: what [`open_forms_in`] then checks in full.
    fn may_pair(first: u8, second: u8) -> bool {
        (first & Self::FIRST != 0 && second & (Self::SECOND | Self::PARTICLE) == Self::SECOND)
            || (first & second & Self::JOINS != 0)
    }
}

/// Pass 2 over one chapter: word pairs that are a hyphenated compound
/// written open, or whose closed form is in the vocabulary. `shared`: the
/// manuscript's texts and each one's part, when made for the whole book.
fn open_forms_in<'c>(
    chapter: &'c Chapter,
    inputs: &'c OpenInputs,
    shared: Option<(&'c ManuscriptTexts, &'c [PairPart<'c, 'c>], &'c [u8])>,
) -> OpenForms {
    let mut open = Vec::new();
    let mut joined = String::new();
    // The roles of the chapter's texts, by its own text ids (a few
    // thousand: one look-up a word, in the nearest cache).
    let roles = shared.and_then(|(texts, _, roles)| {
        let ids = texts.of_chapter(chapter)?;
        let local: Vec<u8> = (0..ids.texts()).map(|t| roles[ids.of_local(t)]).collect();
        Some((ids, local))
    });
    let mut parts = TextValues::new(chapter, shared.map(|(texts, parts, _)| (texts, parts)));
    for sentence in &chapter.sentences {
        let words = chapter.sentence_words(sentence);
        let first = sentence.words.start as usize;
        if words.len() < 2 {
            continue;
        }
        // Without the book's texts every pair is a candidate: all bits set.
        let role = |word: usize| {
            roles
                .as_ref()
                .map_or(u8::MAX, |(ids, local)| local[ids.local_of_word(word)])
        };
        let mut previous = role(first);
        for i in 1..words.len() {
            let (before, this) = (previous, role(first + i));
            previous = this;
            if !PairRole::may_pair(before, this) {
                continue;
            }
            let gap = &chapter.prose[words[i - 1].end as usize..words[i].start as usize];
            // Spaces and a line break (`\n`, or `\r\n` in a Windows file).
            if gap.is_empty() || !gap.bytes().all(|c| matches!(c, b' ' | b'\n' | b'\r')) {
                continue;
            }
            let word = parts.slot(first + i - 1, |text| PairPart::of(text, inputs));
            let next = parts.slot(first + i, |text| PairPart::of(text, inputs));
            let (word, next) = (parts.at(word), parts.at(next));
            let hyphenated = !next.particle
                && word
                    .seconds
                    .is_some_and(|seconds| seconds.contains(next.lower.as_ref()));
            if hyphenated || open_pair(word, next, &inputs.vocabulary, &mut joined) {
                open.push((
                    (word.lower.to_string(), next.lower.to_string()),
                    Span::new(words[i - 1].start as usize, words[i].end as usize),
                ));
            }
        }
    }
    open
}

/// Pass 3 over one chapter: the words that are one of `targets`.
/// `shared`: the manuscript's texts and whether each is a target, when
/// worked out for the whole book.
fn closed_forms_in(
    chapter: &Chapter,
    targets: &FxHashSet<String>,
    shared: Option<(&ManuscriptTexts, &[bool])>,
) -> Vec<(String, Span)> {
    if targets.is_empty() {
        return Vec::new();
    }
    let shortest = shortest_target(targets);
    // Whether each text is a target.
    let mut targeted = TextValues::new(chapter, shared);
    chapter
        .words
        .iter()
        .enumerate()
        .filter_map(|(i, w)| {
            let target = *targeted.get(i, |written| is_target(written, targets, shortest));
            target.then(|| (lowercase(chapter.prose_slice(*w)).into_owned(), *w))
        })
        .collect()
}

/// The length of the shortest of `targets` (0 for none).
fn shortest_target(targets: &FxHashSet<String>) -> usize {
    targets.iter().map(String::len).min().unwrap_or(0)
}

/// Whether `written` in lower case is one of `targets`, the shortest of
/// them `shortest` bytes long.
fn is_target(written: &str, targets: &FxHashSet<String>, shortest: usize) -> bool {
    // An ASCII word shorter than every target, as most words are, is none
    // of them: lowercasing it keeps its length.
    !(written.len() < shortest && written.is_ascii())
        && targets.contains(lowercase(written).as_ref())
}

/// “look out” (a verb) is not a spelling of “lookout” (a noun). Asked of
/// every text: a `match` of a dozen short words cost less than hashing the
/// word into a set (callgrind, 2026-12-04).
fn is_particle(word: &str) -> bool {
    matches!(
        word,
        "out"
            | "up"
            | "down"
            | "off"
            | "over"
            | "back"
            | "away"
            | "in"
            | "on"
            | "by"
            | "about"
            | "through"
    )
}

/// `word` in lower case, borrowed when it already is (most words are).
fn lowercase(word: &str) -> Cow<'_, str> {
    // One pass: bit 0 for an ASCII capital, bit 1 for a byte beyond ASCII.
    let seen = word.bytes().fold(0u8, |seen, b| {
        seen | u8::from(b.is_ascii_uppercase()) | (u8::from(b >= 0x80) << 1)
    });
    match seen {
        0 => Cow::Borrowed(word),
        // Unicode lowercasing reads char by char; for ASCII it gives these
        // bytes.
        1 => Cow::Owned(word.to_ascii_lowercase()),
        _ if word.chars().any(char::is_uppercase) => Cow::Owned(word.to_lowercase()),
        _ => Cow::Borrowed(word),
    }
}

/// [`NOT_COMPOUND_PARTS`] as a set: it is asked about most word pairs.
static NOT_COMPOUND: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| NOT_COMPOUND_PARTS.iter().copied().collect());

/// Function words whose open and closed forms differ in meaning.
#[rustfmt::skip]
const NOT_COMPOUND_PARTS: &[&str] = &[
    "some", "every", "each", "none", "what", "when", "where", "there", "here", "over", "under",
    "with", "into", "onto", "upon", "down", "back", "ever", "never", "more", "most", "such",
    "your", "their", "them", "they", "this", "that", "these", "those", "than", "then", "else",
    "other", "self", "selves", "time", "times", "thing", "things", "body", "while", "ways",
    "wise", "side", "less", "after", "before", "fore", "ward", "wards", "about", "along",
    "anything", "nothing", "something", "everything", "where", "whom", "whose", "which",
    "within", "without", "from", "have", "been", "were", "will", "would", "could", "should",
    "shall", "might", "must", "also", "only", "just", "very", "much", "many", "long", "good",
    "well", "ever", "evermore", "more", "less", "once", "twice", "half", "whole", "like",
];

/// Adjectives of colour, shape and state that make a closed compound with
/// a noun (“greenhouse”, “blackbird”, “baldhead”, “barefoot”) and, apart,
/// describe that noun (“a green house with a red door”, “a black bird,
/// a crow perhaps”, “his bare foot”): written open, they are a phrase, not
/// the compound's other spelling. A hyphenated form still pairs them.
#[rustfmt::skip]
static DESCRIBES: WordSet = WordSet::new(&[
    "black", "white", "green", "blue", "brown", "grey", "gray", "yellow", "pink", "purple",
    "golden", "silver", "scarlet", "crimson", "bald", "bare", "dark", "high", "tall", "short",
    "broad", "narrow", "hard", "soft", "sweet", "sour", "bitter", "dead", "wild", "free",
    "full", "cold", "warm", "sharp", "quick", "slow", "deep", "rough", "smooth", "bright",
    "thick", "thin", "flat", "round", "strong", "weak", "loud", "quiet", "rich", "poor",
    "cheap", "safe", "sick", "clean", "dirty", "fresh", "young", "blind", "naked", "busy",
    "holy", "lazy", "pale", "tiny", "huge", "large", "small", "little", "open", "empty",
]);

/// Two words that the manuscript also writes closed up: “sound stage” when
/// “soundstage” is used somewhere, unless the first [describes the
/// second](DESCRIBES). `joined` is a reused buffer.
fn open_pair(
    first: &PairPart,
    second: &PairPart,
    vocabulary: &FxHashSet<String>,
    joined: &mut String,
) -> bool {
    if !first.joins || !second.joins {
        return false;
    }
    joined.clear();
    joined.push_str(&first.lower);
    joined.push_str(&second.lower);
    vocabulary.contains(joined.as_str()) && !DESCRIBES.contains(first.lower.as_ref())
}

/// A lowercase word that may be a part of an open pair: four letters or
/// more, and not one of the function words of [`NOT_COMPOUND_PARTS`].
fn can_join(word: &str) -> bool {
    word.len() >= 4 && word.chars().all(char::is_alphabetic) && !NOT_COMPOUND.contains(word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{kept_manuscript, manuscript};
    use crate::text::WordTexts;

    /// A spelling and its places as `(chapter, start)`.
    type Spelling = (String, Vec<(usize, u32)>);

    /// The groups, each a list of spellings.
    fn learned(manuscript: &Manuscript) -> Vec<Vec<Spelling>> {
        learn(manuscript)
            .into_iter()
            .map(|group| {
                group
                    .into_iter()
                    .map(|form| {
                        let places = form.places.iter().map(|&(c, s)| (c, s.start)).collect();
                        (form.text, places)
                    })
                    .collect()
            })
            .collect()
    }

    /// The book's texts worked out once give the groups each chapter's own
    /// did: with every chapter numbered, with a chapter that keeps no ids,
    /// and in a language server's manuscript, which numbers none.
    #[test]
    fn the_books_texts_learn_what_the_chapters_learn() {
        // “book case” is an open form only through “Bookcase” in the
        // second chapter, the one left without ids below.
        let chapters = [
            (
                "a.txt",
                "The sound stage was cold. Her grand-daughter came. A book case.\n",
            ),
            (
                "b.txt",
                "On the sound-stage the Soundstage lights burned. Bookcase.\n",
            ),
            (
                "c.txt",
                "Her granddaughter and the sound stage. Granddaughters.\n",
            ),
        ];
        let expected = vec![
            vec![
                ("book case".to_string(), vec![(0, 53)]),
                ("bookcase".to_string(), vec![(1, 49)]),
            ],
            vec![
                ("grand-daughter".to_string(), vec![(0, 30)]),
                ("granddaughter".to_string(), vec![(2, 4)]),
            ],
            vec![
                ("sound stage".to_string(), vec![(0, 4), (2, 26)]),
                ("sound-stage".to_string(), vec![(1, 7)]),
                ("soundstage".to_string(), vec![(1, 23)]),
            ],
        ];
        let book = manuscript(&chapters);
        assert!(book.texts().is_some());
        assert_eq!(learned(&book), expected);
        assert_eq!(learned(&kept_manuscript(&chapters)), expected);
        let mut partly = manuscript(&chapters);
        partly.chapters[1].word_texts = WordTexts::none();
        assert_eq!(learned(&partly), expected);
    }

    /// Every match of the regex the scan stands in for, as part ranges.
    fn by_regex(text: &str) -> Vec<(Range<usize>, Range<usize>)> {
        static REGEX: LazyLock<regex::Regex> =
            LazyLock::new(|| regex::Regex::new(r"\b(\p{L}{2,}|[eE])-(\p{L}{2,})\b").unwrap());
        REGEX
            .captures_iter(text)
            .map(|c| (c.get(1).unwrap().range(), c.get(2).unwrap().range()))
            .collect()
    }

    /// The one-byte roles let through every pair the full check of pass 2
    /// accepts, and turn away pairs that cannot be compounds.
    #[test]
    fn pair_roles_keep_every_open_form() {
        let set = |words: &[&str]| words.iter().map(|w| w.to_string()).collect();
        let inputs = OpenInputs::new(
            [
                ("sound".to_string(), set(&["stage", "out"])),
                ("to".to_string(), set(&["day"])),
            ]
            .into_iter()
            .collect(),
            set(&["bookcase", "soundstage", "lookout"]),
        );
        let words = [
            "sound", "Sound", "stage", "book", "case", "look", "out", "the", "a", "Ünter", "to",
            "day",
        ];
        let mut joined = String::new();
        let (mut accepted, mut turned_away) = (0, 0);
        for first in words {
            for second in words {
                let (a, b) = (PairPart::of(first, &inputs), PairPart::of(second, &inputs));
                let hyphenated =
                    !b.particle && a.seconds.is_some_and(|s| s.contains(b.lower.as_ref()));
                let full = hyphenated || open_pair(&a, &b, &inputs.vocabulary, &mut joined);
                let may = PairRole::may_pair(a.role(), b.role());
                assert!(may || !full, "{first} {second}");
                accepted += usize::from(full);
                turned_away += usize::from(!may);
            }
        }
        // “sound stage” and “Sound stage”; “book case”; “to day”. “sound
        // out” is a particle; “look out” has no part of four letters after it.
        assert_eq!(accepted, 4);
        // Let through: the 49 pairs of the seven words that join, and the
        // first parts of hyphenated compounds (“sound”, “Sound”, “to”)
        // before a second part that is no particle (“stage”, “day”): four
        // pairs more. Not before “out”, “the” or “a”.
        assert_eq!(turned_away, 12 * 12 - 49 - 4);
        // Without the book's roles every pair goes on to the full check.
        assert!(PairRole::may_pair(u8::MAX, u8::MAX));
    }

    /// An adjective before its noun is a phrase, not the open spelling of
    /// their closed compound; with a hyphenated form beside it, it is one
    /// of the compound's spellings again. A noun before a noun still pairs.
    #[test]
    fn an_adjective_before_its_noun_is_no_open_compound() {
        let texts = |groups: Vec<Vec<Spelling>>| -> Vec<Vec<String>> {
            groups
                .into_iter()
                .map(|g| g.into_iter().map(|(text, _)| text).collect())
                .collect()
        };
        let book = manuscript(&[
            (
                "a.txt",
                "Tomatoes grew in the greenhouse. A blackbird sang. The baldhead came. He cut his bare foot.\n",
            ),
            (
                "b.txt",
                "A green house with a red door. A black bird flapped up. He had a bald head. Barefoot, she ran. The firelight. The fire light.\n",
            ),
        ]);
        assert_eq!(texts(learned(&book)), [vec!["fire light", "firelight"]]);
        let book = manuscript(&[
            ("a.txt", "The greenhouse leaked. The green-house leaked.\n"),
            ("b.txt", "The green house leaked.\n"),
        ]);
        let mut groups = texts(learned(&book));
        groups.iter_mut().for_each(|g| g.sort());
        assert_eq!(groups, [vec!["green house", "green-house", "greenhouse"]]);
    }

    /// `e-mail` and `email` are one word's two spellings, though the
    /// first part is one letter; other single letters are not (`a-going`,
    /// `x-ray`, whose closed forms no one writes).
    #[test]
    fn e_mail_is_a_compound() {
        let book = manuscript(&[
            (
                "a.txt",
                "He sent three e-mails. She was a-going home. The X-ray.\n",
            ),
            ("b.txt", "She read the emails twice. Agoing? The xray.\n"),
        ]);
        let groups: Vec<Vec<String>> = learned(&book)
            .into_iter()
            .map(|g| g.into_iter().map(|(text, _)| text).collect())
            .collect();
        assert_eq!(groups, [vec!["e-mails", "emails"]]);
    }

    #[test]
    fn lowercase_is_the_unicode_lowercase_of_a_word_with_a_capital() {
        let alphabet: Vec<char> = "aZé’ÉİǅßΣ'-".chars().collect();
        let mut random = crate::testing::Xorshift::new();
        for _ in 0..5_000 {
            let len = random.next() % 6;
            let word: String = (0..len).map(|_| *random.pick(&alphabet)).collect();
            let expected = match word.chars().any(char::is_uppercase) {
                true => word.to_lowercase(),
                false => word.clone(),
            };
            let lower = lowercase(&word);
            assert_eq!(lower, expected, "{word:?}");
            assert_eq!(
                matches!(lower, Cow::Borrowed(_)),
                expected == word,
                "{word:?}"
            );
        }
        assert!(is_particle("out") && is_particle("through") && !is_particle("Out"));
    }

    #[test]
    fn hyphenated_words_are_found_as_the_regex_finds_them() {
        let text = "a well-known half-hearted so-so x-ray re-élan ab-c ab-cd3 \
                    one-two-three über-Straße fore_go-ahead 12ab-cd naïve-ish \
                    e\u{301}tude-en-deux ab--cd ab-cd- E-mail e-b";
        let found: Vec<String> = hyphenated_words(text)
            .into_iter()
            .map(|(a, b)| format!("{}|{}", &text[a], &text[b]))
            .collect();
        assert_eq!(
            found,
            [
                "well|known",
                "half|hearted",
                "so|so",
                "re|élan",
                "one|two",
                "über|Straße",
                "naïve|ish",
                "en|deux",
                "ab|cd",
                "E|mail",
            ]
        );
        assert_eq!(hyphenated_words(text), by_regex(text));
    }

    #[test]
    fn hyphenated_words_match_the_regex_on_random_text() {
        // Letters of several scripts, word characters that are not letters
        // (digits, `_`, a combining accent), and separators.
        let alphabet: Vec<char> = "ab-- -xe_1é\u{301}ж’.ʼ字ⅫE".chars().collect();
        let mut random = crate::testing::Xorshift::new();
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(random.0 % 24) {
                text.push(*random.pick(&alphabet));
            }
            assert_eq!(hyphenated_words(&text), by_regex(&text), "{text:?}");
        }
    }
}
