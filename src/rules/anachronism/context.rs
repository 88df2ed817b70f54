//! Title contexts: what in the words around a name shows that it is the
//! title of a book, film or show and not an everyday phrase, a character,
//! a ship or a pub.
//!
//! - a **lead** right before it: a verb of reading or watching (“reading”,
//!   “watched”, “recited”), a noun (“the novel”, “a copy of”, “an episode
//!   of”), or the author's possessive (“Larsson's”);
//! - a **trail** right after it: “the *X* novel/film/show”, “*X* by Stieg
//!   Larsson”, a record's “*X* on the turntable”;
//! - a **list** of titles: Title Case items separated by commas and “and”,
//!   two of them known titles, with a cue (“books”, “bestsellers”, “the
//!   year of”) in the same or the next sentence;
//! - a **loose cue**: a word of the medium (“novel”, “film”, “episode”) or
//!   the author's surname within twelve words, in the same paragraph;
//! - its **shape**: a long title that begins with a capitalised “The” or
//!   “A” in mid-sentence (“with The Girl with the Dragon Tattoo”).
//!
//! - a **screening**: a one-word film or series right after a verb of
//!   watching and before what follows a screening, with a word of the
//!   screen nearby (“watched Casablanca at the cinema”), when the book
//!   writes that name only as a title and it is no given name
//!   ([`NameUses`]).
//!
//! And one veto: a name just after “ship”, “horse”, “pub”, “called” … is a
//! name, not a title, unless a title noun or the author is beside it.

use std::sync::{LazyLock, Mutex, PoisonError};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::text::{Chapter, Manuscript, Span};

use super::kb::Medium;

/// How many words either side count as "nearby" for a loose cue.
pub const CUE_WINDOW: usize = 12;
/// How far apart two italicised or quoted titles may be to form a list.
pub const LIST_WINDOW: usize = 20;

/// Words that show a title is being talked about as a book, film …
pub fn medium_cues(medium: Medium) -> &'static [&'static str] {
    match medium {
        Medium::Book => &[
            "read",
            "reads",
            "reading",
            "reread",
            "book",
            "books",
            "novel",
            "novels",
            "novelist",
            "bestseller",
            "bestsellers",
            "best-seller",
            "best-sellers",
            "paperback",
            "paperbacks",
            "hardback",
            "hardbacks",
            "hardcover",
            "author",
            "wrote",
            "written",
            "published",
            "trilogy",
            "sequel",
            "bookshop",
            "bookstore",
            "bookshelf",
            "library",
            "copy",
            "copies",
            "poem",
            "poems",
            "poet",
            "recite",
            "recites",
            "recited",
            "reciting",
            "playwright",
        ],
        Medium::Film => &[
            "film",
            "films",
            "movie",
            "movies",
            "cinema",
            "cinemas",
            "watched",
            "watching",
            "starring",
            "director",
            "directed",
            "premiere",
            "sequel",
            "remake",
            "vhs",
            "dvd",
            "video",
            "box office",
            "screening",
            "theater",
            "theatre",
            "matinee",
            "drive-in",
        ],
        Medium::Tv => &[
            "series",
            "episode",
            "episodes",
            "show",
            "shows",
            "sitcom",
            "season",
            "television",
            "tv",
            "aired",
            "rerun",
            "reruns",
            "watched",
            "watching",
            "channel",
            "finale",
            "binge-watched",
            "streaming",
        ],
        Medium::Album => &[
            "album",
            "albums",
            "record",
            "records",
            "lp",
            "cd",
            "turntable",
            "record player",
            "gramophone",
            "phonograph",
            "jukebox",
            "stereo",
            "vinyl",
            "cassette",
            "walkman",
            "song",
            "songs",
            "single",
            "track",
            "tracks",
            "listened",
            "listening",
            "band",
            "sang",
            "sing",
            "singing",
        ],
        Medium::Game => &[
            "game",
            "games",
            "played",
            "playing",
            "console",
            "nintendo",
            "playstation",
            "cartridge",
            "arcade",
        ],
    }
}

/// Cues that make a run of Title Case names a list of titles, whatever the
/// medium.
const LIST_CUES: &[&str] = &[
    "the year of",
    "titles",
    "favourites",
    "favorites",
    "classics",
    "bestseller list",
];

/// Verbs right before a title: “reading The Road”.
fn verb_leads(medium: Medium) -> &'static [&'static str] {
    match medium {
        Medium::Book => &[
            "read",
            "reads",
            "reading",
            "reread",
            "rereading",
            "finished",
            "finishing",
            "curled up with",
            "engrossed in",
            "halfway through",
            "recite",
            "recites",
            "recited",
            "reciting",
            "quoted",
            "quoting",
            "borrowed",
            "lent",
            "wrote",
            "published",
            "reviewed",
            "went to see",
        ],
        Medium::Film => &[
            "watched",
            "watching",
            "watch",
            "rewatched",
            "went to see",
            "rented",
            "tickets for",
            "tickets to",
        ],
        Medium::Tv => &[
            "watched",
            "watching",
            "watch",
            "binged",
            "tuned in to",
            "caught up on",
        ],
        Medium::Album => &[
            "listened to",
            "listening to",
            "put on",
            "played",
            "playing",
            "sang",
            "sing",
            "singing",
            "hummed",
            "humming",
            "whistled",
            "whistling",
        ],
        Medium::Game => &["played", "playing", "plays"],
    }
}

