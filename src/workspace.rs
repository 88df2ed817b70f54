//! A manuscript workspace: the configuration, the rules it enables, how to
//! load chapters and what to do with findings — everything a front end
//! (`manulint check`, `--fix`, the HTML report, the language server) needs
//! besides its own input and output.
//!
//! ```text
//! Workspace::open(settings, cwd) ──▶ load(paths) ──▶ Manuscript
//!                                     check(&manuscript) ──▶ Checked
//! ```

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::baseline::Baseline;
use crate::config::{self, Config, ConfigError};
use crate::diagnostic::{Diagnostic, Level};
use crate::docx;
use crate::engine::{self, EnabledRule, RunOutput};
use crate::language::{self, Language};
use crate::layout::LayoutChoice;
use crate::load::{self, LoadOptions, LoadProblem};
use crate::pipeline::{self, Filtered, Pipeline};
use crate::rule::{RuleMeta, RuleSetup};
use crate::rules::Registry;
use crate::suppress;
use crate::text::{Chapter, FrontMatter, Manuscript};

/// An error that stops a workspace from opening: a bad config, pack,
/// option or baseline. Rendered with miette (it points into the TOML).
pub type SetupError = Box<dyn miette::Diagnostic + Send + Sync>;

/// What a front end asks for on top of `manulint.toml` (the command-line
/// options of `check`). Empty settings mean "as configured".
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// `--config`: this file instead of searching for `manulint.toml`.
    pub config: Option<PathBuf>,
    /// `--select`: run only these rule ids (empty: all enabled).
    pub select: Vec<String>,
    /// `--ignore`: never run these rule ids.
    pub ignore: Vec<String>,
    /// `--level RULE=LEVEL` specs, later ones winning.
    pub levels: Vec<String>,
    /// `--year`: the story year for every chapter.
    pub year: Option<crate::config::WrittenYear>,
    /// `--encoding`: a WHATWG label for files that are not UTF-8.
    pub encoding: Option<String>,
    /// `--baseline`: hide the findings recorded here.
    pub baseline: Option<PathBuf>,
    /// `--write-baseline`: record every finding here (and hide them).
    pub write_baseline: Option<PathBuf>,
    /// Folders of other books inside the paths checked (see
    /// [`LoadOptions::other_books`]).
    pub other_books: Vec<PathBuf>,
}

/// A configured workspace, ready to load and check manuscripts.
pub struct Workspace {
    config: Config,
    /// `[manuscript] language`, if set.
    language: Option<Language>,
    registry: Registry,
    rules: Vec<EnabledRule>,
    load_options: LoadOptions,
    pipeline: Pipeline,
    cwd: PathBuf,
}

/// The result of [`Workspace::load_manuscript`].
#[derive(Debug)]
pub struct Loaded {
    pub manuscript: Manuscript,
    /// Unreadable or undecodable files, missing paths, chapters an order
    /// file lists that do not exist.
    pub problems: Vec<LoadProblem>,
    /// `--verbose` notes: the layouts and the language found, and the
    /// repository documents (`README.md`) the walk left out.
    pub notes: Vec<String>,
    /// Notes for every run: chapters in several languages read as English.
    pub notices: Vec<String>,
}

/// The result of [`Workspace::check`].
#[derive(Debug)]
pub struct Checked {
    /// The findings to report, sorted, after directives, overrides and the
    /// baseline.
    pub filtered: Filtered,
    /// `--verbose` notes from the rules.
    pub notes: Vec<String>,
    /// Lines every run shows (what a rule could not check).
    pub notices: Vec<String>,
    /// What each enabled rule cost (`--timings`).
    pub timings: Vec<crate::engine::RuleTiming>,
}

