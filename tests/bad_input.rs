//! The bad-input matrix: every kind of input that must neither hang, nor
//! panic, nor lose a chapter silently. Each case runs the real binary and
//! checks the message (naming the file and what to do), the exit code, and
//! that the other chapters are still checked.
//!
//! Cases already covered in `tests/cli.rs` are not repeated here:
//! invalid UTF-8 (`invalid_utf8_names_line_and_column_and_others_are_checked`),
//! UTF-16 with a BOM (`utf16_with_bom_is_decoded`), an empty file
//! (`empty_file_is_fine`), an unreadable file
//! (`unreadable_file_is_an_error_and_others_are_checked`), a dangling link
//! (`unreadable_folder_entry_is_reported`), a symlink loop
//! (`symlink_loops_do_not_hang`), a broken config
//! (`broken_config_exits_2_showing_the_toml_line`,
//! `invalid_toml_syntax_exits_2`); a broken pack in `tests/packs.rs`
//! (`broken_pack_is_exit_2_naming_file_and_line`); a missing baseline
//! folder in `tests/ci.rs` (`bad_baselines_exit_2_naming_the_file`).
//!
//! The 100 MB cases are measured with the release binary by
//! `benches/bad_input.sh`; here the sizes keep the debug build quick.

use std::fs;
use std::path::Path;
use std::time::Duration;

use predicates::prelude::*;
use tempfile::TempDir;

mod common;
use common::{book, manulint_within, measure, utf16};

/// How long any one run may take before the test fails as hung.
const LIMIT: Duration = Duration::from_secs(120);

/// A chapter with one finding, `a.txt:3:12: warning[doubled-word]`.
const DOUBLED: &[u8] = b"Chapter 2\n\nShe opened the\nthe door.\n";
const DOUBLED_AT: &str = "a.txt:3:12: warning[doubled-word]";

// ------------------------------------------------------------ encodings

#[test]
fn utf16_without_bom_is_read_in_both_byte_orders() {
    let text = "Chapter 1\n\nShe opened the the door.\n";
    let dir = book(&[
        ("le.txt", &utf16(text, false)),
        ("be.txt", &utf16(text, true)),
    ]);
    manulint_within(LIMIT)
        .current_dir(dir.path())
        .args(["check", ".", "--format", "short"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "be.txt:3:12: warning[doubled-word]",
        ))
        .stdout(predicate::str::contains(
            "le.txt:3:12: warning[doubled-word]",
        ))
        .stdout(predicate::str::contains("in 2 files"));
}

#[test]
fn lone_carriage_returns_are_line_breaks() {
    // A classic-Mac file: findings get the lines an editor shows.
    let dir = book(&[(
        "mac.txt",
        b"Chapter 1\r\rIt was late.\rShe opened the the door.\r",
    )]);
    manulint_within(LIMIT)
        .current_dir(dir.path())
        .args(["check", ".", "--format", "short"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "mac.txt:4:12: warning[doubled-word]",
        ));
}

#[test]
fn a_nul_byte_is_an_error_naming_line_and_column_and_others_are_checked() {
    // One NUL in the first 8 KiB used to skip the file with exit 0.
    let dir = book(&[
        ("a.txt", DOUBLED),
        ("b.txt", b"Chapter 3\n\nShe waited.\nThen\x00 she left.\n"),
    ]);
    manulint_within(LIMIT)
        .current_dir(dir.path())
        .args(["check", ".", "--format", "short", "--color", "never"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "b.txt: not a text file: NUL byte at line 4, column 5",
        ))
        .stderr(predicate::str::contains("delete the NUL characters"))
        .stdout(predicate::str::contains(DOUBLED_AT))
        .stdout(predicate::str::contains("in 1 file"));
}

