//! Manuscripts as writing tools keep them (issue #18): each layout under
//! `fixtures/layouts/` is copied to a temporary folder and checked with the
//! real binary. The tests assert the reading order the layout's order file
//! gives, that its control files are never chapters, that the planted
//! defects are found (exact rule, file and line) and nothing else — in
//! particular nothing from the tools' markup — and what `manulint init`
//! writes for each layout.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

mod common;
use common::json;

fn manulint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("manulint").expect("binary builds");
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .env("CLICOLOR", "0")
        .env("COLUMNS", "200");
    cmd
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A copy of `fixtures/layouts/<name>` in a temporary folder that is its
/// own repository root (so no config is found above it).
fn layout(name: &str) -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/layouts")
            .join(name),
        dir.path(),
    );
    fs::create_dir(dir.path().join(".git")).expect("repo root");
    dir
}

/// The chapters checked, in reading order (`--statistics --format json`).
fn chapters(dir: &Path) -> Vec<String> {
    let out = manulint(dir)
        .args(["check", ".", "--statistics", "--format", "json"])
        .output()
        .expect("runs");
    json(&out.stdout)["chapters"]
        .as_array()
        .expect("chapters")
        .iter()
        .map(|c| c["file"].as_str().expect("file").to_string())
        .collect()
}

/// Every finding as `rule file:line`, and the exit code.
fn findings(dir: &Path, args: &[&str]) -> (Vec<String>, i32) {
    let out = manulint(dir)
        .args(["check", ".", "--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    let found = json(&out.stdout)["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            format!(
                "{} {}:{}",
                d["rule"].as_str().unwrap_or(""),
                d["file"].as_str().unwrap_or(""),
                d["line"]
            )
        })
        .collect();
    (found, out.status.code().unwrap_or(-1))
}

fn verbose_notes(dir: &Path) -> String {
    let out = manulint(dir)
        .args(["check", ".", "-v", "--format", "short"])
        .output()
        .expect("runs");
    String::from_utf8_lossy(&out.stderr).replace("\n      ", " ")
}

/// What `manulint init` prints and writes in a copy of the layout.
fn init(name: &str) -> String {
    let dir = layout(name);
    let out = manulint(dir.path()).arg("init").output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let written = fs::read_to_string(dir.path().join("manulint.toml")).expect("config written");
    let manuscript = written
        .split("\n[manuscript]\n")
        .nth(1)
        .and_then(|rest| rest.split("\n# Chapter files").next())
        .unwrap_or("");
    format!(
        "$ manulint init\n{}\n--- manulint.toml [manuscript] ---\n{manuscript}",
        String::from_utf8_lossy(&out.stdout)
    )
}

#[test]
fn leanpub_book_txt_gives_chapters_and_order() {
    let dir = layout("leanpub");
    assert_eq!(
        chapters(dir.path()),
        vec![
            "manuscript/preface.md",
            "manuscript/harbour.md",
            "manuscript/arrival.md"
        ]
    );
    // Book.txt's "harbour.md" no longer counts as a spelling of harbour,
    // and notes.md (not in Book.txt) is not checked.
    let (found, code) = findings(dir.path(), &[]);
    assert_eq!(found, vec!["draft-marker manuscript/arrival.md:5"]);
    assert_eq!(code, 1);
    assert!(
        verbose_notes(dir.path()).contains(
            "note: layout: Leanpub book: chapters and order from manuscript/Book.txt (3 chapters)"
        ),
        "{}",
        verbose_notes(dir.path())
    );
}

