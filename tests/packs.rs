//! End-to-end tests of the rule packs and the typography, truncation and
//! placeholder rules, run by the real binary on `fixtures/packs/` and
//! `fixtures/sample-novel/`.

use predicates::prelude::*;

mod common;
use common::manulint;

/// `check DIR --format short` lines (without the summary line), run from
/// `cwd`.
fn short(cwd: &str, dir: &str, extra: &[&str]) -> Vec<String> {
    let output = manulint()
        .current_dir(cwd)
        .args(["check", dir, "--format", "short", "--fail-on", "never"])
        .args(extra)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("Found ") && !l.starts_with("No problems"))
        .map(str::to_string)
        .collect()
}

/// `file:line:col rule` of each finding.
fn places(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            let (place, rest) = l.split_once(": ").unwrap();
            let rule = rest.split_once('[').unwrap().1.split_once(']').unwrap().0;
            format!("{place} {rule}")
        })
        .collect()
}

#[test]
fn scaffolding_fixture() {
    let found = short(".", "fixtures/packs/scaffolding", &[]);
    assert_eq!(
        places(&found),
        [
            "fixtures/packs/scaffolding/chapter-01.md:3:4 scaffolding-heading",
            "fixtures/packs/scaffolding/chapter-01.md:8:4 scaffolding-heading",
            "fixtures/packs/scaffolding/chapter-01.md:10:1 scaffolding-heading",
            "fixtures/packs/scaffolding/chapter-02.md:4:1 draft-marker",
            "fixtures/packs/scaffolding/chapter-02.md:6:1 scaffolding-heading",
            "fixtures/packs/scaffolding/chapter-02.md:8:1 scaffolding-heading",
        ]
    );
    assert!(found[0].ends_with(
        "error[scaffolding-heading] “The Setting:” looks like an outline label, a template heading or a writing assistant’s note, not part of the story; delete it (with any notes under it) or replace it with the real text."
    ));
}

#[test]
fn typography_fixture() {
    let found = short(".", "fixtures/packs/typography", &[]);
    let messages: Vec<&str> = found
        .iter()
        .map(|l| l.split_once("] ").unwrap().1)
        .collect();
    assert_eq!(
        places(&found),
        [
            "fixtures/packs/typography/chapter-02.txt:3:1 quote-style",
            "fixtures/packs/typography/chapter-02.txt:3:8 quote-style",
            "fixtures/packs/typography/chapter-02.txt:5:23 dialogue-dash",
            "fixtures/packs/typography/chapter-02.txt:7:1 dialogue-dash",
            "fixtures/packs/typography/chapter-02.txt:7:1 dialogue-dash",
            "fixtures/packs/typography/chapter-02.txt:9:53 ellipsis-style",
            "fixtures/packs/typography/chapter-02.txt:11:1 quote-style",
            "fixtures/packs/typography/chapter-02.txt:15:16 dialogue-dash",
            "fixtures/packs/typography/chapter-02.txt:17:1 abbreviation-style",
        ]
    );
    assert_eq!(
        messages,
        [
            "straight double quotes (\") in a manuscript that otherwise uses curly double quotes (“ ”, 15×)",
            "straight apostrophes and single quotes (') in a manuscript that otherwise uses curly apostrophes and single quotes (‘ ’, 3×)",
            "spaced em dash (“ — ”) in a manuscript that otherwise uses unspaced em dash (“—”, 2×)",
            "hyphen used as a dialogue dash",
            "speech opened with a dash (—) in a manuscript that otherwise uses speech in quotation marks (5×)",
            "three-dot ellipsis “...”, used as often as the ellipsis character “…” (1× each), which comes first in the manuscript",
            "quotation opened here is not closed in this paragraph",
            "spaced en dash (“ – ”) in a manuscript that otherwise uses em dash (“—”, 3×)",
            "titles without a full stop (Mr, Dr …) in a manuscript that otherwise uses titles with a full stop (Mr., Dr. …, 3×)",
        ]
    );
}

