//! `anachronism`: books, films, TV series, products and words later than
//! the story's year.
//!
//! ```text
//! prepare:  story years (year.rs) ──any year?──▶ load the built-in base (kb.rs),
//!           its names as a trie or an automaton by the prose to search (names.rs)
//! check:    per chapter, in parallel: names found by the trie or automaton
//!           ──▶ title context (context.rs) ──▶ the meaning that fits, earliest first
//!           ──▶ later than the story year? ──▶ finding
//! ```

pub mod context;
pub mod kb;
pub mod names;
pub mod source;
pub mod year;

#[cfg(test)]
mod recall;

use std::cell::OnceCell;
use std::collections::HashMap;
use std::sync::LazyLock;

use rayon::prelude::*;
use regex::Regex;
use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::config::shown_year;
use crate::declare_rule;
use crate::diagnostic::{Facts, Finding};
use crate::rule::{Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup};
use crate::text::{Chapter, Manuscript, SourceFormat, Span, word_starts};

use context::{Around, Lead, NameUses};
use kb::{Class, Entity, EntityId, Form, Kb, Layer, Medium};
use year::{ChapterYears, StoryYear, YearSettings};

declare_rule! {
    /// ## What it does
    /// Finds books, films, TV series, products, technologies, brands, emoji
    /// and modern words that did not exist yet in the year the story is set:
    /// *The Da Vinci Code* (2003) on a bookshop table in 1996, a smartphone
    /// in 1987, a detective who “googles” a name in 1954, a family that
    /// watches The Sopranos in 1994.
    ///
    /// The story year of each chapter comes from, in order: `--year` on the
    /// command line; `year = 1996` (TOML `+++`) or `year: 1996` (YAML `---`)
    /// in the chapter's front matter; `[story.chapters]` and `[story]` in
    /// `manulint.toml`; otherwise the text itself: “It was 1996.”, “It was
    /// August of 1987”, “the summer of 1974”, “that autumn of '68”, “in the
    /// April of 1921”, “It was the last Sunday of August, 1987”, “In 1943,
    /// the Navy took the light.” opening a chapter, a dated heading or
    /// dateline (“## March 1944”, “Los Angeles, 1996”, “1987. Los
    /// Angeles.”, “New Year's Eve, 1999”). The
    /// chapter's first statement wins over years remembered later; “back in
    /// 1991”, years said in dialogue and dates in quoted letters or
    /// newspapers count for nothing. A chapter that states no year keeps the
    /// previous chapter's. Chapters with no year from any source are not
    /// checked, and every run says so in one line. A story before the
    /// common era writes its year with its era (`44 BC`, `1300 BCE`; `AD 14`
    /// for an early one), in front matter, `[story]` or `--year`, or as a
    /// negative number (`-44`, as `years = [-1300, -1250]` must), which
    /// draws a note that a minus sign may be a slip. A front-matter `year`
    /// that is no year (`year: 1943a`, `year: August 1943`) is itself a
    /// finding, at the value: it is ignored (the configuration or the text
    /// decides), and a mistyped year should not pass a CI run unnoticed. A
    /// blank one (`year:`, `year: ~`) sets nothing.
    ///
    /// Titles are found as writers type them, with or without italics, when
    /// their context shows they are titles: a verb or noun right before
    /// (“reading The Road”, “a copy of”, “watched”, “an episode of”), a noun
    /// right after (“the Twilight novels”), a record on something that
    /// plays it (“Rubber Soul on the turntable”), the author beside them
    /// (“Gone Girl by Gillian Flynn”, “King's It”, “the Beatles' Revolver”),
    /// a list of titles with a
    /// cue such as “books” or “bestsellers” in the same or the next
    /// sentence, or italics or quotes with a cue nearby (for a book's or a
    /// record's distinctive name, the cue alone). A cue of another medium
    /// only (“played … on the radio”, “read …”) keeps a film's name that a
    /// song or a book shares from being taken on its shape alone. A title that is one everyday
    /// word (*Green*, *Room*, *It*) needs its author, a title noun or verb
    /// beside it, or a list of other titles; quotes are not enough. Written
    /// plainly after a verb of watching, a one-word film or series counts
    /// with a word of the screen nearby (“watched Casablanca at the
    /// cinema”, “watching Friends on the telly”; “tuned in to Dallas” and
    /// “binged” need none), when the book writes that name nowhere but as
    /// a title and it is no given name: “watched Laura at the piano” is
    /// about a person, and “watched Casablanca from the deck” in a book
    /// that sails there about a city. A name
    /// after “ship”, “horse”, “pub” or “called” is a name, not a title.
    /// When several works share a name, the one the context fits is meant,
    /// and the earliest of those: “The Jungle Book” read in 1905 is
    /// Kipling's, not a film. A Title Case near-miss of a known title in a
    /// list of titles or beside a title cue gets “did you mean”. One emoji
    /// repeated (“😂😂😂”, spaces or joiners between) is one finding for
    /// the run.
    ///
    /// In chapters in another language than English (see `[manuscript]
    /// language`), names (products, brands, titles) and emoji are checked,
    /// not the English list of modern words; the year is read in French,
    /// Spanish and German too (“C’était en 1987”, “En el verano de 1974”,
    /// “Im Sommer 1974”).
    ///
    /// ## Why
    /// Period fiction lives on its details, and a reader who knows that
    /// *The Road* came out in 2006 stops believing a 1996 bookshop.
    ///
    /// ## Example
    /// ```text
    /// It was August of 1987.                        ← story year
    /// She texted her brother from the car.          ← flagged: word, 1992
    /// They watched The Sopranos every Sunday.       ← flagged: TV series, 1999
    /// It was cold, and no wonder.                   ← fine: not titles
    /// ```
    ///
    /// ## Options
    /// - `entities` (list of paths, default `[]`): your own TOML files of
    ///   dated entities, relative to `manulint.toml`, each a list of
    ///   `[[entity]]` tables with `name`, `aliases`, `kind` (novel, film,
    ///   tv-series, poem, play, song, technology, product, brand, word,
    ///   event …), `year`, `description`, `author`, `case_sensitive`,
    ///   `ambiguous`, `cues` and `source`.
    /// - `allow` (list of names, default `[]`): names never to flag, with
    ///   their inflections (`"Google"` also covers “googled” and
    ///   “Googling”); case is ignored.
    ///
    /// The story year itself is set with `--year`, front matter, or
    /// `[story]` (`year = 1996` or `years = [1995, 1997]`, plus
    /// `[story.chapters]` `"part-2/*.md" = 2003` overrides).
    pub static META = {
        id: "anachronism",
        category: Chronology,
        severity: Error,
        scope: Manuscript,
        summary: "A book, film, TV series, product or word later than the story's year",
    }
}

pub const FACTORY: RuleFactory = RuleFactory { meta: &META, build };

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct Options {
    entities: Vec<String>,
    allow: Vec<String>,
}

struct Anachronism {
    /// The user's entity files, prepared when the rule is built.
    user: Option<Layer>,
    years: YearSettings,
    /// Lowercase names never to flag.
    allow: Vec<String>,
}

fn build(setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
    let options: Options = setup.options()?;
    let years = YearSettings::from_config(setup.config)?;
    let user = if options.entities.is_empty() {
        None
    } else {
        let root = setup.config.root().map_or_else(
            || std::path::PathBuf::from("."),
            std::path::Path::to_path_buf,
        );
        let mut records = Vec::new();
        for file in &options.entities {
            let path = root.join(file);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read entity file {}: {e}", path.display()))?;
            records.extend(source::parse_toml(&path.display().to_string(), &text)?);
        }
        Some(Layer::from_records(&records)?)
    };
    Ok(Box::new(Anachronism {
        user,
        years,
        allow: options.allow.iter().map(|a| a.to_lowercase()).collect(),
    }))
}

/// The finding for a front-matter year that is no year, at the value, with
/// the year it seems to hold in its help (fixes never edit front matter). A
/// finding, not a note, so that a mistyped year fails a CI run instead of
/// passing it with the chapter's year guessed from its text.
fn unreadable_year_finding(unreadable: year::UnreadableYear) -> Finding {
    let message = format!(
        "the front matter's year “{}” is not a year, so it is ignored",
        unreadable.value
    );
    let help = match unreadable.meant {
        _ if crate::config::WrittenYear::is_zero_with_era(&unreadable.value) => format!(
            "{}; write `year: 1 BC` or `year: AD 1`",
            crate::config::NO_YEAR_ZERO
        ),
        Some(year) => format!("write one number: `year: {year}`"),
        None => "write one number, such as `year: 1887`".to_string(),
    };
    Finding::new(unreadable.chapter, unreadable.span, message)
        .label("not a year")
        .help(help)
}