impl Workspace {
    /// Finds and reads the configuration (from `cwd` upwards, or
    /// `settings.config`), builds the registry with its packs, the enabled
    /// rules, the load options and the baseline.
    ///
    /// Errors: a config that does not parse or names unknown rules or keys,
    /// a broken pack, invalid rule options, a bad glob, encoding or file
    /// size limit — each pointing at its source. (An unreadable baseline is
    /// reported by [`Workspace::check`], after the findings.)
    pub fn open(settings: &Settings, cwd: &Path) -> Result<Workspace, SetupError> {
        let mut config = match Config::discover(settings.config.as_deref(), cwd) {
            Ok(config) => config,
            Err(mut error) => {
                // The rule tables of the rest of the file are checked too:
                // every mistake in one run.
                if let Some(partial) = error.take_partial() {
                    error.add_related(rule_table_errors(&partial, settings));
                }
                return Err(boxed(error));
            }
        };
        config.story.cli_year = settings.year.or(config.story.cli_year);
        config.story.shown_config = config
            .source
            .as_ref()
            .map(|source| load::shown_config(cwd, &source.path));
        if let Some(root) = config.root() {
            config.story.folders = Some(crate::config::StoryFolders {
                root: pipeline::absolute(cwd, root),
                cwd: cwd.to_path_buf(),
            });
        }
        let registry = registry_for(&config).map_err(boxed)?;
        let rules = enabled_rules(&registry, &config, settings).map_err(boxed)?;
        let load_options = load_options(&config, settings, cwd).map_err(boxed)?;
        let pipeline = build_pipeline(&registry, &config, settings, &rules, cwd)?;
        let language = configured_language(&config).map_err(boxed)?;
        Ok(Workspace {
            config,
            language,
            registry,
            rules,
            load_options,
            pipeline,
            cwd: cwd.to_path_buf(),
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The enabled rules, in registry order.
    pub fn rules(&self) -> &[EnabledRule] {
        &self.rules
    }

    /// Metadata of the enabled rules (SARIF lists them).
    pub fn rule_metas(&self) -> Vec<&RuleMeta> {
        self.rules.iter().map(|r| r.rule.meta()).collect()
    }

    pub fn load_options(&self) -> &LoadOptions {
        &self.load_options
    }

    /// The folder paths are shown relative to.
    pub fn cwd(&self) -> &Path {
        &self.cwd
    }

    /// True when a baseline is read or written (the summary then counts
    /// what it hid).
    pub fn uses_baseline(&self) -> bool {
        self.pipeline.baseline.is_some() || self.pipeline.write_baseline.is_some()
    }

    /// Reads every chapter under `paths` in parallel, in reading order (a
    /// `.docx` may give several chapters, in its own order). Problems
    /// (unreadable or undecodable files, missing paths) are
    /// returned beside the manuscript; the other chapters are still loaded.
    pub fn load(&self, paths: &[PathBuf]) -> (Manuscript, Vec<LoadProblem>) {
        let loaded = self.load_manuscript(paths);
        (loaded.manuscript, loaded.problems)
    }

    /// Like [`Workspace::load`], also telling which layouts and language
    /// were found (the `-v` notes).
    pub fn load_manuscript(&self, paths: &[PathBuf]) -> Loaded {
        let collected = load::collect(paths, &self.load_options);
        load::prefetch(&collected.files, self.load_options.max_file_size);
        let mut problems = collected.problems;
        let loaded: Vec<Result<Vec<Chapter>, LoadProblem>> = collected
            .files
            .par_iter()
            .zip(collected.file_layouts.par_iter())
            .map(|(path, layout)| {
                // A Word document may hold many chapters.
                let read = if docx::is_docx_path(path) {
                    let limits = docx::Limits::within(self.load_options.max_file_size);
                    docx::load(path, limits).inspect(|chapters| {
                        for chapter in chapters {
                            crate::memory::note_text_read(chapter.text.len());
                        }
                    })
                } else {
                    load::read_chapter(path, &self.load_options).map(|(text, format, shift)| {
                        // Before the parse, which allocates the most.
                        crate::memory::note_text_read(text.len());
                        let mut chapter = Chapter::parse(0, path.clone(), format, text);
                        chapter.byte_shift = shift;
                        vec![chapter]
                    })
                };
                read.map(|mut chapters| {
                    for chapter in &mut chapters {
                        chapter.layout = layout.map(|i| collected.layouts[i].kind);
                    }
                    chapters
                })
            })
            .collect();
        let mut chapters = Vec::with_capacity(loaded.len());
        for result in loaded {
            match result {
                Ok(file_chapters) => {
                    for mut chapter in file_chapters {
                        chapter.index = chapters.len();
                        chapters.push(chapter);
                    }
                }
                Err(problem) => problems.push(problem),
            }
        }
        problems.extend(
            chapters
                .iter()
                .filter(|c| c.front_matter.is_none() && FrontMatter::is_unclosed(&c.text))
                .map(|c| {
                    LoadProblem::warning(
                        &c.path,
                        format!(
                            "{}: the front matter opened on line 1 is not closed (no `---` line in its first 200 lines), so it is read as text and its entries are not read",
                            c.path.display()
                        ),
                        "end it with a line of `---` (`+++` for TOML) after its last entry",
                    )
                }),
        );
        let mut notes: Vec<String> = collected
            .layouts
            .iter()
            .map(|l| format!("layout: {}", l.describe()))
            .collect();
        notes.extend(collected.documents.iter().map(|path| {
            format!(
                "skipped {}: a repository document, not a chapter (name it on the command line, or in [manuscript] include, to check it)",
                path.display()
            )
        }));
        let (language_notes, notices) = self.languages_of(&mut chapters);
        notes.extend(language_notes);
        Loaded {
            manuscript: Manuscript::new(chapters),
            problems,
            notes,
            notices,
        }
    }

    /// Sets each chapter's language (front matter, `[manuscript]
    /// language`, or detection) and returns the `-v` notes saying how.
    pub fn set_languages(&self, chapters: &mut [Chapter]) -> Vec<String> {
        self.languages_of(chapters).0
    }

    /// [`Workspace::set_languages`], with the notes every run shows apart:
    /// `(-v notes, notes for every run)`.
    fn languages_of(&self, chapters: &mut [Chapter]) -> (Vec<String>, Vec<String>) {
        if chapters.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let declared = self.pipeline.override_languages(chapters);
        let (language, source, mut notes) =
            language::assign(chapters, &declared, self.language.as_ref());
        if let language::LanguageSource::Mixed(found) = &source {
            return (notes, vec![language::mixed_note(found)]);
        }
        notes.insert(0, language::describe(&language, &source));
        (notes, Vec::new())
    }

    /// Runs the enabled rules over `manuscript`, then directives, overrides
    /// and the baseline. `report_only` (one flag per chapter) keeps only the
    /// findings of some chapters while the others serve as context.
    ///
    /// A baseline that could not be read or written hides nothing; its
    /// error is in [`Filtered::baseline_error`], to be shown after the
    /// findings.
    pub fn check(&self, manuscript: &Manuscript, report_only: Option<Vec<bool>>) -> Checked {
        let output: RunOutput = engine::run(manuscript, &self.rules);
        let filtered = self
            .pipeline
            .apply(manuscript, output.diagnostics, report_only.as_deref());
        Checked {
            filtered,
            notes: output.notes,
            notices: output.notices,
            timings: output.timings,
        }
    }
}

impl Workspace {
    /// The findings of `manuscript` after directives, overrides and the
    /// baseline, without writing anything: what `--fix` mends on each pass.
    pub fn findings(
        &self,
        manuscript: &Manuscript,
        report_only: Option<&[bool]>,
    ) -> Vec<Diagnostic> {
        let output = engine::run(manuscript, &self.rules);
        self.pipeline
            .apply_read_only(manuscript, output.diagnostics, report_only)
            .diagnostics
    }
}

fn boxed<E: miette::Diagnostic + Send + Sync + 'static>(error: Box<E>) -> SetupError {
    error
}

/// The code rules, the embedded packs and the packs `config` names.
pub fn registry_for(config: &Config) -> Result<Registry, Box<crate::packs::PackError>> {
    let packs = crate::packs::PackSet::for_config(config, &Registry::code_rule_ids())?;
    Ok(Registry::with_packs(&packs))
}

/// The stage between engine and reporter: directives, overrides, baseline.
fn build_pipeline(
    registry: &Registry,
    config: &Config,
    settings: &Settings,
    rules: &[EnabledRule],
    cwd: &Path,
) -> Result<Pipeline, SetupError> {
    let root = config
        .root()
        .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
    let baseline_path = match (&settings.baseline, &config.baseline) {
        (Some(path), _) => Some(path.clone()),
        (None, Some(path)) if settings.write_baseline.is_none() => Some(root.join(path)),
        _ => None,
    };
    // A bad baseline does not stop the run: its error is shown after the
    // findings (see `Workspace::check`).
    let baseline = baseline_path.map(|path| Baseline::load(&path));
    Ok(Pipeline {
        known_rules: registry.ids().map(str::to_string).collect(),
        directive_severity: rules
            .iter()
            .find(|r| r.rule.meta().id == suppress::BAD_DIRECTIVE)
            .map(|r| r.severity),
        overrides: pipeline::compile_overrides(config).map_err(boxed)?,
        root,
        cwd: cwd.to_path_buf(),
        baseline,
        write_baseline: settings.write_baseline.clone(),
        ran_rules: rules.iter().map(|r| r.rule.meta().id.to_string()).collect(),
    })
}

fn load_options(
    config: &Config,
    settings: &Settings,
    cwd: &Path,
) -> Result<LoadOptions, Box<ConfigError>> {
    let root = config
        .root()
        .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
    let mut options = LoadOptions::new(config.extensions(), root);
    options.cwd = Some(cwd.to_path_buf());
    options.other_books.clone_from(&settings.other_books);
    let globs = |patterns: &[String]| {
        load::glob_set(patterns).map_err(|(pattern, message)| {
            Box::new(config.error_at_text(&pattern, message, "fix the glob in [manuscript]"))
        })
    };
    let manuscript = &config.manuscript;
    if let Some(layout) = &manuscript.layout {
        options.layout = LayoutChoice::parse(layout.get_ref()).map_err(|message| {
            Box::new(config.error_at(
                layout.span(),
                message,
                "set [manuscript] layout to one of these, or remove it to detect the layout",
            ))
        })?;
    }
    options
        .set_include(&manuscript.include)
        .map_err(|(pattern, message)| {
            Box::new(config.error_at_text(&pattern, message, "fix the glob in [manuscript]"))
        })?;
    options.exclude = globs(&manuscript.exclude)?;
    for pattern in &manuscript.order {
        options.order.extend(globs(std::slice::from_ref(pattern))?);
    }
    if let Some(mb) = manuscript.max_file_size_mb {
        options.set_max_file_mb(mb).map_err(|message| {
            Box::new(config.error_at_text(
                "max-file-size-mb",
                message,
                "give a size in MiB, e.g. max-file-size-mb = 512",
            ))
        })?;
    }
    if let Some(label) = settings.encoding.as_ref().or(manuscript.encoding.as_ref()) {
        let encoding = encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
            Box::new(config.error_at_text(
                label,
                format!("unknown encoding `{label}`"),
                "use a WHATWG encoding label such as windows-1252, iso-8859-1 or utf-16le",
            ))
        })?;
        options.fallback_encoding = Some(encoding);
    }
    Ok(options)
}

