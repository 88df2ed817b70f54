//! The story year of each chapter: `--year`, the chapter's front matter,
//! `[story]` in `manulint.toml`, or what the text itself says.

use std::sync::LazyLock;

use globset::{Glob, GlobMatcher};
use regex::Regex;

use crate::config::{Config, YearSpec};
use crate::text::{Chapter, Manuscript, Span};

/// A chapter's story year (or range of years) and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoryYear {
    pub first: i32,
    pub last: i32,
    /// "from --year", "inferred from chapter-01.md:3" …
    pub source: String,
}

impl StoryYear {
    /// "story year 1996 (inferred from chapter-01.md:3)".
    pub fn describe(&self) -> String {
        if self.first == self.last {
            format!("story year {}, {}", self.first, self.source)
        } else {
            format!("story years {}–{}, {}", self.first, self.last, self.source)
        }
    }
}

/// Everything the config says about years, checked once.
pub struct YearSettings {
    cli: Option<i32>,
    story: Option<(i32, i32)>,
    chapters: Vec<(String, GlobMatcher, i32, i32)>,
}

fn spec_range(spec: &YearSpec) -> (i32, i32) {
    match spec {
        YearSpec::One(y) => (*y, *y),
        YearSpec::Range([a, b]) => (*a.min(b), *a.max(b)),
    }
}

impl YearSettings {
    pub fn from_config(config: &Config) -> Result<YearSettings, String> {
        let story = &config.story;
        let range = match (story.year, story.years) {
            (Some(_), Some(_)) => {
                return Err("[story] sets both `year` and `years`; keep one".to_string());
            }
            (Some(y), None) => Some((y, y)),
            (None, Some([a, b])) => Some((a.min(b), a.max(b))),
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
        })
    }

    /// The year every chapter gets from configuration alone, if any.
    fn configured(&self, chapter: &Chapter) -> Option<StoryYear> {
        if let Some(year) = self.cli {
            return Some(StoryYear {
                first: year,
                last: year,
                source: "from --year".to_string(),
            });
        }
        None.or_else(|| front_matter_year(chapter))
            .or_else(|| {
                let path = chapter.path.to_string_lossy();
                let path = path.trim_start_matches("./");
                let name = chapter.file_name();
                self.chapters
                    .iter()
                    .find(|(_, m, _, _)| m.is_match(path) || m.is_match(&name))
                    .map(|(pattern, _, first, last)| StoryYear {
                        first: *first,
                        last: *last,
                        source: format!("from manulint.toml [story.chapters] \"{pattern}\""),
                    })
            })
            .or_else(|| {
                self.story.map(|(first, last)| StoryYear {
                    first,
                    last,
                    source: "from manulint.toml [story]".to_string(),
                })
            })
    }
}

fn front_matter_year(chapter: &Chapter) -> Option<StoryYear> {
    let (value, span) = chapter.front_matter.as_ref()?.get("year")?;
    // A value that is no year ("199x") is ignored; the text decides.
    let year = value.trim().parse::<i32>().ok()?;
    let line = chapter.line_col(span.start as usize).line;
    Some(StoryYear {
        first: year,
        last: year,
        source: format!("from the front matter of {}:{line}", chapter.file_name()),
    })
}

/// Resolves every chapter's year in reading order. `None` (with a reason)
/// where no source gives one.
pub fn resolve(settings: &YearSettings, manuscript: &Manuscript) -> Vec<Result<StoryYear, String>> {
    let mut carried: Option<StoryYear> = None;
    let mut out = Vec::with_capacity(manuscript.chapters.len());
    for chapter in &manuscript.chapters {
        if let Some(year) = settings.configured(chapter) {
            carried = Some(year.clone());
            out.push(Ok(year));
            continue;
        }
        if let Some((year, offset)) = infer(chapter) {
            let line = chapter.line_col(offset).line;
            let year = StoryYear {
                first: year,
                last: year,
                source: format!("inferred from {}:{line}", chapter.file_name()),
            };
            carried = Some(year.clone());
            out.push(Ok(year));
            continue;
        }
        match &carried {
            Some(year) => out.push(Ok(year.clone())),
            None => out.push(Err(format!(
                "{}: no story year (no --year, front matter `year`, [story] in manulint.toml, \
                 or statement such as “It was 1996.” in this or an earlier chapter); not checked",
                chapter.file_name()
            ))),
        }
    }
    out
}

const YEAR: &str = r"(1[5-9]\d\d|20\d\d)";

