//! Repeated imagery, echoes and overused words: the shared word analysis
//! behind `repeated-phrase`, `word-echo` and `overused-word`.
//!
//! The lexicon (`lexicon.rs`) holds each distinct lowercase form of the
//! manuscript once (so background frequencies, normalisation and stemming
//! are computed per *form*, not per word); [`Analysis::build`] then goes
//! over the words of every paragraph and records per form how often it is
//! capitalised mid-sentence and how often it is lowercase — which is how
//! character and place names are recognised.
//!
//! Words inside text that the duplicate detector reports as a later copy of
//! earlier text (a copied or edited paragraph, a repeated sentence or
//! passage) are skipped, so a pasted passage does not count twice: the
//! duplicate rules already report it. The lexicon does not depend on that,
//! so it is built beside the detection; the detection, the lexicon and this
//! analysis are each built once per run and shared ([`Manuscript::shared`]).

mod claims;
mod invented;
mod lexicon;
pub mod overused_word;
pub mod repeated_phrase;
pub mod word_echo;

use std::borrow::Cow;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::rules::duplicates::shared_duplicates;
use lexicon::{Form, Lexicon};

use crate::language::Language;
use crate::rule::{IndependentAnalysis, RuleContext};
use crate::text::{
    BlockKind, Chapter, ChapterTextIds, Manuscript, ManuscriptTexts, PerText, Span,
    join_sorted_runs,
};
use crate::word_set::WordSet;

/// False (after a notice) when the manuscript's language is one manulint
/// has no word frequencies and function words for: the echo rules then
/// do not run, rather than take every word for a rare one.
pub fn language_served(manuscript: &Manuscript, ctx: &mut RuleContext) -> bool {
    let language = manuscript.language();
    if language.has_word_data() {
        let others: Vec<&Chapter> = manuscript
            .chapters
            .iter()
            .filter(|c| c.language != language)
            .collect();
        if let Some(first) = others.first() {
            ctx.notice(format!(
                "left out {} in another language than the manuscript's {} ({} in {}): check {} as a book of {}",
                crate::report::plural(others.len(), "chapter"),
                language.name(),
                first.path.display(),
                first.language.name(),
                if others.len() == 1 { "it" } else { "them" },
                if others.len() == 1 { "its own" } else { "their own" },
            ));
        }
        return true;
    }
    ctx.notice(format!(
        "skipped: manulint has no word frequencies for {} (it has them for English, French, Spanish and German)",
        language.name()
    ));
    false
}

/// What the echo rules' analysis reads that reads no other analysis: the
/// lexicon and duplicate detection, built side by side by the engine.
fn independent_analyses(common: &Common) -> Vec<IndependentAnalysis<'_>> {
    vec![
        Lexicon::analysis(),
        crate::rules::duplicates::detection_analysis(&common.duplicates),
    ]
}

/// Lets go of the word analysis for `common`, the phrases found in it with
/// the default settings, and the duplicate detection it reads (see
/// [`crate::rule::Rule::release_analyses`]).
fn release_analyses(manuscript: &Manuscript, common: &Common) {
    repeated_phrase::release_default_groups(manuscript, common);
    manuscript.release_shared::<repeated_phrase::PhraseTokens>(&format!("{common:?}"));
    manuscript.release_shared::<Analysis>(&format!("{common:?}"));
    crate::rules::duplicates::release_duplicates(manuscript, &common.duplicates);
}

/// [`STOP_WORDS`] to look words up in (lowercase).
pub(crate) static STOP_WORD_SET: crate::word_set::WordSet =
    crate::word_set::WordSet::new(STOP_WORDS);

/// Function words: never content, never echoes, never phrases on their own.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "ought",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "shall",
    "may",
    "might",
    "must",
    "us",
    "one",
    "ones",
    "yet",
    "also",
    "though",
    "although",
    "unless",
    "whether",
    "whose",
    "within",
    "without",
    "toward",
    "towards",
    "among",
    "amongst",
    "around",
    "across",
    "along",
    "behind",
    "beside",
    "besides",
    "beyond",
    "near",
    "onto",
    "since",
    "thus",
    "therefore",
    "however",
    "else",
    "ever",
    "every",
    "either",
    "neither",
    "another",
    "many",
    "much",
    "whatever",
    "whoever",
    "whenever",
    "wherever",
    "anything",
    "something",
    "nothing",
    "everything",
    "anyone",
    "someone",
    "everyone",
    "nobody",
    "somebody",
    "everybody",
    "oh",
    "ah",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "sir",
    "madam",
    "miss",
    "ye",
    "thee",
    "thou",
    "thy",
    "thine",
    "hath",
    "doth",
    "shalt",
    "wilt",
    "say",
    "said",
    "says",
    "saying",
    "go",
    "went",
    "gone",
    "going",
    "get",
    "got",
    "come",
    "came",
    "make",
    "made",
    "take",
    "took",
    "let",
    "like",
    "well",
    "now",
    "just",
    "still",
    "even",
    "back",
    "away",
    "way",
    "yes",
    // Function words as dialects say them, which a narrator in dialect
    // uses as often as any: Scots and Northern English (“dinnae”, “aye”,
    // “wi’”, “nowt”), Southern US and informal speech (“y’all”, “gonna”).
    "aye",
    "nae",
    "naw",
    "och",
    "wi",
    "ye",
    "yer",
    "youse",
    "yous",
    "oot",
    "aboot",
    "doon",
    "intae",
    "frae",
    "tae",
    "masel",
    "mysel",
    "yersel",
    "hissel",
    "hersel",
    "nowt",
    "owt",
    "summat",
    "dinnae",
    "dinna",
    "didnae",
    "cannae",
    "canna",
    "couldnae",
    "wouldnae",
    "widnae",
    "shouldnae",
    "willnae",
    "winnae",
    "winna",
    "isnae",
    "wasnae",
    "doesnae",
    "havenae",
    "hasnae",
    "hadnae",
    "arenae",
    "werenae",
    "mustnae",
    "y'all",
    "y’all",
    "yall",
    "gonna",
    "wanna",
    "gotta",
    "lemme",
    "gimme",
    "kinda",
    "sorta",
    "innit",
    "o",
    "s",
    "t",
    "d",
    "ll",
    "re",
    "ve",
    "m",
    // Quantities: “fifteen years” and “a thousand pounds” are facts of the
    // story, not images.
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "half",
    "dozen",
    "dozens",
    "first",
    "second",
    "third",
];

/// A capitalised word this rare in English that is never lowercase in the
/// text is taken for a name even when it only starts sentences (“Odile”).
const RARE_ZIPF: f32 = 3.0;

/// Words that characters are called by: kinship and family order (“her
/// aunt”, “the two eldest”), and station or trade (“the old manservant”,
/// “the escaped convict”, “the colonel”). In a novel they name characters as
/// surely as names do, so they are treated as names: never an echo, a
/// phrase or a tic.
static CHARACTER_WORDS: WordSet = WordSet::new(&[
    // kinship
    "aunt",
    "aunty",
    "auntie",
    "uncle",
    "mother",
    "father",
    "mamma",
    "mama",
    "papa",
    "mum",
    "mom",
    "dad",
    // and as dialects say them
    "mam",
    "mammy",
    "mommy",
    "mummy",
    "momma",
    "ma",
    "pa",
    "da",
    "daddy",
    "pops",
    "nana",
    "nan",
    "nanna",
    "gran",
    "granny",
    "grandma",
    "grandpa",
    "granda",
    "grampa",
    "gramps",
    "sister",
    "brother",
    "daughter",
    "son",
    "cousin",
    "niece",
    "nephew",
    "wife",
    "husband",
    "widow",
    "widower",
    "grandmother",
    "grandfather",
    "grandson",
    "granddaughter",
    "eldest",
    "elder",
    "youngest",
    // station and trade
    "servant",
    "manservant",
    "maidservant",
    "maid",
    "housemaid",
    "housekeeper",
    "butler",
    "footman",
    "coachman",
    "valet",
    "governess",
    "nurse",
    "landlord",
    "landlady",
    "baronet",
    "squire",
    "clergyman",
    "parson",
    "vicar",
    "rector",
    "curate",
    "colonel",
    "captain",
    "lieutenant",
    "sergeant",
    "officer",
    "constable",
    "inspector",
    "convict",
    "prisoner",
]);

