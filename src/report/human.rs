//! The human format: miette's graphical reports, drawn from windowed
//! excerpts (see [`super::excerpt`]) so snippets fit the terminal and show
//! character columns. Labels in other chapters are snippets of their own in
//! the same report, headed by their chapter's path, line and column.
//!
//! Findings of one rule with one message in one chapter are folded after
//! the first [`GROUP_SHOWN`]: one line says how many more there are and on
//! which lines (`--no-group` shows them all). The report ends with a count
//! per rule and the summary line.
//!
//! Nothing here can panic on any text: what cannot be drawn in the width
//! (or what miette fails to draw) is printed in the short form instead.

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan};
use rayon::prelude::*;

use super::excerpt::{Excerpt, Mark, Source};
use super::{Location, Report, one_line, summary_line};
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::{LineIndex, Manuscript};

/// Findings of one kind shown in full before the rest are folded.
pub const GROUP_SHOWN: usize = 3;

/// Width when the output is not a terminal and none is given.
pub const DEFAULT_WIDTH: usize = 100;

/// Items drawn side by side before they are written: enough to keep the
/// cores busy, few enough that only a small part of a long report is held.
const DRAWN_AT_ONCE: usize = 256;

/// Writes the report to `out`: the findings (unless quiet), the counts by
/// rule and the summary line. Errors: those of `out`.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    if !report.quiet {
        let renderer = Renderer::new(report.color, report.width);
        let items = plan(report.diagnostics, report.group);
        // Drawing the snippets took a tenth of a corpus run's CPU on one
        // core after the checks: a batch is drawn on every core, then
        // written in order, so the output is the same at any thread count.
        for batch in items.chunks(DRAWN_AT_ONCE) {
            let drawn: Vec<String> = batch
                .par_iter()
                .map(|item| renderer.item(report.manuscript, item, report.width))
                .collect();
            for text in drawn {
                out.write_all(text.as_bytes())?;
            }
        }
        if !report.diagnostics.is_empty() {
            writeln!(
                out,
                "{}",
                rule_counts_line(report.diagnostics, report.width)
            )?;
        }
    }
    let summary = summary_line(&report.summary);
    match report.wrap_summary {
        true => writeln!(out, "{}", wrap_at_spaces(&summary, report.width)),
        false => writeln!(out, "{summary}"),
    }
}

