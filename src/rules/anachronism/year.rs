//! The story year of each chapter: `--year`, the chapter's front matter,
//! `[story]` in `manulint.toml`, or what the text itself says.
//!
//! # Reading the year from the text
//!
//! A *statement* sets the story's present: a dated heading or dateline
//! (“## March 1944”, “Los Angeles, 1996”, “1987. Los Angeles.”, “Spring,
//! 1974”, “New Year's Eve, 1999”), “It was 1996.”, “It was August of
//! 1987”, “the summer of 1974”, “that autumn of '68”, “in the April of
//! 1921”, “1996 was the year …”. The chapter's **first** statement wins, so
//! the opening beats a year remembered later. A date (“June 3, 1996”) or a
//! passing “in 1996” is only a *mention*; mentions decide when there is no
//! statement, and only when they add up (a date and a mention, or three
//! mentions).
//!
//! Nothing counts that looks back (“back in 1991”, “since 1991”, “she
//! remembered the summer of 1958”, “had moved in 1958”), is said in
//! dialogue, or stands in a quoted document: a block quote, a letter (“Dear
//! …”, or what follows a line such as “The letter read:”), a newspaper
//! (“the headline said …”).

use std::ops::Range;
use std::sync::LazyLock;

use globset::{Glob, GlobMatcher};
use regex::Regex;
use regex_automata::meta;

use crate::config::{Config, StoryFolders, WrittenYear, YearSpec, shown_year};
use crate::language::Language;
use crate::text::{Block, BlockKind, Chapter, Manuscript, SourceFormat, Span};

/// A chapter's story year (or range of years) and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoryYear {
    pub first: i32,
    pub last: i32,
    /// "from --year", "inferred from chapter-01.md:3" …
    pub source: String,
    /// Written with its era (`44 BC`): meant, not a typo for 44.
    pub era: bool,
    /// Given with `--year`: every chapter takes it whole (no dated
    /// sections).
    pub forced: bool,
}

impl StoryYear {
    /// "story year 1996, inferred from chapter-01.md:3" or "story years
    /// 1990–1995, from manulint.toml `[story]`".
    pub fn describe(&self) -> String {
        format!("{}, {}", self.named(), self.source)
    }

    /// "story year 1996", "story year 44 BC" or "story years 1990–1995".
    pub fn named(&self) -> String {
        if self.first == self.last {
            format!("story year {}", shown_year(self.first))
        } else {
            format!(
                "story years {}–{}",
                shown_year(self.first),
                shown_year(self.last)
            )
        }
    }
}

/// Everything the config says about years, checked once.
#[derive(Debug)]
pub struct YearSettings {
    cli: Option<WrittenYear>,
    /// `[story]`'s first and last year, and whether `year` was written
    /// with its era.
    story: Option<(i32, i32, bool)>,
    chapters: Vec<(String, GlobMatcher, i32, i32)>,
    /// What the `chapters` globs are relative to (see
    /// [`crate::config::StoryConfig::folders`]).
    folders: Option<StoryFolders>,
    /// How findings name the config file (`manulint.toml`,
    /// `sequel/manulint.toml`; see [`crate::config::StoryConfig::shown_config`]).
    config_name: String,
}

fn spec_range(spec: &YearSpec) -> (i32, i32) {
    match spec {
        YearSpec::One(y) => (*y, *y),
        YearSpec::Range([a, b]) => (*a.min(b), *a.max(b)),
    }
}

impl YearSettings {
    /// Reads `--year`, `[story]` and `[story.chapters]`. Errors: both
    /// `year` and `years` set, or a bad glob.
    pub fn from_config(config: &Config) -> Result<YearSettings, String> {
        let story = &config.story;
        let range = match (story.year, story.years.as_ref().map(|y| *y.get_ref())) {
            (Some(_), Some(_)) => {
                return Err("[story] sets both `year` and `years`; keep one".to_string());
            }
            (Some(y), None) => Some((y.year, y.year, y.era)),
            (None, Some([a, b])) => Some((a.min(b), a.max(b), false)),
            (None, None) => None,
        };
        let mut chapters = Vec::new();
        for (pattern, spec) in &story.chapters {
            let glob = Glob::new(pattern)
                .map_err(|e| format!("[story.chapters] bad glob `{pattern}`: {e}"))?;
            let (first, last) = spec_range(spec);
            chapters.push((pattern.clone(), glob.compile_matcher(), first, last));
        }
        Ok(YearSettings {
            cli: story.cli_year,
            story: range,
            chapters,
            folders: story.folders.clone(),
            config_name: story
                .shown_config
                .clone()
                .unwrap_or_else(|| "manulint.toml".to_string()),
        })
    }

    /// A key that tells these settings apart, for shared analyses.
    pub fn key(&self) -> String {
        let globs: Vec<String> = self
            .chapters
            .iter()
            .map(|(p, _, a, b)| format!("{p}={a}-{b}"))
            .collect();
        format!(
            "{:?}/{:?}/{}/{}/{:?}",
            self.cli,
            self.story,
            globs.join(","),
            self.config_name,
            self.folders.as_ref().map(|f| &f.root)
        )
    }

    /// The year every chapter gets from configuration alone, if any.
    fn configured(&self, chapter: &Chapter) -> Option<StoryYear> {
        if let Some(year) = self.cli {
            return Some(StoryYear {
                first: year.year,
                last: year.year,
                source: "from --year".to_string(),
                era: year.era,
                forced: true,
            });
        }
        None.or_else(|| front_matter_year(chapter))
            .or_else(|| {
                if self.chapters.is_empty() {
                    return None;
                }
                let path = self.path_for_globs(chapter);
                let name = chapter.file_name();
                self.chapters
                    .iter()
                    .find(|(_, m, _, _)| m.is_match(&path) || m.is_match(&name))
                    .map(|(pattern, _, first, last)| StoryYear {
                        first: *first,
                        last: *last,
                        source: format!("from {} [story.chapters] \"{pattern}\"", self.config_name),
                        era: false,
                        forced: false,
                    })
            })
            .or_else(|| {
                self.story.map(|(first, last, era)| StoryYear {
                    first,
                    last,
                    source: format!("from {} [story]", self.config_name),
                    era,
                    forced: false,
                })
            })
    }
}

impl YearSettings {
    /// The path `[story.chapters]` globs are matched against: the
    /// chapter's from the config file's folder, wherever the run started
    /// (“book/00-prologue.md” from inside `book/` too), as `[[overrides]]`
    /// are; without a config file, as given.
    fn path_for_globs(&self, chapter: &Chapter) -> std::path::PathBuf {
        match &self.folders {
            Some(StoryFolders { root, cwd }) => {
                let path = crate::pipeline::absolute(cwd, &chapter.path);
                match path.strip_prefix(root) {
                    Ok(relative) => relative.to_path_buf(),
                    Err(_) => path,
                }
            }
            None => chapter
                .path
                .strip_prefix("./")
                .unwrap_or(&chapter.path)
                .to_path_buf(),
        }
    }
}

/// A front-matter `year` that is no year (“1943a”, “eighteen”, “August
/// 1943”): where it is, what it says, and the year it seems to hold (its
/// one run of three or four digits), if any.
pub struct UnreadableYear {
    pub chapter: usize,
    /// The value's span in the chapter text.
    pub span: Span,
    pub value: String,
    pub meant: Option<String>,
}

impl YearSettings {
    /// Every chapter whose front matter sets a `year` that is no year (a
    /// blank one, `year:` or `year: ~`, sets nothing): it is ignored, and
    /// the configuration or the chapter's text decides its year. Empty under `--year`,
    /// which overrides front matter.
    pub fn unreadable_front_matter(&self, manuscript: &Manuscript) -> Vec<UnreadableYear> {
        if self.cli.is_some() {
            return Vec::new();
        }
        manuscript
            .chapters
            .iter()
            .filter_map(|chapter| {
                let (value, span) = chapter.front_matter.as_ref()?.get("year")?;
                // A blank template field (`year:`, `year: ~`) sets nothing.
                let blank = matches!(value.trim(), "" | "~" | "null");
                (!blank && WrittenYear::parse(&value).is_none()).then(|| UnreadableYear {
                    chapter: chapter.index,
                    span,
                    meant: year_in(&value),
                    value,
                })
            })
            .collect()
    }
}

/// The one run of three or four ASCII digits in `value` (“1943” in
/// “1943-08-15” or “August 1943”); `None` for none or several.
fn year_in(value: &str) -> Option<String> {
    let mut runs = value
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| (3..=4).contains(&run.len()));
    let first = runs.next()?;
    runs.next().is_none().then(|| first.to_string())
}

fn front_matter_year(chapter: &Chapter) -> Option<StoryYear> {
    let (value, span) = chapter.front_matter.as_ref()?.get("year")?;
    // A value that is no year ("199x") is ignored (and reported, see
    // `unreadable_front_matter`); the text decides.
    let year = WrittenYear::parse(&value)?;
    let line = chapter.line_col(span.start as usize).line;
    Some(StoryYear {
        first: year.year,
        last: year.year,
        source: format!("from the front matter of {}:{line}", chapter.shown_name()),
        era: year.era,
        forced: false,
    })
}

/// Resolves every chapter's year in reading order: configuration, then the
/// chapter's own text, then the previous chapter's year. `Err` (with a
/// reason for `--verbose`) where no source gives one.
pub fn resolve(settings: &YearSettings, manuscript: &Manuscript) -> Vec<Result<StoryYear, String>> {
    let mut carried: Option<StoryYear> = None;
    // Until a year is carried, the years the latest chapter with two
    // four-digit ones or more mentions: a later “summer of '89” is read
    // near them (Holmes's 1880s dates make it 1889) when its own chapter
    // has none. One alone may be history (“the Armada of 1588”).
    let mut mentioned: Option<i32> = None;
    let mut out = Vec::with_capacity(manuscript.chapters.len());
    for chapter in &manuscript.chapters {
        if let Some(year) = settings.configured(chapter) {
            carried = Some(year.clone());
            out.push(Ok(year));
            continue;
        }
        let own = match carried {
            Some(_) => None,
            None => mean_year(chapter),
        };
        if carried.is_none()
            && let Some(several) = years_mentioned(chapter, 2)
        {
            mentioned = Some(several);
        }
        // The statements of one chapter, read against the year carried
        // into it, are kept with the chapter (a language server reads only
        // an edited chapter again).
        let near = carried.as_ref().map(|y| y.last).or(own).or(mentioned);
        let inferred = chapter.memo(&format!("story-year/{near:?}"), |c| infer_near(c, near));
        if let Some((year, offset)) = *inferred {
            let year = StoryYear {
                first: year,
                last: year,
                source: format!("inferred from {}", chapter.place(offset)),
                era: false,
                forced: false,
            };
            carried = Some(at_the_end(chapter, &year));
            out.push(Ok(year));
            continue;
        }
        match &carried {
            Some(year) => {
                let year = year.clone();
                carried = Some(at_the_end(chapter, &year));
                out.push(Ok(year));
            }
            None => out.push(Err(format!(
                "{}: no story year (no --year, front matter `year`, [story] in manulint.toml, \
                 or statement such as “It was 1996.” in this or an earlier chapter); not checked",
                chapter.name()
            ))),
        }
    }
    out
}

