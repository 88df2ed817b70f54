//! The HTML report (`--format html`): one self-contained page a writer opens
//! in a browser. An overview (words and findings per chapter as a heat
//! strip, the story years, counts by rule and severity), views of overused
//! words, repeated phrases and anachronisms, then every finding with its
//! context, filterable by rule, severity and chapter.
//!
//! The page is rendered here, in full, as static HTML: it reads without
//! JavaScript and prints. The inline script only adds the filters. Nothing
//! is loaded from anywhere (no fonts, no CDN, no images), and a
//! Content-Security-Policy with the hashes of the inline style and script
//! forbids every other script, style and request, so even text that slipped
//! past escaping could not run. Every text from the manuscript, its file
//! names, the config and rule packs goes through [`escape::Esc`].
//!
//! Size: a page stays under [`MAX_PAGE_BYTES`]. It is first rendered with
//! generous context; when too large, it is rendered again with less context
//! and, for very large manuscripts, at most a few findings per chapter and
//! rule (the overview still counts every finding, and the page says what it
//! left out). See `docs/html-report.md`.

mod escape;
mod findings;
mod overview;
mod snippet;
mod views;

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::{Report, thousands};
use crate::config::Config;
use crate::diagnostic::Severity;
use crate::rule::RuleMeta;
use crate::rules::anachronism::year::{self, StoryYear};
use crate::text::Manuscript;
use crate::text::floor_boundary;
use escape::Esc;

/// Appends formatted text to a `String`. Writing to a `String` cannot fail,
/// so the `fmt::Result` is dropped.
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = write!($out, $($arg)*);
    }};
}
pub(crate) use w;

const CSS: &str = include_str!("html/report.css");
const JS: &str = include_str!("html/report.js");

/// The largest page written, in bytes, when the manuscript allows it: the
/// overview, the views and at least one finding per chapter and rule must
/// fit (a manuscript of thousands of chapters may still exceed it).
pub const MAX_PAGE_BYTES: usize = 2_000_000;

/// How much of the text a rendering shows; see [`DETAILS`].
#[derive(Clone, Copy, Debug)]
struct Detail {
    /// Characters of context each side of a finding's span.
    context: usize,
    /// Most characters shown of a span itself.
    marked: usize,
    /// Related locations shown with a snippet (the rest as links).
    related_snippets: usize,
    /// Characters each side of a phrase in the repeated-phrases view.
    kwic: usize,
    /// Largest side (in words) of a side-by-side diff.
    diff_words: usize,
    /// Most findings shown per chapter and rule (`usize::MAX`: all).
    per_group: usize,
}

/// Renderings from the most generous to the most compact; the first that
/// fits [`MAX_PAGE_BYTES`] is written. A 150,000-word novel fits at the
/// first; the whole 1.36-million-word corpus as one manuscript at a capped
/// one.
const DETAILS: &[Detail] = &[
    Detail {
        context: 160,
        marked: 1200,
        related_snippets: 3,
        kwic: 70,
        diff_words: 1500,
        per_group: usize::MAX,
    },
    Detail {
        context: 80,
        marked: 400,
        related_snippets: 2,
        kwic: 50,
        diff_words: 600,
        per_group: usize::MAX,
    },
    Detail {
        context: 40,
        marked: 200,
        related_snippets: 1,
        kwic: 35,
        diff_words: 300,
        per_group: usize::MAX,
    },
    Detail {
        context: 40,
        marked: 160,
        related_snippets: 0,
        kwic: 30,
        diff_words: 300,
        per_group: 50,
    },
    Detail {
        context: 40,
        marked: 160,
        related_snippets: 0,
        kwic: 30,
        diff_words: 200,
        per_group: 20,
    },
    Detail {
        context: 30,
        marked: 120,
        related_snippets: 0,
        kwic: 30,
        diff_words: 200,
        per_group: 8,
    },
    Detail {
        context: 30,
        marked: 100,
        related_snippets: 0,
        kwic: 25,
        diff_words: 120,
        per_group: 3,
    },
    Detail {
        context: 20,
        marked: 80,
        related_snippets: 0,
        kwic: 20,
        diff_words: 80,
        per_group: 1,
    },
];

/// Writes the page for `report`.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(render(report).as_bytes())
}

/// The page as a string: the first rendering of [`DETAILS`] that fits
/// [`MAX_PAGE_BYTES`], or the most compact one.
pub fn render(report: &Report) -> String {
    let model = Model::new(report);
    let first_capped = DETAILS
        .iter()
        .position(|d| d.per_group != usize::MAX)
        .unwrap_or(DETAILS.len() - 1);
    let mut level = 0;
    loop {
        let detail = &DETAILS[level];
        let page = render_at(&model, detail);
        if page.len() <= MAX_PAGE_BYTES || level + 1 == DETAILS.len() {
            return page;
        }
        // Less context saves about a third at most: a page twice the limit
        // goes straight to showing fewer findings.
        level = if page.len() > 2 * MAX_PAGE_BYTES && level < first_capped {
            first_capped
        } else {
            level + 1
        };
    }
}