#[test]
fn spelling_fixture_learns_compounds() {
    let found = short(".", "fixtures/packs/spelling", &[]);
    assert_eq!(
        found,
        [
            "fixtures/packs/spelling/chapter-01.md:5:25: warning[spelling-variant] “sound stage” here, but “soundstage” 1× elsewhere in the manuscript; use one spelling throughout.",
            "fixtures/packs/spelling/chapter-02.md:3:26: warning[spelling-variant] “grey” here, but “gray” 3× elsewhere in the manuscript; use one spelling throughout.",
            "fixtures/packs/spelling/chapter-02.md:4:52: warning[spelling-variant] “favourite” here, but “favorite” 1× elsewhere in the manuscript; use one spelling throughout.",
        ]
    );
}

#[test]
fn truncated_fixture() {
    let found = short(".", "fixtures/packs/truncated", &[]);
    assert_eq!(
        found,
        [
            "fixtures/packs/truncated/chapter-01.txt:6:31: warning[truncated-text] the chapter ends mid-sentence",
            "fixtures/packs/truncated/chapter-02.txt:3:1: warning[truncated-text] the chapter starts mid-sentence",
        ]
    );
}

#[test]
fn cliche_fixture_and_config_allow() {
    let found = short(".", "fixtures/packs/cliche", &[]);
    assert_eq!(
        places(&found),
        [
            "fixtures/packs/cliche/chapter-01.md:3:8 cliche",
            "fixtures/packs/cliche/chapter-01.md:3:33 cliche",
            "fixtures/packs/cliche/chapter-01.md:4:24 cliche",
            "fixtures/packs/cliche/chapter-01.md:6:2 cliche",
        ]
    );
    assert!(found[0].contains("info[cliche] “a dark and stormy night” is a stock phrase"));
    // --select, --level and --ignore work on pack rules like on code rules.
    let raised = short(
        ".",
        "fixtures/packs/cliche",
        &["--select", "cliche", "--level", "cliche=error"],
    );
    assert!(raised.iter().all(|l| l.contains(": error[cliche]")));
    assert!(short(".", "fixtures/packs/cliche", &["--ignore", "cliche"]).is_empty());
}

