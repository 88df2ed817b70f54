//! Reading the anachronism data into prepared tables.
//!
//! The same code runs in two places: `build.rs` prepares the built-in
//! knowledge base at compile time (so a run only maps it), and the rule
//! prepares users' entity files at run time. It therefore depends on
//! nothing but `std`, `serde` and `toml`; word frequencies come in as a
//! function.
//!
//! # The prepared form
//!
//! Three texts, all UTF-8, fields separated by tabs, records by newlines.
//! Nothing is decoded until a name is found in a chapter.
//!
//! - **entities**: one line per entity:
//!   `name, kind, year, description, class, flags, cues (|-separated),
//!   author surname, author`. An entity is known by the byte offset of its
//!   line.
//! - **forms**: one line per pattern (an ASCII-lowercased name):
//!   `entity offset, form flags, exact text` repeated for every entity
//!   that has this name. A pattern's value in the automaton and the trie
//!   of names is the byte offset of its line.
//! - **fuzzy**: multi-word titles for “did you mean”: one line each,
//!   `lowercase name, entity offset`, sorted by byte length, after a first
//!   line `length:offset …` that says where each length starts.

use std::collections::HashMap;

use serde::Deserialize;

/// Entity flag: match the name with exactly this capitalisation.
pub const CASE_SENSITIVE: u8 = 1;
/// Entity flag: also an ordinary word, or an older sense; needs a cue.
pub const AMBIGUOUS: u8 = 2;

/// Form flag: a title that is also an everyday phrase (“The Road”, “Gone
/// Girl”): it needs a title context.
pub const COMMON: u8 = 1;
/// Form flag: a title that is one English word (“Green”, “It”, “Room”): it
/// needs much more than quotes.
pub const EVERYDAY_WORD: u8 = 2;
/// Form flag: its entity matches only with this exact capitalisation (a
/// copy of the entity's flag, so a mismatch is rejected without reading
/// the entity).
pub const EXACT_CASE: u8 = 4;
/// Form flag: its entity is a title (book, film, TV series …).
pub const TITLE: u8 = 8;

/// A pattern's value bit, beside its forms line's offset: every form on
/// the line keeps its exact case and starts with something other than a
/// lowercase ASCII letter (“It”, “Her”, “Jaws”), so a match that starts
/// with one (“it”, “her”, “jaws”) is no name and is passed over before
/// anything is read. Most of the names matched in prose are such
/// words. Bit 30, as the trie of names (`yada`) keeps 31-bit values.
pub const CAPITALS_ONLY: u32 = 1 << 30;

/// The one-letter class codes of the entities text.
pub mod class {
    pub const BOOK: char = 'B';
    pub const FILM: char = 'F';
    pub const TV: char = 'T';
    pub const ALBUM: char = 'A';
    pub const GAME: char = 'G';
    pub const TERM: char = 'X';
    pub const EMOJI: char = 'E';
}

/// One dated thing and the names it goes by.
#[derive(Clone, Debug)]
pub struct Record {
    pub name: String,
    pub kind: String,
    pub year: i32,
    pub description: String,
    /// One of the [`class`] codes.
    pub class: char,
    pub case_sensitive: bool,
    pub ambiguous: bool,
    /// Lowercase words that confirm this meaning nearby.
    pub cues: Vec<String>,
    /// The author or creator of a title, as written (“Stieg Larsson”).
    pub author: String,
    pub names: Vec<String>,
}

/// The `[[entity]]` schema of `curated.toml`, `titles.toml` and users'
/// entity files.
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
    /// The author or creator of a title.
    #[serde(default)]
    author: String,
    /// Where the year comes from (a reference work or page); not used by
    /// the rule, kept with the data.
    #[serde(default)]
    #[allow(dead_code)]
    source: String,
}

/// The class of a `kind` written in an entity file.
pub fn class_of_kind(kind: &str) -> char {
    match kind {
        "novel" | "book" | "book-series" | "short-story" | "story" | "poem" | "play" | "comic"
        | "musical" => class::BOOK,
        "film" | "movie" | "film-series" => class::FILM,
        "tv-series" | "tv" | "tv-show" | "series" => class::TV,
        "album" | "song" => class::ALBUM,
        "video-game" => class::GAME,
        "emoji" => class::EMOJI,
        _ => class::TERM,
    }
}

