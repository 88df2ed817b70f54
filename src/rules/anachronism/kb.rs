//! The knowledge base of dated entities: prepared tables and a search
//! over all their names (a trie or an automaton: see [`super::names`]).
//!
//! The built-in base (`rules/anachronisms/`: `curated.toml`, `titles.toml`,
//! `books.tsv`, `films.tsv`, `products.tsv`, `emoji.tsv`) is prepared by
//! `build.rs` with [`super::source`] and embedded: loading it maps the
//! tables in place and either maps a trie of the names in place (about a
//! millisecond) or deserialises an automaton of them (a few milliseconds),
//! as [`Search::for_prose`] decides (see [`super::names`]). It is loaded
//! only when some chapter has a story year.
//! Users' entity files are prepared the same way at run time into a second,
//! small layer that is searched beside the built-in one.

use std::borrow::Cow;
use std::sync::OnceLock;

use daachorse::{DoubleArrayAhoCorasick, DoubleArrayAhoCorasickBuilder, MatchKind};

use super::names::{Names, Trie};
use super::source::{self, Record};
use crate::text::word_starts;

static ENTITIES: &str = include_str!(concat!(env!("OUT_DIR"), "/anachronism-entities.tsv"));
static FORMS: &str = include_str!(concat!(env!("OUT_DIR"), "/anachronism-forms.tsv"));
static FUZZY: &str = include_str!(concat!(env!("OUT_DIR"), "/anachronism-fuzzy.tsv"));
static AUTOMATON: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/anachronism.daac"));
static TRIE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/anachronism.trie"));
static FIRST: &[u8; 256] = include_bytes!(concat!(env!("OUT_DIR"), "/anachronism-first.bin"));
/// Entities, names, and the longest name in bytes.
static COUNTS: &str = include_str!(concat!(env!("OUT_DIR"), "/anachronism-counts.txt"));

/// How the built-in names are searched for (see [`super::names`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Search {
    /// The trie, used in place: quick to load, little memory.
    Trie,
    /// The automaton, copied out of the binary: quicker over much prose.
    Automaton,
}

impl Search {
    /// Bytes of prose to search from which the automaton pays for its
    /// load: 1 MiB, about a novel. Below it, its load (7 ms) is more than the
    /// trie's slower walks cost (about 5 ms a megabyte, spread over the
    /// cores).
    pub const AUTOMATON_FROM: usize = 1 << 20;

    /// The search for `prose` bytes of chapters with a story year.
    pub fn for_prose(prose: usize) -> Search {
        if prose >= Self::AUTOMATON_FROM {
            Search::Automaton
        } else {
            Search::Trie
        }
    }
}

/// What kind of thing a title names; decides which context words count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Medium {
    Book,
    Film,
    Tv,
    Album,
    Game,
}

impl Medium {
    /// Every medium.
    pub const ALL: [Medium; 5] = [
        Medium::Book,
        Medium::Film,
        Medium::Tv,
        Medium::Album,
        Medium::Game,
    ];
}

/// How an entity is recognised in prose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// A title: needs a title context (see the rule's docs).
    Title(Medium),
    /// A technology, product, brand, word …: matched as it stands (or, when
    /// ambiguous, only beside one of its cues).
    Term,
    /// An emoji character.
    Emoji,
}

impl Class {
    fn from_code(code: &str) -> Class {
        match code.chars().next() {
            Some(source::class::BOOK) => Class::Title(Medium::Book),
            Some(source::class::FILM) => Class::Title(Medium::Film),
            Some(source::class::TV) => Class::Title(Medium::Tv),
            Some(source::class::ALBUM) => Class::Title(Medium::Album),
            Some(source::class::GAME) => Class::Title(Medium::Game),
            Some(source::class::EMOJI) => Class::Emoji,
            _ => Class::Term,
        }
    }
}

