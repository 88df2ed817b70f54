//! Manuscript layouts: how writing tools keep a book on disk, so that the
//! tool's own order file gives the reading order and its control files are
//! never read as chapters.
//!
//! | layout | recognised by | chapters and order | never chapters |
//! |---|---|---|---|
//! | Leanpub | `manuscript/Book.txt` | the files `Book.txt` lists, in its order | `Book.txt`, `Sample.txt`, `Subset.txt`, `resources/` |
//! | mdBook | `book.toml` + `src/SUMMARY.md` | the files `SUMMARY.md` links, in its order | `SUMMARY.md`, `theme/`, the build folder |
//! | bookdown | `_bookdown.yml` | its `rmd_files`, else every `.Rmd` file (`index.Rmd` first) | files starting with `_`, `_book/` |
//! | Pandoc | a defaults file (`*.yaml`) with `input-files` | `input-files`, in order | the defaults file |
//! | Obsidian | `.obsidian/` here or in a parent folder | notes under a `Manuscript/`, `Chapters/`, `Draft/`… folder if there is one | the templates, daily-notes and attachments folders, and `Characters/`, `Research/`, `Notes/`… |
//! | Scrivener | an exported binder (`Draft/` or `Manuscript/` beside `Research/`), or compiled `.mmd` files | the draft folder's files | `Research/`, `Notes/`, `Characters/`, `Trash/`… |
//!
//! Detection reads only small control files (never the chapters). An
//! explicit `[manuscript] include` in `manulint.toml` wins over the
//! layout's list; `[manuscript] order` wins over its order; control files
//! stay out either way. `[manuscript] layout = "none"` turns detection off.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::load::{LoadProblem, normalize_path};

/// A kind of manuscript layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LayoutKind {
    Obsidian,
    Leanpub,
    MdBook,
    Bookdown,
    Pandoc,
    Scrivener,
}

impl LayoutKind {
    /// Every kind, in the order detection tries them (the most specific
    /// order files first; an Obsidian vault may hold any of the others).
    pub const ALL: [LayoutKind; 6] = [
        LayoutKind::MdBook,
        LayoutKind::Leanpub,
        LayoutKind::Bookdown,
        LayoutKind::Pandoc,
        LayoutKind::Scrivener,
        LayoutKind::Obsidian,
    ];

    /// The name used in `manulint.toml` (`layout = "leanpub"`).
    pub fn id(self) -> &'static str {
        match self {
            LayoutKind::Obsidian => "obsidian",
            LayoutKind::Leanpub => "leanpub",
            LayoutKind::MdBook => "mdbook",
            LayoutKind::Bookdown => "bookdown",
            LayoutKind::Pandoc => "pandoc",
            LayoutKind::Scrivener => "scrivener",
        }
    }

    /// The name shown to people: "Leanpub book".
    pub fn name(self) -> &'static str {
        match self {
            LayoutKind::Obsidian => "Obsidian vault",
            LayoutKind::Leanpub => "Leanpub book",
            LayoutKind::MdBook => "mdBook",
            LayoutKind::Bookdown => "bookdown book",
            LayoutKind::Pandoc => "Pandoc project",
            LayoutKind::Scrivener => "Scrivener export",
        }
    }

    pub fn parse(id: &str) -> Option<LayoutKind> {
        LayoutKind::ALL.into_iter().find(|k| k.id() == id)
    }
}

impl fmt::Display for LayoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `[manuscript] layout`: find the layout, use a given one, or none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LayoutChoice {
    #[default]
    Auto,
    Off,
    Only(LayoutKind),
}

impl LayoutChoice {
    /// `"auto"`, `"none"` or a layout id. Errors name the accepted values.
    pub fn parse(value: &str) -> Result<LayoutChoice, String> {
        match value {
            "auto" => Ok(LayoutChoice::Auto),
            "none" => Ok(LayoutChoice::Off),
            id => LayoutKind::parse(id)
                .map(LayoutChoice::Only)
                .ok_or_else(|| {
                    format!(
                        "unknown layout `{id}`; use \"auto\", \"none\", {}",
                        LayoutKind::ALL
                            .map(|k| format!("\"{}\"", k.id()))
                            .join(", ")
                    )
                }),
        }
    }
}

