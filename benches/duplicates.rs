//! Speed of the duplicate detection on the shared corpus: one novel, four
//! novels, all thirteen, each checked as ONE manuscript (so pairs across
//! novels are possible). Run with `cargo bench --bench duplicates`.
//!
//! Prints, per size: words, the median time of `find_duplicates` (the
//! shingle index + verification behind `duplicate-paragraph`), of each rule
//! run through the engine, and words per second. Loading and parsing the
//! text is not timed. Skips with a message when `../shared/corpus` is absent.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use manulint::config::Config;
use manulint::engine::{self, EnabledRule};
use manulint::rule::RuleSetup;
use manulint::rules::Registry;
use manulint::rules::duplicates::{Params, find_duplicates};
use manulint::text::{Chapter, Manuscript, SourceFormat};

/// Novels in a fixed order: the first is mid-sized, the first four are a
/// mix of sizes.
const NOVELS: &[&str] = &[
    "pride-and-prejudice",
    "the-time-machine",
    "great-expectations",
    "the-house-of-mirth",
    "a-tale-of-two-cities",
    "adventures-of-huckleberry-finn",
    "emma",
    "frankenstein",
    "the-adventures-of-sherlock-holmes",
    "the-adventures-of-tom-sawyer",
    "the-beautiful-and-damned",
    "the-hound-of-the-baskervilles",
    "the-war-of-the-worlds",
];

fn load(corpus: &Path, novels: &[&str]) -> Manuscript {
    let mut files: Vec<PathBuf> = Vec::new();
    for novel in novels {
        let mut chapters: Vec<PathBuf> = std::fs::read_dir(corpus.join(novel))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        chapters.retain(|p| p.extension().is_some_and(|e| e == "txt"));
        chapters.sort();
        files.extend(chapters);
    }
    let chapters = files
        .iter()
        .enumerate()
        .filter_map(|(i, path)| {
            let text = std::fs::read_to_string(path).ok()?;
            Some(Chapter::parse(
                i,
                path.clone(),
                SourceFormat::PlainText,
                Arc::from(text),
            ))
        })
        .enumerate()
        .map(|(i, mut c)| {
            c.index = i;
            c
        })
        .collect();
    Manuscript::new(chapters)
}

fn median(mut f: impl FnMut(), runs: usize) -> Duration {
    f(); // warm up (word frequency table, allocator)
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("SKIPPED: {} is absent", corpus.display());
        return;
    }
    let registry = Registry::builtin();
    let config = Config::default();
    let options = toml::Table::new();
    let rule = |id: &str| {
        let available = registry.get(id).expect("rule is registered");
        vec![EnabledRule {
            rule: available
                .build(&RuleSetup {
                    options: &options,
                    config: &config,
                })
                .expect("default options build"),
            severity: available.meta.default_severity,
        }]
    };
    let paragraph_rule = rule("duplicate-paragraph");
    let sentence_rule = rule("repeated-sentence");
    println!(
        "{:>8} {:>10} {:>11} {:>11} {:>11} {:>14}",
        "novels", "words", "find (ms)", "para (ms)", "sent (ms)", "words/s (para)"
    );
    for n in [1, 4, 13] {
        let manuscript = load(&corpus, &NOVELS[..n]);
        let words = manuscript.word_count();
        let params = Params::default();
        let find = median(
            || {
                std::hint::black_box(find_duplicates(&manuscript, &params));
            },
            7,
        );
        let para = median(
            || {
                std::hint::black_box(engine::run(&manuscript, &paragraph_rule));
            },
            7,
        );
        let sent = median(
            || {
                std::hint::black_box(engine::run(&manuscript, &sentence_rule));
            },
            7,
        );
        println!(
            "{:>8} {:>10} {:>11.1} {:>11.1} {:>11.1} {:>14.0}",
            n,
            words,
            find.as_secs_f64() * 1e3,
            para.as_secs_f64() * 1e3,
            sent.as_secs_f64() * 1e3,
            words as f64 / para.as_secs_f64()
        );
    }
}
