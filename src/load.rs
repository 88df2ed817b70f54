//! Finding chapter files and reading them.
//!
//! Folders are walked with the `ignore` crate (honoring `.gitignore`, skipping
//! hidden files, never following symlinks, so loops cannot hang a run). Files
//! are decoded once: UTF-8 with or without BOM, UTF-16 with BOM, or — for
//! files that are not UTF-8 — an encoding named with `--encoding`.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use encoding_rs::Encoding;
use globset::{Glob, GlobSet, GlobSetBuilder};
use miette::{Diagnostic, NamedSource, SourceSpan};

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

/// What to collect and how to decode it.
pub struct LoadOptions {
    pub extensions: Vec<String>,
    /// Folder the include/exclude/order globs are relative to.
    pub root: PathBuf,
    pub include: Option<GlobSet>,
    pub exclude: Option<GlobSet>,
    /// Explicit reading order: one glob set per position.
    pub order: Vec<GlobSet>,
    pub fallback_encoding: Option<&'static Encoding>,
    /// The folder relative paths are relative to, so that globs match a
    /// chapter found from a subfolder (`ch1.md` from `chapters/` is
    /// `chapters/ch1.md` to `include = ["chapters/**"]`).
    pub cwd: Option<PathBuf>,
}

impl LoadOptions {
    pub fn new(extensions: Vec<String>, root: PathBuf) -> Self {
        LoadOptions {
            extensions,
            root,
            include: None,
            exclude: None,
            order: Vec::new(),
            fallback_encoding: None,
            cwd: None,
        }
    }

    fn is_chapter_file(&self, path: &Path) -> bool {
        path.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|ext| self.extensions.iter().any(|x| x.eq_ignore_ascii_case(ext)))
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
/// the problems met on the way (missing paths, unreadable folders).
pub fn collect_files(paths: &[PathBuf], options: &LoadOptions) -> (Vec<PathBuf>, Vec<LoadProblem>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if !path.exists() {
            problems.push(LoadProblem::error(
                path,
                format!("{}: no such file or folder", path.display()),
                "check the path; run `manulint check` with the folder that holds your chapters",
            ));
            continue;
        }
        let before = files.len();
        if path.is_file() {
            if options.is_chapter_file(path) {
                files.push(clean(path));
            }
            continue;
        }
        walk_folder(path, options, &mut files, &mut problems);
        if files.len() == before {
            problems.push(LoadProblem::error(
                path,
                format!(
                    "no chapter files found under {} (looked for {})",
                    path.display(),
                    options.extension_list()
                ),
                "point manulint at the folder with your chapters, or set `extensions` in manulint.toml",
            ));
        }
    }
    files.retain(|f| options.selected(f));
    sort_reading_order(&mut files, options);
    files.dedup();
    (files, problems)
}

fn walk_folder(
    folder: &Path,
    options: &LoadOptions,
    files: &mut Vec<PathBuf>,
    problems: &mut Vec<LoadProblem>,
) {
    // Symlinks are followed (writers link shared chapters in); the walker
    // detects loops and reports them instead of recursing forever.
    let walker = ignore::WalkBuilder::new(folder)
        .hidden(true)
        .git_ignore(true)
        .require_git(false)
        .follow_links(true)
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && options.is_chapter_file(entry.path()) {
                    files.push(clean(entry.path()));
                }
            }
            Err(err) if is_loop(&err) => problems.push(LoadProblem::warning(
                folder,
                format!("skipped a symlink loop under {}: {err}", folder.display()),
                "remove the link that points back into its own folder",
            )),
            Err(err) => problems.push(LoadProblem::error(
                folder,
                format!("cannot read part of {}: {err}", folder.display()),
                "check the folder's permissions and links",
            )),
        }
    }
}

fn is_loop(error: &ignore::Error) -> bool {
    match error {
        ignore::Error::Loop { .. } => true,
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => is_loop(err),
        _ => false,
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

/// `./chapters/one.md` → `chapters/one.md`, the way users write paths.
fn clean(path: &Path) -> PathBuf {
    path.strip_prefix("./").unwrap_or(path).to_path_buf()
}

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
pub fn read_chapter(
    path: &Path,
    options: &LoadOptions,
) -> Result<(Arc<str>, SourceFormat), LoadProblem> {
    let bytes = std::fs::read(path).map_err(|e| {
        LoadProblem::error(
            path,
            format!("cannot read {}: {}", path.display(), io_reason(&e)),
            "check that the file exists and that you may read it",
        )
    })?;
    let format =
        SourceFormat::from_extension(path.extension().and_then(|e| e.to_str()).unwrap_or(""));
    let text = decode(path, &bytes, options.fallback_encoding)?;
    Ok((Arc::from(text), format))
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        _ => error.to_string(),
    }
}

/// Decodes a chapter: BOMs first, then UTF-8, then the fallback encoding.
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
}

/// Like [`decode`], also telling the encoding and byte-order mark used.
pub fn decode_with_encoding(
    path: &Path,
    bytes: &[u8],
    fallback: Option<&'static Encoding>,
) -> Result<Decoded, LoadProblem> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(LoadProblem::error(
                path,
                format!(
                    "{}: not valid {} despite its byte-order mark",
                    path.display(),
                    encoding.name()
                ),
                "re-save the file as UTF-8",
            ));
        }
        return Ok(Decoded {
            text: text.into_owned(),
            encoding,
            bom_len,
        });
    }
    if looks_binary(bytes) {
        return Err(LoadProblem::warning(
            path,
            format!(
                "{}: skipped, looks like a binary file, not text",
                path.display()
            ),
            "remove it from the manuscript folder, or exclude it in manulint.toml",
        ));
    }
    let (text, encoding) = match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), encoding_rs::UTF_8),
        Err(error) => match fallback {
            Some(encoding) => (
                encoding.decode_without_bom_handling(bytes).0.into_owned(),
                encoding,
            ),
            None => return Err(invalid_utf8(path, bytes, error.valid_up_to())),
        },
    };
    Ok(Decoded {
        text,
        encoding,
        bom_len: 0,
    })
}

/// Files with NUL bytes near the start are binary (UTF-16 was handled by its BOM).
fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8192).any(|&b| b == 0)
}

fn invalid_utf8(path: &Path, bytes: &[u8], valid_up_to: usize) -> LoadProblem {
    let prefix = String::from_utf8_lossy(&bytes[..valid_up_to]);
    let line = prefix.matches('\n').count() + 1;
    let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
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
        let binary = decode(path, b"PK\x03\x04\x00\x00", None).unwrap_err();
        assert_eq!(binary.level, ProblemLevel::Warning);
    }
}
