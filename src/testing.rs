//! Helpers for rule unit tests.

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::engine::{self, EnabledRule};
use crate::rule::RuleSetup;
use crate::rules::Registry;
use crate::text::{Chapter, Manuscript, SourceFormat};

mod novel_files;
pub use novel_files::read_novel;

/// The sample manuscript of `fixtures/sample-novel/`, embedded.
pub const SAMPLE_NOVEL: &[(&str, &str)] = &[
    (
        "chapter-01.md",
        include_str!("../fixtures/sample-novel/chapter-01.md"),
    ),
    (
        "chapter-02.txt",
        include_str!("../fixtures/sample-novel/chapter-02.txt"),
    ),
    (
        "chapter-03.md",
        include_str!("../fixtures/sample-novel/chapter-03.md"),
    ),
    (
        "chapter-04.txt",
        include_str!("../fixtures/sample-novel/chapter-04.txt"),
    ),
];

/// One chapter of plain text, `c.txt`, first in its book: for tests of
/// what reads a chapter alone.
pub fn plain_chapter(text: &str) -> Chapter {
    Chapter::parse(
        0,
        PathBuf::from("c.txt"),
        SourceFormat::PlainText,
        Arc::from(text),
    )
}

/// A manuscript of chapters given as `(file name, text)`; the extension
/// picks Markdown or plain text.
pub fn manuscript(chapters: &[(&str, &str)]) -> Manuscript {
    Manuscript::new(
        chapters
            .iter()
            .enumerate()
            .map(|(i, (name, text))| {
                let format = SourceFormat::from_extension(name.rsplit('.').next().unwrap_or(""));
                Chapter::parse(i, PathBuf::from(name), format, Arc::from(*text))
            })
            .collect(),
    )
}

/// [`manuscript`] as a language server holds it: every chapter keeps what
/// rules derive from it alone, for the next check.
pub fn kept_manuscript(chapters: &[(&str, &str)]) -> Manuscript {
    let mut chapters = manuscript(chapters).chapters;
    for chapter in &mut chapters {
        chapter.keep_analyses();
    }
    Manuscript::with_kept(chapters, Arc::default())
}

/// Builds a one-rule run with default options over chapters given as
/// `(file name, text)`.
pub fn run_rule_on(
    rule_id: &str,
    chapters: &[(&str, &str)],
) -> (Manuscript, Vec<crate::diagnostic::Diagnostic>) {
    run_rule_with(rule_id, "", chapters)
}

/// Like [`run_rule_on`], with the rule's options given as the TOML body of
/// its `[rules.<id>]` table (`allow = ["x"]`).
pub fn run_rule_with(
    rule_id: &str,
    options_toml: &str,
    chapters: &[(&str, &str)],
) -> (Manuscript, Vec<crate::diagnostic::Diagnostic>) {
    let options: toml::Table = options_toml.parse().expect("test options are valid TOML");
    run_rule_with_config(rule_id, &Config::default(), &options, chapters)
        .expect("rule builds with the given options")
}

/// Runs one rule on one chapter; returns `(line, column, message)` for each
/// finding.
pub fn check_rule(rule_id: &str, file_name: &str, text: &str) -> Vec<(usize, usize, String)> {
    let (manuscript, diagnostics) = run_rule_on(rule_id, &[(file_name, text)]);
    diagnostics
        .into_iter()
        .map(|d| {
            let at = manuscript
                .chapter(d.primary.chapter)
                .line_col(d.primary.span.start as usize);
            (at.line, at.column, d.message)
        })
        .collect()
}

/// Asserts that `rule_id` finds nothing in each of `texts`, each checked
/// alone as a chapter named `file_name`; a failure names the text.
#[track_caller]
pub fn assert_quiet(rule_id: &str, file_name: &str, texts: &[&str]) {
    for text in texts {
        assert_eq!(check_rule(rule_id, file_name, text), vec![], "{text:?}");
    }
}

/// A report of `diagnostics` on every chapter of `manuscript`, as the
/// command line makes it without options: no rules listed, 100 columns, no
/// color, not quiet, not grouped, an elapsed time of zero.
pub fn report<'a>(
    manuscript: &'a Manuscript,
    diagnostics: &'a [crate::diagnostic::Diagnostic],
) -> crate::report::Report<'a> {
    crate::report::Report {
        manuscript,
        diagnostics,
        rules: Vec::new(),
        files: (0..manuscript.chapters.len()).collect(),
        summary: crate::report::Summary::new(manuscript, diagnostics, std::time::Duration::ZERO),
        quiet: false,
        color: false,
        width: 100,
        wrap_summary: false,
        repo_prefix: None,
        group: false,
        story_years: Vec::new(),
        unchecked: Vec::new(),
        fail_on: crate::config::FailOn::Error,
    }
}

