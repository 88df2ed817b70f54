//! The knowledge base of dated entities and the one automaton over all their
//! names.
//!
//! Built-in data lives in `rules/anachronisms/` and is embedded in the binary:
//! `curated.toml` (technologies, products, brands, words, events …), and the
//! tables derived from `../shared/kb` by `build_kb.py` (`books.tsv`,
//! `films.tsv`, `products.tsv`, `emoji.tsv`). Users add entities in TOML files
//! with the same schema as `curated.toml`.

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use serde::Deserialize;

use crate::wordfreq;

static CURATED: &str = include_str!("../../../rules/anachronisms/curated.toml");
static BOOKS: &str = include_str!("../../../rules/anachronisms/books.tsv");
static FILMS: &str = include_str!("../../../rules/anachronisms/films.tsv");
static PRODUCTS: &str = include_str!("../../../rules/anachronisms/products.tsv");
static EMOJI: &str = include_str!("../../../rules/anachronisms/emoji.tsv");

/// What kind of thing a title names; decides which context words count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Medium {
    Book,
    Film,
    Tv,
    Album,
    Game,
}

/// How an entity is recognised in prose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// A title: needs italics, quotes, a cue or a list of titles around it.
    Title(Medium),
    /// A technology, product, brand, word …: matched as it stands (or, when
    /// ambiguous, only beside one of its cues).
    Term,
    /// An emoji character.
    Emoji,
}

#[derive(Clone, Debug)]
pub struct Entity {
    /// The canonical name, as shown in messages.
    pub name: String,
    pub kind: String,
    pub year: i32,
    pub description: String,
    pub case_sensitive: bool,
    /// Needs a cue (or, for titles, is a common word or phrase).
    pub ambiguous: bool,
    /// Lowercase context words that confirm this meaning.
    pub cues: Vec<String>,
    /// The author's surname (books), a cue of its own.
    pub author_surname: Option<String>,
    pub class: Class,
}

impl Entity {
    /// `*The Road*` for titles, `“smartphone”` for the rest.
    pub fn display_name(&self) -> String {
        match self.class {
            Class::Title(_) => format!("*{}*", self.name),
            _ => format!("“{}”", self.name),
        }
    }
}

/// One surface form of one entity in the automaton.
#[derive(Clone, Debug)]
pub struct Form {
    pub entity: u32,
    /// The exact spelling (for case-sensitive entities).
    pub text: String,
    /// A title that is also an everyday word or phrase ("It", "The Road"):
    /// it needs stronger context.
    pub common: bool,
}

/// All entities and the automaton over their names.
pub struct Kb {
    pub entities: Vec<Entity>,
    /// Per automaton pattern: the forms that share its ASCII-folded text.
    pub patterns: Vec<Vec<Form>>,
    pub automaton: AhoCorasick,
    /// Multi-word titles, for "did you mean": (lowercase name, entity),
    /// sorted by byte length.
    pub fuzzy_titles: Vec<(String, u32)>,
    /// Time spent reading the data and building the automaton.
    pub load_time: std::time::Duration,
    pub build_time: std::time::Duration,
}

/// The `[[entity]]` schema of `curated.toml` and of users' entity files.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityFile {
    #[serde(default)]
    entity: Vec<EntityRecord>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityRecord {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    kind: String,
    year: i32,
    #[serde(default)]
    description: String,
    #[serde(default)]
    case_sensitive: Option<bool>,
    #[serde(default)]
    ambiguous: bool,
    #[serde(default)]
    cues: Vec<String>,
}

/// Builds entities and their names, then the automaton.
#[derive(Default)]
pub struct KbBuilder {
    entities: Vec<Entity>,
    names: Vec<(String, u32)>,
}

impl KbBuilder {
    pub fn builtin() -> Result<KbBuilder, String> {
        let mut builder = KbBuilder::default();
        builder.add_toml("rules/anachronisms/curated.toml", CURATED)?;
        builder.add_books(BOOKS);
        builder.add_films(FILMS);
        builder.add_products(PRODUCTS);
        builder.add_emoji(EMOJI);
        Ok(builder)
    }

    fn push(&mut self, entity: Entity, names: impl IntoIterator<Item = String>) {
        let id = self.entities.len() as u32;
        let mut seen: Vec<String> = Vec::new();
        for name in names {
            let name = name.trim().to_string();
            // One- and two-letter names ("V.", "It" aside) match everywhere
            // and mean nothing; numbers alone are years, not titles.
            // "S.", "V." and bare numbers match everywhere and mean nothing.
            let too_short = name.chars().filter(|c| c.is_alphabetic()).count() < 2;
            if too_short && entity.class != Class::Emoji {
                continue;
            }
            if seen.contains(&name) {
                continue;
            }
            seen.push(name.clone());
            if name.contains('\'') {
                let curly = name.replace('\'', "’");
                self.names.push((curly, id));
            }
            self.names.push((name, id));
        }
        self.entities.push(entity);
    }

