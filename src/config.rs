//! `manulint.toml`: found by walking up from the current directory (stopping
//! at a `.git` folder or the filesystem root), or named with `--config`.
//!
//! Unknown keys and unknown rule ids are errors, rendered with a label on the
//! offending TOML and a "did you mean" where a known name is close.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Level;

pub const CONFIG_FILE_NAME: &str = "manulint.toml";

/// Chapter file extensions looked for when the config names none.
pub const DEFAULT_EXTENSIONS: [&str; 5] = ["md", "markdown", "txt", "text", "docx"];

/// When the run fails (exit code 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    /// Whether a finding of `severity` fails the run.
    pub fn fails(self, severity: crate::diagnostic::Severity) -> bool {
        use crate::diagnostic::Severity;
        let threshold = match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
            FailOn::Never => return false,
        };
        severity >= threshold
    }
}

/// The whole configuration.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Lowest severity that makes the run fail (exit 1).
    pub fail_on: Option<FailOn>,
    /// Exit 1 when more than this many warnings are reported.
    pub max_warnings: Option<usize>,
    /// Baseline file (relative to the config's folder) whose findings are hidden.
    pub baseline: Option<String>,
    pub manuscript: ManuscriptConfig,
    /// User rule packs (TOML files, relative to the config file).
    pub packs: Vec<String>,
    /// `[story]`: the story's year, for the anachronism rule.
    pub story: StoryConfig,
    /// `[names]`: each character's canonical name and the other spellings
    /// the writer means (`"Katherine" = ["Kate", "Kat"]`), for the
    /// `name-variant` and `spelling-variant` rules.
    pub names: BTreeMap<String, Vec<String>>,
    /// `[rules.<id>]` tables: `level` plus the rule's own options.
    pub rules: BTreeMap<Spanned<String>, Spanned<toml::Table>>,
    /// `[[overrides]]`: rule levels for files matching globs.
    pub overrides: Vec<Override>,
    /// Where the config came from (`None`: built-in defaults).
    #[serde(skip)]
    pub source: Option<ConfigSource>,
}

/// The config file's path and text, kept for error messages and for
/// resolving globs relative to its folder.
#[derive(Debug, Clone)]
pub struct ConfigSource {
    pub path: PathBuf,
    pub text: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ManuscriptConfig {
    /// Globs (relative to the config's folder) of chapter files to check.
    pub include: Vec<String>,
    /// Globs of files to leave out.
    pub exclude: Vec<String>,
    /// Chapter file extensions, with or without the dot (see
    /// [`Config::extensions`]).
    pub extensions: Option<Vec<String>>,
    /// Explicit reading order: globs, earliest first; unmatched files follow
    /// in natural order.
    pub order: Vec<String>,
    /// Encoding for files that are not valid UTF-8 (e.g. `windows-1252`).
    pub encoding: Option<String>,
    /// Largest chapter file read, in MiB (default 256, at most 2048); a
    /// larger file is an error.
    pub max_file_size_mb: Option<u64>,
    /// The language the manuscript is written in: a language tag (`"en"`,
    /// `"fr"`, `"es-MX"`, `"de"` …). Unset: detected from the text.
    pub language: Option<Spanned<String>>,
    /// `"auto"` (default: find the layout of each folder), `"none"`, or
    /// one layout (`"leanpub"`, `"mdbook"`, `"obsidian"`, `"bookdown"`,
    /// `"pandoc"`, `"scrivener"`), which `manulint init` writes.
    pub layout: Option<Spanned<String>>,
    /// The book's own words and phrases (invented terms, jargon, a
    /// motif): the echo rules (`repeated-phrase`, `word-echo`,
    /// `overused-word`) never count them, as if each rule's `allow`
    /// listed them.
    pub vocabulary: Vec<String>,
}

impl ManuscriptConfig {
    /// True when the config says where the manuscript is (`include`, or a
    /// named layout): `manulint check` with no paths, and pre-commit runs,
    /// then load the config's folder.
    pub fn names_manuscript(&self) -> bool {
        !self.include.is_empty()
            || self
                .layout
                .as_ref()
                .is_some_and(|l| !matches!(l.get_ref().as_str(), "auto" | "none"))
    }
}

/// `[[overrides]] files = ["notes/**"] rules = { cliche = "off" }`: rule
/// levels for the files matching `files` (globs relative to the config's
/// folder), and `language = "fr"`: the language they are written in (a
/// Word chapter has no front matter to say so). Later overrides win.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub files: Vec<String>,
    #[serde(default)]
    pub rules: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    pub language: Option<Spanned<String>>,
}

/// `[story]`: when the story is set.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct StoryConfig {
    /// The year every chapter is set in.
    pub year: Option<WrittenYear>,
    /// A span of years `[first, last]` instead of one year (with where it
    /// is written, for the error when `year` is set too).
    pub years: Option<Spanned<[i32; 2]>>,
    /// Per-chapter years: glob (matched against the chapter path from the
    /// config file's folder, or its file name) → year or `[first, last]`.
    pub chapters: BTreeMap<String, YearSpec>,
    /// `--year` from the command line; wins over everything.
    #[serde(skip)]
    pub cli_year: Option<WrittenYear>,
    /// How findings name this config file: its path as the folder the run
    /// shows paths from sees it (`sequel/manulint.toml`); `None` reads
    /// `manulint.toml`. Set when a workspace opens.
    #[serde(skip)]
    pub shown_config: Option<String>,
    /// The folder `[story.chapters]` globs are read from (the config
    /// file's, as for `[[overrides]]`) and the current folder the chapter
    /// paths are relative to, both absolute. Set when a workspace opens;
    /// `None` matches the paths as given.
    #[serde(skip)]
    pub folders: Option<StoryFolders>,
}

/// See [`StoryConfig::folders`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoryFolders {
    pub root: std::path::PathBuf,
    pub cwd: std::path::PathBuf,
}

