//! `anachronism`: books, films, products and words later than the story's
//! year.

pub mod kb;
pub mod year;

use std::cell::OnceCell;
use std::sync::LazyLock;

use rayon::prelude::*;
use regex::Regex;
use serde::Deserialize;

use crate::declare_rule;
use crate::diagnostic::{Facts, Finding};
use crate::rule::{Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup};
use crate::text::{Chapter, Manuscript, Span};

use kb::{BUILTIN, Class, Entity, Kb, KbBuilder, Medium};
use year::{StoryYear, YearSettings};

declare_rule! {
    /// ## What it does
    /// Finds books, films, TV series, products, technologies, brands, emoji
    /// and modern words that did not exist yet in the year the story is set:
    /// *The Da Vinci Code* (2003) on a bookshop table in 1996, a smartphone
    /// in 1987, a detective who “googles” a name in 1954.
    ///
    /// The story year of each chapter comes from, in order: `--year` on the
    /// command line; `year = 1996` (TOML `+++`) or `year: 1996` (YAML `---`)
    /// in the chapter's front matter; `[story.chapters]` and `[story]` in
    /// `manulint.toml`; otherwise the text itself: “It was 1996.”, “the
    /// summer of 1996”, “1996 was the year…”, a dated heading “Los Angeles,
    /// 1996”. Strong statements outvote passing mentions (“back in 1991”,
    /// “since 1991” count for nothing), and a chapter that states no year
    /// keeps the previous chapter's. A chapter with no year from any source
    /// is not checked (`--verbose` says so).
    ///
    /// Titles must look like titles. A title that is also an everyday word
    /// or phrase (*It*, *Room*, *Wonder*, *The Road*) counts only in italics
    /// or quotes *and* beside a cue (read, novel, bestseller, film, watched,
    /// the author's name …) or other titles; films, albums and games always
    /// need italics or quotes. Names with several meanings take the earliest
    /// date unless the context picks one (*Titanic* the ship, 1912, or the
    /// film, 1997). An italicised near-miss of a known title beside other
    /// titles gets “did you mean”.
    ///
    /// ## Why
    /// Period fiction lives on its details, and a reader who knows that
    /// *The Road* came out in 2006 stops believing a 1996 bookshop.
    ///
    /// ## Example
    /// ```text
    /// It was 1996.                                  ← story year
    /// “Everyone wants *The Da Vinci Code*.”         ← flagged: 2003
    /// She checked her smartphone.                   ← flagged: 1997
    /// It was cold, and no wonder.                   ← fine: not titles
    /// ```
    ///
    /// ## Options
    /// - `entities` (list of paths, default `[]`): your own TOML files of
    ///   dated entities, relative to `manulint.toml`, each a list of
    ///   `[[entity]]` tables with `name`, `aliases`, `kind` (novel, film,
    ///   tv-series, technology, product, brand, word, event …), `year`,
    ///   `description`, `case_sensitive`, `ambiguous` and `cues`.
    /// - `allow` (list of names, default `[]`): names never to flag.
    ///
    /// The story year itself is set with `--year`, front matter, or
    /// `[story]` (`year = 1996` or `years = [1995, 1997]`, plus
    /// `[story.chapters]` `"part-2/*.md" = 2003` overrides).
    pub static META = {
        id: "anachronism",
        category: Chronology,
        severity: Error,
        scope: Manuscript,
        summary: "A book, film, product or word later than the story's year",
    }
}

pub const FACTORY: RuleFactory = RuleFactory { meta: &META, build };

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct Options {
    entities: Vec<String>,
    allow: Vec<String>,
}

enum KbRef {
    /// The shared built-in base, built on first use.
    Builtin,
    Own(Box<Kb>),
}

struct Anachronism {
    kb: KbRef,
    years: YearSettings,
    allow: Vec<String>,
}

fn build(setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
    let options: Options = setup.options()?;
    let years = YearSettings::from_config(setup.config)?;
    let kb = if options.entities.is_empty() {
        // Build the automaton while the chapters are being read and parsed;
        // without a thread it is built on first use instead.
        let _warm_up = std::thread::Builder::new()
            .name("anachronism-kb".to_string())
            .spawn(|| LazyLock::force(&BUILTIN).is_ok());
        KbRef::Builtin
    } else {
        let started = std::time::Instant::now();
        let mut builder = KbBuilder::builtin()?;
        let root = setup.config.root().map_or_else(
            || std::path::PathBuf::from("."),
            std::path::Path::to_path_buf,
        );
        for file in &options.entities {
            let path = root.join(file);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read entity file {}: {e}", path.display()))?;
            builder.add_toml(&path.display().to_string(), &text)?;
        }
        KbRef::Own(Box::new(builder.build_timed(started)?))
    };
    Ok(Box::new(Anachronism {
        kb,
        years,
        allow: options.allow.iter().map(|a| a.to_lowercase()).collect(),
    }))
}