/// A layout found in a folder: which files are chapters, in what order,
/// and which are the tool's own.
#[derive(Debug)]
pub struct Layout {
    pub kind: LayoutKind,
    /// The folder the layout lives in (the vault, the book's root), as
    /// given (relative paths stay relative).
    pub root: PathBuf,
    /// The file that lists the chapters (`Book.txt`, `SUMMARY.md`,
    /// `_bookdown.yml`, a Pandoc defaults file), if the layout has one.
    pub order_file: Option<PathBuf>,
    /// The chapters the order file lists, in reading order (paths as the
    /// walk of `root` would give them). `None`: the chapter files under
    /// [`Layout::content`] (or `root`), minus the control files.
    pub chapters: Option<Vec<PathBuf>>,
    /// The folder that holds the chapters (`manuscript/`, `src/`,
    /// `Manuscript/` in a vault), when it is not `root` itself.
    pub content: Option<PathBuf>,
    /// Files that are never chapters, absolute and normalised.
    pub control_files: Vec<PathBuf>,
    /// Folders whose files are never chapters, absolute and normalised.
    pub control_folders: Vec<PathBuf>,
    /// File-name prefixes of control files (`_` in bookdown).
    pub control_prefixes: Vec<&'static str>,
    /// Chapter extensions the layout adds to the configured ones.
    pub extensions: Vec<&'static str>,
    /// Problems with the order file: chapters it lists that are missing.
    pub problems: Vec<LoadProblem>,
    /// What the detection saw, for `manulint init` and `-v`: "templates
    /// in Templates/ are not chapters".
    pub details: Vec<String>,
    /// `content`, absolute and normalised.
    content_abs: Option<PathBuf>,
}

impl Layout {
    fn new(kind: LayoutKind, root: &Path) -> Layout {
        Layout {
            kind,
            root: root.to_path_buf(),
            order_file: None,
            chapters: None,
            content: None,
            control_files: Vec::new(),
            control_folders: Vec::new(),
            control_prefixes: Vec::new(),
            extensions: Vec::new(),
            problems: Vec::new(),
            details: Vec::new(),
            content_abs: None,
        }
    }

    /// True when `path` (relative to `cwd`, or absolute) is one of the
    /// layout's control files or lies in a control folder or outside its
    /// content folder.
    pub fn is_control(&self, path: &Path, cwd: &Path) -> bool {
        let absolute = normalize_path(&cwd.join(path));
        if self.control_files.contains(&absolute)
            || self.control_folders.iter().any(|f| absolute.starts_with(f))
        {
            return true;
        }
        let name = absolute.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if self.control_prefixes.iter().any(|p| name.starts_with(p)) {
            return true;
        }
        self.content_abs
            .as_ref()
            .is_some_and(|content| !absolute.starts_with(content))
    }

    /// The `-v` note: "Leanpub book in book: chapters and order from
    /// book/manuscript/Book.txt (4 chapters)".
    pub fn describe(&self) -> String {
        let mut out = self.kind.name().to_string();
        let root = shown(&self.root);
        if root != "." {
            out.push_str(&format!(" in {root}"));
        }
        match (&self.order_file, &self.chapters) {
            (Some(file), Some(chapters)) => out.push_str(&format!(
                ": chapters and order from {} ({})",
                shown(file),
                crate::report::plural(chapters.len(), "chapter")
            )),
            _ => {
                if let Some(content) = &self.content {
                    out.push_str(&format!(": chapters under {}", shown(content)));
                }
            }
        }
        for detail in &self.details {
            out.push_str("; ");
            out.push_str(detail);
        }
        out
    }

    /// The reading position of each listed chapter, keyed by its
    /// normalised absolute path.
    pub fn positions(&self, cwd: &Path) -> HashMap<PathBuf, usize> {
        self.chapters
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, path)| (normalize_path(&cwd.join(path)), i))
            .collect()
    }

    fn control_file(&mut self, cwd: &Path, path: PathBuf) {
        self.control_files.push(normalize_path(&cwd.join(path)));
    }

    fn control_folder(&mut self, cwd: &Path, path: PathBuf) {
        self.control_folders.push(normalize_path(&cwd.join(path)));
    }

    fn set_content(&mut self, cwd: &Path, folder: PathBuf) {
        self.content_abs = Some(normalize_path(&cwd.join(&folder)));
        self.content = Some(folder);
    }
}