/// `[manuscript] language`, checked.
fn configured_language(config: &Config) -> Result<Option<Language>, Box<ConfigError>> {
    let Some(tag) = &config.manuscript.language else {
        return Ok(None);
    };
    Language::parse(tag.get_ref()).map(Some).map_err(|message| {
        Box::new(config.error_at(
            tag.span(),
            message,
            "e.g. language = \"fr\"; remove the key to detect the language",
        ))
    })
}

/// The mistakes in `config`'s rule tables (unknown rules, bad levels and
/// options), each on its own; none when its packs do not load (a pack's
/// error is its own file's, reported once the config reads).
fn rule_table_errors(config: &Config, settings: &Settings) -> Vec<ConfigError> {
    let Ok(registry) = registry_for(config) else {
        return Vec::new();
    };
    match enabled_rules(&registry, config, settings) {
        Ok(_) => Vec::new(),
        Err(error) => error
            .into_all()
            .into_iter()
            // A command-line mistake is said on its own, after the file's.
            .filter(|e| e.has_source())
            .collect(),
    }
}

/// Builds the enabled rules: levels from config, then `--level`, then
/// `--select`/`--ignore`.
fn enabled_rules(
    registry: &Registry,
    config: &Config,
    settings: &Settings,
) -> Result<Vec<EnabledRule>, Box<ConfigError>> {
    let cli_levels = parse_cli_levels(registry, &settings.levels)?;
    for id in settings.select.iter().chain(&settings.ignore) {
        check_cli_rule_id(registry, id)?;
    }
    // Every mistake in the rule tables is gathered and reported at once:
    // unknown rule ids, bad levels, bad options.
    let mut errors = config.unknown_rule_ids(registry.ids());
    let mut enabled = Vec::new();
    for available in registry.iter() {
        let id = available.meta.id.as_ref();
        let (config_level, options) = match config.rule_settings(id) {
            Ok(settings) => settings,
            Err(error) => {
                errors.push(*error);
                // Its options are checked all the same.
                let options = config.rule_options(id);
                let setup = RuleSetup {
                    options: &options,
                    config,
                };
                if let Err(message) = available.build(&setup) {
                    errors.extend(option_errors(config, available, &setup, &message));
                }
                continue;
            }
        };
        let selected = settings.select.is_empty() || settings.select.iter().any(|s| s == id);
        let ignored = settings.ignore.iter().any(|s| s == id);
        let cli_level = cli_levels
            .iter()
            .rev()
            .find(|(rule, _)| rule == id)
            .map(|(_, l)| *l);
        let level = cli_level.or(config_level);
        let severity = match level {
            Some(level) => level.severity(),
            None => Some(available.meta.default_severity),
        };
        let Some(severity) = severity.filter(|_| selected && !ignored) else {
            continue;
        };
        let setup = RuleSetup {
            options: &options,
            config,
        };
        match available.build(&setup) {
            Ok(rule) => enabled.push(EnabledRule { rule, severity }),
            Err(message) => errors.extend(option_errors(config, available, &setup, &message)),
        }
    }
    if let Some(error) = ConfigError::gathered(errors) {
        return Err(error);
    }
    // Rules named on the command line, none of which runs: a check that
    // checks nothing and says "No problems found" would mislead.
    if enabled.is_empty() && !settings.select.is_empty() {
        let listed = settings.select.join(",");
        let (why, help) = match settings
            .ignore
            .iter()
            .any(|id| settings.select.contains(id))
        {
            true => (
                "--ignore takes out what --select names",
                "drop the rule from --ignore".to_string(),
            ),
            false => (
                "each is off (`level = \"off\"` in manulint.toml, or --level RULE=off)",
                format!("give it a level: --level {}=warning", settings.select[0]),
            ),
        };
        return Err(Box::new(ConfigError::command_line(
            format!("no rule left to run: --select {listed}, but {why}"),
            help,
        )));
    }
    Ok(enabled)
}

