//! End-to-end tests of `duplicate-paragraph` and `repeated-sentence` through
//! the binary: short and JSON output, exit codes, options from the config.

use std::fs;

use tempfile::TempDir;

mod common;
use common::manulint;

const SELECT: &str = "duplicate-paragraph,repeated-sentence";

#[test]
fn planted_fixture_short_output_and_exit_code() {
    let output = manulint()
        .args([
            "check",
            "fixtures/duplicates/planted",
            "--select",
            SELECT,
            "--format",
            "short",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let lines: Vec<&str> = stdout.lines().collect();
    let dir = "fixtures/duplicates/planted";
    assert_eq!(
        lines[..8],
        [
            format!(
                "{dir}/chapter-02.md:5:1: error[duplicate-paragraph] 89% of this paragraph repeats chapter-01.md:5 (an edited copy)"
            ),
            format!(
                "{dir}/chapter-02.md:7:1: error[duplicate-paragraph] 100% of this paragraph repeats chapter-01.md:3 (an exact copy)"
            ),
            format!(
                "{dir}/chapter-02.md:9:1: error[duplicate-paragraph] 80% of this paragraph repeats chapter-01.md:7 (an edited copy)"
            ),
            format!(
                "{dir}/chapter-02.md:11:1: error[duplicate-paragraph] 100% of this paragraph repeats chapter-01.md:9, inside a longer paragraph"
            ),
            format!(
                "{dir}/chapter-02.md:15:1: error[duplicate-paragraph] 54% of this paragraph repeats chapter-01.md:11: the same sentences in a row"
            ),
            format!(
                "{dir}/chapter-03.md:3:62: warning[repeated-sentence] this sentence repeats chapter-01.md:13 word for word"
            ),
            format!(
                "{dir}/chapter-03.md:5:1: error[duplicate-paragraph] 68% of this paragraph repeats chapter-01.md:17 (an edited copy)"
            ),
            format!(
                "{dir}/chapter-03.md:9:1: error[duplicate-paragraph] this paragraph appears 3 times: 97% of it repeats chapter-01.md:15, chapter-02.md:13"
            ),
        ]
    );
    assert!(lines[8].starts_with("Found 7 errors, 1 warning and 0 infos in 4 files"));
}

#[test]
fn json_output_carries_the_earlier_copy_as_related() {
    let output = manulint()
        .args([
            "check",
            "fixtures/duplicates/planted/chapter-01.md",
            "fixtures/duplicates/planted/chapter-03.md",
            "--select",
            "duplicate-paragraph",
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let diagnostics = json["diagnostics"].as_array().expect("array");
    // The 30% edit; the tripled paragraph has only two copies here.
    assert_eq!(diagnostics.len(), 2);
    let edited = &diagnostics[0];
    assert_eq!(edited["rule"], "duplicate-paragraph");
    assert_eq!(edited["line"], 5);
    assert_eq!(edited["related"][0]["line"], 17);
    assert_eq!(edited["related"][0]["message"], "first written here");
    assert!(
        edited["help"]
            .as_str()
            .expect("help")
            .contains("[-Storms-] {+Gales+}")
    );
    assert_eq!(
        diagnostics[1]["message"],
        "97% of this paragraph repeats chapter-01.md:15 (an edited copy)"
    );
}

#[test]
fn options_come_from_the_config_and_bad_ones_are_reported() {
    let dir = TempDir::new().expect("temp dir");
    fs::create_dir(dir.path().join(".git")).expect("fake repo root");
    let planted =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/duplicates/planted");
    for name in ["chapter-01.md", "chapter-03.md"] {
        fs::copy(planted.join(name), dir.path().join(name)).expect("copy");
    }
    // Stricter similarity: the 30% edit (68%) is no longer a copy.
    fs::write(
        dir.path().join("manulint.toml"),
        "[rules.duplicate-paragraph]\nmin-similarity = 0.9\n",
    )
    .expect("config");
    let output = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--select", SELECT, "--format", "short"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(!stdout.contains("68%"), "{stdout}");
    assert!(
        stdout.contains("97% of this paragraph repeats chapter-01.md:15"),
        "{stdout}"
    );

    fs::write(
        dir.path().join("manulint.toml"),
        "[rules.duplicate-paragraph]\nmin-similarity = 2.5\n",
    )
    .expect("config");
    let output = manulint()
        .current_dir(dir.path())
        .args(["check", ".", "--select", SELECT])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert!(
        stderr.contains("invalid options for rule `duplicate-paragraph`: `min-similarity`"),
        "{stderr}"
    );
}