/// `path` without a leading `./`, for messages.
fn shown(path: &Path) -> String {
    let cleaned = path.strip_prefix("./").unwrap_or(path);
    if cleaned.as_os_str().is_empty() {
        ".".to_string()
    } else {
        cleaned.display().to_string()
    }
}

/// The layout of `folder` (a path given on the command line or the
/// config's folder; `cwd` resolves relative paths), if any. `choice`
/// limits detection to one kind, or turns it off.
pub fn detect(folder: &Path, cwd: &Path, choice: LayoutChoice) -> Option<Layout> {
    let kinds: Vec<LayoutKind> = match choice {
        LayoutChoice::Off => return None,
        LayoutChoice::Auto => LayoutKind::ALL.to_vec(),
        LayoutChoice::Only(kind) => vec![kind],
    };
    kinds.into_iter().find_map(|kind| match kind {
        LayoutKind::MdBook => mdbook(folder, cwd),
        LayoutKind::Leanpub => leanpub(folder, cwd),
        LayoutKind::Bookdown => bookdown(folder, cwd),
        LayoutKind::Pandoc => pandoc(folder, cwd),
        LayoutKind::Scrivener => scrivener(folder, cwd),
        LayoutKind::Obsidian => obsidian(folder, cwd),
    })
}

/// Reads a small control file; `None` when it is missing, unreadable or
/// larger than a control file ever is (1 MB).
fn read_small(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > 1_000_000 {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// A chapter listed at `line` of `list` that does not exist.
fn missing_chapter(list: &Path, line: usize, name: &str, fatal: bool) -> LoadProblem {
    let message = format!(
        "{}:{line}: lists `{name}`, but there is no such file",
        shown(list)
    );
    let help = "fix the name in the list, or create the chapter";
    if fatal {
        LoadProblem::error(list, message, help)
    } else {
        LoadProblem::warning(list, message, help)
    }
}

/// Lists the chapters named in an order file: each `(line, name)` that
/// exists becomes `base/name`; the others become problems.
fn listed_chapters(
    layout: &mut Layout,
    list: &Path,
    base: &Path,
    names: Vec<(usize, String)>,
    missing_is_error: bool,
) {
    let mut chapters = Vec::new();
    for (line, name) in names {
        let path = base.join(&name);
        if path.is_file() {
            if !chapters.contains(&path) {
                chapters.push(path);
            }
        } else {
            layout
                .problems
                .push(missing_chapter(list, line, &name, missing_is_error));
        }
    }
    layout.chapters = Some(chapters);
}

/// Leanpub: `manuscript/Book.txt` (or `Book.txt` when `folder` is the
/// manuscript folder) lists one chapter file per line.
fn leanpub(folder: &Path, cwd: &Path) -> Option<Layout> {
    let manuscript = [folder.join("manuscript"), folder.to_path_buf()]
        .into_iter()
        .find(|dir| dir.join("Book.txt").is_file())?;
    let book = manuscript.join("Book.txt");
    let text = read_small(&book)?;
    let mut layout = Layout::new(LayoutKind::Leanpub, folder);
    let names = text
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
        // Markua's `frontmatter:`/`mainmatter:` section lines are no files.
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#') && !line.ends_with(':'))
        .map(|(i, line)| (i, line.to_string()))
        .collect();
    listed_chapters(&mut layout, &book, &manuscript, names, true);
    for control in ["Book.txt", "Sample.txt", "Subset.txt"] {
        layout.control_file(cwd, manuscript.join(control));
    }
    for folder_name in ["resources", "images"] {
        layout.control_folder(cwd, manuscript.join(folder_name));
    }
    layout.extensions = vec!["markua"];
    layout.order_file = Some(book);
    if manuscript != folder {
        layout.set_content(cwd, manuscript);
    }
    Some(layout)
}

/// mdBook: `book.toml` with `src/SUMMARY.md` (or the `src` it names); also
/// found from the `src` folder itself.
fn mdbook(folder: &Path, cwd: &Path) -> Option<Layout> {
    let root = [folder.to_path_buf(), folder.join("..")]
        .into_iter()
        .find(|dir| dir.join("book.toml").is_file())?;
    let settings: toml::Table = read_small(&root.join("book.toml"))
        .and_then(|t| t.parse().ok())
        .unwrap_or_default();
    let setting = |table: &str, key: &str| {
        settings
            .get(table)
            .and_then(|t| t.get(key))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let src = root.join(setting("book", "src").unwrap_or_else(|| "src".to_string()));
    let summary = src.join("SUMMARY.md");
    let text = read_small(&summary)?;
    // From inside `src`, paths are relative to it: `src/../src/ch1.md`
    // would not match the walk's `ch1.md`.
    let (root, src) = if normalize_path(&cwd.join(folder)) == normalize_path(&cwd.join(&src)) {
        (folder.to_path_buf(), folder.to_path_buf())
    } else {
        (root, src)
    };
    let mut layout = Layout::new(LayoutKind::MdBook, &root);
    // mdBook creates listed chapters that are missing: a warning.
    listed_chapters(&mut layout, &summary, &src, summary_links(&text), false);
    layout.control_file(cwd, summary.clone());
    layout.control_file(cwd, root.join("book.toml"));
    let build = setting("build", "build-dir").unwrap_or_else(|| "book".to_string());
    layout.control_folder(cwd, root.join(build));
    layout.control_folder(cwd, root.join("theme"));
    layout.order_file = Some(summary);
    if src != root {
        layout.set_content(cwd, src);
    }
    Some(layout)
}

/// The local chapter links of an mdBook `SUMMARY.md`, with their lines, in
/// order; draft chapters (`[Title]()`) and web links are left out.
fn summary_links(text: &str) -> Vec<(usize, String)> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut out = Vec::new();
    for (event, range) in Parser::new(text).into_offset_iter() {
        let Event::Start(Tag::Link { dest_url, .. }) = event else {
            continue;
        };
        let dest = dest_url.split('#').next().unwrap_or("").replace("%20", " ");
        if dest.is_empty() || dest.contains("://") || dest.starts_with("mailto:") {
            continue;
        }
        let line = text[..range.start].matches('\n').count() + 1;
        out.push((line, dest));
    }
    out
}

/// bookdown: `_bookdown.yml`, its `rmd_files` (a list, or one list per
/// output format), else every `.Rmd` file of the folder by name with
/// `index.Rmd` first, as bookdown itself orders them.
fn bookdown(folder: &Path, cwd: &Path) -> Option<Layout> {
    let config = folder.join("_bookdown.yml");
    let text = read_small(&config)?;
    let mut layout = Layout::new(LayoutKind::Bookdown, folder);
    let yaml = parse_yaml(&text);
    let files = yaml.as_ref().map(|doc| &doc["rmd_files"]);
    let listed = files.and_then(|files| match files {
        yaml_rust2::Yaml::Array(_) => Some(files),
        yaml_rust2::Yaml::Hash(map) => map
            .iter()
            .find(|(k, _)| k.as_str() == Some("html"))
            .or_else(|| map.iter().next())
            .map(|(_, v)| v),
        _ => None,
    });
    let names: Vec<(usize, String)> = match listed.and_then(|l| l.as_vec()) {
        Some(items) => items
            .iter()
            .filter_map(|i| i.as_str())
            .map(|name| (line_of(&text, name), name.to_string()))
            .collect(),
        None => {
            let mut names: Vec<String> = std::fs::read_dir(folder)
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| !n.starts_with('_') && n.to_ascii_lowercase().ends_with(".rmd"))
                .collect();
            names.sort_by_key(|n| (!n.eq_ignore_ascii_case("index.rmd"), n.clone()));
            names.into_iter().map(|n| (0, n)).collect()
        }
    };
    listed_chapters(&mut layout, &config, folder, names, true);
    layout.control_prefixes = vec!["_"];
    layout.control_folder(cwd, folder.join("_book"));
    layout.control_folder(cwd, folder.join("_bookdown_files"));
    layout.extensions = vec!["Rmd"];
    layout.order_file = Some(config);
    Some(layout)
}

/// The 1-based line of the first occurrence of `needle` (0 if absent).
fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle)
        .map_or(0, |at| text[..at].matches('\n').count() + 1)
}

