//! `-o/--output FILE`: the report of any format written atomically to a
//! file, and the errors that stop it (exit 2), never clobbering a chapter.

use std::fs;

mod common;
use common::{stderr, stdout};

#[test]
fn output_file_is_written_atomically_for_every_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("findings.json");
    fs::write(&target, "old").expect("write");
    let output = common::output(&[
        "check",
        "fixtures/sample-novel/",
        "--format",
        "json",
        "--output",
        target.to_str().expect("UTF-8"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output).trim(),
        format!("Wrote the report (35 findings) to {}", target.display())
    );
    let direct = common::output(&["check", "fixtures/sample-novel/", "--format", "json"]);
    assert_eq!(
        fs::read_to_string(&target).expect("read"),
        stdout(&direct),
        "the file holds what stdout would"
    );
    let names: Vec<String> = fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["findings.json"], "no temporary file is left");

    // Human output to a file has no colour codes even with --color auto.
    let human = dir.path().join("findings.txt");
    let output = common::output(&[
        "check",
        "fixtures/sample-novel/",
        "-o",
        human.to_str().expect("UTF-8"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = fs::read_to_string(&human).expect("read");
    assert!(text.contains("draft marker “TK” left in the text"));
    assert!(!text.contains('\u{1b}'));

    // With -q the text report is the summary alone, and the message says
    // so rather than count findings the file does not hold; JSON keeps them.
    let output = common::output(&[
        "check",
        "fixtures/sample-novel/",
        "-q",
        "-o",
        human.to_str().expect("UTF-8"),
    ]);
    assert_eq!(
        stderr(&output).trim(),
        format!(
            "Wrote the summary (35 findings not listed, as -q asks) to {}",
            human.display()
        )
    );
    assert!(
        fs::read_to_string(&human)
            .expect("read")
            .starts_with("Found 14 errors, 15 warnings and 6 infos in 4 files")
    );
    let output = common::output(&[
        "check",
        "fixtures/sample-novel/",
        "-q",
        "--format",
        "json",
        "-o",
        target.to_str().expect("UTF-8"),
    ]);
    assert_eq!(
        stderr(&output).trim(),
        format!("Wrote the report (35 findings) to {}", target.display())
    );
}

#[test]
fn output_errors_exit_2_and_never_clobber_a_chapter() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("no/such/folder/report.html");
    let output = common::output(&[
        "check",
        "fixtures/sample-novel/",
        "--format",
        "json",
        "-o",
        missing.to_str().expect("UTF-8"),
        "--width",
        "400",
    ]);
    assert_eq!(output.status.code(), Some(2));
    // Said of the folder given, not of the temporary file beside the report.
    assert!(
        stderr(&output).contains(&format!(
            "× cannot write the report to {}: folder {} does not exist\n  help: create the folder first, or write the report somewhere else",
            missing.display(),
            missing.parent().unwrap().display()
        )),
        "{}",
        stderr(&output)
    );
    assert!(
        !stderr(&output).contains(".manulint-"),
        "{}",
        stderr(&output)
    );
    assert!(!missing.exists());

    let output = common::output(&[
        "check",
        "fixtures/sample-novel/",
        "-o",
        dir.path().to_str().expect("UTF-8"),
        "--width",
        "400",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(": it is a folder\n  help: name the report file itself"),
        "{}",
        stderr(&output)
    );

    let chapter = dir.path().join("chapter.md");
    let text = "It was a long day. TODO fix this.\n";
    fs::write(&chapter, text).expect("write");
    let output = common::output(&[
        "check",
        dir.path().to_str().expect("UTF-8"),
        "--format",
        "json",
        "-o",
        chapter.to_str().expect("UTF-8"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    // After the note that the chapter has no story year.
    assert_eq!(
        stderr(&output).lines().last(),
        Some(format!(
            "error: {} is a chapter of the manuscript; not replacing it with the report (choose another --output file)",
            chapter.display()
        ).as_str())
    );
    assert_eq!(fs::read_to_string(&chapter).expect("read"), text);
}

#[test]
fn a_report_that_the_next_check_would_read_as_a_chapter_is_noted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("book");
    fs::create_dir_all(book.join("part-1")).expect("folders");
    fs::write(
        book.join("part-1/one.txt"),
        "One\n\nShe closed the the door.\n",
    )
    .expect("write");
    let run = |target: &std::path::Path| {
        assert_cmd::Command::cargo_bin("manulint")
            .expect("binary")
            .current_dir(&book)
            .args(["check", ".", "--format", "short", "--width", "300", "-o"])
            .arg(target)
            .output()
            .expect("run")
    };
    let warned = "is in the manuscript's folder with a chapter file's extension: the next check \
                  will read the report as a chapter";
    // In the book, as a .txt: noted.
    let output = run(&book.join("findings.txt"));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!("findings.txt {warned}")),
        "{}",
        stderr(&output)
    );
    // Beside the book, or not a chapter's extension: nothing to say.
    fs::remove_file(book.join("findings.txt")).expect("remove");
    for target in [dir.path().join("findings.txt"), book.join("findings.json")] {
        let output = run(&target);
        assert!(!stderr(&output).contains(warned), "{}", stderr(&output));
    }
}

/// A run that names one chapter (as a pre-commit hook or an editor task
/// does) still never writes an output over another chapter of its book, a
/// Word file included, and `--write-baseline` is refused a chapter as `-o`
/// is: each had replaced the chapter, and the run exited 0. The refusal
/// comes before any work, with exit 2; a new file in the book's folder is
/// written with the note that the next check will read it.
#[test]
fn outputs_never_replace_a_chapter_of_the_book_when_one_file_is_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("book");
    fs::create_dir_all(&book).expect("folder");
    let one = "# One\n\nShe closed the the door.\n";
    fs::write(book.join("ch01.md"), one).expect("write");
    fs::write(book.join("ch02.md"), "# Two\n\nHe left at TK.\n").expect("write");
    let word = fs::read("fixtures/docx/python-docx/novel.docx").expect("a Word fixture");
    fs::write(book.join("ch03.docx"), &word).expect("write");
    let run = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("manulint")
            .expect("binary")
            .current_dir(dir.path())
            .args(args)
            .args(["--width", "300"])
            .output()
            .expect("run")
    };
    for (args, refusal) in [
        (
            &[
                "check",
                "book/ch02.md",
                "--format",
                "json",
                "-o",
                "book/ch01.md",
            ][..],
            "error: book/ch01.md is a chapter file of the book; not replacing it with the report (choose another --output file)",
        ),
        (
            &["check", "book/ch02.md", "-o", "book/ch03.docx"][..],
            "error: book/ch03.docx is a chapter file of the book; not replacing it with the report (choose another --output file)",
        ),
        (
            &["check", "book/ch02.md", "--diff", "-o", "book/ch03.docx"][..],
            "error: book/ch03.docx is a chapter file of the book; not replacing it with the diff (choose another --output file)",
        ),
        (
            &["check", "book/ch02.md", "--write-baseline", "book/ch01.md"][..],
            "error: book/ch01.md is a chapter file of the book; not replacing it with the baseline (choose another --write-baseline file)",
        ),
        (
            &["check", "book", "--write-baseline", "book/ch03.docx"][..],
            "error: book/ch03.docx is a chapter of the manuscript; not replacing it with the baseline (choose another --write-baseline file)",
        ),
    ] {
        let output = run(args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(stderr(&output).trim_end(), refusal, "{args:?}");
        assert_eq!(stdout(&output), "", "{args:?}");
    }
    assert_eq!(fs::read_to_string(book.join("ch01.md")).expect("read"), one);
    assert_eq!(fs::read(book.join("ch03.docx")).expect("read"), word);

    // A new file beside the chapter is written, and noted; one outside the
    // book is written without a word, and written again on the next run.
    let output = run(&["check", "book/ch02.md", "-q", "-o", "book/findings.md"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(
            "note: book/findings.md is in the manuscript's folder with a chapter file's extension"
        ),
        "{}",
        stderr(&output)
    );
    for _ in 0..2 {
        let output = run(&["check", "book/ch02.md", "-q", "-o", "findings.md"]);
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        assert_eq!(
            stderr(&output).trim_end(),
            "Wrote the summary (1 finding not listed, as -q asks) to findings.md"
        );
    }
}