/// The story year of every chapter (indexed by chapter) for the overview,
/// when the `anachronism` rule is among `rules`; empty otherwise. A config
/// whose years do not parse gives every chapter that error.
pub fn story_years(
    config: &Config,
    manuscript: &Manuscript,
    rules: &[&RuleMeta],
) -> Vec<Result<StoryYear, String>> {
    if !rules.iter().any(|r| r.id == "anachronism") {
        return Vec::new();
    }
    match year::YearSettings::from_config(config) {
        Ok(settings) => year::resolve(&settings, manuscript),
        Err(message) => vec![Err(message); manuscript.chapters.len()],
    }
}

/// Severity as an index: info 0, warning 1, error 2.
fn sev_index(severity: Severity) -> usize {
    match severity {
        Severity::Info => 0,
        Severity::Warning => 1,
        Severity::Error => 2,
    }
}

const SEVERITIES: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

/// A rule in the overview: what ran, what it found and where.
struct RuleRow<'r> {
    id: &'r str,
    meta: Option<&'r RuleMeta>,
    /// Findings by [`sev_index`].
    counts: [usize; 3],
    /// Findings per chapter (indexed by chapter).
    per_chapter: Vec<usize>,
}

impl RuleRow<'_> {
    fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// The most serious severity it reported (for the strip's colour).
    fn worst(&self) -> Severity {
        match self.counts {
            [_, _, e] if e > 0 => Severity::Error,
            [_, w, _] if w > 0 => Severity::Warning,
            [i, _, _] if i > 0 => Severity::Info,
            _ => self
                .meta
                .map_or(Severity::Warning, |meta| meta.default_severity),
        }
    }
}

/// What every rendering shares, computed once.
struct Model<'r> {
    report: &'r Report<'r>,
    /// The manuscript's name: its folder.
    title: String,
    /// Per chapter: its path without the folder all chapters share (and a
    /// Word chapter's title: `book.docx (Chapter 7)`).
    names: Vec<String>,
    /// Per chapter: its path relative to the manuscript's folder (without
    /// a Word chapter's title).
    files: Vec<String>,
    /// Per chapter: its first heading, if it opens with one.
    headings: Vec<Option<String>>,
    /// Per chapter: diagnostic indices, in order.
    by_chapter: Vec<Vec<usize>>,
    /// Per chapter: findings by [`sev_index`].
    chapter_counts: Vec<[usize; 3]>,
    /// Rules that ran or reported, most findings first.
    rules: Vec<RuleRow<'r>>,
}

impl<'r> Model<'r> {
    fn new(report: &'r Report<'r>) -> Self {
        let manuscript = report.manuscript;
        let n = manuscript.chapters.len();
        let root = common_folder(manuscript.chapters.iter().map(|c| c.path.as_path()));
        // The folder all chapters share, named as it is on disk: paths
        // relative to the current folder (`.`, `../part-2/…`) do not
        // say its name.
        let cwd = std::env::current_dir().unwrap_or_default();
        let absolute: Vec<PathBuf> = manuscript
            .chapters
            .iter()
            .map(|c| crate::load::normalize_path(&cwd.join(&c.path)))
            .collect();
        let absolute = common_folder(absolute.iter().map(PathBuf::as_path));
        let title = absolute
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Manuscript".to_string());
        let files: Vec<String> = manuscript
            .chapters
            .iter()
            .map(|c| {
                let path = without_curdir(&c.path);
                let rel = path.strip_prefix(&root).unwrap_or(&path);
                let name = rel.display().to_string().replace('\\', "/");
                if name.is_empty() { c.file_name() } else { name }
            })
            .collect();
        // The chapters of a split Word file are told apart by title.
        let names = manuscript
            .chapters
            .iter()
            .zip(&files)
            .map(
                |(c, file)| match c.source_map.as_ref().and_then(|m| m.title.as_ref()) {
                    Some(title) => format!("{file} ({title})"),
                    None => file.clone(),
                },
            )
            .collect();
        let headings = manuscript
            .chapters
            .iter()
            .map(|c| {
                // A Word chapter's title is in its name already, as typed;
                // its heading's prose would show Markdown's escapes as spaces.
                if c.source_map.as_ref().is_some_and(|m| m.title.is_some()) {
                    return None;
                }
                let first = c.blocks.first().filter(|b| b.is_heading())?;
                let heading = snippet::collapse(c.prose_slice(first.span).trim());
                (!heading.is_empty()).then(|| snippet::shorten(&heading, 80))
            })
            .collect();

        let mut by_chapter = vec![Vec::new(); n];
        let mut chapter_counts = vec![[0; 3]; n];
        let mut rules: BTreeMap<&str, RuleRow> = report
            .rules
            .iter()
            .map(|meta| {
                let row = RuleRow {
                    id: meta.id.as_ref(),
                    meta: Some(*meta),
                    counts: [0; 3],
                    per_chapter: vec![0; n],
                };
                (meta.id.as_ref(), row)
            })
            .collect();
        for (i, d) in report.diagnostics.iter().enumerate() {
            let chapter = d.primary.chapter.min(n.saturating_sub(1));
            let sev = sev_index(d.severity);
            by_chapter[chapter].push(i);
            chapter_counts[chapter][sev] += 1;
            let row = rules.entry(d.rule.as_str()).or_insert_with(|| RuleRow {
                id: d.rule.as_str(),
                meta: None,
                counts: [0; 3],
                per_chapter: vec![0; n],
            });
            row.counts[sev] += 1;
            row.per_chapter[chapter] += 1;
        }
        let mut rules: Vec<RuleRow> = rules.into_values().collect();
        rules.sort_by(|a, b| b.total().cmp(&a.total()).then(a.id.cmp(b.id)));
        Model {
            report,
            title,
            names,
            files,
            headings,
            by_chapter,
            chapter_counts,
            rules,
        }
    }

