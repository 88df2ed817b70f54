//! The command line: `check`, `rules`, `explain`, `init`.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use crate::baseline::Baseline;
use crate::config::{self, Config, ConfigError, FailOn};
use crate::diagnostic::{Diagnostic, Level, Severity};
use crate::engine::{self, EnabledRule};
use crate::load::{self, LoadOptions, LoadProblem, ProblemLevel};
use crate::pipeline::{self, Pipeline};
use crate::report::{self, Format, Report, Summary};
use crate::rule::RuleSetup;
use crate::rules::Registry;
use crate::suppress;
use crate::text::{Chapter, Manuscript};

const EXAMPLES: &str = "\
Examples:
  manulint check chapters/                 check every chapter under chapters/
  manulint check --format short draft.md   one line per finding
  manulint check --select doubled-word .   run only one rule
  manulint check --fail-on warning .       exit 1 on warnings too
  manulint check --format github .         annotations in GitHub Actions
  manulint check --write-baseline manulint-baseline.json .
                                           record today's findings; later runs
                                           with --baseline show only new ones
  manulint rules                           list every rule
  manulint explain draft-marker            show a rule's documentation
  manulint init                            write a starter manulint.toml";

/// Exit codes: 0 clean, 1 findings at the failing severity, 2 usage, config
/// or I/O errors.
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "manulint",
    version,
    about = "A linter for novel manuscripts: duplicates, anachronisms, echoes, scaffolding and typography.",
    after_help = EXAMPLES
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,

    /// When to use color: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check chapter files and folders.
    #[command(after_help = EXAMPLES)]
    Check(CheckArgs),
    /// List every rule: id, category, default severity, summary.
    Rules,
    /// Show a rule's full documentation.
    Explain {
        /// The rule id, e.g. doubled-word.
        rule: String,
    },
    /// Write a commented starter manulint.toml in the current folder.
    Init,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// Chapter files or folders (folders are searched recursively).
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,

    /// Use this config file instead of searching for manulint.toml.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// Run only these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    select: Vec<String>,

    /// Do not run these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    ignore: Vec<String>,

    /// Set a rule's level: RULE=off|info|warning|error (repeatable).
    #[arg(long = "level", value_name = "RULE=LEVEL")]
    levels: Vec<String>,

    /// Lowest severity that makes the run exit with 1 [default: error].
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,

    /// Also exit with 1 when more than N warnings are reported.
    #[arg(long, value_name = "N")]
    max_warnings: Option<usize>,

    /// Hide the findings recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,

    /// Record every current finding in FILE (replacing it) and hide them.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,

    /// Encoding for files that are not valid UTF-8, e.g. windows-1252.
    #[arg(long, value_name = "LABEL")]
    encoding: Option<String>,

    /// Print only the summary line.
    #[arg(long, short)]
    quiet: bool,

    /// Explain what rules skipped and why (on stderr).
    #[arg(long, short)]
    verbose: bool,

    /// The story's year for every chapter (anachronism rule); wins over
    /// front matter, [story] and the text.
    #[arg(long, value_name = "YEAR")]
    year: Option<i32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    fn enabled(self, stream_is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { EXIT_ERROR } else { 0 });
        }
    };
    let stderr_color = cli.color.enabled(io::stderr().is_terminal());
    let errors = ErrorPrinter {
        color: stderr_color,
    };
    let result = match &cli.command {
        Command::Check(args) => check(args, cli.color, &errors),
        Command::Rules => list_rules(&errors),
        Command::Explain { rule } => explain(rule, &errors),
        Command::Init => init(&errors),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            errors.message(&format!("cannot write output: {err}"));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Renders errors and warnings about the run itself on stderr.
struct ErrorPrinter {
    color: bool,
}

impl ErrorPrinter {
    fn diagnostic(&self, diagnostic: &dyn miette::Diagnostic) {
        let mut text = String::new();
        if report::human_handler(self.color)
            .render_report(&mut text, diagnostic)
            .is_err()
        {
            text = diagnostic.to_string();
        }
        let _ = writeln!(io::stderr(), "{text}");
    }

    fn message(&self, message: &str) {
        let _ = writeln!(io::stderr(), "error: {message}");
    }
}

fn check(args: &CheckArgs, color: ColorChoice, errors: &ErrorPrinter) -> io::Result<u8> {
    let started = Instant::now();
    let cwd = std::env::current_dir()?;
    let mut config = match Config::discover(args.config.as_deref(), &cwd) {
        Ok(config) => config,
        Err(err) => {
            errors.diagnostic(&*err);
            return Ok(EXIT_ERROR);
        }
    };
    config.story.cli_year = args.year.or(config.story.cli_year);
    let registry = match registry_for(&config) {
        Ok(registry) => registry,
        Err(err) => {
            errors.diagnostic(&*err);
            return Ok(EXIT_ERROR);
        }
    };
    let rules = match enabled_rules(&registry, &config, args) {
        Ok(rules) => rules,
        Err(err) => {
            errors.diagnostic(&*err);
            return Ok(EXIT_ERROR);
        }
    };
    let options = match load_options(&config, args, &cwd) {
        Ok(options) => options,
        Err(err) => {
            errors.diagnostic(&*err);
            return Ok(EXIT_ERROR);
        }
    };

    let context = precommit_context(&config, &args.paths, &cwd);
    let load_paths = context.as_ref().map_or(&args.paths, |c| &c.load);
    let (manuscript, mut problems) = load_manuscript(load_paths, &options);
    if let Some(context) = &context {
        problems.extend(context.missing.iter().map(|path| {
            LoadProblem::error(
                path,
                format!("{}: no such file or folder", path.display()),
                "check the path",
            )
        }));
    }
    for problem in &problems {
        errors.diagnostic(problem);
    }
    let io_failed = problems.iter().any(|p| p.level == ProblemLevel::Error);
    if manuscript.chapters.is_empty() {
        if !io_failed {
            errors.message(&format!(
                "no chapter files found (looked for {})",
                options.extension_list()
            ));
        }
        return Ok(EXIT_ERROR);
    }

    let pipeline = match build_pipeline(&registry, &config, args, &rules, &cwd) {
        Ok(pipeline) => Pipeline {
            report_only: context.as_ref().map(|c| c.report_only(&manuscript, &cwd)),
            ..pipeline
        },
        Err(err) => {
            errors.diagnostic(&*err);
            return Ok(EXIT_ERROR);
        }
    };

    let output = engine::run(&manuscript, &rules);
    if let (Some(context), true) = (&context, args.verbose) {
        for path in context.ignored(&manuscript, &cwd) {
            let _ = writeln!(
                io::stderr(),
                "note: ignored {}: not a chapter of the manuscript ([manuscript] include in manulint.toml)",
                path.display()
            );
        }
    }
    if args.verbose {
        for note in &output.notes {
            let _ = writeln!(io::stderr(), "note: {note}");
        }
    }
    let filtered = match pipeline.apply(&manuscript, output.diagnostics) {
        Ok(filtered) => filtered,
        Err(err) => {
            errors.diagnostic(&err);
            return Ok(EXIT_ERROR);
        }
    };
    if let (Some(path), Some(count)) = (&args.write_baseline, filtered.written) {
        let _ = writeln!(
            io::stderr(),
            "Wrote {} to {}",
            report::plural(count, "finding"),
            path.display()
        );
    }
    let files: Vec<usize> = match &pipeline.report_only {
        Some(report) => (0..manuscript.chapters.len())
            .filter(|&i| report[i])
            .collect(),
        None => (0..manuscript.chapters.len()).collect(),
    };
    let mut summary = Summary::new(&manuscript, &filtered.diagnostics, started.elapsed());
    if pipeline.report_only.is_some() {
        summary.files = files.len();
        summary.words = files
            .iter()
            .map(|&i| manuscript.chapters[i].word_count())
            .sum();
    }
    if pipeline.baseline.is_some() || pipeline.write_baseline.is_some() {
        summary.baselined = Some(filtered.baselined);
    }
    let report = Report {
        manuscript: &manuscript,
        diagnostics: &filtered.diagnostics,
        rules: rules.iter().map(|r| r.rule.meta()).collect(),
        files,
        summary,
        quiet: args.quiet,
        color: color.enabled(io::stdout().is_terminal()),
    };
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    report::write_report(args.format, &report, &mut stdout)?;
    stdout.flush()?;

    let fail_on = args.fail_on.or(config.fail_on).unwrap_or(FailOn::Error);
    let code = exit_code(&filtered.diagnostics, fail_on, io_failed);
    let max_warnings = args.max_warnings.or(config.max_warnings);
    let warnings = filtered
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    if code == 0 && max_warnings.is_some_and(|max| warnings > max) {
        return Ok(EXIT_FINDINGS);
    }
    Ok(code)
}

/// Pre-commit passes only the changed files. When `manulint.toml` names the
/// manuscript (`[manuscript] include`), the whole manuscript is loaded as
/// context for the manuscript-wide rules, and only findings in the files
/// passed are reported; passed files that are not chapters are ignored.
struct PrecommitContext {
    /// What to load: the config's folder.
    load: Vec<PathBuf>,
    /// The paths passed, as given and made absolute.
    passed: Vec<(PathBuf, PathBuf)>,
    /// Passed paths that do not exist.
    missing: Vec<PathBuf>,
}

impl PrecommitContext {
    fn report_only(&self, manuscript: &Manuscript, cwd: &Path) -> Vec<bool> {
        manuscript
            .chapters
            .iter()
            .map(|chapter| {
                let path = pipeline::absolute(cwd, &chapter.path);
                self.passed.iter().any(|(_, p)| path.starts_with(p))
            })
            .collect()
    }

    /// Passed paths that hold no chapter of the manuscript.
    fn ignored(&self, manuscript: &Manuscript, cwd: &Path) -> Vec<&Path> {
        let chapters: Vec<PathBuf> = manuscript
            .chapters
            .iter()
            .map(|c| pipeline::absolute(cwd, &c.path))
            .collect();
        self.passed
            .iter()
            .filter(|(_, abs)| !chapters.iter().any(|c| c.starts_with(abs)))
            .map(|(given, _)| given.as_path())
            .collect()
    }
}

fn precommit_context(config: &Config, paths: &[PathBuf], cwd: &Path) -> Option<PrecommitContext> {
    if config.manuscript.include.is_empty() || !paths.iter().any(|p| p.is_file()) {
        return None;
    }
    let root = pipeline::absolute(cwd, config.root().unwrap_or(cwd));
    let cwd_abs = pipeline::absolute(cwd, Path::new("."));
    // Show chapter paths relative to the current folder when possible.
    let load = match root.strip_prefix(&cwd_abs) {
        Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rel) => rel.to_path_buf(),
        Err(_) => root,
    };
    let (passed, missing) = paths.iter().partition::<Vec<&PathBuf>, _>(|p| p.exists());
    Some(PrecommitContext {
        load: vec![load],
        passed: passed
            .into_iter()
            .map(|p| (p.clone(), pipeline::absolute(cwd, p)))
            .collect(),
        missing: missing.into_iter().cloned().collect(),
    })
}