/// A story year as a writer writes it: a whole number (`1887`, `-44`,
/// negative before the common era) or a number with its era, in any case,
/// with or without a space: `44 BC`, `44 BCE`, `44 B.C.`, `44 B.C.E.`
/// (read as -44), `AD 14`, `A.D. 14`, `14 AD`, `14 CE`, `14 C.E.` (14).
/// `era` says whether the era was written: a year so written is meant, and
/// draws no note that it may be a typo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WrittenYear {
    pub year: i32,
    pub era: bool,
}

impl WrittenYear {
    /// `text` read as a year (surrounding space ignored); `None` if it is
    /// not one, or names the year 0 with an era (there is none: 1 BC is
    /// followed by AD 1).
    pub fn parse(text: &str) -> Option<WrittenYear> {
        let text = text.trim();
        if let Ok(year) = text.parse::<i32>() {
            return Some(WrittenYear { year, era: false });
        }
        let upper = text.to_ascii_uppercase();
        let number = |digits: &str| -> Option<i32> {
            let digits = digits.trim();
            let ok = !digits.is_empty()
                && digits.len() <= 6
                && digits.bytes().all(|b| b.is_ascii_digit());
            ok.then(|| digits.parse::<i32>().ok())
                .flatten()
                .filter(|&n| n > 0)
        };
        let before = BEFORE_ERA
            .iter()
            .find_map(|era| upper.strip_suffix(era).and_then(number))
            .map(|n| -n);
        let after = || {
            ERA_BEFORE_YEAR
                .iter()
                .find_map(|era| upper.strip_prefix(era).and_then(number))
                .or_else(|| {
                    ERA_AFTER_YEAR
                        .iter()
                        .find_map(|era| upper.strip_suffix(era).and_then(number))
                })
        };
        before
            .or_else(after)
            .map(|year| WrittenYear { year, era: true })
    }

    /// [`WrittenYear::parse`] for `--year`, with the error clap prints.
    pub fn parse_arg(text: &str) -> Result<WrittenYear, String> {
        WrittenYear::parse(text).ok_or_else(|| match WrittenYear::is_zero_with_era(text) {
            true => format!("not a year: {NO_YEAR_ZERO}; write \"1 BC\" or \"AD 1\""),
            false => "not a year: write a whole number such as 1887, or a year with its era such as \"44 BC\" or \"AD 14\"".to_string(),
        })
    }

    /// Whether `text` is year 0 with an era (`0 BC`, `AD 0`), which no
    /// calendar has: it deserves its own explanation.
    pub fn is_zero_with_era(text: &str) -> bool {
        let upper = text.trim().to_ascii_uppercase();
        let bare = BEFORE_ERA
            .iter()
            .chain(&ERA_AFTER_YEAR)
            .find_map(|era| upper.strip_suffix(era))
            .or_else(|| {
                ERA_BEFORE_YEAR
                    .iter()
                    .find_map(|era| upper.strip_prefix(era))
            });
        bare.is_some_and(|digits| {
            let digits = digits.trim();
            !digits.is_empty() && digits.bytes().all(|b| b == b'0')
        })
    }
}

/// How a year before the common era is marked, after it (`44 BC`), the
/// longest form first; upper case.
const BEFORE_ERA: [&str; 4] = ["B.C.E.", "BCE", "B.C.", "BC"];
/// How a year of the common era is marked before it (`AD 14`).
const ERA_BEFORE_YEAR: [&str; 2] = ["A.D.", "AD"];
/// How a year of the common era is marked after it (`14 CE`, `14 AD`).
const ERA_AFTER_YEAR: [&str; 4] = ["C.E.", "CE", "A.D.", "AD"];

/// Why year 0 is no year, for the messages that meet it.
pub const NO_YEAR_ZERO: &str = "there is no year 0: 1 BC is followed by AD 1";

/// A year as a reader writes it: `1887`, or `44 BC` for -44.
pub fn shown_year(year: i32) -> String {
    match year < 0 {
        true => format!("{} BC", year.unsigned_abs()),
        false => year.to_string(),
    }
}

impl<'de> Deserialize<'de> for WrittenYear {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(i32),
            Text(String),
        }
        match Raw::deserialize(deserializer) {
            Ok(Raw::Number(year)) => Ok(WrittenYear { year, era: false }),
            Ok(Raw::Text(text)) => WrittenYear::parse(&text).ok_or_else(|| {
                serde::de::Error::custom(match WrittenYear::is_zero_with_era(&text) {
                    true => format!("“{text}” is not a year: {NO_YEAR_ZERO}; write \"1 BC\" or \"AD 1\""),
                    false => format!(
                        "“{text}” is not a year: write a whole number such as 1887, or a year with its era such as \"44 BC\""
                    ),
                })
            }),
            Err(_) => Err(serde::de::Error::custom(
                "expected a year: a whole number such as 1887, or a year with its era such as \"44 BC\"",
            )),
        }
    }
}

/// One year or a `[first, last]` span.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(untagged)]
pub enum YearSpec {
    One(i32),
    Range([i32; 2]),
}

impl Config {
    /// Finds and loads the config: `explicit` if given, else the nearest
    /// `manulint.toml` upward from `start`; defaults if there is none.
    pub fn discover(explicit: Option<&Path>, start: &Path) -> Result<Config, Box<ConfigError>> {
        let path = match explicit {
            Some(path) => Some(path.to_path_buf()),
            None => find_upward(start),
        };
        match path {
            Some(path) => Config::read(&path, explicit.is_some()),
            None => Ok(Config::default()),
        }
    }

    /// Loads the config file at `path`, named by the user (`--config`).
    pub fn load(path: &Path) -> Result<Config, Box<ConfigError>> {
        Config::read(path, true)
    }