/// An entity's identity: its layer (0 built-in, 1 the user's files) and
/// the byte offset of its line in that layer's entities table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityId {
    pub layer: u8,
    pub offset: u32,
}

/// One dated entity, read from its table line.
#[derive(Clone, Debug)]
pub struct Entity<'k> {
    pub id: EntityId,
    /// The canonical name, as shown in messages.
    pub name: &'k str,
    /// “book”, “film”, “tv-series”, “technology”, “word” …
    pub kind: &'k str,
    /// The year it first existed, appeared or was used in this sense.
    pub year: i32,
    pub description: &'k str,
    pub class: Class,
    pub case_sensitive: bool,
    /// Needs one of its cues nearby.
    pub ambiguous: bool,
    /// Lowercase context words that confirm this meaning, `|`-separated.
    cues: &'k str,
    /// The author's or creator's surname (“Larsson”), or empty.
    pub author_surname: &'k str,
    /// The author or creator in full, or empty.
    pub author: &'k str,
}

impl<'k> Entity<'k> {
    /// `*The Road*` for titles, `“smartphone”` for the rest.
    pub fn display_name(&self) -> String {
        match self.class {
            Class::Title(_) => format!("*{}*", self.name),
            _ => format!("“{}”", self.name),
        }
    }

    /// The entity's own cue words (lowercase).
    pub fn cues(&self) -> impl Iterator<Item = &'k str> {
        self.cues.split('|').filter(|c| !c.is_empty())
    }

    /// The kind in words for messages: “novel”, “TV series”, “film”.
    pub fn kind_label(&self) -> &'k str {
        match self.kind {
            "tv-series" => "TV series",
            "video-game" => "video game",
            "book-series" => "book series",
            "film-series" => "film series",
            "short-story" => "short story",
            other => other,
        }
    }
}

/// One spelling of one entity's name.
#[derive(Clone, Copy, Debug)]
pub struct Form<'k> {
    pub entity: EntityId,
    /// The exact spelling.
    pub text: &'k str,
    /// [`source::COMMON`], [`source::EVERYDAY_WORD`].
    pub flags: u8,
}

impl Form<'_> {
    /// A title that is also an everyday phrase.
    pub fn common(&self) -> bool {
        self.flags & source::COMMON != 0
    }

    /// A title that is one English word.
    pub fn everyday_word(&self) -> bool {
        self.flags & source::EVERYDAY_WORD != 0
    }
}

/// One table of entities with the search of its names.
pub struct Layer {
    entities: Cow<'static, str>,
    forms: Cow<'static, str>,
    fuzzy: Cow<'static, str>,
    names: Names,
    /// Entities and distinct names.
    pub counts: (usize, usize),
}

impl Layer {
    /// The built-in layer, prepared by `build.rs`: the tables are used in
    /// place, and so is the trie of names for [`Search::Trie`]; the
    /// automaton is deserialised for [`Search::Automaton`]. Prefer
    /// [`builtin`], which does this once per process.
    ///
    /// # Errors
    ///
    /// When the embedded trie or automaton is damaged (never in a binary
    /// that built).
    pub fn load_builtin(search: Search) -> Result<Layer, String> {
        let mut counts = COUNTS.split_whitespace().map(|n| n.parse().unwrap_or(0));
        let (entities, name_count, longest) = (
            counts.next().unwrap_or(0),
            counts.next().unwrap_or(0),
            counts.next().unwrap_or(0),
        );
        let names = match search {
            Search::Automaton => {
                let (automaton, _) = DoubleArrayAhoCorasick::<u32>::deserialize(AUTOMATON)
                    .map_err(|e| format!("the built-in anachronism automaton is damaged: {e}"))?;
                Names::Automaton(automaton)
            }
            Search::Trie => Names::Trie(
                Trie::new(TRIE, FIRST, longest)
                    .map_err(|e| format!("the built-in anachronism trie is damaged: {e}"))?,
            ),
        };
        Ok(Layer {
            entities: Cow::Borrowed(ENTITIES),
            forms: Cow::Borrowed(FORMS),
            fuzzy: Cow::Borrowed(FUZZY),
            names,
            counts: (entities, name_count),
        })
    }