/// The stage between engine and reporter: directives, overrides, baseline.
fn build_pipeline(
    registry: &Registry,
    config: &Config,
    args: &CheckArgs,
    rules: &[EnabledRule],
    cwd: &Path,
) -> Result<Pipeline, Box<dyn miette::Diagnostic>> {
    let root = config
        .root()
        .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
    let baseline_path = match (&args.baseline, &config.baseline) {
        (Some(path), _) => Some(path.clone()),
        (None, Some(path)) if args.write_baseline.is_none() => Some(root.join(path)),
        _ => None,
    };
    let baseline = match baseline_path {
        Some(path) => {
            Some(Baseline::load(&path).map_err(|e| Box::new(e) as Box<dyn miette::Diagnostic>)?)
        }
        None => None,
    };
    Ok(Pipeline {
        known_rules: registry.ids().map(str::to_string).collect(),
        directive_severity: rules
            .iter()
            .find(|r| r.rule.meta().id == suppress::BAD_DIRECTIVE)
            .map(|r| r.severity),
        overrides: pipeline::compile_overrides(config)
            .map_err(|e| e as Box<dyn miette::Diagnostic>)?,
        root,
        cwd: cwd.to_path_buf(),
        report_only: None,
        baseline,
        write_baseline: args.write_baseline.clone(),
    })
}