/// The year in force where `chapter`, whose year is `year`, ends: that of
/// its last dated section, if it ends in one (“## 1981” after “## 1962”),
/// which a next chapter stating no year takes on.
fn at_the_end(chapter: &Chapter, year: &StoryYear) -> StoryYear {
    dated_sections(chapter, year.clone())
        .at(chapter.text.len() as u32)
        .clone()
}

/// A chapter's story year and the years of its dated sections: a memoir's
/// chapter set in 1981 with a section headed “## 1962”.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChapterYears {
    /// The chapter's year: its text's before any dated section, and
    /// after one ends.
    pub chapter: StoryYear,
    /// From each offset on (ascending), the year of the text until the
    /// next: a dated section's, or `None` where the chapter's resumes.
    pub sections: Vec<(u32, Option<StoryYear>)>,
}

impl ChapterYears {
    /// The chapter's year alone, with no dated sections.
    pub fn whole(chapter: StoryYear) -> ChapterYears {
        ChapterYears {
            chapter,
            sections: Vec::new(),
        }
    }

    /// The story year at byte `offset` of the chapter.
    pub fn at(&self, offset: u32) -> &StoryYear {
        let i = self.sections.partition_point(|&(start, _)| start <= offset);
        match i.checked_sub(1).map(|i| &self.sections[i].1) {
            Some(Some(year)) => year,
            _ => &self.chapter,
        }
    }

    /// The years of the dated sections, for the verbose note: “; from
    /// line 9, story year 1962, inferred from ch08.md:9; from line 15, the
    /// chapter's year again”.
    pub fn describe_sections(&self, chapter: &Chapter) -> String {
        let mut described = String::new();
        let mut dated = false;
        for (start, year) in &self.sections {
            let line = chapter.line_col(*start as usize).line;
            match year {
                Some(year) => {
                    described.push_str(&format!("; from line {line}, {}", year.describe()));
                    dated = true;
                }
                // A return to the chapter's year, after a dated section.
                None if dated => {
                    described.push_str(&format!("; from line {line}, the chapter's year again"));
                    dated = false;
                }
                None => {}
            }
        }
        described
    }
}

/// A dated section's year and where it is written (see [`dated_sections`]).
type Dated = Option<(i32, usize)>;

/// The dated sections of `chapter`, whose own year is `year` (see
/// [`ChapterYears`]): a heading that is a date or dateline (“## 1962”,
/// “## Boston, March 1944”) dates the text up to the next heading of its
/// level or higher; a date line right after a scene break (not a letter's,
/// over its “Dear …”) dates the text up to the next scene break or
/// heading, where the heading's year, if any, resumes. A section's own
/// statements (“It was 1962.”) are not read: the dateline is the
/// section's year. A year given with `--year` has no sections: every
/// chapter takes it whole.
pub fn dated_sections(chapter: &Chapter, year: StoryYear) -> ChapterYears {
    let mut years = ChapterYears::whole(year);
    if years.chapter.forced {
        return years;
    }
    let century = Century {
        near: Some(years.chapter.last),
    };
    // The dated heading in force and its level; the date line after the
    // last scene break, which wins while it lasts.
    let mut heading: Option<((i32, usize), u8)> = None;
    let mut after_break: Dated = None;
    let mut in_force: Dated = None;
    let mut break_before = false;
    for (index, block) in chapter.blocks.iter().enumerate() {
        let prose = chapter.prose_slice(block.span);
        let trimmed = prose.trim();
        let lead = prose.len() - prose.trim_start().len();
        let dated = || {
            list_marker_year(chapter, block).or_else(|| {
                dateline(trimmed, century).map(|(y, at)| (y, block.span.start as usize + lead + at))
            })
        };
        match block.kind {
            BlockKind::SceneBreak => after_break = None,
            BlockKind::Heading { level } => {
                after_break = None;
                match dated() {
                    Some(dated) => heading = Some((dated, level)),
                    None if heading.is_some_and(|(_, dated_level)| level <= dated_level) => {
                        heading = None
                    }
                    None => {}
                }
            }
            BlockKind::Paragraph => {
                // Only right after a scene break: the words are not counted
                // for every paragraph of the chapter.
                if break_before
                    && trimmed.split_whitespace().nth(6).is_none()
                    && !heads_a_letter(chapter, index)
                    && let Some(dated) = dated()
                {
                    after_break = Some(dated);
                }
            }
        }
        break_before = block.kind == BlockKind::SceneBreak;
        let now = after_break.or(heading.map(|(dated, _)| dated));
        if now.map(|(y, _)| y) != in_force.map(|(y, _)| y) {
            in_force = now;
            let section = now.map(|(y, at)| StoryYear {
                first: y,
                last: y,
                source: format!("inferred from {}", chapter.place(at)),
                era: false,
                forced: false,
            });
            years.sections.push((block.span.start, section));
        }
    }
    // A section dated with the chapter's own year is the chapter's (its
    // first dated heading often is what gave the chapter its year).
    let own = (years.chapter.first, years.chapter.last);
    for (_, year) in &mut years.sections {
        if year.as_ref().is_some_and(|y| (y.first, y.last) == own) {
            *year = None;
        }
    }
    years
        .sections
        .dedup_by(|b, a| a.1.is_none() && b.1.is_none());
    if years.sections.iter().all(|(_, year)| year.is_none()) {
        years.sections.clear();
    }
    years
}

/// A four-digit year from 1500 to 2999 (group `y`) or an apostrophe and
/// two digits (`yy`). The years of science fiction (“It was 2187.”) are
/// read as the others are: a chapter set then draws no finding, where
/// carrying an earlier chapter's year over made its present an
/// anachronism. Digits are ASCII (`[0-9]`): Unicode's `\d` takes every
/// script's digits, which no year is written in, and made the phrases take
/// half as long again to compile (3.6 ms against 5–6 ms, on every run that
/// reads a story year from the text).
const YEAR: &str = r"(?:(?P<y>1[5-9][0-9][0-9]|2[0-9][0-9][0-9])|['’](?P<yy>[0-9][0-9]))\b";

/// The years [`YEAR`] reads as four digits.
const FOUR_DIGIT_YEARS: std::ops::Range<i32> = 1500..3000;
const SEASON: &str = r"(?:spring|summer|autumn|fall|winter|springtime|summertime)";
const MONTH: &str =
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)";
/// The days and times of day a statement of the year may name first:
/// “It was the last Sunday of August, 1987”.
const DAY: &str = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|morning|afternoon|evening|night|day|week|weekend)";
/// Days a year is often named by: “New Year's Eve, 1999”.
const HOLIDAY: &str = r"(?:New Year[’']s(?: Eve| Day)?|Christmas(?: Eve| Day)?|Easter(?: Sunday)?|Thanksgiving(?: Day)?|Halloween|Hallowe[’']en|Midsummer(?: Eve| Day)?|Independence Day|Bastille Day|Guy Fawkes Night|Bonfire Night|Boxing Day|Good Friday|All Saints[’'] Day|Valentine[’']s Day)";

/// How much a phrase says about the story's present.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    /// “in 1996”.
    Mention = 1,
    /// “June 3, 1996”, “August 1987”.
    Date = 2,
    /// “It was 1996.”, “the summer of 1974”, a dateline: sets the year.
    Statement = 3,
}

/// Phrases that state a year inside a sentence, strongest first, by
/// language: each compiled the first time a chapter in it is read.
static PHRASES: LazyLock<Vec<(Regex, Strength)>> = LazyLock::new(|| compile(english_phrases()));
static FRENCH_PHRASES: LazyLock<Vec<(Regex, Strength)>> =
    LazyLock::new(|| compile(french_phrases()));
static SPANISH_PHRASES: LazyLock<Vec<(Regex, Strength)>> =
    LazyLock::new(|| compile(spanish_phrases()));
static GERMAN_PHRASES: LazyLock<Vec<(Regex, Strength)>> =
    LazyLock::new(|| compile(german_phrases()));