    /// The chapters reported on, in reading order.
    fn chapters(&self) -> impl Iterator<Item = usize> + '_ {
        self.report
            .files
            .iter()
            .copied()
            .filter(|&i| i < self.names.len())
    }

    fn total(&self) -> usize {
        self.report.diagnostics.len()
    }

    /// `chapter-03.md:12:4` for a label; `book.docx:¶214:37 (Chapter 7)`
    /// in a Word chapter.
    fn location(&self, label: &crate::diagnostic::Label) -> String {
        let chapter = self.report.manuscript.chapter(label.chapter);
        if let Some(map) = &chapter.source_map
            && let Some(at) = map.position_of(label.span.start as usize)
        {
            return super::paragraph_place(&self.files[label.chapter], map, at);
        }
        let at = chapter.line_col(floor_boundary(&chapter.text, label.span.start as usize));
        format!("{}:{}:{}", self.names[label.chapter], at.line, at.column)
    }

    /// Which findings this rendering shows: all, or the first
    /// `per_group` of each rule in each chapter.
    fn shown(&self, per_group: usize) -> Vec<bool> {
        let mut seen: BTreeMap<(usize, &str), usize> = BTreeMap::new();
        self.report
            .diagnostics
            .iter()
            .map(|d| {
                let count = seen
                    .entry((d.primary.chapter, d.rule.as_str()))
                    .or_insert(0);
                *count += 1;
                *count <= per_group
            })
            .collect()
    }
}

