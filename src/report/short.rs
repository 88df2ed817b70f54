//! `path:line:col: severity[rule] message`, one finding per line.

use std::io::{self, Write};

use super::{Location, Report, one_line, summary_line};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    if !report.quiet {
        for diagnostic in report.diagnostics {
            let at = Location::of(report.manuscript, &diagnostic.primary);
            writeln!(
                out,
                "{}:{}:{}: {}[{}] {}",
                at.file,
                at.line,
                at.column,
                diagnostic.severity,
                diagnostic.rule,
                one_line(&diagnostic.message)
            )?;
        }
    }
    writeln!(out, "{}", summary_line(&report.summary))
}