impl Anachronism {
    /// The knowledge base. The built-in one is a `LazyLock` forced by the
    /// warm-up thread; a pool thread may wait on it here without risk of
    /// deadlock because building it never uses the rayon pool.
    fn kb(&self) -> Result<&Kb, &str> {
        match &self.kb {
            KbRef::Builtin => BUILTIN.as_ref().map_err(String::as_str),
            KbRef::Own(kb) => Ok(kb),
        }
    }
}

impl Rule for Anachronism {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check_manuscript(&self, manuscript: &Manuscript, ctx: &mut RuleContext) {
        let kb = match self.kb() {
            Ok(kb) => kb,
            Err(err) => {
                ctx.note(format!("not run: {err}"));
                return;
            }
        };
        ctx.note(format!(
            "knowledge base: {} entities, {} names; data read in {} ms, automaton built in {} ms",
            kb.entities.len(),
            kb.patterns.len(),
            kb.load_time.as_millis(),
            kb.build_time.as_millis()
        ));
        let years = year::resolve(&self.years, manuscript);
        let results: Vec<(Vec<Finding>, String)> = manuscript
            .chapters
            .par_iter()
            .zip(years.par_iter())
            .map(|(chapter, year)| match year {
                Ok(year) => (
                    self.check_chapter_at(kb, chapter, year),
                    format!("{}: {}", chapter.file_name(), year.describe()),
                ),
                Err(reason) => (Vec::new(), reason.clone()),
            })
            .collect();
        for (findings, note) in results {
            ctx.note(note);
            for finding in findings {
                ctx.report(finding);
            }
        }
    }
}