/// The sources of [`PHRASES`].
fn english_phrases() -> Vec<(String, Strength)> {
    let when = format!(r"(?:(?:early|late|mid-?|high|deep)[ -])?(?:{SEASON}|{MONTH}|{HOLIDAY})");
    let patterns = [
        // "It was 1996." "It was August of 1987" "It was the summer of
        // 1996" "It was spring, 1974" "It is New Year's Eve, 1999" "It
        // was March 3, 1944"
        (
            format!(
                r"(?i)\b(?:it|this) (?:was|is)(?: now)? (?:(?:the|that|an?) )?(?:(?:{when}|year)(?: [0-9]{{1,2}}(?:st|nd|rd|th)?)?(?:,? | of (?:the year )?))?{YEAR}"
            ),
            Strength::Statement,
        ),
        // "It was the last Sunday of August, 1987", "It was a Tuesday in
        // March 1944", "It was a wet Sunday in 1944"; never a bare number
        // after the day ("It was a night 1500 men would never forget")
        (
            format!(
                r"(?i)\b(?:it|this) (?:was|is)(?: now)? (?:(?:the|that|an?) )?(?:[A-Za-z-]{{1,20}} )?{DAY}(?: (?:in|of) (?:the )?{when},? |,? (?:in|of) |, ){YEAR}"
            ),
            Strength::Statement,
        ),
        (
            format!(r"(?i)\bthe year (?:was|is) {YEAR}"),
            Strength::Statement,
        ),
        (
            format!(r"(?i)\bthat (?:was|is) the year {YEAR}"),
            Strength::Statement,
        ),
        (
            format!(r"\b{YEAR},? (?:was|is) the year\b"),
            Strength::Statement,
        ),
        // "the summer of 1974", "that autumn of '68", "in the April of
        // 1921", "Christmas of 1943"
        (
            format!(r"(?i)\b(?:the |that |this )?{when} of {YEAR}"),
            Strength::Statement,
        ),
        // "New Year's Eve, 1999", "spring, 1974", "Christmas 1943"
        (
            format!(r"(?i)\b(?:{SEASON}|{HOLIDAY}),? {YEAR}"),
            Strength::Statement,
        ),
        (
            format!(r"\b{MONTH}(?: [0-9]{{1,2}}(?:st|nd|rd|th)?)?,? {YEAR}"),
            Strength::Date,
        ),
        (
            format!(r"\b[0-9]{{1,2}}(?:st|nd|rd|th)? {MONTH},? {YEAR}"),
            Strength::Date,
        ),
        // Numeric dates, as phones and chat exports write them:
        // “[14/02/2016, 23:41]”, “2/14/2016”, “14.02.2016”.
        (
            format!(r"\b[0-3]?[0-9][/.][01]?[0-9][/.]{YEAR}"),
            Strength::Date,
        ),
        (format!(r"(?i)\bin the year {YEAR}"), Strength::Date),
        (format!(r"\b[Ii]n {YEAR}"), Strength::Mention),
    ];
    patterns.into()
}

/// The phrases stating a year in the chapter's language (English for a
/// language manulint has none for).
fn phrases(language: &Language) -> &'static [(Regex, Strength)] {
    match language {
        Language::French => &FRENCH_PHRASES,
        Language::Spanish => &SPANISH_PHRASES,
        Language::German => &GERMAN_PHRASES,
        _ => &PHRASES,
    }
}

fn compile(patterns: Vec<(String, Strength)>) -> Vec<(Regex, Strength)> {
    patterns
        .into_iter()
        .map(|(p, s)| (Regex::new(&spaced(&p)).expect("static regex"), s))
        .collect()
}

/// `pattern` with each space outside a character class standing for the
/// space a writer's file has there: one or two spaces or a line break
/// inside the paragraph (`\n`, `\r\n`, trailing spaces before one), so that
/// “It was August of⏎1947” in a hard-wrapped chapter is read. Bounded, so
/// that the phrases keep a longest match (see [`PHRASE_REACH`]).
fn spaced(pattern: &str) -> String {
    const SPACE: &str = r"[ \t\r\n]{1,4}";
    let mut out = String::with_capacity(pattern.len() * 2);
    let (mut in_class, mut escaped) = (false, false);
    for c in pattern.chars() {
        match c {
            ' ' if !in_class && !escaped => out.push_str(SPACE),
            _ => out.push(c),
        }
        match c {
            '[' if !escaped => in_class = true,
            ']' if !escaped => in_class = false,
            _ => {}
        }
        escaped = c == '\\' && !escaped;
    }
    out
}

/// “C’était en 1987”, “C’était l’été 1974”, “Nous étions en 1987”, “l’été
/// de 1974”, “au printemps 1974”, “en juin 1987”, “le 3 juin 1987”, “en
/// 1987”.
fn french_phrases() -> Vec<(String, Strength)> {
    let season = r"(?:printemps|été|automne|hiver)";
    let month =
        r"(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)";
    let when = format!(
        r"(?:(?:l['’]|le |la |cet |cette |ce |au |en |à la |à l['’])?(?:{season}|{month}|Noël|Pâques|(?:la )?Toussaint|(?:le )?14 juillet))"
    );
    vec![
        (
            format!(
                r"(?i)\b(?:c['’](?:était|est)|nous étions|on était|nous sommes|on est) (?:en |l['’]an |l['’]année )?(?:{when},? (?:de |en )?)?{YEAR}"
            ),
            Strength::Statement,
        ),
        (
            format!(r"(?i)\bl['’]année (?:était|est) {YEAR}"),
            Strength::Statement,
        ),
        (
            format!(
                r"(?i)\b(?:l['’]|le |la |cet |cette |au |en )(?:{season}|{month}) (?:de |d['’])?{YEAR}"
            ),
            Strength::Statement,
        ),
        (
            format!(r"(?i)\b(?:le )?[0-9]{{1,2}}(?:er)? {month},? {YEAR}"),
            Strength::Date,
        ),
        (format!(r"(?i)\ben {month} {YEAR}"), Strength::Date),
        (format!(r"(?i)\ben l['’]an(?:née)? {YEAR}"), Strength::Date),
        (format!(r"(?i)\ben {YEAR}"), Strength::Mention),
    ]
}

/// “Era 1974”, “Corría el año 1974”, “En el verano de 1974”, “el verano
/// de 1974”, “junio de 1974”, “el 3 de junio de 1974”, “en 1974”.
fn spanish_phrases() -> Vec<(String, Strength)> {
    let season = r"(?:primavera|verano|otoño|invierno)";
    let month = r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)";
    vec![
        (
            format!(
                r"(?i)\b(?:era|es|corría|estábamos en|estamos en)(?: el)?(?: año| (?:el |la )?(?:{season}|{month})(?: del?)?)? {YEAR}"
            ),
            Strength::Statement,
        ),
        (
            format!(r"(?i)\bel año (?:era|es|fue) {YEAR}"),
            Strength::Statement,
        ),
        (
            format!(
                r"(?i)\b(?:en )?(?:el|la|aquel|aquella|ese|esa|este|esta) (?:{season}|{month}) del? {YEAR}"
            ),
            Strength::Statement,
        ),
        (
            format!(r"(?i)\b[0-9]{{1,2}} de {month} del? {YEAR}"),
            Strength::Date,
        ),
        (format!(r"(?i)\b{month} del? {YEAR}"), Strength::Date),
        (format!(r"(?i)\ben el año {YEAR}"), Strength::Date),
        (format!(r"(?i)\ben {YEAR}"), Strength::Mention),
    ]
}

/// “Es war 1974”, “Wir schrieben das Jahr 1974”, “Im Sommer 1974”, “im
/// Juni 1974”, “am 3. Juni 1974”, “im Jahr 1987”.
fn german_phrases() -> Vec<(String, Strength)> {
    let season = r"(?:Frühling|Frühjahr|Sommer|Herbst|Winter)";
    let month = r"(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)";
    vec![
        (
            format!(
                r"(?i)\b(?:es war|es ist|wir schrieben|man schrieb)(?: das Jahr| (?:der |im )?(?:{season}|{month}))? {YEAR}"
            ),
            Strength::Statement,
        ),
        (
            format!(r"(?i)\bdas Jahr (?:war|ist) {YEAR}"),
            Strength::Statement,
        ),
        (
            format!(
                r"(?i)\b(?:im|jenen|diesen|den|der) (?:{season}|Spätsommer|Frühsommer) (?:des Jahres )?{YEAR}"
            ),
            Strength::Statement,
        ),
        (
            format!(r"(?i)\b(?:am )?[0-9]{{1,2}}\. {month} {YEAR}"),
            Strength::Date,
        ),
        (format!(r"(?i)\bim {month} {YEAR}"), Strength::Date),
        (format!(r"(?i)\bim Jahre? {YEAR}"), Strength::Date),
        (format!(r"\b[Ii]n {YEAR}"), Strength::Mention),
    ]
}

/// Words before a year that look back from the story's present, in French,
/// Spanish and German (see [`LOOK_BACK`]).
fn other_look_back(language: &Language) -> &'static Regex {
    static FRENCH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:depuis|avant|après|jusqu|dès|il y a|autrefois|jadis|naguère|souv(?:enir|enait|iens|int)|rappel(?:ait|le|a)|mémoire|né|née|mort|morte|quand (?:elle|il|j['’]|nous) étai(?:t|s|ent))\b")
            .expect("static regex")
    });
    static SPANISH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:desde|antes|después|hasta|hace|recuerd[oa]|record(?:aba|ó|ar)|memoria|nació|murió|cuando (?:era|éramos|eran))\b")
            .expect("static regex")
    });
    static GERMAN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:seit|vor|nach|bis|damals|früher|einst|erinnert(?:e|en)?|Erinnerung|geboren|gestorben|als (?:sie|er|ich|wir) (?:klein|jung|ein Kind))\b")
            .expect("static regex")
    });
    match language {
        Language::French => &FRENCH,
        Language::Spanish => &SPANISH,
        _ => &GERMAN,
    }
}

/// A dated heading or dateline: “Los Angeles, 1996”, “## March 1944”,
/// “Spring, 1974”, “1987. Los Angeles.”, “Chapter 3: 1987”, a numeric date
/// year first (“LOG 2187.04.12 — 0600”, “Entry 1944-03-14”), and with the
/// lowercase months and seasons of French and Spanish: “Marseille, août
/// 1962.”, “Madrid, agosto de 1975.”, “## Été 1962”. Three patterns, each
/// with a test of its text's bytes that every match passes: a pattern is
/// compiled (a millisecond or two each, for its large Unicode classes) only
/// when a block passes its test, which “Chapter 12” does not.
static DATELINES: [(MayMatch, &LazyLock<meta::Regex>); 3] = [
    (ends_with_a_year, &YEAR_LAST),
    (starts_with_a_year, &YEAR_FIRST),
    (holds_a_numeric_date, &NUMERIC_DATE),
];

/// A test of a text's bytes that every match of a pattern passes.
type MayMatch = fn(&[u8]) -> bool;

/// A pattern only ever run on a short text (a heading, a date line) or
/// anchored at its start, built without the lazy DFA: the regex crate also
/// compiles a reverse automaton for that, half of the time to build one
/// with large Unicode classes (the dateline and opening patterns took 3.2
/// ms of every run that reads them). The matches are the regex crate's.
fn for_short_texts(pattern: &str) -> meta::Regex {
    meta::Regex::builder()
        .configure(meta::Config::new().hybrid(false).dfa(false))
        .build(pattern)
        .expect("static regex")
}