/// Nouns right before a title: “the novel Gone Girl”, “a copy of”.
fn noun_leads(medium: Medium) -> &'static [&'static str] {
    match medium {
        Medium::Book => &[
            "copy of",
            "copies of",
            "novel",
            "book",
            "bestseller",
            "paperback",
            "hardback",
            "hardcover",
            "poem",
            "play",
            "edition of",
            "the author of",
            "sequel to",
            "chapter of",
            "pages of",
            "trilogy",
        ],
        Medium::Film => &[
            "film",
            "movie",
            "premiere of",
            "screening of",
            "remake of",
            "sequel to",
            "showing of",
        ],
        Medium::Tv => &[
            "show",
            "series",
            "sitcom",
            "episode of",
            "episodes of",
            "season of",
            "seasons of",
            // British: “the second series of Stranger Things”, “the box
            // set of Killing Eve”.
            "series of",
            "box set of",
            "box-set of",
            "boxset of",
            "rerun of",
            "reruns of",
            "finale of",
        ],
        Medium::Album => &[
            "album",
            "record",
            "single",
            "song",
            "lp",
            "copy of",
            "record of",
            "records of",
            "lp of",
            "cassette of",
            "tape of",
            "cd of",
            "recording of",
            "45 of",
            "single of",
        ],
        Medium::Game => &["game", "cartridge", "copy of"],
    }
}

/// Nouns right after a title: “the Twilight novels”. `everyday` is false
/// for the ones an adjective often takes (“the Green book”, “the Late
/// show”).
fn trail_nouns(medium: Medium) -> &'static [(&'static str, bool)] {
    match medium {
        Medium::Book => &[
            ("novel", true),
            ("novels", true),
            ("trilogy", true),
            ("saga", true),
            ("books", true),
            ("book", false),
            ("paperback", false),
            ("poem", true),
        ],
        Medium::Film => &[
            ("film", true),
            ("films", true),
            ("movie", true),
            ("movies", true),
            ("remake", true),
        ],
        Medium::Tv => &[
            ("series", true),
            ("sitcom", true),
            ("episode", true),
            ("episodes", true),
            ("show", false),
            ("reruns", true),
            ("finale", true),
        ],
        Medium::Album => &[("album", true), ("record", false), ("single", false)],
        Medium::Game => &[("game", false), ("games", false)],
    }
}

/// Words that may stand between a lead and its title: “read *her old
/// copy of* …”, “watched *the whole* …”.
const FILLERS: &[&str] = &[
    "the",
    "a",
    "an",
    "his",
    "her",
    "their",
    "my",
    "our",
    "your",
    "its",
    "that",
    "this",
    "old",
    "new",
    "latest",
    "favourite",
    "favorite",
    "whole",
    "entire",
    "again",
    "battered",
    "worn",
    "tattered",
    "first",
    "last",
];

/// Words before a quoted name that make it the name of a ship, house,
/// horse or pub.
const NAMING: &[&str] = &[
    "ship",
    "boat",
    "yacht",
    "schooner",
    "steamer",
    "steamship",
    "liner",
    "vessel",
    "barge",
    "ketch",
    "sloop",
    "brig",
    "frigate",
    "cutter",
    "aboard",
    "house",
    "cottage",
    "villa",
    "manor",
    "farm",
    "inn",
    "pub",
    "tavern",
    "hotel",
    "restaurant",
    "cafe",
    "café",
    "shop",
    "horse",
    "mare",
    "stallion",
    "colt",
    "filly",
    "pony",
    "gelding",
    "racehorse",
    "hound",
    "dog",
    "puppy",
    "cat",
    "kitten",
    "called",
    "named",
    "christened",
    "dubbed",
    "at",
];

/// Words after a title that show it is the object of a verb of reading or
/// watching, not a person doing something (“watched Emma cross the road”).
const OBJECT_FOLLOWERS: &[&str] = &[
    "on",
    "in",
    "at",
    "with",
    "and",
    "again",
    "twice",
    "for",
    "until",
    "till",
    "every",
    "all",
    "that",
    "the",
    "last",
    "yesterday",
    "tonight",
    "before",
    "after",
    "while",
    "over",
    "from",
    "to",
    "aloud",
    "together",
    "alone",
    "instead",
    "or",
    "but",
    "cover",
    "straight",
    "three",
    "four",
    "five",
    "once",
    "during",
    "by",
    "when",
    "as",
    "like",
    "out",
    "through",
    "then",
    "now",
];

/// Leads of watching that people and places are not the object of:
/// “tuned in to Dallas”, “binged Friends”. After the others (“watched”,
/// “went to see”, “rented”, “tickets to California”), a one-word name
/// needs a word of the screen nearby.
pub const SCREEN_ONLY_LEADS: &[&str] = &["rewatched", "binged", "tuned in to", "caught up on"];

/// Words of the stage: near them, a title seen is the play or musical
/// (“had seen Fiddler on the Roof on Broadway”), not the film made of it
/// later (see [`Around::seeing_lead`]).
const STAGE_WORDS: &[&str] = &[
    "theatre",
    "theater",
    "theatres",
    "theaters",
    "stage",
    "broadway",
    "musical",
    "musicals",
    "playhouse",
    "west end",
    "opera",
    "ballet",
    "interval",
    "intermission",
    "curtain call",
];

