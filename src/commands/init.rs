//! `manulint init`: a commented starter configuration that fits the
//! manuscript in the current folder: its layout (Leanpub, mdBook, an
//! Obsidian vault …, see [`crate::layout`]) and its language.

use std::io;
use std::path::{Path, PathBuf};

use crate::cli::{EXIT_ERROR, ErrorPrinter};
use crate::config;
use crate::layout::{self, Layout, LayoutChoice, LayoutKind};
use crate::workspace::{Settings, Workspace};

/// Writes a starter `manulint.toml` in the current folder, fitted to the
/// layout and language found there, and says what it found; never
/// overwrites one, and writes none under a folder that has one unless
/// `nested` (a second file would silently replace the first for checks
/// run from here).
pub(crate) fn run(errors: &ErrorPrinter, nested: bool) -> io::Result<u8> {
    let path = Path::new(config::CONFIG_FILE_NAME);
    if path.exists() {
        errors.message(&format!(
            "{} already exists; not overwriting it (delete it first to start over)",
            path.display()
        ));
        return Ok(EXIT_ERROR);
    }
    let cwd = std::env::current_dir()?;
    if !nested && let Some(above) = config::find_upward(&cwd) {
        errors.message(&format!(
            "{} already applies here; not writing a second one (checks run from this folder \
             would use the new one instead, and ignore its settings). Edit that one, or run \
             `manulint init --nested` to write one here anyway",
            above.display()
        ));
        return Ok(EXIT_ERROR);
    }
    let found = layout::detect(Path::new("."), &cwd, LayoutChoice::Auto);
    let language = detect_language(&cwd);
    let text = starter_config(
        found.as_ref(),
        language.as_ref().map(|(code, _)| code.as_str()),
    );
    let mut said = Vec::new();
    match &found {
        Some(layout) => said.push(format!("Found {}", found_line(layout))),
        None => said.push(
            "Found no layout (Leanpub, mdBook, bookdown, Pandoc, Obsidian or Scrivener): chapters are every chapter file under the paths you check, in natural order".to_string(),
        ),
    }
    if let Some((_, description)) = &language {
        said.push(format!("Language: {description}"));
    }
    crate::report::output::write_atomically(path, |out| out.write_all(text.as_bytes()))?;
    for line in said {
        println!("{line}");
    }
    println!("Wrote {}", path.display());
    Ok(0)
}

/// "an mdBook: chapters and order from src/SUMMARY.md (3 chapters); …".
fn found_line(layout: &Layout) -> String {
    let mut out = format!("{} {}", article(layout.kind), layout.describe());
    if let Some(controls) = control_summary(layout.kind) {
        out.push_str("; ");
        out.push_str(controls);
    }
    out
}

/// "an Obsidian vault", "an mdBook", "a Leanpub book".
fn article(kind: LayoutKind) -> &'static str {
    match kind {
        LayoutKind::Obsidian | LayoutKind::MdBook => "an",
        _ => "a",
    }
}

/// The layout's own files, as `init` names them (the vault and the export
/// name theirs in their description).
fn control_summary(kind: LayoutKind) -> Option<&'static str> {
    match kind {
        LayoutKind::Leanpub => {
            Some("Book.txt, Sample.txt and Subset.txt are never checked as chapters")
        }
        LayoutKind::MdBook => {
            Some("SUMMARY.md, book.toml and the build folder are never checked as chapters")
        }
        LayoutKind::Bookdown => {
            Some("_bookdown.yml, files starting with _ and _book/ are never checked as chapters")
        }
        LayoutKind::Pandoc => Some("the defaults file is never checked as a chapter"),
        LayoutKind::Obsidian | LayoutKind::Scrivener => None,
    }
}

/// The manuscript's language when the text shows one other than English:
/// its code and how it was found.
fn detect_language(cwd: &Path) -> Option<(String, String)> {
    let workspace = Workspace::open(&Settings::default(), cwd).ok()?;
    let loaded = workspace.load_manuscript(&[PathBuf::from(".")]);
    let language = loaded.manuscript.language();
    let description = loaded
        .notes
        .iter()
        .find_map(|n| n.strip_prefix("language: "))
        .map(|n| n.split(';').next().unwrap_or(n).to_string())?;
    (!loaded.manuscript.chapters.is_empty()).then(|| (language.code().to_string(), description))
}

/// The starter config with `[manuscript]` set for the layout and language
/// found (English needs no line: it is the default when detection agrees).
pub fn starter_config(layout: Option<&Layout>, language: Option<&str>) -> String {
    let mut lines = String::new();
    if let Some(layout) = layout {
        lines.push_str(&format!(
            "# Found {} {}.\nlayout = \"{}\"\n",
            article(layout.kind),
            layout.describe(),
            layout.kind.id()
        ));
        if layout.kind == LayoutKind::Obsidian {
            lines.push_str(
                "# In the vault [[wikilinks]] are links (the `wikilink` rule reports them only\n# in text outside a vault); %% comments %%, callouts and #tags are not prose.\n",
            );
        }
    }
    if let Some(code) = language.filter(|c| *c != "en") {
        lines.push_str(&format!(
            "# Detected from the text; rules that need English data say what they skip.\nlanguage = \"{code}\"\n"
        ));
    }
    if lines.is_empty() {
        return config::STARTER_CONFIG.to_string();
    }
    config::STARTER_CONFIG.replacen("[manuscript]\n", &format!("[manuscript]\n{lines}\n"), 1)
}
