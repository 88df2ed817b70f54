//! End-to-end tests of the `anachronism` rule: `--year`, `[story]`, user
//! entity files, `--verbose` notes and bad entity files.

use std::fs;

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

fn manulint() -> Command {
    let mut cmd = Command::cargo_bin("manulint").expect("binary builds");
    cmd.env_remove("NO_COLOR").env("CLICOLOR", "0");
    cmd
}

#[test]
fn user_entity_file_named_in_manulint_toml() {
    let output = manulint()
        .current_dir("fixtures/anachronisms/user-entities")
        .args(["check", ".", "--select", "anachronism", "--format", "short"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "chapter-01.md:3:52: error[anachronism] “Zorbatron” (1971) is later than the story year 1962, from manulint.toml [story]"
    );
    // skyrail (1958) existed in 1962.
    assert_eq!(lines.len(), 2, "{stdout}");
}

#[test]
fn year_flag_wins_and_is_named() {
    manulint()
        .args([
            "check",
            "fixtures/anachronisms/front-matter-1987",
            "--select",
            "anachronism",
            "--format",
            "short",
            "--year",
            "1995",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "chapter-03.md:7:18: error[anachronism] “smartphone” (1997) is later than the story year 1995, from --year",
        ))
        .stdout(predicate::str::contains("texting").not());
}

#[test]
fn verbose_says_when_a_chapter_has_no_year() {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    fs::write(dir.path().join("a.txt"), "She checked her smartphone.\n").unwrap();
    manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--select", "anachronism", "--verbose"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "note: anachronism: a.txt: no story year (no --year, front matter `year`",
        ));
}

#[test]
fn bad_entity_file_is_a_config_error_naming_file_and_line() {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    fs::write(
        dir.path().join("manulint.toml"),
        "[rules.anachronism]\nentities = [\"mine.toml\"]\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("mine.toml"),
        "[[entity]]\nname = \"Zorb\"\nkind = \"product\"\nyear = \"soon\"\n",
    )
    .unwrap();
    fs::write(dir.path().join("a.txt"), "Text.\n").unwrap();
    manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--color", "never"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "invalid options for rule `anachronism`",
        ))
        .stderr(predicate::str::contains("mine.toml:4"));
    fs::remove_file(dir.path().join("mine.toml")).unwrap();
    manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--color", "never"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read entity file"));
}

/// Every corpus novel, checked with `--year` = its first publication year,
/// must be quiet: everything it names existed when it was written.
#[test]
fn corpus_novels_are_quiet_at_their_publication_year() {
    let corpus = std::path::Path::new("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("SKIP: ../shared/corpus not found");
        return;
    }
    let mut novels: Vec<_> = fs::read_dir(corpus)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("META.toml").is_file())
        .collect();
    novels.sort();
    assert!(!novels.is_empty());
    for novel in novels {
        let meta: toml::Table = fs::read_to_string(novel.join("META.toml"))
            .unwrap()
            .parse()
            .unwrap();
        let year = meta["year_first_published"].as_integer().unwrap();
        let output = manulint()
            .args(["check", "--select", "anachronism", "--format", "short"])
            .arg(&novel)
            .args(["--year", &year.to_string()])
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}:\n{stdout}",
            novel.display()
        );
    }
}