#[test]
fn user_pack_is_loaded_from_manulint_toml() {
    let found = short("fixtures/packs/user-pack", "chapters", &[]);
    assert_eq!(
        found,
        [
            "chapters/chapter-01.md:3:1: error[house-names] “Mara Quell” was renamed to “Mara Vey” in the second draft",
            "chapters/chapter-01.md:3:62: info[house-filler] “just” used 4 times in this chapter’s narration (house limit: 2 per 200 words)",
            "chapters/chapter-01.md:6:23: error[house-names] “Captain Dorn” was renamed to “Captain Harrow” in the second draft",
        ]
    );
    manulint()
        .current_dir("fixtures/packs/user-pack")
        .arg("rules")
        .assert()
        .code(0)
        .stdout(
            predicate::str::is_match(r"\nhouse-filler +style +info +- +The filler word").unwrap(),
        );
    manulint()
        .current_dir("fixtures/packs/user-pack")
        .args(["explain", "house-names"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("# house-names"))
        .stdout(predicate::str::contains("The series bible renamed them"));
}

#[test]
fn broken_pack_is_exit_2_naming_file_and_line() {
    let output = manulint()
        .current_dir("fixtures/packs/broken-pack")
        .args(["check", "chapters", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    // miette wraps long messages to the terminal width, and the pack's path
    // is absolute, so undo the wrapping before looking for the message.
    let stderr = String::from_utf8(output.stderr).unwrap();
    let unwrapped = stderr
        .lines()
        .map(|l| l.trim_start_matches([' ', '│']).trim_end())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        unwrapped.contains("style/broken.toml, line 21: bad regex in rule `broken-regex`"),
        "{stderr}"
    );
    assert!(stderr.contains("patterns = ['(unclosed']"), "{stderr}");
}

#[test]
fn rules_and_explain_show_pack_rules() {
    manulint()
        .arg("rules")
        .assert()
        .code(0)
        .stdout(predicate::str::is_match(r"\nspelling-variant +consistency +warning ").unwrap())
        .stdout(predicate::str::is_match(r"\nscaffolding-heading +draft +error ").unwrap())
        .stdout(predicate::str::is_match(r"\ncliche +style +info ").unwrap())
        .stdout(predicate::str::is_match(r"\nquote-style +typography +warning ").unwrap())
        .stdout(predicate::str::is_match(r"\ntruncated-text +structure +warning ").unwrap());
    manulint()
        .args(["explain", "spelling-variant"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("# spelling-variant\n"))
        .stdout(predicate::str::contains("## What it does"))
        .stdout(predicate::str::contains("sound-stage"))
        .stdout(predicate::str::contains("## Options"));
}

/// Every defect planted in the sample novel for these rules is found, and
/// nothing else.
#[test]
fn sample_novel_planted_defects() {
    let rules = "scaffolding-heading,quote-style,dialogue-dash,ellipsis-style,spelling-variant,truncated-text,cliche,draft-marker";
    let found = short(".", "fixtures/sample-novel", &["--select", rules]);
    assert_eq!(
        places(&found),
        [
            "fixtures/sample-novel/chapter-01.md:29:48 spelling-variant",
            "fixtures/sample-novel/chapter-02.txt:30:22 ellipsis-style",
            "fixtures/sample-novel/chapter-02.txt:31:42 spelling-variant",
            "fixtures/sample-novel/chapter-02.txt:46:22 draft-marker",
            "fixtures/sample-novel/chapter-02.txt:52:30 dialogue-dash",
            "fixtures/sample-novel/chapter-02.txt:62:57 draft-marker",
            "fixtures/sample-novel/chapter-02.txt:66:32 cliche",
            "fixtures/sample-novel/chapter-03.md:12:19 draft-marker",
            "fixtures/sample-novel/chapter-03.md:16:21 spelling-variant",
            "fixtures/sample-novel/chapter-03.md:16:80 spelling-variant",
            "fixtures/sample-novel/chapter-03.md:24:36 quote-style",
            "fixtures/sample-novel/chapter-03.md:26:165 cliche",
            "fixtures/sample-novel/chapter-03.md:40:4 scaffolding-heading",
            "fixtures/sample-novel/chapter-04.txt:3:1 scaffolding-heading",
            "fixtures/sample-novel/chapter-04.txt:7:129 draft-marker",
            "fixtures/sample-novel/chapter-04.txt:17:90 quote-style",
            "fixtures/sample-novel/chapter-04.txt:17:107 quote-style",
            "fixtures/sample-novel/chapter-04.txt:19:1 dialogue-dash",
            "fixtures/sample-novel/chapter-04.txt:19:1 dialogue-dash",
            "fixtures/sample-novel/chapter-04.txt:25:93 cliche",
            "fixtures/sample-novel/chapter-04.txt:29:323 truncated-text",
        ]
    );
}

#[test]
fn snapshot_of_sample_novel_pack_rules() {
    let output = manulint()
        .args([
            "check",
            "fixtures/sample-novel",
            "--color",
            "never",
            "--fail-on",
            "never",
            "--select",
            "spelling-variant,scaffolding-heading",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("Found "))
        .map(|l| format!("{l}\n"))
        .collect();
    insta::assert_snapshot!(text);
}

/// The corpus novels are finished books: no scaffolding, no truncation, no
/// placeholders. Skipped when `../shared/corpus` is absent.
#[test]
fn corpus_has_no_scaffolding_or_truncation_findings() {
    let corpus = std::path::Path::new("../shared/corpus");
    let Ok(entries) = std::fs::read_dir(corpus) else {
        eprintln!("SKIP: ../shared/corpus not found");
        return;
    };
    let mut novels: Vec<_> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    novels.sort();
    assert!(!novels.is_empty());
    for novel in novels {
        manulint()
            .args(["check", "--format", "short", "--select"])
            .arg("scaffolding-heading,truncated-text,draft-marker")
            .arg(&novel)
            .assert()
            .code(0)
            .stdout(predicate::str::starts_with("No problems found"));
    }
}
