//! Reporters: one file per output format, all fed the same diagnostics.

mod checkstyle;
pub mod emphasis;
mod excerpt;
mod github;
mod gitlab;
pub mod html;
mod human;
mod json;
mod junit;
pub mod output;
mod sarif;
mod short;
pub mod statistics;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::rule::RuleMeta;
use crate::rules::anachronism::year::StoryYear;
use crate::text::source_map::{NotePlace, SourcePosition};
use crate::text::{Chapter, Manuscript, SourceMap, Span};

pub use human::{DEFAULT_WIDTH, GROUP_SHOWN, Renderer, wrap_at_spaces};

/// `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Source snippets with labels, like a compiler (the default).
    Human,
    /// One line per finding: `path:line:col: severity[rule] message`.
    Short,
    /// One JSON object, stable for tools (see README).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// Checkstyle XML.
    Checkstyle,
    /// JUnit XML, one test case per file.
    Junit,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// One self-contained HTML page for people: overview, charts, every
    /// finding in context, filters (open it in a browser; use `-o FILE`).
    Html,
}

/// Totals for the summary line.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub files: usize,
    pub words: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub elapsed: Duration,
    /// Findings hidden by the baseline (`None`: no baseline in use).
    pub baselined: Option<usize>,
    /// Files the run could not check (see [`Report::unchecked`]), which are
    /// not among `files`.
    pub unchecked: usize,
}

impl Summary {
    /// Adds `other`'s counts to these (the elapsed time is left alone).
    pub fn add(&mut self, other: &Summary) {
        self.files += other.files;
        self.words += other.words;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        self.unchecked += other.unchecked;
        self.baselined = match (self.baselined, other.baselined) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
    }

    pub fn new(manuscript: &Manuscript, diagnostics: &[Diagnostic], elapsed: Duration) -> Self {
        let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
        Summary {
            files: file_count(manuscript, 0..manuscript.chapters.len()),
            words: manuscript.word_count(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            elapsed,
            baselined: None,
            unchecked: 0,
        }
    }
}

/// How many files hold the chapters `indices` (a `.docx` split into
/// chapters is one file).
pub fn file_count(manuscript: &Manuscript, indices: impl IntoIterator<Item = usize>) -> usize {
    let mut paths: Vec<&std::path::Path> = indices
        .into_iter()
        .map(|i| manuscript.chapter(i).path.as_path())
        .collect();
    paths.sort();
    paths.dedup();
    paths.len()
}

/// Everything a reporter may print.
pub struct Report<'a> {
    pub manuscript: &'a Manuscript,
    pub diagnostics: &'a [Diagnostic],
    /// The rules that ran (SARIF lists them).
    pub rules: Vec<&'a RuleMeta>,
    /// Chapters reported on, in reading order (pre-commit: the files passed).
    pub files: Vec<usize>,
    pub summary: Summary,
    /// Summary only (`--quiet`): the human, short and HTML formats leave
    /// the findings out; the machine formats ignore it and list them all.
    pub quiet: bool,
    pub color: bool,
    /// Columns the human format fits its snippets in (`--width`; the
    /// terminal's width, or [`DEFAULT_WIDTH`] when not a terminal).
    pub width: usize,
    /// Whether the summary line is wrapped to `width` too: for a terminal
    /// or an explicit `--width`, not in a pipe or a CI log, whose last line
    /// a script or a reader takes for the whole summary.
    pub wrap_summary: bool,
    /// The current folder relative to the root of the git repository
    /// around it, when it is a folder below that root (see
    /// [`repository_prefix`]): the formats for CI services name files from
    /// the repository's root, as the services place them.
    pub repo_prefix: Option<PathBuf>,
    /// Fold findings of one rule with one message in one chapter after the
    /// first [`GROUP_SHOWN`] (human format; `--no-group` turns it off).
    pub group: bool,
    /// The story year of each chapter (indexed by chapter), or why it has
    /// none, for the HTML overview; empty for the other formats and when
    /// the `anachronism` rule did not run (see [`html::story_years`]).
    pub story_years: Vec<Result<StoryYear, String>>,
    /// Files that could not be checked (unreadable, undecodable, missing),
    /// which made the run exit with 2: the CI formats report them too, so
    /// that their report is not clean when the run failed.
    pub unchecked: Vec<Unchecked>,
    /// The lowest severity that fails the run (`--fail-on` and its
    /// defaults): a JUnit test case fails as the run does.
    pub fail_on: crate::config::FailOn,
}

