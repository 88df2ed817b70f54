//! The stable JSON format. Version 2 added `fix` and `facts` to version 1;
//! version 3 added `chapter` to each place (the chapter's title in a Word
//! file split into chapters, whose chapters share the file name and whose
//! byte offsets are the chapter's) and `unchecked` (the files the run could
//! not check); version 4 added `note` to each place (which Word footnote or
//! endnote the text is in). Every key is documented in docs/ci.md; add keys
//! only with a version bump.

use std::io::{self, Write};

use serde::Serialize;

use super::{Location, Report};
use crate::diagnostic::{Applicability, Diagnostic, Facts, Fix, Label};
use crate::text::Manuscript;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    summary: JsonSummary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    /// Files the run could not check (it exits with 2 when there are any).
    unchecked: Vec<JsonUnchecked<'a>>,
}

#[derive(Serialize)]
struct JsonUnchecked<'a> {
    file: &'a str,
    message: &'a str,
}

/// The `summary` object of the JSON formats.
#[derive(Serialize)]
pub(super) struct JsonSummary {
    files: usize,
    words: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

impl JsonSummary {
    pub(super) fn of(summary: &super::Summary) -> Self {
        JsonSummary {
            files: summary.files,
            words: summary.words,
            errors: summary.errors,
            warnings: summary.warnings,
            infos: summary.infos,
        }
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    file: String,
    chapter: Option<&'a str>,
    note: Option<JsonNote>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    byte_start: usize,
    byte_end: usize,
    related: Vec<JsonRelated<'a>>,
    fix: Option<JsonFix<'a>>,
    facts: Option<&'a Facts>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: Applicability,
    description: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    byte_start: usize,
    byte_end: usize,
    replacement: &'a str,
}

/// Which Word note a place is in: `{"kind": "footnote", "number": 3,
/// "paragraph": 1}` (the note's number as the reader sees it, and the
/// paragraph within the note, from 1).
#[derive(Serialize)]
struct JsonNote {
    kind: &'static str,
    number: u32,
    paragraph: u32,
}

impl JsonNote {
    fn of(at: &Location) -> Option<JsonNote> {
        at.note.map(|note| JsonNote {
            kind: note.kind.as_str(),
            number: note.number,
            paragraph: note.paragraph,
        })
    }
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: String,
    chapter: Option<&'a str>,
    note: Option<JsonNote>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    byte_start: usize,
    byte_end: usize,
    message: Option<String>,
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let output = Output {
        version: 4,
        summary: JsonSummary::of(&report.summary),
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| json_diagnostic(report.manuscript, d))
            .collect(),
        unchecked: report
            .unchecked
            .iter()
            .map(|u| JsonUnchecked {
                file: &u.path,
                message: &u.message,
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}

/// The title of chapter `index` when its file is split into chapters.
fn chapter_title(manuscript: &Manuscript, index: usize) -> Option<&str> {
    manuscript
        .chapter(index)
        .source_map
        .as_ref()?
        .title
        .as_deref()
}

fn json_diagnostic<'a>(manuscript: &'a Manuscript, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let at = Location::of(manuscript, &d.primary);
    JsonDiagnostic {
        rule: &d.rule,
        severity: d.severity.as_str(),
        message: &d.message,
        help: d.help.as_deref(),
        note: JsonNote::of(&at),
        file: at.file,
        chapter: chapter_title(manuscript, d.primary.chapter),
        line: at.line,
        column: at.column,
        end_line: at.end_line,
        end_column: at.end_column,
        byte_start: at.byte_start,
        byte_end: at.byte_end,
        related: d
            .related
            .iter()
            .map(|l| json_related(manuscript, l))
            .collect(),
        fix: d.fix.as_ref().map(json_fix),
        facts: d.facts.as_deref(),
    }
}

fn json_fix(fix: &Fix) -> JsonFix<'_> {
    JsonFix {
        applicability: fix.applicability,
        description: &fix.description,
        edits: fix
            .edits
            .iter()
            .map(|e| JsonEdit {
                byte_start: e.span.start as usize,
                byte_end: e.span.end as usize,
                replacement: &e.replacement,
            })
            .collect(),
    }
}

fn json_related<'a>(manuscript: &'a Manuscript, label: &Label) -> JsonRelated<'a> {
    let at = Location::of(manuscript, label);
    JsonRelated {
        note: JsonNote::of(&at),
        file: at.file,
        chapter: chapter_title(manuscript, label.chapter),
        line: at.line,
        column: at.column,
        end_line: at.end_line,
        end_column: at.end_column,
        byte_start: at.byte_start,
        byte_end: at.byte_end,
        message: label.message.as_deref().map(str::to_string),
    }
}
