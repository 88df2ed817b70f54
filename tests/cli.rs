//! End-to-end tests of the `manulint` binary: formats, exit codes and every
//! bad-input path the foundation promises to survive.

use std::fs;
use std::path::Path;

use predicates::prelude::*;

mod common;
use common::{Run, book, book_of_text, json, manulint, run, write};

const CLEAN: &[u8] = b"Chapter 1\n\nMarisol opened the shop at nine.\n";
const DOUBLED: &[u8] = b"Chapter 2\n\nShe opened the\nthe door.\n";

#[test]
fn sample_novel_human_output_and_exit_code() {
    manulint()
        .args([
            "check",
            "fixtures/sample-novel/",
            "--color",
            "never",
            "--select",
            "doubled-word,draft-marker",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("doubled-word"))
        .stdout(predicate::str::contains(
            "fixtures/sample-novel/chapter-02.txt:48:67",
        ))
        .stdout(predicate::str::contains("Found 4 errors, 2 warnings"));
}

#[test]
fn short_format_is_one_line_per_finding_in_reading_order() {
    let dir = book(&[
        ("ch-10.txt", DOUBLED),
        ("ch-2.txt", b"TODO fix.\n\nMore text here.\n"),
    ]);
    let output = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--format", "short", "--fail-on", "never"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "ch-2.txt:1:1: error[draft-marker] draft marker “TODO” left in the text",
            "ch-10.txt:3:12: warning[doubled-word] “the” is written twice in a row",
        ]
    );
    assert!(lines[2].starts_with("Found 1 error, 1 warning and 0 infos in 2 files (12 words)"));
}

#[test]
fn json_format_has_exactly_the_documented_keys() {
    let dir = book(&[("ch1.md", DOUBLED)]);
    let output = manulint()
        .current_dir(dir.path())
        .args(["check", "ch1.md", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "warnings do not fail by default"
    );
    let json = json(&output.stdout);
    assert_eq!(json["version"], 4);
    assert_eq!(json["unchecked"], serde_json::json!([]));
    assert_eq!(
        json["summary"],
        serde_json::json!({"files": 1, "words": 7, "errors": 0, "warnings": 1, "infos": 0})
    );
    let d = &json["diagnostics"][0];
    let mut keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "byte_end",
            "byte_start",
            "chapter",
            "column",
            "end_column",
            "end_line",
            "facts",
            "file",
            "fix",
            "help",
            "line",
            "message",
            "note",
            "related",
            "rule",
            "severity"
        ]
    );
    assert_eq!(d["note"], serde_json::Value::Null);
    assert_eq!(d["rule"], "doubled-word");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["file"], "ch1.md");
    assert_eq!(d["chapter"], serde_json::Value::Null);
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(12))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(4), Some(4))
    );
    assert_eq!(
        (d["byte_start"].as_u64(), d["byte_end"].as_u64()),
        (Some(22), Some(29))
    );
    assert_eq!(d["help"], "delete one “the”");
    assert_eq!(d["related"], serde_json::json!([]));
}

#[test]
fn crlf_files_keep_exact_spans() {
    let dir = book(&[("a.txt", b"Chapter 2\r\n\r\nShe opened the\r\nthe door.\r\n")]);
    let output = manulint()
        .current_dir(dir.path())
        .args(["check", "a.txt", "--format", "json"])
        .output()
        .unwrap();
    let d = &json(&output.stdout)["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(12))
    );
    assert_eq!(
        (d["byte_start"].as_u64(), d["byte_end"].as_u64()),
        (Some(24), Some(32))
    );
}

#[test]
fn fail_on_warning_exits_1() {
    let dir = book(&[("a.txt", DOUBLED)]);
    manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--fail-on", "warning", "-q"])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("Found 0 errors, 1 warning"));
}

/// `-q` prints the summary only: the run's notes (no story year) are left
/// out with the findings, and still shown without it.
#[test]
fn quiet_leaves_out_notes() {
    let dir = book(&[("a.txt", DOUBLED)]);
    let run = |quiet: bool| {
        let mut command = manulint();
        command.current_dir(dir.path()).args(["check", "."]);
        if quiet {
            command.arg("-q");
        }
        let out = command.output().unwrap();
        String::from_utf8(out.stderr).unwrap()
    };
    assert!(run(false).contains("note: anachronism: no story year in a.txt"));
    assert_eq!(run(true), "");
}