/// The words of a dateline before or after its year.
const DATELINE_WORD: &str = r"(?:[\p{Lu}\d][\p{L}\d.'’-]*|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|printemps|été|automne|hiver|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|primavera|verano|otoño|invierno|de|del|d['’]|en)";

/// “Los Angeles, 1996”, “## March 1944”: the year last.
static YEAR_LAST: LazyLock<meta::Regex> = LazyLock::new(|| {
    let word = DATELINE_WORD;
    for_short_texts(&format!(r"^(?:{word}[ ,:.–—-]+){{0,5}}{YEAR}\.?$"))
});

/// “1987. Los Angeles.”: the year first.
static YEAR_FIRST: LazyLock<meta::Regex> = LazyLock::new(|| {
    let word = DATELINE_WORD;
    for_short_texts(&format!(
        r"^{YEAR}[.,:]?(?:[ ,:.–—-]+(?:{word}|of|the|in|on))*\.?$"
    ))
});

/// “LOG 2187.04.12 — 0600”: a numeric date, year first.
static NUMERIC_DATE: LazyLock<meta::Regex> = LazyLock::new(|| {
    let word = DATELINE_WORD;
    for_short_texts(&format!(
        r"^(?:{word}[ ,:.–—-]+){{0,5}}{YEAR}[-./](?:0[1-9]|1[0-2])[-./](?:0[1-9]|[12][0-9]|3[01])(?:[ ,:.–—-]+[\p{{L}}\d:.]+){{0,3}}\.?$"
    ))
});

/// Whether `digits` are a four-digit [`YEAR`]: `1500`–`2999`.
fn is_four_digit_year(digits: &[u8]) -> bool {
    matches!(digits, [b'1', b'5'..=b'9', c, d] | [b'2', b'0'..=b'9', c, d]
        if c.is_ascii_digit() && d.is_ascii_digit())
}

/// Whether `text` ends with a [`YEAR`] (four digits, or `'87`), then
/// perhaps a full stop: as every match of [`YEAR_LAST`] does.
fn ends_with_a_year(text: &[u8]) -> bool {
    let body = text.strip_suffix(b".").unwrap_or(text);
    let Some(split) = body.len().checked_sub(2) else {
        return false;
    };
    let (head, last_two) = body.split_at(split);
    last_two.iter().all(u8::is_ascii_digit)
        && (body.len() >= 4 && is_four_digit_year(&body[body.len() - 4..])
            || head.ends_with(b"'")
            || head.ends_with("’".as_bytes()))
}

/// Whether `text` starts with a [`YEAR`]: as every match of
/// [`YEAR_FIRST`] does.
fn starts_with_a_year(text: &[u8]) -> bool {
    let two_digits = |rest: &[u8]| rest.len() >= 2 && rest[..2].iter().all(u8::is_ascii_digit);
    text.get(..4).is_some_and(is_four_digit_year)
        || text.strip_prefix(b"'").is_some_and(two_digits)
        || text.strip_prefix("’".as_bytes()).is_some_and(two_digits)
}

/// Whether `text` holds a digit, then `-`, `.` or `/`, two digits and one
/// of those again: as every match of [`NUMERIC_DATE`] does (its year's
/// last digit, month and separators).
fn holds_a_numeric_date(text: &[u8]) -> bool {
    let separator = |b: &u8| matches!(b, b'-' | b'.' | b'/');
    text.windows(5).any(|w| {
        w[0].is_ascii_digit()
            && separator(&w[1])
            && w[2].is_ascii_digit()
            && w[3].is_ascii_digit()
            && separator(&w[4])
    })
}

/// Words before a year, in its sentence, that make it a look back (or
/// ahead), not the story's present.
static LOOK_BACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:back|since|ago|until|till|before|after|by|as early as|as far back as|remember(?:s|ed|ing)?|recall(?:s|ed|ing)?|memor(?:y|ies)|born|died|had|used to|thought (?:of|about|back)|dreamed|dreamt|years earlier|long before|once|when (?:she|he|i|we|they|you) (?:was|were)|as a (?:girl|boy|child|young))\b",
    )
    .expect("static regex")
});

/// “In the spring of 1912 he had signed …”, “The summer of 1938 had been
/// the hottest …”: the past perfect right after a time phrase (or one
/// word after it, the subject) looks back from the story's present.
static PAST_PERFECT: LazyLock<meta::Regex> =
    LazyLock::new(|| for_short_texts(r"^\s+(?:[\p{L}’']+\s+)?had\b"));

/// A sentence that quotes a document: “the headline read …”.
static DOCUMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:letter|note|newspaper|paper|headline|article|clipping|telegram|diary|journal|postcard|card|inscription|headstone|gravestone|plaque|notice|poster|dateline|masthead|postmark)s?\b[^.!?]*\b(?:read|reads|said|says|dated|announced|reported|proclaimed|ran|printed|bore|showed)\b",
    )
    .expect("static regex")
});

/// The year the chapter's own text states, and the offset of the
/// statement (see the module docs).
pub fn infer(chapter: &Chapter) -> Option<(i32, usize)> {
    infer_near(chapter, None)
}

/// Like [`infer`]; a two-digit year (“the summer of '89”) is read in the
/// century that puts it nearest `near` (the previous chapter's year), or
/// else the chapter's own four-digit years.
pub fn infer_near(chapter: &Chapter, near: Option<i32>) -> Option<(i32, usize)> {
    let century = Century {
        near: near.or_else(|| mean_year(chapter)),
    };
    // (year, weight, offset of its strongest phrase, that phrase's strength)
    let mut mentions: Vec<(i32, u32, usize, Strength)> = Vec::new();
    let mut introduced = false;
    let mut before_first_paragraph = true;
    let mut after_heading_or_break = true;
    let mut in_recap = false;
    // Paragraphs of a letter still to come after its salutation (see below).
    let mut letter_blocks: Option<usize> = None;
    // The level of the dated heading whose section this is (see
    // [`dated_sections`]): its text has that year, not the chapter's, which
    // is stated outside such sections or else is the first one's.
    let mut dated_section: Option<u8> = None;
    let mut first_dated: Option<(i32, usize)> = None;
    for (index, block) in chapter.blocks.iter().enumerate() {
        let prose = chapter.prose_slice(block.span);
        let trimmed = prose.trim();
        let opens_section = after_heading_or_break;
        after_heading_or_break = !matches!(block.kind, BlockKind::Paragraph);
        // A series' “Previously” section looks back on the books before:
        // its years are theirs, up to the next heading. Not the chapter's
        // own title: a chapter called “Previously” is the story.
        if let BlockKind::Heading { level } = block.kind {
            in_recap = index > 0 && is_recap_heading(trimmed);
            let lead = prose.len() - prose.trim_start().len();
            if !in_recap && let Some((year, at)) = dateline(trimmed, century) {
                dated_section = Some(level);
                first_dated.get_or_insert((year, block.span.start as usize + lead + at));
                continue;
            }
            if dated_section.is_some_and(|dated| level <= dated) {
                dated_section = None;
            }
        }
        if in_recap || dated_section.is_some() {
            continue;
        }
        // A block after “The letter read:” is the letter; so are the
        // paragraphs after a salutation on a line of its own (“Dear Tom,”),
        // up to a short one (its sign-off), a heading or a scene break.
        // Seven words at most: the tests below ask no more, and counting a
        // long paragraph's every word cost a pass over the chapter.
        let words = trimmed.split_whitespace().take(7).count();
        let in_a_letter = match letter_blocks {
            Some(left) if block.kind == BlockKind::Paragraph && left > 0 => {
                letter_blocks = (words > 6).then_some(left - 1);
                true
            }
            _ => {
                letter_blocks = None;
                false
            }
        };
        if block.kind == BlockKind::Paragraph
            && words <= 4
            && opens_with_salutation(trimmed)
            && trimmed.ends_with([',', ':', '!'])
        {
            letter_blocks = Some(MAX_LETTER_BLOCKS);
        }
        let quoted = introduced || in_a_letter || is_document_block(chapter, block, trimmed);
        introduced = trimmed.ends_with(':');
        if trimmed.is_empty() || quoted {
            continue;
        }
        let lead = prose.len() - prose.trim_start().len();
        let short = words <= 6;
        // The chapter's opening paragraph, where “In 1943, the Navy took
        // the light.” announces a time jump; headings and short lines
        // before it (“Chapter 2” as a Markdown paragraph) do not count.
        let opening = before_first_paragraph && !block.is_heading();
        before_first_paragraph &= block.is_heading() || short;
        if block.is_heading() || short {
            if let Some((year, at)) = list_marker_year(chapter, block) {
                return Some((year, at));
            }
            if let Some(year) = dateline(trimmed, century) {
                let at = block.span.start as usize + lead + year.1;
                if (opens_section || before_first_paragraph) && !heads_a_letter(chapter, index) {
                    return Some((year.0, at));
                }
                // A date line among the narration, or at a letter's head,
                // dates the diary entry or the letter below it: it is only
                // a date of the chapter's (“14 March 1944” in the diary
                // a 1975 narrator reads).
                add_mention(&mut mentions, year.0, at, Strength::Date);
                continue;
            }
        }
        if !has_digit(trimmed) {
            continue;
        }
        // Every phrase of the block, the strongest reading of each place,
        // in the order they are written.
        let mut found: Vec<(usize, usize, i32, usize, Strength)> = Vec::new();
        let windows = year_windows(prose);
        // A number that is no year (“Chapter 12”): the phrases need not
        // even be compiled.
        if windows.is_empty() {
            continue;
        }
        for (pattern, strength) in phrases(&chapter.language) {
            let before = found.len();
            for window in &windows {
                for caps in pattern.captures_iter(&prose[window.clone()]) {
                    let (Some(whole), Some((year, year_at))) = (caps.get(0), {
                        let group = |name| caps.name(name).map(|m| m.range());
                        year_of(&prose[window.clone()], group("y"), group("yy"), century)
                    }) else {
                        continue;
                    };
                    let (start, end) = (window.start + whole.start(), window.start + whole.end());
                    // A phrase overlapping one an earlier pattern found is
                    // the same statement. Those never overlap each other,
                    // so sorted by start they are sorted by end too.
                    let earlier = &found[..before];
                    let next = earlier.partition_point(|f| f.1 <= start);
                    if earlier.get(next).is_some_and(|&(s, ..)| s < end) {
                        continue;
                    }
                    found.push((start, end, year, window.start + year_at, *strength));
                }
            }
            found.sort_by_key(|f| f.0);
        }
        for (start, end, year, year_at, mut strength) in found {
            let at = block.span.start as usize + start;
            if !counts(chapter, block, prose, at, end - start) {
                continue;
            }
            if opening && start == lead && opens_the_story(&chapter.language, prose, start, end) {
                strength = Strength::Statement;
            }
            if strength == Strength::Statement {
                return Some((year, block.span.start as usize + year_at.min(start)));
            }
            add_mention(&mut mentions, year, at, strength);
        }
    }
    first_dated.or_else(|| {
        mentions
            .iter()
            .filter(|m| m.1 >= 3)
            .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
            .map(|m| (m.0, m.2))
    })
}