    /// Loads `path`; `named` tells whether the user gave it (`--config`) or
    /// it was found, which changes the advice on errors.
    fn read(path: &Path, named: bool) -> Result<Config, Box<ConfigError>> {
        // A pipe or device given as --config must not be read forever.
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
            let help = match named {
                true => "give --config the path of a manulint.toml file".to_string(),
                false => format!(
                    "manulint reads its settings from {}: rename or remove what is there",
                    path.display()
                ),
            };
            return Err(Box::new(ConfigError::usage(
                format!("cannot read {}: not a regular file", path.display()),
                help,
            )));
        }
        if std::fs::metadata(path).is_err()
            && let Ok(target) = std::fs::read_link(path)
        {
            return Err(Box::new(ConfigError::usage(
                format!(
                    "cannot read {}: it is a link to {}, which does not exist",
                    path.display(),
                    target.display()
                ),
                "point the link at a manulint.toml, or remove it".to_string(),
            )));
        }
        let text = std::fs::read_to_string(path).map_err(|e| {
            let help = if e.kind() == std::io::ErrorKind::InvalidData {
                format!("save {} as UTF-8", path.display())
            } else if named {
                "check the path given to --config, or run `manulint init` to create one".into()
            } else {
                format!("check that you may read {}", path.display())
            };
            let reason = if e.kind() == std::io::ErrorKind::InvalidData {
                "it is not valid UTF-8".to_string()
            } else {
                e.to_string()
            };
            Box::new(ConfigError::usage(
                format!("cannot read {}: {reason}", path.display()),
                help,
            ))
        })?;
        Config::parse(path, text)
    }

    /// Reads a config's `text` (from `path`, for messages).
    ///
    /// Errors: every mistake serde or the TOML parser finds, the first with
    /// the others as related problems: after each, the line it points at
    /// (or the whole table, for a table's header) is blanked and the text
    /// read again, so an unknown table (`[stroy]`) no longer hides a bad
    /// value below it. A mistake of syntax that blanking its line does not
    /// mend (an array left open) ends the gathering: what follows it cannot
    /// be read. The blanked text, when it reads, comes with the error (see
    /// [`ConfigError::take_partial`]).
    pub fn parse(path: &Path, text: String) -> Result<Config, Box<ConfigError>> {
        let mut config: Config = match toml::from_str(&text) {
            Ok(config) => config,
            Err(error) => return Err(Config::gather_errors(path, text, &error)),
        };
        config.source = Some(ConfigSource {
            path: path.to_path_buf(),
            text,
        });
        if let (Some(_), Some(years)) = (config.story.year, &config.story.years) {
            return Err(Box::new(config.error_at(
                years.span(),
                "[story] sets both `year` and `years`; keep one",
                "`year = 1887` sets one year for the whole book, `years = [1885, 1887]` a span",
            )));
        }
        Ok(config)
    }

    /// The errors of a config whose reading failed with `first` (see
    /// [`Config::parse`]); at most [`MAX_GATHERED`] of them.
    fn gather_errors(path: &Path, text: String, first: &toml::de::Error) -> Box<ConfigError> {
        let mut errors = vec![ConfigError::from_toml(path, &text, first)];
        let mut blanked = text.clone();
        let mut at = first.span();
        let mut partial = None;
        let mut capped = false;
        while let Some(span) = at.take() {
            if errors.len() >= MAX_GATHERED {
                capped = true;
                break;
            }
            let Some(cleared) = blank_item(&mut blanked, span.clone()) else {
                break;
            };
            // A mistake of syntax right after the blanked lines comes of
            // them (an array left open, its items now astray): what follows
            // cannot be read, and its errors would be guesses.
            if let Err(e) = blanked.parse::<toml::Table>()
                && e.span()
                    .is_some_and(|s| first_line_after(&blanked, cleared.end).contains(&s.start))
            {
                break;
            }
            match toml::from_str::<Config>(&blanked) {
                Ok(mut config) => {
                    config.source = Some(ConfigSource {
                        path: path.to_path_buf(),
                        text: text.clone(),
                    });
                    partial = Some(Box::new(config));
                }
                // The same place again: blanking did not help.
                Err(e) if e.span() == Some(span) => {}
                Err(e) => {
                    errors.push(ConfigError::from_toml(path, &text, &e));
                    at = e.span();
                }
            }
        }
        let mut error = ConfigError::gathered(errors).expect("one error at least");
        if capped {
            error.related.push(ConfigError::usage(
                format!(
                    "{} has more mistakes than these {MAX_GATHERED}",
                    path.display()
                ),
                "mend these and run again".to_string(),
            ));
        }
        error.partial = partial;
        error
    }

    /// The folder globs are relative to (the current directory if no file).
    pub fn root(&self) -> Option<&Path> {
        self.source.as_ref().and_then(|s| s.path.parent())
    }

    /// The chapter file extensions, without their dot: `[".md"]` in the
    /// config means what `["md"]` does.
    pub fn extensions(&self) -> Vec<String> {
        match &self.manuscript.extensions {
            Some(listed) => listed
                .iter()
                .map(|e| e.trim_start_matches('.').to_string())
                .collect(),
            None => DEFAULT_EXTENSIONS.iter().map(|e| e.to_string()).collect(),
        }
    }

    /// A rule's table, if the config has one.
    pub fn rule_table(&self, id: &str) -> Option<&Spanned<toml::Table>> {
        self.rules.get(id)
    }

    /// Where `key` of `[rules.<id>]` is written: its line's value (from
    /// after `=`), found in the text after the table's header and before
    /// the next table; `None` if the config has no such line.
    pub fn rule_key_span(&self, id: &str, key: &str) -> Option<Range<usize>> {
        self.rule_line_spans(id, key).map(|(_, value)| value)
    }

    /// Where the name `key` of `[rules.<id>]` is written (a misspelt
    /// option is pointed at by its name, not its value).
    pub fn rule_key_name_span(&self, id: &str, key: &str) -> Option<Range<usize>> {
        self.rule_line_spans(id, key).map(|(name, _)| name)
    }

    /// The spans of `key`'s name and value on its line of `[rules.<id>]`.
    fn rule_line_spans(&self, id: &str, key: &str) -> Option<(Range<usize>, Range<usize>)> {
        let text = &self.source.as_ref()?.text;
        let table = self.rule_table(id)?;
        let mut at = table.span().end;
        for line in text.get(at..)?.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if trimmed.starts_with('[') && at > table.span().end {
                return None;
            }
            let lead = line.len() - trimmed.len();
            let name = trimmed
                .split('=')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"');
            if name == key && trimmed.contains('=') {
                let eq = lead + trimmed.find('=')? + 1;
                let value = line[eq..].trim();
                let start = at + eq + (line[eq..].len() - line[eq..].trim_start().len());
                let written = trimmed.split('=').next().unwrap_or("").trim_end();
                let name_start = at + lead;
                return Some((
                    name_start..name_start + written.len(),
                    start..start + value.len(),
                ));
            }
            at += line.len();
        }
        None
    }

    /// The options of `[rules.<id>]` but its `level` (none without the
    /// table).
    pub fn rule_options(&self, id: &str) -> toml::Table {
        let mut options = self
            .rule_table(id)
            .map(|table| table.get_ref().clone())
            .unwrap_or_default();
        options.remove("level");
        options
    }

    /// The `level` a rule is given in `[rules.<id>]`, and its other options.
    pub fn rule_settings(
        &self,
        id: &str,
    ) -> Result<(Option<Level>, toml::Table), Box<ConfigError>> {
        let Some(table) = self.rule_table(id) else {
            return Ok((None, toml::Table::new()));
        };
        let mut options = table.get_ref().clone();
        let level_span = || self.rule_key_span(id, "level").unwrap_or(table.span());
        let level = match options.remove("level") {
            None => None,
            Some(toml::Value::String(s)) => Some(s.parse::<Level>().map_err(|msg| {
                Box::new(self.error_at(level_span(), msg, "use off, info, warning or error"))
            })?),
            Some(other) => {
                return Err(Box::new(self.error_at(
                    level_span(),
                    format!(
                        "`level` must be a word in quotes, not {}",
                        match other.type_str() {
                            "integer" => "a whole number",
                            "float" => "a number",
                            "boolean" => "true or false",
                            "array" => "a list",
                            "table" => "a table",
                            _ => "a date",
                        }
                    ),
                    "use level = \"off\" | \"info\" | \"warning\" | \"error\"",
                )));
            }
        };
        Ok((level, options))
    }

    /// Checks `[rules.<id>]` names (and rule names in `[[overrides]]`)
    /// against the known rule ids.
    pub fn check_rule_ids<'a>(
        &self,
        known: impl Iterator<Item = &'a str> + Clone,
    ) -> Result<(), Box<ConfigError>> {
        ConfigError::gathered(self.unknown_rule_ids(known)).map_or(Ok(()), Err)
    }

    /// Every `[rules.<id>]` name (and rule name in `[[overrides]]`) that
    /// is no known rule id, as an error at its place.
    pub fn unknown_rule_ids<'a>(
        &self,
        known: impl Iterator<Item = &'a str> + Clone,
    ) -> Vec<ConfigError> {
        let override_keys = self.overrides.iter().flat_map(|o| o.rules.keys());
        let mut errors = Vec::new();
        for key in self.rules.keys().chain(override_keys) {
            if !known.clone().any(|id| id == key.get_ref()) {
                let help = match did_you_mean(key.get_ref(), known.clone()) {
                    Some(s) => format!("did you mean `{s}`? `manulint rules` lists every rule"),
                    None => "`manulint rules` lists every rule".to_string(),
                };
                errors.push(self.error_at(
                    key.span(),
                    format!("unknown rule `{}`", key.get_ref()),
                    help,
                ));
            }
        }
        errors
    }

    /// An error pointing at the first place `needle` is written in this
    /// config file (a glob, an encoding label), or at no place if absent.
    pub fn error_at_text(
        &self,
        needle: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> ConfigError {
        let span = self
            .source
            .as_ref()
            .and_then(|s| s.text.find(needle))
            .map_or(0..0, |at| at..at + needle.len());
        self.error_at(span, message, help)
    }

    /// An error pointing at a span of this config file.
    pub fn error_at(
        &self,
        span: Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> ConfigError {
        match &self.source {
            Some(source) => ConfigError {
                code: "manulint::config",
                message: message.into(),
                help: Some(help.into()),
                source_code: Some(NamedSource::new(
                    source.path.display().to_string(),
                    source.text.clone(),
                )),
                span: Some(span.into()),
                related: Vec::new(),
                partial: None,
            },
            None => ConfigError {
                code: "manulint::config",
                message: message.into(),
                help: Some(help.into()),
                source_code: None,
                span: None,
                related: Vec::new(),
                partial: None,
            },
        }
    }
}

/// The `manulint.toml` a check run from `start` uses when none is named:
/// the nearest one in `start` or a folder above it, stopping at the root
/// of a git repository.
pub fn find_upward(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(current) = dir {
        let candidate = current.join(CONFIG_FILE_NAME);
        // Anything by that name is the config, so that a folder, a pipe or
        // a broken link there is an error rather than silently skipped
        // for a parent's settings.
        if std::fs::symlink_metadata(&candidate).is_ok() {
            return Some(candidate);
        }
        if current.join(".git").exists() {
            return None;
        }
        dir = current.parent();
    }
    None
}

/// The known name closest to `unknown`, if any is close enough to be a typo.
pub fn did_you_mean<'a>(unknown: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (strsim::normalized_damerau_levenshtein(unknown, k), k))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// A problem with `manulint.toml` (or another TOML file the config names,
/// such as a rule pack), shown with the offending TOML.
#[derive(Debug)]
pub struct ConfigError {
    /// `manulint::config`, or `manulint::pack` for a rule pack.
    code: &'static str,
    pub message: String,
    pub help: Option<String>,
    source_code: Option<NamedSource<String>>,
    span: Option<SourceSpan>,
    /// More problems found in the same pass, shown after this one, so that
    /// a writer mends them in one go rather than one per run.
    related: Vec<ConfigError>,
    /// The file read with its mistaken lines left out, when that reads
    /// (see [`Config::parse`]): its rule tables can then be checked in the
    /// same run.
    partial: Option<Box<Config>>,
}

impl ConfigError {
    /// The first of `errors` with the others as related problems, in the
    /// order of their places in the file; `None` for none.
    pub fn gathered(mut errors: Vec<ConfigError>) -> Option<Box<ConfigError>> {
        // A problem with no place (a note that more follow) comes last.
        errors.sort_by_key(|e| e.span.map_or(usize::MAX, |span| span.offset()));
        let mut errors = errors.into_iter();
        let mut first = errors.next()?;
        first.related.extend(errors);
        Some(Box::new(first))
    }

    /// The config read without the lines this error and its related ones
    /// are about, if it reads; taken, so it is checked once.
    pub fn take_partial(&mut self) -> Option<Box<Config>> {
        self.partial.take()
    }

    /// Adds `more` problems to the related ones, the whole in the order of
    /// their places in the file.
    pub fn add_related(&mut self, more: Vec<ConfigError>) {
        if more.is_empty() {
            return;
        }
        let first = std::mem::replace(self, ConfigError::usage(String::new(), String::new()));
        let mut all = first.into_all();
        all.extend(more);
        if let Some(gathered) = ConfigError::gathered(all) {
            *self = *gathered;
        }
    }

    /// Whether it points into a file (a command-line mistake does not).
    pub fn has_source(&self) -> bool {
        self.source_code.is_some()
    }

    /// This error and its related ones, each on its own.
    pub fn into_all(mut self) -> Vec<ConfigError> {
        let mut all = std::mem::take(&mut self.related);
        all.insert(0, self);
        all
    }

    /// A problem with the command line, which has no file to point into.
    pub fn usage(message: String, help: String) -> Self {
        ConfigError {
            code: "manulint::config",
            message,
            help: Some(help),
            source_code: None,
            span: None,
            related: Vec::new(),
            partial: None,
        }
    }

    /// An error in a TOML file at `span`, named by its path and line.
    pub fn in_file(
        code: &'static str,
        path: &Path,
        text: &str,
        span: Range<usize>,
        message: String,
        help: &str,
    ) -> Self {
        ConfigError {
            code,
            message,
            help: Some(help.to_string()),
            source_code: Some(NamedSource::new(
                path.display().to_string(),
                text.to_string(),
            )),
            span: Some(span.into()),
            related: Vec::new(),
            partial: None,
        }
    }

    /// Changes the error code (`manulint::pack` for rule packs).
    /// A mistake on the command line (an unknown rule id, a bad `--level`),
    /// not in any file: code `manulint::usage`.
    pub fn command_line(message: String, help: String) -> Self {
        ConfigError::usage(message, help).with_code("manulint::usage")
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    fn from_toml(path: &Path, text: &str, error: &toml::de::Error) -> Self {
        let mut message = plain_types(error.message().trim());
        // “duplicate key” names the key (or the table written twice).
        if message == "duplicate key"
            && let Some(key) = error.span().and_then(|span| text.get(span))
        {
            message = format!("`{}` is set twice", key.trim().trim_matches('"'));
        }
        ConfigError {
            code: "manulint::config",
            help: Some(toml_help(&message)),
            message: format!("invalid {}: {message}", path.display()),
            source_code: Some(NamedSource::new(
                path.display().to_string(),
                text.to_string(),
            )),
            span: error.span().map(SourceSpan::from),
            related: Vec::new(),
            partial: None,
        }
    }
}

/// How many mistakes of a config file one run reports (each costs a
/// reading of the file).
const MAX_GATHERED: usize = 50;

/// Blanks, in `text`, the item an error at `span` is about: from its
/// line's start to the end of the line where the span ends, or, for a
/// table's header, the whole table up to the next header. Every byte but
/// line feeds becomes a space, so the other items keep their offsets.
/// The blanked range; `None` when nothing was left to blank.
fn blank_item(text: &mut String, span: Range<usize>) -> Option<Range<usize>> {
    if span.start > text.len() {
        return None;
    }
    // Bytes, not chars: a span's last byte may be inside a character, and
    // a line feed is never part of one.
    let bytes = text.as_bytes();
    let start = bytes[..span.start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = |from: usize| {
        bytes[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| from + i)
    };
    let end = if text[start..].trim_start().starts_with('[') {
        // The table up to the next header.
        let mut at = line_end(start);
        while at < text.len() {
            let next = at + 1;
            if text[next..]
                .trim_start_matches([' ', '\t'])
                .starts_with('[')
            {
                break;
            }
            at = line_end(next);
        }
        at
    } else {
        line_end(
            span.end
                .max(span.start + 1)
                .min(text.len())
                .saturating_sub(1)
                .max(start),
        )
    };
    if text[start..end].trim().is_empty() {
        return None;
    }
    let blanked: String = text[start..end]
        .bytes()
        .map(|b| if b == b'\n' { '\n' } else { ' ' })
        .collect();
    text.replace_range(start..end, &blanked);
    Some(start..end)
}

/// The byte range of the first line after `from` with something on it
/// (empty at the end of the text).
fn first_line_after(text: &str, from: usize) -> Range<usize> {
    let mut at = from.min(text.len());
    for line in text[at..].split_inclusive('\n') {
        if !line.trim().is_empty() {
            return at..at + line.len();
        }
        at += line.len();
    }
    at..at
}

/// A serde or TOML message in a writer's words: Rust's type names
/// (`expected u32`, `expected f64`) say what kind of value is wanted, and
/// an enum given a number (“wanted string or table”) says it wants a word.
pub fn plain_types(message: &str) -> String {
    // serde's “variant” is a Rust word; the writer typed a value.
    let mut out = message.replacen("unknown variant `", "unknown value `", 1);
    for (rust, plain) in [
        ("expected usize", "expected a whole number of 0 or more"),
        ("expected u64", "expected a whole number of 0 or more"),
        ("expected u32", "expected a whole number of 0 or more"),
        ("expected u16", "expected a whole number of 0 or more"),
        ("expected u8", "expected a whole number of 0 or more"),
        ("expected i64", "expected a whole number"),
        ("expected i32", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
        (
            "wanted string or table",
            "expected one of the words listed for this setting, in quotes",
        ),
        (
            "expected a sequence",
            "expected a list in brackets, such as [\"a\", \"b\"]",
        ),
        (
            "data did not match any variant of untagged enum YearSpec",
            "expected a year such as 1962, or the first and last years of a span such as [1960, 1964]",
        ),
        (
            "invalid length 1, expected an array of length 2",
            "expected two years, the first and the last",
        ),
    ] {
        // Whole words only: `expected u32` is not the start of another.
        if let Some(at) = out.find(rust)
            && !out[at + rust.len()..].starts_with(|c: char| c.is_alphanumeric())
        {
            out.replace_range(at..at + rust.len(), plain);
        }
    }
    out
}

/// The settings of [`Config`] that are plain keys at the top of the file,
/// not tables.
const TOP_LEVEL_KEYS: [&str; 4] = ["fail-on", "max-warnings", "baseline", "packs"];

/// A suggestion for a serde/TOML error: "did you mean" for unknown keys.
fn toml_help(message: &str) -> String {
    let unknown_field = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split_once('`'));
    if let Some((field, rest)) = unknown_field {
        let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
        // A top-level setting written after a `[table]` header (appended at
        // the end of the file `init` wrote) lands in that table.
        if TOP_LEVEL_KEYS.contains(&field) && !expected.contains(&field) {
            return format!(
                "`{field}` is a top-level setting: move it above the first [table] \
                 (in TOML every line after a [header] belongs to that table)"
            );
        }
        if let Some(suggestion) = did_you_mean(field, expected.iter().copied()) {
            return format!("did you mean `{suggestion}`?");
        }
        return format!("remove `{field}`; see the configuration reference in the README");
    }
    // `fail-on = "warnings"`: the word it seems to mean.
    if let Some((word, rest)) = message
        .strip_prefix("unknown value `")
        .and_then(|rest| rest.split_once('`'))
    {
        let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
        if let Some(suggestion) = did_you_mean(word, expected.iter().copied()) {
            return format!("did you mean `{suggestion}`?");
        }
    }
    if message.ends_with("is set twice") {
        return "keep one of them: TOML allows each key, and each [table], once".to_string();
    }
    if message.starts_with("missing comma between array elements") {
        return "a list above may lack its closing `]`, or an item its closing quote; \
                `manulint init` writes a commented example"
            .to_string();
    }
    "fix the TOML at the marked place; `manulint init` writes a commented example".to_string()
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

impl Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source_code
            .as_ref()
            .map(|s| s as &dyn miette::SourceCode)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|e| e as &dyn Diagnostic)))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.span?;
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some("here".to_string()), span),
        )))
    }
}