/// Words that show a title is being talked about as a book, film …
fn medium_cues(medium: Medium) -> &'static [&'static str] {
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
            "hardcover",
            "author",
            "wrote",
            "published",
            "trilogy",
            "sequel",
            "bookshop",
            "bookstore",
            "library",
            "copy",
            "copies",
        ],
        Medium::Film => &[
            "film",
            "films",
            "movie",
            "movies",
            "cinema",
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
        ],
        Medium::Tv => &[
            "series",
            "episode",
            "episodes",
            "show",
            "sitcom",
            "season",
            "television",
            "tv",
            "aired",
            "rerun",
            "reruns",
            "watched",
            "watching",
        ],
        Medium::Album => &[
            "album", "albums", "record", "records", "lp", "cd", "song", "songs", "single", "track",
            "tracks", "listened", "band",
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

/// Words around a match, for cues.
struct Window {
    text: String,
    lower: String,
}

impl Window {
    fn has(&self, cue: &str) -> bool {
        let mut from = 0;
        while let Some(at) = self.lower[from..].find(cue) {
            let start = from + at;
            let end = start + cue.len();
            if is_boundary(&self.lower, start, end) {
                return true;
            }
            from = start + cue.len().max(1);
        }
        false
    }

    fn has_exact(&self, word: &str) -> bool {
        let mut from = 0;
        while let Some(at) = self.text[from..].find(word) {
            let start = from + at;
            let end = start + word.len();
            if is_boundary(&self.text, start, end) {
                return true;
            }
            from = end;
        }
        false
    }
}

fn is_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// A name found in the text.
struct Hit {
    span: Span,
    pattern: usize,
    formatted: bool,
    block: usize,
    word: usize,
    /// The entity it stands for, once accepted.
    entity: Option<u32>,
}

/// How many words either side count as "nearby".
const CUE_WINDOW: usize = 12;
/// How far apart two titles may be to form a list.
const LIST_WINDOW: usize = 20;

impl Anachronism {
    fn check_chapter_at(&self, kb: &Kb, chapter: &Chapter, year: &StoryYear) -> Vec<Finding> {
        let prose = chapter.prose.as_str();
        // Patterns are ASCII-lowercase; so is this copy (same byte offsets).
        let folded = prose.to_ascii_lowercase();
        let mut hits: Vec<Hit> = Vec::new();
        for m in kb.automaton.find_overlapping_iter(&folded) {
            let (start, end) = (m.start(), m.end());
            if !prose.is_char_boundary(start) || !prose.is_char_boundary(end) {
                continue;
            }
            let forms = &kb.patterns[m.pattern().as_usize()];
            let first = &kb.entities[forms[0].entity as usize];
            if first.class != Class::Emoji && !is_boundary(prose, start, end) {
                continue;
            }
            let found = &prose[start..end];
            let spelled = forms.iter().any(|f| {
                let e = &kb.entities[f.entity as usize];
                if e.case_sensitive {
                    f.text == found
                } else {
                    f.text.eq_ignore_ascii_case(found)
                }
            });
            if !spelled {
                continue;
            }
            let block = chapter
                .blocks
                .partition_point(|b| b.span.end as usize <= start);
            hits.push(Hit {
                span: Span::new(start, end),
                pattern: m.pattern().as_usize(),
                formatted: is_formatted(&chapter.text, start, end),
                block,
                word: chapter
                    .words
                    .partition_point(|w| (w.start as usize) < start),
                entity: None,
            });
        }

        // Titles in italics or quotes, for "a list of titles".
        let titled: Vec<(usize, usize, Span, &str)> = hits
            .iter()
            .filter(|h| h.formatted)
            .filter(|h| {
                kb.patterns[h.pattern]
                    .iter()
                    .any(|f| matches!(kb.entities[f.entity as usize].class, Class::Title(_)))
            })
            .map(|h| (h.block, h.word, h.span, &folded[h.span.range()]))
            .collect();
        // Another, different title in italics or quotes close by.
        let in_list = |block: usize, word: usize, span: Span| {
            let name = &folded[span.range()];
            titled.iter().any(|&(b, w, s, other)| {
                b == block
                    && w.abs_diff(word) <= LIST_WINDOW
                    && (s.end <= span.start || s.start >= span.end)
                    && other != name
            })
        };

        for hit in &mut hits {
            let found = &prose[hit.span.range()];
            let (span, block, word) = (hit.span, hit.block, hit.word);
            // Built only when a cue must be looked for.
            let window_cell: OnceCell<Option<Window>> = OnceCell::new();
            let window = || {
                window_cell
                    .get_or_init(|| window(chapter, span, block))
                    .as_ref()
            };
            let mut best: Option<(bool, i32, u32)> = None;
            for form in &kb.patterns[hit.pattern] {
                let entity = &kb.entities[form.entity as usize];
                let spelled = if entity.case_sensitive {
                    form.text == found
                } else {
                    form.text.eq_ignore_ascii_case(found)
                };
                if !spelled {
                    continue;
                }
                let settled = match entity.class {
                    // "LED", "AIM" inside a line of capitals ("HE LED THEM") are
                    // ordinary words shouted, not acronyms.
                    _ if is_acronym(found) && in_capitals(prose, span) => Some(false),
                    Class::Emoji => Some(true),
                    Class::Term if !entity.ambiguous => Some(true),
                    Class::Title(medium)
                        if !hit.formatted && (form.common || medium != Medium::Book) =>
                    {
                        Some(false)
                    }
                    _ => None,
                };
                let (accepted, own_cue, author) = match settled {
                    Some(accepted) => (accepted, false, false),
                    None => {
                        let own_cue = entity
                            .cues
                            .iter()
                            .any(|c| window().is_some_and(|w| w.has(c)));
                        let author = entity
                            .author_surname
                            .as_deref()
                            .is_some_and(|s| window().is_some_and(|w| w.has_exact(s)));
                        let accepted = match entity.class {
                            Class::Title(medium) => {
                                let cue = own_cue
                                    || author
                                    || medium_cues(medium)
                                        .iter()
                                        .any(|c| window().is_some_and(|w| w.has(c)));
                                let one_word = !found.contains(' ');
                                let list = || in_list(block, word, span);
                                match (medium, form.common) {
                                    (Medium::Book, true) if one_word => hit.formatted && cue,
                                    (Medium::Book, true) => hit.formatted && (cue || list()),
                                    (Medium::Book, false) => hit.formatted || cue,
                                    (_, true) => hit.formatted && cue,
                                    (_, false) => hit.formatted && (cue || list()),
                                }
                            }
                            _ => own_cue,
                        };
                        (accepted, own_cue, author)
                    }
                };
                if !accepted {
                    continue;
                }
                // Context that names this meaning wins; then the earliest.
                let key = (!(own_cue || author), entity.year, form.entity);
                if best.is_none_or(|b| key < b) {
                    best = Some(key);
                }
            }
            hit.entity = best.map(|(_, _, e)| e);
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
        for hit in &kept {
            let Some(id) = hit.entity else { continue };
            let entity = &kb.entities[id as usize];
            if entity.year <= year.last || self.allowed(entity) {
                continue;
            }
            findings.push(finding(chapter, hit.span, entity, year));
        }
        findings.extend(self.misspelled_titles(kb, chapter, year, &hits, &in_list));
        findings
    }

    fn allowed(&self, entity: &Entity) -> bool {
        self.allow.contains(&entity.name.to_lowercase())
    }

    /// Italicised or quoted near-misses of known multi-word titles, beside
    /// other titles or a cue: "did you mean".
    fn misspelled_titles(
        &self,
        kb: &Kb,
        chapter: &Chapter,
        year: &StoryYear,
        hits: &[Hit],
        in_list: &dyn Fn(usize, usize, Span) -> bool,
    ) -> Vec<Finding> {
        let mut findings = Vec::new();
        for block_index in 0..chapter.blocks.len() {
            let block = &chapter.blocks[block_index];
            if !block.is_paragraph() {
                continue;
            }
            let text = &chapter.text[block.span.range()];
            for caps in FORMATTED_RUN.captures_iter(text) {
                let Some(inner) = caps.get(1).or_else(|| caps.get(2)) else {
                    continue;
                };
                let title = inner.as_str();
                let words = title.split_whitespace().count();
                if !(2..=8).contains(&words) || !is_title_case(title) {
                    continue;
                }
                let start = block.span.start as usize + inner.start();
                let span = Span::new(start, start + title.len());
                // Prose only (not code), and not a title we already know.
                if chapter.prose[span.range()] != *title || hits.iter().any(|h| h.span == span) {
                    continue;
                }
                let word = chapter.words.partition_point(|w| w.start < span.start);
                let cue = window(chapter, span, block_index).is_some_and(|w| {
                    medium_cues(Medium::Book)
                        .iter()
                        .chain(medium_cues(Medium::Film))
                        .any(|c| w.has(c))
                });
                if !cue && !in_list(block_index, word, span) {
                    continue;
                }
                let Some(entity) = closest_title(kb, title) else {
                    continue;
                };
                if entity.year <= year.last || self.allowed(entity) {
                    continue;
                }
                findings.push(
                    Finding::new(
                        chapter.index,
                        span,
                        format!(
                            "“{title}”: did you mean {} ({})? It is later than the {}",
                            entity.display_name(),
                            entity.year,
                            year.describe()
                        ),
                    )
                    .label(format!("{}, {}", entity.description, entity.year))
                    .help(HELP)
                    .facts(facts(entity, year)),
                );
            }
        }
        findings
    }
}

const HELP: &str = "check the reference against the story's year; if the year is wrong, \
                    set it with --year, `year = …` in the chapter's front matter, or [story] in manulint.toml";

fn finding(chapter: &Chapter, span: Span, entity: &Entity, year: &StoryYear) -> Finding {
    let found = chapter.slice(span);
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
            "{shown} ({}) is later than the {}",
            entity.year,
            year.describe()
        ),
    )
    .label(label)
    .help(HELP)
    .facts(facts(entity, year))
}

