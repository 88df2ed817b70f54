//! The command line: argument parsing and dispatch. Each command lives in
//! its own module under [`crate::commands`].

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::commands;
use crate::config::FailOn;
use crate::report::{self, Format};
use crate::workspace::Settings;

const EXAMPLES: &str = "\
Examples:
  manulint check chapters/                 check every chapter under chapters/
  manulint check --format short draft.md   one line per finding
  manulint check --select doubled-word .   run only one rule
  manulint check --fail-on warning .       exit 1 on warnings too
  manulint check --statistics .            counts by rule and by chapter
  manulint check --format github .         annotations in GitHub Actions
  manulint check --fix chapters/           mend quotes, dashes, ellipses and doubled
                                           words, then report what remains
  manulint check --diff chapters/          show those fixes as a diff, write nothing
  manulint check --format html -o report.html book/
                                           a report to open in a browser
  manulint check book.docx --annotate reviewed.docx
                                           a copy of a Word manuscript with one
                                           comment per finding
  manulint check --write-baseline manulint-baseline.json .
                                           record today's findings; later runs
                                           with --baseline show only new ones
  manulint rules                           list every rule
  manulint explain draft-marker            show a rule's documentation
  manulint init                            write a starter manulint.toml
  manulint server                          the language server, for editors";

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

    /// Fit snippets and messages in N columns [default: the terminal's
    /// width, or 100 when not a terminal].
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(20..))]
    width: Option<u16>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check chapter files and folders.
    #[command(after_help = EXAMPLES)]
    Check(Box<CheckArgs>),
    /// List every rule: id, category, default severity, summary.
    Rules,
    /// Show a rule's full documentation.
    Explain {
        /// The rule id, e.g. doubled-word.
        rule: String,
    },
    /// Write a commented starter manulint.toml in the current folder.
    Init {
        /// Write one even though a folder above has a manulint.toml (checks
        /// run from here on would use this one instead).
        #[arg(long)]
        nested: bool,
    },
    /// Run the language server on stdin/stdout (for editors; see docs/editors.md).
    Server,
}

#[derive(Args, Clone, Debug)]
pub(crate) struct CheckArgs {
    /// Chapter files or folders (folders are searched recursively)
    /// [default: the manuscript manulint.toml names with `include`, or the
    /// current folder].
    pub(crate) paths: Vec<PathBuf>,

    /// Folders of other books found inside the paths (set by `check`
    /// itself, see [`crate::load::LoadOptions::other_books`]).
    #[arg(skip)]
    pub(crate) other_books: Vec<PathBuf>,

    /// What a run of several manuscripts says before checking this one
    /// (set by `check` itself): "checking book2 with book2/manulint.toml".
    #[arg(skip)]
    pub(crate) book_note: Option<String>,

    /// Use this config file instead of searching for manulint.toml.
    #[arg(long, value_name = "PATH")]
    pub(crate) config: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,

    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// Run only these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub(crate) select: Vec<String>,

    /// Do not run these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub(crate) ignore: Vec<String>,

    /// Set a rule's level: RULE=off|info|warning|error (repeatable).
    #[arg(long = "level", value_name = "RULE=LEVEL")]
    pub(crate) levels: Vec<String>,

    /// Lowest severity that makes the run exit with 1 [default: error].
    #[arg(long, value_enum)]
    pub(crate) fail_on: Option<FailOn>,

    /// Like --fail-on, but `fail-on` in manulint.toml wins over it (the
    /// pre-commit hook fails on warnings this way).
    #[arg(long, value_enum, value_name = "FAIL_ON")]
    pub(crate) default_fail_on: Option<FailOn>,

    /// Also exit with 1 when more than N warnings are reported.
    #[arg(long, value_name = "N", allow_negative_numbers = true,
          value_parser = warning_count)]
    pub(crate) max_warnings: Option<usize>,

    /// Hide the findings recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,

    /// Record every current finding in FILE (replacing it) and hide them.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub(crate) write_baseline: Option<PathBuf>,

    /// Encoding for files that are not valid UTF-8, e.g. windows-1252.
    #[arg(long, value_name = "LABEL")]
    pub(crate) encoding: Option<String>,

    /// Print only the summary line (and errors): no findings, and no notes
    /// such as "no story year". The machine formats (json, sarif, github,
    /// checkstyle, junit, gitlab) keep every finding.
    #[arg(long, short)]
    pub(crate) quiet: bool,

    /// Show every finding: do not fold findings of one rule with one
    /// message in one chapter after the first three (human format).
    #[arg(long)]
    pub(crate) no_group: bool,

    /// Print counts by rule and by chapter (with words per chapter) instead
    /// of the findings: text, or JSON with --format json.
    #[arg(long, conflicts_with = "quiet")]
    pub(crate) statistics: bool,

    /// After the report, print on stderr what each rule cost (its analysis
    /// and its checks), the most expensive first.
    #[arg(long)]
    pub(crate) timings: bool,

    /// Explain what rules skipped and why (on stderr).
    #[arg(long, short)]
    pub(crate) verbose: bool,

    /// Apply the safe fixes, write the files back, then report what remains.
    #[arg(long)]
    pub(crate) fix: bool,

    /// Print a unified diff of the fixes instead of writing them (exit 1
    /// when there is something to fix); with -o, write it to FILE; with
    /// -q, print only the count.
    #[arg(long, conflicts_with_all = ["fix", "statistics", "write_baseline", "annotate"])]
    pub(crate) diff: bool,

    /// Also apply (or show) the fixes that need a human look: spelling
    /// variants, deleted headings.
    #[arg(long)]
    pub(crate) unsafe_fixes: bool,

    /// The story's year for every chapter (anachronism rule): 1887, or
    /// with its era, "44 BC"; wins over front matter, [story] and the text.
    /// For a book set in several years, give each chapter its own in its
    /// front matter or [story.chapters] instead.
    #[arg(long, value_name = "YEAR", allow_negative_numbers = true,
          value_parser = crate::config::WrittenYear::parse_arg)]
    pub(crate) year: Option<crate::config::WrittenYear>,

    /// Write a copy of the .docx checked to FILE with one Word comment per
    /// finding (the original is never changed); with several .docx, name a
    /// folder (reviewed/) for a copy of each.
    #[arg(long, value_name = "FILE")]
    pub(crate) annotate: Option<PathBuf>,
}