/// Whether the entity named `name` is `allowed` (both lowercase) or an
/// inflection of it: `allow = ["Google"]` also covers the verb made of the
/// name, “googled”, “googles” and “googling”, which are entities of their
/// own. Only names of three letters or more are inflected.
fn is_form_of(name: &str, allowed: &str) -> bool {
    if name == allowed {
        return true;
    }
    if allowed.chars().count() < 3 {
        return false;
    }
    let stem = allowed.strip_suffix('e').unwrap_or(allowed);
    let ending = |word: &str, endings: &[&str]| {
        name.strip_prefix(word)
            .is_some_and(|rest| endings.contains(&rest))
    };
    ending(allowed, &["s", "es", "d", "ed", "ing", "'s", "’s"]) || ending(stem, &["ed", "ing"])
}

/// The rule's analysis of a manuscript: every chapter's story year.
struct StoryYears(Vec<Result<StoryYear, String>>);

impl Anachronism {
    fn story_years(&self, manuscript: &Manuscript) -> std::sync::Arc<StoryYears> {
        manuscript.shared(&self.story_years_key(), |m| {
            StoryYears(year::resolve(&self.years, m))
        })
    }

    fn story_years_key(&self) -> String {
        format!("anachronism/years/{}", self.years.key())
    }
}

/// How the built-in names are searched for in the chapters with a story
/// year: by the bytes of their prose.
fn names_search(manuscript: &Manuscript, years: &StoryYears) -> kb::Search {
    let prose = manuscript
        .chapters
        .iter()
        .zip(&years.0)
        .filter(|(_, year)| year.is_ok())
        .map(|(chapter, _)| chapter.prose.len())
        .sum();
    kb::Search::for_prose(prose)
}

impl Rule for Anachronism {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    /// Resolves the story years, and loads the built-in knowledge base only
    /// when some chapter has one.
    fn analysis_family(&self) -> Option<&'static str> {
        Some(crate::rule::family::STORY_YEARS)
    }

    fn release_analyses(&self, manuscript: &Manuscript) {
        manuscript.release_shared::<StoryYears>(&self.story_years_key());
    }

    fn prepare(&self, manuscript: &Manuscript) {
        let years = self.story_years(manuscript);
        if years.0.iter().any(Result::is_ok) {
            let _ = kb::builtin(names_search(manuscript, &years));
        }
    }

    fn check_manuscript(&self, manuscript: &Manuscript, ctx: &mut RuleContext) {
        let years = self.story_years(manuscript);
        for unreadable in self.years.unreadable_front_matter(manuscript) {
            ctx.report(unreadable_year_finding(unreadable));
        }
        if let Some(notice) = unchecked_notice(manuscript, &years.0) {
            ctx.notice(notice);
        }
        // Each chapter's year and its dated sections' ("## 1962" in a
        // chapter of 1981).
        let sections: Vec<Option<ChapterYears>> = manuscript
            .chapters
            .par_iter()
            .zip(years.0.par_iter())
            .map(|(chapter, year)| {
                let year = year.as_ref().ok()?.clone();
                Some(year::dated_sections(chapter, year))
            })
            .collect();
        let section_years = sections
            .iter()
            .flatten()
            .flat_map(|years| years.sections.iter().filter_map(|(_, year)| year.as_ref()));
        for notice in unlikely_year_notices(&years.0, section_years) {
            ctx.notice(notice);
        }
        if !years.0.iter().any(Result::is_ok) {
            for reason in years.0.iter().filter_map(|y| y.as_ref().err()) {
                ctx.note(reason.clone());
            }
            return;
        }
        // Loaded in `prepare`; should it not be, load a copy here rather
        // than wait on another thread from inside the pool.
        let loaded;
        let search = names_search(manuscript, &years);
        let builtin = match kb::builtin_if_loaded(search) {
            Some(layer) => layer,
            None => match Layer::load_builtin(search) {
                Ok(layer) => {
                    loaded = layer;
                    &loaded
                }
                Err(err) => {
                    ctx.notice(format!("not run: {err}"));
                    return;
                }
            },
        };
        let other = manuscript
            .chapters
            .iter()
            .zip(&years.0)
            .find(|(c, y)| y.is_ok() && !c.language.is_english());
        if let Some((chapter, _)) = other {
            ctx.notice(format!(
                "in {} text only names (products, brands, titles) and emoji are checked: its list of modern words is English",
                chapter.language.name()
            ));
        }
        let kb = Kb::new(builtin, self.user.as_ref());
        let mut uses = NameUses::default();
        let (entities, names) = kb.counts();
        ctx.note(format!(
            "knowledge base: {entities} entities, {names} names"
        ));
        let mut results: Vec<(Vec<Finding>, String)> = manuscript
            .chapters
            .par_iter()
            .zip(years.0.par_iter())
            .zip(sections.par_iter())
            .map(|((chapter, year), years)| match (year, years) {
                (Ok(year), Some(years)) => (
                    self.check_chapter_at(&kb, &uses, chapter, years),
                    format!(
                        "{}: {}{}",
                        chapter.name(),
                        year.describe(),
                        years.describe_sections(chapter)
                    ),
                ),
                (Err(reason), _) => (Vec::new(), reason.clone()),
                (Ok(_), None) => (Vec::new(), String::new()),
            })
            .collect();
        // The few chapters that watched a one-word title by name are
        // checked again once the book's uses of those names are known.
        let waiting = uses.chapters_waiting();
        if !waiting.is_empty() {
            uses.look_up(manuscript);
            let again: Vec<(usize, Vec<Finding>)> = waiting
                .par_iter()
                .filter_map(|&i| {
                    let years = sections[i].as_ref()?;
                    Some((
                        i,
                        self.check_chapter_at(&kb, &uses, &manuscript.chapters[i], years),
                    ))
                })
                .collect();
            for (i, findings) in again {
                results[i].0 = findings;
            }
        }
        for (findings, note) in results {
            ctx.note(note);
            for finding in findings {
                ctx.report(finding);
            }
        }
    }
}

/// Years no dated name is as late as: from here on nothing can be an
/// anachronism.
const LATER_THAN_ANY_DATE: i32 = 2100;

/// Years no story is likely set in: later than any year the text is read
/// for (see `year::YEAR`), so most likely a slip (`19433`).
const LATER_THAN_ANY_STORY: i32 = 2999;

/// Notices for story years that are likely typos, once each: one later
/// than any story's (`19433`, `10000`), where the rule can find nothing and
/// a run looked clean; a negative one (`-1943`), read as a year before the
/// common era, where everything dated is later; and one of two digits
/// stated in the config, front matter or `--year` (`43`), read as the year
/// 43 where 1943 was likely meant (prose's “in '68” is read as 1968
/// already). A book set wholly in the future (2100–2999) is told once that
/// the rule can find nothing there; one with chapters or dated sections
/// (`section_years`) in the past as well (a prologue in 1969) is not, since
/// the rule is at work in those.
fn unlikely_year_notices<'y>(
    years: &[Result<StoryYear, String>],
    mut section_years: impl Iterator<Item = &'y StoryYear>,
) -> Vec<String> {
    let mut seen: Vec<&StoryYear> = Vec::new();
    let mut notices = Vec::new();
    // Chapters with no year (a prologue not yet dated) are no past; a
    // dated section of the past (“## 1995” in a book of 2187) is.
    let all_in_future = years.iter().any(Result::is_ok)
        && years
            .iter()
            .flatten()
            .all(|y| y.first > LATER_THAN_ANY_DATE)
        && section_years.all(|y| y.first > LATER_THAN_ANY_DATE);
    for year in years.iter().flatten() {
        if seen.contains(&year) {
            continue;
        }
        seen.push(year);
        let what = format!("{} ({})", year.named(), year.source);
        let stated = !year.source.starts_with("inferred");
        if year.first > LATER_THAN_ANY_STORY {
            notices.push(format!(
                "the {what} is later than anything manulint dates, so no anachronism can be found; is it a typo?"
            ));
        } else if year.first > LATER_THAN_ANY_DATE {
            if all_in_future && notices.is_empty() {
                notices.push(format!(
                    "the {what} is later than anything manulint dates, so no anachronism can be found; a story set in the future turns the rule off with `level = \"off\"` under `[rules.anachronism]`"
                ));
            }
        } else if year.first < 0 && stated && !year.era {
            // A minus sign may be a slip; a year written with its era
            // (`44 BC`) is meant.
            notices.push(match year.first == year.last {
                true => format!(
                    "the story year {} ({}) is read as {}, from its minus sign; write {} if that is what you meant, or \"{2}\" to say so",
                    year.first,
                    year.source,
                    shown_year(year.first),
                    year.first.unsigned_abs(),
                ),
                false => format!(
                    "the {what} are read as years before the common era where they have a minus sign; drop the minus signs if that is not what you meant"
                ),
            });
        } else if year.first == 0 && stated {
            notices.push(match year.first == year.last {
                true => format!(
                    "the {what} is no year: 1 BC is followed by AD 1; write the year the story is set in (-1 or \"1 BC\" for 1 BC)"
                ),
                false => format!(
                    "the {what} start at 0, which is no year: 1 BC is followed by AD 1; start them at the year the story begins (-1 for 1 BC, 1 for AD 1)"
                ),
            });
        } else if (1..100).contains(&year.first) && stated && !year.era {
            notices.push(format!(
                "the {what} is read as the year {0}; write the year in full (19{0:02}) if that is what you meant, or \"AD {0}\" to say so",
                year.first
            ));
        }
    }
    notices
}

