//! CI and pre-commit features, end to end: the machine formats checked
//! against references (SARIF schema, an XML parser), the fail policy,
//! baselines, inline suppressions and per-file overrides, and the
//! pre-commit context mode.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

mod common;
use common::{Run, book_of_text, run, write};

fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sarif_validator() -> jsonschema::Validator {
    let text = fs::read_to_string(crate_root().join("tests/sarif-schema-2.1.0.json"))
        .expect("schema copied into tests/");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

fn assert_valid_sarif(sarif: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF is not valid: {errors:#?}");
}

// ---------------------------------------------------------------- formats

#[test]
fn sarif_of_the_sample_novel_is_valid_and_complete() {
    let out = run(
        &crate_root(),
        &["check", "fixtures/sample-novel/", "--format", "sarif"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let sarif: Value = serde_json::from_str(&out.stdout).expect("SARIF is JSON");
    assert_valid_sarif(&sarif);

    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for id in ["doubled-word", "draft-marker", "bad-directive"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    for rule in rules {
        assert!(
            !rule["shortDescription"]["text"]
                .as_str()
                .unwrap()
                .is_empty()
        );
        assert!(
            rule["help"]["text"]
                .as_str()
                .unwrap()
                .contains("## What it does")
        );
    }
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), sample_novel_finding_count());
    // The doubled "the" across a line break in chapter 2, 48:67 to 49:4.
    let wrapped = results
        .iter()
        .find(|r| {
            r["ruleId"] == "doubled-word"
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    == "fixtures/sample-novel/chapter-02.txt"
        })
        .expect("the doubled word of chapter 2");
    assert_eq!(wrapped["ruleId"], "doubled-word");
    assert_eq!(
        ids[wrapped["ruleIndex"].as_u64().unwrap() as usize],
        "doubled-word"
    );
    let region = &wrapped["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        wrapped["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fixtures/sample-novel/chapter-02.txt"
    );
    assert_eq!(
        (
            &region["startLine"],
            &region["startColumn"],
            &region["endLine"],
            &region["endColumn"]
        ),
        (
            &Value::from(48),
            &Value::from(67),
            &Value::from(49),
            &Value::from(4)
        )
    );
    assert_eq!(wrapped["level"], "warning");
    let marker = results
        .iter()
        .find(|r| r["ruleId"] == "draft-marker")
        .expect("a draft marker");
    assert_eq!(marker["level"], "error");
}

#[test]
fn machine_formats_name_the_files_the_run_could_not_check() {
    let dir = book_of_text(&[("a.md", "Chapter\n\nShe opened the the door.\n")]);
    fs::write(dir.path().join("bad.txt"), b"bad \xff byte\n").unwrap();
    let why = "bad.txt: invalid UTF-8 at line 1, column 5 (byte 0xFF)";

    let out = run(dir.path(), &["check", ".", "--format", "sarif"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let sarif: Value = serde_json::from_str(&out.stdout).expect("SARIF is JSON");
    assert_valid_sarif(&sarif);
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["level"], "error");
    assert_eq!(notes[0]["message"]["text"], why);
    let uri = &notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "bad.txt");
    // The findings of the file it could check are still there.
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 1);

    // The doubled word is a warning, below the default `--fail-on error`:
    // its case passes, listing it.
    let out = run(dir.path(), &["check", ".", "--format", "junit"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stdout.contains(
            r#"<testsuite name="manulint" tests="2" failures="0" errors="1" skipped="0">"#
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("<system-out>a.md:3:12: warning[doubled-word]"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(&format!(
            r#"<error type="manulint" message="not checked">{why}</error>"#
        )),
        "{}",
        out.stdout
    );

    let out = run(dir.path(), &["check", ".", "--format", "github"]);
    assert_eq!(
        out.stdout.lines().next(),
        Some(format!("::error file=bad.txt,title=manulint%3A not checked::{why}").as_str())
    );
    let out = run(dir.path(), &["check", ".", "--format", "checkstyle"]);
    assert!(
        out.stdout.contains(&format!(
            r#"<error severity="error" message="{why}" source="manulint.io"/>"#
        )),
        "{}",
        out.stdout
    );
    let out = run(dir.path(), &["check", ".", "--format", "gitlab"]);
    let issues: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(issues[0]["check_name"], "not-checked");
    assert_eq!(issues[0]["location"]["path"], "bad.txt");
    let out = run(dir.path(), &["check", ".", "--format", "json"]);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        json["unchecked"],
        serde_json::json!([{"file": "bad.txt", "message": why}])
    );
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 1);

    // A clean run says it checked everything.
    fs::remove_file(dir.path().join("bad.txt")).unwrap();
    let out = run(dir.path(), &["check", ".", "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

/// A run with no chapter it could check (the only one undecodable, or an
/// empty folder) still writes its one report, naming what it could not
/// check: every machine format printed nothing, and `-o` left the last
/// run's report in place, so a CI step read an empty or stale file.
#[test]
fn a_run_with_nothing_checked_still_writes_its_report() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.txt", b"She said \x93hello\x94.\n");
    fs::create_dir(dir.path().join("empty")).unwrap();
    let why = "bad.txt: invalid UTF-8 at line 1, column 10 (byte 0x93)";
    let out = run(dir.path(), &["check", "bad.txt", "--format", "json"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        json["unchecked"],
        serde_json::json!([{"file": "bad.txt", "message": why}])
    );
    assert_eq!(json["diagnostics"], serde_json::json!([]));
    assert_eq!(json["summary"]["files"], 0);

    let out = run(dir.path(), &["check", "empty", "--format", "sarif"]);
    assert_eq!(out.code, 2);
    let sarif: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_valid_sarif(&sarif);
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"][0]["message"]["text"],
        "no chapter files found under empty (looked for .md, .markdown, .txt, .text, .docx)"
    );

    // `-o` replaces the last report.
    write(
        dir.path(),
        "report.html",
        b"<p>the last run's clean report</p>",
    );
    let out = run(
        dir.path(),
        &["check", "bad.txt", "--format", "html", "-o", "report.html"],
    );
    assert_eq!(out.code, 2);
    let page = fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(!page.contains("the last run's clean report"));
    assert!(
        page.contains("1 file could not be checked, so the counts leave it out:</p>\n<ul>\n<li><code>bad.txt</code>: bad.txt: invalid UTF-8 at line 1, column 10 (byte 0x93)</li>"),
        "{page}"
    );

    // The line formats say it on stderr only, as before.
    let out = run(dir.path(), &["check", "bad.txt", "--format", "short"]);
    assert_eq!((out.code, out.stdout.as_str()), (2, ""));
}

#[test]
fn sarif_columns_count_code_points_and_related_locations_are_listed() {
    use manulint::diagnostic::{Diagnostic, Label, Severity};
    use manulint::report::{Format, Report, Summary, write_report};
    use manulint::text::{Chapter, Manuscript, SourceFormat, Span};

    let one = "“Café” — the the end.\n";
    let two = "Other chapter.\n";
    let manuscript = Manuscript::new(vec![
        Chapter::parse(0, "a b.txt".into(), SourceFormat::PlainText, Arc::from(one)),
        Chapter::parse(1, "two.txt".into(), SourceFormat::PlainText, Arc::from(two)),
    ]);
    let start = one.find("the the").unwrap();
    let diagnostics = vec![Diagnostic {
        rule: "doubled-word".into(),
        severity: Severity::Warning,
        message: "“the” is written twice".into(),
        primary: Label::new(0, Span::new(start, start + 7)).with_message("here"),
        related: vec![Label::new(1, Span::new(0, 5)).with_message("and here")],
        help: None,
        fix: None,
        facts: None,
    }];
    let registry = manulint::rules::Registry::builtin();
    let report = Report {
        manuscript: &manuscript,
        diagnostics: &diagnostics,
        rules: registry.iter().map(|r| &r.meta).collect(),
        files: vec![0, 1],
        summary: Summary::new(&manuscript, &diagnostics, std::time::Duration::ZERO),
        quiet: false,
        color: false,
        width: 100,
        wrap_summary: false,
        repo_prefix: None,
        group: true,
        story_years: Vec::new(),
        unchecked: Vec::new(),
        fail_on: manulint::config::FailOn::Error,
    };
    let mut out = Vec::new();
    write_report(Format::Sarif, &report, &mut out).unwrap();
    let sarif: Value = serde_json::from_slice(&out).unwrap();
    assert_valid_sarif(&sarif);
    let result = &sarif["runs"][0]["results"][0];
    let region = &result["locations"][0]["physicalLocation"]["region"];
    // “Café” — = 8 code points before "the" (but 14 bytes).
    assert_eq!(region["startColumn"], 10);
    assert_eq!(region["endColumn"], 17);
    assert_eq!(region["byteOffset"], start);
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "a%20b.txt"
    );
    let related = &result["relatedLocations"][0];
    assert_eq!(related["id"], 1);
    assert_eq!(related["message"]["text"], "and here");
    assert_eq!(
        related["physicalLocation"]["artifactLocation"]["uri"],
        "two.txt"
    );
    assert_eq!(related["physicalLocation"]["region"]["endColumn"], 6);
}

#[test]
fn github_format_escapes_properties_and_data() {
    let dir = book_of_text(&[(
        "a, b.txt",
        "Chapter 1\n\nShe opened the the door.\n\nTODO: 100% more.\n",
    )]);
    let out = run(dir.path(), &["check", ".", "--format", "github"]);
    assert_eq!(out.code, 1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "::warning file=a%2C b.txt,line=3,col=12,endLine=3,endColumn=19,title=manulint(doubled-word)::“the” is written twice in a row%0Ahelp: delete one “the”",
            "::error file=a%2C b.txt,line=5,col=1,endLine=5,endColumn=5,title=manulint(draft-marker)::draft marker “TODO” left in the text%0Ahelp: write the missing text, or move the note out of the manuscript",
        ]
    );
    // Only workflow commands on stdout; the summary (after the note that
    // no story year was set) is for the log.
    assert!(
        out.stderr
            .starts_with("note: anachronism: no story year in a, b.txt"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .lines()
            .last()
            .unwrap_or_default()
            .starts_with("Found 1 error, 1 warning"),
        "{}",
        out.stderr
    );
}

#[test]
fn checkstyle_parses_as_xml_with_every_finding() {
    let out = run(
        &crate_root(),
        &["check", "fixtures/sample-novel/", "--format", "checkstyle"],
    );
    assert_eq!(out.code, 1);
    let doc = roxmltree::Document::parse(&out.stdout).expect("checkstyle is XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "checkstyle");
    let files: Vec<&str> = root
        .children()
        .filter(|n| n.has_tag_name("file"))
        .map(|n| n.attribute("name").unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "fixtures/sample-novel/chapter-01.md",
            "fixtures/sample-novel/chapter-02.txt",
            "fixtures/sample-novel/chapter-03.md",
            "fixtures/sample-novel/chapter-04.txt"
        ]
    );
    let errors: Vec<(String, &str, &str, &str)> = root
        .descendants()
        .filter(|n| n.has_tag_name("error"))
        .map(|n| {
            (
                n.parent().unwrap().attribute("name").unwrap().to_string(),
                n.attribute("line").unwrap(),
                n.attribute("source").unwrap(),
                n.attribute("message").unwrap(),
            )
        })
        .collect();
    assert_eq!(errors.len(), sample_novel_finding_count());
    assert!(errors.contains(&(
        "fixtures/sample-novel/chapter-03.md".to_string(),
        "12",
        "manulint.draft-marker",
        "draft marker “[[note: is Teo 14 or 15?]]” left in the text"
    )));
}

/// Every format reports the same findings as the JSON format.
fn sample_novel_finding_count() -> usize {
    let out = run(
        &crate_root(),
        &["check", "fixtures/sample-novel/", "--format", "json"],
    );
    let json: Value = serde_json::from_str(&out.stdout).expect("JSON output");
    json["diagnostics"].as_array().expect("diagnostics").len()
}

#[test]
fn junit_has_one_test_case_per_file_and_escapes_text() {
    let dir = book_of_text(&[
        ("clean.txt", "Chapter 1\n\nAll is well.\n"),
        ("dirty.txt", "Chapter 2\n\nTODO <check> & fix.\n"),
    ]);
    let out = run(dir.path(), &["check", ".", "--format", "junit"]);
    assert_eq!(out.code, 1);
    let doc = roxmltree::Document::parse(&out.stdout).expect("junit is XML");
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("tests"), Some("2"));
    assert_eq!(suite.attribute("failures"), Some("1"));
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0].attribute("name"), Some("clean.txt"));
    assert!(cases[0].children().all(|n| !n.has_tag_name("failure")));
    let failure = cases[1]
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(
        failure.attribute("message"),
        Some("1 finding at the failing severity")
    );
    assert_eq!(
        failure.text(),
        Some("dirty.txt:3:1: error[draft-marker] draft marker “TODO” left in the text")
    );

    // A test case fails as the run does: a warning below `--fail-on`
    // passes (exit 0), and fails at `--fail-on warning` even with `-q`
    // (exit 1), where each said the other.
    let dir = book_of_text(&[("w.txt", "Chapter 1\n\nShe opened the the door.\n")]);
    let failures = |args: &[&str]| {
        let out = run(dir.path(), args);
        let doc = roxmltree::Document::parse(&out.stdout).expect("junit is XML");
        let suite = doc
            .descendants()
            .find(|n| n.has_tag_name("testsuite"))
            .unwrap();
        (out.code, suite.attribute("failures").unwrap().to_string())
    };
    assert_eq!(
        failures(&["check", ".", "--format", "junit"]),
        (0, "0".to_string())
    );
    assert_eq!(
        failures(&[
            "check",
            ".",
            "--format",
            "junit",
            "-q",
            "--fail-on",
            "warning"
        ]),
        (1, "1".to_string())
    );
    assert_eq!(
        failures(&[
            "check",
            ".",
            "--format",
            "junit",
            "--level",
            "doubled-word=info",
            "--fail-on",
            "info"
        ]),
        (1, "1".to_string())
    );
}

/// The same slip twice in a chapter is two SARIF results that code
/// scanning tells apart: one fingerprint (the baseline's) and an
/// occurrence count, where the identical fingerprints made one alert.
#[test]
fn sarif_results_of_one_text_differ_by_their_occurrence() {
    let text =
        "Chapter 1\n\nHe went to the the shop.\n\nShe came later.\n\nHe went to the the shop.\n";
    let dir = book_of_text(&[("a.txt", text)]);
    let out = run(
        dir.path(),
        &[
            "check",
            ".",
            "--format",
            "sarif",
            "--select",
            "doubled-word",
        ],
    );
    let sarif: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_valid_sarif(&sarif);
    let prints: Vec<&Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["partialFingerprints"])
        .collect();
    assert_eq!(prints.len(), 2);
    assert_eq!(
        prints[0]["manulintFingerprint/v1"],
        prints[1]["manulintFingerprint/v1"]
    );
    assert_eq!(
        (
            &prints[0]["manulintOccurrence/v1"],
            &prints[1]["manulintOccurrence/v1"]
        ),
        (&serde_json::json!("1"), &serde_json::json!("2"))
    );
}