/// Words of the screen (see [`Around::screen_cue`]).
const SCREEN_WORDS: &[&str] = &[
    "film",
    "films",
    "movie",
    "movies",
    "cinema",
    "cinemas",
    "pictures",
    "picture-house",
    "drive-in",
    "screen",
    "screening",
    "matinee",
    "matinée",
    "tv",
    "television",
    "telly",
    "video",
    "videos",
    "dvd",
    "vhs",
    "episode",
    "episodes",
    "series",
    "sitcom",
    "show",
    "channel",
    "netflix",
    "rerun",
    "reruns",
    "popcorn",
    "box office",
    "trailer",
    "usherette",
    "projector",
];

/// Words after a film or a show watched (see
/// [`Around::screening_continues`]).
const SCREENING_FOLLOWERS: &[&str] = &[
    "on",
    "at",
    "with",
    "and",
    "again",
    "twice",
    "for",
    "every",
    "last",
    "yesterday",
    "tonight",
    "together",
    "alone",
    "instead",
    "once",
    "or",
    "but",
    "then",
];

/// Small words a title may hold in lowercase (“The Girl with the Dragon
/// Tattoo”).
pub const SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "with", "by", "from",
    "into", "upon", "over", "under", "as", "nor", "but", "is", "are", "was", "be", "no", "not",
    "de", "la", "le", "del", "von", "van", "du",
];

/// Verbs of reading: “read Dracula aloud” is the book even when the title
/// is also a name or a word.
pub const READING: &[&str] = &[
    "read",
    "reads",
    "reading",
    "reread",
    "rereading",
    "finished",
];

/// A lead right before a title.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lead {
    /// “reading”, “watched”: strong unless a person could be meant.
    Verb,
    /// “the novel”, “a copy of”, “an episode of”.
    Noun,
    /// “Larsson's”.
    Author,
}

/// The words of the chapter around one name, for its context.
pub struct Around<'c> {
    chapter: &'c Chapter,
    span: Span,
    /// Index of the first word of the name in `chapter.words`.
    first_word: usize,
    /// Index of the first word after the name.
    after_word: usize,
    /// The sentence's words: `chapter.words[lo..hi]`.
    lo: usize,
    hi: usize,
    pub sentence: usize,
}

impl<'c> Around<'c> {
    pub fn new(chapter: &'c Chapter, span: Span) -> Option<Around<'c>> {
        let sentence = chapter
            .sentences
            .partition_point(|s| s.span.end <= span.start);
        let s = chapter.sentences.get(sentence)?;
        if s.span.start > span.start {
            return None;
        }
        let first_word = chapter.words.partition_point(|w| w.start < span.start);
        let after_word = chapter.words.partition_point(|w| w.start < span.end);
        Some(Around {
            chapter,
            span,
            first_word,
            after_word,
            lo: s.words.start as usize,
            hi: s.words.end as usize,
            sentence,
        })
    }

    fn word(&self, i: usize) -> &'c str {
        &self.chapter.prose[self.chapter.words[i].range()]
    }

