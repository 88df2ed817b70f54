//! `--statistics`: how many findings each rule made and each chapter holds,
//! with the chapter's words, instead of the findings themselves (like
//! `ruff check --statistics`). Text for people, or JSON with `--format json`.

use std::io::{self, Write};

use serde::Serialize;

use super::{Report, summary_line, thousands};
use crate::diagnostic::Severity;

/// Findings of one rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    pub rule: String,
    pub count: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// The rule's one-line summary (empty for rules that did not run).
    pub summary: String,
}

/// Findings and words of one chapter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChapterCount {
    pub file: String,
    /// For a chapter of a Word file split into chapters: its title (shown
    /// after the file in the text overview; the JSON's `chapter`, null for
    /// a file that is one chapter).
    #[serde(rename = "chapter")]
    pub title: Option<String>,
    pub words: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// Counts for a report: rules with findings, commonest first (then by id);
/// every chapter reported on, in reading order.
pub fn counts(report: &Report) -> (Vec<RuleCount>, Vec<ChapterCount>) {
    let mut rules: Vec<RuleCount> = Vec::new();
    for d in report.diagnostics {
        let i = match rules.iter().position(|r| r.rule == d.rule) {
            Some(i) => i,
            None => {
                let summary = report
                    .rules
                    .iter()
                    .find(|m| m.id == d.rule)
                    .map_or(String::new(), |m| m.summary.to_string());
                rules.push(RuleCount {
                    rule: d.rule.clone(),
                    count: 0,
                    errors: 0,
                    warnings: 0,
                    infos: 0,
                    summary,
                });
                rules.len() - 1
            }
        };
        let entry = &mut rules[i];
        entry.count += 1;
        match d.severity {
            Severity::Error => entry.errors += 1,
            Severity::Warning => entry.warnings += 1,
            Severity::Info => entry.infos += 1,
        }
    }
    rules.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.rule.cmp(&b.rule)));
    let mut chapters: Vec<ChapterCount> = report
        .files
        .iter()
        .map(|&c| ChapterCount {
            file: report.manuscript.chapter(c).path.display().to_string(),
            title: report
                .manuscript
                .chapter(c)
                .source_map
                .as_ref()
                .and_then(|m| m.title.clone()),
            words: report.manuscript.chapter(c).word_count(),
            errors: 0,
            warnings: 0,
            infos: 0,
        })
        .collect();
    for d in report.diagnostics {
        let Some(i) = report.files.iter().position(|&c| c == d.primary.chapter) else {
            continue;
        };
        match d.severity {
            Severity::Error => chapters[i].errors += 1,
            Severity::Warning => chapters[i].warnings += 1,
            Severity::Info => chapters[i].infos += 1,
        }
    }
    (rules, chapters)
}

/// Two tables, then the summary line:
///
/// ```text
/// Findings by rule
///   count  errors  warnings  infos  rule
///       6       0         6      0  quote-style  straight and curly quotes mixed
///
/// Findings by chapter
///    words  errors  warnings  infos  chapter
///    1,204       3         2      0  chapter-01.md
/// ```
pub fn write_text(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let (rules, chapters) = counts(report);
    writeln!(out, "Findings by rule")?;
    if rules.is_empty() {
        writeln!(out, "  (none)")?;
    } else {
        let id_width = rules.iter().map(|r| r.rule.len()).max().unwrap_or(4).max(4);
        writeln!(
            out,
            "  {:>5}  {:>6}  {:>8}  {:>5}  {:<id_width$}  summary",
            "count", "errors", "warnings", "infos", "rule"
        )?;
        // The summary column is cut to the width: the table is an overview.
        let room = report
            .width
            .saturating_sub(2 + 5 + 2 + 6 + 2 + 8 + 2 + 5 + 2 + id_width + 2);
        for r in &rules {
            writeln!(
                out,
                "  {:>5}  {:>6}  {:>8}  {:>5}  {:<id_width$}  {}",
                thousands(r.count),
                thousands(r.errors),
                thousands(r.warnings),
                thousands(r.infos),
                r.rule,
                fit(&r.summary, room)
            )?;
        }
    }
    writeln!(out)?;
    writeln!(out, "Findings by chapter")?;
    writeln!(
        out,
        "  {:>9}  {:>6}  {:>8}  {:>5}  chapter",
        "words", "errors", "warnings", "infos"
    )?;
    for c in &chapters {
        writeln!(
            out,
            "  {:>9}  {:>6}  {:>8}  {:>5}  {}",
            thousands(c.words),
            thousands(c.errors),
            thousands(c.warnings),
            thousands(c.infos),
            match &c.title {
                Some(title) => format!("{} ({title})", c.file),
                None => c.file.clone(),
            }
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{}", summary_line(&report.summary))
}

/// `text`, cut with `…` to at most `columns` display columns (whole when
/// there is no room at all: the terminal wraps it).
fn fit(text: &str, columns: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    if columns < 10 || text.chars().map(|c| c.width().unwrap_or(0)).sum::<usize>() <= columns {
        return text.to_string();
    }
    let mut used = 0;
    let mut out = String::new();
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > columns {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

#[derive(Serialize)]
struct JsonStatistics<'a> {
    version: u32,
    summary: super::json::JsonSummary,
    rules: &'a [RuleCount],
    chapters: &'a [ChapterCount],
}

/// `{"version": 2, "summary": {…}, "rules": [{"rule", "count", "errors",
/// "warnings", "infos", "summary"}], "chapters": [{"file", "chapter",
/// "words", "errors", "warnings", "infos"}]}`. Version 2 added `chapter`:
/// the chapters of one Word file had only the file to tell them apart.
pub fn write_json(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let (rules, chapters) = counts(report);
    let output = JsonStatistics {
        version: 2,
        summary: super::json::JsonSummary::of(&report.summary),
        rules: &rules,
        chapters: &chapters,
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}