/// The most paragraphs read as a letter's after a salutation on a line of
/// its own, when no short sign-off ends it sooner.
const MAX_LETTER_BLOCKS: usize = 12;

/// Whether a heading opens a recap of earlier books (“Previously”,
/// “Previously on The Lake House”, “The story so far”, “Recap”).
fn is_recap_heading(heading: &str) -> bool {
    let heading = heading
        .trim_end_matches(['.', '…', ':', ' '])
        .to_lowercase();
    heading == "previously"
        || heading.starts_with("previously on ")
        || matches!(
            heading.as_str(),
            "the story so far" | "story so far" | "recap" | "last time"
        )
}

/// “1987. Los Angeles.” opens an ordered list in Markdown: the year is then
/// the list marker, before the block. The year and its offset, if so.
fn list_marker_year(chapter: &Chapter, block: &Block) -> Option<(i32, usize)> {
    let prefix = chapter.line_prefix(block);
    let number = prefix.trim().strip_suffix('.')?;
    let year = number.parse::<i32>().ok()?;
    (number.len() == 4 && FOUR_DIGIT_YEARS.contains(&year)).then(|| {
        (
            year,
            block.span.start as usize - prefix.len() + prefix.find(number).unwrap_or(0),
        )
    })
}

/// Counts a mention of `year` at `at` (see [`infer_near`]'s `mentions`):
/// its weight grows by the strength, and its offset is its strongest
/// phrase's.
fn add_mention(
    mentions: &mut Vec<(i32, u32, usize, Strength)>,
    year: i32,
    at: usize,
    strength: Strength,
) {
    match mentions.iter_mut().find(|m| m.0 == year) {
        Some(m) => {
            m.1 += strength as u32;
            if strength > m.3 {
                m.2 = at;
                m.3 = strength;
            }
        }
        None => mentions.push((year, strength as u32, at, strength)),
    }
}

/// Whether block `index` of `chapter` is the date line of a letter: the
/// next block opens with a salutation (“Boston, 14 March 1952” over “Dear
/// Rose, …”).
fn heads_a_letter(chapter: &Chapter, index: usize) -> bool {
    chapter.blocks.get(index + 1).is_some_and(|next| {
        next.kind == BlockKind::Paragraph
            && opens_with_salutation(chapter.prose_slice(next.span).trim())
    })
}

/// Whether the phrase at `start..end` of an opening paragraph, which it
/// begins, is an English “In 1943” that sets the story there: not one
/// whose sentence goes on in the past perfect (“In 1912, her father had
/// bought the farm.”), which looks back.
fn opens_the_story(language: &Language, prose: &str, start: usize, end: usize) -> bool {
    static OPENING_LOOK_BACK: LazyLock<meta::Regex> = LazyLock::new(|| {
        // A short aside of time may come first: “In 1938, before the war,
        // the hurricane had taken the elm.” (Not a clause: “In 1962, the
        // summer was hot, and we had no money.” is the story's present.)
        for_short_texts(
            r"^,?\s+(?:(?i:before|after|during|since|until|long|years|months|weeks|just|only|when|while|by)\s+(?:[\p{L}’'-]+\s+){0,2}[\p{L}’'-]+,\s+)?(?:(?:[\p{L}’'-]+\s+){0,3}had\b|[\p{L}-]+[’']d\b)",
        )
    });
    let phrase = &prose[start..end];
    matches!(language, Language::English | Language::Other(_))
        && phrase.starts_with("In")
        && phrase[2..].starts_with(char::is_whitespace)
        && !OPENING_LOOK_BACK.is_match(&prose[end..])
}

/// The year of a dateline block and its offset in the trimmed text.
fn dateline(trimmed: &str, century: Century) -> Option<(i32, usize)> {
    let trimmed = trimmed
        .trim_end_matches(['*', '_'])
        .trim_start_matches(['*', '_']);
    DATELINES.iter().find_map(|(may_match, pattern)| {
        if !may_match(trimmed.as_bytes()) {
            return None;
        }
        let mut caps = pattern.create_captures();
        pattern.captures(trimmed, &mut caps);
        let group = |name| caps.get_group_by_name(name).map(|span| span.range());
        year_of(trimmed, group("y"), group("yy"), century)
    })
}

/// Text around any year a phrase could hold: the byte ranges of `prose`
/// within a phrase's reach of each four digits or `'87`, merged, so the
/// phrases are searched there and not through the whole block. Exact:
/// every phrase holds a year and is at most [`PHRASE_REACH`] bytes long, so
/// each match lies whole inside one window with its word boundaries as in
/// the whole text. (A 7 MB paragraph took seconds to search with the
/// Unicode word boundaries, which the fast regex engines give up on.)
fn year_windows(prose: &str) -> Vec<std::ops::Range<usize>> {
    let Some(reach) = *PHRASE_REACH else {
        return std::iter::once(0..prose.len()).collect();
    };
    let mut windows: Vec<std::ops::Range<usize>> = Vec::new();
    for digits in YEAR_DIGITS.find_iter(prose) {
        let mut start = digits.start().saturating_sub(reach);
        while !prose.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (digits.end() + reach).min(prose.len());
        while !prose.is_char_boundary(end) {
            end += 1;
        }
        match windows.last_mut() {
            Some(last) if start <= last.end => last.end = end,
            _ => windows.push(start..end),
        }
    }
    windows
}

/// What [`YEAR`] matches, without its word boundary (which would make the
/// search slow again).
static YEAR_DIGITS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"1[5-9][0-9][0-9]|2[0-9][0-9][0-9]|['’][0-9][0-9]").expect("static regex")
});

/// How far from its year a phrase's match can reach, in bytes: the longest
/// match of any phrase in any language, and a margin for the year's own
/// length and the characters its word boundaries look at. `None` if some
/// phrase could match without bound (then whole blocks are searched).
/// Read from the patterns' sources: compiling every language's phrases
/// to measure them took 0.8% of a corpus run's instructions, for
/// languages the manuscript may not use.
static PHRASE_REACH: LazyLock<Option<usize>> = LazyLock::new(|| {
    let all = [
        english_phrases(),
        french_phrases(),
        spanish_phrases(),
        german_phrases(),
    ];
    let mut longest = 0;
    for (pattern, _) in all.iter().flatten() {
        let hir = regex_syntax::parse(&spaced(pattern)).ok()?;
        longest = longest.max(hir.properties().maximum_len()?);
    }
    Some(longest + 16)
});

/// The year a match of `haystack` names and its offset, from the spans of
/// its groups: `y`, four digits, or `yy`, '68 read with `century`. Four digits followed by a unit are a quantity
/// or a time, not a year: “It was 2200 hours”, “2400 miles”, a heading
/// “1800 Hours”.
fn year_of(
    haystack: &str,
    y: Option<Range<usize>>,
    yy: Option<Range<usize>>,
    century: Century,
) -> Option<(i32, usize)> {
    if let Some(y) = y {
        if followed_by_unit(&haystack[y.end..]) {
            return None;
        }
        return Some((haystack[y.clone()].parse().ok()?, y.start));
    }
    let yy = yy?;
    let year = century.year(haystack[yy.clone()].parse().ok()?)?;
    // The offset of the apostrophe, where the year is written.
    Some((year, yy.start.saturating_sub(1)))
}

/// Whether `after`, the text after four digits, opens with a unit of
/// time, distance, weight, money or count: the digits are a quantity.
fn followed_by_unit(after: &str) -> bool {
    const UNITS: &[&str] = &[
        "hours",
        "hrs",
        "hr",
        "h",
        "zulu",
        "miles",
        "mi",
        "feet",
        "ft",
        "foot",
        "metres",
        "meters",
        "m",
        "km",
        "kilometres",
        "kilometers",
        "yards",
        "yds",
        "pounds",
        "lbs",
        "lb",
        "kg",
        "kilos",
        "tons",
        "tonnes",
        "dollars",
        "euros",
        "francs",
        "marks",
        "rupees",
        "men",
        "people",
        "soldiers",
        "troops",
        "souls",
        "times",
        "rpm",
        "degrees",
        "knots",
        "words",
        "pages",
        "acres",
        "calories",
        "volts",
        "watts",
    ];
    let next = after
        .trim_start_matches([' ', '\u{a0}'])
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    !next.is_empty() && UNITS.iter().any(|u| u.eq_ignore_ascii_case(next))
}

/// How to read a two-digit year.
#[derive(Clone, Copy)]
struct Century {
    /// A year the story is near, if known.
    near: Option<i32>,
}

impl Century {
    /// The year `yy` stands for: the one nearest the story's other years,
    /// a year after them counting twice its distance, else '30–'99 in the
    /// 1900s; '00–'29 with nothing to go by are ambiguous. A two-digit
    /// year is nearly always looked back on: a 1987 narrator's “summer of
    /// '31” is 1931 (56 years back), not 2031 (44 ahead), while '90 is
    /// still 1990.
    fn year(self, yy: i32) -> Option<i32> {
        match self.near {
            Some(near) => {
                let base = near.div_euclid(100) * 100;
                let distance = |y: i32| if y > near { 2 * (y - near) } else { near - y };
                [base - 100, base, base + 100]
                    .into_iter()
                    .map(|c| c + yy)
                    .min_by_key(|&y| distance(y))
            }
            None if yy >= 30 => Some(1900 + yy),
            None => None,
        }
    }
}

