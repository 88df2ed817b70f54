//! JUnit XML: one test suite, one test case per checked chapter (a `.docx`
//! split into chapters gives one per chapter, named with its title). A
//! chapter with a finding at the failing severity (`--fail-on`) is a failed
//! test case listing its findings, one per line; a chapter with findings
//! below it passes, as the run does, and lists them in `system-out`.

use std::io::{self, Write};

use super::{Location, Report, chapter_label, ci_path, xml_escape};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let cases: Vec<Case> = report
        .files
        .iter()
        .map(|&chapter| {
            let found = || {
                report
                    .diagnostics
                    .iter()
                    .filter(move |d| d.primary.chapter == chapter)
            };
            Case {
                name: chapter_label(report.manuscript, chapter),
                file: ci_path(report, chapter),
                failing: found().filter(|d| report.fail_on.fails(d.severity)).count(),
                lines: found()
                    .map(|d| {
                        let at = Location::of(report.manuscript, &d.primary);
                        format!("{}: {}[{}] {}", at.display, d.severity, d.rule, d.message)
                    })
                    .collect(),
            }
        })
        .collect();
    // Files the run could not check are test cases in error.
    let errors = report.unchecked.len();
    let tests = cases.len() + errors;
    let failures = cases.iter().filter(|c| c.failing > 0).count();
    // No time: the report is the same byte for byte from run to run.
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="manulint" tests="{tests}" failures="{failures}" errors="{errors}">"#
    )?;
    writeln!(
        out,
        r#"  <testsuite name="manulint" tests="{tests}" failures="{failures}" errors="{errors}" skipped="0">"#
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
    for case in &cases {
        let (name, file) = (xml_escape(&case.name), xml_escape(&case.file));
        if case.failing == 0 && case.lines.is_empty() {
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
        let listed = xml_escape(&case.lines.join("\n"));
        if case.failing > 0 {
            let noun = if case.failing == 1 {
                "finding"
            } else {
                "findings"
            };
            writeln!(
                out,
                r#"      <failure type="manulint" message="{} {noun} at the failing severity">{listed}</failure>"#,
                case.failing,
            )?;
        } else {
            // Below `--fail-on`: the case passes, as the run does, and
            // still lists what was found.
            writeln!(out, "      <system-out>{listed}</system-out>")?;
        }
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

/// One checked chapter as a test case.
struct Case {
    name: String,
    file: String,
    /// Findings at or above `--fail-on`: the case fails with any.
    failing: usize,
    /// Every finding, one line each.
    lines: Vec<String>,
}
