//! The human format: miette's graphical reports. A label in another chapter
//! becomes a related report with that chapter's own snippet.

use std::fmt;
use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use super::{Report, summary_line};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::text::{Chapter, Manuscript};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    if !report.quiet {
        let handler = handler(report.color);
        for diagnostic in report.diagnostics {
            let rendered = MietteReport::from_diagnostic(report.manuscript, diagnostic);
            let mut text = String::new();
            handler
                .render_report(&mut text, &rendered)
                .map_err(|e| io::Error::other(e.to_string()))?;
            writeln!(out, "{text}")?;
        }
    }
    writeln!(out, "{}", summary_line(&report.summary))
}

pub fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
}

/// A diagnostic shaped the way miette wants it.
#[derive(Debug)]
struct MietteReport {
    code: Option<String>,
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    source: NamedSource<std::sync::Arc<str>>,
    labels: Vec<LabeledSpan>,
    related: Vec<MietteReport>,
}

impl MietteReport {
    fn from_diagnostic(manuscript: &Manuscript, d: &Diagnostic) -> Self {
        let chapter = manuscript.chapter(d.primary.chapter);
        let mut labels = vec![labeled(&d.primary, true)];
        let mut related = Vec::new();
        for label in &d.related {
            if label.chapter == d.primary.chapter {
                labels.push(labeled(label, false));
            } else {
                related.push(MietteReport::related(
                    manuscript.chapter(label.chapter),
                    label,
                ));
            }
        }
        MietteReport {
            code: Some(d.rule.clone()),
            message: d.message.clone(),
            severity: miette_severity(d.severity),
            help: d.help.clone(),
            source: source_of(chapter),
            labels,
            related,
        }
    }

    fn related(chapter: &Chapter, label: &Label) -> Self {
        let message = label
            .message
            .clone()
            .unwrap_or_else(|| "related location".to_string());
        MietteReport {
            code: None,
            message: format!("{message} ({})", chapter.path.display()),
            severity: miette::Severity::Advice,
            help: None,
            source: source_of(chapter),
            labels: vec![labeled(label, false)],
            related: Vec::new(),
        }
    }
}

fn source_of(chapter: &Chapter) -> NamedSource<std::sync::Arc<str>> {
    NamedSource::new(chapter.path.display().to_string(), chapter.text.clone())
}

fn labeled(label: &Label, primary: bool) -> LabeledSpan {
    let span = SourceSpan::from(label.span.range());
    if primary {
        LabeledSpan::new_primary_with_span(label.message.clone(), span)
    } else {
        LabeledSpan::new_with_span(label.message.clone(), span)
    }
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
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
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

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}
