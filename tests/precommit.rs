//! The real `pre-commit` running manulint as a hook on a temporary git
//! repository, with the published hook's entry and files: a clean commit
//! passes; a commit adding "the the" (a warning) or a draft marker (an
//! error) is rejected and the writer sees the finding; `fail-on = "error"`
//! in manulint.toml lets the warning through. Skips (with a message) when
//! pre-commit or git is not installed; `.ci/run` installs it with
//! `pip install pre-commit`.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// How to run pre-commit here, if at all.
fn pre_commit() -> Option<Vec<String>> {
    let candidates: [&[&str]; 2] = [&["pre-commit"], &["python3", "-m", "pre_commit"]];
    candidates.iter().find_map(|argv| {
        let ok = Command::new(argv[0])
            .args(&argv[1..])
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then(|| argv.iter().map(|s| s.to_string()).collect())
    })
}

fn git_available() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn run(dir: &Path, home: &Path, argv: &[&str]) -> Output {
    Command::new(argv[0])
        .args(&argv[1..])
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", home.join("pre-commit-cache"))
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {argv:?}: {e}"))
}

fn ok(output: &Output, what: &str) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{what} failed:\n{text}");
    text
}

/// The published hook's `entry` arguments after `manulint`, its `files`
/// and `exclude` patterns and its file types line, so the local definition
/// below runs the built binary the same way.
fn published_hook() -> (String, String, String, String) {
    let hooks =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"))
            .expect(".pre-commit-hooks.yaml at the repo root");
    assert!(hooks.contains("- id: manulint"));
    assert!(hooks.contains("language: rust"));
    let field = |name: &str| {
        hooks
            .lines()
            .find_map(|l| l.trim().strip_prefix(name))
            .unwrap_or_else(|| panic!("the hook has {name}"))
            .to_string()
    };
    let entry = field("entry: ");
    let args = entry
        .strip_prefix("manulint ")
        .expect("the entry runs manulint")
        .to_string();
    assert!(args.starts_with("check"), "{entry}");
    let types: Vec<&str> = hooks
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("types"))
        .collect();
    assert!(!types.is_empty(), "the hook has types");
    let types = types.join("\n        ");
    (args, field("files: "), types, field("exclude: "))
}

/// A new git repository whose pre-commit config runs the built binary as
/// the published hook does, with a home of its own; `None` (after saying
/// why) without git or pre-commit.
struct HookRepo {
    pre_commit: Vec<String>,
    home: tempfile::TempDir,
    repo: tempfile::TempDir,
}

impl HookRepo {
    fn new() -> Option<HookRepo> {
        let (entry_args, files, types, exclude) = published_hook();
        if !git_available() {
            eprintln!("SKIPPED: git is not installed");
            return None;
        }
        let Some(pre_commit) = pre_commit() else {
            eprintln!("SKIPPED: pre-commit is not installed (pip install pre-commit)");
            return None;
        };
        let hook = HookRepo {
            pre_commit,
            home: tempfile::TempDir::new().unwrap(),
            repo: tempfile::TempDir::new().unwrap(),
        };
        fs::write(hook.home.path().join("gitconfig"), "").unwrap();
        hook.ok(&["git", "init", "-q"], "git init");
        let binary = env!("CARGO_BIN_EXE_manulint");
        fs::write(
            hook.dir().join(".pre-commit-config.yaml"),
            format!(
                "repos:\n  - repo: local\n    hooks:\n      - id: manulint\n        name: manulint\n        entry: '\"{binary}\" {entry_args}'\n        language: system\n        {types}\n        files: '{files}'\n        exclude: '{exclude}'\n        require_serial: true\n"
            ),
        )
        .unwrap();
        Some(hook)
    }

    fn dir(&self) -> &Path {
        self.repo.path()
    }

    /// Runs `argv` in the repository; its output, which must be a success.
    fn ok(&self, argv: &[&str], what: &str) -> String {
        ok(&run(self.dir(), self.home.path(), argv), what)
    }

    fn install(&self) {
        let mut install: Vec<&str> = self.pre_commit.iter().map(String::as_str).collect();
        install.push("install");
        self.ok(&install, "pre-commit install");
    }
}

