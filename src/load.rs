//! Finding chapter files and reading them.
//!
//! Folders are walked with the `ignore` crate (honoring `.gitignore`, skipping
//! hidden files, following symlinks but reporting loops instead of recursing
//! forever). Files are decoded once: UTF-8 with or without BOM, UTF-16 with
//! a BOM or recognised without one, or — for files that are not UTF-8 — an
//! encoding named with `--encoding`.
//!
//! Nothing is lost silently. Every path that cannot be checked becomes a
//! [`LoadProblem`] naming it and saying what to do:
//!
//! - only regular files are read. A named pipe, a device (`/dev/zero`) or a
//!   socket is never opened for a blocking read: it is an error when named
//!   on the command line and a skipped-with-a-warning when met in a folder;
//! - a file larger than [`LoadOptions::max_file_size`] (default
//!   [`DEFAULT_MAX_FILE_MB`] MiB) is an error, and at most that many bytes
//!   are ever read, even from a file that grows while it is read;
//! - binary files (NUL bytes, a known image/archive/document signature) and
//!   text that is not valid in its encoding are errors.
//!
//! A folder's repository documents (`README.md`, `LICENSE.txt`,
//! `CHANGELOG.md` …; see [`is_repository_document`]) are not chapters: a
//! walk leaves them out, unless `[manuscript] include` names them. Named on
//! the command line, or listed by a layout's order file (mdBook's
//! `SUMMARY.md` may make `README.md` its introduction), they are read.
//!
//! Classic-Mac line ends (a `\r` not followed by `\n`) are read as `\n`:
//! one byte for one byte, so every offset still points at the same place in
//! the file.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use encoding_rs::Encoding;
use globset::{Glob, GlobSet, GlobSetBuilder};
use miette::{Diagnostic, NamedSource, SourceSpan};

use crate::layout::{self, Layout, LayoutChoice};
use crate::text::SourceFormat;

/// How serious a loading problem is: errors make the run exit with 2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemLevel {
    Warning,
    Error,
}

/// A file or path that could not be checked, with what to do about it.
#[derive(Debug)]
pub struct LoadProblem {
    pub level: ProblemLevel,
    pub path: PathBuf,
    pub message: String,
    pub help: Option<String>,
    /// For decoding errors: the text decoded lossily and the bad byte's span.
    pub snippet: Option<Box<(NamedSource<String>, SourceSpan)>>,
}

impl LoadProblem {
    pub fn error(path: &Path, message: impl Into<String>, help: impl Into<String>) -> Self {
        LoadProblem {
            level: ProblemLevel::Error,
            path: path.to_path_buf(),
            message: message.into(),
            help: Some(help.into()),
            snippet: None,
        }
    }

    pub fn warning(path: &Path, message: impl Into<String>, help: impl Into<String>) -> Self {
        LoadProblem {
            level: ProblemLevel::Warning,
            ..LoadProblem::error(path, message, help)
        }
    }
}

impl fmt::Display for LoadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LoadProblem {}

impl Diagnostic for LoadProblem {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.level {
            ProblemLevel::Warning => miette::Severity::Warning,
            ProblemLevel::Error => miette::Severity::Error,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.snippet
            .as_ref()
            .map(|b| &b.0 as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.snippet.as_ref()?.1;
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some("this byte is not UTF-8".to_string()), span),
        )))
    }
}

/// Default for [`LoadOptions::max_file_size`], in MiB (`max-file-size-mb`
/// in `[manuscript]`). A long novel in one file is 2–5 MB; this leaves room
/// for 100 MB stress tests while refusing a stray disk image.
pub const DEFAULT_MAX_FILE_MB: u64 = 256;

/// The largest `max-file-size-mb` accepted. Spans are `u32` byte offsets
/// (4 GiB), and decoding can make text longer (UTF-16 → UTF-8 by up to
/// half again), so 2 GiB of file always fits.
pub const MAX_FILE_MB_LIMIT: u64 = 2048;

const MIB: u64 = 1024 * 1024;

/// What to collect and how to decode it.
pub struct LoadOptions {
    pub extensions: Vec<String>,
    /// Folder the include/exclude/order globs are relative to.
    pub root: PathBuf,
    pub include: Option<GlobSet>,
    /// The `include` entries that name one file (no `*`, `?`, `[` or `{`),
    /// relative to `root`: such a file that is not a chapter file is a
    /// warning, where a glob's other files are passed over in silence.
    pub include_files: Vec<PathBuf>,
    pub exclude: Option<GlobSet>,
    /// Explicit reading order: one glob set per position.
    pub order: Vec<GlobSet>,
    pub fallback_encoding: Option<&'static Encoding>,
    /// The folder relative paths are relative to, so that globs match a
    /// chapter found from a subfolder (`ch1.md` from `chapters/` is
    /// `chapters/ch1.md` to `include = ["chapters/**"]`).
    pub cwd: Option<PathBuf>,
    /// Largest file read, in bytes; a larger one is an error, and no more
    /// than this (plus one byte) is ever read from any file.
    pub max_file_size: u64,
    /// Whether to look for a manuscript layout (Leanpub, mdBook, an
    /// Obsidian vault …) in each folder; see [`crate::layout`].
    pub layout: LayoutChoice,
    /// Folders of other books (each with a `manulint.toml` of its own)
    /// inside the folders walked, as absolute normalised paths: left out of
    /// this one, which they are checked apart from.
    pub other_books: Vec<PathBuf>,
}

impl LoadOptions {
    pub fn new(extensions: Vec<String>, root: PathBuf) -> Self {
        LoadOptions {
            extensions,
            root,
            include: None,
            include_files: Vec::new(),
            exclude: None,
            order: Vec::new(),
            fallback_encoding: None,
            cwd: None,
            max_file_size: DEFAULT_MAX_FILE_MB * MIB,
            layout: LayoutChoice::Auto,
            other_books: Vec::new(),
        }
    }

    /// Sets [`LoadOptions::max_file_size`] from a size in MiB.
    ///
    /// Errors: `mb` is 0 or above [`MAX_FILE_MB_LIMIT`] (the message says so).
    pub fn set_max_file_mb(&mut self, mb: u64) -> Result<(), String> {
        if !(1..=MAX_FILE_MB_LIMIT).contains(&mb) {
            return Err(format!(
                "max-file-size-mb must be between 1 and {MAX_FILE_MB_LIMIT}, not {mb}"
            ));
        }
        self.max_file_size = mb * MIB;
        Ok(())
    }

    /// Whether `path` has a chapter file's extension (see
    /// [`LoadOptions::extensions`]).
    pub fn is_chapter_file(&self, path: &Path) -> bool {
        self.is_chapter_file_with(path, &[])
    }

    /// Sets [`LoadOptions::include`] and [`LoadOptions::include_files`]
    /// from the `include` globs of the config.
    ///
    /// Errors: a glob does not compile (its text and the reason).
    pub fn set_include(&mut self, patterns: &[String]) -> Result<(), (String, String)> {
        self.include = glob_set(patterns)?;
        self.include_files = patterns
            .iter()
            .filter(|p| !p.contains(['*', '?', '[', '{']))
            .map(|p| normalize_path(Path::new(p.trim_start_matches("./"))))
            .collect();
        Ok(())
    }

