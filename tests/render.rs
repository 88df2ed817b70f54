//! The human format as a writer sees it: snippets cut to the width, with
//! character columns that agree with every other format, related chapters
//! as snippets of their own, folded repeats, the count per rule, and run
//! errors that never panic. Snapshots at 80 and 120 columns show the result.

use std::path::Path;

use tempfile::TempDir;
use unicode_width::UnicodeWidthChar;

mod common;
use common::{book, run};

/// The human report at `width` columns, with the timing masked.
fn human(dir: &Path, width: usize, extra: &[&str]) -> String {
    let width = width.to_string();
    let mut args = vec!["check", "--color", "never", "--width", &width];
    args.extend_from_slice(extra);
    let out = run(dir, &args);
    assert_ne!(out.code, 101, "panicked: {}", out.stderr);
    regex::Regex::new(r"in \d+\.\d+s")
        .unwrap()
        .replace_all(&out.stdout, "in [TIME]")
        .into_owned()
}

/// Display columns, measured the way miette and terminals measure them.
fn columns(line: &str) -> usize {
    line.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Every line but the summary (one line for tools) fits in `width`.
fn assert_fits(report: &str, width: usize) {
    let summary = |l: &str| l.starts_with("Found ") || l.starts_with("No problems found");
    for line in report.lines().filter(|l| !summary(l)) {
        assert!(
            columns(line) <= width,
            "{} columns > {width}: {line:?}\n{report}",
            columns(line)
        );
        assert!(!line.contains('\r'), "raw CR printed: {line:?}");
    }
}

/// `file:line:col` of every snippet header (`╭─[…]`), in order.
fn headers(report: &str) -> Vec<String> {
    report
        .lines()
        .filter_map(|l| {
            l.split_once("╭─[")
                .map(|(_, r)| r.trim_end_matches(']').to_string())
        })
        .collect()
}

// A paragraph-per-line export: three paragraphs of 600+ characters.
const PARAGRAPH_PER_LINE: &str = "The ferry left at six, and by a quarter past the harbour was empty except for the gulls and a boy selling newspapers nobody wanted. Marta walked the length of the quay twice, counting the bollards the way her father had taught her, and when she reached the end she stood looking at the water as if it owed her an explanation. The wind came off the sea in long cold pulls. A fisherman mending nets on an upturned crate watched her without interest, then went back to his knots. She took the letter out of her coat, read it again, and put it back without folding it properly, which was not like her at all.\nAt the hotel the clerk had already given her room to someone else. He was sorry, he said, in the voice of a man who had been sorry many times that week, and he offered her a cot in the linen room at half the price. She said she would think about it and sat in the lobby with her suitcase between her knees. The the radio behind the desk was playing a song she half remembered from a wedding, and she hummed along under her breath until she realised the clerk was watching her. Outside, the streetlamps came on one by one along the front, each one a little late, as if they were passing a message down the line.\nShe wrote to her sister that night on the hotel's thin paper: the crossing had been rough, the town was smaller than the photographs, and she had not yet found the house. She did not mention the letter. Instead she described the clerk, the cot, the radio, and a woman in the lobby who had been knitting something enormous and grey that trailed across the floor like a tide coming in. TK: describe the view from the window. When she had finished she read it through, crossed out one sentence, and then, because the crossing-out looked worse than the sentence, copied the whole thing out again.\n";

const CJK_AND_QUOTES: &str = "“It’s late,” she said, and wrote TK in the margin.\n\n東京の夜は長かった。“We should go,” 美咲 said, and she opened the the door to the street.\n\nThe café\u{301} sign flickered 😀 TODO: name the café.\n";

/// A paragraph long enough for duplicate-paragraph.
const HARBOUR: &str = "The harbour master kept his ledgers in a tin trunk under the window, and every evening he copied the day's arrivals into them in a careful slanting hand, the names of the boats first and then their cargo, salt cod and slate and once, memorably, a crate of live geese that escaped on the quay.";

fn cross_chapter_book() -> TempDir {
    let filler: String = (1..=4)
        .map(|i| format!("The {i} o'clock bell rang over the water.\n\n"))
        .collect();
    book(&[
        (
            "chapter-01.md",
            format!("# One\n\n{HARBOUR}\n\nThe tide went out.\n").as_bytes(),
        ),
        (
            "chapter-03.md",
            format!("# Three\n\n{filler}\n{HARBOUR}\n\nThe end.\n").as_bytes(),
        ),
    ])
}

fn grouped_book() -> TempDir {
    let names = [
        "Ada", "Bram", "Cleo", "Dov", "Esme", "Finn", "Gus", "Hana", "Ivo", "Jude", "Kit",
    ];
    let text: String = names
        .iter()
        .map(|n| format!("-Where is the ferry, {n}? - she asked.\n\n"))
        .collect();
    book(&[("chapter-01.txt", text.as_bytes())])
}

#[test]
fn snapshots_at_80_and_120_columns() {
    let paragraphs = book(&[("chapter-01.txt", PARAGRAPH_PER_LINE.as_bytes())]);
    let cjk = book(&[("chapter-02.txt", CJK_AND_QUOTES.as_bytes())]);
    let cross = cross_chapter_book();
    let grouped = grouped_book();
    let cases: [(&str, &TempDir, &[&str]); 4] = [
        (
            "paragraph_per_line",
            &paragraphs,
            &["--select", "doubled-word,draft-marker"],
        ),
        (
            "cjk_and_curly_quotes",
            &cjk,
            &["--select", "doubled-word,draft-marker"],
        ),
        (
            "cross_chapter_duplicate",
            &cross,
            &["--select", "duplicate-paragraph"],
        ),
        ("grouped", &grouped, &["--select", "dialogue-dash"]),
    ];
    for (name, dir, args) in cases {
        for width in [80, 120] {
            let report = human(dir.path(), width, args);
            assert_fits(&report, width);
            insta::assert_snapshot!(format!("{name}_{width}"), report);
        }
    }
}

#[test]
fn a_related_chapter_is_a_labelled_snippet_not_an_empty_heading() {
    let dir = cross_chapter_book();
    let report = human(dir.path(), 100, &["--select", "duplicate-paragraph"]);
    assert_eq!(
        headers(&report),
        ["chapter-03.md:12:1", "chapter-01.md:3:1"]
    );
    assert!(report.contains("╰── first written here"), "{report}");
    assert!(!report.contains("Advice"), "{report}");
}

#[test]
fn grouping_folds_after_three_and_no_group_shows_all() {
    let dir = grouped_book();
    let report = human(dir.path(), 100, &["--select", "dialogue-dash"]);
    assert_eq!(
        report.matches("⚠ hyphen used as a dialogue dash").count(),
        3
    );
    assert!(
        report.contains(
            "\n  … and 8 more like this in chapter-01.txt (lines 7, 9, 11, 13, 15, 17, 19, 21)\n"
        ),
        "{report}"
    );
    assert!(report.contains("\nBy rule: 11 dialogue-dash\nFound 0 errors, 11 warnings"));
    let all = human(
        dir.path(),
        100,
        &["--select", "dialogue-dash", "--no-group"],
    );
    assert_eq!(all.matches("⚠ hyphen used as a dialogue dash").count(), 11);
    assert!(!all.contains("more like this"));
    // Machine formats never fold.
    let short = run(
        dir.path(),
        &["check", "--format", "short", "--select", "dialogue-dash"],
    );
    assert_eq!(
        short
            .stdout
            .lines()
            .filter(|l| l.contains("[dialogue-dash]"))
            .count(),
        11
    );
}

/// Every primary location of the short format heads a snippet in the human
/// format, in the same order, and every snippet header is the start of a
/// label in the JSON format.
fn assert_positions_agree(dir: &Path, paths: &[&str]) {
    let mut short_args = vec!["check", "--format", "short", "--fail-on", "never"];
    short_args.extend_from_slice(paths);
    let short = run(dir, &short_args);
    let primaries: Vec<String> = short
        .stdout
        .lines()
        .filter_map(|l| {
            let (location, _) = l.split_once(": ")?;
            location
                .matches(':')
                .count()
                .eq(&2)
                .then(|| location.to_string())
        })
        .collect();
    assert!(!primaries.is_empty(), "no findings: {}", short.stdout);

    let mut json_args = vec!["check", "--format", "json", "--fail-on", "never"];
    json_args.extend_from_slice(paths);
    let json: serde_json::Value = serde_json::from_str(&run(dir, &json_args).stdout).expect("JSON");
    let mut starts = Vec::new();
    let mut json_primaries = Vec::new();
    for d in json["diagnostics"].as_array().unwrap() {
        let at = |v: &serde_json::Value| {
            format!(
                "{}:{}:{}",
                v["file"].as_str().unwrap(),
                v["line"],
                v["column"]
            )
        };
        json_primaries.push(at(d));
        starts.push(at(d));
        for r in d["related"].as_array().unwrap() {
            starts.push(at(r));
            // A label over many lines is drawn as its first and last line.
            starts.push(format!(
                "{}:{}:1",
                r["file"].as_str().unwrap(),
                r["end_line"]
            ));
        }
        starts.push(format!(
            "{}:{}:1",
            d["file"].as_str().unwrap(),
            d["end_line"]
        ));
    }
    assert_eq!(primaries, json_primaries, "short and JSON agree");

    let mut human_args = vec![
        "check",
        "--color",
        "never",
        "--no-group",
        "--fail-on",
        "never",
        "--width",
        "100",
    ];
    human_args.extend_from_slice(paths);
    let report = run(dir, &human_args).stdout;
    assert_fits(&report, 100);
    let found = headers(&report);
    for header in &found {
        assert!(
            starts.contains(header),
            "header {header} is no label start:\n{report}"
        );
    }
    let mut rest = found.iter();
    for primary in &primaries {
        assert!(
            rest.any(|h| h == primary),
            "no snippet headed {primary} (in order):\n{report}"
        );
    }
}

#[test]
fn human_headers_agree_with_short_and_json_on_the_sample_novel() {
    assert_positions_agree(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["fixtures/sample-novel"],
    );
}

#[test]
fn human_headers_agree_with_short_and_json_whatever_the_script_and_line_endings() {
    let text = "“It’s late,” she said, and wrote TK in the margin.\n\n東京の夜は長かった。美咲 opened the the door. 😀😀 TODO here.\n\nCafe\u{301} a\u{308} ñ — the the end, FIXME.\n";
    let crlf = text.replace('\n', "\r\n");
    let cr = text.replace('\n', "\r");
    let mixed = "One line TK.\r\n\rTwo the the.\n\r\nThree TODO.\r";
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(crlf.as_bytes());
    let dir = book(&[
        ("a-lf.txt", text.as_bytes()),
        ("b-crlf.txt", crlf.as_bytes()),
        ("c-cr.txt", cr.as_bytes()),
        ("d-mixed.txt", mixed.as_bytes()),
        ("e-bom.md", &bom),
    ]);
    assert_positions_agree(dir.path(), &["--select", "doubled-word,draft-marker", "."]);
    // The same text gives the same positions whatever its line endings.
    let short = run(
        dir.path(),
        &["check", "--format", "short", "--select", "doubled-word"],
    );
    let positions = |file: &str| -> Vec<String> {
        short
            .stdout
            .lines()
            .filter(|l| l.starts_with(file))
            .map(|l| {
                l.split(": ")
                    .next()
                    .unwrap()
                    .trim_start_matches(file)
                    .to_string()
            })
            .collect()
    };
    assert_eq!(positions("a-lf.txt"), [":3:21", ":5:14"]);
    assert_eq!(positions("b-crlf.txt"), positions("a-lf.txt"));
    assert_eq!(positions("c-cr.txt"), positions("a-lf.txt"));
    assert_eq!(positions("e-bom.md"), positions("a-lf.txt"));
    assert_eq!(positions("d-mixed.txt"), [":3:5"]);
}

#[test]
fn a_200_000_character_line_is_cut_to_a_window() {
    let line = format!(
        "{}she opened the the door{}\n",
        "The sea was grey. ".repeat(11_200),
        " and went out.".repeat(100)
    );
    assert!(line.chars().count() > 200_000);
    let dir = book(&[("long.txt", line.as_bytes())]);
    let column = line.find("the the").unwrap() + 1;
    for width in [60, 100, 200] {
        let report = human(dir.path(), width, &["--select", "doubled-word"]);
        assert_fits(&report, width);
        assert_eq!(headers(&report), [format!("long.txt:1:{column}")]);
        assert!(report.contains("she opened the the door"), "{report}");
    }
    let json: serde_json::Value = serde_json::from_str(
        &run(
            dir.path(),
            &["check", "--format", "json", "--select", "doubled-word"],
        )
        .stdout,
    )
    .unwrap();
    assert_eq!(json["diagnostics"][0]["column"], column);
}

#[test]
fn too_narrow_for_a_snippet_falls_back_to_the_short_form() {
    let dir = book(&[("a.txt", b"She opened the the door.\n")]);
    let report = human(dir.path(), 20, &[]);
    assert!(
        report.starts_with(
            "a.txt:1:12: warning[doubled-word] “the” is written twice in a row\n  = doubled word\n  help: delete one “the”\n"
        ),
        "{report}"
    );
    let narrow = run(dir.path(), &["check", "--width", "10"]);
    assert_eq!(narrow.code, 2);
    assert!(narrow.stderr.contains("--width"), "{}", narrow.stderr);
}

#[test]
fn run_errors_on_long_lines_are_windowed_not_panics() {
    let long = format!(
        "[manuscript]\ninclude = [\"{}\", \"book/[\"]\n",
        "chapters/".repeat(8_000)
    );
    let dir = book(&[("a.txt", b"Fine.\n"), ("manulint.toml", long.as_bytes())]);
    let out = run(dir.path(), &["check", "--color", "never"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("invalid glob `book/[`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("manulint.toml:2:72017]"),
        "{}",
        out.stderr
    );
    assert_fits(&out.stderr, 100);

    let mut bytes = "word ".repeat(20_000).into_bytes();
    bytes.extend_from_slice(b"caf\xe9 society\n");
    let dir = book(&[("a.txt", b"She opened the the door.\n"), ("b.txt", &bytes)]);
    let out = run(
        dir.path(),
        &["check", "--color", "never", "--format", "short"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("b.txt:1:100004]"), "{}", out.stderr);
    assert_fits(&out.stderr, 100);
    assert!(out.stdout.contains("a.txt:1:12: warning[doubled-word]"));
}

#[test]
fn machine_formats_print_only_their_format_on_stdout() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for format in ["json", "sarif", "gitlab", "checkstyle", "junit", "github"] {
        let out = run(
            root,
            &["check", "fixtures/sample-novel", "--format", format],
        );
        assert_eq!(out.code, 1, "{format}: {}", out.stderr);
        match format {
            "json" | "sarif" | "gitlab" => {
                serde_json::from_str::<serde_json::Value>(&out.stdout)
                    .unwrap_or_else(|e| panic!("{format} is one JSON document: {e}"));
            }
            "checkstyle" | "junit" => {
                roxmltree::Document::parse(&out.stdout)
                    .unwrap_or_else(|e| panic!("{format} is one XML document: {e}"));
            }
            _ => {
                assert!(
                    out.stdout.lines().all(|l| l.starts_with("::")),
                    "only workflow commands:\n{}",
                    out.stdout
                );
                assert_eq!(out.stdout.lines().count(), 35);
                assert!(
                    out.stderr
                        .contains("Found 14 errors, 15 warnings and 6 infos")
                );
            }
        }
    }
}

#[test]
fn statistics_count_by_rule_and_by_chapter() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run(root, &["check", "fixtures/sample-novel", "--statistics"]);
    assert_eq!(out.code, 1);
    let text = regex::Regex::new(r"in \d+\.\d+s")
        .unwrap()
        .replace_all(&out.stdout, "in [TIME]")
        .into_owned();
    insta::assert_snapshot!("statistics_text", text);

    let out = run(
        root,
        &[
            "check",
            "fixtures/sample-novel",
            "--statistics",
            "--format",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let rules = json["rules"].as_array().unwrap();
    let total: u64 = rules.iter().map(|r| r["count"].as_u64().unwrap()).sum();
    assert_eq!(total, 35);
    assert_eq!(rules[0]["rule"], "anachronism");
    assert_eq!(rules[0]["count"], 5);
    assert_eq!(rules[0]["errors"], 5);
    let chapters = json["chapters"].as_array().unwrap();
    assert_eq!(chapters.len(), 4);
    let words: u64 = chapters.iter().map(|c| c["words"].as_u64().unwrap()).sum();
    assert_eq!(words, json["summary"]["words"].as_u64().unwrap());
    assert_eq!(chapters[0]["file"], "fixtures/sample-novel/chapter-01.md");
    assert_eq!(json["version"], 2);
    assert_eq!(chapters[0]["chapter"], serde_json::Value::Null);

    let out = run(
        root,
        &[
            "check",
            "fixtures/sample-novel",
            "--statistics",
            "--format",
            "sarif",
        ],
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--statistics prints text or JSON"));
}

#[test]
fn from_a_subfolder_the_manuscript_named_in_the_config_is_checked() {
    let dir = book(&[
        (
            "manulint.toml",
            b"[manuscript]\ninclude = [\"chapters/**\"]\n",
        ),
        ("chapters/ch1.md", b"# One\n\nShe opened the the door.\n"),
        ("chapters/part2/ch2.txt", b"TODO: the lawyer's name.\n"),
        ("notes/ideas.txt", b"TODO never checked.\n"),
    ]);
    let short = |cwd: &str, args: &[&str]| {
        let mut all = vec!["check", "--format", "short"];
        all.extend_from_slice(args);
        run(&dir.path().join(cwd), &all)
    };
    let from_chapters = short("chapters", &[]);
    assert_eq!(from_chapters.code, 1, "{}", from_chapters.stderr);
    assert_eq!(
        from_chapters.stdout.lines().take(2).collect::<Vec<_>>(),
        [
            "ch1.md:3:12: warning[doubled-word] “the” is written twice in a row",
            "part2/ch2.txt:1:1: error[draft-marker] draft marker “TODO” left in the text",
        ]
    );
    assert!(from_chapters.stdout.contains("in 2 files"));
    let explicit = short("chapters", &["."]);
    assert_eq!(explicit.stdout.lines().count(), 3, "{}", explicit.stdout);
    let from_part2 = short("chapters/part2", &[]);
    assert!(
        from_part2.stdout.starts_with("../ch1.md:3:12:"),
        "{}",
        from_part2.stdout
    );
    assert!(
        from_part2.stdout.contains("\nch2.txt:1:1:"),
        "{}",
        from_part2.stdout
    );
    let from_notes = short("notes", &[]);
    assert!(
        from_notes.stdout.starts_with("../chapters/ch1.md:3:12:"),
        "{}",
        from_notes.stdout
    );
    assert!(!from_notes.stdout.contains("ideas.txt"));
}

/// A chapter typed with straight quotes in a book of curly ones: the
/// findings of its paragraphs share one message (the count of marks in
/// each paragraph is in the label), so they fold into one group.
#[test]
fn a_chapter_of_straight_quotes_folds_into_one_group() {
    let curly: String = std::iter::once("One\n\n".to_string())
        .chain((0..10).map(|i| format!("“Go {i},” she said. “Now.”\n\n")))
        .collect();
    let straight: String = (0..6)
        .map(|i| format!("\"Line {i},\" she said. \"Again.\"\n\n"))
        .collect();
    let dir = book(&[
        ("a.txt", curly.as_bytes()),
        ("b.txt", format!("Two\n\n{straight}").as_bytes()),
    ]);
    let report = human(dir.path(), 100, &[".", "--select", "quote-style"]);
    assert_eq!(
        report.matches("⚠ straight double quotes").count(),
        3,
        "three shown, then folded: {report}"
    );
    assert!(
        report.contains("  … and 3 more like this in b.txt (lines 9, 11, 13)"),
        "{report}"
    );
    assert!(
        report.contains("minority style (4× in this paragraph)"),
        "{report}"
    );
}