/// Output of a commit, which must be rejected by the hook.
fn rejected(dir: &Path, home: &Path, message: &str) -> String {
    let output = run(dir, home, &["git", "commit", "-q", "-m", message]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !output.status.success(),
        "the commit must be rejected:\n{text}"
    );
    assert!(text.contains("Failed"), "{text}");
    text
}

#[test]
fn pre_commit_accepts_a_clean_commit_and_rejects_warnings_and_errors() {
    let Some(hook) = HookRepo::new() else {
        return;
    };
    let (home, dir) = (&hook.home, hook.dir());
    fs::write(
        dir.join("manulint.toml"),
        "[manuscript]\ninclude = [\"chapters/**\"]\n",
    )
    .unwrap();
    fs::create_dir(dir.join("chapters")).unwrap();
    fs::write(
        dir.join("chapters/ch1.md"),
        "# Chapter 1\n\nMarisol opened the shop at nine.\n",
    )
    .unwrap();
    fs::write(
        dir.join("chapters/ch2.txt"),
        "Chapter 2\n\nTeo came in with the mail.\n",
    )
    .unwrap();
    fs::write(
        dir.join("notes.txt"),
        "TODO: not a chapter, never checked.\n",
    )
    .unwrap();

    hook.install();
    ok(&run(dir, home.path(), &["git", "add", "-A"]), "git add");
    let clean = ok(
        &run(dir, home.path(), &["git", "commit", "-q", "-m", "clean"]),
        "the clean commit",
    );
    assert!(clean.contains("manulint"), "the hook ran: {clean}");
    assert!(clean.contains("Passed"), "{clean}");

    // A warning ("the the") fails the hook, and the writer sees it.
    fs::write(
        dir.join("chapters/ch1.md"),
        "# Chapter 1\n\nMarisol opened the the shop at nine.\n",
    )
    .unwrap();
    ok(&run(dir, home.path(), &["git", "add", "-A"]), "git add");
    let text = rejected(dir, home.path(), "doubled");
    assert!(text.contains("doubled-word"), "{text}");
    assert!(text.contains("chapters/ch1.md:3:16"), "{text}");
    assert!(
        text.contains("Marisol opened the the shop at nine."),
        "{text}"
    );

    // An error (a draft marker) fails it too.
    fs::write(
        dir.join("chapters/ch1.md"),
        "# Chapter 1\n\nMarisol opened the shop at nine.\n",
    )
    .unwrap();
    fs::write(
        dir.join("chapters/ch2.txt"),
        "Chapter 2\n\nTeo came in with the mail.\n\nTODO: the lawyer needs a name.\n",
    )
    .unwrap();
    ok(&run(dir, home.path(), &["git", "add", "-A"]), "git add");
    let text = rejected(dir, home.path(), "draft");
    assert!(text.contains("draft-marker"), "{text}");
    assert!(text.contains("chapters/ch2.txt"), "{text}");
    assert!(!text.contains("notes.txt"), "{text}");
    let log = ok(
        &run(dir, home.path(), &["git", "log", "--oneline"]),
        "git log",
    );
    assert_eq!(
        log.lines().count(),
        1,
        "only the clean commit landed: {log}"
    );

    // `fail-on` in manulint.toml rules: with "error", the warning passes.
    fs::write(
        dir.join("manulint.toml"),
        "fail-on = \"error\"\n\n[manuscript]\ninclude = [\"chapters/**\"]\n",
    )
    .unwrap();
    fs::write(
        dir.join("chapters/ch2.txt"),
        "Chapter 2\n\nTeo came in with the the mail.\n",
    )
    .unwrap();
    ok(&run(dir, home.path(), &["git", "add", "-A"]), "git add");
    let passed = ok(
        &run(
            dir,
            home.path(),
            &["git", "commit", "-q", "-m", "warning allowed"],
        ),
        "a commit with a warning under fail-on = \"error\"",
    );
    assert!(passed.contains("Passed"), "{passed}");
    let log = ok(
        &run(dir, home.path(), &["git", "log", "--oneline"]),
        "git log",
    );
    assert_eq!(log.lines().count(), 2, "{log}");

    // A chapter linked in from a drafts folder outside the manuscript is
    // checked through its link when the link alone is staged (pre-commit
    // tags a link `symlink`, not `text`: with `types: [text]` the hook had
    // no file to check, and the TODO went in).
    fs::create_dir(dir.join("drafts")).unwrap();
    fs::write(
        dir.join("drafts/ch3.md"),
        "# Chapter 3\n\nTODO: the storm scene.\n",
    )
    .unwrap();
    ok(&run(dir, home.path(), &["git", "add", "drafts"]), "git add");
    ok(
        &run(
            dir,
            home.path(),
            &["git", "commit", "-q", "-m", "a draft, no chapter"],
        ),
        "a commit of a draft outside the manuscript",
    );
    std::os::unix::fs::symlink("../drafts/ch3.md", dir.join("chapters/ch3.md")).unwrap();
    ok(
        &run(dir, home.path(), &["git", "add", "chapters/ch3.md"]),
        "git add",
    );
    let linked = rejected(dir, home.path(), "linked chapter");
    assert!(linked.contains("chapters/ch3.md:3:1"), "{linked}");
    assert!(linked.contains("draft-marker"), "{linked}");
    eprintln!("pre-commit run:\n{clean}\n---\n{text}\n---\n{passed}\n---\n{linked}");
}