fn is_title(class: char) -> bool {
    matches!(
        class,
        class::BOOK | class::FILM | class::TV | class::ALBUM | class::GAME
    )
}

/// Parses `[[entity]]` records from a TOML file. Errors name `origin` and
/// the line: `extra.toml:4: unknown field `yeer``.
pub fn parse_toml(origin: &str, text: &str) -> Result<Vec<Record>, String> {
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
    let mut records = Vec::with_capacity(file.entity.len());
    for (i, entity) in file.entity.into_iter().enumerate() {
        for field in [&entity.name, &entity.description, &entity.author]
            .into_iter()
            .chain(&entity.aliases)
        {
            if field.contains(['\t', '\n', '\r']) {
                return Err(format!(
                    "{origin}: entity {} ({}): names, descriptions and authors must be one line without tabs",
                    i + 1,
                    entity.name
                ));
            }
        }
        let kind = entity.kind.trim().to_lowercase();
        let class = class_of_kind(&kind);
        let case_sensitive = entity
            .case_sensitive
            .unwrap_or(is_title(class) || kind == "brand");
        let description = if entity.description.is_empty() {
            kind.replace('-', " ")
        } else {
            entity.description.clone()
        };
        let mut names = vec![entity.name.clone()];
        names.extend(entity.aliases.iter().cloned());
        // "the Sopranos finale", "an X-Files episode": a series is often
        // named without its article.
        if kind == "tv-series"
            && let Some(rest) = entity.name.strip_prefix("The ")
        {
            names.push(rest.to_string());
        }
        records.push(Record {
            name: entity.name,
            kind,
            year: entity.year,
            description,
            class,
            case_sensitive,
            ambiguous: entity.ambiguous,
            cues: entity
                .cues
                .iter()
                .map(|c| c.trim().to_lowercase())
                .filter(|c| !c.is_empty() && !c.contains(['\t', '|']))
                .collect(),
            author: entity.author.trim().to_string(),
            names,
        });
    }
    Ok(records)
}