/// The finding's facts for reports: the thing, its year, the story year.
fn facts(entity: &Entity, year: &StoryYear) -> Facts {
    Facts::Anachronism {
        name: entity.name.clone(),
        thing: entity.kind.clone(),
        year: entity.year,
        story_year: year.last,
        story_year_source: year.source.clone(),
    }
}

/// `*Title*`, `_Title_`, `“Title”` or `"Title"` (commas inside quotes too).
static FORMATTED_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:\*{1,2}|\b_)([^*_\n]{3,80}?)(?:\*{1,2}|_\b)|[“"]([^”"\n]{3,80}?)[,.!?;:]?[”"]"#,
    )
    .expect("static regex")
});

/// The known multi-word title closest to `title` (at most two edits, and
/// not `title` itself).
fn closest_title<'k>(kb: &'k Kb, title: &str) -> Option<&'k Entity> {
    let lower = title.to_lowercase();
    let len = lower.chars().count();
    let mut best: Option<(usize, bool, i32, u32)> = None;
    let words = lower.split_whitespace().count();
    let first = lower.chars().next();
    let from = kb
        .fuzzy_titles
        .partition_point(|(name, _)| name.len() + 2 < lower.len());
    for (name, id) in &kb.fuzzy_titles[from..] {
        if name.len() > lower.len() + 2 {
            break;
        }
        // A slip rarely changes the first letter or the number of words.
        if name.chars().next() != first || name.split_whitespace().count() != words {
            continue;
        }
        let distance = strsim::damerau_levenshtein(&lower, name);
        if distance == 0 {
            return None;
        }
        if distance > 2 || distance * 10 > len {
            continue;
        }
        let entity = &kb.entities[*id as usize];
        let key = (
            distance,
            entity.class != Class::Title(Medium::Book),
            entity.year,
            *id,
        );
        if best.is_none_or(|b| key < b) {
            best = Some(key);
        }
    }
    best.map(|(_, _, _, id)| &kb.entities[id as usize])
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