/// One line for every run, naming the chapters that have no story year.
fn unchecked_notice(
    manuscript: &Manuscript,
    years: &[Result<StoryYear, String>],
) -> Option<String> {
    let missing: Vec<usize> = (0..years.len()).filter(|&i| years[i].is_err()).collect();
    let total = manuscript.chapters.len();
    // Word chapters have no front matter.
    let how = if missing
        .iter()
        .all(|&i| manuscript.chapters[i].format == SourceFormat::Docx)
    {
        "set it with --year, or `[story] year = …` in manulint.toml"
    } else {
        "set it with --year, `year: …` in the front matter, or `[story] year = …` in manulint.toml"
    };
    let name = |i: usize| manuscript.chapters[i].name();
    // With no year anywhere, the story may be set in none (an invented
    // world): say how to stop the note.
    const NO_YEAR: &str = "a story set in no year turns the rule off with `level = \"off\"` under `[rules.anachronism]`";
    match missing.len() {
        0 => None,
        n if n == total && n > 1 => Some(format!(
            "no story year in any of the {n} chapters, so none was checked for anachronisms; {how}; {NO_YEAR}"
        )),
        1 if total == 1 => Some(format!(
            "no story year in {}, so it was not checked for anachronisms; {how}; {NO_YEAR}",
            name(missing[0])
        )),
        1 => Some(format!(
            "no story year in {}, so it was not checked for anachronisms; {how}",
            name(missing[0])
        )),
        n => {
            let contiguous = missing.windows(2).all(|w| w[1] == w[0] + 1);
            let names = if n <= 4 {
                let names: Vec<String> = missing.iter().map(|&i| name(i)).collect();
                names.join(", ")
            } else if contiguous {
                format!("{} … {}", name(missing[0]), name(missing[n - 1]))
            } else {
                let names: Vec<String> = missing.iter().take(3).map(|&i| name(i)).collect();
                format!("{} and {} more", names.join(", "), n - 3)
            };
            Some(format!(
                "no story year in {names} ({n} of {total} chapters), so they were not checked for anachronisms; {how}"
            ))
        }
    }
}

/// Whether `typed` is the title `known` with only its small words
/// capitalised another way (“Gone With the Wind”, “Of Mice And Men”):
/// title case capitalises short prepositions and conjunctions by one
/// style and not by another, and writers type both. Every other word, and
/// the first, keeps its exact capitals (“To Kill A Mockingbird” is the
/// title, “gone with the wind” is not).
fn same_title(known: &str, typed: &str) -> bool {
    const SMALL: [&str; 22] = [
        "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on",
        "or", "over", "the", "to", "up", "upon", "with", "without",
    ];
    if !known.contains(' ') || known.len() != typed.len() {
        return false;
    }
    let mut words = known.split(' ').zip(typed.split(' '));
    words.next().is_some_and(|(k, t)| k == t)
        && words.all(|(k, t)| {
            k == t
                || (k.eq_ignore_ascii_case(t)
                    && SMALL.iter().any(|small| small.eq_ignore_ascii_case(k)))
        })
}

/// True for text without letters or digits: an emoji.
fn is_emoji(text: &str) -> bool {
    !text.chars().any(char::is_alphanumeric)
}

/// A name found in the text.
struct Hit {
    span: Span,
    /// The forms spelled as found (exact case where the entity needs it),
    /// nearly always one: `[start, end)` in the chapter's list of forms
    /// (see [`Hit::forms`]). A chapter's hits are held together, one per
    /// known name in it: a list of forms for each was a quarter of a
    /// million allocations in a long chapter.
    forms: (u32, u32),
    formatted: bool,
    /// Has a title form.
    title: bool,
    /// The entity it stands for, once accepted.
    entity: Option<EntityId>,
}

impl Hit {
    /// Its forms in `all`, the chapter's list they were pushed to.
    fn forms<'a, 'k>(&self, all: &'a [Form<'k>]) -> &'a [Form<'k>] {
        &all[self.forms.0 as usize..self.forms.1 as usize]
    }
}

/// Per-chapter state shared by the checks of its names: lists of titles by
/// sentence.
struct Lists {
    /// sentence -> (item spans of valid lists, unknown items of them)
    by_sentence: HashMap<usize, (Vec<Span>, Vec<Span>)>,
}

/// What the checks of one chapter's titles read beyond a name's own
/// sentence.
struct ChapterCues<'a> {
    lists: &'a Lists,
    /// Whether an italicised or quoted name stands among others.
    formatted_list: &'a dyn Fn(Span) -> bool,
    /// How the whole book uses a one-word name.
    uses: &'a NameUses,
}

impl Anachronism {
    fn check_chapter_at(
        &self,
        kb: &Kb,
        uses: &NameUses,
        chapter: &Chapter,
        years: &ChapterYears,
    ) -> Vec<Finding> {
        let english = chapter.language.is_english();
        let prose: &str = &chapter.prose;
        let mut hits: Vec<Hit> = Vec::new();
        let mut forms: Vec<Form> = Vec::new();
        // Each forms line read so far: `[start, end)` in `read`. A chapter
        // finds the same few names (“It”, “Her”) hundreds of times, and
        // reading a line parses its numbers again.
        let mut lines: FxHashMap<(u8, u32), (u32, u32)> = FxHashMap::default();
        let mut read: Vec<Form> = Vec::new();
        kb.for_each_found(prose, |found| {
            let (start, end) = (found.start, found.end);
            // “it” for the film *It*: most matches in prose are such words,
            // passed over here rather than by reading their forms below.
            if found.needs_a_capital()
                && prose
                    .as_bytes()
                    .get(start)
                    .is_some_and(u8::is_ascii_lowercase)
            {
                return;
            }
            if !prose.is_char_boundary(start) || !prose.is_char_boundary(end) {
                return;
            }
            // A name wrapped onto the next line reads with a space there,
            // as the search read it (see `text::word_starts`).
            let text = word_starts::on_one_line(&prose[start..end]);
            let text = &*text;
            // Emoji stand alone; names are whole words.
            if text.chars().any(char::is_alphanumeric) && !is_boundary(prose, start, end) {
                return;
            }
            // The list of modern words (“googled”, “selfie”) is English:
            // in other languages only names and emoji are looked for.
            if !english && !text.chars().any(char::is_uppercase) && !is_emoji(text) {
                return;
            }
            let first = forms.len();
            for &(layer, line) in found.lines.iter() {
                let (from, to) = *lines.entry((layer, line)).or_insert_with(|| {
                    let from = read.len() as u32;
                    read.extend(kb.forms(layer, line));
                    (from, read.len() as u32)
                });
                forms.extend(read[from as usize..to as usize].iter().filter(|f| {
                    f.text == text
                        || (f.flags & source::EXACT_CASE == 0 && f.text.eq_ignore_ascii_case(text))
                        || (f.flags & source::TITLE != 0 && same_title(f.text, text))
                }));
            }
            if forms.len() == first {
                return;
            }
            let title = forms[first..].iter().any(|f| f.flags & source::TITLE != 0);
            hits.push(Hit {
                span: Span::new(start, end),
                forms: (first as u32, forms.len() as u32),
                formatted: is_formatted(&chapter.text, start, end),
                title,
                entity: None,
            });
        });

        let lists = self.lists(chapter, &hits, &forms);
        // Italicised or quoted titles, for lists of them: (first word, span).
        let mut formatted_titles: Vec<(usize, Span)> = hits
            .iter()
            .filter(|h| h.title && h.formatted)
            .map(|h| {
                (
                    chapter.words.partition_point(|w| w.start < h.span.start),
                    h.span,
                )
            })
            .collect();
        // By word, for the window below (names come in order of their ends).
        formatted_titles.sort_by_key(|&(word, _)| word);
        let formatted_list = |span: Span| {
            let word = chapter.words.partition_point(|w| w.start < span.start);
            let block = chapter.blocks.partition_point(|b| b.span.end <= span.start);
            // Only the titles within the window: `formatted_titles` is in
            // word order, and scanning all of them for every name was
            // quadratic in a long chapter.
            let from = formatted_titles.partition_point(|&(w, _)| w + context::LIST_WINDOW < word);
            formatted_titles[from..]
                .iter()
                .take_while(|&&(w, _)| w <= word + context::LIST_WINDOW)
                .any(|&(w, s)| {
                    w.abs_diff(word) <= context::LIST_WINDOW
                        && (s.end <= span.start || s.start >= span.end)
                        && chapter.blocks.partition_point(|b| b.span.end <= s.start) == block
                        && !prose[s.range()].eq_ignore_ascii_case(&prose[span.range()])
                })
        };

        let cues = ChapterCues {
            lists: &lists,
            formatted_list: &formatted_list,
            uses,
        };
        for hit in &mut hits {
            hit.entity = self.meaning(kb, chapter, hit, &forms, &cues);
        }

        // The longest accepted name wins where names overlap.
        let mut accepted: Vec<&Hit> = hits.iter().filter(|h| h.entity.is_some()).collect();
        accepted.sort_by_key(|h| (h.span.start, std::cmp::Reverse(h.span.end)));
        let mut kept: Vec<&Hit> = Vec::new();
        for hit in accepted {
            if kept.last().is_some_and(|k| k.span.end > hit.span.start) {
                continue;
            }
            kept.push(hit);
        }

        let mut findings = Vec::new();
        let mut at = 0;
        while at < kept.len() {
            let hit = kept[at];
            let run = emoji_run(prose, &kept[at..]);
            at += run;
            let Some(entity) = hit.entity.and_then(|id| kb.entity(id)) else {
                continue;
            };
            let year = years.at(hit.span.start);
            if entity.year <= year.last || self.allowed(&entity) {
                continue;
            }
            // Modern English words (“Software” is a German noun too).
            if !english && entity.kind == "word" {
                continue;
            }
            let mut found = finding(chapter, hit.span, &entity, year);
            if run > 1 {
                found.primary.span.end = kept[at - 1].span.end;
                found.message = run_message(chapter, hit.span, run, &entity, year);
            }
            findings.push(found);
        }
        if english {
            findings.extend(self.near_misses(kb, chapter, years, &hits, &lists, &formatted_list));
        }
        findings.sort_by_key(|f| f.primary.span.start);
        findings
    }