/// Prepositions after which a word (or an adjective and a word) ending its
/// phrase is used as a noun (“of black granite”, “into the mire”). “To” is
/// left out: it also marks an infinitive.
static NOUN_PREPOSITIONS: WordSet = WordSet::new(&[
    "of", "in", "into", "on", "upon", "with", "from", "over", "across", "through", "at", "by",
    "under", "beneath", "among", "amongst", "within", "without", "beyond", "behind", "beside",
    "near", "towards", "toward", "about", "against", "along", "around",
]);

/// A negated auxiliary (“didn't”, “wouldn't”, dialect “warn't”, “ain't”):
/// a function word, like the auxiliary itself. Dialect spells them in ways
/// no list holds, so they are recognised by their ending.
fn is_negated_auxiliary(lower: &str) -> bool {
    lower.len() > 3 && lower.ends_with("n't")
}

/// Letters that may continue an abbreviation or contraction inside a word.
fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c == '\'' || c == '-'
}

/// What a word form is for the echo rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermKind {
    /// A function word (“the”, “of”, “would”).
    Stop,
    /// A content word: could be an echo, part of a phrase, a tic.
    Content,
    /// A character or place name (capitalised, rarely lowercase), or listed
    /// in the `names` option.
    Name,
    /// Numbers and anything else that is not a word of prose.
    Other,
}

/// Draft markers written as words (lowercased), which never count as
/// prose when written in capitals.
pub(super) const DRAFT_MARKERS: [&str; 6] = ["tk", "tktk", "todo", "fixme", "tbd", "xxx"];

/// One distinct lowercase word form.
#[derive(Debug)]
pub struct Term {
    /// Lowercase, with a curly apostrophe read as a straight one.
    pub text: Box<str>,
    pub kind: TermKind,
    /// Background frequency (Zipf): the higher of this form's and its
    /// phrase form's (“horse’s” is as common as “horse”).
    pub zipf: f32,
    /// The form with case, plural and possessive endings normalised away
    /// (“Tangs’” → “tang”), as an id: used to group phrases.
    pub phrase_key: u32,
    /// The phrase key lightly stemmed (“humming” → “hum”), as an id: used
    /// for echoes and overuse.
    pub stem_key: u32,
    /// Set when the form, its phrase key or its stem is in `allow`.
    pub allowed: bool,
    /// “the”, “a”, a possessive or a demonstrative.
    pub determiner: bool,
    /// A preposition after which a word ending its phrase is a noun.
    pub preposition: bool,
    lowercase: u32,
    capitalised_mid_sentence: u32,
    capitalised: u32,
}

/// Flags on a [`Token`].
pub const IN_DIALOGUE: u8 = 1;
/// Part of an allowed phrase from the `allow` option.
pub const IN_ALLOWED_PHRASE: u8 = 2;
/// Joined to the previous word by a hyphen (“tile-paved”): one compound.
pub const JOINED: u8 = 4;
/// Punctuation (a comma, a dash, a quote) stands between this word and the
/// previous one in its sentence, or it is the first word of a sentence, or
/// the word before it was left out (a copy). So a token without it follows
/// the previous token directly, in the same sentence: the rules read
/// sentence boundaries from this flag alone.
pub const AFTER_BREAK: u8 = 8;
/// Written with a capital letter.
pub const CAPITALISED: u8 = 16;
/// A capitalised word beside a name: part of a longer proper name (“Grimpen
/// Mire”, “Merripit House”, “Lady Lucas”). It never counts as a word of prose.
pub const IN_NAME: u8 = 32;
/// Capitalised, and not where a sentence or a quotation opens: only in
/// [`ChapterWords`], cleared before the analysis sees the token.
const MID_SENTENCE: u8 = 64;
/// The first word of a paragraph: only in [`ChapterWords`], like
/// [`MID_SENTENCE`].
const PARAGRAPH_START: u8 = 128;

/// One word of a paragraph: 9 bytes, one per word of the manuscript, so
/// what can be looked up by position is not kept here: the sentence
/// ([`ChapterTokens::sentence`]), the scene ([`ChapterTokens::scene`]), the
/// span ([`ChapterTokens::span`]). Whether the previous token is the word
/// just before in the same sentence is the flag [`AFTER_BREAK`], clear.
///
/// Packed: aligned, the flags byte took 4 (29 MB more at the peak of a
/// 100 MB one-line chapter), and the fields are only ever read by value.
#[derive(Clone, Copy, Debug)]
#[repr(C, packed)]
pub struct Token {
    /// Index into [`Analysis::terms`].
    pub term: u32,
    /// Position among the chapter's paragraph words, skipped copies
    /// included: distances between tokens are counted in words of the text
    /// (see [`Token::distance`]), not in tokens kept.
    pub position: u32,
    pub flags: u8,
}

// One per word of the manuscript: a field more is megabytes more.
const _: () = assert!(std::mem::size_of::<Token>() == 9);

impl Token {
    /// Words from this token to a later one in the same chapter (1 for the
    /// next word).
    pub fn distance(&self, later: &Token) -> u32 {
        later.position.saturating_sub(self.position)
    }
}

/// Where a run of consecutive paragraph words begins: the position of its
/// first token and that word's index in [`Chapter::words`]. Headings' words
/// are chapter words but not tokens, so a new run begins after each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct WordRun {
    position: u32,
    word: u32,
}

/// The span of `chapter`'s paragraph word at `position`, found through
/// the chapter's runs.
fn word_span(chapter: &Chapter, runs: &[WordRun], position: u32) -> Span {
    let run = runs[runs.partition_point(|r| r.position <= position) - 1];
    chapter.words[(run.word + (position - run.position)) as usize]
}

/// The analysed words of one chapter.
#[derive(Debug)]
pub struct ChapterTokens {
    pub chapter: usize,
    /// Global position of the chapter's first paragraph word, so that
    /// `base + position` orders tokens across chapters and their
    /// difference counts the words between.
    pub base: u32,
    pub tokens: Vec<Token>,
    /// Where the chapter's sentences begin and where its scenes break (see
    /// [`ChapterTokens::sentence`] and [`ChapterTokens::scene`]).
    breaks: Arc<Breaks>,
    /// Where the chapter's runs of paragraph words begin (see
    /// [`ChapterTokens::span`]).
    runs: Vec<WordRun>,
}

/// Where a chapter's paragraph sentences begin and its scenes break, by
/// token position: 4 bytes a sentence, where a sentence index on every
/// token took 4 bytes a word (74 MB of a 100 MB one-line chapter).
#[derive(Debug, Default)]
struct Breaks {
    /// The position of each paragraph sentence's first word, in order (a
    /// sentence without words has the next one's).
    sentences: Vec<u32>,
    /// The position of the first word after each heading or scene break.
    scenes: Vec<u32>,
}

impl ChapterTokens {
    /// The scene `token` is in: equal for two tokens of one scene (scenes
    /// are separated by headings and scene breaks). O(log b) for b breaks.
    pub fn scene(&self, token: &Token) -> u32 {
        let position = token.position;
        self.breaks.scenes.partition_point(|&b| b <= position) as u32
    }