    /// A warning for a file of a walked folder that `include` names by
    /// itself but that is not a chapter file (an extensionless `LICENSE`):
    /// listed on purpose, it is not dropped without a word.
    pub fn named_but_not_a_chapter(&self, path: &Path) -> Option<LoadProblem> {
        if self.include_files.is_empty() {
            return None;
        }
        let relative = normalize_path(&self.relative(path));
        if !self.include_files.contains(&relative) {
            return None;
        }
        let help = match path.extension() {
            None => format!(
                "rename it with a chapter extension ({}.txt), or leave it out of `include`",
                path.file_name().unwrap_or_default().to_string_lossy()
            ),
            Some(_) => "add its extension to `extensions` in [manuscript] of manulint.toml, or leave it out of `include`".to_string(),
        };
        Some(LoadProblem::warning(
            path,
            format!(
                "skipped {}: [manuscript] include names it, but it is not a chapter file (looked for {})",
                clean(path).display(),
                self.extension_list()
            ),
            help,
        ))
    }

    /// Whether a walk of the folders would take `path` as a chapter: a
    /// chapter file's extension, and kept by `include` and `exclude`.
    /// For a file that is not on disk yet (a new chapter open, unsaved, in
    /// an editor).
    pub fn would_collect(&self, path: &Path) -> bool {
        self.is_chapter_file(path) && self.selected(path) && !self.leaves_out(path)
    }

    /// Whether a walk leaves `path` out as a repository document (see
    /// [`is_repository_document`]): unless an `include` glob matches it.
    fn leaves_out(&self, path: &Path) -> bool {
        is_repository_document(path)
            && self
                .include
                .as_ref()
                .is_none_or(|set| !set.is_match(&*self.relative(path)))
    }

    /// Like `is_chapter_file`, also accepting a layout's own extensions
    /// (`.Rmd` in a bookdown book).
    fn is_chapter_file_with(&self, path: &Path, extra: &[&str]) -> bool {
        path.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|ext| {
                self.extensions.iter().any(|x| x.eq_ignore_ascii_case(ext))
                    || extra.iter().any(|x| x.eq_ignore_ascii_case(ext))
            })
    }

    fn working_folder(&self) -> PathBuf {
        self.cwd
            .clone()
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default()
    }

    fn relative<'a>(&self, path: &'a Path) -> Cow<'a, Path> {
        if let Ok(rel) = path.strip_prefix(&self.root) {
            return Cow::Borrowed(rel);
        }
        if let Some(cwd) = &self.cwd {
            let root = normalize_path(&cwd.join(&self.root));
            if let Ok(rel) = normalize_path(&cwd.join(path)).strip_prefix(&root) {
                return Cow::Owned(rel.to_path_buf());
            }
        }
        Cow::Borrowed(path.strip_prefix("./").unwrap_or(path))
    }

    fn selected(&self, path: &Path) -> bool {
        let rel = self.relative(path);
        let included = self.include.as_ref().is_none_or(|set| set.is_match(&*rel));
        let excluded = self.exclude.as_ref().is_some_and(|set| set.is_match(&*rel));
        included && !excluded
    }

    fn order_position(&self, path: &Path) -> usize {
        let rel = self.relative(path);
        self.order
            .iter()
            .position(|set| set.is_match(&*rel))
            .unwrap_or(self.order.len())
    }

    /// The description used in "no chapter files found" messages.
    pub fn extension_list(&self) -> String {
        self.extensions
            .iter()
            .map(|e| format!(".{e}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Compiles globs; a bad one is returned with its text and the reason.
pub fn glob_set(patterns: &[String]) -> Result<Option<GlobSet>, (String, String)> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern).map_err(|e| {
            (
                pattern.clone(),
                format!("invalid glob `{pattern}`: {}", e.kind()),
            )
        })?;
        builder.add(glob);
    }
    builder
        .build()
        .map(Some)
        .map_err(|e| (String::new(), format!("invalid globs: {e}")))
}

/// The chapter files under `paths`, deduplicated and in reading order, plus
/// the problems met on the way (missing paths, unreadable folders, files
/// that are not regular files or not chapter files). See [`collect`].
pub fn collect_files(paths: &[PathBuf], options: &LoadOptions) -> (Vec<PathBuf>, Vec<LoadProblem>) {
    let collected = collect(paths, options);
    (collected.files, collected.problems)
}

/// What [`collect`] found.
#[derive(Debug, Default)]
pub struct Collected {
    /// Chapter files in reading order.
    pub files: Vec<PathBuf>,
    /// For each file, the index in `layouts` of the layout it came through.
    pub file_layouts: Vec<Option<usize>>,
    /// Missing paths, unreadable folders, chapters an order file lists
    /// that do not exist.
    pub problems: Vec<LoadProblem>,
    /// The layouts found in the folders given (see [`crate::layout`]).
    pub layouts: Vec<Layout>,
    /// Repository documents the walk left out (see
    /// [`is_repository_document`]), for the `-v` notes; none under
    /// `include`, whose globs leave them out as they leave out the rest.
    pub documents: Vec<PathBuf>,
}