/// The deepest folder holding every path (`""` when they share none).
fn common_folder<'p>(paths: impl Iterator<Item = &'p Path>) -> PathBuf {
    let mut common: Option<Vec<Component>> = None;
    for path in paths {
        let parent: Vec<Component> = path
            .parent()
            .map(|p| p.components().collect())
            .unwrap_or_default();
        common = Some(match common {
            None => parent,
            Some(mut prefix) => {
                let same = prefix
                    .iter()
                    .zip(&parent)
                    .take_while(|(a, b)| a == b)
                    .count();
                prefix.truncate(same);
                prefix
            }
        });
    }
    common
        .unwrap_or_default()
        .iter()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

fn without_curdir(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// `sha256-…` for a Content-Security-Policy source list.
fn csp_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

fn render_at(model: &Model, detail: &Detail) -> String {
    let report = model.report;
    let mut out = String::with_capacity(256 * 1024);
    let csp = format!(
        "default-src 'none'; style-src {}; script-src {}; img-src data:; base-uri 'none'; form-action 'none'",
        csp_hash(CSS),
        csp_hash(JS)
    );
    w!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <meta name=\"generator\" content=\"manulint {version}\">\n\
         <link rel=\"icon\" href=\"data:,\">\n\
         <title>{title} — manulint report</title>\n<style>{CSS}</style>\n</head>\n<body>\n\
         <a class=\"skip\" href=\"#findings\">Skip to the findings</a>\n",
        version = env!("CARGO_PKG_VERSION"),
        title = Esc(&model.title),
    );
    let shown = model.shown(detail.per_group);
    let views = views::Views::collect(model, &shown);
    overview::header(&mut out, model, &views);
    w!(out, "<main>\n");
    overview::overview(&mut out, model);
    if report.quiet {
        w!(
            out,
            "<p class=\"note\">The findings are not listed: the report was written with <code>--quiet</code>.</p>\n"
        );
    } else {
        views.render(&mut out, model, detail);
        findings::findings(&mut out, model, detail, &shown);
    }
    w!(
        out,
        "</main>\n<footer><p>Written by manulint {}. This page is self-contained: it loads nothing \
         from the network. <code>manulint check --format json</code> lists the same findings for tools.</p></footer>\n\
         <script>{JS}</script>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    out
}

/// `1 error`, `2 warnings`: a count and its noun.
fn counted(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{} {noun}s", thousands(count))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::diagnostic::{Diagnostic, Label};
    use crate::text::{Chapter, SourceFormat, Span};

    /// Two chapters of filler with a finding on every word.
    fn flooded(words_per_chapter: usize) -> (Manuscript, Vec<Diagnostic>) {
        let sentence = "The rain came down on the roof of the station all night long. ";
        let paragraph = sentence.repeat(8);
        let text = format!("{paragraph}\n\n").repeat(words_per_chapter / 96 + 1);
        let chapters = (0..2)
            .map(|i| {
                Chapter::parse(
                    i,
                    PathBuf::from(format!("book/ch{i}.txt")),
                    SourceFormat::PlainText,
                    Arc::from(text.as_str()),
                )
            })
            .collect();
        let manuscript = Manuscript::new(chapters);
        let mut diagnostics = Vec::new();
        for chapter in &manuscript.chapters {
            for (n, &word) in chapter.words.iter().enumerate() {
                diagnostics.push(Diagnostic {
                    rule: if n % 3 == 0 { "echo" } else { "style" }.to_string(),
                    severity: if n % 2 == 0 { Severity::Warning } else { Severity::Info },
                    message: format!("word {n} of the chapter is flagged for a test of the page size"),
                    primary: Label::new(chapter.index, word),
                    related: vec![Label::new(chapter.index, Span::new(0, 3)).with_message("first here")],
                    help: Some("a help text long enough to matter when it is written for every single finding".into()),
                    fix: None,
                    facts: None,
                });
            }
        }
        (manuscript, diagnostics)
    }

    #[test]
    fn a_small_manuscript_is_shown_in_full() {
        let (manuscript, diagnostics) = flooded(500);
        let page = render(&crate::testing::report(&manuscript, &diagnostics));
        assert_eq!(
            page.matches("<article class=\"finding ").count(),
            diagnostics.len()
        );
        assert!(!page.contains("class=\"note trimmed\""));
        assert_eq!(model_title(&manuscript), "book");
    }

    fn model_title(manuscript: &Manuscript) -> String {
        let report = crate::testing::report(manuscript, &[]);
        Model::new(&report).title
    }

    #[test]
    fn a_flood_of_findings_is_trimmed_to_fit() {
        // 2 × 4,000 words, one finding each: over 2 MB in full.
        let (manuscript, diagnostics) = flooded(4_000);
        assert!(diagnostics.len() > 8_000);
        let page = render(&crate::testing::report(&manuscript, &diagnostics));
        assert!(page.len() <= MAX_PAGE_BYTES, "{} bytes", page.len());
        let shown = page.matches("<article class=\"finding ").count();
        // The first cap that fits keeps the same number of each rule in
        // each chapter: 2 chapters × 2 rules × cap.
        let cap = DETAILS
            .iter()
            .map(|d| d.per_group)
            .find(|&cap| cap.checked_mul(4) == Some(shown))
            .expect("a cap of DETAILS");
        assert!(cap < usize::MAX);
        assert!(page.contains(&format!(
            "This page shows {} of the {} findings, at most {cap} of each rule per chapter",
            thousands(shown),
            thousands(diagnostics.len())
        )));
        // The totals still count every finding.
        let warnings = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
        assert!(page.contains(&format!(
            "<dd data-count=\"warning\">{}</dd>",
            thousands(warnings)
        )));
    }

    #[test]
    fn common_folder_of_chapters() {
        let paths = [
            Path::new("./book/part1/ch1.md"),
            Path::new("./book/part2/ch2.md"),
        ];
        assert_eq!(common_folder(paths.into_iter()), PathBuf::from("book"));
        assert_eq!(
            common_folder([Path::new("ch1.md")].into_iter()),
            PathBuf::new()
        );
    }

    #[test]
    fn csp_hashes_are_base64_sha256() {
        // echo -n 'a' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            csp_hash("a"),
            "'sha256-ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs='"
        );
    }
}