    /// The sentence `token` is in, counted among the chapter's paragraph
    /// sentences: equal for two tokens of one sentence. O(log s).
    pub fn sentence(&self, token: &Token) -> u32 {
        let position = token.position;
        self.breaks.sentences.partition_point(|&s| s <= position) as u32
    }

    /// Where `token` (one of this chapter's) is in the chapter's text.
    /// O(log h) for a chapter of h headings.
    pub fn span(&self, manuscript: &Manuscript, token: &Token) -> Span {
        word_span(manuscript.chapter(self.chapter), &self.runs, token.position)
    }
}

/// Options every echo rule shares.
#[derive(Clone, Debug, Default)]
pub struct Common {
    /// Words and phrases used on purpose (motifs, refrains): the rule's
    /// `allow`, then `[manuscript] vocabulary`.
    pub allow: Vec<String>,
    /// Extra character and place names: the rule's `names`, then every
    /// name and spelling of `[names]`.
    pub names: Vec<String>,
    /// The duplicate rules' settings: copies they report are skipped.
    pub duplicates: crate::rules::duplicates::Settings,
}

impl Common {
    pub fn new(allow: &[String], names: &[String], config: &crate::config::Config) -> Self {
        Common {
            allow: allow
                .iter()
                .chain(&config.manuscript.vocabulary)
                .cloned()
                .collect(),
            names: names
                .iter()
                .chain(
                    config
                        .names
                        .iter()
                        .flat_map(|(name, spellings)| std::iter::once(name).chain(spellings)),
                )
                .cloned()
                .collect(),
            duplicates: crate::rules::duplicates::configured_settings(config),
        }
    }
}

/// The manuscript's words, interned and classified.
#[derive(Debug)]
pub struct Analysis {
    pub terms: Vec<Term>,
    pub chapters: Vec<ChapterTokens>,
    /// Number of stem keys handed out.
    pub stem_count: usize,
    /// Number of phrase keys handed out.
    pub key_count: usize,
    /// Words skipped as part of reported copies of earlier text.
    pub skipped_words: usize,
}

/// Whether `word` is its own [`lowercase_into`] form: ASCII without
/// capitals.
fn is_lowercase_ascii(word: &str) -> bool {
    word.bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
}

