//! End-to-end tests of the echo rules (`repeated-phrase`, `word-echo`,
//! `overused-word`): the planted fixtures, the silent controls with their
//! config, and the finding rate on the public-domain corpus.

use std::path::Path;

mod common;
use common::{manulint, untimed};

const RULES: [&str; 3] = ["repeated-phrase", "word-echo", "overused-word"];

fn check(args: &[&str]) -> std::process::Output {
    let mut cmd = manulint();
    cmd.arg("check");
    for rule in RULES {
        cmd.args(["--select", rule]);
    }
    cmd.args(args).output().expect("manulint runs")
}

#[test]
fn planted_echoes_short_format() {
    let output = check(&["fixtures/echoes/planted", "--format", "short"]);
    // Warnings and infos do not fail a run by default (`fail-on = "error"`).
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        untimed(&output.stdout),
        "fixtures/echoes/planted/chapter-01.md:3:85: warning[repeated-phrase] “brittle copper light” is repeated 3 times (in 3 chapters)\n\
         fixtures/echoes/planted/chapter-01.md:5:43: info[word-echo] “rattling” echoes “rattled” 3 words earlier\n\
         fixtures/echoes/planted/chapter-02.txt:3:27: info[overused-word] “somehow” is used 8 times in this chapter (216.2 per 10,000 words; ordinary prose: 0.3)\n\
         fixtures/echoes/planted/chapter-03.md:3:99: warning[repeated-phrase] “smell of woollen coats” is repeated 2 times (shortest gap: 36 words)\n\
         Found 0 errors, 2 warnings and 2 infos in 3 files (624 words)\n"
    );
}

#[test]
fn planted_echoes_json_has_every_occurrence() {
    let output = check(&["fixtures/echoes/planted", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 4);
    let phrase = &diagnostics[0];
    assert_eq!(phrase["rule"], "repeated-phrase");
    let related: Vec<(String, u64, u64)> = phrase["related"]
        .as_array()
        .expect("related")
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap_or_default().to_string(),
                r["line"].as_u64().unwrap_or_default(),
                r["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        related,
        vec![
            ("fixtures/echoes/planted/chapter-02.txt".to_string(), 7, 41),
            ("fixtures/echoes/planted/chapter-03.md".to_string(), 5, 94),
        ]
    );
}

/// A chant in an invented language, sung twice: its words repeat by the
/// ritual's design and are no echo, repeated phrase or overused word; the
/// English prose around it is still read (its planted repeated phrase and
/// echo are reported). A phrase used three times in prose and once in a
/// list of rare nouns, which reads like an invented language, is still
/// reported, all four uses counted. A chant in italics inside a sentence of
/// prose (“*Ithren sael morwe, ithren sael dohr*, she sang”) is read on its
/// own, and is silent too.
#[test]
fn an_invented_language_is_not_prose_but_the_prose_around_it_is() {
    let output = check(&["fixtures/echoes/invented", "--format", "short"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        untimed(&output.stdout),
        "fixtures/echoes/invented/chapter-01.md:9:40: warning[repeated-phrase] “broken roof of the shrine” is repeated 2 times (shortest gap: 15 words)\n\
         fixtures/echoes/invented/chapter-01.md:11:57: info[word-echo] “trembled” echoes “trembling” 2 words earlier\n\
         fixtures/echoes/invented/chapter-02.md:3:30: warning[repeated-phrase] “coppery tang” is repeated 4 times (shortest gap: 15 words)\n\
         Found 0 errors, 2 warnings and 1 info in 3 files (210 words)\n"
    );
}

#[test]
fn controls_are_silent_with_their_config_and_loud_without() {
    let quiet = check(&[
        "fixtures/echoes/controls",
        "--config",
        "fixtures/echoes/controls/manulint.toml",
        "--format",
        "short",
    ]);
    assert_eq!(quiet.status.code(), Some(0));
    assert_eq!(
        untimed(&quiet.stdout),
        "No problems found in 1 file (186 words)\n"
    );
    // Without it: the folder's own manulint.toml would be found from the
    // path, so an empty one is named instead.
    let empty = tempfile::TempDir::new().expect("temp dir");
    let no_settings = empty.path().join("manulint.toml");
    std::fs::write(&no_settings, "").expect("write");
    let loud = check(&[
        "fixtures/echoes/controls",
        "--config",
        no_settings.to_str().expect("UTF-8 path"),
        "--format",
        "short",
    ]);
    let stdout = String::from_utf8_lossy(&loud.stdout);
    assert!(
        stdout.contains("warning[repeated-phrase] “long shingle road” is repeated 3 times"),
        "{stdout}"
    );
    assert!(stdout.contains("info[word-echo] “Wren” again"), "{stdout}");
}

/// `[manuscript] vocabulary` lists a book's invented words once for the
/// three echo rules: an echo, an overused word and a repeated phrase of
/// them are all silent, where each rule's `allow` had to repeat them.
#[test]
fn the_books_vocabulary_is_silent_in_every_echo_rule() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect("mkdir");
    let chapters = [
        "# One\n\nShe pressed neurolace gel to her temple. The crew worked the long watch without a word, and the hull creaked around them. Neurolace hummed in her skull.\n\n\
         The ansible chimed. The ansible was old. The ansible was slow. The ansible lied. The ansible slept.\n\n\
         She checked the quantum lattice drive before the jump.\n",
        "# Two\n\nMorning came grey over the docking ring. He checked the quantum lattice drive twice and said nothing to the pilot.\n",
        "# Three\n\nThe gate opened at last. They checked the quantum lattice drive, then strapped in for the fall.\n",
    ];
    for (i, text) in chapters.iter().enumerate() {
        std::fs::write(dir.path().join(format!("ch{}.md", i + 1)), text).expect("write");
    }
    let run = |config: &str| {
        let path = dir.path().join("manulint.toml");
        std::fs::write(&path, config).expect("write");
        let output = check(&[
            dir.path().to_str().expect("UTF-8 path"),
            "--format",
            "short",
            "--config",
            path.to_str().expect("UTF-8 path"),
        ]);
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|l| l.contains('['))
            .map(|l| l.split("] ").nth(1).unwrap_or(l).to_string())
            .collect::<Vec<String>>()
    };
    let without = run("");
    let words = ["eurolace", "ansible", "quantum lattice drive"];
    for expected in words {
        assert!(
            without.iter().any(|l| l.contains(expected)),
            "{expected}: {without:?}"
        );
    }
    let with =
        run("[manuscript]\nvocabulary = [\"neurolace\", \"ansible\", \"quantum lattice drive\"]\n");
    assert_eq!(with, Vec::<String>::new());
    assert_eq!(without.len(), 3, "{without:?}");
}

