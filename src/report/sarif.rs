//! SARIF 2.1.0: one run; every rule that ran is in `tool.driver.rules` with
//! its summary and docs; each result has a physical location and its
//! secondary labels as `relatedLocations`. Columns count Unicode code points
//! (`columnKind: unicodeCodePoints`), as everywhere in manulint; the end
//! column is the one just past the flagged text, as SARIF defines it. In a
//! Word document a region's lines are paragraph numbers (see
//! [`super::Location`]).

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};
use serde_json::{Value, json};

use super::{Location, Report, ci_path};
use crate::baseline::fingerprint;
use crate::diagnostic::{Diagnostic, Fix, Label, Severity};
use crate::text::Manuscript;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The SARIF log, serialised as it is written: its results are made one at
/// a time (see [`Results`]), where a tree of every result took about ten
/// times the text's size (380 MiB at the peak for the corpus's 27 MB).
/// Fields are in the order of `serde_json`'s maps (sorted by key), which
/// the rest of the log is built in.
#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a>; 1],
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    artifacts: Vec<Value>,
    column_kind: &'static str,
    invocations: [Value; 1],
    results: Results<'a>,
    tool: Value,
}

/// The report's findings as SARIF results, each built as it is written.
struct Results<'a>(&'a Report<'a>);

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        let diagnostics = report.diagnostics;
        let mut seq = serializer.serialize_seq(Some(diagnostics.len()))?;
        // How many findings before had each fingerprint: two findings of
        // the same text (the same slip twice in a chapter) share one, and
        // code scanning took them for one alert.
        let mut seen: HashMap<String, usize> = HashMap::new();
        for d in diagnostics {
            let print = fingerprint(report.manuscript, d);
            let occurrence = seen.entry(print.clone()).or_default();
            *occurrence += 1;
            seq.serialize_element(&result(report, d, print, *occurrence))?;
        }
        seq.end()
    }
}

/// Writes the report as a SARIF 2.1.0 log. Errors: those of `out`.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<Value> = report
        .rules
        .iter()
        .map(|meta| {
            let docs = meta.docs_markdown();
            json!({
                "id": meta.id,
                "name": meta.id,
                "shortDescription": { "text": meta.summary },
                "fullDescription": { "text": meta.summary },
                "help": { "text": docs, "markdown": docs },
                "defaultConfiguration": { "level": level(meta.default_severity) },
                "properties": { "category": meta.category.as_str() },
            })
        })
        .collect();
    let mut uris: Vec<String> = report
        .files
        .iter()
        .map(|&i| uri(&ci_path(report, i)))
        .collect();
    // The chapters of a split `.docx` are one artifact.
    let mut seen = std::collections::HashSet::new();
    uris.retain(|u| seen.insert(u.clone()));
    let artifacts: Vec<Value> = uris
        .iter()
        .map(|u| json!({ "location": { "uri": u } }))
        .collect();
    let log = Log {
        schema: SCHEMA,
        runs: [Run {
            artifacts,
            column_kind: "unicodeCodePoints",
            invocations: [invocation(report)],
            results: Results(report),
            tool: json!({
                "driver": {
                    "name": "manulint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/manulint/manulint",
                    "rules": rules,
                }
            }),
        }],
        version: "2.1.0",
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// The run itself: whether it checked every file, and a notification for
/// each file it could not (the exit status 2 of a run with one).
fn invocation(report: &Report) -> Value {
    let notifications: Vec<Value> = report
        .unchecked
        .iter()
        .map(|u| {
            json!({
                "level": "error",
                "message": { "text": u.message },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(&u.path) } } }],
            })
        })
        .collect();
    json!({
        "executionSuccessful": report.unchecked.is_empty(),
        "toolExecutionNotifications": notifications,
    })
}

/// One finding as a SARIF result: `print` is its baseline fingerprint,
/// `occurrence` counts the findings with it so far, from 1.
fn result(report: &Report, d: &Diagnostic, print: String, occurrence: usize) -> Value {
    let mut result = json!({
        "ruleId": d.rule,
        "level": level(d.severity),
        "message": { "text": message_with_help(
            &Location::of(report.manuscript, &d.primary).message_in_note(&d.message),
            d.help.as_deref(),
        ) },
        "locations": [ location(report, &d.primary, None) ],
        "partialFingerprints": {
            "manulintFingerprint/v1": print,
            "manulintOccurrence/v1": occurrence.to_string(),
        },
    });
    if let Some(index) = report.rules.iter().position(|m| m.id == d.rule) {
        result["ruleIndex"] = json!(index);
    }
    if let Some(fix) = &d.fix {
        result["fixes"] = json!([sarif_fix(report, d.primary.chapter, fix)]);
    }
    if !d.related.is_empty() {
        result["relatedLocations"] = d
            .related
            .iter()
            .enumerate()
            .map(|(i, label)| location(report, label, Some(i + 1)))
            .collect();
    }
    result
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn message_with_help(message: &str, help: Option<&str>) -> String {
    match help {
        Some(help) => format!("{message}\nhelp: {help}"),
        None => message.to_string(),
    }
}

fn location(report: &Report, label: &Label, id: Option<usize>) -> Value {
    let manuscript = report.manuscript;
    let at = Location::of(manuscript, label);
    let mut value = json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(&ci_path(report, label.chapter)) },
            "region": region(manuscript, label.chapter, &at),
        }
    });
    if let Some(note) = at.note_text() {
        // A region's lines and columns cannot say it: the line is the body
        // paragraph holding the note's mark, the column one in the note.
        value["physicalLocation"]["region"]["properties"] = json!({ "note": note });
    }
    if let Some(id) = id {
        value["id"] = json!(id);
    }
    if let Some(message) = &label.message {
        value["message"] = json!({ "text": message });
    }
    value
}