    /// The lists of titles in the sentences that hold a title: items of
    /// lists with two known titles (one of them more than one everyday
    /// word), and the unknown items of those lists.
    fn lists(&self, chapter: &Chapter, hits: &[Hit], forms: &[Form]) -> Lists {
        let mut by_sentence = HashMap::new();
        // The title hits by start, so a sentence looks only at its own.
        let mut by_start: Vec<(u32, u32)> = hits
            .iter()
            .enumerate()
            .filter(|(_, h)| h.title)
            .map(|(i, h)| (h.span.start, i as u32))
            .collect();
        by_start.sort_unstable();
        // In order of start, a sentence's title hits come together: each
        // sentence is read once, and only one with a list is kept (a chapter
        // can have a title in every other sentence).
        let mut last_sentence = None;
        for &(_, hit) in &by_start {
            let Some(around) = Around::new(chapter, hits[hit as usize].span) else {
                continue;
            };
            if last_sentence.replace(around.sentence) == Some(around.sentence) {
                continue;
            }
            let sentence = chapter.sentences[around.sentence].span;
            let from = by_start.partition_point(|&(start, _)| start < sentence.start);
            let to = by_start.partition_point(|&(start, _)| start < sentence.end);
            let mut in_sentence: Vec<usize> = by_start[from..to]
                .iter()
                .map(|&(_, i)| i as usize)
                .collect();
            in_sentence.sort_unstable();
            // A list is kept only with two titles in it, one of them more
            // than an everyday word (below). Most sentences with a title
            // in them ("It", "Her") have neither, and reading them for
            // lists was nearly all of this function's time.
            if in_sentence.len() < 2
                || !in_sentence
                    .iter()
                    .any(|&i| hits[i].forms(forms).iter().any(|f| !f.everyday_word()))
            {
                continue;
            }
            let mut known = Vec::new();
            let mut unknown = Vec::new();
            for list in context::title_lists(chapter, around.sentence) {
                // A list item lies inside its sentence, so the hits that are
                // items start there (in hit order, as before).
                let titles: Vec<&Hit> = in_sentence
                    .iter()
                    .map(|&i| &hits[i])
                    .filter(|h| list.iter().any(|i| i.span == h.span))
                    .collect();
                let mut independent: Vec<&Hit> = Vec::new();
                for t in &titles {
                    if !independent
                        .iter()
                        .any(|o| o.span.start < t.span.end && t.span.start < o.span.end)
                    {
                        independent.push(t);
                    }
                }
                let strong = independent
                    .iter()
                    .any(|h| h.forms(forms).iter().any(|f| !f.everyday_word()));
                if independent.len() < 2 || !strong {
                    continue;
                }
                known.extend(titles.iter().map(|h| h.span));
                unknown.extend(
                    list.iter()
                        .filter(|i| i.words >= 2)
                        .filter(|i| {
                            !titles
                                .iter()
                                .any(|h| h.span.start < i.span.end && i.span.start < h.span.end)
                        })
                        .map(|i| i.span),
                );
            }
            if !known.is_empty() || !unknown.is_empty() {
                by_sentence.insert(around.sentence, (known, unknown));
            }
        }
        Lists { by_sentence }
    }

    /// The entity a name stands for here, if any: among the meanings its
    /// context accepts, one named by its own cues or author, else the
    /// earliest.
    fn meaning(
        &self,
        kb: &Kb,
        chapter: &Chapter,
        hit: &Hit,
        forms: &[Form],
        cues: &ChapterCues,
    ) -> Option<EntityId> {
        let prose: &str = &chapter.prose;
        let found = &prose[hit.span.range()];
        let around: OnceCell<Option<Around>> = OnceCell::new();
        let around = || {
            around
                .get_or_init(|| Around::new(chapter, hit.span))
                .as_ref()
        };
        let mut best: Option<(Evidence, i32, EntityId)> = None;
        for form in hit.forms(forms) {
            let Some(entity) = kb.entity(form.entity) else {
                continue;
            };
            // "LED", "AIM" inside a line of capitals ("HE LED THEM") are
            // ordinary words shouted, not acronyms.
            if is_acronym(found) && in_capitals(prose, hit.span) {
                continue;
            }
            let own_cue =
                || around().is_some_and(|a| a.loose_cue(entity.cues(), entity.author_surname));
            let evidence = match entity.class {
                Class::Emoji => Some(Evidence::General),
                Class::Term if !entity.ambiguous => Some(Evidence::General),
                Class::Term => own_cue().then_some(Evidence::Named),
                Class::Title(medium) => around().and_then(|a| {
                    let evidence = title_accepted(a, hit, form, &entity, medium, cues)?;
                    let own = entity.cues().next().is_some() && own_cue();
                    Some(if own { Evidence::Named } else { evidence })
                }),
            };
            let Some(evidence) = evidence else {
                continue;
            };
            // Context that names this meaning wins, then a title cue of its
            // medium; then the earliest.
            let key = (evidence, entity.year, entity.id);
            if best.is_none_or(|b| key < b) {
                best = Some(key);
            }
        }
        best.map(|(_, _, id)| id)
    }

    fn allowed(&self, entity: &Entity) -> bool {
        let name = entity.name.to_lowercase();
        self.allow.iter().any(|allowed| is_form_of(&name, allowed))
    }

