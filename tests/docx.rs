//! Word manuscripts end to end: `.docx` files made by python-docx and by
//! LibreOffice (`fixtures/docx/`, see `make.sh`) read as chapters with
//! planted defects found at the right paragraph, every output format
//! naming `¶` places, suppression and baselines, `--annotate` written and
//! read back, and bad input (damaged, old `.doc`, encrypted, zip bombs)
//! refused with a clear message while the other chapters are checked.

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

mod common;
use common::{Run, package_with, unwrapped};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/docx")
        .join(name)
}

/// A temporary manuscript folder (a fake repository root, so no config
/// above it is found) holding copies of fixtures and the given files.
fn book(fixtures: &[(&str, &str)], files: &[(&str, &[u8])]) -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    fs::create_dir(dir.path().join(".git")).expect("fake repo root stops config search");
    for (from, to) in fixtures {
        fs::copy(fixture(from), dir.path().join(to)).expect("copy fixture");
    }
    for (name, content) in files {
        fs::write(dir.path().join(name), content).expect("write file");
    }
    dir
}

/// [`common::run`] without colour.
fn run(dir: &Path, args: &[&str]) -> Run {
    common::run(dir, &[args, &["--color", "never"]].concat())
}

/// The finding lines of `--format short` (without the summary).
fn findings(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|l| !l.starts_with("Found ") && !l.starts_with("No problems found"))
        .collect()
}

// ------------------------------------------------------------ reading