/// The words around `span` in its block, without the span itself.
fn window(chapter: &Chapter, span: Span, block: usize) -> Option<Window> {
    let block = chapter.blocks.get(block)?;
    let sentences = chapter.block_sentences(block);
    let (first, last) = (sentences.first()?, sentences.last()?);
    let (lo, hi) = (first.words.start as usize, last.words.end as usize);
    let at = chapter.words.partition_point(|w| w.start < span.start);
    let after = chapter.words.partition_point(|w| w.start < span.end);
    let from = at.saturating_sub(CUE_WINDOW).max(lo);
    let to = (after + CUE_WINDOW).min(hi);
    if from >= to {
        return None;
    }
    let start = (chapter.words[from].start as usize).min(span.start as usize);
    let end = (chapter.words[to - 1].end as usize).max(span.end as usize);
    let mut text = String::with_capacity(end - start);
    text.push_str(&chapter.prose[start..span.start as usize]);
    text.push_str(" … ");
    text.push_str(&chapter.prose[span.end as usize..end]);
    let lower = text.to_lowercase();
    Some(Window { text, lower })
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
                    &format!("*Altered Carbon* (2002) is later than the {year}")
                ),
                f(
                    "chapter-01.md",
                    5,
                    85,
                    &format!("*Mortal Engines* (2001) is later than the {year}")
                ),
                f(
                    "chapter-01.md",
                    5,
                    106,
                    &format!("*Mistborn* (2006) is later than the {year}")
                ),
                f(
                    "chapter-02.md",
                    3,
                    52,
                    &format!("*Gone Girl* (2012) is later than the {year}")
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
                    format!("“smartphone” (1997) is later than the {year}")
                ),
                (7, 85, format!("“texting” (1992) is later than the {year}")),
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
                (3, 47, "*It* (1986)"),
                (3, 99, "*Room* (2010)"),
                (3, 116, "*Wonder* (2012)"),
                (5, 27, "*Holes* (1998)"),
                (5, 40, "*Twilight* (1984)"),
            ]
        );
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
                        "“The Lovely Bone”: did you mean *The Lovely Bones* (2002)? It is later than the {year}"
                    )
                ),
                (
                    3,
                    86,
                    format!(
                        "“The Hunger Gmaes”: did you mean *The Hunger Games* (2008)? It is later than the {year}"
                    )
                ),
                (
                    3,
                    109,
                    format!("*Mistborn* (2006) is later than the {year}")
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
                &format!("*Titanic* (1953) is later than the {year}")
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
        cfg.story.cli_year = Some(1985);
        let got = found(&[("a.md", text)], &cfg);
        assert_eq!(
            got,
            vec![f(
                "a.md",
                4,
                30,
                "“smartphone” (1997) is later than the story year 1985, from --year"
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
                "“smartphone” (1997) is later than the story years 1990–1995, from manulint.toml [story]"
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
                    "“smartphone” (1997) is later than the story year 1980, from manulint.toml [story.chapters] \"flashback-*.md\""
                ),
                f(
                    "flashback-1.md",
                    1,
                    39,
                    "“text message” (1992) is later than the story year 1980, from manulint.toml [story.chapters] \"flashback-*.md\""
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
                "“LED” (1962) is later than the story year 1950, from manulint.toml [story]"
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
    fn both_year_and_years_is_a_config_error() {
        let cfg = config("[story]\nyear = 1990\nyears = [1990, 1991]\n");
        let err = run_rule_with_config("anachronism", &cfg, &toml::Table::new(), &[]).unwrap_err();
        assert_eq!(err, "[story] sets both `year` and `years`; keep one");
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
                f("chapter-01.md", 19, 70, "*The Da Vinci Code* (2003)"),
                f("chapter-01.md", 19, 91, "*The Road* (2006)"),
                f(
                    "chapter-01.md",
                    19,
                    103,
                    "“The Lovely Bone”: did you mean *The Lovely Bones* (2002)? It"
                ),
                f("chapter-02.txt", 72, 17, "“smartphone” (1997)"),
                f("chapter-04.txt", 13, 126, "“googled” (1998)"),
            ]
        );
    }
}