fn exit_code(diagnostics: &[Diagnostic], fail_on: FailOn, io_failed: bool) -> u8 {
    if io_failed {
        return EXIT_ERROR;
    }
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
        FailOn::Never => return 0,
    };
    if diagnostics.iter().any(|d| d.severity >= threshold) {
        EXIT_FINDINGS
    } else {
        0
    }
}

/// Reads every chapter in parallel; problems are reported, not fatal.
fn load_manuscript(paths: &[PathBuf], options: &LoadOptions) -> (Manuscript, Vec<LoadProblem>) {
    let (files, mut problems) = load::collect_files(paths, options);
    let loaded: Vec<Result<Chapter, LoadProblem>> = files
        .par_iter()
        .map(|path| {
            load::read_chapter(path, options)
                .map(|(text, format)| Chapter::parse(0, path.clone(), format, text))
        })
        .collect();
    let mut chapters = Vec::with_capacity(loaded.len());
    for result in loaded {
        match result {
            Ok(mut chapter) => {
                chapter.index = chapters.len();
                chapters.push(chapter);
            }
            Err(problem) => problems.push(problem),
        }
    }
    (Manuscript::new(chapters), problems)
}

fn load_options(
    config: &Config,
    args: &CheckArgs,
    cwd: &Path,
) -> Result<LoadOptions, Box<ConfigError>> {
    let root = config
        .root()
        .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
    let mut options = LoadOptions::new(config.extensions(), root);
    let globs = |patterns: &[String]| {
        load::glob_set(patterns).map_err(|(pattern, message)| {
            Box::new(config.error_at_text(&pattern, message, "fix the glob in [manuscript]"))
        })
    };
    let manuscript = &config.manuscript;
    options.include = globs(&manuscript.include)?;
    options.exclude = globs(&manuscript.exclude)?;
    for pattern in &manuscript.order {
        options.order.extend(globs(std::slice::from_ref(pattern))?);
    }
    if let Some(label) = args.encoding.as_ref().or(manuscript.encoding.as_ref()) {
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

/// Builds the enabled rules: levels from config, then `--level`, then
/// `--select`/`--ignore`.
fn enabled_rules(
    registry: &Registry,
    config: &Config,
    args: &CheckArgs,
) -> Result<Vec<EnabledRule>, Box<ConfigError>> {
    config.check_rule_ids(registry.ids())?;
    let cli_levels = parse_cli_levels(registry, config, &args.levels)?;
    for id in args.select.iter().chain(&args.ignore) {
        check_cli_rule_id(registry, id)?;
    }
    let mut enabled = Vec::new();
    for available in registry.iter() {
        let id = available.meta.id.as_ref();
        let (config_level, options) = config.rule_settings(id)?;
        let selected = args.select.is_empty() || args.select.iter().any(|s| s == id);
        let ignored = args.ignore.iter().any(|s| s == id);
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
        let rule = available.build(&setup).map_err(|msg| {
            let span = config.rule_table(id).map_or(0..0, |t| t.span());
            Box::new(config.error_at(
                span,
                format!("invalid options for rule `{id}`: {msg}"),
                format!("`manulint explain {id}` lists the rule's options"),
            ))
        })?;
        enabled.push(EnabledRule { rule, severity });
    }
    Ok(enabled)
}

fn parse_cli_levels(
    registry: &Registry,
    config: &Config,
    levels: &[String],
) -> Result<Vec<(String, Level)>, Box<ConfigError>> {
    levels
        .iter()
        .map(|spec| {
            let (rule, level) = spec.split_once('=').ok_or_else(|| {
                Box::new(config.error_at(
                    0..0,
                    format!("--level `{spec}` is not RULE=LEVEL"),
                    "e.g. --level doubled-word=error",
                ))
            })?;
            check_cli_rule_id(registry, rule)?;
            let level = level.parse::<Level>().map_err(|msg| {
                Box::new(config.error_at(0..0, msg, "e.g. --level doubled-word=error"))
            })?;
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
    Err(Box::new(ConfigError::usage(
        format!("unknown rule `{id}`"),
        help,
    )))
}

/// The code rules, the embedded packs and the packs `config` names.
fn registry_for(config: &Config) -> Result<Registry, Box<crate::packs::PackError>> {
    let packs = crate::packs::PackSet::for_config(config, &Registry::code_rule_ids())?;
    Ok(Registry::with_packs(&packs))
}

/// For `rules` and `explain`: the registry with the packs of the
/// `manulint.toml` found from the current folder, if it loads.
fn discovered_registry(errors: &ErrorPrinter) -> Option<Registry> {
    let config = std::env::current_dir()
        .ok()
        .and_then(|cwd| Config::discover(None, &cwd).ok())
        .unwrap_or_default();
    match registry_for(&config) {
        Ok(registry) => Some(registry),
        Err(err) => {
            errors.diagnostic(&*err);
            None
        }
    }
}

fn list_rules(errors: &ErrorPrinter) -> io::Result<u8> {
    let Some(registry) = discovered_registry(errors) else {
        return Ok(EXIT_ERROR);
    };
    let mut out = io::stdout().lock();
    let width = registry.ids().map(str::len).max().unwrap_or(4).max(4);
    writeln!(
        out,
        "{:<width$}  {:<12}  {:<8}  SUMMARY",
        "RULE", "CATEGORY", "DEFAULT"
    )?;
    for rule in registry.iter() {
        let meta = &rule.meta;
        writeln!(
            out,
            "{:<width$}  {:<12}  {:<8}  {}",
            meta.id,
            meta.category.as_str(),
            meta.default_severity.as_str(),
            meta.summary
        )?;
    }
    Ok(0)
}

fn explain(id: &str, errors: &ErrorPrinter) -> io::Result<u8> {
    let Some(registry) = discovered_registry(errors) else {
        return Ok(EXIT_ERROR);
    };
    let Some(rule) = registry.get(id) else {
        let help = match config::did_you_mean(id, registry.ids()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "`manulint rules` lists every rule".to_string(),
        };
        errors.diagnostic(&ConfigError::usage(format!("unknown rule `{id}`"), help));
        return Ok(EXIT_ERROR);
    };
    let meta = &rule.meta;
    let mut out = io::stdout().lock();
    writeln!(out, "# {}\n", meta.id)?;
    writeln!(
        out,
        "{}\n\nCategory: {} · Default severity: {}\n",
        meta.summary, meta.category, meta.default_severity
    )?;
    write!(out, "{}", meta.docs_markdown())?;
    Ok(0)
}

fn init(errors: &ErrorPrinter) -> io::Result<u8> {
    let path = Path::new(config::CONFIG_FILE_NAME);
    if path.exists() {
        errors.message(&format!(
            "{} already exists; not overwriting it (delete it first to start over)",
            path.display()
        ));
        return Ok(EXIT_ERROR);
    }
    std::fs::write(path, config::STARTER_CONFIG)?;
    println!("Wrote {}", path.display());
    Ok(0)
}
