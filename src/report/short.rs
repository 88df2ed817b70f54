//! `path:line:col: severity[rule] message`, one finding per line
//! (`book.docx:¶214:37 (Chapter 7): …` for a Word chapter).

use std::io::{self, Write};

use super::{Location, Report, one_line, summary_line};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    if !report.quiet {
        for diagnostic in report.diagnostics {
            let at = Location::of(report.manuscript, &diagnostic.primary);
            writeln!(
                out,
                "{}: {}[{}] {}",
                at.display,
                diagnostic.severity,
                diagnostic.rule,
                one_line(&diagnostic.message)
            )?;
        }
    }
    writeln!(out, "{}", summary_line(&report.summary))
}