/// A region's lines and code-point columns, and its bytes in the file
/// where they can be told: offsets into the text shifted past a UTF-8
/// byte-order mark; none for a file in another encoding or a Word
/// document, whose text is not the file's bytes (SARIF's byte offsets are
/// into the artifact, and a tool applying fixes by them would corrupt it).
fn region(manuscript: &Manuscript, chapter: usize, at: &Location) -> Value {
    let mut region = json!({
        "startLine": at.line,
        "startColumn": at.column,
        "endLine": at.end_line,
        "endColumn": at.end_column,
    });
    let chapter = manuscript.chapter(chapter);
    if let (Some(shift), None) = (chapter.byte_shift, &chapter.source_map) {
        region["byteOffset"] = json!(at.byte_start + shift as usize);
        region["byteLength"] = json!(at.byte_end - at.byte_start);
    }
    region
}

/// A SARIF `fix`: one artifact change with a replacement per edit; regions
/// as every other (see [`region`]).
fn sarif_fix(report: &Report, chapter: usize, fix: &Fix) -> Value {
    let manuscript = report.manuscript;
    let replacements: Vec<Value> = fix
        .edits
        .iter()
        .map(|edit| {
            let at = Location::of(manuscript, &Label::new(chapter, edit.span));
            json!({
                "deletedRegion": region(manuscript, chapter, &at),
                "insertedContent": { "text": edit.replacement },
            })
        })
        .collect();
    json!({
        "description": { "text": fix.description },
        "artifactChanges": [{
            "artifactLocation": { "uri": uri(&ci_path(report, chapter)) },
            "replacements": replacements,
        }],
        "properties": { "applicability": fix.applicability },
    })
}

/// A relative path as a URI reference: unreserved characters and `/` stay,
/// everything else is percent-encoded (UTF-8).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 8);
    // An absolute path (a chapter outside the current folder, given so)
    // is a `file:` URI: without a scheme it was a reference relative to
    // the log's own location. Windows' `C:/` keeps its drive's colon.
    let bytes = path.as_bytes();
    let drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    let path = if path.starts_with('/') {
        out.push_str("file://");
        path
    } else if drive {
        out.push_str("file:///");
        out.push_str(&path[..2]);
        &path[2..]
    } else {
        path
    };
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Span;

    /// The log as written, and as `serde_json` writes it once read back: a
    /// tree of maps orders every object's keys, so the two are the same
    /// bytes only if the streamed log orders them as the tree did.
    fn written_and_as_a_tree(report: &Report) -> (String, String) {
        let mut out = Vec::new();
        write(report, &mut out).expect("written");
        let written = String::from_utf8(out).expect("UTF-8");
        let tree: Value = serde_json::from_str(&written).expect("SARIF is JSON");
        let again = serde_json::to_string_pretty(&tree).expect("serialised") + "\n";
        (written, again)
    }

    #[test]
    fn streamed_results_are_the_tree_of_the_whole_log() {
        let text =
            "It was the the night of the fair.\n\nShe said that that was so, and and left.\n";
        let (manuscript, mut diagnostics) =
            crate::testing::run_rule_on("doubled-word", &[("ch 1.txt", text)]);
        assert_eq!(diagnostics.len(), 2, "“that that” is English");
        assert!(diagnostics.iter().all(|d| d.fix.is_some()));
        diagnostics[1]
            .related
            .push(Label::new(0, Span::new(7, 10)).with_message("the first"));
        let mut report = crate::testing::report(&manuscript, &diagnostics);
        let (written, again) = written_and_as_a_tree(&report);
        assert_eq!(written, again);
        let tree: Value = serde_json::from_str(&written).unwrap();
        let results = tree["runs"][0]["results"].as_array().expect("results");
        assert_eq!(results.len(), 2);
        assert_eq!(
            results[1]["relatedLocations"][0]["message"]["text"],
            "the first"
        );
        assert!(written.starts_with("{\n  \"$schema\": \"https://docs.oasis-open.org/sarif/"));
        // Quiet keeps every result: a log without them would tell code
        // scanning the findings were fixed.
        report.quiet = true;
        let (quiet, _) = written_and_as_a_tree(&report);
        assert_eq!(quiet, written);
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("book/ch 1.md"), "book/ch%201.md");
        assert_eq!(uri("café.md"), "caf%C3%A9.md");
        // Absolute paths are `file:` URIs, not references relative to the
        // log.
        assert_eq!(uri("/tmp/fmt 2/bom.md"), "file:///tmp/fmt%202/bom.md");
        assert_eq!(uri("C:/Books/été.md"), "file:///C:/Books/%C3%A9t%C3%A9.md");
    }
}