/// `text` broken at spaces into lines of at most `width` columns where it
/// can be (a word longer than the width keeps its own line), the lines
/// after the first indented by two spaces: the summary line at a narrow
/// `--width`, where it held 73 columns at 60. Unchanged when it fits.
pub fn wrap_at_spaces(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if text.width() <= width {
        return text.to_string();
    }
    const INDENT: &str = "  ";
    let mut out = String::with_capacity(text.len() + 8);
    let mut column = 0;
    for word in text.split(' ') {
        let wide = word.width();
        if column > 0 && column + 1 + wide > width {
            out.push('\n');
            out.push_str(INDENT);
            column = INDENT.len();
        } else if column > 0 {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += wide;
    }
    out
}

/// Draws diagnostics with miette at a fixed width.
pub struct Renderer {
    handler: GraphicalReportHandler,
    width: usize,
}

impl Renderer {
    /// A renderer for `width` columns (at least 20 are used).
    pub fn new(color: bool, width: usize) -> Self {
        let width = width.max(20);
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        Renderer {
            // Excerpts name each header's place themselves (a Word
            // chapter's is a paragraph, not a line).
            handler: GraphicalReportHandler::new_themed(theme)
                .with_width(width)
                .with_links(false)
                // Never at a hyphen: a directive or rule id in the help
                // (`manulint-disable-next`, `duplicate-paragraph`) broke
                // there, and copied from the terminal it read
                // `manulint- disable-next`.
                .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
                // Nor inside a word wider than the column: it overflows.
                .with_break_words(false)
                .without_primary_span_start(),
            width,
        }
    }

    /// One finding, ready to print (it ends with a newline): a miette
    /// report, or the short form when the snippet cannot be drawn.
    pub fn diagnostic(&self, manuscript: &Manuscript, d: &Diagnostic) -> String {
        let rendered = MietteReport::build(manuscript, d, self.width).and_then(|report| {
            let mut text = String::new();
            self.handler.render_report(&mut text, &report).ok()?;
            Some(text)
        });
        rendered.unwrap_or_else(|| short_form(manuscript, d))
    }

    /// One item of the report as printed, with the blank lines after it.
    fn item(&self, manuscript: &Manuscript, item: &Item, width: usize) -> String {
        match item {
            Item::Full(diagnostic) => {
                let mut text = self.diagnostic(manuscript, diagnostic);
                text.push('\n');
                text
            }
            Item::More(folded) => folded.line(manuscript, width) + "\n\n",
        }
    }

    /// An error or warning about the run itself (a config error, a chapter
    /// that cannot be decoded), drawn like a finding; its snippet is cut to
    /// the width, and what cannot be drawn is printed in the short form.
    pub fn error(&self, diagnostic: &dyn miette::Diagnostic) -> String {
        let has_labels = diagnostic.labels().is_some_and(|mut l| l.next().is_some());
        let mut text = String::new();
        let drawn = match (diagnostic.source_code(), has_labels) {
            (Some(source), true) => windowed_error(diagnostic, source, self.width)
                .is_some_and(|w| self.handler.render_report(&mut text, &w).is_ok()),
            _ => self
                .handler
                .render_report(&mut text, &Unlabelled::new(diagnostic))
                .is_ok(),
        };
        if !drawn {
            text = short_error(diagnostic);
        }
        if let Some(related) = diagnostic.related() {
            for related in related {
                text.push('\n');
                text.push_str(&self.error(related));
            }
        }
        text
    }
}

/// What the report prints, in order.
enum Item<'a> {
    Full(&'a Diagnostic),
    More(Folded<'a>),
}

/// The findings folded after the first [`GROUP_SHOWN`] of their kind.
struct Folded<'a> {
    chapter: usize,
    rest: Vec<&'a Diagnostic>,
}

impl Folded<'_> {
    /// "… and 8 more like this in chapter-01.txt (lines 13, 15, 19, …)",
    /// listing as many lines as fit in `width` (on a line of their own when
    /// the path leaves no room); in a Word chapter, paragraphs
    /// ("in book.docx (Chapter 2) (¶13, ¶15, …)").
    fn line(&self, manuscript: &Manuscript, width: usize) -> String {
        let chapter = manuscript.chapter(self.chapter);
        let mut lines: Vec<String> = self
            .rest
            .iter()
            .map(|d| {
                let offset = d.primary.span.start as usize;
                match &chapter.source_map {
                    Some(map) => map
                        .position_of(offset)
                        .map_or_else(String::new, |p| p.place.to_string()),
                    None => chapter.line_col(offset).line.to_string(),
                }
            })
            .collect();
        lines.dedup();
        let head = match chapter.source_map.as_ref().and_then(|m| m.title.as_ref()) {
            Some(title) => format!(
                "  … and {} more like this in {} ({title})",
                self.rest.len(),
                chapter.path.display()
            ),
            None => format!(
                "  … and {} more like this in {}",
                self.rest.len(),
                chapter.path.display()
            ),
        };
        let head_width = head.chars().count();
        let noun = match (chapter.source_map.is_some(), lines.len()) {
            (true, _) => "",
            (false, 1) => "line",
            (false, _) => "lines",
        };
        let first = format!(" ({noun} {}, …)", lines[0]);
        if head_width + first.len() <= width {
            format!("{head} {}", line_list(noun, &lines, width - head_width - 1))
        } else {
            format!(
                "{head}\n    {}",
                line_list(noun, &lines, width.saturating_sub(4))
            )
        }
    }
}

/// "(lines 13, 15, 19, …)" in at most `room` columns (at least one line
/// number is always listed); with no noun, "(¶13, ¶15, …)".
fn line_list(noun: &str, lines: &[String], room: usize) -> String {
    let mut list = if noun.is_empty() {
        "(".to_string()
    } else {
        format!("({noun} ")
    };
    for (i, line) in lines.iter().enumerate() {
        let item = if i == 0 {
            line.to_string()
        } else {
            format!(", {line}")
        };
        let closing = if i + 1 < lines.len() { ", …)" } else { ")" };
        if i > 0 && list.len() + item.len() + closing.len() > room {
            list.push_str(", …)");
            return list;
        }
        list.push_str(&item);
    }
    list.push(')');
    list
}