    /// Title Case near-misses of known multi-word titles in a real title
    /// context: italicised or quoted beside other titles or a title cue, or
    /// an unknown item of a list of titles.
    fn near_misses(
        &self,
        kb: &Kb,
        chapter: &Chapter,
        years: &ChapterYears,
        hits: &[Hit],
        lists: &Lists,
        formatted_list: &dyn Fn(Span) -> bool,
    ) -> Vec<Finding> {
        let mut candidates: Vec<Span> = lists
            .by_sentence
            .values()
            .flat_map(|(_, unknown)| unknown.iter().copied())
            .collect();
        for block in chapter.paragraphs() {
            let text = &chapter.text[block.span.range()];
            // `find_iter` and trimming the marks by hand: a search with
            // capture groups costs several times as much.
            for m in formatted_runs(text) {
                let (inner_start, title) = strip_marks(m.as_str());
                let title = title.trim_end_matches([',', '.', '!', '?', ';', ':']);
                if title.len() > 80 {
                    continue;
                }
                let words = title.split_whitespace().count();
                if !(2..=8).contains(&words) || !is_title_case(title) {
                    continue;
                }
                let start = block.span.start as usize + m.start() + inner_start;
                let span = Span::new(start, start + title.len());
                // Prose only (not code).
                if chapter.prose[span.range()] != *title {
                    continue;
                }
                let Some(around) = Around::new(chapter, span) else {
                    continue;
                };
                let beside = [Medium::Book, Medium::Film, Medium::Tv]
                    .into_iter()
                    .any(|m| around.lead(m, "").is_some() || around.trail_noun(m).is_some());
                if beside || formatted_list(span) {
                    candidates.push(span);
                }
            }
        }
        candidates.sort_by_key(|s| (s.start, s.end));
        candidates.dedup();
        // The names found, by start: a candidate looks only at those that
        // can reach it (scanning all of them for each was quadratic).
        let mut by_start: Vec<&Hit> = hits.iter().collect();
        by_start.sort_by_key(|h| h.span.start);
        let longest = hits
            .iter()
            .map(|h| h.span.end - h.span.start)
            .max()
            .unwrap_or(0);
        let mut findings = Vec::new();
        for span in candidates {
            let from = by_start.partition_point(|h| h.span.start + longest < span.start);
            let to = by_start.partition_point(|h| h.span.start < span.end);
            // Not a name we know already.
            if by_start[from..to].iter().any(|h| {
                h.span == span
                    || (h.entity.is_some() && h.span.start < span.end && span.start < h.span.end)
            }) {
                continue;
            }
            let title = &chapter.prose[span.range()];
            let Some(entity) = kb.closest_title(title) else {
                continue;
            };
            let year = years.at(span.start);
            if entity.year <= year.last || self.allowed(&entity) {
                continue;
            }
            findings.push(
                Finding::new(
                    chapter.index,
                    span,
                    format!(
                        "“{title}”: did you mean {} ({}, {})? It is later than the {}",
                        entity.display_name(),
                        entity.kind_label(),
                        entity.year,
                        year.describe()
                    ),
                )
                .label(format!("{}, {}", entity.description, entity.year))
                .help(HELP)
                .facts(facts(&entity, year)),
            );
        }
        findings
    }
}

/// The year films began to talk: before it, a title “seen” is as likely
/// the play a film was made of (see [`context::Around::seeing_lead`]).
const SOUND_FILMS: i32 = 1930;

/// How strongly the context names one meaning of a name; the strongest
/// wins, then the earliest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Evidence {
    /// Its own cues (“sank” for the ship) or its author beside it.
    Named,
    /// A title cue of its medium beside it, or a list of its kind.
    Specific,
    /// Anything else that accepts it: a cue nearby, italics, its shape.
    General,
}

/// Whether the context around a title accepts it (see [`context`]), and
/// how specifically.
fn title_accepted(
    a: &Around,
    hit: &Hit,
    form: &Form,
    entity: &Entity,
    medium: Medium,
    cues: &ChapterCues,
) -> Option<Evidence> {
    let ChapterCues {
        lists,
        formatted_list,
        uses,
    } = *cues;
    let f = hit.formatted;
    let surname = entity.author_surname;
    let lead = a.lead(medium, surname);
    let trail = a.trail_noun(medium);
    let by_author = a.by_author(surname);
    let author = lead == Some(Lead::Author) || by_author;
    let strong = lead == Some(Lead::Noun) || author;
    let on_a_player = medium == Medium::Album && a.on_a_player();
    // Ships, houses, horses and pubs: a name, unless a title noun or the
    // author is beside it.
    if !strong && a.naming() {
        return None;
    }
    // “went to see Hamlet” is the play, but “went to see The Godfather at
    // the drive-in” the film, whatever the book's year.
    if medium == Medium::Book
        && lead == Some(Lead::Verb)
        && a.viewing_lead(Medium::Film) == Some("went to see")
        && a.screen_cue()
    {
        return None;
    }
    let seeing = lead.is_none() && a.seeing_lead(medium, entity.year >= SOUND_FILMS);
    let verb = (lead == Some(Lead::Verb) || seeing) && (f || a.object_continues());
    let in_list = || {
        lists
            .by_sentence
            .get(&a.sentence)
            .is_some_and(|(known, _)| known.contains(&hit.span))
            && context::list_cue(a.chapter(), a.sentence, medium)
    };
    let cues = || {
        context::medium_cues(medium)
            .iter()
            .copied()
            .chain(entity.cues())
            .collect::<Vec<&str>>()
    };
    let loose = || a.loose_cue(cues(), surname);
    let specific = if author {
        Evidence::Named
    } else {
        Evidence::Specific
    };
    if form.everyday_word() {
        // One English word: its capital must mean something, and quotes
        // alone are not enough.
        if !f && a.sentence_initial() {
            return None;
        }
        if strong
            || on_a_player
            || trail == Some(true)
            || (f && verb)
            || (verb && medium == Medium::Book && a.reading_lead())
            || (verb && watched_by_name(a, hit, medium, uses))
            || in_list()
        {
            return Some(specific);
        }
        return (f && formatted_list(hit.span) && loose()).then_some(Evidence::General);
    }
    if strong || on_a_player || verb || trail.is_some() || in_list() {
        return Some(specific);
    }
    // A cue of another medium only (“played … on the radio”, “read …”)
    // says the name is some other work: a film's name that a song or a
    // book shares is not accepted on its shape or a loose cue alone.
    let cue_of = |m: Medium| {
        a.lead(m, "").is_some()
            || a.trail_noun(m).is_some()
            || (m == Medium::Album && a.on_a_player())
    };
    let other_medium_cue = || Medium::ALL.into_iter().any(|m| m != medium && cue_of(m));
    if other_medium_cue() && !cue_of(medium) {
        return None;
    }
    let distinctive = !form.common();
    // A book's or a record's distinctive name needs only a word of its
    // medium nearby (“the record player, where Tubular Bells turned”); a
    // film's or a show's names are a random sample, many of them names of
    // people and places.
    let accepted = if matches!(medium, Medium::Book | Medium::Album) && distinctive {
        f || loose() || a.title_shape(true)
    } else {
        (f && loose()) || a.title_shape(distinctive)
    };
    accepted.then_some(Evidence::General)
}

/// “watched Casablanca at the cinema”, “tuned in to Dallas every
/// Friday”: a one-word film or series written with its capital right
/// after a verb of watching, followed by what follows a screening, with a
/// word of the screen nearby unless the verb is one people are not the
/// object of (“tuned in to”, “binged”), and nowhere in the book as
/// anything else (a person watched, a city); no given name.
fn watched_by_name(a: &Around, hit: &Hit, medium: Medium, uses: &NameUses) -> bool {
    let name = &a.chapter().prose[hit.span.range()];
    let Some(lead) = a.viewing_lead(medium) else {
        return false;
    };
    a.screening_continues()
        && name.chars().next().is_some_and(char::is_uppercase)
        && (context::SCREEN_ONLY_LEADS.contains(&lead) || a.screen_cue())
        && uses.only_as_title(name, a.chapter().index)
}

const HELP: &str = "check the reference against the story's year; if the year is wrong, \
                    set it with --year, `year = …` in the chapter's front matter, or [story] in manulint.toml; \
                    if the reference is deliberate (a flash-forward, a frame narrator), put \
                    `manulint-disable-next anachronism` before its paragraph";

/// [`HELP`] for a Word chapter, which has no front matter and takes its
/// directives in comments (see docs/docx.md).
const HELP_IN_WORD: &str = "check the reference against the story's year; if the year is wrong, \
                    set it with --year, or [story] (or [story.chapters]) in manulint.toml; \
                    if the reference is deliberate (a flash-forward, a frame narrator), add a \
                    Word comment reading `manulint-disable-next anachronism` on its paragraph";

fn finding(chapter: &Chapter, span: Span, entity: &Entity, year: &StoryYear) -> Finding {
    // As one line: a name wrapped onto the next line is shown as a reader
    // sees it.
    // The prose, where a quoted line's `>` is blanked.
    let found = word_starts::on_one_line(&chapter.prose[span.range()]);
    let found = &*found;
    let shown = match entity.class {
        Class::Title(_) => format!("*{found}*"),
        _ => format!("“{found}”"),
    };
    // Name the full title when the text used a short form ("Mistborn").
    let label = if found == entity.name {
        format!("{}, {}", entity.description, entity.year)
    } else {
        format!(
            "{}: {}, {}",
            entity.display_name(),
            entity.description,
            entity.year
        )
    };
    Finding::new(
        chapter.index,
        span,
        format!(
            "{shown} ({}, {}) is later than the {}",
            entity.kind_label(),
            entity.year,
            year.describe()
        ),
    )
    .label(label)
    .help(if chapter.format == SourceFormat::Docx {
        HELP_IN_WORD
    } else {
        HELP
    })
    .facts(facts(entity, year))
}