/// SARIF's byte offsets are into the file: past a UTF-8 byte-order mark,
/// and left out where the text is not the file's bytes (another
/// encoding), where they pointed at other text.
#[test]
fn sarif_byte_offsets_are_into_the_file_or_left_out() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "bom.txt",
        b"\xef\xbb\xbfChapter\n\nShe opened the the door.\n",
    );
    write(
        dir.path(),
        "cp.txt",
        b"Chapter\n\n\x93Hi,\x94 she said the the same.\n",
    );
    let out = run(
        dir.path(),
        &[
            "check",
            ".",
            "--format",
            "sarif",
            "--select",
            "doubled-word",
            "--encoding",
            "windows-1252",
        ],
    );
    let sarif: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_valid_sarif(&sarif);
    let regions: Vec<(String, Value, Value)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"];
            let region = &location["region"];
            (
                location["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                region["byteOffset"].clone(),
                region["startColumn"].clone(),
            )
        })
        .collect();
    let bom = b"\xef\xbb\xbfChapter\n\nShe opened the the door.\n";
    let at = bom.windows(7).position(|w| w == b"the the").unwrap();
    assert_eq!(
        regions,
        [
            ("bom.txt".to_string(), Value::from(at), Value::from(12)),
            ("cp.txt".to_string(), Value::Null, Value::from(16)),
        ]
    );
}