#[test]
fn leanpub_missing_chapter_is_an_error_naming_the_line() {
    let dir = layout("leanpub");
    let book = dir.path().join("manuscript/Book.txt");
    fs::write(&book, "preface.md\nharbour.md\narrival.md\nepilogue.md\n").unwrap();
    let out = manulint(dir.path())
        .args(["check", ".", "--format", "short"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("manuscript/Book.txt:4: lists `epilogue.md`, but there is no such file"),
        "{stderr}"
    );
    // The other chapters are still checked.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("manuscript/arrival.md:5:"), "{stdout}");
}

#[test]
fn explicit_include_wins_over_book_txt_but_control_files_stay_out() {
    let dir = layout("leanpub");
    fs::write(
        dir.path().join("manulint.toml"),
        "[manuscript]\ninclude = [\"manuscript/**\"]\n",
    )
    .unwrap();
    assert_eq!(
        chapters(dir.path()),
        vec![
            "manuscript/preface.md",
            "manuscript/harbour.md",
            "manuscript/arrival.md",
            "manuscript/notes.md"
        ]
    );
}

#[test]
fn layout_none_turns_detection_off() {
    let dir = layout("leanpub");
    fs::write(
        dir.path().join("manulint.toml"),
        "[manuscript]\nlayout = \"none\"\n",
    )
    .unwrap();
    let files = chapters(dir.path());
    assert!(
        files.contains(&"manuscript/Book.txt".to_string()),
        "{files:?}"
    );
    fs::write(
        dir.path().join("manulint.toml"),
        "[manuscript]\nlayout = \"leanpbu\"\n",
    )
    .unwrap();
    let out = manulint(dir.path()).args(["check", "."]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown layout `leanpbu`"), "{stderr}");
}

#[test]
fn mdbook_summary_gives_chapters_and_order() {
    let dir = layout("mdbook");
    assert_eq!(
        chapters(dir.path()),
        vec!["src/prologue.md", "src/chapter-2.md", "src/chapter-1.md"]
    );
    // SUMMARY.md's "Summary" heading is no scaffolding; unused.md's TODO
    // is not in the book.
    let (found, _) = findings(dir.path(), &[]);
    assert_eq!(found, vec!["doubled-word src/chapter-2.md:3"]);
    // Checked from inside `src/`, the order is the same.
    assert_eq!(
        chapters(&dir.path().join("src")),
        vec!["prologue.md", "chapter-2.md", "chapter-1.md"]
    );
}

#[test]
fn obsidian_vault_markup_is_not_prose_and_notes_are_not_chapters() {
    let dir = layout("obsidian");
    assert_eq!(chapters(dir.path()), vec!["01 Arrival.md", "02 Storm.md"]);
    // The old opening kept in a %% comment is not a duplicate of chapter
    // 2; wikilinks, the embed, the callout, tags and the block id make no
    // finding; templates and character sheets are not checked.
    let (found, code) = findings(dir.path(), &[]);
    assert_eq!(found, vec!["draft-marker 02 Storm.md:5"]);
    assert_eq!(code, 1);
    let notes = verbose_notes(dir.path());
    assert!(
        notes.contains("note: layout: Obsidian vault; templates in Templates/ are not chapters; notes in Characters/, Research/ are not chapters"),
        "{notes}"
    );
}

#[test]
fn a_vault_with_a_manuscript_folder_is_still_obsidian_not_scrivener() {
    // `Manuscript/` beside `Research/` is also how a Scrivener export
    // looks; `.obsidian/` says which it is.
    let dir = layout("obsidian");
    fs::create_dir(dir.path().join("Manuscript")).unwrap();
    fs::write(
        dir.path().join("Manuscript/03 Harbour.md"),
        "# Harbour\n\nShe walked down to the [[Harbour|harbour]] at dusk.\n",
    )
    .unwrap();
    let notes = verbose_notes(dir.path());
    assert!(notes.contains("note: layout: Obsidian vault"), "{notes}");
    assert!(!notes.contains("Scrivener"), "{notes}");
    let (found, _) = findings(dir.path(), &[]);
    assert!(
        !found.iter().any(|f| f.starts_with("wikilink")),
        "{found:?}"
    );
}

#[test]
fn wikilinks_outside_a_vault_are_links_covering_the_whole_embed() {
    let dir = layout("obsidian");
    fs::remove_dir_all(dir.path().join(".obsidian")).unwrap();
    for folder in ["Templates", "Characters", "Research"] {
        fs::remove_dir_all(dir.path().join(folder)).unwrap();
    }
    let out = manulint(dir.path())
        .args(["check", ".", "--format", "json", "--select", "wikilink"])
        .output()
        .unwrap();
    let report = json(&out.stdout);
    let text = fs::read_to_string(dir.path().join("01 Arrival.md")).unwrap();
    let found: Vec<(String, String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let (start, end) = (
                d["byte_start"].as_u64().unwrap() as usize,
                d["byte_end"].as_u64().unwrap() as usize,
            );
            let file = d["file"].as_str().unwrap().to_string();
            let covered = if file == "01 Arrival.md" {
                text[start..end].to_string()
            } else {
                String::new()
            };
            (file, d["message"].as_str().unwrap().to_string(), covered)
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "01 Arrival.md".to_string(),
                "wikilink “[[Tom Hale|Tom]]” left in the text".to_string(),
                "[[Tom Hale|Tom]]".to_string()
            ),
            (
                "01 Arrival.md".to_string(),
                "embed “![[harbour-sketch.png]]” left in the text".to_string(),
                "![[harbour-sketch.png]]".to_string()
            ),
            (
                "02 Storm.md".to_string(),
                "wikilink “[[Tom Hale]]” left in the text".to_string(),
                String::new()
            ),
        ]
    );
    assert_eq!(report["diagnostics"][0]["severity"], "warning");
}