    /// The text between word `i` and the next word.
    fn gap_after(&self, i: usize) -> &'c str {
        let end = self.chapter.words[i].end as usize;
        let next = self
            .chapter
            .words
            .get(i + 1)
            .map_or(self.chapter.prose.len(), |w| w.start as usize);
        &self.chapter.text[end..next]
    }

    /// True when only spaces (and italics, quote marks around the name, or
    /// a plural's possessive mark) stand between word `i` and the next.
    fn joined(&self, i: usize) -> bool {
        self.gap_after(i).chars().all(|c| {
            c.is_whitespace() || matches!(c, '*' | '_' | '“' | '”' | '"' | '‘' | '’' | '\'')
        })
    }

    /// The name is the first word of its sentence (after quotes or a
    /// dash): its capital says nothing.
    pub fn sentence_initial(&self) -> bool {
        self.first_word <= self.lo
    }

    /// Lowercase words right before the name, nearest last, stopping at
    /// punctuation, after up to two fillers; at most four.
    fn lead_words(&self) -> Vec<String> {
        let mut words = Vec::new();
        let mut i = self.first_word;
        while i > self.lo && words.len() < 6 {
            i -= 1;
            if !self.joined(i) {
                break;
            }
            let mut word = self.word(i).to_lowercase();
            // A plural's possessive mark stays outside the word (“the
            // Beatles’ Rubber Soul”): it is kept, for the author lead.
            if word.ends_with('s')
                && let Some(mark) = self
                    .gap_after(i)
                    .chars()
                    .next()
                    .filter(|c| matches!(c, '\'' | '’'))
            {
                word.push(mark);
            }
            words.push(word);
        }
        words.reverse();
        words
    }

    /// A lead right before the name for `medium`, if any. `surname` is the
    /// author's.
    pub fn lead(&self, medium: Medium, surname: &str) -> Option<Lead> {
        self.lead_phrase(medium, surname).map(|(lead, _)| lead)
    }

    /// True when the lead is a verb of reading ([`READING`]).
    pub fn reading_lead(&self) -> bool {
        matches!(
            self.lead_phrase(Medium::Book, ""),
            Some((Lead::Verb, phrase)) if READING.contains(&phrase)
        )
    }

    /// The lead and the phrase that made it.
    fn lead_phrase(&self, medium: Medium, surname: &str) -> Option<(Lead, &'static str)> {
        let words = self.lead_words();
        let mut end = words.len();
        let mut skipped = 0;
        loop {
            let head = &words[..end];
            if let Some(last) = head.last() {
                if !surname.is_empty() && possessive_of(last, surname) {
                    return Some((Lead::Author, ""));
                }
                // "a novel called", "the film titled"
                if matches!(last.as_str(), "called" | "titled" | "entitled" | "named")
                    && head.len() >= 2
                    && noun_leads(medium)
                        .iter()
                        .any(|n| !n.contains(' ') && head[head.len() - 2].starts_with(n))
                {
                    return Some((Lead::Noun, "called"));
                }
            }
            if let Some(phrase) = ends_with(head, noun_leads(medium)) {
                return Some((Lead::Noun, phrase));
            }
            if let Some(phrase) = ends_with(head, verb_leads(medium)) {
                return Some((Lead::Verb, phrase));
            }
            match head.last() {
                Some(w) if skipped < 2 && FILLERS.contains(&w.as_str()) => {
                    end -= 1;
                    skipped += 1;
                }
                _ => return None,
            }
        }
    }

    /// “the *X* novel”: a noun of the medium right after the name; `true`
    /// in the pair when an everyday word may take it too.
    pub fn trail_noun(&self, medium: Medium) -> Option<bool> {
        if self.after_word >= self.hi || self.after_word == 0 || !self.joined(self.after_word - 1) {
            return None;
        }
        // "the Twilight novels", not "my New York novel" or "a London
        // film", where the name says what the work is about.
        let mut i = self.first_word;
        let determined = loop {
            if i <= self.lo {
                break false;
            }
            i -= 1;
            match self.word(i).to_lowercase().as_str() {
                "new" | "old" | "latest" | "first" | "last" | "whole" | "original" | "early"
                | "favourite" | "favorite" => continue,
                "the" | "these" | "those" | "all" => break true,
                _ => break false,
            }
        };
        if !determined {
            return None;
        }
        let next = self.word(self.after_word).to_lowercase();
        trail_nouns(medium)
            .iter()
            .find(|(n, _)| *n == next)
            .map(|(_, everyday)| *everyday)
    }

    /// “*X* on the turntable”: a name put on something that plays records
    /// (“on his record player”, “on the jukebox”, “on the Dansette”) is a
    /// record. Not the radio, which plays plays and news too.
    pub fn on_a_player(&self) -> bool {
        let i = self.after_word;
        if i + 2 >= self.hi || !self.word(i).eq_ignore_ascii_case("on") {
            return false;
        }
        let lower = |i: usize| (i < self.hi).then(|| self.word(i).to_lowercase());
        let determined = lower(i + 1).is_some_and(|w| {
            matches!(
                w.as_str(),
                "the" | "a" | "his" | "her" | "their" | "my" | "our" | "your" | "its"
            )
        });
        determined
            && match lower(i + 2).as_deref() {
                Some(
                    "turntable" | "gramophone" | "phonograph" | "stereo" | "jukebox" | "dansette"
                    | "radiogram",
                ) => true,
                Some("record") => lower(i + 3).as_deref() == Some("player"),
                _ => false,
            }
    }

    /// “*X* by Stieg Larsson” or “*X*, by Larsson”.
    pub fn by_author(&self, surname: &str) -> bool {
        if surname.is_empty() || self.after_word >= self.hi {
            return false;
        }
        if !self.word(self.after_word).eq_ignore_ascii_case("by") {
            return false;
        }
        (self.after_word + 1..(self.after_word + 5).min(self.hi)).any(|i| self.word(i) == surname)
    }

    /// A verb of watching right before the name, with nothing between
    /// (“watched Casablanca”, “went to see Jaws”, not “watched the
    /// Titanic”), for a film or a TV series: the phrase, if any.
    pub fn viewing_lead(&self, medium: Medium) -> Option<&'static str> {
        if !matches!(medium, Medium::Film | Medium::Tv) {
            return None;
        }
        ends_with(&self.lead_words(), verb_leads(medium))
    }

    /// “had seen Raiders of the Lost Ark”, “saw Apocalypse Now at the
    /// drive-in”: a verb of seeing right before a film's name. People and
    /// places are seen too (“saw Times Square”), and so are plays, whose
    /// names the films made of them share, so it counts as a verb of
    /// watching only with a word of the screen nearby, or for a name of
    /// three words or more when `long_names` (a film of the sound era:
    /// the 1910s' “Have you seen “Peg o' My Heart”?” asks of the play),
    /// and never with a word of the stage nearby.
    pub fn seeing_lead(&self, medium: Medium, long_names: bool) -> bool {
        const SEEING: &[&str] = &["saw", "seen", "see"];
        if medium != Medium::Film {
            return false;
        }
        let words = self.lead_words();
        let seen = words.last().is_some_and(|w| SEEING.contains(&w.as_str()));
        seen && ((long_names && self.after_word - self.first_word >= 3) || self.screen_cue())
            && !self.loose_cue(STAGE_WORDS.iter().copied(), "")
    }

    /// A word of the screen in the name's paragraph, near it (“the
    /// cinema”, “on the telly”, “the drive-in”), beyond the verb of
    /// watching: what makes “watched Rudy” a film rather than a boy.
    pub fn screen_cue(&self) -> bool {
        self.loose_cue(SCREEN_WORDS.iter().copied(), "")
    }

    /// The next word is one an object of “read”/“watched” may take: the
    /// sentence ends, or a preposition or adverb follows.
    pub fn object_continues(&self) -> bool {
        self.followed_by(OBJECT_FOLLOWERS)
    }

    /// Like [`Around::object_continues`], with only the words that follow a
    /// film or a show watched and seldom a place looked at: “watched
    /// Casablanca at the Odeon”, “… twice”, “… on Thursday”; not “watched
    /// Manhattan from the ferry”, “… in the rain”, “… while the plane
    /// circled”.
    pub fn screening_continues(&self) -> bool {
        self.followed_by(SCREENING_FOLLOWERS)
    }

    /// The name ends its sentence or clause, or one of `followers` comes
    /// next.
    fn followed_by(&self, followers: &[&str]) -> bool {
        if self.after_word >= self.hi {
            return true;
        }
        let gap = self.gap_after(self.after_word - 1);
        if gap.contains([',', ';', ':', '.', '!', '?', '—', '–', '(', ')']) {
            return true;
        }
        followers.contains(&self.word(self.after_word).to_lowercase().as_str())
    }

    /// A ship, house, horse or pub: a naming word right before the name
    /// (“the yacht”, “a horse called”, “at”), an article aside.
    pub fn naming(&self) -> bool {
        let mut i = self.first_word;
        while i > self.lo {
            i -= 1;
            let word = self.word(i).to_lowercase();
            if matches!(word.as_str(), "the" | "a" | "an" | "good") {
                continue;
            }
            return NAMING.contains(&word.as_str());
        }
        false
    }

    /// A long title in mid-sentence beginning with a capitalised article:
    /// “with The Girl with the Dragon Tattoo”. `distinctive` titles need
    /// three words, others four.
    pub fn title_shape(&self, distinctive: bool) -> bool {
        if self.sentence_initial() {
            return false;
        }
        let words = self.after_word - self.first_word;
        let first = self.word(self.first_word);
        matches!(first, "The" | "A" | "An") && words >= if distinctive { 3 } else { 4 }
    }

    pub fn chapter(&self) -> &'c Chapter {
        self.chapter
    }

    /// A loose cue: one of `cues` (lowercase) or the author's surname
    /// within [`CUE_WINDOW`] words in the same paragraph.
    pub fn loose_cue<'a>(&self, cues: impl IntoIterator<Item = &'a str>, surname: &str) -> bool {
        let Some(window) = self.window() else {
            return false;
        };
        let lower = window.to_lowercase();
        cues.into_iter().any(|c| has_word(&lower, c))
            || (!surname.is_empty() && has_word(&window, surname))
    }

    /// The text of the words around the name in its paragraph, the name
    /// itself left out.
    fn window(&self) -> Option<String> {
        let block = self
            .chapter
            .blocks
            .get(self.chapter.sentences[self.sentence].block as usize)?;
        let words = self.chapter.block_words(block);
        let block_lo = words
            .first()
            .map(|w| self.chapter.words.partition_point(|x| x.start < w.start))?;
        let block_hi = block_lo + words.len();
        let from = self.first_word.saturating_sub(CUE_WINDOW).max(block_lo);
        let to = (self.after_word + CUE_WINDOW).min(block_hi);
        if from >= to {
            return None;
        }
        let start = (self.chapter.words[from].start as usize).min(self.span.start as usize);
        let end = (self.chapter.words[to - 1].end as usize).max(self.span.end as usize);
        let prose = &self.chapter.prose;
        Some(format!(
            "{} … {}",
            &prose[start..self.span.start as usize],
            &prose[self.span.end as usize..end]
        ))
    }
}