/// A file the run could not check: its path as shown, with forward
/// slashes, and why.
#[derive(Clone, Debug)]
pub struct Unchecked {
    pub path: String,
    pub message: String,
}

/// A diagnostic label resolved to file, lines and columns.
///
/// For Markdown and plain text, `line` and `column` are the 1-based line
/// and character column of the label's start (`end_line`/`end_column`: of
/// its end). For a Word chapter (`.docx`) they are the paragraph number
/// (`¶`, counting every paragraph of the document body) and the character
/// column in that paragraph; text in a footnote or endnote takes the number
/// of the paragraph holding the note's mark and the column in the note's
/// text. Byte offsets are always into the chapter's text as manulint holds
/// it (for `.docx`, its rendering of the document).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub byte_start: usize,
    pub byte_end: usize,
    /// The place as people read it: `chapter-03.md:12:5`, or
    /// `book.docx:¶214:37 (Chapter 7)`, `book.docx:¶214 footnote 3:12`.
    pub display: String,
    /// For text in a Word footnote or endnote: which note, and which of its
    /// paragraphs (`line` is then the body paragraph holding the note's
    /// mark, `column` the column in the note's text).
    pub note: Option<NotePlace>,
}

impl Location {
    /// `message`, followed by ` (in footnote 3)` for text in a Word note:
    /// for formats with a line and column but no place for the note, where
    /// the body paragraph's column would point at other text.
    pub fn message_in_note<'m>(&self, message: &'m str) -> std::borrow::Cow<'m, str> {
        match self.note_text() {
            Some(note) => format!("{message} (in {note})").into(),
            None => message.into(),
        }
    }

    /// `footnote 3` or `footnote 3, paragraph 2`, for formats with no
    /// place of their own for it; `None` outside notes.
    pub fn note_text(&self) -> Option<String> {
        let note = self.note?;
        let mut text = format!("{} {}", note.kind.as_str(), note.number);
        if note.paragraph > 1 {
            text.push_str(&format!(", paragraph {}", note.paragraph));
        }
        Some(text)
    }
}

impl Location {
    pub fn of(manuscript: &Manuscript, label: &Label) -> Location {
        Location::in_chapter(manuscript.chapter(label.chapter), label.span)
    }

    /// The location of `span` in `chapter`.
    pub fn in_chapter(chapter: &Chapter, span: Span) -> Location {
        let file = chapter.path.display().to_string();
        let (start, end) = (span.start as usize, span.end as usize);
        if let Some(map) = &chapter.source_map {
            let first = map.position_of(start);
            let last = map.position_of(end);
            let at = |p: Option<SourcePosition>| {
                p.map_or((0, 1), |p| (p.place.paragraph as usize, p.column))
            };
            let (line, column) = at(first);
            let (end_line, end_column) = at(last);
            let display = match first {
                Some(first) => paragraph_place(&file, map, first),
                None => file.clone(),
            };
            return Location {
                file,
                line,
                column,
                end_line,
                end_column,
                byte_start: start,
                byte_end: end,
                display,
                note: first.and_then(|p| p.place.note),
            };
        }
        let from = chapter.line_col(start);
        let to = chapter.line_col(end);
        Location {
            display: format!("{file}:{}:{}", from.line, from.column),
            file,
            line: from.line,
            column: from.column,
            end_line: to.line,
            end_column: to.column,
            byte_start: start,
            byte_end: end,
            note: None,
        }
    }
}

/// `book.docx:¶214:37 (Chapter 7)`: a converted chapter's file, the
/// paragraph (and note) and column of `at`, and the chapter's title when
/// the file was split into chapters.
pub(crate) fn paragraph_place(file: &str, map: &SourceMap, at: SourcePosition) -> String {
    match &map.title {
        Some(title) => format!("{file}:{}:{} ({title})", at.place, at.column),
        None => format!("{file}:{}:{}", at.place, at.column),
    }
}

/// `cwd` relative to the root of the git repository it is in (the nearest
/// folder above with a `.git`), or `None` at the root or outside any.
pub fn repository_prefix(cwd: &Path) -> Option<PathBuf> {
    let root = cwd.ancestors().find(|dir| dir.join(".git").exists())?;
    let inside = cwd.strip_prefix(root).ok()?;
    (!inside.as_os_str().is_empty()).then(|| inside.to_path_buf())
}