/// The chapter files under `paths` in reading order: a folder's layout
/// (Leanpub's `Book.txt`, mdBook's `SUMMARY.md` …) names its chapters and
/// their order unless `[manuscript] include` does; its control files are
/// never chapters; `[manuscript] order` wins over the layout's order.
///
/// Only metadata (and a layout's small control files) is read here, never
/// chapter contents, so a named pipe or a device cannot block the walk.
pub fn collect(paths: &[PathBuf], options: &LoadOptions) -> Collected {
    let cwd = options.working_folder();
    let mut found: Vec<(PathBuf, Option<usize>)> = Vec::new();
    let mut out = Collected::default();
    // Whether a symbolic link led to some file: then two paths may be one.
    let mut links = false;
    for path in paths {
        let metadata = match std::fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                out.problems.push(LoadProblem::error(
                    path,
                    format!("{}: no such file or folder", path.display()),
                    "check the path; run `manulint check` with the folder that holds your chapters",
                ));
                continue;
            }
            Err(e) => {
                out.problems.push(LoadProblem::error(
                    path,
                    format!("cannot read {}: {}", path.display(), io_reason(&e)),
                    "check the path and the permissions of the folders on it",
                ));
                continue;
            }
        };
        let file_type = metadata.file_type();
        if file_type.is_file() {
            if options.is_chapter_file(path) {
                links |= std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink());
                found.push((clean(path), None));
            } else {
                // `book.doc` or `book.odt` named on the command line: say
                // what it is and how to make it one manulint reads.
                let (kind, help) = crate::docx::other_document(path).map_or(
                    (String::new(), "rename it, or add its extension to `extensions` in [manuscript] of manulint.toml"),
                    |(what, help)| (format!("; it is {what}"), help),
                );
                out.problems.push(LoadProblem::warning(
                    path,
                    format!(
                        "skipped {}: not a chapter file (looked for {}){kind}",
                        path.display(),
                        options.extension_list()
                    ),
                    help,
                ));
            }
            continue;
        }
        if !file_type.is_dir() {
            out.problems
                .push(special_file(path, &file_type, ProblemLevel::Error));
            continue;
        }
        let before = found.len();
        let layout = layout::detect(path, &cwd, options.layout);
        let index = layout.as_ref().map(|_| out.layouts.len());
        match &layout {
            Some(layout) if options.include.is_none() && layout.chapters.is_some() => {
                let listed = layout.chapters.iter().flatten();
                found.extend(
                    listed
                        .filter(|p| options.is_chapter_file_with(p, &layout.extensions))
                        .map(|p| (clean(p), index)),
                );
            }
            _ => {
                let extra = layout.as_ref().map_or(&[][..], |l| &l.extensions[..]);
                let mut files = Vec::new();
                links |= walk_folder(path, options, extra, &mut files, &mut out.problems);
                if let Some(layout) = &layout {
                    files.retain(|f| !layout.is_control(f, &cwd));
                }
                let (documents, chapters): (Vec<PathBuf>, Vec<PathBuf>) =
                    files.into_iter().partition(|f| options.leaves_out(f));
                // With `include`, its globs say what the manuscript is: a
                // README outside them is left out as the notes are, unsaid.
                if options.include.is_none() {
                    out.documents.extend(documents);
                }
                found.extend(chapters.into_iter().map(|f| (f, index)));
            }
        }
        if let Some(mut layout) = layout {
            out.problems.append(&mut layout.problems);
            out.layouts.push(layout);
        }
        // A folder that only holds other books (a series' root: book1/,
        // book2/, each with its own manulint.toml) has no chapters of its
        // own to find, and its books are checked apart.
        let holds_books = || {
            let folder = normalize_path(&cwd.join(path));
            options
                .other_books
                .iter()
                .any(|book| book.starts_with(&folder))
        };
        if found.len() == before && !holds_books() {
            let help = match out.documents.first() {
                // A folder holding only a README: say why it was not read.
                Some(document) => format!(
                    "{} is a repository document, not a chapter: name it on the command line to check it, or point manulint at the folder with your chapters",
                    document.display()
                ),
                None => "point manulint at the folder with your chapters, or set `extensions` in manulint.toml".to_string(),
            };
            out.problems.push(LoadProblem::error(
                path,
                format!(
                    "no chapter files found under {} (looked for {})",
                    path.display(),
                    options.extension_list()
                ),
                help,
            ));
        }
    }
    let before = found.len();
    found.retain(|(f, _)| options.selected(f));
    if before > 0 && found.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        out.problems.push(LoadProblem::error(
            paths.first().map_or(Path::new("."), |p| p.as_path()),
            match before {
                1 => format!(
                    "the chapter file under {} is not in the manuscript: `include` in manulint.toml does not match it, or `exclude` leaves it out",
                    shown.join(", ")
                ),
                n => format!(
                    "none of the {n} chapter files under {} is in the manuscript: `include` in manulint.toml matches none of them, or `exclude` leaves them all out",
                    shown.join(", ")
                ),
            },
            "check the globs of [manuscript] include and exclude (they are relative to the folder of manulint.toml), or check another folder",
        ));
    }
    let positions: Vec<HashMap<PathBuf, usize>> =
        out.layouts.iter().map(|l| l.positions(&cwd)).collect();
    let layout_position = |(path, layout): &(PathBuf, Option<usize>)| {
        layout
            .and_then(|i| positions[i].get(&normalize_path(&cwd.join(path))))
            .copied()
            .unwrap_or(usize::MAX)
    };
    // Each file's positions worked out once: computed in the comparison,
    // they made paths (joined, normalised) at every step of the sort, 1.3%
    // of a corpus run and all of it before any chapter was read.
    let mut keyed: Vec<_> = found
        .into_iter()
        .map(|file| {
            // A repository document that is checked (named, or included)
            // is read after the chapters the same order places it among:
            // a README's blurb repeats the opening, and read first it was
            // the original and chapter 1 the copy.
            let key = (
                options.order_position(&file.0),
                layout_position(&file),
                is_repository_document(&file.0),
            );
            (key, file)
        })
        .collect();
    keyed.sort_by(|(a_key, a), (b_key, b)| {
        a_key
            .cmp(b_key)
            .then_with(|| natural_path_order(&a.0, &b.0))
    });
    // One file named two ways (`check .. .` from a sequel's folder, or
    // `ch01.md ../book/ch01.md`) is checked once, under its first path in
    // reading order: checked twice, it was an exact copy of itself and was
    // fixed twice. Compared as absolute paths, `..` resolved in the text
    // (a symbolic link is `drop_second_paths`'s).
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut found: Vec<(PathBuf, Option<usize>)> = keyed
        .into_iter()
        .map(|(_, file)| file)
        .filter(|(path, _)| seen.insert(normalize_path(&cwd.join(path))))
        .collect();
    if links {
        drop_second_paths(&mut found, &mut out.problems);
    }
    out.documents.sort_by(|a, b| natural_path_order(a, b));
    (out.files, out.file_layouts) = found.into_iter().unzip();
    out
}

/// Keeps one path of each file that several paths lead to (a chapter
/// linked into the chapters folder from a drafts folder also walked): the
/// first in reading order. Checked twice, the file was reported as a copy
/// of itself, and fixed twice. Each path left out is a warning.
fn drop_second_paths(found: &mut Vec<(PathBuf, Option<usize>)>, problems: &mut Vec<LoadProblem>) {
    let mut first_path: HashMap<PathBuf, PathBuf> = HashMap::new();
    found.retain(|(path, _)| {
        let Ok(real) = std::fs::canonicalize(path) else {
            return true;
        };
        match first_path.get(&real) {
            None => {
                first_path.insert(real, path.clone());
                true
            }
            Some(first) => {
                problems.push(LoadProblem::warning(
                    path,
                    format!(
                        "skipped {}: it is the same file as {} (through a symbolic link), checked once",
                        path.display(),
                        first.display()
                    ),
                    "to leave it out quietly, add one of the two paths to `exclude` in [manuscript] of manulint.toml",
                ));
                false
            }
        }
    });
}

/// A walk of `folder` as manulint reads folders: hidden files and folders
/// and those a `.gitignore` names are left out, in a git repository or
/// not. The chapter walk, the search for nested books and the note of
/// chapters a run of single files leaves unread all start from it, so that
/// they agree on what a folder holds.
pub fn folder_walk(folder: &Path) -> ignore::WalkBuilder {
    let mut walk = ignore::WalkBuilder::new(folder);
    walk.hidden(true).git_ignore(true).require_git(false);
    walk
}