    /// A layer of users' entities, prepared now.
    pub fn from_records(records: &[Record]) -> Result<Layer, String> {
        let prepared = source::prepare(records, &|w: &str| crate::wordfreq::zipf(w));
        let automaton = DoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build_with_values(
                prepared
                    .patterns
                    .iter()
                    .map(|(k, v)| (word_starts::recased(k).collect::<Vec<u8>>(), *v)),
            )
            .map_err(|e| format!("cannot build the automaton of your entities: {e}"))?;
        Ok(Layer {
            counts: (prepared.entity_count, prepared.patterns.len()),
            entities: Cow::Owned(prepared.entities),
            forms: Cow::Owned(prepared.forms),
            fuzzy: Cow::Owned(prepared.fuzzy),
            names: Names::Automaton(automaton),
        })
    }

    /// The lines of the fuzzy table for names of `min..=max` bytes.
    fn fuzzy_lines(&self, min: usize, max: usize) -> impl Iterator<Item = &str> {
        let (index, body) = self.fuzzy.split_once('\n').unwrap_or(("", ""));
        let mut from = body.len();
        let mut to = body.len();
        for entry in index.split(' ') {
            let Some((len, offset)) = entry.split_once(':') else {
                continue;
            };
            let (Ok(len), Ok(offset)) = (len.parse::<usize>(), offset.parse::<usize>()) else {
                continue;
            };
            if len >= min && from == body.len() {
                from = offset;
            }
            if len > max {
                to = offset;
                break;
            }
        }
        body.get(from..to.max(from)).unwrap_or("").lines()
    }

    /// The entity whose line starts at `offset`.
    fn entity(&self, layer: u8, offset: u32) -> Option<Entity<'_>> {
        let line = self.entities.get(offset as usize..)?.split('\n').next()?;
        let mut f = line.split('\t');
        let mut next = || f.next().unwrap_or("");
        let (name, kind, year, description, class, flags, cues, surname, author) = (
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
        );
        let flags: u8 = flags.parse().unwrap_or(0);
        Some(Entity {
            id: EntityId { layer, offset },
            name,
            kind,
            year: year.parse().ok()?,
            description,
            class: Class::from_code(class),
            case_sensitive: flags & source::CASE_SENSITIVE != 0,
            ambiguous: flags & source::AMBIGUOUS != 0,
            cues,
            author_surname: surname,
            author,
        })
    }

    /// The forms on the line at `offset` of the forms table (a pattern's
    /// value: [`source::CAPITALS_ONLY`] is ignored).
    fn forms(&self, layer: u8, offset: u32) -> impl Iterator<Item = Form<'_>> {
        let offset = offset & !source::CAPITALS_ONLY;
        let line = self
            .forms
            .get(offset as usize..)
            .and_then(|rest| rest.split('\n').next())
            .unwrap_or("");
        let mut fields = line.split('\t');
        std::iter::from_fn(move || {
            let entity = fields.next()?.parse().ok()?;
            let flags = fields.next()?.parse().ok()?;
            let text = fields.next()?;
            Some(Form {
                entity: EntityId {
                    layer,
                    offset: entity,
                },
                text,
                flags,
            })
        })
    }
}

/// The built-in layer with each [`Search`], loaded once per process (see
/// [`builtin`]).
static BUILTIN_TRIE: OnceLock<Result<Layer, String>> = OnceLock::new();
static BUILTIN_AUTOMATON: OnceLock<Result<Layer, String>> = OnceLock::new();

fn builtin_cell(search: Search) -> &'static OnceLock<Result<Layer, String>> {
    match search {
        Search::Trie => &BUILTIN_TRIE,
        Search::Automaton => &BUILTIN_AUTOMATON,
    }
}