/// How many of `hits` (at least one) are the first one's emoji again and
/// again, with nothing between them but spaces, joiners and variation
/// selectors (“😂😂😂”, “🎉 🎉 🎉”): one finding for the run, where each
/// emoji was its own (a line of 90,000 emoji made 30,000 findings).
fn emoji_run(prose: &str, hits: &[&Hit]) -> usize {
    let first = hits[0];
    if first.entity.is_none() || !is_emoji(&prose[first.span.range()]) {
        return 1;
    }
    let mut end = first.span.end;
    let mut run = 1;
    for next in &hits[1..] {
        let gap = prose.get(end as usize..next.span.start as usize);
        let joined = gap.is_some_and(|gap| {
            gap.chars()
                .all(|c| matches!(c, ' ' | '\u{200D}' | '\u{FE0E}' | '\u{FE0F}'))
        });
        if !joined || next.entity != first.entity {
            break;
        }
        end = next.span.end;
        run += 1;
    }
    run
}

/// The message of a run of `count` of one emoji (see [`emoji_run`]),
/// naming it once: “😂” 12 times in a row (emoji, 2010) is later than ….
fn run_message(
    chapter: &Chapter,
    first: Span,
    count: usize,
    entity: &Entity,
    year: &StoryYear,
) -> String {
    let times = match count {
        2 => "twice".to_string(),
        _ => format!("{count} times"),
    };
    format!(
        "“{}” {times} in a row ({}, {}) is later than the {}",
        chapter.slice(first),
        entity.kind_label(),
        entity.year,
        year.describe()
    )
}

/// The finding's facts for reports: the thing, its year, the story year.
fn facts(entity: &Entity, year: &StoryYear) -> Facts {
    Facts::Anachronism {
        name: entity.name.to_string(),
        thing: entity.kind.to_string(),
        year: entity.year,
        story_year: year.last,
        story_year_source: year.source.clone(),
    }
}

/// The text inside italics marks or quotes, and its offset in `run`.
fn strip_marks(run: &str) -> (usize, &str) {
    let inner = run.trim_start_matches(['*', '_', '“', '"']);
    let start = run.len() - inner.len();
    (start, inner.trim_end_matches(['*', '_', '”', '"']))
}

/// `*Title*`, `_Title_`, `“Title”` or `"Title"` (commas inside quotes too);
/// `_Title_` only between word boundaries, which [`formatted_runs`] checks.
static FORMATTED_RUN: LazyLock<Regex> = LazyLock::new(|| {
    // The classes exclude the closing marks, so greedy runs stop at the
    // first one; no counted repetition keeps the automaton small. No `\b`
    // either: a Unicode word boundary in prose with curly quotes sent the
    // search from the fast DFA to a backtracker.
    Regex::new(r#"\*{1,2}[^*_\n]{3,}\*{1,2}|_[^*_\n]{3,}_|[“"][^”"\n]{3,}[”"]"#)
        .expect("static regex")
});

/// The matches of [`FORMATTED_RUN`] in `text`, with `_Title_` only where no
/// word character is right before or after it: the matches of the pattern
/// `\b_[^*_\n]{3,}_\b` in that branch. A run without them is no match at
/// its `_`, and the search goes on from the next character, as the regex
/// would (no other branch starts at `_`). Found as they are read, not
/// listed: a long block holds a quoted run for every line of dialogue.
fn formatted_runs(text: &str) -> impl Iterator<Item = regex::Match<'_>> {
    let word = |c: Option<char>| c.is_some_and(regex_syntax::is_word_character);
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(m) = FORMATTED_RUN.find_at(text, at) {
            if m.as_str().starts_with('_')
                && (word(text[..m.start()].chars().next_back())
                    || word(text[m.end()..].chars().next()))
            {
                at = m.start() + 1;
                continue;
            }
            at = m.end();
            return Some(m);
        }
        None
    })
}

fn is_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

fn is_acronym(name: &str) -> bool {
    name.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !name.chars().any(char::is_lowercase)
}

/// True when the word before or after `span` on its line is in capitals too.
fn in_capitals(prose: &str, span: Span) -> bool {
    let line_start = prose[..span.start as usize]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line_end = prose[span.end as usize..]
        .find('\n')
        .map_or(prose.len(), |i| span.end as usize + i);
    let before = prose[line_start..span.start as usize]
        .split(|c: char| !c.is_alphabetic())
        .rfind(|w| !w.is_empty());
    let after = prose[span.end as usize..line_end]
        .split(|c: char| !c.is_alphabetic())
        .find(|w| !w.is_empty());
    [before, after]
        .into_iter()
        .flatten()
        .any(|w| w.chars().count() >= 2 && !w.chars().any(char::is_lowercase))
}

/// "The Lovely Bone": the first word and every word longer than three
/// letters capitalised.
fn is_title_case(title: &str) -> bool {
    title.split_whitespace().enumerate().all(|(i, word)| {
        let upper = word.chars().next().is_some_and(char::is_uppercase);
        upper || (i > 0 && word.chars().count() <= 3)
    })
}