/// The folders strictly below `folder` (absolute) that hold a
/// `manulint.toml` of their own: other books, as a series keeps its
/// sequels beside or inside the first. The topmost only (a book inside one
/// of them is that one's to find); hidden and ignored folders are not
/// searched, as chapters are not. Absolute and normalised, in the natural
/// order of their names (book2 before book10).
pub fn nested_books(folder: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = Vec::new();
    let walker = folder_walk(folder)
        .filter_entry(|entry| entry.file_type().is_some_and(|t| t.is_dir()))
        // Books in the order of their names (book2 before book10), as
        // chapters are, not in the file system's order.
        .sort_by_file_name(|a, b| natord::compare(&a.to_string_lossy(), &b.to_string_lossy()))
        .build();
    for entry in walker.flatten() {
        if entry.depth() == 0 || found.iter().any(|book| entry.path().starts_with(book)) {
            continue;
        }
        if entry.path().join(crate::config::CONFIG_FILE_NAME).is_file() {
            found.push(normalize_path(entry.path()));
        }
    }
    found
}

/// Whether `path` is named as a repository's own document rather than a
/// chapter: its name up to the first dot is, in any case, `README`,
/// `CHANGELOG`, `CONTRIBUTING`, `LICENSE`, `LICENCE`, `COPYING` or
/// `CODE_OF_CONDUCT` (`README.md`, `readme.txt`, `README.fr.md`), or, in
/// capitals as repositories write them, `CHANGES`, `HISTORY`, `AUTHORS`,
/// `CONTRIBUTORS`, `NOTICE` or `SECURITY` (`HISTORY.md`, `AUTHORS`). The
/// second list is words a chapter may be named (`history.md`,
/// `notice.txt`), so only their capitals mark a repository's file. A
/// manuscript's repository has them beside the chapters; checked as
/// chapters, a README's blurb was a near-copy of the opening, its list of
/// titles a repeated phrase, its last line a truncated chapter.
pub fn is_repository_document(path: &Path) -> bool {
    const DOCUMENTS: [&str; 7] = [
        "readme",
        "changelog",
        "contributing",
        "license",
        "licence",
        "copying",
        "code_of_conduct",
    ];
    const IN_CAPITALS: [&str; 6] = [
        "CHANGES",
        "HISTORY",
        "AUTHORS",
        "CONTRIBUTORS",
        "NOTICE",
        "SECURITY",
    ];
    path.file_name()
        .and_then(|name| name.to_str())
        .and_then(|name| name.split('.').next())
        .is_some_and(|stem| {
            DOCUMENTS.iter().any(|d| stem.eq_ignore_ascii_case(d)) || IN_CAPITALS.contains(&stem)
        })
}

/// Word's owner file (`~$book.docx`, `~$apter-01.docx`): a few bytes
/// naming who has the document open, beside it for as long as it is open,
/// and no document. Taken as a chapter, it failed every check of the
/// folder while Word was open.
fn is_office_owner_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.starts_with("~$"))
}

/// Adds the chapter files under `folder` to `files`; true when a symbolic
/// link led to some of them (or to a folder of them).
fn walk_folder(
    folder: &Path,
    options: &LoadOptions,
    extra_extensions: &[&str],
    files: &mut Vec<PathBuf>,
    problems: &mut Vec<LoadProblem>,
) -> bool {
    let mut links = false;
    // Symlinks are followed (writers link shared chapters in); the walker
    // detects loops and reports them instead of recursing forever. With
    // links followed, an entry's file type is its target's, so a link to
    // `/dev/zero` is seen as the device it is.
    let mut walker = folder_walk(folder);
    walker.follow_links(true);
    if !options.other_books.is_empty() {
        let cwd = options.working_folder();
        let others = options.other_books.clone();
        walker.filter_entry(move |entry| {
            !(entry.file_type().is_some_and(|t| t.is_dir())
                && others.contains(&normalize_path(&cwd.join(entry.path()))))
        });
    }
    let walker = walker.build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                links |= entry.path_is_symlink();
                let Some(file_type) = entry.file_type() else {
                    continue;
                };
                if file_type.is_dir() || is_office_owner_file(entry.path()) {
                    continue;
                }
                if !options.is_chapter_file_with(entry.path(), extra_extensions) {
                    problems.extend(options.named_but_not_a_chapter(entry.path()));
                    continue;
                }
                if file_type.is_file() {
                    files.push(clean(entry.path()));
                } else {
                    problems.push(special_file(
                        entry.path(),
                        &file_type,
                        ProblemLevel::Warning,
                    ));
                }
            }
            Err(err) if is_loop(&err) => problems.push(LoadProblem::warning(
                folder,
                match loop_path(&err) {
                    Some(path) => format!(
                        "skipped a symlink loop under {}: {} leads back to itself",
                        folder.display(),
                        clean(path).display()
                    ),
                    None => format!("skipped a symlink loop under {}: {err}", folder.display()),
                },
                "remove the link, or point it at a file or at a folder outside its own",
            )),
            Err(err) => match broken_link(&err) {
                // Not a chapter: as ignored as the file it was meant to be.
                Some(link) if !options.is_chapter_file_with(link, extra_extensions) => {}
                Some(link) => problems.push(LoadProblem::error(
                    link,
                    format!(
                        "cannot check {}: it is a link to {}, which does not exist",
                        clean(link).display(),
                        std::fs::read_link(link).unwrap_or_default().display()
                    ),
                    "point the link at the chapter, or remove it",
                )),
                None => problems.push(LoadProblem::error(
                    folder,
                    format!("cannot read part of {}: {err}", folder.display()),
                    "check the folder's permissions and links",
                )),
            },
        }
    }
    links
}

/// The path of a symbolic link whose target does not exist, when that is
/// what the walker could not read.
fn broken_link(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, err } if is_not_found(err) => {
            std::fs::symlink_metadata(path)
                .is_ok_and(|m| m.is_symlink())
                .then_some(path.as_path())
        }
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
            broken_link(err)
        }
        _ => None,
    }
}

/// Whether the walker's `error` is, underneath, "no such file".
fn is_not_found(error: &ignore::Error) -> bool {
    match error {
        ignore::Error::Io(io) => io.kind() == std::io::ErrorKind::NotFound,
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
            is_not_found(err)
        }
        _ => false,
    }
}

/// A named pipe, device or socket where a chapter file was expected. Named
/// on the command line it is an error; met in a folder, a warning.
fn special_file(path: &Path, file_type: &std::fs::FileType, level: ProblemLevel) -> LoadProblem {
    let what = describe_file_type(file_type);
    let path = clean(path);
    match level {
        ProblemLevel::Error => LoadProblem::error(
            &path,
            format!(
                "cannot check {}: it is {what}, not a regular file",
                path.display()
            ),
            "manulint reads only regular files (a pipe or a device could be read forever); \
             pass the chapter files or their folder",
        ),
        ProblemLevel::Warning => LoadProblem::warning(
            &path,
            format!(
                "skipped {}: it is {what}, not a regular file",
                path.display()
            ),
            "manulint reads only regular files (a pipe or a device could be read forever); \
             remove it from the manuscript folder, or add it to `exclude` in manulint.toml",
        ),
    }
}

fn describe_file_type(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    let _ = file_type;
    "a special file"
}

/// A folder that contains itself through a link (`ignore`'s own check),
/// or links that lead from one to the other and never to a file (the
/// system's "too many levels of symbolic links").
fn is_loop(error: &ignore::Error) -> bool {
    match error {
        ignore::Error::Loop { .. } => true,
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => is_loop(err),
        #[cfg(unix)]
        ignore::Error::Io(err) => is_too_many_links(err),
        _ => false,
    }
}