/// `word` (lowercase) is the possessive of `surname`: “king's”, or a
/// plural's “beatles’”.
fn possessive_of(word: &str, surname: &str) -> bool {
    let surname = surname.to_lowercase();
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .or_else(|| {
            word.strip_suffix('\'')
                .or_else(|| word.strip_suffix('’'))
                .filter(|w| w.ends_with('s'))
        })
        .is_some_and(|w| w == surname)
}

/// The one of `phrases` (each one or more words) that `words` ends with.
fn ends_with(words: &[String], phrases: &[&'static str]) -> Option<&'static str> {
    let last = words.last()?;
    phrases.iter().copied().find(|phrase| {
        // Its last word first: few phrases end with a given word, and the
        // leads are asked about for every title found.
        phrase.ends_with(last.as_str()) && {
            let mut words = words.iter().rev();
            phrase
                .rsplit(' ')
                .all(|part| words.next().is_some_and(|w| w == part))
        }
    })
}

/// `word` occurs in `text` as a whole word (or phrase).
pub fn has_word(text: &str, word: &str) -> bool {
    let mut from = 0;
    while let Some(at) = text[from..].find(word) {
        let start = from + at;
        let end = start + word.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return true;
        }
        from = start + word.len().max(1);
    }
    false
}

/// A Title Case item of a list: its span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item {
    pub span: Span,
    pub words: usize,
}