#[test]
fn binary_files_named_md_are_errors_naming_the_kind() {
    let mut noise: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    noise[0] = 0xFF;
    let dir = book(&[
        ("a.txt", DOUBLED),
        ("cover.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("draft.md", b"PK\x03\x04\x14\x00\x06\x00word/document.xml"),
        ("noise.md", &noise),
    ]);
    manulint_within(LIMIT)
        .current_dir(dir.path())
        .args(["check", ".", "--format", "short", "--color", "never"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cover.md: not a text file: it looks like a PNG image",
        ))
        .stderr(predicate::str::contains(
            "draft.md: not a text file: it looks like a ZIP archive (a .docx, .odt or .epub file is one)",
        ))
        .stderr(predicate::str::contains(
            "noise.md: not a text file: binary data, not valid UTF-8 from byte 0",
        ))
        .stderr(predicate::str::contains("add it to `exclude` in manulint.toml"))
        .stdout(predicate::str::contains(DOUBLED_AT))
        .stdout(predicate::str::contains("in 1 file"));
}

#[test]
fn whitespace_and_invisible_only_files_are_clean() {
    let dir = book(&[
        ("spaces.txt", b" \t\n\n   \n"),
        ("unicode.txt", "\u{3000}\u{2003}\u{A0}\u{202F}\n".as_bytes()),
        (
            "joiners.md",
            "\u{200D}\u{200D}\u{200B}\n\n\u{301}\u{308}\n".as_bytes(),
        ),
        ("crlf.txt", b"\r\n\r\n"),
    ]);
    manulint_within(LIMIT)
        .current_dir(dir.path())
        .args(["check", ".", "--format", "short"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "No problems found in 4 files (0 words)",
        ));
}

#[test]
fn narrow_no_break_space_between_doubled_words_is_found() {
    let dir = book(&[("a.txt", "She opened the\u{202F}the door.\n".as_bytes())]);
    manulint_within(LIMIT)
        .current_dir(dir.path())
        .args(["check", ".", "--format", "short"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "a.txt:1:12: warning[doubled-word] “the” is written twice in a row",
        ));
}

// ------------------------------------------------------------ file types

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn fifo_and_device_in_a_folder_are_skipped_never_read() {
    let dir = book(&[("a.txt", DOUBLED)]);
    mkfifo(&dir.path().join("chapter.txt"));
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.md")).unwrap();
    manulint_within(LIMIT)
        .current_dir(dir.path())
        .timeout(Duration::from_secs(60))
        .args(["check", ".", "--format", "short", "--color", "never"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "skipped chapter.txt: it is a named pipe (FIFO), not a regular file",
        ))
        .stderr(predicate::str::contains(
            "skipped zero.md: it is a character device, not a regular file",
        ))
        .stdout(predicate::str::contains(DOUBLED_AT))
        .stdout(predicate::str::contains("in 1 file"));
}

#[cfg(unix)]
#[test]
fn fifo_or_device_named_on_the_command_line_is_an_error() {
    let dir = book(&[("a.txt", DOUBLED)]);
    mkfifo(&dir.path().join("chapter.txt"));
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.md")).unwrap();
    let out = manulint_within(LIMIT)
        .current_dir(dir.path())
        .timeout(Duration::from_secs(60))
        .args([
            "check",
            "chapter.txt",
            "zero.md",
            "a.txt",
            "--format",
            "short",
        ])
        .args(["--color", "never"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot check chapter.txt: it is a named pipe (FIFO), not a regular file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("cannot check zero.md: it is a character device, not a regular file"),
        "{stderr}"
    );
    assert!(!stderr.contains("no chapter files found under"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains(DOUBLED_AT));
}

#[test]
fn a_file_named_on_the_command_line_with_another_extension_is_named() {
    let dir = book(&[("a.txt", DOUBLED), ("notes.rtf", b"{\\rtf1 Hello}")]);
    manulint_within(LIMIT)
        .current_dir(dir.path())
        .args(["check", "a.txt", "notes.rtf", "--format", "short"])
        .args(["--color", "never"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "skipped notes.rtf: not a chapter file (looked for .md, .markdown, .txt, .text, .docx)",
        ))
        .stderr(predicate::str::contains("an RTF document"))
        .stderr(predicate::str::contains("save it as .docx"))
        .stdout(predicate::str::contains(DOUBLED_AT));
}

// ------------------------------------------------------------ size

/// Prose with a doubled word near the end (so a finding is reported on the
/// last line), `size` bytes or a little more; one line when `one_line`.
fn big_chapter(size: usize, one_line: bool) -> Vec<u8> {
    let paragraph = "Marisol opened the shop at nine, as she did on every day of the week, and \
                     swept the step while the street was still quiet. ";
    let mut text = String::with_capacity(size + 200);
    while text.len() < size {
        text.push_str(paragraph);
        if !one_line {
            text.push_str("\n\n");
        }
    }
    text.push_str("She opened the the door.\n");
    text.into_bytes()
}

const CHEAP_RULES: &str =
    "doubled-word,draft-marker,quote-style,dialogue-dash,ellipsis-style,truncated-text";

#[cfg(target_os = "linux")]
#[test]
fn large_chapter_and_large_line_use_bounded_memory_and_linear_time() {
    const MB: usize = 1 << 20;
    let dir = book(&[
        ("small.txt", &big_chapter(MB, false)),
        ("large.txt", &big_chapter(4 * MB, false)),
        ("small-line.txt", &big_chapter(MB, true)),
        ("large-line.txt", &big_chapter(4 * MB, true)),
        ("tiny.txt", DOUBLED),
    ]);
    // The short format: this is about loading and the rules, not drawing
    // a 4 MiB line (the human format's job, tested with its renderer).
    let run = |file: &str| {
        let usage = measure(
            dir.path(),
            &["check", file, "--select", CHEAP_RULES, "--format", "short"],
        );
        (usage.code, usage.max_rss_kib, usage.cpu_seconds)
    };
    let (code, base_rss, _) = run("tiny.txt");
    assert_eq!(code, 0);
    for (small, large) in [
        ("small.txt", "large.txt"),
        ("small-line.txt", "large-line.txt"),
    ] {
        let (small_code, _, small_cpu) = run(small);
        let (large_code, large_rss, large_cpu) = run(large);
        assert_eq!((small_code, large_code), (0, 0));
        // Memory: what the 4 MiB file adds stays under five times its size.
        let added_kib = large_rss - base_rss;
        assert!(
            added_kib < 5 * 4 * 1024,
            "{large}: {added_kib} KiB over the baseline for a 4 MiB file"
        );
        // Time: four times the text may take at most ~eight times the CPU
        // (twice the linear ratio, for noise); quadratic would be 16×.
        assert!(
            large_cpu < 8.0 * small_cpu.max(0.05),
            "{large}: {large_cpu:.2}s CPU vs {small_cpu:.2}s for a quarter of it"
        );
    }
    // And the finding at the very end of the one-line file is reported.
    manulint_within(LIMIT)
        .current_dir(dir.path())
        .args(["check", "large-line.txt", "--select", "doubled-word"])
        .args(["--format", "short"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("large-line.txt:1:"))
        .stdout(predicate::str::contains("Found 0 errors, 1 warning"));
}

/// `sentences` different invented sentences, as one line: a story year,
/// film titles in quotes and in lists, and plain prose, so that the
/// story-year, title and repeat analyses all have work in every part.
fn varied_prose(sentences: usize) -> String {
    const WHO: [&str; 6] = [
        "Marisol",
        "the porter",
        "Aunt Ines",
        "Tomas",
        "the baker",
        "Lupe",
    ];
    const DID: [&str; 6] = [
        "carried", "counted", "mended", "painted", "weighed", "folded",
    ];
    const WHAT: [&str; 6] = [
        "the nets",
        "a crate",
        "the awning",
        "two chairs",
        "the sign",
        "a kite",
    ];
    const TITLES: [&str; 4] = ["Jaws", "Star Wars", "Rocky", "Grease"];
    let mut text = String::from("It was the summer of 1955. ");
    for n in 0..sentences {
        let (a, b, c) = (n % 6, (n / 6) % 6, (n / 36) % 6);
        match n % 5 {
            0 => text.push_str(&format!(
                "{} watched “{}” and “{}” on the {n}th night. ",
                WHO[a],
                TITLES[b % 4],
                TITLES[(b + 1) % 4]
            )),
            1 => text.push_str(&format!(
                "In {} they {} {} again, {n} times. ",
                1900 + n % 50,
                DID[b],
                WHAT[c]
            )),
            _ => text.push_str(&format!(
                "{} {} {} for the {n}th time, slowly. ",
                WHO[a], DID[b], WHAT[c]
            )),
        }
    }
    text
}

/// A long passage pasted twice into one paragraph (a whole book on one
/// line, twice) stays linear in every rule: every sentence of the second
/// copy repeats one of the first, and growing each repeat to the whole
/// passage was quadratic (a 15 MB line took 45 s in a release build), as
/// were some title and year look-ups in one long paragraph.
#[cfg(target_os = "linux")]
#[test]
fn a_passage_pasted_twice_into_one_paragraph_takes_linear_time() {
    let pasted = |sentences: usize| {
        let passage = varied_prose(sentences);
        format!("{passage}{passage}\n").into_bytes()
    };
    let dir = book(&[
        ("small.txt", &pasted(2_500)),
        ("large.txt", &pasted(10_000)),
    ]);
    // The rules that were quadratic here, each alone, then all of them.
    for rules in ["anachronism", "repeated-sentence", "all"] {
        let run = |file: &str| {
            let mut args = vec!["check", file, "--format", "short", "--fail-on", "never"];
            if rules != "all" {
                args.extend(["--select", rules]);
            }
            let usage = measure(dir.path(), &args);
            (usage.code, usage.cpu_seconds)
        };
        let (small_code, small_cpu) = run("small.txt");
        let (large_code, large_cpu) = run("large.txt");
        assert_eq!((small_code, large_code), (0, 0), "{rules}");
        // Four times the text, at most six times the CPU (half as much
        // again as linear, for noise); quadratic is 16×.
        assert!(
            large_cpu < 6.0 * small_cpu.max(0.05),
            "{rules}: {large_cpu:.2}s CPU vs {small_cpu:.2}s for a quarter"
        );
    }
    // And the copy is reported, once, as the repeat of the passage.
    let output = manulint_within(LIMIT)
        .current_dir(dir.path())
        .args([
            "check",
            "small.txt",
            "--select",
            "repeated-sentence",
            "--format",
            "short",
        ])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        stdout.matches("warning[repeated-sentence]").count(),
        1,
        "{stdout}"
    );
    assert!(
        stdout.contains("these 1835 sentences are written twice in a row"),
        "{stdout}"
    );
}

/// One sentence pasted over and over, `size` bytes or a little more,
/// `per_paragraph` copies to a paragraph.
fn pasted_sentence(size: usize, per_paragraph: usize) -> Vec<u8> {
    let sentence = "Chap arrived at 3 p.m. “Why did you come in?” she asked the porter again. ";
    let mut text = String::with_capacity(size + 200);
    let mut copies = 0;
    while text.len() < size {
        text.push_str(sentence);
        copies += 1;
        if copies % per_paragraph == 0 {
            text.push_str("\n\n");
        }
    }
    text.into_bytes()
}

/// Finding repeated sentences in one sentence pasted thousands of times
/// stays linear: in one paragraph it was quadratic (2 MB took 6 s in a
/// release build, every copy paired with the first and grown to the end).
#[cfg(target_os = "linux")]
#[test]
fn one_sentence_pasted_thousands_of_times_takes_linear_time() {
    const KB: usize = 1 << 10;
    // One paragraph: a repeated-sentence warning (exit 0); forty copies or
    // one to a paragraph: duplicate paragraphs, errors (exit 1).
    for (shape, per_paragraph, code) in [
        ("all in one paragraph", usize::MAX, 0),
        ("forty to a paragraph", 40, 1),
        ("one to a paragraph", 1, 1),
    ] {
        let dir = book(&[
            ("small.txt", &pasted_sentence(128 * KB, per_paragraph)),
            ("large.txt", &pasted_sentence(512 * KB, per_paragraph)),
        ]);
        let run = |file: &str| {
            let args = [
                "check",
                file,
                "--select",
                "repeated-sentence,duplicate-paragraph",
            ];
            let usage = measure(dir.path(), &args);
            (usage.code, usage.max_rss_kib, usage.cpu_seconds)
        };
        let (small_code, _, small_cpu) = run("small.txt");
        let (large_code, _, large_cpu) = run("large.txt");
        assert_eq!(
            (small_code, large_code),
            (code, code),
            "{per_paragraph} a paragraph"
        );
        // Four times the text, at most ~eight times the CPU; quadratic is 16×.
        assert!(
            large_cpu < 8.0 * small_cpu.max(0.05),
            "{shape}: {large_cpu:.2}s CPU vs {small_cpu:.2}s for a quarter"
        );
    }
    // In one paragraph the pasted sentences are still reported, once,
    // counting the copies (two sentences each).
    let pasted = pasted_sentence(16 << 10, usize::MAX);
    let copy = "Chap arrived at 3 p.m. “Why did you come in?” she asked the porter again. ";
    let copies = pasted.len() / copy.len();
    assert_eq!(copies * copy.len(), pasted.len());
    let dir = book(&[("pasted.txt", &pasted)]);
    manulint_within(LIMIT)
        .current_dir(dir.path())
        .args([
            "check",
            "--select",
            "repeated-sentence",
            "--format",
            "short",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(format!(
            "warning[repeated-sentence] these 2 sentences are written {copies} times in a row",
        )))
        .stdout(predicate::str::contains("Found 0 errors, 1 warning"));
}

#[test]
fn a_file_over_the_size_limit_is_an_error_and_others_are_checked() {
    let dir = book(&[
        ("a.txt", DOUBLED),
        ("huge.txt", &big_chapter(1536 * 1024, false)),
        ("manulint.toml", b"[manuscript]\nmax-file-size-mb = 1\n"),
    ]);
    manulint_within(LIMIT)
        .current_dir(dir.path())
        .args(["check", ".", "--format", "short", "--color", "never"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "huge.txt: too large to check (1.5 MiB; the limit is 1 MiB)",
        ))
        .stderr(predicate::str::contains("raise `max-file-size-mb`"))
        .stdout(predicate::str::contains(DOUBLED_AT));
    let bad = book(&[
        ("a.txt", DOUBLED),
        ("manulint.toml", b"[manuscript]\nmax-file-size-mb = 4096\n"),
    ]);
    manulint_within(LIMIT)
        .current_dir(bad.path())
        .args(["check", ".", "--color", "never"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "max-file-size-mb must be between 1 and 2048, not 4096",
        ));
}

#[test]
fn ten_thousand_small_chapters_are_all_checked() {
    let dir = book(&[]);
    for i in 0..10_000 {
        let text = format!("Chapter {i}\n\nMarisol counted {i} boxes on the shelf.\n");
        fs::write(dir.path().join(format!("ch-{i:05}.txt")), text).unwrap();
    }
    fs::write(dir.path().join("ch-04242.txt"), DOUBLED).unwrap();
    manulint_within(LIMIT)
        .current_dir(dir.path())
        .timeout(Duration::from_secs(300))
        .args(["check", ".", "--format", "short"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "ch-04242.txt:3:12: warning[doubled-word]",
        ))
        .stdout(predicate::str::contains("in 10000 files"));
}

// ------------------------------------------------------------ config and packs

#[test]
fn wrong_typed_config_values_point_at_the_toml() {
    // (config, message, where it points)
    for (toml, expected, place) in [
        (
            "fail-on = 3\n",
            "expected one of the words listed for this setting, in quotes",
            "manulint.toml:1:11]",
        ),
        (
            "[manuscript]\nextensions = \"md\"\n",
            "invalid type: string \"md\", expected a list in brackets, such as [\"a\", \"b\"]",
            "manulint.toml:2:14]",
        ),
        (
            "[rules.doubled-word]\nlevel = 2\n",
            "`level` must be a word in quotes, not a whole number",
            "manulint.toml:2:9]",
        ),
        (
            "[rules.doubled-word]\nallow = \"had\"\n",
            "invalid options for rule `doubled-word`: `allow`: invalid type: string \"had\", expected a list in brackets",
            "manulint.toml:2:9]",
        ),
        (
            "[rules.word-echo]\nuncommon-below = 3.0\nwindow = \"ten\"\n",
            "invalid options for rule `word-echo`: `window`: invalid type: string \"ten\", expected a whole number of 0 or more",
            "manulint.toml:3:10]",
        ),
        (
            "[rules.overused-word]\nmin-ratio = nan\n",
            "invalid options for rule `overused-word`: `min-ratio` must be a number of 0 or more, not NaN",
            "manulint.toml:2:13]",
        ),
    ] {
        let dir = book(&[("a.txt", DOUBLED), ("manulint.toml", toml.as_bytes())]);
        let out = manulint_within(LIMIT)
            .current_dir(dir.path())
            .args(["check", ".", "--color", "never", "--width", "300"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{toml}: {stderr}");
        assert!(stderr.contains(expected), "{toml}: {stderr}");
        // At the value, not at the table's header.
        assert!(stderr.contains(place), "{toml}: {stderr}");
    }
}

#[test]
fn a_non_utf8_config_is_named_without_advice_about_a_flag_not_given() {
    let dir = book(&[
        ("a.txt", DOUBLED),
        ("manulint.toml", b"# caf\xe9\nfail-on = \"warning\"\n"),
    ]);
    let out = manulint_within(LIMIT)
        .current_dir(dir.path())
        .args(["check", ".", "--color", "never"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("cannot read ") && stderr.contains("manulint.toml: it is not valid UTF-8"),
        "{stderr}"
    );
    assert!(stderr.contains("as UTF-8"), "{stderr}");
    assert!(!stderr.contains("--config"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_config_that_is_a_pipe_or_folder_is_refused() {
    let dir = book(&[("a.txt", DOUBLED)]);
    mkfifo(&dir.path().join("pipe.toml"));
    fs::create_dir(dir.path().join("folder.toml")).unwrap();
    for config in ["pipe.toml", "folder.toml", "/dev/zero"] {
        manulint_within(LIMIT)
            .current_dir(dir.path())
            .timeout(Duration::from_secs(60))
            .args(["check", ".", "--config", config, "--color", "never"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "cannot read {config}: not a regular file"
            )));
    }
}

const PACK_HEAD: &str = r#"[pack]
name = "house"

[[rules]]
id = "house-sigh"
kind = "existence"
category = "style"
severity = "warning"
summary = "Sighs"
docs = """
## What it does
Sighs.
## Why
Habit.
## Example
sighed
## Options
None.
"""
message = "“{match}”"
"#;

fn pack_book(pack_body: &str) -> TempDir {
    let pack = format!("{PACK_HEAD}{pack_body}");
    book(&[
        ("chapters/a.txt", DOUBLED),
        ("manulint.toml", b"packs = [\"style/house.toml\"]\n"),
        ("style/house.toml", pack.as_bytes()),
    ])
}

fn pack_error(dir: &TempDir) -> String {
    let out = manulint_within(LIMIT)
        .current_dir(dir.path())
        .args(["check", "chapters", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    // miette wraps long messages; undo it before matching.
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(|l| l.trim_start_matches([' ', '│', '×']).trim_end())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_missing_pack_is_named() {
    let dir = book(&[
        ("chapters/a.txt", DOUBLED),
        ("manulint.toml", b"packs = [\"style/gone.toml\"]\n"),
    ]);
    let stderr = pack_error(&dir);
    assert!(stderr.contains("cannot read rule pack"), "{stderr}");
    assert!(stderr.contains("style/gone.toml: no such file"), "{stderr}");
    assert!(stderr.contains("relative to that file"), "{stderr}");
}

#[test]
fn a_catastrophic_pattern_is_a_quick_clear_error() {
    let started = std::time::Instant::now();
    let dir = pack_book("patterns = ['(?:\\w{500}){500}']\n");
    let stderr = pack_error(&dir);
    assert!(
        stderr.contains(
            "house.toml, line 21: pattern of rule `house-sigh` is too big once compiled (over 10 MiB)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("smaller repetition counts"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[test]
fn an_empty_matching_pattern_is_an_error() {
    let dir = pack_book("patterns = ['(sigh)?']\n");
    let stderr = pack_error(&dir);
    assert!(
        stderr.contains("line 21: pattern of rule `house-sigh` can match the empty string"),
        "{stderr}"
    );
}

#[test]
fn pack_tests_that_do_not_fire_are_errors_at_load() {
    let dir = pack_book("phrases = [\"sighed\"]\ntests = [\"She sighed.\", \"She sat.\"]\n");
    let stderr = pack_error(&dir);
    assert!(
        stderr.contains("line 22: rule `house-sigh` does not flag its test case “She sat.”"),
        "{stderr}"
    );
    let dir = pack_book("phrases = [\"sighed\"]\nallows = [\"He sighed.\"]\n");
    let stderr = pack_error(&dir);
    assert!(
        stderr.contains("rule `house-sigh` flags “He sighed.”, which its `allows` lists as fine"),
        "{stderr}"
    );
}

// ------------------------------------------------------------ baselines

/// The run's findings come first on stdout; the baseline error follows on
/// stderr; exit 2.
fn assert_findings_then_error(dir: &Path, args: &[&str], error: &str) {
    let out = manulint_within(LIMIT)
        .current_dir(dir)
        .args(["check", "a.txt", "--format", "short", "--color", "never"])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stdout.contains(DOUBLED_AT), "{args:?}: {stdout}");
    assert!(
        stdout.contains("Found 0 errors, 1 warning and 0 infos in 1 file"),
        "{args:?}: {stdout}"
    );
    assert!(!stdout.contains("hidden by the baseline"), "{stdout}");
    assert!(stderr.contains(error), "{args:?}: {stderr}");
}

#[test]
fn corrupt_and_folder_baselines_still_print_the_findings_first() {
    let dir = book(&[
        ("a.txt", DOUBLED),
        (
            "corrupt.json",
            b"{\"version\": 1, \"findings\": [{\"rule\": 3}",
        ),
        (
            "wrong.json",
            b"{\"version\": 1, \"findings\": [{\"rule\": 3}]}",
        ),
        ("binary.json", b"\xff\xfe\x00\x01"),
    ]);
    fs::create_dir(dir.path().join("folder")).unwrap();
    let cases = [
        ("corrupt.json", "baseline corrupt.json is not valid JSON"),
        (
            "wrong.json",
            "baseline wrong.json is not a manulint baseline",
        ),
        (
            "binary.json",
            "cannot read baseline binary.json: it is not valid UTF-8",
        ),
        ("folder", "baseline folder is a folder, not a file"),
        (
            "missing.json",
            "cannot read baseline missing.json: no such file",
        ),
    ];
    for (file, error) in cases {
        assert_findings_then_error(dir.path(), &["--baseline", file], error);
    }
}

#[test]
fn failed_baseline_writes_print_the_findings_and_leave_nothing_behind() {
    let dir = book(&[("a.txt", DOUBLED)]);
    fs::create_dir(dir.path().join("folder")).unwrap();
    assert_findings_then_error(
        dir.path(),
        &["--write-baseline", "folder"],
        "cannot write baseline folder: it is a folder",
    );
    assert_findings_then_error(
        dir.path(),
        &["--write-baseline", "gone/b.json"],
        "cannot write baseline gone/b.json: folder gone does not exist",
    );
    assert!(!dir.path().join("gone").exists());
    // No temporary files are left in the folder after a good write either.
    manulint_within(LIMIT)
        .current_dir(dir.path())
        .args(["check", "a.txt", "--write-baseline", "b.json"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("Wrote 1 finding to b.json"));
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("manulint-baseline") || n.ends_with(".tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[cfg(unix)]
#[test]
fn a_read_only_baseline_folder_is_an_error_after_the_findings() {
    use std::os::unix::fs::PermissionsExt;
    let dir = book(&[("a.txt", DOUBLED)]);
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    // Root may write into a read-only folder; /proc refuses everyone.
    let target = if fs::write(locked.join("probe"), b"").is_ok() {
        "/proc/self/manulint-baseline.json".to_string()
    } else {
        "locked/b.json".to_string()
    };
    assert_findings_then_error(
        dir.path(),
        &["--write-baseline", &target],
        &format!("cannot write baseline {target}"),
    );
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn baseline_writes_are_atomic_replacements() {
    let dir = book(&[("a.txt", DOUBLED)]);
    fs::write(dir.path().join("b.json"), b"old").unwrap();
    manulint_within(LIMIT)
        .current_dir(dir.path())
        .args(["check", "a.txt", "--write-baseline", "b.json"])
        .assert()
        .code(0);
    let written = fs::read_to_string(dir.path().join("b.json")).unwrap();
    assert!(written.starts_with("{\n  \"version\": 1,"), "{written}");
    assert!(written.ends_with("}\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The replaced file's permissions are kept.
        let path = dir.path().join("b.json");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        manulint_within(LIMIT)
            .current_dir(dir.path())
            .args(["check", "a.txt", "--write-baseline", "b.json"])
            .assert()
            .code(0);
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
}

// ------------------------------------------------------------ output

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_an_error_not_a_panic() {
    let dir = book(&[("a.txt", DOUBLED)]);
    let out = std::process::Command::new(Path::new(env!("CARGO_BIN_EXE_manulint")))
        .current_dir(dir.path())
        .args(["check", "a.txt"])
        .stdout(fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot write output: No space left on device"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_closed_or_vanished_stdout_is_not_a_panic() {
    let dir = book(&[("a.txt", &big_chapter(200 * 1024, false))]);
    fs::write(dir.path().join("b.txt"), DOUBLED).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_manulint"));
    // Closed: the run behaves as if writing to /dev/null.
    let closed = std::process::Command::new("sh")
        .current_dir(dir.path())
        .arg("-c")
        .arg(format!(
            "'{}' check b.txt --format short >&-",
            bin.display()
        ))
        .output()
        .unwrap();
    assert_eq!(closed.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&closed.stderr).contains("panicked"));
    // A reader that goes away (`| head -1`): quiet, no panic.
    let piped = std::process::Command::new("sh")
        .current_dir(dir.path())
        .arg("-c")
        .arg(format!(
            "'{}' check . --format short --select word-echo,doubled-word | head -1",
            bin.display()
        ))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&piped.stdout).lines().count(), 1);
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

// ------------------------------------------------------------ fuzz finds

/// Inputs the fuzz targets (`fuzz/`) failed on, replayed through the same
/// entry points; each panicked or timed out before its fix.
#[test]
fn fuzz_regressions() {
    // engine: truncated-text's span started inside a no-break space
    // (U+00A0, two bytes) before the chapter's last word.
    manulint::fuzzing::engine(
        b"the\xe2\x80\xafthe cat sat on the\xc2\xa0\x02\xaa\xaa\xaa\xaa\xaa\xaa\xaa\x0a",
    );
    // engine: a straight and a curly quote both left open; quote-style's
    // span ran from the straight one for the curly one's three bytes.
    manulint::fuzzing::engine(b"\"\xe2\x80\x9c");
    // render: one sentence repeated to 70 KB in one paragraph timed out
    // (over 10 s) finding its repeats, each copy paired with the first.
    manulint::fuzzing::render(b"~Chaparrived at 3 p.m. \xe2\x80\x9cWhy?\xff\x0fd in. ");
}

/// The `decode` and `segment` fuzz targets' entry points on their
/// committed seeds, among them the inputs on which the plain-text directive
/// test sliced a character in two (`%%` and a character of several bytes
/// where `manulint-` would end).
#[test]
fn decode_and_segment_fuzz_entry_points_on_their_seeds() {
    for (target, run) in [
        ("decode", manulint::fuzzing::decode as fn(&[u8])),
        ("segment", manulint::fuzzing::segment),
    ] {
        let seeds = std::path::Path::new("fuzz/seeds").join(target);
        let mut count = 0;
        for entry in std::fs::read_dir(&seeds).expect("seed folder") {
            run(&std::fs::read(entry.expect("entry").path()).expect("read seed"));
            count += 1;
        }
        assert!(count >= 1, "{target}: no seeds");
    }
    manulint::fuzzing::segment("%% manulin\u{ff}-x\n\nText.\n".as_bytes());
}

/// The `fix` fuzz target's entry point on its committed seeds: the fix loop
/// ends, leaves unfixed chapters alone and is stable on a second run.
#[test]
fn fix_fuzz_entry_point_on_its_seeds() {
    let seeds = std::path::Path::new("fuzz/seeds/fix");
    let mut count = 0;
    for entry in std::fs::read_dir(seeds).expect("fuzz/seeds/fix") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("read seed");
        manulint::fuzzing::fix(&bytes);
        count += 1;
    }
    assert!(count >= 4, "{count} seeds");
    // Two chapters (0xFF separates them), one needing fixes, one not.
    manulint::fuzzing::fix(b"It was late -- very late.\xffNothing to mend here.\n");
}

/// The `docx` fuzz target's entry point on its committed seeds (whole
/// packages and bare `document.xml` parts) and on broken packages: each is
/// read or refused with a message naming the file, never a panic.
#[test]
fn docx_fuzz_entry_point_on_its_seeds() {
    let seeds = std::path::Path::new("fuzz/seeds/docx");
    let mut count = 0;
    for entry in std::fs::read_dir(seeds).expect("fuzz/seeds/docx") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("read seed");
        manulint::fuzzing::docx(&bytes);
        // Cut short, as a download that stopped half way.
        manulint::fuzzing::docx(&bytes[..bytes.len() / 2]);
        count += 1;
    }
    assert!(count >= 5, "{count} seeds");
    for broken in [
        &b"PK\x03\x04"[..],
        b"<w:document><w:body><w:p><w:r><w:t>unclosed",
        b"<?xml version=\"1.0\"?><w:document xmlns:w=\"x\"/>",
        b"",
    ] {
        manulint::fuzzing::docx(broken);
    }
}

/// The `lsp_frames` fuzz target's entry point on its committed seeds, each
/// also cut at every byte (a session that ends mid-message).
#[test]
fn lsp_frames_fuzz_entry_point_on_its_seeds() {
    let seeds = std::path::Path::new("fuzz/seeds/lsp_frames");
    let mut count = 0;
    for entry in std::fs::read_dir(seeds).expect("fuzz/seeds/lsp_frames") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("read seed");
        for end in 0..=bytes.len() {
            manulint::fuzzing::lsp_frames(&bytes[..end]);
        }
        count += 1;
    }
    assert!(count >= 3, "{count} seeds");
}