fn parse_yaml(text: &str) -> Option<yaml_rust2::Yaml> {
    yaml_rust2::YamlLoader::load_from_str(text)
        .ok()
        .and_then(|docs| docs.into_iter().next())
}

/// Pandoc: a defaults file (`*.yaml`/`*.yml` here or in `defaults/`) with
/// `input-files` (or `input-file`).
fn pandoc(folder: &Path, cwd: &Path) -> Option<Layout> {
    let mut candidates: Vec<PathBuf> = [folder.to_path_buf(), folder.join("defaults")]
        .iter()
        .flat_map(|dir| std::fs::read_dir(dir).into_iter().flatten().flatten())
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e == "yaml" || e == "yml")
        })
        .collect();
    candidates.sort();
    candidates.into_iter().find_map(|defaults| {
        let text = read_small(&defaults)?;
        if !text.contains("input-file") {
            return None;
        }
        let yaml = parse_yaml(&text)?;
        let names: Vec<String> = match (&yaml["input-files"], &yaml["input-file"]) {
            (yaml_rust2::Yaml::Array(items), _) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
            (_, yaml_rust2::Yaml::String(one)) => vec![one.clone()],
            _ => return None,
        };
        let mut layout = Layout::new(LayoutKind::Pandoc, folder);
        let names = names.into_iter().map(|n| (line_of(&text, &n), n)).collect();
        // Pandoc resolves input files against the folder it runs in: the
        // project's folder.
        listed_chapters(&mut layout, &defaults, folder, names, true);
        layout.control_file(cwd, defaults.clone());
        layout.order_file = Some(defaults);
        Some(layout)
    })
}