#[test]
fn bookdown_rmd_files_give_chapters_and_order() {
    let dir = layout("bookdown");
    assert_eq!(
        chapters(dir.path()),
        vec!["index.Rmd", "02-market.Rmd", "01-road.Rmd"]
    );
    // The R chunk's "the the" is code; _notes.Rmd is not a chapter.
    let (found, _) = findings(dir.path(), &[]);
    assert_eq!(found, vec!["doubled-word 02-market.Rmd:7"]);
}

#[test]
fn pandoc_defaults_input_files_and_fenced_divs() {
    let dir = layout("pandoc");
    assert_eq!(
        chapters(dir.path()),
        vec!["chapters/opening.md", "chapters/winter.md"]
    );
    // The opening `::: {.epigraph}` is no sentence cut in half; the
    // attributes and \newpage are not prose; README.md is not a chapter.
    let (found, _) = findings(dir.path(), &[]);
    assert_eq!(found, vec!["doubled-word chapters/winter.md:3"]);
}

#[test]
fn scrivener_export_checks_the_draft_folder_only() {
    let dir = layout("scrivener");
    assert_eq!(
        chapters(dir.path()),
        vec!["Draft/1 The Crossing.md", "Draft/2 The Island.md"]
    );
    let (found, _) = findings(dir.path(), &[]);
    assert_eq!(found, vec!["draft-marker Draft/2 The Island.md:3"]);
}

#[test]
fn init_writes_a_config_that_fits_each_layout() {
    for name in [
        "leanpub",
        "mdbook",
        "obsidian",
        "bookdown",
        "pandoc",
        "scrivener",
    ] {
        insta::assert_snapshot!(format!("init_{name}"), init(name));
    }
}

#[test]
fn a_named_layout_lets_check_run_from_a_subfolder() {
    let dir = layout("leanpub");
    let out = manulint(dir.path()).arg("init").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    // `manulint check` with no paths, from inside manuscript/: the whole
    // book, in Book.txt's order.
    let out = manulint(&dir.path().join("manuscript"))
        .args(["check", "--statistics", "--format", "json"])
        .output()
        .unwrap();
    let files: Vec<String> = json(&out.stdout)["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(files, vec!["preface.md", "harbour.md", "arrival.md"]);
}
