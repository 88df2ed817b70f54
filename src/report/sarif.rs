//! SARIF 2.1.0: one run; every rule that ran is in `tool.driver.rules` with
//! its summary and docs; each result has a physical location and its
//! secondary labels as `relatedLocations`. Columns count Unicode code points
//! (`columnKind: unicodeCodePoints`), as everywhere in manulint; the end
//! column is the one just past the flagged text, as SARIF defines it. In a
//! Word document a region's lines are paragraph numbers (see
//! [`super::Location`]).

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{Location, Report, slash_path};
use crate::baseline::fingerprint;
use crate::diagnostic::{Fix, Label, Severity};
use crate::text::Manuscript;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

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
    let results: Vec<Value> = if report.quiet {
        Vec::new()
    } else {
        report
            .diagnostics
            .iter()
            .map(|d| {
                let mut result = json!({
                    "ruleId": d.rule,
                    "level": level(d.severity),
                    "message": { "text": message_with_help(&d.message, d.help.as_deref()) },
                    "locations": [ location(report.manuscript, &d.primary, None) ],
                    "partialFingerprints": {
                        "manulintFingerprint/v1": fingerprint(report.manuscript, d)
                    },
                });
                if let Some(index) = report.rules.iter().position(|m| m.id == d.rule) {
                    result["ruleIndex"] = json!(index);
                }
                if let Some(fix) = &d.fix {
                    result["fixes"] = json!([sarif_fix(report.manuscript, d.primary.chapter, fix)]);
                }
                if !d.related.is_empty() {
                    result["relatedLocations"] = d
                        .related
                        .iter()
                        .enumerate()
                        .map(|(i, label)| location(report.manuscript, label, Some(i + 1)))
                        .collect();
                }
                result
            })
            .collect()
    };
    let mut uris: Vec<String> = report
        .files
        .iter()
        .map(|&i| uri(&slash_path(report.manuscript, i)))
        .collect();
    // The chapters of a split `.docx` are one artifact.
    let mut seen = std::collections::HashSet::new();
    uris.retain(|u| seen.insert(u.clone()));
    let artifacts: Vec<Value> = uris
        .iter()
        .map(|u| json!({ "location": { "uri": u } }))
        .collect();
    let sarif = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "manulint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/manulint/manulint",
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
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

fn location(manuscript: &Manuscript, label: &Label, id: Option<usize>) -> Value {
    let at = Location::of(manuscript, label);
    let mut value = json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(&slash_path(manuscript, label.chapter)) },
            "region": {
                "startLine": at.line,
                "startColumn": at.column,
                "endLine": at.end_line,
                "endColumn": at.end_column,
                "byteOffset": at.byte_start,
                "byteLength": at.byte_end - at.byte_start,
            }
        }
    });
    if let Some(id) = id {
        value["id"] = json!(id);
    }
    if let Some(message) = &label.message {
        value["message"] = json!({ "text": message });
    }
    value
}

/// A SARIF `fix`: one artifact change with a replacement per edit; regions
/// give lines and code-point columns like every other region, plus byte
/// offsets into the decoded text.
fn sarif_fix(manuscript: &Manuscript, chapter: usize, fix: &Fix) -> Value {
    let replacements: Vec<Value> = fix
        .edits
        .iter()
        .map(|edit| {
            let at = Location::of(manuscript, &Label::new(chapter, edit.span));
            json!({
                "deletedRegion": {
                    "startLine": at.line,
                    "startColumn": at.column,
                    "endLine": at.end_line,
                    "endColumn": at.end_column,
                    "byteOffset": at.byte_start,
                    "byteLength": at.byte_end - at.byte_start,
                },
                "insertedContent": { "text": edit.replacement },
            })
        })
        .collect();
    json!({
        "description": { "text": fix.description },
        "artifactChanges": [{
            "artifactLocation": { "uri": uri(&slash_path(manuscript, chapter)) },
            "replacements": replacements,
        }],
        "properties": { "applicability": fix.applicability },
    })
}

/// A relative path as a URI reference: unreserved characters and `/` stay,
/// everything else is percent-encoded (UTF-8).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
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
    use super::uri;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("book/ch 1.md"), "book/ch%201.md");
        assert_eq!(uri("café.md"), "caf%C3%A9.md");
    }
}
