//! GitLab Code Quality JSON: an array of issues. The fingerprint is the
//! baseline fingerprint (rule + normalised text + context, not line
//! numbers) plus the occurrence number, so it is stable across runs and
//! unique within a report, as GitLab requires.

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{Location, Report, ci_path};
use crate::baseline::fingerprint;
use crate::diagnostic::Severity;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    // Files the run could not check (it exits with 2): a blocker each.
    let unchecked = report.unchecked.iter().map(|u| {
        let digest = Sha256::digest(format!("manulint-not-checked#{}", u.path).as_bytes());
        let unique: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        json!({
            "type": "issue",
            "check_name": "not-checked",
            "description": u.message,
            "categories": ["Bug Risk"],
            "severity": "blocker",
            "fingerprint": unique,
            "location": { "path": u.path, "lines": { "begin": 1 } },
        })
    });
    let findings: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let at = Location::of(report.manuscript, &d.primary);
            let base = fingerprint(report.manuscript, d);
            let n = seen.entry(base.clone()).or_default();
            *n += 1;
            let digest = Sha256::digest(format!("{base}#{n}").as_bytes());
            let unique: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
            json!({
                "type": "issue",
                "check_name": d.rule,
                "description": at.message_in_note(&d.message),
                "categories": ["Style"],
                "severity": severity(d.severity),
                "fingerprint": unique,
                "location": {
                    "path": ci_path(report, d.primary.chapter),
                    "lines": { "begin": at.line, "end": at.end_line },
                },
            })
        })
        .collect();
    let issues: Vec<Value> = unchecked.chain(findings).collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}
