//! The HTML report (`--format html`) end to end: the sample novel's page
//! opened in headless Chromium (tests/browser), hostile text in a chapter,
//! determinism, and the page size on the largest corpus novel.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output};

use assert_cmd::Command;

mod common;
use common::{stderr, stdout};

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Why the browser test cannot run here, if it cannot.
fn browser_missing() -> Option<String> {
    if !chromium().is_file() {
        return Some(format!(
            "{} not found (apt-get install chromium)",
            chromium().display()
        ));
    }
    if !Path::new("tests/browser/node_modules/playwright-core").is_dir() {
        return Some("tests/browser/node_modules missing (cd tests/browser && npm ci)".into());
    }
    match Process::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => None,
        _ => Some("node not found".into()),
    }
}

fn node_report(args: &[&str]) -> Output {
    Process::new("node")
        .arg("tests/browser/report.mjs")
        .args(args)
        .output()
        .expect("node runs")
}

fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn sample_novel_report_in_headless_chromium() {
    if let Some(why) = browser_missing() {
        eprintln!("SKIP: browser test of the HTML report: {why}");
        return;
    }
    let dir = out_dir("html-report");
    let html = dir.join("report.html");
    let json = dir.join("report.json");
    let written = common::output(&[
        "check",
        "fixtures/sample-novel/",
        "--format",
        "html",
        "-o",
        html.to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(written.status.code(), Some(1), "{}", stderr(&written));
    assert_eq!(stdout(&written), "");
    let listed = common::output(&["check", "fixtures/sample-novel/", "--format", "json"]);
    fs::write(&json, &listed.stdout).expect("write JSON");

    let run = node_report(&[
        "--html",
        html.to_str().expect("UTF-8"),
        "--json",
        json.to_str().expect("UTF-8"),
        "--out",
        dir.to_str().expect("UTF-8"),
    ]);
    let log = format!("{}{}", stdout(&run), stderr(&run));
    println!("{log}");
    assert!(run.status.success(), "browser checks failed:\n{log}");
    assert!(log.contains("all checks passed"), "{log}");
    assert!(!log.contains("FAIL"), "{log}");
    for shot in ["report-light.png", "report-dark.png", "report-filtered.png"] {
        let size = fs::metadata(dir.join(shot)).map_or(0, |m| m.len());
        assert!(size > 20_000, "{shot}: {size} bytes");
    }
    println!("screenshots in {}", dir.display());
}

/// A manuscript whose text and file name try to inject markup.
fn hostile_manuscript() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let paragraph = "She typed <script>alert(1)</script> into the box, then \"><img src=x onerror=alert(1)> \
                     and a last line of text that keeps the paragraph long enough to count as a copy.";
    fs::write(
        dir.path().join("chapter-1.txt"),
        format!(
            "It was 1996.\n\n{paragraph}\n\nTODO <b>bold</b> & </textarea><!-- and --> the rest.\n"
        ),
    )
    .expect("write");
    fs::write(
        dir.path().join("\"><img src=x onerror=alert(2)>.txt"),
        format!("Later that night.\n\n{paragraph}\n"),
    )
    .expect("write");
    dir
}

#[test]
fn text_from_the_manuscript_never_becomes_markup() {
    let dir = hostile_manuscript();
    let output = common::output(&[
        "check",
        dir.path().to_str().expect("UTF-8"),
        "--format",
        "html",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let page = stdout(&output);
    // The only script, image and textarea are none of the manuscript's.
    assert_eq!(page.matches("<script").count(), 1);
    assert_eq!(page.matches("</script>").count(), 1);
    assert!(!page.contains("<img"));
    assert!(!page.contains("<b>bold"));
    assert!(!page.contains("</textarea>"));
    assert!(!page.contains("<!-- and"));
    // … they are shown as text.
    assert!(page.contains("She typed &lt;script&gt;alert(1)&lt;/script&gt; into the box"));
    assert!(page.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(page.contains("&lt;b&gt;bold&lt;/b&gt; &amp; &lt;/textarea&gt;&lt;!-- and --&gt;"));
    // The file name too, in the overview, the filter and the findings.
    let name = "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;.txt";
    assert!(
        page.matches(name).count() >= 3,
        "{}",
        page.matches(name).count()
    );
    // The duplicated paragraph is shown side by side, escaped on both sides.
    assert!(page.contains("<div class=\"copies\">"));
    // Findings: the duplicate, the draft marker, and the quote `"><img`
    // leaves open in each copy (whose context shows the paragraph).
    assert_eq!(page.matches("<article class=\"finding ").count(), 4);
    assert_eq!(
        page.matches("She typed &lt;script&gt;alert(1)&lt;/script&gt;")
            .count(),
        4,
        "two copies side by side and the two quote-style contexts"
    );
    assert!(page.contains(&format!(
        "100% of this paragraph repeats {name}:3 (an exact copy)"
    )));

    if let Some(why) = browser_missing() {
        eprintln!("SKIP: hostile page in the browser: {why}");
        return;
    }
    let out = out_dir("html-hostile");
    let html = out.join("hostile.html");
    fs::write(&html, &page).expect("write page");
    let run = node_report(&["--hostile", html.to_str().expect("UTF-8")]);
    let log = format!("{}{}", stdout(&run), stderr(&run));
    assert!(run.status.success(), "{log}");
    assert!(log.contains("all checks passed"), "{log}");
}

#[test]
fn html_is_identical_whatever_the_thread_count() {
    let run = |threads: &str| {
        Command::cargo_bin("manulint")
            .expect("binary builds")
            .env("RAYON_NUM_THREADS", threads)
            .args(["check", "fixtures/sample-novel/", "--format", "html"])
            .output()
            .expect("runs")
            .stdout
    };
    let one = run("1");
    assert!(one.len() > 50_000);
    assert!(one == run("16"), "HTML differs between 1 and 16 threads");
}

#[test]
fn sample_novel_page_shows_every_finding() {
    let output = common::output(&["check", "fixtures/sample-novel/", "--format", "html"]);
    assert_eq!(output.status.code(), Some(1));
    let page = stdout(&output);
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(page.ends_with("</html>\n"));
    assert_eq!(page.matches("<article class=\"finding ").count(), 35);
    assert!(page.contains("<dd data-count=\"error\">14</dd>"));
    assert!(page.contains("<dd data-count=\"warning\">15</dd>"));
    assert!(page.contains("<dd data-count=\"info\">6</dd>"));
    // Story year, with its source, for the four chapters.
    assert!(page.contains("<td class=\"year\">1996</td><td>inferred from chapter-01.md:3</td>"));
    // Views: the overused word against ordinary prose, the phrase's four
    // occurrences, the five anachronisms on the timeline.
    assert!(page.contains("8 uses · 115.4 per 10k · 175× ordinary prose"));
    let phrases = &page[page.find("id=\"phrases\"").expect("phrases view")..];
    let kwic = &phrases[..phrases.find("</ol>").expect("list")];
    assert_eq!(kwic.matches("<mark>faint metallic tang</mark>").count(), 4);
    let timeline = &page[page.find("class=\"chart timeline\"").expect("timeline")..];
    let timeline = &timeline[..timeline.find("</svg>").expect("svg")];
    assert_eq!(timeline.matches("<circle class=\"thing\"").count(), 5);
    assert!(timeline.contains("The Road (book, 2006): 10 years after the story year 1996"));
    // Duplicates side by side with the changed words marked.
    assert_eq!(page.matches("<div class=\"copies\">").count(), 4);
    assert!(page.contains("<mark class=\"diff\">telephone</mark>"));
    assert!(page.contains("<mark class=\"diff\">utility</mark>"));
    // No external resource of any kind.
    for needle in ["http://", "https://", " src=", "@import", "url("] {
        assert!(!page.contains(needle), "{needle}");
    }
}

#[test]
fn quiet_keeps_the_overview_and_says_the_findings_are_left_out() {
    let output = common::output(&["check", "fixtures/sample-novel/", "--format", "html", "-q"]);
    assert_eq!(output.status.code(), Some(1), "the same exit code");
    let page = stdout(&output);
    assert_eq!(page.matches("<article class=\"finding ").count(), 0);
    assert!(page.contains("<dd data-count=\"error\">14</dd>"));
    assert!(page.contains(
        "The findings are not listed: the report was written with <code>--quiet</code>."
    ));
}

#[test]
fn the_page_is_named_after_the_book_folder_even_when_checked_as_dot() {
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("The Salt Road");
    fs::create_dir_all(book.join("part-1")).expect("folders");
    fs::write(book.join("part-1/one.md"), "# One\n\nThe kettle sang.\n").expect("write");
    fs::write(book.join("two.md"), "# Two\n\nThe rain fell.\n").expect("write");
    for (folder, path) in [(&book, "."), (&book.join("part-1"), "..")] {
        let output = Command::cargo_bin("manulint")
            .expect("binary")
            .current_dir(folder)
            .args(["check", path, "--format", "html"])
            .output()
            .expect("run");
        let page = stdout(&output);
        assert!(
            page.contains("<title>The Salt Road — manulint report</title>"),
            "{path}: {}",
            &page[..page.find("</title>").unwrap_or(0)]
        );
    }
}

#[test]
fn a_clean_manuscript_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("one.md"),
        "# One\n\nThe morning was quiet, and the kettle sang on the stove.\n",
    )
    .expect("write");
    let output = common::output(&[
        "check",
        dir.path().to_str().expect("UTF-8"),
        "--format",
        "html",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let page = stdout(&output);
    assert!(page.contains("<dd data-count=\"all\">0</dd>"));
    assert!(page.contains("<p class=\"none\">No findings.</p>"));
    assert!(!page.contains("<article"));
}

/// The novel with the most text in `../shared/corpus`.
fn largest_corpus_novel() -> Option<PathBuf> {
    let corpus = Path::new("../shared/corpus");
    let novels = fs::read_dir(corpus).ok()?;
    novels
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .max_by_key(|novel| {
            fs::read_dir(novel).map_or(0, |files| {
                files
                    .filter_map(Result::ok)
                    .filter_map(|f| f.metadata().ok())
                    .map(|m| m.len())
                    .sum::<u64>()
            })
        })
}

#[test]
fn largest_corpus_novel_page_stays_under_two_megabytes() {
    let Some(novel) = largest_corpus_novel() else {
        eprintln!("SKIP: ../shared/corpus not found");
        return;
    };
    let novel = novel.to_str().expect("UTF-8 path");
    let started = std::time::Instant::now();
    let html = common::output(&["check", novel, "--format", "html"]);
    let elapsed = started.elapsed();
    let json = common::output(&["check", novel, "--format", "json"]);
    let page = stdout(&html);
    let listed: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let findings = listed["diagnostics"].as_array().expect("array").len();
    println!(
        "{novel}: {} words, {findings} findings, page {} bytes, written in {:.2}s",
        listed["summary"]["words"],
        page.len(),
        elapsed.as_secs_f64()
    );
    assert!(page.len() < 2_000_000, "{} bytes", page.len());
    assert_eq!(page.matches("<article class=\"finding ").count(), findings);
    assert!(!page.contains("class=\"note trimmed\""), "nothing left out");
}