/// The lists of Title Case items in a sentence: runs of comma-separated
/// segments that each look like a title, the first of which may be the
/// end of a clause (“the year of Altered Carbon”) and the last the start
/// of one (“and Mistborn on the table”); a segment “X and Y” also gives
/// the items X and Y. Runs of a single item are left out.
pub fn title_lists(chapter: &Chapter, sentence: usize) -> Vec<Vec<Item>> {
    let Some(s) = chapter.sentences.get(sentence) else {
        return Vec::new();
    };
    let words = chapter.sentence_words(s);
    let prose = &chapter.prose;
    // Split the sentence's words into segments at commas and semicolons;
    // other punctuation ends a list.
    let mut segments: Vec<(Vec<Span>, bool)> = vec![(Vec::new(), false)];
    for (i, w) in words.iter().enumerate() {
        if let Some(seg) = segments.last_mut() {
            seg.0.push(*w);
        }
        let gap_end = words
            .get(i + 1)
            .map_or(s.span.end as usize, |n| n.start as usize);
        let gap = &prose[w.end as usize..gap_end];
        if gap.contains([':', '(', ')', '—', '–', '.', '!', '?']) {
            if let Some(seg) = segments.last_mut() {
                seg.1 = true;
            }
            segments.push((Vec::new(), false));
        } else if gap.contains([',', ';']) {
            segments.push((Vec::new(), false));
        }
    }
    let mut lists = Vec::new();
    let mut inner: Vec<Vec<Item>> = Vec::new();
    let mut run: Vec<Item> = Vec::new();
    let mut parts = 0;
    let mut flush = |run: &mut Vec<Item>, parts: &mut usize| {
        if *parts >= 2 || run.len() >= 2 {
            lists.push(std::mem::take(run));
        }
        run.clear();
        *parts = 0;
    };
    for (segment, closed) in &segments {
        let mut seg: &[Span] = segment;
        // "and Mistborn", "or The Road"
        while let Some(first) = seg.first() {
            if matches!(
                &prose[first.range()],
                "and" | "or" | "then" | "also" | "even" | "plus"
            ) {
                seg = &seg[1..];
            } else {
                break;
            }
        }
        let whole = title_items(prose, seg);
        if !whole.is_empty() {
            run.extend(whole);
            parts += 1;
        } else {
            // The start of this clause may end the run …
            if !run.is_empty() && seg.first().is_some_and(|w| is_capital(prose, w)) {
                let lead = (0..seg.len())
                    .take_while(|&i| is_title_word(prose, &seg[i]))
                    .count();
                let items = title_items(prose, trim_small(prose, &seg[..lead]));
                if !items.is_empty() {
                    run.extend(items);
                    parts += 1;
                }
            }
            flush(&mut run, &mut parts);
            // Titles joined by “and” inside the clause: “read Gone Girl
            // and The Road on holiday”.
            let mut i = 0;
            while i < seg.len() {
                let len = (i..seg.len())
                    .take_while(|&k| is_title_word(prose, &seg[k]))
                    .count();
                if len == 0 {
                    i += 1;
                    continue;
                }
                if i > 0 && i + len < seg.len() {
                    let items = title_items(prose, trim_small(prose, &seg[i..i + len]));
                    if items.len() >= 3 {
                        inner.push(items);
                    }
                }
                i += len;
            }
            // … and its end may start the next one.
            let tail = (0..seg.len())
                .rev()
                .take_while(|&i| is_title_word(prose, &seg[i]))
                .count();
            let items = title_items(prose, trim_small(prose, &seg[seg.len() - tail..]));
            if !items.is_empty() {
                run.extend(items);
                parts = 1;
            }
        }
        if *closed {
            flush(&mut run, &mut parts);
        }
    }
    flush(&mut run, &mut parts);
    lists.extend(inner);
    lists
}

fn is_capital(prose: &str, w: &Span) -> bool {
    prose[w.range()]
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
}

fn is_small(prose: &str, w: &Span) -> bool {
    let word = &prose[w.range()];
    SMALL_WORDS.iter().any(|s| s.eq_ignore_ascii_case(word))
}

fn is_title_word(prose: &str, w: &Span) -> bool {
    is_capital(prose, w) || is_small(prose, w)
}

/// Without small words at either end.
fn trim_small<'s>(prose: &str, mut seg: &'s [Span]) -> &'s [Span] {
    while seg.first().is_some_and(|w| !is_capital(prose, w)) {
        seg = &seg[1..];
    }
    while seg.last().is_some_and(|w| !is_capital(prose, w)) {
        seg = &seg[..seg.len() - 1];
    }
    seg
}

/// The items a segment holds if it looks like a title (or two joined by
/// “and”): every word capitalised or a small word, the first and last
/// capitalised.
fn title_items(prose: &str, seg: &[Span]) -> Vec<Item> {
    let (Some(first), Some(last)) = (seg.first(), seg.last()) else {
        return Vec::new();
    };
    if seg.len() > 10
        || !is_capital(prose, first)
        || !is_capital(prose, last)
        || !seg.iter().all(|w| is_title_word(prose, w))
    {
        return Vec::new();
    }
    let mut items = vec![Item {
        span: Span::new(first.start as usize, last.end as usize),
        words: seg.len(),
    }];
    // "Altered Carbon and Mortal Engines"
    for i in 1..seg.len().saturating_sub(1) {
        if &prose[seg[i].range()] == "and" {
            let (left, right) = (&seg[..i], &seg[i + 1..]);
            if is_capital(prose, &left[left.len() - 1]) && is_capital(prose, &right[0]) {
                for part in [left, right] {
                    items.push(Item {
                        span: Span::new(part[0].start as usize, part[part.len() - 1].end as usize),
                        words: part.len(),
                    });
                }
            }
        }
    }
    items
}