/// Whether `text` holds an ASCII digit. Read 64 bytes at a time, each
/// block without a branch per byte, which the compiler can do with vector
/// instructions: every block of a chapter is asked, and most have none.
fn has_digit(text: &str) -> bool {
    text.as_bytes()
        .chunks(64)
        .any(|chunk| chunk.iter().fold(false, |any, b| any | b.is_ascii_digit()))
}

/// The mean of the chapter's four-digit years from 1500 on, if any.
fn mean_year(chapter: &Chapter) -> Option<i32> {
    years_mentioned(chapter, 1)
}

/// The mean of the chapter's four-digit years from 1500 on, when it has
/// `fewest` of them or more.
fn years_mentioned(chapter: &Chapter, fewest: usize) -> Option<i32> {
    static FOUR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b(?:1[5-9]|20)[0-9][0-9]\b").expect("static regex"));
    // A year starts `15`–`19` or `20`: without such a pair the pattern
    // cannot match, and need not be compiled.
    // Looked for from each `1` and `2`, rare in prose, rather than at
    // every pair of bytes.
    let bytes = chapter.prose.as_bytes();
    let has_pair = memchr::memchr2_iter(b'1', b'2', bytes).any(|at| {
        matches!(
            (bytes[at], bytes.get(at + 1)),
            (b'1', Some(b'5'..=b'9')) | (b'2', Some(b'0'))
        )
    });
    if !has_pair {
        return None;
    }
    let years: Vec<i32> = FOUR
        .find_iter(&chapter.prose)
        .filter_map(|m| m.as_str().parse().ok())
        .collect();
    (!years.is_empty() && years.len() >= fewest)
        .then(|| years.iter().sum::<i32>() / years.len() as i32)
}

/// False when the phrase at `at` is said in dialogue, looks back, or quotes
/// a document.
fn counts(chapter: &Chapter, block: &Block, prose: &str, at: usize, len: usize) -> bool {
    if chapter.in_dialogue(Span::new(at, at + len)) {
        return false;
    }
    let sentence_start = chapter
        .sentences
        .iter()
        .skip(block.sentences.start as usize)
        .take((block.sentences.end - block.sentences.start) as usize)
        .rfind(|s| (s.span.start as usize) <= at)
        .map_or(block.span.start as usize, |s| s.span.start as usize);
    let base = block.span.start as usize;
    let before = &prose[sentence_start - base..at - base];
    let after = &prose[(at + len - base).min(prose.len())..];
    match &chapter.language {
        Language::English | Language::Other(_) => {
            !LOOK_BACK.is_match(before)
                && !DOCUMENT.is_match(before)
                && !PAST_PERFECT.is_match(after)
        }
        other => !other_look_back(other).is_match(before),
    }
}

/// Whether a paragraph opens as a letter does: “Dear …”, “To whom …”,
/// “Sir,”, and their French, Spanish and German forms.
fn opens_with_salutation(trimmed: &str) -> bool {
    let salutation = [
        "Dear ",
        "My dear ",
        "My Dear ",
        "Dearest ",
        "To whom ",
        "Sir,",
        "Madam,",
        "Cher ",
        "Chère ",
        "Querido ",
        "Querida ",
        "Estimado ",
        "Estimada ",
        "Lieber ",
        "Liebe ",
        "Sehr geehrte",
    ];
    salutation.iter().any(|s| trimmed.starts_with(s))
}

