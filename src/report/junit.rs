//! JUnit XML: one test suite, one test case per checked chapter. A chapter
//! with findings is a failed test case listing them, one per line.

use std::io::{self, Write};

use super::{Location, Report, slash_path, xml_escape};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let cases: Vec<(String, Vec<String>)> = report
        .files
        .iter()
        .map(|&chapter| {
            let file = slash_path(report.manuscript, chapter);
            let lines = report
                .diagnostics
                .iter()
                .filter(|d| !report.quiet && d.primary.chapter == chapter)
                .map(|d| {
                    let at = Location::of(report.manuscript, &d.primary);
                    format!(
                        "{file}:{}:{}: {}[{}] {}",
                        at.line, at.column, d.severity, d.rule, d.message
                    )
                })
                .collect();
            (file, lines)
        })
        .collect();
    let tests = cases.len();
    let failures = cases.iter().filter(|(_, l)| !l.is_empty()).count();
    let time = report.summary.elapsed.as_secs_f64();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="manulint" tests="{tests}" failures="{failures}" errors="0" time="{time:.3}">"#
    )?;
    writeln!(
        out,
        r#"  <testsuite name="manulint" tests="{tests}" failures="{failures}" errors="0" skipped="0" time="{time:.3}">"#
    )?;
    for (file, lines) in &cases {
        let name = xml_escape(file);
        if lines.is_empty() {
            writeln!(
                out,
                r#"    <testcase name="{name}" classname="manulint" file="{name}"/>"#
            )?;
            continue;
        }
        writeln!(
            out,
            r#"    <testcase name="{name}" classname="manulint" file="{name}">"#
        )?;
        let noun = if lines.len() == 1 {
            "finding"
        } else {
            "findings"
        };
        writeln!(
            out,
            r#"      <failure type="manulint" message="{} {noun}">{}</failure>"#,
            lines.len(),
            xml_escape(&lines.join("\n"))
        )?;
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}