/// The errors for options of `available` that do not build it: one at
/// each option that does not build it alone (serde's message names only
/// the first, and not always the option), or, when none does, one at the
/// rule's table with `message`.
fn option_errors(
    config: &Config,
    available: &crate::rules::AvailableRule,
    setup: &RuleSetup,
    message: &str,
) -> Vec<ConfigError> {
    let id = available.meta.id.as_ref();
    let mut errors: Vec<ConfigError> = setup
        .options
        .iter()
        .filter_map(|(key, value)| {
            let alone = toml::Table::from_iter([(key.clone(), value.clone())]);
            let setup = RuleSetup {
                options: &alone,
                ..*setup
            };
            let message = available.build(&setup).err()?;
            Some(option_error(config, id, Some(key), &message))
        })
        .collect();
    if errors.is_empty() {
        errors.push(option_error(config, id, None, message));
    }
    errors
}

/// The error for rule `id`'s option `culprit` (or its whole table), from
/// serde's `message`, with the option it seems to mean when the option is
/// unknown.
fn option_error(config: &Config, id: &str, culprit: Option<&String>, message: &str) -> ConfigError {
    let msg = crate::config::plain_types(message);
    // serde lists the options the rule reads; `level` is read before
    // them, and is the likeliest key to mistype.
    let unknown = msg
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split_once('`'));
    // A misspelt option is shown at its name, a bad value at the value.
    let key_span = culprit.and_then(|key| match unknown {
        Some(_) => config.rule_key_name_span(id, key),
        None => config.rule_key_span(id, key),
    });
    let span = key_span.unwrap_or_else(|| config.rule_table(id).map_or(0..0, |t| t.span()));
    let (msg, suggestion) = match unknown {
        Some((field, rest)) => {
            let mut known = vec!["level"];
            known.extend(rest.split('`').skip(1).step_by(2));
            let suggestion = crate::config::did_you_mean(field, known.iter().copied())
                .map(|s| format!("did you mean `{s}`?"));
            // “expected `allow`” and “expected one of `allow`, `max`” both
            // take `level` first; a rule with no options takes only it.
            let msg = if msg.contains(", there are no fields") {
                msg.replacen(
                    ", there are no fields",
                    ", expected `level` (the rule has no other options)",
                    1,
                )
            } else if msg.contains(", expected one of ") {
                msg.replacen(", expected one of ", ", expected one of `level`, ", 1)
            } else if rest.contains(" or ") {
                msg.replacen(", expected ", ", expected `level`, ", 1)
            } else {
                msg.replacen(", expected ", ", expected `level` or ", 1)
            };
            (msg, suggestion)
        }
        None => (msg, None),
    };
    let message = match culprit {
        Some(key) if !msg.contains(&format!("`{key}`")) => {
            format!("invalid options for rule `{id}`: `{key}`: {msg}")
        }
        _ => format!("invalid options for rule `{id}`: {msg}"),
    };
    config.error_at(
        span,
        message,
        suggestion.unwrap_or_else(|| format!("`manulint explain {id}` lists the rule's options")),
    )
}