/// Folder names whose notes are not chapters, in a vault or an exported
/// Scrivener binder.
const NOT_CHAPTER_FOLDERS: &[&str] = &[
    "templates",
    "template sheets",
    "characters",
    "character sheets",
    "people",
    "research",
    "notes",
    "worldbuilding",
    "world",
    "places",
    "locations",
    "settings",
    "archive",
    "attachments",
    "assets",
    "images",
    "media",
    "inbox",
    "daily",
    "daily notes",
    "journal",
    "outline",
    "outlines",
    "planning",
    "resources",
    "meta",
    "trash",
    "excalidraw",
    "front matter",
];

/// Folder names that hold the manuscript itself.
const MANUSCRIPT_FOLDERS: &[&str] = &[
    "manuscript",
    "chapters",
    "draft",
    "drafts",
    "scenes",
    "book",
    "novel",
    "story",
];

/// The sub-folders of `dir`, by name.
fn subfolders(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// Obsidian: `.obsidian/` in `folder` or a parent (up to a `.git` folder).
/// The vault's templates, daily-notes and attachments folders (from its
/// settings) and the usual planning folders are not chapters; when the
/// vault has a manuscript folder, only its notes are.
fn obsidian(folder: &Path, cwd: &Path) -> Option<Layout> {
    let absolute = normalize_path(&cwd.join(folder));
    let vault = absolute
        .ancestors()
        .find(|dir| dir.join(".obsidian").is_dir())?;
    let inside = absolute.strip_prefix(vault).ok()?.to_path_buf();
    // The vault as the user's paths name it: `folder` minus `inside`.
    let mut root = folder.to_path_buf();
    for _ in inside.components() {
        root.push("..");
    }
    let root = if inside.as_os_str().is_empty() {
        folder.to_path_buf()
    } else {
        normalize_relative(&root)
    };
    let mut layout = Layout::new(LayoutKind::Obsidian, &root);
    let settings = vault.join(".obsidian");
    let json = |file: &str, key: &str| -> Option<String> {
        let text = read_small(&settings.join(file))?;
        let value: serde_json::Value = serde_json::from_str(&text).ok()?;
        let folder = value.get(key)?.as_str()?.trim_matches('/').to_string();
        (!folder.is_empty() && folder != ".").then_some(folder)
    };
    let configured = [
        ("templates", json("templates.json", "folder")),
        (
            "templates",
            json("plugins/templater-obsidian/data.json", "templates_folder"),
        ),
        ("daily notes", json("daily-notes.json", "folder")),
        ("attachments", json("app.json", "attachmentFolderPath")),
    ];
    for (what, name) in configured {
        if let Some(name) = name {
            layout.control_folder(cwd, vault.join(&name));
            layout
                .details
                .push(format!("{what} in {name}/ are not chapters"));
        }
    }
    layout.control_folder(cwd, vault.join(".trash"));
    let folders = subfolders(vault);
    let manuscript = folders
        .iter()
        .find(|n| MANUSCRIPT_FOLDERS.contains(&n.to_lowercase().as_str()));
    match manuscript {
        Some(name) => layout.set_content(cwd, vault.join(name)),
        None => {
            let configured: Vec<PathBuf> = layout.control_folders.clone();
            let skipped: Vec<&String> = folders
                .iter()
                .filter(|n| NOT_CHAPTER_FOLDERS.contains(&n.to_lowercase().as_str()))
                .filter(|n| !configured.contains(&normalize_path(&cwd.join(vault.join(n)))))
                .collect();
            for name in &skipped {
                layout.control_folder(cwd, vault.join(name));
            }
            if !skipped.is_empty() {
                let list: Vec<String> = skipped.iter().map(|n| format!("{n}/")).collect();
                layout
                    .details
                    .push(format!("notes in {} are not chapters", list.join(", ")));
            }
        }
    }
    if let Some(content) = &layout.content {
        let name = content
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        layout.content = name.map(|n| root.join(n));
    }
    Some(layout)
}

/// `a/b/../..` → `.`, `a/..` → `.`: a relative path without `..` that
/// could be resolved.
fn normalize_relative(path: &Path) -> PathBuf {
    let normal = normalize_path(path);
    if normal.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        normal
    }
}