#[test]
fn gitlab_fingerprints_are_unique_and_survive_rewrapping() {
    let text = "Chapter 1\n\nShe set it on the the shelf and the the floor.\n\nHe put it on the the desk and the the chair.\n";
    let dir = book_of_text(&[("a.txt", text)]);
    let first = run(dir.path(), &["check", ".", "--format", "gitlab"]);
    let issues: Value = serde_json::from_str(&first.stdout).unwrap();
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), 4);
    let prints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    let unique: std::collections::HashSet<&&str> = prints.iter().collect();
    assert_eq!(unique.len(), 4, "fingerprints must be unique: {prints:?}");
    assert_eq!(issues[0]["check_name"], "doubled-word");
    assert_eq!(issues[0]["severity"], "minor");
    assert_eq!(issues[0]["location"]["path"], "a.txt");
    assert_eq!(issues[0]["location"]["lines"]["begin"], 3);

    write(
        dir.path(),
        "a.txt",
        "Chapter 1\n\nA new opening paragraph.\n\nShe set it on\nthe the shelf and\nthe the floor.\n\nHe put it on the the desk and the the chair.\n",
    );
    let second = run(dir.path(), &["check", ".", "--format", "gitlab"]);
    let again: Value = serde_json::from_str(&second.stdout).unwrap();
    let again: Vec<&str> = again
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(prints, again);
}