/// The report's items: every finding, or with `group`, the first
/// [`GROUP_SHOWN`] of each (rule, message, chapter) and then one folded
/// line for the rest, placed after the last one shown.
fn plan(diagnostics: &[Diagnostic], group: bool) -> Vec<Item<'_>> {
    if !group {
        return diagnostics.iter().map(Item::Full).collect();
    }
    type Key<'k> = (&'k str, &'k str, usize);
    fn key(d: &Diagnostic) -> Key<'_> {
        (&d.rule, &d.message, d.primary.chapter)
    }
    let mut members: HashMap<Key, Vec<&Diagnostic>> = HashMap::new();
    for d in diagnostics {
        members.entry(key(d)).or_default().push(d);
    }
    let mut seen: HashMap<Key, usize> = HashMap::new();
    let mut items = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        let k = key(d);
        let all = &members[&k];
        let n = seen.entry(k).or_default();
        *n += 1;
        if *n <= GROUP_SHOWN {
            items.push(Item::Full(d));
        }
        if *n == GROUP_SHOWN && all.len() > GROUP_SHOWN {
            items.push(Item::More(Folded {
                chapter: d.primary.chapter,
                rest: all[GROUP_SHOWN..].to_vec(),
            }));
        }
    }
    items
}

/// "By rule: 6 quote-style, 5 anachronism, …", commonest first, wrapped
/// to `width`.
pub fn rule_counts_line(diagnostics: &[Diagnostic], width: usize) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for d in diagnostics {
        match counts.iter_mut().find(|(rule, _)| *rule == d.rule) {
            Some((_, n)) => *n += 1,
            None => counts.push((&d.rule, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let lead = "By rule: ";
    let mut out = String::from(lead);
    let mut column = lead.len();
    for (i, (rule, n)) in counts.iter().enumerate() {
        let item = format!("{n} {rule}");
        let separator = if i == 0 { "" } else { ", " };
        if i > 0 && column + separator.len() + item.len() + 1 > width {
            out.push_str(",\n");
            out.push_str(&" ".repeat(lead.len()));
            column = lead.len();
        } else {
            out.push_str(separator);
            column += separator.len();
        }
        out.push_str(&item);
        column += item.len();
    }
    out
}

/// `path:line:col: severity[rule] message`, then related locations and
/// help, indented: a finding as plain lines.
fn short_form(manuscript: &Manuscript, d: &Diagnostic) -> String {
    let at = Location::of(manuscript, &d.primary);
    let mut out = format!(
        "{}: {}[{}] {}\n",
        at.display,
        d.severity,
        d.rule,
        one_line(&d.message)
    );
    if let Some(label) = &d.primary.message {
        out.push_str(&format!("  = {}\n", one_line(label)));
    }
    for label in &d.related {
        let at = Location::of(manuscript, label);
        let what = label.message.as_deref().unwrap_or("related location");
        out.push_str(&format!("  = {} — {}\n", one_line(what), at.display));
    }
    if let Some(help) = &d.help {
        out.push_str(&format!("  help: {}\n", one_line(help)));
    }
    out
}

/// A run error as plain lines: `path:line:col: error: message` (the
/// location when it has one), then its help.
fn short_error(diagnostic: &dyn miette::Diagnostic) -> String {
    let severity = match diagnostic.severity() {
        Some(miette::Severity::Warning) => "warning",
        Some(miette::Severity::Advice) => "info",
        _ => "error",
    };
    let location = error_location(diagnostic)
        .map(|(name, line, column)| format!("{name}:{line}:{column}: "))
        .unwrap_or_default();
    let mut out = format!(
        "{location}{severity}: {}\n",
        one_line(&diagnostic.to_string())
    );
    if let Some(help) = diagnostic.help() {
        out.push_str(&format!("  help: {}\n", one_line(&help.to_string())));
    }
    out
}

/// Name, line and character column of a run error's first label.
fn error_location(diagnostic: &dyn miette::Diagnostic) -> Option<(String, usize, usize)> {
    let source = diagnostic.source_code()?;
    let label = diagnostic.labels()?.next()?;
    let contents = source.read_span(label.inner(), 1, 0).ok()?;
    let data = std::str::from_utf8(contents.data()).ok()?;
    let before = label.offset().checked_sub(contents.span().offset())?;
    let prefix = data.get(..before)?;
    let index = LineIndex::new(prefix);
    let at = index.line_col(prefix, prefix.len());
    Some((
        contents.name().unwrap_or("").to_string(),
        contents.line() + at.line,
        at.column,
    ))
}

/// Text for a message or help drawn by miette: line breaks are kept (as
/// `\n`), other control characters become U+FFFD.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push('\n'),
            '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A finding shaped the way miette wants it.
#[derive(Debug)]
struct MietteReport {
    code: String,
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Excerpt,
    labels: Vec<LabeledSpan>,
}

impl MietteReport {
    /// `None` when the snippet cannot be drawn in `width` columns.
    fn build(manuscript: &Manuscript, d: &Diagnostic, width: usize) -> Option<Self> {
        // A paragraph pasted a thousand times has a thousand related
        // places: draw the first few (miette's layout is quadratic in
        // labels, and no one reads a thousand snippets); say how many not.
        let related = &d.related[..d.related.len().min(RELATED_DRAWN)];
        let hidden = d.related.len() - related.len();
        // The finding's chapter first, then the others in reading order.
        let mut chapters = vec![d.primary.chapter];
        let mut others: Vec<usize> = related
            .iter()
            .map(|l| l.chapter)
            .filter(|&c| c != d.primary.chapter)
            .collect();
        others.sort_unstable();
        others.dedup();
        chapters.extend(others);
        let sources: Vec<Source> = chapters
            .iter()
            .map(|&c| {
                let chapter = manuscript.chapters.get(c)?;
                let name = chapter.path.display().to_string();
                // A Word chapter is quoted as its paragraphs read in Word.
                Some(match chapter.source_map.as_deref() {
                    Some(map) => Source {
                        name,
                        text: &map.display,
                        index: &map.display_index,
                        first_line: 1,
                        paragraphs: Some(map),
                    },
                    None => Source {
                        name,
                        text: &chapter.text,
                        index: &chapter.lines,
                        first_line: 1,
                        paragraphs: None,
                    },
                })
            })
            .collect::<Option<_>>()?;
        let source_of = |chapter: usize| chapters.iter().position(|&c| c == chapter);
        let mut marks = vec![Mark {
            source: 0,
            span: manuscript
                .chapter(d.primary.chapter)
                .shown_range(d.primary.span),
            message: d.primary.message.as_deref().map(clean),
            primary: true,
        }];
        for label in related {
            marks.push(Mark {
                source: source_of(label.chapter)?,
                span: manuscript.chapter(label.chapter).shown_range(label.span),
                message: label.message.as_deref().map(clean),
                primary: false,
            });
        }
        let (source, labels) = Excerpt::build(&sources, &marks, width)?;
        Some(MietteReport {
            code: d.rule.clone(),
            message: clean(&d.message),
            severity: miette_severity(d.severity),
            help: with_hidden(d.help.as_deref().map(clean), hidden),
            source,
            labels,
        })
    }
}

/// How many related places a finding's snippet draws.
const RELATED_DRAWN: usize = 8;

/// The help, with a line saying how many related places were not drawn.
fn with_hidden(help: Option<String>, hidden: usize) -> Option<String> {
    if hidden == 0 {
        return help;
    }
    let note = format!(
        "{} more related places are not drawn here; `--format json` lists them all",
        crate::report::thousands(hidden)
    );
    Some(match help {
        Some(help) => format!("{help}\n{note}"),
        None => note,
    })
}

fn miette_severity(severity: Severity) -> miette::Severity {
    match severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

impl fmt::Display for MietteReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MietteReport {}

impl miette::Diagnostic for MietteReport {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// A run error whose labels point into an [`Excerpt`] of its source: the
/// lines around its labels, read once through the error's own source.
struct Windowed<'d> {
    inner: &'d dyn miette::Diagnostic,
    message: String,
    help: Option<String>,
    excerpt: Excerpt,
    labels: Vec<LabeledSpan>,
}

/// Builds the windowed form of a run error, or `None` when its labels
/// cannot be read or drawn in `width`.
fn windowed_error<'d>(
    inner: &'d dyn miette::Diagnostic,
    source: &dyn miette::SourceCode,
    width: usize,
) -> Option<Windowed<'d>> {
    let labels: Vec<LabeledSpan> = inner.labels()?.collect();
    let start = labels.iter().map(LabeledSpan::offset).min()?;
    let end = labels.iter().map(|l| l.offset() + l.len()).max()?;
    let contents = source
        .read_span(&(start..end.max(start)).into(), 1, 1)
        .ok()?;
    let text = std::str::from_utf8(contents.data()).ok()?;
    let base = contents.span().offset();
    let index = LineIndex::new(text);
    let sources = [Source {
        name: contents.name().unwrap_or("").to_string(),
        text,
        index: &index,
        first_line: contents.line() + 1,
        paragraphs: None,
    }];
    let marks: Vec<Mark> = labels
        .iter()
        .map(|l| {
            let from = l.offset().checked_sub(base)?.min(text.len());
            let to = (l.offset() + l.len()).checked_sub(base)?.min(text.len());
            Some(Mark {
                source: 0,
                span: from..to.max(from),
                message: l.label().map(clean),
                primary: l.primary(),
            })
        })
        .collect::<Option<_>>()?;
    let (excerpt, labels) = Excerpt::build(&sources, &marks, width)?;
    Some(Windowed {
        inner,
        message: clean(&inner.to_string()),
        help: inner.help().map(|h| clean(&h.to_string())),
        excerpt,
        labels,
    })
}

impl fmt::Debug for Windowed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Windowed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Windowed<'_> {}

impl miette::Diagnostic for Windowed<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        plain_code(self.inner)
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.inner.severity()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.excerpt)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// An error's code as its header reads to a writer: `manulint::config`
/// is a "config error", `manulint::usage` a "usage error" (the crate path
/// meant nothing to a novelist). Other codes are shown as they are.
fn plain_code<'a>(inner: &'a dyn miette::Diagnostic) -> Option<Box<dyn fmt::Display + 'a>> {
    let code = inner.code()?.to_string();
    Some(Box::new(match code.strip_prefix("manulint::") {
        Some(kind) => format!("{kind} error"),
        None => code,
    }))
}

