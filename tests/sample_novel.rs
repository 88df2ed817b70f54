//! The sample manuscript newcomers run first: every planted defect listed in
//! fixtures/README.md is found, and nothing else. Snapshots of the short and
//! human formats show exactly what a user sees.

use assert_cmd::Command;

fn check(format: &str) -> (Option<i32>, String) {
    let output = Command::cargo_bin("manulint")
        .expect("binary builds")
        .env_remove("NO_COLOR")
        .args([
            "check",
            "fixtures/sample-novel/",
            "--color",
            "never",
            "--format",
            format,
        ])
        .output()
        .expect("runs");
    (
        output.status.code(),
        String::from_utf8(output.stdout).expect("UTF-8"),
    )
}

fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"in \d+\.\d+s", "in [TIME]");
    settings
}

#[test]
fn every_planted_defect_is_found_short_format() {
    let (code, stdout) = check("short");
    assert_eq!(code, Some(1));
    snapshot_settings().bind(|| insta::assert_snapshot!(stdout));
}

#[test]
fn human_format_of_the_sample_novel() {
    let (code, stdout) = check("human");
    assert_eq!(code, Some(1));
    snapshot_settings().bind(|| insta::assert_snapshot!(stdout));
}