/// `-q` never empties a machine format: a SARIF log without its results
/// would tell code scanning every alert was fixed, and a JSON or JUnit
/// report without its findings would pass a failing run. It still leaves
/// out the notes on stderr.
#[test]
fn quiet_keeps_every_finding_in_the_machine_formats() {
    let dir = book(&[("a.txt", DOUBLED)]);
    let run = |format: &str, quiet: bool| {
        let mut command = manulint();
        command.current_dir(dir.path()).args([
            "check",
            ".",
            "--fail-on",
            "warning",
            "--format",
            format,
        ]);
        if quiet {
            command.arg("-q");
        }
        let out = command.output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    for format in ["json", "sarif", "github", "checkstyle", "junit", "gitlab"] {
        let (loud, loud_notes) = run(format, false);
        let (quiet, quiet_notes) = run(format, true);
        assert!(loud.contains("doubled-word"), "{format}: {loud}");
        // The same findings; JSON and SARIF also time the run.
        let untimed = |s: &str| {
            s.lines()
                .filter(|l| !l.contains("elapsed") && !l.contains("Time"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(untimed(&quiet), untimed(&loud), "{format}");
        assert!(
            loud_notes.contains("no story year"),
            "{format}: {loud_notes}"
        );
        assert!(
            !quiet_notes.contains("no story year"),
            "{format}: {quiet_notes}"
        );
    }
    let (short, _) = run("short", true);
    assert!(short.starts_with("Found 0 errors, 1 warning"), "{short}");
}

#[test]
fn select_ignore_and_level_options() {
    let dir = book(&[("a.txt", b"TODO: the the end.\n")]);
    let run = |args: &[&str]| {
        let out = manulint()
            .current_dir(dir.path())
            .args(["check", ".", "--format", "json"])
            .args(args)
            .output()
            .unwrap();
        let json = json(&out.stdout);
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                format!(
                    "{}:{}",
                    d["rule"].as_str().unwrap(),
                    d["severity"].as_str().unwrap()
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(run(&[]), ["draft-marker:error", "doubled-word:warning"]);
    assert_eq!(run(&["--select", "doubled-word"]), ["doubled-word:warning"]);
    assert_eq!(
        run(&["--ignore", "doubled-word,draft-marker"]),
        Vec::<String>::new()
    );
    assert_eq!(
        run(&[
            "--level",
            "doubled-word=error",
            "--level",
            "draft-marker=off"
        ]),
        ["doubled-word:error"]
    );
}

#[test]
fn unknown_rule_on_command_line_suggests_a_fix() {
    manulint()
        .args(["check", "fixtures/sample-novel", "--select", "doubled-wrod"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule `doubled-wrod`"))
        .stderr(predicate::str::contains("did you mean `doubled-word`?"));
}

/// The mistakes in the rule tables of `manulint.toml` are reported in one
/// run, in the file's order (an unknown rule, each bad option of a table,
/// a bad level), where only the first was and a writer mended them one run
/// at a time.
#[test]
fn every_mistake_in_the_rule_tables_is_reported_at_once() {
    let dir = book(&[
        ("a.txt", DOUBLED),
        (
            "manulint.toml",
            b"[rules.doubled-wrd]\nlevel = \"error\"\n\n[rules.word-echo]\nwindow = \"x\"\nwindw = 3\n\n[rules.cliche]\nlevel = \"loud\"\n"
                .as_slice(),
        ),
    ]);
    let out = run(dir.path(), &["check", ".", "--width", "300"]);
    assert_eq!(out.code, 2);
    let stderr = &out.stderr;
    let errors: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("× "))
        .map(|l| l.split(", expected one of `level`").next().unwrap())
        .collect();
    assert_eq!(
        errors,
        [
            "unknown rule `doubled-wrd`",
            "invalid options for rule `word-echo`: `window`: invalid type: string \"x\", expected a whole number of 0 or more",
            "invalid options for rule `word-echo`: unknown field `windw`",
            "unknown level `loud`: expected off, info, warning or error",
        ],
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `doubled-word`?"), "{stderr}");
    assert!(stderr.contains("did you mean `window`?"), "{stderr}");
}

/// A mistake serde stops at (an unknown table such as `[stroy]`, a value
/// of the wrong type) no longer hides the rest of the file: each is
/// reported, and the rule tables are checked too, options of a table with
/// a bad level among them, each at its place (a misspelt option at its
/// name), in the file's order.
#[test]
fn an_unknown_table_does_not_hide_the_other_mistakes() {
    let dir = book(&[
        ("a.txt", DOUBLED),
        (
            "manulint.toml",
            b"[stroy]\nyear = 1950\n\n[rules.doubled-word]\nlevel = \"eror\"\nfoo = 1\n\n\
[rules.cliche]\nlevl = \"off\"\n\n[manuscript]\nlanguage = 5\nextensions = [\"txt\"]\n\n\
[rules.doubled-wrd]\nlevel = \"off\"\n"
                .as_slice(),
        ),
    ]);
    let out = run(dir.path(), &["check", ".", "--width", "300"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let stderr = &out.stderr;
    let errors: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("× "))
        .collect();
    let config = dir.path().join("manulint.toml");
    let config = config.display();
    assert_eq!(
        errors,
        [
            format!(
                "invalid {config}: unknown field `stroy`, expected one of `fail-on`, `max-warnings`, `baseline`, `manuscript`, `packs`, `story`, `names`, `rules`, `overrides`"
            ),
            "unknown level `eror`: expected off, info, warning or error".to_string(),
            "invalid options for rule `doubled-word`: unknown field `foo`, expected `level`, `allow` or `also-allow`".to_string(),
            "invalid options for rule `cliche`: unknown field `levl`, expected `level` or `allow`".to_string(),
            format!("invalid {config}: invalid type: integer `5`, expected a string"),
            "unknown rule `doubled-wrd`".to_string(),
        ],
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `story`?"), "{stderr}");
    assert!(stderr.contains("did you mean `level`?"), "{stderr}");
    assert!(stderr.contains("did you mean `doubled-word`?"), "{stderr}");
    // The misspelt option is marked at its name, line 9, column 1.
    assert!(stderr.contains("manulint.toml:9:1]"), "{stderr}");
    assert!(stderr.contains("manulint.toml:6:1]"), "{stderr}");
}

/// A rule rejects options it does not have, naming those it has: a
/// misspelt `levle` in `[rules.quote-style]` was accepted without a word
/// (seven rules; three of them now take a house style, `prefer`).
#[test]
fn a_rule_rejects_options_it_does_not_have() {
    for (id, expected) in [
        ("wikilink", "`level` (the rule has no other options)"),
        ("quote-style", "`level` or `prefer`"),
        ("dialogue-dash", "`level` or `prefer`"),
        ("ellipsis-style", "`level` or `prefer`"),
        (
            "abbreviation-style",
            "`level` (the rule has no other options)",
        ),
        ("truncated-text", "`level` (the rule has no other options)"),
        ("bad-directive", "`level` (the rule has no other options)"),
    ] {
        let dir = book(&[
            ("a.txt", CLEAN),
            (
                "manulint.toml",
                format!("[rules.{id}]\nlevle = \"off\"\n").as_bytes(),
            ),
        ]);
        let out = run(dir.path(), &["check", ".", "--width", "300"]);
        assert_eq!(out.code, 2, "{id}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!(
                "invalid options for rule `{id}`: unknown field `levle`, expected {expected}"
            )),
            "{id}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains("did you mean `level`?"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn missing_path_exits_2_naming_it_but_checks_the_rest() {
    let dir = book(&[("a.txt", DOUBLED)]);
    manulint()
        .current_dir(dir.path())
        .args(["check", "a.txt", "nowhere/", "--format", "short"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nowhere/: no such file or folder"))
        .stdout(predicate::str::contains(
            "a.txt:3:12: warning[doubled-word]",
        ));
}

#[test]
fn folder_without_chapters_exits_2() {
    let dir = book(&[("META.toml", b"title = 'x'\n"), ("cover.png", b"\x89PNG")]);
    manulint()
        .current_dir(dir.path())
        .args(["check", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no chapter files found under . (looked for .md, .markdown, .txt, .text, .docx)",
        ));
}

#[test]
fn binary_file_is_an_error_and_others_are_checked() {
    // More binary and undecodable files: tests/bad_input.rs.
    let dir = book(&[
        ("a.txt", DOUBLED),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    ]);
    manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--format", "short"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "image.txt: not a text file: it looks like a PNG image",
        ))
        .stdout(predicate::str::contains("a.txt:3:12"))
        .stdout(predicate::str::contains("in 1 file"));
}

#[test]
fn invalid_utf8_names_line_and_column_and_others_are_checked() {
    let dir = book(&[
        ("a.txt", DOUBLED),
        ("b.txt", b"Fine line.\nCaf\xe9 society.\n"),
    ]);
    manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--format", "short"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "b.txt: invalid UTF-8 at line 2, column 4 (byte 0xE9)",
        ))
        .stderr(predicate::str::contains("--encoding windows-1252"))
        .stdout(predicate::str::contains(
            "a.txt:3:12: warning[doubled-word]",
        ));
    manulint()
        .current_dir(dir.path())
        .args([
            "check",
            ".",
            "--format",
            "short",
            "--encoding",
            "windows-1252",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("in 2 files"));
}

#[test]
fn utf16_with_bom_is_decoded() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "She opened the the door.\n".encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    let dir = book(&[("a.txt", &bytes)]);
    manulint()
        .current_dir(dir.path())
        .args(["check", "a.txt", "--format", "short"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "a.txt:1:12: warning[doubled-word]",
        ));
}

#[test]
fn empty_file_is_fine() {
    let dir = book(&[("empty.md", b"")]);
    manulint()
        .current_dir(dir.path())
        .args(["check", "."])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "No problems found in 1 file (0 words)",
        ));
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_an_error_and_others_are_checked() {
    use std::os::unix::fs::PermissionsExt;
    let dir = book(&[("a.txt", DOUBLED), ("locked.txt", CLEAN)]);
    let locked = dir.path().join("locked.txt");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&locked).is_ok() {
        // Root reads mode-000 files; /proc/self/mem is unreadable even for root.
        fs::remove_file(&locked).unwrap();
        std::os::unix::fs::symlink("/proc/self/mem", &locked).unwrap();
    }
    manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--format", "short"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read locked.txt: "))
        .stdout(predicate::str::contains("a.txt:3:12"));
}

#[cfg(unix)]
#[test]
fn unreadable_folder_entry_is_reported() {
    // A dangling symlink cannot be read: the run reports it and goes on.
    let dir = book(&[("a.txt", DOUBLED)]);
    std::os::unix::fs::symlink(dir.path().join("gone.txt"), dir.path().join("b.txt")).unwrap();
    manulint()
        .current_dir(dir.path())
        .args(["check", "a.txt", "b.txt", "--format", "short"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("b.txt: no such file or folder"))
        .stdout(predicate::str::contains("a.txt:3:12"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_do_not_hang() {
    let dir = book(&[("book/a.txt", DOUBLED)]);
    std::os::unix::fs::symlink(dir.path().join("book"), dir.path().join("book/loop")).unwrap();
    manulint()
        .current_dir(dir.path())
        .timeout(std::time::Duration::from_secs(20))
        .args(["check", "book", "--format", "short"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "skipped a symlink loop under book",
        ))
        .stdout(predicate::str::contains("in 1 file"));
}

/// A chapter linked into the chapters folder from a drafts folder that is
/// walked too is one chapter: checked twice, it was a copy of itself
/// (a repeated sentence), its doubled word was reported twice, and `--fix`
/// fixed it twice and failed with "the file changed on disk".
#[cfg(unix)]
#[test]
fn a_file_two_paths_lead_to_is_checked_and_fixed_once() {
    let dir = book(&[("drafts/real.txt", DOUBLED)]);
    fs::create_dir(dir.path().join("chapters")).unwrap();
    std::os::unix::fs::symlink("../drafts/real.txt", dir.path().join("chapters/six.txt")).unwrap();
    manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--format", "short", "--width", "300"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "chapters/six.txt:3:12: warning[doubled-word]",
        ))
        .stdout(predicate::str::contains("drafts/real.txt").not())
        .stdout(predicate::str::contains("in 1 file"))
        .stderr(predicate::str::contains(
            "skipped drafts/real.txt: it is the same file as chapters/six.txt (through a symbolic link), checked once",
        ));
    manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--fix", "--format", "short"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("Fixed 1 finding in 1 file"))
        .stdout(predicate::str::contains("No problems found in 1 file"));
    let fixed = fs::read_to_string(dir.path().join("drafts/real.txt")).unwrap();
    assert_eq!(fixed.matches("the the").count(), 0, "{fixed}");
}

#[test]
fn a_broken_link_is_an_error_for_a_chapter_and_ignored_for_anything_else() {
    let dir = book(&[("book/a.txt", DOUBLED)]);
    let book = dir.path().join("book");
    std::os::unix::fs::symlink("cover-gone.png", book.join("cover.png")).unwrap();
    manulint()
        .current_dir(dir.path())
        .args(["check", "book", "--format", "short"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("cover").not());
    std::os::unix::fs::symlink("draft-gone.md", book.join("two.md")).unwrap();
    manulint()
        .current_dir(dir.path())
        .args(["check", "book", "--format", "short", "--width", "200"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot check book/two.md: it is a link to draft-gone.md, which does not exist",
        ))
        .stderr(predicate::str::contains("cover").not())
        // The other chapter is still checked, and the summary counts the
        // one that was not.
        .stdout(predicate::str::contains("book/a.txt:3:12"))
        .stdout(predicate::str::contains("in 1 file (7 words)"))
        .stdout(predicate::str::contains(
            "; 1 file could not be checked (see above)",
        ));
}

#[test]
fn file_links_that_lead_to_each_other_are_skipped_with_a_warning() {
    let dir = book(&[("book/a.txt", DOUBLED)]);
    let book = dir.path().join("book");
    std::os::unix::fs::symlink("two.md", book.join("one.md")).unwrap();
    std::os::unix::fs::symlink("one.md", book.join("two.md")).unwrap();
    manulint()
        .current_dir(dir.path())
        .timeout(std::time::Duration::from_secs(20))
        .args(["check", "book", "--format", "short", "--width", "200"])
        .assert()
        // The doubled word: the links are no error.
        .code(0)
        .stderr(predicate::str::contains(
            "skipped a symlink loop under book: book/one.md leads back to itself",
        ))
        .stderr(predicate::str::contains(
            "skipped a symlink loop under book: book/two.md leads back to itself",
        ))
        .stderr(predicate::str::contains("IO error").not())
        .stdout(predicate::str::contains("in 1 file"));
}

#[test]
fn chapters_of_one_file_name_in_two_folders_are_named_by_path() {
    let para = "The reels came in a box that smelled of vinegar and dust, each can labelled in a hand nobody at the shop could read, and Marisol set them on the counter one by one.\n";
    let text = format!("Chapter\n\n{para}");
    let dir = book(&[
        ("part1/chapter-01.txt", text.as_bytes()),
        ("part2/chapter-01.txt", b"Chapter\n\nRain all week.\n"),
        ("part2/chapter-02.txt", text.as_bytes()),
        ("part2/epilogue.txt", text.as_bytes()),
    ]);
    manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--select", "duplicate-paragraph", "--format", "short"])
        .assert()
        .code(1)
        // Where two chapters share a file name, messages give the path;
        // a file name no other chapter has stays short.
        .stdout(predicate::str::contains(
            "part2/epilogue.txt:3:1: error[duplicate-paragraph] this paragraph appears 3 times: 100% of it repeats part1/chapter-01.txt:3, chapter-02.txt:3",
        ));
    let dir = book(&[
        ("a/one.txt", text.as_bytes()),
        ("b/two.txt", text.as_bytes()),
    ]);
    manulint()
        .current_dir(dir.path())
        .args([
            "check",
            ".",
            "--select",
            "duplicate-paragraph",
            "--format",
            "short",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "100% of this paragraph repeats one.txt:3",
        ));
}

#[test]
fn files_left_out_by_include_are_named_not_dropped_in_silence() {
    let dir = book(&[
        ("chapters/a.md", b"Chapter\n\nShe opened the the door.\n"),
        ("notes/n.md", b"TODO fix the ending\n"),
        (
            "manulint.toml",
            b"[manuscript]\ninclude = [\"chapters/**\"]\n",
        ),
    ]);
    // A file outside the manuscript, passed alone: the run says why it
    // reports on nothing (with others, only --verbose does: a hook passes
    // every staged file).
    manulint()
        .current_dir(dir.path())
        .args(["check", "notes/n.md", "--width", "200"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "ignored notes/n.md: not a chapter of the manuscript ([manuscript] include in manulint.toml)",
        ));
    // An include that matches nothing is an error that names it.
    write(
        dir.path(),
        "manulint.toml",
        "[manuscript]\ninclude = [\"chapter/**\"]\n",
    );
    manulint()
        .current_dir(dir.path())
        .args(["check", "chapters", "--width", "200"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the chapter file under chapters is not in the manuscript: `include` in manulint.toml does not match it",
        ))
        .stderr(predicate::str::contains("no chapter files found").not());
}

/// A hook passes the staged chapter; a paragraph pasted into it from a
/// later chapter is reported (at the later copy, where the finding is),
/// since one of its places is the staged chapter. Other findings of the
/// later chapter are not.
#[test]
fn a_copy_made_in_the_file_given_is_reported_at_its_other_place() {
    let pasted = "Margaret untied the string of the parcel and found the letters her mother had kept for forty years.";
    let dir = book(&[
        (
            "chapters/01.md",
            format!("# One\n\nThe bus left her at the crossroads.\n\n{pasted}\n").as_bytes(),
        ),
        (
            "chapters/04.md",
            format!("# Four\n\n{pasted}\n\nShe read the the first one.\n").as_bytes(),
        ),
        (
            "manulint.toml",
            b"[manuscript]\ninclude = [\"chapters/**\"]\n",
        ),
    ]);
    let out = manulint()
        .current_dir(dir.path())
        .args(["check", "chapters/01.md", "--format", "short"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let findings: Vec<&str> = stdout
        .lines()
        .filter(|l| !l.starts_with(' '))
        .map(|l| l.split(" in 0.").next().unwrap())
        .collect();
    assert_eq!(
        findings,
        [
            "chapters/04.md:3:1: error[duplicate-paragraph] 100% of this paragraph repeats 01.md:5 (an exact copy)",
            "Found 1 error, 0 warnings and 0 infos in 1 file (26 words)",
        ],
        "{stdout}"
    );
}

#[test]
fn gitignored_and_hidden_files_are_skipped() {
    let dir = book(&[
        (".gitignore", b"drafts/\n"),
        ("a.txt", CLEAN),
        ("drafts/old.txt", DOUBLED),
        (".notes.md", DOUBLED),
    ]);
    manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--format", "short"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("No problems found in 1 file"));
}

#[test]
fn broken_config_exits_2_showing_the_toml_line() {
    let dir = book(&[
        ("a.txt", CLEAN),
        ("manulint.toml", b"[manuscript]\nincldue = [\"*.txt\"]\n"),
    ]);
    manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--color", "never"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown field `incldue`"))
        .stderr(predicate::str::contains("2 │ incldue = [\"*.txt\"]"))
        .stderr(predicate::str::contains("did you mean `include`?"));
}

#[test]
fn invalid_toml_syntax_exits_2() {
    let dir = book(&[
        ("a.txt", CLEAN),
        ("manulint.toml", b"[rules.doubled-word\nlevel = 3\n"),
    ]);
    manulint()
        .current_dir(dir.path())
        .args(["check", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid"))
        .stderr(predicate::str::contains("manulint.toml"));
}

#[test]
fn unknown_rule_in_config_suggests_a_fix() {
    let dir = book(&[
        ("a.txt", CLEAN),
        ("manulint.toml", b"[rules.draft-marke]\nlevel = \"off\"\n"),
    ]);
    manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--color", "never"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule `draft-marke`"))
        .stderr(predicate::str::contains("did you mean `draft-marker`?"));
}

/// A mistyped `level` in a rule's table is named among the keys the table
/// takes, with a suggestion, where serde listed only the rule's options.
#[test]
fn a_mistyped_level_in_a_rule_table_is_suggested() {
    let dir = book(&[
        ("a.txt", CLEAN),
        ("manulint.toml", b"[rules.anachronism]\nlevl = \"off\"\n"),
    ]);
    manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--color", "never", "--width", "200"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown field `levl`, expected `level`, `entities` or `allow`",
        ))
        .stderr(predicate::str::contains("did you mean `level`?"));
}

/// Command-line mistakes are usage errors, not config errors; a rule id in
/// capitals is the rule; a negative story year (BC) is a value, where clap
/// took `-5` for an option and its tip did not work.
#[test]
fn command_line_rule_ids_and_negative_years() {
    manulint()
        .args(["explain", "anachronsim", "--color", "never"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("usage error\n"))
        .stderr(predicate::str::contains("did you mean `anachronism`?"));
    // A word of an id names the rules it is part of.
    for (word, help) in [
        ("echo", "did you mean `word-echo`?"),
        (
            "style",
            "did you mean `quote-style`, `ellipsis-style` or `abbreviation-style`?",
        ),
    ] {
        manulint()
            .args(["explain", word, "--color", "never"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(help));
    }
    manulint()
        .args(["explain", "ANACHRONISM"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("# anachronism\n"));
    let dir = book(&[("a.txt", b"Chapter 1\n\nHe sent a telegram to Rome.\n")]);
    manulint()
        .current_dir(dir.path())
        .args([
            "check",
            ".",
            "--year",
            "-5",
            "--format",
            "short",
            "--select",
            "anachronism",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "a.txt:3:11: error[anachronism] “telegram” (word, 1852) is later than the story year 5 BC, from --year",
        ));
}

#[test]
fn config_is_found_upward_and_rule_options_apply() {
    let dir = book(&[
        ("manulint.toml", b"[rules.doubled-word]\nlevel = \"error\"\nallow = [\"the\"]\n\n[rules.draft-marker]\nmarkers = [\"NOTE\"]\n"),
        ("book/a.txt", b"NOTE: the the end. TODO.\n"),
    ]);
    manulint()
        .current_dir(dir.path().join("book"))
        .args(["check", ".", "--format", "short"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "a.txt:1:1: error[draft-marker] draft marker “NOTE” left in the text",
        ))
        .stdout(predicate::str::contains("doubled-word").not())
        .stdout(predicate::str::contains("TODO").not());
}

#[test]
fn a_manulint_toml_that_is_not_a_file_is_an_error_not_skipped() {
    // The parent's settings turn draft-marker off: reading them instead of
    // the broken one below would hide the TODO.
    let dir = book(&[
        ("manulint.toml", b"[rules.draft-marker]\nlevel = \"off\"\n"),
        ("book/a.txt", b"Chapter\n\nTODO write the storm.\n"),
    ]);
    let book_dir = dir.path().join("book");
    fs::create_dir(book_dir.join("manulint.toml")).unwrap();
    manulint()
        .current_dir(&book_dir)
        .args(["check", ".", "--width", "300"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "manulint.toml: not a regular file",
        ))
        .stderr(predicate::str::contains("rename or remove what is there"));
    fs::remove_dir(book_dir.join("manulint.toml")).unwrap();
    std::os::unix::fs::symlink("gone.toml", book_dir.join("manulint.toml")).unwrap();
    manulint()
        .current_dir(&book_dir)
        .args(["check", ".", "--width", "300"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "manulint.toml: it is a link to gone.toml, which does not exist",
        ));
}

#[test]
fn a_bad_level_on_the_command_line_is_not_blamed_on_the_config() {
    let dir = book(&[
        ("a.txt", CLEAN),
        ("manulint.toml", b"fail-on = \"warning\"\n"),
    ]);
    for (spec, said) in [
        (
            "quote-style=loud",
            "--level `quote-style=loud`: unknown level `loud`",
        ),
        ("quote-style", "--level `quote-style` is not RULE=LEVEL"),
    ] {
        usage_error(dir.path(), &["--level", spec], said)
            .stderr(predicate::str::contains("manulint.toml").not());
    }
}

/// `manulint check . ARGS` in `dir`: exit 2, with `said` on stderr.
fn usage_error(dir: &Path, args: &[&str], said: &str) -> assert_cmd::assert::Assert {
    manulint()
        .current_dir(dir)
        .args(["check", ".", "--width", "300"])
        .args(args)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(said))
}

#[test]
fn select_that_leaves_no_rule_is_a_usage_error() {
    let dir = book(&[
        ("a.txt", DOUBLED),
        ("manulint.toml", b"[rules.quote-style]\nlevel = \"off\"\n"),
    ]);
    for (args, said) in [
        (
            &["--select", "doubled-word", "--ignore", "doubled-word"][..],
            "no rule left to run: --select doubled-word, but --ignore takes out what --select names",
        ),
        (
            &["--select", "quote-style"],
            "no rule left to run: --select quote-style, but each is off",
        ),
    ] {
        usage_error(dir.path(), args, said)
            .stdout(predicate::str::contains("No problems found").not());
    }
}

#[test]
fn bad_rule_option_is_a_config_error() {
    let dir = book(&[
        ("a.txt", CLEAN),
        ("manulint.toml", b"[rules.doubled-word]\nalow = [\"the\"]\n"),
    ]);
    usage_error(
        dir.path(),
        &[],
        "invalid options for rule `doubled-word`: unknown field `alow`",
    );
}

#[test]
fn include_exclude_and_order_from_config() {
    let dir = book(&[
        ("manulint.toml", b"[manuscript]\ninclude = [\"book/**\"]\nexclude = [\"book/notes/**\"]\norder = [\"book/prologue.txt\", \"book/ch-*.txt\"]\n"),
        ("book/prologue.txt", b"TODO one.\n"),
        ("book/ch-10.txt", b"TODO three.\n"),
        ("book/ch-2.txt", b"TODO two.\n"),
        ("book/notes/n.txt", b"TODO never.\n"),
        ("elsewhere.txt", b"TODO never.\n"),
    ]);
    let output = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--format", "short"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let files: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split(':').next())
        .filter(|f| f.ends_with(".txt"))
        .collect();
    assert_eq!(
        files,
        ["book/prologue.txt", "book/ch-2.txt", "book/ch-10.txt"]
    );
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let run = |threads: &str| {
        manulint()
            .env("RAYON_NUM_THREADS", threads)
            .args(["check", "fixtures/sample-novel", "--format", "json"])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run("1"), run("4"));
}

#[test]
fn rules_lists_every_rule_and_explain_shows_docs() {
    manulint()
        .arg("rules")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("doubled-word"))
        .stdout(predicate::str::is_match(r"draft-marker +draft").unwrap());
    manulint()
        .args(["explain", "draft-marker"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("## What it does"))
        .stdout(predicate::str::contains("## Options"));
    manulint()
        .args(["explain", "draft-markr"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `draft-marker`?"));
}

#[test]
fn init_writes_a_starter_and_refuses_to_overwrite() {
    let dir = book(&[]);
    manulint()
        .current_dir(dir.path())
        .arg("init")
        .assert()
        .code(0);
    let written = fs::read_to_string(dir.path().join("manulint.toml")).unwrap();
    assert!(written.contains("[manuscript]"));
    manulint()
        .current_dir(dir.path())
        .arg("init")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(
        fs::read_to_string(dir.path().join("manulint.toml")).unwrap(),
        written
    );
}

#[test]
fn init_under_a_folder_with_a_config_refuses_unless_nested() {
    let dir = book(&[]);
    fs::write(dir.path().join("manulint.toml"), "[story]\nyear = 1887\n").unwrap();
    let part = dir.path().join("part-1");
    fs::create_dir(&part).unwrap();
    manulint()
        .current_dir(&part)
        .arg("init")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{} already applies here; not writing a second one",
            dir.path()
                .canonicalize()
                .unwrap()
                .join("manulint.toml")
                .display()
        )))
        .stderr(predicate::str::contains("manulint init --nested"));
    assert!(!part.join("manulint.toml").exists());
    manulint()
        .current_dir(&part)
        .args(["init", "--nested"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Wrote manulint.toml"));
    assert!(part.join("manulint.toml").is_file());
}

#[test]
fn color_always_emits_ansi_and_never_does_not() {
    let has_escape = |args: &[&str]| {
        let out = manulint()
            .args(["check", "fixtures/sample-novel"])
            .args(args)
            .output()
            .unwrap();
        out.stdout.contains(&0x1b)
    };
    assert!(has_escape(&["--color", "always"]));
    assert!(!has_escape(&["--color", "never"]));
    assert!(!has_escape(&[]), "auto: not a terminal");
}

#[test]
fn help_and_version() {
    manulint()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Examples:"));
    manulint()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("manulint "));
    manulint().arg("frobnicate").assert().code(2);
}

#[test]
fn sample_fixture_exists() {
    assert!(Path::new("fixtures/sample-novel/chapter-01.md").exists());
}

#[test]
fn bad_glob_and_unknown_encoding_point_at_the_config() {
    let dir = book(&[
        ("a.txt", CLEAN),
        ("manulint.toml", b"[manuscript]\ninclude = [\"book/[\"]\n"),
    ]);
    manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--color", "never"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid glob `book/[`"))
        .stderr(predicate::str::contains("2 │ include = [\"book/[\"]"));
    let dir = book(&[
        ("a.txt", CLEAN),
        ("manulint.toml", b"[manuscript]\nencoding = \"klingon\"\n"),
    ]);
    manulint()
        .current_dir(dir.path())
        .args(["check", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown encoding `klingon`"));
}

#[test]
fn timings_list_every_enabled_rule_once_on_stderr() {
    let output = manulint()
        .args([
            "check",
            "fixtures/sample-novel",
            "--format",
            "short",
            "--timings",
        ])
        .args(["--select", "doubled-word,draft-marker,duplicate-paragraph"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let table: Vec<&str> = stderr
        .lines()
        .skip_while(|l| !l.starts_with("rule "))
        .collect();
    assert_eq!(table.len(), 5, "{stderr}");
    assert_eq!(
        table[0].split_whitespace().collect::<Vec<_>>(),
        ["rule", "analysis", "checks", "total", "share"]
    );
    let mut rules: Vec<&str> = table[1..4]
        .iter()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    rules.sort();
    assert_eq!(
        rules,
        ["doubled-word", "draft-marker", "duplicate-paragraph"]
    );
    assert!(table[4].starts_with("all rules"), "{stderr}");
    assert!(table[1..4].iter().all(|l| l.ends_with('%')), "{stderr}");
    // The report itself is unchanged on stdout.
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains("analysis"));
}

/// A series kept in one repository, one `manulint.toml` per book: files
/// passed from the repository's root (as a pre-commit hook passes them) are
/// checked with their own book's settings and, when it names its chapters,
/// against the whole book; files of two books are checked one book at a
/// time in the line formats, and refused (exit 2, saying why) in a format
/// that is one document.
#[test]
fn files_are_checked_with_the_settings_of_their_own_book() {
    let paragraph = "The harbour lay still under the October fog, and the boats that had \
                     been hauled out for the winter leaned on their cradles like tired horses.";
    let dir = book(&[
        (
            "one/manulint.toml",
            b"fail-on = \"warning\"\n[manuscript]\ninclude = [\"ch-*.md\"]\n".as_slice(),
        ),
        (
            "one/ch-1.md",
            format!("# One\n\n{paragraph}\n\nShe left.\n").as_bytes(),
        ),
        (
            "one/ch-2.md",
            format!("# Two\n\nHe came back.\n\n{paragraph}\n").as_bytes(),
        ),
        (
            "two/manulint.toml",
            b"[rules.doubled-word]\nlevel = \"off\"\n".as_slice(),
        ),
        ("two/a.md", b"# A\n\nShe opened the the door.\n".as_slice()),
    ]);
    let run = |args: &[&str]| {
        let format = if args.contains(&"--format") {
            &[][..]
        } else {
            &["--format", "short"][..]
        };
        let out = manulint()
            .current_dir(dir.path())
            .arg("check")
            .args(format)
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // Book one's settings: its whole manuscript is the context, so the
    // paragraph copied from ch-1 is found in ch-2, and it fails on errors.
    let (code, stdout, _) = run(&["one/ch-2.md"]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("one/ch-2.md:5:1: error[duplicate-paragraph]"),
        "{stdout}"
    );
    // Book two's: doubled-word is off there.
    let (code, stdout, _) = run(&["two/a.md"]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(!stdout.contains("doubled-word"), "{stdout}");
    // Both: each with its own, the worse exit code.
    let (code, stdout, stderr) = run(&["one/ch-2.md", "two/a.md"]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("one/ch-2.md:5:1: error[duplicate-paragraph]"),
        "{stdout}"
    );
    assert!(!stdout.contains("doubled-word"), "{stdout}");
    assert!(
        stderr.contains("note: checking one/ch-2.md with one/manulint.toml"),
        "{stderr}"
    );
    assert!(
        stderr.contains("note: checking two/a.md with two/manulint.toml"),
        "{stderr}"
    );
    // One JSON document cannot hold two books' settings.
    let (code, stdout, stderr) = run(&["--format", "json", "one/ch-2.md", "two/a.md"]);
    assert_eq!(code, Some(2));
    assert_eq!(stdout, "");
    assert!(
        stderr.contains(
            "the paths given belong to 2 manuscripts, each with its own settings (one/manulint.toml, two/manulint.toml): one report cannot hold them; check one manuscript at a time, with the same options: `manulint check one/ch-2.md`, `manulint check two/a.md`"
        ),
        "{stderr}"
    );
    // Nor can one baseline or one annotated copy: each book's run wrote
    // the same file, and the first book's wrote over the second's chapter.
    let chapter = dir.path().join("two/a.md");
    let before = std::fs::read(&chapter).unwrap();
    for (flag, target, cannot) in [
        (
            "--write-baseline",
            "two/a.md",
            "one baseline file cannot hold them",
        ),
        (
            "--write-baseline",
            "base.json",
            "one baseline file cannot hold them",
        ),
        (
            "--annotate",
            "out/",
            "one --annotate target cannot hold their copies",
        ),
    ] {
        let (code, stdout, stderr) = run(&[flag, target, "one/ch-2.md", "two/a.md"]);
        assert_eq!(code, Some(2), "{flag} {target}: {stderr}");
        assert_eq!(stdout, "");
        assert!(
            stderr.contains(&format!(
                "(one/manulint.toml, two/manulint.toml): {cannot}; check one manuscript at a time"
            )),
            "{stderr}"
        );
    }
    assert_eq!(std::fs::read(&chapter).unwrap(), before);
    assert!(!dir.path().join("base.json").exists());
    assert!(!dir.path().join("out").exists());
}

/// A sequel with its own `manulint.toml` inside the folder checked is a
/// book of its own: checked with its own story year, after the first book
/// and apart from it. Before, `check .` at a series' root read it as part
/// of the first book, with the first book's year (1962 titles reported as
/// anachronisms in 1943, and its own 1963 one missed).
#[test]
fn a_folder_with_its_own_manulint_toml_inside_the_path_is_a_book_of_its_own() {
    let dir = book(&[
        ("manulint.toml", b"[story]\nyear = 1943\n".as_slice()),
        (
            "chapters/one.md",
            b"# One\n\nThey listened to the wireless after supper.\n".as_slice(),
        ),
        ("sequel/manulint.toml", b"[story]\nyear = 1962\n".as_slice()),
        (
            "sequel/one.md",
            b"# One\n\nShe had read Dr. No twice that summer, and they watched Doctor Who on Saturday.\n"
                .as_slice(),
        ),
    ]);
    let out = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--format", "short", "--width", "300"])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    let findings: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("[anachronism]"))
        .collect();
    assert_eq!(
        findings,
        [
            "sequel/one.md:3:57: error[anachronism] *Doctor Who* (TV series, 1963) is later than the story year 1962, from sequel/manulint.toml [story]"
        ],
        "{stdout}"
    );
    assert!(
        stdout.contains("No problems found in 1 file (8 words)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Found 1 error, 0 warnings and 0 infos in 1 file (16 words)"),
        "{stdout}"
    );
    assert!(
        stderr.contains("note: checking the current folder with manulint.toml"),
        "{stderr}"
    );
    assert!(
        stderr.contains("note: checking sequel with sequel/manulint.toml"),
        "{stderr}"
    );
}

/// A series' root that holds only its books, each with its own
/// `manulint.toml` and none of its own (book1/, book2/), is no manuscript:
/// `check .` there checks each book and ends with the run's total, where
/// it failed with exit 2, “no chapter files found under .”, after the
/// books' reports.
#[test]
fn a_series_root_of_books_checks_each_and_totals_them() {
    let dir = book(&[
        ("book1/manulint.toml", b"[story]\nyear = 1943\n".as_slice()),
        (
            "book1/one.md",
            b"# One\n\nThey listened to the wireless after supper.\n".as_slice(),
        ),
        ("book2/manulint.toml", b"[story]\nyear = 1962\n".as_slice()),
        (
            "book2/one.md",
            b"# One\n\nThey watched Doctor Who on Saturday.\n".as_slice(),
        ),
        // The series' read-me is no third manuscript.
        (
            "README.md",
            b"# The Wireless Years\n\nTwo novels. TODO: the blurb for the second\n".as_slice(),
        ),
    ]);
    let Run {
        code,
        stdout,
        stderr,
    } = run(
        dir.path(),
        &["check", ".", "--format", "short", "--width", "300"],
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    // Each line without its timing.
    let untimed = |stdout: &str| -> Vec<String> {
        stdout
            .lines()
            .map(|l| l.split(" in 0.").next().unwrap().to_string())
            .collect()
    };
    let lines = untimed(&stdout);
    assert_eq!(
        lines,
        [
            "No problems found in 1 file (8 words)",
            "book2/one.md:3:14: error[anachronism] *Doctor Who* (TV series, 1963) is later than the story year 1962, from book2/manulint.toml [story]",
            "Found 1 error, 0 warnings and 0 infos in 1 file (7 words)",
            "In all, 2 manuscripts: Found 1 error, 0 warnings and 0 infos in 2 files (15 words)",
        ],
        "{stderr}"
    );
    assert!(!stderr.contains("no chapter files"), "{stderr}");
    assert!(!stderr.contains("no manulint.toml"), "{stderr}");
    // No path is the current folder, books and all: it merged the books
    // into one manuscript and read neither's story year (a crime writer's
    // series).
    let bare = run(
        dir.path(),
        &["check", "--format", "short", "--width", "300"],
    );
    assert_eq!(bare.code, 1, "{}{}", bare.stdout, bare.stderr);
    assert_eq!(untimed(&bare.stdout), lines, "{}", bare.stderr);
    // So does a root config that names the books in `include`: it merged
    // them and read neither book's story year, a clean run for a book
    // full of errors.
    std::fs::write(
        dir.path().join("manulint.toml"),
        "[manuscript]\ninclude = [\"book1/**\", \"book2/**\"]\n",
    )
    .unwrap();
    let rooted = run(
        dir.path(),
        &["check", "--format", "short", "--width", "300"],
    );
    assert_eq!(untimed(&rooted.stdout), lines, "{}", rooted.stderr);
    std::fs::remove_file(dir.path().join("manulint.toml")).unwrap();
    // The GitHub format keeps stdout for workflow commands: the total goes
    // to the log on stderr, as each book's summary does.
    let out = run(dir.path(), &["check", ".", "--format", "github"]);
    assert!(
        out.stderr.contains(
            "In all, 2 manuscripts: Found 1 error, 0 warnings and 0 infos in 2 files (15 words)"
        ),
        "{}",
        out.stderr
    );
    assert!(!out.stdout.contains("In all"));
    // A format that is one document counts the books, not the root that
    // holds them (it said “3 manuscripts … no manulint.toml”).
    let out = run(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(
            "the paths given belong to 2 manuscripts, each with its own settings (book1/manulint.toml, book2/manulint.toml)"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("`manulint check book1`, `manulint check book2`"),
        "{}",
        out.stderr
    );
}

/// One file named two ways is checked once: `check .. .` from a sequel's
/// folder inside the first book, or a chapter given by two paths. Checked
/// twice, every paragraph was an exact copy of itself (an error) and the
/// words were counted twice. The first book's config, a folder up, is
/// named `../manulint.toml`, not by its absolute path.
#[test]
fn a_file_named_two_ways_is_checked_once() {
    let dir = book(&[
        ("manulint.toml", b"[story]\nyear = 1943\n".as_slice()),
        (
            "one.md",
            b"# One\n\nThey listened to the wireless after a long supper of bread and dripping.\n"
                .as_slice(),
        ),
        ("sequel/manulint.toml", b"[story]\nyear = 1962\n".as_slice()),
        (
            "sequel/one.md",
            b"# One\n\nThey watched Doctor Who on Saturday, with the curtains drawn against the rain.\n"
                .as_slice(),
        ),
    ]);
    // The report's lines without the time each run took.
    let run = |folder: &Path, args: &[&str]| {
        let out = manulint()
            .current_dir(folder)
            .arg("check")
            .args(args)
            .args(["--format", "short", "--width", "300"])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<String> = stdout
            .lines()
            .map(|l| l.split(" in 0.").next().unwrap().to_string())
            .collect();
        (lines, String::from_utf8_lossy(&out.stderr).to_string())
    };
    let (lines, stderr) = run(&dir.path().join("sequel"), &["..", "."]);
    assert_eq!(
        lines,
        [
            "No problems found in 1 file (14 words)",
            "one.md:3:14: error[anachronism] *Doctor Who* (TV series, 1963) is later than the story year 1962, from manulint.toml [story]",
            "Found 1 error, 0 warnings and 0 infos in 1 file (14 words)",
            "In all, 2 manuscripts: Found 1 error, 0 warnings and 0 infos in 2 files (28 words)",
        ],
        "{stderr}"
    );
    assert!(
        stderr.contains("note: checking .. with ../manulint.toml"),
        "{stderr}"
    );
    // The sequel's folder, given as `.` and found again from `..`, is named
    // once, as the current folder (it was counted as two paths).
    assert!(
        stderr.contains("note: checking the current folder with manulint.toml"),
        "{stderr}"
    );
    let name = dir.path().file_name().unwrap().to_str().unwrap();
    let (lines, stderr) = run(
        dir.path(),
        &["one.md", "./one.md", &format!("../{name}/one.md")],
    );
    assert_eq!(
        lines,
        ["No problems found in 1 file (14 words)"],
        "{stderr}"
    );
}

/// An `include` entry that names one file which is not a chapter file (an
/// extensionless LICENSE) is a warning, not dropped without a word; a
/// glob's other files (images under `chapters/**`) are passed over as
/// before. Passed by a hook, a file that is not a chapter file is ignored
/// for that reason, not for being outside `include`.
#[test]
fn an_include_entry_naming_a_file_that_is_no_chapter_is_a_warning() {
    let dir = book_of_text(&[
        ("chapters/01.md", "# One\n\nShe walked home.\n"),
        ("chapters/cover.png", "not an image\n"),
        ("LICENSE", "TODO: all rights reserved\n"),
        ("notes.rtf", "TODO\n"),
        (
            "manulint.toml",
            "[manuscript]\ninclude = [\"chapters/**\", \"./LICENSE\", \"notes.rtf\"]\n",
        ),
    ]);
    let out = run(
        dir.path(),
        &["check", "--format", "short", "--width", "300"],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("⚠ skipped LICENSE: [manuscript] include names it, but it is not a chapter file (looked for .md, .markdown, .txt, .text, .docx)"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(
            "help: rename it with a chapter extension (LICENSE.txt), or leave it out of `include`"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("⚠ skipped notes.rtf: [manuscript] include names it"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("cover.png"), "{}", out.stderr);
    assert_eq!(out.stderr.matches("⚠ skipped").count(), 2, "{}", out.stderr);

    // Passed by a hook: said once, by the walk's warning; another file
    // that is not a chapter file is ignored for that reason.
    let out = run(
        dir.path(),
        &[
            "check",
            "--format",
            "short",
            "--width",
            "300",
            "LICENSE",
            "chapters/cover.png",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stderr.matches("LICENSE").count(), 2, "{}", out.stderr);
    assert!(!out.stderr.contains("ignored LICENSE"), "{}", out.stderr);
    assert!(
        out.stderr.contains("note: ignored chapters/cover.png: not a chapter file (looked for .md, .markdown, .txt, .text, .docx)"),
        "{}",
        out.stderr
    );
}

/// A manuscript repository's own documents beside the chapters (README,
/// LICENSE, CHANGELOG) are no chapters: a folder walk leaves them out and
/// `-v` says so. Checked as chapters, the README's blurb was a near-copy of
/// the opening and its last line a chapter ending mid-sentence. Named on
/// the command line or in `include`, a README is checked.
#[test]
fn a_repositorys_readme_and_licence_are_not_chapters() {
    let opening = "Marisol opened the shop at nine, as her mother had done for forty years, and swept the step before the first customer came.";
    let dir = book_of_text(&[
        ("chapters/01.md", &format!("# One\n\n{opening}\n")),
        (
            "chapters/02.md",
            "# Two\n\nTeo came in with the mail and a question about the rent.\n",
        ),
        (
            "README.md",
            &format!("# The Shop\n\n{opening}\n\nTODO: the rest of the blurb, and\n"),
        ),
        ("LICENSE.txt", "All rights reserved.\n"),
        ("CHANGELOG.md", "# Changes\n\n- Draft two: TODO\n"),
        ("AUTHORS.txt", "Ana Ruiz (TODO: her address)\n"),
        ("notes/readme.txt", "TODO: research the rent laws\n"),
    ]);
    let out = run(
        dir.path(),
        &["check", "--format", "short", "-v", "--width", "300", "."],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        out.stdout.split(" in 0.").next().unwrap(),
        "No problems found in 2 files (37 words)"
    );
    for document in [
        "README.md",
        "LICENSE.txt",
        "CHANGELOG.md",
        "AUTHORS.txt",
        "notes/readme.txt",
    ] {
        assert!(
            out.stderr.contains(&format!(
                "note: skipped {document}: a repository document, not a chapter (name it on the command line, or in [manuscript] include, to check it)"
            )),
            "{document}: {}",
            out.stderr
        );
    }
    // Without -v, nothing is said about them.
    let out = run(dir.path(), &["check", "--format", "short", "."]);
    assert!(!out.stderr.contains("README"), "{}", out.stderr);

    // Named on the command line, it is read.
    let out = run(dir.path(), &["check", "--format", "short", "README.md"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .starts_with("README.md:5:1: error[draft-marker] draft marker “TODO” left in the text"),
        "{}",
        out.stdout
    );

    // A folder holding only a read-me says why nothing was found.
    fs::create_dir(dir.path().join("docs")).unwrap();
    fs::write(dir.path().join("docs/README.md"), "Notes.\n").unwrap();
    let out = run(dir.path(), &["check", "--width", "300", "docs"]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("no chapter files found under docs"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("docs/README.md is a repository document, not a chapter: name it on the command line to check it"),
        "{}",
        out.stderr
    );

    // Under `include`, a README outside its globs is left out as the notes
    // are: no note saying to name it (named, it is not in the manuscript).
    fs::write(
        dir.path().join("manulint.toml"),
        "[manuscript]\ninclude = [\"chapters/**\"]\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["check", "--format", "short", "-v", "--width", "300"],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(!out.stderr.contains("skipped README.md"), "{}", out.stderr);

    // `include` may name it.
    fs::write(
        dir.path().join("manulint.toml"),
        "[manuscript]\ninclude = [\"chapters/**\", \"README.md\"]\n",
    )
    .unwrap();
    let out = run(dir.path(), &["check", "--format", "short"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("README.md:5:1: error[draft-marker]"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("3 files"), "{}", out.stdout);
    // Checked, it comes after the chapters: its blurb is the copy of the
    // opening, not the original chapter 1 repeats.
    let duplicate = |out: &Run| -> Vec<String> {
        out.stdout
            .lines()
            .filter(|l| l.contains("duplicate-paragraph"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        duplicate(&out),
        [
            "README.md:3:1: error[duplicate-paragraph] 100% of this paragraph repeats 01.md:3 (an exact copy)"
        ]
    );
    fs::remove_file(dir.path().join("manulint.toml")).unwrap();
    let out = run(
        dir.path(),
        &["check", "--format", "short", "README.md", "chapters"],
    );
    assert_eq!(
        duplicate(&out),
        [
            "README.md:3:1: error[duplicate-paragraph] 100% of this paragraph repeats 01.md:3 (an exact copy)"
        ]
    );
    // An explicit order that puts it first is kept.
    fs::write(
        dir.path().join("manulint.toml"),
        "[manuscript]\ninclude = [\"chapters/**\", \"README.md\"]\norder = [\"README.md\"]\n",
    )
    .unwrap();
    let out = run(dir.path(), &["check", "--format", "short"]);
    assert_eq!(
        duplicate(&out),
        [
            "chapters/01.md:3:1: error[duplicate-paragraph] 100% of this paragraph repeats README.md:3 (an exact copy)"
        ]
    );
}

/// `-v`'s notes count in words: "1 name", not "1 names".
#[test]
fn verbose_notes_count_one_thing_in_the_singular() {
    let dir = book_of_text(&[("01.md", "# One\n\nMarisol walked home.\n")]);
    let out = run(dir.path(), &["check", "-v", "--width", "300", "."]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("note: name-variant: 1 name, 0 pairs spelled alike, 0 taken for one name"),
        "{}",
        out.stderr
    );
}

/// The note on what `--fix` would mend comes after the findings and the
/// summary it counts, in a log that holds both streams (a hook's output).
#[test]
fn the_fix_note_follows_the_summary() {
    let dir = book_of_text(&[("a.txt", "Chapter\n\nShe opened the the door.\n")]);
    let log = dir.path().join("log.txt");
    let file = fs::File::create(&log).unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_manulint"))
        .current_dir(dir.path())
        .args(["check", "a.txt", "--color", "never"])
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let text = fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let summary = lines
        .iter()
        .position(|l| l.starts_with("Found 0 errors, 1 warning"));
    let note = lines
        .iter()
        .position(|l| l.starts_with("note: 1 finding can be fixed with `--fix`"));
    assert!(summary.is_some() && note > summary, "{text}");
}

/// `--max-warnings -1` is a value refused with what to write, not an
/// unknown option whose tip (`-- -1`) made it a path.
#[test]
fn a_negative_max_warnings_is_refused_with_what_to_write() {
    manulint()
        .args(["check", "fixtures/sample-novel", "--max-warnings", "-1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "-1 is no number of warnings: use 0 to fail on any warning, or leave --max-warnings out",
        ));
}

/// Front matter whose closing `---` is missing is read as text, and its
/// entries (a story year among them) are not read: the run warns, naming
/// the file, and still checks it (exit 0 without findings of its own).
#[test]
fn front_matter_never_closed_is_a_warning_naming_the_file() {
    let dir = book(&[
        (
            "a.md",
            b"---\ntitle: Seven\nyear: 2004\n\n# Seven\n\nHe left at nine.\n",
        ),
        (
            "b.md",
            b"---\ntitle: Eight\n---\n\n# Eight\n\nShe stayed.\n",
        ),
    ]);
    let out = run(dir.path(), &["check", ".", "--width", "300"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "a.md: the front matter opened on line 1 is not closed (no `---` line in its first 200 lines), so it is read as text and its entries are not read"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("end it with a line of `---` (`+++` for TOML) after its last entry"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("b.md: the front matter"),
        "{}",
        out.stderr
    );
}