/// A list cue for `medium` in sentence `sentence` or the next one of the
/// same paragraph.
pub fn list_cue(chapter: &Chapter, sentence: usize, medium: Medium) -> bool {
    let Some(s) = chapter.sentences.get(sentence) else {
        return false;
    };
    let mut end = s.span.end as usize;
    if let Some(next) = chapter.sentences.get(sentence + 1)
        && next.block == s.block
    {
        end = next.span.end as usize;
    }
    let text = chapter.prose[s.span.start as usize..end].to_lowercase();
    medium_cues(medium)
        .iter()
        .chain(LIST_CUES)
        .any(|c| has_word(&text, c))
}

/// How the book uses one-word names that are also films' or series'
/// titles (“Casablanca”, “Jaws”, “Friends”): a name written only as a
/// title (after a verb of watching or a title noun, “an episode of”, or in
/// italics) is a title; one written anywhere else (“flew to Casablanca”,
/// “Laura said”, ““Rudy!””) is a place or a person, and “watched Laura in
/// the mirror” is about her.
///
/// Worked out in two steps, so that nothing is built lazily while the
/// chapters are checked side by side: the checks ask about names
/// ([`NameUses::only_as_title`] answers `false` for a name not yet looked
/// up, and notes it), then [`NameUses::look_up`] reads the book once for
/// every name asked about, and the chapters that asked are checked again.
#[derive(Default)]
pub struct NameUses {
    /// Name (exact case) → used only as a title.
    answers: FxHashMap<String, bool>,
    /// Names asked about but not looked up, with the chapters that asked.
    asked: Mutex<(FxHashSet<String>, FxHashSet<usize>)>,
}

impl NameUses {
    /// True when `name` has been looked up ([`NameUses::look_up`]) and is
    /// used only as a title in the book. A name not looked up yet is noted
    /// for `chapter` and answered `false`.
    pub fn only_as_title(&self, name: &str, chapter: usize) -> bool {
        if let Some(&known) = self.answers.get(name) {
            return known;
        }
        let mut asked = self.asked.lock().unwrap_or_else(PoisonError::into_inner);
        asked.0.insert(name.to_string());
        asked.1.insert(chapter);
        false
    }

    /// The chapters that asked about a name not looked up yet, in order.
    pub fn chapters_waiting(&self) -> Vec<usize> {
        let asked = self.asked.lock().unwrap_or_else(PoisonError::into_inner);
        let mut chapters: Vec<usize> = asked.1.iter().copied().collect();
        chapters.sort_unstable();
        chapters
    }

    /// Looks up every name asked about, in one pass over the book's words:
    /// a name is used only as a title when it is one word, no given name
    /// ([`is_given_name`]), and every use of it (exact case, as a whole
    /// word, a possessive's `'s` aside) is in italics or has a film's or a
    /// series' lead or trailing noun (“watched”, “an episode of”, “the *X*
    /// show”).
    pub fn look_up(&mut self, manuscript: &Manuscript) {
        let (names, _) =
            std::mem::take(self.asked.get_mut().unwrap_or_else(PoisonError::into_inner));
        if names.is_empty() {
            return;
        }
        let mut only: FxHashMap<&str, bool> = names
            .iter()
            .map(|n| {
                let one_word = n.chars().all(|c| c.is_alphanumeric() || c == '\'');
                (n.as_str(), one_word && !is_given_name(n))
            })
            .collect();
        // Only capitalised words can be the names: most words are told
        // by their first byte, before any slicing or hashing.
        let lengths: FxHashSet<usize> = only.keys().map(|n| n.len()).collect();
        let longest = lengths.iter().copied().max().unwrap_or(0) + "’s".len();
        for chapter in &manuscript.chapters {
            let prose = chapter.prose.as_bytes();
            for word in &chapter.words {
                let first = prose[word.start as usize];
                if first.is_ascii_lowercase() || first.is_ascii_digit() || word.len() > longest {
                    continue;
                }
                let text = &chapter.prose[word.range()];
                let text = text
                    .strip_suffix("'s")
                    .or_else(|| text.strip_suffix("’s"))
                    .unwrap_or(text);
                if !lengths.contains(&text.len()) {
                    continue;
                }
                if let Some(only) = only.get_mut(text).filter(|only| **only) {
                    let span = Span::new(word.start as usize, word.start as usize + text.len());
                    *only = is_a_title_use(chapter, span);
                }
            }
        }
        self.answers.extend(
            only.into_iter()
                .map(|(name, only)| (name.to_string(), only)),
        );
    }
}

/// A use of a name as a title: in italics, or with a film's or a series'
/// lead or trailing noun. Quotes are no sign here: “Rudy!” is called out.
fn is_a_title_use(chapter: &Chapter, span: Span) -> bool {
    let (start, end) = (span.start as usize, span.end as usize);
    let italic = super::is_formatted(&chapter.text, start, end)
        && chapter.text[..start].ends_with(['*', '_']);
    italic
        || Around::new(chapter, span).is_some_and(|a| {
            [Medium::Film, Medium::Tv]
                .into_iter()
                .any(|m| a.lead(m, "").is_some() || a.trail_noun(m).is_some())
        })
}