/// The commented starter written by `manulint init`.
pub const STARTER_CONFIG: &str = r#"# manulint configuration. Every key is optional.
# Reference: https://github.com/manulint/manulint#configuration

# Lowest severity that makes `manulint check` exit with 1:
# "error" (default), "warning", "info" or "never".
# fail-on = "error"

# Exit 1 when more than this many warnings are reported.
# max-warnings = 50

# Hide the findings recorded with `manulint check --write-baseline FILE`.
# baseline = "manulint-baseline.json"

# Your own rule packs (TOML files, relative to this file); see docs/packs.md.
# packs = ["style/house.toml"]

[manuscript]
# The manuscript's layout: "auto" (default) finds Leanpub (Book.txt), mdBook
# (SUMMARY.md), bookdown (_bookdown.yml), Pandoc (a defaults file with
# input-files), Obsidian (.obsidian/) and Scrivener exports; their order
# files give the reading order and their control files are never chapters.
# Naming one ("leanpub", "mdbook", "bookdown", "pandoc", "obsidian",
# "scrivener") also makes `manulint check` with no paths check this folder.
# "none" turns detection off. See docs/layouts.md.
# layout = "auto"

# The language of the manuscript ("en", "fr", "es", "de", …). Default:
# detected from the text; a chapter's front matter `lang: fr` wins.
# language = "en"