// ------------------------------------------------------------ fail policy

#[test]
fn max_warnings_from_flag_and_config() {
    let text = "Chapter 1\n\nShe opened the the door and the the window.\n";
    let dir = book_of_text(&[("a.txt", text)]);
    assert_eq!(run(dir.path(), &["check", ".", "-q"]).code, 0);
    assert_eq!(
        run(dir.path(), &["check", ".", "-q", "--max-warnings", "1"]).code,
        1
    );
    assert_eq!(
        run(dir.path(), &["check", ".", "-q", "--max-warnings", "2"]).code,
        0
    );
    // Each failure says why: the summary line alone counts warnings.
    let flagged = run(dir.path(), &["check", ".", "-q", "--max-warnings", "1"]);
    assert!(
        flagged
            .stderr
            .contains("Failed: 2 warnings, more than the 1 allowed by --max-warnings"),
        "{}",
        flagged.stderr
    );
    write(dir.path(), "manulint.toml", "max-warnings = 0\n");
    let configured = run(dir.path(), &["check", ".", "-q"]);
    assert_eq!(configured.code, 1);
    assert!(
        configured.stderr.contains(
            "Failed: 2 warnings, more than the 0 allowed by max-warnings in manulint.toml"
        ),
        "{}",
        configured.stderr
    );
    write(dir.path(), "manulint.toml", "fail-on = \"warning\"\n");
    assert_eq!(run(dir.path(), &["check", ".", "-q"]).code, 1);
    assert_eq!(
        run(dir.path(), &["check", ".", "-q", "--fail-on", "never"]).code,
        0
    );
}

// --------------------------------------------------------------- baseline

const CH1: &str = "Chapter 1\n\nMarisol opened the shop at nine, as she did every day of the week.\n\nShe set the box down on the the counter and looked at it for a while.\n\nTODO: describe the street outside.\n";
const CH2: &str = "Chapter 2\n\nTeo came in with the mail and a bag of oranges from the market.\n\nThe reels were labelled in a careful hand that nobody could read.\n";

fn short_lines(out: &Run) -> Vec<String> {
    out.stdout.lines().map(str::to_string).collect()
}