    /// Adds `[[entity]]` records from a TOML file; `origin` names the file
    /// in error messages.
    pub fn add_toml(&mut self, origin: &str, text: &str) -> Result<usize, String> {
        let file: EntityFile = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|s| {
                    let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                    format!(":{line}")
                })
                .unwrap_or_default();
            format!("{origin}{at}: {}", e.message().trim())
        })?;
        let count = file.entity.len();
        for record in file.entity {
            let kind = record.kind.trim().to_lowercase();
            let class = match kind.as_str() {
                "novel" | "book" | "short-story" | "poem" | "play" | "comic" => {
                    Class::Title(Medium::Book)
                }
                "film" | "movie" => Class::Title(Medium::Film),
                "tv-series" | "tv" | "tv-show" | "series" => Class::Title(Medium::Tv),
                "album" | "song" => Class::Title(Medium::Album),
                "video-game" | "game" => Class::Title(Medium::Game),
                "emoji" => Class::Emoji,
                _ => Class::Term,
            };
            let case_sensitive = record
                .case_sensitive
                .unwrap_or(matches!(class, Class::Title(_)) || kind == "brand");
            let description = if record.description.is_empty() {
                kind.clone()
            } else {
                record.description.clone()
            };
            let mut names = vec![record.name.clone()];
            names.extend(record.aliases.iter().cloned());
            let entity = Entity {
                name: record.name,
                kind,
                year: record.year,
                description,
                case_sensitive,
                ambiguous: record.ambiguous,
                cues: record.cues.iter().map(|c| c.to_lowercase()).collect(),
                author_surname: None,
                class,
            };
            self.push(entity, names);
        }
        Ok(count)
    }

    fn add_books(&mut self, tsv: &str) {
        for line in tsv.lines().skip(1) {
            let mut cols = line.split('\t');
            let (Some(year), Some(title)) = (cols.next(), cols.next()) else {
                continue;
            };
            let Ok(year) = year.trim().parse::<i32>() else {
                continue;
            };
            let title = title.replace(" : ", ": ");
            let title = title.as_str();
            let author = cols.next().unwrap_or("").trim().to_string();
            let aliases = cols.next().unwrap_or("");
            let mut names = Vec::new();
            for piece in title.split(" / ") {
                names.push(piece.to_string());
                // "Mistborn: The Final Empire" is also called "Mistborn".
                if let Some((head, _)) = piece.split_once(':') {
                    let head = head.trim();
                    if is_distinctive(head) {
                        names.push(head.to_string());
                    }
                }
            }
            names.extend(
                aliases
                    .split('|')
                    .filter(|a| !a.is_empty())
                    .map(String::from),
            );
            let surname = author
                .split_whitespace()
                .last()
                .filter(|s| s.chars().count() > 2)
                .map(String::from);
            let description = if author.is_empty() {
                "book".to_string()
            } else {
                format!("book by {author}")
            };
            let entity = Entity {
                name: title
                    .split(" / ")
                    .last()
                    .unwrap_or(title)
                    .trim()
                    .to_string(),
                kind: "book".to_string(),
                year,
                description,
                case_sensitive: true,
                ambiguous: false,
                cues: Vec::new(),
                author_surname: surname,
                class: Class::Title(Medium::Book),
            };
            self.push(entity, names);
        }
    }

    fn add_films(&mut self, tsv: &str) {
        for line in tsv.lines().skip(1) {
            let Some((year, title)) = line.split_once('\t') else {
                continue;
            };
            let Ok(year) = year.trim().parse::<i32>() else {
                continue;
            };
            let entity = Entity {
                name: title.trim().to_string(),
                kind: "film".to_string(),
                year,
                description: "American film".to_string(),
                case_sensitive: true,
                ambiguous: false,
                cues: Vec::new(),
                author_surname: None,
                class: Class::Title(Medium::Film),
            };
            self.push(entity, [title.to_string()]);
        }
    }

    fn add_products(&mut self, tsv: &str) {
        for line in tsv.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            let [year, kind, title, maker, ..] = cols.as_slice() else {
                continue;
            };
            let Ok(year) = year.trim().parse::<i32>() else {
                continue;
            };
            let class = match *kind {
                "novel" => Class::Title(Medium::Book),
                "film" => Class::Title(Medium::Film),
                "album" => Class::Title(Medium::Album),
                "video-game" => Class::Title(Medium::Game),
                // Car names ("Volkswagen Type 2") are brands: exact case,
                // and only distinctive ones.
                _ if is_distinctive(title) => Class::Term,
                _ => continue,
            };
            let noun = match *kind {
                "novel" => "novel",
                "video-game" => "video game",
                other => other,
            };
            let description = if maker.trim().is_empty() {
                noun.to_string()
            } else {
                format!("{noun} by {}", maker.trim())
            };
            let entity = Entity {
                name: title.trim().to_string(),
                kind: kind.to_string(),
                year,
                description,
                case_sensitive: true,
                ambiguous: false,
                cues: Vec::new(),
                author_surname: None,
                class,
            };
            self.push(entity, [title.to_string()]);
        }
    }

    fn add_emoji(&mut self, tsv: &str) {
        for line in tsv.lines().skip(1) {
            let mut cols = line.split('\t');
            let (Some(emoji), Some(name), Some(year)) = (cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            let Ok(year) = year.trim().parse::<i32>() else {
                continue;
            };
            // Symbols older than emoji (©, ☺, ♥, digits) are ordinary text;
            // only pictographs from the emoji planes count.
            if emoji.chars().next().is_none_or(|c| (c as u32) < 0x1F000) {
                continue;
            }
            let entity = Entity {
                name: emoji.to_string(),
                kind: "emoji".to_string(),
                year,
                description: format!("emoji “{name}”"),
                case_sensitive: true,
                ambiguous: false,
                cues: Vec::new(),
                author_surname: None,
                class: Class::Emoji,
            };
            self.push(entity, [emoji.to_string()]);
        }
    }

    pub fn build(self) -> Result<Kb, String> {
        self.build_timed(std::time::Instant::now())
    }

    /// Builds, counting load time from `loading_started`.
    pub fn build_timed(self, loading_started: std::time::Instant) -> Result<Kb, String> {
        let started = std::time::Instant::now();
        let load_time = started - loading_started;
        let mut index: HashMap<String, usize> = HashMap::with_capacity(self.names.len());
        let mut keys: Vec<String> = Vec::new();
        let mut patterns: Vec<Vec<Form>> = Vec::new();
        for (name, entity) in self.names {
            let key = name.to_ascii_lowercase();
            let slot = *index.entry(key.clone()).or_insert_with(|| {
                keys.push(key);
                patterns.push(Vec::new());
                patterns.len() - 1
            });
            let e = &self.entities[entity as usize];
            let common =
                matches!(e.class, Class::Title(_)) && (e.ambiguous || !is_distinctive(&name));
            patterns[slot].push(Form {
                entity,
                text: name,
                common,
            });
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .prefilter(false)
            .build(&keys)
            .map_err(|e| format!("cannot build the anachronism automaton: {e}"))?;
        let mut fuzzy_titles = Vec::new();
        for (i, entity) in self.entities.iter().enumerate() {
            if matches!(entity.class, Class::Title(_))
                && entity.name.split_whitespace().count() >= 2
            {
                fuzzy_titles.push((entity.name.to_lowercase(), i as u32));
            }
        }
        Ok(Kb {
            entities: self.entities,
            patterns,
            automaton,
            fuzzy_titles: {
                fuzzy_titles.sort_by_key(|(name, _): &(String, u32)| name.len());
                fuzzy_titles
            },
            load_time,
            build_time: started.elapsed(),
        })
    }
}

/// The built-in knowledge base, built once per process.
pub static BUILTIN: LazyLock<Result<Kb, String>> = LazyLock::new(|| {
    let started = std::time::Instant::now();
    KbBuilder::builtin().and_then(|b| b.build_timed(started))
});

/// A title that is not an everyday word or phrase: it has a word outside the
/// common vocabulary ("Vinci", "Mistborn").
pub fn is_distinctive(title: &str) -> bool {
    // One word: only if it is no English word at all ("Mistborn", not
    // "Belinda" or "Pompeii").
    if !title.trim().contains(char::is_whitespace) {
        return wordfreq::zipf_of(title.trim()) == 0.0;
    }
    title
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .any(|w| wordfreq::zipf_of(w) < 3.5 && w.chars().any(char::is_alphabetic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_kb_loads_every_source() {
        let kb = BUILTIN.as_ref().expect("built-in KB builds");
        let count =
            |class: fn(&Class) -> bool| kb.entities.iter().filter(|e| class(&e.class)).count();
        assert!(count(|c| *c == Class::Title(Medium::Book)) > 9_000);
        assert!(count(|c| *c == Class::Title(Medium::Film)) > 30_000);
        assert!(count(|c| *c == Class::Emoji) > 1_000);
        assert!(count(|c| *c == Class::Term) > 5);
        let road: Vec<&Entity> = kb
            .entities
            .iter()
            .filter(|e| e.name == "The Road" && e.kind == "book")
            .collect();
        assert_eq!(road[0].year, 2006);
        assert_eq!(road[0].author_surname.as_deref(), Some("McCarthy"));
    }

    #[test]
    fn distinctive_titles_have_a_rare_word() {
        assert!(is_distinctive("The Da Vinci Code"));
        assert!(is_distinctive("Mistborn"));
        assert!(!is_distinctive("The Road"));
        assert!(!is_distinctive("The Lovely Bones"));
        assert!(!is_distinctive("It"));
    }

    #[test]
    fn user_file_errors_name_file_and_line() {
        let mut builder = KbBuilder::default();
        let err = builder
            .add_toml(
                "extra.toml",
                "[[entity]]\nname = \"X\"\nkind = \"word\"\nyeer = 2001\n",
            )
            .unwrap_err();
        assert!(err.starts_with("extra.toml:"), "{err}");
        assert!(err.contains("yeer"), "{err}");
    }
}