/// Renders one rule's findings on the given chapters in the human format
/// (no color, no timing), for snapshot tests.
pub fn render_human(rule_id: &str, chapters: &[(&str, &str)]) -> String {
    let (manuscript, diagnostics) = run_rule_on(rule_id, chapters);
    let report = report(&manuscript, &diagnostics);
    let mut out = Vec::new();
    crate::report::write_report(crate::report::Format::Human, &report, &mut out)
        .expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("reports are UTF-8")
}

/// Like [`run_rule_on`], with a given config and `[rules.<id>]` options.
pub fn run_rule_with_config(
    rule_id: &str,
    config: &Config,
    options: &toml::Table,
    chapters: &[(&str, &str)],
) -> Result<(Manuscript, Vec<crate::diagnostic::Diagnostic>), String> {
    run_rule_on_manuscript(rule_id, config, options, manuscript(chapters))
}

/// Like [`run_rule_with_config`], on a manuscript built by the test (its
/// chapters' languages set, say).
pub fn run_rule_on_manuscript(
    rule_id: &str,
    config: &Config,
    options: &toml::Table,
    manuscript: Manuscript,
) -> Result<(Manuscript, Vec<crate::diagnostic::Diagnostic>), String> {
    let registry = Registry::builtin();
    let available = registry
        .get(rule_id)
        .unwrap_or_else(|| panic!("no rule {rule_id}"));
    let rule = available.build(&RuleSetup { options, config })?;
    let severity = available.meta.default_severity;
    let output = engine::run(&manuscript, &[EnabledRule { rule, severity }]);
    Ok((manuscript, output.diagnostics))
}

/// The chapters' texts after `--fix` with one rule (default options), with
/// unsafe fixes too when `unsafe_fixes`.
pub fn fixed_texts(rule_id: &str, chapters: &[(&str, &str)], unsafe_fixes: bool) -> Vec<String> {
    fixed_texts_with(rule_id, "", chapters, unsafe_fixes)
}

/// Like [`fixed_texts`], with the rule's options given as the TOML body of
/// its `[rules.<id>]` table.
pub fn fixed_texts_with(
    rule_id: &str,
    options_toml: &str,
    chapters: &[(&str, &str)],
    unsafe_fixes: bool,
) -> Vec<String> {
    let registry = Registry::builtin();
    let available = registry
        .get(rule_id)
        .unwrap_or_else(|| panic!("no rule {rule_id}"));
    let options: toml::Table = options_toml.parse().expect("test options are valid TOML");
    let config = Config::default();
    let rule = available
        .build(&RuleSetup {
            options: &options,
            config: &config,
        })
        .expect("rule builds");
    let rules = [EnabledRule {
        rule,
        severity: available.meta.default_severity,
    }];
    let allowed = if unsafe_fixes {
        crate::diagnostic::Applicability::Unsafe
    } else {
        crate::diagnostic::Applicability::Safe
    };
    let mended = crate::fix::fix_manuscript(
        manuscript(chapters),
        |m| engine::run(m, &rules).diagnostics,
        allowed,
        |_| true,
    );
    mended
        .manuscript
        .chapters
        .iter()
        .map(|c| c.text.to_string())
        .collect()
}

/// A deterministic pseudo-random sequence for tests over random text
/// (xorshift64: no dependency needed). The field is the current state.
pub struct Xorshift(pub u64);

impl Xorshift {
    /// The seed the random-text tests share.
    pub fn new() -> Xorshift {
        Xorshift(0x2545_f491_4f6c_dd1d)
    }

    /// Steps the state and returns it.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// An item of `items`, by the next state.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

/// A cheap pseudo-random number source for tests that try many small
/// inputs: each call gives a number below its argument (which must not be
/// 0), the same sequence for the same `seed` on every run (a linear
/// congruential generator).
pub fn pseudo_random(seed: u32) -> impl FnMut(u32) -> u32 {
    let mut state = seed;
    move |below| {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (state >> 16) % below
    }
}
