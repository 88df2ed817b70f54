//! Helpers shared by the integration tests: the real binary in a quiet
//! environment, temporary manuscripts, runs with their output or their
//! resource use, the shared corpus and a repeatable random generator.
//!
//! Each test file is its own crate and uses only part of this module.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

/// The `manulint` binary of this build, with colour off whatever the
/// terminal (`NO_COLOR` removed so that `--color` is what the tests set,
/// `CLICOLOR=0`).
pub fn manulint() -> Command {
    let mut cmd = Command::cargo_bin("manulint").expect("binary builds");
    cmd.env_remove("NO_COLOR").env("CLICOLOR", "0");
    cmd
}

/// [`manulint`] that fails the test as hung after `limit`.
pub fn manulint_within(limit: std::time::Duration) -> Command {
    let mut cmd = manulint();
    cmd.timeout(limit);
    cmd
}

/// Runs `manulint ARGS` in the test's working directory (the crate root).
pub fn output(args: &[&str]) -> Output {
    manulint().args(args).output().expect("runs")
}

/// A process's standard output as text; panics if it is not UTF-8.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

/// A process's standard error as text; panics if it is not UTF-8.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8")
}

/// A temporary manuscript folder holding `files` as `(relative path,
/// bytes)`; parent folders are made as needed. It holds an empty `.git`
/// folder, so the search for `manulint.toml` stops there and never reads
/// the config of whatever folder the test runs in.
pub fn book(files: &[(&str, &[u8])]) -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    fs::create_dir(dir.path().join(".git")).expect("fake repo root stops config search");
    for (name, content) in files {
        write(dir.path(), name, *content);
    }
    dir
}

/// [`book`] with the files given as text.
pub fn book_of_text(files: &[(&str, &str)]) -> TempDir {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    book(&files)
}

/// Writes `content` to `root/name`, making parent folders as needed.
pub fn write(root: &Path, name: &str, content: &(impl AsRef<[u8]> + ?Sized)) {
    let path = root.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("parent");
    }
    fs::write(path, content.as_ref()).expect("write fixture");
}

/// `text` in UTF-16, little- or big-endian, without a byte-order mark.
pub fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    text.encode_utf16()
        .flat_map(|u| {
            if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        })
        .collect()
}

/// A finished run: its exit code (-1 when a signal ended it) and its
/// output as text.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `manulint ARGS` in `dir`; panics if the output is not UTF-8.
pub fn run(dir: &Path, args: &[&str]) -> Run {
    let output = manulint()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// What one run of the binary cost, as the kernel counted it for that child
/// alone (`wait4`, not the whole test process).
#[cfg(target_os = "linux")]
pub struct Usage {
    /// Exit code, -1 when a signal ended the run.
    pub code: i32,
    /// Peak resident memory in KiB.
    pub max_rss_kib: i64,
    /// User plus system CPU time in seconds.
    pub cpu_seconds: f64,
    /// Standard error, read to its end (standard output is discarded).
    pub stderr: String,
}

/// Runs `manulint ARGS` in `dir` to completion and measures it.
#[cfg(target_os = "linux")]
pub fn measure(dir: &Path, args: &[&str]) -> Usage {
    use std::io::Read;
    use std::process::Stdio;
    // Reaped by `wait4` below, which also gives this child's own usage.
    #[allow(clippy::zombie_processes)]
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_manulint"))
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        pipe.read_to_string(&mut stderr).expect("stderr");
    }
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: plain FFI call; `usage` is a valid, zeroed out-parameter.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, whose pid we just got.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4");
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Usage {
        code: if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        },
        max_rss_kib: usage.ru_maxrss,
        cpu_seconds: seconds(usage.ru_utime) + seconds(usage.ru_stime),
        stderr,
    }
}

/// Output with the summary's timing cut off (`… in 0.02s`), so that runs
/// compare equal.
pub fn untimed(output: &[u8]) -> String {
    let text = String::from_utf8_lossy(output);
    text.lines()
        .map(|line| match line.rfind(" in ") {
            Some(at) if line.ends_with('s') && line[at + 4..].starts_with(char::is_numeric) => {
                &line[..at]
            }
            _ => line,
        })
        .map(|line| format!("{line}\n"))
        .collect()
}

/// Standard output parsed as JSON; panics if it is not.
pub fn json(stdout: &[u8]) -> serde_json::Value {
    serde_json::from_slice(stdout).expect("stdout is JSON")
}

/// The shared corpus of public-domain novels, `../shared/corpus` beside the
/// repository, or `None` (with a line saying the test is skipped) when it
/// is absent.
pub fn corpus() -> Option<PathBuf> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if corpus.is_dir() {
        Some(corpus)
    } else {
        eprintln!(
            "SKIPPED: {} is absent; this test needs the corpus",
            corpus.display()
        );
        None
    }
}

// The unit tests' reader of the corpus, shared by path (this crate cannot
// see the library's test helpers).
#[path = "../../src/testing/novel_files.rs"]
mod novel_files;
#[allow(unused_imports)]
pub use novel_files::read_novel;

/// `chapters` (`(name, text)`) parsed as the plain-text chapters of one
/// manuscript, in order.
pub fn parse_plain(chapters: &[(String, String)]) -> manulint::text::Manuscript {
    manulint::text::Manuscript::new(
        chapters
            .iter()
            .enumerate()
            .map(|(i, (name, text))| {
                manulint::text::Chapter::parse(
                    i,
                    PathBuf::from(name),
                    manulint::text::SourceFormat::PlainText,
                    std::sync::Arc::from(text.as_str()),
                )
            })
            .collect(),
    )
}

/// The findings of the rules `rules` (ids, at their default options and
/// severities) on `manuscript`, sorted as a run sorts them.
pub fn run_rules(
    manuscript: &manulint::text::Manuscript,
    rules: &[&str],
) -> Vec<manulint::diagnostic::Diagnostic> {
    let registry = manulint::rules::Registry::builtin();
    let config = manulint::config::Config::default();
    let options = toml::Table::new();
    let enabled: Vec<manulint::engine::EnabledRule> = rules
        .iter()
        .map(|id| {
            let available = registry.get(id).expect("rule is registered");
            manulint::engine::EnabledRule {
                rule: available
                    .build(&manulint::rule::RuleSetup {
                        options: &options,
                        config: &config,
                    })
                    .expect("default options build"),
                severity: available.meta.default_severity,
            }
        })
        .collect();
    manulint::engine::run(manuscript, &enabled).diagnostics
}

/// The novels of the corpus, one folder each, in name order.
pub fn novels(corpus: &Path) -> Vec<PathBuf> {
    let mut novels: Vec<PathBuf> = fs::read_dir(corpus)
        .expect("corpus readable")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    novels.sort();
    novels
}

/// xorshift64: repeatable random choices without a dependency. The seed
/// must not be zero.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A minimal Word package (`.docx` bytes) whose `word/document.xml` is
/// written by `write`, stored with deflate.
pub fn package_with(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts: [(&str, &[u8]); 2] = [
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
        ),
    ];
    for (name, bytes) in parts {
        zip.start_file(name, options).expect("zip entry");
        zip.write_all(bytes).expect("zip write");
    }
    zip.start_file("word/document.xml", options)
        .expect("zip entry");
    write(&mut zip).expect("zip write");
    zip.finish().expect("zip").into_inner()
}

/// Messages as one line: wrapping (line breaks, miette's `│` margin)
/// undone.
pub fn unwrapped(stderr: &str) -> String {
    stderr
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