# Chapter files, as globs relative to this file. Default: every chapter file
# under the paths given on the command line (or the layout's chapters).
# include = ["chapters/**"]
# exclude = ["chapters/notes/**"]

# Chapter file extensions (default: md, markdown, txt, text, docx).
# extensions = ["md", "txt"]

# Reading order, earliest first; files no pattern names follow in natural
# order (chapter-2 before chapter-10).
# order = ["prologue.md", "chapters/*.md", "epilogue.md"]

# Encoding for files that are not valid UTF-8.
# encoding = "windows-1252"

# The book's own words (invented terms, jargon, a motif): never counted as
# echoes, repeated phrases or overused words. Each echo rule also takes
# `allow` for its own.
# vocabulary = ["ansible", "neurolace"]

# The story's year, for the anachronism rule. `--year` and a chapter's front
# matter (`year = 1996`) win over this; with neither, the year is inferred
# from the text ("It was 1996.").
# [story]
# year = 1996
# years = [1995, 1997]
# [story.chapters]
# "flashback-*.md" = 1980

# Per-rule settings: level = "off" | "info" | "warning" | "error", plus the
# rule's options (`manulint explain RULE` lists them).
# [rules.doubled-word]
# level = "error"
# allow = ["had", "that"]

# [rules.draft-marker]
# markers = ["TODO", "TK", "FIXME", "XXX", "NOTE"]

