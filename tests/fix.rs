//! `manulint check --fix` and `--diff`: what they change, what they never
//! touch, and that files keep their encoding, line endings and permissions.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

mod common;
use common::{book, manulint};

/// A copy of `fixtures/fix/mixed` in a temporary folder.
fn mixed_fixture() -> TempDir {
    let source = Path::new("fixtures/fix/mixed");
    let mut files = Vec::new();
    for entry in fs::read_dir(source).expect("fixture folder") {
        let path = entry.expect("entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        files.push((name, fs::read(&path).expect("read fixture")));
    }
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    book(&refs)
}

fn read_all(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn diff_shows_the_safe_fixes_and_writes_nothing() {
    let before = read_all(Path::new("fixtures/fix/mixed"));
    let output = manulint()
        .args(["check", "fixtures/fix/mixed", "--diff"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "something to fix: exit 1");
    let stderr = String::from_utf8(output.stderr).unwrap();
    // The unsafe fixes the preview leaves out are counted.
    assert_eq!(
        stderr,
        "Would fix 7 findings in 2 files\n\
         note: 2 more findings can be fixed with `--diff --unsafe-fixes` (check each one)\n"
    );
    insta::assert_snapshot!("diff_safe", String::from_utf8(output.stdout).unwrap());
    assert_eq!(read_all(Path::new("fixtures/fix/mixed")), before);
}

#[test]
fn diff_with_unsafe_fixes_adds_spelling_and_headings() {
    let output = manulint()
        .args(["check", "fixtures/fix/mixed", "--diff", "--unsafe-fixes"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr, "Would fix 9 findings in 2 files\n");
    insta::assert_snapshot!("diff_unsafe", String::from_utf8(output.stdout).unwrap());
}

/// `--diff -o FILE` writes the diff `git apply` takes to FILE, atomically,
/// and prints nothing on stdout; `--diff -q` prints only the count. Both
/// exit 1 as there is something to fix, and neither touches a chapter.
#[test]
fn diff_goes_to_the_output_file_or_only_its_count_with_quiet() {
    let dir = mixed_fixture();
    let before = read_all(dir.path());
    let printed = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--diff"])
        .output()
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let patch = out.path().join("fixes.patch");
    let written = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--diff", "-o"])
        .arg(&patch)
        .output()
        .unwrap();
    assert_eq!(written.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&written.stdout), "");
    let stderr = String::from_utf8(written.stderr).unwrap();
    assert!(
        stderr.contains("Would fix 7 findings in 2 files"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("Wrote the diff to {}", patch.display())),
        "{stderr}"
    );
    assert!(!printed.stdout.is_empty());
    assert_eq!(fs::read(&patch).unwrap(), printed.stdout);

    let quiet = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--diff", "-q"])
        .output()
        .unwrap();
    assert_eq!(quiet.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&quiet.stdout), "");
    let stderr = String::from_utf8(quiet.stderr).unwrap();
    assert_eq!(stderr.trim_end(), "Would fix 7 findings in 2 files");
    assert_eq!(read_all(dir.path()), before, "no chapter written");
}

/// The diff is of the files' bytes as `--fix` writes them: a
/// Windows-1252 chapter's hunks are in Windows-1252 and a byte-order mark
/// stays on the first line, so `git apply` takes the patch (a diff of the
/// decoded text failed on both, and a patch that fails in one file is
/// refused whole); a UTF-16 chapter, which git reads as binary, gets a
/// note instead of a hunk.
#[test]
fn the_diff_is_of_the_file_bytes_in_their_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let files: [(&str, &[u8]); 3] = [
        (
            "bom.txt",
            b"\xef\xbb\xbfChapter\n\nShe opened the the door.\n",
        ),
        ("cp.txt", b"Chapter\n\n\x93Hi,\x94 she said the the same.\n"),
        (
            "wide.txt",
            b"\xff\xfeC\0\n\0\n\0I\0 \0s\0a\0w\0 \0t\0h\0e\0 \0t\0h\0e\0 \0s\0e\0a\0.\0\n\0",
        ),
    ];
    for (name, bytes) in files {
        fs::write(dir.path().join(name), bytes).unwrap();
    }
    let output = manulint()
        .current_dir(dir.path())
        .args([
            "check",
            ".",
            "--diff",
            "--encoding",
            "windows-1252",
            "--select",
            "doubled-word",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let expected: &[u8] =
        b"--- a/bom.txt\n+++ b/bom.txt\n@@ -1,3 +1,3 @@\n \xef\xbb\xbfChapter\n \n\
-She opened the the door.\n+She opened the door.\n\
--- a/cp.txt\n+++ b/cp.txt\n@@ -1,3 +1,3 @@\n Chapter\n \n\
-\x93Hi,\x94 she said the the same.\n+\x93Hi,\x94 she said the same.\n";
    assert_eq!(
        output.stdout,
        expected,
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("note: no diff for wide.txt: it is UTF-16, which git applies no text patch to; --fix writes it"),
        "{stderr}"
    );
}

/// A fix the file's encoding cannot hold (a curly quote in ISO-8859-15):
/// `--diff` says so as `--fix` does, as an error with exit 2, and counts
/// only what `--fix` would write, where it printed “Would fix 1 finding”
/// and exit 1 before `--fix` refused the file.
#[test]
fn diff_says_when_fix_could_not_write_a_file() {
    let dir = common::book(&[
        (
            "01.txt",
            "Chapter\n\n“Curly,” she said. “Always curly.”\n".as_bytes(),
        ),
        ("02.txt", b"Chapter\n\n\"Caf\xe9,\" he said.\n"),
    ]);
    let run = |fix: &str| {
        manulint()
            .current_dir(dir.path())
            .args([
                "check",
                ".",
                fix,
                "--encoding",
                "iso-8859-15",
                "--select",
                "quote-style",
            ])
            .output()
            .unwrap()
    };
    let diff = run("--diff");
    let stderr = String::from_utf8_lossy(&diff.stderr);
    assert_eq!(diff.status.code(), Some(2), "{stderr}");
    assert!(diff.stdout.is_empty());
    assert!(
        stderr.contains(
            "error: cannot fix 02.txt: a fix needs a character ISO-8859-15 cannot hold; not fixed"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("Would fix 0 findings in 0 files"),
        "{stderr}"
    );
    let fix = run("--fix");
    assert_eq!(fix.status.code(), Some(2));
    assert_eq!(
        fs::read(dir.path().join("02.txt")).unwrap(),
        b"Chapter\n\n\"Caf\xe9,\" he said.\n"
    );
}

/// `--diff -o` never replaces a chapter with the diff.
#[test]
fn diff_output_onto_a_chapter_is_refused() {
    let dir = mixed_fixture();
    let before = read_all(dir.path());
    let output = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--diff", "-o", "chapter-02.md"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(
            "chapter-02.md is a chapter of the manuscript; not replacing it with the diff"
        ),
        "{stderr}"
    );
    assert_eq!(read_all(dir.path()), before);
}

/// What `--diff` cannot be combined with is a usage error (exit 2) that
/// says so, not a diff in place of the report asked for, nor a baseline or
/// a Word copy silently left unwritten.
#[test]
fn diff_with_a_report_format_or_a_writing_option_is_a_usage_error() {
    let dir = mixed_fixture();
    let before = read_all(dir.path());
    for (extra, expected) in [
        (
            &["--format", "json"][..],
            "--diff prints a unified diff, not a report: drop --format",
        ),
        (
            &["--format", "sarif"][..],
            "--diff prints a unified diff, not a report: drop --format",
        ),
        (
            &["--fix"][..],
            "the argument '--diff' cannot be used with '--fix'",
        ),
        (
            &["--statistics"][..],
            "the argument '--diff' cannot be used with '--statistics'",
        ),
        (
            &["--write-baseline", "b.json"][..],
            "the argument '--diff' cannot be used with '--write-baseline <FILE>'",
        ),
    ] {
        let output = manulint()
            .current_dir(dir.path())
            .args(["check", ".", "--diff"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{extra:?}");
        assert_eq!(String::from_utf8_lossy(&output.stdout), "", "{extra:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(expected), "{extra:?}: {stderr}");
    }
    // `--format human` is the diff's own output: allowed.
    let human = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--diff", "--format", "human"])
        .output()
        .unwrap();
    assert_eq!(human.status.code(), Some(1));
    assert_eq!(read_all(dir.path()), before);
}

#[test]
fn fix_writes_once_and_a_second_run_changes_nothing() {
    let dir = mixed_fixture();
    let first = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--fix", "--format", "short"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(first.stderr).unwrap();
    assert!(stderr.contains("Fixed 7 findings in 2 files"), "{stderr}");
    // What remains: the scaffolding heading (an error, unsafe fix only),
    // the speech opened with a dash in a book of quotation marks (no fix:
    // the hyphens became em dashes, the convention is the writer's call)
    // and the spelling variant.
    let stdout = String::from_utf8(first.stdout).unwrap();
    let rules: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split('[').nth(1)?.split(']').next())
        .collect();
    assert_eq!(
        rules,
        vec!["scaffolding-heading", "dialogue-dash", "spelling-variant"],
        "{stdout}"
    );
    assert_eq!(first.status.code(), Some(1), "the heading is an error");
    let ch2 = fs::read_to_string(dir.path().join("chapter-02.md")).unwrap();
    assert!(ch2.contains("“We’re goin’ back to the ’90s,” she said, “rock ’n’ roll and all.”"));
    assert!(ch2.contains("—I have to go, — Wren said."));
    assert!(ch2.contains("along the rail\nand waited… The paint"));
    // Code and HTML comments are never edited.
    assert!(ch2.contains("`print(\"don't touch...\")`"));
    assert!(ch2.contains("<!-- \"an editor's comment\" - keep as is -->"));
    let ch1 = fs::read_to_string(dir.path().join("chapter-01.md")).unwrap();
    assert!(
        ch1.contains("title = \"The \\\"Harbour\\\" Years\""),
        "front matter kept"
    );

    let after_first = read_all(dir.path());
    let second = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--fix", "--format", "short"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(second.stderr).unwrap();
    assert!(stderr.contains("Fixed 0 findings in 0 files"), "{stderr}");
    assert_eq!(read_all(dir.path()), after_first, "idempotent");
    let findings = |out: &str| -> Vec<String> {
        out.lines()
            .filter(|l| !l.starts_with("Found"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        findings(&String::from_utf8(second.stdout).unwrap()),
        findings(&stdout)
    );
}

#[test]
fn the_note_after_fix_says_what_is_left_and_why() {
    let note_of = |dir: &Path, args: &[&str]| -> Vec<String> {
        let out = manulint()
            .current_dir(dir)
            .args(["check", ".", "--fix", "--width", "300"])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(out.stderr)
            .unwrap()
            .lines()
            .filter(|l| l.contains("fix") && l.starts_with("note:"))
            .map(str::to_string)
            .collect()
    };
    // Safe fixes applied: only the unsafe ones are offered.
    let dir = mixed_fixture();
    assert_eq!(
        note_of(dir.path(), &[]),
        ["note: 2 more findings can be fixed with `--fix --unsafe-fixes` (check each one)"]
    );
    // Everything applied: nothing to say.
    let dir = mixed_fixture();
    assert_eq!(
        note_of(dir.path(), &["--unsafe-fixes"]),
        Vec::<String>::new()
    );
    // A file that cannot be written: its findings are not "fixable with --fix".
    let dir = book(&[("a.txt", b"Chapter\n\nShe went to the the door.\n")]);
    fs::set_permissions(dir.path().join("a.txt"), fs::Permissions::from_mode(0o444)).unwrap();
    assert_eq!(
        note_of(dir.path(), &[]),
        ["note: 1 finding with a fix not fixed: its file could not be written (see above)"]
    );
}

/// Every fix applied, what remains is what has none: the one paragraph
/// of speech opened with a dash in a book of quotation marks (a warning,
/// so the run exits 0).
#[test]
fn unsafe_fixes_leave_only_what_has_no_fix() {
    let dir = mixed_fixture();
    let run = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--fix", "--unsafe-fixes", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let left: Vec<(&str, &str, u64, bool)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
                d["fix"].is_null(),
            )
        })
        .collect();
    assert_eq!(
        left,
        [("dialogue-dash", "chapter-02.md", 5, true)],
        "{json}"
    );
    let ch2 = fs::read_to_string(dir.path().join("chapter-02.md")).unwrap();
    assert!(ch2.starts_with("# Chapter Two\n\n“We’re"), "{ch2}");
    assert!(ch2.contains("the colour of old teeth"));
}

#[test]
fn json_and_sarif_carry_the_fix() {
    let json = manulint()
        .args(["check", "fixtures/fix/mixed", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["version"], 4);
    let doubled = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "doubled-word")
        .expect("doubled word found");
    let text = fs::read_to_string("fixtures/fix/mixed/chapter-02.md").unwrap();
    let start = text.find("the the rail").unwrap() + 3;
    assert_eq!(
        doubled["fix"],
        serde_json::json!({
            "applicability": "safe",
            "description": "delete the second “the”",
            "edits": [{ "byte_start": start, "byte_end": start + 4, "replacement": "" }]
        })
    );
    let spelling = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "spelling-variant")
        .expect("spelling variant found");
    assert_eq!(spelling["fix"]["applicability"], "unsafe");
    assert_eq!(spelling["fix"]["edits"][0]["replacement"], "colour");

    let sarif = manulint()
        .args(["check", "fixtures/fix/mixed", "--format", "sarif"])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "doubled-word")
        .unwrap();
    let replacement = &result["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["deletedRegion"]["byteOffset"], start);
    assert_eq!(replacement["deletedRegion"]["byteLength"], 4);
    assert_eq!(replacement["insertedContent"]["text"], "");
    assert_eq!(
        result["fixes"][0]["artifactChanges"][0]["artifactLocation"]["uri"],
        "fixtures/fix/mixed/chapter-02.md"
    );
}

/// A curly-quoted chapter, so the fixed one takes curly quotes.
const CURLY: &[u8] = "“It’s late,” she said. “Don’t wait.” ‘No.’ “We’ll see.”\n".as_bytes();

/// Runs `--fix` on `chapter-02.txt` with `bytes` (beside [`CURLY`]) and
/// returns the bytes written.
fn fixed_bytes(bytes: &[u8], extra: &[&str]) -> Vec<u8> {
    let dir = book(&[("chapter-01.txt", CURLY), ("chapter-02.txt", bytes)]);
    let mut args = vec!["check", ".", "--fix", "-q"];
    args.extend_from_slice(extra);
    let run = manulint()
        .current_dir(dir.path())
        .args(&args)
        .output()
        .unwrap();
    assert!(
        matches!(run.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    fs::read(dir.path().join("chapter-02.txt")).unwrap()
}

fn utf16_with_bom(text: &str, big_endian: bool) -> Vec<u8> {
    let bom: &[u8] = if big_endian {
        &[0xFE, 0xFF]
    } else {
        &[0xFF, 0xFE]
    };
    [bom, &common::utf16(text, big_endian)].concat()
}

#[test]
fn line_endings_boms_and_encodings_survive_byte_for_byte() {
    /// Name, bytes before, bytes expected after, extra arguments.
    type Case = (&'static str, Vec<u8>, Vec<u8>, Vec<&'static str>);
    let cases: Vec<Case> = vec![
        (
            "CRLF",
            b"Her \"yes\" came.\r\n\r\nThe the end.\r\n".to_vec(),
            "Her “yes” came.\r\n\r\nThe end.\r\n".as_bytes().to_vec(),
            vec![],
        ),
        (
            "lone CR",
            b"Her \"yes\" came.\r\rThe the end.\r".to_vec(),
            "Her “yes” came.\r\rThe end.\r".as_bytes().to_vec(),
            vec![],
        ),
        (
            "UTF-8 BOM",
            b"\xEF\xBB\xBFHer \"yes\" came.\n".to_vec(),
            "\u{FEFF}Her “yes” came.\n".as_bytes().to_vec(),
            vec![],
        ),
        (
            "UTF-16LE",
            utf16_with_bom("Her \"yes\" came.\r\n", false),
            utf16_with_bom("Her “yes” came.\r\n", false),
            vec![],
        ),
        (
            "UTF-16BE",
            utf16_with_bom("Her \"yes\" came.\n", true),
            utf16_with_bom("Her “yes” came.\n", true),
            vec![],
        ),
        (
            "windows-1252",
            b"Caf\xE9 \"oui\" came...\r\n".to_vec(),
            b"Caf\xE9 \x93oui\x94 came...\r\n".to_vec(),
            vec!["--encoding", "windows-1252"],
        ),
    ];
    for (name, input, expected, extra) in cases {
        let got = fixed_bytes(&input, &extra);
        assert_eq!(got, expected, "{name}");
    }
}

#[test]
fn permissions_are_kept_and_no_temporary_file_is_left() {
    let dir = book(&[
        ("chapter-01.txt", CURLY),
        ("chapter-02.txt", b"Her \"yes\" came.\n"),
    ]);
    let path = dir.path().join("chapter-02.txt");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--fix", "-q"])
        .assert()
        .code(0);
    assert_eq!(fs::read_to_string(&path).unwrap(), "Her “yes” came.\n");
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with(".manulint-fix-")),
        "{names:?}"
    );
}

#[test]
fn links_are_followed_and_read_only_or_hard_linked_files_left_alone() {
    const DOUBLED: &str = "Chapter\n\nShe went to the the door.\n";
    const FIXED: &str = "Chapter\n\nShe went to the door.\n";
    let dir = book(&[("real/a.txt", DOUBLED.as_bytes())]);
    let root = dir.path();
    fs::create_dir_all(root.join("book")).unwrap();
    // A chapter that is a symbolic link: the file it points to is fixed,
    // and the link stays a link.
    std::os::unix::fs::symlink(root.join("real/a.txt"), root.join("book/a.txt")).unwrap();
    // A read-only chapter and one with a second hard link are not written.
    fs::write(root.join("book/b.txt"), DOUBLED).unwrap();
    fs::set_permissions(root.join("book/b.txt"), fs::Permissions::from_mode(0o444)).unwrap();
    fs::write(root.join("book/c.txt"), DOUBLED).unwrap();
    fs::hard_link(root.join("book/c.txt"), root.join("c-copy.txt")).unwrap();
    // `--diff` previews only what `--fix` will write, and says why not
    // the rest, as `--fix` does.
    let preview = manulint()
        .current_dir(root)
        .args(["check", "book", "--diff"])
        .output()
        .unwrap();
    let (diff, stderr) = (
        String::from_utf8_lossy(&preview.stdout),
        String::from_utf8_lossy(&preview.stderr),
    );
    assert_eq!(preview.status.code(), Some(2), "{stderr}");
    assert!(diff.starts_with("--- a/book/a.txt\n"), "{diff}");
    assert!(!diff.contains("b.txt") && !diff.contains("c.txt"), "{diff}");
    assert!(
        stderr.contains("error: cannot fix book/b.txt: it is read-only; not fixed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: cannot fix book/c.txt: it has 2 hard links"),
        "{stderr}"
    );
    assert!(stderr.contains("Would fix 1 finding in 1 file"), "{stderr}");
    let out = manulint()
        .current_dir(root)
        .args([
            "check", "book", "--fix", "--format", "short", "--width", "300",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        fs::symlink_metadata(root.join("book/a.txt"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(root.join("real/a.txt")).unwrap(), FIXED);
    assert!(
        stderr.contains("cannot fix book/b.txt: it is read-only; not fixed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("cannot fix book/c.txt: it has 2 hard links"),
        "{stderr}"
    );
    // Run by root (a CI container), a chapter keeps its owner and group.
    let owned = root.join("own.txt");
    fs::write(&owned, DOUBLED).unwrap();
    if std::os::unix::fs::chown(&owned, Some(65534), Some(65534)).is_ok() {
        manulint()
            .current_dir(root)
            .args(["check", "own.txt", "--fix", "-q"])
            .assert()
            .code(0);
        use std::os::unix::fs::MetadataExt;
        let metadata = fs::metadata(&owned).unwrap();
        assert_eq!((metadata.uid(), metadata.gid()), (65534, 65534));
        assert_eq!(fs::read_to_string(&owned).unwrap(), FIXED);
    } else {
        eprintln!("not root: the owner is not changed, so its keeping is not tested");
    }
    for unchanged in ["book/b.txt", "book/c.txt", "c-copy.txt"] {
        assert_eq!(
            fs::read_to_string(root.join(unchanged)).unwrap(),
            DOUBLED,
            "{unchanged}"
        );
    }
}

#[test]
fn only_the_files_checked_are_written() {
    // Pre-commit passes one file; the whole manuscript is context.
    let dir = book(&[
        (
            "manulint.toml",
            b"[manuscript]\ninclude = [\"chapters/**\"]\n",
        ),
        ("chapters/chapter-01.txt", CURLY),
        ("chapters/chapter-02.txt", b"Her \"yes\" came.\n"),
        ("chapters/chapter-03.txt", b"His \"no\" went.\n"),
    ]);
    manulint()
        .current_dir(dir.path())
        .args(["check", "--fix", "-q", "chapters/chapter-03.txt"])
        .assert()
        .code(0);
    let read = |name: &str| fs::read_to_string(dir.path().join("chapters").join(name)).unwrap();
    assert_eq!(read("chapter-03.txt"), "His “no” went.\n");
    assert_eq!(
        read("chapter-02.txt"),
        "Her \"yes\" came.\n",
        "not passed, not written"
    );
}

#[test]
fn a_file_changed_since_it_was_read_is_left_alone() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("chapter.txt");
    fs::write(&path, "Her \"yes\" came, and she went out again.\n").unwrap();
    let read = "Her \"yes\" came.\n";
    let result = manulint::fix::write_chapter(&path, read, "Her “yes” came.\n", None);
    assert_eq!(result, Err(manulint::fix::WriteError::Changed));
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "Her \"yes\" came, and she went out again.\n"
    );
}

#[test]
fn rules_lists_what_each_rule_can_fix() {
    let out = manulint().args(["rules"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let fix_column = |id: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{id} ")))
            .and_then(|l| l.split_whitespace().nth(3))
            .map(str::to_string)
    };
    assert_eq!(fix_column("quote-style").as_deref(), Some("safe"));
    assert_eq!(fix_column("doubled-word").as_deref(), Some("safe"));
    assert_eq!(fix_column("spelling-variant").as_deref(), Some("unsafe"));
    assert_eq!(fix_column("anachronism").as_deref(), Some("-"));
}

/// A small deterministic generator for the mutations (no `rand` needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn chance(&mut self, one_in: u64) -> bool {
        self.next().is_multiple_of(one_in)
    }
}

/// Flips about one typographic mark in `one_in` to its other style, and
/// opens some paragraphs with a hyphen dialogue dash.
fn mutate(text: &str, rng: &mut Lcg, one_in: u64) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at_paragraph_start = true;
    for c in text.chars() {
        if at_paragraph_start && c.is_alphabetic() && rng.chance(one_in * 4) {
            out.push('-');
        }
        at_paragraph_start = c == '\n' && (out.ends_with('\n') || at_paragraph_start);
        let flipped = match c {
            '“' | '”' if rng.chance(one_in) => Some("\""),
            '’' if rng.chance(one_in) => Some("'"),
            '"' if rng.chance(one_in) => Some("“"),
            '…' if rng.chance(one_in / 4 + 1) => Some("..."),
            _ => None,
        };
        match flipped {
            Some(s) => out.push_str(s),
            None => out.push(c),
        }
    }
    out
}

/// Typographic marks and the spaces beside them: all a safe typography fix
/// may add or remove.
fn typographic(c: char) -> bool {
    "\"'“”‘’-—….  ".contains(c)
}

/// `--fix` on mutated copies of corpus chapters changes nothing but
/// typographic marks (no letter, digit or line break), leaves no finding it
/// could fix, and is idempotent.
#[test]
fn fixing_mutated_corpus_chapters_touches_only_the_marks() {
    let corpus = Path::new("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("SKIP: ../shared/corpus not found");
        return;
    }
    let mut novels: Vec<PathBuf> = fs::read_dir(corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    novels.sort();
    let workspace = manulint::workspace::Workspace::open(
        &manulint::workspace::Settings {
            select: vec![
                "quote-style".into(),
                "dialogue-dash".into(),
                "ellipsis-style".into(),
            ],
            ..Default::default()
        },
        Path::new("fixtures/fix"),
    )
    .expect("workspace opens");
    let mut rng = Lcg(0x5eed_2026);
    let mut mended_findings = 0;
    for novel in &novels {
        let (manuscript, problems) = workspace.load(std::slice::from_ref(novel));
        assert!(problems.is_empty(), "{}", novel.display());
        // Three chapters of each novel, mutated in memory.
        let chapters: Vec<manulint::text::Chapter> = manuscript
            .into_chapters()
            .into_iter()
            .filter(|c| c.word_count() > 200)
            .take(3)
            .enumerate()
            .map(|(i, c)| {
                let text = mutate(&c.text, &mut rng, 40);
                manulint::text::Chapter::parse(i, c.path, c.format, text.into())
            })
            .collect();
        let mutated: Vec<String> = chapters.iter().map(|c| c.text.to_string()).collect();
        let mended = manulint::fix::fix_manuscript(
            manulint::text::Manuscript::new(chapters),
            |m| workspace.findings(m, None),
            manulint::diagnostic::Applicability::Safe,
            |_| true,
        );
        mended_findings += mended.fixed.iter().sum::<usize>();
        for (chapter, before) in mended.manuscript.chapters.iter().zip(&mutated) {
            let diff = similar::TextDiff::from_chars(before.as_str(), &*chapter.text);
            for change in diff.iter_all_changes() {
                if change.tag() != similar::ChangeTag::Equal {
                    let value = change.value();
                    assert!(
                        value.chars().all(typographic),
                        "{}: a fix changed {value:?}",
                        chapter.path.display()
                    );
                }
            }
        }
        // Nothing left that a safe fix could mend, and a second run is a
        // no-op.
        let left = workspace.findings(&mended.manuscript, None);
        let fixable: Vec<&str> = left
            .iter()
            .filter(|d| d.fix.is_some())
            .map(|d| d.message.as_str())
            .collect();
        assert!(fixable.is_empty(), "{}: {fixable:?}", novel.display());
        let texts: Vec<String> = mended
            .manuscript
            .chapters
            .iter()
            .map(|c| c.text.to_string())
            .collect();
        let again = manulint::fix::fix_manuscript(
            mended.manuscript,
            |m| workspace.findings(m, None),
            manulint::diagnostic::Applicability::Safe,
            |_| true,
        );
        assert_eq!(again.fixed.iter().sum::<usize>(), 0);
        let texts_again: Vec<String> = again
            .manuscript
            .chapters
            .iter()
            .map(|c| c.text.to_string())
            .collect();
        assert_eq!(texts_again, texts, "{}: not idempotent", novel.display());
    }
    eprintln!("mended {mended_findings} findings in mutated corpus chapters");
    assert!(mended_findings > 50, "the mutations gave too little to fix");
}

/// `prefer = "British"` with `--fix --unsafe-fixes`: a British book with a
/// chapter exported from an American spell-checker ends British throughout,
/// where each word's majority wrote “color” into the British chapter and
/// “realised” into the American one; the next check is clean.
#[test]
fn prefer_fixes_toward_the_house_spelling() {
    let dir = common::book_of_text(&[
        (
            "manulint.toml",
            "[rules.spelling-variant]\nprefer = \"British\"\n",
        ),
        (
            "01.md",
            "# One\n\nThe colour of the grey river. She realised it.\n",
        ),
        (
            "02.txt",
            "Two\n\nThe color was gray, gray, gray. The color of it. He realized.\n",
        ),
    ]);
    let out = manulint()
        .current_dir(dir.path())
        .args([
            "check",
            ".",
            "--select",
            "spelling-variant",
            "--fix",
            "--unsafe-fixes",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("01.md")).unwrap(),
        "# One\n\nThe colour of the grey river. She realised it.\n"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("02.txt")).unwrap(),
        "Two\n\nThe colour was grey, grey, grey. The colour of it. He realised.\n"
    );
}