/// The system's "too many levels of symbolic links" (`ELOOP`), which the
/// walker hands on wrapped in an error of its own.
#[cfg(unix)]
fn is_too_many_links(err: &std::io::Error) -> bool {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(error) = next {
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            if io.raw_os_error() == Some(libc::ELOOP) {
                return true;
            }
            // A wrapped error is the io::Error's inner one, not its source.
            if let Some(inner) = io.get_ref() {
                next = Some(inner);
                continue;
            }
        }
        next = error.source();
    }
    false
}

/// The link of a loop [`is_loop`] found.
fn loop_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::Loop { child, .. } => Some(child),
        ignore::Error::WithPath { path, err } => loop_path(err).or(Some(path)),
        ignore::Error::WithDepth { err, .. } => loop_path(err),
        _ => None,
    }
}

/// `path` with `.` and `..` components resolved lexically (symlinks are
/// not followed): `/book/chapters/../notes/./a.md` → `/book/notes/a.md`.
pub fn normalize_path(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                // `/..` is `/`.
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other),
        }
    }
    out
}

/// `path` as the current folder shows it: relative to `cwd` (without
/// `./`, with `..` where needed), or absolute when it is on another drive
/// or was given absolute and lies outside `cwd`.
pub fn shown_path(cwd: &Path, path: &Path) -> PathBuf {
    let absolute = normalize_path(&cwd.join(path));
    match absolute.strip_prefix(normalize_path(cwd)) {
        Ok(inside) if !inside.as_os_str().is_empty() => inside.to_path_buf(),
        _ if path.is_absolute() => path.to_path_buf(),
        _ => relative_path(cwd, path).unwrap_or_else(|| path.to_path_buf()),
    }
}

/// How a run names a config file: as [`shown_path`] does, except that one
/// in a folder above `cwd` (found upward, or a series' first book seen from
/// its sequel's folder) is `../manulint.toml`, not an absolute path.
pub fn shown_config(cwd: &Path, path: &Path) -> String {
    let shown = match relative_path(cwd, path) {
        Some(relative)
            if relative.parent().is_some_and(|up| {
                up.components()
                    .all(|c| c == std::path::Component::ParentDir)
            }) =>
        {
            relative
        }
        _ => shown_path(cwd, path),
    };
    shown.display().to_string().replace('\\', "/")
}

/// `target` relative to the folder `base` (both resolved against `base`
/// lexically), e.g. `..` or `../notes/a.md`; `.` for `base` itself. `None`
/// when they share no root (another drive).
pub fn relative_path(base: &Path, target: &Path) -> Option<PathBuf> {
    use std::path::Component;
    let base = normalize_path(base);
    let target = normalize_path(&base.join(target));
    let mut base_parts = base.components().peekable();
    let mut target_parts = target.components().peekable();
    match (base_parts.peek(), target_parts.peek()) {
        (Some(a), Some(b)) if a == b => {}
        _ => return None,
    }
    while let (Some(a), Some(b)) = (base_parts.peek(), target_parts.peek()) {
        if a != b {
            break;
        }
        base_parts.next();
        target_parts.next();
    }
    let mut out = PathBuf::new();
    for part in base_parts {
        if matches!(part, Component::Normal(_)) {
            out.push("..");
        }
    }
    out.extend(target_parts);
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    Some(out)
}

/// `./chapters/one.md` → `chapters/one.md`, the way users write paths.
fn clean(path: &Path) -> PathBuf {
    path.strip_prefix("./").unwrap_or(path).to_path_buf()
}

#[cfg(test)]
fn sort_reading_order(files: &mut [PathBuf], options: &LoadOptions) {
    files.sort_by(|a, b| {
        options
            .order_position(a)
            .cmp(&options.order_position(b))
            .then_with(|| natural_path_order(a, b))
    });
}

/// Natural order, component by component: `ch2` before `ch10`, and a folder's
/// files before the next folder's.
pub fn natural_path_order(a: &Path, b: &Path) -> Ordering {
    let mut a_parts = a.components();
    let mut b_parts = b.components();
    loop {
        match (a_parts.next(), b_parts.next()) {
            // Most paths of a manuscript share their folders: equal
            // components need no natural comparison (character by
            // character, which was most of sorting the corpus's files).
            (Some(x), Some(y)) if x.as_os_str() == y.as_os_str() => {}
            (Some(x), Some(y)) => {
                let order = natord::compare(
                    &x.as_os_str().to_string_lossy(),
                    &y.as_os_str().to_string_lossy(),
                );
                if order != Ordering::Equal {
                    return order;
                }
            }
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
        }
    }
}

/// A chapter's decoded text, or why it cannot be checked.
///
/// Errors: the file cannot be opened or read, is larger than
/// [`LoadOptions::max_file_size`], or is not text (see [`decode`]); a file
/// that is no longer a regular file when opened is a warning.
pub fn read_chapter(
    path: &Path,
    options: &LoadOptions,
) -> Result<(Arc<str>, SourceFormat, Option<u32>), LoadProblem> {
    let bytes = read_bytes(path, options.max_file_size)?;
    let format =
        SourceFormat::from_extension(path.extension().and_then(|e| e.to_str()).unwrap_or(""));
    let decoded = decode_owned(path, bytes, options.fallback_encoding)?;
    let text = decoded.text;
    if u32::try_from(text.len()).is_err() {
        return Err(too_large(path, text.len() as u64, u64::from(u32::MAX)));
    }
    // UTF-8 text is the file's bytes after any byte-order mark (a classic
    // Mac file's `\r`s read as `\n`s are as long); other encodings have no
    // one shift.
    let byte_shift = (decoded.encoding == encoding_rs::UTF_8).then_some(decoded.bom_len as u32);
    Ok((Arc::from(text), format, byte_shift))
}

/// The file's bytes, at most `limit` of them.
fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, LoadProblem> {
    use std::io::Read;
    let cannot_read = |e: std::io::Error| {
        LoadProblem::error(
            path,
            format!("cannot read {}: {}", path.display(), io_reason(&e)),
            "check that the file exists and that you may read it",
        )
    };
    let file = open_for_reading(path).map_err(cannot_read)?;
    // Checked on the open handle: the path may have been swapped for a pipe
    // since the folder was walked.
    let metadata = file.metadata().map_err(cannot_read)?;
    if !metadata.is_file() {
        return Err(special_file(
            path,
            &metadata.file_type(),
            ProblemLevel::Warning,
        ));
    }
    if metadata.len() > limit {
        return Err(too_large(path, metadata.len(), limit));
    }
    let mut bytes = Vec::new();
    // The length is a hint (files in /proc say 0); `take` is the real cap.
    let hint = usize::try_from(metadata.len()).unwrap_or(0);
    bytes
        .try_reserve_exact(hint.saturating_add(1))
        .map_err(|_| {
            LoadProblem::error(
                path,
                format!("cannot read {}: not enough memory", path.display()),
                "close other programs, or split the chapter into smaller files",
            )
        })?;
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(path, bytes.len() as u64, limit));
    }
    Ok(bytes)
}