/// People's first names (`rules/anachronisms/given-names.txt`), sorted.
static GIVEN_NAMES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut names: Vec<&str> = include_str!("../../../rules/anachronisms/given-names.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    names.sort_unstable();
    names
});

/// True for a person's first name as written (“Rebecca”, “Rocky”): a
/// one-word title after “watched” that is one is taken for the person.
pub fn is_given_name(name: &str) -> bool {
    GIVEN_NAMES.binary_search(&name).is_ok()
}

#[cfg(test)]
mod tests {

    use super::*;

    use crate::testing::plain_chapter as chapter;

    fn around<'c>(ch: &'c Chapter, name: &str) -> Around<'c> {
        let start = ch.prose.find(name).unwrap();
        Around::new(ch, Span::new(start, start + name.len())).unwrap()
    }

    #[test]
    fn leads_before_a_title() {
        let ch = chapter("She was reading her old copy of Gone Girl again.\n");
        assert_eq!(
            around(&ch, "Gone Girl").lead(Medium::Book, "Flynn"),
            Some(Lead::Noun)
        );
        let ch = chapter("Every Sunday they watched The Sopranos with the sound up.\n");
        let a = around(&ch, "The Sopranos");
        assert_eq!(a.lead(Medium::Tv, ""), Some(Lead::Verb));
        assert!(a.object_continues());
        let ch = chapter("She watched Emma cross the road.\n");
        assert!(!around(&ch, "Emma").object_continues());
        let ch = chapter("He loved King's It more than anything.\n");
        assert_eq!(
            around(&ch, "It").lead(Medium::Book, "King"),
            Some(Lead::Author)
        );
        let ch = chapter("It was a novel called Room, and she hated it.\n");
        assert_eq!(around(&ch, "Room").lead(Medium::Book, ""), Some(Lead::Noun));
        let ch = chapter("They sailed on the Titanic in spring.\n");
        assert_eq!(around(&ch, "Titanic").lead(Medium::Film, ""), None);
        for text in [
            "She left the Beatles' Rubber Soul on the sofa.\n",
            "She left the Beatles’ Rubber Soul on the sofa.\n",
            "She left the Beatles's Rubber Soul on the sofa.\n",
        ] {
            let ch = chapter(text);
            assert_eq!(
                around(&ch, "Rubber Soul").lead(Medium::Album, "Beatles"),
                Some(Lead::Author),
                "{text}"
            );
        }
        let ch = chapter("She left the Beatle' Rubber Soul on the sofa.\n");
        assert_eq!(
            around(&ch, "Rubber Soul").lead(Medium::Album, "Beatle"),
            None
        );
        let ch = chapter("He found a record of Rubber Soul in the attic.\n");
        assert_eq!(
            around(&ch, "Rubber Soul").lead(Medium::Album, ""),
            Some(Lead::Noun)
        );
    }

    #[test]
    fn a_record_on_something_that_plays_it() {
        let on_a_player = |text: &str, name: &str| around(&chapter(text), name).on_a_player();
        assert!(on_a_player(
            "She put Rubber Soul on the turntable.\n",
            "Rubber Soul"
        ));
        assert!(on_a_player(
            "He left Revolver on his record player all night.\n",
            "Revolver"
        ));
        assert!(on_a_player("They put Hey Jude on a jukebox.\n", "Hey Jude"));
        assert!(on_a_player(
            "They spun Rubber Soul on the Dansette.\n",
            "Rubber Soul"
        ));
        assert!(!on_a_player(
            "They heard Rubber Soul on the radio.\n",
            "Rubber Soul"
        ));
        assert!(!on_a_player(
            "She put Rubber Soul on the table.\n",
            "Rubber Soul"
        ));
        assert!(!on_a_player(
            "He left Revolver on the record.\n",
            "Revolver"
        ));
        assert!(!on_a_player(
            "He left Revolver on turntables.\n",
            "Revolver"
        ));
        assert!(!on_a_player("She had Revolver on.\n", "Revolver"));
    }

    #[test]
    fn lists_of_title_case_items() {
        let text = "It was an intense mix, but 1996 was the year of Altered Carbon, The Expansive, Mortal Engines, and the Titanic book.\n";
        let ch = chapter(text);
        let lists = title_lists(&ch, 0);
        let items: Vec<Vec<&str>> = lists
            .iter()
            .map(|l| l.iter().map(|i| &text[i.span.range()]).collect())
            .collect();
        assert_eq!(
            items,
            vec![vec!["Altered Carbon", "The Expansive", "Mortal Engines"]]
        );
        assert!(list_cue(&ch, 0, Medium::Book));
        let text = "They left Nadia, Tom and Mistborn on the table in Paris.\n";
        let ch = chapter(text);
        let items: Vec<Vec<&str>> = title_lists(&ch, 0)
            .iter()
            .map(|l| l.iter().map(|i| &text[i.span.range()]).collect())
            .collect();
        assert_eq!(
            items,
            vec![vec!["Nadia", "Tom and Mistborn", "Tom", "Mistborn"]]
        );
    }
}
