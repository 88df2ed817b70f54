//! JUnit XML: one test suite, one test case per checked chapter (a `.docx`
//! split into chapters gives one per chapter, named with its title). A
//! chapter with findings is a failed test case listing them, one per line.

use std::io::{self, Write};

use super::{Location, Report, chapter_label, slash_path, xml_escape};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let cases: Vec<(String, String, Vec<String>)> = report
        .files
        .iter()
        .map(|&chapter| {
            let name = chapter_label(report.manuscript, chapter);
            let file = slash_path(report.manuscript, chapter);
            let lines = report
                .diagnostics
                .iter()
                .filter(|d| !report.quiet && d.primary.chapter == chapter)
                .map(|d| {
                    let at = Location::of(report.manuscript, &d.primary);
                    format!("{}: {}[{}] {}", at.display, d.severity, d.rule, d.message)
                })
                .collect();
            (name, file, lines)
        })
        .collect();
    // Files the run could not check are test cases in error.
    let errors = report.unchecked.len();
    let tests = cases.len() + errors;
    let failures = cases.iter().filter(|(_, _, l)| !l.is_empty()).count();
    let time = report.summary.elapsed.as_secs_f64();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="manulint" tests="{tests}" failures="{failures}" errors="{errors}" time="{time:.3}">"#
    )?;
    writeln!(
        out,
        r#"  <testsuite name="manulint" tests="{tests}" failures="{failures}" errors="{errors}" skipped="0" time="{time:.3}">"#
    )?;
    for unchecked in &report.unchecked {
        let file = xml_escape(&unchecked.path);
        writeln!(
            out,
            r#"    <testcase name="{file}" classname="manulint" file="{file}">"#
        )?;
        writeln!(
            out,
            r#"      <error type="manulint" message="not checked">{}</error>"#,
            xml_escape(&unchecked.message)
        )?;
        writeln!(out, "    </testcase>")?;
    }
    for (name, file, lines) in &cases {
        let (name, file) = (xml_escape(name), xml_escape(file));
        if lines.is_empty() {
            writeln!(
                out,
                r#"    <testcase name="{name}" classname="manulint" file="{file}"/>"#
            )?;
            continue;
        }
        writeln!(
            out,
            r#"    <testcase name="{name}" classname="manulint" file="{file}">"#
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