#[test]
fn baseline_hides_old_findings_through_edits_rewrapping_and_moves() {
    let dir = book_of_text(&[("ch1.txt", CH1), ("ch2.txt", CH2)]);
    let before = run(dir.path(), &["check", ".", "--format", "short"]);
    assert_eq!(before.code, 1);
    assert_eq!(before.stdout.lines().count(), 3, "{}", before.stdout);

    let written = run(
        dir.path(),
        &[
            "check",
            ".",
            "--format",
            "short",
            "--write-baseline",
            "baseline.json",
        ],
    );
    assert_eq!(written.code, 0, "{}", written.stderr);
    assert!(written.stderr.contains("Wrote 2 findings to baseline.json"));
    assert!(
        written.stdout.starts_with("No problems found in 2 files")
            && written
                .stdout
                .trim_end()
                .ends_with("; 2 hidden by the baseline"),
        "{}",
        written.stdout
    );
    let file: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(file["version"], 1);
    assert_eq!(file["findings"].as_array().unwrap().len(), 2);

    // Edit an unrelated paragraph, re-wrap the flagged one, and move the
    // draft marker to chapter 2.
    write(
        dir.path(),
        "ch1.txt",
        "Chapter 1\n\nMarisol opened the shop at ten today, later than usual, because of the rain.\n\nShe set the box\ndown on the the\ncounter and looked at it for a while.\n",
    );
    write(
        dir.path(),
        "ch2.txt",
        &format!("{CH2}\nTODO: describe the street outside.\n"),
    );
    let after = run(
        dir.path(),
        &[
            "check",
            ".",
            "--format",
            "short",
            "--baseline",
            "baseline.json",
        ],
    );
    assert_eq!(after.code, 0, "{}", after.stdout);
    let lines = short_lines(&after);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("No problems found in 2 files"));
    assert!(lines[0].ends_with("; 2 hidden by the baseline"));

    // A new doubled word is found; the old ones stay hidden.
    write(
        dir.path(),
        "ch2.txt",
        &format!("{CH2}\nTODO: describe the street outside.\n\nHe read the the label twice.\n"),
    );
    let new = run(
        dir.path(),
        &[
            "check",
            ".",
            "--format",
            "short",
            "--baseline",
            "baseline.json",
            "--fail-on",
            "warning",
        ],
    );
    assert_eq!(new.code, 1);
    let lines = short_lines(&new);
    assert_eq!(
        lines[0],
        "ch2.txt:9:9: warning[doubled-word] “the” is written twice in a row"
    );
    assert!(
        lines[1].starts_with("Found 0 errors, 1 warning and 0 infos")
            && lines[1].ends_with("; 2 hidden by the baseline"),
        "{}",
        lines[1]
    );

    // A third copy of an old finding is new: the baseline counts.
    write(
        dir.path(),
        "ch2.txt",
        &format!(
            "{CH2}\nTODO: describe the street outside.\n\nTODO: describe the street outside.\n"
        ),
    );
    let third = run(
        dir.path(),
        &[
            "check",
            ".",
            "--format",
            "short",
            "--baseline",
            "baseline.json",
        ],
    );
    assert_eq!(third.code, 1);
    assert_eq!(short_lines(&third).len(), 2, "{}", third.stdout);
}

#[test]
fn writing_the_baseline_again_prunes_fixed_findings() {
    let dir = book_of_text(&[("ch1.txt", CH1), ("ch2.txt", CH2)]);
    let count = |dir: &Path| {
        let text = fs::read_to_string(dir.join("b.json")).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        v["findings"].as_array().unwrap().len()
    };
    assert_eq!(
        run(dir.path(), &["check", ".", "--write-baseline", "b.json"]).code,
        0
    );
    assert_eq!(count(dir.path()), 2);
    write(dir.path(), "ch1.txt", &CH1.replace("the the", "the"));
    assert_eq!(
        run(dir.path(), &["check", ".", "--write-baseline", "b.json"]).code,
        0
    );
    assert_eq!(count(dir.path()), 1);
}

const COPIED: &str = "The bus left Margaret at the crossroads with one suitcase and a letter from her aunt folded into the pocket of her coat, and drove away north.";

/// A recorded pair of copies is hidden; a third copy pasted beside it is
/// new (the finding has more places than recorded), and with one copy
/// deleted again the pair is hidden as before.
#[test]
fn a_third_copy_of_a_recorded_duplicate_is_new() {
    let dir = book_of_text(&[
        ("ch1.txt", &format!("Chapter 1\n\n{COPIED}\n")),
        (
            "ch2.txt",
            "Chapter 2\n\nTeo came in with the mail and a bag of oranges.\n",
        ),
        ("ch3.txt", &format!("Chapter 3\n\n{COPIED}\n")),
    ]);
    let written = run(dir.path(), &["check", ".", "--write-baseline", "b.json"]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    let file: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("b.json")).unwrap()).unwrap();
    let entry = &file["findings"][0];
    assert_eq!(entry["rule"], "duplicate-paragraph");
    assert_eq!(entry["copies"], 2);
    let check = |dir: &Path| {
        run(
            dir,
            &["check", ".", "--format", "short", "--baseline", "b.json"],
        )
    };
    assert_eq!(check(dir.path()).code, 0);

    write(
        dir.path(),
        "ch2.txt",
        &format!("Chapter 2\n\nTeo came in with the mail and a bag of oranges.\n\n{COPIED}\n"),
    );
    let third = check(dir.path());
    assert_eq!(third.code, 1, "{}", third.stdout);
    assert!(
        third
            .stdout
            .starts_with("ch3.txt:3:1: error[duplicate-paragraph] this paragraph appears 3 times"),
        "{}",
        third.stdout
    );

    write(
        dir.path(),
        "ch3.txt",
        "Chapter 3\n\nThe rain stopped at last.\n",
    );
    assert_eq!(check(dir.path()).code, 0);
}