/// A chapter's path as the formats for CI services give it (GitHub
/// annotations, GitLab Code Quality, SARIF, Checkstyle, JUnit): from the
/// repository's root, with forward slashes. A run from `manuscript/` named
/// `02.md` where the services look for `manuscript/02.md`, and their
/// annotations pointed at no file.
pub fn ci_path(report: &Report, chapter: usize) -> String {
    let path = &report.manuscript.chapter(chapter).path;
    match &report.repo_prefix {
        Some(prefix) if path.is_relative() => crate::load::normalize_path(&prefix.join(path))
            .display()
            .to_string()
            .replace('\\', "/"),
        _ => slash_path(report.manuscript, chapter),
    }
}

/// A chapter's name in reports that list chapters: its path (with
/// forward slashes), and for a file split into chapters the chapter's
/// title (`book.docx (Chapter 7)`).
pub fn chapter_label(manuscript: &Manuscript, chapter: usize) -> String {
    let path = slash_path(manuscript, chapter);
    match manuscript
        .chapter(chapter)
        .source_map
        .as_ref()
        .and_then(|m| m.title.as_ref())
    {
        Some(title) => format!("{path} ({title})"),
        None => path,
    }
}

pub fn write_report(format: Format, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::write(report, out),
        Format::Short => short::write(report, out),
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::Github => github::write(report, out),
        Format::Checkstyle => checkstyle::write(report, out),
        Format::Junit => junit::write(report, out),
        Format::Gitlab => gitlab::write(report, out),
        Format::Html => html::write(report, out),
    }
}

/// "3 errors, 1 warning and 2 infos" style counts.
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// `12345` → `12,345`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The one-line summary shared by the human and short formats.
pub fn summary_line(summary: &Summary) -> String {
    let findings = summary.errors + summary.warnings + summary.infos;
    let scope = format!(
        "{} ({} words) in {:.2}s",
        plural(summary.files, "file"),
        thousands(summary.words),
        summary.elapsed.as_secs_f64()
    );
    let line = if findings == 0 {
        format!("No problems found in {scope}")
    } else {
        format!(
            "Found {}, {} and {} in {scope}",
            plural(summary.errors, "error"),
            plural(summary.warnings, "warning"),
            plural(summary.infos, "info"),
        )
    };
    let line = match summary.baselined {
        Some(hidden) => format!("{line}; {hidden} hidden by the baseline"),
        None => line,
    };
    match summary.unchecked {
        0 => line,
        n => format!(
            "{line}; {} could not be checked (see above)",
            plural(n, "file")
        ),
    }
}

/// Text for one line: line breaks become spaces, other control characters
/// U+FFFD.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push(' '),
            '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for XML attributes and content. Characters XML 1.0 cannot
/// hold at all (most C0 controls) become U+FFFD.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A chapter path with forward slashes, as tools expect.
pub fn slash_path(manuscript: &Manuscript, chapter: usize) -> String {
    manuscript
        .chapter(chapter)
        .path
        .display()
        .to_string()
        .replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_wording() {
        let mut summary = Summary {
            files: 4,
            words: 3054,
            elapsed: Duration::from_millis(12),
            ..Summary::default()
        };
        assert_eq!(
            summary_line(&summary),
            "No problems found in 4 files (3,054 words) in 0.01s"
        );
        summary.errors = 1;
        summary.warnings = 2;
        assert_eq!(
            summary_line(&summary),
            "Found 1 error, 2 warnings and 0 infos in 4 files (3,054 words) in 0.01s"
        );
        assert_eq!(thousands(1_362_268), "1,362,268");
        summary.baselined = Some(12);
        assert_eq!(
            summary_line(&summary),
            "Found 1 error, 2 warnings and 0 infos in 4 files (3,054 words) in 0.01s; 12 hidden by the baseline"
        );
        summary.unchecked = 3;
        assert!(
            summary_line(&summary)
                .ends_with("; 12 hidden by the baseline; 3 files could not be checked (see above)")
        );
    }

    #[test]
    fn xml_escaping_covers_markup_quotes_and_controls() {
        assert_eq!(
            xml_escape("a<b & \"c\" 'd'\n\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&#10;\u{FFFD}"
        );
    }
}