/// A run error without a snippet: only its code, message and help reach
/// miette (related reports are drawn separately, each windowed).
struct Unlabelled<'d> {
    inner: &'d dyn miette::Diagnostic,
    message: String,
    help: Option<String>,
}

impl<'d> Unlabelled<'d> {
    fn new(inner: &'d dyn miette::Diagnostic) -> Self {
        Unlabelled {
            inner,
            message: clean(&inner.to_string()),
            help: inner.help().map(|h| clean(&h.to_string())),
        }
    }
}

impl fmt::Debug for Unlabelled<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Unlabelled<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Unlabelled<'_> {}

impl miette::Diagnostic for Unlabelled<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        plain_code(self.inner)
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.inner.severity()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use unicode_width::UnicodeWidthChar;

    use super::*;
    use crate::diagnostic::Label;
    use crate::text::{Chapter, SourceFormat, Span};

    fn manuscript(chapters: &[(&str, &str)]) -> Manuscript {
        Manuscript::new(
            chapters
                .iter()
                .enumerate()
                .map(|(i, (name, text))| {
                    Chapter::parse(
                        i,
                        PathBuf::from(name),
                        SourceFormat::PlainText,
                        Arc::from(*text),
                    )
                })
                .collect(),
        )
    }

    fn finding(chapter: usize, span: std::ops::Range<usize>, message: &str) -> Diagnostic {
        Diagnostic {
            rule: "test-rule".into(),
            severity: Severity::Warning,
            message: message.into(),
            primary: Label::new(chapter, Span::from(span)).with_message("here"),
            related: Vec::new(),
            help: Some("do something".into()),
            fix: None,
            facts: None,
        }
    }

    fn columns(line: &str) -> usize {
        line.chars().map(|c| c.width().unwrap_or(0)).sum()
    }

    /// `[name:line:col]` headers of a rendered report.
    fn headers(rendered: &str) -> Vec<String> {
        rendered
            .lines()
            .filter_map(|l| {
                l.split_once("╭─[")
                    .map(|(_, rest)| rest.trim_end_matches(']').to_string())
            })
            .collect()
    }

    /// A tiny deterministic generator (xorshift), for reproducible cases.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn any_line_any_span_any_width_fits_and_never_panics() {
        let alphabet = [
            "a",
            "word ",
            "“",
            "”",
            "’",
            "—",
            "東",
            "京",
            "😀",
            "e\u{301}",
            "\t",
            "\u{7}",
            " ",
            "\n",
            "\r\n",
            "\r",
            "x\u{200d}y",
            "…",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for case in 0..400 {
            let len = [10, 80, 300, 2_000, 20_000][rng.below(5)];
            let mut text = String::new();
            for _ in 0..len {
                text.push_str(alphabet[rng.below(alphabet.len())]);
            }
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let a = boundaries[rng.below(boundaries.len())];
            let b = boundaries[rng.below(boundaries.len())];
            let (start, end) = (a.min(b), a.max(b));
            let width = [20, 40, 60, 80, 100, 120, 200][rng.below(7)];
            let m = manuscript(&[("c.txt", &text)]);
            let mut d = finding(0, start..end, "a finding");
            if rng.below(2) == 0 {
                let c = boundaries[rng.below(boundaries.len())];
                // Some labels are longer than any narrow terminal (a
                // knowledge-base entry's description): cut to fit.
                let message = match rng.below(2) {
                    0 => "and here",
                    _ => {
                        "“ballpoint pen”: pen writing with a rolling ball (Bíró's patent), first sold in 1938 in Budapest"
                    }
                };
                d.related
                    .push(Label::new(0, Span::new(c, c)).with_message(message));
            }
            let rendered = Renderer::new(false, width).diagnostic(&m, &d);
            let at = m.chapter(0).line_col(start);
            if rendered.contains("╭─[") {
                for line in rendered.lines() {
                    assert!(
                        columns(line) <= width,
                        "case {case}: {} columns > {width}:\n{rendered}",
                        columns(line)
                    );
                    assert!(
                        !line.contains('\r') && !line.contains('\u{7}'),
                        "case {case}"
                    );
                }
                let expected = format!("c.txt:{}:{}", at.line, at.column);
                assert!(
                    headers(&rendered).contains(&expected),
                    "case {case}: no header {expected}:\n{rendered}"
                );
            } else {
                assert!(
                    rendered.starts_with(&format!(
                        "c.txt:{}:{}: warning[test-rule]",
                        at.line, at.column
                    )),
                    "case {case}: {rendered}"
                );
            }
        }
    }

    /// A label longer than the snippet's width is cut with `…`, where it
    /// ran past a 60-column terminal; a short one is left whole.
    #[test]
    fn a_long_label_is_cut_to_the_width() {
        let text = "He wrote it with a ballpoint pen in a leather book.\n";
        let start = text.find("ballpoint").unwrap();
        let m = manuscript(&[("c.txt", text)]);
        let mut d = finding(0, start..start + 13, "a finding");
        d.primary = d
            .primary
            .with_message("“ballpoint pen”: pen writing with a rolling ball (Bíró's patent), 1938");
        let rendered = Renderer::new(false, 60).diagnostic(&m, &d);
        assert!(rendered.lines().all(|l| columns(l) <= 60), "{rendered}");
        assert!(
            rendered.contains("╰── “ballpoint pen”: pen writing with a rol"),
            "{rendered}"
        );
        let wide = Renderer::new(false, 120).diagnostic(&m, &d);
        assert!(wide.contains("(Bíró's patent), 1938\n"), "{wide}");
    }

    #[test]
    fn a_200_000_character_line_renders_a_window() {
        let text = format!(
            "{}the the{}\n",
            "lorem ipsum ".repeat(16_000),
            " dolor".repeat(1_000)
        );
        let start = text.find("the the").unwrap();
        let m = manuscript(&[("long.txt", &text)]);
        let rendered =
            Renderer::new(false, 100).diagnostic(&m, &finding(0, start..start + 7, "doubled"));
        assert_eq!(headers(&rendered), ["long.txt:1:192001"]);
        assert!(
            rendered.contains(" 1 │ …lorem ipsum lorem ipsum the the dolor"),
            "{rendered}"
        );
        assert!(rendered.lines().all(|l| columns(l) <= 100), "{rendered}");
    }

    #[test]
    fn a_finding_with_many_related_places_draws_the_first_eight() {
        let text = "Copy.\n".repeat(30);
        let m = manuscript(&[("c.txt", &text)]);
        let mut d = finding(0, 29 * 6..29 * 6 + 5, "a finding");
        for line in 0..29 {
            let at = line * 6;
            d.related
                .push(Label::new(0, Span::new(at, at + 5)).with_message("another copy"));
        }
        let rendered = Renderer::new(false, 120).diagnostic(&m, &d);
        assert_eq!(rendered.matches("another copy").count(), 8, "{rendered}");
        assert!(
            rendered.contains(
                "21 more related places are not drawn here; `--format json` lists them all"
            ),
            "{rendered}"
        );
    }

    #[test]
    fn related_labels_in_other_chapters_are_snippets_with_their_location() {
        let one = "Opening.\n\nThe fox ran over the hill.\n";
        let two = "Start.\n\nMiddle.\n\nThe fox ran over the hill.\n";
        let m = manuscript(&[("one.txt", one), ("two.txt", two)]);
        let mut d = finding(1, 17..43, "this paragraph repeats one.txt:3");
        d.primary.message = Some("copy".into());
        d.related
            .push(Label::new(0, Span::new(10, 36)).with_message("the earlier copy"));
        let rendered = Renderer::new(false, 80).diagnostic(&m, &d);
        assert_eq!(headers(&rendered), ["two.txt:5:1", "one.txt:3:1"]);
        assert!(rendered.contains("╰── the earlier copy"), "{rendered}");
        assert!(!rendered.contains("Advice"), "{rendered}");
    }

    #[test]
    fn grouping_folds_after_three_and_lists_lines() {
        let text: String = (1..=12).map(|i| format!("- Line {i}.\n")).collect();
        let m = manuscript(&[("ch.txt", &text)]);
        let diagnostics: Vec<Diagnostic> = (0..11)
            .map(|i| {
                let start = m.chapter(0).lines.start_of_line(i);
                finding(0, start..start + 1, "hyphen used as a dialogue dash")
            })
            .collect();
        let items = plan(&diagnostics, true);
        assert_eq!(items.len(), 4);
        let Item::More(folded) = &items[3] else {
            panic!("the fourth item folds the rest");
        };
        assert_eq!(
            folded.line(&m, 100),
            "  … and 8 more like this in ch.txt (lines 4, 5, 6, 7, 8, 9, 10, 11)"
        );
        assert_eq!(
            folded.line(&m, 60),
            "  … and 8 more like this in ch.txt (lines 4, 5, 6, 7, …)"
        );
        // A path that leaves no room puts the lines on their own line.
        assert_eq!(
            folded.line(&m, 36),
            "  … and 8 more like this in ch.txt\n    (lines 4, 5, 6, 7, 8, 9, …)"
        );
        assert_eq!(plan(&diagnostics, false).len(), 11);
        // Three of a kind are shown in full; a different message is its own kind.
        let mut three = diagnostics[..3].to_vec();
        three.push(finding(0, 0..1, "another message"));
        assert_eq!(plan(&three, true).len(), 4);
    }

    #[test]
    fn a_long_report_is_written_in_order_at_any_thread_count() {
        // More items than are drawn at once, some of them folded lines.
        let text: String = (1..=700)
            .map(|i| format!("Line {i} of the chapter.\n"))
            .collect();
        let m = manuscript(&[("ch.txt", &text)]);
        let diagnostics: Vec<Diagnostic> = (0..700)
            .map(|i| {
                let start = m.chapter(0).lines.start_of_line(i);
                finding(0, start..start + 4, &format!("kind {}", i / 5))
            })
            .collect();
        let write_with = |threads: usize| {
            let mut report = crate::testing::report(&m, &diagnostics);
            (report.width, report.group) = (80, true);
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a pool");
            let mut out = Vec::new();
            pool.install(|| write(&report, &mut out)).expect("written");
            String::from_utf8(out).expect("UTF-8")
        };
        let one = write_with(1);
        assert_eq!(write_with(16), one);
        // Three of each five findings in full, in the chapter's order, each
        // kind's folded line after its third.
        let shown: Vec<String> = (0..700)
            .filter(|i| i % 5 < 3)
            .map(|i| format!("ch.txt:{}:1", i + 1))
            .collect();
        assert_eq!(headers(&one), shown);
        let folded: Vec<&str> = one
            .lines()
            .filter(|l| l.contains("more like this"))
            .collect();
        assert_eq!(folded.len(), 140);
        assert_eq!(folded[0], "  … and 2 more like this in ch.txt (lines 4, 5)");
        assert_eq!(
            folded[139],
            "  … and 2 more like this in ch.txt (lines 699, 700)"
        );
        let last_header = one.rfind("ch.txt:698:1").expect("the last finding shown");
        assert!(one.rfind(folded[139]).expect("folded") > last_header);
        assert!(
            one.ends_with(
                "Found 0 errors, 700 warnings and 0 infos in 1 file (3,500 words) in 0.00s\n"
            ),
            "{}",
            &one[one.len() - 200..]
        );
    }

    #[test]
    fn the_summary_is_wrapped_at_spaces_to_the_width() {
        let line = "Found 2 errors, 2 warnings and 0 infos in 1 file (16 words) in 0.02s";
        assert_eq!(wrap_at_spaces(line, 100), line);
        assert_eq!(wrap_at_spaces(line, line.len()), line);
        assert_eq!(
            wrap_at_spaces(line, 60),
            "Found 2 errors, 2 warnings and 0 infos in 1 file (16 words)\n  in 0.02s"
        );
        assert_eq!(
            wrap_at_spaces(line, 20),
            "Found 2 errors, 2\n  warnings and 0\n  infos in 1 file\n  (16 words) in\n  0.02s"
        );
        // A word wider than the width keeps a line of its own.
        assert_eq!(wrap_at_spaces("a bcdefgh i", 4), "a\n  bcdefgh\n  i");
    }

    #[test]
    fn rule_counts_are_one_line_commonest_first_wrapped_to_the_width() {
        let mut diagnostics = vec![finding(0, 0..1, "a"); 3];
        let mut other = finding(0, 0..1, "b");
        other.rule = "another-rule".into();
        diagnostics.push(other);
        assert_eq!(
            rule_counts_line(&diagnostics, 100),
            "By rule: 3 test-rule, 1 another-rule"
        );
        assert_eq!(
            rule_counts_line(&diagnostics, 30),
            "By rule: 3 test-rule,\n         1 another-rule"
        );
    }

    #[test]
    fn run_errors_on_very_long_lines_are_windowed() {
        let long = format!("title = \"{}\"\nbad = = 1\n", "x".repeat(100_000));
        let config = crate::config::Config::parse(std::path::Path::new("manulint.toml"), long);
        let err = config.expect_err("the TOML is broken");
        let rendered = Renderer::new(false, 80).error(&*err);
        assert!(rendered.contains("manulint.toml:2:7"), "{rendered}");
        assert!(rendered.lines().all(|l| columns(l) <= 80), "{rendered}");
        let long_line = format!("title = \"{}\" = 1\n", "y".repeat(100_000));
        let err = crate::config::Config::parse(std::path::Path::new("manulint.toml"), long_line)
            .expect_err("broken");
        let rendered = Renderer::new(false, 80).error(&*err);
        assert!(rendered.contains("manulint.toml:1:100012"), "{rendered}");
        assert!(rendered.lines().all(|l| columns(l) <= 80), "{rendered}");
    }
}