/// A block quote, a letter (“Dear …,”), or a paragraph set wholly in
/// italics (letters, notes and epigraphs often are).
fn is_document_block(chapter: &Chapter, block: &Block, trimmed: &str) -> bool {
    let original = chapter.slice(block.span).trim_start();
    match chapter.format {
        SourceFormat::Markdown
            if original.starts_with('>') || chapter.line_prefix(block).contains('>') =>
        {
            return true;
        }
        _ => {}
    }
    if opens_with_salutation(trimmed) {
        return true;
    }
    // The emphasis markers lie just outside the block's words.
    let text = &chapter.text;
    let (start, end) = (block.span.start as usize, block.span.end as usize);
    let before = text[..start].trim_end_matches([' ', '\t']);
    let inner = text[start..end].trim();
    let after = &text[end..];
    // Italics are one mark or three (bold italics); two are bold alone,
    // as a dateline often is (“**Berlin, March 1944**”).
    let italic = |marks: usize| marks % 2 == 1;
    let wrapped = |m: char| {
        let inside = inner.len() - inner.trim_start_matches(m).len();
        let outside = before.len() - before.trim_end_matches(m).len();
        (inner.ends_with(m) && inner.len() > 2 && italic(inside))
            || (outside > 0 && after.starts_with(m) && italic(outside))
    };
    wrapped('*') || wrapped('_')
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::text::SourceFormat;

    fn inferred_in(name: &str, text: &str) -> Option<(i32, usize)> {
        let format = SourceFormat::from_extension(name.rsplit('.').next().unwrap_or(""));
        let ch = Chapter::parse(0, PathBuf::from(name), format, Arc::from(text));
        infer(&ch).map(|(y, off)| (y, ch.line_col(off).line))
    }

    fn inferred(text: &str) -> Option<(i32, usize)> {
        inferred_in("c.md", text)
    }

    /// Each dateline pattern's test of bytes passes every text the pattern
    /// matches: on datelines of every form, and on random short lines of
    /// digits, separators, apostrophes and words, a quarter of a million
    /// of them.
    #[test]
    fn dateline_tests_pass_every_match() {
        let check = |text: &str| {
            for (index, (may_match, pattern)) in DATELINES.iter().enumerate() {
                if pattern.is_match(text) {
                    assert!(may_match(text.as_bytes()), "{text:?} (pattern {index})");
                }
            }
        };
        let datelines = [
            "Los Angeles, 1996",
            "March 1944.",
            "Spring, ’74",
            "Summer, '89",
            "1987. Los Angeles.",
            "’87, Paris",
            "LOG 2187.04.12 — 0600",
            "Entry 1944-03-14",
            "Marseille, août 1962.",
            "'87/04/12",
        ];
        let mut matched = 0;
        for text in datelines {
            check(text);
            matched += usize::from(DATELINES.iter().any(|(_, p)| p.is_match(text)));
        }
        assert_eq!(matched, datelines.len());
        let mut random = crate::testing::Xorshift::new();
        let pieces = [
            "1", "2", "5", "9", "0", "19", "20", "15", "04", "12", "1962", "-", ".", "/", ",", " ",
            "'", "’", "May", "of", "Été", ":",
        ];
        let mut matched = [0; 3];
        for _ in 0..250_000 {
            let len = 1 + random.next() % 9;
            let text: String = (0..len).map(|_| *random.pick(&pieces)).collect();
            check(&text);
            for (count, (_, pattern)) in matched.iter_mut().zip(&DATELINES) {
                *count += usize::from(pattern.is_match(&text));
            }
        }
        // Numeric dates, near misses included, every way of putting them
        // together.
        for prefix in ["", "LOG ", "Entry ", "May, ", "Été "] {
            for year in ["1962", "'87", "’87", "2187", "19", "1499", "3000"] {
                for month in ["04", "12", "13", "00", "4"] {
                    for day in ["12", "31", "32", "1"] {
                        for (first, second) in
                            [("-", "-"), (".", "."), ("/", "/"), ("-", " "), (" ", "-")]
                        {
                            for suffix in ["", " 0600", ".", " — 0600"] {
                                let text =
                                    format!("{prefix}{year}{first}{month}{second}{day}{suffix}");
                                check(&text);
                                for (count, (_, pattern)) in matched.iter_mut().zip(&DATELINES) {
                                    *count += usize::from(pattern.is_match(&text));
                                }
                            }
                        }
                    }
                }
            }
        }
        // The lines reach every pattern.
        assert!(matched.iter().all(|&count| count > 100), "{matched:?}");
    }

    #[test]
    fn digits_are_found_in_any_block_of_64_bytes() {
        for len in [0, 1, 63, 64, 65, 130] {
            let letters = "é".repeat(len / 2) + &"a".repeat(len % 2);
            assert!(!has_digit(&letters), "{len}");
            for at in [0, len / 2, len] {
                let with = format!("{}7{}", &"a".repeat(at), &"a".repeat(len - at));
                assert!(has_digit(&with), "{len} {at}");
            }
        }
    }

    #[test]
    fn a_chapter_mean_year_needs_a_year_shaped_pair() {
        let mean = |text: &str| {
            let ch = Chapter::parse(
                0,
                PathBuf::from("c.txt"),
                SourceFormat::PlainText,
                text.into(),
            );
            mean_year(&ch)
        };
        assert_eq!(mean("In 1820 and 1840, and in 2010."), Some(1890));
        // A `1` or `2` at the very end, and pairs that start no year.
        assert_eq!(mean("Room 12, page 31, floor 2"), None);
        assert_eq!(mean("1"), None);
        // A year glued to a word is not one.
        assert_eq!(mean("x1999 and 1999y"), None);
    }

    /// Every phrase's matches, searched in [`year_windows`] and in the
    /// whole text: the same places, on text made to trip the windows
    /// (years at the very start and end, next to non-ASCII letters,
    /// phrases running into each other, digits that are not years).
    #[test]
    fn searching_around_years_finds_what_searching_everything_finds() {
        let texts = [
            "1987 was the year. It was August of 1987, and in 1990 they left.",
            "Ça fait: c’était l’été 1974, puis en 1975 — et le 3 juin 1987 aussi. é1999é",
            "Es war der Sommer 1989; im Jahre 1990 kam am 9. November 1989 die Mauer.",
            "Era el verano de 1982 y en el año 1983, el 4 de mayo de 1984.",
            "x19871 ’87 '99 in '05 Christmas, 1943 New Year’s Eve, 1999 in 2012",
            "ß in 1999ß über in 2001: 12345678 20202020 In 1850",
            "In 1999",
        ];
        let padding = "Nothing of note happened here at all, it seemed. ".repeat(20);
        assert!(PHRASE_REACH.is_some_and(|reach| reach < 400));
        for text in texts {
            for prose in [text.to_string(), format!("{padding}{text}{padding}{text}")] {
                let all = PHRASES
                    .iter()
                    .chain(FRENCH_PHRASES.iter())
                    .chain(SPANISH_PHRASES.iter())
                    .chain(GERMAN_PHRASES.iter());
                for (pattern, _) in all {
                    let whole: Vec<(usize, usize)> = pattern
                        .find_iter(&prose)
                        .map(|m| (m.start(), m.end()))
                        .collect();
                    let windowed: Vec<(usize, usize)> = year_windows(&prose)
                        .into_iter()
                        .flat_map(|w| {
                            pattern
                                .find_iter(&prose[w.clone()])
                                .map(move |m| (w.start + m.start(), w.start + m.end()))
                                .collect::<Vec<_>>()
                        })
                        .collect();
                    assert_eq!(windowed, whole, "{} in {prose:?}", pattern.as_str());
                }
            }
        }
    }

    /// A statement deep inside a paragraph of a megabyte (a whole book on
    /// one line) is found, at its place.
    #[test]
    fn a_year_deep_in_a_huge_paragraph_is_found() {
        let filler = "The rain went on and the road was long and grey. ".repeat(20_000);
        let text = format!("{filler}It was the summer of 1974, and hot. {filler}\n");
        let ch = Chapter::parse(
            0,
            PathBuf::from("c.txt"),
            SourceFormat::PlainText,
            Arc::from(text.as_str()),
        );
        let at = text.find("It was the summer of 1974").expect("planted");
        assert_eq!(infer(&ch), Some((1974, at)));
    }

    /// The dated sections of a chapter and the years in force at each
    /// offset.
    #[test]
    fn dated_sections_have_their_own_years() {
        let text = "# Eight\n\n## Summer, 1981\n\nA Walkman.\n\n## 1962\n\nThe mill.\n\n### On the bus\n\nA bus.\n\n## Home\n\nBack.\n\n* * *\n\nBerlin, 1944\n\nSnow.\n\n* * *\n\nLater.\n";
        let ch = Chapter::parse(
            0,
            PathBuf::from("c.md"),
            SourceFormat::Markdown,
            Arc::from(text),
        );
        let chapter_year = StoryYear {
            first: 1981,
            last: 1981,
            source: "inferred from c.md:3".to_string(),
            era: false,
            forced: false,
        };
        let years = dated_sections(&ch, chapter_year.clone());
        let at = |needle: &str| years.at(text.find(needle).expect("planted") as u32).last;
        assert_eq!(
            ["A Walkman", "The mill", "A bus", "Back", "Snow", "Later"].map(at),
            [1981, 1962, 1962, 1981, 1944, 1981]
        );
        assert_eq!(
            years.describe_sections(&ch),
            "; from line 7, story year 1962, inferred from c.md:7; from line 15, the chapter's year again; from line 21, story year 1944, inferred from c.md:21; from line 25, the chapter's year again"
        );
        // `--year` wins over every section.
        let forced = StoryYear {
            source: "from --year".to_string(),
            forced: true,
            ..chapter_year.clone()
        };
        assert_eq!(
            dated_sections(&ch, forced.clone()),
            ChapterYears::whole(forced)
        );
        // A break's section inside a dated heading's ends in the heading's
        // year; a letter's date line after a break is no section.
        let text = "# Eight\n\n## 1962\n\nThe mill.\n\n* * *\n\nBerlin, 1944\n\nSnow.\n\n* * *\n\nA bus.\n\n* * *\n\nBoston, 14 March 1952\n\nDear Rose, burn this.\n\nA Walkman.\n";
        let ch = Chapter::parse(
            0,
            PathBuf::from("c.md"),
            SourceFormat::Markdown,
            Arc::from(text),
        );
        let years = dated_sections(&ch, chapter_year);
        let at = |needle: &str| years.at(text.find(needle).expect("planted") as u32).last;
        assert_eq!(
            ["The mill", "Snow", "A bus", "Dear Rose", "A Walkman"].map(at),
            [1962, 1944, 1962, 1962, 1962]
        );
    }

    /// A chapter's year is stated outside its dated sections, or else is
    /// its first dated heading's.
    #[test]
    fn a_dated_section_is_not_the_chapters_statement() {
        assert_eq!(
            inferred("# One\n\n## 1962\n\nThe mill.\n\n## Dayton\n\nIt was the summer of 1981.\n"),
            Some((1981, 9))
        );
        assert_eq!(
            inferred("# One\n\n## March 1944\n\nIt was 1943 once.\n"),
            Some((1944, 3))
        );
    }

    /// A chat export's numeric dates add up to the chapter's year, as
    /// written dates do.
    #[test]
    fn numeric_dates_are_dates() {
        assert_eq!(
            inferred(
                "# One\n\n[14/02/2016, 23:41] Dev: u up?\n[14/02/2016, 23:42] Priya: no\n\nShe slept.\n"
            ),
            Some((2016, 3))
        );
        // One date alone is only a date.
        assert_eq!(inferred("# One\n\nThe form said 14.02.2016.\n"), None);
    }

    /// A series' “Previously” section looks back: its years are the
    /// earlier books'.
    #[test]
    fn a_recap_sets_no_year() {
        assert_eq!(
            inferred(
                "# One\n\n## Previously\n\nIn the winter of 2003, Kemble put Brennan away.\n\n## Salford Quays\n\nIt was the spring of 2005, and wet.\n"
            ),
            Some((2005, 9))
        );
        assert_eq!(
            inferred(
                "# One\n\n## Previously…\n\nIt was 2003.\n\n## Manchester, January 2008\n\nRain.\n"
            ),
            Some((2008, 7))
        );
        assert_eq!(
            inferred(
                "# One\n\n## Previously on The Lake House\n\nIt was 1931.\n\n## Home\n\nIt was 1952.\n"
            ),
            Some((1952, 9))
        );
        // A chapter titled so is the story.
        assert_eq!(inferred("# Previously\n\nIt was 1961.\n"), Some((1961, 3)));
    }

    /// Science fiction states its years as any other story does.
    #[test]
    fn years_up_to_2999_are_stated() {
        assert_eq!(inferred("# One\n\nIt was 2187.\n"), Some((2187, 3)));
        assert_eq!(
            inferred("## Ceres Station, 2187\n\nRain.\n"),
            Some((2187, 1))
        );
        assert_eq!(
            inferred("# One\n\n**LOG 2187.04.12 — 0600**\n\nHolding station.\n"),
            Some((2187, 3))
        );
        assert_eq!(
            inferred("Entry 1944-03-14\n\nNo letter today.\n"),
            Some((1944, 1))
        );
        // Five digits are no year; a month of 13 is no date.
        assert_eq!(inferred("It was 21870.\n"), None);
        assert_eq!(inferred("LOG 2187.13.12\n\nHolding.\n"), None);
    }

    /// The paragraphs after a salutation on a line of its own are the
    /// letter, up to its sign-off.
    #[test]
    fn a_letter_under_its_own_salutation_line_sets_no_year() {
        assert_eq!(
            inferred(
                "# Three\n\nDear Tom,\n\nIt was 1944 when I last wrote to you, and the war was still on.\n\nYour loving sister,\n\nNora\n\nIt was the spring of 1975 when he read it again.\n"
            ),
            Some((1975, 11))
        );
    }

    /// A date line over a letter, or among the narration over a diary
    /// entry, dates that document, not the chapter.
    #[test]
    fn a_letter_or_diary_date_line_is_only_a_date() {
        assert_eq!(
            inferred(
                "# Seven\n\nBoston, 14 March 1952\n\nDear Rose, burn this.\n\nIt was the spring of 1975 when Johnny found the letter.\n"
            ),
            Some((1975, 7))
        );
        let diary = "# Eight\n\nThat June Johnny sat at the kitchen table with his mother's old diary, and read the first page again.\n\n14 March 1944\n\nNo letter from John again today.\n";
        assert_eq!(inferred(diary), None);
        // After a scene break or a heading, a date line opens a section.
        let section = "Narration went on here for a while, long enough to be a paragraph.\n\n* * *\n\nBerlin, March 1944\n\nSnow.\n";
        assert_eq!(inferred(section), Some((1944, 5)));
        // A bold date line is a dateline; a wholly italic one a document.
        assert_eq!(
            inferred("**Berlin, March 1944**\n\nSnow.\n"),
            Some((1944, 1))
        );
        assert_eq!(inferred("*Berlin, March 1944*\n\nSnow.\n"), None);
    }

    /// Openings that look back in the past perfect, after an aside or with
    /// the time phrase as the subject, are no statement.
    #[test]
    fn a_flashback_opening_sets_no_year() {
        assert_eq!(
            inferred("In 1938, before the war, the hurricane had taken the elm.\n"),
            None
        );
        assert_eq!(
            inferred("The summer of 1938 had been the hottest anyone could remember.\n"),
            None
        );
        // An aside of five words or more, or one that is no phrase of time,
        // is the main clause.
        assert_eq!(
            inferred("In 1943, the Navy took the light, which had been dark.\n"),
            Some((1943, 1))
        );
        assert_eq!(
            inferred("In 1962, the summer was hot, and we had no money.\n"),
            Some((1962, 1))
        );
    }

    #[test]
    fn explicit_statements_set_the_year() {
        assert_eq!(
            inferred("Rain.\n\nIt was 1996, and hot.\n"),
            Some((1996, 3))
        );
        assert_eq!(inferred("It was the summer of 1987.\n"), Some((1987, 1)));
        assert_eq!(
            inferred("1996 was the year the river froze.\n"),
            Some((1996, 1))
        );
        assert_eq!(inferred("# Los Angeles, 1996\n\nHeat.\n"), Some((1996, 1)));
        // French and Spanish datelines, whose months and seasons are
        // written in lowercase.
        for (text, year) in [
            ("Marseille, août 1962.\n\nIl faisait chaud.\n", 1962),
            ("## Oran, mai 1962\n\nLa ville brûlait.\n", 1962),
            ("Madrid, agosto de 1975.\n\nHacía calor.\n", 1975),
            ("## Agosto de 1975\n\nHacía calor.\n", 1975),
            ("## Été 1962\n\nIl faisait chaud.\n", 1962),
        ] {
            assert_eq!(inferred(text), Some((year, 1)), "{text:?}");
        }
        assert_eq!(
            inferred("Late in the summer of 1954 they came.\n"),
            Some((1954, 1))
        );
    }

    /// Every phrasing of issue #11, in Markdown and in plain text.
    #[test]
    fn every_way_of_stating_the_year() {
        let cases: &[(&str, i32)] = &[
            (
                "It was August of 1987, and the heat had not broken for a week.",
                1987,
            ),
            ("They married in the April of 1921, in the rain.", 1921),
            ("1987. Los Angeles.", 1987),
            ("Spring, 1974", 1974),
            ("It was spring, 1974, and the orchard was white.", 1974),
            ("She met him that autumn of '68, at the fair.", 1968),
            ("New Year's Eve, 1999", 1999),
            ("It was New Year’s Eve, 1999, and nobody slept.", 1999),
            ("In the spring of 1994 they moved to the coast.", 1994),
            (
                "The summer of 1974 was the summer everything changed.",
                1974,
            ),
            ("It was early August 1987 when the letters stopped.", 1987),
            ("It was 1996.", 1996),
            ("The year was 1921.", 1921),
            ("Christmas of 1943 came without snow.", 1943),
            // A time jump announced where the chapter opens.
            ("In 1943, the Navy took the light.", 1943),
            ("In 1943 the Navy took the light.", 1943),
            ("In the year 1943, the Navy took the light.", 1943),
            (
                "It was the last Sunday of August, 1987, and Danny came.",
                1987,
            ),
            ("It was a Tuesday in March 1944.", 1944),
            ("It was a wet Sunday in 1944 when the boat came.", 1944),
            ("That was the year 1943.", 1943),
            ("It was March 3, 1944, and the snow had not stopped.", 1944),
        ];
        for (text, year) in cases {
            for name in ["c.md", "c.txt"] {
                let body = format!("Chapter 2\n\n{text}\n\nShe waited by the door.\n");
                assert_eq!(inferred_in(name, &body), Some((*year, 3)), "{name}: {text}");
            }
        }
        assert_eq!(
            inferred("## March 1944\n\nThe guns were quiet.\n"),
            Some((1944, 1))
        );
        assert_eq!(inferred("# 1987. Los Angeles.\n\nHeat.\n"), Some((1987, 1)));
        // '05 takes the century nearest the chapter's other years.
        assert_eq!(
            inferred("She was born in 1988.\n\nIt was the winter of '05.\n"),
            Some((2005, 3))
        );
        assert_eq!(inferred("It was the winter of '05.\n"), None);
        // … or the previous chapter's year: Holmes's "summer of '89" is 1889.
        let ch = Chapter::parse(
            0,
            PathBuf::from("c.txt"),
            SourceFormat::PlainText,
            Arc::from("It was in the summer of '89, not long after my marriage.\n"),
        );
        assert_eq!(infer_near(&ch, Some(1890)).map(|y| y.0), Some(1889));
        assert_eq!(infer(&ch).map(|y| y.0), Some(1989));
        // A year ahead counts twice its distance: after a 1987 frame
        // chapter '31 is looked back on, '90 is three years on.
        let summer = |yy: &str| {
            let text = format!("It was the summer of '{yy}, and the lamp was new.\n");
            let ch = Chapter::parse(
                0,
                PathBuf::from("c.txt"),
                SourceFormat::PlainText,
                Arc::from(text),
            );
            infer_near(&ch, Some(1987)).map(|y| y.0)
        };
        assert_eq!(summer("31"), Some(1931));
        assert_eq!(summer("62"), Some(1962));
        assert_eq!(summer("90"), Some(1990));
        assert_eq!(summer("05"), Some(2005));
    }

    fn inferred_in_language(language: Language, text: &str) -> Option<(i32, usize)> {
        let mut ch = Chapter::parse(
            0,
            PathBuf::from("c.md"),
            SourceFormat::Markdown,
            Arc::from(text),
        );
        ch.language = language;
        infer(&ch).map(|(y, off)| (y, ch.line_col(off).line))
    }

    /// Issue #18: the year stated in French, Spanish and German.
    #[test]
    fn year_statements_in_other_languages() {
        let cases: &[(Language, &str, Option<i32>)] = &[
            (
                Language::French,
                "C’était en 1987, et il pleuvait sur Brest.",
                Some(1987),
            ),
            (
                Language::French,
                "C'était l'été 1974, le plus chaud depuis des années.",
                Some(1974),
            ),
            (
                Language::French,
                "Nous étions en 1962, à la fin de l’hiver.",
                Some(1962),
            ),
            (
                Language::French,
                "Au printemps 1974, la ferme fut vendue.",
                Some(1974),
            ),
            (
                Language::French,
                "L’hiver de 1954 fut terrible.",
                Some(1954),
            ),
            (
                Language::French,
                "Elle pensait à la ferme depuis 1974.",
                None,
            ),
            (Language::French, "Il était né en 1931.", None),
            (Language::French, "« C’était en 1987 », dit-il.", None),
            (
                Language::Spanish,
                "En el verano de 1974 llegó la carta.",
                Some(1974),
            ),
            (
                Language::Spanish,
                "Era 1982 y nadie tenía teléfono.",
                Some(1982),
            ),
            (Language::Spanish, "Corría el año 1936.", Some(1936)),
            (
                Language::Spanish,
                "Aquel invierno de 1955 nevó en Madrid.",
                Some(1955),
            ),
            (Language::Spanish, "Vivía allí desde 1974.", None),
            (Language::Spanish, "—Era 1982 —dijo ella.", None),
            (
                Language::German,
                "Im Sommer 1974 kam der Brief.",
                Some(1974),
            ),
            (Language::German, "Es war 1987, und es regnete.", Some(1987)),
            (Language::German, "Wir schrieben das Jahr 1961.", Some(1961)),
            (Language::German, "Sie wohnte dort seit 1974.", None),
            (Language::German, "„Es war 1987“, sagte er.", None),
        ];
        for (language, text, year) in cases {
            let body = format!("{text}\n\nSie wartete.\n");
            let found = inferred_in_language(language.clone(), &body).map(|(y, _)| y);
            assert_eq!(found, *year, "{language}: {text}");
        }
        // Dates and mentions add up as in English.
        assert_eq!(
            inferred_in_language(
                Language::German,
                "Am 3. Juni 1974 fuhr sie ab. Im Jahr 1974 war alles anders.\n"
            ),
            Some((1974, 1))
        );
        assert_eq!(
            inferred_in_language(
                Language::French,
                "Le 3 juin 1987, elle partit. En 1987, tout changea.\n"
            ),
            Some((1987, 1))
        );
    }

    #[test]
    fn an_opening_in_1943_looks_back_or_stays_a_mention_elsewhere() {
        // Hard-wrapped after “In”: still the opening statement.
        assert_eq!(
            inferred("Chapter 2\n\nIn\n1943, the Navy took the light.\n"),
            Some((1943, 3))
        );
        assert_eq!(
            inferred("Chapter 2\n\nIn 1943, she'd bought the farm.\n"),
            None
        );
        // A number after a day or “that was” is no year.
        for text in [
            "It was a night 1500 men would never forget.",
            "It was the day 1800 sheep were driven to market.",
            "That was 1800 feet of granite.",
        ] {
            assert_eq!(inferred(&format!("{text}\n")), None, "{text}");
        }
        // Past perfect: the sentence looks back from a later present.
        assert_eq!(
            inferred("Chapter 2\n\nIn 1912, her father had bought the farm.\n"),
            None
        );
        // Not the opening paragraph: a passing mention.
        assert_eq!(
            inferred(
                "Chapter 2\n\nThe light stood on the point above the harbour.\n\n\
                 In 1943, the Navy took it.\n"
            ),
            None
        );
        // In dialogue it is not the narration's year.
        assert_eq!(
            inferred("Chapter 2\n\n“In 1943, the Navy took it,” he said.\n"),
            None
        );
    }

    #[test]
    fn the_opening_statement_beats_a_remembered_year() {
        let text = "The summer of 1974 was the summer everything changed.\n\n\
                    She thought of her father. It was 1958 again in her mind, the summer of 1958, \
                    the river high.\n\nIn the summer of 1958 the river had flooded.\n";
        assert_eq!(inferred(text), Some((1974, 1)));
        // A remembered year first does not set the year either.
        let text = "She remembered the summer of 1958 and the flood.\n\n\
                    Back then, in the summer of 1958, they were poor.\n\nIt was 1974 now.\n";
        assert_eq!(inferred(text), Some((1974, 5)));
    }

    #[test]
    fn passing_mentions_do_not_set_it_or_outvote_a_statement() {
        assert_eq!(inferred("She had lived there since 1991.\n"), None);
        assert_eq!(inferred("Back in 1991 he was thin.\n"), None);
        assert_eq!(inferred("He moved in 1991.\n"), None);
        // The past perfect looks back (The Beautiful and Damned).
        assert_eq!(
            inferred("In the spring of 1912 he had signed a four-year lease.\n"),
            None
        );
        assert_eq!(inferred("He moved on June 3, 1991.\n"), None);
        assert_eq!(
            inferred("He moved on June 3, 1991. In 1991 he sang.\n"),
            Some((1991, 1))
        );
        assert_eq!(
            inferred("Back in 1991 he was thin. In 1991 he sang.\n\nIt was 1996 now.\n"),
            Some((1996, 3))
        );
    }

    #[test]
    fn dialogue_letters_and_newspapers_do_not_set_it() {
        assert_eq!(inferred("“It was 1991,” he said. “A good year.”\n"), None);
        // A letter introduced by a colon line, with its own dateline.
        let letter = "The letter read:\n\nLondon, March 3, 1890.\n\nDear Sir, it was 1890 and cold.\n\nShe put it down.\n";
        assert_eq!(inferred(letter), None);
        assert_eq!(inferred("Dear Anna,\nIt was the summer of 1961.\n"), None);
        assert_eq!(inferred("> It was the summer of 1961.\n"), None);
        assert_eq!(inferred("*London, June 1961.*\n"), None);
        assert_eq!(
            inferred_in(
                "c.txt",
                "The clipping said:\n\nParis, June 3, 1961.\n\nShe wept.\n"
            ),
            None
        );
        assert_eq!(
            inferred("The headline read MOON LANDING, and it was the summer of 1969.\n"),
            None
        );
        assert_eq!(
            inferred("The old newspaper was dated the spring of 1932.\n"),
            None
        );
    }
}