/// Asks the system to start reading `files` from disk now, on a thread of
/// its own, and returns at once: the chapters are then read and parsed on
/// every core, and a worker that waits on the disk for its file leaves its
/// core idle (a corpus run whose files had left the page cache waited 178
/// times on such reads; with this, twice). Only regular files of at most
/// `limit` bytes are asked for, as [`read_chapter`] reads no others; what
/// fails is left for it to report. The thread (`None` for fewer than two
/// files, or if none could be started) ends on its own: no need to join.
#[cfg(target_os = "linux")]
pub fn prefetch(files: &[PathBuf], limit: u64) -> Option<std::thread::JoinHandle<()>> {
    if files.len() < 2 {
        return None;
    }
    let files = files.to_vec();
    std::thread::Builder::new()
        .name("prefetch".to_string())
        .spawn(move || {
            for path in files {
                let Ok(file) = open_for_reading(&path) else {
                    continue;
                };
                if file
                    .metadata()
                    .is_ok_and(|m| m.is_file() && m.len() <= limit)
                {
                    // Only a hint: a failure costs nothing but the wait.
                    let _ = rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::WillNeed);
                }
            }
        })
        .ok()
}

/// Elsewhere the system's own read-ahead is left to do the work.
#[cfg(not(target_os = "linux"))]
pub fn prefetch(_files: &[PathBuf], _limit: u64) -> Option<std::thread::JoinHandle<()>> {
    None
}

/// Opens for reading without ever blocking in `open`: a FIFO opened
/// non-blocking returns at once instead of waiting for a writer. Reads from
/// regular files ignore the flag.
#[cfg(unix)]
pub(crate) fn open_for_reading(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
pub(crate) fn open_for_reading(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

fn too_large(path: &Path, size: u64, limit: u64) -> LoadProblem {
    LoadProblem::error(
        path,
        format!(
            "{}: too large to check ({}; the limit is {})",
            path.display(),
            megabytes(size),
            megabytes(limit)
        ),
        format!(
            "split the chapter into several files, or raise `max-file-size-mb` in [manuscript] \
             of manulint.toml (default {DEFAULT_MAX_FILE_MB}, at most {MAX_FILE_MB_LIMIT})"
        ),
    )
}

/// `1.5 MiB`; whole numbers without a decimal.
fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / MIB as f64;
    if bytes.is_multiple_of(MIB) {
        format!("{mb:.0} MiB")
    } else {
        format!("{mb:.1} MiB")
    }
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        _ => error.to_string(),
    }
}

/// Decodes a chapter's bytes into text, in this order:
///
/// 1. a byte-order mark (UTF-8, UTF-16LE/BE) decides;
/// 2. a known binary signature (PNG, JPEG, GIF, PDF, ZIP — which a `.docx`
///    or `.epub` is —, old Office, ELF) is an error naming the kind;
/// 3. UTF-16 without a BOM is recognised by its zero bytes (see
///    [`sniff_utf16`]);
/// 4. valid UTF-8 is taken as it is;
/// 5. otherwise the `fallback` encoding (`--encoding`) decodes it; without
///    one, invalid UTF-8 is an error naming line and column, and bytes with
///    NULs are "not a text file".
///
/// Decoded text containing U+0000 is an error (a damaged or binary file).
/// Lone `\r` line ends become `\n` (same length, same offsets).
pub fn decode(
    path: &Path,
    bytes: &[u8],
    fallback: Option<&'static Encoding>,
) -> Result<String, LoadProblem> {
    decode_with_encoding(path, bytes, fallback).map(|decoded| decoded.text)
}

/// A chapter's text and how its bytes were decoded, so that a fix can write
/// it back the same way.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    /// The encoding of the bytes after the byte-order mark.
    pub encoding: &'static Encoding,
    /// Length in bytes of the byte-order mark (0 when there is none).
    pub bom_len: usize,
    /// Every line ended with a lone `\r` (a classic-Mac file): `text` has
    /// `\n` in their place, and writing back turns each `\n` into `\r`.
    pub classic_mac: bool,
}

/// Like [`decode`], also telling the encoding, byte-order mark and line
/// endings used.
pub fn decode_with_encoding(
    path: &Path,
    bytes: &[u8],
    fallback: Option<&'static Encoding>,
) -> Result<Decoded, LoadProblem> {
    decode_owned(path, bytes.to_vec(), fallback)
}

/// [`decode_with_encoding`], taking the bytes so valid UTF-8 needs no copy.
fn decode_owned(
    path: &Path,
    bytes: Vec<u8>,
    fallback: Option<&'static Encoding>,
) -> Result<Decoded, LoadProblem> {
    let (text, encoding, bom_len) = if let Some((encoding, bom_len)) = Encoding::for_bom(&bytes) {
        let text = decode_strict(encoding, &bytes[bom_len..]).ok_or_else(|| {
            LoadProblem::error(
                path,
                format!(
                    "{}: not valid {} despite its byte-order mark",
                    path.display(),
                    encoding.name()
                ),
                "re-save the file as UTF-8",
            )
        })?;
        (text, encoding, bom_len)
    } else if let Some(kind) = binary_signature(&bytes) {
        return Err(not_text(path, &format!("it looks like {kind}")));
    } else if let Some((text, encoding)) = sniff_utf16(&bytes) {
        (text, encoding, 0)
    } else {
        let (text, encoding) = decode_unmarked(path, bytes, fallback)?;
        (text, encoding, 0)
    };
    if let Some(at) = memchr::memchr(0, text.as_bytes()) {
        return Err(nul_in_text(path, &text, at));
    }
    let classic_mac = memchr::memchr(b'\n', text.as_bytes()).is_none()
        && memchr::memchr(b'\r', text.as_bytes()).is_some();
    Ok(Decoded {
        text: lone_cr_to_lf(text),
        encoding,
        bom_len,
        classic_mac,
    })
}

/// Text with no byte-order mark that is not UTF-16: UTF-8, else the
/// fallback encoding. Returns the text and the encoding that read it.
fn decode_unmarked(
    path: &Path,
    bytes: Vec<u8>,
    fallback: Option<&'static Encoding>,
) -> Result<(String, &'static Encoding), LoadProblem> {
    let has_nul = memchr::memchr(0, &bytes).is_some();
    let utf16_fallback =
        fallback.filter(|e| *e == encoding_rs::UTF_16LE || *e == encoding_rs::UTF_16BE);
    match String::from_utf8(bytes) {
        // A file named UTF-16 that happens to be valid UTF-8 with NULs
        // (ASCII in UTF-16) is UTF-16.
        Ok(text) => match utf16_fallback {
            Some(encoding) if has_nul => Ok((
                encoding
                    .decode_without_bom_handling(text.as_bytes())
                    .0
                    .into_owned(),
                encoding,
            )),
            _ => Ok((text, encoding_rs::UTF_8)),
        },
        Err(error) => {
            let valid_up_to = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            match fallback {
                Some(encoding) => Ok((
                    encoding.decode_without_bom_handling(&bytes).0.into_owned(),
                    encoding,
                )),
                None if has_nul => Err(not_text(
                    path,
                    &format!("binary data, not valid UTF-8 from byte {valid_up_to}"),
                )),
                None => Err(invalid_utf8(path, &bytes, valid_up_to)),
            }
        }
    }
}