/// `--level RULE=LEVEL` values. Errors are the command line's, never the
/// config file's (there is nothing in it to point at).
fn parse_cli_levels(
    registry: &Registry,
    levels: &[String],
) -> Result<Vec<(String, Level)>, Box<ConfigError>> {
    let usage = |message: String| {
        Box::new(ConfigError::command_line(
            message,
            "e.g. --level doubled-word=error".to_string(),
        ))
    };
    levels
        .iter()
        .map(|spec| {
            let (rule, level) = spec
                .split_once('=')
                .ok_or_else(|| usage(format!("--level `{spec}` is not RULE=LEVEL")))?;
            check_cli_rule_id(registry, rule)?;
            let level = level
                .parse::<Level>()
                .map_err(|msg| usage(format!("--level `{spec}`: {msg}")))?;
            Ok((rule.to_string(), level))
        })
        .collect()
}

fn check_cli_rule_id(registry: &Registry, id: &str) -> Result<(), Box<ConfigError>> {
    if registry.get(id).is_some() {
        return Ok(());
    }
    let help = match config::did_you_mean(id, registry.ids()) {
        Some(s) => format!("did you mean `{s}`? `manulint rules` lists every rule"),
        None => "`manulint rules` lists every rule".to_string(),
    };
    Err(Box::new(ConfigError::command_line(
        format!("unknown rule `{id}`"),
        help,
    )))
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    use super::{Settings, Workspace};
    use crate::diagnostic::Diagnostic;
    use crate::text::{Analyses, Chapter, Manuscript, SourceFormat};

    /// The sample novel: every default rule finds something in it.
    fn sample() -> (Workspace, Vec<Chapter>) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample-novel");
        let workspace = Workspace::open(&Settings::default(), &dir).unwrap();
        let (manuscript, problems) = workspace.load(&[dir]);
        assert!(problems.is_empty());
        (workspace, manuscript.into_chapters())
    }

    /// The sample novel's chapters as a language server holds them.
    fn kept_sample() -> (Workspace, Vec<Chapter>) {
        let (workspace, mut chapters) = sample();
        chapters.iter_mut().for_each(Chapter::keep_analyses);
        (workspace, chapters)
    }

    /// Checks `chapters` with the one at `removed` left out (the rest
    /// re-indexed), as a language server does when `kept` is given (what
    /// checks keep for the next, see `Manuscript::with_kept`); gives the
    /// chapters back whole, in their order.
    fn check(
        workspace: &Workspace,
        mut chapters: Vec<Chapter>,
        removed: Option<usize>,
        kept: Option<&Arc<Analyses>>,
    ) -> (Vec<Diagnostic>, Vec<Chapter>) {
        let aside = removed.map(|i| chapters.remove(i));
        for (i, chapter) in chapters.iter_mut().enumerate() {
            chapter.index = i;
        }
        let manuscript = match kept {
            Some(kept) => Manuscript::with_kept(chapters, Arc::clone(kept)),
            None => Manuscript::new(chapters),
        };
        let found = workspace.findings(&manuscript, None);
        let mut chapters = manuscript.into_chapters();
        if let (Some(i), Some(chapter)) = (removed, aside) {
            chapters.insert(i, chapter);
        }
        for (i, chapter) in chapters.iter_mut().enumerate() {
            chapter.index = i;
        }
        (found, chapters)
    }

    /// `chapters` with the texts `texts`: a chapter whose text changed is
    /// parsed again (losing what was derived from it), the others are kept.
    fn with_texts(chapters: Vec<Chapter>, texts: &[Arc<str>]) -> Vec<Chapter> {
        chapters
            .into_iter()
            .zip(texts)
            .map(|(chapter, text)| match *chapter.text == **text {
                true => chapter,
                false => chapter.reparsed(Arc::clone(text)),
            })
            .collect()
    }

    /// A chapter removed ahead of kept ones that changes nothing else:
    /// what the kept chapters keep is reused, and must be placed at their
    /// new indices (a name's uses in the chapters after the removed one, a
    /// chapter rule's finding in one of them).
    #[test]
    fn kept_findings_move_with_their_chapters() {
        let (workspace, _) = sample();
        let texts = [
            "and so it went on and on, day after day after day.\n",
            "Teo walked down to the harbour that morning. He saw the boats come in, and Teo counted them.\n",
            "Later Theo came down the the hill. Teo waved at him from the wall by the water.\n",
        ];
        let chapters = |keep: bool| -> Vec<Chapter> {
            texts
                .iter()
                .enumerate()
                .map(|(i, text)| {
                    let path = PathBuf::from(format!("{i}.txt"));
                    let mut chapter =
                        Chapter::parse(i, path, SourceFormat::PlainText, Arc::from(*text));
                    if keep {
                        chapter.keep_analyses();
                    }
                    chapter
                })
                .collect()
        };
        let store = Arc::default();
        let (_, kept) = check(&workspace, chapters(true), None, Some(&store));
        let (incremental, _) = check(&workspace, kept, Some(0), Some(&store));
        let (fresh, _) = check(&workspace, chapters(false), Some(0), None);
        assert_eq!(incremental, fresh);
        // A rule's findings as (message, chapter).
        let of_rule = |rule: &str| -> Vec<(&str, usize)> {
            fresh
                .iter()
                .filter(|d| d.rule == rule)
                .map(|d| (d.message.as_str(), d.primary.chapter))
                .collect()
        };
        assert_eq!(
            of_rule("name-variant"),
            [("“Theo” (1×): did you mean “Teo” (3×)?", 1)]
        );
        // A chapter rule's kept finding moves too.
        assert_eq!(
            of_rule("doubled-word"),
            [("“the” is written twice in a row", 1)]
        );
    }

    /// What a language server does: chapters an edit did not touch are
    /// kept, with what rules derived from them (`Chapter::memo`), and only
    /// the edited one is parsed again. Each re-check must find exactly what
    /// a check of freshly loaded chapters finds.
    #[test]
    fn re_checks_with_kept_chapters_find_what_a_fresh_check_finds() {
        let (workspace, chapters) = kept_sample();
        let store = Arc::default();
        let (before, mut kept) = check(&workspace, chapters, None, Some(&store));
        let original: Vec<Arc<str>> = kept.iter().map(|c| Arc::clone(&c.text)).collect();
        let long_paragraph = original[0]
            .split("\n\n")
            .find(|p| p.split_whitespace().count() > 40)
            .unwrap()
            .to_string();
        // A paragraph pasted from chapter 1 into chapter 3; “gray” spelled
        // “grey” all through chapter 2; a doubled word and “Theo” for “Teo”
        // in chapter 4; then chapter 2 gone (chapter 4, kept, is now the
        // third); then every edit undone.
        let pasted: Arc<str> = format!("{}\n\n{long_paragraph}\n", original[2].trim_end()).into();
        let grey: Arc<str> = original[1].replace("gray", "grey").into();
        let doubled: Arc<str> = original[3]
            .replacen(" a ", " a a ", 1)
            .replacen("Teo", "Theo", 1)
            .into();
        // “street light” in chapter 4 against chapter 3's “streetlight”:
        // chapter 3 is unchanged, but what its words are looked up against
        // is not.
        let open: Arc<str> = format!(
            "{}\n\nThey waited by the street light.\n",
            original[3].trim_end()
        )
        .into();
        let o = |i: usize| Arc::clone(&original[i]);
        let steps: Vec<(Vec<Arc<str>>, Option<usize>)> = vec![
            (vec![o(0), o(1), o(2), open], None),
            (vec![o(0), o(1), pasted.clone(), o(3)], None),
            (vec![o(0), grey.clone(), pasted, o(3)], None),
            (vec![o(0), grey, o(2), doubled.clone()], None),
            (vec![o(0), o(1), o(2), doubled], Some(1)),
            (original.clone(), None),
        ];
        let mut previous = before.clone();
        for (texts, removed) in steps {
            let (incremental, chapters) =
                check(&workspace, with_texts(kept, &texts), removed, Some(&store));
            let (_, fresh_chapters) = sample();
            let (fresh, _) = check(
                &workspace,
                with_texts(fresh_chapters, &texts),
                removed,
                None,
            );
            assert_eq!(incremental, fresh, "removed {removed:?}");
            assert_ne!(incremental, previous, "the step changed nothing");
            previous = incremental;
            kept = chapters;
        }
        assert_eq!(previous, before);
    }

    /// The same on a whole novel from the shared corpus, as a language
    /// server re-checks it after edits to one chapter: words that change
    /// its vocabulary and capitals (a new coinage, a name misspelt), a
    /// paragraph pasted from another chapter, and the edits undone.
    #[test]
    fn re_checks_of_a_novel_find_what_a_fresh_check_finds() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/emma");
        if !dir.is_dir() {
            eprintln!("skipping: no corpus at {}", dir.display());
            return;
        }
        let workspace = Workspace::open(&Settings::default(), &dir).unwrap();
        let load = || workspace.load(std::slice::from_ref(&dir)).0.into_chapters();
        let mut kept = load();
        kept.iter_mut().for_each(Chapter::keep_analyses);
        let original: Vec<Arc<str>> = kept.iter().map(|c| Arc::clone(&c.text)).collect();
        let middle = original.len() / 2;
        let pasted_paragraph = original[1]
            .split("\n\n")
            .find(|p| p.split_whitespace().count() > 60)
            .unwrap();
        let edits: [&dyn Fn(&str) -> String; 3] = [
            &|text| {
                text.replacen(" the ", " the the ", 1)
                    .replacen("Emma", "Emmah", 2)
            },
            &|text| format!("{text}\n\nShe wandered the glimmerous orchard alone.\n"),
            &|text| format!("{text}\n\n{pasted_paragraph}\n"),
        ];
        let store = Arc::default();
        let (mut previous, chapters) = check(&workspace, kept, None, Some(&store));
        kept = chapters;
        let mut texts = original.clone();
        for edit in edits.iter().map(Some).chain([None]) {
            texts[middle] = match edit {
                Some(edit) => edit(&texts[middle]).into(),
                None => Arc::clone(&original[middle]),
            };
            let (incremental, chapters) =
                check(&workspace, with_texts(kept, &texts), None, Some(&store));
            let (fresh, _) = check(&workspace, with_texts(load(), &texts), None, None);
            assert_eq!(incremental, fresh);
            assert_ne!(incremental, previous, "the edit changed nothing");
            previous = incremental;
            kept = chapters;
        }
    }
}