/// True when the name is wrapped in italics markers or quotes in the
/// original text.
fn is_formatted(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let mut after_text = &text[end..];
    if let Some(c) = after_text.chars().next()
        && matches!(c, ',' | '.' | '!' | '?' | ';' | ':')
    {
        after_text = &after_text[c.len_utf8()..];
    }
    let after = after_text.chars().next();
    matches!(
        (before, after),
        (Some('*'), Some('*'))
            | (Some('_'), Some('_'))
            | (Some('“'), Some('”'))
            | (Some('"'), Some('"'))
            | (Some('‘'), Some('’'))
    )
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::Config;
    use crate::testing::{check_rule, render_human, run_rule_with_config};

    const BESTSELLERS_1: &str =
        include_str!("../../../fixtures/anachronisms/bestsellers-1996/chapter-01.md");
    const BESTSELLERS_2: &str =
        include_str!("../../../fixtures/anachronisms/bestsellers-1996/chapter-02.md");
    const PHONE_1987: &str =
        include_str!("../../../fixtures/anachronisms/front-matter-1987/chapter-03.md");
    const QUIET_1954: &str =
        include_str!("../../../fixtures/anachronisms/quiet-1954/chapter-01.txt");
    const READING_1954: &str =
        include_str!("../../../fixtures/anachronisms/reading-1954/chapter-01.md");
    const MISSPELLED_1999: &str =
        include_str!("../../../fixtures/anachronisms/misspelled-1999/chapter-01.md");

    /// The built-in names are searched with the trie for up to a megabyte
    /// of prose in chapters with a story year, and with the automaton
    /// from there on; chapters without a year do not count.
    #[test]
    fn the_names_search_follows_the_prose_with_a_story_year() {
        use super::kb::Search;
        let rule = super::Anachronism {
            user: None,
            years: super::YearSettings::from_config(&Config::default()).unwrap(),
            allow: Vec::new(),
        };
        let search = |chapters: &[(&str, &str)]| {
            let manuscript = crate::testing::manuscript(chapters);
            super::names_search(&manuscript, &rule.story_years(&manuscript))
        };
        let dated = "## Boston, March 1952\n\nShe took the train.\n";
        let filler = "She took the train and read the paper. ".repeat(30_000);
        let long_dated = format!("{dated}\n{filler}\n");
        let long_undated = format!("{filler}\n");
        assert!(long_dated.len() > Search::AUTOMATON_FROM);
        assert_eq!(search(&[("c.md", dated)]), Search::Trie);
        assert_eq!(search(&[("c.md", &long_dated)]), Search::Automaton);
        // A year carries on into the chapters after it, not before.
        assert_eq!(
            search(&[("a.md", dated), ("b.md", &long_undated)]),
            Search::Automaton
        );
        assert_eq!(
            search(&[("a.md", &long_undated), ("b.md", dated)]),
            Search::Trie
        );
        assert_eq!(Search::for_prose(Search::AUTOMATON_FROM - 1), Search::Trie);
        assert_eq!(Search::for_prose(Search::AUTOMATON_FROM), Search::Automaton);
    }

    /// The formatted runs are the matches of the pattern with its word
    /// boundaries around `_Title_`, on random text of marks, letters (an
    /// accented one and a digit among them, word characters both) and
    /// spaces.
    #[test]
    fn formatted_runs_are_the_word_bounded_matches() {
        let bounded =
            regex::Regex::new(r#"\*{1,2}[^*_\n]{3,}\*{1,2}|\b_[^*_\n]{3,}_\b|[“"][^”"\n]{3,}[”"]"#)
                .unwrap();
        const PIECES: &[&str] = &[
            "_", "__", "*", "**", "“", "”", "\"", "a", "Tom", "é", "7", " ", ",", "\n", "’",
        ];
        let mut random = crate::testing::Xorshift::new();
        let mut underscored = 0;
        for _ in 0..40_000 {
            let len = (random.next() % 16) as usize;
            let text: String = (0..len).map(|_| *random.pick(PIECES)).collect();
            let got: Vec<(usize, usize)> = super::formatted_runs(&text)
                .map(|m| (m.start(), m.end()))
                .collect();
            let expected: Vec<(usize, usize)> = bounded
                .find_iter(&text)
                .map(|m| (m.start(), m.end()))
                .collect();
            assert_eq!(got, expected, "{text:?}");
            underscored += expected.iter().any(|&(s, _)| text[s..].starts_with('_')) as usize;
        }
        // `_…_` runs were among them.
        assert!(underscored > 200, "{underscored}");
    }

    fn found(chapters: &[(&str, &str)], config: &Config) -> Vec<(String, usize, usize, String)> {
        let (ms, diagnostics) =
            run_rule_with_config("anachronism", config, &toml::Table::new(), chapters).unwrap();
        diagnostics
            .into_iter()
            .map(|d| {
                let ch = ms.chapter(d.primary.chapter);
                let at = ch.line_col(d.primary.span.start as usize);
                (ch.file_name(), at.line, at.column, d.message)
            })
            .collect()
    }

    fn config(toml: &str) -> Config {
        Config::parse(Path::new("manulint.toml"), toml.to_string()).unwrap()
    }

    fn f(file: &str, line: usize, col: usize, msg: &str) -> (String, usize, usize, String) {
        (file.to_string(), line, col, msg.to_string())
    }

    /// One finding for a run of one emoji (spaces, joiners and variation
    /// selectors between them), spanning the run; a different emoji, or
    /// the same one after a word, is a finding of its own.
    #[test]
    fn a_run_of_one_emoji_is_one_finding() {
        let text = "---\nyear: 1900\n---\n\nShe wrote 😂😂 😂\u{FE0F} and 🎉\u{200D}🎉, then 😂.\n";
        let (ms, diagnostics) = run_rule_with_config(
            "anachronism",
            &Config::default(),
            &toml::Table::new(),
            &[("a.md", text)],
        )
        .unwrap();
        let chapter = ms.chapter(0);
        let got: Vec<(&str, &str)> = diagnostics
            .iter()
            .map(|d| (chapter.slice(d.primary.span), d.message.as_str()))
            .collect();
        let year = "story year 1900, from the front matter of a.md:2";
        assert_eq!(
            got,
            vec![
                (
                    "😂😂 😂",
                    &*format!("“😂” 3 times in a row (emoji, 2010) is later than the {year}")
                ),
                (
                    "🎉\u{200D}🎉",
                    &*format!("“🎉” twice in a row (emoji, 2010) is later than the {year}")
                ),
                (
                    "😂",
                    &*format!("“😂” (emoji, 2010) is later than the {year}")
                ),
            ]
        );
        // 30,000 in a row: one finding, not 30,000.
        let long = format!("---\nyear: 1900\n---\n\n{}\n", "😀".repeat(30_000));
        let (_, diagnostics) = run_rule_with_config(
            "anachronism",
            &Config::default(),
            &toml::Table::new(),
            &[("b.md", &long)],
        )
        .unwrap();
        assert_eq!(diagnostics.len(), 1);
        assert!(
            diagnostics[0]
                .message
                .starts_with("“😀” 30000 times in a row")
        );
        assert_eq!(diagnostics[0].primary.span.len(), 4 * 30_000);
    }

    /// A one-word film written plainly after “watched”, a word of the
    /// screen nearby, is the film when the book writes that name only as a
    /// title; a place the book names elsewhere, a name called out, a given
    /// name, or a place looked at from somewhere is not.
    #[test]
    fn a_one_word_film_watched_by_name_across_chapters() {
        let years = config("[story]\nyear = 1930\n");
        let watched = "They watched Casablanca at the cinema.\n\nShe watched Laura at the piano.\n\nHe watched Chinatown from the hill.\n";
        let film = "*Casablanca* (film, 1942) is later than the story year 1930, from manulint.toml [story]";
        // Written as a title in another chapter too: still the film.
        let got = found(
            &[
                ("chapter-01.md", "Nobody had heard of *Casablanca* yet.\n"),
                ("chapter-02.md", watched),
            ],
            &years,
        );
        assert_eq!(got, vec![f("chapter-02.md", 1, 14, film)]);
        // A city another chapter sails to: the same words are about it.
        let got = found(
            &[
                ("chapter-01.md", "The ship put in at Casablanca.\n"),
                ("chapter-02.md", watched),
            ],
            &years,
        );
        assert_eq!(got, vec![]);
        // Called out in speech: a person (quotes are no title's sign).
        let got = found(
            &[
                (
                    "chapter-01.md",
                    "“Casablanca!” she called, and the dog came.\n",
                ),
                ("chapter-02.md", watched),
            ],
            &years,
        );
        assert_eq!(got, vec![]);
        let got = found(
            &[
                ("chapter-01.md", "Casablanca’s harbour was full.\n"),
                ("chapter-02.md", watched),
            ],
            &years,
        );
        assert_eq!(got, vec![]);
    }

    #[test]
    fn later_bestsellers_in_an_inferred_1996() {
        let got = found(
            &[
                ("chapter-01.md", BESTSELLERS_1),
                ("chapter-02.md", BESTSELLERS_2),
            ],
            &Config::default(),
        );
        let year = "story year 1996, inferred from chapter-01.md:3";
        assert_eq!(
            got,
            vec![
                f(
                    "chapter-01.md",
                    5,
                    67,
                    &format!("*Altered Carbon* (book, 2002) is later than the {year}")
                ),
                f(
                    "chapter-01.md",
                    5,
                    85,
                    &format!("*Mortal Engines* (book, 2001) is later than the {year}")
                ),
                f(
                    "chapter-01.md",
                    5,
                    106,
                    &format!("*Mistborn* (book, 2006) is later than the {year}")
                ),
                f(
                    "chapter-02.md",
                    3,
                    52,
                    &format!("*Gone Girl* (book, 2012) is later than the {year}")
                ),
            ]
        );
    }

    #[test]
    fn smartphone_and_texting_in_1987_from_front_matter() {
        let got = check_rule("anachronism", "chapter-03.md", PHONE_1987);
        let year = "story year 1987, from the front matter of chapter-03.md:3";
        assert_eq!(
            got,
            vec![
                (
                    7,
                    18,
                    format!("“smartphone” (technology, 1997) is later than the {year}")
                ),
                (
                    7,
                    85,
                    format!("“texting” (word, 1992) is later than the {year}")
                ),
            ]
        );
    }

    /// A title typed with its small words in capitals is still the title,
    /// not the shorter one it begins with (“Gone With the Wind” had been
    /// *Gone*, 2006: a false alarm in a story of 2001); any other word in
    /// other capitals is not the title.
    #[test]
    fn titles_with_small_words_capitalised_are_found_whole() {
        let text = "It was 1930. Her mother was reading Gone With the Wind on the porch. \
                    He had a copy of To Kill A Mockingbird and Of Mice And Men.\n";
        let titles: Vec<(usize, usize, String)> = check_rule("anachronism", "c.md", text)
            .into_iter()
            .map(|(l, c, m)| (l, c, m.split(" is later").next().unwrap_or("").to_string()))
            .collect();
        assert_eq!(
            titles,
            [
                (1, 37, "*Gone With the Wind* (book, 1936)".to_string()),
                (1, 87, "*To Kill A Mockingbird* (book, 1960)".to_string()),
                (1, 113, "*Of Mice And Men* (book, 1937)".to_string()),
            ]
        );
        let in_2001 = text.replace("1930", "2001");
        assert_eq!(check_rule("anachronism", "c.md", &in_2001), vec![]);
        assert!(super::same_title(
            "Gone with the Wind",
            "Gone With The Wind"
        ));
        assert!(!super::same_title(
            "Gone with the Wind",
            "Gone with the wind"
        ));
        assert!(!super::same_title(
            "Gone with the Wind",
            "gone with the Wind"
        ));
        assert!(!super::same_title("Gone", "GONE"));
    }

    /// Things a period writer reaches for that the knowledge base lacked;
    /// the microwave only as a kitchen's, not the radiation.
    #[test]
    fn velcro_microwave_walkie_talkie_tv_and_jukebox() {
        let text = "It was 1930. She fastened the strap with Velcro and put the kettle in \
                    the microwave. The walkie-talkie crackled. They watched TV.\n\n\
                    The microwave of the radar set was invisible.\n\n\
                    A juke box played in the diner.\n";
        let found: Vec<String> = check_rule("anachronism", "c.md", text)
            .into_iter()
            .map(|(line, _, m)| format!("{line}: {}", m.split(" is later").next().unwrap_or("")))
            .collect();
        assert_eq!(
            found,
            [
                "1: “Velcro” (product, 1955)",
                "1: “microwave” (device, 1967)",
                "1: “walkie-talkie” (device, 1940)",
                "1: “TV” (word, 1948)",
                "3: “radar” (technology, 1940)",
                "5: “juke box” (word, 1939)",
            ]
        );
    }

    #[test]
    fn common_words_that_are_titles_stay_quiet() {
        assert_eq!(
            check_rule("anachronism", "chapter-01.txt", QUIET_1954),
            vec![]
        );
        // The same words as a title but with no reading context.
        assert_eq!(
            check_rule(
                "anachronism",
                "c.md",
                "It was 1954. “Room,” she said. *It* was cold.\n"
            ),
            vec![]
        );
    }

    #[test]
    fn common_word_titles_fire_in_a_reading_context() {
        let got = check_rule("anachronism", "chapter-01.md", READING_1954);
        let titles: Vec<(usize, usize, &str)> = got
            .iter()
            .map(|(l, c, m)| (*l, *c, m.split(" is later").next().unwrap_or("")))
            .collect();
        assert_eq!(
            titles,
            vec![
                (3, 47, "*It* (book, 1986)"),
                (3, 99, "*Room* (book, 2010)"),
                (3, 116, "*Wonder* (book, 2012)"),
                (5, 27, "*Holes* (book, 1998)"),
                (5, 40, "*Twilight* (book, 1984)"),
            ]
        );
    }

    /// Two titles make a list, the reading context of both when a cue
    /// ("books") is near and one of them is more than an everyday word.
    /// (`lists` skips the sentences that cannot hold such a list before
    /// reading them for lists.)
    #[test]
    fn two_titles_make_a_list_unless_both_are_everyday_words() {
        let titles = |line: &str| -> Vec<(usize, usize, String)> {
            let text = format!("It was 1995.\n\n{line}\n");
            check_rule("anachronism", "c.txt", &text)
                .into_iter()
                .map(|(l, c, m)| (l, c, m.split(" is later").next().unwrap_or("").to_string()))
                .collect()
        };
        let found = |expected: &[(usize, &str)]| -> Vec<(usize, usize, String)> {
            expected
                .iter()
                .map(|&(column, title)| (3, column, title.to_string()))
                .collect()
        };
        assert_eq!(
            titles("The new books that week: Gone Girl and The Road."),
            found(&[
                (26, "*Gone Girl* (book, 2012)"),
                (40, "*The Road* (book, 2006)")
            ])
        );
        // One everyday phrase alone is no title.
        assert_eq!(titles("The new book that week: The Road."), vec![]);
        // An everyday word counts beside a title that is not one …
        assert_eq!(
            titles("The new books that week: Room, Mistborn."),
            found(&[(26, "*Room* (book, 2010)"), (32, "*Mistborn* (book, 2006)")])
        );
        // … but two everyday words are not a list of titles.
        assert_eq!(titles("The new books that week: Room, Wonder."), vec![]);
    }

    #[test]
    fn misspelled_titles_get_did_you_mean_only_when_later() {
        let got = check_rule("anachronism", "chapter-01.md", MISSPELLED_1999);
        let year = "story year 1999, inferred from chapter-01.md:3";
        assert_eq!(
            got,
            vec![
                (
                    3,
                    67,
                    format!(
                        "“The Lovely Bone”: did you mean *The Lovely Bones* (book, 2002)? It is later than the {year}"
                    )
                ),
                (
                    3,
                    86,
                    format!(
                        "“The Hunger Gmaes”: did you mean *The Hunger Games* (book, 2008)? It is later than the {year}"
                    )
                ),
                (
                    3,
                    109,
                    format!("*Mistborn* (book, 2006) is later than the {year}")
                ),
            ]
        );
    }

    #[test]
    fn ship_and_film_titanic_need_context() {
        let year = "story year 1950, from manulint.toml [story]";
        let cfg = config("[story]\nyear = 1950\n");
        let got = found(
            &[("c.md", "They watched the film *Titanic* twice.\n")],
            &cfg,
        );
        assert_eq!(
            got,
            vec![f(
                "c.md",
                1,
                24,
                &format!("*Titanic* (film, 1953) is later than the {year}")
            )]
        );
        let got = found(
            &[("c.md", "The *Titanic* sank after it struck an iceberg.\n")],
            &cfg,
        );
        assert_eq!(got, vec![]);
        let got = found(
            &[("c.md", "A titanic effort. Titanic, she thought.\n")],
            &cfg,
        );
        assert_eq!(got, vec![]);
    }

    #[test]
    fn year_sources_in_order() {
        let text = "+++\nyear = 2010\n+++\nIt was 1990. She checked her smartphone.\n";
        // Front matter beats [story] and the text.
        let got = found(&[("a.md", text)], &config("[story]\nyear = 1980\n"));
        assert_eq!(got, vec![]);
        // --year beats front matter.
        let mut cfg = config("");
        cfg.story.cli_year = Some(crate::config::WrittenYear {
            year: 1985,
            era: false,
        });
        let got = found(&[("a.md", text)], &cfg);
        assert_eq!(
            got,
            vec![f(
                "a.md",
                4,
                30,
                "“smartphone” (technology, 1997) is later than the story year 1985, from --year"
            )]
        );
        // A range: only what is later than its last year.
        let plain = "She checked her smartphone and sent a text message.\n";
        let got = found(
            &[("b.md", plain)],
            &config("[story]\nyears = [1990, 1995]\n"),
        );
        assert_eq!(
            got,
            vec![f(
                "b.md",
                1,
                17,
                "“smartphone” (technology, 1997) is later than the story years 1990–1995, from manulint.toml [story]"
            )]
        );
        // Per-chapter glob beats [story].
        let cfg = config("[story]\nyear = 2015\n[story.chapters]\n\"flashback-*.md\" = 1980\n");
        let got = found(&[("flashback-1.md", plain), ("now.md", plain)], &cfg);
        assert_eq!(
            got,
            vec![
                f(
                    "flashback-1.md",
                    1,
                    17,
                    "“smartphone” (technology, 1997) is later than the story year 1980, from manulint.toml [story.chapters] \"flashback-*.md\""
                ),
                f(
                    "flashback-1.md",
                    1,
                    39,
                    "“text message” (technology, 1992) is later than the story year 1980, from manulint.toml [story.chapters] \"flashback-*.md\""
                ),
            ]
        );
    }

    #[test]
    fn acronyms_in_a_line_of_capitals_are_words() {
        let cfg = config("[story]\nyear = 1950\n");
        let got = found(
            &[("c.txt", "CHAPTER IV. HE LED THEM HOME\n\nAn LED blinked.\n")],
            &cfg,
        );
        assert_eq!(
            got,
            vec![f(
                "c.txt",
                3,
                4,
                "“LED” (technology, 1962) is later than the story year 1950, from manulint.toml [story]"
            )]
        );
    }

    #[test]
    fn no_year_means_no_findings() {
        let got = check_rule(
            "anachronism",
            "c.md",
            "She checked her smartphone back in 1991.\n",
        );
        assert_eq!(got, vec![]);
    }

    #[test]
    fn both_year_and_years_is_a_config_error_at_years() {
        let text = "[rules.anachronism]\nlevel = \"warning\"\n\n[story]\nyear = 1990\nyears = [1990, 1991]\n";
        let err = Config::parse(Path::new("manulint.toml"), text.to_string()).unwrap_err();
        assert_eq!(
            err.message,
            "[story] sets both `year` and `years`; keep one"
        );
        use miette::Diagnostic as _;
        let span = err
            .labels()
            .and_then(|mut l| l.next())
            .expect("points into the file");
        assert_eq!(
            &text[span.offset()..span.offset() + span.len()],
            "[1990, 1991]"
        );
    }

    #[test]
    fn rendered_output_snapshot() {
        insta::assert_snapshot!(render_human(
            "anachronism",
            &[
                ("chapter-01.md", BESTSELLERS_1),
                ("chapter-02.md", BESTSELLERS_2)
            ]
        ));
        insta::assert_snapshot!(
            "misspelled",
            render_human("anachronism", &[("chapter-01.md", MISSPELLED_1999)])
        );
        insta::assert_snapshot!(
            "front_matter",
            render_human("anachronism", &[("chapter-03.md", PHONE_1987)])
        );
    }

    #[test]
    fn sample_novel_planted_anachronisms() {
        let files = crate::testing::SAMPLE_NOVEL;
        let got: Vec<(String, usize, usize, String)> = found(files, &Config::default())
            .into_iter()
            .map(|(file, l, c, m)| {
                (
                    file,
                    l,
                    c,
                    m.split(" is later").next().unwrap_or("").to_string(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                f("chapter-01.md", 19, 70, "*The Da Vinci Code* (book, 2003)"),
                f("chapter-01.md", 19, 91, "*The Road* (book, 2006)"),
                f(
                    "chapter-01.md",
                    19,
                    103,
                    "“The Lovely Bone”: did you mean *The Lovely Bones* (book, 2002)? It"
                ),
                f("chapter-02.txt", 72, 17, "“smartphone” (technology, 1997)"),
                f("chapter-04.txt", 13, 126, "“googled” (word, 1998)"),
            ]
        );
    }
}