/// `--write-baseline` with `--select` rewrites the entries of the rules
/// selected and keeps the others', where it dropped them.
#[test]
fn a_baseline_written_for_some_rules_keeps_the_others() {
    let dir = book_of_text(&[("ch1.txt", CH1), ("ch2.txt", CH2)]);
    let rules = |dir: &Path| {
        let text = fs::read_to_string(dir.join("b.json")).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        let mut rules: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect();
        rules.sort();
        rules
    };
    assert_eq!(
        run(dir.path(), &["check", ".", "--write-baseline", "b.json"]).code,
        0
    );
    assert_eq!(rules(dir.path()), ["doubled-word", "draft-marker"]);
    write(dir.path(), "ch1.txt", &CH1.replace("the the", "the"));
    let out = run(
        dir.path(),
        &[
            "check",
            ".",
            "--select",
            "doubled-word",
            "--write-baseline",
            "b.json",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(rules(dir.path()), ["draft-marker"]);
    let out = run(
        dir.path(),
        &["check", ".", "--format", "short", "--baseline", "b.json"],
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
}

/// The summary is one line in a pipe or a CI log however long it is (a
/// script takes the last line for it), and wrapped at an explicit width.
#[test]
fn the_summary_is_one_line_in_a_pipe_and_wrapped_at_a_given_width() {
    let dir = book_of_text(&[("ch1.txt", CH1), ("ch2.txt", CH2)]);
    assert_eq!(
        run(dir.path(), &["check", ".", "--write-baseline", "b.json"]).code,
        0
    );
    fs::write(
        dir.path().join("bad.txt"),
        b"Chapter 3\n\nShe said \x93no\x94.\n",
    )
    .unwrap();
    let out = run(dir.path(), &["check", ".", "--baseline", "b.json"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let last = out.stdout.lines().last().unwrap();
    assert!(
        last.starts_with("No problems found in 2 files")
            && last
                .ends_with("; 2 hidden by the baseline; 1 file could not be checked (see above)"),
        "{}",
        out.stdout
    );
    assert!(last.len() > 100, "{last}");
    let out = run(
        dir.path(),
        &["check", ".", "--baseline", "b.json", "--width", "60"],
    );
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines.iter().all(|l| l.len() <= 60), "{}", out.stdout);
    assert_eq!(
        lines.last(),
        Some(&"  by the baseline; 1 file could not be checked (see above)"),
        "{}",
        out.stdout
    );
    assert!(
        lines[lines.len() - 2].starts_with("No problems found in 2 files (65 words) in 0."),
        "{}",
        out.stdout
    );
}

/// Run from a folder inside a git repository, the formats for CI services
/// name files from the repository's root, where the services look for
/// them; the short format keeps paths for the current folder.
#[test]
fn ci_formats_name_files_from_the_repository_root() {
    let dir = book_of_text(&[("manuscript/ch1.txt", CH1), ("manuscript/ch2.txt", CH2)]);
    // `book_of_text` makes the folder a repository (`.git`).
    let inside = dir.path().join("manuscript");
    let github = run(&inside, &["check", "--format", "github"]);
    assert!(
        github
            .stdout
            .starts_with("::warning file=manuscript/ch1.txt,line=5,col=25,"),
        "{}",
        github.stdout
    );
    let sarif: Value =
        serde_json::from_str(&run(&inside, &["check", "--format", "sarif"]).stdout).unwrap();
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "manuscript/ch1.txt");
    let gitlab: Value =
        serde_json::from_str(&run(&inside, &["check", "--format", "gitlab"]).stdout).unwrap();
    assert_eq!(gitlab[0]["location"]["path"], "manuscript/ch1.txt");
    let checkstyle = run(&inside, &["check", "--format", "checkstyle"]).stdout;
    assert!(
        checkstyle.contains("<file name=\"manuscript/ch1.txt\">"),
        "{checkstyle}"
    );
    let short = run(&inside, &["check", "--format", "short"]).stdout;
    assert!(
        short.starts_with("ch1.txt:5:25: warning[doubled-word]"),
        "{short}"
    );
    // At the root, as before.
    let github = run(dir.path(), &["check", "manuscript", "--format", "github"]);
    assert!(
        github
            .stdout
            .starts_with("::warning file=manuscript/ch1.txt,"),
        "{}",
        github.stdout
    );
}

#[test]
fn baseline_named_in_config_is_used() {
    let dir = book_of_text(&[("ch1.txt", CH1)]);
    assert_eq!(
        run(dir.path(), &["check", ".", "--write-baseline", "b.json"]).code,
        0
    );
    write(dir.path(), "manulint.toml", "baseline = \"b.json\"\n");
    let out = run(dir.path(), &["check", ".", "--format", "short"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("; 2 hidden by the baseline"));
}

#[test]
fn bad_baselines_exit_2_naming_the_file() {
    let dir = book_of_text(&[("ch1.txt", CH1)]);
    write(dir.path(), "broken.json", "{ not json");
    let out = run(dir.path(), &["check", ".", "--baseline", "broken.json"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("baseline broken.json is not valid JSON"),
        "{}",
        out.stderr
    );
    // The findings come first, none hidden (more in tests/bad_input.rs).
    assert!(out.stdout.contains("Found "), "{}", out.stdout);

    write(
        dir.path(),
        "future.json",
        "{\"version\": 9, \"findings\": []}",
    );
    let out = run(dir.path(), &["check", ".", "--baseline", "future.json"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("baseline future.json has version 9; this manulint reads version 1"),
        "{}",
        out.stderr
    );

    let out = run(dir.path(), &["check", ".", "--baseline", "missing.json"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("cannot read baseline missing.json: no such file")
    );

    let out = run(
        dir.path(),
        &["check", ".", "--write-baseline", "no/such/dir/b.json"],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(
            "cannot write baseline no/such/dir/b.json: folder no/such/dir does not exist"
        ),
        "{}",
        out.stderr
    );
}

// ------------------------------------------------------------ suppression

#[test]
fn markdown_and_plain_text_directives_suppress_what_they_name() {
    let md = "# One\n\n<!-- manulint-disable-next draft-marker -->\nTODO first.\n\nTODO second.\n\n<!-- manulint-disable doubled-word -->\n\nThe the start.\n\n<!-- manulint-enable -->\n\nThe the end.\n";
    let txt = "Chapter 2\n\nTODO kept.\n\n%% manulint-disable draft-marker\nTODO hidden.\n%% manulint-enable draft-marker\n\nTODO shown.\n";
    let top = "<!-- manulint-disable-file draft-marker -->\n# Four\n\nTODO anything.\n";
    let dir = book_of_text(&[("a.md", md), ("b.txt", txt), ("c.md", top)]);
    let out = run(dir.path(), &["check", ".", "--format", "short"]);
    let lines = short_lines(&out);
    assert_eq!(
        lines[..4],
        [
            "a.md:6:1: error[draft-marker] draft marker “TODO” left in the text",
            "a.md:14:1: warning[doubled-word] “the” is written twice in a row",
            "b.txt:3:1: error[draft-marker] draft marker “TODO” left in the text",
            "b.txt:9:1: error[draft-marker] draft marker “TODO” left in the text",
        ]
    );
    assert_eq!(lines.len(), 5, "{lines:?}");
}

#[test]
fn a_typo_in_a_directive_warns_and_suppresses_nothing() {
    let md = "# One\n\n<!-- manulint-disable draft-makrer -->\n\nTODO still here.\n";
    let txt = "Chapter 2\n\n%% manulint-disabel draft-marker\nTODO here too.\n";
    let dir = book_of_text(&[("a.md", md), ("b.txt", txt)]);
    let out = run(dir.path(), &["check", ".", "--format", "short"]);
    assert_eq!(
        short_lines(&out)[..4],
        [
            "a.md:3:23: warning[bad-directive] unknown rule `draft-makrer` in a manulint directive; nothing is suppressed for it",
            "a.md:5:1: error[draft-marker] draft marker “TODO” left in the text",
            "b.txt:3:4: warning[bad-directive] unknown directive `manulint-disabel`",
            "b.txt:4:1: error[draft-marker] draft marker “TODO” left in the text",
        ]
    );
}

#[test]
fn overrides_set_rule_levels_by_glob() {
    let dir = book_of_text(&[
        ("chapters/one.txt", "Chapter 1\n\nTODO real.\n"),
        ("notes/ideas.txt", "Ideas\n\nTODO maybe.\n\nThe the idea.\n"),
        (
            "manulint.toml",
            "[[overrides]]\nfiles = [\"notes/**\"]\nrules = { draft-marker = \"off\", doubled-word = \"error\" }\n",
        ),
    ]);
    let out = run(dir.path(), &["check", ".", "--format", "short"]);
    assert_eq!(
        short_lines(&out)[..2],
        [
            "chapters/one.txt:3:1: error[draft-marker] draft marker “TODO” left in the text",
            "notes/ideas.txt:5:1: error[doubled-word] “the” is written twice in a row",
        ]
    );
    write(
        dir.path(),
        "manulint.toml",
        "[[overrides]]\nfiles = [\"notes/**\"]\nrules = { draft-makrer = \"off\" }\n",
    );
    let out = run(dir.path(), &["check", "."]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("unknown rule `draft-makrer`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("did you mean `draft-marker`?"));
}

// ------------------------------------------------------ pre-commit context

#[test]
fn with_include_globs_only_passed_files_are_reported() {
    let dir = book_of_text(&[
        (
            "manulint.toml",
            "[manuscript]\ninclude = [\"chapters/**\"]\n",
        ),
        ("chapters/ch1.txt", "Chapter 1\n\nTODO one.\n"),
        ("chapters/ch2.txt", "Chapter 2\n\nTODO two.\n"),
        ("README.md", "TODO not a chapter.\n"),
    ]);
    let out = run(
        dir.path(),
        &[
            "check",
            "--format",
            "short",
            "chapters/ch2.txt",
            "README.md",
        ],
    );
    assert_eq!(out.code, 1);
    let lines = short_lines(&out);
    assert_eq!(
        lines[0],
        "chapters/ch2.txt:3:1: error[draft-marker] draft marker “TODO” left in the text"
    );
    assert!(lines[1].starts_with("Found 1 error, 0 warnings and 0 infos in 1 file"));

    let out = run(dir.path(), &["check", "README.md", "--verbose"]);
    assert_eq!(out.code, 0, "a non-chapter path is ignored: {}", out.stdout);
    assert!(out.stdout.starts_with("No problems found in 0 files"));
    assert!(
        out.stderr
            .contains("note: ignored README.md: not a chapter of the manuscript"),
        "{}",
        out.stderr
    );
}

/// A hook that passes one changed chapter, with no `include` to name the
/// book, checks that file alone: the run says so, counting the chapter
/// files beside it it did not read (a newcomer's try: a paragraph pasted
/// from chapter 1 went unreported, with no word why). Passing two of
/// three says one; `-q`, a folder, or an `include` say nothing.
#[test]
fn checking_files_alone_says_which_chapters_it_did_not_read() {
    let chapters = [
        ("ch1.txt", "Chapter 1\n\nMarisol opened the shop at nine.\n"),
        ("ch2.txt", "Chapter 2\n\nThe bell rang twice.\n"),
        ("ch3.txt", "Chapter 3\n\nIt rained all week.\n"),
        ("README.md", "Notes.\n"),
        // Hidden and ignored files a walk never reads (a reviewer's read).
        (".scratch.txt", "Scratch.\n"),
        ("export.txt", "An export.\n"),
        (".gitignore", "export.txt\n"),
    ];
    let dir = book_of_text(&chapters);
    let out = run(dir.path(), &["check", "ch2.txt", "--width", "400"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "note: checked only the files given: 2 other chapter files beside it (ch1.txt, …) were not read, so copies, echoes, names and the story year were looked for in the given files alone; to check against the whole book, name it under [manuscript] include in manulint.toml (see docs/ci.md), or pass the folder"
        ),
        "{}",
        out.stderr
    );
    let out = run(
        dir.path(),
        &["check", "ch2.txt", "ch1.txt", "--width", "400"],
    );
    assert!(
        out.stderr
            .contains("1 other chapter file beside them (ch3.txt) was not read"),
        "{}",
        out.stderr
    );
    for args in [&["check", "ch2.txt", "-q"][..], &["check", "."][..]] {
        let out = run(dir.path(), args);
        assert!(
            !out.stderr.contains("checked only"),
            "{args:?}: {}",
            out.stderr
        );
    }
    write(
        dir.path(),
        "manulint.toml",
        "[manuscript]\ninclude = [\"ch*.txt\"]\n",
    );
    let out = run(dir.path(), &["check", "ch2.txt"]);
    assert!(!out.stderr.contains("checked only"), "{}", out.stderr);
}

// ---------------------------------------------------------- GitHub Action

/// The shell script of the action's "Run manulint" step.
fn action_run_script() -> String {
    let action = fs::read_to_string(crate_root().join("action.yml")).expect("action.yml");
    assert!(action.contains("using: composite"));
    assert!(action.contains("cargo install --locked --path \"$GITHUB_ACTION_PATH\""));
    let start = action
        .find("- name: Run manulint")
        .expect("a Run manulint step");
    let step = &action[start..];
    let body = step.split_once("run: |\n").expect("a block script").1;
    body.lines()
        .take_while(|l| l.is_empty() || l.starts_with("        "))
        .map(|l| l.strip_prefix("        ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn action_step_runs_manulint_with_github_annotations() {
    let script = action_run_script();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_manulint"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let dir = book_of_text(&[("chapters/ch1.txt", "Chapter 1\n\nTODO: write it.\n")]);
    let run_step = |format: &str, output: &str| {
        std::process::Command::new("bash")
            .arg("-e")
            .arg("-c")
            .arg(&script)
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("MANULINT_PATHS", "chapters/")
            .env("MANULINT_FORMAT", format)
            .env("MANULINT_ARGS", "--fail-on error")
            .env("MANULINT_OUTPUT", output)
            .output()
            .expect("bash runs")
    };
    let out = run_step("github", "");
    assert_eq!(out.status.code(), Some(1), "a finding fails the step");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("::error file=chapters/ch1.txt,line=3,col=1,"),
        "{stdout}"
    );
    let out = run_step("sarif", "report.sarif");
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("report.sarif")).unwrap())
            .unwrap();
    assert_valid_sarif(&sarif);

    // Paths one per line keep their spaces.
    let dir = book_of_text(&[
        ("Chapitre 3 – Été.md", "# Trois\n\nTODO: écrire.\n"),
        (
            "chapters/ch 1.txt",
            "Chapter 1\n\nShe opened the the door.\n",
        ),
    ]);
    let out = std::process::Command::new("bash")
        .arg("-e")
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .env("PATH", &path)
        .env("MANULINT_PATHS", "Chapitre 3 – Été.md\nchapters/ch 1.txt\n")
        .env("MANULINT_FORMAT", "short")
        .env("MANULINT_ARGS", "")
        .env("MANULINT_OUTPUT", "")
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Chapitre 3 – Été.md:3:1: error[draft-marker]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("chapters/ch 1.txt:3:12: warning[doubled-word]"),
        "{stdout}"
    );
}