/// Whether a word text starts with a capital (a token's [`CAPITALISED`]).
fn starts_with_capital(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Lowercases `word` into `out`, reading ’ as '.
fn lowercase_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
        return;
    }
    for c in word.chars() {
        match c {
            '’' | 'ʼ' => out.push('\''),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// Lowercase form with possessive and plural endings removed. Possessive
/// pronouns all read as one (“shook his head”, “shook her head”): the
/// gesture is the same whoever makes it.
pub fn phrase_form(lower: &str) -> String {
    if matches!(
        lower,
        "his" | "her" | "their" | "my" | "your" | "our" | "its"
    ) {
        return "one's".to_string();
    }
    let mut w = lower.trim_end_matches('\'');
    if let Some(stem) = w.strip_suffix("'s") {
        w = stem;
    }
    let len = w.chars().count();
    if len > 4
        && let Some(stem) = w.strip_suffix("ies")
    {
        return format!("{stem}y");
    }
    if len > 4
        && let Some(stem) = w.strip_suffix("es")
        && (stem.ends_with("ss")
            || stem.ends_with('x')
            || stem.ends_with('z')
            || stem.ends_with("ch")
            || stem.ends_with("sh"))
    {
        return stem.to_string();
    }
    if len > 3
        && let Some(stem) = w.strip_suffix('s')
        && !stem.ends_with('s')
        && !stem.ends_with('u')
        && !stem.ends_with('i')
        && !stem.ends_with('\'')
    {
        return stem.to_string();
    }
    w.to_string()
}

/// A light stem of a phrase form: `-ing`, `-ed`, `-ly` and a final `-e` go,
/// and a doubled final consonant is undoubled (“humming” → “hum”, “smiled”
/// and “smile” → “smil”). A stem keeps at least three letters and a vowel.
pub fn light_stem(form: &str) -> String {
    let ok = |s: &str| s.chars().count() >= 3 && s.chars().any(|c| "aeiouy".contains(c));
    let mut stem = form;
    for suffix in ["ingly", "edly", "ing", "ed", "ly"] {
        if let Some(s) = form.strip_suffix(suffix)
            && ok(s)
            && (suffix != "ly" || s.len() >= 4)
        {
            stem = s;
            break;
        }
    }
    let bytes = stem.as_bytes();
    let n = bytes.len();
    if stem.len() < form.len()
        && n >= 4
        && bytes[n - 1] == bytes[n - 2]
        && bytes[n - 1].is_ascii_alphabetic()
        && !b"aeiouls".contains(&bytes[n - 1])
    {
        stem = &stem[..n - 1];
    }
    if let Some(s) = stem.strip_suffix('e')
        && ok(s)
        && !s.ends_with('e')
    {
        stem = s;
    }
    stem.to_string()
}

/// Interns strings to dense ids.
#[derive(Clone, Default)]
struct Interner {
    ids: FxHashMap<Box<str>, u32>,
}

impl Interner {
    fn get(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    fn intern(&mut self, s: &str) -> u32 {
        match self.ids.get(s) {
            Some(&id) => id,
            None => self.add(s),
        }
    }

    /// The id of `s`, which is not interned yet.
    fn add(&mut self, s: &str) -> u32 {
        let id = self.ids.len() as u32;
        self.ids.insert(s.into(), id);
        id
    }

    /// Room for `more` strings before the table grows.
    fn reserve(&mut self, more: usize) {
        self.ids.reserve(more);
    }
}

/// How often one form is written lowercase and capitalised.
#[derive(Clone, Copy, Default)]
struct CaseCounts {
    lowercase: u32,
    capitalised: u32,
    capitalised_mid_sentence: u32,
}

/// One chapter's words outside skipped copies, their terms the lexicon's
/// ids.
struct ChapterScan {
    /// The chapter's words, skipped copies included.
    source: Arc<ChapterWords>,
    /// Per form of the chapter ([`ChapterWords::forms`]), its case counts
    /// outside skipped copies.
    counts: Vec<CaseCounts>,
    tokens: Vec<Token>,
    skipped_words: usize,
    /// Paragraph words in the chapter, skipped ones included.
    words: u32,
}

/// One chapter's paragraph words before copies are left out: derived from
/// the chapter alone and kept with it (see [`Chapter::memo`]), so a language
/// server that re-checks after an edit tokenises only the edited chapter.
#[derive(Default)]
struct ChapterWords {
    /// Lowercase forms in order of first use in the chapter.
    forms: FormList,
    /// Every paragraph word ([`MID_SENTENCE`] marks the capitalised ones
    /// mid-sentence, [`PARAGRAPH_START`] each paragraph's first).
    tokens: Vec<Token>,
    /// Where its sentences begin and its scenes break.
    breaks: Arc<Breaks>,
    /// Where its runs of paragraph words begin.
    runs: Vec<WordRun>,
    /// Whether the words of copies are left out of `tokens` already (see
    /// [`ChapterWords::build`]), and how many were.
    copies_left_out: Option<usize>,
}

/// A chapter's lowercase forms, by its own form id: their texts, or their
/// ids among the book's forms (see [`BookForms`]).
enum FormList {
    Texts(Vec<Box<str>>),
    Book(Vec<u32>),
}

impl Default for FormList {
    fn default() -> Self {
        FormList::Texts(Vec::new())
    }
}

impl FormList {
    fn len(&self) -> usize {
        match self {
            FormList::Texts(texts) => texts.len(),
            FormList::Book(ids) => ids.len(),
        }
    }
}

/// The lowercase form (see [`lowercase_into`]) of every word text of the book
/// (see [`ManuscriptTexts`]), each distinct form once: what a single run's
/// chapters read their forms from, rather than each lowercasing and
/// hashing its own texts (a form's text is allocated once for the book,
/// not once in every chapter that uses it).
pub(crate) struct BookForms<'m> {
    /// By the book's text id: its form's id here, and whether the text
    /// starts with a capital.
    of_text: Vec<(u32, bool)>,
    /// By form id, in order of first use in the book's texts.
    forms: Vec<Cow<'m, str>>,
}

impl<'m> BookForms<'m> {
    pub(crate) fn new(texts: &'m ManuscriptTexts) -> BookForms<'m> {
        let each = texts.values(|text| {
            let capitalised = starts_with_capital(text);
            if is_lowercase_ascii(text) {
                return (Cow::Borrowed(text), capitalised);
            }
            let mut lower = String::new();
            lowercase_into(text, &mut lower);
            (Cow::Owned(lower), capitalised)
        });
        let mut ids: FxHashMap<Cow<'m, str>, u32> = FxHashMap::default();
        let mut forms = Vec::new();
        let of_text = each
            .into_iter()
            .map(|(form, capitalised)| {
                let next = forms.len() as u32;
                let id = *ids.entry(form).or_insert_with_key(|form| {
                    forms.push(form.clone());
                    next
                });
                (id, capitalised)
            })
            .collect();
        BookForms { of_text, forms }
    }

    /// The text of form `id`.
    fn text(&self, id: u32) -> &str {
        &self.forms[id as usize]
    }

    /// How many distinct forms the book's texts have.
    fn len(&self) -> usize {
        self.forms.len()
    }
}

/// A chapter's words' book text ids and the book's forms, for
/// [`ChapterWords::build`].
type OfBook<'a, 'm> = (ChapterTextIds<'a>, &'a BookForms<'m>);

/// Whether the word at `span` of `prose` is part of an email address or a
/// web address (`rmackenzie@kroll-ny.com`, `https://…`, `www.…`): the run
/// of text without spaces around it holds an `@` between letters, `://` or
/// starts with `www.`. Most words have a space or a mark no address holds
/// on both sides, and are answered from those two bytes.
fn is_in_address(prose: &str, span: Span) -> bool {
    let bytes = prose.as_bytes();
    let (start, end) = (span.start as usize, span.end as usize);
    let joins = |b: Option<&u8>| b.is_some_and(|b| b"@./:-_%".contains(b));
    if !joins(start.checked_sub(1).and_then(|i| bytes.get(i))) && !joins(bytes.get(end)) {
        return false;
    }
    // The run without spaces, looked at no further than an address goes.
    const REACH: usize = 120;
    let is_space = |b: &u8| b.is_ascii_whitespace() || matches!(b, b'<' | b'>' | b'(' | b')');
    let from = bytes[start.saturating_sub(REACH)..start]
        .iter()
        .rposition(is_space)
        .map_or(start.saturating_sub(REACH), |i| {
            start.saturating_sub(REACH) + i + 1
        });
    let to = bytes[end..(end + REACH).min(bytes.len())]
        .iter()
        .position(is_space)
        .map_or((end + REACH).min(bytes.len()), |i| end + i);
    let run = trim_marks(&bytes[from..to]);
    let at_between_letters = run
        .windows(3)
        .any(|w| w[1] == b'@' && w[0].is_ascii_alphanumeric() && w[2].is_ascii_alphanumeric());
    at_between_letters
        || run.windows(3).any(|w| w == b"://")
        || run.len() >= 4 && run[..4].eq_ignore_ascii_case(b"www.")
        || is_domain(run)
}

/// A run without spaces less the marks around it that are not an
/// address's: quotation marks and brackets before (“www.kroll.com”), and
/// those and a sentence's punctuation after.
fn trim_marks(mut run: &[u8]) -> &[u8] {
    const CURLY: [&str; 4] = ["“", "”", "‘", "’"];
    loop {
        if let Some((&first, rest)) = run.split_first()
            && b"\"'([".contains(&first)
        {
            run = rest;
        } else if let Some(rest) = CURLY.iter().find_map(|q| run.strip_prefix(q.as_bytes())) {
            run = rest;
        } else {
            break;
        }
    }
    loop {
        if let Some((&last, rest)) = run.split_last()
            && b".,;:!?\"')]".contains(&last)
        {
            run = rest;
        } else if let Some(rest) = CURLY.iter().find_map(|q| run.strip_suffix(q.as_bytes())) {
            run = rest;
        } else {
            break;
        }
    }
    run
}

/// Whether `prose` may hold an email or web address (see
/// [`is_in_address`]): an `@`, a `://`, or a dot before `www`'s end or a
/// domain's ending. One pass over its `@`, `:` and `.` bytes.
fn may_hold_addresses(prose: &str) -> bool {
    let bytes = prose.as_bytes();
    memchr::memchr3_iter(b'@', b':', b'.', bytes).any(|at| match bytes[at] {
        b'@' => true,
        b':' => bytes[at + 1..].starts_with(b"//"),
        _ => {
            bytes[..at].ends_with(b"www")
                || bytes[..at].ends_with(b"WWW")
                || DOMAIN_ENDS.iter().any(|end| {
                    bytes[at..].starts_with(end.as_bytes())
                        && !bytes
                            .get(at + end.len())
                            .is_some_and(u8::is_ascii_alphanumeric)
                })
        }
    })
}

/// The top-level domains [`is_domain`] knows.
const DOMAIN_ENDS: [&str; 8] = [
    ".com", ".org", ".net", ".edu", ".gov", ".io", ".co.uk", ".info",
];

/// A bare domain name: lowercase labels of letters, digits and hyphens
/// joined by dots, ending in a common top-level domain (`kroll-ny.com`,
/// `bbc.co.uk`). Not “e.g.” or “Mr.Smith”.
fn is_domain(run: &[u8]) -> bool {
    DOMAIN_ENDS
        .iter()
        .any(|end| run.len() > end.len() && run.ends_with(end.as_bytes()))
        && run.first().is_some_and(u8::is_ascii_alphanumeric)
        && run
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-'))
}

impl ChapterWords {
    /// Reads `chapter`, leaving the paragraph words inside `copies` (sorted
    /// by start) out of the tokens, as [`ChapterScan::new`] would: each
    /// still takes its position and its form, and the first token kept
    /// after it in its paragraph is marked [`AFTER_BREAK`]. With `book`,
    /// the forms are the book's form ids (see [`BookForms`]).
    fn build(chapter: &Chapter, copies: &[Span], book: Option<OfBook>) -> ChapterWords {
        // Each form's id, by form: the one copy of it, moved into `forms`
        // at the end (sized for a usual chapter's few thousand forms).
        let mut local: FxHashMap<Box<str>, u32> = FxHashMap::default();
        // With the book's forms: each form's id by the book's id, and the
        // book's ids in order.
        let mut local_of_book: FxHashMap<u32, u32> = FxHashMap::default();
        let mut book_forms: Vec<u32> = Vec::new();
        match book {
            None => local.reserve((chapter.words.len() / 4).min(1 << 13)),
            Some(_) => local_of_book.reserve((chapter.words.len() / 4).min(1 << 13)),
        }
        let mut copied = SpanCursor::new(copies);
        let mut tokens = Vec::with_capacity(chapter.words.len() - copied.words_inside(chapter));
        let mut skipped = 0;
        let mut lower = String::new();
        let mut breaks = Breaks::default();
        let mut position = 0u32;
        let mut runs: Vec<WordRun> = Vec::new();
        // The dialogue spans from the one that might hold the next word on:
        // the words come in text order (as `Chapter::in_dialogue`, without
        // a search per word).
        let mut dialogue = chapter.dialogue.as_slice();
        // Each text's form id and whether it starts with a capital (see
        // `PerText`).
        let mut terms: PerText<(u32, bool)> = PerText::new(chapter);
        // Asked of the chapter once: most hold no address, and their words
        // need not be asked one by one.
        let holds_addresses = may_hold_addresses(&chapter.prose);
        for block in &chapter.blocks {
            if block.kind != BlockKind::Paragraph {
                breaks.scenes.push(position);
                continue;
            }
            if let Some(first) = chapter.block_sentences(block).first()
                && runs
                    .last()
                    .is_none_or(|run| run.word + (position - run.position) != first.words.start)
            {
                runs.push(WordRun {
                    position,
                    word: first.words.start,
                });
            }
            let mut paragraph_start = PARAGRAPH_START;
            let mut after_copy = false;
            for sentence in chapter.block_sentences(block) {
                breaks.sentences.push(position);
                let mut previous_end: Option<u32> = None;
                let first = sentence.words.start as usize;
                for (i, &span) in chapter.sentence_words(sentence).iter().enumerate() {
                    let (term, capitalised) = *terms.get(first + i, |word| {
                        if let Some((ids, book)) = book {
                            let (form, capitalised) = book.of_text[ids.of_word(first + i)];
                            let next = book_forms.len() as u32;
                            let term = *local_of_book.entry(form).or_insert_with(|| {
                                book_forms.push(form);
                                next
                            });
                            return (term, capitalised);
                        }
                        // Most words are their own form: no copy for them.
                        let form = if is_lowercase_ascii(word) {
                            word
                        } else {
                            lowercase_into(word, &mut lower);
                            lower.as_str()
                        };
                        let term = match local.get(form) {
                            Some(&id) => id,
                            None => {
                                let id = local.len() as u32;
                                local.insert(form.into(), id);
                                id
                            }
                        };
                        (term, starts_with_capital(word))
                    });
                    let mid_sentence = capitalised
                        && previous_end.is_some_and(|end| {
                            !chapter.text[end as usize..span.start as usize]
                                .chars()
                                .any(|c| {
                                    matches!(
                                        c,
                                        '“' | '"' | '‘' | '\'' | ':' | '—' | '(' | '[' | '–'
                                    )
                                })
                        });
                    let mut flags = paragraph_start;
                    paragraph_start = 0;
                    while dialogue.first().is_some_and(|d| d.end <= span.start) {
                        dialogue = &dialogue[1..];
                    }
                    if dialogue.first().is_some_and(|d| d.contains(span)) {
                        debug_assert!(chapter.in_dialogue(span));
                        flags |= IN_DIALOGUE;
                    }
                    if capitalised {
                        flags |= CAPITALISED;
                    }
                    if mid_sentence {
                        flags |= MID_SENTENCE;
                    }
                    match previous_end {
                        None => flags |= AFTER_BREAK,
                        // Most words follow one space: nothing to mark.
                        Some(end)
                            if chapter.prose.as_bytes()[end as usize..span.start as usize]
                                == *b" " => {}
                        Some(end) => {
                            let between = &chapter.prose[end as usize..span.start as usize];
                            if matches!(between, "-" | "\u{2010}" | "\u{2011}") {
                                flags |= JOINED;
                            } else if !between
                                .chars()
                                .all(|c| c.is_whitespace() || c == '\'' || c == '’')
                            {
                                flags |= AFTER_BREAK;
                            }
                        }
                    }
                    debug_assert_eq!(word_span(chapter, &runs, position), span);
                    if copied.contains(span) {
                        skipped += 1;
                        after_copy = true;
                    } else if holds_addresses && is_in_address(&chapter.prose, span) {
                        // Not a word of prose: “kroll” of an email address
                        // made the firm's name “Kroll” a lowercase word,
                        // and so no name, and an echo.
                        after_copy = true;
                    } else {
                        if after_copy {
                            flags |= AFTER_BREAK;
                            after_copy = false;
                        }
                        tokens.push(Token {
                            term,
                            position,
                            flags,
                        });
                    }
                    position += 1;
                    previous_end = Some(span.end);
                }
            }
        }
        let forms = match book {
            Some(_) => FormList::Book(book_forms),
            None => {
                let mut forms: Vec<Box<str>> = vec![Box::default(); local.len()];
                for (form, id) in local {
                    forms[id as usize] = form;
                }
                FormList::Texts(forms)
            }
        };
        ChapterWords {
            forms,
            tokens,
            breaks: Arc::new(breaks),
            runs,
            copies_left_out: (!copies.is_empty()).then_some(skipped),
        }
    }
}

impl ChapterScan {
    /// Tokens of every paragraph of `chapter`, leaving out the words inside
    /// `repeated` (later copies the duplicate rules report; sorted by start),
    /// their terms the lexicon's ids.
    fn new(chapter: &Chapter, lexicon: &Lexicon, repeated: &[Span]) -> ChapterScan {
        let mut words = lexicon.take_words(chapter);
        let ids = lexicon.ids(chapter.index);
        let runs = words.runs.clone();
        let mut counts = vec![CaseCounts::default(); words.forms.len()];
        // Left out when the words were read, or now.
        let (mut skipped_words, repeated) = match words.copies_left_out {
            Some(skipped) => (skipped, &[][..]),
            None => (0, repeated),
        };
        let all_words = (words.tokens.len() + skipped_words) as u32;
        let mut copied = SpanCursor::new(repeated);
        let mut after_copy = false;
        // Whether to keep `token`, counting its case and marking it.
        let mut keep = |token: &mut Token| -> bool {
            // Each paragraph starts afresh.
            if token.flags & PARAGRAPH_START != 0 {
                after_copy = false;
            }
            if copied.contains(word_span(chapter, &runs, token.position)) {
                skipped_words += 1;
                after_copy = true;
                return false;
            }
            // The words on either side of a skipped copy are not
            // neighbours: no phrase may join them.
            if after_copy {
                token.flags |= AFTER_BREAK;
                after_copy = false;
            }
            let counts = &mut counts[token.term as usize];
            if token.flags & CAPITALISED != 0 {
                counts.capitalised += 1;
                if token.flags & MID_SENTENCE != 0 {
                    counts.capitalised_mid_sentence += 1;
                }
            } else {
                counts.lowercase += 1;
            }
            token.flags &= !(MID_SENTENCE | PARAGRAPH_START);
            token.term = ids[token.term as usize];
            true
        };
        let tokens = match Arc::get_mut(&mut words) {
            // Unless the chapter keeps its analyses, nothing else holds its
            // tokens: filter them in place rather than hold two copies of
            // every word of the chapter.
            Some(owned) => {
                let mut tokens = std::mem::take(&mut owned.tokens);
                // The forms have their lexicon ids (`ids`) by now, and all
                // chapters' scans are held until the analysis is put
                // together: free them here.
                owned.forms = FormList::default();
                tokens.retain_mut(keep);
                // Where copies were left out, the list is mostly free space
                // (twelve thirteenths of it for a chapter of thirteen
                // copies), held to the end of the run beside the findings.
                if tokens.len() < tokens.capacity() / 4 * 3 {
                    tokens.shrink_to_fit();
                }
                tokens
            }
            None => words
                .tokens
                .iter()
                .filter_map(|&token| {
                    let mut token = token;
                    keep(&mut token).then_some(token)
                })
                .collect(),
        };
        ChapterScan {
            source: words,
            counts,
            tokens,
            skipped_words,
            words: all_words,
        }
    }
}

impl Term {
    /// A form of the lexicon, not counted or classified yet.
    fn new(form: &Form) -> Term {
        Term {
            text: form.text.clone(),
            kind: TermKind::Other,
            zipf: form.known.zipf,
            phrase_key: form.phrase_key,
            stem_key: form.stem_key,
            allowed: false,
            determiner: form.known.determiner,
            preposition: form.known.preposition,
            lowercase: 0,
            capitalised_mid_sentence: 0,
            capitalised: 0,
        }
    }
}

impl Analysis {
    /// The analysis for these options, built once per run and shared by the
    /// three echo rules (they usually run with the same `allow`/`names`).
    pub fn shared(manuscript: &Manuscript, common: &Common) -> Arc<Analysis> {
        manuscript.shared(&format!("{common:?}"), |m| Analysis::build(m, common))
    }

    pub fn build(manuscript: &Manuscript, common: &Common) -> Analysis {
        let mut repeated = shared_duplicates(manuscript, &common.duplicates)
            .found
            .repeated_spans_by_chapter(manuscript.chapters.len());
        // A chapter in another language than the manuscript's (its front
        // matter says so) is read with none of its words, as a copy is: the
        // word frequencies and function words are the manuscript's
        // language's, and Spanish “el” read as French was “overused”.
        let language = manuscript.language();
        for chapter in &manuscript.chapters {
            if chapter.language != language {
                repeated[chapter.index] = vec![Span::new(0, chapter.text.len())];
            }
        }
        let lexicon = Lexicon::for_analysis(manuscript, &repeated);
        let scans: Vec<ChapterScan> = manuscript
            .chapters
            .par_iter()
            .map(|chapter| ChapterScan::new(chapter, &lexicon, &repeated[chapter.index]))
            .collect();
        let mut terms: Vec<Term> = lexicon.forms.iter().map(Term::new).collect();
        let mut chapters = Vec::with_capacity(manuscript.chapters.len());
        let mut skipped_words = 0;
        let mut base = 0u32;
        for (chapter, scan) in manuscript.chapters.iter().zip(scans) {
            for (&id, counts) in lexicon.ids(chapter.index).iter().zip(&scan.counts) {
                let term = &mut terms[id as usize];
                term.lowercase += counts.lowercase;
                term.capitalised += counts.capitalised;
                term.capitalised_mid_sentence += counts.capitalised_mid_sentence;
            }
            skipped_words += scan.skipped_words;
            chapters.push(ChapterTokens {
                chapter: chapter.index,
                base,
                tokens: scan.tokens,
                breaks: Arc::clone(&scan.source.breaks),
                runs: scan.source.runs.clone(),
            });
            base += scan.words;
        }

        let language = manuscript.language();
        let mut lower = String::new();
        // A form is a listed name when it or its phrase form is one, lowercase.
        let mut names: FxHashSet<&str> = FxHashSet::default();
        let mut listed_keys: FxHashSet<u32> = FxHashSet::default();
        let lowercase_names: Vec<String> = common
            .names
            .iter()
            .map(|n| {
                lowercase_into(n, &mut lower);
                lower.clone()
            })
            .collect();
        for name in &lowercase_names {
            names.insert(name);
            listed_keys.extend(lexicon.phrase_key(name));
        }
        // An allowed word no word of the manuscript shares a key with
        // matches nothing.
        let mut allowed_keys: FxHashSet<u32> = FxHashSet::default();
        let mut allowed_stems: FxHashSet<u32> = FxHashSet::default();
        let mut allowed_phrases: Vec<Vec<u32>> = Vec::new();
        for entry in &common.allow {
            let words: Vec<u32> = entry
                .split(|c: char| c.is_whitespace() || c == '-')
                .filter(|w| !w.is_empty())
                .map(|w| {
                    lowercase_into(w, &mut lower);
                    lexicon.phrase_key(&phrase_form(&lower)).unwrap_or(u32::MAX)
                })
                .collect();
            match words.as_slice() {
                [] => {}
                [single] => {
                    allowed_keys.insert(*single);
                    lowercase_into(entry.trim(), &mut lower);
                    allowed_stems.extend(lexicon.stem_key(&light_stem(&phrase_form(&lower))));
                }
                _ => allowed_phrases.push(words),
            }
        }
        for (term, form) in terms.iter_mut().zip(&lexicon.forms) {
            term.allowed =
                allowed_keys.contains(&form.phrase_key) || allowed_stems.contains(&form.stem_key);
            let total = term.lowercase + term.capitalised;
            term.kind = if form.known.other {
                TermKind::Other
            } else if term.lowercase == 0 && DRAFT_MARKERS.contains(&&*form.text) {
                // `TK` and `TODO` in capitals are draft markers, reported
                // by their own rule, not words echoed.
                TermKind::Other
            } else if form.known.character_word
                || (!names.is_empty()
                    && (names.contains(&*form.text) || listed_keys.contains(&form.phrase_key)))
            {
                TermKind::Name
            } else if form.known.stop {
                TermKind::Stop
            } else if term.capitalised > 0
                && (term.lowercase * 10 < total
                    // A name once or twice typed lowercase in a text
                    // message (“freya cried at deadpool”) is still one.
                    || (term.capitalised_mid_sentence >= 3
                        && term.lowercase <= 2
                        && term.lowercase * 4 < total))
                // German capitalises every noun: only rarity tells a name.
                && ((term.capitalised_mid_sentence > 0 && language != Language::German)
                    || term.zipf < RARE_ZIPF)
            {
                TermKind::Name
            } else {
                TermKind::Content
            };
        }
        // Names are recognised per form; a possessive or plural of a name
        // (“Hollis’s”) is a name when its base form is.
        let name_keys: FxHashSet<u32> = terms
            .iter()
            .filter(|t| t.kind == TermKind::Name)
            .map(|t| t.phrase_key)
            .collect();
        for term in &mut terms {
            if term.kind == TermKind::Content
                && name_keys.contains(&term.phrase_key)
                && term.lowercase * 10 < term.lowercase + term.capitalised
            {
                term.kind = TermKind::Name;
            }
        }

        let mut analysis = Analysis {
            terms,
            chapters,
            stem_count: lexicon.stem_count(),
            key_count: lexicon.key_count(),
            skipped_words,
        };
        analysis.mark_name_parts();
        analysis.mark_allowed_phrases(&allowed_phrases);
        analysis
    }

    /// Flags capitalised words written beside a name, in one run with it
    /// (“Grimpen Mire”, “Lady Lucas”): they belong to a proper name. Without
    /// this “Mire” in “the great Grimpen Mire” would count as the noun
    /// “mire” and make a place look like a tic.
    fn mark_name_parts(&mut self) {
        let terms = &self.terms;
        let is_name = |t: &Token| terms[t.term as usize].kind == TermKind::Name;
        self.chapters.par_iter_mut().for_each(|chapter| {
            let tokens = &mut chapter.tokens;
            for i in 0..tokens.len() {
                let token = tokens[i];
                if token.flags & CAPITALISED == 0
                    || terms[token.term as usize].kind != TermKind::Content
                {
                    continue;
                }
                // Without `AFTER_BREAK`, a token's previous one is the word
                // just before it in its sentence.
                let name_before =
                    i > 0 && token.flags & AFTER_BREAK == 0 && is_name(&tokens[i - 1]);
                // A word the book writes in lowercase and never capitalises
                // inside a sentence only opened this one (“Somehow Siobhan
                // knew”): it is no title of the name after it, as “Lady” in
                // “said Lady Lucas” is.
                let term = &terms[token.term as usize];
                let ordinary = term.capitalised_mid_sentence == 0 && term.lowercase > 0;
                let name_after = !ordinary
                    && tokens
                        .get(i + 1)
                        .is_some_and(|next| next.flags & AFTER_BREAK == 0 && is_name(next));
                if name_before || name_after {
                    tokens[i].flags |= IN_NAME;
                }
            }
        });
    }

    /// Flags the tokens of every occurrence of a multi-word `allow` entry.
    fn mark_allowed_phrases(&mut self, phrases: &[Vec<u32>]) {
        if phrases.is_empty() {
            return;
        }
        let terms = &self.terms;
        for chapter in &mut self.chapters {
            let tokens = &mut chapter.tokens;
            for start in 0..tokens.len() {
                for phrase in phrases {
                    let end = start + phrase.len();
                    if end <= tokens.len()
                        && tokens[start..end]
                            .iter()
                            .zip(phrase)
                            .all(|(t, &k)| terms[t.term as usize].phrase_key == k)
                    {
                        for token in &mut tokens[start..end] {
                            token.flags |= IN_ALLOWED_PHRASE;
                        }
                    }
                }
            }
        }
    }

    pub fn term(&self, token: &Token) -> &Term {
        &self.terms[token.term as usize]
    }

    /// A content word that may count: not allowed, and not in dialogue when
    /// dialogue is excluded.
    pub fn is_countable(&self, token: &Token, dialogue: bool) -> bool {
        // The token's own flags first: they are at hand, while its term is
        // a look-up in a table of megabytes (dialogue, left out by default,
        // is a third of a novel's words), which the compiler may not move
        // after them because the index is checked.
        token.flags & (IN_ALLOWED_PHRASE | IN_NAME) == 0
            && (dialogue || token.flags & IN_DIALOGUE == 0)
            && {
                let term = self.term(token);
                term.kind == TermKind::Content && !term.allowed
            }
    }

    /// A use that reads as a noun: after a determiner or a preposition,
    /// possibly with one adjective between (“the moor”, “her dark eyes”, “of
    /// black granite”), and ending its phrase rather than leading into
    /// another content word (“the faint tang”).
    pub fn looks_like_noun(&self, tokens: &[Token], index: usize) -> bool {
        looks_like_noun(self, tokens, index, true)
    }

    /// Like [`Analysis::looks_like_noun`], but only right after the
    /// determiner or preposition: “the kettle rattled.” could be an
    /// adjective and a noun, so it does not count.
    pub fn plainly_a_noun(&self, tokens: &[Token], index: usize) -> bool {
        looks_like_noun(self, tokens, index, false)
    }

    /// Directly after “the”, “a”, a possessive or a demonstrative.
    pub fn after_determiner(&self, tokens: &[Token], index: usize) -> bool {
        self.introduced_by(tokens, index, false, |term| term.determiner)
    }

    /// Whether the word at `index` follows, in one run of its sentence (no
    /// punctuation between), a word for which `introduces` holds: directly,
    /// or with one content word between when `adjective` is set (“the old
    /// stone huts”).
    pub fn introduced_by(
        &self,
        tokens: &[Token],
        index: usize,
        adjective: bool,
        introduces: impl Fn(&Term) -> bool,
    ) -> bool {
        let joined = |i: usize| i > 0 && tokens[i].flags & AFTER_BREAK == 0;
        joined(index)
            && (introduces(self.term(&tokens[index - 1]))
                || (adjective
                    && joined(index - 1)
                    && self.term(&tokens[index - 1]).kind == TermKind::Content
                    && introduces(self.term(&tokens[index - 2]))))
    }

    pub fn word_count(&self) -> usize {
        self.chapters.iter().map(|c| c.tokens.len()).sum()
    }
}

/// Determiners and possessives that come before a noun.
static DETERMINERS: WordSet = WordSet::new(&[
    "the", "a", "an", "his", "her", "my", "their", "its", "our", "your", "this", "that", "these",
    "those",
]);

/// A use that reads as a noun: after a determiner or a preposition, possibly
/// with one adjective between (“the moor”, “her dark eyes”, “of black
/// granite”), and ending its phrase rather than leading into another content
/// word (“the faint tang”).
fn looks_like_noun(analysis: &Analysis, tokens: &[Token], index: usize, adjectives: bool) -> bool {
    let introduced = analysis.introduced_by(tokens, index, adjectives, |term| {
        term.determiner || term.preposition
    });
    let ends_phrase = match tokens.get(index + 1) {
        None => true,
        // A token in another sentence is always after a break.
        Some(next) => {
            next.flags & AFTER_BREAK != 0
                || analysis.term(next).kind != TermKind::Content
                || (adjectives && subject_before_its_verb(analysis, &tokens[index], next))
        }
    };
    introduced && ends_phrase
}

/// A plural before a verb's “-ed” or “-ing” form: the subject of a
/// clause (“the drovers shouted”, “the drovers stamping their feet”), a
/// noun though a content word follows it. (“The red painted door”: no
/// plural.)
fn subject_before_its_verb(analysis: &Analysis, word: &Token, next: &Token) -> bool {
    let (word, next) = (&analysis.term(word).text, &analysis.term(next).text);
    word.len() > 3
        && word.ends_with('s')
        && !word.ends_with("ss")
        && next.len() > 4
        && (next.ends_with("ed") || next.ends_with("ing"))
}

/// `text` with runs of whitespace (hard wraps) collapsed to one space.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A chapter's name for messages.
pub fn chapter_name(chapter: &Chapter) -> String {
    chapter.name()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_addresses_are_told_from_words_of_prose() {
        let text = "Mail rmackenzie@kroll-ny.com or see https://kroll.example/a-b, www.kroll.com. \
                    The end-of-term report. Kroll@home? Not@ all. Type “kroll-ny.com”, e.g. Mr.Smith.";
        let words: Vec<(&str, bool)> = text
            .match_indices(|c: char| c.is_alphanumeric())
            .filter(|&(i, _)| i == 0 || !text[..i].ends_with(|c: char| c.is_alphanumeric()))
            .map(|(i, _)| {
                let len = text[i..]
                    .find(|c: char| !c.is_alphanumeric())
                    .unwrap_or(text.len() - i);
                let span = Span::new(i, i + len);
                (&text[i..i + len], is_in_address(text, span))
            })
            .collect();
        let in_address: Vec<&str> = words.iter().filter(|w| w.1).map(|w| w.0).collect();
        assert_eq!(
            in_address,
            [
                "rmackenzie",
                "kroll",
                "ny",
                "com",
                "https",
                "kroll",
                "example",
                "a",
                "b",
                "www",
                "kroll",
                "com",
                "Kroll",
                "home",
                "kroll",
                "ny",
                "com"
            ]
        );
        assert!(words.iter().any(|&(w, a)| w == "term" && !a));
        assert!(words.iter().any(|&(w, a)| w == "Not" && !a));
        // The chapter's test, which spares most chapters the word's.
        for text in [
            "see kroll-ny.com.",
            "at bbc.co.uk",
            "a@b",
            "http://x",
            "www.x",
        ] {
            assert!(may_hold_addresses(text), "{text}");
        }
        let prose = "The end. Mr. Smith came at 10:30, e.g. for tea: a .communal meal.";
        assert!(!may_hold_addresses(prose));
    }

    /// The tokens of every chapter as (form, sentence, position, flags).
    fn readable_tokens(analysis: &Analysis) -> Vec<Vec<(String, u32, u32, u8)>> {
        let token = |c: &ChapterTokens, t: &Token| {
            let text = analysis.terms[t.term as usize].text.to_string();
            (text, c.sentence(t), t.position, t.flags)
        };
        let chapter = |c: &ChapterTokens| c.tokens.iter().map(|t| token(c, t)).collect();
        analysis.chapters.iter().map(chapter).collect()
    }

    /// A paragraph the tests paste twice, for the duplicate rules to report
    /// (so the echo analysis leaves its second copy out).
    const PASTED: &str = "The lighthouse keeper counted the gulls on the railing \
                          every morning before the ferry came in from the mainland.";

    /// The rules read sentence boundaries from [`AFTER_BREAK`] alone: a
    /// token without it is the word right after the previous token, in the
    /// same sentence — past headings, dialogue, hyphens and left-out copies,
    /// read in one run or by a language server.
    #[test]
    fn a_token_without_a_break_follows_the_previous_one_in_its_sentence() {
        let mut files: Vec<(&str, &str)> = crate::testing::SAMPLE_NOVEL.to_vec();
        let pasted = PASTED;
        let copies = format!(
            "# One\n\n{pasted}\n\n“Tile-paved,” she said, “all of it.” Rain fell.\n\n\
             * * *\n\nThen {}, and she went home.\n",
            pasted.trim_end_matches('.').to_lowercase()
        );
        files.push(("copies.md", &copies));
        let single = crate::testing::manuscript(&files);
        let kept = crate::testing::kept_manuscript(&files);
        for analysis in [
            Analysis::build(&single, &Common::default()),
            Analysis::build(&kept, &Common::default()),
        ] {
            let (mut joined, mut broken) = (0, 0);
            for chapter in &analysis.chapters {
                for pair in chapter.tokens.windows(2) {
                    let (before, token) = (&pair[0], &pair[1]);
                    if token.flags & AFTER_BREAK == 0 {
                        joined += 1;
                        assert_eq!({ token.position }, before.position + 1);
                        assert_eq!(chapter.sentence(token), chapter.sentence(before));
                        assert_eq!(chapter.scene(token), chapter.scene(before));
                    } else if chapter.sentence(token) != chapter.sentence(before) {
                        broken += 1;
                    }
                }
            }
            assert!(
                joined > 1000 && broken > 100,
                "{joined} joined, {broken} broken"
            );
        }
    }

    /// A single run leaves the copies' words out as it reads the chapters;
    /// a language server reads them whole (kept for the next check) and
    /// leaves them out after: the analyses are the same.
    #[test]
    fn copies_left_out_while_reading_or_after_give_one_analysis() {
        let mut files: Vec<(&str, &str)> = crate::testing::SAMPLE_NOVEL.to_vec();
        let pasted = PASTED;
        let copies = format!(
            "{pasted}\n\nShe knew that {} and smiled, for the old man had told her so many \
             times over the long winter evenings, sitting by the stove with his pipe and his \
             stories of wrecks and storms and drowned sailors and lost cargoes of tea.\n\n\
             Rain fell.\n\n{pasted}\n",
            pasted.trim_end_matches('.').to_lowercase()
        );
        files.push(("copies.txt", &copies));
        let single = crate::testing::manuscript(&files);
        let kept = crate::testing::kept_manuscript(&files);
        let common = Common::default();
        let (read, after) = (
            Analysis::build(&single, &common),
            Analysis::build(&kept, &common),
        );
        assert!(
            read.skipped_words >= 40,
            "{} words skipped",
            read.skipped_words
        );
        assert_eq!(read.skipped_words, after.skipped_words);
        assert_eq!(readable_tokens(&read), readable_tokens(&after));
        let terms =
            |a: &Analysis| -> Vec<String> { a.terms.iter().map(|t| format!("{t:?}")).collect() };
        assert_eq!(terms(&read), terms(&after));
    }

    #[test]
    fn tokens_find_their_spans_past_headings_and_skipped_copies() {
        // Headings' words are chapter words but not tokens, so each run of
        // paragraphs after one starts a new run; the pasted paragraph is a
        // copy the duplicate rules report, so its words are no tokens.
        let pasted = PASTED;
        let text = format!(
            "# Part One\n\n{pasted}\n\nShe laughed.\n\n## The Crossing Home\n\n\
             Rain fell, and fell.\n\n{pasted}\n\nNo more.\n"
        );
        let manuscript = crate::testing::manuscript(&[("chapter.md", &text)]);
        let analysis = Analysis::build(&manuscript, &Common::default());
        let chapter = &analysis.chapters[0];
        let words: Vec<&str> = chapter
            .tokens
            .iter()
            .map(|t| manuscript.chapter(0).slice(chapter.span(&manuscript, t)))
            .collect();
        let mut expected: Vec<&str> = pasted.split(' ').map(|w| w.trim_end_matches('.')).collect();
        expected.extend([
            "She", "laughed", "Rain", "fell", "and", "fell", "No", "more",
        ]);
        assert_eq!(words, expected);
        assert_eq!(analysis.skipped_words, 19);
        // Positions count the skipped words: "No" is 20 words after "fell".
        let fell = &chapter.tokens[expected.len() - 3];
        let no = &chapter.tokens[expected.len() - 2];
        assert_eq!(fell.distance(no), 20);
        assert_eq!(chapter.runs.len(), 2);
    }

    #[test]
    fn phrase_forms_drop_plural_and_possessive_endings() {
        for (word, form) in [
            ("tangs", "tang"),
            ("tang's", "tang"),
            ("tangs'", "tang"),
            ("stories", "story"),
            ("boxes", "box"),
            ("churches", "church"),
            ("glass", "glass"),
            ("bus", "bus"),
            ("analysis", "analysis"),
            ("was", "was"),
            ("his", "one's"),
            ("her", "one's"),
        ] {
            assert_eq!(phrase_form(word), form, "{word}");
        }
    }

    #[test]
    fn light_stems_group_inflections() {
        assert_eq!(light_stem("hum"), light_stem("humming"));
        assert_eq!(light_stem("hum"), light_stem("hummed"));
        assert_eq!(light_stem("smile"), light_stem("smiled"));
        assert_eq!(light_stem("smile"), light_stem("smiling"));
        assert_eq!(light_stem("faint"), light_stem("faintly"));
        assert_eq!(light_stem("seem"), light_stem("seemed"));
        assert_eq!(light_stem("string"), "string");
        assert_eq!(light_stem("sing"), "sing");
        assert_ne!(light_stem("fell"), light_stem("fe"));
    }
}

#[cfg(test)]
pub(crate) mod fixture_tests;

/// Asks, for spans in text order, whether each lies inside text reported as
/// a later copy. The copies are merged once; the cursor only moves forward,
/// so a chapter costs one pass over its words and copies.
struct SpanCursor {
    merged: Vec<Span>,
    next: usize,
}

impl SpanCursor {
    /// `spans` sorted by start, possibly overlapping.
    fn new(spans: &[Span]) -> SpanCursor {
        let merged = join_sorted_runs(spans.iter().copied(), |s| (s.start, &mut s.end));
        SpanCursor { merged, next: 0 }
    }

    /// How many of `chapter`'s words lie inside the copies.
    fn words_inside(&self, chapter: &Chapter) -> usize {
        let first_from = |offset: u32| chapter.words.partition_point(|w| w.start < offset);
        let words_from = |copy: &Span| first_from(copy.start)..first_from(copy.end);
        let inside = |copy: &Span| {
            let range = words_from(copy);
            chapter.words[range]
                .iter()
                .filter(|w| copy.contains(**w))
                .count()
        };
        self.merged.iter().map(inside).sum()
    }

    /// Whether `span` lies inside a copy; spans must come in text order.
    fn contains(&mut self, span: Span) -> bool {
        while self
            .merged
            .get(self.next)
            .is_some_and(|copy| copy.end <= span.start)
        {
            self.next += 1;
        }
        self.merged
            .get(self.next)
            .is_some_and(|copy| copy.contains(span))
    }
}