/// Scrivener: an exported binder (`Draft/` or `Manuscript/` beside
/// `Research/`) or compiled MultiMarkdown (`.mmd` files).
fn scrivener(folder: &Path, cwd: &Path) -> Option<Layout> {
    // An Obsidian vault may well hold `Manuscript/` and `Research/`: its
    // `.obsidian/` settings say what it is.
    if normalize_path(&cwd.join(folder))
        .ancestors()
        .any(|dir| dir.join(".obsidian").is_dir())
    {
        return None;
    }
    let folders = subfolders(folder);
    let has = |name: &str| folders.iter().find(|n| n.eq_ignore_ascii_case(name));
    let draft = has("Draft").or_else(|| has("Manuscript"));
    let mut layout = Layout::new(LayoutKind::Scrivener, folder);
    layout.extensions = vec!["mmd"];
    if let (Some(draft), Some(_)) = (draft, has("Research")) {
        layout.set_content(cwd, folder.join(draft));
        let others: Vec<String> = folders
            .iter()
            .filter(|n| *n != draft)
            .map(|n| format!("{n}/"))
            .collect();
        layout
            .details
            .push(format!("{} are not chapters", others.join(", ")));
        return Some(layout);
    }
    let compiled = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| e.path().extension().is_some_and(|x| x == "mmd"));
    compiled.then_some(layout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_links_skip_drafts_and_web_links() {
        let summary = "# Summary\n\n[Preface](preface.md)\n\n- [One](ch%201.md)\n  - [Scene](one/scene.md#top)\n- [Draft]()\n- [Site](https://example.org)\n\n---\n\n[Afterword](after.md)\n";
        let links = summary_links(summary);
        assert_eq!(
            links,
            vec![
                (3, "preface.md".to_string()),
                (5, "ch 1.md".to_string()),
                (6, "one/scene.md".to_string()),
                (12, "after.md".to_string()),
            ]
        );
    }

    #[test]
    fn layout_choice_parses_ids() {
        assert_eq!(LayoutChoice::parse("auto"), Ok(LayoutChoice::Auto));
        assert_eq!(LayoutChoice::parse("none"), Ok(LayoutChoice::Off));
        assert_eq!(
            LayoutChoice::parse("leanpub"),
            Ok(LayoutChoice::Only(LayoutKind::Leanpub))
        );
        let err = LayoutChoice::parse("scrivner").unwrap_err();
        assert!(err.contains("\"scrivener\""), "{err}");
    }
}