/// The built-in layer searched with `search`. Call it from the analysis
/// stage ([`crate::rule::Rule::prepare`]); loading never uses the rayon
/// pool, so a thread that finds another one loading waits only for a
/// deserialisation.
///
/// # Errors
///
/// As [`Layer::load_builtin`].
pub fn builtin(search: Search) -> Result<&'static Layer, &'static str> {
    builtin_cell(search)
        .get_or_init(|| Layer::load_builtin(search))
        .as_ref()
        .map_err(String::as_str)
}

/// The built-in layer searched with `search` if it is loaded already;
/// never waits.
pub fn builtin_if_loaded(search: Search) -> Option<&'static Layer> {
    builtin_cell(search).get().and_then(|r| r.as_ref().ok())
}

/// A name found in the text: its span and the forms line of each layer
/// that knows it.
#[derive(Clone, Debug)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    /// `(layer, forms offset)`.
    pub lines: Lines,
}

impl Found {
    /// Whether every form of the name keeps its exact case and starts with
    /// a capital (see [`source::CAPITALS_ONLY`]): then text that starts
    /// with a lowercase ASCII letter is none of them.
    pub fn needs_a_capital(&self) -> bool {
        self.lines
            .iter()
            .all(|&(_, value)| value & source::CAPITALS_ONLY != 0)
    }
}

/// The `(layer, forms offset)` lines of one [`Found`] name: nearly always
/// one, kept inline; the rest (the same name under another pattern or
/// layer) in a list. A list for every match was an allocation per match.
#[derive(Clone, Debug)]
pub struct Lines {
    first: (u8, u32),
    more: Vec<(u8, u32)>,
}

impl Lines {
    fn new(first: (u8, u32)) -> Lines {
        Lines {
            first,
            more: Vec::new(),
        }
    }

    fn push(&mut self, line: (u8, u32)) {
        self.more.push(line);
    }

    /// Moves `other`'s lines after these.
    fn append(&mut self, other: &mut Lines) {
        self.more.push(other.first);
        self.more.append(&mut other.more);
    }

    pub fn iter(&self) -> impl Iterator<Item = &(u8, u32)> {
        std::iter::once(&self.first).chain(&self.more)
    }
}

/// How many of the latest occurrences a new match with the same span joins
/// (the same name under two patterns of one layer).
const JOIN_WINDOW: usize = 8;

/// Adds a match of `layer`'s names to `found`: to one of the last
/// [`JOIN_WINDOW`] occurrences when it has the same span, else as a new one.
fn add_match(
    found: &mut std::collections::VecDeque<Found>,
    layer: u8,
    span: (usize, usize),
    value: u32,
) {
    let (start, end) = span;
    let line = (layer, value);
    match found
        .iter_mut()
        .rev()
        .take(JOIN_WINDOW)
        .find(|f| f.start == start && f.end == end)
    {
        Some(f) => f.lines.push(line),
        None => found.push_back(Found {
            start,
            end,
            lines: Lines::new(line),
        }),
    }
}

/// The layers searched together: the built-in one and the user's.
pub struct Kb<'k> {
    layers: Vec<&'k Layer>,
}

