//! Checkstyle XML: one `<file>` per checked chapter, one `<error>` per
//! finding (`source` is `manulint.RULE`).

use std::io::{self, Write};

use super::{Location, Report, ci_path, xml_escape};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<checkstyle version="4.3">"#)?;
    // One `<file>` per file: the chapters of a split `.docx` share one.
    let mut files: Vec<(String, Vec<usize>)> = Vec::new();
    for &chapter in &report.files {
        let path = ci_path(report, chapter);
        match files.iter_mut().find(|(p, _)| *p == path) {
            Some((_, chapters)) => chapters.push(chapter),
            None => files.push((path, vec![chapter])),
        }
    }
    // Files the run could not check (it exits with 2): an error each.
    for unchecked in &report.unchecked {
        writeln!(out, r#"  <file name="{}">"#, xml_escape(&unchecked.path))?;
        writeln!(
            out,
            r#"    <error severity="error" message="{}" source="manulint.io"/>"#,
            xml_escape(&unchecked.message)
        )?;
        writeln!(out, "  </file>")?;
    }
    for (path, chapters) in &files {
        let name = xml_escape(path);
        let findings: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| chapters.contains(&d.primary.chapter))
            .collect();
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
                xml_escape(&at.message_in_note(&d.message)),
                xml_escape(&d.rule),
            )?;
        }
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
}