/// `books.tsv`: `year, title, author, aliases (|-separated)`.
pub fn parse_books(tsv: &str, zipf: &dyn Fn(&str) -> f32) -> Vec<Record> {
    let mut records = Vec::new();
    for line in tsv.lines().skip(1) {
        let mut cols = line.split('\t');
        let (Some(year), Some(title)) = (cols.next(), cols.next()) else {
            continue;
        };
        let Ok(year) = year.trim().parse::<i32>() else {
            continue;
        };
        let title = title.replace(" : ", ": ");
        let author = cols.next().unwrap_or("").trim().to_string();
        let aliases = cols.next().unwrap_or("");
        let mut names = Vec::new();
        for piece in title.split(" / ") {
            names.push(piece.to_string());
            // "Mistborn: The Final Empire" is also called "Mistborn".
            if let Some((head, _)) = piece.split_once(':') {
                let head = head.trim();
                if is_distinctive(head, zipf) {
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
        let description = if author.is_empty() {
            "book".to_string()
        } else {
            format!("book by {author}")
        };
        records.push(Record {
            name: title
                .split(" / ")
                .last()
                .unwrap_or(&title)
                .trim()
                .to_string(),
            kind: "book".to_string(),
            year,
            description,
            class: class::BOOK,
            case_sensitive: true,
            ambiguous: false,
            cues: Vec::new(),
            author,
            names,
        });
    }
    records
}

/// `films.tsv`: `year, title`.
pub fn parse_films(tsv: &str) -> Vec<Record> {
    let mut records = Vec::new();
    for line in tsv.lines().skip(1) {
        let Some((year, title)) = line.split_once('\t') else {
            continue;
        };
        let Ok(year) = year.trim().parse::<i32>() else {
            continue;
        };
        records.push(Record {
            name: title.trim().to_string(),
            kind: "film".to_string(),
            year,
            description: "American film".to_string(),
            class: class::FILM,
            case_sensitive: true,
            ambiguous: false,
            cues: Vec::new(),
            author: String::new(),
            names: vec![title.to_string()],
        });
    }
    records
}

/// `products.tsv`: `year, kind, title, maker`.
pub fn parse_products(tsv: &str, zipf: &dyn Fn(&str) -> f32) -> Vec<Record> {
    let mut records = Vec::new();
    for line in tsv.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [year, kind, title, maker, ..] = cols.as_slice() else {
            continue;
        };
        let Ok(year) = year.trim().parse::<i32>() else {
            continue;
        };
        let class = match *kind {
            "novel" => class::BOOK,
            "film" => class::FILM,
            "album" => class::ALBUM,
            "video-game" => class::GAME,
            // Car names ("Volkswagen Type 2") are brands: exact case, and
            // only distinctive ones.
            _ if is_distinctive(title, zipf) => class::TERM,
            _ => continue,
        };
        let noun = match *kind {
            "video-game" => "video game",
            other => other,
        };
        let maker = maker.trim();
        let description = if maker.is_empty() {
            noun.to_string()
        } else {
            format!("{noun} by {maker}")
        };
        records.push(Record {
            name: title.trim().to_string(),
            kind: kind.to_string(),
            year,
            description,
            class,
            case_sensitive: true,
            ambiguous: false,
            cues: Vec::new(),
            author: if class == class::BOOK {
                maker.to_string()
            } else {
                String::new()
            },
            names: vec![title.to_string()],
        });
    }
    records
}

/// `emoji.tsv`: `emoji, name, year`. Only pictographs from the emoji
/// planes: symbols older than emoji (©, ☺, ♥, digits) are ordinary text.
pub fn parse_emoji(tsv: &str) -> Vec<Record> {
    let mut records = Vec::new();
    for line in tsv.lines().skip(1) {
        let mut cols = line.split('\t');
        let (Some(emoji), Some(name), Some(year)) = (cols.next(), cols.next(), cols.next()) else {
            continue;
        };
        let Ok(year) = year.trim().parse::<i32>() else {
            continue;
        };
        if emoji.chars().next().is_none_or(|c| (c as u32) < 0x1F000) {
            continue;
        }
        records.push(Record {
            name: emoji.to_string(),
            kind: "emoji".to_string(),
            year,
            description: format!("emoji “{name}”"),
            class: class::EMOJI,
            case_sensitive: true,
            ambiguous: false,
            cues: Vec::new(),
            author: String::new(),
            names: vec![emoji.to_string()],
        });
    }
    records
}

/// A title that is not an everyday word or phrase: one word that is no
/// English word at all (“Mistborn”, not “Belinda”), or several words of
/// which one is rare (“The Da Vinci Code”).
pub fn is_distinctive(title: &str, zipf: &dyn Fn(&str) -> f32) -> bool {
    let title = title.trim();
    if !title.contains(char::is_whitespace) {
        return zipf(&lower_word(title)) == 0.0;
    }
    title
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .any(|w| zipf(&lower_word(w)) < 3.5 && w.chars().any(char::is_alphabetic))
}

/// Lowercase, with a curly apostrophe read as a straight one (the word
/// frequency table's spelling).
fn lower_word(word: &str) -> String {
    word.to_lowercase().replace('’', "'")
}

/// The prepared tables (see the module docs).
#[derive(Debug, Default)]
pub struct Prepared {
    pub entities: String,
    pub forms: String,
    pub fuzzy: String,
    /// ASCII-lowercased names and the offset of each one's forms line (with
    /// [`CAPITALS_ONLY`] set when it applies), for the automaton and the
    /// trie of names (which hold them recased: see `text::word_starts`).
    pub patterns: Vec<(String, u32)>,
    /// Entities and names prepared.
    pub entity_count: usize,
}

/// One form of a name while preparing: entity offset, flags, exact text.
type FormRow = (u32, u8, String);

/// Prepares records: names checked and deduplicated, forms grouped by
/// their ASCII-lowercased text, flags computed with `zipf`.
pub fn prepare(records: &[Record], zipf: &dyn Fn(&str) -> f32) -> Prepared {
    let mut out = Prepared {
        entity_count: records.len(),
        ..Prepared::default()
    };
    // One group per folded name: its forms.
    let mut groups: Vec<(String, Vec<FormRow>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut fuzzy: Vec<(String, u32)> = Vec::new();
    for record in records {
        let offset = out.entities.len() as u32;
        write_entity(&mut out.entities, record);
        let title = is_title(record.class);
        if title && record.name.split_whitespace().count() >= 2 {
            fuzzy.push((record.name.to_lowercase(), offset));
        }
        let mut seen: Vec<&str> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for name in &record.names {
            let name = name.trim();
            // "S.", "V." and bare numbers match everywhere and mean nothing.
            let letters = name.chars().filter(|c| c.is_alphabetic()).count();
            if (letters < 2 && record.class != class::EMOJI) || seen.contains(&name) {
                continue;
            }
            seen.push(name);
            if name.contains('\'') {
                names.push(name.replace('\'', "’"));
            }
            names.push(name.to_string());
        }
        for name in names {
            let mut flags = 0;
            if title && (record.ambiguous || !is_distinctive(&name, zipf)) {
                flags |= COMMON;
            }
            if title && !name.contains(char::is_whitespace) && zipf(&lower_word(&name)) > 0.0 {
                flags |= EVERYDAY_WORD;
            }
            if record.case_sensitive {
                flags |= EXACT_CASE;
            }
            if title {
                flags |= TITLE;
            }
            let key = name.to_ascii_lowercase();
            let slot = *index.entry(key.clone()).or_insert_with(|| {
                groups.push((key, Vec::new()));
                groups.len() - 1
            });
            groups[slot].1.push((offset, flags, name));
        }
    }
    for (key, forms) in groups {
        let line = out.forms.len() as u32;
        assert!(line < CAPITALS_ONLY, "the forms table outgrew its offsets");
        let capitals_only = forms.iter().all(|(_, flags, text)| {
            flags & EXACT_CASE != 0 && !text.starts_with(|c: char| c.is_ascii_lowercase())
        });
        for (i, (entity, flags, text)) in forms.iter().enumerate() {
            if i > 0 {
                out.forms.push('\t');
            }
            out.forms
                .push_str(&format!("{entity}\t{flags}\t{}", clean(text)));
        }
        out.forms.push('\n');
        let bit = if capitals_only { CAPITALS_ONLY } else { 0 };
        out.patterns.push((key, line | bit));
    }
    fuzzy.sort_by(|a, b| a.0.len().cmp(&b.0.len()).then_with(|| a.cmp(b)));
    // A first line indexes the rest by byte length: `length:offset` of the
    // first name of each length, offsets counted from the second line.
    let mut index = Vec::new();
    let mut body = String::new();
    for (name, entity) in fuzzy {
        let name = clean(&name);
        if index.last().is_none_or(|&(len, _)| len != name.len()) {
            index.push((name.len(), body.len()));
        }
        body.push_str(&format!("{name}\t{entity}\n"));
    }
    let index: Vec<String> = index.iter().map(|(l, o)| format!("{l}:{o}")).collect();
    out.fuzzy = format!("{}\n{body}", index.join(" "));
    out
}

/// Fields never hold tabs or newlines (the sources guarantee it; this
/// keeps a bad row from breaking the table).
fn clean(field: &str) -> String {
    field.replace(['\t', '\n', '\r'], " ")
}

fn write_entity(out: &mut String, record: &Record) {
    let mut flags = 0;
    if record.case_sensitive {
        flags |= CASE_SENSITIVE;
    }
    if record.ambiguous {
        flags |= AMBIGUOUS;
    }
    // The surname is a cue of its own ("Larsson's latest").
    let surname = record
        .author
        .split_whitespace()
        .last()
        .filter(|s| s.chars().count() > 2)
        .unwrap_or("");
    let cues: Vec<String> = record.cues.iter().map(|c| clean(c)).collect();
    out.push_str(&format!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
        clean(&record.name),
        clean(&record.kind),
        record.year,
        clean(&record.description),
        record.class,
        flags,
        cues.join("|"),
        clean(surname),
        clean(&record.author),
    ));
}