#[test]
fn bad_option_is_a_config_error() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let config = dir.path().join("manulint.toml");
    std::fs::write(&config, "[rules.word-echo]\nwindow = \"wide\"\n").expect("write");
    let output = check(&[
        "fixtures/echoes/planted",
        "--config",
        config.to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("word-echo"), "{stderr}");
}

/// No echo rule floods real prose: at most 3 findings per 1,000 words on
/// every corpus novel. Skipped when the corpus is absent.
#[test]
fn corpus_novels_stay_under_three_findings_per_thousand_words() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    for novel in common::novels(&corpus) {
        let output = check(&[
            novel.to_str().expect("UTF-8 path"),
            "--format",
            "json",
            "--fail-on",
            "never",
        ]);
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        let words = json["summary"]["words"].as_f64().unwrap_or(1.0);
        for rule in RULES {
            let count = json["diagnostics"]
                .as_array()
                .expect("diagnostics")
                .iter()
                .filter(|d| d["rule"] == rule)
                .count();
            let rate = count as f64 * 1000.0 / words;
            eprintln!(
                "{}: {rule} {count} ({rate:.2} per 1,000 words)",
                novel.display()
            );
            assert!(
                rate <= 3.0,
                "{rule} floods {}: {count} findings, {rate:.2} per 1,000 words",
                novel.display()
            );
        }
    }
}

/// The false alarms found when the rules were judged on two corpus novels
/// stay gone: names of things and people of the story (“the escaped
/// convict”, “the Grimpen Mire”, “her uncle and aunt”, “the stone huts”, a
/// game of whist) are reference, not repetition. Skipped when the corpus is
/// absent.
#[test]
fn corpus_reference_is_not_reported_as_repetition() {
    let corpus = Path::new("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("SKIP: ../shared/corpus not found; corpus reference test not run");
        return;
    }
    for (novel, words) in [
        (
            "the-hound-of-the-baskervilles",
            &["convict", "mire", "granite", "stone huts", "chiming clock"][..],
        ),
        (
            "pride-and-prejudice",
            &["aunt", "sister", "eldest", "whist", "impatience"][..],
        ),
    ] {
        let path = corpus.join(novel);
        let output = check(&[path.to_str().expect("UTF-8 path"), "--format", "short"]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let findings = stdout
            .lines()
            .filter(|l| l.contains(": info[") || l.contains(": warning["));
        for line in findings {
            for word in words {
                assert!(!line.contains(word), "{novel}: {line}");
            }
        }
        // The real repetitions are still there.
        let expected = match novel {
            "pride-and-prejudice" => "“shook his head” is repeated 7 times",
            _ => "“shrugged his shoulders” is repeated 4 times",
        };
        assert!(stdout.contains(expected), "{novel}: {stdout}");
    }
}