/// A manuscript repository with no `include`: the hook is passed every
/// staged text file, and its `exclude` keeps the repository's README,
/// licence and authors out (a README's "TODO" rejected the commit); a chapter's draft
/// marker is still caught.
#[test]
fn pre_commit_leaves_the_readme_out_without_include() {
    let Some(hook) = HookRepo::new() else {
        return;
    };
    let (home, dir) = (&hook.home, hook.dir());
    fs::write(dir.join("manulint.toml"), "[story]\nyear = 1990\n").unwrap();
    fs::write(
        dir.join("ch1.md"),
        "# Chapter 1\n\nMarisol opened the shop at nine.\n",
    )
    .unwrap();
    fs::write(
        dir.join("README.md"),
        "# The Shop\n\nA novel in twelve chapters. TODO: the blurb.\n",
    )
    .unwrap();
    fs::write(
        dir.join("LICENSE.txt"),
        "All rights reserved. TODO: the year\n",
    )
    .unwrap();
    fs::write(dir.join("AUTHORS.md"), "Ana Ruiz (TODO: her address)\n").unwrap();
    hook.install();
    ok(&run(dir, home.path(), &["git", "add", "-A"]), "git add");
    let clean = ok(
        &run(dir, home.path(), &["git", "commit", "-q", "-m", "first"]),
        "a commit whose README holds a TODO",
    );
    assert!(clean.contains("Passed"), "{clean}");

    fs::write(
        dir.join("ch1.md"),
        "# Chapter 1\n\nMarisol opened the shop at nine. TODO: the rain.\n",
    )
    .unwrap();
    ok(&run(dir, home.path(), &["git", "add", "-A"]), "git add");
    let text = rejected(dir, home.path(), "draft");
    assert!(text.contains("draft-marker"), "{text}");
    assert!(text.contains("[ch1.md:3:34]"), "{text}");
    assert!(!text.contains("README"), "{text}");
}

/// The local hook that docs/ci.md offers (for a binary already installed)
/// keeps the same documents out as the published one: without `exclude`,
/// a staged README.md was checked as a chapter.
#[test]
fn the_documented_local_hook_has_the_published_patterns() {
    let (entry_args, files, types, exclude) = published_hook();
    let docs = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci.md"))
        .expect("docs/ci.md");
    let local = &docs[docs
        .find("- repo: local")
        .expect("a local hook in docs/ci.md")..];
    let local = &local[..local.find("```").expect("the end of the snippet")];
    for line in [
        format!("entry: manulint {entry_args}"),
        format!("files: {files}"),
        format!("exclude: {exclude}"),
        types.clone(),
    ] {
        assert!(
            local.contains(&line),
            "{line} is not in docs/ci.md's local hook:\n{local}"
        );
    }
}