/// Statements that set the story's year, with their weight.
static STATEMENTS: LazyLock<Vec<(Regex, u32)>> = LazyLock::new(|| {
    let season = r"(?:spring|summer|autumn|fall|winter)";
    let month = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)";
    let patterns = [
        // "It was 1996." "It was the summer of 1996."
        (
            format!(
                r"(?i)\b(?:it|this) (?:was|is) (?:(?:the|that|a) (?:{season}|year) of )?{YEAR}\b"
            ),
            4,
        ),
        (format!(r"(?i)\bthe year (?:was|is) {YEAR}\b"), 4),
        (format!(r"\b{YEAR},? (?:was|is) the year\b"), 4),
        (format!(r"(?i)\b(?:the )?{season} of {YEAR}\b"), 3),
        (format!(r"\b{month}(?: \d{{1,2}})?,? {YEAR}\b"), 2),
        (format!(r"(?i)\bin the year {YEAR}\b"), 2),
        (format!(r"\b[Ii]n {YEAR}\b"), 1),
    ];
    patterns
        .into_iter()
        .map(|(p, w)| (Regex::new(&p).expect("static regex"), w))
        .collect()
});

/// A dated heading or dateline: "Los Angeles, 1996", "June 1996", "1996".
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:[\p{{Lu}}\d][\p{{L}}\d.'’-]*[ ,]+){{0,5}}{YEAR}\.?$"
    ))
    .expect("static regex")
});

/// Words before a year that make it a look back, not the story's present.
static LOOK_BACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:back|since|ago|until|till|before|after|by|as early as|as far back as|remember(?:ed)?|born)\W+(?:(?:in|the|of|early|late|spring|summer|autumn|fall|winter)\W+){0,3}$")
        .expect("static regex")
});

/// The year the chapter's own text states most strongly, and where.
pub fn infer(chapter: &Chapter) -> Option<(i32, usize)> {
    // year -> (weight, first offset of its strongest statement, its weight)
    let mut scores: Vec<(i32, u32, usize, u32)> = Vec::new();
    let mut add = |year: i32, weight: u32, offset: usize| {
        if weight == 0 {
            return;
        }
        match scores.iter_mut().find(|s| s.0 == year) {
            Some(s) => {
                s.1 += weight;
                if weight > s.3 {
                    s.2 = offset;
                    s.3 = weight;
                }
            }
            None => scores.push((year, weight, offset, weight)),
        }
    };
    for block in &chapter.blocks {
        let prose = chapter.prose_slice(block.span);
        let trimmed = prose.trim();
        if trimmed.is_empty() {
            continue;
        }
        let lead = prose.len() - prose.trim_start().len();
        let short = trimmed.split_whitespace().count() <= 6;
        if (block.is_heading() || short)
            && let Some(m) = DATELINE.captures(trimmed)
            && let Some(year) = m.get(1)
            && let Ok(y) = year.as_str().parse::<i32>()
        {
            add(y, 5, block.span.start as usize + lead + year.start());
            continue;
        }
        if !prose.as_bytes().iter().any(u8::is_ascii_digit) {
            continue;
        }
        let mut taken: Vec<(usize, usize)> = Vec::new();
        for (pattern, weight) in STATEMENTS.iter() {
            for caps in pattern.captures_iter(prose) {
                let (Some(whole), Some(year)) = (caps.get(0), caps.get(1)) else {
                    continue;
                };
                if taken
                    .iter()
                    .any(|&(s, e)| year.start() < e && s < year.end())
                {
                    continue;
                }
                taken.push((year.start(), year.end()));
                let Ok(y) = year.as_str().parse::<i32>() else {
                    continue;
                };
                let mut from = whole.start().saturating_sub(40);
                while !prose.is_char_boundary(from) {
                    from += 1;
                }
                let before = &prose[from..whole.start()];
                let at = block.span.start as usize + whole.start();
                // A look back, or a character's story told in dialogue, is
                // not the narrative's present.
                let quoted = chapter.in_dialogue(Span::new(at, at + whole.len()));
                let weight = if quoted || LOOK_BACK.is_match(before) {
                    0
                } else {
                    *weight
                };
                add(y, weight, at);
            }
        }
    }
    scores
        .iter()
        .filter(|s| s.1 >= 3)
        .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
        .map(|s| (s.0, s.2))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::text::SourceFormat;

    fn inferred(text: &str) -> Option<(i32, usize)> {
        let ch = Chapter::parse(
            0,
            PathBuf::from("c.md"),
            SourceFormat::Markdown,
            Arc::from(text),
        );
        infer(&ch).map(|(y, off)| (y, ch.line_col(off).line))
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
        assert_eq!(
            inferred("Late in the summer of 1954 they came.\n"),
            Some((1954, 1))
        );
    }

    #[test]
    fn passing_mentions_do_not_set_it_or_outvote_a_statement() {
        assert_eq!(inferred("She had lived there since 1991.\n"), None);
        assert_eq!(inferred("Back in 1991 he was thin.\n"), None);
        assert_eq!(inferred("He moved in 1991.\n"), None);
        assert_eq!(
            inferred("Back in 1991 he was thin. In 1991 he sang.\n\nIt was 1996 now.\n"),
            Some((1996, 3))
        );
    }
}