/// `--max-warnings N`: a count, 0 or more. A negative one is read as a
/// value and refused with what to write, where clap took `-1` for an option
/// and offered `-- -1`, which made it a path.
fn warning_count(value: &str) -> Result<usize, String> {
    match value.trim().parse::<i64>() {
        Ok(n) if n < 0 => Err(format!(
            "{n} is no number of warnings: use 0 to fail on any warning, or leave --max-warnings out"
        )),
        _ => value
            .trim()
            .parse::<usize>()
            .map_err(|_| format!("`{value}` is not a number of warnings (0 or more)")),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    pub(crate) fn enabled(self, stream_is_terminal: bool) -> bool {
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
    let width = cli.width.map(usize::from);
    let errors = ErrorPrinter {
        color: stderr_color,
        width: width.unwrap_or_else(|| terminal_width(&io::stderr())),
    };
    let output = Output {
        color: cli.color,
        width: width.unwrap_or_else(|| terminal_width(&io::stdout())),
        wraps: width.is_some() || io::stdout().is_terminal(),
    };
    let result = match &cli.command {
        Command::Check(args) => commands::check::run(args, &output, &errors),
        Command::Rules => commands::rules::list(&errors),
        Command::Explain { rule } => commands::rules::explain(rule, &errors),
        Command::Init { nested } => commands::init::run(&errors, *nested),
        Command::Server => commands::server::run(&errors),
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

/// How reports on stdout look: `--color` and `--width` as given.
pub(crate) struct Output {
    pub(crate) color: ColorChoice,
    /// Columns to fit snippets in.
    pub(crate) width: usize,
    /// Whether the summary lines are wrapped to `width`: for a terminal or
    /// an explicit `--width` (see [`crate::report::Report::wrap_summary`]).
    pub(crate) wraps: bool,
}

/// The width of the terminal `stream` is, or [`report::DEFAULT_WIDTH`]
/// when it is not a terminal.
fn terminal_width<S: IsTerminal + TerminalStream>(stream: &S) -> usize {
    if !stream.is_terminal() {
        return report::DEFAULT_WIDTH;
    }
    stream
        .size()
        .map_or(report::DEFAULT_WIDTH, |w| usize::from(w).max(20))
}

/// A standard stream whose terminal size can be asked for.
trait TerminalStream {
    fn size(&self) -> Option<u16>;
}

impl TerminalStream for io::Stdout {
    fn size(&self) -> Option<u16> {
        terminal_size::terminal_size_of(self).map(|(w, _)| w.0)
    }
}

impl TerminalStream for io::Stderr {
    fn size(&self) -> Option<u16> {
        terminal_size::terminal_size_of(self).map(|(w, _)| w.0)
    }
}

/// Renders errors and warnings about the run itself on stderr.
pub(crate) struct ErrorPrinter {
    pub(crate) color: bool,
    /// Columns to fit snippets in.
    pub(crate) width: usize,
}

impl ErrorPrinter {
    /// Prints a run error with its snippet (never panics: what cannot be
    /// drawn is printed in the short form).
    pub(crate) fn diagnostic(&self, diagnostic: &dyn miette::Diagnostic) {
        let text = report::Renderer::new(self.color, self.width).error(diagnostic);
        let _ = writeln!(io::stderr(), "{text}");
    }

    pub(crate) fn message(&self, message: &str) {
        let _ = writeln!(io::stderr(), "error: {message}");
    }

    /// Prints `note: {note}` wrapped to the width, continuation lines
    /// indented under the text (notes name files and settings, and a
    /// 170-column line wraps mid-word on a narrow terminal).
    pub(crate) fn note(&self, note: &str) {
        let options = textwrap::Options::new(self.width.max(20))
            .initial_indent("note: ")
            .subsequent_indent("      ")
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .break_words(false)
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        let _ = writeln!(io::stderr(), "{}", textwrap::fill(note, options));
    }
}

impl CheckArgs {
    /// The options that configure the workspace (the rest shape the output).
    pub(crate) fn settings(&self) -> Settings {
        Settings {
            config: self.config.clone(),
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            levels: self.levels.clone(),
            year: self.year,
            encoding: self.encoding.clone(),
            baseline: self.baseline.clone(),
            write_baseline: self.write_baseline.clone(),
            other_books: self.other_books.clone(),
        }
    }
}