/// python-docx/novel.docx (see make.py): every planted defect at its
/// paragraph; nothing from the tracked deletion (“iPhone”, 2007, in a story
/// set in 1996), the hyperlink's field code or the editor's comment (both
/// say TODO); the suppressed TODO (a Word comment) and doubled word (hidden
/// text) stay quiet while the same rules fire elsewhere.
#[test]
fn python_docx_novel_findings_at_their_paragraphs() {
    let dir = book(&[("python-docx/novel.docx", "novel.docx")], &[]);
    let out = run(dir.path(), &["check", "novel.docx", "--format", "short"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        findings(&out.stdout),
        [
            "novel.docx:¶4:62 (Chapter 1): error[anachronism] *Mistborn* (book, 2006) is later than \
             the story year 1996, inferred from novel.docx:¶3 (Chapter 1)",
            "novel.docx:¶6:71 (Chapter 1): warning[doubled-word] “the” is written twice in a row",
            "novel.docx:¶8 footnote 1:29 (Chapter 1): warning[doubled-word] “and” is written twice \
             in a row",
            "novel.docx:¶12:1 (Chapter 2): error[duplicate-paragraph] 100% of this paragraph repeats \
             novel.docx:¶3 (Chapter 1) (an exact copy)",
            "novel.docx:¶16:20 (Chapter 2): error[draft-marker] draft marker “TK” left in the text",
        ]
    );
    assert!(
        out.stdout
            .contains("Found 3 errors, 2 warnings and 0 infos in 1 file (207 words)"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("iPhone") && !out.stdout.contains("TODO"));
    assert!(!out.stderr.contains("bad-directive"), "{}", out.stderr);
}

/// libreoffice/novel.docx (see novel.fodt): LibreOffice's own way of
/// writing italics, tracked changes, footnotes, comments and hidden text.
#[test]
fn libreoffice_novel_findings_at_their_paragraphs() {
    let dir = book(&[("libreoffice/novel.docx", "novel.docx")], &[]);
    let out = run(dir.path(), &["check", "novel.docx", "--format", "short"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        findings(&out.stdout),
        [
            "novel.docx:¶4:25 (Chapter One): error[anachronism] *Jurassic Park* (book, 1990) is \
             later than the story year 1985, inferred from novel.docx:¶3 (Chapter One)",
            "novel.docx:¶6 footnote 1:6 (Chapter One): warning[doubled-word] “the” is written \
             twice in a row",
            "novel.docx:¶11:15 (Chapter Two): error[draft-marker] draft marker “TK” left in the text",
        ]
    );
}

/// A whole novel with no heading styles splits at its chapter lines; the
/// title line opens the first chapter, and a sentence that starts with
/// "Chapter one" is prose. Cross-chapter rules see both chapters.
#[test]
fn unstyled_novel_splits_at_chapter_lines() {
    let dir = book(&[("libreoffice/unstyled.docx", "book.docx")], &[]);
    let out = run(dir.path(), &["check", "book.docx", "--format", "short"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        findings(&out.stdout),
        [
            "book.docx:¶7:12 (CHAPTER ONE): warning[doubled-word] “was” is written twice in a row",
            "book.docx:¶12:1 (Chapter 2: The Storm): error[duplicate-paragraph] 100% of this \
             paragraph repeats book.docx:¶3 (CHAPTER ONE) (an exact copy)",
            "book.docx:¶13:30 (Chapter 2: The Storm): warning[spelling-variant] “grey” here, but \
             “gray” 1× elsewhere in the manuscript; use one spelling throughout.",
        ]
    );
    assert!(
        out.stderr.contains("in any of the 2 chapters"),
        "{}",
        out.stderr
    );
}

/// The human format quotes the paragraph as Word shows it (no `*` around
/// the italic title), numbers it with its paragraph, and heads the snippet
/// with the same place as every format.
#[test]
fn human_format_quotes_paragraphs() {
    let dir = book(&[("python-docx/novel.docx", "novel.docx")], &[]);
    let out = run(dir.path(), &["check", "novel.docx", "--width", "100"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let expected = [
        "   ╭─[novel.docx:¶4:62 (Chapter 1)]",
        " 4 │ …On the ride she read Mistborn again, folding the corners of the pages she liked.",
        "   ·                       ────┬───",
        "   ╭─[novel.docx:¶8 footnote 1:29 (Chapter 1)]",
        " 8 │  The letter was dated March and and signed in green ink.",
        "    ╭─[novel.docx:¶12:1 (Chapter 2)]",
        "   ╭─[novel.docx:¶3:1 (Chapter 1)]",
    ];
    for line in expected {
        assert!(
            out.stdout.lines().any(|l| l == line),
            "no line {line:?} in\n{}",
            out.stdout
        );
    }
    // A note's text is never drawn as if it were the next paragraph.
    assert!(!out.stdout.contains(" 9 │ She looked up"), "{}", out.stdout);
}

#[test]
fn json_sarif_and_github_give_paragraph_and_column() {
    let dir = book(&[("python-docx/novel.docx", "novel.docx")], &[]);
    let out = run(dir.path(), &["check", "novel.docx", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let places: Vec<(String, u64, u64, String)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["rule"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let expected = [
        (4, 62, "anachronism"),
        (6, 71, "doubled-word"),
        (8, 29, "doubled-word"),
        (12, 1, "duplicate-paragraph"),
        (16, 20, "draft-marker"),
    ];
    assert_eq!(places.len(), expected.len());
    for ((file, line, column, rule), (l, c, r)) in places.iter().zip(expected) {
        assert_eq!(
            (file.as_str(), *line, *column, rule.as_str()),
            ("novel.docx", l, c, r)
        );
    }
    // The chapters share the file: each place names its chapter.
    let chapters: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["chapter"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(
        chapters,
        [
            "Chapter 1",
            "Chapter 1",
            "Chapter 1",
            "Chapter 2",
            "Chapter 2"
        ]
    );
    assert_eq!(
        json["diagnostics"][3]["related"][0]["chapter"], "Chapter 1",
        "the earlier copy"
    );
    // The doubled “and and” is in footnote 1, whose mark is in ¶8: the
    // place says so, as the human format's `¶8 footnote 1:29` does.
    assert_eq!(json["version"], 4);
    let notes: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["note"])
        .collect();
    assert_eq!(
        notes,
        [
            &serde_json::Value::Null,
            &serde_json::Value::Null,
            &serde_json::json!({"kind": "footnote", "number": 1, "paragraph": 1}),
            &serde_json::Value::Null,
            &serde_json::Value::Null,
        ]
    );
    for format in ["github", "checkstyle", "gitlab"] {
        let out = run(dir.path(), &["check", "novel.docx", "--format", format]);
        assert!(
            out.stdout
                .contains("“and” is written twice in a row (in footnote 1)"),
            "{format}: {}",
            out.stdout
        );
        assert_eq!(out.stdout.matches("(in footnote").count(), 1, "{format}");
    }
    let out = run(
        dir.path(),
        &["check", "novel.docx", "--statistics", "--format", "json"],
    );
    let statistics: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(statistics["version"], 2);
    let counted: Vec<(&str, &str, u64)> = statistics["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["file"].as_str().unwrap(),
                c["chapter"].as_str().unwrap_or("-"),
                c["words"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counted,
        [
            ("novel.docx", "Chapter 1", 141),
            ("novel.docx", "Chapter 2", 66)
        ]
    );

    // The doubled word's fix is advice only: a .docx is never rewritten.
    let doubled = &json["diagnostics"][1];
    assert!(doubled["fix"].is_null());
    assert_eq!(
        doubled["help"],
        "delete one “the” (suggested: delete the second “the”)"
    );

    let out = run(dir.path(), &["check", "novel.docx", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&out.stdout).expect("SARIF");
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(4), Some(62))
    );
    let in_note = &sarif["runs"][0]["results"][2];
    assert_eq!(
        in_note["locations"][0]["physicalLocation"]["region"]["properties"]["note"],
        "footnote 1"
    );
    assert!(
        in_note["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("“and” is written twice in a row (in footnote 1)")
    );
    assert!(
        sarif["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]
            .get("properties")
            .is_none()
    );
    let artifacts = sarif["runs"][0]["artifacts"].as_array().expect("artifacts");
    assert_eq!(
        artifacts.len(),
        1,
        "the chapters of one file are one artifact"
    );

    let out = run(dir.path(), &["check", "novel.docx", "--format", "github"]);
    assert!(
        out.stdout
            .contains("::error file=novel.docx,line=4,col=62,"),
        "{}",
        out.stdout
    );
}

/// `--fix` never rewrites a Word document (its fixes are advice).
#[test]
fn fix_leaves_a_docx_alone() {
    let dir = book(&[("python-docx/novel.docx", "novel.docx")], &[]);
    let before = fs::read(dir.path().join("novel.docx")).expect("read");
    let out = run(
        dir.path(),
        &["check", "novel.docx", "--fix", "--format", "short"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(findings(&out.stdout).len(), 5, "{}", out.stdout);
    assert_eq!(
        fs::read(dir.path().join("novel.docx")).expect("read"),
        before
    );
    // And says so, for --diff too: "Fixed 0 findings" alone read as a bug.
    for flag in ["--fix", "--diff"] {
        let out = run(dir.path(), &["check", "novel.docx", flag]);
        assert!(
            unwrapped(&out.stderr).contains(&format!(
                "note: {flag} leaves novel.docx alone: manulint never rewrites a .docx; a finding \
                 there gives its fix in its help (\"suggested: …\"), to make in Word"
            )),
            "{}",
            out.stderr
        );
    }
    let out = run(dir.path(), &["check", "novel.docx", "--fix", "-q"]);
    assert!(!out.stderr.contains("note:"), "{}", out.stderr);
}

/// The help of a finding in Word names no front matter and says how a
/// directive goes into a document.
#[test]
fn help_in_word_speaks_of_word() {
    let dir = book(&[("python-docx/novel.docx", "novel.docx")], &[]);
    let out = run(dir.path(), &["check", "novel.docx", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let help = |rule: &str| {
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == rule)
            .and_then(|d| d["help"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        help("anachronism"),
        "check the reference against the story's year; if the year is wrong, set it with \
         --year, or [story] (or [story.chapters]) in manulint.toml; if the reference is \
         deliberate (a flash-forward, a frame narrator), add a Word comment reading \
         `manulint-disable-next anachronism` on its paragraph"
    );
    assert!(
        help("duplicate-paragraph").ends_with(
            "or put `manulint-disable-next duplicate-paragraph` before any copy (in Word, a \
             directive is a comment on the paragraph whose whole text is the directive, or \
             hidden text in it)"
        ),
        "{}",
        help("duplicate-paragraph")
    );
    assert_eq!(
        help("draft-marker"),
        "write the missing text, or move the note out of the manuscript"
    );
    // A document with no story year: no front matter to set it in.
    let dir = book(&[("libreoffice/unstyled.docx", "unstyled.docx")], &[]);
    let out = run(dir.path(), &["check", "unstyled.docx"]);
    assert!(
        unwrapped(&out.stderr).contains(
            "so none was checked for anachronisms; set it with --year, or `[story] year = …` in manulint.toml"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn baseline_works_for_docx() {
    let dir = book(&[("python-docx/novel.docx", "novel.docx")], &[]);
    let out = run(
        dir.path(),
        &[
            "check",
            "novel.docx",
            "--write-baseline",
            "baseline.json",
            "--format",
            "short",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("Wrote 5 findings to baseline.json"),
        "{}",
        out.stderr
    );
    let out = run(
        dir.path(),
        &[
            "check",
            "novel.docx",
            "--baseline",
            "baseline.json",
            "--format",
            "short",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(findings(&out.stdout), Vec::<&str>::new());
    assert!(
        out.stdout.contains("; 5 hidden by the baseline"),
        "{}",
        out.stdout
    );
    // A new finding in the document is not hidden.
    let other = book(&[("libreoffice/novel.docx", "novel.docx")], &[]);
    fs::copy(
        dir.path().join("baseline.json"),
        other.path().join("baseline.json"),
    )
    .expect("copy");
    let out = run(
        other.path(),
        &[
            "check",
            "novel.docx",
            "--baseline",
            "baseline.json",
            "--format",
            "short",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(findings(&out.stdout).len(), 3, "{}", out.stdout);
}

// ------------------------------------------------------------ --annotate

/// `--annotate` writes a copy with one comment per finding, anchored on
/// the flagged text; the original is byte for byte the same; the copy reads
/// back (its comments are not prose, so it gives the same findings); and
/// LibreOffice, when installed, opens it and sees every comment on its
/// text.
#[test]
fn annotate_round_trip() {
    let dir = book(&[("python-docx/novel.docx", "novel.docx")], &[]);
    let original = fs::read(dir.path().join("novel.docx")).expect("read");
    let out = run(
        dir.path(),
        &[
            "check",
            "novel.docx",
            "--annotate",
            "reviewed.docx",
            "--format",
            "short",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("Wrote 6 comments to reviewed.docx (a copy of novel.docx)"),
        "{}",
        out.stderr
    );
    assert_eq!(
        fs::read(dir.path().join("novel.docx")).expect("read"),
        original
    );

    let comments = manulint::docx::annotate::read_comments(&dir.path().join("reviewed.docx"))
        .expect("the copy reads back");
    let ours: Vec<_> = comments
        .iter()
        .filter(|c| c.author.as_deref() == Some("manulint"))
        .collect();
    let anchors: Vec<(u32, &str)> = ours
        .iter()
        .map(|c| (c.paragraph, c.anchored.as_str()))
        .collect();
    const COPIED: &str = "It was 1996, and the rain had not let up for a week. Mara took \
                          the night bus home from the depot because the trains had stopped \
                          running after ten.";
    assert_eq!(
        anchors,
        [
            (4, "Mistborn"),
            (6, "the the"),
            // A finding in a footnote is anchored on the note's mark.
            (8, ""),
            (12, COPIED),
            // The first copy hears of the finding on the second.
            (3, COPIED),
            (16, "TK"),
        ]
    );
    assert_eq!(
        ours[4].text,
        "note[duplicate-paragraph] this paragraph is copied at ¶12:1 (Chapter 2) (the finding \
         is there)"
    );
    // The title is an italic run, not a run with stars around it.
    assert!(
        ours[0].text.starts_with(
            "error[anachronism] Mistborn (book, 2006) is later than the story year 1996"
        )
    );
    assert!(
        ours[0]
            .text
            .contains("\nhelp: check the reference against the story's year")
    );
    assert!(
        ours[2].text.contains("in footnote 1: “and and”"),
        "{}",
        ours[2].text
    );
    assert!(
        ours[3]
            .text
            .contains("first written here: ¶3:1 (Chapter 1)")
    );
    // The editor's two comments are kept.
    assert_eq!(comments.len(), 8);

    let again = run(dir.path(), &["check", "reviewed.docx", "--format", "short"]);
    assert_eq!(findings(&again.stdout).len(), 5, "{}", again.stdout);

    libreoffice_reads_comments(dir.path(), "reviewed.docx", 6);
}

/// When LibreOffice is installed: it converts the copy (to a flat
/// OpenDocument file) without complaint and finds `expected` comments by
/// manulint in it. Skipped, with a message, without it.
fn libreoffice_reads_comments(dir: &Path, name: &str, expected: usize) {
    let soffice = ["soffice", "libreoffice"].into_iter().find(|bin| {
        std::process::Command::new(bin)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(soffice) = soffice else {
        eprintln!("skipping the LibreOffice check: soffice is not installed");
        return;
    };
    let profile = TempDir::new().expect("profile dir");
    let status = std::process::Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--convert-to", "fodt", "--outdir"])
        .arg(dir)
        .arg(dir.join(name))
        .output()
        .expect("soffice runs");
    assert!(status.status.success(), "{status:?}");
    let flat = dir.join(Path::new(name).with_extension("fodt"));
    let xml = fs::read_to_string(&flat).expect("LibreOffice wrote the conversion");
    let ours = xml
        .split("<office:annotation ")
        .skip(1)
        .filter(|a| a.contains("<dc:creator>manulint</dc:creator>"))
        .count();
    assert_eq!(ours, expected, "comments LibreOffice found");
    assert!(
        without_tags(&xml).contains("is written twice in a row"),
        "the comments' text"
    );
}

/// XML text with its tags removed.
fn without_tags(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn annotate_refuses_the_original_and_takes_a_folder_for_several() {
    let dir = book(
        &[
            ("python-docx/novel.docx", "novel.docx"),
            ("libreoffice/novel.docx", "other.docx"),
        ],
        &[("a.txt", b"She said the the word.\n")],
    );
    let original = fs::read(dir.path().join("novel.docx")).expect("read");
    let out = run(
        dir.path(),
        &["check", "novel.docx", "--annotate", "novel.docx"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("is the document being checked"),
        "{}",
        out.stderr
    );
    assert_eq!(
        fs::read(dir.path().join("novel.docx")).expect("read"),
        original
    );

    let out = run(
        dir.path(),
        &["check", "a.txt", "--annotate", "reviewed.docx"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("--annotate needs a Word document"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("reviewed.docx").exists());

    let out = run(dir.path(), &["check", ".", "--annotate", "reviewed.docx"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        unwrapped(&out.stderr).contains(
            "--annotate reviewed.docx names one document, but 2 .docx files were checked"
        ),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("reviewed.docx").exists());

    // A folder takes a copy of each, under its own name; the originals'
    // folder is refused for each (it would overwrite them).
    let out = run(
        dir.path(),
        &["check", ".", "--annotate", "reviewed/", "--format", "short"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    for (name, count) in [("novel.docx", 6), ("other.docx", 3)] {
        let copy = dir.path().join("reviewed").join(name);
        let comments = manulint::docx::annotate::read_comments(&copy).expect("copy reads back");
        let ours = comments
            .iter()
            .filter(|c| c.author.as_deref() == Some("manulint"))
            .count();
        assert_eq!(ours, count, "{name}");
    }
    let out = run(
        dir.path(),
        &["check", "novel.docx", "other.docx", "--annotate", "."],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("is the document being checked"),
        "{}",
        out.stderr
    );
    assert_eq!(
        fs::read(dir.path().join("novel.docx")).expect("read"),
        original
    );
}

/// `--annotate` never writes over a chapter of the book (a neighbour
/// `.docx`, or a Markdown chapter named as the target), nor to a name
/// without `.docx`; a copy left in the book's folder is noted, since the
/// next check would read it as a chapter; a missing folder is named.
#[test]
fn annotate_spares_the_chapters_and_says_where_the_copy_goes() {
    let dir = book(
        &[
            ("python-docx/novel.docx", "novel.docx"),
            ("libreoffice/novel.docx", "other.docx"),
        ],
        &[("a.md", b"She said the the word.\n")],
    );
    let other = fs::read(dir.path().join("other.docx")).expect("read");
    let out = run(
        dir.path(),
        &["check", "novel.docx", "--annotate", "other.docx"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        unwrapped(&out.stderr).contains(
            "other.docx is a chapter file of the book; not replacing it with the annotated copy (choose another --annotate file)"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(
        fs::read(dir.path().join("other.docx")).expect("read"),
        other
    );

    let chapter = fs::read(dir.path().join("a.md")).expect("read");
    for target in ["a.md", "reviewed.txt", "reviewed"] {
        let out = run(dir.path(), &["check", "novel.docx", "--annotate", target]);
        assert_eq!(out.code, 2, "{target}: {}", out.stderr);
        assert!(
            unwrapped(&out.stderr).contains(&format!(
                "--annotate {target} would write a Word document without the .docx extension"
            )),
            "{}",
            out.stderr
        );
    }
    assert_eq!(fs::read(dir.path().join("a.md")).expect("read"), chapter);
    assert!(!dir.path().join("reviewed.txt").exists());
    assert!(!dir.path().join("reviewed").exists());

    let out = run(
        dir.path(),
        &["check", "novel.docx", "--annotate", "reviewed.docx"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        unwrapped(&out.stderr).contains(
            "reviewed.docx is in the manuscript's folder: the next check will read the copy as a chapter"
        ),
        "{}",
        out.stderr
    );
    let out = run(
        dir.path(),
        &[
            "check",
            "novel.docx",
            "--annotate",
            "elsewhere/reviewed.docx",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        unwrapped(&out.stderr)
            .contains("cannot write elsewhere/reviewed.docx: the folder elsewhere does not exist"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(".tmp"), "{}", out.stderr);
}

/// A finding whose span is inside one run of many, across runs, or in the
/// middle of a run with other formatting keeps that formatting on both
/// halves, and the copy still reads as the same text.
#[test]
fn annotate_splits_runs_and_keeps_text() {
    let dir = book(&[("libreoffice/novel.docx", "novel.docx")], &[]);
    let out = run(
        dir.path(),
        &["check", "novel.docx", "--annotate", "out.docx"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let comments =
        manulint::docx::annotate::read_comments(&dir.path().join("out.docx")).expect("reads back");
    let anchors: Vec<(u32, &str)> = comments
        .iter()
        .filter(|c| c.author.as_deref() == Some("manulint"))
        .map(|c| (c.paragraph, c.anchored.as_str()))
        .collect();
    assert_eq!(anchors, [(4, "Jurassic Park"), (6, ""), (11, "TK")]);
    let again = run(dir.path(), &["check", "out.docx", "--format", "short"]);
    assert_eq!(findings(&again.stdout).len(), 3, "{}", again.stdout);
    libreoffice_reads_comments(dir.path(), "out.docx", 3);
}

// ------------------------------------------------------------ bad input

const DOUBLED: &[u8] = b"Chapter 2\n\nShe opened the\nthe door.\n";
const DOUBLED_AT: &str = "a.txt:3:12: warning[doubled-word]";

/// A minimal package whose `word/document.xml` is `document`, stored with
/// deflate.
fn package(document: &[u8]) -> Vec<u8> {
    package_with(|w| w.write_all(document))
}

/// Every kind of unreadable `.docx` in one folder with a good chapter: each
/// named with what it is and what to do, exit 2, the good chapter's
/// finding still reported.
#[test]
fn bad_docx_files_are_errors_and_the_rest_is_checked() {
    let good = fs::read(fixture("python-docx/novel.docx")).expect("fixture");
    let truncated = good[..good.len() / 2].to_vec();
    let mut damaged_entry = good.clone();
    // Garble compressed data in the middle of the archive (not a header).
    let middle = damaged_entry.len() / 3;
    for b in &mut damaged_entry[middle..middle + 64] {
        *b = !*b;
    }
    let dir = book(
        &[
            ("bad/old-word.docx", "old-word.docx"),
            ("bad/password.docx", "password.docx"),
        ],
        &[
            ("a.txt", DOUBLED),
            ("truncated.docx", &truncated),
            ("empty.docx", b""),
            (
                "notes.docx",
                b"Just some notes, saved under the wrong name.\n",
            ),
            ("no-document.docx", &package(b"")[..]),
            (
                "bad-xml.docx",
                &package(b"<w:document xmlns:w=\"x\"><w:body><w:p></w:r></w:body>")[..],
            ),
            // Entities a DTD declares were dropped, and their paragraph's
            // text lost without a word.
            (
                "dtd.docx",
                &package(br#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY e "lol">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:body></w:document>"#)[..],
            ),
            (
                "entity.docx",
                &package(br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>It was &e; late.</w:t></w:r></w:p></w:body></w:document>"#)[..],
            ),
        ],
    );
    let out = run(dir.path(), &["check", ".", "--format", "short"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.contains(DOUBLED_AT), "{}", out.stdout);
    let expected = [
        "old-word.docx: this is an old Word 97–2003 document (.doc), not a .docx",
        "open it in Word or LibreOffice and save it as .docx",
        "password.docx: the document is password-protected (encrypted)",
        "check a copy without the password",
        "truncated.docx: the document is damaged",
        "notes.docx: not a Word document",
        "bad-xml.docx: the document is damaged: word/document.xml is not valid XML",
        "open it in Word (which offers to repair it)",
        "dtd.docx: the document is damaged: word/document.xml is not valid XML (a document type declaration (DTD) at byte 21, which Word never writes)",
        "entity.docx: the document is damaged: word/document.xml is not valid XML (unknown entity &e; after byte",
    ];
    let stderr = unwrapped(&out.stderr);
    for text in expected {
        assert!(stderr.contains(text), "no {text:?} in\n{}", out.stderr);
    }
    // A package whose document part is empty is not damaged: it has no
    // text (a warning); nor is a file of no bytes, a placeholder chapter
    // Windows' “New ▸ Microsoft Word Document” makes.
    assert!(
        stderr.contains("no-document.docx: skipped, the document has no text"),
        "{}",
        out.stderr
    );
    assert!(
        stderr.contains("empty.docx: skipped, the file is empty (0 bytes)"),
        "{}",
        out.stderr
    );
    assert!(
        !stderr.contains("empty.docx: not a Word document"),
        "{}",
        out.stderr
    );
}

/// The HTML report names a Word chapter by its heading exactly as typed
/// (`<` and `&` escaped for HTML, no spaces added where Markdown would
/// need an escape), once.
#[test]
fn html_report_quotes_word_headings_as_typed() {
    let heading = |text: &str| {
        format!(
            r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    };
    let paragraph = |text: &str| format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>");
    let document = format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{}{}{}{}</w:body></w:document>"#,
        heading("Chapter 1: a&lt;i&gt;b&lt;/i&gt;c"),
        paragraph("It was a quiet morning on the harbour."),
        heading("Chapter 2: Tom &amp; Jerry"),
        paragraph("The boats came in at dawn."),
    );
    let dir = book(&[], &[("book.docx", &package(document.as_bytes()))]);
    let out = run(dir.path(), &["check", "book.docx", "--format", "html"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for typed in [
        "Chapter 1: a&lt;i&gt;b&lt;/i&gt;c",
        "Chapter 2: Tom &amp; Jerry",
    ] {
        assert!(
            out.stdout.contains(&format!("book.docx ({typed})")),
            "{typed}"
        );
    }
    assert!(
        !out.stdout.contains("a &lt;i&gt;b &lt;/i&gt;c"),
        "escape shown as a space"
    );
}

/// A Word chapter has no front matter to give its language: an
/// `[[overrides]]` entry naming it does, so a French chapter of an English
/// book is read as French (its doubled article “la la” found, no English
/// echo rules on it). A tag that is no language is a config error.
#[test]
fn an_override_gives_a_word_chapter_its_language() {
    let paragraph = |text: &str| format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>");
    let document = format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{}{}</w:body></w:document>"#,
        paragraph("Chapitre trois"),
        paragraph("Il fallait passer la la charrette avant la nuit, et elle ne disait rien."),
    );
    let english = "Chapter 1\n\nThe boats came in at dawn, and the men were tired. They had been out all night on the water, and there was nothing in the nets but weed and the cold. She waited for them at the end of the pier with the lamp.\n";
    let dir = book(
        &[],
        &[
            ("ch01.txt", english.as_bytes()),
            ("ch03-fr.docx", &package(document.as_bytes())),
        ],
    );
    let doubled = "ch03-fr.docx:¶2:19: warning[doubled-word] “la” is written twice in a row";
    let out = run(
        dir.path(),
        &["check", ".", "--format", "short", "--no-group"],
    );
    assert!(!out.stdout.contains(doubled), "{}", out.stdout);
    fs::write(
        dir.path().join("manulint.toml"),
        "[[overrides]]\nfiles = [\"ch03-*.docx\"]\nlanguage = \"fr\"\n",
    )
    .expect("config");
    let out = run(
        dir.path(),
        &[
            "check",
            ".",
            "--format",
            "short",
            "--no-group",
            "-v",
            "--width",
            "300",
        ],
    );
    assert!(out.stdout.contains(doubled), "{}", out.stdout);
    assert!(
        out.stderr.contains(
            "note: ch03-fr.docx: written in French ([[overrides]] in manulint.toml says so)"
        ),
        "{}",
        out.stderr
    );
    fs::write(
        dir.path().join("manulint.toml"),
        "[[overrides]]\nfiles = [\"ch03-*.docx\"]\nlanguage = \"klingonese\"\n",
    )
    .expect("config");
    let out = run(dir.path(), &["check", ".", "--width", "300"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("manulint.toml:3:12"), "{}", out.stderr);
}

/// Beside a document open in Word, Word's owner file (`~$book.docx`, a few
/// bytes and no document) is no chapter: the folder is checked as if it
/// were not there. A folder whose only chapter files are skipped says so,
/// not that none was found.
#[test]
fn word_owner_files_are_not_chapters_and_skipped_files_are_said() {
    let mut owner = b"\x07Ed Ito".to_vec();
    owner.extend([b' '; 47]);
    owner.extend(b"\x07\x00E\x00d\x00");
    owner.extend([0u8; 100]);
    let dir = book(
        &[],
        &[
            ("a.txt", DOUBLED),
            ("~$book.docx", &owner),
            ("~$apter-02.docx", &owner),
        ],
    );
    let out = run(dir.path(), &["check", ".", "--format", "short"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(DOUBLED_AT), "{}", out.stdout);
    assert!(!out.stderr.contains("~$"), "{}", out.stderr);

    let empty = book(&[], &[("chapter-03.docx", b"")]);
    let out = run(empty.path(), &["check", "."]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let stderr = unwrapped(&out.stderr);
    assert!(
        stderr.contains("chapter-03.docx: skipped, the file is empty (0 bytes)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("nothing to check: every chapter file was skipped (see above)"),
        "{stderr}"
    );
    assert!(!stderr.contains("no chapter files found"), "{stderr}");
}