impl<'k> Kb<'k> {
    pub fn new(builtin: &'k Layer, user: Option<&'k Layer>) -> Kb<'k> {
        let mut layers = vec![builtin];
        layers.extend(user);
        Kb { layers }
    }

    /// Entities and names over all layers.
    pub fn counts(&self) -> (usize, usize) {
        self.layers
            .iter()
            .fold((0, 0), |(e, n), l| (e + l.counts.0, n + l.counts.1))
    }

    pub fn entity(&self, id: EntityId) -> Option<Entity<'k>> {
        self.layers
            .get(id.layer as usize)?
            .entity(id.layer, id.offset)
    }

    pub fn forms(&self, layer: u8, line: u32) -> impl Iterator<Item = Form<'k>> + use<'k> {
        let found = self.layers.get(layer as usize).copied();
        found.into_iter().flat_map(move |l| l.forms(layer, line))
    }

    /// Every occurrence of a known name in `text`, ASCII case ignored,
    /// overlapping ones included, sorted by position. The rule streams them
    /// ([`Kb::for_each_found`]); tests collect them.
    #[cfg(test)]
    pub fn find_all(&self, text: &str) -> Vec<Found> {
        let mut found = Vec::new();
        self.for_each_found(text, |f| found.push(f));
        found
    }

    /// Calls `each` with every occurrence of a known name in `text` (byte
    /// offsets into it), ASCII case ignored, overlapping ones included, in
    /// order of position, without holding them all: in a long chapter most
    /// words are some known name's start, and the list of them all was the
    /// largest allocation of a run. A name that starts with an ASCII letter
    /// is found only where a word starts (see [`word_starts`]).
    /// The text is recased byte by byte as the search reads it rather
    /// than copied: a lowercase copy of a 100 MB chapter was 100 MB.
    pub fn for_each_found(&self, text: &str, each: impl FnMut(Found)) {
        let joins = word_starts::LineJoins::of(text);
        if joins.is_empty() {
            self.for_each_in(
                || word_starts::recased(text),
                |start, end| (start, end),
                each,
            );
        } else {
            // A Windows file's line breaks inside a paragraph, and breaks
            // with spaces around them, read as one space, as a bare line
            // feed does: the stream leaves the other bytes out, and its
            // offsets are mapped back.
            let span = |start, end| (joins.to_text(start), joins.end_to_text(end));
            self.for_each_in(|| joins.stream(text), span, each);
        }
    }

    /// [`Kb::for_each_found`] over the bytes `stream` gives, each match's
    /// span mapped to the text's offsets by `span`.
    fn for_each_in<I: Iterator<Item = u8>>(
        &self,
        stream: impl Fn() -> I,
        span: impl Fn(usize, usize) -> (usize, usize),
        mut each: impl FnMut(Found),
    ) {
        if let [layer] = self.layers[..] {
            // The search reports the names of one place close together:
            // a few kept back are enough to join their lines.
            let mut recent: std::collections::VecDeque<Found> = Default::default();
            layer.names.for_each_match(stream(), |start, end, value| {
                add_match(&mut recent, 0, span(start, end), value);
                if recent.len() > JOIN_WINDOW
                    && let Some(done) = recent.pop_front()
                {
                    each(done);
                }
            });
            recent.into_iter().for_each(each);
            return;
        }
        let mut found: std::collections::VecDeque<Found> = Default::default();
        for (layer, l) in self.layers.iter().enumerate() {
            l.names.for_each_match(stream(), |start, end, value| {
                add_match(&mut found, layer as u8, span(start, end), value);
            });
        }
        let mut found = Vec::from(found);
        found.sort_by_key(|f| (f.start, f.end));
        found.dedup_by(|b, a| {
            if a.start == b.start && a.end == b.end {
                a.lines.append(&mut b.lines);
                true
            } else {
                false
            }
        });
        found.into_iter().for_each(each);
    }

    /// The known multi-word title closest to `title`: at most one edit for
    /// names under 12 characters, two from 12 on, the same first letter and
    /// number of words, and not `title` itself (`None` if it is a known
    /// title). Books win ties, then the earliest.
    pub fn closest_title(&self, title: &str) -> Option<Entity<'k>> {
        let lower = title.to_lowercase();
        let len = lower.chars().count();
        let max = if len >= 12 { 2 } else { 1 };
        let words = lower.split_whitespace().count();
        let first = lower.chars().next();
        let mut best: Option<(usize, bool, i32, EntityId)> = None;
        for (layer, l) in self.layers.iter().enumerate() {
            for line in l.fuzzy_lines(lower.len().saturating_sub(max), lower.len() + max) {
                let Some((name, offset)) = line.split_once('\t') else {
                    continue;
                };
                if name.len() + max < lower.len() || name.len() > lower.len() + max {
                    continue;
                }
                // A slip rarely changes the first letter or the number of
                // words.
                if name.chars().next() != first || name.split_whitespace().count() != words {
                    continue;
                }
                if !may_be_within(&lower, name, max) {
                    continue;
                }
                let distance = strsim::damerau_levenshtein(&lower, name);
                if distance == 0 {
                    return None;
                }
                if distance > max {
                    continue;
                }
                let Ok(offset) = offset.parse() else { continue };
                let Some(entity) = l.entity(layer as u8, offset) else {
                    continue;
                };
                let key = (
                    distance,
                    entity.class != Class::Title(Medium::Book),
                    entity.year,
                    entity.id,
                );
                if best.is_none_or(|b| key < b) {
                    best = Some(key);
                }
            }
        }
        best.and_then(|(_, _, _, id)| self.entity(id))
    }
}