/// `bytes` in `encoding`, or `None` when they are not valid in it.
fn decode_strict(encoding: &'static Encoding, bytes: &[u8]) -> Option<String> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(Cow::into_owned)
}

/// File signatures of formats writers keep beside their chapters.
const SIGNATURES: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (
        b"PK\x03\x04",
        "a ZIP archive (a .docx, .odt or .epub file is one)",
    ),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "an old Word .doc or other Office file",
    ),
    (b"\x7FELF", "a program"),
];

fn binary_signature(bytes: &[u8]) -> Option<&'static str> {
    SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, kind)| *kind)
}

/// UTF-16 without a byte-order mark, as some Windows tools save it. Prose in
/// UTF-16 is mostly ASCII, so in the first 8 KiB at least a quarter of the
/// code units have a zero high byte (spaces and punctuation in Cyrillic or
/// Greek dialogue: about two fifths), and almost none a zero low byte. A
/// sample under [`SMALL_SAMPLE_UNITS`] units needs three quarters: an
/// eight-byte ASCII file with one stray NUL had a quarter, and was read as
/// four CJK characters (“扡c敤੦”) and checked without a word. The
/// whole file must then decode without errors and without control
/// characters (other than tab, line breaks and form feed), or it is not
/// taken for UTF-16.
const SMALL_SAMPLE_UNITS: usize = 64;

fn sniff_utf16(bytes: &[u8]) -> Option<(String, &'static Encoding)> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let units = sample.len() / 2;
    let zero_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let zero_odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    let share = if units < SMALL_SAMPLE_UNITS { 3 } else { 1 };
    let dominant = |zeros: usize, other: usize| zeros * 4 >= units * share && other * 20 <= zeros;
    let encoding = if dominant(zero_odd, zero_even) {
        encoding_rs::UTF_16LE
    } else if dominant(zero_even, zero_odd) {
        encoding_rs::UTF_16BE
    } else {
        return None;
    };
    let text = decode_strict(encoding, bytes)?;
    let is_text = !text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0C'));
    is_text.then_some((text, encoding))
}

fn not_text(path: &Path, why: &str) -> LoadProblem {
    LoadProblem::error(
        path,
        format!("{}: not a text file: {why}", path.display()),
        "a chapter must be plain text or Markdown (UTF-8 or UTF-16): save it as one, or move \
         the file out of the manuscript folder (or add it to `exclude` in manulint.toml)",
    )
}

/// Text with a NUL character: binary data, or text damaged by a crash.
fn nul_in_text(path: &Path, text: &str, at: usize) -> LoadProblem {
    let (line, column) = line_and_column(&text[..at]);
    LoadProblem::error(
        path,
        format!(
            "{}: not a text file: NUL byte at line {line}, column {column}",
            path.display()
        ),
        "if this is a chapter, delete the NUL characters (an editor's \"show invisibles\" finds \
         them) or restore the file from a backup; if it is not, move it out of the manuscript \
         folder (or add it to `exclude` in manulint.toml)",
    )
}

/// 1-based line and column (in characters) of the end of `prefix`.
fn line_and_column(prefix: &str) -> (usize, usize) {
    let line = memchr::memchr_iter(b'\n', prefix.as_bytes()).count() + 1;
    let line_start = memchr::memrchr(b'\n', prefix.as_bytes()).map_or(0, |i| i + 1);
    (line, prefix[line_start..].chars().count() + 1)
}

