//! Checkstyle XML: one `<file>` per checked chapter, one `<error>` per
//! finding (`source` is `manulint.RULE`).

use std::io::{self, Write};

use super::{Location, Report, slash_path, xml_escape};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<checkstyle version="4.3">"#)?;
    for &chapter in &report.files {
        let name = xml_escape(&slash_path(report.manuscript, chapter));
        let findings: Vec<_> = if report.quiet {
            Vec::new()
        } else {
            report
                .diagnostics
                .iter()
                .filter(|d| d.primary.chapter == chapter)
                .collect()
        };
        if findings.is_empty() {
            writeln!(out, r#"  <file name="{name}"/>"#)?;
            continue;
        }
        writeln!(out, r#"  <file name="{name}">"#)?;
        for d in findings {
            let at = Location::of(report.manuscript, &d.primary);
            writeln!(
                out,
                r#"    <error line="{}" column="{}" severity="{}" message="{}" source="manulint.{}"/>"#,
                at.line,
                at.column,
                d.severity.as_str(),
                xml_escape(&d.message),
                xml_escape(&d.rule),
            )?;
        }
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
}