/// Whether `a` and `b` may be within `max` edits of each other, from their
/// letter counts: an insertion or a deletion changes them by one, a
/// substitution by two, a transposition not at all. Checked before the
/// edit distance itself, which allocates, on the many names of the right
/// length that are nothing like the title. Only decides for ASCII text
/// (else `true`: one character is several bytes).
fn may_be_within(a: &str, b: &str, max: usize) -> bool {
    if !a.is_ascii() || !b.is_ascii() {
        return true;
    }
    let mut counts = [0i32; 128];
    for byte in a.bytes() {
        counts[byte as usize] += 1;
    }
    for byte in b.bytes() {
        counts[byte as usize] -= 1;
    }
    let apart: u32 = counts.iter().map(|c| c.unsigned_abs()).sum();
    (apart as usize).div_ceil(2) <= max
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The forms of every name in `found`, as the rule reads them.
    fn forms_of<'k>(kb: &Kb<'k>, found: &[Found]) -> Vec<Form<'k>> {
        found
            .iter()
            .flat_map(|f| f.lines.iter().flat_map(|&(l, o)| kb.forms(l, o)))
            .collect()
    }

    #[test]
    fn letter_counts_never_rule_out_names_within_reach() {
        for (a, b) in [
            ("the lovely bone", "the lovely bones"),
            ("the expansive", "the expanse"),
            ("teh road", "the road"),
            ("the raod", "the road"),
            ("the roam", "the road"),
            ("same", "same"),
        ] {
            let distance = strsim::damerau_levenshtein(a, b);
            assert!(may_be_within(a, b, distance), "{a} / {b}: {distance}");
        }
        assert!(!may_be_within("the road", "the moon", 1));
        assert!(!may_be_within("abcd", "wxyz", 2));
        assert!(may_be_within("café", "cafe", 0), "non-ASCII is not decided");
        // Pseudo-random pairs of short strings over a small alphabet, the
        // same on every run.
        let mut next = crate::testing::pseudo_random(7);
        let mut word = || -> String {
            (0..next(7))
                .map(|_| b"ab c"[next(4) as usize] as char)
                .collect()
        };
        for _ in 0..3_000 {
            let (a, b) = (word(), word());
            let distance = strsim::damerau_levenshtein(&a, &b);
            assert!(may_be_within(&a, &b, distance), "{a:?} / {b:?}: {distance}");
        }
    }

    /// The built-in layer with each search: every test of what is found
    /// runs with both.
    fn kbs() -> [Kb<'static>; 2] {
        [Search::Trie, Search::Automaton].map(|search| {
            let layer = builtin(search).unwrap();
            assert!(matches!(
                (&layer.names, search),
                (Names::Trie(_), Search::Trie) | (Names::Automaton(_), Search::Automaton)
            ));
            Kb::new(layer, None)
        })
    }

    /// A name found: its span and its `(layer, forms line)`s.
    type Named = (usize, usize, Vec<(u8, u32)>);

    /// Every name `kb` finds in `text`, in order.
    fn found(kb: &Kb, text: &str) -> Vec<Named> {
        kb.find_all(text)
            .iter()
            .map(|f| (f.start, f.end, f.lines.iter().copied().collect()))
            .collect()
    }

    #[test]
    fn the_trie_and_the_automaton_find_the_same_names() {
        let [trie, automaton] = kbs();
        let mut texts: Vec<String> = vec![
            "She read The Da Vinci Code on her iPhone 🙂, then googled it.".into(),
            // Names across line breaks, bare and Windows ones.
            "They saw The Catcher in\nthe Rye and Star\r\nWars.\r\n\r\nIt was Jaws.".into(),
            // A name across the trie's window of prose, and one in the next
            // window (a text longer than a window and the longest name).
            format!(
                "{}The Da Vinci Code{} The Da Vinci Code.",
                "x ".repeat(32 * 1024 - 3),
                " x".repeat(4 * 1024)
            ),
            String::new(),
        ];
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        let mut dirs = vec![fixtures];
        let mut books = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "md" || e == "txt")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    texts.push(text);
                }
            }
        }
        for book in std::fs::read_dir(&corpus).into_iter().flatten().flatten() {
            if let Ok(text) = std::fs::read_to_string(book.path().join("chapter-01.txt")) {
                texts.push(text);
                books += 1;
            }
        }
        if books == 0 {
            eprintln!("skipping the corpus: none at {}", corpus.display());
        }
        let mut names = 0;
        for text in &texts {
            let expected = found(&automaton, text);
            names += expected.len();
            assert_eq!(
                found(&trie, text),
                expected,
                "{:?}",
                &text[..text.len().min(200)]
            );
        }
        assert!(names > 1_000, "{names} names found");
    }

    fn all_entities(layer: &Layer) -> Vec<Entity<'_>> {
        let mut out = Vec::new();
        let mut offset = 0;
        while let Some(e) = layer.entity(0, offset as u32) {
            offset += layer.entities[offset..].find('\n').unwrap_or(0) + 1;
            out.push(e);
            if offset >= layer.entities.len() {
                break;
            }
        }
        out
    }

    #[test]
    fn builtin_kb_loads_every_source() {
        let layer = builtin(Search::Trie).expect("built-in KB loads");
        let entities = all_entities(layer);
        assert_eq!(entities.len(), layer.counts.0);
        let count = |class: Class| entities.iter().filter(|e| e.class == class).count();
        assert!(count(Class::Title(Medium::Book)) > 9_000);
        assert!(count(Class::Title(Medium::Film)) > 30_000);
        assert!(count(Class::Title(Medium::Tv)) > 100);
        assert!(count(Class::Emoji) > 1_000);
        assert!(count(Class::Term) > 500);
        let road: Vec<&Entity> = entities
            .iter()
            .filter(|e| e.name == "The Road" && e.kind == "book")
            .collect();
        assert_eq!(road[0].year, 2006);
        assert_eq!(road[0].author_surname, "McCarthy");
    }

    #[test]
    fn names_are_found_with_their_forms() {
        for kb in kbs() {
            let text = "she read the da vinci code.";
            let found = kb.find_all(text);
            let code = found
                .iter()
                .find(|f| &text[f.start..f.end] == "the da vinci code")
                .expect("found");
            let forms = forms_of(&kb, std::slice::from_ref(code));
            assert!(
                forms
                    .iter()
                    .any(|f| f.text == "The Da Vinci Code" && !f.common())
            );
            let entity = kb.entity(forms[0].entity).unwrap();
            assert_eq!((entity.name, entity.year), ("The Da Vinci Code", 2003));
        }
    }

    #[test]
    fn names_are_found_whatever_the_ascii_case_of_the_text() {
        for kb in kbs() {
            let spans = |text: &str| -> Vec<(usize, usize)> {
                kb.find_all(text).iter().map(|f| (f.start, f.end)).collect()
            };
            let mixed = "She read The Da Vinci Code on her iPhone.";
            let found = spans(mixed);
            assert!(found.contains(&(9, 26)), "{found:?}");
            assert!(found.contains(&(34, 40)), "{found:?}");
            assert_eq!(found, spans(&mixed.to_ascii_lowercase()));
            assert_eq!(found, spans(&mixed.to_ascii_uppercase()));
        }
    }

    #[test]
    fn names_starting_with_a_letter_are_found_where_a_word_starts() {
        for kb in kbs() {
            let spans = |text: &str| -> Vec<String> {
                kb.find_all(text)
                    .iter()
                    .map(|f| text[f.start..f.end].to_string())
                    .collect()
            };
            // “iPhone” at the start of the text and after a quote; never inside
            // “xiphoneme” or after “é”, a letter too.
            assert_eq!(spans("iPhone"), ["iPhone"]);
            assert_eq!(spans("“iphone”"), ["iphone"]);
            assert!(!spans("xiphoneme").iter().any(|s| s == "iphone"));
            assert!(!spans("éiphone").iter().any(|s| s == "iphone"));
            // A name of two words is followed across the space.
            let found = spans("read The Da Vinci Code");
            assert!(found.iter().any(|s| s == "The Da Vinci Code"), "{found:?}");
        }
    }

    #[test]
    fn names_kept_in_capitals_are_marked() {
        for kb in kbs() {
            let needs_a_capital = |text: &str| -> Vec<bool> {
                kb.find_all(text)
                    .iter()
                    .filter(|f| f.start == 0 && f.end == text.len())
                    .map(Found::needs_a_capital)
                    .collect()
            };
            // The film *It* and the novel *Jaws* are only ever capitalised;
            // “iPhone” and “Google” are names in any ASCII case.
            assert_eq!(needs_a_capital("it"), [true]);
            assert_eq!(needs_a_capital("jaws"), [true]);
            assert_eq!(needs_a_capital("iphone"), [false]);
            assert_eq!(needs_a_capital("google"), [false]);
            // The marked value still reads its forms.
            let forms = forms_of(&kb, &kb.find_all("It"));
            assert!(forms.iter().any(|f| f.text == "It"), "{forms:?}");
        }
    }

    #[test]
    fn everyday_titles_are_marked() {
        for kb in kbs() {
            let forms = forms_of(&kb, &kb.find_all("green"));
            assert!(forms.iter().any(|f| f.text == "Green" && f.everyday_word()));
        }
    }

    #[test]
    fn near_misses_of_known_titles() {
        for kb in kbs() {
            let name = |t: &str| kb.closest_title(t).map(|e| (e.name, e.year));
            assert_eq!(name("The Lovely Bone"), Some(("The Lovely Bones", 2002)));
            assert_eq!(name("The Expansive"), Some(("The Expanse", 2011)));
            assert_eq!(name("The Lovely Bones"), None);
        }
    }

    #[test]
    fn user_file_errors_name_file_and_line() {
        let err = source::parse_toml(
            "extra.toml",
            "[[entity]]\nname = \"X\"\nkind = \"word\"\nyeer = 2001\n",
        )
        .unwrap_err();
        assert!(err.starts_with("extra.toml:"), "{err}");
        assert!(err.contains("yeer"), "{err}");
    }

    #[test]
    fn distinctive_titles_have_a_rare_word() {
        let zipf = |w: &str| crate::wordfreq::zipf(w);
        assert!(source::is_distinctive("The Da Vinci Code", &zipf));
        assert!(source::is_distinctive("Mistborn", &zipf));
        assert!(!source::is_distinctive("The Road", &zipf));
        assert!(!source::is_distinctive("The Lovely Bones", &zipf));
        assert!(!source::is_distinctive("It", &zipf));
    }
}