/// Turns each run of `\r` that is not followed by `\n` into as many `\n`,
/// so classic-Mac files have lines (`\r\n` and `\r\r\n` stay as they are).
/// Same byte length, so offsets do not move.
fn lone_cr_to_lf(text: String) -> String {
    if next_lone_cr_run(text.as_bytes(), 0).is_none() {
        return text;
    }
    let mut bytes = text.into_bytes();
    let mut from = 0;
    while let Some(run) = next_lone_cr_run(&bytes, from) {
        from = run.end;
        bytes[run].fill(b'\n');
    }
    // Only ASCII bytes were replaced by ASCII bytes: still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The next run of `\r` at or after `from` that no `\n` follows. Each byte
/// is looked at once over a whole scan.
fn next_lone_cr_run(bytes: &[u8], mut from: usize) -> Option<std::ops::Range<usize>> {
    while let Some(found) = memchr::memchr(b'\r', &bytes[from..]) {
        let start = from + found;
        let end = start + bytes[start..].iter().take_while(|&&b| b == b'\r').count();
        if bytes.get(end) != Some(&b'\n') {
            return Some(start..end);
        }
        from = end;
    }
    None
}

fn invalid_utf8(path: &Path, bytes: &[u8], valid_up_to: usize) -> LoadProblem {
    let prefix = String::from_utf8_lossy(&bytes[..valid_up_to]);
    let (line, column) = line_and_column(&prefix);
    let lossy = String::from_utf8_lossy(bytes).into_owned();
    let char_len = lossy[valid_up_to..]
        .chars()
        .next()
        .map_or(0, char::len_utf8);
    LoadProblem {
        level: ProblemLevel::Error,
        path: path.to_path_buf(),
        message: format!(
            "{}: invalid UTF-8 at line {line}, column {column} (byte 0x{:02X})",
            path.display(),
            bytes[valid_up_to]
        ),
        help: Some(
            "save the file as UTF-8, or pass --encoding windows-1252 (or the file's real encoding)"
                .to_string(),
        ),
        snippet: Some(Box::new((
            NamedSource::new(path.display().to_string(), lossy),
            SourceSpan::from(valid_up_to..valid_up_to + char_len),
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The repository's documents by name: any case for the names no
    /// chapter takes, capitals only for words a chapter may be named.
    #[test]
    fn repository_documents_are_told_from_chapters_by_name() {
        for document in [
            "README.md",
            "readme.txt",
            "README.fr.md",
            "Changelog.md",
            "licence",
            "HISTORY.md",
            "CHANGES.txt",
            "AUTHORS.md",
            "CONTRIBUTORS",
            "NOTICE.txt",
            "docs/SECURITY.md",
        ] {
            assert!(is_repository_document(Path::new(document)), "{document}");
        }
        for chapter in [
            "history.md",
            "History.md",
            "notice.txt",
            "chapters/changes.md",
            "the-authors.md",
            "license-to-kill.md",
            "HISTORY-OF-THE-WAR.md",
        ] {
            assert!(!is_repository_document(Path::new(chapter)), "{chapter}");
        }
    }

    /// The prefetch thread opens nothing that could block it and gives up
    /// quietly on what it cannot open: it finishes, and the files it was
    /// given are still read whole afterwards.
    #[cfg(target_os = "linux")]
    #[test]
    fn prefetch_skips_pipes_devices_and_missing_files_and_finishes() {
        let dir = tempfile::tempdir().unwrap();
        let chapter = dir.path().join("chapter.txt");
        std::fs::write(&chapter, "It was a dark night.\n").unwrap();
        let fifo = dir.path().join("pipe.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo runs");
        let files = [
            chapter.clone(),
            fifo,
            PathBuf::from("/dev/zero"),
            dir.path().join("missing.txt"),
        ];
        let thread = prefetch(&files, 1 << 20).expect("a thread for two files or more");
        thread.join().expect("the prefetch thread does not panic");
        let options = LoadOptions::new(vec!["txt".to_string()], dir.path().to_path_buf());
        let (text, _, _) = read_chapter(&chapter, &options).unwrap();
        assert_eq!(&*text, "It was a dark night.\n");
        assert!(
            prefetch(&files[..1], 1 << 20).is_none(),
            "one file is read at once"
        );
    }

    #[test]
    fn natural_order_puts_2_before_10() {
        let mut files: Vec<PathBuf> = ["ch-10.md", "ch-2.md", "ch-1.md", "a/ch-3.md"]
            .iter()
            .map(PathBuf::from)
            .collect();
        files.sort_by(|a, b| natural_path_order(a, b));
        let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(names, vec!["a/ch-3.md", "ch-1.md", "ch-2.md", "ch-10.md"]);
    }

    #[test]
    fn explicit_order_comes_first() {
        let mut options = LoadOptions::new(vec!["md".into()], PathBuf::from("/book"));
        options.order = vec![
            glob_set(&["prologue.md".to_string()]).unwrap().unwrap(),
            glob_set(&["ch-*.md".to_string()]).unwrap().unwrap(),
        ];
        let mut files: Vec<PathBuf> = [
            "/book/epilogue.md",
            "/book/ch-10.md",
            "/book/ch-2.md",
            "/book/prologue.md",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        sort_reading_order(&mut files, &options);
        let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(
            names,
            vec![
                "/book/prologue.md",
                "/book/ch-2.md",
                "/book/ch-10.md",
                "/book/epilogue.md"
            ]
        );
    }

    #[test]
    fn decodes_boms_and_reports_bad_utf8_position() {
        let path = Path::new("c.txt");
        assert_eq!(decode(path, b"\xEF\xBB\xBFHi", None).unwrap(), "Hi");
        let utf16le = [0xFF, 0xFE, b'H', 0, b'i', 0];
        assert_eq!(decode(path, &utf16le, None).unwrap(), "Hi");
        let err = decode(path, b"ok\ncaf\xE9 au lait", None).unwrap_err();
        assert_eq!(
            err.message,
            "c.txt: invalid UTF-8 at line 2, column 4 (byte 0xE9)"
        );
        let latin = decode(path, b"caf\xE9", Some(encoding_rs::WINDOWS_1252)).unwrap();
        assert_eq!(latin, "café");
        let docx = decode(path, b"PK\x03\x04\x00\x00", None).unwrap_err();
        assert_eq!(docx.level, ProblemLevel::Error);
        assert_eq!(
            docx.message,
            "c.txt: not a text file: it looks like a ZIP archive (a .docx, .odt or .epub file is one)"
        );
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn utf16_without_bom_is_recognised_both_ways() {
        let path = Path::new("c.txt");
        let text = "She opened the door.\nCafé “au lait”.\n";
        assert_eq!(decode(path, &utf16(text, false), None).unwrap(), text);
        assert_eq!(decode(path, &utf16(text, true), None).unwrap(), text);
        // Named with --encoding it decodes too, though ASCII UTF-16 is
        // valid UTF-8 (with NULs).
        let named = decode(path, &utf16(text, false), Some(encoding_rs::UTF_16LE));
        assert_eq!(named.unwrap(), text);
        // An odd byte count is not UTF-16: NULs make it binary.
        let mut odd = utf16("She opened the door.\n", false);
        odd.push(b'x');
        let err = decode(path, &odd, None).unwrap_err();
        assert_eq!(
            err.message,
            "c.txt: not a text file: NUL byte at line 1, column 2"
        );
    }

    /// Cyrillic dialogue in UTF-16 without a byte-order mark: two fifths of
    /// its code units are ASCII (spaces, dashes, digits).
    #[test]
    fn utf16_cyrillic_without_bom_is_recognised() {
        let path = Path::new("ru.txt");
        let text = "— Она закрыла дверь.\n— Да?\n— Да, 12:30.\n\n# Глава 1\n\nИ в доме стало тихо, тихо, тихо.\n";
        assert_eq!(decode(path, &utf16(text, false), None).unwrap(), text);
    }

    #[test]
    fn nul_bytes_are_an_error_naming_the_place() {
        let path = Path::new("c.txt");
        let err = decode(path, b"Line one.\nAb\x00c.\n", None).unwrap_err();
        assert_eq!(err.level, ProblemLevel::Error);
        assert_eq!(
            err.message,
            "c.txt: not a text file: NUL byte at line 2, column 3"
        );
        // In a file so short that the NUL is a quarter or half of one
        // byte lane: not UTF-16 either.
        let err = decode(path, b"abc\x00def\n", None).unwrap_err();
        assert_eq!(
            err.message,
            "c.txt: not a text file: NUL byte at line 1, column 4"
        );
        let err = decode(path, b"ab\x00\n", None).unwrap_err();
        assert_eq!(
            err.message,
            "c.txt: not a text file: NUL byte at line 1, column 3"
        );
        // Far past the first 8 KiB, too.
        let mut long = "word ".repeat(4000).into_bytes();
        long.push(0);
        assert!(decode(path, &long, None).is_err());
        // NULs in invalid UTF-8: binary.
        let err = decode(path, b"ab\xFF\x00\x01", None).unwrap_err();
        assert_eq!(
            err.message,
            "c.txt: not a text file: binary data, not valid UTF-8 from byte 2"
        );
    }

    #[test]
    fn lone_carriage_returns_become_line_feeds() {
        let path = Path::new("c.txt");
        assert_eq!(decode(path, b"a\rb\r\rc\r", None).unwrap(), "a\nb\n\nc\n");
        assert_eq!(
            decode(path, b"a\r\nb\r\r\nc", None).unwrap(),
            "a\r\nb\r\r\nc"
        );
        assert_eq!(decode(path, b"a\r\r", None).unwrap(), "a\n\n");
        // Linear: a megabyte of carriage returns.
        let crs = vec![b'\r'; 1 << 20];
        assert_eq!(decode(path, &crs, None).unwrap().len(), 1 << 20);
    }

    #[test]
    fn max_file_size_is_bounded() {
        let mut options = LoadOptions::new(vec!["txt".into()], PathBuf::from("."));
        assert_eq!(options.max_file_size, 256 * 1024 * 1024);
        assert!(options.set_max_file_mb(0).is_err());
        assert_eq!(
            options.set_max_file_mb(4096).unwrap_err(),
            "max-file-size-mb must be between 1 and 2048, not 4096"
        );
        options.set_max_file_mb(1).unwrap();
        assert_eq!(options.max_file_size, 1024 * 1024);
        assert_eq!(megabytes(3 * 1024 * 1024 / 2), "1.5 MiB");
        assert_eq!(megabytes(256 * 1024 * 1024), "256 MiB");
    }
}