# Rule levels for some files only (globs relative to this file), and the
# language of chapters that have no front matter to say it (Word files).
# [[overrides]]
# files = ["notes/**"]
# rules = { draft-marker = "off" }
# language = "fr"

# [rules.anachronism]
# entities = ["kb/my-entities.toml"]
# allow = ["Google"]

# Characters' names and the other spellings you mean (a nickname, a form
# one character uses). The name-variant rule never reports two spellings of
# one character, nor two characters listed here, as a misspelling.
# [names]
# "Katherine" = ["Kate", "Kat"]
# "Jon" = []
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Box<ConfigError>> {
        Config::parse(Path::new("manulint.toml"), text.to_string())
    }

    fn blank_item_ok(text: &mut String, span: Range<usize>) -> bool {
        blank_item(text, span).is_some()
    }

    #[test]
    fn a_mistaken_item_is_blanked_keeping_every_offset() {
        let text = "[stroy]\nyear = 1950\n\n[story]\nyear = \"é\"\nyears = [\n  1, 2]\n";
        let mut blanked = text.to_string();
        // A header: its whole table, up to the next header.
        assert!(blank_item_ok(&mut blanked, 1..6));
        assert_eq!(
            blanked,
            format!(
                "{}\n{}\n\n[story]\nyear = \"é\"\nyears = [\n  1, 2]\n",
                " ".repeat(7),
                " ".repeat(11)
            )
        );
        // A value: its line, a non-ASCII letter a space per byte.
        let at = blanked.find('"').unwrap();
        assert!(blank_item_ok(&mut blanked, at..at + 4));
        assert_eq!(blanked.len(), text.len());
        assert!(blanked.contains(&format!("[story]\n{}\nyears", " ".repeat(11))));
        // A value over two lines: both.
        let (at, end) = (blanked.find("[\n").unwrap(), blanked.len() - 1);
        assert!(blank_item_ok(&mut blanked, at..end));
        assert_eq!(blanked.trim(), "[story]");
        // Nothing left to blank there.
        assert!(!blank_item_ok(&mut blanked, at..at + 1));
        assert!(!blank_item_ok(&mut blanked, 500..501));
    }

    /// Found by the config fuzzer: an error whose span ends inside a
    /// two-byte letter (“failِn”) panicked on a char boundary.
    #[test]
    fn a_span_ending_inside_a_letter_is_blanked_whole() {
        let error = parse("fail\u{650}n = \"warning\"\nmax-warnings = 5\n[story]\nyear = 1996\n")
            .unwrap_err();
        assert!(
            error.message.contains("invalid unquoted key"),
            "{}",
            error.message
        );
        assert_eq!(error.into_all().len(), 1);
        let mut text = "ab\u{650}\ncd = 1\n".to_string();
        assert!(blank_item_ok(&mut text, 1..3));
        assert_eq!(text, "    \ncd = 1\n");
    }

    #[test]
    fn every_mistake_of_a_file_is_gathered_with_the_rest_read() {
        let mut error =
            parse("[stroy]\nyear = 1950\n\n[manuscript]\nlanguage = 5\n\n[story]\nyear = 1887\n")
                .unwrap_err();
        let partial = error.take_partial().expect("the rest reads");
        assert_eq!(partial.story.year.map(|y| y.year), Some(1887));
        let messages: Vec<String> = error.into_all().into_iter().map(|e| e.message).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0].contains("unknown field `stroy`"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains("invalid type: integer `5`"),
            "{messages:?}"
        );
        // A syntax error that blanking its line mends is one error among
        // the others: an unclosed header, a key set twice.
        let error = parse("[story\nyear = 1950\n").unwrap_err();
        assert_eq!(error.into_all().len(), 1);
        let all = parse(
            "[rules.cliche]\nlevel = \"off\"\nlevel = \"info\"\n\n[story\nyear = 1962\n\n[manuscript]\nlanguage = 5\n",
        )
        .unwrap_err()
        .into_all();
        let messages: Vec<&str> = all.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(
            messages[0].ends_with(": `level` is set twice"),
            "{messages:?}"
        );
        assert_eq!(
            all[0].help.as_deref(),
            Some("keep one of them: TOML allows each key, and each [table], once")
        );
        assert!(
            messages[1].ends_with(": unclosed table, expected `]`"),
            "{messages:?}"
        );
        assert!(
            messages[2].contains("invalid type: integer `5`"),
            "{messages:?}"
        );
        // An array left open leaves what follows unreadable: one error,
        // with a help that names the likely slip, not one per line below.
        let all = parse(
            "[manuscript]\ninclude = [\n  \"chapters/**\",\n  \"notes/**\"\n\n[story]\nyear = 1962\n\n[rules.cliche]\nlevle = \"off\"\n",
        )
        .unwrap_err()
        .into_all();
        assert_eq!(
            all.len(),
            1,
            "{:?}",
            all.iter().map(|e| &e.message).collect::<Vec<_>>()
        );
        assert!(
            all[0]
                .help
                .as_deref()
                .unwrap()
                .starts_with("a list above may lack its closing `]`")
        );
    }

    #[test]
    fn config_messages_are_in_a_writers_words() {
        let error = parse("fail-on = \"warnings\"\n").unwrap_err();
        assert!(
            error.message.ends_with(
                "unknown value `warnings`, expected one of `error`, `warning`, `info`, `never`"
            ),
            "{}",
            error.message
        );
        assert_eq!(error.help.as_deref(), Some("did you mean `warning`?"));
        let error = parse("[story.chapters]\n\"ch1*.md\" = \"sixties\"\n").unwrap_err();
        assert!(
            error.message.ends_with(
                "expected a year such as 1962, or the first and last years of a span such as [1960, 1964]"
            ),
            "{}",
            error.message
        );
        let error = parse("[story]\nyears = [1960]\n").unwrap_err();
        assert!(
            error
                .message
                .ends_with("expected two years, the first and the last"),
            "{}",
            error.message
        );
    }

    #[test]
    fn more_mistakes_than_the_cap_are_said_to_be() {
        let text: String = (1..=60)
            .map(|i| format!("[stroy{i}]\nyear = 1\n\n"))
            .collect();
        let all = parse(&text).unwrap_err().into_all();
        assert_eq!(all.len(), MAX_GATHERED + 1);
        assert_eq!(
            all.last().unwrap().message,
            format!("manulint.toml has more mistakes than these {MAX_GATHERED}")
        );
    }

    #[test]
    fn a_year_is_a_whole_number_or_a_number_with_its_era() {
        let read = |text: &str| WrittenYear::parse(text).map(|y| (y.year, y.era));
        assert_eq!(read(" 1887 "), Some((1887, false)));
        assert_eq!(read("-44"), Some((-44, false)));
        assert_eq!(read("0"), Some((0, false)));
        for bc in [
            "44 BC",
            "44bc",
            "44 BCE",
            "44 b.c.",
            "44 B.C.E.",
            " 44  BC ",
        ] {
            assert_eq!(read(bc), Some((-44, true)), "{bc}");
        }
        for ad in ["AD 14", "ad14", "A.D. 14", "14 AD", "14 CE", "14 c.e."] {
            assert_eq!(read(ad), Some((14, true)), "{ad}");
        }
        // No year 0 with an era, no sign beside one, nothing else around.
        for not in [
            "0 BC", "AD 0", "-44 BC", "c. 44 BC", "44 BC.", "BC", "forty", "", "1943-08",
        ] {
            assert_eq!(read(not), None, "{not}");
        }
        assert_eq!(shown_year(-44), "44 BC");
        assert_eq!(shown_year(1887), "1887");
        let config = parse("[story]\nyear = \"1300 BCE\"\n").unwrap();
        assert_eq!(
            config.story.year,
            Some(WrittenYear {
                year: -1300,
                era: true
            })
        );
    }

    #[test]
    fn starter_config_parses() {
        let config = parse(STARTER_CONFIG).unwrap();
        assert!(config.rules.is_empty());
    }

    #[test]
    fn extensions_are_read_with_or_without_their_dot() {
        let config = parse("[manuscript]\nextensions = [\".md\", \"txt\"]\n").unwrap();
        assert_eq!(config.extensions(), ["md", "txt"]);
        assert_eq!(parse("").unwrap().extensions(), DEFAULT_EXTENSIONS);
    }

    #[test]
    fn unknown_key_suggests_the_right_one() {
        let err = parse("[manuscript]\nincldue = [\"a\"]\n").unwrap_err();
        assert!(
            err.message.contains("unknown field `incldue`"),
            "{}",
            err.message
        );
        assert_eq!(err.help.as_deref(), Some("did you mean `include`?"));
        assert_eq!(err.span, Some(SourceSpan::from(13..20)));
    }

    #[test]
    fn a_top_level_setting_inside_a_table_says_to_move_it() {
        let err =
            parse("[manuscript]\nextensions = [\"txt\"]\n\nfail-on = \"warning\"\n").unwrap_err();
        assert_eq!(
            err.help.as_deref(),
            Some(
                "`fail-on` is a top-level setting: move it above the first [table] (in TOML \
                 every line after a [header] belongs to that table)"
            )
        );
        // A key that is nowhere a setting is still to be removed.
        let err = parse("[story]\nfoo = 1\n").unwrap_err();
        assert!(err.help.as_deref().unwrap().starts_with("remove `foo`"));
    }

    #[test]
    fn rule_level_and_options_are_split() {
        let config = parse("[rules.doubled-word]\nlevel = \"error\"\nallow = [\"had\"]\n").unwrap();
        let (level, options) = config.rule_settings("doubled-word").unwrap();
        assert_eq!(level, Some(Level::Error));
        assert_eq!(options.len(), 1);
        assert!(options.contains_key("allow"));
    }

    #[test]
    fn unknown_rule_id_is_an_error_with_suggestion() {
        let config = parse("[rules.doubled-wrod]\nlevel = \"off\"\n").unwrap();
        let err = config
            .check_rule_ids(["doubled-word", "draft-marker"].into_iter())
            .unwrap_err();
        assert_eq!(err.message, "unknown rule `doubled-wrod`");
        assert!(
            err.help
                .as_deref()
                .unwrap()
                .contains("did you mean `doubled-word`?")
        );
        let text = &config.source.as_ref().unwrap().text;
        let span = err.span.unwrap();
        assert_eq!(
            &text[span.offset()..span.offset() + span.len()],
            "doubled-wrod"
        );
    }

    #[test]
    fn names_table_maps_canonical_names_to_variants() {
        let config = parse("[names]\n\"Katherine\" = [\"Kate\", \"Kat\"]\n\"Jon\" = []\n").unwrap();
        assert_eq!(config.names.len(), 2);
        assert_eq!(config.names["Katherine"], vec!["Kate", "Kat"]);
        assert!(config.names["Jon"].is_empty());
        let err = parse("[names]\nKatherine = \"Kate\"\n").unwrap_err();
        assert!(err.message.contains("invalid type"), "{}", err.message);
    }

    #[test]
    fn bad_level_is_an_error() {
        let config = parse("[rules.doubled-word]\nlevel = \"loud\"\n").unwrap();
        let err = config.rule_settings("doubled-word").unwrap_err();
        assert!(err.message.contains("unknown level `loud`"));
    }
}
